/* logit.c - L2-regularised logistic regression: the fit, predictions and
 * the model as text (see logit.h; the metrics are in logit_eval.c).
 *
 * The fit minimises f = -(penalised log-likelihood) over theta = (b0,
 * beta): with eta = b0 + beta . x and p = sigmoid(eta),
 *     f = sum_i w_i softplus(y_i ? -eta_i : eta_i) + lambda/2 |beta|^2
 *     g = sum_i w_i (p_i - y_i) (1, x_i) + lambda (0, beta)
 *     H = sum_i w_i p_i (1 - p_i) (1, x_i)(1, x_i)^T + lambda diag(0, 1..1)
 * softplus(t) = log(1 + e^t) is computed as t + log1p(e^-t) for t > 0 and
 * log1p(e^t) otherwise; p - y and p (1 - p) come from sigmoid(eta) and
 * sigmoid(-eta), each computed from exp of a non-positive number. Only
 * theta, g, H, its factor and a row of scratch are held: O(d^2) memory.
 */
#include "base/logit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define GTOL 1e-9      /* gradient tolerance, per unit of total weight */
#define STEP_TOL 1e-12 /* a Newton step this small (relative) is done */
#define ARMIJO 1e-4    /* sufficient decrease of the line search */
#define NOISE 1e-12    /* relative rounding of the objective, and more */
#define HALVINGS 60    /* line search steps before it gives up */
#define PIVOT_REL 1e-13 /* a Cholesky pivot below this share of its
			 * diagonal entry counts as singular */

static double sigmoid(double t)
{
	double e;

	if (t >= 0.0)
		return 1.0 / (1.0 + exp(-t));
	e = exp(t);
	return e / (1.0 + e);
}

