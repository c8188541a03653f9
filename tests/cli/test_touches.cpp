// followup log and followup promise: touches either way, and promises either way.

#include "harness.hpp"

#include <fmt/format.h>

using e2e::Sandbox;

namespace {

/// Jane met on Wed 2026-11-18 19:00 New York (2026-11-19T00:00:00Z), no plan.
void seed(Sandbox& s) {
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    s.ok({"add", "Jane Doe", "--email", "jane@example.com", "--met", "2026-11-18 19:00", "--plan",
          "none"});
}

} // namespace

TEST(Touches, LogRecordsATouchEitherWayAndMovesTheLastTouch) {
    Sandbox s;
    seed(s);
    s.ok({"log", "jane", "--in", "--via", "phone", "--note", "She called about the proposal"});
    s.ok({"log", "jane", "--at", "yesterday 14:30"}); // older than the call: last touch stays
    e2e::json card = s.json_of({"show", "jane"});
    ASSERT_EQ(card["interactions"].size(), 2u);
    // Newest first: the call at 08:00 EST (13:00Z), then yesterday 14:30 EST (19:30Z).
    EXPECT_EQ(card["interactions"][0]["at"], "2026-11-20T13:00:00Z");
    EXPECT_EQ(card["interactions"][0]["direction"], "in");
    EXPECT_EQ(card["interactions"][0]["channel"], "phone");
    EXPECT_EQ(card["interactions"][0]["note"], "She called about the proposal");
    EXPECT_TRUE(card["interactions"][0]["followup_id"].is_null());
    EXPECT_EQ(card["interactions"][1]["at"], "2026-11-19T19:30:00Z");
    EXPECT_EQ(card["interactions"][1]["direction"], "out");
    EXPECT_EQ(card["interactions"][1]["channel"], "email"); // the contact's channel
    EXPECT_EQ(card["last_touch"], "2026-11-20T13:00:00Z");
}

TEST(Touches, LogInTheFutureIsAUsageError) {
    Sandbox s;
    seed(s);
    e2e::Result r = s.run({"log", "jane", "--at", "+1d"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: --at '+1d' is in the future");
    EXPECT_TRUE(s.json_of({"show", "jane"})["interactions"].empty());
}

TEST(Touches, PromisesEitherWay) {
    Sandbox s;
    seed(s);
    s.ok({"promise", "jane", "Send the case study", "--by", "tomorrow 5pm"});
    s.ok({"promise", "jane", "the intro to Sam", "--by", "mon", "--theirs"});
    e2e::json rows = s.json_of({"due", "--all"});
    ASSERT_EQ(rows.size(), 2u);
    // Sat 2026-11-21 17:00 EST = 22:00Z.
    EXPECT_EQ(rows[0]["kind"], "promise");
    EXPECT_EQ(rows[0]["title"], "Send the case study");
    EXPECT_EQ(rows[0]["due"], "2026-11-21T22:00:00Z");
    // Mon 2026-11-23, end of the day: 23:59:59 EST = 2026-11-24T04:59:59Z.
    EXPECT_EQ(rows[1]["kind"], "waiting");
    EXPECT_EQ(rows[1]["title"], "Waiting on Jane Doe: the intro to Sam");
    EXPECT_EQ(rows[1]["due"], "2026-11-24T04:59:59Z");
    EXPECT_EQ(s.json_of({"due", "--all", "--kind", "waiting"}).size(), 1u);
}

TEST(Touches, KeepInTouchCadenceFollowsEveryTouchWithOneOpenReconnect) {
    Sandbox s;
    s.at("2026-10-01T16:00:00Z"); // Thu 12:00 EDT
    s.ok({"add", "Jane Doe", "--email", "jane@example.com", "--plan", "none", "--every", "30d"});
    auto reconnects = [&] { return s.json_of({"due", "--all", "--kind", "reconnect"}); };
    e2e::json r = reconnects();
    ASSERT_EQ(r.size(), 1u);
    // 30 days after 2026-10-01 12:00 EDT: 2026-10-31 12:00 EDT = 16:00Z.
    EXPECT_EQ(r[0]["due"], "2026-10-31T16:00:00Z");
    EXPECT_EQ(r[0]["title"], "Reconnect with Jane Doe");

    // She calls on 2026-10-20 at 12:00 EDT: the reconnect moves to 2026-11-19 12:00 EST.
    s.at("2026-10-20T16:00:00Z");
    s.ok({"log", "jane", "--in", "--via", "phone"});
    r = reconnects();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0]["due"], "2026-11-19T17:00:00Z");

    // A done follow-up is a touch too: a todo done on 2026-11-01 09:00 EST.
    s.ok({"todo", "jane", "Send the deck", "--by", "2026-11-02"});
    s.at("2026-11-01T14:00:00Z");
    s.ok({"done",
          std::to_string(s.json_of({"due", "--all", "--kind", "custom"})[0]["id"].get<int>())});
    r = reconnects();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0]["due"], "2026-12-01T14:00:00Z");

    // Doing the reconnect itself schedules the next one, a cadence later.
    s.at("2026-12-01T15:00:00Z");
    s.ok({"done", std::to_string(r[0]["id"].get<int>()), "--note", "Coffee"});
    r = reconnects();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0]["due"], "2026-12-31T15:00:00Z");

    // Stopping the cadence skips the open reconnect.
    s.ok({"edit", "jane", "--every", "none"});
    EXPECT_TRUE(reconnects().empty());
}

