// Who is who (issue 11, items 1 and 3): import never merges two people of one name, a same-name
// record nothing tells apart is added and listed, `duplicates` and `merge`; and derived versus
// chosen handles survive a round trip through CSV, TSV, the JSON backup and vCard (compared on
// the database rows, then an edited email and phone move the follow-ups).

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fstream>

using e2e::json;
using e2e::Sandbox;

namespace {

/// The line a write prints when it makes the database its --db names (none on a server).
std::string created(const e2e::Sandbox& s) {
    return e2e::on_postgres() ? std::string()
                              : "Created a new database at " + s.db().string() + "\n";
}

const std::filesystem::path data_dir = FOLLOWUP_TEST_DATA;

std::string import_file(const std::string& name) {
    return (data_dir / "import" / name).string();
}

/// The rows of a query on the sandbox's database, one "a|b|c" line each.
std::vector<std::string> rows(const Sandbox& s, const std::string& sql) {
    std::vector<std::string> out;
    std::string text = s.query(sql);
    for (std::size_t at = 0; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        out.push_back(text.substr(at, nl - at));
        at = nl + 1;
    }
    return out;
}

/// Every row of every table (but the undo log), for before/after comparisons.
std::string dump(const Sandbox& s) {
    if (e2e::on_postgres()) return s.state();
    std::string out;
    for (const auto& t : rows(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                 "NOT IN ('undo_log', 'sqlite_sequence') ORDER BY name")) {
        out += "== " + t + "\n";
        for (const auto& r : rows(s, "SELECT * FROM " + t + " ORDER BY 1, 2"))
            out += r + "\n";
    }
    return out;
}

void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST(Identity, LinkedInNamesakesWithDifferentProfilesStayTwoContacts) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    std::string file = import_file("linkedin_namesakes.csv");
    // The dry run says what it will do: the second Priya is another person, not an update.
    std::string dry = s.ok({"import", "--dry-run", file});
    EXPECT_NE(dry.find("would add     contact      Priya Sharma  (not #1 of the same name: "
                       "another profile)"),
              std::string::npos)
        << dry;
    EXPECT_NE(dry.find("3 would be added, 0 would be updated, 0 unchanged"), std::string::npos);
    EXPECT_EQ(dry.find("Possible duplicate"), std::string::npos) << dry;

    std::string out = s.ok({"import", file});
    EXPECT_NE(out.find("3 added, 0 updated, 0 unchanged, 0 skipped"), std::string::npos) << out;
    EXPECT_EQ(rows(s, "SELECT c.name, c.company, c.title, r.network, r.value FROM contacts c "
                      "JOIN reach r ON r.contact_id = c.id AND r.kind = 'profile' "
                      "WHERE c.name = 'Priya Sharma' ORDER BY c.id"),
              (std::vector<std::string>{"Priya Sharma|Infosys|Senior Consultant|linkedin|"
                                        "https://www.linkedin.com/in/priya-sharma-4b21a7",
                                        "Priya Sharma|Studio Priya|Brand Designer|linkedin|"
                                        "https://www.linkedin.com/in/priyasharma-design"}));
    // Each got her own LinkedIn connection touch.
    EXPECT_EQ(rows(s, "SELECT contact_id, channel FROM interactions ORDER BY contact_id"),
              (std::vector<std::string>{"1|linkedin", "2|linkedin", "3|linkedin"}));

    // Again: each row finds its own contact by its URL, nothing is added or changed.
    std::string before = dump(s);
    out = s.ok({"import", file});
    EXPECT_NE(out.find("0 added, 0 updated, 3 unchanged"), std::string::npos) << out;
    EXPECT_EQ(dump(s), before);
    // Not likely duplicates either: their profiles tell them apart.
    EXPECT_EQ(s.ok({"duplicates"}), "No likely duplicates.\n");
}

