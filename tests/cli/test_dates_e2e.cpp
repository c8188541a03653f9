// Time rules through the real binary: the DST example of the spec, date-only meetings, and every
// form of the date grammar at a fixed now. Every instant below is worked out by hand.
//
// America/New_York in 2026: EST (UTC-5) until Sun 2026-03-08 02:00, then EDT (UTC-4) until
// Sun 2026-11-01 02:00, then EST again.

#include "harness.hpp"

#include <map>

using e2e::json;
using e2e::Sandbox;

namespace {

/// due of each open follow-up, by title.
std::map<std::string, std::string> due_by_title(const Sandbox& s) {
    std::map<std::string, std::string> out;
    for (const auto& r : s.json_of({"due", "--all"}))
        out[r["title"].get<std::string>()] = r["due"].get<std::string>();
    return out;
}

/// due of each open follow-up, by kind (one contact).
std::map<std::string, std::string> due_by_kind(const Sandbox& s) {
    std::map<std::string, std::string> out;
    for (const auto& r : s.json_of({"due", "--all"}))
        out[r["kind"].get<std::string>()] = r["due"].get<std::string>();
    return out;
}

} // namespace

TEST(Dates, SpecDstExampleHoursExactDaysCalendar) {
    Sandbox s;
    s.at("2026-03-05T12:00:00Z");
    s.ok({"add", "Dee Stone", "--met", "2026-03-05 19:00"});
    // Met Thu 2026-03-05 19:00 EST = 2026-03-06T00:00:00Z.
    //   note    +24h exact                                -> 2026-03-07T00:00:00Z (19:00 EST)
    //   connect +7 days, 2026-03-12 19:00 local, now EDT  -> 2026-03-12T23:00:00Z
    //   meet    +30 days: March 5 + 26 = March 31, + 4 = April 4; 19:00 EDT
    //                                                      -> 2026-04-04T23:00:00Z
    auto due = due_by_kind(s);
    EXPECT_EQ(due["note"], "2026-03-07T00:00:00Z");
    EXPECT_EQ(due["connect"], "2026-03-12T23:00:00Z");
    EXPECT_EQ(due["meet"], "2026-04-04T23:00:00Z");
    EXPECT_EQ(s.json_of({"contacts"})[0]["met"], "2026-03-06T00:00:00Z");
}

TEST(Dates, NoteAcrossSpringForwardIsStill24Hours) {
    Sandbox s;
    s.at("2026-03-07T12:00:00Z");
    // Met Sat 2026-03-07 19:00 EST = 2026-03-08T00:00:00Z. The clocks jump at 02:00 on the 8th.
    //   note    +24h exact = 2026-03-09T00:00:00Z (that is 20:00 EDT local, not 19:00)
    //   connect 2026-03-14 19:00 EDT = 23:00Z
    s.ok({"add", "Spring Sam", "--met", "2026-03-07 19:00"});
    auto due = due_by_kind(s);
    EXPECT_EQ(due["note"], "2026-03-09T00:00:00Z");
    EXPECT_EQ(due["connect"], "2026-03-14T23:00:00Z");
    // meet: March 7 + 30 days = April 6, 19:00 EDT = 23:00Z.
    EXPECT_EQ(due["meet"], "2026-04-06T23:00:00Z");
}

TEST(Dates, FallBackKeepsTheLocalClockForDays) {
    Sandbox s;
    s.at("2026-10-31T12:00:00Z");
    // Met Sat 2026-10-31 19:00 EDT = 23:00Z. The clocks fall back at 02:00 on Sun 11-01.
    //   note    +24h exact = 2026-11-01T23:00:00Z (18:00 EST local)
    //   connect 2026-11-07 19:00 EST = 2026-11-08T00:00:00Z
    //   meet    Oct 31 + 30 days = Nov 30, 19:00 EST = 2026-12-01T00:00:00Z
    s.ok({"add", "Autumn Al", "--met", "2026-10-31 19:00"});
    auto due = due_by_kind(s);
    EXPECT_EQ(due["note"], "2026-11-01T23:00:00Z");
    EXPECT_EQ(due["connect"], "2026-11-08T00:00:00Z");
    EXPECT_EQ(due["meet"], "2026-12-01T00:00:00Z");
}

