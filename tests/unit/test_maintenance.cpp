#include "store_access.hpp"
// doctor, backup and restore in the core, against real files in a temporary folder.

#include "store/sqlite/schema.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/store/maintenance.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

using namespace followup;
namespace fs = std::filesystem;

namespace {

Instant t(const char* utc) {
    return *parse_utc(utc);
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

const Check* find_check(const DoctorReport& r, const std::string& name) {
    for (const auto& c : r.checks)
        if (c.name == name) return &c;
    return nullptr;
}

/// A fresh folder per test, removed afterwards.
class MaintenanceTest : public ::testing::Test {
protected:
    fs::path dir;

    void SetUp() override {
        std::string templ = (fs::temp_directory_path() / "followup-maint-XXXXXX").string();
        ASSERT_NE(::mkdtemp(templ.data()), nullptr);
        dir = templ;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    std::string path(const char* name) const { return (dir / name).string(); }

    /// A database with `n` contacts, a follow-up each (the first one done) and a touch.
    std::string make_db(const char* name, int n) {
        std::string p = path(name);
        Repository repo(p);
        repo.set_now(t("2026-11-20T12:00:00Z"));
        Repository::Transaction tx(repo, true);
        for (int i = 0; i < n; ++i) {
            Contact c;
            c.name = fmt::format("Person {}", i);
            c.tags = {"tag"};
            repo.insert_contact(c);
            Followup f;
            f.contact_id = c.id;
            f.kind = Kind::note;
            f.title = "Note";
            f.due = t("2026-11-21T12:00:00Z");
            if (i == 0) {
                f.status = Status::done;
                f.done_at = t("2026-11-20T13:00:00Z");
            }
            repo.insert_followup(f);
            Interaction in;
            in.contact_id = c.id;
            in.at = t("2026-11-20T12:30:00Z");
            repo.insert_interaction(in);
        }
        tx.commit();
        return p;
    }
};

} // namespace

TEST_F(MaintenanceTest, DoctorOnAHealthyDatabase) {
    std::string db = make_db("f.db", 3);
    DoctorReport r = check_database(db);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.advice.empty());
    ASSERT_TRUE(r.stored_version.has_value());
    EXPECT_EQ(*r.stored_version, schema_version);
    ASSERT_TRUE(r.counts.has_value());
    EXPECT_EQ(r.counts->contacts, 3);
    EXPECT_EQ(r.counts->followups_open, 2);
    EXPECT_EQ(r.counts->followups_closed, 1);
    EXPECT_EQ(r.counts->interactions, 3);
    EXPECT_EQ(r.journal_mode, "wal");
    EXPECT_EQ(r.page_size, 4096);
    EXPECT_GT(r.page_count, 0);
    EXPECT_EQ(r.file_size, fs::file_size(db));
    for (const char* name :
         {"file", "permissions", "schema version", "integrity", "foreign keys", "records"}) {
        const Check* c = find_check(r, name);
        ASSERT_NE(c, nullptr) << name;
        EXPECT_TRUE(c->ok) << name << ": " << c->detail;
    }
}

TEST_F(MaintenanceTest, DoctorNeverCreatesADatabase) {
    std::string db = path("missing.db");
    EXPECT_THROW(check_database(db), DatabaseError);
    EXPECT_FALSE(fs::exists(db));
    EXPECT_FALSE(fs::exists(db + "-wal"));
    try {
        check_database(db);
    } catch (const DatabaseError& e) {
        EXPECT_EQ(std::string(e.what()), "no database at " + db);
    }
}

TEST_F(MaintenanceTest, DoctorDoesNotMigrateAnOlderDatabase) {
    std::string db = path("old.db");
    {
        SQLite::Database d(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        d.exec(std::string(schema::migrations[0]));
        d.exec("PRAGMA user_version = 1");
    }
    const std::string before = slurp(db);
    DoctorReport r = check_database(db);
    EXPECT_TRUE(r.ok());
    const Check* v = find_check(r, "schema version");
    ASSERT_NE(v, nullptr);
    EXPECT_NE(
        v->detail.find(fmt::format("will be upgraded to {} by the next command", schema_version)),
        std::string::npos)
        << v->detail;
    EXPECT_EQ(slurp(db), before);
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("PRAGMA user_version").getInt(), 1);
}

TEST_F(MaintenanceTest, DoctorReportsANewerVersion) {
    std::string db = make_db("f.db", 1);
    {
        SQLite::Database d(db, SQLite::OPEN_READWRITE);
        d.exec("PRAGMA user_version = 99");
    }
    DoctorReport r = check_database(db);
    EXPECT_FALSE(r.ok());
    const Check* v = find_check(r, "schema version");
    ASSERT_NE(v, nullptr);
    EXPECT_FALSE(v->ok);
    EXPECT_NE(v->detail.find("99"), std::string::npos);
    EXPECT_NE(v->detail.find(fmt::format("({})", schema_version)), std::string::npos);
}

TEST_F(MaintenanceTest, DoctorReportsTextAndDanglingReferences) {
    std::string text = path("notes.txt");
    std::ofstream(text) << "not a database at all\n";
    DoctorReport r = check_database(text);
    EXPECT_FALSE(r.ok());
    ASSERT_FALSE(r.checks.empty());
    EXPECT_EQ(r.checks.front().name, "file");
    EXPECT_FALSE(r.checks.front().ok);
    EXPECT_NE(r.checks.front().detail.find("not a SQLite database"), std::string::npos);
    ASSERT_FALSE(r.advice.empty());
    EXPECT_EQ(slurp(text), "not a database at all\n");

    std::string db = make_db("f.db", 1);
    {
        SQLite::Database d(db, SQLite::OPEN_READWRITE); // foreign keys are off by default
        d.exec("INSERT INTO followups (uuid, contact_id, kind, title, due, original_due, created) "
               "VALUES ('x', 42, 'note', 'Orphan', 0, 0, 0)");
    }
    r = check_database(db);
    EXPECT_FALSE(r.ok());
    const Check* fk = find_check(r, "foreign keys");
    ASSERT_NE(fk, nullptr);
    EXPECT_FALSE(fk->ok);
    EXPECT_NE(fk->detail.find("followups row"), std::string::npos) << fk->detail;
    EXPECT_NE(r.advice.front().find(db), std::string::npos);
}

TEST_F(MaintenanceTest, DoctorOnAnEmptyFileAndAnotherProgramsDatabase) {
    std::string empty = path("empty.db");
    std::ofstream(empty).close();
    DoctorReport r = check_database(empty);
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.counts.has_value());
    EXPECT_EQ(fs::file_size(empty), 0u);

