/*
 * sourcemap_lookup.c -- sourcemap_lookup(map, line, col, bias): one
 * generated position to one original position (a sourcemap_position row),
 * or NULL when the bias selects no segment or a 1-field segment.
 */
#include "sm_pg.h"

#include "access/htup_details.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_lookup);

/* The SmBias named by the SQL bias argument; ERROR 22023 for anything else. */
static SmBias
parse_bias(text *t)
{
	const char *s = VARDATA_ANY(t);
	size_t		n = VARSIZE_ANY_EXHDR(t);

#define BIAS_IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, n) == 0)
	if (BIAS_IS("glb"))
		return SM_BIAS_GLB;
	if (BIAS_IS("lub"))
		return SM_BIAS_LUB;
	if (BIAS_IS("exact"))
		return SM_BIAS_EXACT;
	if (BIAS_IS("glb_cross_line"))
		return SM_BIAS_GLB_CROSS_LINE;
#undef BIAS_IS
	ereport(ERROR,
			errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			errmsg("invalid bias \"%s\"", text_to_cstring(t)),
			errhint("Use 'glb', 'lub', 'exact' or 'glb_cross_line'."));
	pg_unreachable();
}

/* An original coordinate as int4; the core keeps them within 0..2^31-1. */
static Datum
coord_datum(uint32 v)
{
	if (v > PG_INT32_MAX)
		ereport(ERROR,
				errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				errmsg("original position %u does not fit in integer", v));
	return Int32GetDatum((int32) v);
}

Datum
sourcemap_lookup(PG_FUNCTION_ARGS)
{
	uint32		line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
	uint32		col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
	SmBias		bias = parse_bias(PG_GETARG_TEXT_PP(3));
	TupleDesc	tupdesc;
	SmMap	   *m;
	SmMapping	mp;
	SmError		err = {0};
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	char	   *src;
	uint32_t	src_len;
	bool		src_null;
	int			r;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	m = sm_pg_open(PG_GETARG_DATUM(0));
	r = sm_lookup(m, line, col, bias, &mp, &err);
	if (r < 0)
		sm_pg_report(&err, "sourcemap lookup failed");
	if (r == 0 || mp.source == SM_NONE)
	{
		sm_close(m);
		PG_RETURN_NULL();
	}

	if (!sm_source_resolved(m, mp.source, &src, &src_len, &src_null, &err))
		sm_pg_report(&err, "sourcemap lookup failed");
	if (src_null)
		nulls[0] = true;
	else
		values[0] = PointerGetDatum(sm_pg_text(src, src_len));
	values[1] = coord_datum(mp.orig_line);
	values[2] = coord_datum(mp.orig_col);
	if (mp.name == SM_NONE)
		nulls[3] = true;
	else
	{
		SmStr		name;

		if (!sm_name(m, mp.name, &name, &err))
			sm_pg_report(&err, "sourcemap lookup failed");
		if (name.isnull)
			nulls[3] = true;
		else
			values[3] = PointerGetDatum(sm_pg_text(name.ptr, name.len));
	}
	values[4] = BoolGetDatum(sm_source_ignored(m, mp.source));
	sm_close(m);

	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
