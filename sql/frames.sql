-- issue 13, frames: why a lookup finds what it finds (sourcemap_explain and
-- the status column of sourcemap_lookup_frame), and the stack formats of
-- sourcemap_parse_stack (eval origins, Hermes / React Native).

-- A map written by hand so that every status can be reached:
--   line 0: a segment at column 2 (a.js 0:0), a 1-field segment at column 5,
--           a segment at column 9 (a.js 1:4, name f)
--   line 1: no segments;  line 2: a segment at column 0 (a.js 2:0)
--   line 3: no segments (the mappings end with ";": 4 generated lines)
CREATE TABLE hm AS SELECT '{"version":3,"sources":["a.js"],"names":["f"],
	"mappings":"EAAA,G,IACIA;;AACJ;"}'::sourcemap AS m;

-- every status with the bias that reaches it; the expected status of each
-- row follows from the bias definitions in the README
SELECT p.line, p.col, p.bias, e.status, e.detail
FROM hm, (VALUES (0, 3, 'glb'), (0, 9, 'glb'), (0, 7, 'glb'), (0, 1, 'glb'), (1, 0, 'glb'),
		(3, 0, 'glb'), (4, 0, 'glb'), (0, 0, 'lub'), (0, 3, 'lub'), (0, 10, 'lub'),
		(0, 2, 'exact'), (0, 3, 'exact'), (0, 10, 'exact'), (0, 0, 'exact'),
		(0, 0, 'glb_cross_line'), (1, 0, 'glb_cross_line'), (9, 9, 'glb_cross_line'))
	AS p(line, col, bias),
	LATERAL sourcemap_explain(m, p.line, p.col, p.bias) e
ORDER BY p.bias, p.line, p.col;

-- the default bias is glb, as in sourcemap_lookup and sourcemap_lookup_frame
SELECT status FROM hm, sourcemap_explain(m, 0, 1);

-- a map without segments; a map whose first segment is on line 2
SELECT * FROM sourcemap_explain('{"version":3,"sources":[],"names":[],"mappings":""}'::sourcemap, 0, 0);
SELECT * FROM sourcemap_explain('{"version":3,"sources":["a.js"],"names":[],"mappings":";;CAAA"}'::sourcemap, 1, 5, 'glb_cross_line');
SELECT * FROM sourcemap_explain('{"version":3,"sources":["a.js"],"names":[],"mappings":";;CAAA"}'::sourcemap, 0, 0);

-- NULL map or position: a status of its own (so a LEFT JOIN to the maps can show it)
SELECT * FROM sourcemap_explain(NULL, 0, 0);
SELECT r.* FROM hm, sourcemap_explain(m, NULL, 0) r;
SELECT r.* FROM hm, sourcemap_explain(m, 0, NULL) r;

-- errors: negative positions, an unknown or NULL bias
\set VERBOSITY sqlstate
SELECT r.* FROM hm, sourcemap_explain(m, -1, 0) r;
SELECT r.* FROM hm, sourcemap_explain(m, 0, -1) r;
SELECT r.* FROM hm, sourcemap_explain(m, 0, 0, 'nearest') r;
SELECT r.* FROM hm, sourcemap_explain(m, 0, 0, NULL) r;
\set VERBOSITY default

-- sourcemap_lookup_frame: the same status, and only the status when nothing maps
SELECT p.line, p.col, f.*
FROM hm, (VALUES (0, 3), (0, 9), (0, 7), (0, 1), (1, 0), (4, 0)) AS p(line, col),
	LATERAL sourcemap_lookup_frame(m, p.line, p.col, 'min') f
ORDER BY p.line, p.col;
SELECT * FROM sourcemap_lookup_frame(NULL, 0, 0);
SELECT r.* FROM hm, sourcemap_lookup_frame(m, NULL, 0) r;
SELECT r.* FROM hm, sourcemap_lookup_frame(m, 0, NULL, 'min') r;

