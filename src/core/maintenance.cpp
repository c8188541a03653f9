// maintenance: being written
