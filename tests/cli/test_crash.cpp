// Crash safety: `followup import` killed with SIGKILL at random moments leaves a database that
// passes PRAGMA integrity_check and holds all of the import or none of it.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)
constexpr int rows = 10'000; // the sanitizer build is several times slower
#else
constexpr int rows = 100'000;
#endif
constexpr int kills = 20;

/// Starts followup in the background with stdout and stderr discarded.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& home) {
    std::vector<std::string> argv_s{FOLLOWUP_BIN};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin", "TZ=America/New_York",
                                   "HOME=" + home.string()};
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
        if (const char* v = std::getenv(name)) env_s.push_back(std::string(name) + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_s)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn failed");
    return pid;
}

/// Waits for the child; its exit status, or 128 + signal.
int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct State {
    std::string integrity;
    int contacts{};
    int interactions{};
};

State inspect(const std::filesystem::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READWRITE); // read-write: recovers the WAL
    State s;
    s.integrity = d.execAndGet("PRAGMA integrity_check").getString();
    s.contacts = d.execAndGet("SELECT count(*) FROM contacts").getInt();
    s.interactions = d.execAndGet("SELECT count(*) FROM interactions").getInt();
    return s;
}

} // namespace

TEST(Crash, ImportKilledAtTwentyRandomMomentsIsAllOrNothing) {
    SQLITE_FILE_ONLY();
    e2e::Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    // A database with something in it, kept as a single checkpointed file to start each run from.
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example"});
    s.ok({"add", "Bob Stone", "--tag", "bni"});
    const auto seed = s.dir() / "seed.db";
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::filesystem::copy_file(s.db(), seed);
    const State before = inspect(seed);
    ASSERT_EQ(before.contacts, 2);

    // A LinkedIn export: every row is a new contact and a touch.
    const auto csv = s.dir() / "Connections.csv";
    {
        std::ofstream f(csv, std::ios::binary);
        f << "Notes:\r\n\"Some email addresses are missing.\"\r\n\r\n"
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n";
        for (int i = 0; i < rows; ++i)
            f << "Person" << i << ",Crash,https://www.linkedin.com/in/p" << i << ",p" << i
              << "@crash.example,\"Firm " << i % 97 << ", Ltd\",Role,1" << i % 9 << " Mar 2025\r\n";
    }
    const auto db = s.dir() / "run.db";
    auto fresh = [&] {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(db.string() + suffix);
        std::filesystem::copy_file(seed, db);
    };
    const std::vector<std::string> args{"--db", db.string(), "import", csv.string()};

    // How long a whole import takes here, to spread the kills over it.
    fresh();
    auto start = Clock::now();
    ASSERT_EQ(reap(spawn(args, s.dir())), 0);
    const auto full = Clock::now() - start;
    const State done = inspect(db);
    ASSERT_EQ(done.integrity, "ok");
    ASSERT_EQ(done.contacts, before.contacts + rows);
    ASSERT_EQ(done.interactions, before.interactions + rows);

    // Kill moments spread over the run. A kill that comes after the process has ended (the
    // machine was faster than the timing run) does not count: the window shrinks and it tries
    // again, until 20 kills have hit a running import.
    std::mt19937 rng(20261122);
    auto window = std::chrono::duration_cast<std::chrono::microseconds>(full).count();
    int landed = 0, none = 0, attempts = 0;
    while (landed < kills && attempts < 4 * kills) {
        ++attempts;
        fresh();
        const auto delay =
            std::chrono::microseconds(std::uniform_int_distribution<long long>(0, window)(rng));
        pid_t pid = spawn(args, s.dir());
        std::this_thread::sleep_for(delay);
        ::kill(pid, SIGKILL);
        int status = reap(pid);
        State after = inspect(db);
        EXPECT_EQ(after.integrity, "ok") << "kill after " << delay.count() << " us";
        bool nothing =
            after.contacts == before.contacts && after.interactions == before.interactions;
        bool everything =
            after.contacts == done.contacts && after.interactions == done.interactions;
        EXPECT_TRUE(nothing || everything)
            << "kill after " << delay.count() << " us (status " << status << "): " << after.contacts
            << " contacts, " << after.interactions << " interactions";
        if (status == 128 + SIGKILL) {
            ++landed;
            none += nothing;
        } else {
            EXPECT_EQ(status, 0);
            window = window * 7 / 10;
        }
    }
    EXPECT_EQ(landed, kills) << "only " << landed << " of " << attempts
                             << " kills hit a running import";
    // Nearly every kill lands inside the transaction, before its commit.
    EXPECT_GE(none, kills / 2);
    RecordProperty("kills_with_nothing_written", none);
    RecordProperty("attempts", attempts);
}

