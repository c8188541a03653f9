// Unit tests for followup/dates.hpp. Expected instants were worked out by hand and checked with
// `TZ=America/New_York date -d '<local time>' +%s` converted back with `date -u`.

#include "followup/time/dates.hpp"
#include "followup/util/errors.hpp"

#include <climits>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

using followup::add;
using followup::Duration;
using followup::format_utc;
using followup::Instant;
using followup::parse_duration;
using followup::parse_when;
using followup::TimeContext;
using followup::Unit;
using followup::UsageError;
using followup::When;
using namespace std::chrono_literals;

namespace {

const followup::Zone* new_york() {
    return followup::find_zone("America/New_York");
}

date::local_days local_date(int y, unsigned m, unsigned d) {
    return date::local_days{date::year{y} / date::month{m} / date::day{d}};
}

// An instant from its UTC calendar fields, built without the code under test.
Instant utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
    return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{hh} +
           std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

// A context at `now` in `zone`.
TimeContext context(Instant now, const followup::Zone* zone = new_york()) {
    return TimeContext{now, zone};
}

// Friday 2026-11-20 09:30 EST.
TimeContext friday() {
    return context(utc(2026, 11, 20, 14, 30));
}

std::string at(std::string_view text, const TimeContext& ctx = friday()) {
    return format_utc(parse_when(text, ctx).at);
}

std::optional<date::local_days> day(std::string_view text, const TimeContext& ctx = friday()) {
    return parse_when(text, ctx).day;
}

// The message of the UsageError parse_when throws, or "" when it throws none.
std::string when_error(std::string_view text, const TimeContext& ctx = friday()) {
    try {
        parse_when(text, ctx);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

std::string duration_error(std::string_view text) {
    try {
        parse_duration(text);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

struct Case {
    std::string_view text;
    std::string_view utc;
};

struct DayCase {
    std::string_view text;
    std::string_view utc;
    date::local_days day;
};

void expect_instants(const std::vector<Case>& cases, const TimeContext& ctx = friday()) {
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const When w = parse_when(c.text, ctx);
        EXPECT_EQ(format_utc(w.at), c.utc);
        EXPECT_FALSE(w.day.has_value());
    }
}

void expect_days(const std::vector<DayCase>& cases, const TimeContext& ctx = friday()) {
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const When w = parse_when(c.text, ctx);
        EXPECT_EQ(format_utc(w.at), c.utc);
        ASSERT_TRUE(w.day.has_value());
        EXPECT_EQ(*w.day, c.day);
    }
}

} // namespace

// ---- parse_when: day words ---------------------------------------------------------------------

TEST(Dates, NowIsTheContextInstantWithoutDay) {
    const When w = parse_when("now", friday());
    EXPECT_EQ(w.at, utc(2026, 11, 20, 14, 30));
    EXPECT_FALSE(w.day.has_value());
}

TEST(Dates, DayWordsMeanTheEndOfTheLocalDay) {
    expect_days({
        {"today", "2026-11-21T04:59:59Z", local_date(2026, 11, 20)},
        {"eod", "2026-11-21T04:59:59Z", local_date(2026, 11, 20)},
        {"tomorrow", "2026-11-22T04:59:59Z", local_date(2026, 11, 21)},
        {"yesterday", "2026-11-20T04:59:59Z", local_date(2026, 11, 19)},
        {"eow", "2026-11-23T04:59:59Z", local_date(2026, 11, 22)},
        {"eom", "2026-12-01T04:59:59Z", local_date(2026, 11, 30)},
    });
}

TEST(Dates, TodayIsTheLocalDayNotTheUtcDay) {
    // 2026-11-21T03:00Z is still Friday 22:00 in New York.
    const auto late = context(utc(2026, 11, 21, 3, 0));
    EXPECT_EQ(day("today", late), local_date(2026, 11, 20));
    EXPECT_EQ(at("today", late), "2026-11-21T04:59:59Z");
    EXPECT_EQ(day("fri", late), local_date(2026, 11, 20));
    EXPECT_EQ(day("tomorrow", late), local_date(2026, 11, 21));
    EXPECT_EQ(at("19:00", late), "2026-11-21T00:00:00Z");
}

TEST(Dates, EndOfWeekIsIsoSunday) {
    // Monday 2026-11-16 09:30 EST: the week ends Sunday 2026-11-22.
    EXPECT_EQ(day("eow", context(utc(2026, 11, 16, 14, 30))), local_date(2026, 11, 22));
    // Sunday 2026-11-22: today.
    EXPECT_EQ(day("eow", context(utc(2026, 11, 22, 14, 30))), local_date(2026, 11, 22));
    EXPECT_EQ(at("eow", context(utc(2026, 11, 22, 14, 30))), "2026-11-23T04:59:59Z");
    // Saturday 2026-11-28: tomorrow.
    EXPECT_EQ(day("eow", context(utc(2026, 11, 28, 14, 30))), local_date(2026, 11, 29));
}

TEST(Dates, EndOfMonthHandlesLengthsAndLeapYears) {
    EXPECT_EQ(day("eom", context(utc(2026, 2, 10, 15))), local_date(2026, 2, 28));
    EXPECT_EQ(at("eom", context(utc(2026, 2, 10, 15))), "2026-03-01T04:59:59Z");
    EXPECT_EQ(day("eom", context(utc(2028, 2, 10, 15))), local_date(2028, 2, 29));
    EXPECT_EQ(at("eom", context(utc(2028, 2, 10, 15))), "2028-03-01T04:59:59Z");
    EXPECT_EQ(day("eom", context(utc(2026, 12, 31, 15))), local_date(2026, 12, 31));
    EXPECT_EQ(at("eom", context(utc(2026, 12, 31, 15))), "2027-01-01T04:59:59Z");
    EXPECT_EQ(day("eom", context(utc(2026, 4, 1, 15))), local_date(2026, 4, 30));
}

// ---- parse_when: weekdays ----------------------------------------------------------------------

TEST(Dates, PlainWeekdayIsOnOrAfterToday) {
    expect_days({
        {"fri", "2026-11-21T04:59:59Z", local_date(2026, 11, 20)},
        {"friday", "2026-11-21T04:59:59Z", local_date(2026, 11, 20)},
        {"sat", "2026-11-22T04:59:59Z", local_date(2026, 11, 21)},
        {"saturday", "2026-11-22T04:59:59Z", local_date(2026, 11, 21)},
        {"sun", "2026-11-23T04:59:59Z", local_date(2026, 11, 22)},
        {"sunday", "2026-11-23T04:59:59Z", local_date(2026, 11, 22)},
        {"mon", "2026-11-24T04:59:59Z", local_date(2026, 11, 23)},
        {"monday", "2026-11-24T04:59:59Z", local_date(2026, 11, 23)},
        {"tue", "2026-11-25T04:59:59Z", local_date(2026, 11, 24)},
        {"tues", "2026-11-25T04:59:59Z", local_date(2026, 11, 24)},
        {"tuesday", "2026-11-25T04:59:59Z", local_date(2026, 11, 24)},
        {"wed", "2026-11-26T04:59:59Z", local_date(2026, 11, 25)},
        {"wednesday", "2026-11-26T04:59:59Z", local_date(2026, 11, 25)},
        {"thu", "2026-11-27T04:59:59Z", local_date(2026, 11, 26)},
        {"thur", "2026-11-27T04:59:59Z", local_date(2026, 11, 26)},
        {"thurs", "2026-11-27T04:59:59Z", local_date(2026, 11, 26)},
        {"thursday", "2026-11-27T04:59:59Z", local_date(2026, 11, 26)},
    });
}

// "next WEEKDAY" is that day of next week (weeks start on Monday; docs/dates.md): on Friday
// 2026-11-20, "next sat" is 2026-11-28, not tomorrow.
TEST(Dates, NextWeekdayIsInNextWeek) {
    expect_days({
        {"next fri", "2026-11-28T04:59:59Z", local_date(2026, 11, 27)},
        {"next friday", "2026-11-28T04:59:59Z", local_date(2026, 11, 27)},
        {"next sat", "2026-11-29T04:59:59Z", local_date(2026, 11, 28)},
        {"next mon", "2026-11-24T04:59:59Z", local_date(2026, 11, 23)},
        {"next thu", "2026-11-27T04:59:59Z", local_date(2026, 11, 26)},
    });
}

TEST(Dates, LastWeekdayIsStrictlyBeforeToday) {
    expect_days({
        {"last fri", "2026-11-14T04:59:59Z", local_date(2026, 11, 13)},
        {"last thu", "2026-11-20T04:59:59Z", local_date(2026, 11, 19)},
        {"last thursday", "2026-11-20T04:59:59Z", local_date(2026, 11, 19)},
        {"last mon", "2026-11-17T04:59:59Z", local_date(2026, 11, 16)},
        {"last sat", "2026-11-15T04:59:59Z", local_date(2026, 11, 14)},
    });
}

TEST(Dates, WeekdaysOnASunday) {
    const auto sunday = context(utc(2026, 11, 22, 14, 30)); // 09:30 EST
    EXPECT_EQ(day("sun", sunday), local_date(2026, 11, 22));
    EXPECT_EQ(day("next sun", sunday), local_date(2026, 11, 29));
    EXPECT_EQ(day("last sun", sunday), local_date(2026, 11, 15));
    EXPECT_EQ(day("sat", sunday), local_date(2026, 11, 28));
    EXPECT_EQ(day("last sat", sunday), local_date(2026, 11, 21));
    EXPECT_EQ(day("mon", sunday), local_date(2026, 11, 23));
}

// ---- parse_when: relative offsets --------------------------------------------------------------

TEST(Dates, RelativeOffsetsApplyToNow) {
    expect_instants({
        {"+3d", "2026-11-23T14:30:00Z"},      {"3d", "2026-11-23T14:30:00Z"},
        {"3 days", "2026-11-23T14:30:00Z"},   {"+3 days", "2026-11-23T14:30:00Z"},
        {"1 day", "2026-11-21T14:30:00Z"},    {"-2d", "2026-11-18T14:30:00Z"},
        {"36h", "2026-11-22T02:30:00Z"},      {"36 hours", "2026-11-22T02:30:00Z"},
        {"36hr", "2026-11-22T02:30:00Z"},     {"36hrs", "2026-11-22T02:30:00Z"},
        {"1 hour", "2026-11-20T15:30:00Z"},   {"90min", "2026-11-20T16:00:00Z"},
        {"90 mins", "2026-11-20T16:00:00Z"},  {"90 minutes", "2026-11-20T16:00:00Z"},
        {"1 minute", "2026-11-20T14:31:00Z"}, {"2w", "2026-12-04T14:30:00Z"},
        {"2wk", "2026-12-04T14:30:00Z"},      {"2wks", "2026-12-04T14:30:00Z"},
        {"2 weeks", "2026-12-04T14:30:00Z"},  {"1 week", "2026-11-27T14:30:00Z"},
        {"1m", "2026-12-20T14:30:00Z"},       {"1mo", "2026-12-20T14:30:00Z"},
        {"1 month", "2026-12-20T14:30:00Z"},  {"2 months", "2027-01-20T14:30:00Z"},
        {"1y", "2027-11-20T14:30:00Z"},       {"1 year", "2027-11-20T14:30:00Z"},
        {"2 years", "2028-11-20T14:30:00Z"},  {"0d", "2026-11-20T14:30:00Z"},
    });
}

TEST(Dates, InAndAgo) {
    expect_instants({
        {"in 2 weeks", "2026-12-04T14:30:00Z"},
        {"in 3 days", "2026-11-23T14:30:00Z"},
        {"in 3d", "2026-11-23T14:30:00Z"},
        {"in 90 minutes", "2026-11-20T16:00:00Z"},
        // 2026-10-20 09:30 is EDT: a calendar step keeps the local clock time across DST.
        {"1 month ago", "2026-10-20T13:30:00Z"},
        {"2 weeks ago", "2026-11-06T14:30:00Z"},
        {"3 weeks ago", "2026-10-30T13:30:00Z"},
        {"1 year ago", "2025-11-20T14:30:00Z"},
        {"36h ago", "2026-11-19T02:30:00Z"},
        {"2d ago", "2026-11-18T14:30:00Z"},
    });
}

TEST(Dates, HoursAreExactAcrossFallBack) {
    // Saturday 2026-10-31 09:30 EDT; the clocks go back on Sunday 2026-11-01.
    const auto ctx = context(utc(2026, 10, 31, 13, 30));
    EXPECT_EQ(at("+1d", ctx), "2026-11-01T14:30:00Z"); // 09:30 EST
    EXPECT_EQ(at("24h", ctx), "2026-11-01T13:30:00Z"); // 08:30 EST
}

TEST(Dates, SpecExampleSevenDaysAcrossSpringForward) {
    // Met 2026-03-05 19:00 EST; the 7-day step lands on 2026-03-12 19:00 EDT.
    const auto met = utc(2026, 3, 6, 0, 0);
    EXPECT_EQ(format_utc(add(met, {7, Unit::days}, new_york())), "2026-03-12T23:00:00Z");
    EXPECT_EQ(at("+7d", context(met)), "2026-03-12T23:00:00Z");
    EXPECT_EQ(at("1w", context(met)), "2026-03-12T23:00:00Z");
    EXPECT_EQ(at("168h", context(met)), "2026-03-13T00:00:00Z");
}

// ---- parse_when: clock times -------------------------------------------------------------------

TEST(Dates, ClockTimeAloneIsToday) {
    expect_instants({
        {"19:00", "2026-11-21T00:00:00Z"},
        {"19:00:30", "2026-11-21T00:00:30Z"},
        {"7pm", "2026-11-21T00:00:00Z"},
        {"7 pm", "2026-11-21T00:00:00Z"},
        {"7:30pm", "2026-11-21T00:30:00Z"},
        {"7:30 pm", "2026-11-21T00:30:00Z"},
        {"07:30", "2026-11-20T12:30:00Z"},
        {"7:30", "2026-11-20T12:30:00Z"},
        {"7am", "2026-11-20T12:00:00Z"},
        {"12am", "2026-11-20T05:00:00Z"},
        {"12:30am", "2026-11-20T05:30:00Z"},
        {"12pm", "2026-11-20T17:00:00Z"},
        {"12:15pm", "2026-11-20T17:15:00Z"},
        {"noon", "2026-11-20T17:00:00Z"},
        {"midnight", "2026-11-20T05:00:00Z"},
        {"00:00", "2026-11-20T05:00:00Z"},
        {"23:59:59", "2026-11-21T04:59:59Z"},
    });
}

TEST(Dates, ClockTimeAfterADay) {
    expect_instants({
        {"tomorrow 9am", "2026-11-21T14:00:00Z"},
        {"tomorrow 9 am", "2026-11-21T14:00:00Z"},
        {"tomorrow noon", "2026-11-21T17:00:00Z"},
        {"today 19:00", "2026-11-21T00:00:00Z"},
        {"yesterday 7pm", "2026-11-20T00:00:00Z"},
        {"next fri 14:00", "2026-11-27T19:00:00Z"},
        {"fri 14:00", "2026-11-20T19:00:00Z"},
        {"mon 9am", "2026-11-23T14:00:00Z"},
        {"last thu midnight", "2026-11-19T05:00:00Z"},
        {"2026-12-01 7pm", "2026-12-02T00:00:00Z"},
        {"2026-12-01 7:30 pm", "2026-12-02T00:30:00Z"},
        {"2026-12-01 noon", "2026-12-01T17:00:00Z"},
    });
}

// ---- parse_when: ISO 8601 ----------------------------------------------------------------------

TEST(Dates, IsoDateIsTheEndOfThatLocalDay) {
    expect_days({
        {"2026-12-01", "2026-12-02T04:59:59Z", local_date(2026, 12, 1)},
        {"2026-07-04", "2026-07-05T03:59:59Z", local_date(2026, 7, 4)},
        {"2028-02-29", "2028-03-01T04:59:59Z", local_date(2028, 2, 29)},
        {"2000-02-29", "2000-03-01T04:59:59Z", local_date(2000, 2, 29)},
        {"1900-01-01", "1900-01-02T04:59:59Z", local_date(1900, 1, 1)},
        {"9999-12-31", "10000-01-01T04:59:59Z", local_date(9999, 12, 31)},
    });
}

TEST(Dates, IsoDateTimeIsLocal) {
    expect_instants({
        {"2026-12-01 14:30", "2026-12-01T19:30:00Z"},
        {"2026-12-01T14:30", "2026-12-01T19:30:00Z"},
        {"2026-12-01T14:30:00", "2026-12-01T19:30:00Z"},
        {"2026-12-01 14:30:15", "2026-12-01T19:30:15Z"},
        {"2026-07-04 12:00", "2026-07-04T16:00:00Z"},
    });
}

TEST(Dates, IsoDateTimeWithOffsetIsExact) {
    expect_instants({
        {"2026-12-01T14:30:00Z", "2026-12-01T14:30:00Z"},
        {"2026-12-01T14:30Z", "2026-12-01T14:30:00Z"},
        {"2026-12-01 14:30Z", "2026-12-01T14:30:00Z"},
        {"2026-12-01t14:30:00z", "2026-12-01T14:30:00Z"},
        {"2026-12-01T14:30+01:00", "2026-12-01T13:30:00Z"},
        {"2026-12-01T14:30:00+01:00", "2026-12-01T13:30:00Z"},
        {"2026-12-01T14:30+0100", "2026-12-01T13:30:00Z"},
        {"2026-12-01T14:30+01", "2026-12-01T13:30:00Z"},
        {"2026-12-01T14:30-0500", "2026-12-01T19:30:00Z"},
        {"2026-12-01T14:30-05:30", "2026-12-01T20:00:00Z"},
        {"2026-12-01T23:30-05:00", "2026-12-02T04:30:00Z"},
        // The offset wins over the local zone even in summer.
        {"2026-07-04T12:00Z", "2026-07-04T12:00:00Z"},
    });
}

TEST(Dates, CaseAndBlanksDoNotMatter) {
    expect_instants({
        {"TOMORROW 9AM", "2026-11-21T14:00:00Z"},
        {"  Tomorrow   9am  ", "2026-11-21T14:00:00Z"},
        {"\tnext\t FRI 14:00\n", "2026-11-27T19:00:00Z"},
        {"In 2 Weeks", "2026-12-04T14:30:00Z"},
        {" 2   WEEKS   AGO ", "2026-11-06T14:30:00Z"},
        {"7 PM", "2026-11-21T00:00:00Z"},
        {"NOW", "2026-11-20T14:30:00Z"},
        {"2026-12-01T14:30:00Z ", "2026-12-01T14:30:00Z"},
    });
    EXPECT_EQ(day("  FRIDAY "), local_date(2026, 11, 20));
    EXPECT_EQ(day("EOM"), local_date(2026, 11, 30));
}

// ---- DST ---------------------------------------------------------------------------------------

TEST(Dates, NonexistentLocalTimeResolvesToTheTransition) {
    // 2026-03-08 02:30 does not exist in New York; the earliest instant is 03:00 EDT.
    EXPECT_EQ(at("2026-03-08 02:30"), "2026-03-08T07:00:00Z");
    EXPECT_EQ(at("2026-03-08 03:00"), "2026-03-08T07:00:00Z");
    EXPECT_EQ(at("2026-03-08 01:59:59"), "2026-03-08T06:59:59Z");
    const auto local = date::local_seconds{local_date(2026, 3, 8)} + 2h + 30min;
    EXPECT_EQ(followup::to_instant(local, new_york()), utc(2026, 3, 8, 7, 0));
}

TEST(Dates, AmbiguousLocalTimeResolvesToTheEarliest) {
    // 2026-11-01 01:30 happens twice; the first one is EDT (05:30Z), not EST (06:30Z).
    EXPECT_EQ(at("2026-11-01 01:30"), "2026-11-01T05:30:00Z");
    const auto local = date::local_seconds{local_date(2026, 11, 1)} + 1h + 30min;
    EXPECT_EQ(followup::to_instant(local, new_york()), utc(2026, 11, 1, 5, 30));
}

TEST(Dates, StartAndEndOfDstDays) {
    using followup::end_of_day;
    using followup::start_of_day;
    EXPECT_EQ(start_of_day(local_date(2026, 3, 8), new_york()), utc(2026, 3, 8, 5, 0));
    EXPECT_EQ(end_of_day(local_date(2026, 3, 8), new_york()), utc(2026, 3, 9, 3, 59, 59));
    EXPECT_EQ(start_of_day(local_date(2026, 11, 1), new_york()), utc(2026, 11, 1, 4, 0));
    EXPECT_EQ(end_of_day(local_date(2026, 11, 1), new_york()), utc(2026, 11, 2, 4, 59, 59));
    EXPECT_EQ(at("2026-03-08"), "2026-03-09T03:59:59Z");
    EXPECT_EQ(at("2026-11-01"), "2026-11-02T04:59:59Z");
}

TEST(Dates, DayStepsKeepTheLocalClockAcrossSpringForward) {
    const auto sat = utc(2026, 3, 7, 14, 30);                                  // 09:30 EST
    EXPECT_EQ(add(sat, {1, Unit::days}, new_york()), utc(2026, 3, 8, 13, 30)); // 09:30 EDT
    EXPECT_EQ(add(sat, {24, Unit::hours}, new_york()), utc(2026, 3, 8, 14, 30));
    EXPECT_EQ(add(sat, {1440, Unit::minutes}, new_york()), utc(2026, 3, 8, 14, 30));
    EXPECT_EQ(add(utc(2026, 3, 8, 13, 30), {-1, Unit::days}, new_york()), sat);
    // 02:30 EST on Saturday plus a day is the nonexistent 02:30 on Sunday: 03:00 EDT.
    EXPECT_EQ(add(utc(2026, 3, 7, 7, 30), {1, Unit::days}, new_york()), utc(2026, 3, 8, 7, 0));
}

TEST(Dates, DayStepsKeepTheLocalClockAcrossFallBack) {
    const auto sat = utc(2026, 10, 31, 13, 30);                                 // 09:30 EDT
    EXPECT_EQ(add(sat, {1, Unit::days}, new_york()), utc(2026, 11, 1, 14, 30)); // 09:30 EST
    EXPECT_EQ(add(sat, {1, Unit::weeks}, new_york()), utc(2026, 11, 7, 14, 30));
    EXPECT_EQ(add(sat, {25, Unit::hours}, new_york()), utc(2026, 11, 1, 14, 30));
}

// ---- add: months and years ---------------------------------------------------------------------

TEST(Dates, MonthsClampToTheLastDay) {
    const auto* ny = new_york();
    const auto jan31 = utc(2026, 1, 31, 17, 0); // 12:00 EST
    EXPECT_EQ(add(jan31, {1, Unit::months}, ny), utc(2026, 2, 28, 17, 0));
    EXPECT_EQ(add(jan31, {2, Unit::months}, ny), utc(2026, 3, 31, 16, 0)); // 12:00 EDT
    EXPECT_EQ(add(jan31, {3, Unit::months}, ny), utc(2026, 4, 30, 16, 0));
    EXPECT_EQ(add(jan31, {11, Unit::months}, ny), utc(2026, 12, 31, 17, 0));
    EXPECT_EQ(add(jan31, {12, Unit::months}, ny), utc(2027, 1, 31, 17, 0));
    EXPECT_EQ(add(jan31, {-2, Unit::months}, ny), utc(2025, 11, 30, 17, 0));
    EXPECT_EQ(add(utc(2026, 3, 31, 16, 0), {-1, Unit::months}, ny), utc(2026, 2, 28, 17, 0));
    EXPECT_EQ(add(utc(2026, 10, 31, 16, 0), {1, Unit::months}, ny), utc(2026, 11, 30, 17, 0));
}

TEST(Dates, LeapYears) {
    const auto* ny = new_york();
    EXPECT_EQ(add(utc(2028, 1, 31, 17, 0), {1, Unit::months}, ny), utc(2028, 2, 29, 17, 0));
    EXPECT_EQ(add(utc(2028, 2, 29, 17, 0), {1, Unit::years}, ny), utc(2029, 2, 28, 17, 0));
    EXPECT_EQ(add(utc(2028, 2, 29, 17, 0), {4, Unit::years}, ny), utc(2032, 2, 29, 17, 0));
    EXPECT_EQ(add(utc(2028, 2, 29, 17, 0), {12, Unit::months}, ny), utc(2029, 2, 28, 17, 0));
    EXPECT_EQ(add(utc(2028, 2, 28, 17, 0), {1, Unit::days}, ny), utc(2028, 2, 29, 17, 0));
    EXPECT_EQ(add(utc(2026, 2, 28, 17, 0), {1, Unit::days}, ny), utc(2026, 3, 1, 17, 0));
    EXPECT_EQ(add(utc(2100, 2, 28, 17, 0), {1, Unit::days}, ny), utc(2100, 3, 1, 17, 0));
}

TEST(Dates, MonthOffsetsFromNowClampToo) {
    EXPECT_EQ(at("1m", context(utc(2026, 1, 31, 17, 0))), "2026-02-28T17:00:00Z");
    EXPECT_EQ(at("1 month ago", context(utc(2026, 3, 31, 16, 0))), "2026-02-28T17:00:00Z");
    EXPECT_EQ(at("1y", context(utc(2028, 2, 29, 17, 0))), "2029-02-28T17:00:00Z");
}

TEST(Dates, AddRejectsResultsOutsideTheSupportedYears) {
    const auto* ny = new_york();
    EXPECT_THROW(add(utc(9999, 6, 1), {1, Unit::years}, ny), UsageError);
    EXPECT_THROW(add(utc(9999, 12, 31, 12), {1, Unit::days}, ny), UsageError);
    EXPECT_THROW(add(utc(1900, 1, 1, 12), {-1, Unit::days}, ny), UsageError);
    EXPECT_THROW(add(utc(1900, 1, 15, 12), {-1, Unit::months}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MAX, Unit::minutes}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MIN, Unit::minutes}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MAX, Unit::hours}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MIN, Unit::days}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MAX, Unit::weeks}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MAX, Unit::months}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {LLONG_MIN, Unit::years}, ny), UsageError);
    EXPECT_THROW(add(utc(2026, 1, 1), {8000, Unit::years}, ny), UsageError);
    EXPECT_EQ(add(utc(9998, 6, 1, 12), {1, Unit::years}, ny), utc(9999, 6, 1, 12));
    EXPECT_EQ(add(utc(2026, 1, 1, 12), {0, Unit::months}, ny), utc(2026, 1, 1, 12));
}

