// followup import: contacts from LinkedIn, Google, vCard and CSV files, and followup's backups.

#include "commands.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <followup/actions/import.hpp>
#include <followup/actions/vdir_import.hpp>
#include <followup/interchange/importer.hpp>
#include <followup/interchange/vdir.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
#include <iostream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace followup::cli {
namespace {

struct ImportCliOptions {
    std::string file;
    std::string format = "auto";
    bool dry_run{};
    bool strict{};
    std::string vdir;
};

/// The most an import reads from a file and from stdin, the most one record of stdin may take
/// (a CSV row, a vCard, a line of JSON), and the most records a file may hold: stdin is read as
/// it arrives, one record at a time, and no input can fill the memory.
constexpr std::size_t file_limit = std::size_t{1} << 30;
constexpr std::size_t stdin_limit = std::size_t{256} << 20;
constexpr std::size_t stdin_record_limit = std::size_t{1} << 20;
constexpr std::size_t record_count_limit = 500'000;

ReadOptions read_options(const TimeContext& tc) {
    ReadOptions options;
    options.zone = tc.zone;
    options.total_limit = file_limit;
    options.record_count_limit = record_count_limit;
    return options;
}

/// Reads FILE, or stdin for "-", record by record (a regular file only: a FIFO or a device is
/// refused, never waited on).
ImportData read_import(const std::string& file, ImportFormat format, const TimeContext& tc) {
    ReadOptions options = read_options(tc);
    if (file == "-") {
        options.total_limit = stdin_limit;
        options.record_limit = stdin_record_limit;
        ImportSource in = [](char* buffer, std::size_t size) -> std::size_t {
            for (;;) {
                ssize_t n = ::read(STDIN_FILENO, buffer, size);
                if (n >= 0) return static_cast<std::size_t>(n);
                if (errno != EINTR)
                    throw Error(fmt::format("cannot read stdin: {}", std::strerror(errno)));
            }
        };
        return parse_import(in, format, file, options);
    }
    RegularFile f(file);
    if (f.size() > file_limit)
        throw Error(
            fmt::format("cannot read {}: it is larger than {} MiB", file, file_limit >> 20));
    ImportSource in = [&f](char* buffer, std::size_t size) { return f.read(buffer, size); };
    return parse_import(in, format, file, options);
}

/// Writes "followup: warning: ..." on stderr, control characters escaped.
void warn(const std::string& message) {
    std::string line = fmt::format("followup: warning: {}\n", for_terminal(message));
    std::fwrite(line.data(), 1, line.size(), stderr);
}

/// A progress bar on stderr, redrawn when the percentage changes.
class Progress {
public:
    explicit Progress(bool on) : on_(on) {}
    ~Progress() { clear(); }
    /// Takes the bar off the screen (before the summary is printed).
    void clear() {
        if (drawn_) std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        drawn_ = false;
    }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void operator()(std::size_t done, std::size_t total) {
        if (!on_ || total < threshold) return;
        int percent = static_cast<int>(done * 100 / total);
        if (percent == last_) return;
        last_ = percent;
        constexpr int width = 30;
        int filled = percent * width / 100;
        std::fprintf(stderr, "\rimporting [%s%s] %3d%% %zu/%zu\033[K",
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), percent,
                     done, total);
        std::fflush(stderr);
        drawn_ = true;
    }

    static constexpr std::size_t threshold = 2000; ///< records before a bar is worth showing

private:
    bool on_;
    bool drawn_{};
    int last_{-1};
};

std::string_view verb(ImportAction::What what, bool dry_run) {
    switch (what) {
    case ImportAction::What::add:
        return dry_run ? "would add" : "added";
    case ImportAction::What::update:
        return dry_run ? "would update" : "updated";
    case ImportAction::What::unchanged:
        return "unchanged";
    case ImportAction::What::skip:
        return dry_run ? "would skip" : "skipped";
    }
    return "";
}

