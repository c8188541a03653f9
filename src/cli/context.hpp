#pragma once
// What every command shares: global options, the clock and zone, the database, and the output.

#include <fmt/color.h>
#include <followup/actions/actions.hpp>
#include <followup/domain/config.hpp>
#include <followup/interchange/formats.hpp>
#include <followup/store/repository.hpp>
#include <followup/time/dates.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace followup::cli {

/// Options every command takes.
struct GlobalOptions {
    std::string db;
    bool no_color{};
    std::string config;                ///< --config PATH
    std::vector<std::string> settings; ///< --set KEY=VALUE, in order
};

/// The state of one run of the program.
class Context {
public:
    GlobalOptions global;
    /// The process exit status a command asks for (3 for `due --fail-if-overdue`).
    int exit_status{0};
    /// The words of the command line after the program's name, as the undo log names them.
    std::string command_line;
    /// True when the command writes a machine format (`--format json|jsonl|csv|tsv`, `export`):
    /// print() then writes its text exactly as given, unless stdout is a terminal (there it is
    /// escaped like human output: a terminal runs the escape sequences of a stored name).
    bool exact_output{false};

    /// The current instant, read once (the clock is only read here).
    Instant now();
    /// Now and the local zone (TZ is only read here), found on first use: one TZif file.
    const TimeContext& time();
    /// The database, opened on first use, with `now()` as its clock.
    Repository& repo();
    /// The database for a command that only reads: when the file does not exist at the default
    /// location (or anywhere, when `missing_ok`: a dry run), an empty in-memory one, so that
    /// reading creates neither a file nor a folder; at a location given by --db or FOLLOWUP_DB,
    /// Error "no database at PATH".
    Repository& reader(bool missing_ok = false);
    /// What a use case of the core needs: the database, the time, the config, the command line.
    actions::Env env();
    /// The database's path (from --db, FOLLOWUP_DB or the XDG default), without opening it.
    std::string db_path() const;
    /// True when the database is a SQLite file that does not exist (yet): read-only commands
    /// then have nothing to read. A server is never missing (connecting tells). A location given
    /// by --db or FOLLOWUP_DB that does not exist throws Error naming it, unless `quiet` (the
    /// shell's completion).
    [[nodiscard]] bool database_missing(bool quiet = false) const;
    /// True when the location comes from --db or FOLLOWUP_DB (not the default one).
    [[nodiscard]] bool location_given() const;
    /// After a command that succeeded: "Created a new database at PATH" on stderr when this run
    /// created the database at a location given by --db or FOLLOWUP_DB (the default location is
    /// created silently).
    void announce_new_database();
    /// The configuration: the file (--config, else the XDG path) with --set applied on top.
    const Config& config();
    /// After a failed command: closes the database, and deletes it when this run created it and
    /// committed nothing to it, so that an error leaves no trace.
    void discard_new_database();
    /// True when stdout is a terminal and colour is allowed (`--no-color`, NO_COLOR).
    bool color();
    /// True when stdin is a terminal (interactive prompts).
    bool interactive() const;
    /// Writes text to stdout: for people, every control character in it (from names, notes,
    /// files) shown escaped, only the styles of styled() reaching the terminal as such; a
    /// machine format (exact_output) as it is when stdout is not a terminal.
    void print(std::string_view text);
    /// Text with a style when colour is on, plain otherwise.
    std::string styled(std::string_view text, fmt::text_style style);

private:
    /// Throws Error "no database at PATH ...".
    [[noreturn]] static void refuse_missing(const std::string& path);
    std::optional<Instant> now_;
    std::optional<TimeContext> time_;
    std::unique_ptr<Repository> repo_;
    std::optional<bool> color_;
    std::optional<bool> stdout_terminal_;
    std::optional<Config> config_;
};

/// Text with a terminal style whose escape sequences print() lets through: each ESC of the style
/// is marked with a secret of this process, which text from a database or a file cannot forge.
std::string terminal_style(std::string_view text, fmt::text_style style);

/// Text safe for a terminal (text::escape_controls), with the marked styles of terminal_style()
/// turned back into their escape sequences. Used by Context::print and for stderr.
std::string for_terminal(std::string_view text);

/// "Fri 2026-11-20 19:00" in the user's zone.
std::string when_text(Instant t, const Zone* zone);

/// Parses a follow-up id ("12" or "#12"); throws UsageError.
Id parse_id(std::string_view text, std::string_view what);

/// Parses ids and ranges ("36-43", "45"), dropping repeats but keeping the order given; throws
/// UsageError (a range of more than 10,000 ids is refused).
std::vector<Id> parse_ids(const std::vector<std::string>& args, std::string_view what);

/// How long ago for people: "3d ago", "just now".
std::string ago_text(Instant then, Instant now);

/// "Created #ID NAME" lines for contacts a command created on the fly.
std::string created_text(const std::vector<Contact>& created);

/// When a touch happened, from `--at` ("" is now): a date alone means the end of that day, or
/// now when that is later; anything in the future is a usage error.
Instant touch_time(const std::string& at, const TimeContext& tc);

/// "1 follow-up", "3 follow-ups".
std::string count_text(long long n, std::string_view noun);

/// Lateness or distance of a deadline for people: "2d overdue", "in 5h", "now".
std::string relative_text(Instant due, Instant now);

} // namespace followup::cli
