// The SQLite driver of the store: opening (and creating) the file, the schema migrations, and
// statements over SQLiteCpp whose errors become DatabaseError with advice.

#include "file_checks.hpp"
#include "schema.hpp"
#include "sqlite_native.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/store/maintenance.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace followup::sql {
namespace {

constexpr int busy_timeout_ms = 30'000;

/// The length of write-ahead log at which a closing connection copies it into the database file
/// (64 pages of 4 KiB: every third `add` at 100,000 contacts, every fifth in a small database).
constexpr off_t fold_log_bytes = 256 * 1024;

/// Copies the write-ahead log into the database file and empties it (a TRUNCATE checkpoint,
/// which waits for other processes as long as the connection's busy timeout says).
int checkpoint_log(sqlite3* db) {
    return sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

/// Creates the missing folders of `dir` with mode 0700.
void make_dirs(const std::filesystem::path& dir) {
    if (dir.empty() || std::filesystem::exists(dir)) return;
    make_dirs(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw DatabaseError(
            fmt::format("cannot create folder {}: {}", dir.string(), std::strerror(errno)));
}

/// SQL function fold(text): case- and accent-insensitive form of a text, as text::fold.
void sql_fold(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto* bytes = sqlite3_value_text(argv[0]);
    if (bytes == nullptr) {
        sqlite3_result_null(ctx);
        return;
    }
    std::string folded =
        text::fold(std::string_view(reinterpret_cast<const char*>(bytes),
                                    static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
    sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

/// Refuses a database path that exists and is not a regular file: a FIFO would hang the open,
/// and SQLite would put a `-journal` (mode 0666 as root) beside /dev/null.
void require_database_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return; // created next
    if (!S_ISREG(st.st_mode))
        throw DatabaseError(
            fmt::format("database {} is {}, not a regular file", path, file_kind(path)));
    // A file of /proc looks regular but reads as an empty database.
    if (std::string fs_name = sqlite_file::special_filesystem(path); !fs_name.empty())
        throw DatabaseError(
            fmt::format("database {} is a file of {}, not a regular file", path, fs_name));
    // A FIFO in place of the log fails every write with "disk I/O error", or hangs it.
    const std::string base = companion_base(path);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        const std::string companion = base + suffix;
        if (::stat(companion.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
            throw DatabaseError(fmt::format("database {}: {} is {}, not a regular file (see "
                                            "'followup doctor')",
                                            path, companion, file_kind(companion, true)));
    }
}

/// Creates an empty database file with mode 0600 when it does not exist; true when it did.
bool create_file(const std::string& path) {
    std::filesystem::path p(path);
    make_dirs(p.parent_path());
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return true;
    }
    if (errno != EEXIST)
        throw DatabaseError(
            fmt::format("cannot create database {}: {}", path, std::strerror(errno)));
    return false;
}

/// While a database file is empty (just created, by this process or another), an exclusive
/// flock(2) on its folder: the processes creating it at the same time take turns to switch it
/// to WAL and create the tables, instead of meeting in the switch from the rollback journal to
/// WAL, where SQLite fails at once with "database is locked" rather than wait. A file with
/// content is not locked (its header says WAL already). The lock is on the folder, not the file:
/// closing a descriptor of the database file would drop SQLite's own (fcntl) locks on it.
class CreationLock {
public:
    explicit CreationLock(const std::string& path) {
        struct stat st {};
        if (path.empty() || ::stat(path.c_str(), &st) != 0 || st.st_size != 0) return;
        std::filesystem::path dir = std::filesystem::path(path).parent_path();
        fd_ = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd_ < 0) return; // an unreadable folder: as before, SQLite's busy timeout only
        while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    CreationLock(const CreationLock&) = delete;
    CreationLock& operator=(const CreationLock&) = delete;
    ~CreationLock() {
        if (fd_ >= 0) ::close(fd_); // which releases the lock
    }

private:
    int fd_{-1};
};

/// Reads the schema version, reopening the database as an immutable file when a WAL database
/// lies in a folder we may not write to, without its -wal and -shm files: SQLite cannot create
/// them, so not even a read works. With no -wal there is nothing uncommitted to miss; any write
/// then fails as read-only.
void open_readonly_fallback(std::unique_ptr<SQLite::Database>& db, const std::string& path) {
    try {
        db->execAndGet("PRAGMA user_version");
    } catch (const SQLite::Exception& e) {
        int code = e.getErrorCode();
        std::filesystem::path dir = std::filesystem::path(path).parent_path();
        if ((code != SQLITE_READONLY && code != SQLITE_CANTOPEN) ||
            std::filesystem::exists(companion_base(path) + "-wal") ||
            ::access(dir.empty() ? "." : dir.c_str(), W_OK) == 0)
            throw;
        std::string uri = "file:";
        for (char c : path)
            uri += c == '%'   ? std::string("%25")
                   : c == '?' ? std::string("%3f")
                   : c == '#' ? std::string("%23")
                              : std::string(1, c);
        db = std::make_unique<SQLite::Database>(
            uri + "?immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX,
            busy_timeout_ms);
        db->execAndGet("PRAGMA user_version");
    }
}

/// Migrates the database to the current schema version (see schema.hpp). Returns whether it
/// wrote (a new database, or an older one upgraded).
bool migrate(SQLite::Database& db) {
    auto stored = [&] { return db.execAndGet("PRAGMA user_version").getInt(); };
    int version = stored();
    if (version > schema_version)
        throw DatabaseError(fmt::format(
            "database {} has schema version {}, newer than this followup understands ({}); "
            "upgrade followup",
            db.getFilename(), version, schema_version));
    if (version == schema_version) return false;
    // Tables but no schema version: another program's database, left untouched. (One statement
    // reads both, from one snapshot, so a followup creating its tables meanwhile is no problem.)
    if (version == 0 && db.execAndGet("SELECT count(*) FROM sqlite_master WHERE "
                                      "(SELECT user_version FROM pragma_user_version) = 0")
                                .getInt() > 0)
        throw DatabaseError(fmt::format("{} is not a followup database (it holds tables of "
                                        "another program); pass --db with your followup database",
                                        db.getFilename()));
    // A new database: switch to WAL (persistent) first, so that processes creating it at the
    // same time all use WAL. Then migrate under the write lock, reading the version again in
    // case another process migrated meanwhile.
    const bool fresh = version == 0;
    if (fresh) db.exec("PRAGMA journal_mode = WAL");
    {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        version = stored();
        try {
            for (int v = version; v < schema_version; ++v)
                db.exec(std::string(schema::migrations.at(static_cast<std::size_t>(v))));
            db.exec(fmt::format("PRAGMA user_version = {}", schema_version));
            tx.commit();
        } catch (const SQLite::Exception& e) {
            // Rolled back now when SQLite can. A write stopped part-way through the commit of a
            // rollback-journal file (a file size limit stops the writes back as well) leaves
            // pages of the upgrade in the file and its journal hot: every later open rolls it
            // back before reading, which leaves the file byte for byte as it was.
            try {
                db.exec("ROLLBACK");
            } catch (const SQLite::Exception&) {
            }
            struct stat st {};
            const std::string journal = companion_base(db.getFilename()) + "-journal";
            const bool hot = ::stat(journal.c_str(), &st) == 0 && st.st_size > 0;
            throw DatabaseError(fmt::format(
                "cannot upgrade database {} from schema version {} to {} ({}); {}",
                db.getFilename(), version, schema_version, e.what(),
                hot ? "the upgrade is not kept: the next command rolls back what it wrote, which "
                      "leaves the file as it was"
                    : "it is left as it was"));
        }
    }
    // An older database switches to WAL only once migrated: a failed migration rolls back in the
    // file's own journal mode, which leaves the file byte for byte as it was (header included).
    // Should another process hold it open now, the switch waits for the next migration: the
    // rollback journal is correct, only slower (doctor shows the mode).
    if (!fresh) {
        try {
            db.exec("PRAGMA journal_mode = WAL");
        } catch (const SQLite::Exception&) {
        }
    }
    return true;
}

/// A prepared statement on SQLite's own API: `due` reads thousands of values, and SQLiteCpp's
/// Statement checks the row and copies a shared pointer for each one.
class SqliteStatement final : public StatementImpl {
public:
    SqliteStatement(SQLite::Database& db, std::string_view sql) : db_(db) {
        int rc = sqlite3_prepare_v2(db.getHandle(), sql.data(), static_cast<int>(sql.size()), &q_,
                                    nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(q_);
            fail(rc);
        }
    }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement() override { sqlite3_finalize(q_); }
    int parameter_index(std::string_view name) override {
        int i = sqlite3_bind_parameter_index(q_, std::string(name).c_str());
        if (i == 0) throw DatabaseError(fmt::format("internal: no parameter {}", name));
        return i;
    }
    int parameter_count() override { return sqlite3_bind_parameter_count(q_); }
    void bind_int(int i, std::int64_t v) override { check(sqlite3_bind_int64(q_, i, v)); }
    void bind_double(int i, double v) override { check(sqlite3_bind_double(q_, i, v)); }
    void bind_text(int i, std::string_view v) override {
        check(sqlite3_bind_text64(q_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_null(int i) override { check(sqlite3_bind_null(q_, i)); }
    bool step() override {
        int rc = sqlite3_step(q_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(rc);
    }
    int changes() override { return sqlite3_changes(db_.getHandle()); }
    void reset() override { check(sqlite3_reset(q_)); }
    void clear_bindings() override { sqlite3_clear_bindings(q_); }
    // The callers read only columns of their own statements, on a row step() returned.
    bool is_null(int c) override { return sqlite3_column_type(q_, c) == SQLITE_NULL; }
    std::int64_t get_int(int c) override { return sqlite3_column_int64(q_, c); }
    double get_double(int c) override { return sqlite3_column_double(q_, c); }
    std::string get_text(int c) override {
        const auto* text = sqlite3_column_text(q_, c);
        if (text == nullptr) return {};
        return {reinterpret_cast<const char*>(text),
                static_cast<std::size_t>(sqlite3_column_bytes(q_, c))};
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(rc);
    }
    /// SQLite's message for `rc` as the project's DatabaseError (as SQLiteCpp's would be).
    [[noreturn]] void fail(int rc) { throw_sqlite(SQLite::Exception(db_.getHandle(), rc)); }
    SQLite::Database& db_;
    sqlite3_stmt* q_{};
};

class SqliteConnection final : public Connection {
public:
    /// `fold` folds the log at close whatever its length (after creating or upgrading the
    /// database, so that the file alone holds its schema).
    SqliteConnection(std::unique_ptr<SQLite::Database> db, std::string path, bool fold)
        : db_(std::move(db)), path_(std::move(path)), fold_(fold) {}
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection() override {
        // A command leaves what it wrote in the log (on disk since its commit) for the next
        // ones to read from there; every few commands, once the log is long enough that reading
        // it at the start of each command costs more than copying it, the closing one copies it
        // into the database file and empties it. It never waits: while another process reads
        // or writes, SQLite copies what it can and leaves the log for a later command to empty
        // (a TRUNCATE checkpoint that cannot lock becomes a passive one). A command that created
        // or upgraded the database folds it whatever its length: the file alone then holds the
        // schema.
        if (path_.empty() || sqlite3_db_readonly(db_->getHandle(), "main") == 1) return;
        // The log as SQLite names it: beside the file a symlink leads to.
        const char* wal = sqlite3_filename_wal(sqlite3_db_filename(db_->getHandle(), "main"));
        struct stat st {};
        if (wal == nullptr || ::stat(wal, &st) != 0 || (st.st_size < fold_log_bytes && !fold_))
            return;
        sqlite3_busy_timeout(db_->getHandle(), 0);
        checkpoint_log(db_->getHandle());
    }
    [[nodiscard]] Dialect dialect() const override { return Dialect::sqlite; }
    std::unique_ptr<StatementImpl> prepare(std::string_view sql) override {
        return std::make_unique<SqliteStatement>(*db_, sql);
    }
    void exec(std::string_view sql) override {
        try {
            db_->exec(std::string(sql));
        } catch (const SQLite::Exception& e) {
            throw_sqlite(e);
        }
    }
    std::int64_t last_insert_id() override { return db_->getLastInsertRowid(); }
    void begin(bool write) override { exec(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"); }
    void commit() override { exec("COMMIT"); }
    void rollback() override { exec("ROLLBACK"); }
    int stored_version() override {
        try {
            return db_->execAndGet("PRAGMA user_version").getInt();
        } catch (const SQLite::Exception& e) {
            throw_sqlite(e);
        }
    }
    [[nodiscard]] std::string where() const override { return path_.empty() ? ":memory:" : path_; }
    void expect_bulk(bool bulk) override {
        // `due` reads each page of its listing once (and the inner pages of a few indexes):
        // 256 KiB keeps those, and every page more is a page fault to set up (at 100,000
        // contacts, 67 fewer than with 512 KiB for 5 pages read again). A bulk load of
        // thousands of records wants the whole working set cached.
        // A bulk load also skips the CHECK constraints (see Importer::run): their values come
        // from followup's own lists. The pragma re-prepares statements, on and off.
        exec(bulk ? "PRAGMA cache_size = -65536; PRAGMA ignore_check_constraints = ON"
                  : "PRAGMA cache_size = -256; PRAGMA ignore_check_constraints = OFF");
    }
    SQLite::Database& native() { return *db_; }

private:
    std::unique_ptr<SQLite::Database> db_;
    std::string path_;
    bool fold_;
};

} // namespace

std::string_view sqlite_hint(int code) {
    switch (code) {
    case SQLITE_FULL:
        return " (nothing was written)";
    case SQLITE_IOERR:
        return " (nothing was written; is the disk full, or a file size limit reached?)";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return " (see 'followup doctor')";
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return " (check the permissions of the database and its -wal and -shm files: "
               "see 'followup doctor')";
    default:
        return "";
    }
}

void throw_sqlite(const SQLite::Exception& e) {
    throw DatabaseError(
        fmt::format("database error: {}{}", e.what(), sqlite_hint(e.getErrorCode())));
}

std::string companion_base(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_symlink(path, ec)) return path;
    auto target = std::filesystem::canonical(path, ec);
    return ec ? path : target.string();
}

void fold_log(Connection& c) {
    SQLite::Database& db = sqlite_database(c);
    int rc = checkpoint_log(db.getHandle());
    if (rc != SQLITE_OK) throw_sqlite(SQLite::Exception(db.getHandle(), rc));
}

SQLite::Database& sqlite_database(Connection& c) {
    auto* s = dynamic_cast<SqliteConnection*>(&c);
    if (s == nullptr) throw DatabaseError("this works on a SQLite database only");
    return s->native();
}

std::unique_ptr<Connection> open_sqlite(const std::string& path, bool& created) {
    // followup never asks SQLite how much memory it uses: without the statistics, every
    // allocation SQLite makes skips a global mutex. Must come before SQLite initialises.
    static const int memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus;
    const bool memory = path == ":memory:";
    created = false;
    try {
        if (!memory) require_database_file(path);
        if (!memory) created = create_file(path);
        // Creating the database (an empty file: its header, WAL, the tables) is done by one
        // process at a time: the others wait here, then find it made.
        CreationLock creation(memory ? "" : path);
        // What a killed backup or restore left beside the database goes on the next run.
        if (!memory) remove_stale_temporaries(std::filesystem::path(path).parent_path().string());
        // One connection per process, used from one thread: no SQLite mutexes needed.
        auto db = std::make_unique<SQLite::Database>(
            path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, busy_timeout_ms);
        if (!memory) open_readonly_fallback(db, path);
        // fold() before the migrations: version 7 makes the name keys again with it.
        db->createFunction("fold", 1, true, nullptr, &sql_fold);
        const bool migrated = migrate(*db);
        // Each commit is flushed to the write-ahead log before the command reports it
        // (synchronous=FULL): what followup says it wrote survives a power cut. Closing does not
        // copy the log into the database file (SQLite's default, two more flushes on every
        // command that wrote); ~SqliteConnection does, once the log is long (fold_log_bytes).
        db->exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL");
        sqlite3_db_config(db->getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        // The log file stays when emptied (truncated to at most 4 MiB by a restart) instead of
        // being deleted and created again.
        int persist = 1;
        sqlite3_file_control(db->getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
        db->exec("PRAGMA journal_size_limit = 4194304");
        return std::make_unique<SqliteConnection>(std::move(db), memory ? "" : path, migrated);
    } catch (const SQLite::Exception& e) {
        bool damaged = e.getErrorCode() == SQLITE_CORRUPT || e.getErrorCode() == SQLITE_NOTADB;
        throw DatabaseError(fmt::format("cannot open database {}: {}{}", path, e.what(),
                                        damaged ? " (see 'followup doctor')" : ""));
    }
}

} // namespace followup::sql
