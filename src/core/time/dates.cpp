// Parsing and arithmetic of times on top of date/tz; see followup/dates.hpp for the grammar.

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <fcntl.h>
#include <fmt/format.h>
#include <followup/time/dates.hpp>
#include <followup/util/errors.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace followup {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

constexpr int first_year = 1900;
constexpr int last_year = 9999;
constexpr std::string_view date_hint = "(try 2026-12-01, tomorrow 9am, fri, +3d, in 2 weeks)";
constexpr std::string_view duration_hint = "(try 3d, 36h, 90min, 2w, 1m, 1y)";

// Thrown inside parse_when when a well-formed time lies outside the supported years.
struct OutOfRange {};

constexpr bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

// Lower-cases ASCII letters, trims blanks and collapses inner runs of blanks into one space.
std::string normalize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool blank = false;
    for (char c : trim(text)) {
        if (is_blank(c)) {
            blank = true;
            continue;
        }
        if (blank) out.push_back(' ');
        blank = false;
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
}

// A forward reader over text, with the few token shapes the grammar needs.
class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}

    [[nodiscard]] bool done() const { return i_ == s_.size(); }
    [[nodiscard]] std::string_view rest() const { return s_.substr(i_); }
    [[nodiscard]] std::size_t pos() const { return i_; }
    void seek(std::size_t i) { i_ = i; }

    bool eat(char c) {
        if (done() || s_[i_] != c) return false;
        ++i_;
        return true;
    }

    bool eat(std::string_view word) {
        if (!rest().starts_with(word)) return false;
        i_ += word.size();
        return true;
    }

    // Reads a whole run of digits; nullopt (and nothing read) unless it has min to max digits.
    std::optional<long long> digits(std::size_t min, std::size_t max) {
        std::size_t end = i_;
        while (end < s_.size() && is_digit(s_[end]))
            ++end;
        if (end - i_ < min || end - i_ > max) return std::nullopt;
        return read_digits(end);
    }

    // Reads exactly n digits, whatever follows them.
    std::optional<long long> fixed(std::size_t n) {
        std::size_t end = i_;
        while (end < s_.size() && end - i_ < n && is_digit(s_[end]))
            ++end;
        if (end - i_ != n) return std::nullopt;
        return read_digits(end);
    }

private:
    long long read_digits(std::size_t end) {
        long long value = 0;
        for (; i_ < end; ++i_)
            value = value * 10 + (s_[i_] - '0');
        return value;
    }

    std::string_view s_;
    std::size_t i_{};
};

// ---- durations -------------------------------------------------------------------------------

struct UnitName {
    std::string_view name;
    Unit unit;
};

constexpr std::array<UnitName, 26> unit_names{{
    {"min", Unit::minutes},     {"mins", Unit::minutes}, {"minute", Unit::minutes},
    {"minutes", Unit::minutes}, {"h", Unit::hours},      {"hr", Unit::hours},
    {"hrs", Unit::hours},       {"hour", Unit::hours},   {"hours", Unit::hours},
    {"d", Unit::days},          {"day", Unit::days},     {"days", Unit::days},
    {"w", Unit::weeks},         {"wk", Unit::weeks},     {"wks", Unit::weeks},
    {"week", Unit::weeks},      {"weeks", Unit::weeks},  {"m", Unit::months},
    {"mo", Unit::months},       {"month", Unit::months}, {"months", Unit::months},
    {"y", Unit::years},         {"yr", Unit::years},     {"yrs", Unit::years},
    {"year", Unit::years},      {"years", Unit::years},
}};

std::optional<Unit> unit_named(std::string_view name) {
    for (const auto& u : unit_names)
        if (u.name == name) return u.unit;
    return std::nullopt;
}

// The largest count of a unit that fits in the supported span of years, with room to spare.
constexpr long long max_count(Unit unit) {
    constexpr long long years = last_year - first_year + 1;
    switch (unit) {
    case Unit::minutes:
        return years * 366 * 24 * 60;
    case Unit::hours:
        return years * 366 * 24;
    case Unit::days:
        return years * 366;
    case Unit::weeks:
        return years * 53;
    case Unit::months:
        return years * 12;
    case Unit::years:
        return years;
    }
    return 0;
}

