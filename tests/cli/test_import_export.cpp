// Import and export through the real binary: LinkedIn, Google, generic CSV, vCard and followup's
// JSON in; JSON, CSV, iCalendar and vCard out, checked by parsers followup did not write.

#include "harness.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>

using e2e::json;
using e2e::Sandbox;

namespace {

const std::filesystem::path data_dir = FOLLOWUP_TEST_DATA;

std::string import_file(const std::string& name) {
    return (data_dir / "import" / name).string();
}
std::string vcard_file(const std::string& name) {
    return (data_dir / "vcard" / name).string();
}

/// The database (bytes on SQLite, rows on PostgreSQL) for unchanged-checks.
std::string db_bytes(const Sandbox& s) {
    return s.state();
}

/// A contact of `contacts --format json` by name (fails the test when missing).
json contact_named(const json& contacts, const std::string& name) {
    for (const auto& c : contacts)
        if (c["name"] == name) return c;
    ADD_FAILURE() << "no contact " << name << " in " << contacts.dump(2);
    return json::object();
}

std::vector<std::string> names_of(const json& contacts) {
    std::vector<std::string> out;
    for (const auto& c : contacts)
        out.push_back(c["name"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
}

/// A backup without its "exported" stamp, for comparing two exports.
std::string backup_body(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find("\"exported\"") == std::string::npos) out += line + "\n";
    return out;
}

/// Runs a shell command with `input` on stdin; returns its stdout and sets `status`.
std::string shell(const std::string& command, const std::string& input, int& status,
                  const std::filesystem::path& dir) {
    auto in = dir / "shell-in";
    auto out = dir / "shell-out";
    {
        std::ofstream f(in, std::ios::binary);
        f << input;
    }
    int rc = std::system((command + " < '" + in.string() + "' > '" + out.string() + "'").c_str());
    status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return e2e::slurp(out);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

} // namespace

TEST(Import, LinkedInConnectionsWithPreambleAndRestrictedRows) {
    Sandbox s;
    s.at("2026-11-19T23:00:00Z"); // met Bob at an event, Thursday 18:00 in New York
    s.ok({"add", "Bob Stone", "--met", "2026-11-19 18:00"});
    s.at("2026-11-22T15:00:00Z");
    std::string out = s.ok({"import", import_file("linkedin.csv")});
    EXPECT_NE(out.find("(linkedin): 3 added, 1 updated, 0 unchanged, 2 skipped (2 without a "
                       "name: LinkedIn members who restrict their data)."),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("Logged 4 LinkedIn connections as touches."), std::string::npos) << out;

    json contacts = s.json_of({"contacts"});
    EXPECT_EQ(names_of(contacts),
              (std::vector<std::string>{"Ann Lee", "Bob Stone", "Zoë Ångström", "李 小龍"}));
    json ann = contact_named(contacts, "Ann Lee");
    EXPECT_EQ(ann["email"], "ann@lee.example");
    EXPECT_EQ(ann["company"], "Lee & Partners, LLC");
    EXPECT_EQ(ann["title"], "Founder");
    EXPECT_EQ(ann["channel"], "linkedin");
    EXPECT_EQ(ann["handle"], "https://www.linkedin.com/in/annlee");
    // Connected On 15 Jun 2026 is a touch at the end of that day in New York (EDT).
    EXPECT_EQ(ann["last_touch"], "2026-06-16T03:59:59Z");
    json zoe = contact_named(contacts, "Zoë Ångström");
    EXPECT_TRUE(zoe["email"].is_null());
    EXPECT_EQ(zoe["title"], "Head of \"Growth\"");

    // Bob existed: the import fills his company and title and closes his open `connect` step.
    json bob = s.json_of({"show", "Bob Stone"});
    EXPECT_EQ(bob["company"], "Stone Builders");
    EXPECT_EQ(bob["title"], "CEO");
    bool connect_done = false;
    for (const auto& f : bob["followups"])
        if (f["kind"] == "connect") {
            connect_done = true;
            EXPECT_EQ(f["status"], "done");
            EXPECT_EQ(f["done_at"], "2026-11-21T04:59:59Z"); // end of 20 Nov, EST
        }
    EXPECT_TRUE(connect_done) << bob.dump(2);
    ASSERT_EQ(bob["interactions"].size(), 1u);
    EXPECT_EQ(bob["interactions"][0]["channel"], "linkedin");
    EXPECT_EQ(bob["interactions"][0]["at"], "2026-11-21T04:59:59Z");

    // The same file again adds nothing, logs nothing and changes nothing.
    std::string before = backup_body(s.ok({"export", "all"}));
    out = s.ok({"import", import_file("linkedin.csv")});
    EXPECT_NE(out.find("0 added, 0 updated, 4 unchanged, 2 skipped"), std::string::npos) << out;
    EXPECT_EQ(out.find("Logged"), std::string::npos) << out;
    EXPECT_EQ(backup_body(s.ok({"export", "all"})), before);
}

TEST(Import, GoogleContactsCurrentAndLegacyLayouts) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    std::string out = s.ok({"import", import_file("google_current.csv")});
    EXPECT_NE(out.find("(google): 3 added"), std::string::npos) << out;
    out = s.ok({"import", import_file("google_legacy.csv")});
    EXPECT_NE(out.find("(google): 2 added"), std::string::npos) << out;

    json contacts = s.json_of({"contacts"});
    json carla = contact_named(contacts, "Carla Mendes");
    EXPECT_EQ(carla["email"], "carla@mendes.example"); // "* Work" is the primary one
    EXPECT_EQ(carla["phone"], "+351 912 345 678");
    EXPECT_EQ(carla["company"], "Mendes Design");
    EXPECT_EQ(carla["title"], "Owner");
    EXPECT_EQ(carla["birthday"], "1985-04-12");
    EXPECT_EQ(carla["tags"], json({"BNI", "Clients"}));
    // Every email and phone with its label, the LinkedIn site a profile; none in the notes.
    EXPECT_EQ(carla["emails"], json::parse(R"([{"value": "carla@mendes.example", "label": "work"},
                                               {"value": "carla.home@example.org", "label": "home"}])"));
    EXPECT_EQ(carla["phones"],
              json::parse(R"([{"value": "+351 912 345 678", "label": "mobile"}])"));
    EXPECT_EQ(carla["profiles"][0]["network"], "linkedin");
    EXPECT_EQ(carla["profiles"][0]["handle"], "https://www.linkedin.com/in/carlamendes");
    EXPECT_EQ(carla["channel"], "email");
    EXPECT_EQ(carla["handle"], "carla@mendes.example");
    EXPECT_EQ(carla["notes"], "Met at BNI, loves \"coffee\"");
    json dan = contact_named(contacts, "Dr. Dan J. Okafor");
    EXPECT_EQ(dan["email"], "dan@okafor.example");
    EXPECT_EQ(dan["birthday"], "07-04"); // "--07-04": no year
    EXPECT_EQ(dan["notes"], nullptr);
    EXPECT_EQ(dan["emails"], json::parse(R"([{"value": "dan@okafor.example", "label": "work"},
                                             {"value": "dan.j@okafor.example", "label": "work"}])"));
    EXPECT_EQ(dan["phones"], json::parse(R"([{"value": "+1 415 555 0100", "label": "work"},
                                             {"value": "+1 415 555 0199", "label": "mobile"}])"));
    // A row with only a phone number is kept under that number.
    contact_named(contacts, "+44 20 7946 0000");
    json erin = contact_named(contacts, "Erin Walsh");
    EXPECT_EQ(erin["email"], "erin@walsh.example");
    EXPECT_EQ(erin["company"], "Walsh Consulting");
    EXPECT_EQ(erin["title"], "Principal");
    EXPECT_EQ(erin["birthday"], "1990-02-28");
    EXPECT_EQ(erin["tags"], json({"Friends"}));
    json farid = contact_named(contacts, "Farid Haddad");
    EXPECT_EQ(farid["email"], "farid@haddad.example");
    EXPECT_EQ(farid["tags"], json({"Referral Partners"}));

    // Birthdays get their card: Carla's is due 5 days before 12 April, end of day.
    json due = s.json_of({"due", "--all", "--kind", "birthday", "--contact", "Carla"});
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0]["due"], "2027-04-08T03:59:59Z");
}

