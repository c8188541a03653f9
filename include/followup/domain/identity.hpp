#pragma once
// Who is who: the one place that decides whether a name or a record is a person followup knows.
// Every entry point asks here: a typed name (look_up_name), a record of an import or a vdir, an
// `add` with identifiers (match_person), and `duplicates` (find_duplicates). The store only
// fetches the candidates; nothing else compares names or identifiers.

#include <followup/domain/model.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

namespace identity {

/// The words of a name as they are compared: text::fold (Unicode-normalised, case-folded,
/// accents removed), split at blanks, at the punctuation of names (`.`, `,`, `;`, `"`, `(`,
/// `)`) and at a hyphen between letters ("Jean-Luc"); a hyphen next to a digit stays inside its
/// word ("W15-5"), and so does an apostrophe ("o'brien").
std::vector<std::string> name_words(std::string_view name);

/// The key two spellings of one name share: its words in sorted order ("shah priya" for
/// "Priya Shah", "SHAH, Priya" and "Priyá  Shah"); "" for a name without words.
std::string name_key(std::string_view name);

/// How two names compare.
enum class NameFit {
    same,  ///< the same words, in any order and any case, with or without accents
    near,  ///< likely the same person written otherwise: a typo (a missing, extra, swapped or
           ///< wrong letter), an initial for a word, a word more or less
    other, ///< different names
};

/// How `a` compares to `b` (symmetric).
NameFit compare_names(std::string_view a, std::string_view b);

/// A person as the matcher sees them: a contact of the store, or a record that arrives.
struct Person {
    Id id{}; ///< 0 for a record that is not stored yet
    std::string uuid;
    std::string name;
    /// Identifiers as keys: emails without case, phones by their digits (phone_key), profiles
    /// by their link (profile_key).
    std::vector<std::string> emails, phones, profiles;
    bool archived{};
    /// A candidate an earlier record of the same file has already been matched to: a second
    /// record of the same name is then another person (or a suggestion), never merged again.
    bool taken{};
};

/// A stored contact as a Person (its identifiers made keys).
Person person_of(const Contact& c);

/// The verdict of the matcher.
enum class Verdict {
    same,       ///< the record is that person
    suggestion, ///< possibly someone: added as a new person, and the candidates named
    new_person, ///< nobody followup knows
};

/// What match_person decided, and why.
struct PersonMatch {
    Verdict verdict{Verdict::new_person};
    std::optional<Id> id;        ///< same: the person
    std::vector<Id> suggestions; ///< suggestion: who it may be, likeliest first
    /// same: "same uuid", "same email ann@x.org", "same name"...; suggestion: why each is a
    /// suggestion ("same name", "shares phone 123456 with another name").
    std::string why;
    /// new_person or suggestion: a contact of the same name that is another person, because
    /// both have identifiers of a kind and share none (`conflict`: 1 emails, 2 phones, 4
    /// profiles).
    std::optional<Id> namesake;
    unsigned conflict{};
};

/// Who `probe` is among `candidates`:
///  1. a candidate with the same UUID is the same person, whatever the names say;
///  2. a candidate that shares an email, phone or profile is the same person only when the
///     names fit too (compare_names same or near); a shared identifier with another name (a
///     switchboard number, an info@ or family address) is a suggestion, never a merge;
///  3. else a candidate of the same name (any word order) is the same person unless both have
///     identifiers of one kind and share none (two people of one name), or the probe has no
///     identifiers while the candidate has some, or the candidate is `taken`: those are
///     suggestions;
///  4. else a new person.
PersonMatch match_person(const Person& probe, const std::vector<Person>& candidates);

/// A stored contact as a typed name is compared with.
struct NameCandidate {
    Id id{};
    std::string name;
    bool archived{};
};

/// What a typed name is.
struct NameLookup {
    enum class How {
        exact,  ///< `ids` have that name (words in any order, case and accents aside)
        prefix, ///< `ids` fit it word by word as prefixes ("pri sh" for Priya Shah)
        none,   ///< nobody; `suggestions` are near it
    };
    How how{How::none};
    std::vector<Id> ids;
    std::vector<Id> suggestions; ///< nearest first, at most five
};

/// The contacts a typed name means, among `candidates`. Active contacts win over archived ones.
///  - exact: the same words (compare_names same);
///  - prefix: each typed word starts a different word of the name, in order; a typed word with
///    a digit in it must be a whole word ("W15-5" never fits "W15-54");
///  - none: then the suggestions are the names near it (compare_names near), then those that
///    contain it, nearest first.
NameLookup look_up_name(std::string_view typed, const std::vector<NameCandidate>& candidates);

/// The text of a refused name: `no contact 'Pria Shah'; did you mean #3 Priya Shah?` (or
/// `... did you mean #3 Priya Shah or #9 Priya Shan?`).
std::string did_you_mean(std::string_view typed, const std::vector<NameCandidate>& suggestions);

} // namespace identity

/// Two contacts that are likely the same person, and why.
struct DuplicatePair {
    Contact a; ///< the older one (lower id)
    Contact b;
    /// "same email ann@example.com", "same phone +447700900123", "same profile
    /// linkedin:linkedin.com/in/ann", "same name": every reason, in that order.
    std::vector<std::string> reasons;
};

/// The likely pairs among `contacts`: those that share an email (without case), a phone (by
/// its digits) or a profile (by its link), and those of the same name (identity::name_key: any
/// word order, case and accents aside) whose identifiers do not conflict (a kind both have,
/// emails say, with none shared, makes two people). Pairs by the lower id, then the higher.
std::vector<DuplicatePair> find_duplicates(const std::vector<Contact>& contacts);

} // namespace followup
