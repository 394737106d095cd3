\echo Use "CREATE EXTENSION sourcemap" to load this file. \quit

-- sourcemap.sql -- the current version of the extension, whole: the file to
-- read for its SQL interface.  `make` installs it as sourcemap--<version>.sql
-- for CREATE EXTENSION.  Released versions are replayed for upgrades by the
-- scripts beside it (sourcemap--0.1.0.sql, then each step script), which are
-- never edited; test/upgrade/run.sh checks that an upgraded database and a
-- fresh one built from this file have the same objects and definitions.  A
-- change here therefore comes with a new step script that makes the same
-- change.
--
-- All lines and columns are 0-based; columns count UTF-16 code units.  Every
-- function on maps depends only on its arguments (IMMUTABLE PARALLEL SAFE);
-- sourcemap_cache_stats alone reports this backend's state.
--
-- COST is in units of cpu_operator_cost (a simple built-in operator such as
-- int4 + int4 costs 1; for a set-returning function it is per row).  Without
-- it a C function costs 1, which tells the planner a lookup is as cheap as an
-- addition: it then underestimates a large re-symbolication query (so
-- parallel workers look less worthwhile than they are) and may evaluate a
-- lookup or a parse before a cheap filter.  The figures were measured on
-- PostgreSQL 15 (x86-64, one backend, the vendored maps in test/data/corpus,
-- 200,000 frames; toastr's map for the symbolication helpers), where an int4
-- operator takes about 0.02 us.  Opening a map that is not in the cache costs
-- far more (about 70 us for these maps), but a re-symbolication job opens
-- each map once per backend and then hits the cache, so the cached figure is
-- the one to plan with.  Functions without a COST are as cheap as an
-- operator (the type's I/O wrappers, comparisons, hashing).

-- The type ------------------------------------------------------------------

CREATE TYPE sourcemap;

CREATE FUNCTION sourcemap_in(cstring) RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_in(cstring) IS 'I/O: parse and validate a source map JSON document';

CREATE FUNCTION sourcemap_out(sourcemap) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_out(sourcemap) IS 'I/O: canonical JSON of the map';

CREATE FUNCTION sourcemap_recv(internal) RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_recv(internal) IS 'I/O: binary input, validated as untrusted';

CREATE FUNCTION sourcemap_send(sourcemap) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_send(sourcemap) IS 'I/O: binary output';

-- STORAGE = external: the value compresses its own sections, and keeping it
-- uncompressed out of line lets lookups fetch slices of it.
CREATE TYPE sourcemap (
	INPUT = sourcemap_in,
	OUTPUT = sourcemap_out,
	RECEIVE = sourcemap_recv,
	SEND = sourcemap_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = external,
	ALIGNMENT = int4
);
COMMENT ON TYPE sourcemap IS
	'a parsed and validated Source Map v3 (ECMA-426), stored compactly; input is the JSON document, output is canonical JSON';

-- Making maps ---------------------------------------------------------------
-- Assignment casts, so a text/json/jsonb/bytea column can be inserted into a
-- sourcemap column directly; never implicit, since parsing can fail.
-- Parsing a 10-25 kB map takes 1.7-2.3 ms (~90000x an operator).

CREATE FUNCTION sourcemap(text) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50000;
COMMENT ON FUNCTION sourcemap(text) IS 'parse a source map from its JSON text';
CREATE CAST (text AS sourcemap) WITH FUNCTION sourcemap(text) AS ASSIGNMENT;

CREATE FUNCTION sourcemap(json) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50000;
COMMENT ON FUNCTION sourcemap(json) IS 'parse a source map from a json value';
CREATE CAST (json AS sourcemap) WITH FUNCTION sourcemap(json) AS ASSIGNMENT;

CREATE FUNCTION sourcemap(jsonb) RETURNS sourcemap
	LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE COST 50000
	AS $$ SELECT @extschema@.sourcemap($1::pg_catalog.text) $$;
COMMENT ON FUNCTION sourcemap(jsonb) IS 'parse a source map from a jsonb value';
CREATE CAST (jsonb AS sourcemap) WITH FUNCTION sourcemap(jsonb) AS ASSIGNMENT;

CREATE FUNCTION sourcemap(bytea) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_from_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50000;
COMMENT ON FUNCTION sourcemap(bytea) IS
	'cast: raw, gzip or zlib JSON bytes, at most 256 MB once decompressed';
CREATE CAST (bytea AS sourcemap) WITH FUNCTION sourcemap(bytea) AS ASSIGNMENT;

CREATE FUNCTION sourcemap_from_bytes(doc bytea, max_size bigint DEFAULT 268435456)
	RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50000;
COMMENT ON FUNCTION sourcemap_from_bytes(bytea, bigint) IS
	'a source map from bytes: raw JSON, or gzip/zlib-compressed (detected); more than max_size bytes after decompression is an error (54000)';

-- Twice a parse: the map, then its generated code scanned and its names
-- mapped back.
CREATE FUNCTION sourcemap(map_json text, generated_source text) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_with_source' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 100000;
COMMENT ON FUNCTION sourcemap(text, text) IS
	'a map plus the original names of the functions of the generated code it belongs to (scanned, names mapped back through the map); the names are kept in the value';

CREATE FUNCTION sourcemap_is_valid(doc text) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50000;
COMMENT ON FUNCTION sourcemap_is_valid(text) IS 'true if the JSON document would be accepted as a sourcemap';

-- Lookups -------------------------------------------------------------------

CREATE TYPE sourcemap_position AS (
	source text,
	line int,
	col int,
	name text,
	ignored boolean
);
COMMENT ON TYPE sourcemap_position IS
	'an original position: resolved source (sourceRoot joined), 0-based line and column, name, whether the source is on the ignore list';

-- 1.1-2.6 us with the map open in the cache (50-120x an operator).
CREATE FUNCTION sourcemap_lookup(map sourcemap, line int, col int, bias text DEFAULT 'glb')
	RETURNS sourcemap_position
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 100;
COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int, int, text) IS
	'original position of a 0-based generated (line, col); bias glb (default), lub, exact or glb_cross_line; NULL when nothing maps';

-- 0.9 us per element (~40x).
CREATE FUNCTION sourcemap_lookup(map sourcemap, lines int[], cols int[], bias text DEFAULT 'glb')
	RETURNS TABLE (ord int, source text, line int, col int, name text, ignored boolean)
	AS 'MODULE_PATHNAME', 'sourcemap_lookup_batch' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 50 ROWS 100;
COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int[], int[], text) IS
	'batch lookup: one row per element of lines/cols (ord = 1-based array position); NULL columns where nothing maps or a coordinate is NULL';

