#include <followup/domain/scheduler.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

namespace {

const followup::Zone* ny() {
    return followup::find_zone("America/New_York");
}

TimeContext at(const char* utc) {
    return {*parse_utc(utc), ny()};
}

Contact person(std::string name, std::string email = "", std::string channel = "") {
    Contact c;
    c.name = std::move(name);
    c.email = std::move(email);
    c.channel = std::move(channel);
    return c;
}

const Plan& plan_24_7_30() {
    return find_plan(builtin_plans(), "24/7/30");
}

} // namespace

TEST(Scheduler, DefaultPlanFromAnExactTime) {
    // Met 2026-11-19 19:00 EST (00:00Z next day): note +24h, connect +7d, meet +30d.
    TimeContext tc = at("2026-11-20T03:00:00Z");
    When met = parse_when("2026-11-19 19:00", tc);
    auto planned = schedule(person("Jane Doe", "jane@example.com"), plan_24_7_30(), met, tc.zone);
    ASSERT_EQ(planned.size(), 3u);
    EXPECT_EQ(planned[0].kind, Kind::note);
    EXPECT_EQ(format_utc(planned[0].due), "2026-11-21T00:00:00Z");
    EXPECT_EQ(planned[0].title, "Send a note to Jane Doe by email");
    EXPECT_EQ(planned[1].kind, Kind::connect);
    EXPECT_EQ(format_utc(planned[1].due), "2026-11-27T00:00:00Z");
    EXPECT_EQ(planned[1].title, "Connect with Jane Doe on LinkedIn");
    EXPECT_EQ(planned[2].kind, Kind::meet);
    EXPECT_EQ(format_utc(planned[2].due), "2026-12-20T00:00:00Z");
    EXPECT_EQ(planned[2].title, "Arrange a one-to-one with Jane Doe");
}

TEST(Scheduler, CalendarDaysKeepTheLocalClockAcrossDst) {
    // The spec's example: met 2026-03-05 19:00 in New York (EST, UTC-5). DST starts on
    // 2026-03-08, so the 7-day step is 2026-03-12 19:00 EDT = 23:00Z, while 24h stays exact.
    TimeContext tc = at("2026-03-06T00:00:00Z");
    When met = parse_when("2026-03-05 19:00", tc);
    auto planned = schedule(person("Ann"), plan_24_7_30(), met, tc.zone);
    EXPECT_EQ(format_utc(planned[0].due), "2026-03-07T00:00:00Z");
    EXPECT_EQ(format_utc(planned[1].due), "2026-03-12T23:00:00Z");
    EXPECT_EQ(format_utc(planned[2].due), "2026-04-04T23:00:00Z");
}

TEST(Scheduler, DateOnlyMeetingGivesEndOfDayDeadlines) {
    // Met on 2026-11-20 (no clock time): ends of Nov 21, Nov 27 and Dec 20, 23:59:59 EST.
    TimeContext tc = at("2026-11-21T15:00:00Z");
    When met = parse_when("2026-11-20", tc);
    ASSERT_TRUE(met.day.has_value());
    auto planned = schedule(person("Ann"), plan_24_7_30(), met, tc.zone);
    EXPECT_EQ(format_utc(planned[0].due), "2026-11-22T04:59:59Z");
    EXPECT_EQ(format_utc(planned[1].due), "2026-11-28T04:59:59Z");
    EXPECT_EQ(format_utc(planned[2].due), "2026-12-21T04:59:59Z");
}

TEST(Scheduler, DateOnlyHoursRoundUpToWholeDays) {
    TimeContext tc = at("2026-11-21T15:00:00Z");
    When met = parse_when("2026-11-20", tc);
    EXPECT_EQ(format_utc(step_deadline(met, {36, Unit::hours}, tc.zone)), "2026-11-23T04:59:59Z");
    EXPECT_EQ(format_utc(step_deadline(met, {1, Unit::months}, tc.zone)), "2026-12-21T04:59:59Z");
    // Across the DST change the end of day is still 23:59:59 local (EDT on 2026-03-09).
    When march = parse_when("2026-03-07", tc);
    EXPECT_EQ(format_utc(step_deadline(march, {48, Unit::hours}, tc.zone)), "2026-03-10T03:59:59Z");
}

TEST(Scheduler, PlanNoneCreatesNothing) {
    TimeContext tc = at("2026-11-21T15:00:00Z");
    auto planned = schedule(person("Ann"), find_plan(builtin_plans(), "none"),
                            When{tc.now, std::nullopt}, tc.zone);
    EXPECT_TRUE(planned.empty());
}

TEST(Scheduler, UnknownPlanIsAUsageErrorNamingTheKnownOnes) {
    try {
        find_plan(builtin_plans(), "weekly");
        FAIL() << "expected UsageError";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "unknown plan 'weekly' (known: 24/7/30, none)");
        EXPECT_EQ(e.exit_code(), 2);
    }
}

TEST(Scheduler, TitlesUseTheContactsChannel) {
    EXPECT_EQ(plan_title(Kind::note, person("Jo", "", "whatsapp")),
              "Send a note to Jo on WhatsApp");
    EXPECT_EQ(plan_title(Kind::note, person("Jo", "", "linkedin")),
              "Send a note to Jo on LinkedIn");
    EXPECT_EQ(plan_title(Kind::note, person("Jo", "", "sms")), "Send a note to Jo by SMS");
    EXPECT_EQ(plan_title(Kind::note, person("Jo", "", "phone")),
              "Call Jo to say it was good to meet");
    EXPECT_EQ(plan_title(Kind::note, person("Jo")), "Send a note to Jo");
    // The connect step is on a network they have a profile on, else the configured one.
    Contact insta = person("Jo", "", "instagram");
    EXPECT_EQ(plan_title(Kind::connect, insta), "Connect with Jo on LinkedIn");
    insta.profiles.push_back({"instagram", "jo.photos"});
    EXPECT_EQ(plan_title(Kind::connect, insta), "Connect with Jo on Instagram");
    EXPECT_EQ(plan_title(Kind::connect, insta, {"facebook", "instagram"}),
              "Connect with Jo on Instagram");
    EXPECT_EQ(plan_title(Kind::connect, person("Jo"), {"facebook"}), "Connect with Jo on Facebook");
    EXPECT_EQ(plan_title(Kind::connect, person("Jo", "jo@example.com")),
              "Connect with Jo on LinkedIn");
}
