#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/interchange/vdir.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace followup::vdir {

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

namespace {
[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw Error(fmt::format("cannot {} {}: {}", what, path, std::strerror(errno)));
}
} // namespace

void require_folder(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) fail("read the folder", dir);
    if (!S_ISDIR(st.st_mode)) throw Error(fmt::format("cannot read {}: it is not a folder", dir));
}

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
        s.files[name] = {v.value("uuid", ""), v.value("hash", ""), v.value("base", "")};
    }
    if (j.contains("removed") && j["removed"].is_object())
        for (const auto& [uuid, v] : j["removed"].items())
            if (v.is_object()) s.removed[uuid] = {v.value("file", ""), v.value("hash", "")};
    if (j.contains("conflicts") && j["conflicts"].is_array())
        for (const auto& v : j["conflicts"])
            if (v.is_object())
                s.conflicts.push_back({v.value("uuid", ""), v.value("name", ""),
                                       v.value("field", ""), v.value("kept", ""),
                                       v.value("other", ""), v.value("at", ""),
                                       v.value("hash", "")});
    return s;
}

namespace {
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
} // namespace

void save_state(const std::string& dir, const State& s) {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [name, k] : s.files) {
        files[name] = {{"uuid", k.uuid}, {"hash", k.hash}};
        if (!k.base.empty()) files[name]["base"] = k.base;
    }
    nlohmann::json j = {{"format", "followup-vdir"}, {"version", state_version}, {"files", files}};
    if (!s.removed.empty()) {
        nlohmann::json removed = nlohmann::json::object();
        for (const auto& [uuid, r] : s.removed)
            removed[uuid] = {{"file", r.file}, {"hash", r.hash}};
        j["removed"] = removed;
    }
    if (!s.conflicts.empty()) {
        nlohmann::json conflicts = nlohmann::json::array();
        for (const auto& c : s.conflicts)
            conflicts.push_back({{"uuid", c.uuid},
                                 {"name", c.name},
                                 {"field", c.field},
                                 {"kept", c.kept},
                                 {"other", c.other},
                                 {"at", c.at},
                                 {"hash", c.hash}});
        j["conflicts"] = conflicts;
    }
    // dump() refuses invalid UTF-8 by default; a card's bytes are kept as they are.
    write_atomically(dir, state_file,
                     j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

namespace {
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
} // namespace

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
        // lstat: a symbolic link (to a card outside the folder, or to /etc/shadow) is no file
        // of the folder.
        if (::lstat(join_path(dir, name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const std::string& dir, const std::string& name, std::size_t limit) {
    std::string path = join_path(dir, name);
    // O_NOFOLLOW: a link put there between listing and opening is refused (ELOOP), not
    // followed; O_NONBLOCK: a FIFO does not wait for a writer (fstat then refuses it).
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP) throw Error(fmt::format("cannot read {}: it is a symbolic link", path));
        fail("read", path);
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail("read", path);
    if (!S_ISREG(st.st_mode)) throw Error(fmt::format("cannot read {}: not a regular file", path));
    if (static_cast<unsigned long long>(st.st_size) > limit)
        throw Error(fmt::format("cannot read {}: it is larger than {} MiB", path, limit >> 20));
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t have = 0;
    for (;;) {
        if (have == text.size()) {
            if (have > limit)
                throw Error(
                    fmt::format("cannot read {}: it is larger than {} MiB", path, limit >> 20));
            text.resize(have + (64 << 10));
        }
        ssize_t n = ::read(fd, text.data() + have, text.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("read", path);
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
    }
    if (have > limit)
        throw Error(fmt::format("cannot read {}: it is larger than {} MiB", path, limit >> 20));
    text.resize(have);
    return text;
}

namespace {
/// The content of a file of the folder, or nullopt when it is not there (or is no regular
/// file: a link is not followed).
std::optional<std::string> read_if_there(const std::string& dir, const std::string& name) {
    struct stat st {};
    std::string path = join_path(dir, name);
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("read", path);
    }
    if (!S_ISREG(st.st_mode)) return std::nullopt;
    return read_file(dir, name, file_limit);
}
} // namespace

bool has_ext(const std::string& name, const std::string& ext) {
    return text::lower(name).ends_with(ext);
}

namespace {
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

namespace {

/// One content line of a card: the physical lines as they were (each ending CR LF), its group,
/// its property name (upper case) and its value (unfolded, after the first ':' outside quotes).
struct CardLine {
    std::string raw;
    std::string group, name, value;
};

std::vector<CardLine> card_lines(std::string_view card) {
    std::vector<CardLine> out;
    std::string unfolded;
    auto finish = [&] {
        if (out.empty()) return;
        CardLine& l = out.back();
        std::size_t name_end = unfolded.find_first_of(";:");
        std::string name = unfolded.substr(0, name_end);
        if (auto dot = name.find('.'); dot != std::string::npos) {
            l.group = name.substr(0, dot);
            name = name.substr(dot + 1);
        }
        for (char& ch : name)
            if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        l.name = std::move(name);
        bool quoted = false;
        for (std::size_t i = name_end == std::string::npos ? unfolded.size() : name_end;
             i < unfolded.size(); ++i) {
            if (unfolded[i] == '"') quoted = !quoted;
            if (unfolded[i] == ':' && !quoted) {
                l.value = unfolded.substr(i + 1);
                break;
            }
        }
    };
    std::size_t pos = 0;
    while (pos < card.size()) {
        std::size_t end = card.find('\n', pos);
        std::string_view line =
            card.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? card.size() : end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !out.empty()) {
            out.back().raw.append(line).append("\r\n");
            unfolded.append(line.substr(1));
            continue;
        }
        finish();
        if (line.empty()) continue;
        out.push_back({std::string(line) + "\r\n", "", "", ""});
        unfolded.assign(line);
    }
    finish();
    return out;
}

/// The UUID a UID value names ("urn:uuid:" dropped, lower case), or the value as it is.
std::string uid_key(std::string_view v) {
    std::string u = text::lower(text::trim(v));
    if (u.starts_with("urn:uuid:")) u = u.substr(9);
    return u;
}

/// The first component of a structured value (up to the first unescaped ';').
std::string_view first_of(std::string_view v) {
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\') {
            ++i;
            continue;
        }
        if (v[i] == ';') return v.substr(0, i);
    }
    return v;
}

} // namespace

