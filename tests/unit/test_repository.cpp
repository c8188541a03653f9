#include "store_access.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

namespace {

Instant t(const char* utc) {
    return *parse_utc(utc);
}

class RepositoryTest : public ::testing::Test {
protected:
    Repository repo{":memory:"};

    void SetUp() override { repo.set_now(t("2026-11-20T12:00:00Z")); }

    Contact add(std::string name, std::string company = "", bool archived = false) {
        Contact c;
        c.name = std::move(name);
        c.company = std::move(company);
        c.archived = archived;
        repo.insert_contact(c);
        return c;
    }

    Followup due_at(const Contact& c, const char* when, Kind kind = Kind::note) {
        Followup f;
        f.contact_id = c.id;
        f.kind = kind;
        f.title = "Follow up with " + c.name;
        f.due = t(when);
        repo.insert_followup(f);
        return f;
    }

    /// The details of SQLite's EXPLAIN QUERY PLAN of `sql`, a line each.
    std::string plan_of(const std::string& sql) {
        followup::sql::Statement plan(repo.connection(), "EXPLAIN QUERY PLAN " + sql);
        std::string details;
        while (plan.executeStep())
            details += plan.getColumn(3).getString() + "\n";
        return details;
    }
};

} // namespace

TEST_F(RepositoryTest, CreatesTheSchemaAtTheCurrentVersion) {
    EXPECT_EQ(repo.stored_version(), schema_version);
    EXPECT_EQ(test_store::scalar(repo, "PRAGMA foreign_keys"), 1);
}

TEST_F(RepositoryTest, InsertAndReadBackAContact) {
    Contact c;
    c.name = "  Jane Doe ";
    c.email = "jane@example.com";
    c.tags = {"vip", "bni"};
    c.met = t("2026-11-20T00:00:00Z");
    repo.insert_contact(c);
    Contact back = repo.get_contact(c.id);
    EXPECT_EQ(back.name, "Jane Doe");
    EXPECT_EQ(back.email, "jane@example.com");
    EXPECT_EQ(back.tags, (std::vector<std::string>{"bni", "vip"}));
    EXPECT_EQ(back.met, t("2026-11-20T00:00:00Z"));
    EXPECT_EQ(back.created, t("2026-11-20T12:00:00Z"));
    EXPECT_EQ(back.uuid.size(), 36u);
}

TEST_F(RepositoryTest, ResolvesIdsAndAccentInsensitiveNames) {
    Contact jose = add("José Álvarez", "Acme");
    add("Ann Lee");
    EXPECT_EQ(actions::resolve_contact(repo, "jose").id, jose.id);
    EXPECT_EQ(actions::resolve_contact(repo, "ÁLVAREZ").id, jose.id);
    EXPECT_EQ(actions::resolve_contact(repo, fmt::format("#{}", jose.id)).id, jose.id);
    EXPECT_EQ(actions::resolve_contact(repo, std::to_string(jose.id)).id, jose.id);
    EXPECT_THROW(actions::resolve_contact(repo, "#999"), NotFound);
    EXPECT_THROW(actions::resolve_contact(repo, "nobody"), NotFound);
}

TEST_F(RepositoryTest, AmbiguousNamesListTheCandidates) {
    Contact a = add("Ann Lee", "Acme");
    Contact b = add("Anne Lee");
    try {
        actions::resolve_contact(repo, "lee");
        FAIL() << "expected Ambiguous";
    } catch (const Ambiguous& e) {
        EXPECT_STREQ(e.what(), "'lee' matches 2 contacts; use an id or more of the name");
        EXPECT_EQ(e.candidates(), (std::vector<std::string>{fmt::format("#{} Ann Lee (Acme)", a.id),
                                                            fmt::format("#{} Anne Lee", b.id)}));
    }
    // An exact full name wins over the longer one that contains it.
    EXPECT_EQ(actions::resolve_contact(repo, "ann lee").id, a.id);
}

TEST_F(RepositoryTest, ActiveContactsWinOverArchivedOnes) {
    add("Sam Old", "", true);
    Contact now = add("Sam New");
    EXPECT_EQ(actions::resolve_contact(repo, "sam").id, now.id);
    Contact only = add("Zed Archived", "", true);
    EXPECT_EQ(actions::resolve_contact(repo, "zed").id, only.id);
}

