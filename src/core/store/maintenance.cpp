// Care of the database file: backup and restore (doctor is in sqlite/doctor.cpp) (see
// include/followup/store/maintenance.hpp and docs/reliability.md).

#include "sqlite/file_checks.hpp"
#include "sqlite/sqlite_native.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <date/date.h>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/store/copy.hpp>
#include <followup/store/maintenance.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <optional>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace followup {

using namespace sqlite_file;

namespace {

constexpr int backup_chunk_pages = 256;

/// A temporary file of ours, named `.NAME.followup-tmp-PID-XXXXXX` beside its destination,
/// mode 0600, locked (flock) while it lives, and removed (with its -journal, -wal, -shm) when
/// the scope ends unless released. remove_stale_temporaries() deletes those a killed process
/// left behind.
class TempFile {
public:
    /// Creates the file in `dir`; throws DatabaseError with `what` on failure.
    TempFile(const fs::path& dir, const std::string& name, const std::string& what) {
        path_ = (dir / fmt::format(".{}.followup-tmp-{}-XXXXXX", name, ::getpid())).string();
        fd_ = ::mkostemp(path_.data(), O_CLOEXEC); // mode 0600
        if (fd_ < 0) {
            int err = errno;
            path_.clear();
            throw DatabaseError(fmt::format("{}: {}", what, std::strerror(err)));
        }
        ::flock(fd_, LOCK_EX | LOCK_NB);
    }
    ~TempFile() {
        if (!path_.empty())
            for (const char* suffix : {"", "-journal", "-wal", "-shm"})
                ::unlink((path_ + suffix).c_str());
        if (fd_ >= 0) ::close(fd_);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }
    void release() { path_.clear(); }

private:
    std::string path_;
    int fd_{-1};
};

void fsync_path(const std::string& path, bool directory) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
    if (fd < 0) {
        if (directory) return; // some file systems do not let a folder be opened: best effort
        throw DatabaseError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0 && !directory)
        throw DatabaseError(fmt::format("cannot flush {} to disk: {}", path, std::strerror(err)));
}

/// Copies every page of `src` (main) into `dst` (main) with the online backup API, in chunks,
/// waiting while either side is busy.
void copy_pages(SQLite::Database& src, SQLite::Database& dst, const std::string& what) {
    sqlite3_backup* b = sqlite3_backup_init(dst.getHandle(), "main", src.getHandle(), "main");
    if (b == nullptr)
        throw DatabaseError(fmt::format("{}: {}", what, sqlite3_errmsg(dst.getHandle())));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds{busy_timeout_ms};
    int rc = SQLITE_OK;
    while (true) {
        rc = sqlite3_backup_step(b, backup_chunk_pages);
        if (rc == SQLITE_OK) continue;
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
            std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
            continue;
        }
        break;
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        int code = sqlite3_extended_errcode(dst.getHandle());
        std::string why = code != SQLITE_OK ? sqlite3_errmsg(dst.getHandle()) : sqlite3_errstr(rc);
        throw DatabaseError(fmt::format("{}: {}", what, why));
    }
}

/// Writes a standalone copy of `src` (which holds a read transaction, so that the copy is one
/// snapshot) to `dest`: a temporary file beside it, mode 0600, rollback journal, optionally
/// checked, flushed, then renamed into place. Returns the size of the copy.
std::uintmax_t write_copy(SQLite::Database& src, const std::string& dest, bool overwrite,
                          bool verify) {
    fs::path target(dest);
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string what = fmt::format("cannot write {}", dest);
    remove_stale_temporaries(dir.string());
    TempFile tmp(dir, target.filename().string(), what);
    try {
        SQLite::Database out(tmp.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
        out.exec("PRAGMA synchronous = OFF"); // flushed once, below
        copy_pages(src, out, what);
        // The pages come with the source's "WAL" mark; a backup is one self-contained file.
        out.exec("PRAGMA journal_mode = DELETE");
        if (verify) {
            auto errors = integrity_errors(out, 10);
            if (!errors.empty())
                throw DatabaseError(fmt::format(
                    "{}: the copy fails integrity_check ({}); the database itself may be "
                    "damaged: run 'followup doctor'",
                    what, errors.front()));
        }
    } catch (const SQLite::Exception& e) {
        throw DatabaseError(fmt::format("{}: {}", what, e.what()));
    }
    fsync_path(tmp.path(), false);
    if (overwrite) {
        if (::rename(tmp.path().c_str(), dest.c_str()) != 0)
            throw DatabaseError(fmt::format("{}: {}", what, std::strerror(errno)));
    } else {
        // Never replaces a file that appeared meanwhile.
        if (::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) !=
            0) {
            int err = errno;
            if (err == EEXIST)
                throw Error(fmt::format("{} exists already; pass --force to replace it", dest));
            if (err != EINVAL && err != ENOSYS && err != ENOTSUP)
                throw DatabaseError(fmt::format("{}: {}", what, std::strerror(err)));
            if (path_exists(target))
                throw Error(fmt::format("{} exists already; pass --force to replace it", dest));
            if (::rename(tmp.path().c_str(), dest.c_str()) != 0)
                throw DatabaseError(fmt::format("{}: {}", what, std::strerror(errno)));
        }
    }
    tmp.release();
    fsync_path(dir.string(), true);
    return size_or_zero(target);
}

