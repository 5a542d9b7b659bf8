/* test_commission.c - unit tests for lib/base/commission.c: rates parsed
 * and formatted, half-even rounding, taxes, tiers, checked against
 * independent computations (long double with round-to-even, and integer
 * rounding on magnitudes) over many random cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/commission.h"
#include "base/err.h"
#include "base/stats.h"

/* ---- helpers ---- */

static struct crm_rate rate_of(const char *s)
{
	struct crm_rate r = { -777 };
	struct crm_err e = { 0, "" };

	if (crm_rate_parse(s, &r, &e) != 0)
		fail_msg("rate \"%s\" refused: %s", s, e.msg);
	return r;
}

static void rate_is(const char *s, int64_t num)
{
	struct crm_rate r = rate_of(s);

	if (r.num != num)
		fail_msg("rate \"%s\": num %lld, want %lld", s, (long long)r.num,
			 (long long)num);
}

static void rate_bad(const char *s, const char *want)
{
	struct crm_rate r = { -777 };
	struct crm_err e = { 0, "" };

	if (crm_rate_parse(s, &r, &e) != CRM_EX_DATAERR)
		fail_msg("rate \"%s\" accepted as %lld", s, (long long)r.num);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_int_equal(r.num, -777);
	if (want != NULL && strcmp(e.msg, want) != 0)
		fail_msg("rate \"%s\": message \"%s\", want \"%s\"", s, e.msg, want);
}

static struct crm_tiers tiers_of(const char *s, const char *cur)
{
	struct crm_tiers t;
	struct crm_err e = { 0, "" };

	if (crm_tiers_parse(s, cur, &t, &e) != 0)
		fail_msg("tiers \"%s\" refused: %s", s, e.msg);
	return t;
}

static void tiers_bad(const char *s, const char *want)
{
	struct crm_tiers t;
	struct crm_err e = { 0, "" };

	t.n = 777;
	if (crm_tiers_parse(s, "EUR", &t, &e) != CRM_EX_DATAERR)
		fail_msg("tiers \"%s\" accepted", s);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_int_equal(t.n, 777);
	if (want != NULL && strcmp(e.msg, want) != 0)
		fail_msg("tiers \"%s\": message\n  \"%s\", want\n  \"%s\"", s,
			 e.msg, want);
}

/* Reference 1: n / d to the nearest integer, ties to even, in long double
 * under the default rounding mode (which rintl follows). Exact when n is
 * an integer below 2^63 in magnitude and |n / d| <= 2^31: the quotient is
 * correctly rounded with 64 bits, so a tie is exact and anything else
 * stays at least 1 / (2d) from a half, far more than half an ulp. */
static int64_t ref_ld(long double n, long double d)
{
	return (int64_t)rintl(n / d);
}

/* Reference 2: on the magnitude, in unsigned 128 bits: floor, then up when
 * the remainder passes half or is half with an odd quotient; the sign put
 * back at the end. */
static int64_t ref_mag(__int128 n, __int128 d)
{
	unsigned __int128 m = n < 0 ? (unsigned __int128)(-n) : (unsigned __int128)n;
	unsigned __int128 q = m / (unsigned __int128)d;
	unsigned __int128 f = m - q * (unsigned __int128)d;

	if (2 * f > (unsigned __int128)d || (2 * f == (unsigned __int128)d && (q & 1)))
		q++;
	return n < 0 ? (int64_t)(-(__int128)q) : (int64_t)q;
}

static int64_t rand_amount(struct crm_rng *r, int64_t max)
{
	int64_t v = (int64_t)crm_rng_below(r, (uint64_t)max + 1);

	return crm_rng_below(r, 2) ? -v : v;
}

/* A random rate: half the time a "round" one (multiples of 0.5%), so ties
 * come up often. */
static struct crm_rate rand_rate(struct crm_rng *r)
{
	struct crm_rate x;

	if (crm_rng_below(r, 2))
		x.num = (int64_t)crm_rng_below(r, 201) * 5000000;
	else
		x.num = (int64_t)crm_rng_below(r, (uint64_t)CRM_RATE_SCALE + 1);
	return x;
}

static void skip_without_long_double(void)
{
	if (LDBL_MANT_DIG < 64 || fegetround() != FE_TONEAREST)
		skip();
}

