#include "app.hpp"

#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <iostream>
#include <sys/stat.h>

namespace followup::cli {
namespace {

constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

/// Writes one line to stderr. Messages quote names, input and file contents: their control
/// characters are shown escaped, as on stdout.
void error_line(std::string_view message) {
    std::string line = fmt::format("followup: {}\n", for_terminal(message));
    std::fwrite(line.data(), 1, line.size(), stderr);
}

/// Set when the command's `--format` asks for a machine format (see Context::exact_output).
bool machine_format_requested = false;

/// Whether the command parsed writes a machine format: `export`, or `--format` other than table.
bool machine_output(const CLI::App& app) {
    const CLI::App* cmd = &app;
    while (!cmd->get_subcommands().empty())
        cmd = cmd->get_subcommands().front();
    return machine_format_requested || cmd->get_name() == "export";
}

/// Parses the arguments and runs the command; every error becomes one line and an exit status.
int run_app(CLI::App& app, Context& ctx, int argc, const char* const* argv);

/// Global options that take a value.
bool takes_value(std::string_view arg) {
    return arg == "--db" || arg == "--config" || arg == "--set";
}

/// The words of the command line for the undo log, without the global options (a database
/// location may hold a password).
std::string command_words(int argc, const char* const* argv) {
    std::string out;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (takes_value(a)) {
            ++i;
            continue;
        }
        if (a.starts_with("--db=") || a.starts_with("--config=") || a.starts_with("--set=") ||
            a == "--no-color")
            continue;
        if (!out.empty()) out += ' ';
        bool quote = a.empty() || a.find_first_of(" \t'\"") != std::string_view::npos;
        out += quote ? fmt::format("'{}'", a) : std::string(a);
    }
    return out;
}

/// A setup_X function and the top-level commands it adds, in the order of the help text.
struct Family {
    void (*setup)(CLI::App&, Context&);
    std::initializer_list<std::string_view> commands;
};
const Family families[] = {
    {setup_add, {"add"}},
    {setup_due, {"due"}},
    {setup_followups, {"done", "snooze", "skip", "reopen", "chase", "todo", "promise", "undo"}},
    {setup_log, {"log", "campaigns"}},
    {setup_referrals, {"referral", "referrals"}},
    {setup_stats, {"stats"}},
    {setup_contacts, {"contacts", "show", "edit", "archive", "rm", "duplicates", "merge"}},
    {setup_events, {"events", "event"}},
    {setup_export, {"export"}},
    {setup_import, {"import"}},
    {setup_sync, {"sync"}},
    {setup_maintenance, {"doctor", "backup", "restore"}},
    {setup_meetings, {"book", "agenda"}},
    {setup_chapter, {"db", "member"}},
    {setup_toolbox, {"__complete", "remind", "config"}},
};

/// Where the first word of the command line that is not a global option or its value (the
/// command) stands; argc when there is none.
int command_index(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (takes_value(a)) {
            ++i;
            continue;
        }
        if (!a.starts_with("-")) return i;
    }
    return argc;
}

/// The command word (command_index), or "".
std::string_view command_word(int argc, const char* const* argv) {
    const int i = command_index(argc, argv);
    return i < argc ? std::string_view(argv[i]) : std::string_view();
}

/// The family that adds this command, or nullptr.
const Family* family_of(std::string_view command) {
    for (const auto& f : families)
        for (auto c : f.commands)
            if (c == command) return &f;
    return nullptr;
}

/// Every long name ("--overdue") of a command's options.
std::vector<std::string> flag_names(const CLI::App& cmd) {
    std::vector<std::string> out;
    for (const auto* opt : cmd.get_options())
        for (const auto& n : opt->get_lnames())
            out.push_back("--" + n);
    return out;
}

/// How far the words of a command line lead down the commands: "referral update".
struct Reached {
    const CLI::App* cmd;
    std::string path;
};

