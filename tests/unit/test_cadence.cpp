#include "store/sqlite/schema.hpp"
#include "store_access.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

namespace {

Instant t(const char* utc) {
    return *parse_utc(utc);
}
const followup::Zone* ny() {
    return followup::find_zone("America/New_York");
}

std::vector<Followup> open_reconnects(Repository& repo, Id contact) {
    std::vector<Followup> out;
    for (auto& f : repo.followups_of(contact))
        if (f.kind == Kind::reconnect && f.status == Status::open) out.push_back(f);
    return out;
}

} // namespace

TEST(Cadence, ParsesWholeDays) {
    EXPECT_EQ(parse_cadence("30d"), 30);
    EXPECT_EQ(parse_cadence("2w"), 14);
    EXPECT_EQ(parse_cadence("3m"), 90);
    EXPECT_EQ(parse_cadence("1y"), 365);
    EXPECT_THROW(parse_cadence("36h"), UsageError);
    EXPECT_THROW(parse_cadence("0d"), UsageError);
    EXPECT_THROW(parse_cadence("11y"), UsageError);
}

TEST(Cadence, OneOpenReconnectThatFollowsTheLastTouch) {
    Repository repo(":memory:");
    repo.set_now(t("2026-10-01T16:00:00Z"));
    Contact c;
    c.name = "Jane Doe";
    c.met = t("2026-10-01T16:00:00Z"); // 12:00 EDT
    c.every_days = 30;
    repo.insert_contact(c);
    sync_reconnect(repo, c.id, ny());
    auto open = open_reconnects(repo, c.id);
    ASSERT_EQ(open.size(), 1u);
    // 30 calendar days after 2026-10-01 12:00 EDT is 2026-10-31 12:00 EDT = 16:00Z.
    EXPECT_EQ(format_utc(open[0].due), "2026-10-31T16:00:00Z");
    EXPECT_EQ(open[0].title, "Reconnect with Jane Doe");

    // A touch on 2026-10-20 12:00 EDT moves it to 2026-11-19 12:00 EST (17:00Z, after DST).
    Interaction i;
    i.contact_id = c.id;
    i.at = t("2026-10-20T16:00:00Z");
    i.direction = Direction::in;
    repo.insert_interaction(i);
    sync_reconnect(repo, c.id, ny());
    sync_reconnect(repo, c.id, ny()); // idempotent
    open = open_reconnects(repo, c.id);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(format_utc(open[0].due), "2026-11-19T17:00:00Z");
    EXPECT_EQ(open[0].original_due, open[0].due);

    // No cadence any more: the open reconnect is skipped, not deleted.
    Contact again = repo.get_contact(c.id);
    again.every_days.reset();
    repo.update_contact(again);
    sync_reconnect(repo, c.id, ny());
    EXPECT_TRUE(open_reconnects(repo, c.id).empty());
    EXPECT_EQ(repo.followups_of(c.id).size(), 1u);
}

TEST(Cadence, TheDatabaseRefusesASecondOpenReconnect) {
    Repository repo(":memory:");
    repo.set_now(t("2026-10-01T16:00:00Z"));
    Contact c;
    c.name = "Ann";
    repo.insert_contact(c);
    Followup f;
    f.contact_id = c.id;
    f.kind = Kind::reconnect;
    f.title = "Reconnect with Ann";
    f.due = t("2026-11-01T16:00:00Z");
    repo.insert_followup(f);
    Followup g = f;
    g.uuid.clear();
    EXPECT_THROW(repo.insert_followup(g), DatabaseError);
}

TEST(Migrations, VersionOneMigratesForwardAndDropsDuplicateReconnects) {
    std::string path = ::testing::TempDir() + "followup-v1.db";
    std::remove(path.c_str());
    {
        // A database as version 1 wrote it, with two open reconnects for one contact.
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(std::string(schema::migrations[0]));
        db.exec("PRAGMA user_version = 1");
        db.exec(
            "INSERT INTO contacts (uuid, name, name_key, created) VALUES ('c', 'Ann', 'ann', 0)");
        db.exec("INSERT INTO followups (uuid, contact_id, kind, title, due, original_due, created) "
                "VALUES ('a', 1, 'reconnect', 'Reconnect with Ann', 10, 10, 0), "
                "('b', 1, 'reconnect', 'Reconnect with Ann', 20, 20, 0)");
    }
    {
        Repository repo(path);
        EXPECT_EQ(repo.stored_version(), schema_version);
        auto open = open_reconnects(repo, 1);
        ASSERT_EQ(open.size(), 1u);
        EXPECT_EQ(open[0].uuid, "b"); // the newest is kept
        EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM followups"), 2);
    }
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
}

TEST(Birthdays, ParseAndNextCardDeadline) {
    EXPECT_EQ(parse_birthday("02-29"), "02-29");
    EXPECT_EQ(parse_birthday("1990-07-14"), "1990-07-14");
    EXPECT_EQ(parse_birthday("none"), "");
    EXPECT_THROW(parse_birthday("1990-02-29"), UsageError); // 1990 had no February 29
    EXPECT_THROW(parse_birthday("13-01"), UsageError);
    EXPECT_THROW(parse_birthday("7/14"), UsageError);
    using date::local_days;
    using namespace date::literals;
    // On 2026-07-10 the next July 14 is this year's: card by 2026-07-09 23:59:59 EDT.
    EXPECT_EQ(format_utc(birthday_card_due("07-14", local_days{2026_y / 7 / 10}, 5, ny())),
              "2026-07-10T03:59:59Z");
    // On 2026-07-15 it is next year's.
    EXPECT_EQ(format_utc(birthday_card_due("1990-07-14", local_days{2026_y / 7 / 15}, 5, ny())),
              "2027-07-10T03:59:59Z");
    // February 29 in a common year falls on February 28.
    EXPECT_EQ(format_utc(birthday_card_due("02-29", local_days{2026_y / 1 / 1}, 5, ny())),
              "2026-02-24T04:59:59Z");
}

TEST(Cadence, ASnoozeSurvivesUntilTheNextTouch) {
    Repository repo(":memory:");
    repo.set_now(t("2026-10-01T16:00:00Z"));
    Contact c;
    c.name = "Jane Doe";
    c.met = t("2026-10-01T16:00:00Z");
    c.every_days = 30;
    repo.insert_contact(c);
    sync_reconnect(repo, c.id, ny());
    Followup f = open_reconnects(repo, c.id).at(0);
    f.due = t("2026-11-05T16:00:00Z"); // snoozed
    repo.update_followup(f);
    sync_reconnect(repo, c.id, ny()); // nothing happened: the snooze stays
    EXPECT_EQ(open_reconnects(repo, c.id).at(0).due, t("2026-11-05T16:00:00Z"));
    Interaction i;
    i.contact_id = c.id;
    i.at = t("2026-10-10T16:00:00Z");
    repo.insert_interaction(i);
    sync_reconnect(repo, c.id, ny()); // a touch restarts the clock
    EXPECT_EQ(open_reconnects(repo, c.id).at(0).due, t("2026-11-09T17:00:00Z"));
}
