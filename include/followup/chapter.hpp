#pragma once
// A chapter: several members sharing one PostgreSQL database, each member a database role whose
// rows (contacts, follow-ups, touches, events, referrals) row-level security keeps private.
// See docs/chapter.md. Only a PostgreSQL store has a chapter; on SQLite these throw UsageError.

#include <followup/repository.hpp>
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

/// True when the role name is one followup accepts: [a-z_][a-z0-9_]*, at most 63 characters.
bool valid_role(const std::string& role);

} // namespace followup::chapter
