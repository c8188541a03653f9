#include "sql.hpp"
#include "values.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/store/maintenance.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <followup/util/text.hpp>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace followup {
namespace {

using sql::bind_opt;
using sql::instant;
using sql::opt_id;
using sql::opt_instant;
using sql::secs;

std::string date_text(const std::optional<date::local_days>& d) {
    if (!d) return {};
    return date::format("%F", *d);
}

std::optional<date::local_days> parse_date_text(const std::string& s) {
    if (s.empty()) return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(s.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return date::local_days{ymd};
}

/// A contact's reach rows as one JSON array of [kind, position, value, label, network], read
/// with the contact in one statement (parse_reach).
#define FOLLOWUP_REACH_OF(contact)                                                                 \
    "(SELECT json_group_array(json_array(kind, position, value, label, network)) FROM reach "      \
    "WHERE contact_id = " contact ")"

#define FOLLOWUP_CONTACT_COLUMNS(reach)                                                            \
    "c.id, c.uuid, c.name, c.company, c.title, c.channel, c.notes, "                               \
    "c.birthday, c.event_id, e.name, c.met, c.referred_by, r.name, c.every_days, c.last_touch, "   \
    "c.archived, c.created, " reach
constexpr const char* contact_columns = FOLLOWUP_CONTACT_COLUMNS(FOLLOWUP_REACH_OF("c.id"));
/// The same without the reach rows, for reads of every contact (read_all_reach fills them).
constexpr const char* contact_columns_bulk = FOLLOWUP_CONTACT_COLUMNS("NULL");
constexpr int contact_column_count = 18;
constexpr const char* contact_joins = " FROM contacts c LEFT JOIN events e ON e.id = c.event_id"
                                      " LEFT JOIN contacts r ON r.id = c.referred_by";

/// Adds one reach row to the list of its kind: `label` is the row's label, or for a profile
/// (which has none) its network, the value being the handle there.
void add_reach(Contact& c, std::string_view kind, std::string value, std::string label) {
    if (kind == "email")
        c.emails.push_back({std::move(value), std::move(label)});
    else if (kind == "phone")
        c.phones.push_back({std::move(value), std::move(label)});
    else if (kind == "address")
        c.addresses.push_back({std::move(value), std::move(label)});
    else if (kind == "profile")
        c.profiles.push_back({std::move(label), std::move(value)});
}

/// Forgets a contact's reach rows (those gathered before the next contact's).
void clear_reach(Contact& c) {
    c.emails.clear();
    c.phones.clear();
    c.addresses.clear();
    c.profiles.clear();
}

/// Fills a contact's emails, phones, addresses and profiles (and email and phone, the first of
/// each) from the JSON array of FOLLOWUP_REACH_OF.
void parse_reach(Contact& c, const sql::Column& column) {
    clear_reach(c);
    if (column.isNull()) return;
    auto rows = nlohmann::json::parse(column.getString(), nullptr, false);
    if (!rows.is_array()) return;
    std::sort(rows.begin(), rows.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return a[1].get<std::int64_t>() < b[1].get<std::int64_t>();
    });
    for (const auto& row : rows) {
        const std::string& kind = row[0].get_ref<const std::string&>();
        add_reach(c, kind, row[2].get<std::string>(),
                  row[kind == "profile" ? 4 : 3].get<std::string>());
    }
    c.email = c.emails.empty() ? "" : c.emails.front().value;
    c.phone = c.phones.empty() ? "" : c.phones.front().value;
}

/// Reach rows (contact_id, kind, value, label, network), each contact's rows of a kind in order
/// of position: the order of the UNIQUE (contact_id, kind, position) index and of the covering
/// index reach_of_contact (schema 6), so no sort.
#define FOLLOWUP_REACH_ROWS(where)                                                                 \
    "SELECT contact_id, kind, value, label, network FROM reach " where                             \
    " ORDER BY contact_id, kind, position"

/// Adds the reach row at which statement `q` stands to contact `c`: its kind, value, label and
/// network in the columns from `first` on (1 in FOLLOWUP_REACH_ROWS).
void add_reach_row(Contact& c, sql::Statement& q, int first = 1) {
    std::string kind = q.getColumn(first).getString();
    add_reach(c, kind, q.getColumn(first + 1).getString(),
              q.getColumn(kind == "profile" ? first + 3 : first + 2).getString());
}

/// Every contact's reach rows, by contact id, in one pass over the table: for reads of all
/// contacts, where one subquery per row would cost more than the table.
std::unordered_map<Id, Contact> read_all_reach(sql::Connection& db) {
    std::unordered_map<Id, Contact> out;
    sql::Statement q(db, FOLLOWUP_REACH_ROWS(""));
    while (q.executeStep())
        add_reach_row(out[q.getColumn(0).getInt64()], q);
    return out;
}

/// Gives a contact the lists read by read_all_reach (moved out of the map).
void take_reach(Contact& c, std::unordered_map<Id, Contact>& reach) {
    auto it = reach.find(c.id);
    if (it == reach.end()) return;
    c.emails = std::move(it->second.emails);
    c.phones = std::move(it->second.phones);
    c.addresses = std::move(it->second.addresses);
    c.profiles = std::move(it->second.profiles);
    c.email = c.emails.empty() ? "" : c.emails.front().value;
    c.phone = c.phones.empty() ? "" : c.phones.front().value;
}

/// A follow-up's channel and handle: a connect step's own network, else the contact's channel.
void place_followup(Followup& f, const Contact& c, const std::string& network) {
    if (!network.empty()) {
        f.channel = network;
        f.handle = handle_on(c, network);
    } else {
        Via via = effective_via(c);
        f.channel = via.channel;
        f.handle = via.handle;
    }
}

/// Places a follow-up read by read_followup_unplaced (or read_followup_listed), whose `handle`
/// holds its contact's channel and `channel` its own network, from the reach rows gathered in
/// `c`.
void place_unplaced(Followup& f, Contact& c) {
    c.channel = std::move(f.handle);
    const std::string network = std::move(f.channel);
    place_followup(f, c, network);
}

/// Gives each follow-up of `out` (read_followup_unplaced) its channel and handle
/// (place_followup), from its contact's channel and its own network and the reach rows of
/// statement `reach` (columns as above, in contact id order; rows of contacts without a
/// follow-up are passed over). One contact at a time: a walk of the follow-ups in contact order
/// beside the rows.
void place_followups(std::vector<Followup>& out, sql::Statement& reach) {
    std::vector<std::size_t> order(out.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return out[a].contact_id < out[b].contact_id;
    });
    Contact c;
    bool more = reach.executeStep();
    for (std::size_t k = 0; k < order.size();) {
        const Id id = out[order[k]].contact_id;
        clear_reach(c);
        while (more && reach.getColumn(0).getInt64() < id)
            more = reach.executeStep();
        for (; more && reach.getColumn(0).getInt64() == id; more = reach.executeStep())
            add_reach_row(c, reach);
        for (; k < order.size() && out[order[k]].contact_id == id; ++k)
            place_unplaced(out[order[k]], c);
    }
}

