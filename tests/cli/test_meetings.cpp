// Meetings (SPEC Version 2): booked, listed by due and agenda at their start with their place,
// held or not, the note after, and one-to-ones counted only when held.

#include "harness.hpp"

using e2e::json;
using e2e::Sandbox;

namespace {

int one_to_ones(const Sandbox& s) {
    const json events = s.json_of({"events"});
    return events.at(0)["one_to_ones"].get<int>();
}

} // namespace

TEST(Meetings, BookedHeldAndFollowedUp) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    s.ok({"add", "Ann Lee", "--event", "Mixer", "--met", "2026-11-19 19:00"});
    std::string out = s.ok({"book", "ann", "thu 8am", "--where", "Café Nero", "--for", "45min"});
    EXPECT_EQ(out, "Booked 4: One-to-one with Ann Lee at Café Nero, Thu 2026-11-26 08:00 to 08:45 "
                   "(45min, in 6d)\n"
                   "Done 3: Arrange a one-to-one with Ann Lee (arranged)\n");
    // The meet step is done as arranged, with a touch; the meeting is not held yet.
    EXPECT_EQ(s.followups("ann", "meet")[0]["status"], "done");
    EXPECT_EQ(one_to_ones(s), 0);
    // due lists it at its start, with its place.
    json due = s.json_of({"due", "--within", "7d", "--kind", "meeting"});
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0]["due"], "2026-11-26T13:00:00Z");
    EXPECT_EQ(due[0]["title"], "One-to-one with Ann Lee at Café Nero");
    std::string agenda = s.ok({"agenda"});
    EXPECT_NE(agenda.find("Thu 2026-11-26\n  08:00-08:45   meeting  One-to-one with Ann Lee at "
                          "Café Nero  (#4)\n"),
              std::string::npos)
        << agenda;
    // Held: 50 minutes after its start, on its day, so on time; an in-person touch; the note
    // 24 hours after its end.
    s.at("2026-11-26T13:50:00Z");
    out = s.ok({"done", "4"});
    EXPECT_NE(out.find("Done 4: One-to-one with Ann Lee at Café Nero (on time)"), std::string::npos)
        << out;
    json touches = s.json_of({"show", "ann"})["interactions"];
    ASSERT_EQ(touches.size(), 2u);
    EXPECT_EQ(touches[0]["channel"], "in-person");
    EXPECT_EQ(touches[0]["direction"], "out");
    json notes = s.followups("ann", "note");
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_EQ(notes[1]["title"], "Thank Ann Lee for the meeting and send what you promised");
    EXPECT_EQ(notes[1]["due"], "2026-11-27T13:45:00Z"); // after the 24h note of the meeting
    EXPECT_EQ(one_to_ones(s), 1);
}

TEST(Meetings, NotHeldIsNotCountedAndBadInputIsRefused) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--event", "Mixer"});
    s.ok({"book", "ann", "tomorrow 9am"});
    s.ok({"skip", "4", "--reason", "cancelled"});
    EXPECT_EQ(one_to_ones(s), 0);
    e2e::Result r = s.run({"book", "ann", "tomorrow"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: book needs a time of day: 'tomorrow' is a whole day (try "
                            "'tomorrow 10am')");
    r = s.run({"book", "ann", "yesterday 9am"});
    EXPECT_EQ(r.status, 2);
    r = s.run({"book", "ann", "tomorrow 9am", "--for", "2d"});
    EXPECT_EQ(r.status, 2);
    r = s.run({"book", "nobody", "tomorrow 9am"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(s.json_of({"due", "--all", "--kind", "meeting"}).size(), 0u);
}

// Issue 33, item 5: a meeting that did not happen leaves a next step. Skipping it opens a
// "book again" step (kind `meet`) due response.rebook (2d) later; booking again moves the
// booked meeting and says so.
TEST(Meetings, SkippedMeetingOpensBookAgainAndBookingAgainMovesIt) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    s.ok({"add", "Ann Lee", "--event", "Mixer", "--met", "2026-11-19 19:00"});
    s.ok({"book", "ann", "mon 9am", "--where", "Café Nero"});
    // Booked again before it happens: the same meeting, moved, and said so.
    std::string out = s.ok({"book", "ann", "tue 10am"});
    EXPECT_EQ(out, "Moved meeting 4 from Mon 2026-11-23 09:00 (it was booked already)\n"
                   "Rebooked 4: One-to-one with Ann Lee at Café Nero, Tue 2026-11-24 10:00 to "
                   "11:00 (1h, in 4d)\n");
    json meetings = s.followups("ann", "meeting");
    ASSERT_EQ(meetings.size(), 1u);
    EXPECT_EQ(meetings[0]["due"], "2026-11-24T15:00:00Z");

    // It did not happen: skipped on Tuesday at noon, the book-again step is due Thursday noon.
    s.at("2026-11-24T17:00:00Z");
    out = s.ok({"skip", "4", "--reason", "they were ill"});
    EXPECT_NE(out.find("Skipped 4: One-to-one with Ann Lee at Café Nero\n"), std::string::npos)
        << out;
    EXPECT_NE(out.find("Book the one-to-one with Ann Lee again"), std::string::npos) << out;
    json meet = s.followups("ann", "meet");
    ASSERT_EQ(meet.size(), 2u);
    EXPECT_EQ(meet[0]["status"], "open");
    EXPECT_EQ(meet[0]["title"], "Book the one-to-one with Ann Lee again");
    EXPECT_EQ(meet[0]["due"], "2026-11-26T17:00:00Z");
    EXPECT_EQ(one_to_ones(s), 0);

    // Booking again closes it as arranged, like the 30-day step.
    out = s.ok({"book", "ann", "fri 9am"});
    EXPECT_NE(out.find("Done 5: Book the one-to-one with Ann Lee again (arranged)"),
              std::string::npos)
        << out;

    // response.rebook is configurable.
    s.at("2026-11-27T15:00:00Z");
    s.ok({"--set", "response.rebook=3d", "skip", "6"});
    meet = s.followups("ann", "meet");
    ASSERT_EQ(meet.size(), 3u);
    EXPECT_EQ(meet[0]["due"], "2026-11-30T15:00:00Z");
}

// Issue 33, item 5: a loop that ends says what stays open: archiving someone with an open
// `meet` step lists it (it is hidden from due while they are archived).
TEST(Meetings, ArchiveSaysWhatStaysOpen) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--plan", "none"});
    s.ok({"todo", "ann", "Arrange a coffee", "--by", "fri"});
    s.ok({"add", "Ben Ray", "--plan", "none"});
    std::string out = s.ok({"archive", "ann"});
    EXPECT_EQ(out, "Archived #1 Ann Lee\n"
                   "Still open, hidden from due while archived ('followup skip ID' closes one):\n"
                   "     1  custom   Arrange a coffee\n");
    EXPECT_EQ(s.ok({"archive", "ben"}), "Archived #2 Ben Ray\n");
    EXPECT_EQ(s.ok({"archive", "ann", "--undo"}), "Restored #1 Ann Lee\n");
}
