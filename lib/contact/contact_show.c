/* contact_show.c - one contact, every field. */
#include "contact/contact_show.h"

#include <stdlib.h>

#include "base/err.h"
#include "contact/contact.h"
#include "contact/contact_query.h"
#include "io/output.h"
#include "store/store.h"

/* A table shows one "field value" line a field that has a value. */
static int vertical_row(void *ctx, size_t n, const char *const *names,
			const char *const *vals)
{
	struct crm_out *out = ctx;

	for (size_t i = 0; i < n; i++) {
		const char *pair[2] = { names[i], vals[i] };

		if (vals[i] != NULL && vals[i][0] != '\0')
			crm_out_row(out, pair);
	}
	return 0;
}

int crm_contact_show(struct crm_store *s, const char *ref, FILE *fp,
		     const struct crm_out_opts *opts, struct crm_err *e)
{
	struct crm_contact_query q;
	struct crm_out *out;
	int rc;

	crm_contact_query_init(&q);
	rc = crm_contact_resolve(s, ref, &q.id, e);
	if (rc == 0)
		rc = crm_contact_query_all_columns(&q, s, e);
	if (rc != 0) {
		crm_contact_query_free(&q);
		return rc;
	}
	out = crm_out_open(fp, opts);
	if (crm_out_format(out) != CRM_FMT_TABLE) {
		/* every column of the one row, as list writes them */
		rc = crm_contact_query_run(s, &q, out, NULL, e);
	} else {
		crm_out_columns(out, 2, (const char *const[]){ "field", "value" });
		rc = crm_contact_query_each(s, &q, vertical_row, out, e);
	}
	crm_contact_query_free(&q);
	if (rc != 0) {
		crm_out_close(out, NULL);
		return rc;
	}
	return crm_out_close(out, e);
}
