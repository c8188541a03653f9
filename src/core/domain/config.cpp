#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/domain/config.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace followup {
namespace {

/// Applies one setting; `where` prefixes errors ("config.toml:3: ").
void set(Config& c, const std::string& key, const std::string& value, const std::string& where) {
    auto fail = [&](const std::string& why) {
        return UsageError(fmt::format("{}{}: {}", where, key, why));
    };
    try {
        if (key == "plan") {
            find_plan(c.plans, value); // must exist
            c.default_plan = value;
        } else if (key == "channel") {
            c.default_channel = value.empty() ? "" : known_channel(value, c.custom_channels);
        } else if (key == "channels.custom") {
            c.custom_channels.clear();
            for (const auto& part : text::split(value, ',')) {
                std::string name = normalize_channel(part);
                c.custom_channels.push_back(name);
            }
        } else if (key == "social.networks") {
            std::vector<std::string> networks;
            for (const auto& part : text::split(value, ',')) {
                if (text::trim(part).empty()) continue;
                std::string name = known_channel(part, c.custom_channels);
                if (name == "email" || name == "phone" || name == "sms" || name == "mail" ||
                    name == "in-person" || name == "whatsapp" || name == "signal" ||
                    name == "telegram" || name == "skype" || name == "steam")
                    throw UsageError("'" + name + "' is not a social network");
                networks.push_back(name);
            }
            if (networks.empty()) throw UsageError("name at least one network");
            c.social_networks = networks;
        } else if (key == "social.fallback") {
            std::string v = text::lower(text::trim(value));
            if (v != "contacts" && v != "search" && v != "none")
                throw UsageError("expected \"contacts\", \"search\" or \"none\"");
            c.connect_fallback = v;
        } else if (key == "remind.meeting") {
            Duration d = parse_duration(value);
            if (d.unit == Unit::months || d.unit == Unit::years || d.count > 4 * 7 * 24 * 60)
                throw UsageError("expected minutes, hours, days or weeks, such as 1h or 15min");
            c.remind_meeting = d;
        } else if (key == "color" || key == "colour") {
            std::string v = text::lower(value);
            if (v != "auto" && v != "never") throw UsageError("expected \"auto\" or \"never\"");
            c.color = v == "auto";
        } else if (key == "response.referral") {
            c.times.referral = parse_duration(value);
        } else if (key == "response.report") {
            c.times.report = parse_duration(value);
        } else if (key == "response.checkin") {
            c.times.checkin = parse_duration(value);
        } else if (key == "response.chase") {
            c.times.chase = parse_duration(value);
        } else if (key == "response.rebook") {
            c.times.rebook = parse_duration(value);
        } else if (key == "campaign.reply_window") {
            c.reply_window = parse_duration(value);
        } else if (key == "response.birthday") {
            Duration d = parse_duration(value);
            if (d.unit != Unit::days || d.count > 60) throw UsageError("expected days, 1d to 60d");
            c.times.birthday_days = static_cast<int>(d.count);
        } else if (key == "remind.at") {
            if (value.empty() || std::any_of(value.begin(), value.end(), [](unsigned char ch) {
                    return ch < 0x20 || ch == 0x7f;
                }))
                throw UsageError("expected a calendar time such as \"Mon..Fri 08:30\"");
            c.remind_at = value;
        } else if (key == "sync.contacts_dir" || key == "sync.followups_dir" ||
                   key == "sync.contacts_pair" || key == "sync.followups_pair" ||
                   key == "sync.meetings_dir" || key == "sync.meetings_pair" ||
                   key == "sync.vdirsyncer" || key == "sync.config") {
            if (std::any_of(value.begin(), value.end(),
                            [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }))
                throw UsageError("expected a name or a path without control characters");
            if (key == "sync.vdirsyncer" && value.empty())
                throw UsageError("expected the vdirsyncer program (a name or a path)");
            if (key == "sync.contacts_pair" || key == "sync.followups_pair" ||
                key == "sync.meetings_pair")
                if (value.starts_with("-")) throw UsageError("expected a vdirsyncer pair name");
            std::string* field = key == "sync.contacts_dir"     ? &c.sync_contacts_dir
                                 : key == "sync.followups_dir"  ? &c.sync_followups_dir
                                 : key == "sync.contacts_pair"  ? &c.sync_contacts_pair
                                 : key == "sync.followups_pair" ? &c.sync_followups_pair
                                 : key == "sync.meetings_dir"   ? &c.sync_meetings_dir
                                 : key == "sync.meetings_pair"  ? &c.sync_meetings_pair
                                 : key == "sync.vdirsyncer"     ? &c.sync_vdirsyncer
                                                                : &c.sync_vdirsyncer_config;
            *field = value;
        } else if (key.starts_with("plans.")) {
            std::string name = key.substr(6);
            Plan p = parse_plan(name, value);
            std::erase_if(c.plans,
                          [&](const Plan& q) { return text::lower(q.name) == text::lower(name); });
            c.plans.push_back(std::move(p));
        } else {
            throw UsageError(
                "unknown setting (known: plan, channel, color, response.referral, "
                "response.report, response.checkin, response.chase, response.rebook, "
                "response.birthday, campaign.reply_window, channels.custom, social.networks, "
                "social.fallback, remind.at, "
                "remind.meeting, sync.contacts_dir, sync.followups_dir, sync.contacts_pair, "
                "sync.followups_pair, sync.meetings_dir, sync.meetings_pair, sync.vdirsyncer, "
                "sync.config, plans.NAME)");
        }
    } catch (const UsageError& e) {
        throw fail(e.what());
    }
}

/// The key a setting is listed under: "colour" is "color", plan names as written.
std::string origin_key(const std::string& key) {
    return key == "colour" ? "color" : key;
}

/// A duration as the config file writes it: "24h", "90min", "2w".
std::string duration_text(const Duration& d) {
    const char* unit = "d";
    switch (d.unit) {
    case Unit::minutes:
        unit = "min";
        break;
    case Unit::hours:
        unit = "h";
        break;
    case Unit::days:
        unit = "d";
        break;
    case Unit::weeks:
        unit = "w";
        break;
    case Unit::months:
        unit = "m";
        break;
    case Unit::years:
        unit = "y";
        break;
    }
    return fmt::format("{}{}", d.count, unit);
}

} // namespace

