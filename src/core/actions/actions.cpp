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
namespace {

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
                  std::string note, std::optional<Id> followup, std::string campaign = {}) {
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
                result.touches.push_back(
                    touch(env, f->contact_id, now, s == "met" ? "in-person" : f->channel,
                          Direction::out, note.empty() ? f->title : note, f->id));
            } else {
                close(repo, *f, Status::skipped, now, fmt::format("referral {}", s));
            }
            result.closed.push_back(*f);
        } else if ((s == "met" || s == "won") && r.prospect_id) {
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

/// The `referral` step of a lead received at `at` (due `response.referral` later); the
/// prospect's `referred_by` becomes the referrer when it was empty.
Followup open_received(Env& env, const Referral& r, const Contact& prospect,
                       const Contact& referrer, Instant at) {
    Repository& repo = env.repo;
    Followup f = new_step(prospect.id, Kind::referral,
                          fmt::format("Contact {}, referred by {}", prospect.name, referrer.name),
                          add(at, env.config.times.referral, env.tc.zone), r.id);
    repo.insert_followup(f);
    if (!prospect.referred_by_id) {
        Contact p = repo.get_contact(prospect.id);
        p.referred_by_id = referrer.id;
        repo.update_contact(p);
    }
    return repo.get_followup(f.id);
}

ReferralResult record_referral(Env& env, bool received, const std::string& person_ref,
                               const std::string& prospect_ref, const std::string& note,
                               const chapter::Member* member = nullptr) {
    ReferralResult result;
    Repository::Transaction tx(env.repo, true, env.command);
    Contact person =
        resolve_or_create(env.repo, member ? member->name : person_ref, result.created);
    Contact prospect = resolve_or_create(env.repo, prospect_ref, result.created);
    if (person.id == prospect.id) throw UsageError("a referral needs two different people");
    Referral r;
    r.direction = received ? "received" : "given";
    (received ? r.referrer_id : r.member_id) = person.id;
    r.prospect_id = prospect.id;
    r.status = "new";
    r.note = note;
    env.repo.insert_referral(r);
    r = env.repo.get_referral(r.id);
    if (received) {
        result.steps.push_back(open_received(env, r, prospect, person, env.tc.now));
    } else {
        result.steps.push_back(schedule_checkin(env, r, env.tc.now));
    }
    if (member) {
        chapter::SharedReferral shared;
        shared.receiver = member->role;
        shared.prospect = prospect.name;
        if (!prospect.emails.empty()) shared.email = prospect.emails.front().value;
        if (!prospect.phones.empty()) shared.phone = prospect.phones.front().value;
        shared.company = prospect.company;
        shared.note = note;
        shared.created = env.tc.now;
        shared.giver_referral = r.id;
        chapter::share(env.repo, shared);
        result.shared_with = member->role;
    }
    tx.commit();
    result.referral = r;
    return result;
}

/// The received referral and its `referral` step for a referral a member gave me.
ReferralResult take_in_referral(Env& env, const chapter::SharedReferral& in) {
    Repository& repo = env.repo;
    ReferralResult result;
    Contact giver = resolve_or_create(repo, in.giver_name, result.created);
    // The prospect: the contact of that name when there is exactly one (and not the giver),
    // else a new one with the ways to reach them the giver passed on.
    std::optional<Contact> prospect;
    try {
        Contact c = repo.resolve_contact(in.prospect);
        if (text::fold(c.name) == text::fold(in.prospect) && c.id != giver.id) prospect = c;
    } catch (const Error&) { // none or several: a new one
    }
    if (!prospect) {
        prospect = Contact{};
        prospect->name = in.prospect;
        prospect->company = in.company;
        if (!in.email.empty()) prospect->emails.push_back({in.email, ""});
        if (!in.phone.empty()) prospect->phones.push_back({in.phone, ""});
        repo.insert_contact(*prospect);
        result.created.push_back(*prospect);
    }
    Referral r;
    r.direction = "received";
    r.referrer_id = giver.id;
    r.prospect_id = prospect->id;
    r.status = "new";
    r.note = in.note;
    r.created = in.created;
    repo.insert_referral(r);
    result.steps.push_back(open_received(env, r, *prospect, giver, in.created));
    chapter::take_in(repo, in.id, r.id);
    result.referral = repo.get_referral(r.id);
    result.shared_with = in.giver;
    return result;
}

} // namespace

