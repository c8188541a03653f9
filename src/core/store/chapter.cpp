// The chapter's structures on PostgreSQL (include/followup/store/chapter.hpp): the members table,
// row ownership and row-level security. All of it is one idempotent init step on top of the
// schema of postgres.cpp (schema version 5 is unchanged, and SQLite has none of this).

#include "sql.hpp"
#include "values.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <followup/store/chapter.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <limits>
#include <regex>

namespace followup::chapter {
namespace {

/// The tables that hold a member's records. Each gets `owner` and the policy `followup_own`.
/// (The undo log too: each member undoes only their own commands.)
constexpr const char* owned_tables[] = {"events",    "contacts",     "contact_tags",    "referrals",
                                        "followups", "interactions", "referral_events", "reach",
                                        "undo_log",  "undo_rows"};

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

/// The referrals shared between members: readable by their giver and receiver only (and by the
/// ledger's function), written by the giver (a new one) and the receiver (its reports).
constexpr const char* shared_schema = R"sql(
CREATE TABLE IF NOT EXISTS chapter_referrals (
    id                BIGSERIAL PRIMARY KEY,
    uuid              TEXT    NOT NULL UNIQUE,
    giver             TEXT    NOT NULL DEFAULT current_user REFERENCES members(role),
    receiver          TEXT    NOT NULL REFERENCES members(role),
    prospect          TEXT    NOT NULL,
    email             TEXT    NOT NULL DEFAULT '',
    phone             TEXT    NOT NULL DEFAULT '',
    company           TEXT    NOT NULL DEFAULT '',
    note              TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'new' CHECK (status IN
                          ('new', 'contacted', 'met', 'won', 'lost', 'declined', 'passed')),
    amount            DOUBLE PRECISION,
    created           BIGINT  NOT NULL,
    updated           BIGINT  NOT NULL,
    giver_referral    BIGINT,
    receiver_referral BIGINT,
    giver_seen        BIGINT  NOT NULL DEFAULT 0,
    CHECK (giver <> receiver)
);
CREATE INDEX IF NOT EXISTS chapter_referrals_giver ON chapter_referrals(giver);
CREATE INDEX IF NOT EXISTS chapter_referrals_receiver ON chapter_referrals(receiver);
CREATE TABLE IF NOT EXISTS chapter_reports (
    id        BIGSERIAL PRIMARY KEY,
    referral  BIGINT  NOT NULL REFERENCES chapter_referrals(id) ON DELETE CASCADE,
    at        BIGINT  NOT NULL,
    status    TEXT    NOT NULL,
    note      TEXT    NOT NULL DEFAULT '',
    amount    DOUBLE PRECISION,
    author    TEXT    NOT NULL DEFAULT current_user
);
CREATE INDEX IF NOT EXISTS chapter_reports_referral ON chapter_reports(referral);
ALTER TABLE chapter_referrals ENABLE ROW LEVEL SECURITY;
ALTER TABLE chapter_referrals FORCE ROW LEVEL SECURITY;
ALTER TABLE chapter_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE chapter_reports FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS followup_parties ON chapter_referrals;
CREATE POLICY followup_parties ON chapter_referrals FOR SELECT
    USING (giver = current_user OR receiver = current_user OR current_user = 'followup_ledger');
DROP POLICY IF EXISTS followup_give ON chapter_referrals;
CREATE POLICY followup_give ON chapter_referrals FOR INSERT WITH CHECK (giver = current_user);
DROP POLICY IF EXISTS followup_report ON chapter_referrals;
CREATE POLICY followup_report ON chapter_referrals FOR UPDATE
    USING (giver = current_user OR receiver = current_user);
DROP POLICY IF EXISTS followup_parties ON chapter_reports;
CREATE POLICY followup_parties ON chapter_reports FOR SELECT
    USING (referral IN (SELECT id FROM chapter_referrals));
DROP POLICY IF EXISTS followup_report ON chapter_reports;
CREATE POLICY followup_report ON chapter_reports FOR INSERT WITH CHECK (author = current_user
    AND referral IN (SELECT id FROM chapter_referrals WHERE receiver = current_user));
)sql";

/// The chapter's ledger: a function every member may call that returns counts and sums only.
/// It runs as `followup_ledger`, a role nobody logs in as, which alone may read every member's
/// follow-ups and shared referrals (for the counts); the admin gives it the function and then
/// leaves the role again, so that the admin's own sessions see only the admin's rows.
constexpr const char* ledger_schema = R"sql(
DO $$ BEGIN
    CREATE ROLE followup_ledger NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT followup_ledger TO current_user;
GRANT USAGE, CREATE ON SCHEMA public TO followup_ledger;
GRANT SELECT ON members, followups, chapter_referrals TO followup_ledger;
DROP POLICY IF EXISTS followup_ledger ON followups;
CREATE POLICY followup_ledger ON followups FOR SELECT USING (current_user = 'followup_ledger');
CREATE OR REPLACE FUNCTION followup_ledger(since BIGINT)
RETURNS TABLE (role TEXT, name TEXT, given BIGINT, received BIGINT, one_to_ones BIGINT,
               credited DOUBLE PRECISION)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
SELECT m.role, m.name,
       (SELECT count(*) FROM chapter_referrals r WHERE r.giver = m.role AND r.created >= since),
       (SELECT count(*) FROM chapter_referrals r WHERE r.receiver = m.role AND r.created >= since),
       (SELECT count(*) FROM followups f WHERE f.owner = m.role AND f.status = 'done'
            AND f.kind IN ('meet', 'meeting') AND f.done_at >= since),
       (SELECT coalesce(sum(r.amount), 0) FROM chapter_referrals r
            WHERE r.giver = m.role AND r.status = 'won' AND r.updated >= since)
FROM members m ORDER BY m.role
$$;
ALTER FUNCTION followup_ledger(BIGINT) OWNER TO followup_ledger;
REVOKE ALL ON FUNCTION followup_ledger(BIGINT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION followup_ledger(BIGINT) TO current_user WITH GRANT OPTION;
REVOKE followup_ledger FROM current_user;
)sql";

/// What the server enforces on top of the policies (issue 32), for every member whatever client
/// they use. All of it is idempotent; `db init` runs it on every run, so that a chapter made by
/// an earlier followup gets it when its admin runs `db init` again (values kept: constraints
/// that existing rows might not meet are added NOT VALID, checked for every new row).
constexpr const char* guard_schema = R"sql(
-- Nobody but the admin creates anything here: no tables, functions or schemas of a member's
-- (to shadow followup's or to probe with), no temporary ones either; only members connect.
DO $$ BEGIN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN NULL; -- a schema the admin does not own (PG < 15)
END $$;
DO $$ BEGIN
    EXECUTE format('REVOKE CREATE, TEMPORARY, CONNECT ON DATABASE %I FROM PUBLIC',
                   current_database());
END $$;

-- Ids. A member does not write followup_ids: each id a member's row takes comes from
-- followup_member_id (SECURITY DEFINER: it runs as the admin, with a fixed search_path), which
-- moves the counter by one; a member may give an id (undo putting a row back) only up to the
-- counter, so that no member can take the ids every other member's next row would get.
CREATE OR REPLACE FUNCTION followup_member_id(tbl TEXT, wanted BIGINT) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    got BIGINT;
BEGIN
    IF wanted IS NULL THEN
        UPDATE followup_ids SET last = last + 1 WHERE name = tbl RETURNING last INTO got;
    ELSE
        SELECT CASE WHEN wanted <= last THEN wanted END INTO got
            FROM followup_ids WHERE name = tbl;
    END IF;
    IF got IS NULL THEN
        RAISE EXCEPTION 'ids of % are given by the server', tbl
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN got;
END $$;
REVOKE ALL ON FUNCTION followup_member_id(TEXT, BIGINT) FROM PUBLIC;
CREATE OR REPLACE FUNCTION followup_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key    TEXT := 'followup.id_' || TG_TABLE_NAME;
    cached TEXT;
    last   BIGINT;
BEGIN
    IF NOT has_table_privilege('public.followup_ids', 'UPDATE') THEN -- a member
        NEW.id := public.followup_member_id(TG_TABLE_NAME, NEW.id);
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RETURN NEW;
    END IF;
    cached := current_setting(key, true);
    IF cached IS NULL OR cached = '' THEN
        SELECT f.last INTO last FROM followup_ids f WHERE f.name = TG_TABLE_NAME FOR UPDATE;
    ELSE
        last := cached::bigint;
    END IF;
    IF NEW.id IS NULL THEN
        last := last + 1;
        NEW.id := last;
    ELSIF NEW.id > last THEN
        last := NEW.id;
    END IF;
    PERFORM set_config(key, last::text, true);
    RETURN NEW;
END $$;

-- The shared referrals' rules: the giver creates a new one (no status, amount or receiver's
-- side yet) and afterwards only marks the reports seen; the receiver moves the status, sets the
-- amount and takes it in; nobody rewrites who gave, who received or what was given. The owner
-- of the tables (the admin, a restore as the superuser) is not bound by them.
CREATE OR REPLACE FUNCTION followup_shared_rules() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                   'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.giver <> current_user OR NEW.status <> 'new' OR NEW.amount IS NOT NULL
           OR NEW.receiver_referral IS NOT NULL OR NEW.giver_seen <> 0 THEN
            RAISE EXCEPTION 'a shared referral is given new, by its giver'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.id, NEW.uuid, NEW.giver, NEW.receiver, NEW.prospect, NEW.email, NEW.phone,
        NEW.company, NEW.note, NEW.created)
       IS DISTINCT FROM (OLD.id, OLD.uuid, OLD.giver, OLD.receiver, OLD.prospect, OLD.email,
        OLD.phone, OLD.company, OLD.note, OLD.created) THEN
        RAISE EXCEPTION 'a shared referral''s parties and lead do not change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF current_user = OLD.receiver THEN
        IF (NEW.giver_referral, NEW.giver_seen) IS DISTINCT FROM
           (OLD.giver_referral, OLD.giver_seen) THEN
            RAISE EXCEPTION 'only the giver of a shared referral writes the giver''s side'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF current_user = OLD.giver THEN
        IF (NEW.status, NEW.amount, NEW.updated, NEW.receiver_referral, NEW.giver_referral) IS
           DISTINCT FROM (OLD.status, OLD.amount, OLD.updated, OLD.receiver_referral,
           OLD.giver_referral) OR NEW.giver_seen < OLD.giver_seen THEN
            RAISE EXCEPTION 'only the receiver of a shared referral reports on it'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSE
        RAISE EXCEPTION 'not a party to this shared referral'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER chapter_referrals_rules BEFORE INSERT OR UPDATE ON chapter_referrals
    FOR EACH ROW EXECUTE FUNCTION followup_shared_rules();