TEST_F(RepositoryTest, DueReadsOpenFollowupsOfActiveContactsInOrder) {
    Contact a = add("Ann");
    Contact gone = add("Gone", "", true);
    Followup late = due_at(a, "2026-11-19T10:00:00Z");
    Followup soon = due_at(a, "2026-11-20T20:00:00Z", Kind::connect);
    due_at(a, "2026-12-20T20:00:00Z", Kind::meet);
    due_at(gone, "2026-11-19T10:00:00Z");
    Followup closed = due_at(a, "2026-11-18T10:00:00Z");
    closed.status = Status::done;
    closed.done_at = t("2026-11-18T09:00:00Z");
    repo.update_followup(closed);

    DueQuery q;
    q.until = t("2026-11-21T04:59:59Z");
    auto rows = repo.due(q);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, late.id);
    EXPECT_EQ(rows[1].id, soon.id);
    EXPECT_EQ(rows[0].contact, "Ann");

    q.kind = Kind::connect;
    ASSERT_EQ(repo.due(q).size(), 1u);
    q = {};
    EXPECT_EQ(repo.due(q).size(), 3u); // no upper bound
}

TEST_F(RepositoryTest, TheListingOfDueReadsTheTablesFieldsAsTheFullRowsHaveThem) {
    Contact a;
    a.name = "Ann Lee";
    a.channel = "email";
    a.emails = {{"ann@lee.example", "work"}};
    a.profiles = {{"linkedin", "https://www.linkedin.com/in/ann-lee"}};
    repo.insert_contact(a);
    Contact b = add("Bob Chen");
    due_at(a, "2026-11-19T10:00:00Z");
    Followup connect = due_at(a, "2026-11-20T20:00:00Z", Kind::connect);
    connect.channel = "linkedin";
    repo.update_followup(connect);
    due_at(b, "2026-11-20T21:00:00Z", Kind::meet);

    DueQuery q;
    q.until = t("2026-11-21T04:59:59Z");
    auto full = repo.due(q);
    q.listing = true;
    auto listed = repo.due(q);
    ASSERT_EQ(full.size(), 3u);
    ASSERT_EQ(listed.size(), 3u);
    for (std::size_t i = 0; i < full.size(); ++i) {
        EXPECT_EQ(listed[i].id, full[i].id);
        EXPECT_EQ(listed[i].contact_id, full[i].contact_id);
        EXPECT_EQ(listed[i].contact, full[i].contact);
        EXPECT_EQ(listed[i].kind, full[i].kind);
        EXPECT_EQ(listed[i].title, full[i].title);
        EXPECT_EQ(listed[i].due, full[i].due);
        EXPECT_EQ(listed[i].channel, full[i].channel);
        EXPECT_EQ(listed[i].handle, full[i].handle);
        EXPECT_TRUE(listed[i].uuid.empty()); // not read
        EXPECT_FALSE(full[i].uuid.empty());
    }
    EXPECT_EQ(listed[0].channel, "email");
    EXPECT_EQ(listed[0].handle, "ann@lee.example");
    EXPECT_EQ(listed[1].channel, "linkedin");
    EXPECT_EQ(listed[1].handle, "https://www.linkedin.com/in/ann-lee");
}

TEST_F(RepositoryTest, DuePlacesEachFollowupFromItsOwnContactsReach) {
    // Two follow-ups of Ann around one of Cy's and one of Bo's (who has no reach): the reach rows
    // joined to each follow-up are its own contact's, in order of position, and none carry over.
    Contact ann;
    ann.name = "Ann Lee";
    ann.emails = {{"ann@work.example", "work"}, {"ann@home.example", "home"}};
    ann.phones = {{"+1 555 0100", ""}};
    ann.profiles = {{"linkedin", "https://www.linkedin.com/in/ann-lee"}};
    repo.insert_contact(ann);
    Contact cy;
    cy.name = "Cy Park";
    cy.channel = "whatsapp";
    cy.phones = {{"+1 555 0199", "mobile"}, {"+1 555 0198", "office"}};
    repo.insert_contact(cy);
    Contact bo = add("Bo Diaz");
    due_at(ann, "2026-11-19T10:00:00Z");
    due_at(cy, "2026-11-19T11:00:00Z");
    Followup connect = due_at(ann, "2026-11-19T12:00:00Z", Kind::connect);
    connect.channel = "linkedin";
    repo.update_followup(connect);
    due_at(bo, "2026-11-19T13:00:00Z", Kind::meet);
    due_at(cy, "2026-11-19T14:00:00Z", Kind::reconnect);

    for (bool listing : {false, true}) {
        DueQuery q;
        q.listing = listing;
        auto rows = repo.due(q);
        ASSERT_EQ(rows.size(), 5u);
        std::vector<std::pair<std::string, std::string>> got;
        for (const auto& f : rows)
            got.emplace_back(f.channel, f.handle);
        EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                           {"email", "ann@work.example"},
                           {"whatsapp", "+1 555 0199"},
                           {"linkedin", "https://www.linkedin.com/in/ann-lee"},
                           {"", ""},
                           {"whatsapp", "+1 555 0199"}}))
            << "listing " << listing;
        EXPECT_EQ(rows[0].contact, "Ann Lee");
        EXPECT_EQ(rows[3].contact, "Bo Diaz");
        EXPECT_EQ(rows[4].kind, Kind::reconnect);

        // With a limit the reach is read by a second statement: the same rows, cut.
        q.limit = 3;
        auto first = repo.due(q);
        ASSERT_EQ(first.size(), 3u);
        for (std::size_t i = 0; i < first.size(); ++i) {
            EXPECT_EQ(first[i].id, rows[i].id);
            EXPECT_EQ(first[i].channel, rows[i].channel);
            EXPECT_EQ(first[i].handle, rows[i].handle);
        }
    }
}

