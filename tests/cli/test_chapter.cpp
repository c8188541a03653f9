// A chapter on a real PostgreSQL server: db init, members, and each member's rows kept private by
// row-level security, through followup and through psql. Needs FOLLOWUP_TEST_PG (a libpq
// location of a server as a superuser, e.g. the cluster of scripts/pg-cluster.sh); skipped
// otherwise. Each test has its own database, owned by its own non-superuser CREATEROLE admin
// (chapter_fixture.hpp), and member roles (names unique to the run), all dropped at the end.

#include "chapter_fixture.hpp"

#include <thread>

using chapter_test::Chapter;
using chapter_test::psql;
using e2e::Sandbox;

TEST(ChapterOnSqlite, DbInitAndMemberAreForPostgresOnly) {
    Sandbox s;
    s.use_db_flag = false; // a SQLite file even when the harness runs on PostgreSQL
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"db", "init"},
          std::vector<std::string>{"member", "add", "ann", "--name", "Ann"},
          std::vector<std::string>{"member", "list"},
          std::vector<std::string>{"referrals", "--chapter"}}) {
        std::vector<std::string> a{"--db", s.db().string()};
        a.insert(a.end(), args.begin(), args.end());
        e2e::Result r = s.run(a);
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_EQ(r.err_line().rfind("followup: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find("only for a PostgreSQL database"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(s.db())); // refused before the file is opened
    }
}

TEST_F(Chapter, InitIsIdempotentAndMembersAreListed) {
    ok(admin, {"db", "init"});
    ok(admin, {"db", "init"}); // a second run changes nothing and fails on nothing
    EXPECT_EQ(ok(admin, {"member", "add", role("a"), "--name", "Ann Admiral"}),
              "Added member " + role("a") + " (Ann Admiral)\n");
    // The same role again: adopted, its name updated.
    EXPECT_EQ(ok(admin, {"member", "add", role("a"), "--name", "Ann A."}),
              "Listed member " + role("a") + " (Ann A.), an existing role\n");
    ok(admin, {"member", "add", role("b"), "--name", "Ben Baker"});
    EXPECT_EQ(ok(admin, {"member", "list"}),
              fmt::format("{:<20} Ann A.\n{:<20} Ben Baker\n", role("a"), role("b")));
    // The role can log in, and every table of records has RLS enabled and forced.
    auto [rls, rc] = psql(admin, "SELECT relname FROM pg_class WHERE relrowsecurity AND "
                                 "relforcerowsecurity AND relkind = 'r' ORDER BY relname");
    EXPECT_EQ(rc, 0);
    EXPECT_EQ(rls, "chapter_referrals\nchapter_reports\ncontact_tags\ncontacts\nevents\n"
                   "followups\ninteractions\nreach\nreferral_events\nreferrals\nundo_log\n"
                   "undo_rows\n");
    auto [login, rc2] = psql(as("a"), "SELECT current_user");
    EXPECT_EQ(rc2, 0) << login;
    EXPECT_EQ(login, role("a") + "\n");
}

TEST_F(Chapter, OnlyTheOwnerUpgradesTheSchemaAndMembersWorkMeanwhile) {
    make_chapter();
    ok(as("a"), {"add", "Carol Prospect", "--email", "carol@example.com"});
    // As a server of schema version 5 was: no reach_of_contact (version 6 adds it).
    auto [made, rc] = psql(admin, "DROP INDEX reach_of_contact; "
                                  "UPDATE followup_schema SET version = 5");
    ASSERT_EQ(rc, 0) << made;
    // A member may not change the schema: her commands work on version 5 and leave it.
    EXPECT_EQ(s.json_of({"--db", as("a"), "show", "carol"})["email"], "carol@example.com");
    ok(as("a"), {"log", "carol", "--note", "Coffee"});
    EXPECT_EQ(psql(admin, "SELECT version FROM followup_schema").first, "5\n");
    // The owner's next command upgrades it.
    ok(admin, {"member", "list"});
    EXPECT_EQ(psql(admin, "SELECT version FROM followup_schema").first, "7\n");
    EXPECT_EQ(
        psql(admin, "SELECT count(*) FROM pg_indexes WHERE indexname = 'reach_of_contact'").first,
        "1\n");
    EXPECT_EQ(s.json_of({"--db", as("a"), "show", "carol"})["interactions"].size(), 1u);
}

TEST_F(Chapter, MemberAddRefusesAnUnsafeRoleName) {
    ok(admin, {"db", "init"});
    e2e::Result r = run(admin, {"member", "add", "bob\"; DROP TABLE contacts; --", "--name", "X"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line().rfind("followup: invalid role name", 0), 0u) << r.err;
    EXPECT_EQ(psql(admin, "SELECT count(*) FROM members").first, "0\n");
}

TEST_F(Chapter, MemberAddBeforeInitSaysSo) {
    e2e::Result r = run(admin, {"member", "add", role("a"), "--name", "Ann"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: this database has no chapter yet; run `followup db init` "
                            "first");
}

TEST_F(Chapter, EachMembersRowsArePrivateThroughFollowupAndPsql) {
    make_chapter();
    s.at("2026-11-20T13:00:00Z");
    ok(as("a"), {"add", "Carol Prospect", "--company", "Acme", "--tag", "vip", "--email",
                 "carol@example.com"});
    ok(as("a"), {"log", "carol", "--note", "Coffee at the fair"});
    ok(as("a"), {"event", "add", "Chamber breakfast"});
    ok(as("b"), {"add", "Dan Dealer"});
    // Two members may have an event of the same name.
    ok(as("b"), {"event", "add", "Chamber breakfast"});

    // Each sees only their own.
    e2e::json a = s.json_of({"--db", as("a"), "contacts"});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0]["name"], "Carol Prospect");
    e2e::json b = s.json_of({"--db", as("b"), "contacts"});
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0]["name"], "Dan Dealer");
    EXPECT_EQ(s.json_of({"--db", as("b"), "due", "--all"}).size(), 3u); // Dan's 24/7/30 only

    // C, through followup: nothing at all.
    EXPECT_EQ(s.json_of({"--db", as("c"), "contacts"}).size(), 0u);
    EXPECT_EQ(s.json_of({"--db", as("c"), "due", "--all"}).size(), 0u);
    e2e::Result show = run(as("c"), {"show", "carol"});
    EXPECT_EQ(show.status, 1);
    EXPECT_EQ(show.err_line().rfind("followup: ", 0), 0u) << show.err;
    // ...and through psql as C: no rows in any table of records.
    auto [rows, rc] = psql(as("c"), "SELECT (SELECT count(*) FROM contacts) || ' ' || "
                                    "(SELECT count(*) FROM followups) || ' ' || "
                                    "(SELECT count(*) FROM interactions) || ' ' || "
                                    "(SELECT count(*) FROM events) || ' ' || "
                                    "(SELECT count(*) FROM reach) || ' ' || "
                                    "(SELECT count(*) FROM contact_tags) || ' ' || "
                                    "(SELECT count(*) FROM undo_log) || ' ' || "
                                    "(SELECT count(*) FROM undo_rows)");
    EXPECT_EQ(rc, 0) << rows;
    EXPECT_EQ(rows, "0 0 0 0 0 0 0 0\n");
    // Each member's undo is of their own commands: C has nothing to undo, B undoes B's event
    // and leaves A's alone.
    e2e::Result nothing = run(as("c"), {"undo"});
    EXPECT_EQ(nothing.status, 1);
    EXPECT_EQ(nothing.err_line(), "followup: nothing to undo");
    std::string undid = ok(as("b"), {"undo"});
    EXPECT_EQ(undid, "Undid followup event add 'Chamber breakfast' (Fri 2026-11-20 08:00: 1 "
                     "event added)\n");
    EXPECT_EQ(psql(as("b"), "SELECT count(*) FROM events").first, "0\n");
    EXPECT_EQ(psql(as("a"), "SELECT name FROM events").first, "Chamber breakfast\n");
    ok(as("b"), {"event", "add", "Chamber breakfast"});
    EXPECT_EQ(psql(as("c"), "SELECT name FROM contacts WHERE name LIKE 'Carol%'").first, "");
    // C cannot write a row in A's name either.
    auto [forged, frc] = psql(as("c"), "INSERT INTO events (uuid, name, name_key, created, owner) "
                                       "VALUES ('x', 'Forged', 'forged', 0, '" +
                                           role("a") + "')");
    EXPECT_NE(frc, 0);
    EXPECT_NE(forged.find("row-level security"), std::string::npos) << forged;
    // B, through psql, sees B's rows only.
    EXPECT_EQ(psql(as("b"), "SELECT name FROM contacts").first, "Dan Dealer\n");
    // The rows carry their writer.
    EXPECT_EQ(psql(as("a"), "SELECT owner FROM contacts").first, role("a") + "\n");
}

