#pragma once
// Reading contacts (and followup's own backups) from files, and merging them into the database.

#include <cstddef>
#include <followup/dates.hpp>
#include <followup/errors.hpp>
#include <followup/model.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

class Repository;

/// The formats `followup import` reads (tsv: followup's own TSV export, read as generic CSV).
enum class ImportFormat { automatic, json, csv, tsv, linkedin, google, vcf };

/// Parses "auto", "json", "csv", "tsv", "linkedin", "google" or "vcf"; throws UsageError.
ImportFormat parse_import_format(std::string_view text);
/// The name of a format ("linkedin", ...).
std::string_view to_string(ImportFormat format);

/// The UsageError of a broken import file or record: "SOURCE:LINE: REASON", with the line and
/// the reason kept apart.
class ImportError : public UsageError {
public:
    ImportError(const std::string& message, std::size_t line, std::string reason)
        : UsageError(message), line_(line), reason_(std::move(reason)) {}
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::size_t line_;
    std::string reason_;
};

/// Throws ImportError "SOURCE:LINE: REASON" (or "SOURCE: REASON" when line is 0): every broken
/// import file is reported this way.
[[noreturn]] void import_error(const std::string& source, std::size_t line,
                               const std::string& reason);

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

/// Where the bytes of an import come from: puts up to `size` bytes into `buffer` and returns
/// how many (0 at the end); throws Error when it cannot read.
using ImportSource = std::function<std::size_t(char* buffer, std::size_t size)>;

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

/// A contact added by an import beside one of the same name that it may be: neither has an
/// email, phone or profile the other lacks the same kind of, and the record could not be told
/// apart (it has none at all, or that contact was already taken by an earlier record).
struct PossibleDuplicate {
    std::string name;
    Id added{};         ///< the contact added (in a dry run, the id it would have had)
    Id existing{};      ///< the contact of the same name
    std::size_t line{}; ///< the line of the record
};

/// What an import did (or would do).
struct ImportReport {
    std::size_t added{}, updated{}, unchanged{}, skipped{};
    std::size_t touches{}; ///< LinkedIn connections logged as touches
    std::vector<ImportAction> actions;
    std::vector<PossibleDuplicate> possible_duplicates;
};

/// Options of an import.
struct ImportOptions {
    bool dry_run{};
    bool keep_actions{};  ///< fill ImportReport::actions
    int birthday_days{5}; ///< the configured lead time of birthday cards (response.birthday)
    /// Called now and then with (records done, records in all).
    std::function<void(std::size_t, std::size_t)> progress;
};

/// Merges what was read into the database, inside the caller's transaction: contacts are
/// matched by UUID, then any shared email, phone or profile, then by folded name when the
/// identifiers do not conflict (see docs/formats.md, "Who is who"); a same-name record that
/// cannot be told apart is added and listed in ImportReport::possible_duplicates. A match gets
/// the fields it lacks and the new tags, never loses a value; followup JSON records are matched
/// by UUID. Re-importing the same data changes nothing.
ImportReport apply_import(Repository& repo, const ImportData& data, const TimeContext& tc,
                          const ImportOptions& options);

/// How restore_backup reads.
struct RestoreOptions {
    std::size_t size{}; ///< the size of the input, if known (for the progress)
    /// Called once when more than `large_records` records have been read (for example to
    /// leave a big restore out of the undo log).
    std::size_t large_records{};
    std::function<void()> large;
};

/// A full backup (`export all --format json`: an object whose first key is `"format":
/// "followup"`) restored into an empty database as it is read, in blocks: each record is
/// written as the parser finishes it, inside the caller's transaction, so that a restore holds
/// no more than what matching and the ids need. The result is what parse_import and
/// apply_import give (every record of the backup its own row, with its id and UUID), the errors
/// are theirs (ImportError naming the section, index and line of the first record that cannot
/// be read): after one, the caller must roll its transaction back. std::nullopt when the input
/// is not such a backup, the database is not empty, the JSON is broken, or writing failed: the
/// caller then rolls back what may have been written and imports it the usual way (which also
/// says what is wrong with it).
std::optional<ImportReport> restore_backup(Repository& repo, const ImportSource& in,
                                           const std::string& source, const ReadOptions& read,
                                           const TimeContext& tc, const ImportOptions& options,
                                           const RestoreOptions& restore);

} // namespace followup
