#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstdio>
#include <exception>
#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/interchange/importer.hpp>
#include <followup/interchange/json_records.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/util/csv.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/input.hpp>
#include <followup/util/text.hpp>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace followup {

ImportFormat parse_import_format(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    if (t == "auto") return ImportFormat::automatic;
    if (t == "json" || t == "jsonl") return ImportFormat::json;
    if (t == "csv") return ImportFormat::csv;
    if (t == "tsv") return ImportFormat::tsv;
    if (t == "linkedin") return ImportFormat::linkedin;
    if (t == "google") return ImportFormat::google;
    if (t == "vcf" || t == "vcard") return ImportFormat::vcf;
    throw UsageError(fmt::format("unknown import format '{}' (one of auto, json, csv, tsv, "
                                 "linkedin, google, vcf)",
                                 text));
}

std::string_view to_string(ImportFormat format) {
    switch (format) {
    case ImportFormat::automatic:
        return "auto";
    case ImportFormat::json:
        return "json";
    case ImportFormat::csv:
        return "csv";
    case ImportFormat::tsv:
        return "tsv";
    case ImportFormat::linkedin:
        return "linkedin";
    case ImportFormat::google:
        return "google";
    case ImportFormat::vcf:
        return "vcf";
    }
    return "auto";
}

namespace import_detail {

// ------------------------------------------------------------------------------ helpers

/// Fails on the first line that is not valid UTF-8.
void check_utf8(std::string_view text, const std::string& source) {
    if (auto nul = text.find('\0'); nul != std::string_view::npos) {
        std::size_t line = 1;
        for (std::size_t i = 0; i < nul; ++i)
            line += text[i] == '\n';
        import_error(source, line, "a NUL byte: this is not a text file");
    }
    if (text::valid_utf8(text)) return;
    std::size_t line = 1, start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (!text::valid_utf8(text.substr(start, end - start)))
            import_error(source, line,
                         "not valid UTF-8 (save the file as UTF-8 and import it again)");
        start = end + 1;
        ++line;
    }
    import_error(source, 0, "not valid UTF-8");
}

std::string key_of(std::string_view header_cell) {
    return text::lower(text::trim(header_cell));
}

/// Column positions of a CSV header, by lower-cased trimmed name.
class Header {
public:
    explicit Header(const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i)
            index_.emplace(key_of(cells[i]), i);
    }
    [[nodiscard]] bool has(std::string_view name) const {
        return index_.count(std::string(name)) != 0;
    }
    /// The cell of that column in a row, "" when the column or the cell is missing.
    [[nodiscard]] std::string get(const csv::Row& row, std::string_view name) const {
        auto it = index_.find(std::string(name));
        if (it == index_.end() || it->second >= row.cells.size()) return {};
        return std::string(text::trim(row.cells[it->second]));
    }
    [[nodiscard]] const std::unordered_map<std::string, std::size_t>& columns() const {
        return index_;
    }

private:
    std::unordered_map<std::string, std::size_t> index_;
};

std::string join_name(std::initializer_list<std::string> parts) {
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += ' ';
        out += p;
    }
    return out;
}

void add_tag(Contact& c, std::string_view tag) {
    add_tags(c, std::vector<std::string_view>{tag});
}

void add_tags(Contact& c, const std::vector<std::string_view>& tags) {
    // One set of the tags it has, for the whole list: a cell of 20,000 tags took 2 s when each
    // was compared with every one before it.
    std::unordered_set<std::string> have;
    have.reserve(c.tags.size() + tags.size());
    for (const auto& t : c.tags)
        have.insert(text::lower(t));
    for (std::string_view tag : tags) {
        std::string t(text::trim(tag));
        if (t.empty() || !have.insert(text::lower(t)).second) continue;
        if (c.tags.size() >= max_tags)
            throw UsageError(fmt::format("more than {} tags (followup keeps up to {} a contact)",
                                         max_tags, max_tags));
        c.tags.push_back(std::move(t));
    }
}

/// Undoes the ' that followup's own CSV export puts before formula-like cells.
std::string unneutralise(std::string s) {
    if (s.size() >= 2 && s[0] == '\'' &&
        (s[1] == '=' || s[1] == '+' || s[1] == '-' || s[1] == '@' || s[1] == '\t' || s[1] == '\r'))
        s.erase(0, 1);
    return s;
}

// ---------------------------------------------------------------------------------- dates

std::optional<date::local_days> make_day(int y, unsigned m, unsigned d) {
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok() || y < 1900 || y > 9999) return std::nullopt; // the command line's years
    return date::local_days{ymd};
}

/// A day, maybe a clock time and maybe an offset from UTC, as files and spreadsheets write them.
struct SheetTime {
    date::local_days day;
    std::optional<std::chrono::seconds> time;   ///< the clock time, when there is one
    std::optional<std::chrono::minutes> offset; ///< "Z" or "+02:00": a UTC instant
};

