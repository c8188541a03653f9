#pragma once
// `followup db copy FROM TO`: a whole database moved between any two locations (a SQLite file
// or a PostgreSQL server), row for row: every id, UUID, time stamp and step of history.

#include <followup/store/repository.hpp>
#include <string>

namespace followup {

/// How many rows of each table a copy moved.
struct CopyCounts {
    std::vector<std::pair<std::string, long long>> tables; ///< in copy order
    [[nodiscard]] long long total() const;
};

/// Copies every row of `from` into `to`, which must hold no records (else Error, nothing
/// written), in one transaction of `to`. With `replace`, `to`'s records are deleted first, in
/// the same transaction (a restore). The undo log is not copied: it describes the old file.
CopyCounts copy_database(Repository& from, Repository& to, bool replace = false);

} // namespace followup
