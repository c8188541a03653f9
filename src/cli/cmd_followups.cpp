// followup done / snooze / skip / reopen / chase / todo / promise / undo: acting on follow-ups.
// Each parses its options, calls one use case of the core, and prints the result.

#include "commands.hpp"

#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/domain/channels.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup::cli {
namespace {

/// A follow-up as the write commands print it: id, kind, deadline, distance, title.
std::string step_line(const Followup& f, const TimeContext& tc) {
    return fmt::format("  {:>4}  {:<8} {}  {:<10}  {}\n", f.id, to_string(f.kind),
                       when_text(f.due, tc.zone), relative_text(f.due, tc.now), f.title);
}

struct DoneOptions {
    std::vector<std::string> ids;
    std::string note;
    std::string at;
    std::string via;
};

void run_done(const DoneOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    std::vector<Id> ids = parse_ids(o.ids, "follow-up");
    actions::DoneInput in{o.note, touch_time(o.at, tc),
                          o.via.empty() ? "" : known_channel(o.via, ctx.config().custom_channels)};
    actions::Env env = ctx.env();
    actions::DoneResult r = actions::done(env, ids, in);
    std::string out;
    for (const auto& c : r.closed) {
        std::string timing = c.late_seconds == 0
                                 ? "on time"
                                 : humanize(std::chrono::seconds{c.late_seconds}) + " late";
        if (c.theirs)
            timing = c.late_seconds == 0 ? "delivered on time" : "delivered " + timing + ", theirs";
        out += fmt::format("Done {}: {} ({})\n", c.followup.id, c.followup.title, timing);
    }
    for (const auto& i : r.touches)
        out += fmt::format("Logged a touch {} {}\n", i.direction == Direction::in ? "from" : "with",
                           i.contact);
    for (const auto& ref : r.referrals)
        out += fmt::format("Referral {} is now {}\n", ref.id, ref.status);
    for (const auto& f : r.created)
        out += step_line(f, tc);
    ctx.print(out);
}

struct SnoozeOptions {
    std::vector<std::string> ids;
    std::string until;
    std::string for_;
    bool agreed{};
};

void run_snooze(const SnoozeOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    std::vector<Id> ids = parse_ids(o.ids, "follow-up");
    if (o.until.empty() == o.for_.empty())
        throw UsageError("snooze needs exactly one of --until WHEN and --for DURATION");
    std::optional<Instant> until;
    std::optional<Duration> length;
    if (!o.until.empty()) until = parse_when(o.until, tc).at;
    if (!o.for_.empty()) length = parse_duration(o.for_);
    if (until && *until <= tc.now)
        throw UsageError(fmt::format("--until '{}' is in the past", o.until));
    actions::Env env = ctx.env();
    std::string out;
    for (const auto& f : actions::snooze(env, ids, until, length, o.agreed)) {
        out += fmt::format("{} {} to {}: {}", o.agreed ? "Moved" : "Snoozed", f.id,
                           when_text(f.due, tc.zone), f.title);
        if (o.agreed)
            out += " (agreed: lateness counts from the new deadline)";
        else if (f.due != f.original_due)
            out += fmt::format(" (first due {})", when_text(f.original_due, tc.zone));
        out += '\n';
    }
    ctx.print(out);
}

struct SkipOptions {
    std::vector<std::string> ids;
    std::string reason;
};

void run_skip(const SkipOptions& o, Context& ctx) {
    std::vector<Id> ids = parse_ids(o.ids, "follow-up");
    actions::Env env = ctx.env();
    std::string out;
    std::vector<Followup> opened;
    for (const auto& f : actions::skip(env, ids, o.reason, &opened))
        out += fmt::format("Skipped {}: {}\n", f.id, f.title);
    for (const auto& f : opened)
        out += step_line(f, ctx.time());
    ctx.print(out);
}

void run_reopen(const std::vector<std::string>& args, Context& ctx) {
    std::vector<Id> ids = parse_ids(args, "follow-up");
    const TimeContext& tc = ctx.time();
    actions::Env env = ctx.env();
    std::string out;
    for (const auto& f : actions::reopen(env, ids))
        out += fmt::format("Reopened {}: {}, due {} ({})\n", f.id, f.title,
                           when_text(f.due, tc.zone), relative_text(f.due, tc.now));
    ctx.print(out);
}

struct ChaseOptions {
    std::vector<std::string> ids;
    std::string via;
    std::string note;
};

void run_chase(const ChaseOptions& o, Context& ctx) {
    std::vector<Id> ids = parse_ids(o.ids, "follow-up");
    std::string via = o.via.empty() ? "" : known_channel(o.via, ctx.config().custom_channels);
    const TimeContext& tc = ctx.time();
    actions::Env env = ctx.env();
    std::string out;
    for (const auto& c : actions::chase(env, ids, via, o.note)) {
        const Followup& f = c.followup;
        std::string late =
            tc.now > f.original_due ? ", " + humanize(tc.now - f.original_due) + " late" : "";
        out += fmt::format("Chased {} ({}{}): {}; next chase {}\n", c.touch.contact,
                           c.chases == 1 ? "first chase" : fmt::format("chase {}", c.chases), late,
                           f.title, when_text(f.due, tc.zone));
    }
    ctx.print(out);
}

struct TodoOptions {
    std::vector<std::string> args; ///< CONTACT... WHAT
    std::string by;
    bool theirs{}; ///< promise --theirs: something they promised you
    SelectionOptions select;
    std::string campaign;
};

/// todo and promise: one follow-up of `kind` for each contact, due `--by`.
void add_followup(const TodoOptions& o, Kind kind, Context& ctx) {
    const TimeContext& tc = ctx.time();
    if (o.args.empty()) throw UsageError("say WHAT is to be done");
    std::string what = o.args.back();
    if (text::trim(what).empty()) throw UsageError("say WHAT is to be done");
    Instant due = parse_when(o.by, tc).at;
    actions::Selection selection =
        make_selection(std::vector<std::string>(o.args.begin(), o.args.end() - 1), o.select, ctx);
    actions::Env env = ctx.env();
    std::vector<Contact> contacts = actions::select_contacts(env.repo, selection);
    std::string out;
    for (const auto& f : actions::add_followups(env, contacts, kind, what, due, o.campaign))
        out += fmt::format("Added follow-up {} ({}) for {}, due {} ({}): {}\n", f.id,
                           to_string(f.kind), f.contact, when_text(f.due, tc.zone),
                           relative_text(f.due, tc.now), f.title);
    ctx.print(out);
}

void run_undo(Context& ctx) {
    actions::Env env = ctx.env();
    UndoEntry e = actions::undo(env);
    std::string changes;
    for (const auto& c : e.changes)
        changes += (changes.empty() ? "" : ", ") + c;
    ctx.print(fmt::format("Undid followup {} ({}: {})\n", e.command,
                          when_text(e.at, ctx.time().zone), changes));
}

void run_undo_list(Context& ctx) {
    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false);
    auto log = repo.undo_log(100);
    tx.commit();
    if (log.empty()) {
        ctx.print("Nothing to undo.\n");
        return;
    }
    std::string out;
    for (const auto& e : log) {
        std::string changes;
        for (const auto& c : e.changes)
            changes += (changes.empty() ? "" : ", ") + c;
        out += fmt::format("{}  followup {}  ({})\n", when_text(e.at, ctx.time().zone), e.command,
                           changes);
    }
    ctx.print(out);
}

} // namespace

