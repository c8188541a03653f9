// followup_bench: how fast `followup add` and `followup due` start, run and exit on a database
// with years of history, beside an empty one.
//
// Fills a database with N contacts (default 100,000) met over the last two years, their 24/7/30
// follow-ups and the done history of two years, then times whole `followup` processes (spawned
// with posix_spawn, reaped with wait4 for the peak RSS) on that database and on an empty one,
// beside the floors measured in the same run, interleaved with them (`/bin/true`, and
// `sqlite3 DB 'select 1'`, the floor of the ratios), with `--version` and `--help`, and checks
// the targets of issue 14 as ratios to the sqlite3 floor (medians) and peak memory under 8 MB.
// Then writes a LinkedIn Connections.csv of 100,000 connections and
// times `followup import` of it (into an empty database, and again into the imported one), of
// the vCard file exported from it, and `followup export` in each format: targets import under
// 3 s and `export all --format json` under 1 s. See bench/README.md.

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/domain/model.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/text.hpp>
#include <fstream>
#include <optional>
#include <random>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t day_s = 86'400;
constexpr double rss_limit_mb = 8.0;

/// A target of issue 14: the median of a command at most `max_ratio` times the median of the
/// floor `sqlite3 DB 'select 1'` of the same run.
struct FloorTarget {
    const char* name;
    const char* db;
    double max_ratio;
};
constexpr std::array floor_targets{
    FloorTarget{"--version", "-", 1.5},  FloorTarget{"--help", "-", 1.5},
    FloorTarget{"due", "empty", 2.0},    FloorTarget{"due", "big", 3.0},
    FloorTarget{"due json", "big", 3.5}, FloorTarget{"add", "big", 2.5},
};
constexpr const char* bench_tz = "America/New_York";

// ------------------------------------------------------------------------------------ options

struct Options {
    long contacts = 100'000;
    int runs = 200;
    int warmup = 5;
    std::string dir;
    bool keep = false;
    bool json = false;
    std::string bin = FOLLOWUP_BIN;
    std::string sqlite3; ///< the sqlite3 shell of the floor (default: from PATH)
    std::uint64_t seed = 20'240'601;
    long import_contacts = 100'000; ///< named rows of the generated Connections.csv
    int import_runs = 5;            ///< timed runs of each import (0: no import/export part)
    int export_runs = 10;           ///< timed runs of each export
    /// Smaller databases whose backups are restored too, to show how restore time grows.
    std::vector<long> restore_sizes{2'000, 4'000, 8'000, 16'000};
    bool restore = true; ///< measure restores of backups at all
    std::string pg;      ///< a PostgreSQL server location: the --pg measurements
    int pg_runs = 50;
};

constexpr const char* usage_text = R"(usage: followup_bench [options]

Fills a database with --contacts contacts and two years of history, then times `followup due`,
`followup due --format json` and `followup add` as whole processes on it and on an empty
database, with their peak memory. Then writes a LinkedIn Connections.csv and times `followup
import` of it into an empty database and again into the imported one, and `followup export`.

options:
  --contacts N   contacts in the big database (default 100000)
  --runs N       timed runs of each command (default 200)
  --warmup N     untimed runs before them (default 5)
  --dir DIR      where to put the databases (default a fresh folder under /tmp)
  --keep         keep the databases (and the folder) afterwards
  --bin PATH     the followup binary (default the one built beside this program)
  --sqlite3 PATH the sqlite3 shell whose `sqlite3 DB 'select 1'` is the floor of the
                 ratios (default: sqlite3 from PATH; apt-get install sqlite3)
  --seed N       seed of the data generator (default 20240601)
  --json         print the results as JSON instead of a table
  -h, --help     this help

import and export (after the above, on a generated LinkedIn Connections.csv):
  --import-contacts N  named rows in Connections.csv (default 100000)
  --import-runs N      timed runs of each import, each on a fresh copy (default 5;
                       0 leaves out the import and export measurements)
  --export-runs N      timed runs of each export (default 10)
  --restore-sizes LIST contacts of the smaller databases whose backups are restored too
                       (default 2000,4000,8000,16000; "" for none): the backup of the big
                       one is always restored
  --no-restore         leave out the restores of backups (a binary from before
                       issue 11's restore at scale would take hours)

PostgreSQL (after the above; needs psql and a server followup may create a database on):
  --pg LOCATION        a libpq location of the server (host=/tmp/pg user=postgres
                       dbname=postgres): copies the big database to a fresh database there
                       and back with `followup db copy` (timed, JSON backups compared), then
                       times `due` and `add` against it beside `psql -Atc 'select 1'`
  --pg-runs N          timed runs of each of those (default 50)
)";

long parse_number(std::string_view flag, const char* value, long min) {
    if (value == nullptr) throw std::invalid_argument(fmt::format("{} needs a value", flag));
    char* end = nullptr;
    errno = 0;
    long n = std::strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || n < min)
        throw std::invalid_argument(
            fmt::format("{} needs a whole number of at least {}, not '{}'", flag, min, value));
    return n;
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
        auto value = [&] {
            if (next == nullptr) throw std::invalid_argument(fmt::format("{} needs a value", a));
            ++i;
            return std::string(next);
        };
        if (a == "--contacts") {
            o.contacts = parse_number(a, next, 0);
            ++i;
        } else if (a == "--runs") {
            o.runs = static_cast<int>(parse_number(a, next, 1));
            ++i;
        } else if (a == "--warmup") {
            o.warmup = static_cast<int>(parse_number(a, next, 0));
            ++i;
        } else if (a == "--import-contacts") {
            o.import_contacts = parse_number(a, next, 1);
            ++i;
        } else if (a == "--import-runs") {
            o.import_runs = static_cast<int>(parse_number(a, next, 0));
            ++i;
        } else if (a == "--export-runs") {
            o.export_runs = static_cast<int>(parse_number(a, next, 1));
            ++i;
        } else if (a == "--pg") {
            if (next == nullptr) throw std::invalid_argument("--pg needs a location");
            o.pg = next;
            ++i;
        } else if (a == "--pg-runs") {
            o.pg_runs = static_cast<int>(parse_number(a, next, 1));
            ++i;
        } else if (a == "--no-restore") {
            o.restore = false;
        } else if (a == "--restore-sizes") {
            std::string list = value();
            o.restore_sizes.clear();
            for (std::size_t start = 0; start < list.size();) {
                std::size_t end = std::min(list.find(',', start), list.size());
                std::string one = list.substr(start, end - start);
                o.restore_sizes.push_back(parse_number(a, one.c_str(), 1));
                start = end + 1;
            }
        } else if (a == "--seed") {
            o.seed = static_cast<std::uint64_t>(parse_number(a, next, 0));
            ++i;
        } else if (a == "--dir") {
            o.dir = value();
        } else if (a == "--bin") {
            o.bin = value();
        } else if (a == "--sqlite3") {
            o.sqlite3 = value();
        } else if (a == "--keep") {
            o.keep = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "-h" || a == "--help") {
            std::fputs(usage_text, stdout);
            std::exit(0);
        } else {
            throw std::invalid_argument(fmt::format("unknown option '{}'", a));
        }
    }
    return o;
}

// --------------------------------------------------------------------------------- the data

struct FillStats {
    double seconds{};
    long contacts{};
    long events{};
    long tags{};
    long followups{};
    long open{};
    long open_overdue{};
    long open_due_today{}; ///< open and due by the end of today (local), overdue included
    long interactions{};
    std::uintmax_t bytes{};
};

std::string iso_day(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/// Today (of `now`) at hour:minute:second in the bench time zone, the zone the child processes
/// see (TZ is set for them too).
std::int64_t local_time_of_day(std::int64_t now, int hour, int minute, int second) {
    std::time_t tt = static_cast<std::time_t>(now);
    std::tm tm{};
    ::localtime_r(&tt, &tm);
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm));
}

/// End of today in the bench time zone.
std::int64_t end_of_local_day(std::int64_t now) {
    return local_time_of_day(now, 23, 59, 59);
}

/// 06:00 of today in the bench time zone: the big database is filled as of then, the hour of
/// the morning run of `due`. Filled as of the real time, how many rows are due by the end of
/// today would depend on the hour the bench runs (about 430 late in the evening, 700 in the
/// morning, since the steps of the last day's contacts fall due through the day), and so would
/// every ratio of `due`.
std::int64_t morning_of_local_day(std::int64_t now) {
    return local_time_of_day(now, 6, 0, 0);
}