-- on a real map (toastr 2.1.4, vendored): at every 7th column of its one
-- long line and past it, lookup_frame's status is explain's, a position
-- comes back exactly when the status is ok, and it is sourcemap_lookup's
\set map `cat test/data/corpus/toastr@2.1.4/toastr.js.map`
CREATE TABLE tm AS SELECT :'map'::sourcemap AS m;
SELECT f.status, count(*) AS positions,
	bool_and(f.status = e.status) AS same_as_explain,
	bool_and((f.source IS NOT NULL) = (f.status = 'ok')) AS position_iff_ok,
	bool_and(f.status <> 'ok' OR (f.source, f.line, f.col, f.name) = (l.source, l.line, l.col, l.name)) AS same_as_lookup
FROM tm, generate_series(0, 7000, 7) c, generate_series(0, 1) li,
	LATERAL sourcemap_lookup_frame(m, li, c) f,
	LATERAL sourcemap_explain(m, li, c) e,
	LATERAL (SELECT * FROM sourcemap_lookup(m, li, c)) l
GROUP BY f.status ORDER BY f.status;

-- Stack formats ---------------------------------------------------------------

-- V8 eval frames: the frame's own position is in the eval code; the eval
-- origin (followed through nested evals to the script) has columns of its own
SELECT * FROM sourcemap_parse_stack(E'Error: data/items must be array\n'
	'    at OrderService.validate10 [as validate] (eval at c (https://shop.example/bundle.min.js:4:27458), <anonymous>:3:278)\n'
	'    at render (eval at compile (eval at load (eval at boot (https://shop.example/t.js:9:8), <anonymous>:7:6), <anonymous>:5:4), <anonymous>:3:2)\n'
	'    at f (eval at g (https://shop.example/b.js:1:2))\n'
	'    at OrderService.submit (https://shop.example/bundle.min.js:4:30001)');

-- SpiderMonkey eval: the URL is the eval code's name, the origin its script and line
SELECT * FROM sourcemap_parse_stack(E'validate@https://shop.example/bundle.min.js line 4 > Function:3:278\n'
	'nested@https://shop.example/b.js line 7 > eval line 1 > eval:3:2\n'
	'async*submit@https://shop.example/bundle.min.js:4:30001');

-- Hermes (React Native release build): "address at" frames carry the
-- bytecode offset as their column; the whole stack is hermes
SELECT * FROM sourcemap_parse_stack(E'TypeError: undefined is not a function\n'
	'    at onPress (address at index.android.bundle:1:9876)\n'
	'    at apply (native)\n'
	'    at callFunctionReturnFlushedQueue (InternalBytecode.js:1:1234)\n'
	'    at global (index.android.bundle:1:234)');