/// "jan" ... "dec" (the first three letters of a longer word count: "June", "Sept."): 1 to 12.
unsigned month_of_word(std::string_view word) {
    static constexpr std::array<const char*, 12> months{"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    if (word.size() < 3) return 0;
    std::string w = text::lower(word.substr(0, 3));
    for (unsigned i = 0; i < months.size(); ++i)
        if (w == months[i]) return i + 1;
    return 0;
}

/// Reads the forms of dates and times that LinkedIn, Google and spreadsheets write:
/// 2012-05-14, 2012/05/14, 14-May-12, 7-Feb-2022, 14 May 2012, May 14, 2012, each optionally
/// followed by a clock time (" 18:30", " 03:28:14", "T18:30:00") and then "Z" or an offset
/// ("+02:00", "+0200"). Two-digit years are read as spreadsheets read them: 00-29 are 2000-2029,
/// 30-99 are 1930-1999.
std::optional<SheetTime> parse_sheet_time(std::string_view s) {
    s = text::trim(s);
    std::size_t i = 0;
    auto digits = [&](std::size_t min, std::size_t max, int& out) {
        std::size_t start = i;
        out = 0;
        while (i < s.size() && i - start < max && s[i] >= '0' && s[i] <= '9')
            out = out * 10 + (s[i++] - '0');
        return i - start >= min;
    };
    auto word = [&](std::string_view& out) {
        std::size_t start = i;
        while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
            ++i;
        out = s.substr(start, i - start);
        if (i < s.size() && s[i] == '.') ++i; // "Sept."
        return !out.empty();
    };
    auto lit = [&](char ch) {
        if (i < s.size() && s[i] == ch) {
            ++i;
            return true;
        }
        return false;
    };
    int y = 0, m = 0, d = 0;
    std::string_view w;
    if (digits(4, 4, y) && i < s.size() && (s[i] == '-' || s[i] == '/')) {
        char sep = s[i++]; // 2012-05-14, 2012/05/14
        if (!digits(1, 2, m) || !lit(sep) || !digits(1, 2, d)) return std::nullopt;
    } else {
        i = 0;
        if (digits(1, 2, d)) { // 14-May-12, 7-Feb-2022, 14 May 2012
            if (i >= s.size() || (s[i] != '-' && s[i] != ' ')) return std::nullopt;
            char sep = s[i++];
            if (!word(w) || !(m = static_cast<int>(month_of_word(w))) || !lit(sep))
                return std::nullopt;
            std::size_t start = i;
            if (!digits(2, 4, y) || i - start == 3) return std::nullopt;
            if (i - start == 2) y += y < 30 ? 2000 : 1900;
        } else { // May 14, 2012
            i = 0;
            if (!word(w) || !(m = static_cast<int>(month_of_word(w))) || !lit(' ') ||
                !digits(1, 2, d) || !lit(',') || !lit(' ') || !digits(4, 4, y))
                return std::nullopt;
        }
    }
    auto day = make_day(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    if (!day) return std::nullopt;
    SheetTime out{*day, std::nullopt, std::nullopt};
    if (i == s.size()) return out;
    if (!lit(' ') && !lit('T')) return std::nullopt;
    int hh = 0, mm = 0, ss = 0;
    if (!digits(1, 2, hh) || !lit(':') || !digits(2, 2, mm)) return std::nullopt;
    if (lit(':') && !digits(2, 2, ss)) return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    out.time = std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
    if (i == s.size()) return out;
    if (lit('Z')) {
        out.offset = std::chrono::minutes{0};
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i++] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!digits(2, 2, oh)) return std::nullopt;
        lit(':');
        if (!digits(2, 2, om) || oh > 14 || om > 59) return std::nullopt;
        out.offset = std::chrono::minutes{sign * (oh * 60 + om)};
    }
    if (i != s.size()) return std::nullopt;
    return out;
}

/// A time in a CSV cell: followup's UTC form, or any form parse_sheet_time reads; a time
/// without an offset is local to `zone`, a date alone is the start of that local day.
std::optional<Instant> parse_cell_time(std::string_view v, const Zone* zone) {
    if (auto t = parse_utc(v)) return t;
    auto st = parse_sheet_time(v);
    if (!st) return std::nullopt;
    if (st->offset)
        return Instant{date::sys_days{st->day.time_since_epoch()} +
                       st->time.value_or(std::chrono::seconds{0}) - *st->offset};
    if (!zone) zone = find_zone("UTC");
    if (!st->time) return start_of_day(st->day, zone);
    return to_instant(date::local_seconds{st->day} + *st->time, zone);
}

/// A birthday in a CSV cell: followup's forms (YYYY-MM-DD, MM-DD), else a date in one of the
/// forms of parse_sheet_time (a clock time after it, as spreadsheets add, is ignored).
std::string parse_cell_birthday(const std::string& v) {
    try {
        return parse_birthday(v);
    } catch (const UsageError&) {
        auto st = parse_sheet_time(v);
        if (!st || st->offset) throw;
        return parse_birthday(date::format("%F", st->day));
    }
}

/// Sets one contact field from text, as the spec names the fields. Throws UsageError with the
/// reason; unknown fields are ignored (false). With a `local_zone` (CSV files), times may also be
/// local dates and times in that zone and the forms spreadsheets write (parse_cell_time), and
/// birthdays those of parse_cell_birthday; without one (JSON), times are followup's UTC form.
bool set_contact_field(ContactDraft& d, const std::string& field, const std::string& value,
                       const Zone* local_zone) {
    Contact& c = d.contact;
    if (value.find('\0') != std::string::npos) // "\u0000" in JSON
        throw UsageError(fmt::format("{} contains a NUL character", field));
    auto time_of = [&](const std::string& v) -> std::optional<Instant> {
        if (v.empty()) return std::nullopt;
        if (local_zone) {
            auto t = parse_cell_time(v, local_zone);
            if (!t)
                throw UsageError(fmt::format("{} '{}' is not a time like 2026-11-20T13:00:00Z or "
                                             "2026-11-20 13:00",
                                             field, v));
            return t;
        }
        auto t = parse_utc(v);
        if (!t)
            throw UsageError(
                fmt::format("{} '{}' is not a UTC time like 2026-11-20T13:00:00Z", field, v));
        return t;
    };
    if (field == "name") {
        c.name = std::string(text::trim(value));
    } else if (field == "uuid") {
        if (value.empty()) return true;
        if (!text::is_uuid(value)) throw UsageError(fmt::format("uuid '{}' is not a UUID", value));
        c.uuid = text::lower(value);
    } else if (field == "company") {
        c.company = value;
    } else if (field == "title") {
        c.title = value;
    } else if (field == "email") {
        c.email = std::string(text::trim(value));
    } else if (field == "phone") {
        c.phone = std::string(text::trim(value));
    } else if (field == "channel") {
        c.channel = value.empty() ? std::string() : normalize_channel(value);
    } else if (field == "handle") {
        c.handle = value;
    } else if (field == "emails" || field == "phones" || field == "addresses") {
        // A CSV cell as export writes it: "work:ann@example.com;home:ann@home.example".
        auto& list = field == "emails" ? c.emails : field == "phones" ? c.phones : c.addresses;
        for (const auto& part : text::split(value, ';'))
            if (!text::trim(part).empty()) list.push_back(parse_labeled(part));
    } else if (field == "profiles") {
        for (const auto& part : text::split(value, ';'))
            if (!text::trim(part).empty()) c.profiles.push_back(parse_profile(part));
    } else if (field == "tags") {
        const auto parts = text::split(value, value.find(';') != std::string::npos ? ';' : ',');
        add_tags(c, std::vector<std::string_view>(parts.begin(), parts.end()));
    } else if (field == "notes" || field == "note") {
        c.notes = value;
    } else if (field == "birthday") {
        c.birthday = value.empty() ? std::string()
                     : local_zone  ? parse_cell_birthday(value)
                                   : parse_birthday(value);
    } else if (field == "event") {
        c.event = std::string(text::trim(value));
    } else if (field == "met") {
        c.met = time_of(value);
    } else if (field == "last_touch") {
        c.last_touch = time_of(value);
    } else if (field == "created") {
        c.created = time_of(value).value_or(Instant{});
    } else if (field == "referred_by") {
        c.referred_by = std::string(text::trim(value));
    } else if (field == "every_days") {
        if (value.empty()) {
            c.every_days.reset();
            return true;
        }
        int n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > 3650)
            throw UsageError(
                fmt::format("every_days '{}' is not a number of days from 1 to 3650", value));
        c.every_days = n;
    } else if (field == "archived") {
        std::string v = text::lower(value);
        if (v == "true" || v == "1" || v == "yes")
            c.archived = true;
        else if (v.empty() || v == "false" || v == "0" || v == "no")
            c.archived = false;
        else
            throw UsageError(fmt::format("archived '{}' is not true or false", value));
    } else if (field == "id") {
        if (value.empty()) return true;
        Id id = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
        if (ec != std::errc() || end != value.data() + value.size() || id < 1)
            throw UsageError(fmt::format("id '{}' is not a positive number", value));
        c.id = id;
    } else {
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------- CSV

/// Where a CSV file's header is: the first row that has one of the known column sets.
enum class CsvKind { linkedin, google_current, google_legacy, generic };

struct CsvFile {
    CsvKind kind{CsvKind::generic};
    std::size_t header_row{};
};

bool is_linkedin_header(const Header& h) {
    return h.has("first name") && h.has("last name") && h.has("connected on");
}
bool is_google_current(const Header& h) {
    return h.has("first name") && h.has("last name") &&
           (h.has("e-mail 1 - value") || h.has("organization name") || h.has("labels") ||
            h.has("phone 1 - value") || h.has("middle name"));
}
bool is_google_legacy(const Header& h) {
    return h.has("given name") && h.has("family name") &&
           (h.has("group membership") || h.has("e-mail 1 - value") || h.has("name"));
}

CsvFile find_header(const std::vector<csv::Row>& rows, ImportFormat wanted,
                    const std::string& source) {
    // LinkedIn puts a few lines of notes before its header; look a little way down.
    std::size_t limit = std::min<std::size_t>(rows.size(), 16);
    for (std::size_t i = 0; i < limit; ++i) {
        Header h(rows[i].cells);
        if (is_linkedin_header(h) &&
            (wanted == ImportFormat::automatic || wanted == ImportFormat::linkedin))
            return {CsvKind::linkedin, i};
        if (wanted == ImportFormat::automatic || wanted == ImportFormat::google) {
            if (is_google_current(h)) return {CsvKind::google_current, i};
            if (is_google_legacy(h)) return {CsvKind::google_legacy, i};
        }
        if ((wanted == ImportFormat::automatic || wanted == ImportFormat::csv) && h.has("name"))
            return {CsvKind::generic, i};
    }
    std::size_t line = rows.empty() ? 0 : rows.front().line;
    switch (wanted) {
    case ImportFormat::linkedin:
        import_error(source, line,
                     "no LinkedIn header (First Name,Last Name,URL,Email Address,Company,"
                     "Position,Connected On) in the first lines");
    case ImportFormat::google:
        import_error(source, line,
                     "no Google Contacts header (First Name,...,Last Name or Name,Given Name,"
                     "...,Family Name) in the first lines");
    case ImportFormat::csv:
        import_error(source, line,
                     "the header has no 'name' column (a generic CSV names the contact fields: "
                     "name, email, company, ...)");
    default:
        import_error(source, line,
                     "cannot tell what this CSV is: no LinkedIn, Google Contacts or 'name' "
                     "header in the first lines (use --format)");
    }
}

/// "2026-06-15".
std::optional<date::local_days> parse_iso_day(const std::string& s) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
    return make_day(y, m, d);
}

