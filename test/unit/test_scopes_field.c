/*
 * test_scopes_field.c -- unit test of the ECMA-426 `scopes` decoder and
 * the function names it gives generated ranges (sm_scopes_field.h).
 *
 * The decoder is checked against the tc39 decoding goldens (every
 * map in decoding/scopes with its .golden: original scope trees with
 * positions, names, kinds, stack-frame flags and variables, and the
 * generated ranges), taken from the vendored copy under
 * test/conformance/tc39 when present, else from ../shared (skipped when
 * neither exists).  Hand-encoded fields then cover what the goldens do
 * not: generated ranges with definitions, inlined call sites, hidden and
 * helper ranges, names derived from enclosing stack frames, index map
 * offsets, every decoding error, and random garbage (run under asan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "functions/sm_funclist.h"
#include "functions/sm_functab.h"
#include "functions/sm_scopes_field.h"
#include "test_util.h"

/* The product's path: the document parsed once (json/sm_doc.h), then its `scopes` spans. */
static bool
from_json(const char *json, size_t len, SmFuncList *out, bool *found, SmError *err)
{
	SmDoc	   *doc = sm_doc_parse(json, len, &sm_malloc_env, err);
	bool		ok;

	*found = false;
	if (doc == NULL)
		return false;
	ok = sm_scopes_field_from_doc(json, doc, &sm_malloc_env, out, found, err);
	sm_doc_free(doc, &sm_malloc_env);
	return ok;
}

static TuCounts counts;

/* ---- goldens ---------------------------------------------------------- */

/* The names entry idx of the test map (names array of the JSON tree). */
static const char *
name_at(const TuJson *names, uint32_t idx)
{
	if (idx == SM_NONE)
		return NULL;
	if (names == NULL || idx >= names->n || names->items[idx].type != TJ_STR)
		return "";
	return names->items[idx].str;
}

/* Does a golden string-or-null member equal s (NULL for null)? */
static bool
same_str(const TuJson *obj, const char *key, const char *s)
{
	const TuJson *v = tu_json_get(obj, key);

	if (v == NULL || v->type == TJ_NULL)
		return s == NULL;
	return v->type == TJ_STR && s != NULL && strcmp(v->str, s) == 0;
}

/* Does a golden position {line, column} equal (line, col)? */
static bool
same_pos(const TuJson *obj, const char *key, uint32_t line, uint32_t col)
{
	const TuJson *p = tu_json_get(obj, key);

	return p && tu_json_int(p, "line", -1) == line && tu_json_int(p, "column", -1) == col;
}

/* Compare original scope idx (and its subtree) with golden node g. */
static void
compare_scope(const char *file, const SmScopesField *f, const TuJson *names, uint32_t idx,
			  const TuJson *g)
{
	const SmOrigScope *o = &f->scopes[idx];
	const TuJson *vars = tu_json_get(g, "variables");
	const TuJson *kids = tu_json_get(g, "children");
	uint32_t	i,
				k = 0;
	bool		ok;

	tu_check(&counts, same_pos(g, "start", o->start_line, o->start_col) &&
			 same_pos(g, "end", o->end_line, o->end_col),
			 "%s: scope %u: positions %u:%u-%u:%u differ", file, idx, o->start_line, o->start_col,
			 o->end_line, o->end_col);
	tu_check(&counts, same_str(g, "name", name_at(names, o->name)), "%s: scope %u: name", file, idx);
	tu_check(&counts, same_str(g, "kind", name_at(names, o->kind)), "%s: scope %u: kind", file, idx);
	tu_check(&counts, tu_json_bool(g, "isStackFrame", !o->is_stack_frame) == o->is_stack_frame,
			 "%s: scope %u: isStackFrame", file, idx);
	ok = vars && vars->type == TJ_ARR && vars->n == o->nvars;
	for (i = 0; ok && i < o->nvars; i++)
		ok = vars->items[i].type == TJ_STR &&
			strcmp(vars->items[i].str, name_at(names, f->vars[o->first_var + i])) == 0;
	tu_check(&counts, ok, "%s: scope %u: variables", file, idx);
	if (!tu_check(&counts, kids && kids->type == TJ_ARR, "%s: scope %u: children", file, idx))
		return;
	for (i = idx + 1; i < f->nscopes; i++)
	{
		if (f->scopes[i].parent != idx)
			continue;
		if (!tu_check(&counts, k < kids->n, "%s: scope %u: extra child %u", file, idx, i))
			return;
		compare_scope(file, f, names, i, &kids->items[k++]);
	}
	tu_check(&counts, k == kids->n, "%s: scope %u: %u children, golden has %zu", file, idx, k,
			 kids->n);
}

