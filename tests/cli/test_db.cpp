// followup db copy: a whole database moved between a SQLite file and a server (or another
// file), both ways, with every row kept. In the PostgreSQL run the sandbox's database is a
// server's, so the copy goes server -> file -> server; in the SQLite run file -> file -> file.

#include "harness.hpp"

using e2e::json;
using e2e::Sandbox;

namespace {

constexpr const char* tables[] = {"events",    "contacts",        "contact_tags", "reach",
                                  "referrals", "referral_events", "followups",    "interactions"};

/// A database with a bit of everything: reach, tags, an event, referrals both ways with their
/// history, done and skipped steps, touches, a meeting, and a gap in the ids (a deleted contact).
void fill(Sandbox& s) {
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--email", "work:ann@acme.example",
          "--phone", "mobile:+1 555 0100", "--profile", "linkedin:ann-lee", "--tag", "vip",
          "--event", "BNI Breakfast", "--company", "Acme"});
    s.ok({"add", "Bob Stone", "--plan", "none"});
    s.ok({"add", "Cy Diaz", "--address", "home:1 Main St", "--via", "mail"});
    s.ok({"rm", "Bob Stone", "--yes"});
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Dee Park", "--note", "CFO"});
    s.ok({"referral", "give", "--to", "Ann Lee", "--prospect", "Cy Diaz"});
    s.at("2026-11-21T09:00:00Z");
    s.ok({"done", "1"});
    s.ok({"skip", "2", "--reason", "met already"});
    s.ok({"log", "ann", "--note", "coffee", "--in"});
    s.ok({"book", "ann", "2026-11-25 10:00", "--where", "Blue Bottle"});
}

std::string rows_of(const Sandbox& s) {
    std::string out;
    for (const char* t : tables)
        out += std::string("== ") + t + "\n" +
               s.query(std::string("SELECT * FROM ") + t + " ORDER BY 1, 2");
    return out;
}

} // namespace

TEST(DbCopy, BothWaysKeepsEveryRecordAndRow) {
    Sandbox s, back, plain;
    fill(s);
    back.at("2026-11-21T09:00:00Z");
    plain.at("2026-11-21T09:00:00Z");
    plain.use_db_flag = false; // names its SQLite file itself
    const std::string file = (plain.dir() / "copy.db").string();
    std::string before = rows_of(s);
    std::string backup = s.ok({"export", "all", "--format", "json"});

    std::string out = s.ok({"db", "copy", s.location(), file});
    EXPECT_NE(out.find(": 1 events, 3 contacts, 1 contact_tags, 5 reach, 2 referrals, "
                       "2 referral_events, 9 followups, 4 interactions."),
              std::string::npos)
        << out;
    s.ok({"db", "copy", file, back.location()});

    // The same backup at every stop, and the same rows at both ends (the same kind of store).
    EXPECT_EQ(plain.ok({"--db", file, "export", "all", "--format", "json"}), backup);
    EXPECT_EQ(back.ok({"export", "all", "--format", "json"}), backup);
    EXPECT_EQ(rows_of(back), before);

    // Ids keep counting where they were: the deleted contact's id is not given out again.
    EXPECT_NE(back.ok({"add", "Eve Ng", "--plan", "none"}).find("Added #5 Eve Ng"),
              std::string::npos);
}

TEST(DbCopy, RefusesATargetWithRecordsAndChangesNothing) {
    Sandbox s, other;
    fill(s);
    other.ok({"add", "Zed", "--plan", "none"});
    const std::string before = other.state();
    e2e::Result r = s.run({"db", "copy", s.location(), other.location()});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.err_line().starts_with("followup: ")) << r.err;
    EXPECT_NE(r.err_line().find("is not empty (it has contacts); nothing copied"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(other.state(), before);

    e2e::Result same = s.run({"db", "copy", s.location(), s.location()});
    EXPECT_EQ(same.status, 2);
    EXPECT_EQ(same.err_line(), "followup: db copy needs two different places");
    e2e::Result missing = s.run({"db", "copy", (s.dir() / "nope.db").string(), other.location()});
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(missing.err_line(), "followup: no database at " + (s.dir() / "nope.db").string());
}

TEST(DbCopy, AnUnreachableServerIsOneLine) {
    Sandbox s;
    s.use_db_flag = false;
    e2e::Result r = s.run({"--db", "host=" + s.dir().string() + " dbname=nothing", "due"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.err_line().starts_with("followup: cannot connect to the database at "
                                         "postgresql://["))
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err; // one line
    e2e::Result secret = s.run({"--db", "postgresql://ann:s3cret@127.0.0.1:1/chapter", "contacts"});
    EXPECT_EQ(secret.status, 1);
    EXPECT_EQ(secret.err.find("s3cret"), std::string::npos) << secret.err;
}

// libpq follows "connection ... failed" with its hint on a line of its own; it is kept, on the
// one line (issue 32: with the server down, the message lacked it).
TEST(DbCopy, AServerThatIsDownGivesLibpqsHintOnTheOneLine) {
    Sandbox s;
    s.use_db_flag = false;
    e2e::Result r = s.run({"--db", "host=" + s.dir().string() + " dbname=nothing", "due"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.err_line().ends_with(": connection to server on socket \"" + s.dir().string() +
                                       "/.s.PGSQL.5432\" failed: No such file or directory; Is "
                                       "the server running locally and accepting connections on "
                                       "that socket?"))
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}
