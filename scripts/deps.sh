#!/usr/bin/env bash
# Installs the Debian packages followup needs to build (with --package, to build the .deb; with
# --test, to run its tests, the package stage included).
# Safe to re-run: it installs only what is missing.
set -euo pipefail

packages=(g++ cmake make pkg-config tzdata libsqlite3-dev libsqlitecpp-dev libcli11-dev libfmt-dev
          libhowardhinnant-date-dev nlohmann-json3-dev libtomlplusplus-dev libical-dev libpq-dev libutf8proc-dev
          scdoc)
if [[ "${1:-}" == "--package" || "${1:-}" == "--test" || "${1:-}" == "--test-sqlite" ]]; then
    packages+=(dpkg-dev file)
fi
if [[ "${1:-}" == "--test" || "${1:-}" == "--test-sqlite" ]]; then
    packages+=(libgtest-dev libgmock-dev faketime python3 python3-icalendar python3-vobject calcurse
               clang-14 libclang-rt-14-dev libfuzzer-14-dev groff-base man-db zsh fish
               radicale vdirsyncer)
fi
if [[ "${1:-}" == "--test" ]]; then
    # A throwaway PostgreSQL cluster for the suite's second run (scripts/pg-cluster.sh).
    packages+=(postgresql postgresql-client)
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "followup: need root or sudo to install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
