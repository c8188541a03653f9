#include "table.hpp"

#include "context.hpp"

#include <algorithm>
#include <followup/util/text.hpp>

namespace followup::cli {
namespace {

bool same_color(fmt::detail::color_type a, fmt::detail::color_type b) {
    return a.is_rgb == b.is_rgb && a.value.rgb_color == b.value.rgb_color;
}

bool same_style(const fmt::text_style& a, const fmt::text_style& b) {
    if (a.has_foreground() != b.has_foreground() || a.has_background() != b.has_background() ||
        a.has_emphasis() != b.has_emphasis())
        return false;
    if (a.has_foreground() && !same_color(a.get_foreground(), b.get_foreground())) return false;
    if (a.has_background() && !same_color(a.get_background(), b.get_background())) return false;
    return !a.has_emphasis() || a.get_emphasis() == b.get_emphasis();
}

} // namespace

Table::Table(std::vector<std::string> headers, std::vector<bool> right_aligned)
    : headers_(std::move(headers)), right_(std::move(right_aligned)), limits_(headers_.size(), 0) {
    right_.resize(headers_.size(), false);
}

void Table::store(std::string_view text, std::size_t width,
                  const std::optional<fmt::text_style>& style) {
    Slot slot{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(text.size()),
              static_cast<std::uint32_t>(width), -1};
    if (style) {
        auto it = std::find_if(styles_.begin(), styles_.end(),
                               [&](const fmt::text_style& s) { return same_style(s, *style); });
        slot.style = static_cast<std::int32_t>(it - styles_.begin());
        if (it == styles_.end()) styles_.push_back(*style);
    }
    text_ += text;
    slots_.push_back(slot);
}

void Table::put(std::size_t column, std::string_view text,
                const std::optional<fmt::text_style>& style) {
    std::string fixed; // only for a cell that must change: most are stored as they are
    if (!text::is_one_line(text)) {
        fixed = text::one_line(text);
        text = fixed;
    }
    std::size_t width = text::width(text);
    if (limits_[column] && width > limits_[column]) {
        fixed = text::truncate(text, limits_[column]);
        text = fixed;
        width = text::width(text);
    }
    store(text, width, style);
}

void Table::add(std::initializer_list<Cell> row) {
    lines_.push_back({static_cast<std::uint32_t>(slots_.size()), false});
    std::size_t i = 0;
    for (const Cell& c : row) {
        if (i == headers_.size()) break;
        put(i++, c.text, c.style);
    }
    for (; i < headers_.size(); ++i)
        put(i, {}, std::nullopt);
}

void Table::section(std::string title, std::optional<fmt::text_style> style) {
    lines_.push_back({static_cast<std::uint32_t>(slots_.size()), true});
    store(title, 0, style);
}

void Table::limit(std::size_t column, std::size_t width) {
    limits_.at(column) = width;
}

bool Table::empty() const {
    return std::none_of(lines_.begin(), lines_.end(), [](const Line& l) { return !l.is_section; });
}

std::string Table::render(bool color) const {
    const std::size_t columns = headers_.size();
    std::vector<std::size_t> widths(columns);
    for (std::size_t i = 0; i < columns; ++i)
        widths[i] = text::width(headers_[i]);
    // Columns that are empty in every row are left out.
    std::vector<bool> shown(columns, false);
    for (const auto& line : lines_)
        if (!line.is_section)
            for (std::size_t i = 0; i < columns; ++i) {
                const Slot& s = slots_[line.first + i];
                widths[i] = std::max<std::size_t>(widths[i], s.width);
                if (s.size != 0) shown[i] = true;
            }

    std::size_t last = 0;
    for (std::size_t i = 0; i < shown.size(); ++i)
        if (shown[i]) last = i;
    // A cell as emit() draws it: the stored ones and the header's.
    struct View {
        std::string_view text;
        std::size_t width;
        const fmt::text_style* style;
    };
    auto view = [&](const Slot& s) {
        return View{std::string_view(text_).substr(s.offset, s.size), s.width,
                    s.style < 0 ? nullptr : &styles_[static_cast<std::size_t>(s.style)]};
    };
    // Each line is written straight onto the output: `due` draws hundreds.
    auto emit = [&](std::string& out, auto&& cell) {
        const std::size_t start = out.size();
        bool first = true;
        for (std::size_t i = 0; i < columns; ++i) {
            if (!shown[i]) continue;
            if (!first) out += "  ";
            first = false;
            const View c = cell(i);
            // The last column is not padded: no trailing blanks, inside colour codes or not.
            std::size_t pad =
                i == last && !right_[i] ? 0 : widths[i] - std::min(widths[i], c.width);
            if (color && c.style && !c.text.empty()) {
                std::string padding(pad, ' ');
                std::string padded =
                    right_[i] ? padding + std::string(c.text) : std::string(c.text) + padding;
                out += terminal_style(padded, *c.style);
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

    // Room for all of it without colour: each cell's text and at most its column's width of
    // padding (pages reserved but never written cost nothing).
    std::size_t row_room = 1;
    for (std::size_t i = 0; i < columns; ++i)
        row_room += widths[i] + 2;
    std::string out;
    out.reserve(text_.size() + (lines_.size() + 1) * row_room);
    const fmt::text_style bold = fmt::emphasis::bold;
    emit(out, [&](std::size_t i) { return View{headers_[i], text::width(headers_[i]), &bold}; });
    for (const auto& line : lines_) {
        if (line.is_section) {
            const View c = view(slots_[line.first]);
            if (color && c.style)
                out += terminal_style(c.text, *c.style);
            else
                out += c.text;
            out += '\n';
        } else {
            emit(out, [&](std::size_t i) { return view(slots_[line.first + i]); });
        }
    }
    return out;
}

} // namespace followup::cli
