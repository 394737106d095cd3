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
