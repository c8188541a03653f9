#pragma once
// The command families. Each setup_* adds its subcommands to the app, binding options to a
// struct and a callback that runs the command against the Context.

#include "context.hpp"

#include <CLI/CLI.hpp>

namespace followup::cli {

void setup_add(CLI::App& app, Context& ctx);         // add
void setup_due(CLI::App& app, Context& ctx);         // due
void setup_followups(CLI::App& app, Context& ctx);   // done, snooze, skip, reopen, chase, todo,
                                                     // promise, undo
void setup_log(CLI::App& app, Context& ctx);         // log, campaigns
void setup_stats(CLI::App& app, Context& ctx);       // stats
void setup_referrals(CLI::App& app, Context& ctx);   // referral receive/give/update, referrals
void setup_contacts(CLI::App& app, Context& ctx);    // contacts, show, edit, archive, rm,
                                                     // duplicates, merge
void setup_events(CLI::App& app, Context& ctx);      // events, event add
void setup_export(CLI::App& app, Context& ctx);      // export
void setup_import(CLI::App& app, Context& ctx);      // import
void setup_maintenance(CLI::App& app, Context& ctx); // doctor, backup, restore
/// Adds `db copy FROM TO` to the `db` command (whose `init` is the chapter's).
void add_db_copy(CLI::App& db, Context& ctx);
void setup_meetings(CLI::App& app, Context& ctx); // book, agenda
void setup_sync(CLI::App& app, Context& ctx);     // sync
void setup_chapter(CLI::App& app, Context& ctx);  // db init, member add/list
/// Refuses a SQLite location (UsageError naming `what`) before anything opens, and so creates,
/// the file: for the chapter's commands.
void require_server(Context& ctx, const char* what);

/// export contacts|followups --vdir DIR: writes the vdir, returns the summary to print;
/// `changed` (when given) is set when a file was written or removed.
std::string export_vdir(Context& ctx, const std::string& what, const std::string& dir,
                        bool* changed = nullptr);
/// import --vdir DIR: reads the vdir back, returns the summary to print (warnings on stderr).
std::string import_vdir(Context& ctx, const std::string& dir);

/// remind, config list, and the hidden __complete of the shell completions.
void setup_toolbox(CLI::App& app, Context& ctx);

/// Adds the repeatable --email, --phone, --address and --profile of `add` and `edit`.
void add_reach_options(CLI::App* cmd, std::vector<std::string>& emails,
                       std::vector<std::string>& phones, std::vector<std::string>& addresses,
                       std::vector<std::string>& profiles);

/// Adds `--format` to a listing command.
void add_format_option(CLI::App& cmd, Format& format);

/// The selection flags of commands that act on many contacts: --tag, --event, --stale.
struct SelectionOptions {
    std::string tag;
    std::string event;
    std::string stale;
};
/// Adds --tag, --event and --stale to a command.
void add_selection_options(CLI::App& cmd, SelectionOptions& o);
/// The contacts named and selected, for the core.
actions::Selection make_selection(std::vector<std::string> refs, const SelectionOptions& o,
                                  Context& ctx);

} // namespace followup::cli
