-- lookup: sourcemap_lookup under every bias, ties, 1-field segments,
-- sourceRoot joining, null sources, ignore lists, index maps, huge
-- coordinates and bad arguments.  All coordinates are 0-based.

-- The test map, segment by segment (gen line, gen col -> source line:col name):
--   line 0:  0 -> a.js 0:0      5 -> a.js 1:2 x     5 -> b.js 3:4 (same column, later in map order)
--           10 -> (1 field)    15 -> a.js 2:0 y
--   line 1:  (empty)
--   line 2:  3 -> b.js 5:6      3 -> a.js 7:8 (same column, later in map order)
--   line 3: 20 -> a.js 9:0      2 -> b.js 9:1 (written out of column order)
--   line 4:  7 -> (1 field)
CREATE TABLE m AS SELECT '{"version":3,"sources":["a.js","b.js"],"names":["x","y"],
  "mappings":"AAAA,KACEA,ACEE,K,KDDJC;;GCGM,ADEE;oBAER,lBCAC;O"}'::sourcemap AS map;

-- every segment, in generated order (ties keep map order, line 3 is sorted)
SELECT t.* FROM m, sourcemap_tokens(map) t;

CREATE TABLE q (bias text, line int, col int);
INSERT INTO q VALUES
  -- glb: last segment with column <= col; an exact hit on a shared column takes the first
  ('glb', 0, 0), ('glb', 0, 4), ('glb', 0, 5), ('glb', 0, 7), ('glb', 0, 10), ('glb', 0, 12),
  ('glb', 0, 15), ('glb', 0, 2147483647), ('glb', 1, 0), ('glb', 2, 2), ('glb', 2, 3),
  ('glb', 2, 4), ('glb', 3, 1), ('glb', 3, 2), ('glb', 3, 19), ('glb', 3, 20), ('glb', 4, 6),
  ('glb', 4, 8), ('glb', 5, 0), ('glb', 2147483647, 2147483647),
  -- lub: first segment with column >= col; an exact hit on a shared column takes the last
  ('lub', 0, 0), ('lub', 0, 1), ('lub', 0, 5), ('lub', 0, 6), ('lub', 0, 11), ('lub', 0, 16),
  ('lub', 1, 0), ('lub', 2, 0), ('lub', 2, 3), ('lub', 2, 4), ('lub', 3, 0), ('lub', 3, 3),
  ('lub', 3, 21), ('lub', 4, 0), ('lub', 5, 0),
  -- exact: only a segment starting at col (the first of a shared column)
  ('exact', 0, 0), ('exact', 0, 5), ('exact', 0, 6), ('exact', 0, 10), ('exact', 2, 3),
  ('exact', 3, 2), ('exact', 3, 20), ('exact', 1, 0), ('exact', 9, 0),
  -- glb_cross_line: last segment at or before (line, col), earlier lines included
  ('glb_cross_line', 0, 0), ('glb_cross_line', 0, 7), ('glb_cross_line', 1, 0),
  ('glb_cross_line', 1, 99), ('glb_cross_line', 2, 2), ('glb_cross_line', 2, 3),
  ('glb_cross_line', 3, 1), ('glb_cross_line', 3, 25), ('glb_cross_line', 4, 6),
  ('glb_cross_line', 4, 7), ('glb_cross_line', 9, 0), ('glb_cross_line', 2147483647, 2147483647);
SELECT q.bias, q.line, q.col, p.*
  FROM q, m, LATERAL sourcemap_lookup(map, q.line, q.col, q.bias) p
 ORDER BY CASE q.bias WHEN 'glb' THEN 1 WHEN 'lub' THEN 2 WHEN 'exact' THEN 3 ELSE 4 END, q.line, q.col;

-- the default bias is glb; no mapping is NULL (not a row of NULLs)
SELECT sourcemap_lookup(map, 0, 7) FROM m;
SELECT sourcemap_lookup(map, 0, 7) = sourcemap_lookup(map, 0, 7, 'glb') AS same FROM m;
SELECT sourcemap_lookup(map, 0, 10) IS NULL AS one_field, sourcemap_lookup(map, 1, 0) IS NULL AS empty_line,
       sourcemap_lookup(map, 5, 0) IS NULL AS past_end FROM m;
SELECT (sourcemap_lookup(map, 0, 5)).name, (sourcemap_lookup(map, 0, 16)).source FROM m;

