#pragma once
// Helpers shared by the fuzz targets: the input as text, and the properties every parse result
// must keep. A broken property prints what broke and aborts, which libFuzzer reports as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <followup/domain/referrals.hpp>
#include <followup/interchange/importer.hpp>
#include <followup/interchange/json_records.hpp>
#include <followup/time/dates.hpp>
#include <followup/util/text.hpp>
#include <set>
#include <string>
#include <string_view>

namespace fuzz {

/// The fuzzer's bytes as text (not NUL-terminated; may hold any byte).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Prints a broken property and aborts.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz property broken: %s: '%.*s'\n", what,
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

/// A text of a file: never a NUL (issue 34: no argument of the command line can hold one).
inline void check_text(const std::string& text, const char* what) {
    if (text.find('\0') != std::string::npos) fail(what, text);
}

/// An instant of a file: in the years of the command line, 1900 to 9999 (the Unix epoch, for a
/// time the file left out, too).
inline void check_time(followup::Instant t, const char* what) {
    const date::year_month_day day{date::floor<date::days>(t)};
    if (t != followup::Instant{} &&
        (day.year() < date::year{1900} || day.year() > date::year{9999}))
        fail(what, followup::format_utc(t));
}

/// An id of a file: none, or from 1 to 2^53 - 1, so that a restored backup leaves room for new
/// rows.
inline void check_id(long long id, const char* what) {
    if (id < 0 || id > (1LL << 53) - 1) fail(what, std::to_string(id));
}

/// The records only followup's JSON carries: every text without NUL, every time and amount in
/// the command line's range, every id in range and given to one record of its kind.
inline void check_records(const followup::ImportData& data) {
    auto unique = [](auto& seen, long long id, const char* what) {
        check_id(id, what);
        if (id != 0 && !seen.insert(id).second) fail(what, std::to_string(id));
    };
    std::set<long long> events, followups, interactions, referrals;
    for (const auto& e : data.events) {
        unique(events, e.id, "event id repeated or out of range");
        check_text(e.place, "an event's place holds a NUL");
        check_time(e.created, "an event's time is out of range");
    }
    for (const auto& f : data.followups) {
        unique(followups, f.id, "follow-up id repeated or out of range");
        check_id(f.contact_id, "contact_id out of range");
        check_text(f.title, "a title holds a NUL");
        check_text(f.note, "a follow-up's note holds a NUL");
        for (followup::Instant t : {f.due, f.original_due, f.created, f.done_at.value_or(f.due)})
            check_time(t, "a follow-up's time is out of range");
    }
    for (const auto& i : data.interactions) {
        unique(interactions, i.id, "interaction id repeated or out of range");
        check_text(i.note, "a touch's note holds a NUL");
        check_time(i.at, "a touch's time is out of range");
    }
    for (const auto& r : data.referrals) {
        unique(referrals, r.id, "referral id repeated or out of range");
        check_text(r.note, "a referral's note holds a NUL");
        if (r.amount && !(*r.amount >= 0 && *r.amount <= followup::max_amount))
            fail("an amount out of range", std::to_string(*r.amount));
        check_time(r.created, "a referral's time is out of range");
        check_time(r.updated, "a referral's time is out of range");
    }
    for (const auto& s : data.referral_steps) {
        check_text(s.note, "a referral step's note holds a NUL");
        check_time(s.at, "a referral step's time is out of range");
    }
}

/// What parse_import promises about a successful result: a concrete format, and contacts
/// that each have a non-empty name in valid UTF-8.
inline void check_import(const followup::ImportData& data) {
    if (data.format == followup::ImportFormat::automatic) fail("format left automatic");
    for (const auto& draft : data.contacts) {
        const auto& c = draft.contact;
        const auto& name = c.name;
        if (followup::text::trim(name).empty()) fail("contact without a name", name);
        if (!followup::text::valid_utf8(name)) fail("name is not valid UTF-8", name);
        // No reader lets a NUL through (a quoted-printable "=00" once did), and whatever a file
        // holds is shown on a terminal without a control character of its own.
        for (const std::string* field : {&c.name, &c.company, &c.title, &c.email, &c.phone,
                                         &c.notes, &c.handle, &c.event, &c.referred_by}) {
            check_text(*field, "a field holds a NUL");
            for (char ch : followup::text::escape_controls(*field)) {
                auto u = static_cast<unsigned char>(ch);
                if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f)
                    fail("escape_controls left a control character", *field);
            }
        }
        if (c.tags.size() > followup::import_detail::max_tags) fail("more tags than kept", name);
        for (const auto& t : c.tags)
            check_text(t, "a tag holds a NUL");
        for (const auto* list : {&c.emails, &c.phones, &c.addresses})
            for (const auto& l : *list) {
                check_text(l.value, "a value holds a NUL");
                check_text(l.label, "a label holds a NUL");
            }
        check_id(c.id, "a contact id out of range");
        check_time(c.created, "a contact's time is out of range");
        if (c.met) check_time(*c.met, "a contact's time is out of range");
        if (c.last_touch) check_time(*c.last_touch, "a contact's time is out of range");
    }
    check_records(data);
}

} // namespace fuzz