TEST(Touches, StaleListsContactsNotTouchedForThatLongOldestFirst) {
    Sandbox s;
    s.at("2025-01-10T17:00:00Z");
    s.ok({"add", "Old Friend", "--plan", "none"});
    s.at("2025-06-10T16:00:00Z");
    s.ok({"add", "Mid Friend", "--plan", "none"});
    s.at("2026-11-01T16:00:00Z");
    s.ok({"add", "New Friend", "--plan", "none"});
    s.at("2026-11-20T13:00:00Z");
    e2e::json stale = s.json_of({"contacts", "--stale", "1y"});
    ASSERT_EQ(stale.size(), 2u);
    EXPECT_EQ(stale[0]["name"], "Old Friend");
    EXPECT_EQ(stale[0]["last_touch"], "2025-01-10T17:00:00Z");
    EXPECT_EQ(stale[1]["name"], "Mid Friend");
    // A touch makes a contact fresh again.
    s.ok({"log", "old friend"});
    EXPECT_EQ(s.json_of({"contacts", "--stale", "1y"}).size(), 1u);
}

TEST(Touches, DoneInTheFutureIsAUsageError) {
    Sandbox s;
    seed(s);
    s.ok({"todo", "jane", "Send the deck", "--by", "tomorrow"});
    for (const char* when : {"+2h", "tomorrow"}) {
        e2e::Result r = s.run({"done", "1", "--at", when});
        EXPECT_EQ(r.status, 2) << when;
        EXPECT_EQ(r.err_line(), fmt::format("followup: --at '{}' is in the future", when));
    }
    EXPECT_EQ(s.json_of({"due", "--all"})[0]["status"], "open");
}

TEST(Touches, OutputThatCannotBeWrittenIsAFailure) {
    Sandbox s;
    seed(s);
    // stdout on a full device: exit 1 and a message, not a silent success.
    e2e::Result r = s.run_to({"contacts"}, "/dev/full");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: write error: No space left on device");
}

