/* batch.c - the driver every batch import shares. */
#include "cli/batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/batch_resume.h"
#include "cli/cli.h"
#include "base/dates.h"
#include "base/err.h"
#include "io/fileid.h"
#include "io/outfile.h"
#include "store/store.h"
#include "base/xalloc.h"

#define COMMIT_EVERY_MS 1000
#define PROGRESS_EVERY_MS 100
#define STDERR_REJECTS_MAX 20
#define YIELD_US 20000
#define BLOCK_MAX 50000

/* A row of the block being gathered (the two-step form): its key, and
 * where its fields are in the block's text. */
struct pending {
	void *key;
	int (*order)(const void *, const void *);
	unsigned long line;
	size_t nfields;
	size_t off;
	size_t error_off;            /* + 1 into the text: the reader's error */
	unsigned long long end_offset; /* where the input is read to after it */
	unsigned long end_line;
};

struct source;

struct batch {
	struct crm *crm;
	struct crm_store *store;
	const struct crm_batch_opts *opts;
	const char *name;            /* input name for messages */
	FILE *rejects;               /* rejects_file.fp, or NULL */
	struct crm_outfile rejects_file;
	struct crm_buf line;
	size_t header_n;
	int draw_progress;
	unsigned long long size;     /* input size when it is a file, else 0 */
	long long last_progress_ms;
	long long tx_start_ms;
	const struct crm_batch_ops *ops;
	void *ctx;
	struct pending *pend;        /* the block being gathered */
	size_t npend;
	struct crm_buf text;         /* its rows' fields, each NUL-terminated */
	char **fields;               /* scratch for a row taken back out */
	size_t *lens;
	size_t maxfields;

