/* pg_dialect.h - the toolkit's SQL as PostgreSQL reads it.
 *
 * The SQL of the toolkit is written once, in what SQLite and PostgreSQL
 * both accept where that exists. What still differs is translated here,
 * from one table (pg_dialect.c), when a statement is prepared; the SQLite
 * functions that PostgreSQL lacks (strftime, julianday, date with its
 * modifiers, printf, total, glob, group_concat) are SQL functions made by
 * the first PostgreSQL migration (store/sql/pg/0001-contacts.sql).
 */
#ifndef CRM_PG_DIALECT_H
#define CRM_PG_DIALECT_H

#include "base/buf.h"

struct crm_err;

/* Writes sql as PostgreSQL reads it to out: ?N and ? placeholders become
 * $N (numbered as SQLite numbers them), and the table's rewrites are
 * applied outside string literals and quoted names. *nparams is the
 * highest parameter number. Returns 0, or 70 with e set for SQL that
 * cannot be translated (a named parameter). */
int crm_pg_translate(const char *sql, struct crm_buf *out, int *nparams, struct crm_err *e);

/* Whether translated sql writes (INSERT, UPDATE, DELETE, or a WITH that
 * does), so that it runs under a savepoint inside a transaction. */
int crm_pg_writes(const char *sql);

#endif
