// Import reads record by record, through the real binary: an unreadable record is skipped and
// named (or refuses the file with --strict), the date forms spreadsheets write, contact groups,
// TSV, and stdin read as it arrives with a cap on one record.

#include "harness.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

using e2e::json;
using e2e::Sandbox;
namespace fs = std::filesystem;

namespace {

const fs::path data_dir = FOLLOWUP_TEST_DATA;

std::string import_file(const std::string& name) {
    return (data_dir / "import" / name).string();
}

/// name → contact of `export contacts --format json`.
std::map<std::string, json> by_name(const json& contacts) {
    std::map<std::string, json> out;
    for (const auto& c : contacts)
        out[c["name"].get<std::string>()] = c;
    return out;
}

std::vector<std::string> names(const json& contacts) {
    std::vector<std::string> out;
    for (const auto& [name, c] : by_name(contacts))
        out.push_back(name);
    return out;
}

std::string db_bytes(const Sandbox& s) {
    return s.state();
}

using Names = std::vector<std::string>;

} // namespace

TEST(ImportRecords, LinkedInRowWithAnUnreadableDateIsSkippedAndNamed) {
    const std::string file = import_file("linkedin_sheet_dates.csv");
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    e2e::Result r = s.run({"import", file});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Imported " + file +
                         " (linkedin): 4 added, 0 updated, 0 unchanged, 1 skipped (1 "
                         "unreadable).\nSkipped " +
                         file +
                         ":8: Connected On '31 Foo 2022' is not a date like 15 Jun 2026\n"
                         "Logged 4 LinkedIn connections as touches.\n");
    EXPECT_EQ(r.err,
              "followup: warning: 1 unreadable record of " + file + " skipped (first " + file +
                  ":8); --strict refuses such a file\n" +
                  (e2e::on_postgres() ? std::string()
                                      : "Created a new database at " + s.db().string() + "\n"));
    json contacts = s.json_of({"export", "contacts"});
    EXPECT_EQ(names(contacts), (Names{"Mei Chen", "Priya Raman", "Sara Nilsson", "Tomás Ortega"}));
    auto c = by_name(contacts);
    // The dates spreadsheets write: the end of that day in New York (EST, EDT in May).
    EXPECT_EQ(c["Tomás Ortega"]["last_touch"], "2022-02-08T04:59:59Z"); // 7-Feb-22
    EXPECT_EQ(c["Mei Chen"]["last_touch"], "2012-05-15T03:59:59Z");     // 14-May-12
    EXPECT_EQ(c["Sara Nilsson"]["last_touch"], "2012-05-15T03:59:59Z"); // 2012/05/14
    EXPECT_EQ(c["Priya Raman"]["last_touch"], "2026-11-22T04:59:59Z");  // 21 Nov 2026
    EXPECT_EQ(c["Tomás Ortega"]["company"], "Ortega & Hijos");
    EXPECT_EQ(c["Mei Chen"]["email"], "mei@chen.example");

    // A dry run names it too, and writes nothing.
    std::string before = db_bytes(s);
    e2e::Result dry = s.run({"import", "-n", file});
    ASSERT_EQ(dry.status, 0) << dry.err;
    EXPECT_NE(dry.out.find("\nWould skip " + file +
                           ":8: Connected On '31 Foo 2022' is not a date like 15 Jun 2026\n"),
              std::string::npos)
        << dry.out;
    EXPECT_NE(dry.out.find("0 would be added, 0 would be updated, 4 unchanged, 1 skipped (1 "
                           "unreadable)"),
              std::string::npos)
        << dry.out;
    EXPECT_EQ(db_bytes(s), before);

    // --strict: exit 1, one line, nothing written; no database created.
    Sandbox strict;
    strict.at("2026-11-22T15:00:00Z");
    e2e::Result refused = strict.run({"import", "--strict", file});
    EXPECT_EQ(refused.status, 1);
    EXPECT_EQ(refused.out, "");
    EXPECT_EQ(refused.err, "followup: " + file +
                               ":8: Connected On '31 Foo 2022' is not a date like 15 Jun 2026; "
                               "nothing imported (--strict)\n");
    EXPECT_FALSE(fs::exists(strict.db()));
    // With a database, --strict leaves it byte for byte.
    strict.ok({"add", "Ann Lee", "--plan", "none"});
    before = db_bytes(strict);
    EXPECT_EQ(strict.run({"import", file, "--strict"}).status, 1);
    EXPECT_EQ(db_bytes(strict), before);
}