namespace {

/// The only element of a JSON array whose `key` is `value`.
e2e::json only(const e2e::json& rows, const std::string& key, const std::string& value) {
    e2e::json out = e2e::json::array();
    for (const auto& r : rows)
        if (r.value(key, std::string()) == value) out.push_back(r);
    EXPECT_EQ(out.size(), 1u) << key << "=" << value << " in " << rows.dump(2);
    return out.empty() ? e2e::json::object() : out[0];
}

} // namespace

// The chapter test: A gives B a referral; B sees it in due; B's statuses are A's
// reports (contacted closes A's check-in); won --amount credits A and puts a thank-you to A
// in B's due; C sees none of it.
TEST_F(Chapter, AReferralGoesFromOneMemberToAnotherAndTheGiverHearsBack) {
    make_chapter();
    s.at("2026-11-20T13:00:00Z");
    ok(as("a"), {"add", "Carol Prospect", "--email", "carol@example.com", "--company", "Acme"});
    std::string gave = ok(as("a"), {"referral", "give", "--to", role("b"), "--prospect",
                                    "Carol Prospect", "--note", "Needs a roofer"});
    EXPECT_NE(gave.find("Shared with member " + role("b")), std::string::npos) << gave;

    // A: the given referral, and a check-in with Ben Baker (A's contact for the member) in 7 days.
    e2e::json a_given = s.json_of({"--db", as("a"), "referrals", "--given"});
    ASSERT_EQ(a_given.size(), 1u);
    EXPECT_EQ(a_given[0]["member"], "Ben Baker");
    EXPECT_EQ(a_given[0]["status"], "new");
    e2e::json a_checkin =
        only(s.json_of({"--db", as("a"), "due", "--all", "--kind", "checkin"}), "kind", "checkin");
    EXPECT_EQ(a_checkin["contact"], "Ben Baker");
    EXPECT_EQ(a_checkin["due"], "2026-11-27T13:00:00Z");

    // B, the next morning: the lead is in B's due, to be contacted 24 hours after it was given.
    s.at("2026-11-21T09:00:00Z");
    e2e::json b_due = s.json_of({"--db", as("b"), "due", "--all"});
    e2e::json step = only(b_due, "kind", "referral");
    EXPECT_EQ(step["contact"], "Carol Prospect");
    EXPECT_EQ(step["title"], "Contact Carol Prospect, referred by Ann Admiral");
    EXPECT_EQ(step["due"], "2026-11-21T13:00:00Z");
    e2e::json b_received = s.json_of({"--db", as("b"), "referrals", "--received"});
    ASSERT_EQ(b_received.size(), 1u);
    EXPECT_EQ(b_received[0]["referrer"], "Ann Admiral");
    EXPECT_EQ(b_received[0]["prospect"], "Carol Prospect");
    EXPECT_EQ(b_received[0]["note"], "Needs a roofer");
    // The prospect's email came with the lead.
    e2e::json carol = s.json_of({"--db", as("b"), "show", "Carol Prospect"});
    EXPECT_EQ(carol["email"], "carol@example.com") << carol.dump(2);
    std::string b_id = std::to_string(b_received[0]["id"].get<long long>());
    // Taken in once: another command does not make a second one.
    EXPECT_EQ(s.json_of({"--db", as("b"), "referrals", "--received"}).size(), 1u);

    // B contacts Carol: no report for B to write (the status is the report)...
    s.at("2026-11-21T10:00:00Z");
    ok(as("b"), {"referral", "update", b_id, "--status", "contacted", "--note", "Called her"});
    for (const auto& f : s.json_of({"--db", as("b"), "due", "--all"}))
        EXPECT_NE(f["kind"], "report") << f.dump();
    // ...A sees it at once, and A's check-in is closed with a touch from Ben Baker.
    s.at("2026-11-21T10:05:00Z");
    a_given = s.json_of({"--db", as("a"), "referrals", "--given"});
    EXPECT_EQ(a_given[0]["status"], "contacted");
    e2e::json ben = s.json_of({"--db", as("a"), "show", "Ben Baker"});
    e2e::json first = only(ben["followups"], "due", "2026-11-27T13:00:00Z");
    EXPECT_EQ(first["status"], "done");
    ASSERT_EQ(ben["interactions"].size(), 1u) << ben.dump(2);
    EXPECT_EQ(ben["interactions"][0]["direction"], "in");
    EXPECT_EQ(ben["interactions"][0]["at"], "2026-11-21T10:00:00Z");
    // The next check-in comes only if B does nothing for another 7 days.
    a_checkin =
        only(s.json_of({"--db", as("a"), "due", "--all", "--kind", "checkin"}), "kind", "checkin");
    EXPECT_EQ(a_checkin["due"], "2026-11-28T10:00:00Z");
    EXPECT_EQ(a_checkin["title"],
              "Ask Ben Baker how it goes with Carol Prospect (contacted so far)");

    // B wins the business: a thank-you to A in B's due; A is credited.
    s.at("2026-11-25T16:00:00Z");
    ok(as("b"), {"referral", "update", b_id, "--status", "won", "--amount", "1200"});
    e2e::json thank = only(s.json_of({"--db", as("b"), "due", "--all"}), "kind", "thank");
    EXPECT_EQ(thank["contact"], "Ann Admiral");
    EXPECT_EQ(thank["title"], "Thank Ann Admiral for the business with Carol Prospect (1200.00)");
    EXPECT_EQ(thank["due"], "2026-11-26T16:00:00Z");
    a_given = s.json_of({"--db", as("a"), "referrals", "--given"});
    EXPECT_EQ(a_given[0]["status"], "won");
    EXPECT_EQ(a_given[0]["amount"], 1200.0);
    EXPECT_EQ(s.json_of({"--db", as("a"), "due", "--all", "--kind", "checkin"}).size(), 0u);

    // The chapter's ledger, as any member reads it: A is credited with 1200.
    e2e::json ledger = s.json_of({"--db", as("c"), "referrals", "--chapter"});
    e2e::json la = only(ledger, "role", role("a"));
    EXPECT_EQ(la["name"], "Ann Admiral");
    EXPECT_EQ(la["given"], 1);
    EXPECT_EQ(la["received"], 0);
    EXPECT_EQ(la["closed_business"], 1200.0);
    e2e::json lb = only(ledger, "role", role("b"));
    EXPECT_EQ(lb["given"], 0);
    EXPECT_EQ(lb["received"], 1);
    EXPECT_EQ(lb["closed_business"], 0.0);
    // --since after the referral was given counts none of it.
    e2e::json later =
        s.json_of({"--db", as("a"), "referrals", "--chapter", "--since", "2026-11-26"});
    EXPECT_EQ(only(later, "role", role("a"))["given"], 0);
    EXPECT_EQ(only(later, "role", role("a"))["closed_business"], 0.0);

    // C reads none of A's or B's contacts or their referral, through followup or psql.
    EXPECT_EQ(s.json_of({"--db", as("c"), "contacts"}).size(), 0u);
    EXPECT_EQ(s.json_of({"--db", as("c"), "referrals"}).size(), 0u);
    auto [rows, rc] = psql(as("c"), "SELECT (SELECT count(*) FROM contacts) || ' ' || "
                                    "(SELECT count(*) FROM referrals) || ' ' || "
                                    "(SELECT count(*) FROM chapter_referrals) || ' ' || "
                                    "(SELECT count(*) FROM chapter_reports)");
    EXPECT_EQ(rc, 0) << rows;
    EXPECT_EQ(rows, "0 0 0 0\n");
    // C cannot report on a referral that is not theirs.
    auto [forged, frc] = psql(as("c"), "UPDATE chapter_referrals SET status = 'lost' RETURNING id");
    EXPECT_EQ(frc, 0) << forged;
    EXPECT_EQ(forged, "UPDATE 0\n"); // no row of theirs to update
    EXPECT_EQ(psql(as("a"), "SELECT status FROM chapter_referrals").first, "won\n");
}

