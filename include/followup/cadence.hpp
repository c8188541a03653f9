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
Instant reconnect_due(const Contact& c, const Zone* zone);

/// Brings a contact's `reconnect` follow-up in line with its cadence and last touch: creates it,
/// moves it, or (when the contact has no cadence or is archived) skips it. Never leaves more
/// than one open. Call it inside the command's transaction after every touch and every change
/// of cadence.
void sync_reconnect(Repository& repo, Id contact_id, const Zone* zone);

/// Parses a birthday, "MM-DD" or "YYYY-MM-DD" (February 29 is allowed without a year), into the
/// stored form; "" or "none" clears it. Throws UsageError.
std::string parse_birthday(std::string_view text);

/// The next card deadline for a birthday: 23:59:59 local, `days_before` days before the first
/// birthday on or after `from` (February 29 falls on February 28 in other years).
Instant birthday_card_due(const std::string& birthday, date::local_days from, int days_before,
                          const Zone* zone);

/// Keeps one open `birthday` follow-up for a contact with a birthday: due `days_before` days
/// before the next birthday that has not had its card yet (a done or skipped one moves it to the
/// year after). Skips it when the birthday is removed or the contact archived.
void sync_birthday(Repository& repo, Id contact_id, const TimeContext& tc, int days_before = 5);

/// Both of the above: call after every touch, every `done` and every change of a contact.
void sync_recurring(Repository& repo, Id contact_id, const TimeContext& tc, int birthday_days = 5);

/// The same for a contact and all its follow-ups (open and closed) as they are stored, when the
/// caller has them in hand: nothing is read again.
void sync_recurring(Repository& repo, const Contact& c, const std::vector<Followup>& followups,
                    const TimeContext& tc, int birthday_days = 5);

} // namespace followup