-- React Native on JavaScriptCore (Safari's format), old Safari, and an @
-- stack with no mark of either engine
SELECT ord, function, url, lineno, colno, format FROM sourcemap_parse_stack(E'onPress@index.android.bundle:1:9876\n'
	'forEach@[native code]\n'
	'global code@index.android.bundle:1:12');
SELECT ord, url, lineno, colno, format FROM sourcemap_parse_stack(E'Error\nhttps://a.example/m.js:10:5');
SELECT ord, function, url, format FROM sourcemap_parse_stack('render@https://a.example/m.js:2:10');

-- resolving a stack with eval frames: a frame's own position when it is in a
-- script, else its eval origin (with the function that called eval)
CREATE TABLE em AS SELECT 'https://a.example/app.min.js' AS url,
	'{"version":3,"sources":["src/app.ts"],"names":["validate","compile"],"mappings":"AAAAA,UACCC"}'::sourcemap AS m;
SELECT p.ord, p.function, p.url, coalesce(p.eval_url, p.url) AS mapped_url,
	f.source, f.line, f.col, f.function AS original_function, f.status
FROM sourcemap_parse_stack(E'Error\n'
	'    at validate (eval at compile (https://a.example/app.min.js:1:12), <anonymous>:3:278)\n'
	'    at compile (https://a.example/app.min.js:1:3)\n'
	'    at run (https://b.example/other.js:1:1)') p
LEFT JOIN em ON em.url = coalesce(p.eval_url, p.url),
LATERAL sourcemap_lookup_frame(em.m, coalesce(p.eval_lineno, p.lineno) - 1,
	coalesce(p.eval_colno, p.colno) - 1, coalesce(p.eval_function, p.function)) f
ORDER BY p.ord;

DROP TABLE hm, tm, em;

-- sourcemap_lookup_frames: the stack at one position.  The map's scopes
-- field is test/unit/test_inline.c's (which decodes it item by item):
--   original functions of a.js: outer 1:0-4:1, inner 5:0-8:1, helper 9:0-9:30;
--   generated ranges on line 0 (ends exclusive):
--     R0 [0,50) outer, a stack frame
--       R1 [10,20) inner, inlined, call site a.js 2:4
--         R2 [12,15) helper, inlined and hidden, call site a.js 6:2
--     R3 [60,70) a stack frame without a definition (a generated helper)
--     R4 [80,85) inner, inlined into top-level code, call site a.js 0:5
--   mappings on line 0: col 0 -> 1:0, 5 -> 1:10, 10 -> 5:2, 12 -> 9:3,
--     15 -> 6:5, 20 -> 2:10, 60 -> 0:0, 80 -> 7:1 (no names).
-- The stacks by the proposal's rules (src/core/functions/sm_inline.h): the
-- innermost frame is at the position's glb mapping; a range with a call site
-- is an inlined frame of its function, and the next frame is at its call
-- site; a stack-frame range is the last frame; running out of ranges after
-- an inlined frame adds the frame of the code around (top level: no
-- function).  Expected, innermost first:
--    5  outer 1:10
--   11  inner 5:2 (inlined) | outer 2:4
--   12  helper 9:3 (inlined, hidden) | inner 6:2 (inlined) | outer 2:4
--   13  the same as 12 (glb: the mapping at 12)
--   15  inner 6:5 (inlined; R2 ended) | outer 2:4
--   20  outer 2:10 (R1 ended)
--   55  2:10, no function (in no range)
--   65  0:0, no function (the generated helper)
--   82  inner 7:1 (inlined) | 0:5, no function (top-level code)
--   85  7:1, no function (R4 ended)
CREATE TABLE sc AS SELECT '{"version":3,"sources":["a.js"],"names":["outer","inner","helper"],
	"mappings":"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC",
	"scopes":"BAAA,BFBAA,CDB,BFBAC,CDB,BFBAC,CAe,CBA,EGAC,ECKC,IACE,EKCC,IAGC,FD,FF,Fe,EEK,FK,ECKD,IAAF,FF"}'::sourcemap AS m;
SELECT c, f.* FROM sc, unnest(ARRAY[5, 11, 12, 13, 15, 20, 55, 65, 82, 85]) c,
	LATERAL sourcemap_lookup_frames(m, 0, c) f
ORDER BY c, f.depth;
-- the innermost frame is sourcemap_lookup_frame's answer at every column
-- (position, name and function: ingest derived the function table from the
-- same field); the count of frames per column is 1 + the inlined ones
SELECT count(*) AS columns,
	count(*) FILTER (WHERE (f.source, f.line, f.col, f.name, f.function) IS NOT DISTINCT FROM
		(l.source, l.line, l.col, l.name, l.function)) AS innermost_as_lookup_frame,
	count(*) FILTER (WHERE n.frames = 1 + n.inlined) AS one_plus_inlined
FROM sc, generate_series(0, 90) c,
	LATERAL sourcemap_lookup_frames(m, 0, c) f,
	LATERAL sourcemap_lookup_frame(m, 0, c) l,
	LATERAL (SELECT count(*) AS frames, count(*) FILTER (WHERE g.inlined) AS inlined
			 FROM sourcemap_lookup_frames(m, 0, c) g) n
WHERE f.depth = 0;
-- past the last line: one frame, nothing maps, in no range
SELECT r.* FROM sc, sourcemap_lookup_frames(m, 7, 0) r;

-- the field as the value keeps it: escaped in the JSON string, beside other
-- kept members, after the known ones, gives the same stacks at every column
CREATE TABLE sc2 AS SELECT ('{"x_before":{"scopes":"not this"},"version":3,"scopes":"'
	|| replace(m->>'scopes', ',', '\u002c') || '","sources":["a.js"],"names":["outer","inner","helper"],'
	|| '"mappings":"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC","x_after":[1]}')::sourcemap AS m
