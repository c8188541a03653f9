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
    if (word == "overmorrow") return today + date::days{2};   // "the day after tomorrow"
    if (word == "ereyesterday") return today - date::days{2}; // "the day before yesterday"
    if (word == "eow" || word == "eocw") return on_or_after(today, date::Sunday);
    if (word == "eoww") return on_or_after(today, date::Friday); // end of the work week
    if (word == "eoy" || word == "eocy") {
        const date::year_month_day ymd{today};
        return date::local_days{ymd.year() / 12 / 31};
    }
    if (word == "eom" || word == "eocm") {
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
    // "next tue" is Tuesday of next week (weeks start on Monday), never tomorrow: said on a
    // Monday it is eight days ahead. "last tue" is the most recent Tuesday before today.
    const date::local_days next_monday = after(today, date::Monday);
    return DayPhrase{word == "next" ? next_monday + (*wd - date::Monday) : before(today, *wd),
                     after_name};
}

// A day phrase and what follows it, with "week" after the day words ("friday week", the
// British "a week after friday") taken in: seven days later.
std::optional<DayPhrase> scan_day_week(std::string_view s, date::local_days today) {
    auto phrase = scan_day(s, today);
    if (!phrase) return std::nullopt;
    const auto [word, rest] = split_word(phrase->rest);
    if (word == "week") return DayPhrase{phrase->day + date::days{7}, rest};
    return phrase;
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
    const auto phrase = scan_day_week(s, local_day(ctx.now, ctx.zone));
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

// "next week" (its Monday), "next month" (its first day), "next year" (January 1st), and the
// same with "last", alone or with a clock time.
std::optional<When> parse_next_period(std::string_view s, const TimeContext& ctx) {
    const auto [first, rest] = split_word(s);
    if (first != "next" && first != "last") return std::nullopt;
    const int step = first == "next" ? 1 : -1;
    const auto [period, clock] = split_word(rest);
    const date::local_days today = local_day(ctx.now, ctx.zone);
    const date::year_month_day ymd{today};
    date::local_days day;
    if (period == "week") {
        day = after(today, date::Monday) - date::weeks{step == 1 ? 0 : 2};
    } else if (period == "month") {
        day = date::local_days{(ymd.year() / ymd.month() + date::months{step}) / 1};
    } else if (period == "year") {
        day = date::local_days{(ymd.year() + date::years{step}) / 1 / 1};
    } else {
        return std::nullopt;
    }
    if (clock.empty()) return whole_day(day, ctx.zone);
    const auto time = parse_clock(clock);
    if (!time) return std::nullopt;
    return day_at(day, *time, ctx.zone);
}

// ---- natural phrases (issue 33) ---------------------------------------------------------------

std::vector<std::string> words_of(std::string_view s) {
    std::vector<std::string> out;
    for (std::string_view rest = s; !rest.empty();) {
        auto [w, tail] = split_word(rest);
        if (!w.empty()) out.emplace_back(w);
        rest = tail;
    }
    return out;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

// The clock time a part of the day stands for: morning 9am, afternoon 2pm, evening 6pm, night
// 8pm; "" for any other word.
std::string_view part_of_day(std::string_view w) {
    if (w == "morning") return "9am";
    if (w == "afternoon") return "2pm";
    if (w == "evening") return "6pm";
    if (w == "night") return "8pm";
    return {};
}

// Natural speech rewritten into the grammar above, word by word: "tomorrow at 3pm" is
// "tomorrow 3pm", "in a week" is "in 1 week", "3 days from now" is "in 3 days", "end of month"
// is "eom", "tonight" is "today 8pm", "this friday" is "friday", "a fortnight" two weeks.
std::string rewrite_phrase(std::string_view s) {
    std::vector<std::string> in = words_of(s);
    // Fillers in front: "on friday", "by tomorrow", "at 5pm"; and "the" anywhere.
    if (in.size() > 1 && (in[0] == "on" || in[0] == "by" || in[0] == "at")) in.erase(in.begin());
    std::erase(in, std::string("the"));
    std::vector<std::string> out;
    auto is = [&](std::size_t i, std::string_view w) { return i < in.size() && in[i] == w; };
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::string& w = in[i];
        if ((w == "end" || w == "start") && is(i + 1, "of") && i + 2 < in.size()) {
            const std::string& period = in[i + 2];
            const bool end = w == "end";
            std::string word = period == "day"     ? (end ? "eod" : "sod")
                               : period == "week"  ? (end ? "eow" : "socw")
                               : period == "month" ? (end ? "eom" : "socm")
                               : period == "year"  ? (end ? "eoy" : "socy")
                                                   : "";
            if (!word.empty()) {
                out.push_back(word);
                i += 2;
                continue;
            }
        }
        if (w == "day" && (is(i + 1, "after") || is(i + 1, "before")) &&
            (is(i + 2, "tomorrow") || is(i + 2, "yesterday"))) {
            const bool after_tomorrow = in[i + 1] == "after" && in[i + 2] == "tomorrow";
            const bool before_yesterday = in[i + 1] == "before" && in[i + 2] == "yesterday";
            if (after_tomorrow || before_yesterday) {
                out.emplace_back(after_tomorrow ? "overmorrow" : "ereyesterday");
                i += 2;
                continue;
            }
        }
        if (w == "tonight") {
            out.emplace_back("today");
            out.emplace_back("8pm");
            continue;
        }
        if (w == "this" && i + 1 < in.size()) {
            if (auto clock = part_of_day(in[i + 1]); !clock.empty()) {
                out.emplace_back("today");
                out.emplace_back(clock);
                ++i;
                continue;
            }
            if (weekday_named(in[i + 1])) continue; // "this friday" is "friday"
        }
        if (auto clock = part_of_day(w); !clock.empty() && !out.empty()) {
            out.emplace_back(clock); // "tomorrow morning", "friday evening"
            continue;
        }
        if (w == "at" && !out.empty() && i + 1 < in.size()) continue; // "tomorrow at 3pm"
        if ((w == "a" || w == "an") && i + 1 < in.size() && unit_named(in[i + 1])) {
            out.emplace_back("1");
            continue;
        }
        if ((w == "a" || w == "an") && is(i + 1, "fortnight")) {
            out.emplace_back("2");
            out.emplace_back("weeks");
            ++i;
            continue;
        }
        if ((w == "fortnight" || w == "fortnights") && !out.empty() &&
            std::all_of(out.back().begin(), out.back().end(), is_digit) && out.back().size() < 12) {
            out.back() = std::to_string(2 * std::stoll(out.back()));
            out.emplace_back("weeks");
            continue;
        }
        out.push_back(w);
    }
    // "3 days from now" is "in 3 days".
    if (out.size() > 2 && out[out.size() - 2] == "from" && out.back() == "now") {
        out.resize(out.size() - 2);
        out.insert(out.begin(), "in");
    }
    return joined(out);
}

// Starts of periods (Taskwarrior's words), at 00:00 local: sod today, sow next Monday (soww
// too), socw this week's Monday, som the 1st of next month, socm of this month, soy January 1st
// of next year, socy of this year.
std::optional<When> parse_start_word(std::string_view s, const TimeContext& ctx) {
    const auto [word, clock] = split_word(s);
    const date::local_days today = local_day(ctx.now, ctx.zone);
    const date::year_month_day ymd{today};
    std::optional<date::local_days> day;
    if (word == "sod") day = today;
    if (word == "sow" || word == "soww") day = after(today, date::Monday);
    if (word == "socw") day = after(today, date::Monday) - date::weeks{1};
    if (word == "som") day = date::local_days{(ymd.year() / ymd.month() + date::months{1}) / 1};
    if (word == "socm") day = date::local_days{ymd.year() / ymd.month() / 1};
    if (word == "soy") day = date::local_days{(ymd.year() + date::years{1}) / 1 / 1};
    if (word == "socy") day = date::local_days{ymd.year() / 1 / 1};
    if (!day) return std::nullopt;
    if (clock.empty()) return day_at(*day, 0s, ctx.zone);
    const auto time = parse_clock(clock);
    if (!time) return std::nullopt;
    return day_at(*day, *time, ctx.zone);
}

// "first monday of january [2027]", "last friday of next month", "2nd tue of this month", with
// an optional clock time. Without a year, the first such day on or after today.
std::optional<When> parse_nth_weekday(std::string_view s, const TimeContext& ctx) {
    std::vector<std::string> w = words_of(s);
    if (w.size() < 4 || w[2] != "of") return std::nullopt;
    static constexpr std::array<std::pair<std::string_view, int>, 10> ordinals{{{"first", 1},
                                                                                {"1st", 1},
                                                                                {"second", 2},
                                                                                {"2nd", 2},
                                                                                {"third", 3},
                                                                                {"3rd", 3},
                                                                                {"fourth", 4},
                                                                                {"4th", 4},
                                                                                {"fifth", 5},
                                                                                {"last", -1}}};
    int n = 0;
    for (const auto& [name, value] : ordinals)
        if (w[0] == name) n = value;
    const auto wd = weekday_named(w[1]);
    if (n == 0 || !wd) return std::nullopt;
    const date::local_days today = local_day(ctx.now, ctx.zone);
    const date::year_month_day t{today};
    std::size_t i = 3;
    std::vector<date::year_month> candidates;
    if (w[i] == "this" || w[i] == "next") {
        if (i + 1 >= w.size() || w[i + 1] != "month") return std::nullopt;
        candidates.push_back(t.year() / t.month() + date::months{w[i] == "next" ? 1 : 0});
        i += 2;
    } else if (w[i] == "month") {
        candidates.push_back(t.year() / t.month());
        ++i;
    } else {
        const unsigned month = month_named(w[i]);
        if (!month) return std::nullopt;
        ++i;
        if (i < w.size() && w[i].size() == 4 && std::all_of(w[i].begin(), w[i].end(), is_digit)) {
            candidates.push_back(date::year{std::stoi(w[i])} / date::month{month});
            ++i;
        } else {
            candidates.push_back(t.year() / date::month{month});
            candidates.push_back((t.year() + date::years{1}) / date::month{month});
        }
    }
    std::optional<seconds> time;
    if (i < w.size()) {
        std::vector<std::string> rest(w.begin() + static_cast<std::ptrdiff_t>(i), w.end());
        time = parse_clock(joined(rest));
        if (!time) return std::nullopt;
    }
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const date::year_month ym = candidates[k];
        date::local_days day;
        if (n > 0) {
            const date::year_month_weekday ymw{
                ym.year(), ym.month(), date::weekday_indexed{*wd, static_cast<unsigned>(n)}};
            if (!ymw.ok()) {
                if (candidates.size() == 1) return std::nullopt;
                continue;
            }
            day = date::local_days{ymw};
        } else {
            day = date::local_days{
                date::year_month_weekday_last{ym.year(), ym.month(), date::weekday_last{*wd}}};
        }
        if (k + 1 < candidates.size() && day < today) continue;
        if (time) return day_at(day, *time, ctx.zone);
        return whole_day(day, ctx.zone);
    }
    return std::nullopt;
}

