/* simulate.h - Monte Carlo sales forecast for crm-lead: the value that open
 * deals may win, per period.
 *
 * The model. Deal i has a period (0..nperiods-1), a value v_i in minor
 * units of the currency (>= 0) and a win probability p_i in [0, 1]. Every
 * deal wins independently of the others with its probability; a won deal
 * brings its whole value in its period, a lost one nothing. The won value
 * of period k is the random variable S_k = sum over its deals of v_i B_i,
 * B_i ~ Bernoulli(p_i), with the closed forms
 *     E S_k   = sum v_i p_i,
 *     Var S_k = sum v_i^2 p_i (1 - p_i).
 *
 * crm_simulate_forecast draws `runs` samples of every S_k (a run is one
 * outcome of all the deals) and reports per period the mean, the sample
 * variance and the 10th, 50th and 90th percentiles of those runs, next to
 * the closed forms.
 *
 * Percentiles are nearest-rank: with the runs' totals sorted ascending,
 * x_(1) <= ... <= x_(R), percentile q (in percent) is x_(ceil(q R / 100)),
 * the smallest total that at least q% of the runs do not exceed. So every
 * percentile is a total that some run reached, in whole minor units; one
 * deal that wins surely (p = 1) gives its value in all three.
 *
 * How a period is drawn. Deals with p = 0 or value 0 never add anything
 * and deals with p = 1 always add their value: those are constants, not
 * drawn. Each other deal ("a drawn deal") is drawn in every run, exactly:
 * either as a comparison of 53 random bits with p (the deal's p is used
 * rounded up to a multiple of 2^-53), or, when the rarer of its two
 * outcomes has probability q = min(p, 1 - p) below 1/8, by skipping from
 * one run where that outcome happens to the next with geometric gaps
 * (floor(log U / log(1 - q)), exact up to the rounding of log), which
 * costs per run about 8 q draws instead of 1. A deal's cost is
 * w = min(1, 8 q) draws per run; a period's cost W is the sum over its
 * drawn deals.
 *
 *   - A period with W <= exact_max (default CRM_SIMULATE_EXACT, 4000) is
 *     simulated exactly: every run draws every deal. This covers any
 *     period of up to 4000 open deals, and larger ones whose deals are
 *     mostly near-certain wins or losses.
 *
 *   - A larger period is split. Its drawn deals are ordered by their third
 *     absolute central moment rho_i = v_i^3 p_i (1 - p_i) (p_i^2 +
 *     (1 - p_i)^2), largest first (ties in input order). A first part of
 *     that order, of cost at most heavy_max (default CRM_SIMULATE_HEAVY,
 *     1000), is drawn deal by deal as above; the sum of the rest is drawn
 *     from a normal distribution with the rest's exact mean and variance,
 *     rounded to the nearest minor unit and kept within [0, the rest's
 *     total value]. The first part is the one, among those prefixes, that
 *     minimises the Berry-Esseen bound of the rest,
 *         L = 0.56 * sum rho_i / (sum v_i^2 p_i (1 - p_i))^(3/2)
 *     (the constant 0.56 for independent, not identically distributed
 *     terms is Shevtsova's, 2010). L bounds, at every x, the difference
 *     between P(rest <= x) and the normal's, and therefore also between
 *     the CDF of the simulated period total (constants and drawn deals
 *     are added to the rest independently) and the model's: the
 *     percentile q that infinitely many runs would give lies between the
 *     model's percentiles q - 100 L and q + 100 L. L is reported per
 *     period (`bound`; 0 for an exact period). It is a worst-case bound;
 *     the actual error of the normal at P10 and P90 is mostly the
 *     skewness term of the Edgeworth expansion, typically far smaller.
 *     The mean and variance of the normal part are the closed forms of
 *     the rest, so the simulated mean and variance are unbiased but for
 *     the keeping within range, which matters only when the rest's
 *     standard deviation is comparable to its mean (L is large then).
 *
 * Cost: about runs * sum over periods of min(W_k, exact_max or heavy_max)
 * draws (about 1.5 ns each), plus one sort of each split period's deals
 * and one of each period's totals. No threads. Measured on this project's
 * 2-core machine (shared, -O2, one thread), 1,000,000 deals spread evenly
 * over 12 periods (83,334 each), values log-normal (median 5,000.00, sigma
 * 1), 10,000 runs: 0.4-0.6 s; about 1,050 deals of each period drawn one
 * by one, L = 0.006 with p uniform in (0, 1), 0.007 with p in six pipeline
 * stages (0.05 to 0.9), 0.032 with p uniform in (0, 0.02) (there
 * exact_max 7000 makes those periods exact, in 1.4 s). Against
 * exact runs of one period of 20,000 such deals (40,000 runs each), the
 * split method's P10, P50 and P90 differed by at most 0.02 standard
 * deviations of the total, within the sampling error of the exact run's
 * own percentiles.
 *
 * Conventions as in stats.h: inputs are borrowed, results go only to the
 * arrays the caller passes, scratch comes from xmalloc and is freed before
 * return, nothing is kept, nothing is printed; randomness comes from a
 * crm_rng seeded with o->seed, so equal seeds give bit-identical results on
 * the same machine. Each period draws from its own stream derived from the
 * seed and its index, so a period's result does not depend on the other
 * periods' deals. Errors: 0 on success, CRM_EX_DATAERR (err.h) with a
 * one-line message in e (which may be NULL) for bad arguments.
 */
