-- parallel: a re-symbolication query over a large frames table runs in
-- parallel workers and gives the same answers as the serial plan; the
-- planning costs of the functions; sourcemap_summary.
SET jit = off;

-- Every function may run in a parallel worker, except the one that reports
-- this backend's own cache.
SELECT p.oid::regprocedure AS function, p.proparallel
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
 WHERE e.extname = 'sourcemap' AND d.deptype = 'e' AND p.proparallel <> 's'
 ORDER BY p.oid::regprocedure::text COLLATE "C";

-- Costs, in units of cpu_operator_cost (the step script has the measurements).
SELECT p.oid::regprocedure AS function, p.procost, p.prorows
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
  JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
 WHERE e.extname = 'sourcemap' AND d.deptype = 'e' AND p.procost > 1
 ORDER BY p.oid::regprocedure::text COLLATE "C";

-- cheap quals are checked before expensive ones
CREATE TABLE docs (id int, doc text);
EXPLAIN (COSTS OFF) SELECT id FROM docs WHERE sourcemap_is_valid(doc) AND length(doc) < 100000;
DROP TABLE docs;

-- The maps: every vendored real map.
CREATE TABLE pmaps (id int PRIMARY KEY, path text UNIQUE, map sourcemap);
CREATE TEMP TABLE staging (path text, b64 text);
\copy staging FROM PROGRAM 'cd test/data && for f in corpus/*/*.map corpus/*/*/*.map; do printf "%s\t" "$f"; base64 -w0 "$f"; echo; done'
INSERT INTO pmaps
SELECT row_number() OVER (ORDER BY path COLLATE "C"), path, convert_from(decode(b64, 'base64'), 'UTF8')
  FROM staging;
DROP TABLE staging;

-- sourcemap_summary: one short line per map, however large the map (the
-- stored size depends on the stored format, so it is checked, not shown)
SELECT path, regexp_replace(sourcemap_summary(map), ' size=.*$', '') AS summary,
       sourcemap_summary(map) LIKE '% size=' || pg_size_pretty(stored_bytes::bigint) AS size_ok
  FROM pmaps, sourcemap_info(map) ORDER BY id;
SELECT regexp_replace(sourcemap_summary('{"version":3,"file":"a \"quoted\"\\name\n","sources":[],"mappings":"","debugId":"85314830-023f-4cf1-a267-535f4e37bb17"}'), ' size=[0-9]+ bytes$', '') AS summary;
SELECT regexp_replace(sourcemap_summary(('{"version":3,"file":"' || repeat('x', 5000) || '","sources":["s.js"],"names":["n"],"mappings":"AAAAA"}')::sourcemap), ' size=[0-9]+ (bytes|kB)$', '') AS summary;
SELECT sourcemap_summary(NULL);

-- The frames: 200,000 generated positions taken from the maps' own segments
-- (shifted by 0-2 columns), one in 50 past the end of the map, with every
-- bias in turn.
CREATE TABLE pframes AS
  WITH t AS (SELECT m.id AS map_id, t.gen_line, t.gen_col,
                    row_number() OVER (PARTITION BY m.id ORDER BY t.gen_line, t.gen_col) AS rn
               FROM pmaps m, sourcemap_tokens(m.map) t),
       n AS (SELECT map_id, count(*) AS n FROM t GROUP BY map_id),
       g AS (SELECT g, 1 + g % 5 AS map_id FROM generate_series(1, 200000) g)
  SELECT g.g AS id, g.map_id,
         CASE WHEN g.g % 50 = 0 THEN t.gen_line + 100000 ELSE t.gen_line END AS line,
         t.gen_col + g.g % 3 AS col,
         (ARRAY['glb', 'lub', 'exact', 'glb_cross_line'])[1 + g.g % 4] AS bias
    FROM g JOIN n USING (map_id)
    JOIN t ON t.map_id = g.map_id AND t.rn = 1 + (g.g::bigint * 7919) % n.n;
ANALYZE pmaps, pframes;

