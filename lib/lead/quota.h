/* quota.h - sales quotas: an owner's target for a month ("2026-10") or a
 * quarter ("2026-Q4") in a currency (table quotas), set by `crm-lead
 * quota set` and read by the forecast beside what it expects. */
#ifndef CRM_LEAD_QUOTA_H
#define CRM_LEAD_QUOTA_H

#include <stdint.h>

struct crm;
struct crm_err;
struct crm_store;

/* 0 when period is a month YYYY-MM or a quarter YYYY-Qn, else
 * CRM_EX_USAGE: `invalid period "2026-13" (a month such as 2026-10 or a
 * quarter such as 2026-Q4)`. */
int crm_period_check(const char *period, struct crm_err *e);

/* The quarter "2026-Q4" of a period: itself for a quarter, its quarter
 * for a month; out needs 8 bytes. */
void crm_period_quarter(const char *period, char out[8]);

/* Sets owner's quota for period to amount (as crm_amount_parse reads it
 * in currency, >= 0), replacing one set before. In the caller's
 * transaction. */
int crm_quota_set(struct crm_store *s, const char *owner, const char *period,
		  const char *amount, const char *currency, struct crm_err *e);

/* Removes owner's quotas for period (in currency only, when not NULL);
 * CRM_EX_NOTFOUND when there was none. */
int crm_quota_rm(struct crm_store *s, const char *owner, const char *period,
		 const char *currency, struct crm_err *e);

/* Prints the quotas (owner, period, currency, amount) in crm's format:
 * 0, CRM_EX_NOTFOUND for none, or the exit code after printing. */
int crm_quota_list(struct crm *crm, struct crm_store *s);

#endif
