-- issue 13: finding a frame's map by URL, resolving sources against the
-- map's URL, bundler prefixes, context from a given text, and documents as
-- servers deliver them (a BOM, the )]}' first line).

-- sourcemap_url_candidates: most specific first
SELECT * FROM sourcemap_url_candidates('https://cdn.example.com/js/app.min.js?v=3#frag');
SELECT * FROM sourcemap_url_candidates('https://cdn.example.com/js/app.min.js');
SELECT * FROM sourcemap_url_candidates('app:///_next/server/pages/_error.js');
SELECT * FROM sourcemap_url_candidates('~/js/app.min.js');
SELECT * FROM sourcemap_url_candidates('https://example.com');
SELECT * FROM sourcemap_url_candidates('');
SELECT count(*) FROM sourcemap_url_candidates(NULL);

-- the README's join: a frame finds its map among uploaded artifacts keyed by URL
CREATE TABLE artifacts (url text PRIMARY KEY, map sourcemap);
INSERT INTO artifacts VALUES
	('~/js/app.min.js', '{"version":3,"sources":["src/any-host.ts"],"names":[],"mappings":"AAAA"}'),
	('https://cdn.example.com/js/app.min.js', '{"version":3,"sources":["src/exact.ts"],"names":[],"mappings":"AAAA"}'),
	('~/js/vendor.js', '{"version":3,"sources":["src/vendor.ts"],"names":[],"mappings":"AAAA"}'),
	('legacy.js', '{"version":3,"sources":["src/by-name.ts"],"names":[],"mappings":"AAAA"}');
CREATE TABLE frames (id int, url text, lineno int, colno int);
INSERT INTO frames VALUES
	(1, 'https://cdn.example.com/js/app.min.js?v=3', 1, 1),
	(2, 'https://staging.example.com/js/app.min.js', 1, 1),
	(3, 'https://cdn.example.com/js/vendor.js#x', 1, 1),
	(4, 'https://old.example.com/static/legacy.js', 1, 1),
	(5, 'https://cdn.example.com/js/unknown.js', 1, 1);
SELECT f.id, a.url AS artifact, p.source
  FROM frames f
  LEFT JOIN LATERAL (
	SELECT a.url, a.map FROM sourcemap_url_candidates(f.url) c
	  JOIN artifacts a ON a.url = c.candidate
	 ORDER BY c.ord LIMIT 1) a ON true
  LEFT JOIN LATERAL sourcemap_lookup(a.map, f.lineno - 1, f.colno - 1) p ON true
 ORDER BY f.id;

-- sourcemap_resolve_url: WHATWG resolution, as ECMA-426 resolves sources
SELECT base, rel, sourcemap_resolve_url(base, rel) FROM (VALUES
	('https://example.com/js/app.js.map', '../src/app.ts'),
	('https://example.com/js/app.js.map', './src/./a/../app.ts'),
	('https://example.com/js/app.js.map', '/src/app.ts'),
	('https://example.com/js/app.js.map', '//cdn.example.com/app.ts'),
	('https://example.com/js/app.js.map', 'webpack:///./src/app.ts'),
	('https://example.com/js/app.js.map?v=1', '?v=2'),
	('https://example.com/js/app.js.map', 'my file.ts#L1'),
	('https://Example.COM:443/js/', 'a\b.ts'),
	('webpack://app/src/a.ts', '../lib/b.ts'),
	('file:///home/u/dist/app.js.map', '../src/a.ts'),
	('data:application/json,{}', 'a.ts'),
	('http://example.com:99999/', 'a.ts'),
	('/static/js/app.js.map', '../src/a.ts'),
	('dist/app.js.map', '../src/a.ts'),
	('', './a/../b.ts')) v(base, rel);
SELECT sourcemap_resolve_url(NULL, 'a'), sourcemap_resolve_url('a', NULL);
SELECT sourcemap_resolve_url('https://example.com/', 'é€.ts');

