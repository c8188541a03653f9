// csv: being written
