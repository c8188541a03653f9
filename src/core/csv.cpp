#include "csv.hpp"

#include <followup/importer.hpp>

namespace followup::csv {

std::vector<Row> read(std::string_view text, const std::string& source, char separator) {
    std::vector<Row> rows;
    std::size_t line = 1;
    std::size_t i = 0;
    const std::size_t n = text.size();
    Row row;
    std::string cell;
    auto end_of_line = [&](std::size_t& at) { // consumes CR, LF or CRLF at `at`
        if (text[at] == '\r' && at + 1 < n && text[at + 1] == '\n') ++at;
        ++at;
        ++line;
    };
    while (i < n) {
        // The start of a record.
        row.line = line;
        row.cells.clear();
        bool blank = true;
        while (true) {
            cell.clear();
            if (i < n && text[i] == '"') {
                blank = false;
                std::size_t opened = line;
                ++i;
                while (true) {
                    if (i >= n)
                        import_error(source, opened,
                                     "unbalanced quote: a quoted cell opens here and never closes");
                    char ch = text[i];
                    if (ch == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            cell += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (ch == '\r' || ch == '\n') {
                        std::size_t from = i;
                        end_of_line(i);
                        cell.append(text.substr(from, i - from));
                        continue;
                    }
                    // Copy a run of plain bytes at once.
                    std::size_t stop = text.find_first_of("\"\r\n", i);
                    if (stop == std::string_view::npos) stop = n;
                    cell.append(text.substr(i, stop - i));
                    i = stop;
                }
                if (i < n && text[i] != separator && text[i] != '\r' && text[i] != '\n')
                    import_error(source, line,
                                 "text after the closing quote of a cell (a quote inside a "
                                 "quoted cell must be doubled)");
            } else {
                std::size_t stop = i;
                while (stop < n && text[stop] != separator && text[stop] != '\r' &&
                       text[stop] != '\n')
                    ++stop;
                cell.assign(text.substr(i, stop - i));
                if (!cell.empty()) blank = false;
                i = stop;
            }
            row.cells.push_back(std::move(cell));
            if (i < n && text[i] == separator) {
                blank = false;
                ++i;
                continue;
            }
            if (i < n) end_of_line(i);
            break;
        }
        if (!blank) rows.push_back(std::move(row));
        row = Row{};
    }
    return rows;
}

} // namespace followup::csv
