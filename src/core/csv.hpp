#pragma once
// Reading CSV (RFC 4180 and the files spreadsheets really write), with line numbers for messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace followup::csv {

/// One record of a CSV file.
struct Row {
    std::size_t line{}; ///< the physical line the record starts on (1-based)
    std::vector<std::string> cells;
};

/// Splits CSV text into records: cells separated by `separator`, quoted cells with doubled
/// quotes and line breaks inside, CRLF, LF or CR line ends. Blank lines are left out. A quote
/// in the middle of an unquoted cell is kept as it is. Throws UsageError through import_error
/// for a quoted cell that never closes, or text after a closing quote.
std::vector<Row> read(std::string_view text, const std::string& source, char separator = ',');

} // namespace followup::csv
