// Hardening: text from other people's files never drives the terminal, and no input can hang,
// exhaust or half-change anything (issue 12). Through the real binary.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using e2e::json;
using e2e::Sandbox;
namespace fs = std::filesystem;

namespace {

// ESC ] 52 writes the clipboard, ESC [ 2J clears the screen, ESC ] 8 hides a link, U+009B is
// the one-character CSI, U+202E reverses the rest of the line, BEL ends an OSC.
const std::string hostile = "\x1b]52;c;aGk=\x07"
                            "\x1b[2J\x1b]8;;http://x.test/\x1b\\"
                            "link\x1b]8;;\x1b\\\xc2\x9b"
                            "31m\u202Egpj.exe";
const std::string hostile_shown = "\\e]52;c;aGk=\\x07\\e[2J\\e]8;;http://x.test/\\e\\"
                                  "link\\e]8;;\\e\\\\u009b31m\\u202egpj.exe";

/// Fails when the text holds ESC, BEL, a C1 character (U+0080 to U+009F), a bidi override or
/// isolate, or bytes that are not UTF-8.
void expect_inert(const std::string& text, const std::string& what) {
    SCOPED_TRACE(what);
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto u = static_cast<unsigned char>(text[i]);
        ASSERT_NE(u, 0x1b) << "ESC at " << i << ":\n" << text;
        ASSERT_NE(u, 0x07) << "BEL at " << i << ":\n" << text;
        ASSERT_FALSE(u < 0x20 && u != '\n' && u != '\t') << "C0 " << int(u) << ":\n" << text;
        ASSERT_NE(u, 0x7f) << text;
        if (u == 0xc2 && i + 1 < text.size()) {
            auto v = static_cast<unsigned char>(text[i + 1]);
            ASSERT_FALSE(v >= 0x80 && v <= 0x9f) << "C1 at " << i << ":\n" << text;
        }
        if (u == 0xe2 && i + 2 < text.size()) {
            auto v = static_cast<unsigned char>(text[i + 1]);
            auto w = static_cast<unsigned char>(text[i + 2]);
            ASSERT_FALSE(v == 0x80 && w >= 0xaa && w <= 0xae) << "bidi at " << i << ":\n" << text;
            ASSERT_FALSE(v == 0x81 && w >= 0xa6 && w <= 0xa9) << "bidi at " << i << ":\n" << text;
        }
    }
}

/// Runs a command; checks its status and that neither stdout nor stderr can drive a terminal.
e2e::Result inert(const Sandbox& s, const std::vector<std::string>& args, int status = 0) {
    e2e::Result r = s.run(args);
    std::string what;
    for (const auto& a : args)
        what += a + ' ';
    EXPECT_EQ(r.status, status) << what << "\n" << r.out << r.err;
    expect_inert(r.out, what + "(stdout)");
    expect_inert(r.err, what + "(stderr)");
    return r;
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

} // namespace

TEST(Hardening, HostileTextNeverReachesTheTerminal) {
    Sandbox s;
    const fs::path card = s.dir() / "hostile.vcf";
    write_file(card,
               "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann" + hostile + "Lee\r\nORG:" + hostile +
                   "\r\nTITLE:" + hostile + "\r\nNOTE:" + hostile +
                   "\r\nEMAIL:ann@x.test\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann" +
                   hostile + "Kim\r\nEND:VCARD\r\n");

    e2e::Result dry = inert(s, {"import", "--dry-run", card.string()});
    EXPECT_NE(dry.out.find("Ann" + hostile_shown + "Lee"), std::string::npos) << dry.out;
    inert(s, {"import", card.string()});
    // Stored exactly; JSON carries it exactly (machine formats are not escaped).
    json ann = s.json_of({"show", "#1"});
    EXPECT_EQ(ann["name"], "Ann" + hostile + "Lee");
    EXPECT_EQ(ann["title"], hostile);
    e2e::Result csv = s.run({"contacts", "--format", "csv"});
    EXPECT_NE(csv.out.find("Ann" + hostile + "Lee"), std::string::npos);
    e2e::Result exported = s.run({"export", "contacts", "--format", "json"});
    EXPECT_NE(exported.out.find("Ann\\u001b]52;c;aGk=\\u0007"), std::string::npos);

    e2e::Result show = inert(s, {"show", "#1"});
    // (show's header and the tables already put a blank for each C0 character)
    EXPECT_NE(show.out.find("\\u009b31m\\u202egpj.exeLee\n"), std::string::npos) << show.out;
    inert(s, {"due", "--all"});
    inert(s, {"contacts"});
    inert(s, {"add", "Bo" + hostile, "--company", hostile, "--note", hostile, "--event", hostile});
    inert(s, {"todo", "#1", "Send " + hostile, "--by", "fri"});
    inert(s, {"log", "#1", "--note", hostile});
    inert(s, {"promise", "#1", "Intro " + hostile, "--by", "fri"});
    inert(s, {"promise", "#1", "Deck " + hostile, "--by", "fri", "--theirs"});
    inert(s, {"edit", "#1", "--title", hostile + "2"});
    e2e::Result archived = inert(s, {"archive", "#2"});
    EXPECT_EQ(archived.out, "Archived #2 Ann" + hostile_shown + "Kim\n");
    inert(s, {"archive", "#2", "--undo"});
    inert(s,
          {"referral", "receive", "--from", "#1", "--prospect", "Cy" + hostile, "--note", hostile});
    inert(s, {"referral", "give", "--to", "#1", "--prospect", "Di" + hostile});
    inert(s, {"referral", "update", "1", "--status", "contacted", "--note", hostile});
    inert(s, {"referrals"});
    inert(s, {"events"});
    inert(s, {"event", "add", "Ev" + hostile});
    inert(s, {"show", "#1"});
    inert(s, {"stats"});

    json due = s.json_of({"due", "--all"});
    ASSERT_GE(due.size(), 3u);
    inert(s, {"done", std::to_string(due[0]["id"].get<long long>())});
    inert(s, {"skip", std::to_string(due[1]["id"].get<long long>()), "--reason", hostile});
    inert(s, {"snooze", std::to_string(due[2]["id"].get<long long>()), "--for", "2d"});
    inert(s, {"reopen", std::to_string(due[0]["id"].get<long long>())});
    inert(s, {"undo"});
    inert(s, {"campaigns"});
    inert(s, {"don" + hostile}, 2); // an unknown command, quoted by the did-you-mean line
    // Errors quote names and input: the ambiguity's candidates, an unknown contact.
    e2e::Result ambiguous = inert(s, {"show", "ann"}, 1);
    EXPECT_NE(ambiguous.err.find("\\u202egpj.exeKim\n"), std::string::npos) << ambiguous.err;
    inert(s, {"show", "Zed" + hostile}, 1);
    inert(s, {"done", "x" + hostile}, 2);
    e2e::Result removed = inert(s, {"rm", "#2", "--yes"});
    EXPECT_NE(removed.out.find("Ann" + hostile_shown + "Kim"), std::string::npos) << removed.out;
}

