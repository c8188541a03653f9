// The PostgreSQL driver of the store, over libpq: the connection, the schema (created on an
// empty database, versioned in the table followup_schema), and statements whose SQL is written
// once for both engines (see sql.hpp): `?` and `:name` become $1, $2, ..., and the few
// functions SQLite names differently are renamed on the way.

#include "sql.hpp"
#include "undo_pg.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <dlfcn.h>
#include <fmt/format.h>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <initializer_list>
#include <followup/util/text.hpp>
#include <libpq-fe.h>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <type_traits>
#include <vector>

namespace followup::sql {
namespace {

/// libpq, opened when a PostgreSQL database is first used (dlopen): a command on a SQLite file
/// does not load it and the dozen libraries it needs (TLS, Kerberos, LDAP) at start-up.
struct LibPq {
    decltype(&::PQconnectdb) connectdb{};
    decltype(&::PQstatus) status{};
    decltype(&::PQerrorMessage) errorMessage{};
    decltype(&::PQfinish) finish{};
    decltype(&::PQexec) exec{};
    decltype(&::PQexecParams) execParams{};
    decltype(&::PQresultStatus) resultStatus{};
    decltype(&::PQresultErrorMessage) resultErrorMessage{};
    decltype(&::PQclear) clear{};
    decltype(&::PQntuples) ntuples{};
    decltype(&::PQgetvalue) getvalue{};
    decltype(&::PQgetisnull) getisnull{};
    decltype(&::PQgetlength) getlength{};
    decltype(&::PQcmdTuples) cmdTuples{};
    decltype(&::PQconninfoParse) conninfoParse{};
    decltype(&::PQconninfoFree) conninfoFree{};
    decltype(&::PQfreemem) freemem{};
    decltype(&::PQsetNoticeProcessor) setNoticeProcessor{};
    decltype(&::PQresultErrorField) resultErrorField{};
};

const LibPq& pq() {
    static const LibPq lib = [] {
        LibPq l;
        void* h = ::dlopen(FOLLOWUP_LIBPQ, RTLD_NOW | RTLD_LOCAL);
        if (h == nullptr)
            throw DatabaseError(fmt::format("cannot use a PostgreSQL database: {} is missing "
                                            "(install the package libpq5)",
                                            FOLLOWUP_LIBPQ));
        auto load = [h](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(h, name));
            if (fn == nullptr)
                throw DatabaseError(fmt::format("cannot use a PostgreSQL database: {} has no {}",
                                                FOLLOWUP_LIBPQ, name));
        };
        load(l.connectdb, "PQconnectdb");
        load(l.status, "PQstatus");
        load(l.errorMessage, "PQerrorMessage");
        load(l.finish, "PQfinish");
        load(l.exec, "PQexec");
        load(l.execParams, "PQexecParams");
        load(l.resultStatus, "PQresultStatus");
        load(l.resultErrorMessage, "PQresultErrorMessage");
        load(l.clear, "PQclear");
        load(l.ntuples, "PQntuples");
        load(l.getvalue, "PQgetvalue");
        load(l.getisnull, "PQgetisnull");
        load(l.getlength, "PQgetlength");
        load(l.cmdTuples, "PQcmdTuples");
        load(l.conninfoParse, "PQconninfoParse");
        load(l.conninfoFree, "PQconninfoFree");
        load(l.freemem, "PQfreemem");
        load(l.setNoticeProcessor, "PQsetNoticeProcessor");
        load(l.resultErrorField, "PQresultErrorField");
        return l;
    }();
    return lib;
}

constexpr unsigned int int8_oid = 20, float8_oid = 701, text_oid = 25;

/// The schema of followup_schema version 5, as schema.hpp builds it on SQLite (ids: see
/// followup_id).
constexpr const char* schema_v5 = R"sql(
CREATE TABLE followup_schema (version INTEGER NOT NULL);

-- Every foreign key is DEFERRABLE (INITIALLY IMMEDIATE, as on SQLite) so that `undo` can put
-- rows back in the order they were recorded and have them checked at its end.

-- Ids as SQLite's AUTOINCREMENT gives them: the next of a counter per table that only grows,
-- so an id is never used twice, even after a delete; unlike a sequence, the counter rolls back
-- with the transaction (a dry run or a failed command leaves the next id as it was). A row
-- inserted with its own id (a restore, a copy) moves the counter past it.
--
-- The first insert of a transaction into a table locks its counter row (so two transactions
-- never hand out one id) and keeps the counter in a transaction-local setting; each insert
-- then moves only that setting, and a deferred trigger writes the counter back once, at
-- commit. (An UPDATE of the counter row for every insert left a new version of that row per
-- insert, each the next one had to walk past: a copy of 600,000 rows never finished.)
CREATE TABLE followup_ids (name TEXT PRIMARY KEY, last BIGINT NOT NULL);
CREATE FUNCTION followup_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key    TEXT := 'followup.id_' || TG_TABLE_NAME;
    cached TEXT := current_setting(key, true);
    last   BIGINT;
BEGIN
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
CREATE FUNCTION followup_ids_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key    TEXT := 'followup.id_' || TG_TABLE_NAME;
    cached TEXT := current_setting(key, true);
BEGIN
    IF cached IS NOT NULL AND cached <> '' THEN
        UPDATE followup_ids SET last = greatest(last, cached::bigint) WHERE name = TG_TABLE_NAME;
        PERFORM set_config(key, '', true);
    END IF;
    RETURN NULL;
END $$;

-- fold(text): case- and accent-insensitive form, for searches (text::fold on SQLite; this
-- covers Latin-1 and Latin Extended-A, Greek and Cyrillic capitals through lower()).
CREATE FUNCTION fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
SELECT translate(lower(t),
  'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž',
  'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnoooooooooorrrsssstttuuuuuuuuuuwyyyzzz')
$$;

CREATE TABLE events (
    id          BIGINT PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    on_date     TEXT,
    place       TEXT    NOT NULL DEFAULT '',
    created     BIGINT  NOT NULL
);

CREATE TABLE contacts (
    id          BIGINT PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    company     TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL DEFAULT '',
    channel     TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    birthday    TEXT    NOT NULL DEFAULT '',
    event_id    BIGINT REFERENCES events(id) ON DELETE SET NULL DEFERRABLE,
    met         BIGINT,
    referred_by BIGINT REFERENCES contacts(id) ON DELETE SET NULL DEFERRABLE,
    every_days  INTEGER,
    last_touch  BIGINT,
    archived    INTEGER NOT NULL DEFAULT 0,
    created     BIGINT  NOT NULL
);
CREATE INDEX contacts_event ON contacts(event_id);
CREATE INDEX contacts_referred_by ON contacts(referred_by);
CREATE INDEX contacts_name_key ON contacts(name_key);

CREATE TABLE contact_tags (
    contact_id  BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE DEFERRABLE,
    tag         TEXT   NOT NULL
);
CREATE UNIQUE INDEX contact_tags_key ON contact_tags(contact_id, lower(tag));
CREATE INDEX contact_tags_tag ON contact_tags(lower(tag));

CREATE TABLE referrals (
    id          BIGINT PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    direction   TEXT    NOT NULL CHECK (direction IN ('received', 'given')),
    referrer_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL DEFERRABLE,
    prospect_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL DEFERRABLE,
    member_id   BIGINT REFERENCES contacts(id) ON DELETE SET NULL DEFERRABLE,
    status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN
                ('new', 'contacted', 'met', 'won', 'lost', 'declined', 'passed')),
    amount      DOUBLE PRECISION,
    note        TEXT    NOT NULL DEFAULT '',
    created     BIGINT  NOT NULL,
    updated     BIGINT  NOT NULL,
    passed_from BIGINT REFERENCES referrals(id) ON DELETE SET NULL DEFERRABLE
);
CREATE INDEX referrals_referrer ON referrals(referrer_id);
CREATE INDEX referrals_prospect ON referrals(prospect_id);
CREATE INDEX referrals_member ON referrals(member_id);

