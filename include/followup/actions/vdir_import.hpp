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
    /// Fields changed on both sides ("NAME: FIELD changed on both sides: ..."): the card's
    /// value kept, followup's appended to the contact's notes and listed by `sync --status`.
    std::vector<std::string> conflicts;
};

/// Reads every .vcf and .ics file of `dir` that changed since followup last wrote or read it
/// (the others change nothing):
/// - a VTODO with UID "<uuid>@followup" (or "<uuid>") of an open follow-up that is COMPLETED
///   (STATUS:COMPLETED or a COMPLETED time) is done through actions::done at its COMPLETED time
///   (now when it has none, or when it is in the future), logging the touch as `done` does;
///   one CANCELLED is skipped through actions::skip; other VTODOs change nothing;
/// - a card whose UID (or X-FOLLOWUP-UUID) is a contact's UUID, or that is the one card of a
///   file followup read before as a contact's, updates that contact's name, company, title,
///   notes, birthday, emails, phones, addresses, profiles and tags through
///   actions::edit_contacts (followup's X-FOLLOWUP-* fields are kept as they are), merged
///   field by field against the file's base copy (Known::base): what only the card changed is
///   taken, what only followup changed is kept, a field changed on both sides keeps the card's
///   value and puts followup's in the notes (ImportReport::conflicts, State::conflicts);
/// - every other card is imported as `followup import` imports a vCard (apply_import, all of
///   them in one transaction), and its file is kept as that contact's file.
/// A file that cannot be read (over file_limit, a symbolic link, not a calendar or card) is
/// named in ImportReport::unreadable and the rest imported.
/// Each change is its own transaction, recorded for undo under `env.command`. Re-reading the
/// same files changes nothing. Throws Error when the folder cannot be read.
ImportReport import_dir(actions::Env& env, const std::string& dir);

} // namespace followup::vdir
