/*
 * sm_functions.c -- build, check and print the FUNCTIONS section; see
 * sm_functions.h.
 */
#include <stdio.h>

#include "format/sm_format.h"
#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"
#include "functions/sm_functions.h"
#include "functions/sm_jsscan.h"
#include "functions/sm_scopes_field.h"
#include "json/sm_json.h"

/* Decoded lookups made while resolving names are kept up to this much. */
#define SM_RESOLVE_BLOCK_CACHE (64u << 20)

/* Breakpoints of x_sourcemap_functions as ranges: each one runs to the next. */
static bool
ranges_from_breaks(const char *json, const SmDoc *doc, SmFuncList *list, SmError *err)
{
	const SmFuncBreak *fb = (const SmFuncBreak *) doc->functions.data;
	size_t		n = doc->functions.len / sizeof(SmFuncBreak);
	SmBuf		name;
	bool		ok = true;

	smb_init(&name, list->env, err);
	for (size_t i = 0; i < n && ok; i++)
	{
		const SmSpan *s = &fb[i].name;
		size_t		len = s->len;
		const char *text = json + s->off;

		if (i + 1 < n && (fb[i + 1].line < fb[i].line ||
						  (fb[i + 1].line == fb[i].line && fb[i + 1].col <= fb[i].col)))
		{
			ok = sm_fail(err, SM_E_SYNTAX, "\"x_sourcemap_functions\" is not in increasing order at byte %u",
						 doc->functions_at);
			break;
		}
		if (s->isnull)
			continue;			/* outside every function */
		if (i + 1 == n)
		{
			ok = sm_fail(err, SM_E_SYNTAX, "\"x_sourcemap_functions\" does not end with a null entry at byte %u",
						 doc->functions_at);
			break;
		}
		if (s->escaped)
		{
			name.len = 0;
			if (!smb_reserve(&name, s->len))
			{
				ok = false;
				break;
			}
			len = smj_unescape(text, s->len, (char *) name.data);
			text = (const char *) name.data;
		}
		ok = sm_func_list_add(list, fb[i].line, fb[i].col, fb[i + 1].line, fb[i + 1].col,
							   text, len, len == 0);
	}
	smb_free(&name);
	return ok;
}

bool
sm_functions_from_doc(const char *json, const SmDoc *doc, const SmEnv *env,
					  SmBuf *out, SmError *err)
{
	SmFuncList list;
	bool		ok = true;

	if (!doc->has_functions && !doc->any_scopes)
		return true;
	sm_func_list_init(&list, env, err);
	if (doc->has_functions)
		ok = ranges_from_breaks(json, doc, &list, err);
	else
	{
		bool		found = false;
		SmError		scopes_err = {0};

		if (!sm_scopes_field_from_doc(json, doc, env, &list, &found, &scopes_err))
		{
			/*
			 * a malformed `scopes` field is ignored; anything else is an
			 * error.  The list reports its own failures (out of memory) in
			 * *err, where it was set up, leaving scopes_err empty.
			 */
			if (scopes_err.code != SM_E_SYNTAX)
			{
				if (scopes_err.code != SM_OK)
					*err = scopes_err;
				ok = false;
			}
			sm_func_list_free(&list);
			sm_func_list_init(&list, env, err);
		}
	}
	if (ok && list.count > 0)
		ok = sm_functab_encode(&list, out, err);
	sm_func_list_free(&list);
	return ok;
}

bool
sm_functions_from_source(SmMap *map, const char *js, size_t jslen, SmBuf *out, SmError *err)
{
	const SmEnv *env = sm_map_env(map);
	SmJsScan	scan;
	SmFuncList list;
	bool		ok;

	if (!sm_js_scan(js, jslen, env, &scan, err))
		return false;
	sm_set_block_cache(map, SM_RESOLVE_BLOCK_CACHE);
	sm_func_list_init(&list, env, err);
	ok = sm_func_resolve(map, &scan, &list, err) &&
		(list.count == 0 || sm_functab_encode(&list, out, err));
	sm_func_list_free(&list);
	sm_js_scan_free(&scan);
	return ok;
}

