/*
 * core_bench.c -- the core outside PostgreSQL: how fast sm_build() turns a
 * map's JSON into the stored form, how big that is, and what a lookup costs
 * on it in memory, cold (open + lookup + strings + close) and warm.
 *
 *   cc -O2 -Isrc/core bench/core_bench.c src/core/[all .c files] -lz [-DSM_BLOCK_SEGMENTS=64 ...]
 *   (bench/Makefile builds every variant)
 *   core_bench [--build-reps N] [--cold N] [--warm N] [--seed S] MAP.json ...
 *
 * The build knobs are compile-time (SM_BLOCK_SEGMENTS, SM_BLOCK_ZLEVEL,
 * SM_CONTENT_ZLEVEL, SM_STRTAB_CHUNK_BYTES), so bench/run compiles one
 * binary per variant; -DBENCH_VARIANT names it in the output.
 *
 * Output: one tab-separated line per map (header line first, '#' lines are
 * comments):
 *   variant map json_bytes stored_bytes first_ms build_ms build_cpu_ms mb_s
 *   mb_s_cpu peak_alloc_bytes segments blocks_bytes content_bytes
 *   strings_bytes cold_us cold_slices cold_bytes warm_ns scan_mb_s_cpu
 *   copy_mb_s_cpu build_per_scan
 * first_ms      wall time of the first sm_build() in the process: its memory
 *               is fresh, so page faults are paid (see --fault-probe)
 * build_ms      median wall time of the next --build-reps runs, which reuse
 *               the process's memory (malloc is told to keep freed memory);
 *               build_cpu_ms: median CPU time of the same runs (the process
 *               clock, so time lost to other processes on a busy machine is
 *               not counted); mb_s and mb_s_cpu = json_bytes / those
 * peak_alloc    most memory sm_build() held at once (its own allocations,
 *               counted through the SmEnv allocator), output included
 * blocks/content/strings_bytes  sizes of the stored sections (mapping
 *               blocks + index; sourcesContent + index; string chunks +
 *               directories)
 * cold_us       CPU time of sm_open() through a fetch callback + one
 *               sm_lookup() at a random segment position (column + 0..2) +
 *               its source and name strings + sm_close(), per lookup;
 *               cold_slices / cold_bytes: fetch calls and bytes fetched per
 *               cold lookup (what PostgreSQL reads from TOAST per cold lookup)
 * warm_ns       CPU time of one sm_lookup() + strings on a map opened once
 *               with a 32 MB block cache (as the backend cache gives it)
 * scan_mb_s_cpu baselines measured in the same runs as build_cpu_ms (each
 * copy_mb_s_cpu timed run does the three in turn, medians): a minimal JSON
 *               tokenizer over the same bytes (strings with escapes,
 *               structural characters; what any parser must at least do)
 *               and a memcpy of them; build_per_scan = build CPU time /
 *               scan CPU time, a speed that means something on a loaded
 *               machine (bench/README.md)
 *
 * --fault-probe prints, before the maps, what touching fresh memory costs
 * here: "# fault_probe first_touch_us_per_page=... reuse_us_per_page=...".
 *
 * --fill N prints, per map, what filling a cache costs (what a fresh
 * backend pays per map): the map opened in memory with a block cache large
 * enough for all of it, one lookup at every 1024th segment (each block read
 * once: inflated, decoded, packed), closed; the best CPU time of N rounds:
 * "# fill MAP lookups=... best_ms=...".
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>

#include "format/sm_blocks.h"
#include "format/sm_format.h"
#include "sm_core.h"
#include "bench_util.h"

/* the banner shows the knobs given with -D; "-" means src/core's default */
#define BENCH_STR2(x) #x
#define BENCH_STR(x) BENCH_STR2(x)
#ifdef SM_CONTENT_ZLEVEL
#define CONTENT_ZLEVEL_SHOWN BENCH_STR(SM_CONTENT_ZLEVEL)
#else
#define CONTENT_ZLEVEL_SHOWN "-"
#endif
#include "format/sm_strtab.h"
#ifndef BENCH_VARIANT
#define BENCH_VARIANT "default"
#endif

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Touch 32 MB of fresh anonymous memory, then the same memory again. */
static void
fault_probe(void)
{
	size_t		n = 32u << 20;
	volatile char *p;
	double		t0,
				t1,
				t2;

	t0 = now_ms();
	p = malloc(n);
	if (p == NULL)
		return;
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	t1 = now_ms();
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 2;
	t2 = now_ms();
	free((void *) p);
	printf("# fault_probe first_touch_us_per_page=%.2f reuse_us_per_page=%.4f\n",
		   (t1 - t0) * 1e3 / (n / 4096), (t2 - t1) * 1e3 / (n / 4096));
}

