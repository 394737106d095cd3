-- test/fdw/fdw.sql: run on the coordinator by run.sh (psql -a), with the
-- variables shard_port, password, and the connection strings shard and
-- coordinator.  Maps and frames are partitioned by project: project 'shop'
-- is a local partition, project 'blog' is a postgres_fdw foreign table on
-- shard2.  Every answer over the partitioned tables is compared with the same
-- query over plain local tables holding the same data (maps_ref, frames_ref).
\set ON_ERROR_STOP on
SET jit = off;
CREATE EXTENSION sourcemap;
CREATE EXTENSION postgres_fdw;

-- The remote server.  "extensions" lists the extensions whose functions and
-- operators may be sent to it: without it, nothing of sourcemap is pushed down.
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host '127.0.0.1', port :'shard_port', dbname 'artifacts',
	         extensions 'sourcemap', use_remote_estimate 'true');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2
	OPTIONS (user 'symbolicator', password :'password');

-- Reference: everything in plain local tables.
CREATE TABLE maps_ref (project text, url text, map sourcemap, PRIMARY KEY (project, url));
CREATE TABLE frames_ref (project text, event_id int, ord int, url text, lineno int, colno int, function text,
                         PRIMARY KEY (project, event_id, ord));
CREATE TEMP TABLE staging (path text, b64 text);
\copy staging FROM PROGRAM 'cd test/data && find corpus -name "*.map" | LC_ALL=C sort | while read -r f; do printf "%s\t" "$f"; base64 -w0 "$f"; echo; done'
INSERT INTO maps_ref
SELECT project, 'https://cdn.example.com/' || path, convert_from(decode(b64, 'base64'), 'UTF8')
  FROM staging JOIN (VALUES ('shop', 'corpus/toastr@2.1.4/toastr.js.map'),
                            ('shop', 'corpus/jquery@4.0.0/jquery.min.map'),
                            ('shop', 'corpus/@sentry/browser@11.12.0/globalhandlers.js.map'),
                            ('blog', 'corpus/toastr@2.1.4/toastr.js.map'),
                            ('blog', 'corpus/leaflet@1.9.4/leaflet.js.map'),
                            ('blog', 'corpus/synthetic/sourceroot-abs/jquery.min.map')) p(project, path) USING (path);
-- 250 events of 8 frames per project, at real generated positions of the
-- project's maps (1-based, as stack traces print them); one frame in 23 is
-- past the end of its script, and one event in 25 has a frame in a script
-- without a map.
CREATE TEMP TABLE tok AS
SELECT m.project, m.url, dense_rank() OVER (PARTITION BY m.project ORDER BY m.url) AS map_no,
       row_number() OVER (PARTITION BY m.project, m.url ORDER BY t.gen_line, t.gen_col) AS rn,
       t.gen_line, t.gen_col, t.name
  FROM maps_ref m, sourcemap_tokens(m.map) t;
CREATE TEMP TABLE tokn AS SELECT project, url, map_no, count(*) AS n FROM tok GROUP BY 1, 2, 3;
INSERT INTO frames_ref
SELECT k.project, e, o,
       CASE WHEN e % 25 = 0 AND o = 8 THEN 'https://' || k.project || '.example.com/app.js' ELSE k.url END,
       CASE WHEN (e + o) % 23 = 0 THEN t.gen_line + 1000 ELSE t.gen_line END + 1,
       t.gen_col + e % 3 + 1,
       coalesce(t.name, '<anonymous>')
  FROM (VALUES ('shop'), ('blog')) p(project)
 CROSS JOIN generate_series(1, 250) e
 CROSS JOIN generate_series(1, 8) o
  JOIN tokn k ON k.project = p.project AND k.map_no = 1 + (e + o) % 3
  JOIN tok t ON t.project = k.project AND t.url = k.url AND t.rn = 1 + ((e * 8 + o) * 7919) % k.n;
SELECT project, count(*) AS frames, count(DISTINCT event_id) AS events, count(DISTINCT url) AS scripts
  FROM frames_ref GROUP BY project ORDER BY project;

