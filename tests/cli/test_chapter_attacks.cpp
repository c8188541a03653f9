// The attack suite of a chapter (issue 32): as a member, through psql, crafted statements that
// try to read, change, forge or probe what belongs to other members or to the whole chapter.
// Each one must be refused by the server or touch no row; the suite prints how many it tried and
// how many were refused, and checks at the end that the victims' rows, the ids and the ledger
// are as they were. Needs FOLLOWUP_TEST_PG (chapter_fixture.hpp); skipped otherwise.

#include "chapter_fixture.hpp"

#include <regex>

namespace {

using chapter_test::psql;

class ChapterAttacks : public chapter_test::Chapter {
protected:
    /// One attack: the member ("a", "b" or "c") who tries it and the statement. It is refused
    /// when psql fails with an error of the server; else its output must be `harmless` (a count
    /// of 0, "UPDATE 0", nothing at all).
    struct Attack {
        Attack(std::string w, std::string s, std::optional<std::string> h = std::nullopt)
            : who(std::move(w)), sql(std::move(s)), harmless(std::move(h)) {}
        std::string who;
        std::string sql;
        std::optional<std::string> harmless; ///< unset: only a refusal will do
    };

    /// Runs each attack; returns the number refused (failures are reported per attack).
    int attack(const std::vector<Attack>& attacks) {
        int refused = 0;
        for (const Attack& a : attacks) {
            auto [out, rc] = psql(as(a.who), a.sql);
            if (rc != 0) {
                EXPECT_NE(out.find("ERROR:"), std::string::npos) << a.sql << "\n" << out;
                ++refused;
                ++tried_;
                continue;
            }
            ++tried_;
            if (a.harmless) {
                EXPECT_EQ(out, *a.harmless) << "as " << a.who << ": " << a.sql;
                if (out == *a.harmless) ++harmless_;
            } else {
                ADD_FAILURE() << "as " << a.who << ", not refused: " << a.sql << "\n" << out;
            }
        }
        refused_ += refused;
        return refused;
    }

    /// The first line of psql's error for a statement as a member.
    std::string error_of(const std::string& who, const std::string& sql) {
        auto [out, rc] = psql(as(who), sql);
        EXPECT_NE(rc, 0) << sql << "\n" << out;
        ++tried_;
        if (rc != 0) ++refused_;
        return out.substr(0, out.find('\n'));
    }

