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
        s.files[name] = {v.value("uuid", ""), v.value("hash", "")};
    }
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
    for (const auto& [name, k] : s.files)
        files[name] = {{"uuid", k.uuid}, {"hash", k.hash}};
    nlohmann::json j = {{"format", "followup-vdir"}, {"version", state_version}, {"files", files}};
    write_atomically(dir, state_file, j.dump(1) + "\n");
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
        if (::stat(join_path(dir, name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

namespace {
/// The content of a file, or nullopt when it is not there.
std::optional<std::string> read_if_there(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        fail("read", path);
    }
    return read_regular_file(path, file_limit);
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

/// The UUID of a followup VTODO's UID ("<uuid>@followup" or "<uuid>"), "" for another's.
std::string uuid_of_uid(std::string uid) {
    uid = text::lower(text::trim(uid));
    if (uid.ends_with("@followup")) uid.resize(uid.size() - 9);
    if (uid.starts_with("urn:uuid:")) uid = uid.substr(9);
    if (!text::is_uuid(uid)) return "";
    return uid;
}

} // namespace followup::vdir
