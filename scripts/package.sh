#!/usr/bin/env bash
# Builds the Debian package with CPack from a Release build (build-release/, the directory
# scripts/install.sh uses) and prints its path: build-release/followup_<version>_<arch>.deb.
# Safe to re-run; reuses the build.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh --package >&2
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DFOLLOWUP_TESTS=OFF -DFOLLOWUP_BENCH=OFF \
    -DFOLLOWUP_WERROR=OFF -DFOLLOWUP_ZSH_COMPLETION_DIR=share/zsh/vendor-completions >/dev/null
cmake --build build-release -j"$(nproc)" >&2
rm -f build-release/followup_*.deb
(cd build-release && cpack -G DEB >/dev/null)
ls build-release/followup_*.deb
