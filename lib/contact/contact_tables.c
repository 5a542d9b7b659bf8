/* contact_tables.c - the tables that name a contact, registered and in
 * the schema (contact_tables.h). */
#include "contact/contact_tables.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "store/domain.h"
#include "store/store.h"

const struct crm_contact_table *crm_contact_table_find(const char *table)
{
	for (size_t d = 0; crm_domains[d] != NULL; d++)
		for (size_t i = 0; i < crm_domains[d]->ntables; i++)
			if (strcmp(crm_domains[d]->tables[i].table, table) == 0)
				return &crm_domains[d]->tables[i];
	return NULL;
}

int crm_contact_tables_each(int (*fn)(void *ctx, const struct crm_contact_table *t,
				      struct crm_err *e),
			    void *ctx, struct crm_err *e)
{
	int rc = 0;

	for (size_t d = 0; rc == 0 && crm_domains[d] != NULL; d++)
		for (size_t i = 0; rc == 0 && i < crm_domains[d]->ntables; i++)
			rc = fn(ctx, &crm_domains[d]->tables[i], e);
	return rc;
}

int crm_contact_tables(struct crm_store *s,
		       int (*fn)(void *ctx, const char *table, struct crm_err *e),
		       void *ctx, struct crm_err *e)
{
	char **names = NULL;
	size_t n = 0;
	int rc = crm_store_tables(s, &names, &n, e);

	/* the tables with a contact_id column, but contacts itself */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char **cols = NULL;
		size_t ncols = 0, keep = 0;

		if (strcmp(names[i], "contacts") != 0)
			rc = crm_store_columns(s, names[i], &cols, &ncols, e);
		for (size_t j = 0; j < ncols; j++)
			keep |= strcmp(cols[j], "contact_id") == 0;
		crm_store_names_free(cols, ncols);
		if (!keep) {
			free(names[i]);
			names[i] = NULL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		if (rc == 0 && !crm_store_plain_name(names[i]))
			rc = crm_err_set(e, CRM_EX_SOFTWARE, "unexpected table name \"%s\"", names[i]);
		if (rc == 0)
			rc = fn(ctx, names[i], e);
		free(names[i]);
	}
	free(names);
	return rc;
}

int crm_contact_table_exec(struct crm_store *s, const char *sql, int64_t a, int64_t b,
			   struct crm_err *e)
{
	struct crm_stmt *st = NULL;
	int rc = crm_store_prepare_built(s, sql, &st, e);

	if (rc != 0)
		return rc;
	crm_bind_int64(st, 1, a);
	if (crm_bind_count(st) >= 2)
		crm_bind_int64(st, 2, b);
	rc = crm_store_run(s, st, e);
	crm_stmt_free(st);
	return rc;
}
