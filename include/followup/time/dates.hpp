#pragma once
// Parsing and arithmetic of times, in the user's local time zone (followup/zone.hpp), on top of
// Howard Hinnant's date. Nothing here reads the clock: "now" and the zone always come in through a
// TimeContext.

#include <chrono>
#include <date/date.h>
#include <followup/time/zone.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace followup {

/// An instant, to the second, in UTC.
using Instant = date::sys_seconds;

/// The present moment and the zone that calendar arithmetic and display use.
struct TimeContext {
    Instant now;        ///< the current instant (injected: tests fix it)
    const Zone* zone{}; ///< the user's local zone, never null
};

/// The unit of a Duration. Hours and minutes are exact; days, weeks, months and years are
/// calendar steps in the local zone that keep the local clock time.
enum class Unit { minutes, hours, days, weeks, months, years };

/// A signed length of time such as "36h", "2w" or "1 month".
struct Duration {
    long long count{};
    Unit unit{Unit::days};
    friend bool operator==(const Duration&, const Duration&) = default;
};

/// A parsed point in time. Forms without a clock time ("2026-12-01", "today", "fri", "eom")
/// set `day` to that local day and `at` to its end (23:59:59 local); the others leave `day` empty.
struct When {
    Instant at;
    std::optional<date::local_days> day;
    friend bool operator==(const When&, const When&) = default;
};

/// Parses a point in time in the grammar of the spec: ISO 8601 dates and date-times (with `T` or
/// a space, optional seconds, optional `Z` or `+HH:MM`/`+HHMM` offset; without an offset the time
/// is local), `now`, `today`, `tomorrow`, `yesterday`, weekday names (`mon`, `monday`, `next fri`,
/// `last fri`), relative offsets (`+3d`, `3d`, `-2d`, `36h`, `90min`, `2w`, `1m`/`1mo`, `1y`,
/// `in 2 weeks`, `1 month ago`), `eod`, `eow`, `eom`, and clock times (`19:00`, `7pm`, `7:30am`,
/// `noon`, `midnight`) alone (today) or after a day word or date (`tomorrow 9am`, `fri 14:00`).
/// Case-insensitive; surrounding blanks are ignored. Throws UsageError naming the text otherwise.
When parse_when(std::string_view text, const TimeContext& ctx);

/// Parses a length of time: `3d`, `+3d`, `36h`, `90min`, `2w`, `1m` (month), `1mo`, `1y`,
/// `2 weeks`, `1 month`. Throws UsageError naming the text when it does not parse, is zero or
/// negative, or is absurdly large.
Duration parse_duration(std::string_view text);

/// Adds `count` steps of a Duration to an instant: exact for hours and minutes, calendar steps at
/// the same local clock time for days, weeks, months (clamped to the month's last day) and years.
/// Throws UsageError when the result falls outside the years 1900 to 9999.
Instant add(Instant t, const Duration& d, const Zone* zone);

/// The local calendar day of an instant.
date::local_days local_day(Instant t, const Zone* zone);

/// The last second (23:59:59 local) of a local day.
Instant end_of_day(date::local_days day, const Zone* zone);

/// The first second (00:00:00 local) of a local day.
Instant start_of_day(date::local_days day, const Zone* zone);

/// A local date and time of day to an instant; a time that does not exist (spring forward) or
/// exists twice (fall back) resolves to the earliest possible instant.
Instant to_instant(date::local_seconds local, const Zone* zone);

/// ISO 8601 in UTC with a `Z`: "2026-03-12T23:00:00Z".
std::string format_utc(Instant t);

/// Parses exactly the form format_utc produces, in the years 1900 to 9999 (those of every
/// date of the command line); nullopt otherwise.
std::optional<Instant> parse_utc(std::string_view text);

/// Local date and time for people: "2026-03-12 19:00".
std::string format_local(Instant t, const Zone* zone);

/// Local date with weekday for people: "Thu 2026-03-12".
std::string format_local_day(Instant t, const Zone* zone);

/// Local date with weekday and time for people: "Thu 2026-03-12 19:00".
std::string format_local_when(Instant t, const Zone* zone);

/// A short human distance: "45m" under an hour, "5h" under 48 hours, else "45d" (the absolute
/// value of `seconds`, floored).
std::string humanize(std::chrono::seconds seconds);

/// Resolves the user's zone: the TZ variable when set (an IANA name, with or without a leading
/// ':' or a /usr/share/zoneinfo/ prefix), else the system's /etc/localtime, else UTC (built in
/// when there is no zone database). Reads only that zone's file, once: the pointer stays valid
/// to the end of the process. Throws UsageError naming TZ when the name is unknown, saying so
/// when TZ is a POSIX rule ("CET-1CEST,M3.5.0,M10.5.0/3"), which followup does not read.
const Zone* find_zone(const char* tz_env);

} // namespace followup