Contact read_contact(sql::Statement& q) {
    Contact c;
    c.id = q.getColumn(0).getInt64();
    c.uuid = q.getColumn(1).getString();
    c.name = q.getColumn(2).getString();
    c.company = q.getColumn(3).getString();
    c.title = q.getColumn(4).getString();
    c.channel = q.getColumn(5).getString();
    c.notes = q.getColumn(6).getString();
    c.birthday = q.getColumn(7).getString();
    c.event_id = opt_id(q.getColumn(8));
    c.event = q.getColumn(9).getString();
    c.met = opt_instant(q.getColumn(10));
    c.referred_by_id = opt_id(q.getColumn(11));
    c.referred_by = q.getColumn(12).getString();
    if (!q.getColumn(13).isNull()) c.every_days = q.getColumn(13).getInt();
    c.last_touch = opt_instant(q.getColumn(14));
    c.archived = q.getColumn(15).getInt() != 0;
    c.created = instant(q.getColumn(16).getInt64());
    parse_reach(c, q.getColumn(17));
    return c;
}

#define FOLLOWUP_FOLLOWUP_COLUMNS(reach)                                                           \
    "f.id, f.uuid, f.contact_id, c.name, f.kind, f.title, f.due, f.original_due, f.status, "       \
    "f.referral_id, f.created, f.done_at, f.note, c.channel, f.channel, "                          \
    "f.campaign, f.place, f.length, " reach
constexpr const char* followup_columns =
    FOLLOWUP_FOLLOWUP_COLUMNS(FOLLOWUP_REACH_OF("f.contact_id"));
/// The same without the reach rows (read_all_reach), for reads of every follow-up.
constexpr const char* followup_columns_bulk = FOLLOWUP_FOLLOWUP_COLUMNS("NULL");
/// How many columns FOLLOWUP_FOLLOWUP_COLUMNS has.
constexpr int followup_column_count = 19;

/// The columns of the follow-up itself (FOLLOWUP_FOLLOWUP_COLUMNS); channel and handle are
/// left empty.
Followup read_followup_fields(sql::Statement& q) {
    Followup f;
    f.id = q.getColumn(0).getInt64();
    f.uuid = q.getColumn(1).getString();
    f.contact_id = q.getColumn(2).getInt64();
    f.contact = q.getColumn(3).getString();
    f.kind = parse_kind(q.getColumn(4).getString());
    f.title = q.getColumn(5).getString();
    f.due = instant(q.getColumn(6).getInt64());
    f.original_due = instant(q.getColumn(7).getInt64());
    f.status = parse_status(q.getColumn(8).getString());
    f.referral_id = opt_id(q.getColumn(9));
    f.created = instant(q.getColumn(10).getInt64());
    f.done_at = opt_instant(q.getColumn(11));
    f.note = q.getColumn(12).getString();
    f.campaign = q.getColumn(15).getString();
    f.place = q.getColumn(16).getString();
    if (!q.getColumn(17).isNull()) f.length = std::chrono::seconds{q.getColumn(17).getInt64()};
    return f;
}

Followup read_followup(sql::Statement& q) {
    Followup f = read_followup_fields(q);
    Contact c;
    c.channel = q.getColumn(13).getString();
    parse_reach(c, q.getColumn(18));
    place_followup(f, c, q.getColumn(14).getString());
    return f;
}

/// A follow-up for place_followups, which reads the reach after: until then its `handle`
/// holds the contact's channel and its `channel` the step's own network.
Followup read_followup_unplaced(sql::Statement& q) {
    Followup f = read_followup_fields(q);
    f.handle = q.getColumn(13).getString();
    f.channel = q.getColumn(14).getString();
    return f;
}

/// The columns of a row of the table of `due` (DueQuery::listing), for read_followup_listed.
constexpr const char* followup_listing_columns =
    "f.id, f.contact_id, c.name, f.kind, f.title, f.due, c.channel, f.channel";
constexpr int followup_listing_column_count = 8;

/// read_followup_unplaced of a row of followup_listing_columns: the fields the table shows.
Followup read_followup_listed(sql::Statement& q) {
    Followup f;
    f.id = q.getColumn(0).getInt64();
    f.contact_id = q.getColumn(1).getInt64();
    f.contact = q.getColumn(2).getString();
    f.kind = parse_kind(q.getColumn(3).getString());
    f.title = q.getColumn(4).getString();
    f.due = instant(q.getColumn(5).getInt64());
    f.handle = q.getColumn(6).getString();
    f.channel = q.getColumn(7).getString();
    return f;
}

/// Binds a contact's fields from name to archived, in the order of the columns of the table,
/// to parameters `first`, `first + 1`, ... (13 of them).
void bind_contact(sql::Statement& q, const Contact& c, int first) {
    std::string name(text::trim(c.name));
    int i = first;
    q.bind(i++, name);
    q.bind(i++, text::fold(name));
    for (const std::string* field : {&c.company, &c.title, &c.channel, &c.notes, &c.birthday})
        q.bind(i++, *field);
    bind_opt(q, i++, c.event_id);
    bind_opt(q, i++, c.met);
    bind_opt(q, i++, c.referred_by_id);
    bind_opt(q, i++, c.every_days);
    bind_opt(q, i++, c.last_touch);
    q.bind(i, c.archived ? 1 : 0);
}

} // namespace

Repository::Repository(const std::string& location) {
    if (sql::is_postgres_location(location)) {
        server_ = true;
        db_ = sql::open_postgres(location);
    } else {
        path_ = location == ":memory:" ? "" : location;
        db_ = sql::open_sqlite(location, created_);
    }
}

Repository::~Repository() = default;

sql::Connection& Repository::connection() {
    return *db_;
}

int Repository::stored_version() {
    return db_->stored_version();
}

std::string Repository::where() const {
    return db_->where();
}

void Repository::expect_bulk(bool bulk) {
    db_->expect_bulk(bulk);
}

// ---------------------------------------------------------------------------------- events

namespace {

constexpr const char* event_select = "SELECT id, uuid, name, on_date, place, created FROM events";

Event read_event(sql::Statement& q) {
    Event e;
    e.id = q.getColumn(0).getInt64();
    e.uuid = q.getColumn(1).getString();
    e.name = q.getColumn(2).getString();
    e.on = parse_date_text(q.getColumn(3).getString());
    e.place = q.getColumn(4).getString();
    e.created = instant(q.getColumn(5).getInt64());
    return e;
}

} // namespace

std::optional<Event> Repository::find_event(std::string_view name) {
    // Kept prepared: an import looks up the event of every contact it adds.
    sql::Statement& q = cached("SELECT id, uuid, name, on_date, place, created FROM events "
                               "WHERE name_key = ?");
    q.bind(1, text::fold(text::trim(name)));
    if (!q.executeStep()) return std::nullopt;
    Event e = read_event(q);
    q.reset();
    return e;
}

