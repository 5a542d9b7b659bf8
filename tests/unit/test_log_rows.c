/* test_log_rows.c - unit tests for lib/log/log_rows.c: a query's rows as
 * text, the amount in its currency, a failing step an error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "log/log_rows.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"

static int setup(void **state)
{
	return fixture_setup(state, "log_rows", "2024-06-15T12:00:00Z");
}

/* Whether the store's statement of that text is being stepped (SQLite's
 * own view of it, from the connection's list of statements: the statement
 * must be there, not finalized). */
static int raw_busy(sqlite3 *d, const char *sql)
{
	for (sqlite3_stmt *p = sqlite3_next_stmt(d, NULL); p != NULL; p = sqlite3_next_stmt(d, p))
		if (strcmp(sqlite3_sql(p), sql) == 0)
			return sqlite3_stmt_busy(p);
	fail_msg("no statement %s", sql);
	return -1;
}

static void log_rows__values__text_and_amount_formatted(void **state)
{
	static const char sql[] =
		"SELECT 1, NULL, 1250, 'EUR' UNION ALL SELECT 2, 'x', -500, 'JPY'"
		" UNION ALL SELECT 3, 'y', NULL, NULL";
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = crm_store_prepare(store(state), sql);
	struct crm_log_rows *r = crm_log_rows_new(store(state), st, 0, 2, 3);
	const char *const *v;

	assert_int_equal(crm_log_rows_ncols(r), 4);
	assert_int_equal(crm_log_rows_next(r, &v, &e), 1);
	assert_string_equal(v[0], "1");
	assert_null(v[1]);
	assert_string_equal(v[2], "12.50");
	assert_string_equal(v[3], "EUR");
	assert_int_equal(crm_log_rows_next(r, &v, &e), 1);
	assert_string_equal(v[1], "x");
	assert_string_equal(v[2], "-500");    /* yen: no minor units */
	assert_int_equal(crm_log_rows_next(r, &v, &e), 1);
	assert_null(v[2]);                    /* no amount stays empty */
	assert_int_equal(crm_log_rows_next(r, &v, &e), 0);
	crm_log_rows_close(r);
	/* a cached statement is reset, not finalized: it runs again */
	assert_int_equal(raw_busy(db(state), sql), 0);
	assert_int_equal(crm_store_step(store(state), st, &e), CRM_ROW);
	crm_stmt_reset(st);
}

static void log_rows__no_amount_column__values_as_is(void **state)
{
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = crm_store_prepare(store(state), "SELECT 1250, 'EUR'");
	struct crm_log_rows *r = crm_log_rows_new(store(state), st, 0, -1, -1);
	const char *const *v;

	assert_int_equal(crm_log_rows_next(r, &v, &e), 1);
	assert_string_equal(v[0], "1250");
	crm_log_rows_close(r);
}

static void log_rows__failing_step__error_not_end(void **state)
{
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = crm_store_prepare(store(state),
		"SELECT 1 UNION ALL SELECT abs(-9223372036854775807 - 1)");
	struct crm_log_rows *r = crm_log_rows_new(store(state), st, 0, -1, -1);
	const char *const *v;

	assert_int_equal(crm_log_rows_next(r, &v, &e), 1);
	assert_int_equal(crm_log_rows_next(r, &v, &e), -1);
	assert_int_equal(e.code, CRM_EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "integer overflow"));
	crm_log_rows_close(r);
}

/* How many statements the connection holds (SQLite's count). */
static int nstmts(sqlite3 *d)
{
	int n = 0;

	for (sqlite3_stmt *st = sqlite3_next_stmt(d, NULL); st != NULL; st = sqlite3_next_stmt(d, st))
		n++;
	return n;
}

static void log_rows__owned__finalized_at_close(void **state)
{
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = NULL;
	struct crm_log_rows *r;
	const char *const *v;
	int before = nstmts(db(state));

	assert_int_equal(crm_store_prepare_built(store(state), "SELECT 7", &st, &e), 0);
	r = crm_log_rows_new(store(state), st, 1, -1, -1);
	assert_int_equal(crm_log_rows_next(r, &v, &e), 1);
	assert_string_equal(v[0], "7");
	assert_int_equal(nstmts(db(state)), before + 1);
	crm_log_rows_close(r);
	assert_int_equal(nstmts(db(state)), before);
	crm_log_rows_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(log_rows__values__text_and_amount_formatted, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(log_rows__no_amount_column__values_as_is, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(log_rows__failing_step__error_not_end, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(log_rows__owned__finalized_at_close, setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("log_rows", tests, NULL, NULL);
}
