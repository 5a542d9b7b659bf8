/* batch.h - the driver every batch import shares (contacts, interactions,
 * ...): reads CSV/TSV with a header line, hands each row to a callback
 * inside a savepoint, and keeps the promise of DESIGN.md:
 *
 *   - good rows commit, bad rows are rejected with their line number and
 *     reason: to --rejects FILE (CSV: line, reason, then the row's own
 *     columns) or, without it, to stderr (the first 20);
 *   - --strict: one transaction that commits only if no row was rejected;
 *   - --dry-run: everything is checked and done, then rolled back;
 *   - otherwise a commit about every second, so other writers get their
 *     turn and a killed run keeps what it committed (re-runs are made
 *     idempotent by the callback's natural key);
 *   - progress on a terminal, a summary line when stderr is a terminal,
 *     with -v, or when rows were rejected; nothing with -q.
 */
#ifndef CRM_BATCH_H
#define CRM_BATCH_H

#include <stddef.h>

#include "csvio.h"

struct crm;
struct crm_err;
struct crm_store;

struct crm_batch_opts {
	const char *path;              /* FILE, or "-" for stdin */
	enum crm_csv_format format;    /* CRM_CSV_AUTO unless forced */
	const char *rejects_path;      /* NULL: report rejects on stderr */
	int strict;
	int dry_run;
	int vcard;                     /* 1: read vCards as rows (contact_vcard.h);
					  -1: so when a file starts with
					  BEGIN:VCARD; 0: never */
};

struct crm_batch_counts {
	unsigned long read;
	unsigned long added;
	unsigned long updated;
	unsigned long unchanged;
	unsigned long skipped;
	unsigned long rejected;
};

struct crm_batch_ops {
	/* Called once with the header row; 0, or an exit code with e set to
	 * stop before any row (e.g. no usable column). */
	int (*header)(void *ctx, const struct crm_csv_row *header,
		      struct crm_err *e);
	/* Called for each good row inside a savepoint. Returns 0 after
	 * counting the row in counts (added, updated, ...); CRM_EX_DATAERR
	 * with e set rejects the row (its writes are rolled back); any other
	 * code stops the batch. */
	int (*row)(void *ctx, const struct crm_csv_row *row,
		   struct crm_batch_counts *counts, struct crm_err *e);
};

/* Runs the batch. Returns 0 when every row was good; CRM_EX_DATAERR when
 * rows were rejected (in strict mode nothing was committed); another exit
 * code (66 no input, 74, 75, ...) after printing the error. */
int crm_batch_run(struct crm *crm, struct crm_store *s,
		  const struct crm_batch_opts *opts,
		  const struct crm_batch_ops *ops, void *ctx,
		  struct crm_batch_counts *counts);

#endif
