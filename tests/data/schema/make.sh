#!/bin/sh
# Regenerates v1.db ... v5.db: databases written by the followup of the last commit of each
# schema version, for tests/cli/test_upgrade.cpp. Usage (from anywhere):
#
#   tests/data/schema/make.sh [WORKDIR [VERSION...]]
#
# With versions (v4 v5), only those files are made.
# Each commit is exported with `git archive` into WORKDIR (default /tmp/followup-schema), built
# (followup only) and run under libfaketime at fixed times, in America/New_York, with no config
# file. UUIDs are random, so the files differ from run to run; the data do not.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
work=${1:-/tmp/followup-schema}
faketime_lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

# The last commit of each schema version (git log -p -- src/core/store/schema.hpp, since issue 30 src/core/store/sqlite/schema.hpp).
commit_v1=725ca854734d71d079f60e46df8a3020e2ccdd7b # before 31d85e6 made version 2
commit_v2=31d85e6                                   # before e14b89b made version 3
commit_v3=de98ed1                                   # version 3 (unchanged since e14b89b)
commit_v4=9febdd6                                   # version 4, before reach made version 5
commit_v5=e715e68                                   # version 5, before covering indexes made 6

build() { # VERSION COMMIT -> path of the binary
    dir=$work/$1
    if [ ! -x "$dir/build/src/cli/followup" ]; then
        rm -rf "$dir" && mkdir -p "$dir/src"
        git -C "$repo" archive "$2" | tar -x -C "$dir/src"
        cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release -DFOLLOWUP_TESTS=OFF \
            -DFOLLOWUP_BENCH=OFF >/dev/null
        make -C "$dir/build" -j2 followup >"$dir/build.log" 2>&1
    fi
    echo "$dir/build/src/cli/followup"
}

# at UTC-TIME ARGS...: runs followup frozen at that time.
at() {
    t=$(date -u -d "$1" +%s)
    shift
    env -i PATH=/usr/bin:/bin HOME="$home" TZ=America/New_York LD_PRELOAD="$faketime_lib" \
        FAKETIME_FMT=%s FAKETIME="$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$bin" --db "$db" "$@" >/dev/null
}

make_db() { # VERSION
    v=$1
    eval "bin=\$(build $v \$commit_$v)"
    home=$(mktemp -d)
    db=$home/followup.db
    n=${v#v}

    # Every version: contacts met at an event, with tags, notes, channels; follow-ups done,
    # snoozed, skipped; a todo, a promise made and one waited for; touches either way; an
    # archived contact.
    at 2026-03-03T15:00:00Z event add "Chamber Mixer" --on 2026-03-02 --where "Town Hall"
    at 2026-03-03T15:00:00Z add "Ana Souza" --company Acme --title CTO \
        --email ana@acme.example --via linkedin:ana-souza --event "Chamber Mixer" \
        --met "2026-03-02 19:00" --tag vip --tag tech --note 'Wants a lawyer; "urgent"'
    at 2026-03-03T15:00:00Z add "Bob Chen" --company Globex --phone "+1 555 0100" --via phone \
        --event "Chamber Mixer" --met "2026-03-02 19:00" --tag tech
    at 2026-03-03T15:00:00Z add "José Álvarez" --via email:jose@example.com --plan none \
        --tag spanish
    at 2026-03-03T15:00:00Z add "Dana Old" --met 2026-03-01
    at 2026-03-03T16:00:00Z done 1 --note "Sent a thank-you note"
    at 2026-03-03T16:00:00Z snooze 4 --for 2d
    at 2026-03-03T16:00:00Z skip 6 --reason "Not on LinkedIn"
    at 2026-03-03T16:00:00Z todo "José" "Send the slides" --by 2026-03-10
    at 2026-03-03T16:00:00Z promise "Ana Souza" "Intro to Sam the lawyer" --by 2026-03-06
    at 2026-03-03T16:00:00Z promise Bob "Send the pricing" --by 2026-03-09 --theirs
    at 2026-03-03T17:00:00Z log "José" --via email --in --note "Asked about the slides"
    at 2026-03-03T17:00:00Z log Bob --via phone --at "2026-03-03 09:00" --note "Quick call"
    at 2026-03-03T17:00:00Z archive Dana
    at 2026-03-04T14:00:00Z done 11 --note "Introduced Ana to Sam"

    if [ "$n" -ge 2 ]; then # keep in touch
        at 2026-03-04T14:00:00Z add "Eve Keeper" --plan none --every 30d
        at 2026-03-05T14:00:00Z log Eve --note Coffee
    fi
    if [ "$n" -ge 3 ]; then # referrals with a status history, a birthday, an introducer
        at 2026-03-05T14:00:00Z add "Fay Giver" --plan none --birthday 07-14 \
            --referred-by "Ana Souza"
        at 2026-03-05T15:00:00Z referral receive --from Fay --prospect "Gus Prospect" \
            --note "Needs a website"
        at 2026-03-06T15:00:00Z referral update 1 --status contacted
        at 2026-03-08T15:00:00Z referral update 1 --status won --amount 1200 --note "Signed"
        at 2026-03-08T16:00:00Z referral give --to "Ana Souza" --prospect Bob --note "Bob needs a CTO"
        at 2026-03-09T16:00:00Z referral update 2 --status declined
    fi

    if [ "$n" -ge 4 ]; then # channels with handles of every kind, a meeting, a chase, a campaign
        at 2026-03-09T17:00:00Z add "Hana Mobile" --plan none --phone "+44 7700 900123" \
            --via whatsapp
        at 2026-03-09T17:00:00Z add "Ivo Post" --plan none --via "post:14 Elm Road, Bristol"
        at 2026-03-09T17:00:00Z add "Jo Signal" --plan none --email jo@example.org \
            --via "signal:+1 555 0142"
        at 2026-03-09T17:00:00Z add "Kim Mail" --plan none --email kim@old.example \
            --via email:kim@new.example
        at 2026-03-10T15:00:00Z book "Ana Souza" "2026-03-20 12:00" --where "Café Nero" --for 90min
        at 2026-03-10T15:00:00Z chase 12 --note "Any news on the pricing?"
        at 2026-03-10T16:00:00Z log --tag tech --campaign spring --note "Spring newsletter"
    fi

    if [ "$n" -ge 5 ]; then # every way to reach a person: several of each, with labels
        at 2026-03-10T17:00:00Z add "Lia Many" --plan none --email work:lia@corp.example \
            --email home:lia@home.example --phone "office:+1 555 0198" \
            --phone "mobile:+1 555 0199" --address "home:2 Oak Street, Leeds" \
            --profile linkedin:lia-many --profile mastodon:@lia@social.example --via whatsapp
        at 2026-03-10T17:00:00Z add "Max Connect" --profile mastodon:@max@social.example \
            --met "2026-03-10 09:00"
    fi

    # One self-contained, compact file: no -wal, rollback journal, 1 KiB pages (followup's own
    # files have 4 KiB pages; restore converts, and nothing else depends on it).
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;
                   PRAGMA page_size=1024; VACUUM;" >/dev/null
    cp "$db" "$here/$v.db"
    rm -rf "$home"
    echo "$here/$v.db: $(stat -c %s "$here/$v.db") bytes, by $(git -C "$repo" rev-parse --short \
        "$(eval echo \$commit_$v)")"
}

if [ $# -gt 1 ]; then
    shift
    for v in "$@"; do make_db "$v"; done
else
    make_db v1
    make_db v2
    make_db v3
    make_db v4
    make_db v5
fi