std::string merge_card(std::string_view old_card, const std::string& fresh_card) {
    std::vector<CardLine> old = card_lines(old_card);
    std::vector<CardLine> fresh = card_lines(fresh_card);
    auto count = [](const std::vector<CardLine>& lines, const char* name) {
        return std::count_if(lines.begin(), lines.end(),
                             [&](const CardLine& l) { return l.name == name; });
    };
    if (count(old, "BEGIN") != 1 || count(old, "END") != 1 || count(fresh, "BEGIN") != 1)
        return fresh_card;
    auto value_of = [](const std::vector<CardLine>& lines, const char* name) -> std::string {
        for (const auto& l : lines)
            if (l.name == name) return l.value;
        return "";
    };
    // The file's UID stays; followup's UUID rides along when it is another.
    std::string old_uid = value_of(old, "UID");
    std::string fresh_uid = value_of(fresh, "UID");
    if (!old_uid.empty() && !fresh_uid.empty() && uid_key(old_uid) != uid_key(fresh_uid) &&
        count(fresh, "X-FOLLOWUP-UUID") == 0) {
        auto end = std::find_if(fresh.begin(), fresh.end(),
                                [](const CardLine& l) { return l.name == "END"; });
        fresh.insert(end, CardLine{"X-FOLLOWUP-UUID:" + uid_key(fresh_uid) + "\r\n", "",
                                   "X-FOLLOWUP-UUID", uid_key(fresh_uid)});
    }
    bool same_fn = value_of(old, "FN") == value_of(fresh, "FN");

    std::vector<bool> used(fresh.size());
    auto structural = [](const std::string& n) {
        return n == "BEGIN" || n == "END" || n == "VERSION" || n == "UID";
    };
    for (std::size_t j = 0; j < fresh.size(); ++j) // a card without a UID gets followup's
        used[j] = structural(fresh[j].name) && (fresh[j].name != "UID" || !old_uid.empty());
    std::vector<std::string> out;
    struct Slot {
        std::size_t at;
        std::string group, name;
        bool filled{};
    };
    std::vector<Slot> slots;
    std::size_t end_at = std::string::npos;
    for (const auto& l : old) {
        if (l.name == "END") {
            end_at = out.size();
            out.push_back(l.raw);
            continue;
        }
        if (structural(l.name) || !followups_property(l.name)) {
            out.push_back(l.raw);
            continue;
        }
        bool kept = false;
        for (std::size_t j = 0; j < fresh.size() && !kept; ++j) {
            if (used[j] || fresh[j].name != l.name) continue;
            bool same = l.value == fresh[j].value ||
                        (l.name == "ORG" && first_of(l.value) == fresh[j].value) ||
                        (l.name == "N" && same_fn);
            if (same) used[j] = kept = true;
        }
        if (!kept) slots.push_back({out.size(), l.group, l.name});
        out.push_back(kept ? l.raw : "");
    }
    std::string tail;
    for (std::size_t j = 0; j < fresh.size(); ++j) {
        if (used[j]) continue;
        auto slot = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) {
            return !s.filled && s.name == fresh[j].name;
        });
        if (slot == slots.end()) {
            tail += fresh[j].raw;
            continue;
        }
        slot->filled = true;
        out[slot->at] = slot->group.empty() ? fresh[j].raw : slot->group + "." + fresh[j].raw;
    }
    std::string merged;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i == end_at) merged += tail;
        merged += out[i];
    }
    return merged;
}

