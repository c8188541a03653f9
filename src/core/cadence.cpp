#include <fmt/format.h>
#include <followup/cadence.hpp>
#include <followup/errors.hpp>
#include <followup/scheduler.hpp>

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

Instant reconnect_due(const Contact& c, const date::time_zone* zone) {
    Instant from = c.last_touch.value_or(c.met.value_or(c.created));
    return add(from, Duration{c.every_days.value_or(0), Unit::days}, zone);
}

void sync_reconnect(Repository& repo, Id contact_id, const date::time_zone* zone) {
    Contact c = repo.get_contact(contact_id);
    std::optional<Followup> open;
    for (auto& f : repo.followups_of(contact_id))
        if (f.kind == Kind::reconnect && f.status == Status::open) open = f;
    bool wanted = c.every_days.has_value() && *c.every_days > 0 && !c.archived;
    if (!wanted) {
        if (open) {
            open->status = Status::skipped;
            open->note = c.archived ? "contact archived" : "no keep-in-touch cadence any more";
            repo.update_followup(*open);
        }
        return;
    }
    // A touch restarts the clock: the deadline moves, and so does the one lateness is measured
    // against, since the old one no longer applies.
    Instant due = reconnect_due(c, zone);
    if (open) {
        if (open->due == due && open->original_due == due) return;
        open->due = due;
        open->original_due = due;
        open->title = plan_title(Kind::reconnect, c);
        repo.update_followup(*open);
        return;
    }
    Followup f;
    f.contact_id = c.id;
    f.kind = Kind::reconnect;
    f.title = plan_title(Kind::reconnect, c);
    f.due = due;
    repo.insert_followup(f);
}

} // namespace followup
