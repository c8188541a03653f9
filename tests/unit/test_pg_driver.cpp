// The PostgreSQL driver's messages, against a real server (FOLLOWUP_TEST_PG, set by
// scripts/test.sh's PostgreSQL stage; skipped without it): what the server says as it ends a
// session reaches the user as followup's one line, and libpq prints nothing of its own.

#include "sql.hpp"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::string server() {
    const char* v = std::getenv("FOLLOWUP_TEST_PG");
    return v ? v : "";
}

/// psql's output for one statement on the test server's maintenance database.
std::string psql(const std::string& sql) {
    std::string command =
        "psql -X -q -At -v ON_ERROR_STOP=1 '" + server() + "' -c \"" + sql + "\" 2>&1";
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("cannot run psql");
    std::string out;
    char buf[512];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    if (::pclose(p) != 0) throw std::runtime_error("psql failed: " + out);
    return out;
}

/// What is written to fd 2 while `body` runs.
template <typename F> std::string stderr_of(F body) {
    std::fflush(stderr);
    char path[] = "/tmp/followup-stderr-XXXXXX";
    int fd = ::mkstemp(path);
    int saved = ::dup(2);
    ::dup2(fd, 2);
    body();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::string out;
    ::lseek(fd, 0, SEEK_SET);
    char buf[512];
    while (true) {
        auto n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    ::unlink(path);
    return out;
}

} // namespace

// Issue 32: during a server restart, libpq's own "FATAL:  terminating connection due to
// administrator command" was printed raw before followup's message. Where libpq reads the
// server's last words depends on when they arrive (with the next statement's result, or as a
// notice when the statement could not be sent): the rounds end sessions at both moments.
TEST(PgDriver, ASessionTheServerEndsIsOneLineAndNothingRaw) {
    if (server().empty()) GTEST_SKIP() << "FOLLOWUP_TEST_PG is not set";
    std::string db = "pgdriver_" + std::to_string(::getpid());
    psql("CREATE DATABASE " + db);
    std::vector<std::string> messages;
    std::string raw = stderr_of([&] {
        for (int round = 0; round < 6; ++round) {
            auto conn = followup::sql::open_postgres(server() + " dbname=" + db +
                                                     " application_name=followup_pgdriver");
            conn->exec("SELECT 1");
            // The server ends the session between two statements, as a restart does; every
            // other round the next statement races the end.
            psql(fmt::format("SELECT pg_terminate_backend(pid{}) FROM pg_stat_activity WHERE "
                             "application_name = 'followup_pgdriver'",
                             round % 2 == 0 ? ", 10000" : ""));
            try {
                followup::sql::Statement q(*conn, "SELECT ?");
                q.bind(1, 1);
                q.exec();
                conn->exec("SELECT 1");
                messages.emplace_back("(no error)");
            } catch (const followup::DatabaseError& e) {
                messages.emplace_back(e.what());
            }
        }
    });
    psql("DROP DATABASE " + db + " WITH (FORCE)");
    EXPECT_EQ(raw, "");
    std::map<std::string, int> seen;
    for (const auto& m : messages) {
        EXPECT_TRUE(m.starts_with("lost the connection to the database at ")) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
        ++seen[m.substr(m.find(": ") + 2)];
    }
    for (const auto& [m, n] : seen)
        std::printf("%3d x %s\n", n, m.c_str());
}

// What the server says outside a result (a WARNING, as a restart's FATAL is) goes to followup,
// never to stderr by libpq's default notice processor.
TEST(PgDriver, TheServersNoticesAreNotPrintedRaw) {
    if (server().empty()) GTEST_SKIP() << "FOLLOWUP_TEST_PG is not set";
    std::string db = "pgdriver_n_" + std::to_string(::getpid());
    psql("CREATE DATABASE " + db);
    std::string raw = stderr_of([&] {
        auto conn = followup::sql::open_postgres(server() + " dbname=" + db);
        conn->exec("DO $$ BEGIN RAISE WARNING 'a raw line'; END $$");
        followup::sql::Statement q(*conn, "SELECT 1 FROM (SELECT 1) AS t WHERE ? = 1");
        q.bind(1, 1);
        q.exec();
    });
    psql("DROP DATABASE " + db + " WITH (FORCE)");
    EXPECT_EQ(raw, "");
}
