/*
 * sourcemap_compose.c -- sourcemap_compose(sourcemap[]): one map from a
 * chain of maps (a bundle minified after bundling, TypeScript compiled then
 * bundled), as @jridgewell/remapping composes them.  The array is checked
 * here (non-empty, no NULL element); the rules are the core's sm_compose.
 * The aggregate sourcemap_compose_agg collects its array in SQL.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

/* Bytes of decoded blocks kept per stage during one call (freed at its end). */
#define COMPOSE_BLOCK_CACHE ((size_t) 32 << 20)

PG_FUNCTION_INFO_V1(sourcemap_compose);

Datum
sourcemap_compose(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	Oid			elem = ARR_ELEMTYPE(a);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	SmPgMap   **pms;
	SmMap	  **maps;
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;
	bool		ok;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("sourcemap_compose: maps must be a one-dimensional array"));
	get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elem, typlen, typbyval, typalign, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("sourcemap_compose: no maps to compose"),
				errhint("The array holds the maps of a chain, the last stage first."));
	for (int i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					errmsg("sourcemap_compose: map %d of %d is NULL", i + 1, n));
	pms = palloc(sizeof(SmPgMap *) * n);
	maps = palloc(sizeof(SmMap *) * n);
	for (int i = 0; i < n; i++)
	{
		pms[i] = sm_pg_open(elems[i]);
		maps[i] = pms[i]->map;
		/*
		 * An array holds its elements in memory, so they are opened uncached,
		 * keeping only the block decoded last; the segments of one stage look
		 * up the next stage all over it, which would decode a block for
		 * almost every segment (56 times the time of the jquery chain).
		 */
		if (pms[i]->entry == NULL)
			sm_set_block_cache(maps[i], COMPOSE_BLOCK_CACHE);
	}
	ok = sm_compose(maps, (uint32_t) n, &sm_pg_env, VARHDRSZ, &out, &out_len, &err);
	for (int i = 0; i < n; i++)
		sm_pg_close(pms[i]);
	if (!ok)
		sm_pg_report(&err, "sourcemap_compose");
	if (out_len > MaxAllocSize)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("sourcemap_compose: the composed map needs %zu bytes, the limit is %zu",
					   out_len, (size_t) MaxAllocSize));
	SET_VARSIZE(out, out_len);
	PG_RETURN_POINTER(out);
}
