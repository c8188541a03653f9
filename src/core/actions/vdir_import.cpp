#include <algorithm>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/actions/import.hpp>
#include <followup/actions/vdir_import.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
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

/// The edit that makes `now` hold what the card says of the fields a card carries.
actions::ContactEdit card_edit(const Contact& now, Contact card) {
    settle_reach(card);
    actions::ContactEdit e;
    auto field = [](std::optional<std::string>& out, const std::string& have,
                    const std::string& want) {
        if (have != want) out = want;
    };
    if (!card.name.empty()) field(e.name, now.name, card.name);
    field(e.company, now.company, card.company);
    field(e.title, now.title, card.title);
    field(e.notes, now.notes, card.notes);
    field(e.birthday, now.birthday, card.birthday);
    auto reach = [](const std::vector<Labeled>& have, const std::vector<Labeled>& want,
                    std::vector<Labeled>& add, std::vector<std::string>& remove, auto same) {
        if (same_list(have, want, same)) return;
        add = want;
        for (const auto& h : have)
            if (std::none_of(want.begin(), want.end(),
                             [&](const Labeled& w) { return same(h.value, w.value); }))
                remove.push_back(h.value);
    };
    auto email_same = [](const std::string& a, const std::string& b) { return same_email(a, b); };
    auto phone_same = [](const std::string& a, const std::string& b) { return same_phone(a, b); };
    reach(now.emails, card.emails, e.emails, e.remove_emails, email_same);
    reach(now.phones, card.phones, e.phones, e.remove_phones, phone_same);
    reach(now.addresses, card.addresses, e.addresses, e.remove_addresses, email_same);
    if (now.profiles != card.profiles) {
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
    for (const auto& t : card.tags)
        if (!has_tag(now.tags, t)) e.tags.push_back(t);
    for (const auto& t : now.tags)
        if (!has_tag(card.tags, t)) e.untags.push_back(t);
    return e;
}

bool empty_edit(const actions::ContactEdit& e) {
    return e.tags_only() && e.tags.empty() && e.untags.empty();
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

    for (const auto& name : list_files(dir)) {
        std::string path = join_path(dir, name);
        std::string content = read_regular_file(path, file_limit);
        std::string hash = content_hash(content);
        auto known = state.files.find(name);
        if (known != state.files.end() && known->second.hash == hash) {
            ++report.unchanged; // as followup wrote or last read it
            continue;
        }
        // Read first: a file that cannot be read is named in the report, the rest imported.
        std::vector<TodoState> todos;
        VCardRead read;
        try {
            if (has_ext(name, ".ics"))
                todos = read_todos(content, env.tc.zone);
            else
                read = read_vcards(content, path, 1);
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
                Instant at = todo.completed.value_or(env.tc.now);
                in.at = std::min(at, env.tc.now);
                actions::done(env, {*id}, in);
                ++report.done;
            } else {
                actions::skip(env, {*id}, "cancelled in the calendar");
                ++report.cancelled;
            }
        }
        report.skipped += read.groups;
        for (auto& draft : read.contacts) {
            std::optional<Id> id = draft.contact.uuid.empty()
                                       ? std::nullopt
                                       : repo.find_uuid("contacts", draft.contact.uuid);
            if (id) {
                Contact now = repo.get_contact(*id);
                actions::ContactEdit e = card_edit(now, draft.contact);
                if (empty_edit(e)) {
                    ++report.unchanged;
                } else {
                    actions::edit_contacts(env, {now}, e);
                    ++report.updated;
                }
                if (uuid.empty()) uuid = now.uuid;
                continue;
            }
            // A card added on the other device: imported as vCard import does.
            if (draft.contact.uuid.empty()) draft.contact.uuid = text::uuid4();
            Contact card = draft.contact;
            settle_reach(card);
            std::string card_uuid = draft.contact.uuid;
            ImportData data;
            data.format = ImportFormat::vcf;
            data.contacts.push_back(std::move(draft));
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
            // The contact it became: its own UUID, or the one it was merged into.
            std::string found;
            if (repo.find_uuid("contacts", card_uuid)) found = card_uuid;
            if (found.empty()) {
                // The one matcher, as the import just decided.
                card.uuid.clear();
                identity::PersonMatch m = actions::match_contact(repo, card);
                if (m.verdict == identity::Verdict::same) found = repo.get_contact(*m.id).uuid;
            }
            if (uuid.empty()) uuid = found;
        }
        state.files[name] = {uuid, hash};
    }
    saver.armed = false;
    save_state(dir, state);
    return report;
}

} // namespace followup::vdir