Event Repository::add_event(Event event) {
    event.name = std::string(text::trim(event.name));
    if (event.name.empty()) throw UsageError("an event needs a name");
    if (auto existing = find_event(event.name))
        throw Error(fmt::format("event '{}' exists already", existing->name));
    if (event.uuid.empty()) event.uuid = text::uuid4();
    if (event.created == Instant{}) event.created = now_;
    sql::Statement q(*db_, "INSERT INTO events (id, uuid, name, name_key, on_date, place, "
                           "created) VALUES (?, ?, ?, ?, ?, ?, ?)");
    bind_opt(q, 1, keep_ids_ && event.id ? std::optional<Id>(event.id) : std::nullopt);
    q.bind(2, event.uuid);
    q.bind(3, event.name);
    q.bind(4, text::fold(event.name));
    if (event.on)
        q.bind(5, date_text(event.on));
    else
        q.bind(5);
    q.bind(6, event.place);
    q.bind(7, secs(event.created));
    q.exec();
    event.id = db_->last_insert_id();
    return event;
}

Event Repository::find_or_create_event(std::string_view name, std::optional<date::local_days> on,
                                       Instant now) {
    if (auto e = find_event(name)) return *e;
    Event e;
    e.name = std::string(name);
    e.on = on;
    set_now(now);
    return add_event(e);
}

std::vector<EventSummary> Repository::event_summaries(Instant now) {
    sql::Statement q(*db_, R"sql(
SELECT e.id, e.uuid, e.name, e.on_date, e.place, e.created,
  (SELECT count(*) FROM contacts c WHERE c.event_id = e.id),
  (SELECT count(*) FROM followups f JOIN contacts c ON c.id = f.contact_id
     WHERE c.event_id = e.id AND f.kind IN ('note', 'connect', 'meet')
       AND (f.status <> 'open' OR f.original_due < :now)),
  (SELECT count(*) FROM followups f JOIN contacts c ON c.id = f.contact_id
     WHERE c.event_id = e.id AND f.kind IN ('note', 'connect', 'meet')
       AND f.status = 'done' AND f.done_at <= f.original_due),
  (SELECT count(*) FROM followups f JOIN contacts c ON c.id = f.contact_id
     WHERE c.event_id = e.id AND f.status = 'done' AND (f.kind = 'meeting' OR (f.kind = 'meet'
       AND NOT EXISTS (SELECT 1 FROM followups m WHERE m.contact_id = c.id
                       AND m.kind = 'meeting'))))
FROM events e
ORDER BY coalesce(e.on_date, date(e.created, 'unixepoch')) DESC, e.id DESC
)sql");
    q.bind(":now", secs(now));
    std::vector<EventSummary> out;
    while (q.executeStep()) {
        EventSummary s;
        s.event.id = q.getColumn(0).getInt64();
        s.event.uuid = q.getColumn(1).getString();
        s.event.name = q.getColumn(2).getString();
        s.event.on = parse_date_text(q.getColumn(3).getString());
        s.event.place = q.getColumn(4).getString();
        s.event.created = instant(q.getColumn(5).getInt64());
        s.people = q.getColumn(6).getInt();
        s.steps_due = q.getColumn(7).getInt();
        s.steps_on_time = q.getColumn(8).getInt();
        s.one_to_ones = q.getColumn(9).getInt();
        out.push_back(std::move(s));
    }
    // The referrals that involve someone met at each event, added up by the one ledger.
    std::map<Id, Referral> by_id;
    for (auto& r : referrals("", false))
        by_id.emplace(r.id, std::move(r));
    std::map<Id, std::vector<Referral>> of_event;
    sql::Statement pairs(*db_, R"sql(
SELECT DISTINCT c.event_id, r.id FROM referrals r
  JOIN contacts c ON c.id IN (r.referrer_id, r.prospect_id, r.member_id)
WHERE c.event_id IS NOT NULL
)sql");
    while (pairs.executeStep())
        if (auto it = by_id.find(pairs.getColumn(1).getInt64()); it != by_id.end())
            of_event[pairs.getColumn(0).getInt64()].push_back(it->second);
    for (auto& s : out) {
        const auto& rs = of_event[s.event.id];
        s.referrals = static_cast<int>(rs.size());
        s.ledger = tally(rs);
    }
    return out;
}

// -------------------------------------------------------------------------------- contacts

void Repository::insert_contact(Contact& c) {
    settle_reach(c);
    c.name = std::string(text::trim(c.name));
    if (c.name.empty()) throw UsageError("a contact needs a name");
    if (c.uuid.empty()) c.uuid = text::uuid4();
    if (c.created == Instant{}) c.created = now_;
    static constexpr const char* sql = R"sql(
INSERT INTO contacts (id, uuid, name, name_key, company, title, channel, notes, birthday,
                      event_id, met, referred_by, every_days, last_touch, archived, created)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql";
    sql::Statement& q = cached(sql);
    bind_opt(q, 1, keep_ids_ && c.id ? std::optional<Id>(c.id) : std::nullopt);
    q.bind(2, c.uuid);
    bind_contact(q, c, 3);
    q.bind(16, secs(c.created));
    q.exec();
    c.id = db_->last_insert_id();
    write_tags(c);
    write_reach(c, false);
}

void Repository::update_contact(const Contact& contact) {
    Contact c = contact;
    settle_reach(c);
    if (text::trim(c.name).empty()) throw UsageError("a contact needs a name");
    sql::Statement q(*db_, R"sql(
UPDATE contacts SET name = ?, name_key = ?, company = ?, title = ?, channel = ?, notes = ?,
  birthday = ?, event_id = ?, met = ?, referred_by = ?, every_days = ?, last_touch = ?,
  archived = ?
WHERE id = ?)sql");
    bind_contact(q, c, 1);
    q.bind(14, c.id);
    if (q.exec() == 0) throw NotFound(fmt::format("no contact #{}", c.id));
    sql::Statement del(*db_, "DELETE FROM contact_tags WHERE contact_id = ?");
    del.bind(1, c.id);
    del.exec();
    write_tags(c);
    write_reach(c, true);
}

void Repository::write_reach(const Contact& c, bool replace) {
    if (replace) {
        // Only a changed list is rewritten, so that undo and concurrent edits see real changes.
        Contact stored;
        sql::Statement q(*db_, "SELECT " FOLLOWUP_REACH_OF("?"));
        q.bind(1, c.id);
        q.executeStep();
        parse_reach(stored, q.getColumn(0));
        if (stored.emails == c.emails && stored.phones == c.phones &&
            stored.addresses == c.addresses && stored.profiles == c.profiles)
            return;
        sql::Statement del(*db_, "DELETE FROM reach WHERE contact_id = ?");
        del.bind(1, c.id);
        del.exec();
    }
    sql::Statement& q = cached("INSERT INTO reach (contact_id, kind, position, value, label, "
                               "network) VALUES (?, ?, ?, ?, ?, ?)");
    int position = 0;
    auto put = [&](const char* kind, const std::string& value, const std::string& label,
                   const std::string& network) {
        q.bind(1, c.id);
        q.bind(2, kind);
        q.bind(3, position++);
        q.bind(4, value);
        q.bind(5, label);
        q.bind(6, network);
        q.exec();
        q.reset();
    };
    for (const auto& e : c.emails)
        put("email", e.value, e.label, "");
    for (const auto& p : c.phones)
        put("phone", p.value, p.label, "");
    for (const auto& a : c.addresses)
        put("address", a.value, a.label, "");
    for (const auto& p : c.profiles)
        put("profile", p.handle, "", p.network);
}

