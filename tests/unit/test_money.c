/* test_money.c - unit tests for lib/money.c: currency codes, their minor
 * digits, amounts parsed in a currency, and amounts formatted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/money.h"

/* ---- helpers ---- */

static void amount_ok(const char *s, const char *code, int64_t want)
{
	struct crm_err e = { 0, "" };
	int64_t got = -777;
	int rc = crm_amount_parse(s, code, &got, &e);

	if (rc != 0)
		fail_msg("amount \"%s\" in %s: rejected: %s", s, code, e.msg);
	if (got != want)
		fail_msg("amount \"%s\" in %s: got %lld, want %lld", s, code,
			 (long long)got, (long long)want);
}

static void amount_bad(const char *s, const char *code, const char *want_msg)
{
	struct crm_err e = { 0, "" };
	int64_t got = -777;
	int rc = crm_amount_parse(s, code, &got, &e);

	if (rc != CRM_EX_DATAERR)
		fail_msg("amount \"%s\" in %s: accepted as %lld (rc %d)", s, code,
			 (long long)got, rc);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_int_equal(got, -777); /* untouched on failure */
	if (want_msg != NULL && strcmp(e.msg, want_msg) != 0)
		fail_msg("amount \"%s\" in %s: message \"%s\", want \"%s\"", s, code,
			 e.msg, want_msg);
}

static void format_is(int64_t minor, const char *code, const char *want)
{
	char out[32];

	memset(out, 'x', sizeof(out));
	crm_amount_format(minor, code, out);
	if (strcmp(out, want) != 0)
		fail_msg("format %lld %s: got \"%s\", want \"%s\"", (long long)minor, code,
			 out, want);
}

/* ---- default currency ---- */

static void money__default_currency__env_or_eur(void **state)
{
	char *saved = getenv("CRM_CURRENCY") != NULL ? strdup(getenv("CRM_CURRENCY")) : NULL;

	(void)state;
	unsetenv("CRM_CURRENCY");
	assert_string_equal(crm_default_currency(), "EUR");
	setenv("CRM_CURRENCY", "USD", 1);
	assert_string_equal(crm_default_currency(), "USD");
	setenv("CRM_CURRENCY", "JPY", 1);
	assert_string_equal(crm_default_currency(), "JPY");
	/* not three characters: ignored */
	setenv("CRM_CURRENCY", "EURO", 1);
	assert_string_equal(crm_default_currency(), "EUR");
	setenv("CRM_CURRENCY", "", 1);
	assert_string_equal(crm_default_currency(), "EUR");
	if (saved != NULL)
		setenv("CRM_CURRENCY", saved, 1);
	else
		unsetenv("CRM_CURRENCY");
	free(saved);
}

/* ---- currency codes ---- */

static void money__currency_parse__uppercased(void **state)
{
	struct crm_err e = { 0, "" };
	char out[4];

	(void)state;
	assert_int_equal(crm_currency_parse("eur", out, &e), 0);
	assert_string_equal(out, "EUR");
	assert_int_equal(crm_currency_parse("UsD", out, &e), 0);
	assert_string_equal(out, "USD");
	assert_int_equal(crm_currency_parse("JPY", out, &e), 0);
	assert_string_equal(out, "JPY");
	assert_int_equal(e.code, 0);
}

static void money__currency_parse_bad__dataerr_with_message(void **state)
{
	static const char *const bad[] = {
		"", "EU", "EURO", "E1R", "12 ", "EU ", " EU", "€", "E-R", NULL
	};
	char out[4];

	(void)state;
	for (size_t i = 0; bad[i] != NULL; i++) {
		struct crm_err e = { 0, "" };
		char want[128];

		if (crm_currency_parse(bad[i], out, &e) != CRM_EX_DATAERR)
			fail_msg("currency \"%s\" accepted", bad[i]);
		assert_int_equal(e.code, CRM_EX_DATAERR);
		snprintf(want, sizeof(want),
			 "invalid currency \"%s\" (use an ISO 4217 code such as EUR)", bad[i]);
		assert_string_equal(e.msg, want);
	}
}

static void money__currency_parse_long__quoted_value_cut(void **state)
{
	struct crm_err e = { 0, "" };
	char out[4];

	(void)state;
	assert_int_equal(crm_currency_parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ", out, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg,
			    "invalid currency \"ABCDEFGHIJKLMNOP\" (use an ISO 4217 code such as EUR)");
}

static void money__currency_parse_null_err__still_fails(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(crm_currency_parse("XX", out, NULL), CRM_EX_DATAERR);
}

/* ---- decimals ---- */