std::vector<Contact> select_contacts(Repository& repo, const Selection& selection) {
    std::vector<Contact> out;
    std::set<Id> seen;
    for (const auto& ref : selection.refs) {
        Contact c = repo.resolve_contact(ref);
        if (seen.insert(c.id).second) out.push_back(std::move(c));
    }
    if (selection.filtered()) {
        ContactQuery q;
        q.tag = selection.tag;
        q.event_id = selection.event_id;
        q.stale_before = selection.stale_before;
        auto rows = repo.list_contacts(q);
        if (rows.empty()) throw NotFound("no contact matches the selection");
        for (auto& row : rows)
            if (seen.insert(row.contact.id).second) out.push_back(std::move(row.contact));
    }
    if (out.empty())
        throw UsageError("name at least one contact, or select some with --tag, "
                         "--event or --stale");
    return out;
}

Contact resolve_or_create(Repository& repo, const std::string& ref, std::vector<Contact>& created) {
    try {
        return repo.resolve_contact(ref);
    } catch (const NotFound&) {
        std::string_view r = text::trim(ref);
        std::string_view digits = !r.empty() && r.front() == '#' ? r.substr(1) : r;
        if (r.empty() || digits.find_first_not_of("0123456789") == std::string_view::npos) throw;
        Contact c;
        c.name = std::string(r);
        repo.insert_contact(c);
        created.push_back(c);
        return c;
    }
}

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

std::vector<Followup> skip(Env& env, const std::vector<Id>& ids, const std::string& reason) {
    Repository::Transaction tx(env.repo, true, env.command);
    std::vector<Followup> steps = open_followups(env.repo, ids);
    for (auto& f : steps)
        close(env.repo, f, Status::skipped, env.tc.now, reason);
    tx.commit();
    return steps;
}

