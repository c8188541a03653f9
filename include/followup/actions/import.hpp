#pragma once
// Import and restore: what was read from a file (interchange/importer.hpp) merged into the
// database, or a backup restored into an empty one, inside the caller's transaction.

#include <followup/interchange/importer.hpp>
#include <followup/store/repository.hpp>
#include <functional>
#include <optional>
#include <string>

namespace followup {

/// Options of an import.
struct ImportOptions {
    bool dry_run{};
    bool keep_actions{};  ///< fill ImportReport::actions
    int birthday_days{5}; ///< the configured lead time of birthday cards (response.birthday)
    /// Called now and then with (records done, records in all).
    std::function<void(std::size_t, std::size_t)> progress;
};

/// Merges what was read into the database, inside the caller's transaction: contacts are
/// matched by UUID, then any shared email, phone or profile, then by folded name when the
/// identifiers do not conflict (see docs/formats.md, "Who is who"); a same-name record that
/// cannot be told apart is added and listed in ImportReport::possible_duplicates. A match gets
/// the fields it lacks and the new tags, never loses a value; followup JSON records are matched
/// by UUID. Re-importing the same data changes nothing.
ImportReport apply_import(Repository& repo, const ImportData& data, const TimeContext& tc,
                          const ImportOptions& options);

/// How restore_backup reads.
struct RestoreOptions {
    std::size_t size{}; ///< the size of the input, if known (for the progress)
    /// Called once when more than `large_records` records have been read (for example to
    /// leave a big restore out of the undo log).
    std::size_t large_records{};
    std::function<void()> large;
};

/// A full backup (`export all --format json`: an object whose first key is `"format":
/// "followup"`) restored into an empty database as it is read, in blocks: each record is
/// written as the parser finishes it, inside the caller's transaction, so that a restore holds
/// no more than what matching and the ids need. The result is what parse_import and
/// apply_import give (every record of the backup its own row, with its id and UUID), the errors
/// are theirs (ImportError naming the section, index and line of the first record that cannot
/// be read): after one, the caller must roll its transaction back. std::nullopt when the input
/// is not such a backup, the database is not empty, the JSON is broken, or writing failed: the
/// caller then rolls back what may have been written and imports it the usual way (which also
/// says what is wrong with it).
std::optional<ImportReport> restore_backup(Repository& repo, const ImportSource& in,
                                           const std::string& source, const ReadOptions& read,
                                           const TimeContext& tc, const ImportOptions& options,
                                           const RestoreOptions& restore);

} // namespace followup
