#pragma once
// Care of the database file: a health check (`followup doctor`), consistent backups
// (`followup backup`) and putting a backup in place of the live database (`followup restore`).
//
// None of these opens the database through Repository: a check must not create or migrate the
// file it looks at, and a restore must work on a database that Repository would refuse.

#include <cstdint>
#include <followup/domain/model.hpp>
#include <followup/store/repository.hpp>
#include <optional>
#include <string>
#include <vector>

namespace followup {

/// How many records of each kind a database holds.
struct RecordCounts {
    long long contacts{};
    long long events{};
    long long followups_open{};
    long long followups_closed{}; ///< done or skipped
    long long interactions{};
    long long referrals{};
};

/// One check of `followup doctor`.
struct Check {
    std::string name; ///< "file", "schema version", "integrity", "foreign keys", ...
    bool ok{};
    std::string detail; ///< one line for people
};

/// What `followup doctor` found. Sizes are in bytes.
struct DoctorReport {
    std::string path;
    std::vector<Check> checks;
    std::optional<int> stored_version; ///< PRAGMA user_version, when it could be read
    int current_version{schema_version};
    std::optional<RecordCounts> counts; ///< when the tables could be read
    std::uintmax_t file_size{};
    std::uintmax_t wal_size{}; ///< 0 when there is no write-ahead log
    long long page_size{};
    long long page_count{};
    long long freelist_count{};
    std::string journal_mode;
    /// How to recover, one line each; empty when every check passed.
    std::vector<std::string> advice;

    /// True when every check passed.
    [[nodiscard]] bool ok() const;
};

/// Checks the database at `path` without creating, migrating or writing it: integrity, foreign
/// keys, schema version, permissions, counts and sizes. Damage is reported in the checks, not
/// thrown. Throws DatabaseError when there is no file at `path`.
DoctorReport check_database(const std::string& path);

/// A database file as a whole: a backup written or a file about to be restored.
struct DatabaseCopy {
    std::string path;
    int version{};        ///< its schema version
    RecordCounts counts;  ///< what it holds
    std::uintmax_t bytes; ///< its size
};

/// Removes the temporary files (`.NAME.followup-tmp-PID-XXXXXX` and their -journal, -wal and
/// -shm) that a killed backup or restore left in `dir`: those whose process is gone and whose
/// lock nobody holds. Returns how many files it removed. Every backup and restore, and every
/// opening of the database, calls it for the folders it writes to.
std::size_t remove_stale_temporaries(const std::string& dir);

/// Copies the live database at `db_path` to `dest` with SQLite's online backup API, from one
/// read snapshot (consistent while other processes write). The copy is a single file (rollback
/// journal, no -wal), mode 0600, written beside `dest` under a temporary name, checked with
/// integrity_check, flushed to disk and then renamed to `dest`: a crash never leaves half a
/// backup at `dest`. Refuses to replace an existing `dest` unless `overwrite`. Throws
/// DatabaseError (no database, a damaged one, a full disk) or Error (bad destination).
DatabaseCopy backup_database(const std::string& db_path, const std::string& dest, bool overwrite);

/// Checks that `file` can be restored: a SQLite database that passes integrity_check and
/// foreign_key_check, with a contacts table and a schema version from 1 to schema_version.
/// Throws Error naming the file and what is wrong.
DatabaseCopy inspect_backup(const std::string& file);

/// What a restore did.
struct RestoreResult {
    DatabaseCopy restored;
    std::string kept; ///< where the previous database was kept ("" when there was none)
    int version{};    ///< the schema version of the live database afterwards
};

/// Replaces the live database at `db_path` (created when missing) with the backup `checked`
/// (what inspect_backup returned). Holding the write lock of the live database, so that no
/// other process is mid-write, it first keeps the previous contents beside it as
/// `<db>.before-restore-YYYYMMDDTHHMMSSZ` (`now`, UTC), then copies the backup in with the
/// online backup API (safe while other processes have the database open), and finally
/// migrates it when the backup is of an older schema version. Throws DatabaseError; on failure
/// the live database is left as it was.
RestoreResult restore_database(const std::string& db_path, const DatabaseCopy& checked,
                               Instant now);

/// backup and restore of a PostgreSQL database: the backup is a standalone SQLite file (the
/// same kind `backup` writes of a SQLite database, which `restore` and `db copy` read), written
/// through a temporary file and renamed; the restore replaces every record of the server's
/// database with the backup's, in one transaction (an older backup is migrated on a copy).
DatabaseCopy backup_server(Repository& from, const std::string& dest, bool overwrite);
void restore_server(Repository& to, const DatabaseCopy& checked);

} // namespace followup
