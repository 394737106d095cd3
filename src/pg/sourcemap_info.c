/*
 * sourcemap_info.c -- questions about a map as a whole or one source in it:
 * sourcemap_info (header fields and counts), sourcemap_debug_id, and
 * sourcemap_source_content by index or by source name.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

PG_FUNCTION_INFO_V1(sourcemap_info);
PG_FUNCTION_INFO_V1(sourcemap_debug_id);
PG_FUNCTION_INFO_V1(sourcemap_source_content_idx);
PG_FUNCTION_INFO_V1(sourcemap_source_content_name);

/* A string field as a text Datum (or null). */
static Datum
str_datum(const SmStr *s, bool *isnull)
{
	*isnull = s->isnull;
	if (s->isnull)
		return (Datum) 0;
	return PointerGetDatum(sm_pg_text(s->ptr, s->len));
}

/* The debug id as a uuid Datum (or null). */
static Datum
debug_id_datum(const SmInfo *info, bool *isnull)
{
	pg_uuid_t  *u;

	*isnull = !info->has_debug_id;
	if (*isnull)
		return (Datum) 0;
	u = palloc(sizeof(pg_uuid_t));
	memcpy(u->data, info->debug_id, UUID_LEN);
	return UUIDPGetDatum(u);
}

Datum
sourcemap_info(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	SmPgMap    *pm;
	const SmInfo *info;
	Datum		values[10];
	bool		nulls[10] = {0};
	HeapTuple	tuple;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	info = &pm->info;

	values[0] = Int32GetDatum(3);	/* the only source map version accepted */
	values[1] = str_datum(&info->file, &nulls[1]);
	values[2] = str_datum(&info->source_root, &nulls[2]);
	values[3] = debug_id_datum(info, &nulls[3]);
	values[4] = Int64GetDatum((int64) info->segments);
	values[5] = Int32GetDatum((int32) info->generated_lines);
	values[6] = Int32GetDatum((int32) info->sources);
	values[7] = Int32GetDatum((int32) info->names);
	values[8] = Int32GetDatum((int32) info->stored_bytes);
	values[9] = Int32GetDatum((int32) info->format_version);
	tupdesc = BlessTupleDesc(tupdesc);
	tuple = heap_form_tuple(tupdesc, values, nulls);
	sm_pg_close(pm);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

Datum
sourcemap_debug_id(PG_FUNCTION_ARGS)
{
	SmPgMap    *pm = sm_pg_open(PG_GETARG_DATUM(0));
	bool		isnull;
	Datum		d;

	d = debug_id_datum(&pm->info, &isnull);
	sm_pg_close(pm);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(d);
}

/* sourcesContent of source idx as text; NULL when it has none. */
static Datum
content_datum(FunctionCallInfo fcinfo, SmPgMap *pm, uint32 idx)
{
	SmError		err = {0};
	char	   *s;
	uint32_t	len;
	bool		isnull;
	text	   *t;

	if (!sm_source_content(pm->map, idx, &s, &len, &isnull, &err))
		sm_pg_report(&err, "could not read sourcemap source content");
	if (isnull)
	{
		sm_pg_close(pm);
		PG_RETURN_NULL();
	}
	t = sm_pg_text(s, len);
	pfree(s);
	sm_pg_close(pm);
	PG_RETURN_TEXT_P(t);
}

/*
 * By index: a negative index is an error (22023); an index past the last
 * source gives NULL, like a source without content.
 */
Datum
sourcemap_source_content_idx(PG_FUNCTION_ARGS)
{
	uint32		idx = sm_pg_nonneg(PG_GETARG_INT32(1), "source index");
	SmPgMap    *pm = sm_pg_open(PG_GETARG_DATUM(0));

	if (idx >= pm->info.sources)
	{
		sm_pg_close(pm);
		PG_RETURN_NULL();
	}
	return content_datum(fcinfo, pm, idx);
}

/* By name: the first source whose resolved or raw name matches; NULL if none. */
Datum
sourcemap_source_content_name(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(1);
	SmPgMap    *pm = sm_pg_open(PG_GETARG_DATUM(0));
	uint32		idx = sm_pg_find_source(pm, name);

	if (idx == SM_NONE)
	{
		sm_pg_close(pm);
		PG_RETURN_NULL();
	}
	return content_datum(fcinfo, pm, idx);
}