#ifndef CRM_SIMULATE_H
#define CRM_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;

#define CRM_SIMULATE_RUNS 10000  /* runs when opts.runs is 0 */
#define CRM_SIMULATE_EXACT 4000  /* opts.exact_max when 0 */
#define CRM_SIMULATE_HEAVY 1000  /* opts.heavy_max when 0 */

/* One open deal. */
struct crm_simulate_deal {
	int period;     /* 0..nperiods-1 */
	int64_t value;  /* minor units, >= 0 */
	double p;       /* win probability, 0 <= p <= 1 */
};

struct crm_simulate_opts {
	size_t runs;      /* simulated outcomes; 0 means CRM_SIMULATE_RUNS */
	uint64_t seed;    /* the whole result is a function of the seed */
	size_t exact_max; /* a period costing at most this many draws per run
			   * is exact; 0 means CRM_SIMULATE_EXACT */
	size_t heavy_max; /* draws per run given to the deals drawn one by
			   * one in a split period; 0 means CRM_SIMULATE_HEAVY */
};

/* The forecast of one period. Amounts are in minor units. */
struct crm_simulate_period {
	size_t deals;    /* open deals of the period */
	size_t drawn;    /* of them drawn deal by deal (0 < p < 1, value > 0) */
	size_t normal;   /* of them summed by the normal draw; 0 when exact */
	double bound;    /* Berry-Esseen bound L of the normal part, 0 if none */
	double mean;     /* mean of the runs' totals */
	double var;      /* their sample variance (divisor runs - 1; 0 when
			  * runs is 1) */
	int64_t p10;     /* nearest-rank percentiles of the runs' totals */
	int64_t p50;
	int64_t p90;
	double cf_mean;  /* closed form: sum v p */
	double cf_var;   /* closed form: sum v^2 p (1 - p) */
};

/* Simulates the n deals of deals[] (may be NULL when n is 0) over
 * nperiods periods with options o (NULL for all defaults, seed 0) and
 * writes out[0..nperiods-1]; a period without deals gets all zeros.
 * totals_out, when not NULL, receives every run's total, period by
 * period: totals_out[k * runs + r] (nperiods * runs entries), in run
 * order.
 *
 * CRM_EX_DATAERR, with nothing written, for: out NULL while nperiods > 0;
 * deals NULL while n > 0; a period outside 0..nperiods-1 (negative
 * included); a negative value; a p that is NaN or outside [0, 1]; a
 * period whose values add up beyond INT64_MAX; nperiods * runs too large
 * to allocate. Messages name the deal by its index in deals[], e.g.
 * `deal 12: win probability 1.5 is not in [0, 1]`. Time and memory: the
 * head of this file; scratch is about 8 bytes per deal, 64 per deal of
 * the largest period and 8 per run. */
int crm_simulate_forecast(const struct crm_simulate_deal *deals, size_t n,
			  size_t nperiods, const struct crm_simulate_opts *o,
			  struct crm_simulate_period *out,
			  int64_t *totals_out, struct crm_err *e);

#endif
