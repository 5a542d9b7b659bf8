/* simulate.c - Monte Carlo sales forecast (simulate.h has the model and the
 * method).
 *
 * Per period: the deals are gathered by a counting sort on the period, the
 * constants summed, the drawn deals split (when the period is too costly
 * to draw whole) into a part drawn deal by deal and a part drawn as one
 * normal, and then every run's total is built in tot[]: the constants,
 * then the geometric-skip deals (one deal at a time, over the runs), then
 * the comparison deals (one run at a time, over the deals, so their
 * thresholds stay in cache), then the normal part. The order of draws is
 * fixed, so the result is a function of the seed.
 */
#include "base/simulate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/stats.h"
#include "base/xalloc.h"

/* A geometric skip (a log and a scattered add) costs about as much as this
 * many draws of the comparison loop; a deal whose rarer outcome has
 * probability q is skipped when GEO_COST * q < 1. */
#define GEO_COST 8.0

/* Shevtsova (2010): the Berry-Esseen constant for sums of independent, not
 * identically distributed terms. */
#define BE_CONST 0.56

/* A drawn deal of the period at hand. */
struct sdeal {
	int64_t v;
	double p;
	double rho;  /* E|X - E X|^3 of X = v B */
	double w;    /* cost in draws per run: min(1, GEO_COST * q) */
	size_t idx;  /* index in the caller's deals[], for a stable order */
};

/* Scratch shared by the periods, sized for the largest. */
struct work {
	size_t runs;
	int64_t *tot;        /* runs: the totals of the period at hand */
	struct sdeal *d;     /* its drawn deals */
	long double *srho;   /* suffix sums of rho over d (n + 1) */
	long double *svar;   /* suffix sums of v^2 p (1 - p) over d (n + 1) */
	uint64_t *thr;       /* comparison deals: win iff 53 bits < thr */
	int64_t *lv;         /* and their values */
};

static int cmp_heavy(const void *pa, const void *pb)
{
	const struct sdeal *a = pa, *b = pb;

	if (a->rho != b->rho)
		return a->rho > b->rho ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return (a > b) - (a < b);
}

/* The stream of period k: a function of the seed and k alone. */
static void period_rng(struct crm_rng *r, uint64_t seed, size_t k)
{
	struct crm_rng t;

	crm_rng_seed(&t, (uint64_t)k);
	crm_rng_seed(r, seed ^ crm_rng_next(&t));
}

/* Adds the deal (v, p) to the runs where it wins, skipping geometrically
 * over the runs where its rarer outcome (probability q) does not happen. */
static void draw_geometric(struct work *w, struct crm_rng *rng, int64_t v,
			   double p)
{
	int sure = p > 0.5; /* the rarer outcome is the loss */
	double q = sure ? 1.0 - p : p; /* exact: Sterbenz */
	double lq = log1p(-q);
	size_t runs = w->runs, r = 0;

	if (sure)
		for (size_t t = 0; t < runs; t++)
			w->tot[t] += v;
	for (;;) {
		/* 1 - uniform is in (0, 1], so the log is finite */
		double gap = floor(log(1.0 - crm_rng_uniform(rng)) / lq);

		if (!(gap < (double)(runs - r)))
			break;
		r += (size_t)gap;
		if (sure)
			w->tot[r] -= v;
		else
			w->tot[r] += v;
		if (++r >= runs)
			break;
	}
}

/* Adds the m comparison deals (w->thr, w->lv) to every run. */
static void draw_compare(struct work *w, struct crm_rng *rng, size_t m)
{
	const uint64_t *thr = w->thr;
	const int64_t *lv = w->lv;

	if (m == 0)
		return;
	for (size_t r = 0; r < w->runs; r++) {
		int64_t s = 0;

		for (size_t i = 0; i < m; i++) {
			uint64_t won = (crm_rng_next(rng) >> 11) < thr[i];

			s += lv[i] & -(int64_t)won;
		}
		w->tot[r] += s;
	}
}

/* Adds to every run a draw of N(mu, var) rounded to the nearest integer and
 * kept within [0, max] (Box-Muller, both values of each pair used). */
static void draw_normal(struct work *w, struct crm_rng *rng, double mu,
			double var, int64_t max)
{
	double sd = sqrt(var), z[2] = { 0, 0 }, hi = (double)max;

	for (size_t r = 0; r < w->runs; r++) {
		double x;
		int64_t s;

		if (r % 2 == 0) {
			double u1 = 1.0 - crm_rng_uniform(rng);
			double u2 = crm_rng_uniform(rng);
			double rad = sqrt(-2.0 * log(u1));

			z[0] = rad * cos(2.0 * M_PI * u2);
			z[1] = rad * sin(2.0 * M_PI * u2);
		}
		x = mu + sd * z[r % 2];
		if (!(x > 0.0))
			s = 0;
		else if (x >= hi)
			s = max;
		else
			s = (int64_t)llround(x);
		if (s > max) /* hi rounded above max */
			s = max;
		w->tot[r] += s;
	}
}

