#pragma once
// Results: how well follow-ups are kept, referrals, and touches per week.

#include <cstdint>
#include <followup/domain/referrals.hpp>
#include <followup/time/dates.hpp>
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
    Ledger referrals;                  ///< referrals made since: counts, closed and given
    /// Touches (interactions either way) in each of the last 12 weeks, oldest first, each
    /// labelled by its Monday.
    std::vector<std::pair<date::local_days, int>> touches_per_week;
};

/// The rows `followup stats` counts, as the store reads them from `from` on (`now`: for what
/// is overdue).
struct StatsRows {
    std::vector<std::pair<std::int64_t, bool>> lateness; ///< done: seconds late, a waiting
    int open{};
    int overdue{};
    std::vector<Referral> referrals; ///< made (created) from `from` on
    std::vector<Instant> touches;    ///< times of touches from `touches_from` to `now`
};

/// The first day of the twelve weeks of touches that `stats` charts: the Monday eleven weeks
/// before this week's (ISO weeks, local).
date::local_days stats_first_week(const TimeContext& tc);

/// Computes the statistics at `tc.now` from the rows the store read (touches from the start of
/// stats_first_week on).
Stats compute_stats(const StatsRows& rows, std::optional<Instant> since, const TimeContext& tc);

/// Draws labelled horizontal bars, `width` columns for the largest value: Unicode eighth blocks,
/// or '#' when `unicode` is false.
std::string bar_chart(const std::vector<std::pair<std::string, int>>& rows, bool unicode,
                      int width = 40);

} // namespace followup
