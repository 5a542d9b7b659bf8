/* test_fx.c - unit tests for lib/base/fx.c: exchange rates parsed exactly,
 * formatted back, inverted, and amounts converted across currencies of
 * different minor units with half-even rounding, checked against an
 * independent computation in decimal strings (Python-free: long integer
 * arithmetic on magnitudes) over random cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/fx.h"

static struct crm_fx_rate fx(const char *s)
{
	struct crm_fx_rate r = { -1 };
	struct crm_err e = { 0, "" };

	if (crm_fx_parse(s, &r, &e) != 0)
		fail_msg("rate \"%s\" refused: %s", s, e.msg);
	return r;
}

static void fx__parse__exact(void **state)
{
	(void)state;
	assert_int_equal(fx("1.0832").num, 1083200000);
	assert_int_equal(fx("0.0061").num, 6100000);
	assert_int_equal(fx("160").num, INT64_C(160000000000));
	assert_int_equal(fx("0.000000001").num, 1);
	assert_int_equal(fx("1.50000000000").num, 1500000000);   /* zeros past 9: fine */
	assert_int_equal(fx("1000000").num, INT64_C(1000000000000000));
}

static void fx__parse__bad_refused(void **state)
{
	static const char *const bad[] = {
		"", ".5", "1.", "1,08", "-1", "+1", "1e3", " 1", "1 ", "0", "0.0000000001",
		"1000000.000000001", "1.0000000001", "abc", "1..2", "99999999999999999999",
	};
	struct crm_fx_rate r = { 42 };
	struct crm_err e = { 0, "" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.code = 0;
		if (crm_fx_parse(bad[i], &r, &e) != CRM_EX_DATAERR)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_non_null(strstr(e.msg, "invalid exchange rate"));
		assert_int_equal(r.num, 42);
	}
	crm_fx_parse("1,08", &r, &e);
	assert_string_equal(e.msg, "invalid exchange rate \"1,08\" (a number such as 1.0832)");
	crm_fx_parse("0", &r, &e);
	assert_string_equal(e.msg, "invalid exchange rate \"0\": not above 0 (a number such as"
			    " 1.0832)");
}

static void fx__format__round_trips(void **state)
{
	static const char *const ok[] = { "1.0832", "0.0061", "160", "0.000000001", "1000000",
					  "12.5", "0.1" };
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		crm_fx_format(fx(ok[i]), out);
		assert_string_equal(out, ok[i]);
	}
	srand(7);
	for (int i = 0; i < 10000; i++) {
		struct crm_fx_rate r = { 1 + (int64_t)rand() * rand() % (CRM_FX_MAX * 1000) };

		crm_fx_format(r, out);
		assert_int_equal(fx(out).num, r.num);
	}
}

static void fx__invert__half_even_and_back(void **state)
{
	(void)state;
	assert_int_equal(crm_fx_invert(fx("2")).num, 500000000);
	assert_int_equal(crm_fx_invert(fx("1.0832")).num, 923190547);  /* 0.92319054652... */
	assert_int_equal(crm_fx_invert(fx("3")).num, 333333333);
	assert_int_equal(crm_fx_invert(fx("0.001")).num, INT64_C(1000) * CRM_FX_SCALE);
	assert_int_equal(crm_fx_invert(fx("1000000")).num, 1000);
	/* 1 / 0.000000002 = 500,000,000: held to the largest rate, 10^6 */
	assert_int_equal(crm_fx_invert(fx("0.000000002")).num, CRM_FX_MAX * CRM_FX_SCALE);
}

static void fx__chain__product_half_even(void **state)
{
	(void)state;
	/* exact: 1.0832 * 150.25 = 162.7508 */
	assert_int_equal(crm_fx_chain(fx("1.0832"), fx("150.25")).num, INT64_C(162750800000));
	/* 0.123456789 * 0.987654321 = 0.121932631112635269 */
	assert_int_equal(crm_fx_chain(fx("0.123456789"), fx("0.987654321")).num, 121932631);
	/* ties to even: 0.000000003 * 0.5 = 1.5e-9 -> 2e-9; 0.000000005 * 0.5 = 2.5e-9 -> 2e-9 */
	assert_int_equal(crm_fx_chain(fx("0.000000003"), fx("0.5")).num, 2);
	assert_int_equal(crm_fx_chain(fx("0.000000005"), fx("0.5")).num, 2);
	/* held to the range of a rate */
	assert_int_equal(crm_fx_chain(fx("0.000000001"), fx("0.1")).num, 1);
	assert_int_equal(crm_fx_chain(fx("1000000"), fx("1000")).num, CRM_FX_MAX * CRM_FX_SCALE);
	/* the docs' example: JPY -> EUR (inverse of 160.5) -> USD */
	assert_int_equal(crm_fx_chain(crm_fx_invert(fx("160.5")), fx("1.0832")).num, 6748910);
}

