#!/usr/bin/env bash
# Runs the same commands with two followup binaries, at one fixed time and zone, against copies
# of the same databases, and diffs everything they print (stdout, stderr, exit code) and what
# they leave (export all). For changes that must not change behaviour (issue 30's layout move):
#   bench/compare-output.sh OLD_BIN NEW_BIN BENCH_DB_DIR
# BENCH_DB_DIR: a folder of followup_bench --keep (big.db, recent.db, empty.db). Also replays
# docs/day-of-use.sh with both binaries. Exits 1 on any difference.
set -euo pipefail
old=$1 new=$2 dbs=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=Europe/Berlin NO_COLOR=1
faketime=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
at=$(date -d "2026-12-07 09:30 UTC" +%s)

commands=(
  "due" "due --format json" "due --count" "due --within 7d" "due --kind connect --format csv"
  "contacts --limit 40" "contacts --stale --limit 20" "contacts --format json --limit 30"
  "stats" "stats --format json" "events" "referrals" "referrals --format json" "agenda"
  "campaigns" "show 1" "show 777" "duplicates" "todo 3 'Send the deck' --by fri"
  "done 5 --note 'sent'" "snooze 9 --for 2d" "skip 12" "log 4 --via email --out 'hello'"
  "add 'Ada Lovelace' --email ada@example.org --event 'Compare Night'" "undo" "edit 8 --company X"
  "archive 10" "referral receive --from 2 --prospect 'Nina Test'" "chase 14"
  "export contacts --format csv" "export followups --format ics" "export all"
  "doctor" "show nobody" "due --bogus" "snooze 1 --until someday"
)
# Random UUIDs (a new one each run) and the database's page count (which moves with where
# those UUIDs fall in their index) are the only things two runs of one binary may differ in.
mask() {
  sed -E -e 's/"exported": "[^"]*"/"exported": X/' \
         -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
         -e 's/^(ok +size +).*/\1SIZE/'
}
status=0
for db in big.db recent.db empty.db; do
  for bin in old new; do
    mkdir -p "$work/$bin"
    cp "$dbs/$db" "$work/$bin/$db"
    : > "$work/$bin/$db.out"
  done
  for c in "${commands[@]}"; do
    for bin in old new; do
      b=${!bin}
      {
        echo "### $c"
        eval "LD_PRELOAD=$faketime FAKETIME_FMT=%s FAKETIME=$at FAKETIME_DONT_FAKE_MONOTONIC=1 \
              FOLLOWUP_DB=$work/$bin/$db XDG_CONFIG_HOME=$work/$bin/cfg \"$b\" $c" 2>&1 \
          | sed -e "s#$work/$bin#WORK#g" | mask || true
        echo "exit ${PIPESTATUS[0]}"
      } >> "$work/$bin/$db.out"
    done
  done
  if diff -u "$work/old/$db.out" "$work/new/$db.out" > "$work/$db.diff"; then
    echo "same: $db, ${#commands[@]} commands, $(wc -c < "$work/new/$db.out") bytes of output"
  else
    echo "DIFFERENT: $db"; head -40 "$work/$db.diff"; status=1
  fi
done
here=$(dirname "$0")
if diff -u <("$here/../docs/day-of-use.sh" "$old" 2>&1 | sed -E 's#/tmp/tmp\.[A-Za-z0-9]+#TMP#g' | mask) \
           <("$here/../docs/day-of-use.sh" "$new" 2>&1 | sed -E 's#/tmp/tmp\.[A-Za-z0-9]+#TMP#g' | mask) \
           > "$work/day.diff"; then
  echo "same: docs/day-of-use.sh"
else
  echo "DIFFERENT: docs/day-of-use.sh"; head -40 "$work/day.diff"; status=1
fi
exit $status