CREATE TABLE followups (
    id           BIGINT PRIMARY KEY,
    uuid         TEXT    NOT NULL UNIQUE,
    contact_id   BIGINT  NOT NULL REFERENCES contacts(id) ON DELETE CASCADE DEFERRABLE,
    kind         TEXT    NOT NULL CHECK (kind IN ('note', 'connect', 'meet', 'referral',
                 'report', 'thank', 'checkin', 'promise', 'waiting', 'reconnect', 'birthday',
                 'custom', 'meeting')),
    title        TEXT    NOT NULL,
    due          BIGINT  NOT NULL,
    original_due BIGINT  NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    referral_id  BIGINT REFERENCES referrals(id) ON DELETE SET NULL DEFERRABLE,
    created      BIGINT  NOT NULL,
    done_at      BIGINT,
    note         TEXT    NOT NULL DEFAULT '',
    campaign     TEXT    NOT NULL DEFAULT '',
    place        TEXT    NOT NULL DEFAULT '',
    length       BIGINT,
    channel      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX followups_open_due ON followups(due) WHERE status = 'open';
CREATE INDEX followups_contact ON followups(contact_id, status);
CREATE INDEX followups_referral ON followups(referral_id) WHERE referral_id IS NOT NULL;
CREATE UNIQUE INDEX followups_one_reconnect ON followups(contact_id)
    WHERE kind = 'reconnect' AND status = 'open';

CREATE TABLE interactions (
    id          BIGINT PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    contact_id  BIGINT  NOT NULL REFERENCES contacts(id) ON DELETE CASCADE DEFERRABLE,
    at          BIGINT  NOT NULL,
    channel     TEXT    NOT NULL DEFAULT '',
    direction   TEXT    NOT NULL DEFAULT 'out' CHECK (direction IN ('in', 'out')),
    note        TEXT    NOT NULL DEFAULT '',
    followup_id BIGINT REFERENCES followups(id) ON DELETE SET NULL DEFERRABLE,
    created     BIGINT  NOT NULL,
    chase       INTEGER NOT NULL DEFAULT 0,
    campaign    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX interactions_contact_at ON interactions(contact_id, at);
CREATE INDEX interactions_followup ON interactions(followup_id) WHERE followup_id IS NOT NULL;
CREATE INDEX interactions_campaign ON interactions(campaign) WHERE campaign <> '';

CREATE TABLE referral_events (
    id          BIGINT PRIMARY KEY,
    referral_id BIGINT NOT NULL REFERENCES referrals(id) ON DELETE CASCADE DEFERRABLE,
    status      TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, at);

CREATE TABLE reach (
    id          BIGINT PRIMARY KEY,
    contact_id  BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE DEFERRABLE,
    kind        TEXT    NOT NULL CHECK (kind IN ('email', 'phone', 'address', 'profile')),
    position    INTEGER NOT NULL,
    value       TEXT    NOT NULL,
    label       TEXT    NOT NULL DEFAULT '',
    network     TEXT    NOT NULL DEFAULT '',
    UNIQUE (contact_id, kind, position)
);
CREATE INDEX reach_value ON reach(kind, lower(value));

-- The undo log: a write transaction that names its command gets a row of undo_log and keeps
-- its id in the transaction-local setting followup.undo; while it is set, a trigger on every
-- table of records keeps each row's before- and after-image in undo_rows (what SQLite's session
-- extension records there). `undo` puts the before-images back, newest first.
CREATE TABLE undo_log (
    id          BIGSERIAL PRIMARY KEY,
    at          BIGINT  NOT NULL,
    command     TEXT    NOT NULL,
    barrier     BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE undo_rows (
    log_id      BIGINT  NOT NULL REFERENCES undo_log(id) ON DELETE CASCADE,
    seq         BIGSERIAL,
    tbl         TEXT    NOT NULL,
    op          TEXT    NOT NULL CHECK (op IN ('I', 'U', 'D')),
    old         JSONB,
    new         JSONB,
    PRIMARY KEY (log_id, seq)
);
CREATE FUNCTION followup_undo_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    log TEXT := current_setting('followup.undo', true);
BEGIN
    IF log IS NULL OR log = '' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD IS NOT DISTINCT FROM NEW THEN
            RETURN NULL;
        END IF;
        INSERT INTO undo_rows (log_id, tbl, op, old, new)
            VALUES (log::bigint, TG_TABLE_NAME, 'U', to_jsonb(OLD), to_jsonb(NEW));
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO undo_rows (log_id, tbl, op, new)
            VALUES (log::bigint, TG_TABLE_NAME, 'I', to_jsonb(NEW));
    ELSE
        INSERT INTO undo_rows (log_id, tbl, op, old)
            VALUES (log::bigint, TG_TABLE_NAME, 'D', to_jsonb(OLD));
    END IF;
    RETURN NULL;
END $$;
)sql";

constexpr const char* id_tables[] = {"events",       "contacts",        "referrals", "followups",
                                     "interactions", "referral_events", "reach"};

/// libpq's message as one line: its first line without the "ERROR:  " or "FATAL:  " severity,
/// then libpq's own hint for it (the tab-indented lines that follow, such as "Is the server
/// running locally and accepting connections on that socket?") and the server's "HINT:  "
/// line, each after "; ". A server's DETAIL (it may quote other rows' values), its CONTEXT and
/// the attempts at other addresses that follow a connection failure are left out.
std::string one_line(const char* message) {
    std::string_view all = message ? message : "";
    std::string out;
    bool first = true, after_first = true, continued = false;
    auto strip = [](std::string_view line, std::initializer_list<std::string_view> prefixes) {
        for (auto prefix : prefixes)
            if (line.starts_with(prefix)) return std::pair{true, line.substr(prefix.size())};
        return std::pair{false, line};
    };
    while (!all.empty()) {
        auto nl = all.find('\n');
        std::string_view line = all.substr(0, nl);
        all = nl == std::string_view::npos ? std::string_view{} : all.substr(nl + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (line.empty()) continue;
        if (first) {
            out = std::string(strip(line, {"ERROR:  ", "FATAL:  ", "PANIC:  "}).second);
            // libpq quotes the server's refusal of a connection inside its own sentence
            // ("...failed: FATAL:  the database system is starting up").
            for (std::string_view severity : {": FATAL:  ", ": ERROR:  "})
                if (auto at = out.find(severity); at != std::string::npos)
                    out.replace(at, severity.size(), ": ");
            first = false;
            continue;
        }
        bool indented = line.front() == '\t' || line.front() == ' ';
        if (!indented) after_first = false; // a new paragraph: only a HINT is taken from here on
        auto [hint, text] = strip(line, {"HINT:  "});
        if (hint || (indented && after_first)) {
            while (!text.empty() && (text.front() == '\t' || text.front() == ' '))
                text.remove_prefix(1);
            // libpq wraps one sentence over several indented lines: they join with a space.
            if (!text.empty()) out += fmt::format("{}{}", hint || !continued ? "; " : " ", text);
            continued = indented && !hint;
        } else {
            continued = false;
        }
    }
    return out;
}

/// What libpq reports outside a command (a server's FATAL as it shuts a session down, a
/// NOTICE): kept by the connection for its next error, never printed. libpq's own notice
/// processor writes them to stderr, a raw line before followup's own.
void keep_notice(void* last, const char* message) {
    *static_cast<std::string*>(last) = one_line(message);
}

/// The SQL of sql.hpp's common dialect, as PostgreSQL reads it.
struct Translated {
    std::string sql;
    std::map<std::string, int, std::less<>> names; ///< :name -> $n
    int count{};
    std::string insert_table; ///< INSERT INTO a table with ids: RETURNING id is appended
};

Translated translate(std::string_view in) {
    static const std::vector<std::pair<std::regex, std::string>> renames{
        {std::regex(R"(json_group_array\(json_array\()"), "json_agg(json_build_array("},
        {std::regex(R"(\bgroup_concat\()"), "string_agg("},
        {std::regex(R"(\bchar\(31\))"), "chr(31)"},
        {std::regex(R"(\binstr\()"), "strpos("},
        {std::regex(R"(SELECT value FROM json_each\(\$(\d+)\))"),
         "SELECT value::bigint FROM json_array_elements_text($$$1::json)"},
        {std::regex(R"(\bdate\(([a-z_.]+), 'unixepoch'\))"),
         "to_char(to_timestamp($1) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"},
    };
    Translated t;
    std::string out;
    out.reserve(in.size() + 16);
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '\'' || c == '"') { // a literal or a quoted name: copied as it is
            std::size_t end = in.find(c, i + 1);
            if (end == std::string_view::npos) end = in.size() - 1;
            out.append(in.substr(i, end - i + 1));
            i = end;
        } else if (c == '?') {
            out += fmt::format("${}", ++t.count);
        } else if (c == ':' && i + 1 < in.size() && in[i + 1] == ':') {
            out += "::";
            ++i;
        } else if (c == ':' && i + 1 < in.size() &&
                   (std::isalpha(static_cast<unsigned char>(in[i + 1])) || in[i + 1] == '_')) {
            std::size_t end = i + 1;
            while (end < in.size() &&
                   (std::isalnum(static_cast<unsigned char>(in[end])) || in[end] == '_'))
                ++end;
            std::string name(in.substr(i, end - i));
            auto [it, added] = t.names.try_emplace(name, t.count + 1);
            if (added) ++t.count;
            out += fmt::format("${}", it->second);
            i = end - 1;
        } else {
            out += c;
        }
    }
    for (const auto& [re, to] : renames)
        out = std::regex_replace(out, re, to);
    std::smatch m;
    static const std::regex insert(R"(^\s*INSERT INTO ([a-z_]+))");
    if (std::regex_search(out, m, insert) && out.find("RETURNING") == std::string::npos)
        for (const char* table : id_tables)
            if (m[1] == table) {
                t.insert_table = table;
                out += " RETURNING id";
            }
    t.sql = std::move(out);
    return t;
}

