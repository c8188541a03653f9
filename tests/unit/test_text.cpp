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

TEST(Text, EscapeControlsFindsAControlAtAnyPlaceInALongText) {
    // Plain text is read eight bytes at a time: every byte that needs escaping is found
    // wherever it falls in a word, after newlines, tabs and UTF-8 that need none.
    const std::string plain = "Ann Lee\tJos\xc3\xa9 met Bob at 19:00, ok?\n~ }";
    EXPECT_EQ(text::escape_controls(plain + plain + plain), plain + plain + plain);
    for (std::string_view bad : {"\x1b", "\x01", "\x7f", "\x1f", "\r"}) {
        const std::string shown = text::escape_controls(bad);
        for (std::size_t at = 0; at <= 2 * plain.size(); ++at) {
            if (at % plain.size() == plain.find('\xa9')) continue; // not inside the é
            std::string text = plain + plain;
            text.insert(at, bad);
            std::string want = plain + plain;
            want.insert(at, shown);
            EXPECT_EQ(text::escape_controls(text), want) << "at " << at;
        }
    }
}

TEST(Text, EscapeControlsShowsEveryControlCharacter) {
    // Plain text, newlines, tabs and ordinary non-ASCII text come back as they are.
    EXPECT_EQ(text::escape_controls("Ann Lee\tJosé 😀 中文\n"), "Ann Lee\tJosé 😀 中文\n");
    EXPECT_EQ(text::escape_controls(""), "");
    // ESC, BEL, CR, other C0 and DEL.
    EXPECT_EQ(text::escape_controls("a\x1b[2Jb"), "a\\e[2Jb");
    EXPECT_EQ(text::escape_controls("\x1b]52;c;aGk=\x07"), "\\e]52;c;aGk=\\x07");
    EXPECT_EQ(text::escape_controls("x\ry\x01\x7f"), "x\\x0dy\\x01\\x7f");
    // C1 controls (U+009B is CSI), bidi overrides and isolates; U+200F (a mark) stays.
    EXPECT_EQ(text::escape_controls("a\xc2\x9b"
                                    "31mb\xc2\x80"),
              "a\\u009b31mb\\u0080");
    EXPECT_EQ(text::escape_controls("\u202Etxt.exe\u202C \u2066x\u2069 \u200F"),
              "\\u202etxt.exe\\u202c \\u2066x\\u2069 \u200F");
    // Bytes that are not UTF-8: a lone continuation byte, a cut sequence, an overlong form.
    EXPECT_EQ(text::escape_controls("a\x9b"
                                    "b\xe2\x80"),
              "a\\x9bb\\xe2\\x80");
    EXPECT_EQ(text::escape_controls("\xc0\xaf"), "\\xc0\\xaf");
    // The output never holds a control character itself.
    const std::string all = [] {
        std::string s;
        for (int c = 1; c < 256; ++c)
            s += static_cast<char>(c);
        return s;
    }();
    const std::string out = text::escape_controls(all);
    for (char ch : out) {
        auto u = static_cast<unsigned char>(ch);
        EXPECT_TRUE(u == '\n' || u == '\t' || (u >= 0x20 && u < 0x7f)) << int(u);
    }
}
