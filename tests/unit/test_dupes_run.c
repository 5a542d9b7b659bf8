/* test_dupes_run.c - unit tests for lib/contact/dupes_run.c: the options
 * of dupes, the score's text, the pairs written as rows with the names
 * and emails looked up, the split callback handed on, and a failed or
 * busy lookup of a contact's name taken for its error (the run stops
 * with the code), never for "not there". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "contact/contact.h"
#include "contact/dupes.h"
#include "contact/dupes_run.h"
#include "io/output.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"
#include "fault.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "dupesrun", NOW_TEXT);
}

static void pair(void **state)
{
	fixture_contact(store(state), "first_name", "Ann", "last_name", "Lee", "email", "ann@example.org", NULL);
	fixture_contact(store(state), "first_name", "Ann", "last_name", "Lee", "email", "ann+crm@example.org", NULL);
	fixture_contact(store(state), "first_name", "Bob", NULL);
}

static void count_splits(void *ctx, const char *reason, const char *key, size_t n, size_t parts)
{
	(void)reason;
	(void)key;
	(void)n;
	(void)parts;
	(*(int *)ctx)++;
}

/* Writes the pairs as TSV; *rc is crm_dupes_write's. Caller frees. */
static char *write_pairs(void **state, struct crm_dupes_opts *o, int *rc, struct crm_err *e)
{
	struct crm_out_opts opts = { CRM_FMT_TSV, 1, 0 };
	struct crm_dupes_stats stats;
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);
	struct crm_out *out;

	assert_non_null(fp);
	out = crm_out_open(fp, &opts);
	*rc = crm_dupes_write(store(state), o, out, &stats, e);
	crm_out_close(out, NULL);
	fclose(fp);
	return text;
}

static void dupes_run__options__checked(void **state)
{
	struct crm_dupes_opts o = { NULL, 0.45, 0, NULL, NULL, NULL };
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MIN_SCORE, "0.9", &e), 0);
	assert_true(o.min_score > 0.89 && o.min_score < 0.91);
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MIN_SCORE, "1.5", &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "--min-score: a number from 0 to 1, not \"1.5\"");
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MIN_SCORE, "high", &e), CRM_EX_USAGE);
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MAX_BLOCK, "3", &e), 0);
	assert_int_equal(o.max_block, 3);
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MAX_BLOCK, "1", &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "--max-block: a number from 2 to 1000000, not \"1\"");
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MAX_BLOCK, "+5", &e), CRM_EX_USAGE);
	assert_int_equal(crm_dupes_option(&o, CRM_DUPES_OPT_MAX_BLOCK, "1000001", &e), CRM_EX_USAGE);
	assert_int_equal(crm_dupes_option(&o, 'x', "1", &e), -1);
}

static void dupes_run__score_text__two_decimals(void **state)
{
	char t[5];

	(void)state;
	crm_dupes_score_text(1.0, t);
	assert_string_equal(t, "1.00");
	crm_dupes_score_text(0.95, t);
	assert_string_equal(t, "0.95");
	crm_dupes_score_text(0.454, t);
	assert_string_equal(t, "0.45");
	crm_dupes_score_text(0.0, t);
	assert_string_equal(t, "0.00");
}

static void dupes_run__write__header_and_rows(void **state)
{
	struct crm_dupes_opts o = { NULL, 0.45, 0, NULL, NULL, NULL };
	struct crm_err e = { 0, "" };
	char *text;
	int rc;

	pair(state);
	text = write_pairs(state, &o, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(text, "keep\tother\tscore\treason\tkeep_name\tkeep_email\tother_name\tother_email\n"
			    "1\t2\t0.95\tsame mailbox (+tags and Gmail dots ignored)\tAnn Lee\tann@example.org\tAnn Lee\tann+crm@example.org\n");
	free(text);
}

static void dupes_run__split__handed_on(void **state)
{
	int splits = 0;
	struct crm_dupes_opts o = { NULL, 0.45, 2, NULL, count_splits, &splits };
	struct crm_err e = { 0, "" };
	char *text;
	int rc;

	pair(state);
	fixture_contact(store(state), "first_name", "Ann", "last_name", "Lee", "email", "ann+news@example.org", NULL);
	text = write_pairs(state, &o, &rc, &e);
	assert_int_equal(rc, 0);
	assert_int_equal(splits, 1);
	free(text);
}

/* The lookup of a contact's name and email failing stops the run with
 * its code: the pair is never written without them, nor dropped. */
static void dupes_run__name_lookup_fails__its_code(void **state)
{
	struct crm_dupes_opts o = { NULL, 0.45, 0, NULL, NULL, NULL };
	struct crm_err e = { 0, "" };
	struct fault f;
	char *text;
	int rc;

	pair(state);
	fault_arm(&f, db(state), "company, city FROM contacts WHERE id = ?1");
	text = write_pairs(state, &o, &rc, &e);
	fault_disarm(&f);
	assert_true(f.hits > 0);
	assert_int_equal(rc, CRM_EX_SOFTWARE);
	assert_null(strstr(text, "same mailbox"));
	free(text);
}

static void dupes_run__store_busy__tempfail(void **state)
{
	struct crm_dupes_opts o = { NULL, 0.45, 0, NULL, NULL, NULL };
	struct crm_err e = { 0, "" };
	struct fault_lock l;
	char *text;
	int rc;

	pair(state);
	reopen_shared(state);
	fault_lock(&l, ((struct fixture_store *)*state)->path, "contacts");
	text = write_pairs(state, &o, &rc, &e);
	fault_unlock(&l);
	assert_int_equal(rc, CRM_EX_TEMPFAIL);
	assert_non_null(strstr(e.msg, "is busy"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, fixture_teardown)
		S(dupes_run__options__checked),
		S(dupes_run__score_text__two_decimals),
		S(dupes_run__write__header_and_rows),
		S(dupes_run__split__handed_on),
		S(dupes_run__name_lookup_fails__its_code),
		S(dupes_run__store_busy__tempfail),
#undef S
	};

	return cmocka_run_group_tests_name("dupes_run", tests, NULL, NULL);
}