void add_selection_options(CLI::App& cmd, SelectionOptions& o) {
    cmd.add_option("--tag", o.tag, "Every active contact with this tag")->type_name("TAG");
    cmd.add_option("--event", o.event, "Every active contact met at this event")
        ->type_name("EVENT");
    cmd.add_option("--stale", o.stale, "Every active contact not touched for this long")
        ->type_name("DURATION");
}

actions::Selection make_selection(std::vector<std::string> refs, const SelectionOptions& o,
                                  Context& ctx) {
    actions::Selection s;
    s.refs = std::move(refs);
    s.tag = std::string(text::trim(o.tag));
    if (!o.stale.empty()) {
        Duration d = parse_duration(o.stale);
        d.count = -d.count;
        s.stale_before = add(ctx.time().now, d, ctx.time().zone);
    }
    if (!o.event.empty()) {
        auto e = ctx.repo().find_event(o.event);
        if (!e) throw NotFound(fmt::format("no event '{}'", o.event));
        s.event_id = e->id;
    }
    return s;
}

void setup_followups(CLI::App& app, Context& ctx) {
    auto done = std::make_shared<DoneOptions>();
    auto* d = app.add_subcommand("done", "Complete follow-ups and log the touch");
    d->add_option("ID", done->ids, "Follow-up ids or ranges (36-43)")->required();
    d->add_option("--note", done->note, "What happened")->type_name("TEXT");
    d->add_option("--at", done->at, "When it was done (default: now)")->type_name("WHEN");
    d->add_option("--via", done->via, "The channel used (default: the contact's)")
        ->type_name("CHANNEL");
    d->callback([done, &ctx] { run_done(*done, ctx); });

    auto snooze = std::make_shared<SnoozeOptions>();
    auto* s = app.add_subcommand("snooze", "Move deadlines (the original one is kept)");
    s->add_option("ID", snooze->ids, "Follow-up ids or ranges")->required();
    auto* until = s->add_option("--until", snooze->until, "New deadline")->type_name("WHEN");
    auto* for_ = s->add_option("--for", snooze->for_,
                               "Push back by this long (from the deadline, "
                               "or from now when overdue)")
                     ->type_name("DURATION");
    until->excludes(for_);
    s->add_flag("--agreed", snooze->agreed,
                "The new date was agreed with the person: lateness counts from it (without "
                "--agreed the original deadline still counts)");
    s->callback([snooze, &ctx] { run_snooze(*snooze, ctx); });

    auto skip = std::make_shared<SkipOptions>();
    auto* k = app.add_subcommand("skip", "Drop follow-ups without doing them");
    k->add_option("ID", skip->ids, "Follow-up ids or ranges")->required();
    k->add_option("--reason", skip->reason, "Why")->type_name("TEXT");
    k->callback([skip, &ctx] { run_skip(*skip, ctx); });

    auto reopen = std::make_shared<std::vector<std::string>>();
    auto* ro = app.add_subcommand("reopen", "Reopen follow-ups that were done or skipped by "
                                            "mistake (the touch their completion logged goes)");
    ro->add_option("ID", *reopen, "Follow-up ids or ranges")->required();
    ro->callback([reopen, &ctx] { run_reopen(*reopen, ctx); });

    auto chase = std::make_shared<ChaseOptions>();
    auto* c = app.add_subcommand("chase", "Remind someone of what they owe you: logs an outgoing "
                                          "chase and moves the deadline by response.chase (3d)");
    c->add_option("ID", chase->ids, "Follow-up ids or ranges")->required();
    c->add_option("--via", chase->via, "The channel used (default: the contact's)")
        ->type_name("CHANNEL");
    c->add_option("--note", chase->note, "What you wrote")->type_name("TEXT");
    c->callback([chase, &ctx] { run_chase(*chase, ctx); });

    auto todo = std::make_shared<TodoOptions>();
    auto* t = app.add_subcommand("todo", "Add a custom follow-up for contacts");
    t->add_option("CONTACT... WHAT", todo->args,
                  "Contacts (#ID, ID or part of the name), then what to do")
        ->required();
    t->add_option("--by", todo->by, "Deadline")->required()->type_name("WHEN");
    add_selection_options(*t, todo->select);
    t->add_option("--campaign", todo->campaign, "Label what this creates")->type_name("NAME");
    t->callback([todo, &ctx] { add_followup(*todo, Kind::custom, ctx); });

    auto promise = std::make_shared<TodoOptions>();
    auto* p = app.add_subcommand("promise", "Record a promise you made (or, with --theirs, one "
                                            "made to you, to chase when it is due)");
    p->add_option("CONTACT... WHAT", promise->args,
                  "Contacts (#ID, ID or part of the name), then what was promised")
        ->required();
    p->add_option("--by", promise->by, "When it is due")->required()->type_name("WHEN");
    p->add_flag("--theirs", promise->theirs, "They promised it to you (kind waiting)");
    p->callback([promise, &ctx] {
        add_followup(*promise, promise->theirs ? Kind::waiting : Kind::promise, ctx);
    });

    auto* u = app.add_subcommand("undo", "Revert the last command that wrote (again: the one "
                                         "before it)");
    auto list = std::make_shared<bool>(false);
    u->add_flag("--list", *list, "List what can be undone, newest first");
    u->callback([list, &ctx] { *list ? run_undo_list(ctx) : run_undo(ctx); });
}

} // namespace followup::cli
