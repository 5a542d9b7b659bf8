/* test_contact_history.c - unit tests for lib/contact/contact_history.c:
 * which contact a history request names (a deleted one by its id; a
 * failed lookup is its error, not a guess), and the rows: changes of one
 * contact or all since a time, an import's range as one "create" each,
 * an erased contact's import row left out. */
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
#include "contact/contact_history.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"
#include "fault.h"
#include "capture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "history", NOW_TEXT);
}

static char *rows(void **state, int64_t id, const char *since)
{
	return capture_rows(store(state), crm_contact_history_stmt(store(state), id, since),
			    CRM_CONTACT_HISTORY_NCOLS);
}

static void rows_are(void **state, int64_t id, const char *since, const char *want)
{
	char *got = rows(state, id, since);

	if (strcmp(got, want) != 0) {
		print_error("ERROR: history of %lld since \"%s\":\n got:\n%s\nwant:\n%s\n",
			    (long long)id, since, got, want);
		free(got);
		fail();
	}
	free(got);
}

static void contact_history__columns__as_listed(void **state)
{
	(void)state;
	assert_string_equal(crm_contact_history_columns[0], "id");
	assert_string_equal(crm_contact_history_columns[3], "contact");
	assert_string_equal(crm_contact_history_columns[8], "note");
	assert_string_equal(CRM_CONTACT_HISTORY_NUMERIC, "n  n");
}

static void contact_history_subject__contact_or_deleted_id(void **state)
{
	struct crm_err e = { 0, "" };
	int64_t id = 0;

	fixture_contact(store(state), "uid", "u1", "email", "a@example.org", NULL);
	assert_int_equal(crm_contact_history_subject(store(state), "a@example.org", &id, &e), 0);
	assert_int_equal(id, 1);
	/* 7 was never there, or was deleted: its id still names a history */
	assert_int_equal(crm_contact_history_subject(store(state), "7", &id, &e), 0);
	assert_int_equal(id, 7);
	assert_int_equal(crm_contact_history_subject(store(state), "nobody", &id, &e),
			 CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"nobody\"");
	assert_int_equal(crm_contact_history_subject(store(state), "0", &id, &e), CRM_EX_NOTFOUND);
}

/* A failed lookup is not "deleted": the id is not guessed from it. */
static void contact_history_subject__lookup_fails__its_code(void **state)
{
	struct crm_err e = { 0, "" };
	struct fault f;
	int64_t id = 0;

	fixture_contact(store(state), "uid", "u1", NULL);
	fault_arm(&f, db(state), "FROM contacts WHERE id = CAST");
	assert_int_equal(crm_contact_history_subject(store(state), "7", &id, &e), CRM_EX_SOFTWARE);
	fault_disarm(&f);
	assert_non_null(strstr(e.msg, "interrupted"));
}

static void contact_history__one_contact_or_all_since(void **state)
{
	struct crm_err e = { 0, "" };
	int changed;

	fixture_contact(store(state), "uid", "u1", "email", "a@example.org", NULL);
	fixture_contact(store(state), "uid", "u2", NULL);
	assert_int_equal(crm_contact_tag(store(state), 2, "vip", 1, &changed, &e), 0);
	exec_ok(store(state), "UPDATE history SET at = '2024-06-01T00:00:00Z' WHERE id = 1");
	rows_are(state, 1, "", "1|2024-06-01T00:00:00Z|tester|1|create|NULL|NULL|NULL|NULL\n");
	rows_are(state, 2, "", "2|2024-06-15T12:00:00Z|tester|2|create|NULL|NULL|NULL|NULL\n"
		 "3|2024-06-15T12:00:00Z|tester|2|tag|tags|NULL|vip|NULL\n");
	rows_are(state, 0, "2024-06-10T00:00:00Z",
		 "2|2024-06-15T12:00:00Z|tester|2|create|NULL|NULL|NULL|NULL\n"
		 "3|2024-06-15T12:00:00Z|tester|2|tag|tags|NULL|vip|NULL\n");
	rows_are(state, 3, "", "");
}

static void contact_history__import_range__a_create_each_not_erased(void **state)
{
	fixture_contact(store(state), "uid", "u1", NULL);
	fixture_contact(store(state), "uid", "u2", NULL);
	fixture_contact(store(state), "uid", "u3", NULL);
	/* as an import writes them: one history row, one range */
	exec_ok(store(state), "DELETE FROM history;"
		" INSERT INTO history (id, at, who, entity, entity_id, action, note)"
		" VALUES (10, '2024-06-15T12:00:00Z', 'importer', 'import', 0, 'import', 'x.csv');"
		" INSERT INTO history_imports VALUES (1, 3, 10);"
		" UPDATE contacts SET erased_at = '2024-06-15T12:00:00Z' WHERE id = 3");
	rows_are(state, 2, "", "10|2024-06-15T12:00:00Z|importer|2|create|NULL|NULL|NULL|import 10\n");
	rows_are(state, 0, "", "10|2024-06-15T12:00:00Z|importer|1|create|NULL|NULL|NULL|import 10\n"
		 "10|2024-06-15T12:00:00Z|importer|2|create|NULL|NULL|NULL|import 10\n");
	rows_are(state, 0, "2024-06-16T00:00:00Z", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, fixture_teardown)
		S(contact_history__columns__as_listed),
		S(contact_history_subject__contact_or_deleted_id),
		S(contact_history_subject__lookup_fails__its_code),
		S(contact_history__one_contact_or_all_since),
		S(contact_history__import_range__a_create_each_not_erased),
#undef S
	};

	return cmocka_run_group_tests_name("contact_history", tests, NULL, NULL);
}