class PgConnection;

class PgStatement final : public StatementImpl {
public:
    PgStatement(PgConnection& db, std::string_view sql);
    ~PgStatement() override { clear_result(); }
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    int parameter_index(std::string_view name) override {
        auto it = t_.names.find(name);
        if (it == t_.names.end())
            throw DatabaseError(fmt::format("internal: no parameter {}", name));
        return it->second;
    }
    int parameter_count() override { return t_.count; }
    void bind_int(int i, std::int64_t v) override { set(i, std::to_string(v), int8_oid); }
    void bind_double(int i, double v) override { set(i, fmt::format("{:.17g}", v), float8_oid); }
    void bind_text(int i, std::string_view v) override { set(i, std::string(v), text_oid); }
    void bind_null(int i) override {
        slot(i) = std::nullopt;
        types_[static_cast<std::size_t>(i - 1)] = 0;
    }
    bool step() override;
    int changes() override { return changes_; }
    void reset() override {
        clear_result();
        ran_ = false;
    }
    void clear_bindings() override {
        for (auto& v : values_)
            v = std::nullopt;
        for (auto& ty : types_)
            ty = 0;
    }
    bool is_null(int c) override { return pq().getisnull(result_, row_, c) != 0; }
    std::int64_t get_int(int c) override {
        if (is_null(c)) return 0;
        const char* v = pq().getvalue(result_, row_, c);
        if (v[0] == 't' && v[1] == '\0') return 1;
        if (v[0] == 'f' && v[1] == '\0') return 0;
        return std::strtoll(v, nullptr, 10);
    }
    double get_double(int c) override {
        return is_null(c) ? 0.0 : std::strtod(pq().getvalue(result_, row_, c), nullptr);
    }
    std::string get_text(int c) override {
        if (is_null(c)) return {};
        return {pq().getvalue(result_, row_, c),
                static_cast<std::size_t>(pq().getlength(result_, row_, c))};
    }

private:
    std::optional<std::string>& slot(int i) {
        if (i < 1 || i > t_.count) throw DatabaseError(fmt::format("internal: no parameter {}", i));
        return values_[static_cast<std::size_t>(i - 1)];
    }
    void set(int i, std::string v, unsigned int type) {
        slot(i) = std::move(v);
        types_[static_cast<std::size_t>(i - 1)] = type;
    }
    void clear_result() {
        if (result_) pq().clear(result_);
        result_ = nullptr;
    }

