#include <fmt/format.h>
#include <followup/cadence.hpp>
#include <followup/errors.hpp>
#include <followup/scheduler.hpp>
#include <followup/text.hpp>

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

/// Puts the contact's one open follow-up of `kind` at `due`: creates it, or moves the open one
/// when its target changed (a snooze of an unchanged target is kept).
void place(Repository& repo, const Contact& c, std::optional<Followup>& open, Kind kind,
           Instant due) {
    if (open) {
        if (open->original_due == due) return;
        open->due = open->original_due = due;
        open->title = plan_title(kind, c);
        repo.update_followup(*open);
        return;
    }
    Followup f;
    f.contact_id = c.id;
    f.kind = kind;
    f.title = plan_title(kind, c);
    f.due = due;
    repo.insert_followup(f);
}

/// Skips an open follow-up that is no longer wanted, saying why.
void retire(Repository& repo, std::optional<Followup>& open, const char* why) {
    if (!open) return;
    open->status = Status::skipped;
    open->note = why;
    repo.update_followup(*open);
}

} // namespace

namespace {

/// sync_reconnect for a contact and its follow-ups in hand.
void reconnect_of(Repository& repo, const Contact& c, const std::vector<Followup>& followups,
                  const Zone* zone) {
    std::optional<Followup> open;
    for (const auto& f : followups)
        if (f.kind == Kind::reconnect && f.status == Status::open) open = f;
    bool wanted = c.every_days.has_value() && *c.every_days > 0 && !c.archived;
    if (!wanted) {
        retire(repo, open, c.archived ? "contact archived" : "no keep-in-touch cadence any more");
        return;
    }
    // A touch restarts the clock: the deadline moves, and so does the one lateness is measured
    // against, since the old one no longer applies.
    place(repo, c, open, Kind::reconnect, reconnect_due(c, zone));
}

} // namespace

void sync_reconnect(Repository& repo, Id contact_id, const Zone* zone) {
    reconnect_of(repo, repo.get_contact(contact_id), repo.followups_of(contact_id), zone);
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

namespace {

/// sync_birthday for a contact and its follow-ups in hand.
void birthday_of(Repository& repo, const Contact& c, const std::vector<Followup>& followups,
                 const TimeContext& tc, int days_before) {
    std::optional<Followup> open;
    std::optional<Instant> last_closed;
    for (const auto& f : followups) {
        if (f.kind != Kind::birthday) continue;
        if (f.status == Status::open)
            open = f;
        else if (!last_closed || f.original_due > *last_closed)
            last_closed = f.original_due;
    }
    if (c.birthday.empty() || c.archived) {
        retire(repo, open, c.archived ? "contact archived" : "no birthday any more");
        return;
    }
    // The next birthday from today, or after the one whose card was last sent.
    date::local_days from = local_day(tc.now, tc.zone);
    if (last_closed) {
        date::local_days after = local_day(*last_closed, tc.zone) + date::days{days_before + 1};
        from = std::max(from, after);
    }
    place(repo, c, open, Kind::birthday, birthday_card_due(c.birthday, from, days_before, tc.zone));
}

} // namespace

void sync_birthday(Repository& repo, Id contact_id, const TimeContext& tc, int days_before) {
    birthday_of(repo, repo.get_contact(contact_id), repo.followups_of(contact_id), tc, days_before);
}

void sync_recurring(Repository& repo, const Contact& c, const std::vector<Followup>& followups,
                    const TimeContext& tc, int birthday_days) {
    // Each step changes only follow-ups of its own kind, so one reading serves both.
    reconnect_of(repo, c, followups, tc.zone);
    birthday_of(repo, c, followups, tc, birthday_days);
}

void sync_recurring(Repository& repo, Id contact_id, const TimeContext& tc, int birthday_days) {
    sync_recurring(repo, repo.get_contact(contact_id), repo.followups_of(contact_id), tc,
                   birthday_days);
}

} // namespace followup
