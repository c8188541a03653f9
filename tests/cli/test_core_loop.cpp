// The core loop end to end: add people after an evening event, read `due` the next morning,
// then done / snooze / skip, with every deadline computed by hand from the 24/7/30 rules.
//
// Zone: America/New_York. In November 2026 it is EST (UTC-5): DST ended on Sun 2026-11-01.

#include "harness.hpp"

#include <set>

using e2e::json;
using e2e::Sandbox;

namespace {

const std::set<std::string> followup_keys{"id",          "uuid",    "contact_id", "contact",
                                          "kind",        "title",   "due",        "original_due",
                                          "status",      "channel", "handle",     "link",
                                          "referral_id", "created", "done_at",    "note"};

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> keys;
    for (const auto& [k, v] : object.items())
        keys.insert(k);
    return keys;
}

const json& by_id(const json& rows, long long id) {
    for (const auto& r : rows)
        if (r.at("id") == id) return r;
    ADD_FAILURE() << "no row with id " << id << " in " << rows.dump(2);
    static const json none;
    return none;
}

std::vector<long long> ids_of(const json& rows) {
    std::vector<long long> ids;
    for (const auto& r : rows)
        ids.push_back(r.at("id").get<long long>());
    return ids;
}

/// Thu 2026-11-19, "Chamber Mixer" at 19:00 local (2026-11-20T00:00:00Z). The three people are
/// typed in at 22:15 local the same evening (2026-11-20T03:15:00Z):
///   Ana   met "19:00" (a clock time alone: today 19:00), with an email address;
///   Bob   met "2026-11-19 19:00", phone, prefers WhatsApp;
///   Carla met by default (now, 22:15), prefers LinkedIn with a handle.
/// Follow-ups get ids 1-3 (Ana), 4-6 (Bob), 7-9 (Carla): note, connect, meet each.
void add_chamber_mixer(Sandbox& s) {
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza", "--company", "Acme", "--email", "ana@acme.example", "--event",
          "Chamber Mixer", "--met", "19:00", "--tag", "prospect"});
    s.ok({"add", "Bob Chen", "--phone", "+1 (212) 555-0101", "--via", "whatsapp", "--event",
          "Chamber Mixer", "--met", "2026-11-19 19:00"});
    s.ok({"add", "Carla Diaz", "--via", "linkedin:carla-diaz", "--event", "Chamber Mixer"});
}

} // namespace

TEST(CoreLoop, FakedClockReachesTheBinary) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "X", "--plan", "none"});
    json contacts = s.json_of({"contacts"});
    ASSERT_EQ(contacts.size(), 1u);
    EXPECT_EQ(contacts[0]["met"], "2026-11-20T13:00:00Z");
    EXPECT_EQ(contacts[0]["created"], "2026-11-20T13:00:00Z");
}

TEST(CoreLoop, AddPrintsTheContactAndOneLinePerFollowup) {
    Sandbox s;
    s.at("2026-11-20T03:15:00Z"); // Thu 22:15 local
    e2e::Result r = s.run({"add", "Ana Souza", "--email", "ana@acme.example", "--event",
                           "Chamber Mixer", "--met", "19:00"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("Added #1 Ana Souza, ")) << r.out;
    EXPECT_NE(r.out.find("Chamber Mixer"), std::string::npos) << r.out;
    // Three follow-up lines after the first line, with their titles.
    EXPECT_NE(r.out.find("Send a note to Ana Souza by email"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Connect with Ana Souza on LinkedIn"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Arrange a one-to-one with Ana Souza"), std::string::npos) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4) << r.out;
    // The first write at a location given by --db says it created it (SPEC Version 3).
    EXPECT_EQ(r.err,
              e2e::on_postgres() ? "" : "Created a new database at " + s.db().string() + "\n");
}

