// followup::Zone against date/tz: the zone read from its own TZif file converts every instant
// and every local time as date/tz's time_zone of the same name does (which walks the database
// to build it), for every zone of the system's database, around every transition.
#include <date/tz.h>
#include <followup/time/dates.hpp>
#include <followup/time/zone.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using followup::Instant;

/// Compares the two around each transition of date/tz's zone between 1900 and 2100, and once a
/// day between 2020 and 2040; returns the number of comparisons.
long compare(const followup::Zone& mine, const date::time_zone& theirs) {
    long checks = 0;
    auto check_instant = [&](Instant t) {
        EXPECT_EQ(mine.to_local(t), theirs.to_local(t))
            << theirs.name() << " at " << followup::format_utc(t);
        ++checks;
    };
    auto check_local = [&](date::local_seconds l) {
        EXPECT_EQ(mine.to_sys(l), theirs.to_sys(l, date::choose::earliest))
            << theirs.name() << " local " << date::format("%F %T", l);
        ++checks;
    };
    const Instant first = date::sys_days{date::year{1900} / 1 / 1};
    const Instant last = date::sys_days{date::year{2100} / 1 / 1};
    for (Instant t = first; t < last;) {
        const date::sys_info info = theirs.get_info(t);
        const Instant end = std::min(Instant{info.end}, last);
        if (end >= last) break;
        // The instants around the transition, and the local times on both sides of it,
        // every 15 minutes over two hours (the gap or the overlap and what is next to it).
        for (auto d : {-1s, 0s, 1s})
            check_instant(end + d);
        const date::local_seconds before{(end + info.offset).time_since_epoch()};
        for (std::chrono::seconds d = -2h; d <= 2h; d += 15min) {
            check_local(before + d);
            check_local(before + d + 1s);
        }
        t = end;
    }
    for (Instant t = date::sys_days{date::year{2020} / 1 / 1};
         t < date::sys_days{date::year{2040} / 1 / 1}; t += 24h + 17min) {
        check_instant(t);
        check_local(date::local_seconds{t.time_since_epoch()});
    }
    return checks;
}

TEST(Zone, SameAsDateTzForEveryZoneOfTheDatabase) {
    long zones = 0, checks = 0;
    for (const auto& z : date::get_tzdb().zones) {
        const followup::Zone* mine = nullptr;
        try {
            mine = followup::find_zone(z.name().c_str());
        } catch (const followup::UsageError&) {
            // The right/ zones count leap seconds: refused by name, as followup does not
            // support them.
            EXPECT_TRUE(z.name().starts_with("right/")) << z.name();
            continue;
        }
        ASSERT_NE(mine, nullptr) << z.name();
        checks += compare(*mine, z);
        ++zones;
    }
    EXPECT_GT(zones, 300);
    EXPECT_GT(checks, 100000);
}

TEST(Zone, TheZonesOfTheTestsAndTheSpecsDstExample) {
    // Met 2026-03-05 19:00 in New York (EST): the connect step 7 days later is at 19:00 EDT.
    const followup::Zone* ny = followup::find_zone("America/New_York");
    const Instant met = ny->to_sys(date::local_days{date::year{2026} / 3 / 5} + 19h);
    EXPECT_EQ(followup::format_utc(met), "2026-03-06T00:00:00Z");
    EXPECT_EQ(followup::format_utc(followup::add(met, {7, followup::Unit::days}, ny)),
              "2026-03-12T23:00:00Z");
    for (const char* name : {"America/New_York", "Europe/Paris", "Asia/Tokyo", "UTC",
                             "Australia/Lord_Howe", "Europe/Dublin", "Pacific/Apia"})
        EXPECT_GT(compare(*followup::find_zone(name), *date::locate_zone(name)), 0) << name;
}

TEST(Zone, RefusesWhatIsNotATzifFile) {
    EXPECT_THROW(followup::Zone::from_tzif("x", ""), std::runtime_error);
    EXPECT_THROW(followup::Zone::from_tzif("x", "TZif2"), std::runtime_error);
    EXPECT_THROW(followup::Zone::from_tzif("x", "not a zone file at all, but long enough to hold "
                                                "a header of forty-four bytes"),
                 std::runtime_error);
    // Files of the zoneinfo folder that are not zones, and names that leave it.
    for (const char* name : {"zone.tab", "tzdata.zi", "iso3166.tab", "../../../etc/passwd",
                             "/etc/passwd", "America", "America/../UTC", "./UTC"}) {
        EXPECT_THROW(followup::find_zone(name), followup::UsageError) << name;
    }
}

TEST(Zone, FixedOffset) {
    const followup::Zone utc("UTC", 0s);
    const Instant t = date::sys_days{date::year{2026} / 3 / 8} + 7h;
    EXPECT_EQ(utc.to_local(t).time_since_epoch(), t.time_since_epoch());
    EXPECT_EQ(utc.to_sys(utc.to_local(t)), t);
    EXPECT_EQ(utc.name(), "UTC");
}

} // namespace
