/*
 * sm_doc.h -- the fields of a source map document as found in the JSON,
 * before anything is decoded: strings are spans of the input (no copies),
 * index-map sections hold their embedded maps.  sm_doc.c checks every
 * field's type; sm_build.c checks how the fields fit together.
 */
#ifndef SM_DOC_H
#define SM_DOC_H

#include "base/sm_buf.h"

/* A JSON string (or null) inside the input buffer. */
typedef struct SmSpan
{
	uint32_t	off;			/* byte offset of the contents (after the quote) */
	uint32_t	len;			/* raw length, escapes included */
	uint8_t		escaped;
	uint8_t		isnull;
} SmSpan;

typedef struct SmDoc SmDoc;

/* A member kept verbatim: bytes [at, end) of the input, from the key's quote to the value's end. */
typedef struct SmKeptMember
{
	uint32_t	at;
	uint32_t	end;
} SmKeptMember;

typedef struct SmSectionDoc
{
	uint32_t	line;
	uint32_t	col;
	uint32_t	at;				/* byte offset of the section object */
	SmDoc	   *map;
} SmSectionDoc;

struct SmDoc
{
	uint32_t	at;				/* byte offset of the object */
	bool		has_version;
	bool		has_file;
	bool		has_root;
	bool		has_sources;
	bool		has_contents;
	bool		has_names;
	bool		has_mappings;
	bool		has_ignore;		/* ignoreList, or x_google_ignoreList without it */
	bool		has_debug_id;
	bool		has_sections;
	bool		has_functions;	/* "x_sourcemap_functions" (top level only) */
	bool		has_scopes;		/* a "scopes" string in this map (the last one given) */
	bool		any_scopes;		/* a "scopes" member anywhere (set on the top map) */
	SmSpan		file;
	SmSpan		root;
	SmSpan		mappings;
	SmSpan		scopes;			/* ECMA-426 scopes proposal, decoded by sm_scopes_field */
	SmBuf		sources;		/* SmSpan[] */
	SmBuf		contents;		/* SmSpan[] */
	SmBuf		names;			/* SmSpan[] */
	SmBuf		ignore;			/* uint32_t[] as given */
	SmBuf		sections;		/* SmSectionDoc[] */
	SmBuf		functions;		/* SmFuncBreak[] */
	uint32_t	functions_at;
	uint32_t	contents_at;	/* byte offset of the sourcesContent array */
	uint32_t	ignore_at;		/* byte offset of the ignore list array */
	const char *ignore_field;	/* "ignoreList" or "x_google_ignoreList" */
	uint8_t		debug_id[16];
	/* top level only: what the stored value keeps beyond the known members */
	SmBuf		kept;			/* SmKeptMember[], in input order */
	uint32_t	kept_flags;		/* SM_DOC_KEPT_* */
	bool		has_fb_sources; /* "x_facebook_sources" (also in kept) */
	SmKeptMember fb_sources;	/* its value: [at, end) */
};

/* How the known members were named (sm_format.h's SM_KEPT_* have the same values). */
#define SM_DOC_KEPT_X_GOOGLE_IGNORE 1
#define SM_DOC_KEPT_DEBUG_ID_SNAKE	2

/* One breakpoint of "x_sourcemap_functions": [line, column, name | "" | null]. */
typedef struct SmFuncBreak
{
	uint32_t	line;
	uint32_t	col;
	SmSpan		name;			/* isnull: outside every function; len 0: anonymous */
} SmFuncBreak;

#define SM_SPANS(buf)	((SmSpan *) (buf).data)
#define SM_NSPANS(buf)	((uint32_t) ((buf).len / sizeof(SmSpan)))

/* Parse json into *doc (allocated from env).  Free with sm_doc_free. */
SmDoc	   *sm_doc_parse(const char *json, size_t len, const SmEnv *env, SmError *err);
void		sm_doc_free(SmDoc *doc, const SmEnv *env);

/* Parse a canonical UUID (8-4-4-4-12 hex digits, any case) into 16 bytes. */
bool		sm_parse_uuid(const char *s, size_t len, uint8_t out[16]);

#endif							/* SM_DOC_H */
