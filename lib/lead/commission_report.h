/* commission_report.h - crm-lead commission: what each owner earned on
 * the deals won in a period, with the tax on them.
 *
 * A deal's value is its net amount (before tax). Its tax is the rate of
 * its contact's country (lead/plans.h, compared without regard to case)
 * in force on the day it was won, added on top: tax = net * rate rounded
 * half-even (crm_tax_added), gross = net + tax. A deal whose contact has
 * no country, or a country with no rate on that day, has no tax and is
 * counted in untaxed.
 *
 * A deal's commission plan is its owner's in force on the day it was won,
 * else its pipeline's, else none. Deals are summed per owner, currency and
 * plan, and the commission is reckoned once on each sum of net values:
 * net * rate rounded half-even for a flat rate (crm_rate_apply), or the
 * marginal tiers read in that currency (crm_commission_tiered); so an
 * owner whose plan changed within the period has a row for each plan.
 * Money never adds two currencies: one row per currency.
 *
 * The period is a month (2026-10) or a quarter (2026-Q4); a deal is in it
 * when the UTC day it was won is.
 */
#ifndef CRM_LEAD_COMMISSION_REPORT_H
#define CRM_LEAD_COMMISSION_REPORT_H

struct crm;
struct crm_store;

struct crm_commission_opts {
	const char *period;  /* YYYY-MM or YYYY-Qn, checked by crm_period_check */
	const char *owner;   /* NULL: every owner */
};

/* Writes owner, currency, deals, gross, tax, net, commission, plan,
 * untaxed to stdout in crm's format, one row per owner, currency and
 * plan in that order. 0, CRM_EX_NOTFOUND when no deal was won in the
 * period, or the exit code after printing. */
int crm_commission_report(struct crm *crm, struct crm_store *s,
			  const struct crm_commission_opts *o);

#endif