	/* Resuming (batch_resume.h). */
	int identified;              /* key.id is the input's: a regular file */
	int resumable;               /* and commits save where they got to */
	struct crm_batch_resume_key key;
	char command[128];
	char reading[1024];
	const struct source *src;
	int resumed;                 /* this run started where an earlier stopped */
	unsigned long first_line;    /* the line of its first row */
	int saved;                   /* this run saved the record already */
	struct crm_batch_resume earlier; /* what earlier runs committed */
	struct crm_batch_resume done;    /* where the rows this run finished end */
	struct crm_buf rej_pending;  /* rejects lines of rows not finished */
	struct crm_buf rej_done;     /* of rows finished since the last save */
	unsigned long commit_rows;   /* $CRM_TEST_COMMIT_ROWS: commit so often */
	unsigned long tx_start_read;
	unsigned long kill_after;    /* $CRM_TEST_KILL_AFTER_COMMITS */
	unsigned long commits;
	/* With a window the reader is ahead of the rows: where the row being
	 * processed ends, for mark_done. */
	const struct pending *at;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The rejects file is written for fixing and importing again, so its
 * cells are never formula-guarded (a guard would change the data). */
static int open_rejects(struct batch *b, const struct crm_csv_row *header,
			struct crm_err *e)
{
	if (b->opts->rejects_path == NULL)
		return 0;
	if (crm_outfile_open(&b->rejects_file, b->opts->rejects_path, "rejects", e) != 0)
		return e->code;
	b->rejects = b->rejects_file.fp;
	crm_buf_reset(&b->line);
	crm_buf_adds(&b->line, "line,reason");
	for (size_t i = 0; i < header->nfields; i++) {
		crm_buf_addc(&b->line, ',');
		crm_csv_put_field(&b->line, header->fields[i], header->lens[i], 0);
	}
	crm_buf_addc(&b->line, '\n');
	fwrite(b->line.data, 1, b->line.len, b->rejects);
	return 0;
}

/* A resumable run keeps its rejects lines too, even without a rejects
 * file: a resumed run with one writes those of the rows it skips. */
static void reject(struct batch *b, const struct crm_csv_row *row,
		   const char *reason, struct crm_batch_counts *counts)
{
	counts->rejected++;
	if (b->rejects != NULL || b->resumable) {
		char num[32];

		crm_buf_reset(&b->line);
		snprintf(num, sizeof(num), "%lu,", row->line);
		crm_buf_adds(&b->line, num);
		crm_csv_put_field(&b->line, reason, strlen(reason), 0);
		for (size_t i = 0; i < row->nfields; i++) {
			crm_buf_addc(&b->line, ',');
			crm_csv_put_field(&b->line, row->fields[i], row->lens[i], 0);
		}
		crm_buf_addc(&b->line, '\n');
		if (b->resumable)
			crm_buf_add(&b->rej_pending, b->line.data, b->line.len);
	}
	if (b->rejects != NULL) {
		fwrite(b->line.data, 1, b->line.len, b->rejects);
		return;
	}
	if (counts->rejected <= STDERR_REJECTS_MAX)
		crm_warn(b->crm, "%s:%lu: %s: row rejected", b->name, row->line, reason);
}

/* Where rows come from: a CSV/TSV reader, or the caller's reader (opts
 * source) when the input is in its format. */
struct source {
	struct crm_csv_reader *csv;
	const struct crm_batch_source *other;
	void *other_src;
};

static int source_next(struct source *src, struct crm_csv_row *row, struct crm_err *e)
{
	return src->other_src != NULL ? src->other->next(src->other_src, row, e)
				      : crm_csv_next(src->csv, row, e);
}

static unsigned long long source_offset(const struct source *src)
{
	return src->other_src != NULL ? src->other->offset(src->other_src)
				      : crm_csv_offset(src->csv);
}

/* Where the next row starts: the CSV reader knows its byte and line; the
 * caller's reader is resumed by row count, its line unknown (0). */
static void source_tell(const struct source *src, unsigned long long *offset,
			unsigned long *line)
{
	if (src->csv != NULL) {
		crm_csv_tell(src->csv, offset, line);
	} else {
		*offset = source_offset(src);
		*line = 0;
	}
}

static void source_close(struct source *src)
{
	if (src->other_src != NULL)
		src->other->close(src->other_src);
	if (src->csv != NULL)
		crm_csv_close(src->csv);
	src->other_src = NULL;
	src->csv = NULL;
}

static void progress(struct batch *b, const struct source *r,
		     const struct crm_batch_counts *counts, int final)
{
	long long t;

	if (!b->draw_progress)
		return;
	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	t = now_ms();
	if (t - b->last_progress_ms < PROGRESS_EVERY_MS)
		return;
	b->last_progress_ms = t;
	if (b->size > 0)
		fprintf(stderr, "\r%s: %s: %lu rows, %d%%", b->crm->prog, b->crm->cmd,
			counts->read, (int)(source_offset(r) * 100 / b->size));
	else
		fprintf(stderr, "\r%s: %s: %lu rows", b->crm->prog, b->crm->cmd,
			counts->read);
}

static void summary(struct batch *b, const struct crm_batch_counts *c,
		    int committed)
{
	struct crm_buf s = CRM_BUF_INIT;

	if (b->crm->quiet)
		return;
	if (!(isatty(STDERR_FILENO) || b->crm->verbose || c->rejected > 0 || b->resumed))
		return;
	crm_buf_addf(&s, "%s: %lu read, %lu added, %lu updated", b->name, c->read,
		     c->added, c->updated);
	if (c->unchanged > 0)
		crm_buf_addf(&s, ", %lu unchanged", c->unchanged);
	if (c->skipped > 0)
		crm_buf_addf(&s, ", %lu skipped", c->skipped);
	crm_buf_addf(&s, ", %lu rejected", c->rejected);
	if (c->rejected + b->earlier.rejected > 0 && b->opts->rejects_path != NULL)
		crm_buf_addf(&s, " (see %s)", b->opts->rejects_path);
	else if (c->rejected > STDERR_REJECTS_MAX)
		crm_buf_addf(&s, " (%lu not shown: use --rejects FILE)",
			     c->rejected - STDERR_REJECTS_MAX);
	if (b->resumed) {
		crm_buf_addf(&s, "; resumed at row %lu", b->earlier.rows + 1);
		if (b->first_line > 0)
			crm_buf_addf(&s, " (line %lu)", b->first_line);
		crm_buf_addf(&s, ": rows 1..%lu were imported by an earlier run", b->earlier.rows);
		if (b->earlier.rejected > 0)
			crm_buf_addf(&s, ", %lu of them rejected", b->earlier.rejected);
	}
	if (b->ops->summary != NULL)
		b->ops->summary(b->ctx, &s);
	if (b->opts->dry_run)
		crm_buf_adds(&s, "; dry run, nothing written");
	else if (!committed)
		crm_buf_adds(&s, "; --strict: nothing written");
	crm_warn(b->crm, "%s", crm_buf_str(&s));
	crm_buf_free(&s);
}

/* The rows read so far are finished (written or rejected): what a
 * commit now keeps. The two-step form finishes a block at a time. */
static void mark_done(struct batch *b, const struct crm_batch_counts *counts)
{
	if (!b->resumable)
		return;
	if (b->at != NULL) {
		b->done.offset = b->at->end_offset;
		b->done.line = b->at->end_line;
	} else {
		source_tell(b->src, &b->done.offset, &b->done.line);
	}
	b->done.rows = b->earlier.rows + counts->read;
	b->done.rejected = b->earlier.rejected + counts->rejected;
	crm_buf_add(&b->rej_done, b->rej_pending.data, b->rej_pending.len);
	crm_buf_reset(&b->rej_pending);
}

/* Writes, in the transaction about to commit, where its rows end. */
static int save_resume(struct batch *b, struct crm_err *e)
{
	int rc;

	if (!b->resumable || b->done.rows == 0)
		return 0;
	rc = crm_batch_resume_save(b->store, &b->key, &b->done, b->rej_done.data,
				   b->rej_done.len, b->resumed || b->saved, e);
	if (rc == 0) {
		b->saved = 1;
		crm_buf_reset(&b->rej_done);
	}
	return rc;
}

/* Commits and begins again when the transaction has run a while (or
 * $CRM_TEST_COMMIT_ROWS rows), so other writers get their turn and a
 * killed run keeps what it did (not in strict or dry-run mode). */
static int maybe_commit(struct batch *b, const struct crm_batch_counts *counts,
			struct crm_err *e)
{
	long long t;
	int rc;

