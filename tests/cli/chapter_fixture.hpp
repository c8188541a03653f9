#pragma once
// The fixture of the chapter suites (test_chapter.cpp, test_chapter_attacks.cpp): a database of
// its own on the server of FOLLOWUP_TEST_PG, owned by an admin role that is what docs/chapter.md
// tells a chapter to create: LOGIN and CREATEROLE, not a superuser. The superuser (the user of
// FOLLOWUP_TEST_PG) only creates that admin and the database, and drops them at the end; every
// followup command of the suites runs as the admin or as a member.

#include "harness.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

namespace chapter_test {

/// Shell-quotes one word for popen.
inline std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs SQL through psql at a location; its output (-At: unaligned, tuples only; stderr too) and
/// exit status.
inline std::pair<std::string, int> psql(const std::string& location, const std::string& sql) {
    std::string cmd = "psql -X -At -v ON_ERROR_STOP=1 " + quoted(location) + " -c " + quoted(sql) +
                      " </dev/null 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int status = ::pclose(p);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

/// A database of its own on the test server, owned by a CREATEROLE admin, with three member
/// roles; all dropped at the end.
class Chapter : public ::testing::Test {
protected:
    void SetUp() override {
        const char* pg = std::getenv("FOLLOWUP_TEST_PG");
        if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "FOLLOWUP_TEST_PG is not set";
        server_ = pg;
        static int serial = 0;
        suffix_ = std::to_string(::getpid()) + "_" + std::to_string(++serial);
        dbname_ = "fu_chapter_" + suffix_;
        admin_role_ = "fu_admin_" + suffix_;
        // The superuser's part: the admin (as docs/chapter.md: createuser --createrole --login)
        // and the database it owns.
        auto [made, rc] = psql(server_, "CREATE ROLE " + admin_role_ + " LOGIN CREATEROLE");
        ASSERT_EQ(rc, 0) << made;
        made_ = true;
        auto [out, rc2] = psql(server_, "CREATE DATABASE " + dbname_ + " OWNER " + admin_role_);
        ASSERT_EQ(rc2, 0) << out;
        superuser = server_ + " dbname=" + dbname_;
        admin = superuser + " user=" + admin_role_;
        s.use_db_flag = false;
    }
    void TearDown() override {
        if (!made_) return;
        psql(server_, "DROP DATABASE IF EXISTS " + dbname_ + " WITH (FORCE)");
        for (const char* who : {"a", "b", "c", "outsider"})
            psql(server_, "DROP ROLE IF EXISTS " + role(who));
        psql(server_, "DROP ROLE IF EXISTS " + admin_role_);
    }

    /// The role of member "a", "b" or "c" in this run.
    [[nodiscard]] std::string role(const std::string& who) const {
        return "fu_" + who + "_" + suffix_;
    }
    /// The admin's role in this run.
    [[nodiscard]] const std::string& admin_role() const { return admin_role_; }
    /// The location a member connects with (libpq takes the last user= given).
    [[nodiscard]] std::string as(const std::string& who) const {
        return admin + " user=" + role(who);
    }
    /// Runs followup with --db LOCATION.
    e2e::Result run(const std::string& location, std::vector<std::string> args) const {
        args.insert(args.begin(), {"--db", location});
        return s.run(args);
    }
    std::string ok(const std::string& location, std::vector<std::string> args) const {
        e2e::Result r = run(location, std::move(args));
        EXPECT_EQ(r.status, 0) << r.err;
        return r.out;
    }
    /// db init and the three members, by the admin.
    void make_chapter() {
        ok(admin, {"db", "init"});
        ok(admin, {"member", "add", role("a"), "--name", "Ann Admiral"});
        ok(admin, {"member", "add", role("b"), "--name", "Ben Baker"});
        ok(admin, {"member", "add", role("c"), "--name", "Cy Cooper"});
    }

    e2e::Sandbox s;
    std::string admin;     ///< the location as the admin: CREATEROLE, the database's owner
    std::string superuser; ///< the location as the server's superuser (FOLLOWUP_TEST_PG's user)

private:
    std::string server_, dbname_, suffix_, admin_role_;
    bool made_{};
};

} // namespace chapter_test