TEST(Hardening, ColoursStillReachATerminal) {
    Sandbox s;
    s.ok({"add", "Ann\xc2\x9bLee\u202E", "--met", "2026-11-01"});
    s.in_terminal = true;
    e2e::Result r = s.run({"due"});
    EXPECT_EQ(r.status, 0) << r.out;
    // followup's own styles (bold headers, red overdue) arrive as escape sequences; the name
    // arrives escaped.
    EXPECT_NE(r.out.find("\x1b[1m"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Ann\\u009bLee\\u202e"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\xc2\x9b"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\u202E"), std::string::npos) << r.out;
}

TEST(Hardening, QuotedPrintableNulIsRefused) {
    Sandbox s;
    const fs::path card = s.dir() / "nul.vcf";
    write_file(card, "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:Q=00P\r\n"
                     "END:VCARD\r\n");
    // The card cannot be read: it is skipped and named, and never stored; --strict refuses it.
    e2e::Result strict = s.run({"import", "--strict", card.string()});
    EXPECT_EQ(strict.status, 1) << strict.out << strict.err;
    EXPECT_EQ(strict.err, "followup: " + card.string() +
                              ":3: quoted-printable text decodes to a NUL byte; nothing imported "
                              "(--strict)\n");
    EXPECT_FALSE(fs::exists(s.db()));
    e2e::Result r = s.run({"import", card.string()});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "Imported " + card.string() +
                         " (vcf): 0 added, 0 updated, 0 unchanged, 1 skipped (1 unreadable).\n"
                         "Skipped " +
                         card.string() + ":3: quoted-printable text decodes to a NUL byte\n");
    EXPECT_EQ(s.json_of({"contacts"}), json::array());
}

TEST(Hardening, StdinThatIsNoImportEndsAtOnce) {
    Sandbox s;
    // 16 MiB of "y" lines (what `yes` writes): refused after its first 16 records.
    std::string ys;
    for (int i = 0; i < (8 << 20); ++i)
        ys += "y\n";
    e2e::Result r = s.run({"import", "-"}, ys);
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    EXPECT_EQ(r.err, "followup: <stdin>:1: cannot tell what this CSV is: no LinkedIn, Google "
                     "Contacts or 'name' header in the first lines (use --format)\n");
    // One line of more than 1 MiB.
    e2e::Result long_line = s.run({"import", "-"}, "name\n" + std::string((1 << 20) + 10, 'x'));
    EXPECT_EQ(long_line.status, 2);
    EXPECT_EQ(long_line.err, "followup: <stdin>:2: a record longer than 1 MiB (stdin takes "
                             "records of up to 1 MiB; import the file by its name instead)\n");
    // A NUL in the first lines.
    std::string nul = "name\nAnn\n";
    nul += '\0';
    nul += std::string(70000, 'x') + "\n";
    e2e::Result with_nul = s.run({"import", "-"}, nul);
    EXPECT_EQ(with_nul.status, 2);
    EXPECT_EQ(with_nul.err, "followup: <stdin>:3: a NUL byte: this is not a text file\n");
    EXPECT_FALSE(fs::exists(s.db()));
    // A real import through stdin still works.
    e2e::Result good = s.run({"import", "-"}, "name,email\nAnn Lee,ann@x.test\n");
    EXPECT_EQ(good.status, 0) << good.err;
    EXPECT_EQ(good.out, "Imported <stdin> (csv): 1 added, 0 updated, 0 unchanged, 0 skipped.\n");
}

TEST(Hardening, OnlyRegularFilesAreRead) {
    Sandbox s;
    s.ok({"add", "Ann Lee", "--plan", "none"});
    const fs::path fifo = s.dir() / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto expect_error = [&](const std::vector<std::string>& args, int status,
                            const std::string& line) {
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, status) << r.out << r.err;
        EXPECT_EQ(r.err, "followup: " + line + "\n");
        EXPECT_EQ(r.out, "");
    };
    const std::string f = fifo.string();
    s.use_db_flag = false;
    s.env["FOLLOWUP_DB"] = s.location();
    expect_error({"import", f}, 1, "cannot read " + f + ": it is a FIFO, not a regular file");
    expect_error({"--config", f, "due"}, 1,
                 "cannot read " + f + ": it is a FIFO, not a regular file");
    expect_error({"--config", s.dir().string(), "due"}, 1,
                 "cannot read " + s.dir().string() + ": it is a folder, not a regular file");
    expect_error({"--config", "/dev/zero", "due"}, 1,
                 "cannot read /dev/zero: it is a device, not a regular file");
    expect_error({"restore", f, "--yes"}, 1, f + " is a FIFO, not a backup file; nothing restored");
    expect_error({"backup", f}, 1, f + " is a FIFO; give the name of a regular file");
    expect_error({"--db", f, "doctor"}, 1, f + " is a FIFO, not a database");
    expect_error({"--db", f, "backup", (s.dir() / "b.db").string()}, 1,
                 "database " + f + " is a FIFO, not a regular file");
    expect_error({"--db", f, "due"}, 1, "database " + f + " is a FIFO, not a regular file");
    expect_error({"--db", "/dev/null", "add", "Bo"}, 1,
                 "database /dev/null is a device, not a regular file");
    EXPECT_FALSE(fs::exists("/dev/null-journal"));
    EXPECT_FALSE(fs::exists(s.dir() / "b.db"));
}

