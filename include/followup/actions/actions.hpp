#pragma once
// The use cases: one function per write the product knows, each applying every rule of the spec
// (touches with the right person, recurring follow-ups, referral steps) inside one transaction,
// and returning what it did for the front end to print. Inputs are plain values: dates are
// parsed and "now" is read by the caller.

#include <followup/domain/channels.hpp>
#include <followup/domain/config.hpp>
#include <followup/domain/model.hpp>
#include <followup/store/repository.hpp>
#include <followup/time/dates.hpp>
#include <optional>
#include <string>
#include <vector>

namespace followup::actions {

/// What every use case needs: the store, the time, the settings, and the words of the command
/// line, under which the undo log records the change ("" records nothing).
struct Env {
    Repository& repo;
    TimeContext tc;
    const Config& config;
    std::string command;
};

/// Which contacts a command acts on: references (`#12`, `12`, part of a name) and/or a
/// selection; every given filter must match.
struct Selection {
    std::vector<std::string> refs;
    std::string tag;
    std::optional<Id> event_id;
    std::optional<Instant> stale_before;
    /// True when a filter (tag, event, stale) was given.
    [[nodiscard]] bool filtered() const {
        return !tag.empty() || event_id.has_value() || stale_before.has_value();
    }
};

/// The contacts a selection names, each once, in the order given (references first, then the
/// filtered ones by name). Throws NotFound/Ambiguous for a bad reference, UsageError when the
/// selection is empty, NotFound when the filters match nobody.
std::vector<Contact> select_contacts(Repository& repo, const Selection& selection);

/// Who a typed reference is: `#12` or `12` (an id), `name:12` (a name, even one that looks
/// like an id), or a name, matched by identity::look_up_name: the contact of that name (words in
/// any order, case and accents aside), else the one contact whose words the typed words start
/// ("pri" for Priya Shah). Throws NotFound for an id nobody has; Ambiguous listing the
/// candidates when several fit; UsageError (exit 2) `no contact 'Pria Shah'; did you mean #3
/// Priya Shah?` when nobody fits but someone is near; NotFound when nobody is.
Contact resolve_contact(Repository& repo, std::string_view ref);

/// Resolves a reference, creating a contact of that name (plan none) when nobody matches, as the
/// spec asks for referenced contacts; `created` receives the new contact. A name near someone
/// is refused with the suggestions (as resolve_contact) unless `allow_new` (`--new`), which
/// creates it anyway. An id that does not exist stays an error.
Contact resolve_or_create(Repository& repo, const std::string& ref, std::vector<Contact>& created,
                          bool allow_new = false);

/// What the matcher (identity::match_person) says of a contact that arrives (an `add`, a
/// referral shared in a chapter): among the stored contacts of the same name (any word order)
/// and those that share an email, phone or profile with it.
identity::PersonMatch match_contact(Repository& repo, const Contact& c);

// ------------------------------------------------------------------------------- follow-ups

/// One follow-up closed by `done`.
struct Closed {
    Followup followup;        ///< as stored now
    long long late_seconds{}; ///< past the original deadline (0: on time)
    bool theirs{};            ///< a promise made to you: the lateness is theirs
};

/// What `done` did.
struct DoneResult {
    std::vector<Closed> closed;
    std::vector<Interaction> touches; ///< one per contact and direction
    std::vector<Followup> created;    ///< reports, next check-ins
    std::vector<Referral> referrals;  ///< referrals moved on by a closed `referral` step
};

/// The options of `done`: what happened, when (default now), through which channel.
struct DoneInput {
    std::string note;
    std::optional<Instant> at;
    std::string via; ///< normalised channel, "" for the contact's own
};

/// Completes open follow-ups. One touch per contact and direction (a `waiting` step is their
/// delivery: an incoming touch); a `referral` step moves its referral to `contacted`; a done
/// check-in of a referral still open schedules the next one. Throws Error when one is closed.
DoneResult done(Env& env, const std::vector<Id>& ids, const DoneInput& in);

/// Drops open follow-ups; a skipped check-in ends that referral's check-ins. A skipped meeting
/// (it did not happen) opens a "book again" `meet` step due `response.rebook` after now, unless
/// the contact has an open `meet` step or another meeting booked; what it opens is appended to
/// `opened` when given.
std::vector<Followup> skip(Env& env, const std::vector<Id>& ids, const std::string& reason,
                           std::vector<Followup>* opened = nullptr);

/// Moves deadlines: to `until`, or by `length` from the deadline (from now when overdue). Plain
/// snoozing keeps the original deadline, so lateness still counts from it; `agreed` (a new date
/// agreed with the person) moves the original deadline too, and lateness counts from the new one.
std::vector<Followup> snooze(Env& env, const std::vector<Id>& ids, std::optional<Instant> until,
                             std::optional<Duration> length, bool agreed = false);

/// Reopens done or skipped follow-ups: the touch their completion logged is removed and the
/// contact's last touch recomputed.
std::vector<Followup> reopen(Env& env, const std::vector<Id>& ids);

/// One chase: the follow-up with its new deadline, the touch, and how many chases so far.
struct Chased {
    Followup followup;
    Interaction touch;
    int chases{};
};

/// Logs an outgoing chase on open follow-ups and moves each deadline to `response.chase`
/// after now (the original deadline is kept for statistics).
std::vector<Chased> chase(Env& env, const std::vector<Id>& ids, const std::string& via,
                          const std::string& note);

/// The options of `log`.
struct TouchInput {
    std::string via; ///< normalised channel, "" for each contact's own
    Direction direction{Direction::out};
    Instant at;
    std::string note;
    std::string campaign;
};

/// Logs one touch with each contact.
std::vector<Interaction> log(Env& env, const std::vector<Contact>& contacts, const TouchInput& in);

/// Adds one follow-up of `kind` (custom, promise or waiting) for each contact.
std::vector<Followup> add_followups(Env& env, const std::vector<Contact>& contacts, Kind kind,
                                    const std::string& what, Instant due,
                                    const std::string& campaign);

// --------------------------------------------------------------------------------- meetings

/// What `book` did.
struct Booked {
    Followup meeting;
    std::optional<Instant> moved_from; ///< booked again: the meeting's start before it moved
    std::optional<Followup> arranged;  ///< the contact's open `meet` step, completed
    std::optional<Interaction> touch;  ///< the touch that completing it logged
};

/// Books a meeting (kind `meeting`, due at its start) of `length` at `place`; it completes the
/// contact's open `meet` step as arranged. Throws UsageError for a start in the past.
Booked book(Env& env, const std::string& ref, Instant start, const std::string& place,
            std::chrono::seconds length, const std::string& note);

/// When a meeting ends.
Instant meeting_end(const Followup& meeting);

// -------------------------------------------------------------------------------- referrals

/// What a referral command did.
struct ReferralResult {
    Referral referral;
    std::vector<Contact> created; ///< contacts created on the fly
    std::vector<Followup> steps;  ///< follow-ups created or moved
    std::vector<Followup> closed; ///< follow-ups closed or skipped
    std::vector<Interaction> touches;
    std::optional<Referral> passed_on; ///< the given referral `passed --to` recorded
    std::string shared_with; ///< in a chapter: the member (role) it was given to or came from
};

/// A lead for you: a `referral` step to contact the prospect within `response.referral`.
ReferralResult receive(Env& env, const std::string& from, const std::string& prospect,
                       const std::string& note, bool allow_new = false);

/// A lead you gave: a `checkin` with the member after `response.checkin`. In a chapter, `to`
/// naming a member (role or name) also shares it with them (see take_in_chapter).
ReferralResult give(Env& env, const std::string& to, const std::string& prospect,
                    const std::string& note, bool allow_new = false);

/// What a member's command took in from the chapter before it ran.
struct TakenIn {
    std::vector<ReferralResult> received; ///< referrals members gave me: mine now, with a step
    std::vector<ReferralResult> reports;  ///< statuses receivers set on referrals I gave
};

/// In a chapter (a PostgreSQL database after `db init`, the user a member): takes into the
/// member's own records what other members did for them, in one transaction: a referral given
/// to them becomes their received referral with its `referral` step (due `response.referral`
/// after it was given); each status a receiver set on a referral they gave is applied as the
/// member's word is (the open check-in closed with an incoming touch, the next one scheduled
/// from that report while the referral is open). Nothing elsewhere.
TakenIn take_in_chapter(Env& env);

/// The options of `referral update`.
struct ReferralUpdate {
    std::string status;
    std::optional<double> amount;
    std::string note;
    std::string to;   ///< with `passed`: the member the prospect is passed on to
    bool allow_new{}; ///< `--new`: a `to` near a contact's name is a new person anyway
};

/// Moves a referral on, with every step the status calls for (see docs/commands.md).
ReferralResult update_referral(Env& env, Id id, const ReferralUpdate& in);

// ---------------------------------------------------------------------------------- contacts

/// A new contact as `add` takes it: the fields checked and trimmed by the caller.
struct NewContact {
    Contact contact;         ///< name, company, ..., tags, notes, channel/handle, cadence, birthday
    bool channel_given{};    ///< --via was given (else the config's default channel applies)
    When met;                ///< when they were met, as parsed (a day alone: end-of-day deadlines)
    std::string event;       ///< where ("" for nowhere); created when new
    std::string referred_by; ///< who introduced them ("" for nobody); created when new
    std::string plan;        ///< "" for the config's default plan
    /// `--new`: add even when another contact has one of its emails, phones or profiles, and
    /// create an introducer whose name is near a contact's.
    bool allow_new{};
};

/// What `add` did.
struct Added {
    Contact contact;
    std::vector<Followup> planned;
    std::vector<Contact> created; ///< an introducer created on the fly
    std::string plan;             ///< the plan's name
    /// Met longer ago than the plan's last step: how many steps the plan would have made, every
    /// one already past, so none was planned (0 otherwise).
    int past_steps{};
};

/// Adds a contact with the follow-ups of its plan and its recurring ones. Met longer ago than
/// the plan's last step, it plans none of them (all would be past): history, not a to-do list.
Added add_contact(Env& env, NewContact in);

/// The changes of `edit`; a field left unset stays as it is.
struct ContactEdit {
    std::optional<std::string> name, company, title, notes, event, birthday;
    std::optional<Via> via;
    std::optional<When> met;
    std::optional<std::optional<int>> every; ///< set to nullopt: no cadence any more
    std::vector<std::string> tags, untags;
    /// Ways to reach them to add, in the order given, before the ones they have (the first is
    /// the one used); one they have already moves to the front.
    std::vector<Labeled> emails, phones, addresses;
    std::vector<Profile> profiles;
    /// Ways to take away: an email or phone (phones compared by their digits), an address by
    /// its number in `show` (1 is the first) or its text, a profile by its network.
    std::vector<std::string> remove_emails, remove_phones, remove_addresses, remove_profiles;
    /// True when only tags and the keep-in-touch cadence change: what may be applied to many
    /// contacts at once.
    [[nodiscard]] bool for_many() const {
        ContactEdit rest = *this;
        rest.every.reset();
        return rest.tags_only();
    }
    /// True when only tags change.
    [[nodiscard]] bool tags_only() const {
        return !name && !company && !title && !notes && !event && !birthday && !via && !met &&
               !every && emails.empty() && phones.empty() && addresses.empty() &&
               profiles.empty() && remove_emails.empty() && remove_phones.empty() &&
               remove_addresses.empty() && remove_profiles.empty();
    }
};

/// Applies an edit to each contact (more than one only for tags), keeping plan titles and
/// recurring follow-ups in line. Throws UsageError for an empty edit or name.
std::vector<Contact> edit_contacts(Env& env, const std::vector<Contact>& contacts,
                                   const ContactEdit& edit);

/// Archives a contact (or, with `restore`, brings it back); its recurring follow-ups follow.
Contact archive(Env& env, const std::string& ref, bool restore);

/// Deletes a contact with everything attached; returns it with what went with it.
std::pair<Contact, ContactFootprint> remove_contact(Env& env, const std::string& ref);

/// What `merge` did.
struct Merged {
    Contact contact;               ///< A, as stored now
    Contact removed;               ///< B, as it was
    ContactFootprint moved;        ///< B's follow-ups, interactions and referrals, now A's
    std::vector<Followup> skipped; ///< B's open steps that A had already (skipped)
};

/// Merges contact `b` into contact `a` (references as `show` takes them): B's follow-ups,
/// touches, referrals (as referrer, prospect or member), the contacts B introduced, its tags
/// and its emails, phones, addresses and profiles go to A; A's fields stay and those A lacks
/// come from B (notes are joined); then B is deleted. An open plan or recurring step (note,
/// connect, meet, reconnect, birthday) that A has too is skipped as a duplicate. A's last
/// touch is recomputed. Throws UsageError when both name one contact.
Merged merge_contacts(Env& env, const std::string& a, const std::string& b);

/// Adds an event; throws Error when one of that name exists.
Event add_event(Env& env, Event event);

// --------------------------------------------------------------------------------------- undo

/// Reverts the last command that wrote (see Repository::undo_last).
UndoEntry undo(Env& env);

} // namespace followup::actions
