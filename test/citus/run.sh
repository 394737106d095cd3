#!/usr/bin/env bash
# test/citus/run.sh -- sourcemap on a real Citus cluster: a coordinator and
# two workers (later a third) on 127.0.0.1, started and stopped here.  Every
# SQL block of doc/citus.md runs verbatim and in order, over real maps
# (test/data/corpus, plus the maps under 1 MB of ../shared/oracle/corpus when
# present) and generated frames; between the blocks the test checks, against
# a single-node copy of the same data on the coordinator (schema single):
# router queries, the delegated function, the backlog on every shard, maps
# byte-identical on every node after text and binary COPY, a shard move, a
# node added and rebalanced, a worker crash in the middle of the backlog, and
# ALTER EXTENSION sourcemap UPDATE on every node.  It also measures the
# backlog on one node against two workers, and how many shards one event
# touches when distributing by project or by debug id (report only).
# Needs Citus installed for the server (test/citus/install.sh builds it from
# ../shared/citus); skips with a message when it is not.  Run as root or as
# the postgres user.  Prints "citus: N passed, M failed".
#   bash test/citus/run.sh     (PGV=15; CITUS_PROJECTS=160 CITUS_EVENTS=96)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
PGV=${PGV:-15}
BIN=/usr/lib/postgresql/$PGV/bin
projects=${CITUS_PROJECTS:-160}
events=${CITUS_EVENTS:-96}

if [ ! -f "$("$BIN/pg_config" --pkglibdir)/citus.so" ]; then
	echo "citus: skipped, Citus is not installed for PostgreSQL $PGV (bash test/citus/install.sh builds it from ../shared/citus)"
	exit 0
fi

