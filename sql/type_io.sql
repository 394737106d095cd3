-- type_io: text input and canonical output, casts, NULL and empty inputs,
-- and round trips (text out/in, COPY text and binary).

-- The smallest valid map, and its canonical output.
SELECT '{"version":3,"sources":[],"mappings":""}'::sourcemap;

-- Every field of a regular map survives output.
SELECT '{"version":3,"file":"out.js","sourceRoot":"src","sources":["a.js",null],
  "sourcesContent":["var a = 1;\n",null],"names":["foo"],"mappings":"AAAA,IAAIA;ACAC",
  "ignoreList":[1],"debugId":"85314830-023F-4CF1-B267-535F4E37BB17"}'::sourcemap;

-- Key order and whitespace do not matter: same canonical form.  Members
-- the map does not use are kept verbatim (less whitespace), after the others.
SELECT '{ "mappings" : "AAAA", "x_unknown": {"a": [1, 2.50, {"b": null}]},
          "names": [], "sources": ["a.js"], "version": 3 }'::sourcemap::text;
SELECT '{ "mappings" : "AAAA", "x_unknown": {"a": [1, 2.50, {"b": null}]},
          "names": [], "sources": ["a.js"], "version": 3 }'::sourcemap::text
     = '{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA","x_unknown":{"a":[1,2.50,{"b":null}]}}'::sourcemap::text AS same;
-- The ignore list and the debug id keep the names the input gave them;
-- members that only stand in for them are kept too.
SELECT '{"version":3,"sources":["a.js","b.js"],"mappings":"AAAA;ACAA","x_google_ignoreList":[1],
         "debug_id":"85314830-023f-4cf1-b267-535f4e37bb17","file":null,"scopes":"?"}'::sourcemap;
SELECT '{"version":3,"sources":["a.js","b.js"],"mappings":"AAAA;ACAA","ignoreList":[0],
         "x_google_ignoreList":[1],"ignoreList_note":"both"}'::sourcemap;

-- Escapes are decoded; output is UTF-8 JSON.
SELECT '{"version":3,"sources":["caf\u00e9.js","\ud83d\ude00.js","tab\there"],"names":["\u0041"],"mappings":"AAAAA"}'::sourcemap;

-- An index map is flattened; one without sections is an empty map.
SELECT '{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"mappings":"AAAA"}},{"offset":{"line":1,"column":2},"map":{"version":3,"sources":["b.js"],"names":["n"],"mappings":"AAAAA"}}]}'::sourcemap;
SELECT '{"version":3,"sections":[]}'::sourcemap;

-- The same document with and without escapes is the same value (same bytes).
SELECT sourcemap_send('{"version":3,"sources":["\u0061.js"],"names":["\u0041"],"mappings":"AAAAA"}')
     = sourcemap_send('{"version":3,"sources":["a.js"],"names":["A"],"mappings":"AAAAA"}') AS same_bytes;

-- Mappings are re-encoded canonically: segments sorted by column, deltas recomputed.
SELECT '{"version":3,"sources":["a.js"],"mappings":"UAAA,LAAA"}'::sourcemap;

CREATE TABLE maps (id int PRIMARY KEY, m sourcemap);
INSERT INTO maps VALUES
  (1, '{"version":3,"sources":[],"mappings":""}'),
  (2, '{"version":3,"file":"out.js","sourceRoot":"","sources":["a.js","b.js"],"sourcesContent":["var a = 1;\nfoo();\n",null],"names":["foo","bar"],"mappings":"AAAA,IAAIA;ACAJ,CAACC"}'),
  (3, '{"version":3,"sources":[null,"x.js"],"names":[],"mappings":";;A,CCAA;;E","x_google_ignoreList":[0],"debug_id":"00000000-0000-0000-0000-000000000001"}'),
  (4, '{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["s1.js"],"mappings":"AAAA"}},{"offset":{"line":1,"column":5},"map":{"version":3,"sourceRoot":"lib","sources":["s2.js"],"names":["n"],"mappings":"AAAAA"}}]}'),
  (5, '{"version":3,"sources":["\u00fcber.js"],"sourcesContent":["// \u00fcber \ud83d\ude00\n"],"names":["\u00e9t\u00e9"],"mappings":"AAAAA"}'),
  (6, '{"version":3,"sources":["a.js"],"mappings":"AAAA","x_facebook_sources":[null],"x_metro_module_paths":["a"],"scopes":"B","file":null}');

-- Output then input gives the same text and the same stored bytes.
SELECT id, m::text::sourcemap::text = m::text AS text_stable,
       sourcemap_send(m::text::sourcemap) = sourcemap_send(m) AS bytes_stable
  FROM maps ORDER BY id;

-- Casts from text, json and jsonb (assignment casts: usable in INSERT).
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA"}'::text::sourcemap;
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA"}'::json::sourcemap;
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA"}'::jsonb::sourcemap;
SELECT sourcemap('{"version":3,"sources":["a.js"],"mappings":"AAAA"}'::jsonb)::text
     = sourcemap('{"version":3,"sources":["a.js"],"mappings":"AAAA"}'::text)::text AS same;
CREATE TABLE docs (t text, j json, jb jsonb);
INSERT INTO docs VALUES ('{"version":3,"sources":["t.js"],"mappings":"AAAA"}',
                         '{"version":3,"sources":["j.js"],"mappings":"AAAA"}',
                         '{"version":3,"sources":["jb.js"],"mappings":"AAAA"}');
