/* test_simulate.c - unit tests for lib/base/simulate.c: the Monte Carlo
 * forecast against its closed forms and against exact distributions
 * enumerated here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/simulate.h"
#include "base/stats.h"

/* ---- helpers ---- */

static double gauss(struct crm_rng *r)
{
	double u = 1.0 - crm_rng_uniform(r), v = crm_rng_uniform(r);

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* n deals in one period: values log-normal around 1,000.00 (minor units),
 * p from the mix: 0 uniform in (0, 1), 1 small (0 to 0.05, geometric
 * skips), 2 large (0.95 to 1, skips over losses). */
static struct crm_simulate_deal *make_deals(size_t n, int mix, uint64_t seed)
{
	struct crm_simulate_deal *d = calloc(n, sizeof(*d));
	struct crm_rng r;

	assert_non_null(d);
	crm_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++) {
		double u = crm_rng_uniform(&r);

		d[i].period = 0;
		d[i].value = (int64_t)llround(100000.0 * exp(gauss(&r)));
		d[i].p = mix == 0 ? u : mix == 1 ? 0.05 * u : 0.95 + 0.05 * u;
	}
	return d;
}

/* Closed forms computed here, independently of simulate.c. */
static void closed_form(const struct crm_simulate_deal *d, size_t n,
			int period, double *mean, double *var)
{
	long double m = 0, v = 0;

	for (size_t i = 0; i < n; i++) {
		long double x = (long double)d[i].value, p = d[i].p;

		if (d[i].period != period)
			continue;
		m += x * p;
		v += x * x * p * (1 - p);
	}
	*mean = (double)m;
	*var = (double)v;
}

/* The mean within 4 standard errors of the closed form and the variance
 * within 10% of it; the period's own closed forms agree with ours. */
static void moments_ok(const struct crm_simulate_deal *d, size_t n,
		       const struct crm_simulate_period *p, size_t runs)
{
	double mean, var;

	closed_form(d, n, 0, &mean, &var);
	assert_true(fabs(p->cf_mean - mean) <= 1e-9 * mean);
	assert_true(fabs(p->cf_var - var) <= 1e-9 * var);
	if (fabs(p->mean - mean) > 4.0 * sqrt(var / (double)runs))
		fail_msg("mean %.2f, closed form %.2f, 4 se %.2f", p->mean, mean,
			 4.0 * sqrt(var / (double)runs));
	if (fabs(p->var / var - 1.0) > 0.10)
		fail_msg("variance %.6g, closed form %.6g (ratio %.4f)", p->var,
			 var, p->var / var);
	assert_true(p->p10 <= p->p50);
	assert_true(p->p50 <= p->p90);
}

/* Mean and sample variance of totals, computed here. */
static void totals_moments(const int64_t *t, size_t runs, double *mean,
			   double *var)
{
	long double s = 0, ss = 0;

	for (size_t r = 0; r < runs; r++)
		s += (long double)t[r];
	s /= (long double)runs;
	for (size_t r = 0; r < runs; r++)
		ss += ((long double)t[r] - s) * ((long double)t[r] - s);
	*mean = (double)s;
	*var = (double)(ss / (long double)(runs - 1));
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

static void bad(const struct crm_simulate_deal *d, size_t n, size_t np,
		const char *want)
{
	struct crm_simulate_period out[4];
	struct crm_simulate_opts o = { 100, 1, 0, 0 };
	struct crm_err e = { 0, "" };
	int rc;

	memset(out, 0x5a, sizeof(out));
	rc = crm_simulate_forecast(d, n, np, &o, out, NULL, &e);
	assert_int_equal(rc, CRM_EX_DATAERR);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	if (want != NULL && strcmp(e.msg, want) != 0)
		fail_msg("message \"%s\", want \"%s\"", e.msg, want);
	/* nothing written */
	assert_int_equal(out[0].deals, (size_t)0x5a5a5a5a5a5a5a5a);
}

/* ---- moments against the closed forms ---- */

static void simulate__exact_mixed__moments_match_closed_form(void **state)
{
	size_t n = 600, runs = 10000;
	struct crm_simulate_deal *d = make_deals(n, 0, 1);
	struct crm_simulate_period p;
	struct crm_simulate_opts o = { runs, 5, 0, 0 };

	(void)state;
	/* a third of the deals with small p, a third with large */
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 1)
			d[i].p *= 0.05;
		else if (i % 3 == 2)
			d[i].p = 1.0 - 0.05 * d[i].p;
	}
	assert_int_equal(crm_simulate_forecast(d, n, 1, &o, &p, NULL, NULL), 0);
	assert_int_equal(p.deals, n);
	assert_int_equal(p.normal, 0);
	assert_true(p.bound == 0.0);
	moments_ok(d, n, &p, runs);
	free(d);
}

