/* test_features.c - unit tests for lib/base/features.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/features.h"

/* A table of n rows of m columns given as one array of cells. */
#define ROWS(a, m) (sizeof(a) / sizeof((a)[0]) / (m))

static void test_parse_number(void **state)
{
	const char *good[] = { "1", "-2.5", "+4", ".5", "5.", "1e3", "1E-3",
			       "007", "-0" };
	const double want[] = { 1, -2.5, 4, 0.5, 5, 1000, 0.001, 7, 0 };
	const char *bad[] = { "", " 1", "1 ", "0x10", "inf", "nan", "1e999",
			      "e5", ".", "1e", "1,5", "--1", "1.2.3", "-" };
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(crm_features_parse_number(good[i], &v), 0);
		assert_float_equal(v, want[i], 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 42;
		if (crm_features_parse_number(bad[i], &v) != -1)
			fail_msg("\"%s\" read as a number", bad[i]);
		assert_float_equal(v, 42, 0);
	}
}

/* Numeric and categorical detection, standardisation and the missing
 * indicator. */
static void test_kinds_and_numeric(void **state)
{
	const char *names[3] = { "value", "code", "zip" };
	const char *v[] = {
		"10", "1", "02134",
		"20", "x", "02134",
		NULL, "1", "10001",
		"40", "x", "10001",
		"", "1", "10001",
		"-3e1", "x", "02134",
	};
	const unsigned char cat[3] = { 0, 0, 1 };
	struct crm_features_opts o = { 0, 2, cat, 0 };
	struct crm_features enc;
	struct crm_err e = { 0, "" };
	const double present[4] = { 10, 20, 40, -30 };
	double mean = (10 + 20 + 40 - 30) / 4.0, sd = 0.0, out[8];
	const char *row[3] = { "25", "1", "02134" };

	(void)state;
	assert_int_equal(crm_features_learn(v, ROWS(v, 3), 3, names, &o, &enc,
					    &e), 0);
	assert_int_equal(enc.f[0].kind, CRM_FEATURE_NUMERIC);
	assert_int_equal(enc.f[1].kind, CRM_FEATURE_CATEGORICAL);
	assert_int_equal(enc.f[2].kind, CRM_FEATURE_CATEGORICAL); /* forced */
	assert_true(enc.f[0].has_missing);
	assert_false(enc.f[1].has_missing);
	for (int i = 0; i < 4; i++)
		sd += (present[i] - mean) * (present[i] - mean);
	sd = sqrt(sd / 4);
	assert_float_equal(enc.f[0].mean, mean, 1e-12);
	assert_float_equal(enc.f[0].sd, sd, 1e-12);
	/* value, value missing, code: "1" and "x" three times each, "1"
	 * first by value: reference; zip: 02134 and 10001, three each */
	assert_int_equal(enc.ncols, 4);
	assert_string_equal(enc.colname[0], "value");
	assert_string_equal(enc.colname[1], "value missing");
	assert_string_equal(enc.colname[2], "code = x");
	assert_string_equal(enc.colname[3], "zip = 10001");
	assert_string_equal(enc.f[1].levels[0], "1");
	assert_int_equal(enc.colfeat[1], 0);
	assert_int_equal(enc.colfeat[3], 2);
	assert_int_equal(crm_features_encode(&enc, row, out, NULL), 0);
	assert_float_equal(out[0], (25 - mean) / sd, 1e-12);
	assert_float_equal(out[1], 0, 0);
	assert_float_equal(out[2], 0, 0);
	assert_float_equal(out[3], 0, 0);
	/* a missing number: 0 (the mean) and the indicator */
	row[0] = NULL;
	row[1] = "x";
	row[2] = "10001";
	assert_int_equal(crm_features_encode(&enc, row, out, NULL), 0);
	assert_float_equal(out[0], 0, 0);
	assert_float_equal(out[1], 1, 0);
	assert_float_equal(out[2], 1, 0);
	assert_float_equal(out[3], 1, 0);
	/* a number that is not: missing, and counted */
	struct crm_features_tally t = { 0, 0, 0 };
	row[0] = "n/a";
	assert_int_equal(crm_features_encode(&enc, row, out, &t), 1);
	assert_int_equal(t.unparsed, 1);
	assert_float_equal(out[0], 0, 0);
	assert_float_equal(out[1], 1, 0);
	crm_features_free(&enc);
}

