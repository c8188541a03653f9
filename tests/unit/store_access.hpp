#pragma once
// Unit tests look at the rows a Repository wrote through the store's own statements.

#include "store/sql.hpp"

#include <followup/store/repository.hpp>
#include <string>

namespace test_store {

inline long long scalar(followup::Repository& repo, const std::string& sql) {
    followup::sql::Statement q(repo.connection(), sql);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

inline std::string scalar_text(followup::Repository& repo, const std::string& sql) {
    followup::sql::Statement q(repo.connection(), sql);
    q.executeStep();
    return q.getColumn(0).getString();
}

} // namespace test_store
