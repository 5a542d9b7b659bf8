/* test_stats.c - unit tests for lib/stats.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/stats.h"

/* Helpers: data generators and brute-force references. */

static double gauss(struct crm_rng *r)
{
	double u = crm_rng_uniform(r), v = crm_rng_uniform(r);

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

enum { BLOBS = 4, BLOB_N = 500, BLOB_D = 3 };

static const double blob_centre[BLOBS][BLOB_D] = {
	{ 0, 0, 0 }, { 20, 0, 0 }, { 0, 20, 0 }, { 0, 0, 20 },
};

/* BLOBS Gaussian blobs of BLOB_N points (sd 1), interleaved: point i is
 * from blob i % BLOBS. Returns an n x BLOB_D array the caller frees. */
static double *make_blobs(uint64_t seed)
{
	size_t n = BLOBS * BLOB_N;
	double *x = malloc(n * BLOB_D * sizeof(*x));
	struct crm_rng r;

	assert_non_null(x);
	crm_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++)
		for (size_t t = 0; t < BLOB_D; t++)
			x[i * BLOB_D + t] =
				blob_centre[i % BLOBS][t] + gauss(&r);
	return x;
}

static double sq(const double *a, const double *b, size_t d)
{
	double s = 0.0;

	for (size_t t = 0; t < d; t++)
		s += (a[t] - b[t]) * (a[t] - b[t]);
	return s;
}

static double wss_of(const double *x, size_t n, size_t d, const int *a,
		     const double *c)
{
	double s = 0.0;

	for (size_t i = 0; i < n; i++)
		s += sq(x + i * d, c + (size_t)a[i] * d, d);
	return s;
}

/* Plain Lloyd from the centres in c until nothing changes; returns WSS. */
static double plain_lloyd(const double *x, size_t n, size_t d, size_t k,
			  double *c, int *a)
{
	double *sum = calloc(k * d, sizeof(*sum));
	size_t *cnt = calloc(k, sizeof(*cnt));

	assert_non_null(sum);
	assert_non_null(cnt);
	for (size_t i = 0; i < n; i++)
		a[i] = -1;
	for (int it = 0; it < 1000; it++) {
		int changed = 0;

		for (size_t i = 0; i < n; i++) {
			int best = 0;

			for (size_t j = 1; j < k; j++)
				if (sq(x + i * d, c + j * d, d) <
				    sq(x + i * d, c + (size_t)best * d, d))
					best = (int)j;
			if (best != a[i])
				changed = 1;
			a[i] = best;
		}
		if (!changed)
			break;
		memset(sum, 0, k * d * sizeof(*sum));
		memset(cnt, 0, k * sizeof(*cnt));
		for (size_t i = 0; i < n; i++) {
			for (size_t t = 0; t < d; t++)
				sum[(size_t)a[i] * d + t] += x[i * d + t];
			cnt[a[i]]++;
		}
		for (size_t j = 0; j < k; j++) {
			if (cnt[j] == 0)
				continue;
			for (size_t t = 0; t < d; t++)
				c[j * d + t] = sum[j * d + t] / (double)cnt[j];
		}
	}
	free(sum);
	free(cnt);
	return wss_of(x, n, d, a, c);
}

/* 1 if a and b are the same partition of n points up to renaming. */
static int same_partition(const int *a, const int *b, size_t n, size_t k)
{
	int fwd[64], back[64];

	assert_true(k <= 64);
	for (size_t j = 0; j < k; j++)
		fwd[j] = back[j] = -1;
	for (size_t i = 0; i < n; i++) {
		if (fwd[a[i]] == -1 && back[b[i]] == -1) {
			fwd[a[i]] = b[i];
			back[b[i]] = a[i];
		}
		if (fwd[a[i]] != b[i] || back[b[i]] != a[i])
			return 0;
	}
	return 1;
}

/* Centroids are the means of their clusters and no cluster is empty. */
static void assert_centroids_are_means(const double *x, size_t n, size_t d,
				       size_t k, const int *a, const double *c)
{
	for (size_t j = 0; j < k; j++) {
		size_t cnt = 0;

		for (size_t t = 0; t < d; t++) {
			double s = 0.0;

			cnt = 0;
			for (size_t i = 0; i < n; i++)
				if ((size_t)a[i] == j) {
					s += x[i * d + t];
					cnt++;
				}
			assert_true(cnt > 0);
			assert_true(fabs(s / (double)cnt - c[j * d + t]) <=
				    1e-9 * (1.0 + fabs(c[j * d + t])));
		}
	}
}

/* The exact silhouette, straight from the definition. */
static double brute_silhouette(const double *x, size_t n, size_t d,
			       const int *a, size_t k)
{
	double total = 0.0;

	for (size_t i = 0; i < n; i++) {
		double own = 0.0, other = INFINITY;
		size_t own_n = 0;

		for (size_t j = 0; j < k; j++) {
			double s = 0.0;
			size_t m = 0;

			for (size_t t = 0; t < n; t++) {
				if ((size_t)a[t] != j || t == i)
					continue;
				s += sqrt(sq(x + i * d, x + t * d, d));
				m++;
			}
			if ((size_t)a[i] == j) {
				own = m ? s / (double)m : 0.0;
				own_n = m;
			} else if (m > 0 && s / (double)m < other) {
				other = s / (double)m;
			}
		}
		if (own_n > 0)
			total += (other - own) / (own > other ? own : other);
	}
	return total / (double)n;
}

