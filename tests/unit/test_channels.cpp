#include <followup/domain/channels.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

TEST(Channels, NormalisesNamesAndAliases) {
    EXPECT_EQ(normalize_channel("LinkedIn"), "linkedin");
    EXPECT_EQ(normalize_channel("twitter"), "x");
    EXPECT_EQ(normalize_channel("In Person"), "in-person");
    EXPECT_EQ(normalize_channel("text"), "sms");
    EXPECT_EQ(normalize_channel("matrix"), "matrix");
    EXPECT_THROW(normalize_channel("two words"), UsageError);
    EXPECT_THROW(normalize_channel(""), UsageError);
}

TEST(Channels, ParsesViaAtTheFirstColon) {
    Via v = parse_via("linkedin:https://www.linkedin.com/in/jane-doe");
    EXPECT_EQ(v.channel, "linkedin");
    EXPECT_EQ(v.handle, "https://www.linkedin.com/in/jane-doe");
    Via w = parse_via("WhatsApp");
    EXPECT_EQ(w.channel, "whatsapp");
    EXPECT_EQ(w.handle, "");
}

TEST(Channels, LinksOpenTheChannel) {
    EXPECT_EQ(channel_link({"email", "jane@example.com"}), "mailto:jane@example.com");
    EXPECT_EQ(channel_link({"phone", "+1 (555) 010-2030"}), "tel:+15550102030");
    EXPECT_EQ(channel_link({"sms", "+44 20 7946 0000"}), "sms:+442079460000");
    EXPECT_EQ(channel_link({"whatsapp", "+34 600 123 456"}), "https://wa.me/34600123456");
    EXPECT_EQ(channel_link({"linkedin", "jane-doe"}), "https://www.linkedin.com/in/jane-doe");
    EXPECT_EQ(channel_link({"linkedin", "https://www.linkedin.com/in/jd"}),
              "https://www.linkedin.com/in/jd");
    EXPECT_EQ(channel_link({"telegram", "@jane"}), "https://t.me/jane");
    EXPECT_EQ(channel_link({"x", "@jane"}), "https://x.com/jane");
    EXPECT_EQ(channel_link({"in-person", "cafe"}), "");
    EXPECT_EQ(channel_link({"email", ""}), "");
    EXPECT_EQ(channel_link({"email", "a b@example.com"}), "mailto:a%20b@example.com");
}

TEST(Channels, OddHandlesGiveAWorkingLinkOrNone) {
    EXPECT_EQ(channel_link({"email", "mailto:x@example.com"}), "mailto:x@example.com");
    EXPECT_EQ(channel_link({"email", "not-an-address"}), "");
    EXPECT_EQ(channel_link({"phone", "not-a-number"}), "");
    EXPECT_EQ(channel_link({"whatsapp", "call me"}), "");
    EXPECT_EQ(channel_link({"linkedin", "in/samlee"}), "https://www.linkedin.com/in/samlee");
}

TEST(Channels, EveryChannelsLinkIsBuiltFromTheBareHandle) {
    // Each branch of channel_link, with the handle trimmed and its leading '@' dropped.
    EXPECT_EQ(channel_link({"email", "  MAILTO:x@example.com  "}), "mailto:x@example.com");
    EXPECT_EQ(channel_link({"email", "Mailto:"}), "");
    EXPECT_EQ(channel_link({"signal", " +44 7700 900123 "}), "https://signal.me/#p/+447700900123");
    EXPECT_EQ(channel_link({"whatsapp", "+34 600 123 456"}), "https://wa.me/34600123456");
    EXPECT_EQ(channel_link({"sms", "no digits"}), "");
    EXPECT_EQ(channel_link({"skype", "jane.doe"}), "skype:jane.doe?chat");
    EXPECT_EQ(channel_link({"steam", "@gabe"}), "https://steamcommunity.com/id/gabe");
    EXPECT_EQ(channel_link({"instagram", "ann lee"}), "https://www.instagram.com/ann%20lee");
    EXPECT_EQ(channel_link({"facebook", "jos\xc3\xa9"}), "https://www.facebook.com/jos%C3%A9");
    EXPECT_EQ(channel_link({"x", "a/b?c#d"}), "https://x.com/a%2Fb%3Fc%23d");
    EXPECT_EQ(channel_link({"linkedin", "linkedin.com/in/ann"}), "https://linkedin.com/in/ann");
    EXPECT_EQ(channel_link({"linkedin", "www.linkedin.com/in/ann"}),
              "https://www.linkedin.com/in/ann");
    EXPECT_EQ(channel_link({"telegram", "https://t.me/ann"}), "https://t.me/ann");
    EXPECT_EQ(channel_link({"mastodon", "@ann@mastodon.social"}), "https://mastodon.social/@ann");
    EXPECT_EQ(channel_link({"mastodon", "ann"}), "");
    EXPECT_EQ(channel_link({"mastodon", "ann@"}), "");
    EXPECT_EQ(channel_link({"matrix", "@ann:example.org"}), "");
    EXPECT_EQ(channel_link({"telegram", "   @  "}), "");
    // The same through a follow-up, and a connect step without a handle searches by name.
    Followup f;
    f.kind = Kind::connect;
    f.channel = "linkedin";
    f.contact = "Ann Lee";
    EXPECT_EQ(followup_link(f),
              "https://www.linkedin.com/search/results/people/?keywords=Ann%20Lee");
    f.handle = "in/ann-lee";
    EXPECT_EQ(followup_link(f), "https://www.linkedin.com/in/ann-lee");
}

TEST(Channels, EffectiveChannelFallsBackToEmailThenPhone) {
    Contact c;
    EXPECT_EQ(effective_via(c).channel, "");
    c.phone = "+1 555 0100";
    EXPECT_EQ(effective_via(c).channel, "phone");
    c.email = "a@example.com";
    EXPECT_EQ(effective_via(c).channel, "email");
    EXPECT_EQ(effective_via(c).handle, "a@example.com");
    c.channel = "whatsapp";
    EXPECT_EQ(effective_via(c).channel, "whatsapp");
    EXPECT_EQ(effective_via(c).handle, "+1 555 0100");
}
