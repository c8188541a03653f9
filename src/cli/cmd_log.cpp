// followup log: record a touch, either way, with one or many contacts; followup campaigns: who
// answered a round of touches.

#include "commands.hpp"
#include "table.hpp"

#include <cmath>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/domain/channels.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>

namespace followup::cli {
namespace {

struct LogOptions {
    std::vector<std::string> contacts;
    std::string via;
    bool in{};
    std::string at;
    std::string note;
    SelectionOptions select;
    std::string campaign;
};

void run_log(const LogOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    actions::TouchInput in;
    in.at = touch_time(o.at, tc);
    in.via = o.via.empty() ? "" : known_channel(o.via, ctx.config().custom_channels);
    in.direction = o.in ? Direction::in : Direction::out;
    in.note = o.note;
    in.campaign = std::string(text::trim(o.campaign));
    actions::Selection selection = make_selection(o.contacts, o.select, ctx);
    actions::Env env = ctx.env();
    std::vector<Contact> contacts = actions::select_contacts(env.repo, selection);
    std::string out;
    for (const auto& i : actions::log(env, contacts, in)) {
        bool by = i.channel == "email" || i.channel == "phone" || i.channel == "sms" ||
                  i.channel == "mail";
        std::string channel = i.channel.empty() ? ""
                              : i.channel == "in-person"
                                  ? " in person"
                                  : (by ? " by " : " on ") + channel_label(i.channel);
        out +=
            fmt::format("Logged {} {}{}, {}{}\n", o.in ? "a touch from" : "a touch with", i.contact,
                        channel, when_text(i.at, tc.zone), o.note.empty() ? "" : ": " + o.note);
    }
    if (!in.campaign.empty() && contacts.size() > 1)
        out += fmt::format("Campaign '{}': {} touched\n", in.campaign,
                           count_text(static_cast<long long>(contacts.size()), "contact"));
    ctx.print(out);
}

struct CampaignOptions {
    std::string name;
    Format format{Format::table};
};

/// "14 days", "2 weeks".
std::string duration_text(Duration d) {
    static constexpr std::string_view units[] = {"minute", "hour", "day", "week", "month", "year"};
    return count_text(d.count, units[static_cast<int>(d.unit)]);
}

/// One campaign's results: who was touched, who answered within the reply window.
struct CampaignResult {
    std::string name;
    Instant started;
    std::vector<std::pair<Contact, Instant>> touched; ///< first campaign touch of each
    std::set<Id> replied;
};

void run_campaigns(const CampaignOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Repository& repo = ctx.reader();
    Duration window = ctx.config().reply_window;
    Repository::Transaction tx(repo, false);
    std::vector<std::string> names = repo.campaigns();
    if (!o.name.empty()) {
        std::string want = text::fold(o.name);
        std::erase_if(names, [&](const std::string& n) { return text::fold(n) != want; });
        if (names.empty()) throw NotFound(fmt::format("no campaign '{}'", o.name));
    }
    std::vector<CampaignResult> results;
    for (const auto& name : names) {
        CampaignResult r{name, {}, {}, {}};
        std::map<Id, std::size_t> index;
        for (const auto& i : repo.campaign_touches(name)) {
            if (i.direction != Direction::out) continue;
            if (r.touched.empty()) r.started = i.at;
            if (index.contains(i.contact_id)) continue;
            index[i.contact_id] = r.touched.size();
            r.touched.emplace_back(repo.get_contact(i.contact_id), i.at);
        }
        for (const auto& [c, at] : r.touched) {
            Instant until = add(at, window, tc.zone);
            for (const auto& in : repo.incoming_since(c.id, at))
                if (in.at <= until) {
                    r.replied.insert(c.id);
                    break;
                }
        }
        results.push_back(std::move(r));
    }
    tx.commit();

    auto rate = [](const CampaignResult& r) {
        return r.touched.empty() ? 0.0
                                 : 100.0 * static_cast<double>(r.replied.size()) /
                                       static_cast<double>(r.touched.size());
    };
    if (o.format != Format::table) {
        std::vector<Record> records;
        for (const auto& r : results) {
            Record rec = Record::object();
            rec["campaign"] = r.name;
            rec["touched"] = r.touched.size();
            rec["replied"] = r.replied.size();
            rec["reply_rate"] = std::round(rate(r) * 10) / 10;
            Record silent = Record::array();
            for (const auto& [c, at] : r.touched)
                if (!r.replied.contains(c.id)) silent.push_back(c.name);
            rec["no_reply"] = silent;
            records.push_back(std::move(rec));
        }
        ctx.print(render(records, o.format,
                         {"campaign", "touched", "replied", "reply_rate", "no_reply"}));
        return;
    }
    if (results.empty()) {
        ctx.print("No campaigns yet. Label a round of touches with 'followup log ... --campaign "
                  "NAME'.\n");
        return;
    }
    Table table({"CAMPAIGN", "STARTED", "TOUCHED", "REPLIED", "RATE"},
                {false, false, true, true, true});
    for (const auto& r : results)
        table.add({{r.name},
                   {r.touched.empty() ? "" : format_local_day(r.started, tc.zone)},
                   {std::to_string(r.touched.size())},
                   {std::to_string(r.replied.size())},
                   {fmt::format("{:.0f}%", rate(r))}});
    std::string out = table.render(ctx.color());
    out += fmt::format("A reply is an incoming touch within {} of the campaign's touch.\n",
                       duration_text(window));
    if (!o.name.empty())
        for (const auto& r : results) {
            std::string silent;
            for (const auto& [c, at] : r.touched)
                if (!r.replied.contains(c.id))
                    silent +=
                        fmt::format("  #{} {} (touched {})\n", c.id, c.name, ago_text(at, tc.now));
            out += silent.empty() ? "\nEveryone answered.\n" : "\nNo answer yet:\n" + silent;
        }
    ctx.print(out);
}

} // namespace

void setup_log(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<LogOptions>();
    auto* cmd = app.add_subcommand("log", "Record a touch (a message, call or meeting) with "
                                          "contacts");
    cmd->add_option("CONTACT", o->contacts, "#ID, ID or part of the name (one or more)");
    cmd->add_option("--via", o->via, "The channel (default: the contact's)")->type_name("CHANNEL");
    cmd->add_flag("--in", o->in, "They reached out to you (default: you to them)");
    cmd->add_option("--at", o->at, "When (default: now)")->type_name("WHEN");
    cmd->add_option("--note", o->note, "What was said")->type_name("TEXT");
    add_selection_options(*cmd, o->select);
    cmd->add_option("--campaign", o->campaign, "Label the touches (see 'followup campaigns')")
        ->type_name("NAME");
    cmd->callback([o, &ctx] { run_log(*o, ctx); });

    auto c = std::make_shared<CampaignOptions>();
    auto* camp = app.add_subcommand("campaigns", "Per campaign: people touched, replies, reply "
                                                 "rate, and (with NAME) who has not answered");
    camp->add_option("NAME", c->name, "One campaign");
    add_format_option(*camp, c->format);
    camp->callback([c, &ctx] { run_campaigns(*c, ctx); });
}

} // namespace followup::cli
