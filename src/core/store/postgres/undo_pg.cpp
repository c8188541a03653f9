// The undo log on PostgreSQL. SQLite records a command's changes with its session extension;
// the server has no such thing, so a trigger on every table of records keeps the before- and
// after-image of each row a recorded transaction changes (undo_rows, as JSONB). `undo` puts
// them back newest first: an added row is deleted, a changed row gets its old values, a removed
// row comes back. Each step first checks that the row is still exactly as the command left it
// (else nothing is changed), and the steps are themselves recorded under a scratch log entry so
// that any row they touch beyond their own (an ON DELETE action reaching a row added since) is
// seen and refused, as SQLite's foreign-key check of the result does.

#include "undo_pg.hpp"

#include "undo_words.hpp"

#include <fmt/format.h>
#include <followup/util/errors.hpp>
#include <nlohmann/json.hpp>
#include <string_view>

namespace followup::undo_pg {
namespace {

using json = nlohmann::json;

std::string_view known_table(const std::string& name) {
    for (std::string_view t : recorded_tables)
        if (t == name) return t;
    throw DatabaseError(fmt::format("the undo log names an unknown table '{}'", name));
}

/// A column name from a row image, quoted as an identifier.
std::string column(const std::string& name) {
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
            throw DatabaseError(fmt::format("the undo log names an unknown column '{}'", name));
    return fmt::format("\"{}\"", name);
}

/// How one row is found: by id, or (contact_tags) by contact and tag.
struct Key {
    std::string where; ///< "t.id = ?" or "t.contact_id = ? AND t.tag = ?"
    std::int64_t id{};
    std::string tag;
    bool tagged{};
    std::string text; ///< for messages: "12", "3/vip"

