/* test_batch.c - unit tests for lib/batch.c, the batch driver, with
 * callbacks of the test's own that write to a table: the rejects file,
 * rejects on stderr, --strict, --dry-run, empty input, ragged rows, the
 * summary line, errors that stop a batch, and a stopped run resumed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/batch.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "contact/contact_vcard.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

struct fixture {
	struct fixture_store base;    /* DIR, DIR/crm.db, $CRM_NOW */
	char in[160];            /* DIR/in.csv */
	char rejects[160];       /* DIR/rejects.csv */
	struct crm crm;
	struct crm_batch_opts opts;
	struct crm_batch_counts n;
	char *err;               /* stderr of the last run, DIR for the dir */
	/* what the callbacks saw */
	size_t header_fields;
	char header_names[256];  /* the header's names, joined with | */
	int header_calls;
	int header_rc;           /* what header() returns */
	int rows_seen;
	const struct crm_batch_ops *ops; /* NULL: t_ops */
	unsigned long stop_line;  /* the row of this line stops the batch */
	int env_set;              /* $CRM_TEST_COMMIT_ROWS set by the test */
	char *saved_env;
	/* the window form: what lookahead() saw, and begin/end_apply calls */
	size_t window;
	char windows[256];        /* each window's lines, "2,3|4,5|" */
	int applies_begun, applies_ended;
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "batch", NOW_TEXT);
	struct crm_err e = { 0, "" };

	if (f == NULL)
		return -1;
	snprintf(f->in, sizeof(f->in), "%s/in.csv", f->base.dir);
	snprintf(f->rejects, sizeof(f->rejects), "%s/rejects.csv", f->base.dir);
	if (crm_store_exec(f->base.s, "CREATE TABLE t (v TEXT NOT NULL)", &e) != 0) {
		fprintf(stderr, "setup: %s\n", e.msg);
		fixture_free(f);
		return -1;
	}
	f->crm.prog = "crm-test";
	f->crm.cmd = "import";
	f->crm.out.header = 1;
	f->crm.store = f->base.s;
	snprintf(f->crm.user, sizeof(f->crm.user), "tester");
	f->opts.path = f->in;
	f->opts.format = CRM_CSV_AUTO;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->env_set)
		fixture_env_restore("CRM_TEST_COMMIT_ROWS", f->saved_env);
	free(f->err);
	return fixture_free(f);
}

/* ---- the callbacks ---- */

static int t_header(void *ctx, const struct crm_csv_row *h, struct crm_err *e)
{
	struct fixture *f = ctx;

	f->header_calls++;
	f->header_fields = h->nfields;
	f->header_names[0] = '\0';
	for (size_t i = 0; i < h->nfields; i++) {
		size_t n = strlen(f->header_names);

		snprintf(f->header_names + n, sizeof(f->header_names) - n, "%s%s",
			 i > 0 ? "|" : "", h->fields[i]);
	}
	if (f->header_rc != 0)
		return crm_err_set(e, f->header_rc, "no usable column");
	return 0;
}

/* Writes the first cell to t. "bad..." rejects the row after its write;
 * "stop" stops the batch; "same" counts as unchanged; "skip" as skipped. */
static int t_row(void *ctx, const struct crm_csv_row *row, struct crm_batch_counts *counts,
		 struct crm_err *e)
{
	struct fixture *f = ctx;
	struct crm_stmt *st = crm_store_prepare(f->base.s, "INSERT INTO t (v) VALUES (?1)");
	const char *v = row->fields[0];
	int rc;

	f->rows_seen++;
	if (row->line == f->stop_line)
		return crm_err_set(e, CRM_EX_IOERR, "killed");
	crm_bind_text_ref(st, 1, v);
	rc = crm_store_run(f->base.s, st, e);
	if (rc != 0)
		return rc;
	if (strncmp(v, "bad", 3) == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "bad value \"%s\", with a comma", v);
	if (strcmp(v, "stop") == 0)
		return crm_err_set(e, CRM_EX_IOERR, "disk gone");
	if (strcmp(v, "same") == 0)
		counts->unchanged++;
	else if (strcmp(v, "skip") == 0)
		counts->skipped++;
	else if (strcmp(v, "upd") == 0)
		counts->updated++;
	else
		counts->added++;
	return 0;
}

static const struct crm_batch_ops t_ops = { .header = t_header, .row = t_row };

/* The two-step form: the key is the first cell as a number ("x" is
 * rejected by prepare); apply writes "N/second cell" to t, and rejects 13. */
static void *t_prepare(void *ctx, const struct crm_csv_row *row, struct crm_err *e)
{
	long *key;
	char *end;

	(void)ctx;
	key = malloc(sizeof(*key));
	assert_non_null(key);
	*key = strtol(row->fields[0], &end, 10);
	if (*end != '\0' || end == row->fields[0]) {
		free(key);
		crm_err_set(e, CRM_EX_DATAERR, "not a number");
		return NULL;
	}
	return key;
}

static int t_apply(void *ctx, const void *key, const struct crm_csv_row *row,
		   struct crm_batch_counts *counts, struct crm_err *e)
{
	struct fixture *f = ctx;
	struct crm_stmt *st = crm_store_prepare(f->base.s, "INSERT INTO t (v) VALUES (?1 || '/' || ?2)");
	int rc;

	if (row->line == f->stop_line)
		return crm_err_set(e, CRM_EX_IOERR, "killed");
	crm_bind_text_ref(st, 1, row->fields[0]);
	crm_bind_text_ref(st, 2, row->fields[1]);
	rc = crm_store_run(f->base.s, st, e);
	if (rc == 0 && *(const long *)key == 13)
		return crm_err_set(e, CRM_EX_DATAERR, "unlucky");
	if (rc == 0)
		counts->added++;
	return rc;
}

