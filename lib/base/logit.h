/* logit.h - L2-regularised logistic regression, its metrics and k-fold
 * cross-validation: crm-lead's lead scoring, later crm-report's churn.
 *
 * Plain C over libc and libm, in the manner of stats.h. A data set is a
 * row-major n x d array of doubles (row i, column j is x[i * d + j]; the
 * columns of features.h's encoding, standardised), labels y[i] are 0 or 1
 * exactly, and weights w[i] (or NULL for all 1) are finite and >= 0. The
 * model is
 *     P(y = 1 | x) = 1 / (1 + exp(-(b0 + beta . x)))
 * with b0 the intercept. Fitting maximises the penalised log-likelihood
 *     sum_i w_i (y_i log p_i + (1 - y_i) log(1 - p_i)) - lambda/2 |beta|^2
 * (the intercept is not penalised). The output of a fitted model is the
 * probability itself: logistic regression fits probabilities by maximum
 * likelihood, which keeps them calibrated on the scale of the training
 * data (a ridge pulls them towards the base rate), so no separate
 * calibration step follows. Scores are comparable across rows, not across
 * models fitted with different lambdas.
 *
 * Functions borrow their inputs, write only to the outputs passed, keep
 * nothing and never print. Those that can fail return 0, or
 * CRM_EX_DATAERR with e (when not NULL) set to a one-line message.
 * Randomness (the folds) comes from a struct crm_rng seeded by the caller's
 * seed, so equal seeds give bit-identical results on one machine.
 *
 * logit.c has the fit, predictions and the model as text; logit_eval.c
 * the metrics and cross-validation.
 */
#ifndef CRM_LOGIT_H
#define CRM_LOGIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Newton iterations before crm_logit_fit gives up (converged = 0). */
#define CRM_LOGIT_MAX_ITER 200

/* A fitted model. Owns beta and se; release with crm_logit_model_free. */
struct crm_logit_model {
	size_t d;            /* coefficients, as columns of x */
	double lambda;       /* the penalty it was fitted with */
	double intercept;    /* b0, log-odds at x = 0 */
	double se_intercept; /* its standard error */
	double *beta;        /* d: log-odds per unit of each column */
	double *se;          /* d: their standard errors */
};

/* How a fit went. */
struct crm_logit_fit_info {
	int iterations;      /* Newton steps taken */
	int converged;       /* the gradient norm met the tolerance */
	int separated;       /* the fitted scores rank every y = 1 row above
			      * every y = 0 row (or every one below): training
			      * AUC 1 or 0. The data are separable, so the
			      * coefficients are as large as lambda lets them
			      * be; the caller warns. Rows of weight 0 are
			      * left out. */
	int singular;        /* the Hessian at the end was not positive
			      * definite (numerically): every standard error
			      * is INFINITY. Only with lambda 0 (collinear or
			      * separated columns) or extreme separation. */
	double loglik;       /* sum_i w_i log P(y_i | x_i), unpenalised, <= 0 */
	double objective;    /* loglik - lambda/2 |beta|^2, the maximum */
	double grad_norm;    /* Euclidean norm of the objective's gradient
			      * (intercept first) at the end */
};

/* Fits the model to the n x d array x, labels y and weights w (NULL: all
 * 1) with penalty lambda >= 0, into *out (the caller frees it with
 * crm_logit_model_free; on failure it is left empty) and, when info is
 * not NULL, *info.
 *
 * Newton's method (IRLS) from b0 = logit of the weighted mean of y and
 * beta = 0. Each step solves H s = -g with a Cholesky factorisation of
 * the (d+1) x (d+1) Hessian, which the ridge keeps positive definite for
 * the coefficients; should it fail (a flat intercept direction, lambda 0
 * with collinear columns) the step is taken with H + tau I, tau raised
 * tenfold until it factors. A backtracking (Armijo) line search on the
 * penalised objective keeps every step an ascent. The log-likelihood uses
 * log1p and a stable log-sigmoid, so no exp overflows. Converges when the
 * largest gradient entry is at most 1e-9 * (the total weight, or 1), when
 * a plain Newton step moves no parameter by more than 1e-12 (relative to
 * it, or absolute below 1), or after a step whose predicted gain is below
 * the objective's rounding (1e-12 relative: taken whole, without a line
 * search) or whose full step changed it by 1e-15 relative or less. Gives
 * up after CRM_LOGIT_MAX_ITER steps or when the line search finds no
 * lower objective. Standard errors are the square roots
 * of the diagonal of the inverse Hessian at the end (lambda's share
 * included: with a ridge they describe the penalised estimate).
 *
 * Every coefficient is finite. Separable data give finite coefficients
 * when lambda > 0 (and separated = 1); with lambda 0 they grow until the
 * probabilities round to 0 and 1 (converged may be 0). Costs O(n d^2)
 * time per step and O(d^2) memory besides the data, plus O(d^3) at the
 * end for the standard errors.
 *
 * CRM_EX_DATAERR for n == 0, d > 4096 (the Hessian alone would take
 * 134 MB), a NULL array (x may be NULL when d == 0), a
 * value that is not finite, a label other than 0 and 1, a negative or
 * non-finite weight or a total weight of 0, lambda negative or not
 * finite, data too large for the sums (standardise it), and rows of only
 * one class ("the data has only one class (every y is 1)"). */
