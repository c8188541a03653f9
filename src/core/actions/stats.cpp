#include <followup/actions/stats.hpp>

namespace followup {

Stats compute_stats(Repository& repo, std::optional<Instant> since, const TimeContext& tc) {
    auto rows = repo.stats_rows(since, tc.now, start_of_day(stats_first_week(tc), tc.zone));
    return compute_stats(rows, since, tc);
}

} // namespace followup
