#pragma once
// Reading CSV (RFC 4180 and the files spreadsheets really write), with line numbers for messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace followup {
class Input;
}

namespace followup::csv {

/// One record of a CSV file.
struct Row {
    std::size_t line{}; ///< the physical line the record starts on (1-based)
    std::vector<std::string> cells;
    /// Why the record cannot be read ("" when it can): text after the closing quote of a cell.
    /// The reader went on at the next line.
    std::string error;
};

/// How cells are written.
enum class Dialect {
    csv, ///< cells separated by `,`; quoted cells with doubled quotes and line breaks inside
    tsv, ///< cells separated by a tab, never quoted; \t \n \r \\ are escapes (followup's export)
};

/// Reads records one at a time from an Input, holding only the one being read: CRLF, LF or CR
/// line ends; blank lines are left out; a quote in the middle of an unquoted cell is kept as it
/// is. Throws UsageError through import_error for a quoted cell that never closes (the rest of
/// the file is unreadable) and for a record longer than `record_limit` bytes (0: no limit).
class Reader {
public:
    /// `first_line` is the number of the line the input starts on.
    Reader(Input& in, Dialect dialect, std::size_t record_limit = 0, std::size_t first_line = 1)
        : in_(in), dialect_(dialect), record_limit_(record_limit), line_(first_line) {}
    /// The next record; false at the end.
    bool next(Row& row);

private:
    enum class Step { done, more, blank };
    Step parse(std::string_view text, bool eof, Row& row, std::size_t& used, std::size_t& lines);

    Input& in_;
    Dialect dialect_;
    std::size_t record_limit_;
    std::size_t line_;
    std::string cell_;
};

/// Splits CSV text into records (see Reader); for tests and the format check.
std::vector<Row> read(std::string_view text, const std::string& source);

} // namespace followup::csv
