/* fileid.h - what makes an input file the same file as before: its size
 * and a digest of all its bytes.
 *
 * A resumed import (cli/batch.c) skips the rows an earlier run of the same
 * file committed, so "the same file" must mean the same bytes: a file
 * edited in place keeps its size and may keep its mtime (cp -p, rsync,
 * a second's resolution), and a digest of its first and last megabytes
 * misses an edit in the middle. The digest is XXH64 (base/hash64.h) of
 * the whole file, 1 MiB at a time, each chunk's hash the seed of the
 * next: one read at several GB/s, a small part of what importing the
 * same bytes costs.
 */
#ifndef CRM_FILEID_H
#define CRM_FILEID_H

#include <stdint.h>

struct crm_err;

struct crm_fileid {
	unsigned long long size;
	uint64_t digest;
};

/* The identity of the regular file open on fd, read with pread (the
 * file's position is left alone). Returns 0, CRM_EX_NOINPUT (66) with e
 * set when fd is not a regular file, or CRM_EX_IOERR (74) on a read
 * error. */
int crm_fileid_of(int fd, struct crm_fileid *id, struct crm_err *e);

/* The digest as 16 lower-case hex digits. */
void crm_fileid_hex(const struct crm_fileid *id, char out[17]);

#endif
