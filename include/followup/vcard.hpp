#pragma once
// vCard (RFC 2426 for 3.0, RFC 6350 for 4.0, and the 2.1 of old phones): reading and writing.

#include <followup/importer.hpp>
#include <followup/model.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// Reads every vCard of a file (2.1, 3.0 or 4.0): folded lines, quoted-printable, escaped
/// commas and semicolons, grouped properties, several EMAIL/TEL with types (the preferred one
/// is kept, the others go into the notes), BDAY with or without a year, CATEGORIES as tags and
/// followup's own X-FOLLOWUP-* properties. Throws UsageError "SOURCE:LINE: REASON" (see
/// import_error) on a broken file.
std::vector<ContactDraft> parse_vcards(std::string_view text, const std::string& source);

/// Writes contacts as vCard 3.0 (version 3) or 4.0 (version 4), CRLF line ends, folded at 75
/// octets without splitting a UTF-8 character. followup's own fields ride in X-FOLLOWUP-*.
std::string write_vcards(const std::vector<Contact>& contacts, int version);

} // namespace followup
