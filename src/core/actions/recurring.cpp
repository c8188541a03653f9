#include <algorithm>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/domain/scheduler.hpp>

namespace followup {

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