    PgConnection& db_;
    Translated t_;
    std::vector<std::optional<std::string>> values_;
    std::vector<unsigned int> types_;
    PGresult* result_{};
    bool ran_{};
    int row_{-1};
    int changes_{};
};

class PgConnection final : public Connection {
public:
    PgConnection(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {
        pq().setNoticeProcessor(conn_, keep_notice, &notice_);
    }
    ~PgConnection() override { pq().finish(conn_); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    [[nodiscard]] Dialect dialect() const override { return Dialect::postgres; }
    std::unique_ptr<StatementImpl> prepare(std::string_view sql) override {
        return std::make_unique<PgStatement>(*this, sql);
    }
    void exec(std::string_view sql) override {
        notice_.clear();
        PGresult* r = pq().exec(conn_, std::string(sql).c_str());
        check(r);
        pq().clear(r);
    }
    std::int64_t last_insert_id() override { return last_id_; }
    void begin(bool) override { exec("BEGIN"); }
    void commit() override { exec("COMMIT"); }
    void rollback() override { exec("ROLLBACK"); }
    int stored_version() override;
    /// Whether this role may upgrade the schema (the owner's, not a chapter member's).
    bool can_upgrade();
    [[nodiscard]] std::string where() const override { return where_; }
    void expect_bulk(bool) override {}

    /// Throws DatabaseError unless the result is a success; frees it then.
    void check(PGresult* r) {
        auto status = pq().resultStatus(r);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
        std::string message = one_line(r ? pq().resultErrorMessage(r) : pq().errorMessage(conn_));
        const char* state = r ? pq().resultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        bool lock_timeout = state != nullptr && std::string_view(state) == "55P03";
        if (r) pq().clear(r);
        if (lock_timeout) throw DatabaseError(held_by_another());
        if (pq().status(conn_) != CONNECTION_OK) {
            // The server's own reason, when it said one as it closed the session ("terminating
            // connection due to administrator command"), says more than libpq's guess.
            if (!notice_.empty()) message = notice_;
            throw DatabaseError(
                fmt::format("lost the connection to the database at {}: {}", where_, message));
        }
        throw DatabaseError(fmt::format("database error: {}", message));
    }
    /// The message when a statement waited longer than `lock_timeout` for another session's
    /// lock (a chapter member's `LOCK TABLE`, a transaction left open in psql): who holds locks
    /// now, as every role may see them (pg_locks, and the user names of pg_stat_activity).
    std::string held_by_another() {
        PGresult* off = pq().exec(conn_, "ROLLBACK");
        pq().clear(off);
        PGresult* r = pq().exec(
            conn_, "SELECT string_agg(DISTINCT format('%s (pid %s)', a.usename, l.pid), ', ') "
                   "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                   "WHERE l.granted AND l.pid <> pg_backend_pid() AND a.datname = "
                   "current_database() AND (l.locktype IN ('transactionid', 'advisory') OR "
                   "(l.locktype = 'relation' AND l.mode IN ('ShareLock', "
                   "'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')))");
        std::string holders;
        if (pq().resultStatus(r) == PGRES_TUPLES_OK && pq().ntuples(r) == 1 &&
            !pq().getisnull(r, 0, 0))
            holders = pq().getvalue(r, 0, 0);
        pq().clear(r);
        return fmt::format("the database at {} is held by another session (waited {}); nothing "
                           "was changed{}",
                           where_, lock_wait(),
                           holders.empty() ? std::string()
                                           : fmt::format("; sessions holding locks: {}; the "
                                                         "database's owner can end one with "
                                                         "SELECT pg_terminate_backend(PID)",
                                                         holders));
    }
    /// This session's lock_timeout, as the server shows it ("30s").
    std::string lock_wait() {
        PGresult* r = pq().exec(conn_, "SHOW lock_timeout");
        std::string out = pq().resultStatus(r) == PGRES_TUPLES_OK && pq().ntuples(r) == 1
                              ? pq().getvalue(r, 0, 0)
                              : "";
        pq().clear(r);
        return out;
    }
    PGconn* native() { return conn_; }
    /// Forgets what the server said before: only what it says during a statement explains
    /// that statement's failure.
    void clear_notice() { notice_.clear(); }
    void set_last_id(std::int64_t id) { last_id_ = id; }

private:
    PGconn* conn_;
    std::string where_;
    std::int64_t last_id_{};
    std::string notice_; ///< the last thing the server said outside a command (keep_notice)
};

PgStatement::PgStatement(PgConnection& db, std::string_view sql) : db_(db), t_(translate(sql)) {
    values_.resize(static_cast<std::size_t>(t_.count));
    types_.assign(static_cast<std::size_t>(t_.count), 0);
}

bool PgStatement::step() {
    if (!ran_) {
        ran_ = true;
        std::vector<const char*> values;
        values.reserve(values_.size());
        for (const auto& v : values_)
            values.push_back(v ? v->c_str() : nullptr);
        clear_result();
        db_.clear_notice();
        PGresult* r = pq().execParams(db_.native(), t_.sql.c_str(), t_.count, types_.data(),
                                      values.data(), nullptr, nullptr, 0);
        db_.check(r);
        result_ = r;
        const char* tuples = pq().cmdTuples(r);
        changes_ = tuples && *tuples ? std::atoi(tuples) : 0;
        row_ = -1;
        if (!t_.insert_table.empty()) {
            if (pq().ntuples(r) > 0)
                db_.set_last_id(std::strtoll(pq().getvalue(r, 0, 0), nullptr, 10));
            return false;
        }
    }
    if (result_ == nullptr) return false;
    ++row_;
    return row_ < pq().ntuples(result_);
}

bool PgConnection::can_upgrade() {
    PGresult* r = pq().exec(conn_, "SELECT has_table_privilege('followup_schema', 'UPDATE')");
    check(r);
    bool yes = std::string_view(pq().getvalue(r, 0, 0)) == "t";
    pq().clear(r);
    return yes;
}

int PgConnection::stored_version() {
    PGresult* r = pq().exec(conn_, "SELECT version FROM followup_schema");
    check(r);
    int v = pq().ntuples(r) > 0 ? std::atoi(pq().getvalue(r, 0, 0)) : 0;
    pq().clear(r);
    return v;
}

/// The location without its password: postgresql://user@host:port/dbname.
std::string describe(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = pq().conninfoParse(conninfo.c_str(), &error);
    if (options == nullptr) {
        std::string message = one_line(error);
        pq().freemem(error);
        throw UsageError(fmt::format("invalid PostgreSQL location: {}", message));
    }
    std::map<std::string, std::string> o;
    for (auto* p = options; p->keyword; ++p)
        if (p->val) o[p->keyword] = p->val;
    pq().conninfoFree(options);
    std::string out = "postgresql://";
    if (o.count("user")) out += o["user"] + "@";
    if (o.count("host")) {
        const std::string& host = o["host"];
        out += host.find('/') != std::string::npos ? fmt::format("[{}]", host) : host;
    }
    if (o.count("port")) out += ":" + o["port"];
    out += "/";
    if (o.count("dbname")) out += o["dbname"];
    return out;
}

} // namespace

bool is_postgres_location(std::string_view location) {
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0)
        return true;
    // A libpq key=value string starts with one of libpq's keywords and an '='. (Read by hand:
    // every command asks, and compiling a std::regex for it cost each about 600,000 instructions,
    // a fifth of `due` on an empty database.)
    static constexpr std::array<std::string_view, 13> keywords{"host",
                                                               "hostaddr",
                                                               "port",
                                                               "dbname",
                                                               "user",
                                                               "password",
                                                               "passfile",
                                                               "service",
                                                               "sslmode",
                                                               "connect_timeout",
                                                               "application_name",
                                                               "options",
                                                               "target_session_attrs"};
    auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    std::size_t i = 0;
    while (i < location.size() && space(location[i]))
        ++i;
    std::size_t start = i;
    while (i < location.size() &&
           ((location[i] >= 'a' && location[i] <= 'z') || location[i] == '_'))
        ++i;
    std::string_view word = location.substr(start, i - start);
    while (i < location.size() && space(location[i]))
        ++i;
    if (i == location.size() || location[i] != '=') return false;
    return std::find(keywords.begin(), keywords.end(), word) != keywords.end();
}

