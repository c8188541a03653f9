// ical: being written
