// What doctor, backup and restore read of a SQLite database file and its companions, without
// opening it for writing (see file_checks.hpp).

#include "file_checks.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace followup::sqlite_file {

/// One line of text: newlines and tabs of SQLite's messages become spaces.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return s;
}

/// A path quoted for a POSIX shell when it needs it.
std::string shell_quote(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./+,:@%=") == std::string::npos)
        return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string size_text(std::uintmax_t bytes) {
    if (bytes < 1024) return fmt::format("{} B", bytes);
    if (bytes < 10 * 1024 * 1024) return fmt::format("{} KB", (bytes + 1023) / 1024);
    return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::uintmax_t size_or_zero(const fs::path& p) {
    std::error_code ec;
    auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

bool path_exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec)) || fs::exists(p, ec);
}

/// True when both paths name the same file (false when either does not exist).
bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    bool same = fs::equivalent(a, b, ec);
    return !ec && same;
}

/// True when `journal` is a hot rollback journal of `db`: a write was interrupted, and the next
/// connection that can write will roll it back. As SQLite decides it: the file is not empty,
/// its header is not zeroed, and no process holds the database's RESERVED lock (a writer at
/// work). Only looks: takes no lock, writes nothing.
bool hot_journal(const std::string& db, const std::string& journal) {
    int jfd = ::open(journal.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (jfd < 0) return false;
    unsigned char head[8] = {};
    ssize_t n = ::read(jfd, head, sizeof head);
    ::close(jfd);
    static constexpr unsigned char magic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
    if (n != 8 || std::memcmp(head, magic, 8) != 0) return false;
    int fd = ::open(db.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0x40000001; // SQLite's RESERVED byte (PENDING_BYTE + 1)
    lock.l_len = 1;
    int rc = ::fcntl(fd, F_GETLK, &lock);
    ::close(fd); // this process holds no lock on the file yet: closing drops nothing
    return rc == 0 && lock.l_type == F_UNLCK;
}

/// The name of a user, or "uid N".
std::string user_name(uid_t uid) {
    if (const passwd* pw = ::getpwuid(uid)) return pw->pw_name;
    return fmt::format("uid {}", uid);
}

/// Opens a database file for reading only: never creates it, never writes to it.
std::unique_ptr<SQLite::Database> open_readonly(const std::string& path) {
    return std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
                                              busy_timeout_ms);
}

/// Opens a database file as immutable: no locks, no -wal or -shm (see check_database).
std::unique_ptr<SQLite::Database> open_immutable(const std::string& path) {
    std::string uri = "file:";
    for (char c : path)
        uri += c == '%'   ? std::string("%25")
               : c == '?' ? std::string("%3f")
               : c == '#' ? std::string("%23")
                          : std::string(1, c);
    return std::make_unique<SQLite::Database>(
        uri + "?immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX,
        busy_timeout_ms);
}

bool has_table(SQLite::Database& db, const char* name) {
    SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    return q.executeStep();
}

long long table_count(SQLite::Database& db) {
    return db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        .getInt64();
}

std::string special_filesystem(const std::string& path) {
    struct statfs st {};
    if (::statfs(path.c_str(), &st) != 0) return "";
    switch (static_cast<unsigned long>(st.f_type)) {
    case 0x9fa0UL:
        return "procfs (/proc)";
    case 0x62656572UL:
        return "sysfs (/sys)";
    case 0x64626720UL:
        return "debugfs";
    case 0x27e0ebUL:
        return "cgroupfs";
    case 0x63677270UL:
        return "cgroupfs";
    case 0x73636673UL:
        return "securityfs";
    default:
        return "";
    }
}

RecordCounts count_records(SQLite::Database& db) {
    SQLite::Statement q(db, R"sql(
SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM events),
       (SELECT count(*) FROM followups WHERE status = 'open'),
       (SELECT count(*) FROM followups WHERE status <> 'open'),
       (SELECT count(*) FROM interactions), (SELECT count(*) FROM referrals))sql");
    q.executeStep();
    RecordCounts c;
    c.contacts = q.getColumn(0).getInt64();
    c.events = q.getColumn(1).getInt64();
    c.followups_open = q.getColumn(2).getInt64();
    c.followups_closed = q.getColumn(3).getInt64();
    c.interactions = q.getColumn(4).getInt64();
    c.referrals = q.getColumn(5).getInt64();
    return c;
}

std::string counts_text(const RecordCounts& c) {
    return fmt::format("{} contact{}, {} event{}, {} follow-up{} ({} open, {} closed), "
                       "{} interaction{}, {} referral{}",
                       c.contacts, c.contacts == 1 ? "" : "s", c.events, c.events == 1 ? "" : "s",
                       c.followups_open + c.followups_closed,
                       c.followups_open + c.followups_closed == 1 ? "" : "s", c.followups_open,
                       c.followups_closed, c.interactions, c.interactions == 1 ? "" : "s",
                       c.referrals, c.referrals == 1 ? "" : "s");
}

/// The rows of `PRAGMA integrity_check` (just "ok" for a sound file), at most `limit`.
std::vector<std::string> integrity_errors(SQLite::Database& db, int limit) {
    SQLite::Statement q(db, fmt::format("PRAGMA integrity_check({})", limit));
    std::vector<std::string> rows;
    while (q.executeStep())
        rows.push_back(one_line(q.getColumn(0).getString()));
    if (rows.size() == 1 && rows.front() == "ok") rows.clear();
    return rows;
}

/// The rows of `PRAGMA foreign_key_check`, as "followups row 5 refers to a missing contacts".
std::vector<std::string> foreign_key_errors(SQLite::Database& db) {
    SQLite::Statement q(db, "PRAGMA foreign_key_check");
    std::vector<std::string> rows;
    while (q.executeStep())
        rows.push_back(fmt::format("{} row {} refers to a missing {} row",
                                   q.getColumn(0).getString(), q.getColumn(1).getString(),
                                   q.getColumn(2).getString()));
    return rows;
}

std::string problems_text(const std::vector<std::string>& rows) {
    return fmt::format("{} problem{}, first: {}", rows.size(), rows.size() == 1 ? "" : "s",
                       rows.front());
}

} // namespace followup::sqlite_file
