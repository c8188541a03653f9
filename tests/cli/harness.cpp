#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace e2e {
namespace {

constexpr const char* faketime_lib = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
constexpr auto run_timeout = std::chrono::seconds{30};

void spit(const std::filesystem::path& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
}

} // namespace

std::string Result::err_line() const {
    return err.substr(0, err.find('\n'));
}

json Result::json_out() const {
    try {
        return json::parse(out);
    } catch (const json::exception& e) {
        ADD_FAILURE() << "stdout is not JSON: " << e.what() << "\n" << out;
        return {};
    }
}

long long epoch(const std::string& utc) {
    std::tm tm{};
    std::istringstream in(utc);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    if (in.fail()) ADD_FAILURE() << "bad UTC time in test: " << utc;
    return static_cast<long long>(::timegm(&tm));
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

const std::string& postgres_server() {
    static const std::string server = [] {
        const char* v = std::getenv("FOLLOWUP_TEST_PG");
        return std::string(v ? v : "");
    }();
    return server;
}

std::string psql(const std::string& location, const std::string& sql) {
    static std::atomic<int> runs{0};
    std::string sql_path = (std::filesystem::temp_directory_path() /
                            fmt::format("followup-psql-{}-{}", ::getpid(), ++runs))
                               .string();
    {
        std::ofstream f(sql_path);
        f << sql;
    }
    std::string command = "psql -X -q -At -P null=NULL -v ON_ERROR_STOP=1 '" + location + "' -f '" +
                          sql_path + "' 2>&1";
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("cannot run psql");
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    int status = ::pclose(p);
    std::remove(sql_path.c_str());
    if (status != 0) throw std::runtime_error("psql failed: " + out);
    return out;
}

Sandbox::Sandbox() {
    std::string templ = (std::filesystem::temp_directory_path() / "followup-e2e-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = templ;
    std::filesystem::create_directory(dir_ / ".io");
    at("2026-11-20T13:00:00Z");
    if (on_postgres()) {
        static int count = 0;
        pg_db_ = "e2e_" + std::to_string(::getpid()) + "_" + std::to_string(++count);
        psql(postgres_server(), "CREATE DATABASE " + pg_db_ + ";");
    }
}

Sandbox::~Sandbox() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    if (!pg_db_.empty()) {
        try {
            psql(postgres_server(), "DROP DATABASE IF EXISTS " + pg_db_ + " WITH (FORCE);");
        } catch (...) { // NOLINT(bugprone-empty-catch): the cluster goes at the end anyway
        }
    }
}

std::string Sandbox::location() const {
    if (pg_db_.empty()) return db().string();
    return postgres_server() + " dbname=" + pg_db_;
}

/// Runs a program (no shell) with exactly this environment; stdout and stderr captured.
Result run_program(const Sandbox& s, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env) {
    static int n = 0;
    const std::filesystem::path out = s.dir() / (".program-out" + std::to_string(++n));
    const std::filesystem::path err = s.dir() / (".program-err" + std::to_string(n));
    std::vector<std::string> env_s;
    for (const auto& [k, v] : env)
        env_s.push_back(k + "=" + v);
    std::vector<char*> argv, envp;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (auto& e : env_s)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = -1;
    Result r;
    int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        ADD_FAILURE() << "cannot run " << args[0];
        return r;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

std::string Sandbox::state() const {
    if (pg_db_.empty()) {
        auto wal = std::filesystem::path(db().string() + "-wal");
        return slurp(db()) + "|WAL|" +
               (std::filesystem::exists(wal) ? slurp(wal) : std::string("(none)"));
    }
    std::string sql;
    for (const char* table : {"followup_schema", "events", "contacts", "contact_tags", "reach",
                              "referrals", "referral_events", "followups", "interactions"})
        sql += fmt::format("SELECT '{0}'; SELECT * FROM {0} ORDER BY 1{1};\n", table,
                           std::string_view(table) == "followup_schema" ? "" : ", 2");
    return psql(location(), sql);
}

std::string Sandbox::query(const std::string& sql) const {
    if (!pg_db_.empty()) return psql(location(), sql);
    SQLite::Database d(db().string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(d, sql);
    std::string out;
    while (q.executeStep()) {
        for (int i = 0; i < q.getColumnCount(); ++i)
            out += (i ? "|" : "") +
                   (q.getColumn(i).isNull() ? std::string("NULL") : q.getColumn(i).getString());
        out += "\n";
    }
    return out;
}

Result Sandbox::run(const std::vector<std::string>& args,
                    const std::optional<std::string>& stdin_text,
                    const std::string& stdout_path) const {
    const int n = ++runs_;
    const auto io = dir_ / ".io";
    const auto in_path = io / ("in" + std::to_string(n));
    const std::filesystem::path out_path =
        stdout_path.empty() ? io / ("out" + std::to_string(n)) : std::filesystem::path(stdout_path);
    const auto err_path = io / ("err" + std::to_string(n));
    spit(in_path, stdin_text.value_or(""));

    std::vector<std::string> argv_s{FOLLOWUP_BIN};
    if (use_db_flag) {
        argv_s.emplace_back("--db");
        argv_s.push_back(location());
    }
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    if (in_terminal) {
        std::string line;
        for (const auto& a : argv_s) {
            std::string quoted = "'";
            for (char ch : a)
                quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
            line += (line.empty() ? "" : " ") + quoted + "'";
        }
        argv_s = {"/usr/bin/script", "-qec", line, "/dev/null"};
    }

    std::map<std::string, std::string> vars{
        {"PATH", "/usr/bin:/bin"},
        {"HOME", dir_.string()},
        {"TZ", tz},
        {"LD_PRELOAD", faketime_lib},
        {"FAKETIME_FMT", "%s"},
        {"FAKETIME", std::to_string(now_)},
        {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
        {"FAKETIME_NO_CACHE", "1"},
    };
    // Works also when the binary is built with -fsanitize=address: libfaketime comes first.
    const char* asan = std::getenv("ASAN_OPTIONS");
    vars["ASAN_OPTIONS"] =
        (asan && *asan ? std::string(asan) + ":" : std::string()) + "verify_asan_link_order=0";
    for (const char* name : {"UBSAN_OPTIONS", "LSAN_OPTIONS"})
        if (const char* v = std::getenv(name)) vars[name] = v;
    for (const auto& [k, v] : env)
        vars[k] = v;

    std::vector<std::string> env_s;
    for (const auto& [k, v] : vars)
        env_s.push_back(k + "=" + v);
    std::vector<char*> argv;
    for (auto& a : argv_s)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_s)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    Result r;
    if (rc != 0) {
        ADD_FAILURE() << "posix_spawn " << argv[0] << ": " << std::strerror(rc);
        return r;
    }
    int wstatus = 0;
    const auto deadline = std::chrono::steady_clock::now() + run_timeout;
    while (true) {
        pid_t w = ::waitpid(pid, &wstatus, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) {
            ADD_FAILURE() << "waitpid: " << std::strerror(errno);
            return r;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &wstatus, 0);
            ADD_FAILURE() << "followup timed out";
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    if (stdout_path.empty()) r.out = slurp(out_path);
    r.err = slurp(err_path);
    return r;
}

std::string Sandbox::ok(const std::vector<std::string>& args) const {
    Result r = run(args);
    std::string cmd;
    for (const auto& a : args)
        cmd += " '" + a + "'";
    EXPECT_EQ(r.status, 0) << "followup" << cmd << "\nstdout:\n" << r.out << "stderr:\n" << r.err;
    return r.out;
}

json Sandbox::json_of(std::vector<std::string> args) const {
    args.emplace_back("--format");
    args.emplace_back("json");
    std::string out = ok(args);
    try {
        return json::parse(out);
    } catch (const json::exception& e) {
        ADD_FAILURE() << "not JSON: " << e.what() << "\n" << out;
        return {};
    }
}

json Sandbox::followups(const std::string& contact, const std::string& kind) const {
    json out = json::array();
    const json card = json_of({"show", contact});
    for (const auto& f : card["followups"])
        if (f["kind"] == kind) out.push_back(f);
    return out;
}

} // namespace e2e
