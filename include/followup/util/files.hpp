#pragma once
// Opening the files followup reads: only regular files, never a FIFO, a device or a folder.

#include <cstddef>
#include <string>
#include <string_view>

namespace followup {

/// What a path is, for messages: "a folder", "a FIFO", "a device", "a socket", "a special
/// file", or "" for a regular file; throws Error for a path that cannot be examined, except a
/// missing one, which is "" when `missing_ok` (the caller creates it) and "missing" otherwise.
std::string file_kind(const std::string& path, bool missing_ok = false);

/// Throws Error "cannot read PATH: it is a FIFO (not a regular file)" (or a folder, a device...)
/// unless the path is a regular file (or missing, when `missing_ok`). `stat` only: a FIFO is
/// never opened, so this never blocks.
void require_regular_file(const std::string& path, bool missing_ok = false);

/// A regular file opened for reading (checked as read_regular_file does), closed when this goes.
class RegularFile {
public:
    /// Throws Error "cannot read PATH: ..." as read_regular_file does.
    explicit RegularFile(const std::string& path);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;
    /// Reads up to `size` bytes; 0 at the end. Throws Error when it cannot read.
    std::size_t read(char* buffer, std::size_t size);
    [[nodiscard]] std::size_t size() const { return size_; } ///< its size when opened

private:
    std::string path_;
    int fd_{-1};
    std::size_t size_{};
};

/// The whole of a regular file (checked as above, then opened with O_NONBLOCK and checked again
/// on the open descriptor); throws Error when it is larger than `limit` bytes or cannot be read.
std::string read_regular_file(const std::string& path, std::size_t limit);

} // namespace followup
