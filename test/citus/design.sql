-- test/citus/design.sql: after the page's block 4 (maps keyed by debug id).
-- Each artifact gets the debug id its uploader would give it (the corpus
-- maps carry none), the maps are stored that way too, and for every event
-- the test counts the shards resolving it touches in each design: by
-- project, the shard of its project; by debug id, the shards of the debug
-- ids of its frames.  EXPLAIN confirms the count for the sampled events.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET citus.enable_ddl_propagation = off;

CREATE FUNCTION t.debug_id(project_id bigint, release text, url text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$ SELECT md5(project_id || '/' || release || '/' || url)::uuid $$;

INSERT INTO public.artifacts_by_debug_id (debug_id, map)
SELECT t.debug_id(project_id, release, url), map FROM single.artifacts;

-- Per event: the shards it touches in each design (frames with a map only).
CREATE TABLE t.event_shards AS
SELECT f.project_id, f.event_id,
       count(DISTINCT get_shard_id_for_distribution_column('public.frames', f.project_id)) AS by_project,
       count(DISTINCT get_shard_id_for_distribution_column('public.artifacts_by_debug_id',
                                                           t.debug_id(f.project_id, f.release, f.url))) AS by_debug_id,
       array_agg(DISTINCT t.debug_id(f.project_id, f.release, f.url)) AS debug_ids,
       count(DISTINCT f.url) AS scripts
  FROM single.frames f
  JOIN single.artifacts a USING (project_id, release, url)
 GROUP BY 1, 2;

-- The planner agrees: one task per shard counted.
SELECT t.check('design: EXPLAIN task counts = shards counted, both designs, sampled events',
               bool_and(k.by_project = 1 AND k.by_debug_id = (
                   SELECT (t.explain(format(
                       'EXPLAIN (FORMAT JSON) SELECT debug_id, map FROM public.artifacts_by_debug_id WHERE debug_id = ANY (%L::uuid[])',
                       k.debug_ids))->0->'Plan'->'Distributed Query'->'Job'->>'Task Count')::int)),
               format('%s events', count(*)))
  FROM t.event_shards k JOIN t.sample USING (project_id, event_id);
