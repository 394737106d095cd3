/*
 * sourcemap_ops.c -- equality, ordering and hashing of sourcemap values, so
 * maps can be deduplicated, grouped, indexed and hash-joined.
 *
 * Values are canonical: equal maps have equal bytes.  Comparison looks at
 * the 32-byte headers first (which carry the length and a checksum of the
 * rest), read as slices, and compares whole values only when the headers
 * are equal, which for different maps practically never happens.  Hashes
 * come from the stored checksum without reading the rest.  A value stored
 * by an older release is converted first (read whole), so it compares and
 * hashes as the same map stored today.
 *
 * A sort or an index build calls these millions of times in one memory
 * context that lives until its end, so every copy they make (a header slice
 * of a TOASTed value, a detoasted or converted whole value) is freed before
 * returning, as PostgreSQL's own comparison functions do with
 * PG_FREE_IF_COPY; a header of a value already in memory is read in place.
 */
#include "sm_format.h"
#include "sm_legacy.h"
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
 * The whole value in the current layout: a value stored by an older
 * release is compared and hashed as it reads today (sm_pg_current_layout),
 * so it equals the same map stored by this release.  Free with free_copy().
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

/*
 * The first SM_HEADER_SIZE bytes of a value (the whole value if shorter):
 * in place when the value is in memory and not compressed, else read as a
 * slice (or, for an older release's value, converted whole) into *copy,
 * which the caller frees with free_copy().
 */
static const char *
header_of(Datum d, Size *len, struct varlena **copy)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	*copy = NULL;
	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = *copy = PG_DETOAST_DATUM_SLICE(d, 0, SM_HEADER_SIZE);
	if (sm_legacy_detect((const uint8_t *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)))
	{
		free_copy(*copy, d);
		v = *copy = value_of(d);
	}
	*len = Min(VARSIZE_ANY_EXHDR(v), SM_HEADER_SIZE);
	return VARDATA_ANY(v);
}

/* memcmp-style order of two byte strings, shorter first on a common prefix. */
static int
bytes_cmp(const char *a, Size alen, const char *b, Size blen)
{
	int			r = memcmp(a, b, Min(alen, blen));

	if (r != 0)
		return r < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

/* Total order: by header, then by the whole value. */
static int
compare(FunctionCallInfo fcinfo)
{
	Datum		a = PG_GETARG_DATUM(0);
	Datum		b = PG_GETARG_DATUM(1);
	struct varlena *ca,
			   *cb;
	Size		alen,
				blen;
	const char *ha = header_of(a, &alen, &ca);
	const char *hb = header_of(b, &blen, &cb);
	int			r = bytes_cmp(ha, alen, hb, blen);

	free_copy(ca, a);
	free_copy(cb, b);
	if (r == 0)
	{
		struct varlena *va = value_of(a);
		struct varlena *vb = value_of(b);

		r = bytes_cmp(VARDATA_ANY(va), VARSIZE_ANY_EXHDR(va),
					  VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(vb));
		free_copy(va, a);
		free_copy(vb, b);
	}
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

/* Hash of the header, which holds the length and the checksum of the rest. */
static uint64
header_hash(Datum d, uint64 seed)
{
	struct varlena *copy;
	Size		len;
	const char *h = header_of(d, &len, &copy);
	uint64		r = hash_bytes_extended((const unsigned char *) h, (int) len, seed);

	free_copy(copy, d);
	return r;
}

Datum
sourcemap_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) header_hash(PG_GETARG_DATUM(0), 0));
}

Datum
sourcemap_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64((int64) header_hash(PG_GETARG_DATUM(0), (uint64) PG_GETARG_INT64(1)));
}
