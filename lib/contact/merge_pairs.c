/* merge_pairs.c - merging the pairs a command line or a file names. */
#include "contact/merge_pairs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "contact/contact.h"
#include "contact/merge.h"
#include "io/csvio.h"

int crm_merge_pair(struct crm_merge_pairs *m, const char *keep_ref, const char *other_ref,
		   struct crm_err *e)
{
	int64_t keep, other;
	int rc, taken;

	rc = crm_contact_resolve(m->store, keep_ref, &keep, e);
	if (rc == 0)
		rc = crm_contact_resolve(m->store, other_ref, &other, e);
	if (rc == CRM_EX_NOTFOUND) {
		if (m->skipped != NULL)
			m->skipped(m->ctx, e->msg);
		m->skipped_n++;
		return 0;
	}
	if (rc == 0)
		rc = crm_contact_merge(m->store, keep, other, &taken, e);
	if (rc == 0)
		m->merged++;
	return rc;
}

/* The keep and other columns of the header row h; 65 if one is missing. */
static int pair_columns(const struct crm_csv_row *h, const char *path, int *keep,
			int *other, struct crm_err *e)
{
	*keep = *other = -1;
	for (size_t i = 0; h->error == NULL && i < h->nfields; i++) {
		if (strcmp(h->fields[i], "keep") == 0)
			*keep = (int)i;
		else if (strcmp(h->fields[i], "other") == 0)
			*other = (int)i;
	}
	if (*keep < 0 || *other < 0)
		return crm_err_set(e, CRM_EX_DATAERR, "%s: needs keep and other columns (as dupes writes)",
				   path);
	return 0;
}

int crm_merge_pairs_from(struct crm_merge_pairs *m, const char *path, struct crm_err *e)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct crm_csv_reader *r;
	struct crm_csv_row row;
	int keep_col = -1, other_col = -1, rc;

	if (fp == NULL)
		return crm_err_set(e, CRM_EX_NOINPUT, "cannot open %s: %s", path, strerror(errno));
	if (fp == stdin)
		path = "<stdin>";
	r = crm_csv_open(fp, path, CRM_CSV_AUTO, 0);
	rc = crm_csv_next(r, &row, e);
	if (rc == 1)
		rc = pair_columns(&row, path, &keep_col, &other_col, e);
	else if (rc == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "%s: empty input", path);
	while (rc == 0 && (rc = crm_csv_next(r, &row, e)) == 1) {
		if (row.error != NULL || (size_t)keep_col >= row.nfields || (size_t)other_col >= row.nfields) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s:%lu: %s", path, row.line,
					 row.error != NULL ? row.error : "missing keep or other");
			break;
		}
		rc = crm_merge_pair(m, row.fields[keep_col], row.fields[other_col], e);
	}
	crm_csv_close(r);
	if (fp != stdin)
		fclose(fp);
	return rc;
}