TEST(CoreLoop, EveningEventThenNextMorningDue) {
    Sandbox s;
    add_chamber_mixer(s);

    // Fri 2026-11-20 08:00 local = 13:00Z. The default window ends at 23:59:59 local today
    // (2026-11-21T04:59:59Z). Only the 24h notes fall in it:
    //   Ana, Bob: met 19:00 local = 00:00Z on the 20th, +24h exact -> 2026-11-21T00:00:00Z
    //   Carla:    met 22:15 local = 03:15Z on the 20th, +24h exact -> 2026-11-21T03:15:00Z
    s.at("2026-11-20T13:00:00Z");
    json due = s.json_of({"due"});
    ASSERT_EQ(due.size(), 3u) << due.dump(2);
    EXPECT_EQ(ids_of(due), (std::vector<long long>{1, 4, 7}));
    for (const auto& row : due)
        EXPECT_EQ(keys_of(row), followup_keys) << row.dump(2);

    const json& ana = due[0];
    EXPECT_EQ(ana["contact_id"], 1);
    EXPECT_EQ(ana["contact"], "Ana Souza");
    EXPECT_EQ(ana["kind"], "note");
    EXPECT_EQ(ana["title"], "Send a note to Ana Souza by email");
    EXPECT_EQ(ana["due"], "2026-11-21T00:00:00Z");
    EXPECT_EQ(ana["original_due"], "2026-11-21T00:00:00Z");
    EXPECT_EQ(ana["status"], "open");
    EXPECT_EQ(ana["channel"], "email");
    EXPECT_EQ(ana["handle"], "ana@acme.example");
    EXPECT_EQ(ana["link"], "mailto:ana@acme.example");
    EXPECT_EQ(ana["referral_id"], nullptr);
    EXPECT_EQ(ana["created"], "2026-11-20T03:15:00Z");
    EXPECT_EQ(ana["done_at"], nullptr);
    EXPECT_EQ(ana["note"], nullptr);
    EXPECT_EQ(ana["uuid"].get<std::string>().size(), 36u);

    const json& bob = due[1];
    EXPECT_EQ(bob["contact_id"], 2);
    EXPECT_EQ(bob["contact"], "Bob Chen");
    EXPECT_EQ(bob["kind"], "note");
    EXPECT_EQ(bob["title"], "Send a note to Bob Chen on WhatsApp");
    EXPECT_EQ(bob["due"], "2026-11-21T00:00:00Z");
    EXPECT_EQ(bob["original_due"], "2026-11-21T00:00:00Z");
    EXPECT_EQ(bob["channel"], "whatsapp");
    EXPECT_EQ(bob["link"], "https://wa.me/12125550101"); // digits only, no plus

    const json& carla = due[2];
    EXPECT_EQ(carla["contact_id"], 3);
    EXPECT_EQ(carla["contact"], "Carla Diaz");
    EXPECT_EQ(carla["kind"], "note");
    EXPECT_EQ(carla["title"], "Send a note to Carla Diaz on LinkedIn");
    EXPECT_EQ(carla["due"], "2026-11-21T03:15:00Z");
    EXPECT_EQ(carla["channel"], "linkedin");
    EXPECT_EQ(carla["handle"], "carla-diaz");
    EXPECT_EQ(carla["link"], "https://www.linkedin.com/in/carla-diaz");

    // All uuids are distinct.
    std::set<std::string> uuids;
    for (const auto& row : due)
        uuids.insert(row["uuid"].get<std::string>());
    EXPECT_EQ(uuids.size(), 3u);

    // --within 7d: window end = max(end of today, now + 7 days) = Fri 2026-11-27 08:00 local =
    // 13:00Z; adds the 7-day connects: Ana/Bob Thu 2026-11-26 19:00 local = 2026-11-27T00:00Z,
    // Carla 2026-11-26 22:15 local = 2026-11-27T03:15Z. The 30-day meets stay out.
    json week = s.json_of({"due", "--within", "7d"});
    EXPECT_EQ(ids_of(week), (std::vector<long long>{1, 4, 7, 2, 5, 8}));
    EXPECT_EQ(by_id(week, 2)["title"], "Connect with Ana Souza on LinkedIn");
    EXPECT_EQ(by_id(week, 2)["due"], "2026-11-27T00:00:00Z");
    // Bob is reached on WhatsApp, with no social profile: numbers, not a people-search.
    EXPECT_EQ(by_id(week, 5)["title"], "Exchange numbers with Bob Chen on WhatsApp");
    EXPECT_EQ(by_id(week, 5)["due"], "2026-11-27T00:00:00Z");
    EXPECT_EQ(by_id(week, 8)["due"], "2026-11-27T03:15:00Z");

    // --all: the meets too, 30 calendar days later at the same local clock time:
    // Sat 2026-12-19 19:00 local = 2026-12-20T00:00Z; Carla 22:15 local = 2026-12-20T03:15Z.
    json all = s.json_of({"due", "--all"});
    EXPECT_EQ(ids_of(all), (std::vector<long long>{1, 4, 7, 2, 5, 8, 3, 6, 9}));
    EXPECT_EQ(by_id(all, 3)["title"], "Arrange a one-to-one with Ana Souza");
    EXPECT_EQ(by_id(all, 3)["kind"], "meet");
    EXPECT_EQ(by_id(all, 3)["due"], "2026-12-20T00:00:00Z");
    EXPECT_EQ(by_id(all, 6)["due"], "2026-12-20T00:00:00Z");
    EXPECT_EQ(by_id(all, 9)["due"], "2026-12-20T03:15:00Z");

    // The contacts remember when they were met.
    json contacts = s.json_of({"contacts"});
    ASSERT_EQ(contacts.size(), 3u);
    EXPECT_EQ(contacts[0]["name"], "Ana Souza");
    EXPECT_EQ(contacts[0]["met"], "2026-11-20T00:00:00Z");
    EXPECT_EQ(contacts[0]["event"], "Chamber Mixer");
    EXPECT_EQ(contacts[0]["tags"], json::array({"prospect"}));
    EXPECT_EQ(contacts[1]["met"], "2026-11-20T00:00:00Z");
    EXPECT_EQ(contacts[2]["met"], "2026-11-20T03:15:00Z");
}