/// For a command line CLI11 refused: "unknown command 'dua'; did you mean 'due'?" or "unknown
/// flag '--ovrdue' for 'due'; did you mean '--overdue'?"; "" when the fault is something else.
/// `reached` is the command the words lead to.
std::string suggestion(const CLI::App& app, int argc, const char* const* argv, Reached& reached) {
    const CLI::App*& cmd = reached.cmd;
    std::string& path = reached.path;
    cmd = &app;
    path.clear();
    std::vector<std::string> globals = flag_names(app);
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") break;
        if (a.starts_with("--")) {
            std::string name(a.substr(0, a.find('=')));
            if (takes_value(name) && name.size() == a.size()) ++i;
            std::vector<std::string> known = flag_names(*cmd);
            if (std::find(known.begin(), known.end(), name) != known.end() ||
                std::find(globals.begin(), globals.end(), name) != globals.end() ||
                name == "--help" || name == "--version")
                continue;
            known.insert(known.end(), globals.begin(), globals.end());
            std::string near = text::nearest(name, known);
            return fmt::format("unknown flag '{}'{}{}", name,
                               path.empty() ? "" : fmt::format(" for '{}'", path),
                               near.empty() ? "" : fmt::format("; did you mean '{}'?", near));
        }
        if (a.starts_with("-")) continue;
        // A word: a subcommand where one is expected, else an argument of the command.
        std::vector<std::string> names;
        const CLI::App* next = nullptr;
        for (const auto* sub : cmd->get_subcommands({})) {
            names.push_back(sub->get_name());
            if (sub->check_name(std::string(a))) next = sub;
        }
        if (next) {
            cmd = next;
            path += (path.empty() ? "" : " ") + next->get_name();
            continue;
        }
        if (names.empty() || (cmd != &app && cmd->get_require_subcommand_min() == 0)) continue;
        std::string near = text::nearest(a, names);
        return fmt::format("unknown command '{}'{}{}", a,
                           path.empty() ? "" : fmt::format(" for '{}'", path),
                           near.empty() ? "" : fmt::format("; did you mean '{}'?", near));
    }
    return {};
}

/// Any other refusal of CLI11 ("A subcommand is required", "ID is required", "The following
/// argument was not expected: x"), as one line that points to the help of the command it is
/// about.
std::string usage_message(const CLI::ParseError& e, const Reached& r) {
    const std::string command = r.path.empty() ? "followup" : "followup " + r.path;
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr &&
        r.cmd->get_require_subcommand_min() > 0 && r.cmd->get_subcommands().empty()) {
        std::vector<std::string> names;
        for (const auto* sub : r.cmd->get_subcommands({}))
            if (!sub->get_name().starts_with("__")) names.push_back(sub->get_name());
        return fmt::format("'{}' needs a subcommand: {} (see '{} --help')", command,
                           fmt::join(names, ", "), command);
    }
    std::string what = e.what();
    // CLI11 starts its sentences with a capital; ours are lower case, as git's.
    if (what.size() > 1 && std::isupper(static_cast<unsigned char>(what[0])) &&
        !std::isupper(static_cast<unsigned char>(what[1])))
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    return fmt::format("{} (see '{} --help')", what, command);
}

/// `followup help [COMMAND...]`, as git and cargo have it: the same as `followup [COMMAND...]
/// --help`. Global options before `help` stay where they are.
std::vector<const char*> help_word_as_flag(int argc, const char* const* argv) {
    std::vector<const char*> out(argv, argv + argc);
    const int i = command_index(argc, argv);
    if (i == argc || std::string_view(argv[i]) != "help") return out;
    out.erase(out.begin() + i);
    // `help dwe` is refused as `dwe` is, with its suggestion (CLI11 would print the help of
    // followup for `dwe --help`).
    if (i + 1 >= argc || family_of(argv[i + 1]) != nullptr) out.push_back("--help");
    return out;
}

} // namespace

void add_format_option(CLI::App& cmd, Format& format) {
    cmd.add_option_function<std::string>(
           "--format",
           [&format](const std::string& v) {
               format = parse_format(v);
               machine_format_requested = format != Format::table;
           },
           "Output format: table, json, jsonl, csv or tsv")
        ->type_name("FORMAT");
}

