/*
 * build_value.c -- write the stored form that a core builds from a JSON
 * source map: build_value IN.map OUT.smap.  make.sh compiles it against
 * the core of a release taken from git history, to make the fixtures in
 * this folder; it uses only sm_build, which every release has.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sm_map.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	long		n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
		fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t) n + 1)) == NULL ||
		fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		fprintf(stderr, "build_value: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*len = (size_t) n;
	return buf;
}

int
main(int argc, char **argv)
{
	size_t		len,
				out_len;
	char	   *json;
	uint8_t    *out;
	SmError		err = {0};
	FILE	   *f;

	if (argc != 3)
	{
		fprintf(stderr, "usage: build_value IN.map OUT.smap\n");
		return 2;
	}
	json = slurp(argv[1], &len);
	if (!sm_build(json, len, &sm_malloc_env, 0, &out, &out_len, &err))
	{
		fprintf(stderr, "build_value: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	f = fopen(argv[2], "wb");
	if (f == NULL || fwrite(out, 1, out_len, f) != out_len || fclose(f) != 0)
	{
		fprintf(stderr, "build_value: cannot write %s\n", argv[2]);
		return 1;
	}
	free(out);
	free(json);
	return 0;
}
