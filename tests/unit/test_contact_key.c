/* test_contact_key.c - unit tests for lib/contact_key.c: parsing a key,
 * finding a contact by one field alone (a numeric uid is never an id),
 * the unique index a custom field gets as a key, and a field two
 * contacts share refused as a key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "contact/contact.h"
#include "contact/contact_key.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"
static int64_t now;

static int setup(void **state)
{
	if (fixture_setup(state, "ckey", NOW_TEXT) != 0)
		return -1;
	now = crm_now();
	return 0;
}

static int64_t create(void **state, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, state);
	id = fixture_vcontact(store(state), now, ap);
	va_end(ap);
	return id;
}

static struct crm_contact_key parsed(const char *spec)
{
	struct crm_contact_key k;
	struct crm_err e = { 0, "" };

	if (crm_contact_key_parse(spec, &k, &e) != 0)
		fail_msg("parse %s: %s", spec, e.msg);
	return k;
}

/* The contact found for value, or 0 with the message in msg. */
static int64_t find(void **state, const char *spec, const char *value, int want_rc,
		    char msg[256])
{
	struct crm_contact_key k = parsed(spec);
	struct crm_err e = { 0, "" };
	int64_t id = 0;
	int rc = crm_contact_key_find(store(state), &k, value, &id, &e);

	assert_int_equal(rc, want_rc);
	snprintf(msg, 256, "%.200s", rc == 0 ? "" : e.msg);
	return rc == 0 ? id : 0;
}

