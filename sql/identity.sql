-- Identity is the map's content, not its stored bytes (stored format
-- version 3: a content digest in the header, src/core/format/sm_digest.h).
-- Values of format version 2 (no digest) and values stored by releases
-- 0.1.0 and 0.2.0 equal, order and hash as the same map stored today, in
-- operators, hash and btree indexes, unique constraints and hash
-- partitions; a value whose digest is not its content's is refused.
-- Binary values come in through binary COPY files (test/pgcopy.sh).

CREATE TABLE cur (name text PRIMARY KEY, m sourcemap);
\set toastr `cat test/data/corpus/toastr@2.1.4/toastr.js.map`
\set sentry `cat test/data/corpus/@sentry/browser@11.12.0/globalhandlers.js.map`
\set jquery `cat test/data/corpus/synthetic/sourceroot-abs/jquery.min.map`
INSERT INTO cur VALUES ('toastr', :'toastr'), ('sentry', :'sentry'), ('jquery', :'jquery'),
	('small', '{"version":3,"sources":["a.js"],"names":["x"],"mappings":"AAAAA","sourcesContent":["let x = 1; let y = x + x + x + x + x + x + x + x;"]}'),
	('kept', '{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA","x_custom":{"a":[1,2,3,1,2,3,1,2,3,1,2,3,1,2,3,1,2,3]}}');

-- each value as format version 2 (digest zero), and each release's values of three of the maps
\copy (SELECT m FROM cur ORDER BY name) TO 'results/identity.copy' (FORMAT binary)
\! bash test/pgcopy.sh extract results/identity.copy results/identity-
\! for i in 1 2 3 4 5; do bash test/pgcopy.sh v2 results/identity-$i.smap results/identity-v2-$i.smap; done
\! bash test/pgcopy.sh values results/identity-v2-?.smap > results/identity-v2.copy
\! bash test/pgcopy.sh values test/data/legacy/0.1.0--*.smap > results/identity-0.1.0.copy
\! bash test/pgcopy.sh values test/data/legacy/0.2.0--*.smap > results/identity-0.2.0.copy
CREATE TABLE old (m sourcemap, origin text);
\copy old (m) FROM 'results/identity-v2.copy' (FORMAT binary)
UPDATE old SET origin = 'format 2';
\copy old (m) FROM 'results/identity-0.1.0.copy' (FORMAT binary)
UPDATE old SET origin = '0.1.0' WHERE origin IS NULL;
\copy old (m) FROM 'results/identity-0.2.0.copy' (FORMAT binary)
UPDATE old SET origin = '0.2.0' WHERE origin IS NULL;

-- every older value equals today's value of the same map (same JSON), by every operator and hash
-- (0.2.0's values keep their parts as zlib compressed them, this build's libdeflate: other bytes)
SELECT c.name, o.origin, o.m = c.m AS eq, o.m <> c.m AS ne, sourcemap_cmp(o.m, c.m) AS cmp,
	o.m <= c.m AND o.m >= c.m AND NOT o.m < c.m AND NOT o.m > c.m AS order_eq,
	sourcemap_hash(o.m) = sourcemap_hash(c.m) AS hash_eq,
	sourcemap_hash_extended(o.m, 42) = sourcemap_hash_extended(c.m, 42) AS hash42_eq,
	sourcemap_send(o.m) = sourcemap_send(c.m) AS same_bytes
FROM cur c JOIN old o ON o.m::text = c.m::text ORDER BY 1, 2;
SELECT count(*) AS old_values FROM old;

-- different maps are unequal; the order over all values is total and consistent with =
CREATE TABLE allv AS SELECT m FROM cur UNION ALL SELECT m FROM old;
SELECT count(*) FILTER (WHERE (a.m = b.m) <> (a.m::text = b.m::text)) AS eq_not_content,
	bool_and((a.m < b.m)::int + (a.m = b.m)::int + (a.m > b.m)::int = 1) AS trichotomy,
	bool_and(sign(sourcemap_cmp(a.m, b.m)) = -sign(sourcemap_cmp(b.m, a.m))) AS antisymmetric,
	bool_and((a.m = b.m) <= (sourcemap_hash(a.m) = sourcemap_hash(b.m))) AS equal_hash
FROM allv a, allv b;
SELECT count(*) AS intransitive FROM allv a, allv b, allv c
WHERE a.m <= b.m AND b.m <= c.m AND NOT a.m <= c.m;

-- a hash index over the mix finds today's values' older copies; so does a btree index (small maps)
CREATE INDEX old_hash ON old USING hash (m);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM old WHERE m = (SELECT m FROM cur WHERE name = 'toastr');
SELECT c.name, (SELECT count(*) FROM old o WHERE o.m = c.m) AS found FROM cur c ORDER BY 1;
RESET enable_seqscan;
CREATE TABLE small_old AS SELECT m FROM old WHERE octet_length(sourcemap_send(m)) < 2000;
CREATE INDEX small_old_btree ON small_old (m);
SET enable_seqscan = off;
SELECT c.name, (SELECT count(*) FROM small_old o WHERE o.m = c.m) AS found
FROM cur c WHERE octet_length(sourcemap_send(m)) < 2000 ORDER BY 1;
RESET enable_seqscan;

-- a unique constraint holding older values refuses today's copy
CREATE TABLE uniq (m sourcemap UNIQUE);
INSERT INTO uniq SELECT m FROM old WHERE origin = 'format 2' AND octet_length(sourcemap_send(m)) < 2000;
INSERT INTO uniq SELECT m FROM cur WHERE name = 'small';

-- hash partitions: today's value routes to the partition holding its older copies
CREATE TABLE parted (m sourcemap, origin text) PARTITION BY HASH (m);
CREATE TABLE parted_0 PARTITION OF parted FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE parted_2 PARTITION OF parted FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO parted SELECT * FROM old;
SELECT count(*) AS misrouted FROM parted p JOIN cur c ON p.m = c.m
WHERE NOT satisfies_hash_partition('parted'::regclass, 3,
	right(p.tableoid::regclass::text, 1)::int, c.m);
SELECT c.name, (SELECT count(*) FROM parted p WHERE p.m = c.m) AS found FROM cur c ORDER BY 1;

-- a value whose header digest is not its content's is refused
\! bash test/pgcopy.sh forge results/identity-4.smap results/identity-forged.smap
\! bash test/pgcopy.sh values results/identity-forged.smap > results/identity-forged.copy
\copy old (m) FROM 'results/identity-forged.copy' (FORMAT binary)

DROP TABLE cur, old, allv, small_old, uniq, parted;
