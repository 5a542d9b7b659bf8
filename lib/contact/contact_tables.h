/* contact_tables.h - the tables that name a contact: as every domain
 * registers them (struct crm_contact_table, store/domain.h, read from
 * crm_domains), and as the schema of a store has them (every table with a
 * contact_id column). Erase, merge and export --subject (privacy.c,
 * merge.c) walk the first and check the second against it, so a program
 * that adds such a table says what becomes of its rows in its own folder.
 */
#ifndef CRM_CONTACT_TABLES_H
#define CRM_CONTACT_TABLES_H

#include <stdint.h>

struct crm_contact_table;
struct crm_err;
struct crm_store;

/* The registered row of table, or NULL when no domain lists it. */
const struct crm_contact_table *crm_contact_table_find(const char *table);

/* Calls fn for every registered row, domain by domain in the order of
 * crm_domains, each domain's rows in its order. fn's non-zero return
 * stops the walk and is returned. */
int crm_contact_tables_each(int (*fn)(void *ctx, const struct crm_contact_table *t,
				      struct crm_err *e),
			    void *ctx, struct crm_err *e);

/* Calls fn for every table of the store other than contacts with a
 * contact_id column, by name (names are from the schema and checked to
 * be safe to put in SQL: 70 otherwise). */
int crm_contact_tables(struct crm_store *s,
		       int (*fn)(void *ctx, const char *table, struct crm_err *e),
		       void *ctx, struct crm_err *e);

/* Prepares sql (made from registered or checked names, not cached),
 * binds ?1 to a and ?2, when the text has it, to b, runs it once and
 * finalizes it. Returns 0 or an exit code with e set. */
int crm_contact_table_exec(struct crm_store *s, const char *sql, int64_t a, int64_t b,
			   struct crm_err *e);

#endif
