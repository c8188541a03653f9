#!/usr/bin/env bash
# Installs the build and test dependencies, then builds and runs every test twice: in a Release
# build with warnings as errors, and in a build with AddressSanitizer and UBSan; runs the
# end-to-end suite a second time against a throwaway PostgreSQL server (scripts/pg-cluster.sh:
# a cluster in a temporary folder, on a Unix socket only, stopped however the run ends); then
# fuzzes the parsers for 15 seconds each (scripts/fuzz.sh, clang-14 and libFuzzer). Safe to
# re-run. `scripts/test.sh --sqlite-only` leaves PostgreSQL out (nothing is installed for it).
set -euo pipefail
cd "$(dirname "$0")/.."

postgres=1
if [[ "${1:-}" == "--sqlite-only" ]]; then postgres=0; fi
if [[ $postgres -eq 1 ]]; then scripts/deps.sh --test; else scripts/deps.sh --test-sqlite; fi
jobs=$(nproc)

echo "== build (Release, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DFOLLOWUP_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ $postgres -eq 1 ]]; then
    echo "== end-to-end tests against PostgreSQL (a throwaway cluster)"
    pg_dir=$(mktemp -d /tmp/followup-pg-XXXXXX)
    trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
    pg_location=$(scripts/pg-cluster.sh start "$pg_dir")
    FOLLOWUP_TEST_PG="$pg_location" ctest --test-dir build --output-on-failure -j"$jobs" -L cli \
        -E ChapterAttacks
    echo "== the PostgreSQL driver's own tests (unit tests that need a server)"
    FOLLOWUP_TEST_PG="$pg_location" ctest --test-dir build --output-on-failure -R '^PgDriver\.'
    echo "== the chapter's attack suite (as members, through psql)"
    FOLLOWUP_TEST_PG="$pg_location" ctest --test-dir build --output-on-failure -V -R ChapterAttacks
    scripts/pg-cluster.sh stop "$pg_dir"
    trap - EXIT
fi

echo "== build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFOLLOWUP_SANITIZE=ON -DFOLLOWUP_BENCH=OFF \
    -DFOLLOWUP_WERROR=ON \
    >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== fuzzing (libFuzzer, 15 s per target)"
./scripts/fuzz.sh 15

# Last stage: the Debian package, built by CPack from a Release build in build-release/ (one
# more compile), then installed, checked and removed for real (scripts/test-package.sh; it needs
# root or sudo for dpkg -i, and skips itself without them).
echo "== Debian package (Release build, cpack, dpkg -i, checks, dpkg -r)"
package_start=$SECONDS
deb=$(scripts/package.sh)
scripts/test-package.sh "$deb"
echo "== Debian package: $((SECONDS - package_start)) s"