TEST(Identity, GoogleNamesakesWithDifferentPhonesStayTwoContacts) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    std::string out = s.ok({"import", import_file("google_namesakes.csv")});
    EXPECT_NE(out.find("3 added, 0 updated, 0 unchanged"), std::string::npos) << out;
    EXPECT_EQ(rows(s, "SELECT c.id, c.name, r.position, r.value, r.label FROM contacts c "
                      "JOIN reach r ON r.contact_id = c.id AND r.kind = 'phone' "
                      "WHERE c.name = 'Michael Brown' ORDER BY c.id, r.position"),
              (std::vector<std::string>{"1|Michael Brown|0|+1 503 555 0142|mobile",
                                        "2|Michael Brown|0|(971) 555-0187|mobile",
                                        "2|Michael Brown|1|+1 971 555 0100|home"}));
    EXPECT_EQ(rows(s, "SELECT company, notes FROM contacts WHERE name = 'Michael Brown' "
                      "ORDER BY id"),
              (std::vector<std::string>{"Brown Plumbing|", "|Soccer coach (Emma's team)"}));
    out = s.ok({"import", import_file("google_namesakes.csv")});
    EXPECT_NE(out.find("0 added, 0 updated, 3 unchanged"), std::string::npos) << out;
    EXPECT_EQ(rows(s, "SELECT count(*) FROM contacts"), std::vector<std::string>{"3"});
}

TEST(Identity, ASameNameRecordWithoutIdentifiersIsAddedAndListed) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--plan", "none"});
    s.ok({"add", "Bo Díaz", "--plan", "none"}); // nothing to reach him by yet
    std::filesystem::path file = s.dir() / "list.csv";
    // Ann without anything that tells her apart; Bo with an email for the Bo who has none;
    // a Cy twice in one file.
    write(file, "name,company,email\nAnn Lee,Acme,\nBo Diaz,,bo@diaz.example\nCy Park,One,\n"
                "Cy Park,Two,\n");
    std::string dry = s.ok({"import", "-n", file.string()});
    EXPECT_NE(dry.find("would add     contact      Ann Lee  (possible duplicate of #1)"),
              std::string::npos)
        << dry;
    EXPECT_NE(dry.find("would update  contact      Bo Díaz  (email)"), std::string::npos) << dry;
    EXPECT_NE(dry.find("would add     contact      Cy Park  (possible duplicate of #4)"),
              std::string::npos)
        << dry;
    EXPECT_NE(dry.find("Possible duplicate: " + file.string() +
                       ":2: Ann Lee would be added as #3 beside #1 of the same name (no email, "
                       "phone or profile tells them apart)"),
              std::string::npos)
        << dry;
    EXPECT_NE(dry.find(":5: Cy Park would be added as #5 beside #4"), std::string::npos) << dry;
    EXPECT_EQ(rows(s, "SELECT count(*) FROM contacts"), std::vector<std::string>{"2"});

    std::string out = s.ok({"import", file.string()});
    EXPECT_NE(out.find("3 added, 1 updated, 0 unchanged"), std::string::npos) << out;
    EXPECT_NE(out.find("Possible duplicate: " + file.string() +
                       ":2: Ann Lee added as #3 beside #1 of the same name"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("List them with 'followup duplicates'"), std::string::npos) << out;
    EXPECT_EQ(rows(s, "SELECT c.id, c.name, c.company, coalesce(r.value, '') FROM contacts c "
                      "LEFT JOIN reach r ON r.contact_id = c.id ORDER BY c.id"),
              (std::vector<std::string>{"1|Ann Lee||ann@lee.example", "2|Bo Díaz||bo@diaz.example",
                                        "3|Ann Lee|Acme|", "4|Cy Park|One|", "5|Cy Park|Two|"}));
    // Re-importing the file finds each row's contact again: nothing is added.
    std::string before = dump(s);
    out = s.ok({"import", file.string()});
    EXPECT_NE(out.find("0 added, 0 updated, 4 unchanged"), std::string::npos) << out;
    EXPECT_EQ(out.find("Possible duplicate"), std::string::npos) << out;
    EXPECT_EQ(dump(s), before);

    // duplicates lists both pairs, read-only.
    EXPECT_EQ(s.ok({"duplicates"}), " A  NAME      B  NAME     WHY\n"
                                    "#1  Ann Lee  #3  Ann Lee  same name\n"
                                    "#4  Cy Park  #5  Cy Park  same name\n"
                                    "Merge a pair with 'followup merge A B' (B goes into A); "
                                    "'followup undo' takes it back.\n");
    json pairs = s.json_of({"duplicates"});
    ASSERT_EQ(pairs.size(), 2u);
    EXPECT_EQ(pairs[0], (json{{"a_id", 1},
                              {"a_name", "Ann Lee"},
                              {"b_id", 3},
                              {"b_name", "Ann Lee"},
                              {"reasons", {"same name"}}}));
    EXPECT_EQ(dump(s), before);
}

