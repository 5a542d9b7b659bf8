/* rfm.h - recency, frequency and monetary scores over purchases.
 *
 * For every contact with a purchase before the as-of time: recency (days
 * since the last purchase), frequency (purchases) and monetary value
 * (purchases less refunds, minor units), each scored 1-5 by quintile (5 is
 * best: most recent, most frequent, highest value), and a named segment
 * from r and fm = (f + m + 1) / 2:
 *
 *   r\fm  1               2                   3                   4             5
 *   5     new             potential loyalist  potential loyalist  champions     champions
 *   4     promising       potential loyalist  potential loyalist  loyal         champions
 *   3     about to sleep  about to sleep      needs attention     loyal         loyal
 *   2     hibernating     hibernating         at risk             at risk       cannot lose
 *   1     lost            lost                at risk             cannot lose   cannot lose
 */
#ifndef CRM_RFM_H
#define CRM_RFM_H

#include <stdint.h>

struct crm_err;
struct crm_out;
struct crm_store;

const char *crm_rfm_segment(int r, int f, int m);

/* Scores every contact with purchases before as_of and replaces the
 * contact_rfm table (inside the caller's transaction). *scored is the
 * number of contacts scored. */
int crm_rfm_score(struct crm_store *s, int64_t as_of, unsigned long *scored,
		  struct crm_err *e);

/* Writes a row per segment of contact_rfm to out, the highest revenue
 * first: segment, contacts, share (of scored, "12.5%"), revenue (purchases
 * less refunds, default currency), avg_recency_days, avg_frequency,
 * avg_r, avg_f, avg_m. Returns 0 or an exit code with e set; the caller
 * closes out. */
int crm_rfm_report(struct crm_store *s, unsigned long scored, struct crm_out *out,
		   struct crm_err *e);

#endif
