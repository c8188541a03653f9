// The use cases of follow-ups and touches: done, skip, snooze, reopen, chase, log, todo and
// promise, book.

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

namespace followup::actions {

using namespace detail;

DoneResult done(Env& env, const std::vector<Id>& ids, const DoneInput& in) {
    Repository& repo = env.repo;
    Instant at = in.at.value_or(env.tc.now);
    DoneResult result;
    Repository::Transaction tx(repo, true, env.command);
    std::vector<Followup> steps = open_followups(repo, ids);

    // One touch per contact and direction, however many of their follow-ups one note closes.
    std::map<std::pair<Id, Direction>, std::size_t> touch_of;
    for (auto& f : steps) {
        bool theirs = f.kind == Kind::waiting;
        bool meeting = f.kind == Kind::meeting;
        close(repo, f, Status::done, at, in.note);
        Direction direction = theirs ? Direction::in : Direction::out;
        auto key = std::make_pair(f.contact_id, direction);
        // A meeting held on a day its in-person touch is logged already (the referral `met`)
        // is that touch: one meeting, one touch.
        if (meeting && in.via.empty() && !touch_of.contains(key) &&
            same_meeting(env, f.contact_id, at))
            touch_of[key] = result.touches.size();
        if (!touch_of.contains(key)) {
            Interaction i;
            i.contact_id = f.contact_id;
            i.at = at;
            i.channel = in.via.empty() ? (meeting ? "in-person" : f.channel) : in.via;
            i.direction = direction;
            i.note = in.note.empty() ? f.title : in.note;
            i.followup_id = f.id;
            i.campaign = f.campaign;
            repo.insert_interaction(i);
            i.contact = f.contact;
            touch_of[key] = result.touches.size();
            result.touches.push_back(std::move(i));
        }
        // A meeting is on time when held on or after its start within its day.
        // (Its start as it stands: a meeting moved with snooze is held at its new time.)
        long long late = meeting
                             ? (at - end_of_day(local_day(f.due, env.tc.zone), env.tc.zone)).count()
                             : (at - f.original_due).count();
        result.closed.push_back({repo.get_followup(f.id), std::max(0LL, late), theirs});
        if (meeting) {
            // After a meeting: thank them and send what you promised, within 24 hours of its end.
            Contact c = repo.get_contact(f.contact_id);
            Followup note =
                new_step(c.id, Kind::note,
                         fmt::format("Thank {} for the meeting and send what you promised", c.name),
                         add(meeting_end(f), Duration{24, Unit::hours}, env.tc.zone), std::nullopt);
            repo.insert_followup(note);
            result.created.push_back(repo.get_followup(note.id));
        }

        if (!f.referral_id) continue;
        Referral r = repo.get_referral(*f.referral_id);
        if (f.kind == Kind::referral && r.direction == "received" && r.status == "new") {
            // Reaching the prospect is the referral's next status, and the referrer is owed a
            // report.
            r.status = "contacted";
            repo.update_referral(r);
            repo.add_referral_event(r.id, r.status, in.note);
            ReferralResult moved;
            apply_status(env, r, in.note, moved);
            result.created.insert(result.created.end(), moved.steps.begin(), moved.steps.end());
            result.referrals.push_back(repo.get_referral(r.id));
        } else if (f.kind == Kind::checkin && r.direction == "given" && referral_open(r.status) &&
                   r.member_id) {
            // Checked in, no outcome yet: ask again after another interval.
            result.created.push_back(schedule_checkin(env, r, at));
        }
    }
    for (const auto& [key, index] : touch_of)
        sync_recurring(repo, key.first, env.tc, env.config.times.birthday_days);
    tx.commit();
    return result;
}

std::vector<Followup> skip(Env& env, const std::vector<Id>& ids, const std::string& reason,
                           std::vector<Followup>* opened) {
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    std::vector<Followup> steps = open_followups(repo, ids);
    for (auto& f : steps)
        close(repo, f, Status::skipped, env.tc.now, reason);
    // A meeting that did not happen leaves a next step: book it again (kind `meet`), unless
    // one is open or another meeting is booked.
    std::set<Id> rebooked;
    for (const auto& f : steps) {
        if (f.kind != Kind::meeting || rebooked.contains(f.contact_id)) continue;
        auto all = repo.followups_of(f.contact_id);
        bool pending = std::any_of(all.begin(), all.end(), [](const Followup& o) {
            return o.status == Status::open && (o.kind == Kind::meet || o.kind == Kind::meeting);
        });
        if (pending) continue;
        rebooked.insert(f.contact_id);
        Followup again = new_step(
            f.contact_id, Kind::meet, fmt::format("Book the one-to-one with {} again", f.contact),
            add(env.tc.now, env.config.times.rebook, env.tc.zone), std::nullopt);
        repo.insert_followup(again);
        if (opened) opened->push_back(repo.get_followup(again.id));
    }
    tx.commit();
    return steps;
}

std::vector<Followup> snooze(Env& env, const std::vector<Id>& ids, std::optional<Instant> until,
                             std::optional<Duration> length, bool agreed) {
    if (until.has_value() == length.has_value())
        throw UsageError("snooze needs exactly one of --until WHEN and --for DURATION");
    if (until && *until <= env.tc.now) throw UsageError("the new deadline is in the past");
    Repository::Transaction tx(env.repo, true, env.command);
    std::vector<Followup> steps = open_followups(env.repo, ids);
    for (auto& f : steps) {
        // --for counts from the deadline when it is still ahead, else from now.
        f.due = until ? *until : add(std::max(env.tc.now, f.due), *length, env.tc.zone);
        // A date agreed with the person is the deadline from now on, for lateness too.
        if (agreed) f.original_due = f.due;
        env.repo.update_followup(f);
    }
    tx.commit();
    return steps;
}

std::vector<Followup> reopen(Env& env, const std::vector<Id>& ids) {
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    std::vector<Followup> steps;
    for (Id id : ids) {
        Followup f = repo.get_followup(id);
        if (f.status == Status::open) throw Error(fmt::format("follow-up {} is open already", id));
        if (f.kind == Kind::reconnect || f.kind == Kind::birthday)
            throw Error(fmt::format("follow-up {} is a recurring {}: the next one is scheduled "
                                    "already (use 'followup undo' right after a mistake)",
                                    id, to_string(f.kind)));
        steps.push_back(f);
    }
    std::set<Id> contacts;
    for (auto& f : steps) {
        // The touch its completion logged goes with it; chases stay.
        for (const auto& i : repo.interactions_of(f.contact_id))
            if (i.followup_id == f.id && !i.chase && f.done_at && i.at == *f.done_at)
                repo.delete_interaction(i.id);
        f.status = Status::open;
        f.done_at.reset();
        f.note.clear();
        repo.update_followup(f);
        contacts.insert(f.contact_id);
    }
    for (Id c : contacts) {
        repo.recompute_last_touch(c);
        sync_recurring(repo, c, env.tc, env.config.times.birthday_days);
    }
    tx.commit();
    return steps;
}

std::vector<Chased> chase(Env& env, const std::vector<Id>& ids, const std::string& via,
                          const std::string& note) {
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    std::vector<Followup> steps = open_followups(repo, ids);
    std::vector<Chased> out;
    for (auto& f : steps) {
        Interaction i;
        i.contact_id = f.contact_id;
        i.at = env.tc.now;
        i.channel = via.empty() ? f.channel : via;
        i.direction = Direction::out;
        i.note = note.empty() ? fmt::format("Chased: {}", f.title) : note;
        i.followup_id = f.id;
        i.chase = true;
        i.campaign = f.campaign;
        repo.insert_interaction(i);
        i.contact = f.contact;
        f.due = add(env.tc.now, env.config.times.chase, env.tc.zone);
        repo.update_followup(f);
        sync_recurring(repo, f.contact_id, env.tc, env.config.times.birthday_days);
        int chases = static_cast<int>(repo.chases_of(f.id).size());
        out.push_back({repo.get_followup(f.id), std::move(i), chases});
    }
    tx.commit();
    return out;
}

std::vector<Interaction> log(Env& env, const std::vector<Contact>& contacts, const TouchInput& in) {
    Repository::Transaction tx(env.repo, true, env.command);
    std::vector<Interaction> out;
    for (const auto& c : contacts)
        out.push_back(touch(env, c.id, in.at, in.via.empty() ? effective_via(c).channel : in.via,
                            in.direction, in.note, std::nullopt, in.campaign));
    tx.commit();
    return out;
}

std::vector<Followup> add_followups(Env& env, const std::vector<Contact>& contacts, Kind kind,
                                    const std::string& what, Instant due,
                                    const std::string& campaign) {
    std::string w(text::trim(what));
    if (w.empty()) throw UsageError("say WHAT is to be done");
    Repository::Transaction tx(env.repo, true, env.command);
    std::vector<Followup> out;
    for (const auto& c : contacts) {
        Followup f = new_step(
            c.id, kind, kind == Kind::waiting ? fmt::format("Waiting on {}: {}", c.name, w) : w,
            due, std::nullopt);
        f.campaign = campaign;
        env.repo.insert_followup(f);
        out.push_back(env.repo.get_followup(f.id));
    }
    tx.commit();
    return out;
}

Instant meeting_end(const Followup& m) {
    return m.due + m.length.value_or(std::chrono::hours{1});
}

Booked book(Env& env, const std::string& ref, Instant start, const std::string& place,
            std::chrono::seconds length, const std::string& note) {
    if (start <= env.tc.now) throw UsageError("a meeting is booked ahead: its start is past");
    if (length <= std::chrono::seconds{0} || length > std::chrono::hours{24})
        throw UsageError("a meeting lasts more than nothing and at most 24 hours");
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    Contact c = actions::resolve_contact(repo, ref);
    Booked out;
    std::string where(text::trim(place));
    // Booking again someone with a meeting booked moves that meeting (the earliest open one).
    for (auto f : repo.followups_of(c.id)) {
        if (f.kind != Kind::meeting || f.status != Status::open) continue;
        out.moved_from = f.due;
        f.due = start;
        f.original_due = start;
        if (!where.empty()) {
            f.place = where;
            f.title = fmt::format("One-to-one with {} at {}", c.name, where);
        }
        f.length = length;
        if (!note.empty()) f.note = note;
        repo.update_followup(f);
        out.meeting = repo.get_followup(f.id);
        tx.commit();
        return out;
    }
    Followup m = new_step(c.id, Kind::meeting,
                          where.empty() ? fmt::format("One-to-one with {}", c.name)
                                        : fmt::format("One-to-one with {} at {}", c.name, where),
                          start, std::nullopt);
    m.place = where;
    m.length = length;
    m.note = note;
    repo.insert_followup(m);
    out.meeting = repo.get_followup(m.id);
    for (auto f : repo.followups_of(c.id)) {
        if (f.kind != Kind::meet || f.status != Status::open) continue;
        close(repo, f, Status::done, env.tc.now, fmt::format("arranged: meeting {}", m.id));
        out.touch = touch(env, c.id, env.tc.now, f.channel, Direction::out,
                          fmt::format("Arranged a one-to-one"), f.id);
        out.arranged = repo.get_followup(f.id);
        break;
    }
    tx.commit();
    return out;
}

} // namespace followup::actions