/* Compare the generated ranges whose parent is `parent` with the golden list g. */
static void
compare_ranges(const char *file, const SmScopesField *f, uint32_t parent, const TuJson *g)
{
	uint32_t	i,
				k = 0;

	if (!tu_check(&counts, g && g->type == TJ_ARR, "%s: ranges list", file))
		return;
	for (i = (parent == SM_NONE) ? 0 : parent + 1; i < f->nranges; i++)
	{
		const SmGenRange *r = &f->ranges[i];
		const TuJson *gr;
		const char *sft;

		if (r->parent != parent)
			continue;
		if (!tu_check(&counts, k < g->n, "%s: extra range %u", file, i))
			return;
		gr = &g->items[k++];
		sft = r->is_hidden ? "hidden" : r->is_stack_frame ? "original" : "none";
		tu_check(&counts, same_pos(gr, "start", r->start_line, r->start_col) &&
				 same_pos(gr, "end", r->end_line, r->end_col), "%s: range %u: positions", file, i);
		tu_check(&counts, tu_json_int(gr, "definitionIndex", -1) ==
				 (r->definition == SM_NONE ? -1 : (int64_t) r->definition),
				 "%s: range %u: definition", file, i);
		tu_check(&counts, same_str(gr, "stackFrameType", sft), "%s: range %u: stackFrameType %s",
				 file, i, sft);
		tu_check(&counts, tu_json_is_null(gr, "callSite") == !r->has_callsite,
				 "%s: range %u: callSite", file, i);
		compare_ranges(file, f, i, tu_json_get(gr, "children"));
	}
	tu_check(&counts, k == g->n, "%s: %u ranges under %u, golden has %zu", file, k, parent, g->n);
}

/* One golden pair. */
static void
check_golden(const char *dir, const char *file)
{
	char	   *mpath = tu_path(dir, file);
	size_t		glen = strlen(mpath) + 8,
				mlen,
				len;
	char	   *gpath = malloc(glen);
	char	   *mtext,
			   *gtext;
	TuJson	   *map = NULL,
			   *gold = NULL;
	SmError		err;
	SmScopesField f;
	const TuJson *names,
			   *sources,
			   *gsources;
	const char *scopes;
	uint32_t	i;

	snprintf(gpath, glen, "%s.golden", mpath);
	mtext = tu_read_file(mpath, &mlen);
	gtext = tu_read_file(gpath, &len);
	if (!tu_check(&counts, mtext && gtext, "%s: unreadable", file))
		goto done;
	map = tu_json_load(mtext, mlen, &err);
	gold = tu_json_load(gtext, len, &err);
	if (!tu_check(&counts, map && gold, "%s: JSON", file))
		goto done;
	names = tu_json_get(map, "names");
	sources = tu_json_get(map, "sources");
	gsources = tu_json_get(gold, "sources");
	scopes = tu_json_str(map, "scopes", "");
	if (!tu_check(&counts, sm_scopes_field_decode(scopes, strlen(scopes), names ? (uint32_t) names->n : 0,
												  sources ? (uint32_t) sources->n : 0,
												  &sm_malloc_env, &f, &err),
				  "%s: decode: %s", file, err.msg))
		goto done;
	if (tu_check(&counts, gsources && gsources->n == f.nroots, "%s: sources", file))
	{
		for (i = 0; i < f.nroots; i++)
		{
			const TuJson *gs = tu_json_get(&gsources->items[i], "scope");

			if (f.roots[i] == SM_NONE)
				tu_check(&counts, gs == NULL || gs->type == TJ_NULL,
						 "%s: source %u: no scope decoded, golden has one", file, i);
			else if (tu_check(&counts, gs && gs->type == TJ_OBJ,
							  "%s: source %u: scope decoded, golden has none", file, i))
				compare_scope(file, &f, names, f.roots[i], gs);
		}
	}
	compare_ranges(file, &f, SM_NONE, tu_json_get(gold, "ranges"));
	sm_scopes_field_free(&f);

	/* the JSON entry point accepts it too */
	{
		SmFuncList list;
		bool		found;

		sm_func_list_init(&list, &sm_malloc_env, &err);
		tu_check(&counts, from_json(mtext, mlen, &list, &found, &err) && found,
				 "%s: from_json: %s", file, err.msg);
		sm_func_list_free(&list);
	}

done:
	tu_json_free(map);
	tu_json_free(gold);
	free(mtext);
	free(gtext);
	free(mpath);
	free(gpath);
}

