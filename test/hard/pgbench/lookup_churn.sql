-- a lookup on a map that other clients replace and delete
\set id random(1, :nmaps)
\set line random(0, 40)
\set col random(0, 20000)
SELECT (sourcemap_lookup(m, :line, :col, 'lub')).* FROM maps WHERE id = :id;