    /// A value as the superuser reads it.
    std::string super(const std::string& sql) {
        auto [out, rc] = psql(superuser, sql);
        EXPECT_EQ(rc, 0) << sql << "\n" << out;
        if (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    }

    int tried_{}, refused_{}, harmless_{};
};

/// The tables of a member's records (each with `owner` and row-level security).
const std::vector<std::string> owned_tables{
    "events",       "contacts",        "contact_tags", "referrals", "followups",
    "interactions", "referral_events", "reach",        "undo_log",  "undo_rows"};

/// A statement's error with every number taken out, to compare two refusals.
std::string without_numbers(const std::string& s) {
    return std::regex_replace(s, std::regex("[0-9]+"), "N");
}

} // namespace

TEST_F(ChapterAttacks, NoMemberReadsForgesOrProbesAnothersData) {
    make_chapter();
    const std::string A = role("a"), B = role("b"), C = role("c");
    // A's records, and a referral A gave B that B won with 1200.
    s.at("2026-11-20T13:00:00Z");
    ok(as("a"), {"add", "Carol Prospect", "--company", "Acme", "--tag", "vip", "--email",
                 "carol@example.com"});
    ok(as("a"), {"log", "carol", "--note", "Coffee at the fair"});
    ok(as("a"), {"event", "add", "Chamber breakfast"});
    ok(as("a"), {"referral", "give", "--to", B, "--prospect", "Carol Prospect"});
    ok(as("b"), {"due"});
    std::string b_ref = super("SELECT receiver_referral FROM chapter_referrals");
    ok(as("b"), {"referral", "update", b_ref, "--status", "won", "--amount", "1200"});
    ok(as("a"), {"due"}); // A takes B's report in

    // What the attackers aim at, as the superuser reads it.
    const std::string contact = super("SELECT min(id) FROM contacts WHERE owner = '" + A + "'");
    const std::string event = super("SELECT min(id) FROM events WHERE owner = '" + A + "'");
    const std::string referral = super("SELECT min(id) FROM referrals WHERE owner = '" + A + "'");
    const std::string followup = super("SELECT min(id) FROM followups WHERE owner = '" + A + "'");
    const std::string log = super("SELECT min(id) FROM undo_log WHERE owner = '" + A + "'");
    const std::string shared = super("SELECT id FROM chapter_referrals");
    const std::string missing = "987654321";
    ASSERT_FALSE(contact.empty() || event.empty() || referral.empty() || followup.empty() ||
                 log.empty() || shared.empty());
    super("ANALYZE"); // statistics exist: pg_stats must not show them to a member
    // Every member's rows but C's (C, the attacker, adds a contact of C's own below).
    auto others = [&] {
        std::string out;
        for (const std::string& t : owned_tables)
            out +=
                t + ":" + super("SELECT count(*) FROM " + t + " WHERE owner <> '" + C + "'") + " ";
        return out;
    };
    const std::string before = others();
    std::string shared_before = super("SELECT giver, receiver, status, amount, giver_seen, "
                                      "receiver_referral FROM chapter_referrals");

    std::vector<Attack> attacks;
    // Read, update and delete every table of records, naming the other owners.
    for (const std::string& t : owned_tables) {
        attacks.push_back({"c", "SELECT count(*) FROM " + t, "0\n"});
        attacks.push_back({"c",
                           "UPDATE " + t +
                               " SET owner = current_user WHERE owner <> "
                               "current_user",
                           "UPDATE 0\n"});
        attacks.push_back({"c", "DELETE FROM " + t + " WHERE owner = '" + A + "'", "DELETE 0\n"});
    }
    // Insert rows in another member's name.
    attacks.push_back({"c", "INSERT INTO events (uuid, name, name_key, created, owner) VALUES "
                            "('x1', 'Forged', 'forged', 0, '" +
                                A + "')"});
    attacks.push_back({"c", "INSERT INTO contacts (uuid, name, name_key, created, owner) VALUES "
                            "('x2', 'Forged', 'forged', 0, '" +
                                A + "')"});
    attacks.push_back(
        {"c", "INSERT INTO undo_log (at, command, owner) VALUES (0, 'x', '" + A + "')"});
    // The shared state: ids, members, the schema's version, the sequences.
    attacks.push_back({"c", "UPDATE followup_ids SET last = 0"});
    attacks.push_back({"c", "DELETE FROM followup_ids"});
    attacks.push_back({"c", "INSERT INTO followup_ids (name, last) VALUES ('x', 0)"});
    attacks.push_back({"c", "TRUNCATE followup_ids"});
    attacks.push_back({"c", "LOCK TABLE followup_ids IN ACCESS EXCLUSIVE MODE"});
    attacks.push_back({"c", "UPDATE members SET name = 'Mallory' WHERE role = '" + A + "'"});
    attacks.push_back({"c", "INSERT INTO members (role, name) VALUES ('mallory', 'Mallory')"});
    attacks.push_back({"c", "DELETE FROM members"});
    attacks.push_back({"c", "UPDATE followup_schema SET version = 99"});
    attacks.push_back({"c", "SELECT setval('chapter_referrals_id_seq', 1)"});
    attacks.push_back({"c", "SELECT setval('undo_log_id_seq', 1)"});
    // Ids past every other member's: the next id of every member would overflow.
    attacks.push_back({"c", "INSERT INTO contacts (id, uuid, name, name_key, created) VALUES "
                            "(9223372036854775807, 'x3', 'Max', 'max', 0)"});
    attacks.push_back({"c", "SET followup.id_contacts = '9223372036854775806'; INSERT INTO "
                            "contacts (uuid, name, name_key, created) VALUES ('x4', 'Max', "
                            "'max', 0)"});
    // Forged ledger rows.
    attacks.push_back({"c", "INSERT INTO chapter_referrals (uuid, giver, receiver, prospect, "
                            "status, amount, created, updated) VALUES ('x5', '" +
                                A + "', '" + C + "', 'X', 'new', NULL, 0, 0)"});
    attacks.push_back({"c", "INSERT INTO chapter_referrals (uuid, receiver, prospect, status, "
                            "amount, created, updated) VALUES ('x6', '" +
                                B +
                                "', 'X', 'won', "
                                "1000000, 0, 0)"});
    attacks.push_back({"c", "INSERT INTO chapter_referrals (id, uuid, receiver, prospect, "
                            "created, updated) VALUES (nextval('chapter_referrals_id_seq') + 1, "
                            "'x7', '" +
                                B + "', 'X', 0, 0)"});
    attacks.push_back({"c", "INSERT INTO chapter_referrals (uuid, receiver, prospect, created, "
                            "updated, receiver_referral, giver_seen) VALUES ('x8', '" +
                                B + "', 'X', 0, 0, 1, 99)"});
    attacks.push_back({"a", "UPDATE chapter_referrals SET amount = 999999 WHERE id = " + shared});
    attacks.push_back({"a", "UPDATE chapter_referrals SET status = 'lost' WHERE id = " + shared});
    attacks.push_back(
        {"a", "UPDATE chapter_referrals SET receiver_referral = 1 WHERE id = " + shared});
    attacks.push_back({"b", "UPDATE chapter_referrals SET amount = -5 WHERE id = " + shared});
    attacks.push_back({"b", "UPDATE chapter_referrals SET giver_seen = 0 WHERE id = " + shared});
    attacks.push_back(
        {"b", "UPDATE chapter_referrals SET giver = '" + C + "' WHERE id = " + shared});
    attacks.push_back(
        {"b", "UPDATE chapter_referrals SET prospect = 'Someone else' WHERE id = " + shared});
    attacks.push_back({"c", "UPDATE chapter_referrals SET status = 'lost'", "UPDATE 0\n"});
    attacks.push_back({"c", "DELETE FROM chapter_referrals"});
    attacks.push_back({"c", "INSERT INTO chapter_reports (referral, at, status, amount) VALUES "
                            "(" +
                                shared + ", 0, 'won', 1000000)"});
    attacks.push_back({"b", "INSERT INTO chapter_reports (referral, at, status, author) VALUES "
                            "(" +
                                shared + ", 0, 'lost', '" + A + "')"});
    attacks.push_back({"b", "INSERT INTO chapter_reports (referral, at, status, amount) VALUES "
                            "(" +
                                shared + ", 0, 'won', -1)"});
    attacks.push_back({"c", "SELECT count(*) FROM chapter_referrals", "0\n"});
    attacks.push_back({"c", "SELECT count(*) FROM chapter_reports", "0\n"});
    // Roles, ownership and definitions.
    attacks.push_back({"c", "SET ROLE " + A});
    attacks.push_back({"c", "SET ROLE followup_ledger"});
    attacks.push_back({"c", "SET SESSION AUTHORIZATION " + A});
    attacks.push_back({"c", "ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY"});
    attacks.push_back({"c", "ALTER TABLE contacts DISABLE ROW LEVEL SECURITY"});
    attacks.push_back({"c", "DROP POLICY followup_own ON contacts"});
    attacks.push_back({"c", "ALTER FUNCTION followup_ledger(BIGINT) OWNER TO " + C});
    attacks.push_back({"c", "CREATE OR REPLACE FUNCTION followup_ledger(since BIGINT) RETURNS "
                            "TABLE (role TEXT) LANGUAGE sql AS $$ SELECT 'x' $$"});
    attacks.push_back({"c", "CREATE FUNCTION public.fold(t text, u text) RETURNS text LANGUAGE "
                            "sql AS $$ SELECT t $$"});
    attacks.push_back({"c", "CREATE TABLE public.contacts_copy AS SELECT * FROM contacts"});
    attacks.push_back({"c", "CREATE SCHEMA mallory"});
    attacks.push_back({"c", "TRUNCATE contacts"});
    // COPY: rows of other members out, files in, programs run.
    attacks.push_back({"c", "COPY contacts TO STDOUT", ""});
    attacks.push_back({"c", "COPY contacts FROM '/etc/hostname'"});
    attacks.push_back({"c", "COPY (SELECT 1) TO PROGRAM 'true'"});
    // Shadowing: a temporary table or function in the member's own search path.
    attacks.push_back({"c", "CREATE TEMP TABLE members (role TEXT, name TEXT)"});
    attacks.push_back({"c", "CREATE FUNCTION pg_temp.fold(t text) RETURNS text LANGUAGE sql AS "
                            "$$ SELECT t $$"});
    attacks.push_back({"c", "SET search_path = pg_temp, public; CREATE TEMP TABLE "
                            "chapter_referrals (id BIGINT)"});
    // Side channels: an error raised only on another member's row, the planner's statistics.
    attacks.push_back({"c",
                       "SELECT count(*) FROM contacts WHERE 1 / (CASE WHEN name LIKE "
                       "'Carol%' THEN 0 ELSE 1 END) = 1",
                       "0\n"});
    attacks.push_back({"c",
                       "SELECT count(*) FROM pg_stats WHERE tablename IN ('contacts', "
                       "'reach', 'chapter_referrals')",
                       "0\n"});
    attack(attacks);

    // Probes: a reference to another member's row is refused exactly as one to no row at all
    // (each statement with {} for the id).
    const std::vector<std::pair<std::string, std::string>> probes{
        {"INSERT INTO reach (contact_id, kind, position, value) VALUES ({}, 'email', 7, 'x')",
         contact},
        {"INSERT INTO contact_tags (contact_id, tag) VALUES ({}, 'vip')", contact},
        {"INSERT INTO followups (uuid, contact_id, kind, title, due, original_due, created) VALUES "
         "('p1', {}, 'reconnect', 'x', 0, 0, 0)",
         contact},
        {"INSERT INTO interactions (uuid, contact_id, at, created) VALUES ('p2', {}, 0, 0)",
         contact},
        {"INSERT INTO contacts (uuid, name, name_key, created, event_id) VALUES ('p3', 'x', 'x', "
         "0, {})",
         event},
        {"INSERT INTO contacts (uuid, name, name_key, created, referred_by) VALUES ('p4', 'x', "
         "'x', 0, {})",
         contact},
        {"INSERT INTO referrals (uuid, direction, prospect_id, created, updated) VALUES ('p5', "
         "'given', {}, 0, 0)",
         contact},
        {"INSERT INTO referral_events (referral_id, status, at) VALUES ({}, 'new', 0)", referral},
        {"INSERT INTO interactions (uuid, contact_id, at, created, followup_id) VALUES ('p6', "
         "(SELECT min(id) FROM contacts), 0, 0, {})",
         followup},
        {"INSERT INTO undo_rows (log_id, tbl, op) VALUES ({}, 'contacts', 'I')", log},
    };
    ok(as("c"), {"add", "Cy's own contact"}); // so that C has a contact of C's own to point from
    for (const auto& [sql, theirs] : probes) {
        std::string to_theirs = error_of("c", fmt::format(fmt::runtime(sql), theirs));
        std::string to_nothing = error_of("c", fmt::format(fmt::runtime(sql), missing));
        EXPECT_EQ(without_numbers(to_theirs), without_numbers(to_nothing)) << sql;
    }

    // Through followup: another member's contact, follow-up or referral, by its id, is "not
    // found" exactly as an id nobody has.
    const std::vector<std::vector<std::string>> commands{
        {"show", "{}"},
        {"edit", "{}", "--company", "Mallory Inc"},
        {"rm", "{}", "--yes"},
        {"log", "{}", "--note", "forged"},
        {"done", "{}"},
        {"snooze", "{}", "--until", "2027-01-01"},
        {"referral", "update", "{}", "--status", "won", "--amount", "1000000"},
    };
    for (const auto& command : commands) {
        const std::string& theirs = command[0] == "done" || command[0] == "snooze" ? followup
                                    : command[0] == "referral"                     ? referral
                                                                                   : contact;
        std::string errors[2];
        for (int i = 0; i < 2; ++i) {
            std::vector<std::string> args;
            for (const auto& a : command)
                args.push_back(a == "{}" ? (i == 0 ? theirs : missing) : a);
            e2e::Result r = run(as("c"), args);
            ++tried_;
            EXPECT_NE(r.status, 0) << args[0] << " " << r.out;
            if (r.status != 0) ++refused_;
            errors[i] = r.err_line();
        }
        EXPECT_EQ(without_numbers(errors[0]), without_numbers(errors[1])) << command[0];
        EXPECT_TRUE(errors[0].starts_with("followup: ")) << errors[0];
    }

    std::printf("[ attacks  ] tried %d statements and commands as members: %d refused, %d "
                "touched no row\n",
                tried_, refused_, harmless_);
    EXPECT_GE(tried_, 30);
    EXPECT_EQ(refused_ + harmless_, tried_);

    // Nothing of A's or of the chapter moved; A and B still write, the ledger is as it was.
    EXPECT_EQ(others(), before);
    EXPECT_EQ(super("SELECT giver, receiver, status, amount, giver_seen, receiver_referral FROM "
                    "chapter_referrals"),
              shared_before);
    EXPECT_EQ(super("SELECT max(last) < 1000000 FROM followup_ids"), "t");
    ok(as("a"), {"add", "Dora Next"});
    ok(as("b"), {"add", "Eve Next"});
    e2e::json ledger = s.json_of({"--db", as("c"), "referrals", "--chapter"});
    for (const auto& l : ledger) {
        EXPECT_EQ(l["closed_business"], l["role"] == A ? 1200.0 : 0.0) << l.dump();
        EXPECT_EQ(l["given"], l["role"] == A ? 1 : 0) << l.dump();
    }
}
