// The toolbox: the man page (rendered, and complete against --help), the bash, fish and zsh
// completions run by the real shells against a real database, `due --count`, `remind` with a
// fake notify-send and its systemd units, `config list`, and the commit in --version.

#include "harness.hpp"

#include <fcntl.h>
#include <fstream>
#include <regex>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>

using e2e::json;
using e2e::Sandbox;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

/// The subcommand names a --help text lists under "Subcommands:".
std::vector<std::string> help_subcommands(const std::string& help) {
    std::vector<std::string> names;
    bool in = false;
    for (const auto& line : lines_of(help)) {
        if (line == "Subcommands:") {
            in = true;
        } else if (in && line.size() > 2 && line[0] == ' ' && line[2] != ' ') {
            names.push_back(line.substr(2, line.find(' ', 2) - 2));
        } else if (in && !line.empty() && line[0] != ' ') {
            in = false;
        }
    }
    return names;
}

/// The long flags a --help text lists (without --help).
std::vector<std::string> help_flags(const std::string& help) {
    std::vector<std::string> flags;
    std::regex flag(R"(^  (?:-\w,)?(--[a-z][a-z-]*))");
    for (const auto& line : lines_of(help)) {
        std::smatch m;
        if (std::regex_search(line, m, flag) && m[1] != "--help") flags.push_back(m[1]);
    }
    return flags;
}

/// Every command path of followup, nested ones included ("referral update").
std::vector<std::string> command_paths(const Sandbox& s) {
    std::vector<std::string> paths;
    for (const auto& c : help_subcommands(s.ok({"--help"}))) {
        auto nested = help_subcommands(s.ok({c, "--help"}));
        if (nested.empty()) paths.push_back(c);
        for (const auto& n : nested)
            paths.push_back(c + " " + n);
    }
    return paths;
}

std::vector<std::string> words_of(const std::string& path) {
    std::vector<std::string> words;
    std::istringstream in(path);
    for (std::string w; in >> w;)
        words.push_back(w);
    return words;
}

const fs::path source_dir = FOLLOWUP_SOURCE_DIR;
const fs::path bin_dir = fs::path(FOLLOWUP_BIN).parent_path();

/// A database met on Friday 2026-11-20 08:00 in New York: José Álvarez (follow-ups 1-3, the
/// first one done), Jane Doe (4-6), a referral from Jane (1, follow-up 7), Sam Lee (no plan).
void fill(Sandbox& s) {
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "José Álvarez", "--via", "whatsapp:+34600123456", "--event", "Chamber Mixer"});
    s.ok({"add", "Jane Doe", "--company", "Acme", "--email", "jane@acme.example"});
    s.ok({"add", "Sam Lee", "--plan", "none"});
    s.ok({"done", "1"});
    s.ok({"referral", "receive", "--from", "jane", "--prospect", "Bob Stone"});
}

std::string sh_quote(const std::string& s) {
    std::string q = "'";
    for (char ch : s)
        q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
}

/// Runs the bash completion as bash does on Tab: COMP_WORDS split as given (the last word is
/// the one being completed), COMP_TYPE 9 for Tab or 63 for the listing of a second Tab; the
/// line typed is the words joined by blanks unless given.
/// Returns COMPREPLY, one per line.
std::vector<std::string> bash_complete(const Sandbox& s, std::vector<std::string> words,
                                       int type = 9, std::string typed = "") {
    std::string script = "source " + sh_quote((source_dir / "completions/followup.bash").string()) +
                         "\nCOMP_WORDS=(";
    std::string line;
    for (const auto& w : words) {
        script += sh_quote(w) + " ";
        line += (line.empty() ? "" : " ") + w;
    }
    script += ")\nCOMP_CWORD=" + std::to_string(words.size() - 1) +
              "\nCOMP_LINE=" + sh_quote(typed.empty() ? line : typed) +
              "\nCOMP_POINT=${#COMP_LINE}\nCOMP_TYPE=" + std::to_string(type) +
              "\n_followup\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    const fs::path file = s.dir() / "complete.bash";
    std::ofstream(file) << script;
    e2e::Result r = e2e::run_program(s, {"/bin/bash", "--norc", "--noprofile", file.string()},
                                     {{"PATH", bin_dir.string() + ":/usr/bin:/bin"},
                                      {"HOME", s.dir().string()},
                                      {"LANG", "C.UTF-8"},
                                      {"FOLLOWUP_DB", s.location()}});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    auto out = lines_of(r.out);
    if (out.size() == 1 && out[0].empty()) out.clear();
    return out;
}

