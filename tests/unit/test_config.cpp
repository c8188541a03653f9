#include <followup/domain/config.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

TEST(Config, DefaultsWithoutAFile) {
    Config c = load_config("");
    EXPECT_EQ(c.default_plan, "24/7/30");
    EXPECT_EQ(c.times.referral, (Duration{24, Unit::hours}));
    EXPECT_EQ(c.times.checkin, (Duration{7, Unit::days}));
    EXPECT_EQ(c.times.birthday_days, 5);
    EXPECT_TRUE(c.color);
    EXPECT_EQ(load_config("/nonexistent/followup/config.toml").plans.size(), 2u);
}

TEST(Config, PlansTakeNoteConnectMeetThenCustom) {
    Plan p = parse_plan("long", "1d, 1w, 1m, 3m");
    ASSERT_EQ(p.steps.size(), 4u);
    EXPECT_EQ(p.steps[0].kind, Kind::note);
    EXPECT_EQ(p.steps[1].kind, Kind::connect);
    EXPECT_EQ(p.steps[2].kind, Kind::meet);
    EXPECT_EQ(p.steps[3].kind, Kind::custom);
    EXPECT_EQ(p.steps[3].after, (Duration{3, Unit::months}));
    Plan q = parse_plan("q", "meet:2w");
    EXPECT_EQ(q.steps[0].kind, Kind::meet);
    EXPECT_THROW(parse_plan("none", "1d"), UsageError);
    EXPECT_THROW(parse_plan("x", "1d,,2d"), UsageError);
}

TEST(Config, ParsesTheFileAndNamesTheLineOfAnError) {
    Config c = parse_config("plan = \"quick\"\n[plans]\nquick = \"24h,3d\"\n[response]\n"
                            "birthday = \"7d\"\n",
                            "c.toml");
    EXPECT_EQ(c.default_plan, "quick");
    EXPECT_EQ(find_plan(c.plans, "quick").steps.size(), 2u);
    EXPECT_EQ(c.times.birthday_days, 7);
    try {
        parse_config("\n\n[response]\nreport = 5\n", "c.toml");
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "c.toml:4: response.report: expected a string in quotes");
    }
    Config d = parse_config("", "c.toml");
    apply_setting(d, "response.report = 2h");
    EXPECT_EQ(d.times.report, (Duration{2, Unit::hours}));
    EXPECT_THROW(apply_setting(d, "response.report"), UsageError);
    EXPECT_THROW(apply_setting(d, "bogus=1"), UsageError);
}
