// Where the database lives, its modes, its format, and what archive / rm do to it.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

using e2e::json;
using e2e::Sandbox;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

/// The names of the contacts in the database file alone, without its -wal (a copy of the file
/// opened on its own, as a `.db` copied by hand would be).
std::vector<std::string> names_in_file_alone(const Sandbox& s) {
    const auto copy = s.dir() / "file-alone.db";
    std::filesystem::remove(copy);
    std::filesystem::copy_file(s.db(), copy);
    std::vector<std::string> names;
    {
        SQLite::Database db("file:" + copy.string() + "?immutable=1",
                            SQLite::OPEN_READONLY | SQLite::OPEN_URI);
        SQLite::Statement q(db, "SELECT name FROM contacts ORDER BY id");
        while (q.executeStep())
            names.push_back(q.getColumn(0).getString());
    }
    std::filesystem::remove(copy);
    return names;
}

std::uintmax_t size_or_zero(const std::filesystem::path& p) {
    std::error_code ec;
    auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : n;
}

} // namespace

TEST(Storage, XdgDataHomeCreatesPrivateFolderAndFile) {
    Sandbox s;
    s.use_db_flag = false;
    const auto xdg = s.dir() / "xdg-data";
    s.env["XDG_DATA_HOME"] = xdg.string();
    s.ok({"add", "Ana Souza"});
    const auto db = xdg / "followup" / "followup.db";
    ASSERT_TRUE(std::filesystem::exists(db));
    EXPECT_EQ(mode_of(xdg / "followup"), 0700u);
    EXPECT_EQ(mode_of(db), 0600u);
    // The next run finds the same database.
    EXPECT_EQ(s.json_of({"contacts"}).size(), 1u);
}

TEST(Storage, DefaultsToHomeLocalShare) {
    Sandbox s;
    s.use_db_flag = false;
    s.ok({"add", "Ana Souza"});
    const auto db = s.dir() / ".local" / "share" / "followup" / "followup.db";
    ASSERT_TRUE(std::filesystem::exists(db));
    EXPECT_EQ(mode_of(db), 0600u);
    EXPECT_EQ(mode_of(db.parent_path()), 0700u);
}

TEST(Storage, FollowupDbIsHonouredAndDbFlagWins) {
    Sandbox s;
    s.use_db_flag = false;
    const auto env_db = s.dir() / "from-env.db";
    s.env["FOLLOWUP_DB"] = env_db.string();
    s.env["XDG_DATA_HOME"] = (s.dir() / "xdg").string();
    s.ok({"add", "Ana Souza"});
    EXPECT_TRUE(std::filesystem::exists(env_db));
    EXPECT_FALSE(std::filesystem::exists(s.dir() / "xdg"));
    EXPECT_EQ(mode_of(env_db), 0600u);

    // --db takes precedence over FOLLOWUP_DB.
    const auto flag_db = s.dir() / "from-flag.db";
    s.ok({"--db", flag_db.string(), "add", "Bob Chen"});
    EXPECT_TRUE(std::filesystem::exists(flag_db));
    EXPECT_EQ(s.json_of({"contacts"}).size(), 1u);
    EXPECT_EQ(s.json_of({"--db", flag_db.string(), "contacts"})[0]["name"], "Bob Chen");
}

TEST(Storage, CurrentSchemaVersionAndWal) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    s.ok({"add", "Ana Souza"});
    SQLite::Database db(s.db().string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 7); // see docs/storage.md
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM followups").getInt(), 3);
}