TEST(Dates, DateOnlyMetGivesEndOfDayDeadlines) {
    Sandbox s;
    s.at("2026-11-21T15:00:00Z");
    s.ok({"add", "Dora Day", "--met", "2026-11-20"});
    // A date alone: each deadline is 23:59:59 local (EST) of met + 1, 7, 30 days:
    //   Sat 2026-11-21 23:59:59 EST = 2026-11-22T04:59:59Z
    //   Fri 2026-11-27 23:59:59 EST = 2026-11-28T04:59:59Z
    //   Sun 2026-12-20 23:59:59 EST = 2026-12-21T04:59:59Z (Nov 20 + 10 = Nov 30, + 20 = Dec 20)
    auto due = due_by_kind(s);
    EXPECT_EQ(due["note"], "2026-11-22T04:59:59Z");
    EXPECT_EQ(due["connect"], "2026-11-28T04:59:59Z");
    EXPECT_EQ(due["meet"], "2026-12-21T04:59:59Z");
}

TEST(Dates, DateOnlyMetAcrossDstAndYesterday) {
    Sandbox s;
    // Now Mon 2026-03-02 10:00 EST = 15:00Z; "yesterday" = Sun 2026-03-01 (a date alone).
    //   note    Mon 2026-03-02 23:59:59 EST = 2026-03-03T04:59:59Z
    //   connect Sun 2026-03-08 23:59:59, after the spring change: EDT -> 2026-03-09T03:59:59Z
    //   meet    March 1 + 30 = Tue 2026-03-31 23:59:59 EDT -> 2026-04-01T03:59:59Z
    s.at("2026-03-02T15:00:00Z");
    s.ok({"add", "Yuri Yesterday", "--met", "yesterday"});
    auto due = due_by_kind(s);
    EXPECT_EQ(due["note"], "2026-03-03T04:59:59Z");
    EXPECT_EQ(due["connect"], "2026-03-09T03:59:59Z");
    EXPECT_EQ(due["meet"], "2026-04-01T03:59:59Z");
}

TEST(Dates, EveryFormOfTheGrammarAtAFixedNow) {
    Sandbox s;
    // Now: Wed 2026-11-18 10:30 EST = 2026-11-18T15:30:00Z.
    s.at("2026-11-18T15:30:00Z");
    s.ok({"add", "Pat Doe", "--plan", "none"});
    // form -> expected due (a date alone means 23:59:59 local that day, EST = UTC-5)
    const std::vector<std::pair<std::string, std::string>> cases{
        // ISO 8601
        {"2026-12-01", "2026-12-02T04:59:59Z"},           // Tue 12-01 23:59:59 EST
        {"2026-12-01 14:30", "2026-12-01T19:30:00Z"},     // local time
        {"2026-12-01T14:30", "2026-12-01T19:30:00Z"},     // local time with T
        {"2026-12-01 14:30:15", "2026-12-01T19:30:15Z"},  // with seconds
        {"2026-12-01T14:30:00Z", "2026-12-01T14:30:00Z"}, // UTC
        {"2026-12-01T14:30:00+01:00", "2026-12-01T13:30:00Z"},
        {"2026-12-01T14:30-08:00", "2026-12-01T22:30:00Z"},
        {"2026-12-01T14:30+0100", "2026-12-01T13:30:00Z"},
        {"2026-06-15", "2026-06-16T03:59:59Z"}, // summer: EDT, UTC-4
        {"2026-06-15 09:00", "2026-06-15T13:00:00Z"},
        // words
        {"now", "2026-11-18T15:30:00Z"},
        {"today", "2026-11-19T04:59:59Z"}, // Wed 11-18 23:59:59
        {"eod", "2026-11-19T04:59:59Z"},
        {"tomorrow", "2026-11-20T04:59:59Z"},  // Thu 11-19
        {"yesterday", "2026-11-18T04:59:59Z"}, // Tue 11-17
        // weekdays: on or after today; "next" in next week; "last" strictly before
        {"wed", "2026-11-19T04:59:59Z"}, // today
        {"fri", "2026-11-21T04:59:59Z"}, // Fri 11-20
        {"friday", "2026-11-21T04:59:59Z"},
        {"mon", "2026-11-24T04:59:59Z"},      // Mon 11-23
        {"sun", "2026-11-23T04:59:59Z"},      // Sun 11-22
        {"next fri", "2026-11-28T04:59:59Z"}, // Friday of next week (11-27)
        {"next wed", "2026-11-26T04:59:59Z"}, // Wed 11-25, not today
        {"last fri", "2026-11-14T04:59:59Z"}, // Fri 11-13
        {"last wed", "2026-11-12T04:59:59Z"}, // Wed 11-11
        // offsets: hours exact, days/weeks/months calendar steps at 10:30 local
        {"+3d", "2026-11-21T15:30:00Z"},
        {"3d", "2026-11-21T15:30:00Z"},
        {"-2d", "2026-11-16T15:30:00Z"},
        {"2w", "2026-12-02T15:30:00Z"},
        {"36h", "2026-11-20T03:30:00Z"},
        {"in 2 weeks", "2026-12-02T15:30:00Z"},
        {"in 3 days", "2026-11-21T15:30:00Z"},
        {"1 month ago", "2026-10-18T14:30:00Z"}, // 10-18 10:30 EDT (UTC-4)
        {"in 1 month", "2026-12-18T15:30:00Z"},
        // ends of periods
        {"eow", "2026-11-23T04:59:59Z"}, // Sun 11-22, end of the ISO week
        {"eom", "2026-12-01T04:59:59Z"}, // Mon 11-30
        // clock times, alone (today) or after a day word
        {"19:00", "2026-11-19T00:00:00Z"}, // today 19:00 EST
        {"7pm", "2026-11-19T00:00:00Z"},
        {"9:15am", "2026-11-18T14:15:00Z"}, // today, even if already past
        {"tomorrow 9am", "2026-11-19T14:00:00Z"},
        {"fri 14:00", "2026-11-20T19:00:00Z"},
        {"next wed 8am", "2026-11-25T13:00:00Z"},
    };
    for (const auto& [form, expected] : cases) {
        e2e::Result r = s.run({"todo", "Pat", "by " + form, "--by=" + form});
        EXPECT_EQ(r.status, 0) << "form '" << form << "': " << r.err;
    }
    auto due = due_by_title(s);
    for (const auto& [form, expected] : cases)
        EXPECT_EQ(due["by " + form], expected) << "form '" << form << "'";
}

