-- the other functions on a changing map
\set id random(1, :nmaps)
SELECT count(*) FROM maps, sourcemap_tokens(m) WHERE id = :id;
SELECT count(*), count(source) FROM maps, sourcemap_sources(m) WHERE id = :id;
SELECT (sourcemap_info(m)).segments, sourcemap_summary(m), length(sourcemap_source_content(m, 0)),
	sourcemap_debug_id(m) FROM maps WHERE id = :id;
SELECT c.line FROM maps, sourcemap_sources(m) s, sourcemap_context(m, s.source, 3, 10) c
WHERE id = :id AND s.idx = 0;
SELECT count(*) FROM maps, sourcemap_sources(m) s, sourcemap_generated_positions(m, s.source, 5) g
WHERE id = :id AND s.idx < 2;
