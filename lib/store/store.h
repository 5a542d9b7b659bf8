/* store.h - the store every program shares: one interface, two backends.
 *
 * No caller sees the database library: statements are struct crm_stmt,
 * stepped, bound and read through the functions below, and only the
 * backend files (store/sqlite.c, store/pg.c) call sqlite3_* or PQ*
 * (scripts/check-layout checks it). The store is named by --db or $CRM_DB.
 *
 * SQLite: --db PATH, else $CRM_DB, else $XDG_DATA_HOME/crm/crm.db, else
 * ~/.local/share/crm/crm.db. A new store is created 0600 in a 0700
 * directory, by a command that writes; one that only reads never creates
 * a store. Every connection runs WAL, foreign keys on, synchronous
 * NORMAL, secure_delete on (deleted data is overwritten, see erase), and a
 * busy timeout ($CRM_BUSY_TIMEOUT seconds, default 5); writes
 * happen in BEGIN IMMEDIATE transactions. Opening applies the migrations in
 * lib/sql/ that the store has not seen (PRAGMA user_version), in one
 * transaction. All SQL of the toolkit goes through this layer.
 */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "store/store_types.h"

struct crm_err;
/* Resolves the store path from opt_db (may be NULL) and the environment.
 * *out is allocated (caller frees). Returns 0 or CRM_EX_CONFIG. */
int crm_store_path(const char *opt_db, char **out, struct crm_err *e);
/* Whether name is a PostgreSQL store (a postgresql:// or postgres:// URI,
 * or a libpq keyword string) rather than an SQLite file. */
int crm_store_is_server(const char *name);


/* Opens and migrates the store at path, creating it if needed (as
 * CRM_STORE_WRITE). who is the name recorded in history (copied). Returns
 * 0 with *out set, or an exit code with e set: 75 busy, 74 I/O or not a
 * store (not SQLite, a negative schema version, or tables without a crm
 * schema version: refused before anything is written), 78 bad
 * configuration (a newer schema, a bad $CRM_BUSY_TIMEOUT). The schema
 * version is only ever raised: a store a newer program migrated meanwhile
 * is left as it is, with 78. */
int crm_store_open(const char *path, const char *who, struct crm_store **out,
		   struct crm_err *e);
/* The same for a command that reads (CRM_STORE_READ: a missing store is
 * 66 and nothing is created) or writes (CRM_STORE_WRITE). */
int crm_store_open_mode(const char *path, const char *who, enum crm_store_mode mode,
			struct crm_store **out, struct crm_err *e);
void crm_store_close(struct crm_store *s);

/* The backend's own handle (SQLite's database handle), for the
 * backend's tests only. */
void *crm_store_native(struct crm_store *s);
const char *crm_store_who(const struct crm_store *s);
/* The time of this command (crm_now() when the store was opened) as ISO
 * text: every row a command writes carries the same time. */
const char *crm_store_now(const struct crm_store *s);
int crm_store_schema_version(struct crm_store *s);

/* A prepared statement for sql, cached by the store (do not finalize it):
 * reset, with bindings cleared. A failed prepare is a bug: it prints the
 * error with the SQL text and exits 70. The cache holds up to 256
 * statements; past that the least recently used one that is not being
 * stepped is finalized, so a statement stays valid while its rows are read,
 * whatever else is prepared meanwhile, and until 256 other texts were
 * prepared after it was last handed out. */
struct crm_stmt *crm_store_prepare(struct crm_store *s, const char *sql);
/* Prepares SQL built at run time (from a filter, from registered names),
 * not cached: returns 0 with *out set (the caller frees it with
 * crm_stmt_free), or an exit code with e set (70, with the backend's
 * message: the text came from a program, a bad one is still a bug, but
 * one the caller can report with context). */
int crm_store_prepare_built(struct crm_store *s, const char *sql, struct crm_stmt **out,
			    struct crm_err *e);
/* The statement's rows may be many (an export): read them in pieces
 * rather than whole (PostgreSQL: a cursor, a round trip per 2,000 rows;
 * SQLite reads rows one by one anyway). Costs a few round trips more for
 * a short result: for the statements of whole-store reads only. */
void crm_stmt_stream(struct crm_stmt *st);
/* Frees a statement of crm_store_prepare_built (NULL is ignored). */
void crm_stmt_free(struct crm_stmt *st);
/* Resets st to run again: its bindings are kept. */
void crm_stmt_reset(struct crm_stmt *st);
/* The cache's limit (tests set a small one) and how many it holds. */
void crm_store_set_cache_max(struct crm_store *s, size_t max);
size_t crm_store_cache_size(const struct crm_store *s);

/* Steps st. Returns CRM_ROW or CRM_DONE, or -1 with e set and st
 * reset (the code is 75 busy, 65 constraint, 74 I/O, 70 otherwise). */
