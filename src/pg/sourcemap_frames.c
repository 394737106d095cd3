/*
 * sourcemap_frames.c -- sourcemap_lookup_frames(map, line, col): the stack
 * of original frames at one generated position.
 *
 * A map whose `scopes` field says that functions were inlined has several
 * original frames at one generated position (functions/sm_inline.h).
 * Values stored today keep no `scopes` field, only the function table
 * derived from it, so the answer is the one frame sourcemap_lookup_frame
 * gives: the glb position and the enclosing function.  Once values keep
 * the field verbatim (issue 13's lossless change), its frames come from
 * sm_inline_decode and sm_inline_frames; put_frame takes an SmOrigFrame
 * for that reason.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_lookup_frames);

/* Add one frame; fn (not NUL-terminated) is its function, NULL for none. */
static void
put_frame(ReturnSetInfo *rsinfo, SmPgMap *pm, const SmOrigFrame *fr, const char *fn, size_t fnlen)
{
	Datum		values[8];
	bool		nulls[8] = {false, true, true, true, true, true, false, false};

	values[0] = Int32GetDatum((int32) fr->depth);
	if (fr->has_position)
	{
		values[1] = sm_pg_source_datum(pm, fr->source, &nulls[1]);
		values[2] = Int32GetDatum((int32) fr->line);
		values[3] = Int32GetDatum((int32) fr->col);
		nulls[2] = nulls[3] = false;
		if (fr->name != SM_NONE)
			values[4] = sm_pg_name_datum(pm, fr->name, &nulls[4]);
	}
	if (fn != NULL)
	{
		values[5] = PointerGetDatum(sm_pg_text(fn, fnlen));
		nulls[5] = false;
	}
	values[6] = BoolGetDatum(fr->inlined);
	values[7] = BoolGetDatum(fr->hidden);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * sourcemap_lookup_frames(map, line, col) -> (depth, source, line, col,
 * name, function, inlined, hidden): depth 0 is the innermost frame.
 */
Datum
sourcemap_lookup_frames(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
	uint32		col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
	SmPgMap    *pm;
	SmOrigFrame fr;
	SmMapping	mp;
	SmStr		fn;
	bool		anonymous = false;
	SmError		err = {0};
	int			r;

	InitMaterializedSRF(fcinfo, 0);
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	memset(&fr, 0, sizeof(fr));
	r = sm_lookup(pm->map, line, col, SM_BIAS_GLB, &mp, &err);
	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	fr.has_position = r == 1 && mp.source != SM_NONE;
	fr.source = mp.source;
	fr.line = mp.orig_line;
	fr.col = mp.orig_col;
	fr.name = fr.has_position ? mp.name : SM_NONE;
	r = sm_function_at(pm->map, line, col, &fn, &anonymous, &err);
	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	put_frame(rsinfo, pm, &fr, r == 1 && !anonymous ? fn.ptr : NULL, fn.len);
	sm_pg_close(pm);
	return (Datum) 0;
}
