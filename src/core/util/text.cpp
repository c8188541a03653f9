#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <followup/util/text.hpp>
#include <random>
#include <utf8proc.h>

namespace followup::text {
namespace {

/// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i. Invalid bytes
/// decode as themselves with `ok` false.
char32_t decode(std::string_view s, std::size_t& i, bool& ok) {
    auto b0 = static_cast<unsigned char>(s[i]);
    ok = true;
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ok = false;
        ++i;
        return b0;
    }
    char32_t cp = b0 & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
        auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ok = false;
            ++i;
            return b0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr std::array<char32_t, 5> min_cp{0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ok = false;
        ++i;
        return b0;
    }
    i += len;
    return cp;
}

void encode(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_combining(char32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

bool is_zero_width(char32_t cp) {
    return is_combining(cp) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F);
}

bool is_wide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
           (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

std::size_t cp_width(char32_t cp) {
    if (is_zero_width(cp)) return 0;
    return is_wide(cp) ? 2 : 1;
}

} // namespace

namespace {

/// Letters that Unicode does not decompose into a base letter and a mark, folded as a reader
/// of Latin script reads them: "ø" as "o", "ł" as "l", the Turkish dotless "ı" as "i".
const char* unmarked_base(char32_t cp) {
    switch (cp) {
    case 0xE6:
        return "ae"; // æ
    case 0xF0:
        return "d"; // ð
    case 0xF8:
        return "o"; // ø
    case 0xFE:
        return "th"; // þ
    case 0x111:
        return "d"; // đ
    case 0x127:
        return "h"; // ħ
    case 0x131:
        return "i"; // ı (Turkish dotless i)
    case 0x138:
        return "k"; // ĸ
    case 0x142:
        return "l"; // ł
    case 0x14B:
        return "n"; // ŋ
    case 0x153:
        return "oe"; // œ
    case 0x167:
        return "t"; // ŧ
    case 0x180:
        return "b"; // ƀ
    case 0x188:
        return "c"; // ƈ
    case 0x192:
        return "f"; // ƒ
    case 0x1B4:
        return "y"; // ƴ
    case 0x1B6:
        return "z"; // ƶ
    case 0x237:
        return "j"; // ȷ
    default:
        return nullptr;
    }
}

/// Folds one run of valid UTF-8 with utf8proc: compatibility forms (full-width letters,
/// ligatures) to their letters, full case folding, accents and other marks removed, default
/// ignorable characters (soft hyphens, zero-width joiners) dropped, look-alike punctuation
/// (curly quotes, dashes) lumped to ASCII; then the letters without a decomposition.
void fold_run(std::string_view run, std::string& out) {
    utf8proc_uint8_t* mapped = nullptr;
    auto options = static_cast<utf8proc_option_t>(
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
        UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP);
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
                                      static_cast<utf8proc_ssize_t>(run.size()), &mapped, options);
    if (n < 0) { // cannot happen on valid UTF-8 short of memory: keep the run lower-cased
        std::free(mapped);
        out += lower(run);
        return;
    }
    std::string_view folded(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < folded.size();) {
        bool ok = true;
        char32_t cp = decode(folded, i, ok);
        if (const char* base = cp >= 0x80 ? unmarked_base(cp) : nullptr)
            out += base;
        else
            encode(cp, out);
    }
    std::free(mapped);
}

} // namespace

std::string fold(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        // A run of valid UTF-8 up to the next invalid byte, which is kept as it is.
        std::size_t start = i;
        bool ascii = true, ok = true;
        while (i < s.size()) {
            std::size_t at = i;
            char32_t cp = decode(s, i, ok);
            if (!ok) {
                i = at;
                break;
            }
            if (cp >= 0x80) ascii = false;
        }
        std::string_view run = s.substr(start, i - start);
        if (ascii) // the common case needs no table
            for (char ch : run)
                out += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        else
            fold_run(run, out);
        if (!ok) {
            out += s[i];
            ++i;
        }
    }
    return out;
}

