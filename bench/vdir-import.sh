#!/bin/bash
# Times `followup import --vdir` of N new cards (issue 34 item 16: it was quadratic).
# Usage: bench/vdir-import.sh FOLLOWUP-BINARY N...   (each N in a fresh database and folder)
set -eu
# bash for `time` with TIMEFORMAT
bin=$(realpath "$1"); shift
for n in "$@"; do
    dir=$(mktemp -d)
    mkdir "$dir/cards"
    i=0
    while [ "$i" -lt "$n" ]; do
        printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d Benchmark\r\nN:Benchmark;Person %d;;;\r\nEMAIL;TYPE=INTERNET:p%d@bench.example\r\nTEL;TYPE=CELL:+1 555 %07d\r\nORG:Company %d\r\nUID:bench-card-%d\r\nEND:VCARD\r\n' \
            "$i" "$i" "$i" "$i" "$((i % 97))" "$i" > "$dir/cards/card-$i.vcf"
        i=$((i + 1))
    done
    # real time, and CPU time (user + system: what a loaded machine does not inflate)
    TIMEFORMAT="%R s real, %U s user, %S s system"
    t=$( { time FOLLOWUP_DB="$dir/db.sqlite" HOME="$dir" "$bin" import --vdir "$dir/cards" \
              > "$dir/out"; } 2>&1 )
    printf '%6d cards: %s   (%s)\n' "$n" "$t" "$(head -1 "$dir/out")"
    rm -rf "$dir"
done
