/*
 * fuzz_text.c -- the core's other parsers of untrusted text and bytes:
 * error.stack strings, generated JavaScript (sourceMappingURL / debugId
 * comments, function scopes), source texts split into lines for context,
 * the ECMA-426 `scopes` field, and the stored function table.
 *
 * The first byte picks the parser (mod 6); the rest is its input.
 *
 *   0 sm_stack_parse_array / sm_stack_parse: every frame's function and URL
 *     are slices of the input, numbers within int4, frames numbered in
 *     order, and the callback form gives the same frames.
 *   1 sm_scan_refs, sm_match_source_mapping_url: URLs are slices of the input.
 *   2 sm_js_scan: scopes have start <= end, parents come first and contain
 *     their children, name parts are in range and their text inside the
 *     input; sm_js_scope_at gives a scope containing the position;
 *     sm_js_scope_name works; then every scope goes into an SmFuncList,
 *     sm_functab_encode makes a table, and sm_functab_check must accept
 *     it and sm_functab_find never report it malformed.
 *   3 sm_functab_check / sm_functab_find on arbitrary bytes: find never
 *     crashes; on a table check accepts it never fails and returns names
 *     inside the bytes.
 *   4 sm_line_index_build, sm_line_get, sm_context_get (trimmed or not),
 *     sm_ctx_line_render, sm_utf16_col_to_byte: every slice inside the
 *     text, lines without terminators, rendered sizes as announced.
 *   5 sm_scopes_field_decode (counts from the input) and
 *     sm_scopes_field_from_doc: indexes in range; the names found encode
 *     to a table sm_functab_check accepts.
 *
 * Everything runs on the allocation-tracking environment: no leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_buf.h"
#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"
#include "functions/sm_jsscan.h"
#include "functions/sm_scopes_field.h"
#include "json/sm_doc.h"
#include "fuzz_common.h"
#include "symbolicate/sm_context.h"
#include "symbolicate/sm_refs.h"
#include "symbolicate/sm_stack.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is [p, p+n) inside [base, base+len)? */
static bool
inside(const void *p, size_t n, const void *base, size_t len)
{
	const char *a = p,
			   *b = base;

	return a >= b && n <= len && (size_t) (a - b) <= len - n;
}

/* ---- 0: error.stack ----------------------------------------------------------- */

typedef struct Collect
{
	SmFrame    *frames;
	size_t		n;
} Collect;

static bool
collect_frame(void *vctx, const SmFrame *f, SmError *err)
{
	Collect    *c = vctx;
	SmFrame    *nf = realloc(c->frames, (c->n + 1) * sizeof(SmFrame));

	(void) err;
	if (nf == NULL)
		fz_fail("out of memory in the harness");
	c->frames = nf;
	c->frames[c->n++] = *f;
	return true;
}

static void
check_frame(const SmFrame *f, size_t k, const char *text, size_t len)
{
	FZ_CHECK(f->ord == k, "frame %zu numbered %u", k, f->ord);
	FZ_CHECK(f->url != NULL && inside(f->url, f->url_len, text, len),
			 "frame %zu: URL is not a slice of the input", k);
	FZ_CHECK(f->function == NULL || inside(f->function, f->function_len, text, len),
			 "frame %zu: function is not a slice of the input", k);
	FZ_CHECK(!f->has_lineno || f->lineno <= 2147483647u, "frame %zu: line %u", k, f->lineno);
	FZ_CHECK(!f->has_colno || f->colno <= 2147483647u, "frame %zu: column %u", k, f->colno);
	FZ_CHECK(f->has_lineno || !f->has_colno, "frame %zu: a column without a line", k);
	FZ_CHECK((f->eval.url != NULL) == ((f->flags & SM_FRAME_EVAL) != 0),
			 "frame %zu: an eval origin without the eval flag, or the reverse", k);
	FZ_CHECK(f->eval.url == NULL || inside(f->eval.url, f->eval.url_len, text, len),
			 "frame %zu: eval URL is not a slice of the input", k);
	FZ_CHECK(f->eval.function == NULL || inside(f->eval.function, f->eval.function_len, text, len),
			 "frame %zu: eval function is not a slice of the input", k);
	FZ_CHECK(f->eval.has_lineno || !f->eval.has_colno, "frame %zu: eval column without a line", k);
	FZ_CHECK(f->format <= SM_FORMAT_GECKO && sm_stack_format_name(f->format) != NULL,
			 "frame %zu: format %d", k, (int) f->format);
	FZ_CHECK((f->syntax == SM_STACK_V8) == (f->format == SM_FORMAT_V8 || f->format == SM_FORMAT_HERMES ||
											f->format == SM_FORMAT_HERMES_BYTECODE),
			 "frame %zu: format %d for syntax %d", k, (int) f->format, (int) f->syntax);
	FZ_CHECK((f->format == SM_FORMAT_HERMES_BYTECODE) == ((f->flags & SM_FRAME_BYTECODE) != 0),
			 "frame %zu: format %d with flags %#x", k, (int) f->format, f->flags);
}

