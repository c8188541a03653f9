#include <followup/channels.hpp>
#include <followup/errors.hpp>
#include <followup/formats.hpp>
#include <followup/text.hpp>

namespace followup {
namespace {

/// A string, or null when empty.
Record str(const std::string& s) {
    return s.empty() ? Record(nullptr) : Record(s);
}

template <class T> Record opt(const std::optional<T>& v) {
    return v ? Record(*v) : Record(nullptr);
}

Record opt_time(const std::optional<Instant>& t) {
    return t ? Record(format_utc(*t)) : Record(nullptr);
}

/// Guards a text cell against spreadsheet formula injection.
std::string neutralise(std::string s) {
    if (!s.empty() &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(s.begin(), '\'');
    return s;
}

std::string cell_text(const Record& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return neutralise(v.get<std::string>());
    if (v.is_array()) {
        std::vector<std::string> parts;
        for (const auto& item : v)
            parts.push_back(item.is_string() ? item.get<std::string>() : item.dump());
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

Record to_record(const Followup& f) {
    Record r;
    r["id"] = f.id;
    r["uuid"] = f.uuid;
    r["contact_id"] = f.contact_id;
    r["contact"] = f.contact;
    r["kind"] = std::string(to_string(f.kind));
    r["title"] = f.title;
    r["due"] = format_utc(f.due);
    r["original_due"] = format_utc(f.original_due);
    r["status"] = std::string(to_string(f.status));
    r["channel"] = str(f.channel);
    r["handle"] = str(f.handle);
    r["link"] = str(channel_link({f.channel, f.handle}));
    r["referral_id"] = opt(f.referral_id);
    r["created"] = format_utc(f.created);
    r["done_at"] = opt_time(f.done_at);
    r["note"] = str(f.note);
    return r;
}

Record to_record(const Contact& c) {
    Record r;
    r["id"] = c.id;
    r["uuid"] = c.uuid;
    r["name"] = c.name;
    r["company"] = str(c.company);
    r["title"] = str(c.title);
    r["email"] = str(c.email);
    r["phone"] = str(c.phone);
    Via via = effective_via(c); // the channel followup uses, as in `due` and `show`
    r["channel"] = str(via.channel);
    r["handle"] = str(via.handle);
    r["tags"] = c.tags;
    r["notes"] = str(c.notes);
    r["birthday"] = str(c.birthday);
    r["event"] = str(c.event);
    r["met"] = opt_time(c.met);
    r["referred_by"] = str(c.referred_by);
    r["every_days"] = opt(c.every_days);
    r["last_touch"] = opt_time(c.last_touch);
    r["archived"] = c.archived;
    r["created"] = format_utc(c.created);
    return r;
}

Record to_record(const Interaction& i) {
    Record r;
    r["id"] = i.id;
    r["uuid"] = i.uuid;
    r["contact_id"] = i.contact_id;
    r["contact"] = i.contact;
    r["at"] = format_utc(i.at);
    r["channel"] = str(i.channel);
    r["direction"] = i.direction == Direction::in ? "in" : "out";
    r["note"] = str(i.note);
    r["followup_id"] = opt(i.followup_id);
    return r;
}

Record to_record(const Referral& x) {
    Record r;
    r["id"] = x.id;
    r["uuid"] = x.uuid;
    r["direction"] = x.direction;
    r["referrer"] = str(x.referrer);
    r["prospect"] = str(x.prospect);
    r["member"] = str(x.member);
    r["status"] = x.status;
    r["amount"] = opt(x.amount);
    r["note"] = str(x.note);
    r["created"] = format_utc(x.created);
    r["updated"] = format_utc(x.updated);
    return r;
}

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
        auto line = [&](const std::vector<std::string>& cells) {
            for (std::size_t i = 0; i < cells.size(); ++i) {
                if (i) out += csv ? ',' : '\t';
                out += csv ? csv_quote(cells[i]) : tsv_escape(cells[i]);
            }
            out += csv ? "\r\n" : "\n";
        };
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

const std::vector<std::string>& followup_fields() {
    static const std::vector<std::string> f{"id",          "uuid",    "contact_id", "contact",
                                            "kind",        "title",   "due",        "original_due",
                                            "status",      "channel", "handle",     "link",
                                            "referral_id", "created", "done_at",    "note"};
    return f;
}

const std::vector<std::string>& contact_fields() {
    static const std::vector<std::string> f{
        "id",          "uuid",       "name",       "company",  "title",    "email", "phone",
        "channel",     "handle",     "tags",       "notes",    "birthday", "event", "met",
        "referred_by", "every_days", "last_touch", "archived", "created"};
    return f;
}

const std::vector<std::string>& interaction_fields() {
    static const std::vector<std::string> f{
        "id", "uuid", "contact_id", "contact", "at", "channel", "direction", "note", "followup_id"};
    return f;
}

const std::vector<std::string>& referral_fields() {
    static const std::vector<std::string> f{"id",       "uuid",    "direction", "referrer",
                                            "prospect", "member",  "status",    "amount",
                                            "note",     "created", "updated"};
    return f;
}

} // namespace followup