/// One follow-up of a contact, as generated before anything is written.
struct Step {
    followup::Kind kind;
    std::string title;
    std::int64_t due;
    std::int64_t original_due;
    std::string_view status;
    std::optional<std::int64_t> done_at;
};

/// Creates the database with the schema, then fills it in one transaction, as of `now`.
FillStats fill(const std::string& path, long contacts, std::int64_t now, std::uint64_t seed) {
    auto start = Clock::now();
    FillStats st;
    { followup::Repository schema(path); } // creates the file at the current schema version
    // The generator writes the rows straight into the file, fast, as a tool outside the store.
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = OFF");
    db.exec("PRAGMA cache_size = -262144");
    std::mt19937_64 rng(seed);
    auto uniform = [&](std::int64_t lo, std::int64_t hi) { // [lo, hi]
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

    const std::int64_t span = 730 * day_s;
    const std::int64_t first = now - span;
    const std::int64_t today_end = end_of_local_day(now);
    if (contacts == 0) {
        st.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return st;
    }

    SQLite::Transaction tx(db);

    // Events: ~200 over the two years, each contact met at the one closest in time.
    constexpr std::array<const char*, 8> event_kinds{
        "Chamber mixer", "BNI breakfast", "Tech meetup",  "Founders dinner",
        "Trade show",    "Conference",    "Alumni night", "Rotary lunch"};
    const long n_events = 200;
    SQLite::Statement ins_event(db, "INSERT INTO events (uuid, name, name_key, on_date, place, "
                                    "created) VALUES (?, ?, ?, ?, ?, ?)");
    std::vector<std::int64_t> event_ids;
    for (long e = 0; e < n_events; ++e) {
        std::int64_t when = first + span * e / n_events + day_s / 2;
        std::string name = fmt::format("{} {}", event_kinds[e % event_kinds.size()], e + 1);
        ins_event.reset();
        ins_event.bind(1, followup::text::uuid4());
        ins_event.bind(2, name);
        ins_event.bind(3, followup::text::fold(name));
        ins_event.bind(4, iso_day(when));
        ins_event.bind(5, e % 3 == 0 ? "" : fmt::format("Hall {}", e % 7 + 1));
        ins_event.bind(6, when);
        ins_event.exec();
        event_ids.push_back(db.getLastInsertRowid());
    }
    st.events = n_events;

    SQLite::Statement ins_contact(db, R"sql(
INSERT INTO contacts (uuid, name, name_key, company, title, channel, notes,
                      event_id, met, referred_by, last_touch, archived, created)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    SQLite::Statement ins_reach(db, "INSERT INTO reach (contact_id, kind, position, value, "
                                    "network) VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement ins_tag(db, "INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?)");
    SQLite::Statement ins_followup(db, R"sql(
INSERT INTO followups (uuid, contact_id, kind, title, due, original_due, status, created, done_at,
                       note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    SQLite::Statement ins_interaction(db, R"sql(
INSERT INTO interactions (uuid, contact_id, at, channel, direction, note, followup_id, created)
VALUES (?, ?, ?, ?, 'out', ?, ?, ?))sql");

    constexpr std::array<const char*, 8> titles{
        "", "Founder", "CEO", "Sales director", "Accountant", "Engineer", "Lawyer", "Realtor"};
    constexpr std::array<const char*, 7> channels{"",      "email",    "email", "linkedin",
                                                  "phone", "whatsapp", "sms"};
    constexpr std::array<const char*, 12> tags{
        "client", "prospect", "partner", "investor", "vip",    "referral-partner",
        "tech",   "finance",  "legal",   "realty",   "friend", "recruiter"};

    std::vector<Step> steps;
    for (long i = 1; i <= contacts; ++i) {
        // Met times spread uniformly over the two years, in the order of the ids.
        std::int64_t met = first + (span * (i - 1)) / contacts + uniform(0, span / contacts);
        met = std::min(met, now - 60);

        followup::Contact c;
        c.name = fmt::format("Person {}", i);
        if (!chance(0.15)) c.company = fmt::format("Company {}", uniform(1, 8000));
        c.title = titles[static_cast<std::size_t>(uniform(0, titles.size() - 1))];
        if (!chance(0.10)) c.email = fmt::format("person{}@example{}.com", i, i % 50);
        if (chance(0.5)) c.phone = fmt::format("+1 555 {:07}", uniform(0, 9'999'999));
        c.channel = channels[static_cast<std::size_t>(uniform(0, channels.size() - 1))];
        if (c.channel == "linkedin")
            c.profiles.push_back({"linkedin", fmt::format("https://linkedin.com/in/person-{}", i)});
        if (c.channel == "whatsapp" || c.channel == "sms" || c.channel == "phone") {
            if (c.phone.empty()) c.phone = fmt::format("+1 555 {:07}", uniform(0, 9'999'999));
        }
        if (chance(0.2)) c.notes = "Met at the coffee corner; wants an intro to a good CPA.";
        std::optional<std::int64_t> event;
        if (chance(0.7))
            event = event_ids[static_cast<std::size_t>(
                std::clamp<std::int64_t>((met - first) * n_events / span, 0, n_events - 1))];
        std::optional<std::int64_t> referred_by;
        if (i > 1 && chance(0.05)) referred_by = uniform(1, i - 1);
        bool archived = chance(0.01);
        followup::settle_reach(c);
        std::string via = followup::effective_via(c).channel;

        // The 24/7/30 steps, plus a custom follow-up for some.
        steps.clear();
        auto add_step = [&](followup::Kind kind, std::string title, std::int64_t due) {
            steps.push_back({kind, std::move(title), due, due, "open", std::nullopt});
        };
        add_step(followup::Kind::note, followup::plan_title(followup::Kind::note, c), met + day_s);
        add_step(followup::Kind::connect, followup::plan_title(followup::Kind::connect, c),
                 met + 7 * day_s);
        add_step(followup::Kind::meet, followup::plan_title(followup::Kind::meet, c),
                 met + 30 * day_s);
        if (chance(0.05))
            add_step(followup::Kind::custom, "Send the article on pricing to " + c.name,
                     met + uniform(2, 60) * day_s);
        bool recent = met > now - 30 * day_s;
        std::int64_t last_touch = met;
        for (auto& s : steps) {
            if (!recent && s.kind != followup::Kind::custom) {
                // Old history: everything closed, most of it done around the deadline.
                s.status = chance(0.12) ? "skipped" : "done";
            } else if (s.due < now) {
                // Past a deadline recently, or a custom step: mostly done, a few left overdue.
                s.status = chance(0.03) ? "open" : (chance(0.1) ? "skipped" : "done");
            }
            if (s.status == "open" && chance(0.05)) s.due += uniform(1, 5) * day_s; // snoozed
            if (s.status != "open") {
                std::int64_t window = s.due - met;
                std::int64_t at = s.due + uniform(-window * 8 / 10, 2 * day_s);
                s.done_at = std::clamp(at, met + 60, now - 1);
                if (s.status == "done") last_touch = std::max(last_touch, *s.done_at);
            }
        }

        ins_contact.reset();
        ins_contact.bind(1, followup::text::uuid4());
        ins_contact.bind(2, c.name);
        ins_contact.bind(3, followup::text::fold(c.name));
        ins_contact.bind(4, c.company);
        ins_contact.bind(5, c.title);
        ins_contact.bind(6, c.channel);
        ins_contact.bind(7, c.notes);
        if (event)
            ins_contact.bind(8, *event);
        else
            ins_contact.bind(8);
        ins_contact.bind(9, met);
        if (referred_by)
            ins_contact.bind(10, *referred_by);
        else
            ins_contact.bind(10);
        ins_contact.bind(11, last_touch);
        ins_contact.bind(12, archived ? 1 : 0);
        ins_contact.bind(13, met);
        ins_contact.exec();
        std::int64_t contact_id = db.getLastInsertRowid();
        ++st.contacts;
        auto reach = [&](const char* kind, int position, const std::string& value,
                         const std::string& network) {
            ins_reach.reset();
            ins_reach.bind(1, contact_id);
            ins_reach.bind(2, kind);
            ins_reach.bind(3, position);
            ins_reach.bind(4, value);
            ins_reach.bind(5, network);
            ins_reach.exec();
        };
        if (!c.email.empty()) reach("email", 0, c.email, "");
        if (!c.phone.empty()) reach("phone", 1, c.phone, "");
        for (const auto& p : c.profiles)
            reach("profile", 2, p.handle, p.network);

        int n_tags = chance(0.35) ? (chance(0.4) ? 2 : 1) : 0;
        std::size_t tag0 = static_cast<std::size_t>(uniform(0, tags.size() - 1));
        for (int t = 0; t < n_tags; ++t) {
            ins_tag.reset();
            ins_tag.bind(1, contact_id);
            ins_tag.bind(2, tags[(tag0 + static_cast<std::size_t>(t) * 5) % tags.size()]);
            ins_tag.exec();
            ++st.tags;
        }

        for (const auto& s : steps) {
            ins_followup.reset();
            ins_followup.bind(1, followup::text::uuid4());
            ins_followup.bind(2, contact_id);
            ins_followup.bind(3, std::string(followup::to_string(s.kind)));
            ins_followup.bind(4, s.title);
            ins_followup.bind(5, s.due);
            ins_followup.bind(6, s.original_due);
            ins_followup.bind(7, std::string(s.status));
            ins_followup.bind(8, met);
            if (s.done_at)
                ins_followup.bind(9, *s.done_at);
            else
                ins_followup.bind(9);
            ins_followup.bind(10, "");
            ins_followup.exec();
            std::int64_t followup_id = db.getLastInsertRowid();
            ++st.followups;
            if (s.status == "open") {
                ++st.open;
                if (!archived && s.due < now) ++st.open_overdue;
                if (!archived && s.due <= today_end) ++st.open_due_today;
            }
            if (s.status == "done") {
                ins_interaction.reset();
                ins_interaction.bind(1, followup::text::uuid4());
                ins_interaction.bind(2, contact_id);
                ins_interaction.bind(3, *s.done_at);
                ins_interaction.bind(4, via);
                ins_interaction.bind(5, s.title);
                ins_interaction.bind(6, followup_id);
                ins_interaction.bind(7, *s.done_at);
                ins_interaction.exec();
                ++st.interactions;
            }
        }
    }
    tx.commit();
    db.exec("ANALYZE");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    st.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return st;
}

/// Runs fill() in a forked process, so that this one stays small: posix_spawn shares our address
/// space until exec (CLONE_VM), and Linux counts the peak RSS of that shared space into the
/// child's ru_maxrss, so a bench that grew to tens of MB while filling would report that much for
/// every child.
FillStats fill_in_child(const std::string& path, long contacts, std::int64_t now,
                        std::uint64_t seed) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        ::close(fds[0]);
        int rc = 0;
        try {
            FillStats st = fill(path, contacts, now, seed);
            if (::write(fds[1], &st, sizeof st) != static_cast<ssize_t>(sizeof st)) rc = 1;
        } catch (const std::exception& e) {
            fmt::print(stderr, "followup_bench: filling {}: {}\n", path, e.what());
            rc = 1;
        }
        ::_exit(rc);
    }
    ::close(fds[1]);
    FillStats st;
    ssize_t got = ::read(fds[0], &st, sizeof st);
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (got != static_cast<ssize_t>(sizeof st) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(fmt::format("filling {} failed", path));
    return st;
}

// ------------------------------------------------------------------------- the query plan

/// The SELECT of Repository::due (src/core/store/repository.cpp) for plain `followup due`: the
/// columns of the table, each follow-up joined to its contact's reach rows.
constexpr const char* due_sql =
    "SELECT f.id, f.contact_id, c.name, f.kind, f.title, f.due, c.channel, f.channel, r.kind, "
    "r.value, r.label, r.network FROM followups f JOIN contacts c ON c.id = f.contact_id LEFT "
    "JOIN reach r ON r.contact_id = f.contact_id WHERE f.status = 'open' AND c.archived = 0 AND "
    "f.due <= :until ORDER BY f.due, f.id, r.kind, r.position";

struct Plan {
    std::vector<std::string> lines;
    bool uses_index{};
    bool temp_sort{};
};

Plan query_plan(const std::string& path, std::int64_t until) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, std::string("EXPLAIN QUERY PLAN ") + due_sql);
    q.bind(":until", until);
    Plan plan;
    std::vector<std::pair<int, int>> depth; // id, depth
    while (q.executeStep()) {
        int id = q.getColumn(0).getInt();
        int parent = q.getColumn(1).getInt();
        std::string detail = q.getColumn(3).getString();
        int d = 0;
        for (auto& [pid, pd] : depth)
            if (pid == parent) d = pd + 1;
        depth.emplace_back(id, d);
        plan.lines.push_back(std::string(static_cast<std::size_t>(d) * 2, ' ') + detail);
        if (detail.find("followups_open_due") != std::string::npos) plan.uses_index = true;
        if (detail.find("TEMP B-TREE") != std::string::npos) plan.temp_sort = true;
    }
    return plan;
}

// ---------------------------------------------------------------------------- measurement

struct Run {
    double ms;     ///< wall time from spawn to reaped
    double cpu_ms; ///< user + system CPU time of the child (steadier than wall on a busy machine)
    long maxrss_kb;
    double sys_ms; ///< the system part of cpu_ms
};

/// The environment of the children: ours, with TZ set to the bench time zone.
std::vector<std::string> child_environment() {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, "TZ=", 3) != 0) env.emplace_back(*e);
    env.push_back(std::string("TZ=") + bench_tz);
    return env;
}