TEST(CoreLoop, DueTableHasSectionsAndRelativeTimes) {
    Sandbox s;
    add_chamber_mixer(s);
    // Sat 2026-11-21 02:00 local = 07:00Z: Ana's and Bob's notes (19:00 local yesterday) are
    // 7h overdue, Carla's (22:15 local yesterday) 3h overdue; nothing else is due today. With
    // --within 6d (until Fri 2026-11-27 02:00 local = 07:00Z) the connects are upcoming:
    // Ana's at 2026-11-26 19:00 local is 5d 17h away -> "in 5d".
    s.at("2026-11-21T07:00:00Z");
    std::string table = s.ok({"due", "--within", "6d"});
    EXPECT_NE(table.find("Overdue"), std::string::npos) << table;
    EXPECT_EQ(table.find("Today"), std::string::npos) << table;
    EXPECT_NE(table.find("Upcoming"), std::string::npos) << table;
    EXPECT_NE(table.find("7h overdue"), std::string::npos) << table;
    EXPECT_NE(table.find("3h overdue"), std::string::npos) << table;
    EXPECT_NE(table.find("in 5d"), std::string::npos) << table;
    EXPECT_LT(table.find("Overdue"), table.find("Upcoming"));
    EXPECT_NE(table.find("mailto:ana@acme.example"), std::string::npos) << table;
    EXPECT_EQ(table.find('\x1b'), std::string::npos) << "no colour when stdout is a file";

    // The next morning view: Fri 08:00 local, everything is "Today", "in 11h" for Ana (19:00).
    s.at("2026-11-20T13:00:00Z");
    std::string morning = s.ok({"due"});
    EXPECT_NE(morning.find("Today"), std::string::npos) << morning;
    EXPECT_EQ(morning.find("Overdue"), std::string::npos) << morning;
    EXPECT_NE(morning.find("in 11h"), std::string::npos) << morning;
    // 08:00 -> 22:15 is 14h15m, floored to "in 14h".
    EXPECT_NE(morning.find("in 14h"), std::string::npos) << morning;

    // Four days later the notes are 2d+ overdue: Ana's 2026-11-20 19:00 local to 2026-11-23
    // 08:00 local is 2d 13h -> "2d overdue".
    s.at("2026-11-23T13:00:00Z");
    std::string later = s.ok({"due"});
    EXPECT_NE(later.find("2d overdue"), std::string::npos) << later;
}

