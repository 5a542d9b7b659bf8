/* outfile.h - output files written safely (--rejects FILE, ...).
 *
 * A regular file (or a new one) is written as a temporary file in the same
 * directory, created exclusively and 0600, and renamed into place when
 * done: no other file is truncated, and a run that fails or is killed
 * leaves the old file as it was (the temporary .NAME.XXXXXX may stay).
 * A device, pipe or socket (/dev/full, a named pipe), and the process's
 * own streams (/dev/stdout, /dev/stderr, /dev/fd/N), are written directly. A symbolic link to a regular file is refused: writing
 * through it would truncate a file elsewhere, replacing it would surprise.
 */
#ifndef CRM_OUTFILE_H
#define CRM_OUTFILE_H

#include <stdio.h>

struct crm_err;

struct crm_outfile {
	FILE *fp;          /* write here */
	char *path;        /* where it goes */
	char *tmp;         /* where it is until committed; NULL when direct */
	const char *what;  /* for messages: "rejects", or NULL */
};

/* Opens path for writing. what names the file in messages ("cannot write
 * rejects to PATH: ..."); NULL for "cannot write PATH: ...". Returns 0, or
 * CRM_EX_IOERR (74) with e set. */
int crm_outfile_open(struct crm_outfile *of, const char *path, const char *what,
		     struct crm_err *e);

/* Flushes and closes the file, and (for a regular file) syncs it and
 * renames it to its path. Returns 0, or CRM_EX_IOERR with e set (the
 * temporary file is then removed). */
int crm_outfile_commit(struct crm_outfile *of, struct crm_err *e);

/* Closes and removes the temporary file (after an error); harmless after
 * commit and on a file that was never opened. */
void crm_outfile_abort(struct crm_outfile *of);

#endif
