// Databases written by earlier followups (tests/data/schema: one per shipped schema version,
// see its README.md) open with this one: every record survives the migration, a database from
// a newer followup is refused and left alone, and a migration that fails changes nothing.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sys/stat.h>

using e2e::json;
using e2e::Sandbox;
namespace fs = std::filesystem;

namespace {

constexpr int current_version = 7; // followup::schema_version; docs/storage.md

/// Puts tests/data/schema/vN.db in the sandbox as its database, at 2026-03-10T12:00:00Z.
void install(Sandbox& s, int version) {
    const fs::path from = fs::path(FOLLOWUP_TEST_DATA) / "schema" / fmt::format("v{}.db", version);
    ASSERT_TRUE(fs::exists(from)) << from;
    fs::copy_file(from, s.db(), fs::copy_options::overwrite_existing);
    ::chmod(s.db().c_str(), 0600);
    s.at("2026-03-10T12:00:00Z");
}

int user_version(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.execAndGet("PRAGMA user_version").getInt();
}

std::string wal_bytes(const fs::path& db) {
    fs::path wal = db.string() + "-wal";
    return fs::exists(wal) ? e2e::slurp(wal) : std::string();
}

/// An open follow-up as `due --format json` lists it.
struct Due {
    int version; ///< the first schema version whose data set has it
    long long id;
    std::string contact, kind, due, original_due;
    int last = 99; ///< the last schema version whose data set has it open so
};

/// Every open follow-up of the data sets (see tests/data/schema/make.sh), by deadline.
const std::vector<Due> all_due{
    {1, 4, "Bob Chen", "note", "2026-03-06T00:00:00Z", "2026-03-04T00:00:00Z"}, // snoozed 2d
    // v4: `won` closes the open report
    {3, 16, "Fay Giver", "report", "2026-03-07T15:00:00Z", "2026-03-07T15:00:00Z", 3},
    {3, 17, "Fay Giver", "thank", "2026-03-09T15:00:00Z", "2026-03-09T15:00:00Z"},
    // met 2026-03-02 19:00 EST; +7d is 19:00 EDT, after the change of 2026-03-08
    {1, 2, "Ana Souza", "connect", "2026-03-09T23:00:00Z", "2026-03-09T23:00:00Z"},
    {1, 5, "Bob Chen", "connect", "2026-03-09T23:00:00Z", "2026-03-09T23:00:00Z"},
    {1, 12, "Bob Chen", "waiting", "2026-03-10T03:59:59Z", "2026-03-10T03:59:59Z", 3},
    {1, 10, "José Álvarez", "custom", "2026-03-11T03:59:59Z", "2026-03-11T03:59:59Z"},
    // v5: Max Connect, met 2026-03-10 09:00 EDT (13:00Z): note +24h, connect +7d, meet +30d
    {5, 20, "Max Connect", "note", "2026-03-11T13:00:00Z", "2026-03-11T13:00:00Z"},
    // v4: chased on 2026-03-10 15:00Z, 3 days more
    {4, 12, "Bob Chen", "waiting", "2026-03-13T15:00:00Z", "2026-03-10T03:59:59Z"},
    {5, 21, "Max Connect", "connect", "2026-03-17T13:00:00Z", "2026-03-17T13:00:00Z"},
    // v4: booked (12:00 EDT), which completed the meet step
    {4, 19, "Ana Souza", "meeting", "2026-03-20T16:00:00Z", "2026-03-20T16:00:00Z"},
    {1, 3, "Ana Souza", "meet", "2026-04-01T23:00:00Z", "2026-04-01T23:00:00Z", 3},
    {2, 13, "Eve Keeper", "reconnect", "2026-04-04T13:00:00Z", "2026-04-04T13:00:00Z"},
    {5, 22, "Max Connect", "meet", "2026-04-09T13:00:00Z", "2026-04-09T13:00:00Z"},
    {3, 14, "Fay Giver", "birthday", "2026-07-10T03:59:59Z", "2026-07-10T03:59:59Z"},
};

json followup_of(const json& card, long long id) {
    for (const auto& f : card["followups"])
        if (f["id"] == id) return f;
    ADD_FAILURE() << "no follow-up " << id << " in " << card.dump(2);
    return {};
}

/// What every data set holds, as this followup reads it after the upgrade.
void expect_data_of(const Sandbox& s, int version) {
    SCOPED_TRACE(fmt::format("data set v{}", version));
    // Open follow-ups: ids, contacts, kinds, deadlines, snoozes.
    json due = s.json_of({"due", "--all"});
    std::vector<Due> expected;
    for (const auto& d : all_due)
        if (d.version <= version && version <= d.last) expected.push_back(d);
    ASSERT_EQ(due.size(), expected.size()) << due.dump(2);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(due[i]["id"], expected[i].id) << i;
        EXPECT_EQ(due[i]["contact"], expected[i].contact) << i;
        EXPECT_EQ(due[i]["kind"], expected[i].kind) << i;
        EXPECT_EQ(due[i]["due"], expected[i].due) << i;
        EXPECT_EQ(due[i]["original_due"], expected[i].original_due) << i;
        EXPECT_EQ(due[i]["status"], "open") << i;
    }

