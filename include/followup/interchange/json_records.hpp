#pragma once
// The records of followup's JSON (an export or a backup) read one by one with their line
// numbers: shared by the importer (interchange/importer.cpp) and the streamed restore
// (actions/restore.cpp), which reads a backup as it arrives. Not for other callers.

#include <climits>
#include <cstddef>
#include <cstdint>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/domain/model.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/interchange/importer.hpp>
#include <followup/util/input.hpp>
#include <followup/util/text.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace followup::import_detail {

using json = nlohmann::json;

/// The most tags one contact keeps from a file.
inline constexpr std::size_t max_tags = 1000;
/// Adds a tag to a contact unless it has it (tags compare case-insensitively).
void add_tag(Contact& c, std::string_view tag);
/// Adds tags to a contact, each unless it has it, in time linear in their number; throws
/// UsageError past max_tags.
void add_tags(Contact& c, const std::vector<std::string_view>& tags);
/// "YYYY-MM-DD" as a day; nullopt when it is not one.
std::optional<date::local_days> parse_iso_day(const std::string& s);
/// Sets one field of a draft from a cell or a JSON value (see importer.cpp); false when the
/// field is not one followup knows.
bool set_contact_field(ContactDraft& d, const std::string& field, const std::string& value,
                       const Zone* local_zone = nullptr);
/// The line on which each element of an array starts, in one pass: the top-level array when
/// `key` is empty, else the array under that key of the top-level object. `limit`: stop after
/// that many elements.
std::vector<std::size_t> element_lines(std::string_view text, const std::string& key,
                                       std::size_t limit = SIZE_MAX);
/// The line on which the `index`-th element of an array starts (see element_lines); 0 when
/// there is none.
std::size_t element_line(std::string_view text, const std::string& key, std::size_t index);

