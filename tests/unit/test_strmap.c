/* test_strmap.c - unit tests for lib/base/strmap.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/strmap.h"

static void strmap__empty__finds_nothing(void **state)
{
	struct crm_strmap m = CRM_STRMAP_INIT;

	(void)state;
	assert_null(crm_strmap_get(&m, "a", 1));
	crm_strmap_free(&m);
}

static void strmap__put__made_once_with_zeros(void **state)
{
	struct crm_strmap m = CRM_STRMAP_INIT;
	struct crm_strmap_entry *a;

	(void)state;
	a = crm_strmap_put(&m, "anna@example.com", 16);
	assert_string_equal(a->key, "anna@example.com");
	assert_int_equal(a->value, 0);
	assert_int_equal(a->state, 0);
	a->value = 7;
	a->state = 2;
	a = crm_strmap_put(&m, "anna@example.com", 16);
	assert_int_equal(a->value, 7);
	assert_int_equal(a->state, 2);
	assert_int_equal(m.n, 1);
	crm_strmap_free(&m);
}

static void strmap__keys_by_bytes__prefix_and_case_differ(void **state)
{
	struct crm_strmap m = CRM_STRMAP_INIT;

	(void)state;
	crm_strmap_put(&m, "ab", 2)->value = 1;
	crm_strmap_put(&m, "abc", 3)->value = 2;
	crm_strmap_put(&m, "AB", 2)->value = 3;
	/* a length, not a terminator: "ab" of "abc" is "ab" */
	assert_int_equal(crm_strmap_get(&m, "abc", 2)->value, 1);
	assert_int_equal(crm_strmap_get(&m, "abc", 3)->value, 2);
	assert_int_equal(crm_strmap_get(&m, "AB", 2)->value, 3);
	assert_null(crm_strmap_get(&m, "a", 1));
	crm_strmap_free(&m);
}

static void strmap__many__all_found_after_growing(void **state)
{
	struct crm_strmap m = CRM_STRMAP_INIT;
	char k[32];

	(void)state;
	for (int i = 0; i < 10000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		crm_strmap_put(&m, k, strlen(k))->value = i;
	}
	assert_int_equal(m.n, 10000);
	assert_true(m.cap >= 20000);
	for (int i = 0; i < 10000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		assert_int_equal(crm_strmap_get(&m, k, strlen(k))->value, i);
	}
	assert_null(crm_strmap_get(&m, "key-10000", 9));
	crm_strmap_free(&m);
}

static void strmap__clear__empty_and_reusable(void **state)
{
	struct crm_strmap m = CRM_STRMAP_INIT;
	size_t cap;

	(void)state;
	for (int i = 0; i < 100; i++) {
		char k[16];

		snprintf(k, sizeof(k), "%d", i);
		crm_strmap_put(&m, k, strlen(k));
	}
	cap = m.cap;
	crm_strmap_clear(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.cap, cap);
	assert_null(crm_strmap_get(&m, "5", 1));
	crm_strmap_put(&m, "5", 1)->value = 5;
	assert_int_equal(crm_strmap_get(&m, "5", 1)->value, 5);
	crm_strmap_free(&m);
	assert_null(m.slots);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strmap__empty__finds_nothing),
		cmocka_unit_test(strmap__put__made_once_with_zeros),
		cmocka_unit_test(strmap__keys_by_bytes__prefix_and_case_differ),
		cmocka_unit_test(strmap__many__all_found_after_growing),
		cmocka_unit_test(strmap__clear__empty_and_reusable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