// Parses exactly "[+|-]N[ ]UNIT" (the sign only when allowed); the count is not range-checked.
std::optional<Duration> scan_duration(std::string_view s, bool allow_sign) {
    Cursor c{s};
    long long sign = 1;
    if (allow_sign && c.eat('-'))
        sign = -1;
    else if (allow_sign)
        c.eat('+');
    const auto count = c.digits(1, 12);
    if (!count) return std::nullopt;
    c.eat(' ');
    const auto unit = unit_named(c.rest());
    if (!unit) return std::nullopt;
    return Duration{sign * *count, *unit};
}

// A relative offset from now: "+3d", "-2d", "36h", "in 2 weeks", "1 month ago".
std::optional<Duration> scan_offset_from_now(std::string_view s) {
    constexpr std::string_view in = "in ";
    constexpr std::string_view ago = " ago";
    if (s.starts_with(in)) return scan_duration(s.substr(in.size()), false);
    if (s.ends_with(ago)) {
        auto d = scan_duration(s.substr(0, s.size() - ago.size()), false);
        if (d) d->count = -d->count;
        return d;
    }
    return scan_duration(s, true);
}

// ---- calendar arithmetic ---------------------------------------------------------------------

constexpr long long first_day =
    date::sys_days{date::year{first_year} / 1 / 1}.time_since_epoch().count();
constexpr long long last_day =
    date::sys_days{date::year{last_year} / 12 / 31}.time_since_epoch().count();

bool in_range(date::local_days day) {
    const auto n = day.time_since_epoch().count();
    return n >= first_day && n <= last_day;
}

// The same local clock time n calendar days later (earlier when negative).
std::optional<Instant> shift_days(Instant t, long long n, const Zone* zone) {
    const auto local = zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    const long long target = day.time_since_epoch().count() + n;
    if (target < first_day || target > last_day) return std::nullopt;
    const date::local_days target_day{date::days{static_cast<int>(target)}};
    return to_instant(target_day + (local - day), zone);
}

// The same local clock time n months later, on the same day clamped to the month's length.
std::optional<Instant> shift_months(Instant t, long long n, const Zone* zone) {
    const auto local = zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const long long index =
        static_cast<int>(ymd.year()) * 12LL + static_cast<unsigned>(ymd.month()) - 1 + n;
    if (index < first_year * 12LL || index > last_year * 12LL + 11) return std::nullopt;
    const date::year_month ym{date::year{static_cast<int>(index / 12)},
                              date::month{static_cast<unsigned>(index % 12 + 1)}};
    const auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}};
    const date::local_days target{ym / std::min(ymd.day(), last.day())};
    return to_instant(target + (local - day), zone);
}

// add() without the exception: nullopt when the count or the result is out of range.
std::optional<Instant> add_checked(Instant t, const Duration& d, const Zone* zone) {
    constexpr long long max_seconds = 400'000LL * 366 * 86400; // keeps to_local/floor sane
    const long long limit = max_count(d.unit);
    if (d.count > limit || d.count < -limit) return std::nullopt;
    if (t.time_since_epoch().count() > max_seconds || t.time_since_epoch().count() < -max_seconds)
        return std::nullopt;
    std::optional<Instant> result;
    switch (d.unit) {
    case Unit::minutes:
        result = t + std::chrono::minutes{d.count};
        break;
    case Unit::hours:
        result = t + std::chrono::hours{d.count};
        break;
    case Unit::days:
        result = shift_days(t, d.count, zone);
        break;
    case Unit::weeks:
        result = shift_days(t, 7 * d.count, zone);
        break;
    case Unit::months:
        result = shift_months(t, d.count, zone);
        break;
    case Unit::years:
        result = shift_months(t, 12 * d.count, zone);
        break;
    }
    if (result && !in_range(local_day(*result, zone))) return std::nullopt;
    return result;
}

