#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <type_traits>
#include <utility>

namespace followup {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> aliases{{
    {"twitter", "x"},
    {"text", "sms"},
    {"in person", "in-person"},
    {"inperson", "in-person"},
    {"in_person", "in-person"},
    {"person", "in-person"},
    {"post", "mail"},
    {"postal", "mail"},
    {"wa", "whatsapp"},
    {"tg", "telegram"},
    {"e-mail", "email"},
    {"mobile", "phone"},
    {"call", "phone"},
    {"fb", "facebook"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 15> labels{{
    {"email", "email"},
    {"phone", "phone"},
    {"sms", "SMS"},
    {"whatsapp", "WhatsApp"},
    {"signal", "Signal"},
    {"telegram", "Telegram"},
    {"linkedin", "LinkedIn"},
    {"x", "X"},
    {"facebook", "Facebook"},
    {"instagram", "Instagram"},
    {"skype", "Skype"},
    {"steam", "Steam"},
    {"mail", "post"},
    {"in-person", "in person"},
    {"mastodon", "Mastodon"},
}};

bool is_url(std::string_view s) {
    return s.starts_with("https://") || s.starts_with("http://");
}

/// Appends `s` to `out` percent-encoded as a path or query component (RFC 3986 unreserved
/// characters kept).
void append_percent_encoded(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    auto kept = [](unsigned char u) {
        return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
               u == '-' || u == '.' || u == '_' || u == '~' || u == '@' || u == '+';
    };
    // Most handles need no escape: their kept run goes in at once.
    std::size_t i = 0;
    while (i < s.size() && kept(static_cast<unsigned char>(s[i])))
        ++i;
    out.append(s.substr(0, i));
    for (; i < s.size(); ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        if (kept(u)) {
            out += s[i];
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
}

/// A percent-encoded path or query component (append_percent_encoded).
std::string percent_encode(std::string_view s) {
    std::string out;
    append_percent_encoded(out, s);
    return out;
}

/// Appends the digits of a phone number to `out` (and a leading '+' when `plus` is set and
/// there was one), as phone_digits.
void append_phone_digits(std::string& out, std::string_view phone, bool plus) {
    auto t = text::trim(phone);
    if (plus && !t.empty() && t.front() == '+') out += '+';
    for (char ch : t)
        if (ch >= '0' && ch <= '9') out += ch;
}

/// Keeps the digits of a phone number, and a leading '+' when `plus` is set and there was one.
std::string phone_digits(std::string_view phone, bool plus) {
    std::string out;
    append_phone_digits(out, phone, plus);
    return out;
}

/// Whether a phone number has a digit to dial.
bool has_digit(std::string_view phone) {
    return std::any_of(phone.begin(), phone.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

/// The handle trimmed and without a leading '@' (bare), as a view of it.
std::string_view bare_view(std::string_view handle) {
    auto t = text::trim(handle);
    if (!t.empty() && t.front() == '@') t.remove_prefix(1);
    return t;
}

/// The handle without a leading '@'.
std::string bare(std::string_view handle) {
    return std::string(bare_view(handle));
}

/// `prefix` then `handle` percent-encoded (append_percent_encoded), in one string.
std::string encoded_after(std::string_view prefix, std::string_view handle,
                          std::string_view suffix = {}) {
    std::string out;
    out.reserve(prefix.size() + handle.size() + suffix.size() + 8);
    out.append(prefix);
    append_percent_encoded(out, handle);
    out.append(suffix);
    return out;
}

/// `prefix` then the digits of `phone` (append_phone_digits), in one string.
std::string digits_after(std::string_view prefix, std::string_view phone, bool plus) {
    std::string out;
    out.reserve(prefix.size() + phone.size());
    out.append(prefix);
    append_phone_digits(out, phone, plus);
    return out;
}

} // namespace

std::string normalize_channel(std::string_view name) {
    std::string n = text::lower(text::trim(name));
    for (const auto& [from, to] : aliases)
        if (n == from) return std::string(to);
    if (n.empty()) throw UsageError("empty channel name");
    for (char ch : n) {
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                  ch == '.';
        if (!ok)
            throw UsageError("invalid channel '" + std::string(name) +
                             "' (one word such as email, phone, sms, whatsapp, linkedin)");
    }
    return n;
}

std::string known_channel(std::string_view name, const std::vector<std::string>& custom) {
    std::string n = normalize_channel(name);
    std::vector<std::string> known;
    for (const auto& [channel, label] : labels) {
        if (channel == n) return n;
        known.emplace_back(channel);
    }
    for (const auto& c : custom) {
        if (text::lower(c) == n) return n;
        known.push_back(text::lower(c));
    }
    std::vector<std::string> words = known;
    for (const auto& [from, to] : aliases)
        words.emplace_back(from);
    std::string near = text::nearest(n, words);
    for (const auto& [from, to] : aliases)
        if (near == from) near = std::string(to);
    std::string all = text::join(known, ", ");
    if (!near.empty())
        throw UsageError(fmt::format("unknown channel '{}'; did you mean '{}'? (add others to "
                                     "[channels] custom in the config)",
                                     text::trim(name), near));
    throw UsageError(fmt::format("unknown channel '{}' (one of {}; add others to [channels] "
                                 "custom in the config)",
                                 text::trim(name), all));
}

Via parse_via(std::string_view text, const std::vector<std::string>& custom) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return {known_channel(text, custom), ""};
    return {known_channel(text.substr(0, colon), custom),
            std::string(text::trim(text.substr(colon + 1)))};
}

std::string phone_key(std::string_view phone) {
    std::string d = phone_digits(phone, true);
    if (d.empty() || d == "+") return std::string(text::trim(phone));
    return d;
}

std::string profile_key(const Profile& p) {
    std::string link = text::lower(channel_link({p.network, p.handle}));
    if (link.empty()) link = text::lower(bare(p.handle));
    for (std::string_view scheme : {"https://", "http://"})
        if (link.starts_with(scheme)) link.erase(0, scheme.size());
    if (link.starts_with("www.")) link.erase(0, 4);
    while (!link.empty() && link.back() == '/')
        link.pop_back();
    return p.network + ":" + link;
}

bool is_mobile_label(std::string_view label) {
    std::string l = text::lower(text::trim(label));
    return l == "mobile" || l == "cell" || l == "iphone" || l == "cellular";
}

std::string handle_on(const Contact& c, std::string_view channel) {
    auto first = [](const std::vector<Labeled>& list, const std::string& fallback) {
        return list.empty() ? fallback : list.front().value;
    };
    auto mobile = [&] {
        for (const auto& p : c.phones)
            if (is_mobile_label(p.label)) return p.value;
        return first(c.phones, c.phone);
    };
    auto profile = [&] {
        for (const auto& p : c.profiles)
            if (p.network == channel) return p.handle;
        return std::string();
    };
    if (channel == "email") return first(c.emails, c.email);
    if (channel == "phone") return first(c.phones, c.phone);
    if (channel == "sms") return mobile();
    if (channel == "mail") return first(c.addresses, "");
    if (channel == "in-person" || channel.empty()) return {};
    std::string p = profile();
    if (p.empty() && (channel == "whatsapp" || channel == "signal" || channel == "telegram"))
        return mobile();
    return p;
}

Via effective_via(const Contact& c) {
    if (!c.channel.empty()) return {c.channel, handle_on(c, c.channel)};
    if (std::string e = handle_on(c, "email"); !e.empty()) return {"email", e};
    if (std::string p = handle_on(c, "phone"); !p.empty()) return {"phone", p};
    return {};
}

bool same_email(std::string_view a, std::string_view b) {
    return text::lower(text::trim(a)) == text::lower(text::trim(b));
}

bool same_phone(std::string_view a, std::string_view b) {
    std::string da = phone_digits(a, true), db = phone_digits(b, true);
    return da.empty() || db.empty() ? text::trim(a) == text::trim(b) : da == db;
}

namespace {

/// Puts `item` first in `list`: an entry that is the same (by `same`) moves to the front,
/// keeping its label when `item` has none.
template <class T, class Same> void put_first(std::vector<T>& list, T item, Same same) {
    for (auto it = list.begin(); it != list.end(); ++it) {
        if (!same(*it, item)) continue;
        if constexpr (std::is_same_v<T, Labeled>)
            if (item.label.empty()) item.label = it->label;
        list.erase(it);
        break;
    }
    list.insert(list.begin(), std::move(item));
}

/// Trims every entry, drops empty ones and keeps the first of any that are the same.
template <class T, class Same, class Value>
void tidy(std::vector<T>& list, Same same, Value value) {
    std::vector<T> out;
    for (auto& item : list) {
        value(item) = std::string(text::trim(value(item)));
        if (value(item).empty()) continue;
        if (std::any_of(out.begin(), out.end(), [&](const T& o) { return same(o, item); }))
            continue;
        out.push_back(std::move(item));
    }
    list = std::move(out);
}

} // namespace

void settle_reach(Contact& c) {
    auto labeled_email = [](const Labeled& a, const Labeled& b) {
        return same_email(a.value, b.value);
    };
    auto labeled_phone = [](const Labeled& a, const Labeled& b) {
        return same_phone(a.value, b.value);
    };
    auto labeled_same = [](const Labeled& a, const Labeled& b) { return a.value == b.value; };
    auto profile_same = [](const Profile& a, const Profile& b) {
        return a.network == b.network && text::lower(a.handle) == text::lower(b.handle);
    };
    auto value = [](Labeled& l) -> std::string& { return l.value; };
    std::string email(text::trim(c.email)), phone(text::trim(c.phone));
    std::string handle(text::trim(c.handle));
    if (!phone.empty()) put_first(c.phones, Labeled{phone, ""}, labeled_phone);
    if (!email.empty()) put_first(c.emails, Labeled{email, ""}, labeled_email);
    if (!handle.empty()) {
        const std::string& ch = c.channel;
        if (ch == "email")
            put_first(c.emails, Labeled{handle, ""}, labeled_email);
        else if (ch == "phone" || ch == "sms")
            put_first(c.phones, Labeled{handle, ""}, labeled_phone);
        else if (ch == "mail")
            put_first(c.addresses, Labeled{handle, ""}, labeled_same);
        else if (!ch.empty())
            put_first(c.profiles, Profile{ch, handle}, profile_same);
    }
    tidy(c.emails, labeled_email, value);
    tidy(c.phones, labeled_phone, value);
    tidy(c.addresses, labeled_same, value);
    tidy(c.profiles, profile_same, [](Profile& p) -> std::string& { return p.handle; });
    for (auto& l : c.emails)
        l.label = text::lower(text::trim(l.label));
    for (auto& l : c.phones)
        l.label = text::lower(text::trim(l.label));
    for (auto& l : c.addresses)
        l.label = text::lower(text::trim(l.label));
    c.email = c.emails.empty() ? "" : c.emails.front().value;
    c.phone = c.phones.empty() ? "" : c.phones.front().value;
    c.handle.clear();
}

Labeled parse_labeled(std::string_view text) {
    auto t = text::trim(text);
    Labeled out;
    auto colon = t.find(':');
    if (colon != std::string_view::npos && colon > 0 && colon <= 16) {
        auto word = t.substr(0, colon);
        bool letters = std::all_of(word.begin(), word.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        });
        // "mailto:" and "tel:" are the start of a value, not labels.
        std::string w = text::lower(word);
        if (letters && w != "mailto" && w != "tel" && w != "sms" && w != "http" && w != "https") {
            out.label = w;
            t = text::trim(t.substr(colon + 1));
        }
    }
    if (t.starts_with("mailto:")) t.remove_prefix(7);
    if (t.starts_with("tel:")) t.remove_prefix(4);
    out.value = std::string(text::trim(t));
    if (out.value.empty()) throw UsageError("empty value in '" + std::string(text) + "'");
    return out;
}

Profile parse_profile(std::string_view text, const std::vector<std::string>& custom) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        throw UsageError("a profile is NETWORK:HANDLE (linkedin:in/ann-lee, whatsapp:+44 7700 "
                         "900123), not '" +
                         std::string(text) + "'");
    Profile p{known_channel(text.substr(0, colon), custom),
              std::string(text::trim(text.substr(colon + 1)))};
    if (p.handle.empty()) throw UsageError("no handle in profile '" + std::string(text) + "'");
    return p;
}

std::string people_search_link(std::string_view network, std::string_view name) {
    std::string q;
    for (char ch : text::trim(name))
        q += ch;
    if (q.empty()) return {};
    std::string enc = percent_encode(q);
    if (network == "linkedin")
        return "https://www.linkedin.com/search/results/people/?keywords=" + enc;
    if (network == "facebook") return "https://www.facebook.com/search/people/?q=" + enc;
    if (network == "x") return "https://x.com/search?q=" + enc + "&f=user";
    return {};
}

std::string other_way(const Contact& c, const std::vector<std::string>& networks) {
    auto other = [&](std::string_view ch) {
        return !ch.empty() && ch != "email" && ch != "in-person" && !is_social(ch, networks);
    };
    if (other(c.channel)) return c.channel;
    if (!c.channel.empty()) return {};
    for (const auto& p : c.profiles)
        if (other(p.network)) return p.network;
    if (!c.emails.empty()) return {};
    if (!c.phones.empty()) return "phone";
    if (!c.addresses.empty()) return "mail";
    return {};
}

std::string connect_network(const Contact& c, const std::vector<std::string>& networks,
                            std::string_view fallback) {
    for (const auto& n : networks)
        for (const auto& p : c.profiles)
            if (p.network == n) return n;
    for (const auto& p : c.profiles)
        if (is_social(p.network, networks)) return p.network;
    if (fallback != "search")
        if (std::string way = other_way(c, networks); !way.empty()) return way;
    for (const auto& n : networks)
        if (!people_search_link(n, "x").empty()) return n;
    return networks.empty() ? "linkedin" : networks.front();
}

std::string followup_link(const Followup& f) {
    if (f.kind == Kind::connect && f.handle.empty())
        return people_search_link(f.channel, f.contact);
    return channel_link(f.channel, f.handle);
}

std::string network_of_url(std::string_view url) {
    url = text::trim(url);
    std::string lower = text::lower(url.substr(0, std::min<std::size_t>(url.size(), 8)));
    if (lower.starts_with("https://"))
        url.remove_prefix(8);
    else if (lower.starts_with("http://"))
        url.remove_prefix(7);
    else
        return {};
    std::string host = text::lower(url.substr(0, url.find_first_of("/?#:")));
    auto on = [&](std::string_view domain) {
        return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                                  host[host.size() - domain.size() - 1] == '.');
    };
    if (on("linkedin.com")) return "linkedin";
    if (on("facebook.com") || on("fb.com")) return "facebook";
    if (on("x.com") || on("twitter.com")) return "x";
    if (on("instagram.com")) return "instagram";
    if (on("wa.me")) return "whatsapp";
    if (on("t.me")) return "telegram";
    if (on("steamcommunity.com")) return "steam";
    return {};
}

std::string reach_text(const Followup& f) {
    if (f.channel == "mail") return text::one_line(f.handle);
    return followup_link(f);
}

std::string channel_label(std::string_view channel) {
    for (const auto& [name, label] : labels)
        if (name == channel) return std::string(label);
    return std::string(channel);
}

bool is_social(std::string_view channel, const std::vector<std::string>& extra) {
    if (channel == "linkedin" || channel == "x" || channel == "facebook" ||
        channel == "instagram" || channel == "mastodon")
        return true;
    return std::find(extra.begin(), extra.end(), channel) != extra.end();
}

std::string channel_link(std::string_view ch, std::string_view handle) {
    // Built in one string each, without copies of the handle: `due` makes one for every row.
    std::string_view h = bare_view(handle);
    if (h.empty()) return {};
    if (is_url(h)) return std::string(h);
    if (ch == "email") {
        constexpr std::string_view mailto = "mailto:";
        if (h.size() >= mailto.size() && text::lower(h.substr(0, mailto.size())) == mailto)
            h.remove_prefix(mailto.size());
        return h.find('@') == std::string_view::npos ? "" : encoded_after(mailto, h);
    }
    bool phone_like = ch == "phone" || ch == "sms" || ch == "whatsapp" || ch == "signal";
    if (phone_like && !has_digit(h)) return {}; // no number to call
    if (ch == "phone") return digits_after("tel:", h, true);
    if (ch == "sms") return digits_after("sms:", h, true);
    if (ch == "whatsapp") return digits_after("https://wa.me/", h, false);
    if (ch == "signal") return digits_after("https://signal.me/#p/", h, true);
    if (ch == "telegram") return encoded_after("https://t.me/", h);
    if (ch == "linkedin") {
        if (h.starts_with("linkedin.com/") || h.starts_with("www.linkedin.com/"))
            return "https://" + std::string(h);
        if (h.starts_with("in/")) h.remove_prefix(3);
        return encoded_after("https://www.linkedin.com/in/", h);
    }
    if (ch == "x") return encoded_after("https://x.com/", h);
    if (ch == "facebook") return encoded_after("https://www.facebook.com/", h);
    if (ch == "instagram") return encoded_after("https://www.instagram.com/", h);
    if (ch == "skype") return encoded_after("skype:", h, "?chat");
    if (ch == "steam") return encoded_after("https://steamcommunity.com/id/", h);
    if (ch == "mastodon") { // user@host
        auto at = h.find('@');
        if (at == std::string_view::npos || at == 0 || at + 1 == h.size()) return {};
        return encoded_after("https://" + std::string(h.substr(at + 1)) + "/@", h.substr(0, at));
    }
    return {};
}

} // namespace followup
