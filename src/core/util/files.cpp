#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <followup/util/errors.hpp>
#include <followup/util/files.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace followup {
namespace {

std::string kind_of(mode_t mode) {
    if (S_ISREG(mode)) return "";
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

[[noreturn]] void not_regular(const std::string& path, const std::string& kind) {
    throw Error(fmt::format("cannot read {}: it is {}, not a regular file", path, kind));
}

/// Closes a descriptor on every path out.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

} // namespace

std::string file_kind(const std::string& path, bool missing_ok) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return missing_ok ? "" : "missing";
        throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    }
    return kind_of(st.st_mode);
}

void require_regular_file(const std::string& path, bool missing_ok) {
    std::string kind = file_kind(path, missing_ok);
    if (kind == "missing")
        throw Error(fmt::format("cannot read {}: {}", path, std::strerror(ENOENT)));
    if (!kind.empty()) not_regular(path, kind);
}

RegularFile::RegularFile(const std::string& path) : path_(path) {
    require_regular_file(path);
    // O_NONBLOCK: should the path become a FIFO between the check and the open, the open does
    // not wait for a writer; fstat then refuses it.
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        int err = errno;
        ::close(fd_);
        throw Error(fmt::format("cannot read {}: {}", path, std::strerror(err)));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd_);
        not_regular(path, kind_of(st.st_mode));
    }
    size_ = static_cast<std::size_t>(st.st_size);
}

RegularFile::~RegularFile() {
    if (fd_ >= 0) ::close(fd_);
}

std::size_t RegularFile::read(char* buffer, std::size_t size) {
    for (;;) {
        ssize_t n = ::read(fd_, buffer, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR)
            throw Error(fmt::format("cannot read {}: {}", path_, std::strerror(errno)));
    }
}

std::string read_regular_file(const std::string& path, std::size_t limit) {
    require_regular_file(path);
    // O_NONBLOCK: should the path become a FIFO between the check and the open, the open does
    // not wait for a writer; fstat then refuses it.
    Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
    if (f.fd < 0) throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0)
        throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) not_regular(path, kind_of(st.st_mode));
    if (static_cast<unsigned long long>(st.st_size) > limit)
        throw Error(fmt::format("cannot read {}: it is larger than {} MiB", path, limit >> 20));
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t have = 0;
    for (;;) {
        if (have == text.size()) text.resize(std::min(limit + 1, text.size() + (64 << 10)));
        ssize_t n = ::read(f.fd, text.data() + have, text.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
        if (have > limit) // it grew since fstat
            throw Error(fmt::format("cannot read {}: it is larger than {} MiB", path, limit >> 20));
    }
    text.resize(have);
    return text;
}

} // namespace followup
