// followup book: a one-to-one booked; followup agenda: meetings and deadlines hour by hour.

#include "commands.hpp"

#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup::cli {
namespace {

struct BookOptions {
    std::string contact;
    std::string when;
    std::string where;
    std::string length;
    std::string note;
};

/// "1h", "90min", "1h 30min": a meeting's length for people.
std::string length_text(std::chrono::seconds s) {
    auto minutes = s.count() / 60;
    if (minutes % 60 == 0) return fmt::format("{}h", minutes / 60);
    if (minutes < 60) return fmt::format("{}min", minutes);
    return fmt::format("{}h {}min", minutes / 60, minutes % 60);
}

void run_book(const BookOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    When when = parse_when(o.when, tc);
    if (when.day)
        throw UsageError(fmt::format("book needs a time of day: '{}' is a whole day "
                                     "(try '{} 10am')",
                                     o.when, o.when));
    std::chrono::seconds length{3600};
    if (!o.length.empty()) {
        Duration d = parse_duration(o.length);
        if (d.unit == Unit::minutes)
            length = std::chrono::minutes{d.count};
        else if (d.unit == Unit::hours)
            length = std::chrono::hours{d.count};
        else
            throw UsageError(
                fmt::format("--for '{}': a meeting lasts minutes or hours (90min, 2h)", o.length));
    }
    actions::Env env = ctx.env();
    actions::Booked b = actions::book(env, o.contact, when.at, o.where, length, o.note);
    const Followup& m = b.meeting;
    std::string out = b.moved_from
                          ? fmt::format("Moved meeting {} from {} (it was booked already)\n", m.id,
                                        when_text(*b.moved_from, tc.zone))
                          : std::string();
    out += fmt::format("{} {}: {}, {} to {} ({}, {})\n", b.moved_from ? "Rebooked" : "Booked", m.id,
                       m.title, when_text(m.due, tc.zone),
                       format_local(actions::meeting_end(m), tc.zone).substr(11, 5),
                       length_text(length), relative_text(m.due, tc.now));
    if (b.arranged)
        out += fmt::format("Done {}: {} (arranged)\n", b.arranged->id, b.arranged->title);
    ctx.print(out);
}

struct AgendaOptions {
    std::string within;
    Format format{Format::table};
};

void run_agenda(const AgendaOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Duration window = o.within.empty() ? Duration{7, Unit::days} : parse_duration(o.within);
    Instant until = add(tc.now, window, tc.zone);
    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false);
    DueQuery q;
    q.until = until;
    std::vector<Followup> rows = repo.due(q);
    tx.commit();
    if (o.format != Format::table) {
        ctx.print(render_rows(rows, o.format));
        return;
    }
    if (rows.empty()) {
        ctx.print("Nothing on the agenda.\n");
        return;
    }
    std::string out;
    std::optional<date::local_days> day;
    bool overdue_head = false;
    for (const auto& f : rows) {
        if (f.due < tc.now && f.kind != Kind::meeting) {
            if (!overdue_head) out += ctx.styled("Overdue", fmt::emphasis::bold) + "\n";
            overdue_head = true;
            out += fmt::format("  {:<13} {:<8} {}  (#{})\n", relative_text(f.due, tc.now),
                               to_string(f.kind), text::one_line(f.title), f.id);
            continue;
        }
        date::local_days d = local_day(f.due, tc.zone);
        if (d != day) {
            day = d;
            out += (out.empty() ? "" : "\n") +
                   ctx.styled(format_local_day(f.due, tc.zone), fmt::emphasis::bold) + "\n";
        }
        std::string local = format_local(f.due, tc.zone);
        std::string hours = local.substr(11, 5);
        if (f.kind == Kind::meeting)
            hours += "-" + format_local(actions::meeting_end(f), tc.zone).substr(11, 5);
        else if (hours == "23:59")
            hours = "by end of day";
        out += fmt::format("  {:<13} {:<8} {}  (#{})\n", hours, to_string(f.kind),
                           text::one_line(f.title), f.id);
    }
    ctx.print(out);
}

} // namespace

void setup_meetings(CLI::App& app, Context& ctx) {
    auto book = std::make_shared<BookOptions>();
    auto* b = app.add_subcommand("book", "Book a one-to-one (completes the contact's open meet "
                                         "step as arranged)");
    b->add_option("CONTACT", book->contact, "#ID, ID or part of the name")->required();
    b->add_option("WHEN", book->when, "When it starts (a day and a time: 'thu 8am')")->required();
    b->add_option("--where", book->where, "Where")->type_name("PLACE");
    b->add_option("--for", book->length, "How long (default 1h)")->type_name("DURATION");
    b->add_option("--note", book->note, "What it is about")->type_name("TEXT");
    b->callback([book, &ctx] { run_book(*book, ctx); });

    auto agenda = std::make_shared<AgendaOptions>();
    auto* a = app.add_subcommand("agenda", "Meetings and deadlines hour by hour, day by day");
    a->add_option("--within", agenda->within, "How far ahead (default 7d)")->type_name("DURATION");
    add_format_option(*a, agenda->format);
    a->callback([agenda, &ctx] { run_agenda(*agenda, ctx); });
}

} // namespace followup::cli
