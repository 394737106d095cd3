#!/bin/bash
# test/hard/concurrency.sh -- many clients, churn and memory (issue 5, point 7).
#
# pgbench, 8 clients, mixing (test/hard/pgbench/*.sql, weights below):
#   lookup_check  single lookups on maps that never change, each checked
#                 against the answer computed before the run
#   batch_check   batch lookups over all known answers of one such map
#   lookup_churn, batch_churn, misc
#                 lookups, tokens, sources, info, content, context and
#                 reverse lookups on maps other clients replace and delete
#   insert, update, delete
#                 parse and insert maps, replace them (parsed or copied from
#                 another row), delete them
#   memory        asserts this backend's cache is under sourcemap.cache_size
#                 (set small, so that maps are evicted all the time) and
#                 samples the backend's memory contexts
# No transaction may fail and no client may abort.  Backend memory must stay
# bounded: the private memory (RssAnon) of every client backend, sampled
# from /proc during the run, and its memory contexts must not keep growing.
# Then, in one session, 100k lookups (and thousands of batch, tokens,
# content and context calls) must not grow the session's memory, and a
# five million lookups in one query must run in constant memory.
#
#   test/hard/concurrency.sh            15 s of pgbench (CI)
#   SM_LONG=1 test/hard/concurrency.sh  60 s (SM_PGBENCH_SECONDS=N to choose)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hard_env "$@"

if [ -n "${SM_PGBENCH_SECONDS:-}" ]; then
	seconds=$SM_PGBENCH_SECONDS
elif [ -n "${SM_LONG:-}" ]; then
	seconds=60
else
	seconds=15
fi
clients=8
nmaps=80
cache=2MB
work=$(scratch)
trap 'rm -rf "$work"' EXIT
bench=$HARD_DIR/pgbench

q <<'SQL'
CREATE EXTENSION sourcemap;
CREATE TABLE pool (k serial PRIMARY KEY, name text, j text);
CREATE TABLE stable (id serial PRIMARY KEY, name text, m sourcemap);
CREATE TABLE maps (id int PRIMARY KEY, m sourcemap);
CREATE TABLE expected (k serial PRIMARY KEY, map_id int, bias text, line int, col int, answer text);
CREATE TABLE mem_samples (pid int, at timestamptz, cache_bytes bigint, entries bigint,
	evictions bigint, ctx_bytes numeric, chk int);
SQL
add_pool() { # name file
	q -v name="$1" -v file="$2" <<'SQL'
\set content `cat :'file'`
INSERT INTO pool (name, j) VALUES (:'name', :'content');
SQL
}
for f in $(cd "$REPO/test/data/corpus" && find . -name '*.map' | sort); do
	add_pool "vendored/${f#./}" "$REPO/test/data/corpus/$f"
done
if corpus_present; then
	for f in rxjs@7.8.2/rxjs.umd.min.js.map @microsoft/signalr@10.0.11/signalr.js.map \
		angular@1.8.3/angular.min.js.map; do
		[ -f "$CORPUS/$f" ] && add_pool "corpus/$f" "$CORPUS/$f"
	done
fi
q <<SQL
INSERT INTO pool (name, j) VALUES ('synthetic/features', '{"version":3,"file":"min.js","sourceRoot":"src/",
	"sources":["a.js",null,"b.js","c.js"],
	"sourcesContent":["line 0\\nline 1\\n  line 2\\n",null,"x",null],
	"names":["foo","bar",""],
	"mappings":"AAAAA,CAAC,EAAEC;;AACA,GCAA,EAAED;ACAE,AAAA,A","ignoreList":[2,3],
	"debugId":"85314830-023f-4cf1-a267-535f4e37bb17"}');