TEST(Import, GenericCsvAndFormulaCellsNeutralisedOnExport) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    std::string out = s.ok({"import", import_file("generic.csv")});
    EXPECT_NE(out.find("(csv): 2 added"), std::string::npos) << out;
    json gina = contact_named(s.json_of({"contacts"}), "Gina Rossi");
    EXPECT_EQ(gina["channel"], "whatsapp");
    EXPECT_EQ(gina["handle"], "+39 333 123 4567");
    EXPECT_EQ(gina["tags"], json({"bni", "italy"}));
    EXPECT_EQ(gina["birthday"], "12-24");
    EXPECT_EQ(gina["every_days"], 90);
    // Stored as written...
    EXPECT_EQ(gina["notes"], "=HYPERLINK(\"http://evil.example\",\"click\")");
    // ...and never handed to a spreadsheet as a formula.
    std::string csv = s.ok({"export", "contacts", "--format", "csv"});
    EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find(",'@mention me,"), std::string::npos) << csv;
    std::string tsv = s.ok({"export", "contacts", "--format", "tsv"});
    EXPECT_NE(tsv.find("\t'=HYPERLINK("), std::string::npos) << tsv;

    // followup's own CSV comes back in: the ' is taken off again, nothing is duplicated.
    Sandbox t;
    t.at("2026-11-22T16:00:00Z");
    std::filesystem::path file = t.dir() / "contacts.csv";
    std::ofstream(file, std::ios::binary) << csv;
    t.ok({"import", file.string()});
    json again = contact_named(t.json_of({"contacts"}), "Gina Rossi");
    EXPECT_EQ(again["notes"], gina["notes"]);
    EXPECT_EQ(again["uuid"], gina["uuid"]);
    out = t.ok({"import", file.string()});
    EXPECT_NE(out.find("0 added, 0 updated, 2 unchanged"), std::string::npos) << out;
}