	if (b->opts->strict || b->opts->dry_run)
		return 0;
	t = now_ms();
	if (b->commit_rows > 0 ? counts->read - b->tx_start_read < b->commit_rows
			       : t - b->tx_start_ms < COMMIT_EVERY_MS)
		return 0;
	rc = b->ops->before_commit != NULL ? b->ops->before_commit(b->ctx, e) : 0;
	if (rc == 0 && b->ops->prepare == NULL)
		mark_done(b, counts);
	if (rc == 0)
		rc = save_resume(b, e);
	if (rc == 0)
		rc = crm_store_commit(b->store, e);
	/* A test kills the run here, as a user's kill -9 could. */
	if (rc == 0 && b->kill_after > 0 && ++b->commits == b->kill_after)
		raise(SIGKILL);
	/* Step aside for a moment: writers waiting for the lock poll every
	 * few milliseconds (see store.c) and get their turn now. */
	if (rc == 0)
		usleep(YIELD_US);
	if (rc == 0)
		rc = crm_store_begin(b->store, e);
	b->tx_start_ms = now_ms();
	b->tx_start_read = counts->read;
	return rc;
}

static int pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = x->order(x->key, y->key);

	if (c != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static size_t block_rows(const struct batch *b)
{
	return b->opts->block_rows > 0 ? b->opts->block_rows : BLOCK_MAX;
}

/* Keeps row in text (each field as its length, its bytes and a NUL; then
 * the reader's error, ended by a NUL), p saying where. The length is kept
 * because a field may hold a NUL: the reader rejects such a row, and its
 * rejects line must still be the row as it was. */
static void keep_row(struct crm_buf *text, struct pending *p, const struct crm_csv_row *row)
{
	p->line = row->line;
	p->nfields = row->nfields;
	p->off = text->len;
	for (size_t i = 0; i < row->nfields; i++) {
		crm_buf_add(text, &row->lens[i], sizeof(row->lens[i]));
		crm_buf_add(text, row->fields[i], row->lens[i] + 1);
	}
	p->error_off = 0;
	if (row->error != NULL) {
		p->error_off = text->len + 1;
		crm_buf_add(text, row->error, strlen(row->error) + 1);
	}
}

static void pending_push(struct batch *b, void *key, const struct crm_csv_row *row)
{
	struct pending *p;

	if (b->pend == NULL)
		b->pend = xcalloc(block_rows(b), sizeof(*b->pend));
	p = &b->pend[b->npend++];
	p->key = key;
	p->order = b->ops->order;
	keep_row(&b->text, p, row);
	if (row->nfields > b->maxfields) {
		b->maxfields = row->nfields;
		b->fields = xreallocarray(b->fields, b->maxfields, sizeof(*b->fields));
		b->lens = xreallocarray(b->lens, b->maxfields, sizeof(*b->lens));
	}
}

/* Field i of a row kept at *s (keep_row), s moved past it. */
static void kept_field(char **s, char **field, size_t *len)
{
	memcpy(len, *s, sizeof(*len));
	*field = *s + sizeof(*len);
	*s = *field + *len + 1;
}

/* The row of p, taken back out of the block's text. */
static void pending_row(struct batch *b, const struct pending *p, struct crm_csv_row *row)
{
	char *s = b->text.data + p->off;

	memset(row, 0, sizeof(*row));
	for (size_t i = 0; i < p->nfields; i++)
		kept_field(&s, &b->fields[i], &b->lens[i]);
	row->nfields = p->nfields;
	row->fields = b->fields;
	row->lens = b->lens;
	row->line = p->line;
}

static void block_clear(struct batch *b)
{
	for (size_t i = 0; i < b->npend && b->ops->free_key != NULL; i++)
		b->ops->free_key(b->pend[i].key);
	b->npend = 0;
	crm_buf_reset(&b->text);
}

/* Writes the gathered block in key order, each row in a savepoint. */
static int flush_block(struct batch *b, struct crm_batch_counts *counts,
		       struct crm_err *e)
{
	struct crm_csv_row row;
	int rc = 0;

	qsort(b->pend, b->npend, sizeof(*b->pend), pending_cmp);
	if (b->ops->begin_apply != NULL)
		rc = b->ops->begin_apply(b->ctx, e);
	for (size_t i = 0; i < b->npend && rc == 0; i++) {
		pending_row(b, &b->pend[i], &row);
		rc = crm_store_savepoint(b->store, e);
		if (rc != 0)
			break;
		crm_err_clear(e);
		rc = b->ops->apply(b->ctx, b->pend[i].key, &row, counts, e);
		if (rc == CRM_EX_DATAERR) {
			crm_store_rollback_to(b->store);
			reject(b, &row, e->msg, counts);
			rc = 0;
		} else if (rc != 0) {
			crm_store_rollback_to(b->store);
			crm_err_prefix(e, "%s:%lu", b->name, row.line);
		} else {
			rc = crm_store_release(b->store, e);
		}
	}
	if (rc == 0 && b->ops->end_apply != NULL)
		rc = b->ops->end_apply(b->ctx, e);
	block_clear(b);
	if (rc == 0)
		mark_done(b, counts);
	return rc;
}

static int process_row(struct batch *b, void *ctx, const struct crm_batch_ops *ops,
		       const struct crm_csv_row *row,
		       struct crm_batch_counts *counts, struct crm_err *e)
{
	char reason[96];
	int rc;

	counts->read++;
	if (row->error != NULL) {
		reject(b, row, row->error, counts);
		return 0;
	}
	if (row->nfields != b->header_n) {
		snprintf(reason, sizeof(reason), "expected %zu fields, found %zu",
			 b->header_n, row->nfields);
		reject(b, row, reason, counts);
		return 0;
	}
	if (ops->prepare != NULL) {
		void *key;

		crm_err_clear(e);
		key = ops->prepare(ctx, row, e);
		if (key == NULL) {
			if (e->code != CRM_EX_DATAERR) {
				crm_err_prefix(e, "%s:%lu", b->name, row->line);
				return e->code != 0 ? e->code : CRM_EX_SOFTWARE;
			}
			reject(b, row, e->msg, counts);
			return 0;
		}
		pending_push(b, key, row);
		return b->npend == block_rows(b) ? flush_block(b, counts, e) : 0;
	}
	if (!ops->lazy_savepoint) {
		rc = crm_store_savepoint(b->store, e);
		if (rc != 0)
			return rc;
	}
	crm_err_clear(e);
	rc = ops->row(ctx, row, counts, e);
	if (rc == CRM_EX_DATAERR) {
		crm_store_rollback_to(b->store);
		reject(b, row, e->msg, counts);
		return 0;
	}
	if (rc != 0) {
		crm_store_rollback_to(b->store);
		crm_err_prefix(e, "%s:%lu", b->name, row->line);
		return rc;
	}
	return crm_store_savepoint_depth(b->store) > 0 ? crm_store_release(b->store, e) : 0;
}

/* The rows read ahead (ops->window), kept apart from the block of the
 * two-step form, which they go on to. */
struct window {
	struct pending *rows;
	size_t n;
	struct crm_buf text;
};

/* The window's rows taken back out of its text, each with fields of its
 * own (fields and lens hold them all). */
static void window_rows(const struct window *w, struct crm_csv_row *rows, char **fields,
			size_t *lens)
{
	size_t k = 0;

	for (size_t i = 0; i < w->n; i++) {
		const struct pending *p = &w->rows[i];
		char *t = w->text.data + p->off;

		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].fields = fields + k;
		rows[i].lens = lens + k;
		rows[i].nfields = p->nfields;
		rows[i].line = p->line;
		for (size_t j = 0; j < p->nfields; j++, k++)
			kept_field(&t, &fields[k], &lens[k]);
		if (p->error_off > 0)
			rows[i].error = w->text.data + p->error_off - 1;
	}
}

/* With a window (ops->window): reads up to n rows ahead, hands them to
 * lookahead(), then each to row() or prepare() as without one, and
 * commits (maybe) between windows, when every row read is finished (for
 * the row form; the two-step form's rows are finished by their block).
 * Returns 0 at the end of the input or an exit code with e set. */
static int run_windows(struct batch *b, struct source *r, size_t n,
		       struct crm_batch_counts *counts, struct crm_err *e)
{
	struct window w = { NULL, 0, CRM_BUF_INIT };
	struct crm_csv_row row, *rows;
	char **fields = NULL;
	size_t *lens = NULL, cap = 0;
	int more = 1, rc = 0;

