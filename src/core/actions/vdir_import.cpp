#include <algorithm>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/actions/import.hpp>
#include <followup/actions/vdir_import.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/time/dates.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>

namespace followup::vdir {

namespace {

template <class Same>
bool same_list(const std::vector<Labeled>& a, const std::vector<Labeled>& b, Same same) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same(a[i].value, b[i].value) || a[i].label != b[i].label) return false;
    return true;
}

/// A field changed on both sides: the card's value is kept, followup's goes to the notes.
struct FieldConflict {
    std::string field, kept, other;
};

/// The edit that makes `now` (followup's side) hold what the card says, merged field by field
/// against `base` (the card as both sides last had it; null when unknown: then the card's
/// value wins wherever it differs): a field only the card changed takes the card's value, one
/// only followup changed keeps followup's, one changed on both sides to different values is a
/// conflict (the card's value kept, listed in `conflicts`). Lists (emails, phones, addresses,
/// tags) changed on both sides are merged item by item: what the card added is added, what it
/// removed is removed.
actions::ContactEdit card_edit(const Contact& now, Contact card, const Contact* base,
                               std::vector<FieldConflict>& conflicts) {
    settle_reach(card);
    actions::ContactEdit e;
    auto field = [&](const char* name, std::optional<std::string>& out, const std::string& ours,
                     const std::string& theirs, const std::string* was) {
        if (ours == theirs) return;
        if (was != nullptr && theirs == *was) return; // only followup changed it
        if (was != nullptr && ours != *was) conflicts.push_back({name, theirs, ours});
        out = theirs;
    };
    if (!card.name.empty())
        field("name", e.name, now.name, card.name, base != nullptr ? &base->name : nullptr);
    field("company", e.company, now.company, card.company,
          base != nullptr ? &base->company : nullptr);
    field("title", e.title, now.title, card.title, base != nullptr ? &base->title : nullptr);
    field("notes", e.notes, now.notes, card.notes, base != nullptr ? &base->notes : nullptr);
    field("birthday", e.birthday, now.birthday, card.birthday,
          base != nullptr ? &base->birthday : nullptr);
    auto reach = [&](const std::vector<Labeled>& have, const std::vector<Labeled>& want,
                     const std::vector<Labeled>* was, std::vector<Labeled>& add,
                     std::vector<std::string>& remove, auto same) {
        if (same_list(have, want, same)) return;
        if (was != nullptr && same_list(*was, want, same)) return; // only followup changed it
        auto in = [&](const std::vector<Labeled>& list, const std::string& v) {
            return std::any_of(list.begin(), list.end(),
                               [&](const Labeled& l) { return same(l.value, v); });
        };
        if (was == nullptr || same_list(*was, have, same)) { // only the card changed it
            add = want;
            for (const auto& h : have)
                if (!in(want, h.value)) remove.push_back(h.value);
            return;
        }
        // Both changed: the card's additions and removals applied to followup's list.
        for (const auto& w : want)
            if (!in(*was, w.value) && !in(have, w.value)) add.push_back(w);
        for (const auto& b : *was)
            if (!in(want, b.value) && in(have, b.value)) remove.push_back(b.value);
    };
    auto email_same = [](const std::string& a, const std::string& b) { return same_email(a, b); };
    auto phone_same = [](const std::string& a, const std::string& b) { return same_phone(a, b); };
    reach(now.emails, card.emails, base != nullptr ? &base->emails : nullptr, e.emails,
          e.remove_emails, email_same);
    reach(now.phones, card.phones, base != nullptr ? &base->phones : nullptr, e.phones,
          e.remove_phones, phone_same);
    reach(now.addresses, card.addresses, base != nullptr ? &base->addresses : nullptr, e.addresses,
          e.remove_addresses, email_same);
    if (now.profiles != card.profiles && (base == nullptr || base->profiles != card.profiles)) {
        for (const auto& p : card.profiles)
            if (std::find(now.profiles.begin(), now.profiles.end(), p) == now.profiles.end())
                e.profiles.push_back(p);
        std::set<std::string> removed;
        for (const auto& p : now.profiles)
            if (std::none_of(card.profiles.begin(), card.profiles.end(),
                             [&](const Profile& q) { return q.network == p.network; }) &&
                removed.insert(p.network).second)
                e.remove_profiles.push_back(p.network);
    }
    auto has_tag = [](const std::vector<std::string>& tags, const std::string& t) {
        return std::any_of(tags.begin(), tags.end(),
                           [&](const std::string& x) { return text::lower(x) == text::lower(t); });
    };
    // Tags: what the card added since the base, and what it took away (all of followup's
    // differences when there is no base).
    const std::vector<std::string>& was_tags = base != nullptr ? base->tags : now.tags;
    for (const auto& t : card.tags)
        if (!has_tag(now.tags, t) && !has_tag(was_tags, t)) e.tags.push_back(t);
    for (const auto& t : now.tags)
        if (!has_tag(card.tags, t) && has_tag(was_tags, t)) e.untags.push_back(t);
    return e;
}

