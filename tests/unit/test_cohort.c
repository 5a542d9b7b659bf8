/* test_cohort.c - unit tests for lib/segment/cohort.c: first-purchase
 * cohorts by month and by week on a crafted store.
 *
 *   contact 1: purchase 2024-01-10 10.00, purchase 2024-02-05 5.00,
 *              refund 2024-02-20 -2.00
 *   contact 2: purchase 2024-01-31 3.00
 *   contact 3: purchase 2024-03-01 7.00, refund 2024-05-01 -1.00
 *   contact 4: a refund only (in no cohort); contact 5: a note only
 *
 * 2024-01-01 is a Monday: the weeks start 01-08, 01-29, 02-05, 02-19,
 * 02-26.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "segment/cohort.h"
#include "store/store.h"
#include "fixture.h"

static int setup(void **state)
{
	if (fixture_setup(state, "cohort", "2024-06-15T12:00:00Z") != 0)
		return -1;
	exec_ok(store(state),
		"INSERT INTO contacts (id, uid, created_at, updated_at) VALUES"
		" (1, 'c1', 'x', 'x'), (2, 'c2', 'x', 'x'), (3, 'c3', 'x', 'x'),"
		" (4, 'c4', 'x', 'x'), (5, 'c5', 'x', 'x');"
		"INSERT INTO interactions (contact_id, at, type, amount, currency, created_at) VALUES"
		" (1, '2024-01-10T09:00:00Z', 'purchase', 1000, 'EUR', 'x'),"
		" (1, '2024-02-05T09:00:00Z', 'purchase', 500, 'EUR', 'x'),"
		" (1, '2024-02-20T09:00:00Z', 'refund', -200, 'EUR', 'x'),"
		" (2, '2024-01-31T23:00:00Z', 'purchase', 300, 'EUR', 'x'),"
		" (3, '2024-03-01T09:00:00Z', 'purchase', 700, 'EUR', 'x'),"
		" (3, '2024-05-01T09:00:00Z', 'refund', -100, 'EUR', 'x'),"
		" (4, '2024-01-15T09:00:00Z', 'refund', -50, 'EUR', 'x');"
		"INSERT INTO interactions (contact_id, at, type, created_at) VALUES"
		" (5, '2024-01-02T09:00:00Z', 'note', 'x');");
	return 0;
}

/* The table as text: "label size" then per period "buyers/revenue" or
 * "-" where nothing happened, a line per cohort. */
static char *table(void **state, int week, int64_t periods)
{
	struct crm_cohorts t;
	struct crm_err e = { 0, "" };
	struct crm_buf b = CRM_BUF_INIT;

	if (crm_cohorts(store(state), week, periods, &t, &e) != 0)
		fail_msg("cohorts: %s", e.msg);
	assert_int_equal(t.periods, periods);
	for (size_t i = 0; i < t.n; i++) {
		crm_buf_addf(&b, "%s %lld", t.rows[i].label, (long long)t.rows[i].size);
		for (int64_t j = 0; j < periods; j++) {
			const struct crm_cohort_cell *c = &t.rows[i].cells[j];

			if (c->set)
				crm_buf_addf(&b, " %lld/%lld", (long long)c->buyers, (long long)c->revenue);
			else
				crm_buf_adds(&b, " -");
		}
		crm_buf_addc(&b, '\n');
	}
	crm_cohorts_free(&t);
	assert_null(t.rows);
	return crm_buf_detach(&b);
}

#define assert_table(week, periods, want) do { \
		char *got_ = table(state, (week), (periods)); \
		assert_string_equal(got_, (want)); \
		free(got_); \
	} while (0)

static void cohort__by_month__buyers_and_revenue_less_refunds(void **state)
{
	assert_table(0, 3,
		     "2024-01 2 2/1300 1/300 -\n"
		     "2024-03 1 1/700 - 0/-100\n");
	/* fewer periods: later ones are left out, not folded in */
	assert_table(0, 1, "2024-01 2 2/1300\n2024-03 1 1/700\n");
}

static void cohort__by_week__from_monday(void **state)
{
	assert_table(1, 6,
		     "2024-01-08 1 1/1000 - - - 1/500 -\n"
		     "2024-01-29 1 1/300 - - - - -\n"
		     "2024-02-26 1 1/700 - - - - -\n");
	assert_table(1, 7,
		     "2024-01-08 1 1/1000 - - - 1/500 - 0/-200\n"
		     "2024-01-29 1 1/300 - - - - - -\n"
		     "2024-02-26 1 1/700 - - - - - -\n");
}

static void cohort__no_purchases__no_rows(void **state)
{
	exec_ok(store(state), "DELETE FROM interactions WHERE type = 'purchase'");
	assert_table(0, 12, "");
	assert_table(1, 2, "");
}

static void cohort__periods_out_of_range__usage(void **state)
{
	struct crm_cohorts t;
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_cohorts(store(state), 0, 0, &t, &e), CRM_EX_USAGE);
	crm_cohorts_free(&t);
	assert_int_equal(crm_cohorts(store(state), 0, CRM_COHORT_PERIODS_MAX + 1, &t, &e),
			 CRM_EX_USAGE);
	crm_cohorts_free(&t);
	assert_int_equal(crm_cohorts(store(state), 0, CRM_COHORT_PERIODS_MAX, &t, &e), 0);
	assert_int_equal(t.n, 2);
	crm_cohorts_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(cohort__by_month__buyers_and_revenue_less_refunds,
						setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cohort__by_week__from_monday, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cohort__no_purchases__no_rows, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cohort__periods_out_of_range__usage, setup,
						fixture_teardown),
	};

	return cmocka_run_group_tests_name("cohort", tests, NULL, NULL);
}
