#include <followup/domain/channels.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup {

const std::vector<Plan>& builtin_plans() {
    static const std::vector<Plan> plans{
        {"24/7/30",
         {{Kind::note, {24, Unit::hours}},
          {Kind::connect, {7, Unit::days}},
          {Kind::meet, {30, Unit::days}}}},
        {"none", {}},
    };
    return plans;
}

const Plan& find_plan(const std::vector<Plan>& plans, std::string_view name) {
    std::string wanted = text::lower(text::trim(name));
    std::vector<std::string> names;
    for (const auto& plan : plans) {
        if (text::lower(plan.name) == wanted) return plan;
        names.push_back(plan.name);
    }
    throw UsageError("unknown plan '" + std::string(name) + "' (known: " + text::join(names, ", ") +
                     ")");
}

Instant step_deadline(const When& met, const Duration& after, const Zone* zone) {
    if (!met.day) return add(met.at, after, zone);
    Duration steps = after;
    switch (after.unit) {
    case Unit::minutes:
        steps = {(after.count + 24 * 60 - 1) / (24 * 60), Unit::days};
        break;
    case Unit::hours:
        steps = {(after.count + 23) / 24, Unit::days};
        break;
    default:
        break;
    }
    // Calendar steps from the end of the meeting day land on the end of the target day.
    Instant last = add(end_of_day(*met.day, zone), steps, zone);
    return end_of_day(local_day(last, zone), zone);
}

std::vector<Planned> schedule(const Contact& contact, const Plan& plan, const When& met,
                              const Zone* zone, const std::vector<std::string>& networks,
                              std::string_view fallback) {
    std::vector<Planned> out;
    out.reserve(plan.steps.size());
    for (const auto& step : plan.steps) {
        std::string network;
        if (step.kind == Kind::connect) {
            network = connect_network(contact, networks, fallback);
            // Reached another way, and told to plan nothing for that: no 7-day step.
            if (fallback == "none" && !is_social(network, networks) &&
                network == other_way(contact, networks))
                continue;
        }
        out.push_back({step.kind, plan_title(step.kind, contact, networks, fallback),
                       step_deadline(met, step.after, zone), network});
    }
    return out;
}

namespace {

/// The 7-day step of a person reached another way than a social network: numbers exchanged on
/// a phone or a messenger, a postal address kept, a contact added elsewhere.
std::string add_contact_title(const std::string& name, const std::string& way) {
    if (way == "phone" || way == "sms" || way == "whatsapp" || way == "signal" || way == "telegram")
        return "Exchange numbers with " + name + " on " + channel_label(way);
    if (way == "mail") return "Add " + name + "'s address to your contacts";
    return "Add " + name + " as a contact on " + channel_label(way);
}

} // namespace

std::string plan_title(Kind kind, const Contact& contact, const std::vector<std::string>& networks,
                       std::string_view fallback) {
    const std::string& name = contact.name;
    Via via = effective_via(contact);
    switch (kind) {
    case Kind::note: {
        if (via.channel.empty() || via.channel == "in-person") return "Send a note to " + name;
        if (via.channel == "mail") return "Send a card to " + name + " by post";
        if (via.channel == "email" || via.channel == "sms")
            return "Send a note to " + name + " by " + channel_label(via.channel);
        if (via.channel == "phone") return "Call " + name + " to say it was good to meet";
        return "Send a note to " + name + " on " + channel_label(via.channel);
    }
    case Kind::connect: {
        std::string network = connect_network(contact, networks, fallback);
        if (!is_social(network, networks) && network == other_way(contact, networks))
            return add_contact_title(name, network);
        return "Connect with " + name + " on " + channel_label(network);
    }
    case Kind::meet:
        return "Arrange a one-to-one with " + name;
    case Kind::reconnect:
        return "Reconnect with " + name;
    case Kind::birthday:
        return "Send " + name + " a birthday card";
    default:
        return "Follow up with " + name;
    }
}

} // namespace followup