TEST(Import, BrokenFilesNameTheLineAndChangeNothing) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    s.ok({"add", "Ana Souza", "--email", "ana@acme.example"});
    struct Case {
        std::string file;
        std::vector<std::string> extra;
        int status;
        std::string message;
    };
    const std::vector<Case> cases{
        {import_file("unbalanced.csv"),
         {},
         2,
         "unbalanced.csv:2: unbalanced quote: a quoted cell opens here and never closes"},
        {import_file("wrong_shape.json"),
         {},
         2,
         "wrong_shape.json:6: contacts[1]: \"name\" must be a string"},
        {import_file("truncated.json"), {}, 2, "truncated.json:2: not valid JSON"},
        {vcard_file("truncated.vcf"), {}, 2, "truncated.vcf:5: vCard not closed"},
        {import_file("google_current.csv"),
         {"--format", "linkedin"},
         2,
         "google_current.csv:1: no LinkedIn header"},
        {import_file("no-such-file.csv"),
         {},
         1,
         "cannot read " + import_file("no-such-file.csv") + ": No such file or directory"},
        {data_dir.string(), {}, 1, "it is a folder"},
        {import_file("linkedin.csv"), {"--format", "xml"}, 2, "unknown import format 'xml'"},
    };
    for (const auto& c : cases) {
        std::string before = db_bytes(s);
        std::vector<std::string> args{"import", c.file};
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, c.status) << c.file << "\n" << r.err;
        EXPECT_TRUE(r.err_line().starts_with("followup: ")) << r.err;
        EXPECT_NE(r.err_line().find(c.message), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(db_bytes(s), before) << c.file;
    }

    // A raw NUL byte: not a text file, refused whole.
    std::filesystem::path nul = s.dir() / "nul.csv";
    std::ofstream(nul, std::ios::binary)
        << std::string("name,email\nNul\0Person,n@x.example\n", 33);
    {
        std::string before = db_bytes(s);
        e2e::Result r = s.run({"import", nul.string()});
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_EQ(r.err_line(),
                  "followup: " + nul.string() + ":2: a NUL byte: this is not a text file");
        EXPECT_EQ(db_bytes(s), before);
    }

    // One record that cannot be read is skipped and named; the rest is imported (exit 0, a
    // warning); --strict refuses the file (exit 1, nothing written).
    std::filesystem::path late = s.dir() / "late.csv";
    std::ofstream(late, std::ios::binary)
        << "name,email,birthday\nOk One,one@x.example,\nOk Two,two@x.example,\nBad Three,,"
           "13-45\n";
    std::filesystem::path nul_json = s.dir() / "nul.json";
    std::ofstream(nul_json, std::ios::binary)
        << "[{\"name\": \"Nul\\u0000Person\"},\n {\"name\": \"Ok Json\"}]";
    struct Skip {
        std::string file, kind, reason, added;
    };
    for (const auto& c : std::vector<Skip>{
             {late.string(), "csv", "4: invalid birthday '13-45' (MM-DD or YYYY-MM-DD)", "2"},
             {nul_json.string(), "json", "1: record 1: name contains a NUL character", "1"}}) {
        std::string before = db_bytes(s);
        e2e::Result strict = s.run({"import", "--strict", c.file});
        EXPECT_EQ(strict.status, 1) << strict.err;
        EXPECT_EQ(strict.err,
                  "followup: " + c.file + ":" + c.reason + "; nothing imported (--strict)\n");
        EXPECT_EQ(db_bytes(s), before);
        e2e::Result r = s.run({"import", c.file});
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out, "Imported " + c.file + " (" + c.kind + "): " + c.added +
                             " added, 0 updated, 0 unchanged, 1 skipped (1 unreadable).\nSkipped " +
                             c.file + ":" + c.reason + "\n");
        std::string line = c.reason.substr(0, c.reason.find(':'));
        EXPECT_EQ(r.err, "followup: warning: 1 unreadable record of " + c.file +
                             " skipped (first " + c.file + ":" + line +
                             "); --strict refuses such a file\n");
    }
    // A cell that is not UTF-8 keeps its row (issue 31): U+FFFD for the bad byte, one warning;
    // --strict refuses the file.
    std::string file = import_file("invalid_utf8.csv");
    std::string before = db_bytes(s);
    e2e::Result strict = s.run({"import", "--strict", file});
    EXPECT_EQ(strict.status, 1);
    EXPECT_EQ(strict.err,
              "followup: " + file + ":3: name is not valid UTF-8; nothing imported (--strict)\n");
    EXPECT_EQ(db_bytes(s), before);
    e2e::Result kept = s.run({"import", file});
    EXPECT_EQ(kept.status, 0) << kept.err;
    EXPECT_EQ(kept.out,
              "Imported " + file + " (csv): 2 added, 0 updated, 0 unchanged, 0 skipped.\n");
    EXPECT_EQ(kept.err, "followup: warning: " + file +
                            ":3: name is not valid UTF-8; kept with U+FFFD for the bad bytes\n");
    std::vector<std::string> names;
    for (const auto& c : s.json_of({"contacts"}))
        names.push_back(c["name"]);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"Ana Souza", "Kim Park", "Le\xEF\xBF\xBD Bad",
                                               "Ok Json", "Ok One", "Ok Two"}));
}