static void
fuzz_stack(FzEnv *e, const char *text, size_t len)
{
	SmError		err;
	SmFrame    *frames = NULL;
	size_t		n = 0;
	Collect		c = {NULL, 0};
	bool		ok,
				ok2;
	SmStackLimits lim = {64, 4096};

	memset(&err, 0, sizeof(err));
	ok = sm_stack_parse_array(text, len, NULL, &e->env, &frames, &n, &err);
	if (!ok)
		FZ_CHECK(err.code == SM_E_LIMIT || (err.code == SM_E_NOMEM && e->failed),
				 "sm_stack_parse_array failed with class %d: %s", (int) err.code, err.msg);
	else
	{
		FZ_CHECK(n <= SM_STACK_MAX_FRAMES, "%zu frames", n);
		for (size_t k = 0; k < n; k++)
			check_frame(&frames[k], k, text, len);
	}
	memset(&err, 0, sizeof(err));
	ok2 = sm_stack_parse(text, len, NULL, &e->env, collect_frame, &c, &err);
	FZ_CHECK(ok2 == ok, "sm_stack_parse and sm_stack_parse_array disagree");
	if (ok)
	{
		FZ_CHECK(c.n == n, "sm_stack_parse gave %zu frames, sm_stack_parse_array %zu", c.n, n);
		for (size_t k = 0; k < n; k++)
			FZ_CHECK(memcmp(&c.frames[k], &frames[k], sizeof(SmFrame)) == 0,
					 "frame %zu differs between the two forms", k);
	}
	free(c.frames);
	sm_free(&e->env, frames);

	/* small limits: a clean SM_E_LIMIT or the same frames as far as they go */
	c.frames = NULL;
	c.n = 0;
	memset(&err, 0, sizeof(err));
	if (!sm_stack_parse(text, len, &lim, &e->env, collect_frame, &c, &err))
		FZ_CHECK(err.code == SM_E_LIMIT, "sm_stack_parse with limits failed with class %d: %s",
				 (int) err.code, err.msg);
	for (size_t k = 0; k < c.n; k++)
		check_frame(&c.frames[k], k, text, len);
	free(c.frames);
}

/* ---- 1: sourceMappingURL / debugId ------------------------------------------------ */

static void
fuzz_refs(FzEnv *e, const char *text, size_t len)
{
	SmRefs		r;
	const char *url = NULL;
	size_t		ulen = 0;

	memset(&r, 0, sizeof(r));
	sm_scan_refs(text, len, &e->env, &r);
	if (r.has_url)
		FZ_CHECK(r.url != NULL && inside(r.url, r.url_len, text, len),
				 "sm_scan_refs: URL is not a slice of the input");
	if (sm_match_source_mapping_url(text, len, &url, &ulen))
		FZ_CHECK(url != NULL && inside(url, ulen, text, len),
				 "sm_match_source_mapping_url: URL is not a slice of the input");
}

/* ---- function tables ---------------------------------------------------------------------- */

/* Encode list, check the table, look up positions in it. */
static void
table_roundtrip(FzEnv *e, const SmFuncList *list, const uint8_t *q, size_t qlen)
{
	SmError		err;
	SmBuf		tab;

	memset(&err, 0, sizeof(err));
	smb_init(&tab, &e->env, &err);
	if (!sm_functab_encode(list, &tab, &err))
	{
		FZ_CHECK(err.code == SM_E_LIMIT || (err.code == SM_E_NOMEM && e->failed),
				 "sm_functab_encode failed with class %d: %s", (int) err.code, err.msg);
		smb_free(&tab);
		return;
	}
	memset(&err, 0, sizeof(err));
	if (!sm_functab_check(tab.data, tab.len, &err))
		fz_fail("sm_functab_check rejects what sm_functab_encode made: %s", err.msg);
	for (uint32_t i = 0; i < list->count && i < 64; i++)
	{
		const SmFuncRange *r = &list->ranges[i];
		SmStr		name;
		bool		anon = false;
		int			rc = sm_functab_find(tab.data, tab.len, r->start_line, r->start_col, &name,
										  &anon);

		FZ_CHECK(rc == 0 || rc == 1, "sm_functab_find on an encoded table returned %d", rc);
		if (rc == 1 && !anon)
			FZ_CHECK(inside(name.ptr, name.len, tab.data, tab.len),
					 "sm_functab_find: name outside the table");
	}
	for (size_t k = 0; k + 1 < qlen && k < 32; k += 2)
	{
		SmStr		name;
		bool		anon = false;

		FZ_CHECK(sm_functab_find(tab.data, tab.len, q[k], q[k + 1], &name, &anon) >= 0,
				 "sm_functab_find on an encoded table reports it malformed");
	}
	smb_free(&tab);
}

