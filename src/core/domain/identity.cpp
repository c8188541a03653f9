#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace followup {

namespace identity {

namespace {

bool has_digit(std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// How well two words fit: 3 equal, 2 a typo of each other (one edit in a word of four
/// letters or more, two in one of seven or more; never in a word with digits), 1 an initial
/// ("p" for "priya"), 0 not at all.
int word_fit(std::string_view a, std::string_view b) {
    if (a == b) return 3;
    if (a.empty() || b.empty()) return 0;
    if ((a.size() == 1 && b.front() == a.front()) || (b.size() == 1 && a.front() == b.front()))
        return 1;
    if (has_digit(a) || has_digit(b)) return 0;
    std::size_t shorter = std::min(a.size(), b.size());
    std::size_t d = text::edit_distance(a, b);
    if ((shorter >= 4 && d <= 1) || (shorter >= 7 && d <= 2)) return 2;
    return 0;
}

/// The keys of a contact's identifiers of one kind.
std::vector<std::string> keys_of(const Contact& c, int kind) {
    std::vector<std::string> out;
    if (kind == 0)
        for (const auto& e : c.emails)
            if (!text::trim(e.value).empty()) out.push_back(text::lower(text::trim(e.value)));
    if (kind == 1)
        for (const auto& p : c.phones)
            if (!text::trim(p.value).empty()) out.push_back(phone_key(p.value));
    if (kind == 2)
        for (const auto& p : c.profiles)
            if (!text::trim(p.handle).empty()) out.push_back(profile_key(p));
    return out;
}

unsigned kinds_of(const Person& p) {
    return (p.emails.empty() ? 0U : 1U) | (p.phones.empty() ? 0U : 2U) |
           (p.profiles.empty() ? 0U : 4U);
}

/// The first identifier two people share ("email ann@x.org"), "" when none.
std::string shared(const Person& a, const Person& b) {
    auto common = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
        for (const auto& k : x)
            if (!k.empty() && std::find(y.begin(), y.end(), k) != y.end()) return k;
        return std::string();
    };
    if (auto k = common(a.emails, b.emails); !k.empty()) return "email " + k;
    if (auto k = common(a.phones, b.phones); !k.empty()) return "phone " + k;
    if (auto k = common(a.profiles, b.profiles); !k.empty()) return "profile " + k;
    return {};
}

/// Whether each typed word starts a different word of the name, in order (a typed word with a
/// digit must be the whole word).
bool fits_as_prefixes(const std::vector<std::string>& typed, const std::vector<std::string>& name) {
    std::size_t j = 0;
    for (const auto& t : typed) {
        bool whole = has_digit(t);
        while (j < name.size() && !(whole ? name[j] == t : name[j].starts_with(t)))
            ++j;
        if (j == name.size()) return false;
        ++j;
    }
    return true;
}

std::string joined(const std::vector<std::string>& words, std::string_view sep) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += sep;
        out += w;
    }
    return out;
}

} // namespace

