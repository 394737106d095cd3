-- The batch form of sourcemap_lookup: one row per array element, in order.

CREATE TABLE bm AS SELECT
	'{"version":3,"sources":["a.js","b.js"],"names":["x"],"mappings":"AAAA,EACAA,ECAA;A,EAAC"}'::sourcemap AS m;

-- a whole trace in one call, against the scalar form element by element
SELECT b.*, b IS NOT DISTINCT FROM
	(SELECT row(b.ord, s.source, s.line, s.col, s.name, s.ignored)
	 FROM sourcemap_lookup(m, (ARRAY[0,0,0,0,1,1,5])[b.ord], (ARRAY[0,2,3,9,0,2,0])[b.ord]) s) AS same_as_scalar
FROM bm, sourcemap_lookup(m, ARRAY[0,0,0,0,1,1,5], ARRAY[0,2,3,9,0,2,0]) b
ORDER BY ord;

-- every bias
SELECT bias, array_agg(coalesce(source || ':' || line || ':' || col, '-') ORDER BY ord)
FROM bm, unnest(ARRAY['glb','lub','exact','glb_cross_line']) bias,
	sourcemap_lookup(m, ARRAY[0,0,1,1,2], ARRAY[1,3,0,1,0], bias)
GROUP BY bias ORDER BY bias;

-- empty arrays give no rows
SELECT count(*) FROM bm, sourcemap_lookup(m, '{}'::int[], '{}'::int[]);

-- NULL elements give a row of NULLs at their position
SELECT ord, source, line, col FROM bm, sourcemap_lookup(m, ARRAY[0,NULL,0], ARRAY[0,0,NULL]) ORDER BY ord;

-- NULL arrays: no rows (the function is strict)
SELECT count(*) FROM bm, sourcemap_lookup(m, NULL::int[], ARRAY[1]);

-- errors
SELECT * FROM bm, sourcemap_lookup(m, ARRAY[0,0], ARRAY[0]);
SELECT * FROM bm, sourcemap_lookup(m, ARRAY[0,-1], ARRAY[0,0]);
SELECT * FROM bm, sourcemap_lookup(m, ARRAY[0], ARRAY[-5]);
SELECT * FROM bm, sourcemap_lookup(m, ARRAY[[0,0],[0,0]], ARRAY[0,0,0,0]);
SELECT * FROM bm, sourcemap_lookup(m, ARRAY[0], ARRAY[0], 'nearest');

-- arrays with lower bounds other than 1 still number rows from 1
SELECT ord, line, col FROM bm, sourcemap_lookup(m, '[5:6]={0,0}'::int[], '[0:1]={0,2}'::int[]) ORDER BY ord;

DROP TABLE bm;
