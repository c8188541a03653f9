#pragma once
// iCalendar (RFC 5545) export of follow-ups, written with libical (opened on first use: see
// ical.cpp).

#include <followup/domain/model.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// How follow-ups become calendar components.
struct IcsOptions {
    bool todo{};   ///< VTODO with DUE and STATUS instead of a timed VEVENT
    Instant stamp; ///< DTSTAMP of every component (the time of the export)
    /// The user's zone: a deadline at 23:59:59 local (given as a date alone) is an all-day
    /// event. Without one, every deadline is timed.
    const Zone* zone{};
    std::chrono::seconds alarm{3600}; ///< a meeting's VALARM fires this long before it
    /// METHOD:PUBLISH, for a calendar file to publish; a calendar object of a vdir or a CalDAV
    /// server must have none (RFC 4791), so export --vdir turns it off.
    bool method = true;
};

/// A VCALENDAR (VERSION 2.0, PRODID "-//followup//followup 0.1//EN", CALSCALE GREGORIAN,
/// METHOD PUBLISH) with one component per follow-up, in the order given, written by libical
/// (CR LF line ends, folded at 75 octets without splitting a UTF-8 character):
///
/// - UID "<uuid>@followup", the same across exports; DTSTAMP `options.stamp`;
/// - SUMMARY the title, with " (NAME)" appended when the title does not name the contact;
/// - DESCRIPTION lines "Contact: NAME", "Channel: LABEL HANDLE", "Link: LINK", "Kind: KIND" and
///   the note; URL the link when it is a web (http/https) link;
/// - CATEGORIES "followup,KIND";
/// - a VEVENT: DTSTART the deadline in UTC, DURATION PT15M, TRANSP TRANSPARENT, STATUS
///   CONFIRMED (CANCELLED for a skipped follow-up); a deadline that was a date alone is an
///   all-day event (DTSTART;VALUE=DATE, DTEND the next day);
/// - a meeting's VEVENT: DTSTART its start, DTEND its end, LOCATION its place, TRANSP OPAQUE
///   (busy), and a VALARM (DISPLAY) `options.alarm` before it;
/// - a VTODO (`options.todo`): DUE the deadline in UTC, STATUS NEEDS-ACTION (open), COMPLETED
///   with a COMPLETED time (done) or CANCELLED (skipped).
///
/// An empty list gives a calendar without components. Which follow-ups to export is the
/// caller's choice.
std::string write_ics(const std::vector<Followup>& followups, const IcsOptions& options);

/// A to-do as another calendar left it: what `import --vdir` reads back.
struct TodoState {
    std::string uid;    ///< as written ("<uuid>@followup" for followup's own)
    std::string status; ///< "NEEDS-ACTION", "IN-PROCESS", "COMPLETED", "CANCELLED", ""
    std::optional<Instant> completed; ///< COMPLETED (UTC; a floating time read in `zone`)
};

/// Reads every VTODO of a calendar with libical (VEVENTs and others are left out). A floating
/// COMPLETED time (no Z, no TZID) is read in `zone` (UTC when null); one with a TZID whose
/// VTIMEZONE is in the file is read in that zone. Throws Error "cannot read the calendar" when
/// libical cannot parse it at all.
std::vector<TodoState> read_todos(std::string_view text, const Zone* zone);

} // namespace followup