static void
test_goldens(void)
{
	char	   *dir = tu_path(tu_test_dir(), "conformance/tc39/decoding/scopes");
	char	  **files;
	size_t		i;

	if (!tu_is_dir(dir))
	{
		free(dir);
		dir = tu_shared_dir() ? tu_path(tu_shared_dir(), "conformance/tc39/decoding/scopes") : NULL;
	}
	if (dir == NULL || !tu_is_dir(dir))
	{
		printf("tc39 scopes goldens not found: skipped\n");
		free(dir);
		return;
	}
	files = tu_list_dir(dir, ".map");
	for (i = 0; files && files[i]; i++)
		check_golden(dir, files[i]);
	tu_check(&counts, files && i >= 8, "found %zu golden maps in %s", i, dir);
	tu_free_list(files);
	free(dir);
}

/* ---- hand-encoded fields ---------------------------------------------- */

/* Append the unsigned VLQ v to s. */
static void
put_u(char *s, uint64_t v)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t		n = strlen(s);

	do
	{
		unsigned	digit = (unsigned) (v & 31);

		v >>= 5;
		s[n++] = b64[digit | (v ? 32 : 0)];
	} while (v);
	s[n] = '\0';
}

/*
 * Encode items: each item is a list of numbers ending with END; a number
 * written S(x) is signed.  Items are separated by commas.
 */
#define END INT64_MIN
#define SIGNED_BIT ((int64_t) 1 << 40)
#define S(x) (SIGNED_BIT | (((x) < 0) ? ((-(int64_t) (x)) << 1) | 1 : ((int64_t) (x)) << 1))

static char *
encode_items(const int64_t *v)
{
	char	   *s = calloc(4096, 1);
	bool		first = true;

	while (*v != END || v[1] != END)
	{
		if (!first)
			strcat(s, ",");
		first = false;
		while (*v != END)
		{
			put_u(s, (uint64_t) (*v & ~SIGNED_BIT));
			v++;
		}
		v++;
	}
	return s;
}

/* The names of the test maps below. */
static const char *const test_names[] = {"global", "function", "z", "block", "helper", "y"};

/* SmNameFn over test_names. */
static bool
test_name_fn(void *ctx, uint32_t idx, SmStr *out, SmError *err)
{
	(void) ctx;
	(void) err;
	out->isnull = false;
	out->ptr = idx < 6 ? test_names[idx] : "";
	out->len = (uint32_t) strlen(out->ptr);
	return true;
}

/* Render a function list as "name@l:c-l:c" joined by " ; " (anonymous "~"). */
static char *
render_list(const SmFuncList *l)
{
	char	   *s = calloc(4096, 1);
	uint32_t	i;

	for (i = 0; i < l->count; i++)
	{
		const SmFuncRange *r = &l->ranges[i];
		size_t		n = strlen(s);

		snprintf(s + n, 4096 - n, "%s%.*s@%u:%u-%u:%u", i ? " ; " : "",
				 r->anonymous ? 1 : (int) r->name_len,
				 r->anonymous ? "~" : (const char *) l->text.data + r->name_off,
				 r->start_line, r->start_col, r->end_line, r->end_col);
	}
	return s;
}

/*
 * Original: source 0
 *   0:0-10:0 global (kind global)
 *     1:10-4:1 z (kind function, stack frame)
 *       2:2-3:3 block (kind block)
 *     6:0-8:1 anonymous stack frame (kind function)
 * Generated:
 *   0:0-0:200 def 0
 *     0:10-0:50 def 1, stack frame
 *       0:20-0:30 def 2 (block inside z: named z)
 *     0:60-0:90 def 1, callsite 0:5:0 (inlined z)
 *       0:70-0:80 stack frame, no definition (helper: anonymous)
 *     0:100-0:120 def 3, stack frame, hidden (anonymous original)
 *     1:0-1:5 (no definition: adds nothing)
 */