    void bind(sql::Statement& q, int first) const {
        q.bind(first, id);
        if (tagged) q.bind(first + 1, tag);
    }
};

Key key_of(std::string_view table, const json& image) {
    Key k;
    if (table == "contact_tags") {
        k.tagged = true;
        k.id = image.at("contact_id").get<std::int64_t>();
        k.tag = image.at("tag").get<std::string>();
        k.where = "t.contact_id = ? AND t.tag = ?";
        k.text = fmt::format("{}/{}", k.id, k.tag);
    } else {
        k.id = image.at("id").get<std::int64_t>();
        k.where = "t.id = ?";
        k.text = std::to_string(k.id);
    }
    return k;
}

bool exists(sql::Connection& db, std::string_view table, const Key& k) {
    sql::Statement q(db, fmt::format("SELECT count(*) FROM {} t WHERE {}", table, k.where));
    k.bind(q, 1);
    q.executeStep();
    return q.getColumn(0).getInt64() > 0;
}

[[noreturn]] void refuse(const UndoEntry& entry, const std::string& what) {
    throw Error(fmt::format("cannot undo '{}': {}; nothing was changed", entry.command, what));
}

/// The row as the command left it is not there: deleted, or changed.
[[noreturn]] void moved_on(sql::Connection& db, const UndoEntry& entry, std::string_view table,
                           const Key& k) {
    std::string row = fmt::format("{} {}", undo_words::noun(table, false), k.text);
    refuse(entry,
           exists(db, table, k) ? row + " has changed since" : row + " has been deleted since");
}

/// Undoes one recorded row change.
void put_back(sql::Connection& db, const UndoEntry& entry, std::string_view table,
              const std::string& op, const std::string& old_text, const std::string& new_text) {
    if (op == "I") { // added: delete it, if it is as it was added
        Key k = key_of(table, json::parse(new_text));
        sql::Statement q(db, fmt::format("DELETE FROM {0} t WHERE {1} AND to_jsonb(t) = "
                                         "CAST(? AS jsonb)",
                                         table, k.where));
        k.bind(q, 1);
        q.bind(k.tagged ? 3 : 2, new_text);
        if (q.exec() != 1) moved_on(db, entry, table, k);
    } else if (op == "U") { // changed: its old values, if it is as the command left it
        json old_image = json::parse(old_text);
        Key k = key_of(table, json::parse(new_text));
        std::string set;
        for (const auto& [name, value] : old_image.items()) {
            (void)value;
            std::string c = column(name);
            set += fmt::format("{}{} = r.{}", set.empty() ? "" : ", ", c, c);
        }
        sql::Statement q(db, fmt::format("UPDATE {0} AS t SET {1} FROM "
                                         "jsonb_populate_record(NULL::{0}, CAST(? AS jsonb)) AS r "
                                         "WHERE {2} AND to_jsonb(t) = CAST(? AS jsonb)",
                                         table, set, k.where));
        q.bind(1, old_text);
        k.bind(q, 2);
        q.bind(k.tagged ? 4 : 3, new_text);
        if (q.exec() != 1) moved_on(db, entry, table, k);
    } else if (op == "D") { // removed: back, unless one with its key is there again
        Key k = key_of(table, json::parse(old_text));
        if (exists(db, table, k))
            refuse(entry,
                   fmt::format("{} {} exists again", undo_words::noun(table, false), k.text));
        sql::Statement q(db, fmt::format("INSERT INTO {0} SELECT * FROM "
                                         "jsonb_populate_record(NULL::{0}, CAST(? AS jsonb))",
                                         table));
        q.bind(1, old_text);
        q.exec();
    } else {
        throw DatabaseError(fmt::format("the undo log holds an unknown change '{}'", op));
    }
}

} // namespace

std::int64_t begin(sql::Connection& db, Instant at, const std::string& command) {
    sql::Statement q(db, "WITH l AS (INSERT INTO undo_log (at, command) VALUES (?, ?) "
                         "RETURNING id) SELECT id, set_config('followup.undo', id::text, true) "
                         "FROM l");
    q.bind(1, static_cast<std::int64_t>(at.time_since_epoch().count()));
    q.bind(2, command);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void barrier(sql::Connection& db, std::int64_t log) {
    db.exec(fmt::format("UPDATE undo_log SET barrier = true WHERE id = {0}; "
                        "DELETE FROM undo_rows WHERE log_id = {0}; "
                        "SELECT set_config('followup.undo', '', true)",
                        log));
}

void end(sql::Connection& db, std::int64_t log, int depth) {
    db.exec(fmt::format("SELECT set_config('followup.undo', '', true); "
                        "DELETE FROM undo_log WHERE id = {0} AND NOT barrier AND NOT EXISTS "
                        "(SELECT 1 FROM undo_rows WHERE log_id = {0}); "
                        "DELETE FROM undo_log WHERE id IN "
                        "(SELECT id FROM undo_log ORDER BY id DESC OFFSET {1})",
                        log, depth));
}

namespace {

/// The newest entries of the log, and whether each is a barrier.
std::vector<UndoEntry> read_entries(sql::Connection& db, int limit, std::vector<bool>& barriers) {
    sql::Statement q(db, "WITH l AS (SELECT id, at, command, barrier FROM undo_log "
                         "WHERE command <> '' ORDER BY id DESC LIMIT ?) "
                         "SELECT l.id, l.at, l.command, CASE WHEN l.barrier THEN 1 ELSE 0 END, "
                         "r.tbl, r.op, count(r.op) FROM l LEFT JOIN undo_rows r ON r.log_id = l.id "
                         "GROUP BY l.id, l.at, l.command, l.barrier, r.tbl, r.op "
                         "ORDER BY l.id DESC");
    q.bind(1, limit);
    std::vector<UndoEntry> out;
    std::vector<undo_words::Counts> counts;
    while (q.executeStep()) {
        std::int64_t id = q.getColumn(0).getInt64();
        if (out.empty() || out.back().id != id) {
            UndoEntry e;
            e.id = id;
            e.at = Instant{std::chrono::seconds{q.getColumn(1).getInt64()}};
            e.command = q.getColumn(2).getString();
            out.push_back(std::move(e));
            counts.emplace_back();
            barriers.push_back(q.getColumn(3).getInt() != 0);
        }
        if (q.getColumn(4).isNull()) continue;
        std::string op = q.getColumn(5).getString();
        counts.back()[q.getColumn(4).getString()][op == "I"   ? 0U
                                                  : op == "U" ? 1U
                                                              : 2U] += q.getColumn(6).getInt();
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].changes = barriers[i] ? std::vector<std::string>{"too large to undo"}
                                     : undo_words::describe(counts[i]);
    return out;
}

} // namespace

std::vector<UndoEntry> entries(sql::Connection& db, int limit) {
    std::vector<bool> barriers;
    return read_entries(db, limit, barriers);
}

UndoEntry undo(sql::Connection& db) {
    std::vector<bool> barrier;
    auto last = read_entries(db, 1, barrier);
    if (last.empty()) throw NotFound("nothing to undo");
    UndoEntry entry = std::move(last.front());
    if (barrier.front())
        throw Error(fmt::format("cannot undo '{}': it changed too much to be recorded; "
                                "restore a backup instead (see 'followup restore')",
                                entry.command));
    // What the steps below change is recorded under a scratch entry, to be compared with them.
    std::int64_t scratch = begin(db, Instant{}, "");
    // Rows come back in the reverse of the order they were recorded, which is not always an
    // order their foreign keys accept (a contact's follow-ups are recorded before or after it,
    // as PostgreSQL runs the ON DELETE actions): the keys are checked once, at the end.
    db.exec("SET CONSTRAINTS ALL DEFERRED");
    std::int64_t steps = 0;
    {
        sql::Statement rows(db, "SELECT tbl, op, old::text, new::text FROM undo_rows "
                                "WHERE log_id = ? ORDER BY seq DESC");
        rows.bind(1, entry.id);
        struct Row {
            std::string table, op, old_text, new_text;
        };
        std::vector<Row> all;
        while (rows.executeStep())
            all.push_back({rows.getColumn(0).getString(), rows.getColumn(1).getString(),
                           rows.getColumn(2).getString(), rows.getColumn(3).getString()});
        for (const Row& r : all) {
            put_back(db, entry, known_table(r.table), r.op, r.old_text, r.new_text);
            ++steps;
        }
    }
    sql::Statement touched(db, "SELECT count(*) FROM undo_rows WHERE log_id = ?");
    touched.bind(1, scratch);
    touched.executeStep();
    if (touched.getColumn(0).getInt64() != steps)
        refuse(entry, "rows added since refer to what it would remove");
    try {
        db.exec("SET CONSTRAINTS ALL IMMEDIATE");
    } catch (const DatabaseError&) {
        refuse(entry, "a row it would put back refers to one deleted since");
    }
    db.exec(fmt::format("SELECT set_config('followup.undo', '', true); "
                        "DELETE FROM undo_log WHERE id IN ({}, {})",
                        scratch, entry.id));
    return entry;
}

} // namespace followup::undo_pg
