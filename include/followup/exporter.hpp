#pragma once
// Exports of whole tables: followup's JSON backup, and the records of each kind.

#include <followup/formats.hpp>
#include <followup/model.hpp>
#include <string>
#include <vector>

namespace followup {

class Repository;

/// Version of the backup layout written in its "version" field.
inline constexpr int backup_version = 1;

/// A complete backup as one JSON object: "format": "followup", "version", "schema",
/// "exported", then "events", "contacts", "followups", "interactions" and "referrals", each an
/// array with one record per line. Records carry the spec's fields plus what a restore needs:
/// contacts their `referred_by_id`, referrals `referrer_id`, `prospect_id`, `member_id` and
/// their status `history`. `followup import` reads it back, UUIDs included.
std::string export_backup(Repository& repo, Instant now);

/// An event as a JSON record: id, uuid, name, on, place, created.
Record to_record(const Event& e);

} // namespace followup
