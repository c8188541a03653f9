#include <fmt/format.h>
#include <followup/util/csv.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/input.hpp>

namespace followup::csv {

/// Reads one record from `text`, which starts where the record does. Returns `more` when the
/// record may go on past the end of `text` and the input has more; `used` is then meaningless.
Reader::Step Reader::parse(std::string_view text, bool eof, Row& row, std::size_t& used,
                           std::size_t& lines) {
    const std::size_t n = text.size();
    const char separator = dialect_ == Dialect::tsv ? '\t' : ',';
    std::size_t i = 0;
    lines = 0;
    row.cells.clear();
    row.error.clear();
    bool blank = true;
    // Consumes CR, LF or CR LF at `at`; false when a CR ends the text that has more behind.
    auto end_of_line = [&](std::size_t& at) {
        if (text[at] == '\r') {
            if (at + 1 >= n && !eof) return false;
            if (at + 1 < n && text[at + 1] == '\n') ++at;
        }
        ++at;
        ++lines;
        return true;
    };
    while (true) {
        cell_.clear();
        if (i < n && text[i] == '"' && dialect_ == Dialect::csv) {
            blank = false;
            std::size_t opened = line_ + lines;
            ++i;
            while (true) {
                if (i >= n) {
                    if (!eof) return Step::more;
                    import_error(in_.name(), opened,
                                 "unbalanced quote: a quoted cell opens here and never closes");
                }
                char ch = text[i];
                if (ch == '"') {
                    if (i + 1 >= n && !eof) return Step::more;
                    if (i + 1 < n && text[i + 1] == '"') {
                        cell_ += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (ch == '\r' || ch == '\n') {
                    std::size_t from = i;
                    if (!end_of_line(i)) return Step::more;
                    cell_.append(text.substr(from, i - from));
                    continue;
                }
                // Copy a run of plain bytes at once.
                std::size_t stop = text.find_first_of("\"\r\n", i);
                if (stop == std::string_view::npos) stop = n;
                cell_.append(text.substr(i, stop - i));
                i = stop;
            }
            if (i >= n && !eof) return Step::more;
            if (i < n && text[i] != separator && text[i] != '\r' && text[i] != '\n') {
                // The record cannot be read; go on at the next line.
                std::size_t nl = text.find_first_of("\r\n", i);
                if (nl == std::string_view::npos) {
                    if (!eof) return Step::more;
                    i = n;
                } else {
                    i = nl;
                    if (!end_of_line(i)) return Step::more;
                }
                row.cells.clear();
                row.error = "text after the closing quote of a cell (a quote inside a quoted "
                            "cell must be doubled)";
                used = i;
                return Step::done;
            }
        } else {
            std::size_t stop = i;
            while (stop < n && text[stop] != separator && text[stop] != '\r' && text[stop] != '\n')
                ++stop;
            if (stop >= n && !eof) return Step::more;
            std::string_view raw = text.substr(i, stop - i);
            if (dialect_ == Dialect::tsv && raw.find('\\') != std::string_view::npos) {
                for (std::size_t k = 0; k < raw.size(); ++k) {
                    char ch = raw[k];
                    if (ch == '\\' && k + 1 < raw.size()) {
                        char e = raw[k + 1];
                        char plain = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
                        if (e == 't' || e == 'n' || e == 'r' || e == '\\') {
                            cell_ += plain;
                            ++k;
                            continue;
                        }
                    }
                    cell_ += ch;
                }
            } else {
                cell_.assign(raw);
            }
            if (!cell_.empty()) blank = false;
            i = stop;
        }
        row.cells.push_back(std::move(cell_));
        if (i < n && text[i] == separator) {
            blank = false;
            ++i;
            continue;
        }
        if (i < n && !end_of_line(i)) return Step::more;
        break;
    }
    used = i;
    return blank ? Step::blank : Step::done;
}

bool Reader::next(Row& row) {
    while (true) {
        std::string_view text = in_.data();
        if (text.empty() && !in_.fill()) return false;
        text = in_.data();
        std::size_t used = 0, lines = 0;
        Step step = parse(text, in_.eof(), row, used, lines);
        if (step == Step::more) {
            if (record_limit_ && text.size() > record_limit_)
                import_error(in_.name(), line_,
                             fmt::format("a record longer than {} MiB (stdin takes records of up "
                                         "to {} MiB; import the file by its name instead)",
                                         record_limit_ >> 20, record_limit_ >> 20));
            in_.fill(text.size() * 2); // a long record: no rescanning it block by block
            continue;
        }
        if (record_limit_ && used > record_limit_)
            import_error(in_.name(), line_,
                         fmt::format("a record longer than {} MiB (stdin takes records of up to "
                                     "{} MiB; import the file by its name instead)",
                                     record_limit_ >> 20, record_limit_ >> 20));
        row.line = line_;
        line_ += lines;
        in_.consume(used);
        if (step == Step::blank) continue;
        return true;
    }
}

std::vector<Row> read(std::string_view text, const std::string& source) {
    Input in(text, source);
    Reader reader(in, Dialect::csv);
    std::vector<Row> rows;
    Row row;
    while (reader.next(row)) {
        if (!row.error.empty()) import_error(source, row.line, row.error);
        rows.push_back(std::move(row));
        row = Row{};
    }
    return rows;
}

} // namespace followup::csv