TEST(ImportRecords, AndroidVCardWithABadQuotedPrintableByteImportsEveryCard) {
    const std::string file = import_file("android_qp.vcf");
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    e2e::Result r = s.run({"import", file});
    ASSERT_EQ(r.status, 0) << r.err;
    // Issue 31: one bad byte never drops a person: Claire's card is read, her company kept with
    // U+FFFD for the byte, and one warning names the line and the field.
    EXPECT_EQ(r.out, "Imported " + file + " (vcf): 4 added, 0 updated, 0 unchanged, 0 skipped.\n");
    EXPECT_EQ(r.err,
              "followup: warning: " + file +
                  ":21: ORG is not valid UTF-8; kept with U+FFFD for the bad bytes\n" +
                  (e2e::on_postgres() ? std::string()
                                      : "Created a new database at " + s.db().string() + "\n"));
    json contacts = s.json_of({"export", "contacts"});
    EXPECT_EQ(names(contacts), (Names{"Ada Okafor", "Claire Dubois", "Jürgen Müller", "Ken Ito"}));
    auto c = by_name(contacts);
    EXPECT_EQ(c["Claire Dubois"]["company"], "Caf\xEF\xBF\xBD Noir");
    EXPECT_EQ(c["Claire Dubois"]["phone"], "+33 1 23 45 67 89");
    EXPECT_EQ(c["Jürgen Müller"]["company"], "Müller GmbH");
    EXPECT_EQ(c["Jürgen Müller"]["phone"], "+49 170 1234567");
    EXPECT_EQ(c["Jürgen Müller"]["email"], "juergen@example.de");
    EXPECT_EQ(c["Ada Okafor"]["phone"], "+44 7700 900123");
    // NOTE:say \"hi\" to Ken: the backslashes are escapes, not text.
    EXPECT_EQ(c["Ken Ito"]["notes"], "say \"hi\" to Ken");

    Sandbox strict;
    e2e::Result refused = strict.run({"import", file, "--strict"});
    EXPECT_EQ(refused.status, 1);
    EXPECT_EQ(refused.err,
              "followup: " + file + ":21: ORG is not valid UTF-8; nothing imported (--strict)\n");
    EXPECT_FALSE(fs::exists(strict.db()));
}

TEST(ImportRecords, SpreadsheetDatesAndTimesAreReadInTheUsersZone) {
    const std::string file = import_file("spreadsheet.csv");
    Sandbox s;
    s.at("2026-11-30T15:00:00Z");
    e2e::Result r = s.run({"import", file});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Imported " + file + " (csv): 3 added, 0 updated, 0 unchanged, 0 skipped.\n");
    EXPECT_EQ(r.err,
              e2e::on_postgres() ? "" : "Created a new database at " + s.db().string() + "\n");
    auto c = by_name(s.json_of({"export", "contacts"}));
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c["Ann Lee"]["birthday"], "1985-04-12");               // 1985/04/12
    EXPECT_EQ(c["Ann Lee"]["met"], "2026-11-28T08:28:14Z");          // 2026/11/28 03:28:14, EST
    EXPECT_EQ(c["Ann Lee"]["last_touch"], "2026-11-29T05:00:00Z");   // 2026-11-29: its start
    EXPECT_EQ(c["Bob Stone"]["met"], "2012-05-14T22:30:00Z");        // 2012-05-14 18:30, EDT
    EXPECT_EQ(c["Bob Stone"]["last_touch"], "2026-11-29T09:15:00Z"); // a UTC instant
    EXPECT_EQ(c["Cleo Park"]["birthday"], "12-04");
    EXPECT_EQ(c["Cleo Park"]["met"], "2012-05-14T04:00:00Z"); // 14-May-12
    EXPECT_EQ(c["Ann Lee"]["company"], "Lee & Partners");

    // The same file in another zone: the same local times, other instants.
    Sandbox tokyo;
    tokyo.tz = "Asia/Tokyo";
    tokyo.at("2026-11-30T15:00:00Z");
    tokyo.ok({"import", file});
    auto t = by_name(tokyo.json_of({"export", "contacts"}));
    EXPECT_EQ(t["Ann Lee"]["met"], "2026-11-27T18:28:14Z");
    EXPECT_EQ(t["Bob Stone"]["last_touch"], "2026-11-29T09:15:00Z");
}