// ---- parse_when: errors ------------------------------------------------------------------------

TEST(Dates, GarbageIsAUsageErrorNamingTheValue) {
    EXPECT_EQ(when_error("foo"),
              "invalid date 'foo' (try 2026-12-01, tomorrow 9am, fri, +3d, in 2 weeks)");
    EXPECT_NE(when_error("  Next Blursday ").find("'Next Blursday'"), std::string::npos);
    EXPECT_NE(when_error("").find("''"), std::string::npos);
}

TEST(Dates, RejectsMalformedInput) {
    for (const std::string_view text : {
             "",
             "   ",
             "foo",
             "2026-02-30",
             "2026-02-29",
             "2100-02-29",
             "2026-13-01",
             "2026-00-10",
             "2026-12-00",
             "2026-12-32",
             "99999-01-01",
             "026-12-01",
             "2026-1-1",
             "2026-12-1",
             "2026-12-011",
             "26-12-01",
             "2026/12/01",
             "2026-12-01T",
             "2026-12-01T25:00",
             "2026-12-01 24:00",
             "2026-12-01T14:60",
             "2026-12-01T14:30:60",
             "2026-12-01T14",
             "2026-12-01T7pm",
             "2026-12-01T14:30:00.5Z",
             "2026-12-01T14:30+1",
             "2026-12-01T14:30+24:00",
             "2026-12-01T14:30+01:60",
             "2026-12-01T14:30+01:",
             "2026-12-01T14:30 +01:00",
             "2026-12-01T14:30zz",
             "2026-12-01 7pm+01:00",
             "25:00",
             "24:00",
             "12:60",
             "19:00:60",
             "19:0",
             "19:",
             "7",
             "19",
             "13pm",
             "0am",
             "00:30pm",
             "7p",
             "7 pmx",
             "noonish",
             "tomorrow 25:00",
             "tomorrow 7",
             "tomorrow foo",
             "fri 9am extra",
             "next",
             "last",
             "next foo",
             "next tomorrow",
             "next 3 days",
             "in",
             "in 2",
             "in -2 days",
             "in +2 days",
             "2 weeks ago ago",
             "-2 weeks ago",
             "ago",
             "3x",
             "d",
             "+d",
             "3 s",
             "3 secs",
             "+ 3d",
             "3  ",
             "1mon",
             "today tomorrow",
             "now now", // ("tomorrow at 9am" and "9am tomorrow" are accepted since issue 33)
             "1234567890123d",
         }) {
        SCOPED_TRACE(text);
        EXPECT_THROW(parse_when(text, friday()), UsageError);
    }
}