	if (n > BLOCK_MAX)
		n = BLOCK_MAX;
	if (b->commit_rows > 0 && b->commit_rows < n)
		n = b->commit_rows;
	rows = xcalloc(n, sizeof(*rows));
	w.rows = xcalloc(n, sizeof(*w.rows));
	while (more && rc == 0) {
		size_t total = 0;

		while (w.n < n) {
			int got = source_next(r, &row, e);

			if (got != 1) {
				more = 0;
				rc = got;
				break;
			}
			if (b->resumed && b->first_line == 0)
				b->first_line = row.line;
			keep_row(&w.text, &w.rows[w.n], &row);
			source_tell(r, &w.rows[w.n].end_offset, &w.rows[w.n].end_line);
			w.n++;
			total += row.nfields;
		}
		if (rc != 0 || w.n == 0)
			break;
		if (total > cap) {
			cap = total;
			fields = xreallocarray(fields, cap, sizeof(*fields));
			lens = xreallocarray(lens, cap, sizeof(*lens));
		}
		window_rows(&w, rows, fields, lens);
		crm_err_clear(e);
		rc = b->ops->lookahead(b->ctx, rows, w.n, e);
		for (size_t i = 0; i < w.n && rc == 0; i++) {
			b->at = &w.rows[i];
			rc = process_row(b, b->ctx, b->ops, &rows[i], counts, e);
		}
		w.n = 0;
		crm_buf_reset(&w.text);
		if (rc == 0)
			rc = maybe_commit(b, counts, e);
		progress(b, r, counts, 0);
	}
	b->at = NULL;
	crm_buf_free(&w.text);
	free(w.rows);
	free(rows);
	free(fields);
	free(lens);
	return rc;
}

static FILE *open_input(struct batch *b, struct crm_err *e)
{
	FILE *fp;
	struct stat st;

	if (strcmp(b->opts->path, "-") == 0) {
		b->name = "<stdin>";
		fp = stdin;
	} else {
		b->name = b->opts->path;
		fp = fopen(b->opts->path, "r");
		if (fp == NULL) {
			crm_err_set(e, CRM_EX_NOINPUT, "cannot open %s: %s",
				    b->opts->path, strerror(errno));
			return NULL;
		}
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
		b->size = (unsigned long long)st.st_size;
	return fp;
}

int crm_batch_option(struct crm_batch_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case CRM_BATCH_OPT_DELIMITER:
		o->delimiter = arg;
		return 1;
	case CRM_BATCH_OPT_NO_HEADER:
		o->no_header = 1;
		return 1;
	case CRM_BATCH_OPT_COLUMNS:
		o->columns = arg;
		return 1;
	case CRM_BATCH_OPT_DECIMAL:
		o->decimal = arg;
		return 1;
	case CRM_BATCH_OPT_REJECTS:
		o->rejects_path = arg;
		return 1;
	case CRM_BATCH_OPT_STRICT:
		o->strict = 1;
		return 1;
	case CRM_BATCH_OPT_NO_RESUME:
		o->no_resume = 1;
		return 1;
	case 'n':
		o->dry_run = 1;
		return 1;
	case CRM_BATCH_OPT_DATE_FORMAT:
		o->date_format = arg;
		return 1;
	default:
		return 0;
	}
}

/* The input format --delimiter names, CRM_CSV_AUTO for none, or -1 for a
 * bad value. */
static int delimiter_format(const char *d)
{
	if (d == NULL)
		return CRM_CSV_AUTO;
	if (strcmp(d, ",") == 0 || strcmp(d, "comma") == 0)
		return CRM_CSV_COMMA;
	if (strcmp(d, ";") == 0 || strcmp(d, "semicolon") == 0)
		return CRM_CSV_SEMICOLON;
	if (strcmp(d, "\t") == 0 || strcmp(d, "tab") == 0)
		return CRM_CSV_TAB;
	if (strcmp(d, "whitespace") == 0)
		return CRM_CSV_WHITESPACE;
	return -1;
}

int crm_batch_check(const struct crm *crm, const struct crm_batch_opts *o)
{
	if (delimiter_format(o->delimiter) < 0)
		return crm_usage_error(crm, "--delimiter: use \",\", \";\", tab or whitespace, not \"%s\"",
				       o->delimiter);
	if (o->decimal != NULL && strcmp(o->decimal, ".") != 0 && strcmp(o->decimal, ",") != 0)
		return crm_usage_error(crm, "--decimal: use . or , not \"%s\"", o->decimal);
	if (o->no_header && o->columns == NULL)
		return crm_usage_error(crm, "--no-header needs --columns NAME,NAME,...");
	if (o->columns != NULL && !o->no_header)
		return crm_usage_error(crm, "--columns names the columns of a file without a header line: give --no-header too");
	if (o->columns != NULL) {
		const char *p = o->columns;

		for (;;) {
			size_t n = strcspn(p, ",");

			if (n == 0)
				return crm_usage_error(crm, "--columns: empty column name in \"%s\"",
						       o->columns);
			if (p[n] == '\0')
				break;
			p += n + 1;
		}
	}
	if (o->source != NULL && o->use_source > 0 && (o->delimiter != NULL || o->no_header))
		return crm_usage_error(crm, "--delimiter and --no-header are for CSV and TSV, not %s",
				       o->source->name);
	if (o->date_format != NULL) {
		struct crm_err e = { 0, "" };

		if (crm_datefmt_check(o->date_format, &e) != 0)
			return crm_usage_error(crm, "%s", e.msg);
	}
	return 0;
}

char crm_batch_decimal(const struct crm_batch_opts *o)
{
	return o->decimal != NULL && strcmp(o->decimal, ",") == 0 ? ',' : '.';
}

/* The header row --columns gives, its names in *text (the caller frees
 * it and the row's arrays). */
static void columns_row(const char *columns, char **text, struct crm_csv_row *row)
{
	char *p;
	size_t n = 1;

	for (p = strchr(columns, ','); p != NULL; p = strchr(p + 1, ','))
		n++;
	memset(row, 0, sizeof(*row));
	*text = xstrdup(columns);
	row->fields = xcalloc(n, sizeof(*row->fields));
	row->lens = xcalloc(n, sizeof(*row->lens));
	for (p = *text;; p++) {
		size_t len = strcspn(p, ",");

		row->fields[row->nfields] = p;
		row->lens[row->nfields++] = len;
		p += len;
		if (*p == '\0')
			break;
		*p = '\0';
	}
}

/* Identifies a regular file read from its start (so not in a dry run,
 * which must leave the store as it was): its commits then save where they
 * got to, unless in strict mode, whose one commit finishes the import. */
static int identify_input(struct batch *b, FILE *fp, struct crm_err *e)
{
	int rc;

	if (b->opts->dry_run || b->size == 0 || lseek(fileno(fp), 0, SEEK_CUR) != 0)
		return 0;
	rc = crm_fileid_of(fileno(fp), &b->key.id, e);
	if (rc != 0) {
		crm_err_prefix(e, "%s", b->name);
		return rc;
	}
	snprintf(b->command, sizeof(b->command), "%s %s", b->crm->prog, b->crm->cmd);
	b->key.command = b->command;
	b->key.path = b->name;
	b->key.reading = b->reading;
	b->identified = 1;
	b->resumable = !b->opts->strict;
	return 0;
}

/* The command's options (crm->argv, as crm_getopt left it) but those that
 * change nothing stored (-v, -q, --no-resume, --rejects FILE): a run with
 * another --map, --tag, --key or --date-format writes other rows, so it is
 * another import, not this one resumed. */
static void add_options(struct crm_buf *out, const struct crm *crm)
{
	for (int i = 1; crm->argv != NULL && i < crm->noptions; i++) {
		const char *a = crm->argv[i];

		if (strcmp(a, "--rejects") == 0) {
			i++; /* and its file */
			continue;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0 || strcmp(a, "-q") == 0 ||
		    strcmp(a, "--quiet") == 0 || strcmp(a, "--no-resume") == 0 ||
		    strncmp(a, "--rejects=", 10) == 0)
			continue;
		crm_buf_addf(out, " %s", a);
	}
}

/* How the input is read and what its rows do, for the record: a resumed
 * run must cut the same bytes into the same rows, and write them alike. */
static void set_reading(struct batch *b, const struct source *src,
			enum crm_csv_format format)
{
	const struct crm_batch_opts *o = b->opts;
	struct crm_buf r = CRM_BUF_INIT;

