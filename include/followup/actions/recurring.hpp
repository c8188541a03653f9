#pragma once
// Keep-in-touch and birthday follow-ups kept in line with a contact (the rules are in
// domain/cadence.hpp): one open `reconnect` and one open `birthday` at most, written inside the
// caller's transaction.

#include <followup/domain/model.hpp>
#include <followup/store/repository.hpp>
#include <followup/time/dates.hpp>
#include <vector>

namespace followup {

/// Brings a contact's `reconnect` follow-up in line with its cadence and last touch: creates it,
/// moves it, or (when the contact has no cadence or is archived) skips it. Never leaves more
/// than one open. Call it inside the command's transaction after every touch and every change
/// of cadence.
void sync_reconnect(Repository& repo, Id contact_id, const Zone* zone);

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
