/*
 * test_compose.c -- unit test of composing chains of maps (sm_compose.h).
 *
 * Every chain in test/data/compose (stage maps built with real tools, and
 * one made by hand for the rules tools rarely hit; make.sh there rebuilds
 * them) is composed, and the result must be @jridgewell/remapping's
 * composition of the same chain, expected.map, exactly: both are ingested
 * and written back as canonical JSON, which must be the same bytes (every
 * segment, source, name, content, ignore flag and the file).  Then the
 * error paths: no maps, a map with several sources none of which names
 * the next map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static TuCounts counts;

/* Canonical JSON of a stored map, malloc'ed; NULL on error. */
static char *
canonical(SmMap *m, size_t *len, SmError *err)
{
	char	   *out;

	if (!sm_to_json(m, 0, &out, len, err))
		return NULL;
	return out;
}

/* Compose n built maps; NULL with *err set on failure. */
static TuMap *
compose(TuMap *stages, uint32_t n, TuMap *out, SmError *err)
{
	SmMap	   *maps[8];

	for (uint32_t k = 0; k < n; k++)
		maps[k] = stages[k].map;
	memset(out, 0, sizeof(*out));
	if (!sm_compose(maps, n, &sm_malloc_env, 0, &out->data, &out->len, err))
		return NULL;
	out->map = sm_open_buffer(&sm_malloc_env, out->data, out->len, err);
	return out->map ? out : NULL;
}

/* Print where two texts first differ. */
static void
show_difference(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		i = 0;

	while (i < alen && i < blen && a[i] == b[i])
		i++;
	fprintf(stderr, "  first difference at byte %zu:\n  got      %.80s\n  expected %.80s\n", i,
			a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
}

/* Compose the chain listed in <dir>/chain.txt and compare with <dir>/expected.map. */
static void
check_chain(const char *data, const char *name)
{
	char	   *dir = tu_path(data, "compose");
	char	   *cdir = tu_path(dir, name);
	char	   *list_path = tu_path(cdir, "chain.txt");
	char	   *exp_path = tu_path(cdir, "expected.map");
	size_t		list_len;
	char	   *list = tu_read_file(list_path, &list_len);
	TuMap		stages[8],
				got,
				want;
	uint32_t	n = 0;
	SmError		err = {0};
	bool		ok = list != NULL;

	for (char *line = list ? strtok(list, "\n") : NULL; ok && line; line = strtok(NULL, "\n"))
	{
		char	   *p = tu_path(data, line);

		ok = tu_check(&counts, n < 8 && tu_map_build_file(p, &stages[n], &err),
					  "%s: stage %u (%s) builds: %s", name, n, line, err.msg);
		n += ok;
		free(p);
	}
	if (ok && tu_check(&counts, compose(stages, n, &got, &err) != NULL,
					   "%s: composes: %s", name, err.msg))
	{
		if (tu_check(&counts, tu_map_build_file(exp_path, &want, &err),
					 "%s: expected.map builds: %s", name, err.msg))
		{
			size_t		glen,
						wlen;
			char	   *g = canonical(got.map, &glen, &err);
			char	   *w = canonical(want.map, &wlen, &err);
			SmInfo		gi,
						wi;

			if (!tu_check(&counts, g && w && glen == wlen && memcmp(g, w, glen) == 0,
						  "%s: composed map is remapping's, byte for byte", name) && g && w)
				show_difference(g, glen, w, wlen);
			bool		infos = sm_info(got.map, &gi, &err) && sm_info(want.map, &wi, &err);

			tu_check(&counts, infos && gi.segments == wi.segments && gi.segments > 0,
					 "%s: %llu segments, remapping %llu", name,
					 (unsigned long long) gi.segments, (unsigned long long) wi.segments);
			free(g);
			free(w);
			tu_map_free(&want);
		}
		tu_map_free(&got);
	}
	for (uint32_t k = 0; k < n; k++)
		tu_map_free(&stages[k]);
	free(list);
	free(dir);
	free(cdir);
	free(list_path);
	free(exp_path);
}

static void
expect_error(const char *what, TuMap *stages, uint32_t n, const char *msg_part)
{
	TuMap		got;
	SmError		err = {0};

	if (!tu_check(&counts, compose(stages, n, &got, &err) == NULL, "%s: rejected", what))
	{
		tu_map_free(&got);
		return;
	}
	tu_check(&counts, err.code == SM_E_ARGUMENT && strstr(err.msg, msg_part) != NULL,
			 "%s: SM_E_ARGUMENT with \"%s\", got %d \"%s\"", what, msg_part, err.code, err.msg);
}

static void
check_errors(void)
{
	static const char *jsons[] = {
		"{\"version\":3,\"sources\":[\"a.js\",\"b.js\"],\"names\":[],\"mappings\":\"AAAA,CCAA\"}",
		"{\"version\":3,\"file\":\"c.js\",\"sources\":[\"x.ts\"],\"names\":[],\"mappings\":\"AAAA\"}",
		"{\"version\":3,\"sources\":[\"x.ts\"],\"names\":[],\"mappings\":\"AAAA\"}",
	};
	TuMap		m[3];
	SmError		err = {0};

	for (int i = 0; i < 3; i++)
		if (!tu_check(&counts, tu_map_build(jsons[i], strlen(jsons[i]), &m[i], &err),
					  "error fixture %d builds: %s", i, err.msg))
			return;
	expect_error("no maps", m, 0, "no maps");
	expect_error("several sources, next file differs", m, 2, "none is named as map 2's \"file\" \"c.js\"");
	{
		TuMap		pair[2] = {m[0], m[2]};

		expect_error("several sources, next has no file", pair, 2, "(it has none)");
	}
	for (int i = 0; i < 3; i++)
		tu_map_free(&m[i]);
}

int
main(void)
{
	char	   *data = tu_path(tu_test_dir(), "data");
	char	   *dir = tu_path(data, "compose");
	static const char *chains[] = {"toastr", "jquery", "ts3", "rollup", "edge"};

	for (size_t i = 0; i < sizeof(chains) / sizeof(chains[0]); i++)
		check_chain(data, chains[i]);
	check_errors();
	free(dir);
	free(data);
	return tu_finish("compose", &counts);
}
