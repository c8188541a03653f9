#pragma once
// The records followup keeps: contacts, events, follow-ups, interactions and referrals.

#include <cstdint>
#include <followup/time/dates.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// A row id in the database.
using Id = std::int64_t;

/// What a follow-up asks of you.
enum class Kind {
    note,
    connect,
    meet,
    referral,
    report,
    thank,
    checkin,
    promise,
    waiting,
    reconnect,
    birthday,
    custom,
    meeting ///< a booked one-to-one: due at its start
};

/// Where a follow-up stands.
enum class Status { open, done, skipped };

/// The spec's name of a kind ("note", "checkin", ...).
std::string_view to_string(Kind kind);
/// The spec's name of a status ("open", "done", "skipped").
std::string_view to_string(Status status);
/// Parses a kind name; throws UsageError listing the valid kinds.
Kind parse_kind(std::string_view text);
/// Parses a status name; throws UsageError.
Status parse_status(std::string_view text);

/// One email address, phone number or postal address of a contact, with an optional label
/// ("work", "home", "mobile").
struct Labeled {
    std::string value;
    std::string label;
    bool operator==(const Labeled&) const = default;
};

/// A contact's profile on a network or messaging service: ("linkedin", "in/ann-lee"),
/// ("whatsapp", "+44 7700 900123"), ("mastodon", "@ann@social.example").
struct Profile {
    std::string network;
    std::string handle;
    bool operator==(const Profile&) const = default;
};

/// A person.
struct Contact {
    Id id{};
    std::string uuid;
    std::string name;
    std::string company;
    std::string title;
    std::string email;   ///< the first of `emails` (filled in by queries; see settle_reach)
    std::string phone;   ///< the first of `phones` (filled in by queries; see settle_reach)
    std::string channel; ///< preferred channel as stored ("" when none was given)
    /// A handle given with the channel (`--via whatsapp:+44...`): only an input, which
    /// settle_reach files under the list it belongs to; queries leave it empty.
    std::string handle;
    std::vector<Labeled> emails;    ///< every email, the one used first
    std::vector<Labeled> phones;    ///< every phone number, the one used first
    std::vector<Labeled> addresses; ///< postal addresses, the one used for `mail` first
    std::vector<Profile> profiles;  ///< profiles on networks and messaging services
    std::vector<std::string> tags;
    std::string notes;
    std::string birthday; ///< "MM-DD" or "YYYY-MM-DD", "" when unknown
    std::optional<Id> event_id;
    std::string event; ///< the event's name, filled in by queries
    std::optional<Instant> met;
    std::optional<Id> referred_by_id;
    std::string referred_by; ///< the introducer's name, filled in by queries
    std::optional<int> every_days;
    std::optional<Instant> last_touch;
    bool archived{};
    Instant created;
};

/// Where people were met.
struct Event {
    Id id{};
    std::string uuid;
    std::string name;
    std::optional<date::local_days> on;
    std::string place;
    Instant created;
};

/// One thing owed to someone by a deadline.
struct Followup {
    Id id{};
    std::string uuid;
    Id contact_id{};
    std::string contact; ///< the contact's name, filled in by queries
    Kind kind{Kind::custom};
    std::string title;
    Instant due;
    Instant original_due;
    Status status{Status::open};
    std::optional<Id> referral_id;
    Instant created;
    std::optional<Instant> done_at;
    std::string note;
    /// The channel it happens on: for a `connect` step its network ("linkedin"), otherwise
    /// the contact's channel; filled in by queries.
    std::string channel;
    std::string handle;   ///< the contact's handle on that channel, filled in by queries
    std::string campaign; ///< the campaign that created it ("" for none)
    std::string place;    ///< a meeting's place ("" when none was given)
    std::optional<std::chrono::seconds> length; ///< a meeting's length
};

/// Direction of an interaction: `out` by you, `in` from them.
enum class Direction { out, in };

/// A logged moment of contact.
struct Interaction {
    Id id{};
    std::string uuid;
    Id contact_id{};
    std::string contact; ///< the contact's name, filled in by queries
    Instant at;
    std::string channel;
    Direction direction{Direction::out};
    std::string note;
    std::optional<Id> followup_id;
    bool chase{};         ///< a reminder sent about a follow-up they owe (`followup chase`)
    std::string campaign; ///< the campaign it belongs to ("" for none)
};

/// A lead passed between people.
struct Referral {
    Id id{};
    std::string uuid;
    std::string direction; ///< "received" or "given"
    std::optional<Id> referrer_id;
    std::string referrer;
    std::optional<Id> prospect_id;
    std::string prospect;
    std::optional<Id> member_id;
    std::string member;
    std::string status;
    std::optional<double> amount;
    std::string note;
    Instant created;
    Instant updated;
    std::optional<Id> passed_from; ///< the received referral this one passes on
};

/// One step of a referral's status history.
struct ReferralStep {
    Id referral_id{};
    Instant at;
    std::string status;
    std::string note;
};

} // namespace followup