TEST(Dates, RejectsOutOfRangeWithoutOverflow) {
    for (const std::string_view text :
         {"+999999999d", "-999999999d", "999999999999min", "999999999999y", "in 999999999 weeks",
          "999999999 months ago", "8000y", "-200y", "1800-01-01", "0000-01-01",
          "1899-12-31 12:00"}) {
        SCOPED_TRACE(text);
        const auto message = when_error(text);
        EXPECT_NE(message.find("out of range"), std::string::npos) << message;
        EXPECT_NE(message.find(std::string{"'"} + std::string{text} + "'"), std::string::npos);
    }
}

// ---- parse_duration ----------------------------------------------------------------------------

TEST(Dates, ParseDurationForms) {
    struct DurationCase {
        std::string_view text;
        Duration expected;
    };
    for (const auto& c : std::vector<DurationCase>{
             {"3d", {3, Unit::days}},
             {"+3d", {3, Unit::days}},
             {"3 days", {3, Unit::days}},
             {"1 day", {1, Unit::days}},
             {"36h", {36, Unit::hours}},
             {"36 hours", {36, Unit::hours}},
             {"2hr", {2, Unit::hours}},
             {"90min", {90, Unit::minutes}},
             {"90 minutes", {90, Unit::minutes}},
             {"1 minute", {1, Unit::minutes}},
             {"2w", {2, Unit::weeks}},
             {"2 weeks", {2, Unit::weeks}},
             {"1m", {1, Unit::months}},
             {"1mo", {1, Unit::months}},
             {"1 month", {1, Unit::months}},
             {"6 months", {6, Unit::months}},
             {"1y", {1, Unit::years}},
             {"2 years", {2, Unit::years}},
             {" 3 DAYS ", {3, Unit::days}},
             {"24H", {24, Unit::hours}},
         }) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(parse_duration(c.text), c.expected);
    }
}

