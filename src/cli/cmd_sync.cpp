// followup sync: contacts and follow-ups to their vdirs, vdirsyncer between the vdirs and a
// CalDAV/CardDAV server, and back (docs/sync.md). The core runs no process: vdirsyncer is run
// here.

#include "commands.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/interchange/vdir.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <memory>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ; // NOLINT: POSIX

namespace followup::cli {
namespace {

/// A path from the config with a leading "~/" in the home folder.
std::string expand_home(const std::string& path) {
    if (path == "~" || path.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        if (home != nullptr && *home != '\0') return std::string(home) + path.substr(1);
    }
    return path;
}

/// The last line of a program's output that says something, for the one error line.
std::string last_words(const std::string& output) {
    std::vector<std::string> lines = text::split(output, '\n');
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        std::string_view l = text::trim(*it);
        if (!l.empty()) return std::string(l);
    }
    return "";
}

/// Runs vdirsyncer with `args` (no shell), stdin from /dev/null, its stdout and stderr
/// gathered; throws Error "vdirsyncer sync ... failed ..." when it cannot run or exits other
/// than 0.
void run_vdirsyncer(const Config& config, const std::vector<std::string>& args) {
    std::vector<std::string> argv_text{config.sync_vdirsyncer};
    if (!config.sync_vdirsyncer_config.empty()) {
        argv_text.emplace_back("--config");
        argv_text.push_back(expand_home(config.sync_vdirsyncer_config));
    }
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::string shown = "vdirsyncer " + text::join(args, " ");
    std::vector<char*> argv;
    for (auto& a : argv_text)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        throw Error(fmt::format("cannot run {}: {}", shown, std::strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
        ::close(out[0]);
        throw Error(fmt::format("cannot run {}: {}: {} (is vdirsyncer installed? sync.vdirsyncer "
                                "names the program)",
                                shown, config.sync_vdirsyncer, std::strerror(rc)));
    }
    std::string output;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n > 0) {
            if (output.size() < (std::size_t{1} << 20))
                output.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw Error(fmt::format("cannot run {}: {}", shown, std::strerror(errno)));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    std::string why = WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status))
                                        : fmt::format("signal {}", WTERMSIG(status));
    std::string said = text::one_line(last_words(output));
    throw Error(fmt::format("{} failed ({}){}{}", shown, why, said.empty() ? "" : ": ", said));
}

/// One kind of record synced: its vdir and its pair.
struct Synced {
    std::string what; ///< "contacts" or "followups"
    std::string dir;
    std::string pair;
};

struct SyncOptions {
    bool status{};
    std::string restore;
};

/// `sync --status`: the contacts removed from the address book on the other side and the
/// conflicts not settled, from the contacts vdir's state; nothing is run or written.
void print_status(Context& ctx, const std::string& dir) {
    vdir::State state = vdir::load_state(dir);
    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false);
    auto who = [&](const std::string& uuid, const std::string& name) {
        if (auto id = repo.find_uuid("contacts", uuid)) {
            Contact c = repo.get_contact(*id);
            return fmt::format("#{} {}", c.id, text::one_line(c.name));
        }
        return text::one_line(name);
    };
    std::string out;
    if (!state.removed.empty()) {
        out += fmt::format("{} contact{} deleted from the address book on the other side (kept "
                           "here; an edit or 'followup sync --restore NAME' puts {} back):\n",
                           state.removed.size(), state.removed.size() == 1 ? "" : "s",
                           state.removed.size() == 1 ? "it" : "them");
        for (const auto& [uuid, r] : state.removed)
            out += fmt::format("  {}\n", who(uuid, uuid));
    }
    if (!state.conflicts.empty()) {
        out += fmt::format("{} conflict{} not settled (the phone's value kept, followup's in the "
                           "notes; settled when you edit the contact):\n",
                           state.conflicts.size(), state.conflicts.size() == 1 ? "" : "s");
        for (const auto& c : state.conflicts)
            out += fmt::format("  {}: {}: kept \"{}\", followup's was \"{}\" ({})\n",
                               who(c.uuid, c.name), text::one_line(c.field), text::one_line(c.kept),
                               text::one_line(c.other), text::one_line(c.at));
    }
    if (out.empty()) out = "Nothing deleted on the other side, no conflicts.\n";
    ctx.print(out);
}