TEST_F(Chapter, GivingToYourselfOrToAContactIsNotShared) {
    make_chapter();
    s.at("2026-11-20T13:00:00Z");
    e2e::Result self =
        run(as("a"), {"referral", "give", "--to", role("a"), "--prospect", "Carol Prospect"});
    EXPECT_EQ(self.status, 2) << self.err;
    EXPECT_EQ(self.err_line(), "followup: a referral goes to another member, not to yourself");
    // A name that is no member's is a contact of A's, as on a file.
    std::string out =
        ok(as("a"), {"referral", "give", "--to", "Dora Outside", "--prospect", "Carol Prospect"});
    EXPECT_EQ(out.find("Shared with member"), std::string::npos) << out;
    EXPECT_EQ(psql(as("a"), "SELECT count(*) FROM chapter_referrals").first, "0\n");
}

// docs/chapter.md, "Who sees and does what": the admin owns the tables, so FORCE binds the
// admin's followup commands, but the admin may lift it, and with CREATEROLE may become any
// member; `db init` puts FORCE back. The superuser reads everything.
TEST_F(Chapter, TheAdminOwnsTheTablesAndCanReadEverything) {
    make_chapter();
    ok(as("a"), {"add", "Carol Prospect", "--email", "carol@example.com"});
    // The admin's own commands: the admin's rows only.
    EXPECT_EQ(s.json_of({"--db", admin, "contacts"}).size(), 0u);
    EXPECT_EQ(psql(admin, "SELECT count(*) FROM contacts").first, "0\n");
    // As the owner, the admin may lift FORCE and then reads every member's rows.
    auto [lifted, rc] = psql(admin, "ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY; "
                                    "SELECT name FROM contacts");
    EXPECT_EQ(rc, 0) << lifted;
    EXPECT_EQ(lifted, "ALTER TABLE\nCarol Prospect\n");
    // db init puts it back.
    ok(admin, {"db", "init"});
    EXPECT_EQ(
        psql(admin, "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'contacts'").first,
        "t\n");
    EXPECT_EQ(psql(admin, "SELECT count(*) FROM contacts").first, "0\n");
    // With CREATEROLE the admin may also make itself a member of a member's role.
    auto [became, rc2] = psql(admin, "GRANT " + role("a") + " TO " + admin_role() + "; SET ROLE " +
                                         role("a") + "; SELECT name FROM contacts");
    EXPECT_EQ(rc2, 0) << became;
    EXPECT_EQ(became, "GRANT ROLE\nSET\nCarol Prospect\n");
    // The superuser reads every row, whatever the policies say.
    EXPECT_EQ(psql(superuser, "SELECT name FROM contacts").first, "Carol Prospect\n");
}

