/* contact_import_options.h - the options of `crm-contact import` on top
 * of the batch driver's own (batch.h): --on-conflict, --key, --map,
 * --tag, --format csv|tsv|vcard, and what a --format given before the
 * command asks of the input. */
#ifndef CRM_CONTACT_IMPORT_OPTIONS_H
#define CRM_CONTACT_IMPORT_OPTIONS_H

#include <getopt.h>

#include "contact/contact_key.h"
#include "io/output.h"

struct crm_batch_opts;
struct crm_contact_import;
struct crm_err;

/* Put CRM_CONTACT_IMPORT_LONGOPTS in the command's option table (with
 * CRM_BATCH_LONGOPTS) and hand each option to crm_contact_import_option. */
enum {
	CRM_IMPORT_OPT_ON_CONFLICT = 0x4400,
	CRM_IMPORT_OPT_KEY,
	CRM_IMPORT_OPT_MAP,
	CRM_IMPORT_OPT_TAG,
	CRM_IMPORT_OPT_FORMAT,
};
#define CRM_CONTACT_IMPORT_LONGOPTS \
	{ "on-conflict", required_argument, NULL, CRM_IMPORT_OPT_ON_CONFLICT }, \
	{ "key", required_argument, NULL, CRM_IMPORT_OPT_KEY }, \
	{ "map", required_argument, NULL, CRM_IMPORT_OPT_MAP }, \
	{ "tag", required_argument, NULL, CRM_IMPORT_OPT_TAG }, \
	{ "format", required_argument, NULL, CRM_IMPORT_OPT_FORMAT }

/* What the options set: the import, the batch driver's options (--format
 * decides the input format), and the --key that ic->key then points at
 * (so it lives as long as the import). */
struct crm_contact_import_args {
	struct crm_contact_import *ic;
	struct crm_batch_opts *bo;
	struct crm_contact_key key;
};

/* Applies opt and its argument (kept, not copied). Returns 0; -1 if opt
 * is not one of them; CRM_EX_USAGE with the message in e (a bad
 * --on-conflict, --key, --map or --format); 65 with e set for a tag
 * that cannot be (checked here, applied to every row). */
int crm_contact_import_option(struct crm_contact_import_args *a, int opt, const char *arg,
			      struct crm_err *e);

/* The input format a --format before the command (crm-contact --format
 * csv import FILE) asks for: csv and tsv set it, none leaves it.
 * Returns 0, or CRM_EX_USAGE with e set for jsonl or table. */
int crm_contact_import_format(enum crm_format f, struct crm_batch_opts *bo, struct crm_err *e);

#endif
