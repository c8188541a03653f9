#include <array>
#include <fmt/format.h>
#include <followup/cadence.hpp>
#include <followup/channels.hpp>
#include <followup/errors.hpp>
#include <followup/referrals.hpp>
#include <followup/text.hpp>

namespace followup {
namespace {

constexpr std::array<std::string_view, 7> statuses{"new",  "contacted", "met",   "won",
                                                   "lost", "declined",  "passed"};

Followup new_followup(Id contact, Kind kind, std::string title, Instant due, Id referral) {
    Followup f;
    f.contact_id = contact;
    f.kind = kind;
    f.title = std::move(title);
    f.due = due;
    f.referral_id = referral;
    return f;
}

/// The open follow-up of this kind that belongs to the referral, if any.
std::optional<Followup> open_step(Repository& repo, const Referral& r, Id contact, Kind kind) {
    for (auto& f : repo.followups_of(contact))
        if (f.kind == kind && f.status == Status::open && f.referral_id == r.id) return f;
    return std::nullopt;
}

/// Completes a follow-up and logs the touch it stands for (which restarts the contact's
/// keep-in-touch clock).
void complete(Repository& repo, Followup f, const TimeContext& tc, const ResponseTimes& times,
              const std::string& note) {
    Instant at = tc.now;
    f.status = Status::done;
    f.done_at = at;
    repo.update_followup(f);
    Interaction i;
    i.contact_id = f.contact_id;
    i.at = at;
    i.channel = f.channel;
    i.note = note.empty() ? f.title : note;
    i.followup_id = f.id;
    repo.insert_interaction(i);
    sync_recurring(repo, f.contact_id, tc, times.birthday_days);
}

std::string report_title(const Referral& r) {
    if (r.status == "declined")
        return fmt::format("Tell {} politely that you declined {}", r.referrer, r.prospect);
    if (r.status == "passed")
        return fmt::format("Tell {} politely that you passed {} on", r.referrer, r.prospect);
    return fmt::format("Tell {} how it went with {}", r.referrer, r.prospect);
}

} // namespace

std::string parse_referral_status(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    for (auto s : statuses)
        if (s == t) return t;
    throw UsageError(fmt::format("unknown referral status '{}' (one of new, contacted, met, won, "
                                 "lost, declined, passed)",
                                 text));
}

Referral receive_referral(Repository& repo, const Contact& referrer, const Contact& prospect,
                          const std::string& note, const TimeContext& tc,
                          const ResponseTimes& times) {
    if (referrer.id == prospect.id) throw UsageError("a referral needs two different people");
    Referral r;
    r.direction = "received";
    r.referrer_id = referrer.id;
    r.prospect_id = prospect.id;
    r.status = "new";
    r.note = note;
    repo.insert_referral(r);
    Followup f =
        new_followup(prospect.id, Kind::referral,
                     fmt::format("Contact {}, referred by {}", prospect.name, referrer.name),
                     add(tc.now, times.referral, tc.zone), r.id);
    repo.insert_followup(f);
    if (!prospect.referred_by_id) {
        Contact p = repo.get_contact(prospect.id);
        p.referred_by_id = referrer.id;
        repo.update_contact(p);
    }
    return repo.get_referral(r.id);
}

Referral give_referral(Repository& repo, const Contact& member, const Contact& prospect,
                       const std::string& note, const TimeContext& tc, const ResponseTimes& times) {
    if (member.id == prospect.id) throw UsageError("a referral needs two different people");
    Referral r;
    r.direction = "given";
    r.member_id = member.id;
    r.prospect_id = prospect.id;
    r.status = "new";
    r.note = note;
    repo.insert_referral(r);
    Followup f =
        new_followup(member.id, Kind::checkin,
                     fmt::format("Ask {} whether they reached {}", member.name, prospect.name),
                     add(tc.now, times.checkin, tc.zone), r.id);
    repo.insert_followup(f);
    return repo.get_referral(r.id);
}

std::vector<Followup> update_referral_status(Repository& repo, Id referral_id,
                                             const std::string& status,
                                             std::optional<double> amount, const std::string& note,
                                             const TimeContext& tc, const ResponseTimes& times) {
    std::string s = parse_referral_status(status);
    if (amount && s != "won") throw UsageError("--amount goes with --status won");
    if (amount && *amount < 0) throw UsageError("--amount must not be negative");
    Referral r = repo.get_referral(referral_id);
    r.status = s;
    if (amount) r.amount = amount;
    if (!note.empty()) r.note = note;
    repo.update_referral(r);
    repo.add_referral_event(r.id, s, note);

    std::vector<Followup> touched;
    if (r.direction == "given") {
        if (s != "new" && r.member_id)
            if (auto f = open_step(repo, r, *r.member_id, Kind::checkin))
                complete(repo, *f, tc, times, fmt::format("Referral to {}: {}", r.prospect, s));
        return touched;
    }
    if (s != "new" && r.prospect_id)
        if (auto f = open_step(repo, r, *r.prospect_id, Kind::referral))
            complete(repo, *f, tc, times, note);
    if (!r.referrer_id) return touched; // the referrer was deleted
    Instant due = add(tc.now, times.report, tc.zone);
    if (s == "contacted" || s == "met" || s == "declined" || s == "passed") {
        std::optional<Followup> report = open_step(repo, r, *r.referrer_id, Kind::report);
        Followup f = report ? *report : new_followup(*r.referrer_id, Kind::report, "", due, r.id);
        f.title = report_title(r);
        f.due = due;
        f.original_due = due;
        if (report)
            repo.update_followup(f);
        else
            repo.insert_followup(f);
        touched.push_back(repo.get_followup(f.id));
    } else if (s == "won") {
        std::string value = r.amount ? fmt::format(" ({:.2f})", *r.amount) : "";
        Followup f = new_followup(
            *r.referrer_id, Kind::thank,
            fmt::format("Thank {} for the business with {}{}", r.referrer, r.prospect, value), due,
            r.id);
        repo.insert_followup(f);
        touched.push_back(repo.get_followup(f.id));
    }
    return touched;
}

} // namespace followup