// ---- day words -------------------------------------------------------------------------------

struct DayName {
    std::string_view name;
    unsigned weekday; // 0 = Sunday, as date::weekday
};

// clang-format off
constexpr std::array<DayName, 17> day_names{{
    {"sun", 0}, {"sunday", 0}, {"mon", 1}, {"monday", 1}, {"tue", 2}, {"tues", 2},
    {"tuesday", 2}, {"wed", 3}, {"wednesday", 3}, {"thu", 4}, {"thur", 4}, {"thurs", 4},
    {"thursday", 4}, {"fri", 5}, {"friday", 5}, {"sat", 6}, {"saturday", 6},
}};
// clang-format on

std::optional<date::weekday> weekday_named(std::string_view name) {
    for (const auto& d : day_names)
        if (d.name == name) return date::weekday{d.weekday};
    return std::nullopt;
}

// The first day on or after `today` that falls on `wd`.
date::local_days on_or_after(date::local_days today, date::weekday wd) {
    return today + (wd - date::weekday{today});
}

// The first day strictly after `today` that falls on `wd`.
date::local_days after(date::local_days today, date::weekday wd) {
    const auto ahead = wd - date::weekday{today};
    return today + (ahead == date::days{0} ? date::days{7} : ahead);
}

// The last day strictly before `today` that falls on `wd`.
date::local_days before(date::local_days today, date::weekday wd) {
    const auto back = date::weekday{today} - wd;
    return today - (back == date::days{0} ? date::days{7} : back);
}

// A one-word day: today, tomorrow, yesterday, eod, eow, eom or a weekday name.
std::optional<date::local_days> single_day_word(std::string_view word, date::local_days today) {
    if (word == "today" || word == "eod") return today;
    if (word == "tomorrow") return today + date::days{1};
    if (word == "yesterday") return today - date::days{1};
    if (word == "eow") return on_or_after(today, date::Sunday);
    if (word == "eom") {
        const date::year_month_day ymd{today};
        return date::local_days{ymd.year() / ymd.month() / date::last};
    }
    if (const auto wd = weekday_named(word)) return on_or_after(today, *wd);
    return std::nullopt;
}

std::pair<std::string_view, std::string_view> split_word(std::string_view s) {
    const auto space = s.find(' ');
    if (space == std::string_view::npos) return {s, {}};
    return {s.substr(0, space), s.substr(space + 1)};
}

struct DayPhrase {
    date::local_days day;
    std::string_view rest; // what follows the day words
};

// A leading day phrase: a single day word, or "next"/"last" and a weekday name.
std::optional<DayPhrase> scan_day(std::string_view s, date::local_days today) {
    const auto [word, rest] = split_word(s);
    if (const auto day = single_day_word(word, today)) return DayPhrase{*day, rest};
    if (word != "next" && word != "last") return std::nullopt;
    const auto [name, after_name] = split_word(rest);
    const auto wd = weekday_named(name);
    if (!wd) return std::nullopt;
    return DayPhrase{word == "next" ? after(today, *wd) : before(today, *wd), after_name};
}

// ---- clock times and ISO 8601 ----------------------------------------------------------------

struct Clock {
    seconds time; // since local midnight
    bool iso{};   // the 24-hour HH:MM[:SS] form, which may carry a UTC offset
};

// Reads ":MM[:SS]" after an hour; false when malformed.
bool scan_minutes(Cursor& c, long long& minute, long long& second) {
    const auto m = c.fixed(2);
    if (!m || *m > 59) return false;
    minute = *m;
    if (!c.eat(':')) return true;
    const auto s = c.fixed(2);
    if (!s || *s > 59) return false;
    second = *s;
    return true;
}

// Reads "am"/"pm", possibly after one space; nullopt (and nothing read) when absent.
std::optional<bool> scan_meridiem(Cursor& c) {
    const auto start = c.pos();
    c.eat(' ');
    if (c.eat("am")) return false;
    if (c.eat("pm")) return true;
    c.seek(start);
    return std::nullopt;
}

