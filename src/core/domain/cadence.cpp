#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup {

int parse_cadence(std::string_view text) {
    Duration d = parse_duration(text);
    long long days = 0;
    switch (d.unit) {
    case Unit::days:
        days = d.count;
        break;
    case Unit::weeks:
        days = d.count * 7;
        break;
    case Unit::months:
        days = d.count * 30;
        break;
    case Unit::years:
        days = d.count * 365;
        break;
    default:
        throw UsageError(fmt::format("invalid cadence '{}' (in days, weeks, months or years: "
                                     "30d, 2w, 3m, 1y)",
                                     text));
    }
    if (days > 3650)
        throw UsageError(fmt::format("invalid cadence '{}' (ten years at most)", text));
    return static_cast<int>(days);
}

Instant reconnect_due(const Contact& c, const Zone* zone) {
    Instant from = c.last_touch.value_or(c.met.value_or(c.created));
    return add(from, Duration{c.every_days.value_or(0), Unit::days}, zone);
}

namespace {

struct MonthDay {
    unsigned month{}, day{};
};

MonthDay month_day(const std::string& birthday) {
    // Stored as "MM-DD" or "YYYY-MM-DD": the month and day are the last five characters.
    std::string md = birthday.substr(birthday.size() - 5);
    return {static_cast<unsigned>(std::stoi(md.substr(0, 2))),
            static_cast<unsigned>(std::stoi(md.substr(3, 2)))};
}

/// The birthday in a given year (February 29 on February 28 when the year has none).
date::local_days birthday_in(MonthDay md, int year) {
    date::year_month_day ymd{date::year{year}, date::month{md.month}, date::day{md.day}};
    if (!ymd.ok()) ymd = date::year{year} / date::month{md.month} / date::last;
    return date::local_days{ymd};
}

} // namespace

std::string parse_birthday(std::string_view text) {
    std::string t(text::trim(text));
    if (t.empty() || text::lower(t) == "none") return {};
    auto bad = [&] {
        return UsageError(fmt::format("invalid birthday '{}' (MM-DD or YYYY-MM-DD)", text));
    };
    bool with_year = t.size() == 10 && t[4] == '-' && t[7] == '-';
    bool without = t.size() == 5 && t[2] == '-';
    if (!with_year && !without) throw bad();
    for (std::size_t i = 0; i < t.size(); ++i) {
        bool dash = with_year ? (i == 4 || i == 7) : i == 2; // dashes only where they belong
        if (dash != (t[i] == '-') || (!dash && (t[i] < '0' || t[i] > '9'))) throw bad();
    }
    MonthDay md = month_day(t);
    int year = with_year ? std::stoi(t.substr(0, 4)) : 2000; // 2000 has a February 29
    date::year_month_day ymd{date::year{year}, date::month{md.month}, date::day{md.day}};
    if (!ymd.ok() || (with_year && year < 1900)) throw bad();
    return t;
}

Instant birthday_card_due(const std::string& birthday, date::local_days from, int days_before,
                          const Zone* zone) {
    MonthDay md = month_day(birthday);
    int year = static_cast<int>(date::year_month_day{from}.year());
    date::local_days next = birthday_in(md, year);
    if (next < from) next = birthday_in(md, year + 1);
    return end_of_day(next - date::days{days_before}, zone);
}

} // namespace followup
