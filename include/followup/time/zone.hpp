#pragma once
// One time zone, read from its own TZif file of the system's zone database
// (/usr/share/zoneinfo/NAME): no walk of the database, no thread. The conversions give the same
// results as date/tz's time_zone built from the same file (tests/unit/test_zone.cpp compares
// them), so date/tz stays for the calendar arithmetic and only the zone lookup is ours.

#include <chrono>
#include <cstdint>
#include <date/date.h>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

class Zone {
public:
    /// A zone without transitions at a fixed offset from UTC (UTC itself: offset 0).
    Zone(std::string name, std::chrono::seconds offset);

    /// Parses the bytes of a TZif file (RFC 8536, versions 1 to 4; the 64-bit data of
    /// version 2 and later). Throws std::runtime_error when the bytes are not a TZif file, or
    /// when it counts leap seconds (the right/ zones), which followup does not support.
    static std::unique_ptr<Zone> from_tzif(std::string name, std::string_view bytes);

    /// The name it was loaded under, e.g. "America/New_York".
    const std::string& name() const noexcept { return name_; }

    /// The UTC offset in force at an instant.
    std::chrono::seconds offset(date::sys_seconds t) const;

    /// The local clock time of an instant.
    date::local_seconds to_local(date::sys_seconds t) const;

    /// The instant of a local clock time; a time that exists twice (fall back) is its earliest
    /// instant, a time that does not exist (spring forward) is the instant of the transition
    /// (as date/tz's `to_sys(local, choose::earliest)`).
    date::sys_seconds to_sys(date::local_seconds local) const;

private:
    Zone() = default;
    std::size_t period_of(std::int64_t t) const; ///< the index of the period holding instant t

    std::string name_;
    std::vector<std::int64_t> at_;     ///< transition instants, ascending
    std::vector<std::int32_t> offset_; ///< offset_[0] before at_[0], offset_[k] from at_[k-1]
};

} // namespace followup
