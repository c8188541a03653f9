// followup doctor, backup and restore through the real binary, alone and while other processes
// write to the database.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <atomic>
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <sys/stat.h>
#include <thread>

using e2e::json;
using e2e::Sandbox;
namespace fs = std::filesystem;

namespace {

void seed(Sandbox& s) {
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza", "--company", "Acme", "--email", "ana@acme.example", "--tag", "vip"});
    s.ok({"add", "Bob Chen", "--every", "30d"});
    s.ok({"add", "José Álvarez", "--event", "Chamber Mixer"});
    s.at("2026-11-20T13:00:00Z");
    s.ok({"done", "1", "--note", "Sent"});
    s.ok({"referral", "receive", "--from", "Ana Souza", "--prospect", "Bob Chen"});
}

/// The bytes of a database: main file and write-ahead log.
std::string bytes_of(const fs::path& db) {
    fs::path wal = db.string() + "-wal";
    return e2e::slurp(db) + "\n--wal--\n" + (fs::exists(wal) ? e2e::slurp(wal) : "(none)");
}

/// Everything a user sees of the data, to compare databases.
json everything(const Sandbox& s) {
    json all;
    all["contacts"] = s.json_of({"contacts"});
    all["archived"] = s.json_of({"contacts", "--archived"});
    all["due"] = s.json_of({"due", "--all"});
    all["referrals"] = s.json_of({"referrals"});
    for (const auto& c : all["contacts"])
        all["cards"].push_back(s.json_of({"show", "#" + std::to_string(c["id"].get<int>())}));
    return all;
}

long long count(const fs::path& db, const char* table) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY, 30'000);
    return d.execAndGet(fmt::format("SELECT count(*) FROM {}", table)).getInt64();
}

std::string integrity(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY, 30'000);
    return d.execAndGet("PRAGMA integrity_check").getString();
}

/// Files in the sandbox folder whose name starts with `prefix`.
std::vector<fs::path> files_starting(const Sandbox& s, const std::string& prefix) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(s.dir()))
        if (e.path().filename().string().starts_with(prefix)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

/// Damages the root page of the contacts table, after moving everything into the main file.
void damage_contacts(const fs::path& db) {
    int root = 0;
    {
        SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        root = d.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'contacts'").getInt();
    }
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(root - 1) * 4096);
    f << std::string(64, '\xa5');
}

/// Writers: `n` processes adding contacts in a loop until `stop` (or `limit` adds each).
class Writers {
public:
    Writers(const fs::path& db, int n, int limit) {
        for (int w = 0; w < n; ++w)
            threads_.emplace_back([this, db, w, limit] {
                Sandbox own;
                own.use_db_flag = false;
                for (int i = 0; i < limit && !stop_; ++i) {
                    e2e::Result r = own.run(
                        {"--db", db.string(), "add", fmt::format("Writer {} Person {}", w, i)});
                    if (r.status != 0) {
                        ++failures_;
                        std::lock_guard lock(mutex_);
                        errors_ += r.err;
                    }
                    ++adds_;
                }
            });
    }
    ~Writers() { join(); }
    Writers(const Writers&) = delete;
    Writers& operator=(const Writers&) = delete;
    void join() {
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    void stop() { stop_ = true; }
    int adds() const { return adds_; }
    int failures() const { return failures_; }
    std::string errors() {
        std::lock_guard lock(mutex_);
        return errors_;
    }

private:
    std::vector<std::thread> threads_;
    std::atomic<bool> stop_{false};
    std::atomic<int> adds_{0};
    std::atomic<int> failures_{0};
    std::mutex mutex_;
    std::string errors_;
};

} // namespace

TEST(Maintenance, DoctorOnAHealthyDatabase) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    e2e::Result r = s.run({"doctor"});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(r.out.starts_with("database " + s.db().string() + "\n")) << r.out;
    for (const char* line :
         {"ok       file            a SQLite database\n",
          "ok       schema version  7, as this followup writes\n",
          "ok       integrity       integrity_check: ok\n",
          "ok       foreign keys    foreign_key_check: ok\n",
          "ok       records         3 contacts, 1 event, 11 follow-ups (10 open, 1 closed), 2 "
          "interactions, 1 referral\n",
          "ok       journal mode    wal\n"})
        EXPECT_NE(r.out.find(line), std::string::npos) << line << "\nin:\n" << r.out;
    EXPECT_EQ(r.out.find("PROBLEM"), std::string::npos);

    json j = s.json_of({"doctor"});
    EXPECT_EQ(j["path"], s.db().string());
    EXPECT_EQ(j["ok"], true);
    EXPECT_EQ(j["schema_version"], 7);
    EXPECT_EQ(j["current_schema_version"], 7);
    EXPECT_EQ(j["counts"], (json{{"contacts", 3},
                                 {"events", 1},
                                 {"followups_open", 10},
                                 {"followups_closed", 1},
                                 {"interactions", 2},
                                 {"referrals", 1}}));
    EXPECT_EQ(j["file_size"], fs::file_size(s.db()));
    EXPECT_EQ(j["page_size"], 4096);
    EXPECT_GT(j["page_count"].get<int>(), 10);
    EXPECT_LE(j["freelist_count"].get<int>(), 1); // migration 4 rebuilds tables
    EXPECT_EQ(j["journal_mode"], "wal");
    EXPECT_EQ(j["advice"], json::array());
    for (const auto& c : j["checks"])
        EXPECT_EQ(c["ok"], true) << c.dump();
    EXPECT_EQ(s.run({"doctor", "--format", "csv"}).status, 2);
}

