#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <followup/channels.hpp>
#include <followup/errors.hpp>
#include <followup/files.hpp>
#include <followup/importer.hpp>
#include <followup/text.hpp>
#include <followup/vcard.hpp>
#include <followup/vdir.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace followup::vdir {
namespace {

/// The most one file of a vdir may hold (a card with a photo is well under this).
constexpr std::size_t file_limit = std::size_t{8} << 20;
constexpr int state_version = 1;

/// 64-bit FNV-1a of the bytes, in hex: the same on every machine and build.
std::string content_hash(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char ch : bytes) {
        h ^= ch;
        h *= 1099511628211ULL;
    }
    return fmt::format("{:016x}", h);
}

std::string join_path(const std::string& dir, const std::string& name) {
    return dir.ends_with('/') ? dir + name : dir + "/" + name;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw Error(fmt::format("cannot {} {}: {}", what, path, std::strerror(errno)));
}

/// One file followup wrote or read: the item's UUID ("" for a file that holds nothing of
/// followup's, such as a to-do added on the phone) and its content's hash then.
struct Known {
    std::string uuid;
    std::string hash;
};

/// The state file: every file of the folder followup knows, by name.
struct State {
    std::map<std::string, Known> files;
};

State load_state(const std::string& dir) {
    State s;
    std::string path = join_path(dir, state_file);
    if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return s;
    std::string text = read_regular_file(path, std::size_t{256} << 20);
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "followup-vdir" ||
        !j.contains("files") || !j["files"].is_object())
        throw Error(fmt::format("cannot read {}: not followup's vdir state (remove it to start "
                                "over: followup then writes and removes only files it wrote "
                                "again)",
                                path));
    for (const auto& [name, v] : j["files"].items()) {
        if (!v.is_object()) continue;
        s.files[name] = {v.value("uuid", ""), v.value("hash", "")};
    }
    return s;
}

/// Writes `content` to `path` through a temporary file in the same folder and a rename: a
/// reader sees the old file or the new one, never a part.
void write_atomically(const std::string& dir, const std::string& name, std::string_view content) {
    std::string path = join_path(dir, name);
    // A dot file that ends in neither .vcf nor .ics: vdirsyncer, khard and khal skip it.
    std::string tmp = join_path(dir, "." + name + ".followup-tmp");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) fail("write", tmp);
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            errno = saved;
            fail("write", tmp);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        errno = saved;
        fail("write", tmp);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        errno = saved;
        fail("write", path);
    }
}

void save_state(const std::string& dir, const State& s) {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [name, k] : s.files)
        files[name] = {{"uuid", k.uuid}, {"hash", k.hash}};
    nlohmann::json j = {{"format", "followup-vdir"}, {"version", state_version}, {"files", files}};
    write_atomically(dir, state_file, j.dump(1) + "\n");
}

/// Makes sure the folder exists (mode 0700 when created).
void make_dir(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            throw Error(fmt::format("cannot use {} as a vdir: it is not a folder", dir));
        return;
    }
    if (errno != ENOENT) fail("open", dir);
    // Parents too, as mkdir -p.
    std::string path;
    for (const auto& part : text::split(dir, '/')) {
        path += part;
        if (!path.empty() && ::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
            fail("create", path);
        path += '/';
    }
}

