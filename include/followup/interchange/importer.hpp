#pragma once
// Reading contacts (and followup's own backups) from files, and merging them into the database.

#include <cstddef>
#include <followup/domain/model.hpp>
#include <followup/time/dates.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/input.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// The formats `followup import` reads (tsv: followup's own TSV export, read as generic CSV).
enum class ImportFormat { automatic, json, csv, tsv, linkedin, google, vcf };

/// Parses "auto", "json", "csv", "tsv", "linkedin", "google" or "vcf"; throws UsageError.
ImportFormat parse_import_format(std::string_view text);
/// The name of a format ("linkedin", ...).
std::string_view to_string(ImportFormat format);

/// A contact as read from a file, before it is matched against the database.
struct ContactDraft {
    /// The fields the file gives. `uuid` is kept when the file has one; `event` and
    /// `referred_by` hold names; `id` is the file's own id (followup JSON) or 0; `created` is
    /// the epoch when the file does not say.
    Contact contact;
    std::size_t line{}; ///< the line the record starts on, for messages
    /// LinkedIn's "Connected On" day: counts as a touch on LinkedIn.
    std::optional<date::local_days> connected_on;
};

/// A record of a file that could not be read, and was left out.
/// A field of a record kept with U+FFFD in place of bytes that are not UTF-8 (or not
/// decodable): where it is, and which field.
struct RepairedField {
    std::size_t line{};
    std::string field;
};

struct UnreadableRecord {
    std::size_t line{}; ///< where it starts
    std::string reason;
};

/// Everything a file holds.
struct ImportData {
    ImportFormat format{ImportFormat::automatic}; ///< the format read (never automatic)
    std::vector<ContactDraft> contacts;
    std::size_t skipped{}; ///< rows without a name (LinkedIn's restricted members)
    std::size_t groups{};  ///< vCard contact groups (KIND:group), left out
    /// Records that could not be read (a bad date, a broken vCard property, text that is not
    /// UTF-8): left out, the rest of the file is read. Whatever makes the rest of the file
    /// unreadable (a quote that never closes, a card never closed, broken JSON) throws instead.
    std::vector<UnreadableRecord> unreadable;
    /// Fields kept with U+FFFD in place of bytes that are not UTF-8 (the record is read): one
    /// per line and field, to warn about.
    std::vector<RepairedField> repaired;
    // Only followup's own JSON carries these; contact ids in them are the file's ids.
    std::vector<Event> events;
    std::vector<Followup> followups;
    std::vector<Interaction> interactions;
    std::vector<Referral> referrals;          ///< referrer_id/prospect_id/member_id are file ids
    std::vector<ReferralStep> referral_steps; ///< the referrals' histories (file ids)
    /// A complete followup backup (`export all`): its follow-ups are restored as they are,
    /// instead of being scheduled again from birthdays and cadences.
    bool full_backup{};
};

/// How an import is read.
struct ReadOptions {
    /// The zone of local dates and times in CSV files ("2012-05-14 18:30"); UTC when null.
    const Zone* zone{};
    std::size_t record_limit{}; ///< the most bytes one record may take (0: no limit)
    std::size_t total_limit{};  ///< the most bytes the whole input may take (0: no limit)
    /// The most records (CSV rows, vCards, JSON Lines) a file may hold, so that no input can
    /// fill the memory with drafts (0: no limit).
    std::size_t record_count_limit{};
};

/// Reads a file record by record as its bytes arrive, holding one record at a time (a JSON
/// document, which is one structure, is read whole). `source` names it in errors ("-" is shown
/// as "<stdin>"). The text must be UTF-8 (a byte-order mark is ignored). A record that cannot be
/// read goes to ImportData::unreadable; a file that cannot be read on (see there), a NUL byte,
/// a CSV without a known header in its first 16 records, or a record or input over the limits
/// throws UsageError naming the line and the reason, as soon as it is seen.
ImportData parse_import(const ImportSource& in, ImportFormat format, const std::string& source,
                        const ReadOptions& options = {});
/// The same, of text already in memory.
ImportData parse_import(std::string_view text, ImportFormat format, const std::string& source,
                        const ReadOptions& options = {});

/// One row of what an import does, for --dry-run.
struct ImportAction {
    enum class What { add, update, unchanged, skip };
    What what{What::add};
    std::string record; ///< "contact", "event", "followup", "interaction" or "referral"
    std::string name;   ///< the contact's name or the record's title
    std::string detail; ///< what changes, or why it is skipped
};

/// A contact added by an import beside one that it may be: one of the same name that no email,
/// phone or profile tells apart (the record has none at all, or that contact was already taken
/// by an earlier record), or one that shares an identifier with it under another name.
struct PossibleDuplicate {
    std::string name;
    Id added{};         ///< the contact added (in a dry run, the id it would have had)
    Id existing{};      ///< the contact of the same name
    std::size_t line{}; ///< the line of the record
    /// "" for a contact of the same name; else why it may be them ("shares phone 123456 under
    /// another name"): an identifier in common is evidence, not proof.
    std::string why;
};

/// What an import did (or would do).
struct ImportReport {
    std::size_t added{}, updated{}, unchanged{}, skipped{};
    std::size_t touches{}; ///< LinkedIn connections logged as touches
    std::vector<ImportAction> actions;
    std::vector<PossibleDuplicate> possible_duplicates;
};

} // namespace followup
