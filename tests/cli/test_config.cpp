// config.toml: custom plans, response times, the default channel, and errors that name the
// file, the line and the setting.

#include "harness.hpp"

#include <fstream>

using e2e::Sandbox;

namespace {

/// Writes ~/.config/followup/config.toml in the sandbox (HOME is the sandbox folder).
std::string write_config(const Sandbox& s, const std::string& text) {
    auto dir = s.dir() / ".config" / "followup";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.toml") << text;
    return (dir / "config.toml").string();
}

} // namespace

TEST(Config, CustomPlanResponseTimesAndDefaultChannel) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    write_config(s, "# my settings\n"
                    "plan = \"quick\"\n"
                    "channel = \"linkedin\"\n"
                    "\n"
                    "[plans]\n"
                    "quick = \"24h, 3d, 14d\"\n"
                    "slow = \"note:2d, meet:2m\"\n"
                    "\n"
                    "[response]\n"
                    "referral = \"12h\"\n"
                    "checkin = \"2w\"\n");
    s.ok({"add", "Jane Doe", "--met", "2026-11-20 08:00"});
    e2e::json rows = s.json_of({"due", "--all"});
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]["kind"], "note");
    EXPECT_EQ(rows[0]["due"], "2026-11-21T13:00:00Z"); // 24h
    EXPECT_EQ(rows[1]["kind"], "connect");
    EXPECT_EQ(rows[1]["due"], "2026-11-23T13:00:00Z"); // 3 days
    EXPECT_EQ(rows[2]["kind"], "meet");
    EXPECT_EQ(rows[2]["due"], "2026-12-04T13:00:00Z"); // 14 days
    EXPECT_EQ(rows[0]["channel"], "linkedin");         // the default channel
    EXPECT_EQ(rows[0]["title"], "Send a note to Jane Doe on LinkedIn");

    s.ok({"add", "Sam Slow", "--met", "2026-11-20 08:00", "--plan", "slow"});
    e2e::json sam = s.json_of({"due", "--all", "--contact", "sam"});
    ASSERT_EQ(sam.size(), 2u);
    EXPECT_EQ(sam[0]["due"], "2026-11-22T13:00:00Z");
    EXPECT_EQ(sam[1]["kind"], "meet");
    EXPECT_EQ(sam[1]["due"], "2027-01-20T13:00:00Z"); // two calendar months

    s.ok({"referral", "receive", "--from", "jane", "--prospect", "Bob Stone"});
    e2e::json bob = s.json_of({"due", "--all", "--kind", "referral"});
    EXPECT_EQ(bob[0]["due"], "2026-11-21T01:00:00Z"); // 12 hours
    // --set overrides the file for one run.
    s.ok(
        {"--set", "response.checkin=3d", "referral", "give", "--to", "jane", "--prospect", "Cara"});
    e2e::json checkin = s.json_of({"due", "--all", "--kind", "checkin"});
    EXPECT_EQ(checkin[0]["due"], "2026-11-23T13:00:00Z");
}

TEST(Config, BrokenFilesNameTheFileTheLineAndTheSetting) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Jane Doe", "--plan", "none"});
    const std::string before = s.state();

    std::string path = write_config(s, "[response]\nreferral = \"soon\"\n");
    e2e::Result r = s.run({"add", "Ann"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: " + path +
                                ":2: response.referral: invalid duration 'soon' (try 3d, 36h, "
                                "90min, 2w, 1m, 1y)");

    write_config(s, "plan = \"weekly\"\n");
    r = s.run({"add", "Ann"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(),
              "followup: " + path + ":1: plan: unknown plan 'weekly' (known: 24/7/30, none)");

    write_config(s, "colour = \"never\"\nnonsense = \"1\"\n");
    r = s.run({"due"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.err_line().starts_with("followup: " + path + ":2: nonsense: unknown setting"))
        << r.err;

    write_config(s, "[plans\nquick = \"24h\"\n");
    r = s.run({"due"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.err_line().starts_with("followup: " + path + ":1: ")) << r.err;

    write_config(s, "[plans]\nquick = \"24h, 3x\"\n");
    r = s.run({"due"});
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(
        r.err_line().starts_with("followup: " + path + ":2: plans.quick: invalid duration '3x'"))
        << r.err;
    EXPECT_EQ(s.state(), before);
}

TEST(Config, UnknownChannelsAreRefusedWithASuggestionAndCustomOnesAccepted) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    e2e::Result r = s.run({"add", "Ann Lee", "--via", "whatsap:+34600123456"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown channel 'whatsap'; did you mean 'whatsapp'? (add "
                            "others to [channels] custom in the config)");
    EXPECT_FALSE(std::filesystem::exists(s.db()));
    r = s.run({"add", "Ann Lee", "--via", "matrix:@ann:matrix.org"});
    EXPECT_EQ(r.status, 2);
    // Aliases still work, and so do names the config adds.
    s.ok({"add", "Bob Chen", "--via", "text:+1 555 0100"});
    EXPECT_EQ(s.json_of({"contacts"})[0]["channel"], "sms");
    write_config(s, "[channels]\ncustom = [\"matrix\", \"Discord\"]\n");
    s.ok({"add", "Ann Lee", "--via", "matrix:@ann:matrix.org"});
    s.ok({"log", "ann", "--via", "discord"});
    EXPECT_EQ(s.json_of({"show", "ann"})["interactions"][0]["channel"], "discord");
    r = s.run({"log", "ann", "--via", "matrx"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown channel 'matrx'; did you mean 'matrix'? (add "
                            "others to [channels] custom in the config)");
}
