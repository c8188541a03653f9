#pragma once
// Machine-readable output: the spec's JSON objects and their JSON, JSON Lines, CSV and TSV forms.

#include <followup/domain/model.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// An output format of the listing commands.
enum class Format { table, json, jsonl, csv, tsv };

/// Parses "table", "json", "jsonl", "csv" or "tsv"; throws UsageError.
Format parse_format(std::string_view text);

/// A record in the spec's field order.
using Record = nlohmann::ordered_json;

/// The spec's follow-up object (`link` derived from channel and handle).
Record to_record(const Followup& f);
/// The spec's contact object.
Record to_record(const Contact& c);
/// The spec's interaction object.
Record to_record(const Interaction& i);
/// The spec's referral object.
Record to_record(const Referral& r);
/// An event as a JSON record: id, uuid, name, on, place, created.
Record to_record(const Event& e);

/// One record as compact JSON text, appended to `out`: the same bytes as
/// to_record(row).dump(), written without building the Record (large exports).
void append_json(std::string& out, const Followup& row);
void append_json(std::string& out, const Contact& row);
void append_json(std::string& out, const Interaction& row);
void append_json(std::string& out, const Referral& row);

/// Rows as `render` would write their records (json, jsonl, csv or tsv, with the spec's
/// columns), without building them: large exports.
std::string render_rows(const std::vector<Followup>& rows, Format format);
std::string render_rows(const std::vector<Contact>& rows, Format format);
std::string render_rows(const std::vector<Interaction>& rows, Format format);
std::string render_rows(const std::vector<Referral>& rows, Format format);

/// Renders records as one JSON array (json), one object per line (jsonl), or a table with a
/// header row (csv: RFC 4180 quoting; tsv: tabs, with backslash escapes for tab, newline, CR and
/// backslash). In csv and tsv, text cells starting with =, +, -, @, tab or CR get a leading '
/// so that spreadsheets do not run them; arrays are joined with ';', null is empty. `columns`
/// gives the header for csv and tsv even when there are no records.
std::string render(const std::vector<Record>& records, Format format,
                   const std::vector<std::string>& columns);

/// The field names of each record type, in order.
const std::vector<std::string>& followup_fields();
const std::vector<std::string>& contact_fields();
const std::vector<std::string>& interaction_fields();
const std::vector<std::string>& referral_fields();

} // namespace followup
