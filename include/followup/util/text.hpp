#pragma once
// Text helpers that know nothing of followup: folding for search, UTF-8 widths, UUIDs.

#include <string>
#include <string_view>
#include <vector>

namespace followup::text {

/// The form of a text for matching, never for showing: Unicode compatibility-normalised and
/// case-folded, marks (accents) removed, look-alike punctuation made ASCII, with utf8proc; then
/// the Latin letters that carry no separate mark folded to their base ("ø" to "o", "ł" to
/// "l", "æ" to "ae"). So "José" (composed or with a combining accent), "JOSE" and "jose" are
/// one key, "Straße" is "strasse", and both Turkish i's ("İ" and "ı") fold to "i". Invalid
/// UTF-8 bytes are kept as they are.
std::string fold(std::string_view s);

/// Trims ASCII blanks at both ends.
std::string_view trim(std::string_view s);

/// Lower-cases ASCII letters.
std::string lower(std::string_view s);

/// True when the bytes are valid UTF-8.
bool valid_utf8(std::string_view s);

/// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD; `bad`, when given,
/// receives how many were replaced.
std::string valid_or_replaced(std::string_view s, std::size_t* bad = nullptr);

/// The number of terminal columns the text takes (code points; East Asian wide and emoji count
/// two, combining marks zero).
std::size_t width(std::string_view s);

/// Cuts the text to at most `columns` terminal columns, ending with "…" when it was cut.
std::string truncate(std::string_view s, std::size_t columns);

/// Pads on the right with spaces to `columns` terminal columns.
std::string pad(std::string_view s, std::size_t columns);

/// A random version 4 UUID in lower-case hex with dashes.
std::string uuid4();

/// True for the 8-4-4-4-12 form of a UUID, hex digits in either case.
bool is_uuid(std::string_view s);

/// Splits on a separator character, keeping empty parts.
std::vector<std::string> split(std::string_view s, char sep);

/// Joins with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

} // namespace followup::text

namespace followup::text {

/// Makes text safe for a terminal, keeping newlines and tabs: every other control character is
/// shown escaped instead of acting on the terminal. ESC becomes `\e`, other C0 characters and
/// DEL `\xHH`, C1 characters (U+0080 to U+009F) and the invisible characters that reorder,
/// hide or break a line `\uHHHH` (the bidirectional embeddings, overrides and isolates U+202A to
/// U+202E and U+2066 to U+2069, the direction marks U+200E, U+200F and U+061C, the zero-width
/// characters U+200B to U+200D, U+2060 to U+2064, U+FEFF and U+180E, the separators U+2028 and
/// U+2029), and bytes that are not valid UTF-8 `\xHH`. Text without any of these is returned
/// unchanged.
std::string escape_controls(std::string_view s);

/// The length of the longest start of `s` that escape_controls leaves as it is (`s.size()`
/// when the whole text is safe for a terminal).
std::size_t terminal_safe_prefix(std::string_view s);

/// Makes text safe for one table cell: control characters (newlines, tabs, escapes) become
/// spaces, and runs of blanks fold into one.
std::string one_line(std::string_view s);

/// Whether one_line(s) is s as it is (no copy needed).
bool is_one_line(std::string_view s);

/// Edits (insert, delete, replace, or swap two neighbours: "shwo" is one from "show") from a
/// to b, counted in bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` by edit distance (case-insensitive), when it is close enough
/// to be a likely typo (at most a third of the word's length, at least 1, at most 3 edits, or
/// `word` is a prefix of it); "" otherwise.

std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

} // namespace followup::text