TEST(CoreLoop, DoneLogsAnInteractionAndSetsLastTouch) {
    Sandbox s;
    add_chamber_mixer(s);
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 local

    s.ok({"done", "1", "--note", "Sent thanks"});
    json ana = s.json_of({"show", "Ana"});
    ASSERT_TRUE(ana.contains("followups")) << ana.dump(2);
    json f1;
    for (const auto& f : ana["followups"])
        if (f["id"] == 1) f1 = f;
    EXPECT_EQ(f1["status"], "done");
    EXPECT_EQ(f1["done_at"], "2026-11-20T13:00:00Z");
    EXPECT_EQ(f1["note"], "Sent thanks");
    EXPECT_EQ(f1["due"], "2026-11-21T00:00:00Z");
    EXPECT_EQ(f1["original_due"], "2026-11-21T00:00:00Z");
    ASSERT_EQ(ana["interactions"].size(), 1u);
    const json& i = ana["interactions"][0];
    EXPECT_EQ(i["followup_id"], 1);
    EXPECT_EQ(i["direction"], "out");
    EXPECT_EQ(i["note"], "Sent thanks");
    EXPECT_EQ(i["at"], "2026-11-20T13:00:00Z");
    EXPECT_EQ(i["channel"], "email");
    EXPECT_EQ(i["contact_id"], 1);
    EXPECT_EQ(i["contact"], "Ana Souza");
    EXPECT_EQ(ana["last_touch"], "2026-11-20T13:00:00Z");
    EXPECT_EQ(ana["referrals"], json::array());

    // Without --note the interaction's note is the follow-up's title; --via overrides the
    // channel; --at sets the moment (2026-11-20 07:30 local = 12:30Z).
    s.ok({"done", "#4", "--via", "sms", "--at", "2026-11-20 07:30"});
    json bob = s.json_of({"show", "#2"});
    ASSERT_EQ(bob["interactions"].size(), 1u);
    EXPECT_EQ(bob["interactions"][0]["note"], "Send a note to Bob Chen on WhatsApp");
    EXPECT_EQ(bob["interactions"][0]["channel"], "sms");
    EXPECT_EQ(bob["interactions"][0]["at"], "2026-11-20T12:30:00Z");
    EXPECT_EQ(bob["interactions"][0]["followup_id"], 4);
    EXPECT_EQ(bob["last_touch"], "2026-11-20T12:30:00Z");
    for (const auto& f : bob["followups"])
        if (f["id"] == 4) {
            EXPECT_EQ(f["status"], "done");
            EXPECT_EQ(f["done_at"], "2026-11-20T12:30:00Z");
            EXPECT_EQ(f["note"], nullptr);
        }

    // Done follow-ups leave `due`.
    EXPECT_EQ(ids_of(s.json_of({"due"})), (std::vector<long long>{7}));

    // Completing an already done one fails and writes nothing; with several ids, nothing of
    // the batch is written (7 stays open).
    std::string before = s.state();
    e2e::Result again = s.run({"done", "4"});
    EXPECT_EQ(again.status, 1);
    EXPECT_TRUE(again.err_line().starts_with("followup: ")) << again.err;
    EXPECT_NE(again.err_line().find('4'), std::string::npos) << again.err;
    e2e::Result batch = s.run({"done", "7", "4"});
    EXPECT_EQ(batch.status, 1);
    EXPECT_EQ(s.state(), before);
    EXPECT_EQ(ids_of(s.json_of({"due"})), (std::vector<long long>{7}));
    json carla = s.json_of({"show", "Carla"});
    EXPECT_EQ(carla["interactions"], json::array());
}

