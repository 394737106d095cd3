-- issue 13: React Native maps made by the real tools (test/data/metro/make.sh:
-- metro-source-map's packager map with x_facebook_sources, hermesc's map
-- composed with it by composeSourceMaps), against metro-symbolicate's answers.
\set packager `cat test/data/metro/index.bundle.js.map`
\set hermes `cat test/data/metro/index.android.bundle.map`
CREATE TABLE rn_maps (name text, map sourcemap);
INSERT INTO rn_maps VALUES ('index.bundle.js.map', :'packager'), ('index.android.bundle.map', :'hermes');

-- Nothing lost: the output is the input, as JSON data (x_facebook_sources and
-- Hermes' x_hermes_function_offsets included).
SELECT name, map::text::jsonb = (CASE name WHEN 'index.bundle.js.map' THEN :'packager' ELSE :'hermes' END)::jsonb AS same_json,
       map::text::jsonb ? 'x_facebook_sources' AS has_fb, map::text::jsonb ? 'x_hermes_function_offsets' AS has_hermes
  FROM rn_maps ORDER BY name;

-- metro-symbolicate's answer at every segment's position (and the column after).
CREATE TABLE rn_expected (map text, gen_line int, gen_col int, source text, line text, col text, name text, function text);
ALTER TABLE rn_expected ALTER map SET DEFAULT 'index.bundle.js.map';
\copy rn_expected (gen_line, gen_col, source, line, col, name, function) FROM PROGRAM 'grep -v "^#" test/data/metro/index.bundle.js.map.symbolicate.tsv'
ALTER TABLE rn_expected ALTER map SET DEFAULT 'index.android.bundle.map';
\copy rn_expected (gen_line, gen_col, source, line, col, name, function) FROM PROGRAM 'grep -v "^#" test/data/metro/index.android.bundle.map.symbolicate.tsv'
SELECT e.map, count(*) AS positions,
       count(*) FILTER (WHERE f.source IS NOT DISTINCT FROM nullif(e.source, '-')
                          AND f.line::text IS NOT DISTINCT FROM nullif(e.line, '-')
                          AND f.col::text IS NOT DISTINCT FROM nullif(e.col, '-')
                          AND f.name IS NOT DISTINCT FROM nullif(e.name, '-')
                          AND f.function IS NOT DISTINCT FROM nullif(e.function, '-')) AS agree,
       count(*) FILTER (WHERE e.function <> '-') AS with_function
  FROM rn_expected e JOIN rn_maps m ON m.name = e.map
  LEFT JOIN LATERAL sourcemap_lookup_frame(m.map, e.gen_line, e.gen_col) f ON true
 GROUP BY e.map ORDER BY e.map;

-- A Hermes frame: line 0 (1 in the stack trace), column = bytecode offset.
SELECT f.source, f.line, f.col, f.function
  FROM rn_maps m, sourcemap_lookup_frame(m.map, 0, 628) f WHERE m.name = 'index.android.bundle.map';
-- Metro's name comes first; the minified name only where the map has none.
SELECT f.function FROM rn_maps m, sourcemap_lookup_frame(m.map, 0, 628, 'minifiedName') f
 WHERE m.name = 'index.android.bundle.map';
SELECT f.function FROM sourcemap_lookup_frame('{"version":3,"sources":["a.js"],"mappings":"AAAA",
  "x_facebook_sources":[[{"names":[""],"mappings":"AAA"}]]}', 0, 0, 'minifiedName') f;

-- Malformed x_facebook_sources is refused: what and where.
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA","x_facebook_sources":[[{"names":["f"],"mappings":"AC"}]]}'::sourcemap;
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA","x_facebook_sources":[[{"names":["f"],"mappings":"A$"}]]}'::sourcemap;
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA","x_facebook_sources":{"a.js":null}}'::sourcemap;
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA","x_facebook_sources":[null,null]}'::sourcemap;
\set VERBOSITY sqlstate
SELECT '{"version":3,"sources":["a.js"],"mappings":"AAAA","x_facebook_sources":[[{"names":["f"],"mappings":"AAC;AAD"}]]}'::sourcemap;
\set VERBOSITY default
