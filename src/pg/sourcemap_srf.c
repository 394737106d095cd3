/*
 * sourcemap_srf.c -- the set-returning views of a map: every segment
 * (sourcemap_tokens), the sources table (sourcemap_sources) and the names
 * table (sourcemap_names).  All run in materialize mode: one call fills a
 * tuplestore.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_tokens);
PG_FUNCTION_INFO_V1(sourcemap_sources);
PG_FUNCTION_INFO_V1(sourcemap_names);

Datum
sourcemap_tokens(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmPgMap    *pm;
	SmIter	   *it;
	SmMapping	mp;
	SmError		err = {0};
	uint64		n = 0;
	int			r;

	InitMaterializedSRF(fcinfo, 0);
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	it = sm_iter_begin(pm->map, &err);
	if (it == NULL)
		sm_pg_report(&err, "corrupt sourcemap value");
	while ((r = sm_iter_next(it, &mp, &err)) > 0)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, true, true, true, true};

		if ((++n & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the core keeps every coordinate within int4 */
		values[0] = Int32GetDatum((int32) mp.gen_line);
		values[1] = Int32GetDatum((int32) mp.gen_col);
		if (mp.source != SM_NONE)
		{
			values[2] = sm_pg_source_datum(pm, mp.source, &nulls[2]);
			values[3] = Int32GetDatum((int32) mp.orig_line);
			values[4] = Int32GetDatum((int32) mp.orig_col);
			nulls[3] = nulls[4] = false;
			if (mp.name != SM_NONE)
				values[5] = sm_pg_name_datum(pm, mp.name, &nulls[5]);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	sm_iter_end(it);
	sm_pg_close(pm);
	return (Datum) 0;
}

Datum
sourcemap_sources(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmPgMap    *pm;

	InitMaterializedSRF(fcinfo, 0);
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	for (uint32 i = 0; i < pm->info.sources; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		bool		has;
		SmError		err = {0};

		CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum((int32) i);
		values[1] = sm_pg_source_datum(pm, i, &nulls[1]);
		/* the overload with the map's URL resolves the source against it */
		if (PG_NARGS() > 1 && !nulls[1])
			values[1] = sm_pg_resolve_source(PG_GETARG_TEXT_PP(1), values[1]);
		values[2] = BoolGetDatum(sm_source_ignored(pm->map, i));
		if (!sm_source_has_content(pm->map, i, &has, &err))
			sm_pg_report(&err, "corrupt sourcemap value");
		values[3] = BoolGetDatum(has);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sm_pg_close(pm);
	return (Datum) 0;
}

Datum
sourcemap_names(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmPgMap    *pm;

	InitMaterializedSRF(fcinfo, 0);
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	for (uint32 i = 0; i < pm->info.names; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int32GetDatum((int32) i);
		values[1] = sm_pg_name_datum(pm, i, &nulls[1]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sm_pg_close(pm);
	return (Datum) 0;
}