static const int64_t example[] = {
	1, 2, 0, 0, S(0), END,				/* B global, kind 0 */
	1, 7, 1, 10, S(2), S(1), END,		/* B z: name 2, kind 1, stack frame */
	1, 2, 1, 2, S(2), END,				/* B block: kind 3 */
	2, 1, 3, END,						/* C 3:3 */
	2, 1, 1, END,						/* C 4:1 */
	1, 6, 2, 0, S(-2), END,				/* B anon function: kind 1, stack frame */
	2, 2, 1, END,						/* C 8:1 */
	2, 2, 0, END,						/* C 10:0 */
	4, 2, 0, S(0), END,					/* E 0:0 def 0 */
	4, 6, 10, S(1), END,				/* E 0:10 def 1 frame */
	4, 2, 10, S(1), END,				/* E 0:20 def 2 */
	5, 10, END,							/* F 0:30 */
	5, 20, END,							/* F 0:50 */
	4, 2, 10, S(-1), END,				/* E 0:60 def 1 */
	8, 0, 5, 0, END,					/* I call site */
	4, 4, 10, END,						/* E 0:70 helper frame */
	5, 10, END,							/* F 0:80 */
	5, 10, END,							/* F 0:90 */
	4, 14, 10, S(2), END,				/* E 0:100 def 3 frame hidden */
	5, 20, END,							/* F 0:120 */
	4, 1, 1, 0, END,					/* E 1:0 (line + 1) */
	5, 0, 5, END,						/* F 1:5 */
	5, 0, 200, END,						/* F 1:205 (same line, column +200) */
	END, END
};

static void
test_example(void)
{
	char	   *s = encode_items(example);
	SmScopesField f;
	SmFuncList l;
	SmError		err;
	char	   *got;

	if (!tu_check(&counts, sm_scopes_field_decode(s, strlen(s), 6, 1, &sm_malloc_env, &f, &err),
				  "example: decode %s: %s", s, err.msg))
	{
		free(s);
		return;
	}
	tu_check(&counts, f.nscopes == 4 && f.nranges == 7 && f.roots[0] == 0,
			 "example: %u scopes, %u ranges", f.nscopes, f.nranges);
	tu_check(&counts, f.scopes[2].parent == 1 && f.scopes[3].parent == 0 &&
			 f.scopes[3].start_line == 6 && f.scopes[3].end_line == 8 &&
			 f.scopes[3].end_col == 1 && f.scopes[0].end_line == 10,
			 "example: original tree");
	tu_check(&counts, f.ranges[3].has_callsite && f.ranges[3].cs_line == 5 &&
			 f.ranges[4].parent == 3 && f.ranges[5].is_hidden && f.ranges[6].start_line == 1 &&
			 f.ranges[0].end_line == 1 && f.ranges[0].end_col == 205,
			 "example: generated ranges");
	sm_func_list_init(&l, &sm_malloc_env, &err);
	if (tu_check(&counts, sm_scopes_field_names(&f, 0, 0, test_name_fn, NULL, &l, &err),
				 "example: names"))
	{
		got = render_list(&l);
		tu_check(&counts, strcmp(got, "z@0:10-0:50 ; z@0:20-0:30 ; z@0:60-0:90 ; ~@0:70-0:80 ; "
								 "~@0:100-0:120") == 0, "example: names %s", got);
		free(got);
	}
	/* shifted as an index map section at 3:7 */
	l.count = 0;
	if (tu_check(&counts, sm_scopes_field_names(&f, 3, 7, test_name_fn, NULL, &l, &err),
				 "example: shifted names"))
	{
		got = render_list(&l);
		tu_check(&counts, strncmp(got, "z@3:17-3:57 ;", 13) == 0, "example: shifted %s", got);
		free(got);
	}
	/* through the function table */
	{
		SmBuf		b;
		SmStr		name;
		bool		anon;

		l.count = 0;
		sm_scopes_field_names(&f, 0, 0, test_name_fn, NULL, &l, &err);
		smb_init(&b, &sm_malloc_env, &err);
		if (tu_check(&counts, sm_functab_encode(&l, &b, &err) &&
					 sm_functab_check(b.data, b.len, &err), "example: table"))
		{
			tu_check(&counts, sm_functab_find(b.data, b.len, 0, 25, &name, &anon) == 1 &&
					 name.len == 1 && name.ptr[0] == 'z', "example: find in block");
			tu_check(&counts, sm_functab_find(b.data, b.len, 0, 75, &name, &anon) == 1 && anon,
					 "example: find in helper");
			tu_check(&counts, sm_functab_find(b.data, b.len, 0, 5, &name, &anon) == 0,
					 "example: find in global code");
		}
		smb_free(&b);
	}
	sm_func_list_free(&l);
	sm_scopes_field_free(&f);
	free(s);
}

