\set id random(1, :nmaps)
DELETE FROM maps WHERE id = :id;
