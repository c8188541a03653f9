#include <fmt/format.h>
#include <followup/exporter.hpp>
#include <followup/repository.hpp>
#include <unordered_map>

namespace followup {
namespace {

constexpr auto dump_options = nlohmann::json::error_handler_t::replace;

constexpr std::size_t chunk = 1 << 20;

/// Appends `"name": [` then one compact record per line, then `]`.
template <class T, class F>
void section(std::string& out, const char* name, const std::vector<T>& rows, F&& write,
             const BackupSink& sink, bool last = false) {
    out += fmt::format("  \"{}\": [", name);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out += i ? ",\n    " : "\n    ";
        write(out, rows[i]);
        if (out.size() >= chunk) { // hand the text on in pieces: no 100 MB string
            sink(out);
            out.clear();
        }
    }
    out += rows.empty() ? "]" : "\n  ]";
    out += last ? "\n" : ",\n";
}

Record id_or_null(const std::optional<Id>& id) {
    return id ? Record(*id) : Record(nullptr);
}

/// Appends `,"name":ID` (or null) inside the record just written (before its closing brace).
void extra_id(std::string& out, const char* name, const std::optional<Id>& id) {
    out.pop_back();
    out += fmt::format(",\"{}\":{}}}", name, id ? std::to_string(*id) : "null");
}

} // namespace

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

void export_backup(Repository& repo, Instant now, const BackupSink& sink) {
    std::string out;
    out.reserve(chunk + (64 << 10));
    out += "{\n";
    out += "  \"format\": \"followup\",\n";
    out += fmt::format("  \"version\": {},\n", backup_version);
    out += fmt::format("  \"schema\": {},\n", schema_version);
    out += fmt::format("  \"exported\": \"{}\",\n", format_utc(now));
    section(
        out, "events", repo.all_events(),
        [](std::string& o, const Event& e) {
            o += to_record(e).dump(-1, ' ', false, dump_options);
        },
        sink);
    section(
        out, "contacts", repo.all_contacts(),
        [](std::string& o, const Contact& c) {
            append_json(o, c);
            extra_id(o, "referred_by_id", c.referred_by_id);
        },
        sink);
    section(
        out, "followups", repo.all_followups(),
        [](std::string& o, const Followup& f) { append_json(o, f); }, sink);
    section(
        out, "interactions", repo.all_interactions(),
        [](std::string& o, const Interaction& i) { append_json(o, i); }, sink);
    std::unordered_map<Id, std::vector<const ReferralStep*>> history;
    auto steps = repo.all_referral_steps();
    for (const auto& s : steps)
        history[s.referral_id].push_back(&s);
    section(
        out, "referrals", repo.referrals("", false),
        [&](std::string& o, const Referral& x) {
            Record r = to_record(x);
            r["referrer_id"] = id_or_null(x.referrer_id);
            r["prospect_id"] = id_or_null(x.prospect_id);
            r["member_id"] = id_or_null(x.member_id);
            Record h = Record::array();
            for (const auto* s : history[x.id]) {
                Record step;
                step["at"] = format_utc(s->at);
                step["status"] = s->status;
                step["note"] = s->note.empty() ? Record(nullptr) : Record(s->note);
                h.push_back(std::move(step));
            }
            r["history"] = std::move(h);
            o += r.dump(-1, ' ', false, dump_options);
        },
        sink, true);
    out += "}\n";
    sink(out);
}

} // namespace followup