TEST(Dates, ParseDurationRejects) {
    for (const std::string_view text :
         {"", "  ", "foo", "0d", "0 minutes", "-2d", "-1y", "3", "d", "3x", "in 2 weeks",
          "2 weeks ago", "tomorrow", "2026-12-01", "+999999999d", "1234567890123d", "10001y",
          "3.5d", "+-3d"}) {
        SCOPED_TRACE(text);
        EXPECT_THROW(parse_duration(text), UsageError);
    }
    EXPECT_NE(duration_error("-2d").find("'-2d'"), std::string::npos);
    EXPECT_NE(duration_error("0d").find("'0d'"), std::string::npos);
    EXPECT_NE(duration_error("bogus").find("'bogus'"), std::string::npos);
    EXPECT_NE(duration_error("+999999999d").find("'+999999999d'"), std::string::npos);
}

// ---- formatting --------------------------------------------------------------------------------

TEST(Dates, FormatUtc) {
    EXPECT_EQ(format_utc(utc(2026, 3, 12, 23, 0)), "2026-03-12T23:00:00Z");
    EXPECT_EQ(format_utc(utc(1970, 1, 1)), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_utc(utc(1900, 1, 1, 0, 0, 1)), "1900-01-01T00:00:01Z");
    EXPECT_EQ(format_utc(utc(9999, 12, 31, 23, 59, 59)), "9999-12-31T23:59:59Z");
}

