// Faults through the real binary: files that are not followup databases, damaged files,
// folders and files we may not write, a write that hits a file size limit, hostile text and
// out-of-range values. Every failure: the exit status, one "followup: " line on stderr, and the
// database (main file and write-ahead log) left byte-for-byte as it was.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using e2e::json;
using e2e::Sandbox;
namespace fs = std::filesystem;

namespace {

constexpr const char* faketime_lib = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
constexpr uid_t nobody = 65534;

/// The bytes of a database: main file and write-ahead log ("(none)" when there is none).
struct Bytes {
    std::string main;
    std::string wal;
    bool operator==(const Bytes&) const = default;
};

Bytes bytes_of(const fs::path& db) {
    fs::path wal = db.string() + "-wal";
    return {e2e::slurp(db), fs::exists(wal) ? e2e::slurp(wal) : std::string("(none)")};
}

/// Checks a failed run: its status, one stderr line starting with "followup: " that names
/// `needle`, and nothing on stdout.
void expect_failure(const e2e::Result& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.out << r.err;
    EXPECT_TRUE(r.err.starts_with("followup: ")) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line:\n" << r.err;
    EXPECT_NE(r.err_line().find(needle), std::string::npos) << r.err;
}

/// Runs a command that must fail, and checks that the database did not change.
e2e::Result expect_untouched_failure(const Sandbox& s, const std::vector<std::string>& args,
                                     int status, const std::string& needle) {
    const Bytes before = bytes_of(s.db());
    e2e::Result r = s.run(args);
    expect_failure(r, status, needle);
    EXPECT_TRUE(bytes_of(s.db()) == before) << "the database changed";
    return r;
}

/// Runs followup behind a wrapper command (`prefix`, e.g. setpriv or a shell that sets a
/// limit), with the harness's environment: frozen clock, TZ, HOME in the sandbox.
e2e::Result run_wrapped(const Sandbox& s, const std::vector<std::string>& prefix,
                        const std::vector<std::string>& args, const fs::path& db = {}) {
    static int n = 0;
    const fs::path io = s.dir() / ".io-wrapped";
    fs::create_directories(io);
    const fs::path out = io / ("out" + std::to_string(++n));
    const fs::path err = io / ("err" + std::to_string(n));
    std::vector<std::string> argv_s = prefix;
    argv_s.insert(argv_s.end(), {FOLLOWUP_BIN, "--db", (db.empty() ? s.db() : db).string()});
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s{
        "PATH=/usr/bin:/bin",
        "HOME=" + s.dir().string(),
        "TZ=" + s.tz,
        "FAKETIME_FMT=%s",
        "FAKETIME=" + std::to_string(e2e::epoch("2026-11-20T13:00:00Z")),
        "FAKETIME_DONT_FAKE_MONOTONIC=1",
        "FAKETIME_NO_CACHE=1",
        "ASAN_OPTIONS=verify_asan_link_order=0",
    };
    // libfaketime comes last, right before followup: in a process that changes user first
    // (setpriv) it would set up shared memory the other user may not open.
    if (std::find(prefix.begin(), prefix.end(), "/usr/bin/env") == prefix.end())
        env_s.push_back(std::string("LD_PRELOAD=") + faketime_lib);
    std::vector<char*> argv, envp;
    for (auto& a : argv_s)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_s)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    e2e::Result r;
    if (rc != 0) {
        ADD_FAILURE() << "posix_spawn " << argv[0] << ": " << std::strerror(rc);
        return r;
    }
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    r.out = e2e::slurp(out);
    r.err = e2e::slurp(err);
    return r;
}

/// How to run as an unprivileged user: nothing to add when we are not root; as root (where
/// permission bits stop nothing), setpriv to the user nobody. nullopt: not possible here.
std::optional<std::vector<std::string>> unprivileged() {
    if (::geteuid() != 0) return std::vector<std::string>{};
    if (::access("/usr/bin/setpriv", X_OK) != 0) return std::nullopt;
    return std::vector<std::string>{"/usr/bin/setpriv", "--reuid=65534",
                                    "--regid=65534",    "--clear-groups",
                                    "/usr/bin/env",     "LD_PRELOAD=" + std::string(faketime_lib)};
}

/// Gives the sandbox to the unprivileged user (when we are root).
void hand_over(const Sandbox& s) {
    if (::geteuid() != 0) return;
    for (const auto& e : fs::recursive_directory_iterator(s.dir()))
        EXPECT_EQ(::lchown(e.path().c_str(), nobody, nobody), 0) << e.path();
    EXPECT_EQ(::chown(s.dir().c_str(), nobody, nobody), 0);
}

