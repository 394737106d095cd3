/*
 * sourcemap_stack.c -- reading what arrives with an error, before any map
 * is involved: sourcemap_parse_stack (the frames of a JavaScript
 * error.stack string) and sourcemap_references (the sourceMappingURL and
 * debugId comments of a generated file).
 */
#include "sm_pg.h"

#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

PG_FUNCTION_INFO_V1(sourcemap_parse_stack);
PG_FUNCTION_INFO_V1(sourcemap_references);

/* Column k of the row: text of a slice, or NULL when ptr is NULL. */
static void
put_text(Datum *values, bool *nulls, int k, const char *ptr, size_t len)
{
	nulls[k] = ptr == NULL;
	values[k] = ptr ? PointerGetDatum(sm_pg_text(ptr, len)) : (Datum) 0;
}

/* Column k of the row: a position, or NULL when absent. */
static void
put_pos(Datum *values, bool *nulls, int k, bool has, uint32 v)
{
	nulls[k] = !has;
	values[k] = Int32GetDatum((int32) v);
}

/* Add one frame to the result set (the ctx is the ReturnSetInfo). */
static bool
put_frame(void *ctx, const SmFrame *f, SmError *err)
{
	ReturnSetInfo *rsinfo = ctx;
	Datum		values[10];
	bool		nulls[10] = {false};

	values[0] = Int32GetDatum((int32) f->ord + 1);
	put_text(values, nulls, 1, f->function, f->function_len);
	values[2] = PointerGetDatum(sm_pg_text(f->url, f->url_len));
	put_pos(values, nulls, 3, f->has_lineno, f->lineno);
	put_pos(values, nulls, 4, f->has_colno, f->colno);
	values[5] = CStringGetTextDatum(sm_stack_format_name(f->format));
	put_text(values, nulls, 6, f->eval.function, f->eval.function_len);
	put_text(values, nulls, 7, f->eval.url, f->eval.url_len);
	put_pos(values, nulls, 8, f->eval.has_lineno, f->eval.lineno);
	put_pos(values, nulls, 9, f->eval.has_colno, f->eval.colno);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return true;
}

/*
 * sourcemap_parse_stack(stack) -> (ord, function, url, lineno, colno,
 * format, eval_function, eval_url, eval_lineno, eval_colno): V8, Hermes,
 * SpiderMonkey and JavaScriptCore frames; ord counts from 1, innermost
 * first; positions are 1-based as the engines print them; the eval_
 * columns are the eval origin of an eval frame (NULL for other frames).
 */
Datum
sourcemap_parse_stack(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *stack = PG_GETARG_TEXT_PP(0);
	size_t		len;
	const char *s = sm_pg_to_utf8(VARDATA_ANY(stack), VARSIZE_ANY_EXHDR(stack), &len);
	SmError		err = {0};

	InitMaterializedSRF(fcinfo, 0);
	if (!sm_stack_parse(s, len, NULL, &sm_pg_env, put_frame, rsinfo, &err))
		sm_pg_report(&err, "could not parse stack trace");
	return (Datum) 0;
}

/*
 * sourcemap_references(generated_source) -> (source_mapping_url, debug_id):
 * the specification's scan of a generated file's comments, without
 * parsing it.  Either may be NULL.
 */
Datum
sourcemap_references(PG_FUNCTION_ARGS)
{
	text	   *src = PG_GETARG_TEXT_PP(0);
	size_t		len;
	const char *s = sm_pg_to_utf8(VARDATA_ANY(src), VARSIZE_ANY_EXHDR(src), &len);
	TupleDesc	desc;
	SmRefs		refs;
	Datum		values[2];
	bool		nulls[2] = {true, true};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	sm_scan_refs(s, len, &sm_pg_env, &refs);
	if (refs.has_url)
	{
		values[0] = PointerGetDatum(sm_pg_text(refs.url, refs.url_len));
		nulls[0] = false;
	}
	if (refs.has_debug_id)
	{
		pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

		memcpy(u->data, refs.debug_id, UUID_LEN);
		values[1] = UUIDPGetDatum(u);
		nulls[1] = false;
	}
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
