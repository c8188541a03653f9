// The vCard writer: 3.0 and 4.0 cards of followup's contacts, X-FOLLOWUP-* for followup's own
// fields (the reader is vcard.cpp).

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <optional>

namespace followup {
namespace {

// ---------------------------------------------------------------------------------------------
// Writing.

/// Appends `value` escaped as vCard text (RFC 6350 3.4): \ , ; and line breaks.
void escape_into(std::string& out, std::string_view value) {
    for (std::size_t i = 0; i < value.size(); ++i) {
        char ch = value[i];
        switch (ch) {
        case '\\':
            out += "\\\\";
            break;
        case ',':
            out += "\\,";
            break;
        case ';':
            out += "\\;";
            break;
        case '\r':
            if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
            out += "\\n";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += ch;
        }
    }
}

/// Appends a content line folded at 75 octets (CR LF and a space), never inside a UTF-8
/// character.
void fold_into(std::string& out, std::string_view line) {
    constexpr std::size_t limit = 75;
    std::size_t room = limit;
    while (line.size() > room) {
        std::size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        out.append(line.substr(0, cut));
        out += "\r\n ";
        line.remove_prefix(cut);
        room = limit - 1;
    }
    out.append(line);
    out += "\r\n";
}

class Writer {
public:
    explicit Writer(int version) : v4_(version == 4) {}

    void contact(const Contact& contact) {
        Contact c = contact; // email, phone and a handle given with the channel in their lists
        settle_reach(c);
        plain("BEGIN:VCARD");
        plain(v4_ ? "VERSION:4.0" : "VERSION:3.0");
        text("FN", c.name);
        name(c.name);
        text("ORG", c.company);
        text("TITLE", c.title);
        // Every way to reach them, in order, the first one preferred.
        for (std::size_t i = 0; i < c.emails.size(); ++i)
            text(typed(v4_ ? "EMAIL" : "EMAIL;TYPE=INTERNET", c.emails[i].label,
                       i == 0 && c.emails.size() > 1),
                 c.emails[i].value);
        for (std::size_t i = 0; i < c.phones.size(); ++i)
            text(typed(v4_ ? "TEL;VALUE=text" : "TEL", c.phones[i].label,
                       i == 0 && c.phones.size() > 1),
                 c.phones[i].value);
        for (std::size_t i = 0; i < c.addresses.size(); ++i) {
            // The whole address in the street part: it reads back as it was.
            line_ = typed("ADR", c.addresses[i].label, i == 0 && c.addresses.size() > 1) + ":;;";
            escape_into(line_, c.addresses[i].value);
            line_ += ";;;;";
            fold_into(out_, line_);
        }
        for (const auto& p : c.profiles)
            profile(p);
        birthday(c.birthday);
        if (!c.tags.empty()) {
            line_ = "CATEGORIES:";
            bool first = true;
            for (const auto& t : c.tags) {
                if (t.empty()) continue;
                if (!first) line_ += ',';
                escape_into(line_, t);
                first = false;
            }
            if (!first) fold_into(out_, line_);
        }
        text("NOTE", c.notes);
        if (!c.uuid.empty()) raw("UID", "urn:uuid:" + c.uuid);
        if (c.created != Instant{}) raw("REV", basic(c.created));
        text("X-FOLLOWUP-CHANNEL", c.channel);
        text("X-FOLLOWUP-EVENT", c.event);
        if (c.met) raw("X-FOLLOWUP-MET", format_utc(*c.met));
        text("X-FOLLOWUP-REFERRED-BY", c.referred_by);
        if (c.every_days) raw("X-FOLLOWUP-EVERY", std::to_string(*c.every_days));
        if (c.last_touch) raw("X-FOLLOWUP-LAST-TOUCH", format_utc(*c.last_touch));
        if (c.archived) raw("X-FOLLOWUP-ARCHIVED", "true");
        if (c.created != Instant{}) raw("X-FOLLOWUP-CREATED", format_utc(c.created));
        plain("END:VCARD");
    }

    std::string take() { return std::move(out_); }

private:
    bool v4_;
    std::string out_, line_;

    void plain(std::string_view line) {
        out_ += line;
        out_ += "\r\n";
    }

