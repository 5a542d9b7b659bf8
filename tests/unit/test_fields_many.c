/* test_fields_many.c - the "unknown field" message of --fields when the
 * filter language knows more names than one message holds (it grows with
 * every program): the list is cut at a name with ", ...", the message
 * keeps its tail and fits, and a near name is still suggested.
 *
 * This file defines crm_domains itself (as test_filter_field.c does): the
 * contact domain and a made-up one with 200 long names.
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
#include "contact/contact_query.h"
#include "filter/field.h"
#include "store/domain.h"

static int build_many(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	(void)e;
	if (strncmp(name, "many.a_rather_long_field_name_", 30) != 0)
		return CRM_EX_NOTFOUND;
	crm_filter_add_sql(v, "1");
	return 0;
}

static const char *many_names(size_t i, char buf[64])
{
	if (i >= 200)
		return NULL;
	snprintf(buf, 64, "many.a_rather_long_field_name_%zu", i);
	return buf;
}

static const struct crm_filter_field many_fields[] = {
	{ NULL, CRM_FILTER_NUMBER, NULL, NULL, build_many, many_names, 0, CRM_SCOPE_CONTACT },
};

static const struct crm_domain many_domain = {
	.name = "many",
	.fields = many_fields,
	.nfields = sizeof(many_fields) / sizeof(many_fields[0]),
};

extern const struct crm_domain crm_contact_domain;

const struct crm_domain *const crm_domains[] = {
	&crm_contact_domain,
	&many_domain,
	NULL,
};

static void fields__many_names__message_cut_at_a_name(void **state)
{
	static const char tail[] = ", tags, emails, phones and the name of any custom field a"
				   " contact has";
	struct crm_contact_query q;
	struct crm_err e = { 0, "" };
	size_t len;

	(void)state;
	crm_contact_query_init(&q);
	assert_int_equal(crm_contact_query_columns(&q, "id,zz.nosuch", &e), CRM_EX_USAGE);
	len = strlen(e.msg);
	if (len >= sizeof(e.msg) - 1 || len < sizeof(tail) ||
	    strcmp(e.msg + len - (sizeof(tail) - 1), tail) != 0)
		fail_msg("not cut, or its tail lost: %s", e.msg);
	if (strncmp(e.msg, "--fields: unknown field \"zz.nosuch\"; known: id, uid, ",
		    strlen("--fields: unknown field \"zz.nosuch\"; known: id, uid, ")) != 0)
		fail_msg("%s", e.msg);
	/* cut after a whole name: "..._N, ..., tags" */
	{
		const char *cut = strstr(e.msg, ", ..., tags");
		const char *before = cut;

		if (cut == NULL)
			fail_msg("no \", ...\": %s", e.msg);
		while (before > e.msg && before[-1] != ' ')
			before--;
		if (strncmp(before, "many.a_rather_long_field_name_", 30) != 0)
			fail_msg("cut inside a name: %s", e.msg);
	}
	crm_contact_query_free(&q);

	crm_contact_query_init(&q);
	assert_int_equal(crm_contact_query_columns(&q, "many.a_rather_long_field_nam_7", &e),
			 CRM_EX_USAGE);
	if (strstr(e.msg, "(did you mean \"many.a_rather_long_field_name_7") == NULL ||
	    strlen(e.msg) >= sizeof(e.msg) - 1)
		fail_msg("%s", e.msg);
	crm_contact_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields__many_names__message_cut_at_a_name),
	};

	return cmocka_run_group_tests_name("fields_many", tests, NULL, NULL);
}
