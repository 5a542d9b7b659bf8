/* test_dates.c - unit tests for lib/dates.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/dates.h"
#include "base/err.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2024-01-31T10:20:30Z: the day after is a month end, so "+1m" clamps. */
#define NOW_JAN31	INT64_C(1706696430)
/* 2024-02-29T12:00:00Z, a leap day. */
#define NOW_LEAPDAY	(INT64_C(19782) * 86400 + 12 * 3600)
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define T_FIRST		(INT64_C(-719162) * 86400)
#define T_LAST		(INT64_C(2932896) * 86400 + 86399)
/* Marks an output the parser must leave alone on failure. */
#define UNTOUCHED	INT64_C(-4242)

/* The message expected for a short bad input: control characters as '?'. */
static void quoted(char *want, size_t size, const char *s)
{
	size_t n = (size_t)snprintf(want, size, "invalid date \"%s\"", s);

	assert_true(n < size);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)want[i] < 0x20 || want[i] == 0x7f)
			want[i] = '?';
}

static int64_t parse_ok(const char *s, int64_t now)
{
	struct crm_err e = { 0, "" };
	int64_t t = UNTOUCHED;
	int rc = crm_time_parse(s, now, &t, &e);

	if (rc != 0)
		fail_msg("\"%s\": unexpected error %d: %s", s, rc, e.msg);
	assert_int_equal(e.code, 0);
	return t;
}

static void expect_invalid(const char *s, int64_t now)
{
	struct crm_err e = { 0, "" };
	char want[128];
	int64_t t = UNTOUCHED;
	int rc = crm_time_parse(s, now, &t, &e);

	if (rc != CRM_EX_DATAERR)
		fail_msg("\"%s\": accepted or wrong code %d", s, rc);
	quoted(want, sizeof(want), s);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_string_equal(e.msg, want);
	assert_true(t == UNTOUCHED);
}

