/* logit_eval.c - how good a logistic model is: AUC, log-loss, Brier
 * score, and k-fold cross-validation (declared in logit.h).
 *
 * The AUC is the Mann-Whitney statistic: with R the sum of the ranks of
 * the n1 positives among all n scores (ties given the mean of their
 * ranks), AUC = (R - n1 (n1 + 1) / 2) / (n1 n0), which counts a tied
 * positive-negative pair 1/2. Ranks and their sums are whole or half
 * numbers below 2^53 for any n that fits in memory, so R is exact.
 */
#include "base/logit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "base/xalloc.h"

#define CLIP 1e-15     /* log-loss clipping */

/* Metrics. */

static int check_labels(const double *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (y[i] != 0.0 && y[i] != 1.0)
			return -1;
	return 0;
}

static int check_probs(const double *p, const double *y, size_t n)
{
	if (p == NULL || y == NULL || n == 0 || check_labels(y, n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(p[i] >= 0.0 && p[i] <= 1.0))
			return -1;
	return 0;
}

struct scored {
	double p;
	int y;
};

static int cmp_scored(const void *pa, const void *pb)
{
	const struct scored *a = pa, *b = pb;

	return (a->p > b->p) - (a->p < b->p);
}

int crm_logit_auc(const double *p, const double *y, size_t n, double *out)
{
	struct scored *s;
	double n1 = 0.0, ranks = 0.0;

	if (p == NULL || y == NULL || out == NULL || n == 0 ||
	    check_labels(y, n) != 0)
		return CRM_EX_DATAERR;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			return CRM_EX_DATAERR;
		n1 += y[i];
	}
	if (n1 == 0.0 || n1 == (double)n)
		return CRM_EX_DATAERR;
	s = xreallocarray(NULL, n, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		s[i].p = p[i];
		s[i].y = y[i] != 0.0;
	}
	qsort(s, n, sizeof(*s), cmp_scored);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1, pos = 0;

		while (j < n && s[j].p == s[i].p)
			j++;
		for (size_t t = i; t < j; t++)
			pos += (size_t)s[t].y;
		/* ranks i+1 .. j, averaged over the block */
		ranks += (double)pos * ((double)(i + 1) + (double)j) / 2.0;
		i = j;
	}
	free(s);
	*out = (ranks - n1 * (n1 + 1.0) / 2.0) / (n1 * ((double)n - n1));
	return 0;
}

int crm_logit_log_loss(const double *p, const double *y, size_t n,
		       double *out)
{
	double s = 0.0;

	if (out == NULL || check_probs(p, y, n) != 0)
		return CRM_EX_DATAERR;
	for (size_t i = 0; i < n; i++) {
		double pi = fmin(fmax(p[i], CLIP), 1.0 - CLIP);

		s -= y[i] != 0.0 ? log(pi) : log1p(-pi);
	}
	*out = s / (double)n;
	return 0;
}

int crm_logit_brier(const double *p, const double *y, size_t n, double *out)
{
	double s = 0.0;

	if (out == NULL || check_probs(p, y, n) != 0)
		return CRM_EX_DATAERR;
	for (size_t i = 0; i < n; i++)
		s += (p[i] - y[i]) * (p[i] - y[i]);
	*out = s / (double)n;
	return 0;
}

/* Cross-validation. */

static void shuffle(size_t *v, size_t n, struct crm_rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)crm_rng_below(r, i), t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

int crm_logit_cv(const double *x, const double *y, size_t n, size_t d,
		 double lambda, size_t k_folds, uint64_t seed,
		 struct crm_logit_cv_result *out, struct crm_err *e)
{
	struct crm_rng rng;
	size_t n1 = 0, *idx, *fold, c = 0;
	double *xt, *yt, *oof;
	int rc = 0;

	if (out == NULL || y == NULL || (x == NULL && d > 0) || n == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "no data to cross-validate");
	memset(out, 0, sizeof(*out));
	if (k_folds < 2)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "cross-validation needs 2 folds or more");
	if (check_labels(y, n) != 0)
		return crm_err_set(e, CRM_EX_DATAERR, "a label is not 0 or 1");
	if (d > 0 && n > SIZE_MAX / d / sizeof(double))
		return crm_err_set(e, CRM_EX_DATAERR, "too many rows");
	for (size_t i = 0; i < n; i++)
		n1 += y[i] != 0.0;
	if (n1 < k_folds || n - n1 < k_folds)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "%zu folds need %zu rows of each class (class "
				   "%d has %zu)", k_folds, k_folds,
				   n1 < k_folds ? 1 : 0,
				   n1 < k_folds ? n1 : n - n1);
	/* idx: the class-1 rows, then the class-0 rows, each shuffled. */
	idx = xreallocarray(NULL, n, sizeof(*idx));
	fold = xreallocarray(NULL, n, sizeof(*fold));
	for (size_t i = 0, a = 0, b = n1; i < n; i++)
		idx[y[i] != 0.0 ? a++ : b++] = i;
	crm_rng_seed(&rng, seed);
	shuffle(idx, n1, &rng);
	shuffle(idx + n1, n - n1, &rng);
	for (size_t t = 0; t < n; t++)
		fold[idx[t]] = c++ % k_folds;
	free(idx);
	xt = xreallocarray(NULL, n * (d > 0 ? d : 1), sizeof(*xt));
	yt = xreallocarray(NULL, n, sizeof(*yt));
	oof = xreallocarray(NULL, n, sizeof(*oof));
	for (size_t k = 0; k < k_folds && rc == 0; k++) {
		struct crm_logit_model m;
		struct crm_logit_fit_info fi;
		size_t nt = 0;

		for (size_t i = 0; i < n; i++) {
			if (fold[i] == k)
				continue;
			if (d > 0)
				memcpy(xt + nt * d, x + i * d, d * sizeof(*xt));
			yt[nt++] = y[i];
		}
		rc = crm_logit_fit(xt, yt, NULL, nt, d, lambda, &m, &fi, e);
		if (rc != 0) {
			crm_err_prefix(e, "fold %zu of %zu", k + 1, k_folds);
			break;
		}
		out->separated += fi.separated != 0;
		out->unconverged += fi.converged == 0;
		for (size_t i = 0; i < n; i++)
			if (fold[i] == k)
				oof[i] = crm_logit_predict(
					&m, d > 0 ? x + i * d : x);
		crm_logit_model_free(&m);
	}
	if (rc == 0) {
		out->folds = k_folds;
		crm_logit_auc(oof, y, n, &out->auc);
		crm_logit_log_loss(oof, y, n, &out->log_loss);
		crm_logit_brier(oof, y, n, &out->brier);
	}
	free(fold);
	free(xt);
	free(yt);
	free(oof);
	return rc;
}