/* ---- 2: JavaScript scanner ---------------------------------------------------------------- */

static int
cmp_pos(uint32_t al, uint32_t ac, uint32_t bl, uint32_t bc)
{
	if (al != bl)
		return al < bl ? -1 : 1;
	return ac < bc ? -1 : ac > bc;
}

static void
fuzz_jsscan(FzEnv *e, const char *text, size_t len, const uint8_t *q, size_t qlen)
{
	SmError		err;
	SmJsScan	scan;
	SmFuncList list;

	memset(&err, 0, sizeof(err));
	memset(&scan, 0, sizeof(scan));
	if (!sm_js_scan(text, len, &e->env, &scan, &err))
	{
		FZ_CHECK(err.code == SM_E_LIMIT || (err.code == SM_E_NOMEM && e->failed),
				 "sm_js_scan failed with class %d: %s", (int) err.code, err.msg);
		return;
	}
	sm_func_list_init(&list, &e->env, &err);
	for (uint32_t i = 0; i < scan.nscopes; i++)
	{
		const SmJsScope *s = &scan.scopes[i];
		SmBuf		name;

		FZ_CHECK(cmp_pos(s->start_line, s->start_col, s->end_line, s->end_col) <= 0,
				 "scope %u ends before it starts", i);
		if (s->parent != SM_NONE)
		{
			const SmJsScope *p;

			FZ_CHECK(s->parent < i, "scope %u has parent %u (not before it)", i, s->parent);
			p = &scan.scopes[s->parent];
			FZ_CHECK(cmp_pos(p->start_line, p->start_col, s->start_line, s->start_col) <= 0 &&
					 cmp_pos(s->end_line, s->end_col, p->end_line, p->end_col) <= 0,
					 "scope %u is not inside its parent %u", i, s->parent);
		}
		FZ_CHECK(s->first_part <= scan.nparts && s->nparts <= scan.nparts - s->first_part,
				 "scope %u: name parts out of range", i);
		for (uint32_t k = 0; k < s->nparts; k++)
		{
			const SmJsPart *part = &scan.parts[s->first_part + k];
			const char *t;
			uint32_t	tl;

			sm_js_part_text(&scan, part, &t, &tl);
			if (part->kind != SM_JSPART_TEXT)
				FZ_CHECK(inside(t, tl, text, len), "scope %u: a name part outside the code", i);
		}
		memset(&err, 0, sizeof(err));
		smb_init(&name, &e->env, &err);
		if (sm_js_scope_name(&scan, i, &name))
		{
			if (!sm_func_list_add(&list, s->start_line, s->start_col, s->end_line, s->end_col,
								   (const char *) name.data, name.len, s->nparts == 0))
				FZ_CHECK(e->failed, "sm_func_list_add failed: %s", err.msg);
		}
		else
			FZ_CHECK(e->failed, "sm_js_scope_name failed");
		smb_free(&name);
	}
	for (size_t k = 0; k + 1 < qlen && k < 48; k += 2)
	{
		uint32_t	line = q[k] % 16,
					col = q[k + 1];
		uint32_t	at = sm_js_scope_at(&scan, line, col);

		if (at != SM_NONE)
		{
			const SmJsScope *s;

			FZ_CHECK(at < scan.nscopes, "sm_js_scope_at gave %u of %u scopes", at, scan.nscopes);
			s = &scan.scopes[at];
			FZ_CHECK(cmp_pos(s->start_line, s->start_col, line, col) <= 0 &&
					 cmp_pos(line, col, s->end_line, s->end_col) < 0,
					 "sm_js_scope_at(%u, %u) gave scope %u, which does not contain it", line, col, at);
		}
	}
	table_roundtrip(e, &list, q, qlen);
	sm_func_list_free(&list);
	sm_js_scan_free(&scan);
}

/* ---- 3: function table bytes ------------------------------------------------------------------ */

