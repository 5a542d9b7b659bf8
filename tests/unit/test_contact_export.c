/* test_contact_export.c - unit tests for lib/contact/contact_export.c:
 * list's default columns, export's every column, the query's own columns,
 * vCards, and export --subject's JSON. */
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
#include "contact/contact_export.h"
#include "contact/contact_query.h"
#include "io/output.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "export", NOW_TEXT);
}

/* Writes with crm_contact_write; fields: the query's columns or NULL. */
static char *written(void **state, const char *fields, int all, int vcard, unsigned long *n)
{
	struct crm_out_opts opts = { CRM_FMT_TSV, 1, 0 };
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);

	assert_non_null(fp);
	crm_contact_query_init(&q);
	if (fields != NULL && crm_contact_query_columns(&q, fields, &e) != 0)
		fail_msg("columns: %s", e.msg);
	if (crm_contact_write(store(state), &q, all, vcard, fp, &opts, n, &e) != 0)
		fail_msg("write: %s", e.msg);
	crm_contact_query_free(&q);
	fclose(fp);
	return text;
}

static void two(void **state)
{
	fixture_contact(store(state), "uid", "u1", "first_name", "Ann", "email", "ann@example.org",
		"shoe_size", "38", NULL);
	fixture_contact(store(state), "uid", "u2", "first_name", "Bob", "status", "customer", NULL);
}

static void contact_export__list__default_columns(void **state)
{
	unsigned long n = 0;
	char *text;

	two(state);
	text = written(state, NULL, 0, 0, &n);
	assert_int_equal(n, 2);
	assert_string_equal(text, "id\tfirst_name\tlast_name\temail\tphone\tcompany\tstatus\n"
			    "1\tAnn\t\tann@example.org\t\t\tlead\n"
			    "2\tBob\t\t\t\t\tcustomer\n");
	free(text);
}

static void contact_export__export__every_column_or_the_asked(void **state)
{
	unsigned long n = 0;
	char *text;

	two(state);
	text = written(state, NULL, 1, 0, &n);
	assert_int_equal(strncmp(text, "id\tuid\t", 7), 0);
	assert_non_null(strstr(text, "\ttags\temails\tphones\tshoe_size\n"));
	free(text);
	text = written(state, "uid,shoe_size", 1, 0, &n);
	assert_string_equal(text, "uid\tshoe_size\nu1\t38\nu2\t\n");
	free(text);
}

static void contact_export__vcard__one_card_each(void **state)
{
	unsigned long n = 0;
	char *text;

	two(state);
	text = written(state, NULL, 1, 3, &n);
	assert_int_equal(n, 2);
	assert_int_equal(strncmp(text, "BEGIN:VCARD\r\nVERSION:3.0\r\n", 26), 0);
	assert_non_null(strstr(text, "EMAIL"));
	assert_non_null(strstr(strstr(text, "END:VCARD") + 1, "END:VCARD"));
	free(text);
}

static void contact_export__subject__json_or_notfound(void **state)
{
	struct crm_err e = { 0, "" };
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);

	two(state);
	assert_int_equal(crm_contact_export_subject(store(state), "u1", fp, &e), 0);
	assert_int_equal(crm_contact_export_subject(store(state), "nobody", fp, &e),
			 CRM_EX_NOTFOUND);
	fclose(fp);
	assert_int_equal(text[0], '{');
	assert_non_null(strstr(text, "\"ann@example.org\""));
	assert_null(strstr(text, "Bob"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, fixture_teardown)
		S(contact_export__list__default_columns),
		S(contact_export__export__every_column_or_the_asked),
		S(contact_export__vcard__one_card_each),
		S(contact_export__subject__json_or_notfound),
#undef S
	};

	return cmocka_run_group_tests_name("contact_export", tests, NULL, NULL);
}