FROM (SELECT m::text::jsonb AS m FROM sc) j;
SELECT count(*) AS differ FROM (
	(SELECT c, f.* FROM sc, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f
	 EXCEPT SELECT c, f.* FROM sc2, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f)
	UNION ALL
	(SELECT c, f.* FROM sc2, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f
	 EXCEPT SELECT c, f.* FROM sc, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f)) d;

-- stored out of line (incompressible hex content: a TOASTed value, opened
-- through the cache, where the decoded field is kept with the map): the
-- same stacks as the in-memory value at every column, twice in a row
CREATE TABLE sct (m sourcemap);
INSERT INTO sct SELECT ('{"version":3,"sources":["a.js"],"names":["outer","inner","helper"],"sourcesContent":["'
	|| (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 400) i)
	|| '"],"mappings":"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC","scopes":"' || (m::text::jsonb->>'scopes') || '"}')::sourcemap
FROM sc;
SELECT pg_column_size(m) > 4000 AS out_of_line FROM sct;
SELECT hits AS fh0 FROM sourcemap_cache_stats() \gset
SELECT count(*) AS differ FROM (
	(SELECT k, c, f.* FROM sct, generate_series(1, 2) k, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f
	 EXCEPT ALL SELECT k, c, f.* FROM sc, generate_series(1, 2) k, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f)
	UNION ALL
	(SELECT k, c, f.* FROM sc, generate_series(1, 2) k, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f
	 EXCEPT ALL SELECT k, c, f.* FROM sct, generate_series(1, 2) k, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f)) d;
SELECT hits - :fh0 >= 180 AS served_from_cache FROM sourcemap_cache_stats();

-- without a usable scopes field, one frame: sourcemap_lookup_frame's glb
-- position and function, inlined and hidden false.  Maps: the same mappings
-- with x_sourcemap_functions; a malformed scopes field (a range never ended,
-- which ingest ignores too); a scopes member that is not a string; an index
-- map whose section has the field (a value keeps nothing from inside
-- sections: its function table only).
CREATE TABLE nsc AS SELECT * FROM (VALUES
	('functions', '{"version":3,"sources":["a.js"],"names":[],"mappings":"AACA,KAAU,KAIR,EAIC,GAHE,KAJK,wCAFV,oBAOC",
		"x_sourcemap_functions":[[0,0,"top"],[0,9,null],[0,30,"g"],[0,40,null]]}'::sourcemap),
	('malformed', '{"version":3,"sources":["a.js"],"names":["f"],"mappings":"AACA,KAAU","scopes":"EAAA"}'),
	('not a string', '{"version":3,"sources":["a.js"],"names":["f"],"mappings":"AACA,KAAU","scopes":5}'),
	('index map', (SELECT format('{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":%s}]}',
		m::text)::sourcemap FROM sc))) v(what, m);
SELECT what, count(*) AS columns, count(*) FILTER (WHERE f.depth = 0 AND NOT f.inlined AND NOT f.hidden
		AND (f.source, f.line, f.col, f.name, f.function) IS NOT DISTINCT FROM
			(l.source, l.line, l.col, l.name, l.function)) AS as_lookup_frame
FROM nsc, generate_series(0, 90) c, LATERAL sourcemap_lookup_frames(m, 0, c) f,
	LATERAL sourcemap_lookup_frame(m, 0, c) l
WHERE l.status = 'ok'
GROUP BY what ORDER BY what;
SELECT c, f.* FROM nsc, unnest(ARRAY[3, 12, 82]) c, LATERAL sourcemap_lookup_frames(m, 0, c) f
WHERE what IN ('functions', 'index map') ORDER BY what, c, f.depth;
-- a Metro map (test/data/metro: function names from x_facebook_sources, the
-- names sourcemap_lookup_frame gives first): one row equal to it at every
-- segment's position
\set packager `cat test/data/metro/index.bundle.js.map`
SELECT count(*) AS positions, count(*) FILTER (WHERE f.function IS NOT NULL) AS with_function,
	count(*) FILTER (WHERE (f.depth, f.source, f.line, f.col, f.name, f.function, f.inlined, f.hidden)
		IS NOT DISTINCT FROM (0, l.source, l.line, l.col, l.name, l.function, false, false)) AS as_lookup_frame
