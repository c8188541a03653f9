#include "store_access.hpp"
// parse_import reading as bytes arrive: the same result whatever the blocks stdin delivers
// (down to one byte at a time), records that cannot be read left out and named, the caps, and
// the date forms of spreadsheets.

#include <SQLiteCpp/SQLiteCpp.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/actions/import.hpp>
#include <followup/interchange/importer.hpp>
#include <followup/store/repository.hpp>
#include <followup/time/dates.hpp>
#include <followup/util/errors.hpp>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace followup;

namespace {

std::string data_file(const std::string& path) {
    std::filesystem::path dir =
        std::filesystem::path(__FILE__).parent_path().parent_path() / "data";
    std::ifstream in(dir / path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + (dir / path).string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A source that hands out `text` at most `block` bytes at a time.
ImportSource trickle(const std::string& text, std::size_t block) {
    auto at = std::make_shared<std::size_t>(0);
    return [&text, block, at](char* buffer, std::size_t size) {
        std::size_t n = std::min({block, size, text.size() - *at});
        std::copy_n(text.data() + *at, n, buffer);
        *at += n;
        return n;
    };
}

/// What a parse gives, as text, for comparing: every draft's fields and line, what was skipped.
std::string summary(const ImportData& d) {
    std::string out = std::string(to_string(d.format)) + " skipped " + std::to_string(d.skipped) +
                      " groups " + std::to_string(d.groups) + "\n";
    for (const auto& c : d.contacts) {
        const Contact& x = c.contact;
        out += std::to_string(c.line) + "|" + x.name + "|" + x.company + "|" + x.title + "|" +
               x.email + "|" + x.phone + "|" + x.notes + "|" + x.birthday + "|" + x.channel + "|" +
               x.handle + "|" + (x.met ? format_utc(*x.met) : "-") + "|" +
               (c.connected_on ? date::format("%F", *c.connected_on) : "-") + "\n";
    }
    for (const auto& u : d.unreadable)
        out += "unreadable " + std::to_string(u.line) + ": " + u.reason + "\n";
    return out;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

const Zone* new_york() {
    return find_zone("America/New_York");
}

} // namespace

TEST(ImportStream, AnyBlockSizeReadsTheSameAsTheWholeText) {
    ReadOptions options;
    options.zone = new_york();
    for (const char* path :
         {"import/linkedin.csv", "import/linkedin_sheet_dates.csv", "import/google_current.csv",
          "import/google_legacy.csv", "import/generic.csv", "import/spreadsheet.csv",
          "import/android_qp.vcf", "import/groups.vcf", "import/invalid_utf8.csv", "vcard/v21.vcf",
          "vcard/v30.vcf", "vcard/v40.vcf"}) {
        const std::string text = data_file(path);
        const std::string whole =
            summary(parse_import(text, ImportFormat::automatic, "f", options));
        for (std::size_t block : {1, 2, 3, 7, 64, 4096}) {
            ImportSource in = trickle(text, block);
            EXPECT_EQ(summary(parse_import(in, ImportFormat::automatic, "f", options)), whole)
                << path << " in blocks of " << block;
        }
    }
    // A CSV record with quoted line breaks, CR LF split between blocks, TSV escapes.
    const std::string csv = "name,notes\r\n\"Ann\r\nLee\",\"a \"\"b\"\"\r\nc\"\r\nBob,x\r";
    const std::string tsv = "name\tnotes\nAnn\ta\\tb\\nc\\\\d\n";
    for (const auto& text : {csv, tsv}) {
        const std::string whole = summary(parse_import(text, ImportFormat::automatic, "f"));
        for (std::size_t block : {1, 2, 5}) {
            ImportSource in = trickle(text, block);
            EXPECT_EQ(summary(parse_import(in, ImportFormat::automatic, "f")), whole);
        }
    }
    ImportData d = parse_import(tsv, ImportFormat::automatic, "f");
    EXPECT_EQ(d.format, ImportFormat::tsv);
    ASSERT_EQ(d.contacts.size(), 1u);
    EXPECT_EQ(d.contacts[0].contact.notes, "a\tb\nc\\d");
    d = parse_import(csv, ImportFormat::csv, "f");
    ASSERT_EQ(d.contacts.size(), 2u);
    EXPECT_EQ(d.contacts[0].contact.name, "Ann\r\nLee");
    EXPECT_EQ(d.contacts[1].line, 5u);
}

TEST(ImportStream, UnreadableRecordsAreNamedAndTheRestRead) {
    ImportData d = parse_import("name,birthday,met\nA,13-45,\nB,,\n\"C\"x,,\nD,,soon\nE,,\n",
                                ImportFormat::automatic, "f");
    std::vector<std::string> names;
    for (const auto& c : d.contacts)
        names.push_back(c.contact.name);
    EXPECT_EQ(names, (std::vector<std::string>{"B", "E"}));
    ASSERT_EQ(d.unreadable.size(), 3u);
    EXPECT_EQ(d.unreadable[0].line, 2u);
    EXPECT_EQ(d.unreadable[0].reason, "invalid birthday '13-45' (MM-DD or YYYY-MM-DD)");
    EXPECT_EQ(d.unreadable[1].line, 4u);
    EXPECT_EQ(d.unreadable[1].reason, "text after the closing quote of a cell (a quote inside a "
                                      "quoted cell must be doubled)");
    EXPECT_EQ(d.unreadable[2].line, 5u);
    EXPECT_EQ(d.unreadable[2].reason,
              "met 'soon' is not a time like 2026-11-20T13:00:00Z or 2026-11-20 13:00");

    // vCard: a card that cannot be read is left out, named by the line at fault.
    d = parse_import("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:9.9\nFN:B\nEND:VCARD\n"
                     "BEGIN:VCARD\nFN:C\nX-FOLLOWUP-EVERY:0\nEND:VCARD\nBEGIN:VCARD\nFN:D\n"
                     "END:VCARD\n",
                     ImportFormat::automatic, "f");
    ASSERT_EQ(d.contacts.size(), 2u);
    EXPECT_EQ(d.contacts[1].contact.name, "D");
    EXPECT_EQ(d.contacts[1].line, 12u);
    ASSERT_EQ(d.unreadable.size(), 2u);
    EXPECT_EQ(d.unreadable[0].line, 5u);
    EXPECT_EQ(d.unreadable[1].line, 10u);
    EXPECT_EQ(d.unreadable[1].reason,
              "invalid X-FOLLOWUP-EVERY '0' (a number of days from 1 to 3650)");

    // JSON Lines and lists: a record of the wrong shape.
    d = parse_import("{\"name\":\"A\"}\n{\"name\":[7]}\n{\"name\":\"C\"\n", ImportFormat::automatic,
                     "f");
    ASSERT_EQ(d.contacts.size(), 1u);
    ASSERT_EQ(d.unreadable.size(), 2u);
    EXPECT_EQ(d.unreadable[0].line, 2u);
    EXPECT_EQ(d.unreadable[1].line, 3u);
    d = parse_import("[{\"name\":\"A\"},\n 5,\n {\"name\":\"C\",\"birthday\":\"x\"}]",
                     ImportFormat::automatic, "f");
    ASSERT_EQ(d.contacts.size(), 1u);
    ASSERT_EQ(d.unreadable.size(), 2u);
    EXPECT_EQ(d.unreadable[0].reason, "record 2: must be an object");
    EXPECT_EQ(d.unreadable[1].line, 3u);
}

TEST(ImportStream, WhatMakesTheRestUnreadableRefusesTheFile) {
    auto refused = [](const std::string& text) {
        return error_of([&] { parse_import(text, ImportFormat::automatic, "f"); });
    };
    EXPECT_EQ(refused("name\nA\n\"B,\n"),
              "f:3: unbalanced quote: a quoted cell opens here and never closes");
    EXPECT_EQ(refused("BEGIN:VCARD\nFN:A\n"), "f:1: vCard not closed (truncated file?)");
    EXPECT_EQ(refused("BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n"),
              "f:3: BEGIN:VCARD inside a vCard (END:VCARD missing?)");
    EXPECT_EQ(refused("BEGIN:VCARD\nFN:A\nEND:VCARD\nhello\n"),
              "f:4: text outside a vCard (expected BEGIN:VCARD)");
    EXPECT_EQ(refused("BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n"),
              "f:4: END:VCARD without BEGIN:VCARD");
    EXPECT_EQ(refused(std::string("name\nA\nB\0C\n", 11)),
              "f:3: a NUL byte: this is not a text file");
    EXPECT_EQ(refused("\n\n  \n"), "f: the file is empty");
    EXPECT_EQ(refused("\n\nsomething\n"),
              "f:3: cannot tell what this CSV is: no LinkedIn, Google Contacts or 'name' header "
              "in the first lines (use --format)");
    EXPECT_EQ(refused("{\"contacts\": [{\"name\": \"A\"}, {\"name\": [7]}]}"),
              "f:1: contacts[1]: \"name\" must be a string");
}

TEST(ImportStream, LimitsOfOneRecordAndOfAllFailAtOnce) {
    ReadOptions options;
    options.record_limit = 1000;
    options.total_limit = 100000;
    options.record_count_limit = 3;
    auto error = [&](const std::string& text) {
        ImportSource in = trickle(text, 10);
        return error_of([&] { parse_import(in, ImportFormat::automatic, "-", options); });
    };
    EXPECT_EQ(error("name\nA\n\"" + std::string(2000, 'x') + "\"\n"),
              "<stdin>:3: a record longer than 0 MiB (stdin takes records of up to 0 MiB; import "
              "the file by its name instead)");
    EXPECT_EQ(error("name\nA\nB\nC\nD\n"),
              "<stdin>:5: more than 3 records (followup imports up to 3 at a time; split the "
              "file)");
    EXPECT_EQ(error(std::string(200000, '\n')),
              "<stdin>: more than 0 MiB (the most an import reads from stdin; import the file by "
              "its name instead)");
    EXPECT_NE(error("BEGIN:VCARD\nNOTE:" + std::string(2000, 'x') + "\nEND:VCARD\n")
                  .find("<stdin>:1: a vCard longer than"),
              std::string::npos);
    // An endless stream of "y" lines stops at the 16th: the source is not read to its end.
    std::size_t given = 0;
    ImportSource yes = [&given](char* buffer, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i)
            buffer[i] = i % 2 ? '\n' : 'y';
        given += size;
        return size;
    };
    EXPECT_EQ(error_of([&] { parse_import(yes, ImportFormat::automatic, "-"); }),
              "<stdin>:1: cannot tell what this CSV is: no LinkedIn, Google Contacts or 'name' "
              "header in the first lines (use --format)");
    EXPECT_LE(given, std::size_t{1} << 20);
}

TEST(ImportStream, DatesAsLinkedInAndSpreadsheetsWriteThem) {
    ReadOptions options;
    options.zone = new_york();
    std::string csv = "First Name,Last Name,Connected On\n";
    for (const char* on :
         {"15 Jun 2026", "7-Feb-22", "14-May-12", "2012/05/14", "2012-05-14", "Jun 15, 2026",
          "7-Feb-2022", "14 May 1999", "2026/11/28 03:28:14", "31-Dec-29", "1-Jan-30"})
        csv += std::string("A,\"") + on + "\",\"" + on + "\"\n";
    ImportData d = parse_import(csv, ImportFormat::linkedin, "f", options);
    ASSERT_EQ(d.unreadable.size(), 0u) << summary(d);
    std::vector<std::string> days;
    for (const auto& c : d.contacts)
        days.push_back(date::format("%F", *c.connected_on));
    EXPECT_EQ(days,
              (std::vector<std::string>{"2026-06-15", "2022-02-07", "2012-05-14", "2012-05-14",
                                        "2012-05-14", "2026-06-15", "2022-02-07", "1999-05-14",
                                        "2026-11-28", "2029-12-31", "1930-01-01"}));
    for (const char* bad : {"30 Feb 2022", "05/14/2012", "14-Foo-12", "2012-5", "7-Feb-222",
                            "2012/05-14", "2012-05-14 25:00"}) {
        d = parse_import(std::string("First Name,Last Name,Connected On\nA,B,") + bad + "\n",
                         ImportFormat::linkedin, "f", options);
        EXPECT_EQ(d.unreadable.size(), 1u) << bad;
    }

    // Generic CSV times: local in the zone, a date alone its start, offsets and Z as written.
    d = parse_import("name,met,birthday\nA,2012-05-14 18:30,1985/04/12\nB,2026/11/28 03:28:14,"
                     "12-Apr-85\nC,14-May-12,1985-04-12 00:00:00\nD,2012-05-14T18:30:00+02:00,\n"
                     "E,2012-05-14 18:30Z,\nF,2026-11-20T13:00:00Z,\n",
                     ImportFormat::csv, "f", options);
    ASSERT_EQ(d.unreadable.size(), 0u) << summary(d);
    std::vector<std::string> met, birthdays;
    for (const auto& c : d.contacts) {
        met.push_back(format_utc(*c.contact.met));
        birthdays.push_back(c.contact.birthday);
    }
    EXPECT_EQ(met, (std::vector<std::string>{"2012-05-14T22:30:00Z", "2026-11-28T08:28:14Z",
                                             "2012-05-14T04:00:00Z", "2012-05-14T16:30:00Z",
                                             "2012-05-14T18:30:00Z", "2026-11-20T13:00:00Z"}));
    EXPECT_EQ(birthdays,
              (std::vector<std::string>{"1985-04-12", "1985-04-12", "1985-04-12", "", "", ""}));
    // JSON stays exact: followup's UTC form only.
    d = parse_import("[{\"name\":\"A\",\"met\":\"2012-05-14 18:30\"}]", ImportFormat::json, "f",
                     options);
    ASSERT_EQ(d.unreadable.size(), 1u);
    EXPECT_EQ(d.unreadable[0].reason,
              "record 1: met '2012-05-14 18:30' is not a UTC time like 2026-11-20T13:00:00Z");
}

TEST(ImportStream, VCardEscapesAndContactGroups) {
    ImportData d =
        parse_import("BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nNOTE:say \\\"hi\\\"\\, C:\\Users "
                     "\\'x\\' \\\\n\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nKIND:group\n"
                     "FN:Friends\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Club\n"
                     "X-ADDRESSBOOKSERVER-KIND:GROUP\nEND:VCARD\n",
                     ImportFormat::automatic, "f");
    ASSERT_EQ(d.contacts.size(), 1u);
    EXPECT_EQ(d.contacts[0].contact.notes, "say \"hi\", C:\\Users 'x' \\n");
    EXPECT_EQ(d.groups, 2u);
    EXPECT_TRUE(d.unreadable.empty());
}

// A backup too big for the undo log (and for SQLite's CHECK lists, left out while it is
// restored): every record comes back with its id, UUID and links, the second record of a
// section that cannot be read is named with its index and line, and the CHECKs hold again
// after the import on the same connection.
TEST(ImportStream, BigBackupRestoresEveryRecordAndTheChecksHoldAfter) {
    constexpr int n = 2000; // 2,000 contacts, 4,000 follow-ups, 2,000 touches: over 5,000
    std::string contacts, followups, interactions;
    for (int i = 1; i <= n; ++i) {
        contacts += fmt::format(
            "{}\n    {{\"id\":{},\"uuid\":\"00000000-0000-4000-8000-{:012}\",\"name\":\"P {}\","
            "\"emails\":[{{\"value\":\"p{}@example.org\",\"label\":\"\"}}],"
            "\"created\":\"2026-01-01T00:00:00Z\"}}",
            i == 1 ? "" : ",", i * 3, i, i, i);
        for (int k = 0; k < 2; ++k)
            followups += fmt::format(
                "{}\n    {{\"id\":{},\"uuid\":\"00000000-0000-4000-9000-{:012}\",\"contact_id\":{},"
                "\"kind\":\"{}\",\"title\":\"T {}\",\"due\":\"2026-02-01T00:00:00Z\","
                "\"status\":\"{}\",\"created\":\"2026-01-01T00:00:00Z\"}}",
                followups.empty() ? "" : ",", i * 2 + k, i * 2 + k, i * 3, k ? "meet" : "note", i,
                k ? "open" : "done");
        interactions += fmt::format(
            "{}\n    {{\"id\":{},\"uuid\":\"00000000-0000-4000-a000-{:012}\",\"contact_id\":{},"
            "\"at\":\"2026-01-02T00:00:00Z\",\"channel\":\"email\",\"direction\":\"out\","
            "\"followup_id\":{}}}",
            i == 1 ? "" : ",", i + 7, i, i * 3, i * 2);
    }
    std::string backup = fmt::format(
        "{{\n  \"format\": \"followup\",\n  \"events\": [],\n  \"contacts\": [{}\n  ],\n  "
        "\"referrals\": [],\n  \"followups\": [{}\n  ],\n  \"interactions\": [{}\n  ]\n}}\n",
        contacts, followups, interactions);

    Repository repo(":memory:");
    TimeContext tc{*parse_utc("2026-11-20T13:00:00Z"), find_zone("America/New_York")};
    repo.set_now(tc.now);
    ImportData data = parse_import(backup, ImportFormat::automatic, "backup.json", {});
    ASSERT_TRUE(data.full_backup);
    ASSERT_EQ(data.contacts.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(data.contacts[0].line, 5u); // after "{", "format", "events" and "contacts": [
    EXPECT_EQ(data.contacts[n - 1].line, static_cast<std::size_t>(n + 4));
    {
        Repository::Transaction tx(repo, true);
        ImportReport report = apply_import(repo, data, tc, {});
        EXPECT_EQ(report.added, static_cast<std::size_t>(4 * n));
        tx.commit();
    }
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM contacts"), n);
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM followups"), 2 * n);
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM interactions"), n);
    EXPECT_EQ(test_store::scalar(repo, "SELECT count(*) FROM reach"), n);
    // Ids and links as in the file.
    EXPECT_EQ(test_store::scalar_text(repo, "SELECT uuid FROM contacts WHERE id = 6000"),
              "00000000-0000-4000-8000-000000002000");
    EXPECT_EQ(test_store::scalar(repo, "SELECT contact_id FROM followups WHERE id = 4001"), 6000);
    EXPECT_EQ(test_store::scalar(repo, "SELECT followup_id FROM interactions WHERE id = 2007"),
              4000);
    EXPECT_EQ(test_store::scalar_text(repo, "SELECT value FROM reach WHERE contact_id = 3"),
              "p1@example.org");
    // The CHECKs are back for what comes after.
    EXPECT_THROW(repo.connection().exec("INSERT INTO reach (contact_id, kind, position, value) "
                                        "VALUES (3, 'fax', 9, 'x')"),
                 DatabaseError);
    EXPECT_THROW(repo.connection().exec("UPDATE followups SET status = 'maybe' WHERE id = 2"),
                 DatabaseError);

    // A record that cannot be read, deep in a big section: named by section, index and line.
    std::string broken = backup;
    std::string bad = "\"kind\":\"note\",\"title\":\"T 1500\"";
    auto at = broken.find(bad);
    ASSERT_NE(at, std::string::npos);
    broken.replace(at, bad.size(), "\"kind\":\"nope\",\"title\":\"T 1500\"");
    try {
        parse_import(broken, ImportFormat::automatic, "backup.json", {});
        FAIL() << "a backup with an unknown kind was read";
    } catch (const ImportError& e) {
        EXPECT_EQ(e.line(), static_cast<std::size_t>(n + 8 + 2998));
        EXPECT_NE(std::string(e.what()).find("followups[2998]"), std::string::npos) << e.what();
    }
}