/* Chooses the prefix of w->d[0..n-1] (sorted heaviest first) to draw deal
 * by deal in a split period: the one of cost at most heavy_max whose rest
 * has the lowest Berry-Esseen bound. Returns its length, *bound the bound. */
static size_t split_at(struct work *w, size_t n, size_t heavy_max,
		       double *bound)
{
	struct sdeal *d = w->d;
	double cost = 0.0, best_l = INFINITY;
	size_t best = 0;

	w->srho[n] = 0.0L;
	w->svar[n] = 0.0L;
	for (size_t i = n; i-- > 0;) {
		long double vv = (long double)d[i].v * (long double)d[i].v;

		w->srho[i] = w->srho[i + 1] + (long double)d[i].rho;
		w->svar[i] = w->svar[i + 1] +
			     vv * (long double)d[i].p * (1.0L - d[i].p);
	}
	for (size_t j = 0; j <= n; j++) {
		double l = w->svar[j] > 0.0L
				   ? (double)(BE_CONST * w->srho[j] /
					      powl(w->svar[j], 1.5L))
				   : 0.0;

		if (l < best_l) {
			best_l = l;
			best = j;
		}
		if (j == n)
			break;
		cost += d[j].w;
		if (cost > (double)heavy_max)
			break;
	}
	*bound = best_l;
	return best;
}

/* Fills w->tot with the runs' totals of the period whose deals are
 * deals[order[0..cnt-1]] and writes what the draws need to know into *out
 * (all but mean, var and the percentiles). */
static void simulate_period(struct work *w, const struct crm_simulate_deal *deals,
			    const size_t *order, size_t cnt,
			    const struct crm_simulate_opts *o, size_t k,
			    struct crm_simulate_period *out)
{
	struct crm_rng rng;
	struct sdeal *d = w->d;
	long double cf_mean = 0.0L, cf_var = 0.0L, rest_mean = 0.0L,
		    rest_var = 0.0L;
	int64_t fixed = 0, rest_max = 0;
	double cost = 0.0, bound = 0.0;
	size_t n = 0, split, m = 0;

	for (size_t t = 0; t < cnt; t++) {
		const struct crm_simulate_deal *x = &deals[order[t]];
		long double v = (long double)x->value, p = x->p;

		cf_mean += v * p;
		cf_var += v * v * p * (1.0L - p);
		if (x->value == 0 || x->p == 0.0)
			continue;
		if (x->p == 1.0) {
			fixed += x->value;
			continue;
		}
		double q = x->p < 0.5 ? x->p : 1.0 - x->p;
		double dv = (double)x->value;
		d[n].v = x->value;
		d[n].p = x->p;
		d[n].rho = dv * dv * dv * x->p * (1.0 - x->p) *
			   (x->p * x->p + (1.0 - x->p) * (1.0 - x->p));
		d[n].w = GEO_COST * q < 1.0 ? GEO_COST * q : 1.0;
		d[n].idx = order[t];
		cost += d[n].w;
		n++;
	}
	split = n;
	if (cost > (double)o->exact_max) {
		qsort(d, n, sizeof(*d), cmp_heavy);
		split = split_at(w, n, o->heavy_max, &bound);
	}

	period_rng(&rng, o->seed, k);
	for (size_t r = 0; r < w->runs; r++)
		w->tot[r] = fixed;
	for (size_t i = 0; i < split; i++) {
		if (d[i].w < 1.0) {
			draw_geometric(w, &rng, d[i].v, d[i].p);
		} else {
			w->thr[m] = (uint64_t)ceil(d[i].p * 0x1p53);
			w->lv[m] = d[i].v;
			m++;
		}
	}
	draw_compare(w, &rng, m);
	if (split < n) {
		for (size_t i = split; i < n; i++) {
			long double v = (long double)d[i].v;

			rest_mean += v * d[i].p;
			rest_var += v * v * d[i].p * (1.0L - d[i].p);
			rest_max += d[i].v;
		}
		draw_normal(w, &rng, (double)rest_mean, (double)rest_var,
			    rest_max);
	}

	out->deals = cnt;
	out->drawn = split;
	out->normal = n - split;
	out->bound = split < n ? bound : 0.0;
	out->cf_mean = (double)cf_mean;
	out->cf_var = (double)cf_var;
}

/* Mean, variance and percentiles of w->tot into out; sorts w->tot. */
static void summarise(struct work *w, struct crm_simulate_period *out)
{
	size_t runs = w->runs;
	__int128 sum = 0;
	long double mean, ss = 0.0L;
	static const unsigned pct[3] = { 10, 50, 90 };
	int64_t *q[3] = { &out->p10, &out->p50, &out->p90 };

	for (size_t r = 0; r < runs; r++)
		sum += w->tot[r];
	mean = (long double)sum / (long double)runs;
	for (size_t r = 0; r < runs; r++) {
		long double e = (long double)w->tot[r] - mean;

		ss += e * e;
	}
	out->mean = (double)mean;
	out->var = runs > 1 ? (double)(ss / (long double)(runs - 1)) : 0.0;
	qsort(w->tot, runs, sizeof(*w->tot), cmp_i64);
	for (int i = 0; i < 3; i++) {
		/* rank ceil(pct * runs / 100), at least 1; runs is at most
		 * SIZE_MAX / 8, so 90 * runs fits in 128 bits easily */
		unsigned __int128 rank =
			((unsigned __int128)pct[i] * runs + 99) / 100;

		if (rank == 0)
			rank = 1;
		*q[i] = w->tot[(size_t)rank - 1];
	}
}

