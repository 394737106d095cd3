/*
 * sourcemap_source.c -- questions about one original source of a map:
 * sourcemap_context (the lines around a position, from sourcesContent or
 * from a text the caller gives) and
 * sourcemap_generated_positions (where an original position ended up).
 * Both name the source as sourcemap_lookup returns it, or as written in
 * `sources`.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sourcemap_context);
PG_FUNCTION_INFO_V1(sourcemap_context_text);
PG_FUNCTION_INFO_V1(sourcemap_generated_positions);

/* One context line (trimmed as asked) as a text Datum. */
static Datum
line_datum(const SmCtxLine *l)
{
	size_t		n = sm_ctx_line_size(l);
	char	   *buf = palloc(n + 1);
	text	   *t;

	sm_ctx_line_render(l, buf);
	t = sm_pg_text(buf, n);
	pfree(buf);
	return PointerGetDatum(t);
}

/* lines[from .. from + n) as a text[] Datum. */
static Datum
lines_array(const SmCtxLine *lines, uint32 n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));

	for (uint32 i = 0; i < n; i++)
		elems[i] = line_datum(&lines[i]);
	return PointerGetDatum(construct_array(elems, (int) n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * The columns pre, line, post of the context around line `line` of a UTF-8
 * text; false when the text has no such line.
 */
static bool
context_values(const char *content, size_t len, uint32 line, bool has_col, uint32 col,
			   uint32 radius, bool trim, Datum *values)
{
	SmError		err = {0};
	SmLineIndex *li;
	SmContext	ctx;
	int			r;

	li = sm_line_index_build(content, len, SM_LINES_JS, &sm_pg_env, &err);
	if (li == NULL)
		sm_pg_report(&err, "could not index source content");
	r = sm_context_get(li, content, len, line, has_col, col, radius, trim, &sm_pg_env, &ctx,
					   &err);
	if (r < 0)
		sm_pg_report(&err, "could not read source context");
	if (r > 0)
	{
		values[0] = lines_array(ctx.lines, ctx.npre);
		values[1] = line_datum(&ctx.lines[ctx.npre]);
		values[2] = lines_array(ctx.lines + ctx.npre + 1, ctx.npost);
		sm_context_free(&sm_pg_env, &ctx);
	}
	sm_line_index_free(&sm_pg_env, li);
	return r > 0;
}

/*
 * sourcemap_context(map, source, line, col DEFAULT NULL, radius DEFAULT 5,
 * trim_lines DEFAULT false) -> (pre text[], line text, post text[]).  Not strict:
 * col may be NULL; any other NULL argument gives NULL.  NULL also when the
 * source is unknown, has no content, or has no such line.
 */
Datum
sourcemap_context(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	SmPgMap    *pm;
	uint32		idx,
				line,
				radius,
				col = 0;
	bool		has_col = !PG_ARGISNULL(3);
	bool		trim;
	char	   *content;
	uint32_t	content_len;
	bool		isnull;
	SmError		err = {0};
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	bool		found;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4) ||
		PG_ARGISNULL(5))
		PG_RETURN_NULL();
	line = sm_pg_nonneg(PG_GETARG_INT32(2), "line");
	if (has_col)
		col = sm_pg_nonneg(PG_GETARG_INT32(3), "column");
	radius = sm_pg_nonneg(PG_GETARG_INT32(4), "radius");
	trim = PG_GETARG_BOOL(5);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	pm = sm_pg_open(PG_GETARG_DATUM(0));
	idx = sm_pg_find_source(pm, PG_GETARG_TEXT_PP(1));
	if (idx == SM_NONE)
	{
		sm_pg_close(pm);
		PG_RETURN_NULL();
	}
	if (!sm_source_content(pm->map, idx, &content, &content_len, &isnull, &err))
		sm_pg_report(&err, "could not read sourcemap source content");
	if (isnull)
	{
		sm_pg_close(pm);
		PG_RETURN_NULL();
	}

	found = context_values(content, content_len, line, has_col, col, radius, trim, values);
	/* the content lives in the map's memory (freed with it): close only now */
	sm_pg_close(pm);
	if (!found)
		PG_RETURN_NULL();
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * sourcemap_context(content, line, col, radius DEFAULT 5, trim_lines
 * DEFAULT true) -> (pre text[], line text, post text[]): the same lines
 * from a text the caller gives (an original file, or the minified one).
 * Strict; NULL when the text has no such line.
 */
Datum
sourcemap_context_text(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	text	   *t = PG_GETARG_TEXT_PP(0);
	uint32		line = sm_pg_nonneg(PG_GETARG_INT32(1), "line");
	uint32		col = sm_pg_nonneg(PG_GETARG_INT32(2), "column");
	uint32		radius = sm_pg_nonneg(PG_GETARG_INT32(3), "radius");
	bool		trim = PG_GETARG_BOOL(4);
	size_t		len;
	const char *content = sm_pg_to_utf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len);
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (!context_values(content, len, line, true, col, radius, trim, values))
		PG_RETURN_NULL();
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * sourcemap_generated_positions(map, source, line, col DEFAULT NULL) ->
 * (gen_line, gen_col, line, col) rows, in generated order: every generated
 * position mapped from that original position (allGeneratedPositionsFor).
 * Not strict: col may be NULL (the whole line).
 */
Datum
sourcemap_generated_positions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmPgMap    *pm;
	uint32		idx,
				line,
				col = 0;
	bool		has_col = !PG_ARGISNULL(3);
	SmGenPos   *pos;
	size_t		n;
	SmError		err = {0};

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return (Datum) 0;
	line = sm_pg_nonneg(PG_GETARG_INT32(2), "line");
	if (has_col)
		col = sm_pg_nonneg(PG_GETARG_INT32(3), "column");
	pm = sm_pg_open(PG_GETARG_DATUM(0));
	idx = sm_pg_find_source(pm, PG_GETARG_TEXT_PP(1));
	if (idx != SM_NONE)
	{
		if (!sm_generated_positions(pm->map, idx, line, has_col, col, &pos, &n, &err))
			sm_pg_report(&err, "could not search sourcemap mappings");
		for (size_t i = 0; i < n; i++)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			values[0] = Int32GetDatum((int32) pos[i].gen_line);
			values[1] = Int32GetDatum((int32) pos[i].gen_col);
			values[2] = Int32GetDatum((int32) pos[i].orig_line);
			values[3] = Int32GetDatum((int32) pos[i].orig_col);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		if (pos)
			pfree(pos);
	}
	sm_pg_close(pm);
	return (Datum) 0;
}