/// Reads JSON records of one section with line numbers for messages.
class JsonReader {
public:
    JsonReader(std::string_view text, std::string source)
        : text_(text), source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& section, std::size_t index,
                           const std::string& reason) const {
        std::string where = section.empty() ? fmt::format("record {}", index + 1)
                                            : fmt::format("{}[{}]", section, index);
        import_error(source_, element_line(text_, section, index),
                     fmt::format("{}: {}", where, reason));
    }

    /// A JSON whole number; throws for one beyond the range of a 64-bit integer, which
    /// nlohmann reads as unsigned (12345678901234567890 would otherwise wrap to a negative).
    static long long integer_of(const json& v, const char* field) {
        if (v.is_number_unsigned() &&
            v.get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX))
            throw UsageError(fmt::format("\"{}\" {} is too large", field, v.dump()));
        return v.get<long long>();
    }

    /// A string of a file as the command line takes it: no NUL ("\u0000" in JSON), which no
    /// argument can hold and which C strings cut short.
    static const std::string& checked_text(const std::string& value, std::string_view field) {
        if (value.find('\0') != std::string::npos)
            throw UsageError(fmt::format("{} contains a NUL character", field));
        return value;
    }

    /// A field as text ("" for null or missing); numbers and booleans as their JSON text.
    static std::string text_of(const json& obj, const char* field) {
        auto it = obj.find(field);
        if (it == obj.end() || it->is_null()) return {};
        if (it->is_string()) return checked_text(it->get_ref<const std::string&>(), field);
        if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
        if (it->is_number_integer()) return std::to_string(integer_of(*it, field));
        if (it->is_number()) return it->dump();
        throw UsageError(fmt::format("\"{}\" must be a string", field));
    }

    std::optional<Instant> time_of(const json& obj, const char* field, bool required) const {
        std::string v = text_of(obj, field);
        if (v.empty()) {
            if (required) throw UsageError(fmt::format("\"{}\" is missing", field));
            return std::nullopt;
        }
        auto t = parse_utc(v);
        if (!t)
            throw UsageError(
                fmt::format("\"{}\" '{}' is not a UTC time like 2026-11-20T13:00:00Z", field, v));
        return t;
    }

    /// The largest id a file may give (2^53 - 1, the largest whole number every JSON reader
    /// keeps exactly): a backup restored with its ids leaves the database room for new rows
    /// (SQLite numbers a new row after the largest id, and fails at 2^63 - 1).
    static constexpr Id max_file_id = (Id{1} << 53) - 1;

    static std::optional<Id> id_of(const json& obj, const char* field) {
        auto it = obj.find(field);
        if (it == obj.end() || it->is_null()) return std::nullopt;
        if (!it->is_number_integer() || integer_of(*it, field) < 1)
            throw UsageError(fmt::format("\"{}\" must be a positive whole number", field));
        const Id id = it->get<Id>();
        if (id > max_file_id)
            throw UsageError(
                fmt::format("\"{}\" {} is too large (ids go up to {})", field, id, max_file_id));
        return id;
    }

    /// Notes the id of a record of one section; throws UsageError when the file gave it to an
    /// earlier record of that section already (a backup restores its ids as they are).
    static void unique_id(std::unordered_set<Id>& seen, Id id) {
        if (id && !seen.insert(id).second)
            throw UsageError(fmt::format("\"id\" {} is given to an earlier record too", id));
    }

    static std::string uuid_of(const json& obj) {
        std::string u = text_of(obj, "uuid");
        if (u.empty()) return u;
        if (!text::is_uuid(u)) throw UsageError(fmt::format("uuid '{}' is not a UUID", u));
        return text::lower(u);
    }

    ContactDraft contact(const json& obj) const {
        static const std::set<std::string> known{
            "id",          "uuid",           "name",       "company",    "title",
            "email",       "phone",          "channel",    "handle",     "tags",
            "notes",       "note",           "birthday",   "event",      "met",
            "referred_by", "referred_by_id", "every_days", "last_touch", "archived",
            "created",     "emails",         "phones",     "addresses",  "profiles"};
        ContactDraft d;
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const std::string& field = it.key();
            if (!known.count(field)) continue; // e.g. `show`'s followups and interactions
            if (field == "tags") {
                if (it->is_null()) continue;
                if (!it->is_array()) throw UsageError("\"tags\" must be an array of strings");
                std::vector<std::string_view> tags;
                for (const auto& t : *it) {
                    if (!t.is_string()) throw UsageError("\"tags\" must be an array of strings");
                    tags.push_back(checked_text(t.get_ref<const std::string&>(), "tags"));
                }
                add_tags(d.contact, tags);
            } else if (field == "emails" || field == "phones" || field == "addresses") {
                if (it->is_null()) continue;
                auto& list = field == "emails"   ? d.contact.emails
                             : field == "phones" ? d.contact.phones
                                                 : d.contact.addresses;
                if (!it->is_array())
                    throw UsageError(fmt::format("\"{}\" must be an array", field));
                for (const auto& item : *it) {
                    if (!item.is_object())
                        throw UsageError(fmt::format(
                            "\"{}\" must be an array of {{\"value\", \"label\"}}", field));
                    Labeled l{text_of(item, "value"), text_of(item, "label")};
                    if (l.value.find('\0') != std::string::npos)
                        throw UsageError(fmt::format("{} contains a NUL character", field));
                    list.push_back(std::move(l));
                }
            } else if (field == "profiles") {
                if (it->is_null()) continue;
                if (!it->is_array()) throw UsageError("\"profiles\" must be an array");
                for (const auto& item : *it) {
                    if (!item.is_object())
                        throw UsageError(
                            "\"profiles\" must be an array of {\"network\", \"handle\"}");
                    std::string network = text_of(item, "network"),
                                handle = text_of(item, "handle");
                    if (handle.find('\0') != std::string::npos)
                        throw UsageError("profiles contains a NUL character");
                    if (text::trim(handle).empty()) continue;
                    d.contact.profiles.push_back({normalize_channel(network), handle});
                }
            } else if (field == "archived" && it->is_boolean()) {
                d.contact.archived = it->get<bool>();
            } else if (field == "referred_by_id") {
                d.contact.referred_by_id = id_of(obj, "referred_by_id");
            } else if (field == "id") {
                d.contact.id = id_of(obj, "id").value_or(0);
            } else if (field == "every_days" && it->is_number_integer()) {
                set_contact_field(d, field, std::to_string(integer_of(*it, "every_days")));
            } else {
                set_contact_field(d, field, text_of(obj, field.c_str()));
            }
        }
        if (d.contact.name.empty()) throw UsageError("\"name\" must be a non-empty string");
        // `channel`/`handle` in followup's JSON are the channel in use, which is the e-mail or
        // phone when none was chosen: keep those derived, as they were. With the lists of
        // ways to reach them (schema 5 on), the handle is always derived from them.
        bool lists = obj.contains("emails") || obj.contains("phones") ||
                     obj.contains("addresses") || obj.contains("profiles");
        if (lists) d.contact.handle.clear();
        if (!d.contact.channel.empty()) {
            Contact plain = d.contact;
            plain.channel.clear();
            plain.handle.clear();
            settle_reach(plain);
            Via derived = effective_via(plain);
            if (derived.channel == d.contact.channel &&
                (lists || derived.handle == d.contact.handle))
                d.contact.channel.clear(), d.contact.handle.clear();
        }
        return d;
    }

    Event event(const json& obj) const {
        Event e;
        e.id = id_of(obj, "id").value_or(0);
        e.uuid = uuid_of(obj);
        e.name = std::string(text::trim(text_of(obj, "name")));
        if (e.name.empty()) throw UsageError("\"name\" must be a non-empty string");
        std::string on = text_of(obj, "on");
        if (!on.empty()) {
            e.on = parse_iso_day(on);
            if (!e.on)
                throw UsageError(fmt::format("\"on\" '{}' is not a date like 2026-12-01", on));
        }
        e.place = text_of(obj, "place");
        e.created = time_of(obj, "created", false).value_or(Instant{});
        return e;
    }

    Followup followup(const json& obj) const {
        Followup f;
        f.id = id_of(obj, "id").value_or(0);
        f.uuid = uuid_of(obj);
        auto contact = id_of(obj, "contact_id");
        if (!contact) throw UsageError("\"contact_id\" is missing");
        f.contact_id = *contact;
        f.contact = text_of(obj, "contact");
        f.kind = parse_kind(text_of(obj, "kind"));
        f.title = text_of(obj, "title");
        if (f.title.empty()) throw UsageError("\"title\" must be a non-empty string");
        f.due = *time_of(obj, "due", true);
        f.original_due = time_of(obj, "original_due", false).value_or(f.due);
        std::string status = text_of(obj, "status");
        f.status = status.empty() ? Status::open : parse_status(status);
        f.referral_id = id_of(obj, "referral_id");
        f.created = time_of(obj, "created", false).value_or(Instant{});
        f.done_at = time_of(obj, "done_at", false);
        f.note = text_of(obj, "note");
        // A connect step keeps the network it is on (older backups gave the contact's channel);
        // one that adds a person reached another way (issue 33: "Exchange numbers with ...",
        // never titled "Connect with") keeps that way.
        if (f.kind == Kind::connect) {
            std::string ch = text_of(obj, "channel");
            if (!ch.empty() &&
                (is_social(normalize_channel(ch)) || !f.title.starts_with("Connect with ")))
                f.channel = normalize_channel(ch);
        }
        return f;
    }

    Interaction interaction(const json& obj) const {
        Interaction i;
        i.id = id_of(obj, "id").value_or(0);
        i.uuid = uuid_of(obj);
        auto contact = id_of(obj, "contact_id");
        if (!contact) throw UsageError("\"contact_id\" is missing");
        i.contact_id = *contact;
        i.contact = text_of(obj, "contact");
        i.at = *time_of(obj, "at", true);
        std::string ch = text_of(obj, "channel");
        i.channel = ch.empty() ? ch : normalize_channel(ch);
        std::string dir = text_of(obj, "direction");
        if (dir != "" && dir != "in" && dir != "out")
            throw UsageError(fmt::format("\"direction\" '{}' is not in or out", dir));
        i.direction = dir == "in" ? Direction::in : Direction::out;
        i.note = text_of(obj, "note");
        i.followup_id = id_of(obj, "followup_id");
        return i;
    }

    Referral referral(const json& obj, std::vector<ReferralStep>& steps) const {
        Referral r;
        r.id = id_of(obj, "id").value_or(0);
        r.uuid = uuid_of(obj);
        r.direction = text_of(obj, "direction");
        if (r.direction != "received" && r.direction != "given")
            throw UsageError("\"direction\" must be \"received\" or \"given\"");
        r.referrer_id = id_of(obj, "referrer_id");
        r.prospect_id = id_of(obj, "prospect_id");
        r.member_id = id_of(obj, "member_id");
        r.referrer = text_of(obj, "referrer");
        r.prospect = text_of(obj, "prospect");
        r.member = text_of(obj, "member");
        r.status = text_of(obj, "status");
        if (r.status.empty()) r.status = "new";
        if (!is_referral_status(r.status))
            throw UsageError(fmt::format("\"status\" '{}' is not a referral status", r.status));
        auto amount = obj.find("amount");
        if (amount != obj.end() && !amount->is_null()) {
            if (!amount->is_number()) throw UsageError("\"amount\" must be a number");
            r.amount = check_amount(amount->get<double>(), "\"amount\"");
        }
        r.note = text_of(obj, "note");
        r.created = time_of(obj, "created", false).value_or(Instant{});
        r.updated = time_of(obj, "updated", false).value_or(r.created);
        auto history = obj.find("history");
        if (history != obj.end() && !history->is_null()) {
            if (!history->is_array()) throw UsageError("\"history\" must be an array");
            for (const auto& step : *history) {
                if (!step.is_object()) throw UsageError("\"history\" must hold objects");
                ReferralStep s;
                s.referral_id = r.id;
                s.at = *time_of(step, "at", true);
                s.status = text_of(step, "status");
                if (!is_referral_status(s.status))
                    throw UsageError(
                        fmt::format("history status '{}' is not a referral status", s.status));
                s.note = text_of(step, "note");
                steps.push_back(std::move(s));
            }
        }
        return r;
    }

    /// Runs `read` on each element of an array, reporting errors with their line.
    template <class F> void each(const json& array, const std::string& section, F&& read) const {
        if (!array.is_array())
            import_error(source_, 0, fmt::format("\"{}\" must be an array", section));
        std::size_t index = 0;
        for (const auto& item : array) {
            if (!item.is_object()) fail(section, index, "must be an object");
            try {
                read(item);
            } catch (const UsageError& e) {
                fail(section, index, e.what());
            }
            ++index;
        }
    }

private:
    std::string_view text_;
    std::string source_;
};

} // namespace followup::import_detail
