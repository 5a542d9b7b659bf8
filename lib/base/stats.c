/* stats.c - statistics for crm-segment: RFM scores, k-means, silhouettes.
 *
 * k-means follows Arthur and Vassilvitskii's k-means++ (in the greedy form
 * scikit-learn uses) for seeding and Hamerly's "Making k-means even faster"
 * (SDM 2010) for the Lloyd iterations: per point an upper bound u on the
 * distance to its own centre and a lower bound l on the distance to every
 * other centre; a point whose u is at most max(l, half the distance from
 * its centre to the nearest other centre) cannot move and costs no
 * distance computations. The bounds hold distances, not squares.
 */
#include "base/stats.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"

/* Random numbers. */

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rotl64(uint64_t v, int bits)
{
	return (v << bits) | (v >> (64 - bits));
}

void crm_rng_seed(struct crm_rng *r, uint64_t seed)
{
	/* splitmix64 is a bijection of its counter, so at most one of the
	 * four words is 0 and the state is never all zeros. */
	for (size_t i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t crm_rng_next(struct crm_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

double crm_rng_uniform(struct crm_rng *r)
{
	return (double)(crm_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t crm_rng_below(struct crm_rng *r, uint64_t bound)
{
	uint64_t threshold, v;

	if (bound == 0)
		return 0;
	/* 2^64 mod bound: rejecting values below it leaves a multiple of
	 * bound values, so v % bound is uniform (as arc4random_uniform). */
	threshold = (0 - bound) % bound;
	do
		v = crm_rng_next(r);
	while (v < threshold);
	return v % bound;
}

/* Selection sampling (Knuth's Algorithm S): m of 0..n-1 without
 * replacement, uniformly, in increasing order, into idx[0..m-1]. Draws
 * exactly as many numbers as it visits indices, so the sample is a function
 * of n, m and the generator alone. */
static void sample_indices(struct crm_rng *r, size_t n, size_t m,
			   size_t *idx)
{
	size_t need = m;

	for (size_t i = 0; i < n && need > 0; i++) {
		if (crm_rng_below(r, n - i) < need) {
			idx[m - need] = i;
			need--;
		}
	}
}

/* Simple statistics. */

static int all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* Magnitude limit for distance computations: squared distances between
 * points within it stay far from overflow. */
#define COORD_MAX 1e150

/* 1 if every value is finite and within +-COORD_MAX (NaN fails too). */
static int all_bounded(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(fabs(v[i]) <= COORD_MAX))
			return 0;
	return 1;
}

/* Neumaier's compensated sum of v[i] * scale. */
static double sum_scaled(const double *v, size_t n, double scale)
{
	double sum = 0.0, comp = 0.0;

	for (size_t i = 0; i < n; i++) {
		double y = v[i] * scale;
		double t = sum + y;

		if (fabs(sum) >= fabs(y))
			comp += (sum - t) + y;
		else
			comp += (y - t) + sum;
		sum = t;
	}
	return sum + comp;
}

int crm_stats_mean(const double *v, size_t n, double *out)
{
	double m;

	if (v == NULL || out == NULL || n == 0 || !all_finite(v, n))
		return CRM_EX_DATAERR;
	m = sum_scaled(v, n, 1.0) / (double)n;
	if (!isfinite(m)) /* the sum overflowed; the mean cannot */
		m = sum_scaled(v, n, 1.0 / (double)n);
	*out = m;
	return 0;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

int crm_stats_median(const double *v, size_t n, double *out)
{
	double *copy, lo, hi;

	if (v == NULL || out == NULL || n == 0 || !all_finite(v, n))
		return CRM_EX_DATAERR;
	copy = xreallocarray(NULL, n, sizeof(*copy));
	memcpy(copy, v, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_double);
	lo = copy[(n - 1) / 2];
	hi = copy[n / 2];
	*out = isfinite(lo + hi) ? (lo + hi) / 2 : lo / 2 + hi / 2;
	free(copy);
	return 0;
}

int crm_stats_standardize(double *x, size_t n, size_t d, double *mean_out,
			  double *sd_out)
{
	double *mean, *sd, *dev, *lo, *hi;
	int rc = 0;

	if (x == NULL || n == 0 || d == 0 || n > SIZE_MAX / d ||
	    !all_finite(x, n * d))
		return CRM_EX_DATAERR;
	mean = xreallocarray(NULL, d, 5 * sizeof(double));
	sd = mean + d;
	dev = sd + d;
	lo = dev + d;
	hi = lo + d;
	for (size_t j = 0; j < d; j++) {
		mean[j] = sd[j] = dev[j] = 0.0;
		lo[j] = hi[j] = x[j];
	}
	for (size_t i = 0; i < n; i++) {
		const double *row = x + i * d;

		for (size_t j = 0; j < d; j++) {
			mean[j] += row[j];
			if (row[j] < lo[j])
				lo[j] = row[j];
			if (row[j] > hi[j])
				hi[j] = row[j];
		}
	}
	for (size_t j = 0; j < d; j++)
		mean[j] /= (double)n;
	/* Corrected two-pass variance: subtracting (sum of deviations)^2 / n
	 * removes most of the rounding error left in the mean. */
	for (size_t i = 0; i < n; i++) {
		const double *row = x + i * d;

		for (size_t j = 0; j < d; j++) {
			double e = row[j] - mean[j];

			dev[j] += e;
			sd[j] += e * e;
		}
	}
	for (size_t j = 0; j < d; j++) {
		double var = (sd[j] - dev[j] * dev[j] / (double)n) / (double)n;

		/* Constancy is decided exactly, by min == max: a constant
		 * column's mean may be off by an ulp, and its tiny "sd" would
		 * blow rounding noise up into z-scores. */
		sd[j] = lo[j] == hi[j] || var <= 0.0 ? 0.0 : sqrt(var);
		if (!isfinite(mean[j]) || !isfinite(sd[j])) {
			/* values so large that the sums overflowed */
			rc = CRM_EX_DATAERR;
			goto done;
		}
	}
	for (size_t i = 0; i < n; i++) {
		double *row = x + i * d;

		for (size_t j = 0; j < d; j++)
			row[j] = sd[j] > 0.0 ? (row[j] - mean[j]) / sd[j] : 0.0;
	}
	if (mean_out != NULL)
		memcpy(mean_out, mean, d * sizeof(*mean));
	if (sd_out != NULL)
		memcpy(sd_out, sd, d * sizeof(*sd));
done:
	free(mean);
	return rc;
}

/* Quintiles. */

struct ranked {
	double v;
	size_t i;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	return (a->v > b->v) - (a->v < b->v);
}

int crm_stats_quintiles(const double *v, size_t n, int higher_better,
			int *score_out)
{
	struct ranked *r;

	if (n == 0)
		return 0;
	if (v == NULL || score_out == NULL)
		return CRM_EX_DATAERR;
	for (size_t i = 0; i < n; i++)
		if (isnan(v[i]))
			return CRM_EX_DATAERR;
	r = xreallocarray(NULL, n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		r[i].v = v[i];
		r[i].i = i;
	}
	/* Ascending; the order inside a block of equal values is irrelevant
	 * because the whole block gets one score. */
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t p = 0; p < n;) {
		size_t q = p + 1;

		while (q < n && r[q].v == r[p].v)
			q++;
		/* Values strictly worse than this block: those below it when
		 * higher is better, those above it otherwise. n <= SIZE_MAX /
		 * sizeof(*r), so 5 * worse cannot overflow. */
		size_t worse = higher_better ? p : n - q;
		int score = 1 + (int)(5 * worse / n);

		for (size_t t = p; t < q; t++)
			score_out[r[t].i] = score;
		p = q;
	}
	free(r);
	return 0;
}

/* k-means. */

static double sqdist(const double *a, const double *b, size_t d)
{
	double s = 0.0;

	for (size_t j = 0; j < d; j++) {
		double e = a[j] - b[j];

		s += e * e;
	}
	return s;
}

/* One Lloyd run over n points. Owns every array but x. */
struct km {
	const double *x;  /* n x d, borrowed */
	size_t n, d, k;
	int *a;           /* n: cluster of each point */
	double *u;        /* n: upper bound, distance to own centre */
	double *l;        /* n: lower bound, distance to any other centre */
	double *c;        /* k x d: centres */
	double *sum;      /* k x d: sums of each cluster's points */
	size_t *cnt;      /* k: points in each cluster */
	double *p;        /* k: how far each centre moved in the last update */
	double *s;        /* k: half the distance to the nearest other centre */
	double p1, p2;    /* the largest and second largest p */
	size_t j1;        /* the centre that moved p1 */
};

static void km_init(struct km *w, const double *x, size_t n, size_t d,
		    size_t k)
{
	memset(w, 0, sizeof(*w));
	w->x = x;
	w->n = n;
	w->d = d;
	w->k = k;
	w->a = xreallocarray(NULL, n, sizeof(*w->a));
	w->u = xreallocarray(NULL, n, sizeof(*w->u));
	w->l = xreallocarray(NULL, n, sizeof(*w->l));
	w->c = xreallocarray(NULL, k * d, sizeof(*w->c));
	w->sum = xreallocarray(NULL, k * d, sizeof(*w->sum));
	w->cnt = xreallocarray(NULL, k, sizeof(*w->cnt));
	w->p = xreallocarray(NULL, k, sizeof(*w->p));
	w->s = xreallocarray(NULL, k, sizeof(*w->s));
}

static void km_free(struct km *w)
{
	free(w->a);
	free(w->u);
	free(w->l);
	free(w->c);
	free(w->sum);
	free(w->cnt);
	free(w->p);
	free(w->s);
	memset(w, 0, sizeof(*w));
}

/* Nearest centre to xi (squared distance *d1) and the squared distance to
 * the nearest other one (*d2, infinity when k is 1). A tie keeps `cur`
 * (-1 for none), else goes to the lowest index. */
static int nearest2(const double *xi, const double *c, size_t k, size_t d,
		    int cur, double *d1, double *d2)
{
	double b1 = INFINITY, b2 = INFINITY;
	int best = 0;

	for (size_t j = 0; j < k; j++) {
		double e = sqdist(xi, c + j * d, d);

		if (e < b1 || (e == b1 && (int)j == cur)) {
			b2 = b1;
			b1 = e;
			best = (int)j;
		} else if (e < b2) {
			b2 = e;
		}
	}
	*d1 = b1;
	*d2 = b2;
	return best;
}

/* Sums and counts from scratch. */
static void km_sums(struct km *w)
{
	size_t d = w->d;

	memset(w->sum, 0, w->k * d * sizeof(*w->sum));
	memset(w->cnt, 0, w->k * sizeof(*w->cnt));
	for (size_t i = 0; i < w->n; i++) {
		const double *xi = w->x + i * d;
		double *sj = w->sum + (size_t)w->a[i] * d;

		for (size_t t = 0; t < d; t++)
			sj[t] += xi[t];
		w->cnt[w->a[i]]++;
	}
}

/* The first assignment, with no bounds to go on. */
static void km_assign_all(struct km *w)
{
	for (size_t i = 0; i < w->n; i++) {
		double d1, d2;

		w->a[i] = nearest2(w->x + i * w->d, w->c, w->k, w->d, -1, &d1,
				   &d2);
		w->u[i] = sqrt(d1);
		w->l[i] = sqrt(d2);
	}
	km_sums(w);
}

/* An assignment pass after km_update: widens each point's bounds by how far
 * the centres moved, then looks at the point only if the bounds allow a
 * strictly closer centre. Keeps the sums current. Returns how many points
 * changed cluster. */
static size_t km_assign(struct km *w)
{
	size_t d = w->d, changed = 0;

	for (size_t i = 0; i < w->n; i++) {
		const double *xi = w->x + i * d;
		int ai = w->a[i];
		double m, d1, d2;

		w->u[i] += w->p[ai];
		w->l[i] -= (size_t)ai == w->j1 ? w->p2 : w->p1;
		m = w->s[ai] > w->l[i] ? w->s[ai] : w->l[i];
		if (w->u[i] <= m)
			continue;
		w->u[i] = sqrt(sqdist(xi, w->c + (size_t)ai * d, d));
		if (w->u[i] <= m)
			continue;
		int best = nearest2(xi, w->c, w->k, d, ai, &d1, &d2);
		w->u[i] = sqrt(d1);
		w->l[i] = sqrt(d2);
		if (best == ai)
			continue;
		double *from = w->sum + (size_t)ai * d;
		double *to = w->sum + (size_t)best * d;
		for (size_t t = 0; t < d; t++) {
			from[t] -= xi[t];
			to[t] += xi[t];
		}
		w->cnt[ai]--;
		w->cnt[best]++;
		w->a[i] = best;
		changed++;
	}
	return changed;
}

/* Gives every empty cluster the point farthest from its current centre
 * among clusters with two or more points (lowest index on a tie). Some
 * cluster always has a point to spare: the k - e non-empty clusters hold
 * n >= k points. A moved point gets bounds that force a fresh look. */
static void km_fill_empty(struct km *w)
{
	size_t d = w->d;
	int moved = 0;

	for (size_t j = 0; j < w->k; j++) {
		size_t far = SIZE_MAX;
		double fard = -1.0;

		if (w->cnt[j] > 0)
			continue;
		for (size_t i = 0; i < w->n; i++) {
			int ai = w->a[i];

			if (w->cnt[ai] < 2)
				continue;
			double e = sqdist(w->x + i * d,
					  w->c + (size_t)ai * d, d);
			if (e > fard) {
				fard = e;
				far = i;
			}
		}
		if (far == SIZE_MAX)
			break; /* cannot happen while k <= n */
		w->cnt[w->a[far]]--;
		w->cnt[j] = 1;
		w->a[far] = (int)j;
		w->u[far] = INFINITY;
		w->l[far] = 0.0;
		moved = 1;
	}
	if (moved)
		km_sums(w);
}

/* Moves every centre to the mean of its points and records how far each
 * moved (p, p1, p2, j1) and how far apart they are (s). */
static void km_update(struct km *w)
{
	size_t d = w->d, k = w->k;

	km_fill_empty(w);
	w->p1 = w->p2 = 0.0;
	w->j1 = 0;
	for (size_t j = 0; j < k; j++) {
		double *cj = w->c + j * d, *sj = w->sum + j * d, moved = 0.0;

		for (size_t t = 0; t < d; t++) {
			double v = sj[t] / (double)w->cnt[j];

			moved += (v - cj[t]) * (v - cj[t]);
			cj[t] = v;
		}
		w->p[j] = sqrt(moved);
		if (w->p[j] > w->p1) {
			w->p2 = w->p1;
			w->p1 = w->p[j];
			w->j1 = j;
		} else if (w->p[j] > w->p2) {
			w->p2 = w->p[j];
		}
	}
	for (size_t j = 0; j < k; j++) {
		double m = INFINITY;

		for (size_t t = 0; t < k; t++) {
			if (t == j)
				continue;
			double e = sqdist(w->c + j * d, w->c + t * d, d);
			if (e < m)
				m = e;
		}
		w->s[j] = 0.5 * sqrt(m);
	}
}

/* Lloyd iterations from the centres in w->c until an assignment pass
 * changes nothing or max_iter passes ran. The centres end as the means of
 * the final assignment, summed afresh: the running sums drift by rounding
 * as points come and go. */
static void km_run(struct km *w, int max_iter)
{
	km_assign_all(w);
	for (int it = 1;; it++) {
		km_update(w);
		if (it >= max_iter || km_assign(w) == 0)
			break;
	}
	km_sums(w);
	for (size_t j = 0; j < w->k; j++)
		for (size_t t = 0; t < w->d; t++)
			w->c[j * w->d + t] =
				w->sum[j * w->d + t] / (double)w->cnt[j];
}

static double km_wss(const struct km *w)
{
	double total = 0.0;

	for (size_t i = 0; i < w->n; i++)
		total += sqdist(w->x + i * w->d, w->c + (size_t)w->a[i] * w->d,
				w->d);
	return total;
}

/* A point drawn with probability d2[i] / total; total > 0. */
static size_t pick_weighted(const double *d2, size_t n, double target)
{
	double acc = 0.0;
	size_t last = 0;

	for (size_t i = 0; i < n; i++) {
		if (d2[i] <= 0.0)
			continue;
		acc += d2[i];
		last = i;
		if (acc > target)
			return i;
	}
	return last; /* rounding left target at the very end */
}

/* Greedy k-means++: k centres from the n points of x into c (k x d).
 * d2 is n doubles of scratch. */
static void km_seed(const double *x, size_t n, size_t d, size_t k,
		    struct crm_rng *r, double *c, double *d2)
{
	size_t trials = 2 + (size_t)log((double)k);
	size_t first = (size_t)crm_rng_below(r, n);

	memcpy(c, x + first * d, d * sizeof(*c));
	for (size_t i = 0; i < n; i++)
		d2[i] = sqdist(x + i * d, c, d);
	for (size_t j = 1; j < k; j++) {
		double total = 0.0, best_pot = INFINITY;
		size_t best = 0;

		for (size_t i = 0; i < n; i++)
			total += d2[i];
		for (size_t t = 0; t < trials; t++) {
			size_t cand;
			double pot = 0.0;

			if (total > 0.0)
				cand = pick_weighted(
					d2, n, crm_rng_uniform(r) * total);
			else /* every point sits on a centre already */
				cand = (size_t)crm_rng_below(r, n);
			for (size_t i = 0; i < n; i++) {
				double e = sqdist(x + i * d, x + cand * d, d);

				pot += e < d2[i] ? e : d2[i];
			}
			if (pot < best_pot) {
				best_pot = pot;
				best = cand;
			}
		}
		memcpy(c + j * d, x + best * d, d * sizeof(*c));
		for (size_t i = 0; i < n; i++) {
			double e = sqdist(x + i * d, c + j * d, d);

			if (e < d2[i])
				d2[i] = e;
		}
	}
}

int crm_kmeans(const double *x, size_t n, size_t d,
	       const struct crm_kmeans_opts *o, int *assign_out,
	       double *centroids_out, double *wss_out)
{
	struct crm_rng rng;
	struct km w;
	const double *y = x;
	double *ys = NULL, *best_c, best_wss = INFINITY;
	size_t k, m;

	if (x == NULL || o == NULL || assign_out == NULL ||
	    centroids_out == NULL || n == 0 || d == 0 || n > SIZE_MAX / d)
		return CRM_EX_DATAERR;
	k = o->k;
	if (k == 0 || k > n || k > INT_MAX || o->restarts < 1 ||
	    o->max_iter < 1 || !all_bounded(x, n * d))
		return CRM_EX_DATAERR;
	crm_rng_seed(&rng, o->seed);
	m = o->sample > 0 ? o->sample : CRM_KMEANS_SAMPLE;
	if (m < k)
		m = k;
	if (m < n) {
		size_t *idx = xreallocarray(NULL, m, sizeof(*idx));

		sample_indices(&rng, n, m, idx);
		ys = xreallocarray(NULL, m * d, sizeof(*ys));
		for (size_t i = 0; i < m; i++)
			memcpy(ys + i * d, x + idx[i] * d, d * sizeof(*ys));
		free(idx);
		y = ys;
	} else {
		m = n;
	}
	best_c = xreallocarray(NULL, k * d, sizeof(*best_c));
	km_init(&w, y, m, d, k);
	for (int r = 0; r < o->restarts; r++) {
		/* w.u is free as scratch until km_run fills it. */
		km_seed(y, m, d, k, &rng, w.c, w.u);
		km_run(&w, o->max_iter);
		double v = km_wss(&w);
		if (v < best_wss) {
			best_wss = v;
			memcpy(best_c, w.c, k * d * sizeof(*best_c));
			if (ys == NULL)
				memcpy(assign_out, w.a,
				       n * sizeof(*assign_out));
		}
	}
	if (ys != NULL) {
		/* Refine the sample's best centres over all the points. */
		km_free(&w);
		km_init(&w, x, n, d, k);
		memcpy(w.c, best_c, k * d * sizeof(*w.c));
		km_run(&w, o->max_iter);
		best_wss = km_wss(&w);
		memcpy(assign_out, w.a, n * sizeof(*assign_out));
		memcpy(best_c, w.c, k * d * sizeof(*best_c));
	}
	memcpy(centroids_out, best_c, k * d * sizeof(*centroids_out));
	if (wss_out != NULL)
		*wss_out = best_wss;
	km_free(&w);
	free(best_c);
	free(ys);
	return 0;
}

/* Silhouette. */

int crm_stats_silhouette(const double *x, size_t n, size_t d,
			 const int *assign, size_t k, size_t sample,
			 struct crm_rng *rng, double *out)
{
	size_t m, present = 0, *idx, *cnt;
	double *xs, *dsum, total = 0.0;
	int *as;

	if (x == NULL || assign == NULL || rng == NULL || out == NULL ||
	    n < 2 || d == 0 || k < 2 || sample < 2 || n > SIZE_MAX / d)
		return CRM_EX_DATAERR;
	for (size_t i = 0; i < n; i++)
		if (assign[i] < 0 || (size_t)assign[i] >= k)
			return CRM_EX_DATAERR;
	if (!all_bounded(x, n * d))
		return CRM_EX_DATAERR;
	m = sample < n ? sample : n;
	idx = xreallocarray(NULL, m, sizeof(*idx));
	sample_indices(rng, n, m, idx);
	/* The sample, contiguous. */
	xs = xreallocarray(NULL, m * d, sizeof(*xs));
	as = xreallocarray(NULL, m, sizeof(*as));
	cnt = xcalloc(k, sizeof(*cnt));
	dsum = xreallocarray(NULL, k, sizeof(*dsum));
	for (size_t a = 0; a < m; a++) {
		memcpy(xs + a * d, x + idx[a] * d, d * sizeof(*xs));
		as[a] = assign[idx[a]];
		if (cnt[as[a]]++ == 0)
			present++;
	}
	if (present < 2)
		goto done; /* total stays 0 */
	for (size_t a = 0; a < m; a++) {
		size_t ca = (size_t)as[a];
		double own, other = INFINITY, den;

		if (cnt[ca] < 2)
			continue; /* alone in its cluster: s = 0 */
		memset(dsum, 0, k * sizeof(*dsum));
		for (size_t b = 0; b < m; b++)
			if (b != a)
				dsum[as[b]] +=
					sqrt(sqdist(xs + a * d, xs + b * d, d));
		own = dsum[ca] / (double)(cnt[ca] - 1);
		for (size_t j = 0; j < k; j++) {
			if (j == ca || cnt[j] == 0)
				continue;
			double e = dsum[j] / (double)cnt[j];
			if (e < other)
				other = e;
		}
		den = own > other ? own : other;
		if (den > 0.0)
			total += (other - own) / den;
	}
done:
	*out = total / (double)m;
	free(idx);
	free(xs);
	free(as);
	free(cnt);
	free(dsum);
	return 0;
}

int crm_kmeans_auto_k(const double *x, size_t n, size_t d, size_t kmin,
		      size_t kmax, const struct crm_kmeans_opts *o,
		      size_t sample, size_t *k_out, int *assign_out,
		      double *centroids_out, double *wss_out, double *sil_out)
{
	struct crm_kmeans_opts ko;
	struct crm_rng rng;
	double *c, best_sil = -INFINITY;
	int *a, rc = 0;

	if (o == NULL || k_out == NULL || assign_out == NULL ||
	    centroids_out == NULL || d == 0 || kmin < 2 || kmin > kmax ||
	    kmax > n || kmax > SIZE_MAX / d)
		return CRM_EX_DATAERR;
	ko = *o;
	a = xreallocarray(NULL, n, sizeof(*a));
	c = xreallocarray(NULL, kmax * d, sizeof(*c));
	for (size_t k = kmin; k <= kmax; k++) {
		double wss, sil;

		ko.k = k;
		rc = crm_kmeans(x, n, d, &ko, a, c, &wss);
		if (rc != 0)
			goto done;
		/* Same sample for every k; a stream apart from k-means's. */
		crm_rng_seed(&rng, o->seed ^ UINT64_C(0x5111f0e77e5a3b1d));
		rc = crm_stats_silhouette(x, n, d, a, k, sample, &rng, &sil);
		if (rc != 0)
			goto done;
		if (sil_out != NULL)
			sil_out[k - kmin] = sil;
		if (sil > best_sil) {
			best_sil = sil;
			*k_out = k;
			memcpy(assign_out, a, n * sizeof(*a));
			memcpy(centroids_out, c, k * d * sizeof(*c));
			if (wss_out != NULL)
				*wss_out = wss;
		}
	}
done:
	free(a);
	free(c);
	return rc;
}