bool empty_edit(const actions::ContactEdit& e) {
    return e.tags_only() && e.tags.empty() && e.untags.empty();
}

/// The contact a card added on the other device became once imported: its own UUID, or the
/// one the import merged it into, as the one matcher decides (identity::match_person).
std::string contact_of_card(Repository& repo, Contact card) {
    if (repo.find_uuid("contacts", card.uuid)) return card.uuid;
    card.uuid.clear();
    identity::PersonMatch m = actions::match_contact(repo, card);
    if (m.verdict == identity::Verdict::same && m.id) return repo.get_contact(*m.id).uuid;
    return "";
}

/// The card text `base` as a contact (null when there is none or it cannot be read).
std::optional<Contact> base_contact(const std::string& base) {
    if (base.empty()) return std::nullopt;
    try {
        VCardRead read = read_vcards(base, "base", 1);
        if (read.contacts.size() != 1) return std::nullopt;
        Contact c = std::move(read.contacts[0].contact);
        settle_reach(c);
        return c;
    } catch (const Error&) {
        return std::nullopt;
    }
}

} // namespace

ImportReport import_dir(actions::Env& env, const std::string& dir) {
    require_folder(dir);
    State state = load_state(dir);
    Repository& repo = env.repo;
    ImportReport report;
    // Whatever was applied stays recorded in the state even when a later file fails.
    struct Saver {
        const std::string& dir;
        State& state;
        bool armed = true;
        ~Saver() {
            if (!armed) return;
            try {
                save_state(dir, state);
            } catch (...) { // NOLINT(bugprone-empty-catch): the first error is the one to report
            }
        }
    } saver{dir, state};

    // Cards added on the other device, imported together at the end (one import, as
    // `followup import` imports a file: linear in the number of cards).
    struct NewCard {
        std::string file;
        Contact contact; ///< as read, its reach settled: what the matcher looks for
    };
    std::vector<NewCard> new_cards;
    std::vector<std::pair<std::string, Known>> pending; // their files
    ImportData data;
    data.format = ImportFormat::vcf;
    const std::string at = format_utc(env.tc.now);

    for (const auto& name : list_files(dir)) {
        std::string content;
        try {
            content = read_file(dir, name, file_limit);
        } catch (const Error& e) { // too large, a link, gone: named in the report
            report.unreadable.push_back(fmt::format("{}: {}", name, e.what()));
            continue;
        }
        std::string hash = content_hash(content);
        const bool card_file = has_ext(name, ".vcf");
        auto known = state.files.find(name);
        if (known != state.files.end() && known->second.hash == hash) {
            ++report.unchanged; // as followup wrote or last read it: both sides have it
            if (card_file && known->second.base != content)
                known->second.base = content.size() <= base_limit ? content : "";
            continue;
        }
        // Read first: a file that cannot be read is named in the report, the rest imported.
        std::vector<TodoState> todos;
        VCardRead read;
        try {
            if (!card_file)
                todos = read_todos(content, env.tc.zone);
            else
                read = read_vcards(content, join_path(dir, name), 1);
        } catch (const Error& e) {
            report.unreadable.push_back(fmt::format("{}: {}", name, e.what()));
            continue;
        }
        std::string uuid;
        for (const auto& todo : todos) {
            std::string u = uuid_of_uid(todo.uid);
            std::optional<Id> id = u.empty() ? std::nullopt : repo.find_uuid("followups", u);
            if (!id) {
                ++report.skipped; // a to-do that is not one of followup's
                continue;
            }
            if (uuid.empty()) uuid = u;
            Followup f = repo.get_followup(*id);
            bool completed = todo.status == "COMPLETED" || todo.completed.has_value();
            if (f.status != Status::open || (!completed && todo.status != "CANCELLED")) {
                ++report.unchanged;
                continue;
            }
            if (completed) {
                actions::DoneInput in;
                Instant when = todo.completed.value_or(env.tc.now);
                in.at = std::min(when, env.tc.now);
                actions::done(env, {*id}, in);
                ++report.done;
            } else {
                actions::skip(env, {*id}, "cancelled in the calendar");
                ++report.cancelled;
            }
        }
        report.skipped += read.groups;
        // A card made on the phone keeps its own UID: its contact is the one this file was
        // read as before.
        if (read.contacts.size() == 1 && read.contacts[0].contact.uuid.empty() &&
            known != state.files.end() && !known->second.uuid.empty())
            read.contacts[0].contact.uuid = known->second.uuid;
        std::optional<Contact> base = known != state.files.end() && read.contacts.size() == 1
                                          ? base_contact(known->second.base)
                                          : std::nullopt;
        for (auto& draft : read.contacts) {
            std::optional<Id> id = draft.contact.uuid.empty()
                                       ? std::nullopt
                                       : repo.find_uuid("contacts", draft.contact.uuid);
            if (id) {
                Contact now = repo.get_contact(*id);
                std::vector<FieldConflict> conflicts;
                actions::ContactEdit e =
                    card_edit(now, draft.contact, base ? &*base : nullptr, conflicts);
                if (!conflicts.empty()) {
                    // Nothing dropped silently: followup's values go to the notes.
                    std::string notes = e.notes.value_or(now.notes);
                    for (const auto& c : conflicts) {
                        if (!notes.empty()) notes += '\n';
                        notes += fmt::format("Sync conflict {}: {} was \"{}\" here, \"{}\" on the "
                                             "phone (kept)",
                                             at.substr(0, 10), c.field, c.other, c.kept);
                        report.conflicts.push_back(
                            fmt::format("{}: {} changed on both sides: kept \"{}\" from the phone, "
                                        "followup's \"{}\" is in the notes",
                                        now.name, c.field, c.kept, c.other));
                        state.conflicts.push_back(
                            {now.uuid, now.name, c.field, c.kept, c.other, at, ""});
                    }
                    e.notes = notes;
                }
                if (empty_edit(e)) {
                    ++report.unchanged;
                } else {
                    actions::edit_contacts(env, {now}, e);
                    ++report.updated;
                }
                if (uuid.empty()) uuid = now.uuid;
                continue;
            }
            // A card added on the other device: imported with the others at the end.
            if (draft.contact.uuid.empty()) draft.contact.uuid = text::uuid4();
            Contact card = draft.contact;
            settle_reach(card);
            new_cards.push_back({name, std::move(card)});
            data.contacts.push_back(std::move(draft));
        }
        // An event of followup's (a meeting) holds no to-do: the file stays its item's.
        if (uuid.empty() && !card_file && known != state.files.end()) uuid = known->second.uuid;
        Known k{uuid, hash, card_file && content.size() <= base_limit ? content : ""};
        if (!new_cards.empty() && new_cards.back().file == name)
            pending.emplace_back(name, std::move(k)); // recorded once imported
        else
            state.files[name] = std::move(k);
    }

    if (!data.contacts.empty()) {
        ImportOptions options;
        options.birthday_days = env.config.times.birthday_days;
        {
            Repository::Transaction tx(repo, true, env.command);
            followup::ImportReport r = apply_import(repo, data, env.tc, options);
            tx.commit();
            report.added += r.added;
            report.updated += r.updated;
            report.unchanged += r.unchanged;
        }
        std::map<std::string, std::string> uuid_of_file; // the file's first card names it
        for (const auto& card : new_cards)
            if (!uuid_of_file.contains(card.file))
                uuid_of_file[card.file] = contact_of_card(repo, card.contact);
        for (auto& [file, k] : pending) {
            if (k.uuid.empty()) k.uuid = uuid_of_file[file];
            state.files[file] = std::move(k);
        }
    }
    saver.armed = false;
    save_state(dir, state);
    return report;
}

} // namespace followup::vdir