/// Refuses destinations that are the database or one of its companion files.
void check_destination(const std::string& db_path, const std::string& dest, bool overwrite) {
    if (dest.empty()) throw UsageError("give the file to write the backup to");
    fs::path target(dest);
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw Error(fmt::format("{} is a folder; give the name of the backup file", dest));
    if (std::string kind = file_kind(dest, true); !kind.empty())
        throw Error(fmt::format("{} is {}; give the name of a regular file", dest, kind));
    std::error_code ec_target;
    const fs::path canonical_target = fs::weakly_canonical(target, ec_target);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::error_code ec_db;
        const fs::path canonical_db = fs::weakly_canonical(db_path + suffix, ec_db);
        if (same_file(target, db_path + suffix) ||
            (!ec_target && !ec_db && canonical_target == canonical_db))
            throw Error(fmt::format("{} is the database itself; back it up to another file", dest));
    }
    if (!overwrite && path_exists(target))
        throw Error(fmt::format("{} exists already; pass --force to replace it", dest));
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(dir, ec))
        throw Error(fmt::format("cannot write {}: no folder {}", dest, dir.string()));
}

std::string utc_stamp(Instant now) {
    return date::format("%Y%m%dT%H%M%SZ", std::chrono::floor<std::chrono::seconds>(now));
}

} // namespace

// ------------------------------------------------------------------------------ temporaries

std::size_t remove_stale_temporaries(const std::string& dir) {
    std::size_t removed = 0;
    std::error_code ec;
    fs::directory_iterator it(dir.empty() ? fs::path(".") : fs::path(dir), ec);
    if (ec) return 0;
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        // .NAME.followup-tmp-PID-XXXXXX, and SQLite's -journal, -wal and -shm beside it
        const auto at = name.find(".followup-tmp-");
        if (name.empty() || name[0] != '.' || at == std::string::npos) continue;
        std::string_view rest = std::string_view(name).substr(at + 14);
        const auto dash = rest.find('-');
        if (dash == 0 || dash == std::string_view::npos || rest.size() < dash + 7) continue;
        std::string_view pid_text = rest.substr(0, dash);
        std::string_view tail = rest.substr(dash + 7);
        if (pid_text.find_first_not_of("0123456789") != std::string_view::npos ||
            pid_text.size() > 9 ||
            !(tail.empty() || tail == "-journal" || tail == "-wal" || tail == "-shm"))
            continue;
        const std::string base =
            entry.path().string().substr(0, entry.path().string().size() - tail.size());
        // Its process is gone (or not ours to see) and nobody holds its lock: a leftover.
        const auto pid = static_cast<pid_t>(std::stol(std::string(pid_text)));
        if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
        int fd = ::open(base.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0) {
            bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
            ::close(fd);
            if (!free) continue;
        }
        if (::unlink(entry.path().c_str()) == 0) ++removed;
    }
    return removed;
}

// ----------------------------------------------------------------------------------- backup

static DatabaseCopy backup_database_unguarded(const std::string& db_path, const std::string& dest,
                                              bool overwrite) {
    if (!path_exists(db_path)) throw DatabaseError(fmt::format("no database at {}", db_path));
    if (std::string kind = file_kind(db_path); !kind.empty())
        throw DatabaseError(fmt::format("database {} is {}, not a regular file", db_path, kind));
    if (std::string fs_name = special_filesystem(db_path); !fs_name.empty())
        throw DatabaseError(
            fmt::format("database {} is a file of {}, not a regular file", db_path, fs_name));
    check_destination(db_path, dest, overwrite);
    DatabaseCopy copy;
    copy.path = dest;
    std::unique_ptr<SQLite::Database> src;
    try {
        src = open_readonly(db_path);
        // One read transaction for the whole copy: in WAL mode it is one snapshot, however
        // many commands other processes commit meanwhile, and the counts are of that snapshot.
        SQLite::Transaction snapshot(*src, SQLite::TransactionBehavior::DEFERRED);
        copy.version = src->execAndGet("PRAGMA user_version").getInt();
        if (copy.version > 0 && has_table(*src, "contacts")) copy.counts = count_records(*src);
        copy.bytes = write_copy(*src, dest, overwrite, true);
    } catch (const SQLite::Exception& e) {
        throw DatabaseError(
            fmt::format("cannot back up {}: {}; run 'followup doctor'", db_path, e.what()));
    }
    return copy;
}

