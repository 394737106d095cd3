-- test/citus/report.sql: what run.sh prints at the end, from the last state
-- of the cluster and what the checks kept: the plans of the delegated
-- function and of the backlog, the backlog's tasks per worker and rows per
-- task (as it ran on two workers), and the shards one event touches when
-- distributing by project or by debug id.
\set ON_ERROR_STOP on
\pset footer off
\echo '-- the page''s function, delegated'
SELECT t.node_of(42) AS "worker holding project 42";
EXPLAIN (VERBOSE, COSTS OFF) SELECT public.symbolicate(42, 1001);
\echo '-- the page''s backlog statement'
SELECT 'EXPLAIN (COSTS OFF) ' || t.backlog() \gexec
\echo '-- the backlog as it ran on two workers (EXPLAIN ANALYZE, every task)'
SELECT port AS worker, count(*) AS tasks, sum(rows) AS frames, min(rows) AS min_per_task,
       round(avg(rows)) AS avg_per_task, max(rows) AS max_per_task
  FROM t.backlog_plan GROUP BY port ORDER BY port;
\echo '-- one event: shards its resolution touches, by design (all events)'
SELECT 'by project' AS distributed_by, count(*) AS events,
       round(100.0 * count(*) FILTER (WHERE by_project = 1) / count(*), 1) AS pct_one_shard,
       round(avg(by_project), 2) AS avg_shards
  FROM t.event_shards
UNION ALL
SELECT 'by debug id', count(*), round(100.0 * count(*) FILTER (WHERE by_debug_id = 1) / count(*), 1),
       round(avg(by_debug_id), 2)
  FROM t.event_shards;
SELECT scripts AS scripts_with_maps, count(*) AS events,
       round(100.0 * count(*) FILTER (WHERE by_debug_id = 1) / count(*), 1) AS pct_one_shard_by_debug_id
  FROM t.event_shards GROUP BY 1 ORDER BY 1;