TEST(CoreLoop, SnoozeMovesDueAndKeepsOriginalDue) {
    Sandbox s;
    add_chamber_mixer(s);
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 local

    // --for counts from the deadline while it is ahead: Carla's note 2026-11-20 22:15 local
    // + 2 calendar days -> Sun 2026-11-22 22:15 local = 2026-11-23T03:15:00Z.
    s.ok({"snooze", "7", "--for", "2d"});
    // --until: 2026-12-01 09:00 local (EST) = 14:00Z.
    s.ok({"snooze", "8", "--until", "2026-12-01 09:00"});
    json all = s.json_of({"due", "--all"});
    EXPECT_EQ(by_id(all, 7)["due"], "2026-11-23T03:15:00Z");
    EXPECT_EQ(by_id(all, 7)["original_due"], "2026-11-21T03:15:00Z");
    EXPECT_EQ(by_id(all, 7)["status"], "open");
    EXPECT_EQ(by_id(all, 8)["due"], "2026-12-01T14:00:00Z");
    EXPECT_EQ(by_id(all, 8)["original_due"], "2026-11-27T03:15:00Z");
    // Today's list lost Carla's note.
    EXPECT_EQ(ids_of(s.json_of({"due"})), (std::vector<long long>{1, 4}));

    // Once overdue, --for counts from now: Tue 2026-11-24 10:00 local = 15:00Z, + 36h exact
    // = 2026-11-26T03:00:00Z. The original deadline is still the first one.
    s.at("2026-11-24T15:00:00Z");
    s.ok({"snooze", "7", "--for", "36h"});
    all = s.json_of({"due", "--all"});
    EXPECT_EQ(by_id(all, 7)["due"], "2026-11-26T03:00:00Z");
    EXPECT_EQ(by_id(all, 7)["original_due"], "2026-11-21T03:15:00Z");

    // Several ids at once: 1 and 4 (overdue, 2026-11-21T00:00Z) + 1 week from now ->
    // Tue 2026-12-01 10:00 local = 15:00Z.
    s.ok({"snooze", "1", "4", "--for", "1w"});
    all = s.json_of({"due", "--all"});
    EXPECT_EQ(by_id(all, 1)["due"], "2026-12-01T15:00:00Z");
    EXPECT_EQ(by_id(all, 4)["due"], "2026-12-01T15:00:00Z");
    EXPECT_EQ(by_id(all, 4)["original_due"], "2026-11-21T00:00:00Z");
}

TEST(CoreLoop, SnoozeNeedsExactlyOneOfUntilAndFor) {
    Sandbox s;
    add_chamber_mixer(s);
    std::string before = s.state();
    e2e::Result both = s.run({"snooze", "1", "--until", "tomorrow", "--for", "2d"});
    EXPECT_EQ(both.status, 2) << both.err;
    EXPECT_TRUE(both.err_line().starts_with("followup: ")) << both.err;
    e2e::Result neither = s.run({"snooze", "1"});
    EXPECT_EQ(neither.status, 2) << neither.err;
    EXPECT_TRUE(neither.err_line().starts_with("followup: ")) << neither.err;
    EXPECT_EQ(s.state(), before);
}

TEST(CoreLoop, SkipClosesWithTheReason) {
    Sandbox s;
    add_chamber_mixer(s);
    s.at("2026-11-20T13:00:00Z");
    s.ok({"skip", "9", "--reason", "Moved abroad"});
    json carla = s.json_of({"show", "Carla"});
    json f9;
    for (const auto& f : carla["followups"])
        if (f["id"] == 9) f9 = f;
    EXPECT_EQ(f9["status"], "skipped");
    EXPECT_EQ(f9["note"], "Moved abroad");
    EXPECT_EQ(f9["done_at"], nullptr);
    EXPECT_EQ(f9["due"], "2026-12-20T03:15:00Z");
    // Skipping logs no interaction and does not touch the contact.
    EXPECT_EQ(carla["interactions"], json::array());
    EXPECT_EQ(carla["last_touch"], "2026-11-20T03:15:00Z");
    json all = s.json_of({"due", "--all"});
    EXPECT_EQ(ids_of(all), (std::vector<long long>{1, 4, 7, 2, 5, 8, 3, 6}));

    // Skipping, snoozing or completing a closed follow-up fails and writes nothing.
    std::string before = s.state();
    EXPECT_EQ(s.run({"skip", "9"}).status, 1);
    EXPECT_EQ(s.run({"snooze", "9", "--for", "1d"}).status, 1);
    EXPECT_EQ(s.run({"done", "9"}).status, 1);
    EXPECT_EQ(s.state(), before);
}