TEST(Maintenance, DoctorOnACorruptedDatabase) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    damage_contacts(s.db());
    const std::string before = e2e::slurp(s.db());
    e2e::Result r = s.run({"doctor"});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("PROBLEM  integrity"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("found. To recover:\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("the damaged file is " + s.db().string()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("followup restore FILE"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(".recover | sqlite3 recovered.db"), std::string::npos) << r.out;
    json j = json::parse(s.run({"doctor", "--format", "json"}).out);
    EXPECT_EQ(j["ok"], false);
    EXPECT_FALSE(j["advice"].empty());
    // A read-only connection may leave an empty -wal (and -shm) behind, as any reader does.
    EXPECT_EQ(e2e::slurp(s.db()), before) << "doctor changed the file";
    EXPECT_EQ(e2e::slurp(s.db().string() + "-wal"), "");

    // Other commands fail with one line that points to doctor.
    r = s.run({"contacts"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "followup: database error: database disk image is malformed (see 'followup "
                     "doctor')\n");
}

TEST(Maintenance, DoctorNeedsAnExistingDatabase) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    e2e::Result r = s.run({"doctor"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "followup: no database at " + s.db().string() + "\n");
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(fs::exists(s.db()));
    EXPECT_FALSE(fs::exists(s.db().string() + "-wal"));
}

TEST(Maintenance, BackupThenRestoreRoundTrip) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    const json original = everything(s);
    const fs::path backup = s.dir() / "backups" / "monday.db";
    fs::create_directory(backup.parent_path());
    std::string out = s.ok({"backup", backup.string()});
    EXPECT_TRUE(std::regex_match(out, std::regex("Backed up 3 contacts, 11 follow-ups to " +
                                                 backup.string() + " \\([0-9]+ KB\\)\n")))
        << out;
    struct stat st {};
    ASSERT_EQ(::stat(backup.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // One self-contained file: nothing else in its folder.
    int files = 0;
    for (const auto& e : fs::directory_iterator(backup.parent_path())) {
        (void)e;
        ++files;
    }
    EXPECT_EQ(files, 1);
    EXPECT_EQ(integrity(backup), "ok");
    const std::string backup_bytes = e2e::slurp(backup);

    // Life goes on, then the backup comes back.
    s.at("2026-11-21T09:00:00Z");
    s.ok({"add", "Dana Lee"});
    s.ok({"done", "2", "3"});
    s.ok({"rm", "José", "--yes"});
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "500"});
    const json changed = everything(s);
    ASSERT_NE(changed, original);

    out = s.ok({"restore", backup.string(), "--yes"});
    const fs::path kept = s.db().string() + ".before-restore-20261121T090000Z";
    EXPECT_EQ(out, "Restored 3 contacts, 11 follow-ups from " + backup.string() + " into " +
                       s.db().string() + "\nThe previous database is kept as " + kept.string() +
                       "\n");
    EXPECT_EQ(everything(s), original);
    EXPECT_EQ(e2e::slurp(backup), backup_bytes) << "restore changed the backup";
    EXPECT_FALSE(fs::exists(backup.string() + "-wal"));
    EXPECT_EQ(integrity(s.db()), "ok");
    SQLite::Database live(s.db().string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(live.execAndGet("PRAGMA journal_mode").getString(), "wal");

    // The previous database, as it was just before, beside the live one.
    ASSERT_TRUE(fs::exists(kept));
    ASSERT_EQ(::stat(kept.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    Sandbox view;
    view.use_db_flag = false;
    view.at("2026-11-21T09:00:00Z");
    json kept_contacts = view.json_of({"--db", kept.string(), "contacts"});
    EXPECT_EQ(kept_contacts, changed["contacts"]);
    EXPECT_EQ(integrity(kept), "ok");

    // And back again: restoring what was kept undoes the restore.
    s.ok({"restore", kept.string(), "--yes"});
    EXPECT_EQ(everything(s)["contacts"], changed["contacts"]);
    EXPECT_EQ(files_starting(s, "f.db.before-restore-").size(), 2u);
}

TEST(Maintenance, BackupRefusesToOverwriteUnlessForced) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    const fs::path dest = s.dir() / "b.db";
    std::ofstream(dest) << "keep me";
    e2e::Result r = s.run({"backup", dest.string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err,
              "followup: " + dest.string() + " exists already; pass --force to replace it\n");
    EXPECT_EQ(e2e::slurp(dest), "keep me");
    s.ok({"backup", dest.string(), "--force"});
    EXPECT_EQ(integrity(dest), "ok");
    EXPECT_EQ(count(dest, "contacts"), 3);
    // Never over the database itself.
    r = s.run({"backup", s.db().string(), "--force"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err_line().find("is the database itself"), std::string::npos) << r.err;
    // A database that does not exist is not created by a backup.
    Sandbox empty;
    r = empty.run({"backup", (empty.dir() / "x.db").string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "followup: no database at " + empty.db().string() + "\n");
    EXPECT_FALSE(fs::exists(empty.db()));
}

TEST(Maintenance, RestoreAsksFirst) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    const fs::path backup = s.dir() / "b.db";
    s.ok({"backup", backup.string()});
    s.ok({"add", "Dana Lee"});
    const std::string before = bytes_of(s.db());

    // Off a terminal, without --yes: a usage error, nothing done.
    e2e::Result r = s.run({"restore", backup.string()});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: restore replaces the database " + s.db().string() + " with " +
                         backup.string() + " (3 contacts, 11 follow-ups); add --yes to confirm\n");
    EXPECT_EQ(bytes_of(s.db()), before);
    EXPECT_TRUE(files_starting(s, "f.db.before-restore").empty());

    // On a terminal: asked; "n" keeps everything.
    s.in_terminal = true;
    r = s.run({"restore", backup.string()}, "n\n");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("Nothing restored."), std::string::npos) << r.out;
    EXPECT_EQ(bytes_of(s.db()), before);
    r = s.run({"restore", backup.string()}, "y\n");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("Restored 3 contacts"), std::string::npos) << r.out;
    s.in_terminal = false;
    EXPECT_EQ(s.json_of({"contacts"}).size(), 3u);
    EXPECT_EQ(files_starting(s, "f.db.before-restore").size(), 1u);
}

TEST(Maintenance, RestoreOfABadFileLeavesTheDatabaseAlone) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    const fs::path dir = s.dir();
    std::ofstream(dir / "text.db") << "name,email\nAna,ana@example.com\n";
    std::ofstream(dir / "empty.db").close();
    {
        SQLite::Database other((dir / "other.db").string(),
                               SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE moz_places (url TEXT)");
    }
    s.ok({"backup", (dir / "newer.db").string()});
    {
        SQLite::Database d((dir / "newer.db").string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA user_version = 8");
    }
    s.ok({"backup", (dir / "damaged.db").string()});
    damage_contacts(dir / "damaged.db");
    s.ok({"backup", (dir / "dangling.db").string()});
    {
        SQLite::Database d((dir / "dangling.db").string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA journal_mode = DELETE");
        d.exec("INSERT INTO followups (uuid, contact_id, kind, title, due, original_due, created) "
               "VALUES ('x', 99, 'note', 'Orphan', 0, 0, 0)");
    }
    s.ok({"add", "Dana Lee"}); // the live database differs from every backup
    const std::string before = bytes_of(s.db());

    const std::vector<std::pair<std::string, std::string>> cases{
        {"missing.db", "no file " + (dir / "missing.db").string()},
        {"text.db", (dir / "text.db").string() + " is not a SQLite database; nothing restored"},
        {"empty.db", "is not a followup database (schema version 0, no contacts table)"},
        {"other.db", "is not a followup database"},
        {"newer.db", "has schema version 8, newer than this followup understands (7)"},
        {"damaged.db", "is damaged (integrity_check: "},
        {"dangling.db", "is inconsistent (foreign_key_check: 1 problem, first: followups row "},
    };
    for (const auto& [file, message] : cases) {
        e2e::Result r = s.run({"restore", (dir / file).string(), "--yes"});
        EXPECT_EQ(r.status, 1) << file << ": " << r.err;
        EXPECT_TRUE(r.err.starts_with("followup: ")) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err_line().find(message), std::string::npos) << file << ": " << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(bytes_of(s.db()), before) << file;
    }
    EXPECT_TRUE(files_starting(s, "f.db.before-restore").empty());
    EXPECT_TRUE(files_starting(s, ".").size() == 1u) << "only .io"; // no temporary files
    EXPECT_EQ(e2e::slurp(dir / "text.db"), "name,email\nAna,ana@example.com\n");
    EXPECT_EQ(fs::file_size(dir / "empty.db"), 0u);
}

TEST(Maintenance, RestoreIntoAMissingDatabaseCreatesIt) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    const fs::path backup = s.dir() / "b.db";
    s.ok({"backup", backup.string()});
    const fs::path fresh = s.dir() / "new-machine" / "followup" / "followup.db";
    Sandbox other;
    other.use_db_flag = false;
    std::string out = other.ok({"--db", fresh.string(), "restore", backup.string(), "--yes"});
    EXPECT_EQ(out, "Restored 3 contacts, 11 follow-ups from " + backup.string() + " into " +
                       fresh.string() + "\nThere was no previous database.\n");
    struct stat st {};
    ASSERT_EQ(::stat(fresh.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(fresh.parent_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(count(fresh, "contacts"), 3);
}

TEST(Maintenance, RestoreOfALiveFileTakesTheCommandsStillInItsLog) {
    // On both stores: a followup database given as the backup, whose last commands are still
    // in its -wal (docs/storage.md), is restored with them.
    Sandbox s;
    s.ok({"add", "Old Contact"});
    Sandbox file;
    file.use_db_flag = false;
    const fs::path laptop = file.dir() / "laptop.db";
    for (const char* name : {"Ana Souza", "Bob Chen", "Carla Diaz"})
        file.ok({"--db", laptop.string(), "add", name});
    ASSERT_GT(fs::file_size(laptop.string() + "-wal"), 0u) << "the last adds are in the log";

    std::string out = s.ok({"restore", laptop.string(), "--yes"});
    EXPECT_TRUE(out.starts_with("Restored 3 contacts, 9 follow-ups from " + laptop.string()))
        << out;
    std::vector<std::string> names;
    for (const auto& c : s.json_of({"contacts"}))
        names.push_back(c["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"Ana Souza", "Bob Chen", "Carla Diaz"}));
    EXPECT_EQ(s.json_of({"due", "--all"}).size(), 9u);
}

TEST(Maintenance, BackupWhileFourWritersAdd) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    s.ok({"event", "add", "Load test"});
    Writers writers(s.db(), 4, 60);
    while (count(s.db(), "contacts") < 20)
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    for (int i = 0; i < 3; ++i) {
        const long long low = count(s.db(), "contacts");
        const fs::path dest = s.dir() / fmt::format("b{}.db", i);
        e2e::Result r = s.run({"backup", dest.string()});
        const long long high = count(s.db(), "contacts");
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(integrity(dest), "ok");
        // One snapshot: a contact count that existed at some moment, with its follow-ups.
        const long long n = count(dest, "contacts");
        EXPECT_GE(n, low);
        EXPECT_LE(n, high);
        EXPECT_EQ(count(dest, "followups"), 3 * n);
        EXPECT_NE(r.out.find(fmt::format("Backed up {} contacts, {} follow-ups", n, 3 * n)),
                  std::string::npos)
            << r.out;
        EXPECT_FALSE(fs::exists(dest.string() + "-wal"));
    }
    writers.join();
    EXPECT_EQ(writers.failures(), 0) << writers.errors();
    EXPECT_EQ(count(s.db(), "contacts"), 240);
}

TEST(Maintenance, RestoreWhileWritersRun) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    seed(s);
    const fs::path backup = s.dir() / "b.db";
    s.ok({"backup", backup.string()});
    Writers writers(s.db(), 4, 40);
    while (count(s.db(), "contacts") < 3 + 20)
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    e2e::Result r = s.run({"restore", backup.string(), "--yes"});
    EXPECT_EQ(r.status, 0) << r.err;
    writers.join();
    EXPECT_EQ(writers.failures(), 0) << writers.errors(); // never "database is locked"
    EXPECT_EQ(integrity(s.db()), "ok");
    // Every add is one transaction: whatever came before or after the restore is whole. The
    // backup holds the 3 contacts and 11 follow-ups of seed().
    const long long n = count(s.db(), "contacts");
    EXPECT_GE(n, 3);
    EXPECT_LT(n, 3 + 160);
    EXPECT_EQ(count(s.db(), "followups"), 11 + 3 * (n - 3));
    auto kept = files_starting(s, "f.db.before-restore-");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(integrity(kept[0]), "ok");
    const long long k = count(kept[0], "contacts");
    EXPECT_EQ(count(kept[0], "followups"), 11 + 3 * (k - 3));
    // Nothing lost: every add landed either before the restore (in the kept copy) or after it.
    EXPECT_EQ((k - 3) + (n - 3), 160);
    json doctor = s.json_of({"doctor"});
    EXPECT_EQ(doctor["ok"], true) << doctor.dump(2);
}