std::string config_path(const char* xdg_config_home, const char* home) {
    if (xdg_config_home && *xdg_config_home == '/')
        return std::string(xdg_config_home) + "/followup/config.toml";
    if (home && *home) return std::string(home) + "/.config/followup/config.toml";
    return {};
}

namespace {

/// The largest config file read (a config is a few hundred bytes).
constexpr std::size_t config_limit = std::size_t{1} << 20;

} // namespace

Plan parse_plan(std::string_view name, std::string_view steps) {
    static constexpr Kind order[] = {Kind::note, Kind::connect, Kind::meet};
    std::string n(text::trim(name));
    if (n.empty()) throw UsageError("a plan needs a name");
    if (text::lower(n) == "none" || n == "24/7/30")
        throw UsageError(fmt::format("plan '{}' is built in", n));
    Plan plan{n, {}};
    std::size_t position = 0;
    for (const auto& part : text::split(steps, ',')) {
        std::string_view item = text::trim(part);
        if (item.empty()) throw UsageError(fmt::format("empty step in plan '{}'", n));
        Kind kind = position < 3 ? order[position] : Kind::custom;
        if (auto colon = item.find(':'); colon != std::string_view::npos) {
            kind = parse_kind(item.substr(0, colon));
            item = text::trim(item.substr(colon + 1));
        }
        if (plan.steps.size() == max_plan_steps)
            throw UsageError(fmt::format("plan '{}' has more than {} steps", n, max_plan_steps));
        plan.steps.push_back({kind, parse_duration(item)});
        ++position;
    }
    return plan;
}