TEST(Identity, DuplicatesNameSharedEmailsPhonesAndProfiles) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "Ann@Lee.example", "--plan", "none"});
    // Each shares an identifier with one before it: `add` refuses that without --new.
    s.ok({"add", "A. Lee", "--email", "ann@lee.example", "--phone", "+44 7700 900123", "--plan",
          "none", "--new"});
    s.ok({"add", "Annie", "--phone", "+44 (7700) 900-123", "--profile",
          "linkedin:https://www.linkedin.com/in/annlee/", "--plan", "none", "--new"});
    s.ok({"add", "Someone", "--profile", "linkedin:in/annlee", "--plan", "none", "--new"});
    json pairs = s.json_of({"duplicates"});
    ASSERT_EQ(pairs.size(), 3u) << pairs.dump(2);
    EXPECT_EQ(pairs[0]["a_id"], 1);
    EXPECT_EQ(pairs[0]["b_id"], 2);
    EXPECT_EQ(pairs[0]["reasons"], json({"same email ann@lee.example"}));
    EXPECT_EQ(pairs[1]["a_id"], 2);
    EXPECT_EQ(pairs[1]["b_id"], 3);
    EXPECT_EQ(pairs[1]["reasons"], json({"same phone +447700900123"}));
    EXPECT_EQ(pairs[2]["a_id"], 3);
    EXPECT_EQ(pairs[2]["b_id"], 4);
    EXPECT_EQ(pairs[2]["reasons"], json({"same profile linkedin:linkedin.com/in/annlee"}));
    // An import of a new record with that profile finds #3, whose URL is written differently
    // (a name that agrees with #3's: issue 31 merges on a shared identifier only then).
    std::filesystem::path file = s.dir() / "p.csv";
    write(file, "name,profiles\nAnnie L,linkedin:https://linkedin.com/in/AnnLee\n");
    std::string out = s.ok({"import", file.string()});
    EXPECT_NE(out.find("0 added, 0 updated, 1 unchanged"), std::string::npos) << out;
    EXPECT_EQ(rows(s, "SELECT count(*) FROM reach WHERE kind = 'profile'"),
              std::vector<std::string>{"2"});
}

