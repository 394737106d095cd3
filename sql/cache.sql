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

-- a cached map keeps the texts it returns in slots (sm_cache.c): a text of up
-- to 31 bytes lies in its slot, a longer one is pointed to.  Sources and
-- names of every length around that edge (0, 31, 32 bytes, multibyte, long)
-- and a null source, each returned twice from the cache (made, then kept),
-- in a query that switches maps row after row, against the in-memory copy
INSERT INTO maps SELECT 20, format('{"version":3,"sources":[null,"","%s","%s","%s","%s"],'
		'"sourcesContent":["%s"],"names":["","%s","%s","%s","%s","%s"],'
		'"mappings":"AAAAA,ECAAC,ECAAC,ECAAC,ECAAC,ECAAC"}',
	repeat('a', 31), repeat('b', 32), repeat('c', 300), repeat('é', 16),
	(SELECT string_agg(md5(i::text), '') FROM generate_series(1, 400) i),
	repeat('n', 31), repeat('é', 15) || 'x', repeat('x', 32), repeat('y', 300), repeat('ü', 15))::sourcemap;
SELECT pg_column_size(m) > 4000 AS out_of_line FROM maps WHERE id = 20;
SELECT c, (r).source IS NULL AS null_source, octet_length((r).source) AS source_bytes,
	octet_length((r).name) AS name_bytes, r IS NOT DISTINCT FROM u AS agree
FROM generate_series(0, 10, 2) c, maps,
	LATERAL (SELECT sourcemap_lookup(m, 0, c) AS r, sourcemap_lookup(m::text::sourcemap, 0, c) AS u) x
WHERE id = 20 ORDER BY c;
SELECT count(*) AS frames, count(*) FILTER (WHERE r IS NOT DISTINCT FROM u) AS agree,
	count(*) FILTER (WHERE id = 20 AND (r).source = repeat('é', 16)) AS multibyte
FROM (SELECT id, m, k AS c FROM maps, generate_series(0, 11) k WHERE id NOT IN (5, 6) ORDER BY k, id) x,
	LATERAL (SELECT sourcemap_lookup(x.m, 0, x.c) AS r, sourcemap_lookup(x.m::text::sourcemap, 0, x.c) AS u) y;
SELECT string_agg((t).source || ':' || (t).name, ',' ORDER BY c) AS short_texts
FROM (SELECT c, sourcemap_lookup(m, 0, c) AS t FROM maps, generate_series(2, 4, 2) c WHERE id = 20) x;
-- the same through the batch form, the SRFs and a cache that evicts the
-- map as soon as it is closed (its slots are freed: nothing may point there)
SELECT count(*) AS rows, count(*) FILTER (WHERE b.source IS NOT DISTINCT FROM l.source
		AND b.name IS NOT DISTINCT FROM l.name) AS agree
FROM maps, LATERAL sourcemap_lookup(m, ARRAY[0, 0, 0, 0, 0, 0], ARRAY[0, 2, 4, 6, 8, 10]) b,
	LATERAL sourcemap_lookup(m::text::sourcemap, 0, 2 * (b.ord::int - 1)) l
WHERE id = 20;
SELECT array_agg(octet_length(name) ORDER BY idx) AS names FROM maps, sourcemap_names(m) WHERE id = 20;
SET sourcemap.cache_size = '1kB';
SELECT count(*) AS frames, count(*) FILTER (WHERE r IS NOT DISTINCT FROM u) AS agree
FROM generate_series(0, 11) c, maps,
	LATERAL (SELECT sourcemap_lookup(m, 0, c) AS r, sourcemap_lookup(m::text::sourcemap, 0, c) AS u) x
WHERE id = 20;
RESET sourcemap.cache_size;
-- updated in the same session (every index now names other texts): the
-- new texts, never the kept ones
SELECT string_agg(coalesce((sourcemap_lookup(m, 0, c)).name, '-'), ',' ORDER BY c) AS before
FROM maps, generate_series(2, 4, 2) c WHERE id = 20;
UPDATE maps SET m = replace(replace(m::text, repeat('n', 31), repeat('N', 31)), repeat('a', 31), repeat('A', 31))::sourcemap
WHERE id = 20;
SELECT string_agg((t).source || ':' || (t).name, ',' ORDER BY c) AS after
FROM (SELECT c, sourcemap_lookup(m, 0, c) AS t FROM maps, generate_series(2, 4, 2) c WHERE id = 20) x;

DROP TABLE maps;
DROP FUNCTION test_map(int);
