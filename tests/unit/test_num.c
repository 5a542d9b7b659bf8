/* test_num.c - unit tests for lib/num.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/num.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* Marks an output the parser must leave alone on failure. */
#define UNTOUCHED	INT64_C(-4242)
#define TWO_53		(INT64_C(1) << 53)

struct i64_case {
	const char *in;
	int64_t min, max;
	int64_t want;		/* when why is NULL */
	const char *why;	/* errstr expected, NULL for success */
};

struct money_case {
	const char *in;
	int decimals;
	int64_t want;
	const char *why;
};

static void check_i64(const struct i64_case *c)
{
	const char *why = "unset";
	int64_t v = UNTOUCHED;
	int rc = crm_parse_i64(c->in, c->min, c->max, &v, &why);

	if (c->why == NULL) {
		if (rc != 0 || why != NULL || v != c->want)
			fail_msg("\"%s\": rc %d, errstr %s, value %lld", c->in,
				 rc, why ? why : "NULL", (long long)v);
	} else {
		if (rc != -1 || why == NULL || strcmp(why, c->why) != 0 ||
		    v != UNTOUCHED)
			fail_msg("\"%s\": rc %d, errstr %s, want %s", c->in, rc,
				 why ? why : "NULL", c->why);
	}
}

static void check_money(const struct money_case *c)
{
	const char *why = "unset";
	int64_t v = UNTOUCHED;
	int rc = crm_parse_money(c->in, c->decimals, &v, &why);

	if (c->why == NULL) {
		if (rc != 0 || why != NULL || v != c->want)
			fail_msg("\"%s\"/%d: rc %d, errstr %s, value %lld",
				 c->in, c->decimals, rc, why ? why : "NULL",
				 (long long)v);
	} else {
		if (rc != -1 || why == NULL || strcmp(why, c->why) != 0 ||
		    v != UNTOUCHED)
			fail_msg("\"%s\"/%d: rc %d, errstr %s, want %s", c->in,
				 c->decimals, rc, why ? why : "NULL", c->why);
	}
}

