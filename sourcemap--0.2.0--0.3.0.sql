-- sourcemap 0.2.0 -> 0.3.0: what changed in the SQL of 0.2.0 after its
-- release (commit 6c12612), which 0.2.0 installs never got.
\echo Use "ALTER EXTENSION sourcemap UPDATE TO '0.3.0'" to load this file. \quit

-- sourcemap_summary gets its own search_path, and every operator and type in
-- its body is qualified: they must not resolve through the caller's
-- search_path (a hostile schema could plant a || or a text).
CREATE OR REPLACE FUNCTION sourcemap_summary(map sourcemap) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 200
	SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT 'sourcemap v' OPERATOR(pg_catalog.||) i.version::pg_catalog.text
		OPERATOR(pg_catalog.||) ' file=' OPERATOR(pg_catalog.||) coalesce('"' OPERATOR(pg_catalog.||) pg_catalog.replace(pg_catalog.replace(pg_catalog.regexp_replace(
				CASE WHEN pg_catalog.length(i.file) OPERATOR(pg_catalog.>) 80 THEN pg_catalog.left(i.file, 77) OPERATOR(pg_catalog.||) '...' ELSE i.file END,
				'[[:cntrl:]]', ' ', 'g'), '\', '\\'), '"', '\"') OPERATOR(pg_catalog.||) '"', '-')
		OPERATOR(pg_catalog.||) ' sources=' OPERATOR(pg_catalog.||) i.sources::pg_catalog.text
		OPERATOR(pg_catalog.||) ' names=' OPERATOR(pg_catalog.||) i.names::pg_catalog.text
		OPERATOR(pg_catalog.||) ' segments=' OPERATOR(pg_catalog.||) i.segments::pg_catalog.text
		OPERATOR(pg_catalog.||) ' lines=' OPERATOR(pg_catalog.||) i.generated_lines::pg_catalog.text
		OPERATOR(pg_catalog.||) ' debug_id=' OPERATOR(pg_catalog.||) coalesce(i.debug_id::pg_catalog.text, '-')
		OPERATOR(pg_catalog.||) ' size=' OPERATOR(pg_catalog.||) pg_catalog.pg_size_pretty(i.stored_bytes::pg_catalog.int8)
	  FROM @extschema@.sourcemap_info(map) i
	$$;

-- Planning costs of the symbolication helpers, measured as sourcemap.sql
-- describes (20,000 calls on toastr's map).
ALTER FUNCTION sourcemap_lookup_frame(sourcemap, int, int, text) COST 100;
ALTER FUNCTION sourcemap_context(sourcemap, text, int, int, int, boolean) COST 5000;
ALTER FUNCTION sourcemap_generated_positions(sourcemap, text, int, int) COST 250;
ALTER FUNCTION sourcemap_parse_stack(text) COST 60;
ALTER FUNCTION sourcemap_references(text) COST 2500;
ALTER FUNCTION sourcemap_from_bytes(bytea, bigint) COST 50000;
ALTER FUNCTION sourcemap(bytea) COST 50000;
ALTER FUNCTION sourcemap(text, text) COST 100000;

-- Indexes (unique constraints too) and hash partitioning on sourcemap columns
-- hold the 0.2.0 library's order and hashes of the stored bytes; this
-- release's library orders and hashes every value by a digest of its content
-- (stored format 3), so the same values order and hash otherwise (test/upgrade/
-- indexes.sh shows it).  Name them; rebuilding user data is left to the user
-- (README, "Upgrading": REINDEX, and UPDATE of hash-partitioned tables).
DO $$
DECLARE
	indexes text;
	partitioned text;
BEGIN
	SELECT pg_catalog.string_agg(DISTINCT i.indexrelid::pg_catalog.regclass::pg_catalog.text, ', ')
	  INTO indexes
	  FROM pg_catalog.pg_index i, pg_catalog.unnest(i.indclass::pg_catalog.oid[]) c(opclass), pg_catalog.pg_opclass o
	 WHERE o.oid OPERATOR(pg_catalog.=) c.opclass
	   AND o.opcintype OPERATOR(pg_catalog.=) '@extschema@.sourcemap'::pg_catalog.regtype;
	IF indexes IS NOT NULL THEN
		RAISE WARNING 'indexes on sourcemap columns must be rebuilt after this update: %', indexes
			USING HINT = 'Run REINDEX INDEX on each of them (README, "Upgrading").';
	END IF;
	SELECT pg_catalog.string_agg(DISTINCT p.partrelid::pg_catalog.regclass::pg_catalog.text, ', ')
	  INTO partitioned
	  FROM pg_catalog.pg_partitioned_table p, pg_catalog.unnest(p.partclass::pg_catalog.oid[]) c(opclass), pg_catalog.pg_opclass o
	 WHERE p.partstrat OPERATOR(pg_catalog.=) 'h' AND o.oid OPERATOR(pg_catalog.=) c.opclass
	   AND o.opcintype OPERATOR(pg_catalog.=) '@extschema@.sourcemap'::pg_catalog.regtype;
	IF partitioned IS NOT NULL THEN
		RAISE WARNING 'tables hash-partitioned by a sourcemap column must have their rows moved to the right partitions after this update: %', partitioned
			USING HINT = 'Run UPDATE t SET m = m on each of them, m the partition key (README, "Upgrading").';
	END IF;
END $$;

-- issue 13: URLs, context from a given text ----------------------------------

-- Measured as the header says, with load average 4 on 2 cores: about 0.5 us
-- per candidate row (~25x an operator).
CREATE FUNCTION sourcemap_url_candidates(url text)
	RETURNS TABLE (ord int, candidate text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 25 ROWS 5;
COMMENT ON FUNCTION sourcemap_url_candidates(text) IS
	'keys under which the map of a frame''s script may be stored, most specific first (ord from 1): the URL as given, without fragment, without query, ~/path forms (any host), the path, the file name';

-- About 1 us (~50x).
CREATE FUNCTION sourcemap_resolve_url(base text, relative text) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50;
COMMENT ON FUNCTION sourcemap_resolve_url(text, text) IS
	'relative resolved against base by the WHATWG URL rules ECMA-426 uses for sources (a base without a scheme is taken as a path); NULL when the URL parser fails';

-- Under 0.1 us (~5x).
CREATE FUNCTION sourcemap_strip_prefix(source text) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 5;
COMMENT ON FUNCTION sourcemap_strip_prefix(text) IS
	'a source path without a bundler prefix: webpack://<namespace>/, turbopack://<namespace>/[project]/, then leading ./';

-- About 1 us per row more than sourcemap_sources(map): the resolution.
CREATE FUNCTION sourcemap_sources(map sourcemap, map_url text)
	RETURNS TABLE (idx int, source text, ignored boolean, has_content boolean)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 60;
COMMENT ON FUNCTION sourcemap_sources(sourcemap, text) IS
	'the sources table with each source (sourceRoot joined) resolved against the map''s URL as ECMA-426 does; a source the URL parser fails on is left as it is';

-- A lookup plus resolving the source (about 1 us more; the batch form
-- resolves each source once per call).
CREATE FUNCTION sourcemap_lookup(map sourcemap, line int, col int, bias text, map_url text)
	RETURNS sourcemap_position
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 150;
COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int, int, text, text) IS
	'sourcemap_lookup with the source resolved against the map''s URL (map_url) as ECMA-426 does';

CREATE FUNCTION sourcemap_lookup(map sourcemap, lines int[], cols int[], bias text, map_url text)
	RETURNS TABLE (ord int, source text, line int, col int, name text, ignored boolean)
	AS 'MODULE_PATHNAME', 'sourcemap_lookup_batch' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50 ROWS 100;
COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int[], int[], text, text) IS
	'batch lookup with each source resolved against the map''s URL (map_url) as ECMA-426 does';

-- About 37 us on 5 kB of text (~2000x); splitting the text into lines
-- dominates, so it grows with the text.
CREATE FUNCTION sourcemap_context(content text, line int, col int,
	radius int DEFAULT 5, trim_lines boolean DEFAULT true,
	OUT pre text[], OUT line text, OUT post text[])
	AS 'MODULE_PATHNAME', 'sourcemap_context_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 2000;
COMMENT ON FUNCTION sourcemap_context(text, int, int, int, boolean) IS
	'lines around a 0-based line of a text the caller gives (an original file, the minified file): up to radius before and after; trim_lines cuts lines over 150 UTF-16 units to about 140 around col, marked {snip}; NULL when the text has no such line';

-- issue 13: compose
-- COST: about 1.5 ingests of the map it makes (bench/COMPOSE.md), an ingest being 50000.
CREATE FUNCTION sourcemap_compose(maps sourcemap[]) RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 75000;
COMMENT ON FUNCTION sourcemap_compose(sourcemap[]) IS
	'one map from a chain of maps, the last stage first (maps[1] maps the final output, each next one maps the code that is a source of the one before), as @jridgewell/remapping composes them';

CREATE AGGREGATE sourcemap_compose_agg(map sourcemap) (
	SFUNC = pg_catalog.array_append,
	STYPE = @extschema@.sourcemap[],
	FINALFUNC = @extschema@.sourcemap_compose,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sourcemap_compose_agg(sourcemap) IS
	'sourcemap_compose of the maps in aggregation order (write ORDER BY so that the last stage comes first); NULL for no rows';

-- issue 13: frames (lookup status, stack formats) ----------------------------

-- sourcemap_lookup_frame gets a status column: a new row type, so the
-- function is dropped and created again (nothing in the extension uses it).
DROP FUNCTION sourcemap_lookup_frame(sourcemap, int, int, text);
-- About 1 us, like a lookup.  Not STRICT: minified_name may be NULL; a NULL
-- map, line or col gives a row with only the status (no_map, no_position).
CREATE FUNCTION sourcemap_lookup_frame(map sourcemap, line int, col int, minified_name text DEFAULT NULL,
	OUT source text, OUT line int, OUT col int, OUT name text, OUT function text, OUT ignored boolean,
	OUT status text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	COST 100;
COMMENT ON FUNCTION sourcemap_lookup_frame(sourcemap, int, int, text) IS
	'a stack frame: the original position (glb) plus the original name of the enclosing function (from the scopes field or the generated source given at input), else minified_name, and the status of the lookup (as sourcemap_explain); only the status when nothing maps';

-- sourcemap_parse_stack gets the format and eval origin columns, and an eval
-- frame's url and position become its own (they were the eval origin's).
DROP FUNCTION sourcemap_parse_stack(text);
-- About 1.4 us per frame (~60x).
CREATE FUNCTION sourcemap_parse_stack(stack text)
	RETURNS TABLE (ord int, function text, url text, lineno int, colno int, format text,
		eval_function text, eval_url text, eval_lineno int, eval_colno int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 60 ROWS 20;
COMMENT ON FUNCTION sourcemap_parse_stack(text) IS
	'frames of a V8, Hermes, SpiderMonkey or JavaScriptCore error.stack: ord from 1 (innermost first), lineno and colno 1-based as printed, format v8, hermes, hermes_bytecode (colno a bytecode offset), spidermonkey, jsc or gecko (either of the last two), and for eval code the eval origin in a script';

-- Not STRICT: a NULL map or position is a status too.  About a lookup when
-- it maps; a few lookups when it does not.
CREATE FUNCTION sourcemap_explain(map sourcemap, line int, col int, bias text DEFAULT 'glb')
	RETURNS TABLE (status text, detail text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	COST 200 ROWS 1;
COMMENT ON FUNCTION sourcemap_explain(sourcemap, int, int, text) IS
	'why a lookup of a 0-based generated (line, col) with bias finds what it finds: status ok, unmapped_segment, before_first_segment, after_last_segment, no_segment_at_column, no_segment_on_line, line_past_end, no_mappings, no_map or no_position, and a sentence with the numbers';

-- The stack of original frames at one generated position: the functions the
-- map's scopes field says were inlined there, out to the real generated
-- function; without that field, one row, sourcemap_lookup_frame's answer.
CREATE FUNCTION sourcemap_lookup_frames(map sourcemap, line int, col int)
	RETURNS TABLE (depth int, source text, line int, col int, name text, function text,
		inlined boolean, hidden boolean)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 100 ROWS 1;
COMMENT ON FUNCTION sourcemap_lookup_frames(sourcemap, int, int) IS
	'the original frames at a 0-based generated (line, col), innermost first (depth 0): with the scopes field, one row per inlined function (inlined, at the glb position, then at each call site) out to the real function, hidden as the field says; without it, one row: the glb position and the enclosing function';