    std::string other = path("other.db");
    {
        SQLite::Database d(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        d.exec("CREATE TABLE bookmarks (url TEXT)");
    }
    r = check_database(other);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(find_check(r, "schema version")->ok);
}

TEST_F(MaintenanceTest, BackupIsAStandaloneCopy) {
    std::string db = make_db("f.db", 4);
    std::string dest = path("backup.db");
    DatabaseCopy c = backup_database(db, dest, false);
    EXPECT_EQ(c.path, dest);
    EXPECT_EQ(c.version, schema_version);
    EXPECT_EQ(c.counts.contacts, 4);
    EXPECT_EQ(c.counts.followups_open + c.counts.followups_closed, 4);
    EXPECT_EQ(c.bytes, fs::file_size(dest));
    EXPECT_FALSE(fs::exists(dest + "-wal"));
    EXPECT_FALSE(fs::exists(dest + "-shm"));
    EXPECT_FALSE(fs::exists(dest + "-journal"));
    struct stat st {};
    ASSERT_EQ(::stat(dest.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // No temporary file is left in the folder.
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        (void)e;
        ++files;
    }
    EXPECT_EQ(files, 4); // f.db, f.db-wal, f.db-shm, backup.db
    SQLite::Database b(dest, SQLite::OPEN_READONLY);
    EXPECT_EQ(b.execAndGet("PRAGMA journal_mode").getString(), "delete");
    EXPECT_EQ(b.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(b.execAndGet("SELECT count(*) FROM contacts").getInt(), 4);
    EXPECT_EQ(b.execAndGet("PRAGMA user_version").getInt(), schema_version);
}

TEST_F(MaintenanceTest, BackupRefusesToOverwriteUnlessForced) {
    std::string db = make_db("f.db", 2);
    std::string dest = path("backup.db");
    std::ofstream(dest) << "precious";
    EXPECT_THROW(backup_database(db, dest, false), Error);
    EXPECT_EQ(slurp(dest), "precious");
    backup_database(db, dest, true);
    SQLite::Database b(dest, SQLite::OPEN_READONLY);
    EXPECT_EQ(b.execAndGet("SELECT count(*) FROM contacts").getInt(), 2);
}

TEST_F(MaintenanceTest, BackupRefusesBadDestinations) {
    std::string db = make_db("f.db", 1);
    const std::string before = slurp(db);
    EXPECT_THROW(backup_database(db, db, true), Error);           // the database itself
    EXPECT_THROW(backup_database(db, db + "-wal", true), Error);  // its log
    EXPECT_THROW(backup_database(db, dir.string(), true), Error); // a folder
    EXPECT_THROW(backup_database(db, path("no/such/folder/b.db"), false), Error);
    EXPECT_THROW(backup_database(path("missing.db"), path("b.db"), false), DatabaseError);
    EXPECT_FALSE(fs::exists(path("missing.db")));
    EXPECT_EQ(slurp(db), before);
}

TEST_F(MaintenanceTest, InspectBackupRejectsWhatCannotBeRestored) {
    auto message = [](const std::string& file) {
        try {
            inspect_backup(file);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(message(path("missing.db")), "no file " + path("missing.db"));
    std::string text = path("notes.txt");
    std::ofstream(text) << "hello";
    EXPECT_NE(message(text).find("is not a SQLite database"), std::string::npos);
    std::string empty = path("empty.db");
    std::ofstream(empty).close();
    EXPECT_NE(message(empty).find("not a followup database"), std::string::npos);

    std::string newer = make_db("newer.db", 1);
    {
        SQLite::Database d(newer, SQLite::OPEN_READWRITE);
        d.exec("PRAGMA user_version = 99");
    }
    std::string m = message(newer);
    EXPECT_NE(m.find("schema version 99"), std::string::npos) << m;
    EXPECT_NE(m.find(fmt::format("({})", schema_version)), std::string::npos) << m;

    std::string dangling = make_db("dangling.db", 1);
    {
        SQLite::Database d(dangling, SQLite::OPEN_READWRITE);
        d.exec("INSERT INTO interactions (uuid, contact_id, at, created) VALUES ('i', 9, 0, 0)");
    }
    EXPECT_NE(message(dangling).find("foreign_key_check"), std::string::npos);

    std::string good = make_db("good.db", 2);
    DatabaseCopy c = inspect_backup(good);
    EXPECT_EQ(c.version, schema_version);
    EXPECT_EQ(c.counts.contacts, 2);
}

TEST_F(MaintenanceTest, RestoreKeepsThePreviousDatabaseAndReplacesIt) {
    std::string live = make_db("f.db", 5);
    std::string other = make_db("other.db", 2);
    std::string backup = path("other-backup.db");
    backup_database(other, backup, false);

    RestoreResult r = restore_database(live, inspect_backup(backup), t("2026-11-20T13:14:15Z"));
    EXPECT_EQ(r.kept, live + ".before-restore-20261120T131415Z");
    EXPECT_EQ(r.version, schema_version);
    EXPECT_EQ(r.restored.counts.contacts, 2);
    {
        SQLite::Database kept(r.kept, SQLite::OPEN_READONLY);
        EXPECT_EQ(kept.execAndGet("SELECT count(*) FROM contacts").getInt(), 5);
        EXPECT_EQ(kept.execAndGet("PRAGMA integrity_check").getString(), "ok");
    }
    Repository repo(live);
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM contacts"), 2);
    EXPECT_EQ(test_store::scalar_text(repo, "PRAGMA journal_mode"), "wal");

    // A second restore in the same second keeps the then-current one under another name.
    RestoreResult again = restore_database(live, inspect_backup(backup), t("2026-11-20T13:14:15Z"));
    EXPECT_EQ(again.kept, live + ".before-restore-20261120T131415Z-2");
}

TEST_F(MaintenanceTest, RestoreCreatesAMissingDatabaseAndMigratesAnOlderBackup) {
    std::string old = path("v1.db");
    {
        SQLite::Database d(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        d.exec("PRAGMA page_size = 1024"); // another page size than the live database's
        d.exec(std::string(schema::migrations[0]));
        d.exec("PRAGMA user_version = 1");
        d.exec(
            "INSERT INTO contacts (uuid, name, name_key, created) VALUES ('c', 'Ann', 'ann', 0)");
        d.exec("INSERT INTO referrals (uuid, direction, status, created, updated) "
               "VALUES ('r', 'received', 'met', 0, 7)");
    }
    std::string live = path("sub/f.db");
    RestoreResult r = restore_database(live, inspect_backup(old), t("2026-11-20T13:00:00Z"));
    EXPECT_EQ(r.kept, "");
    EXPECT_EQ(r.restored.version, 1);
    EXPECT_EQ(r.version, schema_version);
    struct stat st {};
    ASSERT_EQ(::stat(live.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(path("sub").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    Repository repo(live);
    EXPECT_EQ(repo.get_contact(1).name, "Ann");
    auto history = repo.referral_history(1); // created by migration 3
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].second, "met");
    EXPECT_EQ(test_store::scalar(repo, "PRAGMA page_size"), 4096);
    // The page-size conversion left nothing behind.
    for (const auto& e : fs::directory_iterator(path("sub")))
        EXPECT_EQ(e.path().filename().string().rfind(".restore", 0), std::string::npos) << e.path();
}

TEST_F(MaintenanceTest, RestoreOntoADamagedDatabase) {
    std::string live = make_db("f.db", 3);
    std::string backup = path("b.db");
    backup_database(live, backup, false);
    {
        // Damage the contacts table's root page.
        int root = 0;
        {
            SQLite::Database d(live, SQLite::OPEN_READWRITE);
            d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            root =
                d.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'contacts'").getInt();
        }
        std::fstream f(live, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(root - 1) * 4096);
        f << std::string(64, '\xa5');
    }
    EXPECT_FALSE(check_database(live).ok());
    RestoreResult r = restore_database(live, inspect_backup(backup), t("2026-11-20T13:00:00Z"));
    EXPECT_FALSE(r.kept.empty());
    EXPECT_TRUE(check_database(live).ok());
    EXPECT_FALSE(check_database(r.kept).ok()); // the damaged one, kept as it was
}

TEST_F(MaintenanceTest, RestoreRefusesTheDatabaseItselfAndANonDatabase) {
    std::string live = make_db("f.db", 1);
    EXPECT_THROW(restore_database(live, inspect_backup(live), t("2026-11-20T13:00:00Z")), Error);
    std::string text = path("t.db");
    std::ofstream(text) << "not sqlite";
    std::string backup = path("b.db");
    backup_database(live, backup, false);
    EXPECT_THROW(restore_database(text, inspect_backup(backup), t("2026-11-20T13:00:00Z")),
                 DatabaseError);
    EXPECT_EQ(slurp(text), "not sqlite");
}