-- the maps that never change, and their answers, computed before the run
INSERT INTO stable (name, m) SELECT name, j::sourcemap FROM pool ORDER BY k;
INSERT INTO expected (map_id, bias, line, col, answer)
SELECT s.id, b, p.line, p.col, concat_ws('|', r.source, r.line, r.col, r.name)
FROM stable s
	CROSS JOIN LATERAL (SELECT max(gen_line) AS ml, max(gen_col) AS mc FROM sourcemap_tokens(s.m)) t
	CROSS JOIN LATERAL (SELECT (random() * (t.ml + 1))::int AS line, (random() * (t.mc + 10))::int AS col
		FROM generate_series(1, 200)) p
	CROSS JOIN unnest(ARRAY['glb', 'lub']) b
	CROSS JOIN LATERAL sourcemap_lookup(s.m, p.line, p.col, b) r
ORDER BY s.id, b, p.line, p.col;
-- the maps the clients change
INSERT INTO maps SELECT g, (SELECT j FROM pool WHERE k = 1 + g % (SELECT count(*) FROM pool))::sourcemap
FROM generate_series(1, $nmaps) g;
SQL
npool=$(q -c 'SELECT count(*) FROM pool')
nstable=$(q -c 'SELECT count(*) FROM stable')
nexp=$(q -c 'SELECT count(*) FROM expected')
echo "maps: $npool in the pool, $nstable stable with $nexp known answers, $nmaps changing; sourcemap.cache_size=$cache"

# RssAnon (private memory) of every client backend, once a second
sample_rss() {
	local end=$((SECONDS + seconds + 5)) pids pid
	while [ $SECONDS -lt $end ]; do
		pids=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench'" 2>/dev/null || true)
		for pid in $pids; do
			awk -v p="$pid" -v t=$SECONDS '/^RssAnon:/ {print p, t, $2}' "/proc/$pid/status" 2>/dev/null || true
		done
		sleep 1
	done
}
sample_rss > "$work/rss.txt" &
sampler=$!

echo "pgbench: $clients clients, $seconds s"
set +e
PGOPTIONS="-c sourcemap.cache_size=$cache" PGAPPNAME=pgbench pgbench -n -c "$clients" -j 2 -T "$seconds" \
	-D nmaps=$nmaps -D npool="$npool" -D nstable="$nstable" -D nexp="$nexp" \
	-f "$bench/lookup_check.sql@30" -f "$bench/batch_check.sql@5" \
	-f "$bench/lookup_churn.sql@20" -f "$bench/batch_churn.sql@10" -f "$bench/misc.sql@8" \
	-f "$bench/insert.sql@8" -f "$bench/update.sql@8" -f "$bench/delete.sql@4" \
	-f "$bench/memory.sql@7" > "$work/pgbench.out" 2>&1
rc=$?
set -e
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
grep -E '^(number of|latency average|tps|SQL script| - [0-9]+ transactions)' "$work/pgbench.out" | sed 's/^/  /'
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.out")
if [ "$rc" -eq 0 ] && [ -n "$tx" ] && [ "$tx" -gt 0 ] && [ "${failed:-0}" -eq 0 ] \
	&& ! grep -qE 'aborted|ERROR' "$work/pgbench.out"; then
	ok "pgbench: $tx transactions in $seconds s, 0 failed, no client aborted"
else
	bad "pgbench: exit $rc, ${tx:-?} transactions, ${failed:-?} failed:"
	grep -E 'ERROR|aborted|error' "$work/pgbench.out" | head -10
fi

