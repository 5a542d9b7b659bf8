/* admin.h - administration of a whole store, whatever its backend: its
 * check, a backup, and a copy into another store (crm(1), crm store).
 *
 * Generic table work only: the tables and columns come from the store's
 * own catalog (crm_store_tables, crm_store_columns), never from a domain.
 * What a caller prints goes through the callbacks of struct crm_admin_out.
 */
#ifndef CRM_STORE_ADMIN_H
#define CRM_STORE_ADMIN_H

#include <stdint.h>

struct crm_err;
struct crm_store;

struct crm_admin_out {
	/* A problem that check found (one line). */
	void (*problem)(void *ctx, const char *text);
	/* One table counted (check) or copied and verified (copy): its rows
	 * and, for copy, the checksum both sides agree on. */
	void (*table)(void *ctx, const char *table, int64_t rows, uint64_t sum);
	/* Progress of a copy: rows of table done so far, of total. NULL for
	 * none. */
	void (*progress)(void *ctx, const char *table, int64_t done, int64_t total);
	void *ctx;
};

/* The backend's name ("sqlite", "postgresql"). */
const char *crm_admin_backend(const struct crm_store *s);

/* The rows of table in *n. Returns 0 or an exit code with e set. */
int crm_admin_count(struct crm_store *s, const char *table, int64_t *n, struct crm_err *e);
/* Appends name to b as an SQL identifier ("name", quotes doubled). */
struct crm_buf;
void crm_admin_quote(struct crm_buf *b, const char *name);

/* Checks s: every table readable (its rows counted, out->table), the
 * schema version this program's, and the backend's own checks (SQLite:
 * PRAGMA integrity_check and foreign_key_check; PostgreSQL: the id
 * counters). Each problem goes to out->problem; *problems is how many.
 * Returns 0 when the check ran (sound or not), or an exit code with e
 * set. */
int crm_admin_check(struct crm_store *s, const struct crm_admin_out *out, int *problems,
		    struct crm_err *e);

/* A consistent copy of s into file: created 0600 beside it under a
 * temporary name and renamed into place when complete, so a failed
 * backup leaves no file. An existing file is refused (65) unless force.
 * Returns 0 or an exit code with e set. */
int crm_admin_backup(struct crm_store *s, const char *file, int force, struct crm_err *e);

/* The rows of table and their checksum, as copy compares them: the sum
 * of a 64-bit hash (XXH64) of each row, every value as its text with its
 * length, NULL apart from '' (integers in decimal, floats to 17 digits
 * on either backend), so the order the rows come in does not count.
 * Returns 0 or an exit code with e set. */
int crm_admin_checksum(struct crm_store *s, const char *table, int64_t *rows, uint64_t *sum,
		       struct crm_err *e);

/* Copies every table of from into to, which must be empty and at the
 * same schema version (else 65), in one transaction on to: parents
 * before the tables that refer to them. Before committing, checks each
 * table's row count and checksum (a 64-bit hash of every row, each value
 * as text, NULL apart from '') on both sides and reports it through
 * out->table; a mismatch rolls back and is 70, naming the table. */
int crm_admin_copy(struct crm_store *from, struct crm_store *to,
		   const struct crm_admin_out *out, struct crm_err *e);

#endif
