// followup stats: exact counts, lateness, referrals and touches per week, in JSON and as a chart.

#include "harness.hpp"

using e2e::Sandbox;

TEST(Stats, CountsLatenessReferralsAndTouchesPerWeek) {
    Sandbox s;
    s.at("2026-11-20T01:00:00Z"); // Thu 2026-11-19 20:00 EST
    s.ok({"add", "Jane Doe", "--email", "jane@example.com", "--met", "19:00"});
    // note due Fri 2026-11-20 19:00 EST (2026-11-21T00:00:00Z): done on time, Fri 09:00 EST.
    s.at("2026-11-20T14:00:00Z");
    s.ok({"done", "1"});
    // connect due Thu 2026-11-26 19:00 EST: done 2 hours late.
    s.at("2026-11-27T02:00:00Z");
    s.ok({"done", "2"});
    s.ok({"log", "jane", "--in", "--at", "2026-10-01 12:00"});
    s.ok({"referral", "receive", "--from", "jane", "--prospect", "Bob Stone"});
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "500"});
    s.ok({"referral", "give", "--to", "jane", "--prospect", "Cara Diaz"});

    s.at("2026-11-28T14:00:00Z"); // Sat 09:00 EST
    e2e::json st = s.json_of({"stats"});
    EXPECT_TRUE(st["since"].is_null());
    // Done: note, connect, and the referral step completed by "won".
    EXPECT_EQ(st["done"], 3);
    EXPECT_EQ(st["on_time"], 2);
    EXPECT_EQ(st["median_lateness_seconds"], 0);
    // Open: meet (Dec 19), the thank (Nov 28 02:00Z, overdue), the check-in (Dec 4).
    EXPECT_EQ(st["open"], 3);
    EXPECT_EQ(st["overdue"], 1);
    EXPECT_EQ(st["referrals_received"], 1);
    EXPECT_EQ(st["referrals_given"], 1);
    EXPECT_EQ(st["referrals_won"], 1);
    EXPECT_EQ(st["conversion"], 1.0);
    EXPECT_EQ(st["closed_value"], 500.0);
    ASSERT_EQ(st["touches_per_week"].size(), 12u);
    // Weeks start on Monday; this one is Mon 2026-11-23.
    EXPECT_EQ(st["touches_per_week"][11]["week"], "2026-11-23");
    EXPECT_EQ(st["touches_per_week"][11]["touches"], 2); // connect done + referral done
    EXPECT_EQ(st["touches_per_week"][10]["week"], "2026-11-16");
    EXPECT_EQ(st["touches_per_week"][10]["touches"], 1); // the note
    EXPECT_EQ(st["touches_per_week"][3]["week"], "2026-09-28");
    EXPECT_EQ(st["touches_per_week"][3]["touches"], 1); // the call on Oct 1

    // --since counts from that day: the note on Nov 20 is before Nov 21.
    e2e::json recent = s.json_of({"stats", "--since", "2026-11-21"});
    EXPECT_EQ(recent["done"], 2);
    EXPECT_EQ(recent["on_time"], 1);
    EXPECT_EQ(recent["median_lateness_seconds"], 3600); // median of 0 and 2h

    // The chart: Unicode blocks in a UTF-8 locale, '#' otherwise.
    s.env["LANG"] = "C.UTF-8";
    std::string utf8 = s.ok({"stats"});
    EXPECT_NE(utf8.find("█"), std::string::npos) << utf8;
    s.env["LANG"] = "C";
    std::string ascii = s.ok({"stats"});
    EXPECT_EQ(ascii.find("█"), std::string::npos) << ascii;
    EXPECT_NE(ascii.find("Mon 2026-11-23  " + std::string(40, '#') + " 2"), std::string::npos)
        << ascii;
    EXPECT_NE(ascii.find("Mon 2026-11-16  " + std::string(20, '#') + " 1"), std::string::npos)
        << ascii;
}
