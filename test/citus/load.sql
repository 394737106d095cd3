-- test/citus/load.sql: run on the coordinator by run.sh after the page's
-- schema block.  Builds the single-node copy (schema single: plain local
-- tables like the page's) from real maps, with frames at real generated
-- positions, and writes the maps out for run.sh to COPY through the
-- coordinator (odd projects as text, even ones in binary).  The frames go to
-- the distributed table with INSERT ... SELECT.
-- Variables: work (folder with maps.tsv: path, tab, base64 of the map),
-- projects, events (per project, numbered from 1001).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

SET citus.enable_ddl_propagation = off;
CREATE SCHEMA single;
CREATE TABLE single.artifacts (LIKE public.artifacts INCLUDING ALL);
CREATE TABLE single.frames (LIKE public.frames INCLUDING ALL);
CREATE TABLE single.resolved_frames (LIKE public.resolved_frames INCLUDING ALL);
CREATE TABLE t.map_files (path text PRIMARY KEY, b64 text);
RESET citus.enable_ddl_propagation;

\set maps_tsv :work '/maps.tsv'
COPY t.map_files FROM :'maps_tsv';
CREATE TABLE t.maps AS
SELECT (row_number() OVER (ORDER BY path) - 1)::int AS i, path,
       convert_from(decode(b64, 'base64'), 'UTF8')::sourcemap AS map
  FROM t.map_files;
SELECT count(*) AS nmaps FROM t.maps \gset

-- Project p has 4 scripts, each with a map: maps (p + j) mod nmaps.
INSERT INTO single.artifacts (project_id, release, url, map)
SELECT p, 'r' || p % 5, 'https://cdn.example.com/' || m.path, m.map
  FROM generate_series(1, :projects) p
 CROSS JOIN generate_series(0, 3) j
  JOIN t.maps m ON m.i = (p + j) % :nmaps;

-- Every mapped position of every map, numbered.
CREATE TABLE t.tok AS
SELECT m.i, row_number() OVER (PARTITION BY m.i ORDER BY k.gen_line, k.gen_col) AS rn,
       k.gen_line, k.gen_col, k.name
  FROM t.maps m, sourcemap_tokens(m.map) k;
CREATE TABLE t.tokn AS SELECT i, count(*) AS n FROM t.tok GROUP BY i;
CREATE INDEX ON t.tok (i, rn);

-- Events of 8 frames.  Event e's frames come from 1 + e mod 3 of its
-- project's scripts; a frame sits at (or 0-2 columns after) a real mapped
-- position.  One frame in 23 is past the end of its script (no answer), and
-- in one event in 25 the outermost frame is in a script without a map.
INSERT INTO single.frames
SELECT p, e, o, 'r' || p % 5,
       CASE WHEN e % 25 = 0 AND o = 8 THEN 'https://p' || p || '.example.com/app.js'
            ELSE 'https://cdn.example.com/' || m.path END,
       k.gen_line + 1 + CASE WHEN (e + o) % 23 = 0 THEN 100000 ELSE 0 END,
       k.gen_col + 1 + e % 3,
       coalesce(k.name, '<anonymous>')
  FROM generate_series(1, :projects) p
 CROSS JOIN generate_series(1001, 1000 + :events) e
 CROSS JOIN generate_series(1, 8) o
 CROSS JOIN LATERAL (SELECT (p + (e + (o - 1) % (1 + e % 3)) % 4) % :nmaps AS i) s
  JOIN t.maps m ON m.i = s.i
  JOIN t.tokn n ON n.i = s.i
  JOIN t.tok k ON k.i = s.i AND k.rn = 1 + (p * 7919 + e * 104729 + o * 31) % n.n;

\set artifacts_txt :work '/artifacts.txt'
\set artifacts_bin :work '/artifacts.bin'
COPY (SELECT project_id, release, url, map FROM single.artifacts WHERE project_id % 2 = 1)
  TO :'artifacts_txt';
COPY (SELECT project_id, release, url, map FROM single.artifacts WHERE project_id % 2 = 0)
  TO :'artifacts_bin' (FORMAT binary);
INSERT INTO public.frames SELECT * FROM single.frames;
ANALYZE single.artifacts, single.frames;

SELECT :nmaps AS maps, (SELECT count(*) FROM single.artifacts) AS artifacts,
       (SELECT count(*) FROM single.frames) AS frames,
       (SELECT count(DISTINCT (project_id, event_id)) FROM single.frames) AS events;