static double softplus(double t)
{
	return t > 0.0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

/* The problem being fitted; P = d + 1 parameters, intercept first. */
struct prob {
	const double *x, *y, *w;
	size_t n, d, P;
	double lambda;
};

static double eta_of(const struct prob *q, const double *th, size_t i)
{
	const double *xi;
	double eta = th[0];

	if (q->d == 0)
		return eta; /* x may be NULL */
	xi = q->x + i * q->d;
	for (size_t j = 0; j < q->d; j++)
		eta += th[j + 1] * xi[j];
	return eta;
}

static double weight(const struct prob *q, size_t i)
{
	return q->w != NULL ? q->w[i] : 1.0;
}

static double penalty(const struct prob *q, const double *th)
{
	double s = 0.0;

	for (size_t j = 1; j < q->P; j++)
		s += th[j] * th[j];
	return 0.5 * q->lambda * s;
}

/* The data part of f at th: minus the log-likelihood. */
static double loss(const struct prob *q, const double *th)
{
	double s = 0.0;

	for (size_t i = 0; i < q->n; i++) {
		double eta = eta_of(q, th, i);

		if (weight(q, i) > 0.0)
			s += weight(q, i) *
			     softplus(q->y[i] != 0.0 ? -eta : eta);
	}
	return s;
}

/* f at th, and its gradient g and Hessian H (P x P, both triangles);
 * xt is P doubles of scratch. */
static double grad_hess(const struct prob *q, const double *th, double *g,
			double *H, double *xt)
{
	size_t P = q->P;
	double f = 0.0;

	memset(g, 0, P * sizeof(*g));
	memset(H, 0, P * P * sizeof(*H));
	xt[0] = 1.0;
	for (size_t i = 0; i < q->n; i++) {
		double wi = weight(q, i), eta, p, pq, r;

		if (wi == 0.0)
			continue;
		if (q->d > 0)
			memcpy(xt + 1, q->x + i * q->d, q->d * sizeof(*xt));
		eta = eta_of(q, th, i);
		p = sigmoid(eta);
		pq = wi * p * sigmoid(-eta);
		r = q->y[i] != 0.0 ? -wi * sigmoid(-eta) : wi * p;
		f += wi * softplus(q->y[i] != 0.0 ? -eta : eta);
		for (size_t a = 0; a < P; a++) {
			double sa = pq * xt[a];
			double *Ha = H + a * P;

			g[a] += r * xt[a];
			for (size_t b = a; b < P; b++)
				Ha[b] += sa * xt[b];
		}
	}
	for (size_t a = 1; a < P; a++) {
		g[a] += q->lambda * th[a];
		H[a * P + a] += q->lambda;
	}
	for (size_t a = 0; a < P; a++)
		for (size_t b = a + 1; b < P; b++)
			H[b * P + a] = H[a * P + b];
	return f + penalty(q, th);
}

/* Cholesky factor L (lower triangle) of the symmetric a + tau I into l,
 * both P x P; -1 when a pivot is not clearly positive. */
static int cholesky(const double *a, double tau, size_t P, double *l)
{
	for (size_t j = 0; j < P; j++) {
		double ajj = a[j * P + j] + tau, s = ajj;

		for (size_t k = 0; k < j; k++)
			s -= l[j * P + k] * l[j * P + k];
		if (!(s > PIVOT_REL * ajj) || !isfinite(s))
			return -1;
		l[j * P + j] = sqrt(s);
		for (size_t i = j + 1; i < P; i++) {
			double t = a[i * P + j];

			for (size_t k = 0; k < j; k++)
				t -= l[i * P + k] * l[j * P + k];
			l[i * P + j] = t / l[j * P + j];
		}
	}
	return 0;
}

/* s = -(L L^T)^-1 g. */
static void chol_solve(const double *l, size_t P, const double *g, double *s)
{
	for (size_t i = 0; i < P; i++) {
		double t = -g[i];

		for (size_t k = 0; k < i; k++)
			t -= l[i * P + k] * s[k];
		s[i] = t / l[i * P + i];
	}
	for (size_t i = P; i-- > 0;) {
		double t = s[i];

		for (size_t k = i + 1; k < P; k++)
			t -= l[k * P + i] * s[k];
		s[i] = t / l[i * P + i];
	}
}

/* var[j] = (L L^T)^-1 [j][j] = |column j of L^-1|^2; z is P scratch. */
static void chol_inv_diag(const double *l, size_t P, double *var, double *z)
{
	for (size_t j = 0; j < P; j++) {
		double v = 0.0;

		for (size_t i = j; i < P; i++) {
			double t = i == j ? 1.0 : 0.0;

			for (size_t k = j; k < i; k++)
				t -= l[i * P + k] * z[k];
			z[i] = t / l[i * P + i];
			v += z[i] * z[i];
		}
		var[j] = v;
	}
}

static int check_input(const struct prob *q, double *w1, double *w0,
		       struct crm_err *e)
{
	*w1 = *w0 = 0.0;
	if (q->n == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "no rows to fit");
	if (q->y == NULL || (q->x == NULL && q->d > 0))
		return crm_err_set(e, CRM_EX_DATAERR, "no data to fit");
	if (!(q->lambda >= 0.0) || !isfinite(q->lambda))
		return crm_err_set(e, CRM_EX_DATAERR,
				   "lambda must be finite and >= 0");
	if (q->d > 0 && q->n > SIZE_MAX / q->d / sizeof(double))
		return crm_err_set(e, CRM_EX_DATAERR, "too many rows");
	for (size_t i = 0; i < q->n; i++) {
		double wi = weight(q, i);

		if (q->y[i] != 0.0 && q->y[i] != 1.0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "row %zu: label %g is not 0 or 1",
					   i + 1, q->y[i]);
		if (!(wi >= 0.0) || !isfinite(wi))
			return crm_err_set(e, CRM_EX_DATAERR,
					   "row %zu: weight %g is not finite "
					   "and >= 0", i + 1, wi);
		for (size_t j = 0; j < q->d; j++)
			if (!isfinite(q->x[i * q->d + j]))
				return crm_err_set(e, CRM_EX_DATAERR,
						   "row %zu, column %zu: value "
						   "not finite", i + 1, j + 1);
		if (q->y[i] != 0.0)
			*w1 += wi;
		else
			*w0 += wi;
	}
	if (*w1 + *w0 == 0.0)
		return crm_err_set(e, CRM_EX_DATAERR, "every weight is 0");
	if (*w1 == 0.0 || *w0 == 0.0)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "the data has only one class (every y is "
				   "%d)", *w1 == 0.0 ? 0 : 1);
	return 0;
}

static int all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* 1 if the scores of th rank every y = 1 row strictly above every y = 0
 * row, or every one strictly below. */
static int separated(const struct prob *q, const double *th)
{
	double min1 = INFINITY, max1 = -INFINITY;
	double min0 = INFINITY, max0 = -INFINITY;

	for (size_t i = 0; i < q->n; i++) {
		double eta = eta_of(q, th, i);

		if (weight(q, i) == 0.0)
			continue;
		if (q->y[i] != 0.0) {
			min1 = fmin(min1, eta);
			max1 = fmax(max1, eta);
		} else {
			min0 = fmin(min0, eta);
			max0 = fmax(max0, eta);
		}
	}
	return min1 > max0 || max1 < min0;
}

int crm_logit_fit(const double *x, const double *y, const double *w,
		  size_t n, size_t d, double lambda,
		  struct crm_logit_model *out, struct crm_logit_fit_info *info,
		  struct crm_err *e)
{
	struct prob q = { x, y, w, n, d, d + 1, lambda };
	struct crm_logit_fit_info fi;
	double *th, *tn, *g, *s, *H, *L, *xt, w1, w0, f, gmax = 0.0;
	size_t P = d + 1;
	int rc, flat = 0;

