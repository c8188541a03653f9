// followup events / event add: where people were met, and what each event returned.

#include "commands.hpp"
#include "table.hpp"

#include <fmt/format.h>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup::cli {
namespace {

struct EventsOptions {
    Format format{Format::table};
};

std::string date_text(const std::optional<date::local_days>& d) {
    return d ? date::format("%F", *d) : std::string();
}

std::string share_text(int part, int whole) {
    if (whole == 0) return "-";
    return fmt::format("{}% ({}/{})", (part * 100 + whole / 2) / whole, part, whole);
}

std::string money(double v) {
    return v == 0 ? "-" : fmt::format("{:.2f}", v);
}

void run_events(const EventsOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false);
    auto events = repo.event_summaries(tc.now);
    tx.commit();

    if (o.format != Format::table) {
        std::vector<Record> records;
        for (const auto& s : events) {
            Record r;
            r["id"] = s.event.id;
            r["uuid"] = s.event.uuid;
            r["name"] = s.event.name;
            r["date"] = s.event.on ? Record(date_text(s.event.on)) : Record(nullptr);
            r["place"] = s.event.place.empty() ? Record(nullptr) : Record(s.event.place);
            r["people"] = s.people;
            r["steps_due"] = s.steps_due;
            r["steps_on_time"] = s.steps_on_time;
            r["one_to_ones"] = s.one_to_ones;
            r["referrals"] = s.referrals;
            r["closed"] = s.ledger.closed;
            r["given"] = s.ledger.given;
            r["created"] = format_utc(s.event.created);
            records.push_back(std::move(r));
        }
        ctx.print(
            render(records, o.format,
                   {"id", "uuid", "name", "date", "place", "people", "steps_due", "steps_on_time",
                    "one_to_ones", "referrals", "closed", "given", "created"}));
        return;
    }
    if (events.empty()) {
        ctx.print("No events yet. Add one with 'followup event add NAME' or 'followup add NAME "
                  "--event NAME'.\n");
        return;
    }
    Table table({"ID", "DATE", "EVENT", "PLACE", "PEOPLE", "24/7/30 ON TIME", "1:1S", "REFERRALS",
                 "CLOSED", "GIVEN"},
                {true, false, false, false, true, true, true, true, true, true});
    table.limit(2, 32);
    table.limit(3, 24);
    for (const auto& s : events)
        table.add({{std::to_string(s.event.id)},
                   {date_text(s.event.on)},
                   {s.event.name},
                   {s.event.place},
                   {std::to_string(s.people)},
                   {share_text(s.steps_on_time, s.steps_due)},
                   {std::to_string(s.one_to_ones)},
                   {std::to_string(s.referrals)},
                   {money(s.ledger.closed)},
                   {money(s.ledger.given)}});
    ctx.print(table.render(ctx.color()) +
              "\nCLOSED: business you closed from referrals you received; GIVEN: business others "
              "closed from referrals you gave.\n");
}

struct EventAddOptions {
    std::string name;
    std::string on;
    std::string where;
};

void run_event_add(const EventAddOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Event e;
    e.name = std::string(text::trim(o.name));
    if (e.name.empty()) throw UsageError("an event needs a name");
    e.on = local_day(tc.now, tc.zone);
    if (!o.on.empty()) {
        When w = parse_when(o.on, tc);
        e.on = w.day ? *w.day : local_day(w.at, tc.zone);
    }
    e.place = std::string(text::trim(o.where));
    actions::Env env = ctx.env();
    e = actions::add_event(env, e);
    ctx.print(fmt::format("Added event #{} {} on {}{}\n", e.id, e.name, date_text(e.on),
                          e.place.empty() ? "" : " at " + e.place));
}

} // namespace

void setup_events(CLI::App& app, Context& ctx) {
    auto list = std::make_shared<EventsOptions>();
    auto* l = app.add_subcommand("events", "Events and what each one returned");
    add_format_option(*l, list->format);
    l->callback([list, &ctx] { run_events(*list, ctx); });

    auto add = std::make_shared<EventAddOptions>();
    auto* ev = app.add_subcommand("event", "Manage events");
    ev->require_subcommand(1);
    auto* a = ev->add_subcommand("add", "Add an event");
    a->add_option("NAME", add->name, "The event's name")->required();
    a->add_option("--on", add->on, "Its date (default: today)")->type_name("DATE");
    a->add_option("--where", add->where, "Its place")->type_name("PLACE");
    a->callback([add, &ctx] { run_event_add(*add, ctx); });
}

} // namespace followup::cli