work=$(mktemp -d)
source test/citus/cluster.sh
out=$root/test/citus/results
rm -rf "$out"
mkdir -p "$out"
log=$out/citus.log
cleanup() {
	cluster_stop_all
	[ -n "${holder:-}" ] && kill "$holder" 2>/dev/null
	cp "$work"/*.log "$out"/ 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
cluster_init

# The page's SQL blocks, in order, one file each.
awk -v dir="$work" '/^```sql$/ { n++; f = sprintf("%s/block%d.sql", dir, n); next }
	/^```$/ { f = "" } f { print > f }' doc/citus.md
blocks=$(ls "$work"/block*.sql | wc -l)
if [ "$blocks" -ne 5 ]; then
	echo "not ok - doc/citus.md has $blocks SQL blocks; this test runs 5 (schema, function, backlog, debug-id table, update)"
	echo "citus: 0 passed, 1 failed"
	exit 1
fi

# The maps: vendored, and the shared corpus's under 1 MB (not already vendored).
{
	(cd test/data && find corpus -name '*.map')
	if [ -f ../shared/oracle/corpus/MANIFEST.tsv ]; then
		awk -F'\t' 'NR > 1 && $4 < 1000000 { print "shared/" $1 }' ../shared/oracle/corpus/MANIFEST.tsv
	fi
} | LC_ALL=C sort | while read -r f; do
	case $f in
	shared/*) p=../shared/oracle/corpus/${f#shared/}; key=${f#shared/} ;;
	*) p=test/data/$f; key=${f#corpus/} ;;
	esac
	[ -f "test/data/corpus/$key" ] && [ "${f%%/*}" = shared ] && continue
	printf '%s\t' "$key"
	base64 -w0 "$p"
	echo
done > "$work/maps.tsv"
chmod 644 "$work/maps.tsv"
echo "maps: $(wc -l < "$work/maps.tsv") ($( [ -d ../shared/oracle/corpus ] && echo 'vendored and shared' || echo 'vendored only; ../shared/oracle/corpus absent'))"

for n in coordinator worker1 worker2; do
	node_create "$n" "$(free_port 27432)"
	echo "$n: 127.0.0.1:$(node_port $n)"
done

# phase TITLE ARGS...: psql on the coordinator; output to the log.  A phase
# that stops (an error) fails the test there.
phase() {
	local title=$1
	shift
	printf '\n==== %s (at %s s)\n' "$title" "$SECONDS" >> "$log"
	if ! psql_node coordinator -v ON_ERROR_STOP=1 -v work="$work" "$@" >> "$log" 2>&1; then
		echo "not ok - $title: stopped (see test/citus/results/citus.log):"
		tail -n 15 "$log" | sed 's/^/    /'
		report
		exit 1
	fi
}
# record NAME t|f DETAIL: a check made here, kept with the others.
record() {
	printf '%s\n' "SELECT t.check(:'name', :'ok'::boolean, :'detail');" |
		psql_node coordinator -q -At -v name="$1" -v ok="$2" -v detail="$3" >> "$log"
}
block() { phase "doc/citus.md block $1 (verbatim)" -f "$work/block$1.sql"; }
sql() { phase "$1" -c "$2"; }

report() {
	psql_node coordinator -At -F ' | ' -c "SELECT name, CASE WHEN ok THEN 'ok' ELSE 'FAIL' END, detail FROM t.results ORDER BY n" \
		> "$work/results.txt" 2>/dev/null || true
	sed 's/^/  /' "$work/results.txt"
	local p f
	p=$(grep -c ' | ok | ' "$work/results.txt" || true)
	f=$(grep -c ' | FAIL | ' "$work/results.txt" || true)
	[ -n "${extra_failures:-}" ] && f=$((f + extra_failures))
	[ "$(wc -l < "$work/results.txt")" -gt 0 ] || f=$((f + 1))
	echo "citus: $p passed, $f failed"
	[ "$f" -eq 0 ]
}

phase "setup" -f test/citus/setup.sql -v blocks="$blocks" -v coordinator_port="$(node_port coordinator)" \
	-v worker1_port="$(node_port worker1)" -v worker2_port="$(node_port worker2)"
block 1
phase "load the single-node copy and the frames" -f test/citus/load.sql -v projects="$projects" -v events="$events"
# Maps through the coordinator: odd projects as JSON text, even ones in binary.
sql "COPY maps as text" "COPY public.artifacts (project_id, release, url, map) FROM STDIN" < "$work/artifacts.txt"
sql "COPY maps in binary" "COPY public.artifacts (project_id, release, url, map) FROM STDIN (FORMAT binary)" < "$work/artifacts.bin"
block 2
phase "checks: router queries, delegation" -f test/citus/verify.sql -f test/citus/route.sql

# The backlog, timed as run: the page's statement on two workers, then the
# same text on the single-node copy (one node, the coordinator's own tables).
now() { date +%s%N; }
psql_node coordinator -At -c "SELECT t.single(sql) FROM t.page WHERE n = 3" > "$work/single3.sql"
t0=$(now)
block 3
t1=$(now)
phase "the backlog on the single-node copy" -f "$work/single3.sql"
t2=$(now)
phase "checks: backlog" -f test/citus/backlog.sql
frames=$(psql_node coordinator -At -c "SELECT count(*) FROM single.resolved_frames")
awk -v n="$frames" -v d="$((t1 - t0))" -v s="$((t2 - t1))" 'BEGIN {
	printf "scale: backlog of %d frames, one run: 1 node %.2f s (%.0f frames/s), 2 workers %.2f s (%.0f frames/s), 2 workers / 1 node = %.2fx\n",
		n, s / 1e9, n / (s / 1e9), d / 1e9, n / (d / 1e9), s / d }' > "$out/report.txt"

again() { phase "$1" -f test/citus/again.sql -v block3="$work/block3.sql" -v label="$1"; }
phase "move a shard" -f test/citus/move.sql
again "after the move"

node_create worker3 "$(free_port 27435)"
echo "worker3: 127.0.0.1:$(node_port worker3)"
sql "add worker3" "SELECT citus_add_node('127.0.0.1', $(node_port worker3))"
phase "rebalance" -f test/citus/rebalance.sql
again "after the rebalance"

source test/citus/crash.sh
again "after the worker restart"

block 4
phase "distributing by project or by debug id" -f test/citus/design.sql

# Every node has 0.1.0 (setup created it, citus_add_node gave it to worker3),
# the page's block 5 updates, every node then has the default version.
versions() {
	local n v all= ok=0
	for n in coordinator worker1 worker2 worker3; do
		v=$(psql_node "$n" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'sourcemap'")
		all="$all $n=$v"
		[ "$v" = "$1" ] || ok=1
	done
	echo "${all# }"
	return $ok
}
default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" sourcemap.control)
name="update: sourcemap 0.1.0 on every node before the update"
if v=$(versions 0.1.0); then record "$name" t "$v"; else record "$name" f "$v"; fi
block 5
name="update: ALTER EXTENSION sourcemap UPDATE reached every node ($default)"
if v=$(versions "$default"); then record "$name" t "$v"; else record "$name" f "$v"; fi
again "after the update"

# COPY out through the coordinator gives the single-node copy's bytes.
for format in text binary; do
	q="COPY (SELECT project_id, release, url, map FROM %s.artifacts ORDER BY project_id, release COLLATE \"C\", url COLLATE \"C\") TO STDOUT (FORMAT $format)"
	psql_node coordinator -c "$(printf "$q" public)" > "$work/out.public"
	psql_node coordinator -c "$(printf "$q" single)" > "$work/out.single"
	if [ -s "$work/out.public" ] && cmp -s "$work/out.public" "$work/out.single"; then
		record "COPY TO ($format) through the coordinator = single-node copy, byte for byte" t "$(wc -c < "$work/out.public") bytes"
	else
		record "COPY TO ($format) through the coordinator = single-node copy, byte for byte" f "differs"
	fi
done

echo
echo "report (also in test/citus/results/report.txt):"
psql_node coordinator -v ON_ERROR_STOP=1 -f test/citus/report.sql >> "$out/report.txt" 2>&1 ||
	extra_failures=1
cat "$out/report.txt"
echo "results:"
exit_status=0
report || exit_status=$?
exit $exit_status
