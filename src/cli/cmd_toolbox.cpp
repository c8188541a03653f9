// What makes followup fit the toolbox: the hidden `__complete` the shell completions call,
// `remind` (a desktop notification and the systemd user timer that sends it), `config list`.

#include "commands.hpp"
#include "table.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <date/date.h>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <fstream>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace followup::cli {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// __complete WHAT [PREFIX]

struct CompleteOptions {
    std::string what;
    std::string prefix;
};

/// True when `value` (folded) starts with `prefix` (folded), or one of its words does: `jo` and
/// `alv` both complete "José Álvarez".
bool matches(const std::string& value, const std::string& folded_prefix) {
    if (folded_prefix.empty()) return true;
    std::string v = text::fold(value);
    if (v.starts_with(folded_prefix)) return true;
    for (std::size_t at = v.find(' '); at != std::string::npos; at = v.find(' ', at + 1))
        if (std::string_view(v).substr(at + 1).starts_with(folded_prefix)) return true;
    return false;
}

/// One candidate per line, "VALUE<TAB>DESCRIPTION", the form every shell script reads. The shell
/// draws both in its menu: control characters (C1, bidi, invisible marks, broken UTF-8) are shown
/// escaped, as on every terminal followup writes to.
std::string candidate(std::string_view value, std::string_view description) {
    return fmt::format("{}\t{}\n", text::escape_controls(text::one_line(value)),
                       text::escape_controls(text::one_line(description)));
}

void run_complete(const CompleteOptions& o, Context& ctx) {
    static const char* kinds[] = {"contacts", "followups", "events", "referrals"};
    if (std::find(std::begin(kinds), std::end(kinds), o.what) == std::end(kinds))
        throw UsageError(fmt::format("__complete: unknown list '{}' (contacts, followups, events "
                                     "or referrals)",
                                     o.what));
    // Read-only: a missing database stays missing; there is nothing to complete.
    if (ctx.database_missing(true)) return;
    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, false);
    std::string out;
    std::string prefix = text::fold(o.prefix);
    std::string id_prefix(text::trim(o.prefix));
    if (id_prefix.starts_with('#')) id_prefix.erase(0, 1);
    if (o.what == "contacts") {
        for (const auto& c : repo.all_contacts())
            if (!c.archived && matches(c.name, prefix))
                out +=
                    candidate(c.name, c.company.empty() ? fmt::format("#{}", c.id)
                                                        : fmt::format("#{} {}", c.id, c.company));
    } else if (o.what == "followups") {
        for (const auto& f : repo.due(DueQuery{}))
            if (std::to_string(f.id).starts_with(id_prefix))
                out += candidate(std::to_string(f.id), f.title);
    } else if (o.what == "events") {
        for (const auto& e : repo.all_events())
            if (matches(e.name, prefix))
                out += candidate(e.name, e.on ? date::format("%F", *e.on) : std::string());
    } else {
        for (const auto& r : repo.referrals("", false))
            if (std::to_string(r.id).starts_with(id_prefix))
                out += candidate(
                    std::to_string(r.id),
                    fmt::format("{} → {}: {} ({})", r.direction == "given" ? "you" : r.referrer,
                                r.direction == "given" ? r.member : "you", r.prospect, r.status));
    }
    tx.commit();
    ctx.exact_output = true; // TAB-separated for the shells; candidate() already made it safe
    ctx.print(out);
}

// ---------------------------------------------------------------------------------------------
// remind [--install | --uninstall]

struct RemindOptions {
    bool install{};
    bool uninstall{};
};

constexpr const char* service_name = "followup-remind.service";
constexpr const char* timer_name = "followup-remind.timer";
constexpr std::size_t remind_lines = 5;

/// True when a notification can reach someone: an X or Wayland display, or a session bus (a
/// systemd user service has the bus but not always DISPLAY).
bool has_display() {
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}) {
        const char* v = std::getenv(name);
        if (v && *v) return true;
    }
    return false;
}

/// Notification bodies may hold markup: a name with "<" or "&" must show as written.
std::string escape_markup(std::string_view s) {
    std::string out;
    for (char ch : s) {
        if (ch == '&')
            out += "&amp;";
        else if (ch == '<')
            out += "&lt;";
        else if (ch == '>')
            out += "&gt;";
        else
            out += ch;
    }
    return out;
}