/* ---- rates ---- */

static void commission__rate_parse__exact_values(void **state)
{
	(void)state;
	rate_is("5%", 50000000);
	rate_is("7.5%", 75000000);
	rate_is("0.075", 75000000);
	rate_is("12.345%", 123450000);
	rate_is("0.12345", 123450000);
	rate_is("100%", CRM_RATE_SCALE);
	rate_is("100.000%", CRM_RATE_SCALE);
	rate_is("1", CRM_RATE_SCALE);
	rate_is("1.0", CRM_RATE_SCALE);
	rate_is("0", 0);
	rate_is("0%", 0);
	rate_is("0.0000001%", 1);
	rate_is("0.000000001", 1);
	rate_is("7.500000000%", 75000000); /* zeros past the 7th decimal */
	rate_is("007.5%", 75000000);
	rate_is("99.9999999%", 999999999);
	assert_int_equal(rate_of("7.5%").num, rate_of("0.075").num);
	assert_int_equal(rate_of("19%").num, rate_of("0.19").num);
}

static void commission__rate_parse__bad_refused(void **state)
{
	(void)state;
	rate_bad("7,5%", "invalid rate \"7,5%\" (a percentage such as 7.5%)");
	rate_bad("abc", "invalid rate \"abc\" (a percentage such as 7.5%)");
	rate_bad("", "invalid rate \"\" (a percentage such as 7.5%)");
	rate_bad("%", NULL);
	rate_bad("5%%", NULL);
	rate_bad(".5%", NULL);
	rate_bad("5.%", NULL);
	rate_bad("+5%", NULL);
	rate_bad(" 5%", NULL);
	rate_bad("5 %", NULL);
	rate_bad("5%x", NULL);
	rate_bad("1e-2", NULL);
	rate_bad("0x10", NULL);
	rate_bad("-", NULL);
	rate_bad("-5%", "invalid rate \"-5%\": negative (a percentage such as 7.5%)");
	rate_bad("-0.1", "invalid rate \"-0.1\": negative (a percentage such as 7.5%)");
	rate_bad("150%", "invalid rate \"150%\": above 100% (a percentage such as 7.5%)");
	rate_bad("100.0000001%", "invalid rate \"100.0000001%\": above 100% (a percentage such as 7.5%)");
	rate_bad("5", "invalid rate \"5\": above 100% (a percentage such as 7.5%)");
	rate_bad("1.000000001", NULL);
	rate_bad("99999999999999999999999%", NULL);
	rate_bad("1.23456789%", "invalid rate \"1.23456789%\": more than 7 decimals (a percentage such as 7.5%)");
	rate_bad("0.0000000001", "invalid rate \"0.0000000001\": more than 9 decimals (a percentage such as 7.5%)");
	/* a long text is quoted up to 32 bytes */
	rate_bad("1234567890123456789012345678901234567890",
		 "invalid rate \"12345678901234567890123456789012\": above 100% (a percentage such as 7.5%)");
}

static void commission__rate_format__shortest_and_round_trips(void **state)
{
	static const char *const cases[][2] = {
		{ "7.5%", "7.5%" },     { "0.075", "7.5%" },  { "5%", "5%" },
		{ "100%", "100%" },     { "1", "100%" },      { "0", "0%" },
		{ "12.345%", "12.345%" }, { "0.000000001", "0.0000001%" },
		{ "99.9999999%", "99.9999999%" }, { "19.00%", "19%" },
	};
	struct crm_rng r;
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		crm_rate_format(rate_of(cases[i][0]), out);
		assert_string_equal(out, cases[i][1]);
	}
	crm_rng_seed(&r, 5);
	for (int i = 0; i < 10000; i++) {
		struct crm_rate x = rand_rate(&r);

		crm_rate_format(x, out);
		assert_int_equal(rate_of(out).num, x.num);
	}
}

/* ---- rounding ---- */