bool
sm_functions_check(const uint8_t *tab, size_t len, const SmEnv *env, SmError *err)
{
	uint32_t	nb,
				nn;
	const uint8_t *breaks,
			   *names,
			   *strings;
	SmFuncList list;
	SmBuf		again;
	bool		ok = true;

	if (!sm_functab_check(tab, len, err))
		return false;
	nb = sm_get32(tab + SM_FUNCTAB_H_NBREAKS);
	nn = sm_get32(tab + SM_FUNCTAB_H_NNAMES);
	breaks = tab + SM_FUNCTAB_HEADER;
	names = breaks + (size_t) nb * SM_FUNCTAB_BREAK;
	strings = names + (size_t) nn * SM_FUNCTAB_NAME;
	sm_func_list_init(&list, env, err);
	smb_init(&again, env, err);
	/* each breakpoint's function runs to the next breakpoint */
	for (uint32_t i = 0; i + 1 < nb && ok; i++)
	{
		const uint8_t *e = breaks + (size_t) i * SM_FUNCTAB_BREAK;
		uint32_t	ref = sm_get32(e + SM_FUNCTAB_B_REF);
		const char *text = "";
		uint32_t	n = 0;

		if (sm_get32(e + SM_FUNCTAB_B_LINE) > INT32_MAX || sm_get32(e + SM_FUNCTAB_B_COL) > INT32_MAX ||
			sm_get32(e + SM_FUNCTAB_BREAK + SM_FUNCTAB_B_LINE) > INT32_MAX ||
			sm_get32(e + SM_FUNCTAB_BREAK + SM_FUNCTAB_B_COL) > INT32_MAX)
		{
			ok = sm_fail(err, SM_E_BINARY, "function table breakpoint %u is past line or column %d",
						 i, INT32_MAX);
			break;
		}
		if (ref == SM_FUNCTAB_NONE)
			continue;
		if (ref != SM_FUNCTAB_ANON)
		{
			text = (const char *) strings + sm_get32(names + (size_t) ref * SM_FUNCTAB_NAME + SM_FUNCTAB_N_OFFSET);
			n = sm_get32(names + (size_t) ref * SM_FUNCTAB_NAME + SM_FUNCTAB_N_LENGTH);
		}
		ok = sm_func_list_add(&list, sm_get32(e + SM_FUNCTAB_B_LINE), sm_get32(e + SM_FUNCTAB_B_COL),
							   sm_get32(e + SM_FUNCTAB_BREAK + SM_FUNCTAB_B_LINE),
							   sm_get32(e + SM_FUNCTAB_BREAK + SM_FUNCTAB_B_COL), text, n,
							   ref == SM_FUNCTAB_ANON);
	}
	ok = ok && sm_functab_encode(&list, &again, err);
	if (ok && (again.len != len || memcmp(again.data, tab, len) != 0))
		ok = sm_fail(err, SM_E_BINARY, "function table is not in canonical form (repeated names?)");
	smb_free(&again);
	sm_func_list_free(&list);
	return ok;
}

bool
sm_functions_to_json(const uint8_t *tab, size_t len, SmBuf *out, SmError *err)
{
	uint32_t	nb,
				nn;
	const uint8_t *breaks,
			   *names,
			   *strings;

	if (len < SM_FUNCTAB_HEADER)
		return sm_fail(err, SM_E_BINARY, "function table too short");
	nb = sm_get32(tab + SM_FUNCTAB_H_NBREAKS);
	nn = sm_get32(tab + SM_FUNCTAB_H_NNAMES);
	if ((uint64_t) nb * SM_FUNCTAB_BREAK + (uint64_t) nn * SM_FUNCTAB_NAME > len - SM_FUNCTAB_HEADER)
		return sm_fail(err, SM_E_BINARY, "function table truncated");
	breaks = tab + SM_FUNCTAB_HEADER;
	names = breaks + (size_t) nb * SM_FUNCTAB_BREAK;
	strings = names + (size_t) nn * SM_FUNCTAB_NAME;
	if (!smb_append(out, "[", 1))
		return false;
	for (uint32_t i = 0; i < nb; i++)
	{
		const uint8_t *e = breaks + (size_t) i * SM_FUNCTAB_BREAK;
		uint32_t	ref = sm_get32(e + SM_FUNCTAB_B_REF);
		char		num[32];
		bool		ok;

		snprintf(num, sizeof(num), "%s[%u,%u,", i ? "," : "", sm_get32(e + SM_FUNCTAB_B_LINE), sm_get32(e + SM_FUNCTAB_B_COL));
		if (!smb_append(out, num, strlen(num)))
			return false;
		if (ref == SM_FUNCTAB_NONE)
			ok = smb_append(out, "null", 4);
		else if (ref == SM_FUNCTAB_ANON)
			ok = smb_append(out, "\"\"", 2);
		else
		{
			uint32_t	off,
						n;

			if (ref >= nn)
				return sm_fail(err, SM_E_BINARY, "function table refers to a missing name");
			off = sm_get32(names + (size_t) ref * SM_FUNCTAB_NAME + SM_FUNCTAB_N_OFFSET);
			n = sm_get32(names + (size_t) ref * SM_FUNCTAB_NAME + SM_FUNCTAB_N_LENGTH);
			if ((uint64_t) off + n > (uint64_t) (len - (size_t) (strings - tab)) ||
				!sm_text_valid(strings + off, n))
				return sm_fail(err, SM_E_BINARY, "function table name out of bounds or not text");
			ok = smb_json_string(out, (const char *) strings + off, n);
		}
		if (!ok || !smb_append(out, "]", 1))
			return false;
	}
	return smb_append(out, "]", 1);
}
