#include <followup/interchange/ical.hpp>
#include <followup/util/text.hpp>
#include <gtest/gtest.h>

using namespace followup;

namespace {

Instant utc(const char* s) {
    return *parse_utc(s);
}

Followup sample() {
    Followup f;
    f.id = 7;
    f.uuid = "3f2c8e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    f.contact_id = 3;
    f.contact = "Ann Lee";
    f.kind = Kind::note;
    f.title = "Send a note to Ann Lee";
    f.due = utc("2026-11-21T23:59:59Z");
    f.original_due = f.due;
    f.created = utc("2026-11-20T08:00:00Z");
    f.channel = "linkedin";
    f.handle = "https://www.linkedin.com/in/ann-lee";
    f.note = "Mention the talk, and the slides; ask about Q1";
    return f;
}

IcsOptions options(bool todo = false) {
    IcsOptions o;
    o.todo = todo;
    o.stamp = utc("2026-11-20T10:00:00Z");
    return o;
}

/// Joins folded lines (CR LF and one blank).
std::string unfold(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 2 < s.size() && s[i + 1] == '\n' &&
            (s[i + 2] == ' ' || s[i + 2] == '\t')) {
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

/// The logical lines of an .ics text.
std::vector<std::string> lines(const std::string& ics) {
    std::vector<std::string> out;
    std::string u = unfold(ics);
    std::size_t pos = 0;
    while (pos < u.size()) {
        auto end = u.find("\r\n", pos);
        if (end == std::string::npos) end = u.size();
        out.push_back(u.substr(pos, end - pos));
        pos = end + 2;
    }
    return out;
}

bool has(const std::vector<std::string>& ls, const std::string& line) {
    return std::find(ls.begin(), ls.end(), line) != ls.end();
}

/// Every line ends with CR LF, is at most 75 octets and holds whole UTF-8 characters.
void expect_well_folded(const std::string& ics) {
    ASSERT_FALSE(ics.empty());
    ASSERT_TRUE(ics.ends_with("\r\n"));
    std::size_t pos = 0;
    while (pos < ics.size()) {
        auto end = ics.find("\r\n", pos);
        ASSERT_NE(end, std::string::npos);
        std::string_view line(ics.data() + pos, end - pos);
        EXPECT_EQ(line.find_first_of("\r\n"), std::string_view::npos) << line;
        EXPECT_LE(line.size(), 75u) << line;
        if (line.starts_with(" ")) line.remove_prefix(1);
        EXPECT_TRUE(text::valid_utf8(line)) << line;
        pos = end + 2;
    }
}

} // namespace

TEST(Ical, EventLines) {
    std::string ics = write_ics({sample()}, options());
    expect_well_folded(ics);
    auto ls = lines(ics);
    const std::vector<std::string> expected{
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//followup//followup 0.1//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "UID:3f2c8e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6@followup",
        "DTSTAMP:20261120T100000Z",
        "SUMMARY:Send a note to Ann Lee",
        "DESCRIPTION:Contact: Ann Lee\\nChannel: LinkedIn "
        "https://www.linkedin.com/in/ann-lee\\nLink: https://www.linkedin.com/in/ann-lee\\nKind: "
        "note\\nMention the talk\\, and the slides\\; ask about Q1",
        "CATEGORIES:followup,note",
        "URL:https://www.linkedin.com/in/ann-lee",
        "DTSTART:20261121T235959Z",
        "DURATION:PT15M",
        "TRANSP:TRANSPARENT",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    };
    EXPECT_EQ(ls, expected);
}

TEST(Ical, UidIsStableAcrossExports) {
    IcsOptions later = options();
    later.stamp = utc("2027-01-01T00:00:00Z");
    Followup moved = sample();
    moved.due = utc("2026-12-01T12:00:00Z");
    auto a = lines(write_ics({sample()}, options()));
    auto b = lines(write_ics({moved}, later));
    EXPECT_TRUE(has(a, "UID:3f2c8e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6@followup"));
    EXPECT_TRUE(has(b, "UID:3f2c8e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6@followup"));
    EXPECT_TRUE(has(b, "DTSTART:20261201T120000Z"));
    EXPECT_TRUE(has(b, "DTSTAMP:20270101T000000Z"));
}

TEST(Ical, SummaryNamesTheContactWhenTheTitleDoesNot) {
    Followup f = sample();
    f.title = "Send the deck";
    f.channel = "email";
    f.handle = "ann@example.com";
    f.note.clear();
    auto ls = lines(write_ics({f}, options()));
    EXPECT_TRUE(has(ls, "SUMMARY:Send the deck (Ann Lee)"));
    EXPECT_TRUE(has(ls, "DESCRIPTION:Contact: Ann Lee\\nChannel: email ann@example.com\\nLink: "
                        "mailto:ann@example.com\\nKind: note"));
    for (const auto& l : ls)
        EXPECT_FALSE(l.starts_with("URL:")) << l; // mailto: is no web link
    f.title = "Thank ann lee for the intro";      // the name in other case counts
    EXPECT_TRUE(has(lines(write_ics({f}, options())), "SUMMARY:Thank ann lee for the intro"));
}

TEST(Ical, TodoStatuses) {
    Followup open = sample(), done = sample(), skipped = sample();
    done.uuid = "d";
    done.status = Status::done;
    done.done_at = utc("2026-11-21T09:00:00Z");
    skipped.uuid = "s";
    skipped.status = Status::skipped;
    std::string ics = write_ics({open, done, skipped}, options(true));
    expect_well_folded(ics);
    auto ls = lines(ics);
    EXPECT_EQ(std::count(ls.begin(), ls.end(), "BEGIN:VTODO"), 3);
    EXPECT_FALSE(has(ls, "BEGIN:VEVENT"));
    EXPECT_EQ(std::count(ls.begin(), ls.end(), "DUE:20261121T235959Z"), 3);
    EXPECT_TRUE(has(ls, "STATUS:NEEDS-ACTION"));
    EXPECT_TRUE(has(ls, "STATUS:COMPLETED"));
    EXPECT_TRUE(has(ls, "COMPLETED:20261121T090000Z"));
    EXPECT_TRUE(has(ls, "STATUS:CANCELLED"));
    for (const auto& l : ls) {
        EXPECT_FALSE(l.starts_with("DTSTART")) << l;
        EXPECT_FALSE(l.starts_with("DURATION")) << l;
    }
}

TEST(Ical, EmptyListIsAValidCalendar) {
    std::string ics = write_ics({}, options());
    EXPECT_EQ(ics, "BEGIN:VCALENDAR\r\n"
                   "VERSION:2.0\r\n"
                   "PRODID:-//followup//followup 0.1//EN\r\n"
                   "CALSCALE:GREGORIAN\r\n"
                   "METHOD:PUBLISH\r\n"
                   "END:VCALENDAR\r\n");
}

TEST(Ical, LongUnicodeTitlesFoldWithoutSplittingCharacters) {
    for (const char* unit : {"日本語", "🎉", "aé日🎉", "x🎉"}) {
        Followup f = sample();
        f.title.clear();
        while (f.title.size() < 900)
            f.title += unit; // about 300 characters or more
        f.title += " Ann Lee";
        f.note = f.title;
        std::string ics = write_ics({f}, options());
        expect_well_folded(ics);
        EXPECT_TRUE(has(lines(ics), "SUMMARY:" + f.title)) << unit;
        EXPECT_EQ(ics.find("X-LIC-ERROR"), std::string::npos);
    }
}

TEST(Ical, ManyFollowups) {
    std::vector<Followup> fs;
    for (int i = 0; i < 2000; ++i) {
        Followup f = sample();
        f.uuid = "u" + std::to_string(i);
        fs.push_back(f);
    }
    auto ls = lines(write_ics(fs, options()));
    EXPECT_EQ(std::count(ls.begin(), ls.end(), "BEGIN:VEVENT"), 2000);
    EXPECT_TRUE(has(ls, "UID:u1999@followup"));
}
