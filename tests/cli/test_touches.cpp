// followup log and followup promise: touches either way, and promises either way.

#include "harness.hpp"

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
