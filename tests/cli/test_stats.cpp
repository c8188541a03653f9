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
    EXPECT_EQ(st["closed"], 500.0);
    EXPECT_EQ(st["given"], 0.0);
    ASSERT_EQ(st["touches_per_week"].size(), 12u);
    // Weeks start on Monday; this one is Mon 2026-11-23.
    EXPECT_EQ(st["touches_per_week"][11]["week"], "2026-11-23");
    // connect done, the referral received (word from Jane) and the referral step done
    EXPECT_EQ(st["touches_per_week"][11]["touches"], 3);
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
    EXPECT_NE(ascii.find("Mon 2026-11-23  " + std::string(40, '#') + " 3"), std::string::npos)
        << ascii;
    EXPECT_NE(ascii.find("Mon 2026-11-16  " + std::string(13, '#') + " 1"), std::string::npos)
        << ascii;
}

// Issue 33, item 1: one ledger. `closed` is business you closed from referrals you received,
// `given` business others closed from referrals you gave; stats, events, referrals and show (and
// their JSON) add up to the same totals, never one mixed into the other.
TEST(Stats, EveryScreenAddsUpToTheSameClosedAndGiven) {
    Sandbox s;
    s.at("2026-11-16T14:00:00Z"); // Mon 09:00 EST
    s.ok({"event", "add", "Mixer", "--on", "2026-11-16"});
    for (const char* name : {"Ann Lee", "Ben Ray", "Cal Ortiz"})
        s.ok({"add", name, "--event", "Mixer", "--plan", "none"});
    // Received from Ann, won by you: 4200 closed.
    s.ok({"referral", "receive", "--from", "ann", "--prospect", "Dan Prospect"});
    s.at("2026-11-17T14:00:00Z");
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "4200"});
    // Given to Ben and to Cal, won by them: 6000 + 1500 given.
    s.ok({"referral", "give", "--to", "ben", "--prospect", "Eve Stone"});
    s.ok({"referral", "update", "2", "--status", "won", "--amount", "6000"});
    s.ok({"referral", "give", "--to", "cal", "--prospect", "Fay Moss"});
    s.at("2026-11-18T14:00:00Z");
    s.ok({"referral", "update", "3", "--status", "won", "--amount", "1500"});
    // Received from Cal and lost: counted, worth nothing.
    s.ok({"referral", "receive", "--from", "cal", "--prospect", "Gus Hale"});
    s.ok({"referral", "update", "4", "--status", "lost"});

    s.at("2026-11-20T14:00:00Z");
    e2e::json st = s.json_of({"stats"});
    EXPECT_EQ(st["referrals_received"], 2);
    EXPECT_EQ(st["referrals_given"], 2);
    EXPECT_EQ(st["referrals_won"], 1);
    EXPECT_EQ(st["referrals_given_won"], 2);
    EXPECT_EQ(st["closed"], 4200.0);
    EXPECT_EQ(st["given"], 7500.0);
    EXPECT_FALSE(st.contains("closed_value"));
    std::string table = s.ok({"stats"});
    EXPECT_NE(table.find("won 1 (50%), closed 4200.00"), std::string::npos) << table;
    EXPECT_NE(table.find("won 2, given 7500.00"), std::string::npos) << table;

    e2e::json events = s.json_of({"events"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["referrals"], 4);
    EXPECT_EQ(events[0]["closed"], 4200.0);
    EXPECT_EQ(events[0]["given"], 7500.0);
    std::string ev = s.ok({"events"});
    EXPECT_NE(ev.find("4200.00  7500.00"), std::string::npos) << ev;

    std::string ledger = s.ok({"referrals"});
    EXPECT_NE(ledger.find("Received 2: 1 won, closed 4200.00. Given 2: 2 won, given 7500.00."),
              std::string::npos)
        << ledger;
    // The givers-gain balance: Ann's lead closed by you; Ben and Cal closed yours.
    EXPECT_NE(ledger.find("Ann Lee                0              1  4200.00"), std::string::npos)
        << ledger;
    EXPECT_NE(ledger.find("Ben Ray                1              0           6000.00"),
              std::string::npos)
        << ledger;
    double amounts = 0;
    for (const auto& r : s.json_of({"referrals"}))
        if (r["status"] == "won") amounts += r["amount"].get<double>();
    EXPECT_EQ(amounts, 4200.0 + 7500.0);

    // Each person's card: the referrals they are in, added up by the same ledger.
    double closed = 0, given = 0;
    for (const char* who : {"ann", "ben", "cal"}) {
        e2e::json card = s.json_of({"show", who});
        closed += card["closed"].get<double>();
        given += card["given"].get<double>();
    }
    EXPECT_EQ(closed, 4200.0);
    EXPECT_EQ(given, 7500.0);
    EXPECT_EQ(s.json_of({"show", "ben"})["given"], 6000.0);
    std::string card = s.ok({"show", "ann"});
    EXPECT_NE(card.find("closed 4200.00, given 0.00"), std::string::npos) << card;
}

// Issue 33, item 9: `referrals --open` with none open says so.
TEST(Stats, NoOpenReferralsIsNotNoReferrals) {
    Sandbox s;
    s.at("2026-11-16T14:00:00Z");
    s.ok({"add", "Ann Lee", "--plan", "none"});
    s.ok({"referral", "receive", "--from", "ann", "--prospect", "Dan Prospect"});
    s.ok({"referral", "update", "1", "--status", "lost"});
    std::string out = s.ok({"referrals", "--open"});
    EXPECT_EQ(out, "No open referrals: none is new, contacted or met. 'followup referrals' lists "
                   "them all.\n");
    EXPECT_EQ(s.ok({"referrals", "--given"}), "No referrals given yet.\n");
}
