#pragma once
// The configuration file, config.toml: plans, response times, the default channel, colour.

#include <followup/domain/referrals.hpp>
#include <followup/domain/scheduler.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// Every setting, with the spec's defaults.
struct Config {
    std::string path;                     ///< the file it was read from, "" when none
    std::vector<Plan> plans;              ///< the built-in plans, then the file's
    std::string default_plan = "24/7/30"; ///< `plan` in the file
    ResponseTimes times;                  ///< [response] referral, report, checkin, birthday
    std::string default_channel;          ///< `channel`: given to new contacts without --via
    /// [channels] custom: channel names besides the built-in ones ("matrix", "discord").
    std::vector<std::string> custom_channels;
    /// [social] networks: where `connect` steps happen, in order of preference.
    std::vector<std::string> social_networks{"linkedin"};
    /// [social] fallback: the 7-day step of a person with no social profile who is reached
    /// another way than email (phone, sms, post, a messenger, discord...): "contacts" (add them
    /// to your contacts that way), "search" (a people-search on the first network), "none" (no
    /// step).
    std::string connect_fallback = "contacts";
    bool color = true; ///< `color = "never"` turns colour off
    /// [campaign] reply_window: an incoming touch this soon after a campaign's touch is a reply.
    Duration reply_window{14, Unit::days};

    /// [remind] at: when the timer of `remind --install` fires (systemd's OnCalendar=).
    std::string remind_at = "Mon..Fri 08:30";
    /// [remind] meeting: how long before a meeting its calendar alarm fires.
    Duration remind_meeting{1, Unit::hours};
    /// [sync] `followup sync`: the vdirs of contacts and follow-ups ("" for none: that kind is
    /// not synced), the vdirsyncer pairs that sync them with a server, the vdirsyncer program
    /// and its config file ("" for vdirsyncer's own default).
    std::string sync_contacts_dir, sync_followups_dir;
    std::string sync_contacts_pair, sync_followups_pair;
    /// Booked meetings as events in a calendar of their own ("" for none: they stay to-dos
    /// among the follow-ups).
    std::string sync_meetings_dir, sync_meetings_pair;
    std::string sync_vdirsyncer = "vdirsyncer";
    std::string sync_vdirsyncer_config;
    /// Where each setting that is not a default came from: key -> "file" or "--set".
    std::map<std::string, std::string> origins;
};

/// One setting as `followup config list` shows it.
struct SettingValue {
    std::string key;    ///< "response.referral", "plans.quick"
    std::string value;  ///< as the file would write it: "24h", "note:24h, connect:3d"
    std::string origin; ///< "default", "file" or "--set"
};

/// Every documented setting with its value and origin, in the order of docs/config.md, then
/// the plans the file or --set defined.
std::vector<SettingValue> list_settings(const Config& config);

/// The config file's path: $XDG_CONFIG_HOME/followup/config.toml, else
/// ~/.config/followup/config.toml ("" when neither variable is set).
std::string config_path(const char* xdg_config_home, const char* home);

/// Reads the config file at `path`; a missing file gives the defaults. Throws UsageError naming
/// the file, the line and the setting when anything in it is wrong.
Config load_config(const std::string& path);

/// Parses a config file's text (`path` only names it in errors).
Config parse_config(std::string_view text, const std::string& path);

/// Applies one `KEY=VALUE` override from the command line (`--set response.referral=12h`,
/// `--set plans.quick=24h,3d`, `--set plan=quick`), with the same checks as the file.
void apply_setting(Config& config, std::string_view assignment);

/// The most steps a plan may have (each `add` with the plan makes one follow-up per step).
constexpr std::size_t max_plan_steps = 100;

/// Parses a plan: comma-separated steps, each a duration ("24h") or a kind and a duration
/// ("note:24h"). Bare durations take note, connect and meet in order, then custom. Throws
/// UsageError for more than max_plan_steps steps.
Plan parse_plan(std::string_view name, std::string_view steps);

} // namespace followup
