-- test/fdw/shard.sql: the remote server (shard2), as its superuser.  The
-- maps and frames of project 'blog' live here; a non-superuser role owns
-- them and is the one the coordinator connects as.
CREATE ROLE symbolicator LOGIN PASSWORD :'password';
CREATE DATABASE artifacts OWNER symbolicator;
\connect artifacts
SET ROLE symbolicator;
-- sourcemap is a trusted extension: the database owner may create it
CREATE EXTENSION sourcemap;
CREATE TABLE maps (project text, url text, map sourcemap, PRIMARY KEY (project, url));
CREATE TABLE frames (project text, event_id int, ord int, url text, lineno int, colno int, function text,
                     PRIMARY KEY (project, event_id, ord));
-- one event's frames, resolved here, where the maps are
CREATE VIEW resolved_frames AS
SELECT f.project, f.event_id, f.ord, f.url, f.lineno, f.colno, f.function,
       p.source, p.line + 1 AS orig_lineno, p.col + 1 AS orig_colno, p.name
  FROM frames f
  LEFT JOIN maps m ON m.project = f.project AND m.url = f.url
  LEFT JOIN LATERAL sourcemap_lookup(m.map, f.lineno - 1, f.colno - 1) p ON true;