/* Top K by count, ties by value, min count, "other", unseen values. */
static void test_top_k_other(void **state)
{
	/* a 6, c 4, b 4, d 3, e 2, f 1; c before b in the input */
	const char *v[] = { "a", "c", "a", "c", "b", "a", "d", "c", "b", "e",
			    "a", "b", "d", "f", "a", "c", "b", "e", "a", "d" };
	const char *names[1] = { "source" };
	struct crm_features_opts o = { 3, 2, NULL, 0 };
	struct crm_features enc;
	struct crm_features_tally t = { 0, 0, 0 };
	double out[8];
	const char *row[1];

	(void)state;
	assert_int_equal(crm_features_learn(v, ROWS(v, 1), 1, names, &o, &enc,
					    NULL), 0);
	assert_int_equal(enc.f[0].nlevels, 3);
	assert_string_equal(enc.f[0].levels[0], "a");
	assert_string_equal(enc.f[0].levels[1], "b");
	assert_string_equal(enc.f[0].levels[2], "c");
	assert_int_equal(enc.ncols, 3);
	assert_string_equal(enc.colname[0], "source = b");
	assert_string_equal(enc.colname[1], "source = c");
	assert_string_equal(enc.colname[2], "source = other");
	row[0] = "a";
	crm_features_encode(&enc, row, out, &t);
	assert_true(out[0] == 0 && out[1] == 0 && out[2] == 0);
	row[0] = "c";
	crm_features_encode(&enc, row, out, &t);
	assert_true(out[0] == 0 && out[1] == 1 && out[2] == 0);
	row[0] = "d";
	crm_features_encode(&enc, row, out, &t);
	assert_true(out[0] == 0 && out[1] == 0 && out[2] == 1);
	row[0] = "never seen";
	assert_int_equal(crm_features_encode(&enc, row, out, &t), 0);
	assert_true(out[0] == 0 && out[1] == 0 && out[2] == 1);
	/* a missing value, never seen in learning: the reference, counted */
	row[0] = NULL;
	assert_int_equal(crm_features_encode(&enc, row, out, &t), 1);
	assert_true(out[0] == 0 && out[1] == 0 && out[2] == 0);
	assert_int_equal(t.missing, 1);
	assert_int_equal(t.unseen, 0);
	crm_features_free(&enc);

	/* defaults: min count 5 keeps a only; the rest is other */
	assert_int_equal(crm_features_learn(v, ROWS(v, 1), 1, names, NULL, &enc,
					    NULL), 0);
	assert_int_equal(enc.f[0].nlevels, 1);
	assert_int_equal(enc.ncols, 1);
	assert_string_equal(enc.colname[0], "source = other");
	crm_features_free(&enc);

	/* K large, min count 1: every value a level, no other column; an
	 * unseen value falls to the reference and is counted */
	o.top_k = 10;
	o.min_count = 1;
	assert_int_equal(crm_features_learn(v, ROWS(v, 1), 1, names, &o, &enc,
					    NULL), 0);
	assert_int_equal(enc.f[0].nlevels, 6);
	assert_false(enc.f[0].has_other);
	assert_int_equal(enc.ncols, 5);
	row[0] = "never seen";
	memset(&t, 0, sizeof(t));
	assert_int_equal(crm_features_encode(&enc, row, out, &t), 1);
	assert_int_equal(t.unseen, 1);
	for (size_t c = 0; c < enc.ncols; c++)
		assert_float_equal(out[c], 0, 0);
	crm_features_free(&enc);
}

static void test_missing_indicator_and_clash(void **state)
{
	const char *v[] = { "other", "de", "other", NULL, "x", "fr",
			    "other", "de", "y", "", "x", "de" };
	const char *names[2] = { "source", "country" };
	struct crm_features_opts o = { 0, 2, NULL, 0 };
	struct crm_features enc;
	double out[8];
	const char *row[2] = { "zzz", NULL };

	(void)state;
	assert_int_equal(crm_features_learn(v, ROWS(v, 2), 2, names, &o, &enc,
					    NULL), 0);
	/* source: other 3, x 2 (levels), y 1 (other); country: de 3, fr 1,
	 * missing 2 */
	assert_string_equal(enc.colname[0], "source = x");
	assert_string_equal(enc.colname[1], "source = (other)");
	assert_string_equal(enc.colname[2], "country = other");
	assert_string_equal(enc.colname[3], "country missing");
	assert_int_equal(enc.ncols, 4);
	crm_features_encode(&enc, row, out, NULL);
	assert_true(out[0] == 0 && out[1] == 1 && out[2] == 0 && out[3] == 1);
	crm_features_free(&enc);
}