/// What each later schema version changes on a server database made at version 5 (schema_v5):
/// element i takes version 5 + i to 6 + i, in the transaction of the first command to open it.
constexpr std::array<const char*, 2> pg_migrations{
    // Version 6: each contact's reach rows carry their values in the index `due` and `show`
    // read them by. (The open follow-ups keep their index on the deadline: PostgreSQL reads
    // the rows of a busy table from the heap anyway, for their visibility.)
    "CREATE INDEX reach_of_contact ON reach (contact_id, kind, position) "
    "INCLUDE (value, label, network)",
    // Version 7 (issue 31): the name keys made again by the new text::fold (Unicode folding
    // with utf8proc), which the server has no function for: remake_name_keys does it row by
    // row after this statement.
    "SELECT 1",
};

/// Version 7: every name_key of contacts and events made again with text::fold (see the
/// SQLite migration); an event whose new key another event has keeps its old one.
void remake_name_keys(Connection& db) {
    for (std::string_view table : {"contacts", "events"}) {
        std::vector<std::pair<std::int64_t, std::string>> changed;
        std::set<std::string> keys;
        {
            Statement q(db, fmt::format("SELECT id, name, name_key FROM {}", table));
            while (q.executeStep()) {
                std::string key = text::fold(q.getColumn(1).getString());
                keys.insert(q.getColumn(2).getString());
                if (key != q.getColumn(2).getString())
                    changed.emplace_back(q.getColumn(0).getInt64(), std::move(key));
            }
        }
        Statement u(db, fmt::format("UPDATE {} SET name_key = ? WHERE id = ?", table));
        for (const auto& [id, key] : changed) {
            if (table == "events" && !keys.insert(key).second) continue;
            u.bind(1, key);
            u.bind(2, id);
            u.exec();
            u.reset();
        }
    }
}
static_assert(5 + pg_migrations.size() == schema_version);