    /// A property name with the TYPEs of a label ("mobile" is "cell") and, for the first of
    /// several of its kind (`pref`), PREF.
    [[nodiscard]] std::string typed(std::string_view name, const std::string& label,
                                    bool pref) const {
        std::vector<std::string> types;
        for (auto& t : text::split(label, ',')) {
            std::string l = text::lower(text::trim(t));
            if (l == "mobile") l = "cell";
            // A TYPE is a token: a label of other characters is not written.
            if (!l.empty() && std::all_of(l.begin(), l.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                }))
                types.push_back(l);
        }
        std::string out(name);
        if (!types.empty()) {
            // 3.0's EMAIL;TYPE=INTERNET gains the others in the same parameter.
            out += out.find(";TYPE=") != std::string::npos ? "," : ";TYPE=";
            out += text::join(types, ",");
        }
        if (pref)
            out += v4_ ? ";PREF=1"
                       : (out.find(";TYPE=") != std::string::npos ? ",pref" : ";TYPE=pref");
        return out;
    }

    /// True for a value that can be written as a URI as it is (no escapes exist in a URI).
    static bool uri_safe(std::string_view v) {
        return !v.empty() && std::none_of(v.begin(), v.end(), [](char ch) {
            return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
        });
    }

    /// A profile: on a social network, X-SOCIALPROFILE with its URL (and X-USER for a handle
    /// that is not the URL) and URL too, which more address books read; on a messaging
    /// service, IMPP with the service as the scheme ("IMPP:whatsapp:+44 7700 900123").
    void profile(const Profile& p) {
        std::string url = channel_link({p.network, p.handle});
        bool handle_is_url = url == p.handle;
        if (is_social(p.network) && uri_safe(url)) {
            line_ = "X-SOCIALPROFILE;TYPE=" + p.network;
            if (!handle_is_url) {
                if (p.handle.find('"') != std::string::npos || !uri_safe(p.handle)) return;
                line_ += ";X-USER=\"" + p.handle + "\"";
            }
            line_ += ":" + url;
            fold_into(out_, line_);
            if (handle_is_url) raw("URL", url);
            return;
        }
        if (uri_safe(p.handle) && !network_of_url(p.handle).empty()) {
            raw("URL", p.handle);
            return;
        }
        if (uri_safe(p.handle)) raw("IMPP", p.network + ":" + p.handle);
    }

    void raw(std::string_view name, std::string_view value) {
        line_.assign(name);
        line_ += ':';
        line_ += value;
        fold_into(out_, line_);
    }

    void text(std::string_view name, std::string_view value) {
        if (value.empty()) return;
        line_.assign(name);
        line_ += ':';
        escape_into(line_, value);
        fold_into(out_, line_);
    }

    /// N: the last word is the family name, the words before it the given name.
    void name(std::string_view full) {
        full = text::trim(full);
        auto space = full.find_last_of(" \t");
        std::string_view family, given = full;
        if (space != std::string_view::npos) {
            family = full.substr(space + 1);
            given = text::trim(full.substr(0, space));
        }
        line_ = "N:";
        escape_into(line_, family);
        line_ += ';';
        escape_into(line_, given);
        line_ += ";;;";
        fold_into(out_, line_);
    }

    void birthday(const std::string& b) {
        if (b.size() == 10) // YYYY-MM-DD
            raw("BDAY", v4_ ? b.substr(0, 4) + b.substr(5, 2) + b.substr(8, 2) : b);
        else if (b.size() == 5) // MM-DD
            raw("BDAY", v4_ ? "--" + b.substr(0, 2) + b.substr(3, 2) : "--" + b);
    }

    static std::string basic(Instant t) {
        std::string s = format_utc(t); // 2026-03-12T23:00:00Z
        std::string out;
        for (char ch : s)
            if (ch != '-' && ch != ':') out += ch;
        return out;
    }
};

} // namespace

std::string write_vcards(const std::vector<Contact>& contacts, int version) {
    if (version != 3 && version != 4)
        throw UsageError(fmt::format("unsupported vCard version {} (3 or 4)", version));
    Writer w(version);
    for (const auto& c : contacts)
        w.contact(c);
    return w.take();
}

} // namespace followup