/// "15 Jun 2026" (LinkedIn's form), and the other forms of parse_sheet_time: "7-Feb-22" (as a
/// spreadsheet saves it), "2026-06-15", "2026/06/15", "Jun 15, 2026"; a clock time is ignored.
std::optional<date::local_days> parse_connected_on(const std::string& s) {
    if (auto t = parse_sheet_time(s)) return t->day;
    return std::nullopt;
}

void read_linkedin(const std::vector<csv::Row>& rows, std::size_t header_row,
                   const std::string& source, ImportData& out) {
    Header h(rows[header_row].cells);
    // Column positions once, not a lookup per cell: exports run to tens of thousands of rows.
    auto column = [&](const char* name) -> std::optional<std::size_t> {
        auto it = h.columns().find(name);
        if (it == h.columns().end()) return std::nullopt;
        return it->second;
    };
    const auto first = column("first name"), last = column("last name"), url_col = column("url"),
               email = column("email address"), company = column("company"),
               position = column("position"), connected = column("connected on");
    out.contacts.reserve(rows.size() - header_row);
    for (std::size_t r = header_row + 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        auto cell = [&](const std::optional<std::size_t>& at) -> std::string {
            if (!at || *at >= row.cells.size()) return {};
            return std::string(text::trim(row.cells[*at]));
        };
        ContactDraft d;
        d.line = row.line;
        d.contact.name = join_name({cell(first), cell(last)});
        if (d.contact.name.empty()) {
            ++out.skipped; // a restricted member: LinkedIn exports them without a name
            continue;
        }
        d.contact.email = cell(email);
        d.contact.company = cell(company);
        d.contact.title = cell(position);
        std::string url = cell(url_col);
        if (!url.empty()) {
            d.contact.channel = "linkedin";
            d.contact.profiles.push_back({"linkedin", url});
        }
        std::string on = cell(connected);
        if (!on.empty()) {
            d.connected_on = parse_connected_on(on);
            if (!d.connected_on)
                import_error(source, row.line,
                             fmt::format("Connected On '{}' is not a date like 15 Jun 2026", on));
        }
        out.contacts.push_back(std::move(d));
    }
}

/// Google's multi-value cells: "a ::: b".
std::vector<std::string> google_values(const std::string& cell) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= cell.size()) {
        std::size_t end = cell.find(":::", start);
        if (end == std::string::npos) end = cell.size();
        std::string v(text::trim(std::string_view(cell).substr(start, end - start)));
        if (!v.empty()) out.push_back(std::move(v));
        start = end + 3;
    }
    return out;
}

/// The numbered groups of a Google export ("E-mail 1 - Label"/"E-mail 1 - Value", ...), each
/// with its label ("work", "mobile"), the primary one (its label starts with "*") first.
void google_multi(const Header& h, const csv::Row& row, const std::string& prefix,
                  const std::string& label_word, std::vector<Labeled>& list) {
    struct Item {
        std::string label, value;
        bool primary{};
    };
    std::vector<Item> items;
    for (int n = 1; n <= 16; ++n) {
        std::string base = fmt::format("{} {} - ", prefix, n);
        if (!h.has(base + "value")) break;
        std::string label = h.get(row, base + label_word);
        for (auto& v : google_values(h.get(row, base + "value"))) {
            Item it{label, v, false};
            if (!it.label.empty() && it.label[0] == '*') {
                it.primary = true;
                it.label = std::string(text::trim(it.label.substr(1)));
            }
            items.push_back(std::move(it));
        }
    }
    if (items.empty()) return;
    std::stable_partition(items.begin(), items.end(), [](const Item& i) { return i.primary; });
    for (auto& it : items)
        list.push_back({std::move(it.value), text::lower(it.label)});
}

