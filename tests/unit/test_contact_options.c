/* test_contact_options.c - unit tests for lib/contact/contact_options.c:
 * an option for each settable field (and none for the read-only ones),
 * --tag and --unset, FIELD=VALUE operands, and the listing options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "contact/contact.h"
#include "contact/contact_options.h"
#include "contact/contact_query.h"

static const struct option *find(const struct option *opts, const char *name)
{
	for (; opts->name != NULL; opts++)
		if (strcmp(opts->name, name) == 0)
			return opts;
	return NULL;
}

static void contact_options__fields__dashes_settable_only_then_extra(void **state)
{
	static const struct option extra[] = {
		CRM_CONTACT_OPT_TAG_LONGOPT,
		CRM_CONTACT_OPT_UNSET_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct crm_contact_field_options fo;
	const struct option *opts = crm_contact_field_options(&fo, extra), *o;

	(void)state;
	o = find(opts, "first-name");
	assert_non_null(o);
	assert_int_equal(o->has_arg, required_argument);
	assert_int_equal(o->val, CRM_CONTACT_OPT_FIELD + CRM_CF_FIRST_NAME);
	assert_non_null(find(opts, "created-at"));
	assert_non_null(find(opts, "preferred-channel"));
	assert_null(find(opts, "id"));
	assert_null(find(opts, "updated-at"));
	assert_null(find(opts, "first_name"));
	assert_int_equal(find(opts, "tag")->val, CRM_CONTACT_OPT_ADD_TAG);
	assert_int_equal(find(opts, "unset")->val, CRM_CONTACT_OPT_UNSET);
	assert_null(find(crm_contact_field_options(&fo, NULL), "tag"));
}

static void contact_option__field_tag_unset_or_not_ours(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_init(&c);
	assert_int_equal(crm_contact_option(&c, CRM_CONTACT_OPT_FIELD + CRM_CF_EMAIL,
					    "Ann@Example.org", 0, &e), 0);
	assert_string_equal(c.v[CRM_CF_EMAIL], "Ann@example.org");
	assert_int_equal(crm_contact_option(&c, CRM_CONTACT_OPT_FIELD + CRM_CF_EMAIL, "foo@",
					    0, &e), CRM_EX_DATAERR);
	assert_int_equal(crm_contact_option(&c, CRM_CONTACT_OPT_ADD_TAG, "vip,new", 0, &e), 0);
	assert_int_equal(c.ntags, 2);
	assert_int_equal(crm_contact_option(&c, CRM_CONTACT_OPT_ADD_TAG, "a b", 0, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_contact_option(&c, CRM_CONTACT_OPT_UNSET, "email", 0, &e), 0);
	assert_string_equal(c.v[CRM_CF_EMAIL], "");
	assert_int_equal(crm_contact_option(&c, 'x', "1", 0, &e), -1);
	crm_contact_free(&c);
}

static void contact_set_pair__field_custom_or_not_a_pair(void **state)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_init(&c);
	assert_int_equal(crm_contact_set_pair(&c, "city=Delft", 0, &e), 0);
	assert_string_equal(c.v[CRM_CF_CITY], "Delft");
	assert_int_equal(crm_contact_set_pair(&c, "shoe_size=38", 0, &e), 0);
	assert_int_equal(c.ncustom, 1);
	assert_int_equal(crm_contact_set_pair(&c, "city=", 0, &e), 0);
	assert_string_equal(c.v[CRM_CF_CITY], "");
	assert_int_equal(crm_contact_set_pair(&c, "city", 0, &e), -1);
	assert_int_equal(crm_contact_set_pair(&c, "=Delft", 0, &e), -1);
	assert_int_equal(crm_contact_set_pair(&c, "email=foo@", 0, &e), CRM_EX_DATAERR);
	crm_contact_free(&c);
}

static void contact_query_option__each_and_its_errors(void **state)
{
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_query_init(&q);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_TAG, "vip", 5, &e), 0);
	assert_int_equal(q.ntags, 1);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_SEARCH, "ann", 5, &e), 0);
	assert_string_equal(q.search, "ann");
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_WHERE, "city=Delft", 5, &e), 0);
	assert_int_equal(q.nwhere, 1);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_SORT, "-last_name", 5, &e), 0);
	assert_int_equal(q.nsort, 1);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_FIELDS, "id,email", 5, &e), 0);
	assert_int_equal(q.ncols, 2);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_FILTER, "city = 'Delft'", 5, &e), 0);
	assert_string_equal(q.filter, "city = 'Delft'");
	assert_int_equal(q.now, 5);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_LIMIT, "10", 5, &e), 0);
	assert_int_equal(q.limit, 10);
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_LIMIT, "0", 5, &e), CRM_EX_USAGE);
	assert_non_null(strstr(e.msg, "--limit: "));
	assert_non_null(strstr(e.msg, " number \"0\""));
	assert_int_equal(crm_contact_query_option(&q, CRM_CONTACT_OPT_SORT, "nope", 5, &e), CRM_EX_USAGE);
	assert_int_equal(e.code, CRM_EX_USAGE);
	assert_int_equal(crm_contact_query_option(&q, 'x', "1", 5, &e), -1);
	crm_contact_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contact_options__fields__dashes_settable_only_then_extra),
		cmocka_unit_test(contact_option__field_tag_unset_or_not_ours),
		cmocka_unit_test(contact_set_pair__field_custom_or_not_a_pair),
		cmocka_unit_test(contact_query_option__each_and_its_errors),
	};

	return cmocka_run_group_tests_name("contact_options", tests, NULL, NULL);
}
