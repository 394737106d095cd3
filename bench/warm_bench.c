/*
 * warm_bench.c -- the core's share of a per-frame LATERAL lookup with every
 * map cached ("same session, again" in bench/RESULTS.md), outside
 * PostgreSQL: all maps open at once with their blocks kept packed in one
 * shared pool, as a backend's cache keeps them, and frames spread over the
 * maps in random order or sorted by (map, line, column).  Each frame is
 * sm_lookup() plus reading the source and name texts made once per map (as
 * the glue keeps ready text values and copies them into the result row).
 *
 *   warm_bench [--frames N] [--rounds R] [--order random|sorted] [--cache DIR] MAP.json ...
 *
 * N frames per map (default 20000, at random segment positions, column +
 * 0..2), R timed passes after one warm-up pass (default 5); prints the
 * median and the least CPU ns per frame.  --cache DIR keeps each map's
 * stored value in DIR so that later runs (another build of the core, or
 * under valgrind) skip sm_build.  The function measure_frames() holds the
 * timed loop alone, so that
 *   valgrind --tool=callgrind --cache-sim=yes --toggle-collect=measure_frames
 * counts the instructions and simulated cache misses of the lookups only
 * (this VM exposes no hardware counters to perf).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_pool.h"
#include "sm_core.h"
#include "bench_util.h"

typedef struct Map
{
	SmMap	   *m;
	SmStr	   *sources;		/* texts made on first use (ptr NULL: not yet) */
	SmStr	   *names;
	uint32_t	nsources,
				nnames;
} Map;

typedef struct Frame
{
	uint32_t	map,
				line,
				col;
} Frame;