TEST(Hardening, CapsWithClearErrors) {
    Sandbox s;
    std::string steps = "1d";
    for (int i = 1; i < 101; ++i)
        steps += ",1d";
    e2e::Result r = s.run({"--set", "plans.long=" + steps, "due"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err_line(), "followup: --set plans.long: plan 'long' has more than 100 steps");
    steps.resize(steps.size() - 3); // 100 steps are fine
    EXPECT_EQ(s.run({"--set", "plans.long=" + steps, "due"}).status, 0);

    const fs::path big = s.dir() / "big.json";
    write_file(big, R"({"contacts": [{"name": "Ann", "every_days": 12345678901234567890}]})");
    e2e::Result j = s.run({"import", big.string()});
    EXPECT_EQ(j.status, 2) << j.err;
    EXPECT_NE(j.err.find("\"every_days\" 12345678901234567890 is too large"), std::string::npos)
        << j.err;
    write_file(big, R"({"contacts": [{"name": "Ann", "id": 12345678901234567890}]})");
    e2e::Result id = s.run({"import", big.string()});
    EXPECT_EQ(id.status, 2) << id.err;
    EXPECT_NE(id.err.find("\"id\" 12345678901234567890 is too large"), std::string::npos) << id.err;
}

TEST(Hardening, FailedMigrationLeavesTheFileByteForByte) {
    SQLITE_FILE_ONLY();
    // A version 1 file as backups are (rollback journal, not WAL) in which migration 3 cannot
    // create its table: the file is left exactly as it was, its header (journal mode) included.
    Sandbox s;
    fs::copy_file(fs::path(FOLLOWUP_TEST_DATA) / "schema" / "v1.db", s.db());
    ::chmod(s.db().c_str(), 0600);
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE);
        ASSERT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "delete");
        d.exec("CREATE TABLE referral_events (anything TEXT)");
    }
    const std::string before = e2e::slurp(s.db());
    e2e::Result r = s.run({"due"});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(r.err, "followup: cannot upgrade database " + s.db().string() +
                         " from schema version 1 to 7 (table referral_events already exists); "
                         "it is left as it was\n");
    EXPECT_TRUE(e2e::slurp(s.db()) == before) << "the database changed";
    for (const char* suffix : {"-wal", "-shm", "-journal"})
        EXPECT_FALSE(fs::exists(s.db().string() + suffix)) << suffix;

    // Without the obstacle, the migration runs and the file then uses WAL.
    {
        SQLite::Database d(s.db().string(), SQLite::OPEN_READWRITE);
        d.exec("DROP TABLE referral_events");
    }
    s.ok({"due"});
    SQLite::Database d(s.db().string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(d.execAndGet("PRAGMA user_version").getInt(), 7);
    EXPECT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "wal");
}
