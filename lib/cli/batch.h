/* batch.h - the driver every batch import shares (contacts, interactions,
 * ...): reads CSV/TSV with a header line, hands each row to a callback
 * inside a savepoint, and keeps the promise of DESIGN.md (the header line
 * may instead be given as --no-header --columns a,b,c):
 *
 *   - good rows commit, bad rows are rejected with their line number and
 *     reason: to --rejects FILE (CSV: line, reason, then the row's own
 *     columns) or, without it, to stderr (the first 20);
 *   - --strict: one transaction that commits only if no row was rejected;
 *   - --dry-run: everything is checked and done, then rolled back;
 *   - otherwise a commit about every second, so other writers get their
 *     turn and a killed run keeps what it committed (re-runs are made
 *     idempotent by the callback's natural key);
 *   - each of those commits records, in its transaction, which file is
 *     read (size and digest of its bytes, io/fileid.h) and where the rows
 *     it committed end (batch_resume.h); a re-run of the same command on
 *     the same bytes, read the same way, starts there (a CSV/TSV reader
 *     seeks to the byte, the caller's reader reads past that many rows),
 *     writes the rejects of the rows it skips to its rejects file, and
 *     says so in the summary; stdin that is not a regular file, --strict,
 *     --dry-run and --no-resume start from the top; the last commit
 *     clears the record, so a finished import is read again in full;
 *   - tests set $CRM_TEST_COMMIT_ROWS=N to commit every N rows instead of
 *     every second, and $CRM_TEST_KILL_AFTER_COMMITS=K to be killed
 *     (SIGKILL) right after the Kth of those commits;
 *   - progress on a terminal, a summary line when stderr is a terminal,
 *     with -v, or when rows were rejected; nothing with -q.
 */
#ifndef CRM_BATCH_H
#define CRM_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "io/csvio.h"

struct crm;
struct crm_buf;
struct crm_err;
struct crm_store;

/* A reader of rows other than CSV/TSV, supplied by the caller (a domain's
 * own format: contact_vcard.h reads vCards as rows), so the driver knows
 * no format of a domain. Its first row is the header. */
struct crm_batch_source {
	const char *name;              /* "vCard", for messages */
	/* 1 if fp (a seekable file, at its start) holds this format; fp is
	 * left where it was. */
	int (*detect)(FILE *fp);
	/* Reads from fp (not closed by the reader); name is for messages. */
	void *(*open)(FILE *fp, const char *name);
	/* 1 with *row, 0 at the end, or an exit code with e set. */
	int (*next)(void *src, struct crm_csv_row *row, struct crm_err *e);
	/* Bytes of input consumed so far (for progress). */
	unsigned long long (*offset)(const void *src);
	void (*close)(void *src);
};

struct crm_batch_opts {
	const char *path;              /* FILE, or "-" for stdin */
	enum crm_csv_format format;    /* CRM_CSV_AUTO unless forced */
	const char *rejects_path;      /* NULL: report rejects on stderr */
	int strict;
	int dry_run;
	int no_resume;                 /* --no-resume: from the top, always */
	const struct crm_batch_source *source; /* or NULL: CSV/TSV only */
	int use_source;                /* 1: read the input with source;
					  -1: so when source->detect() says
					  a file holds its format; 0: never */

	/* How the input is written (--delimiter, --no-header, --columns,
	 * --decimal), kept as given; crm_batch_check checks them. */
	const char *delimiter;         /* NULL: by format; ",", ";", "tab"
					  (or a tab), "whitespace" */
	int no_header;                 /* no header line: names from columns */
	const char *columns;           /* "a,b,c": the column names */
	const char *decimal;           /* NULL or ".": 1,234.50; ",": 1.234,50 */

	/* How its dates are written (--date-format), checked by
	 * crm_batch_check; the callbacks apply it to every date column. */
	const char *date_format;       /* strptime-style (dates.h), or NULL: ISO */
	size_t block_rows;             /* rows per sorted block of the
					  two-step form; 0: 50,000 */
};

/* The options every batch import takes: --rejects FILE, --strict,
 * --no-resume, -n/--dry-run, those of CRM_BATCH_INPUT_LONGOPTS and --date-format FMT.
 * Put CRM_BATCH_LONGOPTS in the command's option table and "n" in its
 * short options, and hand each option to crm_batch_option. */
enum { CRM_BATCH_OPT_REJECTS = 0x4000, CRM_BATCH_OPT_STRICT, CRM_BATCH_OPT_NO_RESUME,
       CRM_BATCH_OPT_DATE_FORMAT = 0x4100 };
#define CRM_BATCH_LONGOPTS \
	{ "rejects", required_argument, NULL, CRM_BATCH_OPT_REJECTS }, \
	{ "strict", no_argument, NULL, CRM_BATCH_OPT_STRICT }, \
	{ "no-resume", no_argument, NULL, CRM_BATCH_OPT_NO_RESUME }, \
	{ "dry-run", no_argument, NULL, 'n' }, \
	CRM_BATCH_INPUT_LONGOPTS, \
	{ "date-format", required_argument, NULL, CRM_BATCH_OPT_DATE_FORMAT }

/* How the input is written: --delimiter D, --no-header, --columns LIST,
 * --decimal MARK; part of CRM_BATCH_LONGOPTS. */
