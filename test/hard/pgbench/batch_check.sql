-- the batch form over every known answer of one stable map, checked
\set id random(1, :nstable)
SELECT CASE WHEN count(*) FILTER (WHERE concat_ws('|', r.source, r.line, r.col, r.name) IS DISTINCT FROM e.answer) > 0
	OR count(*) <> (SELECT count(*) FROM expected WHERE map_id = :id AND bias = 'glb')
	THEN format('wrong batch answers for map %s: %s of %s', :id,
		count(*) FILTER (WHERE concat_ws('|', r.source, r.line, r.col, r.name) IS DISTINCT FROM e.answer), count(*))::int END
FROM (SELECT array_agg(line ORDER BY k) AS lines, array_agg(col ORDER BY k) AS cols,
		array_agg(answer ORDER BY k) AS answers
	  FROM expected WHERE map_id = :id AND bias = 'glb') a
	JOIN stable s ON s.id = :id,
	LATERAL sourcemap_lookup(s.m, a.lines, a.cols, 'glb') r,
	LATERAL (SELECT a.answers[r.ord] AS answer) e;
