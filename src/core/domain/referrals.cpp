#include <array>
#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup {
namespace {

constexpr std::array<std::string_view, 7> statuses{"new",  "contacted", "met",   "won",
                                                   "lost", "declined",  "passed"};

} // namespace

std::string parse_referral_status(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    for (auto s : statuses)
        if (s == t) return t;
    throw UsageError(fmt::format("unknown referral status '{}' (one of new, contacted, met, won, "
                                 "lost, declined, passed)",
                                 text));
}

} // namespace followup
