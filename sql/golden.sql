-- golden: every vendored real map (test/data/corpus) against its golden
-- answers (test/data/golden: 1,000 lookups per map and bias, computed by
-- @jridgewell/trace-mapping), through the SQL functions.  The expected
-- source is the specification's sourceRoot join of the raw sources entry
-- (the golden files' resolved_source is trace-mapping's normalised URL).

CREATE TABLE maps (path text PRIMARY KEY, b64 text, map sourcemap);
\copy maps (path, b64) FROM PROGRAM 'cd test/data && for f in corpus/*/*.map corpus/*/*/*.map; do printf "%s\t" "$f"; base64 -w0 "$f"; echo; done'
UPDATE maps SET map = convert_from(decode(b64, 'base64'), 'UTF8')::sourcemap;
SELECT path, segments, sources, names, stored_bytes < octet_length(decode(b64, 'base64')) AS smaller_than_json
  FROM maps, sourcemap_info(map) ORDER BY path;

CREATE TABLE golden (path text, bias text, gen_line int, gen_col int, src_index text,
                     raw_source text, resolved_source text, orig_line text, orig_col text,
                     name_index text, name text);
\copy golden FROM PROGRAM 'awk -F"\t" ''FNR == 1 { split($0, h, " "); bias = (FILENAME ~ /glb.tsv$/) ? "glb" : "lub" } /^#/ { next } { print h[3] "\t" bias "\t" $0 }'' test/data/golden/*.tsv' WITH (FORMAT csv, DELIMITER E'\t', QUOTE E'\x01')

CREATE TABLE checked AS
SELECT g.path, g.bias, g.gen_line, g.gen_col, p.*,
       CASE WHEN g.orig_line = '-' THEN p IS NULL
            ELSE p.source IS NOT DISTINCT FROM
                   CASE WHEN i.source_root IS NULL OR i.source_root = '' THEN g.raw_source
                        WHEN right(i.source_root, 1) = '/' THEN i.source_root || g.raw_source
                        ELSE i.source_root || '/' || g.raw_source END
                 AND p.line = g.orig_line::int AND p.col = g.orig_col::int
                 AND p.name IS NOT DISTINCT FROM nullif(g.name, '-')
       END AS ok
  FROM golden g JOIN maps m USING (path),
       LATERAL sourcemap_info(m.map) i,
       LATERAL sourcemap_lookup(m.map, g.gen_line, g.gen_col, g.bias) p;

SELECT path, bias, count(*) AS answers, count(*) FILTER (WHERE ok) AS agree
  FROM checked GROUP BY path, bias ORDER BY path, bias;
-- any disagreement, in full
SELECT * FROM checked WHERE ok IS NOT TRUE ORDER BY path, bias, gen_line, gen_col LIMIT 20;
DROP TABLE checked, golden, maps;