static void contact_key__parse__fields_and_custom(void **state)
{
	struct crm_contact_key k;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(parsed("email").field, CRM_CF_EMAIL);
	assert_int_equal(parsed("uid").field, CRM_CF_UID);
	assert_int_equal(parsed("phone").field, CRM_CF_PHONE);
	assert_int_equal(parsed("id").field, CRM_CF_ID);
	k = parsed("field.customer_id");
	assert_int_equal(k.field, -1);
	assert_string_equal(k.name, "customer_id");
	assert_int_equal(crm_contact_key_parse("shoe", &k, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "invalid key \"shoe\" (use id, email, uid, phone or field.NAME)");
	/* a standard field is not a custom one; names are checked */
	assert_int_equal(crm_contact_key_parse("field.country", &k, &e), CRM_EX_USAGE);
	assert_int_equal(crm_contact_key_parse("field.Bad-Name", &k, &e), CRM_EX_USAGE);
	assert_int_equal(crm_contact_key_parse("field.", &k, &e), CRM_EX_USAGE);
}

static void contact_key__index__whole_or_cut_with_hash(void **state)
{
	char a[CRM_CONTACT_KEY_INDEX_MAX + 1], b[CRM_CONTACT_KEY_INDEX_MAX + 1];
	const char *fits = "abcdefghij_abcdefghij_abcdefghij_abcdefghijk"; /* 19 + 44 = 63 */
	const char *long1 = "abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x1";
	const char *long2 = "abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x2";

	(void)state;
	crm_contact_key_index("customer_id", a);
	assert_string_equal(a, "contact_fields_key_customer_id");
	crm_contact_key_index(fits, a);
	assert_int_equal(strlen(a), 63);
	assert_string_equal(a + 19, fits);
	crm_contact_key_index(long1, a);
	crm_contact_key_index(long2, b);
	assert_int_equal(strlen(a), 63);
	assert_int_equal(strlen(b), 63);
	assert_memory_equal(a, "contact_fields_key_abcdefghij_abcdefghij_abcde_", 47);
	assert_string_not_equal(a, b);
	crm_contact_key_index(long1, b);
	assert_string_equal(a, b);
}

static void contact_key__numeric_uid__never_an_id(void **state)
{
	char msg[256];
	int64_t by_uid = create(state, "uid", "2", "email", "a@example.org", NULL);
	int64_t second = create(state, "email", "b@example.org", NULL);

	assert_int_equal(by_uid, 1);
	assert_int_equal(second, 2);
	assert_int_equal(find(state, "uid", "2", 0, msg), 1);
	assert_int_equal(find(state, "id", "2", 0, msg), 2);
	find(state, "uid", "1", CRM_EX_NOTFOUND, msg);
	assert_string_equal(msg, "no contact \"1\"");
	find(state, "id", "a@example.org", CRM_EX_NOTFOUND, msg);
	assert_int_equal(find(state, "email", "B@example.org", 0, msg), 2);
	find(state, "email", "2", CRM_EX_NOTFOUND, msg);
}

static void contact_key__custom_field__found_and_unique(void **state)
{
	struct crm_contact_key k = parsed("field.customer_id");
	struct crm_err e = { 0, "" };
	char msg[256], *plan;
	int64_t a = create(state, "email", "a@example.org", "customer_id", "17850", NULL);
	int is_key = 1;

	create(state, "email", "b@example.org", "customer_id", "13047", NULL);
	assert_int_equal(crm_contact_key_check(store(state), &k, &e), 0);
	assert_int_equal(crm_contact_key_is_key(store(state), "customer_id", &is_key, &e), 0);
	assert_false(is_key);
	assert_int_equal(crm_contact_key_prepare(store(state), &k, &e), 0);
	assert_int_equal(crm_contact_key_is_key(store(state), "customer_id", &is_key, &e), 0);
	assert_true(is_key);
	assert_int_equal(crm_contact_key_is_key(store(state), "customer", &is_key, &e), 0);
	assert_false(is_key);
	/* again: once */
	assert_int_equal(crm_contact_key_prepare(store(state), &k, &e), 0);
	assert_rows(store(state), "SELECT count(*) FROM contact_key_fields", "1\n");
	assert_rows(store(state), "SELECT count(*) FROM sqlite_master WHERE name = 'contact_fields_key_customer_id'",
		    "1\n");
	/* the lookup, spelt as contact_key.c does, uses the index */
	plan = q_rows(store(state), "EXPLAIN QUERY PLAN SELECT contact_id FROM contact_fields"
		      " WHERE name = 'customer_id' AND value = ?1");
	if (strstr(plan, "contact_fields_key_customer_id") == NULL)
		print_error("plan: %s\n", plan);
	assert_non_null(strstr(plan, "contact_fields_key_customer_id"));
	free(plan);
	assert_int_equal(find(state, "field.customer_id", "17850", 0, msg), a);
	find(state, "field.customer_id", "99", CRM_EX_NOTFOUND, msg);
	assert_string_equal(msg, "no contact with customer_id \"99\"");
	/* a second contact cannot take the value now */
	assert_int_not_equal(crm_store_exec(store(state),
		"INSERT INTO contact_fields VALUES (2, 'other', '17850');"
		"UPDATE contact_fields SET value = '17850' WHERE contact_id = 2 AND name = 'customer_id'",
		&e), 0);
	/* preparing again is harmless */
	assert_int_equal(crm_contact_key_prepare(store(state), &k, &e), 0);
}

static void contact_key__shared_value__refused_as_key(void **state)
{
	struct crm_contact_key k = parsed("field.acct");
	struct crm_err e = { 0, "" };

	create(state, "email", "a@example.org", "acct", "A1", NULL);
	create(state, "email", "b@example.org", "acct", "B1", NULL);
	create(state, "email", "c@example.org", "acct", "A1", NULL);
	assert_int_equal(crm_contact_key_check(store(state), &k, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "acct cannot be a key: contacts 1 and 3 both have \"A1\"");
	assert_int_equal(crm_contact_key_prepare(store(state), &k, &e), CRM_EX_DATAERR);
	assert_rows(store(state), "SELECT count(*) FROM sqlite_master WHERE name LIKE 'contact_fields_key_%'",
		    "0\n");
}

static void contact_key__phone__indexed_and_ambiguous(void **state)
{
	struct crm_contact_key k = parsed("phone");
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	char msg[256];
	int64_t a = create(state, "phone", "+31 20 555 0101", NULL);

	create(state, "phone", "+31 20 555 0202", NULL);
	create(state, "phone", "+31 20 555 0202", NULL);
	assert_int_equal(crm_contact_key_prepare(store(state), &k, &e), 0);
	crm_contact_init(&c);
	assert_int_equal(crm_contact_key_set(&k, &c, "+31 20 555 0101", now, &e), 0);
	assert_int_equal(find(state, "phone", crm_contact_key_value(&k, &c), 0, msg), a);
	crm_contact_free(&c);
	crm_contact_init(&c);
	assert_int_equal(crm_contact_key_set(&k, &c, "+31 20 555 0202", now, &e), 0);
	find(state, "phone", crm_contact_key_value(&k, &c), CRM_EX_DATAERR, msg);
	assert_non_null(strstr(msg, "is more than one contact's"));
	crm_contact_free(&c);
}

static void contact_key__value__of_a_contact(void **state)
{
	struct crm_contact_key k = parsed("field.customer_id");
	struct crm_contact c;
	struct crm_err e = { 0, "" };

	(void)state;
	crm_contact_init(&c);
	assert_null(crm_contact_key_value(&k, &c));
	assert_int_equal(crm_contact_key_set(&k, &c, "  00017 ", now, &e), 0);
	assert_string_equal(crm_contact_key_value(&k, &c), "00017");
	k = parsed("id");
	assert_null(crm_contact_key_value(&k, &c));
	assert_int_equal(crm_contact_key_set(&k, &c, "3", now, &e), CRM_EX_DATAERR);
	crm_contact_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(contact_key__parse__fields_and_custom),
		cmocka_unit_test(contact_key__index__whole_or_cut_with_hash),
		cmocka_unit_test_setup_teardown(contact_key__numeric_uid__never_an_id, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_key__custom_field__found_and_unique, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_key__shared_value__refused_as_key, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_key__phone__indexed_and_ambiguous, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(contact_key__value__of_a_contact, setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