int crm_logit_fit(const double *x, const double *y, const double *w,
		  size_t n, size_t d, double lambda,
		  struct crm_logit_model *out, struct crm_logit_fit_info *info,
		  struct crm_err *e);

/* The probability P(y = 1) of one row of d values, in [0, 1]. */
double crm_logit_predict(const struct crm_logit_model *m, const double *row);

/* Explains one row: contrib[j] = beta_j * row[j], each column's share of
 * the log-odds (the caller sorts and names them; a row at the mean of a
 * standardised column, or at a reference level, gets 0). Returns the
 * log-odds, intercept + the sum of contrib. */
double crm_logit_explain(const struct crm_logit_model *m, const double *row,
			 double *contrib);

/* Releases what m owns and leaves it empty; an empty m is fine. */
void crm_logit_model_free(struct crm_logit_model *m);

/* Metrics of predictions p[0..n-1] against labels y (0 or 1), into *out.
 *
 * crm_logit_auc: the area under the ROC curve, exactly: the Mann-Whitney
 * statistic from ranks, ties averaged (a tied positive-negative pair
 * counts 1/2). p may be any scores (log-odds too); only their order
 * counts. O(n log n) time, O(n) memory. CRM_EX_DATAERR for n == 0, a NaN
 * score, a bad label, or labels of one class (AUC undefined).
 *
 * crm_logit_log_loss: mean of -(y log p + (1 - y) log(1 - p)) in nats,
 * with p clipped to [1e-15, 1 - 1e-15].
 *
 * crm_logit_brier: mean of (p - y)^2.
 *
 * The last two refuse n == 0, a bad label and p outside [0, 1]. */
int crm_logit_auc(const double *p, const double *y, size_t n, double *out);
int crm_logit_log_loss(const double *p, const double *y, size_t n,
		       double *out);
int crm_logit_brier(const double *p, const double *y, size_t n, double *out);

/* What cross-validation measured. */
struct crm_logit_cv_result {
	size_t folds;
	double auc;          /* of all out-of-fold predictions together */
	double log_loss;
	double brier;
	size_t separated;    /* folds whose fit had separated = 1 */
	size_t unconverged;  /* folds whose fit had converged = 0 */
};

/* k-fold cross-validation of crm_logit_fit with lambda: the rows of each
 * class are shuffled (Fisher-Yates, crm_rng from seed) and dealt to the
 * folds in turn, class 1 first, so every fold holds its share of each
 * class; each fold is predicted by a model fitted to the others, and the
 * metrics are computed over the n out-of-fold predictions. Costs k fits
 * and O(n d) memory (the training rows are copied). CRM_EX_DATAERR for
 * k_folds < 2, a class with fewer than k_folds rows, what crm_logit_fit
 * refuses (the message names the fold). */
int crm_logit_cv(const double *x, const double *y, size_t n, size_t d,
		 double lambda, size_t k_folds, uint64_t seed,
		 struct crm_logit_cv_result *out, struct crm_err *e);

/* Appends the model to b as text, for a database text column; numbers
 * are "%.17g", so they read back exactly (an infinite standard error is
 * "inf"). Lines end in '\n', fields are separated by a tab:
 *     crm-logit	1
 *     d	D
 *     lambda	LAMBDA
 *     intercept	B0	SE
 *     beta	J	BETA_J	SE_J      (D lines, J = 1..D in order)
 *     end                                                   */
void crm_logit_save(const struct crm_logit_model *m, struct crm_buf *b);

/* Reads text written by crm_logit_save into *out (free it with
 * crm_logit_model_free). CRM_EX_DATAERR, *out left empty, with e naming
 * the line, for text that is not such a model (truncated, unknown
 * version, a coefficient that is not finite). */
int crm_logit_load(const char *text, struct crm_logit_model *out,
		   struct crm_err *e);

#endif
