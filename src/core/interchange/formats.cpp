#include <cstdint>
#include <cstring>
#include <followup/domain/channels.hpp>
#include <followup/interchange/formats.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup {
namespace {

/// A string, or null when empty.
Record str(const std::string& s) {
    return s.empty() ? Record(nullptr) : Record(s);
}

template <class T> Record opt(const std::optional<T>& v) {
    return v ? Record(*v) : Record(nullptr);
}

/// Guards a text cell against spreadsheet formula injection.
std::string neutralise(std::string s) {
    if (!s.empty() &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(s.begin(), '\'');
    return s;
}

/// One email, phone, address (`LABEL:VALUE`, or the value alone) or profile (`NETWORK:HANDLE`)
/// as a CSV or TSV cell shows it.
std::string reach_cell(const std::string& label, const std::string& value) {
    return label.empty() ? value : label + ":" + value;
}

std::string reach_cell(const Record& item) {
    auto text = [&](const char* key) {
        auto it = item.find(key);
        return it == item.end() || !it->is_string() ? std::string() : it->get<std::string>();
    };
    if (item.contains("network")) return reach_cell(text("network"), text("handle"));
    return reach_cell(text("label"), text("value"));
}

std::string cell_text(const Record& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return neutralise(v.get<std::string>());
    if (v.is_array()) {
        std::vector<std::string> parts;
        for (const auto& item : v)
            parts.push_back(item.is_string()   ? item.get<std::string>()
                            : item.is_object() ? reach_cell(item)
                                               : item.dump());
        return neutralise(text::join(parts, ";"));
    }
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();
}

std::string csv_quote(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + '"';
}

std::string tsv_escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

constexpr auto dump_options = nlohmann::json::error_handler_t::replace;

} // namespace

Format parse_format(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    if (t == "table") return Format::table;
    if (t == "json") return Format::json;
    if (t == "jsonl" || t == "ndjson") return Format::jsonl;
    if (t == "csv") return Format::csv;
    if (t == "tsv") return Format::tsv;
    throw UsageError("unknown format '" + std::string(text) +
                     "' (one of table, json, jsonl, csv, tsv)");
}

namespace {

/// A text field that is null when empty.
struct Nullable {
    const std::string& text;
};

std::optional<std::string> time_text(const std::optional<Instant>& t) {
    if (!t) return std::nullopt;
    return format_utc(*t);
}

// The spec's fields of each record, in order, handed to a visitor: one list for both the
// Record objects and the JSON text written straight out (large exports).

template <class V> void visit_fields(const Followup& f, V& v) {
    v("id", f.id);
    v("uuid", f.uuid);
    v("contact_id", f.contact_id);
    v("contact", f.contact);
    v("kind", std::string(to_string(f.kind)));
    v("title", f.title);
    v("due", format_utc(f.due));
    v("original_due", format_utc(f.original_due));
    v("status", std::string(to_string(f.status)));
    v("channel", Nullable{f.channel});
    v("handle", Nullable{f.handle});
    v("link", Nullable{followup_link(f)});
    v("referral_id", f.referral_id);
    v("created", format_utc(f.created));
    v("done_at", time_text(f.done_at));
    v("note", Nullable{f.note});
}

template <class V> void visit_fields(const Contact& c, V& v) {
    v("id", c.id);
    v("uuid", c.uuid);
    v("name", c.name);
    v("company", Nullable{c.company});
    v("title", Nullable{c.title});
    v("email", Nullable{c.email});
    v("phone", Nullable{c.phone});
    Via via = effective_via(c); // the channel followup uses, as in `due` and `show`
    v("channel", Nullable{via.channel});
    v("handle", Nullable{via.handle});
    v("tags", c.tags);
    v("emails", c.emails);
    v("phones", c.phones);
    v("addresses", c.addresses);
    v("profiles", c.profiles);
    v("notes", Nullable{c.notes});
    v("birthday", Nullable{c.birthday});
    v("event", Nullable{c.event});
    v("met", time_text(c.met));
    v("referred_by", Nullable{c.referred_by});
    v("every_days", c.every_days ? std::optional<Id>(*c.every_days) : std::nullopt);
    v("last_touch", time_text(c.last_touch));
    v("archived", c.archived);
    v("created", format_utc(c.created));
}

template <class V> void visit_fields(const Interaction& i, V& v) {
    v("id", i.id);
    v("uuid", i.uuid);
    v("contact_id", i.contact_id);
    v("contact", i.contact);
    v("at", format_utc(i.at));
    v("channel", Nullable{i.channel});
    v("direction", std::string(i.direction == Direction::in ? "in" : "out"));
    v("note", Nullable{i.note});
    v("followup_id", i.followup_id);
}

template <class V> void visit_fields(const Referral& x, V& v) {
    v("id", x.id);
    v("uuid", x.uuid);
    v("direction", x.direction);
    v("referrer", Nullable{x.referrer});
    v("prospect", Nullable{x.prospect});
    v("member", Nullable{x.member});
    v("status", x.status);
    v("amount", x.amount);
    v("note", Nullable{x.note});
    v("created", format_utc(x.created));
    v("updated", format_utc(x.updated));
}

Record labeled_records(const std::vector<Labeled>& list) {
    Record out = Record::array();
    for (const auto& l : list)
        out.push_back(Record{{"value", l.value}, {"label", str(l.label)}});
    return out;
}

Record profile_records(const std::vector<Profile>& list) {
    Record out = Record::array();
    for (const auto& p : list)
        out.push_back(Record{{"network", p.network},
                             {"handle", p.handle},
                             {"url", str(channel_link({p.network, p.handle}))}});
    return out;
}

/// Builds a Record.
struct RecordBuilder {
    Record r;
    void operator()(const char* name, Id v) { r[name] = v; }
    void operator()(const char* name, const std::string& v) { r[name] = v; }
    void operator()(const char* name, Nullable v) { r[name] = str(v.text); }
    void operator()(const char* name, const std::optional<std::string>& v) { r[name] = opt(v); }
    void operator()(const char* name, const std::optional<Id>& v) { r[name] = opt(v); }
    void operator()(const char* name, const std::optional<double>& v) { r[name] = opt(v); }
    void operator()(const char* name, bool v) { r[name] = v; }
    void operator()(const char* name, const std::vector<std::string>& v) { r[name] = v; }
    void operator()(const char* name, const std::vector<Labeled>& v) {
        r[name] = labeled_records(v);
    }
    void operator()(const char* name, const std::vector<Profile>& v) {
        r[name] = profile_records(v);
    }
};

/// Writes a record as JSON text, byte for byte as Record::dump would (compact, or indented by
/// `indent` spaces at nesting level `level`).
/// True when `s` is ASCII without control characters, '"' or '\\': JSON text as it is. Eight
/// bytes at a time (each test finds any byte of the word that matches, never misses one),
/// then byte by byte from the first word that may hold one.
bool json_plain(std::string_view s) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
        const std::uint64_t below = (w - ones * 0x20) & ~w;                // a byte < 0x20
        const std::uint64_t quotes = (quote - ones) & ~quote;              // a byte == '"'
        const std::uint64_t backslashes = (backslash - ones) & ~backslash; // a byte == '\\'
        if (((below | quotes | backslashes | w) & highs) != 0) break;      // w: a byte >= 0x80
    }
    for (; i < s.size(); ++i) {
        const auto ch = static_cast<unsigned char>(s[i]);
        if (ch < 0x20 || ch == '"' || ch == '\\' || ch >= 0x80) return false;
    }
    return true;
}

