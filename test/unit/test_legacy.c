/*
 * test_legacy.c -- values stored by older releases (sm_legacy.c), read from
 * the fixtures of test/data/legacy (made by the cores of those commits from
 * vendored maps; fixtures.tsv says which):
 *   - a value stored by release 0.1.0 or 0.2.0 (format version 1) converts
 *     to the content today's sm_build makes of the same JSON (for 0.1.0, to
 *     exactly its bytes; 0.2.0's keep their zlib-compressed parts), and
 *     reads the same through the API: every segment, source, name and
 *     content, and the JSON form;
 *   - a 0.2.0 value also opens in place (sm_open reads that layout) with
 *     the same answers and JSON;
 *   - values in the current layout are not taken for old ones;
 *   - a development snapshot's value (ten sections, other blocks) is
 *     refused with SM_E_BINARY, never converted;
 *   - damaged 0.1.0 and 0.2.0 values (every truncation, with and without a header
 *     fixed up to match; a bit flip at every byte with the checksum fixed
 *     up) are refused with SM_E_BINARY or convert to a value that passes
 *     sm_validate.  `make asan` / `make valgrind` run the same checks for
 *     memory safety.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/sm_digest.h"
#include "format/sm_format.h"
#include "io/sm_legacy.h"
#include "test_util.h"

/* values up to this size get every flip position, larger ones a sample */
#define SMALL_VALUE 16384
#define SAMPLE_FLIPS 1024

static TuCounts total;
/* the fixture being checked: its name starts with its release */
static const char *release;

/* The same segments, in the same order, from both maps. */
static bool
same_segments(SmMap *a, SmMap *b, const char *what)
{
	SmError		err = {0};
	SmIter	   *ia = sm_iter_begin(a, &err);
	SmIter	   *ib = sm_iter_begin(b, &err);
	SmMapping	x,
				y;
	long		n = 0;
	bool		ok = ia != NULL && ib != NULL;

	while (ok)
	{
		int			ra = sm_iter_next(ia, &x, &err);
		int			rb = sm_iter_next(ib, &y, &err);

		if (ra < 0 || rb < 0 || ra != rb)
			ok = false;
		else if (ra == 0)
			break;
		else
			ok = memcmp(&x, &y, sizeof(x)) == 0;
		n++;
	}
	if (ia)
		sm_iter_end(ia);
	if (ib)
		sm_iter_end(ib);
	return tu_check(&total, ok, "%s: segments differ at %ld (%s)", what, n, err.msg);
}

