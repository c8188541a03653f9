// The steps the use cases share: opening and closing follow-ups, logging a touch, and moving
// a referral (see steps.hpp).

#include "steps.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/store/chapter.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>

namespace followup::actions::detail {

/// A referral that is still going: the prospect may yet become business.
bool referral_open(const std::string& status) {
    return status == "new" || status == "contacted" || status == "met";
}

/// Loads an open follow-up; throws when it is closed already.
Followup open_followup(Repository& repo, Id id) {
    Followup f = repo.get_followup(id);
    if (f.status != Status::open)
        throw Error(fmt::format("follow-up {} is {} already", id, to_string(f.status)));
    return f;
}

/// Loads every id first, so that a bad one fails the command before anything is written.
std::vector<Followup> open_followups(Repository& repo, const std::vector<Id>& ids) {
    std::vector<Followup> out;
    for (Id id : ids)
        out.push_back(open_followup(repo, id));
    return out;
}

Followup new_step(Id contact, Kind kind, std::string title, Instant due,
                  std::optional<Id> referral) {
    Followup f;
    f.contact_id = contact;
    f.kind = kind;
    f.title = std::move(title);
    f.due = due;
    f.referral_id = referral;
    return f;
}

/// The open follow-up of this kind that belongs to the referral, if any.
std::optional<Followup> open_step(Repository& repo, const Referral& r, std::optional<Id> contact,
                                  Kind kind) {
    if (!contact) return std::nullopt;
    for (auto& f : repo.followups_of(*contact))
        if (f.kind == kind && f.status == Status::open && f.referral_id == r.id) return f;
    return std::nullopt;
}

/// Logs a touch and restarts the contact's keep-in-touch clock.
Interaction touch(Env& env, Id contact, Instant at, std::string channel, Direction direction,
                  std::string note, std::optional<Id> followup, std::string campaign) {
    Interaction i;
    i.contact_id = contact;
    i.at = at;
    i.channel = std::move(channel);
    i.direction = direction;
    i.note = std::move(note);
    i.followup_id = followup;
    i.campaign = std::move(campaign);
    env.repo.insert_interaction(i);
    sync_recurring(env.repo, contact, env.tc, env.config.times.birthday_days);
    i.contact = env.repo.get_contact(contact).name;
    return i;
}

std::optional<Interaction> same_meeting(Env& env, Id contact, Instant at) {
    const auto day = local_day(at, env.tc.zone);
    for (auto& i : env.repo.interactions_of(contact))
        if (i.channel == "in-person" && i.direction == Direction::out && !i.chase &&
            local_day(i.at, env.tc.zone) == day)
            return i;
    return std::nullopt;
}

/// Closes a follow-up (done or skipped) without a touch.
void close(Repository& repo, Followup& f, Status status, Instant at, const std::string& note) {
    f.status = status;
    if (status == Status::done) f.done_at = at;
    if (!note.empty()) f.note = note;
    repo.update_followup(f);
}

std::string report_title(const Referral& r) {
    if (r.status == "declined")
        return fmt::format("Tell {} politely that you declined {}", r.referrer, r.prospect);
    if (r.status == "passed")
        return fmt::format("Tell {} politely that you passed {} on", r.referrer, r.prospect);
    if (r.status == "lost")
        return fmt::format("Tell {} that it did not work out with {}", r.referrer, r.prospect);
    if (r.status == "met") return fmt::format("Tell {} that you met {}", r.referrer, r.prospect);
    return fmt::format("Tell {} how it went with {}", r.referrer, r.prospect);
}

std::string checkin_title(const Referral& r) {
    if (r.status == "new")
        return fmt::format("Ask {} whether they reached {}", r.member, r.prospect);
    return fmt::format("Ask {} how it goes with {} ({} so far)", r.member, r.prospect, r.status);
}

/// The next check-in of a given referral still open, `response.checkin` after `from`.
Followup schedule_checkin(Env& env, const Referral& r, Instant from) {
    Followup f = new_step(*r.member_id, Kind::checkin, checkin_title(r),
                          add(from, env.config.times.checkin, env.tc.zone), r.id);
    env.repo.insert_followup(f);
    return env.repo.get_followup(f.id);
}

/// Ends the open check-ins of a given referral (its status is final).
void end_checkins(Env& env, const Referral& r, Instant at, ReferralResult& result) {
    if (auto f = open_step(env.repo, r, r.member_id, Kind::checkin)) {
        close(env.repo, *f, Status::skipped, at, fmt::format("referral {}", r.status));
        result.closed.push_back(*f);
    }
}

/// Everything a new status of a referral calls for; `r` has the new status already and the
/// referral step, when a `done` closed it, is closed already.
void apply_status(Env& env, Referral& r, const std::string& note, ReferralResult& result) {
    Repository& repo = env.repo;
    Instant now = env.tc.now;
    const std::string& s = r.status;
    if (r.direction == "given") {
        if (s == "new" || !r.member_id) return;
        // The member's word is the answer to the open check-in.
        if (auto f = open_step(repo, r, r.member_id, Kind::checkin)) {
            close(repo, *f, Status::done, now, note);
            result.closed.push_back(*f);
            result.touches.push_back(touch(
                env, f->contact_id, now, f->channel, Direction::in,
                note.empty() ? fmt::format("Referral of {}: {}", r.prospect, s) : note, f->id));
        }
        if (referral_open(s)) result.steps.push_back(schedule_checkin(env, r, now));
        return;
    }

    // Received. The referral step: contacting (or meeting, or winning, or losing) the prospect
    // closes it with a touch with the prospect; declining or passing it on closes it untouched.
    bool reached = s == "contacted" || s == "met" || s == "won" || s == "lost";
    if (s != "new") {
        if (auto f = open_step(repo, r, r.prospect_id, Kind::referral)) {
            if (reached) {
                close(repo, *f, Status::done, now, note);
                // Met: the meeting held today is that touch already.
                if (s != "met" || !same_meeting(env, f->contact_id, now))
                    result.touches.push_back(
                        touch(env, f->contact_id, now, s == "met" ? "in-person" : f->channel,
                              Direction::out, note.empty() ? f->title : note, f->id));
            } else {
                close(repo, *f, Status::skipped, now, fmt::format("referral {}", s));
            }
            result.closed.push_back(*f);
        } else if ((s == "met" || s == "won") && r.prospect_id &&
                   !(s == "met" && same_meeting(env, *r.prospect_id, now))) {
            // A meeting or a deal is a touch with the prospect, even after the first contact.
            result.touches.push_back(
                touch(env, *r.prospect_id, now, s == "met" ? "in-person" : "", Direction::out,
                      note.empty() ? fmt::format("Referral: {}", s) : note, std::nullopt));
        }
    }
    // In a chapter, a referral another member gave: the status is the report, which the giver
    // sees at once; only the thank-you for business won is still to do.
    std::optional<chapter::SharedReferral> shared = chapter::shared_of(repo, r.id);
    if (shared) {
        chapter::report(repo, shared->id, s, r.amount, note, now);
        result.shared_with = shared->giver;
    }
    if (!r.referrer_id) return; // the referrer was deleted
    if (shared && s != "won") return;
    Instant due = add(now, env.config.times.report, env.tc.zone);
    std::optional<Followup> report = open_step(repo, r, r.referrer_id, Kind::report);
    if (s == "won") {
        if (report) { // the thank-you tells them: one message, not two
            close(repo, *report, Status::skipped, now, "superseded by the thank-you");
            result.closed.push_back(*report);
        }
        std::string value = r.amount ? fmt::format(" ({:.2f})", *r.amount) : "";
        Followup f = new_step(
            *r.referrer_id, Kind::thank,
            fmt::format("Thank {} for the business with {}{}", r.referrer, r.prospect, value), due,
            r.id);
        repo.insert_followup(f);
        result.steps.push_back(repo.get_followup(f.id));
    } else if (s != "new") {
        // At most one open report: a later status retitles it and gives it a fresh deadline.
        Followup f = report ? *report : new_step(*r.referrer_id, Kind::report, "", due, r.id);
        f.title = report_title(r);
        f.due = f.original_due = due;
        if (report)
            repo.update_followup(f);
        else
            repo.insert_followup(f);
        result.steps.push_back(repo.get_followup(f.id));
    }
}

} // namespace followup::actions::detail
