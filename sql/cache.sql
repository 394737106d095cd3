-- The per-backend cache of opened maps (sourcemap.cache_size) and slice
-- reads of maps stored out of line.  Answers must never depend on the cache:
-- every lookup here is compared with the same lookup on an in-memory copy
-- of the map (which bypasses the cache), or with the cache turned off.

-- A map whose stored form is well over the TOAST threshold: its source
-- content is incompressible hex, and map k maps column c to line k.
CREATE FUNCTION test_map(k int) RETURNS sourcemap LANGUAGE sql AS $$
	SELECT format('{"version":3,"sources":["s%s.js"],"sourcesContent":["%s"],"names":["n%s"],"mappings":"%s"}',
		k, (SELECT string_agg(md5((k * 1000 + i)::text), '') FROM generate_series(1, 400) i),
		k, 'AA' || CASE WHEN k < 16 THEN substr('ACEGIKMOQSUWYace', k + 1, 1) ELSE 'gB' END || 'AA')::sourcemap
$$;

CREATE TABLE maps (id int PRIMARY KEY, m sourcemap);
INSERT INTO maps SELECT k, test_map(k) FROM generate_series(1, 12) k;

-- the values really are out of line (not inline, not compressed by PostgreSQL)
SELECT min(pg_column_size(m)) > 4000 AS out_of_line FROM maps;

-- counters of this backend, before
SELECT hits AS h0, misses AS m0, evictions AS e0 FROM sourcemap_cache_stats() \gset

-- one map, looked up twice in one statement: opened once, then served
SELECT (sourcemap_lookup(m, 0, 0)).line AS a, (sourcemap_lookup(m, 0, 5)).line AS b
FROM maps WHERE id = 3;
SELECT misses - :m0 AS new_misses, hits - :h0 >= 1 AS hit FROM sourcemap_cache_stats();

-- the cached answers equal uncached ones for every map
SELECT count(*) AS agree FROM maps
WHERE sourcemap_lookup(m, 0, 0) IS NOT DISTINCT FROM sourcemap_lookup(m::text::sourcemap, 0, 0);

-- a value updated in the same session: the new map answers, never the old one
SELECT (sourcemap_lookup(m, 0, 0)).source FROM maps WHERE id = 5;
UPDATE maps SET m = test_map(7) WHERE id = 5;
SELECT (sourcemap_lookup(m, 0, 0)).source FROM maps WHERE id = 5;
UPDATE maps SET m = '{"version":3,"sources":["tiny.js"],"names":[],"mappings":"AAAA"}' WHERE id = 5;
SELECT (sourcemap_lookup(m, 0, 0)).source FROM maps WHERE id = 5;

-- a value deleted and another inserted in the same session
DELETE FROM maps WHERE id = 6;
SELECT count(*) FROM maps WHERE id = 6;
INSERT INTO maps VALUES (6, test_map(9));
SELECT (sourcemap_lookup(m, 0, 0)).source FROM maps WHERE id = 6;

-- many maps in one query: every map, every column 0..4, against the
-- in-memory copies
SELECT count(*) AS frames,
	count(*) FILTER (WHERE r IS NOT DISTINCT FROM u) AS agree
FROM maps, generate_series(0, 4) c,
	LATERAL (SELECT sourcemap_lookup(m, 0, c) AS r, sourcemap_lookup(m::text::sourcemap, 0, c) AS u) x;

-- a tiny cache evicts, and answers stay right
SET sourcemap.cache_size = '64kB';
SELECT evictions AS e1 FROM sourcemap_cache_stats() \gset
SELECT count(*) FILTER (WHERE (sourcemap_lookup(m, 0, 0)).source = 's' || id || '.js') AS right_source
FROM maps WHERE id <> 5 AND id <> 6;
SELECT evictions > :e1 AS evicted, bytes <= 64 * 1024 + 65536 AS bounded FROM sourcemap_cache_stats();

-- a cache smaller than any map: each one is evicted as soon as it is closed,
-- so results must not point into a closed map's memory
SET sourcemap.cache_size = '1kB';
SELECT count(*) FILTER (WHERE m::text::sourcemap = m) AS output_ok,
	count(*) FILTER (WHERE (sourcemap_context(m, 's' || id || '.js', 0, 0, 0)).line
		= (SELECT (sourcemap_context(m::text::sourcemap, 's' || id || '.js', 0, 0, 0)).line)) AS context_ok
FROM maps WHERE id <> 5 AND id <> 6;

-- cache off: nothing kept, nothing counted, same answers
SET sourcemap.cache_size = 0;
SELECT hits AS h2, misses AS m2 FROM sourcemap_cache_stats() \gset
SELECT count(*) FILTER (WHERE (sourcemap_lookup(m, 0, 0)).source = 's' || id || '.js') AS right_source
FROM maps WHERE id <> 5 AND id <> 6;
SELECT hits = :h2 AS no_hits, misses = :m2 AS no_misses, entries = 0 AS empty, bytes = 0 AS no_bytes
FROM sourcemap_cache_stats();

-- back on
RESET sourcemap.cache_size;
SHOW sourcemap.cache_size;
SELECT count(*) FILTER (WHERE (sourcemap_lookup(m, 0, 0)).source = 's' || id || '.js') AS right_source
FROM maps WHERE id <> 5 AND id <> 6;
SELECT entries > 0 AS cached FROM sourcemap_cache_stats();

-- the GUC takes units and rejects nonsense
SET sourcemap.cache_size = -1;
SET sourcemap.cache_size = '1MB';
SHOW sourcemap.cache_size;
RESET sourcemap.cache_size;

-- a call site keeps the map it opened last and finds it again without a
-- hash lookup (sm_pg_open_memo): the same map row after row, then another
-- map, with the default cache (the kept map is reused) and with one so small
-- that every map is evicted as soon as it is closed (the kept map is gone
-- and must not be used); every answer against the in-memory copy
SELECT hits AS h3 FROM sourcemap_cache_stats() \gset
SELECT count(*) AS frames, count(*) FILTER (WHERE r IS NOT DISTINCT FROM u) AS agree
FROM (SELECT id, m, k % 3 AS c FROM maps, generate_series(1, 9) k WHERE id NOT IN (5, 6) ORDER BY id, k) x,
	LATERAL (SELECT sourcemap_lookup(x.m, 0, x.c) AS r, sourcemap_lookup(x.m::text::sourcemap, 0, x.c) AS u) y;
SELECT hits - :h3 >= 80 AS reused FROM sourcemap_cache_stats();
SET sourcemap.cache_size = '1kB';
SELECT evictions AS e3 FROM sourcemap_cache_stats() \gset
SELECT count(*) AS frames, count(*) FILTER (WHERE r IS NOT DISTINCT FROM u) AS agree
FROM (SELECT id, m, k % 3 AS c FROM maps, generate_series(1, 9) k WHERE id NOT IN (5, 6) ORDER BY id, k) x,
	LATERAL (SELECT sourcemap_lookup(x.m, 0, x.c) AS r, sourcemap_lookup(x.m::text::sourcemap, 0, x.c) AS u) y;
SELECT evictions - :e3 >= 90 AS evicted_each_time FROM sourcemap_cache_stats();
RESET sourcemap.cache_size;

DROP TABLE maps;
DROP FUNCTION test_map(int);
