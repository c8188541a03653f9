#pragma once
// A chapter: several members sharing one PostgreSQL database, each member a database role whose
// rows (contacts, follow-ups, touches, events, referrals) row-level security keeps private.
// See docs/chapter.md. Only a PostgreSQL store has a chapter; on SQLite these throw UsageError.

#include <followup/store/repository.hpp>
#include <optional>
#include <string>
#include <vector>

namespace followup::chapter {

/// One member of the chapter: a database role and the name people know them by.
struct Member {
    std::string role;
    std::string name;
};

/// Prepares the database for a chapter (idempotent; run by the database's owner): the schema
/// when missing, the members table, an `owner` column (default current_user) on every table of
/// records, and row-level security (enabled and forced) keeping each member's rows to them.
void init(Repository& repo);

/// Creates the role ROLE with LOGIN (or adopts an existing role, giving it LOGIN), grants it
/// what followup needs and lists it among the members as `name`. `created` tells whether the
/// role was new. Throws UsageError for a role name that is not a plain lower-case identifier,
/// or when `db init` has not been run.
void add_member(Repository& repo, const std::string& role, const std::string& name, bool& created);

/// The members, by role.
std::vector<Member> members(Repository& repo);

// ------------------------------------------------------------ referrals shared between members
// A referral one member gives another is a row of the shared ledger (`chapter_referrals`), which
// only its giver and its receiver can read; each side keeps its own referral row (private, as
// every record) linked to it. The receiver's statuses are the shared row's reports (its steps);
// the giver's side takes them in. See docs/chapter.md.

/// A referral between two members, as the shared ledger holds it.
struct SharedReferral {
    Id id{};
    std::string uuid;
    std::string giver, receiver;           ///< roles
    std::string giver_name, receiver_name; ///< their names in the members list
    std::string prospect, email, phone, company;
    std::string note;
    std::string status{"new"};
    std::optional<double> amount;
    Instant created, updated;
    std::optional<Id> giver_referral;    ///< the giver's own referral row
    std::optional<Id> receiver_referral; ///< the receiver's, once taken in
};

/// A status the receiver set: the report the giver takes in.
struct SharedReport {
    Id id{};
    Id shared_id{};
    std::optional<Id> giver_referral;
    Instant at;
    std::string status, note;
    std::optional<double> amount;
};

/// What the chapter holds for the member connected, still to be taken into their own records.
struct Pending {
    Member me;
    std::vector<SharedReferral> incoming; ///< given to me, not taken in yet
    std::vector<SharedReport> reports;    ///< on referrals I gave, not seen yet, oldest first
};

/// The member connected; nullopt on SQLite, on a server without a chapter (or one whose
/// `db init` predates shared referrals), and for a user who is not a member (the admin).
std::optional<Member> me(Repository& repo);

/// The member connected and what waits for them (nullopt as for me()); `lock` (inside a
/// transaction) locks the shared rows until it ends.
std::optional<Pending> pending(Repository& repo, bool lock = false);

/// The member whose role is `ref`, or whose name is `ref` (case-insensitive); nullopt when no
/// member is (or there is no chapter).
std::optional<Member> find_member(Repository& repo, const std::string& ref);

/// Writes a new shared referral (the giver is the member connected); fills in id and uuid.
void share(Repository& repo, SharedReferral& referral);

/// Links the shared referral to the receiver's own referral row.
void take_in(Repository& repo, Id shared_id, Id receiver_referral);

/// Notes that the giver has taken in every report up to `report_id`.
void seen(Repository& repo, Id shared_id, Id report_id);

/// The shared referral the member's own referral row is linked to, if any.
std::optional<SharedReferral> shared_of(Repository& repo, Id own_referral);

/// The receiver's report: the shared referral's new status, amount and a step of its history.
void report(Repository& repo, Id shared_id, const std::string& status, std::optional<double> amount,
            const std::string& note, Instant at);

/// One member's line of the chapter's ledger.
struct LedgerLine {
    Member member;
    int given{}, received{}, one_to_ones{};
    double credited{}; ///< closed business of the referrals they gave
};

/// The chapter's ledger, per member by role: referrals given and received (created since
/// `since`), one-to-ones held (meet steps and meetings done since), and the business closed
/// (won since) on the referrals each gave. Every member may read it: counts and sums only.
std::vector<LedgerLine> ledger(Repository& repo, std::optional<Instant> since);

/// True when the role name is one followup accepts: [a-z_][a-z0-9_]*, at most 63 characters.
bool valid_role(const std::string& role);

} // namespace followup::chapter