std::vector<Followup> snooze(Env& env, const std::vector<Id>& ids, std::optional<Instant> until,
                             std::optional<Duration> length) {
    if (until.has_value() == length.has_value())
        throw UsageError("snooze needs exactly one of --until WHEN and --for DURATION");
    if (until && *until <= env.tc.now) throw UsageError("the new deadline is in the past");
    Repository::Transaction tx(env.repo, true, env.command);
    std::vector<Followup> steps = open_followups(env.repo, ids);
    for (auto& f : steps) {
        // --for counts from the deadline when it is still ahead, else from now.
        f.due = until ? *until : add(std::max(env.tc.now, f.due), *length, env.tc.zone);
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
    Contact c = repo.resolve_contact(ref);
    Booked out;
    std::string where(text::trim(place));
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

ReferralResult receive(Env& env, const std::string& from, const std::string& prospect,
                       const std::string& note) {
    return record_referral(env, true, from, prospect, note);
}

ReferralResult give(Env& env, const std::string& to, const std::string& prospect,
                    const std::string& note) {
    std::optional<chapter::Member> member;
    if (env.repo.on_server()) {
        std::optional<chapter::Member> self = chapter::me(env.repo);
        if (self) member = chapter::find_member(env.repo, std::string(text::trim(to)));
        if (member && member->role == self->role)
            throw UsageError("a referral goes to another member, not to yourself");
    }
    return record_referral(env, false, to, prospect, note, member ? &*member : nullptr);
}

TakenIn take_in_chapter(Env& env) {
    TakenIn out;
    Repository& repo = env.repo;
    std::optional<chapter::Pending> peek = chapter::pending(repo);
    if (!peek || (peek->incoming.empty() && peek->reports.empty())) return out;
    Repository::Transaction tx(repo, true, env.command);
    std::optional<chapter::Pending> p = chapter::pending(repo, true);
    if (!p) return out;
    for (const auto& in : p->incoming)
        out.received.push_back(take_in_referral(env, in));
    for (const auto& report : p->reports) {
        chapter::seen(repo, report.shared_id, report.id);
        if (!report.giver_referral) continue;
        Referral r;
        try {
            r = repo.get_referral(*report.giver_referral);
        } catch (const NotFound&) {
            continue; // deleted on the giver's side since
        }
        // The member's word, as of when they gave it.
        Env then = env;
        then.tc.now = report.at;
        ReferralResult result;
        r.status = report.status;
        if (report.amount) r.amount = report.amount;
        repo.update_referral(r);
        repo.add_referral_event(r.id, r.status, report.note, report.at);
        apply_status(then, r, report.note, result);
        if (!referral_open(r.status)) end_checkins(then, r, report.at, result);
        result.referral = repo.get_referral(r.id);
        out.reports.push_back(std::move(result));
    }
    tx.commit();
    return out;
}

ReferralResult update_referral(Env& env, Id id, const ReferralUpdate& in) {
    std::string s = parse_referral_status(in.status);
    if (in.amount && s != "won") throw UsageError("--amount goes with --status won");
    if (in.amount && *in.amount < 0) throw UsageError("--amount must not be negative");
    if (!in.to.empty() && s != "passed") throw UsageError("--to goes with --status passed");
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    Referral r = repo.get_referral(id);
    if (!in.to.empty() && r.direction != "received")
        throw UsageError(fmt::format("referral {} is one you gave: only a lead you received can "
                                     "be passed on",
                                     id));
    ReferralResult result;
    r.status = s;
    if (in.amount) r.amount = in.amount;
    if (!in.note.empty()) r.note = in.note;
    repo.update_referral(r);
    repo.add_referral_event(r.id, s, in.note);
    apply_status(env, r, in.note, result);
    if (r.direction == "given" && !referral_open(s)) end_checkins(env, r, env.tc.now, result);
    if (!in.to.empty()) {
        Contact member = resolve_or_create(repo, in.to, result.created);
        if (!r.prospect_id) throw Error(fmt::format("referral {} has no prospect any more", id));
        if (member.id == *r.prospect_id) throw UsageError("a referral needs two different people");
        Referral given;
        given.direction = "given";
        given.member_id = member.id;
        given.prospect_id = r.prospect_id;
        given.status = "new";
        given.note = in.note;
        given.passed_from = r.id;
        repo.insert_referral(given);
        given = repo.get_referral(given.id);
        result.steps.push_back(schedule_checkin(env, given, env.tc.now));
        result.passed_on = given;
    }
    tx.commit();
    result.referral = repo.get_referral(id);
    return result;
}

namespace {

/// Applies the reach part of an edit: additions go first, in the order given; removals must
/// name something the contact has.
void edit_reach(Contact& c, const ContactEdit& e) {
    auto add = [](auto& list, const auto& items) {
        list.insert(list.begin(), items.begin(), items.end());
    };
    // A value given again without a label keeps the label it had.
    auto keep_labels = [](std::vector<Labeled>& list, auto same) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].label.empty())
                for (std::size_t j = i + 1; j < list.size(); ++j)
                    if (same(list[i].value, list[j].value)) list[i].label = list[j].label;
    };
    auto lower_same = [](const std::string& a, const std::string& b) { return same_email(a, b); };
    auto phone_same = [](const std::string& a, const std::string& b) { return same_phone(a, b); };
    add(c.emails, e.emails);
    add(c.phones, e.phones);
    add(c.addresses, e.addresses);
    add(c.profiles, e.profiles);
    keep_labels(c.emails, lower_same);
    keep_labels(c.phones, phone_same);
    keep_labels(c.addresses, [](const std::string& a, const std::string& b) { return a == b; });
    auto remove = [&](std::vector<Labeled>& list, const std::string& what, const char* kind,
                      auto same) {
        auto it = std::remove_if(list.begin(), list.end(),
                                 [&](const Labeled& l) { return same(l.value, what); });
        if (it == list.end())
            throw UsageError(fmt::format("{} has no {} '{}'", c.name, kind, what));
        list.erase(it, list.end());
    };
    for (const auto& x : e.remove_emails)
        remove(c.emails, std::string(text::trim(x)), "email", lower_same);
    for (const auto& x : e.remove_phones)
        remove(c.phones, std::string(text::trim(x)), "phone", phone_same);
    for (const auto& x : e.remove_addresses) {
        std::string t(text::trim(x));
        bool number = !t.empty() && t.size() < 4 && t.find_first_not_of("0123456789") == t.npos;
        if (number) {
            std::size_t n = std::stoul(t);
            if (n < 1 || n > c.addresses.size())
                throw UsageError(fmt::format("{} has no address {} (they have {})", c.name, n,
                                             c.addresses.size()));
            c.addresses.erase(c.addresses.begin() + static_cast<std::ptrdiff_t>(n - 1));
        } else {
            remove(c.addresses, t, "address", lower_same);
        }
    }
    for (const auto& network : e.remove_profiles) {
        auto it = std::remove_if(c.profiles.begin(), c.profiles.end(),
                                 [&](const Profile& p) { return p.network == network; });
        if (it == c.profiles.end())
            throw UsageError(
                fmt::format("{} has no profile on {}", c.name, channel_label(network)));
        c.profiles.erase(it, c.profiles.end());
    }
    // What is left of the old primary values must not come back through settle_reach.
    c.email = c.emails.empty() ? "" : c.emails.front().value;
    c.phone = c.phones.empty() ? "" : c.phones.front().value;
}

} // namespace