void Repository::write_tags(const Contact& c) {
    if (c.tags.empty()) return;
    sql::Statement& q =
        cached("INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING");
    for (const auto& tag : c.tags) {
        q.bind(1, c.id);
        q.bind(2, tag);
        q.exec();
        q.reset();
    }
}

std::vector<std::string> Repository::tags_of(Id contact_id) {
    sql::Statement& q = cached("SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag");
    q.bind(1, contact_id);
    std::vector<std::string> tags;
    while (q.executeStep())
        tags.push_back(q.getColumn(0).getString());
    return tags;
}

Contact Repository::get_contact(Id id) {
    // Prepared once per command: a write reads its contact again after each change (the
    // cadence steps), and preparing this statement costs more than running it.
    static const std::string sql =
        fmt::format("SELECT {}{} WHERE c.id = ?", contact_columns, contact_joins);
    sql::Statement& q = cached(sql.c_str());
    q.bind(1, id);
    if (!q.executeStep()) throw NotFound(fmt::format("no contact #{}", id));
    Contact c = read_contact(q);
    q.reset(); // a row read, the statement done with: it holds no read open
    c.tags = tags_of(c.id);
    return c;
}

std::vector<identity::NameCandidate> Repository::name_candidates(std::string_view folded_part) {
    sql::Statement q(*db_, folded_part.empty()
                               ? "SELECT id, name, archived FROM contacts ORDER BY id"
                               : "SELECT id, name, archived FROM contacts WHERE "
                                 "instr(name_key, ?) > 0 ORDER BY id");
    if (!folded_part.empty()) q.bind(1, std::string(folded_part));
    std::vector<identity::NameCandidate> out;
    while (q.executeStep())
        out.push_back(
            {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt() != 0});
    return out;
}

std::vector<ContactKey> Repository::contacts_sharing(const Contact& c) {
    // Narrowed in SQL (an email by its lower case, a phone by its last four characters, a
    // profile by its network), decided by the caller.
    std::set<Id> ids;
    auto collect = [&](sql::Statement& q) {
        while (q.executeStep())
            ids.insert(q.getColumn(0).getInt64());
    };
    for (const auto& e : c.emails) {
        if (text::trim(e.value).empty()) continue;
        sql::Statement q(*db_, "SELECT contact_id FROM reach WHERE kind = 'email' AND "
                               "lower(value) = ?");
        q.bind(1, text::lower(text::trim(e.value)));
        collect(q);
    }
    for (const auto& p : c.phones) {
        std::string key = phone_key(p.value);
        if (key.size() < 4) continue;
        sql::Statement q(*db_, "SELECT contact_id FROM reach WHERE kind = 'phone' AND "
                               "instr(value, ?) > 0");
        q.bind(1, key.substr(key.size() - 4));
        collect(q);
    }
    for (const auto& p : c.profiles) {
        if (text::trim(p.handle).empty()) continue;
        sql::Statement q(*db_, "SELECT contact_id FROM reach WHERE kind = 'profile' AND "
                               "network = ?");
        q.bind(1, p.network);
        collect(q);
    }
    std::vector<ContactKey> out;
    for (Id id : ids) {
        Contact other = get_contact(id);
        ContactKey k{other.id, other.uuid, {}, other.name, {}, {}};
        for (const auto& e : other.emails)
            k.emails.push_back(e.value);
        for (const auto& p : other.phones)
            k.phones.push_back(p.value);
        k.profiles = other.profiles;
        out.push_back(std::move(k));
    }
    return out;
}

std::vector<ContactRow> Repository::list_contacts(const ContactQuery& query) {
    std::string sql = fmt::format(
        "SELECT {}, (SELECT min(due) FROM followups WHERE contact_id = c.id AND status = 'open'),"
        " (SELECT count(*) FROM followups WHERE contact_id = c.id AND status = 'open'),"
        " (SELECT group_concat(tag, char(31)) FROM"
        "   (SELECT tag FROM contact_tags WHERE contact_id = c.id ORDER BY tag) AS t)"
        "{} WHERE c.archived = :archived",
        contact_columns, contact_joins);
    if (!query.tag.empty())
        sql += " AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND "
               "lower(t.tag) = lower(:tag))";
    if (query.event_id) sql += " AND c.event_id = :event";
    if (!query.text.empty())
        sql += " AND (instr(c.name_key, :text) > 0 OR instr(fold(c.company), :text) > 0"
               " OR instr(fold(c.title), :text) > 0"
               " OR EXISTS (SELECT 1 FROM reach x WHERE x.contact_id = c.id"
               " AND instr(fold(x.value), :text) > 0)"
               " OR EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id"
               " AND instr(fold(t.tag), :text) > 0))";
    constexpr const char* last_out = "(SELECT max(at) FROM interactions WHERE contact_id = c.id "
                                     "AND direction = 'out')";
    if (query.stale_before) sql += " AND coalesce(c.last_touch, c.met, c.created) < :stale";
    if (query.no_reply_before)
        // A reply is any incoming touch since, or a result: a referral with them won since.
        sql += fmt::format(" AND {0} <= :noreply AND NOT EXISTS (SELECT 1 FROM interactions i "
                           "WHERE i.contact_id = c.id AND i.direction = 'in' AND i.at >= {0})"
                           " AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.status = 'won' "
                           "AND c.id IN (r.prospect_id, r.member_id) AND r.updated >= {0})",
                           last_out);
    if (query.stale_before) {
        sql += " ORDER BY coalesce(c.last_touch, c.met, c.created), c.id";
    } else if (query.no_reply_before) {
        sql += fmt::format(" ORDER BY {}, c.id", last_out);
    } else {
        sql += " ORDER BY c.name_key, c.id";
    }
    sql::Statement q(*db_, sql);
    q.bind(":archived", query.archived ? 1 : 0);
    if (query.stale_before) q.bind(":stale", secs(*query.stale_before));
    if (query.no_reply_before) q.bind(":noreply", secs(*query.no_reply_before));
    if (!query.tag.empty()) q.bind(":tag", query.tag);
    if (query.event_id) q.bind(":event", *query.event_id);
    if (!query.text.empty()) q.bind(":text", text::fold(query.text));
    std::vector<ContactRow> rows;
    while (q.executeStep()) {
        ContactRow row;
        row.contact = read_contact(q);
        row.next_due = opt_instant(q.getColumn(contact_column_count));
        row.open = q.getColumn(contact_column_count + 1).getInt();
        if (!q.getColumn(contact_column_count + 2).isNull())
            row.contact.tags =
                text::split(q.getColumn(contact_column_count + 2).getString(), '\x1f');
        rows.push_back(std::move(row));
    }
    return rows;
}