static int t_order(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static const struct crm_batch_ops t_two_step_ops = {
	.header = t_header, .prepare = t_prepare, .apply = t_apply,
	.order = t_order, .free_key = free,
};

/* The row form with a window: lookahead() notes the lines of each
 * window, and whether row() has seen any of them yet (it must not). */
static size_t t_window(void *ctx)
{
	return ((struct fixture *)ctx)->window;
}

static int t_lookahead(void *ctx, const struct crm_csv_row *rows, size_t n, struct crm_err *e)
{
	struct fixture *f = ctx;
	size_t len;

	(void)e;
	for (size_t i = 0; i < n; i++) {
		len = strlen(f->windows);
		snprintf(f->windows + len, sizeof(f->windows) - len, "%s%lu%s", i > 0 ? "," : "",
			 rows[i].line, rows[i].error != NULL ? "!" : "");
	}
	len = strlen(f->windows);
	snprintf(f->windows + len, sizeof(f->windows) - len, "|");
	return 0;
}

static const struct crm_batch_ops t_window_ops = {
	.header = t_header, .row = t_row, .window = t_window, .lookahead = t_lookahead,
};

static int t_begin_apply(void *ctx, struct crm_err *e)
{
	struct fixture *f = ctx;

	(void)e;
	/* each block's applies begin once, after the last ended */
	assert_int_equal(f->applies_begun, f->applies_ended);
	f->applies_begun++;
	return 0;
}

static int t_end_apply(void *ctx, struct crm_err *e)
{
	struct fixture *f = ctx;

	(void)e;
	f->applies_ended++;
	return 0;
}

static const struct crm_batch_ops t_two_step_window_ops = {
	.header = t_header, .prepare = t_prepare, .apply = t_apply,
	.order = t_order, .free_key = free, .window = t_window, .lookahead = t_lookahead,
};

static const struct crm_batch_ops t_two_step_hooked_ops = {
	.header = t_header, .prepare = t_prepare, .apply = t_apply,
	.order = t_order, .free_key = free,
	.begin_apply = t_begin_apply, .end_apply = t_end_apply,
};

/* ---- helpers ---- */

static struct fixture *fx(void **state)
{
	return *state;
}

static char *read_file(const char *path)
{
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[512];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(&b, chunk, n);
	fclose(fp);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Runs the batch over text (written to DIR/in.csv unless text is NULL),
 * with stderr in f->err. */
static int run_n(void **state, const char *text, size_t len)
{
	struct fixture *f = *state;
	struct crm_buf out = CRM_BUF_INIT;
	char tmpl[64];
	char *raw;
	size_t dlen = strlen(f->base.dir);
	int rc, fd, saved;

	if (text != NULL)
		write_file(f->in, text, len);
	f->rows_seen = 0;
	f->header_calls = 0;
	fflush(stderr);
	snprintf(tmpl, sizeof(tmpl), "/tmp/crm-test-stderr-XXXXXX");
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = crm_batch_run(&f->crm, f->base.s, &f->opts, f->ops != NULL ? f->ops : &t_ops, f, &f->n);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	raw = read_file(tmpl);
	unlink(tmpl);
	assert_non_null(raw);
	for (const char *p = raw; *p != '\0';) {
		if (strncmp(p, f->base.dir, dlen) == 0) {
			crm_buf_adds(&out, "DIR");
			p += dlen;
		} else {
			crm_buf_addc(&out, *p++);
		}
	}
	crm_buf_adds(&out, "");
	free(raw);
	free(f->err);
	f->err = crm_buf_detach(&out);
	return rc;
}

static int run(void **state, const char *text)
{
	return run_n(state, text, text != NULL ? strlen(text) : 0);
}

static void err_is(void **state, const char *want)
{
	if (strcmp(fx(state)->err, want) != 0)
		fail_msg("stderr:\n%s\nwant:\n%s", fx(state)->err, want);
}

static void counts_are(void **state, unsigned long read, unsigned long added,
		       unsigned long updated, unsigned long unchanged, unsigned long skipped,
		       unsigned long rejected)
{
	const struct crm_batch_counts *n = &fx(state)->n;

	if (n->read != read || n->added != added || n->updated != updated ||
	    n->unchanged != unchanged || n->skipped != skipped || n->rejected != rejected)
		fail_msg("counts read %lu added %lu updated %lu unchanged %lu skipped %lu rejected %lu,"
			 " want %lu %lu %lu %lu %lu %lu", n->read, n->added, n->updated, n->unchanged,
			 n->skipped, n->rejected, read, added, updated, unchanged, skipped, rejected);
}

static void rejects_file_is(void **state, const char *want)
{
	char *got = read_file(fx(state)->rejects);

	if (got == NULL)
		fail_msg("no rejects file");
	if (strcmp(got, want) != 0) {
		char msg[2048];

		snprintf(msg, sizeof(msg), "rejects file:\n%s\nwant:\n%s", got, want);
		free(got);
		fail_msg("%s", msg);
	}
	free(got);
}

/* ---- good runs ---- */

static void batch__good_rows__committed_silently(void **state)
{
	assert_int_equal(run(state, "v,w\na,1\nb,2\nsame,3\nupd,4\nskip,5\n"), 0);
	err_is(state, "");
	counts_are(state, 5, 2, 1, 1, 1, 0);
	assert_int_equal(fx(state)->header_calls, 1);
	assert_int_equal(fx(state)->header_fields, 2);
	assert_rows(store(state), "SELECT group_concat(v) FROM t", "a,b,same,upd,skip\n");
	/* committed: another connection sees the rows */
	{
		struct crm_store *other = NULL;
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_store_open_mode(fx(state)->base.path, "other", CRM_STORE_READ,
						     &other, &e), 0);
		assert_rows(other, "SELECT count(*) FROM t", "5\n");
		crm_store_close(other);
	}
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

static void batch__verbose__summary_line(void **state)
{
	fx(state)->crm.verbose = 1;
	assert_int_equal(run(state, "v\na\nb\n"), 0);
	err_is(state, "crm-test: import: DIR/in.csv: 2 read, 2 added, 0 updated, 0 rejected\n");
	assert_int_equal(run(state, "v\na\nsame\nskip\n"), 0);
	err_is(state, "crm-test: import: DIR/in.csv: 3 read, 1 added, 0 updated, 1 unchanged,"
		      " 1 skipped, 0 rejected\n");
}

static void batch__formats__csv_tsv_crlf_bom(void **state)
{
	assert_int_equal(run(state, "\xEF\xBB\xBFv\tw\r\nx,y\t1\r\n\"q\"\t2\r\n"), 0);
	assert_int_equal(fx(state)->header_fields, 2);
	assert_rows(store(state), "SELECT group_concat(v, '|') FROM t", "x,y|\"q\"\n");
	fx(state)->opts.format = CRM_CSV_COMMA;
	assert_int_equal(run(state, "v\n\"a,b\"\n"), 0);
	assert_int_equal(fx(state)->header_fields, 1);
	assert_rows(store(state), "SELECT v FROM t WHERE rowid = 3", "a,b\n");
}

/* ---- rejected rows ---- */

static void batch__bad_rows__stderr_and_rolled_back(void **state)
{
	assert_int_equal(run(state, "v,w\na,1\nbad1,2\nc,3\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-test: import: DIR/in.csv:3: bad value \"bad1\", with a comma: row rejected\n"
	       "crm-test: import: DIR/in.csv: 3 read, 2 added, 0 updated, 1 rejected\n");
	counts_are(state, 3, 2, 0, 0, 0, 1);
	/* the rejected row's own write is undone, the others stay */
	assert_rows(store(state), "SELECT group_concat(v) FROM t", "a,c\n");
}

static void batch__ragged_rows__rejected_with_counts(void **state)
{
	assert_int_equal(run(state, "v,w\na,1\nb\nc,3,extra\nd,4\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-test: import: DIR/in.csv:3: expected 2 fields, found 1: row rejected\n"
	       "crm-test: import: DIR/in.csv:4: expected 2 fields, found 3: row rejected\n"
	       "crm-test: import: DIR/in.csv: 4 read, 2 added, 0 updated, 2 rejected\n");
	/* the callback never sees them */
	assert_int_equal(fx(state)->rows_seen, 2);
	assert_rows(store(state), "SELECT group_concat(v) FROM t", "a,d\n");
}

static void batch__malformed_record__rejected_and_reading_goes_on(void **state)
{
	assert_int_equal(run_n(state, "v,w\na,1\nb\xff,2\n\"c\"x,3\nd,4\n", 24), CRM_EX_DATAERR);
	counts_are(state, 4, 2, 0, 0, 0, 2);
	assert_non_null(strstr(fx(state)->err, "DIR/in.csv:3: invalid UTF-8 in field 1: row rejected\n"));
	assert_non_null(strstr(fx(state)->err, "DIR/in.csv:4: malformed quoting: row rejected\n"));
	assert_rows(store(state), "SELECT group_concat(v) FROM t", "a,d\n");
}

static void batch__many_rejects__first_20_on_stderr(void **state)
{
	struct crm_buf in = CRM_BUF_INIT;
	const char *p;
	int lines = 0;

	crm_buf_adds(&in, "v\n");
	for (int i = 0; i < 23; i++)
		crm_buf_addf(&in, "bad%d\n", i);
	crm_buf_adds(&in, "ok\n");
	assert_int_equal(run(state, crm_buf_str(&in)), CRM_EX_DATAERR);
	crm_buf_free(&in);
	for (p = fx(state)->err; (p = strstr(p, ": row rejected\n")) != NULL; p++)
		lines++;
	assert_int_equal(lines, 20);
	assert_non_null(strstr(fx(state)->err, "DIR/in.csv:21: bad value \"bad19\""));
	assert_null(strstr(fx(state)->err, "bad20"));
	assert_non_null(strstr(fx(state)->err,
			       "crm-test: import: DIR/in.csv: 24 read, 1 added, 0 updated, 23 rejected"
			       " (3 not shown: use --rejects FILE)\n"));
}

static void batch__rejects_file__csv_with_line_reason_cells(void **state)
{
	fx(state)->opts.rejects_path = fx(state)->rejects;
	assert_int_equal(run(state,
		"v,\"w x\"\n"
		"a,1\n"
		"bad1,\"two\nlines\"\n"
		"short\n"
		"bad2, lead\n"), CRM_EX_DATAERR);
	/* nothing per row on stderr, the summary points at the file */
	err_is(state, "crm-test: import: DIR/in.csv: 4 read, 1 added, 0 updated, 3 rejected"
		      " (see DIR/rejects.csv)\n");
	rejects_file_is(state,
			"line,reason,v,w x\n"
			"3,\"bad value \"\"bad1\"\", with a comma\",bad1,\"two\nlines\"\n"
			"5,\"expected 2 fields, found 1\",short\n"
			"6,\"bad value \"\"bad2\"\", with a comma\",bad2,\" lead\"\n");
}

static void batch__rejects_file__created_when_all_good(void **state)
{
	fx(state)->opts.rejects_path = fx(state)->rejects;
	assert_int_equal(run(state, "v,w\na,1\n"), 0);
	err_is(state, "");
	rejects_file_is(state, "line,reason,v,w\n");
}

static void batch__rejects_file_unwritable__ioerr(void **state)
{
	char path[200];

	snprintf(path, sizeof(path), "%s/no/such/dir/rejects.csv", fx(state)->base.dir);
	fx(state)->opts.rejects_path = path;
	assert_int_equal(run(state, "v\na\n"), CRM_EX_IOERR);
	err_is(state, "crm-test: import: cannot write rejects to DIR/no/such/dir/rejects.csv:"
		      " No such file or directory\n");
	assert_int_equal(fx(state)->rows_seen, 0);
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
}

static void batch__quiet__rows_reported_no_summary(void **state)
{
	fx(state)->crm.quiet = 1;
	fx(state)->crm.verbose = 1;
	assert_int_equal(run(state, "v\nbad1\nok\n"), CRM_EX_DATAERR);
	err_is(state, "crm-test: import: DIR/in.csv:2: bad value \"bad1\", with a comma: row rejected\n");
}

/* ---- strict and dry run ---- */

static void batch__strict_with_reject__nothing_written(void **state)
{
	fx(state)->opts.strict = 1;
	assert_int_equal(run(state, "v\na\nbad1\nc\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-test: import: DIR/in.csv:3: bad value \"bad1\", with a comma: row rejected\n"
	       "crm-test: import: DIR/in.csv: 3 read, 2 added, 0 updated, 1 rejected;"
	       " --strict: nothing written\n");
	assert_int_equal(fx(state)->rows_seen, 3);
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

static void batch__strict_all_good__committed(void **state)
{
	fx(state)->opts.strict = 1;
	assert_int_equal(run(state, "v\na\nb\n"), 0);
	err_is(state, "");
	assert_rows(store(state), "SELECT group_concat(v) FROM t", "a,b\n");
}

static void batch__dry_run__checked_then_rolled_back(void **state)
{
	fx(state)->opts.dry_run = 1;
	fx(state)->crm.verbose = 1;
	assert_int_equal(run(state, "v\na\nb\n"), 0);
	err_is(state, "crm-test: import: DIR/in.csv: 2 read, 2 added, 0 updated, 0 rejected;"
		      " dry run, nothing written\n");
	assert_int_equal(fx(state)->rows_seen, 2);
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
	/* rejects still found and reported */
	fx(state)->crm.verbose = 0;
	assert_int_equal(run(state, "v\na\nbad1\n"), CRM_EX_DATAERR);
	err_is(state,
	       "crm-test: import: DIR/in.csv:3: bad value \"bad1\", with a comma: row rejected\n"
	       "crm-test: import: DIR/in.csv: 2 read, 1 added, 0 updated, 1 rejected;"
	       " dry run, nothing written\n");
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
}

/* ---- runs that stop ---- */

static void batch__empty_input__dataerr(void **state)
{
	assert_int_equal(run(state, ""), CRM_EX_DATAERR);
	err_is(state, "crm-test: import: DIR/in.csv: empty input: no header line\n");
	assert_int_equal(fx(state)->header_calls, 0);
	/* blank lines only are no header either */
	assert_int_equal(run(state, "\n\r\n\n"), CRM_EX_DATAERR);
	err_is(state, "crm-test: import: DIR/in.csv: empty input: no header line\n");
}

static void batch__header_only__nothing_read(void **state)
{
	fx(state)->crm.verbose = 1;
	assert_int_equal(run(state, "v,w\n"), 0);
	assert_int_equal(fx(state)->header_calls, 1);
	counts_are(state, 0, 0, 0, 0, 0, 0);
	err_is(state, "crm-test: import: DIR/in.csv: 0 read, 0 added, 0 updated, 0 rejected\n");
}

static void batch__bad_header__dataerr(void **state)
{
	assert_int_equal(run_n(state, "v\xff,w\na,1\n", 9), CRM_EX_DATAERR);
	err_is(state, "crm-test: import: DIR/in.csv:1: header: invalid UTF-8 in field 1\n");
	assert_int_equal(fx(state)->header_calls, 0);
	assert_int_equal(fx(state)->rows_seen, 0);
}

static void batch__header_callback_error__stops(void **state)
{
	fx(state)->header_rc = CRM_EX_DATAERR;
	assert_int_equal(run(state, "v\na\n"), CRM_EX_DATAERR);
	err_is(state, "crm-test: import: no usable column\n");
	assert_int_equal(fx(state)->rows_seen, 0);
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
}

static void batch__missing_file__noinput(void **state)
{
	char path[200];

	snprintf(path, sizeof(path), "%s/absent.csv", fx(state)->base.dir);
	fx(state)->opts.path = path;
	assert_int_equal(run(state, NULL), CRM_EX_NOINPUT);
	err_is(state, "crm-test: import: cannot open DIR/absent.csv: No such file or directory\n");
}

static void batch__row_error__stops_and_rolls_back(void **state)
{
	assert_int_equal(run(state, "v\na\nstop\nc\n"), CRM_EX_IOERR);
	err_is(state, "crm-test: import: DIR/in.csv:3: disk gone\n");
	assert_int_equal(fx(state)->rows_seen, 2);
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

static void batch__stdin__named_stdin(void **state)
{
	struct fixture *f = *state;
	int saved = dup(STDIN_FILENO);
	FILE *fp;
	int rc;

	write_file(f->in, "v\nbad1\n", 7);
	fp = fopen(f->in, "r");
	assert_non_null(fp);
	dup2(fileno(fp), STDIN_FILENO);
	fclose(fp);
	clearerr(stdin);
	f->opts.path = "-";
	rc = run(state, NULL);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
	assert_int_equal(rc, CRM_EX_DATAERR);
	err_is(state, "crm-test: import: <stdin>:2: bad value \"bad1\", with a comma: row rejected\n"
		      "crm-test: import: <stdin>: 1 read, 0 added, 0 updated, 1 rejected\n");
}

static void batch__vcard_detected__rows_of_cards(void **state)
{
	fx(state)->opts.source = &crm_contact_vcard_source;
	fx(state)->opts.use_source = -1;
	assert_int_equal(run(state, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\n"
				    "EMAIL:ada@example.org\r\nEND:VCARD\r\n"), 0);
	/* the vCard columns (contact_vcard.h), one row per card */
	assert_int_equal(fx(state)->header_fields, 22);
	assert_int_equal(fx(state)->rows_seen, 1);
	/* the first cell is the uid: empty here */
	assert_rows(store(state), "SELECT quote(v) FROM t", "''\n");
	/* without detection the same file is CSV */
	fx(state)->opts.use_source = 0;
	assert_int_equal(run(state, "BEGIN:VCARD\nEND:VCARD\n"), 0);
	assert_int_equal(fx(state)->header_fields, 1);
}

/* Rows written by key, ties in file order; rejects from both steps, with
 * their lines, prepare's first; the writes of a row apply() rejects are
 * undone. */
static void batch__two_step__written_in_key_order(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_two_step_ops;
	f->opts.rejects_path = f->rejects;
	assert_int_equal(run(state, "n,tag\n3,a\n1,b\nx,c\n2,d\n1,e\n13,f\n"), CRM_EX_DATAERR);
	counts_are(state, 6, 4, 0, 0, 0, 2);
	assert_rows(store(state), "SELECT v FROM t ORDER BY rowid", "1/b\n1/e\n2/d\n3/a\n");
	rejects_file_is(state, "line,reason,n,tag\n4,not a number,x,c\n7,unlucky,13,f\n");
}

/* ---- a stopped run resumed ---- */

/* Commits every n rows, as a long import does every second. */
static void commit_every(struct fixture *f, const char *n)
{
	if (!f->env_set)
		f->saved_env = fixture_env_set("CRM_TEST_COMMIT_ROWS", n);
	else
		setenv("CRM_TEST_COMMIT_ROWS", n, 1);
	f->env_set = 1;
}

static void err_has(void **state, const char *want)
{
	if (strstr(fx(state)->err, want) == NULL)
		fail_msg("stderr:\n%s\nlacks:\n%s", fx(state)->err, want);
}

static void err_lacks(void **state, const char *what)
{
	if (strstr(fx(state)->err, what) != NULL)
		fail_msg("stderr:\n%s\nhas:\n%s", fx(state)->err, what);
}

#define RESUME_IN "v\na\nbad1\nc\nd\ne\nf\n"

/* Commits after rows 2 and 4, stopped at row 5 (line 6): the store holds
 * rows 1..4, the record says so. */
static void stopped_run(void **state, const char *text)
{
	struct fixture *f = fx(state);

	commit_every(f, "2");
	f->opts.rejects_path = f->rejects;
	f->stop_line = 6;
	assert_int_equal(run(state, text), CRM_EX_IOERR);
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,c,d\n");
	assert_rows(store(state), "SELECT substr(path, -6), byte_offset, line, rows_done, rejected"
			       " FROM import_resume", "in.csv|13|6|4|1\n");
	f->stop_line = 0;
}

static void batch__stopped_run__resumed_after_its_last_commit(void **state)
{
	struct fixture *f = fx(state);

	stopped_run(state, RESUME_IN);
	/* rows 5 and 6 only; the earlier reject counts in the exit status and
	 * is in the rejects file, as after one run */
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 2, 2, 0, 0, 0, 0);
	assert_int_equal(f->rows_seen, 2);
	err_is(state, "crm-test: import: DIR/in.csv: 2 read, 2 added, 0 updated, 0 rejected"
		      " (see DIR/rejects.csv); resumed at row 5 (line 6): rows 1..4 were imported"
		      " by an earlier run, 1 of them rejected\n");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,c,d,e,f\n");
	rejects_file_is(state, "line,reason,v\n3,\"bad value \"\"bad1\"\", with a comma\",bad1\n");
	/* finished: no record, and a later run reads it all */
	assert_rows(store(state), "SELECT count(*) FROM import_resume", "0\n");
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 6, 5, 0, 0, 0, 1);
	err_lacks(state, "resumed");
}

/* A window of 3: lookahead() gets each window whole (a ragged row and a
 * malformed one too, which row() then rejects as without a window), rows
 * are written and rejected in file order as without one. */
static void batch__window__rows_seen_ahead_then_one_by_one(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_window_ops;
	f->window = 3;
	f->opts.rejects_path = f->rejects;
	assert_int_equal(run(state, "v\na\nb,x\nbad1\nc\n\"d\ne\nf\n"), CRM_EX_DATAERR);
	assert_string_equal(f->windows, "2,3,4|5,6!|");
	counts_are(state, 5, 2, 0, 0, 0, 3);
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,c\n");
	assert_int_equal(f->rows_seen, 3);
	rejects_file_is(state, "line,reason,v\n3,\"expected 1 fields, found 2\",b,x\n"
			       "4,\"bad value \"\"bad1\"\", with a comma\",bad1\n"
			       "6,unterminated quoted field\n");
	/* the same as without a window */
	f->ops = &t_ops;
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 5, 2, 0, 0, 0, 3);
	rejects_file_is(state, "line,reason,v\n3,\"expected 1 fields, found 2\",b,x\n"
			       "4,\"bad value \"\"bad1\"\", with a comma\",bad1\n"
			       "6,unterminated quoted field\n");
}

/* Commits fall between windows only: with a commit every 2 rows the
 * windows are of 2, and a run stopped in one resumes after the last
 * whole window committed. */
static void batch__window__commits_between_windows_and_resumes(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_window_ops;
	f->window = 5;
	commit_every(f, "2");
	f->stop_line = 6;
	assert_int_equal(run(state, RESUME_IN), CRM_EX_IOERR);
	assert_string_equal(f->windows, "2,3|4,5|6,7|");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,c,d\n");
	assert_rows(store(state), "SELECT line, rows_done, rejected FROM import_resume", "6|4|1\n");
	f->stop_line = 0;
	f->windows[0] = '\0';
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	assert_string_equal(f->windows, "6,7|");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,c,d,e,f\n");
}

/* The two-step form with a window: every row seen ahead, then the same
 * blocks, order and rejects as without one. */
static void batch__two_step_window__same_as_without(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_two_step_window_ops;
	f->window = 2;
	f->opts.rejects_path = f->rejects;
	assert_int_equal(run(state, "n,tag\n3,a\n1,b\nx,c\n2,d\n1,e\n13,f\n"), CRM_EX_DATAERR);
	assert_string_equal(f->windows, "2,3|4,5|6,7|");
	counts_are(state, 6, 4, 0, 0, 0, 2);
	assert_rows(store(state), "SELECT v FROM t ORDER BY rowid", "1/b\n1/e\n2/d\n3/a\n");
	rejects_file_is(state, "line,reason,n,tag\n4,not a number,x,c\n7,unlucky,13,f\n");
}

/* begin_apply and end_apply bracket each block's applies. */
static void batch__two_step_hooks__around_each_block(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_two_step_hooked_ops;
	f->opts.block_rows = 2;
	assert_int_equal(run(state, "n,tag\n3,a\n1,b\nx,c\n2,d\n1,e\n"), CRM_EX_DATAERR);
	assert_int_equal(f->applies_begun, 2);
	assert_int_equal(f->applies_ended, 2);
	assert_rows(store(state), "SELECT v FROM t ORDER BY rowid", "1/b\n3/a\n1/e\n2/d\n");
}

/* Resumed twice: the record grows, rejects kept from both runs. */
static void batch__stopped_twice__each_run_starts_further(void **state)
{
	struct fixture *f = fx(state);

	stopped_run(state, "v\na\nbad1\nc\nd\ne\nbad2\ng\nh\ni\n");
	f->stop_line = 9; /* h: rows 5, 6 committed, 7 not */
	assert_int_equal(run(state, NULL), CRM_EX_IOERR);
	assert_rows(store(state), "SELECT line, rows_done, rejected FROM import_resume", "8|6|2\n");
	f->stop_line = 0;
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 3, 3, 0, 0, 0, 0);
	err_has(state, "resumed at row 7 (line 8): rows 1..6 were imported by an earlier run,"
		       " 2 of them rejected");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,c,d,e,g,h,i\n");
	rejects_file_is(state, "line,reason,v\n3,\"bad value \"\"bad1\"\", with a comma\",bad1\n"
			       "7,\"bad value \"\"bad2\"\", with a comma\",bad2\n");
}

/* The same size, one byte changed: another file, read from the top. */
static void batch__changed_file__read_from_the_top(void **state)
{
	struct fixture *f = fx(state);

	stopped_run(state, RESUME_IN);
	assert_int_equal(run(state, "v\nA\nbad1\nc\nd\ne\nf\n"), CRM_EX_DATAERR);
	counts_are(state, 6, 5, 0, 0, 0, 1);
	assert_int_equal(f->rows_seen, 6);
	err_lacks(state, "resumed");
	/* and the record of the old contents of the path is gone */
	assert_rows(store(state), "SELECT count(*) FROM import_resume", "0\n");
}

/* --dry-run reads it all and leaves the record; --no-resume reads it all
 * and finishes the import; --strict too. */
static void batch__dry_run_no_resume_strict__from_the_top(void **state)
{
	struct fixture *f = fx(state);

	stopped_run(state, RESUME_IN);
	f->opts.dry_run = 1;
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 6, 5, 0, 0, 0, 1);
	assert_rows(store(state), "SELECT rows_done FROM import_resume", "4\n");
	f->opts.dry_run = 0;
	f->opts.strict = 1;
	assert_int_equal(run(state, "v\na\nc\nd\ne\nf\ng\n"), 0); /* another file */
	counts_are(state, 6, 6, 0, 0, 0, 0);
	assert_rows(store(state), "SELECT count(*) FROM import_resume", "0\n");
	f->opts.strict = 0;
	exec_ok(store(state), "DELETE FROM t");
	stopped_run(state, RESUME_IN);
	f->opts.no_resume = 1;
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 6, 5, 0, 0, 0, 1);
	err_lacks(state, "resumed");
	assert_rows(store(state), "SELECT count(*) FROM import_resume", "0\n");
}

/* CRLF lines after a BOM: the byte and line a resumed run starts at are
 * right, so are the lines of its rejects. */
static void batch__crlf_bom__resumed_at_the_right_line(void **state)
{
	struct fixture *f = fx(state);

	commit_every(f, "2");
	f->opts.rejects_path = f->rejects;
	f->stop_line = 4;
	assert_int_equal(run(state, "\xEF\xBB\xBFv\r\na\r\nb\r\nc\r\nbad4\r\ne\r\n"), CRM_EX_IOERR);
	f->stop_line = 0;
	assert_int_equal(run(state, NULL), CRM_EX_DATAERR);
	counts_are(state, 3, 2, 0, 0, 0, 1);
	err_has(state, "resumed at row 3 (line 4): rows 1..2 were imported by an earlier run");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "a,b,c,e\n");
	rejects_file_is(state, "line,reason,v\n5,\"bad value \"\"bad4\"\", with a comma\",bad4\n");
}