static void num__i64_valid__parsed(void **state)
{
	static const struct i64_case tab[] = {
		{ "0", INT64_MIN, INT64_MAX, 0, NULL },
		{ "-0", INT64_MIN, INT64_MAX, 0, NULL },
		{ "+0", INT64_MIN, INT64_MAX, 0, NULL },
		{ "42", 0, 100, 42, NULL },
		{ "+42", 0, 100, 42, NULL },
		{ "-42", -100, 0, -42, NULL },
		{ "007", 0, 10, 7, NULL },
		{ "100", 0, 100, 100, NULL },
		{ "0", 0, 0, 0, NULL },
		{ "9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX, NULL },
		{ "-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN, NULL },
		{ "-9223372036854775807", INT64_MIN, INT64_MAX,
		  INT64_MIN + 1, NULL },
		{ "00000000000000000000000000009223372036854775807",
		  INT64_MIN, INT64_MAX, INT64_MAX, NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_i64(&tab[i]);
}

static void num__i64_bad_syntax__invalid(void **state)
{
	static const char *const bad[] = {
		"", "+", "-", "+-1", "--1", "++1", " 1", "1 ", "1\n", "\t1",
		"1x", "x1", "0x10", "1e3", "1.0", "1,000", "1_000", "- 1",
		"\xd9\xa1", "１", "99999999999999999999999999x",
		"-99999999999999999999999999 ",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct i64_case c = { bad[i], INT64_MIN, INT64_MAX, 0,
				      "invalid" };

		check_i64(&c);
	}
}

static void num__i64_out_of_range__too_small_or_large(void **state)
{
	static const struct i64_case tab[] = {
		{ "101", 0, 100, 0, "too large" },
		{ "-1", 0, 100, 0, "too small" },
		{ "-101", -100, 100, 0, "too small" },
		{ "1", 0, 0, 0, "too large" },
		{ "9223372036854775808", INT64_MIN, INT64_MAX, 0, "too large" },
		{ "-9223372036854775809", INT64_MIN, INT64_MAX, 0, "too small" },
		{ "18446744073709551616", INT64_MIN, INT64_MAX, 0, "too large" },
		{ "99999999999999999999999999999999999999999999999999",
		  INT64_MIN, INT64_MAX, 0, "too large" },
		{ "-99999999999999999999999999999999999999999999999999",
		  INT64_MIN, INT64_MAX, 0, "too small" },
		{ "+99999999999999999999999999999999999999999999999999",
		  0, 10, 0, "too large" },
		{ "-9223372036854775808", INT64_MIN + 1, INT64_MAX, 0,
		  "too small" },
		{ "9223372036854775807", INT64_MIN, INT64_MAX - 1, 0,
		  "too large" },
		/* min > max is a caller error, as in strtonum */
		{ "5", 10, 0, 0, "invalid" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_i64(&tab[i]);
}

static void num__i64_null_errstr__allowed(void **state)
{
	int64_t v = UNTOUCHED;

	(void)state;
	assert_int_equal(crm_parse_i64("12", 0, 20, &v, NULL), 0);
	assert_true(v == 12);
	assert_int_equal(crm_parse_i64("x", 0, 20, &v, NULL), -1);
	assert_int_equal(crm_parse_i64(NULL, 0, 20, &v, NULL), -1);
	assert_true(v == 12);
}

static void num__money_valid__minor_units(void **state)
{
	static const struct money_case tab[] = {
		{ "12", 2, 1200, NULL },
		{ "12.3", 2, 1230, NULL },
		{ "12.30", 2, 1230, NULL },
		{ "-12.30", 2, -1230, NULL },
		{ "+5", 2, 500, NULL },
		{ "0.05", 2, 5, NULL },
		{ "-0.05", 2, -5, NULL },
		{ "0", 2, 0, NULL },
		{ "-0", 2, 0, NULL },
		{ "-0.00", 2, 0, NULL },
		{ "007.50", 2, 750, NULL },
		{ "1234.5", 2, 123450, NULL },
		{ "7", 0, 7, NULL },
		{ "-7", 0, -7, NULL },
		{ "1.5", 1, 15, NULL },
		{ "1.234", 3, 1234, NULL },
		{ "1.2", 3, 1200, NULL },
		{ "0.0001", 4, 1, NULL },
		{ "12.3456", 4, 123456, NULL },
		/* the edge: exactly 2^53 minor units */
		{ "9007199254740992", 0, TWO_53, NULL },
		{ "-9007199254740992", 0, -TWO_53, NULL },
		{ "90071992547409.92", 2, TWO_53, NULL },
		{ "-90071992547409.92", 2, -TWO_53, NULL },
		{ "900719925474.0992", 4, TWO_53, NULL },
		{ "90071992547409.9", 2, TWO_53 - 2, NULL },
		{ "0000000000000000000000000000000000000012.30", 2, 1230,
		  NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_money(&tab[i]);
}

static void num__money_bad_syntax__invalid(void **state)
{
	static const char *const bad[] = {
		"", "+", "-", ".", ".5", "5.", "-.5", "+.5", "-5.", "1,234.50",
		"12,3.4", "1,5", "1 234", " 12", "12 ", "12\n", "1.2.3",
		"1..2", "--1", "+-1", "1e2", "0x10", "12€", "€12", "$12",
		"12.3x", "abc", "NaN", "inf", "12.-3", "12.+3", "\xd9\xa1",
		"１２", "99999999999999999999999999999999999x",
		"1.2345678901234567890123456789x",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct money_case c = { bad[i], 2, 0, "invalid" };

		check_money(&c);
	}
}

static void num__money_decimals__enforced(void **state)
{
	static const struct money_case tab[] = {
		{ "1.234", 2, 0, "too many decimals" },
		{ "1.230", 2, 0, "too many decimals" },
		{ "-0.001", 2, 0, "too many decimals" },
		{ "1.5", 1, 15, NULL },
		{ "1.55", 1, 0, "too many decimals" },
		{ "1.23456", 4, 0, "too many decimals" },
		{ "1.2345678901234567890123456789", 2, 0,
		  "too many decimals" },
		/* no point at all with 0 decimals */
		{ "1.0", 0, 0, "invalid" },
		{ "1.", 0, 0, "invalid" },
		/* decimals beyond 0..4 */
		{ "1", -1, 0, "invalid" },
		{ "1", 5, 0, "invalid" },
		{ "1", 18, 0, "invalid" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_money(&tab[i]);
}

static void num__money_beyond_2_53__too_large(void **state)
{
	static const struct money_case tab[] = {
		{ "9007199254740993", 0, 0, "too large" },
		{ "-9007199254740993", 0, 0, "too large" },
		{ "90071992547409.93", 2, 0, "too large" },
		{ "-90071992547409.93", 2, 0, "too large" },
		{ "90071992547410", 2, 0, "too large" },
		{ "900719925474.0993", 4, 0, "too large" },
		{ "9223372036854775807", 0, 0, "too large" },
		{ "9223372036854775808", 0, 0, "too large" },
		{ "18446744073709551616", 2, 0, "too large" },
		{ "99999999999999999999999999999999999999999999999", 4, 0,
		  "too large" },
		{ "-99999999999999999999999999999999999999999999999.99", 2, 0,
		  "too large" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_money(&tab[i]);
}

static void num__money_null_input__invalid(void **state)
{
	const char *why = NULL;
	int64_t v = UNTOUCHED;

	(void)state;
	assert_int_equal(crm_parse_money(NULL, 2, &v, &why), -1);
	assert_string_equal(why, "invalid");
	assert_int_equal(crm_parse_money("1.5", 2, &v, NULL), 0);
	assert_true(v == 150);
}

static void num__format_money__inverse(void **state)
{
	static const struct {
		int64_t minor;
		int decimals;
		const char *want;
	} tab[] = {
		{ -1230, 2, "-12.30" },
		{ 1230, 2, "12.30" },
		{ 5, 2, "0.05" },
		{ -5, 2, "-0.05" },
		{ 0, 2, "0.00" },
		{ 7, 0, "7" },
		{ -7, 0, "-7" },
		{ 0, 0, "0" },
		{ 15, 1, "1.5" },
		{ 1, 4, "0.0001" },
		{ 123456, 4, "12.3456" },
		{ 100, 2, "1.00" },
		{ TWO_53, 2, "90071992547409.92" },
		{ -TWO_53, 2, "-90071992547409.92" },
		{ INT64_MAX, 0, "9223372036854775807" },
		{ INT64_MIN, 0, "-9223372036854775808" },
		{ INT64_MIN, 2, "-92233720368547758.08" },
		{ INT64_MIN, 4, "-922337203685477.5808" },
		{ INT64_MAX, 18, "9.223372036854775807" },
		{ INT64_MIN, 18, "-9.223372036854775808" },
		{ 5, 18, "0.000000000000000005" },
		/* out-of-range decimals are clamped to 0..18 */
		{ 5, -3, "5" },
		{ 5, 40, "0.000000000000000005" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++) {
		char buf[32];

		memset(buf, '#', sizeof(buf));
		crm_format_money(tab[i].minor, tab[i].decimals, buf);
		if (strcmp(buf, tab[i].want) != 0)
			fail_msg("%lld/%d: got %s, want %s",
				 (long long)tab[i].minor, tab[i].decimals, buf,
				 tab[i].want);
	}
}

static void num__money_round_trip__format_parse(void **state)
{
	(void)state;
	for (int dec = 0; dec <= 4; dec++) {
		/* a spread of magnitudes up to 2^53, both signs */
		for (int64_t v = 0; v <= TWO_53; v = v * 3 + 1) {
			for (int sign = -1; sign <= 1; sign += 2) {
				char buf[32];
				const char *why = "unset";
				int64_t back = UNTOUCHED;

				crm_format_money(v * sign, dec, buf);
				assert_int_equal(crm_parse_money(buf, dec, &back,
								 &why), 0);
				assert_null(why);
				assert_true(back == v * sign);
			}
		}
		/* and the edge */
		{
			char buf[32];
			int64_t back;

			crm_format_money(TWO_53, dec, buf);
			assert_int_equal(crm_parse_money(buf, dec, &back, NULL),
					 0);
			assert_true(back == TWO_53);
			crm_format_money(TWO_53 + 1, dec, buf);
			assert_int_equal(crm_parse_money(buf, dec, &back, NULL),
					 -1);
		}
	}
}

/* Numbers as spreadsheets write them. */

struct plain_case {
	const char *in;
	char mark;
	const char *want;	/* NULL: rejected as "invalid" */
};

static void check_plain(const struct plain_case *c)
{
	char out[64];
	const char *why = "unset";
	int rc;

	memset(out, 'X', sizeof(out));
	rc = crm_num_plain(c->in, c->mark, out, &why);
	if (c->want != NULL) {
		if (rc != 0 || why != NULL || strcmp(out, c->want) != 0)
			fail_msg("\"%s\" (mark %c): rc %d, errstr %s, got \"%.20s\", want \"%s\"",
				 c->in, c->mark, rc, why ? why : "NULL", out, c->want);
		/* never longer than the input */
		assert_true(strlen(out) <= strlen(c->in));
	} else if (rc != -1 || why == NULL || strcmp(why, "invalid") != 0) {
		fail_msg("\"%s\" (mark %c): rc %d, errstr %s, want invalid", c->in,
			 c->mark, rc, why ? why : "NULL");
	}
}

static void num__plain_dot__thousands_commas_and_spaces(void **state)
{
	static const struct plain_case tab[] = {
		{ "0", '.', "0" },
		{ "12.50", '.', "12.50" },
		{ "-12.50", '.', "-12.50" },
		{ "+12.5", '.', "12.5" },
		{ "1,234.50", '.', "1234.50" },
		{ "1,234", '.', "1234" },
		{ "12,345,678.9", '.', "12345678.9" },
		{ "-1,234.50", '.', "-1234.50" },
		{ "1 234.50", '.', "1234.50" },
		{ "1\xC2\xA0" "234.50", '.', "1234.50" },
		{ "1234567", '.', "1234567" },
		{ "1.234", '.', "1.234" },	/* a decimal point: 1.234 */
		{ "007.50", '.', "007.50" },
		/* rejected */
		{ "1,23.4", '.', NULL },
		{ "12,3.4", '.', NULL },
		{ "1,2345", '.', NULL },
		{ "1234,567", '.', NULL },	/* first group over 3 digits */
		{ "0,500", '.', NULL },		/* a group after a 0 */
		{ ",123", '.', NULL },
		{ "1,,234", '.', NULL },
		{ "1,234,", '.', NULL },
		{ "1, 234", '.', NULL },
		{ "1,234 567", '.', NULL },	/* two separators */
		{ "1.234,50", '.', NULL },
		{ "12,50", '.', NULL },
		{ ".5", '.', NULL },
		{ "5.", '.', NULL },
		{ "", '.', NULL },
		{ " ", '.', NULL },
		{ " 12", '.', NULL },
		{ "12 ", '.', NULL },
		{ "-", '.', NULL },
		{ "1e3", '.', NULL },
		{ "1.2.3", '.', NULL },
		{ "abc", '.', NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_plain(&tab[i]);
}

static void num__plain_comma__thousands_dots_and_spaces(void **state)
{
	static const struct plain_case tab[] = {
		{ "12,50", ',', "12.50" },
		{ "0,5", ',', "0.5" },
		{ "-0,5", ',', "-0.5" },
		{ "1.234,50", ',', "1234.50" },
		{ "1 234,50", ',', "1234.50" },
		{ "1\xE2\x80\xAF" "234,50", ',', "1234.50" },
		{ "1.234", ',', "1234" },	/* thousands: 1234 */
		{ "1.234.567,891", ',', "1234567.891" },
		{ "12", ',', "12" },
		/* rejected */
		{ "12.50", ',', NULL },
		{ "1,234.50", ',', NULL },
		{ "0.500", ',', NULL },		/* 500 or a stray point? */
		{ "1.23,4", ',', NULL },
		{ "1.2345", ',', NULL },
		{ "1.234 567", ',', NULL },
		{ "1,2,3", ',', NULL },
		{ ",5", ',', NULL },
		{ "5,", ',', NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		check_plain(&tab[i]);
}

static void num__plain_bad_mark__invalid(void **state)
{
	char out[8];
	const char *why = NULL;

	(void)state;
	assert_int_equal(crm_num_plain("12", ';', out, &why), -1);
	assert_string_equal(why, "invalid");
	assert_int_equal(crm_num_plain(NULL, '.', out, &why), -1);
	assert_int_equal(crm_num_plain("12", '.', out, NULL), 0);
}

static void num__money_mark__exact_minor_units(void **state)
{
	int64_t v = UNTOUCHED;
	const char *why = "unset";

	(void)state;
	assert_int_equal(crm_parse_money_mark("1.234,50", ',', 2, &v, &why), 0);
	assert_null(why);
	assert_true(v == 123450);
	assert_int_equal(crm_parse_money_mark("1,234.50", '.', 2, &v, &why), 0);
	assert_true(v == 123450);
	/* 1.234 with the default mark is 1.234: too many decimals for 2 */
	v = UNTOUCHED;
	assert_int_equal(crm_parse_money_mark("1.234", '.', 2, &v, &why), -1);
	assert_string_equal(why, "too many decimals");
	assert_true(v == UNTOUCHED);
	/* and 1234 with mark ',' */
	assert_int_equal(crm_parse_money_mark("1.234", ',', 2, &v, &why), 0);
	assert_true(v == 123400);
	assert_int_equal(crm_parse_money_mark("-9.007.199.254.740,992", ',', 3, &v, &why), 0);
	assert_true(v == -TWO_53);
	v = UNTOUCHED;
	assert_int_equal(crm_parse_money_mark("9.007.199.254.740,993", ',', 3, &v, &why), -1);
	assert_string_equal(why, "too large");
	assert_int_equal(crm_parse_money_mark("12,3.4", '.', 2, &v, &why), -1);
	assert_string_equal(why, "invalid");
	assert_true(v == UNTOUCHED);
	/* longer than the parser's stack buffer */
	{
		char longer[128];

		memset(longer, '0', 100);
		memcpy(longer + 100, "1,50", 5);
		assert_int_equal(crm_parse_money_mark(longer, ',', 2, &v, &why), 0);
		assert_true(v == 150);
	}
	/* mark 0: the strict form, no thousands separators */
	assert_int_equal(crm_parse_money_mark("1,234.50", 0, 2, &v, &why), -1);
	assert_string_equal(why, "invalid");
	assert_int_equal(crm_parse_money_mark("12.50", 0, 2, &v, &why), 0);
	assert_true(v == 1250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(num__i64_valid__parsed),
		cmocka_unit_test(num__i64_bad_syntax__invalid),
		cmocka_unit_test(num__i64_out_of_range__too_small_or_large),
		cmocka_unit_test(num__i64_null_errstr__allowed),
		cmocka_unit_test(num__money_valid__minor_units),
		cmocka_unit_test(num__money_bad_syntax__invalid),
		cmocka_unit_test(num__money_decimals__enforced),
		cmocka_unit_test(num__money_beyond_2_53__too_large),
		cmocka_unit_test(num__money_null_input__invalid),
		cmocka_unit_test(num__format_money__inverse),
		cmocka_unit_test(num__money_round_trip__format_parse),
		cmocka_unit_test(num__plain_dot__thousands_commas_and_spaces),
		cmocka_unit_test(num__plain_comma__thousands_dots_and_spaces),
		cmocka_unit_test(num__plain_bad_mark__invalid),
		cmocka_unit_test(num__money_mark__exact_minor_units),
	};

	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
