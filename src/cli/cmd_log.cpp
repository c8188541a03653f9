// followup log: record a touch, either way.

#include "commands.hpp"

#include <fmt/format.h>
#include <followup/cadence.hpp>
#include <followup/channels.hpp>
#include <followup/errors.hpp>

namespace followup::cli {
namespace {

struct LogOptions {
    std::string contact;
    std::string via;
    bool in{};
    std::string at;
    std::string note;
};

void run_log(const LogOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Instant at = touch_time(o.at, tc);
    std::string via = o.via.empty() ? "" : normalize_channel(o.via);

    Repository& repo = ctx.repo();
    Repository::Transaction tx(repo, true);
    Contact c = repo.resolve_contact(o.contact);
    Interaction i;
    i.contact_id = c.id;
    i.at = at;
    i.channel = via.empty() ? effective_via(c).channel : via;
    i.direction = o.in ? Direction::in : Direction::out;
    i.note = o.note;
    repo.insert_interaction(i);
    sync_recurring(repo, c.id, tc,
                   ctx.config().times.birthday_days); // a touch restarts the keep-in-touch clock
    tx.commit();
    bool by =
        i.channel == "email" || i.channel == "phone" || i.channel == "sms" || i.channel == "mail";
    std::string channel = i.channel.empty() ? ""
                          : i.channel == "in-person"
                              ? " in person"
                              : (by ? " by " : " on ") + channel_label(i.channel);
    ctx.print(fmt::format("Logged {} {}{}, {}{}\n", o.in ? "a touch from" : "a touch with", c.name,
                          channel, when_text(at, tc.zone), o.note.empty() ? "" : ": " + o.note));
}

} // namespace

void setup_log(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<LogOptions>();
    auto* cmd = app.add_subcommand("log", "Record a touch (a message, call or meeting) with a "
                                          "contact");
    cmd->add_option("CONTACT", o->contact, "#ID, ID or part of the name")->required();
    cmd->add_option("--via", o->via, "The channel (default: the contact's)")->type_name("CHANNEL");
    cmd->add_flag("--in", o->in, "They reached out to you (default: you to them)");
    cmd->add_option("--at", o->at, "When (default: now)")->type_name("WHEN");
    cmd->add_option("--note", o->note, "What was said")->type_name("TEXT");
    cmd->callback([o, &ctx] { run_log(*o, ctx); });
}

} // namespace followup::cli