// ---------------------------------------------------------------------------------- restore

static DatabaseCopy inspect_backup_unguarded(const std::string& file) {
    if (!path_exists(file)) throw Error(fmt::format("no file {}", file));
    std::error_code ec;
    if (fs::is_directory(file, ec))
        throw Error(fmt::format("{} is a folder, not a backup file", file));
    if (std::string kind = file_kind(file); !kind.empty())
        throw Error(fmt::format("{} is {}, not a backup file; nothing restored", file, kind));
    if (::access(file.c_str(), R_OK) != 0)
        throw Error(fmt::format("cannot read {}: {}", file, std::strerror(errno)));
    DatabaseCopy c;
    c.path = file;
    c.bytes = size_or_zero(file);
    try {
        auto db = open_readonly(file);
        int version = 0;
        try {
            version = db->execAndGet("PRAGMA user_version").getInt();
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_NOTADB)
                throw Error(fmt::format("{} is not a SQLite database; nothing restored", file));
            throw;
        }
        SQLite::Transaction snapshot(*db, SQLite::TransactionBehavior::DEFERRED);
        if (version > schema_version)
            throw Error(fmt::format("{} has schema version {}, newer than this followup "
                                    "understands ({}); upgrade followup; nothing restored",
                                    file, version, schema_version));
        if (version < 1 || !has_table(*db, "contacts"))
            throw Error(fmt::format("{} is not a followup database (schema version {}, no "
                                    "contacts table); nothing restored",
                                    file, version));
        std::vector<std::string> errors;
        try {
            errors = integrity_errors(*db, 10);
        } catch (const SQLite::Exception& e) {
            errors = {one_line(e.what())};
        }
        if (!errors.empty())
            throw Error(fmt::format("{} is damaged (integrity_check: {}); nothing restored", file,
                                    problems_text(errors)));
        auto dangling = foreign_key_errors(*db);
        if (!dangling.empty())
            throw Error(fmt::format("{} is inconsistent (foreign_key_check: {}); nothing restored",
                                    file, problems_text(dangling)));
        c.version = version;
        c.counts = count_records(*db);
    } catch (const SQLite::Exception& e) {
        throw Error(fmt::format("cannot read {}: {}; nothing restored", file, e.what()));
    }
    return c;
}