void read_google(const std::vector<csv::Row>& rows, const CsvFile& file, const std::string& source,
                 ImportData& out) {
    Header h(rows[file.header_row].cells);
    bool legacy = file.kind == CsvKind::google_legacy;
    for (std::size_t r = file.header_row + 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        ContactDraft d;
        d.line = row.line;
        Contact& c = d.contact;
        if (legacy) {
            c.name = h.get(row, "name");
            if (c.name.empty())
                c.name = join_name({h.get(row, "name prefix"), h.get(row, "given name"),
                                    h.get(row, "additional name"), h.get(row, "family name"),
                                    h.get(row, "name suffix")});
            c.company = h.get(row, "organization 1 - name");
            c.title = h.get(row, "organization 1 - title");
        } else {
            c.name = join_name({h.get(row, "name prefix"), h.get(row, "first name"),
                                h.get(row, "middle name"), h.get(row, "last name"),
                                h.get(row, "name suffix")});
            c.company = h.get(row, "organization name");
            c.title = h.get(row, "organization title");
        }
        c.notes = h.get(row, "notes");
        google_multi(h, row, "e-mail", legacy ? "type" : "label", c.emails);
        google_multi(h, row, "phone", legacy ? "type" : "label", c.phones);
        // Postal addresses: the formatted text, else the parts joined.
        for (int n = 1; n <= 16; ++n) {
            std::string base = fmt::format("address {} - ", n);
            if (!h.has(base + "formatted") && !h.has(base + "street")) break;
            std::string label = text::lower(h.get(row, base + (legacy ? "type" : "label")));
            if (!label.empty() && label[0] == '*') label = text::lower(text::trim(label.substr(1)));
            std::string formatted = h.get(row, base + "formatted");
            if (formatted.empty()) {
                std::vector<std::string> parts;
                for (const char* part : {"street", "city", "region", "postal code", "country"})
                    if (std::string v = h.get(row, base + part); !v.empty()) parts.push_back(v);
                formatted = text::join(parts, ", ");
            }
            for (auto& v : google_values(formatted))
                c.addresses.push_back({v, label});
        }
        // Websites on a network are profiles there (linkedin.com/in/..., x.com/...).
        for (int n = 1; n <= 8; ++n) {
            std::string base = fmt::format("website {} - value", n);
            if (!h.has(base)) break;
            for (auto& url : google_values(h.get(row, base)))
                if (std::string network = network_of_url(url); !network.empty())
                    c.profiles.push_back({network, url});
        }
        if (c.channel.empty() && !c.profiles.empty() && c.profiles.front().network == "linkedin" &&
            c.emails.empty() && c.phones.empty())
            c.channel = "linkedin";
        for (auto& label : google_values(h.get(row, legacy ? "group membership" : "labels")))
            if (label[0] != '*') add_tag(c, label); // "* myContacts", "* starred": system groups
        std::string birthday = h.get(row, "birthday");
        if (!birthday.empty()) {
            std::string b = birthday.rfind("--", 0) == 0 ? birthday.substr(2) : birthday;
            try {
                c.birthday = parse_cell_birthday(b);
            } catch (const UsageError& e) {
                import_error(source, row.line, fmt::format("Birthday: {}", e.what()));
            }
        }
        if (c.name.empty()) c.name = h.get(row, "nickname");
        if (c.name.empty()) c.name = c.company;
        if (c.name.empty() && !c.emails.empty()) c.name = c.emails.front().value;
        if (c.name.empty() && !c.phones.empty()) c.name = c.phones.front().value;
        if (c.name.empty()) {
            ++out.skipped;
            continue;
        }
        out.contacts.push_back(std::move(d));
    }
}

/// Followup's own CSV and TSV give `channel` and `handle` as the channel in use: a channel that
/// is what the lists would give anyway was not chosen (it stays derived, and follows the
/// contact's reach), and with the lists of ways to reach them (the `emails`, `phones`,
/// `addresses` and `profiles` columns) the handle is always derived from them, never pinned.
void keep_derived(Contact& c, bool lists) {
    if (lists) c.handle.clear();
    if (c.channel.empty()) return;
    Contact plain = c;
    plain.channel.clear();
    plain.handle.clear();
    settle_reach(plain);
    Via derived = effective_via(plain);
    if (derived.channel == c.channel && (lists || derived.handle == c.handle))
        c.channel.clear(), c.handle.clear();
}

void read_generic(const std::vector<csv::Row>& rows, std::size_t header_row,
                  const std::string& source, const Zone* zone, ImportData& out) {
    const auto& header = rows[header_row].cells;
    std::vector<std::string> fields;
    for (const auto& cell : header)
        fields.push_back(key_of(cell));
    bool lists = std::any_of(fields.begin(), fields.end(), [](const std::string& f) {
        return f == "emails" || f == "phones" || f == "addresses" || f == "profiles";
    });
    for (std::size_t r = header_row + 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        ContactDraft d;
        d.line = row.line;
        for (std::size_t i = 0; i < fields.size() && i < row.cells.size(); ++i) {
            try {
                set_contact_field(d, fields[i], unneutralise(row.cells[i]), zone);
            } catch (const UsageError& e) {
                import_error(source, row.line, e.what());
            }
        }
        if (d.contact.name.empty()) {
            settle_reach(d.contact);
            if (d.contact.email.empty()) {
                ++out.skipped;
                continue;
            }
            d.contact.name = d.contact.email;
        }
        keep_derived(d.contact, lists);
        out.contacts.push_back(std::move(d));
    }
}

constexpr const char* not_utf8 = "not valid UTF-8 (save the file as UTF-8 and import it again)";

/// Fails when the record on `line` is one more than the options allow.
void count_record(std::size_t& count, std::size_t line, const std::string& source,
                  const ReadOptions& options) {
    if (++count > options.record_count_limit && options.record_count_limit)
        import_error(source, line,
                     fmt::format("more than {} records (followup imports up to {} at a time; "
                                 "split the file)",
                                 options.record_count_limit, options.record_count_limit));
}

bool valid_row(const csv::Row& row) {
    return std::all_of(row.cells.begin(), row.cells.end(),
                       [](const std::string& c) { return text::valid_utf8(c); });
}