TEST(Identity, MergeMovesEverythingAttachedAndUndoRestoresIt) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@work.example", "--met", "2026-11-20 10:00", "--tag",
          "bni"});
    s.ok({"add", "Annie Lee", "--phone", "mobile:+1 415 555 0100", "--address", "1 Elm St",
          "--profile", "linkedin:in/annie-lee", "--met", "2026-11-19 18:00", "--tag", "vip",
          "--event", "Mixer", "--every", "30d"});
    s.ok({"add", "Cy Park", "--referred-by", "#2", "--plan", "none"});
    s.at("2026-11-21T09:00:00Z");
    s.ok({"log", "#2", "--via", "phone", "--in", "--note", "called back"});
    s.ok({"promise", "#2", "send the deck", "--by", "2026-11-25"});
    s.ok({"referral", "receive", "--from", "#2", "--prospect", "Dee Vo"});
    s.ok({"referral", "give", "--to", "#2", "--prospect", "Cy Park"});
    s.at("2026-11-21T10:00:00Z");
    std::string before = dump(s);
    // What B has before the merge.
    auto b_steps =
        rows(s, "SELECT id, kind, status FROM followups WHERE contact_id = 2 ORDER BY id");
    ASSERT_FALSE(b_steps.empty());

    std::string out = s.ok({"merge", "#1", "#2"});
    EXPECT_EQ(out.find("Merged #2 Annie Lee into #1 Ann Lee: "), 0u) << out;
    EXPECT_NE(out.find("skipped "), std::string::npos) << out;
    // B is gone, everything of B's is A's.
    EXPECT_EQ(rows(s, "SELECT count(*) FROM contacts WHERE id = 2"), std::vector<std::string>{"0"});
    EXPECT_EQ(rows(s, "SELECT count(*) FROM followups WHERE contact_id = 2"),
              std::vector<std::string>{"0"});
    EXPECT_EQ(rows(s, "SELECT contact_id, channel, direction, note FROM interactions WHERE note = "
                      "'called back'"),
              std::vector<std::string>{"1|phone|in|called back"});
    EXPECT_EQ(rows(s, "SELECT direction, referrer_id, member_id FROM referrals ORDER BY id"),
              (std::vector<std::string>{"received|1|NULL", "given|NULL|1"}));
    EXPECT_EQ(rows(s, "SELECT referred_by FROM contacts WHERE name = 'Cy Park'"),
              std::vector<std::string>{"1"});
    // Both sets of reach, A's first; both tags; the fields A lacked.
    EXPECT_EQ(rows(s, "SELECT kind, value, label, network FROM reach WHERE contact_id = 1 "
                      "ORDER BY kind, position"),
              (std::vector<std::string>{"address|1 Elm St||", "email|ann@work.example||",
                                        "phone|+1 415 555 0100|mobile|",
                                        "profile|in/annie-lee||linkedin"}));
    EXPECT_EQ(rows(s, "SELECT tag FROM contact_tags WHERE contact_id = 1 ORDER BY tag"),
              (std::vector<std::string>{"bni", "vip"}));
    EXPECT_EQ(rows(s, "SELECT c.name, e.name, c.every_days, c.met FROM contacts c JOIN events e "
                      "ON e.id = c.event_id WHERE c.id = 1"),
              std::vector<std::string>{"Ann Lee|Mixer|30|" +
                                       std::to_string(e2e::epoch("2026-11-19T23:00:00Z"))});
    // The last touch is the newest of both: B's call.
    EXPECT_EQ(rows(s, "SELECT last_touch FROM contacts WHERE id = 1"),
              std::vector<std::string>{std::to_string(e2e::epoch("2026-11-21T09:00:00Z"))});
    // One open note, connect and meet: A's; B's are skipped as duplicates, and B's promise and
    // referral steps are A's.
    for (const char* kind : {"note", "connect", "meet"}) {
        SCOPED_TRACE(kind);
        EXPECT_EQ(rows(s, std::string("SELECT count(*) FROM followups WHERE contact_id = 1 AND "
                                      "status = 'open' AND kind = '") +
                              kind + "'"),
                  std::vector<std::string>{"1"});
        EXPECT_EQ(rows(s, std::string("SELECT status, note FROM followups WHERE contact_id = 1 "
                                      "AND status = 'skipped' AND kind = '") +
                              kind + "'"),
                  std::vector<std::string>{"skipped|merged into #1 Ann Lee, which has its own"});
    }
    EXPECT_EQ(rows(s, "SELECT count(*) FROM followups WHERE contact_id = 1 AND kind = 'promise' "
                      "AND status = 'open'"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(rows(s, "SELECT count(*) FROM followups WHERE contact_id = 1 AND kind = 'reconnect' "
                      "AND status = 'open'"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(rows(s, "SELECT count(*) FROM followups WHERE contact_id = 1 AND kind = 'report'"),
              std::vector<std::string>{"0"});
    EXPECT_EQ(rows(s, "SELECT count(*) FROM followups WHERE contact_id = 1 AND kind = 'checkin' "
                      "AND status = 'open'"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(s.ok({"duplicates"}), "No likely duplicates.\n");

    // Undo puts B back with everything as it was.
    std::string undo = s.ok({"undo"});
    EXPECT_NE(undo.find("merge #1 #2"), std::string::npos) << undo;
    EXPECT_EQ(dump(s), before);

    // The same contact twice is a usage error that changes nothing.
    e2e::Result same = s.run({"merge", "#1", "ann lee"});
    EXPECT_EQ(same.status, 2);
    EXPECT_EQ(same.err_line(), "followup: #1 Ann Lee is the same contact twice: nothing to merge");
    e2e::Result missing = s.run({"merge", "#1", "#99"});
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(dump(s), before);
}

TEST(RoundTrip, DerivedAndChosenHandlesSurviveEveryFormatOnTheRows) {
    Sandbox s;
    s.tz = "UTC";
    s.at("2026-11-20T13:00:00Z");
    const std::vector<std::string> met{"--met", "2026-11-20 10:00"};
    auto add = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "add");
        args.insert(args.end(), met.begin(), met.end());
        s.ok(args);
    };
    // No chosen channel (derived: the email); SMS and WhatsApp on a mobile number they do not
    // pin; a WhatsApp number of its own (chosen); Signal beside an email; and nothing at all.
    add({"Ann Email", "--email", "work:ann@acme.example", "--email", "ann@home.example"});
    add({"Sam Sms", "--phone", "work:+44 20 7946 0000", "--phone", "mobile:+44 7700 900456",
         "--via", "sms"});
    add({"Wes Whatsapp", "--phone", "mobile:+44 7700 900123", "--via", "whatsapp"});
    add({"Cho Chosen", "--phone", "+44 7700 900999", "--via", "whatsapp:+44 7700 111111"});
    add({"Sig Nal", "--phone", "+44 7700 900777", "--email", "sig@nal.example", "--via", "signal"});
    add({"Nob Ody", "--tag", "x"});
    const std::string contacts_sql =
        "SELECT uuid, name, company, title, channel, notes, birthday, met, every_days, "
        "last_touch, archived, created FROM contacts ORDER BY uuid";
    const std::string reach_sql =
        "SELECT c.uuid, r.kind, r.position, r.value, r.label, r.network FROM reach r JOIN "
        "contacts c ON c.id = r.contact_id ORDER BY c.uuid, r.kind, r.position";
    const std::string followups_sql =
        "SELECT f.uuid, c.uuid, f.kind, f.title, f.due, f.original_due, f.status, f.channel "
        "FROM followups f JOIN contacts c ON c.id = f.contact_id ORDER BY f.uuid";
    auto contacts = rows(s, contacts_sql);
    auto reach = rows(s, reach_sql);
    auto followups = rows(s, followups_sql);

    struct Case {
        std::string name;
        std::vector<std::string> export_args;
        bool backup; ///< carries the follow-ups
    };
    for (const auto& c : std::vector<Case>{
             {"csv", {"export", "contacts", "--format", "csv"}, false},
             {"tsv", {"export", "contacts", "--format", "tsv"}, false},
             {"json", {"export", "all", "--format", "json"}, true},
             {"vcf", {"export", "contacts", "--format", "vcf"}, false},
         }) {
        SCOPED_TRACE(c.name);
        Sandbox t;
        t.tz = "UTC";
        t.at("2026-11-20T13:00:00Z");
        std::filesystem::path file = t.dir() / ("export." + c.name);
        write(file, s.ok(c.export_args));
        t.ok({"import", file.string()});
        std::vector<std::string> want = contacts;
        if (c.name == "vcf") {
            // vCard carries no times of followup's: compare what it carries.
            auto cut = [](std::vector<std::string> v) {
                for (auto& line : v) {
                    std::vector<std::string> cells;
                    std::size_t at = 0;
                    for (int i = 0; i < 7; ++i) {
                        std::size_t bar = line.find('|', at);
                        cells.push_back(line.substr(at, bar - at));
                        at = bar + 1;
                    }
                    line = cells[0] + "|" + cells[1] + "|" + cells[4];
                }
                return v;
            };
            EXPECT_EQ(cut(rows(t, contacts_sql)), cut(contacts));
        } else {
            EXPECT_EQ(rows(t, contacts_sql), contacts);
        }
        EXPECT_EQ(rows(t, reach_sql), reach);
        if (c.backup) {
            EXPECT_EQ(rows(t, followups_sql), followups);
        } else {
            for (const char* who : {"Ann Email", "Sam Sms", "Wes Whatsapp", "Cho Chosen"})
                t.ok({"todo", who, "follow up", "--by", "2026-11-30"});
        }
        // New ways to reach them: the follow-ups on derived channels move, a chosen handle stays.
        t.ok({"edit", "Ann Email", "--email", "ann@new.example"});
        t.ok({"edit", "Sam Sms", "--phone", "mobile:+44 7700 000001"});
        t.ok({"edit", "Wes Whatsapp", "--phone", "mobile:+44 7700 000002"});
        t.ok({"edit", "Cho Chosen", "--phone", "mobile:+44 7700 000003"});
        json due = t.json_of({"due", "--all"});
        std::map<std::string, std::pair<std::string, std::string>> seen;
        for (const auto& f : due)
            if (f["kind"] != "connect" && f["handle"].is_string())
                seen[f["contact"].get<std::string>()] = {f["channel"].get<std::string>(),
                                                         f["handle"].get<std::string>()};
        EXPECT_EQ(seen["Ann Email"],
                  std::make_pair(std::string("email"), std::string("ann@new.example")));
        EXPECT_EQ(seen["Sam Sms"],
                  std::make_pair(std::string("sms"), std::string("+44 7700 000001")));
        EXPECT_EQ(seen["Wes Whatsapp"],
                  std::make_pair(std::string("whatsapp"), std::string("+44 7700 000002")));
        EXPECT_EQ(seen["Cho Chosen"],
                  std::make_pair(std::string("whatsapp"), std::string("+44 7700 111111")));
    }
}

// ------------------------------------------------------------------------------ issue 31

// A typed name that matches nobody but is near someone is refused with the candidate, exit 2,
// nothing written; --new creates the person anyway.
TEST(Identity, ANearNameIsRefusedWithDidYouMeanAndNewCreatesIt) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Priya Shah", "--plan", "none"});
    std::string before = dump(s);
    e2e::Result r =
        s.run({"referral", "receive", "--from", "Pria Shah", "--prospect", "Anita Rao"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err, "followup: no contact 'Pria Shah'; did you mean #1 Priya Shah?\n");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(dump(s), before);
    // Other writing commands refuse the same way.
    for (std::vector<std::string> args :
         {std::vector<std::string>{"log", "Pria Shah", "--note", "x"},
          {"promise", "Pria Shah", "send the deck", "--by", "tomorrow"},
          {"add", "Anita Rao", "--referred-by", "Pria Shah"}}) {
        e2e::Result refused = s.run(args);
        EXPECT_EQ(refused.status, 2) << args[0] << ": " << refused.err;
        EXPECT_EQ(refused.err_line(),
                  "followup: no contact 'Pria Shah'; did you mean #1 Priya Shah?")
            << args[0];
    }
    EXPECT_EQ(dump(s), before);
    // --new: another person after all.
    std::string made =
        s.ok({"referral", "receive", "--from", "Pria Shah", "--prospect", "Anita Rao", "--new"});
    EXPECT_NE(made.find("Pria Shah"), std::string::npos) << made;
    EXPECT_EQ(rows(s, "SELECT id, name FROM contacts ORDER BY id"),
              (std::vector<std::string>{"1|Priya Shah", "2|Pria Shah", "3|Anita Rao"}));
    // A name written otherwise is the same person: no suggestion, no new contact.
    s.ok({"referral", "receive", "--from", "SHAH, Priya", "--prospect", "anita rao"});
    EXPECT_EQ(rows(s, "SELECT count(*) FROM contacts"), (std::vector<std::string>{"3"}));
}

// Read commands suggest the same way; a unique prefix of a word is taken.
TEST(Identity, ReadCommandsSuggestAndTakeAPrefixOfAWord) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Priya Shah", "--plan", "none"});
    s.ok({"add", "Margaret Hill", "--plan", "none"});
    e2e::Result r = s.run({"show", "margret"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: no contact 'margret'; did you mean #2 Margaret Hill?\n");
    e2e::Result nobody = s.run({"show", "zebedee"});
    EXPECT_EQ(nobody.status, 1);
    EXPECT_EQ(nobody.err_line(), "followup: no contact matches 'zebedee'");
    EXPECT_NE(s.ok({"show", "marg"}).find("Margaret Hill"), std::string::npos);
    // A substring that is not the start of a word is only a suggestion.
    e2e::Result inside = s.run({"show", "garet"});
    EXPECT_EQ(inside.status, 2);
    EXPECT_EQ(inside.err_line(), "followup: no contact 'garet'; did you mean #2 Margaret Hill?");
}

// `edit W15-5` after W15-5's deletion must not edit W15-54.
TEST(Identity, ACodeLikeNameIsNeverTakenForALongerOne) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "W15-5", "--plan", "none"});
    s.ok({"add", "W15-54", "--plan", "none", "--company", "Before"});
    s.ok({"rm", "W15-5", "--yes"});
    std::string before = dump(s);
    e2e::Result r = s.run({"edit", "W15-5", "--company", "After"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err, "followup: no contact 'W15-5'; did you mean #2 W15-54?\n");
    EXPECT_EQ(dump(s), before);
    EXPECT_EQ(rows(s, "SELECT company FROM contacts WHERE name = 'W15-54'"),
              (std::vector<std::string>{"Before"}));
}

// A name that looks like an id is reached with name:.
TEST(Identity, ANameThatLooksLikeAnIdIsReachedWithNamePrefix) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "12", "--plan", "none", "--company", "Numbers Ltd"});
    s.ok({"add", "#1", "--plan", "none", "--company", "Hash Co"});
    e2e::Result by_id = s.run({"show", "12"});
    EXPECT_EQ(by_id.status, 1);
    EXPECT_EQ(by_id.err_line(), "followup: no contact #12");
    EXPECT_NE(s.ok({"show", "name:12"}).find("Numbers Ltd"), std::string::npos);
    EXPECT_NE(s.ok({"show", "name:#1"}).find("Hash Co"), std::string::npos);
    // `show 1` is the contact of id 1, named "12".
    EXPECT_NE(s.ok({"show", "1"}).find("Numbers Ltd"), std::string::npos);
}