void seed(Sandbox& s) {
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza", "--company", "Acme", "--email", "ana@acme.example"});
    s.ok({"add", "Bob Chen", "--tag", "vip"});
    s.ok({"add", "José Álvarez", "--event", "Chamber Mixer"});
    s.at("2026-11-20T13:00:00Z");
}

/// Writes everything into the main file and removes the -wal and -shm files.
void checkpoint(const fs::path& db) {
    {
        SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } // the last connection to close deletes the (empty) log
    fs::remove(db.string() + "-wal");
    fs::remove(db.string() + "-shm");
}

} // namespace

TEST(Faults, TextFileIsNotADatabase) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    {
        std::ofstream f(s.db());
        f << "name,email\nAna,ana@example.com\n";
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"due"}, {"add", "Ana"}, {"contacts"}, {"show", "1"}, {"backup", "b.db"}}) {
        e2e::Result r = expect_untouched_failure(s, args, 1, "not a database");
        EXPECT_TRUE(r.err_line().starts_with("followup: cannot open database " + s.db().string() +
                                             ": file is not a database") ||
                    args[0] == "backup")
            << r.err;
    }
    EXPECT_FALSE(fs::exists(s.db().string() + "-wal"));
    EXPECT_FALSE(fs::exists(s.db().string() + "-shm"));
    EXPECT_FALSE(fs::exists(s.dir() / "b.db"));
}

TEST(Faults, TruncatedDatabase) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    checkpoint(s.db());
    const std::string whole = e2e::slurp(s.db());
    ASSERT_GT(whole.size(), 8192u);
    {
        std::ofstream f(s.db(), std::ios::binary | std::ios::trunc);
        f << whole.substr(0, whole.size() / 2);
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"due", "--all"}, {"add", "Carl"}, {"contacts"}, {"done", "1"}}) {
        e2e::Result r = expect_untouched_failure(s, args, 1, "database disk image is malformed");
        EXPECT_NE(r.err_line().find("followup doctor"), std::string::npos) << r.err;
    }
    e2e::Result doctor = s.run({"doctor"});
    EXPECT_EQ(doctor.status, 1);
    EXPECT_NE(doctor.out.find("PROBLEM"), std::string::npos) << doctor.out;
    EXPECT_NE(doctor.out.find("followup restore FILE"), std::string::npos) << doctor.out;
}

TEST(Faults, ZeroLengthFileBecomesANewDatabase) {
    SQLITE_FILE_ONLY();
    // SQLite reads an empty file as an empty database, and so does followup: it is a database
    // not created yet (as after `touch f.db`), and the first command creates the tables.
    Sandbox s;
    std::ofstream(s.db()).close();
    EXPECT_EQ(s.ok({"due"}), "Nothing due.\n");
    EXPECT_GT(fs::file_size(s.db()), 0u);
    s.ok({"add", "Ana Souza"});
    EXPECT_EQ(s.json_of({"contacts"}).size(), 1u);
    SQLite::Database d(s.db().string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("PRAGMA user_version").getInt(), 7);
}

TEST(Faults, AnotherProgramsDatabaseIsLeftAlone) {
    SQLITE_FILE_ONLY();
    // A SQLite file with tables but no followup schema version (say --db pointed at a browser's
    // history) must not get followup's tables added to it.
    Sandbox s;
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        d.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
               "INSERT INTO moz_places (url) VALUES ('https://example.com')");
    }
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"due"}, {"add", "Ana"}, {"contacts"}})
        expect_untouched_failure(s, args, 1, "is not a followup database");
    EXPECT_FALSE(fs::exists(s.db().string() + "-wal"));
    SQLite::Database d(s.db().string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 1);
}

