/*
 * sm_limits.h -- the named limits on what a source map may hold.  Each is
 * checked before anything of that size is allocated, and exceeding one is
 * an SM_E_LIMIT error (SQLSTATE 54000) naming the limit.  They sit far above
 * real maps (the largest corpus map: 31 MB, 3.1 million segments, 135,000
 * generated lines, 39,000 names) and keep a hostile document's memory use in
 * proportion to its size.  README.md lists them.
 */
#ifndef SM_LIMITS_H
#define SM_LIMITS_H

/* A JSON document (and any single string in it): PostgreSQL's 1 GB. */
#define SM_MAX_DOCUMENT_BYTES	0x3FFFFFFFu

/* Entries of "sources" (and so of "sourcesContent" and "ignoreList"), all sections together. */
#define SM_MAX_SOURCES			(1u << 22)

/* Entries of "names", all sections together. */
#define SM_MAX_NAMES			(1u << 24)

/* Mapping segments, all sections together. */
#define SM_MAX_SEGMENTS			(1u << 25)

/* Generated lines (one more than the ';' in "mappings"). */
#define SM_MAX_LINES			(1u << 30)

/* Sections of one index map. */
#define SM_MAX_SECTIONS			(1u << 16)

/* Index maps nested in index maps. */
#define SM_MAX_MAP_DEPTH		8

/* The function table (FUNCTIONS section) of one map. */
#define SM_MAX_FUNCTIONS_BYTES	(256u << 20)

/* The stored value: PostgreSQL's 1 GB varlena limit. */
#define SM_MAX_VALUE_BYTES		0x3FFFFFFFu

#endif							/* SM_LIMITS_H */