/// Reads a CSV (or TSV) file record by record: the header in its first 16 records, then the
/// rows in batches. A row that cannot be read is left out and named in out.unreadable.
void read_csv(Input& in, std::size_t first_line, ImportFormat wanted, csv::Dialect dialect,
              const std::string& source, const ReadOptions& options, ImportData& out) {
    csv::Reader reader(in, dialect, options.record_limit, first_line);
    auto check_nul = [&](const csv::Row& row) {
        for (const auto& cell : row.cells)
            if (cell.find('\0') != std::string::npos)
                import_error(source, row.line, "a NUL byte: this is not a text file");
    };
    std::vector<csv::Row> rows;
    csv::Row row;
    while (rows.size() < 16 && reader.next(row)) {
        check_nul(row);
        rows.push_back(std::move(row));
        row = csv::Row{};
    }
    if (rows.empty()) import_error(source, 0, "the file is empty");
    // The rows up to the header must be readable: what the file is depends on them.
    auto check_row = [&](const csv::Row& r) {
        if (!r.error.empty()) import_error(source, r.line, r.error);
        if (!valid_row(r)) import_error(source, r.line, not_utf8);
    };
    CsvFile file;
    try {
        file = find_header(rows, wanted == ImportFormat::tsv ? ImportFormat::automatic : wanted,
                           source);
    } catch (const ImportError&) {
        for (const auto& r : rows)
            check_row(r);
        throw;
    }
    for (std::size_t i = 0; i <= file.header_row; ++i)
        check_row(rows[i]);
    const csv::Row header = rows[file.header_row];
    switch (file.kind) {
    case CsvKind::linkedin:
        out.format = ImportFormat::linkedin;
        break;
    case CsvKind::google_current:
    case CsvKind::google_legacy:
        out.format = ImportFormat::google;
        break;
    case CsvKind::generic:
        out.format = dialect == csv::Dialect::tsv ? ImportFormat::tsv : ImportFormat::csv;
        break;
    }
    // A batch is the header followed by rows. A row that fails is noted, the header copied over
    // it, and the reader runs again from there: the rows before it are already read.
    constexpr std::size_t batch_rows = 1024;
    std::vector<csv::Row> batch;
    batch.reserve(batch_rows + 1);
    batch.push_back(header);
    auto flush = [&] {
        std::size_t at = 0;
        while (at + 1 < batch.size()) {
            try {
                switch (file.kind) {
                case CsvKind::linkedin:
                    read_linkedin(batch, at, source, out);
                    break;
                case CsvKind::google_current:
                case CsvKind::google_legacy:
                    read_google(batch, CsvFile{file.kind, at}, source, out);
                    break;
                case CsvKind::generic:
                    read_generic(batch, at, source, options.zone ? options.zone : find_zone("UTC"),
                                 out);
                    break;
                }
                break;
            } catch (const ImportError& e) {
                auto bad =
                    std::find_if(batch.begin() + static_cast<std::ptrdiff_t>(at) + 1, batch.end(),
                                 [&](const csv::Row& r) { return r.line == e.line(); });
                if (bad == batch.end()) throw;
                out.unreadable.push_back({e.line(), e.reason()});
                *bad = header;
                at = static_cast<std::size_t>(bad - batch.begin());
            }
        }
        batch.resize(1);
    };
    std::size_t count = 0;
    auto take = [&](csv::Row&& r) {
        count_record(count, r.line, source, options);
        if (!r.error.empty()) {
            out.unreadable.push_back({r.line, r.error});
        } else {
            // A cell that is not UTF-8 is kept with U+FFFD for its bad bytes, and named.
            if (!valid_row(r))
                for (std::size_t i = 0; i < r.cells.size(); ++i) {
                    if (text::valid_utf8(r.cells[i])) continue;
                    r.cells[i] = text::valid_or_replaced(r.cells[i]);
                    std::string field = i < header.cells.size() && !header.cells[i].empty()
                                            ? std::string(text::trim(header.cells[i]))
                                            : fmt::format("column {}", i + 1);
                    out.repaired.push_back({r.line, field});
                }
            batch.push_back(std::move(r));
        }
        if (batch.size() > batch_rows) flush();
    };
    for (std::size_t i = file.header_row + 1; i < rows.size(); ++i)
        take(std::move(rows[i]));
    rows.clear();
    while (reader.next(row)) {
        check_nul(row);
        take(std::move(row));
        row = csv::Row{};
    }
    flush();
}

// --------------------------------------------------------------------------------- JSON

/// The line on which each element of an array starts, in one pass: the top-level array when
/// `key` is empty, else the array under that key of the top-level object. `limit`: stop after
/// that many elements.
std::vector<std::size_t> element_lines(std::string_view text, const std::string& key,
                                       std::size_t limit) {
    std::vector<std::size_t> lines;
    std::size_t line = 1;
    int depth = 0;
    bool in_key_array = key.empty();
    int array_depth = key.empty() ? 1 : 2;
    bool expect_element = false;
    std::string last_string;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (ch == '\n') {
            ++line;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r') continue;
        if (expect_element && depth == array_depth && in_key_array && ch != ']') {
            lines.push_back(line);
            if (lines.size() == limit) return lines;
            expect_element = false;
        }
        if (ch == '"') {
            std::size_t start = i + 1;
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\') ++i;
            if (depth == 1) last_string.assign(text.substr(start, i - start));
            continue;
        }
        if (ch == '{' || ch == '[') {
            ++depth;
            if (depth == array_depth && ch == '[' &&
                (key.empty() || (depth == 2 && last_string == key)))
                in_key_array = true, expect_element = true;
        } else if (ch == '}' || ch == ']') {
            if (depth == array_depth && in_key_array && !key.empty()) in_key_array = false;
            --depth;
        } else if (ch == ',' && depth == array_depth && in_key_array) {
            expect_element = true;
        }
    }
    return lines;
}

/// The line on which the `index`-th element of an array starts (see element_lines); 0 when
/// not found.
std::size_t element_line(std::string_view text, const std::string& key, std::size_t index) {
    auto lines = element_lines(text, key, index + 1);
    return index < lines.size() ? lines[index] : 0;
}

/// The parser callback that reads the records of a backup's sections (the arrays "events",
/// "contacts", "referrals", "followups" and "interactions" of the top-level object) one by one
/// as the parser finishes each, and drops them from the document. The first record of a
/// section that cannot be read keeps its error, and the section's later records are not read
/// (the import stops there, as JsonReader::each would).
class JsonSections {
public:
    template <class T> struct Records {
        bool array{};             ///< the section is an array (what JsonReader::each requires)
        std::vector<T> items;     ///< the records read, in order, up to the first error
        std::exception_ptr error; ///< why the record after them could not be read
    };
    Records<Event> events;
    Records<ContactDraft> contacts;
    Records<std::pair<Referral, std::size_t>> referrals; ///< with the end of its steps
    Records<Followup> followups;
    Records<Interaction> interactions;
    std::vector<ReferralStep> referral_steps;

    explicit JsonSections(const JsonReader& reader) : reader_(reader) {}