TEST(Dates, ParseUtcAcceptsExactlyFormatUtc) {
    EXPECT_EQ(followup::parse_utc("2026-03-12T23:00:00Z"), utc(2026, 3, 12, 23, 0));
    EXPECT_EQ(followup::parse_utc("1969-12-31T23:59:59Z"), utc(1969, 12, 31, 23, 59, 59));
    EXPECT_EQ(followup::parse_utc("2028-02-29T00:00:00Z"), utc(2028, 2, 29));
    for (const std::string_view text :
         {"", "2026-03-12", "2026-03-12T23:00Z", "2026-03-12T23:00:00", "2026-03-12t23:00:00z",
          "2026-03-12 23:00:00Z", "2026-03-12T23:00:00+00:00", "2026-03-12T23:00:00.000Z",
          " 2026-03-12T23:00:00Z", "2026-03-12T23:00:00Z ", "2026-02-30T00:00:00Z",
          "2026-13-01T00:00:00Z", "2026-03-12T24:00:00Z", "2026-03-12T23:60:00Z",
          "2026-03-12T23:00:60Z", "12026-03-12T23:00:00Z", "2026-3-12T23:00:00Z"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(followup::parse_utc(text).has_value());
    }
}

TEST(Dates, FormatUtcRoundTrips) {
    for (const auto t : {utc(2026, 11, 20, 14, 30), utc(2000, 2, 29, 1, 2, 3), utc(2026, 1, 1)}) {
        EXPECT_EQ(followup::parse_utc(format_utc(t)), t);
    }
}

TEST(Dates, FormatLocal) {
    using followup::format_local;
    using followup::format_local_day;
    EXPECT_EQ(format_local(utc(2026, 3, 12, 23, 0), new_york()), "2026-03-12 19:00");
    EXPECT_EQ(format_local(utc(2026, 11, 21, 3, 0), new_york()), "2026-11-20 22:00");
    EXPECT_EQ(format_local(utc(2026, 11, 1, 5, 30), new_york()), "2026-11-01 01:30");
    EXPECT_EQ(format_local(utc(2026, 11, 1, 6, 30), new_york()), "2026-11-01 01:30");
    EXPECT_EQ(format_local(utc(2026, 3, 12, 23, 0, 59), new_york()), "2026-03-12 19:00");
    EXPECT_EQ(format_local_day(utc(2026, 3, 12, 23, 0), new_york()), "Thu 2026-03-12");
    EXPECT_EQ(format_local_day(utc(2026, 11, 21, 3, 0), new_york()), "Fri 2026-11-20");
    EXPECT_EQ(format_local_day(utc(2026, 11, 22, 12, 0), new_york()), "Sun 2026-11-22");
    EXPECT_EQ(format_local(utc(2026, 3, 12, 23, 0), followup::find_zone("UTC")),
              "2026-03-12 23:00");
    EXPECT_EQ(format_local(utc(2026, 7, 1, 23, 0), followup::find_zone("Europe/Paris")),
              "2026-07-02 01:00");
    using followup::format_local_when;
    EXPECT_EQ(format_local_when(utc(2026, 11, 21, 3, 0), new_york()), "Fri 2026-11-20 22:00");
    EXPECT_EQ(format_local_when(utc(2026, 11, 1, 6, 30), new_york()), "Sun 2026-11-01 01:30");
    EXPECT_EQ(format_local_when(utc(2026, 7, 1, 23, 0), followup::find_zone("Europe/Paris")),
              "Thu 2026-07-02 01:00");
    EXPECT_EQ(format_local_when(utc(1999, 12, 31, 23, 59, 59), followup::find_zone("UTC")),
              "Fri 1999-12-31 23:59");
}

TEST(Dates, LocalDay) {
    EXPECT_EQ(followup::local_day(utc(2026, 11, 21, 3, 0), new_york()), local_date(2026, 11, 20));
    EXPECT_EQ(followup::local_day(utc(2026, 11, 21, 5, 0), new_york()), local_date(2026, 11, 21));
    EXPECT_EQ(followup::local_day(utc(2026, 11, 21, 3, 0), followup::find_zone("Asia/Tokyo")),
              local_date(2026, 11, 21));
}

TEST(Dates, Humanize) {
    using followup::humanize;
    EXPECT_EQ(humanize(0s), "0m");
    EXPECT_EQ(humanize(59s), "0m");
    EXPECT_EQ(humanize(60s), "1m");
    EXPECT_EQ(humanize(45min), "45m");
    EXPECT_EQ(humanize(-45min), "45m");
    EXPECT_EQ(humanize(59min + 59s), "59m");
    EXPECT_EQ(humanize(1h), "1h");
    EXPECT_EQ(humanize(5h + 59min), "5h");
    EXPECT_EQ(humanize(-5h), "5h");
    EXPECT_EQ(humanize(47h + 59min), "47h");
    EXPECT_EQ(humanize(48h), "2d");
    EXPECT_EQ(humanize(-72h), "3d");
    EXPECT_EQ(humanize(std::chrono::hours{24 * 45}), "45d");
    EXPECT_EQ(humanize(std::chrono::seconds{LLONG_MIN}), "106751991167300d");
}

// ---- find_zone ---------------------------------------------------------------------------------

TEST(Dates, FindZoneFromTz) {
    using followup::find_zone;
    EXPECT_EQ(find_zone("America/New_York")->name(), "America/New_York");
    EXPECT_EQ(find_zone(":America/New_York")->name(), "America/New_York");
    EXPECT_EQ(find_zone("/usr/share/zoneinfo/Europe/Paris")->name(), "Europe/Paris");
    EXPECT_EQ(find_zone(":/usr/share/zoneinfo/Europe/Paris")->name(), "Europe/Paris");
    EXPECT_NE(find_zone("UTC"), nullptr);
}

TEST(Dates, FindZoneRejectsUnknownNames) {
    using followup::find_zone;
    EXPECT_THROW(find_zone("Not/AZone"), UsageError);
    try {
        find_zone("Mars/Olympus_Mons");
        FAIL() << "no exception";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string{e.what()}.find("'Mars/Olympus_Mons'"), std::string::npos);
        EXPECT_NE(std::string{e.what()}.find("TZ"), std::string::npos);
    }
}