/// True when a file's first bytes are those of a followup backup: an object whose first key is
/// "format" (as `export all --format json` writes it), after a byte-order mark and white space.
bool starts_like_backup(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    auto skip_space = [&head] {
        while (!head.empty() &&
               (head[0] == ' ' || head[0] == '\t' || head[0] == '\r' || head[0] == '\n'))
            head.remove_prefix(1);
    };
    skip_space();
    if (!head.starts_with('{')) return false;
    head.remove_prefix(1);
    skip_space();
    return head.starts_with("\"format\"");
}

/// Imports of more records than this are not recorded for undo.
constexpr std::size_t undoable_import_records = 2000;

ImportReport merge(const ImportCliOptions& o, ImportFormat format, Context& ctx,
                   const ImportOptions& options, ImportData& data);
void print_report(const ImportCliOptions& o, const ImportData& data, const ImportReport& report,
                  Context& ctx);

void run_import(const ImportCliOptions& o, Context& ctx) {
    if (!o.vdir.empty()) {
        if (!o.file.empty()) throw UsageError("import reads a FILE or a --vdir DIR, not both");
        if (o.dry_run || o.strict || text::lower(o.format) != "auto")
            throw UsageError("--vdir takes no --dry-run, --strict or --format");
        ctx.print(import_vdir(ctx, o.vdir));
        return;
    }
    if (o.file.empty()) throw UsageError("import needs a FILE (or - for stdin) or --vdir DIR");
    ImportFormat format = parse_import_format(o.format);
    const TimeContext& tc = ctx.time();
    Progress progress(::isatty(STDERR_FILENO) == 1);
    ImportOptions options;
    options.dry_run = o.dry_run;
    options.keep_actions = o.dry_run;
    options.birthday_days = ctx.config().times.birthday_days;
    options.progress = [&progress](std::size_t done, std::size_t total) { progress(done, total); };
    ImportData data;
    ImportReport report;
    auto finish = [&](const ImportReport& done) {
        progress.clear();
        print_report(o, data, done, ctx);
    };
    // A full backup restored into an empty database is written as it is read (restore_backup);
    // any other file, or that one when it turns out not to be such a backup, is read whole
    // first, then merged.
    bool restored = false;
    if (!o.dry_run && o.file != "-" &&
        (format == ImportFormat::automatic || format == ImportFormat::json)) {
        RegularFile f(o.file);
        if (f.size() > file_limit)
            throw Error(
                fmt::format("cannot read {}: it is larger than {} MiB", o.file, file_limit >> 20));
        // Its first bytes tell a backup (an object whose first key is "format") from anything
        // else before the database is opened for it; they are then read again from memory.
        std::string head(512, '\0');
        head.resize(f.read(head.data(), head.size()));
        std::size_t served = 0;
        ImportSource in = [&](char* buffer, std::size_t size) {
            if (served < head.size()) {
                std::size_t n = std::min(size, head.size() - served);
                std::memcpy(buffer, head.data() + served, n);
                served += n;
                return n;
            }
            return f.read(buffer, size);
        };
        if (!starts_like_backup(head)) return finish(merge(o, format, ctx, options, data));
        Repository& repo = ctx.repo();
        Repository::Transaction tx(repo, true, ctx.command_line);
        RestoreOptions restore;
        restore.size = f.size();
        restore.large_records = undoable_import_records;
        restore.large = [&tx] { tx.unrecorded(); };
        if (auto r = restore_backup(repo, in, o.file, read_options(tc), tc, options, restore)) {
            tx.commit();
            report = std::move(*r);
            data.format = ImportFormat::json;
            data.full_backup = true;
            restored = true;
        }
    } // not restored: rolled back
    if (!restored) report = merge(o, format, ctx, options, data);
    finish(report);
}

