/* rawsql.h - raw SQLite for the SQLite-backend tests: those that exercise
 * SQLite itself (a second connection holding a lock or a snapshot, fault
 * injection and tracing on the store's connection, a store file written
 * by hand, SQLite's own view of the store's statements). For
 * tests/unit/test_*.c only, static inline like fixture.h (include that
 * first).
 *
 * A test that reads or writes the store through the store uses fixture.h's
 * exec_ok(), q_rows(), assert_rows() and q_int() on a struct crm_store
 * instead, so that it runs on every backend; a test that includes this
 * header runs on SQLite alone.
 *
 *   db()
 *     the store's own connection (crm_store_native()), from a state whose
 *     first member is a struct fixture_store.
 *   raw_exec_ok(), raw_rows(), raw_assert_rows(), raw_int()
 *     exec_ok(), q_rows(), assert_rows() and q_int() on a sqlite3
 *     connection of the test's own.
 */
#ifndef CRM_TEST_RAWSQL_H
#define CRM_TEST_RAWSQL_H

#include <sqlite3.h>

#define RAWSQL_FN static inline __attribute__((unused))

RAWSQL_FN sqlite3 *db(void **state)
{
	return (sqlite3 *)crm_store_native(store(state));
}

/* Runs sql on d (several statements allowed); fails the test on an error. */
RAWSQL_FN void raw_exec_ok(sqlite3 *d, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(d, sql, NULL, NULL, &err) != SQLITE_OK) {
		/* fail_msg(), with err freed before fail() jumps away */
		print_error("ERROR: %s: %s\n", sql, err != NULL ? err : "?");
		sqlite3_free(err);
		fail();
	}
}

/* All rows of sql on d as "a|b|c\n" lines; NULL shown as "NULL". Caller
 * frees. */
RAWSQL_FN char *raw_rows(sqlite3 *d, const char *sql)
{
	struct crm_buf b = CRM_BUF_INIT;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(d));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "",
				     t != NULL ? (const char *)t : "NULL");
		}
		crm_buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

/* The rows of sql on d, as raw_rows() writes them, must be want. */
RAWSQL_FN void raw_assert_rows(sqlite3 *d, const char *sql, const char *want)
{
	assert_text(sql, raw_rows(d, sql), want);
}

/* The first column of the first row of sql on d (there must be a row), as
 * an int. */
RAWSQL_FN int raw_int(sqlite3 *d, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v;

	assert_int_equal(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

#endif
