// Loops that cannot break (SPEC Version 2): each case of issue 9's first list through the real
// binary, with exact follow-ups, referral statuses, touches (with whom, which way) and stats.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

using e2e::json;
using e2e::Sandbox;

namespace {

/// The touches of a contact, newest first.
json touches(const Sandbox& s, const std::string& contact) {
    return s.json_of({"show", contact})["interactions"];
}

/// Every row of every table of the database, as text, for before/after comparisons.
std::string dump(const Sandbox& s) {
    if (e2e::on_postgres()) return s.state(); // every table, row by row
    SQLite::Database db(s.db().string(), SQLite::OPEN_READONLY);
    std::string out;
    SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                 "NOT IN ('undo_log', 'sqlite_sequence') ORDER BY name");
    while (tables.executeStep()) {
        std::string t = tables.getColumn(0).getString();
        out += "== " + t + "\n";
        SQLite::Statement rows(db, "SELECT * FROM " + t + " ORDER BY 1, 2");
        while (rows.executeStep()) {
            for (int i = 0; i < rows.getColumnCount(); ++i)
                out += (rows.getColumn(i).isNull() ? "NULL" : rows.getColumn(i).getString()) + "|";
            out += "\n";
        }
    }
    return out;
}

} // namespace

TEST(Loops, DoneOnAReferralStepMovesTheReferralAndAsksForTheReport) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    json step = s.followups("bob", "referral");
    ASSERT_EQ(step.size(), 1u);
    s.at("2026-11-20T15:00:00Z");
    std::string out = s.ok({"done", std::to_string(step[0]["id"].get<int>()), "--note", "Called"});
    EXPECT_NE(out.find("Referral 1 is now contacted"), std::string::npos) << out;
    EXPECT_EQ(s.json_of({"referrals"})[0]["status"], "contacted");
    json report = s.followups("ann", "report");
    ASSERT_EQ(report.size(), 1u);
    EXPECT_EQ(report[0]["status"], "open");
    EXPECT_EQ(report[0]["title"], "Tell Ann Lee how it went with Bob Stone");
    EXPECT_EQ(report[0]["due"], "2026-11-21T15:00:00Z"); // 24h after
    // The touch is with the prospect, outgoing; with the referrer only the lead itself (word
    // from Ann, incoming), no report yet.
    json bob = touches(s, "bob");
    ASSERT_EQ(bob.size(), 1u);
    EXPECT_EQ(bob[0]["direction"], "out");
    EXPECT_EQ(bob[0]["at"], "2026-11-20T15:00:00Z");
    json ann = touches(s, "ann");
    ASSERT_EQ(ann.size(), 1u);
    EXPECT_EQ(ann[0]["direction"], "in");
    EXPECT_EQ(ann[0]["at"], "2026-11-20T13:00:00Z");
}

TEST(Loops, WonClosesTheReportAndOneReportPerReferral) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    s.ok({"referral", "update", "1", "--status", "contacted"});
    s.at("2026-11-22T13:00:00Z");
    s.ok({"referral", "update", "1", "--status", "met"});
    json report = s.followups("ann", "report");
    ASSERT_EQ(report.size(), 1u) << report.dump(2); // retitled, not a second one
    EXPECT_EQ(report[0]["title"], "Tell Ann Lee that you met Bob Stone");
    EXPECT_EQ(report[0]["due"], "2026-11-23T13:00:00Z");
    // met is an in-person touch with the prospect.
    json bob = touches(s, "bob");
    ASSERT_EQ(bob.size(), 2u);
    EXPECT_EQ(bob[0]["channel"], "in-person");
    EXPECT_EQ(bob[0]["at"], "2026-11-22T13:00:00Z");
    s.at("2026-11-25T13:00:00Z");
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "1200"});
    report = s.followups("ann", "report");
    ASSERT_EQ(report.size(), 1u);
    EXPECT_EQ(report[0]["status"], "skipped");
    json thank = s.followups("ann", "thank");
    ASSERT_EQ(thank.size(), 1u);
    EXPECT_EQ(thank[0]["status"], "open");
    EXPECT_EQ(thank[0]["due"], "2026-11-26T13:00:00Z");
    EXPECT_EQ(touches(s, "bob")[0]["at"], "2026-11-25T13:00:00Z"); // won: a touch too
    // Nothing overdue is left behind.
    s.at("2026-12-20T13:00:00Z");
    json due = s.json_of({"due", "--overdue"});
    ASSERT_EQ(due.size(), 1u) << due.dump(2);
    EXPECT_EQ(due[0]["kind"], "thank");
}

