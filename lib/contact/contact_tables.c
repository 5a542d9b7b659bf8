/* contact_tables.c - the tables that name a contact, registered and in
 * the schema (contact_tables.h). */
#include "contact/contact_tables.h"

#include <ctype.h>
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

static int safe_identifier(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int crm_contact_tables(struct crm_store *s,
		       int (*fn)(void *ctx, const char *table, struct crm_err *e),
		       void *ctx, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p"
		" WHERE m.type = 'table' AND p.name = 'contact_id' AND m.name <> 'contacts'"
		" ORDER BY m.name");
	char **names = NULL;
	size_t n = 0;
	int rc;

	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup((const char *)crm_column_text(st, 0));
	}
	crm_stmt_reset(st);
	rc = rc == CRM_DONE ? 0 : e->code;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && !safe_identifier(names[i]))
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