int crm_store_step(struct crm_store *s, struct crm_stmt *st, struct crm_err *e);

/* Steps st once for a statement that returns no rows (or whose rows are
 * not wanted) and resets it. Returns 0, or an exit code with e set. */
int crm_store_run(struct crm_store *s, struct crm_stmt *st, struct crm_err *e);

/* crm_store_run for an UPDATE or DELETE of something named: when it
 * changes no row, CRM_EX_NOTFOUND with the message fmt ("no team \"%s\""). */
int crm_store_run_named(struct crm_store *s, struct crm_stmt *st, struct crm_err *e,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Steps st, an INSERT ... RETURNING id, once and resets it. *id is the new
 * row's id, or 0 when no row was inserted (ON CONFLICT DO NOTHING).
 * Returns 0, or an exit code with e set. */
int crm_store_insert_id(struct crm_store *s, struct crm_stmt *st, int64_t *id,
			struct crm_err *e);

/* Rows changed by the last INSERT, UPDATE or DELETE that ran. */
int64_t crm_store_changes(struct crm_store *s);
/* Introspection: the store's tables, sorted by name (the backend's own
 * bookkeeping left out), and the columns of one, in order. *names is
 * allocated, *n of them (free with crm_store_names_free). Returns 0 or an
 * exit code with e set. */
int crm_store_tables(struct crm_store *s, char ***names, size_t *n, struct crm_err *e);
int crm_store_columns(struct crm_store *s, const char *table, char ***names, size_t *n,
		      struct crm_err *e);
void crm_store_names_free(char **names, size_t n);

/* Whether s is a name that can go into SQL as it is: ASCII letters,
 * digits and _, at least one. */
int crm_store_plain_name(const char *s);

/* Sets column to `to` in table's rows where it is `from`, leaving the rows
 * whose change would break a unique key (they still hold `from`): the
 * move of a merge. table and column are names the program knows (letters,
 * digits, _). Returns 0 or an exit code with e set. */
int crm_store_move_rows(struct crm_store *s, const char *table, const char *column, int64_t to,
			int64_t from, struct crm_err *e);

/* Rows for a bulk write (crm_store_copy), gathered by the caller: values
 * left to right, then crm_copy_end_row. The caller owns it; it is empty
 * again after each crm_store_copy. */
struct crm_copy {
	struct crm_buf data;  /* the rows, in PostgreSQL's COPY text format */
	size_t rows;
	size_t values;        /* of the row being written */
};

#define CRM_COPY_INIT { CRM_BUF_INIT, 0, 0 }

void crm_copy_free(struct crm_copy *c);
/* A text value (NULL: SQL NULL), an integer, a NULL. */
void crm_copy_text(struct crm_copy *c, const char *v);
/* Text of n bytes (it need not end in NUL; a NUL in it is refused by
 * the server). */
void crm_copy_text_n(struct crm_copy *c, const char *v, size_t n);
void crm_copy_int64(struct crm_copy *c, int64_t v);
void crm_copy_null(struct crm_copy *c);
void crm_copy_end_row(struct crm_copy *c);

/* 1 if the keys unique across contacts (uid, emails, an interaction's
 * key, a custom field made a key) are kept unique by the store's own
 * directory rather than by unique indexes (PostgreSQL: crm_keys, fed by
 * triggers, store/sql/pg/0010): an index that serves the lookups by such a
 * key is then made plain, not UNIQUE. */
int crm_store_keys_in_directory(const struct crm_store *s);

/* 1 if the store writes rows in bulk faster than one by one (a server's
 * COPY FROM STDIN): crm_store_copy works there and only there. */
int crm_store_can_copy(const struct crm_store *s);
/* Writes c's rows into table's columns ("a, b, c": names the program
 * knows), in one go, and empties c. No row is written when one fails;
 * inside a transaction the transaction then fails too (the caller
 * stops). Returns 0 or an exit code with e set. */
int crm_store_copy(struct crm_store *s, const char *table, const char *columns,
		   struct crm_copy *c, struct crm_err *e);
/* The id the next row of table would get: one more than the highest it
 * holds or ever gave. For a writer that numbers rows itself inside its
 * transaction (crm_store_copy with the ids). */
int crm_store_next_id(struct crm_store *s, const char *table, int64_t *id, struct crm_err *e);

/* Tunes the connection for a long batch of writes (a larger cache, fewer
 * checkpoints, statement journals in memory on SQLite). Call it before
 * making temporary tables: SQLite drops them when temp_store changes. */
void crm_store_bulk(struct crm_store *s);
/* After an erasure: makes the deleted rows unrecoverable from the store's
 * files (SQLite: checkpoints and truncates the WAL, whose old pages still
 * hold them). Busy if another program holds an old snapshot. */
int crm_store_purge(struct crm_store *s, struct crm_err *e);
/* The backend's limit for built-up statements. */
int crm_store_limit(struct crm_store *s, enum crm_limit what);

/* Runs sql (no parameters, may hold several statements). Returns 0 or an
 * exit code with e set. */
int crm_store_exec(struct crm_store *s, const char *sql, struct crm_err *e);


/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. rollback never fails (it is a no-op
 * outside a transaction). */
int crm_store_begin(struct crm_store *s, struct crm_err *e);
int crm_store_commit(struct crm_store *s, struct crm_err *e);
void crm_store_rollback(struct crm_store *s);
int crm_store_in_tx(struct crm_store *s);

/* Savepoints inside a transaction, for one row of a batch. */
int crm_store_savepoint(struct crm_store *s, struct crm_err *e);
int crm_store_release(struct crm_store *s, struct crm_err *e);
void crm_store_rollback_to(struct crm_store *s);
/* How many of those are open (0 or 1 for a batch row). */
int crm_store_savepoint_depth(const struct crm_store *s);

/* Values a domain keeps for the session, such as a time zone read from
 * the tz database once rather than for every ticket: crm_store_memo is
 * the value kept under key, or NULL; crm_store_memo_keep keeps value
 * (which must not be kept already), released with release when the
 * store closes. Only for what never changes while a program runs. */
void *crm_store_memo(struct crm_store *s, const char *key);
void crm_store_memo_keep(struct crm_store *s, const char *key, void *value,
			 void (*release)(void *));

/* Fills buf with n random bytes (getrandom, a page at a time, so a batch
 * of new uids costs no system call a row). Exits 70 if there are none. */
void crm_store_random(struct crm_store *s, void *buf, size_t n);

/* Parameters are numbered from 1. Text s (NULL binds NULL) is copied;
 * crm_bind_text_ref keeps the pointer, which must stay valid until the
 * statement is stepped to its end, reset or bound again. */
void crm_bind_text(struct crm_stmt *st, int i, const char *s);
void crm_bind_text_ref(struct crm_stmt *st, int i, const char *s);
/* Text s copied, or NULL for NULL and for "" (a field left empty). */
void crm_bind_text_or_null(struct crm_stmt *st, int i, const char *s);
/* Text of n bytes, copied (it need not end in NUL). */
void crm_bind_text_n(struct crm_stmt *st, int i, const char *s, size_t n);
void crm_bind_int64(struct crm_stmt *st, int i, int64_t v);
void crm_bind_int(struct crm_stmt *st, int i, int v);
void crm_bind_double(struct crm_stmt *st, int i, double v);
void crm_bind_null(struct crm_stmt *st, int i);
/* How many parameters st has. */
int crm_bind_count(struct crm_stmt *st);

/* Columns of the current row, numbered from 0. Text is valid until the
 * next step or reset; NULL reads as NULL text and 0. */
const char *crm_column_text(struct crm_stmt *st, int i);
size_t crm_column_bytes(struct crm_stmt *st, int i);
int64_t crm_column_int64(struct crm_stmt *st, int i);
int crm_column_int(struct crm_stmt *st, int i);
double crm_column_double(struct crm_stmt *st, int i);
enum crm_type crm_column_type(struct crm_stmt *st, int i);
int crm_column_count(struct crm_stmt *st);
const char *crm_column_name(struct crm_stmt *st, int i);

/* A scalar SQL function implemented in C, for statements that sort or
 * group by a key only C computes (dupes). fn reads its arguments and sets
 * its result through the call; no result is NULL. */
/* Adds (fn not NULL) or removes (fn NULL) the function name of nargs
 * arguments (-1: any number). Returns 0 or an exit code with e set (69
 * on a backend that cannot call C from SQL). */
int crm_store_function(struct crm_store *s, const char *name, int nargs, crm_sql_fn *fn,
		       void *ctx, struct crm_err *e);
int crm_fn_argc(struct crm_fn_call *call);
const char *crm_fn_text(struct crm_fn_call *call, int i);
int64_t crm_fn_int64(struct crm_fn_call *call, int i);
void crm_fn_result_text(struct crm_fn_call *call, const char *v, size_t n);
void crm_fn_result_int64(struct crm_fn_call *call, int64_t v);

/* Records one change in the history table: entity and id, action (create,
 * update, delete, tag, untag, ...), field, old and new values (each may be
 * NULL). The time is crm_store_now(), the author the store's who. */
int crm_history_add(struct crm_store *s, const char *entity, int64_t id,
		    const char *action, const char *field, const char *old_value,
		    const char *new_value, struct crm_err *e);
/* The same with a note saying where a value came from ("merged from
 * contact 12"). */
int crm_history_note(struct crm_store *s, const char *entity, int64_t id,
		     const char *action, const char *field, const char *old_value,
		     const char *new_value, const char *note, struct crm_err *e);

#endif
