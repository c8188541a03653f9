// The chapter's structures on PostgreSQL (include/followup/chapter.hpp): the members table,
// row ownership and row-level security. All of it is one idempotent init step on top of the
// schema of postgres.cpp (schema version 5 is unchanged, and SQLite has none of this).

#include "sql.hpp"

#include <fmt/format.h>
#include <followup/chapter.hpp>
#include <followup/errors.hpp>
#include <regex>

namespace followup::chapter {
namespace {

/// The tables that hold a member's records. Each gets `owner` and the policy `followup_own`.
constexpr const char* owned_tables[] = {"events",    "contacts",     "contact_tags",    "referrals",
                                        "followups", "interactions", "referral_events", "reach"};

sql::Connection& server(Repository& repo, const char* what) {
    if (!repo.on_server())
        throw UsageError(fmt::format("{} is only for a PostgreSQL database (--db "
                                     "postgresql://...); a SQLite file has one user and needs "
                                     "no chapter",
                                     what));
    return repo.connection();
}

/// Runs `fn` in one transaction, rolled back when it throws.
template <class F> void in_transaction(sql::Connection& db, F&& fn) {
    db.begin(true);
    try {
        fn();
        db.commit();
    } catch (...) {
        db.rollback();
        throw;
    }
}

bool chapter_ready(sql::Connection& db) {
    sql::Statement q(db, "SELECT to_regclass('members') IS NOT NULL");
    q.executeStep();
    return q.getColumn(0).getInt() != 0;
}

} // namespace

bool valid_role(const std::string& role) {
    static const std::regex plain("[a-z_][a-z0-9_]{0,62}");
    return std::regex_match(role, plain);
}

void init(Repository& repo) {
    sql::Connection& db = server(repo, "db init");
    in_transaction(db, [&] {
        // One init at a time (the same lock as the schema's creation in postgres.cpp).
        db.exec("SELECT pg_advisory_xact_lock(4242)");
        db.exec("CREATE TABLE IF NOT EXISTS members (role TEXT PRIMARY KEY, name TEXT NOT NULL)");
        for (const char* table : owned_tables) {
            // Rows written before the init belong to whoever runs it (the chapter's admin):
            // current_user is evaluated once for them.
            db.exec(fmt::format(
                "ALTER TABLE {0} ADD COLUMN IF NOT EXISTS owner TEXT NOT NULL DEFAULT current_user;"
                "CREATE INDEX IF NOT EXISTS {0}_owner ON {0}(owner);"
                "ALTER TABLE {0} ENABLE ROW LEVEL SECURITY;"
                "ALTER TABLE {0} FORCE ROW LEVEL SECURITY;"
                "DROP POLICY IF EXISTS followup_own ON {0};"
                "CREATE POLICY followup_own ON {0} USING (owner = current_user) "
                "WITH CHECK (owner = current_user)",
                table));
        }
        // An event's name is unique per member, not across the chapter (two members may both
        // go to "Chamber breakfast"); the constraint of schema 5 becomes (owner, name_key).
        db.exec("ALTER TABLE events DROP CONSTRAINT IF EXISTS events_name_key_key;"
                "CREATE UNIQUE INDEX IF NOT EXISTS events_owner_name_key "
                "ON events(owner, name_key)");
    });
}

void add_member(Repository& repo, const std::string& role, const std::string& name, bool& created) {
    sql::Connection& db = server(repo, "member add");
    if (!valid_role(role))
        throw UsageError(fmt::format("invalid role name '{}': use lower-case letters, digits "
                                     "and _ (at most 63, not starting with a digit)",
                                     role));
    if (name.empty()) throw UsageError("a member needs a --name");
    if (!chapter_ready(db))
        throw UsageError("this database has no chapter yet; run `followup db init` first");
    in_transaction(db, [&] {
        sql::Statement exists(db, "SELECT count(*) FROM pg_roles WHERE rolname = ?");
        exists.bind(1, role);
        exists.executeStep();
        created = exists.getColumn(0).getInt() == 0;
        // The role name is checked above (valid_role), so quoting it as an identifier is safe;
        // DDL takes no bound parameters.
        const std::string r = fmt::format("\"{}\"", role);
        db.exec((created ? "CREATE ROLE " : "ALTER ROLE ") + r + " LOGIN");
        sql::Statement dbname(db, "SELECT current_database()");
        dbname.executeStep();
        std::string database = dbname.getColumn(0).getString();
        for (char c : database)
            if (c == '"') throw DatabaseError("the database's name holds a double quote");
        db.exec(fmt::format("GRANT CONNECT ON DATABASE \"{0}\" TO {1}", database, r));
        db.exec(fmt::format("GRANT USAGE ON SCHEMA public TO {0};"
                            "GRANT SELECT ON followup_schema, members TO {0};"
                            "GRANT SELECT, UPDATE ON followup_ids TO {0}",
                            r));
        for (const char* table : owned_tables)
            db.exec(fmt::format("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}", table, r));
        sql::Statement add(db, "INSERT INTO members (role, name) VALUES (?, ?) "
                               "ON CONFLICT (role) DO UPDATE SET name = excluded.name");
        add.bind(1, role);
        add.bind(2, name);
        add.exec();
    });
}

std::vector<Member> members(Repository& repo) {
    sql::Connection& db = server(repo, "member list");
    std::vector<Member> out;
    if (!chapter_ready(db)) return out;
    sql::Statement q(db, "SELECT role, name FROM members ORDER BY role");
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString()});
    return out;
}

} // namespace followup::chapter