TEST(Dates, NegativeOffsetAsSeparateArgument) {
    // `--by -2d` (value in its own argument) is what people type; it must not be taken for a flag.
    Sandbox s;
    s.at("2026-11-18T15:30:00Z");
    s.ok({"add", "Pat Doe", "--plan", "none"});
    e2e::Result r = s.run({"todo", "Pat", "late one", "--by", "-2d"});
    EXPECT_EQ(r.status, 0) << r.err;
    auto due = due_by_title(s);
    EXPECT_EQ(due["late one"], "2026-11-16T15:30:00Z");
}

TEST(Dates, EowAndWeekdaysOnASunday) {
    Sandbox s;
    // Now: Sun 2026-11-22 12:00 EST = 17:00Z. The ISO week ends today.
    s.at("2026-11-22T17:00:00Z");
    s.ok({"add", "Pat Doe", "--plan", "none"});
    const std::vector<std::pair<std::string, std::string>> cases{
        {"eow", "2026-11-23T04:59:59Z"},      // today
        {"sun", "2026-11-23T04:59:59Z"},      // today
        {"next sun", "2026-11-30T04:59:59Z"}, // 11-29
        {"last sun", "2026-11-16T04:59:59Z"}, // 11-15
        {"mon", "2026-11-24T04:59:59Z"},      // tomorrow
    };
    for (const auto& [form, expected] : cases)
        s.ok({"todo", "Pat", "by " + form, "--by", form});
    auto due = due_by_title(s);
    for (const auto& [form, expected] : cases)
        EXPECT_EQ(due["by " + form], expected) << "form '" << form << "'";
}

TEST(Dates, OffsetsAcrossFallBack) {
    Sandbox s;
    // Now: Thu 2026-10-29 10:00 EDT = 14:00Z, three days before the clocks fall back.
    s.at("2026-10-29T14:00:00Z");
    s.ok({"add", "Pat Doe", "--plan", "none"});
    s.ok({"todo", "Pat", "a week", "--by", "+7d"});     // 11-05 10:00 EST = 15:00Z
    s.ok({"todo", "Pat", "168 hours", "--by", "168h"}); // exact: 11-05T14:00Z (09:00 EST)
    auto due = due_by_title(s);
    EXPECT_EQ(due["a week"], "2026-11-05T15:00:00Z");
    EXPECT_EQ(due["168 hours"], "2026-11-05T14:00:00Z");
}