TEST(Loops, DeclinedLogsNothingWithTheProspect) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    s.ok({"referral", "update", "1", "--status", "declined", "--note", "Not a fit for me"});
    EXPECT_TRUE(touches(s, "bob").empty());
    json step = s.followups("bob", "referral");
    ASSERT_EQ(step.size(), 1u);
    EXPECT_EQ(step[0]["status"], "skipped");
    json report = s.followups("ann", "report");
    ASSERT_EQ(report.size(), 1u);
    EXPECT_EQ(report[0]["title"], "Tell Ann Lee politely that you declined Bob Stone");
}

TEST(Loops, PassedOnToAMemberRecordsAGivenReferralWithItsCheckin) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    std::string out = s.ok({"referral", "update", "1", "--status", "passed", "--to", "Cleo Park"});
    EXPECT_NE(out.find("Referral 2: you referred Bob Stone to Cleo Park"), std::string::npos)
        << out;
    json given = s.json_of({"referrals", "--given"});
    ASSERT_EQ(given.size(), 1u);
    EXPECT_EQ(given[0]["prospect"], "Bob Stone");
    EXPECT_EQ(given[0]["member"], "Cleo Park");
    json checkin = s.followups("cleo", "checkin");
    ASSERT_EQ(checkin.size(), 1u);
    EXPECT_EQ(checkin[0]["due"], "2026-11-27T13:00:00Z");
    EXPECT_EQ(s.followups("ann", "report")[0]["title"],
              "Tell Ann Lee politely that you passed Bob Stone on");
    EXPECT_EQ(s.query("SELECT passed_from FROM referrals WHERE id = 2"), "1\n");
}

TEST(Loops, CheckinsRepeatUntilTheReferralEnds) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"referral", "give", "--to", "Mia Chen", "--prospect", "Cara Diaz"});
    s.at("2026-11-27T14:00:00Z");
    s.ok({"done", "1"}); // asked; no outcome yet
    json checkins = s.followups("mia", "checkin");
    ASSERT_EQ(checkins.size(), 2u);
    EXPECT_EQ(checkins[0]["status"], "open");
    EXPECT_EQ(checkins[0]["due"], "2026-12-04T14:00:00Z");
    s.ok({"referral", "update", "1", "--status", "lost"});
    checkins = s.followups("mia", "checkin");
    for (const auto& c : checkins)
        EXPECT_NE(c["status"], "open") << c.dump();
}

TEST(Loops, WaitingStepsAreIncomingAndTheirLatenessIsKeptApart) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Bob Chen", "--plan", "none"});
    s.ok({"promise", "bob", "the intro to Sam", "--by", "2026-11-21 13:00", "--theirs"});
    s.ok({"promise", "bob", "send the deck", "--by", "2026-11-22 13:00"});
    s.at("2026-11-23T07:00:00Z"); // theirs 37h late (due 13:00 EST = 18:00Z), ours 13h
    std::string out = s.ok({"done", "1"});
    EXPECT_NE(out.find("delivered 37h late, theirs"), std::string::npos) << out;
    s.ok({"done", "2"});
    json bob = touches(s, "bob");
    ASSERT_EQ(bob.size(), 2u);
    EXPECT_EQ(bob[1]["direction"], "in"); // the intro they delivered
    EXPECT_EQ(bob[0]["direction"], "out");
    json stats = s.json_of({"stats"});
    EXPECT_EQ(stats["done"], 1);
    EXPECT_EQ(stats["on_time"], 0);
    EXPECT_EQ(stats["kept_to_you"], 1);
    EXPECT_EQ(stats["kept_to_you_on_time"], 0);
    EXPECT_EQ(stats["median_their_lateness_seconds"], 37 * 3600);
    EXPECT_EQ(stats["median_lateness_seconds"], 13 * 3600);
}

