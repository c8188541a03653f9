// Transactions, and undo through SQLite's session extension: a write transaction that names its
// command records a changeset of every row it changed (cascades included) in the table
// undo_log; `undo` applies the inverse of the newest one and refuses on any conflict.
// On PostgreSQL the rows' images are kept by a trigger instead (undo_pg.cpp).

#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "postgres/undo_pg.hpp"
#include "sqlite/sqlite_native.hpp"
#include "undo_words.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <array>
#include <cstring>
#include <fmt/format.h>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <map>
#include <sqlite3.h>

namespace followup {
namespace {

/// How many commands the undo log keeps.
constexpr int undo_depth = 100;

/// Tables whose changes are recorded: everything but the log itself and SQLite's own.
int record_table(void*, const char* table) {
    return std::strcmp(table, "undo_log") != 0 && std::strncmp(table, "sqlite_", 7) != 0;
}

using undo_words::noun;

struct ChangesetIter {
    sqlite3_changeset_iter* it{};
    ChangesetIter(int n, void* p) {
        if (sqlite3changeset_start(&it, n, p) != SQLITE_OK)
            throw DatabaseError("the undo log holds a damaged changeset");
    }
    ~ChangesetIter() { sqlite3changeset_finalize(it); }
    ChangesetIter(const ChangesetIter&) = delete;
    ChangesetIter& operator=(const ChangesetIter&) = delete;
};

/// "2 follow-ups changed", "1 touch added", in table order.
std::vector<std::string> describe(int n, void* p) {
    undo_words::Counts counts; // added, changed, removed
    ChangesetIter c(n, p);
    while (sqlite3changeset_next(c.it) == SQLITE_ROW) {
        const char* table = nullptr;
        int columns = 0, op = 0, indirect = 0;
        sqlite3changeset_op(c.it, &table, &columns, &op, &indirect);
        auto& slot = counts[table];
        ++slot[op == SQLITE_INSERT ? 0U : op == SQLITE_UPDATE ? 1U : 2U];
    }
    return undo_words::describe(counts);
}

/// The primary key of the row a conflict is about, as text ("12").
std::string conflict_key(sqlite3_changeset_iter* it) {
    unsigned char* pk = nullptr;
    int columns = 0;
    if (sqlite3changeset_pk(it, &pk, &columns) != SQLITE_OK) return "?";
    std::string key;
    for (int i = 0; i < columns; ++i) {
        if (!pk[i]) continue;
        sqlite3_value* v = nullptr;
        const char* table = nullptr;
        int n = 0, op = 0, indirect = 0;
        sqlite3changeset_op(it, &table, &n, &op, &indirect);
        if (op == SQLITE_INSERT)
            sqlite3changeset_new(it, i, &v);
        else
            sqlite3changeset_old(it, i, &v);
        if (v == nullptr) continue;
        const auto* t = sqlite3_value_text(v);
        if (!key.empty()) key += "/";
        key += t ? reinterpret_cast<const char*>(t) : "";
    }
    return key;
}

struct Conflict {
    std::string what;
};

int on_conflict(void* ctx, int kind, sqlite3_changeset_iter* it) {
    auto* conflict = static_cast<Conflict*>(ctx);
    const char* table = nullptr;
    int n = 0, op = 0, indirect = 0;
    if (kind == SQLITE_CHANGESET_FOREIGN_KEY) {
        conflict->what = "rows added since refer to what it would remove";
        return SQLITE_CHANGESET_ABORT;
    }
    sqlite3changeset_op(it, &table, &n, &op, &indirect);
    std::string row = fmt::format("{} {}", noun(table ? table : "", false), conflict_key(it));
    switch (kind) {
    case SQLITE_CHANGESET_NOTFOUND:
        conflict->what = fmt::format("{} has been deleted since", row);
        break;
    case SQLITE_CHANGESET_CONFLICT:
        conflict->what = fmt::format("{} exists again", row);
        break;
    default:
        conflict->what = fmt::format("{} has changed since", row);
        break;
    }
    return SQLITE_CHANGESET_ABORT;
}

} // namespace

struct Repository::Transaction::Recorder {
    sqlite3_session* session{};
    ~Recorder() {
        if (session) sqlite3session_delete(session);
    }
};

Repository::Transaction::Transaction(Repository& repo, bool write, std::string command)
    : repo_(repo), write_(write), command_(std::move(command)) {
    repo_.db_->begin(write);
    open_ = true;
    if (write_ && !command_.empty() && repo_.db_->dialect() == sql::Dialect::sqlite) {
        recorder_ = std::make_unique<Recorder>();
        sqlite3* db = sql::sqlite_database(*repo_.db_).getHandle();
        if (sqlite3session_create(db, "main", &recorder_->session) != SQLITE_OK)
            throw DatabaseError("cannot record the command for undo");
        sqlite3session_table_filter(recorder_->session, &record_table, nullptr);
        if (sqlite3session_attach(recorder_->session, nullptr) != SQLITE_OK)
            throw DatabaseError("cannot record the command for undo");
    } else if (write_ && !command_.empty()) {
        try {
            server_log_ = undo_pg::begin(*repo_.db_, repo_.now_, command_);
        } catch (...) { // the destructor of a half-made object does not run
            repo_.db_->rollback();
            throw;
        }
    }
}

Repository::Transaction::~Transaction() {
    recorder_.reset();
    if (open_) {
        try {
            repo_.db_->rollback();
        } catch (...) { // NOLINT(bugprone-empty-catch): nothing more can be done here
        }
    }
}

void Repository::Transaction::unrecorded() {
    if (server_log_ != 0) {
        undo_pg::barrier(*repo_.db_, server_log_);
        server_log_ = 0;
        return;
    }
    if (!recorder_) return;
    recorder_.reset();
    barrier_ = true;
}

void Repository::Transaction::commit() {
    try {
        commit_recorded();
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

void Repository::Transaction::commit_recorded() {
    if (barrier_ && repo_.db_->dialect() == sql::Dialect::sqlite) {
        SQLite::Statement q(sql::sqlite_database(*repo_.db_),
                            "INSERT INTO undo_log (at, command, changeset) VALUES (?, ?, x'')");
        q.bind(1, static_cast<std::int64_t>(repo_.now_.time_since_epoch().count()));
        q.bind(2, command_);
        q.exec();
    }
    if (recorder_) {
        int n = 0;
        void* p = nullptr;
        int rc = sqlite3session_changeset(recorder_->session, &n, &p);
        recorder_.reset();
        if (rc != SQLITE_OK) throw DatabaseError("cannot record the command for undo");
        std::unique_ptr<void, decltype(&sqlite3_free)> blob(p, &sqlite3_free);
        if (n > 0) {
            SQLite::Database& db = sql::sqlite_database(*repo_.db_);
            SQLite::Statement q(db,
                                "INSERT INTO undo_log (at, command, changeset) VALUES (?, ?, ?)");
            q.bind(1, static_cast<std::int64_t>(repo_.now_.time_since_epoch().count()));
            q.bind(2, command_);
            q.bind(3, p, n);
            q.exec();
            SQLite::Statement trim(db, "DELETE FROM undo_log WHERE id <= "
                                       "(SELECT max(id) FROM undo_log) - ?");
            trim.bind(1, undo_depth);
            trim.exec();
        }
    }
    if (server_log_ != 0) undo_pg::end(*repo_.db_, server_log_, undo_depth);
    repo_.db_->commit();
    open_ = false;
    if (write_) repo_.wrote_ = true;
}

std::vector<UndoEntry> Repository::undo_log(int limit) {
    try {
        return undo_log_rows(limit);
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

std::vector<UndoEntry> Repository::undo_log_rows(int limit) {
    if (db_->dialect() != sql::Dialect::sqlite) return undo_pg::entries(*db_, limit);
    SQLite::Statement q(sql::sqlite_database(*db_),
                        "SELECT id, at, command, changeset FROM undo_log "
                        "ORDER BY id DESC LIMIT ?");
    q.bind(1, limit);
    std::vector<UndoEntry> out;
    while (q.executeStep()) {
        UndoEntry e;
        e.id = q.getColumn(0).getInt64();
        e.at = Instant{std::chrono::seconds{q.getColumn(1).getInt64()}};
        e.command = q.getColumn(2).getString();
        SQLite::Column blob = q.getColumn(3);
        if (blob.getBytes() > 0)
            e.changes = describe(blob.getBytes(), const_cast<void*>(blob.getBlob()));
        else
            e.changes = {"too large to undo"};
        out.push_back(std::move(e));
    }
    return out;
}

UndoEntry Repository::undo_last() {
    try {
        return undo_newest();
    } catch (const SQLite::Exception& e) {
        sql::throw_sqlite(e);
    }
}

UndoEntry Repository::undo_newest() {
    if (db_->dialect() != sql::Dialect::sqlite) {
        Transaction tx(*this, true);
        UndoEntry entry = undo_pg::undo(*db_);
        tx.commit();
        return entry;
    }
    SQLite::Database& native = sql::sqlite_database(*db_);
    // Foreign keys are off while the before-images go back: their ON DELETE actions would
    // otherwise change rows the changeset is about to restore itself. A foreign-key check of
    // the result stands in for them. (The pragma only takes effect outside a transaction.)
    native.exec("PRAGMA foreign_keys = OFF");
    struct KeysBackOn {
        SQLite::Database& db;
        ~KeysBackOn() {
            try {
                db.exec("PRAGMA foreign_keys = ON");
            } catch (...) { // NOLINT(bugprone-empty-catch): the connection ends with the process
            }
        }
    } keys_back_on{native};
    Transaction tx(*this, true);
    auto last = undo_log(1);
    if (last.empty()) throw NotFound("nothing to undo");
    UndoEntry entry = std::move(last.front());
    SQLite::Statement q(native, "SELECT changeset FROM undo_log WHERE id = ?");
    q.bind(1, entry.id);
    q.executeStep();
    SQLite::Column blob = q.getColumn(0);
    if (blob.getBytes() == 0)
        throw Error(fmt::format("cannot undo '{}': it changed too much to be recorded; restore "
                                "a backup instead (see 'followup restore')",
                                entry.command));
    int n = 0;
    void* inverse = nullptr;
    if (sqlite3changeset_invert(blob.getBytes(), blob.getBlob(), &n, &inverse) != SQLITE_OK)
        throw DatabaseError("the undo log holds a damaged changeset");
    std::unique_ptr<void, decltype(&sqlite3_free)> owned(inverse, &sqlite3_free);
    q.reset();
    Conflict conflict;
    int rc =
        sqlite3changeset_apply(native.getHandle(), n, inverse, nullptr, &on_conflict, &conflict);
    if (rc == SQLITE_OK &&
        native.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() > 0) {
        rc = SQLITE_CONSTRAINT;
        conflict.what = "rows added since refer to what it would remove";
    }
    if (rc != SQLITE_OK) {
        if (conflict.what.empty()) conflict.what = sqlite3_errmsg(native.getHandle());
        throw Error(
            fmt::format("cannot undo '{}': {}; nothing was changed", entry.command, conflict.what));
    }
    SQLite::Statement del(native, "DELETE FROM undo_log WHERE id = ?");
    del.bind(1, entry.id);
    del.exec();
    tx.commit();
    return entry;
}

} // namespace followup