/* The two-step form commits whole blocks only: a commit in the middle of a
 * block keeps the blocks written before it, and the record says where
 * they end. */
static void batch__two_step_stopped__resumed_after_its_last_block(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_two_step_ops;
	f->opts.block_rows = 2;
	commit_every(f, "3");
	f->stop_line = 5; /* row 4, in the second block */
	assert_int_equal(run(state, "n,tag\n2,a\n1,b\n3,c\n4,d\n5,e\n"), CRM_EX_IOERR);
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "1/b,2/a\n");
	assert_rows(store(state), "SELECT line, rows_done FROM import_resume", "4|2\n");
	f->stop_line = 0;
	assert_int_equal(run(state, NULL), 0);
	counts_are(state, 3, 3, 0, 0, 0, 0);
	err_is(state, "crm-test: import: DIR/in.csv: 3 read, 3 added, 0 updated, 0 rejected;"
		      " resumed at row 3 (line 4): rows 1..2 were imported by an earlier run\n");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "1/b,2/a,3/c,4/d,5/e\n");
}

/* The same with a window read ahead: the resume point is where the last
 * block ends, not where the reader got to. */
static void batch__two_step_window_stopped__resumed_after_its_last_block(void **state)
{
	struct fixture *f = fx(state);

	f->ops = &t_two_step_window_ops;
	f->window = 5;
	f->opts.block_rows = 2;
	commit_every(f, "3");
	f->stop_line = 5;
	assert_int_equal(run(state, "n,tag\n2,a\n1,b\n3,c\n4,d\n5,e\n"), CRM_EX_IOERR);
	assert_string_equal(f->windows, "2,3,4|5,6|");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "1/b,2/a\n");
	assert_rows(store(state), "SELECT line, rows_done FROM import_resume", "4|2\n");
	f->stop_line = 0;
	assert_int_equal(run(state, NULL), 0);
	counts_are(state, 3, 3, 0, 0, 0, 0);
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "1/b,2/a,3/c,4/d,5/e\n");
}