TEST(Touches, Feb29BirthdayFallsOnFeb28InOtherYearsAndDoneSchedulesTheNext) {
    Sandbox s;
    s.at("2027-01-10T15:00:00Z"); // 2027 has no February 29
    s.ok({"add", "Leap Lee", "--plan", "none", "--birthday", "02-29"});
    e2e::json cards = s.json_of({"due", "--all", "--kind", "birthday"});
    ASSERT_EQ(cards.size(), 1u);
    EXPECT_EQ(cards[0]["title"], "Send Leap Lee a birthday card");
    // Birthday on Sun 2027-02-28; the card 5 days before, by Tue 2027-02-23 23:59:59 EST.
    EXPECT_EQ(cards[0]["due"], "2027-02-24T04:59:59Z");
    s.at("2027-02-22T15:00:00Z");
    s.ok({"done", std::to_string(cards[0]["id"].get<int>())});
    cards = s.json_of({"due", "--all", "--kind", "birthday"});
    ASSERT_EQ(cards.size(), 1u);
    // 2028 is a leap year: birthday Tue 2028-02-29, card by Thu 2028-02-24 23:59:59 EST.
    EXPECT_EQ(cards[0]["due"], "2028-02-25T04:59:59Z");
    // A bad birthday is a usage error.
    e2e::Result r = s.run({"edit", "leap", "--birthday", "02-30"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: invalid birthday '02-30' (MM-DD or YYYY-MM-DD)");
    // Removing the birthday skips the open card.
    s.ok({"edit", "leap", "--birthday", "none"});
    EXPECT_TRUE(s.json_of({"due", "--all", "--kind", "birthday"}).empty());
}

TEST(Touches, TheTimelineIsInOrderWithTheMeetingInItsPlace) {
    Sandbox s;
    seed(s); // met Wed 2026-11-18 19:00
    s.ok({"log", "jane", "--at", "2026-11-10 12:00", "--note", "Emailed before the event"});
    s.ok({"log", "jane", "--in", "--note", "Called back"});
    std::string card = s.ok({"show", "jane"});
    auto called = card.find("Called back");
    auto met = card.find("met");
    auto before = card.find("Emailed before the event");
    ASSERT_NE(called, std::string::npos) << card;
    EXPECT_LT(called, met) << card;
    EXPECT_LT(met, before) << card;
    EXPECT_EQ(card.find(" \n"), std::string::npos) << "trailing blanks:\n" << card;
}

TEST(Touches, AFirstCommandWhoseOutputFailsKeepsWhatItCommitted) {
    Sandbox s; // no database yet
    e2e::Result r = s.run_to({"add", "Jane Doe", "--plan", "none"}, "/dev/full");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: write error: No space left on device");
    // The contact was committed before the output failed: the new database stays.
    if (!e2e::on_postgres()) {
        ASSERT_TRUE(std::filesystem::exists(s.db()));
    }
    EXPECT_EQ(s.json_of({"contacts"}).size(), 1u);
}

namespace {

/// The touches with one contact, from `show`, newest first.
e2e::json touches_of(const Sandbox& s, const std::string& who) {
    return s.json_of({"show", who})["interactions"];
}

int in_person(const e2e::json& touches) {
    int n = 0;
    for (const auto& t : touches)
        if (t["channel"] == "in-person") ++n;
    return n;
}

} // namespace

// Issue 33, item 2: touch accounting. Receiving a referral is word from the referrer (an
// incoming touch); a one-to-one held and the referral `met` are one meeting, one touch, in
// either order; a won client has answered.
TEST(Touches, OneRealWorldContactIsOneTouch) {
    Sandbox s;
    s.at("2026-11-16T14:00:00Z"); // Mon 09:00 EST
    s.ok({"add", "Ann Lee", "--email", "ann@example.com", "--plan", "none"});
    std::string out = s.ok({"referral", "receive", "--from", "ann", "--prospect", "Bob Stone"});
    EXPECT_NE(out.find("Logged a touch from Ann Lee\n"), std::string::npos) << out;
    e2e::json ann = s.json_of({"show", "ann"});
    EXPECT_EQ(ann["last_in"], "2026-11-16T14:00:00Z");
    ASSERT_EQ(ann["interactions"].size(), 1u);
    EXPECT_EQ(ann["interactions"][0]["direction"], "in");
    EXPECT_EQ(ann["interactions"][0]["note"], "Referred Bob Stone to you");
    std::string card = s.ok({"show", "ann"});
    EXPECT_EQ(card.find("never"), std::string::npos) << card;

    // Bob: contacted, a one-to-one booked and held, then the referral marked met.
    s.ok({"referral", "update", "1", "--status", "contacted"});
    s.ok({"book", "bob", "tue 10am"});
    s.at("2026-11-17T16:00:00Z"); // Tue 11:00 EST
    s.ok({"done", "3"});          // the meeting (2 is Bob's referral step)
    out = s.ok({"referral", "update", "1", "--status", "met"});
    EXPECT_EQ(out.find("Logged a touch with Bob Stone"), std::string::npos) << out;
    EXPECT_EQ(in_person(touches_of(s, "bob")), 1) << touches_of(s, "bob").dump(2);

    // The other order: met first, then the meeting held the same day.
    s.ok({"add", "Cal Ortiz", "--plan", "none"});
    s.ok({"referral", "receive", "--from", "ann", "--prospect", "Dan Hale"});
    s.ok({"book", "dan", "wed 9am"});
    s.at("2026-11-18T15:00:00Z"); // Wed 10:00 EST
    s.ok({"referral", "update", "2", "--status", "met"});
    e2e::json dan = s.json_of({"show", "dan"});
    int meeting = 0;
    for (const auto& f : dan["followups"])
        if (f["kind"] == "meeting") meeting = f["id"].get<int>();
    ASSERT_NE(meeting, 0);
    out = s.ok({"done", std::to_string(meeting)});
    EXPECT_EQ(out.find("Logged a touch"), std::string::npos) << out;
    EXPECT_EQ(in_person(touches_of(s, "dan")), 1) << touches_of(s, "dan").dump(2);

    // Won: Bob has answered with business; Cal, written to and silent, has not.
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "900"});
    s.ok({"log", "cal", "--note", "Sent the brochure"});
    s.at("2026-11-27T15:00:00Z");
    e2e::json silent = s.json_of({"contacts", "--no-reply", "7d"});
    std::set<std::string> names;
    for (const auto& c : silent)
        names.insert(c["name"]);
    EXPECT_FALSE(names.contains("Bob Stone")) << silent.dump(2);
    EXPECT_TRUE(names.contains("Cal Ortiz")) << silent.dump(2);
}
