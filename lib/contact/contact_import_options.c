/* contact_import_options.c - the options of a contact import. */
#include "contact/contact_import_options.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "cli/batch.h"
#include "contact/contact_field.h"
#include "contact/contact_import.h"
#include "io/csvio.h"

/* csv or tsv (vcard 0: not a vCard), or a vCard (vcard 1): the batch
 * driver's row source (crm_contact_vcard_source) always or never. */
static void input_format(struct crm_batch_opts *bo, enum crm_csv_format format, int vcard)
{
	if (!vcard)
		bo->format = format;
	bo->use_source = vcard;
}

int crm_contact_import_option(struct crm_contact_import_args *a, int opt, const char *arg,
			      struct crm_err *e)
{
	struct crm_contact_import *ic = a->ic;

	switch (opt) {
	case CRM_IMPORT_OPT_ON_CONFLICT:
		if (strcmp(arg, "update") != 0 && strcmp(arg, "skip") != 0 && strcmp(arg, "error") != 0)
			return crm_err_set(e, CRM_EX_USAGE,
					   "--on-conflict: use update, skip or error, not \"%s\"", arg);
		ic->on_conflict = arg[0];
		return 0;
	case CRM_IMPORT_OPT_KEY:
		if (crm_contact_key_parse(arg, &a->key, e) != 0) {
			char why[sizeof(e->msg)];

			snprintf(why, sizeof(why), "%s", e->msg);
			return crm_err_set(e, CRM_EX_USAGE, "--key: %s", why);
		}
		if (a->key.field == CRM_CF_ID)
			return crm_err_set(e, CRM_EX_USAGE, "--key: ids are the store's, not a key of a file");
		ic->key = &a->key;
		return 0;
	case CRM_IMPORT_OPT_MAP:
		if (strchr(arg, '=') == NULL || arg[0] == '=')
			return crm_err_set(e, CRM_EX_USAGE, "--map wants COLUMN=FIELD, not \"%s\"", arg);
		ic->maps = xreallocarray(ic->maps, ic->nmaps + 1, sizeof(*ic->maps));
		ic->maps[ic->nmaps++] = (char *)arg;
		return 0;
	case CRM_IMPORT_OPT_TAG: {
		int rc = crm_contact_add_tags(&ic->c, arg, e);

		if (rc != 0)
			return rc;
		ic->tags = xreallocarray(ic->tags, ic->ntags + 1, sizeof(*ic->tags));
		ic->tags[ic->ntags++] = (char *)arg;
		return 0;
	}
	case CRM_IMPORT_OPT_FORMAT:
		if (strcmp(arg, "csv") == 0)
			input_format(a->bo, CRM_CSV_COMMA, 0);
		else if (strcmp(arg, "tsv") == 0)
			input_format(a->bo, CRM_CSV_TAB, 0);
		else if (strcmp(arg, "vcard") == 0)
			input_format(a->bo, CRM_CSV_AUTO, 1);
		else
			return crm_err_set(e, CRM_EX_USAGE,
					   "--format for import is csv, tsv or vcard, not \"%s\"", arg);
		return 0;
	default:
		return -1;
	}
}

int crm_contact_import_format(enum crm_format f, struct crm_batch_opts *bo, struct crm_err *e)
{
	switch (f) {
	case CRM_FMT_CSV:
		input_format(bo, CRM_CSV_COMMA, 0);
		return 0;
	case CRM_FMT_TSV:
		input_format(bo, CRM_CSV_TAB, 0);
		return 0;
	case CRM_FMT_DEFAULT:
		return 0;
	default:
		return crm_err_set(e, CRM_EX_USAGE, "--format for import is csv, tsv or vcard");
	}
}
