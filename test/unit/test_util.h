/*
 * test_util.h -- helpers shared by the core's unit-test programs.
 *
 * Every test_*.c in this folder is a program of its own; what more than
 * one of them needs lives here so that no test repeats another: reading
 * files, finding the test data, pass/fail counting and the summary line
 * the Makefile adds up, a small tree built from the core's own JSON pull
 * parser (to read the conformance manifests and goldens), the golden TSV
 * reader, and thin wrappers that build and open a stored map.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sm_env.h"
#include "sm_core.h"

/* ---- counting and reporting ----------------------------------------- */

typedef struct TuCounts
{
	long		passed;
	long		failed;
} TuCounts;

/* Record one check; on failure print "FAIL: <message>" and return false. */
bool		tu_check(TuCounts *c, bool ok, const char *fmt,...)
#if defined(__GNUC__)
			__attribute__((format(printf, 3, 4)))
#endif
			;

/* Add a sub-count into a total. */
void		tu_add(TuCounts *total, const TuCounts *part);

/*
 * Print "<prog>: N passed, M failed" (the line the Makefile sums up) and
 * return the process exit status: 0 when nothing failed.
 */
int			tu_finish(const char *prog, const TuCounts *c);

/* Print a string with control characters escaped, for got/expected lines. */
const char *tu_show(const char *s, size_t len, bool isnull);

/* ---- files and where the data is ------------------------------------ */

/* Whole file, NUL-terminated (the NUL is not counted); NULL if unreadable. */
char	   *tu_read_file(const char *path, size_t *len);
bool		tu_is_dir(const char *path);
bool		tu_is_file(const char *path);

/* malloc'ed "a/b" */
char	   *tu_path(const char *a, const char *b);

/* The test tree (test/), holding conformance/ and data/. */
const char *tu_test_dir(void);

/*
 * The project's shared folder (../shared next to the repository, or
 * $SM_SHARED), or NULL when it is absent.
 */
const char *tu_shared_dir(void);

/* Sorted list of the names in a directory ending in suffix; NULL-terminated. */
char	  **tu_list_dir(const char *dir, const char *suffix);
void		tu_free_list(char **list);

/* ---- a JSON tree read with the core's pull parser ------------------- */

typedef enum TuJsonType
{
	TJ_NULL,
	TJ_BOOL,
	TJ_NUM,
	TJ_STR,
	TJ_ARR,
	TJ_OBJ
} TuJsonType;

typedef struct TuJson
{
	TuJsonType	type;
	bool		b;
	int64_t		num;			/* an integer's value */
	bool		is_real;		/* a number with a fraction or exponent: real holds it */
	double		real;
	char	   *str;			/* unescaped, NUL-terminated */
	size_t		len;
	size_t		n;				/* items of an array or members of an object */
	struct TuJson *items;
	char	  **keys;			/* for objects */
} TuJson;

/* NULL with *err set if the text is not strict JSON. */
TuJson	   *tu_json_load(const char *buf, size_t len, SmError *err);
void		tu_json_free(TuJson *j);
/* Member of an object, or NULL (also when j is not an object). */
const TuJson *tu_json_get(const TuJson *j, const char *key);
/* Typed accessors of a member with a default when absent or mistyped. */
const char *tu_json_str(const TuJson *j, const char *key, const char *dflt);
int64_t		tu_json_int(const TuJson *j, const char *key, int64_t dflt);
bool		tu_json_bool(const TuJson *j, const char *key, bool dflt);
bool		tu_json_is_null(const TuJson *j, const char *key);

/* ---- conformance manifests ------------------------------------------ */

typedef struct TuManifest
{
	char	   *suite;			/* e.g. "tc39" */
	char	   *resources;		/* <suite dir>/resources */
	TuJson	   *root;
	const TuJson *tests;		/* the "tests" array */
} TuManifest;

/* Load <test_dir>/conformance/<suite>/<file>; NULL (message printed) on failure. */
TuManifest *tu_manifest_load(const char *suite, const char *file);
void		tu_manifest_free(TuManifest *m);
/* Path of a test's map: <resources>/<name>, malloc'ed. */
char	   *tu_manifest_map_path(const TuManifest *m, const char *file);

/* The four manifest suites of ../shared/conformance/README.md, in order. */
typedef struct TuSuite
{
	const char *suite;
	const char *manifest;
} TuSuite;
extern const TuSuite tu_suites[];
extern const int tu_nsuites;

/* ---- building and opening maps -------------------------------------- */

/* A built map: stored bytes (no prefix) and the open reader. */
typedef struct TuMap
{
	uint8_t    *data;
	size_t		len;
	SmMap	   *map;
} TuMap;

/* sm_build + sm_open_buffer; false with *err set on rejection. */
bool		tu_map_build(const char *json, size_t len, TuMap *out, SmError *err);
/* Read a file and build it. */
bool		tu_map_build_file(const char *path, TuMap *out, SmError *err);
void		tu_map_free(TuMap *m);

/*
 * A lookup result reduced to what the conformance suites compare: all
 * fields null when nothing maps or the segment has 1 field.
 */
typedef struct TuPos
{
	bool		mapped;			/* false: all null */
	uint32_t	src_index;
	char	   *source;			/* resolved (sourceRoot join); NULL for a null source */
	char	   *raw_source;		/* the sources entry as written; NULL for null */
	int64_t		line;
	int64_t		col;
	uint32_t	name_index;		/* SM_NONE: no name */
	char	   *name;			/* NULL: no name */
} TuPos;

/* Look up and fill *pos (strings malloc'ed); false on an API error. */
bool		tu_lookup(SmMap *m, uint32_t line, uint32_t col, SmBias bias, TuPos *pos,
					  SmError *err);
void		tu_pos_free(TuPos *pos);

/* A resolved source, malloc'ed and NUL-terminated, NULL if null (or *ok = false on error). */
char	   *tu_resolved_source(SmMap *m, uint32_t idx, bool *ok, SmError *err);

/*
 * The conformance README's source string: sourceRoot + "/" + entry, no "/"
 * when sourceRoot is empty or already ends in "/".  Computed independently
 * of the core, to check sm_source_resolved against.
 */
char	   *tu_join_source_root(const char *root, size_t root_len, const char *src,
								size_t src_len);

/* ---- golden TSV ------------------------------------------------------ */

/* One row of a golden file; "-" fields are absent (has_* false / NULL). */
typedef struct TuGoldenRow
{
	int64_t		gen_line;
	int64_t		gen_col;
	bool		mapped;			/* src_index present */
	int64_t		src_index;
	char	   *raw_source;
	char	   *resolved_source;
	int64_t		orig_line;
	int64_t		orig_col;
	bool		has_name;
	int64_t		name_index;
	char	   *name;
} TuGoldenRow;

typedef struct TuGolden
{
	char	   *map_path;		/* "# map: X" header, relative to the oracle folder */
	char	   *bias;			/* "glb" / "lub" from the header */
	size_t		nrows;
	TuGoldenRow *rows;
	char	   *text;			/* backing buffer */
} TuGolden;

/* Parse a golden file; NULL (message printed) on failure. */
TuGolden   *tu_golden_load(const char *path);
void		tu_golden_free(TuGolden *g);

#endif							/* TEST_UTIL_H */
