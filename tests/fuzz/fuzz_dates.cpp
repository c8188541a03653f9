// Fuzzes the date grammar: parse_when and parse_duration on the input as text, at fixed instants
// in a few zones. UsageError is the expected outcome for bad input; any other exception, a
// sanitizer report or a broken property is a finding.

#include "fuzz_common.hpp"

#include <array>
#include <followup/time/dates.hpp>
#include <followup/util/errors.hpp>

using namespace followup;

namespace {

struct Contexts {
    std::array<TimeContext, 4> all;
};

const Contexts& contexts() {
    static const Contexts c = [] {
        using namespace std::chrono;
        const auto* ny = find_zone("America/New_York");
        const auto* howe = find_zone("Australia/Lord_Howe"); // half-hour DST shift
        const auto* utc = find_zone("UTC");
        auto at = [](int y, unsigned m, unsigned d, int h, int min) {
            return Instant{date::sys_days{date::year{y} / m / d} + hours{h} + minutes{min}};
        };
        return Contexts{{{
            {at(2026, 3, 12, 15, 30), ny},   // a Thursday, after the spring DST change
            {at(2026, 3, 8, 6, 30), ny},     // 01:30 local, half an hour before clocks jump
            {at(2026, 10, 4, 15, 45), howe}, // 02:15 local on Lord Howe's DST morning
            {at(2028, 2, 29, 23, 59), utc},  // a leap day, a minute before midnight
        }}};
    }();
    return c;
}

void check_when(std::string_view text, const When& w, const TimeContext& tc) {
    // What format_utc writes, parse_utc reads back.
    auto back = parse_utc(format_utc(w.at));
    if (!back || *back != w.at) fuzz::fail("parse_utc(format_utc(at)) != at", text);
    // A day form is the end of that local day.
    if (w.day && end_of_day(*w.day, tc.zone) != w.at)
        fuzz::fail("day form not at end of day", text);
    (void)format_local(w.at, tc.zone);
    (void)format_local_day(w.at, tc.zone);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    for (const auto& tc : contexts().all) {
        try {
            check_when(text, parse_when(text, tc), tc);
        } catch (const UsageError&) {
        }
    }
    try {
        Duration d = parse_duration(text);
        if (d.count <= 0) fuzz::fail("parse_duration gave a count <= 0", text);
        for (const auto& tc : contexts().all) {
            try {
                Instant later = add(tc.now, d, tc.zone);
                if (later <= tc.now) fuzz::fail("adding a positive duration went back", text);
            } catch (const UsageError&) { // out of the years 1900 to 9999
            }
        }
    } catch (const UsageError&) {
    }
    return 0;
}