/// Runs a program found on PATH and waits for it; throws Error when it cannot run or fails.
void run_program(const std::vector<std::string>& args, std::string_view package) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(stdout);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
    if (rc == ENOENT)
        throw Error(fmt::format("{} not found (Debian package {})", args[0], package));
    if (rc != 0) throw Error(fmt::format("cannot run {}: {}", args[0], std::strerror(rc)));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error(fmt::format("waitpid: {}", std::strerror(errno)));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(fmt::format("{} failed ({} {})", args[0],
                                WIFEXITED(status) ? "exit status" : "signal",
                                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)));
}

/// The folder of systemd user units: $XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user.
fs::path unit_dir() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg == '/') return fs::path(xdg) / "systemd" / "user";
    const char* home = std::getenv("HOME");
    if (!home || !*home) throw Error("neither XDG_CONFIG_HOME nor HOME is set");
    return fs::path(home) / ".config" / "systemd" / "user";
}

/// One word of an ExecStart= line, quoted as systemd reads it: `%` and `$` doubled, and double
/// quotes (with backslash escapes) around anything beyond plain path characters.
std::string systemd_word(std::string_view word) {
    std::string escaped;
    bool plain = !word.empty();
    for (char ch : word) {
        if (ch == '%')
            escaped += "%%";
        else if (ch == '$')
            escaped += "$$";
        else if (ch == '\\' || ch == '"')
            escaped += std::string("\\") + ch;
        else
            escaped += ch;
        bool safe = std::isalnum(static_cast<unsigned char>(ch)) ||
                    std::strchr("/._+-:=@,%$", ch) != nullptr ||
                    static_cast<unsigned char>(ch) >= 0x80;
        if (!safe) plain = false;
    }
    return plain ? escaped : "\"" + escaped + "\"";
}

/// Writes a unit file readable and writable by its owner alone (0600, whatever the umask, and
/// also when an earlier install left it open to others): anyone who can rewrite ExecStart runs
/// code as this user.
void write_file(const fs::path& path, const std::string& content) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    bool ok = ::fchmod(fd, 0600) == 0;
    for (std::size_t done = 0; ok && done < content.size();) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    int saved = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) throw Error(fmt::format("cannot write {}: {}", path.string(), std::strerror(saved)));
}

/// Creates the missing folders of `dir`, each with mode 0700 whatever the umask.
void make_private_dirs(const fs::path& dir) {
    std::error_code ec;
    if (dir.empty() || fs::is_directory(dir, ec)) return;
    make_private_dirs(dir.parent_path());
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error(fmt::format("cannot create {}: {}", dir.string(), std::strerror(errno)));
}

void install_units(Context& ctx) {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error(fmt::format("cannot find the followup binary: {}", ec.message()));
    std::vector<std::string> words{exe.string()};
    const char* env_db = std::getenv("FOLLOWUP_DB");
    if (!ctx.global.db.empty() || (env_db && *env_db)) {
        words.emplace_back("--db");
        words.push_back(is_server_location(ctx.db_path())
                            ? ctx.db_path()
                            : fs::absolute(ctx.db_path()).lexically_normal().string());
    }
    if (!ctx.global.config.empty()) {
        words.emplace_back("--config");
        words.push_back(fs::absolute(ctx.global.config).lexically_normal().string());
    }
    words.emplace_back("remind");
    std::string exec;
    for (const auto& w : words)
        exec += (exec.empty() ? "" : " ") + systemd_word(w);
    const std::string& at = ctx.config().remind_at;

    fs::path dir = unit_dir();
    make_private_dirs(dir);
    write_file(dir / service_name, fmt::format("[Unit]\n"
                                               "Description=followup: notify what is due today\n"
                                               "\n"
                                               "[Service]\n"
                                               "Type=oneshot\n"
                                               "ExecStart={}\n",
                                               exec));
    write_file(dir / timer_name, fmt::format("[Unit]\n"
                                             "Description=followup: the morning reminder\n"
                                             "\n"
                                             "[Timer]\n"
                                             "OnCalendar={}\n"
                                             "Persistent=true\n"
                                             "\n"
                                             "[Install]\n"
                                             "WantedBy=timers.target\n",
                                             at));
    ctx.print(fmt::format("Wrote {}\nWrote {} ({})\nTurn it on: systemctl --user daemon-reload "
                          "&& systemctl --user enable --now {}\n",
                          (dir / service_name).string(), (dir / timer_name).string(), at,
                          timer_name));
}