// Reads a clock time: "noon", "midnight", "19:00", "19:00:30", "7pm", "7 pm", "7:30pm".
std::optional<Clock> scan_clock(Cursor& c) {
    if (c.eat("noon")) return Clock{12h};
    if (c.eat("midnight")) return Clock{0h};
    const auto hour = c.digits(1, 2);
    if (!hour) return std::nullopt;
    long long minute = 0;
    long long second = 0;
    const bool has_minutes = c.eat(':');
    if (has_minutes && !scan_minutes(c, minute, second)) return std::nullopt;
    const auto pm = scan_meridiem(c);
    long long h = *hour;
    if (pm) {
        if (h < 1 || h > 12) return std::nullopt;
        h = h % 12 + (*pm ? 12 : 0);
    } else if (!has_minutes || h > 23) {
        return std::nullopt;
    }
    return Clock{std::chrono::hours{h} + std::chrono::minutes{minute} + seconds{second}, !pm};
}

// Reads a UTC offset: "z", "+hh", "+hhmm", "+hh:mm" or the same with '-'; nullopt when absent.
// A malformed offset reads nothing, so the caller finds unread text and rejects the whole.
std::optional<seconds> scan_utc_offset(Cursor& c) {
    if (c.eat('z')) return 0s;
    const auto start = c.pos();
    const long long sign = c.eat('+') ? 1 : c.eat('-') ? -1 : 0;
    const auto h = sign != 0 ? c.fixed(2) : std::nullopt;
    const bool colon = h && c.eat(':');
    const auto m = colon || (h && !c.done()) ? c.fixed(2) : std::optional<long long>{0};
    if (!h || !m || *h > 23 || *m > 59) {
        c.seek(start);
        return std::nullopt;
    }
    return sign * (std::chrono::hours{*h} + std::chrono::minutes{*m});
}