/// Runs one process to its end with stdin and stderr on /dev/null, stdout on `out` (created or
/// truncated; /dev/null unless given).
Run spawn_and_wait(const std::vector<std::string>& args, const std::vector<std::string>& env,
                   const std::string& out = "/dev/null") {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

    pid_t pid = 0;
    auto t0 = Clock::now();
    int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        throw std::runtime_error(fmt::format("cannot run {}: {}", args[0], std::strerror(rc)));
    int status = 0;
    struct rusage ru {};
    while (::wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) throw std::runtime_error(std::strerror(errno));
    }
    auto t1 = Clock::now();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(
            fmt::format("{} failed (status {:#x}): {}", args[0], status, fmt::join(args, " ")));
    auto ms = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3;
    };
    return {std::chrono::duration<double, std::milli>(t1 - t0).count(),
            ms(ru.ru_utime) + ms(ru.ru_stime), ru.ru_maxrss, ms(ru.ru_stime)};
}

struct Scenario {
    std::string name; ///< "due", "due json", "add"
    std::string db;   ///< "big", "recent" (big without its history) or "empty"

    std::vector<Run> runs;
};

struct Summary {
    double median{}, p90{}, min{}, cpu_median{}, max_rss_mb{};
};

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Summary summarize(const std::vector<Run>& runs) {
    std::vector<double> ms, cpu;
    long rss = 0;
    for (const auto& r : runs) {
        ms.push_back(r.ms);
        cpu.push_back(r.cpu_ms);
        rss = std::max(rss, r.maxrss_kb);
    }
    std::sort(ms.begin(), ms.end());
    auto n = ms.size();
    Summary s;
    s.median = median_of(ms);
    s.cpu_median = median_of(cpu);
    s.p90 =
        ms[std::min(n - 1, static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1)];
    s.min = ms.front();
    s.max_rss_mb = static_cast<double>(rss) / 1024.0;
    return s;
}

/// The first executable `name` in PATH, or "" when there is none.
std::string find_in_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
    while (true) {
        auto colon = rest.find(':');
        std::string dir(rest.substr(0, colon));
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        if (colon == std::string_view::npos) return "";
        rest.remove_prefix(colon + 1);
    }
}

std::vector<std::string> command(const std::string& kind, const Options& o, const std::string& db,
                                 long& counter) {
    if (kind == "true") return {"/bin/true"};
    if (kind == "sqlite3") return {o.sqlite3, db, "select 1"};
    // The durable write floor: one row written by the sqlite3 shell with followup's settings
    // (WAL, synchronous=FULL, a persistent WAL, no checkpoint at close, the log folded into the
    // file once it holds 64 pages: followup folds it at 256 KiB).
    if (kind == "sqlite3 write")
        return {o.sqlite3,
                db,
                ".dbconfig no_ckpt_on_close on",
                ".filectrl persist_wal 1",
                "PRAGMA synchronous = FULL",
                "PRAGMA wal_autocheckpoint = 64",
                "PRAGMA journal_size_limit = 4194304",
                "INSERT INTO bench_write_floor VALUES (1)"};
    if (kind == "--version" || kind == "--help") return {o.bin, kind};
    std::vector<std::string> args{o.bin, "--db", db};
    if (kind == "due") {
        args.push_back("due");
    } else if (kind == "due json") {
        args.insert(args.end(), {"due", "--format", "json"});
    } else {
        ++counter;
        args.insert(args.end(),
                    {"add", fmt::format("Bench Person {}", counter), "--email",
                     fmt::format("bench{}@example.org", counter), "--company", "Bench Inc"});
    }
    return args;
}