TEST_F(RepositoryTest, CountDueCountsWhatDueListsWithoutReadingIt) {
    Contact ann = add("Ann");
    Contact gone = add("Old Friend", "", true);
    due_at(ann, "2026-11-19T10:00:00Z");
    due_at(ann, "2026-11-21T10:00:00Z", Kind::connect);
    due_at(gone, "2026-11-18T10:00:00Z"); // archived: neither listed nor counted

    DueQuery q;
    auto n = repo.count_due(q);
    EXPECT_EQ(n.rows, 2);
    EXPECT_EQ(n.rows, static_cast<std::int64_t>(repo.due(q).size()));
    EXPECT_EQ(n.earliest, t("2026-11-19T10:00:00Z"));
    q.until = t("2026-11-20T12:00:00Z");
    EXPECT_EQ(repo.count_due(q).rows, 1);
    q.until.reset();
    q.kind = Kind::connect;
    n = repo.count_due(q);
    EXPECT_EQ(n.rows, 1);
    EXPECT_EQ(n.earliest, t("2026-11-21T10:00:00Z"));
    q.kind = Kind::meet;
    n = repo.count_due(q);
    EXPECT_EQ(n.rows, 0);
    EXPECT_FALSE(n.earliest);
    q.kind.reset();
    q.limit = 1;
    EXPECT_EQ(repo.count_due(q).rows, 1);
}

TEST_F(RepositoryTest, DueJoinsTheReachByItsCoveringIndexWithoutASort) {
    std::string details = plan_of(
        "SELECT f.id, r.kind, r.value FROM followups f JOIN contacts c ON c.id = f.contact_id "
        "LEFT JOIN reach r ON r.contact_id = f.contact_id WHERE f.status = 'open' AND "
        "c.archived = 0 AND f.due <= 5 ORDER BY f.due, f.id, r.kind, r.position");
    EXPECT_NE(details.find("followups_open_due"), std::string::npos) << details;
    EXPECT_NE(details.find("reach_of_contact"), std::string::npos) << details;
    EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
}

TEST_F(RepositoryTest, DueUsesThePartialIndex) {
    std::string details = plan_of("SELECT f.id FROM followups f JOIN contacts c ON c.id = "
                                  "f.contact_id WHERE f.status = 'open' AND c.archived = 0 AND "
                                  "f.due <= 5 ORDER BY f.due, f.id");
    EXPECT_NE(details.find("followups_open_due"), std::string::npos) << details;
}

TEST_F(RepositoryTest, InteractionsMoveTheLastTouchForwardOnly) {
    Contact a = add("Ann");
    Interaction i;
    i.contact_id = a.id;
    i.at = t("2026-11-10T10:00:00Z");
    i.note = "coffee";
    repo.insert_interaction(i);
    Interaction older = i;
    older.uuid.clear();
    older.at = t("2026-10-01T10:00:00Z");
    repo.insert_interaction(older);
    EXPECT_EQ(repo.get_contact(a.id).last_touch, t("2026-11-10T10:00:00Z"));
    auto timeline = repo.interactions_of(a.id);
    ASSERT_EQ(timeline.size(), 2u);
    EXPECT_EQ(timeline[0].at, t("2026-11-10T10:00:00Z")); // newest first
}

TEST_F(RepositoryTest, DeletingAContactTakesItsFollowupsAndInteractions) {
    Contact a = add("Ann");
    due_at(a, "2026-11-19T10:00:00Z");
    Interaction i;
    i.contact_id = a.id;
    i.at = t("2026-11-10T10:00:00Z");
    repo.insert_interaction(i);
    ContactFootprint fp = repo.footprint(a.id);
    EXPECT_EQ(fp.followups, 1);
    EXPECT_EQ(fp.interactions, 1);
    repo.delete_contact(a.id);
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM followups"), 0);
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM interactions"), 0);
}

TEST_F(RepositoryTest, ATransactionLeftWithoutCommitRollsBack) {
    {
        Repository::Transaction tx(repo, true);
        add("Ann");
    }
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM contacts"), 0);
    {
        Repository::Transaction tx(repo, true);
        add("Bea");
        tx.commit();
    }
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM contacts"), 1);
}

