/*
 * floor.c -- the benchmark's floor: sourcemap_bench_floor(map, line, col)
 * takes the arguments of sourcemap_lookup and returns a constant
 * sourcemap_position row built the way a lookup builds its result (one
 * heap_form_tuple per call on a blessed descriptor kept in fn_extra), without
 * reading the map.  A query that calls it instead of sourcemap_lookup costs
 * everything PostgreSQL does around a lookup (scan, join, function call,
 * result row); the difference is the lookup's own work.  Part of bench/, never
 * of the extension: bench/run builds it into its private library folder and
 * creates the function in the benchmark's database only.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(sourcemap_bench_floor);

/* What one call site keeps: the row's descriptor and its constant columns. */
typedef struct FloorRow
{
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5];
} FloorRow;

static FloorRow *
floor_row(FunctionCallInfo fcinfo)
{
	FloorRow   *row = fcinfo->flinfo->fn_extra;

	if (row == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE || desc->natts != 5)
			elog(ERROR, "sourcemap_bench_floor must return sourcemap_position");
		row = palloc0(sizeof(FloorRow));
		row->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		/* a typical answer: a webpack source, a line, a column, a name */
		row->values[0] = CStringGetTextDatum("webpack:///./src/components/App.js");
		row->values[1] = Int32GetDatum(41);
		row->values[2] = Int32GetDatum(16);
		row->values[3] = CStringGetTextDatum("handleClick");
		row->values[4] = BoolGetDatum(false);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = row;
	}
	return row;
}

Datum
sourcemap_bench_floor(PG_FUNCTION_ARGS)
{
	FloorRow   *row = floor_row(fcinfo);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(row->desc, row->values, row->nulls)));
}
