/*
 * test_util.c -- helpers shared by the core's unit-test programs.
 *
 * See test_util.h.  Nothing here knows an expected answer: the helpers
 * only read the data files and the core's results so that each test can
 * compare the two.  JSON is read with the core's own pull parser
 * (sm_json.h); this file only assembles its tokens into a tree.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/sm_buf.h"
#include "json/sm_json.h"

#ifndef TU_SRCDIR
#define TU_SRCDIR "."
#endif

/* ---- counting and reporting ----------------------------------------- */

bool
tu_check(TuCounts *c, bool ok, const char *fmt,...)
{
	if (ok)
	{
		c->passed++;
		return true;
	}
	c->failed++;
	{
		va_list		ap;

		fputs("FAIL: ", stdout);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		fputc('\n', stdout);
		fflush(stdout);
	}
	return false;
}

void
tu_add(TuCounts *total, const TuCounts *part)
{
	total->passed += part->passed;
	total->failed += part->failed;
}

int
tu_finish(const char *prog, const TuCounts *c)
{
	smz_release();				/* so valgrind sees no block left behind */
	printf("%s: %ld passed, %ld failed\n", prog, c->passed, c->failed);
	fflush(stdout);
	return c->failed == 0 ? 0 : 1;
}

/*
 * Quoted, escaped rendering for messages.  Uses a small ring of buffers so
 * that a printf may show several values at once; long values are cut.
 */
