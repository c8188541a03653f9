#include <followup/util/text.hpp>
#include <gtest/gtest.h>

using namespace followup;

TEST(Text, FoldIgnoresCaseAndAccents) {
    EXPECT_EQ(text::fold("José Álvarez"), "jose alvarez");
    EXPECT_EQ(text::fold("ŁUKASZ Żółć"), "lukasz zolc");
    EXPECT_EQ(text::fold("Straße"), "strasse");
    EXPECT_EQ(text::fold("Jose\xCC\x81"), "jose"); // e + combining acute accent
    EXPECT_EQ(text::fold("ДМИТРИЙ"), "дмитрии");   // й is и with a breve: marks go
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

TEST(Text, EscapeControlsShowsInvisibleMarksSeparatorsAndZeroWidthCharacters) {
    // Issue 34 item 4: direction marks, zero-width characters and the line and paragraph
    // separators reorder, hide or break a line as much as the bidi overrides do.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"\u200E", "\\u200e"}, {"\u200F", "\\u200f"}, {"\u061C", "\\u061c"}, {"\u200B", "\\u200b"},
        {"\u200C", "\\u200c"}, {"\u200D", "\\u200d"}, {"\u2060", "\\u2060"}, {"\uFEFF", "\\ufeff"},
        {"\u2028", "\\u2028"}, {"\u2029", "\\u2029"}, {"\u180E", "\\u180e"}, {"\u2064", "\\u2064"}};
    for (const auto& [raw, shown] : cases) {
        EXPECT_EQ(text::escape_controls("Ann" + raw + "Lee"), "Ann" + shown + "Lee") << shown;
        EXPECT_EQ(text::terminal_safe_prefix("Ann" + raw + "Lee"), 3u) << shown;
    }
    // Their neighbours stay: the en dash U+2013, the ellipsis U+2026, the narrow no-break space
    // U+202F, the Arabic comma U+060C.
    for (std::string ok : {"\u2013", "\u2026", "\u202F", "\u060C", "\u2070"})
        EXPECT_EQ(text::escape_controls("a" + ok + "b"), "a" + ok + "b");
}

TEST(Text, CellChecksLookAtEveryByteOfALongText) {
    // width() and is_one_line() look at plain ASCII eight bytes at a time: a byte that is not
    // plain, or a double blank, counts wherever it falls in a word or in the tail.
    const std::string plain = "Send the article on pricing to Person 562";
    EXPECT_TRUE(text::is_one_line(plain));
    EXPECT_EQ(text::width(plain), plain.size());
    for (std::size_t at = 1; at < plain.size(); ++at) {
        SCOPED_TRACE(::testing::Message() << "at " << at);
        std::string wide = plain;
        wide.insert(at, "\xe6\x97\xa5"); // 日: two columns for three bytes
        EXPECT_EQ(text::width(wide), plain.size() + 2);
        EXPECT_TRUE(text::is_one_line(wide));
        for (std::string_view bad : {"\n", "\t", "\x1b", "\x7f", "  "}) {
            std::string text = plain;
            text.insert(at, bad);
            EXPECT_FALSE(text::is_one_line(text));
            EXPECT_EQ(text::one_line(text).find_first_of("\n\t\x1b\x7f"), std::string::npos);
        }
    }
    EXPECT_FALSE(text::is_one_line(" " + plain));
    EXPECT_FALSE(text::is_one_line(plain + " "));
    EXPECT_TRUE(text::is_one_line(""));
}

TEST(Text, NearestCountsASwapOfNeighboursAsOneEdit) {
    const std::vector<std::string> commands = {"due", "done", "show", "snooze", "contacts"};
    EXPECT_EQ(text::nearest("shwo", commands), "show"); // swapped: one edit
    EXPECT_EQ(text::nearest("dua", commands), "due");   // replaced
    EXPECT_EQ(text::nearest("Contcats", commands), "contacts");
    EXPECT_EQ(text::nearest("snoze", commands), "snooze"); // missing
    EXPECT_EQ(text::nearest("dew", commands), "");         // two edits in three letters: none
    EXPECT_EQ(text::nearest("xyz", commands), "");
    EXPECT_EQ(text::nearest("cont", commands), "contacts"); // a prefix
}

TEST(Text, TerminalSafePrefixStopsWhereEscapeControlsWouldChangeSomething) {
    // The output of a command is written as it is when the whole of it is safe (Context::print),
    // so the prefix must end exactly at the first byte escape_controls changes: wherever a
    // control, a C1 or bidi character or a broken sequence falls, UTF-8 of 2 to 4 bytes across
    // the eight-byte words included.
    const std::string plain = "Ann\tJos\xc3\xa9 \xe4\xb8\xad\xf0\x9f\x98\x80 ok\n";
    EXPECT_EQ(text::terminal_safe_prefix(plain + plain), 2 * plain.size());
    EXPECT_EQ(text::terminal_safe_prefix(""), 0u);
    for (std::string_view bad :
         {"\x1b", "\x7f", "\r", "\xc2\x9b", "\xe2\x80\xae", "\xff", "\xc3", "\xed\xa0\x80"}) {
        for (std::size_t at = 0; at <= plain.size(); ++at) {
            std::string text = plain + plain;
            text.insert(at, bad);
            const std::size_t safe = text::terminal_safe_prefix(text);
            SCOPED_TRACE(::testing::Message() << "at " << at);
            // Cut inside a sequence of the plain text, the byte may start being unsafe earlier.
            EXPECT_LE(safe, at);
            EXPECT_NE(text::escape_controls(text), text);
            EXPECT_EQ(text::escape_controls(text.substr(0, safe)), text.substr(0, safe));
            EXPECT_EQ(text::escape_controls(text).substr(0, safe), text.substr(0, safe));
        }
    }
    // Harmless UTF-8 sequences that end exactly at, or run over, the end of an eight-byte word.
    for (std::size_t pad = 0; pad < 8; ++pad) {
        const std::string text = std::string(pad, 'a') + "\xf0\x9f\x98\x80\xe4\xb8\xad" + plain;
        EXPECT_EQ(text::terminal_safe_prefix(text), text.size()) << "pad " << pad;
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
    // C1 controls (U+009B is CSI), bidi overrides and isolates; U+200F (a mark) too since
    // issue 34 (it used to stay).
    EXPECT_EQ(text::escape_controls("a\xc2\x9b"
                                    "31mb\xc2\x80"),
              "a\\u009b31mb\\u0080");
    EXPECT_EQ(text::escape_controls("\u202Etxt.exe\u202C \u2066x\u2069 \u200F"),
              "\\u202etxt.exe\\u202c \\u2066x\\u2069 \\u200f");
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