TEST(Import, HostileTextIsStoredAndShownExactly) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    const std::string megabyte(1 << 20, 'x');
    const std::string name = "O'Brien; DROP TABLE contacts;-- %s%n \u202Eevil\u202C 🚀";
    json doc = json::array({{{"name", name},
                             {"notes", "line one\nline \"two\"\r\n" + megabyte},
                             {"company", "=cmd|' /C calc'!A0"}}});
    std::ofstream(s.dir() / "hostile.json", std::ios::binary) << doc.dump();
    s.ok({"import", (s.dir() / "hostile.json").string()});
    json back = s.json_of({"show", "O'Brien"});
    EXPECT_EQ(back["name"], name);
    EXPECT_EQ(back["notes"], "line one\nline \"two\"\r\n" + megabyte);
    EXPECT_EQ(back["company"], "=cmd|' /C calc'!A0");
    std::string csv = s.ok({"export", "contacts", "--format", "csv"});
    EXPECT_NE(csv.find(",'=cmd|' /C calc'!A0,"), std::string::npos);
    // The table stays one line per contact.
    std::string table = s.ok({"contacts"});
    EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 2) << table;
}

TEST(Import, DryRunWritesNothing) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    // No database yet: a dry run does not create one.
    std::string out = s.ok({"import", "--dry-run", import_file("linkedin.csv")});
    EXPECT_FALSE(std::filesystem::exists(s.db()));
    EXPECT_NE(out.find("would add     contact      Ann Lee\n"), std::string::npos) << out;
    EXPECT_NE(out.find("would skip    2 rows without a name"), std::string::npos) << out;
    EXPECT_NE(out.find("4 would be added, 0 would be updated, 0 unchanged, 2 skipped"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("Would log 4 LinkedIn connections as touches."), std::string::npos);
    EXPECT_NE(out.find("Nothing was written."), std::string::npos);

    // With a database: it says what would change, and the bytes stay the same.
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example"});
    std::string before = db_bytes(s);
    out = s.ok({"import", "-n", import_file("linkedin.csv")});
    EXPECT_NE(out.find("would update  contact      Ann Lee  (company, title, profile, channel)"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("3 would be added, 1 would be updated"), std::string::npos) << out;
    EXPECT_EQ(db_bytes(s), before);
}

TEST(Import, FromStdin) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    e2e::Result r = s.run({"import", "-"}, std::string("name,email,tags\nPat Quinn,pat@q.example,"
                                                       "bni;golf\n"));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("Imported <stdin> (csv): 1 added"), std::string::npos) << r.out;
    json pat = contact_named(s.json_of({"contacts"}), "Pat Quinn");
    EXPECT_EQ(pat["tags"], json({"bni", "golf"}));
    r = s.run({"import", "-"}, std::string("{\"contacts\": 7}"));
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: <stdin>: \"contacts\" must be an array");
}

TEST(Import, JsonBackupRoundTripsIntoAnEmptyDatabase) {
    Sandbox s;
    s.at("2026-11-19T23:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--tag", "bni", "--tag", "golf",
          "--event", "BNI Breakfast", "--met", "2026-11-19 07:00", "--every", "30d", "--birthday",
          "1985-04-12", "--note", "Line one\nline \"two\"; 100%"});
    s.ok({"add", "Gone Person"});
    // A chosen channel that is not the one followup would pick (the e-mail) must survive.
    s.ok({"add", "Pat Phone", "--email", "pat@phone.example", "--via", "phone:+1 555 0100",
          "--plan", "none"});
    s.ok({"add", "Bob Stone", "--via", "linkedin:https://www.linkedin.com/in/bobstone",
          "--referred-by", "Ann Lee", "--company", "Stone, Inc."});
    s.ok({"event", "add", "Chamber Mixer", "--on", "2026-12-03", "--where", "Town Hall"});
    s.at("2026-11-20T15:00:00Z");
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Cara Diaz", "--note",
          "needs a roof"});
    s.ok({"referral", "give", "--to", "Bob Stone", "--prospect", "Dan Okafor"});
    s.ok({"done", "1", "--note", "sent a card"});
    s.ok({"snooze", "2", "--for", "2d"});
    s.ok({"skip", "3", "--reason", "met already"});
    s.ok({"log", "Bob", "--in", "--via", "phone", "--note", "called about the lead"});
    s.at("2026-11-21T15:00:00Z");
    s.ok({"referral", "update", "1", "--status", "won", "--amount", "1200.5"});
    s.ok({"archive", "Cara Diaz"});
    s.ok({"rm", "Gone Person", "--yes"}); // leaves a gap in the ids
    std::string backup = s.ok({"export", "all"});
    json doc = json::parse(backup);
    EXPECT_EQ(doc["format"], "followup");
    EXPECT_EQ(doc["contacts"].size(), 5u);

    Sandbox t;
    t.at("2026-11-22T15:00:00Z");
    std::filesystem::path file = t.dir() / "backup.json";
    std::ofstream(file, std::ios::binary) << backup;
    std::string out = t.ok({"import", file.string()});
    EXPECT_NE(out.find("(json): "), std::string::npos) << out;
    // The same data, UUIDs, ids, times and referral histories included.
    EXPECT_EQ(backup_body(t.ok({"export", "all"})), backup_body(backup));
    // And again: nothing to add.
    out = t.ok({"import", file.string()});
    EXPECT_NE(out.find(" 0 added, 0 updated"), std::string::npos) << out;
    EXPECT_EQ(backup_body(t.ok({"export", "all"})), backup_body(backup));

    // Merged into a database in use, matching contacts are not duplicated.
    Sandbox u;
    u.at("2026-11-22T15:00:00Z");
    u.ok({"add", "Zed Zulu"});
    u.ok({"add", "ann lee", "--email", "ANN@lee.example", "--birthday", "04-12", "--plan", "none"});
    std::ofstream(u.dir() / "backup.json", std::ios::binary) << backup;
    out = u.ok({"import", (u.dir() / "backup.json").string()});
    json contacts = u.json_of({"contacts"});
    EXPECT_EQ(names_of(contacts), (std::vector<std::string>{"Bob Stone", "Dan Okafor", "Pat Phone",
                                                            "Zed Zulu", "ann lee"}));
    EXPECT_EQ(contact_named(contacts, "ann lee")["tags"], json({"bni", "golf"}));
    // Ann had her birthday card already: the backup's is not added beside it.
    EXPECT_EQ(u.json_of({"due", "--all", "--kind", "birthday", "--contact", "ann"}).size(), 1u);
    EXPECT_NE(out.find("1 skipped"), std::string::npos) << out;
}

