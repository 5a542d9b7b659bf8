/* deal_import.h - crm-lead import: deals from CSV or TSV through the
 * batch driver (cli/batch.h: rejects, --strict, --dry-run, commits about
 * once a second, resumed after a kill).
 *
 * Columns are found by name, case and punctuation ignored, in our own
 * names (those export writes) and those of Salesforce opportunity,
 * HubSpot deal and Pipedrive deal exports (crm-lead(1) lists them). The
 * contact is named by a contact_id, uid or email column. A row whose key
 * (the key column, or --key COLUMN) names a deal already there updates
 * it: its fields, and its stage by a move; otherwise the row adds a deal.
 * A stage the pipeline lacks is mapped by --map-stage FROM=TO, then a
 * name saying won or lost ("Closed Won", "closedlost") goes to the
 * pipeline's first won or lost stage; any other is a reject.
 */
#ifndef CRM_LEAD_DEAL_IMPORT_H
#define CRM_LEAD_DEAL_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cli/batch.h"

struct crm_err;

struct crm;
struct crm_store;

struct crm_deal_import {
	struct crm *crm;
	struct crm_store *store;
	const char *key_column;       /* --key COLUMN, or NULL */
	const char **stage_maps;      /* --map-stage FROM=TO (the array owned) */
	size_t nstage_maps;
	const char *date_format;      /* --date-format, or NULL */
	char decimal;                 /* '.' or ',' */
	char currency[4];             /* --currency: for rows without one */
	int64_t now;
	/* set by the header */
	int *col;                     /* per column: a deal field, or below */
	size_t ncols;
	char **custom;                /* per column: a field.NAME's NAME */
	char **ignored;               /* the names of the columns left out */
	size_t nignored;
};

enum { CRM_DEAL_COL_IGNORE = -1, CRM_DEAL_COL_CONTACT_ID = -2, CRM_DEAL_COL_UID = -3,
       CRM_DEAL_COL_EMAIL = -4, CRM_DEAL_COL_STATUS = -5, CRM_DEAL_COL_TAGS = -6,
       CRM_DEAL_COL_CUSTOM = -7 };

/* --key COLUMN, --map-stage FROM=TO, --currency C: put the LONGOPTS in
 * the command's table and hand each option to crm_deal_import_option (arg
 * kept, not copied): 0, or CRM_EX_USAGE with e set. */
enum { CRM_DEAL_IMPORT_OPT_KEY = 0x5300, CRM_DEAL_IMPORT_OPT_MAP_STAGE,
       CRM_DEAL_IMPORT_OPT_CURRENCY };
#define CRM_DEAL_IMPORT_LONGOPTS \
	{ "key", required_argument, NULL, CRM_DEAL_IMPORT_OPT_KEY }, \
	{ "map-stage", required_argument, NULL, CRM_DEAL_IMPORT_OPT_MAP_STAGE }, \
	{ "currency", required_argument, NULL, CRM_DEAL_IMPORT_OPT_CURRENCY }
int crm_deal_import_option(struct crm_deal_import *di, int opt, const char *arg,
			   struct crm_err *e);

void crm_deal_import_init(struct crm_deal_import *di, struct crm *crm);
void crm_deal_import_free(struct crm_deal_import *di);

extern const struct crm_batch_ops crm_deal_import_ops;

/* The options' lines for --help. */
#define CRM_DEAL_IMPORT_HELP \
	"  --key COLUMN      the column whose value names a deal (upsert; default\n" \
	"                    a key, Opportunity ID, Record ID or Deal - ID column)\n" \
	"  --map-stage FROM=TO   a stage of the file as one of the pipeline's\n" \
	"  --currency C      for rows that name none\n" \
	"  --rejects FILE    bad rows, with line and reason (CSV)\n" \
	"  --strict          all rows or none\n" \
	"  -n, --dry-run     check everything, write nothing\n" \
	"  --no-resume       from the top, even after a killed run\n" \
	"  --date-format FMT dates as strptime(3) writes them (%d/%m/%Y)\n" \
	CRM_BATCH_INPUT_HELP

#endif
