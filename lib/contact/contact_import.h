/* contact_import.h - importing contacts from CSV/TSV: header mapping
 * (names, aliases real exports use, --map), validation of each row, and the
 * upsert on uid or email. Driven by batch.h; used by `crm-contact import`
 * and by any program that creates contacts from a file. */
#ifndef CRM_CONTACT_IMPORT_H
#define CRM_CONTACT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cli/batch.h"
#include "contact/contact.h"
#include "contact/contact_key.h"
#include "contact/contact_stage.h"

struct crm;
struct crm_store;

enum { CRM_MAP_IGNORE = -1, CRM_MAP_CUSTOM = -2 };

struct crm_contact_import {
	struct crm *crm;
	struct crm_store *store;
	int64_t now;
	int on_conflict;         /* 'u'pdate (default), 's'kip, 'e'rror */
	char **maps;             /* --map COLUMN=FIELD (borrowed strings) */
	size_t nmaps;
	char **tags;             /* --tag for every row (borrowed strings) */
	size_t ntags;
	char decimal;            /* ',': custom cells that are numbers written
				    1.234,50 are kept as 1234.50 */
	int *col_field;          /* per column: field index, CRM_MAP_*, HDR_* */
	char **col_custom;       /* per column: custom field name (owned) */
	size_t ncols;
	struct crm_contact c;    /* the row being imported */
	/* dates */
	const char *date_format; /* --date-format (borrowed), or NULL */
	const char *dates_by;    /* what date cells are read by: date_format,
				    the Outlook profile's, or NULL (ISO) */
	char **col_date;         /* per column: its header when it holds a
				    date or time field or an Outlook
				    Anniversary (owned), else NULL */
	/* History (migration 0007): one row for the import, written with its
	 * first new contact, and the run of contact ids created since the
	 * last commit, written to history_imports before each commit. */
	int64_t history_id;      /* 0 until the import's history row exists */
	int64_t first_new, last_new; /* 0: no new contact since the commit */
	const struct crm_contact_key *key; /* --key (borrowed); NULL: uid, else email */
	int key_ready;           /* its index is made (on the first row) */
	/* Bulk writes, where the store takes them (contact_stage.h): the
	 * window's rows read ahead into window[0..nwindow). */
	struct crm_contact_stage stage;
	struct crm_contact *window;
	size_t nwindow;
};

/* The header of an Outlook CSV export (First Name, Middle Name, Last
 * Name, E-mail Address and Birthday or Anniversary) brings Outlook's date
 * order: its date cells are read by this format unless --date-format is
 * given, and its Anniversary is a date too (the custom field anniversary,
 * stored as YYYY-MM-DD; 0/0/00 is none). */
#define CRM_OUTLOOK_DATE_FORMAT "%m/%d/%Y"

void crm_contact_import_init(struct crm_contact_import *ic, struct crm *crm);
void crm_contact_import_free(struct crm_contact_import *ic);

/* The batch callbacks; ctx is a struct crm_contact_import with store set. */
extern const struct crm_batch_ops crm_contact_import_ops;

#endif