-- The partitioned tables: 'shop' here, 'blog' on shard2.
CREATE TABLE maps (project text, url text, map sourcemap) PARTITION BY LIST (project);
CREATE TABLE maps_shop PARTITION OF maps FOR VALUES IN ('shop');
CREATE FOREIGN TABLE maps_blog PARTITION OF maps FOR VALUES IN ('blog')
	SERVER shard2 OPTIONS (table_name 'maps');
CREATE TABLE frames (project text, event_id int, ord int, url text, lineno int, colno int, function text)
	PARTITION BY LIST (project);
CREATE TABLE frames_shop PARTITION OF frames FOR VALUES IN ('shop');
CREATE FOREIGN TABLE frames_blog PARTITION OF frames FOR VALUES IN ('blog')
	SERVER shard2 OPTIONS (table_name 'frames');
-- rows of project 'blog' travel to shard2 (a map as its canonical JSON)
INSERT INTO maps SELECT * FROM maps_ref;
INSERT INTO frames SELECT * FROM frames_ref;
SELECT tableoid::regclass AS partition, count(*) FROM maps GROUP BY 1 ORDER BY 1;
SELECT tableoid::regclass AS partition, count(*) FROM frames GROUP BY 1 ORDER BY 1;
ANALYZE maps_ref, frames_ref, maps_shop, frames_shop, maps_blog, frames_blog;

-- Compare a query with its reference: both ways, as multisets.
CREATE FUNCTION compare(name text, query text, reference text,
                        OUT "check" text, OUT rows bigint, OUT result text)
LANGUAGE plpgsql AS $$
DECLARE
	extra bigint;
	missing bigint;
BEGIN
	"check" := name;
	EXECUTE format('SELECT count(*) FROM (%s) q', query) INTO rows;
	EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) d', query, reference) INTO extra;
	EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) d', reference, query) INTO missing;
	result := CASE WHEN rows > 0 AND extra = 0 AND missing = 0 THEN 'ok'
	               ELSE format('FAIL (%s extra, %s missing)', extra, missing) END;
END
$$;

-- On shard2 itself: the maps are stored there byte for byte as here, and
-- the remote tables get their own statistics (use_remote_estimate asks it).
SELECT md5(string_agg(url || ':' || md5(sourcemap_send(map)), ',' ORDER BY url)) AS blog_maps
  FROM maps_ref WHERE project = 'blog' \gset coordinator_
\connect :shard
ANALYZE maps, frames;
SELECT md5(string_agg(url || ':' || md5(sourcemap_send(map)), ',' ORDER BY url)) AS blog_maps
  FROM maps \gset shard_
\connect :coordinator
SET jit = off;
SELECT 'maps stored on shard2 = maps here, byte for byte' AS "check",
       CASE WHEN :'shard_blog_maps' = :'coordinator_blog_maps' THEN 'ok' ELSE 'FAIL' END AS result;

-- Per-partition joins and aggregates, so that each foreign partition's share
-- can go to its server whole.
SET enable_partitionwise_join = on;
SET enable_partitionwise_aggregate = on;

-- 1. Symbolication coverage per script: the join, the lookups and the counting
--    of project 'blog' run on shard2 ("Aggregate on ... Remote SQL" with
--    public.sourcemap_lookup); only one row per script comes back.
\set coverage 'SELECT f.project, f.url, count(*) AS frames, count(*) FILTER (WHERE sourcemap_lookup(m.map, f.lineno - 1, f.colno - 1) IS NULL) AS unresolved FROM frames f JOIN maps m ON m.project = f.project AND m.url = f.url GROUP BY f.project, f.url'
EXPLAIN (VERBOSE, COSTS OFF) :coverage;
SELECT * FROM compare('coverage', :'coverage',
	replace(replace(:'coverage', 'frames f', 'frames_ref f'), 'maps m', 'maps_ref m'));
:coverage ORDER BY 1, 2;

-- 2. The frames that no map resolves: the lookup is in the pushed-down join
--    condition, and only frame keys come back.
\set unresolved 'SELECT f.project, f.event_id, f.ord FROM frames f JOIN maps m ON m.project = f.project AND m.url = f.url WHERE sourcemap_lookup(m.map, f.lineno - 1, f.colno - 1) IS NULL'
EXPLAIN (VERBOSE, COSTS OFF) :unresolved;
SELECT * FROM compare('unresolved frames', :'unresolved',
	replace(replace(:'unresolved', 'frames f', 'frames_ref f'), 'maps m', 'maps_ref m'));