class JsonWriter {
public:
    JsonWriter(std::string& out, int indent, int level)
        : out_(out), indent_(indent), level_(level) {
        out_ += '{';
    }
    void finish() {
        if (indent_ >= 0 && !first_) newline(level_);
        out_ += '}';
    }
    void operator()(const char* name, Id v) { key(name), out_ += std::to_string(v); }
    void operator()(const char* name, const std::string& v) { key(name), string(v); }
    void operator()(const char* name, Nullable v) {
        key(name);
        if (v.text.empty())
            out_ += "null";
        else
            string(v.text);
    }
    void operator()(const char* name, const std::optional<std::string>& v) {
        key(name);
        if (v)
            string(*v);
        else
            out_ += "null";
    }
    void operator()(const char* name, const std::optional<Id>& v) {
        key(name);
        out_ += v ? std::to_string(*v) : "null";
    }
    void operator()(const char* name, const std::optional<double>& v) {
        key(name);
        out_ += v ? Record(*v).dump() : "null";
    }
    void operator()(const char* name, bool v) { key(name), out_ += v ? "true" : "false"; }
    void operator()(const char* name, const std::vector<std::string>& v) {
        key(name);
        if (v.empty()) {
            out_ += "[]";
            return;
        }
        out_ += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out_ += ',';
            if (indent_ >= 0) newline(level_ + 2);
            string(v[i]);
        }
        if (indent_ >= 0) newline(level_ + 1);
        out_ += ']';
    }

    void operator()(const char* name, const std::vector<Labeled>& v) {
        if (indent_ >= 0) return nested(name, labeled_records(v));
        // Compact, as Record::dump would write it, without building the Record.
        key(name);
        out_ += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            out_ += i ? ",{\"value\":" : "{\"value\":";
            string(v[i].value);
            out_ += ",\"label\":";
            if (v[i].label.empty())
                out_ += "null";
            else
                string(v[i].label);
            out_ += '}';
        }
        out_ += ']';
    }
    void operator()(const char* name, const std::vector<Profile>& v) {
        if (indent_ >= 0) return nested(name, profile_records(v));
        key(name);
        out_ += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            out_ += i ? ",{\"network\":" : "{\"network\":";
            string(v[i].network);
            out_ += ",\"handle\":";
            string(v[i].handle);
            out_ += ",\"url\":";
            std::string url = channel_link({v[i].network, v[i].handle});
            if (url.empty())
                out_ += "null";
            else
                string(url);
            out_ += '}';
        }
        out_ += ']';
    }

