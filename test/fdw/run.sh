#!/usr/bin/env bash
# test/fdw/run.sh -- sourcemap across machines: two throwaway PostgreSQL
# clusters on loopback, a coordinator and shard2.  Maps and frames are
# partitioned by project, one partition local and one a postgres_fdw foreign
# table on shard2 (CREATE SERVER ... OPTIONS (extensions 'sourcemap')).
# test/fdw/fdw.sql shows with EXPLAIN VERBOSE what runs on shard2 and checks
# every answer against plain local tables with the same data; its output must
# equal test/fdw/expected.out (the EXPLAIN plans included).
# Needs the extension installed (make install, or the Debian package) and
# the PostgreSQL server (postgres_fdw is part of it); run as root or as the
# postgres user.  Prints "fdw: N passed, M failed".
#   bash test/fdw/run.sh            (PGV=15 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
PGV=${PGV:-15}
BIN=/usr/lib/postgresql/$PGV/bin

work=$(mktemp -d)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"

# Two free ports on 127.0.0.1.
free_port() {
	local p
	for p in $(seq "$1" $(($1 + 200))); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ ! -e "$work/.s.PGSQL.$p" ]; then
			echo "$p"
			return
		fi
	done
	return 1
}
coord_port=$(free_port 25432)
shard_port=$(free_port $((coord_port + 1)))
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

stop() {
	for c in coordinator shard2; do
		[ -f "$work/$c/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$work/$c" -m immediate -w stop >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap stop EXIT

# Local connections by socket need no password; TCP on 127.0.0.1 needs one.
# (-t 600: pg_ctl's wait is a hang detector, not a speed check; its default
# of 60 s can pass on a loaded machine)
for c in coordinator:$coord_port shard2:$shard_port; do
	name=${c%%:*} port=${c##*:}
	as_pg "$BIN/initdb" -D "$work/$name" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
		--no-instructions >/dev/null
	as_pg "$BIN/pg_ctl" -D "$work/$name" -l "$work/$name.log" -w -t 600 \
		-o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
	echo "$name: 127.0.0.1:$port"
done

psql_coord() { psql -X -h "$work" -p "$coord_port" -U postgres "$@"; }
psql -X -q -h "$work" -p "$shard_port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
	-v password="$password" -f test/fdw/shard.sql
psql_coord -q -d postgres -c "CREATE DATABASE artifacts"

mkdir -p test/fdw/results
out=test/fdw/results/fdw.out
status=0
psql_coord -d artifacts -a -q -v shard_port="$shard_port" -v password="$password" \
	-v shard="host=127.0.0.1 port=$shard_port dbname=artifacts user=symbolicator password=$password" \
	-v coordinator="host=$work port=$coord_port dbname=artifacts user=postgres" \
	-f test/fdw/fdw.sql > "$out" 2>&1 || status=$?

passed=$(grep -cE '\| ok$' "$out" || true)
failed=$(grep -cE '\| FAIL' "$out" || true)
if [ "$status" -ne 0 ]; then
	echo "not ok - test/fdw/fdw.sql stopped with status $status:"
	tail -n 20 "$out"
	failed=$((failed + 1))
fi
if diff -u test/fdw/expected.out "$out" > test/fdw/results/fdw.diff; then
	echo "ok - output equals test/fdw/expected.out (EXPLAIN plans and answers)"
	passed=$((passed + 1))
else
	echo "not ok - output differs from test/fdw/expected.out:"
	head -n 80 test/fdw/results/fdw.diff
	failed=$((failed + 1))
fi
grep -E '\| (ok|FAIL)' "$out" | sed 's/^/  /'
echo "fdw: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