ContactFootprint Repository::footprint(Id contact_id) {
    sql::Statement q(*db_, R"sql(
SELECT (SELECT count(*) FROM followups WHERE contact_id = :id),
       (SELECT count(*) FROM interactions WHERE contact_id = :id),
       (SELECT count(*) FROM referrals WHERE :id IN (referrer_id, prospect_id, member_id)))sql");
    q.bind(":id", contact_id);
    q.executeStep();
    return {q.getColumn(0).getInt(), q.getColumn(1).getInt(), q.getColumn(2).getInt()};
}

void Repository::delete_contact(Id contact_id) {
    sql::Statement q(*db_, "DELETE FROM contacts WHERE id = ?");
    q.bind(1, contact_id);
    if (q.exec() == 0) throw NotFound(fmt::format("no contact #{}", contact_id));
}

void Repository::move_contact_records(Id from, Id to) {
    for (const char* sql : {
             "UPDATE followups SET contact_id = :to WHERE contact_id = :from",
             "UPDATE interactions SET contact_id = :to WHERE contact_id = :from",
             "UPDATE referrals SET referrer_id = :to WHERE referrer_id = :from",
             "UPDATE referrals SET prospect_id = :to WHERE prospect_id = :from",
             "UPDATE referrals SET member_id = :to WHERE member_id = :from",
             "UPDATE contacts SET referred_by = CASE WHEN id = :to THEN NULL ELSE :to END "
             "WHERE referred_by = :from",
         }) {
        sql::Statement q(*db_, sql);
        q.bind(":from", from);
        q.bind(":to", to);
        q.exec();
    }
}

void Repository::touch(Id contact_id, Instant at) {
    sql::Statement& q = cached("UPDATE contacts SET last_touch = ? WHERE id = ? AND "
                               "(last_touch IS NULL OR last_touch < ?)");
    q.bind(1, secs(at));
    q.bind(2, contact_id);
    q.bind(3, secs(at));
    q.exec();
}

void Repository::recompute_last_touch(Id contact_id) {
    sql::Statement q(
        *db_, "UPDATE contacts SET last_touch = coalesce((SELECT max(at) FROM "
              "interactions WHERE contact_id = :id), CASE WHEN met IS NULL THEN NULL WHEN met < "
              "created THEN met ELSE created END) "
              "WHERE id = :id");
    q.bind(":id", contact_id);
    q.exec();
}

std::pair<std::optional<Instant>, std::optional<Instant>>
Repository::last_touch_each_way(Id contact_id) {
    sql::Statement q(*db_, "SELECT (SELECT max(at) FROM interactions WHERE contact_id = :id "
                           "AND direction = 'out'), (SELECT max(at) FROM interactions WHERE "
                           "contact_id = :id AND direction = 'in')");
    q.bind(":id", contact_id);
    q.executeStep();
    return {opt_instant(q.getColumn(0)), opt_instant(q.getColumn(1))};
}

// ------------------------------------------------------------------------------- follow-ups