	if (out == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "no model to fit into");
	memset(out, 0, sizeof(*out));
	memset(&fi, 0, sizeof(fi));
	if (d > 4096)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "%zu columns are too many", d);
	rc = check_input(&q, &w1, &w0, e);
	if (rc != 0)
		return rc;
	th = xreallocarray(NULL, 5 * P + 2 * P * P, sizeof(double));
	tn = th + P;
	g = tn + P;
	s = g + P;
	xt = s + P;
	H = xt + P;
	L = H + P * P;
	memset(th, 0, P * sizeof(*th));
	th[0] = log(w1 / w0);
	for (;;) {
		double slope = 0.0, t = 1.0, tau = 0.0, hmax = 0.0, fn = 0.0;
		double smax = 0.0;
		int h;

		f = grad_hess(&q, th, g, H, xt);
		gmax = 0.0;
		for (size_t a = 0; a < P; a++)
			gmax = fmax(gmax, fabs(g[a]));
		if (!isfinite(f) || !(gmax < INFINITY) ||
		    !all_finite(H, P * P)) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "the data are too "
					 "large for the sums (standardise "
					 "it)");
			goto done;
		}
		if (gmax <= GTOL * fmax(w1 + w0, 1.0) || flat) {
			fi.converged = 1;
			break;
		}
		if (fi.iterations == CRM_LOGIT_MAX_ITER)
			break;
		for (size_t a = 0; a < P; a++)
			hmax = fmax(hmax, H[a * P + a]);
		while (cholesky(H, tau, P, L) != 0) {
			tau = tau > 0.0 ? tau * 10.0
					: 1e-10 * (hmax > 0.0 ? hmax : 1.0);
			if (!(tau < 1e300)) {
				rc = crm_err_set(e, CRM_EX_DATAERR, "the "
						 "Hessian does not factorise "
						 "(standardise the data)");
				goto done;
			}
		}
		chol_solve(L, P, g, s);
		for (size_t a = 0; a < P; a++) {
			slope += g[a] * s[a];
			smax = fmax(smax, fabs(s[a]) / fmax(1.0, fabs(th[a])));
		}
		if (tau == 0.0 && smax <= STEP_TOL) {
			/* the optimum is closer than the objective can tell:
			 * a strong penalty scales the gradient up */
			fi.converged = 1;
			break;
		}
		if (!(slope < 0.0))
			break; /* rounding: no descent direction left */
		if (tau == 0.0 && -slope <= NOISE * fabs(f)) {
			/* The step would lower f by less than its rounding:
			 * a line search cannot judge it, the quadratic model
			 * can. Take it whole; the next gradient is final. */
			for (size_t a = 0; a < P; a++)
				th[a] += s[a];
			fi.iterations++;
			flat = 1;
			continue;
		}
		for (h = 0; h < HALVINGS; h++, t *= 0.5) {
			for (size_t a = 0; a < P; a++)
				tn[a] = th[a] + t * s[a];
			fn = loss(&q, tn) + penalty(&q, tn);
			if (fn <= f + ARMIJO * t * slope)
				break;
		}
		if (h == HALVINGS)
			break; /* no step lowers f: converged is 0 */
		memcpy(th, tn, P * sizeof(*th));
		fi.iterations++;
		flat = h == 0 && f - fn <= 1e-15 * fabs(f);
	}
	/* th, g and H now agree: the standard errors. */
	out->d = d;
	out->lambda = lambda;
	out->intercept = th[0];
	out->beta = xreallocarray(NULL, d > 0 ? d : 1, sizeof(double));
	out->se = xreallocarray(NULL, d > 0 ? d : 1, sizeof(double));
	memcpy(out->beta, th + 1, d * sizeof(double));
	if (cholesky(H, 0.0, P, L) == 0) {
		chol_inv_diag(L, P, s, xt);
		for (size_t a = 0; a < P; a++)
			s[a] = sqrt(s[a]);
	} else {
		fi.singular = 1;
		for (size_t a = 0; a < P; a++)
			s[a] = INFINITY;
	}
	out->se_intercept = s[0];
	memcpy(out->se, s + 1, d * sizeof(double));
	fi.separated = separated(&q, th);
	fi.objective = -f;
	fi.loglik = -(f - penalty(&q, th));
	fi.grad_norm = 0.0;
	for (size_t a = 0; a < P; a++)
		fi.grad_norm += g[a] * g[a];
	fi.grad_norm = sqrt(fi.grad_norm);
	if (info != NULL)
		*info = fi;
done:
	free(th);
	return rc;
}

double crm_logit_explain(const struct crm_logit_model *m, const double *row,
			 double *contrib)
{
	double eta = m->intercept;

	for (size_t j = 0; j < m->d; j++) {
		double c = m->beta[j] * row[j];

		if (contrib != NULL)
			contrib[j] = c;
		eta += c;
	}
	return eta;
}

