/*
 * sourcemap_io.c -- getting maps into and out of the sourcemap type: text
 * input (with soft errors on PG16+) and canonical JSON output, the binary
 * send/recv pair, the casts from text, json and jsonb (sourcemap_from_text),
 * the bytea cast and sourcemap_from_bytes() for a document that may be
 * gzip- or zlib-compressed, sourcemap(map, generated_source) with the
 * original function names (sourcemap_with_source), and sourcemap_is_valid().
 * Parsing, validation and encoding are the core's.
 */
#include "sm_cache.h"
#include "sm_pg.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(sourcemap_in);
PG_FUNCTION_INFO_V1(sourcemap_out);
PG_FUNCTION_INFO_V1(sourcemap_recv);
PG_FUNCTION_INFO_V1(sourcemap_send);
PG_FUNCTION_INFO_V1(sourcemap_from_text);
PG_FUNCTION_INFO_V1(sourcemap_is_valid);
PG_FUNCTION_INFO_V1(sourcemap_from_bytes);
PG_FUNCTION_INFO_V1(sourcemap_with_source);

/* What the bytea cast accepts after decompression (sourcemap_from_bytes takes more). */
#define SM_DEFAULT_MAX_DOCUMENT (256 * 1024 * 1024)

/*
 * Parse JSON (UTF-8) into a sourcemap varlena.  Invalid input and limits
 * are soft errors when escontext asks for them (NULL is returned then);
 * out-of-memory always raises.
 */
static struct varlena *
build_value(const char *json, size_t len, Node *escontext)
{
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;

	if (!sm_build(json, len, &sm_pg_env, VARHDRSZ, &out, &out_len, &err))
	{
		if (err.code == SM_E_SYNTAX || err.code == SM_E_LIMIT)
			ereturn(escontext, NULL,
					errcode(sm_pg_sqlstate(err.code)),
					errmsg("invalid source map: %s", err.msg));
		sm_pg_report(&err, "invalid source map");
	}
	if (out_len > MaxAllocSize)
		ereturn(escontext, NULL,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("source map too large: its stored form needs %zu bytes, the limit is %zu",
					   out_len, (size_t) MaxAllocSize));
	SET_VARSIZE(out, out_len);
	return (struct varlena *) out;
}

/* The bytes of a text-like Datum (text, json) converted to UTF-8. */
static const char *
text_utf8(Datum d, size_t *len)
{
	text	   *t = DatumGetTextPP(d);

	return sm_pg_to_utf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), len);
}

Datum
sourcemap_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	Node	   *escontext = fcinfo->context;
	const char *json;
	size_t		len;
	struct varlena *v;

	json = sm_pg_to_utf8(s, strlen(s), &len);
	v = build_value(json, len, escontext);
	if (v == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(v);
}

Datum
sourcemap_out(PG_FUNCTION_ARGS)
{
	SmPgMap    *pm = sm_pg_open(PG_GETARG_DATUM(0));
	bool		cached = pm->entry != NULL;
	SmError		err = {0};
	char	   *json = NULL;
	size_t		len = 0;
	char	   *res;

	if (!sm_to_json(pm->map, 0, &json, &len, &err))
		sm_pg_report(&err, "could not output sourcemap");
	if (len > MaxAllocSize - 1)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("sourcemap too large to output: its JSON form has %zu bytes", len));
	/*
	 * The text lives in the map's memory, which closing may free (a cached
	 * map evicted to keep the cache within its size): take it out first.
	 */
	res = json;
	if (GetDatabaseEncoding() != PG_UTF8)
		res = pg_any_to_server(json, (int) len, PG_UTF8);
	if (res == json && cached)
	{
		res = palloc(len + 1);
		memcpy(res, json, len + 1);
	}
	if (res != json)
		pfree(json);
	sm_pg_close(pm);
	PG_RETURN_CSTRING(res);
}

/*
 * Binary input: a wire version byte, then the stored form.  The bytes come
 * from a client and are checked completely before they are stored.
 */
