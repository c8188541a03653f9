#pragma once
// End-to-end harness: runs the real followup binary in a sandbox folder with a frozen clock.
//
// Every run gets an argument vector (no shell), a controlled environment (TZ, HOME, a fixed
// time through libfaketime), optional stdin text, and returns the exit status with the captured
// stdout and stderr.

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace e2e {

using nlohmann::json;

/// The outcome of one run of the binary.
struct Result {
    int status{-1}; ///< exit status, or 128 + signal when killed by one
    std::string out;
    std::string err;

    /// The first line of stderr, without the newline.
    [[nodiscard]] std::string err_line() const;
    /// stdout parsed as JSON (fails the test when it does not parse).
    [[nodiscard]] json json_out() const;
};

/// Seconds since the epoch of a UTC time written "2026-11-20T13:00:00Z" (timegm, no zone).
long long epoch(const std::string& utc);

/// Reads a whole file as bytes ("" when missing).
std::string slurp(const std::filesystem::path& path);

/// The PostgreSQL server the suite runs against (FOLLOWUP_TEST_PG, a libpq location of a
/// database the tests may create databases from), or "" for the SQLite run.
const std::string& postgres_server();
/// True in the suite's PostgreSQL run.
inline bool on_postgres() {
    return !postgres_server().empty();
}
/// Runs SQL on a PostgreSQL database with psql; returns its unaligned, tuples-only output.
std::string psql(const std::string& location, const std::string& sql);

/// A test that looks at the SQLite file itself (its bytes, journal, pages or locks), so it has
/// nothing to check in the PostgreSQL run.
#define SQLITE_FILE_ONLY()                                                                         \
    do {                                                                                           \
        if (::e2e::on_postgres()) GTEST_SKIP() << "looks at the SQLite file itself";               \
    } while (false)

class Sandbox;
/// Runs a program (no shell) with exactly this environment, stdin on /dev/null; stdout and
/// stderr captured (through files in the sandbox's folder).
Result run_program(const Sandbox& s, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env);

/// A fresh temporary folder with a database path, removed at the end of the test. In the
/// PostgreSQL run the database is a fresh database on the test server, dropped at the end.
class Sandbox {
public:
    Sandbox();
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
    /// <tmp>/f.db, passed as --db unless use_db_flag is false (the SQLite run).
    [[nodiscard]] std::filesystem::path db() const { return dir_ / "f.db"; }
    /// What --db is given: db(), or the test's own database on the PostgreSQL server.
    [[nodiscard]] std::string location() const;
    /// Runs SQL on the test's database (SQLite or PostgreSQL): one line per row, columns
    /// separated by '|' and NULL written NULL, as `sqlite3 -list` and `psql -At` print them.
    [[nodiscard]] std::string query(const std::string& sql) const;
    /// The whole database, for checks that a command changed nothing: on SQLite the bytes of
    /// the file and its write-ahead log, on PostgreSQL every row of every table, in order.
    [[nodiscard]] std::string state() const;

    /// The frozen "now" of the next runs, as a UTC string ("2026-11-20T13:00:00Z").
    void at(const std::string& utc) { now_ = epoch(utc); }
    /// The TZ of the next runs (default America/New_York).
    std::string tz = "America/New_York";
    /// Extra environment variables of the next runs (e.g. FOLLOWUP_DB, XDG_DATA_HOME).
    std::map<std::string, std::string> env;
    /// Whether runs get "--db <tmp>/f.db" in front of the arguments.
    bool use_db_flag = true;
    /// Whether runs get a terminal: the binary runs under script(1), which gives it a pty for
    /// stdin and stdout (stdin_text is typed into it; stdout then holds the whole session).
    bool in_terminal = false;

    /// Runs followup with these arguments (the --db flag is added first when use_db_flag).
    Result run(const std::vector<std::string>& args,
               const std::optional<std::string>& stdin_text = std::nullopt,
               const std::string& stdout_path = "") const;
    /// Runs with stdout sent to a file of the caller's (e.g. /dev/full); Result::out is empty.
    Result run_to(const std::vector<std::string>& args, const std::string& stdout_path) const {
        return run(args, std::nullopt, stdout_path);
    }

    /// Runs and expects exit status 0; returns stdout.
    std::string ok(const std::vector<std::string>& args) const;
    /// Runs with --format json appended, expects status 0, returns the parsed JSON.
    json json_of(std::vector<std::string> args) const;
    /// The follow-ups of one kind, open or not, from `show CONTACT` (open ones first).
    json followups(const std::string& contact, const std::string& kind) const;

private:
    std::filesystem::path dir_;
    std::string pg_db_; ///< the database's name in the PostgreSQL run
    long long now_{};
    mutable int runs_{};
};

} // namespace e2e