std::vector<std::string> name_words(std::string_view name) {
    std::string folded = text::fold(name);
    std::vector<std::string> out;
    std::string word;
    auto digit = [&](std::size_t i) {
        return i < folded.size() && folded[i] >= '0' && folded[i] <= '9';
    };
    for (std::size_t i = 0; i < folded.size(); ++i) {
        char ch = folded[i];
        // A hyphen joins the parts of a code ("W15-5") but parts a name ("Jean-Luc").
        bool hyphen = ch == '-' && !(i > 0 && digit(i - 1)) && !digit(i + 1);
        bool cut = hyphen || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' ||
                   ch == '\v' || ch == '.' || ch == ',' || ch == '"' || ch == '(' || ch == ')' ||
                   ch == ';';
        if (!cut) {
            word += ch;
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

std::string name_key(std::string_view name) {
    auto words = name_words(name);
    std::sort(words.begin(), words.end());
    return joined(words, " ");
}

NameFit compare_names(std::string_view a, std::string_view b) {
    auto wa = name_words(a), wb = name_words(b);
    if (wa.empty() || wb.empty()) return NameFit::other;
    auto sa = wa, sb = wb;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    if (sa == sb) return NameFit::same;
    // Written together or apart: "priyashah" and "Priya Shah".
    std::string ja = joined(wa, ""), jb = joined(wb, "");
    if (ja == jb) return NameFit::near;
    if (!has_digit(ja) && !has_digit(jb) && std::min(ja.size(), jb.size()) >= 5 &&
        text::edit_distance(ja, jb) <= 1 && wa.size() == wb.size())
        return NameFit::near;
    // Each word of the shorter name fits a different word of the longer one, one of them
    // better than by an initial.
    const auto& few = wa.size() <= wb.size() ? wa : wb;
    const auto& many = wa.size() <= wb.size() ? wb : wa;
    std::vector<bool> used(many.size(), false);
    bool strong = false;
    for (const auto& w : few) {
        int best = 0;
        std::size_t at = 0;
        for (std::size_t j = 0; j < many.size(); ++j) {
            if (used[j]) continue;
            int f = word_fit(w, many[j]);
            if (f > best) best = f, at = j;
        }
        if (best == 0) return NameFit::other;
        used[at] = true;
        if (best >= 2) strong = true;
    }
    return strong ? NameFit::near : NameFit::other;
}

Person person_of(const Contact& c) {
    Person p;
    p.id = c.id;
    p.uuid = c.uuid;
    p.name = c.name;
    p.emails = keys_of(c, 0);
    p.phones = keys_of(c, 1);
    p.profiles = keys_of(c, 2);
    p.archived = c.archived;
    return p;
}

PersonMatch match_person(const Person& probe, const std::vector<Person>& candidates) {
    PersonMatch out;
    if (!probe.uuid.empty())
        for (const auto& c : candidates)
            if (c.uuid == probe.uuid) {
                out.verdict = Verdict::same;
                out.id = c.id;
                out.why = "same uuid";
                return out;
            }
    // A shared identifier, and names that fit: the same name first, then a near one.
    std::vector<std::pair<const Person*, std::string>> sharing;
    for (const auto& c : candidates)
        if (auto what = shared(probe, c); !what.empty()) sharing.emplace_back(&c, what);
    for (NameFit wanted : {NameFit::same, NameFit::near})
        for (const auto& [c, what] : sharing) {
            bool nameless = name_words(probe.name).empty() || name_words(c->name).empty();
            if (nameless || compare_names(probe.name, c->name) == wanted) {
                out.verdict = Verdict::same;
                out.id = c->id;
                out.why = "same " + what + (nameless ? "" : " and name");
                return out;
            }
        }
    // The same name, without an identifier in common.
    unsigned mine = kinds_of(probe);
    std::vector<std::string> whys;
    for (const auto& c : candidates) {
        if (compare_names(probe.name, c.name) != NameFit::same) continue;
        unsigned theirs = kinds_of(c);
        if ((mine & theirs) != 0) {
            // Both have emails (say), and none is the other's: two people of one name.
            if (!out.namesake) out.namesake = c.id, out.conflict = mine & theirs;
            continue;
        }
        bool fits = mine != 0 || theirs == 0;
        if (fits && !c.taken) {
            out.verdict = Verdict::same;
            out.id = c.id;
            out.why = "same name";
            out.namesake.reset();
            out.conflict = 0;
            return out;
        }
        out.suggestions.push_back(c.id);
        whys.emplace_back(fmt::format("#{}: same name", c.id));
    }
    // An identifier in common under another name: a switchboard, an info@ or family address.
    for (const auto& [c, what] : sharing)
        if (std::find(out.suggestions.begin(), out.suggestions.end(), c->id) ==
            out.suggestions.end()) {
            out.suggestions.push_back(c->id);
            whys.emplace_back(fmt::format("#{}: shares {} under another name", c->id, what));
        }
    out.why = joined(whys, "; ");
    out.verdict = out.suggestions.empty() ? Verdict::new_person : Verdict::suggestion;
    return out;
}

NameLookup look_up_name(std::string_view typed, const std::vector<NameCandidate>& candidates) {
    NameLookup out;
    auto words = name_words(typed);
    if (words.empty()) return out;
    std::vector<std::vector<std::string>> names;
    names.reserve(candidates.size());
    for (const auto& c : candidates)
        names.push_back(name_words(c.name));
    auto sorted = words;
    std::sort(sorted.begin(), sorted.end());
    // Active contacts first; archived ones only when no active one fits.
    for (bool archived : {false, true}) {
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if (candidates[i].archived != archived) continue;
            auto s = names[i];
            std::sort(s.begin(), s.end());
            if (s == sorted) out.ids.push_back(candidates[i].id);
        }
        if (!out.ids.empty()) {
            out.how = NameLookup::How::exact;
            return out;
        }
    }
    for (bool archived : {false, true}) {
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (candidates[i].archived == archived && fits_as_prefixes(words, names[i]))
                out.ids.push_back(candidates[i].id);
        if (!out.ids.empty()) {
            out.how = NameLookup::How::prefix;
            return out;
        }
    }
    // Nobody: the names near it, then those that hold it, nearest first.
    std::string key = joined(words, " ");
    struct Ranked {
        bool archived;
        std::size_t score;
        std::string name;
        Id id;
    };
    std::vector<Ranked> ranked;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        std::string theirs = joined(names[i], " ");
        NameFit fit = compare_names(typed, candidates[i].name);
        std::size_t score = 0;
        if (fit == NameFit::near)
            score = text::edit_distance(key, theirs);
        else if (theirs.find(key) != std::string::npos)
            score = 100 + theirs.size() - key.size();
        else
            continue;
        ranked.push_back({candidates[i].archived, score, theirs, candidates[i].id});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Ranked& x, const Ranked& y) {
        return std::tie(x.archived, x.score, x.name, x.id) <
               std::tie(y.archived, y.score, y.name, y.id);
    });
    for (std::size_t i = 0; i < ranked.size() && i < 5; ++i)
        out.suggestions.push_back(ranked[i].id);
    return out;
}

std::string did_you_mean(std::string_view typed, const std::vector<NameCandidate>& suggestions) {
    std::string out = fmt::format("no contact '{}'", typed);
    if (suggestions.empty()) return out;
    std::vector<std::string> names;
    for (const auto& c : suggestions)
        names.push_back(fmt::format("#{} {}", c.id, c.name));
    out += "; did you mean ";
    if (names.size() == 1) {
        out += names.front();
    } else {
        std::string last = names.back();
        names.pop_back();
        out += joined(names, ", ") + " or " + last;
    }
    out += "?";
    return out;
}

} // namespace identity

std::vector<DuplicatePair> find_duplicates(const std::vector<Contact>& contacts) {
    constexpr const char* kind_names[] = {"email", "phone", "profile"};
    std::vector<std::array<std::set<std::string>, 3>> ids(contacts.size());
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        identity::Person p = identity::person_of(contacts[i]);
        ids[i][0].insert(p.emails.begin(), p.emails.end());
        ids[i][1].insert(p.phones.begin(), p.phones.end());
        ids[i][2].insert(p.profiles.begin(), p.profiles.end());
    }
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
        if (auto key = identity::name_key(contacts[i].name); !key.empty())
            by_name[key].push_back(i);
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