/* Malformed fields: each fails with the expected error class. */
static void
test_errors(void)
{
	static const struct
	{
		const char *what;
		const char *s;
		uint32_t	nnames,
					nsources;
		SmErrCode	code;
	}			bad[] =
	{
		{"bad base64", "B!AA", 1, 1, SM_E_SYNTAX},
		{"truncated VLQ", "Bg", 1, 1, SM_E_SYNTAX},
		{"short start", "BA", 1, 1, SM_E_SYNTAX},
		{"VLQ over 32 bits", "B//////D", 1, 1, SM_E_SYNTAX},
		{"end without start", "CAA", 1, 1, SM_E_SYNTAX},
		{"unclosed scope", "BAAA", 1, 1, SM_E_SYNTAX},
		{"more trees than sources", "BAAA,CAA,BAAA,CAA", 1, 1, SM_E_SYNTAX},
		{"name out of range", "BBAAC,CAA", 1, 1, SM_E_SYNTAX},
		{"negative name", "BBAAD,CAA", 1, 1, SM_E_SYNTAX},
		{"variables outside a scope", "DA", 1, 1, SM_E_SYNTAX},
		{"range inside an original scope", "BAAA,EAA,FA,CAA", 1, 1, SM_E_SYNTAX},
		{"original scope after a range", "EAA,FA,BAAA,CAA", 1, 1, SM_E_SYNTAX},
		{"definition out of range", "BAAA,CAA,ECAC,FA", 1, 1, SM_E_SYNTAX},
		{"range end with three values", "EAA,FAAA", 1, 1, SM_E_SYNTAX},
		{"range end without start", "FA", 1, 1, SM_E_SYNTAX},
		{"unclosed range", "EAA", 1, 1, SM_E_SYNTAX},
		{"call site outside a range", "IAAA", 1, 1, SM_E_SYNTAX},
		{"call site source out of range", "EAA,IBAA,FA", 1, 1, SM_E_SYNTAX},
		{"binding index out of range", "EAA,GC,FA", 1, 1, SM_E_SYNTAX},
		{"missing comma", "BAAA CAA", 1, 1, SM_E_SYNTAX},
		{"empty item inside a scope", "BAAA,,CAA", 1, 1, SM_E_SYNTAX},
	};
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		SmScopesField f;
		SmError		err;
		bool		ok = sm_scopes_field_decode(bad[i].s, strlen(bad[i].s), bad[i].nnames,
												bad[i].nsources, &sm_malloc_env, &f, &err);

		tu_check(&counts, !ok && err.code == bad[i].code, "error case accepted: %s (%s)",
				 bad[i].what, ok ? "ok" : err.msg);
		if (ok)
			sm_scopes_field_free(&f);
	}

	/* nesting limit */
	{
		size_t		n = SM_SCOPES_MAX_DEPTH + 1,
					k;
		char	   *s = malloc(n * 9 + 1);
		SmScopesField f;
		SmError		err;
		bool		ok;

		s[0] = '\0';
		for (k = 0; k < n; k++)
			strcat(s, k ? ",EAA" : "EAA");
		for (k = 0; k < n; k++)
			strcat(s, ",FA");
		ok = sm_scopes_field_decode(s, strlen(s), 0, 0, &sm_malloc_env, &f, &err);
		tu_check(&counts, !ok && err.code == SM_E_LIMIT, "nesting limit: %s", ok ? "ok" : err.msg);
		if (ok)
			sm_scopes_field_free(&f);
		free(s);
	}
}

/* Lenient parts: unknown tags and flags, trailing VLQs, empty items, "A". */
static void
test_lenient(void)
{
	static const char *const good[] = {
		"", "A", ",", "A,A", "BAAA,CAA,A", "Q,BAAA,CAA", "BAAAAAA,CAA", "EAAA,FA,ZZZ",
		"BAAA,CAA,EAA,HAAA,FA", "B4AAA,CAA"
	};
	size_t		i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		SmScopesField f;
		SmError		err;
		bool		ok = sm_scopes_field_decode(good[i], strlen(good[i]), 1, 2, &sm_malloc_env, &f,
												&err);

		tu_check(&counts, ok, "lenient case rejected: \"%s\": %s", good[i], ok ? "" : err.msg);
		if (ok)
			sm_scopes_field_free(&f);
	}
}