/* The caller's reader is resumed by reading past the rows done. */
static void batch__vcard_stopped__resumed_past_its_rows(void **state)
{
	struct fixture *f = fx(state);

	f->opts.source = &crm_contact_vcard_source;
	f->opts.use_source = 1;
	commit_every(f, "1");
	f->stop_line = 4; /* the second card */
	assert_int_equal(run(state, "BEGIN:VCARD\nUID:u1\nEND:VCARD\nBEGIN:VCARD\nUID:u2\nEND:VCARD\n"
				    "BEGIN:VCARD\nUID:u3\nEND:VCARD\n"), CRM_EX_IOERR);
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "u1\n");
	f->stop_line = 0;
	assert_int_equal(run(state, NULL), 0);
	counts_are(state, 2, 2, 0, 0, 0, 0);
	err_has(state, "resumed at row 2 (line 4): rows 1..1 were imported by an earlier run");
	assert_rows(store(state), "SELECT group_concat(v, ',') FROM t", "u1,u2,u3\n");
}

/* ---- how the input is written: --delimiter, --no-header --columns ---- */

static void batch__input_options__set_and_checked(void **state)
{
	struct crm_batch_opts o = { 0 };

	(void)state;
	assert_int_equal(crm_batch_option(&o, CRM_BATCH_OPT_DELIMITER, ";"), 1);
	assert_int_equal(crm_batch_option(&o, CRM_BATCH_OPT_NO_HEADER, NULL), 1);
	assert_int_equal(crm_batch_option(&o, CRM_BATCH_OPT_COLUMNS, "a,b"), 1);
	assert_int_equal(crm_batch_option(&o, CRM_BATCH_OPT_DECIMAL, ","), 1);
	assert_int_equal(crm_batch_option(&o, 'x', "?"), 0);
	assert_string_equal(o.delimiter, ";");
	assert_int_equal(o.no_header, 1);
	assert_string_equal(o.columns, "a,b");
	assert_int_equal(crm_batch_decimal(&o), ',');
	o.decimal = ".";
	assert_int_equal(crm_batch_decimal(&o), '.');
	o.decimal = NULL;
	assert_int_equal(crm_batch_decimal(&o), '.');
}

