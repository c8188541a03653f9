#pragma once
// What doctor, backup and restore read of a SQLite database file and its companions (-wal,
// -shm, -journal), without opening it for writing. Private to store/.

#include <SQLiteCpp/SQLiteCpp.h>
#include <cstdint>
#include <filesystem>
#include <followup/store/maintenance.hpp>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace followup::sqlite_file {

namespace fs = std::filesystem;

/// How long a read waits for a writer of another process (SQLite's busy timeout).
inline constexpr int busy_timeout_ms = 30'000;

/// One line of text: newlines and tabs of SQLite's messages become spaces.
std::string one_line(std::string s);
/// A path quoted for a POSIX shell when it needs it.
std::string shell_quote(const std::string& s);
/// "12 KB", "3.4 MB"...
std::string size_text(std::uintmax_t bytes);
/// The size of a file, 0 when it is not there.
std::uintmax_t size_or_zero(const fs::path& p);
/// True when something is at `p` (a dangling link counts).
bool path_exists(const fs::path& p);
/// True when both paths name the same file (false when either does not exist).
bool same_file(const fs::path& a, const fs::path& b);
/// True when `journal` is a hot rollback journal of `db`: a write was interrupted, and the next
/// connection that can write will roll it back. Only looks: takes no lock, writes nothing.
bool hot_journal(const std::string& db, const std::string& journal);
/// The file system of a path that holds no files of data ("procfs", "sysfs"...), whose files
/// look regular but are made up as they are read (/proc/self/status reads as an empty
/// database); "" for any other.
std::string special_filesystem(const std::string& path);
/// The name of a user, or "uid N".
std::string user_name(uid_t uid);
/// Opens a database file for reading only: never creates it, never writes to it.
std::unique_ptr<SQLite::Database> open_readonly(const std::string& path);
/// Opens a database file as immutable: no locks, no -wal or -shm (see check_database).
std::unique_ptr<SQLite::Database> open_immutable(const std::string& path);
/// True when the database has a table of that name.
bool has_table(SQLite::Database& db, const char* name);
/// How many tables the database has.
long long table_count(SQLite::Database& db);
/// The rows of each of followup's tables.
RecordCounts count_records(SQLite::Database& db);
/// "850 contacts, 200 events, ..." as doctor prints it.
std::string counts_text(const RecordCounts& c);
/// The rows of `PRAGMA integrity_check` (just "ok" for a sound file), at most `limit`.
std::vector<std::string> integrity_errors(SQLite::Database& db, int limit);
/// The rows of `PRAGMA foreign_key_check`, as "followups row 5 refers to a missing contacts".
std::vector<std::string> foreign_key_errors(SQLite::Database& db);
/// The rows joined for one line of doctor.
std::string problems_text(const std::vector<std::string>& rows);

} // namespace followup::sqlite_file
