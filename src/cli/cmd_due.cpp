// followup due: what is owed now, overdue first.

#include "commands.hpp"
#include "table.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/util/errors.hpp>

namespace followup::cli {
namespace {

struct DueOptions {
    std::string within;
    bool overdue{};
    bool all{};
    std::string contact;
    std::string kind;
    std::string event;
    bool fail_if_overdue{};
    bool count{};
    Format format{Format::table};
};

enum class Section { overdue, today, upcoming };

Section section_of(const Followup& f, Instant now, Instant end_of_today) {
    if (f.due < now) return Section::overdue;
    if (f.due <= end_of_today) return Section::today;
    return Section::upcoming;
}

/// The table of the listing. It takes the rows: they go before the table is drawn, so that the
/// text reuses their memory (at 100,000 contacts, 700 follow-ups are about 250 KB).
std::string render_table(std::vector<Followup> rows, Context& ctx, Instant end_of_today) {
    const TimeContext& tc = ctx.time();
    Table table({"ID", "DUE", "WHEN", "CONTACT", "KIND", "WHAT", "CHANNEL", "LINK"},
                {true, false, false, false, false, false, false, false});
    table.limit(3, 28);
    table.limit(5, 60);
    const char* titles[] = {"Overdue", "Today", "Upcoming"};
    fmt::text_style styles[] = {fg(fmt::terminal_color::red) | fmt::emphasis::bold,
                                fg(fmt::terminal_color::yellow) | fmt::emphasis::bold,
                                fmt::emphasis::bold};
    std::optional<Section> current;
    for (const auto& f : rows) {
        Section s = section_of(f, tc.now, end_of_today);
        if (s != current) {
            current = s;
            table.section(titles[static_cast<int>(s)], styles[static_cast<int>(s)]);
        }
        std::optional<fmt::text_style> when_style;
        if (s == Section::overdue) when_style = fg(fmt::terminal_color::red);
        if (s == Section::today) when_style = fg(fmt::terminal_color::yellow);
        table.add({{std::to_string(f.id)},
                   {when_text(f.due, tc.zone)},
                   {relative_text(f.due, tc.now), when_style},
                   {f.contact},
                   {std::string(to_string(f.kind))},
                   {f.title},
                   {channel_label(f.channel)},
                   {reach_text(f), fg(fmt::terminal_color::cyan)}});
    }
    std::vector<Followup>().swap(rows);
    return table.render(ctx.color());
}

void run_due(const DueOptions& o, Context& ctx) {
    if (o.overdue && o.all) throw UsageError("--overdue and --all do not go together");
    if (o.all && !o.within.empty()) throw UsageError("--within and --all do not go together");
    if (o.count && o.format != Format::table)
        throw UsageError("--count and --format do not go together");
    std::optional<Duration> within;
    if (!o.within.empty()) within = parse_duration(o.within);
    DueQuery query;
    if (!o.kind.empty()) query.kind = parse_kind(o.kind);
    // The table needs only the listing's fields; json, csv and tsv need them all.
    query.listing = o.format == Format::table;

    // A prompt in a new account must not create the database.
    if (o.count && ctx.database_missing()) return ctx.print("0\n");

    Repository& repo = ctx.reader();
    // Each page of the listing is read once: a page cache of 256 KiB instead of SQLite's 2 MiB
    // keeps the hot inner pages and the peak RSS down (see expect_bulk).
    repo.expect_bulk(false);
    Repository::Transaction tx(repo, false);
    if (!o.contact.empty()) query.contact_id = actions::resolve_contact(repo, o.contact).id;
    if (!o.event.empty()) {
        auto e = repo.find_event(o.event);
        if (!e) throw NotFound(fmt::format("no event named '{}'", o.event));
        query.event_id = e->id;
    }
    const TimeContext& tc = ctx.time();
    Instant end_of_today = end_of_day(local_day(tc.now, tc.zone), tc.zone);
    if (!o.all) {
        if (o.overdue) {
            query.until = tc.now - std::chrono::seconds{1};
        } else {
            query.until = end_of_today;
            if (within) query.until = std::max(end_of_today, add(tc.now, *within, tc.zone));
        }
    }
    if (o.count) {
        // A shell prompt runs this: the database counts, no row is read.
        Repository::DueCount n = repo.count_due(query);
        tx.commit();
        ctx.print(fmt::format("{}\n", n.rows));
        if (o.fail_if_overdue && n.earliest && *n.earliest < tc.now) ctx.exit_status = 3;
        return;
    }
    std::vector<Followup> rows = repo.due(query);
    std::optional<Followup> next;
    if (rows.empty() && o.format == Format::table && query.until) {
        DueQuery later = query;
        later.until.reset();
        later.limit = 1;
        auto all = repo.due(later);
        if (!all.empty()) next = all.front();
    }
    tx.commit();

    bool any_overdue =
        std::any_of(rows.begin(), rows.end(), [&](const Followup& f) { return f.due < tc.now; });
    if (o.format == Format::table) {
        if (rows.empty()) {
            std::string msg = o.overdue ? "Nothing overdue." : "Nothing due.";
            if (next)
                msg +=
                    fmt::format(" Next: {} for {}, {} ({}).", to_string(next->kind), next->contact,
                                when_text(next->due, tc.zone), relative_text(next->due, tc.now));
            ctx.print(msg + "\n");
        } else {
            ctx.print(render_table(std::move(rows), ctx, end_of_today));
        }
    } else {
        // Written straight from the rows, as the exports are (no JSON object per row).
        ctx.print(render_rows(rows, o.format));
    }
    if (o.fail_if_overdue && any_overdue) ctx.exit_status = 3;
}

} // namespace

void setup_due(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DueOptions>();
    auto* cmd = app.add_subcommand("due", "List open follow-ups: overdue, today, then upcoming");
    cmd->add_option("--within", o->within, "Also show what is due within this time (e.g. 3d, 2w)")
        ->type_name("DURATION");
    cmd->add_flag("--overdue", o->overdue, "Only what is overdue");
    cmd->add_flag("--all", o->all, "Every open follow-up, however far ahead");
    cmd->add_option("--contact", o->contact, "Only this contact")->type_name("CONTACT");
    cmd->add_option("--kind", o->kind, "Only this kind (note, connect, meet, ...)")
        ->type_name("KIND");
    cmd->add_option("--event", o->event, "Only people met at this event")->type_name("EVENT");
    cmd->add_flag("--fail-if-overdue", o->fail_if_overdue,
                  "Exit with status 3 when anything is "
                  "overdue");
    cmd->add_flag("--count", o->count, "Print only how many there are (for a shell prompt)");
    add_format_option(*cmd, o->format);
    cmd->callback([o, &ctx] { run_due(*o, ctx); });
}

} // namespace followup::cli