static void simulate__geometric_deals__moments_match(void **state)
{
	size_t n = 3000, runs = 10000;
	struct crm_simulate_period p;
	struct crm_simulate_opts o = { runs, 9, 0, 0 };

	(void)state;
	for (int mix = 1; mix <= 2; mix++) {
		struct crm_simulate_deal *d = make_deals(n, mix, 2);

		assert_int_equal(crm_simulate_forecast(d, n, 1, &o, &p, NULL,
						       NULL),
				 0);
		assert_int_equal(p.normal, 0); /* cheap: drawn exactly */
		moments_ok(d, n, &p, runs);
		free(d);
	}
}

static void simulate__split_period__moments_match(void **state)
{
	size_t n = 20000, runs = 10000;
	struct crm_simulate_deal *d = make_deals(n, 0, 3);
	struct crm_simulate_period p;
	struct crm_simulate_opts o = { runs, 6, 0, 0 };

	(void)state;
	assert_int_equal(crm_simulate_forecast(d, n, 1, &o, &p, NULL, NULL), 0);
	assert_true(p.normal > 0);
	assert_int_equal(p.drawn + p.normal, n);
	assert_true(p.drawn > 0); /* heavy log-normal deals taken out */
	assert_true(p.bound > 0.0 && p.bound < 0.05);
	moments_ok(d, n, &p, runs);
	free(d);
}

/* The reported mean, variance and percentiles are those of the totals. */
static void simulate__totals_out__summaries_are_theirs(void **state)
{
	size_t n = 5000, runs = 2001;
	struct crm_simulate_deal *d = make_deals(n, 0, 4);
	struct crm_simulate_period p;
	struct crm_simulate_opts o = { runs, 3, 1000, 200 };
	int64_t *t = malloc(runs * sizeof(*t));
	double mean, var;

	(void)state;
	assert_non_null(t);
	assert_int_equal(crm_simulate_forecast(d, n, 1, &o, &p, t, NULL), 0);
	assert_true(p.normal > 0);
	totals_moments(t, runs, &mean, &var);
	assert_true(fabs(p.mean - mean) <= 1e-9 * mean);
	assert_true(fabs(p.var - var) <= 1e-9 * var);
	qsort(t, runs, sizeof(*t), cmp_i64);
	/* nearest rank: ceil(q * 2001 / 100) = 201, 1001, 1801 */
	assert_int_equal(p.p10, t[200]);
	assert_int_equal(p.p50, t[1000]);
	assert_int_equal(p.p90, t[1800]);
	free(t);
	free(d);
}

/* ---- the split against the exact draw ---- */

static void simulate__split_vs_exact__percentiles_close(void **state)
{
	size_t n = 8000, runs = 10000;
	struct crm_simulate_deal *d = make_deals(n, 0, 5);
	struct crm_simulate_period a, b;
	struct crm_simulate_opts exact = { runs, 1, 100000, 0 };
	struct crm_simulate_opts split = { runs, 2, 1000, 300 };
	double sd;

	(void)state;
	assert_int_equal(crm_simulate_forecast(d, n, 1, &exact, &a, NULL, NULL),
			 0);
	assert_int_equal(crm_simulate_forecast(d, n, 1, &split, &b, NULL, NULL),
			 0);
	assert_int_equal(a.normal, 0);
	assert_true(b.normal > 0);
	sd = sqrt(a.cf_var);
	/* a quantile's sampling error is ~0.017 sd at 10,000 runs; the
	 * difference of two, ~0.024 sd: 0.15 sd is 6 of those */
	assert_true(fabs((double)(b.p10 - a.p10)) < 0.15 * sd);
	assert_true(fabs((double)(b.p50 - a.p50)) < 0.15 * sd);
	assert_true(fabs((double)(b.p90 - a.p90)) < 0.15 * sd);
	free(d);
}

/* ---- percentiles against an enumerated distribution ---- */

/* Four deals: the 16 outcomes enumerated give the model's CDF; where it
 * passes 10%, 50% and 90% well away from a jump (checked), 40,000 runs
 * give exactly the model's percentiles. */