	if (src->other != NULL)
		crm_buf_adds(&r, src->other->name);
	else
		crm_buf_addf(&r, "csv format=%d columns=%s", (int)format,
			     o->no_header ? o->columns : "(header)");
	crm_buf_addc(&r, ';');
	add_options(&r, b->crm);
	/* Too long to keep whole: never resumed (a cut text could match a
	 * run with other options). */
	if (r.len >= sizeof(b->reading))
		b->resumable = 0;
	else
		memcpy(b->reading, crm_buf_str(&r), r.len + 1);
	crm_buf_free(&r);
}

/* In the first transaction: goes on where the last commit of an earlier
 * run of the same file stopped, if one did, and writes the rejects lines
 * of the rows it skips to the rejects file. */
static int resume(struct batch *b, struct source *src, struct crm_err *e)
{
	struct crm_batch_resume rec;
	char *rejects = NULL;
	int found, rc;

	if (!b->resumable || b->opts->no_resume)
		return 0;
	rc = crm_batch_resume_find(b->store, &b->key, &rec,
				   b->rejects != NULL ? &rejects : NULL, &found, e);
	if (rc != 0 || !found)
		return rc;
	if (src->csv != NULL) {
		if (rec.offset < crm_csv_offset(src->csv) || rec.offset > b->key.id.size) {
			free(rejects);
			return 0; /* not a place in this file: from the top */
		}
		rc = crm_csv_seek(src->csv, rec.offset, rec.line, e);
	} else {
		struct crm_csv_row row;

		for (unsigned long i = 0; i < rec.rows && rc == 0; i++)
			rc = source_next(src, &row, e) == 1 ? 0 : e->code;
	}
	if (rc == 0 && rejects != NULL)
		fputs(rejects, b->rejects);
	free(rejects);
	if (rc != 0)
		return rc;
	b->resumed = 1;
	b->earlier = rec;
	b->done = rec;
	return 0;
}

/* A test hook's number from the environment, 0 when unset. */
static unsigned long env_count(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? strtoul(v, NULL, 10) : 0;
}

int crm_batch_run(struct crm *crm, struct crm_store *s,
		  const struct crm_batch_opts *opts,
		  const struct crm_batch_ops *ops, void *ctx,
		  struct crm_batch_counts *counts)
{
	struct batch b;
	struct crm_err e = { 0, "" };
	struct source src = { NULL, NULL, NULL };
	struct source *r = &src;
	struct crm_csv_row row, names = { 0, NULL, NULL, 0, NULL };
	char *names_text = NULL;
	enum crm_csv_format format;
	FILE *fp;
	size_t window;
	int rc, committed = 0;

