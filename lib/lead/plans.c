/* plans.c - commission plans and tax rates in the store (plans.h). */
#include "lead/plans.h"

#include <stdio.h>
#include <string.h>

#include "base/commission.h"
#include "base/err.h"
#include "base/money.h"
#include "lead/pipeline.h"
#include "store/store.h"

/* The holder of a plan: owner, or the id of pipeline. */
static int holder(struct crm_store *s, const char *owner, const char *pipeline, int64_t *pid,
		  struct crm_err *e)
{
	*pid = 0;
	if ((owner == NULL) == (pipeline == NULL))
		return crm_err_set(e, CRM_EX_USAGE, "a plan is an owner's or a pipeline's (--pipeline P)");
	if (owner != NULL && owner[0] == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "a plan needs an owner");
	return pipeline != NULL ? crm_pipeline_find(s, pipeline, pid, e) : 0;
}

static void bind_holder(struct crm_stmt *st, const char *owner, int64_t pid)
{
	if (owner != NULL) {
		crm_bind_text(st, 1, owner);
		crm_bind_null(st, 2);
	} else {
		crm_bind_null(st, 1);
		crm_bind_int64(st, 2, pid);
	}
}

int crm_plan_set(struct crm_store *s, const char *owner, const char *pipeline, const char *day,
		 const char *rate, const char *tiers, struct crm_err *e)
{
	struct crm_rate r;
	struct crm_tiers t;
	struct crm_stmt *st;
	char text[32];
	int64_t pid;
	int rc = holder(s, owner, pipeline, &pid, e);

	if (rc == CRM_EX_NOTFOUND)
		rc = e->code = CRM_EX_DATAERR;   /* a plan for no pipeline: bad data */
	if (rc != 0)
		return rc;
	if ((rate == NULL) == (tiers == NULL))
		return crm_err_set(e, CRM_EX_USAGE, "give a RATE or --tiers, one of them");
	if (rate != NULL && (rc = crm_rate_parse(rate, &r, e)) != 0)
		return rc;
	if (tiers != NULL && (rc = crm_tiers_parse(tiers, crm_default_currency(), &t, e)) != 0)
		return rc;
	if (rate != NULL)
		crm_rate_format(r, text);
	st = crm_store_prepare(s, "DELETE FROM commission_plans WHERE day = ?3 AND"
			       " (owner = ?1 OR pipeline_id = ?2)");
	bind_holder(st, owner, pid);
	crm_bind_text(st, 3, day);
	if ((rc = crm_store_run(s, st, e)) != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO commission_plans (owner, pipeline_id, day, rate, tiers)"
			       " VALUES (?1, ?2, ?3, ?4, ?5)");
	bind_holder(st, owner, pid);
	crm_bind_text(st, 3, day);
	crm_bind_text(st, 4, rate != NULL ? text : NULL);
	crm_bind_text(st, 5, tiers);
	return crm_store_run(s, st, e);
}

int crm_plan_rm(struct crm_store *s, const char *owner, const char *pipeline, const char *day,
		struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t pid;
	int rc = holder(s, owner, pipeline, &pid, e);

	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM commission_plans WHERE (owner = ?1 OR pipeline_id = ?2)"
			       " AND (?3 IS NULL OR day = ?3)");
	bind_holder(st, owner, pid);
	crm_bind_text(st, 3, day);
	return crm_store_run_named(s, st, e, "no commission plan of %s \"%.64s\"%s%s",
				   owner != NULL ? "owner" : "pipeline", owner != NULL ? owner : pipeline,
				   day != NULL ? " from " : "", day != NULL ? day : "");
}

struct crm_stmt *crm_plan_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s, "SELECT c.owner, p.name, c.day, c.rate, c.tiers"
				 " FROM commission_plans c LEFT JOIN pipelines p ON p.id = c.pipeline_id"
				 " ORDER BY c.owner IS NULL, c.owner, p.name, c.day");
}

int crm_tax_set(struct crm_store *s, const char *country, const char *rate, const char *day,
		struct crm_err *e)
{
	struct crm_rate r;
	struct crm_stmt *st;
	char text[32];
	int rc;

	if (country[0] == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "a tax rate needs a country");
	if ((rc = crm_rate_parse(rate, &r, e)) != 0)
		return rc;
	crm_rate_format(r, text);
	st = crm_store_prepare(s, "INSERT INTO tax_rates (country, day, rate) VALUES (?1, ?2, ?3)"
			       " ON CONFLICT (country, day) DO UPDATE SET rate = excluded.rate");
	crm_bind_text(st, 1, country);
	crm_bind_text(st, 2, day);
	crm_bind_text(st, 3, text);
	return crm_store_run(s, st, e);
}

int crm_tax_rm(struct crm_store *s, const char *country, const char *day, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "DELETE FROM tax_rates WHERE country = ?1"
						" AND (day = ?2 OR ?2 IS NULL)");

	crm_bind_text(st, 1, country);
	crm_bind_text(st, 2, day);
	return crm_store_run_named(s, st, e, "no tax rate of \"%.64s\"", country);
}

struct crm_stmt *crm_tax_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s, "SELECT country, day, rate FROM tax_rates ORDER BY country, day");
}