TEST(Faults, UnwritableFolder) {
    SQLITE_FILE_ONLY();
    auto as_user = unprivileged();
    if (!as_user) GTEST_SKIP() << "running as root without setpriv: permissions stop nothing";
    Sandbox s;
    seed(s);
    const fs::path ro = s.dir() / "ro";
    fs::create_directory(ro);
    checkpoint(s.db());
    // An existing database, with its -wal and -shm, in a folder made read-only afterwards.
    fs::copy_file(s.db(), ro / "f.db");
    {
        SQLite::Database d((ro / "f.db").string(), SQLite::OPEN_READWRITE);
        EXPECT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "wal");
    }
    // Another one that followup has used there: its -wal and -shm files exist.
    fs::copy_file(s.db(), ro / "g.db");
    ASSERT_EQ(run_wrapped(s, {}, {"contacts"}, ro / "g.db").status, 0);
    ASSERT_TRUE(fs::exists(ro / "g.db-wal"));
    hand_over(s);
    ASSERT_EQ(::chmod(ro.c_str(), 0500), 0);
    auto run = [&](const fs::path& db, const std::vector<std::string>& args) {
        return run_wrapped(s, *as_user, args, db);
    };

    // No database yet: it cannot be created, and nothing is left behind.
    e2e::Result r = run(ro / "new.db", {"add", "Ana"});
    expect_failure(r, 1, "cannot create database " + (ro / "new.db").string());
    EXPECT_NE(r.err_line().find("Permission denied"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ro / "new.db"));

    // With its -wal and -shm files there, a database works as anywhere else: the folder's
    // permissions protect the list of files, not what is in them.
    r = run(ro / "g.db", {"add", "Carl"});
    EXPECT_EQ(r.status, 0) << r.err;
    r = run(ro / "g.db", {"contacts", "--format", "json"});
    EXPECT_EQ(r.json_out().size(), 4u);

    // No -wal file (SQLite would have to create it): reads still work, as an immutable file;
    // a write fails with one clear line and changes nothing.
    ASSERT_FALSE(fs::exists(ro / "f.db-wal"));
    const Bytes before = bytes_of(ro / "f.db");
    r = run(ro / "f.db", {"due", "--all", "--format", "json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.json_out().size(), 9u);
    r = run(ro / "f.db", {"add", "Carl"});
    expect_failure(r, 1, "attempt to write a readonly database");
    EXPECT_TRUE(bytes_of(ro / "f.db") == before);
    r = run(ro / "f.db", {"doctor"});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("read only: the folder cannot be written to"), std::string::npos) << r.out;
    int files = 0;
    for (const auto& e : fs::directory_iterator(ro)) {
        (void)e;
        ++files;
    }
    EXPECT_EQ(files, 4) << "f.db, g.db, g.db-wal, g.db-shm";
    ::chmod(ro.c_str(), 0700);
}

TEST(Faults, ReadOnlyDatabaseFile) {
    SQLITE_FILE_ONLY();
    auto as_user = unprivileged();
    if (!as_user) GTEST_SKIP() << "running as root without setpriv: permissions stop nothing";
    Sandbox s;
    seed(s);
    hand_over(s);
    ASSERT_EQ(::chmod(s.db().c_str(), 0400), 0);
    const Bytes before = bytes_of(s.db());

    // Reads work.
    e2e::Result r = run_wrapped(s, *as_user, {"due", "--all", "--format", "json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.json_out().size(), 9u);
    r = run_wrapped(s, *as_user, {"show", "Ana", "--format", "json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.json_out()["email"], "ana@acme.example");

    // Writes fail with one clear line and change nothing.
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"add", "Carl"}, {"done", "1"}, {"log", "Ana Souza", "--note", "Call"}}) {
        r = run_wrapped(s, *as_user, args);
        expect_failure(r, 1, "attempt to write a readonly database");
        EXPECT_NE(r.err_line().find("followup doctor"), std::string::npos) << r.err;
    }
    EXPECT_TRUE(bytes_of(s.db()) == before);
    EXPECT_EQ(s.json_of({"contacts"}).size(), 3u); // as root again

    // doctor says it is read-only, and that is no problem.
    r = run_wrapped(s, *as_user, {"doctor"});
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("read-only: commands that write fail"), std::string::npos) << r.out;
}

TEST(Faults, ReadOnlyLogFilesLeftByAReadOnlyRunAreDiagnosed) {
    SQLITE_FILE_ONLY();
    // A run while the database file was read-only, with no -wal and -shm, makes SQLite create
    // them read-only too. Once the file is writable again every write still fails: doctor
    // names the files and the chmod that fixes them.
    auto as_user = unprivileged();
    if (!as_user) GTEST_SKIP() << "running as root without setpriv: permissions stop nothing";
    Sandbox s;
    seed(s);
    checkpoint(s.db());
    hand_over(s);
    ASSERT_EQ(::chmod(s.db().c_str(), 0400), 0);
    e2e::Result r = run_wrapped(s, *as_user, {"contacts"});
    EXPECT_EQ(r.status, 0) << r.err;
    ASSERT_EQ(::chmod(s.db().c_str(), 0600), 0);
    r = run_wrapped(s, *as_user, {"add", "Carl"});
    if (r.status == 0) GTEST_SKIP() << "this SQLite does not leave read-only log files";
    expect_failure(r, 1, "readonly");
    r = run_wrapped(s, *as_user, {"doctor"});
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("PROBLEM  permissions"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("chmod u+w"), std::string::npos) << r.out;
    ASSERT_EQ(::chmod((s.db().string() + "-shm").c_str(), 0600), 0);
    ::chmod((s.db().string() + "-wal").c_str(), 0600);
    r = run_wrapped(s, *as_user, {"add", "Carl"});
    EXPECT_EQ(r.status, 0) << r.err;
}