/* Random numbers. */

static void stats__rng_same_seed__same_stream(void **state)
{
	struct crm_rng a, b;

	(void)state;
	crm_rng_seed(&a, 12345);
	crm_rng_seed(&b, 12345);
	for (int i = 0; i < 1000; i++)
		assert_true(crm_rng_next(&a) == crm_rng_next(&b));
	crm_rng_seed(&a, 12345);
	uint64_t first = crm_rng_next(&a);
	crm_rng_seed(&a, 12345);
	assert_true(crm_rng_next(&a) == first);
}

static void stats__rng_other_seed__other_stream(void **state)
{
	struct crm_rng a, b;
	int equal = 0;

	(void)state;
	crm_rng_seed(&a, 1);
	crm_rng_seed(&b, 2);
	for (int i = 0; i < 1000; i++)
		equal += crm_rng_next(&a) == crm_rng_next(&b);
	assert_int_equal(equal, 0);
}

static void stats__rng_seed_zero__reference_values(void **state)
{
	struct crm_rng r;

	(void)state;
	/* splitmix64's published first outputs from state 0. */
	crm_rng_seed(&r, 0);
	assert_true(r.s[0] == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(r.s[1] == UINT64_C(0x6e789e6aa1b965f4));
	assert_true(r.s[2] == UINT64_C(0x06c45d188009454f));
	assert_true(r.s[3] == UINT64_C(0xf88bb8a8724c81ec));
	/* xoshiro256** from there, as computed by the reference algorithm. */
	assert_true(crm_rng_next(&r) == UINT64_C(0x99ec5f36cb75f2b4));
	assert_true(crm_rng_next(&r) == UINT64_C(0xbf6e1f784956452a));
	assert_true(crm_rng_next(&r) == UINT64_C(0x1a5f849d4933e6e0));
}

static void stats__rng_uniform__unit_interval_mean_half(void **state)
{
	struct crm_rng r;
	double sum = 0.0, lo = 1.0, hi = 0.0;
	int n = 200000;

	(void)state;
	crm_rng_seed(&r, 99);
	for (int i = 0; i < n; i++) {
		double u = crm_rng_uniform(&r);

		assert_true(u >= 0.0 && u < 1.0);
		sum += u;
		if (u < lo)
			lo = u;
		if (u > hi)
			hi = u;
	}
	assert_true(fabs(sum / n - 0.5) < 0.005);
	assert_true(lo < 0.001 && hi > 0.999);
}

static void stats__rng_below__in_range_and_even(void **state)
{
	struct crm_rng r;
	int count[7] = { 0 };

	(void)state;
	crm_rng_seed(&r, 7);
	for (int i = 0; i < 70000; i++) {
		uint64_t v = crm_rng_below(&r, 7);

		assert_true(v < 7);
		count[v]++;
	}
	for (int j = 0; j < 7; j++)
		assert_true(count[j] > 9400 && count[j] < 10600);
	assert_true(crm_rng_below(&r, 1) == 0);
	assert_true(crm_rng_below(&r, 0) == 0);
	assert_true(crm_rng_below(&r, UINT64_MAX) < UINT64_MAX);
}

/* Mean and median. */

static void stats__mean__compensated_sum(void **state)
{
	double v[] = { 1e16, 1.0, -1e16, 2.0 };
	double big[] = { 1e308, 1e308, -1e308 };
	double m = 0.0;

	(void)state;
	assert_int_equal(crm_stats_mean(v, 4, &m), 0);
	assert_true(m == 0.75); /* a plain sum gives 0.5 */
	assert_int_equal(crm_stats_mean(big, 3, &m), 0);
	assert_true(fabs(m - 1e308 / 3) < 1e293);
}

static void stats__mean_bad_args__dataerr(void **state)
{
	double v[] = { 1.0, NAN }, inf[] = { INFINITY }, m = 42.0;

	(void)state;
	assert_int_equal(crm_stats_mean(v, 0, &m), CRM_EX_DATAERR);
	assert_int_equal(crm_stats_mean(v, 2, &m), CRM_EX_DATAERR);
	assert_int_equal(crm_stats_mean(inf, 1, &m), CRM_EX_DATAERR);
	assert_int_equal(crm_stats_mean(NULL, 1, &m), CRM_EX_DATAERR);
	assert_true(m == 42.0);
}

static void stats__median_odd_even__middle_input_untouched(void **state)
{
	double odd[] = { 9, 1, 5, 3, 7 };
	double even[] = { 4, 1, 3, 2 };
	double one[] = { -2.5 };
	double m;

	(void)state;
	assert_int_equal(crm_stats_median(odd, 5, &m), 0);
	assert_true(m == 5.0);
	assert_true(odd[0] == 9 && odd[1] == 1 && odd[4] == 7);
	assert_int_equal(crm_stats_median(even, 4, &m), 0);
	assert_true(m == 2.5);
	assert_true(even[0] == 4 && even[3] == 2);
	assert_int_equal(crm_stats_median(one, 1, &m), 0);
	assert_true(m == -2.5);
}

static void stats__median_bad_args__dataerr(void **state)
{
	double v[] = { 1.0, NAN }, m;

	(void)state;
	assert_int_equal(crm_stats_median(v, 0, &m), CRM_EX_DATAERR);
	assert_int_equal(crm_stats_median(v, 2, &m), CRM_EX_DATAERR);
	assert_int_equal(crm_stats_median(v, 1, NULL), CRM_EX_DATAERR);
}

/* Standardisation. */

static void stats__standardize__mean0_sd1_and_maps_back(void **state)
{
	size_t n = 1000, d = 3;
	double *x = malloc(n * d * sizeof(*x));
	double *orig = malloc(n * d * sizeof(*x));
	double mean[3], sd[3];
	struct crm_rng r;

	(void)state;
	assert_non_null(x);
	assert_non_null(orig);
	crm_rng_seed(&r, 3);
	for (size_t i = 0; i < n; i++) {
		x[i * d + 0] = 1e6 + 10.0 * gauss(&r);  /* big offset */
		x[i * d + 1] = 0.001 * crm_rng_uniform(&r);
		x[i * d + 2] = exp(2.0 * gauss(&r));    /* skewed */
	}
	memcpy(orig, x, n * d * sizeof(*x));
	assert_int_equal(crm_stats_standardize(x, n, d, mean, sd), 0);
	for (size_t t = 0; t < d; t++) {
		double s = 0.0, ss = 0.0;

		for (size_t i = 0; i < n; i++) {
			s += x[i * d + t];
			ss += x[i * d + t] * x[i * d + t];
		}
		assert_true(fabs(s / n) < 1e-9);
		assert_true(fabs(ss / n - 1.0) < 1e-9);
		assert_true(sd[t] > 0.0);
		for (size_t i = 0; i < n; i++) {
			double back = mean[t] + x[i * d + t] * sd[t];

			assert_true(fabs(back - orig[i * d + t]) <=
				    1e-9 * fabs(orig[i * d + t]) + 1e-12);
		}
	}
	assert_true(fabs(mean[0] - 1e6) < 2.0);
	free(x);
	free(orig);
}

static void stats__standardize_constant_column__zeros_sd0(void **state)
{
	double x[] = { 0.1, 1, 0.1, 2, 0.1, 3, 0.1, 4, 0.1, 5, 0.1, 6, 0.1, 7 };
	double mean[2], sd[2];

	(void)state;
	assert_int_equal(crm_stats_standardize(x, 7, 2, mean, sd), 0);
	assert_true(sd[0] == 0.0);
	assert_true(fabs(mean[0] - 0.1) < 1e-15);
	assert_true(fabs(mean[1] - 4.0) < 1e-15);
	assert_true(fabs(sd[1] - 2.0) < 1e-15);
	for (size_t i = 0; i < 7; i++) {
		double z = ((double)i - 3.0) / 2.0;

		assert_true(x[i * 2] == 0.0);
		assert_true(fabs(x[i * 2 + 1] - z) < 1e-15);
	}
	/* NULL outputs are allowed. */
	assert_int_equal(crm_stats_standardize(x, 7, 2, NULL, NULL), 0);
}

static void stats__standardize_bad_args__dataerr_untouched(void **state)
{
	double x[] = { 1, 2, NAN, 4 }, y[] = { 1, INFINITY };

	(void)state;
	assert_int_equal(crm_stats_standardize(x, 2, 2, NULL, NULL),
			 CRM_EX_DATAERR);
	assert_true(x[0] == 1 && x[1] == 2 && x[3] == 4);
	assert_int_equal(crm_stats_standardize(y, 2, 1, NULL, NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_standardize(x, 0, 2, NULL, NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_standardize(x, 2, 0, NULL, NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_standardize(NULL, 2, 2, NULL, NULL),
			 CRM_EX_DATAERR);
}

/* Quintiles. */

static void stats__quintiles_1_to_10_higher__1122334455(void **state)
{
	double v[10];
	int s[10], want[10] = { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 };

	(void)state;
	for (int i = 0; i < 10; i++)
		v[i] = i + 1;
	assert_int_equal(crm_stats_quintiles(v, 10, 1, s), 0);
	assert_memory_equal(s, want, sizeof(want));
}

static void stats__quintiles_1_to_10_lower__5544332211(void **state)
{
	double v[10];
	int s[10], want[10] = { 5, 5, 4, 4, 3, 3, 2, 2, 1, 1 };

	(void)state;
	for (int i = 0; i < 10; i++)
		v[i] = i + 1; /* days since last purchase: 1 is best */
	assert_int_equal(crm_stats_quintiles(v, 10, 0, s), 0);
	assert_memory_equal(s, want, sizeof(want));
}

static void stats__quintiles_ties__share_lowest_score(void **state)
{
	/* Sorted: 1 1 1 1 | 2 | 3 3 3 | 9 9; n = 10. */
	double v[] = { 3, 1, 9, 1, 2, 3, 1, 9, 3, 1 };
	int s[10];
	/* higher better: worse-than counts 0, 4, 5, 8 -> 1, 3, 3, 5 */
	int up[] = { 3, 1, 5, 1, 3, 3, 1, 5, 3, 1 };
	/* lower better: worse-than counts 6, 5, 2, 0 -> 4, 3, 2, 1 */
	int down[] = { 2, 4, 1, 4, 3, 2, 4, 1, 2, 4 };

	(void)state;
	assert_int_equal(crm_stats_quintiles(v, 10, 1, s), 0);
	assert_memory_equal(s, up, sizeof(up));
	assert_int_equal(crm_stats_quintiles(v, 10, 0, s), 0);
	assert_memory_equal(s, down, sizeof(down));
}

static void stats__quintiles_shuffled__same_score_per_value(void **state)
{
	enum { N = 1000 };
	double v[N], w[N];
	int s[N], t[N], pos[N];
	struct crm_rng r;

	(void)state;
	crm_rng_seed(&r, 11);
	for (int i = 0; i < N; i++) {
		v[i] = (double)crm_rng_below(&r, 37); /* many ties */
		pos[i] = i;
	}
	for (int i = N - 1; i > 0; i--) {
		int j = (int)crm_rng_below(&r, (uint64_t)i + 1), tmp = pos[i];

		pos[i] = pos[j];
		pos[j] = tmp;
	}
	for (int i = 0; i < N; i++)
		w[i] = v[pos[i]];
	for (int dir = 0; dir < 2; dir++) {
		int count[6] = { 0 };

		assert_int_equal(crm_stats_quintiles(v, N, dir, s), 0);
		assert_int_equal(crm_stats_quintiles(w, N, dir, t), 0);
		for (int i = 0; i < N; i++) {
			assert_int_equal(t[i], s[pos[i]]);
			assert_true(s[i] >= 1 && s[i] <= 5);
			count[s[i]]++;
		}
		for (int q = 1; q <= 5; q++) /* ties keep them near N / 5 */
			assert_true(count[q] > 100 && count[q] < 300);
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j += 37)
				if (dir ? v[i] < v[j] : v[i] > v[j])
					assert_true(s[i] <= s[j]);
	}
}

static void stats__quintiles_edges__all_equal_one_empty_nan(void **state)
{
	double same[] = { 4, 4, 4, 4, 4, 4 }, one[] = { 7 };
	double bad[] = { 1, NAN, 3 }, inf[] = { -INFINITY, 0, INFINITY };
	int s[6] = { 0 };

	(void)state;
	assert_int_equal(crm_stats_quintiles(same, 6, 1, s), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(s[i], 1);
	assert_int_equal(crm_stats_quintiles(one, 1, 0, s), 0);
	assert_int_equal(s[0], 1);
	assert_int_equal(crm_stats_quintiles(NULL, 0, 1, NULL), 0);
	assert_int_equal(crm_stats_quintiles(bad, 3, 1, s), CRM_EX_DATAERR);
	assert_int_equal(crm_stats_quintiles(inf, 3, 1, s), 0);
	assert_int_equal(s[0], 1);
	assert_int_equal(s[1], 2);
	assert_int_equal(s[2], 4);
}

/* k-means. */

static void stats__kmeans_separated_blobs__found_exactly(void **state)
{
	size_t n = BLOBS * BLOB_N, d = BLOB_D;
	double *x = make_blobs(1), c[BLOBS * BLOB_D], wss;
	int *a = malloc(n * sizeof(*a)), *truth = malloc(n * sizeof(*a));
	struct crm_kmeans_opts o = { .k = BLOBS, .restarts = 5,
				     .max_iter = 100, .seed = 2024 };

	(void)state;
	assert_non_null(a);
	assert_non_null(truth);
	for (size_t i = 0; i < n; i++)
		truth[i] = (int)(i % BLOBS);
	assert_int_equal(crm_kmeans(x, n, d, &o, a, c, &wss), 0);
	assert_true(same_partition(a, truth, n, BLOBS));
	assert_centroids_are_means(x, n, d, BLOBS, a, c);
	assert_true(fabs(wss - wss_of(x, n, d, a, c)) <= 1e-9 * wss);
	for (size_t i = 0; i < BLOBS; i++) /* point i is from blob i */
		assert_true(sq(c + (size_t)a[i] * d, blob_centre[i], d) < 0.1);
	free(x);
	free(a);
	free(truth);
}

static void stats__kmeans_blobs__wss_at_most_lloyd_from_truth(void **state)
{
	size_t n = BLOBS * BLOB_N, d = BLOB_D;
	int *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	double c[BLOBS * BLOB_D], tc[BLOBS * BLOB_D], wss, ref;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (uint64_t seed = 1; seed <= 5; seed++) {
		double *x = make_blobs(seed * 101);
		struct crm_kmeans_opts o = { .k = BLOBS, .restarts = 3,
					     .max_iter = 100, .seed = seed };

		memcpy(tc, blob_centre, sizeof(tc));
		ref = plain_lloyd(x, n, d, BLOBS, tc, b);
		assert_int_equal(crm_kmeans(x, n, d, &o, a, c, &wss), 0);
		assert_true(wss <= ref * (1.0 + 1e-12));
		free(x);
	}
	free(a);
	free(b);
}

static void stats__kmeans_same_seed__bit_identical(void **state)
{
	size_t n = BLOBS * BLOB_N, d = BLOB_D;
	double *x = make_blobs(5), c1[6 * BLOB_D], c2[6 * BLOB_D], w1, w2;
	int *a1 = malloc(n * sizeof(int)), *a2 = malloc(n * sizeof(int));
	/* k = 6 on 4 blobs: the split is up to the seed. */
	struct crm_kmeans_opts o = { .k = 6, .restarts = 4, .max_iter = 50,
				     .seed = 77, .sample = 700 };

	(void)state;
	assert_non_null(a1);
	assert_non_null(a2);
	assert_int_equal(crm_kmeans(x, n, d, &o, a1, c1, &w1), 0);
	assert_int_equal(crm_kmeans(x, n, d, &o, a2, c2, &w2), 0);
	assert_memory_equal(a1, a2, n * sizeof(int));
	assert_memory_equal(c1, c2, sizeof(c1));
	assert_memory_equal(&w1, &w2, sizeof(w1));
	free(x);
	free(a1);
	free(a2);
}

static void stats__kmeans_subsampled__nearest_and_exact(void **state)
{
	size_t n = BLOBS * BLOB_N, d = BLOB_D;
	double *x = make_blobs(9), c[BLOBS * BLOB_D], wss;
	int *a = malloc(n * sizeof(*a)), *truth = malloc(n * sizeof(*a));
	/* Restarts on 300 of the 2,000 points, then all of them. */
	struct crm_kmeans_opts o = { .k = BLOBS, .restarts = 3,
				     .max_iter = 100, .seed = 5,
				     .sample = 300 };

	(void)state;
	assert_non_null(a);
	assert_non_null(truth);
	for (size_t i = 0; i < n; i++)
		truth[i] = (int)(i % BLOBS);
	assert_int_equal(crm_kmeans(x, n, d, &o, a, c, &wss), 0);
	assert_true(same_partition(a, truth, n, BLOBS));
	assert_centroids_are_means(x, n, d, BLOBS, a, c);
	assert_true(fabs(wss - wss_of(x, n, d, a, c)) <= 1e-9 * wss);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < BLOBS; j++)
			assert_true(sq(x + i * d, c + (size_t)a[i] * d, d) <=
				    sq(x + i * d, c + j * d, d));
	free(x);
	free(a);
	free(truth);
}

static void stats__kmeans_uniform_noise__converged_to_nearest(void **state)
{
	size_t n = 3000, d = 2, k = 7;
	double *x = malloc(n * d * sizeof(*x)), c[7 * 2], wss;
	int *a = malloc(n * sizeof(*a));
	struct crm_kmeans_opts o = { .k = k, .restarts = 2, .max_iter = 1000,
				     .seed = 8, .sample = 1000 };
	struct crm_rng r;

	(void)state;
	assert_non_null(x);
	assert_non_null(a);
	crm_rng_seed(&r, 8);
	for (size_t i = 0; i < n * d; i++)
		x[i] = crm_rng_uniform(&r);
	assert_int_equal(crm_kmeans(x, n, d, &o, a, c, &wss), 0);
	assert_centroids_are_means(x, n, d, k, a, c);
	/* Lloyd's fixed point: every point is at a nearest centroid. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < k; j++)
			assert_true(sq(x + i * d, c + (size_t)a[i] * d, d) <=
				    sq(x + i * d, c + j * d, d) + 1e-12);
	free(x);
	free(a);
}

static void stats__kmeans_restarts__keep_lowest_wss(void **state)
{
	size_t n = 3000, d = 2, k = 7;
	double *x = malloc(n * d * sizeof(*x)), c[7 * 2], one, many;
	int *a = malloc(n * sizeof(*a)), better = 0;
	struct crm_rng r;

	(void)state;
	assert_non_null(x);
	assert_non_null(a);
	crm_rng_seed(&r, 12);
	for (size_t i = 0; i < n * d; i++)
		x[i] = crm_rng_uniform(&r);
	for (uint64_t seed = 0; seed < 5; seed++) {
		/* No subsample (n < CRM_KMEANS_SAMPLE): the first of the ten
		 * restarts draws exactly what the single run draws. */
		struct crm_kmeans_opts o = { .k = k, .restarts = 1,
					     .max_iter = 300, .seed = seed };

		assert_int_equal(crm_kmeans(x, n, d, &o, a, c, &one), 0);
		o.restarts = 10;
		assert_int_equal(crm_kmeans(x, n, d, &o, a, c, &many), 0);
		assert_true(many <= one);
		better += many < one;
	}
	assert_true(better > 0); /* uniform noise has many local optima */
	free(x);
	free(a);
}

static void stats__kmeans_k_equals_n__every_point_alone(void **state)
{
	double x[] = { 0, 0, 1, 0, 0, 1, 5, 5, 9, 1, -3, 2, 7, -7 };
	double c[7 * 2], wss = -1.0;
	int a[7], seen[7] = { 0 };
	struct crm_kmeans_opts o = { .k = 7, .restarts = 2, .max_iter = 10,
				     .seed = 1 };

	(void)state;
	assert_int_equal(crm_kmeans(x, 7, 2, &o, a, c, &wss), 0);
	assert_true(wss == 0.0);
	for (size_t i = 0; i < 7; i++) {
		seen[a[i]]++;
		assert_true(c[a[i] * 2] == x[i * 2]);
		assert_true(c[a[i] * 2 + 1] == x[i * 2 + 1]);
	}
	for (size_t j = 0; j < 7; j++)
		assert_int_equal(seen[j], 1);
}

static void stats__kmeans_duplicates_k_equals_n__no_empty_cluster(void **state)
{
	/* Five copies of one point and one other: k-means++ runs out of
	 * distinct points, so empty clusters must be re-seeded. */
	double x[] = { 2, 2, 2, 2, 2, 9 };
	double c[6], wss = -1.0;
	int a[6], seen[6] = { 0 };

	(void)state;
	for (uint64_t seed = 0; seed < 20; seed++) {
		struct crm_kmeans_opts o = { .k = 6, .restarts = 1,
					     .max_iter = 5, .seed = seed };

		memset(seen, 0, sizeof(seen));
		assert_int_equal(crm_kmeans(x, 6, 1, &o, a, c, &wss), 0);
		assert_true(wss == 0.0);
		for (size_t i = 0; i < 6; i++)
			seen[a[i]]++;
		for (size_t j = 0; j < 6; j++)
			assert_int_equal(seen[j], 1);
	}
}

static void stats__kmeans_k1__centroid_is_mean(void **state)
{
	double x[] = { 1, 10, 2, 20, 3, 30, 6, 60 }, c[2], wss;
	int a[4];
	struct crm_kmeans_opts o = { .k = 1, .restarts = 1, .max_iter = 10,
				     .seed = 0 };

	(void)state;
	assert_int_equal(crm_kmeans(x, 4, 2, &o, a, c, &wss), 0);
	assert_true(c[0] == 3.0 && c[1] == 30.0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(a[i], 0);
	assert_true(fabs(wss - (4 + 1 + 0 + 9) * 101.0) < 1e-9);
	/* wss_out is optional */
	assert_int_equal(crm_kmeans(x, 4, 2, &o, a, c, NULL), 0);
}

static void stats__kmeans_bad_args__dataerr(void **state)
{
	double x[] = { 1, 2, 3, 4, 5, 6 }, nan[] = { 1, NAN, 3 }, c[12];
	int a[6];
	struct crm_kmeans_opts o = { .k = 2, .restarts = 1, .max_iter = 10 };
	struct crm_kmeans_opts bad = o;

	(void)state;
	assert_int_equal(crm_kmeans(x, 6, 1, &o, a, c, NULL), 0);
	bad.k = 0;
	assert_int_equal(crm_kmeans(x, 6, 1, &bad, a, c, NULL), CRM_EX_DATAERR);
	bad.k = 7; /* k > n */
	assert_int_equal(crm_kmeans(x, 6, 1, &bad, a, c, NULL), CRM_EX_DATAERR);
	bad = o;
	bad.restarts = 0;
	assert_int_equal(crm_kmeans(x, 6, 1, &bad, a, c, NULL), CRM_EX_DATAERR);
	bad = o;
	bad.max_iter = 0;
	assert_int_equal(crm_kmeans(x, 6, 1, &bad, a, c, NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(x, 6, 0, &o, a, c, NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(x, 0, 1, &o, a, c, NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(nan, 3, 1, &o, a, c, NULL), CRM_EX_DATAERR);
	nan[1] = -1e200; /* its squared distances would overflow */
	assert_int_equal(crm_kmeans(nan, 3, 1, &o, a, c, NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(NULL, 6, 1, &o, a, c, NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(x, 6, 1, NULL, a, c, NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(x, 6, 1, &o, NULL, c, NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(x, 6, 1, &o, a, NULL, NULL),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans(x, SIZE_MAX, 2, &o, a, c, NULL),
			 CRM_EX_DATAERR);
}

/* Silhouette and the choice of k. */

static void stats__silhouette_separated_blobs__near_one(void **state)
{
	size_t n = BLOBS * BLOB_N;
	double *x = make_blobs(2), s;
	int *a = malloc(n * sizeof(*a));
	struct crm_rng r;

	(void)state;
	assert_non_null(a);
	for (size_t i = 0; i < n; i++)
		a[i] = (int)(i % BLOBS);
	crm_rng_seed(&r, 1);
	assert_int_equal(crm_stats_silhouette(x, n, BLOB_D, a, BLOBS, 500, &r,
					      &s), 0);
	/* Blobs 20 apart with sd 1 in 3-D: a point's mean distance within its
	 * blob is about 2.3 and to another blob about 20, so s is about
	 * 1 - 2.3 / 20 = 0.89 (exactly 0.8866 on all 2,000 points). */
	assert_true(s > 0.85 && s <= 1.0);
	free(x);
	free(a);
}

static void stats__silhouette_uniform_noise__lower(void **state)
{
	size_t n = 2000, d = 2;
	double *x = malloc(n * d * sizeof(*x)), *b = make_blobs(3);
	double c[4 * 2], cb[4 * BLOB_D], noise, blobs;
	int *a = malloc(n * sizeof(*a)), *ab = malloc(n * sizeof(*ab));
	struct crm_kmeans_opts o = { .k = 4, .restarts = 2, .max_iter = 100,
				     .seed = 4 };
	struct crm_rng r;

	(void)state;
	assert_non_null(x);
	assert_non_null(a);
	assert_non_null(ab);
	crm_rng_seed(&r, 4);
	for (size_t i = 0; i < n * d; i++)
		x[i] = crm_rng_uniform(&r);
	assert_int_equal(crm_kmeans(x, n, d, &o, a, c, NULL), 0);
	assert_int_equal(crm_kmeans(b, n, BLOB_D, &o, ab, cb, NULL), 0);
	crm_rng_seed(&r, 5);
	assert_int_equal(crm_stats_silhouette(x, n, d, a, 4, 1000, &r, &noise),
			 0);
	crm_rng_seed(&r, 5);
	assert_int_equal(crm_stats_silhouette(b, n, BLOB_D, ab, 4, 1000, &r,
					      &blobs), 0);
	assert_true(noise > 0.0 && noise < 0.5);
	assert_true(blobs > noise + 0.3);
	free(x);
	free(b);
	free(a);
	free(ab);
}

static void stats__silhouette_whole_sample__exact(void **state)
{
	size_t n = 150, d = 2, k = 4;
	double x[150 * 2], s, s2;
	int a[150];
	struct crm_rng r;

	(void)state;
	crm_rng_seed(&r, 6);
	for (size_t i = 0; i < n; i++) {
		x[i * d] = crm_rng_uniform(&r);
		x[i * d + 1] = crm_rng_uniform(&r);
		a[i] = (int)crm_rng_below(&r, 3); /* cluster 3 stays empty */
	}
	a[17] = 3; /* a singleton: contributes 0 */
	assert_int_equal(crm_stats_silhouette(x, n, d, a, k, n, &r, &s), 0);
	assert_true(fabs(s - brute_silhouette(x, n, d, a, k)) < 1e-12);
	assert_int_equal(crm_stats_silhouette(x, n, d, a, k, 10 * n, &r, &s2),
			 0);
	assert_true(s2 == s);
}

static void stats__silhouette_sample__same_rng_same_value(void **state)
{
	size_t n = BLOBS * BLOB_N;
	double *x = make_blobs(4), s1, s2, s3;
	int *a = malloc(n * sizeof(*a));
	struct crm_rng r;

	(void)state;
	assert_non_null(a);
	for (size_t i = 0; i < n; i++) /* a poor labelling, not the blobs */
		a[i] = (int)(i % 3);
	crm_rng_seed(&r, 9);
	assert_int_equal(crm_stats_silhouette(x, n, BLOB_D, a, 3, 200, &r, &s1),
			 0);
	crm_rng_seed(&r, 9);
	assert_int_equal(crm_stats_silhouette(x, n, BLOB_D, a, 3, 200, &r, &s2),
			 0);
	assert_true(s1 == s2);
	assert_int_equal(crm_stats_silhouette(x, n, BLOB_D, a, 3, n, &r, &s3),
			 0);
	assert_true(fabs(s1 - s3) < 0.1); /* sampled estimate near exact */
	assert_true(s3 < 0.1);
	free(x);
	free(a);
}

static void stats__silhouette_bad_args__dataerr(void **state)
{
	double x[] = { 0, 1, 2, 3 }, s;
	int a[] = { 0, 0, 1, 1 }, bad[] = { 0, 2, 1, 1 };
	int neg[] = { 0, -1, 1, 1 };
	struct crm_rng r;

	(void)state;
	crm_rng_seed(&r, 0);
	assert_int_equal(crm_stats_silhouette(x, 4, 1, a, 2, 4, &r, &s), 0);
	assert_int_equal(crm_stats_silhouette(x, 4, 1, a, 1, 4, &r, &s),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_silhouette(x, 4, 1, bad, 2, 4, &r, &s),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_silhouette(x, 4, 1, neg, 2, 4, &r, &s),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_silhouette(x, 4, 1, a, 2, 1, &r, &s),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_silhouette(x, 1, 1, a, 2, 4, &r, &s),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_silhouette(x, 4, 0, a, 2, 4, &r, &s),
			 CRM_EX_DATAERR);
	assert_int_equal(crm_stats_silhouette(x, 4, 1, a, 2, 4, NULL, &s),
			 CRM_EX_DATAERR);
	x[2] = 1e200;
	assert_int_equal(crm_stats_silhouette(x, 4, 1, a, 2, 4, &r, &s),
			 CRM_EX_DATAERR);
	x[2] = NAN;
	assert_int_equal(crm_stats_silhouette(x, 4, 1, a, 2, 4, &r, &s),
			 CRM_EX_DATAERR);
	x[2] = 2;
	/* One cluster present: defined as 0. */
	int one[] = { 1, 1, 1, 1 };
	assert_int_equal(crm_stats_silhouette(x, 4, 1, one, 2, 4, &r, &s), 0);
	assert_true(s == 0.0);
}

static void stats__auto_k_four_blobs__picks_four(void **state)
{
	size_t n = BLOBS * BLOB_N, d = BLOB_D, k = 0;
	double *x = make_blobs(6), c[8 * BLOB_D], wss, sil[7];
	int *a = malloc(n * sizeof(*a)), *truth = malloc(n * sizeof(*a));
	struct crm_kmeans_opts o = { .restarts = 3, .max_iter = 100,
				     .seed = 31 };

	(void)state;
	assert_non_null(a);
	assert_non_null(truth);
	for (size_t i = 0; i < n; i++)
		truth[i] = (int)(i % BLOBS);
	assert_int_equal(crm_kmeans_auto_k(x, n, d, 2, 8, &o, 1000, &k, a, c,
					   &wss, sil), 0);
	assert_int_equal(k, 4);
	assert_true(same_partition(a, truth, n, BLOBS));
	assert_centroids_are_means(x, n, d, k, a, c);
	assert_true(fabs(wss - wss_of(x, n, d, a, c)) <= 1e-9 * wss);
	for (size_t i = 0; i < 7; i++) {
		assert_true(sil[i] > -1.0 && sil[i] <= 1.0);
		if (i != 2)
			assert_true(sil[i] < sil[2]);
	}
	assert_true(sil[2] > 0.85);
	free(x);
	free(a);
	free(truth);
}

static void stats__auto_k_bad_range__dataerr(void **state)
{
	double x[] = { 0, 1, 2, 3, 10, 11 }, c[6], wss;
	int a[6];
	size_t k = 99;
	struct crm_kmeans_opts o = { .restarts = 1, .max_iter = 10, .seed = 1 };

	(void)state;
	assert_int_equal(crm_kmeans_auto_k(x, 6, 1, 1, 3, &o, 6, &k, a, c, &wss,
					   NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans_auto_k(x, 6, 1, 3, 2, &o, 6, &k, a, c, &wss,
					   NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans_auto_k(x, 6, 1, 2, 7, &o, 6, &k, a, c, &wss,
					   NULL), CRM_EX_DATAERR);
	assert_int_equal(crm_kmeans_auto_k(x, 6, 1, 2, 3, &o, 1, &k, a, c, &wss,
					   NULL), CRM_EX_DATAERR);
	assert_true(k == 99);
	assert_int_equal(crm_kmeans_auto_k(x, 6, 1, 2, 2, &o, 6, &k, a, c, NULL,
					   NULL), 0);
	assert_true(k == 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stats__rng_same_seed__same_stream),
		cmocka_unit_test(stats__rng_other_seed__other_stream),
		cmocka_unit_test(stats__rng_seed_zero__reference_values),
		cmocka_unit_test(stats__rng_uniform__unit_interval_mean_half),
		cmocka_unit_test(stats__rng_below__in_range_and_even),
		cmocka_unit_test(stats__mean__compensated_sum),
		cmocka_unit_test(stats__mean_bad_args__dataerr),
		cmocka_unit_test(stats__median_odd_even__middle_input_untouched),
		cmocka_unit_test(stats__median_bad_args__dataerr),
		cmocka_unit_test(stats__standardize__mean0_sd1_and_maps_back),
		cmocka_unit_test(stats__standardize_constant_column__zeros_sd0),
		cmocka_unit_test(stats__standardize_bad_args__dataerr_untouched),
		cmocka_unit_test(stats__quintiles_1_to_10_higher__1122334455),
		cmocka_unit_test(stats__quintiles_1_to_10_lower__5544332211),
		cmocka_unit_test(stats__quintiles_ties__share_lowest_score),
		cmocka_unit_test(stats__quintiles_shuffled__same_score_per_value),
		cmocka_unit_test(stats__quintiles_edges__all_equal_one_empty_nan),
		cmocka_unit_test(stats__kmeans_separated_blobs__found_exactly),
		cmocka_unit_test(stats__kmeans_blobs__wss_at_most_lloyd_from_truth),
		cmocka_unit_test(stats__kmeans_same_seed__bit_identical),
		cmocka_unit_test(stats__kmeans_subsampled__nearest_and_exact),
		cmocka_unit_test(stats__kmeans_uniform_noise__converged_to_nearest),
		cmocka_unit_test(stats__kmeans_restarts__keep_lowest_wss),
		cmocka_unit_test(stats__kmeans_k_equals_n__every_point_alone),
		cmocka_unit_test(stats__kmeans_duplicates_k_equals_n__no_empty_cluster),
		cmocka_unit_test(stats__kmeans_k1__centroid_is_mean),
		cmocka_unit_test(stats__kmeans_bad_args__dataerr),
		cmocka_unit_test(stats__silhouette_separated_blobs__near_one),
		cmocka_unit_test(stats__silhouette_uniform_noise__lower),
		cmocka_unit_test(stats__silhouette_whole_sample__exact),
		cmocka_unit_test(stats__silhouette_sample__same_rng_same_value),
		cmocka_unit_test(stats__silhouette_bad_args__dataerr),
		cmocka_unit_test(stats__auto_k_four_blobs__picks_four),
		cmocka_unit_test(stats__auto_k_bad_range__dataerr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
