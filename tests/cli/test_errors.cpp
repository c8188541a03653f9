// Errors: exit status, the stderr line, and a database left byte-for-byte as it was.

#include "harness.hpp"

#include <cstdlib>

using e2e::json;
using e2e::Sandbox;

namespace {

/// A database with a few contacts, so that failures have something to leave alone.
void seed(Sandbox& s) {
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza", "--company", "Acme", "--email", "ana@acme.example"});
    s.ok({"add", "Ana Lima", "--company", "Globex"});
    s.ok({"add", "José Álvarez", "--event", "Chamber Mixer"});
    s.at("2026-11-20T13:00:00Z");
}

/// Runs a failing command; checks its status, the stderr prefix, that `needle` is named in the
/// first line, and that the database did not change (Sandbox::state: on SQLite neither the main
/// file nor the write-ahead log, where followup keeps recent commits between commands).
e2e::Result expect_failure(const Sandbox& s, const std::vector<std::string>& args, int status,
                           const std::string& needle) {
    const std::string before = s.state();
    EXPECT_FALSE(before.empty());
    e2e::Result r = s.run(args);
    EXPECT_EQ(r.status, status) << r.out << r.err;
    EXPECT_TRUE(r.err_line().starts_with("followup: ")) << r.err;
    EXPECT_NE(r.err_line().find(needle), std::string::npos) << r.err;
    EXPECT_EQ(s.state(), before) << "the database changed";
    return r;
}

} // namespace

TEST(Errors, UnparseableDate) {
    Sandbox s;
    seed(s);
    e2e::Result r = expect_failure(s, {"todo", "Ana Souza", "Call", "--by", "next blursday"}, 2,
                                   "invalid date 'next blursday'");
    EXPECT_EQ(r.out, "");
    for (const std::string bad : {"2026-13-01", "2026-02-30", "25:00", "tomorow", "13pm",
                                  "2026-12-01T14:30:00+25:00", "in weeks", "3 fortnites"})
        expect_failure(s, {"todo", "Ana Souza", "Call", "--by", bad}, 2, "'" + bad + "'");
    expect_failure(s, {"add", "New Person", "--met", "someday"}, 2, "invalid date 'someday'");
    expect_failure(s, {"snooze", "1", "--until", "later"}, 2, "invalid date 'later'");
    expect_failure(s, {"done", "1", "--at", "whenever"}, 2, "invalid date 'whenever'");
    expect_failure(s, {"snooze", "1", "--for", "a while"}, 2, "'a while'");
    expect_failure(s, {"due", "--within", "soon"}, 2, "'soon'");
}

TEST(Errors, UnknownContact) {
    Sandbox s;
    seed(s);
    e2e::Result r = expect_failure(s, {"show", "Zed"}, 1, "no contact matches 'Zed'");
    EXPECT_EQ(r.err_line(), "followup: no contact matches 'Zed'");
    expect_failure(s, {"todo", "Zed", "Call", "--by", "tomorrow"}, 1, "'Zed'");
    expect_failure(s, {"archive", "Zed"}, 1, "'Zed'");
    expect_failure(s, {"rm", "Zed", "--yes"}, 1, "'Zed'");
    expect_failure(s, {"edit", "#99", "--company", "X"}, 1, "99");
    expect_failure(s, {"done", "99"}, 1, "99");
}

TEST(Errors, AmbiguousNameListsTheCandidates) {
    Sandbox s;
    seed(s);
    e2e::Result r = expect_failure(s, {"todo", "ana", "Call", "--by", "tomorrow"}, 1, "'ana'");
    EXPECT_TRUE(r.err_line().starts_with("followup: 'ana' matches 2 contacts")) << r.err;
    // One indented line per candidate, "#ID NAME (COMPANY)".
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < r.err.size()) {
        std::size_t end = r.err.find('\n', start);
        if (end == std::string::npos) end = r.err.size();
        lines.push_back(r.err.substr(start, end - start));
        start = end + 1;
    }
    ASSERT_EQ(lines.size(), 3u) << r.err;
    std::vector<std::string> candidates{lines[1], lines[2]};
    std::sort(candidates.begin(), candidates.end());
    EXPECT_EQ(candidates[0], "  #1 Ana Souza (Acme)");
    EXPECT_EQ(candidates[1], "  #2 Ana Lima (Globex)");
    EXPECT_EQ(r.out, "");
}

TEST(Errors, ExactFullNameWinsOverPartialMatches) {
    Sandbox s;
    seed(s);
    s.ok({"add", "Ana", "--plan", "none"});
    json ana = s.json_of({"show", "ana"});
    EXPECT_EQ(ana["id"], 4);
    EXPECT_EQ(ana["name"], "Ana");
    EXPECT_EQ(s.json_of({"show", "souza"})["id"], 1);
    EXPECT_EQ(s.json_of({"show", "#2"})["name"], "Ana Lima");
    EXPECT_EQ(s.json_of({"show", "2"})["name"], "Ana Lima");
}