/* ---- a counting allocator: current and peak bytes held ---------------- */

static size_t cur_bytes,
			peak_bytes;

typedef union
{
	size_t		n;
	long double ld;
	void	   *p;
} Hdr;

static void *
c_alloc(void *ctx, size_t n)
{
	Hdr		   *h = malloc(sizeof(Hdr) + (n ? n : 1));

	(void) ctx;
	if (h == NULL)
		return NULL;
	h->n = n;
	cur_bytes += n;
	if (cur_bytes > peak_bytes)
		peak_bytes = cur_bytes;
	return h + 1;
}

static void *
c_realloc(void *ctx, void *p, size_t n)
{
	Hdr		   *h;
	size_t		old;

	if (p == NULL)
		return c_alloc(ctx, n);
	h = (Hdr *) p - 1;
	old = h->n;
	h = realloc(h, sizeof(Hdr) + (n ? n : 1));
	if (h == NULL)
		return NULL;
	h->n = n;
	cur_bytes = cur_bytes - old + n;
	if (cur_bytes > peak_bytes)
		peak_bytes = cur_bytes;
	return h + 1;
}

static void
c_free(void *ctx, void *p)
{
	Hdr		   *h;

	(void) ctx;
	if (p == NULL)
		return;
	h = (Hdr *) p - 1;
	cur_bytes -= h->n;
	free(h);
}

static const SmEnv count_env = {c_alloc, c_realloc, c_free, NULL, NULL};

/* ---- fetch callback over a buffer, counting slices --------------------- */

typedef struct
{
	const uint8_t *data;
	size_t		len;
	uint64_t	calls;
	uint64_t	bytes;
} Fetch;

static const uint8_t *
fetch(void *ctx, uint32_t off, uint32_t len, bool keep, SmError *err)
{
	Fetch	   *f = ctx;

	if ((size_t) off + len > f->len)
	{
		sm_fail(err, SM_E_BINARY, "fetch past the end");
		return NULL;
	}
	(void) keep;				/* slices point into the value itself */
	f->calls++;
	f->bytes += len;
	return f->data + off;
}

/* ---- helpers ------------------------------------------------------------ */

static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * The baseline parse: one pass over the JSON, in and out of strings (with
 * backslash escapes), counting structural characters.  Returns the count,
 * so the work cannot be optimised away.
 */
static uint64_t
scan_json(const char *s, size_t n)
{
	uint64_t	tokens = 0;
	size_t		i = 0;

	while (i < n)
	{
		char		c = s[i++];

		if (c == '"')
		{
			while (i < n && s[i] != '"')
				i += s[i] == '\\' ? 2 : 1;
			i++;
			tokens++;
		}
		else
			tokens += c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
	}
	return tokens;
}

static void
die(const char *what, const char *map, const SmError *err)
{
	fprintf(stderr, "core_bench: %s failed on %s: %s\n", what, map, err->msg);
	exit(1);
}

static uint32_t
section_len(const uint8_t *v, int sec)
{
	return sm_get32(v + SM_HEADER_SIZE + sec * SM_TOC_ENTRY_SIZE + 4);
}

/* Resolve the strings of a mapping, as the SQL lookup does. */
static uint64_t
touch_strings(SmMap *m, const SmMapping *mp, const char *map)
{
	SmError		err = {0};
	SmStr		s;
	uint64_t	sink = 0;

	if (mp->source != SM_NONE)
	{
		if (!sm_source(m, mp->source, &s, &err))
			die("sm_source", map, &err);
		sink += s.len;
	}
	if (mp->name != SM_NONE)
	{
		if (!sm_name(m, mp->name, &s, &err))
			die("sm_name", map, &err);
		sink += s.len;
	}
	return sink;
}

/* --fill: the best CPU time of n rounds of reading every block once into a cache */
static void
fill_cache(const char *path, const uint8_t *v, size_t len, const uint32_t *pl,
		   const uint32_t *pc, uint64_t npos, int n)
{
	double		best = 0;
	uint64_t	lookups = 0;

	for (int r = 0; r < n; r++)
	{
		SmError		err = {0};
		SmMapping	mp;
		double		c0 = bench_cpu_ms();
		SmMap	   *m = sm_open_buffer(&sm_malloc_env, v, len, &err);

		if (m == NULL)
			die("sm_open_buffer", path, &err);
		sm_set_block_cache(m, (size_t) 1 << 31);
		lookups = 0;
		for (uint64_t j = 0; j < npos; j += 1024, lookups++)
			if (sm_lookup(m, pl[j], pc[j], SM_BIAS_GLB, &mp, &err) < 0)
				die("sm_lookup", path, &err);
		sm_close(m);
		if (r == 0 || bench_cpu_ms() - c0 < best)
			best = bench_cpu_ms() - c0;
	}
	printf("# fill %s lookups=%llu best_ms=%.2f\n", path, (unsigned long long) lookups, best);
}

