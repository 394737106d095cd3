/*
 * sm_scopes_field.h -- decode the `scopes` field of the ECMA-426 Scopes
 * proposal (stage 3, tc39/ecma426 proposals/scopes.md) and derive
 * function names for generated ranges from it.
 *
 * Why: a map that carries `scopes` states the original function of every
 * generated range, inlining included, so no guessing from the generated
 * code is needed.  The decoder produces the original scope trees (checked
 * against the tc39 decoding goldens) and the generated range tree;
 * sm_scopes_field_names turns them into the SmFuncList every name source
 * produces (sm_funclist.h).
 *
 * Encoding, briefly: comma-separated items, each a run of Base64 VLQs
 * whose first (unsigned) value is a tag.
 *   B  original scope start: flags (1 name, 2 kind, 4 stack frame), line,
 *      column, [name], [kind]
 *   C  original scope end: line, column
 *   D  variables of the open original scope
 *   E  generated range start: flags (1 line, 2 definition, 4 stack frame,
 *      8 hidden), [line], column, [definition]
 *   F  generated range end: [line], column (2 or 3 VLQs with the tag)
 *   G  bindings, H sub-range binding, I call site (source, line, column)
 *   A or an empty item: "no scopes for this source"; other tags are
 *      unknown items and skipped.
 * The n-th top-level original scope tree belongs to sources[n].  Original
 * lines are relative to the previous original start/end (reset to 0 for
 * each top-level tree); columns are relative when the line did not change.
 * Names, kinds and variables are relative across the whole field.
 * Generated lines and columns are relative to the previous generated
 * start/end in the same way (never reset); definitions are relative.
 * Definitions index the original scopes in pre-order over all sources.
 *
 * Strictness: a malformed field (bad VLQ, unbalanced start/end, index out
 * of range, original scopes after generated ranges) is an error
 * (SM_E_SYNTAX); the specification lets a consumer ignore such a field, and
 * the caller may do so.  Unknown flag bits and extra trailing VLQs in an
 * item are ignored (room for extensions).  Names of generated ranges
 * (sm_scopes_field_names): a range with a definition takes the name of the
 * nearest original scope, from its definition outwards, that is a stack
 * frame (anonymous if that scope has no name); one whose definition has no
 * stack-frame scope around it (top-level code, a block) adds nothing, so
 * the enclosing range's name applies.  A stack-frame range without a
 * definition (a generated helper) is anonymous.  Hidden ranges are named
 * like the others; call sites (inlined functions) need nothing more,
 * since the range's definition is the inlined function.
 */
#ifndef SM_SCOPES_FIELD_H
#define SM_SCOPES_FIELD_H

#include "format/sm_map.h"
#include "functions/sm_funclist.h"
#include "json/sm_doc.h"

/* Deepest nesting of original scopes or of generated ranges. */
#define SM_SCOPES_MAX_DEPTH 1000

typedef struct SmOrigScope
{
	uint32_t	source;			/* index into sources */
	uint32_t	start_line;		/* original position, 0-based */
	uint32_t	start_col;
	uint32_t	end_line;
	uint32_t	end_col;
	uint32_t	name;			/* names index, or SM_NONE */
	uint32_t	kind;			/* names index, or SM_NONE */
	bool		is_stack_frame;
	uint32_t	parent;			/* SM_NONE for the root of its source */
	uint32_t	first_var;		/* variables: vars[first_var .. first_var + nvars) */
	uint32_t	nvars;
} SmOrigScope;

typedef struct SmGenRange
{
	uint32_t	start_line;		/* generated position, 0-based */
	uint32_t	start_col;
	uint32_t	end_line;		/* exclusive */
	uint32_t	end_col;
	uint32_t	definition;		/* index into scopes, or SM_NONE */
	bool		is_stack_frame;
	bool		is_hidden;
	bool		has_callsite;
	uint32_t	cs_source;		/* call site of an inlined function */
	uint32_t	cs_line;
	uint32_t	cs_col;
	uint32_t	parent;			/* SM_NONE at the top level */
} SmGenRange;

typedef struct SmScopesField
{
	SmOrigScope *scopes;		/* all original scopes, pre-order, sources in order */
	uint32_t	nscopes;
	uint32_t   *vars;			/* names indexes of variables */
	uint32_t	nvars;
	uint32_t   *roots;			/* per source: its root scope, or SM_NONE */
	uint32_t	nroots;			/* = nsources */
	SmGenRange *ranges;			/* generated ranges, pre-order */
	uint32_t	nranges;
	const SmEnv *env;
} SmScopesField;

/*
 * Decode s[0..len) for a map with nnames `names` and nsources `sources`.
 * On failure nothing is left allocated.
 */
bool		sm_scopes_field_decode(const char *s, size_t len, uint32_t nnames,
								   uint32_t nsources, const SmEnv *env, SmScopesField *out,
								   SmError *err);
void		sm_scopes_field_free(SmScopesField *f);

/* names[idx] as text (*out valid until the next call); false with *err on failure. */
typedef bool (*SmNameFn) (void *ctx, uint32_t idx, SmStr *out, SmError *err);

/*
 * The function of a definition: the nearest original scope, from
 * scopes[definition] outwards, that is a stack frame; SM_NONE when there
 * is none (top-level code, a block outside any function) or definition
 * is out of range.
 */
uint32_t	sm_scopes_field_function(const SmScopesField *f, uint32_t definition);

/*
 * Append the named ranges of f to out (generated positions shifted by
 * line_off, and by col_off on line 0, as for an index map section).
 */
bool		sm_scopes_field_names(const SmScopesField *f, uint32_t line_off, uint32_t col_off,
								  SmNameFn name_fn, void *name_ctx, SmFuncList *out,
								  SmError *err);

/*
 * All of it for a parsed document (json/sm_doc.h) of the JSON text json:
 * the `scopes` span of the map, or of each section's map of an index map
 * (those ranges first, in section order, shifted by the section's offset,
 * then the map's own).  *found is set when any map has a `scopes` string.
 * Names of ranges are appended to out.
 */
bool		sm_scopes_field_from_doc(const char *json, const SmDoc *doc, const SmEnv *env,
									 SmFuncList *out, bool *found, SmError *err);

#endif							/* SM_SCOPES_FIELD_H */