	memset(&b, 0, sizeof(b));
	memset(counts, 0, sizeof(*counts));
	b.crm = crm;
	b.store = s;
	b.opts = opts;
	b.ops = ops;
	b.ctx = ctx;
	b.draw_progress = crm_show_progress(crm);
	b.src = r;
	b.commit_rows = env_count("CRM_TEST_COMMIT_ROWS");
	b.kill_after = env_count("CRM_TEST_KILL_AFTER_COMMITS");
	rc = crm_batch_check(crm, opts);
	if (rc != 0)
		return rc;
	format = delimiter_format(opts->delimiter) != CRM_CSV_AUTO
		 ? (enum crm_csv_format)delimiter_format(opts->delimiter) : opts->format;
	fp = open_input(&b, &e);
	if (fp == NULL)
		return crm_report(crm, &e);
	rc = identify_input(&b, fp, &e);
	if (rc != 0) {
		if (fp != stdin)
			fclose(fp);
		return crm_report(crm, &e);
	}
	if (opts->source != NULL &&
	    (opts->use_source > 0 || (opts->use_source < 0 && opts->delimiter == NULL &&
				       !opts->no_header && b.size > 0 && opts->source->detect(fp)))) {
		src.other = opts->source;
		src.other_src = opts->source->open(fp, b.name);
	} else {
		src.csv = crm_csv_open(fp, b.name, format, 0);
	}
	set_reading(&b, &src, format);

