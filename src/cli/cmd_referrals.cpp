// followup referral receive / give / update, followup referrals: the referral ledger.

#include "commands.hpp"
#include "table.hpp"

#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/store/chapter.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <map>

namespace followup::cli {
namespace {

struct ReferralOptions {
    std::string from; // receive: the referrer; give: the member
    std::string prospect;
    std::string note;
    bool allow_new{}; // --new
};

/// A referral step as the referral commands print it.
std::string step_line(const Followup& f, const TimeContext& tc) {
    return fmt::format("  {:>4}  {:<8} {}  {:<10}  {}\n", f.id, to_string(f.kind),
                       when_text(f.due, tc.zone), relative_text(f.due, tc.now), f.title);
}

void run_receive(const ReferralOptions& o, Context& ctx, bool received) {
    const TimeContext& tc = ctx.time();
    actions::Env env = ctx.env();
    actions::ReferralResult res =
        received ? actions::receive(env, o.from, o.prospect, o.note, o.allow_new)
                 : actions::give(env, o.from, o.prospect, o.note, o.allow_new);
    const Referral& r = res.referral;
    std::string out = created_text(res.created);
    out += received
               ? fmt::format("Referral {}: {} referred {} to you\n", r.id, r.referrer, r.prospect)
               : fmt::format("Referral {}: you referred {} to {}\n", r.id, r.prospect, r.member);
    if (!res.shared_with.empty())
        out += fmt::format("Shared with member {}: it is in their due, and each status they set "
                           "comes back to you\n",
                           res.shared_with);
    for (const auto& i : res.touches)
        out += fmt::format("Logged a touch from {}\n", i.contact);
    for (const auto& f : res.steps)
        out += step_line(f, tc);
    ctx.print(out);
}

struct UpdateOptions {
    std::string id;
    std::string status;
    std::optional<double> amount;
    std::string note;
    std::string to;
    bool allow_new{}; // --new
};

void run_update(const UpdateOptions& o, Context& ctx) {
    Id id = parse_id(o.id, "referral");
    std::string status = parse_referral_status(o.status);
    const TimeContext& tc = ctx.time();
    actions::Env env = ctx.env();
    actions::ReferralResult res =
        actions::update_referral(env, id, {status, o.amount, o.note, o.to, o.allow_new});
    const Referral& r = res.referral;
    std::string out = created_text(res.created);
    out += fmt::format("Referral {} ({} → {}): {}{}\n", r.id,
                       r.direction == "received" ? r.referrer : "you",
                       r.direction == "received" ? "you" : r.member, r.status,
                       r.amount ? fmt::format(", {:.2f}", *r.amount) : "");
    for (const auto& f : res.closed)
        out += fmt::format("  {} {}: {}\n", f.status == Status::done ? "Done" : "Closed", f.id,
                           f.title);
    for (const auto& i : res.touches)
        out += fmt::format("  Logged a touch {} {}\n",
                           i.direction == Direction::in ? "from" : "with", i.contact);
    if (!res.shared_with.empty())
        out += fmt::format("  Reported to {} (member {})\n", r.referrer, res.shared_with);
    if (res.passed_on)
        out += fmt::format("Referral {}: you referred {} to {}\n", res.passed_on->id,
                           res.passed_on->prospect, res.passed_on->member);
    for (const auto& f : res.steps)
        out += step_line(f, tc);
    ctx.print(out);
}

struct LedgerOptions {
    bool given{};
    bool received{};
    bool open{};
    bool chapter{};
    std::string since;
    Format format{Format::table};
};

std::string money(double v) {
    return fmt::format("{:.2f}", v);
}

/// `referrals --chapter`: the chapter's ledger, per member.
void run_chapter_ledger(const LedgerOptions& o, Context& ctx) {
    if (o.given || o.received || o.open)
        throw UsageError("--chapter lists members, not referrals: it takes only --since");
    if (o.format == Format::csv || o.format == Format::tsv)
        throw UsageError("referrals --chapter prints table, json or jsonl");
    require_server(ctx, "referrals --chapter");
    const TimeContext& tc = ctx.time();
    std::optional<Instant> since;
    if (!o.since.empty()) {
        When w = parse_when(o.since, tc);
        since = w.day ? start_of_day(*w.day, tc.zone) : w.at;
    }
    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, false);
    std::vector<chapter::LedgerLine> lines = chapter::ledger(repo, since);
    tx.commit();
    if (o.format != Format::table) {
        std::vector<Record> records;
        for (const auto& l : lines)
            records.push_back(Record{{"role", l.member.role},
                                     {"name", l.member.name},
                                     {"given", l.given},
                                     {"received", l.received},
                                     {"one_to_ones", l.one_to_ones},
                                     {"closed_business", l.credited}});
        ctx.print(render(records, o.format, {}));
        return;
    }
    Table table({"MEMBER", "NAME", "GIVEN", "RECEIVED", "ONE-TO-ONES", "CLOSED BUSINESS"},
                {false, false, true, true, true, true});
    int given = 0, one_to_ones = 0;
    double credited = 0;
    for (const auto& l : lines) {
        table.add({{l.member.role},
                   {l.member.name},
                   {std::to_string(l.given)},
                   {std::to_string(l.received)},
                   {std::to_string(l.one_to_ones)},
                   {money(l.credited)}});
        given += l.given;
        one_to_ones += l.one_to_ones;
        credited += l.credited;
    }
    std::string out = since ? fmt::format("Chapter since {}:\n", format_local_day(*since, tc.zone))
                            : std::string("Chapter:\n");
    out += table.render(ctx.color());
    out += fmt::format("\n{} member{}; {} referral{} passed, {} one-to-one{}, closed business {} "
                       "(credited to the giver).\n",
                       lines.size(), lines.size() == 1 ? "" : "s", given, given == 1 ? "" : "s",
                       one_to_ones, one_to_ones == 1 ? "" : "s", money(credited));
    ctx.print(out);
}

void run_ledger(const LedgerOptions& o, Context& ctx) {
    if (o.chapter) return run_chapter_ledger(o, ctx);
    if (!o.since.empty()) throw UsageError("--since goes with --chapter");
    if (o.given && o.received) throw UsageError("--given and --received do not go together");
    Repository& repo = ctx.reader();
    const TimeContext& tc = ctx.time();
    Repository::Transaction tx(repo, false);
    auto rows = repo.referrals(o.given ? "given" : o.received ? "received" : "", o.open);
    tx.commit();

    if (o.format != Format::table) {
        std::vector<Record> records;
        for (const auto& r : rows)
            records.push_back(to_record(r));
        ctx.print(render(records, o.format, referral_fields()));
        return;
    }
    if (rows.empty()) {
        if (o.open)
            ctx.print(fmt::format("No open referrals{}: none is new, contacted or met. "
                                  "'followup referrals' lists them all.\n",
                                  o.given      ? " given"
                                  : o.received ? " received"
                                               : ""));
        else if (o.given || o.received)
            ctx.print(fmt::format("No referrals {} yet.\n", o.given ? "given" : "received"));
        else
            ctx.print("No referrals yet. Record one with 'followup referral receive' or "
                      "'followup referral give'.\n");
        return;
    }
    Table table({"ID", "DATE", "FROM", "TO", "PROSPECT", "STATUS", "AMOUNT"},
                {true, false, false, false, false, false, true});
    // The totals and each person's balance come from the one ledger (domain/referrals.hpp).
    std::map<std::string, Ledger> people;
    for (const auto& r : rows) {
        bool in = r.direction == "received";
        table.add({{std::to_string(r.id)},
                   {format_local_day(r.created, tc.zone)},
                   {in ? r.referrer : "you"},
                   {in ? "you" : r.member},
                   {r.prospect},
                   {r.status},
                   {r.amount ? money(*r.amount) : ""}});
        people[in ? r.referrer : r.member].add(r);
    }
    const Ledger total = tally(rows);
    std::string out = table.render(ctx.color());
    out += fmt::format("\nReceived {}: {} won, closed {}. Given {}: {} won, given {}.\n",
                       total.received, total.won, money(total.closed), total.given_count,
                       total.given_won, money(total.given));
    out += "(closed: business you closed from referrals you received; given: business others "
           "closed from referrals you gave)\n";
    Table balance({"PERSON", "YOU GAVE THEM", "THEY GAVE YOU", "CLOSED", "GIVEN"},
                  {false, true, true, true, true});
    for (const auto& [name, b] : people)
        balance.add({{name.empty() ? "(deleted)" : name},
                     {std::to_string(b.given_count)},
                     {std::to_string(b.received)},
                     {b.closed > 0 ? money(b.closed) : ""},
                     {b.given > 0 ? money(b.given) : ""}});
    out += "\nGivers gain:\n" + balance.render(ctx.color());
    ctx.print(out);
}

} // namespace

