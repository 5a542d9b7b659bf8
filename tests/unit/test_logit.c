/* test_logit.c - unit tests for lib/base/logit.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/features.h"
#include "base/logit.h"
#include "base/stats.h"

/* Helpers: a known model, data drawn from it, brute-force references. */

static double gauss(struct crm_rng *r)
{
	double u = crm_rng_uniform(r), v = crm_rng_uniform(r);

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

static double naive_sigmoid(long double t)
{
	return (double)(1.0L / (1.0L + expl(-t)));
}

/* The true model: three N(0,1) numbers and a category a/b/c drawn with
 * probabilities 0.5/0.3/0.2, a the reference. */
static const double TRUE_B0 = -0.5;
static const double TRUE_BETA[3] = { 1.0, -0.7, 0.4 };
static const double TRUE_CAT_B = 0.8, TRUE_CAT_C = -0.6;

struct known {
	size_t n;
	double *raw;        /* n x 3 numbers */
	int *cat;           /* n: 0 a, 1 b, 2 c */
	double *y;
	double *eta;        /* the true log-odds */
	char (*text)[32];   /* n x 4 cells */
	const char **values;
};

static void known_make(struct known *k, size_t n, uint64_t seed)
{
	struct crm_rng r;

	crm_rng_seed(&r, seed);
	k->n = n;
	k->raw = malloc(n * 3 * sizeof(double));
	k->cat = malloc(n * sizeof(int));
	k->y = malloc(n * sizeof(double));
	k->eta = malloc(n * sizeof(double));
	k->text = malloc(n * 4 * sizeof(*k->text));
	k->values = malloc(n * 4 * sizeof(char *));
	assert_true(k->raw && k->cat && k->y && k->eta && k->text &&
		    k->values);
	for (size_t i = 0; i < n; i++) {
		double eta = TRUE_B0, u;

		for (size_t j = 0; j < 3; j++) {
			k->raw[i * 3 + j] = gauss(&r);
			eta += TRUE_BETA[j] * k->raw[i * 3 + j];
			snprintf(k->text[i * 4 + j], 32, "%.17g",
				 k->raw[i * 3 + j]);
		}
		u = crm_rng_uniform(&r);
		k->cat[i] = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
		eta += k->cat[i] == 1 ? TRUE_CAT_B
		     : k->cat[i] == 2 ? TRUE_CAT_C : 0.0;
		snprintf(k->text[i * 4 + 3], 32, "%c", "abc"[k->cat[i]]);
		k->eta[i] = eta;
		k->y[i] = crm_rng_uniform(&r) < naive_sigmoid(eta);
		for (size_t j = 0; j < 4; j++)
			k->values[i * 4 + j] = k->text[i * 4 + j];
	}
}

static void known_free(struct known *k)
{
	free(k->raw);
	free(k->cat);
	free(k->y);
	free(k->eta);
	free(k->text);
	free(k->values);
}

/* Numeric design of the known model with hand-made treatment coding:
 * x1 x2 x3 [cat = b] [cat = c]. */
static double *known_design(const struct known *k)
{
	double *x = malloc(k->n * 5 * sizeof(double));

	assert_non_null(x);
	for (size_t i = 0; i < k->n; i++) {
		memcpy(x + i * 5, k->raw + i * 3, 3 * sizeof(double));
		x[i * 5 + 3] = k->cat[i] == 1;
		x[i * 5 + 4] = k->cat[i] == 2;
	}
	return x;
}

/* AUC by counting every positive-negative pair, ties 1/2. */
static double brute_auc(const double *p, const double *y, size_t n)
{
	double good = 0.0, pairs = 0.0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (y[i] == 1.0 && y[j] == 0.0) {
				pairs += 1.0;
				good += p[i] > p[j] ? 1.0 : p[i] == p[j] ? 0.5 : 0.0;
			}
	return good / pairs;
}

/* The gradient of the penalised log-likelihood, computed plainly in long
 * double: sum (y - p) (1, x) - lambda (0, beta). */
static void plain_gradient(const double *x, const double *y, const double *w,
			   size_t n, size_t d, const struct crm_logit_model *m,
			   long double *g)
{
	for (size_t a = 0; a <= d; a++)
		g[a] = 0.0L;
	for (size_t i = 0; i < n; i++) {
		long double eta = m->intercept, r;

		for (size_t j = 0; j < d; j++)
			eta += (long double)m->beta[j] * x[i * d + j];
		r = (w != NULL ? w[i] : 1.0) * (y[i] - naive_sigmoid(eta));
		g[0] += r;
		for (size_t j = 0; j < d; j++)
			g[j + 1] += r * x[i * d + j];
	}
	for (size_t j = 0; j < d; j++)
		g[j + 1] -= m->lambda * m->beta[j];
}

static void assert_finite_model(const struct crm_logit_model *m)
{
	assert_true(isfinite(m->intercept));
	assert_false(isnan(m->se_intercept));
	for (size_t j = 0; j < m->d; j++) {
		assert_true(isfinite(m->beta[j]));
		assert_false(isnan(m->se[j]));
	}
}

/* The fit recovers a known model. */

static void test_known_model(void **state)
{
	struct known tr, te;
	struct crm_features enc;
	struct crm_logit_model m;
	struct crm_logit_fit_info info;
	struct crm_err e = { 0, "" };
	const char *names[4] = { "x1", "x2", "x3", "cat" };
	double *x, *xe, *pfit, truth[6], fit[6], se[6], auc_fit, auc_true;
	size_t n = 20000;

	(void)state;
	known_make(&tr, n, 31);
	assert_int_equal(crm_features_learn(tr.values, n, 4, names, NULL, &enc,
					    &e), 0);
	assert_int_equal(enc.ncols, 5);
	assert_string_equal(enc.colname[0], "x1");
	assert_string_equal(enc.colname[3], "cat = b");
	assert_string_equal(enc.colname[4], "cat = c");
	x = malloc(n * 5 * sizeof(double));
	assert_non_null(x);
	assert_int_equal(crm_features_encode_rows(&enc, tr.values, n, x, NULL),
			 0);
	assert_int_equal(crm_logit_fit(x, tr.y, NULL, n, 5, 1e-6, &m, &info,
				       &e), 0);
	assert_true(info.converged);
	assert_false(info.separated);
	assert_false(info.singular);
	assert_true(info.iterations < 20);

	/* The true model in the encoded (standardised) columns: with
	 * z = (x - mean) / sd, b0 + beta x = (b0 + beta mean) + beta sd z. */
	truth[0] = TRUE_B0;
	for (size_t j = 0; j < 3; j++) {
		truth[0] += TRUE_BETA[j] * enc.f[j].mean;
		truth[j + 1] = TRUE_BETA[j] * enc.f[j].sd;
	}
	truth[4] = TRUE_CAT_B;
	truth[5] = TRUE_CAT_C;
	fit[0] = m.intercept;
	se[0] = m.se_intercept;
	for (size_t j = 0; j < 5; j++) {
		fit[j + 1] = m.beta[j];
		se[j + 1] = m.se[j];
	}
	for (size_t j = 0; j < 6; j++) {
		assert_true(fit[j] * truth[j] > 0.0);          /* the sign */
		assert_true(se[j] > 0.005 && se[j] < 0.1);
		if (fabs(fit[j] - truth[j]) > 3.0 * se[j])
			fail_msg("coefficient %zu: %g, true %g, se %g", j,
				 fit[j], truth[j], se[j]);
	}

	/* On a fresh sample the fit ranks nearly as well as the truth. */
	known_make(&te, n, 2);
	xe = malloc(n * 5 * sizeof(double));
	pfit = malloc(n * sizeof(double));
	assert_true(xe && pfit);
	assert_int_equal(crm_features_encode_rows(&enc, te.values, n, xe, NULL),
			 0);
	for (size_t i = 0; i < n; i++)
		pfit[i] = crm_logit_predict(&m, xe + i * 5);
	assert_int_equal(crm_logit_auc(pfit, te.y, n, &auc_fit), 0);
	assert_int_equal(crm_logit_auc(te.eta, te.y, n, &auc_true), 0);
	assert_true(auc_true > 0.7);
	if (fabs(auc_fit - auc_true) > 0.01)
		fail_msg("held-out AUC %g, true model's %g", auc_fit, auc_true);
	crm_logit_model_free(&m);
	crm_features_free(&enc);
	free(x);
	free(xe);
	free(pfit);
	known_free(&tr);
	known_free(&te);
}

/* The gradient at the optimum is 0, computed independently, with a weak
 * and a strong penalty and with weights; the standard errors match the
 * inverse of a Hessian computed here. */

static void check_optimum(const double *x, const double *y, const double *w,
			  size_t n, size_t d, double lambda)
{
	struct crm_logit_model m;
	struct crm_logit_fit_info info;
	long double g[3];

	assert_true(d <= 2);
	assert_int_equal(crm_logit_fit(x, y, w, n, d, lambda, &m, &info, NULL),
			 0);
	assert_true(info.converged);
	plain_gradient(x, y, w, n, d, &m, g);
	for (size_t a = 0; a <= d; a++)
		if (fabsl(g[a]) > 1e-7L * (long double)n)
			fail_msg("lambda %g: gradient %zu is %Lg", lambda, a,
				 g[a]);
	assert_true(info.grad_norm < 1e-7 * (double)n);
	crm_logit_model_free(&m);
}

static void test_gradient_zero(void **state)
{
	struct known k;
	double *x, *w;
	size_t n = 3000;

	(void)state;
	known_make(&k, n, 3);
	x = malloc(n * 2 * sizeof(double));
	w = malloc(n * sizeof(double));
	assert_true(x && w);
	for (size_t i = 0; i < n; i++) {
		x[i * 2] = k.raw[i * 3];
		x[i * 2 + 1] = k.raw[i * 3 + 1];
		w[i] = 0.5 + (double)(i % 4);
	}
	check_optimum(x, k.y, NULL, n, 2, 1e-6);
	check_optimum(x, k.y, NULL, n, 2, 50.0);
	check_optimum(x, k.y, w, n, 2, 3.0);
	check_optimum(x, k.y, NULL, n, 1, 0.0);
	free(x);
	free(w);
	known_free(&k);
}

/* Inverse of the 3 x 3 symmetric matrix h by cofactors: its diagonal. */
static void inv3_diag(long double h[3][3], long double out[3])
{
	long double det =
		h[0][0] * (h[1][1] * h[2][2] - h[1][2] * h[2][1]) -
		h[0][1] * (h[1][0] * h[2][2] - h[1][2] * h[2][0]) +
		h[0][2] * (h[1][0] * h[2][1] - h[1][1] * h[2][0]);

	out[0] = (h[1][1] * h[2][2] - h[1][2] * h[2][1]) / det;
	out[1] = (h[0][0] * h[2][2] - h[0][2] * h[2][0]) / det;
	out[2] = (h[0][0] * h[1][1] - h[0][1] * h[1][0]) / det;
}

static void test_standard_errors(void **state)
{
	struct known k;
	struct crm_logit_model m;
	long double h[3][3] = { { 0 } }, v[3];
	double *x, lambda = 2.0;
	size_t n = 2000;

	(void)state;
	known_make(&k, n, 4);
	x = malloc(n * 2 * sizeof(double));
	assert_non_null(x);
	for (size_t i = 0; i < n; i++) {
		x[i * 2] = k.raw[i * 3];
		x[i * 2 + 1] = k.raw[i * 3 + 2];
	}
	assert_int_equal(crm_logit_fit(x, k.y, NULL, n, 2, lambda, &m, NULL,
				       NULL), 0);
	for (size_t i = 0; i < n; i++) {
		long double xt[3] = { 1.0L, x[i * 2], x[i * 2 + 1] };
		long double eta = m.intercept + m.beta[0] * xt[1] +
				  m.beta[1] * xt[2];
		long double p = naive_sigmoid(eta);

		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				h[a][b] += p * (1.0L - p) * xt[a] * xt[b];
	}
	h[1][1] += lambda;
	h[2][2] += lambda;
	inv3_diag(h, v);
	assert_float_equal(m.se_intercept, sqrt((double)v[0]),
			   1e-9 * sqrt((double)v[0]));
	assert_float_equal(m.se[0], sqrt((double)v[1]), 1e-9 * sqrt((double)v[1]));
	assert_float_equal(m.se[1], sqrt((double)v[2]), 1e-9 * sqrt((double)v[2]));
	crm_logit_model_free(&m);
	free(x);
	known_free(&k);
}

/* Over many samples of a known model, (fit - truth) / se is about N(0,1):
 * the coefficients are unbiased and the standard errors neither too
 * small nor too large. */
static void test_z_calibrated(void **state)
{
	enum { REPS = 200, N = 2000 };
	const double tb[3] = { -0.3, 0.9, -0.5 };
	double *x = malloc(N * 2 * sizeof(double)), *y = malloc(N * sizeof(double));
	double sz[3] = { 0 }, szz[3] = { 0 };
	struct crm_rng r;

	(void)state;
	assert_true(x && y);
	crm_rng_seed(&r, 77);
	for (int rep = 0; rep < REPS; rep++) {
		struct crm_logit_model m;

		for (size_t i = 0; i < N; i++) {
			x[i * 2] = gauss(&r);
			x[i * 2 + 1] = gauss(&r);
			y[i] = crm_rng_uniform(&r) <
			       naive_sigmoid(tb[0] + tb[1] * x[i * 2] +
					     tb[2] * x[i * 2 + 1]);
		}
		assert_int_equal(crm_logit_fit(x, y, NULL, N, 2, 1e-6, &m,
					       NULL, NULL), 0);
		double f[3] = { m.intercept, m.beta[0], m.beta[1] };
		double s[3] = { m.se_intercept, m.se[0], m.se[1] };
		for (int j = 0; j < 3; j++) {
			double z = (f[j] - tb[j]) / s[j];

			sz[j] += z;
			szz[j] += z * z;
		}
		crm_logit_model_free(&m);
	}
	for (int j = 0; j < 3; j++) {
		double mean = sz[j] / REPS, sd = sqrt(szz[j] / REPS - mean * mean);

		if (fabs(mean) > 0.25 || sd < 0.85 || sd > 1.15)
			fail_msg("coefficient %d: z mean %g sd %g", j, mean, sd);
	}
	free(x);
	free(y);
}

/* Closed forms. */

/* One binary feature: the MLE intercept is the logit of group 0's
 * proportion, the slope the difference of the two groups' logits, and
 * the variances 1 / (n p (1 - p)) per group. */
static void test_binary_feature_closed_form(void **state)
{
	enum { N0 = 40, N1 = 60, N = N0 + N1 };
	struct crm_logit_model m;
	struct crm_logit_fit_info info;
	double x[N], y[N];
	double p0 = 10.0 / N0, p1 = 45.0 / N1;
	double v0 = 1.0 / (N0 * p0 * (1 - p0)), v1 = 1.0 / (N1 * p1 * (1 - p1));

	(void)state;
	for (int i = 0; i < N; i++) {
		x[i] = i >= N0;
		y[i] = i < N0 ? i < 10 : i - N0 < 45;
	}
	assert_int_equal(crm_logit_fit(x, y, NULL, N, 1, 0.0, &m, &info, NULL),
			 0);
	assert_true(info.converged);
	assert_float_equal(m.intercept, log(p0 / (1 - p0)), 1e-10);
	assert_float_equal(m.beta[0], log(p1 / (1 - p1)) - log(p0 / (1 - p0)),
			   1e-10);
	assert_float_equal(m.se_intercept, sqrt(v0), 1e-9);
	assert_float_equal(m.se[0], sqrt(v0 + v1), 1e-9);
	/* loglik: each group's binomial log-likelihood at its proportion */
	assert_float_equal(info.loglik,
			   10 * log(p0) + 30 * log(1 - p0) + 45 * log(p1) +
				   15 * log(1 - p1), 1e-9);
	crm_logit_model_free(&m);
}

/* d == 0: the intercept alone is the logit of the mean. */
static void test_intercept_only(void **state)
{
	double y[10] = { 1, 0, 0, 1, 0, 0, 0, 1, 0, 0 };
	struct crm_logit_model m;
	struct crm_logit_fit_info info;
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	assert_int_equal(crm_logit_fit(NULL, y, NULL, 10, 0, 1.0, &m, &info,
				       NULL), 0);
	assert_int_equal(m.d, 0);
	assert_float_equal(m.intercept, log(0.3 / 0.7), 1e-12);
	assert_float_equal(m.se_intercept, 1 / sqrt(10 * 0.3 * 0.7), 1e-12);
	assert_float_equal(crm_logit_predict(&m, NULL), 0.3, 1e-12);
	crm_logit_save(&m, &b);
	assert_string_equal(crm_buf_str(&b) + strlen(crm_buf_str(&b)) - 4,
			    "end\n");
	crm_logit_model_free(&m);
	assert_int_equal(crm_logit_load(crm_buf_str(&b), &m, NULL), 0);
	assert_float_equal(m.intercept, log(0.3 / 0.7), 1e-12);
	crm_logit_model_free(&m);
	crm_buf_free(&b);
	/* cross-validated too: every fold predicts its training mean */
	struct crm_logit_cv_result cv;
	assert_int_equal(crm_logit_cv(NULL, y, 10, 0, 1.0, 2, 1, &cv, NULL), 0);
	assert_float_equal(cv.auc, 0.5, 0.5);
	assert_true(isfinite(cv.log_loss) && isfinite(cv.brier));
}

/* Weight 2 on a row is the row twice. */
static void test_weights_duplicate_rows(void **state)
{
	struct known k;
	struct crm_logit_model a, b;
	double *x2, *y2, *w;
	size_t n = 500, n2 = 0;

	(void)state;
	known_make(&k, n, 5);
	x2 = malloc(2 * n * sizeof(double));
	y2 = malloc(2 * n * sizeof(double));
	w = malloc(n * sizeof(double));
	assert_true(x2 && y2 && w);
	for (size_t i = 0; i < n; i++) {
		w[i] = i % 3 == 0 ? 2.0 : 1.0;
		for (int t = 0; t < (int)w[i]; t++) {
			x2[n2] = k.raw[i * 3];
			y2[n2++] = k.y[i];
		}
	}
	/* x: column 0 of raw, read with stride 3 via a copy */
	double *x = malloc(n * sizeof(double));
	assert_non_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = k.raw[i * 3];
	assert_int_equal(crm_logit_fit(x, k.y, w, n, 1, 0.5, &a, NULL, NULL), 0);
	assert_int_equal(crm_logit_fit(x2, y2, NULL, n2, 1, 0.5, &b, NULL,
				       NULL), 0);
	assert_float_equal(a.intercept, b.intercept, 1e-9);
	assert_float_equal(a.beta[0], b.beta[0], 1e-9);
	assert_float_equal(a.se[0], b.se[0], 1e-9);
	crm_logit_model_free(&a);
	crm_logit_model_free(&b);
	free(x);
	free(x2);
	free(y2);
	free(w);
	known_free(&k);
}

/* Hard data. */

static void test_separated(void **state)
{
	double x[6] = { -2, -1, -0.5, 0.5, 1, 2 }, y[6] = { 0, 0, 0, 1, 1, 1 };
	double x2[8] = { 0, 0, 1, 0, 0, 1, 1, 1 }, y2[4] = { 0, 0, 0, 1 };
	double lambdas[3] = { 1e-2, 1e-6, 0.0 };
	struct crm_logit_model m;
	struct crm_logit_fit_info info;

	(void)state;
	for (int t = 0; t < 3; t++) {
		assert_int_equal(crm_logit_fit(x, y, NULL, 6, 1, lambdas[t], &m,
					       &info, NULL), 0);
		assert_true(info.separated);
		assert_finite_model(&m);
		assert_true(m.beta[0] > 0.0);
		assert_true(isfinite(info.loglik) && info.loglik <= 0.0);
		assert_false(isnan(info.grad_norm));
		if (lambdas[t] > 0.0) {
			/* the ridge bounds beta: lambda/2 beta^2 <= 6 log 2 */
			assert_true(0.5 * lambdas[t] * m.beta[0] * m.beta[0] <=
				    6 * log(2.0));
			assert_true(isfinite(m.se[0]));
		}
		crm_logit_model_free(&m);
	}
	/* AND of two bits: separable, two columns */
	assert_int_equal(crm_logit_fit(x2, y2, NULL, 4, 2, 1e-3, &m, &info,
				       NULL), 0);
	assert_true(info.separated);
	assert_finite_model(&m);
	assert_true(crm_logit_predict(&m, x2 + 6) > 0.5);
	assert_true(crm_logit_predict(&m, x2) < 0.5);
	crm_logit_model_free(&m);
}

static void test_refusals(void **state)
{
	double x[4] = { 1, 2, 3, 4 }, y1[4] = { 1, 1, 1, 1 };
	double y[4] = { 0, 1, 0, 1 }, bad[4] = { 0, 0.5, 0, 1 };
	double w0[4] = { 0, 0, 0, 0 }, wneg[4] = { 1, -1, 1, 1 };
	double wone[4] = { 0, 1, 0, 1 }, xnan[4] = { 1, NAN, 3, 4 };
	struct crm_logit_model m;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_logit_fit(x, y1, NULL, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "only one class"));
	assert_null(m.beta);
	assert_int_equal(crm_logit_fit(x, y, wone, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "only one class"));
	assert_int_equal(crm_logit_fit(x, y, NULL, 0, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_fit(x, bad, NULL, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "row 2"));
	assert_int_equal(crm_logit_fit(x, y, w0, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_fit(x, y, wneg, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_fit(xnan, y, NULL, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_fit(x, y, NULL, 4, 1, -1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_fit(x, y, NULL, 4, 1, NAN, &m, NULL, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_fit(NULL, y, NULL, 4, 1, 1.0, &m, NULL, &e),
			 CRM_EX_DATAERR);
	crm_logit_model_free(&m); /* empty: fine */
}

/* Two rows, one of each class, and a collinear pair of columns. */
static void test_tiny_and_collinear(void **state)
{
	double x[2] = { 0.0, 1.0 }, y[2] = { 0, 1 };
	double xc[8] = { 1, 1, 2, 2, 3, 3, 4, 4 }, yc[4] = { 0, 1, 0, 1 };
	struct crm_logit_model m;
	struct crm_logit_fit_info info;

	(void)state;
	assert_int_equal(crm_logit_fit(x, y, NULL, 2, 1, 1.0, &m, &info, NULL),
			 0);
	assert_finite_model(&m);
	assert_true(info.converged);
	crm_logit_model_free(&m);
	/* a penalty that dwarfs the data: one Newton step from beta = 0
	 * gives beta = sum (y - 1/2) x / (lambda + sum x^2 / 4), and the
	 * fit must still say it converged */
	double xs[4] = { -100, -50, 50, 100 }, ys[4] = { 0, 0, 1, 1 };
	assert_int_equal(crm_logit_fit(xs, ys, NULL, 4, 1, 1e6, &m, &info,
				       NULL), 0);
	assert_true(info.converged);
	assert_true(info.iterations < 10);
	assert_float_equal(m.beta[0], 150.0 / (1e6 + 6250.0), 1e-3 * 1.5e-4);
	assert_float_equal(m.intercept, 0.0, 1e-12);
	crm_logit_model_free(&m);
	/* identical columns: the ridge splits the weight evenly */
	assert_int_equal(crm_logit_fit(xc, yc, NULL, 4, 2, 0.1, &m, &info,
				       NULL), 0);
	assert_finite_model(&m);
	assert_float_equal(m.beta[0], m.beta[1], 1e-9);
	crm_logit_model_free(&m);
	/* without one, no optimum is unique: still finite, singular */
	assert_int_equal(crm_logit_fit(xc, yc, NULL, 4, 2, 0.0, &m, &info,
				       NULL), 0);
	assert_true(isfinite(m.beta[0]) && isfinite(m.beta[1]));
	assert_true(info.singular);
	assert_true(isinf(m.se[0]));
	crm_logit_model_free(&m);
}

static void test_predict_explain(void **state)
{
	double beta[3] = { 0.5, -1.0, 2.0 }, se[3] = { 0, 0, 0 };
	struct crm_logit_model m = { 3, 1.0, -0.25, 0.0, beta, se };
	double row[3] = { 2.0, 1.0, -0.5 }, c[3], eta, big[3] = { 1e6, 0, 0 };

	(void)state;
	eta = crm_logit_explain(&m, row, c);
	assert_float_equal(c[0], 1.0, 0);
	assert_float_equal(c[1], -1.0, 0);
	assert_float_equal(c[2], -1.0, 0);
	assert_float_equal(eta, -1.25, 1e-15);
	assert_float_equal(crm_logit_predict(&m, row), 1 / (1 + exp(1.25)),
			   1e-15);
	assert_float_equal(crm_logit_predict(&m, big), 1.0, 0);
	big[0] = -1e6;
	assert_float_equal(crm_logit_predict(&m, big), 0.0, 0);
}

/* Metrics. */

static void test_auc_ties(void **state)
{
	double p[10] = { 0.1, 0.4, 0.4, 0.35, 0.8, 0.8, 0.8, 0.2, 0.9, 0.4 };
	double y[10] = { 0, 0, 1, 1, 1, 0, 1, 0, 1, 1 };
	double auc, v[300], l[300];
	struct crm_rng r;

	(void)state;
	assert_int_equal(crm_logit_auc(p, y, 10, &auc), 0);
	assert_float_equal(auc, brute_auc(p, y, 10), 1e-15);
	/* by hand: 6 positives, 4 negatives, 24 pairs; 18 won */
	assert_float_equal(auc, 18.0 / 24.0, 1e-15);
	crm_rng_seed(&r, 9);
	for (int rep = 0; rep < 5; rep++) {
		for (int i = 0; i < 300; i++) {
			v[i] = floor(crm_rng_uniform(&r) * 7) / 7;
			l[i] = crm_rng_uniform(&r) < 0.3 + 0.4 * v[i];
		}
		assert_int_equal(crm_logit_auc(v, l, 300, &auc), 0);
		assert_float_equal(auc, brute_auc(v, l, 300), 1e-12);
	}
	/* all tied: 1/2; perfect; reversed */
	double flat[4] = { 1, 1, 1, 1 }, yy[4] = { 0, 1, 0, 1 };
	double up[4] = { 0, 3, 1, 2 }, down[4] = { 3, 0, 2, 1 };
	assert_int_equal(crm_logit_auc(flat, yy, 4, &auc), 0);
	assert_float_equal(auc, 0.5, 0);
	assert_int_equal(crm_logit_auc(up, yy, 4, &auc), 0);
	assert_float_equal(auc, 1.0, 0);
	assert_int_equal(crm_logit_auc(down, yy, 4, &auc), 0);
	assert_float_equal(auc, 0.0, 0);
	/* refusals */
	double one[4] = { 1, 1, 1, 1 }, withnan[4] = { 0, NAN, 1, 2 };
	assert_int_equal(crm_logit_auc(up, one, 4, &auc), CRM_EX_DATAERR);
	assert_int_equal(crm_logit_auc(withnan, yy, 4, &auc), CRM_EX_DATAERR);
	assert_int_equal(crm_logit_auc(up, yy, 0, &auc), CRM_EX_DATAERR);
}

static void test_log_loss_brier(void **state)
{
	double p[4] = { 0.9, 0.2, 0.6, 0.0 }, y[4] = { 1, 0, 0, 1 };
	double bad[4] = { 0.9, 1.2, 0.6, 0.0 }, v;

	(void)state;
	assert_int_equal(crm_logit_log_loss(p, y, 4, &v), 0);
	assert_float_equal(v, -(log(0.9) + log(0.8) + log(0.4) + log(1e-15)) / 4,
			   1e-12);
	assert_int_equal(crm_logit_brier(p, y, 4, &v), 0);
	assert_float_equal(v, (0.01 + 0.04 + 0.36 + 1.0) / 4, 1e-15);
	assert_int_equal(crm_logit_log_loss(bad, y, 4, &v), CRM_EX_DATAERR);
	assert_int_equal(crm_logit_brier(bad, y, 4, &v), CRM_EX_DATAERR);
	assert_int_equal(crm_logit_brier(p, y, 0, &v), CRM_EX_DATAERR);
}

/* Cross-validation. */

static void test_cv(void **state)
{
	struct known k;
	struct crm_logit_cv_result a, b, c;
	struct crm_err e = { 0, "" };
	double *x, auc_true, ll_true = 0.0, *pt;
	size_t n = 5000;

	(void)state;
	known_make(&k, n, 6);
	x = known_design(&k);
	pt = malloc(n * sizeof(double));
	assert_non_null(pt);
	for (size_t i = 0; i < n; i++)
		pt[i] = naive_sigmoid(k.eta[i]);
	assert_int_equal(crm_logit_auc(pt, k.y, n, &auc_true), 0);
	assert_int_equal(crm_logit_log_loss(pt, k.y, n, &ll_true), 0);
	assert_int_equal(crm_logit_cv(x, k.y, n, 5, 1e-3, 5, 42, &a, &e), 0);
	assert_int_equal(crm_logit_cv(x, k.y, n, 5, 1e-3, 5, 42, &b, &e), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(crm_logit_cv(x, k.y, n, 5, 1e-3, 5, 43, &c, &e), 0);
	assert_true(a.auc != c.auc);
	assert_int_equal(a.folds, 5);
	assert_int_equal(a.separated, 0);
	assert_int_equal(a.unconverged, 0);
	if (fabs(a.auc - auc_true) > 0.01)
		fail_msg("cv AUC %g, true model's %g", a.auc, auc_true);
	assert_true(fabs(a.log_loss - ll_true) < 0.01);
	assert_true(a.brier > 0.1 && a.brier < 0.25);
	/* refusals */
	assert_int_equal(crm_logit_cv(x, k.y, n, 5, 1e-3, 1, 42, &c, &e),
			 CRM_EX_DATAERR);
	double y3[6] = { 1, 0, 0, 0, 0, 1 };
	assert_int_equal(crm_logit_cv(x, y3, 6, 5, 1e-3, 3, 42, &c, &e),
			 CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "class 1 has 2"));
	free(pt);
	free(x);
	known_free(&k);
}

/* Saving. */

static void test_save_load(void **state)
{
	double beta[3] = { 0.1, -1.0 / 3.0, 6.02214076e23 };
	double se[3] = { 1e-300, INFINITY, 0.7 };
	struct crm_logit_model m = { 3, 1e-6, -M_PI, 0.01, beta, se }, r;
	struct crm_buf b = CRM_BUF_INIT, b2 = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	char *cut;

	(void)state;
	crm_logit_save(&m, &b);
	assert_int_equal(crm_logit_load(crm_buf_str(&b), &r, &e), 0);
	assert_int_equal(r.d, 3);
	assert_memory_equal(&r.lambda, &m.lambda, sizeof(double));
	assert_memory_equal(&r.intercept, &m.intercept, sizeof(double));
	assert_memory_equal(&r.se_intercept, &m.se_intercept, sizeof(double));
	assert_memory_equal(r.beta, beta, sizeof(beta));
	assert_memory_equal(r.se, se, sizeof(se));
	crm_logit_save(&r, &b2);
	assert_string_equal(crm_buf_str(&b), crm_buf_str(&b2));
	crm_logit_model_free(&r);
	/* a truncated text, a bad number, another version */
	cut = strdup(crm_buf_str(&b));
	assert_non_null(cut);
	cut[strlen(cut) - 4] = '\0';
	assert_int_equal(crm_logit_load(cut, &r, &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, "line 8"));
	assert_null(r.beta);
	assert_int_equal(crm_logit_load("crm-logit\t2\n", &r, &e),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_logit_load("crm-logit\t1\nd\t1\nlambda\t1\n"
					"intercept\t0\t1\nbeta\t1\tnan\t1\nend\n",
					&r, &e), CRM_EX_DATAERR);
	assert_int_equal(crm_logit_load("crm-logit\t1\nd\t1\nlambda\t1\n"
					"intercept\t0\t1\nbeta\t1\t2\t1\nend\n",
					&r, &e), 0);
	assert_float_equal(r.beta[0], 2.0, 0);
	crm_logit_model_free(&r);
	free(cut);
	crm_buf_free(&b);
	crm_buf_free(&b2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_model),
		cmocka_unit_test(test_gradient_zero),
		cmocka_unit_test(test_standard_errors),
		cmocka_unit_test(test_z_calibrated),
		cmocka_unit_test(test_binary_feature_closed_form),
		cmocka_unit_test(test_intercept_only),
		cmocka_unit_test(test_weights_duplicate_rows),
		cmocka_unit_test(test_separated),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_tiny_and_collinear),
		cmocka_unit_test(test_predict_explain),
		cmocka_unit_test(test_auc_ties),
		cmocka_unit_test(test_log_loss_brier),
		cmocka_unit_test(test_cv),
		cmocka_unit_test(test_save_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
