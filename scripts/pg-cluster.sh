#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `pg-cluster.sh start DIR` runs initdb in DIR
# (as the unprivileged user postgres when run as root), starts a server that listens only on a
# Unix socket in DIR, and prints the libpq location of its database `followup_test`;
# `pg-cluster.sh stop DIR` stops it and removes DIR. Nothing listens on the network.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bindir/initdb" ]] || { echo "followup: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
cmd=${1:?start or stop}
dir=${2:?a folder}
as=()
if [[ $(id -u) -eq 0 ]]; then as=(runuser -u postgres --); fi

case "$cmd" in
start)
    mkdir -p "$dir"
    [[ ${#as[@]} -eq 0 ]] || chown postgres "$dir"
    chmod 0700 "$dir"
    "${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start \
        || { cat "$dir/server.log" >&2; exit 1; }
    "${as[@]}" "$bindir/createdb" -h "$dir" -U postgres followup_test
    echo "host=$dir user=postgres dbname=followup_test"
    ;;
stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -s stop || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