// docs/chapter.md, section 1: the admin is not a superuser and the suite never runs a followup
// command as one.
TEST_F(Chapter, TheAdminIsACreateroleRoleThatOwnsTheDatabase) {
    EXPECT_EQ(psql(admin, "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE "
                          "rolname = current_user")
                  .first,
              "f|t|f\n");
    EXPECT_EQ(psql(admin, "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database "
                          "WHERE datname = current_database()")
                  .first,
              "t\n");
    make_chapter(); // db init and three member adds, as that admin
    std::string list = ok(admin, {"member", "list"});
    EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 3) << list;
    // Only members connect: a role of the cluster that is not one cannot.
    auto [made, rc] = psql(admin, "CREATE ROLE " + role("outsider") + " LOGIN");
    ASSERT_EQ(rc, 0) << made;
    auto [outsider, rc2] = psql(as("outsider"), "SELECT count(*) FROM members");
    EXPECT_NE(rc2, 0) << outsider;
    EXPECT_NE(outsider.find("permission denied for database"), std::string::npos) << outsider;
    // A member's every day: add, the ledger (the function the admin hands on), undo.
    ok(as("a"), {"add", "Carol Prospect"});
    EXPECT_EQ(s.json_of({"--db", as("a"), "referrals", "--chapter"}).size(), 3u);
    ok(as("a"), {"undo"});
}

