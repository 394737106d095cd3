/*
 * sourcemap_ops.c -- equality, ordering and hashing of sourcemap values, so
 * maps can be deduplicated, grouped, indexed and hash-joined.
 *
 * Identity is the map's content, not its stored bytes: the same map
 * compressed by another library or level, or stored by an older release,
 * is equal (format/sm_digest.h).  Values are ordered by their 64-bit
 * content digest, and only values with equal digests (practically, equal
 * maps) are compared content to content, part by part.  A format version 3
 * value carries its digest in the header, read as a slice; the digest of an
 * older value (version 2, or a release's value converted to today's layout)
 * is computed from the whole value.  Hashes come from the digest.
 *
 * A sort or an index build calls these millions of times in one memory
 * context that lives until its end, so every copy they make (a header slice
 * of a TOASTed value, a detoasted or converted whole value) is freed before
 * returning, as PostgreSQL's own comparison functions do with
 * PG_FREE_IF_COPY; a header of a value already in memory is read in place.
 */
#include "sm_pg.h"

#include "common/hashfn.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_eq);
PG_FUNCTION_INFO_V1(sourcemap_ne);
PG_FUNCTION_INFO_V1(sourcemap_lt);
PG_FUNCTION_INFO_V1(sourcemap_le);
PG_FUNCTION_INFO_V1(sourcemap_gt);
PG_FUNCTION_INFO_V1(sourcemap_ge);
PG_FUNCTION_INFO_V1(sourcemap_cmp);
PG_FUNCTION_INFO_V1(sourcemap_hash);
PG_FUNCTION_INFO_V1(sourcemap_hash_extended);

/* Free a copy made from the argument d, as PG_FREE_IF_COPY does. */
static void
free_copy(struct varlena *copy, Datum d)
{
	if (copy != NULL && copy != (struct varlena *) DatumGetPointer(d))
		pfree(copy);
}

/*
 * The whole value in the current layout (an older release's value
 * converted by sm_pg_current_layout).  Free with free_copy().
 */
static struct varlena *
value_of(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	struct varlena *cur = sm_pg_current_layout(v, "corrupt sourcemap value");

	if (cur != v)
		free_copy(v, d);
	return cur;
}

/* The content digest: a header slice for format version 3, else the whole value. */
static uint64
digest_of(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varlena *copy = NULL;
	uint64_t	digest;

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = copy = PG_DETOAST_DATUM_SLICE(d, 0, SM_HEADER_SIZE);
	if (!sm_header_digest((const uint8_t *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), &digest))
	{
		SmError		err = {0};

		free_copy(copy, d);
		v = copy = value_of(d);
		if (!sm_value_digest((const uint8_t *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v),
							 &sm_pg_env, &digest, &err))
			sm_pg_report(&err, "corrupt sourcemap value");
	}
	free_copy(copy, d);
	return digest;
}

/* Total order: by digest, then by content. */
static int
compare(FunctionCallInfo fcinfo)
{
	Datum		a = PG_GETARG_DATUM(0);
	Datum		b = PG_GETARG_DATUM(1);
	uint64		da = digest_of(a);
	uint64		db = digest_of(b);
	struct varlena *va,
			   *vb;
	SmError		err = {0};
	int			r;

	if (da != db)
		return da < db ? -1 : 1;
	va = value_of(a);
	vb = value_of(b);
	if (!sm_content_cmp((const uint8_t *) VARDATA_ANY(va), VARSIZE_ANY_EXHDR(va),
						(const uint8_t *) VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(vb),
						&sm_pg_env, &r, &err))
		sm_pg_report(&err, "corrupt sourcemap value");
	free_copy(va, a);
	free_copy(vb, b);
	return r;
}

Datum
sourcemap_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare(fcinfo) == 0);
}

Datum
sourcemap_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare(fcinfo) != 0);
}

Datum
sourcemap_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare(fcinfo) < 0);
}

Datum
sourcemap_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare(fcinfo) <= 0);
}

Datum
sourcemap_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare(fcinfo) > 0);
}

Datum
sourcemap_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare(fcinfo) >= 0);
}

Datum
sourcemap_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(compare(fcinfo));
}

/* Hash of the digest's 8 bytes, little-endian on every host. */
static uint64
digest_hash(Datum d, uint64 seed)
{
	uint64		digest = digest_of(d);
	unsigned char le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char) (digest >> (8 * i));
	return hash_bytes_extended(le, 8, seed);
}

Datum
sourcemap_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) digest_hash(PG_GETARG_DATUM(0), 0));
}

Datum
sourcemap_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) digest_hash(PG_GETARG_DATUM(0), (uint64) PG_GETARG_INT64(1)));
}
