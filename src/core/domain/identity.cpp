#include <algorithm>
#include <array>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace followup {
namespace {

/// A contact's identifiers of one kind, as keys.
std::set<std::string> keys(const Contact& c, int kind) {
    std::set<std::string> out;
    if (kind == 0)
        for (const auto& e : c.emails)
            if (!text::trim(e.value).empty()) out.insert(text::lower(text::trim(e.value)));
    if (kind == 1)
        for (const auto& p : c.phones)
            if (!text::trim(p.value).empty()) out.insert(phone_key(p.value));
    if (kind == 2)
        for (const auto& p : c.profiles)
            if (!text::trim(p.handle).empty()) out.insert(profile_key(p));
    return out;
}

} // namespace

std::vector<DuplicatePair> find_duplicates(const std::vector<Contact>& contacts) {
    constexpr const char* kind_names[] = {"email", "phone", "profile"};
    std::vector<std::array<std::set<std::string>, 3>> ids(contacts.size());
    for (std::size_t i = 0; i < contacts.size(); ++i)
        for (int k = 0; k < 3; ++k)
            ids[i][static_cast<std::size_t>(k)] = keys(contacts[i], k);
    // Index by each key and by the folded name; a pair of indexes gathers its reasons.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::string>> pairs;
    auto add = [&](std::size_t i, std::size_t j, std::string reason) {
        if (i == j) return;
        if (contacts[i].id > contacts[j].id) std::swap(i, j);
        auto& r = pairs[{i, j}];
        if (std::find(r.begin(), r.end(), reason) == r.end()) r.push_back(std::move(reason));
    };
    for (int k = 0; k < 3; ++k) {
        std::unordered_map<std::string, std::vector<std::size_t>> by_key;
        for (std::size_t i = 0; i < contacts.size(); ++i)
            for (const auto& key : ids[i][static_cast<std::size_t>(k)])
                by_key[key].push_back(i);
        for (const auto& [key, members] : by_key)
            for (std::size_t x = 0; x < members.size(); ++x)
                for (std::size_t y = x + 1; y < members.size(); ++y)
                    add(members[x], members[y], std::string("same ") + kind_names[k] + " " + key);
    }
    std::unordered_map<std::string, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < contacts.size(); ++i)
        by_name[text::fold(text::trim(contacts[i].name))].push_back(i);
    for (const auto& [name, members] : by_name)
        for (std::size_t x = 0; x < members.size(); ++x)
            for (std::size_t y = x + 1; y < members.size(); ++y) {
                std::size_t i = members[x], j = members[y];
                bool conflict = false, shared = false;
                for (std::size_t k = 0; k < 3; ++k) {
                    const auto &a = ids[i][k], &b = ids[j][k];
                    if (a.empty() || b.empty()) continue;
                    bool any = std::any_of(a.begin(), a.end(),
                                           [&](const std::string& s) { return b.count(s) > 0; });
                    if (any)
                        shared = true;
                    else
                        conflict = true;
                }
                // Two people of one name, told apart by their emails, phones or profiles.
                if (conflict && !shared) continue;
                add(i, j, "same name");
            }
    std::vector<DuplicatePair> out;
    out.reserve(pairs.size());
    for (auto& [ij, reasons] : pairs) {
        // Reasons in a fixed order: emails, phones, profiles, then the name.
        std::stable_sort(reasons.begin(), reasons.end(), [](const auto& x, const auto& y) {
            auto rank = [](const std::string& s) {
                return s.starts_with("same email")     ? 0
                       : s.starts_with("same phone")   ? 1
                       : s.starts_with("same profile") ? 2
                                                       : 3;
            };
            return rank(x) < rank(y);
        });
        out.push_back({contacts[ij.first], contacts[ij.second], std::move(reasons)});
    }
    std::sort(out.begin(), out.end(), [](const DuplicatePair& x, const DuplicatePair& y) {
        return std::pair(x.a.id, x.b.id) < std::pair(y.a.id, y.b.id);
    });
    return out;
}

} // namespace followup