DO $$ BEGIN
    ALTER TABLE chapter_referrals ADD CONSTRAINT chapter_referrals_amount
        CHECK (amount >= 0) NOT VALID;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
DO $$ BEGIN
    ALTER TABLE chapter_reports ADD CONSTRAINT chapter_reports_amount
        CHECK (amount >= 0) NOT VALID;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
)sql";

/// Each reference between a member's rows, as (table, column, referenced table, on delete):
/// checked within the owner, by a foreign key on (owner, column), so that a reference to
/// another member's row fails exactly as one to no row.
struct Reference {
    const char* table;
    const char* column;
    const char* to;
    const char* on_delete;
};
constexpr Reference references[] = {
    {"contacts", "event_id", "events", "SET NULL (event_id)"},
    {"contacts", "referred_by", "contacts", "SET NULL (referred_by)"},
    {"contact_tags", "contact_id", "contacts", "CASCADE"},
    {"referrals", "referrer_id", "contacts", "SET NULL (referrer_id)"},
    {"referrals", "prospect_id", "contacts", "SET NULL (prospect_id)"},
    {"referrals", "member_id", "contacts", "SET NULL (member_id)"},
    {"referrals", "passed_from", "referrals", "SET NULL (passed_from)"},
    {"followups", "contact_id", "contacts", "CASCADE"},
    {"followups", "referral_id", "referrals", "SET NULL (referral_id)"},
    {"interactions", "contact_id", "contacts", "CASCADE"},
    {"interactions", "followup_id", "followups", "SET NULL (followup_id)"},
    {"referral_events", "referral_id", "referrals", "CASCADE"},
    {"reach", "contact_id", "contacts", "CASCADE"},
    {"undo_rows", "log_id", "undo_log", "CASCADE"},
};