// ---------------------------------------------------------------------------------------------

TEST(ManPage, RendersWithoutWarnings) {
    Sandbox s;
    ASSERT_TRUE(fs::exists(FOLLOWUP_MAN_PAGE)) << FOLLOWUP_MAN_PAGE;
    // -k: preconv, as man-db does, for the UTF-8 of the examples; -ww: every warning.
    e2e::Result r = e2e::run_program(
        s, {"/usr/bin/groff", "-k", "-man", "-Tutf8", "-ww", "-z", FOLLOWUP_MAN_PAGE},
        {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "");
    r = e2e::run_program(s, {"/usr/bin/man", "--warnings", "-l", FOLLOWUP_MAN_PAGE},
                         {{"PATH", "/usr/bin:/bin"},
                          {"LANG", "C.UTF-8"},
                          {"MANWIDTH", "80"},
                          {"MANPAGER", "cat"},
                          {"HOME", s.dir().string()}});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("followup - never let a networking follow-up fall through the cracks"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("EXIT STATUS"), std::string::npos);
    EXPECT_NE(r.out.find("(jose finds \"José Álvarez\")"), std::string::npos);
}

TEST(ManPage, DocumentsEveryCommandAndFlagOfHelp) {
    Sandbox s;
    const std::string page = e2e::slurp(source_dir / "docs/followup.1.scd");
    auto paths = command_paths(s);
    ASSERT_GE(paths.size(), 27u);
    for (const auto& path : paths) {
        // The command's entry: from its "*path*" line to the next entry.
        std::size_t at = page.find("\n*" + path + "*");
        ASSERT_NE(at, std::string::npos) << "followup(1) does not document '" << path << "'";
        std::size_t end = page.find("\n\n*", at + 1);
        std::size_t heading = page.find("\n\n#", at + 1);
        std::string entry = page.substr(at, std::min(end, heading) - at);
        auto args = words_of(path);
        args.emplace_back("--help");
        for (const auto& flag : help_flags(s.ok(args)))
            EXPECT_NE(entry.find("*" + flag + "*"), std::string::npos)
                << "followup(1) does not document " << path << " " << flag;
    }
    for (const auto& flag : help_flags(s.ok({"--help"})))
        EXPECT_NE(page.find("*" + flag + "*"), std::string::npos) << flag;
    EXPECT_EQ(page.find("__complete"), std::string::npos); // hidden, for the completions only
}

// ---------------------------------------------------------------------------------------------

TEST(Completion, BashContactNamesWithSpacesAndAccents) {
    Sandbox s;
    fill(s);
    using V = std::vector<std::string>;
    EXPECT_EQ(bash_complete(s, {"followup", "show", "jo"}), V{"José\\ Álvarez"});
    EXPECT_EQ(bash_complete(s, {"followup", "show", "JOSE"}), V{"José\\ Álvarez"});
    EXPECT_EQ(bash_complete(s, {"followup", "show", "alv"}), V{"José\\ Álvarez"}); // a later word
    // Inside quotes the name goes in as it is; bash closes the quote.
    EXPECT_EQ(bash_complete(s, {"followup", "show", "\"jo"}), V{"José Álvarez"});
    EXPECT_EQ(bash_complete(s, {"followup", "show", "José\\ Á"}), V{"José\\ Álvarez"});
    EXPECT_EQ(sorted(bash_complete(s, {"followup", "log", ""})),
              (V{"Bob\\ Stone", "Jane\\ Doe", "José\\ Álvarez", "Sam\\ Lee"}));
    EXPECT_EQ(bash_complete(s, {"followup", "due", "--contact", "sa"}), V{"Sam\\ Lee"});
    EXPECT_EQ(bash_complete(s, {"followup", "referral", "give", "--to", "ja"}), V{"Jane\\ Doe"});
    EXPECT_EQ(bash_complete(s, {"followup", "due", "--event", "cham"}), V{"Chamber\\ Mixer"});
    EXPECT_EQ(bash_complete(s, {"followup", "show", "zz"}), V{});
    // The --db of the command line wins over FOLLOWUP_DB.
    Sandbox other;
    other.ok({"add", "Zoë Ångström", "--plan", "none"});
    EXPECT_EQ(bash_complete(s, {"followup", "--db", other.location(), "show", "zo"}),
              V{"Zoë\\ Ångström"});
    // A CONTACT is the first argument only.
    EXPECT_EQ(bash_complete(s, {"followup", "todo", "jane", "Send"}), V{});
}

TEST(Completion, BashDoneListsOpenIdsWithTitles) {
    Sandbox s;
    fill(s);
    using V = std::vector<std::string>;
    EXPECT_EQ(sorted(bash_complete(s, {"followup", "done", ""})),
              (V{"2", "3", "4", "5", "6", "7"})); // 1 is done
    EXPECT_EQ(sorted(bash_complete(s, {"followup", "snooze", "4", "--until", "fri", ""})),
              (V{"2", "3", "5", "6", "7"})); // 4 is already on the line
    EXPECT_EQ(bash_complete(s, {"followup", "skip", "7"}), V{"7"});
    EXPECT_EQ(
        sorted(bash_complete(s, {"followup", "done", ""}, 63)),
        (V{"2  -- Exchange numbers with José Álvarez on WhatsApp",
           "3  -- Arrange a one-to-one with José Álvarez", "4  -- Send a note to Jane Doe by email",
           "5  -- Connect with Jane Doe on LinkedIn", "6  -- Arrange a one-to-one with Jane Doe",
           "7  -- Contact Bob Stone, referred by Jane Doe"}));
    EXPECT_EQ(bash_complete(s, {"followup", "referral", "update", ""}), V{"1"});
    s.ok({"done", "2", "3", "4", "5", "6", "7"});
    EXPECT_EQ(bash_complete(s, {"followup", "done", ""}), V{"8"}); // the report to Jane, new
    s.ok({"done", "8"});
    EXPECT_EQ(bash_complete(s, {"followup", "done", ""}), V{});
}

TEST(Completion, BashStaticWords) {
    Sandbox s;
    using V = std::vector<std::string>;
    EXPECT_EQ(bash_complete(s, {"followup", "due", "--kind", "c"}),
              (V{"connect", "checkin", "custom"}));
    EXPECT_EQ(bash_complete(s, {"followup", "export", "--format", ""}),
              (V{"json", "jsonl", "csv", "tsv", "ics", "vcf"}));
    EXPECT_EQ(bash_complete(s, {"followup", "due", "--format", "j"}), (V{"json", "jsonl"}));
    // bash splits "--format=j" at "=": the words are "--format", "=", "j".
    EXPECT_EQ(
        bash_complete(s, {"followup", "due", "--format", "=", "j"}, 9, "followup due --format=j"),
        (V{"json", "jsonl"}));
    // ... and "--via whatsapp:+34" at ":", where a handle begins: nothing to offer.
    EXPECT_EQ(bash_complete(s, {"followup", "add", "Ann", "--via", "whatsapp", ":", "+34"}, 9,
                            "followup add Ann --via whatsapp:+34"),
              V{});
    EXPECT_EQ(bash_complete(s, {"followup", "add", "Ann", "--via", "w"}), V{"whatsapp"});
    EXPECT_EQ(bash_complete(s, {"followup", "referral", "update", "1", "--status", "w"}), V{"won"});
    EXPECT_EQ(bash_complete(s, {"followup", "referral", ""}), (V{"receive", "give", "update"}));
    EXPECT_EQ(bash_complete(s, {"followup", "re"}),
              (V{"reopen", "referral", "referrals", "restore", "remind"}));
    EXPECT_EQ(bash_complete(s, {"followup", "due", "--within", ""}), V{}); // nothing to guess
    EXPECT_FALSE(fs::exists(s.db())); // completing never creates the database
}

TEST(Completion, BashKnowsEveryCommandAndFlagOfHelp) {
    Sandbox s;
    EXPECT_EQ(sorted(bash_complete(s, {"followup", ""})),
              sorted(help_subcommands(s.ok({"--help"}))));
    for (const auto& path : command_paths(s)) {
        auto words = words_of(path);
        auto args = words;
        args.emplace_back("--help");
        words.insert(words.begin(), "followup");
        words.emplace_back("--");
        EXPECT_EQ(sorted(bash_complete(s, words)), sorted(help_flags(s.ok(args)))) << path;
    }
}

TEST(Completion, CompleteIsHiddenAndReadOnly) {
    Sandbox s;
    e2e::Result r = s.run({"__complete", "contacts", "jo"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(fs::exists(s.db())); // a missing database stays missing
    EXPECT_EQ(s.ok({"--help"}).find("__complete"), std::string::npos);
    r = s.run({"__complete", "people"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "followup: __complete: unknown list 'people' (contacts, followups, events or "
                     "referrals)\n");
    fill(s);
    EXPECT_EQ(s.ok({"__complete", "contacts", "j"}), "José Álvarez\t#1\nJane Doe\t#2 Acme\n");
    EXPECT_EQ(s.ok({"__complete", "followups", "#7"}),
              "7\tContact Bob Stone, referred by Jane Doe\n");
    EXPECT_EQ(s.ok({"__complete", "events", ""}), "Chamber Mixer\t2026-11-20\n");
    EXPECT_EQ(s.ok({"__complete", "referrals"}), "1\tJane Doe → you: Bob Stone (new)\n");
    s.ok({"archive", "sam"});
    EXPECT_EQ(s.ok({"__complete", "contacts", "sam"}), "");
}

TEST(Completion, Fish) {
    if (!fs::exists("/usr/bin/fish")) GTEST_SKIP() << "fish is not installed";
    Sandbox s;
    fill(s);
    auto fish = [&](const std::string& line) {
        e2e::Result r = e2e::run_program(
            s,
            {"/usr/bin/fish", "--no-config", "-c",
             "source " + sh_quote((source_dir / "completions/followup.fish").string()) +
                 "; complete -C " + sh_quote(line)},
            {{"PATH", bin_dir.string() + ":/usr/bin:/bin"},
             {"HOME", s.dir().string()},
             {"LANG", "C.UTF-8"},
             {"FOLLOWUP_DB", s.location()}});
        EXPECT_EQ(r.status, 0) << r.err;
        return r.out;
    };
    EXPECT_EQ(fish("followup show jo"), "José Álvarez\t#1\n");
    EXPECT_EQ(fish("followup skip 7"), "7\tContact Bob Stone, referred by Jane Doe\n");
    EXPECT_EQ(fish("followup referral update "), "1\tJane Doe → you: Bob Stone (new)\n");
    EXPECT_EQ(fish("followup due --kind ch"), "checkin\tKind\n");
}

TEST(Completion, Zsh) {
    if (!fs::exists("/usr/bin/zsh")) GTEST_SKIP() << "zsh is not installed";
    Sandbox s;
    fill(s);
    // zsh's own completion system in a pseudo-terminal: type the line and Tab, then a key bound
    // to a widget that saves the edited line.
    const fs::path script = s.dir() / "complete.zsh";
    std::ofstream(script) << "zmodload zsh/zpty\n"
                             "zpty z zsh -f -i\n"
                             "zpty -w z \"fpath=($1 \\$fpath); autoload -U compinit; compinit -u "
                             "-D\"\n"
                             "zpty -w z \"dump() { print -r -- \\\"\\$BUFFER\\\" > $3 }; zle -N "
                             "dump; bindkey '^G' dump\"\n"
                             "zpty -w -n z \"$2\"$'\\t'\n"
                             "sleep 1\n"
                             "zpty -w -n z $'\\a'\n"
                             "for i in {1..100}; do [[ -s $3 ]] && break; sleep 0.1; done\n"
                             "zpty -d z\n";
    auto zsh = [&](const std::string& line) {
        const fs::path out = s.dir() / "zsh-line";
        fs::remove(out);
        e2e::Result r =
            e2e::run_program(s,
                             {"/usr/bin/zsh", "-f", script.string(),
                              (source_dir / "completions").string(), line, out.string()},
                             {{"PATH", bin_dir.string() + ":/usr/bin:/bin"},
                              {"HOME", s.dir().string()},
                              {"LANG", "C.UTF-8"},
                              {"TERM", "dumb"},
                              {"FOLLOWUP_DB", s.location()}});
        EXPECT_EQ(r.status, 0) << r.err;
        return e2e::slurp(out);
    };
    EXPECT_EQ(zsh("followup show jo"), "followup show José\\ Álvarez \n");
    EXPECT_EQ(zsh("followup show alv"), "followup show José\\ Álvarez \n");
    EXPECT_EQ(zsh("followup due --kind chec"), "followup due --kind checkin \n");
    EXPECT_EQ(zsh("followup done 7"), "followup done 7 \n");
}

// ---------------------------------------------------------------------------------------------

TEST(DueCount, OneNumberForAPrompt) {
    Sandbox s;
    // At the default location, a prompt does not create the database; a location given by
    // --db that does not exist is named (SPEC Version 3, Locations).
    s.use_db_flag = false;
    e2e::Result r = s.run({"due", "--count"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "0\n");
    EXPECT_FALSE(fs::exists(s.dir() / ".local"));
    s.use_db_flag = true;
    if (!e2e::on_postgres()) { // a server's database is there before the first command
        r = s.run({"due", "--count"});
        EXPECT_EQ(r.status, 1);
        EXPECT_FALSE(fs::exists(s.db()));
    }
    fill(s); // Fri 08:00: notes due Sat 08:00, the referral too
    EXPECT_EQ(s.ok({"due", "--count"}), "0\n");
    s.ok({"todo", "sam", "Call Sam", "--by", "17:00"});
    EXPECT_EQ(s.ok({"due", "--count"}), "1\n");
    r = s.run({"due", "--count", "--fail-if-overdue"}); // due at 17:00, not overdue yet
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "1\n");
    EXPECT_EQ(s.ok({"due", "--count", "--within", "2d"}), "3\n"); // + Jane's note, the referral
    EXPECT_EQ(s.json_of({"due", "--within", "2d"}).size(), 3u);
    s.at("2026-11-22T13:00:00Z"); // Sunday: those three overdue, nothing else today
    EXPECT_EQ(s.ok({"due", "--count"}), "3\n");
    EXPECT_EQ(s.ok({"due", "--count", "--overdue"}), "3\n");
    EXPECT_EQ(s.ok({"due", "--count", "--kind", "note"}), "1\n");
    r = s.run({"due", "--count", "--fail-if-overdue"});
    EXPECT_EQ(r.status, 3);
    EXPECT_EQ(r.out, "3\n");
    r = s.run({"due", "--count", "--format", "json"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: --count and --format do not go together");
}

// ---------------------------------------------------------------------------------------------

/// A notify-send that records its arguments, one per line, in <sandbox>/notify.log.
fs::path fake_notify_send(const Sandbox& s, int exit_status = 0) {
    fs::path bin = s.dir() / "bin";
    fs::create_directories(bin);
    std::ofstream(bin / "notify-send")
        << "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> "
        << (s.dir() / "notify.log") << "\necho --- >> " << (s.dir() / "notify.log") << "\nexit "
        << exit_status << "\n";
    fs::permissions(bin / "notify-send", fs::perms::owner_all);
    return bin;
}

TEST(Remind, OneNotificationWithTheCountsAndTheFirstLines) {
    Sandbox s;
    fill(s);
    s.env["PATH"] = fake_notify_send(s).string() + ":/usr/bin:/bin";
    s.env["DISPLAY"] = ":0";
    const fs::path log = s.dir() / "notify.log";
    EXPECT_EQ(s.ok({"remind"}), "Nothing due.\n"); // Friday 08:00: all due tomorrow
    EXPECT_FALSE(fs::exists(log));

    s.at("2026-11-21T14:00:00Z"); // Saturday 09:00: Jane's note and the referral an hour late
    s.ok({"todo", "sam", "Call Sam <& Co>", "--by", "17:00"});
    EXPECT_EQ(s.ok({"remind"}), "followup: 2 overdue, 1 due today\n");
    EXPECT_EQ(e2e::slurp(log), "--app-name=followup\n"
                               "--icon=appointment-soon\n"
                               "--urgency=critical\n"
                               "followup: 2 overdue, 1 due today\n"
                               "Send a note to Jane Doe by email (1h overdue)\n"
                               "Contact Bob Stone, referred by Jane Doe (1h overdue)\n"
                               "Call Sam &lt;&amp; Co&gt; (in 8h)\n"
                               "---\n");

    // Five lines at most, then how many more; nothing overdue: normal urgency.
    s.ok({"done", "4", "7", "8"});
    for (int i = 1; i <= 6; ++i)
        s.ok({"todo", "sam", "Task " + std::to_string(i), "--by", std::to_string(17 + i) + ":00"});
    fs::remove(log);
    EXPECT_EQ(s.ok({"remind"}), "followup: 0 overdue, 6 due today\n");
    EXPECT_EQ(e2e::slurp(log), "--app-name=followup\n"
                               "--icon=appointment-soon\n"
                               "--urgency=normal\n"
                               "followup: 0 overdue, 6 due today\n"
                               "Task 1 (in 9h)\n"
                               "Task 2 (in 10h)\n"
                               "Task 3 (in 11h)\n"
                               "Task 4 (in 12h)\n"
                               "Task 5 (in 13h)\n"
                               "… and 1 more\n"
                               "---\n");
}

TEST(Remind, NothingWithoutADisplayAndAnErrorWhenNotifySendFails) {
    Sandbox s;
    fill(s);
    s.at("2026-11-21T14:00:00Z");
    s.env["PATH"] = fake_notify_send(s, 1).string() + ":/usr/bin:/bin";
    const fs::path log = s.dir() / "notify.log";
    e2e::Result r = s.run({"remind"}); // no DISPLAY, WAYLAND_DISPLAY or session bus
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "followup: 2 overdue, 0 due today (no display: no notification)\n");
    EXPECT_FALSE(fs::exists(log));

    s.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/run/user/1000/bus"; // a systemd user service
    r = s.run({"remind"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "followup: notify-send failed (exit status 1)\n");
    EXPECT_TRUE(fs::exists(log));

    s.env["PATH"] = "/nonexistent";
    r = s.run({"remind"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "followup: notify-send not found (Debian package libnotify-bin)\n");
}

TEST(Remind, InstallWritesAUserTimerAndServiceAndUninstallRemovesThem) {
    Sandbox s;
    s.use_db_flag = false;
    const fs::path db = s.dir() / "my db 100%.db";
    const fs::path units = s.dir() / "cfg" / "systemd" / "user";
    s.env["XDG_CONFIG_HOME"] = (s.dir() / "cfg").string();
    const std::string exe = fs::canonical(FOLLOWUP_BIN).string();
    EXPECT_EQ(s.ok({"--db", db.string(), "remind", "--install"}),
              "Wrote " + (units / "followup-remind.service").string() + "\nWrote " +
                  (units / "followup-remind.timer").string() +
                  " (Mon..Fri 08:30)\nTurn it on: systemctl --user daemon-reload && systemctl "
                  "--user enable --now followup-remind.timer\n");
    EXPECT_FALSE(fs::exists(db)); // installing touches no database
    EXPECT_EQ(e2e::slurp(units / "followup-remind.service"),
              "[Unit]\nDescription=followup: notify what is due today\n\n[Service]\n"
              "Type=oneshot\nExecStart=" +
                  exe + " --db \"" + s.dir().string() + "/my db 100%%.db\" remind\n");
    EXPECT_EQ(e2e::slurp(units / "followup-remind.timer"),
              "[Unit]\nDescription=followup: the morning reminder\n\n[Timer]\n"
              "OnCalendar=Mon..Fri 08:30\nPersistent=true\n\n[Install]\n"
              "WantedBy=timers.target\n");
    if (fs::exists("/usr/bin/systemd-analyze")) {
        e2e::Result v = e2e::run_program(s,
                                         {"/usr/bin/systemd-analyze", "verify",
                                          (units / "followup-remind.service").string(),
                                          (units / "followup-remind.timer").string()},
                                         {{"PATH", "/usr/bin:/bin"}, {"HOME", s.dir().string()}});
        EXPECT_EQ(v.status, 0) << v.out << v.err;
        EXPECT_EQ(v.err, "");
    }

    // The time comes from the config; without --db the service uses the default database.
    s.ok({"--set", "remind.at=Sat *-*-* 10:00", "remind", "--install"});
    EXPECT_EQ(e2e::slurp(units / "followup-remind.service"),
              "[Unit]\nDescription=followup: notify what is due today\n\n[Service]\n"
              "Type=oneshot\nExecStart=" +
                  exe + " remind\n");
    EXPECT_NE(e2e::slurp(units / "followup-remind.timer").find("\nOnCalendar=Sat *-*-* 10:00\n"),
              std::string::npos);

    // `systemctl --user enable` links the timer into timers.target.wants: that goes too.
    fs::create_directories(units / "timers.target.wants");
    fs::create_symlink(units / "followup-remind.timer",
                       units / "timers.target.wants" / "followup-remind.timer");
    EXPECT_EQ(s.ok({"remind", "--uninstall"}),
              "Removed " + (units / "timers.target.wants/followup-remind.timer").string() +
                  "\nRemoved " + (units / "followup-remind.timer").string() + "\nRemoved " +
                  (units / "followup-remind.service").string() +
                  "\nStop a running timer: systemctl --user stop followup-remind.timer && "
                  "systemctl --user daemon-reload\n");
    EXPECT_TRUE(fs::is_empty(units / "timers.target.wants"));
    EXPECT_EQ(s.ok({"remind", "--uninstall"}), "No reminder installed in " + units.string() + "\n");
    e2e::Result r = s.run({"remind", "--install", "--uninstall"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: --install and --uninstall do not go together");
}

// ---------------------------------------------------------------------------------------------

TEST(ConfigList, EverySettingWithItsValueAndOrigin) {
    Sandbox s;
    auto dir = s.dir() / ".config" / "followup";
    fs::create_directories(dir);
    std::ofstream(dir / "config.toml") << "plan = \"quick\"\ncolour = \"never\"\n[plans]\n"
                                          "quick = \"24h, 3d, 14d\"\n[remind]\nat = \"Mon 07:00\"\n"
                                          "[sync]\ncontacts_dir = \"~/.contacts/followup\"\n";
    const std::string file = (dir / "config.toml").string();
    EXPECT_EQ(s.ok({"--set", "response.referral=12h", "--set", "plans.trial=note:2d, 90min",
                    "--set", "sync.contacts_pair=phone_contacts", "config", "list"}),
              "SETTING                VALUE                           FROM\n"
              "plan                   quick                           " +
                  file +
                  "\n"
                  "channel                                                default\n"
                  "color                  never                           " +
                  file +
                  "\n"
                  "response.referral      12h                             --set\n"
                  "response.report        24h                             default\n"
                  "response.checkin       7d                              default\n"
                  "response.chase         3d                              default\n"
                  "response.rebook        2d                              default\n"
                  "response.birthday      5d                              default\n"
                  "campaign.reply_window  14d                             default\n"
                  "channels.custom                                        default\n"
                  "social.networks        linkedin                        default\n"
                  "social.fallback        contacts                        default\n"
                  "remind.at              Mon 07:00                       " +
                  file +
                  "\n"
                  "remind.meeting         1h                              default\n"
                  "sync.contacts_dir      ~/.contacts/followup            " +
                  file +
                  "\n"
                  "sync.followups_dir                                     default\n"
                  "sync.contacts_pair     phone_contacts                  --set\n"
                  "sync.followups_pair                                    default\n"
                  "sync.meetings_dir                                      default\n"
                  "sync.meetings_pair                                     default\n"
                  "sync.vdirsyncer        vdirsyncer                      default\n"
                  "sync.config                                            default\n"
                  "plans.quick            note:24h, connect:3d, meet:14d  " +
                  file +
                  "\n"
                  "plans.trial            note:2d, connect:90min          --set\n");
    json j = s.json_of({"config", "list"});
    ASSERT_EQ(j.size(), 24u);
    EXPECT_EQ(j[0],
              (json{{"key", "plan"}, {"value", "quick"}, {"origin", "file"}, {"file", file}}));
    EXPECT_EQ(j[3], (json{{"key", "response.referral"},
                          {"value", "24h"},
                          {"origin", "default"},
                          {"file", nullptr}}));
    EXPECT_EQ(j[11], (json{{"key", "social.networks"},
                           {"value", "linkedin"},
                           {"origin", "default"},
                           {"file", nullptr}}));
    EXPECT_EQ(
        j[14],
        (json{
            {"key", "remind.meeting"}, {"value", "1h"}, {"origin", "default"}, {"file", nullptr}}));
    e2e::Result r = s.run({"--set", "remind.at=", "config", "list"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(),
              "followup: --set remind.at: expected a calendar time such as \"Mon..Fri 08:30\"");
}

TEST(Version, NamesTheCommitWhenBuiltFromGit) {
    Sandbox s;
    std::string version = s.ok({"--version"});
    if (!fs::exists(source_dir / ".git") || !fs::exists("/usr/bin/git")) {
        EXPECT_EQ(version, "followup 0.1.0\n");
        return;
    }
    e2e::Result git = e2e::run_program(
        s, {"/usr/bin/git", "-C", source_dir.string(), "rev-parse", "--short=7", "HEAD"},
        {{"PATH", "/usr/bin:/bin"}, {"HOME", s.dir().string()}});
    ASSERT_EQ(git.status, 0) << git.err;
    EXPECT_EQ(version, "followup 0.1.0 (" + git.out.substr(0, git.out.size() - 1) + ")\n");
}

} // namespace
