#!/usr/bin/env bash
# Installs the build dependencies, builds followup in Release mode and installs it with its man
# page and its bash, zsh and fish completions: under /usr/local as root, else under ~/.local.
# Safe to re-run. (scripts/package.sh builds a Debian package instead.)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DFOLLOWUP_TESTS=OFF -DFOLLOWUP_BENCH=OFF \
    -DFOLLOWUP_WERROR=OFF -DFOLLOWUP_ZSH_COMPLETION_DIR=share/zsh/site-functions >/dev/null
cmake --build build-release -j"$(nproc)"

if [[ $(id -u) -eq 0 ]]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
cmake --install build-release --prefix "$prefix" >/dev/null
echo "Installed $prefix/bin/followup"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "Add $prefix/bin to your PATH, or run $prefix/bin/followup" ;;
esac
"$prefix/bin/followup" --version
