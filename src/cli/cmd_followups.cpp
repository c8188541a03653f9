// followup done / snooze / skip / todo / promise: acting on follow-ups.

#include "commands.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <followup/cadence.hpp>
#include <followup/channels.hpp>
#include <followup/errors.hpp>
#include <followup/text.hpp>
#include <set>

namespace followup::cli {
namespace {

/// Parses the ids, dropping repeats but keeping the order given.
std::vector<Id> parse_ids(const std::vector<std::string>& args) {
    std::vector<Id> ids;
    std::set<Id> seen;
    for (const auto& a : args) {
        Id id = parse_id(a, "follow-up");
        if (seen.insert(id).second) ids.push_back(id);
    }
    return ids;
}

/// Loads an open follow-up; throws when it is closed already.
Followup open_followup(Repository& repo, Id id) {
    Followup f = repo.get_followup(id);
    if (f.status != Status::open)
        throw Error(fmt::format("follow-up {} is {} already", id, to_string(f.status)));
    return f;
}

struct DoneOptions {
    std::vector<std::string> ids;
    std::string note;
    std::string at;
    std::string via;
};

void run_done(const DoneOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    std::vector<Id> ids = parse_ids(o.ids);
    Instant at = touch_time(o.at, tc);
    std::string via = o.via.empty() ? "" : normalize_channel(o.via);

    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, true);
    std::string out;
    for (Id id : ids) {
        Followup f = open_followup(repo, id);
        f.status = Status::done;
        f.done_at = at;
        if (!o.note.empty()) f.note = o.note;
        repo.update_followup(f);
        Interaction i;
        i.contact_id = f.contact_id;
        i.at = at;
        i.channel = via.empty() ? f.channel : via;
        i.direction = Direction::out;
        i.note = o.note.empty() ? f.title : o.note;
        i.followup_id = f.id;
        repo.insert_interaction(i);
        sync_recurring(
            repo, f.contact_id, tc,
            ctx.config().times.birthday_days); // a touch restarts the keep-in-touch clock
        std::string timing =
            at <= f.original_due ? "on time" : humanize(at - f.original_due) + " late";
        out += fmt::format("Done {}: {} ({})\n", f.id, f.title, timing);
    }
    tx.commit();
    ctx.print(out);
}

struct SnoozeOptions {
    std::vector<std::string> ids;
    std::string until;
    std::string for_;
};

void run_snooze(const SnoozeOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    std::vector<Id> ids = parse_ids(o.ids);
    if (o.until.empty() == o.for_.empty())
        throw UsageError("snooze needs exactly one of --until WHEN and --for DURATION");
    std::optional<Instant> until;
    std::optional<Duration> length;
    if (!o.until.empty()) until = parse_when(o.until, tc).at;
    if (!o.for_.empty()) length = parse_duration(o.for_);
    if (until && *until <= tc.now)
        throw UsageError(fmt::format("--until '{}' is in the past", o.until));

    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, true);
    std::string out;
    for (Id id : ids) {
        Followup f = open_followup(repo, id);
        // --for counts from the deadline when it is still ahead, else from now.
        f.due = until ? *until : add(std::max(tc.now, f.due), *length, tc.zone);
        repo.update_followup(f);
        out += fmt::format("Snoozed {} to {}: {}", f.id, when_text(f.due, tc.zone), f.title);
        if (f.due != f.original_due)
            out += fmt::format(" (first due {})", when_text(f.original_due, tc.zone));
        out += '\n';
    }
    tx.commit();
    ctx.print(out);
}

struct SkipOptions {
    std::vector<std::string> ids;
    std::string reason;
};

void run_skip(const SkipOptions& o, Context& ctx) {
    std::vector<Id> ids = parse_ids(o.ids);
    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, true);
    std::string out;
    for (Id id : ids) {
        Followup f = open_followup(repo, id);
        f.status = Status::skipped;
        if (!o.reason.empty()) f.note = o.reason;
        repo.update_followup(f);
        out += fmt::format("Skipped {}: {}\n", f.id, f.title);
    }
    tx.commit();
    ctx.print(out);
}