static void money__decimals__zero_three_two(void **state)
{
	static const char *const zero[] = {
		"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
		"UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF", NULL
	};
	static const char *const three[] = {
		"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL
	};
	static const char *const two[] = {
		"EUR", "USD", "GBP", "CHF", "SEK", "CNY", "INR", NULL
	};

	(void)state;
	for (size_t i = 0; zero[i] != NULL; i++)
		if (crm_currency_decimals(zero[i]) != 0)
			fail_msg("%s: %d decimals, want 0", zero[i], crm_currency_decimals(zero[i]));
	for (size_t i = 0; three[i] != NULL; i++)
		if (crm_currency_decimals(three[i]) != 3)
			fail_msg("%s: %d decimals, want 3", three[i], crm_currency_decimals(three[i]));
	for (size_t i = 0; two[i] != NULL; i++)
		if (crm_currency_decimals(two[i]) != 2)
			fail_msg("%s: %d decimals, want 2", two[i], crm_currency_decimals(two[i]));
}

static void money__decimals_not_a_code__two(void **state)
{
	(void)state;
	/* Not whole three-letter codes: no match inside the lists. */
	assert_int_equal(crm_currency_decimals(""), 2);
	assert_int_equal(crm_currency_decimals("JP"), 2);
	assert_int_equal(crm_currency_decimals("JPYX"), 2);
	assert_int_equal(crm_currency_decimals("KW"), 2);
}

/* ---- amounts ---- */

static void money__amount_parse_eur__minor_units(void **state)
{
	(void)state;
	amount_ok("12.30", "EUR", 1230);
	amount_ok("12.3", "EUR", 1230);
	amount_ok("12", "EUR", 1200);
	amount_ok("0.01", "EUR", 1);
	amount_ok("-12.30", "EUR", -1230);
	amount_ok("+5.05", "EUR", 505);
	amount_ok("007.50", "EUR", 750);
	amount_ok("0", "EUR", 0);
	/* 2^53 minor units is the largest accepted */
	amount_ok("90071992547409.92", "EUR", INT64_C(9007199254740992));
	amount_ok("-90071992547409.92", "EUR", -INT64_C(9007199254740992));
}

static void money__amount_parse_jpy__no_decimals(void **state)
{
	(void)state;
	amount_ok("1500", "JPY", 1500);
	amount_ok("-3", "JPY", -3);
	amount_bad("1500.0", "JPY",
		   "invalid amount \"1500.0\": invalid (JPY has 0 decimals; use a dot, no thousands separators)");
	amount_bad("15.5", "KRW",
		   "invalid amount \"15.5\": invalid (KRW has 0 decimals; use a dot, no thousands separators)");
}

static void money__amount_parse_kwd__three_decimals(void **state)
{
	(void)state;
	amount_ok("1.234", "KWD", 1234);
	amount_ok("1.2", "KWD", 1200);
	amount_ok("12", "BHD", 12000);
	amount_bad("1.2345", "KWD",
		   "invalid amount \"1.2345\": too many decimals (KWD has 3 decimals; use a dot, no thousands separators)");
}

static void money__amount_parse_bad__exact_messages(void **state)
{
	(void)state;
	amount_bad("12,3.4", "EUR",
		   "invalid amount \"12,3.4\": invalid (EUR has 2 decimals; use a dot, no thousands separators)");
	amount_bad("12,30", "EUR",
		   "invalid amount \"12,30\": invalid (EUR has 2 decimals; use a dot, no thousands separators)");
	amount_bad("1,234.50", "USD",
		   "invalid amount \"1,234.50\": invalid (USD has 2 decimals; use a dot, no thousands separators)");
	amount_bad("1.230", "EUR",
		   "invalid amount \"1.230\": too many decimals (EUR has 2 decimals; use a dot, no thousands separators)");
	amount_bad("90071992547409.93", "EUR",
		   "invalid amount \"90071992547409.93\": too large (EUR has 2 decimals; use a dot, no thousands separators)");
	amount_bad("", "EUR", NULL);
	amount_bad(".5", "EUR", NULL);
	amount_bad("5.", "EUR", NULL);
	amount_bad(" 5", "EUR", NULL);
	amount_bad("5 ", "EUR", NULL);
	amount_bad("€5", "EUR", NULL);
	amount_bad("5e3", "EUR", NULL);
	amount_bad("--5", "EUR", NULL);
	amount_bad("1 000", "EUR", NULL);
}

static void money__amount_parse_long_value__quoted_cut(void **state)
{
	(void)state;
	/* the value is quoted up to 32 bytes */
	amount_bad("1234567890123456789012345678901234567890x", "EUR",
		   "invalid amount \"12345678901234567890123456789012\": invalid (EUR has 2 decimals; use a dot, no thousands separators)");
}

/* ---- amounts in imported cells, with a decimal mark ---- */