static void dates__epoch__day_zero(void **state)
{
	int64_t y;
	int m, d;
	char buf[32];

	(void)state;
	assert_true(crm_days_from_civil(1970, 1, 1) == 0);
	crm_civil_from_days(0, &y, &m, &d);
	assert_true(y == 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	crm_time_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_true(parse_ok("1970-01-01", NOW_JAN31) == 0);
	assert_true(parse_ok("1970-01-01T00:00:00Z", NOW_JAN31) == 0);
}

static void dates__known_days__match_reference(void **state)
{
	/* reference values from Python's datetime.date arithmetic */
	static const struct {
		int64_t y;
		int m, d;
		int64_t days;
	} tab[] = {
		{ 2000, 3, 1, 11017 },
		{ 2000, 2, 29, 11016 },
		{ 1969, 12, 31, -1 },
		{ 1, 1, 1, -719162 },
		{ 9999, 12, 31, 2932896 },
		{ 2024, 2, 29, 19782 },
		{ 1900, 3, 1, -25508 },
		{ 1900, 2, 28, -25509 },
		{ 1600, 2, 29, -135081 },
		{ 2026, 11, 23, 20780 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++) {
		int64_t y;
		int m, d;

		assert_true(crm_days_from_civil(tab[i].y, tab[i].m, tab[i].d)
			    == tab[i].days);
		crm_civil_from_days(tab[i].days, &y, &m, &d);
		assert_true(y == tab[i].y);
		assert_int_equal(m, tab[i].m);
		assert_int_equal(d, tab[i].d);
	}
}

static void dates__month_out_of_range__rolls_over(void **state)
{
	(void)state;
	assert_true(crm_days_from_civil(2024, 13, 1) ==
		    crm_days_from_civil(2025, 1, 1));
	assert_true(crm_days_from_civil(2024, 0, 1) ==
		    crm_days_from_civil(2023, 12, 1));
	assert_true(crm_days_from_civil(2024, -11, 1) ==
		    crm_days_from_civil(2023, 1, 1));
	assert_true(crm_days_from_civil(2024, 3, 0) ==
		    crm_days_from_civil(2024, 2, 29));
}

static void dates__leap_years__gregorian_rules(void **state)
{
	static const struct {
		int64_t y;
		int m, d;
		int valid;
	} tab[] = {
		{ 2000, 2, 29, 1 },	/* divisible by 400 */
		{ 1900, 2, 29, 0 },	/* by 100, not 400 */
		{ 2100, 2, 29, 0 },
		{ 2024, 2, 29, 1 },	/* by 4 */
		{ 2023, 2, 29, 0 },
		{ 2023, 2, 28, 1 },
		{ 1600, 2, 29, 1 },
		{ 0, 2, 29, 1 },	/* proleptic year 0 is a leap year */
		{ -4, 2, 29, 1 },
		{ -1, 2, 29, 0 },
		{ 2023, 4, 31, 0 },
		{ 2023, 4, 30, 1 },
		{ 2023, 12, 31, 1 },
		{ 2023, 1, 32, 0 },
		{ 2023, 1, 0, 0 },
		{ 2023, 0, 1, 0 },
		{ 2023, 13, 1, 0 },
		{ 2023, -1, 1, 0 },
		{ 2023, 6, -5, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++) {
		int v = crm_date_valid(tab[i].y, tab[i].m, tab[i].d);

		if (v != tab[i].valid)
			fail_msg("%lld-%d-%d: valid %d, want %d",
				 (long long)tab[i].y, tab[i].m, tab[i].d, v,
				 tab[i].valid);
	}
}

static void dates__civil_round_trip__every_997th_day(void **state)
{
	int64_t first = crm_days_from_civil(1, 1, 1);
	int64_t last = crm_days_from_civil(9999, 12, 31);

	(void)state;
	assert_true(first == -719162);
	assert_true(last == 2932896);
	for (int64_t days = first; days <= last; days += 997) {
		int64_t y;
		int m, d;

		crm_civil_from_days(days, &y, &m, &d);
		assert_true(y >= 1 && y <= 9999);
		assert_true(crm_date_valid(y, m, d));
		assert_true(crm_days_from_civil(y, m, d) == days);
	}
	/* far before year 1 and far after 9999 work too */
	for (int64_t days = -1000000000; days <= 1000000000; days += 9999991) {
		int64_t y;
		int m, d;

		crm_civil_from_days(days, &y, &m, &d);
		assert_true(crm_date_valid(y, m, d));
		assert_true(crm_days_from_civil(y, m, d) == days);
	}
}

static void dates__consecutive_days__successor_date(void **state)
{
	int64_t py;
	int pm, pd;

	(void)state;
	/* every day 1896..2104: each is the calendar successor of the last */
	crm_civil_from_days(crm_days_from_civil(1896, 1, 1) - 1, &py, &pm, &pd);
	assert_true(py == 1895 && pm == 12 && pd == 31);
	for (int64_t days = crm_days_from_civil(1896, 1, 1);
	     days <= crm_days_from_civil(2104, 12, 31); days++) {
		int64_t y;
		int m, d;

		crm_civil_from_days(days, &y, &m, &d);
		if (crm_date_valid(py, pm, pd + 1))
			assert_true(y == py && m == pm && d == pd + 1);
		else if (pm < 12)
			assert_true(y == py && m == pm + 1 && d == 1);
		else
			assert_true(y == py + 1 && m == 1 && d == 1);
		py = y;
		pm = m;
		pd = d;
	}
}

static void dates__extreme_days__no_overflow(void **state)
{
	int64_t y;
	int m, d;

	(void)state;
	/* reference from the same algorithm in Python's big integers */
	crm_civil_from_days(INT64_MIN, &y, &m, &d);
	assert_true(y == INT64_C(-25252734927764585));
	assert_int_equal(m, 6);
	assert_int_equal(d, 7);
	crm_civil_from_days(INT64_MAX, &y, &m, &d);
	assert_true(y == INT64_C(25252734927768524));
	assert_int_equal(m, 7);
	assert_int_equal(d, 27);
}

struct parse_case {
	const char *in;
	int64_t now;
	const char *want;	/* crm_time_format of the result */
};

static void check_parse_table(const struct parse_case *tab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[32];

		crm_time_format(parse_ok(tab[i].in, tab[i].now), buf);
		if (strcmp(buf, tab[i].want) != 0)
			fail_msg("\"%s\": got %s, want %s", tab[i].in, buf,
				 tab[i].want);
	}
}

static void dates__iso_forms__parsed_as_utc(void **state)
{
	static const struct parse_case tab[] = {
		{ "2024-02-29", 0, "2024-02-29T00:00:00Z" },
		{ "2000-02-29", 0, "2000-02-29T00:00:00Z" },
		{ "1900-02-28", 0, "1900-02-28T00:00:00Z" },
		{ "0001-01-01", 0, "0001-01-01T00:00:00Z" },
		{ "9999-12-31", 0, "9999-12-31T00:00:00Z" },
		{ "9999-12-31T23:59:59Z", 0, "9999-12-31T23:59:59Z" },
		{ "1969-12-31T23:59:59Z", 0, "1969-12-31T23:59:59Z" },
		{ "2026-11-23T15:55", 0, "2026-11-23T15:55:00Z" },
		{ "2026-11-23T15:55:48", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23 15:55:48", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23t15:55:48z", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23T00:00:00", 0, "2026-11-23T00:00:00Z" },
		{ "2026-11-23T23:59:59", 0, "2026-11-23T23:59:59Z" },
	};

	(void)state;
	check_parse_table(tab, ARRAY_LEN(tab));
}

static void dates__fractions__dropped(void **state)
{
	static const struct parse_case tab[] = {
		{ "2026-11-23T15:55:48.123", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23T15:55:48.9", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23T15:55:48.999999999Z", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23 15:55:59.5+01:00", 0, "2026-11-23T14:55:59Z" },
		{ "1969-12-31T23:59:59.75Z", 0, "1969-12-31T23:59:59Z" },
		{ "2026-11-23T15:55:48."
		  "00000000000000000000000000000000000000000000000000000000"
		  "00000000000000000000000000000000000000000000000000000001",
		  0, "2026-11-23T15:55:48Z" },
	};

	(void)state;
	check_parse_table(tab, ARRAY_LEN(tab));
}

static void dates__zones__converted_to_utc(void **state)
{
	static const struct parse_case tab[] = {
		{ "2026-11-23T15:55:48Z", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23T15:55:48z", 0, "2026-11-23T15:55:48Z" },
		{ "2026-11-23T15:55:48+01:00", 0, "2026-11-23T14:55:48Z" },
		{ "2026-11-23T15:55:48-05:00", 0, "2026-11-23T20:55:48Z" },
		{ "2026-11-23T15:55:48-0500", 0, "2026-11-23T20:55:48Z" },
		{ "2026-11-23T15:55:48+0530", 0, "2026-11-23T10:25:48Z" },
		{ "2026-11-23T15:55+05", 0, "2026-11-23T10:55:00Z" },
		{ "2026-11-23T15:55-00:00", 0, "2026-11-23T15:55:00Z" },
		{ "2026-11-23T15:55+00", 0, "2026-11-23T15:55:00Z" },
		{ "2026-11-23T15:55+23:59", 0, "2026-11-22T15:56:00Z" },
		{ "2026-11-23T00:30+01:00", 0, "2026-11-22T23:30:00Z" },
		{ "2024-12-31T23:30-01:00", 0, "2025-01-01T00:30:00Z" },
		{ "2024-02-28T23:00-02:00", 0, "2024-02-29T01:00:00Z" },
		{ "2023-02-28T23:00-02:00", 0, "2023-03-01T01:00:00Z" },
		{ "0001-01-01T00:00-00:01", 0, "0001-01-01T00:01:00Z" },
		{ "9999-12-31T23:59+00:01", 0, "9999-12-31T23:58:00Z" },
	};

	(void)state;
	check_parse_table(tab, ARRAY_LEN(tab));
}

static void dates__words__relative_to_now(void **state)
{
	static const struct parse_case tab[] = {
		{ "now", NOW_JAN31, "2024-01-31T10:20:30Z" },
		{ "NOW", NOW_JAN31, "2024-01-31T10:20:30Z" },
		{ "today", NOW_JAN31, "2024-01-31T00:00:00Z" },
		{ "Today", NOW_JAN31, "2024-01-31T00:00:00Z" },
		{ "yesterday", NOW_JAN31, "2024-01-30T00:00:00Z" },
		{ "YESTERDAY", NOW_JAN31, "2024-01-30T00:00:00Z" },
		{ "tomorrow", NOW_JAN31, "2024-02-01T00:00:00Z" },
		{ "ToMoRrOw", NOW_JAN31, "2024-02-01T00:00:00Z" },
		{ "tomorrow", NOW_LEAPDAY, "2024-03-01T00:00:00Z" },
		{ "yesterday", 0, "1969-12-31T00:00:00Z" },
		{ "today", -1, "1969-12-31T00:00:00Z" },
		{ "today", T_FIRST, "0001-01-01T00:00:00Z" },
		{ "now", T_LAST, "9999-12-31T23:59:59Z" },
		{ "today", T_LAST, "9999-12-31T00:00:00Z" },
	};

	(void)state;
	check_parse_table(tab, ARRAY_LEN(tab));
}

static void dates__relative_units__added_to_now(void **state)
{
	/* h/d/w references from Python's datetime + timedelta */
	static const struct parse_case tab[] = {
		{ "-12h", NOW_JAN31, "2024-01-30T22:20:30Z" },
		{ "+36H", NOW_JAN31, "2024-02-01T22:20:30Z" },
		{ "-30d", NOW_JAN31, "2024-01-01T10:20:30Z" },
		{ "+1D", NOW_JAN31, "2024-02-01T10:20:30Z" },
		{ "+2w", NOW_JAN31, "2024-02-14T10:20:30Z" },
		{ "-1W", NOW_JAN31, "2024-01-24T10:20:30Z" },
		{ "+0d", NOW_JAN31, "2024-01-31T10:20:30Z" },
		{ "-0y", NOW_JAN31, "2024-01-31T10:20:30Z" },
		{ "+007d", NOW_JAN31, "2024-02-07T10:20:30Z" },
		{ "+100000h", NOW_JAN31, "2035-06-29T02:20:30Z" },
		{ "-100000h", NOW_JAN31, "2012-09-03T18:20:30Z" },
		{ "+100000d", NOW_JAN31, "2297-11-15T10:20:30Z" },
		{ "-100000d", NOW_JAN31, "1750-04-17T10:20:30Z" },
		{ "+100000w", NOW_JAN31, "3940-08-14T10:20:30Z" },
		{ "-100000w", NOW_JAN31, "0107-07-20T10:20:30Z" },
		{ "+1y", NOW_JAN31, "2025-01-31T10:20:30Z" },
		{ "-3Y", NOW_JAN31, "2021-01-31T10:20:30Z" },
		{ "+7975y", NOW_JAN31, "9999-01-31T10:20:30Z" },
		{ "-2023y", NOW_JAN31, "0001-01-31T10:20:30Z" },
		{ "-1d", 0, "1969-12-31T00:00:00Z" },
	};

	(void)state;
	check_parse_table(tab, ARRAY_LEN(tab));
}

static void dates__month_ends__clamped(void **state)
{
	static const struct parse_case tab[] = {
		{ "+1m", NOW_JAN31, "2024-02-29T10:20:30Z" },
		{ "+1M", NOW_JAN31, "2024-02-29T10:20:30Z" },
		{ "+2m", NOW_JAN31, "2024-03-31T10:20:30Z" },
		{ "+3m", NOW_JAN31, "2024-04-30T10:20:30Z" },
		{ "-2m", NOW_JAN31, "2023-11-30T10:20:30Z" },
		{ "-11m", NOW_JAN31, "2023-02-28T10:20:30Z" },
		{ "+13m", NOW_JAN31, "2025-02-28T10:20:30Z" },
		{ "+12m", NOW_JAN31, "2025-01-31T10:20:30Z" },
		{ "-1m", NOW_LEAPDAY, "2024-01-29T12:00:00Z" },
		{ "+1y", NOW_LEAPDAY, "2025-02-28T12:00:00Z" },
		{ "-1y", NOW_LEAPDAY, "2023-02-28T12:00:00Z" },
		{ "+4y", NOW_LEAPDAY, "2028-02-29T12:00:00Z" },
		{ "+76y", NOW_LEAPDAY, "2100-02-28T12:00:00Z" },
		{ "-24y", NOW_LEAPDAY, "2000-02-29T12:00:00Z" },
		{ "-1m", -1, "1969-11-30T23:59:59Z" },
		{ "+95711m", NOW_JAN31, "9999-12-31T10:20:30Z" },
		{ "-24276m", NOW_JAN31, "0001-01-31T10:20:30Z" },
	};

	(void)state;
	check_parse_table(tab, ARRAY_LEN(tab));
}

static void dates__malformed_dates__rejected(void **state)
{
	static const char *const bad[] = {
		"", "2023-02-30", "2023-02-29", "1900-02-29", "2100-02-29",
		"2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32",
		"2023-04-31", "0000-01-01", "0000-12-31", "2024-1-01",
		"2024-01-1", "24-01-01", "20240101", "2024/01/01",
		"2024.01.01", "12024-01-01", "-2024-01-01", "+2024-01-01",
		"2024-01-01x", "2024-01-01 ", " 2024-01-01", "2024-01-01\n",
		"2024-01-01Z", "2024-01-01+01:00", "2024-01-01T",
		"2024-01-01 ", "2024-01-01T10", "2024-0a-01", "2024-01-0١",
		"2024-01-01\xc3\xa9", "２０２４-01-01",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		expect_invalid(bad[i], NOW_JAN31);
}

static void dates__malformed_times__rejected(void **state)
{
	static const char *const bad[] = {
		"2024-01-01T24:00", "2024-01-01T24:00:00",
		"2024-01-01T24:00:00Z", "2024-01-01T25:00",
		"2024-01-01T23:60", "2024-01-01T23:59:60",
		"2024-01-01T23:59:60Z", "2024-01-01T23:59:99",
		"2024-01-01T10:", "2024-01-01T1:00", "2024-01-01T10:0",
		"2024-01-01T10:00:", "2024-01-01T10:00:5",
		"2024-01-01T10:00:00.", "2024-01-01T10:00.5",
		"2024-01-01T10:00:00,5", "2024-01-01T10:00:00.5.5",
		"2024-01-01T10:00:00.x", "2024-01-01T1000",
		"2024-01-01T10-00", "2024-01-01  10:00",
		"2024-01-01_10:00", "2024-01-01T 10:00",
		"2024-01-01\t10:00", "2024-01-01T10:00:00 ",
		"2024-01-01T10:00:00x",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		expect_invalid(bad[i], NOW_JAN31);
}

static void dates__malformed_zones__rejected(void **state)
{
	static const char *const bad[] = {
		"2024-01-01T10:00:00ZZ", "2024-01-01T10:00:00Z ",
		"2024-01-01T10:00:00Zx", "2024-01-01T10:00+1",
		"2024-01-01T10:00+01:", "2024-01-01T10:00+01:0",
		"2024-01-01T10:00+010", "2024-01-01T10:00+01000",
		"2024-01-01T10:00+0100x", "2024-01-01T10:00+01:00:00",
		"2024-01-01T10:00+24:00", "2024-01-01T10:00+01:60",
		"2024-01-01T10:00+0160", "2024-01-01T10:00 +01:00",
		"2024-01-01T10:00UTC", "2024-01-01T10:00GMT",
		"2024-01-01T10:00+", "2024-01-01T10:00-",
		"2024-01-01T10:00+:00", "2024-01-01T10:00++01",
		"2024-01-01T10:00z+01",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		expect_invalid(bad[i], NOW_JAN31);
}

static void dates__beyond_year_range__rejected(void **state)
{
	static const char *const bad[] = {
		"9999-12-31T23:59:59-00:01", "9999-12-31T23:00-02:00",
		"0001-01-01T00:00:00+00:01", "0001-01-01T00:59+01",
		"+100000m", "-100000m", "+100000y", "-100000y",
		"+7976y", "-2024y", "+95712m", "-24277m",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		expect_invalid(bad[i], NOW_JAN31);
	expect_invalid("tomorrow", T_LAST);
	expect_invalid("+1h", T_LAST);
	expect_invalid("yesterday", T_FIRST);
	expect_invalid("-1d", T_FIRST);
	expect_invalid("-1m", T_FIRST);
}

static void dates__malformed_relative__rejected(void **state)
{
	static const char *const bad[] = {
		"no", "nowx", "now ", " now", "now\n", "\tnow", "tod",
		"todayy", "yester", "yesterday\r", "tomorow", "now()",
		"+", "-", "+d", "-m", "1d", "30d", "d", "+1", "-30", "+1x",
		"+1s", "+1min", "+1dd", "+1 d", "+ 1d", "+-1d", "++1d",
		"--1d", "+1.5d", "+1,5d", "+100001d", "-100001h",
		"+999999999999999999999999999999999999999999999999d",
		"-99999999999999999999999999999999999999999999999999y",
		"+1e3d", "+0x10d", "+1d+1d", "now-1d", "today+1d",
		"+1\xc3\xa9", "\xc3\xa9", "n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		expect_invalid(bad[i], NOW_JAN31);
}

static void dates__now_out_of_range__relative_rejected(void **state)
{
	static const char *const forms[] = {
		"now", "today", "yesterday", "tomorrow", "+1h", "-100000h",
		"+1d", "+100000w", "-100000w", "+1m", "-100000m", "+100000y",
		"-100000y",
	};
	static const int64_t nows[] = {
		INT64_MIN, INT64_MIN + 1, T_FIRST - 1, T_LAST + 1,
		INT64_MAX - 1, INT64_MAX,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(nows); i++)
		for (size_t j = 0; j < ARRAY_LEN(forms); j++)
			expect_invalid(forms[j], nows[i]);
	/* absolute forms do not care about now */
	assert_true(parse_ok("1970-01-01", INT64_MIN) == 0);
	assert_true(parse_ok("1970-01-01T00:00Z", INT64_MAX) == 0);
}

static void dates__error_message__quotes_input(void **state)
{
	struct crm_err e = { 0, "" };
	char longin[200], want[256];
	int64_t t = UNTOUCHED;

	(void)state;
	assert_int_equal(crm_time_parse("2023-02-30", 0, &t, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid date \"2023-02-30\"");

	/* NULL input reads as empty */
	assert_int_equal(crm_time_parse(NULL, 0, &t, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid date \"\"");

	/* control characters are shown as '?' */
	crm_time_parse("now\n\x1b[31m\x7f", 0, &t, &e);
	assert_string_equal(e.msg, "invalid date \"now??[31m?\"");

	/* long input: 64 bytes and "..." */
	memset(longin, 'x', sizeof(longin) - 1);
	longin[sizeof(longin) - 1] = '\0';
	crm_time_parse(longin, 0, &t, &e);
	snprintf(want, sizeof(want), "invalid date \"%.64s...\"", longin);
	assert_string_equal(e.msg, want);

	/* exactly 64 bytes: quoted whole */
	longin[64] = '\0';
	crm_time_parse(longin, 0, &t, &e);
	snprintf(want, sizeof(want), "invalid date \"%s\"", longin);
	assert_string_equal(e.msg, want);

	/* a cut never splits a UTF-8 character: 63 x, then "\xc3\xa9" */
	memset(longin, 'x', 63);
	memcpy(longin + 63, "\xc3\xa9\xc3\xa9", 5);
	crm_time_parse(longin, 0, &t, &e);
	snprintf(want, sizeof(want), "invalid date \"%.63s...\"", longin);
	assert_string_equal(e.msg, want);

	/* 62 x and one "\xc3\xa9" fit, the next does not */
	memset(longin, 'x', 62);
	memcpy(longin + 62, "\xc3\xa9\xc3\xa9", 5);
	crm_time_parse(longin, 0, &t, &e);
	snprintf(want, sizeof(want), "invalid date \"%.64s...\"", longin);
	assert_string_equal(e.msg, want);
	assert_int_equal(strlen(want), strlen("invalid date \"\"...") + 64);

	/* 4-byte character cut after its second byte */
	memset(longin, 'x', 62);
	memcpy(longin + 62, "\xf0\x9f\x98\x80", 5);
	crm_time_parse(longin, 0, &t, &e);
	snprintf(want, sizeof(want), "invalid date \"%.62s...\"", longin);
	assert_string_equal(e.msg, want);

	assert_true(t == UNTOUCHED);
}

static void dates__null_err__code_still_returned(void **state)
{
	int64_t t = UNTOUCHED, y = UNTOUCHED;
	int m = -1, d = -1;

	(void)state;
	assert_int_equal(crm_time_parse("bogus", 0, &t, NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_date_parse("bogus", 0, &y, &m, &d, NULL),
			 CRM_EX_DATAERR);
	assert_true(t == UNTOUCHED && y == UNTOUCHED && m == -1 && d == -1);
	assert_int_equal(crm_time_parse("2024-01-01", 0, &t, NULL), 0);
}

static void dates__canonical_text__round_trips(void **state)
{
	static const char *const tab[] = {
		"1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "2000-02-29T12:34:56Z",
		"1900-03-01T00:00:01Z", "2024-02-29T23:59:59Z",
		"1969-12-31T23:59:59Z", "2026-11-23T15:55:48Z",
	};
	int64_t first = crm_days_from_civil(1, 1, 1);
	int64_t last = crm_days_from_civil(9999, 12, 31);
	int64_t sod = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++) {
		char buf[32];

		crm_time_format(parse_ok(tab[i], 0), buf);
		assert_string_equal(buf, tab[i]);
	}
	/* parse(format(t)) == t over the whole range */
	for (int64_t days = first; days <= last; days += 997) {
		int64_t t = days * 86400 + sod;
		char buf[32];

		crm_time_format(t, buf);
		assert_int_equal(strlen(buf), 20);
		assert_true(parse_ok(buf, 0) == t);
		sod = (sod + 7919) % 86400;
	}
}

static void dates__format__zero_padded(void **state)
{
	char buf[32], dbuf[16];

	(void)state;
	crm_time_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	crm_time_format(T_FIRST, buf);
	assert_string_equal(buf, "0001-01-01T00:00:00Z");
	crm_time_format(T_LAST, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	crm_time_format(NOW_JAN31, buf);
	assert_string_equal(buf, "2024-01-31T10:20:30Z");
	/* extremes: sane text that fits 32 bytes */
	crm_time_format(INT64_MIN, buf);
	assert_string_equal(buf, "-292277022657-01-27T08:29:52Z");
	crm_time_format(INT64_MAX, buf);
	assert_string_equal(buf, "292277026596-12-04T15:30:07Z");

	crm_date_format(1, 1, 1, dbuf);
	assert_string_equal(dbuf, "0001-01-01");
	crm_date_format(99, 12, 5, dbuf);
	assert_string_equal(dbuf, "0099-12-05");
	crm_date_format(2026, 11, 23, dbuf);
	assert_string_equal(dbuf, "2026-11-23");
	crm_date_format(9999, 12, 31, dbuf);
	assert_string_equal(dbuf, "9999-12-31");
	crm_date_format(12345, 1, 1, dbuf);
	assert_string_equal(dbuf, "12345-01-01");
	crm_date_format(-1, 1, 1, dbuf);
	assert_string_equal(dbuf, "-0001-01-01");
	/* absurd input is cut to fit, never overflows */
	crm_date_format(INT64_MIN, -2147483647 - 1, 2147483647, dbuf);
	assert_int_equal(strlen(dbuf), 15);
	assert_memory_equal(dbuf, "-92233720368547", 15);
}

struct date_case {
	const char *in;
	int64_t now;
	int64_t y;
	int m, d;
};

static void dates__date_parse__days(void **state)
{
	static const struct date_case tab[] = {
		{ "2024-02-29", 0, 2024, 2, 29 },
		{ "2000-02-29", 0, 2000, 2, 29 },
		{ "0001-01-01", 0, 1, 1, 1 },
		{ "9999-12-31", 0, 9999, 12, 31 },
		{ "1969-12-31", 0, 1969, 12, 31 },
		{ "today", NOW_JAN31, 2024, 1, 31 },
		{ "TODAY", NOW_JAN31, 2024, 1, 31 },
		{ "now", NOW_JAN31, 2024, 1, 31 },
		{ "Now", -1, 1969, 12, 31 },
		{ "yesterday", NOW_JAN31, 2024, 1, 30 },
		{ "tomorrow", NOW_JAN31, 2024, 2, 1 },
		{ "tomorrow", NOW_LEAPDAY, 2024, 3, 1 },
		{ "-30d", NOW_JAN31, 2024, 1, 1 },
		{ "+2W", NOW_JAN31, 2024, 2, 14 },
		{ "+1m", NOW_JAN31, 2024, 2, 29 },
		{ "-11M", NOW_JAN31, 2023, 2, 28 },
		{ "+1y", NOW_LEAPDAY, 2025, 2, 28 },
		{ "-1Y", NOW_JAN31, 2023, 1, 31 },
		{ "+0d", NOW_JAN31, 2024, 1, 31 },
		{ "-100000d", NOW_JAN31, 1750, 4, 17 },
		{ "today", T_LAST, 9999, 12, 31 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++) {
		struct crm_err e = { 0, "" };
		int64_t y = 0;
		int m = 0, d = 0;
		int rc = crm_date_parse(tab[i].in, tab[i].now, &y, &m, &d, &e);

		if (rc != 0)
			fail_msg("\"%s\": %s", tab[i].in, e.msg);
		if (y != tab[i].y || m != tab[i].m || d != tab[i].d)
			fail_msg("\"%s\": got %lld-%d-%d", tab[i].in,
				 (long long)y, m, d);
	}
}

static void dates__date_parse_times__rejected(void **state)
{
	static const char *const bad[] = {
		"2024-01-01T00:00", "2024-01-01T00:00:00Z",
		"2024-01-01 10:00", "2024-01-01T10:00+01:00",
		"2024-01-01Z", "2024-01-01T", "+12h", "-1h", "+0H",
		"2023-02-30", "2023-13-01", "0000-01-01", "", " today",
		"today ", "+1", "1d", "+100000y", "+1s", "2024-01-01x",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct crm_err e = { 0, "" };
		char want[128];
		int64_t y = UNTOUCHED;
		int m = -1, d = -1;
		int rc = crm_date_parse(bad[i], NOW_JAN31, &y, &m, &d, &e);

		if (rc != CRM_EX_DATAERR)
			fail_msg("\"%s\": accepted or wrong code %d", bad[i], rc);
		quoted(want, sizeof(want), bad[i]);
		assert_int_equal(e.code, CRM_EX_DATAERR);
		assert_string_equal(e.msg, want);
		assert_true(y == UNTOUCHED && m == -1 && d == -1);
	}
	{
		int64_t y;
		int m, d;

		assert_int_equal(crm_date_parse("tomorrow", T_LAST, &y, &m, &d,
						NULL), CRM_EX_DATAERR);
		assert_int_equal(crm_date_parse("today", INT64_MAX, &y, &m, &d,
						NULL), CRM_EX_DATAERR);
	}
}

static void dates__crm_now_env__used_when_valid(void **state)
{
	int64_t before, got, after;

	(void)state;
	assert_int_equal(setenv("CRM_NOW", "2024-01-31T10:20:30Z", 1), 0);
	assert_true(crm_now() == NOW_JAN31);
	assert_int_equal(setenv("CRM_NOW", "2024-01-31 11:20:30+01:00", 1), 0);
	assert_true(crm_now() == NOW_JAN31);
	assert_int_equal(setenv("CRM_NOW", "1970-01-01", 1), 0);
	assert_true(crm_now() == 0);

	/* relative to the real clock */
	assert_int_equal(setenv("CRM_NOW", "+1d", 1), 0);
	before = (int64_t)time(NULL);
	got = crm_now();
	after = (int64_t)time(NULL);
	assert_true(got >= before + 86400 && got <= after + 86400);
	assert_int_equal(setenv("CRM_NOW", "today", 1), 0);
	got = crm_now();
	assert_true(got % 86400 == 0);
	assert_true(got <= (int64_t)time(NULL) && got > before - 2 * 86400);

	/* unparsable or empty: the real clock */
	static const char *const ignored[] = { "garbage", "", " now",
					       "2023-02-30", "+100000y" };
	for (size_t i = 0; i < ARRAY_LEN(ignored); i++) {
		assert_int_equal(setenv("CRM_NOW", ignored[i], 1), 0);
		before = (int64_t)time(NULL);
		got = crm_now();
		after = (int64_t)time(NULL);
		assert_true(got >= before && got <= after);
	}

	assert_int_equal(unsetenv("CRM_NOW"), 0);
	before = (int64_t)time(NULL);
	got = crm_now();
	after = (int64_t)time(NULL);
	assert_true(got >= before && got <= after);
}

static void set_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

/* Expected instants below come from Python's zoneinfo, not from this code:
 * datetime(..., tzinfo=ZoneInfo(zone), fold=0).timestamp(). */
#define AMS_MAR28_1500	INT64_C(1774706400)	/* 2026-03-28T14:00:00Z */
#define AMS_MAR30_1500	INT64_C(1774875600)	/* 2026-03-30T13:00:00Z */

static void dates__no_zone__local_time(void **state)
{
	(void)state;
	set_tz("Europe/Amsterdam");
	/* 15:00 in Amsterdam the day before and after summer time starts */
	assert_true(parse_ok("2026-03-28T15:00", 0) == AMS_MAR28_1500);
	assert_true(parse_ok("2026-03-30 15:00:00", 0) == AMS_MAR30_1500);
	/* a date alone is local midnight */
	assert_true(parse_ok("2026-03-28", 0) == AMS_MAR28_1500 - 15 * 3600);
	/* an offset or Z still says what it says */
	assert_true(parse_ok("2026-03-28T15:00Z", 0) == AMS_MAR28_1500 + 3600);
	assert_true(parse_ok("2026-03-28T15:00+01:00", 0) == AMS_MAR28_1500);
	set_tz("America/New_York");
	assert_true(parse_ok("2024-01-31T10:20:30", 0) == NOW_JAN31 + 5 * 3600);
	set_tz("Asia/Kolkata");
	assert_true(parse_ok("2024-01-31T10:20:30", 0) == NOW_JAN31 - 19800);
	set_tz("UTC");
	assert_true(parse_ok("2024-01-31T10:20:30", 0) == NOW_JAN31);
}

static void dates__dst_gap__moved_forward(void **state)
{
	(void)state;
	/* 02:30 does not exist: read with the offset before, i.e. 03:30 */
	set_tz("Europe/Amsterdam");
	assert_true(parse_ok("2026-03-29T02:30", 0) == INT64_C(1774747800));
	assert_true(parse_ok("2026-03-29T03:30", 0) == INT64_C(1774747800));
	assert_true(parse_ok("2026-03-29T01:59:59", 0) == INT64_C(1774745999));
	set_tz("America/New_York");
	assert_true(parse_ok("2026-03-08T02:30", 0) == INT64_C(1772955000));
	set_tz("UTC");
}

static void dates__dst_overlap__first(void **state)
{
	(void)state;
	/* 02:30 happens twice: the first, in summer time */
	set_tz("Europe/Amsterdam");
	assert_true(parse_ok("2026-10-25T02:30", 0) == INT64_C(1792888200));
	assert_true(parse_ok("2026-10-25T02:30+01:00", 0) == INT64_C(1792891800));
	assert_true(parse_ok("2026-10-25T03:00", 0) == INT64_C(1792891800) + 1800);
	set_tz("America/New_York");
	assert_true(parse_ok("2026-11-01T01:30", 0) == INT64_C(1793511000));
	set_tz("UTC");
}

/* The local wall clock at t, as libc's localtime_r gives it. */
static int64_t wall_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	assert_non_null(localtime_r(&tt, &tm));
	return crm_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 +
	       tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

/* Every quarter hour of 2025-2026 in zones with DST of one hour, of half
 * an hour (Lord Howe), southern summers, none and odd offsets: the wall
 * time each instant shows maps back to that instant, or to the earlier one
 * showing the same (the first of an hour that happens twice); a wall time
 * no instant shows (a gap) maps to the offset before it. */
static void dates__local_to_utc__every_quarter_hour(void **state)
{
	static const char *const zones[] = {
		"Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe",
		"Australia/Sydney", "America/Santiago", "Asia/Kolkata", "Asia/Kathmandu",
		"Pacific/Chatham", "UTC",
	};
	const int64_t from = crm_days_from_civil(2025, 1, 1) * 86400;
	const int64_t to = crm_days_from_civil(2027, 1, 1) * 86400;

	(void)state;
	for (size_t z = 0; z < ARRAY_LEN(zones); z++) {
		int64_t gaps = 0, twice = 0;

		set_tz(zones[z]);
		for (int64_t t = from; t < to; t += 900) {
			int64_t w = wall_of(t), next = wall_of(t + 900);
			int64_t r = crm_local_to_utc(w);

			if (r != t) {
				if (!(r < t && wall_of(r) == w))
					fail_msg("%s: wall %lld of %lld gave %lld", zones[z],
						 (long long)w, (long long)t, (long long)r);
				twice++;
			}
			/* walls skipped between this quarter and the next */
			for (int64_t g = w + 900; g < next; g += 900) {
				r = crm_local_to_utc(g);
				if (r != g - (w - t))
					fail_msg("%s: gap wall %lld gave %lld, want %lld", zones[z],
						 (long long)g, (long long)r, (long long)(g - (w - t)));
				gaps++;
			}
		}
		/* two changes a year, or none */
		if (strcmp(zones[z], "UTC") == 0 || strncmp(zones[z], "Asia/", 5) == 0)
			assert_true(gaps == 0 && twice == 0);
		else
			assert_true(gaps > 0 && twice > 0);
	}
	set_tz("UTC");
}

static void dates__relative__local_calendar(void **state)
{
	int64_t y;
	int m, d;
	struct crm_err e = { 0, "" };

	(void)state;
	set_tz("Asia/Kolkata");
	/* 10:20:30Z is 15:50:30 in India: today began 18:30Z the day before */
	assert_true(parse_ok("today", NOW_JAN31) == INT64_C(1706639400));
	assert_true(parse_ok("yesterday", NOW_JAN31) == INT64_C(1706639400) - 86400);
	assert_true(parse_ok("tomorrow", NOW_JAN31) == INT64_C(1706639400) + 86400);
	/* 20:00Z on the 30th is already the 31st there */
	assert_int_equal(crm_date_parse("today", NOW_JAN31 - 51630, &y, &m, &d, &e), 0);
	assert_true(y == 2024 && m == 1 && d == 31);
	set_tz("America/New_York");
	assert_true(parse_ok("today", NOW_JAN31) == INT64_C(1706677200));
	/* days keep the local time across a DST change: 23 hours here */
	set_tz("Europe/Amsterdam");
	assert_true(parse_ok("+1d", AMS_MAR28_1500) == AMS_MAR28_1500 + 23 * 3600);
	assert_true(parse_ok("+2d", AMS_MAR28_1500) == AMS_MAR30_1500);
	assert_true(parse_ok("+24h", AMS_MAR28_1500) == AMS_MAR28_1500 + 24 * 3600);
	assert_true(parse_ok("-1w", AMS_MAR30_1500) == AMS_MAR30_1500 - 7 * 86400 + 3600);
	set_tz("UTC");
	assert_true(parse_ok("today", NOW_JAN31) == NOW_JAN31 - 37230);
}

static void dates__local_day__midnight_to_midnight(void **state)
{
	(void)state;
	set_tz("Europe/Amsterdam");
	/* 2026-03-29 runs from 23:00Z the day before to 22:00Z: 23 hours
	 * (the local midnights from Python's zoneinfo) */
	assert_true(crm_local_day_end(INT64_C(1774738800)) == INT64_C(1774821600));
	assert_true(crm_local_day_end(AMS_MAR28_1500 + 86400) == INT64_C(1774821600));
	assert_true(crm_local_days(INT64_C(1774821600) - 1) == crm_days_from_civil(2026, 3, 29));
	assert_true(crm_local_days(INT64_C(1774821600)) == crm_days_from_civil(2026, 3, 30));
	/* 2026-10-25: 25 hours */
	assert_true(crm_local_day_end(INT64_C(1792879200)) == INT64_C(1792969200));
	set_tz("UTC");
	assert_true(crm_local_day_end(NOW_JAN31) == NOW_JAN31 - 37230 + 86400);
}

static void dates__format_local__offset(void **state)
{
	char buf[40];

	(void)state;
	set_tz("Europe/Amsterdam");
	crm_time_format_local(AMS_MAR28_1500, buf);
	assert_string_equal(buf, "2026-03-28T15:00:00+01:00");
	crm_time_format_local(AMS_MAR30_1500, buf);
	assert_string_equal(buf, "2026-03-30T15:00:00+02:00");
	/* 1900: Amsterdam's local mean time, +00:19:32, cannot be written
	 * as +HH:MM: shown in UTC */
	crm_time_format_local(INT64_C(-2208988800), buf);
	assert_string_equal(buf, "1900-01-01T00:00:00Z");
	set_tz("America/New_York");
	crm_time_format_local(INT64_C(1793511000), buf);
	assert_string_equal(buf, "2026-11-01T01:30:00-04:00");
	set_tz("Asia/Kolkata");
	crm_time_format_local(NOW_JAN31, buf);
	assert_string_equal(buf, "2024-01-31T15:50:30+05:30");
	/* what is printed parses back to the same instant */
	assert_true(parse_ok(buf, 0) == NOW_JAN31);
	set_tz("UTC");
	crm_time_format_local(NOW_JAN31, buf);
	assert_string_equal(buf, "2024-01-31T10:20:30Z");
}

static void dates__is_stored__exact_shape(void **state)
{
	static const char *const no[] = {
		"2024-01-31T10:20:30", "2024-01-31T10:20:30+01:00", "2024-01-31 10:20:30Z",
		"2024-01-31T10:20:3xZ", "2024-01-31", "", "2024-01-31T10:20:30z",
	};

	(void)state;
	assert_int_equal(crm_time_is_stored("2024-01-31T10:20:30Z", 20), 1);
	for (size_t i = 0; i < ARRAY_LEN(no); i++)
		assert_int_equal(crm_time_is_stored(no[i], strlen(no[i])), 0);
}

/* fmt reads s as y-m-d and (UTC) instant t. */
static void scan_ok(const char *fmt, const char *s, int64_t wy, int wm, int wd, int64_t wt)
{
	int64_t y = 0, t = 0;
	int m = 0, d = 0;

	if (crm_datefmt_scan(fmt, s, &y, &m, &d, &t) != 0)
		fail_msg("%s on \"%s\": rejected", fmt, s);
	if (y != wy || m != wm || d != wd || t != wt)
		fail_msg("%s on \"%s\": %lld-%d-%d %lld, want %lld-%d-%d %lld", fmt, s,
			 (long long)y, m, d, (long long)t, (long long)wy, wm, wd, (long long)wt);
}

static void scan_bad(const char *fmt, const char *s)
{
	int64_t y, t;
	int m, d;

	if (crm_datefmt_scan(fmt, s, &y, &m, &d, &t) == 0)
		fail_msg("%s on \"%s\": accepted", fmt, s);
}

#define DAY(y, m, d) (crm_days_from_civil(y, m, d) * 86400)

static void datefmt__every_conversion__read(void **state)
{
	(void)state;
	set_tz("UTC");
	scan_ok("%m/%d/%Y", "1/5/1980", 1980, 1, 5, DAY(1980, 1, 5));
	scan_ok("%m/%d/%Y", "01/05/1980", 1980, 1, 5, DAY(1980, 1, 5));
	scan_ok("%m/%d/%Y", "12/31/1999", 1999, 12, 31, DAY(1999, 12, 31));
	scan_ok("%d.%m.%Y %H:%M", "29.3.2026 15:07", 2026, 3, 29, DAY(2026, 3, 29) + 15 * 3600 + 420);
	scan_ok("%m/%d/%y %H:%M", "12/1/10 8:26", 2010, 12, 1, DAY(2010, 12, 1) + 8 * 3600 + 26 * 60);
	scan_ok("%Y%m%d", "19970101", 1997, 1, 1, DAY(1997, 1, 1));
	scan_ok("%Y%m%d", "19971231", 1997, 12, 31, DAY(1997, 12, 31));
	scan_ok("%Y-%m-%dT%H:%M:%S", "2026-03-29T01:02:03", 2026, 3, 29, DAY(2026, 3, 29) + 3723);
	scan_ok("%d %b %Y", "5 Jan 1980", 1980, 1, 5, DAY(1980, 1, 5));
	scan_ok("%d %b %Y", "5 january 1980", 1980, 1, 5, DAY(1980, 1, 5));
	scan_ok("%B %d, %Y", "September 9, 2001", 2001, 9, 9, DAY(2001, 9, 9));
	scan_ok("%b %d %Y", "dec 24 2025", 2025, 12, 24, DAY(2025, 12, 24));
	/* one or more spaces for one */
	scan_ok("%d %b %Y", "5  Jan   1980", 1980, 1, 5, DAY(1980, 1, 5));
	/* 12-hour clock */
	scan_ok("%m/%d/%Y %I:%M %p", "1/5/2020 3:45 PM", 2020, 1, 5, DAY(2020, 1, 5) + 15 * 3600 + 2700);
	scan_ok("%m/%d/%Y %I:%M %p", "1/5/2020 12:05 am", 2020, 1, 5, DAY(2020, 1, 5) + 300);
	scan_ok("%m/%d/%Y %I:%M %p", "1/5/2020 12:05 pm", 2020, 1, 5, DAY(2020, 1, 5) + 12 * 3600 + 300);
	scan_ok("%m/%d/%Y %I:%M:%S%p", "1/5/2020 11:59:59PM", 2020, 1, 5, DAY(2020, 1, 5) + 86399);
	/* an offset */
	scan_ok("%Y-%m-%d %H:%M %z", "2026-03-29 15:00 +0200", 2026, 3, 29, DAY(2026, 3, 29) + 13 * 3600);
	scan_ok("%Y-%m-%d %H:%M%z", "2026-03-29 15:00-05:30", 2026, 3, 29, DAY(2026, 3, 29) + 20 * 3600 + 1800);
	scan_ok("%Y-%m-%d %H:%M%z", "2026-03-29 15:00Z", 2026, 3, 29, DAY(2026, 3, 29) + 15 * 3600);
	scan_ok("%Y-%m-%d %H:%M%z", "2026-03-29 15:00+01", 2026, 3, 29, DAY(2026, 3, 29) + 14 * 3600);
	/* a literal per cent sign */
	scan_ok("%d%%%m%%%Y", "5%1%1980", 1980, 1, 5, DAY(1980, 1, 5));
	/* leap day */
	scan_ok("%m/%d/%Y", "2/29/2024", 2024, 2, 29, DAY(2024, 2, 29));
}

static void datefmt__two_digit_year__posix_pivot(void **state)
{
	(void)state;
	set_tz("UTC");
	scan_ok("%m/%d/%y", "1/1/69", 1969, 1, 1, DAY(1969, 1, 1));
	scan_ok("%m/%d/%y", "12/31/99", 1999, 12, 31, DAY(1999, 12, 31));
	scan_ok("%m/%d/%y", "1/1/00", 2000, 1, 1, DAY(2000, 1, 1));
	scan_ok("%m/%d/%y", "12/31/68", 2068, 12, 31, DAY(2068, 12, 31));
	scan_bad("%m/%d/%y", "1/1/1969");
	scan_bad("%m/%d/%y", "1/1/9");
}

static void datefmt__bad_input__rejected(void **state)
{
	(void)state;
	set_tz("UTC");
	scan_bad("%m/%d/%Y", "13/45/1980");
	scan_bad("%m/%d/%Y", "13/5/1980");
	scan_bad("%m/%d/%Y", "2/30/2023");
	scan_bad("%m/%d/%Y", "2/29/2023");
	scan_bad("%m/%d/%Y", "0/5/1980");
	scan_bad("%m/%d/%Y", "1/0/1980");
	scan_bad("%m/%d/%Y", "1/5/80");
	scan_bad("%m/%d/%Y", "1/5/19800");
	scan_bad("%m/%d/%Y", "1/5/1980x");
	scan_bad("%m/%d/%Y", "1-5-1980");
	scan_bad("%m/%d/%Y", "1/5/0000");
	scan_bad("%m/%d/%Y", "/5/1980");
	scan_bad("%m/%d/%Y", "001/5/1980");
	scan_bad("%m/%d/%Y", "");
	scan_bad("%m/%d/%Y", " 1/5/1980");
	scan_bad("%m/%d/%Y", "1980-01-05");	/* the format only */
	scan_bad("%Y%m%d", "1997111");		/* tight fields need both digits */
	scan_bad("%Y%m%d", "199711");
	scan_bad("%Y%m%d", "1997011x");
	scan_bad("%d.%m.%Y %H:%M", "29.3.2026 24:00");
	scan_bad("%d.%m.%Y %H:%M", "29.3.2026 15:60");
	scan_bad("%d.%m.%Y %H:%M", "29.3.2026");
	scan_bad("%d.%m.%Y %H:%M", "29.3.2026 15");
	scan_bad("%d.%m.%Y %H:%M:%S", "29.3.2026 15:00:60");
	scan_bad("%d %b %Y", "5 Jnu 1980");
	scan_bad("%d %b %Y", "5 1 1980");
	scan_bad("%d %b %Y", "51980");
	scan_bad("%m/%d/%Y %I:%M %p", "1/5/2020 0:45 PM");
	scan_bad("%m/%d/%Y %I:%M %p", "1/5/2020 13:45 PM");
	scan_bad("%m/%d/%Y %I:%M %p", "1/5/2020 3:45 XM");
	scan_bad("%Y-%m-%d %H:%M %z", "2026-03-29 15:00 +2400");
	scan_bad("%Y-%m-%d %H:%M %z", "2026-03-29 15:00 +01:");
	scan_bad("%Y-%m-%d %H:%M %z", "2026-03-29 15:00 CET");
}

static void datefmt__local_time__dst_rules(void **state)
{
	(void)state;
	set_tz("Europe/Amsterdam");
	scan_ok("%m/%d/%Y %H:%M", "3/28/2026 15:00", 2026, 3, 28, AMS_MAR28_1500);
	scan_ok("%m/%d/%Y %H:%M", "3/30/2026 15:00", 2026, 3, 30, AMS_MAR30_1500);
	scan_ok("%m/%d/%Y %H:%M", "3/29/2026 2:30", 2026, 3, 29, INT64_C(1774747800));
	scan_ok("%m/%d/%Y %H:%M", "10/25/2026 2:30", 2026, 10, 25, INT64_C(1792888200));
	/* no time: local midnight */
	scan_ok("%m/%d/%Y", "3/28/2026", 2026, 3, 28, AMS_MAR28_1500 - 15 * 3600);
	set_tz("America/New_York");
	scan_ok("%Y%m%d %H%M", "20260308 0230", 2026, 3, 8, INT64_C(1772955000));
	scan_ok("%Y%m%d %H%M", "20261101 0130", 2026, 11, 1, INT64_C(1793511000));
	set_tz("UTC");
}

static void check_bad(const char *fmt, const char *want)
{
	struct crm_err e = { 0, "" };

	if (crm_datefmt_check(fmt, &e) != CRM_EX_USAGE)
		fail_msg("\"%s\" accepted", fmt);
	assert_string_equal(e.msg, want);
}

static void datefmt__check__names_the_problem(void **state)
{
	static const char *const good[] = {
		"%m/%d/%Y", "%d.%m.%Y %H:%M", "%m/%d/%y %H:%M", "%Y%m%d", "%d %b %Y",
		"%m/%d/%Y %I:%M:%S %p", "%Y-%m-%dT%H:%M:%S%z", "%d%%%m%%%Y", "%B %d %Y",
	};
	struct crm_err e = { 0, "" };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		if (crm_datefmt_check(good[i], &e) != 0)
			fail_msg("\"%s\": %s", good[i], e.msg);
	check_bad("%m/%d/%Q", "--date-format \"%m/%d/%Q\": unknown conversion \"%Q\" (use %Y %y %m %b %d %H %I %M %S %p %z or %%)");
	check_bad("%m/%d/%Y%", "--date-format \"%m/%d/%Y%\": unknown conversion \"%\" (use %Y %y %m %b %d %H %I %M %S %p %z or %%)");
	check_bad("%e/%m/%Y", "--date-format \"%e/%m/%Y\": unknown conversion \"%e\" (use %Y %y %m %b %d %H %I %M %S %p %z or %%)");
	check_bad("", "--date-format: empty format");
	check_bad("%m/%d", "--date-format \"%m/%d\": a format needs one year (%Y or %y), one month (%m or %b) and a day (%d)");
	check_bad("%Y-%m", "--date-format \"%Y-%m\": a format needs one year (%Y or %y), one month (%m or %b) and a day (%d)");
	check_bad("%Y %y %m %d", "--date-format \"%Y %y %m %d\": a format needs one year (%Y or %y), one month (%m or %b) and a day (%d)");
	check_bad("%m/%d/%Y %m", "--date-format \"%m/%d/%Y %m\": a conversion appears twice");
	check_bad("%m/%d/%Y %H %I %p", "--date-format \"%m/%d/%Y %H %I %p\": %H and %I both give the hour");
	check_bad("%m/%d/%Y %I:%M", "--date-format \"%m/%d/%Y %I:%M\": %I needs %p, and %p needs %I");
	check_bad("%m/%d/%Y %H:%M %p", "--date-format \"%m/%d/%Y %H:%M %p\": %I needs %p, and %p needs %I");
	check_bad("%m/%d/%Y %M", "--date-format \"%m/%d/%Y %M\": %M needs an hour (%H or %I)");
	check_bad("%m/%d/%Y %H:%S", "--date-format \"%m/%d/%Y %H:%S\": %S needs %M");
	check_bad("%m/%d/%Y %z", "--date-format \"%m/%d/%Y %z\": %z needs a time");
}

static void cell_ok(const char *cell, const char *fmt, int is_time, const char *want)
{
	struct crm_err e = { 0, "" };
	char out[32] = "";
	int rc = crm_date_cell("Birthday", cell, fmt, is_time, NOW_JAN31, out, &e);

	if (rc != 0)
		fail_msg("\"%s\" by %s: %d %s", cell, fmt ? fmt : "ISO", rc, e.msg);
	assert_string_equal(out, want);
}

static void cell_bad(const char *cell, const char *fmt, int is_time, const char *want)
{
	struct crm_err e = { 0, "" };
	char out[32];

	assert_int_equal(crm_date_cell("Birthday", cell, fmt, is_time, NOW_JAN31, out, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, want);
}

static void date_cell__read__stored_text(void **state)
{
	struct crm_err e = { 0, "" };
	char out[32];

	(void)state;
	set_tz("UTC");
	cell_ok("1/5/1980", "%m/%d/%Y", 0, "1980-01-05");
	cell_ok("  1/5/1980 ", "%m/%d/%Y", 0, "1980-01-05");
	/* a time in a date column is dropped, no zone conversion */
	cell_ok("1/5/1980 23:30", "%m/%d/%Y %H:%M", 0, "1980-01-05");
	cell_ok("12/1/10 8:26", "%m/%d/%y %H:%M", 1, "2010-12-01T08:26:00Z");
	cell_ok("2026-03-29", NULL, 0, "2026-03-29");
	cell_ok("2026-03-29T15:00+02:00", NULL, 1, "2026-03-29T13:00:00Z");
	cell_ok("today", NULL, 0, "2024-01-31");
	set_tz("Europe/Amsterdam");
	cell_ok("3/30/2026 15:00", "%m/%d/%Y %H:%M", 1, "2026-03-30T13:00:00Z");
	cell_ok("3/30/2026 15:00", "%m/%d/%Y %H:%M", 0, "2026-03-30");
	set_tz("UTC");
	/* Outlook's empty birthday, and blanks */
	assert_int_equal(crm_date_cell("Birthday", "0/0/00", "%m/%d/%Y", 0, 0, out, &e), 1);
	assert_int_equal(crm_date_cell("Birthday", "00000000", "%Y%m%d", 0, 0, out, &e), 1);
	assert_int_equal(crm_date_cell("Birthday", "  ", "%m/%d/%Y", 0, 0, out, &e), 1);
	assert_int_equal(crm_date_cell("Birthday", "", NULL, 1, 0, out, &e), 1);
	cell_bad("0000-00-00", NULL, 0,
		 "column \"Birthday\": invalid date \"0000-00-00\" (expected YYYY-MM-DD, or give --date-format)");
	cell_bad("13/45/1980", "%m/%d/%Y", 0,
		 "column \"Birthday\": invalid date \"13/45/1980\" (expected %m/%d/%Y)");
	cell_bad(" 1980-01-05 ", "%m/%d/%Y", 1,
		 "column \"Birthday\": invalid date \"1980-01-05\" (expected %m/%d/%Y)");
	cell_bad("1/5/1980", NULL, 0,
		 "column \"Birthday\": invalid date \"1/5/1980\" (expected YYYY-MM-DD, or give --date-format)");
	cell_bad("soon\n", NULL, 1,
		 "column \"Birthday\": invalid date \"soon\" (expected ISO 8601 such as 2026-03-29T15:00, or give --date-format)");
	cell_bad("so\001on", NULL, 1,
		 "column \"Birthday\": invalid date \"so?on\" (expected ISO 8601 such as 2026-03-29T15:00, or give --date-format)");
	{
		char big[300];

		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(crm_date_cell("Birthday", big, "%Y%m%d", 0, 0, out, &e), CRM_EX_DATAERR);
		assert_non_null(strstr(e.msg, "...\" (expected %Y%m%d)"));
	}
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates__epoch__day_zero),
		cmocka_unit_test(dates__known_days__match_reference),
		cmocka_unit_test(dates__month_out_of_range__rolls_over),
		cmocka_unit_test(dates__leap_years__gregorian_rules),
		cmocka_unit_test(dates__civil_round_trip__every_997th_day),
		cmocka_unit_test(dates__consecutive_days__successor_date),
		cmocka_unit_test(dates__extreme_days__no_overflow),
		cmocka_unit_test(dates__iso_forms__parsed_as_utc),
		cmocka_unit_test(dates__fractions__dropped),
		cmocka_unit_test(dates__zones__converted_to_utc),
		cmocka_unit_test(dates__words__relative_to_now),
		cmocka_unit_test(dates__relative_units__added_to_now),
		cmocka_unit_test(dates__month_ends__clamped),
		cmocka_unit_test(dates__malformed_dates__rejected),
		cmocka_unit_test(dates__malformed_times__rejected),
		cmocka_unit_test(dates__malformed_zones__rejected),
		cmocka_unit_test(dates__beyond_year_range__rejected),
		cmocka_unit_test(dates__malformed_relative__rejected),
		cmocka_unit_test(dates__now_out_of_range__relative_rejected),
		cmocka_unit_test(dates__error_message__quotes_input),
		cmocka_unit_test(dates__null_err__code_still_returned),
		cmocka_unit_test(dates__canonical_text__round_trips),
		cmocka_unit_test(dates__format__zero_padded),
		cmocka_unit_test(dates__date_parse__days),
		cmocka_unit_test(dates__date_parse_times__rejected),
		cmocka_unit_test(dates__crm_now_env__used_when_valid),
		cmocka_unit_test(dates__no_zone__local_time),
		cmocka_unit_test(dates__dst_gap__moved_forward),
		cmocka_unit_test(dates__dst_overlap__first),
		cmocka_unit_test(dates__local_to_utc__every_quarter_hour),
		cmocka_unit_test(dates__relative__local_calendar),
		cmocka_unit_test(dates__local_day__midnight_to_midnight),
		cmocka_unit_test(dates__format_local__offset),
		cmocka_unit_test(dates__is_stored__exact_shape),
		cmocka_unit_test(datefmt__every_conversion__read),
		cmocka_unit_test(datefmt__two_digit_year__posix_pivot),
		cmocka_unit_test(datefmt__bad_input__rejected),
		cmocka_unit_test(datefmt__local_time__dst_rules),
		cmocka_unit_test(datefmt__check__names_the_problem),
		cmocka_unit_test(date_cell__read__stored_text),
	};

	return cmocka_run_group_tests_name("dates", tests, NULL, NULL);
}