-- the planner charges each lookup COST x cpu_operator_cost = 100 x 0.0025
CREATE FUNCTION plan_cost(query text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
	RETURN (plan->0->'Plan'->>'Total Cost')::float8;
END
$$;
SELECT round(((plan_cost('SELECT sourcemap_lookup(map, 0, 0) FROM pmaps')
               - plan_cost('SELECT map FROM pmaps')) / count(*))::numeric, 4) AS cost_per_lookup
  FROM pmaps;
SELECT count(*) AS frames, count(DISTINCT map_id) AS maps, count(DISTINCT bias) AS biases FROM pframes;

-- The query: every frame resolved, folded into a count and a digest of the
-- rows in frame order (the lookups run below the aggregate).
\set resymbolicate 'SELECT count(*) AS frames, count(p.line) AS resolved, md5(string_agg(concat_ws(\':\', f.id, p.source, p.line, p.col, p.name, p.ignored), \',\' ORDER BY f.id)) AS digest FROM pframes f JOIN pmaps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, f.line, f.col, f.bias) p'

-- What EXPLAIN ANALYZE says about a query: the workers launched by its
-- Gather nodes, and how many lookups were made in all and in the workers.
CREATE FUNCTION plan_nodes(plan jsonb) RETURNS SETOF jsonb LANGUAGE sql AS $$
	WITH RECURSIVE n(node) AS (
		SELECT plan
		UNION ALL
		SELECT c FROM n, jsonb_array_elements(n.node->'Plans') c)
	SELECT node FROM n
$$;
CREATE FUNCTION parallel_facts(query text,
	OUT workers_launched int, OUT lookups int, OUT lookups_in_workers int)
LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, VERBOSE, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	plan := plan->0->'Plan';
	SELECT sum((n->>'Workers Launched')::int) INTO workers_launched
	  FROM plan_nodes(plan) n WHERE n->>'Node Type' = 'Gather';
	SELECT sum((n->>'Actual Loops')::int) INTO lookups
	  FROM plan_nodes(plan) n WHERE n->>'Function Name' = 'sourcemap_lookup';
	SELECT coalesce(sum((w->>'Actual Loops')::int), 0) INTO lookups_in_workers
	  FROM plan_nodes(plan) n, jsonb_array_elements(n->'Workers') w
	 WHERE n->>'Function Name' = 'sourcemap_lookup';
END
$$;
-- 1. Serial plan: the reference answers.
SET max_parallel_workers_per_gather = 0;
EXPLAIN (VERBOSE, COSTS OFF) :resymbolicate;
:resymbolicate \gset serial_

-- 2. The whole plan in a parallel worker (debug_parallel_query on PostgreSQL
--    16 and later, force_parallel_mode before): allowed only because every
--    function in it is PARALLEL SAFE.
--    parallel_setup_cost keeps the planner from choosing a partial plan of
--    its own, so the serial plan runs whole under a single-copy Gather.
RESET max_parallel_workers_per_gather;
SET parallel_setup_cost = 1e9;
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END,
                  'on', false) AS forced;
EXPLAIN (VERBOSE, COSTS OFF) :resymbolicate;
:resymbolicate \gset forced_
SELECT :serial_frames AS frames, :serial_resolved AS resolved,
       :'forced_digest' = :'serial_digest' AND :forced_frames = :serial_frames
         AND :forced_resolved = :serial_resolved AS same_as_serial;
-- the one worker made every lookup
SELECT workers_launched, lookups, lookups_in_workers = lookups AS all_in_worker
  FROM parallel_facts(:'resymbolicate');
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END,
                  'off', false) AS forced;
RESET parallel_setup_cost;

-- 3. A real parallel plan: Gather over a Parallel Seq Scan of the frames,
--    with the lookups evaluated below the Gather, in the workers.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (VERBOSE, COSTS OFF) :resymbolicate;
:resymbolicate \gset parallel_
SELECT :'parallel_digest' = :'serial_digest' AND :parallel_frames = :serial_frames
         AND :parallel_resolved = :serial_resolved AS same_as_serial;

-- the workers really ran and made lookups
SELECT workers_launched >= 1 AS workers_launched, lookups,
       lookups_in_workers > 0 AS lookups_in_workers
  FROM parallel_facts(:'resymbolicate');

RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP FUNCTION parallel_facts(text), plan_nodes(jsonb), plan_cost(text);
DROP TABLE pframes, pmaps;
