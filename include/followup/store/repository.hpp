#pragma once
// The store: every query followup runs, behind one interface. The database is a SQLite file
// (the default) or a PostgreSQL server (a postgresql:// URI); the drivers live in src/core/store
// and nothing outside that folder sees SQL.

#include <followup/domain/identity.hpp>
#include <followup/domain/model.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/domain/stats.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

namespace sql {
class Connection;
class Statement;
} // namespace sql

/// The schema version this build writes (`PRAGMA user_version` on SQLite, the table
/// followup_schema on PostgreSQL).
inline constexpr int schema_version = 7;

/// Filters of `followup due`: open follow-ups of active contacts due at or before `until`.
struct DueQuery {
    std::optional<Instant> until; ///< nullopt: no upper bound
    std::optional<Id> contact_id;
    std::optional<Kind> kind;
    std::optional<Id> event_id;
    std::optional<int> limit; ///< at most this many rows
    /// Only what the table of `due` shows: id, contact (id and name), kind, title, deadline,
    /// channel and handle; every other field of the rows is left at its default.
    bool listing{};
};

/// Filters of `followup contacts`.
struct ContactQuery {
    std::string text; ///< folded substring of name, company, title, email or a tag
    std::string tag;
    std::optional<Id> event_id;
    bool archived{};                     ///< list archived contacts instead of active ones
    std::optional<Instant> stale_before; ///< only contacts not touched since, oldest first
    /// Only contacts whose last outgoing touch was at or before this and who have not answered
    /// (no incoming touch) since it, longest silent first.
    std::optional<Instant> no_reply_before;
};

/// A contact row of `followup contacts`, with its next open deadline.
struct ContactRow {
    Contact contact;
    std::optional<Instant> next_due;
    int open{};
};

/// What an event returned, for `followup events`.
struct EventSummary {
    Event event;
    int people{};
    int steps_due{};     ///< 24/7/30 steps that are closed or past their original deadline
    int steps_on_time{}; ///< of those, done by their original deadline
    int one_to_ones{};   ///< meetings held (done); for contacts without a booked meeting, `meet`
                         ///< steps done
    int referrals{};     ///< referrals that involve someone met there
    Ledger ledger;       ///< those referrals added up (domain/referrals.hpp)
};

/// Counts of what deleting a contact removes.
struct ContactFootprint {
    int followups{};
    int interactions{};
    int referrals{};
};

/// What contacts are matched by on import.
struct ContactKey {
    Id id{};
    std::string uuid;
    std::vector<std::string> emails;
    std::string name;
    std::vector<std::string> phones;
    std::vector<Profile> profiles;
};

/// One command recorded in the undo log.
struct UndoEntry {
    Id id{};
    Instant at;
    std::string command;              ///< the command line, e.g. "done 12 13"
    std::vector<std::string> changes; ///< "1 follow-up updated", "1 touch added"
};

/// The database of one user. All writes of a command go through one Transaction.
class Repository {
public:
    /// Opens and migrates the database at `location`: a SQLite file (created when missing,
    /// with mode 0600 in a 0700 folder), ":memory:" for a private in-memory database, or a
    /// PostgreSQL URI or key=value string. Throws DatabaseError.
    explicit Repository(const std::string& location);
    ~Repository();
    Repository(const Repository&) = delete;
    Repository& operator=(const Repository&) = delete;

    /// The underlying connection, for the store's own files (undo, maintenance) and tests.
    sql::Connection& connection();

    /// The schema version stored in the database.
    int stored_version();

    /// The file's path ("" for an in-memory database or a server).
    [[nodiscard]] const std::string& path() const { return path_; }
    /// True when the database is a PostgreSQL server.
    [[nodiscard]] bool on_server() const { return server_; }
    /// Where the database is, for messages: the path, or the server's URI without a password.
    [[nodiscard]] std::string where() const;

    /// Tells the store what the next reads are: a bulk load of thousands of records (a large
    /// cache) or one page of rows (a small one, less to set up).
    void expect_bulk(bool bulk);

    /// True when this Repository created the file (it did not exist before).
    [[nodiscard]] bool created() const { return created_; }

    /// True once a write transaction of this Repository has committed.
    [[nodiscard]] bool wrote() const { return wrote_; }

    /// One transaction: immediate (takes the write lock up front) for writers, deferred for
    /// readers. Rolls back when destroyed without commit(). A writer given a `command` (the
    /// words of the command line) records what it changed in the undo log when it commits.
    class Transaction {
    public:
        Transaction(Repository& repo, bool write, std::string command = {});
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();
        /// Records nothing of this command but a barrier in the undo log, which `undo` refuses
        /// to cross (for writes too large to record, such as a big import).
        void unrecorded();

