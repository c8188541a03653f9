#pragma once
// followup's JSON backup of a whole database, written as the store reads it.

#include <followup/domain/model.hpp>
#include <followup/interchange/formats.hpp>
#include <followup/store/repository.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// Receives exported text, piece by piece.
using BackupSink = std::function<void(std::string_view)>;

/// Version of the backup layout written in its "version" field.
inline constexpr int backup_version = 1;

/// A complete backup as one JSON object: "format": "followup", "version", "schema",
/// "exported", then "events", "contacts", "followups", "interactions" and "referrals", each an
/// array with one record per line. Records carry the spec's fields plus what a restore needs:
/// contacts their `referred_by_id`, referrals `referrer_id`, `prospect_id`, `member_id` and
/// their status `history`. `followup import` reads it back, UUIDs included.
/// The text is handed to `sink` in pieces of about 1 MiB, in order.
void export_backup(Repository& repo, Instant now, const BackupSink& sink);

} // namespace followup