/// How long a statement waits for another session's lock before it gives up (lock_timeout),
/// unless the user set one: a write waits for another member's for milliseconds; a large
/// import by another member (it holds the next contact id) for seconds.
constexpr const char* default_lock_timeout = "30s";

std::unique_ptr<Connection> open_postgres(const std::string& conninfo) {
    std::string where = describe(conninfo);
    PGconn* conn = pq().connectdb(conninfo.c_str());
    if (conn == nullptr) throw DatabaseError("cannot connect to the database: out of memory");
    if (pq().status(conn) != CONNECTION_OK) {
        std::string message = one_line(pq().errorMessage(conn));
        pq().finish(conn);
        // libpq's message may quote the location; it never holds the password, but a
        // password given in the URI could still appear in a message about the URI itself.
        if (auto at = message.find("password="); at != std::string::npos) message.resize(at);
        throw DatabaseError(
            fmt::format("cannot connect to the database at {}: {}", where, message));
    }
    auto db = std::make_unique<PgConnection>(conn, where);
    // A wait for another session's lock ends after lock_timeout (unless the user's own
    // settings say otherwise, PGOPTIONS or `options` in the location): a member who holds a
    // lock from psql (`LOCK TABLE`, a transaction left open) makes the others' commands fail
    // with a line that says so, not hang. The settings and the first question go in one trip.
    auto schema_state = [&] {
        PGresult* r = pq().exec(conn, "SELECT to_regclass('followup_schema') IS NOT NULL");
        db->check(r);
        bool has = std::string_view(pq().getvalue(r, 0, 0)) == "t";
        pq().clear(r);
        return has ? db->stored_version() : -1;
    };
    db->exec(fmt::format("SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
                         "SELECT set_config('lock_timeout', '{}', false) "
                         "WHERE current_setting('lock_timeout') = '0'",
                         default_lock_timeout));
    // The common case, a database at this version (or one only its owner may upgrade), takes
    // no lock: a lock every command took could be held by any member, from psql, for ever.
    int version = schema_state();
    if (version == schema_version ||
        (version > 0 && version < schema_version && !db->can_upgrade()))
        return db;
    // Create or migrate under a lock of its own, so that two first commands do not both create
    // tables; what the state was is read again under it.
    db->exec("BEGIN");
    db->exec("SELECT pg_advisory_xact_lock(4242)");
    bool has_schema = schema_state() >= 0;
    if (!has_schema) {
        PGresult* t = pq().exec(conn, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                      "current_schema()");
        db->check(t);
        bool empty = std::string_view(pq().getvalue(t, 0, 0)) == "0";
        pq().clear(t);
        if (!empty)
            throw DatabaseError(fmt::format("{} is not a followup database (it holds tables of "
                                            "another program); pass --db with your followup "
                                            "database",
                                            where));
        db->exec(schema_v5);
        for (const char* table : id_tables)
            db->exec(fmt::format("INSERT INTO followup_ids (name, last) VALUES ('{0}', 0); "
                                 "CREATE TRIGGER {0}_id BEFORE INSERT ON {0} FOR EACH ROW "
                                 "EXECUTE FUNCTION followup_id(); "
                                 "CREATE CONSTRAINT TRIGGER {0}_ids AFTER INSERT ON {0} "
                                 "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                                 "EXECUTE FUNCTION followup_ids_write()",
                                 table));
        for (const char* table : undo_pg::recorded_tables)
            // The WHEN clause keeps the function out of writes that are not recorded (a db
            // copy, a large import): it is evaluated without a call into PL/pgSQL.
            db->exec(fmt::format("CREATE TRIGGER {0}_undo AFTER INSERT OR UPDATE OR DELETE ON {0} "
                                 "FOR EACH ROW WHEN (current_setting('followup.undo', true) <> '') "
                                 "EXECUTE FUNCTION followup_undo_row()",
                                 table));
        db->exec("INSERT INTO followup_schema (version) VALUES (5)");
    }
    version = db->stored_version();
    if (version > schema_version) {
        db->exec("ROLLBACK");
        throw DatabaseError(fmt::format(
            "database {} has schema version {}, newer than this followup understands ({}); "
            "upgrade followup",
            where, version, schema_version));
    }
    // Only the database's owner upgrades it (members may only read followup_schema); what the
    // later versions add on a server is indexes, which a member's commands do without meanwhile.
    if (version < schema_version && db->can_upgrade()) {
        for (int v = version; v < schema_version; ++v)
            db->exec(pg_migrations.at(static_cast<std::size_t>(v - 5)));
        if (version < 7) remake_name_keys(*db);
        db->exec(fmt::format("UPDATE followup_schema SET version = {}", schema_version));
    }
    db->exec("COMMIT");
    return db;
}

} // namespace followup::sql
