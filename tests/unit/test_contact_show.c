/* test_contact_show.c - unit tests for lib/contact/contact_show.c: one
 * contact with every column in tsv, field and value lines with a value in
 * a table, nothing written for a contact not found or a failed lookup. */
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
#include "contact/contact_show.h"
#include "io/output.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"
#include "fault.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "show", NOW_TEXT);
}

/* Shows ref in format; *text is what was written (caller frees). */
static int show(void **state, const char *ref, enum crm_format format, char **text,
		struct crm_err *e)
{
	struct crm_out_opts opts = { format, 1, 0 };
	size_t size = 0;
	FILE *fp = open_memstream(text, &size);
	int rc;

	assert_non_null(fp);
	rc = crm_contact_show(store(state), ref, fp, &opts, e);
	fclose(fp);
	return rc;
}

static void contact_show__tsv__header_and_one_row(void **state)
{
	struct crm_err e = { 0, "" };
	char *text = NULL, *nl;

	fixture_contact(store(state), "uid", "u1", "first_name", "Ann", "email", "ann@example.org",
		"shoe_size", "38", "tags", "vip", NULL);
	assert_int_equal(show(state, "u1", CRM_FMT_TSV, &text, &e), 0);
	nl = strchr(text, '\n');
	assert_non_null(nl);
	assert_int_equal(strncmp(text, "id\tuid\t", 7), 0);
	assert_non_null(strstr(text, "\ttags\t"));
	assert_non_null(strstr(text, "\tshoe_size\n"));
	assert_int_equal(strncmp(nl + 1, "1\tu1\t", 5), 0);
	assert_non_null(strstr(nl, "\tann@example.org\t"));
	assert_non_null(strstr(nl, "\tvip\t"));
	assert_non_null(strstr(nl, "\t38\n"));
	free(text);
}

static void contact_show__table__field_value_lines_with_a_value(void **state)
{
	struct crm_err e = { 0, "" };
	char *text = NULL;

	fixture_contact(store(state), "uid", "u1", "first_name", "Ann", NULL);
	assert_int_equal(show(state, "1", CRM_FMT_TABLE, &text, &e), 0);
	assert_int_equal(strncmp(text, "field", 5), 0);
	assert_non_null(strstr(text, "\nfirst_name "));
	assert_non_null(strstr(text, " Ann\n"));
	assert_null(strstr(text, "last_name"));
	assert_null(strstr(text, "email "));
	free(text);
}

static void contact_show__not_found__nothing_written(void **state)
{
	struct crm_err e = { 0, "" };
	char *text = NULL;

	fixture_contact(store(state), "uid", "u1", NULL);
	assert_int_equal(show(state, "nobody", CRM_FMT_TSV, &text, &e), CRM_EX_NOTFOUND);
	assert_string_equal(e.msg, "no contact \"nobody\"");
	assert_string_equal(text, "");
	free(text);
}

static void contact_show__lookup_fails__its_code_nothing_written(void **state)
{
	struct crm_err e = { 0, "" };
	struct fault f;
	char *text = NULL;

	fixture_contact(store(state), "uid", "u1", NULL);
	fault_arm(&f, db(state), "WHERE uid = ?1");
	assert_int_equal(show(state, "u1", CRM_FMT_TSV, &text, &e), CRM_EX_SOFTWARE);
	fault_disarm(&f);
	assert_string_equal(text, "");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, fixture_teardown)
		S(contact_show__tsv__header_and_one_row),
		S(contact_show__table__field_value_lines_with_a_value),
		S(contact_show__not_found__nothing_written),
		S(contact_show__lookup_fails__its_code_nothing_written),
#undef S
	};

	return cmocka_run_group_tests_name("contact_show", tests, NULL, NULL);
}
