-- The cache's packed mapping blocks (one pool of blocks for all cached maps,
-- within sourcemap.cache_size): maps of several blocks each, looked up with
-- the cache off (every block decoded afresh), on, and so small that blocks
-- and maps are evicted all the time; answers must be the same, and right.

-- Map k: 8 generated lines of 700 segments at columns 0, 3, 6, ...; segment
-- g (in generated order) maps to original line step * (g + 1) of m<k>.js.
-- About 5.5 blocks of 1,024 segments, with incompressible source content so
-- the value is stored out of line.
CREATE FUNCTION blocks_map(k int, step int DEFAULT 1) RETURNS sourcemap LANGUAGE sql AS $$
	SELECT format('{"version":3,"sources":["m%s.js"],"sourcesContent":["%s"],"names":[],"mappings":"%s"}',
		k, (SELECT string_agg(md5((k * 1000 + i)::text), '') FROM generate_series(1, 400) i),
		(SELECT string_agg('AA' || v || repeat(',GA' || v, 699), ';')
		 FROM generate_series(1, 8), (SELECT CASE step WHEN 1 THEN 'CA' ELSE 'EA' END AS v) s))::sourcemap
$$;
-- what a lookup must answer: the original line, NULL when nothing maps
CREATE FUNCTION blocks_want(l int, c int, bias text, step int DEFAULT 1) RETURNS int LANGUAGE sql AS $$
	SELECT CASE
		WHEN l > 7 THEN CASE WHEN bias = 'glb_cross_line' THEN step * 5600 END
		WHEN bias IN ('glb', 'glb_cross_line') THEN step * (l * 700 + least(c / 3, 699) + 1)
		WHEN bias = 'lub' AND (c + 2) / 3 <= 699 THEN step * (l * 700 + (c + 2) / 3 + 1)
		WHEN bias = 'exact' AND c % 3 = 0 AND c / 3 <= 699 THEN step * (l * 700 + c / 3 + 1)
	END
$$;

CREATE TABLE bmaps (id int PRIMARY KEY, m sourcemap);
INSERT INTO bmaps SELECT k, blocks_map(k) FROM generate_series(1, 6) k;
SELECT count(*) AS maps, min(pg_column_size(m)) > 4000 AS out_of_line,
	min((sourcemap_info(m)).segments) AS segments FROM bmaps;

CREATE TABLE probes AS
SELECT l, c, b FROM generate_series(0, 8) l, generate_series(0, 2110, 11) c,
	unnest(ARRAY['glb', 'lub', 'exact', 'glb_cross_line']) b;

-- cache off: every lookup decodes its block
SET sourcemap.cache_size = 0;
CREATE TABLE off_answers AS
SELECT id, l, c, b, sourcemap_lookup(m, l, c, b) AS r FROM bmaps, probes;
SELECT count(*) AS answers,
	count(*) FILTER (WHERE (r).line IS NOT DISTINCT FROM blocks_want(l, c, b)
		AND (r).source IS NOT DISTINCT FROM CASE WHEN (r).line IS NOT NULL THEN 'm' || id || '.js' END) AS right
FROM off_answers;
SELECT entries, bytes FROM sourcemap_cache_stats();

-- default cache: the same answers, every block kept
RESET sourcemap.cache_size;
SELECT count(*) AS answers,
	count(*) FILTER (WHERE sourcemap_lookup(m, l, c, b) IS NOT DISTINCT FROM r) AS same
FROM off_answers JOIN bmaps USING (id);
SELECT entries, bytes > 0 AS holds_blocks FROM sourcemap_cache_stats();
SELECT evictions AS ev0 FROM sourcemap_cache_stats() \gset

-- a cache smaller than the blocks of all six maps: blocks are evicted
-- (least recently used first) while the maps are looked up in turn
SET sourcemap.cache_size = '48kB';
SELECT count(*) AS answers,
	count(*) FILTER (WHERE sourcemap_lookup(m, l, c, b) IS NOT DISTINCT FROM r) AS same
FROM off_answers JOIN bmaps USING (id);
SELECT evictions > :ev0 AS evicted, bytes <= 48 * 1024 AS within_limit FROM sourcemap_cache_stats();

-- frames in random order over the maps, with the small cache
SELECT count(*) AS answers,
	count(*) FILTER (WHERE sourcemap_lookup(m, l, c, b) IS NOT DISTINCT FROM r) AS same
FROM (SELECT * FROM off_answers ORDER BY md5(id || ' ' || l || ' ' || c || b) LIMIT 4000) a
	JOIN bmaps USING (id);
SELECT bytes <= 48 * 1024 AS within_limit FROM sourcemap_cache_stats();
RESET sourcemap.cache_size;

-- a stored map replaced under the same key (row): the new content answers
SELECT (sourcemap_lookup(m, 3, 300)).line = blocks_want(3, 300, 'glb') AS old_right FROM bmaps WHERE id = 3;
UPDATE bmaps SET m = blocks_map(3, 2) WHERE id = 3;
SELECT count(*) AS answers,
	count(*) FILTER (WHERE (sourcemap_lookup(m, l, c, b)).line IS NOT DISTINCT FROM blocks_want(l, c, b, 2)) AS new_right
FROM bmaps, probes WHERE id = 3 AND c < 600;
-- deleted, then another value under the same key
SELECT (sourcemap_lookup(m, 5, 30)).source FROM bmaps WHERE id = 4;
DELETE FROM bmaps WHERE id = 4;
INSERT INTO bmaps VALUES (4, blocks_map(44));
SELECT (sourcemap_lookup(m, 5, 30)).source,
	(sourcemap_lookup(m, 5, 30)).line = blocks_want(5, 30, 'glb') AS right FROM bmaps WHERE id = 4;

-- damaged stored bytes never reach the cache: recv checks every byte
-- (22P03), a damaged compressed document is refused by the bytea cast
CREATE TABLE braw (b bytea);
CREATE TABLE bone (m sourcemap);
INSERT INTO braw SELECT set_byte(s, length(s) / 2, get_byte(s, length(s) / 2) # 1)
	FROM (SELECT sourcemap_send(m) AS s FROM bmaps WHERE id = 1) x;
INSERT INTO braw SELECT set_byte(s, length(s) - 3, get_byte(s, length(s) - 3) # 128)
	FROM (SELECT sourcemap_send(m) AS s FROM bmaps WHERE id = 2) x;
\copy (SELECT b FROM braw LIMIT 1) TO 'results/cache_blocks_bad1.bin' WITH (FORMAT binary)
\copy (SELECT b FROM braw OFFSET 1) TO 'results/cache_blocks_bad2.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy bone FROM 'results/cache_blocks_bad1.bin' WITH (FORMAT binary)
\copy bone FROM 'results/cache_blocks_bad2.bin' WITH (FORMAT binary)
SELECT ('\x1f8b0800000000000003' || repeat('ff', 40))::bytea::sourcemap;
SELECT substring(sourcemap_send(m) FROM 2 FOR 200)::sourcemap FROM bmaps WHERE id = 1;
\set VERBOSITY default
SELECT count(*) AS stored_damaged FROM bone;

DROP TABLE braw, bone, off_answers, probes, bmaps;
DROP FUNCTION blocks_want(int, int, text, int), blocks_map(int, int);
