-- test/citus/setup.sql: run on the coordinator by run.sh before the page's
-- first block.  Registers the nodes, creates sourcemap at its oldest version
-- (the page's last block updates it), and the test's own objects in schema
-- t: the results table every check writes to, the page's blocks, helpers.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT citus_set_coordinator_host('127.0.0.1', :coordinator_port);
SELECT citus_add_node('127.0.0.1', :worker1_port);
SELECT citus_add_node('127.0.0.1', :worker2_port);
CREATE EXTENSION sourcemap VERSION '0.1.0';

-- The test's own objects stay on the coordinator: Citus propagates nothing
-- of them to the workers.
SET citus.enable_ddl_propagation = off;
SET check_function_bodies = off;   -- t.node_of refers to a table of the first block
CREATE SCHEMA t;
CREATE TABLE t.results (n serial, name text, ok boolean, detail text);
CREATE TABLE t.page (n int PRIMARY KEY, sql text);
INSERT INTO t.page SELECT n, pg_read_file(format('%s/block%s.sql', :'work', n))
  FROM generate_series(1, :blocks) n;

-- check(NAME, OK, DETAIL): record one check; the row is shown too.
CREATE FUNCTION t.check(name text, ok boolean, detail text DEFAULT '')
RETURNS text LANGUAGE sql AS $$
	INSERT INTO t.results (name, ok, detail) VALUES ($1, coalesce($2, false), $3)
	RETURNING format('%s | %s%s', name, CASE WHEN ok THEN 'ok' ELSE 'FAIL' END,
	                 CASE WHEN detail <> '' THEN ' (' || detail || ')' ELSE '' END)
$$;

-- A statement of the page made to run on the single-node copy (schema
-- single): the same text with the page's tables and function renamed.
CREATE FUNCTION t.single(sql text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace($1, 'public\.(artifacts|frames|resolved_frames|symbolicate)\M', 'single.\1', 'g')
$$;

-- The page's backlog statement (block 3) without its final semicolon.
CREATE FUNCTION t.backlog() RETURNS text LANGUAGE sql STABLE AS $$
	SELECT regexp_replace(sql, ';\s*$', '') FROM t.page WHERE n = 3
$$;

-- The plan of a statement (EXPLAIN ... FORMAT JSON).
CREATE FUNCTION t.explain(statement text) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE statement INTO plan;
	RETURN plan;
END
$$;

-- Which worker holds a project's shard, as "port".
CREATE FUNCTION t.node_of(project bigint) RETURNS int LANGUAGE sql STABLE AS $$
	SELECT nodeport FROM pg_dist_shard_placement
	 WHERE shardid = get_shard_id_for_distribution_column('public.artifacts', project)
$$;