double crm_logit_predict(const struct crm_logit_model *m, const double *row)
{
	return sigmoid(crm_logit_explain(m, row, NULL));
}

void crm_logit_model_free(struct crm_logit_model *m)
{
	if (m == NULL)
		return;
	free(m->beta);
	free(m->se);
	memset(m, 0, sizeof(*m));
}

/* Saving and loading. */

void crm_logit_save(const struct crm_logit_model *m, struct crm_buf *b)
{
	crm_buf_addf(b, "crm-logit\t1\nd\t%zu\nlambda\t%.17g\n", m->d,
		     m->lambda);
	crm_buf_addf(b, "intercept\t%.17g\t%.17g\n", m->intercept,
		     m->se_intercept);
	for (size_t j = 0; j < m->d; j++)
		crm_buf_addf(b, "beta\t%zu\t%.17g\t%.17g\n", j + 1, m->beta[j],
			     m->se[j]);
	crm_buf_adds(b, "end\n");
}

/* The next line of *pp split at tabs into f[0..max-1] (pointers into
 * line, a buffer of len bytes); returns the number of fields, or 0 at the
 * end of the text, a line too long or with more than max fields. */
static size_t next_fields(const char **pp, char *line, size_t len, char **f,
			  size_t max)
{
	const char *p = *pp, *nl = strchr(p, '\n');
	size_t l = nl != NULL ? (size_t)(nl - p) : strlen(p), k = 0;

	if (*p == '\0' || l >= len)
		return 0;
	memcpy(line, p, l);
	line[l] = '\0';
	*pp = p + l + (nl != NULL);
	for (char *s = line;; k++) {
		char *tab = strchr(s, '\t');

		if (k == max)
			return 0;
		f[k] = s;
		if (tab == NULL)
			return k + 1;
		*tab = '\0';
		s = tab + 1;
	}
}

/* A number of the whole text s into *out; finite ones only unless inf_ok
 * (a standard error). */
static int read_num(const char *s, int inf_ok, double *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	*out = strtod(s, &end);
	if (*end != '\0' || isnan(*out))
		return -1;
	return isfinite(*out) || (inf_ok && *out > 0.0) ? 0 : -1;
}

int crm_logit_load(const char *text, struct crm_logit_model *out,
		   struct crm_err *e)
{
	char line[256], *f[4], *end;
	const char *p = text;
	size_t lineno = 1;
	unsigned long long d;

	if (out == NULL || text == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "no model text");
	memset(out, 0, sizeof(*out));
	if (next_fields(&p, line, sizeof(line), f, 4) != 2 ||
	    strcmp(f[0], "crm-logit") != 0 || strcmp(f[1], "1") != 0)
		goto bad;
	lineno++;
	if (next_fields(&p, line, sizeof(line), f, 4) != 2 ||
	    strcmp(f[0], "d") != 0 || f[1][0] < '0' || f[1][0] > '9' ||
	    (d = strtoull(f[1], &end, 10), *end != '\0') ||
	    d > strlen(text) / 8)
		goto bad;
	out->d = (size_t)d;
	out->beta = xreallocarray(NULL, d > 0 ? d : 1, sizeof(double));
	out->se = xreallocarray(NULL, d > 0 ? d : 1, sizeof(double));
	lineno++;
	if (next_fields(&p, line, sizeof(line), f, 4) != 2 ||
	    strcmp(f[0], "lambda") != 0 ||
	    read_num(f[1], 0, &out->lambda) != 0 || out->lambda < 0.0)
		goto bad;
	lineno++;
	if (next_fields(&p, line, sizeof(line), f, 4) != 3 ||
	    strcmp(f[0], "intercept") != 0 ||
	    read_num(f[1], 0, &out->intercept) != 0 ||
	    read_num(f[2], 1, &out->se_intercept) != 0)
		goto bad;
	for (size_t j = 0; j < out->d; j++) {
		char want[32];

		lineno++;
		snprintf(want, sizeof(want), "%zu", j + 1);
		if (next_fields(&p, line, sizeof(line), f, 4) != 4 ||
		    strcmp(f[0], "beta") != 0 || strcmp(f[1], want) != 0 ||
		    read_num(f[2], 0, &out->beta[j]) != 0 ||
		    read_num(f[3], 1, &out->se[j]) != 0)
			goto bad;
	}
	lineno++;
	if (next_fields(&p, line, sizeof(line), f, 4) == 1 &&
	    strcmp(f[0], "end") == 0 && *p == '\0')
		return 0;
bad:
	crm_logit_model_free(out);
	return crm_err_set(e, CRM_EX_DATAERR,
			   "model text line %zu: not a crm-logit 1 model",
			   lineno);
}
