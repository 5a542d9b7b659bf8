/* cohort.h - first-purchase cohorts: contacts grouped by the month (or
 * week, from Monday) of their first purchase, and for each period after
 * it how many of them bought and what they spent (purchases less refunds).
 *
 *   cohort   size  m0     m1    m2 ...
 *   2024-01  40    100.0  25.0  ...   (% of the cohort buying)
 */
#ifndef CRM_COHORT_H
#define CRM_COHORT_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_store;

#define CRM_COHORT_PERIODS_MAX 120

/* One period after a cohort's first: set when any of its contacts bought
 * or refunded in it. */
struct crm_cohort_cell {
	int set;
	int64_t buyers;    /* contacts of the cohort who bought */
	int64_t revenue;   /* purchases less refunds, minor units */
};

struct crm_cohort {
	char label[32];    /* "2024-01", or by week the Monday "2024-01-01" */
	int64_t size;      /* contacts whose first purchase fell in it */
	struct crm_cohort_cell *cells;  /* periods of them, offset 0 first */
};

struct crm_cohorts {
	struct crm_cohort *rows;  /* oldest first */
	size_t n;
	int64_t periods;
};

/* The cohorts by month (week 0) or week, each with periods cells
 * (1-CRM_COHORT_PERIODS_MAX). Returns 0 (n may be 0) or an exit code with
 * e set. out is initialised here; free it with crm_cohorts_free(). */
int crm_cohorts(struct crm_store *s, int week, int64_t periods,
		struct crm_cohorts *out, struct crm_err *e);
void crm_cohorts_free(struct crm_cohorts *c);

#endif