static int check_deals(const struct crm_simulate_deal *deals, size_t n,
		       size_t nperiods, size_t *count, struct crm_err *e)
{
	int64_t *sum = xcalloc(nperiods > 0 ? nperiods : 1, sizeof(*sum));
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct crm_simulate_deal *x = &deals[i];

		if (x->period < 0 || (size_t)x->period >= nperiods) {
			if (nperiods == 0)
				rc = crm_err_set(e, CRM_EX_DATAERR,
						 "deal %zu: period %d, but there are no periods",
						 i, x->period);
			else
				rc = crm_err_set(e, CRM_EX_DATAERR,
						 "deal %zu: period %d is not in 0..%zu",
						 i, x->period, nperiods - 1);
			break;
		}
		if (x->value < 0) {
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "deal %zu: negative value %lld", i,
					 (long long)x->value);
			break;
		}
		if (!(x->p >= 0.0 && x->p <= 1.0)) {
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "deal %zu: win probability %g is not in [0, 1]",
					 i, x->p);
			break;
		}
		if (x->value > INT64_MAX - sum[x->period]) {
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "period %d: the deals' values add up beyond %lld minor units",
					 x->period, (long long)INT64_MAX);
			break;
		}
		sum[x->period] += x->value;
		count[x->period]++;
	}
	free(sum);
	return rc;
}

int crm_simulate_forecast(const struct crm_simulate_deal *deals, size_t n,
			  size_t nperiods, const struct crm_simulate_opts *o,
			  struct crm_simulate_period *out,
			  int64_t *totals_out, struct crm_err *e)
{
	struct crm_simulate_opts opt = { 0, 0, 0, 0 };
	struct work w;
	size_t *count, *start, *order, biggest = 0;
	int rc;

	if (o != NULL)
		opt = *o;
	if (opt.runs == 0)
		opt.runs = CRM_SIMULATE_RUNS;
	if (opt.exact_max == 0)
		opt.exact_max = CRM_SIMULATE_EXACT;
	if (opt.heavy_max == 0)
		opt.heavy_max = CRM_SIMULATE_HEAVY;
	if ((out == NULL && nperiods > 0) || (deals == NULL && n > 0))
		return crm_err_set(e, CRM_EX_DATAERR,
				   "simulate: no %s array",
				   out == NULL ? "output" : "deals");
	if (opt.runs > SIZE_MAX / sizeof(int64_t) ||
	    (totals_out != NULL && nperiods > 0 &&
	     opt.runs > SIZE_MAX / sizeof(int64_t) / nperiods) ||
	    nperiods > SIZE_MAX / sizeof(size_t) - 1)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "simulate: %zu runs over %zu periods is too many",
				   opt.runs, nperiods);
	count = xcalloc(nperiods + 1, sizeof(*count));
	rc = check_deals(deals, n, nperiods, count, e);
	if (rc != 0) {
		free(count);
		return rc;
	}

	/* Counting sort of the deals by period, input order kept. */
	start = xreallocarray(NULL, nperiods + 1, sizeof(*start));
	start[0] = 0;
	for (size_t k = 0; k < nperiods; k++) {
		start[k + 1] = start[k] + count[k];
		if (count[k] > biggest)
			biggest = count[k];
	}
	order = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*order));
	memcpy(count, start, nperiods * sizeof(*count)); /* next free slot */
	for (size_t i = 0; i < n; i++)
		order[count[deals[i].period]++] = i;

	w.runs = opt.runs;
	w.tot = xreallocarray(NULL, opt.runs, sizeof(*w.tot));
	w.d = xreallocarray(NULL, biggest + 1, sizeof(*w.d));
	w.srho = xreallocarray(NULL, biggest + 1, sizeof(*w.srho));
	w.svar = xreallocarray(NULL, biggest + 1, sizeof(*w.svar));
	w.thr = xreallocarray(NULL, biggest + 1, sizeof(*w.thr));
	w.lv = xreallocarray(NULL, biggest + 1, sizeof(*w.lv));
	for (size_t k = 0; k < nperiods; k++) {
		struct crm_simulate_period *pk = &out[k];

		memset(pk, 0, sizeof(*pk));
		simulate_period(&w, deals, order + start[k], start[k + 1] - start[k],
				&opt, k, pk);
		if (totals_out != NULL)
			memcpy(totals_out + k * opt.runs, w.tot,
			       opt.runs * sizeof(*w.tot));
		summarise(&w, pk);
	}
	free(w.tot);
	free(w.d);
	free(w.srho);
	free(w.svar);
	free(w.thr);
	free(w.lv);
	free(order);
	free(start);
	free(count);
	return 0;
}
