// Many processes at once, readers and writers, against one database file: no "database is
// locked", no lost write.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <atomic>
#include <thread>

using e2e::Sandbox;

TEST(Concurrency, EightWritersAndFourReadersLoseNothing) {
    constexpr int writers = 8, adds_per_writer = 200, readers = 4;
    Sandbox shared; // holds the database every worker uses
    const std::string db = shared.db().string();
    shared.ok({"event", "add", "Load test"}); // the file exists before the workers start

    std::atomic<int> writers_left{writers};
    std::atomic<int> failures{0};
    std::atomic<int> reads{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            Sandbox own; // its own folder for captured output; the database is the shared one
            own.use_db_flag = false;
            for (int i = 0; i < adds_per_writer; ++i) {
                e2e::Result r =
                    own.run({"--db", db, "add",
                             "Writer " + std::to_string(w) + " Person " + std::to_string(i),
                             "--email", "p@example.com", "--event", "Load test", "--new"});
                if (r.status != 0) {
                    ++failures;
                    ADD_FAILURE() << "add failed: " << r.err;
                }
            }
            --writers_left;
        });
    for (int rd = 0; rd < readers; ++rd)
        threads.emplace_back([&] {
            Sandbox own;
            own.use_db_flag = false;
            while (writers_left > 0) {
                e2e::Result r = own.run({"--db", db, "due", "--all", "--format", "json"});
                if (r.status != 0) {
                    ++failures;
                    ADD_FAILURE() << "due failed: " << r.err;
                }
                ++reads;
            }
        });
    for (auto& t : threads)
        t.join();

    EXPECT_EQ(failures, 0);
    EXPECT_GT(reads, 0);
    SQLite::Database check(db, SQLite::OPEN_READONLY);
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM contacts").getInt(),
              writers * adds_per_writer);
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM followups").getInt(),
              3 * writers * adds_per_writer);
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM events").getInt(), 1);
    EXPECT_EQ(check.execAndGet("PRAGMA integrity_check").getString(), "ok");
}
