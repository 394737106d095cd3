/*
 * fuzz_url.c -- the URL code of sm_url.h on arbitrary bytes: resolving a
 * reference against a base, candidate keys, bundler prefixes.
 *
 * The input is "base 0xFF relative" (no 0xFF: the whole input is the
 * reference, the base is "https://h/d/f").  Checked:
 * - sm_url_resolve returns 1, 0 or -1 (-1 only with an error set); an
 *   answer is NUL-terminated at its length, valid UTF-8 and holds no C0
 *   control (they are percent-encoded or refused); when base or reference is an absolute
 *   URL, the answer parses again, and resolving the empty reference against
 *   it gives it back without its fragment (the serializer's output is a
 *   fixed point of the parser);
 *   with one allocation made to fail, the result is -1 with SM_E_NOMEM or
 *   the same answer;
 * - sm_url_candidates: 1 to SM_URL_MAX_CANDIDATES keys, the first the
 *   input itself, every key a slice of the input, no two the same;
 * - sm_url_strip_prefix: a suffix of the input.
 * Everything runs on the allocation-tracking environment: no leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sm_buf.h"
#include "fuzz_common.h"
#include "symbolicate/sm_url.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Resolve on env e; checks the contract of the return value. */
static int
resolve(FzEnv *e, const char *base, size_t blen, const char *rel, size_t rlen, char **out,
		size_t *out_len)
{
	SmError		err = {0};
	int			r = sm_url_resolve(base, blen, rel, rlen, &e->env, out, out_len, &err);

	FZ_CHECK(r >= -1 && r <= 1, "resolve returned %d", r);
	FZ_CHECK(r != -1 || err.code != SM_OK, "resolve failed without an error");
	FZ_CHECK(r == 1 || *out == NULL, "resolve failed but gave an answer");
	if (r == 1)
	{
		FZ_CHECK(*out != NULL && (*out)[*out_len] == '\0', "answer not NUL-terminated");
		for (size_t i = 0; i < *out_len; i++)
			FZ_CHECK((uint8_t) (*out)[i] >= 0x20, "control byte 0x%02x in the answer at %zu",
					 (uint8_t) (*out)[i], i);
		FZ_CHECK(sm_text_valid((const uint8_t *) *out, *out_len), "the answer is not UTF-8");
	}
	return r;
}

/* Does s start with a URL scheme and ':' (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ))? */
static bool
has_scheme(const char *s, size_t n)
{
	size_t		k = 1;

	if (n == 0 || !(((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')))
		return false;
	while (k < n && (((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z') ||
					 (s[k] >= '0' && s[k] <= '9') || s[k] == '+' || s[k] == '-' || s[k] == '.'))
		k++;
	return k < n && s[k] == ':';
}

static void
fuzz_resolve(const char *base, size_t blen, const char *rel, size_t rlen)
{
	FzEnv		e;
	char	   *out = NULL;
	size_t		out_len = 0;
	int			r;

	fz_env_init(&e, 0);
	r = resolve(&e, base, blen, rel, rlen, &out, &out_len);
	/* a URL, not a path resolved against a path (whose answer is a path) */
	if (r == 1 && has_scheme(out, out_len) &&
		(has_scheme(base, blen) || has_scheme(rel, rlen)))
	{
		char	   *again = NULL;
		size_t		again_len = 0;
		const char *hash = memchr(out, '#', out_len);
		size_t		want = hash ? (size_t) (hash - out) : out_len;
		int			r2 = resolve(&e, out, out_len, "", 0, &again, &again_len);

		FZ_CHECK(r2 != -1, "the answer does not parse again");
		FZ_CHECK(r2 == 0 || (again_len == want && memcmp(again, out, want) == 0),
				 "not a fixed point: \"%.*s\" gives \"%.*s\"", (int) out_len, out,
				 (int) again_len, again);
		e.env.free(e.env.ctx, again);
	}
	if (fz_inject_failures() && e.nallocs > 0)
	{
		FzEnv		f;
		char	   *out2 = NULL;
		size_t		len2 = 0;
		int			r2;

		fz_env_init(&f, 1 + (long) (fz_hash((const uint8_t *) rel, rlen) % (uint64_t) e.nallocs));
		r2 = resolve(&f, base, blen, rel, rlen, &out2, &len2);
		FZ_CHECK(r2 == r || (r2 == -1 && f.failed), "allocation failure changed %d into %d", r, r2);
		FZ_CHECK(r2 != 1 || (len2 == out_len && memcmp(out2, out, out_len) == 0),
				 "allocation failure changed the answer");
		f.env.free(f.env.ctx, out2);
		fz_env_check_clean(&f, "fuzz_url (allocation failure)");
	}
	e.env.free(e.env.ctx, out);
	fz_env_check_clean(&e, "fuzz_url");
}

static void
fuzz_candidates(const char *s, size_t n)
{
	SmUrlCandidate c[SM_URL_MAX_CANDIDATES];
	int			k = sm_url_candidates(s, n, c);
	const char *p;
	size_t		len;

	FZ_CHECK(k >= 1 && k <= SM_URL_MAX_CANDIDATES, "%d candidates", k);
	FZ_CHECK(!c[0].tilde && c[0].ptr == s && c[0].len == n, "the first candidate is not the input");
	for (int i = 0; i < k; i++)
	{
		FZ_CHECK(c[i].ptr >= s && c[i].len <= n && (size_t) (c[i].ptr - s) <= n - c[i].len,
				 "candidate %d outside the input", i);
		for (int j = 0; j < i; j++)
			FZ_CHECK(c[i].tilde != c[j].tilde || c[i].len != c[j].len ||
					 memcmp(c[i].ptr, c[j].ptr, c[i].len) != 0, "candidates %d and %d equal", j, i);
	}
	sm_url_strip_prefix(s, n, &p, &len);
	FZ_CHECK(p >= s && len <= n && p + len == s + n, "stripped prefix is not a suffix");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	const uint8_t *sep = memchr(data, 0xFF, size);

	if (sep)
	{
		size_t		blen = (size_t) (sep - data);

		fuzz_resolve(s, blen, s + blen + 1, size - blen - 1);
		fuzz_candidates(s + blen + 1, size - blen - 1);
	}
	else
	{
		fuzz_resolve("https://h/d/f", strlen("https://h/d/f"), s, size);
		fuzz_candidates(s, size);
	}
	return 0;
}
