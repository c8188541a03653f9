// db copy: every table's rows read from one store and written to the other through the
// store's own statements, with the column list of each table written once, here.

#include "sql.hpp"

#include <fmt/format.h>
#include <followup/store/copy.hpp>
#include <followup/util/errors.hpp>

namespace followup {
namespace {

/// A table and its columns, each with its type: i (integer), d (real) or t (text). Parents come
/// before the tables that refer to them; a column referring to its own table (`late`) is
/// written once every row is in.
struct Table {
    const char* name;
    std::vector<std::pair<const char*, char>> columns;
    const char* late{};
    const char* order{"id"};
};

const std::vector<Table>& tables() {
    static const std::vector<Table> list{
        {"events",
         {{"id", 'i'},
          {"uuid", 't'},
          {"name", 't'},
          {"name_key", 't'},
          {"on_date", 't'},
          {"place", 't'},
          {"created", 'i'}}},
        {"contacts",
         {{"id", 'i'},
          {"uuid", 't'},
          {"name", 't'},
          {"name_key", 't'},
          {"company", 't'},
          {"title", 't'},
          {"channel", 't'},
          {"notes", 't'},
          {"birthday", 't'},
          {"event_id", 'i'},
          {"met", 'i'},
          {"referred_by", 'i'},
          {"every_days", 'i'},
          {"last_touch", 'i'},
          {"archived", 'i'},
          {"created", 'i'}},
         "referred_by"},
        {"contact_tags", {{"contact_id", 'i'}, {"tag", 't'}}, nullptr, "contact_id, tag"},
        {"reach",
         {{"id", 'i'},
          {"contact_id", 'i'},
          {"kind", 't'},
          {"position", 'i'},
          {"value", 't'},
          {"label", 't'},
          {"network", 't'}}},
        {"referrals",
         {{"id", 'i'},
          {"uuid", 't'},
          {"direction", 't'},
          {"referrer_id", 'i'},
          {"prospect_id", 'i'},
          {"member_id", 'i'},
          {"status", 't'},
          {"amount", 'd'},
          {"note", 't'},
          {"created", 'i'},
          {"updated", 'i'},
          {"passed_from", 'i'}},
         "passed_from"},
        {"referral_events",
         {{"id", 'i'}, {"referral_id", 'i'}, {"status", 't'}, {"at", 'i'}, {"note", 't'}}},
        {"followups",
         {{"id", 'i'},
          {"uuid", 't'},
          {"contact_id", 'i'},
          {"kind", 't'},
          {"title", 't'},
          {"due", 'i'},
          {"original_due", 'i'},
          {"status", 't'},
          {"referral_id", 'i'},
          {"created", 'i'},
          {"done_at", 'i'},
          {"note", 't'},
          {"campaign", 't'},
          {"place", 't'},
          {"length", 'i'},
          {"channel", 't'}}},
        {"interactions",
         {{"id", 'i'},
          {"uuid", 't'},
          {"contact_id", 'i'},
          {"at", 'i'},
          {"channel", 't'},
          {"direction", 't'},
          {"note", 't'},
          {"followup_id", 'i'},
          {"created", 'i'},
          {"chase", 'i'},
          {"campaign", 't'}}},
    };
    return list;
}

long long count_rows(sql::Connection& db, const char* table) {
    sql::Statement q(db, fmt::format("SELECT count(*) FROM {}", table));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

} // namespace

long long CopyCounts::total() const {
    long long n = 0;
    for (const auto& [table, rows] : tables)
        n += rows;
    return n;
}

CopyCounts copy_database(Repository& from, Repository& to, bool replace) {
    sql::Connection& src = from.connection();
    sql::Connection& dst = to.connection();
    Repository::Transaction read(from, false);
    Repository::Transaction write(to, true);
    if (replace) {
        for (auto it = tables().rbegin(); it != tables().rend(); ++it)
            dst.exec(fmt::format("DELETE FROM {}", it->name));
    } else {
        for (const auto& t : tables())
            if (count_rows(dst, t.name) > 0)
                throw Error(
                    fmt::format("{} is not empty (it has {}); nothing copied", to.where(), t.name));
    }
    CopyCounts counts;
    for (const auto& t : tables()) {
        std::string names, marks;
        for (const auto& [name, type] : t.columns) {
            names += (names.empty() ? "" : ", ") + std::string(name);
            marks += marks.empty() ? "?" : ", ?";
        }
        sql::Statement in(src,
                          fmt::format("SELECT {} FROM {} ORDER BY {}", names, t.name, t.order));
        sql::Statement out(dst,
                           fmt::format("INSERT INTO {} ({}) VALUES ({})", t.name, names, marks));
        std::vector<std::pair<std::int64_t, std::int64_t>> late; // id, value of `late`
        long long rows = 0;
        while (in.executeStep()) {
            for (int i = 0; i < static_cast<int>(t.columns.size()); ++i) {
                const auto& [name, type] = t.columns[static_cast<std::size_t>(i)];
                sql::Column c = in.getColumn(i);
                if (c.isNull()) {
                    out.bind(i + 1);
                } else if (t.late && std::string_view(name) == t.late) {
                    late.emplace_back(in.getColumn(0).getInt64(), c.getInt64());
                    out.bind(i + 1);
                } else if (type == 'i') {
                    out.bind(i + 1, c.getInt64());
                } else if (type == 'd') {
                    out.bind(i + 1, c.getDouble());
                } else {
                    out.bind(i + 1, c.getString());
                }
            }
            out.exec();
            out.reset();
            ++rows;
        }
        if (!late.empty()) {
            sql::Statement set(dst,
                               fmt::format("UPDATE {} SET {} = ? WHERE id = ?", t.name, t.late));
            for (const auto& [id, value] : late) {
                set.bind(1, value);
                set.bind(2, id);
                set.exec();
                set.reset();
            }
        }
        counts.tables.emplace_back(t.name, rows);
    }
    // The next id of each table, so that ids of records deleted before the copy are not used
    // again after it (SQLite's sqlite_sequence, the server's followup_ids).
    sql::Statement last(src, src.dialect() == sql::Dialect::sqlite
                                 ? "SELECT name, seq FROM sqlite_sequence"
                                 : "SELECT name, last FROM followup_ids");
    while (last.executeStep()) {
        std::string table = last.getColumn(0).getString();
        std::int64_t value = last.getColumn(1).getInt64();
        if (table == "undo_log") continue;
        if (dst.dialect() == sql::Dialect::sqlite) {
            sql::Statement have(dst, "SELECT seq FROM sqlite_sequence WHERE name = ?");
            have.bind(1, table);
            std::int64_t seq = have.executeStep() ? have.getColumn(0).getInt64() : -1;
            if (seq >= value) continue;
            sql::Statement set(dst, seq < 0
                                        ? "INSERT INTO sqlite_sequence (seq, name) VALUES (?, ?)"
                                        : "UPDATE sqlite_sequence SET seq = ? WHERE name = ?");
            set.bind(1, value);
            set.bind(2, table);
            set.exec();
        } else {
            sql::Statement set(dst, "UPDATE followup_ids SET last = CASE WHEN last < ? THEN ? "
                                    "ELSE last END WHERE name = ?");
            set.bind(1, value);
            set.bind(2, value);
            set.bind(3, table);
            set.exec();
        }
    }
    write.commit();
    return counts;
}

} // namespace followup
