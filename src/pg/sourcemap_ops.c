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

/*
 * The whole value in the current layout: a value stored by an older
 * release is compared and hashed as it reads today (sm_pg_current_layout),
 * so it equals the same map stored by this release.
 */
static struct varlena *
value_of(Datum d)
{
	return sm_pg_current_layout(PG_DETOAST_DATUM_PACKED(d), "corrupt sourcemap value");
}

/*
 * The first SM_HEADER_SIZE bytes of a value (the whole value if shorter)
 * at *h, *len of them.
 */
static void
header_of(Datum d, const char **h, Size *len)
{
	struct varlena *s = PG_DETOAST_DATUM_SLICE(d, 0, SM_HEADER_SIZE);

	if (sm_legacy_detect((const uint8_t *) VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s)))
		s = value_of(d);
	*h = VARDATA_ANY(s);
	*len = Min(VARSIZE_ANY_EXHDR(s), SM_HEADER_SIZE);
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
	const char *ha,
			   *hb;
	Size		la,
				lb;
	int			r;

	header_of(a, &ha, &la);
	header_of(b, &hb, &lb);
	r = bytes_cmp(ha, la, hb, lb);
	if (r == 0)
	{
		struct varlena *va = value_of(a);
		struct varlena *vb = value_of(b);

		r = bytes_cmp(VARDATA_ANY(va), VARSIZE_ANY_EXHDR(va),
					  VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(vb));
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
	const char *h;
	Size		len;

	header_of(d, &h, &len);
	return hash_bytes_extended((const unsigned char *) h, (int) len, seed);
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
