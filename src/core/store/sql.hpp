#pragma once
// The store's own view of a database connection: prepared statements with bound parameters,
// rows read column by column, and transactions. Two drivers sit behind it, SQLite (through
// SQLiteCpp) and PostgreSQL (through libpq); repository.cpp writes its queries once against it.
// Only the files of src/core/store see this header. Every driver error is a DatabaseError.
//
// SQL is written in the common dialect of SQLite 3.40 and PostgreSQL 15: `?` and `:name`
// parameters (the PostgreSQL driver numbers them $1, $2, ...), RETURNING, ON CONFLICT DO
// NOTHING, CASE instead of two-argument min/max, TRUE for true. What differs (aggregates into
// JSON or a string, date arithmetic) comes from Connection::dialect().

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace followup::sql {

enum class Dialect { sqlite, postgres };

/// One prepared statement of a driver.
class StatementImpl {
public:
    virtual ~StatementImpl() = default;
    virtual int parameter_index(std::string_view name) = 0; ///< 1-based; throws when unknown
    virtual int parameter_count() = 0;
    virtual void bind_int(int i, std::int64_t v) = 0;
    virtual void bind_double(int i, double v) = 0;
    virtual void bind_text(int i, std::string_view v) = 0;
    virtual void bind_null(int i) = 0;
    /// Runs the statement (first call) or moves to the next row; false when no row is left.
    virtual bool step() = 0;
    /// Rows changed by the last run of an INSERT, UPDATE or DELETE.
    virtual int changes() = 0;
    /// Back to before the first step, keeping the bound values.
    virtual void reset() = 0;
    virtual void clear_bindings() = 0;
    virtual bool is_null(int column) = 0;
    virtual std::int64_t get_int(int column) = 0;
    virtual double get_double(int column) = 0;
    virtual std::string get_text(int column) = 0;
};

/// A connection of one driver.
class Connection {
public:
    virtual ~Connection() = default;
    [[nodiscard]] virtual Dialect dialect() const = 0;
    virtual std::unique_ptr<StatementImpl> prepare(std::string_view sql) = 0;
    /// Runs SQL without parameters (several statements allowed).
    virtual void exec(std::string_view sql) = 0;
    /// The id the last INSERT of this connection gave its row.
    virtual std::int64_t last_insert_id() = 0;
    /// Starts a transaction: a writer takes the write lock up front where the engine has one.
    virtual void begin(bool write) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    /// The schema version stored in the database.
    virtual int stored_version() = 0;
    /// Where the database is, for messages (a PostgreSQL password is never part of it).
    [[nodiscard]] virtual std::string where() const = 0;
    /// A hint about how much the next reads need cached: small for a page, large for a bulk load.
    virtual void expect_bulk(bool bulk) = 0;
};

class Statement;

/// One column of the current row of a Statement.
class Column {
public:
    Column(StatementImpl& q, int i) : q_(q), i_(i) {}
    [[nodiscard]] bool isNull() const { return q_.is_null(i_); }
    [[nodiscard]] int getInt() const { return static_cast<int>(q_.get_int(i_)); }
    [[nodiscard]] std::int64_t getInt64() const { return q_.get_int(i_); }
    [[nodiscard]] double getDouble() const { return q_.get_double(i_); }
    [[nodiscard]] std::string getString() const { return q_.get_text(i_); }

private:
    StatementImpl& q_;
    int i_;
};

/// A prepared statement, with the names SQLiteCpp gives the same operations.
class Statement {
public:
    Statement(Connection& db, std::string_view sql) : q_(db.prepare(sql)) {}
    void bind(int i, std::int64_t v) { q_->bind_int(i, v); }
    void bind(int i, int v) { q_->bind_int(i, v); }
    void bind(int i, double v) { q_->bind_double(i, v); }
    void bind(int i, std::string_view v) { q_->bind_text(i, v); }
    void bind(int i, const std::string& v) { q_->bind_text(i, v); }
    void bind(int i, const char* v) { q_->bind_text(i, v); }
    void bind(int i) { q_->bind_null(i); }
    template <class T> void bind(std::string_view name, const T& v) {
        bind(q_->parameter_index(name), v);
    }
    void bind(std::string_view name) { bind(q_->parameter_index(name)); }
    [[nodiscard]] int getBindParameterCount() const { return q_->parameter_count(); }
    bool executeStep() { return q_->step(); }
    /// Runs to the end; the rows it changed.
    int exec() {
        while (q_->step()) {
        }
        return q_->changes();
    }
    [[nodiscard]] Column getColumn(int i) const { return {*q_, i}; }
    void reset() { q_->reset(); }
    void clearBindings() { q_->clear_bindings(); }

private:
    std::unique_ptr<StatementImpl> q_;
};

/// Opens a SQLite file (created, 0600 in a 0700 folder, when missing) or ":memory:", migrated
/// to the current schema. `created` tells whether the file was created.
std::unique_ptr<Connection> open_sqlite(const std::string& path, bool& created);
/// Connects to PostgreSQL (a URI or key=value string); an empty database gets the schema.
std::unique_ptr<Connection> open_postgres(const std::string& conninfo);

/// True for a location PostgreSQL takes: a postgresql:// or postgres:// URI, or a libpq
/// key=value string ("host=... dbname=...").
bool is_postgres_location(std::string_view location);

} // namespace followup::sql
