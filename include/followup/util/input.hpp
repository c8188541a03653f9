#pragma once
// The bytes of an import as they arrive: a window over a file, stdin or a string, refilled in
// blocks, so that a reader holds one record at a time and never the whole stream.

#include <cstddef>
#include <followup/util/errors.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace followup {

/// The UsageError of a broken import file or record: "SOURCE:LINE: REASON", with the line and
/// the reason kept apart.
class ImportError : public UsageError {
public:
    ImportError(const std::string& message, std::size_t line, std::string reason)
        : UsageError(message), line_(line), reason_(std::move(reason)) {}
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::size_t line_;
    std::string reason_;
};

/// Throws ImportError "SOURCE:LINE: REASON" (or "SOURCE: REASON" when line is 0): every broken
/// import file is reported this way.
[[noreturn]] void import_error(const std::string& source, std::size_t line,
                               const std::string& reason);

/// Where the bytes of an import come from: puts up to `size` bytes into `buffer` and returns
/// how many (0 at the end); throws Error when it cannot read.
using ImportSource = std::function<std::size_t(char* buffer, std::size_t size)>;

class Input {
public:
    /// Reads from `source` in blocks; fails (import_error) beyond `total_limit` bytes (0: none).
    Input(const ImportSource& source, std::size_t total_limit, std::string name)
        : source_(&source), total_limit_(total_limit), name_(std::move(name)) {}
    /// All of `text`, at once (nothing to read).
    Input(std::string_view text, std::string name)
        : view_(text), eof_(true), name_(std::move(name)) {}

    /// The bytes read and not consumed yet.
    [[nodiscard]] std::string_view data() const { return view_; }
    /// True when the source has nothing more.
    [[nodiscard]] bool eof() const { return eof_; }
    /// Reads more after data(): at least one block, and on until data() holds `want` bytes
    /// (or the end comes); false when nothing more came. data() may move.
    bool fill(std::size_t want = 0);
    /// Drops the first `n` bytes of data().
    void consume(std::size_t n) { view_.remove_prefix(n); }
    /// How many bytes were consumed or dropped before data() begins.
    [[nodiscard]] std::size_t offset() const { return read_ - view_.size(); }
    [[nodiscard]] const std::string& name() const { return name_; }

private:
    const ImportSource* source_{};
    std::size_t total_limit_{};
    std::string buf_;
    std::string_view view_;
    bool eof_{};
    std::size_t read_{};
    std::string name_;
};

} // namespace followup