    bool operator()(int depth, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        if (depth == 1) {
            if (event == E::key) {
                key_ = parsed.is_string() ? parsed.get<std::string>() : std::string();
            } else if (event == E::array_start) {
                current_ = key_ == "events"         ? 1
                           : key_ == "contacts"     ? 2
                           : key_ == "referrals"    ? 3
                           : key_ == "followups"    ? 4
                           : key_ == "interactions" ? 5
                                                    : 0;
                // The parser keeps the last of a key given twice: so do the records.
                if (current_) reset();
            } else if (event == E::array_end) {
                current_ = 0;
            }
            return true;
        }
        // An element of a section: a value, or an object or array when it ends.
        if (depth != 2 || current_ == 0 || event == E::key || event == E::object_start ||
            event == E::array_start)
            return true;
        switch (current_) {
        case 1:
            read(events, parsed, [&](const json& o) { return reader_.event(o); });
            break;
        case 2:
            read(contacts, parsed, [&](const json& o) { return reader_.contact(o); });
            break;
        case 3:
            read(referrals, parsed, [&](const json& o) {
                Referral r = reader_.referral(o, referral_steps);
                return std::pair{std::move(r), referral_steps.size()};
            });
            break;
        case 4:
            read(followups, parsed, [&](const json& o) { return reader_.followup(o); });
            break;
        default:
            read(interactions, parsed, [&](const json& o) { return reader_.interaction(o); });
            break;
        }
        return false; // read: not kept in the document
    }

private:
    template <class T, class F> static void read(Records<T>& records, const json& o, F&& convert) {
        if (records.error) return;
        try {
            if (!o.is_object()) throw UsageError("must be an object");
            records.items.push_back(convert(o));
        } catch (...) {
            records.error = std::current_exception();
        }
    }

    void reset() {
        auto clear = [](auto& records) { records = {}, records.array = true; };
        switch (current_) {
        case 1:
            clear(events);
            break;
        case 2:
            clear(contacts);
            break;
        case 3:
            clear(referrals);
            referral_steps.clear();
            break;
        case 4:
            clear(followups);
            break;
        default:
            clear(interactions);
            break;
        }
    }

    const JsonReader& reader_;
    std::string key_;
    int current_{};
};

void read_json_document(std::string_view text, const std::string& source, ImportData& out);

void read_json(std::string_view text, const std::string& source, ImportData& out) {
    try {
        read_json_document(text, source, out);
    } catch (const nlohmann::json::exception& e) {
        // A number too large for a double (1e400) and the like: the parser's own words.
        std::string what = e.what();
        auto bracket = what.find("] ");
        import_error(source, 0,
                     fmt::format("not valid JSON: {}",
                                 bracket == std::string::npos ? what : what.substr(bracket + 2)));
    }
}

void read_json_document(std::string_view text, const std::string& source, ImportData& out) {
    out.format = ImportFormat::json;
    JsonReader reader(text, source);
    // The records of a backup's sections are read one by one as the parser finishes each
    // (JsonSections), and dropped from the document: a document of the whole file would take
    // about ten times its size in memory.
    JsonSections sections(reader);
    json doc;
    try {
        doc = json::parse(text.begin(), text.end(), std::ref(sections));
    } catch (const json::parse_error& e) {
        // JSON Lines: one object per line.
        bool lines =
            text.find('\n') != std::string_view::npos && text::trim(text).substr(0, 1) == "{";
        if (lines) {
            // A line that is not JSON is fatal where the file starts (it may be one broken
            // document); further down it is one record that cannot be read.
            std::size_t line = 0, start = 0;
            bool first = true;
            while (start < text.size()) {
                std::size_t end = text.find('\n', start);
                if (end == std::string_view::npos) end = text.size();
                ++line;
                std::string_view one = text::trim(text.substr(start, end - start));
                start = end + 1;
                if (one.empty()) continue;
                bool at_start = first;
                first = false;
                json obj;
                try {
                    obj = json::parse(one);
                } catch (const json::exception& le) {
                    std::string reason = fmt::format("not JSON: {}", le.what());
                    if (at_start) import_error(source, line, reason);
                    out.unreadable.push_back({line, std::move(reason)});
                    continue;
                }
                if (!obj.is_object()) {
                    out.unreadable.push_back({line, "not a JSON object"});
                    continue;
                }
                try {
                    ContactDraft d = reader.contact(obj);
                    d.line = line;
                    out.contacts.push_back(std::move(d));
                } catch (const json::exception& le) {
                    out.unreadable.push_back({line, fmt::format("not JSON: {}", le.what())});
                } catch (const UsageError& ue) {
                    out.unreadable.push_back({line, ue.what()});
                }
            }
            return;
        }
        std::size_t line = 1;
        for (std::size_t i = 0; i < e.byte && i < text.size(); ++i)
            if (text[i] == '\n') ++line;
        std::string what = e.what();
        auto colon = what.find(": ", what.find("parse error"));
        import_error(source, line,
                     fmt::format("not valid JSON: {}",
                                 colon == std::string::npos ? what : what.substr(colon + 2)));
    }

    if (doc.is_array()) {
        std::vector<std::size_t> lines = element_lines(text, "");
        std::size_t index = 0;
        for (const auto& item : doc) {
            if (item.is_object() &&
                (item.contains("kind") || item.contains("direction") || item.contains("at")))
                reader.fail("", index,
                            "only contacts can be imported from a list; follow-ups, "
                            "interactions and referrals come back from `followup export all "
                            "--format json`");
            // A record that cannot be read is left out and named; the others are read.
            try {
                if (!item.is_object()) reader.fail("", index, "must be an object");
                try {
                    ContactDraft d = reader.contact(item);
                    d.line = index < lines.size() ? lines[index] : 0;
                    out.contacts.push_back(std::move(d));
                } catch (const ImportError&) {
                    throw;
                } catch (const UsageError& e) {
                    reader.fail("", index, e.what());
                }
            } catch (const ImportError& e) {
                out.unreadable.push_back({e.line(), e.reason()});
            }
            ++index;
        }
        return;
    }
    if (doc.is_object() && !doc.contains("contacts") && doc.contains("name")) {
        try { // one contact on its own (a JSON Lines file of one line, or `show`'s card)
            ContactDraft d = reader.contact(doc);
            d.line = 1;
            out.contacts.push_back(std::move(d));
        } catch (const UsageError& e) {
            import_error(source, 1, e.what());
        }
        return;
    }
    if (!doc.is_object() || !doc.contains("contacts"))
        import_error(source, 1,
                     "not a followup JSON file: expected a list of contacts or the object "
                     "`followup export all --format json` writes (with \"contacts\")");
    out.full_backup = doc.value("format", "") == "followup";
    auto section = [&](const char* name) -> const json& {
        static const json empty = json::array();
        auto it = doc.find(name);
        return it == doc.end() || it->is_null() ? empty : *it;
    };
    // Each section as JsonReader::each would go through it: an element that could not be read
    // (its error kept by JsonSections) stops the import there, in the order of the sections.
    auto each = [&](auto& records, const char* name, auto&& check) {
        // Not an array (or missing: none): what JsonReader::each says of it.
        if (!records.array) reader.each(section(name), name, [](const json&) {});
        for (std::size_t index = 0; index < records.items.size(); ++index) {
            try {
                check(records.items[index], index);
            } catch (const UsageError& e) {
                reader.fail(name, index, e.what());
            }
        }
        if (records.error) {
            try {
                std::rethrow_exception(records.error);
            } catch (const UsageError& e) {
                reader.fail(name, records.items.size(), e.what());
            }
        }
    };
    std::unordered_set<Id> event_ids, interaction_ids;
    each(sections.events, "events", [&](Event& e, std::size_t) {
        JsonReader::unique_id(event_ids, e.id);
        out.events.push_back(std::move(e));
    });
    std::unordered_set<Id> contact_ids;
    std::vector<std::size_t> contact_lines = sections.contacts.items.empty()
                                                 ? std::vector<std::size_t>{}
                                                 : element_lines(text, "contacts");
    each(sections.contacts, "contacts", [&](ContactDraft& d, std::size_t index) {
        d.line = index < contact_lines.size() ? contact_lines[index] : 0;
        JsonReader::unique_id(contact_ids, d.contact.id);
        out.contacts.push_back(std::move(d));
    });
    auto known = [&](Id id, const char* what) {
        if (!contact_ids.count(id))
            throw UsageError(fmt::format("{} {} is not a contact of this file", what, id));
    };
    std::unordered_set<Id> followup_ids, referral_ids;
    std::size_t steps = 0;
    each(sections.referrals, "referrals", [&](std::pair<Referral, std::size_t>& item, std::size_t) {
        Referral& r = item.first;
        // The referral's history, as JsonReader::referral appended it.
        std::move(sections.referral_steps.begin() + static_cast<std::ptrdiff_t>(steps),
                  sections.referral_steps.begin() + static_cast<std::ptrdiff_t>(item.second),
                  std::back_inserter(out.referral_steps));
        steps = item.second;
        for (auto [id, what] :
             {std::pair{r.referrer_id, "referrer_id"}, std::pair{r.prospect_id, "prospect_id"},
              std::pair{r.member_id, "member_id"}})
            if (id) known(*id, what);
        JsonReader::unique_id(referral_ids, r.id);
        out.referrals.push_back(std::move(r));
    });
    each(sections.followups, "followups", [&](Followup& f, std::size_t) {
        known(f.contact_id, "contact_id");
        if (f.referral_id && !referral_ids.count(*f.referral_id))
            throw UsageError(
                fmt::format("referral_id {} is not a referral of this file", *f.referral_id));
        JsonReader::unique_id(followup_ids, f.id);
        out.followups.push_back(std::move(f));
    });
    each(sections.interactions, "interactions", [&](Interaction& i, std::size_t) {
        known(i.contact_id, "contact_id");
        if (i.followup_id && !followup_ids.count(*i.followup_id))
            throw UsageError(
                fmt::format("followup_id {} is not a follow-up of this file", *i.followup_id));
        JsonReader::unique_id(interaction_ids, i.id);
        out.interactions.push_back(std::move(i));
    });
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

} // namespace import_detail

