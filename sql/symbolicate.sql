-- Around a lookup: source context, reverse lookup, stack traces, the
-- references of a generated file, and compressed input.

\set VERBOSITY terse

-- A map over three sources, two with contents; line 1 of a.js has a 2-unit
-- character (U+1F600, 4 UTF-8 bytes) and b.js has CRLF line ends.
-- Generated line 0: (0,0) a.js 0:0, (0,2) a.js 0:1, (0,4) a.js 1:0;
-- line 1: (1,0) b.js 1:0, (1,1) b.js 1:0, (1,3) b.js 1:2; line 2: (2,0) b.js 0:3 "n".
CREATE TABLE sm AS SELECT '{"version":3,"sources":["a.js","b.js","c.js"],
 "sourcesContent":["l0\nx😀y = 1;\nl2\nl3\nl4\nl5\nl6",
                   "one\r\ntwo\r\nthree", null],
 "names":["n"],
 "mappings":"AAAA,EAAC,EACD;ACAA,CAAA,EAAE;AADCA"}'::sourcemap AS m;

-- context: radius, ends of the file, CRLF, no content, unknown source, no such line
SELECT c.* FROM sm, sourcemap_context(m, 'a.js', 3, NULL, 2) c;
SELECT c.* FROM sm, sourcemap_context(m, 'a.js', 0, NULL, 1) c;
SELECT c.* FROM sm, sourcemap_context(m, 'a.js', 6, NULL, 1) c;
SELECT c.* FROM sm, sourcemap_context(m, 'b.js', 1) c;
SELECT c.* FROM sm, sourcemap_context(m, 'a.js', 1, 0, 0) c;
SELECT sourcemap_context(m, 'c.js', 0) IS NULL AS no_content,
	sourcemap_context(m, 'nope.js', 0) IS NULL AS unknown_source,
	sourcemap_context(m, 'a.js', 7) IS NULL AS past_the_end,
	sourcemap_context(m, 'a.js', 0, NULL, NULL) IS NULL AS null_radius
FROM sm;
SELECT c.* FROM sm, sourcemap_context(m, 'a.js', -1) c;
SELECT c.* FROM sm, sourcemap_context(m, 'a.js', 1, 0, -2) c;

-- trimming of a long line around a column, in UTF-16 units
CREATE TABLE longline AS SELECT format('{"version":3,"sources":["l.js"],"sourcesContent":["%s"],"names":[],"mappings":"AAAA"}',
	repeat('a', 100) || '😀' || repeat('b', 200))::sourcemap AS m;
SELECT length(line) AS len, left(line, 10) AS head, right(line, 10) AS tail,
	strpos(line, '😀') > 0 AS has_emoji
FROM longline, sourcemap_context(m, 'l.js', 0, 150, 0, true);
SELECT length(line) AS untrimmed FROM longline, sourcemap_context(m, 'l.js', 0, 150, 0);
SELECT left(line, 12) AS head, right(line, 7) AS tail FROM longline, sourcemap_context(m, 'l.js', 0, NULL, 0, true);

-- reverse lookup: exact column, next column on the line, whole line, next line with mappings
SELECT g.* FROM sm, sourcemap_generated_positions(m, 'a.js', 0, 0) g;
SELECT g.* FROM sm, sourcemap_generated_positions(m, 'a.js', 0, 1) g;
SELECT g.* FROM sm, sourcemap_generated_positions(m, 'a.js', 0) g;
SELECT g.* FROM sm, sourcemap_generated_positions(m, 'b.js', 0) g;
SELECT g.* FROM sm, sourcemap_generated_positions(m, 'b.js', 5) g;
SELECT count(*) FROM sm, sourcemap_generated_positions(m, 'nope.js', 0);
-- and back: every generated position found maps to that original position
SELECT bool_and(l.source = 'a.js' AND l.line = g.line AND l.col = g.col) AS round_trip
FROM sm, sourcemap_generated_positions(m, 'a.js', 0) g,
	LATERAL sourcemap_lookup(m, g.gen_line, g.gen_col, 'exact') l;