TEST(Dates, FindZoneRefusesPosixRules) {
    // A POSIX TZ rule (which glibc reads) is no zone name: refused, saying so.
    for (const char* rule :
         {"CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30", "JST-9"}) {
        try {
            followup::find_zone(rule);
            FAIL() << rule;
        } catch (const UsageError& e) {
            EXPECT_EQ(std::string{e.what()},
                      fmt::format("TZ '{}' is a POSIX TZ rule, which followup does not read: set "
                                  "TZ to a zone name such as Europe/Berlin (a file under "
                                  "/usr/share/zoneinfo)",
                                  rule));
        }
    }
    // Names of the database that look like rules are zones.
    EXPECT_EQ(followup::find_zone("EST5EDT")->name(), "EST5EDT");
    EXPECT_EQ(followup::find_zone("Etc/GMT+5")->name(), "Etc/GMT+5");
}

TEST(Dates, FindZoneFallsBackWithoutTz) {
    EXPECT_NE(followup::find_zone(nullptr), nullptr);
    EXPECT_NE(followup::find_zone(""), nullptr);
}

TEST(Dates, OtherZones) {
    // Europe/Paris springs forward on 2026-03-29 at 02:00 local.
    const auto* paris = followup::find_zone("Europe/Paris");
    const TimeContext ctx{utc(2026, 3, 28, 11, 0), paris}; // Saturday 12:00 CET
    EXPECT_EQ(at("+1d", ctx), "2026-03-29T10:00:00Z");     // 12:00 CEST
    EXPECT_EQ(at("tomorrow 02:30", ctx), "2026-03-29T01:00:00Z");
    EXPECT_EQ(at("today", ctx), "2026-03-28T22:59:59Z");
    EXPECT_EQ(at("2026-03-29", ctx), "2026-03-29T21:59:59Z");
    const TimeContext utc_ctx{utc(2026, 11, 20, 14, 30), followup::find_zone("UTC")};
    EXPECT_EQ(at("tomorrow 9am", utc_ctx), "2026-11-21T09:00:00Z");
    EXPECT_EQ(at("eom", utc_ctx), "2026-11-30T23:59:59Z");
}

