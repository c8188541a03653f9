#include <array>
#include <fmt/format.h>
#include <followup/channels.hpp>
#include <followup/errors.hpp>
#include <followup/text.hpp>
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

/// Keeps the digits of a phone number, and a leading '+' when `plus` is set and there was one.
std::string phone_digits(std::string_view phone, bool plus) {
    std::string out;
    auto t = text::trim(phone);
    if (plus && !t.empty() && t.front() == '+') out += '+';
    for (char ch : t)
        if (ch >= '0' && ch <= '9') out += ch;
    return out;
}

bool is_url(std::string_view s) {
    return s.starts_with("https://") || s.starts_with("http://");
}

/// The handle without a leading '@'.
std::string bare(std::string_view handle) {
    auto t = text::trim(handle);
    if (!t.empty() && t.front() == '@') t.remove_prefix(1);
    return std::string(t);
}

/// A percent-encoded path or query component (RFC 3986 unreserved characters kept).
std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '@' || ch == '+') {
            out += ch;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
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

Via effective_via(const Contact& c) {
    if (!c.channel.empty()) {
        Via v{c.channel, c.handle};
        if (v.handle.empty()) {
            if (v.channel == "email") v.handle = c.email;
            if (v.channel == "phone" || v.channel == "sms" || v.channel == "whatsapp" ||
                v.channel == "signal")
                v.handle = c.phone;
        }
        return v;
    }
    if (!c.email.empty()) return {"email", c.email};
    if (!c.phone.empty()) return {"phone", c.phone};
    return {};
}

std::string channel_label(std::string_view channel) {
    for (const auto& [name, label] : labels)
        if (name == channel) return std::string(label);
    return std::string(channel);
}

bool is_social(std::string_view channel) {
    return channel == "linkedin" || channel == "x" || channel == "facebook" ||
           channel == "instagram" || channel == "mastodon";
}

std::string channel_link(const Via& via) {
    const std::string& ch = via.channel;
    std::string h = bare(via.handle);
    if (h.empty()) return {};
    if (is_url(h)) return h;
    if (ch == "email") {
        if (text::lower(h).starts_with("mailto:")) h.erase(0, 7);
        return h.find('@') == std::string::npos ? "" : "mailto:" + percent_encode(h);
    }
    bool phone_like = ch == "phone" || ch == "sms" || ch == "whatsapp" || ch == "signal";
    if (phone_like && phone_digits(h, false).empty()) return {}; // no number to call
    if (ch == "phone") return "tel:" + phone_digits(h, true);
    if (ch == "sms") return "sms:" + phone_digits(h, true);
    if (ch == "whatsapp") return "https://wa.me/" + phone_digits(h, false);
    if (ch == "signal") return "https://signal.me/#p/" + phone_digits(h, true);
    if (ch == "telegram") return "https://t.me/" + percent_encode(h);
    if (ch == "linkedin") {
        if (h.starts_with("linkedin.com/") || h.starts_with("www.linkedin.com/"))
            return "https://" + h;
        if (h.starts_with("in/")) h.erase(0, 3);
        return "https://www.linkedin.com/in/" + percent_encode(h);
    }
    if (ch == "x") return "https://x.com/" + percent_encode(h);
    if (ch == "facebook") return "https://www.facebook.com/" + percent_encode(h);
    if (ch == "instagram") return "https://www.instagram.com/" + percent_encode(h);
    if (ch == "skype") return "skype:" + percent_encode(h) + "?chat";
    if (ch == "steam") return "https://steamcommunity.com/id/" + percent_encode(h);
    return {};
}

} // namespace followup
