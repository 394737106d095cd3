/*
 * sourcemap_lookup.c -- generated position to original position:
 * sourcemap_lookup(map, line, col, bias) for one position (a
 * sourcemap_position row, or NULL when the bias selects no segment or a
 * 1-field segment), and sourcemap_lookup(map, lines[], cols[], bias) for a
 * batch (one row per element, in order), and sourcemap_lookup_frame(map,
 * line, col, minified_name) for a stack frame: the original position plus
 * the original name of the enclosing function and the lookup's status, and
 * sourcemap_explain(map, line, col, bias), that status with a sentence.
 * The lookups with a fifth argument, the map's URL, resolve the source
 * against it.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(sourcemap_lookup);
PG_FUNCTION_INFO_V1(sourcemap_lookup_batch);
PG_FUNCTION_INFO_V1(sourcemap_lookup_frame);
PG_FUNCTION_INFO_V1(sourcemap_explain);

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

/*
 * A segment found by a lookup as the row columns source, line, col, name,
 * ignored (5 slots); false for a 1-field segment, which has none.
 */
static bool
mapping_values(SmPgMap *pm, const SmMapping *mp, Datum *values, bool *nulls)
{
	if (mp->source == SM_NONE)
		return false;
	values[0] = sm_pg_source_datum(pm, mp->source, &nulls[0]);
	values[1] = Int32GetDatum((int32) mp->orig_line);
	values[2] = Int32GetDatum((int32) mp->orig_col);
	nulls[1] = nulls[2] = false;
	if (mp->name == SM_NONE)
		nulls[3] = true;
	else
		values[3] = sm_pg_name_datum(pm, mp->name, &nulls[3]);
	values[4] = BoolGetDatum(sm_source_ignored(pm->map, mp->source));
	nulls[4] = false;
	return true;
}

/* Look up one position and fill values/nulls as mapping_values; false when nothing maps. */
static bool
resolve(SmPgMap *pm, uint32 line, uint32 col, SmBias bias, Datum *values, bool *nulls)
{
	SmMapping	mp;
	SmError		err;
	int			r;

	sm_pg_error_init(&err);
	r = sm_lookup(pm->map, line, col, bias, &mp, &err);

	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	return r == 1 && mapping_values(pm, &mp, values, nulls);
}

/*
 * What a call site of a one-row lookup keeps in fn_extra: the blessed
 * result descriptor, and the map it opened last (sm_pg_open_memo), since
 * the same map often comes row after row.
 */
typedef struct LookupSite
{
	TupleDesc	desc;
	SmPgOpenMemo memo;
} LookupSite;

static LookupSite *
lookup_site(FunctionCallInfo fcinfo)
{
	LookupSite *site = fcinfo->flinfo->fn_extra;

	if (site == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		site = palloc0(sizeof(LookupSite));
		site->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = site;
	}
	return site;
}

/* The blessed sourcemap_position descriptor, kept per call site. */
static TupleDesc
position_desc(FunctionCallInfo fcinfo)
{
	return lookup_site(fcinfo)->desc;
}

Datum
sourcemap_lookup(PG_FUNCTION_ARGS)
{
	uint32		line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
	uint32		col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
	SmBias		bias = parse_bias(PG_GETARG_TEXT_PP(3));
	LookupSite *site = lookup_site(fcinfo);
	SmPgMap    *pm = sm_pg_open_memo(PG_GETARG_DATUM(0), &site->memo);
	Datum		values[5];
	bool		nulls[5];
	HeapTuple	tuple;

	if (!resolve(pm, line, col, bias, values, nulls))
	{
		sm_pg_close(pm);
		PG_RETURN_NULL();
	}
	/* the overload with the map's URL resolves the source against it */
	if (PG_NARGS() > 4 && !nulls[0])
		values[0] = sm_pg_resolve_source(PG_GETARG_TEXT_PP(4), values[0]);
	tuple = heap_form_tuple(site->desc, values, nulls);
	sm_pg_close(pm);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

/* Elements of a one-dimensional int4 array (NULLs allowed); name for errors. */
static void
int_array(ArrayType *a, const char *name, Datum **elems, bool **nulls, int *n)
{
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				errmsg("%s must be a one-dimensional array", name));
	deconstruct_array(a, INT4OID, sizeof(int32), true, TYPALIGN_INT, elems, nulls, n);
}

/*
 * The batch form: element i of lines and cols is one frame.  Every frame
 * gives a row (ord = i + 1, the array position); a frame with a NULL
 * coordinate or without a mapping has NULL columns.
 */