/// `text` with the value of the last `"FIELD":"..."` before `before` replaced by `value`, and
/// the line of it.
std::pair<std::string, std::size_t> break_last(std::string text, const std::string& field,
                                               const std::string& value,
                                               const std::string& before = "") {
    std::string key = "\"" + field + "\":\"";
    std::size_t at = text.rfind(key, before.empty() ? std::string::npos : text.find(before));
    EXPECT_NE(at, std::string::npos) << field;
    std::size_t from = at + key.size();
    text.replace(from, text.find('"', from) - from, value);
    auto line = static_cast<std::size_t>(
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
    return {text, line};
}

TEST(Import, BrokenRecordLateInABackupLeavesAnEmptyDatabaseAsItWas) {
    Sandbox s;
    s.at("2026-11-19T23:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--event", "BNI Breakfast"});
    s.ok({"add", "Bob Stone", "--phone", "+1 555 0100"});
    // Same phone: another person all the same, who must come back as a row of their own.
    s.ok({"add", "Cy Stone", "--phone", "+1 555 0100", "--new"});
    s.ok({"referral", "receive", "--from", "Ann Lee", "--prospect", "Dan Okafor"});
    s.ok({"log", "Ann", "--note", "coffee"});
    s.ok({"log", "Bob", "--note", "call"});
    std::string backup = s.ok({"export", "all"});
    json doc = json::parse(backup);
    std::size_t touches = doc["interactions"].size();
    ASSERT_GE(touches, 2u);
    ASSERT_EQ(doc["referrals"].size(), 1u);

    // Restored whole: every record, the namesakes by phone too.
    {
        Sandbox t;
        t.at("2026-11-22T15:00:00Z");
        std::ofstream(t.dir() / "backup.json", std::ios::binary) << backup;
        std::string out = t.ok({"import", (t.dir() / "backup.json").string()});
        EXPECT_NE(out.find("(json): "), std::string::npos) << out;
        EXPECT_EQ(backup_body(t.ok({"export", "all"})), backup_body(backup));
    }

    // The last touch broken: nothing of the file is written, and the error names it.
    auto [broken, line] = break_last(backup, "at", "soon", "\"referrals\":");
    const std::string message = "backup.json:" + std::to_string(line) + ": interactions[" +
                                std::to_string(touches - 1) +
                                "]: \"at\" 'soon' is not a UTC time like 2026-11-20T13:00:00Z";
    {
        Sandbox t; // no database yet: none is left behind
        t.at("2026-11-22T15:00:00Z");
        std::ofstream(t.dir() / "backup.json", std::ios::binary) << broken;
        e2e::Result r = t.run({"import", (t.dir() / "backup.json").string()});
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_TRUE(r.err_line().ends_with(message)) << r.err;
        EXPECT_EQ(r.out, "");
        if (!e2e::on_postgres()) {
            EXPECT_FALSE(std::filesystem::exists(t.db()));
        }
        // Nothing was created: a read names the missing file (SPEC Version 3, Locations).
        if (e2e::on_postgres())
            EXPECT_EQ(t.json_of({"contacts"}), json::array());
        else
            EXPECT_EQ(t.run({"contacts"}).status, 1);
    }
    {
        Sandbox t; // an empty database that exists
        t.at("2026-11-22T15:00:00Z");
        t.ok({"add", "Temp", "--plan", "none"});
        t.ok({"rm", "Temp", "--yes"});
        std::string before = t.state();
        std::ofstream(t.dir() / "backup.json", std::ios::binary) << broken;
        e2e::Result r = t.run({"import", (t.dir() / "backup.json").string()});
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_TRUE(r.err_line().ends_with(message)) << r.err;
        EXPECT_EQ(t.state(), before);
    }
    // A broken referral too: the referrals come after the touches in the file, but are read
    // before them (events, contacts, referrals, follow-ups, touches), so it is the one named.
    auto [both, referral_line] = break_last(broken, "status", "lost-ish");
    {
        Sandbox t;
        t.at("2026-11-22T15:00:00Z");
        std::ofstream(t.dir() / "backup.json", std::ios::binary) << both;
        e2e::Result r = t.run({"import", (t.dir() / "backup.json").string()});
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_NE(
            r.err_line().find("backup.json:" + std::to_string(referral_line) + ": referrals[0]: "),
            std::string::npos)
            << r.err;
        // Nothing was created: a read names the missing file (SPEC Version 3, Locations).
        if (e2e::on_postgres())
            EXPECT_EQ(t.json_of({"contacts"}), json::array());
        else
            EXPECT_EQ(t.run({"contacts"}).status, 1);
    }
}

