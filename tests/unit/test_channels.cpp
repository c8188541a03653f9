#include <followup/channels.hpp>
#include <followup/errors.hpp>
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