TEST(CoreLoop, TodoIsACustomFollowupDueAtEndOfDay) {
    Sandbox s;
    add_chamber_mixer(s);
    s.at("2026-11-20T13:00:00Z");
    // --by 2026-12-01 = Tue 2026-12-01 23:59:59 local (EST) = 2026-12-02T04:59:59Z.
    s.ok({"todo", "bob", "Send the deck", "--by", "2026-12-01"});
    json rows = s.json_of({"due", "--all", "--kind", "custom"});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["id"], 10);
    EXPECT_EQ(rows[0]["kind"], "custom");
    EXPECT_EQ(rows[0]["title"], "Send the deck");
    EXPECT_EQ(rows[0]["contact"], "Bob Chen");
    EXPECT_EQ(rows[0]["due"], "2026-12-02T04:59:59Z");
    EXPECT_EQ(rows[0]["original_due"], "2026-12-02T04:59:59Z");
    EXPECT_EQ(rows[0]["created"], "2026-11-20T13:00:00Z");
}

TEST(CoreLoop, ChannelsGiveTitlesAndLinks) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Pia Phone", "--phone", "+1 212-555-0199"});
    s.ok({"add", "Sam Sms", "--phone", "+44 20 7946 0958", "--via", "sms"});
    s.ok({"add", "Lee Url", "--via", "linkedin:https://www.linkedin.com/in/lee-url-123"});
    s.ok({"add", "Xia X", "--via", "x:@xia"});
    s.ok({"add", "Fay Fb", "--via", "facebook:fay.fb"});
    s.ok({"add", "Ian Insta", "--via", "instagram:ian"});
    s.ok({"add", "Nat None"});
    json notes = s.json_of({"due", "--all", "--kind", "note"});
    json connects = s.json_of({"due", "--all", "--kind", "connect"});
    ASSERT_EQ(notes.size(), 7u);
    ASSERT_EQ(connects.size(), 7u);
    // All were added at the same instant, so rows are in id order.
    EXPECT_EQ(notes[0]["title"], "Call Pia Phone to say it was good to meet");
    EXPECT_EQ(notes[0]["channel"], "phone");
    EXPECT_EQ(notes[0]["link"], "tel:+12125550199");
    EXPECT_EQ(notes[1]["link"], "sms:+442079460958");
    EXPECT_EQ(notes[2]["title"], "Send a note to Lee Url on LinkedIn");
    EXPECT_EQ(notes[2]["link"], "https://www.linkedin.com/in/lee-url-123");
    EXPECT_EQ(notes[6]["title"], "Send a note to Nat None");
    EXPECT_EQ(notes[6]["channel"], nullptr);
    EXPECT_EQ(notes[6]["link"], nullptr);
    EXPECT_EQ(connects[0]["title"], "Exchange numbers with Pia Phone on phone");
    EXPECT_EQ(connects[3]["title"], "Connect with Xia X on X");
    EXPECT_EQ(connects[4]["title"], "Connect with Fay Fb on Facebook");
    EXPECT_EQ(connects[5]["title"], "Connect with Ian Insta on Instagram");
    EXPECT_EQ(connects[6]["title"], "Connect with Nat None on LinkedIn");
}

TEST(CoreLoop, PlanNoneCreatesNothing) {
    Sandbox s;
    e2e::Result r = s.run({"add", "Quiet Quinn", "--plan", "none"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(s.json_of({"due", "--all"}), json::array());
}
