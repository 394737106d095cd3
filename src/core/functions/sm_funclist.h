/*
 * sm_funclist.h -- named generated ranges, and resolving the names the
 * JavaScript scanner found through a source map.
 *
 * Why: there are two ways to know the original name of the function
 * around a generated position.  A map with the ECMA-426 `scopes` field
 * says it (sm_scopes_field.h); otherwise the generated code is scanned
 * (sm_jsscan.h) and the identifiers naming each function are mapped back
 * to their original names.  Both produce the same thing, an SmFuncList:
 * generated ranges, each with a function name or marked anonymous, which
 * sm_functab.h turns into the compact table stored in the value.
 *
 * Name resolution (sm_func_resolve), per identifier of a scanned name,
 * following Sentry's js-source-scopes (NameResolver) and what generators
 * actually emit:
 *   1. the segment starting exactly at the identifier (SM_BIAS_EXACT), else
 *      a named segment one column earlier when that column is whitespace
 *      (old UglifyJS maps a function's name on the space before it);
 *      Sentry accepts any segment one column earlier, but that one is
 *      usually another token's (the `.` of `a.b`) and its name is wrong;
 *   2. that segment's `names` entry, if it has one;
 *   3. else the segment right before it, if it maps to the same original
 *      position and has a name (TypeScript puts the function's name on the
 *      `function` keyword);
 *   4. else, when the identifier is followed by `(`, the segment starting
 *      there if it has a name (terser/webpack put a private method's name
 *      on `(`; Sentry looks there after any identifier);
 *   5. else the identifier as written in the generated code.
 * The rules were chosen by measuring them (bench/function_names.c).
 * Fixed text and string or number keys are kept as written.
 */
#ifndef SM_FUNCLIST_H
#define SM_FUNCLIST_H

#include "base/sm_buf.h"
#include "format/sm_map.h"
#include "functions/sm_jsscan.h"

/* Longest stored function name in bytes (longer ones are cut at a character boundary). */
#define SM_FUNC_NAME_MAX 1024

typedef struct SmFuncRange
{
	uint32_t	start_line;		/* generated, 0-based; columns in UTF-16 units */
	uint32_t	start_col;
	uint32_t	end_line;		/* exclusive */
	uint32_t	end_col;
	uint32_t	name_off;		/* name: text.data[name_off .. name_off + name_len) */
	uint32_t	name_len;
	bool		anonymous;		/* a function without a name (name_len is 0) */
} SmFuncRange;

typedef struct SmFuncList
{
	SmFuncRange *ranges;		/* in the order added */
	uint32_t	count;
	uint32_t	cap;
	SmBuf		text;			/* the names, back to back */
	const SmEnv *env;
	SmError    *err;
} SmFuncList;

void		sm_func_list_init(SmFuncList *list, const SmEnv *env, SmError *err);
void		sm_func_list_free(SmFuncList *list);

/*
 * Add a range.  A name that is empty or not valid text (UTF-8 without NUL)
 * makes the range anonymous; a name longer than SM_FUNC_NAME_MAX is cut.
 */
bool		sm_func_list_add(SmFuncList *list, uint32_t start_line, uint32_t start_col,
							  uint32_t end_line, uint32_t end_col, const char *name,
							  size_t len, bool anonymous);

/*
 * Resolve every scope of scan (made from the generated code of map) and
 * append it to out, in scan order.  Anonymous scopes stay anonymous.
 * It makes one to four lookups per identifier, in increasing generated
 * order: give the map a block cache first (sm_set_block_cache, e.g. 64 MB
 * at input), or every lookup decodes its block again (5 to 25 times slower
 * on the corpus maps).
 */
bool		sm_func_resolve(SmMap *map, const SmJsScan *scan, SmFuncList *out,
							  SmError *err);

/*
 * Resolve one IDENT part of scan: *name is the original name (valid until
 * sm_close) and 1 is returned, or 0 when the map gives none, -1 on error.
 */
int			sm_func_resolve_ident(SmMap *map, const SmJsScan *scan, const SmJsPart *part,
									SmStr *name, SmError *err);

#endif							/* SM_FUNCLIST_H */