ExportReport export_items(const std::string& dir, const std::string& ext,
                          const std::vector<Item>& items) {
    make_dir(dir);
    State state = load_state(dir);
    ExportReport report;
    const bool cards = ext == ".vcf";

    // What each known file of this kind holds now: unchanged since followup wrote or read it,
    // changed (not read yet: left alone), or gone (deleted on the other side: forgotten; a
    // card's contact is marked removed there).
    std::set<std::string> unread;
    std::map<std::string, std::vector<std::string>> files_of; // uuid -> known files
    std::map<std::string, std::string> now_of;                // file -> content now
    for (auto it = state.files.begin(); it != state.files.end();) {
        const auto& [name, known] = *it;
        if (!has_ext(name, ext)) {
            ++it;
            continue;
        }
        std::optional<std::string> now;
        try {
            now = read_if_there(dir, name);
        } catch (const Error&) { // too large, unreadable: left as it is
            unread.insert(name);
            ++it;
            continue;
        }
        if (!now) {
            if (cards && !known.uuid.empty()) state.removed[known.uuid] = {name, ""};
            it = state.files.erase(it);
            continue;
        }
        if (content_hash(*now) != known.hash) unread.insert(name);
        if (!known.uuid.empty()) files_of[known.uuid].push_back(name);
        now_of[name] = std::move(*now);
        ++it;
    }

    std::set<std::string> kept;  // the one file of each item
    std::set<std::string> given; // the UUIDs of the items
    for (const auto& item : items) {
        given.insert(item.uuid);
        std::string own = item.uuid + ext;
        std::string target = own;
        auto f = files_of.find(item.uuid);
        if (f != files_of.end() && !f->second.empty() &&
            std::find(f->second.begin(), f->second.end(), own) == f->second.end())
            target = f->second.front(); // a card added on the phone keeps its name
        std::string hash = content_hash(item.content);
        if (auto r = state.removed.find(item.uuid); r != state.removed.end()) {
            // Deleted on the other side: not written again while the contact stays as it was.
            if (r->second.hash.empty()) r->second.hash = hash;
            if (r->second.hash == hash && f == files_of.end()) {
                report.removed_there.push_back(item.uuid);
                continue;
            }
            if (f == files_of.end() && !r->second.file.empty()) target = r->second.file;
            state.removed.erase(r);
        }
        for (auto& c : state.conflicts) // settled once the contact changes in followup
            if (c.uuid == item.uuid && c.hash.empty()) c.hash = hash;
        std::erase_if(state.conflicts,
                      [&](const Conflict& c) { return c.uuid == item.uuid && c.hash != hash; });
        kept.insert(target);
        if (unread.contains(target)) continue;
        auto known = state.files.find(target);
        std::optional<std::string> now;
        if (auto n = now_of.find(target); n != now_of.end()) {
            now = n->second;
        } else {
            try {
                now = read_if_there(dir, target);
            } catch (const Error&) {
                unread.insert(target);
                continue;
            }
        }
        if (known == state.files.end() && now && content_hash(*now) != hash) {
            // A file of that name that followup did not write (or whose record was lost):
            // perhaps changes not read yet. Left alone.
            unread.insert(target);
            continue;
        }
        // A card keeps what a phone made of it: its UID, groups, labels, a photo, a nickname.
        std::string merged = now && cards ? merge_card(*now, item.content) : item.content;
        std::string base = known == state.files.end() ? "" : known->second.base;
        if (now && *now == merged) {
            ++report.unchanged;
        } else {
            write_atomically(dir, target, merged);
            ++report.written;
        }
        state.files[target] = {item.uuid, content_hash(merged), base};
    }
    // Removals of contacts that are gone from followup too: nothing left to keep off.
    std::erase_if(state.removed, [&](const auto& r) { return !given.contains(r.first); });
    std::erase_if(state.conflicts, [&](const Conflict& c) { return !given.contains(c.uuid); });

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

bool restore(const std::string& dir, const std::string& uuid) {
    require_folder(dir);
    State state = load_state(dir);
    if (state.removed.erase(uuid) == 0) return false;
    save_state(dir, state);
    return true;
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

std::vector<Item> followup_items(const std::vector<Followup>& followups, IcsOptions options,
                                 bool meetings) {
    options.todo = true;
    options.method = false;
    std::vector<Item> out;
    out.reserve(followups.size());
    std::vector<Followup> one(1);
    for (const auto& f : followups) {
        if (f.status != Status::open || (!meetings && f.kind == Kind::meeting)) continue;
        one[0] = f;
        options.stamp = f.created;
        out.push_back({f.uuid, write_ics(one, options)});
    }
    return out;
}

std::vector<Item> meeting_items(const std::vector<Followup>& followups, IcsOptions options) {
    options.todo = false;
    options.method = false;
    std::vector<Item> out;
    std::vector<Followup> one(1);
    for (const auto& f : followups) {
        if (f.status != Status::open || f.kind != Kind::meeting) continue;
        one[0] = f;
        options.stamp = f.created;
        out.push_back({f.uuid, write_ics(one, options)});
    }
    return out;
}

/// The UUID of a followup VTODO's UID ("<uuid>@followup" or "<uuid>"), "" for another's.
std::string uuid_of_uid(std::string uid) {
    uid = text::lower(text::trim(uid));
    if (uid.ends_with("@followup")) uid.resize(uid.size() - 9);
    if (uid.starts_with("urn:uuid:")) uid = uid.substr(9);
    if (!text::is_uuid(uid)) return "";
    return uid;
}

} // namespace followup::vdir
