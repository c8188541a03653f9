#pragma once
// Results: how well follow-ups are kept, referrals, and touches per week.

#include <followup/dates.hpp>
#include <followup/repository.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace followup {

/// What `followup stats` reports.
struct Stats {
    std::optional<Instant> since;      ///< counted from here (none: everything)
    int done{};                        ///< your follow-ups done since (promises to you not counted)
    int on_time{};                     ///< of those, done by their original deadline
    long long median_lateness{};       ///< seconds past the original deadline, median of all done
    int kept_to_you{};                 ///< promises made to you (`waiting`) delivered since
    int kept_to_you_on_time{};         ///< of those, by their original deadline
    long long median_their_lateness{}; ///< seconds late, median of those delivered
    int open{};                        ///< open follow-ups now (active contacts)
    int overdue{};                     ///< of those, past their deadline
    int referrals_received{};          ///< received since
    int referrals_given{};             ///< given since
    int referrals_won{};               ///< received since and won
    double closed_value{};             ///< amounts of those won
    /// Touches (interactions either way) in each of the last 12 weeks, oldest first, each
    /// labelled by its Monday.
    std::vector<std::pair<date::local_days, int>> touches_per_week;
};

/// Computes the statistics at `tc.now`.
Stats compute_stats(Repository& repo, std::optional<Instant> since, const TimeContext& tc);

/// Draws labelled horizontal bars, `width` columns for the largest value: Unicode eighth blocks,
/// or '#' when `unicode` is false.
std::string bar_chart(const std::vector<std::pair<std::string, int>>& rows, bool unicode,
                      int width = 40);

} // namespace followup
