#pragma once
// vdir: a folder with one vCard (.vcf) or one calendar (.ics) per item, as vdirsyncer, khard
// and khal keep them. followup writes its contacts and open follow-ups there and reads back
// what another device changed (see docs/sync.md).
//
// Which files are followup's: a state file in the folder, `.followup-vdir.json` (vdirsyncer,
// khard and khal read only *.vcf / *.ics), lists every file followup wrote or read, with the
// UUID of its item and a hash of the content as followup last wrote or read it. Export writes
// and removes only files listed there whose content is still that content; a file changed
// since (by vdirsyncer, from a phone) is left alone until import has read it, and a file that
// is not listed (a card added on the phone) is never written over or removed: import reads it
// and lists it, and from then on export writes its contact to that file, under its own name.

#include <followup/actions.hpp>
#include <followup/ical.hpp>
#include <string>
#include <vector>

namespace followup::vdir {

/// The state file's name inside the folder.
inline constexpr const char* state_file = ".followup-vdir.json";

/// One item to export: its UUID and the whole content of its file.
struct Item {
    std::string uuid;
    std::string content;
};

/// What an export did.
struct ExportReport {
    std::size_t written{}, unchanged{}, removed{};
    /// Files changed in the folder since followup wrote or read them (not imported yet): left
    /// as they are, neither rewritten nor removed.
    std::vector<std::string> unread;
};

/// Writes each item to its file in `dir` (created, mode 0700, when missing): the file followup
/// already keeps for its UUID, else "<uuid><ext>". A file is written (temp file + rename, so a
/// reader never sees half of it) only when its content differs; files followup wrote for items
/// no longer given (done, skipped, deleted) are removed. `ext` is ".vcf" or ".ics"; only files
/// of that extension are touched. Throws Error when the folder cannot be written.
ExportReport export_items(const std::string& dir, const std::string& ext,
                          const std::vector<Item>& items);

/// `fresh` (a card followup wrote) with the content lines of `old_card` (the card its file held,
/// one card) that followup does not write added before END:VCARD, folded lines as they were:
/// a phone's PHOTO, NICKNAME, X-ABLabel or ANNIVERSARY survive followup writing the card again.
/// Lines of followup's own properties (FN, N, ORG, TITLE, EMAIL, TEL, ADR, URL, IMPP,
/// X-SOCIALPROFILE, BDAY, CATEGORIES, NOTE, UID, REV, X-FOLLOWUP-*, also in a group) are
/// followup's to write. export_items applies it to every .vcf file it writes over.
std::string keep_foreign_properties(std::string_view old_card, const std::string& fresh);

/// The items of export contacts --vdir: every contact, one vCard 3.0 per file.
std::vector<Item> contact_items(const std::vector<Contact>& contacts);

/// The items of export followups --vdir: each open follow-up (of an active contact) as a
/// VCALENDAR with one VTODO, without METHOD; its DTSTAMP is the follow-up's creation, so that
/// the file changes only when the follow-up does.
std::vector<Item> followup_items(const std::vector<Followup>& followups, IcsOptions options);

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