TEST_F(RepositoryTest, EventsAreFoundCaseInsensitivelyAndCreatedOnce) {
    Event e = repo.find_or_create_event(
        "BNI Breakfast", date::local_days{date::year{2026} / 11 / 20}, t("2026-11-20T12:00:00Z"));
    Event again =
        repo.find_or_create_event("bni breakfast", std::nullopt, t("2026-11-21T12:00:00Z"));
    EXPECT_EQ(e.id, again.id);
    EXPECT_THROW(repo.add_event(Event{0, "", "Bni Breakfast", std::nullopt, "", {}}), Error);
}

TEST_F(RepositoryTest, EventSummaryCountsStepsDoneOnTime) {
    Event e = repo.find_or_create_event("Mixer", std::nullopt, t("2026-11-01T12:00:00Z"));
    Contact a;
    a.name = "Ann";
    a.event_id = e.id;
    repo.insert_contact(a);
    Followup on_time = due_at(a, "2026-11-02T00:00:00Z");
    on_time.status = Status::done;
    on_time.done_at = t("2026-11-01T20:00:00Z");
    repo.update_followup(on_time);
    Followup meet = due_at(a, "2026-11-08T00:00:00Z", Kind::meet);
    meet.status = Status::done;
    meet.done_at = t("2026-11-09T00:00:00Z"); // a day late
    repo.update_followup(meet);
    due_at(a, "2026-11-15T00:00:00Z", Kind::connect); // open and past its deadline
    due_at(a, "2026-12-15T00:00:00Z", Kind::connect); // open, not yet due: not counted

    auto summaries = repo.event_summaries(t("2026-11-20T12:00:00Z"));
    ASSERT_EQ(summaries.size(), 1u);
    EXPECT_EQ(summaries[0].people, 1);
    EXPECT_EQ(summaries[0].steps_due, 3);
    EXPECT_EQ(summaries[0].steps_on_time, 1);
    EXPECT_EQ(summaries[0].one_to_ones, 1);
}

TEST(RepositoryFile, RefusesADatabaseFromANewerVersion) {
    std::string path = ::testing::TempDir() + "followup-newer.db";
    std::remove(path.c_str());
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA user_version = 99");
    }
    try {
        Repository repo(path);
        FAIL() << "expected DatabaseError";
    } catch (const DatabaseError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("schema version 99"), std::string::npos) << msg;
        EXPECT_NE(msg.find(fmt::format("({})", schema_version)), std::string::npos) << msg;
    }
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 99);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 0);
    std::remove(path.c_str());
}

TEST(RepositoryFile, RefusesAFileThatIsNotADatabase) {
    std::string path = ::testing::TempDir() + "followup-garbage.db";
    {
        FILE* f = std::fopen(path.c_str(), "wb");
        std::fputs("this is not an SQLite database, just some text that is long enough", f);
        std::fclose(f);
    }
    EXPECT_THROW(Repository repo(path), DatabaseError);
    std::remove(path.c_str());
}

TEST(DatabasePath, ServerLocationsAreURIsOrLibpqKeywordStrings) {
    EXPECT_TRUE(is_server_location("postgresql://u@host/db"));
    EXPECT_TRUE(is_server_location("postgres://host"));
    EXPECT_TRUE(is_server_location("host=/tmp/pg dbname=followup"));
    EXPECT_TRUE(is_server_location("  dbname = followup"));
    EXPECT_TRUE(is_server_location("\tservice=chapter"));
    EXPECT_TRUE(is_server_location("target_session_attrs=any host=db"));
    EXPECT_FALSE(is_server_location("followup.db"));
    EXPECT_FALSE(is_server_location("/home/u/host=1.db"));
    EXPECT_FALSE(is_server_location("hostname=db")); // not a libpq keyword
    EXPECT_FALSE(is_server_location("Host=db"));     // libpq's keywords are lower case
    EXPECT_FALSE(is_server_location("host"));
    EXPECT_FALSE(is_server_location("host db=1"));
    EXPECT_FALSE(is_server_location(""));
    EXPECT_FALSE(is_server_location("postgresql:/x"));
}

TEST(DatabasePath, FollowsTheSpecsOrder) {
    EXPECT_EQ(database_path("/x.db", "/env.db", "/xdg", "/home/u"), "/x.db");
    EXPECT_EQ(database_path("", "/env.db", "/xdg", "/home/u"), "/env.db");
    EXPECT_EQ(database_path("", "", "/xdg", "/home/u"), "/xdg/followup/followup.db");
    EXPECT_EQ(database_path("", nullptr, nullptr, "/home/u"),
              "/home/u/.local/share/followup/followup.db");
    EXPECT_EQ(database_path("", nullptr, "relative", "/home/u"),
              "/home/u/.local/share/followup/followup.db");
    EXPECT_THROW(database_path("", nullptr, nullptr, nullptr), DatabaseError);
}