Added add_contact(Env& env, NewContact in) {
    Repository& repo = env.repo;
    const TimeContext& tc = env.tc;
    Contact& c = in.contact;
    if (text::trim(c.name).empty()) throw UsageError("the name must not be empty");
    c.met = in.met.day ? start_of_day(*in.met.day, tc.zone) : in.met.at;
    c.last_touch = std::min(*c.met, tc.now);
    const Plan& plan =
        find_plan(env.config.plans, in.plan.empty() ? env.config.default_plan : in.plan);
    if (!in.channel_given && !env.config.default_channel.empty())
        c.channel = env.config.default_channel;
    settle_reach(c);

    Added out;
    Repository::Transaction tx(repo, true, env.command);
    if (!text::trim(in.event).empty()) {
        Event e =
            repo.find_or_create_event(text::trim(in.event), local_day(*c.met, tc.zone), tc.now);
        c.event_id = e.id;
        c.event = e.name;
    }
    if (!text::trim(in.referred_by).empty()) {
        Contact by = resolve_or_create(repo, in.referred_by, out.created);
        c.referred_by_id = by.id;
        c.referred_by = by.name;
    }
    repo.insert_contact(c);
    for (const auto& p : schedule(c, plan, in.met, tc.zone, env.config.social_networks)) {
        Followup f = new_step(c.id, p.kind, p.title, p.due, std::nullopt);
        f.channel = p.channel;
        repo.insert_followup(f);
        out.planned.push_back(f);
    }
    // A new contact's follow-ups are the ones just planned: nothing to read back.
    sync_recurring(repo, c, out.planned, tc, env.config.times.birthday_days);
    tx.commit();
    out.contact = c;
    out.plan = plan.name;
    return out;
}