INSERT INTO maps SELECT 10, t FROM docs;
INSERT INTO maps SELECT 11, j FROM docs;
INSERT INTO maps SELECT 12, jb FROM docs;
SELECT id, m FROM maps WHERE id >= 10 ORDER BY id;
-- The casts are not implicit: a text argument does not become a sourcemap.
SELECT sourcemap_info(t) FROM docs;
-- The cast functions reject invalid documents like the input function.
SELECT '{"version":2,"sources":[],"mappings":""}'::json::sourcemap;
SELECT '{"version":3,"sources":[],"mappings":5}'::jsonb::sourcemap;
DROP TABLE docs;

-- NULL in, NULL out; empty and blank inputs are syntax errors.
SELECT NULL::sourcemap IS NULL AS is_null;
SELECT sourcemap(NULL::text) IS NULL AS is_null;
SELECT ''::sourcemap;
SELECT '   '::sourcemap;
SELECT 'null'::sourcemap;

-- COPY in text format round-trips through output and input.
\copy maps TO 'results/type_io_maps.txt'
CREATE TABLE maps_text (LIKE maps);
\copy maps_text FROM 'results/type_io_maps.txt'
SELECT a.id, a.m::text = b.m::text AND sourcemap_send(a.m) = sourcemap_send(b.m) AS equal
  FROM maps a JOIN maps_text b USING (id) ORDER BY a.id;

-- COPY in binary format round-trips through send and recv.
\copy maps TO 'results/type_io_maps.bin' WITH (FORMAT binary)
CREATE TABLE maps_bin (LIKE maps);
\copy maps_bin FROM 'results/type_io_maps.bin' WITH (FORMAT binary)
SELECT a.id, a.m::text = b.m::text AND sourcemap_send(a.m) = sourcemap_send(b.m) AS equal
  FROM maps a JOIN maps_bin b USING (id) ORDER BY a.id;
SELECT count(*) FROM maps_bin;

-- The binary form is a wire version byte (1) followed by the stored bytes.
SELECT id, get_byte(sourcemap_send(m), 0) AS wire_version,
       length(sourcemap_send(m)) - 1 = (sourcemap_info(m)).stored_bytes AS rest_is_stored
  FROM maps ORDER BY id;

-- recv treats its input as untrusted.  A binary COPY of a bytea column
-- writes the raw bytes, so it can hand recv any bytes we like.
CREATE TABLE raw (b bytea);
CREATE TABLE one (m sourcemap);
INSERT INTO raw SELECT sourcemap_send(m) FROM maps WHERE id = 2;
\copy raw TO 'results/type_io_good.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_good.bin' WITH (FORMAT binary)
SELECT m::text = (SELECT m::text FROM maps WHERE id = 2) AS equal FROM one;
-- Malformed values, one file each: empty; unknown wire version; version
-- byte only; truncated by one byte; one byte of trailing garbage; damaged
-- magic; JSON text where the stored form belongs.
CREATE TABLE bad (n int, b bytea);
INSERT INTO bad SELECT 1, ''::bytea;
INSERT INTO bad SELECT 2, set_byte(sourcemap_send(m), 0, 2) FROM maps WHERE id = 2;
INSERT INTO bad SELECT 3, '\x01'::bytea;
INSERT INTO bad SELECT 4, substring(sourcemap_send(m) FROM 1 FOR length(sourcemap_send(m)) - 1) FROM maps WHERE id = 2;
INSERT INTO bad SELECT 5, sourcemap_send(m) || '\x00'::bytea FROM maps WHERE id = 2;
INSERT INTO bad SELECT 6, set_byte(sourcemap_send(m), 1, get_byte(sourcemap_send(m), 1) # 255) FROM maps WHERE id = 2;
INSERT INTO bad SELECT 7, '\x01'::bytea || convert_to('{"version":3,"sources":[],"mappings":""}', 'UTF8');
\copy (SELECT b FROM bad WHERE n = 1) TO 'results/type_io_bad1.bin' WITH (FORMAT binary)
\copy (SELECT b FROM bad WHERE n = 2) TO 'results/type_io_bad2.bin' WITH (FORMAT binary)
\copy (SELECT b FROM bad WHERE n = 3) TO 'results/type_io_bad3.bin' WITH (FORMAT binary)
\copy (SELECT b FROM bad WHERE n = 4) TO 'results/type_io_bad4.bin' WITH (FORMAT binary)
\copy (SELECT b FROM bad WHERE n = 5) TO 'results/type_io_bad5.bin' WITH (FORMAT binary)
\copy (SELECT b FROM bad WHERE n = 6) TO 'results/type_io_bad6.bin' WITH (FORMAT binary)
\copy (SELECT b FROM bad WHERE n = 7) TO 'results/type_io_bad7.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad1.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad2.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad3.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad4.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad5.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad6.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad7.bin' WITH (FORMAT binary)
-- all of them are 22P03 (invalid_binary_representation)
\set VERBOSITY sqlstate
\copy one FROM 'results/type_io_bad1.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad2.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad3.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad4.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad5.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad6.bin' WITH (FORMAT binary)
\copy one FROM 'results/type_io_bad7.bin' WITH (FORMAT binary)
\set VERBOSITY default
SELECT count(*) FROM one;
DROP TABLE raw, bad, one, maps_text, maps_bin, maps;