/// Reads the file whole, then merges it into the database (or shows what that would do).
ImportReport merge(const ImportCliOptions& o, ImportFormat format, Context& ctx,
                   const ImportOptions& options, ImportData& data) {
    const TimeContext& tc = ctx.time();
    data = read_import(o.file, format, tc);
    std::string name = o.file == "-" ? "<stdin>" : o.file;
    const auto& unreadable = data.unreadable;
    if (o.strict && !unreadable.empty()) {
        std::size_t more = unreadable.size() - 1;
        throw Error(fmt::format(
            "{}:{}: {}{}; nothing imported (--strict)", name, unreadable.front().line,
            unreadable.front().reason,
            more ? fmt::format(" (and {} more unreadable record{})", more, more == 1 ? "" : "s")
                 : ""));
    }
    // --strict takes nothing it could not read exactly: a field kept with U+FFFD neither.
    if (o.strict && !data.repaired.empty())
        throw Error(fmt::format("{}:{}: {} is not valid UTF-8; nothing imported (--strict)", name,
                                data.repaired.front().line, data.repaired.front().field));

    // A dry run against a database that does not exist yet must not create it (the reader is
    // then an empty in-memory database).
    // A dry run previews a write: on a database not created yet, everything would be added.
    Repository& repo = o.dry_run ? ctx.reader(true) : ctx.repo();

    ImportReport report;
    {
        Repository::Transaction tx(repo, true, ctx.command_line);
        // Recording a changeset costs about 40% of an import's time and as much memory again:
        // a large import is left out of the undo log (a barrier that undo will not cross).
        std::size_t records = data.contacts.size() + data.followups.size() +
                              data.interactions.size() + data.referrals.size() + data.events.size();
        if (records > undoable_import_records) tx.unrecorded();
        report = apply_import(repo, data, tc, options);
        if (!o.dry_run) tx.commit(); // a dry run rolls everything back
    }
    return report;
}

/// What an import did: the summary, the records that could not be read, possible duplicates.
void print_report(const ImportCliOptions& o, const ImportData& data, const ImportReport& report,
                  Context& ctx) {
    std::string name = o.file == "-" ? "<stdin>" : o.file;
    const auto& unreadable = data.unreadable;
    std::string out;
    if (o.dry_run) {
        for (const auto& a : report.actions) {
            if (a.what == ImportAction::What::unchanged) continue;
            if (a.name.empty())
                out += fmt::format("{:<13} {}\n", verb(a.what, true), a.detail);
            else
                out += fmt::format("{:<13} {:<12} {}{}\n", verb(a.what, true), a.record, a.name,
                                   a.detail.empty() ? "" : "  (" + a.detail + ")");
        }
    }
    out += fmt::format("{} {} ({}): {} {}, {} {}, {} unchanged, {} skipped",
                       o.dry_run ? "Dry run of" : "Imported", name, to_string(data.format),
                       report.added, o.dry_run ? "would be added" : "added", report.updated,
                       o.dry_run ? "would be updated" : "updated", report.unchanged,
                       report.skipped + unreadable.size() + data.groups);
    std::vector<std::string> why;
    if (!unreadable.empty()) why.push_back(fmt::format("{} unreadable", unreadable.size()));
    if (data.groups)
        why.push_back(fmt::format("{} contact group{}", data.groups, data.groups == 1 ? "" : "s"));
    if (data.skipped)
        why.push_back(fmt::format("{} without a name{}", data.skipped,
                                  data.format == ImportFormat::linkedin
                                      ? ": LinkedIn members who restrict their data"
                                      : ""));
    if (!why.empty()) out += " (" + text::join(why, ", ") + ")";
    out += ".\n";
    // Each record that could not be read, with its line and why.
    constexpr std::size_t listed = 20;
    for (std::size_t i = 0; i < unreadable.size() && i < listed; ++i)
        out += fmt::format("{} {}:{}: {}\n", o.dry_run ? "Would skip" : "Skipped", name,
                           unreadable[i].line, text::one_line(unreadable[i].reason));
    if (unreadable.size() > listed)
        out += fmt::format("... and {} more unreadable records\n", unreadable.size() - listed);
    // Same-name contacts that nothing tells apart: added, and named so that they can be merged.
    const auto& doubles = report.possible_duplicates;
    for (std::size_t i = 0; i < doubles.size() && i < listed; ++i)
        out += doubles[i].why.empty()
                   ? fmt::format("Possible duplicate: {}:{}: {} {} #{} beside #{} of the same "
                                 "name (no email, phone or profile tells them apart)\n",
                                 name, doubles[i].line, doubles[i].name,
                                 o.dry_run ? "would be added as" : "added as", doubles[i].added,
                                 doubles[i].existing)
                   : fmt::format("Possible duplicate: {}:{}: {} {} #{} beside #{} ({})\n", name,
                                 doubles[i].line, doubles[i].name,
                                 o.dry_run ? "would be added as" : "added as", doubles[i].added,
                                 doubles[i].existing, doubles[i].why);
    if (doubles.size() > listed)
        out += fmt::format("... and {} more possible duplicates\n", doubles.size() - listed);
    if (!doubles.empty())
        out += fmt::format("{} with 'followup duplicates'; merge with 'followup merge A B'.\n",
                           o.dry_run ? "After the import, list them" : "List them");
    if (report.touches)
        out += fmt::format("{} {} LinkedIn connection{} as touches.\n",
                           o.dry_run ? "Would log" : "Logged", report.touches,
                           report.touches == 1 ? "" : "s");
    if (o.dry_run) out += "Nothing was written.\n";
    ctx.print(out);
    // A field that was not UTF-8: its person is imported, the bad bytes as U+FFFD.
    constexpr std::size_t warned = 20;
    for (std::size_t i = 0; i < data.repaired.size() && i < warned; ++i)
        warn(fmt::format("{}:{}: {} is not valid UTF-8; kept with U+FFFD for the bad bytes", name,
                         data.repaired[i].line, data.repaired[i].field));
    if (data.repaired.size() > warned)
        warn(fmt::format("... and {} more fields that are not valid UTF-8",
                         data.repaired.size() - warned));
    if (!unreadable.empty())
        warn(fmt::format("{} unreadable record{} of {} skipped (first {}:{}); --strict refuses "
                         "such a file",
                         unreadable.size(), unreadable.size() == 1 ? "" : "s", name, name,
                         unreadable.front().line));
}

} // namespace