-- About 1 us, like a lookup.  Not STRICT: minified_name may be NULL; a NULL
-- map, line or col gives a row with only the status (no_map, no_position).
CREATE FUNCTION sourcemap_lookup_frame(map sourcemap, line int, col int, minified_name text DEFAULT NULL,
	OUT source text, OUT line int, OUT col int, OUT name text, OUT function text, OUT ignored boolean,
	OUT status text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	COST 100;
COMMENT ON FUNCTION sourcemap_lookup_frame(sourcemap, int, int, text) IS
	'a stack frame: the original position (glb) plus the original name of the enclosing function (from the scopes field or the generated source given at input), else minified_name, and the status of the lookup (as sourcemap_explain); only the status when nothing maps';

-- About 6 us per row (~250x).  Not STRICT: col may be NULL (the whole line).
CREATE FUNCTION sourcemap_generated_positions(map sourcemap, source text, line int, col int DEFAULT NULL)
	RETURNS TABLE (gen_line int, gen_col int, line int, col int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	COST 250 ROWS 10;
COMMENT ON FUNCTION sourcemap_generated_positions(sourcemap, text, int, int) IS
	'every generated position mapped from an original position (allGeneratedPositionsFor): with col, that column or else the next one on the line; without, the whole line or else the next line with mappings';

-- Stack traces --------------------------------------------------------------

-- About 1.4 us per frame (~60x).
CREATE FUNCTION sourcemap_parse_stack(stack text)
	RETURNS TABLE (ord int, function text, url text, lineno int, colno int, format text,
		eval_function text, eval_url text, eval_lineno int, eval_colno int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 60 ROWS 20;
COMMENT ON FUNCTION sourcemap_parse_stack(text) IS
	'frames of a V8, Hermes, SpiderMonkey or JavaScriptCore error.stack: ord from 1 (innermost first), lineno and colno 1-based as printed, format v8, hermes, hermes_bytecode (colno a bytecode offset), spidermonkey, jsc or gecko (either of the last two), and for eval code the eval origin in a script';

-- About 5 us on 5 kB of JavaScript; grows with the file.
CREATE FUNCTION sourcemap_references(generated_source text,
	OUT source_mapping_url text, OUT debug_id uuid)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 2500;
COMMENT ON FUNCTION sourcemap_references(text) IS
	'the sourceMappingURL and debugId comments of a generated JavaScript file (the specification''s scan without parsing)';

-- About 150 us: it inflates the source (~7000x).  Not STRICT: col may be
-- NULL (no column: no trimming around it); any other NULL argument gives NULL.
CREATE FUNCTION sourcemap_context(map sourcemap, source text, line int, col int DEFAULT NULL,
	radius int DEFAULT 5, trim_lines boolean DEFAULT false,
	OUT pre text[], OUT line text, OUT post text[])
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE
	COST 5000;
COMMENT ON FUNCTION sourcemap_context(sourcemap, text, int, int, int, boolean) IS
	'lines around a 0-based original line of a source, from sourcesContent: up to radius before and after; trim_lines cuts lines over 150 UTF-16 units to about 140 around col, marked {snip}';

-- What a map holds ----------------------------------------------------------

-- 0.2-0.8 us per row (10-35x).
CREATE FUNCTION sourcemap_tokens(map sourcemap)
	RETURNS TABLE (gen_line int, gen_col int, source text, line int, col int, name text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 20;
COMMENT ON FUNCTION sourcemap_tokens(sourcemap) IS
	'every mapping segment in generated order; 1-field segments have NULL source, line, col and name';

CREATE FUNCTION sourcemap_sources(map sourcemap)
	RETURNS TABLE (idx int, source text, ignored boolean, has_content boolean)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 10;
COMMENT ON FUNCTION sourcemap_sources(sourcemap) IS
	'the sources table: 0-based index, resolved source, ignore-list flag, whether sourcesContent has an entry';

CREATE FUNCTION sourcemap_names(map sourcemap)
	RETURNS TABLE (idx int, name text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 10;
COMMENT ON FUNCTION sourcemap_names(sourcemap) IS 'the names table with 0-based indexes';

-- 60-80 us: it inflates one source (~3000x).
CREATE FUNCTION sourcemap_source_content(map sourcemap, idx int) RETURNS text
	AS 'MODULE_PATHNAME', 'sourcemap_source_content_idx' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 2500;
COMMENT ON FUNCTION sourcemap_source_content(sourcemap, int) IS
	'sourcesContent of the source with this 0-based index; NULL when absent or past the last source; error when negative';

CREATE FUNCTION sourcemap_source_content(map sourcemap, source text) RETURNS text
	AS 'MODULE_PATHNAME', 'sourcemap_source_content_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 2500;
COMMENT ON FUNCTION sourcemap_source_content(sourcemap, text) IS
	'sourcesContent of the first source whose resolved or raw name equals source; NULL when none or absent';

-- 3.4 us (~150x).
CREATE FUNCTION sourcemap_info(map sourcemap,
	OUT version int, OUT file text, OUT source_root text, OUT debug_id uuid,
	OUT segments bigint, OUT generated_lines int, OUT sources int, OUT names int,
	OUT stored_bytes int, OUT format_version int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 150;
COMMENT ON FUNCTION sourcemap_info(sourcemap) IS
	'map header: version, file, sourceRoot, debugId, counts of segments, generated lines, sources and names, stored size and binary format version';

-- 0.2 us (~10x).
CREATE FUNCTION sourcemap_debug_id(map sourcemap) RETURNS uuid
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 10;
COMMENT ON FUNCTION sourcemap_debug_id(sourcemap) IS 'the debugId (or legacy debug_id) of the map; NULL if it has none; indexable';

-- A one-line summary for psql, where the value itself prints the whole
-- canonical JSON.  The file name is quoted and cut to 80 characters, so
-- the line stays short whatever the map holds.
-- Its own search_path: operators and types in the body must not resolve
-- through the caller's (a hostile schema could plant a || or a text).
CREATE FUNCTION sourcemap_summary(map sourcemap) RETURNS text
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
COMMENT ON FUNCTION sourcemap_summary(sourcemap) IS
	'one line for psql: version, file, counts of sources, names, segments and generated lines, debugId, stored size';

-- The per-backend cache of opened maps ---------------------------------------

-- VOLATILE and PARALLEL RESTRICTED: it reports this backend's own state.
CREATE FUNCTION sourcemap_cache_stats(
	OUT hits bigint, OUT misses bigint, OUT evictions bigint, OUT entries bigint, OUT bytes bigint)
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sourcemap_cache_stats() IS
	'this backend''s cache of opened maps: lookups served from it, maps opened, maps evicted, maps kept, bytes used';

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

-- Equality, hashing and ordering ---------------------------------------------
-- Values are canonical (the same map always has the same bytes), so equality
-- is byte equality: maps can be deduplicated, grouped and hash-joined.  The
-- order is arbitrary but total (by header, then bytes).

CREATE FUNCTION sourcemap_eq(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_eq(sourcemap, sourcemap) IS 'implementation of = operator';
CREATE FUNCTION sourcemap_ne(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_ne(sourcemap, sourcemap) IS 'implementation of <> operator';
CREATE FUNCTION sourcemap_lt(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_lt(sourcemap, sourcemap) IS 'implementation of < operator';
CREATE FUNCTION sourcemap_le(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_le(sourcemap, sourcemap) IS 'implementation of <= operator';
CREATE FUNCTION sourcemap_gt(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_gt(sourcemap, sourcemap) IS 'implementation of > operator';
CREATE FUNCTION sourcemap_ge(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_ge(sourcemap, sourcemap) IS 'implementation of >= operator';
CREATE FUNCTION sourcemap_cmp(sourcemap, sourcemap) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_cmp(sourcemap, sourcemap) IS 'btree support: total order of maps';
CREATE FUNCTION sourcemap_hash(sourcemap) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_hash(sourcemap) IS 'hash support: from the stored checksum';
CREATE FUNCTION sourcemap_hash_extended(sourcemap, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_hash_extended(sourcemap, bigint) IS 'hash support with a seed';

CREATE OPERATOR = (
	LEFTARG = sourcemap, RIGHTARG = sourcemap, PROCEDURE = sourcemap_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR <> (
	LEFTARG = sourcemap, RIGHTARG = sourcemap, PROCEDURE = sourcemap_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR < (
	LEFTARG = sourcemap, RIGHTARG = sourcemap, PROCEDURE = sourcemap_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR <= (
	LEFTARG = sourcemap, RIGHTARG = sourcemap, PROCEDURE = sourcemap_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR > (
	LEFTARG = sourcemap, RIGHTARG = sourcemap, PROCEDURE = sourcemap_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR >= (
	LEFTARG = sourcemap, RIGHTARG = sourcemap, PROCEDURE = sourcemap_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS sourcemap_ops DEFAULT FOR TYPE sourcemap USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 sourcemap_cmp(sourcemap, sourcemap);

CREATE OPERATOR CLASS sourcemap_hash_ops DEFAULT FOR TYPE sourcemap USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 sourcemap_hash(sourcemap),
	FUNCTION 2 sourcemap_hash_extended(sourcemap, bigint);

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