TEST(Loops, ChaseCountsAndLastTouchEachWay) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Bob Chen", "--plan", "none", "--email", "bob@example.com"});
    s.ok({"promise", "bob", "the intro", "--by", "2026-11-21 13:00", "--theirs"});
    s.at("2026-11-22T13:00:00Z");
    std::string out = s.ok({"chase", "1"});
    EXPECT_NE(out.find("first chase"), std::string::npos) << out;
    s.at("2026-11-25T13:00:00Z");
    out = s.ok({"chase", "1", "--note", "Any news?"});
    EXPECT_NE(out.find("chase 2"), std::string::npos) << out;
    json f = s.followups("bob", "waiting")[0];
    EXPECT_EQ(f["due"], "2026-11-28T13:00:00Z");          // 3 days after the chase
    EXPECT_EQ(f["original_due"], "2026-11-21T18:00:00Z"); // kept for lateness
    json card = s.json_of({"show", "bob"});
    EXPECT_EQ(card["last_out"], "2026-11-25T13:00:00Z");
    EXPECT_TRUE(card["last_in"].is_null());
    std::string table = s.ok({"show", "bob"});
    EXPECT_NE(table.find("chased 2 times"), std::string::npos) << table;
    EXPECT_NE(table.find("Last in     never"), std::string::npos) << table;
    // contacts --no-reply lists Bob until he answers.
    s.at("2026-11-28T12:00:00Z");
    json silent = s.json_of({"contacts", "--no-reply", "2d"});
    ASSERT_EQ(silent.size(), 1u);
    s.at("2026-11-28T13:00:00Z");
    s.ok({"log", "bob", "--in", "--note", "Here it is"});
    EXPECT_TRUE(s.json_of({"contacts", "--no-reply", "2d"}).empty());
}

TEST(Loops, OneNoteOnSeveralFollowupsOfOneContactIsOneTouch) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--met", "2026-11-20 12:00"});
    s.ok({"done", "1-2", "--note", "Sent a note and connected"});
    json ann = touches(s, "ann");
    ASSERT_EQ(ann.size(), 1u);
    EXPECT_EQ(ann[0]["note"], "Sent a note and connected");
}

TEST(Loops, ManyContactsAtOnceAndCampaignReplies) {
    Sandbox s;
    s.at("2026-11-01T13:00:00Z");
    for (const char* n : {"Ann Lee", "Bob Chen", "Cara Diaz"})
        s.ok({"add", n, "--plan", "none", "--tag", "dormant"});
    s.at("2026-11-10T13:00:00Z");
    std::string out = s.ok({"log", "--tag", "dormant", "--campaign", "hey stranger"});
    EXPECT_NE(out.find("3 contacts touched"), std::string::npos) << out;
    s.at("2026-11-12T13:00:00Z");
    s.ok({"log", "ann", "--in", "--note", "Great to hear from you"});
    s.at("2026-11-30T13:00:00Z");
    s.ok({"log", "bob", "--in"}); // 20 days later: not a reply within 14 days
    json c = s.json_of({"campaigns"});
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0]["campaign"], "hey stranger");
    EXPECT_EQ(c[0]["touched"], 3);
    EXPECT_EQ(c[0]["replied"], 1);
    EXPECT_EQ(c[0]["no_reply"], json::array({"Bob Chen", "Cara Diaz"}));
    s.ok({"todo", "ann", "bob", "Send the slides", "--by", "2026-12-03"});
    EXPECT_EQ(s.json_of({"due", "--all", "--kind", "custom"}).size(), 2u);
}