/// The names of the regular .vcf and .ics files of a folder (dot files left out), sorted.
std::vector<std::string> list_files(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) fail("read the folder", dir);
    std::vector<std::string> out;
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.empty() || name[0] == '.') continue;
        std::string lower = text::lower(name);
        if (!lower.ends_with(".vcf") && !lower.ends_with(".ics")) continue;
        struct stat st {};
        if (::stat(join_path(dir, name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

/// The content of a file, or nullopt when it is not there.
std::optional<std::string> read_if_there(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("read", path);
    }
    return read_regular_file(path, file_limit);
}

bool has_ext(const std::string& name, const std::string& ext) {
    return text::lower(name).ends_with(ext);
}

/// True for the properties followup writes into a card (and so reads back or rewrites).
bool followups_property(std::string name) {
    if (auto dot = name.find('.'); dot != std::string::npos) name = name.substr(dot + 1);
    name = text::lower(name);
    static const char* const ours[] = {
        "begin", "end", "version",         "fn",  "n",    "org",  "title",      "email",
        "tel",   "adr", "x-socialprofile", "url", "impp", "bday", "categories", "note",
        "uid",   "rev"};
    return name.starts_with("x-followup-") ||
           std::find(std::begin(ours), std::end(ours), name) != std::end(ours);
}

} // namespace

std::string keep_foreign_properties(std::string_view old_card, const std::string& fresh) {
    // The old card's content lines (each with its folded continuations, as they were) whose
    // property followup does not write: a phone's PHOTO, NICKNAME, X-ABLabel...
    std::string kept;
    bool keep = false;
    std::size_t cards = 0;
    std::size_t pos = 0;
    while (pos < old_card.size()) {
        std::size_t end = old_card.find('\n', pos);
        std::string_view line = old_card.substr(
            pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? old_card.size() : end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            if (keep) kept.append(line).append("\r\n");
            continue;
        }
        std::size_t name_end = line.find_first_of(";:");
        std::string name(line.substr(0, name_end));
        if (text::lower(name) == "begin") ++cards;
        keep = cards == 1 && name_end != std::string_view::npos && !name.empty() &&
               !followups_property(name);
        if (keep) kept.append(line).append("\r\n");
    }
    if (kept.empty() || cards != 1) return fresh;
    std::size_t at = fresh.rfind("END:VCARD");
    if (at == std::string::npos) return fresh;
    return fresh.substr(0, at) + kept + fresh.substr(at);
}

namespace {} // namespace

ExportReport export_items(const std::string& dir, const std::string& ext,
                          const std::vector<Item>& items) {
    make_dir(dir);
    State state = load_state(dir);
    ExportReport report;

    // What each known file of this kind holds now: unchanged since followup wrote or read it,
    // changed (not read yet: left alone), or gone (deleted on the other side: forgotten).
    std::set<std::string> unread;
    std::map<std::string, std::vector<std::string>> files_of; // uuid -> known files
    for (auto it = state.files.begin(); it != state.files.end();) {
        const auto& [name, known] = *it;
        if (!has_ext(name, ext)) {
            ++it;
            continue;
        }
        auto now = read_if_there(join_path(dir, name));
        if (!now) {
            it = state.files.erase(it);
            continue;
        }
        if (content_hash(*now) != known.hash) unread.insert(name);
        if (!known.uuid.empty()) files_of[known.uuid].push_back(name);
        ++it;
    }

    std::set<std::string> kept; // the one file of each item
    for (const auto& item : items) {
        std::string own = item.uuid + ext;
        std::string target = own;
        auto f = files_of.find(item.uuid);
        if (f != files_of.end() && !f->second.empty() &&
            std::find(f->second.begin(), f->second.end(), own) == f->second.end())
            target = f->second.front(); // a card added on the phone keeps its name
        kept.insert(target);
        if (unread.contains(target)) continue;
        std::string path = join_path(dir, target);
        std::string hash = content_hash(item.content);
        auto known = state.files.find(target);
        auto now = read_if_there(path);
        if (known == state.files.end() && now && content_hash(*now) != hash) {
            // A file of that name that followup did not write (or whose record was lost):
            // perhaps changes not read yet. Left alone.
            unread.insert(target);
            continue;
        }
        // A card keeps what a phone added that followup does not read (a photo, a nickname).
        std::string merged =
            now && ext == ".vcf" ? keep_foreign_properties(*now, item.content) : item.content;
        if (now && *now == merged) {
            ++report.unchanged;
        } else {
            write_atomically(dir, target, merged);
            ++report.written;
        }
        state.files[target] = {item.uuid, content_hash(merged)};
    }

    // Files of items that are gone, and second files of one item (a card added on the phone
    // for someone followup already had): removed, unless changed since followup last saw them.
    for (auto it = state.files.begin(); it != state.files.end();) {
        const auto& [name, known] = *it;
        if (!has_ext(name, ext) || known.uuid.empty() || kept.contains(name) ||
            unread.contains(name)) {
            ++it;
            continue;
        }
        std::string path = join_path(dir, name);
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("remove", path);
        ++report.removed;
        it = state.files.erase(it);
    }
    save_state(dir, state);
    report.unread.assign(unread.begin(), unread.end());
    return report;
}

std::vector<Item> contact_items(const std::vector<Contact>& contacts) {
    std::vector<Item> out;
    out.reserve(contacts.size());
    std::vector<Contact> one(1);
    for (const auto& c : contacts) {
        one[0] = c;
        out.push_back({c.uuid, write_vcards(one, 3)});
    }
    return out;
}

std::vector<Item> followup_items(const std::vector<Followup>& followups, IcsOptions options) {
    options.todo = true;
    options.method = false;
    std::vector<Item> out;
    out.reserve(followups.size());
    std::vector<Followup> one(1);
    for (const auto& f : followups) {
        if (f.status != Status::open) continue;
        one[0] = f;
        options.stamp = f.created;
        out.push_back({f.uuid, write_ics(one, options)});
    }
    return out;
}

namespace {

/// The UUID of a followup VTODO's UID ("<uuid>@followup" or "<uuid>"), "" for another's.
std::string uuid_of_uid(std::string uid) {
    uid = text::lower(text::trim(uid));
    if (uid.ends_with("@followup")) uid.resize(uid.size() - 9);
    if (uid.starts_with("urn:uuid:")) uid = uid.substr(9);
    if (uid.size() != 36) return "";
    for (std::size_t i = 0; i < uid.size(); ++i) {
        char ch = uid[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? ch != '-' : !std::isxdigit(static_cast<unsigned char>(ch))) return "";
    }
    return uid;
}

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
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) fail("read the folder", dir);
    if (!S_ISDIR(st.st_mode)) throw Error(fmt::format("cannot read {}: it is not a folder", dir));
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
            std::string email = draft.contact.emails.empty() ? draft.contact.email
                                                             : draft.contact.emails.front().value;
            std::string card_name = draft.contact.name;
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
            if (found.empty())
                for (const auto& k : repo.contact_keys()) {
                    bool same = std::any_of(k.emails.begin(), k.emails.end(), [&](const auto& m) {
                        return !email.empty() && same_email(m, email);
                    });
                    if (same || (!card_name.empty() && k.name == card_name)) {
                        found = k.uuid;
                        if (same) break;
                    }
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
