// followup export: everything out, for scripts, calendars and address books.

#include "commands.hpp"

#include <fmt/format.h>
#include <followup/actions/backup.hpp>
#include <followup/interchange/formats.hpp>
#include <followup/interchange/ical.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/interchange/vdir.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup::cli {
namespace {

struct ExportOptions {
    std::string what;
    std::string format = "json";
    bool todo{};
    std::string vcard = "3.0";
    std::string vdir;
    bool format_given{};
};

/// The ICS options of the config and the clock.
IcsOptions ics_options(Context& ctx) {
    IcsOptions ics;
    ics.stamp = ctx.now();
    ics.zone = ctx.time().zone;
    const Duration& before = ctx.config().remind_meeting;
    static constexpr std::int64_t unit_seconds[] = {60, 3600, 86400, 7 * 86400};
    ics.alarm = std::chrono::seconds{before.count * unit_seconds[static_cast<int>(before.unit)]};
    return ics;
}

} // namespace

std::string export_vdir(Context& ctx, const std::string& what, const std::string& dir,
                        bool* changed) {
    std::vector<vdir::Item> items;
    {
        Repository& repo = ctx.reader();
        Repository::Transaction tx(repo, false); // one consistent snapshot
        bool meetings_apart = !ctx.config().sync_meetings_dir.empty();
        items =
            what == "contacts" ? vdir::contact_items(repo.all_contacts())
            : what == "meetings"
                ? vdir::meeting_items(repo.all_followups(true), ics_options(ctx))
                : vdir::followup_items(repo.all_followups(true), ics_options(ctx), !meetings_apart);
    }
    vdir::ExportReport r = vdir::export_items(dir, what == "contacts" ? ".vcf" : ".ics", items);
    if (changed) *changed = r.written + r.removed > 0;
    std::string out = fmt::format("Exported {} to {}: {} written, {} unchanged, {} removed.\n",
                                  what == "followups" ? "follow-ups" : what, dir, r.written,
                                  r.unchanged, r.removed);
    if (!r.removed_there.empty())
        out += fmt::format("Kept off {} contact{} deleted from the address book there (see "
                           "'followup sync --status').\n",
                           r.removed_there.size(), r.removed_there.size() == 1 ? "" : "s");
    if (!r.unread.empty())
        out += fmt::format("Left {} file{} changed there since followup wrote or read {} ({}): "
                           "run 'followup import --vdir {}' first.\n",
                           r.unread.size(), r.unread.size() == 1 ? "" : "s",
                           r.unread.size() == 1 ? "it" : "them", text::join(r.unread, ", "), dir);
    return out;
}

namespace {

void run_export(const ExportOptions& o, Context& ctx) {
    std::string format = text::lower(o.format);
    std::string what = text::lower(o.what);
    static const std::vector<std::string> sets{"contacts", "followups", "interactions", "referrals",
                                               "all"};
    if (!what.empty() && std::find(sets.begin(), sets.end(), what) == sets.end())
        throw UsageError(fmt::format("cannot export '{}' (one of contacts, followups, "
                                     "interactions, referrals, all)",
                                     o.what));
    if (!o.vdir.empty()) {
        if (what != "contacts" && what != "followups")
            throw UsageError("--vdir exports contacts or followups: 'export contacts --vdir DIR' "
                             "or 'export followups --vdir DIR'");
        if (o.format_given || o.todo || o.vcard != "3.0")
            throw UsageError("--vdir writes vCard 3.0 or VTODO files: it takes no --format, "
                             "--todo or --vcard");
        // A summary for people (folder and file names), not a machine format: escaped.
        ctx.exact_output = false;
        ctx.print(export_vdir(ctx, what, o.vdir));
        return;
    }
    if (format != "ics" && o.todo) throw UsageError("--todo goes with --format ics");
    if (format != "vcf" && o.vcard != "3.0") throw UsageError("--vcard goes with --format vcf");

    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false); // one consistent snapshot
    if (format == "ics") {
        if (!what.empty() && what != "followups")
            throw UsageError("--format ics exports follow-ups: use 'export followups --format "
                             "ics'");
        IcsOptions ics = ics_options(ctx);
        ics.todo = o.todo;
        ctx.print(write_ics(repo.all_followups(true), ics));
        return;
    }
    if (format == "vcf" || format == "vcard") {
        if (!what.empty() && what != "contacts")
            throw UsageError("--format vcf exports contacts: use 'export contacts --format vcf'");
        int version = 0;
        if (o.vcard == "3.0" || o.vcard == "3")
            version = 3;
        else if (o.vcard == "4.0" || o.vcard == "4")
            version = 4;
        else
            throw UsageError(fmt::format("unknown vCard version '{}' (3.0 or 4.0)", o.vcard));
        ctx.print(write_vcards(repo.all_contacts(), version));
        return;
    }
    Format f = parse_format(format);
    if (f == Format::table)
        throw UsageError("export writes json, jsonl, csv, tsv, ics or vcf, not a table");
    if (what.empty()) what = f == Format::json ? "all" : "contacts";
    if (what == "all") {
        if (f != Format::json)
            throw UsageError("'export all' is a JSON backup: use --format json, or export one "
                             "kind of record (contacts, followups, interactions, referrals)");
        export_backup(repo, ctx.now(), [&ctx](std::string_view text) { ctx.print(text); });
        return;
    }
    // Written straight from the rows, without a Record per row.
    if (what == "contacts")
        ctx.print(render_rows(repo.all_contacts(), f));
    else if (what == "followups")
        ctx.print(render_rows(repo.all_followups(), f));
    else if (what == "interactions")
        ctx.print(render_rows(repo.all_interactions(), f));
    else
        ctx.print(render_rows(repo.referrals("", false), f));
}

} // namespace

void setup_export(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ExportOptions>();
    auto* cmd = app.add_subcommand(
        "export", "Write contacts, follow-ups, interactions or referrals to stdout (all: a "
                  "complete JSON backup)");
    cmd->add_option("WHAT", o->what,
                    "contacts, followups, interactions, referrals or all (default: all for "
                    "json, followups for ics, contacts otherwise)");
    auto* format =
        cmd->add_option("--format", o->format, "json (default), jsonl, csv, tsv, ics or vcf")
            ->type_name("FORMAT");
    cmd->add_flag("--todo", o->todo, "ics: to-dos (VTODO) instead of timed events");
    cmd->add_option("--vcard", o->vcard, "vcf: vCard version, 3.0 (default) or 4.0")
        ->type_name("VERSION");
    cmd->add_option("--vdir", o->vdir,
                    "Write contacts (.vcf) or follow-ups (.ics, one VTODO) into a folder, one "
                    "file per item named by UUID, for vdirsyncer, khard and khal")
        ->type_name("DIR");
    cmd->callback([o, format, &ctx] {
        o->format_given = format->count() > 0;
        run_export(*o, ctx);
    });
}

} // namespace followup::cli
