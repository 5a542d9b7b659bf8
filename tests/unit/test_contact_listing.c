/* test_contact_listing.c - unit tests for lib/contact/contact_listing.c:
 * tags with their counts or one contact's, and a contact's emails or
 * phones with the primary one first. */
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
#include "contact/contact_listing.h"
#include "store/store.h"
#include "fixture.h"
#include "capture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "listing", NOW_TEXT);
}

static void rows_are(void **state, struct crm_stmt *st, int ncols, const char *want)
{
	char *got = capture_rows(store(state), st, ncols);

	assert_string_equal(got, want);
	free(got);
}

static void contact_listing__tags__all_counted_or_one_contacts(void **state)
{
	fixture_contact(store(state), "uid", "u1", "tags", "vip,new", NULL);
	fixture_contact(store(state), "uid", "u2", "tags", "vip", NULL);
	fixture_contact(store(state), "uid", "u3", NULL);
	assert_string_equal(crm_contact_tags_columns[0], "tag");
	assert_string_equal(crm_contact_tags_columns[1], "contacts");
	rows_are(state, crm_contact_tags_stmt(store(state), 0), 2, "new|1\nvip|2\n");
	rows_are(state, crm_contact_tags_stmt(store(state), 1), 2, "new|1\nvip|1\n");
	rows_are(state, crm_contact_tags_stmt(store(state), 3), 2, "");
}

static void contact_listing__details__primary_first_then_added(void **state)
{
	fixture_contact(store(state), "email", "a@example.org", "phone", "+31201234567",
		"emails", "b@example.org (work); c@example.org", NULL);
	fixture_contact(store(state), "uid", "u2", NULL);
	assert_string_equal(crm_contact_details_columns[3], "primary");
	rows_are(state, crm_contact_details_stmt(store(state), 1, 0), 4,
		 "1|a@example.org|NULL|yes\n1|b@example.org|work|no\n1|c@example.org|NULL|no\n");
	rows_are(state, crm_contact_details_stmt(store(state), 1, 1), 4, "1|+31201234567|NULL|yes\n");
	rows_are(state, crm_contact_details_stmt(store(state), 2, 0), 4, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, fixture_teardown)
		S(contact_listing__tags__all_counted_or_one_contacts),
		S(contact_listing__details__primary_first_then_added),
#undef S
	};

	return cmocka_run_group_tests_name("contact_listing", tests, NULL, NULL);
}