    private:
        void commit_recorded();
        Repository& repo_;
        bool write_{};
        bool open_{};
        std::string command_;
        bool barrier_{};
        std::int64_t server_log_{}; ///< on PostgreSQL: this command's row of undo_log
        struct Recorder;
        std::unique_ptr<Recorder> recorder_;
    };

    /// The last commands that wrote, newest first, as recorded for undo.
    std::vector<UndoEntry> undo_log(int limit);
    /// Reverts the newest command of the undo log in a transaction of its own (not inside
    /// another), and removes it from the log. Throws NotFound when there is nothing to undo, and
    /// Error naming the row when a row it would revert has changed since (nothing is then changed).
    UndoEntry undo_last();
    /// Recomputes a contact's last touch from its interactions (or when it was met).
    void recompute_last_touch(Id contact_id);
    /// Deletes an interaction.
    void delete_interaction(Id id);
    /// The chases logged for a follow-up, oldest first.
    std::vector<Interaction> chases_of(Id followup_id);
    /// The last touch each way: (last out, last in).
    std::pair<std::optional<Instant>, std::optional<Instant>> last_touch_each_way(Id contact_id);
    /// Interactions and follow-ups labelled with a campaign: every campaign name, oldest first.
    std::vector<std::string> campaigns();
    /// The interactions of one campaign, oldest first.
    std::vector<Interaction> campaign_touches(const std::string& campaign);
    /// Incoming touches of a contact after `from` (strictly), oldest first.
    std::vector<Interaction> incoming_since(Id contact_id, Instant from);

    // Events.
    /// The event of that name (case-insensitive), if any.
    std::optional<Event> find_event(std::string_view name);
    /// The event of that name, created (with `on` as its date) when missing.
    Event find_or_create_event(std::string_view name, std::optional<date::local_days> on,
                               Instant now);
    /// Inserts an event; throws Error when one of that name exists.
    Event add_event(Event event);
    /// Every event, newest first, with what it returned by `now`.
    std::vector<EventSummary> event_summaries(Instant now);

    // Contacts.
    /// Inserts a contact and its tags; fills in id, uuid and created.
    void insert_contact(Contact& contact);
    /// Writes every field and the tags of an existing contact.
    void update_contact(const Contact& contact);
    /// The contact with that id; throws NotFound.
    Contact get_contact(Id id);
    /// The contacts a typed name is matched against (identity::look_up_name decides): those
    /// whose folded name holds `folded_part` (text::fold), or every contact when it is "".
    std::vector<identity::NameCandidate> name_candidates(std::string_view folded_part);
    /// The contacts that may share an email, phone or profile with `c` (narrowed, not decided:
    /// identity::match_person decides).
    std::vector<ContactKey> contacts_sharing(const Contact& c);
    /// Contacts matching the query, by name.
    std::vector<ContactRow> list_contacts(const ContactQuery& query);
    /// What deleting the contact would remove.
    ContactFootprint footprint(Id contact_id);
    /// Deletes a contact with its follow-ups, interactions and tags; referrals keep their row.
    void delete_contact(Id contact_id);
    /// Moves everything attached to contact `from` to contact `to`: its follow-ups and
    /// interactions, the referrals it is referrer, prospect or member of, and the contacts it
    /// introduced (a merge; `from` is then deleted by the caller).
    void move_contact_records(Id from, Id to);
    /// Sets last_touch to `at` when that is later than the stored one.
    void touch(Id contact_id, Instant at);

    // Follow-ups.
    /// Inserts a follow-up; fills in id, uuid and created (original_due defaults to due).
    void insert_followup(Followup& followup);
    /// Writes the mutable fields: title, due, original_due, status, done_at, note.
    void update_followup(const Followup& followup);
    /// The follow-up with that id; throws NotFound.
    Followup get_followup(Id id);
    /// Open follow-ups of active contacts for `due`, by deadline.
    std::vector<Followup> due(const DueQuery& query);
    /// How many rows due(query) would return (at most its limit), and the earliest deadline
    /// among them: for `due --count`, without reading the rows.
    struct DueCount {
        std::int64_t rows{};
        std::optional<Instant> earliest;
    };
    DueCount count_due(const DueQuery& query);
    /// Every follow-up of a contact: open ones by deadline, then closed ones.
    std::vector<Followup> followups_of(Id contact_id);