/// The tables a reference points to: each gets a unique index on (owner, id).
constexpr const char* referenced_tables[] = {"events", "contacts", "referrals", "followups",
                                             "undo_log"};

/// The tables whose ids followup_ids gives (postgres.cpp's id_tables).
constexpr const char* id_tables[] = {"events",       "contacts",        "referrals", "followups",
                                     "interactions", "referral_events", "reach"};

/// The unique keys that name a referenced row: made unique per owner, so that a row pointing
/// at another member's row meets its foreign key (and fails there) before any duplicate.
constexpr const char* owned_keys = R"sql(
DROP INDEX IF EXISTS contact_tags_key;
CREATE UNIQUE INDEX IF NOT EXISTS contact_tags_owner_key ON contact_tags(owner, contact_id, lower(tag));
ALTER TABLE reach DROP CONSTRAINT IF EXISTS reach_contact_id_kind_position_key;
CREATE UNIQUE INDEX IF NOT EXISTS reach_owner_key ON reach(owner, contact_id, kind, position);
DROP INDEX IF EXISTS followups_one_reconnect;
CREATE UNIQUE INDEX IF NOT EXISTS followups_owner_one_reconnect ON followups(owner, contact_id)
    WHERE kind = 'reconnect' AND status = 'open';
)sql";