namespace {

/// The files in a folder whose name marks them as followup's temporaries.
std::vector<std::string> temporaries(const std::filesystem::path& dir) {
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().find("followup-tmp") != std::string::npos)
            found.push_back(e.path().filename().string());
    return found;
}

std::string integrity_of(const std::filesystem::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.execAndGet("PRAGMA integrity_check").getString();
}

} // namespace

TEST(Crash, BackupAndRestoreKilledAtRandomMomentsLeaveNothingBehind) {
    SQLITE_FILE_ONLY();
    e2e::Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    // A database of a few MB, so that a backup or a restore takes a while.
    const auto csv = s.dir() / "people.csv";
    {
        std::ofstream f(csv, std::ios::binary);
        f << "name,email,company,notes\n";
        for (int i = 0; i < rows / 4; ++i)
            f << "Person " << i << ",p" << i << "@crash.example,Firm " << i % 97 << ","
              << std::string(100, 'n') << "\n";
    }
    s.ok({"import", csv.string()});
    const auto db = s.db();
    const auto dir = s.dir() / "backups";
    std::filesystem::create_directories(dir);
    const auto good = dir / "good.db";
    s.ok({"backup", good.string()});

    struct Case {
        std::string name;
        std::vector<std::string> args; ///< the command killed
        std::vector<std::string> next; ///< the next command, which cleans up
        std::filesystem::path folder;  ///< where its temporaries go
    };
    const std::vector<Case> cases{
        {"backup",
         {"--db", db.string(), "backup", (dir / "b.db").string(), "--force"},
         {"--db", db.string(), "backup", (dir / "b2.db").string(), "--force"},
         dir},
        {"restore",
         {"--db", db.string(), "restore", good.string(), "--yes"},
         {"--db", db.string(), "contacts", "--format", "csv"},
         s.dir()},
    };
    std::mt19937 rng(20261128);
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto start = Clock::now();
        ASSERT_EQ(reap(spawn(c.args, s.dir())), 0);
        auto window =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
        int landed = 0, attempts = 0;
        while (landed < kills && attempts < 4 * kills) {
            ++attempts;
            const auto delay =
                std::chrono::microseconds(std::uniform_int_distribution<long long>(0, window)(rng));
            pid_t pid = spawn(c.args, s.dir());
            std::this_thread::sleep_for(delay);
            ::kill(pid, SIGKILL);
            int status = reap(pid);
            if (status == 128 + SIGKILL) {
                ++landed;
            } else {
                EXPECT_EQ(status, 0);
                window = window * 7 / 10;
            }
            ASSERT_EQ(reap(spawn(c.next, s.dir())), 0) << "kill after " << delay.count() << " us";
            EXPECT_EQ(temporaries(c.folder), std::vector<std::string>{})
                << "kill after " << delay.count() << " us";
            EXPECT_EQ(temporaries(s.dir()), std::vector<std::string>{});
            EXPECT_EQ(integrity_of(db), "ok");
            // What is there under a final name is complete: a backup, or the copy a restore
            // keeps of the database it replaces.
            for (const auto& e : std::filesystem::directory_iterator(c.folder)) {
                const std::string name = e.path().filename().string();
                const bool companion =
                    name.ends_with("-wal") || name.ends_with("-shm") || name.ends_with("-journal");
                if (!companion &&
                    (name.ends_with(".db") || name.find(".before-restore-") != std::string::npos)) {
                    EXPECT_EQ(integrity_of(e.path()), "ok") << name;
                }
            }
        }
        EXPECT_EQ(landed, kills) << "only " << landed << " of " << attempts << " kills landed";
        RecordProperty(c.name + "_attempts", attempts);
    }
}