/// Leaves a hot journal beside `db`: a write in rollback-journal mode whose process dies before
/// it commits, after some of its pages went to the main file (a cache of one page spills them).
void leave_hot_journal(const fs::path& db) {
    {
        SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA journal_mode = DELETE");
    }
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        try {
            SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
            d.exec("PRAGMA cache_size = 1");
            d.exec("BEGIN IMMEDIATE");
            d.exec("CREATE TABLE junk (x BLOB)");
            d.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                   "INSERT INTO junk SELECT randomblob(2000) FROM n");
            d.exec("UPDATE contacts SET notes = 'half-written'");
            ::_exit(0); // dies mid-transaction: no commit, no rollback
        } catch (...) {
            ::_exit(1);
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_GT(fs::file_size(db.string() + "-journal"), 0u);
}

TEST(Faults, DoctorTellsAHotJournalFromDamageAndWritesNothing) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    checkpoint(s.db());
    leave_hot_journal(s.db());
    const std::string journal = s.db().string() + "-journal";
    const std::string before = e2e::slurp(s.db()), journal_before = e2e::slurp(journal);
    e2e::Result r = s.run({"doctor"});
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("PROBLEM  journal  " + journal +
                         " is a hot journal: a write was interrupted; the next command rolls "
                         "it back (recoverable: nothing committed is lost)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("roll it back with any command"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("restore"), std::string::npos) << "no damage, no restore:\n" << r.out;
    EXPECT_EQ(e2e::slurp(s.db()), before);
    EXPECT_EQ(e2e::slurp(journal), journal_before);

    // In a folder it may not write to (as another user), doctor still only looks.
    if (auto as_user = unprivileged()) {
        hand_over(s);
        ASSERT_EQ(::chmod(s.dir().c_str(), 0500), 0);
        r = run_wrapped(s, *as_user, {"doctor"});
        EXPECT_EQ(r.status, 1) << r.out << r.err;
        EXPECT_NE(r.out.find("is a hot journal"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("make the database and its folder writable"), std::string::npos)
            << r.out;
        EXPECT_EQ(e2e::slurp(s.db()), before);
        EXPECT_EQ(e2e::slurp(journal), journal_before);
        ASSERT_EQ(::chmod(s.dir().c_str(), 0700), 0);
    }
    // The next command rolls it back; then all is well, the half-written change gone.
    EXPECT_EQ(s.json_of({"contacts"}).size(), 3u);
    EXPECT_FALSE(fs::exists(journal));
    EXPECT_EQ(s.json_of({"doctor"})["ok"], true);
    EXPECT_NE(s.json_of({"show", "Bob Chen"})["notes"], "half-written");
}

TEST(Faults, DoctorTellsOwnershipFromMode) {
    SQLITE_FILE_ONLY();
    // A -wal of another user (root, after a `sudo followup`): chmod cannot help, chown can.
    auto as_user = unprivileged();
    if (!as_user || ::geteuid() != 0) GTEST_SKIP() << "needs root to give a file away";
    Sandbox s;
    seed(s);
    s.ok({"contacts"});
    hand_over(s);
    const std::string wal = s.db().string() + "-wal";
    ASSERT_TRUE(fs::exists(wal));
    ASSERT_EQ(::chown(wal.c_str(), 0, 0), 0);
    ASSERT_EQ(::chmod(wal.c_str(), 0600), 0);
    e2e::Result r = run_wrapped(s, *as_user, {"doctor"});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("PROBLEM  permissions  " + wal +
                         " is owned by root, not by you (nobody): followup cannot write it"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("give it back to yourself (as root, e.g. with sudo): chown nobody " + wal),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("chmod"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("damaged"), std::string::npos) << r.out;
}

TEST(Faults, FileSizeLimitMidWriteRollsBack) {
    SQLITE_FILE_ONLY();
    // A full disk, simulated with a file size limit (ulimit -f, in 512-byte blocks: 32 KiB)
    // that the write-ahead log reaches half-way through the command. SIGXFSZ is ignored, so
    // the write fails with EFBIG instead of killing the process.
    Sandbox s;
    seed(s);
    const Bytes before = bytes_of(s.db());
    const std::vector<std::string> limited{"/bin/sh", "-c",
                                           "trap '' XFSZ; ulimit -f 64; exec \"$@\"", "sh"};
    // One argument may hold at most 128 KiB on Linux (MAX_ARG_STRLEN): a note of 120 000 bytes.
    std::string note;
    while (note.size() < 120'000)
        note += "Notes that will not fit. ";
    e2e::Result r = run_wrapped(s, limited, {"add", "Big Note", "--note", note});
    expect_failure(r, 1, "database error: disk I/O error (nothing was written");
    // The database file is as it was, and so is the log up to its last commit: the failed write
    // may have left frames after it, which SQLite never reads and the next write overwrites.
    const Bytes after = bytes_of(s.db());
    EXPECT_TRUE(after.main == before.main) << "the database file changed";
    EXPECT_TRUE(after.wal.starts_with(before.wal)) << "the committed log changed";

    // Everything from before is there, the file is sound, and the next command works.
    EXPECT_EQ(s.json_of({"contacts"}).size(), 3u);
    EXPECT_EQ(s.json_of({"due", "--all"}).size(), 9u);
    json doctor = s.json_of({"doctor"});
    EXPECT_EQ(doctor["ok"], true) << doctor.dump(2);
    s.ok({"add", "Big Note", "--note", note});
    EXPECT_EQ(s.json_of({"show", "Big Note"})["notes"], note);
}

TEST(Faults, FileSizeLimitWithoutIgnoringTheSignal) {
    SQLITE_FILE_ONLY();
    // `ulimit -f` without the trap of the test above: followup itself ignores SIGXFSZ, so that a
    // write past the limit fails (EFBIG) instead of killing the process with status 153. Limits
    // from 4 KiB up: low ones stop the write-ahead log (nothing committed: exit 1, file as it
    // was); higher ones let the command commit into the log, exit 0, where the commit stays
    // (a short log is folded into the file only by a later command, docs/storage.md).
    Sandbox s;
    seed(s);
    checkpoint(s.db());
    const fs::path seeded = s.dir() / "seeded.db";
    fs::copy_file(s.db(), seeded);
    const std::string before = e2e::slurp(seeded);
    int failed = 0, committed = 0;
    for (int blocks = 8; blocks <= 8 * static_cast<int>(before.size() / 4096); blocks += 8) {
        SCOPED_TRACE("ulimit -f " + std::to_string(blocks));
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(s.db().string() + suffix);
        fs::copy_file(seeded, s.db());
        e2e::Result r = run_wrapped(
            s, {"/bin/sh", "-c", "ulimit -f " + std::to_string(blocks) + "; exec \"$@\"", "sh"},
            {"add", "Dee Park"});
        ASSERT_TRUE(r.status == 0 || r.status == 1) << r.status << r.err;
        const std::string wal = s.db().string() + "-wal";
        if (r.status == 1) {
            ++failed;
            expect_failure(r, 1, "disk I/O error"); // opening (the -shm) or writing the log
            EXPECT_EQ(e2e::slurp(s.db()), before) << "the database changed";
            EXPECT_EQ(s.json_of({"contacts"}).size(), 3u);
        } else {
            EXPECT_TRUE(r.out.starts_with("Added #4 Dee Park")) << r.out;
            EXPECT_EQ(r.err, "");
            if (fs::exists(wal) && fs::file_size(wal) > 0) ++committed;
            EXPECT_EQ(s.json_of({"contacts"}).size(), 4u);
            EXPECT_EQ(s.json_of({"doctor"})["ok"], true);
        }
    }
    EXPECT_GT(failed, 0);
    EXPECT_GT(committed, 0) << "no limit let the command commit into the log";
}

TEST(Faults, HostileTextIsStoredAndShownExactly) {
    Sandbox s;
    seed(s);
    // argv cannot carry a NUL byte; NUL in imported files is the importer's (docs/reliability.md).
    const std::vector<std::string> names{
        "O'Brien \"Bob\"; DROP TABLE contacts;--",
        "100% %s%n%x %p {} {0}",
        "Line one\nLine two",
        "\u200f\u202eRTL override\u202c mark",
        "Emoji 😀 👩‍👩‍👧 family",
        "Tab\tand\rreturn",
        "\\ backslash \\n not a newline",
    };
    std::string long_note;
    while (long_note.size() < 100'000)
        long_note += "Ünïcödé ✓ — \"quoted\" 'single' ; % \n";
    std::vector<long long> ids;
    for (const auto& name : names) {
        std::string out = s.ok({"add", name, "--plan", "none", "--note", name + "\n" + long_note,
                                "--company", name, "--tag", name});
        ASSERT_TRUE(out.starts_with("Added #")) << out;
        ids.push_back(std::stoll(out.substr(7)));
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        json card = s.json_of({"show", "#" + std::to_string(ids[i])});
        EXPECT_EQ(card["name"], names[i]);
        EXPECT_EQ(card["company"], names[i]);
        EXPECT_EQ(card["notes"], names[i] + "\n" + long_note);
        EXPECT_EQ(card["tags"], json::array({names[i]}));
    }
    // The table keeps one line per contact, whatever the names hold.
    std::string table = s.ok({"contacts", "--no-color"});
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 1 + 3 + names.size()) << table;
    EXPECT_EQ(table.find('\r'), std::string::npos);
    std::string due = s.ok({"due", "--all", "--no-color"});
    EXPECT_EQ(due.find('\r'), std::string::npos);
    // The data survive a backup and restore too.
    s.ok({"backup", (s.dir() / "b.db").string()});
    s.ok({"restore", (s.dir() / "b.db").string(), "--yes"});
    EXPECT_EQ(s.json_of({"show", "#" + std::to_string(ids[2])})["name"], names[2]);
}

TEST(Faults, OutOfRangeDatesAndDurations) {
    SQLITE_FILE_ONLY();
    // 2026-02-30 and other impossible dates: Errors.UnparseableDate. These are far out of range.
    Sandbox s;
    seed(s);
    for (const std::string bad : {"99999-01-01", "+999999999d", "-999999999d", "1e9d",
                                  "99999999999999999999d", "0000-01-01"}) {
        expect_untouched_failure(s, {"todo", "Ana Souza", "Call", "--by", bad}, 2, "'" + bad + "'");
        expect_untouched_failure(s, {"add", "New Person", "--met", bad}, 2, "'" + bad + "'");
        expect_untouched_failure(s, {"snooze", "1", "--until", bad}, 2, "'" + bad + "'");
        expect_untouched_failure(s, {"log", "Ana Souza", "--at", bad}, 2, "'" + bad + "'");
        expect_untouched_failure(s, {"done", "1", "--at", bad}, 2, "'" + bad + "'");
    }
    for (const std::string bad : {"0d", "-5d", "1e9d", "999999999d", "0w"}) {
        expect_untouched_failure(s, {"add", "New Person", "--every", bad}, 2, "'" + bad + "'");
        expect_untouched_failure(s, {"edit", "Ana Souza", "--every", bad}, 2, "'" + bad + "'");
        expect_untouched_failure(s, {"snooze", "1", "--for", bad}, 2, "'" + bad + "'");
    }
    expect_untouched_failure(s, {"due", "--within", "999999999d"}, 2, "'999999999d'");
    EXPECT_EQ(s.json_of({"contacts"}).size(), 3u);
}

// ---------------------------------------------------------------------------------------------
// Issue 34: locations (item 12 and SPEC Version 3 "Locations").

TEST(Faults, OnlyAPathOrAServerIsALocation) {
    SQLITE_FILE_ONLY();
    // `:memory:` said "Added #1" and kept nothing; `file::memory:` did the same and left a 0-byte
    // file; `file:x.db` failed and left one.
    Sandbox s;
    s.use_db_flag = false;
    const fs::path card = s.dir() / "people.csv";
    std::ofstream(card) << "name\nAnn Lee\n";
    const std::string uri = "file:" + (s.dir() / "x.db").string();
    for (const std::string& location : {std::string(":memory:"), std::string("file::memory:"), uri,
                                        std::string("file:x.db?mode=memory")}) {
        SCOPED_TRACE(location);
        const std::string why =
            location == ":memory:"
                ? "an in-memory database keeps nothing; a location is a file path or a "
                  "postgresql:// URI"
                : "a location is a file path or a postgresql:// URI, not a SQLite URI (a file of "
                  "that name: ./" +
                      location + ")";
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"add", "Ann"}, {"import", card.string()}, {"due"}, {"doctor"}}) {
            s.env["FOLLOWUP_DB"] = location;
            e2e::Result r = s.run(args);
            EXPECT_EQ(r.status, 1) << r.out << r.err;
            EXPECT_EQ(r.out, "");
            EXPECT_EQ(r.err, "followup: cannot use database " + location + ": " + why + "\n");
            s.env.erase("FOLLOWUP_DB");
            r = s.run({"--db", location, args[0]});
            EXPECT_EQ(r.status, args[0] == "add" || args[0] == "import" ? 2 : 1) << r.err;
        }
    }
    EXPECT_FALSE(fs::exists(s.dir() / "x.db"));
    EXPECT_FALSE(fs::exists("file::memory:"));
    EXPECT_FALSE(fs::exists("file:x.db"));
    EXPECT_FALSE(fs::exists(":memory:"));
    // A file whose name starts so is still a path: ./file:x.db.
    s.env["FOLLOWUP_DB"] = (s.dir() / "file:x.db").string();
    s.ok({"add", "Ann Lee"});
    EXPECT_TRUE(fs::exists(s.dir() / "file:x.db"));
    // `db copy` takes locations too.
    e2e::Result copy = s.run({"db", "copy", (s.dir() / "file:x.db").string(), ":memory:"});
    EXPECT_EQ(copy.status, 1);
    EXPECT_EQ(copy.err, "followup: cannot use database :memory:: an in-memory database keeps "
                        "nothing; a location is a file path or a postgresql:// URI\n");
}

