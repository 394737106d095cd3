/*
 * stored_bytes.c -- write what the core makes of one source map to stdout,
 * for test/identity/run.sh, which compares two builds of the core byte for
 * byte.  It depends only on the public interface (sm_map.h), so the same
 * file builds against an older or a newer tree (sm_core.h, or sm_map.h
 * before the core was in layers).
 *
 *   stored_bytes stored MAP          the stored form (sm_build)
 *   stored_bytes source MAP JS       the stored form with function names (sm_build_with_source)
 *   stored_bytes json MAP            the canonical JSON of the stored form (sm_to_json)
 *
 * A map the core refuses prints "error: <code> <message>" instead, so a
 * refusal is compared as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include("sm_core.h")
#include "sm_core.h"		/* the core in layers */
#else
#include "sm_map.h"			/* the flat core before it */
#endif
#else
#include "sm_map.h"
#endif

static char *
slurp(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	long		n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
		!(buf = malloc((size_t) n + 1)) || fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		fprintf(stderr, "stored_bytes: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t) n;
	return buf;
}

static int
refused(const SmError *err)
{
	printf("error: %d %s\n", (int) err->code, err->msg);
	return 0;
}

int
main(int argc, char **argv)
{
	const SmEnv *env = &sm_malloc_env;
	SmError		err = {0};
	uint8_t    *out = NULL;
	size_t		out_len = 0;
	size_t		len;
	char	   *json;
	bool		ok;

	if (argc < 3 || (strcmp(argv[1], "source") == 0 && argc < 4))
	{
		fprintf(stderr, "usage: stored_bytes stored|json MAP | stored_bytes source MAP JS\n");
		return 2;
	}
	json = slurp(argv[2], &len);
	if (strcmp(argv[1], "source") == 0)
	{
		size_t		jslen;
		char	   *js = slurp(argv[3], &jslen);

		ok = sm_build_with_source(json, len, js, jslen, env, 0, &out, &out_len, &err);
		free(js);
	}
	else
		ok = sm_build(json, len, env, 0, &out, &out_len, &err);
	free(json);
	if (!ok)
		return refused(&err);
	if (strcmp(argv[1], "json") == 0)
	{
		SmMap	   *m = sm_open_buffer(env, out, out_len, &err);
		char	   *text = NULL;
		size_t		text_len = 0;

		if (!m || !sm_to_json(m, 0, &text, &text_len, &err))
			return refused(&err);
		fwrite(text, 1, text_len, stdout);
		env->free(env->ctx, text);
		sm_close(m);
	}
	else
		fwrite(out, 1, out_len, stdout);
	env->free(env->ctx, out);
	return 0;
}
