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

/* Add one frame to the result set (the ctx is the ReturnSetInfo). */
static bool
put_frame(void *ctx, const SmFrame *f, SmError *err)
{
	ReturnSetInfo *rsinfo = ctx;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	values[0] = Int32GetDatum((int32) f->ord + 1);
	if (f->function)
		values[1] = PointerGetDatum(sm_pg_text(f->function, f->function_len));
	else
		nulls[1] = true;
	values[2] = PointerGetDatum(sm_pg_text(f->url, f->url_len));
	values[3] = Int32GetDatum((int32) f->lineno);
	nulls[3] = !f->has_lineno;
	values[4] = Int32GetDatum((int32) f->colno);
	nulls[4] = !f->has_colno;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return true;
}

/*
 * sourcemap_parse_stack(stack) -> (ord, function, url, lineno, colno): V8,
 * SpiderMonkey and JavaScriptCore frames; ord counts from 1, innermost
 * first; lineno and colno are 1-based as the engines print them.
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
