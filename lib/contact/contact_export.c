/* contact_export.c - contacts written as list and export write them. */
#include "contact/contact_export.h"

#include <stdint.h>

#include "contact/contact.h"
#include "contact/contact_query.h"
#include "contact/contact_vcard.h"
#include "contact/privacy.h"
#include "io/output.h"

int crm_contact_write(struct crm_store *s, struct crm_contact_query *q, int all, int vcard,
		      FILE *fp, const struct crm_out_opts *opts, unsigned long *n,
		      struct crm_err *e)
{
	struct crm_out *out;
	int rc = 0;

	*n = 0;
	if (q->ncols == 0)
		rc = all ? crm_contact_query_all_columns(q, s, e)
			 : crm_contact_query_columns(q, CRM_CONTACT_LIST_COLUMNS, e);
	if (rc != 0)
		return rc;
	if (vcard != 0)
		return crm_contact_vcard_export(s, q, vcard, fp, n, e);
	out = crm_out_open(fp, opts);
	rc = crm_contact_query_run(s, q, out, n, e);
	if (rc != 0) {
		crm_out_close(out, NULL);
		return rc;
	}
	return crm_out_close(out, e);
}

int crm_contact_export_subject(struct crm_store *s, const char *ref, FILE *fp,
			       struct crm_err *e)
{
	int64_t id;
	int rc = crm_contact_resolve(s, ref, &id, e);

	return rc == 0 ? crm_privacy_export(s, id, fp, e) : rc;
}