// add with an email, phone or profile another contact has is refused naming them; --new adds.
TEST(Identity, AddWithAnotherContactsIdentifierIsRefused) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Priya Shah", "--plan", "none", "--email", "priya@shah.example", "--phone",
          "+44 7700 900001"});
    std::string before = dump(s);
    e2e::Result email = s.run({"add", "Priya S", "--email", "Priya@Shah.example"});
    EXPECT_EQ(email.status, 2);
    EXPECT_EQ(email.err, "followup: #1 Priya Shah has the email priya@shah.example already; to "
                         "add another person with it, add --new\n");
    e2e::Result phone = s.run({"add", "Raj Shah", "--phone", "+447700900001"});
    EXPECT_EQ(phone.status, 2);
    EXPECT_EQ(phone.err_line(), "followup: #1 Priya Shah has the phone +447700900001 already; to "
                                "add another person with it, add --new");
    EXPECT_EQ(dump(s), before);
    // A shared family number: --new adds anyway.
    s.ok({"add", "Raj Shah", "--phone", "+447700900001", "--new", "--plan", "none"});
    EXPECT_EQ(rows(s, "SELECT id, name FROM contacts ORDER BY id"),
              (std::vector<std::string>{"1|Priya Shah", "2|Raj Shah"}));
}

// An Android export (vCard 2.1, quoted-printable): two people sharing the office number stay
// two, and a card with a byte that is not UTF-8 in ORG is imported with U+FFFD, warned once.
TEST(Identity, AndroidVcardKeepsEveryPersonAndWarnsOnceForABadByte) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    std::filesystem::path file = s.dir() / "android.vcf";
    write(file, "BEGIN:VCARD\r\n"
                "VERSION:2.1\r\n"
                "N:Berg;Anna;;;\r\n"
                "FN:Anna Berg\r\n"
                "TEL;WORK:123456\r\n"
                "EMAIL;INTERNET:anna@acme.example\r\n"
                "END:VCARD\r\n"
                "BEGIN:VCARD\r\n"
                "VERSION:2.1\r\n"
                "N:Holm;Carl;;;\r\n"
                "FN:Carl Holm\r\n"
                "TEL;WORK:123456\r\n"
                "EMAIL;INTERNET:carl@acme.example\r\n"
                "END:VCARD\r\n"
                "BEGIN:VCARD\r\n"
                "VERSION:2.1\r\n"
                "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96berg;J=C3=B6rn;;;\r\n"
                "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rn =C3=96berg\r\n"
                "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=E9ller AB\r\n"
                "TEL;CELL:+46 70 123 45 67\r\n"
                "EMAIL;HOME:jorn@example.se\r\n"
                "END:VCARD\r\n");
    e2e::Result r = s.run({"import", file.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("3 added, 0 updated, 0 unchanged, 0 skipped"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Carl Holm added as #2 beside #1 (shares phone 123456 under another "
                         "name)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.err, "followup: warning: " + file.string() +
                         ":19: ORG is not valid UTF-8; kept with U+FFFD for the bad bytes\n" +
                         created(s));
    EXPECT_EQ(
        rows(s, "SELECT c.name, c.company, r.value FROM contacts c JOIN reach r ON "
                "r.contact_id = c.id AND r.kind = 'email' ORDER BY c.id"),
        (std::vector<std::string>{"Anna Berg||anna@acme.example", "Carl Holm||carl@acme.example",
                                  "Jörn Öberg|M\xEF\xBF\xBDller AB|jorn@example.se"}));
    // duplicates lists the pair for a person to decide.
    EXPECT_NE(s.ok({"duplicates"}).find("same phone 123456"), std::string::npos);

    // The same with a raw byte (no quoted-printable): the card is read, warned once.
    Sandbox t;
    t.at("2026-11-20T13:00:00Z");
    std::filesystem::path raw = t.dir() / "raw.vcf";
    write(raw, "BEGIN:VCARD\nVERSION:3.0\nFN:Jörn Öberg\nORG:M\xE9ller AB\n"
               "EMAIL:jorn@example.se\nEND:VCARD\n");
    e2e::Result rr = t.run({"import", raw.string()});
    EXPECT_EQ(rr.status, 0) << rr.err;
    EXPECT_EQ(rr.err, "followup: warning: " + raw.string() +
                          ":4: ORG is not valid UTF-8; kept with U+FFFD for the bad bytes\n" +
                          created(t));
    EXPECT_EQ(rows(t, "SELECT name, company FROM contacts"),
              (std::vector<std::string>{"Jörn Öberg|M\xEF\xBF\xBDller AB"}));
}

// CSV and JSON: a cell or value that is not UTF-8 keeps its record.
TEST(Identity, CsvAndJsonKeepARecordWithABadByte) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    std::filesystem::path csv = s.dir() / "people.csv";
    write(csv, "name,email,company\nAnn Lee,ann@x.example,Caf\xE9 Ltd\nBo Ray,bo@x.example,Ok\n");
    e2e::Result r = s.run({"import", csv.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "followup: warning: " + csv.string() +
                         ":2: company is not valid UTF-8; kept with U+FFFD for the bad bytes\n" +
                         created(s));
    EXPECT_EQ(rows(s, "SELECT name, company FROM contacts ORDER BY id"),
              (std::vector<std::string>{"Ann Lee|Caf\xEF\xBF\xBD Ltd", "Bo Ray|Ok"}));

    Sandbox t;
    t.at("2026-11-20T13:00:00Z");
    std::filesystem::path json_file = t.dir() / "people.json";
    write(json_file, "[\n  {\"name\": \"Cy Dee\",\n   \"company\": \"Caf\xE9\"}\n]\n");
    e2e::Result j = t.run({"import", json_file.string()});
    EXPECT_EQ(j.status, 0) << j.err;
    EXPECT_EQ(j.err, "followup: warning: " + json_file.string() +
                         ":3: company is not valid UTF-8; kept with U+FFFD for the bad bytes\n" +
                         created(t));
    EXPECT_EQ(rows(t, "SELECT name, company FROM contacts"),
              (std::vector<std::string>{"Cy Dee|Caf\xEF\xBF\xBD"}));
}