-- stack traces of three engines
SELECT * FROM sourcemap_parse_stack(E'TypeError: x is undefined\n'
	'    at applyCoupon (https://cdn.example.com/app.min.js:1:48213)\n'
	'    at async Cart.checkout (https://cdn.example.com:8443/app.min.js:1:512)\n'
	'    at new Foo (webpack:///./src/foo.js:10:5)\n'
	'    at https://cdn.example.com/vendor.js:3:17\n'
	'    at Array.forEach (<anonymous>)');
SELECT * FROM sourcemap_parse_stack(E'applyCoupon@https://cdn.example.com/app.min.js:1:48213\n'
	'@https://cdn.example.com/app.min.js:1:9\n'
	'checkout@https://cdn.example.com/app.min.js line 2 > eval:1:3');
SELECT * FROM sourcemap_parse_stack(E'applyCoupon@https://cdn.example.com/app.min.js:1:48214\n'
	'global code@https://cdn.example.com/app.min.js:1:10\n'
	'forEach@[native code]');
SELECT count(*) FROM sourcemap_parse_stack('no frames here');

-- references of a generated file
SELECT * FROM sourcemap_references(E'var a=1;\n//# sourceMappingURL=app.min.js.map\n//# debugId=85314830-023F-4cf1-b267-535f4e37bb17\n');
SELECT * FROM sourcemap_references(E'/*# sourceMappingURL=first.map */\nvar b;\n//# sourceMappingURL=data:application/json;base64,e30=');
SELECT * FROM sourcemap_references('var nothing;');

-- compressed input: raw, gzip and zlib bytes give the same map
\set doc '{"version":3,"sources":["z.js"],"names":[],"mappings":"AAAA;AACA"}'
\set gz `printf '%s' '{"version":3,"sources":["z.js"],"names":[],"mappings":"AAAA;AACA"}' | gzip -c | od -An -v -tx1 | tr -d ' \n'`
\set zl `printf '%s' '{"version":3,"sources":["z.js"],"names":[],"mappings":"AAAA;AACA"}' | python3 -c 'import sys,zlib; sys.stdout.write(zlib.compress(sys.stdin.buffer.read()).hex())'`
SELECT convert_to(:'doc', 'UTF8')::sourcemap = :'doc'::sourcemap AS raw_ok,
	decode(:'gz', 'hex')::sourcemap = :'doc'::sourcemap AS gzip_ok,
	decode(:'zl', 'hex')::sourcemap = :'doc'::sourcemap AS zlib_ok,
	sourcemap_from_bytes(decode(:'gz', 'hex'), 100) = :'doc'::sourcemap AS bounded_ok;
-- too large once decompressed (54000), corrupt, truncated, not a map
\set VERBOSITY sqlstate
SELECT sourcemap_from_bytes(decode(:'gz', 'hex'), 10);
\set VERBOSITY terse
SELECT sourcemap_from_bytes(decode(:'gz', 'hex'), 10);
SELECT sourcemap_from_bytes(convert_to(:'doc', 'UTF8'), 10);
SELECT sourcemap_from_bytes(decode(:'gz', 'hex'), -1);
SELECT decode(left(:'gz', 30), 'hex')::sourcemap;
SELECT decode('1f8b08000000000000ff0000ffff', 'hex')::sourcemap;
SELECT '\x0001'::bytea::sourcemap;
-- a decompression bomb: 64 MB of zeros in about 64 kB of gzip
\set bomb `head -c 67108864 /dev/zero | gzip -c | od -An -v -tx1 | tr -d ' \n'`
SELECT length(decode(:'bomb', 'hex')) < 100000 AS small_input;
\set VERBOSITY sqlstate
SELECT sourcemap_from_bytes(decode(:'bomb', 'hex'), 1048576);
\set VERBOSITY terse
SELECT sourcemap_from_bytes(decode(:'bomb', 'hex'), 1048576);

DROP TABLE sm, longline;