    // Interactions.
    /// Inserts an interaction and (unless told the caller has set it already) moves the
    /// contact's last touch; fills in id and uuid.
    void insert_interaction(Interaction& interaction, bool move_last_touch = true);
    /// A contact's interactions, newest first.
    std::vector<Interaction> interactions_of(Id contact_id);

    // Referrals.
    /// Referrals in which the contact is referrer, prospect or member, newest first.
    std::vector<Referral> referrals_of(Id contact_id);
    /// The ledger: every referral ("received", "given" or "" for both), oldest first;
    /// `open_only` keeps those still new, contacted or met.
    std::vector<Referral> referrals(const std::string& direction, bool open_only);
    /// The referral with that id; throws NotFound.
    Referral get_referral(Id id);
    /// Inserts a referral and (unless `first_step` is false) the first step of its history;
    /// fills in id, uuid, and created and updated when they are unset.
    void insert_referral(Referral& referral, bool first_step = true);
    /// Writes status, amount and note, and stamps `updated`.
    void update_referral(Referral& referral);
    /// Appends a step to a referral's status history, at `at` (default: now).
    void add_referral_event(Id referral_id, const std::string& status, const std::string& note,
                            std::optional<Instant> at = std::nullopt);
    /// A referral's status history, oldest first.
    std::vector<std::pair<Instant, std::string>> referral_history(Id referral_id);

    // Whole tables, for export and import (one query each, in id order).
    std::vector<Event> all_events();
    /// Every contact, archived ones too, with tags.
    std::vector<Contact> all_contacts();
    /// Every follow-up; `open_only`: open ones of active contacts.
    std::vector<Followup> all_followups(bool open_only = false);
    std::vector<Interaction> all_interactions();
    std::vector<ReferralStep> all_referral_steps();
    /// The id, uuid, name, emails, phones and profiles of every contact.
    std::vector<ContactKey> contact_keys();
    /// The id of the record with that UUID in a table ("contacts", "events", "followups",
    /// "interactions", "referrals").
    std::optional<Id> find_uuid(std::string_view table, const std::string& uuid);
    /// True when the contact has an open `reconnect` follow-up.
    bool has_open_reconnect(Id contact_id);

    /// While on, insert_contact, insert_followup, insert_interaction and insert_referral keep
    /// the record's own id when it has one (a restore into an empty database); otherwise every
    /// insert gets a new id.
    void set_keep_ids(bool on) { keep_ids_ = on; }

    /// Sets the clock used for `created` stamps (tests and the command layer pass "now").
    void set_now(Instant now) { now_ = now; }

    /// What `followup stats` counts, from `from` on (`now`: for what is overdue).
    StatsRows stats_rows(std::optional<Instant> from, Instant now, Instant touches_from);

private:
    std::vector<UndoEntry> undo_log_rows(int limit);
    UndoEntry undo_newest();
    void write_tags(const Contact& contact);
    /// Writes a contact's emails, phones, addresses and profiles; `replace`: over its old ones,
    /// when they differ.
    void write_reach(const Contact& contact, bool replace);
    std::vector<std::string> tags_of(Id contact_id);

    /// A prepared statement kept for the life of the connection (reset and unbound), keyed by
    /// the address of a string literal: bulk inserts do not prepare the same SQL again.
    sql::Statement& cached(const char* sql);

    std::unique_ptr<sql::Connection> db_;
    std::map<const char*, std::unique_ptr<sql::Statement>> statements_; // after db_: freed first
    std::string path_;
    bool server_{};
    bool created_{};
    bool wrote_{};
    bool keep_ids_{};
    Instant now_{};
};

/// True when a database location names a PostgreSQL server (a postgresql:// or postgres://
/// URI, or a libpq key=value string such as "host=/run/pg dbname=chapter").
bool is_server_location(std::string_view location);

/// Refuses a location that is neither a file path nor a server's location: SQLite's own names
/// (`:memory:`, which keeps nothing, and `file:` URIs such as `file::memory:` or `file:x.db`)
/// throw Error naming it. (The store itself opens ":memory:" for tests and empty reads.)
void check_location(std::string_view location);

/// The database path: `--db` when given, else FOLLOWUP_DB, else
/// $XDG_DATA_HOME/followup/followup.db, else ~/.local/share/followup/followup.db.
std::string database_path(const std::string& flag, const char* followup_db, const char* xdg_data,
                          const char* home);

} // namespace followup
