#pragma once
// Reading contacts (and followup's own backups) from files, and merging them into the database.

#include <cstddef>
#include <followup/dates.hpp>
#include <followup/model.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

class Repository;

/// The formats `followup import` reads.
enum class ImportFormat { automatic, json, csv, linkedin, google, vcf };

/// Parses "auto", "json", "csv", "linkedin", "google" or "vcf"; throws UsageError.
ImportFormat parse_import_format(std::string_view text);
/// The name of a format ("linkedin", ...).
std::string_view to_string(ImportFormat format);

/// Throws UsageError "SOURCE:LINE: REASON" (or "SOURCE: REASON" when line is 0): every broken
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

/// Everything a file holds.
struct ImportData {
    ImportFormat format{ImportFormat::automatic}; ///< the format read (never automatic)
    std::vector<ContactDraft> contacts;
    std::size_t skipped{}; ///< rows without a name (LinkedIn's restricted members)
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

/// Reads a whole file. `source` names it in errors ("-" is shown as "<stdin>"). The text must
/// be UTF-8 (a byte-order mark is ignored). Throws UsageError naming the line and the reason.
ImportData parse_import(std::string_view text, ImportFormat format, const std::string& source);

/// Checks the beginning of a stream before the rest is read, so that input that is not an
/// import file fails at once instead of after all of it arrived: `head` holds complete lines
/// only. Throws the UsageError parse_import would throw for a NUL byte or invalid UTF-8 in
/// those lines, or a CSV without a known header in its first 16 rows; says nothing when the
/// head is too short to tell.
void check_import_head(std::string_view head, ImportFormat format, const std::string& source);

/// One row of what an import does, for --dry-run.
struct ImportAction {
    enum class What { add, update, unchanged, skip };
    What what{What::add};
    std::string record; ///< "contact", "event", "followup", "interaction" or "referral"
    std::string name;   ///< the contact's name or the record's title
    std::string detail; ///< what changes, or why it is skipped
};

/// What an import did (or would do).
struct ImportReport {
    std::size_t added{}, updated{}, unchanged{}, skipped{};
    std::size_t touches{}; ///< LinkedIn connections logged as touches
    std::vector<ImportAction> actions;
};

/// Options of an import.
struct ImportOptions {
    bool dry_run{};
    bool keep_actions{}; ///< fill ImportReport::actions
    int birthday_days{5}; ///< the configured lead time of birthday cards (response.birthday)
    /// Called now and then with (records done, records in all).
    std::function<void(std::size_t, std::size_t)> progress;
};

/// Merges what was read into the database, inside the caller's transaction: contacts are
/// matched by UUID, then e-mail, then exact name; a match gets the fields it lacks and the
/// new tags, never loses a value; followup JSON records are matched by UUID. Re-importing the
/// same data changes nothing.
ImportReport apply_import(Repository& repo, const ImportData& data, const TimeContext& tc,
                          const ImportOptions& options);

} // namespace followup