    // Contacts, active and archived.
    std::vector<std::string> names{"Ana Souza", "Bob Chen"};
    if (version >= 2) names.push_back("Eve Keeper");
    if (version >= 3) names.insert(names.end(), {"Fay Giver", "Gus Prospect"});
    if (version >= 4) names.insert(names.end(), {"Hana Mobile", "Ivo Post", "Jo Signal"});
    names.push_back("José Álvarez");
    if (version >= 4) names.push_back("Kim Mail");
    if (version >= 5) names.insert(names.end(), {"Lia Many", "Max Connect"});
    json contacts = s.json_of({"contacts"});
    ASSERT_EQ(contacts.size(), names.size()) << contacts.dump(2);
    for (std::size_t i = 0; i < names.size(); ++i)
        EXPECT_EQ(contacts[i]["name"], names[i]);
    json archived = s.json_of({"contacts", "--archived"});
    ASSERT_EQ(archived.size(), 1u);
    EXPECT_EQ(archived[0]["name"], "Dana Old");
    EXPECT_EQ(archived[0]["archived"], true);

    // A full card: fields, tags, event, closed follow-ups with their notes, touches.
    json ana = s.json_of({"show", "Ana Souza"});
    EXPECT_EQ(ana["company"], "Acme");
    EXPECT_EQ(ana["title"], "CTO");
    EXPECT_EQ(ana["email"], "ana@acme.example");
    EXPECT_EQ(ana["channel"], "linkedin");
    EXPECT_EQ(ana["handle"], "ana-souza");
    // Schema 5: the email and the handle on LinkedIn are in the lists now.
    EXPECT_EQ(ana["emails"], json::parse(R"([{"value": "ana@acme.example", "label": null}])"));
    EXPECT_EQ(ana["profiles"], json::parse(R"([{"network": "linkedin", "handle": "ana-souza",
                                                "url": "https://www.linkedin.com/in/ana-souza"}])"));
    EXPECT_EQ(ana["phones"], json::array());
    EXPECT_EQ(ana["addresses"], json::array());
    // The open connect step is on LinkedIn, her profile.
    json connect = followup_of(ana, 2);
    EXPECT_EQ(connect["channel"], "linkedin");
    EXPECT_EQ(connect["link"], "https://www.linkedin.com/in/ana-souza");
    EXPECT_EQ(ana["tags"], json::array({"tech", "vip"}));
    EXPECT_EQ(ana["notes"], "Wants a lawyer; \"urgent\"");
    EXPECT_EQ(ana["event"], "Chamber Mixer");
    EXPECT_EQ(ana["met"], "2026-03-03T00:00:00Z");
    EXPECT_EQ(ana["created"], "2026-03-03T15:00:00Z");
    json note = followup_of(ana, 1);
    EXPECT_EQ(note["status"], "done");
    EXPECT_EQ(note["done_at"], "2026-03-03T16:00:00Z");
    EXPECT_EQ(note["note"], "Sent a thank-you note");
    json promise = followup_of(ana, 11);
    EXPECT_EQ(promise["kind"], "promise");
    EXPECT_EQ(promise["status"], "done");
    EXPECT_EQ(promise["due"], "2026-03-07T04:59:59Z");
    // v3: the referral given to Ana logged a touch with her; v4: booking and a campaign too.
    EXPECT_EQ(ana["interactions"].size(), version >= 4 ? 5u : version >= 3 ? 3u : 2u);

    json bob = s.json_of({"show", "Bob Chen"});
    EXPECT_EQ(bob["phone"], "+1 555 0100");
    EXPECT_EQ(bob["phones"], json::parse(R"([{"value": "+1 555 0100", "label": null}])"));
    EXPECT_EQ(bob["channel"], "phone");
    EXPECT_EQ(bob["handle"], "+1 555 0100");
    // His connect step was on no network (he is reached by phone): LinkedIn, found by name.
    json bob_connect = followup_of(bob, 5);
    EXPECT_EQ(bob_connect["channel"], "linkedin");
    EXPECT_EQ(bob_connect["handle"], nullptr);
    EXPECT_EQ(bob_connect["link"],
              "https://www.linkedin.com/search/results/people/?keywords=Bob%20Chen");
    json skipped = followup_of(bob, 6);
    EXPECT_EQ(skipped["status"], "skipped");
    EXPECT_EQ(skipped["note"], "Not on LinkedIn");
    ASSERT_EQ(bob["interactions"].size(), version >= 4 ? 3u : 1u);
    const json& call = bob["interactions"].back();
    EXPECT_EQ(call["at"], "2026-03-03T14:00:00Z");
    EXPECT_EQ(call["channel"], "phone");
    EXPECT_EQ(call["note"], "Quick call");
    // v4: the campaign touch of 2026-03-10 16:00Z is his last.
    EXPECT_EQ(bob["last_touch"], version >= 4 ? "2026-03-10T16:00:00Z" : "2026-03-03T14:00:00Z");

    if (version >= 4) {
        // Every kind of handle a channel could carry, moved into the list it belongs to.
        json hana = s.json_of({"show", "Hana Mobile"});
        EXPECT_EQ(hana["phones"], json::parse(R"([{"value": "+44 7700 900123", "label": null}])"));
        EXPECT_EQ(hana["channel"], "whatsapp");
        EXPECT_EQ(hana["handle"], "+44 7700 900123"); // a WhatsApp on her phone number
        json ivo = s.json_of({"show", "Ivo Post"});
        EXPECT_EQ(ivo["addresses"],
                  json::parse(R"([{"value": "14 Elm Road, Bristol", "label": null}])"));
        EXPECT_EQ(ivo["channel"], "mail");
        EXPECT_EQ(ivo["handle"], "14 Elm Road, Bristol");
        json jo = s.json_of({"show", "Jo Signal"});
        EXPECT_EQ(jo["emails"], json::parse(R"([{"value": "jo@example.org", "label": null}])"));
        EXPECT_EQ(jo["profiles"][0]["network"], "signal");
        EXPECT_EQ(jo["profiles"][0]["handle"], "+1 555 0142");
        EXPECT_EQ(jo["channel"], "signal");
        EXPECT_EQ(jo["handle"], "+1 555 0142");
        json kim = s.json_of({"show", "Kim Mail"});
        // The handle given with the channel was the address in use: it comes first.
        EXPECT_EQ(kim["emails"], json::parse(R"([{"value": "kim@new.example", "label": null},
                                                 {"value": "kim@old.example", "label": null}])"));
        EXPECT_EQ(kim["email"], "kim@new.example");
        EXPECT_EQ(kim["handle"], "kim@new.example");
        json meeting = followup_of(ana, 19);
        EXPECT_EQ(meeting["kind"], "meeting");
        EXPECT_EQ(meeting["title"], "One-to-one with Ana Souza at Café Nero");
    }

    if (version >= 5) {
        // Several of each way to reach her, in order, with their labels; WhatsApp on the
        // phone labelled mobile (not the first one).
        json lia = s.json_of({"show", "Lia Many"});
        EXPECT_EQ(lia["emails"], json::parse(R"([{"value": "lia@corp.example", "label": "work"},
                                                 {"value": "lia@home.example", "label": "home"}])"));
        EXPECT_EQ(lia["phones"], json::parse(R"([{"value": "+1 555 0198", "label": "office"},
                                                 {"value": "+1 555 0199", "label": "mobile"}])"));
        EXPECT_EQ(lia["addresses"],
                  json::parse(R"([{"value": "2 Oak Street, Leeds", "label": "home"}])"));
        ASSERT_EQ(lia["profiles"].size(), 2u);
        EXPECT_EQ(lia["profiles"][0]["network"], "linkedin");
        EXPECT_EQ(lia["profiles"][0]["handle"], "lia-many");
        EXPECT_EQ(lia["profiles"][1]["network"], "mastodon");
        EXPECT_EQ(lia["profiles"][1]["handle"], "@lia@social.example");
        EXPECT_EQ(lia["channel"], "whatsapp");
        EXPECT_EQ(lia["handle"], "+1 555 0199");
        EXPECT_EQ(lia["email"], "lia@corp.example");
        // His connect step is on the network of his one profile.
        json max = s.json_of({"show", "Max Connect"});
        json max_connect = followup_of(max, 21);
        EXPECT_EQ(max_connect["channel"], "mastodon");
        EXPECT_EQ(max_connect["link"], "https://social.example/@max");
    }

    json jose = s.json_of({"show", "jose"});
    ASSERT_EQ(jose["interactions"].size(), 1u);
    EXPECT_EQ(jose["interactions"][0]["direction"], "in");
    EXPECT_EQ(jose["interactions"][0]["note"], "Asked about the slides");
    EXPECT_EQ(jose["tags"], json::array({"spanish"}));

    json events = s.json_of({"events"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["name"], "Chamber Mixer");
    EXPECT_EQ(events[0]["place"], "Town Hall");
    EXPECT_EQ(events[0]["people"], 2);

    if (version >= 2) {
        json eve = s.json_of({"show", "Eve Keeper"});
        EXPECT_EQ(eve["every_days"], 30);
        EXPECT_EQ(eve["last_touch"], "2026-03-05T14:00:00Z");
    }
    json referrals = s.json_of({"referrals"});
    if (version < 3) {
        EXPECT_EQ(referrals, json::array());
    } else {
        ASSERT_EQ(referrals.size(), 2u);
        EXPECT_EQ(referrals[0]["direction"], "received");
        EXPECT_EQ(referrals[0]["referrer"], "Fay Giver");
        EXPECT_EQ(referrals[0]["prospect"], "Gus Prospect");
        EXPECT_EQ(referrals[0]["status"], "won");
        EXPECT_EQ(referrals[0]["amount"], 1200.0);
        EXPECT_EQ(referrals[0]["note"], "Signed");
        EXPECT_EQ(referrals[0]["updated"], "2026-03-08T15:00:00Z");
        EXPECT_EQ(referrals[1]["direction"], "given");
        EXPECT_EQ(referrals[1]["member"], "Ana Souza");
        EXPECT_EQ(referrals[1]["prospect"], "Bob Chen");
        EXPECT_EQ(referrals[1]["status"], "declined");
        json fay = s.json_of({"show", "Fay Giver"});
        EXPECT_EQ(fay["birthday"], "07-14");
        EXPECT_EQ(fay["referred_by"], "Ana Souza");
        // The status history, with its times.
        SQLite::Database d(s.db().string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(d, "SELECT referral_id, status, at FROM referral_events ORDER BY id");
        std::vector<std::string> steps;
        while (q.executeStep())
            steps.push_back(fmt::format("{} {} {}", q.getColumn(0).getInt(),
                                        q.getColumn(1).getString(), q.getColumn(2).getInt64()));
        EXPECT_EQ(steps, (std::vector<std::string>{
                             fmt::format("1 new {}", e2e::epoch("2026-03-05T15:00:00Z")),
                             fmt::format("1 contacted {}", e2e::epoch("2026-03-06T15:00:00Z")),
                             fmt::format("1 won {}", e2e::epoch("2026-03-08T15:00:00Z")),
                             fmt::format("2 new {}", e2e::epoch("2026-03-08T16:00:00Z")),
                             fmt::format("2 declined {}", e2e::epoch("2026-03-09T16:00:00Z"))}));
    }
}

/// The record counts doctor reports for each data set.
json counts_of(int version) {
    switch (version) {
    case 1:
        return {{"contacts", 4},         {"events", 1},       {"followups_open", 9},
                {"followups_closed", 3}, {"interactions", 4}, {"referrals", 0}};
    case 2:
        return {{"contacts", 5},         {"events", 1},       {"followups_open", 10},
                {"followups_closed", 3}, {"interactions", 5}, {"referrals", 0}};
    case 3:
        return {{"contacts", 7},         {"events", 1},       {"followups_open", 13},
                {"followups_closed", 5}, {"interactions", 7}, {"referrals", 2}};
    case 4:
        return {{"contacts", 11},        {"events", 1},        {"followups_open", 12},
                {"followups_closed", 7}, {"interactions", 12}, {"referrals", 2}};
    default:
        return {{"contacts", 13},        {"events", 1},        {"followups_open", 15},
                {"followups_closed", 7}, {"interactions", 12}, {"referrals", 2}};
    }
}

void upgrade_and_check(int version) {
    Sandbox s;
    install(s, version);
    ASSERT_EQ(user_version(s.db()), version);

    // doctor first: it reports the version and upgrades nothing.
    const std::string before = e2e::slurp(s.db());
    json report = s.json_of({"doctor"});
    EXPECT_EQ(report["ok"], true) << report.dump(2);
    EXPECT_EQ(report["schema_version"], version);
    EXPECT_EQ(report["current_schema_version"], current_version);
    EXPECT_EQ(report["counts"], counts_of(version)) << report["counts"].dump();
    if (version < current_version) {
        EXPECT_EQ(report["checks"][2]["detail"],
                  fmt::format("{}: will be upgraded to {} by the next command", version,
                              current_version));
        EXPECT_EQ(e2e::slurp(s.db()), before) << "doctor changed the file";
        EXPECT_EQ(user_version(s.db()), version);
    }

    expect_data_of(s, version);
    EXPECT_EQ(user_version(s.db()), current_version);
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READONLY);
        // A migration switches to WAL; a file of the current version is opened as it is (the
        // stored files use a rollback journal; see docs/reliability.md).
        EXPECT_EQ(d.execAndGet("PRAGMA journal_mode").getString(),
                  version < current_version ? "wal" : "delete");
        EXPECT_EQ(d.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN "
                               "('followups_one_reconnect', 'referral_events')")
                      .getInt(),
                  2);
        // Version 6: the indexes `due` reads alone, the open follow-ups' with their columns.
        EXPECT_EQ(d.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = "
                               "'reach_of_contact' OR (name = 'followups_open_due' AND sql "
                               "LIKE '%title%WHERE status = ''open''')")
                      .getInt(),
                  2);
    }
    report = s.json_of({"doctor"});
    EXPECT_EQ(report["ok"], true) << report.dump(2);
    EXPECT_EQ(report["schema_version"], current_version);
    EXPECT_EQ(report["counts"], counts_of(version));

    // And the upgraded database takes new work.
    s.ok({"log", "Ana Souza", "--note", "After the upgrade"});
    s.ok({"add", "New Person"});
    EXPECT_EQ(s.json_of({"show", "New Person"})["followups"].size(), 3u);
}

} // namespace