static void mark_ok(const char *s, const char *code, char mark, int64_t want)
{
	struct crm_err e = { 0, "" };
	int64_t got = -777;

	if (crm_amount_parse_mark(s, code, mark, &got, &e) != 0)
		fail_msg("amount \"%s\" in %s, mark %c: rejected: %s", s, code, mark, e.msg);
	if (got != want)
		fail_msg("amount \"%s\" in %s, mark %c: got %lld, want %lld", s, code, mark,
			 (long long)got, (long long)want);
}

static void mark_bad(const char *s, const char *code, char mark, const char *want_msg)
{
	struct crm_err e = { 0, "" };
	int64_t got = -777;
	int rc = crm_amount_parse_mark(s, code, mark, &got, &e);

	if (rc != CRM_EX_DATAERR)
		fail_msg("amount \"%s\" in %s, mark %c: accepted as %lld (rc %d)", s, code,
			 mark, (long long)got, rc);
	assert_int_equal(got, -777);
	if (want_msg != NULL && strcmp(e.msg, want_msg) != 0)
		fail_msg("amount \"%s\": message \"%s\", want \"%s\"", s, e.msg, want_msg);
}

static void money__amount_parse_mark__thousands_and_decimal_comma(void **state)
{
	(void)state;
	mark_ok("1,234.50", "USD", '.', 123450);
	mark_ok("1.234,50", "EUR", ',', 123450);
	mark_ok("1 234,50", "EUR", ',', 123450);
	mark_ok("12,5", "EUR", ',', 1250);
	mark_ok("1.234", "JPY", ',', 1234);
	mark_ok("1,234", "JPY", '.', 1234);
	mark_ok("1.234", "KWD", '.', 1234);	/* 1.234 dinars */
	mark_ok("1.234,567", "KWD", ',', 1234567);
	mark_bad("12,3.4", "EUR", '.',
		 "invalid amount \"12,3.4\": invalid (EUR has 2 decimals; decimal mark '.', thousands in groups of three as in 1,234.50)");
	mark_bad("1,23.4", "EUR", '.', NULL);
	mark_bad("12.50", "EUR", ',',
		 "invalid amount \"12.50\": invalid (EUR has 2 decimals; decimal mark ',', thousands in groups of three as in 1.234,50)");
	mark_bad("1,234", "EUR", ',',
		 "invalid amount \"1,234\": too many decimals (EUR has 2 decimals; decimal mark ',', thousands in groups of three as in 1.234,50)");
	mark_bad("12,5", "JPY", ',', NULL);
	/* mark 0 is crm_amount_parse, with its message */
	mark_bad("1,234.50", "USD", 0,
		 "invalid amount \"1,234.50\": invalid (USD has 2 decimals; use a dot, no thousands separators)");
}

/* ---- formatting ---- */

static void money__amount_format__currency_decimals(void **state)
{
	(void)state;
	format_is(1230, "EUR", "12.30");
	format_is(-1230, "EUR", "-12.30");
	format_is(5, "EUR", "0.05");
	format_is(-5, "EUR", "-0.05");
	format_is(0, "EUR", "0.00");
	format_is(1500, "JPY", "1500");
	format_is(-1500, "JPY", "-1500");
	format_is(0, "JPY", "0");
	format_is(1234, "KWD", "1.234");
	format_is(7, "KWD", "0.007");
	format_is(-1000, "OMR", "-1.000");
	format_is(INT64_MAX, "EUR", "92233720368547758.07");
	format_is(INT64_MIN, "EUR", "-92233720368547758.08");
}

static void money__format_then_parse__round_trip(void **state)
{
	static const int64_t values[] = { 0, 1, -1, 99, 100, 12345, -987654321,
					  INT64_C(9007199254740992) };
	static const char *const codes[] = { "EUR", "JPY", "KWD", NULL };

	(void)state;
	for (size_t c = 0; codes[c] != NULL; c++)
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			char text[32];

			crm_amount_format(values[i], codes[c], text);
			amount_ok(text, codes[c], values[i]);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(money__default_currency__env_or_eur),
		cmocka_unit_test(money__currency_parse__uppercased),
		cmocka_unit_test(money__currency_parse_bad__dataerr_with_message),
		cmocka_unit_test(money__currency_parse_long__quoted_value_cut),
		cmocka_unit_test(money__currency_parse_null_err__still_fails),
		cmocka_unit_test(money__decimals__zero_three_two),
		cmocka_unit_test(money__decimals_not_a_code__two),
		cmocka_unit_test(money__amount_parse_eur__minor_units),
		cmocka_unit_test(money__amount_parse_jpy__no_decimals),
		cmocka_unit_test(money__amount_parse_kwd__three_decimals),
		cmocka_unit_test(money__amount_parse_bad__exact_messages),
		cmocka_unit_test(money__amount_parse_long_value__quoted_cut),
		cmocka_unit_test(money__amount_parse_mark__thousands_and_decimal_comma),
		cmocka_unit_test(money__amount_format__currency_decimals),
		cmocka_unit_test(money__format_then_parse__round_trip),
	};

	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
