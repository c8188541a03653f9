#!/usr/bin/python3
"""Reads an iCalendar file on stdin with the `icalendar` package (Debian's python3-icalendar)
and prints one line per VEVENT/VTODO:

    KIND|UID|SUMMARY|START|CATEGORIES|END|LOCATION|TRANSP|ALARMS

KIND is VEVENT or VTODO, START is DTSTART (VEVENT) or DUE (VTODO) in UTC as
2026-11-21T23:59:59Z (a date alone as 2026-11-21), CATEGORIES the categories joined by ',',
END the DTEND, ALARMS the VALARM triggers in seconds relative to the start, joined by ','.
A missing value prints as "".
Exits 1 with a message on stderr when the text does not parse.

Run it with /usr/bin/python3: the python3 on PATH may lack Debian's packages.
"""
import datetime
import sys

try:
    import icalendar
except ImportError as e:  # pragma: no cover
    sys.exit(f"check_ics: cannot import icalendar ({e}); run with /usr/bin/python3")


def utc_text(value):
    """A date-time as UTC ISO 8601 with Z; a date as YYYY-MM-DD."""
    if value is None:
        return ""
    dt = value.dt
    if isinstance(dt, datetime.datetime):
        if dt.tzinfo is None:
            return dt.strftime("%Y-%m-%dT%H:%M:%S")
        return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.isoformat()


def categories(value):
    if value is None:
        return ""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        cats = getattr(item, "cats", None)
        if cats is None:  # older icalendar: a plain text value
            cats = str(item.to_ical().decode("utf-8")).split(",")
        names.extend(str(c) for c in cats)
    return ",".join(names)


def main():
    data = sys.stdin.buffer.read()
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # icalendar raises ValueError and others
        print(f"check_ics: cannot parse: {e}", file=sys.stderr)
        return 1
    if cal.name != "VCALENDAR":
        print(f"check_ics: expected VCALENDAR, got {cal.name}", file=sys.stderr)
        return 1
    for comp in cal.walk():
        if comp.name not in ("VEVENT", "VTODO"):
            continue
        errors = getattr(comp, "errors", None)
        if errors:
            print(f"check_ics: {comp.name}: {errors}", file=sys.stderr)
            return 1
        start = comp.get("DTSTART") if comp.name == "VEVENT" else comp.get("DUE")
        fields = [
            comp.name,
            str(comp.get("UID", "")),
            str(comp.get("SUMMARY", "")),
            utc_text(start),
            categories(comp.get("CATEGORIES")),
            utc_text(comp.get("DTEND")),
            str(comp.get("LOCATION", "")),
            str(comp.get("TRANSP", "")),
            ",".join(str(int(a["TRIGGER"].dt.total_seconds())) for a in comp.walk("VALARM")),
        ]
        print("|".join(fields))
    return 0


if __name__ == "__main__":
    sys.exit(main())