TEST(Errors, AccentAndCaseInsensitiveLookup) {
    Sandbox s;
    seed(s);
    for (const std::string ref :
         {"jose", "JOSE", "alvarez", "ÁLVAREZ", "José Álvarez", "jose alvarez", "Jose\xcc\x81"})
        EXPECT_EQ(s.json_of({"show", ref})["name"], "José Álvarez") << ref;
    EXPECT_EQ(s.json_of({"contacts", "alvarez"}).size(), 1u);
}

TEST(Errors, UnknownFlag) {
    Sandbox s;
    seed(s);
    e2e::Result r = expect_failure(s, {"due", "--bogus"}, 2, "--bogus");
    EXPECT_EQ(r.out, "");
    expect_failure(s, {"add", "Someone", "--colour", "red"}, 2, "--colour");
    expect_failure(s, {"frobnicate"}, 2, "frobnicate");
}

TEST(Errors, BadValuesAreUsageErrors) {
    Sandbox s;
    seed(s);
    expect_failure(s, {"due", "--format", "xml"}, 2, "xml");
    expect_failure(s, {"due", "--kind", "nap"}, 2, "nap");
    expect_failure(s, {"add", "Someone", "--plan", "1/2/3"}, 2, "1/2/3");
    expect_failure(s, {"done", "abc"}, 2, "abc");
    expect_failure(s, {"edit", "Ana Souza", "--untag", "nothere"}, 2, "nothere");
}

TEST(Errors, RmWithoutYesOffATerminalDeletesNothing) {
    Sandbox s;
    seed(s);
    expect_failure(s, {"rm", "Ana Souza"}, 2, "--yes");
    EXPECT_EQ(s.json_of({"contacts"}).size(), 3u);
}

TEST(Errors, EventAddTwiceFails) {
    Sandbox s;
    seed(s);
    expect_failure(s, {"event", "add", "Chamber Mixer"}, 1, "Chamber Mixer");
    expect_failure(s, {"event", "add", "chamber mixer"}, 1, "Chamber Mixer");
}

TEST(Errors, AlreadyDoneIsAFailure) {
    Sandbox s;
    seed(s);
    s.ok({"done", "1"});
    expect_failure(s, {"done", "1"}, 1, "1");
    // All or nothing: 2 is open, 1 is not; 2 must stay open.
    expect_failure(s, {"done", "2", "1"}, 1, "1");
    expect_failure(s, {"skip", "2", "1"}, 1, "1");
    expect_failure(s, {"snooze", "2", "1", "--for", "1d"}, 1, "1");
    json card = s.json_of({"show", "#1"});
    for (const auto& f : card["followups"])
        EXPECT_EQ(f["status"], f["id"] == 1 ? "done" : "open") << f.dump();
}

TEST(Errors, UnknownIdInABatchWritesNothing) {
    Sandbox s;
    seed(s);
    expect_failure(s, {"done", "2", "99"}, 1, "99");
    expect_failure(s, {"skip", "2", "99"}, 1, "99");
    EXPECT_EQ(s.json_of({"due", "--all", "--contact", "#1"}).size(), 3u);
}

TEST(Errors, FailingCommandDoesNotCreateADatabase) {
    // "An error ... writes nothing to the database": a failing command must not leave a new
    // database file behind either (e.g. a typo in --db followed by a lookup that fails).
    Sandbox s;
    e2e::Result r = s.run({"show", "Zed"});
    EXPECT_EQ(r.status, 1);
    // A file given by --db that does not exist is named (SPEC Version 3, Locations).
    EXPECT_EQ(r.err_line(), e2e::on_postgres() ? "followup: no contact matches 'Zed'"
                                               : "followup: no database at " + s.db().string() +
                                                     " (a command that writes creates it)");
    EXPECT_FALSE(std::filesystem::exists(s.db()));
    r = s.run({"done", "7"}); // a write that fails
    EXPECT_EQ(r.status, 1);
    EXPECT_FALSE(std::filesystem::exists(s.db()));
}

// Issue 32, item 6: a postgresql: location with one slash is a mistyped URI, not a file name: a
// read command does not report an empty database, a write does not start one; the message names
// the location without its password. (The same in --db and FOLLOWUP_DB.)
TEST(Errors, AMalformedPostgresUriIsAnErrorNotAnEmptyDatabase) {
    Sandbox s;
    s.use_db_flag = false;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--db", "postgresql:/bob:secret@db.example/chapter", "due"},
          std::vector<std::string>{"--db", "postgres:bob@db.example/chapter", "contacts"},
          std::vector<std::string>{"--db", "postgresql:/bob@db.example/chapter", "add", "Ann"}}) {
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, 1) << r.out << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_TRUE(r.err_line().starts_with("followup: cannot open database postgres")) << r.err;
        EXPECT_NE(r.err_line().find("not a PostgreSQL URI"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("secret"), std::string::npos) << r.err;
    }
    s.env["FOLLOWUP_DB"] = "postgresql:/bob@db.example/chapter";
    e2e::Result r = s.run({"due"});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_EQ(r.err_line(), "followup: cannot open database postgresql:/bob@db.example/chapter: "
                            "not a PostgreSQL URI (one starts with postgresql://, e.g. "
                            "postgresql://ann@db.example/chapter)");
}