int
main(int argc, char **argv)
{
	int			build_reps = 5;
	int			ncold = 2000;
	int			nwarm = 200000;
	int			nfill = 0;
	int			i;
	bool		probe = false;
	volatile uint64_t sink = 0;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++)
	{
		if (strcmp(argv[i], "--build-reps") == 0 && i + 1 < argc)
			build_reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--cold") == 0 && i + 1 < argc)
			ncold = atoi(argv[++i]);
		else if (strcmp(argv[i], "--warm") == 0 && i + 1 < argc)
			nwarm = atoi(argv[++i]);
		else if (strcmp(argv[i], "--fault-probe") == 0)
			probe = true;
		else if (strcmp(argv[i], "--fill") == 0 && i + 1 < argc)
			nfill = atoi(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 10) * 2654435761u + 1;
		else
		{
			fprintf(stderr, "usage: core_bench [--build-reps N] [--cold N] [--warm N] [--seed S] [--fault-probe] [--fill N] MAP...\n");
			return 2;
		}
	}
	if (build_reps < 1)
		build_reps = 1;
	if (probe)
		fault_probe();
	/* keep freed memory in the process, so repeated builds reuse it */
	mallopt(M_MMAP_THRESHOLD, 1 << 30);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);

	printf("# variant=%s block_segments=%d block_zlevel=%d content_zlevel=%s strtab_chunk_bytes=%d\n",
		   BENCH_VARIANT, SM_BLOCK_SEGMENTS, SM_BLOCK_ZLEVEL, CONTENT_ZLEVEL_SHOWN,
		   SM_STRTAB_CHUNK_BYTES);
	printf("variant\tmap\tjson_bytes\tstored_bytes\tfirst_ms\tbuild_ms\tbuild_cpu_ms\tmb_s\tmb_s_cpu\tpeak_alloc_bytes"
		   "\tsegments\tblocks_bytes\tcontent_bytes\tstrings_bytes\tcold_us\tcold_slices\tcold_bytes\twarm_ns"
		   "\tscan_mb_s_cpu\tcopy_mb_s_cpu\tbuild_per_scan\n");
	fflush(stdout);

	for (; i < argc; i++)
	{
		const char *path = argv[i];
		size_t		len;
		char	   *json = bench_must_read(path, &len);
		double	   *t = malloc(sizeof(double) * build_reps);
		double	   *tc = malloc(sizeof(double) * build_reps);
		double	   *ts = malloc(sizeof(double) * build_reps);
		double	   *tcp = malloc(sizeof(double) * build_reps);
		char	   *copy = malloc(len ? len : 1);
		double		first = 0;
		uint8_t    *out = NULL;
		size_t		out_len = 0;
		SmError		err = {0};
		SmMap	   *m;
		SmInfo		info;
		uint32_t   *pl,
				   *pc;
		uint64_t	npos = 0,
					cap;
		SmIter	   *it;
		SmMapping	mp;
		int			r;
		double		cold_us = 0,
					warm_ns = 0;
		Fetch		f;
		const uint8_t *v;

		/* build: one untimed run (page faults, caches), then timed runs */
		for (r = -1; r < build_reps; r++)
		{
			double		t0,
						c0;

			if (r >= 0)
			{
				/* the baselines, next to each timed build */
				c0 = bench_cpu_ms();
				sink += scan_json(json, len);
				ts[r] = bench_cpu_ms() - c0;
				c0 = bench_cpu_ms();
				memcpy(copy, json, len);
				sink += (unsigned char) copy[len / 2];
				tcp[r] = bench_cpu_ms() - c0;
			}
			cur_bytes = peak_bytes = 0;
			t0 = now_ms();
			c0 = bench_cpu_ms();
			if (!sm_build(json, len, &count_env, 0, &out, &out_len, &err))
				die("sm_build", path, &err);
			if (r >= 0)
			{
				t[r] = now_ms() - t0;
				tc[r] = bench_cpu_ms() - c0;
			}
			else
				first = now_ms() - t0;
			if (r < build_reps - 1)
				c_free(NULL, out);
		}
		qsort(t, build_reps, sizeof(double), bench_cmp_double);
		qsort(tc, build_reps, sizeof(double), bench_cmp_double);
		qsort(ts, build_reps, sizeof(double), bench_cmp_double);
		qsort(tcp, build_reps, sizeof(double), bench_cmp_double);
		v = out;

		/* every segment position, for random lookups */
		m = sm_open_buffer(&sm_malloc_env, out, out_len, &err);
		if (m == NULL || !sm_info(m, &info, &err))
			die("sm_open_buffer", path, &err);
		cap = info.segments ? info.segments : 1;
		pl = malloc(sizeof(uint32_t) * cap);
		pc = malloc(sizeof(uint32_t) * cap);
		it = sm_iter_begin(m, &err);
		if (it == NULL)
			die("sm_iter_begin", path, &err);
		while ((r = sm_iter_next(it, &mp, &err)) == 1 && npos < cap)
		{
			pl[npos] = mp.gen_line;
			pc[npos] = mp.gen_col;
			npos++;
		}
		if (r < 0)
			die("sm_iter_next", path, &err);
		sm_iter_end(it);

		/* warm: one open map, block cache as the backend's (half of 64 MB) */
		sm_set_block_cache(m, 32u << 20);
		if (npos > 0 && nwarm > 0)
		{
			double		t0;

			for (int k = 0; k < 1000; k++)
			{
				uint64_t	j = rnd() % npos;

				if (sm_lookup(m, pl[j], pc[j] + (uint32_t) (rnd() % 3), SM_BIAS_GLB, &mp, &err) < 0)
					die("sm_lookup", path, &err);
			}
			t0 = bench_cpu_ms();
			for (int k = 0; k < nwarm; k++)
			{
				uint64_t	j = rnd() % npos;
				int			rc = sm_lookup(m, pl[j], pc[j] + (uint32_t) (rnd() % 3), SM_BIAS_GLB, &mp, &err);

				if (rc < 0)
					die("sm_lookup", path, &err);
				if (rc == 1)
					sink += touch_strings(m, &mp, path) + mp.orig_line;
			}
			warm_ns = (bench_cpu_ms() - t0) * 1e6 / nwarm;
		}
		sm_close(m);

		if (nfill > 0)
			fill_cache(path, out, out_len, pl, pc, npos, nfill);

		/* cold: open through slices, one lookup, its strings, close */
		memset(&f, 0, sizeof(f));
		f.data = out;
		f.len = out_len;
		if (npos > 0 && ncold > 0)
		{
			double		t0 = bench_cpu_ms();

			for (int k = 0; k < ncold; k++)
			{
				uint64_t	j = rnd() % npos;
				SmMap	   *cm = sm_open(&sm_malloc_env, (uint32_t) out_len, fetch, &f, &err);
				int			rc;

				if (cm == NULL)
					die("sm_open", path, &err);
				rc = sm_lookup(cm, pl[j], pc[j] + (uint32_t) (rnd() % 3), SM_BIAS_GLB, &mp, &err);
				if (rc < 0)
					die("sm_lookup", path, &err);
				if (rc == 1)
					sink += touch_strings(cm, &mp, path) + mp.orig_line;
				sm_close(cm);
			}
			cold_us = (bench_cpu_ms() - t0) * 1e3 / ncold;
		}

		{
			const char *base = path;
			const char *c = strstr(path, "corpus/");

			if (c)
				base = c + strlen("corpus/");
			/* medians (the mean of the middle two for an even count) */
			double		bw = (t[(build_reps - 1) / 2] + t[build_reps / 2]) / 2,
						bc = (tc[(build_reps - 1) / 2] + tc[build_reps / 2]) / 2,
						sc = (ts[(build_reps - 1) / 2] + ts[build_reps / 2]) / 2,
						cc = (tcp[(build_reps - 1) / 2] + tcp[build_reps / 2]) / 2;

			printf("%s\t%s\t%zu\t%zu\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%zu\t%llu\t%u\t%u\t%u\t%.2f\t%.2f\t%.0f\t%.1f"
				   "\t%.1f\t%.1f\t%.3f\n",
				   BENCH_VARIANT, base, len, out_len, first, bw, bc,
				   len / 1e6 / (bw / 1e3), len / 1e6 / (bc / 1e3),
				   peak_bytes, (unsigned long long) info.segments,
				   section_len(v, SM_SEC_BLOCKS) + section_len(v, SM_SEC_BLOCK_INDEX),
				   section_len(v, SM_SEC_CONTENT) + section_len(v, SM_SEC_CONTENT_INDEX),
				   section_len(v, SM_SEC_SOURCES) + section_len(v, SM_SEC_NAMES) +
				   section_len(v, SM_SEC_SOURCES_DATA) + section_len(v, SM_SEC_NAMES_DATA),
				   cold_us,
				   ncold ? (double) f.calls / ncold : 0.0,
				   ncold ? (double) f.bytes / ncold : 0.0,
				   warm_ns, len / 1e6 / (sc / 1e3), len / 1e6 / (cc / 1e3), bc / sc);
			fflush(stdout);
		}
		c_free(NULL, out);
		free(pl);
		free(pc);
		free(t);
		free(tc);
		free(ts);
		free(tcp);
		free(copy);
		free(json);
	}
	if (sink == 42)
		fprintf(stderr, " ");
	return 0;
}