TEST(Loops, UndoRevertsEveryTableAndRefusesAChangedRow) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--tag", "vip", "--every", "30d"});
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Bob Stone"});
    const std::vector<std::vector<std::string>> commands{
        {"done", "1", "--note", "Hi"},
        {"skip", "2"},
        {"snooze", "3", "--for", "2d"},
        {"log", "ann", "--in"},
        {"chase", "3"},
        {"todo", "ann", "Call", "--by", "tomorrow"},
        {"promise", "ann", "Intro", "--by", "tomorrow", "--theirs"},
        {"referral", "update", "1", "--status", "met"},
        {"referral", "give", "--to", "Ann Lee", "--prospect", "Cleo Park"},
        {"edit", "ann", "--company", "Acme", "--untag", "vip"},
        {"archive", "bob"},
        {"rm", "ann", "--yes"},
        {"add", "Dan Ng", "--event", "Mixer"},
        {"referral", "receive", "--from", "Ann Lee", "--prospect", "Eve Stone"},
        {"event", "add", "Breakfast Club", "--on", "2026-12-01"},
        {"log", "ann", "bob", "--note", "Two at once"},
    };
    for (const auto& cmd : commands) {
        SCOPED_TRACE(cmd[0]);
        const std::string before = dump(s);
        s.ok(cmd);
        ASSERT_NE(dump(s), before);
        std::string out = s.ok({"undo"});
        EXPECT_TRUE(out.starts_with("Undid followup " + cmd[0])) << out;
        EXPECT_EQ(dump(s), before);
    }
    // reopen too.
    s.ok({"done", "1"});
    {
        const std::string before = dump(s);
        s.ok({"reopen", "1"});
        ASSERT_NE(dump(s), before);
        s.ok({"undo"});
        EXPECT_EQ(dump(s), before);
    }
    // A row changed since: refused, nothing changed.
    s.ok({"snooze", "3", "--for", "1d"});
    s.ok({"done", "3"});
    if (e2e::on_postgres())
        (void)s.query("UPDATE followups SET done_at = done_at + 60 WHERE id = 3");
    else
        SQLite::Database(s.db().string(), SQLite::OPEN_READWRITE)
            .exec("UPDATE followups SET done_at = done_at + 60 WHERE id = 3");
    const std::string before = dump(s);
    e2e::Result r = s.run({"undo"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: cannot undo 'done 3': follow-up 3 has changed since; "
                            "nothing was changed");
    EXPECT_EQ(dump(s), before);
}

