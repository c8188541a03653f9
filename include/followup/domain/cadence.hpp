#pragma once
// Keep in touch: a contact with a cadence ("every 30 days") has one open `reconnect` follow-up,
// due one cadence after the last touch in either direction.

#include <followup/domain/model.hpp>
#include <followup/time/dates.hpp>
#include <optional>

namespace followup {

/// Parses a cadence such as "30d", "2w", "3m" or "1y" into whole days (a month counts 30 days,
/// a year 365). Throws UsageError for hours, minutes, zero or more than ten years.
int parse_cadence(std::string_view text);

/// When the next `reconnect` is due: `every_days` calendar days after the last touch (or the
/// meeting, or the creation, for a contact never touched), at the same local clock time.
Instant reconnect_due(const Contact& c, const Zone* zone);

/// Parses a birthday, "MM-DD" or "YYYY-MM-DD" (February 29 is allowed without a year), into the
/// stored form; "" or "none" clears it. Throws UsageError.
std::string parse_birthday(std::string_view text);

/// The next card deadline for a birthday: 23:59:59 local, `days_before` days before the first
/// birthday on or after `from` (February 29 falls on February 28 in other years).
Instant birthday_card_due(const std::string& birthday, date::local_days from, int days_before,
                          const Zone* zone);

} // namespace followup
