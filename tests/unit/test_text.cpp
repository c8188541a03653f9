#include <followup/text.hpp>
#include <gtest/gtest.h>

using namespace followup;

TEST(Text, FoldIgnoresCaseAndAccents) {
    EXPECT_EQ(text::fold("José Álvarez"), "jose alvarez");
    EXPECT_EQ(text::fold("ŁUKASZ Żółć"), "lukasz zolc");
    EXPECT_EQ(text::fold("Straße"), "strasse");
    EXPECT_EQ(text::fold("Jose\xCC\x81"), "jose"); // e + combining acute accent
    EXPECT_EQ(text::fold("ДМИТРИЙ"), "дмитрий");
    EXPECT_EQ(text::fold("\xFF\xFE"), "\xFF\xFE"); // invalid bytes pass through
}

TEST(Text, WidthCountsColumns) {
    EXPECT_EQ(text::width("abc"), 3u);
    EXPECT_EQ(text::width("José"), 4u);
    EXPECT_EQ(text::width("日本"), 4u);
    EXPECT_EQ(text::width("a\u200Fb"), 2u); // right-to-left mark takes no column
}

TEST(Text, TruncateAndPad) {
    EXPECT_EQ(text::truncate("abcdef", 4), "abc…");
    EXPECT_EQ(text::truncate("abc", 4), "abc");
    EXPECT_EQ(text::pad("é", 3), "é  ");
}

TEST(Text, OneLineFoldsControlCharacters) {
    EXPECT_EQ(text::one_line("a\nb\t\tc\x1b[31m "), "a b c [31m");
}

TEST(Text, Utf8Validation) {
    EXPECT_TRUE(text::valid_utf8("José 日本 🎉"));
    EXPECT_FALSE(text::valid_utf8("\xC3"));
    EXPECT_FALSE(text::valid_utf8("\xED\xA0\x80")); // a surrogate
    EXPECT_FALSE(text::valid_utf8("\xC0\xAF"));     // overlong
}

TEST(Text, Uuid4HasTheRightShapeAndIsUnique) {
    std::string a = text::uuid4(), b = text::uuid4();
    ASSERT_EQ(a.size(), 36u);
    EXPECT_EQ(a[14], '4');
    EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
    EXPECT_NE(a, b);
}
