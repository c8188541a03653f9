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

/// The most one file of a vdir may hold (a card with a photo is well under this).
inline constexpr std::size_t file_limit = std::size_t{8} << 20;

/// One file followup wrote or read: the item's UUID ("" for a file that holds nothing of
/// followup's, such as a to-do added on the phone) and its content's hash then.
struct Known {
    std::string uuid;
    std::string hash;
};

/// The state file: every file of the folder followup knows, by name.
struct State {
    std::map<std::string, Known> files;
};

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
/// The names of the regular .vcf and .ics files of a folder (dot files left out), sorted.
std::vector<std::string> list_files(const std::string& dir);
/// True when `name` ends with `ext`.
bool has_ext(const std::string& name, const std::string& ext);
/// The UUID of a followup VTODO's UID ("<uuid>@followup" or "<uuid>"), "" for another's.
std::string uuid_of_uid(std::string uid);

} // namespace followup::vdir
