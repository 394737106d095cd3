-- replace a map by another row's map (a stored value copied), or by a parsed one
\set id random(1, :nmaps)
\set other random(1, :nmaps)
\set k random(1, :npool)
UPDATE maps SET m = coalesce((SELECT m FROM maps WHERE id = :other), m) WHERE id = :id;
UPDATE maps SET m = sourcemap(p.j) FROM pool p WHERE maps.id = :other AND p.k = :k;