// "15th", "1st", "the 2nd" (Taskwarrior): the next day of the month with that number, today
// included, with an optional clock time.
std::optional<When> parse_ordinal_day(std::string_view s, const TimeContext& ctx) {
    const auto [word, clock] = split_word(s);
    if (word.size() < 3 || !is_digit(word.front())) return std::nullopt;
    const std::string_view suffix = word.substr(word.size() - 2);
    if (suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") return std::nullopt;
    const unsigned n = day_number(word);
    if (n == 0) return std::nullopt;
    const date::local_days today = local_day(ctx.now, ctx.zone);
    const date::year_month_day t{today};
    std::optional<date::local_days> day;
    for (int k = 0; k < 13 && !day; ++k) {
        const date::year_month ym = t.year() / t.month() + date::months{k};
        const date::year_month_day ymd{ym.year(), ym.month(), date::day{n}};
        if (ymd.ok() && date::local_days{ymd} >= today) day = date::local_days{ymd};
    }
    if (!day) return std::nullopt;
    if (clock.empty()) return whole_day(*day, ctx.zone);
    const auto time = parse_clock(clock);
    if (!time) return std::nullopt;
    return day_at(*day, *time, ctx.zone);
}

// GNU date's "@SECONDS": that many seconds after 1970-01-01T00:00:00Z.
std::optional<When> parse_epoch(std::string_view s) {
    if (s.size() < 2 || s.front() != '@') return std::nullopt;
    Cursor c{s.substr(1)};
    const bool negative = c.eat('-');
    const auto n = c.digits(1, 12);
    if (!n || !c.done()) return std::nullopt;
    const long long v = negative ? -*n : *n;
    const Instant at{seconds{v}};
    const auto day = date::floor<date::days>(at);
    if (!in_range(date::local_days{day.time_since_epoch()})) throw OutOfRange{};
    return When{at, std::nullopt};
}

std::optional<When> parse_core(std::string_view s, const TimeContext& ctx);

// A clock time before the day: "9am tomorrow", "noon friday", "3pm jan 14".
std::optional<When> parse_clock_first(std::string_view s, const TimeContext& ctx) {
    for (std::size_t space = s.find(' '); space != std::string_view::npos;
         space = s.find(' ', space + 1)) {
        const auto time = parse_clock(s.substr(0, space));
        if (!time) continue;
        const std::string_view rest = s.substr(space + 1);
        if (rest.empty() || is_digit(rest.front())) return std::nullopt;
        const auto day = parse_core(rest, ctx);
        if (!day || !day->day) return std::nullopt;
        return day_at(*day->day, *time, ctx.zone);
    }
    return std::nullopt;
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
    if (auto when = parse_start_word(s, ctx)) return when;
    if (auto when = parse_nth_weekday(s, ctx)) return when;
    if (auto when = parse_ordinal_day(s, ctx)) return when;
    if (auto when = parse_epoch(s)) return when;
    return parse_clock_first(s, ctx);
}

// The grammar above, after natural speech is rewritten into it.
std::optional<When> parse_core(std::string_view s, const TimeContext& ctx) {
    if (auto when = parse_normalized(s, ctx)) return when;
    const std::string rewritten = rewrite_phrase(s);
    if (rewritten == s) return std::nullopt;
    return parse_normalized(rewritten, ctx);
}

// Every word the grammar knows (besides numbers and clock times), for suggestions.
constexpr std::array<std::string_view, 72> vocabulary{
    "now",       "today",     "tomorrow", "yesterday", "tonight",   "noon",     "midnight",
    "morning",   "afternoon", "evening",  "night",     "next",      "last",     "this",
    "in",        "ago",       "from",     "at",        "on",        "by",       "of",
    "end",       "start",     "day",      "days",      "week",      "weeks",    "month",
    "months",    "year",      "years",    "hour",      "hours",     "minute",   "minutes",
    "fortnight", "eod",       "eow",      "eom",       "eoy",       "sod",      "sow",
    "som",       "soy",       "monday",   "tuesday",   "wednesday", "thursday", "friday",
    "saturday",  "sunday",    "january",  "february",  "march",     "april",    "may",
    "june",      "july",      "august",   "september", "october",   "november", "december",
    "first",     "second",    "third",    "fourth",    "after",     "before",   "the",
    "a",         "an"};

// Levenshtein distance, stopping early past `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// The text with each word the grammar does not know replaced by the nearest one it does (at
// most one edit for words of up to four letters, two for longer ones), when that parses; ""
// otherwise.
std::string nearest_form(std::string_view s, const TimeContext& ctx) {
    std::vector<std::string> words = words_of(s);
    bool changed = false;
    for (auto& w : words) {
        if (w.empty() || is_digit(w.front()) || w.front() == '+' || w.front() == '-') continue;
        if (weekday_named(w) || month_named(w) || unit_named(w)) continue;
        if (std::find(vocabulary.begin(), vocabulary.end(), w) != vocabulary.end()) continue;
        const std::size_t limit = w.size() <= 4 ? 1 : 2;
        std::string_view best;
        std::size_t best_distance = limit + 1;
        for (std::string_view known : vocabulary) {
            if (known.size() < 3) continue;
            const std::size_t d = edit_distance(w, known, limit);
            if (d < best_distance) {
                best = known;
                best_distance = d;
            }
        }
        if (best.empty()) return {};
        w = std::string(best);
        changed = true;
    }
    if (!changed) return {};
    const std::string candidate = joined(words);
    try {
        if (parse_core(candidate, ctx)) return candidate;
    } catch (const OutOfRange&) {
    }
    return {};
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
    const std::string normalized = normalize(text);
    try {
        when = parse_core(normalized, ctx);
    } catch (const OutOfRange&) {
        throw UsageError(fmt::format("date '{}' is out of range (years {} to {})", trim(text),
                                     first_year, last_year));
    }
    if (when) return *when;
    // The nearest accepted form: each unknown word replaced by the nearest word of the grammar.
    std::string near = nearest_form(normalized, ctx);
    if (!near.empty())
        throw UsageError(
            fmt::format("invalid date '{}': did you mean '{}'? {}", trim(text), near, date_hint));
    throw UsageError(fmt::format("invalid date '{}' {}", trim(text), date_hint));
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
