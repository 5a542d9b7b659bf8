/* test_copy.c - unit tests for lib/store/copy.c: rows gathered for a
 * bulk write in PostgreSQL's COPY text format, and what a store without
 * bulk writes (SQLite) says; crm_store_next_id. The
 * bulk write itself is tested on a server by tests/e2e/backends.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

static int setup(void **state)
{
	return fixture_setup(state, "copy", "2024-06-15T12:00:00Z");
}

static void copy__values__tab_separated_rows_newline_ended(void **state)
{
	struct crm_copy c = CRM_COPY_INIT;

	(void)state;
	crm_copy_int64(&c, 42);
	crm_copy_text(&c, "plain");
	crm_copy_null(&c);
	crm_copy_int64(&c, -7);
	crm_copy_end_row(&c);
	crm_copy_text(&c, "");
	crm_copy_text(&c, NULL);
	crm_copy_end_row(&c);
	assert_int_equal(c.rows, 2);
	assert_string_equal(crm_buf_str(&c.data), "42\tplain\t\\N\t-7\n\t\\N\n");
	crm_copy_free(&c);
}

/* Backslash, tab, newline and carriage return are escaped; everything
 * else (UTF-8, quotes, commas) is as it is. */
static void copy__text__escapes_only_what_copy_reads(void **state)
{
	struct crm_copy c = CRM_COPY_INIT;

	(void)state;
	crm_copy_text(&c, "a\\b\tc\nd\re \"q\", ü \\N");
	crm_copy_end_row(&c);
	assert_string_equal(crm_buf_str(&c.data), "a\\\\b\\tc\\nd\\re \"q\", ü \\\\N\n");
	crm_copy_free(&c);
}

/* Text of a length: the bytes up to it, escaped alike, whatever follows
 * (a column's text read with its length, as crm store copy does). */
static void copy__text_n__the_bytes_given(void **state)
{
	struct crm_copy c = CRM_COPY_INIT;

	(void)state;
	crm_copy_text_n(&c, "a\tb\nc-cut here", 5);
	crm_copy_text_n(&c, "", 0);
	crm_copy_int64(&c, 3);
	crm_copy_end_row(&c);
	assert_string_equal(crm_buf_str(&c.data), "a\\tb\\nc\t\t3\n");
	crm_copy_free(&c);
}

/* SQLite has no bulk path: it says so, and the rows are dropped. */
static void copy__sqlite__no_bulk_writes(void **state)
{
	struct crm_store *s = store(state);
	struct crm_copy c = CRM_COPY_INIT;
	struct crm_err e = { 0, "" };

	assert_false(crm_store_can_copy(s));
	crm_copy_int64(&c, 1);
	crm_copy_end_row(&c);
	assert_int_equal(crm_store_copy(s, "contacts", "id", &c, &e), CRM_EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "takes no bulk rows"));
	assert_int_equal(c.rows, 0);
	assert_int_equal(c.data.len, 0);
	crm_copy_free(&c);
}

/* The next id: one past the highest row, and past the highest ever given
 * (a contact's id is never given again, as AUTOINCREMENT promises). */
static void next_id__past_highest_and_deleted(void **state)
{
	struct crm_store *s = store(state);
	struct crm_err e = { 0, "" };
	int64_t id;

	assert_int_equal(crm_store_next_id(s, "contacts", &id, &e), 0);
	assert_int_equal(id, 1);
	fixture_contact(s, "email", "a@example.org", NULL);
	fixture_contact(s, "email", "b@example.org", NULL);
	assert_int_equal(crm_store_next_id(s, "contacts", &id, &e), 0);
	assert_int_equal(id, 3);
	exec_ok(s, "DELETE FROM contacts WHERE id = 2");
	assert_int_equal(crm_store_next_id(s, "contacts", &id, &e), 0);
	assert_int_equal(id, 3);
	assert_int_equal(crm_store_next_id(s, "interactions", &id, &e), 0);
	assert_int_equal(id, 1);
	assert_int_equal(crm_store_next_id(s, "x; DROP TABLE contacts", &id, &e), CRM_EX_SOFTWARE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copy__values__tab_separated_rows_newline_ended),
		cmocka_unit_test(copy__text__escapes_only_what_copy_reads),
		cmocka_unit_test(copy__text_n__the_bytes_given),
		cmocka_unit_test_setup_teardown(copy__sqlite__no_bulk_writes, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(next_id__past_highest_and_deleted, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