// Reads "YYYY-MM-DD" with a valid calendar date.
std::optional<date::local_days> scan_date(Cursor& c) {
    const auto y = c.digits(4, 4);
    if (!y || !c.eat('-')) return std::nullopt;
    const auto m = c.fixed(2);
    if (!m || !c.eat('-')) return std::nullopt;
    const auto d = c.fixed(2);
    if (!d) return std::nullopt;
    const date::year_month_day ymd{date::year{static_cast<int>(*y)},
                                   date::month{static_cast<unsigned>(*m)},
                                   date::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return date::local_days{ymd};
}

When whole_day(date::local_days day, const Zone* zone) {
    if (!in_range(day)) throw OutOfRange{};
    return When{end_of_day(day, zone), day};
}

When day_at(date::local_days day, seconds time, const Zone* zone) {
    if (!in_range(day)) throw OutOfRange{};
    return When{to_instant(date::local_seconds{day} + time, zone), std::nullopt};
}

// ISO 8601: a date, optionally with a time after 'T' or a space, optionally with a UTC offset.
std::optional<When> parse_iso(std::string_view s, const TimeContext& ctx) {
    Cursor c{s};
    const auto day = scan_date(c);
    if (!day) return std::nullopt;
    if (c.done()) return whole_day(*day, ctx.zone);
    const bool t = c.eat('t');
    if (!t && !c.eat(' ')) return std::nullopt;
    const auto clock = scan_clock(c);
    if (!clock || (t && !clock->iso)) return std::nullopt;
    const auto offset = clock->iso ? scan_utc_offset(c) : std::nullopt;
    if (!c.done()) return std::nullopt;
    if (!offset) return day_at(*day, clock->time, ctx.zone);
    if (!in_range(*day)) throw OutOfRange{};
    return When{Instant{(*day + clock->time - *offset).time_since_epoch()}, std::nullopt};
}

// A whole string that is only a clock time.
std::optional<seconds> parse_clock(std::string_view s) {
    Cursor c{s};
    const auto clock = scan_clock(c);
    if (!clock || !c.done()) return std::nullopt;
    return clock->time;
}

// A day phrase alone ("fri") or followed by a clock time ("next fri 14:00").
std::optional<When> parse_day_phrase(std::string_view s, const TimeContext& ctx) {
    const auto phrase = scan_day(s, local_day(ctx.now, ctx.zone));
    if (!phrase) return std::nullopt;
    if (phrase->rest.empty()) return whole_day(phrase->day, ctx.zone);
    const auto time = parse_clock(phrase->rest);
    if (!time) return std::nullopt;
    return day_at(phrase->day, *time, ctx.zone);
}

// ---- month names and week/month words ----------------------------------------------------------

// January is 1; 0 when the word names no month ("jan", "january", "sept" and "sep").
unsigned month_named(std::string_view w) {
    static constexpr std::array<std::string_view, 12> names{
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    for (unsigned i = 0; i < names.size(); ++i)
        if (w == names[i] || (w.size() >= 3 && names[i].starts_with(w))) return i + 1;
    return 0;
}

// "14", "14th", "1st": a day of the month; 0 when it is none.
unsigned day_number(std::string_view w) {
    for (std::string_view suffix : {"st", "nd", "rd", "th"})
        if (w.size() > 2 && w.ends_with(suffix)) w.remove_suffix(2);
    if (w.empty() || w.size() > 2) return 0;
    unsigned d = 0;
    for (char c : w) {
        if (!is_digit(c)) return 0;
        d = d * 10 + static_cast<unsigned>(c - '0');
    }
    return d >= 1 && d <= 31 ? d : 0;
}

// A month name with a day ("jan 14", "14 january", "14 jan 2027", "jan 14, 2027"), optionally
// after a weekday that must match ("thu 14 jan") and before a clock time ("8am", "14:00").
// Without a year, the occurrence nearest to today: "jan 14" in November is the coming one,
// "nov 2" in December the one just past.
std::optional<When> parse_month_date(std::string_view s, const TimeContext& ctx) {
    std::vector<std::string_view> words;
    for (std::string_view rest = s; !rest.empty();) {
        auto [w, tail] = split_word(rest);
        while (!w.empty() && w.back() == ',')
            w.remove_suffix(1);
        if (!w.empty()) words.push_back(w);
        rest = tail;
    }
    std::size_t i = 0;
    std::optional<date::weekday> wd;
    if (i < words.size()) wd = weekday_named(words[i]);
    if (wd) ++i;
    if (i + 2 > words.size()) return std::nullopt;
    unsigned month = month_named(words[i]);
    unsigned day = 0;
    if (month) {
        day = day_number(words[i + 1]);
    } else {
        day = day_number(words[i]);
        month = month_named(words[i + 1]);
    }
    if (!month || !day) return std::nullopt;
    i += 2;
    std::optional<int> year;
    if (i < words.size() && words[i].size() == 4 &&
        std::all_of(words[i].begin(), words[i].end(), is_digit)) {
        year = std::stoi(std::string(words[i]));
        ++i;
    }
    std::optional<seconds> time;
    if (i < words.size()) {
        std::string clock;
        for (; i < words.size(); ++i)
            clock += (clock.empty() ? "" : " ") + std::string(words[i]);
        time = parse_clock(clock);
        if (!time) return std::nullopt;
    }
    const date::local_days today = local_day(ctx.now, ctx.zone);
    const date::year_month_day t{today};
    auto on = [&](int y) -> std::optional<date::local_days> {
        date::year_month_day ymd{date::year{y}, date::month{month}, date::day{day}};
        if (!ymd.ok()) return std::nullopt;
        return date::local_days{ymd};
    };
    std::optional<date::local_days> found;
    if (year) {
        found = on(*year);
        if (!found) throw UsageError(fmt::format("invalid date '{}': no such day", s));
    } else {
        const int y = static_cast<int>(t.year());
        for (int candidate : {y, y + 1, y - 1}) {
            auto d = on(candidate);
            if (!d) continue;
            if (!found || std::abs((*d - today).count()) < std::abs((*found - today).count()))
                found = d;
        }
        if (!found) throw UsageError(fmt::format("invalid date '{}': no such day", s));
    }
    if (wd && date::weekday{*found} != *wd)
        throw UsageError(fmt::format("invalid date '{}': {} is a {}", s, date::format("%F", *found),
                                     date::format("%A", date::weekday{*found})));
    if (time) return day_at(*found, *time, ctx.zone);
    return whole_day(*found, ctx.zone);
}

// "next week" (its Monday) and "next month" (its first day), alone or with a clock time.
std::optional<When> parse_next_period(std::string_view s, const TimeContext& ctx) {
    const auto [first, rest] = split_word(s);
    if (first != "next") return std::nullopt;
    const auto [period, clock] = split_word(rest);
    const date::local_days today = local_day(ctx.now, ctx.zone);
    date::local_days day;
    if (period == "week") {
        day = after(today, date::Monday);
    } else if (period == "month") {
        const date::year_month_day ymd{today};
        day = date::local_days{(ymd.year() / ymd.month() + date::months{1}) / 1};
    } else {
        return std::nullopt;
    }
    if (clock.empty()) return whole_day(day, ctx.zone);
    const auto time = parse_clock(clock);
    if (!time) return std::nullopt;
    return day_at(day, *time, ctx.zone);
}

// parse_when on normalized text; nullopt when it does not parse, OutOfRange when out of range.
std::optional<When> parse_normalized(std::string_view s, const TimeContext& ctx) {
    if (s == "now") return When{ctx.now, std::nullopt};
    if (s.empty()) return std::nullopt;
    if (is_digit(s.front())) {
        if (auto when = parse_iso(s, ctx)) return when;
    }
    if (const auto d = scan_offset_from_now(s)) {
        const auto at = add_checked(ctx.now, *d, ctx.zone);
        if (!at) throw OutOfRange{};
        return When{*at, std::nullopt};
    }
    if (auto when = parse_next_period(s, ctx)) return when;
    if (auto when = parse_day_phrase(s, ctx)) return when;
    if (auto when = parse_month_date(s, ctx)) return when;
    if (const auto time = parse_clock(s))
        return day_at(local_day(ctx.now, ctx.zone), *time, ctx.zone);
    return std::nullopt;
}

const char* unit_label(Unit unit) {
    switch (unit) {
    case Unit::minutes:
        return "minutes";
    case Unit::hours:
        return "hours";
    case Unit::days:
        return "days";
    case Unit::weeks:
        return "weeks";
    case Unit::months:
        return "months";
    case Unit::years:
        return "years";
    }
    return "?";
}

constexpr std::array<std::string_view, 7> weekday_abbrevs{"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};

/// `form` ("0000-00-00", "0000-00-00 00:00", "0000-00-00T00:00:00Z": a date, then as much of
/// the time of day as the form has) filled in digit by digit with the date and `seconds` into
/// the day: `due` writes a few of these a row, and fmt's general path cost ten times as much.
/// A year outside 0 to 9999 is written in full, as fmt's {:04} would.
std::string stamp(const date::year_month_day& ymd, long long seconds, std::string_view form) {
    const int year = static_cast<int>(ymd.year());
    std::string out(form);
    auto two = [&](std::size_t at, long long v) {
        out[at] = static_cast<char>('0' + v / 10);
        out[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(5, static_cast<unsigned>(ymd.month()));
    two(8, static_cast<unsigned>(ymd.day()));
    if (out.size() > 11) two(11, seconds / 3600);
    if (out.size() > 14) two(14, seconds / 60 % 60);
    if (out.size() > 17) two(17, seconds % 60);
    if (year >= 0 && year <= 9999) {
        two(0, year / 100);
        two(2, year % 100);
    } else {
        out.replace(0, 4, fmt::format("{:04}", year));
    }
    return out;
}

} // namespace

When parse_when(std::string_view text, const TimeContext& ctx) {
    std::optional<When> when;
    try {
        when = parse_normalized(normalize(text), ctx);
    } catch (const OutOfRange&) {
        throw UsageError(fmt::format("date '{}' is out of range (years {} to {})", trim(text),
                                     first_year, last_year));
    }
    if (!when) throw UsageError(fmt::format("invalid date '{}' {}", trim(text), date_hint));
    return *when;
}

Duration parse_duration(std::string_view text) {
    const auto d = scan_duration(normalize(text), true);
    if (!d) throw UsageError(fmt::format("invalid duration '{}' {}", trim(text), duration_hint));
    if (d->count <= 0)
        throw UsageError(fmt::format("invalid duration '{}': must be positive", trim(text)));
    if (d->count > max_count(d->unit))
        throw UsageError(fmt::format("invalid duration '{}': too large", trim(text)));
    return *d;
}

Instant add(Instant t, const Duration& d, const Zone* zone) {
    if (auto result = add_checked(t, d, zone)) return *result;
    throw UsageError(fmt::format("{} plus {} {} is out of range (years {} to {})", format_utc(t),
                                 d.count, unit_label(d.unit), first_year, last_year));
}

date::local_days local_day(Instant t, const Zone* zone) {
    return date::floor<date::days>(zone->to_local(t));
}

Instant end_of_day(date::local_days day, const Zone* zone) {
    return to_instant(date::local_seconds{day} + 23h + 59min + 59s, zone);
}

Instant start_of_day(date::local_days day, const Zone* zone) {
    return to_instant(date::local_seconds{day}, zone);
}

Instant to_instant(date::local_seconds local, const Zone* zone) {
    return zone->to_sys(local);
}

std::string format_utc(Instant t) {
    const auto day = date::floor<date::days>(t);
    return stamp(date::year_month_day{day}, (t - day).count(), "0000-00-00T00:00:00Z");
}

std::optional<Instant> parse_utc(std::string_view text) {
    Cursor c{text};
    const auto day = scan_date(c);
    // The years every date of the command line keeps to (1900 to 9999): a file's year 0000
    // would be due 740,000 days ago.
    if (!day || !in_range(*day) || !c.eat('T')) return std::nullopt;
    const auto h = c.fixed(2);
    if (!h || *h > 23 || !c.eat(':')) return std::nullopt;
    const auto m = c.fixed(2);
    if (!m || *m > 59 || !c.eat(':')) return std::nullopt;
    const auto s = c.fixed(2);
    if (!s || *s > 59 || !c.eat('Z') || !c.done()) return std::nullopt;
    const auto time = std::chrono::hours{*h} + std::chrono::minutes{*m} + seconds{*s};
    return Instant{(*day + time).time_since_epoch()};
}

std::string format_local(Instant t, const Zone* zone) {
    const auto local = zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    return stamp(date::year_month_day{day}, (local - day).count(), "0000-00-00 00:00");
}

std::string format_local_day(Instant t, const Zone* zone) {
    const auto day = local_day(t, zone);
    return std::string(weekday_abbrevs[date::weekday{day}.c_encoding()]) + ' ' +
           stamp(date::year_month_day{day}, 0, "0000-00-00");
}

std::string format_local_when(Instant t, const Zone* zone) {
    const auto local = zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    return std::string(weekday_abbrevs[date::weekday{day}.c_encoding()]) + ' ' +
           stamp(date::year_month_day{day}, (local - day).count(), "0000-00-00 00:00");
}

std::string humanize(std::chrono::seconds s) {
    const long long v = s.count();
    const unsigned long long a =
        v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    if (a < 3600) return fmt::format("{}m", a / 60);
    if (a < 48 * 3600) return fmt::format("{}h", a / 3600);
    return fmt::format("{}d", a / 86400);
}

namespace {

constexpr std::string_view zoneinfo_dir = "/usr/share/zoneinfo/";

/// The bytes of a regular file of at most 1 MiB (a TZif file is a few kB), or nullopt.
std::optional<std::string> read_small_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    std::optional<std::string> out;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (1 << 20)) {
        std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
        std::size_t got = 0;
        while (got < bytes.size()) {
            ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        if (got == bytes.size()) out = std::move(bytes);
    }
    ::close(fd);
    return out;
}

/// A name that can only mean a file under zoneinfo_dir: relative, no "." or ".." part.
bool zone_name_ok(std::string_view name) {
    if (name.empty() || name.size() > 255 || name.front() == '/') return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
              c == '+' || c == '.'))
            return false;
    std::size_t pos = 0;
    while (pos <= name.size()) {
        std::size_t slash = std::min(name.find('/', pos), name.size());
        std::string_view part = name.substr(pos, slash - pos);
        if (part.empty() || part == "." || part == "..") return false;
        pos = slash + 1;
    }
    return true;
}

/// The zones found so far: the pointers find_zone returns stay valid to the end.
std::vector<std::unique_ptr<Zone>>& zones() {
    static std::vector<std::unique_ptr<Zone>> loaded;
    return loaded;
}

/// The zone NAME of the database, read from its one file; nullptr when there is no such zone.
const Zone* load_zone(std::string_view name) {
    for (const auto& z : zones())
        if (z->name() == name) return z.get();
    if (!zone_name_ok(name)) return nullptr;
    auto bytes = read_small_file(std::string{zoneinfo_dir} + std::string{name});
    if (!bytes) return nullptr;
    try {
        zones().push_back(Zone::from_tzif(std::string{name}, *bytes));
    } catch (const std::runtime_error&) {
        return nullptr; // zone.tab, tzdata.zi, a right/ zone with leap seconds...
    }
    return zones().back().get();
}

/// Whether TZ looks like a POSIX rule ("CET-1CEST,M3.5.0,M10.5.0/3", "JST-9", "<+0330>-3:30")
/// rather than a zone name.
bool posix_rule(std::string_view tz) {
    if (tz.find(',') != std::string_view::npos || tz.starts_with('<')) return true;
    std::size_t letters = 0;
    while (letters < tz.size() && std::isalpha(static_cast<unsigned char>(tz[letters])))
        ++letters;
    if (letters < 3 || letters == tz.size()) return false;
    std::size_t i = letters;
    if (tz[i] == '+' || tz[i] == '-') ++i;
    return i < tz.size() && std::isdigit(static_cast<unsigned char>(tz[i]));
}

} // namespace

const Zone* find_zone(const char* tz_env) {
    if (tz_env != nullptr && *tz_env != '\0') {
        std::string_view name{tz_env};
        if (name.starts_with(':')) name.remove_prefix(1);
        if (name.starts_with(zoneinfo_dir)) name.remove_prefix(zoneinfo_dir.size());
        if (const Zone* z = load_zone(name)) return z;
        if (posix_rule(name))
            throw UsageError(fmt::format(
                "TZ '{}' is a POSIX TZ rule, which followup does not read: set TZ to a zone "
                "name such as Europe/Berlin (a file under /usr/share/zoneinfo)",
                tz_env));
        throw UsageError(fmt::format("unknown time zone '{}' in TZ", tz_env));
    }
    // The system's zone: /etc/localtime links to its file, or is a copy of it.
    std::array<char, 4096> target{};
    ssize_t n = ::readlink("/etc/localtime", target.data(), target.size() - 1);
    if (n > 0) {
        std::string_view link{target.data(), static_cast<std::size_t>(n)};
        if (auto at = link.find("zoneinfo/"); at != std::string_view::npos)
            if (const Zone* z = load_zone(link.substr(at + 9))) return z;
    } else if (auto bytes = read_small_file("/etc/localtime")) {
        std::string name = "localtime";
        if (auto named = read_small_file("/etc/timezone"))
            if (auto line = named->substr(0, named->find('\n')); zone_name_ok(line)) name = line;
        try {
            zones().push_back(Zone::from_tzif(name, *bytes));
            return zones().back().get();
        } catch (const std::runtime_error&) {
        }
    }
    if (const Zone* z = load_zone("UTC")) return z;
    // No zone database at all: UTC needs none.
    zones().push_back(std::make_unique<Zone>("UTC", std::chrono::seconds{0}));
    return zones().back().get();
}

} // namespace followup
