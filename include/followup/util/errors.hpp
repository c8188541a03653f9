#pragma once
// The project's error hierarchy. The command-line front end maps these to exit codes in one place.

#include <stdexcept>
#include <string>
#include <vector>

namespace followup {

/// Base of every error followup raises on purpose; a failure at run time (exit status 1).
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    /// The process exit status this error maps to.
    [[nodiscard]] virtual int exit_code() const noexcept { return 1; }
};

/// Bad input from the user: an unknown value, a date that does not parse (exit status 2).
class UsageError : public Error {
public:
    using Error::Error;
    [[nodiscard]] int exit_code() const noexcept override { return 2; }
};

/// A contact, follow-up or event that does not exist (exit status 1).
class NotFound : public Error {
public:
    using Error::Error;
};

/// A reference that matches more than one record; carries the candidates to list (exit status 1).
class Ambiguous : public Error {
public:
    Ambiguous(const std::string& message, std::vector<std::string> candidates)
        : Error(message), candidates_(std::move(candidates)) {}
    /// One human-readable line per candidate.
    [[nodiscard]] const std::vector<std::string>& candidates() const noexcept {
        return candidates_;
    }

private:
    std::vector<std::string> candidates_;
};

/// Trouble with the database file: locked, corrupt, too new, unwritable (exit status 1).
class DatabaseError : public Error {
public:
    using Error::Error;
};

} // namespace followup
