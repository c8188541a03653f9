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
// Small string helpers (ASCII only: vCard names and parameters are ASCII).

char upper(char ch) {
    return (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
}

/// Case-insensitive equality; `b` is upper case.
bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != b[i]) return false;
    return true;
}

/// Case-insensitive prefix test; `prefix` is upper case.
bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

/// Case-insensitive search; `needle` is upper case.
bool icontains(std::string_view s, std::string_view needle) {
    if (needle.size() > s.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= s.size(); ++i)
        if (iequals(s.substr(i, needle.size()), needle)) return true;
    return false;
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

/// Removes one pair of surrounding double quotes.
std::string_view unquote(std::string_view s) {
    s = text::trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

/// Calls fn(part) for each part of `s` split at `sep` outside double quotes.
template <class Fn> void split_unquoted(std::string_view s, char sep, Fn&& fn) {
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == sep && !quoted) {
            fn(s.substr(start, i - start));
            start = i + 1;
        }
    }
    fn(s.substr(start));
}

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// windows-1252 bytes 0x80-0x9F (ISO-8859-1 is read as windows-1252, as browsers do).
constexpr std::array<unsigned short, 32> cp1252{
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string latin1_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 4);
    for (char ch : bytes) {
        auto u = static_cast<unsigned char>(ch);
        if (u >= 0x80 && u < 0xA0)
            append_utf8(out, cp1252[u - 0x80]);
        else
            append_utf8(out, u);
    }
    return out;
}

int hex_digit(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    return -1;
}

/// Decodes quoted-printable (soft line breaks were already joined); a stray '=' stays.
std::string qp_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 2 < s.size()) {
            int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

/// Undoes RFC 6350 3.4 escaping into `out` (replacing it): \n or \N is a line break, and a
/// backslash before any other ASCII punctuation (\\ \, \; \: and also \" \' that some writers
/// put) stands for that character; a backslash before a letter, a digit or a blank stays.
void unescape_into(std::string& out, std::string_view s) {
    if (s.find('\\') == std::string_view::npos) {
        out.assign(s);
        return;
    }
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            char n = s[i + 1];
            if (n == 'n' || n == 'N') {
                out += '\n';
                ++i;
                continue;
            }
            if (n >= '!' && n <= '~' && !std::isalnum(static_cast<unsigned char>(n))) {
                out += n;
                ++i;
                continue;
            }
        }
        out += s[i];
    }
}

std::string unescape(std::string_view s) {
    std::string out;
    unescape_into(out, s);
    return out;
}

/// Trims ASCII blanks at both ends, in place.
void trim_in_place(std::string& s) {
    std::string_view t = text::trim(s);
    if (t.size() == s.size()) return;
    if (t.empty()) { // all blanks (text::trim's empty view may point anywhere)
        s.clear();
        return;
    }
    std::size_t start = static_cast<std::size_t>(t.data() - s.data());
    s.erase(start + t.size());
    s.erase(0, start);
}

/// Calls fn(part) for each part of an escaped value split at unescaped separators (any
/// character of `seps`); the parts are still escaped.
template <class Fn> void split_escaped(std::string_view s, std::string_view seps, Fn&& fn) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
        } else if (seps.find(s[i]) != std::string_view::npos) {
            fn(s.substr(start, i - start));
            start = i + 1;
        }
    }
    fn(s.substr(std::min(start, s.size())));
}

/// An escaped structured value up to its first unescaped ';'.
std::string_view first_component(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == ';')
            return s.substr(0, i);
    }
    return s;
}

/// ASCII case-insensitive equality of two texts.
bool same_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}

/// A UTC time in followup's form (2026-03-12T23:00:00Z) or the basic form (20260312T230000Z).
std::optional<Instant> parse_stamp(std::string_view s) {
    s = text::trim(s);
    if (auto t = parse_utc(s)) return t;
    if (s.size() == 16 && s[8] == 'T' && s[15] == 'Z') {
        std::string ext =
            fmt::format("{}-{}-{}T{}:{}:{}Z", s.substr(0, 4), s.substr(4, 2), s.substr(6, 2),
                        s.substr(9, 2), s.substr(11, 2), s.substr(13, 2));
        return parse_utc(ext);
    }
    return std::nullopt;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char ch : s)
        if (ch < '0' || ch > '9') return false;
    return true;
}

