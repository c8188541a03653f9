// `followup doctor` on a SQLite file: a list of checks, each a small function that adds its
// lines to the report and says whether the next ones can run (see store/maintenance.hpp and
// docs/reliability.md). Only looks: the file is opened read-only (or immutable), never written.

#include "file_checks.hpp"
#include "sqlite_native.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <followup/store/maintenance.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <limits>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace followup {

using namespace sqlite_file;

namespace {

/// What the checks share: the report they fill and what earlier checks found.
struct Doctor {
    explicit Doctor(DoctorReport& report) : r(report) {}
    DoctorReport& r;
    std::string path;
    std::string base;               ///< the -wal, -shm and -journal as SQLite names them
    std::string q;                  ///< the path quoted for a shell, for advice
    bool writable{};                ///< the database file can be written
    bool damaged{};                 ///< something SQLite reads is broken: advise a restore
    bool locked_folder{};           ///< read as an immutable file (see opens)
    bool followup_db{};             ///< a followup database (not an empty or foreign one)
    std::vector<std::string> stuck; ///< read-only -wal or -shm of a writable database
    std::unique_ptr<SQLite::Database> db;

    void add(std::string name, bool ok, std::string detail) {
        r.checks.push_back(Check{std::move(name), ok, one_line(std::move(detail))});
    }
    [[nodiscard]] std::string folder() const {
        fs::path dir = fs::path(path).parent_path();
        return dir.empty() ? "." : dir.string();
    }
};

/// A check: adds its lines (and advice); false when the checks after it cannot run.
using Step = bool (*)(Doctor&);

/// The file can be read at all.
bool readable(Doctor& d) {
    if (::access(d.path.c_str(), R_OK) == 0) return true;
    d.add("file", false, fmt::format("cannot read {}: {}", d.path, std::strerror(errno)));
    d.r.advice.push_back(fmt::format("give yourself read and write access: chmod u+rw {}", d.q));
    return false;
}

/// The -wal, -shm and -journal beside the database, when there, are regular files: a FIFO or a
/// device in their place fails every write ("disk I/O error") or hangs it.
bool regular_companions(Doctor& d) {
    std::vector<std::string> odd;
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        std::string file = d.base + suffix;
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
            odd.push_back(fmt::format("{} is {}", file, file_kind(file, true)));
    }
    if (odd.empty()) return true;
    std::string list;
    for (const auto& o : odd)
        list += (list.empty() ? "" : "; ") + o;
    d.add("companions", false,
          fmt::format("{}, not a regular file: every command that writes fails", list));
    std::string files;
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        struct stat st {};
        std::string file = d.base + suffix;
        if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
            files += (files.empty() ? "" : " ") + shell_quote(file);
    }
    d.r.advice.push_back(fmt::format("remove what is not followup's (it holds no data of it): rm "
                                     "{}",
                                     files));
    return false;
}

/// Files of another user that we cannot write: chmod cannot help, only chown can. SQLite could
/// not open them either, which is no damage.
bool owned_by_you(Doctor& d) {
    std::vector<std::string> foreign;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::string file = *suffix == '\0' ? d.path : d.base + suffix;
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0 && st.st_uid != ::geteuid() &&
            ::access(file.c_str(), W_OK) != 0)
            foreign.push_back(file);
    }
    if (foreign.empty() || (foreign.size() == 1 && foreign.front() == d.path && !d.writable))
        return true;
    std::string list, owners;
    for (const auto& f : foreign) {
        struct stat st {};
        ::stat(f.c_str(), &st);
        if (!list.empty()) list += ' ';
        list += shell_quote(f);
        std::string owner = user_name(st.st_uid);
        if (owners.find(owner) == std::string::npos) owners += (owners.empty() ? "" : ", ") + owner;
    }
    const char* them = foreign.size() == 1 ? "it" : "them";
    d.add("permissions", false,
          fmt::format("{} {} owned by {}, not by you ({}): followup cannot write {}", list,
                      foreign.size() == 1 ? "is" : "are", owners, user_name(::geteuid()), them));
    d.r.advice.push_back(fmt::format("give {} back to yourself (as root, e.g. with sudo): "
                                     "chown {} {}",
                                     them, user_name(::geteuid()), list));
    return false;
}

/// A hot journal: a write that was interrupted. Any followup command that can write rolls it
/// back; doctor only looks (opening the file would roll it back, a write).
bool no_hot_journal(Doctor& d) {
    if (!hot_journal(d.path, d.base + "-journal")) return true;
    d.add("journal", false,
          fmt::format("{}-journal is a hot journal: a write was interrupted; the next command "
                      "rolls it back (recoverable: nothing committed is lost); not checked "
                      "further until then",
                      d.base));
    if (d.writable && ::access(d.folder().c_str(), W_OK) == 0)
        d.r.advice.push_back(fmt::format(
            "roll it back with any command, e.g. followup --db {} due, then run doctor again",
            d.q));
    else
        d.r.advice.push_back(
            fmt::format("make the database and its folder writable, then roll it back with any "
                        "command, e.g. followup --db {} due",
                        d.q));
    return false;
}

