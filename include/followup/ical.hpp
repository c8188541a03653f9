#pragma once
// iCalendar (RFC 5545) export of follow-ups, written with libical.

#include <followup/model.hpp>
#include <string>
#include <vector>

namespace followup {

/// How follow-ups become calendar components.
struct IcsOptions {
    bool todo{};  ///< VTODO with DUE and STATUS instead of a timed VEVENT
    Instant stamp; ///< DTSTAMP of every component (the time of the export)
};

/// A VCALENDAR with one component per follow-up: a VEVENT at its deadline (or a VTODO due
/// then) whose UID stays the same across exports, SUMMARY the title, DESCRIPTION the contact's
/// channel and link, CATEGORIES the kind.
std::string write_ics(const std::vector<Followup>& followups, const IcsOptions& options);

} // namespace followup
