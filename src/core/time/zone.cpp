#include <algorithm>
#include <followup/time/zone.hpp>
#include <stdexcept>

namespace followup {
namespace {

/// Reads big-endian integers from the bytes of a TZif file, refusing to run past their end.
class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}

    std::string_view take(std::size_t n) {
        if (n > bytes_.size() - pos_) throw std::runtime_error("truncated TZif data");
        std::string_view out = bytes_.substr(pos_, n);
        pos_ += n;
        return out;
    }
    void skip(std::size_t n) { take(n); }
    std::uint64_t be(std::size_t n) {
        std::uint64_t v = 0;
        for (unsigned char c : take(n))
            v = (v << 8) | c;
        return v;
    }
    std::int32_t i32() { return static_cast<std::int32_t>(static_cast<std::uint32_t>(be(4))); }
    std::int64_t i64() { return static_cast<std::int64_t>(be(8)); }

private:
    std::string_view bytes_;
    std::size_t pos_{};
};

struct Header {
    char version{};
    std::size_t isutcnt{}, isstdcnt{}, leapcnt{}, timecnt{}, typecnt{}, charcnt{};
};

Header read_header(Reader& r) {
    if (r.take(4) != "TZif") throw std::runtime_error("not a TZif file");
    Header h;
    h.version = r.take(1)[0];
    r.skip(15);
    auto count = [&r] {
        std::int32_t n = r.i32();
        if (n < 0 || n > (1 << 20)) throw std::runtime_error("bad count in TZif header");
        return static_cast<std::size_t>(n);
    };
    h.isutcnt = count();
    h.isstdcnt = count();
    h.leapcnt = count();
    h.timecnt = count();
    h.typecnt = count();
    h.charcnt = count();
    if (h.typecnt == 0) throw std::runtime_error("TZif file without local time types");
    return h;
}

} // namespace

Zone::Zone(std::string name, std::chrono::seconds offset)
    : name_(std::move(name)), offset_{static_cast<std::int32_t>(offset.count())} {}

std::unique_ptr<Zone> Zone::from_tzif(std::string name, std::string_view bytes) {
    Reader r(bytes);
    Header h = read_header(r);
    std::size_t time_size = 4;
    if (h.version >= '2') {
        // Skip the 32-bit data of version 1 to the second header and its 64-bit data.
        r.skip(h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt);
        h = read_header(r);
        time_size = 8;
    }
    if (h.leapcnt > 0) throw std::runtime_error("TZif file with leap seconds");
    std::vector<std::int64_t> at(h.timecnt);
    for (auto& t : at)
        t = time_size == 8 ? r.i64() : r.i32();
    std::vector<std::uint8_t> type(h.timecnt);
    for (auto& i : type) {
        i = static_cast<std::uint8_t>(r.be(1));
        if (i >= h.typecnt) throw std::runtime_error("bad local time type in TZif file");
    }
    std::vector<std::int32_t> utoff(h.typecnt);
    std::vector<bool> isdst(h.typecnt);
    for (std::size_t i = 0; i < h.typecnt; ++i) {
        utoff[i] = r.i32();
        isdst[i] = r.be(1) != 0;
        r.skip(1); // the abbreviation's index: followup never shows abbreviations
    }
    r.skip(h.charcnt + h.isstdcnt + h.isutcnt);
    if (!std::is_sorted(at.begin(), at.end())) throw std::runtime_error("unsorted TZif file");

    auto zone = std::unique_ptr<Zone>(new Zone());
    zone->name_ = std::move(name);
    // Before the first transition: the first standard-time type, as date/tz does (RFC 8536
    // would say type 0; the two agree for the files of the zone database).
    std::size_t before = 0;
    while (before < h.typecnt && isdst[before])
        ++before;
    if (before == h.typecnt) before = 0;
    zone->offset_.reserve(h.timecnt + 1);
    zone->offset_.push_back(utoff[before]);
    for (std::size_t k = 0; k < h.timecnt; ++k)
        zone->offset_.push_back(utoff[type[k]]);
    zone->at_ = std::move(at);
    return zone;
}

std::size_t Zone::period_of(std::int64_t t) const {
    return static_cast<std::size_t>(std::upper_bound(at_.begin(), at_.end(), t) - at_.begin());
}

std::chrono::seconds Zone::offset(date::sys_seconds t) const {
    return std::chrono::seconds{offset_[period_of(t.time_since_epoch().count())]};
}

date::local_seconds Zone::to_local(date::sys_seconds t) const {
    return date::local_seconds{t.time_since_epoch() + offset(t)};
}

date::sys_seconds Zone::to_sys(date::local_seconds local) const {
    const std::int64_t l = local.time_since_epoch().count();
    // Offsets stay within a day of UTC: the periods that can hold the instant lie between
    // those holding l - 1 day and l + 1 day. Period k runs from at_[k - 1] to at_[k].
    constexpr std::int64_t day = 86400;
    const std::size_t first = period_of(l - day);
    const std::size_t last = period_of(l + day);
    for (std::size_t k = first; k <= last; ++k) {
        const std::int64_t s = l - offset_[k];
        const bool after_start = k == 0 || s >= at_[k - 1];
        const bool before_end = k == at_.size() || s < at_[k];
        if (after_start && before_end) return date::sys_seconds{std::chrono::seconds{s}};
        // Past this period's end but before the next one's start: the clock skipped l.
        if (after_start && !before_end && l - offset_[k + 1] < at_[k])
            return date::sys_seconds{std::chrono::seconds{at_[k]}};
    }
    // Not reached for offsets under a day; keep the earliest offset's reading.
    return date::sys_seconds{std::chrono::seconds{l - offset_[first]}};
}

} // namespace followup
