#!/usr/bin/env bash
# bench/profile.sh -- where a backend spends the time of a per-frame query:
# `perf record -g -p <backend pid>` around one run of a query, in a throwaway
# cluster (pg_virtualenv), with this checkout's library loaded from a private
# copy (as bench/run does) next to the floor function of bench/floor.
#
#   bash bench/profile.sh [KIND...]     # as root, after `make` in this checkout
#
# KIND: random (default), sorted, floor, batch; single and single_floor
# (pgbench -M prepared, one lookup or floor call per statement on the
# largest map, its backend profiled for 8 s).  Maps: the corpus in ../shared
# (SM_PROFILE_MAPS, a regex on their paths, picks some; default all).
# Each query runs once to warm the cache (sourcemap.cache_size =
# SM_PROFILE_CACHE, default 1GB, so that every block stays decoded), then
# once under perf; with SM_PROFILE_FRESH=1 the first run in a fresh backend
# is the one profiled (opening the maps and filling the cache, what a new
# session pays), and `single` runs pgbench with sourcemap.cache_size =
# SM_PROFILE_CACHE too (0: every lookup cold).  Writes $OUT/<kind>.perf.data and $OUT/<kind>.txt (the
# flat profile, self time) and $OUT/<kind>.children.txt (with callees);
# OUT defaults to /tmp/sm-profile.  Needs perf (Debian package linux-perf).
#
# KIND ab compares two builds instead, no perf: SM_AB_OLD=/path/to/other.so
# against this checkout's sourcemap.so, SM_AB_ROUNDS (5) interleaved rounds,
# each build in a fresh backend per query (the warm-up run, then the timed
# one, EXPLAIN ANALYZE), for the random, sorted and floor queries; prints
# the median ms per build and query.  With SM_AB_FRESH=1 the first run in
# each fresh backend is measured instead (the maps opened, the cache
# filled), as the backend's CPU time, for the random, sorted, batch and
# floor queries and for `cold` and `cold_floor`: 2,000 lookups (floor calls)
# on the largest map with sourcemap.cache_size = 0, each one opening it.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUT=${OUT:-/tmp/sm-profile}
KINDS=("$@")
[ ${#KINDS[@]} -gt 0 ] || KINDS=(random)
CORPUS=$REPO/../shared/oracle/corpus
if [ ! -f "$CORPUS/MANIFEST.tsv" ]; then
	echo "bench/profile.sh: skipped, ../shared/oracle/corpus is absent"
	exit 0
fi
[ -f sourcemap.so ] || { echo "bench/profile.sh: run make first" >&2; exit 1; }
rm -f "$OUT/ab.txt"
mkdir -p "$OUT/lib" "$OUT/corpus"
chmod 755 "$OUT"
cp sourcemap.so "$OUT/lib/sourcemap.so"
if [ -n "${SM_AB_OLD:-}" ]; then
	cp "$SM_AB_OLD" "$OUT/lib/old.so"
fi
rm -rf "$OUT/floor"
cp -r bench/floor "$OUT/floor"
make -C "$OUT/floor" -s with_llvm=no
cp "$OUT/floor/floor.so" "$OUT/lib/floor.so"
grep -v '^#' "$CORPUS/MANIFEST.tsv" | tail -n +2 | cut -f1 | grep -E "${SM_PROFILE_MAPS:-.}" >"$OUT/maps.txt"
while read -r p; do
	mkdir -p "$OUT/corpus/$(dirname "$p")"
	cp "$CORPUS/$p" "$OUT/corpus/$p"
done <"$OUT/maps.txt"
chmod -R a+rX "$OUT"
export OUT KINDS_LIST="${KINDS[*]}" CACHE=${SM_PROFILE_CACHE:-1GB} FRESH=${SM_PROFILE_FRESH:-0} AB_FRESH=${SM_AB_FRESH:-0}
pg_virtualenv -o max_parallel_workers_per_gather=0 -o shared_buffers=1GB -o jit=off bash -c '
set -euo pipefail
psql -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION sourcemap;
UPDATE pg_proc SET probin = '\''$OUT/lib/sourcemap.so'\'' WHERE probin = '\''\$libdir/sourcemap'\'';
CREATE FUNCTION sourcemap_bench_floor(sourcemap, int, int) RETURNS sourcemap_position
  AS '\''$OUT/lib/floor.so'\'', '\''sourcemap_bench_floor'\'' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE TABLE maps (id int PRIMARY KEY, path text, map sourcemap);
SQL
i=0
while read -r p; do
	i=$((i + 1))
	psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO maps VALUES ($i, '\''$p'\'', pg_read_file('\''$OUT/corpus/$p'\'')::sourcemap)"
done <"$OUT/maps.txt"
psql -X -q -v ON_ERROR_STOP=1 <<SQL
SELECT setseed(0.11);
CREATE TABLE frames AS
  SELECT row_number() OVER (ORDER BY random()) AS id, s.*
    FROM (SELECT m.id AS map_id, t.gen_line AS line, t.gen_col AS col
            FROM maps m, LATERAL (SELECT gen_line, gen_col FROM sourcemap_tokens(m.map)
                                    ORDER BY random() LIMIT 20000) t) s ORDER BY 1;
CREATE TABLE frames_sorted AS SELECT * FROM frames ORDER BY map_id, line, col;
VACUUM ANALYZE;
SQL
query() {
	case $1 in
		random) q="SELECT count(p.source) FROM frames f JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, f.line, f.col) p" ;;
		sorted) q="SELECT count(p.source) FROM frames_sorted f JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, f.line, f.col) p" ;;
		floor) q="SELECT count(p.source) FROM frames f JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_bench_floor(m.map, f.line, f.col) p" ;;
		batch) q="SELECT count(b.source) FROM (SELECT map_id, array_agg(line) ls, array_agg(col) cs FROM frames GROUP BY map_id) a JOIN maps m ON m.id = a.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, a.ls, a.cs) b" ;;
		single|single_floor) q= ;;
		cold|cold_floor)
			# 2,000 lookups (floor calls) on the largest map, each opening it cold (cache off)
			fn=sourcemap_lookup
			[ "$1" = cold ] || fn=sourcemap_bench_floor
			q="SELECT count(p.source) FROM (SELECT * FROM frames WHERE map_id = (SELECT id FROM maps ORDER BY pg_column_size(map) DESC LIMIT 1) LIMIT 2000) f JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL $fn(m.map, f.line, f.col) p" ;;
		*) echo "unknown kind $1" >&2; exit 1 ;;
	esac
}
# the one statement of `single` (one lookup or floor call on the largest map) into $OUT/$1.sql
single_sql() {
	local fn=sourcemap_lookup
	[ "$1" = single ] || fn=sourcemap_bench_floor
	psql -X -A -t -c "SELECT id, line, col FROM frames f WHERE map_id = (SELECT id FROM maps ORDER BY pg_column_size(map) DESC LIMIT 1) LIMIT 1" | {
		IFS="|" read -r id line col
		printf "SELECT %s(map, %s, %s) FROM maps WHERE id = %s;\n" "$fn" "$line" "$col" "$id" >"$OUT/$1.sql"
	}
}
# ms of the second run of query $2 in a fresh backend using library $1; with
# AB_FRESH=1, CPU ms (user + system, /proc/self/stat) of the backend for the
# first run, which a loaded machine disturbs less than the elapsed time
timed() {
	psql -X -q -c "UPDATE pg_proc SET probin = '\''$1'\'' WHERE probin LIKE '\''$OUT/lib/%'\'' AND proname <> '\''sourcemap_bench_floor'\''"
	query "$2"
	if [ "$AB_FRESH" = 1 ]; then
		local cache=$CACHE
		case $2 in cold | cold_floor) cache=0 ;; esac
		psql -X -A -t -c "SET sourcemap.cache_size = '\''$cache'\''" -c "SELECT pg_read_file('\''/proc/self/stat'\'')" \
			-c "$q" -c "SELECT pg_read_file('\''/proc/self/stat'\'')" |
			awk '\''/^[0-9]+ \(/ { t[n++] = $14 + $15 } END { printf "%d\n", (t[1] - t[0]) * 10 }'\''
		return
	fi
	psql -X -A -t -c "SET sourcemap.cache_size = '\''$CACHE'\''" -c "$q" -c "EXPLAIN (ANALYZE, TIMING OFF) $q" |
		sed -n "s/^Execution Time: \([0-9.]*\) ms/\1/p"
}
for kind in $KINDS_LIST; do
	if [ "$kind" = ab ]; then
		for r in $(seq "${SM_AB_ROUNDS:-5}"); do
			for lib in $(printf "%s\n" old sourcemap | shuf); do
				ab_kinds="random sorted floor"
				[ "$AB_FRESH" = 1 ] && ab_kinds="random sorted floor batch cold cold_floor"
				for qk in $(printf "%s\n" $ab_kinds | shuf); do
					echo "$lib $qk $(timed "$OUT/lib/$lib.so" "$qk")" | tee -a "$OUT/ab.txt"
				done
			done
		done
		python3 -c "
