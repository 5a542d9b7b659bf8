/* test_merge_pairs.c - unit tests for lib/contact/merge_pairs.c: pairs by
 * reference, a pair whose contact is gone skipped and said, the
 * keep/other rows of a file (and what is wrong with a file), and a failed
 * lookup taken for its error, never for a skip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "contact/contact.h"
#include "contact/merge_pairs.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"
#include "fault.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

struct fixture {
	struct fixture_store base;
	struct crm_merge_pairs m;
	struct crm_buf skips;     /* why each skip, one a line */
};
FIXTURE_BASE_FIRST(struct fixture);

static void skipped(void *ctx, const char *why)
{
	crm_buf_addf(ctx, "%s\n", why);
}

static int setup(void **state)
{
	struct fixture *f = fixture_new(sizeof(*f), "mpairs", NOW_TEXT);

	if (f == NULL)
		return -1;
	crm_buf_init(&f->skips);
	f->m.store = f->base.s;
	f->m.skipped = skipped;
	f->m.ctx = &f->skips;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	crm_buf_free(&f->skips);
	return fixture_free(f);
}

static struct fixture *fx(void **state)
{
	return *state;
}

/* Contacts 1-3: Ann twice (a@, A@ other mailbox), Bob. */
static void three(void **state)
{
	fixture_contact(store(state), "uid", "u1", "first_name", "Ann", "email", "ann@example.org", NULL);
	fixture_contact(store(state), "uid", "u2", "first_name", "Ann", "city", "Delft", NULL);
	fixture_contact(store(state), "uid", "u3", "first_name", "Bob", NULL);
}

/* Merges the pairs of text, written to DIR/pairs.csv. */
static int from_text(void **state, const char *text, struct crm_err *e)
{
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/pairs.csv", fx(state)->base.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return crm_merge_pairs_from(&fx(state)->m, path, e);
}

static void merge_pairs__pair__merged_gone_skipped(void **state)
{
	struct crm_err e = { 0, "" };

	three(state);
	assert_int_equal(crm_store_begin(store(state), &e), 0);
	assert_int_equal(crm_merge_pair(&fx(state)->m, "u1", "2", &e), 0);
	assert_int_equal(crm_merge_pair(&fx(state)->m, "1", "u2", &e), 0); /* merged away */
	assert_int_equal(crm_store_commit(store(state), &e), 0);
	assert_int_equal(fx(state)->m.merged, 1);
	assert_int_equal(fx(state)->m.skipped_n, 1);
	assert_string_equal(crm_buf_str(&fx(state)->skips), "no contact \"u2\"\n");
	assert_rows(store(state), "SELECT id, city FROM contacts ORDER BY id", "1|Delft\n3|NULL\n");
}

static void merge_pairs__from_file__every_row(void **state)
{
	struct crm_err e = { 0, "" };

	three(state);
	assert_int_equal(from_text(state, "score,other,keep\n0.9,2,1\n0.5,u3,u1\n0.4,2,3\n", &e), 0);
	assert_int_equal(fx(state)->m.merged, 2);
	assert_int_equal(fx(state)->m.skipped_n, 1);
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contacts"), 1);
}

static void merge_pairs__bad_files__dataerr_or_noinput(void **state)
{
	struct crm_err e = { 0, "" };

	three(state);
	assert_int_equal(from_text(state, "a,b\n1,2\n", &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "pairs.csv: needs keep and other columns (as dupes writes)"));
	assert_int_equal(from_text(state, "", &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "pairs.csv: empty input"));
	assert_int_equal(from_text(state, "keep,other\n1\n", &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "pairs.csv:2: missing keep or other"));
	assert_int_equal(crm_merge_pairs_from(&fx(state)->m, "/nonexistent/p.csv", &e),
			 CRM_EX_NOINPUT);
	assert_string_equal(e.msg, "cannot open /nonexistent/p.csv: No such file or directory");
	assert_int_equal(fx(state)->m.merged, 0);
}

/* A lookup that fails is not "merged away already": the run stops with
 * its code and the pair is not counted as skipped. */
static void merge_pairs__lookup_fails__its_code_not_a_skip(void **state)
{
	struct crm_err e = { 0, "" };
	struct fault f;

	three(state);
	fault_arm(&f, db(state), "WHERE uid = ?1");
	assert_int_equal(crm_merge_pair(&fx(state)->m, "u1", "u2", &e), CRM_EX_SOFTWARE);
	fault_disarm(&f);
	assert_int_equal(fx(state)->m.skipped_n, 0);
	assert_string_equal(crm_buf_str(&fx(state)->skips), "");
	assert_int_equal(q_int(store(state), "SELECT count(*) FROM contacts"), 3);
}

static void merge_pairs__store_busy__tempfail(void **state)
{
	struct crm_err e = { 0, "" };
	struct fault_lock l;

	three(state);
	reopen_shared(state);
	fx(state)->m.store = store(state);
	fault_lock(&l, fx(state)->base.path, "contacts");
	assert_int_equal(crm_merge_pair(&fx(state)->m, "u1", "u2", &e), CRM_EX_TEMPFAIL);
	fault_unlock(&l);
	assert_int_equal(fx(state)->m.skipped_n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		S(merge_pairs__pair__merged_gone_skipped),
		S(merge_pairs__from_file__every_row),
		S(merge_pairs__bad_files__dataerr_or_noinput),
		S(merge_pairs__lookup_fails__its_code_not_a_skip),
		S(merge_pairs__store_busy__tempfail),
#undef S
	};

	return cmocka_run_group_tests_name("merge_pairs", tests, NULL, NULL);
}
