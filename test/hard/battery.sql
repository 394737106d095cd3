-- test/hard/battery.sql -- every function of the extension on one value.
--
-- hard_battery(m, raw, src) runs every function of the extension on a map
-- and checks that the answers agree with each other: the map is either the
-- in-memory value m (src NULL) or every row of the table named by src, whose
-- column m is then read as stored (through TOAST slices and the per-backend
-- cache when out of line).  raw is the binary form the value must send back
-- (NULL: not checked).  Returns a one-line summary; raises on any
-- inconsistency.  Used by corrupt.sh on every accepted mutant.

CREATE TABLE IF NOT EXISTS hard_seed (name text PRIMARY KEY, m sourcemap NOT NULL);
CREATE TABLE IF NOT EXISTS hard_mut (m sourcemap);

CREATE OR REPLACE FUNCTION hard_battery(m sourcemap, raw bytea, src text)
RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
	t text := coalesce(src, '(SELECT $1::sourcemap AS m)');
	i record;
	x record;
	n bigint;
	k bigint;
	h1 text;
	h2 text;
	j text;
	bs bytea;
	gl int[];
	gc int[];
	ss text[];
	sl int[];
	sc int[];
	lines int[];
	cols int[];
	b text;
	canonical boolean;
BEGIN
	EXECUTE format('SELECT i.* FROM %s t, sourcemap_info(t.m) i', t) INTO i USING m;
	IF i.version <> 3 OR i.segments < 0 OR i.generated_lines < 1 OR i.sources < 0 OR i.names < 0 THEN
		RAISE EXCEPTION 'implausible sourcemap_info: %', i;
	END IF;

	-- every segment; a sample of positions for the lookups
	EXECUTE format('SELECT count(*), count(k.source), max(k.gen_line) FROM %s t, sourcemap_tokens(t.m) k', t)
		INTO x USING m;
	IF x.count <> i.segments THEN
		RAISE EXCEPTION 'sourcemap_tokens gives % rows, sourcemap_info % segments', x.count, i.segments;
	END IF;
	IF x.max >= i.generated_lines THEN
		RAISE EXCEPTION 'token on line %, but the map has % lines', x.max, i.generated_lines;
	END IF;
	n := x.count;
	EXECUTE format($q$
		SELECT array_agg(gen_line), array_agg(gen_col), array_agg(source), array_agg(line), array_agg(col)
		FROM (SELECT k.* FROM %s t,
				sourcemap_tokens(t.m) WITH ORDINALITY k(gen_line, gen_col, source, line, col, name, o)
			  WHERE o %% $2 = 1 OR o = $3) s$q$, t)
		INTO gl, gc, ss, sl, sc USING m, greatest(n / 6, 1), n;

	-- lookups: single and batch, every bias, at the sample, just after it and at the edges
	lines := coalesce(gl, '{}') || coalesce(gl, '{}')
		|| ARRAY[0, 1, i.generated_lines - 1, i.generated_lines, 2147483647, 0, 0];
	cols := coalesce(gc, '{}') || coalesce((SELECT array_agg(least(c, 2147483646) + 1) FROM unnest(gc) c), '{}')
		|| ARRAY[0, 0, 1000, 0, 0, 2147483647, 65536];
	FOREACH b IN ARRAY ARRAY['glb', 'lub', 'exact', 'glb_cross_line'] LOOP
		EXECUTE format($q$
			SELECT md5(string_agg(concat_ws('|', p.o, r.source, r.line, r.col, r.name, r.ignored), ',' ORDER BY p.o))
			FROM %s t, unnest($2::int[], $3::int[]) WITH ORDINALITY p(l, c, o),
				LATERAL sourcemap_lookup(t.m, p.l, p.c, $4) r$q$, t)
			INTO h1 USING m, lines, cols, b;
		EXECUTE format($q$
			SELECT md5(string_agg(concat_ws('|', r.ord, r.source, r.line, r.col, r.name, r.ignored), ',' ORDER BY r.ord))
			FROM %s t, sourcemap_lookup(t.m, $2::int[], $3::int[], $4) r$q$, t)
			INTO h2 USING m, lines, cols, b;
		IF h1 IS DISTINCT FROM h2 THEN
			RAISE EXCEPTION 'bias %: single lookups and the batch lookup disagree', b;
		END IF;
	END LOOP;

	-- sources against the map's URL: single and batch lookups agree, every source comes out
	EXECUTE format($q$
		SELECT md5(string_agg(concat_ws('|', p.o, r.source, r.line, r.col, r.name, r.ignored), ',' ORDER BY p.o))
		FROM %s t, unnest($2::int[], $3::int[]) WITH ORDINALITY p(l, c, o),
			LATERAL sourcemap_lookup(t.m, p.l, p.c, 'glb', 'https://example.com/js/app.js.map') r$q$, t)
		INTO h1 USING m, lines, cols;
	EXECUTE format($q$
		SELECT md5(string_agg(concat_ws('|', r.ord, r.source, r.line, r.col, r.name, r.ignored), ',' ORDER BY r.ord))
		FROM %s t, sourcemap_lookup(t.m, $2::int[], $3::int[], 'glb', 'https://example.com/js/app.js.map') r$q$, t)
		INTO h2 USING m, lines, cols;
	IF h1 IS DISTINCT FROM h2 THEN
		RAISE EXCEPTION 'with map_url: single lookups and the batch lookup disagree';
	END IF;
	EXECUTE format('SELECT count(*) FROM %s t, sourcemap_sources(t.m, ''/static/app.js.map'') s', t)
		INTO k USING m;
	IF k <> i.sources THEN
		RAISE EXCEPTION 'sourcemap_sources(map, map_url) gives % rows, sourcemap_info % sources', k, i.sources;
	END IF;

	-- stack frames: position and enclosing function (the FUNCTIONS section)
	EXECUTE format($q$
		SELECT count(f.source), count(f.function)
		FROM %s t, unnest($2::int[], $3::int[]) p(l, c),
			LATERAL (SELECT * FROM sourcemap_lookup_frame(t.m, p.l, p.c)
					 UNION ALL SELECT * FROM sourcemap_lookup_frame(t.m, p.l, p.c, 'minified')) f$q$, t)
		INTO x USING m, lines, cols;

	-- sources, names, contents
	EXECUTE format('SELECT count(*), count(s.source), count(*) FILTER (WHERE s.has_content) FROM %s t, sourcemap_sources(t.m) s', t)
		INTO x USING m;
	IF x.count <> i.sources THEN
		RAISE EXCEPTION 'sourcemap_sources gives % rows, sourcemap_info % sources', x.count, i.sources;
	END IF;
	EXECUTE format('SELECT count(*), sum(length(s.name)) FROM %s t, sourcemap_names(t.m) s', t)
		INTO x USING m;
	IF x.count <> i.names THEN
		RAISE EXCEPTION 'sourcemap_names gives % rows, sourcemap_info % names', x.count, i.names;
	END IF;
	EXECUTE format($q$
		SELECT sum(length(sourcemap_source_content(t.m, g)))
		FROM %s t, (SELECT generate_series(0, least($2, 6)) UNION SELECT $2 - 1 UNION SELECT 2147483647) g(g)
		WHERE g >= 0$q$, t)
		INTO k USING m, i.sources;
	EXECUTE format($q$
		SELECT count(sourcemap_source_content(t.m, s)) FROM %s t, unnest($2::text[] || '{"no such source", ""}') s$q$, t)
		INTO k USING m, ss[1:2];
	EXECUTE format($q$
		SELECT count(*) FROM %s t, sourcemap_sources(t.m) s
		WHERE s.has_content AND s.idx < 4 AND sourcemap_source_content(t.m, s.idx) IS NULL$q$, t)
		INTO k USING m;
	IF k <> 0 THEN
		RAISE EXCEPTION '% sources have content but sourcemap_source_content gives NULL', k;
	END IF;

	-- context lines from a text given, here the first sources' contents
	EXECUTE format($q$
		SELECT count(x.line) FROM %s t, sourcemap_sources(t.m) s,
			LATERAL sourcemap_context(sourcemap_source_content(t.m, s.idx), 1, 3, 2) x
		WHERE s.has_content AND s.idx < 4$q$, t)
		INTO k USING m;

	-- context lines and reverse lookups at the sampled original positions
	EXECUTE format($q$
		SELECT count(x.line), sum(cardinality(x.pre) + cardinality(x.post))
		FROM %s t, unnest($2::text[], $3::int[], $4::int[]) p(s, l, c),
			LATERAL (SELECT * FROM sourcemap_context(t.m, p.s, p.l, p.c, 3, true)
					 UNION ALL SELECT * FROM sourcemap_context(t.m, p.s, p.l, NULL, 0, false)
					 UNION ALL SELECT * FROM sourcemap_context(t.m, p.s, p.l + 100000, p.c, 2147483647, true)) x
		WHERE p.s IS NOT NULL$q$, t)
		INTO x USING m, ss, sl, sc;
	EXECUTE format($q$
		SELECT count(*)
		FROM %s t, unnest($2::text[], $3::int[], $4::int[]) p(s, l, c),
			LATERAL (SELECT * FROM sourcemap_generated_positions(t.m, p.s, p.l, p.c)
					 UNION ALL SELECT * FROM sourcemap_generated_positions(t.m, p.s, p.l, NULL)
					 UNION ALL SELECT * FROM sourcemap_generated_positions(t.m, p.s, p.l + 1, 2147483647)) g
		WHERE p.s IS NOT NULL$q$, t)
		INTO k USING m, ss, sl, sc;
	IF ss IS NOT NULL AND EXISTS (SELECT FROM unnest(ss) s WHERE s IS NOT NULL) AND k = 0 THEN
		RAISE EXCEPTION 'no generated position found for any of the sampled tokens';
	END IF;

	-- output: canonical JSON that reads back; send gives back the received bytes.
	-- A value may claim up to 2^30 empty lines, which are that many ';' in its
	-- JSON form: past 2^26 (64 MB of them) the round trip (output, two parses,
	-- all in PL/pgSQL variables) takes minutes and gigabytes, so such a value
	-- is written out once, through its length, and not read back
	IF i.generated_lines > 67108864 THEN
		EXECUTE format('SELECT length(t.m::text) FROM %s t', t) INTO k USING m;
		IF k < i.generated_lines THEN
			RAISE EXCEPTION 'the JSON form has % bytes for % lines', k, i.generated_lines;
		END IF;
		EXECUTE format('SELECT sourcemap_send(t.m) FROM %s t', t) INTO bs USING m;
	ELSE
		EXECUTE format('SELECT t.m::text FROM %s t', t) INTO j USING m;
		BEGIN
			PERFORM sourcemap_in(j::cstring);
		EXCEPTION WHEN OTHERS THEN
			RAISE EXCEPTION 'the canonical JSON of the value does not read back: %', SQLERRM;
		END;
		EXECUTE format('SELECT sourcemap_send(t.m) FROM %s t', t) INTO bs USING m;
		-- read back, it is the same map: same segments, sources, contents, names
		-- (its bytes may differ when recv took a valid but non-canonical encoding)
		EXECUTE format($q$
			SELECT (SELECT md5(string_agg(concat_ws('|', k.gen_line, k.gen_col, k.source, k.line, k.col, k.name), ','))
					FROM sourcemap_tokens(t.m) k) AS tokens,
				(SELECT md5(string_agg(concat_ws('|', s.idx, s.source, s.ignored, s.has_content,
					md5(sourcemap_source_content(t.m, s.idx))), ',')) FROM sourcemap_sources(t.m) s) AS sources,
				(SELECT md5(string_agg(n.name, ',')) FROM sourcemap_names(t.m) n) AS names
			FROM %s t$q$, t) INTO x USING m;
		SELECT (SELECT md5(string_agg(concat_ws('|', k.gen_line, k.gen_col, k.source, k.line, k.col, k.name), ','))
				FROM sourcemap_tokens(r.m) k) IS NOT DISTINCT FROM x.tokens
			AND (SELECT md5(string_agg(concat_ws('|', s.idx, s.source, s.ignored, s.has_content,
				md5(sourcemap_source_content(r.m, s.idx))), ',')) FROM sourcemap_sources(r.m) s) IS NOT DISTINCT FROM x.sources
			AND (SELECT md5(string_agg(n.name, ',')) FROM sourcemap_names(r.m) n) IS NOT DISTINCT FROM x.names,
			sourcemap_send(r.m) = bs
		INTO h1, canonical
		FROM (SELECT sourcemap_in(j::cstring) AS m) r;
		IF NOT h1::boolean THEN
			RAISE EXCEPTION 'the value read back from its canonical JSON is another map';
		END IF;
	END IF;
	IF raw IS NOT NULL AND bs IS DISTINCT FROM raw THEN
		RAISE EXCEPTION 'sourcemap_send does not give back the received bytes (% vs % bytes)',
			length(bs), length(raw);
	END IF;
	IF length(bs) <> i.stored_bytes + 1 THEN
		RAISE EXCEPTION 'sourcemap_send gives % bytes, stored_bytes is %', length(bs), i.stored_bytes;
	END IF;

	-- the rest: debug id, summary, operators, hashing, the cache
	EXECUTE format($q$
		SELECT sourcemap_debug_id(t.m) AS d, sourcemap_summary(t.m) AS s, sourcemap_hash(t.m) AS h,
			sourcemap_hash_extended(t.m, 7) AS he, sourcemap_cmp(t.m, t.m) AS c, t.m = t.m AS eq,
			t.m < t.m AS lt, t.m <> t.m AS ne,
			(SELECT count(*) FROM hard_seed s WHERE s.m = t.m OR s.m < t.m OR sourcemap_cmp(s.m, t.m) > 0) AS o
		FROM %s t$q$, t)
		INTO x USING m;
	IF x.c <> 0 OR NOT x.eq OR x.lt OR x.ne THEN
		RAISE EXCEPTION 'a value does not equal itself: %', x;
	END IF;
	IF x.d IS DISTINCT FROM i.debug_id THEN
		RAISE EXCEPTION 'sourcemap_debug_id % but sourcemap_info %', x.d, i.debug_id;
	END IF;
	PERFORM sourcemap_cache_stats();

	RETURN format('segments=%s lines=%s sources=%s names=%s json=%s canonical=%s', i.segments,
		i.generated_lines, i.sources, i.names, coalesce(length(j), k), canonical);
END
$fn$;
