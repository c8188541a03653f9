// The use cases of contacts: select, add, edit, archive, rm, merge.

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
#include <optional>
#include <set>

namespace followup::actions {

using namespace detail;

std::vector<Contact> select_contacts(Repository& repo, const Selection& selection) {
    std::vector<Contact> out;
    std::set<Id> seen;
    for (const auto& ref : selection.refs) {
        Contact c = resolve_contact(repo, ref);
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

namespace {

/// How a contact is named in a list of candidates: "#3 Priya Shah (Acme) [archived]".
std::string describe(const identity::NameCandidate& c, const Contact& full) {
    std::string s = fmt::format("#{} {}", c.id, full.name);
    if (!full.company.empty()) s += fmt::format(" ({})", full.company);
    if (full.archived) s += " [archived]";
    return s;
}

/// A reference that is an id: `#12` or `12` (not `name:12`).
std::optional<Id> id_of(std::string_view r) {
    std::string_view digits = !r.empty() && r.front() == '#' ? r.substr(1) : r;
    bool numeric = !digits.empty() && digits.size() <= 18 &&
                   digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (!numeric) return std::nullopt;
    return std::stoll(std::string(digits));
}

/// What a typed name is, among the contacts the store fetches for it: those whose folded name
/// holds its longest word first (an exact or prefix fit is among them), every contact when it
/// fits none of those (for the suggestions).
identity::NameLookup look_up(Repository& repo, std::string_view name,
                             std::vector<identity::NameCandidate>& pool) {
    auto words = identity::name_words(name);
    std::string longest;
    for (const auto& w : words)
        if (w.size() > longest.size()) longest = w;
    pool = repo.name_candidates(longest);
    identity::NameLookup found = identity::look_up_name(name, pool);
    if (found.how == identity::NameLookup::How::none) {
        pool = repo.name_candidates("");
        found = identity::look_up_name(name, pool);
    }
    return found;
}

const identity::NameCandidate& candidate(const std::vector<identity::NameCandidate>& pool, Id id) {
    return *std::find_if(pool.begin(), pool.end(),
                         [&](const identity::NameCandidate& c) { return c.id == id; });
}

/// The name a reference gives: "name:" taken off.
std::string_view typed_name(std::string_view r) {
    if (r.starts_with("name:")) return text::trim(r.substr(5));
    return r;
}

} // namespace

Contact resolve_contact(Repository& repo, std::string_view ref) {
    std::string_view r = text::trim(ref);
    if (r.empty()) throw UsageError("empty contact reference");
    if (auto id = id_of(r)) return repo.get_contact(*id);
    if (r.front() == '#') throw UsageError(fmt::format("invalid contact id '{}'", ref));
    std::string_view name = typed_name(r);
    if (name.empty()) throw UsageError("empty contact reference");
    std::vector<identity::NameCandidate> pool;
    identity::NameLookup found = look_up(repo, name, pool);
    if (found.ids.size() == 1) return repo.get_contact(found.ids.front());
    if (!found.ids.empty()) {
        std::vector<std::string> candidates;
        for (Id id : found.ids)
            candidates.push_back(describe(candidate(pool, id), repo.get_contact(id)));
        throw Ambiguous(fmt::format("'{}' matches {} contacts; use an id or more of the name", ref,
                                    found.ids.size()),
                        std::move(candidates));
    }
    if (found.suggestions.empty()) throw NotFound(fmt::format("no contact matches '{}'", ref));
    std::vector<identity::NameCandidate> near;
    for (Id id : found.suggestions)
        near.push_back(candidate(pool, id));
    throw UsageError(identity::did_you_mean(name, near));
}

Contact resolve_or_create(Repository& repo, const std::string& ref, std::vector<Contact>& created,
                          bool allow_new) {
    std::string_view r = text::trim(ref);
    if (r.empty()) throw UsageError("empty contact reference");
    if (auto id = id_of(r)) return repo.get_contact(*id);
    std::string_view name = typed_name(r);
    try {
        return resolve_contact(repo, r);
    } catch (const Ambiguous&) {
        throw;
    } catch (const NotFound&) {
        if (name.empty()) throw;
    } catch (const UsageError&) {
        // A name near someone: refused, unless --new says it is someone else.
        if (!allow_new || name.empty() || r.front() == '#') throw;
    }
    Contact c;
    c.name = std::string(name);
    repo.insert_contact(c);
    created.push_back(c);
    return c;
}

namespace {

/// The contact a store's key row stands for, as far as the matcher needs it.
Contact contact_of(const ContactKey& k) {
    Contact c;
    c.id = k.id;
    c.uuid = k.uuid;
    c.name = k.name;
    for (const auto& e : k.emails)
        c.emails.push_back({e, ""});
    for (const auto& p : k.phones)
        c.phones.push_back({p, ""});
    c.profiles = k.profiles;
    return c;
}

} // namespace

identity::PersonMatch match_contact(Repository& repo, const Contact& c) {
    std::vector<identity::Person> candidates;
    std::set<Id> seen;
    for (const auto& k : repo.contacts_sharing(c)) {
        if (!seen.insert(k.id).second) continue;
        candidates.push_back(identity::person_of(contact_of(k)));
    }
    auto words = identity::name_words(c.name);
    std::string longest;
    for (const auto& w : words)
        if (w.size() > longest.size()) longest = w;
    if (!longest.empty())
        for (const auto& n : repo.name_candidates(longest))
            if (!seen.count(n.id) &&
                identity::compare_names(n.name, c.name) == identity::NameFit::same) {
                seen.insert(n.id);
                candidates.push_back(identity::person_of(repo.get_contact(n.id)));
            }
    return identity::match_person(identity::person_of(c), candidates);
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
    // An email, phone or profile another contact has is evidence that this is them: refused,
    // naming them, unless --new (a shared family address, a switchboard).
    if (!in.allow_new)
        for (const auto& k : repo.contacts_sharing(c)) {
            identity::Person mine = identity::person_of(c),
                             theirs = identity::person_of(contact_of(k));
            auto common = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
                for (const auto& x : a)
                    if (std::find(b.begin(), b.end(), x) != b.end()) return x;
                return std::string();
            };
            std::string what;
            if (auto x = common(mine.emails, theirs.emails); !x.empty())
                what = "email " + x;
            else if (auto y = common(mine.phones, theirs.phones); !y.empty())
                what = "phone " + y;
            else if (auto z = common(mine.profiles, theirs.profiles); !z.empty())
                what = "profile " + z;
            if (what.empty()) continue;
            throw UsageError(fmt::format("#{} {} has the {} already; to add another person "
                                         "with it, add --new",
                                         k.id, k.name, what));
        }
    if (!text::trim(in.event).empty()) {
        Event e =
            repo.find_or_create_event(text::trim(in.event), local_day(*c.met, tc.zone), tc.now);
        c.event_id = e.id;
        c.event = e.name;
    }
    if (!text::trim(in.referred_by).empty()) {
        Contact by = resolve_or_create(repo, in.referred_by, out.created, in.allow_new);
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
    Contact c = resolve_contact(env.repo, ref);
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
    Contact c = resolve_contact(env.repo, ref);
    ContactFootprint fp = env.repo.footprint(c.id);
    env.repo.delete_contact(c.id);
    tx.commit();
    return {c, fp};
}

Merged merge_contacts(Env& env, const std::string& a_ref, const std::string& b_ref) {
    Repository& repo = env.repo;
    Repository::Transaction tx(repo, true, env.command);
    Contact a = resolve_contact(repo, a_ref);
    Contact b = resolve_contact(repo, b_ref);
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
