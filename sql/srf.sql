-- srf: sourcemap_tokens, sourcemap_sources, sourcemap_names,
-- sourcemap_source_content, sourcemap_info and sourcemap_debug_id.

CREATE TABLE m AS SELECT '{"version":3,"file":"min.js","sourceRoot":"src",
  "sources":["a.js",null,"lib/b.js"],
  "sourcesContent":["line 0\nline 1\n",null,"// b\n"],
  "names":["alpha","beta","alpha"],
  "mappings":"AAAAA,EAAE,G;;ACAAC,ECAAC",
  "ignoreList":[2],
  "debugId":"85314830-023F-4CF1-B267-535F4E37BB17"}'::sourcemap AS map;

-- tokens: gen 0:0 -> a.js 0:0 alpha; 0:2 -> a.js 0:2; 0:5 (1 field);
--         gen 2:0 -> null source 0:2 beta; 2:2 -> lib/b.js 0:2 alpha (names[2])
SELECT t.* FROM m, sourcemap_tokens(map) t;
SELECT count(*) FROM m, sourcemap_tokens(map);

-- sources: resolved against sourceRoot; null stays null
SELECT s.* FROM m, sourcemap_sources(map) s;

-- names, duplicates kept
SELECT n.* FROM m, sourcemap_names(map) n;

-- content by index: negative is an error, past the end is NULL
SELECT i, sourcemap_source_content(map, i) FROM m, generate_series(0, 3) i ORDER BY i;
SELECT sourcemap_source_content(map, -1) FROM m;
-- content by name: resolved or raw name; unknown name is NULL
SELECT s, sourcemap_source_content(map, s)
  FROM m, (VALUES ('src/a.js'), ('a.js'), ('src/lib/b.js'), ('lib/b.js'), ('b.js'), ('')) AS v(s)
 ORDER BY s;

-- info
SELECT i.* FROM m, sourcemap_info(map) i;
SELECT (sourcemap_info(map)).stored_bytes = length(sourcemap_send(map)) - 1 AS stored_bytes_ok FROM m;

-- debug id: from debugId, else the legacy debug_id; NULL when absent
SELECT sourcemap_debug_id(map) FROM m;
SELECT sourcemap_debug_id('{"version":3,"sources":[],"mappings":"","debug_id":"00112233-4455-6677-8899-AABBCCDDEEFF"}');
SELECT sourcemap_debug_id('{"version":3,"sources":[],"mappings":"","debugId":"00000000-0000-0000-0000-000000000001","debug_id":"00000000-0000-0000-0000-000000000002"}');
SELECT sourcemap_debug_id('{"version":3,"sources":[],"mappings":""}') IS NULL AS no_id;

-- IMMUTABLE, so it can be indexed
CREATE INDEX m_debug_id ON m (sourcemap_debug_id(map));
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT 1 FROM m WHERE sourcemap_debug_id(map) = '85314830-023f-4cf1-b267-535f4e37bb17';
SELECT count(*) FROM m WHERE sourcemap_debug_id(map) = '85314830-023f-4cf1-b267-535f4e37bb17';
RESET enable_seqscan;
DROP TABLE m;

-- an empty map
SELECT * FROM sourcemap_info('{"version":3,"sources":[],"mappings":""}');
SELECT count(*) FROM sourcemap_tokens('{"version":3,"sources":[],"mappings":""}');
SELECT count(*) FROM sourcemap_sources('{"version":3,"sources":[],"mappings":""}');
SELECT count(*) FROM sourcemap_names('{"version":3,"sources":[],"mappings":""}');

-- x_google_ignoreList is used when ignoreList is absent
SELECT * FROM sourcemap_sources('{"version":3,"sources":["a.js","b.js"],"mappings":"","x_google_ignoreList":[0]}');

-- index maps: sources, names, contents and ignore lists are concatenated
SELECT s.* FROM sourcemap_sources('{"version":3,"sections":[
  {"offset":{"line":0,"column":0},"map":{"version":3,"sources":["s1.js"],"sourcesContent":["one"],"names":["a"],"mappings":"AAAAA"}},
  {"offset":{"line":1,"column":0},"map":{"version":3,"sourceRoot":"lib/","sources":["s2.js","s3.js"],"sourcesContent":[null,"three"],"names":["b"],"mappings":"AAAAA","ignoreList":[1]}}]}') s;
SELECT n.* FROM sourcemap_names('{"version":3,"sections":[
  {"offset":{"line":0,"column":0},"map":{"version":3,"sources":["s1.js"],"names":["a"],"mappings":"AAAAA"}},
  {"offset":{"line":1,"column":0},"map":{"version":3,"sources":["s2.js"],"names":["b"],"mappings":"AAAAA"}}]}') n;

-- a real map: toastr 2.1.4 (one generated line, sourcesContent kept)
\set toastr `cat test/data/corpus/toastr@2.1.4/toastr.js.map`
CREATE TABLE real AS SELECT :'toastr'::sourcemap AS map;
SELECT version, file, source_root, debug_id, segments, generated_lines, sources, names, format_version
  FROM real, sourcemap_info(map);
SELECT (sourcemap_info(map)).stored_bytes < octet_length(:'toastr') AS smaller_than_json FROM real;
SELECT count(*), count(DISTINCT gen_col), min(gen_line), max(gen_line), count(name) FROM real, sourcemap_tokens(map);
SELECT s.* FROM real, sourcemap_sources(map) s;
SELECT length(sourcemap_source_content(map, 0)),
       split_part(sourcemap_source_content(map, 'toastr.js'), E'\n', 2) AS line_1 FROM real;
SELECT count(*), min(idx), max(idx) FROM real, sourcemap_names(map);
SELECT n.* FROM real, sourcemap_names(map) n WHERE idx IN (0, 9, 144);
DROP TABLE real;
