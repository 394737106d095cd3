/*
 * sourcemap_frames.c -- sourcemap_lookup_frames(map, line, col): the stack
 * of original frames at one generated position.
 *
 * A map whose `scopes` field says that functions were inlined has several
 * original frames at one generated position (functions/sm_inline.h).  The
 * stored value keeps that field verbatim among its kept members
 * (sm_inline_decode_kept); it is decoded on first use and kept with the
 * opened map (SmPgMap.scopes), so a cached map decodes it once, not once
 * per call.  A map without the field (or with a malformed one, which
 * ingest ignores too) gives one frame: sourcemap_lookup_frame's glb
 * position and function (sm_frame_function, x_facebook_sources first).
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_lookup_frames);

/* A map's decoded `scopes` field, made once per opened map. */
typedef struct SmPgScopes
{
	bool		found;			/* the map keeps a well-formed `scopes` string */
	SmScopesField field;		/* allocated from the map's env (in its context) */
} SmPgScopes;

/*
 * The decoded `scopes` field of pm's map, decoded from its kept members on
 * the first call and kept in pm.  A malformed field (SM_E_SYNTAX) counts as
 * none, as at ingest.
 */
static const SmPgScopes *
map_scopes(SmPgMap *pm)
{
	SmPgScopes *s;
	SmError		err = {0};

	if (pm->scopes != NULL)
		return pm->scopes;
	s = MemoryContextAllocZero(pm->cxt, sizeof(SmPgScopes));
	if (!sm_inline_decode_kept(pm->map, &s->field, &s->found, &err))
	{
		if (err.code != SM_E_SYNTAX)
			sm_pg_report(&err, "corrupt sourcemap value");
		s->found = false;
	}
	pm->scopes = s;
	return s;
}

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

/* The frames the scopes field f gives at (line, col), one row each. */
static void
put_scopes_frames(ReturnSetInfo *rsinfo, SmPgMap *pm, const SmScopesField *f, uint32 line,
				  uint32 col)
{
	SmOrigFrame *frames;
	uint32_t	n;
	SmError		err = {0};

	if (!sm_inline_frames(pm->map, f, line, col, &frames, &n, &err))
		sm_pg_report(&err, "corrupt sourcemap value");
	for (uint32_t i = 0; i < n; i++)
	{
		SmStr		fn = {NULL, 0};

		if (frames[i].has_function && frames[i].function != SM_NONE &&
			!sm_name(pm->map, frames[i].function, &fn, &err))
			sm_pg_report(&err, "corrupt sourcemap value");
		put_frame(rsinfo, pm, &frames[i], fn.ptr, fn.len);
	}
	sm_free(sm_map_env(pm->map), frames);
}

/* The one frame of a map without scopes: the glb position and the function. */
static void
put_single_frame(ReturnSetInfo *rsinfo, SmPgMap *pm, uint32 line, uint32 col)
{
	SmOrigFrame fr;
	SmMapping	mp;
	SmStr		fn;
	bool		anonymous = false;
	SmError		err = {0};
	int			r;

	memset(&fr, 0, sizeof(fr));
	r = sm_lookup(pm->map, line, col, SM_BIAS_GLB, &mp, &err);
	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	fr.has_position = r == 1 && mp.source != SM_NONE;
	fr.source = mp.source;
	fr.line = mp.orig_line;
	fr.col = mp.orig_col;
	fr.name = fr.has_position ? mp.name : SM_NONE;
	/* as sourcemap_lookup_frame: no function where nothing maps */
	r = fr.has_position ? sm_frame_function(pm->map, line, col, &fn, &anonymous, &err) : 0;
	if (r < 0)
		sm_pg_report(&err, "corrupt sourcemap value");
	put_frame(rsinfo, pm, &fr, r == 1 && !anonymous ? fn.ptr : NULL, fn.len);
}

/*
 * sourcemap_lookup_frames(map, line, col) -> (depth, source, line, col,
 * name, function, inlined, hidden): depth 0 is the innermost frame.  The
 * call site keeps the map it opened last (sm_pg_open_memo) in fn_extra.
 */
Datum
sourcemap_lookup_frames(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
	uint32		col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
	SmPgOpenMemo *memo = fcinfo->flinfo->fn_extra;
	const SmPgScopes *s;
	SmPgMap    *pm;

	InitMaterializedSRF(fcinfo, 0);
	if (memo == NULL)
	{
		memo = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SmPgOpenMemo));
		fcinfo->flinfo->fn_extra = memo;
	}
	pm = sm_pg_open_memo(PG_GETARG_DATUM(0), memo);
	s = map_scopes(pm);
	if (s->found)
		put_scopes_frames(rsinfo, pm, &s->field, line, col);
	else
		put_single_frame(rsinfo, pm, line, col);
	sm_pg_close(pm);
	return (Datum) 0;
}
