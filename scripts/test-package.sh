#!/usr/bin/env bash
# Installs a followup .deb (dpkg -i, then apt-get install -f for what it depends on), checks it
# as a user would meet it, and removes it (dpkg -r), checking that nothing is left behind.
# The last stage of scripts/test.sh: scripts/test-package.sh build-release/followup_*.deb
set -euo pipefail
deb=$(realpath "$1")

if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "followup: need root or sudo to install $deb; package stage skipped" >&2
    exit 0
fi
fail() {
    echo "package check failed: $*" >&2
    # A failed check does not leave the package installed for the next run.
    "${sudo[@]}" dpkg -r followup >/dev/null 2>&1 || true
    exit 1
}
export DEBIAN_FRONTEND=noninteractive
# dpkg, waiting (up to 5 minutes) while another dpkg or apt holds the lock.
dpkg_wait() {
    local try out
    for try in $(seq 30); do
        if out=$("${sudo[@]}" dpkg "$@" 2>&1); then return 0; fi
        grep -q 'lock' <<<"$out" || { echo "$out" >&2; return 1; }
        sleep 10
    done
    echo "$out" >&2
    return 1
}

echo "-- $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends
# A clean state: no followup package left by an earlier run.
if dpkg-query -W -f='${Status}' followup 2>/dev/null | grep -q 'ok installed'; then
    dpkg_wait -r followup
fi
dpkg_wait -i "$deb" ||
    "${sudo[@]}" apt-get install -f -y -qq -o DPkg::Lock::Timeout=300 >/dev/null
[[ $(dpkg-query -W -f='${Status}' followup) == "install ok installed" ]] || fail "not installed"
files=$(dpkg -L followup)

version=$(/usr/bin/followup --version)
echo "-- $version"
[[ $version =~ ^followup\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version printed '$version'"
# man finds the packaged page (a followup installed under /usr/local by scripts/install.sh may
# come first in man's search order, so every page man finds is listed).
pages=$(man -aw followup)
grep -qx /usr/share/man/man1/followup.1.gz <<<"$pages" ||
    fail "man -aw followup gave '$(tr '\n' ' ' <<<"$pages")'"
for f in /usr/share/doc/followup/copyright /usr/share/doc/followup/changelog.gz \
    /usr/share/bash-completion/completions/followup /usr/share/zsh/vendor-completions/_followup \
    /usr/share/fish/vendor_completions.d/followup.fish; do
    grep -qx "$f" <<<"$files" || fail "$f is not in the package"
done

# Tab after "followup show jo", with the installed completion and binary, on a real database.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 FOLLOWUP_DB="$work/f.db" \
    followup add "José Álvarez" --plan none >/dev/null
reply=$(env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 FOLLOWUP_DB="$work/f.db" \
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/completions/followup
        COMP_WORDS=(followup show jo) COMP_CWORD=2 COMP_LINE="followup show jo" COMP_POINT=16
        _followup
        printf "%s\n" "${COMPREPLY[@]}"')
[[ $reply == 'José\ Álvarez' ]] || fail "completion of 'followup show jo' gave '$reply'"
echo "-- followup show jo<Tab> -> followup show $reply"

dpkg_wait -r followup
[[ $(dpkg-query -W -f='${Status}' followup 2>/dev/null) != *"ok installed" ]] ||
    fail "still installed after dpkg -r"
left=()
while IFS= read -r f; do
    [[ -e $f && ! -d $f ]] && left+=("$f")
done <<<"$files"
[[ ${#left[@]} -eq 0 ]] || fail "left behind by dpkg -r: ${left[*]}"
echo "-- removed cleanly ($(wc -l <<<"$files") paths)"