/* sm_scopes_field_from_doc: regular and index maps, escapes, absent field. */
static void
test_from_json(void)
{
	static const struct
	{
		const char *what;
		const char *json;
		bool		found;
		const char *want;
	}			cases[] =
	{
		{"no scopes", "{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"\"}", false, ""},
		{"regular map",
			"{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"f\",\"function\"],\"mappings\":\"\","
			"\"scopes\":\"BHAAAC,CKA,EGCA,FK\"}", true, "f@0:2-0:12"},
		{"escaped strings",
			"{\"scopes\":\"BHAAA\\u0043,CKA,EGCA,FK\",\"names\":[\"\\u00e9t\\u00e9\",\"x\"],"
			"\"sources\":[null]}", true, "\xC3\xA9t\xC3\xA9@0:2-0:12"},
		{"index map sections",
			"{\"version\":3,\"sections\":[{\"offset\":{\"line\":0,\"column\":5},\"map\":"
			"{\"sources\":[\"a.js\"],\"names\":[\"f\",\"function\"],\"scopes\":\"BHAAAC,CKA,EGCA,FK\"}},"
			"{\"map\":{\"sources\":[\"b.js\"],\"names\":[\"g\"],\"scopes\":\"BFAAA,CKA,EGCA,FK\"},"
			"\"offset\":{\"column\":0,\"line\":4}}]}", true, "f@0:7-0:17 ; g@4:2-4:12"},
		{"escaped key, read as the document parser reads every key",
			"{\"sources\":[\"a.js\"],\"names\":[\"f\",\"function\"],"
			"\"sc\\u006fpes\":\"BHAAAC,CKA,EGCA,FK\"}", true, "f@0:2-0:12"},
		{"the last string-valued scopes member",
			"{\"sources\":[\"a.js\"],\"names\":[\"f\",\"function\"],\"scopes\":\"C\","
			"\"scopes\":\"BHAAAC,CKA,EGCA,FK\",\"scopes\":7}", true, "f@0:2-0:12"},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SmFuncList l;
		SmError		err;
		bool		found;
		char	   *got;

		sm_func_list_init(&l, &sm_malloc_env, &err);
		if (tu_check(&counts, from_json(cases[i].json, strlen(cases[i].json), &l, &found, &err),
					 "%s: %s", cases[i].what, err.msg))
		{
			got = render_list(&l);
			tu_check(&counts, found == cases[i].found && strcmp(got, cases[i].want) == 0,
					 "%s: got %s (found %d), want %s", cases[i].what, got, found, cases[i].want);
			free(got);
		}
		sm_func_list_free(&l);
	}
	{
		SmFuncList l;
		SmError		err;
		bool		found;
		const char *bad = "{\"sources\":[\"a\"],\"names\":[],\"scopes\":\"C\"}";

		sm_func_list_init(&l, &sm_malloc_env, &err);
		tu_check(&counts, !from_json(bad, strlen(bad), &l, &found, &err) && found && err.code == SM_E_SYNTAX,
				 "from_json: malformed field is an error");
		tu_check(&counts, !from_json("[1]", 3, &l, &found, &err),
				 "from_json: not an object");
		sm_func_list_free(&l);
	}
}

/* Random garbage over the field's alphabet never crashes. */
static void
test_garbage(void)
{
	static const char alphabet[] = "ABCDEFGHIJgh+/,,,,";
	uint64_t	seed = 77;
	int			round;
	int			accepted = 0;

	for (round = 0; round < 20000; round++)
	{
		char		s[64];
		size_t		n,
					i;
		SmScopesField f;
		SmError		err;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		n = (size_t) (seed >> 59) * 2;
		for (i = 0; i < n; i++)
		{
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			s[i] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
		}
		if (sm_scopes_field_decode(s, n, 3, 2, &sm_malloc_env, &f, &err))
		{
			SmFuncList l;

			accepted++;
			sm_func_list_init(&l, &sm_malloc_env, &err);
			sm_scopes_field_names(&f, 0, 0, test_name_fn, NULL, &l, &err);
			sm_func_list_free(&l);
			sm_scopes_field_free(&f);
		}
	}
	tu_check(&counts, accepted > 0, "garbage: %d of 20000 decoded", accepted);
}

int
main(void)
{
	test_goldens();
	test_example();
	test_errors();
	test_lenient();
	test_from_json();
	test_garbage();
	return tu_finish("scopes_field", &counts);
}
