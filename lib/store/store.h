/* store.h - the SQLite store every program shares.
 *
 * Path: --db PATH, else $CRM_DB, else $XDG_DATA_HOME/crm/crm.db, else
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
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct crm_err;

struct crm_store;

/* Resolves the store path from opt_db (may be NULL) and the environment.
 * *out is allocated (caller frees). Returns 0 or CRM_EX_CONFIG. */
int crm_store_path(const char *opt_db, char **out, struct crm_err *e);

/* How a command uses the store. One that writes creates a missing store
 * and its directories; one that only reads never creates anything: a
 * missing store is CRM_EX_NOINPUT (66), "no store at PATH". */
enum crm_store_mode {
	CRM_STORE_WRITE,
	CRM_STORE_READ,
};

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

sqlite3 *crm_store_db(struct crm_store *s);
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
sqlite3_stmt *crm_store_prepare(struct crm_store *s, const char *sql);
/* The cache's limit (tests set a small one) and how many it holds. */
void crm_store_set_cache_max(struct crm_store *s, size_t max);
size_t crm_store_cache_size(const struct crm_store *s);

/* Steps st. Returns SQLITE_ROW or SQLITE_DONE, or -1 with e set and st
 * reset (the code is 75 busy, 65 constraint, 74 I/O, 70 otherwise). */
int crm_store_step(struct crm_store *s, sqlite3_stmt *st, struct crm_err *e);

/* Steps st once for a statement that returns no rows (or whose rows are
 * not wanted) and resets it. Returns 0, or an exit code with e set. */
int crm_store_run(struct crm_store *s, sqlite3_stmt *st, struct crm_err *e);

/* Runs sql (no parameters, may hold several statements). Returns 0 or an
 * exit code with e set. */
int crm_store_exec(struct crm_store *s, const char *sql, struct crm_err *e);

/* Maps an SQLite result code to an exit code and message. */
int crm_store_error(struct crm_store *s, int rc, struct crm_err *e);

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

/* Fills buf with n random bytes (getrandom, a page at a time, so a batch
 * of new uids costs no system call a row). Exits 70 if there are none. */
void crm_store_random(struct crm_store *s, void *buf, size_t n);

/* Binds text s (NULL binds NULL) as a transient copy. */
void crm_bind_text(sqlite3_stmt *st, int i, const char *s);

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