FROM (SELECT :'packager'::sourcemap AS m) p, sourcemap_tokens(p.m) t,
	LATERAL sourcemap_lookup_frames(p.m, t.gen_line, t.gen_col) f,
	LATERAL sourcemap_lookup_frame(p.m, t.gen_line, t.gen_col) l;
-- nothing maps: one row without a position or a function, as sourcemap_lookup_frame (its status)
SELECT * FROM sourcemap_lookup_frames('{"version":3,"sources":["a.js"],"names":[],"mappings":"",
	"x_sourcemap_functions":[[0,0,"top"],[0,9,null]]}'::sourcemap, 0, 3);
-- STRICT: a NULL argument gives no rows; negative positions are errors
SELECT count(*) FROM sc, sourcemap_lookup_frames(m, NULL, 0);
SELECT count(*) FROM sc, sourcemap_lookup_frames(m, 0, NULL);
SELECT count(*) FROM sourcemap_lookup_frames(NULL, 0, 0);
\set VERBOSITY sqlstate
SELECT r.* FROM sc, sourcemap_lookup_frames(m, -1, 0) r;
SELECT r.* FROM sc, sourcemap_lookup_frames(m, 0, -1) r;
\set VERBOSITY default
DROP TABLE sc, sc2, sct, nsc;

-- Real Hermes output (test/data/hermes-stack/README.md: hermes-engine-cli
-- 0.12.0): the same program run from bytecode without debug information
-- and from source.  Every frame of the bytecode run that is in app.hbc
-- resolves through the map hermesc wrote, at (lineno - 1, colno): the
-- bytecode offset is the map's 0-based column; the result is the position
-- the source run printed (1-based there).
\set bc `cat test/data/hermes-stack/stack-bytecode.txt`
\set src `cat test/data/hermes-stack/stack-source.txt`
\set hmap `cat test/data/hermes-stack/app.hbc.map`
SELECT b.format, count(*) AS frames FROM sourcemap_parse_stack(:'bc') b GROUP BY 1 ORDER BY 1;
SELECT s.format, count(*) AS frames FROM sourcemap_parse_stack(:'src') s GROUP BY 1 ORDER BY 1;
SELECT b.ord, b.function, b.url, b.colno AS offset, s.url AS source_url,
	s.lineno AS source_lineno, s.colno AS source_colno,
	r.source, r.line + 1 AS line_1, r.col + 1 AS col_1,
	(r.source, r.line + 1, r.col + 1) = (s.url, s.lineno, s.colno) AS same
FROM sourcemap_parse_stack(:'bc') b
JOIN sourcemap_parse_stack(:'src') s USING (ord)
LEFT JOIN LATERAL (SELECT l.* FROM sourcemap_lookup(:'hmap'::sourcemap, b.lineno - 1, b.colno) l
	WHERE b.format = 'hermes_bytecode') r ON true
ORDER BY b.ord;

-- Real V8 output (test/data/v8-eval/README.md: Node.js 20): frames of code
-- made by new Function and by nested evals keep their own position in the
-- eval code; their origin is the call in app.js, followed out of the nested
-- eval: the text at the origin's (1-based) line and column is that call.
\set v8 `cat test/data/v8-eval/stack.txt`
\set js `cat test/data/v8-eval/app.js`
SELECT ord, function, url, lineno, colno, format, eval_function, eval_lineno, eval_colno,
	substr(split_part(:'js', E'\n', eval_lineno), eval_colno, 12) AS code_at_origin
FROM sourcemap_parse_stack(:'v8') WHERE eval_url IS NOT NULL ORDER BY ord;
SELECT count(*) AS frames, count(eval_url) AS eval_frames,
	bool_and(eval_url IS NULL OR eval_url = '/tmp/frames/v8/app.js') AS origins_in_app_js,
	bool_and(format = 'v8') AS all_v8
FROM sourcemap_parse_stack(:'v8');
