\echo Use "ALTER EXTENSION sourcemap UPDATE TO '0.2.0'" to load this file. \quit

-- sourcemap 0.2.0: batch lookups, the per-backend cache, equality.
-- Released scripts are never edited: later changes go in a new step script.

-- Batch lookup ---------------------------------------------------------------

CREATE FUNCTION sourcemap_lookup(map sourcemap, lines int[], cols int[], bias text DEFAULT 'glb')
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
