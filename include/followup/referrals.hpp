#pragma once
// Referrals: leads you receive and leads you give, and the follow-ups that close each loop.

#include <followup/dates.hpp>
#include <followup/model.hpp>
#include <followup/repository.hpp>
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
    int birthday_days{5};               ///< send a birthday card this many days ahead
};

/// Validates a referral status: new, contacted, met, won, lost, declined or passed.
std::string parse_referral_status(std::string_view text);

/// A lead for you: the referral, and a `referral` follow-up to contact the prospect.
Referral receive_referral(Repository& repo, const Contact& referrer, const Contact& prospect,
                          const std::string& note, const TimeContext& tc,
                          const ResponseTimes& times = {});

/// A lead you gave: the referral, and a `checkin` follow-up with the member.
Referral give_referral(Repository& repo, const Contact& member, const Contact& prospect,
                       const std::string& note, const TimeContext& tc,
                       const ResponseTimes& times = {});

/// Moves a referral on and returns the follow-ups it created or moved. For a received referral,
/// leaving `new` completes the open `referral` follow-up; `contacted`, `met`, `declined` and
/// `passed` ask for a `report` to the referrer (one open at a time), `won` for a `thank`. For a
/// given referral, leaving `new` completes the open `checkin`. `amount` only goes with `won`.
std::vector<Followup> update_referral_status(Repository& repo, Id referral_id,
                                             const std::string& status,
                                             std::optional<double> amount, const std::string& note,
                                             const TimeContext& tc,
                                             const ResponseTimes& times = {});

} // namespace followup
