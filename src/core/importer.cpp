// importer: being written