private:
    /// A value inside the record, indented as Record::dump indents it at this depth.
    void nested(const char* name, const Record& value) {
        key(name);
        std::string text = value.dump(indent_, ' ', false, dump_options);
        if (indent_ < 0) {
            out_ += text;
            return;
        }
        std::string pad(static_cast<std::size_t>(indent_ * (level_ + 1)), ' ');
        for (char ch : text) {
            out_ += ch;
            if (ch == '\n') out_ += pad;
        }
    }
    void newline(int level) {
        out_ += '\n';
        out_.append(static_cast<std::size_t>(indent_ * level), ' ');
    }
    void key(const char* name) {
        // Written in one append (a listing has twenty keys a row): the comma, the line break
        // and indent, and the quoted name with its colon.
        char buf[128];
        std::size_t n = 0;
        if (!first_) buf[n++] = ',';
        first_ = false;
        const std::size_t pad = indent_ >= 0 ? static_cast<std::size_t>(indent_ * (level_ + 1)) : 0;
        const std::size_t len = std::strlen(name);
        if (pad + len + 6 > sizeof buf) { // not for followup's own names; kept correct anyway
            out_.append(buf, n);
            if (indent_ >= 0) newline(level_ + 1);
            out_ += '"';
            out_.append(name, len);
            out_ += indent_ >= 0 ? "\": " : "\":";
            return;
        }
        if (indent_ >= 0) {
            buf[n++] = '\n';
            std::memset(buf + n, ' ', pad);
            n += pad;
        }
        buf[n++] = '"';
        std::memcpy(buf + n, name, len);
        n += len;
        buf[n++] = '"';
        buf[n++] = ':';
        if (indent_ >= 0) buf[n++] = ' ';
        out_.append(buf, n);
    }
    void string(const std::string& s) {
        // Plain text is copied as it is; anything else goes through nlohmann's escaping.
        if (json_plain(s)) {
            out_ += '"';
            out_ += s;
            out_ += '"';
        } else {
            out_ += Record(s).dump(-1, ' ', false, dump_options);
        }
    }

    std::string& out_;
    int indent_;
    int level_;
    bool first_{true};
};

template <class T> Record build(const T& row) {
    RecordBuilder b;
    visit_fields(row, b);
    return std::move(b.r);
}

/// Collects a record's cells as text, as cell_text would give them from its Record.
struct CellWriter {
    std::vector<std::string> cells;
    std::vector<std::string> names;
    void operator()(const char* name, Id v) { add(name, std::to_string(v)); }
    void operator()(const char* name, const std::string& v) { add(name, neutralise(v)); }
    void operator()(const char* name, Nullable v) { add(name, neutralise(v.text)); }
    void operator()(const char* name, const std::optional<std::string>& v) {
        add(name, v ? neutralise(*v) : std::string());
    }
    void operator()(const char* name, const std::optional<Id>& v) {
        add(name, v ? std::to_string(*v) : std::string());
    }
    void operator()(const char* name, const std::optional<double>& v) {
        add(name, v ? Record(*v).dump() : std::string());
    }
    void operator()(const char* name, bool v) { add(name, v ? "true" : "false"); }
    void operator()(const char* name, const std::vector<std::string>& v) {
        add(name, neutralise(text::join(v, ";")));
    }
    void operator()(const char* name, const std::vector<Labeled>& v) {
        std::vector<std::string> parts;
        for (const auto& l : v)
            parts.push_back(reach_cell(l.label, l.value));
        add(name, neutralise(text::join(parts, ";")));
    }
    void operator()(const char* name, const std::vector<Profile>& v) {
        std::vector<std::string> parts;
        for (const auto& p : v)
            parts.push_back(reach_cell(p.network, p.handle));
        add(name, neutralise(text::join(parts, ";")));
    }
    void add(const char* name, std::string text) {
        names.emplace_back(name);
        cells.push_back(std::move(text));
    }
};

void table_line(std::string& out, const std::vector<std::string>& cells, bool csv) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += csv ? ',' : '\t';
        out += csv ? csv_quote(cells[i]) : tsv_escape(cells[i]);
    }
    out += csv ? "\r\n" : "\n";
}

