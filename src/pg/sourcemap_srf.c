/*
 * sourcemap_srf.c -- the set-returning views of a map: every segment
 * (sourcemap_tokens), the sources table (sourcemap_sources) and the names
 * table (sourcemap_names).  All run in materialize mode: one call fills a
 * tuplestore.
 */
#include "sm_pg.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_tokens);
PG_FUNCTION_INFO_V1(sourcemap_sources);
PG_FUNCTION_INFO_V1(sourcemap_names);

/* Resolved source idx as a text Datum; *isnull for a null sources entry. */
static Datum
resolved_source(SmMap *m, uint32 idx, bool *isnull)
{
	SmError		err = {0};
	char	   *s;
	uint32_t	len;

	if (!sm_source_resolved(m, idx, &s, &len, isnull, &err))
		sm_pg_report(&err, "could not read sourcemap source");
	if (*isnull)
		return (Datum) 0;
	return PointerGetDatum(sm_pg_text(s, len));
}

/* Name idx as a text Datum. */
static Datum
name_datum(SmMap *m, uint32 idx, bool *isnull)
{
	SmError		err = {0};
	SmStr		s;

	if (!sm_name(m, idx, &s, &err))
		sm_pg_report(&err, "could not read sourcemap name");
	*isnull = s.isnull;
	if (s.isnull)
		return (Datum) 0;
	return PointerGetDatum(sm_pg_text(s.ptr, s.len));
}

/* Per-index Datums computed on first use, so each string is converted once. */
typedef struct StrCache
{
	uint32		n;
	Datum	   *values;
	uint8	   *state;			/* 0 not yet, 1 value, 2 null */
} StrCache;

static void
strcache_init(StrCache *c, uint32 n)
{
	c->n = n;
	c->values = palloc_extended(mul_size(Max(n, 1), sizeof(Datum)), MCXT_ALLOC_HUGE);
	c->state = palloc_extended(Max(n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

static Datum
strcache_get(StrCache *c, SmMap *m, uint32 idx, bool *isnull,
			 Datum (*make) (SmMap *, uint32, bool *))
{
	if (idx >= c->n)
		ereport(ERROR,
				errcode(ERRCODE_DATA_CORRUPTED),
				errmsg("corrupt sourcemap value: index %u out of range", idx));
	if (c->state[idx] == 0)
	{
		bool		null;

		c->values[idx] = make(m, idx, &null);
		c->state[idx] = null ? 2 : 1;
	}
	*isnull = (c->state[idx] == 2);
	return c->values[idx];
}

/* Map info (counts), reporting errors. */
static void
map_info(SmMap *m, SmInfo *info)
{
	SmError		err = {0};

	if (!sm_info(m, info, &err))
		sm_pg_report(&err, "could not read sourcemap");
}

Datum
sourcemap_tokens(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmMap	   *m;
	SmInfo		info;
	SmIter	   *it;
	SmMapping	mp;
	SmError		err = {0};
	StrCache	sources;
	StrCache	names;
	int			r;

	InitMaterializedSRF(fcinfo, 0);
	m = sm_pg_open(PG_GETARG_DATUM(0));
	map_info(m, &info);
	strcache_init(&sources, info.sources);
	strcache_init(&names, info.names);

	it = sm_iter_begin(m, &err);
	if (it == NULL)
		sm_pg_report(&err, "could not read sourcemap mappings");
	while ((r = sm_iter_next(it, &mp, &err)) > 0)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, false, true, true, true};

		CHECK_FOR_INTERRUPTS();
		if (mp.gen_line > PG_INT32_MAX || mp.gen_col > PG_INT32_MAX ||
			(mp.source != SM_NONE &&
			 (mp.orig_line > PG_INT32_MAX || mp.orig_col > PG_INT32_MAX)))
			ereport(ERROR,
					errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					errmsg("sourcemap position does not fit in integer"));
		values[0] = Int32GetDatum((int32) mp.gen_line);
		values[1] = Int32GetDatum((int32) mp.gen_col);
		if (mp.source == SM_NONE)
			nulls[2] = true;
		else
		{
			values[2] = strcache_get(&sources, m, mp.source, &nulls[2], resolved_source);
			values[3] = Int32GetDatum((int32) mp.orig_line);
			values[4] = Int32GetDatum((int32) mp.orig_col);
			nulls[3] = nulls[4] = false;
			if (mp.name != SM_NONE)
				values[5] = strcache_get(&names, m, mp.name, &nulls[5], name_datum);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (r < 0)
		sm_pg_report(&err, "could not read sourcemap mappings");
	sm_iter_end(it);
	sm_close(m);
	return (Datum) 0;
}

Datum
sourcemap_sources(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmMap	   *m;
	SmInfo		info;
	uint32		i;

	InitMaterializedSRF(fcinfo, 0);
	m = sm_pg_open(PG_GETARG_DATUM(0));
	map_info(m, &info);
	for (i = 0; i < info.sources; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		bool		has;
		SmError		err;

		CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum((int32) i);
		values[1] = resolved_source(m, i, &nulls[1]);
		values[2] = BoolGetDatum(sm_source_ignored(m, i));
		if (!sm_source_has_content(m, i, &has, &err))
			sm_pg_report(&err, "corrupt sourcemap value");
		values[3] = BoolGetDatum(has);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sm_close(m);
	return (Datum) 0;
}

Datum
sourcemap_names(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmMap	   *m;
	SmInfo		info;
	uint32		i;

	InitMaterializedSRF(fcinfo, 0);
	m = sm_pg_open(PG_GETARG_DATUM(0));
	map_info(m, &info);
	for (i = 0; i < info.names; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum((int32) i);
		values[1] = name_datum(m, i, &nulls[1]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sm_close(m);
	return (Datum) 0;
}
