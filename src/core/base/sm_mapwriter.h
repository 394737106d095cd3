/*
 * sm_mapwriter.h -- writing a "mappings" string from segments given in
 * generated order: line separators, the relative Base64 VLQ fields, and
 * interrupt polls on long runs.  The JSON writer (io/sm_json_out.c) and
 * map composition (symbolicate/sm_compose.c) both produce mappings this way.
 */
#ifndef SM_MAPWRITER_H
#define SM_MAPWRITER_H

#include "base/sm_buf.h"

/* A field value meaning "absent" (no source: a 1-field segment; no name). */
#define SM_MW_NONE UINT32_MAX

typedef struct SmMapWriter
{
	SmBuf	   *out;
	uint32_t	line;			/* generated line of the last segment */
	bool		first_in_line;
	int64_t		col,
				src,
				oline,
				ocol,
				name;
	uint64_t	count;
} SmMapWriter;

/* Start writing into out (nothing is written yet: no quotes either). */
void		smmw_init(SmMapWriter *w, SmBuf *out);

/*
 * Append one segment; line/col must not go back.  src SM_MW_NONE writes a
 * 1-field segment (oline, ocol, name ignored); name SM_MW_NONE a 4-field one.
 */
bool		smmw_add(SmMapWriter *w, uint32_t line, uint32_t col, uint32_t src, uint32_t oline,
					 uint32_t ocol, uint32_t name);

/* End with nlines generated lines in all (no-op when the segments reach that far). */
bool		smmw_finish(SmMapWriter *w, uint32_t nlines);

#endif							/* SM_MAPWRITER_H */