Config parse_config(std::string_view text, const std::string& path) {
    Config c;
    c.path = path;
    c.plans = builtin_plans();
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw UsageError(fmt::format("{}:{}: {}", path, e.source().begin.line, e.description()));
    }
    // Plans first, so that `plan = "quick"` may name a plan defined below it.
    auto line_of = [&](const toml::node& node) { return node.source().begin.line; };
    auto value_of = [&](const std::string& key, const toml::node& node) -> std::string {
        if (auto s = node.value<std::string>()) return *s;
        if (const auto* list = node.as_array()) { // a list of strings, as "a,b"
            std::string joined;
            for (const auto& item : *list) {
                auto v = item.value<std::string>();
                if (!v)
                    throw UsageError(fmt::format("{}:{}: {}: expected strings in quotes", path,
                                                 line_of(node), key));
                joined += (joined.empty() ? "" : ",") + *v;
            }
            return joined;
        }
        throw UsageError(
            fmt::format("{}:{}: {}: expected a string in quotes", path, line_of(node), key));
    };
    std::vector<std::pair<std::string, const toml::node*>> settings;
    for (const auto& [k, node] : root) {
        std::string key(k.str());
        if (const auto* table = node.as_table()) {
            if (key != "plans" && key != "response" && key != "campaign" && key != "channels" &&
                key != "remind" && key != "social" && key != "sync")
                throw UsageError(
                    fmt::format("{}:{}: [{}]: unknown section (known: [plans], "
                                "[response], [campaign], [channels], [social], [remind], [sync])",
                                path, line_of(node), key));
            for (const auto& [k2, node2] : *table)
                settings.emplace_back(key + "." + std::string(k2.str()), &node2);
        } else {
            settings.emplace_back(key, &node);
        }
    }
    std::stable_partition(settings.begin(), settings.end(), [](const auto& s) {
        return s.first.starts_with("plans.") || s.first == "channels.custom";
    });
    for (const auto& [key, node] : settings) {
        set(c, key, value_of(key, *node), fmt::format("{}:{}: ", path, line_of(*node)));
        c.origins[origin_key(key)] = "file";
    }
    return c;
}

Config load_config(const std::string& path) {
    if (path.empty()) {
        Config c;
        c.plans = builtin_plans();
        return c;
    }
    // A missing file is no config; a folder, a FIFO or a device is an error (a FIFO is never
    // opened, so it cannot hang; /dev/zero is not read until memory runs out).
    if (file_kind(path) == "missing") {
        Config c;
        c.plans = builtin_plans();
        return c;
    }
    return parse_config(read_regular_file(path, config_limit), path);
}

void apply_setting(Config& config, std::string_view assignment) {
    auto eq = assignment.find('=');
    if (eq == std::string_view::npos)
        throw UsageError(fmt::format("--set '{}': expected KEY=VALUE", assignment));
    std::string key(text::trim(assignment.substr(0, eq)));
    set(config, key, std::string(text::trim(assignment.substr(eq + 1))), "--set ");
    config.origins[origin_key(key)] = "--set";
}

std::vector<SettingValue> list_settings(const Config& c) {
    auto origin = [&](const std::string& key) {
        auto it = c.origins.find(key);
        return it == c.origins.end() ? std::string("default") : it->second;
    };
    std::vector<SettingValue> out;
    auto add = [&](const std::string& key, std::string value) {
        out.push_back({key, std::move(value), origin(key)});
    };
    add("plan", c.default_plan);
    add("channel", c.default_channel);
    add("color", c.color ? "auto" : "never");
    add("response.referral", duration_text(c.times.referral));
    add("response.report", duration_text(c.times.report));
    add("response.checkin", duration_text(c.times.checkin));
    add("response.chase", duration_text(c.times.chase));
    add("response.rebook", duration_text(c.times.rebook));
    add("response.birthday", fmt::format("{}d", c.times.birthday_days));
    add("campaign.reply_window", duration_text(c.reply_window));
    add("channels.custom", text::join(c.custom_channels, ","));
    add("social.networks", text::join(c.social_networks, ","));
    add("social.fallback", c.connect_fallback);
    add("remind.at", c.remind_at);
    add("remind.meeting", duration_text(c.remind_meeting));
    add("sync.contacts_dir", c.sync_contacts_dir);
    add("sync.followups_dir", c.sync_followups_dir);
    add("sync.contacts_pair", c.sync_contacts_pair);
    add("sync.followups_pair", c.sync_followups_pair);
    add("sync.meetings_dir", c.sync_meetings_dir);
    add("sync.meetings_pair", c.sync_meetings_pair);
    add("sync.vdirsyncer", c.sync_vdirsyncer);
    add("sync.config", c.sync_vdirsyncer_config);
    const auto& builtin = builtin_plans();
    for (const auto& p : c.plans) {
        if (std::any_of(builtin.begin(), builtin.end(),
                        [&](const Plan& b) { return b.name == p.name; }))
            continue;
        std::vector<std::string> steps;
        for (const auto& step : p.steps)
            steps.push_back(fmt::format("{}:{}", to_string(step.kind), duration_text(step.after)));
        add("plans." + p.name, text::join(steps, ", "));
    }
    return out;
}

} // namespace followup