int run(int argc_given, const char* const* argv_given) {
    const std::vector<const char*> args = help_word_as_flag(argc_given, argv_given);
    const int argc = static_cast<int>(args.size());
    const char* const* argv = args.data();
    // Past a file size limit (ulimit -f) a write fails with EFBIG instead of killing the process:
    // SQLite then rolls back (exit 1), and a command that committed still exits 0.
    std::signal(SIGXFSZ, SIG_IGN);
    // Everything followup creates (the database and its folders, backups, vdir files, unit
    // files) is its owner's alone, whatever the umask it was started with.
    ::umask(077);
    Context ctx;
    ctx.command_line = command_words(argc, argv);
    CLI::App app{"followup: never let a networking follow-up fall through the cracks.\n"
                 "The 24/7/30 system: a note within 24 hours, a connection within 7 days, a "
                 "one-to-one within 30 days.",
                 "followup"};
    app.set_version_flag("--version", FOLLOWUP_VERSION_LINE);
    app.require_subcommand(0, 1);
    app.fallthrough();
    app.add_option("--db", ctx.global.db,
                   "Database file (default: $FOLLOWUP_DB, else "
                   "$XDG_DATA_HOME/followup/followup.db)")
        ->type_name("PATH");
    app.add_flag("--no-color", ctx.global.no_color, "Never colour the output");
    app.add_option("--config", ctx.global.config,
                   "Config file (default: "
                   "$XDG_CONFIG_HOME/followup/config.toml)")
        ->type_name("PATH");
    app.add_option("--set", ctx.global.settings,
                   "Override a setting of the config file "
                   "(repeatable), e.g. response.referral=12h")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);

    // A broken config file fails every command alike, before it does anything.
    app.parse_complete_callback([&ctx, &app] {
        ctx.exact_output = machine_output(app);
        if (!app.get_subcommands().empty()) ctx.config();
    });

    // Only the family of the command that runs is set up: CLI11 builds every option of every
    // command it is given, a quarter of the work of an empty `due`. Without a known command word
    // (--help, --version, a typo) all of them are, for the help text and the suggestions.
    // `followup --version` alone needs none.
    const std::string_view word = command_word(argc, argv);
    const Family* only = family_of(word);
    const bool version_only =
        word.empty() &&
        std::any_of(argv + 1, argv + argc,
                    [](const char* a) { return std::string_view(a) == "--version"; }) &&
        std::none_of(argv + 1, argv + argc, [](const char* a) {
            return std::string_view(a) == "--help" || std::string_view(a) == "-h";
        });
    for (const auto& f : families)
        if (!version_only && (only == nullptr || &f == only)) f.setup(app, ctx);

    int status = run_app(app, ctx, argc, argv);
    if (status != 0 && status != 3)
        ctx.discard_new_database();
    else
        ctx.announce_new_database();
    return status;
}

namespace {

int run_app(CLI::App& app, Context& ctx, int argc, const char* const* argv) {
    try {
        app.parse(argc, argv);
        if (app.get_subcommands().empty()) {
            std::cout << app.help();
            return 0;
        }
        // Output that could not be written (a full disk, a closed stdout) is a failure.
        if (std::fflush(stdout) != 0 || std::ferror(stdout))
            throw Error(fmt::format("write error: {}", std::strerror(errno ? errno : EIO)));
        return ctx.exit_status;
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        Reached reached{&app, {}};
        std::string better = suggestion(app, argc, argv, reached);
        error_line(better.empty() ? usage_message(e, reached) : better);
        return exit_usage;
    } catch (const Ambiguous& e) {
        error_line(e.what());
        for (const auto& c : e.candidates()) {
            std::string line = "  " + for_terminal(text::one_line(c)) + "\n";
            std::fwrite(line.data(), 1, line.size(), stderr);
        }
        return e.exit_code();
    } catch (const Error& e) {
        error_line(e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        error_line(e.what());
        return exit_failure;
    }
}

} // namespace

} // namespace followup::cli