static void simulate__four_deals__percentiles_of_exact_distribution(void **state)
{
	static const struct crm_simulate_deal d[4] = {
		{ 0, 100, 0.3 }, { 0, 250, 0.55 }, { 0, 700, 0.75 }, { 0, 1300, 0.4 },
	};
	int64_t val[16];
	double prob[16];
	int64_t want[3];
	static const double lev[3] = { 0.10, 0.50, 0.90 };
	struct crm_simulate_period p;
	struct crm_simulate_opts o = { 40000, 77, 0, 0 };

	(void)state;
	for (int s = 0; s < 16; s++) {
		val[s] = 0;
		prob[s] = 1.0;
		for (int i = 0; i < 4; i++) {
			if (s & (1 << i)) {
				val[s] += d[i].value;
				prob[s] *= d[i].p;
			} else {
				prob[s] *= 1.0 - d[i].p;
			}
		}
	}
	for (int q = 0; q < 3; q++) {
		/* the smallest value whose CDF reaches the level */
		int64_t best = INT64_MAX;

		for (int s = 0; s < 16; s++) {
			double cdf = 0.0;

			for (int t = 0; t < 16; t++)
				if (val[t] <= val[s])
					cdf += prob[t];
			if (cdf >= lev[q] && val[s] < best)
				best = val[s];
			/* no CDF value within 0.02 of the level (8 standard
			 * errors at 40,000 runs), so sampling cannot move the
			 * result */
			assert_true(fabs(cdf - lev[q]) > 0.02);
		}
		want[q] = best;
	}
	assert_int_equal(crm_simulate_forecast(d, 4, 1, &o, &p, NULL, NULL), 0);
	assert_int_equal(p.p10, want[0]);
	assert_int_equal(p.p50, want[1]);
	assert_int_equal(p.p90, want[2]);
}

/* ---- certain deals, empty periods, determinism ---- */

static void simulate__sure_and_hopeless_deals__exact_values(void **state)
{
	static const struct crm_simulate_deal d[] = {
		{ 0, 123456, 1.0 },
		{ 1, 999999, 0.0 },
		{ 2, 5000, 1.0 }, { 2, 7000, 0.0 }, { 2, 0, 0.5 },
	};
	struct crm_simulate_period p[3];
	struct crm_simulate_opts o = { 1000, 1, 0, 0 };

	(void)state;
	assert_int_equal(crm_simulate_forecast(d, 5, 3, &o, p, NULL, NULL), 0);
	assert_int_equal(p[0].p10, 123456);
	assert_int_equal(p[0].p50, 123456);
	assert_int_equal(p[0].p90, 123456);
	assert_true(p[0].mean == 123456.0);
	assert_true(p[0].var == 0.0);
	assert_true(p[0].cf_mean == 123456.0);
	assert_true(p[0].cf_var == 0.0);
	assert_int_equal(p[0].drawn, 0);
	assert_int_equal(p[1].p10, 0);
	assert_int_equal(p[1].p50, 0);
	assert_int_equal(p[1].p90, 0);
	assert_true(p[1].mean == 0.0);
	assert_int_equal(p[1].deals, 1);
	assert_int_equal(p[2].p10, 5000);
	assert_int_equal(p[2].p90, 5000);
	assert_true(p[2].mean == 5000.0);
	assert_int_equal(p[2].deals, 3);
}

static void simulate__empty_period__zeros(void **state)
{
	static const struct crm_simulate_deal d[] = {
		{ 0, 1000, 0.5 }, { 2, 2000, 0.5 },
	};
	struct crm_simulate_period p[4];
	struct crm_simulate_opts o = { 500, 1, 0, 0 };

	(void)state;
	memset(p, 0x33, sizeof(p));
	assert_int_equal(crm_simulate_forecast(d, 2, 4, &o, p, NULL, NULL), 0);
	for (int k = 1; k <= 3; k += 2) {
		assert_int_equal(p[k].deals, 0);
		assert_int_equal(p[k].drawn, 0);
		assert_int_equal(p[k].normal, 0);
		assert_int_equal(p[k].p10, 0);
		assert_int_equal(p[k].p50, 0);
		assert_int_equal(p[k].p90, 0);
		assert_true(p[k].mean == 0.0 && p[k].var == 0.0);
		assert_true(p[k].cf_mean == 0.0 && p[k].cf_var == 0.0);
		assert_true(p[k].bound == 0.0);
	}
	assert_true(p[0].p90 == 1000 && p[2].p90 == 2000);
	/* no deals at all */
	assert_int_equal(crm_simulate_forecast(NULL, 0, 4, &o, p, NULL, NULL), 0);
	assert_int_equal(p[0].p50, 0);
	assert_int_equal(crm_simulate_forecast(NULL, 0, 0, &o, NULL, NULL, NULL),
			 0);
}

