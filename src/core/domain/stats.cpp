#include <algorithm>
#include <fmt/format.h>
#include <followup/domain/stats.hpp>
#include <followup/util/text.hpp>
#include <limits>

namespace followup {

date::local_days stats_first_week(const TimeContext& tc) {
    // The last 12 ISO weeks (Monday to Sunday, local), this one included.
    date::local_days today = local_day(tc.now, tc.zone);
    date::local_days monday = today - (date::weekday{today} - date::Monday);
    return monday - date::weeks{11};
}

Stats compute_stats(const StatsRows& rows, std::optional<Instant> since, const TimeContext& tc) {
    date::local_days first = stats_first_week(tc);

    Stats s;
    s.since = since;
    // Yours and theirs apart: a promise made to you that came late is not your lateness.
    std::vector<long long> lateness, theirs;
    for (const auto& [late, waiting] : rows.lateness)
        (waiting ? theirs : lateness).push_back(std::max<long long>(0, late));
    auto median = [](std::vector<long long>& v) -> long long {
        if (v.empty()) return 0;
        std::sort(v.begin(), v.end());
        std::size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    s.done = static_cast<int>(lateness.size());
    s.on_time = static_cast<int>(std::count(lateness.begin(), lateness.end(), 0LL));
    s.median_lateness = median(lateness);
    s.kept_to_you = static_cast<int>(theirs.size());
    s.kept_to_you_on_time = static_cast<int>(std::count(theirs.begin(), theirs.end(), 0LL));
    s.median_their_lateness = median(theirs);
    s.open = rows.open;
    s.overdue = rows.overdue;
    s.referrals = tally(rows.referrals);

    for (int w = 0; w < 12; ++w)
        s.touches_per_week.emplace_back(first + date::weeks{w}, 0);
    for (Instant at : rows.touches) {
        date::local_days day = local_day(at, tc.zone);
        auto week = (day - first).count() / 7;
        if (week >= 0 && week < 12) ++s.touches_per_week[static_cast<std::size_t>(week)].second;
    }
    return s;
}

std::string bar_chart(const std::vector<std::pair<std::string, int>>& rows, bool unicode,
                      int width) {
    int top = 0;
    std::size_t label = 0;
    for (const auto& [name, value] : rows) {
        top = std::max(top, value);
        label = std::max(label, text::width(name));
    }
    static constexpr const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    std::string out;
    for (const auto& [name, value] : rows) {
        // The bar's length in eighths of a column, rounded.
        long long units =
            top == 0 ? 0 : (static_cast<long long>(value) * width * 8 + top / 2) / top;
        std::string bar;
        if (unicode) {
            for (long long i = 0; i < units / 8; ++i)
                bar += "█";
            bar += eighths[units % 8];
        } else {
            bar.assign(static_cast<std::size_t>((units + 4) / 8), '#');
        }
        out +=
            fmt::format("{}  {}{}{}\n", text::pad(name, label), bar, bar.empty() ? "" : " ", value);
    }
    return out;
}

} // namespace followup
