\echo Use "CREATE EXTENSION sourcemap" to load this file. \quit

-- sourcemap 0.1.0: a Source Map v3 (ECMA-426) type and its lookups.
-- All lines and columns are 0-based; columns count UTF-16 code units.
-- Every function depends only on its arguments: IMMUTABLE STRICT PARALLEL SAFE.

-- The type ------------------------------------------------------------------

CREATE TYPE sourcemap;

CREATE FUNCTION sourcemap_in(cstring) RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_out(sourcemap) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_recv(internal) RETURNS sourcemap
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap_send(sourcemap) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

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
COMMENT ON FUNCTION sourcemap_in(cstring) IS 'I/O: parse and validate a source map JSON document';
COMMENT ON FUNCTION sourcemap_out(sourcemap) IS 'I/O: canonical JSON of the map';
COMMENT ON FUNCTION sourcemap_recv(internal) IS 'I/O: binary input, validated as untrusted';
COMMENT ON FUNCTION sourcemap_send(sourcemap) IS 'I/O: binary output';

-- Casts ---------------------------------------------------------------------
-- Assignment casts, so a text/json/jsonb column can be inserted into a
-- sourcemap column directly; never implicit, since parsing can fail.

CREATE FUNCTION sourcemap(text) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap(json) RETURNS sourcemap
	AS 'MODULE_PATHNAME', 'sourcemap_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sourcemap(jsonb) RETURNS sourcemap
	LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.sourcemap($1::pg_catalog.text) $$;

COMMENT ON FUNCTION sourcemap(text) IS 'parse a source map from its JSON text';
COMMENT ON FUNCTION sourcemap(json) IS 'parse a source map from a json value';
COMMENT ON FUNCTION sourcemap(jsonb) IS 'parse a source map from a jsonb value';

CREATE CAST (text AS sourcemap) WITH FUNCTION sourcemap(text) AS ASSIGNMENT;
CREATE CAST (json AS sourcemap) WITH FUNCTION sourcemap(json) AS ASSIGNMENT;
CREATE CAST (jsonb AS sourcemap) WITH FUNCTION sourcemap(jsonb) AS ASSIGNMENT;

-- Lookup --------------------------------------------------------------------

CREATE TYPE sourcemap_position AS (
	source text,
	line int,
	col int,
	name text,
	ignored boolean
);

COMMENT ON TYPE sourcemap_position IS
	'an original position: resolved source (sourceRoot joined), 0-based line and column, name, whether the source is on the ignore list';

CREATE FUNCTION sourcemap_lookup(map sourcemap, line int, col int, bias text DEFAULT 'glb')
	RETURNS sourcemap_position
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int, int, text) IS
	'original position of a 0-based generated (line, col); bias glb (default), lub, exact or glb_cross_line; NULL when nothing maps';

CREATE FUNCTION sourcemap_lookup(map sourcemap, lines int[], cols int[], bias text DEFAULT 'glb')
	RETURNS TABLE (ord int, source text, line int, col int, name text, ignored boolean)
	AS 'MODULE_PATHNAME', 'sourcemap_lookup_batch' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 100;
COMMENT ON FUNCTION sourcemap_lookup(sourcemap, int[], int[], text) IS
	'batch lookup: one row per element of lines/cols (ord = 1-based array position); NULL columns where nothing maps or a coordinate is NULL';

-- Set-returning views -------------------------------------------------------

CREATE FUNCTION sourcemap_tokens(map sourcemap)
	RETURNS TABLE (gen_line int, gen_col int, source text, line int, col int, name text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_tokens(sourcemap) IS
	'every mapping segment in generated order; 1-field segments have NULL source, line, col and name';

CREATE FUNCTION sourcemap_sources(map sourcemap)
	RETURNS TABLE (idx int, source text, ignored boolean, has_content boolean)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_sources(sourcemap) IS
	'the sources table: 0-based index, resolved source, ignore-list flag, whether sourcesContent has an entry';

CREATE FUNCTION sourcemap_names(map sourcemap)
	RETURNS TABLE (idx int, name text)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_names(sourcemap) IS 'the names table with 0-based indexes';

-- Whole-map questions -------------------------------------------------------

CREATE FUNCTION sourcemap_source_content(map sourcemap, idx int) RETURNS text
	AS 'MODULE_PATHNAME', 'sourcemap_source_content_idx' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_source_content(sourcemap, int) IS
	'sourcesContent of the source with this 0-based index; NULL when absent or past the last source; error when negative';

CREATE FUNCTION sourcemap_source_content(map sourcemap, source text) RETURNS text
	AS 'MODULE_PATHNAME', 'sourcemap_source_content_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_source_content(sourcemap, text) IS
	'sourcesContent of the first source whose resolved or raw name equals source; NULL when none or absent';

CREATE FUNCTION sourcemap_info(map sourcemap,
	OUT version int, OUT file text, OUT source_root text, OUT debug_id uuid,
	OUT segments bigint, OUT generated_lines int, OUT sources int, OUT names int,
	OUT stored_bytes int, OUT format_version int)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_info(sourcemap) IS
	'map header: version, file, sourceRoot, debugId, counts of segments, generated lines, sources and names, stored size and binary format version';

CREATE FUNCTION sourcemap_debug_id(map sourcemap) RETURNS uuid
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_debug_id(sourcemap) IS 'the debugId (or legacy debug_id) of the map; NULL if it has none; indexable';

CREATE FUNCTION sourcemap_is_valid(doc text) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sourcemap_is_valid(text) IS 'true if the JSON document would be accepted as a sourcemap';
