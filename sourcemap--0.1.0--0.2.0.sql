\echo Use "ALTER EXTENSION sourcemap UPDATE TO '0.2.0'" to load this file. \quit

-- sourcemap 0.2.0: batch lookups, the per-backend cache, equality.
-- Released scripts are never edited: later changes go in a new step script.

-- Batch lookup ---------------------------------------------------------------

-- OR REPLACE: release 0.1.0's own script already created this function; the
-- 0.1.0 script shipped with 0.2.0 did not.  (The one edit made to this script
-- after its release, in 0.3.0: without it no real 0.1.0 install could update.)
CREATE OR REPLACE FUNCTION sourcemap_lookup(map sourcemap, lines int[], cols int[], bias text DEFAULT 'glb')
	RETURNS TABLE (ord int, source text, line int, col int, name text, ignored boolean)
	AS 'MODULE_PATHNAME', 'sourcemap_lookup_batch' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int[], int[], text) IS
	'batch lookup: one row per element of lines/cols (ord = 1-based array position); NULL columns where nothing maps or a coordinate is NULL';

-- The per-backend cache --------------------------------------------------------

-- VOLATILE and PARALLEL RESTRICTED: it reports this backend's own state.
CREATE FUNCTION sourcemap_cache_stats(
	OUT hits bigint, OUT misses bigint, OUT evictions bigint, OUT entries bigint, OUT bytes bigint)
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION sourcemap_cache_stats() IS
	'this backend''s cache of opened maps: lookups served from it, maps opened, maps evicted, maps kept, bytes used';

-- Equality, hashing and ordering ------------------------------------------------
-- Values are canonical (the same map always has the same bytes), so equality
-- is byte equality: maps can be deduplicated, grouped and hash-joined.  The
-- order is arbitrary but total (by header, then bytes).