-- STRICT: any NULL argument gives NULL
SELECT sourcemap_lookup(NULL, 0, 0) IS NULL AS a, sourcemap_lookup(map, NULL, 0) IS NULL AS b,
       sourcemap_lookup(map, 0, NULL) IS NULL AS c, sourcemap_lookup(map, 0, 0, NULL) IS NULL AS d FROM m;

-- bad arguments: 22023
\set VERBOSITY sqlstate
SELECT sourcemap_lookup(map, -1, 0) FROM m;
\set VERBOSITY default
SELECT sourcemap_lookup(map, -1, 0) FROM m;
SELECT sourcemap_lookup(map, 0, -1) FROM m;
SELECT sourcemap_lookup(map, 0, 0, 'GLB') FROM m;
\set VERBOSITY sqlstate
SELECT sourcemap_lookup(map, 0, 0, 'nearest') FROM m;
\set VERBOSITY default
SELECT sourcemap_lookup(map, 0, 0, '') FROM m;
DROP TABLE m;

-- sourceRoot: joined with "/" unless empty or already ending in "/"; no normalisation
SELECT r AS source_root, (sourcemap_lookup(format('{"version":3,%s"sources":["a.js","/abs/b.js","../c.js"],"mappings":"AAAA,CCAA,CCAA"}', r)::sourcemap, 0, c)).source
  FROM (VALUES (''), ('"sourceRoot":"",'), ('"sourceRoot":"src",'), ('"sourceRoot":"src/",'),
               ('"sourceRoot":"http://example.com/x",'), ('"sourceRoot":"/",')) AS roots(r),
       generate_series(0, 2) AS c
 ORDER BY r, c;

-- a null sources entry gives a NULL source but still a position
SELECT * FROM sourcemap_lookup('{"version":3,"sources":[null,"b.js"],"names":["n"],"mappings":"AAAAA,CCAA"}', 0, 0);
SELECT * FROM sourcemap_lookup('{"version":3,"sources":[null,"b.js"],"names":["n"],"mappings":"AAAAA,CCAA"}', 0, 1);

-- ignored: the source is on ignoreList (or x_google_ignoreList when ignoreList is absent)
SELECT d, c, (sourcemap_lookup(m::sourcemap, 0, c)).ignored
  FROM (VALUES (1, '{"version":3,"sources":["app.js","lib.js"],"mappings":"AAAA,CCAA","ignoreList":[1]}'),
               (2, '{"version":3,"sources":["app.js","lib.js"],"mappings":"AAAA,CCAA","x_google_ignoreList":[0]}'),
               (3, '{"version":3,"sources":["app.js","lib.js"],"mappings":"AAAA,CCAA","ignoreList":[],"x_google_ignoreList":[0]}'))
       AS docs(d, m), generate_series(0, 1) AS c
 ORDER BY d, c;

-- huge coordinates: 2147483647 is the largest generated column and original line/column
SELECT * FROM sourcemap_lookup('{"version":3,"sources":["a.js"],"mappings":"AAAA,+/////DA+/////D+/////D"}', 0, 2147483647);
SELECT * FROM sourcemap_lookup('{"version":3,"sources":["a.js"],"mappings":"AAAA,+/////DA+/////D+/////D"}', 0, 2147483646);
SELECT * FROM sourcemap_lookup('{"version":3,"sources":["a.js"],"mappings":"AAAA,+/////DA+/////D+/////D"}', 0, 1, 'lub');

-- index maps: flattened; the column offset applies to the section's first line only;
-- each section keeps its own sourceRoot; a position at a section's offset belongs to it
CREATE TABLE ix AS SELECT '{"version":3,"file":"bundle.js","sections":[
  {"offset":{"line":0,"column":0},"map":{"version":3,"sources":["s1.js"],"mappings":"AAAA,KAAK"}},
  {"offset":{"line":0,"column":10},"map":{"version":3,"sourceRoot":"lib","sources":["s2.js"],"names":["n"],"mappings":"AAAAA;IACA"}},
  {"offset":{"line":3,"column":0},"map":{"version":3,"sources":["s1.js"],"mappings":"AAAA","ignoreList":[0]}}]}'::sourcemap AS map;
SELECT t.* FROM ix, sourcemap_tokens(map) t;
SELECT l, c, p.*
  FROM ix, (VALUES (0, 4), (0, 9), (0, 10), (0, 11), (1, 3), (1, 4), (2, 0), (3, 0), (3, 50)) AS v(l, c),
       LATERAL sourcemap_lookup(map, l, c) p
 ORDER BY l, c;
SELECT * FROM sourcemap_lookup((SELECT map FROM ix), 2, 0, 'glb_cross_line');
DROP TABLE ix, q;
