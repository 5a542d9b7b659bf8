/* contact_show.c - one contact, every field. */
#include "contact/contact_show.h"

#include <stdlib.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "contact/contact.h"
#include "contact/contact_query.h"
#include "io/output.h"
#include "store/store.h"

struct show {
	struct crm_out *out;
	int vertical;   /* field, value lines (a table) */
};

static int show_row(void *ctx, size_t n, const char *const *names,
		    const char *const *vals)
{
	struct show *sh = ctx;

	if (!sh->vertical) {
		crm_out_row(sh->out, vals);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const char *pair[2] = { names[i], vals[i] };

		if (vals[i] != NULL && vals[i][0] != '\0')
			crm_out_row(sh->out, pair);
	}
	return 0;
}

/* The header: field, value in a table, else every column of q. */
static void show_columns(struct show *sh, const struct crm_contact_query *q)
{
	const char **names;

	if (sh->vertical) {
		crm_out_columns(sh->out, 2, (const char *const[]){ "field", "value" });
		return;
	}
	names = xcalloc(q->ncols, sizeof(*names));
	for (size_t i = 0; i < q->ncols; i++)
		names[i] = crm_contact_column_name(&q->cols[i]);
	crm_out_columns(sh->out, q->ncols, names);
	for (size_t i = 0; i < q->ncols; i++)
		if (crm_contact_column_numeric(&q->cols[i]))
			crm_out_numeric(sh->out, i);
	free(names);
}

int crm_contact_show(struct crm_store *s, const char *ref, FILE *fp,
		     const struct crm_out_opts *opts, struct crm_err *e)
{
	struct crm_contact_query q;
	struct show sh;
	int rc;

	crm_contact_query_init(&q);
	rc = crm_contact_resolve(s, ref, &q.id, e);
	if (rc == 0)
		rc = crm_contact_query_all_columns(&q, s, e);
	if (rc != 0) {
		crm_contact_query_free(&q);
		return rc;
	}
	sh.out = crm_out_open(fp, opts);
	sh.vertical = crm_out_format(sh.out) == CRM_FMT_TABLE;
	show_columns(&sh, &q);
	rc = crm_contact_query_each(s, &q, show_row, &sh, e);
	crm_contact_query_free(&q);
	if (rc != 0) {
		crm_out_close(sh.out, NULL);
		return rc;
	}
	return crm_out_close(sh.out, e);
}