std::string import_vdir(Context& ctx, const std::string& dir) {
    actions::Env env = ctx.env();
    if (env.command.empty()) env.command = "import --vdir " + dir;
    vdir::ImportReport r = vdir::import_dir(env, dir);
    std::string out =
        fmt::format("Imported {} (vdir): {} added, {} updated, {} unchanged, {} skipped", dir,
                    r.added, r.updated, r.unchanged, r.skipped + r.unreadable.size());
    if (!r.unreadable.empty()) out += fmt::format(" ({} unreadable)", r.unreadable.size());
    out += ".\n";
    if (r.done || r.cancelled)
        out += fmt::format("{} follow-up{} done, {} cancelled on the other device.\n", r.done,
                           r.done == 1 ? "" : "s", r.cancelled);
    for (const auto& c : r.conflicts)
        out += fmt::format("Conflict: {}\n", text::one_line(c));
    for (const auto& u : r.unreadable)
        out += fmt::format("Skipped {}\n", text::one_line(u));
    if (!r.unreadable.empty())
        warn(fmt::format("{} unreadable file{} in {} skipped", r.unreadable.size(),
                         r.unreadable.size() == 1 ? "" : "s", dir));
    return out;
}

void setup_import(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ImportCliOptions>();
    auto* cmd = app.add_subcommand(
        "import", "Import contacts: LinkedIn Connections.csv, Google Contacts CSV, vCard, CSV "
                  "with a header, or followup's own JSON");
    cmd->add_option("FILE", o->file, "The file to read, or - for stdin");
    cmd->add_option("--vdir", o->vdir,
                    "Read back a folder of .vcf/.ics files (see export --vdir): completed "
                    "to-dos are done, edited cards update contacts, new cards are added")
        ->type_name("DIR");
    cmd->add_option("--format", o->format,
                    "auto (default), json, csv, tsv, linkedin, google or vcf")
        ->type_name("FORMAT");
    cmd->add_flag("--dry-run,-n", o->dry_run,
                  "Show what would be added, updated and skipped; write nothing");
    cmd->add_flag("--strict", o->strict,
                  "Refuse the whole file (exit 1, nothing written) when a record cannot be read");
    cmd->callback([o, &ctx] { run_import(*o, ctx); });
}

} // namespace followup::cli
