// Referrals received and given, followed to the end, with their follow-ups' exact deadlines.

#include "harness.hpp"

using e2e::Sandbox;

TEST(Referrals, ReceivedReferralToWonWithItsThank) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    s.ok({"add", "Ann Lee", "--email", "ann@example.com", "--plan", "none"});
    // The prospect does not exist yet: created on the fly, with no plan.
    std::string out = s.ok({"referral", "receive", "--from", "ann", "--prospect", "Bob Stone",
                            "--note", "Needs a printer"});
    EXPECT_NE(out.find("Created #2 Bob Stone"), std::string::npos) << out;
    e2e::json bob = s.followups("bob", "referral");
    ASSERT_EQ(bob.size(), 1u);
    EXPECT_EQ(bob[0]["title"], "Contact Bob Stone, referred by Ann Lee");
    EXPECT_EQ(bob[0]["due"], "2026-11-21T13:00:00Z"); // 24 hours
    EXPECT_EQ(bob[0]["referral_id"], 1);
    EXPECT_EQ(s.json_of({"show", "bob"})["referred_by"], "Ann Lee");
    EXPECT_EQ(s.json_of({"due", "--all"}).size(), 1u); // Bob got no 24/7/30 plan

    // Contacted the next day at 10:00 EST: the referral step is done, a report is due 24h later.
    s.at("2026-11-21T15:00:00Z");
    s.ok({"referral", "update", "1", "--status", "contacted"});
    bob = s.followups("bob", "referral");
    EXPECT_EQ(bob[0]["status"], "done");
    EXPECT_EQ(bob[0]["done_at"], "2026-11-21T15:00:00Z");
    e2e::json report = s.followups("ann", "report");
    ASSERT_EQ(report.size(), 1u);
    EXPECT_EQ(report[0]["title"], "Tell Ann Lee how it went with Bob Stone");
    EXPECT_EQ(report[0]["due"], "2026-11-22T15:00:00Z");

    // Met: still one open report, moved.
    s.at("2026-11-23T15:00:00Z");
    s.ok({"referral", "update", "1", "--status", "met"});
    report = s.followups("ann", "report");
    ASSERT_EQ(report.size(), 1u);
    EXPECT_EQ(report[0]["due"], "2026-11-24T15:00:00Z");

    // Won with an amount: a thank to the referrer naming the prospect.
    s.at("2026-11-30T15:00:00Z");
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "1200"});
    e2e::json thank = s.followups("ann", "thank");
    ASSERT_EQ(thank.size(), 1u);
    EXPECT_EQ(thank[0]["title"], "Thank Ann Lee for the business with Bob Stone (1200.00)");
    EXPECT_EQ(thank[0]["due"], "2026-12-01T15:00:00Z");
    e2e::json ledger = s.json_of({"referrals"});
    ASSERT_EQ(ledger.size(), 1u);
    EXPECT_EQ(ledger[0]["direction"], "received");
    EXPECT_EQ(ledger[0]["referrer"], "Ann Lee");
    EXPECT_EQ(ledger[0]["prospect"], "Bob Stone");
    EXPECT_EQ(ledger[0]["status"], "won");
    EXPECT_EQ(ledger[0]["amount"], 1200.0);
    EXPECT_EQ(ledger[0]["updated"], "2026-11-30T15:00:00Z");
    EXPECT_TRUE(s.json_of({"referrals", "--open"}).empty());
    std::string table = s.ok({"referrals"});
    EXPECT_NE(table.find("1 won, closed 1200.00"), std::string::npos) << table;
}

TEST(Referrals, GivenReferralWithItsCheckin) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "give", "--to", "Mia Chen", "--prospect", "Cara Diaz"});
    e2e::json checkin = s.followups("mia", "checkin");
    ASSERT_EQ(checkin.size(), 1u);
    EXPECT_EQ(checkin[0]["title"], "Ask Mia Chen whether they reached Cara Diaz");
    // 7 calendar days at the same local time: Fri 2026-11-27 08:00 EST.
    EXPECT_EQ(checkin[0]["due"], "2026-11-27T13:00:00Z");
    EXPECT_EQ(s.json_of({"referrals", "--given"}).size(), 1u);
    EXPECT_TRUE(s.json_of({"referrals", "--received"}).empty());
    // Mia reached Cara: the check-in is done, with Mia's word as an incoming touch, and the
    // next check-in follows 7 days later (until the referral is won, lost, declined or passed).
    s.at("2026-11-23T15:00:00Z");
    s.ok({"referral", "update", "1", "--status", "contacted"});
    e2e::json after = s.followups("mia", "checkin");
    ASSERT_EQ(after.size(), 2u) << after.dump(2);
    EXPECT_EQ(after[0]["status"], "open");
    EXPECT_EQ(after[0]["due"], "2026-11-30T15:00:00Z");
    EXPECT_EQ(after[1]["status"], "done");
    e2e::json mia = s.json_of({"show", "Mia Chen"});
    ASSERT_EQ(mia["interactions"].size(), 1u);
    EXPECT_EQ(mia["interactions"][0]["direction"], "in");
    EXPECT_EQ(mia["last_in"], "2026-11-23T15:00:00Z");
    EXPECT_TRUE(s.followups("mia", "report").empty()); // reports go to referrers only
}

TEST(Referrals, DeclinedAndPassedReportsSaySo) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Dan Ng"});
    s.ok({"referral", "update", "1", "--status", "declined"});
    s.ok({"referral", "update", "2", "--status", "passed"});
    e2e::json reports = s.followups("ann", "report");
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0]["title"], "Tell Ann Lee politely that you declined Bob Stone");
    EXPECT_EQ(reports[1]["title"], "Tell Ann Lee politely that you passed Dan Ng on");
    EXPECT_EQ(reports[0]["due"], "2026-11-21T13:00:00Z");
}

TEST(Referrals, BadUpdatesAreUsageErrorsAndWriteNothing) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    const std::string before = s.state();
    e2e::Result r = s.run({"referral", "update", "1", "--status", "maybe"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.err_line().starts_with("followup: unknown referral status 'maybe'")) << r.err;
    r = s.run({"referral", "update", "1", "--status", "met", "--amount", "5"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: --amount goes with --status won");
    r = s.run({"referral", "update", "9", "--status", "met"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: no referral 9");
    EXPECT_EQ(s.state(), before);
}