static void
fuzz_functab(const uint8_t *data, size_t len, const uint8_t *q, size_t qlen)
{
	SmError		err;
	bool		ok;

	memset(&err, 0, sizeof(err));
	ok = sm_functab_check(data, len, &err);
	if (!ok)
		FZ_CHECK(err.code == SM_E_BINARY, "sm_functab_check failed with class %d: %s",
				 (int) err.code, err.msg);
	for (size_t k = 0; k < 16; k++)
	{
		SmStr		name;
		bool		anon = false;
		uint32_t	line = qlen ? q[(2 * k) % qlen] % 8 : 0,
					col = qlen ? q[(2 * k + 1) % qlen] : 0;
		int			rc;

		if (k == 15)
			line = col = UINT32_MAX;
		memset(&name, 0, sizeof(name));
		rc = sm_functab_find(data, len, line, col, &name, &anon);
		FZ_CHECK(rc >= -1 && rc <= 1, "sm_functab_find returned %d", rc);
		if (ok)
			FZ_CHECK(rc >= 0, "sm_functab_find reports a checked table malformed");
		if (rc == 1 && !anon)
			FZ_CHECK(inside(name.ptr, name.len, data, len), "sm_functab_find: name outside the bytes");
	}
}

/* ---- 4: lines and context -------------------------------------------------------------------- */

static void
check_ctx_line(const SmCtxLine *l, const char *text, size_t len)
{
	size_t		size = sm_ctx_line_size(l);
	char	   *buf;

	FZ_CHECK(inside(l->ptr, l->len, text, len), "a context line outside the text");
	buf = malloc(size + 1);
	if (buf == NULL)
		fz_fail("out of memory in the harness");
	FZ_CHECK(sm_ctx_line_render(l, buf) == size, "sm_ctx_line_render and sm_ctx_line_size differ");
	free(buf);
}

static void
fuzz_context(FzEnv *e, const char *text, size_t len, uint8_t sel)
{
	SmError		err;
	SmLineRule	rule = (sel & 1) ? SM_LINES_NEWLINE : SM_LINES_JS;
	SmLineIndex *idx;

	memset(&err, 0, sizeof(err));
	idx = sm_line_index_build(text, len, rule, &e->env, &err);
	if (idx == NULL)
	{
		FZ_CHECK(err.code == SM_E_LIMIT || (err.code == SM_E_NOMEM && e->failed),
				 "sm_line_index_build failed with class %d: %s", (int) err.code, err.msg);
		return;
	}
	for (uint32_t i = 0; i <= idx->nlines && i < 64; i++)
	{
		const char *p = NULL;
		size_t		n = 0;

		if (!sm_line_get(idx, text, i, &p, &n))
		{
			FZ_CHECK(i >= idx->nlines, "sm_line_get(%u) failed with %u lines", i, idx->nlines);
			continue;
		}
		FZ_CHECK(inside(p, n, text, len), "line %u outside the text", i);
		for (size_t k = 0; k < n; k++)
			FZ_CHECK(sm_newline_len(p + k, p + n, rule) == 0,
					 "line %u holds a line terminator at byte %zu", i, k);
		for (uint32_t col = 0; col < 200; col += 37)
		{
			size_t		off = 0;

			(void) sm_utf16_col_to_byte(p, n, col, &off);
			FZ_CHECK(off <= n, "sm_utf16_col_to_byte gave offset %zu in a %zu-byte line", off, n);
			{
				SmCtxLine	l = sm_trim_line(p, n, col);

				check_ctx_line(&l, text, len);
			}
		}
		(void) sm_utf16_length(p, n);
	}
	for (uint32_t k = 0; k < 4; k++)
	{
		SmContext	ctx;
		uint32_t	line = k == 3 ? idx->nlines : (uint32_t) (sel >> 1) % (idx->nlines + 1) + k;
		int			rc;

		memset(&ctx, 0, sizeof(ctx));
		memset(&err, 0, sizeof(err));
		rc = sm_context_get(idx, text, len, line, k & 1, (uint32_t) sel * 3, k + 1, k & 2,
							&e->env, &ctx, &err);
		FZ_CHECK(rc >= -1 && rc <= 1, "sm_context_get returned %d", rc);
		if (rc < 0)
			FZ_CHECK(err.code != SM_OK && (err.code != SM_E_NOMEM || e->failed),
					 "sm_context_get failed with class %d: %s", (int) err.code, err.msg);
		if (rc == 1)
		{
			FZ_CHECK(line < idx->nlines, "sm_context_get found line %u of %u", line, idx->nlines);
			for (uint32_t i = 0; i < ctx.npre + 1 + ctx.npost; i++)
				check_ctx_line(&ctx.lines[i], text, len);
			sm_context_free(&e->env, &ctx);
		}
	}
	memset(&err, 0, sizeof(err));
	{
		SmContext	ctx;

		memset(&ctx, 0, sizeof(ctx));
		FZ_CHECK(sm_context_get(idx, text, len + 1, 0, false, 0, 1, false, &e->env, &ctx, &err) < 0,
				 "sm_context_get accepted a text of another length");
	}
	sm_line_index_free(&e->env, idx);
}