-- sourcemap_strip_prefix
SELECT s, sourcemap_strip_prefix(s) FROM (VALUES
	('webpack:///./src/a.js'), ('webpack://my-app/./src/a.js'), ('webpack:///src/a.js'),
	('webpack:///../node_modules/x/index.js'), ('turbopack:///[project]/src/a.ts'),
	('./src/a.js'), ('https://h/./a.js'), ('/abs/a.js'), ('')) v(s);
SELECT sourcemap_strip_prefix(NULL);

-- sources and lookups against the map's URL
CREATE TABLE um (m sourcemap);
INSERT INTO um VALUES ('{"version":3,"sourceRoot":"../src/","sources":["a.ts","/abs/b.ts","webpack:///c.ts",null,"https://other.example.com/d.ts"],"names":["n"],"mappings":"AAAAA,EAAC,ECAA,EEAA;ADAA"}');
SELECT * FROM um, sourcemap_sources(m);
SELECT s.* FROM um, sourcemap_sources(m, 'https://example.com/static/js/app.js.map') s;
SELECT s.* FROM um, sourcemap_sources(m, 'data:application/json,x') s;
SELECT s.* FROM um, sourcemap_sources(m, '/static/js/app.js.map') s;
SELECT count(*) FROM um, sourcemap_sources(m, NULL) s;
SELECT (sourcemap_lookup(m, 0, 0)).* FROM um;
SELECT (sourcemap_lookup(m, 0, 0, 'glb', 'https://example.com/static/js/app.js.map')).* FROM um;
SELECT (sourcemap_lookup(m, 0, 2, 'glb', 'https://example.com/static/js/app.js.map')).* FROM um;
SELECT (sourcemap_lookup(m, 0, 6, 'exact', 'https://example.com/static/js/app.js.map')).* FROM um;
SELECT sourcemap_lookup(m, 0, 1, 'exact', 'https://example.com/static/js/app.js.map') IS NULL AS unmapped FROM um;
SELECT sourcemap_lookup(m, 0, 0, 'glb', NULL) IS NULL AS strict FROM um;
SELECT sourcemap_lookup(m, -1, 0, 'glb', 'https://example.com/') FROM um;
SELECT sourcemap_lookup(m, 0, -1, 'glb', 'https://example.com/') FROM um;
SELECT sourcemap_lookup(m, 0, 0, 'nearest', 'https://example.com/') FROM um;
SELECT b.* FROM um, sourcemap_lookup(m, ARRAY[0, 0, NULL, 1, 0], ARRAY[0, 2, 0, 0, 4], 'glb',
	'https://example.com/static/js/app.js.map') b;
SELECT b.* FROM um, sourcemap_lookup(m, ARRAY[0], ARRAY[-1], 'glb', 'https://example.com/') b;
SELECT count(*) FROM um, sourcemap_lookup(m, ARRAY[0], ARRAY[0], 'glb', NULL) b;
-- the overloads without a URL are unchanged
SELECT b.* FROM um, sourcemap_lookup(m, ARRAY[0, 1], ARRAY[2, 0]) b;

-- sourcemap_context on a given text: the same columns as from sourcesContent
SELECT * FROM sourcemap_context(E'l0\nl1\nl2\nl3\nl4\nl5\nl6', 3, 0, 2);
SELECT * FROM sourcemap_context(E'l0\nl1\nl2', 0, 0);
SELECT * FROM sourcemap_context(E'l0\r\nl1\u2028l2\n', 2, 0, 0);
SELECT sourcemap_context(E'l0\nl1', 2, 0) IS NULL AS past_end;
SELECT sourcemap_context('', 0, 0) IS NULL AS empty;
SELECT (sourcemap_context(repeat('a', 100) || 'X' || repeat('b', 100), 0, 100, 0)).line;
SELECT (sourcemap_context(repeat('a', 100) || 'X' || repeat('b', 100), 0, 100, 0, false)).line = repeat('a', 100) || 'X' || repeat('b', 100) AS untrimmed;
-- the same lines as sourcemap_context on the map's sourcesContent
WITH c AS (SELECT E'function f() {\n  return 1;\n}\nf();\n' AS content),
	 mm AS (SELECT sourcemap(json_build_object('version', 3, 'sources', json_build_array('a.js'),
		'sourcesContent', json_build_array(content), 'names', json_build_array(),
		'mappings', 'AAAA')::text) AS m, content FROM c)