void setup_referrals(CLI::App& app, Context& ctx) {
    auto* ref = app.add_subcommand("referral", "Record and move on referrals");
    ref->require_subcommand(1);

    auto receive = std::make_shared<ReferralOptions>();
    auto* r = ref->add_subcommand("receive", "A lead someone gave you: contact the prospect, "
                                             "then report back");
    r->add_option("--from", receive->from, "Who gave you the lead")
        ->required()
        ->type_name("CONTACT");
    r->add_option("--prospect", receive->prospect, "Whom to contact")
        ->required()
        ->type_name("CONTACT");
    r->add_option("--note", receive->note, "What it is about")->type_name("TEXT");
    r->add_flag("--new", receive->allow_new,
                "Create a person whose name is near a contact's instead of refusing it");
    r->callback([receive, &ctx] { run_receive(*receive, ctx, true); });

    auto give = std::make_shared<ReferralOptions>();
    auto* g = ref->add_subcommand("give", "A lead you gave a member: check in with them later");
    g->add_option("--to", give->from, "Whom you gave the lead")->required()->type_name("CONTACT");
    g->add_option("--prospect", give->prospect, "The prospect")->required()->type_name("CONTACT");
    g->add_option("--note", give->note, "What it is about")->type_name("TEXT");
    g->add_flag("--new", give->allow_new,
                "Create a person whose name is near a contact's instead of refusing it");
    g->callback([give, &ctx] { run_receive(*give, ctx, false); });

    auto update = std::make_shared<UpdateOptions>();
    auto* u = ref->add_subcommand("update", "Move a referral on (contacted, met, won, lost, "
                                            "declined, passed)");
    u->add_option("ID", update->id, "Referral id")->required();
    u->add_option("--status", update->status, "New status")->required()->type_name("STATUS");
    u->add_option("--amount", update->amount, "Closed business value (with won)")->type_name("N");
    u->add_option("--note", update->note, "What happened")->type_name("TEXT");
    u->add_option("--to", update->to,
                  "With passed: the member you pass the prospect on to "
                  "(records a referral you gave, with its check-ins)")
        ->type_name("MEMBER");
    u->add_flag("--new", update->allow_new,
                "Create a person whose name is near a contact's instead of refusing it");
    u->callback([update, &ctx] { run_update(*update, ctx); });

    auto ledger = std::make_shared<LedgerOptions>();
    auto* l = app.add_subcommand("referrals", "The referral ledger and the givers-gain balance");
    l->add_flag("--given", ledger->given, "Only referrals you gave");
    l->add_flag("--received", ledger->received, "Only referrals you received");
    l->add_flag("--open", ledger->open, "Only those still new, contacted or met");
    l->add_flag("--chapter", ledger->chapter,
                "The chapter's ledger (PostgreSQL): per member, referrals given and received, "
                "one-to-ones and the closed business credited to the giver");
    l->add_option("--since", ledger->since, "With --chapter: count from this time")
        ->type_name("WHEN");
    add_format_option(*l, ledger->format);
    l->callback([ledger, &ctx] { run_ledger(*ledger, ctx); });
}

} // namespace followup::cli
