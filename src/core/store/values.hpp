#pragma once
// How the store writes followup's values into columns and reads them back: instants as whole
// seconds since the epoch, optional values as NULL. Only the files of src/core/store see it.

#include "sql.hpp"

#include <chrono>
#include <cstdint>
#include <followup/domain/model.hpp>
#include <followup/time/dates.hpp>
#include <optional>

namespace followup::sql {

inline std::int64_t secs(Instant t) {
    return t.time_since_epoch().count();
}
inline Instant instant(std::int64_t s) {
    return Instant{std::chrono::seconds{s}};
}

inline std::optional<Instant> opt_instant(const Column& c) {
    if (c.isNull()) return std::nullopt;
    return instant(c.getInt64());
}
inline std::optional<Id> opt_id(const Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}
inline std::optional<double> opt_double(const Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getDouble();
}

/// Binds the value, or NULL when there is none.
template <class T> void bind_opt(Statement& q, int i, const std::optional<T>& v) {
    if (v)
        q.bind(i, static_cast<std::int64_t>(*v));
    else
        q.bind(i);
}
inline void bind_opt(Statement& q, int i, const std::optional<Instant>& v) {
    if (v)
        q.bind(i, secs(*v));
    else
        q.bind(i);
}
inline void bind_opt(Statement& q, int i, const std::optional<double>& v) {
    if (v)
        q.bind(i, *v);
    else
        q.bind(i);
}

} // namespace followup::sql