std::vector<Contact> edit_contacts(Env& env, const std::vector<Contact>& contacts,
                                   const ContactEdit& e) {
    if (e.tags_only() && e.tags.empty() && e.untags.empty())
        throw UsageError("edit: nothing to change (see 'followup edit --help')");
    if (contacts.size() > 1 && !e.tags_only())
        throw UsageError("several contacts at once take only --tag and --untag");
    if (e.name && text::trim(*e.name).empty()) throw UsageError("the name must not be empty");
    Repository& repo = env.repo;
    const TimeContext& tc = env.tc;
    Repository::Transaction tx(repo, true, env.command);
    std::vector<Contact> out;
    for (const auto& original : contacts) {
        Contact c = repo.get_contact(original.id);
        Contact before = c;
        auto set = [](std::string& field, const std::optional<std::string>& v) {
            if (v) field = std::string(text::trim(*v));
        };
        set(c.name, e.name);
        set(c.company, e.company);
        set(c.title, e.title);
        if (e.notes) c.notes = *e.notes;
        if (e.via) {
            c.channel = e.via->channel;
            c.handle = e.via->handle;
        }
        edit_reach(c, e);
        if (e.met) c.met = e.met->day ? start_of_day(*e.met->day, tc.zone) : e.met->at;
        if (e.event) {
            if (text::trim(*e.event).empty()) {
                c.event_id.reset();
            } else {
                Event ev = repo.find_or_create_event(
                    text::trim(*e.event), local_day(c.met.value_or(tc.now), tc.zone), tc.now);
                c.event_id = ev.id;
            }
        }
        for (const auto& t : e.tags) {
            std::string tag(text::trim(t));
            if (tag.empty()) throw UsageError("empty tag");
            auto same = [&](const std::string& x) { return text::lower(x) == text::lower(tag); };
            if (std::none_of(c.tags.begin(), c.tags.end(), same)) c.tags.push_back(tag);
        }
        for (const auto& t : e.untags) {
            std::string tag = text::lower(text::trim(t));
            auto it = std::remove_if(c.tags.begin(), c.tags.end(),
                                     [&](const std::string& x) { return text::lower(x) == tag; });
            if (it == c.tags.end() && contacts.size() == 1)
                throw UsageError(fmt::format("{} has no tag '{}'", before.name, t));
            c.tags.erase(it, c.tags.end());
        }
        if (e.every) c.every_days = *e.every;
        if (e.birthday) c.birthday = *e.birthday;
        settle_reach(c);
        repo.update_contact(c);
        sync_recurring(repo, c.id, tc, env.config.times.birthday_days);
        // Open plan steps name the person and the channel, and a connect step is on the
        // network their profiles pick: keep them current, unless changed by hand.
        const auto& networks = env.config.social_networks;
        for (auto f : repo.followups_of(c.id)) {
            if (f.status != Status::open) continue;
            if (f.kind != Kind::note && f.kind != Kind::connect && f.kind != Kind::meet) continue;
            Followup was = f;
            if (f.title == plan_title(f.kind, before, networks))
                f.title = plan_title(f.kind, c, networks);
            if (f.kind == Kind::connect && f.channel == connect_network(before, networks))
                f.channel = connect_network(c, networks);
            if (f.title != was.title || f.channel != was.channel) repo.update_followup(f);
        }
        out.push_back(repo.get_contact(c.id));
    }
    tx.commit();
    return out;
}

Contact archive(Env& env, const std::string& ref, bool restore) {
    Repository::Transaction tx(env.repo, true, env.command);
    Contact c = env.repo.resolve_contact(ref);
    if (c.archived != restore)
        throw Error(
            fmt::format("#{} {} is {} already", c.id, c.name, restore ? "active" : "archived"));
    c.archived = !restore;
    env.repo.update_contact(c);
    sync_recurring(env.repo, c.id, env.tc, env.config.times.birthday_days);
    tx.commit();
    return c;
}

std::pair<Contact, ContactFootprint> remove_contact(Env& env, const std::string& ref) {
    Repository::Transaction tx(env.repo, true, env.command);
    Contact c = env.repo.resolve_contact(ref);
    ContactFootprint fp = env.repo.footprint(c.id);
    env.repo.delete_contact(c.id);
    tx.commit();
    return {c, fp};
}