static void batch__bad_input_options__usage_nothing_read(void **state)
{
	struct fixture *f = fx(state);
	static const struct {
		const char *delimiter, *columns, *decimal;
		int no_header, vcard;
		const char *msg;
	} tab[] = {
		{ "|", NULL, NULL, 0, 0,
		  "--delimiter: use \",\", \";\", tab or whitespace, not \"|\"" },
		{ NULL, NULL, "'", 0, 0, "--decimal: use . or , not \"'\"" },
		{ NULL, NULL, NULL, 1, 0, "--no-header needs --columns NAME,NAME,..." },
		{ NULL, "v", NULL, 0, 0,
		  "--columns names the columns of a file without a header line: give --no-header too" },
		{ NULL, "v,,w", NULL, 1, 0, "--columns: empty column name in \"v,,w\"" },
		{ NULL, "v,", NULL, 1, 0, "--columns: empty column name in \"v,\"" },
		{ ";", NULL, NULL, 0, 1, "--delimiter and --no-header are for CSV and TSV, not vCard" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		char want[256];

		f->opts.delimiter = tab[i].delimiter;
		f->opts.columns = tab[i].columns;
		f->opts.decimal = tab[i].decimal;
		f->opts.no_header = tab[i].no_header;
		f->opts.source = &crm_contact_vcard_source;
		f->opts.use_source = tab[i].vcard;
		assert_int_equal(run(state, "v\na\n"), CRM_EX_USAGE);
		snprintf(want, sizeof(want), "crm-test: import: %s\n", tab[i].msg);
		err_is(state, want);
		assert_int_equal(f->header_calls, 0);
	}
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
}

static void batch__delimiter__overrides_format_and_detection(void **state)
{
	struct fixture *f = fx(state);

	f->opts.delimiter = ";";
	f->opts.format = CRM_CSV_TAB; /* --format tsv: --delimiter wins */
	assert_int_equal(run(state, "v;w\n\"a,b\";1\nc\td;2\n"), 0);
	assert_string_equal(f->header_names, "v|w");
	assert_rows(store(state), "SELECT group_concat(v, '|') FROM t", "a,b|c\td\n");
	/* "tab" and a tab character name TSV */
	f->opts.format = CRM_CSV_AUTO;
	f->opts.delimiter = "tab";
	assert_int_equal(run(state, "v,w\tx\n1,2\t3\n"), 0);
	assert_string_equal(f->header_names, "v,w|x");
	f->opts.delimiter = "\t";
	assert_int_equal(run(state, "v,w\tx\n1,2\t3\n"), 0);
	assert_string_equal(f->header_names, "v,w|x");
	/* "," is CSV even when the first line looks like TSV */
	f->opts.delimiter = ",";
	assert_int_equal(run(state, "v\tw,x\n1\t2,3\n"), 0);
	assert_string_equal(f->header_names, "v\tw|x");
	/* and a file that is not vCard is not taken for one */
	f->opts.source = &crm_contact_vcard_source;
	f->opts.use_source = -1;
	f->opts.delimiter = ";";
	assert_int_equal(run(state, "BEGIN:VCARD;x\nEND:VCARD;y\n"), 0);
	assert_string_equal(f->header_names, "BEGIN:VCARD|x");
}

static void batch__delimiter_whitespace__aligned_columns(void **state)
{
	struct fixture *f = fx(state);

	f->opts.delimiter = "whitespace";
	assert_int_equal(run(state, "  v      w\n  a1     1\n\n  b22   22  \r\n"), 0);
	assert_string_equal(f->header_names, "v|w");
	counts_are(state, 2, 2, 0, 0, 0, 0);
	assert_rows(store(state), "SELECT group_concat(v, '|') FROM t", "a1|b22\n");
}

static void batch__no_header_columns__names_given_lines_real(void **state)
{
	struct fixture *f = fx(state);

	f->opts.no_header = 1;
	f->opts.columns = "v,w";
	f->opts.delimiter = "whitespace";
	f->opts.rejects_path = f->rejects;
	assert_int_equal(run(state, "a 1\n\nbad 2\nc 3 4\nd 4\n"), CRM_EX_DATAERR);
	assert_int_equal(f->header_calls, 1);
	assert_string_equal(f->header_names, "v|w");
	counts_are(state, 4, 2, 0, 0, 0, 2);
	/* the first line is a row; lines count the file's own */
	assert_rows(store(state), "SELECT group_concat(v, '|') FROM t", "a|d\n");
	rejects_file_is(state, "line,reason,v,w\n3,\"bad value \"\"bad\"\", with a comma\",bad,2\n"
			       "4,\"expected 2 fields, found 3\",c,3,4\n");
}

static void batch__no_header_empty_input__nothing_to_do(void **state)
{
	struct fixture *f = fx(state);

	f->opts.no_header = 1;
	f->opts.columns = "v";
	assert_int_equal(run(state, ""), 0);
	err_is(state, "");
	assert_int_equal(f->header_calls, 1);
	counts_are(state, 0, 0, 0, 0, 0, 0);
	/* the header callback still judges the names */
	f->header_rc = CRM_EX_DATAERR;
	assert_int_equal(run(state, "a\n"), CRM_EX_DATAERR);
	err_is(state, "crm-test: import: no usable column\n");
	assert_rows(store(state), "SELECT count(*) FROM t", "0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(batch__two_step__written_in_key_order, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__window__rows_seen_ahead_then_one_by_one, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__window__commits_between_windows_and_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__two_step_hooks__around_each_block, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__two_step_window__same_as_without, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__two_step_window_stopped__resumed_after_its_last_block, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__good_rows__committed_silently, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__verbose__summary_line, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__formats__csv_tsv_crlf_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__bad_rows__stderr_and_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__ragged_rows__rejected_with_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__malformed_record__rejected_and_reading_goes_on, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__many_rejects__first_20_on_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__rejects_file__csv_with_line_reason_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__rejects_file__created_when_all_good, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__rejects_file_unwritable__ioerr, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__quiet__rows_reported_no_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__strict_with_reject__nothing_written, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__strict_all_good__committed, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__dry_run__checked_then_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__empty_input__dataerr, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__header_only__nothing_read, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__bad_header__dataerr, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__header_callback_error__stops, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__missing_file__noinput, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__row_error__stops_and_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__stdin__named_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__vcard_detected__rows_of_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__input_options__set_and_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__bad_input_options__usage_nothing_read, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__delimiter__overrides_format_and_detection, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__delimiter_whitespace__aligned_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__no_header_columns__names_given_lines_real, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__no_header_empty_input__nothing_to_do, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__stopped_run__resumed_after_its_last_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__stopped_twice__each_run_starts_further, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__changed_file__read_from_the_top, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__dry_run_no_resume_strict__from_the_top, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__crlf_bom__resumed_at_the_right_line, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__two_step_stopped__resumed_after_its_last_block, setup, teardown),
		cmocka_unit_test_setup_teardown(batch__vcard_stopped__resumed_past_its_rows, setup, teardown),
	};

	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
