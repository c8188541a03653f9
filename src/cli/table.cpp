#include "table.hpp"

#include "context.hpp"

#include <algorithm>
#include <followup/text.hpp>

namespace followup::cli {

Table::Table(std::vector<std::string> headers, std::vector<bool> right_aligned)
    : headers_(std::move(headers)), right_(std::move(right_aligned)), limits_(headers_.size(), 0) {
    right_.resize(headers_.size(), false);
}

void Table::add(std::vector<Cell> row) {
    row.resize(headers_.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (!text::is_one_line(row[i].text)) row[i].text = text::one_line(row[i].text);
        row[i].width = text::width(row[i].text);
        if (limits_[i] && row[i].width > limits_[i]) { // cut only what is too wide: no copy
            row[i].text = text::truncate(row[i].text, limits_[i]);
            row[i].width = text::width(row[i].text);
        }
    }
    lines_.push_back({std::move(row), false});
}

void Table::section(std::string title, std::optional<fmt::text_style> style) {
    lines_.push_back({{Cell{std::move(title), style}}, true});
}

void Table::limit(std::size_t column, std::size_t width) {
    limits_.at(column) = width;
}

bool Table::empty() const {
    return std::none_of(lines_.begin(), lines_.end(), [](const Line& l) { return !l.is_section; });
}

std::string Table::render(bool color) const {
    std::vector<std::size_t> widths(headers_.size());
    for (std::size_t i = 0; i < headers_.size(); ++i)
        widths[i] = text::width(headers_[i]);
    for (const auto& line : lines_)
        if (!line.is_section)
            for (std::size_t i = 0; i < line.cells.size(); ++i)
                widths[i] = std::max(widths[i], line.cells[i].width);
    // Columns that are empty in every row are left out.
    std::vector<bool> shown(headers_.size(), false);
    for (const auto& line : lines_)
        if (!line.is_section)
            for (std::size_t i = 0; i < line.cells.size(); ++i)
                if (!line.cells[i].text.empty()) shown[i] = true;

    std::size_t last = 0;
    for (std::size_t i = 0; i < shown.size(); ++i)
        if (shown[i]) last = i;
    // Each line is written straight onto the output: `due` draws hundreds.
    auto emit = [&](std::string& out, const std::vector<Cell>& cells) {
        const std::size_t start = out.size();
        bool first = true;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (!shown[i]) continue;
            if (!first) out += "  ";
            first = false;
            const Cell& c = cells[i];
            // The last column is not padded: no trailing blanks, inside colour codes or not.
            std::size_t pad =
                i == last && !right_[i] ? 0 : widths[i] - std::min(widths[i], c.width);
            if (color && c.style && !c.text.empty()) {
                std::string padding(pad, ' ');
                out += terminal_style(right_[i] ? padding + c.text : c.text + padding, *c.style);
            } else if (right_[i]) {
                out.append(pad, ' ');
                out += c.text;
            } else {
                out += c.text;
                out.append(pad, ' ');
            }
        }
        while (out.size() > start && out.back() == ' ')
            out.pop_back();
        out += '\n';
    };

    std::string out;
    out.reserve(lines_.size() * 96 + 256);
    std::vector<Cell> header;
    for (const auto& h : headers_) {
        header.emplace_back(h, fmt::emphasis::bold);
        header.back().width = text::width(h);
    }
    emit(out, header);
    for (const auto& line : lines_) {
        if (line.is_section) {
            const Cell& c = line.cells.front();
            out += (color && c.style) ? terminal_style(c.text, *c.style) : c.text;
            out += '\n';
        } else {
            emit(out, line.cells);
        }
    }
    return out;
}

} // namespace followup::cli