/// SQLite opens the file read-only and reads its schema. As Repository does, a WAL database
/// without -wal in a folder we cannot write to can only be read as an immutable file.
bool opens(Doctor& d) {
    for (const char* suffix : {"-wal", "-shm"}) {
        std::string companion = d.base + suffix;
        if (d.writable && path_exists(companion) && ::access(companion.c_str(), W_OK) != 0)
            d.stuck.push_back(companion);
    }
    try {
        d.db = open_readonly(d.path);
        try {
            d.db->execAndGet("SELECT count(*) FROM sqlite_master");
        } catch (const SQLite::Exception& e) {
            if ((e.getErrorCode() != SQLITE_READONLY && e.getErrorCode() != SQLITE_CANTOPEN) ||
                path_exists(d.base + "-wal") || ::access(d.folder().c_str(), W_OK) == 0)
                throw;
            d.db = open_immutable(d.path);
            d.db->execAndGet("SELECT count(*) FROM sqlite_master");
            d.locked_folder = true;
        }
        d.add("file", true,
              fmt::format("a SQLite database{}", d.writable && !d.locked_folder
                                                     ? ""
                                                     : ", read-only: commands that write fail"));
    } catch (const SQLite::Exception& e) {
        int code = e.getErrorCode();
        d.add("file", false,
              code == SQLITE_NOTADB ? fmt::format("not a SQLite database ({})", e.what())
                                    : fmt::format("cannot read it: {}", e.what()));
        d.damaged = true;
        d.db.reset();
    }
    return true; // the permissions are said either way
}

/// Permissions: a writable database with a read-only -wal or -shm (left by a run while the file
/// was read-only) fails every write.
bool permissions(Doctor& d) {
    if (d.stuck.empty()) {
        if (d.locked_folder)
            d.add("permissions", true,
                  fmt::format("read only: the folder cannot be written to, and there is no {}-wal "
                              "file for SQLite to write in",
                              d.path));
        else if (d.db)
            d.add("permissions", true, d.writable ? "read and write" : "read only");
    } else {
        std::string list;
        for (const auto& s : d.stuck) {
            if (!list.empty()) list += ' ';
            list += shell_quote(s);
        }
        d.add("permissions", false,
              fmt::format("{} {} read-only while the database is writable: every command that "
                          "writes will fail",
                          list, d.stuck.size() == 1 ? "is" : "are"));
        d.r.advice.push_back(fmt::format("make them writable again: chmod u+w {}", list));
    }
    return d.db != nullptr;
}

/// The schema version: this followup's, older (upgraded by the next command), newer, empty or
/// another program's.
void schema_version_of(Doctor& d) {
    SQLite::Database& db = *d.db;
    int version = db.execAndGet("PRAGMA user_version").getInt();
    d.r.stored_version = version;
    bool tables = table_count(db) > 0;
    d.followup_db = version >= 1 && has_table(db, "contacts");
    if (version > schema_version) {
        d.add("schema version", false,
              fmt::format("{} is newer than this followup understands ({}): upgrade followup",
                          version, schema_version));
        d.r.advice.push_back(
            fmt::format("this database was written by a newer followup: upgrade followup, or "
                        "restore a backup made by this one (schema version {})",
                        schema_version));
    } else if (version == 0 && !tables) {
        d.add("schema version", true, "0: an empty database; the next command creates the tables");
    } else if (!d.followup_db) {
        d.add("schema version", false,
              fmt::format("{}: not a followup database (it has other tables)", version));
        d.r.advice.push_back("this file belongs to another program: point --db or FOLLOWUP_DB at "
                             "your followup database");
    } else if (version < schema_version) {
        d.add(
            "schema version", true,
            fmt::format("{}: will be upgraded to {} by the next command", version, schema_version));
    } else {
        d.add("schema version", true, fmt::format("{}, as this followup writes", version));
    }
}

/// One PRAGMA check: its rows, or "ok"; an error reading it is damage too.
template <class Rows>
void pragma_check(Doctor& d, const char* name, const char* pragma, Rows rows) {
    try {
        auto errors = rows();
        if (errors.empty()) {
            d.add(name, true, fmt::format("{}: ok", pragma));
        } else {
            d.add(name, false, fmt::format("{}: {}", pragma, problems_text(errors)));
            d.damaged = true;
        }
    } catch (const SQLite::Exception& e) {
        d.add(name, false, fmt::format("{}: {}", pragma, e.what()));
        d.damaged = true;
    }
}

void integrity(Doctor& d) {
    pragma_check(d, "integrity", "integrity_check", [&] { return integrity_errors(*d.db, 20); });
}

void foreign_keys(Doctor& d) {
    pragma_check(d, "foreign keys", "foreign_key_check", [&] { return foreign_key_errors(*d.db); });
}

/// How many records of each kind (a followup database only).
void records(Doctor& d) {
    if (!d.followup_db) return;
    try {
        d.r.counts = count_records(*d.db);
        d.add("records", true, counts_text(*d.r.counts));
    } catch (const SQLite::Exception& e) {
        d.add("records", false, fmt::format("cannot count them: {}", e.what()));
        d.damaged = true;
    }
}

