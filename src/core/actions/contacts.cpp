// The use cases of contacts: select, add, edit, archive, rm, merge.

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
    std::vector<Planned> steps =
        schedule(c, plan, in.met, tc.zone, env.config.social_networks, env.config.connect_fallback);
    // Met longer ago than the whole plan reaches: every step would be past, so none is planned.
    if (!steps.empty() &&
        std::all_of(steps.begin(), steps.end(), [&](const Planned& p) { return p.due < tc.now; })) {
        out.past_steps = static_cast<int>(steps.size());
        steps.clear();
    }
    for (const auto& p : steps) {
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
    if (contacts.size() > 1 && !e.for_many())
        throw UsageError("several contacts at once take only --tag, --untag and --every");
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
        const std::string& fallback = env.config.connect_fallback;
        for (auto f : repo.followups_of(c.id)) {
            if (f.status != Status::open) continue;
            if (f.kind != Kind::note && f.kind != Kind::connect && f.kind != Kind::meet) continue;
            Followup was = f;
            if (f.title == plan_title(f.kind, before, networks, fallback))
                f.title = plan_title(f.kind, c, networks, fallback);
            if (f.kind == Kind::connect && f.channel == connect_network(before, networks, fallback))
                f.channel = connect_network(c, networks, fallback);
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

} // namespace followup::actions