// A chapter set up by an earlier followup (single-column foreign keys, members writing
// followup_ids, no rules on the shared referrals) gets every guard when its admin runs db init
// again, and keeps its rows, even one that points across owners as the earlier version allowed.
TEST_F(Chapter, InitAgainGuardsAChapterOfAnEarlierVersionAndKeepsItsRows) {
    make_chapter();
    ok(as("a"), {"add", "Carol Prospect", "--email", "carol@example.com"});
    const std::string carol =
        psql(superuser, "SELECT id FROM contacts WHERE name = 'Carol Prospect'").first;
    ASSERT_FALSE(carol.empty());
    const std::string id = carol.substr(0, carol.size() - 1);
    // As the earlier version left it.
    auto [old, rc] =
        psql(superuser, "ALTER TABLE reach DROP CONSTRAINT reach_contact_id_owned; "
                        "ALTER TABLE reach ADD FOREIGN KEY (contact_id) REFERENCES contacts(id) "
                        "ON DELETE CASCADE DEFERRABLE; DROP INDEX reach_owner_key; "
                        "ALTER TABLE reach ADD UNIQUE (contact_id, kind, position); "
                        "DROP TRIGGER chapter_referrals_rules ON chapter_referrals; "
                        "GRANT SELECT, UPDATE ON followup_ids TO " +
                            role("b"));
    ASSERT_EQ(rc, 0) << old;
    auto [probe, prc] =
        psql(as("b"), "INSERT INTO reach (contact_id, kind, position, value) VALUES (" + id +
                          ", 'email', 5, 'planted@example.com')");
    ASSERT_EQ(prc, 0) << probe; // what the earlier version let a member do
    ok(admin, {"db", "init"});
    // The rows are kept: A's contact and its email, and the row B planted.
    EXPECT_EQ(s.json_of({"--db", as("a"), "show", "carol"})["email"], "carol@example.com");
    EXPECT_EQ(
        psql(superuser, "SELECT value FROM reach WHERE contact_id = " + id + " ORDER BY position")
            .first,
        "carol@example.com\nplanted@example.com\n");
    // The guards are there: the foreign key per owner (not validated: old rows stay), no more
    // writes to followup_ids, no more references across owners.
    EXPECT_EQ(psql(superuser, "SELECT convalidated FROM pg_constraint WHERE conname = "
                              "'reach_contact_id_owned'")
                  .first,
              "f\n");
    EXPECT_NE(psql(as("b"), "UPDATE followup_ids SET last = 0").second, 0);
    EXPECT_NE(psql(as("b"), "INSERT INTO reach (contact_id, kind, position, value) VALUES (" + id +
                                ", 'email', 6, 'x')")
                  .second,
              0);
    // ...and everyone keeps working.
    ok(as("a"), {"add", "Dora Next"});
    ok(as("b"), {"add", "Eve Next"});
}