TEST(Faults, AMissingGivenLocationIsNamedByReadsAndCreatedByWrites) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    const std::string path = s.db().string();
    for (const auto& args : std::vector<std::vector<std::string>>{{"due"},
                                                                  {"due", "--count"},
                                                                  {"contacts"},
                                                                  {"show", "Ann"},
                                                                  {"events"},
                                                                  {"stats"},
                                                                  {"export", "all"},
                                                                  {"remind"}}) {
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, 1) << args[0] << r.out << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err,
                  "followup: no database at " + path + " (a command that writes creates it)\n")
            << args[0];
    }
    EXPECT_FALSE(fs::exists(s.db()));
    // The shell's completion stays quiet.
    e2e::Result c = s.run({"__complete", "contacts"});
    EXPECT_EQ(c.status, 0);
    EXPECT_EQ(c.out + c.err, "");
    // A write creates it and says so, once.
    e2e::Result add = s.run({"add", "Ann Lee"});
    EXPECT_EQ(add.status, 0) << add.err;
    EXPECT_EQ(add.err, "Created a new database at " + path + "\n");
    EXPECT_EQ(s.run({"add", "Bo Chen"}).err, "");
    EXPECT_EQ(s.run({"due"}).status, 0);
    // Through FOLLOWUP_DB alike.
    s.use_db_flag = false;
    const std::string other = (s.dir() / "other.db").string();
    s.env["FOLLOWUP_DB"] = other;
    EXPECT_EQ(s.run({"contacts"}).err,
              "followup: no database at " + other + " (a command that writes creates it)\n");
    EXPECT_EQ(s.run({"add", "Cy"}).err, "Created a new database at " + other + "\n");
    // A write that fails leaves nothing and says nothing of a new database.
    const std::string third = (s.dir() / "third.db").string();
    s.env["FOLLOWUP_DB"] = third;
    e2e::Result bad = s.run({"done", "7"});
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err.find("Created"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(third));
}