Datum
sourcemap_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SmError		err = {0};
	int			version;
	size_t		n;
	struct varlena *v;

	if (buf->cursor >= buf->len)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid binary sourcemap: empty value"));
	version = pq_getmsgbyte(buf);
	if (version != SM_WIRE_VERSION)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid binary sourcemap: unsupported wire format version %d (expected %d)",
					   version, SM_WIRE_VERSION));
	n = buf->len - buf->cursor;
	if (n > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				errmsg("invalid binary sourcemap: value of %zu bytes is too large", n));
	v = palloc(VARHDRSZ + n);
	SET_VARSIZE(v, VARHDRSZ + n);
	pq_copymsgbytes(buf, VARDATA(v), (int) n);	/* consumes every byte */
	/* an older release's layout is stored as today's */
	v = sm_pg_current_layout(v, "invalid binary sourcemap");
	n = VARSIZE(v) - VARHDRSZ;

	if (!sm_validate((const uint8_t *) VARDATA(v), n, &sm_pg_env, &err))
	{
		if (err.code == SM_E_NOMEM || err.code == SM_E_LIMIT)
			sm_pg_report(&err, "invalid binary sourcemap");
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid binary sourcemap: %s", err.msg));
	}
	PG_RETURN_POINTER(v);
}

/*
 * Binary output: the wire version byte, then the stored form (as today's
 * layout for a value stored by an older release).
 */
Datum
sourcemap_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = sm_pg_current_layout(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0)),
											 "corrupt sourcemap value");
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SM_WIRE_VERSION);
	pq_sendbytes(&buf, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Cast from text or json (both are text varlenas). */
Datum
sourcemap_from_text(PG_FUNCTION_ARGS)
{
	size_t		len;
	const char *json = text_utf8(PG_GETARG_DATUM(0), &len);

	PG_RETURN_POINTER(build_value(json, len, NULL));
}

/*
 * sourcemap_from_bytes(doc, max_size): a document given as bytes, raw JSON
 * or gzip/zlib-compressed (told by its first bytes).  Decompressing past
 * max_size bytes is an error (54000), so a decompression bomb never runs
 * the server out of memory.  The one-argument form is the bytea cast.
 */
Datum
sourcemap_from_bytes(PG_FUNCTION_ARGS)
{
	bytea	   *doc = PG_GETARG_BYTEA_PP(0);
	int64		max_size = PG_NARGS() > 1 ? PG_GETARG_INT64(1) : SM_DEFAULT_MAX_DOCUMENT;
	const uint8_t *data = (const uint8_t *) VARDATA_ANY(doc);
	size_t		len = VARSIZE_ANY_EXHDR(doc);
	SmCompression kind = sm_detect_compression(data, len);
	uint8_t    *json;
	size_t		json_len;
	SmError		err = {0};
	struct varlena *v;

	if (max_size < 0 || max_size > (int64) MaxAllocSize)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				errmsg("max_size must be between 0 and %zu, got " INT64_FORMAT,
					   (size_t) MaxAllocSize, max_size));
	if (kind == SM_COMP_NONE)
	{
		if ((int64) len > max_size)
			ereport(ERROR,
					errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("source map document of %zu bytes exceeds max_size " INT64_FORMAT,
						   len, max_size));
		PG_RETURN_POINTER(build_value((const char *) data, len, NULL));
	}
	if (!sm_inflate_doc(data, len, kind, (size_t) max_size, 0, &sm_pg_env, &json, &json_len, &err))
		sm_pg_report(&err, err.code == SM_E_LIMIT ? "compressed source map too large" :
					 "invalid compressed source map");
	v = build_value((const char *) json, json_len, NULL);
	pfree(json);
	PG_RETURN_POINTER(v);
}

/*
 * sourcemap(map_json, generated_source): the map, plus the original names
 * of the functions in the generated code it belongs to (found by scanning
 * that code and mapping each function's name back through the map).
 */
Datum
sourcemap_with_source(PG_FUNCTION_ARGS)
{
	size_t		len,
				jslen;
	const char *json = text_utf8(PG_GETARG_DATUM(0), &len);
	const char *js = text_utf8(PG_GETARG_DATUM(1), &jslen);
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;

	if (!sm_build_with_source(json, len, js, jslen, &sm_pg_env, VARHDRSZ, &out, &out_len, &err))
		sm_pg_report(&err, err.code == SM_E_SYNTAX || err.code == SM_E_LIMIT ?
					 "invalid source map or generated source" : NULL);
	SET_VARSIZE(out, out_len);
	PG_RETURN_POINTER(out);
}

/* Would this document be accepted?  Only out-of-memory (or a cancel) raises. */
Datum
sourcemap_is_valid(PG_FUNCTION_ARGS)
{
	size_t		len;
	const char *json = text_utf8(PG_GETARG_DATUM(0), &len);
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;

	if (!sm_build(json, len, &sm_pg_env, VARHDRSZ, &out, &out_len, &err))
	{
		if (err.code == SM_E_NOMEM)
			sm_pg_report(&err, NULL);
		PG_RETURN_BOOL(false);
	}
	pfree(out);
	PG_RETURN_BOOL(out_len <= MaxAllocSize);
}