namespace {

/// Runs a shell command; its output (stdout and stderr) and exit status.
std::pair<std::string, int> shell(const std::string& cmd) {
    FILE* p = ::popen((cmd + " </dev/null 2>&1").c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int status = ::pclose(p);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

} // namespace

// docs/chapter.md, section 6: the superuser's pg_dump and pg_restore keep every member's rows,
// the shared referrals and the guards; the admin's pg_dump stops at row-level security.
TEST_F(Chapter, TheSuperuserBacksUpAndRestoresTheChapter) {
    auto quoted = [](const std::string& w) { return chapter_test::quoted(w); };
    make_chapter();
    s.at("2026-11-20T13:00:00Z");
    ok(as("a"), {"add", "Carol Prospect"});
    ok(as("a"), {"referral", "give", "--to", role("b"), "--prospect", "Carol Prospect"});
    ok(as("b"), {"due"});
    std::string dump = (s.dir() / "chapter.dump").string();
    auto [refused, rc] =
        shell("pg_dump --format=custom --file " + quoted(dump) + " " + quoted(admin));
    EXPECT_NE(rc, 0) << refused;
    EXPECT_NE(refused.find("row-level security"), std::string::npos) << refused;
    auto [dumped, rc2] =
        shell("pg_dump --format=custom --file " + quoted(dump) + " " + quoted(superuser));
    ASSERT_EQ(rc2, 0) << dumped;
    auto [restored, rc3] =
        shell("pg_restore --clean --if-exists --dbname " + quoted(superuser) + " " + quoted(dump));
    ASSERT_EQ(rc3, 0) << restored;
    e2e::json a = s.json_of({"--db", as("a"), "contacts"});
    EXPECT_EQ(a.size(), 2u); // Carol and Ben Baker, the member
    EXPECT_EQ(s.json_of({"--db", as("b"), "referrals", "--received"}).size(), 1u);
    EXPECT_EQ(s.json_of({"--db", as("c"), "contacts"}).size(), 0u);
    EXPECT_NE(psql(as("c"), "UPDATE followup_ids SET last = 0").second, 0);
    ok(as("a"), {"add", "Dora Next"});
}

namespace {

/// A statement a member runs from psql in the background (it blocks: it holds a lock); the
/// member's sessions are ended (as the superuser) when the holder goes.
class Holder {
public:
    Holder(std::string superuser, std::string role, std::string location, std::string sql)
        : superuser_(std::move(superuser)), role_(std::move(role)),
          thread_([location = std::move(location), sql = std::move(sql)] {
              (void)psql(location, sql);
          }) {}
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;
    ~Holder() {
        end();
        thread_.join();
    }
    /// Ends the member's sessions; the number ended.
    std::string end() {
        return psql(superuser_, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                                "pg_stat_activity WHERE usename = '" +
                                    role_ + "') AS t")
            .first;
    }

private:
    std::string superuser_, role_;
    std::thread thread_;
};

} // namespace

// A member who locks a table from psql and keeps the transaction open does not hang everyone
// else's commands: they wait lock_timeout (30 s by default; 1 s here through the location's
// options), then fail with one line naming who holds locks, nothing changed.
TEST_F(Chapter, AMemberHoldingALockFromPsqlMakesOthersFailClearlyNotHang) {
    make_chapter();
    ok(as("a"), {"add", "Ann One"});
    Holder holder(superuser, role("c"), as("c"),
                  "BEGIN; LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);");
    // Until the lock is granted.
    for (int i = 0; i < 200; ++i) {
        auto [held, rc] = psql(superuser, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON "
                                          "c.oid = l.relation WHERE c.relname = 'contacts' AND "
                                          "l.mode = 'AccessExclusiveLock' AND l.granted");
        if (rc == 0 && held == "1\n") break;
        ::usleep(50'000);
    }
    std::string patient = as("a") + " options='-c lock_timeout=1s'";
    e2e::Result r = run(patient, {"add", "Ann Two"});
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(r.err_line().find(" is held by another session (waited 1s); nothing was changed; "
                                  "sessions holding locks: " +
                                  role("c") + " (pid ") != std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    // The admin ends the member's session; everyone's commands work again.
    EXPECT_EQ(holder.end(), "1\n");
    ok(patient, {"add", "Ann Two"});
    EXPECT_NE(ok(as("a"), {"contacts", "--format", "tsv"}).find("Ann Two"), std::string::npos);
}

// The lock a first command takes to create or upgrade the schema is not taken by the commands
// of a database already at this version: a member who holds that advisory lock from psql
// stops nobody.
TEST_F(Chapter, AMemberHoldingTheSchemaLockStopsNobody) {
    make_chapter();
    Holder holder(superuser, role("c"), as("c"),
                  "SELECT pg_advisory_lock(4242); SELECT pg_sleep(120);");
    for (int i = 0; i < 200; ++i) {
        auto [held, rc] = psql(superuser, "SELECT count(*) FROM pg_locks WHERE locktype = "
                                          "'advisory' AND granted AND objid = 4242");
        if (rc == 0 && held == "1\n") break;
        ::usleep(50'000);
    }
    std::string patient = as("a") + " options='-c lock_timeout=1s'";
    ok(patient, {"add", "Ann One"});
    EXPECT_NE(ok(patient, {"contacts", "--format", "tsv"}).find("Ann One"), std::string::npos);
}

// Issue 31: a member imports another member's JSON export (the same people, the same UUIDs) as
// their own records: UUIDs are unique per member, not across the chapter.
TEST_F(Chapter, AMemberImportsAnotherMembersExport) {
    make_chapter();
    s.at("2026-11-20T13:00:00Z");
    ok(as("a"),
       {"add", "Carol Prospect", "--email", "carol@example.com", "--event", "Chamber breakfast"});
    ok(as("a"), {"log", "carol", "--note", "Coffee at the fair"});
    std::string exported = ok(as("a"), {"export", "all", "--format", "json"});
    std::filesystem::path file = s.dir() / "from-a.json";
    {
        std::FILE* f = std::fopen(file.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fwrite(exported.data(), 1, exported.size(), f);
        std::fclose(f);
    }
    e2e::Result r = run(as("b"), {"import", file.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find("duplicate key"), std::string::npos) << r.err;
    e2e::json b = s.json_of({"--db", as("b"), "contacts"});
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0]["name"], "Carol Prospect");
    // A's records are A's as they were; the two rows share the UUID, each its member's.
    EXPECT_EQ(s.json_of({"--db", as("a"), "contacts"}).size(), 1u);
    auto [rows, rc] = psql(superuser, "SELECT count(DISTINCT owner) || ' ' || count(DISTINCT uuid) "
                                      "|| ' ' || count(*) FROM contacts");
    EXPECT_EQ(rc, 0) << rows;
    EXPECT_EQ(rows, "2 1 2\n");
    // Imported again: the same person, by the UUID, nothing added.
    e2e::Result again = run(as("b"), {"import", file.string()});
    EXPECT_EQ(again.status, 0) << again.err;
    EXPECT_NE(again.out.find(": 0 added"), std::string::npos) << again.out;
    EXPECT_EQ(s.json_of({"--db", as("b"), "contacts"}).size(), 1u);
}