Datum
sourcemap_lookup_batch(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmBias		bias = parse_bias(PG_GETARG_TEXT_PP(3));
	Datum	   *lines,
			   *cols;
	bool	   *line_nulls,
			   *col_nulls;
	int			nlines,
				ncols;
	uint32	   *pos;
	bool	   *skip,
			   *found;
	SmMapping  *maps;
	SmError		err = {0};
	SmPgMap    *pm;
	Datum	   *resolved = NULL;

	int_array(PG_GETARG_ARRAYTYPE_P(1), "lines", &lines, &line_nulls, &nlines);
	int_array(PG_GETARG_ARRAYTYPE_P(2), "cols", &cols, &col_nulls, &ncols);
	if (nlines != ncols)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("lines and cols must have the same length, got %d and %d", nlines, ncols));
	pos = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(uint32) * 2 * (Size) nlines + 1);
	skip = palloc(sizeof(bool) * (Size) nlines + 1);
	for (int i = 0; i < nlines; i++)
	{
		skip[i] = line_nulls[i] || col_nulls[i];
		pos[i] = line_nulls[i] ? 0 : sm_pg_nonneg(DatumGetInt32(lines[i]), "line");
		pos[nlines + i] = col_nulls[i] ? 0 : sm_pg_nonneg(DatumGetInt32(cols[i]), "column");
	}
	InitMaterializedSRF(fcinfo, 0);
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	found = palloc(sizeof(bool) * (Size) nlines + 1);
	maps = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(SmMapping) * (Size) nlines + 1);
	if (PG_NARGS() > 4)
		resolved = palloc0(sizeof(Datum) * (Size) pm->info.sources + 1);
	if (!sm_lookup_batch(pm->map, pos, pos + nlines, skip, (uint32) nlines, bias, maps, found,
						 &err))
		sm_pg_report(&err, "corrupt sourcemap value");
	for (int i = 0; i < nlines; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, true, true, true, true, true};

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum(i + 1);
		if (found[i] && mapping_values(pm, &maps[i], values + 1, nulls + 1) && resolved &&
			!nulls[1])
		{
			/* each source is resolved against the map's URL once per call */
			uint32		src = maps[i].source;

			if (resolved[src] == (Datum) 0)
				resolved[src] = sm_pg_resolve_source(PG_GETARG_TEXT_PP(4), values[1]);
			values[1] = resolved[src];
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sm_pg_close(pm);
	return (Datum) 0;
}

/*
 * sourcemap_lookup_frame(map, line, col, minified_name DEFAULT NULL) ->
 * (source, line, col, name, function, ignored, status): the lookup plus the
 * original name of the enclosing function (from the map's function table),
 * or minified_name when that is unknown or anonymous, and the status of
 * the lookup (sm_status.h).  When nothing maps, a row with only the status
 * (no_map for a NULL map, no_position for a NULL line or column).  Not
 * strict: minified_name may be NULL.
 */
Datum
sourcemap_lookup_frame(PG_FUNCTION_ARGS)
{
	TupleDesc	desc = position_desc(fcinfo);
	uint32		line,
				col;
	SmPgMap    *pm;
	Datum		values[7];
	bool		nulls[7] = {true, true, true, true, true, true, false};
	HeapTuple	tuple;
	SmStr		fn;
	bool		anonymous;
	SmMapping	mp;
	SmStatus	st;
	SmError		err = {0};
	int			r;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st = PG_ARGISNULL(0) ? SM_STATUS_NO_MAP : SM_STATUS_NO_POSITION;
		values[6] = CStringGetTextDatum(sm_status_name(st));
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
	}
	line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
	col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	if (!sm_lookup_status(pm->map, line, col, SM_BIAS_GLB, &mp, &st, &err))
		sm_pg_report(&err, "corrupt sourcemap value");
	values[6] = CStringGetTextDatum(sm_status_name(st));
	if (st != SM_STATUS_OK)
	{
		tuple = heap_form_tuple(desc, values, nulls);
		sm_pg_close(pm);
		PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
	}
	mapping_values(pm, &mp, values, nulls);
	/* mapping_values filled source, line, col, name, ignored: make room for function */
	values[5] = values[4];
	nulls[5] = nulls[4];
	r = sm_frame_function(pm->map, line, col, &fn, &anonymous, &err);
	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	if (r == 1 && !anonymous)
	{
		values[4] = PointerGetDatum(sm_pg_text(fn.ptr, fn.len));
		nulls[4] = false;
	}
	else
	{
		nulls[4] = PG_ARGISNULL(3);
		values[4] = nulls[4] ? (Datum) 0 : PG_GETARG_DATUM(3);
	}
	tuple = heap_form_tuple(desc, values, nulls);
	sm_pg_close(pm);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

/*
 * sourcemap_explain(map, line, col, bias DEFAULT 'glb') -> (status,
 * detail): why a lookup with this bias finds what it finds, as one of
 * sm_status.h's statuses and a sentence with the numbers.  Not strict: a
 * NULL map or position is a status too (no_map, no_position).
 */
Datum
sourcemap_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char		detail[SM_STATUS_DETAIL_MAX];
	Datum		values[2];
	bool		nulls[2] = {false, false};
	SmStatus	st;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				errmsg("bias must not be NULL"));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st = PG_ARGISNULL(0) ? SM_STATUS_NO_MAP : SM_STATUS_NO_POSITION;
		sm_status_detail_no_lookup(st, detail);
	}
	else
	{
		uint32		line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
		uint32		col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
		SmBias		bias = parse_bias(PG_GETARG_TEXT_PP(3));
		SmPgMap    *pm = sm_pg_open(PG_GETARG_DATUM(0));
		SmMapping	mp;
		SmError		err = {0};

		if (!sm_lookup_explain(pm->map, line, col, bias, &mp, &st, detail, &err))
			sm_pg_report(&err, "corrupt sourcemap value");
		sm_pg_close(pm);
	}
	values[0] = CStringGetTextDatum(sm_status_name(st));
	values[1] = CStringGetTextDatum(detail);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}