TEST(Faults, TheDefaultLocationIsCreatedSilently) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    s.use_db_flag = false;
    e2e::Result due = s.run({"due"});
    EXPECT_EQ(due.status, 0);
    EXPECT_EQ(due.err, "");
    EXPECT_EQ(due.out, "Nothing due.\n");
    e2e::Result add = s.run({"add", "Ann Lee"});
    EXPECT_EQ(add.status, 0);
    EXPECT_EQ(add.err, "");
    EXPECT_TRUE(fs::exists(s.dir() / ".local" / "share" / "followup" / "followup.db"));
}

TEST(Faults, SixteenProcessesCreatingOneDatabaseAllSucceed) {
    SQLITE_FILE_ONLY();
    // Issue 34 item 13: 16 processes adding to a database that did not exist yet: some failed
    // with "database is locked" (17 of 320). Creation is as safe as any other write.
    constexpr int rounds = 10, processes = 16;
    Sandbox shared;
    for (int round = 0; round < rounds; ++round) {
        const std::string db = (shared.dir() / ("new" + std::to_string(round) + ".db")).string();
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int p = 0; p < processes; ++p)
            threads.emplace_back([&, p] {
                Sandbox own;
                own.use_db_flag = false;
                e2e::Result r = own.run({"--db", db, "add", "Person " + std::to_string(p)});
                if (r.status != 0) {
                    ++failures;
                    ADD_FAILURE() << "round " << round << ": " << r.err;
                }
            });
        for (auto& t : threads)
            t.join();
        EXPECT_EQ(failures, 0) << "round " << round;
        SQLite::Database check(db, SQLite::OPEN_READONLY);
        EXPECT_EQ(check.execAndGet("SELECT count(*) FROM contacts").getInt(), processes);
        EXPECT_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "wal");
    }
}