static void test_uninformative(void **state)
{
	const char *v[] = { "pro", "5", NULL, "a",
			    "pro", "5", NULL, "b",
			    "pro", "5", NULL, "c" };
	const char *names[4] = { "plan", "seats", "x", "id" };
	struct crm_features_opts o = { 0, 0, NULL, 0 };
	struct crm_features enc;
	struct crm_err e = { 0, "" };
	const char *only[] = { "pro", "pro" }, *nums[] = { "5", "5.0" };
	const char *miss[] = { NULL, "" }, *ids[] = { "a", "b", "c" };
	const char *half[] = { "7", NULL, "7" };

	(void)state;
	assert_int_equal(crm_features_learn(only, 2, 1, names, NULL, &enc, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, "feature \"plan\" has one value (\"pro\") "
				   "in every row");
	assert_int_equal(enc.ncols, 0);
	crm_features_free(&enc);
	assert_int_equal(crm_features_learn(nums, 2, 1, names + 1, NULL, &enc,
					    &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "feature \"seats\" has one value (\"5\") "
				   "in every row");
	assert_int_equal(crm_features_learn(miss, 2, 1, names + 2, NULL, &enc,
					    &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "feature \"x\" is missing in every row");
	assert_int_equal(crm_features_learn(ids, 3, 1, names + 3, NULL, &enc,
					    &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "feature \"id\" has no value in 5 or more "
				   "rows (all 3 values are other)");
	/* a number constant where present: only its missing indicator */
	assert_int_equal(crm_features_learn(half, 3, 1, names + 1, NULL, &enc,
					    &e), 0);
	assert_true(enc.f[0].sd == 0.0);
	assert_int_equal(enc.ncols, 1);
	assert_string_equal(enc.colname[0], "seats missing");
	crm_features_free(&enc);
	/* skipped instead: all four dropped, no columns, rows still encode */
	o.skip_uninformative = 1;
	assert_int_equal(crm_features_learn(v, 3, 4, names, &o, &enc, &e), 0);
	assert_int_equal(enc.ncols, 0);
	for (size_t j = 0; j < 4; j++)
		assert_true(enc.f[j].dropped);
	assert_int_equal(crm_features_encode(&enc, v, NULL, NULL), 0);
	crm_features_free(&enc);
}

static void test_edges(void **state)
{
	const char *v[2] = { "1", "2" }, *names[1] = { "a" };
	const char *nonames[1] = { NULL };
	struct crm_features enc;
	struct crm_err e = { 0, "" };
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	assert_int_equal(crm_features_learn(v, 0, 1, names, NULL, &enc, &e),
			 CRM_EX_DATAERR);
	assert_string_equal(e.msg, "no rows to learn from");
	assert_int_equal(crm_features_learn(v, 2, 1, nonames, NULL, &enc, &e),
			 CRM_EX_DATAERR);
	/* no features: no columns, saved and loaded */
	assert_int_equal(crm_features_learn(NULL, 5, 0, NULL, NULL, &enc, &e),
			 0);
	assert_int_equal(enc.ncols, 0);
	crm_features_save(&enc, &b);
	assert_string_equal(crm_buf_str(&b), "crm-features\t1\t0\nend\n");
	crm_features_free(&enc);
	assert_int_equal(crm_features_load(crm_buf_str(&b), &enc, &e), 0);
	assert_int_equal(enc.m, 0);
	crm_features_free(&enc);
	crm_features_free(&enc); /* twice: fine */
	crm_buf_free(&b);
}

/* Saved and loaded, an encoding encodes every row identically, however
 * awkward its names and values. */
static void test_save_load_round_trip(void **state)
{
	const char *names[4] = { "amount", "so\turce", "back\\slash", "flag" };
	const char *v[] = {
		"1.5", "web", "a\nb", "1",
		"2.25", "web", "a\nb", "0",
		NULL, "ref\tx", "a\nb", "1",
		"1e-3", "ref\tx", "c\r", "0",
		"7", "web", NULL, "1",
		"-0.1", "ref\tx", "c\r", "0",
		"3", "mail", "c\r", "0",
	};
	const char *probe[] = {
		"1.5", "web", "a\nb", "1",
		"x", "mail", NULL, "0",
		NULL, "tv", "c\r", "1",
		"1e300", "ref\tx", "zz", "2",
	};
	struct crm_features_opts o = { 0, 2, NULL, 0 };
	struct crm_features enc, back;
	struct crm_features_tally t1 = { 0, 0, 0 }, t2 = { 0, 0, 0 };
	struct crm_buf b = CRM_BUF_INIT, b2 = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	size_t np = ROWS(probe, 4);
	double *o1, *o2;

	(void)state;
	assert_int_equal(crm_features_learn(v, ROWS(v, 4), 4, names, &o, &enc,
					    &e), 0);
	crm_features_save(&enc, &b);
	assert_int_equal(crm_features_load(crm_buf_str(&b), &back, &e), 0);
	assert_int_equal(back.ncols, enc.ncols);
	for (size_t c = 0; c < enc.ncols; c++) {
		assert_string_equal(back.colname[c], enc.colname[c]);
		assert_int_equal(back.colfeat[c], enc.colfeat[c]);
	}
	assert_memory_equal(&back.f[0].mean, &enc.f[0].mean, sizeof(double));
	assert_memory_equal(&back.f[0].sd, &enc.f[0].sd, sizeof(double));
	o1 = calloc(np * enc.ncols, sizeof(double));
	o2 = calloc(np * enc.ncols, sizeof(double));
	assert_true(o1 && o2);
	assert_int_equal(crm_features_encode_rows(&enc, probe, np, o1, &t1),
			 crm_features_encode_rows(&back, probe, np, o2, &t2));
	assert_memory_equal(o1, o2, np * enc.ncols * sizeof(double));
	assert_memory_equal(&t1, &t2, sizeof(t1));
	/* "x" and 1e300 (standardised, still finite) vs "x" unparsed */
	assert_int_equal(t1.unparsed, 1);
	crm_features_save(&back, &b2);
	assert_string_equal(crm_buf_str(&b), crm_buf_str(&b2));
	assert_non_null(strstr(crm_buf_str(&b), "level\tref\\tx\n"));
	assert_non_null(strstr(crm_buf_str(&b), "\tso\\turce\t"));
	crm_features_free(&back);
	free(o1);
	free(o2);

	/* broken texts are refused, naming the line */
	char *cut = strdup(crm_buf_str(&b));
	assert_non_null(cut);
	cut[strlen(cut) - 4] = '\0'; /* no "end" */
	assert_int_equal(crm_features_load(cut, &back, &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "\"end\" expected"));
	assert_null(back.f);
	cut[strlen(cut) / 2] = '\0'; /* cut in the middle */
	assert_int_equal(crm_features_load(cut, &back, &e), CRM_EX_DATAERR);
	assert_int_equal(crm_features_load("crm-features\t2\t0\nend\n", &back,
					   &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "features text line 1: not a crm-features 1 "
				   "header");
	assert_int_equal(crm_features_load("crm-features\t1\t1\n"
					   "categorical\tx\\q\t0\t1\t0\nend\n",
					   &back, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "features text line 2: not a feature 1 of 1");
	assert_int_equal(crm_features_load("crm-features\t1\t1\n"
					   "numeric\tx\t1\tnan\t0\nend\n",
					   &back, &e), CRM_EX_DATAERR);
	assert_int_equal(crm_features_load("crm-features\t1\t1\n"
					   "numeric\tx\t1\t2\t1\nend\n",
					   &back, &e), 0);
	assert_int_equal(back.ncols, 2);
	assert_string_equal(back.colname[1], "x missing");
	crm_features_free(&back);
	free(cut);
	crm_features_free(&enc);
	crm_buf_free(&b);
	crm_buf_free(&b2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_number),
		cmocka_unit_test(test_kinds_and_numeric),
		cmocka_unit_test(test_top_k_other),
		cmocka_unit_test(test_missing_indicator_and_clash),
		cmocka_unit_test(test_uninformative),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_save_load_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