static bool
same_str(const SmStr *a, const SmStr *b)
{
	return a->isnull == b->isnull && a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

/* Sources (resolved), names and contents of both maps agree. */
static void
same_strings(SmMap *a, SmMap *b, const char *what)
{
	SmError		err = {0};
	SmInfo		ia,
				ib;
	bool		ok;

	if (!tu_check(&total, sm_info(a, &ia, &err) && sm_info(b, &ib, &err) &&
				  ia.sources == ib.sources && ia.names == ib.names &&
				  ia.segments == ib.segments && ia.generated_lines == ib.generated_lines &&
				  same_str(&ia.file, &ib.file) && same_str(&ia.source_root, &ib.source_root),
				  "%s: info differs", what))
		return;
	ok = true;
	for (uint32_t i = 0; ok && i < ia.sources; i++)
	{
		char	   *sa = tu_resolved_source(a, i, &ok, &err);
		char	   *sb = ok ? tu_resolved_source(b, i, &ok, &err) : NULL;
		char	   *ca = NULL,
				   *cb = NULL;
		uint32_t	la = 0,
					lb = 0;
		bool		na,
					nb;

		ok = ok && (sa == NULL) == (sb == NULL) && (sa == NULL || strcmp(sa, sb) == 0) &&
			sm_source_ignored(a, i) == sm_source_ignored(b, i) &&
			sm_source_content(a, i, &ca, &la, &na, &err) &&
			sm_source_content(b, i, &cb, &lb, &nb, &err) &&
			na == nb && la == lb && (la == 0 || memcmp(ca, cb, la) == 0);
		free(sa);
		free(sb);
		sm_free(&sm_malloc_env, ca);
		sm_free(&sm_malloc_env, cb);
		tu_check(&total, ok, "%s: source %u differs (%s)", what, i, err.msg);
	}
	for (uint32_t i = 0; ok && i < ia.names; i++)
	{
		SmStr		x,
					y;

		ok = sm_name(a, i, &x, &err) && sm_name(b, i, &y, &err) && same_str(&x, &y);
		tu_check(&total, ok, "%s: name %u differs (%s)", what, i, err.msg);
	}
}

/* The value (len bytes) opens and reads exactly as today's build `now`. */
static void
same_as_today(const uint8_t *v, size_t len, SmMap *now, const char *what, const char *how)
{
	SmError		err = {0};
	SmMap	   *m = sm_open_buffer(&sm_malloc_env, v, len, &err);
	char	   *ja = NULL,
			   *jb = NULL;
	size_t		la = 0,
				lb = 0;

	if (!tu_check(&total, m != NULL, "%s: %s value does not open: %s", what, how, err.msg))
		return;
	same_segments(m, now, what);
	same_strings(m, now, what);
	tu_check(&total, sm_to_json(m, 0, &ja, &la, &err) && sm_to_json(now, 0, &jb, &lb, &err) &&
			 la == lb && memcmp(ja, jb, la) == 0, "%s: JSON forms differ (%s)", what, how);
	sm_free(&sm_malloc_env, ja);
	sm_free(&sm_malloc_env, jb);
	sm_close(m);
}

/* A value stored by 0.1.0 or 0.2.0 against today's build of the same JSON. */
static void
check_release(const uint8_t *old, size_t old_len, const char *map_path, const char *what)
{
	TuMap		now;
	SmError		err = {0};
	uint8_t    *conv = NULL;
	size_t		conv_len = 0;

	tu_check(&total, sm_legacy_detect(old, old_len), "%s: not detected as an older layout", what);
	if (!tu_check(&total, tu_map_build_file(map_path, &now, &err), "%s: build %s: %s", what,
				  map_path, err.msg))
		return;
	tu_check(&total, !sm_legacy_detect(now.data, now.len),
			 "%s: today's value taken for an older layout", what);
	if (!tu_check(&total, sm_legacy_convert(old, old_len, &sm_malloc_env, 3, &conv, &conv_len, &err),
				  "%s: refused: %s", what, err.msg))
	{
		tu_map_free(&now);
		return;
	}
	{
		int			c = 2;

		/* 0.1.0's go through sm_build, so are its bytes; 0.2.0's keep their zlib parts */
		if (strncmp(release, "0.1.0", 5) == 0)
			tu_check(&total, conv_len == now.len + 3 && memcmp(conv + 3, now.data, now.len) == 0,
					 "%s: converted bytes (%zu) differ from today's build (%zu)", what, conv_len - 3, now.len);
		tu_check(&total, sm_content_cmp(conv + 3, conv_len - 3, now.data, now.len, &sm_malloc_env, &c, &err) &&
				 c == 0, "%s: converted value is not today's content (%s)", what, err.msg);
	}
	tu_check(&total, sm_validate(conv + 3, conv_len - 3, &sm_malloc_env, &err),
			 "%s: converted value does not validate: %s", what, err.msg);
	same_as_today(conv + 3, conv_len - 3, now.map, what, "converted");
	/* release 0.2.0's values are also read in place, without conversion */
	if (strncmp(release, "0.2.0", 5) == 0)
		same_as_today(old, old_len, now.map, what, "read in place");
	sm_free(&sm_malloc_env, conv);
	tu_map_free(&now);
}

/*
 * Convert v; it must be refused with SM_E_BINARY, or (unless must_refuse)
 * give a value that validates.  Returns whether it was refused.
 */
static bool
convert_damaged(const uint8_t *v, size_t len, bool must_refuse, const char *what, size_t at)
{
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;

	if (sm_legacy_convert(v, len, &sm_malloc_env, 0, &out, &out_len, &err))
	{
		SmError		verr = {0};

		tu_check(&total, !must_refuse, "%s at %zu: accepted", what, at);
		tu_check(&total, sm_validate(out, out_len, &sm_malloc_env, &verr),
				 "%s at %zu: accepted, but the result does not validate: %s", what, at, verr.msg);
		sm_free(&sm_malloc_env, out);
		return false;
	}
	tu_check(&total, err.code == SM_E_BINARY && strstr(err.msg, "release 0.") != NULL,
			 "%s at %zu: refused with code %d: %s", what, at, (int) err.code, err.msg);
	return true;
}

/* The checksum of the header made to match the bytes after the prefix. */
static void
fix_checksum(uint8_t *v, size_t len)
{
	size_t		prefix = SM_HEADER_SIZE + (strncmp(release, "0.2.0", 5) == 0 ? 11 : 10) * SM_TOC_ENTRY_SIZE;

	if (len >= prefix)
		sm_put64(v + SM_H_CHECKSUM, sm_checksum(v + prefix, len - prefix));
}

static void
check_damage(const uint8_t *old, size_t len, const char *what)
{
	uint8_t    *v = malloc(len);
	size_t		step = len <= SMALL_VALUE ? 1 : len / SAMPLE_FLIPS + 1;
	long		refused = 0,
				flips = 0;

	if (v == NULL)
		exit(2);
	for (size_t n = 0; n < len; n += step)
	{
		convert_damaged(old, n, true, "truncation", n);
		/* the same, with the length and checksum in the header fixed up */
		memcpy(v, old, n);
		if (n >= SM_HEADER_SIZE)
			sm_put32(v + SM_H_TOTAL, (uint32_t) n);
		fix_checksum(v, n);
		convert_damaged(v, n, true, "truncation with a fixed-up header", n);
	}
	for (size_t at = 0; at < len; at += step)
	{
		memcpy(v, old, len);
		v[at] ^= (uint8_t) (1u << (at % 8));
		fix_checksum(v, len);
		refused += convert_damaged(v, len, false, "bit flip", at);
		flips++;
	}
	printf("%s: %ld of %ld bit flips refused, the others convert to valid values\n",
		   what, refused, flips);
	free(v);
}

int
main(void)
{
	char	   *dir = tu_path(tu_test_dir(), "data/legacy");
	char	   *list = tu_path(dir, "fixtures.tsv");
	char	   *corpus = tu_path(tu_test_dir(), "data/corpus");
	size_t		list_len;
	char	   *text = tu_read_file(list, &list_len);
	int			releases = 0,
				current = 0,
				snapshots = 0;

	if (!tu_check(&total, text != NULL, "cannot read %s", list))
		return tu_finish("legacy", &total);
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
	{
		char		fixture[256],
					commit[64],
					map[256];
		char	   *path,
				   *map_path;
		uint8_t    *old;
		size_t		old_len;

		if (line[0] == '#' || sscanf(line, "%255[^\t]\t%63[^\t]\t%255[^\t]", fixture, commit, map) != 3)
			continue;
		path = tu_path(dir, fixture);
		map_path = tu_path(corpus, map);
		old = (uint8_t *) tu_read_file(path, &old_len);
		if (tu_check(&total, old != NULL, "cannot read %s", path))
		{
			release = fixture;
			if (strncmp(fixture, "0.1.0--", 7) == 0)
			{
				check_release(old, old_len, map_path, fixture);
				check_damage(old, old_len, fixture);
				releases++;
			}
			else if (strncmp(fixture, "0.2.0--", 7) == 0)
			{
				check_release(old, old_len, map_path, fixture);
				check_damage(old, old_len, fixture);
				current++;
			}
			else
			{
				tu_check(&total, sm_legacy_detect(old, old_len), "%s: not detected", fixture);
				tu_check(&total, convert_damaged(old, old_len, true, fixture, 0),
						 "%s: a development snapshot's value was converted", fixture);
				snapshots++;
			}
		}
		free(old);
		free(path);
		free(map_path);
	}
	tu_check(&total, releases >= 3 && current >= 3 && snapshots >= 2,
			 "fixtures: %d of 0.1.0, %d of 0.2.0, %d of snapshots", releases, current, snapshots);
	printf("legacy: %d values of release 0.1.0, %d of 0.2.0, %d of a development snapshot\n",
		   releases, current, snapshots);
	free(text);
	free(list);
	free(dir);
	free(corpus);
	return tu_finish("legacy", &total);
}