TEST(Loops, ReopenBringsAFollowupBackAndRemovesItsTouch) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--met", "2026-11-20 12:00"});
    s.at("2026-11-21T10:00:00Z");
    s.ok({"done", "1"});
    s.ok({"reopen", "1"});
    json f = s.followups("ann", "note")[0];
    EXPECT_EQ(f["status"], "open");
    EXPECT_TRUE(f["done_at"].is_null());
    EXPECT_TRUE(touches(s, "ann").empty());
    e2e::Result r = s.run({"reopen", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: follow-up 1 is open already");
}

TEST(Loops, AGoodUnixCitizen) {
    Sandbox s;
    e2e::Result r = s.run({"dua"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown command 'dua'; did you mean 'due'?");
    r = s.run({"due", "--ovrdue"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown flag '--ovrdue' for 'due'; did you mean "
                            "'--overdue'?");
    // Reading creates nothing, not even with a typo in the folder.
    // (A location given by --db that does not exist is named: SPEC Version 3, Locations.)
    EXPECT_EQ(s.run({"due"}).status, e2e::on_postgres() ? 0 : 1);
    EXPECT_FALSE(std::filesystem::exists(s.db()));
    Sandbox t;
    t.use_db_flag = false;
    r = t.run({"--db", (t.dir() / "typo" / "sub" / "x.db").string(), "due"});
    EXPECT_EQ(r.status, 1) << r.err;
    r = t.run({"--db", (t.dir() / "typo" / "sub" / "x.db").string(), "add", "X"});
    EXPECT_EQ(r.status, 1);
    EXPECT_FALSE(std::filesystem::exists(t.dir() / "typo"));
    // Ids are never used twice.
    s.ok({"add", "Ann Lee", "--plan", "none"});
    s.ok({"add", "Bob Chen", "--plan", "none"});
    s.ok({"rm", "bob", "--yes"});
    std::string out = s.ok({"add", "Cara Diaz", "--plan", "none"});
    EXPECT_TRUE(out.starts_with("Added #3 Cara Diaz")) << out;
}

TEST(Loops, UsageErrorsNameTheHelpOfTheirCommand) {
    Sandbox s;
    // As in git, `help COMMAND` is `COMMAND --help`; global options before it stay.
    e2e::Result help = s.run({"due", "--help"});
    ASSERT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("--fail-if-overdue"), std::string::npos) << help.out;
    e2e::Result r = s.run({"help", "due"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, help.out);
    r = s.run({"--no-color", "help", "referral", "give"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, s.run({"referral", "give", "--help"}).out);
    r = s.run({"help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, s.run({"--help"}).out);
    r = s.run({"help", "dew"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown command 'dew'");
    // A swap of two letters is one edit.
    r = s.run({"shwo", "jane"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown command 'shwo'; did you mean 'show'?");
    // A command group without its subcommand lists them.
    r = s.run({"referral"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: 'followup referral' needs a subcommand: receive, give, update "
                     "(see 'followup referral --help')\n");
    r = s.run({"event"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(),
              "followup: 'followup event' needs a subcommand: add (see 'followup event --help')");
    // A missing argument or one too many: one line, lower case, the command's own help.
    r = s.run({"done"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: ID is required (see 'followup done --help')\n");
    r = s.run({"due", "extra"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: the following argument was not expected: extra (see 'followup "
                     "due --help')\n");
    EXPECT_FALSE(std::filesystem::exists(s.db()));
}

TEST(Loops, ImportUsesTheConfiguredBirthdayLeadTimeAndCanBeUndone) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    const std::string file = std::string(FOLLOWUP_TEST_DATA) + "/import/google_current.csv";
    s.ok({"--set", "response.birthday=10d", "import", file});
    // Carla's birthday is 12 April: the card is due 10 days before, end of day (not 5).
    json due = s.json_of({"due", "--all", "--kind", "birthday", "--contact", "Carla"});
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0]["due"], "2027-04-03T03:59:59Z");
    std::string out = s.ok({"undo"});
    EXPECT_TRUE(out.starts_with("Undid followup import ")) << out;
    EXPECT_TRUE(s.json_of({"contacts"}).empty());
}

// Issue 33, item 4: two kinds of moving a date. Plain snooze hides a step and keeps its
// lateness (counted from the original deadline); a date agreed with the person (`--agreed`) is
// the new deadline, and lateness counts from it.
TEST(Loops, AgreedSnoozeMovesTheDeadlineForLateness) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    s.ok({"add", "Ann Lee", "--plan", "none"});
    s.ok({"add", "Ben Ray", "--plan", "none"});
    s.ok({"promise", "ann", "Send the deck", "--by", "2026-11-23 12:00"}); // 1
    s.ok({"promise", "ben", "Send the deck", "--by", "2026-11-23 12:00"}); // 2
    std::string out = s.ok({"snooze", "1", "--until", "2026-11-29 12:00", "--agreed"});
    EXPECT_EQ(out, "Moved 1 to Sun 2026-11-29 12:00: Send the deck (agreed: lateness counts "
                   "from the new deadline)\n");
    out = s.ok({"snooze", "2", "--for", "6d"});
    EXPECT_EQ(out, "Snoozed 2 to Sun 2026-11-29 12:00: Send the deck (first due Mon 2026-11-23 "
                   "12:00)\n");
    json ann = s.followups("ann", "promise");
    EXPECT_EQ(ann[0]["due"], "2026-11-29T17:00:00Z");
    EXPECT_EQ(ann[0]["original_due"], "2026-11-29T17:00:00Z");
    json ben = s.followups("ben", "promise");
    EXPECT_EQ(ben[0]["due"], "2026-11-29T17:00:00Z");
    EXPECT_EQ(ben[0]["original_due"], "2026-11-23T17:00:00Z");

    // Both kept on the Saturday: the agreed one is on time, the snoozed one 5 days late.
    s.at("2026-11-28T17:00:00Z");
    out = s.ok({"done", "1", "2"});
    EXPECT_NE(out.find("Done 1: Send the deck (on time)"), std::string::npos) << out;
    EXPECT_NE(out.find("Done 2: Send the deck (5d late)"), std::string::npos) << out;
    json st = s.json_of({"stats"});
    EXPECT_EQ(st["done"], 2);
    EXPECT_EQ(st["on_time"], 1);

    // --for DURATION --agreed likewise.
    s.ok({"promise", "ann", "Call back", "--by", "2026-11-29 12:00"}); // 3
    s.ok({"snooze", "3", "--for", "2d", "--agreed"});
    json call = s.followups("ann", "promise");
    EXPECT_EQ(call[0]["due"], "2026-12-01T17:00:00Z");
    EXPECT_EQ(call[0]["original_due"], "2026-12-01T17:00:00Z");
}

// Issue 33, item 9: a keep-in-touch cadence for several people at once.
TEST(Loops, EditSeveralContactsEvery) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    for (const char* name : {"Ann Lee", "Ben Ray", "Cal Ortiz"})
        s.ok({"add", name, "--plan", "none"});
    s.ok({"edit", "ann", "ben", "cal", "--every", "1m"});
    for (const char* who : {"ann", "ben", "cal"}) {
        EXPECT_EQ(s.json_of({"show", who})["every_days"], 30) << who;
        EXPECT_EQ(s.followups(who, "reconnect").size(), 1u) << who;
    }
    // Anything else still takes one contact, and nothing is written.
    std::string before = s.state();
    e2e::Result r = s.run({"edit", "ann", "ben", "--company", "Acme"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(),
              "followup: several contacts at once take only --tag, --untag and --every");
    EXPECT_EQ(s.state(), before);
}

// Issue 33, item 6: history without noise. Met longer ago than the plan's last step, add plans
// none of its (past) steps and says so; met recently enough, the plan stands, overdue steps and
// all.
TEST(Loops, AddMetLongAgoPlansNoPastSteps) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    std::string out = s.ok({"add", "Helen Troy", "--met", "2014-06-03"});
    EXPECT_EQ(out, "Added #1 Helen Troy, met Tue 2014-06-03\n"
                   "No follow-ups planned: met longer ago than plan 24/7/30 reaches (its 3 steps "
                   "would all be past). Keep in touch with --every (such as 3m).\n");
    EXPECT_TRUE(s.json_of({"show", "helen"})["followups"].empty());
    EXPECT_EQ(s.json_of({"show", "helen"})["met"], "2014-06-03T04:00:00Z");

    // With a cadence, the keep-in-touch step is what it plans.
    out = s.ok({"add", "Ivan Old", "--met", "2014-06-03", "--every", "3m"});
    EXPECT_NE(out.find("No follow-ups planned: met longer ago than plan 24/7/30 reaches (its 3 "
                       "steps would all be past).\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("Keeping in touch every 90 days"), std::string::npos) << out;
    EXPECT_EQ(s.followups("ivan", "reconnect").size(), 1u);
    EXPECT_TRUE(s.followups("ivan", "note").empty());

    // Met ten days ago: the 30-day step is still ahead, so the whole plan stands.
    s.ok({"add", "Jo Recent", "--met", "2026-11-10"});
    EXPECT_EQ(s.json_of({"show", "jo"})["followups"].size(), 3u);
}

// Issue 33, item 7: the 7-day step fits the person. Someone with no social profile who is
// reached another way (SMS, post, a gamer on Discord) gets "add them to your contacts" that way,
// never a people-search on LinkedIn; `edit --profile` re-plans the open step; social.fallback
// = "none" plans no step for them, "search" the old people-search.
TEST(Loops, TheSevenDayStepFitsThePerson) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    auto connect = [&](const std::string& who) { return s.followups(who, "connect"); };
    s.ok({"add", "Sam Text", "--via", "sms", "--phone", "+1 555 0101"});
    ASSERT_EQ(connect("sam").size(), 1u);
    EXPECT_EQ(connect("sam")[0]["title"], "Exchange numbers with Sam Text on SMS");
    EXPECT_EQ(connect("sam")[0]["channel"], "sms");
    s.ok({"add", "Pat Post", "--address", "14 Elm Road, Springfield"});
    EXPECT_EQ(connect("pat")[0]["title"], "Add Pat Post's address to your contacts");
    s.ok({"--set", "channels.custom=discord", "add", "Gus Gamer", "--profile", "discord:gus#1"});
    EXPECT_EQ(connect("gus")[0]["title"], "Add Gus Gamer as a contact on discord");
    // An email only: the people-search on the first network, as before.
    s.ok({"add", "Eve Mail", "--email", "eve@example.com"});
    EXPECT_EQ(connect("eve")[0]["title"], "Connect with Eve Mail on LinkedIn");
    json due = s.json_of({"due", "--all", "--kind", "connect"});
    for (const auto& f : due) {
        if (f["contact"] == "Eve Mail") continue;
        std::string link = f["link"].is_string() ? f["link"].get<std::string>() : "";
        EXPECT_EQ(link.find("linkedin.com/search"), std::string::npos) << f.dump();
    }

    // A profile on a social network later: the open step moves there.
    s.ok({"edit", "sam", "--profile", "linkedin:https://www.linkedin.com/in/samtext"});
    EXPECT_EQ(connect("sam")[0]["title"], "Connect with Sam Text on LinkedIn");
    EXPECT_EQ(connect("sam")[0]["channel"], "linkedin");
    // A Discord handle for someone else reached by nothing yet: the step follows it.
    s.ok({"add", "Dee Nobody"});
    EXPECT_EQ(connect("dee")[0]["title"], "Connect with Dee Nobody on LinkedIn");
    s.ok({"--set", "channels.custom=discord", "edit", "dee", "--profile", "discord:dee"});
    EXPECT_EQ(connect("dee")[0]["title"], "Add Dee Nobody as a contact on discord");

    // Configurable: none plans no step for them; search keeps the people-search.
    s.ok({"--set", "social.fallback=none", "add", "Tom Phone", "--phone", "+1 555 0102"});
    EXPECT_TRUE(connect("tom").empty());
    EXPECT_EQ(s.followups("tom", "note").size(), 1u);
    s.ok({"--set", "social.fallback=search", "add", "Una Phone", "--phone", "+1 555 0103"});
    EXPECT_EQ(connect("una")[0]["title"], "Connect with Una Phone on LinkedIn");
    e2e::Result r = s.run({"--set", "social.fallback=maybe", "add", "Vic"});
    EXPECT_EQ(r.status, 2);
}

// Issue 33, item 6: an import uses the file's own dates. LinkedIn's "Connected On" is when
// each person was met (and the last touch); nothing is planned for them.
TEST(Loops, ImportUsesTheFilesOwnDates) {
    Sandbox s;
    s.at("2026-12-07T15:00:00Z");
    s.ok({"import", std::string(FOLLOWUP_TEST_DATA) + "/import/linkedin.csv"});
    json ann = s.json_of({"show", "ann"});
    EXPECT_EQ(ann["met"], "2026-06-15T04:00:00Z"); // 15 Jun 2026, 00:00 EDT
    EXPECT_EQ(ann["last_touch"], "2026-06-16T03:59:59Z");
    EXPECT_TRUE(ann["followups"].empty());
    std::string stale = s.ok({"contacts", "--stale", "90d"});
    EXPECT_NE(stale.find("Ann Lee"), std::string::npos) << stale;
    EXPECT_EQ(stale.find("Bob Stone"), std::string::npos) << stale;
}
