-- test/citus/backlog.sql: after the page's backlog statement ran (block 3)
-- and the same statement ran on the single-node copy.  Checks that it wrote
-- on every shard and shows its plan: tasks per worker and rows per task
-- (EXPLAIN ANALYZE of the same statement, rolled back).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT t.check('backlog: rows written on every shard of public.resolved_frames',
               count(*) = (SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'public.resolved_frames'::regclass)
               AND bool_and(success AND result::bigint > 0),
               format('%s shards, %s to %s rows each', count(*), min(result::bigint), max(result::bigint)))
  FROM run_command_on_shards('public.resolved_frames', 'SELECT count(*) FROM %s');

SELECT * FROM t.verify('backlog');

-- The plan as run (EXPLAIN ANALYZE writes the same rows again): one task
-- per shard, each on the worker holding it.
TRUNCATE public.resolved_frames;
SET citus.explain_all_tasks = on;
SET citus.enable_ddl_propagation = off;
CREATE TABLE t.backlog_plan AS
SELECT substring(task->>'Node' FROM 'port=(\d+)')::int AS port,
       (task->'Remote Plan'->0->0->'Plan'->'Plans'->0->>'Actual Rows')::bigint AS rows
  FROM json_array_elements(t.explain('EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || t.backlog())
                           ->0->'Plan'->'Distributed Query'->'Job'->'Tasks') task;
RESET citus.explain_all_tasks;
SELECT t.check('backlog: one task per shard, on both workers, every task resolving frames',
               count(*) = (SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'public.resolved_frames'::regclass)
               AND count(DISTINCT port) = 2 AND bool_and(rows > 0)
               AND sum(rows) = (SELECT count(*) FROM single.resolved_frames),
               format('%s tasks, %s rows', count(*), sum(rows)))
  FROM t.backlog_plan;
