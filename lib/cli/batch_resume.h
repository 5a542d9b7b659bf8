/* batch_resume.h - the record that lets a killed import resume: which
 * file it read (size and digest, io/fileid.h), read how, and where its
 * committed rows end (table import_resume, migration 0009).
 *
 * The batch driver (batch.h) saves it in the transaction of every commit
 * but the last, which clears it: so the record always says exactly what
 * the store holds, and a finished import leaves none.
 */
#ifndef CRM_BATCH_RESUME_H
#define CRM_BATCH_RESUME_H

#include <stddef.h>

#include "io/fileid.h"

struct crm_err;
struct crm_store;

/* What a record is found by: the command ("crm-contact import"), how the
 * input is read (format and reading options, as text), and the file's
 * identity. path (the file as given) only names it: an import that starts
 * a file from the top drops the records of other contents of that path. */
struct crm_batch_resume_key {
	const char *command;
	const char *reading;
	const char *path;
	struct crm_fileid id;
};

/* Where the committed rows end. */
struct crm_batch_resume {
	unsigned long long offset;  /* byte offset where the next row starts */
	unsigned long line;         /* the line number of that byte */
	unsigned long rows;         /* rows read before it */
	unsigned long rejected;     /* of them rejected */
};

/* The record of k into *r, with its rejects lines (allocated, caller
 * frees; NULL when not wanted) and *found = 1, or *found = 0. Returns 0
 * or an exit code with e set. */
int crm_batch_resume_find(struct crm_store *s, const struct crm_batch_resume_key *k,
			  struct crm_batch_resume *r, char **rejects, int *found,
			  struct crm_err *e);

/* Writes the record of k: r, and the rejects lines (n bytes of rejects
 * CSV, no header) appended to those it holds (append) or instead of them
 * (a run that started from the top). Drops the records of other contents
 * of k's path. Returns 0 or an exit code with e set. */
int crm_batch_resume_save(struct crm_store *s, const struct crm_batch_resume_key *k,
			  const struct crm_batch_resume *r, const char *rejects, size_t n,
			  int append, struct crm_err *e);

/* Drops the record of k and any other of its path: the import finished.
 * Returns 0 or an exit code with e set. */
int crm_batch_resume_clear(struct crm_store *s, const struct crm_batch_resume_key *k,
			   struct crm_err *e);

#endif