// --------------------------------------------------------------------------------- output

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\')
            out += fmt::format("\\{}", ch);
        else if (static_cast<unsigned char>(ch) < 0x20)
            out += fmt::format("\\u{:04x}", static_cast<int>(ch));
        else
            out += ch;
    }
    return out + "\"";
}

struct Target {
    std::string what;
    bool pass;
    std::string detail;
};

/// Copies `big` to `recent` and strips the history: closed follow-ups, interactions, and contacts
/// with nothing open. `due` prints the same rows on both, so comparing them isolates the cost of
/// years of history from the cost of printing today's rows.
void make_recent(const std::string& big, const std::string& recent) {
    fs::copy_file(big, recent);
    SQLite::Database db(recent, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("DELETE FROM interactions");
    db.exec("DELETE FROM followups WHERE status <> 'open'");
    db.exec("UPDATE contacts SET referred_by = NULL");
    db.exec("DELETE FROM contacts WHERE id NOT IN (SELECT contact_id FROM followups)");
    db.exec("VACUUM");
    db.exec("ANALYZE");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// ------------------------------------------------------------------------ import and export

/// The generated LinkedIn export.
struct ConnectionsFile {
    long named{};      ///< rows with a name: the contacts an import adds
    long restricted{}; ///< rows without a name (members who restrict their data)
    long emails{};     ///< rows with an email address
    std::uintmax_t bytes{};
    double seconds{};
};

/// "15 Jun 2026": LinkedIn's form of Connected On.
std::string linkedin_day(std::int64_t t) {
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::localtime_r(&tt, &tm);
    return fmt::format("{:02} {} {}", tm.tm_mday, months[static_cast<std::size_t>(tm.tm_mon)],
                       tm.tm_year + 1900);
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
std::string csv_cell(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

/// Writes a LinkedIn "Connections.csv" as LinkedIn exports it: three lines of notes, the header,
/// CRLF line ends, newest connection first. `contacts` named rows ("Person12345 Lastname", a
/// profile URL, an email for 30%, a company for 90% (some with a comma, quoted), a position,
/// Connected On spread over the last ten years) and a restricted row (no name, no URL, no
/// email, only the date) after every 2,000th.
ConnectionsFile write_connections(const std::string& path, long contacts, std::int64_t now,
                                  std::uint64_t seed) {
    auto start = Clock::now();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
        throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    std::mt19937_64 rng(seed ^ 0x11'2e'd1'4eULL);
    auto uniform = [&](std::int64_t lo, std::int64_t hi) { // [lo, hi]
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    constexpr std::array<const char*, 30> surnames{
        "Smith",  "Johnson", "Williams", "Brown",  "Jones",    "García", "Miller",   "Davis",
        "Müller", "Wilson",  "Anderson", "Taylor", "Thomas",   "Moore",  "Martínez", "Jackson",
        "Lee",    "Nguyễn",  "O'Brien",  "Dubois", "Rossi",    "Sato",   "Chen",     "Patel",
        "Singh",  "Cohen",   "Novák",    "Larsen", "Kowalski", "Silva"};
    constexpr std::array<const char*, 16> positions{"Founder",
                                                    "Founder & CEO",
                                                    "CEO",
                                                    "Sales Director",
                                                    "Account Executive",
                                                    "Software Engineer",
                                                    "Senior Engineer",
                                                    "Product Manager",
                                                    "VP, Engineering",
                                                    "Director, Sales",
                                                    "Accountant",
                                                    "Partner",
                                                    "Head of \"Growth\"",
                                                    "Recruiter",
                                                    "Realtor",
                                                    "Student"};
    constexpr std::array<const char*, 8> company_kinds{"Labs",   "Consulting", "Capital", "Systems",
                                                       "Realty", "Health",     "Media",   "Foods"};

    std::string out;
    out.reserve(1 << 16);
    auto flush = [&](bool last) {
        if (out.size() < (1 << 15) && !last) return;
        if (std::fwrite(out.data(), 1, out.size(), f) != out.size())
            throw std::runtime_error(fmt::format("cannot write {}", path));
        out.clear();
    };
    // The notes LinkedIn puts before the header (its wording, one line, then a blank one).
    out += "Notes:\r\n"
           "\"When exporting your connection data, you may notice that some of the email "
           "addresses are missing. You will only see email addresses for connections who have "
           "allowed their connections to see or download their email address using this setting "
           "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
           "https://www.linkedin.com/help/linkedin/answer/261\"\r\n"
           "\r\n"
           "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n";
    ConnectionsFile st;
    const std::int64_t span = 3652 * day_s; // ten years, up to yesterday
    for (long i = 1; i <= contacts; ++i) {
        // Newest first, evenly spread, several connections a day.
        std::int64_t on = now - day_s - span * (i - 1) / contacts;
        std::string day = linkedin_day(on);
        if (i % 2000 == 0) {
            out += fmt::format(",,,,,,{}\r\n", day);
            ++st.restricted;
        }
        std::string email;
        if (chance(0.30)) {
            email = fmt::format("person{}@example{}.com", i, i % 50);
            ++st.emails;
        }
        std::string company;
        if (chance(0.15)) {
            company =
                fmt::format("{}, {} & Partners",
                            surnames[static_cast<std::size_t>(uniform(0, surnames.size() - 1))],
                            surnames[static_cast<std::size_t>(
                                uniform(0, surnames.size() - 1))]); // quoted: a comma
        } else if (!chance(0.10 / 0.85)) {
            company = fmt::format(
                "{} {} {}", "Company", uniform(1, 8000),
                company_kinds[static_cast<std::size_t>(uniform(0, company_kinds.size() - 1))]);
        }
        out += fmt::format(
            "Person{},{},https://www.linkedin.com/in/person-{},{},{},{},{}\r\n", i,
            surnames[static_cast<std::size_t>(uniform(0, surnames.size() - 1))], i, email,
            csv_cell(company),
            csv_cell(positions[static_cast<std::size_t>(uniform(0, positions.size() - 1))]), day);
        ++st.named;
        flush(false);
    }
    flush(true);
    if (std::fclose(f) != 0) throw std::runtime_error(fmt::format("cannot write {}", path));
    st.bytes = fs::file_size(path);
    st.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return st;
}

/// Copies a database (and its WAL, if there is one) over `to`, as a fresh file.
void copy_db(const std::string& from, const std::string& to) {
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(to + suffix);
    fs::copy_file(from, to);
    if (fs::exists(from + "-wal")) fs::copy_file(from + "-wal", to + "-wal");
}

struct DbCounts {
    long contacts{}, interactions{}, followups{};
    std::uintmax_t bytes{};
    friend bool operator==(const DbCounts&, const DbCounts&) = default;
};

DbCounts count_rows(const std::string& path) {
    DbCounts c;
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        c.contacts = db.execAndGet("SELECT count(*) FROM contacts").getInt64();
        c.interactions = db.execAndGet("SELECT count(*) FROM interactions").getInt64();
        c.followups = db.execAndGet("SELECT count(*) FROM followups").getInt64();
    }
    c.bytes = fs::file_size(path);
    return c;
}

/// The first line of a small text file (what a command printed), for the report.
std::string first_line(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return {};
    char buf[1024];
    std::string line;
    if (std::fgets(buf, sizeof buf, f) != nullptr) line = buf;
    std::fclose(f);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    return line;
}

struct IoScenario {
    std::string name;              ///< e.g. "import csv"
    std::string db;                ///< "empty", "imported" or "big"
    std::vector<std::string> args; ///< after `--db DB`
    std::string from;              ///< copied to the scratch database before each run, or ""
    std::string path;              ///< the database when `from` is empty
    double target_ms{};            ///< 0: none
    std::vector<Run> runs;
    std::uintmax_t output_bytes{}; ///< stdout of an export (from the warm-up run)
    double target_mb{};            ///< peak RSS target, 0: none
};

struct IoSummary {
    double median{}, min{}, max{}, cpu_median{}, sys_median{}, max_rss_mb{};
};

IoSummary summarize_io(const std::vector<Run>& runs) {
    std::vector<double> ms, cpu, sys;
    long rss = 0;
    for (const auto& r : runs) {
        ms.push_back(r.ms);
        cpu.push_back(r.cpu_ms);
        sys.push_back(r.sys_ms);
        rss = std::max(rss, r.maxrss_kb);
    }
    IoSummary s;
    s.median = median_of(ms);
    s.min = *std::min_element(ms.begin(), ms.end());
    s.max = *std::max_element(ms.begin(), ms.end());
    s.cpu_median = median_of(cpu);
    s.sys_median = median_of(sys);
    s.max_rss_mb = static_cast<double>(rss) / 1024.0;
    return s;
}

struct IoResults {
    ConnectionsFile csv;
    std::uintmax_t vcf_bytes{};
    DbCounts imported;         ///< after the first import of Connections.csv
    DbCounts reimported;       ///< after importing it again into that database
    DbCounts vcf_imported;     ///< after importing contacts.vcf into an empty database
    std::string import_said;   ///< what `followup import` printed, first line
    std::string reimport_said; ///< the same for the import into the imported database
    std::string vcf_said;
    std::uintmax_t backup_bytes{}; ///< `export all --format json` of the big database
    DbCounts big;                  ///< the big database
    DbCounts restored;             ///< its backup restored into an empty database
    std::string restore_said;
    std::vector<IoScenario> scenarios;
    std::vector<IoSummary> sums;
    double load_before{}, load_after{};
};

/// Writes Connections.csv, imports it once (untimed) into a copy of the empty database to make
/// `imported.db`, exports that as contacts.vcf, then times imports (each on a fresh copy) and
/// exports, interleaved round by round.
IoResults run_io(const Options& o, const std::string& dir, const std::string& empty,
                 const std::string& big, const std::vector<std::string>& env, std::int64_t now,
                 std::vector<std::string>& files) {
    IoResults res;
    auto in_dir = [&](const char* name) {
        std::string p = (fs::path(dir) / name).string();
        files.push_back(p);
        return p;
    };
    const std::string csv = in_dir("Connections.csv");
    const std::string vcf = in_dir("contacts.vcf");
    const std::string imported = in_dir("imported.db");
    const std::string scratch = in_dir("scratch.db");
    const std::string said = in_dir("import-output.txt");
    const std::string export_out = in_dir("export-output");

    if (!o.json) fmt::print(stderr, "Writing {} with {} contacts...\n", csv, o.import_contacts);
    res.csv = write_connections(csv, o.import_contacts, now, o.seed);

    auto followup = [&](const std::string& db, std::vector<std::string> args) {
        std::vector<std::string> all{o.bin, "--db", db};
        all.insert(all.end(), args.begin(), args.end());
        return all;
    };
    const std::vector<std::string> import_csv{"import", csv};
    const std::vector<std::string> import_vcf{"import", vcf};

    // Untimed: the imported database, the vCard file, and one run of each import (warm-up, and a
    // check that each does what it should).
    if (!o.json) fmt::print(stderr, "Importing it once (untimed)...\n");
    copy_db(empty, imported);
    spawn_and_wait(followup(imported, import_csv), env, said);
    res.import_said = first_line(said);
    res.imported = count_rows(imported);
    if (res.imported.contacts != res.csv.named)
        throw std::runtime_error(fmt::format("import of {} made {} contacts, not {}", csv,
                                             res.imported.contacts, res.csv.named));
    spawn_and_wait(followup(imported, {"export", "contacts", "--format", "vcf"}), env, vcf);
    res.vcf_bytes = fs::file_size(vcf);
    copy_db(imported, scratch);
    spawn_and_wait(followup(scratch, import_csv), env, said);
    res.reimport_said = first_line(said);
    res.reimported = count_rows(scratch);
    copy_db(empty, scratch);
    spawn_and_wait(followup(scratch, import_vcf), env, said);
    res.vcf_said = first_line(said);
    res.vcf_imported = count_rows(scratch);
    if (res.vcf_imported.contacts != res.csv.named)
        throw std::runtime_error(fmt::format("import of {} made {} contacts, not {}", vcf,
                                             res.vcf_imported.contacts, res.csv.named));

    // The full backup of the big database (and of smaller ones, for how it grows), restored
    // into an empty database: every record, with its id (issue 11, "restore at scale").
    const std::string backup = in_dir("backup.json");
    struct Small {
        long contacts;
        std::string backup;
    };
    std::vector<Small> small;
    if (o.restore) {
        if (!o.json)
            fmt::print(stderr, "Exporting the backup of {} and restoring it once...\n", big);
        spawn_and_wait(followup(big, {"export", "all", "--format", "json"}), env, backup);
        res.backup_bytes = fs::file_size(backup);
        res.big = count_rows(big);
        copy_db(empty, scratch);
        spawn_and_wait(followup(scratch, {"import", backup}), env, said);
        res.restore_said = first_line(said);
        res.restored = count_rows(scratch);
        if (res.restored.contacts != res.big.contacts ||
            res.restored.followups != res.big.followups ||
            res.restored.interactions != res.big.interactions)
            throw std::runtime_error(fmt::format(
                "restoring {} made {} contacts, {} follow-ups and {} "
                "interactions, not {}, {} and {}",
                backup, res.restored.contacts, res.restored.followups, res.restored.interactions,
                res.big.contacts, res.big.followups, res.big.interactions));
        for (long n : o.restore_sizes) {
            std::string db = in_dir(fmt::format("restore-{}.db", n).c_str());
            std::string json = in_dir(fmt::format("restore-{}.json", n).c_str());
            for (const char* suffix : {"-wal", "-shm"})
                files.push_back(db + suffix);
            fs::remove(db);
            fill_in_child(db, n, now, o.seed);
            spawn_and_wait(followup(db, {"export", "all", "--format", "json"}), env, json);
            copy_db(empty, scratch);
            spawn_and_wait(followup(scratch, {"import", json}), env, said); // warm-up
            small.push_back({n, json});
        }
    }

    constexpr double import_limit_ms = 3000, export_limit_ms = 1000;
    constexpr double restore_limit_ms = 15000, restore_limit_mb = 300;
    auto& sc = res.scenarios;
    sc.push_back({"import csv", "empty", import_csv, empty, "", import_limit_ms, {}, 0, 0});
    sc.push_back({"import csv again", "imported", import_csv, imported, "", 0, {}, 0, 0});
    sc.push_back({"import vcf", "empty", import_vcf, empty, "", 0, {}, 0, 0});
    if (o.restore)
        sc.push_back({"restore json",
                      "big",
                      {"import", backup},
                      empty,
                      "",
                      restore_limit_ms,
                      {},
                      0,
                      restore_limit_mb});
    for (const auto& s : small)
        sc.push_back({"restore json",
                      fmt::format("{}", s.contacts),
                      {"import", s.backup},
                      empty,
                      "",
                      0,
                      {},
                      0,
                      0});
    const std::size_t n_imports = sc.size();
    sc.push_back({"export all json",
                  "imported",
                  {"export", "all", "--format", "json"},
                  "",
                  imported,
                  export_limit_ms,
                  {},
                  0,
                  0});
    sc.push_back({"export contacts csv",
                  "imported",
                  {"export", "contacts", "--format", "csv"},
                  "",
                  imported,
                  0,
                  {},
                  0,
                  0});
    sc.push_back({"export contacts vcf",
                  "imported",
                  {"export", "contacts", "--format", "vcf"},
                  "",
                  imported,
                  0,
                  {},
                  0,
                  0});
    // The imported database has no follow-ups (an import adds contacts and their LinkedIn
    // touches): the calendar export and a second `all` run on the big one.
    sc.push_back({"export followups ics",
                  "big",
                  {"export", "followups", "--format", "ics"},
                  "",
                  big,
                  0,
                  {},
                  0,
                  0});
    sc.push_back(
        {"export all json", "big", {"export", "all", "--format", "json"}, "", big, 0, {}, 0, 0});

    ::getloadavg(&res.load_before, 1);
    if (!o.json)
        fmt::print(stderr, "Running {} rounds of {} imports, then 1 + {} rounds of {} exports...\n",
                   o.import_runs, n_imports, o.export_runs, sc.size() - n_imports);
    for (int r = 0; r < o.import_runs; ++r) {
        for (std::size_t i = 0; i < n_imports; ++i) {
            copy_db(sc[i].from, scratch); // not timed
            sc[i].runs.push_back(spawn_and_wait(followup(scratch, sc[i].args), env));
        }
    }
    for (int r = -1; r < o.export_runs; ++r) {
        for (std::size_t i = n_imports; i < sc.size(); ++i) {
            auto& s = sc[i];
            if (r < 0) { // warm-up, to a file for the size of the output
                spawn_and_wait(followup(s.path, s.args), env, export_out);
                s.output_bytes = fs::file_size(export_out);
                fs::remove(export_out);
            } else {
                s.runs.push_back(spawn_and_wait(followup(s.path, s.args), env));
            }
        }
    }
    ::getloadavg(&res.load_after, 1);
    for (const auto& s : sc)
        res.sums.push_back(summarize_io(s.runs));
    return res;
}

/// The --pg measurements: `followup db copy` of the big database to a fresh database on the
/// server and back (timed, the JSON backups of all three compared), then `due` and `add` against
/// the server beside the floor `psql -Atc 'select 1'`, all in this run. Returns whether the
/// targets (each median within 3x the floor, the backups equal) were met.
bool run_pg(const Options& o, const std::string& big, const std::string& dir) {
    const auto env = child_environment();
    const std::string psql = find_in_path("psql");
    if (psql.empty())
        throw std::runtime_error("--pg needs psql (apt-get install postgresql-client)");
    const std::string name = fmt::format("followup_bench_{}", ::getpid());
    const std::string location = o.pg + " dbname=" + name;
    spawn_and_wait({psql, "-X", "-q", o.pg, "-c", "CREATE DATABASE " + name}, env);
    struct Drop {
        std::string psql, server, name;
        std::vector<std::string> env;
        ~Drop() {
            try {
                spawn_and_wait({psql, "-X", "-q", server, "-c",
                                "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"},
                               env);
            } catch (...) { // NOLINT(bugprone-empty-catch): reported by the next run's CREATE
            }
        }
    } drop{psql, o.pg, name, env};

    const std::string back = dir + "/back.db";
    fs::remove(back);
    Run to_server = spawn_and_wait({o.bin, "db", "copy", big, location}, env);
    Run to_file = spawn_and_wait({o.bin, "db", "copy", location, back}, env);
    // The backups of the three, without the line that says when each was written.
    auto backup_of = [&](const std::string& db, const std::string& file) {
        spawn_and_wait({o.bin, "--db", db, "export", "all", "--format", "json"}, env, file);
        std::ifstream in(file);
        std::string text, line;
        while (std::getline(in, line))
            if (line.find("\"exported\":") == std::string::npos) text += line + "\n";
        fs::remove(file);
        return text;
    };
    const std::string b_big = backup_of(big, dir + "/big.json");
    const bool same = b_big == backup_of(location, dir + "/server.json") &&
                      b_big == backup_of(back, dir + "/back.json");
    fs::remove(back);

    struct Measured {
        std::string name;
        std::vector<std::string> args;
        std::vector<Run> runs;
    };
    long counter = 0;
    std::vector<Measured> m{{"psql select 1", {psql, "-X", "-Atc", "select 1", location}, {}},
                            {"due", {o.bin, "--db", location, "due"}, {}},
                            {"add", {}, {}}};
    for (int r = 0; r < o.warmup + o.pg_runs; ++r)
        for (auto& x : m) {
            std::vector<std::string> args = x.args;
            if (x.name == "add") {
                ++counter;
                args = {o.bin,
                        "--db",
                        location,
                        "add",
                        fmt::format("Bench Server Person {}", counter),
                        "--email",
                        fmt::format("server{}@example.org", counter),
                        "--company",
                        "Bench Inc"};
            }
            Run run = spawn_and_wait(args, env);
            if (r >= o.warmup) x.runs.push_back(run);
        }
    const Summary floor = summarize(m[0].runs);
    fmt::print("\nPostgreSQL ({}, a fresh database on it): db copy of big {:.1f} s to the "
               "server, {:.1f} s back to a file (CPU {:.1f} s and {:.1f} s, peak {:.0f} MB and "
               "{:.0f} MB); JSON backups of big, the server and the copy back {}\n",
               o.pg, to_server.ms / 1e3, to_file.ms / 1e3, to_server.cpu_ms / 1e3,
               to_file.cpu_ms / 1e3, static_cast<double>(to_server.maxrss_kb) / 1024,
               static_cast<double>(to_file.maxrss_kb) / 1024, same ? "equal" : "DIFFER");
    fmt::print("{:<14} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "command", "median ms", "min ms", "cpu ms",
               "peak MB", "x psql");
    bool pass = same;
    for (const auto& x : m) {
        Summary s = summarize(x.runs);
        fmt::print("{:<14} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.1f} {:>9.2f}\n", x.name, s.median, s.min,
                   s.cpu_median, s.max_rss_mb, s.median / floor.median);
        if (x.name != "psql select 1") {
            bool ok = s.median <= 3.0 * floor.median;
            pass = pass && ok;
            fmt::print("  {}  {} on the server within 3x psql: {:.2f}x\n", ok ? "PASS" : "FAIL",
                       x.name, s.median / floor.median);
        }
    }
    return pass;
}

int run(const Options& o) {
    if (::access(o.bin.c_str(), X_OK) != 0)
        throw std::runtime_error(fmt::format("no followup binary at {}", o.bin));
    Options opts = o;
    if (opts.sqlite3.empty()) opts.sqlite3 = find_in_path("sqlite3");
    if (opts.sqlite3.empty() || ::access(opts.sqlite3.c_str(), X_OK) != 0)
        throw std::runtime_error("no sqlite3 shell (apt-get install sqlite3, or --sqlite3 PATH): "
                                 "`sqlite3 DB 'select 1'` is the floor of the ratios");
    if (::access("/bin/true", X_OK) != 0) throw std::runtime_error("no /bin/true");

    // Where the databases go.
    std::string dir = o.dir;
    bool made_dir = false;
    if (dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "followup-bench-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr)
            throw std::runtime_error(fmt::format("mkdtemp: {}", std::strerror(errno)));
        dir = tmpl;
        made_dir = true;
    } else {
        fs::create_directories(dir);
    }
    // `add` writes, so it runs on copies: the `due` runs see the databases as filled.
    std::string big = (fs::path(dir) / "big.db").string();
    std::string empty = (fs::path(dir) / "empty.db").string();
    std::string big_add = (fs::path(dir) / "big-add.db").string();
    std::string empty_add = (fs::path(dir) / "empty-add.db").string();
    std::string recent = (fs::path(dir) / "recent.db").string();
    std::string big_write = (fs::path(dir) / "big-write.db").string();
    std::vector<std::string> files{big, empty, big_add, empty_add, recent, big_write}; // + run_io's
    auto remove_files = [&] {
        for (const auto& p : files)
            for (const char* suffix : {"", "-wal", "-shm"})
                fs::remove(p + suffix);
    };
    remove_files();

    // The fill uses the bench zone too, so "today" matches what the children see.
    ::setenv("TZ", bench_tz, 1);
    ::tzset();
    std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    if (!o.json) fmt::print(stderr, "Filling {} with {} contacts...\n", big, o.contacts);
    FillStats st = fill_in_child(big, o.contacts, morning_of_local_day(now), o.seed);
    st.bytes = fs::file_size(big);
    FillStats est = fill_in_child(empty, 0, now, o.seed);
    est.bytes = fs::file_size(empty);
    fs::copy_file(big, big_add);
    fs::copy_file(empty, empty_add);
    fs::copy_file(big, big_write);
    SQLite::Database(big_write, SQLite::OPEN_READWRITE).exec("CREATE TABLE bench_write_floor(x)");
    {
        // In a child process too: SQLite's VACUUM would otherwise raise this program's peak RSS,
        // which Linux reports as the spawned children's.
        std::fflush(nullptr);
        pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
        if (pid == 0) {
            int rc = 0;
            try {
                make_recent(big, recent);
            } catch (const std::exception& e) {
                fmt::print(stderr, "followup_bench: making {}: {}\n", recent, e.what());
                rc = 1;
            }
            ::_exit(rc);
        }
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error(fmt::format("making {} failed", recent));
    }

    double load_before[1]{};
    ::getloadavg(load_before, 1);

    // Runs interleaved (one of each scenario per round) so that drift hits all alike, the
    // floors among them: /bin/true (the cost of a process) and `sqlite3 DB 'select 1'` (a
    // process that links SQLite and opens the database), the measure of the ratios; and beside
    // them the durable write floor (`sqlite3 write`: one row written as followup writes).
    std::vector<Scenario> scenarios;
    for (const char* name : {"true", "sqlite3", "sqlite3 write", "--version", "--help"})
        scenarios.push_back(
            {name, std::string_view(name).starts_with("sqlite3") ? "big" : "-", {}});
    for (const char* db : {"big", "recent", "empty"})
        for (const char* name : {"due", "due json", "add"})
            if (std::string_view(db) != "recent" || std::string_view(name) != "add")
                scenarios.push_back({name, db, {}});
    auto env = child_environment();
    long counter = 0;
    if (!o.json)
        fmt::print(stderr, "Running {} + {} warm-up rounds of {} commands...\n", o.runs, o.warmup,
                   scenarios.size());
    for (int r = 0; r < o.warmup + o.runs; ++r) {
        for (auto& s : scenarios) {
            const std::string& db = s.name == "add" ? (s.db == "big" ? big_add : empty_add)
                                    : s.name == "sqlite3 write" ? big_write
                                    : s.db == "big"             ? big
                                    : s.db == "recent"          ? recent
                                                                : empty;
            Run run = spawn_and_wait(command(s.name, opts, db, counter), env);
            if (r >= o.warmup) s.runs.push_back(run);
        }
    }
    std::uintmax_t big_after = fs::file_size(big_add);
    double load_after[1]{};
    ::getloadavg(load_after, 1);
    long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    struct rusage self {};
    ::getrusage(RUSAGE_SELF, &self);
    double self_rss_mb = static_cast<double>(self.ru_maxrss) / 1024.0;
    Plan plan = query_plan(big, end_of_local_day(now));

    // Results.
    std::vector<Summary> sums;
    for (const auto& s : scenarios)
        sums.push_back(summarize(s.runs));
    auto find = [&](std::string_view name, std::string_view db) -> const Summary& {
        for (std::size_t i = 0; i < scenarios.size(); ++i)
            if (scenarios[i].name == name && scenarios[i].db == db) return sums[i];
        throw std::logic_error("no scenario");
    };
    const double floor_ms = find("sqlite3", "big").median;
    std::vector<Target> targets;
    for (const auto& t : floor_targets) {
        const Summary& m = find(t.name, t.db);
        std::string where = std::string_view(t.db) == "-" ? "" : fmt::format(" ({})", t.db);
        targets.push_back({fmt::format("{}{} <= {:.1f} x sqlite3", t.name, where, t.max_ratio),
                           m.median <= floor_ms * t.max_ratio,
                           fmt::format("{:.2f} x ({:.2f} ms)", m.median / floor_ms, m.median)});
    }
    for (const char* name : {"due", "add"})
        for (const char* db : {"big", "empty"}) {
            const Summary& m = find(name, db);
            targets.push_back({fmt::format("{} ({}) peak RSS <= {:.0f} MB", name, db, rss_limit_mb),
                               m.max_rss_mb <= rss_limit_mb,
                               fmt::format("{:.1f} MB", m.max_rss_mb)});
        }
    targets.push_back({"due uses followups_open_due", plan.uses_index,
                       plan.temp_sort ? "with a temp b-tree sort" : "no sort step"});

    // Import and export, after the rest so that they do not disturb it.
    std::optional<IoResults> io;
    if (o.import_runs > 0) {
        io = run_io(o, dir, empty, big, env, now, files);
        for (std::size_t i = 0; i < io->scenarios.size(); ++i) {
            const auto& s = io->scenarios[i];
            if (s.target_ms <= 0) continue;
            targets.push_back(
                {fmt::format("{} ({}) median < {} s", s.name, s.db, s.target_ms / 1000),
                 io->sums[i].median < s.target_ms, fmt::format("{:.0f} ms", io->sums[i].median)});
            if (s.target_mb > 0)
                targets.push_back(
                    {fmt::format("{} ({}) peak RSS < {} MB", s.name, s.db, s.target_mb),
                     io->sums[i].max_rss_mb < s.target_mb,
                     fmt::format("{:.1f} MB", io->sums[i].max_rss_mb)});
        }
    }
    bool all_pass = std::all_of(targets.begin(), targets.end(), [](auto& t) { return t.pass; });

    if (o.json) {
        std::string out = "{\n";
        out += fmt::format("  \"contacts\": {},\n  \"runs\": {},\n  \"warmup\": {},\n", o.contacts,
                           o.runs, o.warmup);
        out += fmt::format("  \"binary\": {},\n  \"tz\": {},\n  \"bench_rss_mb\": {:.2f},\n",
                           json_string(o.bin), json_string(bench_tz), self_rss_mb);
        out +=
            fmt::format("  \"cpus\": {},\n  \"load_before\": {:.2f},\n  \"load_after\": {:.2f},\n",
                        cpus, load_before[0], load_after[0]);
        out += fmt::format(
            "  \"fill\": {{\"seconds\": {:.3f}, \"db_bytes\": {}, \"db_bytes_after_runs\": {}, "
            "\"empty_db_bytes\": {}, \"events\": {}, \"tags\": {}, \"followups\": {}, "
            "\"open\": {}, \"open_overdue\": {}, \"open_due_today\": {}, "
            "\"interactions\": {}}},\n",
            st.seconds, st.bytes, big_after, est.bytes, st.events, st.tags, st.followups, st.open,
            st.open_overdue, st.open_due_today, st.interactions);
        out += "  \"results\": [\n";
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            const auto& s = scenarios[i];
            const auto& m = sums[i];
            out += fmt::format("    {{\"command\": {}, \"db\": \"{}\", \"median_ms\": {:.3f}, "
                               "\"p90_ms\": {:.3f}, \"min_ms\": {:.3f}, \"cpu_median_ms\": {:.3f}, "
                               "\"max_rss_mb\": {:.2f}, \"ratio_big_empty\": {}, "
                               "\"ratio_sqlite3\": {:.3f}}}{}\n",
                               json_string(s.name), s.db, m.median, m.p90, m.min, m.cpu_median,
                               m.max_rss_mb,
                               s.db == "-" || s.name.starts_with("sqlite3")
                                   ? "null"
                                   : fmt::format("{:.3f}", m.median / find(s.name, "empty").median),
                               m.median / floor_ms, i + 1 < scenarios.size() ? "," : "");
        }
        out += "  ],\n";
        if (io) {
            auto counts = [](const DbCounts& c) {
                return fmt::format("{{\"contacts\": {}, \"interactions\": {}, \"followups\": {}, "
                                   "\"db_bytes\": {}}}",
                                   c.contacts, c.interactions, c.followups, c.bytes);
            };
            out += fmt::format(
                "  \"import_export\": {{\n    \"import_runs\": {}, \"export_runs\": {}, "
                "\"load_before\": {:.2f}, \"load_after\": {:.2f},\n",
                o.import_runs, o.export_runs, io->load_before, io->load_after);
            out += fmt::format(
                "    \"connections_csv\": {{\"named_rows\": {}, \"restricted_rows\": {}, "
                "\"emails\": {}, \"bytes\": {}, \"seconds\": {:.3f}}},\n",
                io->csv.named, io->csv.restricted, io->csv.emails, io->csv.bytes, io->csv.seconds);
            out += fmt::format("    \"contacts_vcf_bytes\": {},\n", io->vcf_bytes);
            out +=
                fmt::format("    \"imported\": {},\n    \"reimported\": {},\n    "
                            "\"vcf_imported\": {},\n",
                            counts(io->imported), counts(io->reimported), counts(io->vcf_imported));
            out += fmt::format("    \"import_output\": {},\n    \"reimport_output\": {},\n    "
                               "\"vcf_import_output\": {},\n",
                               json_string(io->import_said), json_string(io->reimport_said),
                               json_string(io->vcf_said));
            out += fmt::format("    \"backup_bytes\": {},\n    \"big\": {},\n    \"restored\": "
                               "{},\n    \"restore_output\": {},\n",
                               io->backup_bytes, counts(io->big), counts(io->restored),
                               json_string(io->restore_said));
            out += "    \"results\": [\n";
            for (std::size_t i = 0; i < io->scenarios.size(); ++i) {
                const auto& s = io->scenarios[i];
                const auto& m = io->sums[i];
                out += fmt::format(
                    "      {{\"command\": {}, \"db\": \"{}\", \"args\": {}, \"runs\": {}, "
                    "\"median_ms\": {:.3f}, \"min_ms\": {:.3f}, \"max_ms\": {:.3f}, "
                    "\"cpu_median_ms\": {:.3f}, \"sys_median_ms\": {:.3f}, \"max_rss_mb\": {:.2f}, "
                    "\"output_bytes\": {}, \"target_ms\": {}}}{}\n",
                    json_string(s.name), s.db,
                    json_string(fmt::format("{}", fmt::join(s.args, " "))), s.runs.size(), m.median,
                    m.min, m.max, m.cpu_median, m.sys_median, m.max_rss_mb, s.output_bytes,
                    s.target_ms > 0 ? fmt::format("{}", s.target_ms) : "null",
                    i + 1 < io->scenarios.size() ? "," : "");
            }
            out += "    ]\n  },\n";
        }
        out += "  \"query_plan\": [";
        for (std::size_t i = 0; i < plan.lines.size(); ++i)
            out += (i ? ", " : "") + json_string(plan.lines[i]);
        out += "],\n  \"targets\": [\n";
        for (std::size_t i = 0; i < targets.size(); ++i)
            out += fmt::format("    {{\"target\": {}, \"pass\": {}, \"value\": {}}}{}\n",
                               json_string(targets[i].what), targets[i].pass,
                               json_string(targets[i].detail), i + 1 < targets.size() ? "," : "");
        out += fmt::format("  ],\n  \"pass\": {}\n}}\n", all_pass);
        std::fputs(out.c_str(), stdout);
    } else {
        fmt::print("followup_bench: {} contacts, {} runs (+{} warm-up), TZ={}\n", o.contacts,
                   o.runs, o.warmup, bench_tz);
        fmt::print("binary: {}\n", o.bin);
        fmt::print("{} CPUs, load average {:.2f} before the runs, {:.2f} after{}\n\n", cpus,
                   load_before[0], load_after[0],
                   std::max(load_before[0], load_after[0]) > 0.5 * static_cast<double>(cpus)
                       ? " (busy machine: wall times are inflated, see the cpu ms column)"
                       : "");
        fmt::print("database: {:.1f} MB ({} bytes; {:.1f} MB after the add runs), filled in "
                   "{:.1f} s\n",
                   static_cast<double>(st.bytes) / 1e6, st.bytes,
                   static_cast<double>(big_after) / 1e6, st.seconds);
        fmt::print("  {} events, {} tags, {} follow-ups ({} open: {} overdue at 06:00, {} due by "
                   "the end of today), {} interactions\n",
                   st.events, st.tags, st.followups, st.open, st.open_overdue, st.open_due_today,
                   st.interactions);
        fmt::print("empty database: {} bytes; recent database (big without its history: only "
                   "contacts with open follow-ups): {} bytes\n",
                   est.bytes, fs::file_size(recent));
        fmt::print("peak RSS of this program while spawning: {:.1f} MB (a floor of the children's "
                   "figures)\n\n",
                   self_rss_mb);
        const double floor_cpu = find("sqlite3", "big").cpu_median;
        fmt::print("floors: /bin/true {:.2f} ms, `sqlite3 big.db 'select 1'` {:.2f} ms (medians; "
                   "CPU {:.2f} ms): x sqlite3 is each median over the second, cpu x the same of "
                   "the CPU times (steadier on a busy machine)\n\n",
                   find("true", "-").median, floor_ms, floor_cpu);
        const Summary& write_floor = find("sqlite3 write", "big");
        fmt::print("durable write floor: `sqlite3 big-write.db` writing one row with followup's "
                   "settings (WAL, synchronous=FULL, persistent WAL, no checkpoint at close) "
                   "{:.2f} ms = {:.2f} x sqlite3; add (big) is {:.2f} x this floor\n\n",
                   write_floor.median, write_floor.median / floor_ms,
                   find("add", "big").median / write_floor.median);
        fmt::print("{:<13} {:<6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>6} {:>8}\n", "command",
                   "db", "median ms", "p90 ms", "min ms", "cpu ms", "peak MB", "x sqlite3", "cpu x",
                   "x/empty");
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            const auto& s = scenarios[i];
            const auto& m = sums[i];
            std::string ratio = s.db != "empty" && s.db != "-" && !s.name.starts_with("sqlite3")
                                    ? fmt::format("{:.2f}", m.median / find(s.name, "empty").median)
                                    : "";
            fmt::print("{:<13} {:<6} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.2f} {:>9.1f} {:>10.2f} "
                       "{:>6.2f} {:>8}\n",
                       s.name, s.db, m.median, m.p90, m.min, m.cpu_median, m.max_rss_mb,
                       m.median / floor_ms, m.cpu_median / floor_cpu, ratio);
        }
        if (io) {
            fmt::print("\nimport and export: {} runs of each import (each on a fresh copy of the "
                       "database, not timed), {} of each export (stdout on /dev/null)\n",
                       o.import_runs, o.export_runs);
            fmt::print("load average {:.2f} before, {:.2f} after\n", io->load_before,
                       io->load_after);
            fmt::print("Connections.csv: {} contacts ({} with an email) and {} restricted rows, "
                       "{:.1f} MB, written in {:.2f} s; contacts.vcf (exported): {:.1f} MB\n",
                       io->csv.named, io->csv.emails, io->csv.restricted,
                       static_cast<double>(io->csv.bytes) / 1e6, io->csv.seconds,
                       static_cast<double>(io->vcf_bytes) / 1e6);
            auto counts = [](const DbCounts& c) {
                return fmt::format("{} contacts, {} interactions, {} follow-ups, {:.1f} MB",
                                   c.contacts, c.interactions, c.followups,
                                   static_cast<double>(c.bytes) / 1e6);
            };
            fmt::print("  imported:        {}\n    {}\n", counts(io->imported), io->import_said);
            fmt::print("  imported again:  {}{}\n    {}\n", counts(io->reimported),
                       io->reimported.contacts == io->imported.contacts &&
                               io->reimported.interactions == io->imported.interactions &&
                               io->reimported.followups == io->imported.followups
                           ? " (no new rows)"
                           : " (CHANGED)",
                       io->reimport_said);
            fmt::print("  vcf imported:    {}\n    {}\n", counts(io->vcf_imported), io->vcf_said);
            if (o.restore)
                fmt::print(
                    "  backup of big:   {:.1f} MB of JSON; {}\n  restored:        {}\n    {}\n\n",
                    static_cast<double>(io->backup_bytes) / 1e6, counts(io->big),
                    counts(io->restored), io->restore_said);
            fmt::print("{:<21} {:<8} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9}  {}\n",
                       "command", "db", "runs", "median ms", "min ms", "max ms", "cpu ms", "sys ms",
                       "peak MB", "output MB", "target");
            for (std::size_t i = 0; i < io->scenarios.size(); ++i) {
                const auto& s = io->scenarios[i];
                const auto& m = io->sums[i];
                std::string target =
                    s.target_ms > 0
                        ? fmt::format("{} < {} ms", m.median < s.target_ms ? "PASS" : "FAIL",
                                      s.target_ms)
                        : "";
                std::string output =
                    s.output_bytes
                        ? fmt::format("{:.1f}", static_cast<double>(s.output_bytes) / 1e6)
                        : "";
                fmt::print("{:<21} {:<8} {:>5} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} "
                           "{:>8.1f} {:>9}  {}\n",
                           s.name, s.db, s.runs.size(), m.median, m.min, m.max, m.cpu_median,
                           m.sys_median, m.max_rss_mb, output, target);
            }
        }
        fmt::print("\nquery plan of `due`:\n");
        for (const auto& l : plan.lines)
            fmt::print("  {}\n", l);
        fmt::print("\n");
        for (const auto& t : targets)
            fmt::print("{}  {:<34} {}\n", t.pass ? "PASS" : "FAIL", t.what, t.detail);
        fmt::print("\n{}\n", all_pass ? "all targets met" : "some targets missed");
    }

    if (!o.pg.empty() && !run_pg(o, big, dir)) all_pass = false;

    if (!o.keep) {
        remove_files();
        // The folder made here is the bench's own: everything in it goes (the backups and the
        // restores' databases, whatever run_io and run_pg left), not only the files listed.
        if (made_dir) fs::remove_all(dir);
    } else if (!o.json) {
        fmt::print("kept {}, {} (as filled) and {}, {} (after the add runs)\n", big, empty, big_add,
                   empty_add);
        if (io)
            fmt::print("kept {} (Connections.csv, contacts.vcf, imported.db: the database imported "
                       "once, scratch.db: the last import run)\n",
                       dir);
    }
    return all_pass ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_options(argc, argv));
    } catch (const std::invalid_argument& e) {
        fmt::print(stderr, "followup_bench: {}\n\n{}", e.what(), usage_text);
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "followup_bench: {}\n", e.what());
        return 2;
    }
}
