#pragma once
// vCard (RFC 2426 for 3.0, RFC 6350 for 4.0, and the 2.1 of old phones): reading and writing.

#include <followup/domain/model.hpp>
#include <followup/interchange/importer.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// followup's own properties, written by write_vcards for the fields vCard has no home for and
/// read back by parse_vcards (values are escaped text like any other; times are UTC in
/// followup's ISO 8601 form, "2026-03-12T23:00:00Z", the basic form "20260312T230000Z" is read
/// too):
///
///   X-FOLLOWUP-CHANNEL      the preferred channel ("email", "linkedin", ...; normalised)
///   X-FOLLOWUP-HANDLE       the handle on that channel
///   X-FOLLOWUP-EVENT        the name of the event where the contact was met
///   X-FOLLOWUP-MET          when you met (UTC)
///   X-FOLLOWUP-REFERRED-BY  the name of who introduced you
///   X-FOLLOWUP-EVERY        the keep-in-touch cadence in days (1 to 3650)
///   X-FOLLOWUP-LAST-TOUCH   the last touch (UTC)
///   X-FOLLOWUP-ARCHIVED     "true" (written only for archived contacts; "false" is read too)
///   X-FOLLOWUP-CREATED      when the contact was created (UTC; REV carries it too)
///   X-FOLLOWUP-UUID         the contact's UUID, on a card whose UID is another's (a card made
///                           on a phone keeps its UID when synced; see vdir::merge_card); it
///                           wins over the UID
///
/// A malformed X-FOLLOWUP-* value is an error; an unknown X-FOLLOWUP-* property is ignored.

/// Reads every vCard of a file (2.1, 3.0 or 4.0; CR LF or LF): folded lines, quoted-printable
/// (UTF-8, or ISO-8859-1/windows-1252 converted to UTF-8), escaped commas and semicolons,
/// grouped properties, several EMAIL/TEL with types (the preferred one is kept, the others go
/// into the notes), BDAY with or without a year, CATEGORIES as tags and followup's own
/// X-FOLLOWUP-* properties. Each draft's `line` is the line of its BEGIN:VCARD.
///
/// Field by field: FN is the name (else N as "prefix given additional family suffix", else the
/// e-mail); ORG's first component the company; TITLE the title; EMAIL/TEL the one with the
/// lowest PREF (4.0 PREF=n, 3.0 TYPE=pref, 2.1 bare PREF), else the first; NOTE the notes,
/// followed by lines "Other email (work): x@y" and "Other phone (cell): +1..." for the EMAIL and
/// TEL not kept; BDAY "1985-04-12", "19850412", "--0412", "--04-12" or a date-time becomes
/// "YYYY-MM-DD" or "MM-DD" (Apple's X-APPLE-OMIT-YEAR is honoured); UID only when it is a UUID
/// ("urn:uuid:" dropped, lower case); a URL on linkedin.com, when there is no
/// X-FOLLOWUP-CHANNEL, sets channel "linkedin" and the URL as handle.
///
/// Lossy on purpose: ADR, PHOTO and other binary values (ENCODING=b/BASE64), X-ABLabel and every
/// other property are dropped; the ORG units after the first component are dropped; tags that
/// differ only in ASCII case are kept once; a BDAY that cannot be read becomes a note line
/// "Birthday (unread): VALUE"; contact groups (KIND:group, X-ADDRESSBOOKSERVER-KIND:group) are
/// left out; in 2.1 a folded line loses its first blank as in 3.0/4.0 (2.1
/// itself would keep it); CR LF inside a value becomes LF; a nested 2.1 AGENT vCard is an error.
///
/// Throws UsageError "SOURCE:LINE: REASON" (see import_error) on a broken file: a vCard not
/// closed (truncated file), END:VCARD without BEGIN, BEGIN inside a vCard, a line without ':'
/// inside a vCard, text outside a vCard, an unsupported VERSION, a vCard with no FN, N or EMAIL,
/// quoted-printable text that is not UTF-8 once decoded, a malformed X-FOLLOWUP-* value, and
/// "no vCard found" for a file without any.
std::vector<ContactDraft> parse_vcards(std::string_view text, const std::string& source);

/// What read_vcards found.
struct VCardRead {
    std::vector<ContactDraft> contacts;
    std::size_t groups{}; ///< contact-group cards (KIND:group, X-ADDRESSBOOKSERVER-KIND:group)
    std::vector<RepairedField> repaired; ///< fields kept with U+FFFD, one per line
};

/// Reads the cards of a part of a file as parse_vcards does, `text` starting on line
/// `first_line` of the file (for messages); contact groups are counted, not read; no card at all
/// is no error. import reads a file card by card through it.
VCardRead read_vcards(std::string_view text, const std::string& source, std::size_t first_line);

/// Writes contacts as vCard 3.0 (version 3) or 4.0 (version 4), CR LF line ends, folded at 75
/// octets without splitting a UTF-8 character; text values escape \\ , ; and line breaks. Per
/// contact, empty fields left out: FN, N (the last word of the name is the family name, the rest
/// the given name), ORG, TITLE, EMAIL (3.0 with TYPE=INTERNET), TEL (4.0 with VALUE=text),
/// BDAY (with a year 3.0 "1985-04-12", 4.0 "19850412"; without, 4.0 "--0412" and 3.0 "--04-12",
/// for which 3.0 has no standard form: most readers accept it), CATEGORIES (the tags), NOTE,
/// UID "urn:uuid:...", REV (the creation time, basic UTC form), URL (a LinkedIn handle that is a
/// URL), then the X-FOLLOWUP-* properties above. parse_vcards gives every field back.
/// Throws UsageError for any other version.
std::string write_vcards(const std::vector<Contact>& contacts, int version);

} // namespace followup
