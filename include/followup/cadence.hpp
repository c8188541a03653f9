#pragma once
// Keep in touch: a contact with a cadence ("every 30 days") has one open `reconnect` follow-up,
// due one cadence after the last touch in either direction.

#include <followup/dates.hpp>
#include <followup/model.hpp>
#include <followup/repository.hpp>
#include <optional>

namespace followup {

/// Parses a cadence such as "30d", "2w", "3m" or "1y" into whole days (a month counts 30 days,
/// a year 365). Throws UsageError for hours, minutes, zero or more than ten years.
int parse_cadence(std::string_view text);

/// When the next `reconnect` is due: `every_days` calendar days after the last touch (or the
/// meeting, or the creation, for a contact never touched), at the same local clock time.
Instant reconnect_due(const Contact& c, const date::time_zone* zone);

/// Brings a contact's `reconnect` follow-up in line with its cadence and last touch: creates it,
/// moves it, or (when the contact has no cadence or is archived) skips it. Never leaves more
/// than one open. Call it inside the command's transaction after every touch and every change
/// of cadence.
void sync_reconnect(Repository& repo, Id contact_id, const date::time_zone* zone);

} // namespace followup
