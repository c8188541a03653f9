#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <fmt/format.h>
#include <followup/stats.hpp>
#include <followup/text.hpp>
#include <limits>

namespace followup {
namespace {

std::int64_t secs(Instant t) {
    return t.time_since_epoch().count();
}

int count(SQLite::Database& db, const char* sql, std::int64_t a, std::int64_t b = 0) {
    SQLite::Statement q(db, sql);
    q.bind(1, a);
    if (q.getBindParameterCount() > 1) q.bind(2, b);
    q.executeStep();
    return q.getColumn(0).getInt();
}

} // namespace

Stats compute_stats(Repository& repo, std::optional<Instant> since, const TimeContext& tc) {
    SQLite::Database& db = repo.db();
    Stats s;
    s.since = since;
    std::int64_t from = since ? secs(*since) : std::numeric_limits<std::int64_t>::min();

    // Yours and theirs apart: a promise made to you that came late is not your lateness.
    SQLite::Statement done(db, "SELECT done_at - original_due, kind = 'waiting' FROM followups "
                               "WHERE status = 'done' AND done_at >= ?");
    done.bind(1, from);
    std::vector<long long> lateness, theirs;
    while (done.executeStep())
        (done.getColumn(1).getInt() ? theirs : lateness)
            .push_back(std::max<long long>(0, done.getColumn(0).getInt64()));
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

    const char* open_sql = "SELECT count(*) FROM followups f JOIN contacts c ON c.id = "
                           "f.contact_id WHERE f.status = 'open' AND c.archived = 0 AND f.due < ?";
    s.open = count(db, open_sql, std::numeric_limits<std::int64_t>::max());
    s.overdue = count(db, open_sql, secs(tc.now));

    s.referrals_received = count(
        db, "SELECT count(*) FROM referrals WHERE direction = 'received' AND created >= ?", from);
    s.referrals_given = count(
        db, "SELECT count(*) FROM referrals WHERE direction = 'given' AND created >= ?", from);
    SQLite::Statement won(db, "SELECT count(*), coalesce(sum(amount), 0) FROM referrals WHERE "
                              "direction = 'received' AND status = 'won' AND created >= ?");
    won.bind(1, from);
    won.executeStep();
    s.referrals_won = won.getColumn(0).getInt();
    s.closed_value = won.getColumn(1).getDouble();

    // The last 12 ISO weeks (Monday to Sunday, local), this one included.
    date::local_days today = local_day(tc.now, tc.zone);
    date::local_days monday = today - (date::weekday{today} - date::Monday);
    date::local_days first = monday - date::weeks{11};
    for (int w = 0; w < 12; ++w)
        s.touches_per_week.emplace_back(first + date::weeks{w}, 0);
    SQLite::Statement touches(db, "SELECT at FROM interactions WHERE at >= ? AND at <= ?");
    touches.bind(1, secs(start_of_day(first, tc.zone)));
    touches.bind(2, secs(tc.now));
    while (touches.executeStep()) {
        date::local_days day =
            local_day(Instant{std::chrono::seconds{touches.getColumn(0).getInt64()}}, tc.zone);
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