/* The reference: |minor| * num * to_mpm / (10^9 * from_mpm), rounded half-even by
 * long division on unsigned 128-bit magnitudes written out digit by digit. */
static int64_t reference(int64_t minor, int64_t num, int to_mpm, int from_mpm)
{
	unsigned __int128 m = (unsigned __int128)(minor < 0 ? -(__int128)minor : minor);
	unsigned __int128 n = m * (unsigned __int128)num * (unsigned)to_mpm;
	unsigned __int128 d = (unsigned __int128)1000000000u * (unsigned)from_mpm;
	unsigned __int128 q = 0, r = 0;

	for (int bit = 127; bit >= 0; bit--) {   /* schoolbook binary division */
		r = (r << 1) | ((n >> bit) & 1);
		if (r >= d) {
			r -= d;
			q |= (unsigned __int128)1 << bit;
		}
	}
	if (2 * r > d || (2 * r == d && (q & 1)))
		q++;
	if (q > (unsigned __int128)INT64_MAX)   /* saturated, as fx.h says */
		return minor < 0 ? INT64_MIN : INT64_MAX;
	return minor < 0 ? -(int64_t)q : (int64_t)q;
}

static void fx__convert__examples(void **state)
{
	(void)state;
	/* 100.00 EUR at 1.0832 = 108.32 USD */
	assert_int_equal(crm_fx_convert(10000, "EUR", "USD", fx("1.0832")), 10832);
	/* 1,000 JPY at 0.0061 = 6.10 EUR; 6.10 EUR at 163.9 = 1,000 JPY (999.79) */
	assert_int_equal(crm_fx_convert(1000, "JPY", "EUR", fx("0.0061")), 610);
	assert_int_equal(crm_fx_convert(610, "EUR", "JPY", fx("163.9")), 1000);
	/* 1.000 KWD at 3.25 = 3.25 USD */
	assert_int_equal(crm_fx_convert(1000, "KWD", "USD", fx("3.25")), 325);
	/* ties to even: 0.05 EUR at 0.5 = 0.025 -> 0.02; 0.15 at 0.5 = 0.075 -> 0.08 */
	assert_int_equal(crm_fx_convert(5, "EUR", "USD", fx("0.5")), 2);
	assert_int_equal(crm_fx_convert(15, "EUR", "USD", fx("0.5")), 8);
	assert_int_equal(crm_fx_convert(-15, "EUR", "USD", fx("0.5")), -8);
	assert_int_equal(crm_fx_convert(INT64_MAX, "EUR", "USD", fx("2")), INT64_MAX);
	assert_int_equal(crm_fx_convert(INT64_MIN, "EUR", "USD", fx("2")), INT64_MIN);
}

static void fx__convert__random_against_reference(void **state)
{
	static const char *const cur[] = { "EUR", "USD", "JPY", "KWD", "GBP", "BHD" };
	static const int mpm[] = { 100, 100, 1, 1000, 100, 1000 };

	(void)state;
	srand(11);
	for (int i = 0; i < 100000; i++) {
		int a = rand() % 6, b = rand() % 6;
		int64_t minor = ((int64_t)rand() << 20 ^ rand()) % INT64_C(100000000000000);
		struct crm_fx_rate r = { 1 + ((int64_t)rand() << 16 ^ rand()) %
					 (CRM_FX_MAX * CRM_FX_SCALE) };

		if (rand() % 2)
			minor = -minor;
		if (crm_fx_convert(minor, cur[a], cur[b], r) != reference(minor, r.num, mpm[b], mpm[a]))
			fail_msg("%lld %s -> %s at %lld", (long long)minor, cur[a], cur[b],
				 (long long)r.num);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fx__parse__exact),
		cmocka_unit_test(fx__parse__bad_refused),
		cmocka_unit_test(fx__format__round_trips),
		cmocka_unit_test(fx__invert__half_even_and_back),
		cmocka_unit_test(fx__chain__product_half_even),
		cmocka_unit_test(fx__convert__examples),
		cmocka_unit_test(fx__convert__random_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
