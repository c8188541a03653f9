#pragma once
// Reading a vdir back (interchange/vdir.hpp writes it): what another device changed becomes
// edits, done and skipped follow-ups and imported contacts, each through the use cases.

#include <followup/actions/actions.hpp>
#include <followup/interchange/vdir.hpp>
#include <string>
#include <vector>

namespace followup::vdir {

/// What an import did.
struct ImportReport {
    std::size_t added{}, updated{}, unchanged{}, skipped{};
    std::size_t done{};      ///< follow-ups completed on the other device
    std::size_t cancelled{}; ///< follow-ups cancelled there (skipped here)
    /// Files that could not be read (name: reason): left out, the rest is imported.
    std::vector<std::string> unreadable;
};

/// Reads every .vcf and .ics file of `dir` that changed since followup last wrote or read it
/// (the others change nothing):
/// - a VTODO with UID "<uuid>@followup" (or "<uuid>") of an open follow-up that is COMPLETED
///   (STATUS:COMPLETED or a COMPLETED time) is done through actions::done at its COMPLETED time
///   (now when it has none, or when it is in the future), logging the touch as `done` does;
///   one CANCELLED is skipped through actions::skip; other VTODOs change nothing;
/// - a card whose UID is a contact's UUID updates that contact's name, company, title, notes,
///   birthday, emails, phones, addresses, profiles and tags to the card's, through
///   actions::edit_contacts (followup's X-FOLLOWUP-* fields are kept as they are);
/// - any other card is imported as `followup import` imports a vCard (apply_import), and its
///   file is kept as that contact's file.
/// Each change is its own transaction, recorded for undo under `env.command`. Re-reading the
/// same files changes nothing. Throws Error when the folder cannot be read.
ImportReport import_dir(actions::Env& env, const std::string& dir);

} // namespace followup::vdir
