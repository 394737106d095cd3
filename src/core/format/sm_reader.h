/*
 * sm_reader.h -- what the reader (sm_reader.c) offers the layers above
 * beyond the public interface of sm_map.h: the complete checks of an
 * untrusted value that need only the stored form's own parts.  sm_validate.c
 * runs them, in this order, with the checks that need the function table
 * and the JSON size in between.
 */
#ifndef SM_READER_H
#define SM_READER_H

#include "format/sm_map.h"

/* The header's checksum matches the bytes after the table of contents. */
bool		sm_check_checksum(SmMap *m, SmError *err);

/* Every mapping block decodes, in order, with the counts the header promises. */
bool		sm_check_blocks(SmMap *m, SmError *err);

/*
 * Every string chunk and sourcesContent entry decodes and fills its
 * section, the ignore list is sorted source indexes, and every name is
 * valid text.
 */
bool		sm_check_strings(SmMap *m, SmError *err);

#endif							/* SM_READER_H */