const char *
tu_show(const char *s, size_t len, bool isnull)
{
	static char ring[8][200];
	static int	next = 0;
	char	   *out = ring[next];
	size_t		o = 0;
	size_t		i;

	next = (next + 1) % 8;
	if (isnull || s == NULL)
		return "null";
	out[o++] = '"';
	for (i = 0; i < len && o < sizeof(ring[0]) - 12; i++)
	{
		unsigned char ch = (unsigned char) s[i];

		if (ch == '"' || ch == '\\')
		{
			out[o++] = '\\';
			out[o++] = (char) ch;
		}
		else if (ch < 0x20 || ch == 0x7f)
			o += (size_t) snprintf(out + o, 5, "\\x%02x", ch);
		else
			out[o++] = (char) ch;
	}
	if (i < len)
	{
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* ---- files ------------------------------------------------------------ */

char *
tu_read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	size_t		cap = 0;
	size_t		n = 0;

	if (f == NULL)
		return NULL;
	for (;;)
	{
		size_t		got;

		if (cap - n < 65536)
		{
			size_t		ncap = cap ? cap * 2 : 1 << 16;
			char	   *nb = realloc(buf, ncap + 1);

			if (nb == NULL)
			{
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
	{
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

bool
tu_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
tu_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
tu_path(const char *a, const char *b)
{
	size_t		la = strlen(a);
	size_t		lb = strlen(b);
	char	   *p = malloc(la + lb + 2);

	if (p == NULL)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

const char *
tu_test_dir(void)
{
	static char *dir = NULL;

	if (dir == NULL)
	{
		const char *env = getenv("SM_TEST_DIR");

		dir = env && *env ? strdup(env) : tu_path(TU_SRCDIR, "..");
	}
	return dir;
}

const char *
tu_shared_dir(void)
{
	static bool done = false;
	static char *dir = NULL;

	if (!done)
	{
		const char *env = getenv("SM_SHARED");

		done = true;
		if (env != NULL)
			dir = *env ? strdup(env) : NULL;	/* SM_SHARED= disables */
		else
			dir = tu_path(TU_SRCDIR, "../../../shared");
		if (dir != NULL && !tu_is_dir(dir))
		{
			free(dir);
			dir = NULL;
		}
	}
	return dir;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

char **
tu_list_dir(const char *dir, const char *suffix)
{
	DIR		   *d = opendir(dir);
	struct dirent *e;
	char	  **list = NULL;
	size_t		n = 0;
	size_t		cap = 0;
	size_t		ls = strlen(suffix);

	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL)
	{
		size_t		ln = strlen(e->d_name);

		if (ln < ls || strcmp(e->d_name + ln - ls, suffix) != 0)
			continue;
		if (n + 2 > cap)
		{
			cap = cap ? cap * 2 : 16;
			list = realloc(list, cap * sizeof(char *));
			if (list == NULL)
				exit(2);
		}
		list[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (list == NULL)
	{
		list = malloc(sizeof(char *));
		if (list == NULL)
			exit(2);
	}
	qsort(list, n, sizeof(char *), cmp_str);
	list[n] = NULL;
	return list;
}

void
tu_free_list(char **list)
{
	char	  **p;

	if (list == NULL)
		return;
	for (p = list; *p; p++)
		free(*p);
	free(list);
}

/* ---- JSON tree --------------------------------------------------------- */

static void *
xrealloc(void *p, size_t n)
{
	void	   *q = realloc(p, n ? n : 1);

	if (q == NULL)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return q;
}

static char *
token_string(SmJson *js, size_t *len)
{
	char	   *s = xrealloc(NULL, js->tok_len + 1);
	size_t		n;

	if (js->tok_escaped)
		n = smj_unescape(js->buf + js->tok_start, js->tok_len, s);
	else
	{
		memcpy(s, js->buf + js->tok_start, js->tok_len);
		n = js->tok_len;
	}
	s[n] = '\0';
	*len = n;
	return s;
}

static void
json_clear(TuJson *j)
{
	size_t		i;

	if (j->type == TJ_ARR || j->type == TJ_OBJ)
	{
		for (i = 0; i < j->n; i++)
		{
			json_clear(&j->items[i]);
			if (j->keys)
				free(j->keys[i]);
		}
		free(j->items);
		free(j->keys);
	}
	free(j->str);
	memset(j, 0, sizeof(*j));
}

/* Fill *out from the value whose first token is tok. */
static bool
json_value(SmJson *js, SmJsonTok tok, TuJson *out)
{
	memset(out, 0, sizeof(*out));
	switch (tok)
	{
		case SMJ_NULL:
			out->type = TJ_NULL;
			return true;
		case SMJ_TRUE:
		case SMJ_FALSE:
			out->type = TJ_BOOL;
			out->b = (tok == SMJ_TRUE);
			return true;
		case SMJ_NUMBER:
			out->type = TJ_NUM;
			if (!smj_number_int(js, &out->num))
			{
				char		tmp[64];
				size_t		n = js->tok_len < sizeof(tmp) - 1 ? js->tok_len : sizeof(tmp) - 1;

				memcpy(tmp, js->buf + js->tok_start, n);
				tmp[n] = '\0';
				out->is_real = true;
				out->real = strtod(tmp, NULL);
			}
			else
				out->real = (double) out->num;
			return true;
		case SMJ_STRING:
			out->type = TJ_STR;
			out->str = token_string(js, &out->len);
			return true;
		case SMJ_ARR_BEGIN:
		case SMJ_OBJ_BEGIN:
			{
				bool		obj = (tok == SMJ_OBJ_BEGIN);
				size_t		cap = 0;

				out->type = obj ? TJ_OBJ : TJ_ARR;
				for (;;)
				{
					SmJsonTok	t = smj_next(js);
					char	   *key = NULL;

					if (t == SMJ_ERROR)
						return false;
					if (t == SMJ_ARR_END || t == SMJ_OBJ_END)
						return true;
					if (obj)
					{
						size_t		kl;

						if (t != SMJ_KEY)
							return sm_fail(js->err, SM_E_SYNTAX, "test data: expected a key");
						key = token_string(js, &kl);
						t = smj_next(js);
						if (t == SMJ_ERROR)
						{
							free(key);
							return false;
						}
					}
					if (out->n == cap)
					{
						cap = cap ? cap * 2 : 8;
						out->items = xrealloc(out->items, cap * sizeof(TuJson));
						if (obj)
							out->keys = xrealloc(out->keys, cap * sizeof(char *));
					}
					if (obj)
						out->keys[out->n] = key;
					if (!json_value(js, t, &out->items[out->n]))
					{
						out->n++;
						return false;
					}
					out->n++;
				}
			}
		default:
			return sm_fail(js->err, SM_E_SYNTAX, "test data: unexpected token %d at byte %zu",
						   (int) tok, js->tok_start);
	}
}

TuJson *
tu_json_load(const char *buf, size_t len, SmError *err)
{
	SmJson		js;
	SmJsonTok	t;
	TuJson	   *root = xrealloc(NULL, sizeof(TuJson));

	memset(root, 0, sizeof(*root));
	smj_init(&js, buf, len, err);
	t = smj_next(&js);
	if (t == SMJ_ERROR || !json_value(&js, t, root))
	{
		tu_json_free(root);
		return NULL;
	}
	t = smj_next(&js);
	if (t != SMJ_EOF)
	{
		if (t != SMJ_ERROR)
			sm_fail(err, SM_E_SYNTAX, "test data: trailing content");
		tu_json_free(root);
		return NULL;
	}
	return root;
}

void
tu_json_free(TuJson *j)
{
	if (j == NULL)
		return;
	json_clear(j);
	free(j);
}

const TuJson *
tu_json_get(const TuJson *j, const char *key)
{
	size_t		i;

	if (j == NULL || j->type != TJ_OBJ)
		return NULL;
	for (i = 0; i < j->n; i++)
		if (strcmp(j->keys[i], key) == 0)
			return &j->items[i];
	return NULL;
}

const char *
tu_json_str(const TuJson *j, const char *key, const char *dflt)
{
	const TuJson *v = tu_json_get(j, key);

	return v && v->type == TJ_STR ? v->str : dflt;
}

int64_t
tu_json_int(const TuJson *j, const char *key, int64_t dflt)
{
	const TuJson *v = tu_json_get(j, key);

	return v && v->type == TJ_NUM ? v->num : dflt;
}

bool
tu_json_bool(const TuJson *j, const char *key, bool dflt)
{
	const TuJson *v = tu_json_get(j, key);

	return v && v->type == TJ_BOOL ? v->b : dflt;
}

bool
tu_json_is_null(const TuJson *j, const char *key)
{
	const TuJson *v = tu_json_get(j, key);

	return v != NULL && v->type == TJ_NULL;
}

/* ---- manifests --------------------------------------------------------- */

const TuSuite tu_suites[] = {
	{"tc39", "source-map-spec-tests.json"},
	{"mozilla-source-map", "mozilla-source-map-tests.json"},
	{"trace-mapping", "trace-mapping-tests.json"},
	{"rust-sourcemap", "rust-sourcemap-tests.json"},
};
const int	tu_nsuites = (int) (sizeof(tu_suites) / sizeof(tu_suites[0]));

TuManifest *
tu_manifest_load(const char *suite, const char *file)
{
	char	   *conf = tu_path(tu_test_dir(), "conformance");
	char	   *dir = tu_path(conf, suite);
	char	   *path = tu_path(dir, file);
	size_t		len;
	char	   *text = tu_read_file(path, &len);
	TuManifest *m = NULL;
	SmError		err = {0};

	if (text == NULL)
		printf("FAIL: cannot read %s: %s\n", path, strerror(errno));
	else
	{
		TuJson	   *root = tu_json_load(text, len, &err);
		const TuJson *tests = tu_json_get(root, "tests");

		if (root == NULL || tests == NULL || tests->type != TJ_ARR)
		{
			printf("FAIL: cannot read manifest %s: %s\n", path,
				   root ? "no \"tests\" array" : err.msg);
			tu_json_free(root);
		}
		else
		{
			m = xrealloc(NULL, sizeof(TuManifest));
			m->suite = strdup(suite);
			m->resources = tu_path(dir, "resources");
			m->root = root;
			m->tests = tests;
		}
	}
	free(text);
	free(path);
	free(dir);
	free(conf);
	return m;
}

void
tu_manifest_free(TuManifest *m)
{
	if (m == NULL)
		return;
	free(m->suite);
	free(m->resources);
	tu_json_free(m->root);
	free(m);
}

char *
tu_manifest_map_path(const TuManifest *m, const char *file)
{
	return tu_path(m->resources, file);
}

/* ---- maps ------------------------------------------------------------- */

bool
tu_map_build(const char *json, size_t len, TuMap *out, SmError *err)
{
	memset(out, 0, sizeof(*out));
	if (!sm_build(json, len, &sm_malloc_env, 0, &out->data, &out->len, err))
	{
		out->data = NULL;
		return false;
	}
	out->map = sm_open_buffer(&sm_malloc_env, out->data, out->len, err);
	if (out->map == NULL)
	{
		sm_free(&sm_malloc_env, out->data);
		out->data = NULL;
		return false;
	}
	return true;
}

bool
tu_map_build_file(const char *path, TuMap *out, SmError *err)
{
	size_t		len;
	char	   *text = tu_read_file(path, &len);
	bool		ok;

	if (text == NULL)
	{
		memset(out, 0, sizeof(*out));
		return sm_fail(err, SM_E_ARGUMENT, "test data: cannot read %s", path);
	}
	ok = tu_map_build(text, len, out, err);
	free(text);
	return ok;
}

void
tu_map_free(TuMap *m)
{
	if (m->map)
		sm_close(m->map);
	sm_free(&sm_malloc_env, m->data);
	memset(m, 0, sizeof(*m));
}

static char *
dup_mem(const char *p, size_t n)
{
	char	   *s = xrealloc(NULL, n + 1);

	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
tu_resolved_source(SmMap *m, uint32_t idx, bool *ok, SmError *err)
{
	char	   *p = NULL;
	uint32_t	len = 0;
	bool		isnull = false;
	char	   *s;

	*ok = sm_source_resolved(m, idx, &p, &len, &isnull, err);
	if (!*ok || isnull)
	{
		if (p)
			sm_free(&sm_malloc_env, p);
		return NULL;
	}
	s = dup_mem(p, len);
	sm_free(&sm_malloc_env, p);
	return s;
}

bool
tu_lookup(SmMap *m, uint32_t line, uint32_t col, SmBias bias, TuPos *pos, SmError *err)
{
	SmMapping	mp;
	int			r;
	SmStr		s;
	bool		ok;

	memset(pos, 0, sizeof(*pos));
	pos->name_index = SM_NONE;
	pos->src_index = SM_NONE;
	r = sm_lookup(m, line, col, bias, &mp, err);
	if (r < 0)
		return false;
	if (r == 0 || mp.source == SM_NONE)
		return true;
	pos->mapped = true;
	pos->src_index = mp.source;
	pos->line = mp.orig_line;
	pos->col = mp.orig_col;
	pos->name_index = mp.name;
	pos->source = tu_resolved_source(m, mp.source, &ok, err);
	if (!ok)
		return false;
	if (!sm_source(m, mp.source, &s, err))
		return false;
	pos->raw_source = s.isnull ? NULL : dup_mem(s.ptr, s.len);
	if (mp.name != SM_NONE)
	{
		if (!sm_name(m, mp.name, &s, err))
			return false;
		pos->name = s.isnull ? NULL : dup_mem(s.ptr, s.len);
	}
	return true;
}

void
tu_pos_free(TuPos *pos)
{
	free(pos->source);
	free(pos->raw_source);
	free(pos->name);
	memset(pos, 0, sizeof(*pos));
}

char *
tu_join_source_root(const char *root, size_t root_len, const char *src, size_t src_len)
{
	bool		slash = root_len > 0 && root[root_len - 1] != '/';
	char	   *s = xrealloc(NULL, root_len + slash + src_len + 1);

	if (root_len)
		memcpy(s, root, root_len);
	if (slash)
		s[root_len] = '/';
	if (src_len)
		memcpy(s + root_len + slash, src, src_len);
	s[root_len + slash + src_len] = '\0';
	return s;
}

/* ---- golden TSV -------------------------------------------------------- */

/* Undo lib.mjs esc(): \\ \t \n \r, in place. */
static char *
golden_unescape(char *f)
{
	char	   *r = f;
	char	   *w = f;

	while (*r)
	{
		if (*r == '\\' && r[1])
		{
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
			r++;
		}
		else
			*w++ = *r++;
	}
	*w = '\0';
	return f;
}

/* A text field; "-" is absent (the oracle writes a null source so). */
static char *
golden_text(char *f)
{
	return strcmp(f, "-") == 0 ? NULL : golden_unescape(f);
}

static bool
golden_int(const char *f, bool *present, int64_t *v)
{
	char	   *end;
	long long	x;

	if (strcmp(f, "-") == 0)
	{
		*present = false;
		*v = -1;
		return true;
	}
	errno = 0;
	x = strtoll(f, &end, 10);
	if (errno || *end || end == f)
		return false;
	*present = true;
	*v = x;
	return true;
}

/* Copy of the value after "key: " up to the next two spaces, in a header line. */
static char *
header_field(const char *line, const char *key)
{
	const char *p = strstr(line, key);
	const char *e;

	if (p == NULL)
		return NULL;
	p += strlen(key);
	e = strstr(p, "  ");
	if (e == NULL)
		e = p + strlen(p);
	return dup_mem(p, (size_t) (e - p));
}

TuGolden *
tu_golden_load(const char *path)
{
	size_t		len;
	char	   *text = tu_read_file(path, &len);
	TuGolden   *g;
	char	   *line;
	size_t		cap = 0;
	size_t		lineno = 0;

	if (text == NULL)
	{
		printf("FAIL: cannot read %s\n", path);
		return NULL;
	}
	g = xrealloc(NULL, sizeof(TuGolden));
	memset(g, 0, sizeof(*g));
	g->text = text;
	line = text;
	while (*line)
	{
		char	   *nl = strchr(line, '\n');
		char	   *f[9];
		int			nf = 0;
		char	   *p;
		TuGoldenRow *r;
		bool		present;
		bool		ok = true;

		lineno++;
		if (nl)
			*nl = '\0';
		if (line[0] == '#')
		{
			if (strncmp(line, "# map: ", 7) == 0)
			{
				g->map_path = header_field(line, "# map: ");
				g->bias = header_field(line, "bias: ");
			}
		}
		else if (line[0] != '\0')
		{
			for (p = line; nf < 9; nf++)
			{
				f[nf] = p;
				p = strchr(p, '\t');
				if (p == NULL)
				{
					nf++;
					break;
				}
				*p++ = '\0';
			}
			if (nf != 9 || p != NULL)
			{
				printf("FAIL: %s:%zu: expected 9 tab-separated fields\n", path, lineno);
				tu_golden_free(g);
				return NULL;
			}
			if (g->nrows == cap)
			{
				cap = cap ? cap * 2 : 1024;
				g->rows = xrealloc(g->rows, cap * sizeof(TuGoldenRow));
			}
			r = &g->rows[g->nrows++];
			memset(r, 0, sizeof(*r));
			ok = ok && golden_int(f[0], &present, &r->gen_line) && present;
			ok = ok && golden_int(f[1], &present, &r->gen_col) && present;
			ok = ok && golden_int(f[2], &r->mapped, &r->src_index);
			r->raw_source = golden_text(f[3]);
			r->resolved_source = golden_text(f[4]);
			ok = ok && golden_int(f[5], &present, &r->orig_line) && present == r->mapped;
			ok = ok && golden_int(f[6], &present, &r->orig_col) && present == r->mapped;
			ok = ok && golden_int(f[7], &r->has_name, &r->name_index);
			/* a names entry is never null: with a name index, "-" is the name */
			r->name = r->has_name ? golden_unescape(f[8]) : NULL;
			if (!ok)
			{
				printf("FAIL: %s:%zu: malformed row\n", path, lineno);
				tu_golden_free(g);
				return NULL;
			}
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	if (g->map_path == NULL || g->bias == NULL)
	{
		printf("FAIL: %s: no \"# map: ... bias: ...\" header\n", path);
		tu_golden_free(g);
		return NULL;
	}
	return g;
}

void
tu_golden_free(TuGolden *g)
{
	if (g == NULL)
		return;
	free(g->rows);
	free(g->map_path);
	free(g->bias);
	free(g->text);
	free(g);
}
