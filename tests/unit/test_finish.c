/* test_finish.c - unit tests for lib/cli/finish.c: a command's
 * transaction committed or rolled back, its listing closed, a failed
 * write reported (74), a refused option's code, each error printed once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "store/store.h"
#include "fixture.h"
#include "capture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

struct fixture {
	struct fixture_store base;
	struct crm crm;
	char *err;
};
FIXTURE_BASE_FIRST(struct fixture);

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "finish", NOW_TEXT);

	if (f == NULL)
		return -1;
	f->crm.prog = "crm-test";
	f->crm.cmd = "run";
	f->crm.usage = "run THING";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->err);
	return fixture_free(f);
}

static struct fixture *fx(void **state)
{
	return *state;
}

/* Begins, inserts a tag name into a scratch table, then finishes with rc. */
static int tx(void **state, int rc_of_work)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct capture c;
	int rc;

	exec_ok(store(state), "CREATE TABLE IF NOT EXISTS scratch(x)");
	assert_int_equal(crm_store_begin(f->base.s, &e), 0);
	exec_ok(store(state), "INSERT INTO scratch VALUES (1)");
	if (rc_of_work != 0)
		crm_err_set(&e, rc_of_work, "the work failed");
	capture_begin(&c);
	rc = crm_finish_tx(&f->crm, f->base.s, rc_of_work, &e);
	free(f->err);
	f->err = capture_end(&c);
	return rc;
}

static void finish_tx__ok__committed_silent(void **state)
{
	assert_int_equal(tx(state, 0), 0);
	assert_string_equal(fx(state)->err, "");
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM scratch"), 1);
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

static void finish_tx__error__rolled_back_printed_once(void **state)
{
	assert_int_equal(tx(state, CRM_EX_DATAERR), CRM_EX_DATAERR);
	assert_string_equal(fx(state)->err, "crm-test: run: the work failed\n");
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM scratch"), 0);
	assert_int_equal(crm_store_in_tx(store(state)), 0);
}

static void finish_tx__commit_fails__printed(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct capture c;
	int rc;

	/* no transaction: COMMIT itself fails */
	capture_begin(&c);
	rc = crm_finish_tx(&f->crm, f->base.s, 0, &e);
	f->err = capture_end(&c);
	assert_int_not_equal(rc, 0);
	assert_int_equal(strncmp(f->err, "crm-test: run: ", 15), 0);
}

/* Closes an output on fp after work that returned rc. */
static int output(void **state, FILE *fp, int rc_of_work)
{
	struct fixture *f = *state;
	struct crm_out_opts opts = { CRM_FMT_TSV, 1, 0 };
	struct crm_out *out = crm_out_open(fp, &opts);
	struct crm_err e = { 0, "" };
	struct capture c;
	int rc;

	crm_out_columns(out, 1, (const char *const[]){ "x" });
	crm_out_row(out, (const char *const[]){ "1" });
	if (rc_of_work != 0)
		crm_err_set(&e, rc_of_work, "the query failed");
	capture_begin(&c);
	rc = crm_finish_output(&f->crm, out, rc_of_work, &e);
	free(f->err);
	f->err = capture_end(&c);
	return rc;
}

static void finish_output__ok_error_or_write_error(void **state)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size), *full;

	assert_int_equal(output(state, fp, 0), 0);
	fflush(fp);
	assert_string_equal(text, "x\n1\n");
	assert_string_equal(fx(state)->err, "");
	assert_int_equal(output(state, fp, CRM_EX_TEMPFAIL), CRM_EX_TEMPFAIL);
	assert_string_equal(fx(state)->err, "crm-test: run: the query failed\n");
	fclose(fp);
	free(text);
	full = fopen("/dev/full", "w");
	if (full == NULL)
		skip();
	assert_int_equal(output(state, full, 0), CRM_EX_IOERR);
	assert_string_equal(fx(state)->err, "crm-test: run: write error: No space left on device\n");
	fclose(full);
}

static void finish_option__codes(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { CRM_EX_USAGE, "--limit: invalid number \"x\"" };
	struct capture c;

	capture_begin(&c);
	assert_int_equal(crm_finish_option(&f->crm, -1, &e), CRM_EX_USAGE);
	f->err = capture_end(&c);
	assert_string_equal(f->err, "");
	free(f->err);
	capture_begin(&c);
	assert_int_equal(crm_finish_option(&f->crm, CRM_EX_USAGE, &e), CRM_EX_USAGE);
	f->err = capture_end(&c);
	assert_non_null(strstr(f->err, "crm-test: run: --limit: invalid number \"x\"\n"));
	assert_non_null(strstr(f->err, "run THING"));
	free(f->err);
	crm_err_set(&e, CRM_EX_DATAERR, "bad tag");
	capture_begin(&c);
	assert_int_equal(crm_finish_option(&f->crm, CRM_EX_DATAERR, &e), CRM_EX_DATAERR);
	f->err = capture_end(&c);
	assert_string_equal(f->err, "crm-test: run: bad tag\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		S(finish_tx__ok__committed_silent),
		S(finish_tx__error__rolled_back_printed_once),
		S(finish_tx__commit_fails__printed),
		S(finish_output__ok_error_or_write_error),
		S(finish_option__codes),
#undef S
	};

	return cmocka_run_group_tests_name("finish", tests, NULL, NULL);
}
