/* plans.h - commission plans and tax rates kept in the store, for
 * crm-lead commission (lead/commission_report.h).
 *
 * A commission plan belongs to an owner or to a pipeline and holds from a
 * day on: a flat rate ("5%") or marginal tiers ("0-10000:5%,10000-:7%",
 * base/commission.h). The plan of a won deal is its owner's in force on
 * the day it was won, else its pipeline's, else none. A tax rate belongs
 * to a country (as contacts name it, compared without regard to case)
 * from a day on.
 */
#ifndef CRM_LEAD_PLANS_H
#define CRM_LEAD_PLANS_H

#include <stdint.h>

struct crm;
struct crm_err;
struct crm_store;
struct crm_stmt;

/* Sets the plan of owner, or of pipeline when owner is NULL, from day
 * (YYYY-MM-DD) on: rate (crm_rate_parse) or tiers (crm_tiers_parse, read
 * in the default currency here and in each deal's at use), exactly one
 * of them. Replaces a plan of the same holder and day. */
int crm_plan_set(struct crm_store *s, const char *owner, const char *pipeline, const char *day,
		 const char *rate, const char *tiers, struct crm_err *e);

/* Removes the plans of owner or pipeline (of day only, when not NULL);
 * CRM_EX_NOTFOUND when there was none. */
int crm_plan_rm(struct crm_store *s, const char *owner, const char *pipeline, const char *day,
		struct crm_err *e);

/* The plans: owner, pipeline, from, rate, tiers. */
struct crm_stmt *crm_plan_list_stmt(struct crm_store *s);

/* Sets country's tax rate (crm_rate_parse) from day on. */
int crm_tax_set(struct crm_store *s, const char *country, const char *rate, const char *day,
		struct crm_err *e);

/* Removes country's tax rates (of day only, when not NULL). */
int crm_tax_rm(struct crm_store *s, const char *country, const char *day, struct crm_err *e);

/* The tax rates: country, from, rate. */
struct crm_stmt *crm_tax_list_stmt(struct crm_store *s);

#endif