static void commission__apply__half_even(void **state)
{
	struct crm_rate half = rate_of("50%");

	(void)state;
	assert_int_equal(crm_rate_apply(1, half), 0);   /* 0.5 */
	assert_int_equal(crm_rate_apply(3, half), 2);   /* 1.5 */
	assert_int_equal(crm_rate_apply(5, half), 2);   /* 2.5 */
	assert_int_equal(crm_rate_apply(7, half), 4);   /* 3.5 */
	assert_int_equal(crm_rate_apply(-1, half), 0);  /* -0.5 */
	assert_int_equal(crm_rate_apply(-3, half), -2); /* -1.5 */
	assert_int_equal(crm_rate_apply(-5, half), -2); /* -2.5 */
	assert_int_equal(crm_rate_apply(-7, half), -4); /* -3.5 */
	/* off a tie the nearest wins either way */
	assert_int_equal(crm_rate_apply(251, rate_of("1%")), 3);   /* 2.51 */
	assert_int_equal(crm_rate_apply(249, rate_of("1%")), 2);   /* 2.49 */
	assert_int_equal(crm_rate_apply(-251, rate_of("1%")), -3);
	assert_int_equal(crm_rate_apply(250, rate_of("1%")), 2);   /* 2.50 */
	assert_int_equal(crm_rate_apply(350, rate_of("1%")), 4);   /* 3.50 */
	/* 7.5% of 1,234.56 = 92.592 -> 92.59 */
	assert_int_equal(crm_rate_apply(123456, rate_of("7.5%")), 9259);
	assert_int_equal(crm_rate_apply(123456, rate_of("0%")), 0);
	assert_int_equal(crm_rate_apply(123456, rate_of("100%")), 123456);
}

static void commission__apply__big_amounts_exact(void **state)
{
	struct crm_rate r;

	(void)state;
	assert_int_equal(crm_rate_apply(INT64_MAX, rate_of("100%")), INT64_MAX);
	assert_int_equal(crm_rate_apply(INT64_MIN, rate_of("100%")), INT64_MIN);
	/* 9223372036854775807 / 2 = ...903.5, a tie: to the even ...904 */
	assert_int_equal(crm_rate_apply(INT64_MAX, rate_of("50%")),
			 INT64_C(4611686018427387904));
	assert_int_equal(crm_rate_apply(INT64_MIN, rate_of("50%")),
			 INT64_MIN / 2);
	assert_int_equal(crm_rate_apply(INT64_MAX, rate_of("0.000000001")), 9223372037);
	/* near INT64_MAX / 100, where minor * 100 would overflow 64 bits */
	r = rate_of("12.3456789%");
	for (int64_t a = INT64_MAX / 100 - 50; a <= INT64_MAX / 100 + 50; a++) {
		assert_int_equal(crm_rate_apply(a, r),
				 ref_mag((__int128)a * r.num, CRM_RATE_SCALE));
		assert_int_equal(crm_rate_apply(-a, r), -crm_rate_apply(a, r));
	}
}

static void commission__apply__random_against_references(void **state)
{
	struct crm_rng r;

	(void)state;
	skip_without_long_double();
	crm_rng_seed(&r, 11);
	for (int i = 0; i < 200000; i++) {
		struct crm_rate x = rand_rate(&r);
		int64_t a = rand_amount(&r, 1000000000);
		int64_t want = ref_ld((long double)a * (long double)x.num,
				      (long double)CRM_RATE_SCALE);

		if (crm_rate_apply(a, x) != want)
			fail_msg("%lld * %lld / 1e9: got %lld, want %lld",
				 (long long)a, (long long)x.num,
				 (long long)crm_rate_apply(a, x), (long long)want);
		assert_int_equal(crm_tax_added(a, x), want);
	}
	/* the whole int64 range against the integer reference */
	for (int i = 0; i < 200000; i++) {
		struct crm_rate x = rand_rate(&r);
		int64_t a = (int64_t)crm_rng_next(&r);

		assert_int_equal(crm_rate_apply(a, x),
				 ref_mag((__int128)a * x.num, CRM_RATE_SCALE));
	}
}

/* ---- taxes ---- */

