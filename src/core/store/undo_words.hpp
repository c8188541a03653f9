#pragma once
// People's words for what a command recorded in the undo log changed ("2 follow-ups changed"),
// shared by the SQLite log (changesets) and the PostgreSQL one (row images).

#include <array>
#include <fmt/format.h>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace followup::undo_words {

/// People's words for a table's rows.
inline std::string_view noun(std::string_view table, bool plural) {
    static const std::map<std::string_view, std::pair<std::string_view, std::string_view>> nouns{
        {"contacts", {"contact", "contacts"}},
        {"contact_tags", {"tag", "tags"}},
        {"events", {"event", "events"}},
        {"followups", {"follow-up", "follow-ups"}},
        {"interactions", {"touch", "touches"}},
        {"referrals", {"referral", "referrals"}},
        {"referral_events", {"referral step", "referral steps"}},
        {"reach", {"way to reach", "ways to reach"}}};
    auto it = nouns.find(table);
    if (it == nouns.end()) return table;
    return plural ? it->second.second : it->second.first;
}

/// Rows added, changed and removed, per table.
using Counts = std::map<std::string, std::array<int, 3>>;

/// "2 follow-ups changed", "1 touch added", in table order.
inline std::vector<std::string> describe(const Counts& counts) {
    std::vector<std::string> out;
    for (const auto& [table, k] : counts)
        for (std::size_t i = 0; i < 3; ++i)
            if (k[i] > 0)
                out.push_back(fmt::format("{} {} {}", k[i], noun(table, k[i] != 1),
                                          i == 0   ? "added"
                                          : i == 1 ? "changed"
                                                   : "removed"));
    return out;
}

} // namespace followup::undo_words
