#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup {
bool is_referral_status(std::string_view status) {
    return std::find(referral_statuses.begin(), referral_statuses.end(), status) !=
           referral_statuses.end();
}

double check_amount(double amount, std::string_view what) {
    if (!std::isfinite(amount) || amount < 0 || amount > max_amount)
        throw UsageError(
            fmt::format("{} must be a number from 0 to {:.2f} (not {})", what, max_amount, amount));
    return std::round(amount * 100) / 100;
}

std::string parse_referral_status(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    if (is_referral_status(t)) return t;
    throw UsageError(fmt::format("unknown referral status '{}' (one of new, contacted, met, won, "
                                 "lost, declined, passed)",
                                 text));
}

void Ledger::add(const Referral& r) {
    const bool in = r.direction == "received";
    const bool won_it = r.status == "won";
    (in ? received : given_count)++;
    if (!won_it) return;
    (in ? won : given_won)++;
    (in ? closed : given) += r.amount.value_or(0);
}

Ledger tally(const std::vector<Referral>& referrals) {
    Ledger l;
    for (const auto& r : referrals)
        l.add(r);
    return l;
}

} // namespace followup
