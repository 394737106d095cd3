-- test/citus/verify.sql: run on the coordinator by run.sh after the page's
-- function block.  The single-node copy of the page's function, and the
-- comparisons each later step repeats (t.verify), all against schema single.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET citus.enable_ddl_propagation = off;

-- single.symbolicate: the page's CREATE FUNCTION over the local tables.
DO $$
BEGIN
	EXECUTE t.single((SELECT (regexp_match(sql, 'CREATE FUNCTION.*?\$\$.*?\$\$;'))[1] FROM t.page WHERE n = 2));
END
$$;

-- The events whose symbolicate() answers are compared: three per project.
CREATE TABLE t.sample AS
SELECT DISTINCT project_id, event_id FROM single.frames WHERE event_id % 40 = 1;

-- One line per map of a shard: key and md5 of its binary form.  Equal
-- digests of these lines mean the same keys with the same bytes.
CREATE FUNCTION t.maps_digest_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT 'SELECT coalesce(md5(string_agg(project_id || '' '' || release || '' '' || url || '' '' || '
	       'md5(public.sourcemap_send(map)), '','' ORDER BY project_id, release COLLATE "C", url COLLATE "C")), '''') FROM %s'
$$;

-- Every placement of public.artifacts holds exactly the maps of the
-- single-node copy that hash to its shard, byte for byte.
CREATE FUNCTION t.maps_identical(label text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	placements int;
	wrong int;
	nodes int;
BEGIN
	CREATE TEMP TABLE expected ON COMMIT DROP AS
	SELECT get_shard_id_for_distribution_column('public.artifacts', project_id) AS shardid, *
	  FROM single.artifacts;
	SELECT count(*), count(*) FILTER (WHERE p.result IS DISTINCT FROM e.digest), count(DISTINCT p.nodeport)
	  INTO placements, wrong, nodes
	  FROM run_command_on_placements('public.artifacts', t.maps_digest_sql()) p
	  LEFT JOIN LATERAL (SELECT coalesce(md5(string_agg(x.project_id || ' ' || x.release || ' ' || x.url || ' ' ||
	                                       md5(sourcemap_send(x.map)), ','
	                                       ORDER BY x.project_id, x.release COLLATE "C", x.url COLLATE "C")), '') AS digest
	                       FROM expected x WHERE x.shardid = p.shardid) e ON true
	 WHERE p.success;
	DROP TABLE expected;
	RETURN NEXT t.check(label || ': maps on every node byte-identical to the single-node copy (sourcemap_send)',
		placements = (SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'public.artifacts'::regclass)
		AND wrong = 0 AND nodes >= 2,
		format('%s placements on %s nodes, %s differ', placements, nodes, wrong));
END
$$;

-- The backlog's answer (public.resolved_frames, filled by the page's
-- statement just before) equals the single-node answer, and symbolicate()
-- gives the single-node answer for every sampled event.
CREATE FUNCTION t.verify(label text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
	extra bigint;
	missing bigint;
	differ bigint;
	empty bigint;
BEGIN
	CREATE TEMP TABLE got ON COMMIT DROP AS SELECT * FROM public.resolved_frames;
	SELECT count(*) INTO n FROM got;
	SELECT count(*) INTO extra FROM (SELECT * FROM got EXCEPT ALL SELECT * FROM single.resolved_frames) d;
	SELECT count(*) INTO missing FROM (SELECT * FROM single.resolved_frames EXCEPT ALL SELECT * FROM got) d;
	DROP TABLE got;
	RETURN NEXT t.check(label || ': backlog answer = single-node answer',
		n > 0 AND extra = 0 AND missing = 0,
		format('%s frames, %s extra, %s missing', n, extra, missing));
	SELECT count(*) FILTER (WHERE public.symbolicate(s.project_id, s.event_id)
	                              IS DISTINCT FROM single.symbolicate(s.project_id, s.event_id)),
	       count(*) FILTER (WHERE single.symbolicate(s.project_id, s.event_id) IS NULL)
	  INTO differ, empty FROM t.sample s;
	RETURN NEXT t.check(label || ': symbolicate() = single-node answer',
		differ = 0 AND empty = 0 AND (SELECT count(*) FROM t.sample) > 0,
		format('%s events, %s differ', (SELECT count(*) FROM t.sample), differ));
	RETURN QUERY SELECT t.maps_identical(label);
END
$$;