TEST(Import, ContactListsInJsonAndJsonLines) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--tag", "bni", "--plan", "none"});
    s.ok({"add", "Bob Stone", "--phone", "+1 415 555 0100", "--plan", "none"});
    for (const std::string format : {"json", "jsonl"}) {
        Sandbox t;
        t.at("2026-11-22T16:00:00Z");
        std::filesystem::path file = t.dir() / ("contacts." + format);
        std::ofstream(file, std::ios::binary) << s.ok({"export", "contacts", "--format", format});
        std::string out = t.ok({"import", file.string()});
        EXPECT_NE(out.find("(json): 2 added"), std::string::npos) << format << out;
        json a = contact_named(t.json_of({"contacts"}), "Ann Lee");
        EXPECT_EQ(a["tags"], json({"bni"}));
        EXPECT_EQ(a["uuid"], contact_named(s.json_of({"contacts"}), "Ann Lee")["uuid"]);
        out = t.ok({"import", file.string()});
        EXPECT_NE(out.find("0 added, 0 updated, 2 unchanged"), std::string::npos) << out;
    }
    // One contact on its own: a JSON Lines file of one line, or the card `show` prints.
    Sandbox u;
    u.at("2026-11-22T16:00:00Z");
    std::ofstream(u.dir() / "one.jsonl", std::ios::binary)
        << "{\"name\": \"Solo Person\", \"email\": \"solo@x.example\"}\n";
    EXPECT_NE(u.ok({"import", (u.dir() / "one.jsonl").string()}).find("1 added"),
              std::string::npos);
    std::ofstream(u.dir() / "card.json", std::ios::binary)
        << s.ok({"show", "Ann", "--format", "json"});
    EXPECT_NE(u.ok({"import", (u.dir() / "card.json").string()}).find("1 added"),
              std::string::npos);
    EXPECT_EQ(names_of(u.json_of({"contacts"})),
              (std::vector<std::string>{"Ann Lee", "Solo Person"}));
}

TEST(Import, VCardSamplesOfEachVersion) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    for (const std::string f : {"v21.vcf", "v30.vcf", "v40.vcf"})
        EXPECT_NE(s.ok({"import", vcard_file(f)}).find("(vcf): "), std::string::npos);
    json contacts = s.json_of({"contacts"});
    EXPECT_EQ(contacts.size(), 5u);
    json j = contact_named(contacts, "Jürgen Müller");
    EXPECT_EQ(j["email"], "juergen@example.de");
    EXPECT_EQ(j["phone"], "+49 30 1234567");
    EXPECT_EQ(j["birthday"], "1970-03-15");
    EXPECT_EQ(j["tags"], json({"beer", "berlin"}));
    EXPECT_EQ(contact_named(contacts, "Renée François")["email"], "renee@example.fr");
    json z = contact_named(contacts, "Zoë Ångström");
    EXPECT_EQ(z["company"], "Acme, Inc.");
    EXPECT_EQ(z["email"], "zoe@home.example");
    EXPECT_EQ(z["birthday"], "1988-07-21");
    json p = contact_named(contacts, "Priya Raman 🚀");
    EXPECT_EQ(p["uuid"], "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
    EXPECT_EQ(p["birthday"], "04-12");
    EXPECT_EQ(p["channel"], "email"); // she has emails: LinkedIn is one more way
    EXPECT_EQ(p["profiles"][0]["network"], "linkedin");
    EXPECT_EQ(p["emails"].size(), 2u);
    EXPECT_EQ(p["phones"].size(), 2u);
    // Again: matched by UUID, e-mail or name; nothing new.
    for (const std::string f : {"v21.vcf", "v30.vcf", "v40.vcf"})
        EXPECT_NE(s.ok({"import", vcard_file(f)}).find(" 0 added, 0 updated"), std::string::npos);
}