TEST(Upgrade, FromVersion1) {
    SQLITE_FILE_ONLY();
    upgrade_and_check(1);
}

TEST(Upgrade, FromVersion2) {
    SQLITE_FILE_ONLY();
    upgrade_and_check(2);
}

TEST(Upgrade, FromVersion3) {
    SQLITE_FILE_ONLY();
    upgrade_and_check(3);
}

TEST(Upgrade, FromVersion4) {
    SQLITE_FILE_ONLY();
    upgrade_and_check(4);
}

TEST(Upgrade, FromVersion5) {
    SQLITE_FILE_ONLY();
    upgrade_and_check(5);
}

TEST(Upgrade, Migration2KeepsOneOpenReconnectPerContact) {
    SQLITE_FILE_ONLY();
    // Version 1 had no unique index: two open reconnects for one contact could exist (version 2
    // refuses them, so no v2 file can hold them). Migration 2 skips all but the newest.
    Sandbox s;
    install(s, 1);
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE);
        d.exec("INSERT INTO followups (uuid, contact_id, kind, title, due, original_due, created) "
               "VALUES ('r1', 2, 'reconnect', 'Reconnect with Bob Chen', 1773500000, 1773500000, "
               "1772550000), "
               "('r2', 2, 'reconnect', 'Reconnect with Bob Chen', 1773600000, 1773600000, "
               "1772550000)");
    }
    json due = s.json_of({"due", "--all", "--kind", "reconnect"});
    ASSERT_EQ(due.size(), 1u) << due.dump(2);
    EXPECT_EQ(due[0]["id"], 14); // the newest
    EXPECT_EQ(due[0]["contact"], "Bob Chen");
    json older = followup_of(s.json_of({"show", "Bob Chen"}), 13);
    EXPECT_EQ(older["status"], "skipped");
    EXPECT_EQ(older["note"], "duplicate reconnect");
    EXPECT_EQ(user_version(s.db()), current_version);
    EXPECT_EQ(s.json_of({"due", "--all"}).size(), 7u); // the six of v1 and the reconnect
}