/* splitmix64: the frames, and their order, are the same in every run */
static uint64_t
rnd(void)
{
	static uint64_t x;
	uint64_t	z = (x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void
die(const char *what, const char *map, const SmError *err)
{
	fprintf(stderr, "warm_bench: %s failed on %s: %s\n", what, map, err ? err->msg : "");
	exit(1);
}

/* The stored value of the map at path: from the cache dir, or built (and kept there). */
static uint8_t *
stored_value(const char *path, const char *cache, int idx, size_t *len)
{
	char		cpath[4096];
	uint8_t    *out = NULL;
	SmError		err = {0};
	size_t		jlen;
	char	   *json;
	FILE	   *f;

	if (cache != NULL)
	{
		snprintf(cpath, sizeof(cpath), "%s/%d.smv", cache, idx);
		if ((out = (uint8_t *) bench_read_file(cpath, len)) != NULL)
			return out;
	}
	json = bench_must_read(path, &jlen);
	if (!sm_build(json, jlen, &sm_malloc_env, 0, &out, len, &err))
		die("sm_build", path, &err);
	free(json);
	if (cache != NULL && (f = fopen(cpath, "wb")) != NULL)
	{
		fwrite(out, 1, *len, f);
		fclose(f);
	}
	return out;
}

/* A text the glue made once for this map (copied in the result row per frame). */
static uint64_t
text_of(Map *mp, bool source, uint32_t idx, const char *path)
{
	SmStr	   *t = source ? &mp->sources[idx] : &mp->names[idx];
	char		row[256];
	SmError		err = {0};

	if (t->ptr == NULL)
	{
		SmStr		s;
		char	   *copy;

		if (!(source ? sm_source(mp->m, idx, &s, &err) : sm_name(mp->m, idx, &s, &err)))
			die("string", path, &err);
		copy = malloc(s.len + 1);
		memcpy(copy, s.ptr, s.len);
		t->ptr = copy;
		t->len = s.len;
	}
	if (t->len == 0)
		return 0;
	memcpy(row, t->ptr, t->len < sizeof(row) ? t->len : sizeof(row));
	return (uint64_t) (unsigned char) row[0] + t->len;
}

/* One frame: the lookup and the texts of its answer. */
static inline uint64_t
frame(Map *maps, const Frame *f, char **paths)
{
	Map		   *mp = &maps[f->map];
	SmMapping	s;
	SmError		err = {0};
	int			r = sm_lookup(mp->m, f->line, f->col, SM_BIAS_GLB, &s, &err);
	uint64_t	sink;

	if (r < 0)
		die("sm_lookup", paths[f->map], &err);
	if (r == 0 || s.source == SM_NONE)
		return 0;
	sink = text_of(mp, true, s.source, paths[f->map]) + s.orig_line + s.orig_col;
	if (s.name != SM_NONE)
		sink += text_of(mp, false, s.name, paths[f->map]);
	return sink;
}

/* The warm-up pass, last frame first, which packs every block (not measured). */
__attribute__((noinline)) static uint64_t
warm_frames(Map *maps, const Frame *fr, size_t n, char **paths)
{
	uint64_t	sink = 0;

	for (size_t i = n; i > 0; i--)
		sink += frame(maps, &fr[i - 1], paths);
	return sink;
}

/* A timed pass; the sum keeps the work from being optimised out. */
__attribute__((noinline)) static uint64_t
measure_frames(Map *maps, const Frame *fr, size_t n, char **paths)
{
	uint64_t	sink = 0;

	for (size_t i = 0; i < n; i++)
		sink += frame(maps, &fr[i], paths);
	return sink;
}

static int
cmp_frame(const void *a, const void *b)
{
	const Frame *x = a,
			   *y = b;

	if (x->map != y->map)
		return x->map < y->map ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

int
main(int argc, char **argv)
{
	size_t		per_map = 20000;
	int			rounds = 5;
	bool		sorted = false;
	const char *cache = NULL;
	int			i,
				nmaps;
	Map		   *maps;
	Frame	   *fr;
	size_t		n = 0;
	SmPool		pool;
	double	   *t;
	volatile uint64_t sink = 0;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++)
	{
		if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc)
			per_map = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--order") == 0 && i + 1 < argc)
			sorted = strcmp(argv[++i], "sorted") == 0;
		else if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
			cache = argv[++i];
		else
		{
			fprintf(stderr, "usage: warm_bench [--frames N] [--rounds R] [--order random|sorted] [--cache DIR] MAP...\n");
			return 2;
		}
	}
	nmaps = argc - i;
	if (nmaps < 1 || rounds < 1)
		return 2;
	maps = calloc((size_t) nmaps, sizeof(Map));
	fr = malloc(sizeof(Frame) * per_map * (size_t) nmaps + 1);
	t = malloc(sizeof(double) * (size_t) rounds);
	sm_pool_init(&pool, &sm_malloc_env, (size_t) 1 << 30);
	for (int k = 0; k < nmaps; k++)
	{
		const char *path = argv[i + k];
		size_t		len;
		uint8_t    *v = stored_value(path, cache, k, &len);
		SmError		err = {0};
		SmInfo		info;
		SmIter	   *it;
		SmMapping	s;
		uint32_t   *pl,
				   *pc;
		size_t		npos = 0;
		int			r;

		maps[k].m = sm_open_buffer(&sm_malloc_env, v, len, &err);
		if (maps[k].m == NULL || !sm_info(maps[k].m, &info, &err))
			die("sm_open_buffer", path, &err);
		sm_set_block_pool(maps[k].m, &pool);
		maps[k].nsources = info.sources;
		maps[k].nnames = info.names;
		maps[k].sources = calloc(info.sources + 1, sizeof(SmStr));
		maps[k].names = calloc(info.names + 1, sizeof(SmStr));
		pl = malloc(sizeof(uint32_t) * (info.segments + 1));
		pc = malloc(sizeof(uint32_t) * (info.segments + 1));
		if ((it = sm_iter_begin(maps[k].m, &err)) == NULL)
			die("sm_iter_begin", path, &err);
		while ((r = sm_iter_next(it, &s, &err)) == 1 && npos < info.segments)
		{
			pl[npos] = s.gen_line;
			pc[npos] = s.gen_col;
			npos++;
		}
		if (r < 0)
			die("sm_iter_next", path, &err);
		sm_iter_end(it);
		for (size_t j = 0; npos > 0 && j < per_map; j++)
		{
			size_t		p = rnd() % npos;

			fr[n].map = (uint32_t) k;
			fr[n].line = pl[p];
			fr[n].col = pc[p] + (uint32_t) (rnd() % 3);
			n++;
		}
		free(pl);
		free(pc);
	}
	if (sorted)
		qsort(fr, n, sizeof(Frame), cmp_frame);
	else
		for (size_t j = n; j > 1; j--)
		{
			size_t		k = rnd() % j;
			Frame		x = fr[j - 1];

			fr[j - 1] = fr[k];
			fr[k] = x;
		}
	sink += warm_frames(maps, fr, n, argv + i);
	for (int r = 0; r < rounds; r++)
	{
		double		c0 = bench_cpu_ms();

		sink += measure_frames(maps, fr, n, argv + i);
		t[r] = (bench_cpu_ms() - c0) * 1e6 / (double) n;
	}
	qsort(t, (size_t) rounds, sizeof(double), bench_cmp_double);
	printf("%s order, %zu frames over %d maps, pool %.1f MB: median %.1f ns/frame, least %.1f (sum %llu)\n",
		   sorted ? "sorted" : "random", n, nmaps, (double) pool.bytes / 1048576.0,
		   t[rounds / 2], t[0], (unsigned long long) sink);
	return 0;
}
