/* deal_list.h - crm-lead list and export: deals chosen by stage, owner,
 * source, pipeline, value, expected close, staleness and a filter
 * expression over the deal (lead.*) and its contact, in the columns asked
 * for (--fields: the deal's columns or any name of the filter language),
 * sorted and limited. Money is printed in its own currency's notation.
 */
#ifndef CRM_LEAD_DEAL_LIST_H
#define CRM_LEAD_DEAL_LIST_H

#include <stdint.h>

struct crm;
struct crm_err;
struct crm_store;

struct crm_deal_query {
	const char *stage;            /* by name, in any pipeline */
	const char *owner;
	const char *source;
	const char *pipeline;
	const char *status;           /* open, won, lost, closed; NULL: all */
	const char *min_value;        /* major units, in each deal's currency */
	const char *max_value;
	const char *closing_before;   /* dates (any form dates.h reads) */
	const char *closing_after;
	long stale_days;              /* > 0: open, no interaction with the
					 contact and no stage change for N days */
	const char *filter;           /* filter expression */
	const char *fields;           /* "id,title,lead.age,country" */
	const char *sort;             /* "-value,id" */
	long limit;                   /* > 0 */
	int64_t now;
	int export;                   /* every column of the deal, tags and
					 custom fields as field.NAME: the
					 form import reads back */
};

/* The options of list and export, as getopt gives them: CRM_DEAL_QUERY_
 * LONGOPTS in the command's table, each handed to crm_deal_query_option
 * (arg kept, not copied): 0, or CRM_EX_USAGE with e set. */
enum { CRM_DEAL_Q_OPT = 0x5200 };
#define CRM_DEAL_QUERY_LONGOPTS \
	{ "stage", required_argument, NULL, CRM_DEAL_Q_OPT + 0 }, \
	{ "owner", required_argument, NULL, CRM_DEAL_Q_OPT + 1 }, \
	{ "source", required_argument, NULL, CRM_DEAL_Q_OPT + 2 }, \
	{ "pipeline", required_argument, NULL, CRM_DEAL_Q_OPT + 3 }, \
	{ "status", required_argument, NULL, CRM_DEAL_Q_OPT + 4 }, \
	{ "min-value", required_argument, NULL, CRM_DEAL_Q_OPT + 5 }, \
	{ "max-value", required_argument, NULL, CRM_DEAL_Q_OPT + 6 }, \
	{ "closing-before", required_argument, NULL, CRM_DEAL_Q_OPT + 7 }, \
	{ "closing-after", required_argument, NULL, CRM_DEAL_Q_OPT + 8 }, \
	{ "stale", required_argument, NULL, CRM_DEAL_Q_OPT + 9 }, \
	{ "filter", required_argument, NULL, CRM_DEAL_Q_OPT + 10 }, \
	{ "fields", required_argument, NULL, CRM_DEAL_Q_OPT + 11 }, \
	{ "sort", required_argument, NULL, CRM_DEAL_Q_OPT + 12 }, \
	{ "limit", required_argument, NULL, CRM_DEAL_Q_OPT + 13 }
int crm_deal_query_option(struct crm_deal_query *q, int opt, const char *arg,
			  struct crm_err *e);

/* The default columns of list. */
extern const char crm_deal_list_fields[];

/* Writes the deals q chooses to stdout in crm's output format. Returns 0,
 * CRM_EX_NOTFOUND when none was chosen (the header is still written),
 * CRM_EX_USAGE for a bad option, or a store error, after printing it. */
int crm_deal_list(struct crm *crm, struct crm_store *s, const struct crm_deal_query *q);

/* The deal id as a table of field and value, then its stage history
 * (stage, entered, left, days in it, by, why) and its other events. */
int crm_deal_show(struct crm *crm, struct crm_store *s, int64_t id);

/* The options' lines for --help. */
#define CRM_DEAL_QUERY_HELP \
	"  --stage S --owner O --source S --pipeline P\n" \
	"  --status open|won|lost|closed\n" \
	"  --min-value V --max-value V   in each deal's own currency\n" \
	"  --closing-before DATE --closing-after DATE   expected close\n" \
	"  --stale N         open deals with no interaction with their contact and\n" \
	"                    no stage change for N days\n" \
	"  --filter EXPR     crm-filter(7) over the deal (lead.*) and its contact\n"

#endif
