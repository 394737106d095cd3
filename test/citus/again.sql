-- test/citus/again.sql: the page's backlog statement (block 3, the file
-- :block3) once more over an emptied table, and every answer compared with
-- the single-node copy; :label names the step in the results.
\set ON_ERROR_STOP on
TRUNCATE public.resolved_frames;
\i :block3
SELECT * FROM t.verify(:'label');
