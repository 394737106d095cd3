-- The large named limits (src/core/base/sm_limits.h), at the limit and one past
-- it: each builds tens of megabytes, so this runs apart from the regression
-- suite (.ci/run: psql -f test/limits/large.sql, output compared with
-- test/limits/large.out).

\set VERBOSITY sqlstate
CREATE FUNCTION limit_error(doc text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM doc::sourcemap;
	RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- "sources": 4,194,304 entries
SELECT limit_error('{"version":3,"sources":[' || repeat('null,', 4194303) || 'null],"mappings":""}');
-- (one past it: sql/limits.sql)

-- "names": 16,777,216 entries
SELECT limit_error('{"version":3,"sources":[],"mappings":"","names":[' || repeat('"",', 16777216) || '""]}');

-- segments: 33,554,432
SELECT limit_error('{"version":3,"sources":[],"mappings":"' || repeat('A,', 33554431) || 'A"}');
SELECT limit_error('{"version":3,"sources":[],"mappings":"' || repeat('A,', 33554432) || 'A"}');

DROP FUNCTION limit_error(text);
