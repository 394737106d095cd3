/*
 * replay_main.c -- run a fuzz target's LLVMFuzzerTestOneInput on files,
 * without libFuzzer, so that any compiler (gcc, with or without
 * sanitizers) can replay the seed corpus and the regression inputs.
 *
 *   replay-<target> [-n NAME] [-1] FILE|DIR...
 *
 * Every regular file given, and every regular file under each directory
 * given (recursively, in name order), is one input.  Each input runs in a
 * child process of its own, so a crash, an abort from an oracle, or a
 * sanitizer report (which exits non-zero) fails that input only; -1 runs
 * them all in this process instead (for a debugger).  The last line of
 * output is "NAME: N passed, M failed" (NAME defaults to "replay").
 * The exit status is 0 only if nothing failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct List
{
	char	  **v;
	size_t		n;
	size_t		cap;
} List;

static void
list_add(List *l, char *s)
{
	if (l->n == l->cap)
	{
		char	  **nv;

		l->cap = l->cap ? l->cap * 2 : 64;
		nv = realloc(l->v, l->cap * sizeof(char *));
		if (nv == NULL)
		{
			perror("realloc");
			exit(2);
		}
		l->v = nv;
	}
	l->v[l->n++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static char *
join(const char *dir, const char *name)
{
	size_t		n = strlen(dir) + strlen(name) + 2;
	char	   *p = malloc(n);

	if (p == NULL)
	{
		perror("malloc");
		exit(2);
	}
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Add path (a file, or every file under a directory) to files. */
static void
collect(List *files, const char *path)
{
	struct stat st;
	DIR		   *d;
	struct dirent *de;
	List		names = {0};

	if (stat(path, &st) != 0)
	{
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (!S_ISDIR(st.st_mode))
	{
		if (S_ISREG(st.st_mode))
			{
			char	   *copy = strdup(path);

			if (copy == NULL)
			{
				perror("strdup");
				exit(2);
			}
			list_add(files, copy);
		}
		return;
	}
	d = opendir(path);
	if (d == NULL)
	{
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((de = readdir(d)) != NULL)
	{
		if (de->d_name[0] == '.')
			continue;			/* ., .., and hidden files (.gitkeep) */
		list_add(&names, join(path, de->d_name));
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < names.n; i++)
	{
		collect(files, names.v[i]);
		free(names.v[i]);
	}
	free(names.v);
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t		cap = 0,
				n = 0;

	if (f == NULL)
		return NULL;
	for (;;)
	{
		size_t		got;

		if (n == cap)
		{
			unsigned char *nb;

			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (nb == NULL)
			{
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	/* an exact-size copy, so that a read past the end is caught */
	{
		unsigned char *exact = malloc(n ? n : 1);

		if (exact == NULL)
		{
			free(buf);
			return NULL;
		}
		memcpy(exact, buf, n);
		free(buf);
		*len = n;
		return exact;
	}
}

/* Run one input in this process; 0 if it returned. */
static int
run_one(const char *path)
{
	size_t		len = 0;
	unsigned char *data = read_file(path, &len);

	if (data == NULL)
	{
		fprintf(stderr, "replay: cannot read %s\n", path);
		return 1;
	}
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *name = "replay";
	int			no_fork = 0;
	List		files = {0};
	long		passed = 0,
				failed = 0;
	int			i;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "-1") == 0)
			no_fork = 1;
		else
			collect(&files, argv[i]);
	}
	if (files.n == 0)
	{
		fprintf(stderr, "usage: %s [-n NAME] [-1] FILE|DIR...  (no input files found)\n", argv[0]);
		return 2;
	}
	for (size_t k = 0; k < files.n; k++)
	{
		int			bad;

		fflush(stdout);
		fflush(stderr);
		if (no_fork)
			bad = run_one(files.v[k]);
		else
		{
			pid_t		pid = fork();
			int			status = 0;

			if (pid < 0)
			{
				perror("fork");
				return 2;
			}
			if (pid == 0)
				exit(run_one(files.v[k]));	/* exit(): LeakSanitizer checks the child */
			while (waitpid(pid, &status, 0) < 0)
			{
				if (errno != EINTR)
				{
					perror("waitpid");
					return 2;
				}
			}
			if (WIFEXITED(status))
				bad = WEXITSTATUS(status) != 0;
			else
			{
				bad = 1;
				if (WIFSIGNALED(status))
					fprintf(stderr, "replay: %s: killed by signal %d\n", files.v[k],
							WTERMSIG(status));
			}
		}
		if (bad)
		{
			failed++;
			printf("FAIL: %s\n", files.v[k]);
		}
		else
			passed++;
	}
	printf("%s: %ld passed, %ld failed\n", name, passed, failed);
	for (size_t k = 0; k < files.n; k++)
		free(files.v[k]);
	free(files.v);
	return failed ? 1 : 0;
}