/* ---- 5: the scopes field ------------------------------------------------------------------ */

static void
fuzz_scopes_field(FzEnv *e, const char *text, size_t len, uint8_t sel, const uint8_t *q,
				  size_t qlen)
{
	SmError		err;
	SmScopesField f;
	uint32_t	nnames = sel % 8,
				nsources = (sel >> 3) % 4;
	SmFuncList list;
	SmDoc	   *doc;
	bool		found = false;

	memset(&err, 0, sizeof(err));
	memset(&f, 0, sizeof(f));
	if (sm_scopes_field_decode(text, len, nnames, nsources, &e->env, &f, &err))
	{
		FZ_CHECK(f.nroots == nsources, "%u roots for %u sources", f.nroots, nsources);
		for (uint32_t i = 0; i < f.nscopes; i++)
		{
			const SmOrigScope *s = &f.scopes[i];

			FZ_CHECK(s->name == SM_NONE || s->name < nnames, "scope %u: name %u", i, s->name);
			FZ_CHECK(s->kind == SM_NONE || s->kind < nnames, "scope %u: kind %u", i, s->kind);
			FZ_CHECK(s->parent == SM_NONE || s->parent < i, "scope %u: parent %u", i, s->parent);
			FZ_CHECK(s->first_var <= f.nvars && s->nvars <= f.nvars - s->first_var,
					 "scope %u: variables out of range", i);
		}
		for (uint32_t i = 0; i < f.nvars; i++)
			FZ_CHECK(f.vars[i] < nnames, "variable %u: name %u", i, f.vars[i]);
		for (uint32_t i = 0; i < f.nroots; i++)
			FZ_CHECK(f.roots[i] == SM_NONE || f.roots[i] < f.nscopes, "root %u: %u", i, f.roots[i]);
		for (uint32_t i = 0; i < f.nranges; i++)
		{
			const SmGenRange *g = &f.ranges[i];

			FZ_CHECK(g->definition == SM_NONE || g->definition < f.nscopes,
					 "range %u: definition %u", i, g->definition);
			FZ_CHECK(g->parent == SM_NONE || g->parent < i, "range %u: parent %u", i, g->parent);
			FZ_CHECK(!g->has_callsite || g->cs_source < nsources, "range %u: call site source %u",
					 i, g->cs_source);
		}
		sm_scopes_field_free(&f);
	}
	else
		FZ_CHECK(err.code != SM_OK && (err.code != SM_E_NOMEM || e->failed),
				 "sm_scopes_field_decode failed with class %d: %s", (int) err.code, err.msg);

	memset(&err, 0, sizeof(err));
	sm_func_list_init(&list, &e->env, &err);
	doc = sm_doc_parse(text, len, &e->env, &err);
	if (doc != NULL && sm_scopes_field_from_doc(text, doc, &e->env, &list, &found, &err))
		table_roundtrip(e, &list, q, qlen);
	else
		FZ_CHECK(err.code != SM_OK && (err.code != SM_E_NOMEM || e->failed),
				 "sm_doc_parse or sm_scopes_field_from_doc failed with class %d: %s",
				 (int) err.code, err.msg);
	sm_doc_free(doc, &e->env);
	sm_func_list_free(&list);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FzEnv		e;
	uint8_t		q[64];
	const char *text;
	size_t		len;
	uint8_t		sel;

	if (size < 1)
		return 0;
	sel = data[0];
	text = (const char *) data + 1;
	len = size - 1;
	fz_expand(fz_hash(data, size), q, sizeof(q));
	fz_env_init(&e, 0);
	switch (sel % 6)
	{
		case 0:
			fuzz_stack(&e, text, len);
			break;
		case 1:
			fuzz_refs(&e, text, len);
			break;
		case 2:
			fuzz_jsscan(&e, text, len, q, sizeof(q));
			break;
		case 3:
			fuzz_functab((const uint8_t *) text, len, q, sizeof(q));
			break;
		case 4:
			fuzz_context(&e, text, len, (uint8_t) (sel / 6));
			break;
		default:
			fuzz_scopes_field(&e, text, len, (uint8_t) (sel / 6), q, sizeof(q));
			break;
	}
	fz_env_check_clean(&e, "fuzz_text");
	return 0;
}
