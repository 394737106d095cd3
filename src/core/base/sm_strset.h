/*
 * sm_strset.h -- a set of byte strings that numbers them in the order they
 * were first added (0, 1, 2, ...), as the `sources` and `names` of a map
 * being written: adding a string already present gives its number back.
 * The strings are copied; an open-addressing hash table finds them.
 */
#ifndef SM_STRSET_H
#define SM_STRSET_H

#include "base/sm_buf.h"

typedef struct SmStrSet
{
	SmBuf		bytes;			/* the strings, back to back */
	SmBuf		index;			/* per string: uint64_t offset, uint32_t length, uint32_t hash */
	uint32_t   *slots;			/* string number + 1, 0 for an empty slot */
	uint32_t	nslots;			/* a power of two, at least twice count */
	uint32_t	count;
	const SmEnv *env;
	SmError    *err;
} SmStrSet;

void		smss_init(SmStrSet *s, const SmEnv *env, SmError *err);
void		smss_free(SmStrSet *s);

/* The number of s[0..n), adding it when new (*added tells).  False on error. */
bool		smss_put(SmStrSet *s, const char *p, size_t n, uint32_t *id, bool *added);

/* String id (< count); valid until the next smss_put. */
void		smss_get(const SmStrSet *s, uint32_t id, const char **p, size_t *n);

#endif							/* SM_STRSET_H */
