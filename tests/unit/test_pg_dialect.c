/* test_pg_dialect.c - unit tests for lib/store/pg_dialect.c: the
 * toolkit's SQL as PostgreSQL reads it. No server is needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/pg_dialect.h"

/* Translates sql, checks the result and the number of parameters. */
static void expect(const char *sql, const char *want, int want_params)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_err e = { 0 };
	int n = -1;

	assert_int_equal(crm_pg_translate(sql, &out, &n, &e), 0);
	assert_string_equal(crm_buf_str(&out), want);
	assert_int_equal(n, want_params);
	crm_buf_free(&out);
}

static void numbered_placeholders(void **state)
{
	(void)state;
	expect("SELECT id FROM contacts WHERE uid = ?1 OR email = ?2",
	       "SELECT id FROM contacts WHERE uid = $1 OR email = $2", 2);
	/* a number used twice is one parameter */
	expect("SELECT 1 WHERE ?3 IS NULL OR at < ?3", "SELECT 1 WHERE $3 IS NULL OR at < $3", 3);
	expect("SELECT ?10, ?2", "SELECT $10, $2", 10);
}

static void bare_placeholders_number_as_sqlite_does(void **state)
{
	(void)state;
	/* a bare ? is one more than the highest number so far */
	expect("VALUES (?, ?, ?)", "VALUES ($1, $2, $3)", 3);
	expect("VALUES (?5, ?, ?2, ?)", "VALUES ($5, $6, $2, $7)", 7);
}

static void literals_and_names_are_left_alone(void **state)
{
	(void)state;
	expect("SELECT 'who? like ?1' || ?1 FROM \"odd?name\"",
	       "SELECT 'who? like ?1' || $1 FROM \"odd?name\"", 1);
	expect("SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1", 1);
	expect("SELECT 1 -- a comment? with LIKE\n, ?", "SELECT 1 -- a comment? with LIKE\n, $1", 1);
	expect("SELECT /* don't ? LIKE */ ?", "SELECT /* don't ? LIKE */ $1", 1);
}

static void like_ignores_case_as_on_sqlite(void **state)
{
	(void)state;
	expect("SELECT id FROM contacts WHERE c.email LIKE ?1 ESCAPE '\\'",
	       "SELECT id FROM contacts WHERE c.email ILIKE $1 ESCAPE '\\'", 1);
	expect("WHERE a like ?", "WHERE a ILIKE $1", 1);
	/* only the word: a column named like_count stays */
	expect("SELECT like_count, unlike FROM t", "SELECT like_count, unlike FROM t", 0);
}

static void insert_or_ignore(void **state)
{
	(void)state;
	expect("INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)",
	       "INSERT INTO contact_tags (contact_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
	       2);
	expect("INSERT OR IGNORE INTO t (a) VALUES (?1) RETURNING id",
	       "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id", 1);
	/* a column named returning_x is not the clause */
	expect("INSERT OR IGNORE INTO t (returning_x) VALUES (?1)",
	       "INSERT INTO t (returning_x) VALUES ($1) ON CONFLICT DO NOTHING", 1);
	/* an INSERT that is not OR IGNORE gets nothing added */
	expect("INSERT INTO t (a) VALUES (?1)", "INSERT INTO t (a) VALUES ($1)", 1);
}

static void limit_minus_one_is_no_limit(void **state)
{
	(void)state;
	expect("SELECT id FROM t ORDER BY id LIMIT ?8", "SELECT id FROM t ORDER BY id LIMIT nullif($8, -1)",
	       8);
	expect("SELECT id FROM t LIMIT 10", "SELECT id FROM t LIMIT 10", 0);
}

static void sqlite_only_words_go(void **state)
{
	(void)state;
	expect("SELECT c.id FROM contacts c NOT INDEXED WHERE x", "SELECT c.id FROM contacts c  WHERE x", 0);
	expect("CREATE TEMP TABLE IF NOT EXISTS r (k TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.r",
	       "CREATE TEMP TABLE IF NOT EXISTS r (k TEXT PRIMARY KEY) ; DELETE FROM pg_temp.r", 0);
	/* NOT alone is kept */
	expect("WHERE NOT EXISTS (SELECT 1)", "WHERE NOT EXISTS (SELECT 1)", 0);
}

static void integers_are_64_bits(void **state)
{
	(void)state;
	expect("SELECT CAST(substr(at, 1, 4) AS INTEGER) * 12, CAST(x AS REAL)",
	       "SELECT CAST(substr(at, 1, 4) AS bigint) * 12, CAST(x AS double precision)", 0);
}

static void named_parameters_are_refused(void **state)
{
	struct crm_buf out = CRM_BUF_INIT;
	struct crm_err e = { 0 };
	int n;

	(void)state;
	assert_int_equal(crm_pg_translate("SELECT :name", &out, &n, &e), CRM_EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "named parameter"));
	crm_buf_free(&out);
	/* a PostgreSQL cast is not a named parameter */
	expect("SELECT ?1::text", "SELECT $1::text", 1);
}

static void writes_are_known(void **state)
{
	(void)state;
	assert_true(crm_pg_writes("INSERT INTO t VALUES (1)"));
	assert_true(crm_pg_writes("  update t SET a = 1"));
	assert_true(crm_pg_writes("DELETE FROM t"));
	assert_true(crm_pg_writes("WITH x AS (SELECT 1) DELETE FROM t"));
	assert_false(crm_pg_writes("SELECT * FROM t"));
	assert_false(crm_pg_writes("WITH x AS (SELECT 1) SELECT * FROM x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbered_placeholders),
		cmocka_unit_test(bare_placeholders_number_as_sqlite_does),
		cmocka_unit_test(literals_and_names_are_left_alone),
		cmocka_unit_test(like_ignores_case_as_on_sqlite),
		cmocka_unit_test(insert_or_ignore),
		cmocka_unit_test(limit_minus_one_is_no_limit),
		cmocka_unit_test(sqlite_only_words_go),
		cmocka_unit_test(integers_are_64_bits),
		cmocka_unit_test(named_parameters_are_refused),
		cmocka_unit_test(writes_are_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
