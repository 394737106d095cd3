-- Original function names: from the generated source given at input, and
-- from a function table carried in the JSON (x_sourcemap_functions, which
-- is also how the output keeps them).

-- toastr 2.1.4: its minified file and map, vendored in test/data/corpus
\set js `cat test/data/corpus/toastr@2.1.4/toastr.min.js`
\set map `cat test/data/corpus/toastr@2.1.4/toastr.js.map`
CREATE TABLE fm AS SELECT sourcemap(:'map', :'js') AS m, :'map'::sourcemap AS plain;

-- the frames of the README's stack trace (1-based as printed; the functions take 0-based)
SELECT f.minified, r.source, r.line, r.col, r.name, r.function
FROM fm, (VALUES (1, 1961, 'o'), (2, 3015, 'u'), (3, 2087, 's'), (4, 4630, 'g'), (5, 404, 'Object.i'))
	AS f(ord, colno, minified),
	LATERAL sourcemap_lookup_frame(m, 0, f.colno - 1, f.minified) r
ORDER BY f.ord;

-- without the generated source there is no function table: the minified name comes back
SELECT (sourcemap_lookup_frame(plain, 0, 1960, 'o')).function AS no_table,
	(sourcemap_lookup_frame(plain, 0, 1960)).function IS NULL AS no_name
FROM fm;

-- the table survives the text round trip, so dump/restore and COPY keep it
SELECT m::text::sourcemap = m AS round_trip, m <> plain AS differs_from_plain,
	m::text LIKE '%"x_sourcemap_functions":[[%' AS in_json
FROM fm;

-- a table given in the JSON: [line, column, name | "" (anonymous) | null (none)]
CREATE TABLE ft AS SELECT '{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA,KAAK",
	"x_sourcemap_functions":[[0,0,"outer"],[0,3,""],[0,8,null]]}'::sourcemap AS m;
SELECT c, (sourcemap_lookup_frame(m, 0, c, 'min')).function FROM ft, generate_series(0, 10, 2) c;
SELECT (sourcemap_lookup_frame(m, 5, 0)).status AS nothing_maps FROM ft;
SELECT sourcemap_lookup_frame(m, 0, -1) FROM ft;

-- bad tables
SELECT '{"version":3,"sources":[],"mappings":"","x_sourcemap_functions":[[0,5,"a"],[0,2,null]]}'::sourcemap;
SELECT '{"version":3,"sources":[],"mappings":"","x_sourcemap_functions":[[0,5,"a"]]}'::sourcemap;
SELECT '{"version":3,"sources":[],"mappings":"","x_sourcemap_functions":[[0,5,7]]}'::sourcemap;
SELECT '{"version":3,"sources":[],"mappings":"","x_sourcemap_functions":[[0,5]]}'::sourcemap;
SELECT '{"version":3,"sources":[],"mappings":"","x_sourcemap_functions":{}}'::sourcemap;

-- the scanner is not a parser: broken code gives fewer functions, not an error
SELECT sourcemap('{"version":3,"sources":[],"mappings":""}', 'function (');

DROP TABLE fm, ft;
