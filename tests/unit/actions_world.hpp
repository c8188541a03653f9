#pragma once
// The world of the use-case tests (tests/unit/test_actions*.cpp): a :memory: database, a config
// with the built-in plans and a fixed clock in America/New_York, which `at` moves.

#include "store_access.hpp"

#include <followup/actions/actions.hpp>
#include <followup/domain/config.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/time/dates.hpp>
#include <gtest/gtest.h>
#include <string>
#include <typeinfo>
#include <vector>

/// An instant written in UTC ("2026-11-20T13:00:00Z").
inline followup::Instant t(const char* utc) {
    return *followup::parse_utc(utc);
}

/// A database, a config and a clock for one test; `at` moves the clock.
struct World {
    followup::Repository repo{":memory:"};
    followup::Config config;
    followup::TimeContext tc{t("2026-11-20T13:00:00Z"), followup::find_zone("America/New_York")};
    World() {
        config.plans = followup::builtin_plans();
        repo.set_now(tc.now);
    }
    void at(const char* utc) {
        tc.now = t(utc);
        repo.set_now(tc.now);
    }
    followup::actions::Env env(const std::string& command = "test") {
        return followup::actions::Env{repo, tc, config, command};
    }
    followup::Contact add(const std::string& name, const std::string& plan = "none") {
        followup::actions::NewContact in;
        in.contact.name = name;
        in.met = followup::When{tc.now, std::nullopt};
        in.plan = plan;
        auto e = env();
        return followup::actions::add_contact(e, in).contact;
    }
    int count(const std::string& sql) { return static_cast<int>(test_store::scalar(repo, sql)); }
    /// Every row of every table but the undo log, as text: equal snapshots, equal databases.
    std::string snapshot() {
        std::vector<std::string> tables;
        {
            followup::sql::Statement q(repo.connection(),
                                       "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                       "name NOT LIKE 'sqlite_%' AND name <> 'undo_log' "
                                       "ORDER BY name");
            while (q.executeStep())
                tables.push_back(q.getColumn(0).getString());
        }
        std::string out;
        for (const auto& table : tables) {
            std::string row = test_store::scalar_text(
                repo, "SELECT group_concat('quote(' || name || ')', ' || ''|'' || ') FROM "
                      "pragma_table_info('" +
                          table + "')");
            out += table + ":\n" +
                   test_store::scalar_text(repo, "SELECT coalesce(group_concat(r, char(10)), '') "
                                                 "FROM (SELECT " +
                                                     row + " AS r FROM " + table + " ORDER BY r)") +
                   "\n";
        }
        return out;
    }
};

/// Writes recorded one undo step each (each adds one entry to the undo log and changes the
/// data), then undone newest first: each undo names its command and gives back the state from
/// before that write.
struct UndoSteps {
    explicit UndoSteps(World& world) : w(world) {}
    World& w;
    std::vector<std::string> states{w.snapshot()};
    std::vector<std::string> commands;

    template <class Write> void step(const std::string& command, Write&& write) {
        const int logged = w.count("SELECT count(*) FROM undo_log");
        auto e = w.env(command);
        write(e);
        EXPECT_EQ(w.count("SELECT count(*) FROM undo_log"), logged + 1) << command;
        commands.push_back(command);
        states.push_back(w.snapshot());
        EXPECT_NE(states.back(), states[states.size() - 2]) << command;
    }

    void undo_all() {
        auto e = w.env();
        for (std::size_t i = commands.size(); i-- > 0;) {
            followup::UndoEntry u = followup::actions::undo(e);
            EXPECT_EQ(u.command, commands[i]);
            EXPECT_EQ(w.snapshot(), states[i]) << "after undoing " << commands[i];
        }
    }
};

/// Passes when `f` throws exactly an `E` (not a class derived from it, nor a base).
template <class E, class F>::testing::AssertionResult throws_exactly(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        if (typeid(e) == typeid(E)) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "threw " << typeid(e).name() << ": " << e.what();
    }
    return ::testing::AssertionFailure() << "threw nothing";
}
