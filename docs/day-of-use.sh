#!/usr/bin/env bash
# Replays the README's "day of use" against a fresh database at fixed times (libfaketime), so
# that its output can be regenerated after a change: docs/day-of-use.sh [path/to/followup]
set -euo pipefail
bin=${1:-$(dirname "$0")/../build/src/cli/followup}
# The default location (in a fresh XDG_DATA_HOME), as on a first day: made silently.
data=$(mktemp -d)
unset FOLLOWUP_DB
export TZ=America/New_York XDG_DATA_HOME=$data
at() { # at "LOCAL TIME" ARGS...: runs followup at that local time and prints the session
    local epoch
    epoch=$(date -d "$1" +%s)
    shift
    printf '$ followup'
    local a
    for a in "$@"; do
        if [[ "$a" =~ ^[A-Za-z0-9@._:/+,#=-]+$ ]]; then printf ' %s' "$a"; else printf ' "%s"' "$a"; fi
    done
    printf '\n'
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 FAKETIME_FMT=%s \
        FAKETIME="$epoch" FAKETIME_DONT_FAKE_MONOTONIC=1 "$bin" "$@" || true
    echo
}

echo "### Thursday evening, after the Chamber Mixer"
E="2026-11-19 21:40"
at "$E" add "Jane Doe" --company "Acme Corp" --email work:jane@acme.example --email jane.doe@home.example --phone "mobile:+1 212 555 0142" --profile linkedin:in/jane-doe --event "Chamber Mixer" --met 19:00 --tag prospect
at "$E" add "José Álvarez" --phone "mobile:+34 600 123 456" --via whatsapp --event "chamber mixer" --met 19:15 --note "Wants an intro to a printer"
at "$E" add "Sam Lee" --title "Printer, Lee & Sons" --via linkedin:https://www.linkedin.com/in/samlee --event "Chamber Mixer" --met 20:00

echo "### Friday morning"
M="2026-11-20 08:05"
at "$M" due
at "$M" done 1 --note "Thank-you email, sent the case study"
at "$M" done 4 --via whatsapp
at "$M" snooze 7 --until "mon 9am"
at "$M" todo jose "Send José the printer's details" --by fri
at "$M" due --within 7d
at "$M" show jose
at "$M" due --kind connect --within 7d --format csv

echo "### A referral comes in, and the loop is closed"
at "$M" referral receive --from jane --prospect "Bob Stone" --note "Needs 5,000 flyers by December"
at "2026-11-20 15:30" referral update 1 --status met --note "Quote sent"
at "2026-11-20 15:35" due --within 1d
at "2026-11-24 10:00" referral update 1 --status won --amount 1850
at "2026-11-24 10:00" referrals

echo "### A week later"
W="2026-11-28 08:00"
at "$W" due --fail-if-overdue
at "$W" contacts
at "$W" events

echo "### Closing the loops: a thank-you, a promise owed to you, a round of hellos, an undo"
at "$W" done 13 --note "Thanked Jane: the flyers went out"
at "$W" promise sam "an intro to his paper supplier" --by "mon 5pm" --theirs
at "2026-12-02 09:00" chase 14 --note "Any news on the supplier?"
at "2026-12-02 09:00" log --tag prospect jose --campaign "december hello" --note "Wishing you a good December"
at "2026-12-03 11:00" log jose --in --via whatsapp --note "Thanks, coffee next week?"
at "2026-12-03 11:00" campaigns "december hello"
at "2026-12-03 11:00" show sam
at "2026-12-03 11:05" done 10 2 5 8
at "2026-12-03 11:06" undo
at "2026-12-03 11:06" done 10
at "2026-12-03 11:06" dua

echo "### Every way to reach a person"
at "2026-12-03 11:10" edit jane --address "work:Acme Corp, 1 Main Street, Springfield" --profile "x:janedoe"
at "2026-12-03 11:10" show jane

echo "### A one-to-one, booked and held"
at "2026-12-03 11:15" book jose "tue 12:30" --where "Café Central, 5th Ave" --for 45min --note "Bring the printer's samples"
at "2026-12-07 08:00" agenda --within 2d
at "2026-12-08 13:40" done 15 --note "Good lunch; he wants two intros"
at "2026-12-08 13:40" events
rm -rf "$data"
