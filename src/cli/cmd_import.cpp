// followup import: contacts from LinkedIn, Google, vCard and CSV files, and followup's backups.

#include "commands.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <followup/errors.hpp>
#include <followup/files.hpp>
#include <followup/importer.hpp>
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
};

/// The most an import reads from a file, and from stdin; one line of stdin (one record of
/// followup's JSON, one CSV row) at most.
constexpr std::size_t file_limit = std::size_t{1} << 30;
constexpr std::size_t stdin_limit = std::size_t{256} << 20;
constexpr std::size_t line_limit = std::size_t{1} << 20;

/// All of stdin, read in blocks (as fast as a file). Fails as soon as the input cannot be an
/// import: a line over 1 MiB, more than 256 MiB in all, or a beginning that check_import_head
/// refuses (`yes | followup import -` ends after its first 64 KiB).
std::string read_stdin(ImportFormat format) {
    std::string text;
    std::size_t line_start = 0; // where the line being read starts
    std::size_t line = 1;
    bool head_checked = false;
    std::vector<char> buf(std::size_t{1} << 16);
    for (;;) {
        ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("cannot read stdin: {}", std::strerror(errno)));
        }
        if (n == 0) break;
        const std::size_t old = text.size();
        text.append(buf.data(), static_cast<std::size_t>(n));
        for (const char* p = text.data() + old;
             (p = static_cast<const char*>(std::memchr(
                  p, '\n', text.size() - static_cast<std::size_t>(p - text.data())))) != nullptr;
             ++p) {
            line_start = static_cast<std::size_t>(p - text.data()) + 1;
            ++line;
        }
        if (text.size() - line_start > line_limit)
            import_error("-", line,
                         "a line longer than 1 MiB (stdin takes lines of up to 1 MiB; import "
                         "the file by its name instead)");
        if (text.size() > stdin_limit)
            import_error("-", 0, "more than 256 MiB (import the file by its name instead)");
        if (!head_checked && text.size() >= buf.size()) {
            check_import_head(std::string_view(text).substr(0, line_start), format, "-");
            head_checked = true;
        }
    }
    return text;
}

/// The whole file (a regular file only: a FIFO or a device is refused, never waited on), or
/// stdin for "-".
std::string read_input(const std::string& file, ImportFormat format) {
    if (file == "-") return read_stdin(format);
    return read_regular_file(file, file_limit);
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

/// Imports of more records than this are not recorded for undo.
constexpr std::size_t undoable_import_records = 2000;

void run_import(const ImportCliOptions& o, Context& ctx) {
    ImportFormat format = parse_import_format(o.format);
    const TimeContext& tc = ctx.time();
    std::string text = read_input(o.file, format);
    ImportData data = parse_import(text, format, o.file);
    text.clear();
    text.shrink_to_fit();

    // A dry run against a database that does not exist yet must not create it.
    std::unique_ptr<Repository> scratch;
    struct stat st {};
    if (o.dry_run && ::stat(ctx.db_path().c_str(), &st) != 0) {
        scratch = std::make_unique<Repository>(":memory:");
        scratch->set_now(tc.now);
    }
    Repository& repo = scratch ? *scratch : ctx.repo();

    Progress progress(::isatty(STDERR_FILENO) == 1);
    ImportOptions options;
    options.dry_run = o.dry_run;
    options.keep_actions = o.dry_run;
    options.birthday_days = ctx.config().times.birthday_days;
    options.progress = [&progress](std::size_t done, std::size_t total) { progress(done, total); };
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
    progress.clear();

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
    std::string name = o.file == "-" ? "<stdin>" : o.file;
    out +=
        fmt::format("{} {} ({}): {} {}, {} {}, {} unchanged, {} skipped",
                    o.dry_run ? "Dry run of" : "Imported", name, to_string(data.format),
                    report.added, o.dry_run ? "would be added" : "added", report.updated,
                    o.dry_run ? "would be updated" : "updated", report.unchanged, report.skipped);
    if (data.skipped)
        out += fmt::format(" ({} without a name{})", data.skipped,
                           data.format == ImportFormat::linkedin
                               ? ": LinkedIn members who restrict their data"
                               : "");
    out += ".\n";
    if (report.touches)
        out += fmt::format("{} {} LinkedIn connection{} as touches.\n",
                           o.dry_run ? "Would log" : "Logged", report.touches,
                           report.touches == 1 ? "" : "s");
    if (o.dry_run) out += "Nothing was written.\n";
    ctx.print(out);
}

} // namespace

void setup_import(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ImportCliOptions>();
    auto* cmd = app.add_subcommand(
        "import", "Import contacts: LinkedIn Connections.csv, Google Contacts CSV, vCard, CSV "
                  "with a header, or followup's own JSON");
    cmd->add_option("FILE", o->file, "The file to read, or - for stdin")->required();
    cmd->add_option("--format", o->format, "auto (default), json, csv, linkedin, google or vcf")
        ->type_name("FORMAT");
    cmd->add_flag("--dry-run,-n", o->dry_run,
                  "Show what would be added, updated and skipped; write nothing");
    cmd->callback([o, &ctx] { run_import(*o, ctx); });
}

} // namespace followup::cli