-- 3. Whole resolved stack traces.  postgres_fdw sends a scan's output columns,
--    not expressions over them, so the per-frame lookup of a foreign partition
--    would run here, on maps fetched from shard2.  To resolve where the maps
--    are, each shard has a view (test/fdw/shard.sql), and the coordinator
--    puts the local query and the remote view together.
CREATE FOREIGN TABLE resolved_frames_blog (project text, event_id int, ord int, url text, lineno int,
	colno int, function text, source text, orig_lineno int, orig_colno int, name text)
	SERVER shard2 OPTIONS (table_name 'resolved_frames');
CREATE VIEW resolved_frames AS
SELECT f.project, f.event_id, f.ord, f.url, f.lineno, f.colno, f.function,
       p.source, p.line + 1 AS orig_lineno, p.col + 1 AS orig_colno, p.name
  FROM frames_shop f
  LEFT JOIN maps_shop m ON m.project = f.project AND m.url = f.url
  LEFT JOIN LATERAL sourcemap_lookup(m.map, f.lineno - 1, f.colno - 1) p ON true
UNION ALL
SELECT * FROM resolved_frames_blog;
\set stack 'SELECT * FROM resolved_frames WHERE project = \'blog\' AND event_id = 42 ORDER BY ord'
EXPLAIN (VERBOSE, COSTS OFF) :stack;
:stack;
\set reference 'SELECT f.project, f.event_id, f.ord, f.url, f.lineno, f.colno, f.function, p.source, p.line + 1 AS orig_lineno, p.col + 1 AS orig_colno, p.name FROM frames_ref f LEFT JOIN maps_ref m ON m.project = f.project AND m.url = f.url LEFT JOIN LATERAL sourcemap_lookup(m.map, f.lineno - 1, f.colno - 1) p ON true'
SELECT * FROM compare('resolved frames (view on shard2 + local partition)',
	'SELECT * FROM resolved_frames', :'reference');
-- on shard2, that view is the lookup itself
\connect :shard
EXPLAIN (VERBOSE, COSTS OFF)
SELECT project, event_id, ord, url, lineno, colno, function, source, orig_lineno, orig_colno, name
  FROM public.resolved_frames WHERE ((project = 'blog')) AND ((event_id = 42));
\connect :coordinator
SET jit = off;
SET enable_partitionwise_join = on;
SET enable_partitionwise_aggregate = on;

-- 4. Hot spots of project 'blog': frames per original function, counted on
--    shard2 over its view; one row per function comes back.
\set hotspots 'SELECT source, name, count(*) AS frames FROM resolved_frames_blog GROUP BY source, name'
EXPLAIN (VERBOSE, COSTS OFF) :hotspots;
SELECT * FROM compare('hot spots', :'hotspots',
	'SELECT source, name, count(*) AS frames FROM (' || :'reference' || ') r WHERE project = ''blog'' GROUP BY source, name');
:hotspots ORDER BY frames DESC, source, name LIMIT 5;

-- 5. The same per-frame query over the partitioned tables is right too (the
--    lookup runs here, on the maps fetched from shard2).
\set perframe 'SELECT f.project, f.event_id, f.ord, f.url, f.lineno, f.colno, f.function, p.source, p.line + 1 AS orig_lineno, p.col + 1 AS orig_colno, p.name FROM frames f LEFT JOIN maps m ON m.project = f.project AND m.url = f.url LEFT JOIN LATERAL sourcemap_lookup(m.map, f.lineno - 1, f.colno - 1) p ON true'
SELECT * FROM compare('resolved frames (partitioned tables)', :'perframe', :'reference');

-- 6. Without the extensions option nothing of sourcemap is shipped: the
--    coverage query then fetches the maps and counts here.
ALTER SERVER shard2 OPTIONS (DROP extensions);
EXPLAIN (VERBOSE, COSTS OFF) :coverage;
SELECT * FROM compare('coverage without pushdown', :'coverage',
	replace(replace(:'coverage', 'frames f', 'frames_ref f'), 'maps m', 'maps_ref m'));
ALTER SERVER shard2 OPTIONS (ADD extensions 'sourcemap');
