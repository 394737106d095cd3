-- a 500-frame batch lookup on a map that other clients replace and delete
\set id random(1, :nmaps)
SELECT count(r.source) FROM maps,
	LATERAL sourcemap_lookup(m, (SELECT array_agg(g % 30) FROM generate_series(1, 500) g),
		(SELECT array_agg((g * 37) % 20000) FROM generate_series(1, 500) g)) r
WHERE id = :id;