SELECT sourcemap_context(content, 1, 2, 1) = sourcemap_context(m, 'a.js', 1, 2, 1, true) AS same_as_map
  FROM mm;
SELECT sourcemap_context('a', -1, 0);
SELECT sourcemap_context('a', 0, -1);
SELECT sourcemap_context('a', 0, 0, -1);
SELECT sourcemap_context(NULL::text, 0, 0) IS NULL AS null_content,
	sourcemap_context('a'::text, NULL, 0) IS NULL AS null_line,
	sourcemap_context('a'::text, 0, NULL) IS NULL AS null_col,
	sourcemap_context('a'::text, 0, 0, NULL) IS NULL AS null_radius,
	sourcemap_context('a'::text, 0, 0, 1, NULL) IS NULL AS null_trim;

-- documents as servers deliver them: a UTF-8 BOM, the )]}' first line
\set plain '{"version":3,"sources":["x.js"],"names":[],"mappings":"AAAA"}'
SELECT (E')]}\'\n' || :'plain')::sourcemap = :'plain'::sourcemap AS xssi_lf,
	(E')]}\'\r\n' || :'plain')::sourcemap = :'plain'::sourcemap AS xssi_crlf,
	(E')]}\', "junk"\n' || :'plain')::sourcemap = :'plain'::sourcemap AS xssi_rest_of_line,
	(E'\uFEFF' || :'plain')::sourcemap = :'plain'::sourcemap AS bom,
	(E'\uFEFF)]}\'\n' || :'plain')::sourcemap = :'plain'::sourcemap AS bom_then_xssi;
SELECT sourcemap_out(sourcemap_in((E')]}\'\n' || :'plain')::cstring))::text = sourcemap_out(:'plain'::sourcemap)::text AS type_input;
SELECT sourcemap_is_valid(E')]}\'\n' || :'plain') AS valid_xssi,
	sourcemap_is_valid(E'\uFEFF' || :'plain') AS valid_bom,
	sourcemap_is_valid(E')]}\'' || :'plain') AS valid_no_newline;
SELECT sourcemap(convert_to(E'\uFEFF)]}\'\n' || :'plain', 'UTF8')) = :'plain'::sourcemap AS bytea_cast,
	sourcemap_from_bytes(convert_to(E')]}\'\n' || :'plain', 'UTF8')) = :'plain'::sourcemap AS from_bytes;
\set gzxssi `printf ')]}'"'"'\n%s' '{"version":3,"sources":["x.js"],"names":[],"mappings":"AAAA"}' | gzip -c | od -An -v -tx1 | tr -d ' \n'`
\set gzbom `printf '\357\273\277%s' '{"version":3,"sources":["x.js"],"names":[],"mappings":"AAAA"}' | gzip -c | od -An -v -tx1 | tr -d ' \n'`
SELECT sourcemap_from_bytes(decode(:'gzxssi', 'hex')) = :'plain'::sourcemap AS gzip_xssi,
	decode(:'gzbom', 'hex')::sourcemap = :'plain'::sourcemap AS gzip_bom;
SELECT sourcemap((E'\uFEFF' || :'plain')::text, 'var x;') = sourcemap(:'plain'::text, 'var x;') AS with_source;
-- json checks its own syntax first: neither form is a json value
SELECT (E')]}\'\n' || :'plain')::json;
-- still errors, with the byte at fault counted from the first byte
SELECT E')]}\''::sourcemap;
SELECT (E')]}\'' || :'plain')::sourcemap;
SELECT (E')]}\'\n)]}\'\n' || :'plain')::sourcemap;
SELECT (E')]}\'\n\uFEFF' || :'plain')::sourcemap;
SELECT (E'\uFEFF\uFEFF' || :'plain')::sourcemap;
SELECT (E' )]}\'\n' || :'plain')::sourcemap;
SELECT E'{"version":3, )]}\'\n"sources":[],"names":[],"mappings":""}'::sourcemap;
SELECT sourcemap_from_bytes(convert_to(E'{"version":3,\uFEFF"sources":[]}', 'UTF8'));
