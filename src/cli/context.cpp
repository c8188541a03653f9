#include "context.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <random>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace followup::cli {

Instant Context::now() {
    if (!now_) now_ = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return *now_;
}

const TimeContext& Context::time() {
    if (!time_) {
        time_ = TimeContext{now(), find_zone(std::getenv("TZ"))};
    }
    return *time_;
}

std::string Context::db_path() const {
    std::string path = database_path(global.db, std::getenv("FOLLOWUP_DB"),
                                     std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
    check_location(path);
    return path;
}

bool Context::location_given() const {
    const char* env = std::getenv("FOLLOWUP_DB");
    return !global.db.empty() || (env && *env);
}

namespace {

/// A location meant as a server's URI that is not one (`postgresql:/ann@db/chapter`, one slash):
/// an error naming it (its password, if any, left out), never a SQLite file of that name, nor an
/// empty database that a read command reports as empty.
void refuse_malformed_uri(const std::string& path) {
    for (std::string_view scheme : {"postgresql:", "postgres:"}) {
        if (path.rfind(scheme, 0) != 0 || path.compare(scheme.size(), 2, "//") == 0) continue;
        std::string shown = path;
        // user:password@ -> user:...@ (the user-info ends at the first '@' before any '/'
        // that follows it)
        std::size_t at = shown.find('@', scheme.size());
        std::size_t colon = shown.find(':', scheme.size());
        if (at != std::string::npos && colon != std::string::npos && colon < at)
            shown.replace(colon + 1, at - colon - 1, "...");
        throw Error(fmt::format("cannot open database {}: not a PostgreSQL URI (one starts with "
                                "{}//, e.g. postgresql://ann@db.example/chapter)",
                                shown, scheme));
    }
}

} // namespace

bool Context::database_missing(bool quiet) const {
    std::string path = db_path();
    struct stat st {};
    if (is_server_location(path) || ::stat(path.c_str(), &st) == 0 || errno != ENOENT) return false;
    if (location_given() && !quiet) refuse_missing(path);
    return true;
}

void Context::refuse_missing(const std::string& path) {
    throw Error(fmt::format("no database at {} (a command that writes creates it)", path));
}

void Context::announce_new_database() {
    if (repo_ && repo_->created() && location_given() && !repo_->path().empty()) {
        std::string line =
            fmt::format("Created a new database at {}\n", for_terminal(repo_->path()));
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
}

Repository& Context::repo() {
    if (!repo_) {
        std::string path = db_path();
        refuse_malformed_uri(path);
        // Only the default place is created on first use; a path given by --db or FOLLOWUP_DB
        // must lie in a folder that exists, so that a typo creates nothing.
        const bool given = location_given();
        std::filesystem::path dir = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (given && !is_server_location(path) && !dir.empty() &&
            !std::filesystem::is_directory(dir, ec))
            throw Error(fmt::format("cannot open database {}: folder {} does not exist", path,
                                    dir.string()));
        repo_ = std::make_unique<Repository>(path);
        repo_->set_now(now());
        // A member of a chapter first takes in what other members did for them (referrals
        // given to them, reports on those they gave), whatever the command.
        if (repo_->on_server()) {
            actions::Env e{*repo_, time(), config(), "(chapter)"};
            actions::take_in_chapter(e);
        }
    }
    return *repo_;
}

Repository& Context::reader(bool missing_ok) {
    if (!repo_) {
        struct stat st {};
        std::string path = db_path();
        refuse_malformed_uri(path);
        if (!is_server_location(path) && ::stat(path.c_str(), &st) != 0 && errno == ENOENT) {
            // A location given by --db or FOLLOWUP_DB must exist (a typo is no empty
            // database); the default one reads as empty until the first write creates it.
            if (location_given() && !missing_ok) refuse_missing(path);
            repo_ = std::make_unique<Repository>(":memory:");
            repo_->set_now(now());
        }
    }
    return repo();
}

actions::Env Context::env() {
    return actions::Env{repo(), time(), config(), command_line};
}

void Context::discard_new_database() {
    if (!repo_) return;
    // Only a file this run created and never wrote to: a committed command keeps its data even
    // when printing its result failed afterwards.
    std::string path = repo_->created() && !repo_->wrote() ? repo_->path() : "";
    repo_.reset();
    if (path.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"})
        std::remove((path + suffix).c_str());
}

const Config& Context::config() {
    if (!config_) {
        std::string path = global.config.empty()
                               ? config_path(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"))
                               : global.config;
        if (!global.config.empty() && !std::filesystem::exists(path))
            throw Error(fmt::format("no config file {}", path));
        Config c = load_config(path);
        for (const auto& s : global.settings)
            apply_setting(c, s);
        config_ = std::move(c);
    }
    return *config_;
}

bool Context::color() {
    if (!color_)
        color_ =
            !global.no_color && std::getenv("NO_COLOR") == nullptr && ::isatty(1) && config().color;
    return *color_;
}

bool Context::interactive() const {
    return ::isatty(0) != 0;
}

void Context::print(std::string_view text) {
    std::string safe;
    // Text that is safe already (no style marks, nothing to escape) is written as it is: a
    // `due` of hundreds of rows is not copied once more.
    // A machine format goes out exactly when piped or redirected; on a terminal it is escaped
    // like everything else (a CSV cell may hold an OSC 52 clipboard write).
    if (!stdout_terminal_) stdout_terminal_ = ::isatty(1) != 0;
    const bool as_is =
        (exact_output && !*stdout_terminal_) || (text.find('\0') == std::string_view::npos &&
                                                 text::terminal_safe_prefix(text) == text.size());
    if (!as_is) {
        safe = for_terminal(text);
        text = safe;
    }
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
        throw Error(fmt::format("write error: {}", std::strerror(errno)));
}

std::string Context::styled(std::string_view text, fmt::text_style style) {
    if (!color()) return std::string(text);
    return terminal_style(text, style);
}

namespace {

/// What stands for ESC in a style of ours until print(): a NUL (which no stored text holds)
/// and 16 random hex digits, drawn once per process.
const std::string& style_mark() {
    static const std::string mark = [] {
        std::random_device random;
        std::string m(1, '\0');
        for (int i = 0; i < 4; ++i)
            m += fmt::format("{:04x}", random() & 0xFFFF);
        return m;
    }();
    return mark;
}

} // namespace

std::string terminal_style(std::string_view text, fmt::text_style style) {
    std::string styled = fmt::format(style, "{}", text);
    std::string out;
    out.reserve(styled.size() + 64);
    for (char ch : styled) {
        if (ch == '\x1b')
            out += style_mark();
        else
            out += ch;
    }
    return out;
}

std::string for_terminal(std::string_view text) {
    if (text.find('\0') == std::string_view::npos) return text::escape_controls(text);
    // Marks of terminal_style() come back as ESC; the text between them is escaped.
    const std::string& mark = style_mark();
    std::string out;
    std::size_t start = 0;
    for (std::size_t at = text.find(mark); at != std::string_view::npos;
         at = text.find(mark, start)) {
        out += text::escape_controls(text.substr(start, at - start));
        out += '\x1b';
        start = at + mark.size();
    }
    out += text::escape_controls(text.substr(start));
    return out;
}

std::string when_text(Instant t, const Zone* zone) {
    return format_local_when(t, zone);
}

Id parse_id(std::string_view text, std::string_view what) {
    std::string_view t = text::trim(text);
    if (!t.empty() && t.front() == '#') t.remove_prefix(1);
    if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string_view::npos)
        throw UsageError(fmt::format("invalid {} id '{}'", what, text));
    return std::stoll(std::string(t));
}

std::vector<Id> parse_ids(const std::vector<std::string>& args, std::string_view what) {
    std::vector<Id> ids;
    std::set<Id> seen;
    auto keep = [&](Id id) {
        if (seen.insert(id).second) ids.push_back(id);
    };
    for (const auto& a : args) {
        std::string_view t = text::trim(a);
        auto dash = t.find('-', 1);
        if (dash == std::string_view::npos) {
            keep(parse_id(t, what));
            continue;
        }
        Id first = parse_id(t.substr(0, dash), what);
        Id last = parse_id(t.substr(dash + 1), what);
        if (last < first)
            throw UsageError(
                fmt::format("invalid {} range '{}' (the first id comes first)", what, a));
        if (last - first >= 10000)
            throw UsageError(
                fmt::format("{} range '{}' is too long (10,000 ids at most)", what, a));
        for (Id id = first; id <= last; ++id)
            keep(id);
    }
    return ids;
}

std::string relative_text(Instant due, Instant now) {
    auto diff = due - now;
    if (diff < std::chrono::seconds{0}) return humanize(diff) + " overdue";
    if (diff < std::chrono::minutes{1}) return "now";
    return "in " + humanize(diff);
}

} // namespace followup::cli

namespace followup::cli {

Instant touch_time(const std::string& at, const TimeContext& tc) {
    if (at.empty()) return tc.now;
    When w = parse_when(at, tc);
    Instant t = w.day ? std::min(w.at, tc.now) : w.at;
    if (t > tc.now || (w.day && *w.day > local_day(tc.now, tc.zone)))
        throw UsageError(fmt::format("--at '{}' is in the future", at));
    return t;
}

std::string ago_text(Instant then, Instant now) {
    if (now - then < std::chrono::minutes{1}) return "just now";
    return humanize(now - then) + " ago";
}

std::string count_text(long long n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string created_text(const std::vector<Contact>& created) {
    std::string out;
    for (const auto& c : created)
        out += fmt::format("Created #{} {}\n", c.id, c.name);
    return out;
}

} // namespace followup::cli