TEST(Upgrade, NewerVersionIsRefusedAndLeftAlone) {
    SQLITE_FILE_ONLY();
    Sandbox s;
    install(s, 3);
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE);
        d.exec("PRAGMA journal_mode = WAL; PRAGMA user_version = 99");
    }
    const std::string before = e2e::slurp(s.db());
    const std::string wal_before = wal_bytes(s.db());
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"contacts"}, {"due"}, {"add", "Someone"}, {"backup", (s.dir() / "b.db").string()}}) {
        e2e::Result r = s.run(args);
        if (args[0] == "backup") { // a backup of any version is fine
            EXPECT_EQ(r.status, 0) << r.err;
            continue;
        }
        EXPECT_EQ(r.status, 1) << r.err;
        EXPECT_EQ(r.err_line(),
                  fmt::format("followup: database {} has schema version 99, newer than this "
                              "followup understands ({}); upgrade followup",
                              s.db().string(), current_version));
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    EXPECT_EQ(e2e::slurp(s.db()), before);
    EXPECT_EQ(wal_bytes(s.db()), wal_before);
    e2e::Result doctor = s.run({"doctor"});
    EXPECT_EQ(doctor.status, 1);
    EXPECT_NE(doctor.out.find("PROBLEM  schema version  99 is newer than this followup "
                              "understands (7)"),
              std::string::npos)
        << doctor.out;
    // Nor is it restored over the live database.
    Sandbox other;
    other.ok({"add", "Ana Souza"});
    const std::string live = e2e::slurp(other.db());
    e2e::Result r = other.run({"restore", s.db().string(), "--yes"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err_line().find("schema version 99, newer than this followup understands (7)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(e2e::slurp(other.db()), live);
}

TEST(Upgrade, FailingMigrationRollsBackCompletely) {
    SQLITE_FILE_ONLY();
    // A version 1 file in which migration 3 cannot create its table: migration 2 runs first, in
    // the same transaction, and must be rolled back with it.
    for (int version : {1, 2}) {
        SCOPED_TRACE(fmt::format("from v{}", version));
        Sandbox s;
        install(s, version);
        {
            // As followup leaves its files: WAL (the stored files use a rollback journal).
            SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE);
            d.exec("PRAGMA journal_mode = WAL");
            d.exec("CREATE TABLE referral_events (anything TEXT)");
        }
        const std::string before = e2e::slurp(s.db());
        for (const auto& args :
             std::vector<std::vector<std::string>>{{"due"}, {"add", "Someone"}, {"contacts"}}) {
            e2e::Result r = s.run(args);
            EXPECT_EQ(r.status, 1) << r.err;
            EXPECT_EQ(r.err_line(),
                      fmt::format("followup: cannot upgrade database {} from schema version {} "
                                  "to {} (table referral_events already exists); it is left as "
                                  "it was",
                                  s.db().string(), version, current_version));
            EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
            EXPECT_EQ(e2e::slurp(s.db()), before) << "the database changed";
            EXPECT_EQ(wal_bytes(s.db()), "") << "the write-ahead log holds something";
        }
        EXPECT_EQ(user_version(s.db()), version);
        SQLite::Database d(s.db().string(), SQLite::OPEN_READONLY);
        EXPECT_EQ(d.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = "
                               "'followups_one_reconnect'")
                      .getInt(),
                  version >= 2 ? 1 : 0);
    }
}