/// Ids left to number new rows: SQLite numbers a new row (AUTOINCREMENT) after the largest id a
/// table ever had, and fails every insert ("database or disk is full") once that is 2^63 - 1.
/// Only a file can bring such an id; a table with fewer than a million ids left is a problem
/// (the line is shown only then).
void ids(Doctor& d) {
    if (!d.followup_db || !has_table(*d.db, "sqlite_sequence")) return;
    constexpr long long room = 1'000'000;
    SQLite::Statement q(*d.db, "SELECT name, seq FROM sqlite_sequence WHERE seq > ? ORDER BY name");
    q.bind(1, static_cast<std::int64_t>(std::numeric_limits<std::int64_t>::max() - room));
    std::vector<std::string> used_up;
    while (q.executeStep())
        used_up.push_back(fmt::format("{} (largest id {})", q.getColumn(0).getString(),
                                      q.getColumn(1).getInt64()));
    if (used_up.empty()) return; // a line only when it is a problem, as companions
    std::string names;
    for (const auto& u : used_up)
        names += (names.empty() ? "" : ", ") + u;
    d.add("ids", false,
          fmt::format("the ids of {} are used up: new rows cannot be numbered, every command "
                      "that adds one fails",
                      names));
    d.r.advice.push_back("restore a backup made before the file that brought those ids was "
                         "imported: followup restore FILE");
}

void pages(Doctor& d) {
    SQLite::Database& db = *d.db;
    d.r.page_size = db.execAndGet("PRAGMA page_size").getInt64();
    d.r.page_count = db.execAndGet("PRAGMA page_count").getInt64();
    d.r.freelist_count = db.execAndGet("PRAGMA freelist_count").getInt64();
    d.r.journal_mode = db.execAndGet("PRAGMA journal_mode").getString();
}

/// The checks that read the database, in one snapshot (one read transaction).
bool contents(Doctor& d) {
    try {
        SQLite::Transaction snapshot(*d.db, SQLite::TransactionBehavior::DEFERRED);
        for (auto check : {schema_version_of, integrity, foreign_keys, records, ids, pages})
            check(d);
    } catch (const SQLite::Exception& e) {
        d.add("database", false, fmt::format("cannot read it: {}", e.what()));
        d.damaged = true;
    }
    return true;
}

/// The journal mode and the sizes of the file and its log.
bool sizes(Doctor& d) {
    DoctorReport& r = d.r;
    if (!r.journal_mode.empty() && !d.locked_folder) // immutable: the log is not opened
        d.add("journal mode", true,
              r.journal_mode == "wal" ? std::string("wal")
                                      : fmt::format("{} (a single file, as backups are; "
                                                    "followup's own databases use wal)",
                                                    r.journal_mode));
    d.add("size", true,
          fmt::format("{} file, {} write-ahead log; {} pages of {} B, {} free",
                      size_text(r.file_size), size_text(r.wal_size), r.page_count, r.page_size,
                      r.freelist_count));
    return true;
}

/// The checks, in order; each runs only when every one before it returned true.
constexpr Step checks[] = {readable, regular_companions, owned_by_you, no_hot_journal,
                           opens,    permissions,        contents,     sizes};

/// A damaged file: what to do first, before any other advice.
void advise_on_damage(Doctor& d) {
    std::string wal = d.r.wal_size > 0 || path_exists(d.base + "-wal")
                          ? " and " + shell_quote(d.base + "-wal")
                          : "";
    d.r.advice.insert(
        d.r.advice.begin(),
        {fmt::format("the damaged file is {}: first copy it{} somewhere safe", d.path, wal),
         "then restore the last good backup: followup restore FILE",
         fmt::format("or salvage what SQLite can still read: sqlite3 {} .recover | sqlite3 "
                     "recovered.db, then check it: followup --db recovered.db doctor",
                     d.q)});
}

DoctorReport check_database_unguarded(const std::string& path) {
    DoctorReport r;
    r.path = path;
    if (!path_exists(path)) throw DatabaseError(fmt::format("no database at {}", path));
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw DatabaseError(fmt::format("{} is a folder, not a database", path));
    if (std::string kind = file_kind(path); !kind.empty()) // a FIFO would hang the open
        throw DatabaseError(fmt::format("{} is {}, not a database", path, kind));
    if (std::string fs_name = special_filesystem(path); !fs_name.empty())
        throw DatabaseError(fmt::format("{} is a file of {}, not a database", path, fs_name));
    r.file_size = size_or_zero(path);
    Doctor d(r);
    d.path = path;
    d.base = sql::companion_base(path);
    d.q = shell_quote(path);
    r.wal_size = size_or_zero(d.base + "-wal");
    d.writable = ::access(path.c_str(), W_OK) == 0;
    for (Step check : checks)
        if (!check(d)) break;
    if (d.damaged) advise_on_damage(d);
    return r;
}

} // namespace

bool DoctorReport::ok() const {
    for (const auto& c : checks)
        if (!c.ok) return false;
    return true;
}

DoctorReport check_database(const std::string& path) {
    try {
        return check_database_unguarded(path);
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

} // namespace followup
