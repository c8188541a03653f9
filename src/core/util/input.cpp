#include <cstring>
#include <fmt/format.h>
#include <followup/util/input.hpp>

namespace followup {

void import_error(const std::string& source, std::size_t line, const std::string& reason) {
    std::string name = source == "-" ? "<stdin>" : source;
    if (line == 0) throw ImportError(fmt::format("{}: {}", name, reason), line, reason);
    throw ImportError(fmt::format("{}:{}: {}", name, line, reason), line, reason);
}

bool Input::fill(std::size_t want) {
    if (eof_) return false;
    constexpr std::size_t block = std::size_t{1} << 18;
    // Keep what is not consumed at the front of the buffer, then read behind it.
    std::size_t keep = view_.size();
    if (keep && view_.data() != buf_.data()) std::memmove(buf_.data(), view_.data(), keep);
    bool got = false;
    do {
        buf_.resize(keep + block);
        std::size_t n = (*source_)(buf_.data() + keep, block);
        keep += n;
        read_ += n;
        if (n == 0) eof_ = true;
        got = got || n != 0;
        if (total_limit_ && read_ > total_limit_) {
            buf_.resize(keep);
            view_ = std::string_view(buf_);
            import_error(name_, 0,
                         name_ == "-" ? fmt::format("more than {} MiB (the most an import reads "
                                                    "from stdin; import the file by its name "
                                                    "instead)",
                                                    total_limit_ >> 20)
                                      : fmt::format("more than {} MiB (the most an import reads)",
                                                    total_limit_ >> 20));
        }
    } while (!eof_ && keep < want);
    buf_.resize(keep);
    view_ = std::string_view(buf_);
    return got;
}

} // namespace followup