enum {
	CRM_BATCH_OPT_DELIMITER = 0x4010,
	CRM_BATCH_OPT_NO_HEADER,
	CRM_BATCH_OPT_COLUMNS,
	CRM_BATCH_OPT_DECIMAL,
};
#define CRM_BATCH_INPUT_LONGOPTS \
	{ "delimiter", required_argument, NULL, CRM_BATCH_OPT_DELIMITER }, \
	{ "no-header", no_argument, NULL, CRM_BATCH_OPT_NO_HEADER }, \
	{ "columns", required_argument, NULL, CRM_BATCH_OPT_COLUMNS }, \
	{ "decimal", required_argument, NULL, CRM_BATCH_OPT_DECIMAL }
/* Their lines for a command's --help. */
#define CRM_BATCH_INPUT_HELP \
	"  --delimiter D     , ; tab or whitespace (default: detected)\n" \
	"  --no-header --columns A,B,...\n" \
	"                    no header line in the input: its columns are A,B,...\n" \
	"  --decimal MARK    . (1,234.50, the default) or , (1.234,50)\n"

/* Sets o from opt (arg is kept, not copied): 1 if opt was one of them,
 * else 0. Values are checked by crm_batch_check. */
int crm_batch_option(struct crm_batch_opts *o, int opt, const char *arg);

/* Checks the options' values and how they combine (--no-header and
 * --columns go together; neither nor --delimiter with the input of
 * opts->source (e.g. vCard) when use_source is 1; a
 * --date-format crm_datefmt_check accepts).
 * Returns 0, or CRM_EX_USAGE after printing the error. crm_batch_run
 * checks too; a command calls it early to fail before opening a store. */
int crm_batch_check(const struct crm *crm, const struct crm_batch_opts *o);

/* The decimal mark numbers and amounts are read with: '.' or ','. */
char crm_batch_decimal(const struct crm_batch_opts *o);

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

	/* Optional, instead of row: two steps, for inputs whose writes go
	 * much faster in another order than the file's (interactions come in
	 * time order, their indexes are by contact). prepare() checks a row
	 * and reads what it needs, writing nothing, and returns a small sort
	 * key (allocated, freed with free_key) or NULL with e set:
	 * CRM_EX_DATAERR rejects the row, any other code stops the batch. The
	 * rows of a block (up to 50,000, kept as packed text) are then
	 * written in order() of their keys, ties in file order, each by
	 * apply() inside a savepoint, which gets the row again and rejects or
	 * stops as row() does. Rejects found by apply() reach the rejects
	 * file after those prepare() found in the same block. */
	void *(*prepare)(void *ctx, const struct crm_csv_row *row, struct crm_err *e);
	int (*apply)(void *ctx, const void *key, const struct crm_csv_row *row,
		     struct crm_batch_counts *counts, struct crm_err *e);
	int (*order)(const void *key_a, const void *key_b);
	void (*free_key)(void *key);

	/* Optional, with apply: called before the first apply() of each
	 * block and after its last (before the block's rows count as done),
	 * for an importer that looks up what the whole block names in one
	 * query and writes the rows it can in bulk. An exit code with e set
	 * stops the batch. */
	int (*begin_apply)(void *ctx, struct crm_err *e);
	int (*end_apply)(void *ctx, struct crm_err *e);

	/* Optional: window() (called after header()) gives a number of rows
	 * N, or 0. With N > 0 the driver reads N rows ahead, hands them all
	 * to lookahead() (which may look up what they name at once, writing
	 * nothing a reject would have to undo), then to row() or prepare()
	 * one by one as usual, and commits only between windows. */
	size_t (*window)(void *ctx);
	int (*lookahead)(void *ctx, const struct crm_csv_row *rows, size_t n,
			 struct crm_err *e);

	/* Optional: called after header(); 0 when a row's result depends on
	 * the rows before it in a way a resumed run could not rebuild (the
	 * lines of an order numbered as they come), so that the import is
	 * never resumed and reads its file from the top each time. */
	int (*resumable)(void *ctx);

	/* 1: row() opens the savepoint itself (crm_store_savepoint) before
	 * the first write a reject would have to undo, and only when it may
	 * reject after writing; the driver rolls back to it or releases it.
	 * A row written by one statement, or none, needs none: a failed
	 * statement undoes itself. Saves a savepoint's page copies per row. */
	int lazy_savepoint;

	/* Optional: called before each commit (and before the last one), in
	 * the transaction, for what the rows of a transaction share; an exit
	 * code with e set stops the batch. */
	int (*before_commit)(void *ctx, struct crm_err *e);

	/* Optional: appends to the summary line what the import has to say
	 * once (e.g. "; kept as attributes: Country"). */
	void (*summary)(void *ctx, struct crm_buf *line);
};

/* Runs the batch. Returns 0 when every row was good; CRM_EX_DATAERR when
 * rows were rejected (in strict mode nothing was committed); another exit
 * code (66 no input, 74, 75, ...) after printing the error. */
int crm_batch_run(struct crm *crm, struct crm_store *s,
		  const struct crm_batch_opts *opts,
		  const struct crm_batch_ops *ops, void *ctx,
		  struct crm_batch_counts *counts);

#endif