# the cache stayed under its limit in every sample (memory.sql asserts it too)
read -r nsamples maxcache maxentries evictions maxctx < <(q -F ' ' -c "
	SELECT count(*), max(cache_bytes), max(entries),
		(SELECT sum(e) FROM (SELECT max(evictions) AS e FROM mem_samples GROUP BY pid) p), max(ctx_bytes)
	FROM mem_samples")
if [ "$nsamples" -gt 0 ] && [ "$maxcache" -le $((2 * 1024 * 1024)) ]; then
	ok "cache: $nsamples samples, at most $maxcache bytes in $maxentries maps (limit $cache); $evictions evictions in the sampled backends"
else
	bad "cache: $nsamples samples, max $maxcache bytes (limit $cache)"
fi
# memory contexts of each backend: the later samples no larger than the early ones plus slack
growth=$(q -c "
	WITH s AS (SELECT pid, ctx_bytes, ntile(3) OVER (PARTITION BY pid ORDER BY at) AS third FROM mem_samples)
	SELECT coalesce(max(late - early), 0)::bigint FROM (
		SELECT pid, max(ctx_bytes) FILTER (WHERE third = 1) AS early, max(ctx_bytes) FILTER (WHERE third = 3) AS late
		FROM s GROUP BY pid HAVING count(*) >= 6) g")
if [ "$growth" -lt $((16 * 1024 * 1024)) ]; then
	ok "memory contexts of the client backends: at most $maxctx bytes; growth from the first to the last third of the run at most $growth bytes"
else
	bad "memory contexts of a client backend grew by $growth bytes during the run"
fi
# private memory of each backend: last third vs first third of the run
if [ -s "$work/rss.txt" ]; then
	read -r rss_growth rss_max < <(awk '
		{ t[$1] = t[$1] " " $2; v[$1 " " $2] = $3; if ($3 > mx) mx = $3
		  if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if ($2 > hi[$1]) hi[$1] = $2 }
		END {
			g = 0
			for (p in lo) {
				span = hi[p] - lo[p]; if (span < 6) continue
				e = 0; l = 0
				for (k in v) { split(k, a, " "); if (a[1] != p) continue
					if (a[2] <= lo[p] + span / 3 && v[k] > e) e = v[k]
					if (a[2] >= hi[p] - span / 3 && v[k] > l) l = v[k] }
				if (l - e > g) g = l - e
			}
			print g, mx
		}' "$work/rss.txt")
	if [ "$rss_growth" -lt 32768 ]; then
		ok "RssAnon of the client backends: at most $rss_max kB; growth from the first to the last third at most $rss_growth kB"
	else
		bad "RssAnon of a client backend grew by $rss_growth kB during the run (max $rss_max kB)"
	fi
else
	bad "no RssAnon samples of the client backends"
fi

# One session, many calls: the session's memory must not grow.
q -c "SELECT 1" >/dev/null
cat > "$work/leak.sql" <<'SQL'
SET sourcemap.cache_size = '4MB';
CREATE TEMP TABLE mem (step text, ctx numeric, rss bigint);
CREATE FUNCTION pg_temp.rss() RETURNS bigint LANGUAGE sql AS $$
	SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'RssAnon:\s+(\d+)'))[1]::bigint $$;
CREATE FUNCTION pg_temp.note(step text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO mem SELECT step, (SELECT sum(total_bytes) FROM pg_backend_memory_contexts), pg_temp.rss() $$;
CREATE FUNCTION pg_temp.work(n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	ms sourcemap[] := (SELECT array_agg(m ORDER BY id) FROM stable);
	k int := cardinality(ms);
	x record;
BEGIN
	FOR i IN 1 .. n LOOP
		-- stored values (the cache) and in-memory ones (plpgsql detoasts)
		PERFORM sourcemap_lookup(s.m, i % 40, (i * 37) % 20000, 'glb') FROM stable s WHERE s.id = 1 + i % k;
		PERFORM sourcemap_lookup(ms[1 + i % k], i % 40, (i * 37) % 20000, 'lub');
		IF i % 50 = 0 THEN
			PERFORM count(*) FROM stable s, sourcemap_lookup(s.m,
				(SELECT array_agg(g % 30) FROM generate_series(1, 500) g),
				(SELECT array_agg((g * 37) % 20000) FROM generate_series(1, 500) g)) r WHERE s.id = 1 + i % k;
			PERFORM sourcemap_source_content(s.m, 0), sourcemap_info(s.m), sourcemap_summary(s.m)
				FROM stable s WHERE s.id = 1 + i % k;
			PERFORM c.* FROM stable s, sourcemap_sources(s.m) so, sourcemap_context(s.m, so.source, i % 20, 5) c
				WHERE s.id = 1 + i % k AND so.idx = 0;
			PERFORM g.* FROM stable s, sourcemap_sources(s.m) so, sourcemap_generated_positions(s.m, so.source, i % 20) g
				WHERE s.id = 1 + i % k AND so.idx = 0;
		END IF;
		IF i % 500 = 0 THEN
			PERFORM count(*) FROM stable s, sourcemap_tokens(s.m) t WHERE s.id = 1 + i % k;
			PERFORM s.m::text FROM stable s WHERE s.id = 1 + i % k;
		END IF;
	END LOOP;
END $$;
SELECT pg_temp.work(10000);
SELECT pg_temp.note('after 10k');
SELECT pg_temp.work(100000);
SELECT pg_temp.note('after 110k');
SELECT step, ctx, rss FROM mem ORDER BY step;
SQL
q -F ' ' -f "$work/leak.sql" > "$work/leak.out"
read -r _ _ ctx1 rss1 < <(grep '^after 10k' "$work/leak.out")
read -r _ _ ctx2 rss2 < <(grep '^after 110k' "$work/leak.out")
if [ -n "$ctx2" ] && [ $((ctx2 - ctx1)) -lt $((1024 * 1024)) ] && [ $((rss2 - rss1)) -lt 4096 ]; then
	ok "one session, 110k lookups (and 2,200 batch, content, context, reverse calls, 220 tokens and outputs): memory contexts $ctx1 -> $ctx2 bytes, RssAnon $rss1 -> $rss2 kB after the first 10k"
else
	bad "one session: memory grew: contexts $ctx1 -> $ctx2 bytes, RssAnon $rss1 -> $rss2 kB"
fi

# Five million lookups in one query: constant memory while it runs (long
# enough to be sampled on a busy machine: a warm lookup on a small map takes
# a fraction of a microsecond).
PGAPPNAME=sm_million psql -X -q -At -c "SELECT count((sourcemap_lookup(s.m, g % 30, (g * 37) % 20000)).line)
	FROM stable s, generate_series(1, 5000000) g WHERE s.id = 3" > "$work/million.out" 2>&1 &
million=$!
pid=
while [ -z "$pid" ] && kill -0 "$million" 2>/dev/null; do
	pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'sm_million' AND state = 'active'")
	[ -n "$pid" ] || sleep 0.05
done
: > "$work/million.rss"
while kill -0 "$million" 2>/dev/null; do
	awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" >> "$work/million.rss" 2>/dev/null || true
	sleep 0.01
done
wait "$million" || true
n=$(wc -l < "$work/million.rss")
if [ "$n" -ge 5 ] && grep -qE '^[0-9]+$' "$work/million.out"; then
	# after the first fifth (warm-up), the maximum may not exceed the level reached by then by much
	read -r early late < <(awk -v n="$n" '{ v[NR] = $1 } END {
		e = 0; l = 0; for (i = 1; i <= n; i++) { if (i <= n / 5 + 1) { if (v[i] > e) e = v[i] } else if (v[i] > l) l = v[i] }
		print e, l }' "$work/million.rss")
	if [ "$late" -lt $((early + 16384)) ]; then
		ok "5M lookups in one query: RssAnon $early kB after warm-up, at most $late kB later ($n samples)"
	else
		bad "5M lookups in one query: RssAnon grew from $early kB to $late kB"
	fi
else
	bad "5M lookups in one query: too few samples ($n) or failed: $(cat "$work/million.out")"
fi

# The canonical JSON of stored (out-of-line) maps whose JSON is larger than
# the cache: the map is evicted when it is closed, the output must not be.
q -c "SELECT id, md5(m::text) FROM stable ORDER BY id" > "$work/json.default"
if PGOPTIONS="-c sourcemap.cache_size=64kB" q -c "SELECT id, md5(m::text) FROM stable ORDER BY id" \
	> "$work/json.small" 2> "$work/json.err" && cmp -s "$work/json.default" "$work/json.small"; then
	ok "output of $(wc -l < "$work/json.default") stored maps with sourcemap.cache_size = 64kB: same JSON as with the default cache"
else
	bad "output of stored maps with sourcemap.cache_size = 64kB: $(head -2 "$work/json.err" | tr '\n' ' ')"
	for i in $(seq 60); do pg_isready -q && break; sleep 0.5; done
fi

check "the server still answers" q -c 'SELECT 1' >/dev/null
no_crash_in_log
finish
