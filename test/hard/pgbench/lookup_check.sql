-- a lookup on a map that never changes, checked against its known answer
-- (a wrong answer fails the transaction: the text cast to int names it)
\set k random(1, :nexp)
SELECT CASE WHEN concat_ws('|', r.source, r.line, r.col, r.name) IS DISTINCT FROM e.answer
	THEN format('wrong answer for k=%s: %s, expected %s', e.k, concat_ws('|', r.source, r.line, r.col, r.name), e.answer)::int END
FROM expected e JOIN stable s ON s.id = e.map_id,
	LATERAL sourcemap_lookup(s.m, e.line, e.col, e.bias) r
WHERE e.k = :k;