using namespace import_detail;

namespace {

/// 1 for a BEGIN:VCARD line, 2 for END:VCARD, 0 for any other (as the vCard reader splits a
/// line: the name before ':' or ';', without a group, and the value, in any case, blanks around).
int card_marker(std::string_view line) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') return 0; // a folded line goes on
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return 0;
    std::string_view name = line.substr(0, std::min(colon, line.find(';')));
    name = text::trim(name);
    if (auto dot = name.rfind('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);
    std::string_view value = text::trim(line.substr(colon + 1));
    if (value.size() != 5 || !starts_with_nocase(value, "vcard")) return 0;
    if (name.size() == 5 && starts_with_nocase(name, "begin")) return 1;
    if (name.size() == 3 && starts_with_nocase(name, "end")) return 2;
    return 0;
}

[[noreturn]] void too_long(const std::string& source, std::size_t line, std::size_t limit,
                           const char* what) {
    import_error(source, line,
                 fmt::format("{} longer than {} MiB (stdin takes {}s of up to {} MiB; import the "
                             "file by its name instead)",
                             what, limit >> 20, std::string_view(what).substr(2), limit >> 20));
}

/// Reads vCards card by card: each card from its BEGIN:VCARD to its END:VCARD is read on its
/// own, and a card that cannot be read is left out and named. Text outside a card, a card inside
/// a card and a card never closed make the rest unreadable: they throw.
void read_vcf(Input& in, std::size_t first_line, const std::string& source,
              const ReadOptions& options, ImportData& out) {
    out.format = ImportFormat::vcf;
    std::size_t line = first_line - 1; // the number of the line at `pos`, minus one
    std::size_t pos = 0;               // where the next line starts, in in.data()
    std::size_t card_start = 0, card_line = 0;
    bool in_card = false, any = false;
    std::size_t count = 0;
    while (true) {
        std::string_view data = in.data();
        std::size_t nl = data.find('\n', pos);
        if (nl == std::string_view::npos && !in.eof()) {
            std::size_t held = data.size() - (in_card ? card_start : pos);
            if (options.record_limit && held > options.record_limit)
                too_long(source, in_card ? card_line : line + 1, options.record_limit,
                         in_card ? "a vCard" : "a line");
            in.fill(data.size() * 2);
            continue;
        }
        if (pos >= data.size() && in.eof()) break;
        std::size_t next = nl == std::string_view::npos ? data.size() : nl + 1;
        std::string_view text =
            data.substr(pos, (nl == std::string_view::npos ? data.size() : nl) - pos);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        ++line;
        if (text.find('\0') != std::string_view::npos)
            import_error(source, line, "a NUL byte: this is not a text file");
        int marker = card_marker(text);
        if (!in_card) {
            if (marker == 1) {
                in_card = true;
                card_start = pos;
                card_line = line;
                pos = next;
                continue;
            }
            if (text.find_first_not_of(" \t") != std::string_view::npos) {
                (void)read_vcards(text, source, line); // says what is wrong with it
                import_error(source, line, "text outside a vCard (expected BEGIN:VCARD)");
            }
            in.consume(next);
            pos = 0;
            continue;
        }
        if (marker == 1)
            import_error(source, line, "BEGIN:VCARD inside a vCard (END:VCARD missing?)");
        if (options.record_limit && next - card_start > options.record_limit)
            too_long(source, card_line, options.record_limit, "a vCard");
        if (marker != 2) {
            pos = next;
            continue;
        }
        std::string_view card = data.substr(card_start, next - card_start);
        any = true;
        count_record(count, card_line, source, options);
        // A line that is not UTF-8 is read with U+FFFD for its bad bytes (read_vcards names it).
        try {
            VCardRead read = read_vcards(card, source, card_line);
            out.groups += read.groups;
            for (auto& d : read.contacts)
                out.contacts.push_back(std::move(d));
            for (auto& r : read.repaired)
                out.repaired.push_back(std::move(r));
        } catch (const ImportError& e) {
            out.unreadable.push_back({e.line() ? e.line() : card_line, e.reason()});
        }
        in_card = false;
        in.consume(next);
        pos = 0;
    }
    if (in_card) import_error(source, card_line, "vCard not closed (truncated file?)");
    if (!any) import_error(source, 0, "no vCard found");
}

/// Replaces the bytes of a JSON text that are not UTF-8 with U+FFFD, noting each line and the
/// field it is in (the last "name": before the bad byte on that line, else "a value").
/// `text` holds first_line - 1 newlines before the document, so its lines count from 1.
void repair_json(std::string& text, std::size_t first_line, ImportData& out) {
    (void)first_line;
    if (text::valid_utf8(text)) return;
    std::string fixed;
    fixed.reserve(text.size());
    std::size_t line = 1, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view l(text.data() + start, end - start);
        if (text::valid_utf8(l)) {
            fixed.append(l);
        } else {
            std::string repaired = text::valid_or_replaced(l);
            // The field: the last quoted name followed by ':' before the first bad byte.
            std::size_t bad = 0;
            while (bad < l.size() && text::valid_utf8(l.substr(0, bad + 1)))
                ++bad;
            std::string field = "a value";
            std::string_view before = l.substr(0, bad);
            for (std::size_t colon = before.rfind(':'); colon != std::string_view::npos;
                 colon = colon ? before.rfind(':', colon - 1) : std::string_view::npos) {
                std::string_view head = text::trim(before.substr(0, colon));
                if (head.size() >= 2 && head.back() == '"') {
                    std::size_t open = head.rfind('"', head.size() - 2);
                    if (open != std::string_view::npos) {
                        field = std::string(head.substr(open + 1, head.size() - open - 2));
                        break;
                    }
                }
                if (colon == 0) break;
            }
            out.repaired.push_back({line, field});
            fixed += repaired;
        }
        if (end < text.size()) fixed += '\n';
        start = end + 1;
        ++line;
    }
    text = std::move(fixed);
}

/// A JSON document, whole (it is one structure): lines of up to the record limit.
void read_json_input(Input& in, std::size_t first_line, const std::string& source,
                     const ReadOptions& options, ImportData& out) {
    std::string text(first_line - 1, '\n'); // the blank lines skipped, for line numbers
    std::size_t line = first_line, line_start = text.size();
    bool checked_start = false;
    while (true) {
        std::string_view data = in.data();
        std::size_t old = text.size();
        text.append(data);
        in.consume(data.size());
        for (std::size_t i = old; (i = text.find('\n', i)) != std::string::npos; ++i) {
            ++line;
            line_start = i + 1;
        }
        if (options.record_limit && text.size() - line_start > options.record_limit)
            too_long(source, line, options.record_limit, "a line");
        if (!checked_start) { // not JSON at all: say so now, not after reading all of it
            std::string_view start = text::trim(text);
            if (!start.empty()) {
                checked_start = true;
                if (start[0] != '{' && start[0] != '[') {
                    check_utf8(text, source);
                    read_json(text, source, out);
                }
            }
        }
        if (!in.fill()) break;
    }
    repair_json(text, first_line, out);
    check_utf8(text, source);
    read_json(text, source, out);
    if (options.record_count_limit &&
        out.contacts.size() + out.unreadable.size() > options.record_count_limit)
        import_error(source, 0,
                     fmt::format("more than {} contacts (followup imports up to {} at a time; "
                                 "split the file)",
                                 options.record_count_limit, options.record_count_limit));
}

ImportData parse_input(Input& in, ImportFormat format, const std::string& source,
                       const ReadOptions& options) {
    while (in.data().size() < 3 && in.fill()) {
    }
    if (in.data().starts_with("\xEF\xBB\xBF")) in.consume(3);
    // Blank lines before the first text are skipped (and counted).
    std::size_t line = 1;
    while (true) {
        std::string_view data = in.data();
        std::size_t k = data.find_first_not_of(" \t\r\n");
        std::size_t upto = k == std::string_view::npos ? data.size() : k;
        std::size_t last_nl = data.substr(0, upto).rfind('\n');
        if (last_nl != std::string_view::npos) {
            line += static_cast<std::size_t>(std::count(
                        data.begin(), data.begin() + static_cast<std::ptrdiff_t>(last_nl), '\n')) +
                    1;
            in.consume(last_nl + 1);
        }
        if (k != std::string_view::npos) break;
        if (!in.fill()) import_error(source, 0, "the file is empty");
    }
    std::string_view data = in.data();
    std::size_t k = data.find_first_not_of(" \t\r\n");
    while (data.size() < k + 11 && in.fill()) // enough to see "BEGIN:VCARD"
        data = in.data();
    std::string_view start = data.substr(k);
    if (format == ImportFormat::automatic) {
        if (start[0] == '{' || start[0] == '[')
            format = ImportFormat::json;
        else if (starts_with_nocase(start, "begin:vcard"))
            format = ImportFormat::vcf;
        else { // a TSV file has tabs, and no more commas than tabs, in its first line
            std::string_view first = start.substr(0, start.find('\n'));
            auto tabs = std::count(first.begin(), first.end(), '\t');
            if (tabs > 0 && tabs >= std::count(first.begin(), first.end(), ','))
                format = ImportFormat::tsv;
        }
    }
    ImportData out;
    switch (format) {
    case ImportFormat::json:
        read_json_input(in, line, source, options, out);
        break;
    case ImportFormat::vcf:
        read_vcf(in, line, source, options, out);
        break;
    case ImportFormat::tsv:
        read_csv(in, line, format, csv::Dialect::tsv, source, options, out);
        break;
    default:
        read_csv(in, line, format, csv::Dialect::csv, source, options, out);
        break;
    }
    std::stable_sort(out.unreadable.begin(), out.unreadable.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    return out;
}

} // namespace

ImportData parse_import(const ImportSource& in, ImportFormat format, const std::string& source,
                        const ReadOptions& options) {
    Input input(in, options.total_limit, source);
    return parse_input(input, format, source, options);
}

ImportData parse_import(std::string_view text, ImportFormat format, const std::string& source,
                        const ReadOptions& options) {
    Input input(text, source);
    return parse_input(input, format, source, options);
}

} // namespace followup
