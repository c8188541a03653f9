// followup referral receive / give / update, followup referrals: the referral ledger.

#include "commands.hpp"
#include "table.hpp"

#include <fmt/format.h>
#include <followup/errors.hpp>
#include <followup/referrals.hpp>
#include <followup/text.hpp>
#include <map>

namespace followup::cli {
namespace {

struct ReferralOptions {
    std::string from; // receive: the referrer; give: the member
    std::string prospect;
    std::string note;
};

void run_receive(const ReferralOptions& o, Context& ctx, bool received) {
    Repository& repo = ctx.repo();
    const TimeContext& tc = ctx.time();
    Repository::Transaction tx(repo, true);
    std::string out;
    Contact person = resolve_or_create(repo, o.from, out);
    Contact prospect = resolve_or_create(repo, o.prospect, out);
    const ResponseTimes& times = ctx.config().times;
    Referral r = received ? receive_referral(repo, person, prospect, o.note, tc, times)
                          : give_referral(repo, person, prospect, o.note, tc, times);
    Kind kind = received ? Kind::referral : Kind::checkin;
    Followup step;
    for (const auto& f : repo.followups_of(received ? prospect.id : person.id))
        if (f.kind == kind && f.referral_id == r.id) step = f;
    tx.commit();
    out +=
        received
            ? fmt::format("Referral {}: {} referred {} to you\n", r.id, person.name, prospect.name)
            : fmt::format("Referral {}: you referred {} to {}\n", r.id, prospect.name, person.name);
    out += fmt::format("  {:>4}  {:<8} {}  {:<10}  {}\n", step.id, to_string(step.kind),
                       when_text(step.due, tc.zone), relative_text(step.due, tc.now), step.title);
    ctx.print(out);
}

struct UpdateOptions {
    std::string id;
    std::string status;
    std::optional<double> amount;
    std::string note;
};

void run_update(const UpdateOptions& o, Context& ctx) {
    Id id = parse_id(o.id, "referral");
    std::string status = parse_referral_status(o.status);
    Repository& repo = ctx.repo();
    const TimeContext& tc = ctx.time();
    Repository::Transaction tx(repo, true);
    auto steps = update_referral_status(repo, id, status, o.amount, o.note, tc, ctx.config().times);
    Referral r = repo.get_referral(id);
    tx.commit();
    std::string out = fmt::format("Referral {} ({} → {}): {}{}\n", r.id,
                                  r.direction == "received" ? r.referrer : "you",
                                  r.direction == "received" ? "you" : r.member, r.status,
                                  r.amount ? fmt::format(", {:.2f}", *r.amount) : "");
    for (const auto& f : steps)
        out += fmt::format("  {:>4}  {:<8} {}  {:<10}  {}\n", f.id, to_string(f.kind),
                           when_text(f.due, tc.zone), relative_text(f.due, tc.now), f.title);
    ctx.print(out);
}

struct LedgerOptions {
    bool given{};
    bool received{};
    bool open{};
    Format format{Format::table};
};

std::string money(double v) {
    return fmt::format("{:.2f}", v);
}

void run_ledger(const LedgerOptions& o, Context& ctx) {
    if (o.given && o.received) throw UsageError("--given and --received do not go together");
    Repository& repo = ctx.repo();
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
        ctx.print("No referrals yet. Record one with 'followup referral receive' or 'followup "
                  "referral give'.\n");
        return;
    }
    Table table({"ID", "DATE", "FROM", "TO", "PROSPECT", "STATUS", "AMOUNT"},
                {true, false, false, false, false, false, true});
    struct Balance {
        int given{}, received{};
        double value{};
    };
    std::map<std::string, Balance> people;
    int given = 0, received = 0, won = 0;
    double value = 0;
    for (const auto& r : rows) {
        bool in = r.direction == "received";
        table.add({{std::to_string(r.id)},
                   {format_local_day(r.created, tc.zone)},
                   {in ? r.referrer : "you"},
                   {in ? "you" : r.member},
                   {r.prospect},
                   {r.status},
                   {r.amount ? money(*r.amount) : ""}});
        Balance& b = people[in ? r.referrer : r.member];
        (in ? b.received : b.given)++;
        (in ? received : given)++;
        if (r.status == "won") {
            ++won;
            value += r.amount.value_or(0);
            b.value += r.amount.value_or(0);
        }
    }
    std::string out = table.render(ctx.color());
    out += fmt::format("\nReceived {}, given {}; {} won, closed business {}.\n", received, given,
                       won, money(value));
    Table balance({"PERSON", "YOU GAVE THEM", "THEY GAVE YOU", "CLOSED"},
                  {false, true, true, true});
    for (const auto& [name, b] : people)
        balance.add({{name.empty() ? "(deleted)" : name},
                     {std::to_string(b.given)},
                     {std::to_string(b.received)},
                     {b.value > 0 ? money(b.value) : ""}});
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
    r->callback([receive, &ctx] { run_receive(*receive, ctx, true); });

    auto give = std::make_shared<ReferralOptions>();
    auto* g = ref->add_subcommand("give", "A lead you gave a member: check in with them later");
    g->add_option("--to", give->from, "Whom you gave the lead")->required()->type_name("CONTACT");
    g->add_option("--prospect", give->prospect, "The prospect")->required()->type_name("CONTACT");
    g->add_option("--note", give->note, "What it is about")->type_name("TEXT");
    g->callback([give, &ctx] { run_receive(*give, ctx, false); });

    auto update = std::make_shared<UpdateOptions>();
    auto* u = ref->add_subcommand("update", "Move a referral on (contacted, met, won, lost, "
                                            "declined, passed)");
    u->add_option("ID", update->id, "Referral id")->required();
    u->add_option("--status", update->status, "New status")->required()->type_name("STATUS");
    u->add_option("--amount", update->amount, "Closed business value (with won)")->type_name("N");
    u->add_option("--note", update->note, "What happened")->type_name("TEXT");
    u->callback([update, &ctx] { run_update(*update, ctx); });

    auto ledger = std::make_shared<LedgerOptions>();
    auto* l = app.add_subcommand("referrals", "The referral ledger and the givers-gain balance");
    l->add_flag("--given", ledger->given, "Only referrals you gave");
    l->add_flag("--received", ledger->received, "Only referrals you received");
    l->add_flag("--open", ledger->open, "Only those still new, contacted or met");
    add_format_option(*l, ledger->format);
    l->callback([ledger, &ctx] { run_ledger(*ledger, ctx); });
}

} // namespace followup::cli