	if (opts->no_header) {
		columns_row(opts->columns, &names_text, &names);
		row = names;
	} else {
		rc = source_next(r, &row, &e);
		if (rc == 0) {
			rc = crm_err_set(&e, CRM_EX_DATAERR, "%s: empty input: no header line", b.name);
			goto out;
		}
		if (rc != 1)
			goto out;
		if (row.error != NULL) {
			rc = crm_err_set(&e, CRM_EX_DATAERR, "%s:%lu: header: %s", b.name,
					 row.line, row.error);
			goto out;
		}
	}
	b.header_n = row.nfields;
	/* before the header: a domain's header may make temporary tables,
	 * which a change of SQLite's temp_store would drop */
	crm_store_bulk(s);
	rc = open_rejects(&b, &row, &e);
	if (rc == 0)
		rc = ops->header(ctx, &row, &e);
	if (rc != 0)
		goto out;
	if (ops->resumable != NULL && !ops->resumable(ctx))
		b.resumable = 0;

	rc = crm_store_begin(s, &e);
	if (rc == 0)
		rc = resume(&b, r, &e);
	if (rc != 0) {
		crm_store_rollback(s);
		goto out;
	}
	b.tx_start_ms = now_ms();
	window = ops->window != NULL ? ops->window(ctx) : 0;
	if (window > 0)
		rc = run_windows(&b, r, window, counts, &e);
	while (window == 0 && (rc = source_next(r, &row, &e)) == 1) {
		if (b.resumed && b.first_line == 0)
			b.first_line = row.line;
		rc = process_row(&b, ctx, ops, &row, counts, &e);
		if (rc == 0 && ((counts->read & 255) == 0 || b.commit_rows > 0)) {
			rc = maybe_commit(&b, counts, &e);
			progress(&b, r, counts, 0);
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && b.npend > 0)
		rc = flush_block(&b, counts, &e);
	progress(&b, r, counts, 1);
	if (rc != 0) {
		crm_store_rollback(s);
		goto out;
	}
	if (opts->dry_run || (opts->strict && counts->rejected > 0)) {
		crm_store_rollback(s);
	} else {
		rc = ops->before_commit != NULL ? ops->before_commit(ctx, &e) : 0;
		/* Finished: a later import of this file reads it all. */
		if (rc == 0 && b.identified)
			rc = crm_batch_resume_clear(s, &b.key, &e);
		if (rc == 0)
			rc = crm_store_commit(s, &e);
		if (rc != 0) {
			crm_store_rollback(s);
			goto out;
		}
		committed = 1;
	}
	if (b.rejects != NULL) {
		b.rejects = NULL;
		rc = crm_outfile_commit(&b.rejects_file, &e);
		if (rc != 0)
			crm_report(crm, &e);
	}
	summary(&b, counts, committed);
	if (rc == 0 && (counts->rejected > 0 || b.earlier.rejected > 0))
		rc = CRM_EX_DATAERR;
	goto done;
out:
	progress(&b, r, counts, 1);
	crm_report(crm, &e);
	if (rc == 0)
		rc = e.code;
done:
	if (b.pend != NULL)
		block_clear(&b);
	free(b.pend);
	crm_buf_free(&b.text);
	free(b.fields);
	free(b.lens);
	source_close(r);
	crm_outfile_abort(&b.rejects_file);
	if (fp != stdin)
		fclose(fp);
	crm_buf_free(&b.line);
	crm_buf_free(&b.rej_pending);
	crm_buf_free(&b.rej_done);
	free(names_text);
	free(names.fields);
	free(names.lens);
	return rc;
}
