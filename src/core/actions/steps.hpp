#pragma once
// The steps the use cases of every family share (private to actions/): opening and closing
// follow-ups, logging a touch (which keeps the contact's recurring steps in line), and moving a
// referral to a new status with the follow-ups that status opens or closes.

#include <followup/actions/actions.hpp>
#include <optional>
#include <string>
#include <vector>

namespace followup::actions::detail {

/// A referral that is still going: the prospect may yet become business (new, contacted, met).
bool referral_open(const std::string& status);

/// Loads an open follow-up; throws when it is closed already.
Followup open_followup(Repository& repo, Id id);

/// Loads every id first, so that a bad one fails the command before anything is written.
std::vector<Followup> open_followups(Repository& repo, const std::vector<Id>& ids);

/// A new follow-up (not stored yet).
Followup new_step(Id contact, Kind kind, std::string title, Instant due,
                  std::optional<Id> referral);

/// The open follow-up of this kind that belongs to the referral, if any.
std::optional<Followup> open_step(Repository& repo, const Referral& r, std::optional<Id> contact,
                                  Kind kind);

/// Logs a touch and restarts the contact's keep-in-touch clock.
Interaction touch(Env& env, Id contact, Instant at, std::string channel, Direction direction,
                  std::string note, std::optional<Id> followup, std::string campaign = {});

/// Touch accounting (issue 33): one real-world meeting is one touch however many records it
/// moves. The in-person touch with `contact` already logged on the local day of `at` (a
/// meeting held, a referral `met`), if any: a second record of the same meeting logs nothing.
std::optional<Interaction> same_meeting(Env& env, Id contact, Instant at);

/// Closes a follow-up (done or skipped) without a touch.
void close(Repository& repo, Followup& f, Status status, Instant at, const std::string& note);

/// The next check-in of a given referral still open, `response.checkin` after `from`.
Followup schedule_checkin(Env& env, const Referral& r, Instant from);

/// Ends the open check-ins of a given referral (its status is final).
void end_checkins(Env& env, const Referral& r, Instant at, ReferralResult& result);

/// Everything a new status of a referral calls for; `r` has the new status already and the
/// referral step, when a `done` closed it, is closed already.
void apply_status(Env& env, Referral& r, const std::string& note, ReferralResult& result);

} // namespace followup::actions::detail
