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
    Duration rebook{2, Unit::days};     ///< book again after a meeting that did not happen
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

/// The ledger (SPEC Version 3, "The ledger"): the one place that adds up referrals for every
/// screen. `closed` is business you closed from referrals you received; `given` is business
/// others closed from referrals you gave (givers gain). `stats`, `events`, `referrals` and
/// `show`, and their JSON, all print these figures.
struct Ledger {
    int received{};    ///< referrals you received
    int given_count{}; ///< referrals you gave
    int won{};         ///< of those you received, won (by you)
    int given_won{};   ///< of those you gave, won (by the member you gave them to)
    double closed{};   ///< amounts of the received referrals won: business you closed
    double given{};    ///< amounts of the given referrals won: business you gave

    /// Counts one referral in.
    void add(const Referral& r);
};

/// The ledger of these referrals.
Ledger tally(const std::vector<Referral>& referrals);

} // namespace followup
