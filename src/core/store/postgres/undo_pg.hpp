#pragma once
// The undo log on PostgreSQL: row images kept by the trigger followup_undo_row (see the schema
// in postgres.cpp) while the transaction-local setting followup.undo names a row of undo_log.

#include "sql.hpp"

#include <cstdint>
#include <followup/store/repository.hpp>
#include <followup/time/dates.hpp>
#include <string>
#include <vector>

namespace followup::undo_pg {

/// The tables whose changes the trigger followup_undo_row records (every table of a member's
/// records); a table's name read from the log is one of these before it goes into SQL.
inline constexpr const char* recorded_tables[] = {"events",          "contacts",  "contact_tags",
                                                  "referrals",       "followups", "interactions",
                                                  "referral_events", "reach"};

/// Starts recording the current transaction as `command`; returns its row of undo_log.
std::int64_t begin(sql::Connection& db, Instant at, const std::string& command);
/// Stops recording it and keeps only a barrier, which `undo` refuses to cross.
void barrier(sql::Connection& db, std::int64_t log);
/// Before commit: drops the log's row when nothing was changed, and keeps the newest `depth`.
void end(sql::Connection& db, std::int64_t log, int depth);
/// The newest commands of the log (of the connected member), newest first.
std::vector<UndoEntry> entries(sql::Connection& db, int limit);
/// Puts back the before-images of the newest command, newest row first, inside the caller's
/// write transaction, and removes it from the log. Throws NotFound when there is nothing to
/// undo, and Error naming the row when one has changed since.
UndoEntry undo(sql::Connection& db);

} // namespace followup::undo_pg