struct TodoOptions {
    std::string contact;
    std::string what;
    std::string by;
    bool theirs{}; ///< promise --theirs: something they promised you
};

/// The title of a promise ("Send the deck") or of a promise made to you ("Waiting on Jane Doe:
/// the intro to Sam").
std::string promise_title(Kind kind, const Contact& c, const std::string& what) {
    if (kind == Kind::waiting) return fmt::format("Waiting on {}: {}", c.name, what);
    return what;
}

/// todo and promise: one follow-up of `kind` for a contact, due `--by`.
void add_followup(const TodoOptions& o, Kind kind, Context& ctx) {
    const TimeContext& tc = ctx.time();
    std::string what(text::trim(o.what));
    if (what.empty()) throw UsageError("say WHAT is to be done");
    Instant due = parse_when(o.by, tc).at;

    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, true);
    Contact c = repo.resolve_contact(o.contact);
    Followup f;
    f.contact_id = c.id;
    f.kind = kind;
    f.title = kind == Kind::custom ? what : promise_title(kind, c, what);
    f.due = due;
    repo.insert_followup(f);
    tx.commit();
    ctx.print(fmt::format("Added follow-up {} ({}) for {}, due {} ({}): {}\n", f.id,
                          to_string(f.kind), c.name, when_text(f.due, tc.zone),
                          relative_text(f.due, tc.now), f.title));
}

} // namespace

void setup_followups(CLI::App& app, Context& ctx) {
    auto done = std::make_shared<DoneOptions>();
    auto* d = app.add_subcommand("done", "Complete follow-ups and log the touch");
    d->add_option("ID", done->ids, "Follow-up ids")->required();
    d->add_option("--note", done->note, "What happened")->type_name("TEXT");
    d->add_option("--at", done->at, "When it was done (default: now)")->type_name("WHEN");
    d->add_option("--via", done->via, "The channel used (default: the contact's)")
        ->type_name("CHANNEL");
    d->callback([done, &ctx] { run_done(*done, ctx); });

    auto snooze = std::make_shared<SnoozeOptions>();
    auto* s = app.add_subcommand("snooze", "Move deadlines (the original one is kept)");
    s->add_option("ID", snooze->ids, "Follow-up ids")->required();
    auto* until = s->add_option("--until", snooze->until, "New deadline")->type_name("WHEN");
    auto* for_ = s->add_option("--for", snooze->for_,
                               "Push back by this long (from the deadline, "
                               "or from now when overdue)")
                     ->type_name("DURATION");
    until->excludes(for_);
    s->callback([snooze, &ctx] { run_snooze(*snooze, ctx); });

    auto skip = std::make_shared<SkipOptions>();
    auto* k = app.add_subcommand("skip", "Drop follow-ups without doing them");
    k->add_option("ID", skip->ids, "Follow-up ids")->required();
    k->add_option("--reason", skip->reason, "Why")->type_name("TEXT");
    k->callback([skip, &ctx] { run_skip(*skip, ctx); });

    auto todo = std::make_shared<TodoOptions>();
    auto* t = app.add_subcommand("todo", "Add a custom follow-up for a contact");
    t->add_option("CONTACT", todo->contact, "#ID, ID or part of the name")->required();
    t->add_option("WHAT", todo->what, "What to do")->required();
    t->add_option("--by", todo->by, "Deadline")->required()->type_name("WHEN");
    t->callback([todo, &ctx] { add_followup(*todo, Kind::custom, ctx); });

    auto promise = std::make_shared<TodoOptions>();
    auto* p = app.add_subcommand("promise", "Record a promise you made (or, with --theirs, one "
                                            "made to you, to chase when it is due)");
    p->add_option("CONTACT", promise->contact, "#ID, ID or part of the name")->required();
    p->add_option("WHAT", promise->what, "What was promised")->required();
    p->add_option("--by", promise->by, "When it is due")->required()->type_name("WHEN");
    p->add_flag("--theirs", promise->theirs, "They promised it to you (kind waiting)");
    p->callback([promise, &ctx] {
        add_followup(*promise, promise->theirs ? Kind::waiting : Kind::promise, ctx);
    });
}

} // namespace followup::cli