std::vector<std::string> roles_of(const std::vector<Member>& members) {
    std::vector<std::string> out;
    for (const auto& m : members)
        out.push_back(m.role);
    return out;
}

/// True when the database has the table.
bool has_table(sql::Connection& db, const char* table) {
    sql::Statement q(db, "SELECT to_regclass(?) IS NOT NULL");
    q.bind(1, table);
    q.executeStep();
    return q.getColumn(0).getInt() != 0;
}

/// True after `db init`.
bool chapter_ready(sql::Connection& db) {
    return has_table(db, "members");
}

/// Turns every reference between a member's rows into a foreign key on (owner, column): the
/// foreign keys on the column alone go (they are checked past the policies, so their errors told
/// a member which ids other members' rows have).
void own_references(sql::Connection& db) {
    for (const char* table : referenced_tables)
        db.exec(
            fmt::format("CREATE UNIQUE INDEX IF NOT EXISTS {0}_owner_id ON {0}(owner, id)", table));
    db.exec(owned_keys);
    for (const Reference& ref : references) {
        db.exec(fmt::format(
            "DO $$ DECLARE c record; BEGIN "
            "FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = '{0}'::regclass "
            "AND contype = 'f' AND conkey = ARRAY[(SELECT attnum FROM pg_attribute "
            "WHERE attrelid = '{0}'::regclass AND attname = '{1}')]::smallint[] LOOP "
            "EXECUTE format('ALTER TABLE {0} DROP CONSTRAINT %I', c.conname); END LOOP; "
            "IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '{0}'::regclass "
            "AND conname = '{0}_{1}_owned') THEN "
            "ALTER TABLE {0} ADD CONSTRAINT {0}_{1}_owned FOREIGN KEY (owner, {1}) "
            "REFERENCES {2}(owner, id) ON DELETE {3} DEFERRABLE NOT VALID; END IF; END $$",
            ref.table, ref.column, ref.to, ref.on_delete));
    }
    // A member's row keeps the id the server gave it (an UPDATE of the id is checked as an
    // INSERT with one is).
    for (const char* table : id_tables)
        db.exec(fmt::format("CREATE OR REPLACE TRIGGER {0}_id_kept BEFORE UPDATE OF id ON {0} "
                            "FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) "
                            "EXECUTE FUNCTION followup_id()",
                            table));
}