TEST(Faults, DoctorNoticesFilesThatAreNotRegular) {
    SQLITE_FILE_ONLY();
    // Issue 34 item 14: a FIFO in place of the -wal (every write then failed with "disk I/O
    // error") and a database under /proc passed doctor.
    Sandbox s;
    s.ok({"add", "Ann Lee", "--plan", "none"});
    const std::string wal = s.db().string() + "-wal";
    fs::remove(wal);
    ASSERT_EQ(::mkfifo(wal.c_str(), 0600), 0);
    e2e::Result r = s.run({"doctor"});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("PROBLEM  companions  " + wal +
                         " is a FIFO, not a regular file: every command that writes fails"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("rm " + wal), std::string::npos) << r.out;
    e2e::Result add = s.run({"add", "Bo Chen"});
    EXPECT_EQ(add.status, 1);
    EXPECT_EQ(add.err, "followup: database " + s.db().string() + ": " + wal +
                           " is a FIFO, not a regular file (see 'followup doctor')\n");
    fs::remove(wal);
    EXPECT_EQ(s.json_of({"doctor"})["ok"], true);

    s.use_db_flag = false;
    s.env["FOLLOWUP_DB"] = "/proc/self/status";
    e2e::Result d = s.run({"doctor"});
    EXPECT_EQ(d.status, 1);
    EXPECT_EQ(d.err, "followup: /proc/self/status is a file of procfs (/proc), not a database\n");
    e2e::Result b = s.run({"backup", (s.dir() / "b.db").string()});
    EXPECT_EQ(b.status, 1);
    EXPECT_EQ(b.err, "followup: database /proc/self/status is a file of procfs (/proc), not a "
                     "regular file\n");
    EXPECT_FALSE(fs::exists(s.dir() / "b.db"));
    e2e::Result due = s.run({"due"});
    EXPECT_EQ(due.status, 1);
    EXPECT_EQ(due.err, "followup: database /proc/self/status is a file of procfs (/proc), not a "
                       "regular file\n");
}