void run_sync(const SyncOptions& o, Context& ctx) {
    const Config& config = ctx.config();
    std::vector<Synced> kinds;
    auto add = [&](const char* what, const std::string& dir, const std::string& pair,
                   const char* key) {
        if (dir.empty() && pair.empty()) return;
        if (dir.empty() || pair.empty())
            throw UsageError(fmt::format("sync.{0}_dir and sync.{0}_pair go together: set both "
                                         "in the config ([sync] {0}_dir, {0}_pair)",
                                         key));
        kinds.push_back({what, expand_home(dir), pair});
    };
    add("contacts", config.sync_contacts_dir, config.sync_contacts_pair, "contacts");
    add("followups", config.sync_followups_dir, config.sync_followups_pair, "followups");
    add("meetings", config.sync_meetings_dir, config.sync_meetings_pair, "meetings");
    if (kinds.empty())
        throw UsageError("sync needs a vdirsyncer pair in the config: [sync] contacts_pair and "
                         "contacts_dir, and/or followups_pair and followups_dir (see "
                         "docs/sync.md)");
    std::string contacts_dir;
    for (const auto& k : kinds)
        if (k.what == "contacts") contacts_dir = k.dir;
    if ((o.status || !o.restore.empty()) && contacts_dir.empty())
        throw UsageError("--status and --restore are about the address book: set [sync] "
                         "contacts_dir and contacts_pair");
    if (o.status) {
        struct stat st {};
        if (::stat(contacts_dir.c_str(), &st) != 0) {
            ctx.print("Nothing deleted on the other side, no conflicts.\n");
            return;
        }
        print_status(ctx, contacts_dir);
        return;
    }
    std::string out;
    if (!o.restore.empty()) {
        Contact c;
        {
            Repository& repo = ctx.reader();
            Repository::Transaction tx(repo, false);
            c = actions::resolve_contact(repo, o.restore);
        }
        struct stat st {};
        if (::stat(contacts_dir.c_str(), &st) != 0 || !vdir::restore(contacts_dir, c.uuid))
            throw UsageError(fmt::format("#{} {} was not deleted from the address book", c.id,
                                         text::one_line(c.name)));
        out += fmt::format("Restored #{} {} to the address book.\n", c.id, text::one_line(c.name));
    }
    std::vector<std::string> pairs;
    for (const auto& k : kinds)
        if (std::find(pairs.begin(), pairs.end(), k.pair) == pairs.end()) pairs.push_back(k.pair);
    std::vector<std::string> sync_args{"sync"};
    sync_args.insert(sync_args.end(), pairs.begin(), pairs.end());

    // 1. What the last sync brought and nobody read yet (an interrupted sync): read it before
    //    export may write the same items. 2. Export: only files that changed are written, so an
    //    item changed on the phone and not here is not touched and vdirsyncer brings the
    //    phone's version down rather than seeing a conflict.
    // Every import before any export: a to-do done changes its contact's card (last touch).
    for (const auto& k : kinds) {
        struct stat st {};
        if (::stat(k.dir.c_str(), &st) == 0) out += import_vdir(ctx, k.dir);
    }
    for (const auto& k : kinds)
        out += export_vdir(ctx, k.what, k.dir);
    // 3. Both ways between the vdirs and the server.
    run_vdirsyncer(config, sync_args);
    out += fmt::format("Ran vdirsyncer sync {}.\n", text::join(pairs, " "));
    // 4. What the phone changed; 5. what that changes here (a done follow-up's to-do removed,
    //    an edited card written in followup's form) goes back up.
    bool again = false;
    for (const auto& k : kinds)
        out += import_vdir(ctx, k.dir);
    for (const auto& k : kinds) {
        bool changed = false;
        out += export_vdir(ctx, k.what, k.dir, &changed);
        again = again || changed;
    }
    if (again) {
        run_vdirsyncer(config, sync_args);
        out += fmt::format("Ran vdirsyncer sync {}.\n", text::join(pairs, " "));
    }
    ctx.print(out);
}

} // namespace

void setup_sync(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "sync", "Sync contacts and follow-ups with a phone through vdirsyncer and a "
                "CalDAV/CardDAV server ([sync] in the config; see docs/sync.md)");
    auto o = std::make_shared<SyncOptions>();
    cmd->add_flag("--status", o->status,
                  "List the contacts deleted from the address book on the other side and the "
                  "conflicts not settled; sync nothing");
    cmd->add_option("--restore", o->restore,
                    "Put a contact deleted from the address book on the other side back there, "
                    "then sync")
        ->type_name("NAME");
    cmd->callback([o, &ctx] { run_sync(*o, ctx); });
}

} // namespace followup::cli
