#include "app.hpp"

#include "commands.hpp"

#include <SQLiteCpp/Exception.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <followup/errors.hpp>
#include <iostream>
#include <sqlite3.h>

namespace followup::cli {
namespace {

constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

void error_line(std::string_view message) {
    std::string line = fmt::format("followup: {}\n", message);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

/// What to do about a SQLite error, after SQLite's own words.
std::string_view sqlite_hint(int code) {
    switch (code) {
    case SQLITE_FULL:
        return " (nothing was written)";
    case SQLITE_IOERR:
        return " (nothing was written; is the disk full, or a file size limit reached?)";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return " (see 'followup doctor')";
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return " (check the permissions of the database and its -wal and -shm files: "
               "see 'followup doctor')";
    default:
        return "";
    }
}

/// Parses the arguments and runs the command; every error becomes one line and an exit status.
int run_app(CLI::App& app, Context& ctx, int argc, const char* const* argv);

} // namespace

void add_format_option(CLI::App& cmd, Format& format) {
    cmd.add_option_function<std::string>(
           "--format", [&format](const std::string& v) { format = parse_format(v); },
           "Output format: table, json, jsonl, csv or tsv")
        ->type_name("FORMAT");
}

int run(int argc, const char* const* argv) {
    Context ctx;
    ctx.start_zone_lookup();
    CLI::App app{"followup: never let a networking follow-up fall through the cracks.\n"
                 "The 24/7/30 system: a note within 24 hours, a connection within 7 days, a "
                 "one-to-one within 30 days.",
                 "followup"};
    app.set_version_flag("--version", "followup " FOLLOWUP_VERSION);
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
        if (!app.get_subcommands().empty()) ctx.config();
    });

    setup_add(app, ctx);
    setup_due(app, ctx);
    setup_followups(app, ctx);
    setup_log(app, ctx);
    setup_referrals(app, ctx);
    setup_stats(app, ctx);
    setup_contacts(app, ctx);
    setup_events(app, ctx);
    setup_export(app, ctx);
    setup_import(app, ctx);
    setup_maintenance(app, ctx);

    int status = run_app(app, ctx, argc, argv);
    if (status != 0 && status != 3) ctx.discard_new_database();
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
        error_line(fmt::format("{} (see 'followup --help')", e.what()));
        return exit_usage;
    } catch (const Ambiguous& e) {
        error_line(e.what());
        for (const auto& c : e.candidates())
            std::fprintf(stderr, "  %s\n", c.c_str());
        return e.exit_code();
    } catch (const Error& e) {
        error_line(e.what());
        return e.exit_code();
    } catch (const SQLite::Exception& e) {
        error_line(fmt::format("database error: {}{}", e.what(), sqlite_hint(e.getErrorCode())));
        return exit_failure;
    } catch (const std::exception& e) {
        error_line(e.what());
        return exit_failure;
    }
}

} // namespace

} // namespace followup::cli
