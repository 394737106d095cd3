-- test/citus/route.sql: one event is one shard.  The one-event query of the
-- page's function, and the function itself, are planned as one task on the
-- worker holding the event's project (EXPLAIN, for a sample of events).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET citus.explain_all_tasks = on;   -- every task in the plans, not one of them

-- The task list of a plan: (node port, query) per task.
CREATE FUNCTION t.tasks(query text, OUT port int, OUT task_query text) RETURNS SETOF record
LANGUAGE sql AS $$
	SELECT substring(task->>'Node' FROM 'port=(\d+)')::int, task->>'Query'
	  FROM json_array_elements(t.explain('EXPLAIN (VERBOSE, FORMAT JSON) ' || query)
	                           ->0->'Plan'->'Distributed Query'->'Job'->'Tasks') task
$$;

-- The page's one-event query (the function's body) with constants.
CREATE FUNCTION t.event_query(p bigint, e bigint) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT replace(replace((regexp_match(sql, 'RETURN \((.*)\);\s*END', ''))[1],
	                       'p_project_id', p::text), 'p_event_id', e::text)
	  FROM t.page WHERE n = 2
$$;

WITH s AS (
	SELECT s.project_id, s.event_id, array_agg(k.port) AS ports
	  FROM t.sample s, t.tasks(t.event_query(s.project_id, s.event_id)) k
	 GROUP BY 1, 2)
SELECT t.check('router: one-event query is one task on the worker holding its project',
               count(*) = (SELECT count(*) FROM t.sample)
               AND bool_and(ports = ARRAY[t.node_of(project_id)]),
               format('%s events, %s routed to one task on the right worker', count(*),
                      count(*) FILTER (WHERE ports = ARRAY[t.node_of(project_id)])))
  FROM s;

-- A call is delegated only as a statement of its own, not from PL/pgSQL:
-- EXPLAIN each call at the top level, into a file read back as JSON.
\set plans :work '/delegation.json'
\pset format unaligned
\pset tuples_only on
\o :plans
SELECT format('EXPLAIN (VERBOSE, FORMAT JSON) SELECT public.symbolicate(%s, %s)', project_id, event_id)
  FROM t.sample \gexec
\o
\pset format aligned
\pset tuples_only off
WITH plans AS (
	SELECT json_array_elements(('[' || regexp_replace(trim(pg_read_file(:'plans')), '\n\]\n\[', E'\n],\n[', 'g') || ']')::json) AS plan),
tasks AS (
	SELECT (SELECT count(*) FROM json_array_elements(plan->0->'Plan'->'Distributed Query'->'Job'->'Tasks')) AS ntasks,
	       substring(plan->0->'Plan'->'Distributed Query'->'Job'->'Tasks'->0->>'Node' FROM 'port=(\d+)')::int AS port,
	       regexp_match(plan->0->'Plan'->'Distributed Query'->'Job'->'Tasks'->0->>'Query',
	                    '^SELECT public\.symbolicate\(''(\d+)''::bigint, ''(\d+)''::bigint\)') AS args
	  FROM plans)
SELECT t.check('delegation: SELECT public.symbolicate(p, e) is the call itself, sent to the worker holding p',
               count(*) = (SELECT count(*) FROM t.sample)
               AND bool_and(ntasks = 1 AND port = t.node_of(args[1]::bigint)),
               format('%s calls, %s delegated to the right worker', count(*),
                      count(*) FILTER (WHERE ntasks = 1 AND port = t.node_of(args[1]::bigint))))
  FROM tasks;
