/* test_calendar.c - unit tests for lib/ticket/calendar.c: hours parsed
 * and refused, business time added and measured across weekends,
 * holidays and daylight-saving changes, and the two inverse of each
 * other on random times: between(t, add(t, s)) == s. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/stats.h"
#include "ticket/calendar.h"

static int64_t at(const char *iso)
{
	struct crm_err e = { 0, "" };
	int64_t t = 0;

	if (crm_time_parse(iso, 0, &t, &e) != 0)
		fail_msg("bad time %s", iso);
	return t;
}

static void calendar__hours__parsed_and_refused(void **state)
{
	struct crm_calendar c;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_calendar_init(&c, "mon-fri 09:00-12:00,13:00-17:00; sat 10:00-14:00",
					   "Europe/Amsterdam", &e), 0);
	assert_int_equal(c.nspans[0], 2);
	assert_int_equal(c.open[0][1], 13 * 60);
	assert_int_equal(c.nspans[5], 1);
	assert_int_equal(c.nspans[6], 0);
	crm_calendar_free(&c);
	assert_int_equal(crm_calendar_init(&c, "sat-mon 00:00-24:00", "UTC", &e), 0);
	assert_int_equal(c.nspans[6], 1);
	assert_int_equal(c.nspans[0], 1);
	assert_int_equal(c.nspans[1], 0);
	crm_calendar_free(&c);
	static const char *const bad[] = {
		"", "mon-fri", "mon-fri 9:00-17:00", "mon-fri 17:00-09:00", "mon-fri 09:00-24:30",
		"mon-fri 09:00-17:00; mon 16:00-18:00", "monday 09:00-17:00", "mon-fri 09:00-17:60",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(crm_calendar_init(&c, bad[i], "UTC", &e), CRM_EX_USAGE);
		crm_calendar_free(&c);
	}
	assert_int_equal(crm_calendar_init(&c, "mon-fri 09:00-17:00", "Nowhere/Town", &e),
			 CRM_EX_USAGE);
	crm_calendar_free(&c);
}

static void calendar__add__weekend_holiday_and_clock_change(void **state)
{
	struct crm_calendar c;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_calendar_init(&c, "mon-fri 09:00-17:00", "Europe/Amsterdam", &e), 0);
	/* Friday 16:00 CET + 2h: 1h on Friday, 1h on Monday from 09:00 CET */
	assert_int_equal(crm_calendar_add(&c, at("2026-12-04T15:00:00Z"), 7200),
			 at("2026-12-07T09:00:00Z"));
	crm_calendar_holiday(&c, 2026, 12, 7);
	assert_int_equal(crm_calendar_add(&c, at("2026-12-04T15:00:00Z"), 7200),
			 at("2026-12-08T09:00:00Z"));
	/* summer time ends on Sunday 25 October 2026: 09:00 is 07:00Z before, 08:00Z after */
	assert_int_equal(crm_calendar_add(&c, at("2026-10-23T14:00:00Z"), 3600 * 2),
			 at("2026-10-26T09:00:00Z"));
	assert_int_equal(crm_calendar_between(&c, at("2026-10-23T00:00:00Z"),
					      at("2026-10-27T00:00:00Z")), 16 * 3600);
	assert_int_equal(crm_calendar_add(NULL, 100, 50), 150);
	assert_int_equal(crm_calendar_between(NULL, 100, 50), 0);
	crm_calendar_free(&c);
}

static void calendar__add_between__inverse_on_random_times(void **state)
{
	static const char *const zones[] = { "Europe/Amsterdam", "America/New_York",
					     "Australia/Sydney", "Asia/Kolkata" };
	struct crm_rng rng;

	(void)state;
	crm_rng_seed(&rng, 7);
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		struct crm_calendar c;
		struct crm_err e = { 0, "" };

		assert_int_equal(crm_calendar_init(&c, "mon-thu 08:30-12:00,13:00-17:30; fri 08:00-14:00",
						   zones[z], &e), 0);
		crm_calendar_holiday(&c, 2026, 12, 25);
		crm_calendar_holiday(&c, 2027, 1, 1);
		for (int i = 0; i < 300; i++) {
			int64_t t = at("2026-01-01T00:00:00Z") + (int64_t)(crm_rng_next(&rng) % (730 * 86400));
			int64_t s = (int64_t)(crm_rng_next(&rng) % (200 * 3600));
			int64_t due = crm_calendar_add(&c, t, s);

			if (crm_calendar_between(&c, t, due) != s)
				fail_msg("%s: between(%lld, add(%lld, %lld) = %lld) = %lld", zones[z],
					 (long long)t, (long long)t, (long long)s, (long long)due,
					 (long long)crm_calendar_between(&c, t, due));
			/* and the moment is the earliest: one second less is short */
			if (s > 0 && crm_calendar_between(&c, t, due - 1) != s - 1)
				fail_msg("%s: add(%lld, %lld) is not the earliest", zones[z],
					 (long long)t, (long long)s);
		}
		crm_calendar_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar__hours__parsed_and_refused),
		cmocka_unit_test(calendar__add__weekend_holiday_and_clock_change),
		cmocka_unit_test(calendar__add_between__inverse_on_random_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
