// vcard: being written
