#pragma once
// For the SQLite-only parts of the store (undo through the session extension, file
// maintenance): the SQLiteCpp connection under a sql::Connection, and SQLite's errors in the
// project's words.

#include "sql.hpp"

#include <string>
#include <string_view>

namespace SQLite {
class Database;
class Exception;
} // namespace SQLite

namespace followup::sql {

/// The SQLite connection of a SQLite driver; throws DatabaseError for any other driver.
SQLite::Database& sqlite_database(Connection& c);

/// The path SQLite names a database's -wal, -shm and -journal after: the file a symlink leads
/// to when `path` is one (SQLite resolves it), else `path` itself.
std::string companion_base(const std::string& path);

/// Copies the write-ahead log of a SQLite driver into its database file and empties the log,
/// waiting for other processes as a write does; throws DatabaseError when it cannot. Before a
/// database file is handed on without its -wal (a backup), since closing leaves a short log.
void fold_log(Connection& c);

/// What to do about a SQLite error, after SQLite's own words (" (see 'followup doctor')").
std::string_view sqlite_hint(int code);

/// A SQLite error as the DatabaseError followup reports: "database error: ..." with advice.
[[noreturn]] void throw_sqlite(const SQLite::Exception& e);

} // namespace followup::sql