CREATE FUNCTION sourcemap_eq(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_ne(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_lt(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_le(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_gt(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_ge(sourcemap, sourcemap) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_cmp(sourcemap, sourcemap) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_hash(sourcemap) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_hash_extended(sourcemap, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sourcemap_eq(sourcemap, sourcemap) IS 'implementation of = operator';
COMMENT ON FUNCTION sourcemap_ne(sourcemap, sourcemap) IS 'implementation of <> operator';
COMMENT ON FUNCTION sourcemap_lt(sourcemap, sourcemap) IS 'implementation of < operator';
COMMENT ON FUNCTION sourcemap_le(sourcemap, sourcemap) IS 'implementation of <= operator';
COMMENT ON FUNCTION sourcemap_gt(sourcemap, sourcemap) IS 'implementation of > operator';
COMMENT ON FUNCTION sourcemap_ge(sourcemap, sourcemap) IS 'implementation of >= operator';
COMMENT ON FUNCTION sourcemap_cmp(sourcemap, sourcemap) IS 'btree support: total order of maps';
COMMENT ON FUNCTION sourcemap_hash(sourcemap) IS 'hash support: from the stored checksum';
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

-- Operability and planning (issue 6) ------------------------------------------

-- Costs, in units of cpu_operator_cost (a simple built-in operator such as
-- int4 + int4 costs 1).  C functions default to COST 1, which tells the planner
-- a lookup is as cheap as an addition: it then underestimates a large
-- re-symbolication query (so parallel workers look less worthwhile than they
-- are) and may evaluate a lookup or a parse before a cheap filter.
-- Measured on PostgreSQL 15 (x86-64, one backend, the vendored maps in
-- test/data/corpus, 200,000 frames): an int4 operator takes about 0.02 us;
--   sourcemap_lookup, map already open in the cache    1.1-2.6 us   (50-120x)
--   sourcemap_lookup batch form, per element            0.9 us      (~40x)
--   sourcemap_tokens / sources / names, per row         0.2-0.8 us  (10-35x)
--   sourcemap_info                                      3.4 us      (~150x)
--   sourcemap_debug_id                                  0.2 us      (~10x)
--   sourcemap_source_content (inflates one source)      60-80 us    (~3000x)
--   parsing a 10-25 kB map (cast, is_valid)             1.7-2.3 ms  (~90000x)
-- Opening a map that is not in the cache costs far more (about 70 us for
-- these maps), but a re-symbolication job opens each map once per backend
-- and then hits the cache, so the cached figure is the one to plan with.
-- For set-returning functions COST is per row returned.
ALTER FUNCTION sourcemap_lookup(sourcemap, int, int, text) COST 100;
ALTER FUNCTION sourcemap_lookup(sourcemap, int[], int[], text) COST 50;
ALTER FUNCTION sourcemap_tokens(sourcemap) COST 20;
ALTER FUNCTION sourcemap_sources(sourcemap) COST 10;
ALTER FUNCTION sourcemap_names(sourcemap) COST 10;
ALTER FUNCTION sourcemap_info(sourcemap) COST 150;
ALTER FUNCTION sourcemap_debug_id(sourcemap) COST 10;
ALTER FUNCTION sourcemap_source_content(sourcemap, int) COST 2500;
ALTER FUNCTION sourcemap_source_content(sourcemap, text) COST 2500;
ALTER FUNCTION sourcemap(text) COST 50000;
ALTER FUNCTION sourcemap(json) COST 50000;
ALTER FUNCTION sourcemap(jsonb) COST 50000;
ALTER FUNCTION sourcemap_is_valid(text) COST 50000;

-- A one-line summary for psql, where the value itself prints the whole
-- canonical JSON.  The file name is quoted and cut to 80 characters, so
-- the line stays short whatever the map holds.
CREATE FUNCTION sourcemap_summary(map sourcemap) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 200
	AS $$
	SELECT 'sourcemap v' || i.version::text
		|| ' file=' || coalesce('"' || pg_catalog.replace(pg_catalog.replace(pg_catalog.regexp_replace(
				CASE WHEN pg_catalog.length(i.file) > 80 THEN pg_catalog.left(i.file, 77) || '...' ELSE i.file END,
				'[[:cntrl:]]', ' ', 'g'), '\', '\\'), '"', '\"') || '"', '-')
		|| ' sources=' || i.sources::text
		|| ' names=' || i.names::text
		|| ' segments=' || i.segments::text
		|| ' lines=' || i.generated_lines::text
		|| ' debug_id=' || coalesce(i.debug_id::text, '-')
		|| ' size=' || pg_catalog.pg_size_pretty(i.stored_bytes::bigint)
	  FROM @extschema@.sourcemap_info(map) i
	$$;
COMMENT ON FUNCTION sourcemap_summary(sourcemap) IS
	'one line for psql: version, file, counts of sources, names, segments and generated lines, debugId, stored size';

-- Symbolication helpers (issue 4) -------------------------------------------------

CREATE FUNCTION sourcemap_from_bytes(doc bytea, max_size bigint DEFAULT 268435456)
	RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_from_bytes(bytea, bigint) IS
	'a source map from bytes: raw JSON, or gzip/zlib-compressed (detected); more than max_size bytes after decompression is an error (54000)';

CREATE FUNCTION sourcemap(bytea) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_from_bytes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap(bytea) IS
	'cast: raw, gzip or zlib JSON bytes, at most 256 MB once decompressed';
CREATE CAST (bytea AS sourcemap) WITH FUNCTION sourcemap(bytea) AS ASSIGNMENT;

-- Not STRICT: col may be NULL (no column: no trimming around it); any other
-- NULL argument gives NULL.
CREATE FUNCTION sourcemap_context(map sourcemap, source text, line int, col int DEFAULT NULL,
	radius int DEFAULT 5, trim_lines boolean DEFAULT false,
	OUT pre text[], OUT line text, OUT post text[])
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_context(sourcemap, text, int, int, int, boolean) IS
	'lines around a 0-based original line of a source, from sourcesContent: up to radius before and after; trim_lines cuts lines over 150 UTF-16 units to about 140 around col, marked {snip}';

-- Not STRICT: col may be NULL (the whole line).
CREATE FUNCTION sourcemap_generated_positions(map sourcemap, source text, line int, col int DEFAULT NULL)
	RETURNS TABLE (gen_line int, gen_col int, line int, col int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION sourcemap_generated_positions(sourcemap, text, int, int) IS
	'every generated position mapped from an original position (allGeneratedPositionsFor): with col, that column or else the next one on the line; without, the whole line or else the next line with mappings';

CREATE FUNCTION sourcemap_parse_stack(stack text)
	RETURNS TABLE (ord int, function text, url text, lineno int, colno int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION sourcemap_parse_stack(text) IS
	'frames of a V8, SpiderMonkey or JavaScriptCore error.stack: ord from 1 (innermost first), lineno and colno 1-based as printed';

CREATE FUNCTION sourcemap_references(generated_source text,
	OUT source_mapping_url text, OUT debug_id uuid)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_references(text) IS
	'the sourceMappingURL and debugId comments of a generated JavaScript file (the specification''s scan without parsing)';

-- Original function names (issue 4) ----------------------------------------------

CREATE FUNCTION sourcemap(map_json text, generated_source text) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_with_source' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap(text, text) IS
	'a map plus the original names of the functions of the generated code it belongs to (scanned, names mapped back through the map); the names are kept in the value';

-- Not STRICT: minified_name may be NULL; a NULL map, line or col gives NULL.
CREATE FUNCTION sourcemap_lookup_frame(map sourcemap, line int, col int, minified_name text DEFAULT NULL,
	OUT source text, OUT line int, OUT col int, OUT name text, OUT function text, OUT ignored boolean)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_lookup_frame(sourcemap, int, int, text) IS
	'a stack frame: the original position (glb) plus the original name of the enclosing function (from the scopes field or the generated source given at input), else minified_name; NULL when nothing maps';
