-- compose: sourcemap_compose and sourcemap_compose_agg on the chains of
-- test/data/compose (stage maps built with terser, esbuild, tsc and rollup,
-- and one made by hand; make.sh there rebuilds them): each composed map must
-- equal @jridgewell/remapping's composition of the same chain (expected.map)
-- as a value, i.e. the same segments, sources, names, contents, ignore list
-- and file.  Then every error path, with its SQLSTATE.

CREATE TABLE stage (chain text, k int, map sourcemap, PRIMARY KEY (chain, k));
CREATE TABLE expected (chain text PRIMARY KEY, map sourcemap);
CREATE TEMP TABLE files (chain text, k int, b64 text);
\copy files FROM PROGRAM 'cd test/data && for l in compose/*/chain.txt; do c=${l%/chain.txt}; k=0; while read -r f; do printf "%s\t%s\t" "${c#compose/}" "$k"; base64 -w0 "$f"; echo; k=$((k+1)); done < "$l"; printf "%s\t-1\t" "${c#compose/}"; base64 -w0 "$c/expected.map"; echo; done'
INSERT INTO stage SELECT chain, k, convert_from(decode(b64, 'base64'), 'UTF8')::sourcemap FROM files WHERE k >= 0;
-- remapping always writes an ignore list; a stored map keeps an empty one verbatim
-- (a member a composed map does not have), so it is left out here
INSERT INTO expected SELECT chain, (j - CASE WHEN j->'ignoreList' = '[]' THEN 'ignoreList' ELSE '' END)::text::sourcemap
  FROM (SELECT chain, convert_from(decode(b64, 'base64'), 'UTF8')::jsonb AS j FROM files WHERE k = -1) f;
SELECT chain, count(*) AS stages FROM stage GROUP BY chain ORDER BY chain;

-- The array form: the last stage first.
SELECT e.chain, sourcemap_compose(array_agg(s.map ORDER BY s.k)) = e.map AS same_as_remapping,
       (sourcemap_info(e.map)).segments
  FROM stage s JOIN expected e USING (chain)
 GROUP BY e.chain, e.map ORDER BY e.chain;

-- The aggregate reads the same.
SELECT chain, sourcemap_compose_agg(map ORDER BY k) = (SELECT map FROM expected e WHERE e.chain = s.chain) AS same
  FROM stage s GROUP BY chain ORDER BY chain;

-- What a composed map answers: a position in terser's output of toastr.min.js,
-- looked up through both maps by hand and in the composed map.
SELECT p.* FROM stage s, sourcemap_lookup(s.map, 0, 1000) p WHERE chain = 'toastr' AND k = 0;
SELECT q.* FROM stage s0, sourcemap_lookup(s0.map, 0, 1000) p, stage s1,
       sourcemap_lookup(s1.map, p.line, p.col) q
 WHERE s0.chain = 'toastr' AND s0.k = 0 AND s1.chain = 'toastr' AND s1.k = 1;
SELECT p.* FROM stage s, stage s1, sourcemap_lookup(sourcemap_compose(ARRAY[s.map, s1.map]), 0, 1000) p
 WHERE s.chain = 'toastr' AND s.k = 0 AND s1.chain = 'toastr' AND s1.k = 1;

-- The hand-made chain in full: dropped segments, 1-field segments, inner names,
-- an ignore list from both maps, content from the map that has it.
SELECT sourcemap_compose(ARRAY[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0),
                               (SELECT map FROM stage WHERE chain = 'edge' AND k = 1)])::text;

-- One map composes to itself as remapping writes it: redundant segments and
-- unused sources out (remapping gives the same text, in another key order).
SELECT sourcemap_compose(ARRAY['{"version":3,"file":"x.js","sources":["a.js","unused.js"],"names":["n"],"mappings":"AAAAA,CAAAA,C;AACA"}'::sourcemap])::text;

-- Errors
\set VERBOSITY sqlstate
SELECT sourcemap_compose('{}'::sourcemap[]);
SELECT sourcemap_compose(ARRAY[NULL::sourcemap]);
SELECT sourcemap_compose(ARRAY[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0), NULL]);
SELECT sourcemap_compose(ARRAY[[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0)]]);
SELECT sourcemap_compose_agg(m) FROM (VALUES ((SELECT map FROM stage WHERE chain = 'edge' AND k = 0)), (NULL)) v(m);
\set VERBOSITY default
SELECT sourcemap_compose('{}'::sourcemap[]);
SELECT sourcemap_compose(ARRAY[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0), NULL]);
SELECT sourcemap_compose(ARRAY[[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0)]]);
-- several sources, and the next map's "file" names none of them
SELECT sourcemap_compose(ARRAY[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0),
                               '{"version":3,"file":"other.js","sources":["x"],"mappings":"AAAA"}']);
SELECT sourcemap_compose(ARRAY[(SELECT map FROM stage WHERE chain = 'edge' AND k = 0),
                               '{"version":3,"sources":["x"],"mappings":"AAAA"}']);
-- NULL in, NULL out (STRICT); no rows, NULL
SELECT sourcemap_compose(NULL) IS NULL AS null_array;
SELECT sourcemap_compose_agg(map) IS NULL AS no_rows FROM stage WHERE false;