static void simulate__same_seed__same_result(void **state)
{
	size_t n = 9000, runs = 3000;
	struct crm_simulate_deal *d = make_deals(n, 0, 6);
	struct crm_simulate_period a[3], b[3], c[3];
	struct crm_simulate_opts o = { runs, 42, 2000, 500 };
	int64_t *ta = malloc(3 * runs * sizeof(*ta));
	int64_t *tb = malloc(3 * runs * sizeof(*tb));

	(void)state;
	assert_non_null(ta);
	assert_non_null(tb);
	for (size_t i = 0; i < n; i++)
		d[i].period = (int)(i % 3);
	assert_int_equal(crm_simulate_forecast(d, n, 3, &o, a, ta, NULL), 0);
	assert_int_equal(crm_simulate_forecast(d, n, 3, &o, b, tb, NULL), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(ta, tb, 3 * runs * sizeof(*ta));
	o.seed = 43;
	assert_int_equal(crm_simulate_forecast(d, n, 3, &o, c, NULL, NULL), 0);
	assert_true(c[0].p50 != a[0].p50 || c[0].mean != a[0].mean);
	/* a period's result does not depend on other periods' deals */
	o.seed = 42;
	for (size_t i = 0; i < n; i++)
		if (d[i].period == 2)
			d[i].p = 1.0;
	assert_int_equal(crm_simulate_forecast(d, n, 3, &o, c, NULL, NULL), 0);
	assert_memory_equal(&c[0], &a[0], sizeof(a[0]));
	assert_memory_equal(&c[1], &a[1], sizeof(a[1]));
	free(ta);
	free(tb);
	free(d);
}

static void simulate__default_opts__ten_thousand_runs(void **state)
{
	static const struct crm_simulate_deal d[] = { { 0, 100, 0.5 } };
	struct crm_simulate_period p;
	int64_t *t = malloc(CRM_SIMULATE_RUNS * sizeof(*t));
	size_t won = 0;

	(void)state;
	assert_non_null(t);
	assert_int_equal(crm_simulate_forecast(d, 1, 1, NULL, &p, t, NULL), 0);
	for (size_t r = 0; r < CRM_SIMULATE_RUNS; r++) {
		assert_true(t[r] == 0 || t[r] == 100);
		won += t[r] == 100;
	}
	/* Binomial(10000, 0.5): sd 50 */
	assert_true(won > 4800 && won < 5200);
	assert_true(fabs(p.mean - (double)won / 100.0) < 1e-9);
	free(t);
}

static void simulate__big_values__no_overflow(void **state)
{
	/* two deals adding up to INT64_MAX */
	struct crm_simulate_deal d[2] = {
		{ 0, INT64_MAX / 2, 0.5 }, { 0, INT64_MAX - INT64_MAX / 2, 1.0 },
	};
	struct crm_simulate_period p;
	struct crm_simulate_opts o = { 1000, 1, 0, 0 };

	(void)state;
	assert_int_equal(crm_simulate_forecast(d, 2, 1, &o, &p, NULL, NULL), 0);
	assert_int_equal(p.p90, INT64_MAX);
	assert_int_equal(p.p10, INT64_MAX - INT64_MAX / 2);
	d[1].value++;
	bad(d, 2, 1, "period 0: the deals' values add up beyond 9223372036854775807 minor units");
}

/* ---- refused input ---- */

static void simulate__bad_input__dataerr(void **state)
{
	struct crm_simulate_deal d[2] = { { 0, 100, 0.5 }, { 0, 100, 0.5 } };

	(void)state;
	d[1].p = 1.5;
	bad(d, 2, 1, "deal 1: win probability 1.5 is not in [0, 1]");
	d[1].p = -0.01;
	bad(d, 2, 1, "deal 1: win probability -0.01 is not in [0, 1]");
	d[1].p = NAN;
	bad(d, 2, 1, "deal 1: win probability nan is not in [0, 1]");
	d[1].p = INFINITY;
	bad(d, 2, 1, NULL);
	d[1].p = 0.5;
	d[1].period = -1;
	bad(d, 2, 1, "deal 1: period -1 is not in 0..0");
	d[1].period = 3;
	bad(d, 2, 3, "deal 1: period 3 is not in 0..2");
	d[1].period = 0;
	bad(d, 2, 0, "deal 0: period 0, but there are no periods");
	d[0].value = -5;
	bad(d, 2, 1, "deal 0: negative value -5");
	d[0].value = 100;
	bad(NULL, 2, 1, NULL);
	assert_int_equal(crm_simulate_forecast(d, 2, 1, NULL, NULL, NULL, NULL),
			 CRM_EX_DATAERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simulate__exact_mixed__moments_match_closed_form),
		cmocka_unit_test(simulate__geometric_deals__moments_match),
		cmocka_unit_test(simulate__split_period__moments_match),
		cmocka_unit_test(simulate__totals_out__summaries_are_theirs),
		cmocka_unit_test(simulate__split_vs_exact__percentiles_close),
		cmocka_unit_test(simulate__four_deals__percentiles_of_exact_distribution),
		cmocka_unit_test(simulate__sure_and_hopeless_deals__exact_values),
		cmocka_unit_test(simulate__empty_period__zeros),
		cmocka_unit_test(simulate__same_seed__same_result),
		cmocka_unit_test(simulate__default_opts__ten_thousand_runs),
		cmocka_unit_test(simulate__big_values__no_overflow),
		cmocka_unit_test(simulate__bad_input__dataerr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
