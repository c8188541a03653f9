// followup stats: how well the follow-ups are kept, referrals, touches per week.

#include "commands.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <followup/actions/stats.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup::cli {
namespace {

struct StatsOptions {
    std::string since;
    Format format{Format::table};
};

/// True when the locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then LANG).
bool utf8_locale() {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* v = std::getenv(name);
        if (v && *v) {
            std::string l = text::lower(v);
            return l.find("utf-8") != std::string::npos || l.find("utf8") != std::string::npos;
        }
    }
    return false;
}

std::string percent(int part, int whole) {
    return whole == 0 ? "-" : fmt::format("{}%", (part * 100 + whole / 2) / whole);
}

void run_stats(const StatsOptions& o, Context& ctx) {
    if (o.format == Format::csv || o.format == Format::tsv)
        throw UsageError("stats prints table, json or jsonl");
    Repository& repo = ctx.reader();
    const TimeContext& tc = ctx.time();
    std::optional<Instant> since;
    if (!o.since.empty()) {
        When w = parse_when(o.since, tc);
        since = w.day ? start_of_day(*w.day, tc.zone) : w.at;
    }
    Repository::Transaction tx(repo, false);
    Stats s = compute_stats(repo, since, tc);
    tx.commit();

    if (o.format != Format::table) {
        Record r;
        r["since"] = since ? Record(format_utc(*since)) : Record(nullptr);
        r["done"] = s.done;
        r["on_time"] = s.on_time;
        r["on_time_share"] =
            s.done ? Record(static_cast<double>(s.on_time) / s.done) : Record(nullptr);
        r["median_lateness_seconds"] = s.median_lateness;
        r["kept_to_you"] = s.kept_to_you;
        r["kept_to_you_on_time"] = s.kept_to_you_on_time;
        r["median_their_lateness_seconds"] = s.median_their_lateness;
        r["open"] = s.open;
        r["overdue"] = s.overdue;
        const Ledger& l = s.referrals;
        r["referrals_received"] = l.received;
        r["referrals_given"] = l.given_count;
        r["referrals_won"] = l.won;
        r["referrals_given_won"] = l.given_won;
        r["conversion"] =
            l.received ? Record(static_cast<double>(l.won) / l.received) : Record(nullptr);
        r["closed"] = l.closed;
        r["given"] = l.given;
        r["touches_per_week"] = Record::array();
        for (const auto& [monday, n] : s.touches_per_week)
            r["touches_per_week"].push_back(
                Record{{"week", date::format("%F", monday)}, {"touches", n}});
        ctx.print(r.dump(o.format == Format::json ? 2 : -1) + "\n");
        return;
    }
    auto bold = [&](std::string_view t) { return ctx.styled(t, fmt::emphasis::bold); };
    std::string out = bold(since ? "Follow-ups since " + format_local_day(*since, tc.zone)
                                 : std::string("Follow-ups, all time")) +
                      "\n";
    out += fmt::format("  done             {:>6}\n", s.done);
    out += fmt::format("  on time          {:>6}  {}\n", s.on_time, percent(s.on_time, s.done));
    out += fmt::format("  median lateness  {:>6}\n",
                       s.done ? humanize(std::chrono::seconds{s.median_lateness}) : "-");
    if (s.kept_to_you > 0) {
        out += fmt::format("  kept to you      {:>6}  {} on time, median {} late (theirs)\n",
                           s.kept_to_you, percent(s.kept_to_you_on_time, s.kept_to_you),
                           humanize(std::chrono::seconds{s.median_their_lateness}));
    }
    out += fmt::format("  open now         {:>6}\n", s.open);
    out += fmt::format("  overdue now      {:>6}\n", s.overdue);
    out += '\n' + bold("Referrals") + '\n';
    const Ledger& l = s.referrals;
    out += fmt::format("  received         {:>6}  won {} ({}), closed {:.2f}\n", l.received, l.won,
                       percent(l.won, l.received), l.closed);
    out += fmt::format("  given            {:>6}  won {}, given {:.2f}\n", l.given_count,
                       l.given_won, l.given);
    out += "  (closed: business you closed from referrals you received; given: business others "
           "closed from yours)\n";
    out += '\n' + bold("Touches per week") + '\n';
    std::vector<std::pair<std::string, int>> rows;
    for (const auto& [monday, n] : s.touches_per_week)
        rows.emplace_back("  " + format_local_day(end_of_day(monday, tc.zone), tc.zone), n);
    out += bar_chart(rows, utf8_locale(), 40);
    ctx.print(out);
}

} // namespace

void setup_stats(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<StatsOptions>();
    auto* cmd = app.add_subcommand("stats", "Results: follow-ups kept on time, referrals, touches "
                                            "per week");
    cmd->add_option("--since", o->since, "Count from this time (default: everything)")
        ->type_name("WHEN");
    add_format_option(*cmd, o->format);
    cmd->callback([o, &ctx] { run_stats(*o, ctx); });
}

} // namespace followup::cli