static void commission__tax__added_and_included(void **state)
{
	struct crm_rate vat = rate_of("19%");
	struct crm_rng r;

	(void)state;
	assert_int_equal(crm_tax_added(10000, vat), 1900);     /* 100.00 net */
	assert_int_equal(crm_tax_included(11900, vat), 1900);  /* 119.00 gross */
	assert_int_equal(crm_tax_included(100, vat), 16);      /* 15.966 */
	assert_int_equal(crm_tax_included(-11900, vat), -1900); /* a refund */
	assert_int_equal(crm_tax_included(12345, rate_of("0%")), 0);
	/* 100% tax: half of a gross is tax; 1 cent is a tie -> 0 */
	assert_int_equal(crm_tax_included(1, rate_of("100%")), 0);
	assert_int_equal(crm_tax_included(3, rate_of("100%")), 2);
	assert_int_equal(crm_tax_included(INT64_MAX, rate_of("100%")),
			 INT64_C(4611686018427387904));
	assert_int_equal(crm_tax_included(INT64_MIN, rate_of("100%")),
			 INT64_MIN / 2);

	skip_without_long_double();
	crm_rng_seed(&r, 12);
	for (int i = 0; i < 200000; i++) {
		struct crm_rate x = rand_rate(&r);
		int64_t g = rand_amount(&r, 1000000000), net, back;
		int64_t want = ref_ld((long double)g * (long double)x.num,
				      (long double)CRM_RATE_SCALE + x.num);

		assert_int_equal(crm_tax_included(g, x), want);
		/* the net's added tax is within a minor unit of what the
		 * gross contained */
		net = g - crm_tax_included(g, x);
		back = crm_tax_added(net, x);
		assert_true(llabs(back - crm_tax_included(g, x)) <= 1);
	}
	for (int i = 0; i < 100000; i++) {
		struct crm_rate x = rand_rate(&r);
		int64_t g = (int64_t)crm_rng_next(&r);

		assert_int_equal(crm_tax_included(g, x),
				 ref_mag((__int128)g * x.num,
					 (__int128)CRM_RATE_SCALE + x.num));
	}
}

/* ---- tiers ---- */

static void commission__tiers_parse__major_units(void **state)
{
	struct crm_tiers t;

	(void)state;
	t = tiers_of("0-10000:5%,10000-:7%", "EUR");
	assert_int_equal(t.n, 2);
	assert_int_equal(t.t[0].from, 0);
	assert_int_equal(t.t[0].to, 1000000); /* 10,000.00 EUR */
	assert_int_equal(t.t[0].rate.num, 50000000);
	assert_int_equal(t.t[1].from, 1000000);
	assert_int_equal(t.t[1].to, CRM_TIER_OPEN);
	assert_int_equal(t.t[1].rate.num, 70000000);
	t = tiers_of("0-10000:5%,10000-:7%", "JPY"); /* no minor digits */
	assert_int_equal(t.t[0].to, 10000);
	t = tiers_of("0-10000:5%,10000-:7%", "KWD"); /* three */
	assert_int_equal(t.t[0].to, 10000000);
	t = tiers_of(" 0-9999.99:0.05 , 9999.99-50000:6.5% ,50000-:0.07 ", "EUR");
	assert_int_equal(t.n, 3);
	assert_int_equal(t.t[0].to, 999999);
	assert_int_equal(t.t[1].from, 999999);
	assert_int_equal(t.t[1].rate.num, 65000000);
	assert_int_equal(t.t[2].from, 5000000);
	t = tiers_of("0-:12%", "EUR"); /* one flat tier */
	assert_int_equal(t.n, 1);
	assert_int_equal(t.t[0].to, CRM_TIER_OPEN);
}