TEST(Faults, UpgradeStoppedByAFileSizeLimitIsRolledBackToTheSameBytes) {
    SQLITE_FILE_ONLY();
    // Issue 34 item 15: under `ulimit -f` below the file's size, the upgrade of a file with a
    // rollback journal (v1, v4, v5, as shipped and as backups are) fails part-way through its
    // commit: SQLite has written some pages into the file, and cannot write the others back
    // either (the limit stops those writes too), so the journal stays hot. What holds
    // (docs/reliability.md): the command fails (exit 1), saying the upgrade is not kept; every
    // later open rolls the journal back before it reads, which leaves the file byte for byte as
    // it was; then the upgrade runs and every record is there.
    int stopped = 0, journal_left = 0;
    for (const char* version : {"v1", "v4", "v5"}) {
        const fs::path original =
            fs::path(FOLLOWUP_TEST_DATA) / "schema" / (std::string(version) + ".db");
        const std::string before = e2e::slurp(original);
        int contacts = 0;
        {
            SQLite::Database d(original.string(), SQLite::OPEN_READONLY);
            ASSERT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "delete") << version;
            contacts = d.execAndGet("SELECT count(*) FROM contacts").getInt();
        }
        for (std::size_t blocks = 8; blocks * 512 < before.size(); blocks += 8) {
            SCOPED_TRACE(std::string(version) + " ulimit -f " + std::to_string(blocks));
            Sandbox s;
            fs::copy_file(original, s.db());
            ::chmod(s.db().c_str(), 0600);
            e2e::Result r = run_wrapped(
                s, {"/bin/sh", "-c", "ulimit -f " + std::to_string(blocks) + "; exec \"$@\"", "sh"},
                {"contacts"});
            ASSERT_EQ(r.status, 1) << r.out << r.err;
            ++stopped;
            const std::string journal = s.db().string() + "-journal";
            if (fs::exists(journal) && fs::file_size(journal) > 0) {
                ++journal_left;
                expect_failure(r, 1,
                               "the upgrade is not kept: the next command rolls back what "
                               "it wrote, which leaves the file as it was");
                // doctor says so, and changes nothing.
                e2e::Result d = s.run({"doctor"});
                EXPECT_NE(d.out.find("is a hot journal"), std::string::npos) << d.out;
                // Any open rolls it back first: the file is then the original, byte for byte.
                {
                    SQLite::Database db(s.db().string(), SQLite::OPEN_READWRITE);
                    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(),
                              std::stoi(std::string(version).substr(1)));
                }
                EXPECT_FALSE(fs::exists(journal));
            } else {
                expect_failure(r, 1, "it is left as it was");
            }
            EXPECT_TRUE(e2e::slurp(s.db()) == before) << "the file is not as it was";
            // Without the limit, the upgrade runs and keeps every record.
            s.ok({"due"});
            EXPECT_EQ(s.query("SELECT count(*) FROM contacts"), std::to_string(contacts) + "\n");
            EXPECT_EQ(s.query("PRAGMA user_version"), "7\n");
        }
    }
    EXPECT_GT(stopped, 0);
    EXPECT_GT(journal_left, 0) << "no limit stopped the upgrade mid-commit";
}