// Month names, "next week"/"next month", and a weekday with a time (SPEC Version 2).
TEST(ParseWhen, MonthNamesNextWeekAndNextMonth) {
    const TimeContext ctx = friday(); // Fri 2026-11-20 09:30 EST
    // "jan 14" without a year: the occurrence nearest to today, a whole day (23:59:59 local).
    When w = parse_when("jan 14", ctx);
    ASSERT_TRUE(w.day);
    EXPECT_EQ(*w.day, local_date(2027, 1, 14));
    EXPECT_EQ(w.at, utc(2027, 1, 15, 4, 59, 59));
    EXPECT_EQ(parse_when("14 January 2027 8am", ctx).at, utc(2027, 1, 14, 13));
    EXPECT_EQ(parse_when("thu 14 jan 8am", ctx).at, utc(2027, 1, 14, 13));
    EXPECT_EQ(parse_when("Jan 14, 2027", ctx).day, local_date(2027, 1, 14));
    EXPECT_EQ(parse_when("14th jan", ctx).day, local_date(2027, 1, 14));
    EXPECT_EQ(parse_when("nov 2", ctx).day, local_date(2026, 11, 2)); // the one just past
    EXPECT_EQ(parse_when("sept 3 2027", ctx).day, local_date(2027, 9, 3));
    // Across the DST change, at the same local clock time: 2027-03-15 08:00 EDT.
    EXPECT_EQ(parse_when("march 15 2027 8am", ctx).at, utc(2027, 3, 15, 12));
    EXPECT_EQ(parse_when("next week", ctx).day, local_date(2026, 11, 23)); // its Monday
    EXPECT_EQ(parse_when("next month", ctx).day, local_date(2026, 12, 1)); // its first day
    EXPECT_EQ(parse_when("next month 9am", ctx).at, utc(2026, 12, 1, 14));
    EXPECT_EQ(parse_when("thu 8am", ctx).at, utc(2026, 11, 26, 13));
    EXPECT_THROW(parse_when("fri 14 jan", ctx), UsageError); // 2027-01-14 is a Thursday
    EXPECT_THROW(parse_when("feb 30", ctx), UsageError);
    EXPECT_THROW(parse_when("jan", ctx), UsageError);
    EXPECT_THROW(parse_when("jan 14 8 o'clock", ctx), UsageError);
    EXPECT_EQ(parse_when("next year", ctx).day, local_date(2027, 1, 1)); // issue 33
}

// ---- issue 33: the phrases people type ----------------------------------------------------------