TEST(Storage, ACommitStaysInTheLogUntilTheLogIsLongThenItIsFolded) {
    SQLITE_FILE_ONLY();
    // docs/storage.md: a command's commit is in the -wal (flushed) when it reports, and the
    // database file is not written; a command that closes with 256 KiB of log or more copies the
    // log into the file and empties it.
    Sandbox s;
    const std::filesystem::path wal = s.db().string() + "-wal";
    s.ok({"add", "Ana Souza"});
    EXPECT_EQ(size_or_zero(wal), 0u) << "the command that creates the database folds the log";
    EXPECT_EQ(names_in_file_alone(s), std::vector<std::string>{"Ana Souza"});
    const std::string file_before = e2e::slurp(s.db());
    const auto wal_before = size_or_zero(wal);

    s.ok({"add", "Bob Chen"});
    EXPECT_EQ(e2e::slurp(s.db()), file_before) << "the add wrote the database file";
    EXPECT_GT(size_or_zero(wal), wal_before);
    EXPECT_EQ(s.json_of({"contacts"}).size(), 2u) << "every reader sees the log";
    EXPECT_EQ(names_in_file_alone(s), std::vector<std::string>{"Ana Souza"})
        << "Bob Chen is only in the log so far";

    // Notes of 40 KB: about ten pages each. The log grows until a command closes with 256 KiB or
    // more, and that command empties it; it never grows past the limit and one command's pages.
    const std::string note(40'000, 'n');
    std::vector<std::string> names{"Ana Souza", "Bob Chen"};
    // Each of these adds writes about the same number of pages: the last one's growth of the
    // log, plus a page, tells how long the log was when the folding command closed.
    bool folded = false;
    std::uintmax_t growth = 0;
    for (int i = 0; i < 20 && !folded; ++i) {
        const auto before = size_or_zero(wal);
        names.push_back("Person " + std::to_string(i));
        s.ok({"add", names.back(), "--note", note});
        const auto after = size_or_zero(wal);
        if (after == 0) {
            folded = true;
            EXPECT_GT(growth, 40'000u);
            EXPECT_GE(before + growth + 4096 + 24, 256u * 1024) << "folded while it was short";
        } else {
            EXPECT_GT(after, before);
            EXPECT_LT(after, 256u * 1024 + growth + 4096 + 24) << "not folded when it was long";
            growth = after - before;
        }
    }
    ASSERT_TRUE(folded) << "the log was never folded";
    EXPECT_EQ(names_in_file_alone(s), names) << "the file alone holds every command now";
    json doctor = s.json_of({"doctor"});
    EXPECT_EQ(doctor["ok"], true) << doctor.dump(2);
}

TEST(Storage, ASymlinkedDatabaseHasItsLogBesideTheTargetAndFoldedThere) {
    SQLITE_FILE_ONLY();
    // SQLite names the -wal after the file a symlink leads to: the log is measured and folded
    // there, and doctor through the link reports it.
    Sandbox s;
    s.use_db_flag = false;
    const auto real = s.dir() / "real" / "x.db";
    const auto link = s.dir() / "links" / "x.db";
    std::filesystem::create_directories(real.parent_path());
    std::filesystem::create_directories(link.parent_path());
    s.ok({"--db", real.string(), "add", "Ana Souza"});
    std::filesystem::create_symlink("../real/x.db", link);
    const std::filesystem::path wal = real.string() + "-wal";

    const std::string note(40'000, 'n');
    bool folded = false;
    std::uintmax_t longest = 0;
    for (int i = 0; i < 20 && !folded; ++i) {
        s.ok({"--db", link.string(), "add", "Person " + std::to_string(i), "--note", note});
        longest = std::max(longest, size_or_zero(wal));
        folded = size_or_zero(wal) == 0;
    }
    EXPECT_TRUE(folded) << "the log beside the target was never folded";
    EXPECT_LT(longest, 256u * 1024);
    EXPECT_FALSE(std::filesystem::exists(link.string() + "-wal"));

    s.ok({"--db", link.string(), "add", "Bob Chen"});
    ASSERT_GT(size_or_zero(wal), 0u);
    json doctor = s.json_of({"--db", link.string(), "doctor"});
    EXPECT_EQ(doctor["ok"], true) << doctor.dump(2);
    EXPECT_EQ(doctor["wal_size"], size_or_zero(wal));
}

TEST(Storage, NewerSchemaIsRefused) {
    Sandbox s;
    s.ok({"add", "Ana Souza"});
    if (e2e::on_postgres()) {
        e2e::psql(s.location(), "UPDATE followup_schema SET version = 99");
    } else {
        SQLite::Database db(s.db().string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 99");
    }
    const std::string before = s.state();
    e2e::Result r = s.run({"contacts"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.err_line().starts_with("followup: ")) << r.err;
    EXPECT_NE(r.err_line().find("99"), std::string::npos) << r.err;
    EXPECT_EQ(s.state(), before);
}

TEST(Storage, ServerOfSchemaVersion5IsUpgradedByItsOwner) {
    // A server database made by the followup of schema version 5: version 6 adds the index
    // reach_of_contact there, in the first command's transaction, and keeps every row.
    if (!e2e::on_postgres()) GTEST_SKIP() << "a server database";
    Sandbox s;
    s.ok({"add", "Ana Souza", "--email", "work:ana@acme.example", "--phone", "+1 555 0100"});
    e2e::psql(s.location(), "DROP INDEX reach_of_contact; UPDATE followup_schema SET version = 5");
    std::string before = s.state();
    EXPECT_EQ(s.json_of({"show", "Ana"})["emails"],
              json::parse(R"([{"value": "ana@acme.example", "label": "work"}])"));
    EXPECT_EQ(e2e::psql(s.location(), "SELECT version FROM followup_schema"), "7\n");
    EXPECT_EQ(e2e::psql(s.location(), "SELECT indexdef FROM pg_indexes WHERE indexname = "
                                      "'reach_of_contact'"),
              "CREATE INDEX reach_of_contact ON public.reach USING btree (contact_id, kind, "
              "\"position\") INCLUDE (value, label, network)\n");
    // Every row as it was, but the version.
    const std::string version_5 = "followup_schema\n5\n";
    ASSERT_TRUE(before.starts_with(version_5)) << before;
    EXPECT_EQ(s.state(), "followup_schema\n7\n" + before.substr(version_5.size()));
}

TEST(Storage, ArchiveHidesFromDueAndContacts) {
    Sandbox s;
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza"});
    s.ok({"add", "Bob Chen"});
    s.at("2026-11-22T13:00:00Z"); // both notes overdue
    EXPECT_EQ(s.json_of({"due"}).size(), 2u);

    s.ok({"archive", "Ana"});
    json due = s.json_of({"due", "--all"});
    ASSERT_EQ(due.size(), 3u);
    for (const auto& r : due)
        EXPECT_EQ(r["contact"], "Bob Chen");
    json contacts = s.json_of({"contacts"});
    ASSERT_EQ(contacts.size(), 1u);
    EXPECT_EQ(contacts[0]["name"], "Bob Chen");
    json archived = s.json_of({"contacts", "--archived"});
    ASSERT_EQ(archived.size(), 1u);
    EXPECT_EQ(archived[0]["name"], "Ana Souza");
    EXPECT_EQ(archived[0]["archived"], true);
    // History is kept: the card still shows the follow-ups.
    EXPECT_EQ(s.json_of({"show", "Ana"})["followups"].size(), 3u);

    s.ok({"archive", "Ana", "--undo"});
    EXPECT_EQ(s.json_of({"due", "--all"}).size(), 6u);
    EXPECT_EQ(s.json_of({"contacts"}).size(), 2u);
    EXPECT_EQ(s.json_of({"contacts", "--archived"}), json::array());
}

TEST(Storage, RmYesDeletesEverythingAttached) {
    Sandbox s;
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza"});
    s.ok({"add", "Bob Chen"});
    s.ok({"done", "1"});
    s.ok({"rm", "Ana", "--yes"});
    e2e::Result gone = s.run({"show", "#1"});
    EXPECT_EQ(gone.status, 1);
    EXPECT_TRUE(gone.err_line().starts_with("followup: ")) << gone.err;
    json due = s.json_of({"due", "--all"});
    ASSERT_EQ(due.size(), 3u);
    for (const auto& r : due)
        EXPECT_EQ(r["contact"], "Bob Chen");
    EXPECT_EQ(s.query("SELECT count(*) FROM followups WHERE contact_id = 1"), "0\n");
    EXPECT_EQ(s.query("SELECT count(*) FROM interactions WHERE contact_id = 1"), "0\n");
    EXPECT_EQ(s.query("SELECT count(*) FROM contacts"), "1\n");
}