std::string valid_or_replaced(std::string_view s, std::size_t* bad) {
    std::string out;
    out.reserve(s.size());
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t at = i;
        bool ok = true;
        decode(s, i, ok);
        if (ok) {
            out.append(s.substr(at, i - at));
        } else {
            out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
            ++count;
        }
    }
    if (bad) *bad = count;
    return out;
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view blanks = " \t\r\n\f\v";
    auto b = s.find_first_not_of(blanks);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(blanks);
    return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    return out;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        bool ok = true;
        decode(s, i, ok);
        if (!ok) return false;
    }
    return true;
}

namespace {

constexpr std::uint64_t ones8 = 0x0101010101010101ULL, highs8 = 0x8080808080808080ULL;

/// Whether all eight bytes of a word are printable ASCII (0x20 to 0x7E).
constexpr bool printable_word(std::uint64_t w) {
    const std::uint64_t below = (w - ones8 * 0x20) & ~w; // a byte < 0x20 (or borrowed)
    const std::uint64_t above = (w + ones8) | w;         // a byte >= 0x7F (or carried)
    return ((below | above) & highs8) == 0;
}

/// Whether every byte is below 0x80, eight at a time.
bool all_ascii(std::string_view s) {
    std::uint64_t any = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        any |= w;
    }
    for (; i < s.size(); ++i)
        any |= static_cast<unsigned char>(s[i]);
    return (any & highs8) == 0;
}

/// Whether every byte is printable ASCII (0x20 to 0x7E), eight at a time.
bool all_printable_ascii(std::string_view s) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        if (!printable_word(w)) return false;
    }
    for (; i < s.size(); ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        if (u < 0x20 || u >= 0x7F) return false;
    }
    return true;
}

} // namespace

std::size_t width(std::string_view s) {
    if (all_ascii(s)) return s.size();
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        bool ok = true;
        char32_t cp = decode(s, i, ok);
        w += ok ? cp_width(cp) : 1;
    }
    return w;
}

std::string truncate(std::string_view s, std::size_t columns) {
    if (width(s) <= columns) return std::string(s);
    if (columns == 0) return {};
    std::string out;
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        bool ok = true;
        char32_t cp = decode(s, i, ok);
        std::size_t cw = ok ? cp_width(cp) : 1;
        if (w + cw > columns - 1) break;
        out.append(s.substr(start, i - start));
        w += cw;
    }
    return out + "…";
}

std::string pad(std::string_view s, std::size_t columns) {
    std::string out(s);
    for (auto w = width(s); w < columns; ++w)
        out += ' ';
    return out;
}

namespace {

/// The length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when it is not valid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}

/// The code point of a valid sequence of `n` bytes at s[i].
char32_t decode_at(std::string_view s, std::size_t i, std::size_t n) {
    auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
    if (n == 1) return b(i);
    char32_t cp = b(i) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (b(i + k) & 0x3F);
    return cp;
}

/// A character that reorders, hides or breaks a line without showing anything: the
/// bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), the
/// direction marks (U+200E, U+200F, U+061C), the zero-width characters (U+200B to U+200D,
/// U+2060 to U+2064, U+FEFF, U+180E) and the line and paragraph separators (U+2028, U+2029).
bool is_invisible_control(char32_t cp) {
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0x061C || cp == 0xFEFF || cp == 0x180E;
}

/// Whether the byte may start something escape_controls changes.
bool suspicious(unsigned char u) {
    return (u < 0x20 && u != '\n' && u != '\t') || u >= 0x7F;
}

} // namespace

std::size_t terminal_safe_prefix(std::string_view s) {
    std::size_t i = 0;
    // Eight bytes at a time while none is below 0x20 or above 0x7E, then byte by byte for that
    // word: a newline or a tab is fine, and so is valid UTF-8 that is not a C1 control or a
    // bidirectional control.
    while (i < s.size()) {
        while (i + 8 <= s.size()) {
            std::uint64_t w = 0;
            std::memcpy(&w, s.data() + i, 8);
            if (!printable_word(w)) break;
            i += 8;
        }
        const std::size_t word_end = std::min(i + 8, s.size());
        while (i < word_end) {
            const auto u = static_cast<unsigned char>(s[i]);
            if (!suspicious(u)) {
                ++i;
                continue;
            }
            if (u < 0x80) return i; // a C0 control or DEL
            const std::size_t n = utf8_length(s, i);
            if (n == 0) return i;
            const char32_t cp = decode_at(s, i, n);
            if ((cp >= 0x80 && cp <= 0x9F) || is_invisible_control(cp)) return i;
            i += n;
        }
    }
    return s.size();
}