TEST(Import, ProgressBarOnlyOnATerminal) {
    std::string csv = "name,email\n";
    for (int i = 0; i < 3000; ++i)
        csv += "Person " + std::to_string(i) + ",p" + std::to_string(i) + "@x.example\n";
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    std::ofstream(s.dir() / "many.csv", std::ios::binary) << csv;
    e2e::Result r = s.run({"import", (s.dir() / "many.csv").string()});
    ASSERT_EQ(r.status, 0) << r.err;
    // No bar when stderr is not a terminal; the first write at a location given by --db says
    // it created it (SPEC Version 3).
    EXPECT_EQ(r.err,
              e2e::on_postgres() ? "" : "Created a new database at " + s.db().string() + "\n");
    EXPECT_NE(r.out.find("3000 added"), std::string::npos);

    Sandbox t;
    t.at("2026-11-22T15:00:00Z");
    std::ofstream(t.dir() / "many.csv", std::ios::binary) << csv;
    t.in_terminal = true;
    r = t.run({"import", (t.dir() / "many.csv").string()});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("importing ["), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("100% 3000/3000"), std::string::npos) << r.out;
    // The bar is taken off the line before the summary is printed.
    EXPECT_NE(r.out.find("\r\033[KImported"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("3000 added"), std::string::npos);
}

TEST(Export, IcsEventsAndTodosReadByPythonIcalendar) {
    Sandbox s;
    s.at("2026-11-20T00:00:00Z"); // 19:00 in New York
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--met", "2026-11-19"});
    s.ok({"add", "Zoë Ångström", "--via", "linkedin:https://www.linkedin.com/in/zoe", "--met",
          "2026-11-19 19:00"});
    s.ok({"done", "1"});
    std::string ics = s.ok({"export", "--format", "ics"});
    EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u) << ics;
    for (const auto& line : lines_of(ics)) {
        EXPECT_TRUE(!line.empty() && line.back() == '\r') << "not CRLF: " << line;
        EXPECT_LE(line.size(), 76u) << line; // 75 octets + CR
    }
    int status = 0;
    std::string parsed =
        shell("/usr/bin/python3 " + vcard_file("check_ics.py"), ics, status, s.dir());
    ASSERT_EQ(status, 0) << ics;
    auto rows = lines_of(parsed);
    ASSERT_EQ(rows.size(), 5u) << parsed; // 6 planned steps, one done
    json open = s.json_of({"due", "--all"});
    ASSERT_EQ(open.size(), 5u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        bool found = false;
        for (const auto& f : open) {
            // Ann's deadlines came from a date alone (23:59:59 EST): all-day events on that
            // local day, the next day as DTEND; Zoë's are timed.
            std::string due = f["due"].get<std::string>();
            std::string start = due, end;
            if (due.ends_with("T04:59:59Z")) {
                std::time_t local = static_cast<std::time_t>(e2e::epoch(due) - 5 * 3600);
                char day[16], next[16];
                std::time_t after = local + 86400;
                std::strftime(day, sizeof day, "%F", std::gmtime(&local));
                std::strftime(next, sizeof next, "%F", std::gmtime(&after));
                start = day;
                end = next;
            }
            if (rows[i] == "VEVENT|" + f["uuid"].get<std::string>() + "@followup|" +
                               f["title"].get<std::string>() + "|" + start + "|followup," +
                               f["kind"].get<std::string>() + "|" + end + "||TRANSPARENT|")
                found = true;
        }
        EXPECT_TRUE(found) << rows[i];
    }
    // The same UIDs on the next export, so calendars update instead of duplicating.
    s.at("2026-11-21T00:00:00Z");
    EXPECT_EQ(shell("/usr/bin/python3 " + vcard_file("check_ics.py"),
                    s.ok({"export", "followups", "--format", "ics"}), status, s.dir()),
              parsed);
    std::string todo = s.ok({"export", "--format", "ics", "--todo"});
    parsed = shell("/usr/bin/python3 " + vcard_file("check_ics.py"), todo, status, s.dir());
    ASSERT_EQ(status, 0) << todo;
    for (const auto& row : lines_of(parsed))
        EXPECT_EQ(row.rfind("VTODO|", 0), 0u) << row;
    EXPECT_NE(todo.find("STATUS:NEEDS-ACTION\r\n"), std::string::npos);
}

