#pragma once
// `followup stats`: the store reads the rows, domain/stats.hpp counts them.

#include <followup/domain/stats.hpp>
#include <followup/store/repository.hpp>
#include <optional>

namespace followup {

/// The statistics at `tc.now`, counted from `since` (none: everything), inside the caller's
/// read transaction.
Stats compute_stats(Repository& repo, std::optional<Instant> since, const TimeContext& tc);

} // namespace followup