void Repository::insert_followup(Followup& f) {
    if (f.uuid.empty()) f.uuid = text::uuid4();
    if (f.created == Instant{}) f.created = now_;
    if (f.original_due == Instant{}) f.original_due = f.due;
    sql::Statement& q = cached(R"sql(
INSERT INTO followups (id, uuid, contact_id, kind, title, due, original_due, status, referral_id,
                       created, done_at, note, campaign, place, length, channel)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    bind_opt(q, 1, keep_ids_ && f.id ? std::optional<Id>(f.id) : std::nullopt);
    q.bind(2, f.uuid);
    q.bind(3, f.contact_id);
    q.bind(4, std::string(to_string(f.kind)));
    q.bind(5, f.title);
    q.bind(6, secs(f.due));
    q.bind(7, secs(f.original_due));
    q.bind(8, std::string(to_string(f.status)));
    bind_opt(q, 9, f.referral_id);
    q.bind(10, secs(f.created));
    bind_opt(q, 11, f.done_at);
    q.bind(12, f.note);
    q.bind(13, f.campaign);
    q.bind(14, f.place);
    if (f.length)
        q.bind(15, static_cast<std::int64_t>(f.length->count()));
    else
        q.bind(15);
    // Only a connect step keeps a channel of its own: the network it happens on.
    q.bind(16, f.kind == Kind::connect ? f.channel : std::string());
    q.exec();
    f.id = db_->last_insert_id();
}

void Repository::update_followup(const Followup& f) {
    sql::Statement q(*db_, "UPDATE followups SET title = ?, due = ?, original_due = ?, "
                           "status = ?, done_at = ?, note = ?, place = ?, length = ?, "
                           "channel = ? WHERE id = ?");
    q.bind(1, f.title);
    q.bind(2, secs(f.due));
    q.bind(3, secs(f.original_due));
    q.bind(4, std::string(to_string(f.status)));
    bind_opt(q, 5, f.done_at);
    q.bind(6, f.note);
    q.bind(7, f.place);
    if (f.length)
        q.bind(8, static_cast<std::int64_t>(f.length->count()));
    else
        q.bind(8);
    q.bind(9, f.kind == Kind::connect ? f.channel : std::string());
    q.bind(10, f.id);
    if (q.exec() == 0) throw NotFound(fmt::format("no follow-up {}", f.id));
}

Followup Repository::get_followup(Id id) {
    sql::Statement q(*db_, fmt::format("SELECT {} FROM followups f JOIN contacts c ON "
                                       "c.id = f.contact_id WHERE f.id = ?",
                                       followup_columns));
    q.bind(1, id);
    if (!q.executeStep()) throw NotFound(fmt::format("no follow-up {}", id));
    return read_followup(q);
}

namespace {

/// The conditions of a DueQuery after `WHERE`, with the parameters bind_due_query binds. The
/// literal status = 'open' lets SQLite use the partial index followups_open_due.
std::string due_conditions(const DueQuery& query) {
    std::string sql = "f.status = 'open' AND c.archived = 0";
    if (query.until) sql += " AND f.due <= :until";
    if (query.contact_id) sql += " AND f.contact_id = :contact";
    if (query.kind) sql += " AND f.kind = :kind";
    if (query.event_id) sql += " AND c.event_id = :event";
    return sql;
}

void bind_due_query(sql::Statement& q, const DueQuery& query) {
    if (query.until) q.bind(":until", secs(*query.until));
    if (query.contact_id) q.bind(":contact", *query.contact_id);
    if (query.kind) q.bind(":kind", std::string(to_string(*query.kind)));
    if (query.event_id) q.bind(":event", *query.event_id);
}

} // namespace

Repository::DueCount Repository::count_due(const DueQuery& query) {
    sql::Statement q(*db_, fmt::format("SELECT count(*), min(f.due) FROM followups f JOIN "
                                       "contacts c ON c.id = f.contact_id WHERE {}",
                                       due_conditions(query)));
    bind_due_query(q, query);
    DueCount out;
    if (!q.executeStep()) return out;
    out.rows = q.getColumn(0).getInt64();
    if (query.limit) out.rows = std::min<std::int64_t>(out.rows, *query.limit);
    out.earliest = opt_instant(q.getColumn(1));
    return out;
}

std::vector<Followup> Repository::due(const DueQuery& query) {
    // The table reads eight columns of the eighteen: the other ten are neither decoded by SQLite
    // nor copied into strings.
    // Each follow-up comes with its contact's reach rows, joined (one row per reach row, in the
    // order of the covering index reach_of_contact, so no sort), and is placed when its rows
    // end. With a limit, which counts follow-ups and not joined rows, the reach rows of the
    // listed contacts are read after, in one statement.
    const bool joined = !query.limit;
    const int reach_column = query.listing ? followup_listing_column_count : followup_column_count;
    std::string sql = fmt::format(
        "SELECT {}{} FROM followups f JOIN contacts c ON c.id = f.contact_id{} WHERE {}",
        query.listing ? followup_listing_columns : followup_columns_bulk,
        joined ? ", r.kind, r.value, r.label, r.network" : "",
        joined ? " LEFT JOIN reach r ON r.contact_id = f.contact_id" : "", due_conditions(query));
    sql += joined ? " ORDER BY f.due, f.id, r.kind, r.position" : " ORDER BY f.due, f.id";
    if (query.limit) sql += " LIMIT :limit";
    sql::Statement q(*db_, sql);
    if (query.limit) q.bind(":limit", *query.limit);
    bind_due_query(q, query);
    std::vector<Followup> out;
    if (joined) {
        Contact c;
        while (q.executeStep()) {
            if (out.empty() || out.back().id != q.getColumn(0).getInt64()) {
                if (!out.empty()) place_unplaced(out.back(), c);
                clear_reach(c);
                out.push_back(query.listing ? read_followup_listed(q) : read_followup_unplaced(q));
            }
            if (!q.getColumn(reach_column).isNull()) add_reach_row(c, q, reach_column);
        }
        if (!out.empty()) place_unplaced(out.back(), c);
        return out;
    }
    while (q.executeStep())
        out.push_back(query.listing ? read_followup_listed(q) : read_followup_unplaced(q));
    if (out.empty()) return out;
    // The listed contacts' ids as a JSON array, for json_each.
    std::string ids = "[";
    for (const auto& f : out)
        fmt::format_to(std::back_inserter(ids), "{},", f.contact_id);
    ids.back() = ']';
    // The covering index reach_of_contact (schema 6) holds every column read here.
    sql::Statement reach(
        *db_, FOLLOWUP_REACH_ROWS("WHERE contact_id IN (SELECT value FROM json_each(?))"));
    reach.bind(1, ids);
    place_followups(out, reach);
    return out;
}

std::vector<Followup> Repository::followups_of(Id contact_id) {
    // Prepared once per command, as get_contact.
    static const std::string sql =
        fmt::format("SELECT {} FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE "
                    "f.contact_id = ? ORDER BY f.status <> 'open', f.due, f.id",
                    followup_columns);
    sql::Statement& q = cached(sql.c_str());
    q.bind(1, contact_id);
    std::vector<Followup> out;
    while (q.executeStep())
        out.push_back(read_followup(q));
    return out;
}

// ----------------------------------------------------------------------------- interactions

void Repository::insert_interaction(Interaction& i, bool move_last_touch) {
    if (i.uuid.empty()) i.uuid = text::uuid4();
    sql::Statement& q = cached(R"sql(
INSERT INTO interactions (id, uuid, contact_id, at, channel, direction, note, followup_id, created,
                          chase, campaign)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    bind_opt(q, 1, keep_ids_ && i.id ? std::optional<Id>(i.id) : std::nullopt);
    q.bind(2, i.uuid);
    q.bind(3, i.contact_id);
    q.bind(4, secs(i.at));
    q.bind(5, i.channel);
    q.bind(6, i.direction == Direction::in ? "in" : "out");
    q.bind(7, i.note);
    bind_opt(q, 8, i.followup_id);
    q.bind(9, secs(now_));
    q.bind(10, i.chase ? 1 : 0);
    q.bind(11, i.campaign);
    q.exec();
    i.id = db_->last_insert_id();
    if (move_last_touch) touch(i.contact_id, i.at);
}

namespace {

constexpr const char* interaction_select =
    "SELECT i.id, i.uuid, i.contact_id, c.name, i.at, i.channel, i.direction, i.note, "
    "i.followup_id, i.chase, i.campaign FROM interactions i JOIN contacts c ON c.id = "
    "i.contact_id";

std::vector<Interaction> read_interactions(sql::Statement& q) {
    std::vector<Interaction> out;
    while (q.executeStep()) {
        Interaction i;
        i.id = q.getColumn(0).getInt64();
        i.uuid = q.getColumn(1).getString();
        i.contact_id = q.getColumn(2).getInt64();
        i.contact = q.getColumn(3).getString();
        i.at = instant(q.getColumn(4).getInt64());
        i.channel = q.getColumn(5).getString();
        i.direction = q.getColumn(6).getString() == "in" ? Direction::in : Direction::out;
        i.note = q.getColumn(7).getString();
        i.followup_id = opt_id(q.getColumn(8));
        i.chase = q.getColumn(9).getInt() != 0;
        i.campaign = q.getColumn(10).getString();
        out.push_back(std::move(i));
    }
    return out;
}

} // namespace

void Repository::delete_interaction(Id id) {
    sql::Statement q(*db_, "DELETE FROM interactions WHERE id = ?");
    q.bind(1, id);
    q.exec();
}

std::vector<Interaction> Repository::chases_of(Id followup_id) {
    sql::Statement q(*db_, fmt::format("{} WHERE i.followup_id = ? AND i.chase = 1 "
                                       "ORDER BY i.at, i.id",
                                       interaction_select));
    q.bind(1, followup_id);
    return read_interactions(q);
}

std::vector<std::string> Repository::campaigns() {
    sql::Statement q(*db_, "SELECT campaign FROM (SELECT campaign, min(created) AS first FROM "
                           "(SELECT campaign, created FROM interactions WHERE campaign <> '' "
                           "UNION ALL SELECT campaign, created FROM followups WHERE campaign "
                           "<> '') AS u GROUP BY campaign) AS g ORDER BY first, campaign");
    std::vector<std::string> out;
    while (q.executeStep())
        out.push_back(q.getColumn(0).getString());
    return out;
}

std::vector<Interaction> Repository::campaign_touches(const std::string& campaign) {
    sql::Statement q(
        *db_, fmt::format("{} WHERE i.campaign = ? ORDER BY i.at, i.id", interaction_select));
    q.bind(1, campaign);
    return read_interactions(q);
}

std::vector<Interaction> Repository::incoming_since(Id contact_id, Instant from) {
    sql::Statement q(*db_, fmt::format("{} WHERE i.contact_id = ? AND i.direction = 'in' AND "
                                       "i.at > ? ORDER BY i.at, i.id",
                                       interaction_select));
    q.bind(1, contact_id);
    q.bind(2, secs(from));
    return read_interactions(q);
}

std::vector<Interaction> Repository::interactions_of(Id contact_id) {
    sql::Statement q(*db_, fmt::format("{} WHERE i.contact_id = ? ORDER BY i.at DESC, i.id DESC",
                                       interaction_select));
    q.bind(1, contact_id);
    return read_interactions(q);
}

// -------------------------------------------------------------------------------- referrals

namespace {

constexpr const char* referral_select = R"sql(
SELECT r.id, r.uuid, r.direction, r.referrer_id, a.name, r.prospect_id, p.name, r.member_id,
       m.name, r.status, r.amount, r.note, r.created, r.updated, r.passed_from
FROM referrals r LEFT JOIN contacts a ON a.id = r.referrer_id
LEFT JOIN contacts p ON p.id = r.prospect_id LEFT JOIN contacts m ON m.id = r.member_id
)sql";

std::vector<Referral> read_referrals(sql::Statement& q) {
    std::vector<Referral> out;
    while (q.executeStep()) {
        Referral r;
        r.id = q.getColumn(0).getInt64();
        r.uuid = q.getColumn(1).getString();
        r.direction = q.getColumn(2).getString();
        r.referrer_id = opt_id(q.getColumn(3));
        r.referrer = q.getColumn(4).getString();
        r.prospect_id = opt_id(q.getColumn(5));
        r.prospect = q.getColumn(6).getString();
        r.member_id = opt_id(q.getColumn(7));
        r.member = q.getColumn(8).getString();
        r.status = q.getColumn(9).getString();
        if (!q.getColumn(10).isNull()) r.amount = q.getColumn(10).getDouble();
        r.note = q.getColumn(11).getString();
        r.created = instant(q.getColumn(12).getInt64());
        r.updated = instant(q.getColumn(13).getInt64());
        r.passed_from = opt_id(q.getColumn(14));
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

std::vector<Referral> Repository::referrals_of(Id contact_id) {
    sql::Statement q(*db_, fmt::format("{} WHERE :id IN (r.referrer_id, r.prospect_id, "
                                       "r.member_id) ORDER BY r.created DESC, r.id DESC",
                                       referral_select));
    q.bind(":id", contact_id);
    return read_referrals(q);
}

std::vector<Referral> Repository::referrals(const std::string& direction, bool open_only) {
    std::string sql = fmt::format("{} WHERE TRUE", referral_select);
    if (!direction.empty()) sql += " AND r.direction = :direction";
    if (open_only) sql += " AND r.status IN ('new', 'contacted', 'met')";
    sql += " ORDER BY r.created, r.id";
    sql::Statement q(*db_, sql);
    if (!direction.empty()) q.bind(":direction", direction);
    return read_referrals(q);
}

Referral Repository::get_referral(Id id) {
    sql::Statement q(*db_, fmt::format("{} WHERE r.id = ?", referral_select));
    q.bind(1, id);
    auto rows = read_referrals(q);
    if (rows.empty()) throw NotFound(fmt::format("no referral {}", id));
    return rows.front();
}

void Repository::insert_referral(Referral& r, bool first_step) {
    if (r.uuid.empty()) r.uuid = text::uuid4();
    if (r.created == Instant{}) r.created = now_;
    if (r.updated == Instant{}) r.updated = r.created;
    sql::Statement q(*db_, R"sql(
INSERT INTO referrals (id, uuid, direction, referrer_id, prospect_id, member_id, status, amount, note,
                       created, updated, passed_from)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    bind_opt(q, 1, keep_ids_ && r.id ? std::optional<Id>(r.id) : std::nullopt);
    q.bind(2, r.uuid);
    q.bind(3, r.direction);
    bind_opt(q, 4, r.referrer_id);
    bind_opt(q, 5, r.prospect_id);
    bind_opt(q, 6, r.member_id);
    q.bind(7, r.status);
    if (r.amount)
        q.bind(8, *r.amount);
    else
        q.bind(8);
    q.bind(9, r.note);
    q.bind(10, secs(r.created));
    q.bind(11, secs(r.updated));
    bind_opt(q, 12, r.passed_from);
    q.exec();
    r.id = db_->last_insert_id();
    if (first_step) add_referral_event(r.id, r.status, r.note);
}

void Repository::update_referral(Referral& r) {
    r.updated = now_;
    sql::Statement q(
        *db_, "UPDATE referrals SET status = ?, amount = ?, note = ?, updated = ? WHERE id = ?");
    q.bind(1, r.status);
    if (r.amount)
        q.bind(2, *r.amount);
    else
        q.bind(2);
    q.bind(3, r.note);
    q.bind(4, secs(r.updated));
    q.bind(5, r.id);
    if (q.exec() == 0) throw NotFound(fmt::format("no referral {}", r.id));
}

void Repository::add_referral_event(Id referral_id, const std::string& status,
                                    const std::string& note, std::optional<Instant> at) {
    sql::Statement q(*db_, "INSERT INTO referral_events (referral_id, status, at, note) "
                           "VALUES (?, ?, ?, ?)");
    q.bind(1, referral_id);
    q.bind(2, status);
    q.bind(3, secs(at.value_or(now_)));
    q.bind(4, note);
    q.exec();
}

std::vector<std::pair<Instant, std::string>> Repository::referral_history(Id referral_id) {
    sql::Statement q(*db_, "SELECT at, status FROM referral_events WHERE referral_id = ? "
                           "ORDER BY at, id");
    q.bind(1, referral_id);
    std::vector<std::pair<Instant, std::string>> out;
    while (q.executeStep())
        out.emplace_back(instant(q.getColumn(0).getInt64()), q.getColumn(1).getString());
    return out;
}

// ----------------------------------------------------------------------------- statements

sql::Statement& Repository::cached(const char* sql) {
    auto& slot = statements_[sql];
    if (!slot) {
        slot = std::make_unique<sql::Statement>(*db_, sql);
    } else {
        slot->reset();
        slot->clearBindings();
    }
    return *slot;
}

// ------------------------------------------------------------------------- whole-table reads

std::vector<Event> Repository::all_events() {
    sql::Statement q(*db_, fmt::format("{} ORDER BY id", event_select));
    std::vector<Event> out;
    while (q.executeStep())
        out.push_back(read_event(q));
    return out;
}

std::vector<Contact> Repository::all_contacts() {
    std::vector<Contact> out;
    {
        sql::Statement q(
            *db_, fmt::format("SELECT {}{} ORDER BY c.id", contact_columns_bulk, contact_joins));
        while (q.executeStep())
            out.push_back(read_contact(q));
    }
    auto reach = read_all_reach(*db_);
    for (auto& c : out)
        take_reach(c, reach);
    // Tags in one pass, in id order like the contacts (no query per contact).
    sql::Statement t(*db_, "SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag");
    std::size_t at = 0;
    while (t.executeStep()) {
        Id id = t.getColumn(0).getInt64();
        while (at < out.size() && out[at].id < id)
            ++at;
        if (at < out.size() && out[at].id == id) out[at].tags.push_back(t.getColumn(1).getString());
    }
    return out;
}

std::vector<Followup> Repository::all_followups(bool open_only) {
    sql::Statement q(*db_, fmt::format("SELECT {} FROM followups f JOIN contacts c ON "
                                       "c.id = f.contact_id{} ORDER BY f.id",
                                       // The open ones are few: their rows each.
                                       open_only ? followup_columns : followup_columns_bulk,
                                       open_only ? " WHERE f.status = 'open' AND "
                                                   "c.archived = 0"
                                                 : ""));
    std::vector<Followup> out;
    while (q.executeStep())
        out.push_back(open_only ? read_followup(q) : read_followup_unplaced(q));
    if (open_only) return out;
    sql::Statement reach(*db_, FOLLOWUP_REACH_ROWS(""));
    place_followups(out, reach);
    return out;
}

std::vector<Interaction> Repository::all_interactions() {
    sql::Statement q(*db_, fmt::format("{} ORDER BY i.id", interaction_select));
    return read_interactions(q);
}

std::vector<ReferralStep> Repository::all_referral_steps() {
    sql::Statement q(*db_, "SELECT referral_id, at, status, note FROM referral_events "
                           "ORDER BY referral_id, at, id");
    std::vector<ReferralStep> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), instant(q.getColumn(1).getInt64()),
                       q.getColumn(2).getString(), q.getColumn(3).getString()});
    return out;
}

std::vector<ContactKey> Repository::contact_keys() {
    sql::Statement q(*db_, "SELECT c.id, c.uuid, c.name, r.kind, r.value, r.network FROM "
                           "contacts c LEFT JOIN reach r ON r.contact_id = c.id AND "
                           "r.kind IN ('email', 'phone', 'profile') "
                           "ORDER BY c.id, r.kind, r.position");
    std::vector<ContactKey> out;
    while (q.executeStep()) {
        Id id = q.getColumn(0).getInt64();
        if (out.empty() || out.back().id != id)
            out.push_back({id, q.getColumn(1).getString(), {}, q.getColumn(2).getString(), {}, {}});
        if (q.getColumn(3).isNull()) continue;
        std::string kind = q.getColumn(3).getString();
        if (kind[0] == 'e')
            out.back().emails.push_back(q.getColumn(4).getString());
        else if (kind[1] == 'h')
            out.back().phones.push_back(q.getColumn(4).getString());
        else
            out.back().profiles.push_back({q.getColumn(5).getString(), q.getColumn(4).getString()});
    }
    return out;
}

std::optional<Id> Repository::find_uuid(std::string_view table, const std::string& uuid) {
    const char* sql = table == "followups"      ? "SELECT id FROM followups WHERE uuid = ?"
                      : table == "interactions" ? "SELECT id FROM interactions WHERE uuid = ?"
                      : table == "referrals"    ? "SELECT id FROM referrals WHERE uuid = ?"
                      : table == "events"       ? "SELECT id FROM events WHERE uuid = ?"
                      : table == "contacts"     ? "SELECT id FROM contacts WHERE uuid = ?"
                                                : nullptr;
    if (sql == nullptr) throw Error(fmt::format("internal: no table {}", table));
    sql::Statement& q = cached(sql);
    q.bind(1, uuid);
    if (!q.executeStep()) return std::nullopt;
    Id id = q.getColumn(0).getInt64();
    q.reset();
    return id;
}

bool Repository::has_open_reconnect(Id contact_id) {
    sql::Statement& q = cached("SELECT 1 FROM followups WHERE contact_id = ? AND "
                               "kind = 'reconnect' AND status = 'open'");
    q.bind(1, contact_id);
    bool found = q.executeStep();
    q.reset();
    return found;
}

StatsRows Repository::stats_rows(std::optional<Instant> since, Instant now, Instant touches_from) {
    StatsRows s;
    const std::int64_t from = since ? secs(*since) : std::numeric_limits<std::int64_t>::min();
    sql::Statement done(*db_, "SELECT done_at - original_due, CASE WHEN kind = 'waiting' THEN 1 "
                              "ELSE 0 END FROM followups WHERE status = 'done' AND done_at >= ?");
    done.bind(1, from);
    while (done.executeStep())
        s.lateness.emplace_back(done.getColumn(0).getInt64(), done.getColumn(1).getInt() != 0);
    auto count = [&](const char* sql, std::int64_t a) {
        sql::Statement q(*db_, sql);
        q.bind(1, a);
        q.executeStep();
        return q.getColumn(0).getInt();
    };
    const char* open_sql = "SELECT count(*) FROM followups f JOIN contacts c ON c.id = "
                           "f.contact_id WHERE f.status = 'open' AND c.archived = 0 AND f.due < ?";
    s.open = count(open_sql, std::numeric_limits<std::int64_t>::max());
    s.overdue = count(open_sql, secs(now));
    for (auto& r : referrals("", false))
        if (secs(r.created) >= from) s.referrals.push_back(std::move(r));
    sql::Statement touches(*db_, "SELECT at FROM interactions WHERE at >= ? AND at <= ?");
    touches.bind(1, secs(touches_from));
    touches.bind(2, secs(now));
    while (touches.executeStep())
        s.touches.push_back(instant(touches.getColumn(0).getInt64()));
    return s;
}

bool is_server_location(std::string_view location) {
    return sql::is_postgres_location(location);
}

void check_location(std::string_view location) {
    if (location == ":memory:")
        throw Error(fmt::format("cannot use database {}: an in-memory database keeps nothing; a "
                                "location is a file path or a postgresql:// URI",
                                location));
    if (location.starts_with("file:"))
        throw Error(fmt::format("cannot use database {}: a location is a file path or a "
                                "postgresql:// URI, not a SQLite URI (a file of that name: "
                                "./{})",
                                location, location));
    if (location.empty()) throw Error("cannot use database '': the location is empty");
}

std::string database_path(const std::string& flag, const char* followup_db, const char* xdg_data,
                          const char* home) {
    if (!flag.empty()) return flag;
    if (followup_db && *followup_db) return followup_db;
    if (xdg_data && *xdg_data == '/') return std::string(xdg_data) + "/followup/followup.db";
    if (home && *home) return std::string(home) + "/.local/share/followup/followup.db";
    throw DatabaseError("cannot find the database: set FOLLOWUP_DB, XDG_DATA_HOME or HOME, or "
                        "pass --db PATH");
}

} // namespace followup
