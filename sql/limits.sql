-- Named limits (src/core/base/sm_limits.h): each one at the limit and one past
-- it.  Past a limit is SQLSTATE 54000 with a message naming it.

\set VERBOSITY sqlstate
CREATE FUNCTION limit_error(doc text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM doc::sourcemap;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- "sources": 4,194,304 entries (the entries past a limit are never kept;
-- test/limits/large.sql checks the other large limits, at and past them)
SELECT limit_error('{"version":3,"sources":[' || repeat('null,', 4194304) || 'null],"mappings":""}');
-- the same limit for the ignore list and sourcesContent
SELECT limit_error('{"version":3,"sources":[],"mappings":"","ignoreList":[' || repeat('0,', 4194304) || '0]}');
SELECT limit_error('{"version":3,"sources":[],"mappings":"","sourcesContent":[' || repeat('null,', 4194304) || 'null]}');

-- sections of one index map: 65,536
SELECT limit_error('{"version":3,"sections":[' ||
	(SELECT string_agg(format('{"offset":{"line":%s,"column":0},"map":{"version":3,"sources":[],"mappings":""}}', i), ',')
	 FROM generate_series(0, 65536) i) || ']}');

-- index maps inside index maps: 8 levels
CREATE FUNCTION nested(depth int) RETURNS text LANGUAGE sql AS $$
	SELECT CASE WHEN depth = 0 THEN '{"version":3,"sources":["x.js"],"mappings":"AAAA"}'
		ELSE '{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":' || nested(depth - 1) || '}]}' END
$$;
SELECT limit_error(nested(8));
SELECT limit_error(nested(9));

-- JSON nesting: 64 levels
SELECT limit_error('{"version":3,"sources":[],"mappings":"","x":' || repeat('[', 63) || repeat(']', 63) || '}');
SELECT limit_error('{"version":3,"sources":[],"mappings":"","x":' || repeat('[', 64) || repeat(']', 64) || '}');

-- the JSON form of what is stored: 1 GB - 1, like the input.  An index map
-- section far down gives a value whose JSON form is a billion ';' longer
-- than the document: the last line that fits, and the first that does not
CREATE FUNCTION far_section(line bigint) RETURNS text LANGUAGE sql AS $$
	SELECT format('{"version":3,"sections":[{"offset":{"line":%s,"column":0},"map":{"version":3,"sources":["a.js"],"mappings":"AAAA"}}]}', line)
$$;
-- (its JSON form is that many ';' and 61 more bytes)
SELECT length(sourcemap_out(far_section(10)::sourcemap)::text) AS json_length_at_line_10;
SELECT limit_error(far_section(1073741823 - 61));
SELECT limit_error(far_section(1073741823 - 60));
DROP FUNCTION limit_error(text), nested(int), far_section(bigint);