void uninstall_units(Context& ctx) {
    fs::path dir = unit_dir();
    std::string out;
    std::error_code ec;
    // The link `systemctl --user enable` made goes too, so that nothing points at a lost unit.
    for (const fs::path& p :
         {dir / "timers.target.wants" / timer_name, dir / timer_name, dir / service_name}) {
        if (!fs::is_symlink(p, ec) && !fs::exists(p, ec)) continue;
        if (!fs::remove(p, ec) || ec)
            throw Error(fmt::format("cannot remove {}: {}", p.string(), ec.message()));
        out += fmt::format("Removed {}\n", p.string());
    }
    if (out.empty())
        out = fmt::format("No reminder installed in {}\n", dir.string());
    else
        out += fmt::format("Stop a running timer: systemctl --user stop {} && systemctl --user "
                           "daemon-reload\n",
                           timer_name);
    ctx.print(out);
}

void run_remind(const RemindOptions& o, Context& ctx) {
    if (o.install && o.uninstall) throw UsageError("--install and --uninstall do not go together");
    if (o.install) return install_units(ctx);
    if (o.uninstall) return uninstall_units(ctx);

    if (ctx.database_missing()) return ctx.print("Nothing due.\n");
    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, false);
    const TimeContext& tc = ctx.time();
    DueQuery query;
    query.until = end_of_day(local_day(tc.now, tc.zone), tc.zone);
    std::vector<Followup> rows = repo.due(query);
    tx.commit();
    if (rows.empty()) return ctx.print("Nothing due.\n");
    auto overdue =
        std::count_if(rows.begin(), rows.end(), [&](const Followup& f) { return f.due < tc.now; });
    std::string summary = fmt::format("followup: {} overdue, {} due today", overdue,
                                      static_cast<long long>(rows.size()) - overdue);
    if (!has_display()) return ctx.print(summary + " (no display: no notification)\n");
    std::string body;
    for (std::size_t i = 0; i < rows.size() && i < remind_lines; ++i)
        body +=
            fmt::format("{}{} ({})", i ? "\n" : "", escape_markup(text::one_line(rows[i].title)),
                        relative_text(rows[i].due, tc.now));
    if (rows.size() > remind_lines)
        body += fmt::format("\n… and {} more", rows.size() - remind_lines);
    run_program({"notify-send", "--app-name=followup", "--icon=appointment-soon",
                 overdue > 0 ? "--urgency=critical" : "--urgency=normal", summary, body},
                "libnotify-bin");
    ctx.print(summary + "\n");
}

// ---------------------------------------------------------------------------------------------
// config list

struct ConfigListOptions {
    Format format{Format::table};
};

void run_config_list(const ConfigListOptions& o, Context& ctx) {
    std::vector<SettingValue> settings = list_settings(ctx.config());
    if (o.format == Format::table) {
        Table table({"SETTING", "VALUE", "FROM"});
        for (const auto& s : settings)
            table.add({{s.key}, {s.value}, {s.origin == "file" ? ctx.config().path : s.origin}});
        return ctx.print(table.render(ctx.color()));
    }
    std::vector<Record> records;
    for (const auto& s : settings) {
        Record r;
        r["key"] = s.key;
        r["value"] = s.value;
        r["origin"] = s.origin;
        r["file"] = s.origin == "file" ? Record(ctx.config().path) : Record(nullptr);
        records.push_back(std::move(r));
    }
    ctx.print(render(records, o.format, {"key", "value", "origin", "file"}));
}

} // namespace

void setup_toolbox(CLI::App& app, Context& ctx) {
    auto complete = std::make_shared<CompleteOptions>();
    auto* c = app.add_subcommand("__complete", "Candidates for the shell completions");
    c->group(""); // hidden from --help
    c->add_option("WHAT", complete->what, "contacts, followups, events or referrals")->required();
    c->add_option("PREFIX", complete->prefix, "What has been typed so far");
    c->callback([complete, &ctx] { run_complete(*complete, ctx); });

    auto remind = std::make_shared<RemindOptions>();
    auto* r = app.add_subcommand("remind", "A desktop notification of what is overdue and due "
                                           "today");
    r->add_flag("--install", remind->install,
                "Write a systemd user timer that runs `followup remind` (remind.at)");
    r->add_flag("--uninstall", remind->uninstall, "Remove the timer and its service");
    r->callback([remind, &ctx] { run_remind(*remind, ctx); });

    auto list = std::make_shared<ConfigListOptions>();
    auto* cfg = app.add_subcommand("config", "The configuration");
    cfg->require_subcommand(1);
    auto* l = cfg->add_subcommand("list", "Every setting, its value and where it came from");
    add_format_option(*l, list->format);
    l->callback([list, &ctx] { run_config_list(*list, ctx); });
}

} // namespace followup::cli
