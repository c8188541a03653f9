#pragma once
// A plain-text table for people: aligned columns, optional colour per cell, one-line cells.

#include <cstdint>
#include <fmt/color.h>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup::cli {

/// A table drawn for the terminal.
class Table {
public:
    /// A cell with an optional style (applied only when colour is on). It views its text,
    /// which add() copies: a row is written `table.add({...})`, so the strings made for it
    /// live until add() returns.
    struct Cell {
        Cell() = default;
        Cell(std::string_view t) : text(t) {}   // NOLINT(google-explicit-constructor)
        Cell(const std::string& t) : text(t) {} // NOLINT(google-explicit-constructor)
        Cell(const char* t) : text(t) {}        // NOLINT(google-explicit-constructor)
        Cell(std::string_view t, std::optional<fmt::text_style> s) : text(t), style(s) {}
        std::string_view text;
        std::optional<fmt::text_style> style;
    };

    explicit Table(std::vector<std::string> headers, std::vector<bool> right_aligned = {});
    /// Adds a row of cells (missing ones are empty, extra ones left out).
    void add(std::initializer_list<Cell> row);
    /// Adds a section heading that spans the table.
    void section(std::string title, std::optional<fmt::text_style> style = {});
    /// Caps a column's width (cells longer than that are cut with "…").
    void limit(std::size_t column, std::size_t width);
    /// True when no row was added.
    [[nodiscard]] bool empty() const;
    /// The table as text, with a header row; colour codes only when `color`.
    [[nodiscard]] std::string render(bool color) const;

private:
    /// A cell as stored: its text is a slice of `text_`, its style an index into `styles_`.
    /// (`due` at 100,000 contacts adds 700 rows of 8 cells: one buffer instead of 5,600
    /// strings and 700 vectors.)
    struct Slot {
        std::uint32_t offset{};
        std::uint32_t size{};
        std::uint32_t width{};
        std::int32_t style{-1}; ///< -1: none
    };
    struct Line {
        std::uint32_t first{}; ///< index of its first slot; a row has one per header
        bool is_section{};
    };
    void store(std::string_view text, std::size_t width,
               const std::optional<fmt::text_style>& style);
    /// Stores the cell of column `column`: on one line, cut to the column's limit.
    void put(std::size_t column, std::string_view text,
             const std::optional<fmt::text_style>& style);

    std::vector<std::string> headers_;
    std::vector<bool> right_;
    std::vector<std::size_t> limits_;
    std::string text_;
    std::vector<Slot> slots_;
    std::vector<fmt::text_style> styles_;
    std::vector<Line> lines_;
};

} // namespace followup::cli
