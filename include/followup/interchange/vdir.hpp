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

#include <followup/domain/model.hpp>
#include <followup/interchange/ical.hpp>
#include <map>
#include <string>
#include <string_view>
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
    /// Cards deleted on the other side whose contacts followup still has: not written again
    /// (see Removed); their UUIDs.
    std::vector<std::string> removed_there;
};

/// Writes each item to its file in `dir` (created, mode 0700, when missing): the file followup
/// already keeps for its UUID, else "<uuid><ext>". A file is written (temp file + rename, so a
/// reader never sees half of it) only when its content differs; files followup wrote for items
/// no longer given (done, skipped, deleted) are removed. `ext` is ".vcf" or ".ics"; only files
/// of that extension are touched. A card (.vcf) is written with merge_card over what its file
/// holds. A card file followup knew that went away while its contact is still given was deleted
/// on the other side: it is not written again (State::removed) until the contact's card changes
/// or restore() is called; a to-do file that went away is written again. Throws Error when the
/// folder cannot be written.
ExportReport export_items(const std::string& dir, const std::string& ext,
                          const std::vector<Item>& items);

/// The card a file gets when followup writes `fresh` (a card followup wrote) over `old_card`
/// (the one card the file holds): `old_card` line for line, in its order and byte for byte, but
/// for followup's own properties (FN, N, ORG, TITLE, EMAIL, TEL, ADR, URL, IMPP,
/// X-SOCIALPROFILE, BDAY, CATEGORIES, NOTE, REV, X-FOLLOWUP-*, also in a group):
/// - a line of `old_card` whose value `fresh` has too (same property, same value; an ORG whose
///   first component is fresh's; an N while FN is unchanged) is kept as it is, with its group
///   (`item1.EMAIL`), parameters and folding;
/// - one whose value `fresh` no longer has is replaced in place by fresh's line of the same
///   property that is new (keeping the group, so `item1.X-ABLabel` still labels it), or removed;
/// - fresh's remaining lines go before END:VCARD.
/// Every other line (PHOTO, NICKNAME, X-ABLabel, a phone's own X- properties) is kept. The UID
/// line of `old_card` is kept whatever it is (a card made on a phone keeps its UID for ever);
/// when it is not fresh's UUID, an X-FOLLOWUP-UUID line carries followup's. Stable: applied
/// again to its own result with the same `fresh`, it gives the same text. Without an old card
/// (or with more than one in the file) it is `fresh`.
std::string merge_card(std::string_view old_card, const std::string& fresh);

/// The items of export contacts --vdir: every contact, one vCard 3.0 per file.
std::vector<Item> contact_items(const std::vector<Contact>& contacts);

/// The items of export followups --vdir: each open follow-up (of an active contact) as a
/// VCALENDAR with one VTODO, without METHOD; its DTSTAMP is the follow-up's creation, so that
/// the file changes only when the follow-up does.
/// Without `meetings`, booked meetings are left out (they go to a calendar of their own: see
/// meeting_items).
std::vector<Item> followup_items(const std::vector<Followup>& followups, IcsOptions options,
                                 bool meetings = true);

/// The items of the meetings' calendar (sync.meetings_dir): each open booked meeting
/// (Kind::meeting) as a VCALENDAR with one VEVENT (DTSTART, DTEND, LOCATION, a VALARM
/// `options.alarm` before it; see write_ics), without METHOD, DTSTAMP its creation.
std::vector<Item> meeting_items(const std::vector<Followup>& followups, IcsOptions options);

/// The most one file of a vdir may hold (a card with a photo is well under this); a larger file
/// is skipped by import with a warning, like any file that cannot be read.
inline constexpr std::size_t file_limit = std::size_t{8} << 20;

/// One file followup wrote or read: the item's UUID ("" for a file that holds nothing of
/// followup's, such as a to-do added on the phone) and its content's hash then.
struct Known {
    std::string uuid;
    std::string hash;
    /// A card's text as both sides last had it (read back, or written and then seen unchanged
    /// by the next import): the base of the three-way merge of an edit made on both sides.
    /// "" when unknown (then the card's edit wins, field by field) or over base_limit.
    std::string base;
};

/// The largest card whose base copy the state keeps.
inline constexpr std::size_t base_limit = std::size_t{1} << 20;

/// A contact whose card was deleted on the other side (its file went away while followup still
/// had the contact): not written again until it changes in followup or `sync --restore`.
struct Removed {
    std::string file; ///< the file it had (it gets that name back when restored)
    /// The hash of its card as followup would write it when the removal was seen; a card that
    /// differs from it (the contact was edited) ends the removal.
    std::string hash;
};

/// A field changed on both sides since the last sync: the other side's value was kept and
/// followup's put in the contact's notes; listed by `sync --status` until the contact changes
/// in followup.
struct Conflict {
    std::string uuid, name; ///< the contact
    std::string field;      ///< "company", "phones", ...
    std::string kept;       ///< the value kept (the phone's)
    std::string other;      ///< followup's value, now in the notes
    std::string at;         ///< when it was seen (UTC, ISO 8601)
    std::string hash;       ///< the card's hash when first written after it ("" until then)
};

/// The state file: every file of the folder followup knows, by name; the contacts removed on
/// the other side, by UUID; the conflicts not settled yet.
struct State {
    std::map<std::string, Known> files;
    std::map<std::string, Removed> removed;
    std::vector<Conflict> conflicts;
};

/// Ends the removal of the contact of `uuid` from the folder's address book (`sync --restore`):
/// the next export writes its card again. False when it was not removed.
bool restore(const std::string& dir, const std::string& uuid);

/// Throws Error unless `dir` is a folder that can be read.
void require_folder(const std::string& dir);
/// The folder's state file, read (empty when there is none).
State load_state(const std::string& dir);
/// Writes the folder's state file (atomically).
void save_state(const std::string& dir, const State& s);
/// 64-bit FNV-1a of the bytes, in hex: the same on every machine and build.
std::string content_hash(std::string_view bytes);
/// `dir` + "/" + `name`.
std::string join_path(const std::string& dir, const std::string& name);
/// The names of the regular .vcf and .ics files of a folder (dot files and symbolic links left
/// out), sorted.
std::vector<std::string> list_files(const std::string& dir);
/// The content of the regular file `name` of `dir`, opened with O_NOFOLLOW (a symbolic link
/// is refused, not followed); Error when it cannot be read or is over `limit` bytes.
std::string read_file(const std::string& dir, const std::string& name, std::size_t limit);
/// True when `name` ends with `ext`.
bool has_ext(const std::string& name, const std::string& ext);
/// The UUID of a followup VTODO's UID ("<uuid>@followup" or "<uuid>"), "" for another's.
std::string uuid_of_uid(std::string uid);

} // namespace followup::vdir