static RestoreResult restore_database_unguarded(const std::string& db_path,
                                                const DatabaseCopy& checked, Instant now) {
    RestoreResult result;
    result.restored = checked;
    const std::string& file = checked.path;
    if (same_file(db_path, file))
        throw Error(fmt::format("{} is the database itself; nothing restored", file));

    remove_stale_temporaries(fs::path(db_path).parent_path().string());
    // A missing database is created (mode 0600 in a 0700 folder, WAL) and then overwritten;
    // there is nothing to keep. On failure it is removed again.
    bool created = false;
    if (!path_exists(db_path)) {
        Repository fresh(db_path);
        created = true;
    }
    struct RemoveIfCreated {
        const std::string& path;
        bool armed;
        ~RemoveIfCreated() {
            if (armed)
                for (const char* suffix : {"", "-wal", "-shm"})
                    ::unlink((path + suffix).c_str());
        }
    } cleanup{db_path, created};

    const std::string what = fmt::format("cannot restore {} into {}", file, db_path);
    try {
        SQLite::Database live(db_path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                              busy_timeout_ms);
        std::string mode;
        try {
            mode = live.execAndGet("PRAGMA journal_mode").getString();
        } catch (const SQLite::Exception& e) {
            throw DatabaseError(
                fmt::format("{}: {}: move {} (and {}-wal, if any) away, then restore again", what,
                            e.what(), db_path, db_path));
        }
        // In WAL mode readers go on while the restore holds the write lock, so the previous
        // contents can be kept from inside it.
        if (mode != "wal") live.exec("PRAGMA journal_mode = WAL");
        auto src = open_readonly(file);
        int src_page = src->execAndGet("PRAGMA page_size").getInt();
        int live_page = live.execAndGet("PRAGMA page_size").getInt();
        std::optional<TempFile> converted;
        if (src_page != live_page) {
            // The backup API copies pages as they are, and a WAL database keeps its page size:
            // first a copy of the file with the live database's page size, beside it.
            fs::path dir = fs::path(db_path).parent_path();
            converted.emplace(dir.empty() ? fs::path(".") : dir,
                              fs::path(db_path).filename().string() + ".restore", what);
            const std::string& templ = converted->path();
            src->exec(fmt::format("PRAGMA page_size = {}", live_page));
            {
                SQLite::Statement vacuum(*src, "VACUUM INTO ?");
                vacuum.bind(1, templ);
                vacuum.exec();
            }
            src = open_readonly(templ);
        }

        sqlite3_backup* b = sqlite3_backup_init(live.getHandle(), "main", src->getHandle(), "main");
        if (b == nullptr)
            throw DatabaseError(fmt::format("{}: {}", what, sqlite3_errmsg(live.getHandle())));
        // Zero pages: takes the write lock of the live database (waiting for the busy timeout
        // while another command writes) and keeps it until the copy is finished.
        int rc = sqlite3_backup_step(b, 0);
        if (rc != SQLITE_OK) {
            sqlite3_backup_finish(b);
            throw DatabaseError(fmt::format("{}: {}", what, sqlite3_errstr(rc)));
        }
        try {
            if (!created) {
                // Nobody can write now: this copy is exactly what the restore replaces.
                std::string base = db_path + ".before-restore-" + utc_stamp(now);
                std::string kept = base;
                for (int n = 2; path_exists(kept); ++n)
                    kept = fmt::format("{}-{}", base, n);
                // No read of our own first: the pages are copied as they are, even from a
                // damaged database (the reason for many a restore).
                auto old = open_readonly(db_path);
                write_copy(*old, kept, false, false);
                result.kept = kept;
            }
        } catch (...) {
            sqlite3_backup_finish(b); // rolls the live database back: nothing written yet
            throw;
        }
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds{busy_timeout_ms};
        while (true) {
            rc = sqlite3_backup_step(b, -1);
            if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
                std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds{10});
                continue;
            }
            break;
        }
        int finish = sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE || finish != SQLITE_OK)
            throw DatabaseError(
                fmt::format("{}: {}", what, sqlite3_errstr(rc != SQLITE_DONE ? rc : finish)));
    } catch (const SQLite::Exception& e) {
        throw DatabaseError(fmt::format("{}: {}", what, e.what()));
    }
    cleanup.armed = false;

    // Opening it the usual way migrates an older backup forward.
    Repository repo(db_path);
    result.version = repo.stored_version();
    return result;
}

DatabaseCopy backup_database(const std::string& db_path, const std::string& dest, bool overwrite) {
    try {
        return backup_database_unguarded(db_path, dest, overwrite);
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

DatabaseCopy inspect_backup(const std::string& file) {
    try {
        return inspect_backup_unguarded(file);
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

RestoreResult restore_database(const std::string& db_path, const DatabaseCopy& checked,
                               Instant now) {
    try {
        return restore_database_unguarded(db_path, checked, now);
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

DatabaseCopy backup_server(Repository& from, const std::string& dest, bool overwrite) {
    check_destination(from.where(), dest, overwrite);
    const std::string tmp = fmt::format("{}.followup-tmp-{}", dest, ::getpid());
    auto remove_tmp = [&] {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::remove((tmp + suffix).c_str());
    };
    remove_tmp();
    try {
        {
            Repository to(tmp);
            copy_database(from, to);
            sql::fold_log(to.connection());
        }
        for (const char* suffix : {"-wal", "-shm"})
            std::remove((tmp + suffix).c_str());
        fsync_path(tmp, false);
        if (std::rename(tmp.c_str(), dest.c_str()) != 0)
            throw Error(fmt::format("cannot write {}: {}", dest, std::strerror(errno)));
    } catch (...) {
        remove_tmp();
        throw;
    }
    return inspect_backup(dest);
}

void restore_server(Repository& to, const DatabaseCopy& checked) {
    // The backup is read from a copy: opening it migrates an older one, which must not
    // change the user's file. The copy is made through SQLite, as one snapshot: a followup
    // database given as the backup keeps its last commands in its -wal.
    const std::string tmp =
        (fs::temp_directory_path() / fmt::format("followup-restore-{}.db", ::getpid())).string();
    auto remove_tmp = [&] {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::remove((tmp + suffix).c_str());
    };
    remove_tmp();
    try {
        try {
            auto src = open_readonly(checked.path);
            SQLite::Transaction snapshot(*src, SQLite::TransactionBehavior::DEFERRED);
            write_copy(*src, tmp, true, false);
        } catch (const SQLite::Exception& e) {
            throw DatabaseError(
                fmt::format("cannot read {}: {}; nothing restored", checked.path, e.what()));
        }
        {
            Repository from(tmp);
            copy_database(from, to, true);
        }
    } catch (...) {
        remove_tmp();
        throw;
    }
    remove_tmp();
}

} // namespace followup
