-- parse a map from JSON and insert it (or replace the row's map)
\set id random(1, :nmaps)
\set k random(1, :npool)
INSERT INTO maps SELECT :id, j::sourcemap FROM pool WHERE k = :k
ON CONFLICT (id) DO UPDATE SET m = EXCLUDED.m;
