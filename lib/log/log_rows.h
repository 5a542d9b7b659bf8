/* log_rows.h - the rows of a crm-log query as text, for the program to
 * write: every column as SQLite gives it as text, the amount column
 * formatted in its row's currency ("99.90"), a failing step an error with
 * its exit code (75 busy), never an early end.
 *
 *   struct crm_log_rows *r = crm_timeline_open(...) / crm_log_list_open(...)
 *   while ((rc = crm_log_rows_next(r, &vals, &e)) > 0)
 *       ... vals[0 .. crm_log_rows_ncols(r) - 1] ...
 *   crm_log_rows_close(r);     -- rc < 0: e says why
 */
#ifndef CRM_LOG_ROWS_H
#define CRM_LOG_ROWS_H

#include <stddef.h>

struct crm_err;
struct crm_stmt;
struct crm_store;

struct crm_log_rows;

/* At most this many columns of a statement are read. */
#define CRM_LOG_ROWS_MAX 64

/* Rows of st, a statement of s. With owned, st is finalized at close
 * (one prepared for this use alone), else reset (a cached one).
 * amount_col is the column of minor units formatted in the currency of
 * currency_col (-1: none). */
struct crm_log_rows *crm_log_rows_new(struct crm_store *s, struct crm_stmt *st, int owned,
				      int amount_col, int currency_col);

/* The next row: 1 with *vals set (valid until the next call; a NULL value
 * is an SQL NULL), 0 after the last, -1 with e set when the step failed. */
int crm_log_rows_next(struct crm_log_rows *r, const char *const **vals,
		      struct crm_err *e);

/* How many columns a row has. */
size_t crm_log_rows_ncols(const struct crm_log_rows *r);

/* Resets or finalizes the statement and frees r (NULL is fine). */
void crm_log_rows_close(struct crm_log_rows *r);

#endif
