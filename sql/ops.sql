-- Equality, ordering and hashing: values are canonical, so equal maps have
-- equal bytes whatever the JSON looked like.

-- the opclasses are valid
SELECT amname, opcname, amvalidate(oc.oid)
FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
WHERE opcname IN ('sourcemap_ops', 'sourcemap_hash_ops') ORDER BY 1;

CREATE TABLE om (id int, m sourcemap);
INSERT INTO om VALUES
	(1, '{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}'),
	(2, '{ "mappings" : "AAAA", "names":[], "sources":["a.js"], "version":3 }'),  -- same map, other spelling
	(3, '{"version":3,"sources":["\u0061.js"],"names":[],"mappings":"AAAA"}'),  -- same, escaped
	(4, '{"version":3,"sources":["b.js"],"names":[],"mappings":"AAAA"}'),
	(5, '{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAC"}');

SELECT a.id, array_agg(b.id ORDER BY b.id) AS equal_to
FROM om a JOIN om b ON a.m = b.m GROUP BY a.id ORDER BY a.id;

SELECT count(DISTINCT m) FROM om;
SELECT count(*) FROM (SELECT m FROM om GROUP BY m) g;

-- <> is the negation of =; the order is total and consistent
SELECT bool_and((a.m = b.m) <> (a.m <> b.m)) AS ne_ok,
	bool_and((a.m < b.m)::int + (a.m = b.m)::int + (a.m > b.m)::int = 1) AS trichotomy,
	bool_and((a.m <= b.m) = (a.m < b.m OR a.m = b.m)) AS le_ok,
	bool_and((a.m >= b.m) = (b.m <= a.m)) AS ge_ok,
	bool_and(sign(sourcemap_cmp(a.m, b.m)) = -sign(sourcemap_cmp(b.m, a.m))) AS antisymmetric
FROM om a, om b;

-- equal values hash equally
SELECT count(DISTINCT sourcemap_hash(m)) AS distinct_hashes,
	bool_and(sourcemap_hash_extended(m, 0) = sourcemap_hash_extended(m, 0)) AS stable
FROM om;

-- a hash join and a btree index use them
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM om a JOIN om b ON a.m = b.m;
SELECT count(*) FROM om a JOIN om b ON a.m = b.m;
RESET enable_mergejoin; RESET enable_nestloop;
CREATE INDEX om_m ON om (m);
SET enable_seqscan = off;
SELECT id FROM om WHERE m = '{"version":3,"sources":["b.js"],"names":[],"mappings":"AAAA"}'::sourcemap;
RESET enable_seqscan;

DROP TABLE om;
