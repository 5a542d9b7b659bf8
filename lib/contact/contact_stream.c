/* contact_stream.c - reading a contact stream. */
#include "contact/contact_stream.h"

#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_key.h"
#include "io/csvio.h"
#include "base/err.h"

/* The column that names contacts: id, else uid, else email; -1 if none.
 * Its values are looked up as what the column says they are (key), so a
 * numeric uid is never taken for an id. */
static int key_column(const struct crm_csv_row *h, struct crm_contact_key *key)
{
	static const char *const keys[] = { "id", "uid", "email" };

	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < h->nfields; i++)
			if (strcasecmp(h->fields[i], keys[k]) == 0) {
				crm_contact_key_parse(keys[k], key, NULL);
				return (int)i;
			}
	return -1;
}

int crm_contact_stream(struct crm *crm, struct crm_store *s, FILE *fp,
		       const char *name,
		       int (*fn)(void *ctx, int64_t id, struct crm_err *e),
		       void *ctx)
{
	struct crm_csv_reader *r = crm_csv_open(fp, name, CRM_CSV_AUTO, 0);
	struct crm_csv_row row;
	struct crm_err e = { 0, "" };
	struct crm_contact_key key;
	int col, rc, missing = 0;

	rc = crm_csv_next(r, &row, &e);
	if (rc != 1) {
		crm_csv_close(r);
		if (rc == 0)
			return 0; /* an empty stream names nobody */
		return crm_report(crm, &e);
	}
	col = row.error == NULL ? key_column(&row, &key) : -1;
	if (col < 0) {
		crm_csv_close(r);
		return crm_fail(crm, CRM_EX_DATAERR,
				"%s: a contact stream needs an id, uid or email column", name);
	}
	while ((rc = crm_csv_next(r, &row, &e)) == 1) {
		int64_t id;

		if (row.error != NULL || (size_t)col >= row.nfields) {
			crm_warn(crm, "%s:%lu: %s", name, row.line,
				 row.error != NULL ? row.error : "no contact column");
			missing = 1;
			continue;
		}
		rc = crm_contact_key_find(s, &key, row.fields[col], &id, &e);
		if (rc == CRM_EX_NOTFOUND) {
			crm_warn(crm, "%s:%lu: %s", name, row.line, e.msg);
			missing = 1;
			continue;
		}
		if (rc == 0)
			rc = fn(ctx, id, &e);
		if (rc != 0)
			break;
	}
	crm_csv_close(r);
	if (rc != 0)
		return crm_report(crm, &e);
	return missing ? CRM_EX_NOTFOUND : 0;
}
