// The use cases of referrals: receive, give, take in from the chapter, update.

#include "steps.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/store/chapter.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>

namespace followup::actions {

using namespace detail;

namespace {

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
                               bool allow_new, const chapter::Member* member = nullptr) {
    ReferralResult result;
    Repository::Transaction tx(env.repo, true, env.command);
    Contact person =
        resolve_or_create(env.repo, member ? member->name : person_ref, result.created, allow_new);
    Contact prospect = resolve_or_create(env.repo, prospect_ref, result.created, allow_new);
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
        // A lead is word from the referrer: an incoming touch.
        result.touches.push_back(
            touch(env, person.id, env.tc.now, effective_via(person).channel, Direction::in,
                  fmt::format("Referred {} to you", prospect.name), std::nullopt));
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
    // Taken in before the member's command runs: a name near a contact's is not refused here
    // (nobody is there to answer), it is that person only when the name is theirs.
    Contact giver = resolve_or_create(repo, in.giver_name, result.created, true);
    // The prospect: the contact of that name when there is exactly one (and not the giver),
    // else a new one with the ways to reach them the giver passed on.
    std::optional<Contact> prospect;
    Contact given;
    given.name = in.prospect;
    given.company = in.company;
    if (!in.email.empty()) given.emails.push_back({in.email, ""});
    if (!in.phone.empty()) given.phones.push_back({in.phone, ""});
    if (auto m = match_contact(repo, given);
        m.verdict == identity::Verdict::same && *m.id != giver.id)
        prospect = repo.get_contact(*m.id);
    if (!prospect) {
        prospect = given;
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

ReferralResult receive(Env& env, const std::string& from, const std::string& prospect,
                       const std::string& note, bool allow_new) {
    return record_referral(env, true, from, prospect, note, allow_new);
}

ReferralResult give(Env& env, const std::string& to, const std::string& prospect,
                    const std::string& note, bool allow_new) {
    std::optional<chapter::Member> member;
    if (env.repo.on_server()) {
        std::optional<chapter::Member> self = chapter::me(env.repo);
        if (self) member = chapter::find_member(env.repo, std::string(text::trim(to)));
        if (member && member->role == self->role)
            throw UsageError("a referral goes to another member, not to yourself");
    }
    return record_referral(env, false, to, prospect, note, allow_new, member ? &*member : nullptr);
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
    const std::optional<double> amount =
        in.amount ? std::optional<double>(check_amount(*in.amount, "--amount")) : std::nullopt;
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
    if (amount) r.amount = amount;
    if (!in.note.empty()) r.note = in.note;
    repo.update_referral(r);
    repo.add_referral_event(r.id, s, in.note);
    apply_status(env, r, in.note, result);
    if (r.direction == "given" && !referral_open(s)) end_checkins(env, r, env.tc.now, result);
    if (!in.to.empty()) {
        Contact member = resolve_or_create(repo, in.to, result.created, in.allow_new);
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

} // namespace followup::actions
