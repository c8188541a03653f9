#pragma once
// Referrals: leads you receive and leads you give, and the follow-ups that close each loop.

#include <array>
#include <followup/domain/model.hpp>
#include <followup/time/dates.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// How long each referral step may take (configurable later; these are the spec's defaults).
struct ResponseTimes {
    Duration referral{24, Unit::hours}; ///< contact a prospect you were given
    Duration report{24, Unit::hours};   ///< tell the referrer how it went
    Duration checkin{7, Unit::days};    ///< ask the member you gave a lead whether they acted
    Duration chase{3, Unit::days};      ///< how far `chase` moves a deadline
    int birthday_days{5};               ///< send a birthday card this many days ahead
};

/// Every referral status, in the order a referral moves.
inline constexpr std::array<std::string_view, 7> referral_statuses{
    "new", "contacted", "met", "won", "lost", "declined", "passed"};

/// True for one of referral_statuses, exactly as written (lower case).
bool is_referral_status(std::string_view status);

/// The largest amount of closed business followup keeps (just under a trillion): every amount
/// prints in at most 15 digits.
inline constexpr double max_amount = 999'999'999'999.99;

/// The one rule for an amount of closed business, from the command line or any file: a finite
/// number from 0 to max_amount, kept to the cent. Returns it rounded to the cent; throws
/// UsageError "WHAT must be ..." (`what` names it: "--amount", "\"amount\"").
double check_amount(double amount, std::string_view what);

/// Validates a referral status: new, contacted, met, won, lost, declined or passed.
std::string parse_referral_status(std::string_view text);

} // namespace followup