TEST(Dates, OtherZonesAndOtherCommands) {
    Sandbox s;
    s.tz = "Europe/Paris";        // CET = UTC+1 in November
    s.at("2026-11-18T15:30:00Z"); // Wed 16:30 local
    // --met "2026-11-19 19:00" Paris = 18:00Z; note +24h = 2026-11-20T18:00Z;
    // connect 11-26 19:00 CET = 18:00Z; meet 12-19 19:00 CET = 18:00Z.
    s.ok({"add", "Paul Paris", "--met", "2026-11-19 19:00"});
    auto due = due_by_kind(s);
    EXPECT_EQ(due["note"], "2026-11-20T18:00:00Z");
    EXPECT_EQ(due["connect"], "2026-11-26T18:00:00Z");
    EXPECT_EQ(due["meet"], "2026-12-19T18:00:00Z");
    // snooze --until tomorrow: Thu 11-19 23:59:59 CET = 22:59:59Z.
    s.ok({"snooze", "1", "--until", "tomorrow"});
    json all = s.json_of({"due", "--all"});
    EXPECT_EQ(all[0]["due"], "2026-11-19T22:59:59Z");
    // event add --on fri: Fri 2026-11-20.
    s.ok({"event", "add", "Salon", "--on", "fri"});
    json events = s.json_of({"events"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["date"], "2026-11-20");
}

// A POSIX TZ rule instead of a zone name is refused before anything happens, naming it and
// saying what to set instead (usage error, exit 2); a zone name that does not exist too.
TEST(Dates, PosixTzRuleIsRefusedClearly) {
    Sandbox s;
    s.ok({"add", "Pat Doe"});
    s.tz = "CET-1CEST,M3.5.0,M10.5.0/3";
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"due"}, {"add", "Kim Lee"}}) {
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_EQ(r.err_line(),
                  "followup: TZ 'CET-1CEST,M3.5.0,M10.5.0/3' is a POSIX TZ rule, which followup "
                  "does not read: set TZ to a zone name such as Europe/Berlin (a file under "
                  "/usr/share/zoneinfo)");
        EXPECT_TRUE(r.out.empty());
    }
    s.tz = "Mars/Olympus_Mons";
    e2e::Result r = s.run({"due"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown time zone 'Mars/Olympus_Mons' in TZ");
    // --version and --help need no zone.
    s.tz = "CET-1CEST,M3.5.0,M10.5.0/3";
    EXPECT_EQ(s.run({"--version"}).status, 0);
    EXPECT_EQ(s.run({"--help"}).status, 0);
    s.tz = "America/New_York";
    EXPECT_NE(s.ok({"contacts"}).find("Pat Doe"), std::string::npos);
    EXPECT_EQ(s.ok({"contacts"}).find("Kim Lee"), std::string::npos);
}

// Issue 33, item 3: the phrases people type, end to end, and the nearest form for a typo.
TEST(Dates, PhrasesPeopleType) {
    Sandbox s;
    s.at("2026-11-16T15:00:00Z"); // Mon 10:00 EST
    s.ok({"add", "Pat Doe", "--plan", "none"});
    const std::vector<std::pair<std::string, std::string>> cases{
        {"tomorrow at 3pm", "2026-11-17T20:00:00Z"},
        {"in a week", "2026-11-23T15:00:00Z"},
        {"friday week", "2026-11-28T04:59:59Z"},
        {"end of month", "2026-12-01T04:59:59Z"},
        {"first monday of january", "2027-01-05T04:59:59Z"},
        {"tonight", "2026-11-17T01:00:00Z"},
        {"next tuesday", "2026-11-25T04:59:59Z"}, // Tue 11-24: on a Monday, not tomorrow
    };
    for (const auto& [form, expected] : cases)
        s.ok({"todo", "Pat", "by " + form, "--by", form});
    auto due = due_by_title(s);
    for (const auto& [form, expected] : cases)
        EXPECT_EQ(due["by " + form], expected) << "form '" << form << "'";

    std::string before = s.state();
    e2e::Result r = s.run({"todo", "Pat", "typo", "--by", "tomorow at 3pm"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: invalid date 'tomorow at 3pm': did you mean 'tomorrow at "
                            "3pm'? (try 2026-12-01, tomorrow 9am, fri, +3d, in 2 weeks)");
    EXPECT_EQ(s.state(), before);
}