import statistics, collections, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    lib, q, ms = line.split()
    d[(q, lib)].append(float(ms))
for (q, lib), v in sorted(d.items()):
    print(f\"{q:8} {lib:10} median {statistics.median(v):9.1f} ms  min {min(v):9.1f}  n {len(v)}\")
" "$OUT/ab.txt"
		psql -X -q -c "UPDATE pg_proc SET probin = '\''$OUT/lib/sourcemap.so'\'' WHERE probin = '\''$OUT/lib/old.so'\''"
		continue
	fi
	query "$kind"
	if [ "$kind" = single ] || [ "$kind" = single_floor ]; then
		# pgbench -M prepared, one lookup per statement on the largest map, its backend under perf
		single_sql "$kind"
		PGOPTIONS="-c sourcemap.cache_size=$CACHE" pgbench -n -M prepared -T 12 -f "$OUT/$kind.sql" >"$OUT/$kind.pgbench.txt" 2>&1 &
		bench_pid=$!
		sleep 2
		pid=$(psql -X -A -t -c "SELECT pid FROM pg_stat_activity WHERE application_name = '\''pgbench'\''")
		perf record -q -g -p "$pid" -o "$OUT/$kind.perf.data" -- sleep 8 2>/dev/null || true
		wait $bench_pid
		echo "$kind: $(grep -E "latency average" "$OUT/$kind.pgbench.txt")"
	else
		# one psql, one backend: warm run, then the same statement under perf
		coproc PSQL { psql -X -q -A -t; }
		echo "SET sourcemap.cache_size = '\''$CACHE'\''; SELECT pg_backend_pid();" >&"${PSQL[1]}"
		read -r pid <&"${PSQL[0]}"
		echo "\\timing on" >&"${PSQL[1]}"
		t1=none
		if [ "$FRESH" != 1 ]; then
			echo "$q;" >&"${PSQL[1]}"
			read -r x <&"${PSQL[0]}"; read -r t1 <&"${PSQL[0]}"
		fi
		perf record -q -g -p "$pid" -o "$OUT/$kind.perf.data" 2>/dev/null &
		perf_pid=$!
		sleep 1
		echo "$q;" >&"${PSQL[1]}"
		read -r x <&"${PSQL[0]}"; read -r t2 <&"${PSQL[0]}"
		kill -INT $perf_pid; wait $perf_pid || true
		echo "\\q" >&"${PSQL[1]}"
		wait $PSQL_PID 2>/dev/null || true
		echo "$kind: warm-up $t1, profiled $t2"
	fi
	perf report -i "$OUT/$kind.perf.data" --no-children --percent-limit 0.5 --stdio 2>/dev/null | grep -v "^$" >"$OUT/$kind.txt" || true
	perf report -i "$OUT/$kind.perf.data" --children --percent-limit 2 --stdio -g none 2>/dev/null | grep -v "^$" >"$OUT/$kind.children.txt" || true
done
'
echo "profiles in $OUT"
