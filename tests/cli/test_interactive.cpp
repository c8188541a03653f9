// `followup add` without NAME on a terminal asks for the fields one by one.

#include "harness.hpp"

using e2e::Sandbox;

TEST(Interactive, AddAsksForEachFieldOnATerminal) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 in New York
    s.in_terminal = true;
    // Name, company, title, email, phone, address, profile, channel, event, met, tags, note,
    // plan.
    e2e::Result r = s.run({"add"}, "Jane Prompt\nAcme\n\njane@prompt.example\n\n\n\n\n"
                                   "Chamber Mixer\nyesterday 19:00\nvip, bni\nMet at the bar\n\n");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Name: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Plan [24/7/30]: "), std::string::npos) << r.out;
    s.in_terminal = false;

    e2e::json contacts = s.json_of({"contacts"});
    ASSERT_EQ(contacts.size(), 1u);
    EXPECT_EQ(contacts[0]["name"], "Jane Prompt");
    EXPECT_EQ(contacts[0]["company"], "Acme");
    EXPECT_TRUE(contacts[0]["title"].is_null());
    EXPECT_EQ(contacts[0]["email"], "jane@prompt.example");
    EXPECT_EQ(contacts[0]["event"], "Chamber Mixer");
    EXPECT_EQ(contacts[0]["tags"], e2e::json::array({"bni", "vip"}));
    EXPECT_EQ(contacts[0]["notes"], "Met at the bar");
    // Met Thu 19:00 EST = 2026-11-20T00:00:00Z; the note is due 24h later.
    EXPECT_EQ(contacts[0]["met"], "2026-11-20T00:00:00Z");
    e2e::json due = s.json_of({"due", "--all"});
    ASSERT_EQ(due.size(), 3u);
    EXPECT_EQ(due[0]["title"], "Send a note to Jane Prompt by email");
    EXPECT_EQ(due[0]["due"], "2026-11-21T00:00:00Z");
}

TEST(Interactive, AnInvalidAnswerIsAskedAgain) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.in_terminal = true;
    e2e::Result r = s.run({"add"}, "Sam Retry\n\n\n\n\n\n\nnot a channel\nsms\n\nblursday\n"
                                   "2026-11-19\n\n\nweekly\nnone\n");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("invalid channel 'not a channel'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("invalid date 'blursday'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("unknown plan 'weekly'"), std::string::npos) << r.out;
    s.in_terminal = false;
    e2e::json contacts = s.json_of({"contacts"});
    ASSERT_EQ(contacts.size(), 1u);
    EXPECT_EQ(contacts[0]["channel"], "sms");
    EXPECT_TRUE(s.json_of({"due", "--all"}).empty()); // plan none
}

TEST(Interactive, AddWithoutNameOffATerminalIsAUsageError) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    e2e::Result r = s.run({"add"}, "Jane\n");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: add needs a NAME (or run it on a terminal to be asked)");
    EXPECT_FALSE(std::filesystem::exists(s.db())); // nothing was created either
}

TEST(Interactive, ColourOnlyOnATerminalWithoutNoColor) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Jane Doe", "--email", "jane@example.com", "--met", "2026-11-18 19:00"});
    const std::string escape = "\x1b[";
    // Piped: never colour.
    EXPECT_EQ(s.ok({"due"}).find(escape), std::string::npos);
    // On a terminal: the overdue row is coloured.
    s.in_terminal = true;
    e2e::Result tty = s.run({"due"});
    ASSERT_EQ(tty.status, 0) << tty.out << tty.err;
    EXPECT_NE(tty.out.find(escape), std::string::npos) << tty.out;
    EXPECT_NE(tty.out.find("Overdue"), std::string::npos) << tty.out;
    // NO_COLOR or --no-color turn it off even there.
    e2e::Result flag = s.run({"due", "--no-color"});
    EXPECT_EQ(flag.out.find(escape), std::string::npos) << flag.out;
    s.env["NO_COLOR"] = "1";
    e2e::Result env = s.run({"due"});
    EXPECT_EQ(env.out.find(escape), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("Overdue"), std::string::npos) << env.out;
}

// Issue 33, item 8: the ways to reach a person in one flow (email, phone, address, profile), and
// Ctrl-D part way cancels like Ctrl-C: nothing saved, and both say so.
TEST(Interactive, AddAsksForEveryWayToReachAndCancelsWholly) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.in_terminal = true;
    e2e::Result r = s.run({"add"}, "Gus Gamer\n\n\n\n+1 555 0100\n14 Elm Road, Springfield\n"
                                   "stem:gusgamer\nsteam:gusgamer\n\n\n\n\n\nnone\n");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Address: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Profile (network:handle"), std::string::npos) << r.out;
    s.in_terminal = false;
    e2e::json gus = s.json_of({"show", "gus"});
    EXPECT_EQ(gus["phone"], "+1 555 0100");
    ASSERT_EQ(gus["addresses"].size(), 1u);
    EXPECT_EQ(gus["addresses"][0]["value"], "14 Elm Road, Springfield");
    ASSERT_EQ(gus["profiles"].size(), 1u);
    EXPECT_EQ(gus["profiles"][0]["network"], "steam");
    EXPECT_EQ(gus["profiles"][0]["handle"], "gusgamer");

    // Ctrl-D at the address question: nothing saved, exit 130, said so.
    const std::string before = s.state();
    s.in_terminal = true;
    r = s.run({"add"}, "Dora Half\nAcme\n\ndora@example.com\n\n\x04");
    EXPECT_EQ(r.status, 130) << r.out << r.err;
    EXPECT_NE(r.out.find("followup: cancelled: nothing saved"), std::string::npos) << r.out;
    // Ctrl-C: nothing saved, exit 130. (The terminal raises SIGINT when ^C is typed, and the
    // harness types everything at once: it may come before the questions start, when the
    // default action stops the process without the message, so only the status is checked.)
    r = s.run({"add"}, "Dora Half\nAcme\n\ndora@example.com\n\n\x03");
    EXPECT_EQ(r.status, 130) << r.out << r.err;
    s.in_terminal = false;
    EXPECT_EQ(s.state(), before);
    EXPECT_EQ(s.json_of({"contacts"}).size(), 1u);
}