TEST(ImportRecords, ContactGroupCardsAreSkippedAndCounted) {
    const std::string file = import_file("groups.vcf");
    Sandbox s;
    e2e::Result r = s.run({"import", file});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Imported " + file +
                         " (vcf): 2 added, 0 updated, 0 unchanged, 2 skipped (2 contact "
                         "groups).\n");
    // Groups are no error: no warning (only the new database is announced), and --strict takes
    // the file.
    EXPECT_EQ(r.err,
              e2e::on_postgres() ? "" : "Created a new database at " + s.db().string() + "\n");
    EXPECT_EQ(names(s.json_of({"export", "contacts"})), (Names{"Ann Lee", "Bob Stone"}));
    Sandbox strict;
    EXPECT_EQ(strict.run({"import", "--strict", file}).status, 0);
}

TEST(ImportRecords, TsvExportReimportsToTheSameRows) {
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    json doc = json::array(
        {{{"name", "Ann Lee"},
          {"email", "ann@lee.example"},
          {"company", "Lee\tPartners"},
          {"notes", "line one\nline two\\with a backslash\r\nthree"},
          {"tags", {"bni", "golf"}},
          {"birthday", "1985-04-12"},
          {"every_days", 30},
          {"event", "BNI Breakfast"}},
         {{"name", "Bob Stone"},
          {"phone", "+1 555 0100"},
          {"channel", "whatsapp"},
          {"handle", "+1 555 0100"},
          {"title", "=SUM(A1)"},
          {"referred_by", "Ann Lee"}},
         {{"name", "Zoë Ångström"}, {"archived", true}, {"met", "2026-11-20T18:00:00Z"}}});
    std::ofstream(s.dir() / "in.json", std::ios::binary) << doc.dump();
    s.ok({"import", (s.dir() / "in.json").string()});
    const std::string tsv = s.ok({"export", "contacts", "--format", "tsv"});
    const fs::path file = s.dir() / "contacts.tsv";
    std::ofstream(file, std::ios::binary) << tsv;
    const json rows = s.json_of({"export", "contacts"});
    ASSERT_EQ(rows.size(), 3u);

    Sandbox back; // told apart by its tabs
    back.at("2026-11-22T15:00:00Z");
    e2e::Result r = back.run({"import", file.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Imported " + file.string() +
                         " (tsv): 3 added, 0 updated, 0 unchanged, 0 skipped.\n");
    EXPECT_EQ(back.json_of({"export", "contacts"}), rows);
    EXPECT_EQ(back.ok({"export", "contacts", "--format", "tsv"}), tsv);

    Sandbox piped; // --format tsv, from stdin
    piped.at("2026-11-22T15:00:00Z");
    r = piped.run({"import", "-", "--format", "tsv"}, tsv);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Imported <stdin> (tsv): 3 added, 0 updated, 0 unchanged, 0 skipped.\n");
    EXPECT_EQ(piped.json_of({"export", "contacts"}), rows);
    // Again: nothing changes.
    r = piped.run({"import", "-"}, tsv);
    EXPECT_EQ(r.out, "Imported <stdin> (tsv): 0 added, 0 updated, 3 unchanged, 0 skipped.\n");
}

TEST(ImportRecords, StdinIsReadRecordByRecordAsFastAsAFile) {
    // 20,000 LinkedIn rows: the same rows from stdin as from the file.
    Sandbox s;
    s.at("2026-11-22T15:00:00Z");
    std::string csv = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n";
    for (int i = 0; i < 20000; ++i)
        csv += "Person" + std::to_string(i) + ",Lee,https://www.linkedin.com/in/p" +
               std::to_string(i) + ",,\"Acme, Inc\",\"Head of \"\"Growth\"\"\",7-Feb-22\r\n";
    csv += "Bad,Row,,,,,30 Feb 2022\r\n";
    const fs::path file = s.dir() / "Connections.csv";
    std::ofstream(file, std::ios::binary) << csv;
    s.use_db_flag = false; // two databases, named below
    e2e::Result from_file =
        s.run({"--db", (s.dir() / "file.db").string(), "import", file.string()});
    ASSERT_EQ(from_file.status, 0) << from_file.err;
    e2e::Result from_stdin = s.run({"--db", (s.dir() / "stdin.db").string(), "import", "-"}, csv);
    ASSERT_EQ(from_stdin.status, 0) << from_stdin.err;
    EXPECT_EQ(from_stdin.out,
              "Imported <stdin> (linkedin): 20000 added, 0 updated, 0 unchanged, 1 skipped (1 "
              "unreadable).\nSkipped <stdin>:20002: Connected On '30 Feb 2022' is not a date "
              "like 15 Jun 2026\nLogged 20000 LinkedIn connections as touches.\n");
    std::string as_file = from_stdin.out;
    for (std::size_t at; (at = as_file.find("<stdin>")) != std::string::npos;)
        as_file.replace(at, 7, file.string());
    EXPECT_EQ(from_file.out, as_file);
    auto both = [&](const char* db) {
        return s.json_of({"--db", (s.dir() / db).string(), "export", "contacts"});
    };
    json a = both("file.db"), b = both("stdin.db");
    ASSERT_EQ(a.size(), 20000u);
    for (auto* rows : {&a, &b})
        for (auto& c : *rows)
            c.erase("uuid");
    EXPECT_EQ(a, b);
}

TEST(ImportRecords, EndlessOrHugeStdinFailsFastWithOneLine) {
    Sandbox s;
    // `yes | followup import -`: an endless stream that is no import ends at once.
    const std::string bin = FOLLOWUP_BIN;
    const std::string db = (s.dir() / "y.db").string();
    const std::string err = (s.dir() / "err").string();
    auto started = std::chrono::steady_clock::now();
    int rc = std::system(
        ("yes | timeout 20 '" + bin + "' --db '" + db + "' import - 2> '" + err + "'").c_str());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 2);
    EXPECT_LT(seconds, 5.0);
    EXPECT_EQ(e2e::slurp(err), "followup: <stdin>:1: cannot tell what this CSV is: no LinkedIn, "
                               "Google Contacts or 'name' header in the first lines (use "
                               "--format)\n");
    EXPECT_FALSE(fs::exists(db));
    // `yes` as vCard or JSON: refused at its first line too.
    for (const auto& [format, line] : std::vector<std::pair<std::string, std::string>>{
             {"vcf", "followup: <stdin>:1: text outside a vCard (expected BEGIN:VCARD)\n"},
             {"json", "followup: <stdin>:1: not valid JSON: syntax error while parsing value - "
                      "invalid literal; last read: 'y'\n"}}) {
        rc = std::system(("yes | timeout 20 '" + bin + "' --db '" + db + "' import - --format " +
                          format + " 2> '" + err + "'")
                             .c_str());
        ASSERT_TRUE(WIFEXITED(rc));
        EXPECT_EQ(WEXITSTATUS(rc), 2) << format;
        EXPECT_EQ(e2e::slurp(err), line) << format;
    }
    // One record over 1 MiB: a quoted cell with line breaks, a vCard; named by its first line.
    std::string big = "name,notes\nAnn,ok\nBob,\"";
    for (int i = 0; i < 20000; ++i)
        big += std::string(60, 'x') + "\n";
    big += "\"\n";
    e2e::Result r = s.run({"import", "-"}, big);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: <stdin>:3: a record longer than 1 MiB (stdin takes records of up "
                     "to 1 MiB; import the file by its name instead)\n");
    std::string card = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nFN:Bob\n";
    for (int i = 0; i < 20000; ++i)
        card += "NOTE:" + std::string(60, 'x') + "\n";
    card += "END:VCARD\n";
    r = s.run({"import", "-"}, card);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: <stdin>:5: a vCard longer than 1 MiB (stdin takes vCards of up "
                     "to 1 MiB; import the file by its name instead)\n");
    EXPECT_FALSE(fs::exists(s.db()));
    // The same file by its name has no such limit.
    const fs::path file = s.dir() / "big.csv";
    std::ofstream(file, std::ios::binary) << big;
    r = s.run({"import", file.string()});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(s.json_of({"contacts"}).size(), 2u);
}