static void commission__tiers_parse__bad_refused(void **state)
{
	char many[1024] = "";

	(void)state;
	tiers_bad("0-10000:5%,12000-:7%",
		  "invalid tiers \"0-10000:5%,12000-:7%\": gap from 10000 to 12000 between tier 1 and tier 2");
	tiers_bad("0-10000:5%,9000-:7%",
		  "invalid tiers \"0-10000:5%,9000-:7%\": tier 2 starts at 9000, inside tier 1 (0-10000:5%)");
	tiers_bad("100-10000:5%,10000-:7%",
		  "invalid tiers \"100-10000:5%,10000-:7%\": tier 1 starts at 100; the first tier starts at 0");
	tiers_bad("0-10000:5%,10000-20000:7%",
		  "invalid tiers \"0-10000:5%,10000-20000:7%\": the last tier \"10000-20000:7%\" is not open-ended (write 10000-:RATE)");
	tiers_bad("0-:5%,10000-:7%",
		  "invalid tiers \"0-:5%,10000-:7%\": tier 1 \"0-:5%\" is open-ended but is not the last");
	tiers_bad("0-10000:5%,10000-10000:6%,10000-:7%",
		  "invalid tiers \"0-10000:5%,10000-10000:6%,10000-:7%\": tier 2 \"10000-10000:6%\" ends where it starts or before");
	tiers_bad("0-10000:5%,10000-5000:6%,5000-:7%",
		  "invalid tiers \"0-10000:5%,10000-5000:6%,5000-:7%\": tier 2 \"10000-5000:6%\" ends where it starts or before");
	tiers_bad("0-10000:7,5%,10000-:7%", NULL); /* the comma splits */
	tiers_bad("0-10000:150%,10000-:7%",
		  "invalid tiers \"0-10000:150%,10000-:7%\": tier 1: invalid rate \"150%\": above 100% (a percentage such as 7.5%)");
	tiers_bad("0-10000:5%,10000-:",
		  "invalid tiers \"0-10000:5%,10000-:\": tier 2 \"10000-:\" is not FROM-TO:RATE or FROM-:RATE (as in 0-10000:5%,10000-:7%)");
	tiers_bad("0-10000,10000-:7%", NULL);
	tiers_bad("0:5%", NULL);
	tiers_bad("-5-10000:5%,10000-:7%", NULL);
	tiers_bad("0-10000:5%,,10000-:7%", NULL);
	tiers_bad("0-10000:5%,10000-:7%,", NULL);
	tiers_bad("0-10.001:5%,10.001-:7%", NULL); /* EUR has 2 decimals */
	tiers_bad("0-1e4:5%,1e4-:7%", NULL);
	tiers_bad("", "invalid tiers \"\": no tier (as in 0-10000:5%,10000-:7%)");
	tiers_bad("   ", NULL);
	/* 33 tiers */
	for (int i = 0; i < 33; i++) {
		char one[32];

		snprintf(one, sizeof(one), i < 32 ? "%d-%d:1%%," : "%d-:1%%", i,
			 i + 1);
		strcat(many, one);
	}
	tiers_bad(many, NULL);
	assert_int_equal(crm_tiers_parse(NULL, "EUR", NULL, NULL), CRM_EX_DATAERR);
}

static void commission__tiered__marginal_at_boundaries(void **state)
{
	struct crm_tiers t = tiers_of("0-10000:5%,10000-:7%", "EUR");
	struct crm_tiers split;

	(void)state;
	assert_int_equal(crm_commission_tiered(0, &t), 0);
	assert_int_equal(crm_commission_tiered(1, &t), 0);            /* 0.05 */
	assert_int_equal(crm_commission_tiered(10, &t), 0);           /* 0.5 */
	assert_int_equal(crm_commission_tiered(30, &t), 2);           /* 1.5 */
	assert_int_equal(crm_commission_tiered(999999, &t), 50000);   /* 49999.95 */
	assert_int_equal(crm_commission_tiered(1000000, &t), 50000);  /* exactly */
	assert_int_equal(crm_commission_tiered(1000001, &t), 50000);  /* +0.07 */
	assert_int_equal(crm_commission_tiered(1000007, &t), 50000);  /* +0.49 */
	assert_int_equal(crm_commission_tiered(1000008, &t), 50001);  /* +0.56 */
	assert_int_equal(crm_commission_tiered(1500000, &t), 85000);  /* 15,000.00 -> 850.00 */
	assert_int_equal(crm_commission_tiered(-1500000, &t), -85000);
	assert_int_equal(crm_commission_tiered(-30, &t), -2);
	/* rounded once on the exact total: 3 cents over two tiers of 50%
	 * make 1.5 -> 2, where rounding each tier (0.5 -> 0, 1.0 -> 1)
	 * would give 1 */
	split = tiers_of("0-0.01:50%,0.01-:50%", "EUR");
	assert_int_equal(crm_commission_tiered(3, &split), 2);
	assert_int_equal(crm_rate_apply(1, split.t[0].rate) +
				 crm_rate_apply(2, split.t[1].rate),
			 1);
	/* the extremes: the top tier's rate on nearly all of it */
	t = tiers_of("0-10000:0%,10000-:100%", "EUR");
	assert_int_equal(crm_commission_tiered(INT64_MAX, &t), INT64_MAX - 1000000);
	assert_int_equal(crm_commission_tiered(INT64_MIN, &t),
			 INT64_MIN + 1000000);
	assert_int_equal(crm_commission_tiered(5, NULL), 0);
	/* hand-made tiers: rates held to 0..100%, no overflow */
	t.n = CRM_TIERS_MAX;
	for (size_t i = 0; i < CRM_TIERS_MAX; i++) {
		t.t[i].from = 0;
		t.t[i].to = CRM_TIER_OPEN;
		t.t[i].rate.num = i % 2 ? INT64_MAX : INT64_MIN;
	}
	assert_int_equal(crm_commission_tiered(INT64_MAX, &t), INT64_MAX);
	assert_int_equal(crm_commission_tiered(INT64_MIN, &t), INT64_MIN);
	assert_int_equal(crm_commission_tiered(10, &t), 160); /* 16 x 100% */
}