template <class T> std::string render_rows_of(const std::vector<T>& rows, Format format) {
    std::string out;
    if (format == Format::csv || format == Format::tsv) {
        bool csv = format == Format::csv;
        CellWriter header;
        visit_fields(T{}, header);
        table_line(out, header.names, csv);
        CellWriter w;
        for (const auto& row : rows) {
            w.cells.clear();
            w.names.clear();
            visit_fields(row, w);
            table_line(out, w.cells, csv);
        }
        return out;
    }
    if (format == Format::table) throw Error("internal: render_rows() does not draw tables");
    if (format == Format::jsonl) {
        for (const auto& row : rows) {
            append_json(out, row);
            out += '\n';
        }
        return out;
    }
    if (rows.empty()) return "[]\n";
    out = "[\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out += "  ";
        JsonWriter w(out, 2, 1);
        visit_fields(rows[i], w);
        w.finish();
        out += i + 1 < rows.size() ? ",\n" : "\n";
        // Room for the rest, by the size of the first: not a copy each time the text doubles.
        if (i == 0) out.reserve(out.size() * rows.size() * 9 / 8 + 64);
    }
    out += "]\n";
    return out;
}

} // namespace

Record to_record(const Followup& f) {
    return build(f);
}
Record to_record(const Contact& c) {
    return build(c);
}
Record to_record(const Interaction& i) {
    return build(i);
}
Record to_record(const Referral& r) {
    return build(r);
}

#define FOLLOWUP_JSON_TEXT(T)                                                                      \
    void append_json(std::string& out, const T& row) {                                             \
        JsonWriter w(out, -1, 0);                                                                  \
        visit_fields(row, w);                                                                      \
        w.finish();                                                                                \
    }                                                                                              \
    std::string render_rows(const std::vector<T>& rows, Format format) {                           \
        return render_rows_of(rows, format);                                                       \
    }
FOLLOWUP_JSON_TEXT(Followup)
FOLLOWUP_JSON_TEXT(Contact)
FOLLOWUP_JSON_TEXT(Interaction)
FOLLOWUP_JSON_TEXT(Referral)
#undef FOLLOWUP_JSON_TEXT

std::string render(const std::vector<Record>& records, Format format,
                   const std::vector<std::string>& columns) {
    std::string out;
    switch (format) {
    case Format::json: {
        // As Record::array().dump(2) would write it, without copying every record into an array.
        if (records.empty()) {
            out = "[]\n";
            break;
        }
        out = "[\n";
        for (std::size_t i = 0; i < records.size(); ++i) {
            std::string one = records[i].dump(2, ' ', false, dump_options);
            out += "  ";
            for (char ch : one) {
                out += ch;
                if (ch == '\n') out += "  ";
            }
            out += i + 1 < records.size() ? ",\n" : "\n";
        }
        out += "]\n";
        break;
    }
    case Format::jsonl:
        for (const auto& r : records) {
            out += r.dump(-1, ' ', false, dump_options);
            out += '\n';
        }
        break;
    case Format::csv:
    case Format::tsv: {
        bool csv = format == Format::csv;
        auto line = [&](const std::vector<std::string>& cells) { table_line(out, cells, csv); };
        line(columns);
        for (const auto& r : records) {
            std::vector<std::string> cells;
            cells.reserve(columns.size());
            for (const auto& col : columns)
                cells.push_back(r.contains(col) ? cell_text(r[col]) : std::string());
            line(cells);
        }
        break;
    }
    case Format::table:
        throw Error("internal: render() does not draw tables");
    }
    return out;
}

namespace {

/// The names of a record's fields, in order, from its one field list (visit_fields).
template <class T> std::vector<std::string> field_names() {
    CellWriter header;
    visit_fields(T{}, header);
    return std::move(header.names);
}

} // namespace

const std::vector<std::string>& followup_fields() {
    static const std::vector<std::string> f = field_names<Followup>();
    return f;
}

const std::vector<std::string>& contact_fields() {
    static const std::vector<std::string> f = field_names<Contact>();
    return f;
}

const std::vector<std::string>& interaction_fields() {
    static const std::vector<std::string> f = field_names<Interaction>();
    return f;
}

const std::vector<std::string>& referral_fields() {
    static const std::vector<std::string> f = field_names<Referral>();
    return f;
}

Record to_record(const Event& e) {
    Record r;
    r["id"] = e.id;
    r["uuid"] = e.uuid;
    r["name"] = e.name;
    r["on"] = e.on ? Record(date::format("%F", *e.on)) : Record(nullptr);
    r["place"] = e.place.empty() ? Record(nullptr) : Record(e.place);
    r["created"] = format_utc(e.created);
    return r;
}

} // namespace followup