Merged merge_contacts(Env& env, const std::string& a_ref, const std::string& b_ref) {
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    Contact a = repo.resolve_contact(a_ref);
    Contact b = repo.resolve_contact(b_ref);
    if (a.id == b.id)
        throw UsageError(
            fmt::format("#{} {} is the same contact twice: nothing to merge", a.id, a.name));
    Merged out;
    out.removed = b;
    out.moved = repo.footprint(b.id);
    // One open step of each plan and recurring kind: B's is dropped where A has one.
    auto one_of_a_kind = [](Kind k) {
        return k == Kind::note || k == Kind::connect || k == Kind::meet || k == Kind::reconnect ||
               k == Kind::birthday;
    };
    std::vector<Kind> open_of_a;
    for (const auto& f : repo.followups_of(a.id))
        if (f.status == Status::open && one_of_a_kind(f.kind)) open_of_a.push_back(f.kind);
    for (auto f : repo.followups_of(b.id)) {
        if (f.status != Status::open || !one_of_a_kind(f.kind)) continue;
        if (std::find(open_of_a.begin(), open_of_a.end(), f.kind) == open_of_a.end()) continue;
        f.status = Status::skipped;
        f.done_at = env.tc.now;
        f.note = fmt::format("merged into #{} {}, which has its own", a.id, a.name);
        repo.update_followup(f);
        out.skipped.push_back(f);
    }
    repo.move_contact_records(b.id, a.id);

    Contact m = repo.get_contact(a.id); // referred_by may have changed (B introduced A)
    auto fill = [](std::string& field, const std::string& value) {
        if (text::trim(field).empty()) field = value;
    };
    fill(m.company, b.company);
    fill(m.title, b.title);
    fill(m.channel, b.channel);
    fill(m.birthday, b.birthday);
    if (!text::trim(b.notes).empty() && m.notes != b.notes)
        m.notes = text::trim(m.notes).empty() ? b.notes : m.notes + "\n" + b.notes;
    if (!m.event_id) m.event_id = b.event_id;
    if (b.met && (!m.met || *b.met < *m.met)) m.met = b.met;
    if (!m.referred_by_id && b.referred_by_id && *b.referred_by_id != a.id)
        m.referred_by_id = b.referred_by_id;
    if (!m.every_days) m.every_days = b.every_days;
    for (const auto& t : b.tags)
        if (std::none_of(m.tags.begin(), m.tags.end(),
                         [&](const std::string& x) { return text::lower(x) == text::lower(t); }))
            m.tags.push_back(t);
    // Both sets of ways to reach them, A's first (settle_reach drops the repeated ones).
    m.emails.insert(m.emails.end(), b.emails.begin(), b.emails.end());
    m.phones.insert(m.phones.end(), b.phones.begin(), b.phones.end());
    m.addresses.insert(m.addresses.end(), b.addresses.begin(), b.addresses.end());
    m.profiles.insert(m.profiles.end(), b.profiles.begin(), b.profiles.end());
    m.email.clear();
    m.phone.clear();
    settle_reach(m);
    repo.delete_contact(b.id);
    repo.update_contact(m);
    repo.recompute_last_touch(a.id);
    sync_recurring(repo, a.id, env.tc, env.config.times.birthday_days);
    out.contact = repo.get_contact(a.id);
    tx.commit();
    return out;
}

Event add_event(Env& env, Event event) {
    if (text::trim(event.name).empty()) throw UsageError("an event needs a name");
    Repository::Transaction tx(env.repo, true, env.command);
    Event e = env.repo.add_event(std::move(event));
    tx.commit();
    return e;
}

UndoEntry undo(Env& env) {
    return env.repo.undo_last(); // one transaction of its own, with foreign keys off
}

} // namespace followup::actions
