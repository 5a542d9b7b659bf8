/* forecast.h - crm-lead forecast: the open deals' value weighted by their
 * probability (the model's score where `score apply` wrote one, else
 * their stage's), by expected close period (month or quarter) or by
 * owner, stage or pipeline, beside the value won in that period; one row
 * a group and currency (money never adds two currencies).
 *
 * With simulate > 0 runs, a Monte Carlo forecast (base/simulate.h): each
 * open deal wins independently with its probability, and each row gets
 * the mean, P10, P50 and P90 of the value won.
 *
 * Each row has the quota (lead/quota.h) of its group: by month, the
 * owners' quotas for that month; by quarter, each owner's for the
 * quarter, or where an owner has none for it (in that currency), the sum
 * of the owner's for its months; by owner, the same for the months of
 * the periods shown (--periods months from now's) and the quarters that
 * touch them; none by stage or pipeline. A period with a quota and no
 * deal still has its row.
 *
 * With currency, every amount (values, won, quotas) is converted to it
 * at the rates kept in the store as of today (lead/rates.h) and the row
 * names the rates it used in a last column, rates.
 *
 * Periods run from the one holding now for `periods` periods; an open deal
 * expected to close before now counts in the first (it is late, not
 * lost), one expected after the last is left out, one with no expected
 * close is in the period "none".
 */
#ifndef CRM_LEAD_FORECAST_H
#define CRM_LEAD_FORECAST_H

#include <stdint.h>

struct crm;
struct crm_store;

enum crm_forecast_by { CRM_BY_MONTH, CRM_BY_QUARTER, CRM_BY_OWNER, CRM_BY_STAGE,
		       CRM_BY_PIPELINE };

struct crm_forecast_opts {
	enum crm_forecast_by by;
	int periods;          /* month/quarter: how many (default 6 / 4) */
	long simulate;        /* runs; 0: none */
	uint64_t seed;
	int64_t now;
	const char *currency; /* NULL: one row a currency */
};

/* Parses --by. 0 or -1. */
int crm_forecast_by_parse(const char *s, enum crm_forecast_by *out);

/* Writes the forecast to stdout in crm's format: group, currency, deals,
 * open_value, weighted, won (and mean, p10, p50, p90 when simulated),
 * quota (and rates with a currency).
 * 0, CRM_EX_NOTFOUND for no open deal, or the exit code after printing. */
int crm_forecast(struct crm *crm, struct crm_store *s, const struct crm_forecast_opts *o);

/* The options' lines for --help. */
#define CRM_FORECAST_HELP \
	"  --by B            by expected close month (default) or quarter, or by\n" \
	"                    owner, stage or pipeline\n" \
	"  --periods N       months or quarters from now's (default 6 or 4)\n" \
	"  --simulate RUNS   Monte Carlo: mean, P10, P50, P90 of the value won\n" \
	"  --seed S          the simulation's seed (default 1)\n" \
	"  --currency C      every amount in C, at the rates of crm-lead rates\n"

#endif