namespace {

// Now for the table: Monday 2026-11-16 10:00 EST (15:00Z). Whole days end at 23:59:59 local
// (04:59:59Z the next day; 03:59:59Z in EDT). Each row: what is typed, the instant expected.
struct Phrase {
    const char* text;
    const char* expected;
};

constexpr Phrase phrase_table[] = {
    // natural speech
    {"now", "2026-11-16T15:00:00Z"},
    {"today", "2026-11-17T04:59:59Z"},
    {"tomorrow", "2026-11-18T04:59:59Z"},
    {"yesterday", "2026-11-16T04:59:59Z"},
    {"tomorrow at 3pm", "2026-11-17T20:00:00Z"},
    {"tomorrow 3pm", "2026-11-17T20:00:00Z"},
    {"in a week", "2026-11-23T15:00:00Z"},
    {"in 3 days", "2026-11-19T15:00:00Z"},
    {"friday week", "2026-11-28T04:59:59Z"},   // Fri 11-20 + 7 days
    {"monday week", "2026-11-24T04:59:59Z"},   // today is Monday: 11-16 + 7
    {"tomorrow week", "2026-11-25T04:59:59Z"}, // Tue 11-24
    {"end of month", "2026-12-01T04:59:59Z"},
    {"end of the month", "2026-12-01T04:59:59Z"},
    {"end of week", "2026-11-23T04:59:59Z"},
    {"end of day", "2026-11-17T04:59:59Z"},
    {"end of year", "2027-01-01T04:59:59Z"},
    {"first monday of january", "2027-01-05T04:59:59Z"}, // Mon 2027-01-04
    {"first monday of january 2028", "2028-01-04T04:59:59Z"},
    {"first monday of november", "2027-11-02T03:59:59Z"}, // this year's is past; EDT
    {"second tuesday of next month", "2026-12-09T04:59:59Z"},
    {"last friday of the month", "2026-11-28T04:59:59Z"},
    {"noon", "2026-11-16T17:00:00Z"},
    {"midnight", "2026-11-16T05:00:00Z"},
    {"tonight", "2026-11-17T01:00:00Z"}, // 20:00
    {"this afternoon", "2026-11-16T19:00:00Z"},
    {"tomorrow morning", "2026-11-17T14:00:00Z"},
    {"tomorrow night", "2026-11-18T01:00:00Z"},
    {"friday evening", "2026-11-20T23:00:00Z"},
    {"9am tomorrow", "2026-11-17T14:00:00Z"},
    {"noon friday", "2026-11-20T17:00:00Z"},
    {"at 5pm", "2026-11-16T22:00:00Z"},
    {"on friday", "2026-11-21T04:59:59Z"},
    {"by friday 5pm", "2026-11-20T22:00:00Z"},
    {"day after tomorrow", "2026-11-19T04:59:59Z"},
    {"the day after tomorrow", "2026-11-19T04:59:59Z"},
    {"day before yesterday", "2026-11-15T04:59:59Z"},
    {"3 days from now", "2026-11-19T15:00:00Z"},
    {"an hour from now", "2026-11-16T16:00:00Z"},
    {"in an hour", "2026-11-16T16:00:00Z"},
    {"in a fortnight", "2026-11-30T15:00:00Z"},
    {"2 fortnights", "2026-12-14T15:00:00Z"},
    {"a week ago", "2026-11-09T15:00:00Z"},
    // weekdays: plain and "this" are the coming one (today included), "next" is next week's
    {"tuesday", "2026-11-18T04:59:59Z"},
    {"this tuesday", "2026-11-18T04:59:59Z"},
    {"next tuesday", "2026-11-25T04:59:59Z"}, // Tue 11-24, not tomorrow
    {"next tuesday at noon", "2026-11-24T17:00:00Z"},
    {"mon", "2026-11-17T04:59:59Z"},
    {"next monday", "2026-11-24T04:59:59Z"},
    {"next fri 9am", "2026-11-27T14:00:00Z"},
    {"last friday", "2026-11-14T04:59:59Z"},
    {"fri 14:00", "2026-11-20T19:00:00Z"},
    // GNU date
    {"next week", "2026-11-24T04:59:59Z"},  // its Monday
    {"last week", "2026-11-10T04:59:59Z"},  // its Monday
    {"next month", "2026-12-02T04:59:59Z"}, // its first day
    {"last month", "2026-10-02T03:59:59Z"}, // Oct 1, EDT
    {"next year", "2027-01-02T04:59:59Z"},
    {"2 weeks ago", "2026-11-02T15:00:00Z"},
    {"1 year ago", "2025-11-16T15:00:00Z"},
    {"in 2 hours", "2026-11-16T17:00:00Z"},
    {"in 90 minutes", "2026-11-16T16:30:00Z"},
    {"yesterday noon", "2026-11-15T17:00:00Z"},
    {"dec 25", "2026-12-26T04:59:59Z"},
    {"december 25 at 10am", "2026-12-25T15:00:00Z"},
    {"25 dec 2026 10:30", "2026-12-25T15:30:00Z"},
    {"2026-12-01", "2026-12-02T04:59:59Z"},
    {"2026-12-01 14:30", "2026-12-01T19:30:00Z"},
    {"2026-12-01T14:30:00Z", "2026-12-01T14:30:00Z"},
    {"2026-12-01T14:30+01:00", "2026-12-01T13:30:00Z"},
    {"@1800000000", "2027-01-15T08:00:00Z"},
    // Taskwarrior
    {"+3d", "2026-11-19T15:00:00Z"},
    {"-2d", "2026-11-14T15:00:00Z"},
    {"36h", "2026-11-18T03:00:00Z"},
    {"2 days", "2026-11-18T15:00:00Z"},
    {"eod", "2026-11-17T04:59:59Z"},
    {"sod", "2026-11-16T05:00:00Z"},
    {"eow", "2026-11-23T04:59:59Z"},
    {"sow", "2026-11-23T05:00:00Z"},
    {"socw", "2026-11-16T05:00:00Z"},
    {"eoww", "2026-11-21T04:59:59Z"}, // Friday
    {"eom", "2026-12-01T04:59:59Z"},
    {"som", "2026-12-01T05:00:00Z"},
    {"socm", "2026-11-01T04:00:00Z"}, // Nov 1 00:00 was still EDT
    {"eoy", "2027-01-01T04:59:59Z"},
    {"soy", "2027-01-01T05:00:00Z"},
    {"15th", "2026-12-16T04:59:59Z"}, // this month's is past
    {"the 20th", "2026-11-21T04:59:59Z"},
    {"1st 9am", "2026-12-01T14:00:00Z"},
    {"7pm", "2026-11-17T00:00:00Z"},
    {"jan 14 8am", "2027-01-14T13:00:00Z"},
};

} // namespace

TEST(DatePhrases, TheTableAtAFixedNow) {
    const TimeContext monday = context(utc(2026, 11, 16, 15));
    EXPECT_GE(std::size(phrase_table), 60u);
    for (const auto& [text, expected] : phrase_table) {
        std::string got;
        try {
            got = format_utc(parse_when(text, monday).at);
        } catch (const UsageError& e) {
            got = std::string("error: ") + e.what();
        }
        EXPECT_EQ(got, expected) << "'" << text << "'";
    }
}

TEST(DatePhrases, UnknownPhrasesSayTheNearestForm) {
    const TimeContext monday = context(utc(2026, 11, 16, 15));
    EXPECT_EQ(when_error("tomorow 9am", monday),
              "invalid date 'tomorow 9am': did you mean 'tomorrow 9am'? (try 2026-12-01, "
              "tomorrow 9am, fri, +3d, in 2 weeks)");
    EXPECT_EQ(when_error("nxt fridya", monday),
              "invalid date 'nxt fridya': did you mean 'next friday'? (try 2026-12-01, "
              "tomorrow 9am, fri, +3d, in 2 weeks)");
    EXPECT_EQ(when_error("end of mnth", monday),
              "invalid date 'end of mnth': did you mean 'end of month'? (try 2026-12-01, "
              "tomorrow 9am, fri, +3d, in 2 weeks)");
    // Nothing near: the forms to try.
    EXPECT_EQ(when_error("whenever", monday),
              "invalid date 'whenever' (try 2026-12-01, tomorrow 9am, fri, +3d, in 2 weeks)");
    // Still refused: half phrases and impossible days.
    for (const char* bad : {"first monday of", "fifth friday of february 2027", "32nd", "@", "@12x",
                            "friday week week", "at", "the", "end of"})
        EXPECT_THROW(parse_when(bad, monday), UsageError) << bad;
}
