/* test_listing.c - unit tests for lib/log/listing.c: the filter's checks
 * and bindings, --fields and --attr, and the list and purchases query. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "log/listing.h"
#include "log/log_rows.h"
#include "store/store.h"
#include "fixture.h"

static int setup(void **state)
{
	if (fixture_setup(state, "listing", "2024-06-15T12:00:00Z") != 0)
		return -1;
	exec_ok(store(state),
		"INSERT INTO contacts (id, uid, email, created_at, updated_at) VALUES"
		" (1, 'u1', 'ada@example.org', 'x', 'x'), (2, 'u2', 'bob@example.org', 'x', 'x');"
		"INSERT INTO interactions (id, contact_id, at, channel, direction, type, subject,"
		" agent, amount, currency, created_at) VALUES"
		" (1, 1, '2024-06-01T09:00:00Z', 'email', 'out', 'email', 'offer', 'alice', NULL, NULL, 'x'),"
		" (2, 1, '2024-06-03T09:00:00Z', 'web', 'in', 'purchase', 'order', 'bob', 9990, 'EUR', 'x'),"
		" (3, 2, '2024-06-02T09:00:00Z', 'phone', 'in', 'call', 'hello', 'bob', NULL, NULL, 'x'),"
		" (4, 2, '2024-06-04T09:00:00Z', 'web', NULL, 'refund', 'back', 'bob', -1000, 'EUR', 'x');"
		"INSERT INTO interaction_attrs (interaction_id, name, value, contact_id) VALUES"
		" (2, 'country', 'France', 1), (4, 'country', 'Spain', 2), (3, 'country', 'france', 2)");
	return 0;
}

/* The listing as "id|at|...|attrs" lines of the columns cols (-1 ends). */
static char *listing(void **state, const struct crm_log_filter *f, int purchases,
		     const struct crm_log_fields *pf, const char *const *where,
		     size_t nwhere, const int *cols)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct crm_log_rows *r = crm_log_list_open(store(state), f, purchases, pf, where, nwhere);
	const char *const *v;
	int rc;

	while ((rc = crm_log_rows_next(r, &v, &e)) > 0) {
		for (size_t i = 0; cols[i] >= 0; i++)
			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "", v[cols[i]] != NULL ? v[cols[i]] : "");
		crm_buf_addc(&b, '\n');
	}
	assert_int_equal(rc, 0);
	crm_log_rows_close(r);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}


static const int id_amount[] = { 0, 3, 11, 12, -1 };

static void listing__no_filter__every_interaction_oldest_first(void **state)
{
	struct crm_log_filter f = { 0 };

	assert_text("listing", listing(state, &f, 0, NULL, NULL, 0, id_amount),
		   "1|ada@example.org||\n3|bob@example.org||\n"
		   "2|ada@example.org|99.90|EUR\n4|bob@example.org|-10.00|EUR\n");
	assert_int_equal(CRM_LOG_NLIST, 14);
	assert_string_equal(crm_log_list_cols[CRM_LOG_AMOUNT_COL], "amount");
	assert_string_equal(crm_log_list_cols[CRM_LOG_CURRENCY_COL], "currency");
}

static void listing__filter__each_field_narrows(void **state)
{
	struct crm_log_filter f = { 0 };

	f.contact_id = 1;
	assert_text("listing", listing(state, &f, 0, NULL, NULL, 0, id_amount),
		   "1|ada@example.org||\n2|ada@example.org|99.90|EUR\n");
	memset(&f, 0, sizeof(f));
	snprintf(f.since, sizeof(f.since), "2024-06-02T09:00:00Z");
	snprintf(f.until, sizeof(f.until), "2024-06-04T09:00:00Z");
	assert_text("listing", listing(state, &f, 0, NULL, NULL, 0, id_amount),
		   "3|bob@example.org||\n2|ada@example.org|99.90|EUR\n");
	memset(&f, 0, sizeof(f));
	f.channel = "WEB";
	f.direction = "in";
	assert_text("listing", listing(state, &f, 0, NULL, NULL, 0, id_amount), "2|ada@example.org|99.90|EUR\n");
	memset(&f, 0, sizeof(f));
	f.type = "Call";
	f.agent = "bob";
	assert_text("listing", listing(state, &f, 0, NULL, NULL, 0, id_amount), "3|bob@example.org||\n");
	memset(&f, 0, sizeof(f));
	f.limit = 1;
	assert_text("listing", listing(state, &f, 0, NULL, NULL, 0, id_amount), "1|ada@example.org||\n");
}

