-- test/citus/move.sql: the shard of project 42 (all three tables, being
-- co-located) moves to the other worker; its maps arrive byte for byte, the
-- page's function follows it, and every answer stays the same.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT get_shard_id_for_distribution_column('public.artifacts', 42) AS shard, t.node_of(42) AS source,
       (SELECT nodeport FROM pg_dist_node WHERE noderole = 'primary' AND shouldhaveshards
           AND nodeport <> t.node_of(42) ORDER BY nodeport LIMIT 1) AS target \gset
SELECT citus_move_shard_placement(:shard, '127.0.0.1', :source, '127.0.0.1', :target);
SELECT t.check('move: shard of project 42 moved from worker :' || :source || ' to :' || :target,
               t.node_of(42) = :target
               AND (SELECT count(*) FROM pg_dist_shard_placement
                     WHERE nodeport = :target
                       AND shardid IN (get_shard_id_for_distribution_column('public.artifacts', 42),
                                       get_shard_id_for_distribution_column('public.frames', 42),
                                       get_shard_id_for_distribution_column('public.resolved_frames', 42))) = 3,
               'artifacts, frames and resolved_frames together');
\set plans :work '/moved.json'
\pset format unaligned
\pset tuples_only on
\o :plans
EXPLAIN (VERBOSE, FORMAT JSON) SELECT public.symbolicate(42, 1001);
\o
\pset format aligned
\pset tuples_only off
SELECT t.check('move: SELECT public.symbolicate(42, 1001) now delegated to worker :' || :target,
               substring(pg_read_file(:'plans')::json->0->'Plan'->'Distributed Query'->'Job'->'Tasks'->0->>'Node'
                         FROM 'port=(\d+)')::int = :target);