std::string escape_controls(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    // Fast path: text that needs no change (plain ASCII, harmless UTF-8) comes back as it is.
    std::size_t i = terminal_safe_prefix(s);
    if (i == s.size()) return std::string(s);
    std::string out;
    out.reserve(s.size() + 16);
    out.append(s.substr(0, i));
    auto byte_escape = [&](unsigned char u) {
        out += "\\x";
        out += hex[u >> 4];
        out += hex[u & 0xF];
    };
    while (i < s.size()) {
        const auto u = static_cast<unsigned char>(s[i]);
        if (!suspicious(u)) {
            out += s[i++];
            continue;
        }
        if (u == 0x1B) {
            out += "\\e";
            ++i;
            continue;
        }
        if (u < 0x80) { // other C0 controls and DEL
            byte_escape(u);
            ++i;
            continue;
        }
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            byte_escape(u);
            ++i;
            continue;
        }
        const char32_t cp = decode_at(s, i, n);
        if ((cp >= 0x80 && cp <= 0x9F) || is_invisible_control(cp)) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4)
                out += hex[(cp >> shift) & 0xF];
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

bool is_one_line(std::string_view s) {
    // Printable ASCII (most names, titles and links) needs only the blanks looked at.
    if (all_printable_ascii(s))
        return s.empty() || (s.front() != ' ' && s.back() != ' ' && s.find("  ") == s.npos);
    bool clean = s.empty() || (s.front() != ' ' && s.back() != ' ');
    for (std::size_t i = 0; clean && i < s.size(); ++i) {
        auto u = static_cast<unsigned char>(s[i]);
        clean = u >= 0x20 && u != 0x7F && !(s[i] == ' ' && i + 1 < s.size() && s[i + 1] == ' ');
    }
    return clean;
}

std::string one_line(std::string_view s) {
    if (is_one_line(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    bool blank = false;
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        bool is_blank = u < 0x20 || u == 0x7F || ch == ' ';
        if (is_blank) {
            if (!blank && !out.empty()) out += ' ';
            blank = true;
        } else {
            out += ch;
            blank = false;
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (ch != '-') return false;
        } else if (!std::isxdigit(static_cast<unsigned char>(ch))) {
            return false;
        }
    }
    return true;
}

std::string uuid4() {
    static std::mt19937_64 rng = [] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }();
    std::uint64_t hi = rng(), lo = rng();
    hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    // 8-4-4-4-12 hex digits; written by hand, as imports make one per record.
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t at = 0;
    for (int i = 15; i >= 0; --i) {
        if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
        std::uint64_t word = i >= 8 ? hi : lo;
        out[at++] = digits[(word >> ((i % 8) * 8 + 4)) & 0xF];
        if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
        out[at++] = digits[(word >> ((i % 8) * 8)) & 0xF];
    }
    return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            parts.emplace_back(s.substr(start));
            return parts;
        }
        parts.emplace_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t m = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * m);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * m + j]; };
    for (std::size_t i = 0; i <= a.size(); ++i)
        at(i, 0) = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        at(0, j) = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            at(i, j) = std::min(
                {at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] != b[j - 1])});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    return at(a.size(), b.size());
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string w = lower(word);
    if (w.empty()) return {};
    std::size_t limit = std::clamp<std::size_t>(w.size() / 3, 1, 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (const auto& c : candidates) {
        std::string l = lower(c);
        std::size_t d = edit_distance(w, l);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    if (best.empty() && w.size() >= 2)
        for (const auto& c : candidates)
            if (lower(c).starts_with(w)) return c;
    return best;
}

} // namespace followup::text