static void listing__purchases__purchases_and_refunds(void **state)
{
	struct crm_log_filter f = { 0 };

	assert_text("listing", listing(state, &f, 1, NULL, NULL, 0, id_amount),
		   "2|ada@example.org|99.90|EUR\n4|bob@example.org|-10.00|EUR\n");
}

static void listing__fields_and_attrs__columns_after_listing(void **state)
{
	static const int picked[] = { CRM_LOG_NLIST, 0, -1 };
	const char *const where[] = { "country=FRANCE" };
	struct crm_log_filter f = { 0 };
	struct crm_log_fields pf;
	struct crm_err e = { 0, "" };

	memset(&pf, 0, sizeof(pf));
	assert_int_equal(crm_log_fields_parse("attr.country,id,amount", &pf, &e), 0);
	assert_int_equal(pf.n, 3);
	assert_string_equal(pf.names[0], "attr.country");
	assert_int_equal(pf.col[0], CRM_LOG_NLIST);
	assert_int_equal(pf.col[1], 0);
	assert_int_equal(pf.col[2], CRM_LOG_AMOUNT_COL);
	assert_int_equal(pf.nattrs, 1);
	assert_string_equal(pf.attrs[0], "country");
	assert_text("listing", listing(state, &f, 0, &pf, NULL, 0, picked),
		   "|1\nfrance|3\nFrance|2\nSpain|4\n");
	/* --attr compares the value without regard to case */
	assert_text("listing", listing(state, &f, 0, &pf, where, 1, picked), "france|3\nFrance|2\n");
	assert_text("listing", listing(state, &f, 1, &pf, where, 1, picked), "France|2\n");
	crm_log_fields_free(&pf);
	assert_null(pf.list);
}

static void listing__fields_bad__usage_message(void **state)
{
	struct crm_log_fields pf;
	struct crm_err e = { 0, "" };
	struct crm_buf many = CRM_BUF_INIT;

	(void)state;
	memset(&pf, 0, sizeof(pf));
	assert_int_equal(crm_log_fields_parse("id,nope", &pf, &e), CRM_EX_USAGE);
	assert_non_null(strstr(e.msg, "unknown field \"nope\" (use id, at,"));
	crm_log_fields_free(&pf);
	assert_int_equal(crm_log_fields_parse("attr.Country", &pf, &e), CRM_EX_USAGE);
	crm_log_fields_free(&pf);
	assert_int_equal(crm_log_fields_parse("attr.", &pf, &e), CRM_EX_USAGE);
	crm_log_fields_free(&pf);
	for (int i = 0; i <= CRM_LOG_FIELDS_MAX; i++)
		crm_buf_adds(&many, i > 0 ? ",id" : "id");
	assert_int_equal(crm_log_fields_parse(crm_buf_str(&many), &pf, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "at most 32 fields");
	crm_log_fields_free(&pf);
	crm_buf_free(&many);
}

static void listing__attr_check__name_equals_value(void **state)
{
	(void)state;
	assert_int_equal(crm_log_attr_check("country=France"), 0);
	assert_int_equal(crm_log_attr_check("c_2="), 0);
	assert_int_equal(crm_log_attr_check("country"), -1);
	assert_int_equal(crm_log_attr_check("=x"), -1);
	assert_int_equal(crm_log_attr_check("Country=x"), -1);
	assert_int_equal(crm_log_attr_check("2c=x"), -1);
	assert_int_equal(crm_log_attr_check("c-x=y"), -1);
}

static void listing__filter_check__as_interaction_set(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_log_filter_check(CRM_IT_CHANNEL, "EMAIL", &e), 0);
	assert_int_equal(crm_log_filter_check(CRM_IT_CHANNEL, "fax", &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other)");
	assert_int_equal(crm_log_filter_check(CRM_IT_DIRECTION, "up", &e), CRM_EX_DATAERR);
	assert_int_equal(crm_log_filter_check(CRM_IT_TYPE, "call", &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(listing__no_filter__every_interaction_oldest_first, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(listing__filter__each_field_narrows, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(listing__purchases__purchases_and_refunds, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(listing__fields_and_attrs__columns_after_listing, setup, fixture_teardown),
		cmocka_unit_test(listing__fields_bad__usage_message),
		cmocka_unit_test(listing__attr_check__name_equals_value),
		cmocka_unit_test(listing__filter_check__as_interaction_set),
	};

	return cmocka_run_group_tests_name("listing", tests, NULL, NULL);
}