/// Gives a member exactly the privileges followup's commands need, and nothing else: their own
/// rows (through the policies), reading the members and the schema's version, the shared
/// referrals by column, the use (not the setting) of the sequences, and two functions.
void grant(sql::Connection& db, const std::string& role) {
    // The role name is checked (valid_role) before it gets here; DDL takes no parameters.
    if (!valid_role(role)) throw DatabaseError(fmt::format("invalid role name '{}'", role));
    const std::string r = fmt::format("\"{}\"", role);
    sql::Statement dbname(db, "SELECT current_database()");
    dbname.executeStep();
    std::string database = dbname.getColumn(0).getString();
    for (char c : database)
        if (c == '"') throw DatabaseError("the database's name holds a double quote");
    db.exec(fmt::format("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {0};"
                        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {0};"
                        "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {0};"
                        "GRANT CONNECT ON DATABASE \"{1}\" TO {0};"
                        "GRANT USAGE ON SCHEMA public TO {0};"
                        "GRANT SELECT ON followup_schema, members TO {0}",
                        r, database));
    for (const char* table : owned_tables) {
        if (std::string_view(table).rfind("undo_", 0) == 0) continue;
        db.exec(fmt::format("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}", table, r));
    }
    db.exec(fmt::format(
        "GRANT SELECT, DELETE, INSERT (at, command, barrier, owner), UPDATE (barrier) "
        "ON undo_log TO {0};"
        "GRANT SELECT, DELETE, INSERT (log_id, tbl, op, old, new, owner) ON undo_rows TO {0};"
        "GRANT SELECT, INSERT (uuid, receiver, prospect, email, phone, company, note, status, "
        "created, updated, giver_referral) ON chapter_referrals TO {0};"
        "GRANT UPDATE (status, amount, updated, receiver_referral, giver_seen) "
        "ON chapter_referrals TO {0};"
        "GRANT SELECT, INSERT (referral, at, status, note, amount) ON chapter_reports TO {0};"
        "GRANT USAGE ON SEQUENCE chapter_referrals_id_seq, chapter_reports_id_seq, "
        "undo_log_id_seq, undo_rows_seq_seq TO {0};"
        "GRANT EXECUTE ON FUNCTION followup_ledger(BIGINT), "
        "followup_member_id(TEXT, BIGINT) TO {0}",
        r));
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
        // A UUID is unique per member too (issue 31): a member imports another member's export
        // (the same people, the same UUIDs) as their own records, which only they see.
        for (const char* table : {"events", "contacts", "referrals", "followups", "interactions"})
            db.exec(fmt::format("ALTER TABLE {0} DROP CONSTRAINT IF EXISTS {0}_uuid_key;"
                                "CREATE UNIQUE INDEX IF NOT EXISTS {0}_owner_uuid "
                                "ON {0}(owner, uuid)",
                                table));
        db.exec(shared_schema);
        db.exec(ledger_schema);
        db.exec(guard_schema);
        own_references(db);
        // Each member's privileges as this version gives them (a chapter of an earlier
        // version gets them here).
        std::vector<std::string> roles;
        sql::Statement q(db, "SELECT role FROM members ORDER BY role");
        while (q.executeStep())
            roles.push_back(q.getColumn(0).getString());
        for (const auto& role : roles)
            grant(db, role);
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
        grant(db, role);
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

namespace {

using sql::bind_opt;
using sql::instant;
using sql::opt_double;
using sql::opt_id;
using sql::secs;

/// The columns of a shared referral, in the order read_shared() reads them.
constexpr const char* shared_select =
    "SELECT r.id, r.uuid, r.giver, r.receiver, coalesce(g.name, r.giver), "
    "coalesce(v.name, r.receiver), r.prospect, r.email, r.phone, r.company, r.note, r.status, "
    "r.amount, r.created, r.updated, r.giver_referral, r.receiver_referral "
    "FROM chapter_referrals r LEFT JOIN members g ON g.role = r.giver "
    "LEFT JOIN members v ON v.role = r.receiver";

std::vector<SharedReferral> read_shared(sql::Statement& q) {
    std::vector<SharedReferral> out;
    while (q.executeStep()) {
        SharedReferral r;
        r.id = q.getColumn(0).getInt64();
        r.uuid = q.getColumn(1).getString();
        r.giver = q.getColumn(2).getString();
        r.receiver = q.getColumn(3).getString();
        r.giver_name = q.getColumn(4).getString();
        r.receiver_name = q.getColumn(5).getString();
        r.prospect = q.getColumn(6).getString();
        r.email = q.getColumn(7).getString();
        r.phone = q.getColumn(8).getString();
        r.company = q.getColumn(9).getString();
        r.note = q.getColumn(10).getString();
        r.status = q.getColumn(11).getString();
        r.amount = opt_double(q.getColumn(12));
        r.created = instant(q.getColumn(13).getInt64());
        r.updated = instant(q.getColumn(14).getInt64());
        r.giver_referral = opt_id(q.getColumn(15));
        r.receiver_referral = opt_id(q.getColumn(16));
        out.push_back(std::move(r));
    }
    return out;
}

/// True when the database has the shared referrals (db init of this version).
bool sharing(sql::Connection& db) {
    return has_table(db, "chapter_referrals");
}

} // namespace

std::optional<Member> me(Repository& repo) {
    if (!repo.on_server()) return std::nullopt;
    if (!sharing(repo.connection())) return std::nullopt;
    sql::Statement who(repo.connection(),
                       "SELECT role, name FROM members WHERE role = current_user");
    if (!who.executeStep()) return std::nullopt;
    return Member{who.getColumn(0).getString(), who.getColumn(1).getString()};
}

std::optional<Pending> pending(Repository& repo, bool lock) {
    std::optional<Member> m = me(repo);
    if (!m) return std::nullopt;
    sql::Connection& db = repo.connection();
    Pending p;
    p.me = *m;
    const std::string& role = m->role;
    // Locked, a second command of the same member waits, and then finds them taken in.
    const char* for_update = lock ? " FOR UPDATE OF r" : "";
    sql::Statement in(db, fmt::format("{} WHERE r.receiver = ? AND r.receiver_referral IS NULL "
                                      "ORDER BY r.id{}",
                                      shared_select, for_update));
    in.bind(1, role);
    p.incoming = read_shared(in);
    sql::Statement reports(
        db, fmt::format("SELECT s.id, s.referral, r.giver_referral, s.at, s.status, s.note, "
                        "s.amount FROM chapter_reports s JOIN chapter_referrals r ON r.id = "
                        "s.referral WHERE r.giver = ? AND s.id > r.giver_seen ORDER BY s.id{}",
                        for_update));
    reports.bind(1, role);
    while (reports.executeStep()) {
        SharedReport s;
        s.id = reports.getColumn(0).getInt64();
        s.shared_id = reports.getColumn(1).getInt64();
        s.giver_referral = opt_id(reports.getColumn(2));
        s.at = instant(reports.getColumn(3).getInt64());
        s.status = reports.getColumn(4).getString();
        s.note = reports.getColumn(5).getString();
        s.amount = opt_double(reports.getColumn(6));
        p.reports.push_back(std::move(s));
    }
    return p;
}

std::optional<Member> find_member(Repository& repo, const std::string& ref) {
    if (!repo.on_server()) return std::nullopt;
    sql::Connection& db = repo.connection();
    if (!chapter_ready(db)) return std::nullopt;
    sql::Statement q(db, "SELECT role, name FROM members WHERE role = ? OR lower(name) = lower(?) "
                         "ORDER BY role = ? DESC, role");
    q.bind(1, ref);
    q.bind(2, ref);
    q.bind(3, ref);
    std::vector<Member> found;
    while (q.executeStep())
        found.push_back({q.getColumn(0).getString(), q.getColumn(1).getString()});
    if (found.empty()) return std::nullopt;
    if (found.size() > 1 && found[0].role != ref)
        throw Ambiguous(
            fmt::format("'{}' is the name of {} members: give the role", ref, found.size()),
            roles_of(found));
    return found.front();
}

void share(Repository& repo, SharedReferral& r) {
    sql::Connection& db = repo.connection();
    if (!sharing(db))
        throw UsageError("this chapter was set up by an older followup: run `followup db init` "
                         "again (as the database's owner) to share referrals");
    if (r.uuid.empty()) r.uuid = text::uuid4();
    sql::Statement q(db, "INSERT INTO chapter_referrals (uuid, receiver, prospect, email, phone, "
                         "company, note, status, created, updated, giver_referral) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?) RETURNING id, giver");
    q.bind(1, r.uuid);
    q.bind(2, r.receiver);
    q.bind(3, r.prospect);
    q.bind(4, r.email);
    q.bind(5, r.phone);
    q.bind(6, r.company);
    q.bind(7, r.note);
    q.bind(8, secs(r.created));
    q.bind(9, secs(r.created));
    bind_opt(q, 10, r.giver_referral);
    q.executeStep();
    r.id = q.getColumn(0).getInt64();
    r.giver = q.getColumn(1).getString();
}

void take_in(Repository& repo, Id shared_id, Id receiver_referral) {
    sql::Statement q(repo.connection(),
                     "UPDATE chapter_referrals SET receiver_referral = ? WHERE id = ?");
    q.bind(1, receiver_referral);
    q.bind(2, shared_id);
    q.exec();
}

void seen(Repository& repo, Id shared_id, Id report_id) {
    sql::Statement q(repo.connection(), "UPDATE chapter_referrals SET giver_seen = ? WHERE id = ? "
                                        "AND giver_seen < ?");
    q.bind(1, report_id);
    q.bind(2, shared_id);
    q.bind(3, report_id);
    q.exec();
}

std::optional<SharedReferral> shared_of(Repository& repo, Id own_referral) {
    if (!repo.on_server()) return std::nullopt;
    sql::Connection& db = repo.connection();
    if (!sharing(db)) return std::nullopt;
    sql::Statement q(db, fmt::format("{} WHERE (r.giver = current_user AND r.giver_referral = ?) "
                                     "OR (r.receiver = current_user AND r.receiver_referral = ?)",
                                     shared_select));
    q.bind(1, own_referral);
    q.bind(2, own_referral);
    auto rows = read_shared(q);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

void report(Repository& repo, Id shared_id, const std::string& status, std::optional<double> amount,
            const std::string& note, Instant at) {
    sql::Connection& db = repo.connection();
    sql::Statement u(db, "UPDATE chapter_referrals SET status = ?, amount = coalesce(?, amount), "
                         "updated = ? WHERE id = ? AND receiver = current_user");
    u.bind(1, status);
    bind_opt(u, 2, amount);
    u.bind(3, secs(at));
    u.bind(4, shared_id);
    if (u.exec() != 1)
        throw DatabaseError(fmt::format("shared referral {} is not one you received", shared_id));
    sql::Statement s(db, "INSERT INTO chapter_reports (referral, at, status, note, amount) "
                         "VALUES (?, ?, ?, ?, ?)");
    s.bind(1, shared_id);
    s.bind(2, secs(at));
    s.bind(3, status);
    s.bind(4, note);
    bind_opt(s, 5, amount);
    s.exec();
}

std::vector<LedgerLine> ledger(Repository& repo, std::optional<Instant> since) {
    sql::Connection& db = server(repo, "referrals --chapter");
    if (!chapter_ready(db) || !sharing(db))
        throw UsageError("this database has no chapter yet; run `followup db init` first");
    sql::Statement q(db, "SELECT role, name, given, received, one_to_ones, credited "
                         "FROM followup_ledger(?)");
    q.bind(1, since ? secs(*since) : std::numeric_limits<std::int64_t>::min());
    std::vector<LedgerLine> out;
    while (q.executeStep()) {
        LedgerLine l;
        l.member = {q.getColumn(0).getString(), q.getColumn(1).getString()};
        l.given = q.getColumn(2).getInt();
        l.received = q.getColumn(3).getInt();
        l.one_to_ones = q.getColumn(4).getInt();
        l.credited = q.getColumn(5).getDouble();
        out.push_back(std::move(l));
    }
    return out;
}

} // namespace followup::chapter