/* Random tiers written as text, parsed, and applied to random amounts,
 * against the sum of the parts' products computed here in long double and
 * rounded once; the commission never falls as the gross rises. */
static void commission__tiered__random_against_reference(void **state)
{
	struct crm_rng r;

	(void)state;
	skip_without_long_double();
	crm_rng_seed(&r, 13);
	for (int round = 0; round < 2000; round++) {
		char text[1024], one[128];
		size_t nt = 1 + (size_t)crm_rng_below(&r, 6);
		int64_t bound[8], num[8], last = -1, prev_c = INT64_MIN;
		struct crm_tiers t;

		text[0] = '\0';
		bound[0] = 0;
		for (size_t i = 0; i < nt; i++) {
			struct crm_rate x = rand_rate(&r);
			char rt[32];

			num[i] = x.num;
			crm_rate_format(x, rt);
			if (i + 1 < nt) {
				bound[i + 1] = bound[i] + 1 +
					       (int64_t)crm_rng_below(&r, 2000000);
				snprintf(one, sizeof(one), "%s%lld.%02lld-%lld.%02lld:%s",
					 i ? "," : "", (long long)(bound[i] / 100),
					 (long long)(bound[i] % 100),
					 (long long)(bound[i + 1] / 100),
					 (long long)(bound[i + 1] % 100), rt);
			} else {
				snprintf(one, sizeof(one), "%s%lld.%02lld-:%s",
					 i ? "," : "", (long long)(bound[i] / 100),
					 (long long)(bound[i] % 100), rt);
			}
			strcat(text, one);
		}
		t = tiers_of(text, "EUR");
		assert_int_equal(t.n, nt);
		for (int k = 0; k < 50; k++) {
			int64_t g = (int64_t)crm_rng_below(&r, 15000000);
			long double total = 0;

			for (size_t i = 0; i < nt; i++) {
				int64_t hi = i + 1 < nt ? bound[i + 1] : INT64_MAX;
				int64_t part = g < hi ? g - bound[i] : hi - bound[i];

				if (part > 0)
					total += (long double)part * (long double)num[i];
			}
			assert_int_equal(crm_commission_tiered(g, &t),
					 ref_ld(total, (long double)CRM_RATE_SCALE));
			assert_int_equal(crm_commission_tiered(-g, &t),
					 -crm_commission_tiered(g, &t));
		}
		/* monotone over a rising sequence of amounts */
		for (int64_t g = 0; g < 15000000; g += 1 + (int64_t)crm_rng_below(&r, 50000)) {
			int64_t c = crm_commission_tiered(g, &t);

			assert_true(c >= prev_c);
			prev_c = c;
			last = g;
		}
		assert_true(last >= 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commission__rate_parse__exact_values),
		cmocka_unit_test(commission__rate_parse__bad_refused),
		cmocka_unit_test(commission__rate_format__shortest_and_round_trips),
		cmocka_unit_test(commission__apply__half_even),
		cmocka_unit_test(commission__apply__big_amounts_exact),
		cmocka_unit_test(commission__apply__random_against_references),
		cmocka_unit_test(commission__tax__added_and_included),
		cmocka_unit_test(commission__tiers_parse__major_units),
		cmocka_unit_test(commission__tiers_parse__bad_refused),
		cmocka_unit_test(commission__tiered__marginal_at_boundaries),
		cmocka_unit_test(commission__tiered__random_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