TEST(Export, MeetingsAreBusyEventsWithAPlaceAndAnAlarm) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ann Lee", "--plan", "none"});
    s.ok({"book", "ann", "dec 3 10am", "--where", "14 Elm Road, Springfield", "--for", "90min"});
    s.ok({"todo", "ann", "Send the deck", "--by", "2026-12-01"});
    std::string ics = s.ok({"export", "followups", "--format", "ics"});
    int status = 0;
    std::string parsed =
        shell("/usr/bin/python3 " + vcard_file("check_ics.py"), ics, status, s.dir());
    ASSERT_EQ(status, 0) << ics;
    json due = s.json_of({"due", "--all"});
    ASSERT_EQ(due.size(), 2u);
    auto uid = [&](int i) { return due[i]["uuid"].get<std::string>() + "@followup"; };
    // 10:00 EST = 15:00Z, 90 minutes, an alarm an hour before; the deck is an all-day event.
    EXPECT_EQ(parsed, "VEVENT|" + uid(1) +
                          "|One-to-one with Ann Lee at 14 Elm Road, Springfield|"
                          "2026-12-03T15:00:00Z|followup,meeting|2026-12-03T16:30:00Z|"
                          "14 Elm Road, Springfield|OPAQUE|-3600\n"
                          "VEVENT|" +
                          uid(0) +
                          "|Send the deck (Ann Lee)|2026-12-01|followup,custom|"
                          "2026-12-02||TRANSPARENT|\n")
        << ics;
    // calcurse reads it too (its -i imports into a calendar of its own, in the sandbox).
    if (std::system("command -v calcurse >/dev/null") != 0) GTEST_SKIP() << "no calcurse";
    auto ics_file = s.dir() / "f.ics";
    std::ofstream(ics_file, std::ios::binary) << ics;
    std::string out = shell("TZ=UTC calcurse -D '" + (s.dir() / "calcurse").string() + "' -i '" +
                                ics_file.string() + "' 2>&1",
                            "", status, s.dir());
    EXPECT_EQ(status, 0) << out;
    // The meeting is an appointment (with its alarm: '!'), the deck a whole-day event.
    EXPECT_NE(out.find("1 app / 1 event / 0 todos / 0 skipped"), std::string::npos) << out;
    std::string apts = e2e::slurp(s.dir() / "calcurse" / "apts");
    EXPECT_NE(apts.find("12/03/2026 @ 15:00 -> 12/03/2026 @ 16:30>"), std::string::npos) << apts;
    EXPECT_NE(apts.find("!One-to-one with Ann Lee"), std::string::npos) << apts;
    EXPECT_NE(apts.find("12/01/2026 [1] >"), std::string::npos) << apts;
}

TEST(Export, VCardReadByPythonVobjectAndRoundTrips) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@lee.example", "--phone", "+1 555 0100", "--tag", "vip",
          "--birthday", "1985-04-12", "--company", "Lee; Partners, LLC", "--note",
          "Likes \\ backslashes,\nand newlines", "--every", "60d", "--plan", "none"});
    s.ok({"add",
          "Ōtani Shōhei 大谷翔平 with a very long name that needs folding more than once "
          "because vCard lines stop at seventy-five octets",
          "--via", "whatsapp:+81 90 1234 5678", "--birthday", "07-05", "--plan", "none"});
    for (const std::string version : {"3.0", "4.0"}) {
        std::string vcf = s.ok({"export", "--format", "vcf", "--vcard", version});
        EXPECT_NE(vcf.find("VERSION:" + version + "\r\n"), std::string::npos);
        int status = 0;
        std::string parsed =
            shell("/usr/bin/python3 " + vcard_file("check_vcf.py"), vcf, status, s.dir());
        ASSERT_EQ(status, 0) << vcf;
        auto rows = lines_of(parsed);
        ASSERT_EQ(rows.size(), 2u) << parsed;
        // vobject hands BDAY over as written: 3.0 has dashes, 4.0 the basic form.
        EXPECT_EQ(rows[0], std::string("Ann Lee|ann@lee.example|+1 555 0100|") +
                               (version == "3.0" ? "1985-04-12" : "19850412") + "|vip|")
            << vcf;

        Sandbox t;
        t.at("2026-11-22T16:00:00Z");
        std::ofstream(t.dir() / "all.vcf", std::ios::binary) << vcf;
        t.ok({"import", (t.dir() / "all.vcf").string()});
        json a = s.json_of({"contacts"});
        json b = t.json_of({"contacts"});
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            for (const char* field :
                 {"uuid", "name", "company", "email", "phone", "channel", "handle", "tags", "notes",
                  "birthday", "every_days", "created"})
                EXPECT_EQ(a[i][field], b[i][field]) << version << " " << field;
    }
}

TEST(Export, BadRequestsAreUsageErrors) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    s.ok({"add", "Ann Lee"});
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"export", "all", "--format", "csv"},
                                               {"export", "contacts", "--format", "ics"},
                                               {"export", "followups", "--format", "vcf"},
                                               {"export", "people"},
                                               {"export", "--format", "xml"},
                                               {"export", "--format", "table"},
                                               {"export", "--format", "json", "--todo"},
                                               {"export", "--format", "vcf", "--vcard", "2.1"}}) {
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, 2) << args[1] << r.err;
        EXPECT_TRUE(r.err_line().starts_with("followup: ")) << r.err;
        EXPECT_EQ(r.out, "");
    }
    // Every record kind in every table format has the spec's header.
    EXPECT_EQ(lines_of(s.ok({"export", "followups", "--format", "csv"}))[0],
              "id,uuid,contact_id,contact,kind,title,due,original_due,status,channel,handle,link,"
              "referral_id,created,done_at,note\r");
    EXPECT_EQ(lines_of(s.ok({"export", "interactions", "--format", "tsv"}))[0],
              "id\tuuid\tcontact_id\tcontact\tat\tchannel\tdirection\tnote\tfollowup_id");
    EXPECT_EQ(s.ok({"export", "referrals", "--format", "jsonl"}), "");
    EXPECT_EQ(json::parse(s.ok({"export", "contacts"})).size(), 1u);
}