/// A BDAY value in followup's stored form ("YYYY-MM-DD" or "MM-DD"), or nullopt.
std::optional<std::string> read_birthday(std::string_view value, std::string_view omit_year) {
    std::string_view v = text::trim(value);
    if (auto t = v.find_first_of("Tt"); t != std::string_view::npos && t >= 4)
        v = v.substr(0, t); // a date-time: the date counts
    std::string day;
    if (v.starts_with("--")) {
        std::string_view md = v.substr(2);
        if (md.size() == 4 && all_digits(md))
            day = fmt::format("{}-{}", md.substr(0, 2), md.substr(2));
        else if (md.size() == 5 && md[2] == '-')
            day = std::string(md);
        else
            return std::nullopt;
    } else if (v.size() == 8 && all_digits(v)) {
        day = fmt::format("{}-{}-{}", v.substr(0, 4), v.substr(4, 2), v.substr(6));
    } else if (v.size() == 10 && v[4] == '-' && v[7] == '-') {
        day = std::string(v);
    } else {
        return std::nullopt;
    }
    // Digits exactly where they belong ("1988-07-2-" is no date).
    for (std::size_t i = 0; i < day.size(); ++i) {
        bool dash = day.size() == 10 ? (i == 4 || i == 7) : i == 2;
        if (dash != (day[i] == '-') || (!dash && (day[i] < '0' || day[i] > '9')))
            return std::nullopt;
    }
    if (day.size() == 10 && !omit_year.empty() && day.substr(0, 4) == omit_year)
        day.erase(0, 5); // Apple's X-APPLE-OMIT-YEAR: a birthday without a year
    try {
        return parse_birthday(day);
    } catch (const UsageError&) {
        return std::nullopt;
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// One content line, split: `[group.]name[;params]:value`.
struct ContentLine {
    std::string_view name;   ///< without the group
    std::string_view params; ///< everything between the name and the ':' (no leading ';')
    std::string_view value;
};

/// Splits a content line at its first ':' outside quoted parameter values; nullopt without one.
std::optional<ContentLine> split_line(std::string_view line) {
    std::size_t name_end = std::string_view::npos;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char ch = line[i];
        if (ch == '"' && name_end != std::string_view::npos) {
            quoted = !quoted;
        } else if (quoted) {
            continue;
        } else if (ch == ';' && name_end == std::string_view::npos) {
            name_end = i;
        } else if (ch == ':') {
            ContentLine cl;
            if (name_end == std::string_view::npos) {
                cl.name = line.substr(0, i);
            } else {
                cl.name = line.substr(0, name_end);
                cl.params = line.substr(name_end + 1, i - name_end - 1);
            }
            cl.name = text::trim(cl.name);
            if (auto dot = cl.name.rfind('.'); dot != std::string_view::npos)
                cl.name.remove_prefix(dot + 1); // item1.EMAIL: the group does not matter
            cl.value = line.substr(i + 1);
            return cl;
        }
    }
    return std::nullopt;
}

/// What the parameters of one property say.
struct Params {
    bool qp{};     ///< ENCODING=QUOTED-PRINTABLE (or bare QUOTED-PRINTABLE in 2.1)
    bool binary{}; ///< ENCODING=b or BASE64: an inline photo, sound or key
    bool value_text{}, value_uri{};
    int pref{101}; ///< 1 is the most preferred; 101 means no preference
    std::string_view charset;
    std::string_view omit_year; ///< X-APPLE-OMIT-YEAR
    std::string label;     ///< the types, lower case, without "pref" and "internet": "work, voice"
    std::string_view user; ///< X-USER of X-SOCIALPROFILE: the handle behind the URL
    std::string_view service; ///< X-SERVICE-TYPE of IMPP (Apple): "WhatsApp", "Skype"
};

void add_type(Params& p, std::string_view t) {
    t = unquote(t);
    if (t.empty()) return;
    if (iequals(t, "PREF")) {
        p.pref = 1;
        return;
    }
    if (iequals(t, "INTERNET") || iequals(t, "X400")) return;
    std::string lt = text::lower(t);
    std::string_view rest = p.label;
    while (!rest.empty()) { // already there?
        auto comma = rest.find(", ");
        if (rest.substr(0, comma) == lt) return;
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
    }
    if (!p.label.empty()) p.label += ", ";
    p.label += lt;
}

void read_encoding(Params& p, std::string_view v) {
    if (iequals(v, "QUOTED-PRINTABLE"))
        p.qp = true;
    else if (iequals(v, "B") || iequals(v, "BASE64"))
        p.binary = true;
}

Params read_params(std::string_view params, bool want_types) {
    Params p;
    if (params.empty()) return p;
    split_unquoted(params, ';', [&](std::string_view param) {
        param = text::trim(param);
        auto eq = param.find('=');
        if (eq == std::string_view::npos) { // 2.1: a bare type or encoding
            if (iequals(param, "QUOTED-PRINTABLE") || iequals(param, "BASE64"))
                read_encoding(p, param);
            else if (want_types)
                add_type(p, param);
            return;
        }
        std::string_view key = text::trim(param.substr(0, eq));
        std::string_view val = text::trim(param.substr(eq + 1));
        if (iequals(key, "ENCODING")) {
            read_encoding(p, unquote(val));
        } else if (iequals(key, "CHARSET")) {
            p.charset = unquote(val);
        } else if (iequals(key, "VALUE")) {
            val = unquote(val);
            p.value_text = iequals(val, "TEXT");
            p.value_uri = iequals(val, "URI");
        } else if (iequals(key, "X-APPLE-OMIT-YEAR")) {
            p.omit_year = unquote(val);
        } else if (iequals(key, "X-USER")) {
            p.user = unquote(val);
        } else if (iequals(key, "X-SERVICE-TYPE")) {
            p.service = unquote(val);
        } else if (iequals(key, "PREF")) {
            int n = 0;
            auto u = unquote(val);
            auto [ptr, ec] = std::from_chars(u.data(), u.data() + u.size(), n);
            if (ec == std::errc() && ptr == u.data() + u.size() && n >= 1 && n < p.pref) p.pref = n;
        } else if (iequals(key, "TYPE") && want_types) {
            split_unquoted(val, ',', [&](std::string_view t) {
                split_unquoted(unquote(t), ',', [&](std::string_view t2) { add_type(p, t2); });
            });
        }
    });
    return p;
}

bool is_latin1(std::string_view charset) {
    return iequals(charset, "ISO-8859-1") || iequals(charset, "ISO8859-1") ||
           iequals(charset, "ISO_8859-1") || iequals(charset, "LATIN1") ||
           iequals(charset, "LATIN-1") || iequals(charset, "WINDOWS-1252") ||
           iequals(charset, "CP1252");
}

/// An EMAIL or TEL with its label and rank.
struct Alternative {
    std::string value;
    std::string label; ///< "work, voice" or ""
    int pref{};
};

/// The label kept for a vCard TYPE list: "cell" is "mobile"; "voice", "internet", "pref" and
/// "text" say nothing of which one it is.
std::string reach_label(std::string_view types) {
    std::vector<std::string> kept;
    for (auto& t : text::split(types, ',')) {
        std::string l = text::lower(text::trim(t));
        if (l.empty() || l == "voice" || l == "internet" || l == "pref" || l == "text" ||
            l == "x400")
            continue;
        if (l == "cell" || l == "iphone") l = "mobile";
        if (std::find(kept.begin(), kept.end(), l) == kept.end()) kept.push_back(l);
    }
    return text::join(kept, ", ");
}

/// A known channel or network by its name or alias ("twitter" is "x"), or "" for none.
std::string known_network(std::string_view name) {
    std::string n = text::lower(text::trim(name));
    if (n.empty()) return {};
    if (n == "tg") n = "telegram";
    if (n == "wa") n = "whatsapp";
    try {
        std::string k = known_channel(n);
        if (k == "email" || k == "phone" || k == "mail" || k == "in-person") return {};
        return k;
    } catch (const UsageError&) {
        return {};
    }
}

/// The reader: one pass over the physical lines, one card at a time.
class Reader {
public:
    Reader(std::string_view text, const std::string& source, std::size_t first_line)
        : text_(text), source_(source), line_no_(first_line - 1) {}

    VCardRead run(bool require_one) {
        if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
        while (pos_ < text_.size()) {
            std::size_t at = line_no_ + 1;
            std::string_view logical = next_logical();
            handle(logical, at);
        }
        if (in_card_) error(card_line_, "vCard not closed (truncated file?)");
        if (require_one && out_.empty() && groups_ == 0) error(0, "no vCard found");
        return {std::move(out_), groups_, std::move(repaired_)};
    }

private:
    std::string_view text_;
    const std::string& source_;
    std::size_t pos_{};
    std::size_t line_no_{};
    std::string joined_;
    std::string qp_, tmp_; // scratch buffers
    std::size_t peeked_pos_{std::string_view::npos};
    std::pair<std::string_view, std::size_t> peeked_;
    std::vector<ContactDraft> out_;
    std::size_t groups_{};                ///< contact-group cards left out
    std::vector<RepairedField> repaired_; ///< fields kept with U+FFFD for bytes not UTF-8
    std::string fixed_;                   ///< a line with its bad bytes replaced

    // The card being read.
    bool in_card_{};
    std::size_t card_line_{};
    std::string version_;
    Contact* c_{}; ///< in the last draft of out_
    std::string fn_, n_raw_;
    std::vector<Alternative> emails_, phones_;
    std::string notes_;
    std::vector<std::string> extra_notes_;
    bool has_channel_{};
    bool followup_uuid_{}; ///< X-FOLLOWUP-UUID given: it wins over a UID
    bool group_{};         ///< KIND:group (4.0) or X-ADDRESSBOOKSERVER-KIND:group (Apple's 3.0)

    [[noreturn]] void error(std::size_t line, const std::string& reason) const {
        import_error(source_, line, reason);
    }

    /// The physical line at `pos` (without its CR LF or LF) and where the next one starts.
    std::pair<std::string_view, std::size_t> physical(std::size_t pos) {
        if (pos == peeked_pos_) return peeked_;
        peeked_pos_ = pos;
        peeked_ = scan(pos);
        return peeked_;
    }

    std::pair<std::string_view, std::size_t> scan(std::size_t pos) const {
        auto nl = text_.find('\n', pos);
        std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
        std::size_t next = nl == std::string_view::npos ? text_.size() : nl + 1;
        std::string_view line = text_.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return {line, next};
    }

    static bool params_say(std::string_view logical, bool (*test)(std::string_view)) {
        auto colon = logical.find(':');
        return test(logical.substr(0, colon));
    }
    static bool says_qp(std::string_view head) { return icontains(head, "QUOTED-PRINTABLE"); }
    static bool says_binary(std::string_view head) {
        return icontains(head, "BASE64") || icontains(head, "ENCODING=B");
    }
    static bool base64_text(std::string_view s) {
        for (char ch : s) {
            bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                      (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' || ch == '=' ||
                      ch == ' ' || ch == '\t';
            if (!ok) return false;
        }
        return true;
    }

    /// The next logical line: folded lines (RFC 6350 3.2) and 2.1 quoted-printable soft line
    /// breaks joined, and unindented 2.1 base64 lines swallowed.
    std::string_view next_logical() {
        auto [line, next] = physical(pos_);
        pos_ = next;
        ++line_no_;
        std::string_view logical = line;
        bool joined = false;
        auto append = [&](std::string_view head_keep, std::string_view tail) {
            if (!joined)
                joined_.assign(head_keep);
            else
                joined_.resize(head_keep.size());
            joined_ += tail;
            joined = true;
            logical = joined_;
        };
        while (pos_ < text_.size()) {
            auto [nl, nnext] = physical(pos_);
            bool soft_break = !logical.empty() && logical.back() == '=' &&
                              params_say(logical, says_qp) && !iequals(text::trim(nl), "END:VCARD");
            if (soft_break) {
                append(logical.substr(0, logical.size() - 1), nl);
            } else if (!nl.empty() && (nl[0] == ' ' || nl[0] == '\t')) {
                append(logical, nl.substr(1));
            } else if (!nl.empty() && nl.find(':') == std::string_view::npos && base64_text(nl) &&
                       params_say(logical, says_binary)) {
                append(logical, nl);
            } else {
                break;
            }
            pos_ = nnext;
            ++line_no_;
        }
        return logical;
    }

    void start_card(std::size_t at) {
        in_card_ = true;
        card_line_ = at;
        version_.clear();
        ContactDraft& d = out_.emplace_back();
        d.line = at;
        d.contact.created = Instant{};
        c_ = &d.contact;
        fn_.clear();
        n_raw_.clear();
        emails_.clear();
        phones_.clear();
        notes_.clear();
        extra_notes_.clear();
        has_channel_ = false;
        followup_uuid_ = false;
        group_ = false;
    }

    /// Notes a field kept with U+FFFD in place of its bad bytes (once per line).
    void repaired(std::size_t at, std::string_view field) {
        if (!repaired_.empty() && repaired_.back().line == at) return;
        repaired_.push_back({at, std::string(field)});
    }

    void handle(std::string_view logical, std::size_t at) {
        if (is_blank(logical)) return;
        // One bad byte never drops a person: the line is read with U+FFFD in its place.
        if (!text::valid_utf8(logical)) {
            fixed_ = text::valid_or_replaced(logical);
            logical = fixed_;
            if (auto bad = split_line(logical)) repaired(at, bad->name);
        }
        auto cl = split_line(logical);
        if (!in_card_) {
            if (cl && iequals(cl->name, "BEGIN") && iequals(text::trim(cl->value), "VCARD"))
                return start_card(at);
            if (cl && iequals(cl->name, "END") && iequals(text::trim(cl->value), "VCARD"))
                error(at, "END:VCARD without BEGIN:VCARD");
            error(at, "text outside a vCard (expected BEGIN:VCARD)");
        }
        if (!cl) error(at, "line without ':' in a vCard");
        property(*cl, at);
    }

    /// The text of a value: quoted-printable decoded and converted to UTF-8 (escapes stay).
    std::string_view decoded(const ContentLine& cl, const Params& p, std::size_t at) {
        if (!p.qp) return cl.value;
        std::string bytes = qp_decode(cl.value);
        // "=00" would store a NUL, which no other reader accepts (nor the JSON backup back).
        if (bytes.find('\0') != std::string::npos)
            error(at, "quoted-printable text decodes to a NUL byte");
        if (is_latin1(p.charset)) bytes = latin1_to_utf8(bytes);
        // Bytes that are not UTF-8 (a bad byte, a charset followup does not convert) are kept
        // as U+FFFD, and the field named: the rest of the person is read.
        if (!text::valid_utf8(bytes)) {
            bytes = text::valid_or_replaced(bytes);
            repaired(at, cl.name);
        }
        // A quoted-printable line break is CR LF; followup keeps LF.
        qp_.clear();
        for (std::size_t i = 0; i < bytes.size(); ++i)
            if (!(bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n'))
                qp_ += bytes[i];
        return qp_;
    }

    void alternative(std::vector<Alternative>& list, const std::string& value, Params& p) {
        if (value.empty()) return;
        list.push_back({value, std::move(p.label), p.pref});
    }

    [[noreturn]] void bad_value(const ContentLine& cl, std::string_view value,
                                std::string_view expected, std::size_t at) const {
        error(at, fmt::format("invalid {} '{}' ({})", cl.name, value, expected));
    }

    void followup_property(const ContentLine& cl, std::string_view key, std::string value,
                           std::size_t at) {
        std::string v(text::trim(value));
        auto stamp = [&]() {
            auto t = parse_stamp(v);
            if (!t) bad_value(cl, v, "a UTC time such as 2026-03-12T23:00:00Z", at);
            return *t;
        };
        if (iequals(key, "CHANNEL")) {
            if (v.empty()) return;
            try {
                c_->channel = normalize_channel(v);
            } catch (const UsageError& e) {
                error(at, e.what());
            }
            has_channel_ = true;
        } else if (iequals(key, "UUID")) {
            // followup's UUID on a card whose UID is a phone's own (the UID stays).
            std::string u = text::lower(v);
            if (!text::is_uuid(u)) bad_value(cl, v, "a UUID", at);
            c_->uuid = u;
            followup_uuid_ = true;
        } else if (iequals(key, "HANDLE")) {
            c_->handle = v;
        } else if (iequals(key, "EVENT")) {
            c_->event = v;
        } else if (iequals(key, "REFERRED-BY")) {
            c_->referred_by = v;
        } else if (iequals(key, "MET")) {
            if (!v.empty()) c_->met = stamp();
        } else if (iequals(key, "LAST-TOUCH")) {
            if (!v.empty()) c_->last_touch = stamp();
        } else if (iequals(key, "CREATED")) {
            if (!v.empty()) c_->created = stamp();
        } else if (iequals(key, "EVERY")) {
            if (v.empty()) return;
            int n = 0;
            auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || ptr != v.data() + v.size() || n < 1 || n > 3650)
                bad_value(cl, v, "a number of days from 1 to 3650", at);
            c_->every_days = n;
        } else if (iequals(key, "ARCHIVED")) {
            if (iequals(v, "TRUE") || iequals(v, "YES") || v == "1")
                c_->archived = true;
            else if (iequals(v, "FALSE") || iequals(v, "NO") || v == "0" || v.empty())
                c_->archived = false;
            else
                bad_value(cl, v, "true or false", at);
        }
        // Other X-FOLLOWUP-* properties come from newer versions: ignored.
    }

    void property(const ContentLine& cl, std::size_t at) {
        const std::string_view name = cl.name;
        if (iequals(name, "BEGIN"))
            error(at, fmt::format("BEGIN:{} inside a vCard (END:VCARD missing?)",
                                  text::trim(cl.value)));
        if (iequals(name, "END")) {
            if (!iequals(text::trim(cl.value), "VCARD"))
                error(at, fmt::format("END:{} inside a vCard", text::trim(cl.value)));
            return finish_card();
        }
        if (iequals(name, "VERSION")) {
            std::string_view v = text::trim(cl.value);
            if (v != "2.1" && v != "3.0" && v != "4.0")
                error(at, fmt::format("unsupported vCard version '{}' (2.1, 3.0 or 4.0)", v));
            version_ = std::string(v);
            return;
        }
        enum class Which {
            fn,
            n,
            org,
            title,
            email,
            tel,
            note,
            bday,
            categories,
            uid,
            url,
            adr,
            impp,
            social,
            followup
        } which;
        if (iequals(name, "FN"))
            which = Which::fn;
        else if (iequals(name, "N"))
            which = Which::n;
        else if (iequals(name, "ORG"))
            which = Which::org;
        else if (iequals(name, "TITLE"))
            which = Which::title;
        else if (iequals(name, "EMAIL"))
            which = Which::email;
        else if (iequals(name, "TEL"))
            which = Which::tel;
        else if (iequals(name, "NOTE"))
            which = Which::note;
        else if (iequals(name, "BDAY"))
            which = Which::bday;
        else if (iequals(name, "CATEGORIES"))
            which = Which::categories;
        else if (iequals(name, "UID"))
            which = Which::uid;
        else if (iequals(name, "URL"))
            which = Which::url;
        else if (iequals(name, "ADR"))
            which = Which::adr;
        else if (iequals(name, "IMPP") || iequals(name, "X-IMPP"))
            which = Which::impp;
        else if (iequals(name, "X-SOCIALPROFILE"))
            which = Which::social;
        else if (istarts_with(name, "X-FOLLOWUP-"))
            which = Which::followup;
        else if (iequals(name, "KIND") || iequals(name, "X-ADDRESSBOOKSERVER-KIND")) {
            if (iequals(text::trim(cl.value), "GROUP")) group_ = true; // a list of members
            return;
        } else
            return; // PHOTO, REV, PRODID, X-... : not kept

        Params p = read_params(cl.params, which == Which::email || which == Which::tel ||
                                              which == Which::adr || which == Which::social);
        if (p.binary) return;
        std::string_view raw = decoded(cl, p, at);
        switch (which) {
        case Which::fn:
            if (fn_.empty()) {
                unescape_into(fn_, raw);
                trim_in_place(fn_);
            }
            break;
        case Which::n:
            if (n_raw_.empty()) n_raw_.assign(raw); // read at the end, when there is no FN
            break;
        case Which::org:
            if (c_->company.empty()) {
                unescape_into(c_->company, first_component(raw)); // the organisation, not units
                trim_in_place(c_->company);
            }
            break;
        case Which::title:
            if (c_->title.empty()) {
                unescape_into(c_->title, raw);
                trim_in_place(c_->title);
            }
            break;
        case Which::email:
            unescape_into(tmp_, raw);
            trim_in_place(tmp_);
            alternative(emails_, tmp_, p);
            break;
        case Which::tel: {
            unescape_into(tmp_, raw);
            trim_in_place(tmp_);
            bool uri = p.value_uri || (version_ == "4.0" && !p.value_text);
            if (uri && istarts_with(tmp_, "TEL:")) {
                tmp_.erase(0, 4);
                trim_in_place(tmp_);
            }
            alternative(phones_, tmp_, p);
            break;
        }
        case Which::note:
            if (!notes_.empty()) notes_ += '\n';
            unescape_into(tmp_, raw);
            notes_ += tmp_;
            break;
        case Which::bday: {
            std::string v = unescape(raw);
            if (is_blank(v)) break;
            if (auto b = read_birthday(v, p.omit_year))
                c_->birthday = *b;
            else
                extra_notes_.push_back("Birthday (unread): " + std::string(text::trim(v)));
            break;
        }
        case Which::categories:
            split_escaped(raw, ",;", [&](std::string_view part) {
                unescape_into(tmp_, part);
                std::string_view t = text::trim(tmp_);
                if (t.empty()) return;
                for (const auto& have : c_->tags)
                    if (same_ignoring_case(have, t)) return;
                c_->tags.emplace_back(t);
            });
            break;
        case Which::uid: {
            std::string_view v = text::trim(raw);
            if (istarts_with(v, "URN:UUID:")) v.remove_prefix(9);
            if (text::is_uuid(v) && !followup_uuid_) c_->uuid = text::lower(v);
            break;
        }
        case Which::url: { // a profile when it is on a network; another web site is not kept
            std::string v(text::trim(unescape(raw)));
            if (std::string network = network_of_url(v); !network.empty())
                c_->profiles.push_back({network, std::move(v)});
            break;
        }
        case Which::adr: {
            // PO box; extended; street; locality; region; postal code; country.
            std::vector<std::string> parts;
            split_escaped(raw, ";", [&](std::string_view part) {
                unescape_into(tmp_, part);
                trim_in_place(tmp_);
                if (!tmp_.empty()) parts.push_back(tmp_);
            });
            std::string value = text::join(parts, ", ");
            if (!value.empty()) c_->addresses.push_back({std::move(value), reach_label(p.label)});
            break;
        }
        case Which::impp: { // whatsapp:+44..., skype:ann.lee, xmpp:ann@example.org
            std::string v(text::trim(unescape(raw)));
            auto colon = v.find(':');
            std::string scheme = colon == std::string::npos ? "" : v.substr(0, colon);
            std::string network = known_network(p.service.empty() ? scheme : p.service);
            if (network.empty()) network = known_network(scheme);
            std::string handle(text::trim(colon == std::string::npos ? v : v.substr(colon + 1)));
            if (!network.empty() && !handle.empty()) c_->profiles.push_back({network, handle});
            break;
        }
        case Which::social: { // X-SOCIALPROFILE;TYPE=linkedin;X-USER=ann-lee:https://...
            std::string v(text::trim(unescape(raw)));
            std::string network = known_network(p.label);
            if (network.empty()) network = network_of_url(v);
            std::string handle = p.user.empty() ? v : std::string(text::trim(p.user));
            if (!network.empty() && !handle.empty()) c_->profiles.push_back({network, handle});
            break;
        }
        case Which::followup:
            followup_property(cl, name.substr(11), unescape(raw), at);
            break;
        }
    }

    /// The name a structured N gives: prefix, given, additional, family, suffix.
    static std::string name_from_n(std::string_view n) {
        std::array<std::string, 5> parts;
        std::size_t i = 0;
        split_escaped(n, ";", [&](std::string_view part) {
            if (i < parts.size()) unescape_into(parts[i], part);
            ++i;
        });
        std::string name;
        for (std::size_t k : {3, 1, 2, 0, 4}) {
            for (char& ch : parts[k]) // additional names may be a list: "Ann,Marie"
                if (ch == ',') ch = ' ';
            std::string_view part = text::trim(parts[k]);
            if (part.empty()) continue;
            if (!name.empty()) name += ' ';
            name += part;
        }
        return name;
    }

    /// The alternatives in order of preference (lowest PREF first, then as written).
    static std::vector<Labeled> in_order(std::vector<Alternative>& list) {
        std::stable_sort(list.begin(), list.end(), [](const Alternative& a, const Alternative& b) {
            return a.pref < b.pref;
        });
        std::vector<Labeled> out;
        for (auto& a : list)
            out.push_back({std::move(a.value), reach_label(a.label)});
        list.clear();
        return out;
    }

    void finish_card() {
        if (group_) { // a contact group (its members are other cards): not a person
            out_.pop_back();
            c_ = nullptr;
            ++groups_;
            in_card_ = false;
            return;
        }
        c_->emails = in_order(emails_);
        c_->phones = in_order(phones_);
        c_->email = c_->emails.empty() ? "" : c_->emails.front().value;
        c_->phone = c_->phones.empty() ? "" : c_->phones.front().value;
        c_->notes = std::move(notes_);
        for (const auto& n : extra_notes_) {
            if (!c_->notes.empty()) c_->notes += '\n';
            c_->notes += n;
        }
        if (!fn_.empty()) c_->name = std::move(fn_);
        if (c_->name.empty()) c_->name = name_from_n(n_raw_);
        if (c_->name.empty() && !c_->emails.empty()) c_->name = c_->emails.front().value;
        if (c_->name.empty()) error(card_line_, "vCard without a name (no FN, N or EMAIL)");
        // A card with nothing but a LinkedIn profile to reach them by is reached there.
        if (!has_channel_ && c_->emails.empty() && c_->phones.empty() && c_->handle.empty())
            for (const auto& p : c_->profiles)
                if (p.network == "linkedin") c_->channel = "linkedin";
        in_card_ = false;
    }
};

} // namespace

std::vector<ContactDraft> parse_vcards(std::string_view text, const std::string& source) {
    return Reader(text, source, 1).run(true).contacts;
}

VCardRead read_vcards(std::string_view text, const std::string& source, std::size_t first_line) {
    return Reader(text, source, first_line).run(false);
}

} // namespace followup
