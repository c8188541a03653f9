#include <fmt/format.h>
#include <followup/exporter.hpp>
#include <followup/repository.hpp>
#include <unordered_map>

namespace followup {
namespace {

constexpr auto dump_options = nlohmann::json::error_handler_t::replace;

/// Appends `"name": [` then one compact record per line, then `]`.
template <class T, class F>
void section(std::string& out, const char* name, const std::vector<T>& rows, F&& to_json,
             bool last = false) {
    out += fmt::format("  \"{}\": [", name);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out += i ? ",\n    " : "\n    ";
        out += to_json(rows[i]).dump(-1, ' ', false, dump_options);
    }
    out += rows.empty() ? "]" : "\n  ]";
    out += last ? "\n" : ",\n";
}

Record id_or_null(const std::optional<Id>& id) {
    return id ? Record(*id) : Record(nullptr);
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

std::string export_backup(Repository& repo, Instant now) {
    std::string out;
    out += "{\n";
    out += "  \"format\": \"followup\",\n";
    out += fmt::format("  \"version\": {},\n", backup_version);
    out += fmt::format("  \"schema\": {},\n", schema_version);
    out += fmt::format("  \"exported\": \"{}\",\n", format_utc(now));
    section(out, "events", repo.all_events(), [](const Event& e) { return to_record(e); });
    section(out, "contacts", repo.all_contacts(), [](const Contact& c) {
        Record r = to_record(c);
        r["referred_by_id"] = id_or_null(c.referred_by_id);
        return r;
    });
    section(out, "followups", repo.all_followups(), [](const Followup& f) { return to_record(f); });
    section(out, "interactions", repo.all_interactions(),
            [](const Interaction& i) { return to_record(i); });
    std::unordered_map<Id, std::vector<const ReferralStep*>> history;
    auto steps = repo.all_referral_steps();
    for (const auto& s : steps)
        history[s.referral_id].push_back(&s);
    section(
        out, "referrals", repo.referrals("", false),
        [&](const Referral& x) {
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
            return r;
        },
        true);
    out += "}\n";
    return out;
}

} // namespace followup
