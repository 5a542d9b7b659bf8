/* backend.h - what a store backend provides, for store.c and the backends
 * (store/sqlite.c, store/pg.c) only: no other file includes it.
 *
 * store.c holds what both share (the store's name, the statement cache,
 * transactions and savepoints, migrations, history, random bytes) and
 * calls the backend for everything that touches the database library.
 */
#ifndef CRM_STORE_BACKEND_H
#define CRM_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_types.h"

struct crm_err;

struct crm_stmt {
	const struct crm_backend *be;
	struct crm_store *store;
	void *impl;     /* the SQLite statement, or the PostgreSQL one */
};

struct cached_stmt;

struct store_memo {
	char *key;
	void *value;
	void (*release)(void *);
};

struct crm_store {
	const struct crm_backend *be;
	void *conn;        /* the SQLite handle, or the PostgreSQL connection */
	char *path;        /* the store's name as given (a file or a server) */
	char *who;
	char now[32];      /* the command's time, for every row it writes */
	int busy_ms;       /* how long to wait for a lock */
	long long busy_since_ms;
	struct cached_stmt *cache;  /* ncache entries */
	size_t ncache, cache_cap, cache_max;
	size_t *slots;              /* nslots: index + 1 into cache, 0 empty */
	size_t nslots;
	unsigned long long clock;   /* counts prepares, for least recently used */
	/* Nearly every caller passes a string constant: a probe by its
	 * address (index + 1 into cache, checked against key and the text)
	 * finds it without hashing 300 bytes of SQL a row (8% of an import). */
	size_t by_addr[64];
	unsigned char random[4096]; /* random bytes; those from random_pos */
	size_t random_pos, random_len; /* to random_len are not handed out yet */
	int savepoints;
	struct store_memo *memo;    /* nmemo values kept for the session */
	size_t nmemo;
	int closing;       /* crm_store_close has begun: the session ends, and
			      what it holds on a server goes with it */
};

struct crm_backend {
	const char *name;
	/* The migrations, in order (version N is the Nth). */
	const char *const *migrations;
	const size_t *nmigrations;
	/* How a write transaction starts. */
	const char *begin_sql;
	/* The store's tables by name (the backend's own bookkeeping left
	 * out), and the columns of table ?1 in order. */
	const char *tables_sql;
	const char *columns_sql;
	/* crm_store_move_rows: a format of the table (%1$s) and the column
	 * (%2$s), ?1 the new value and ?2 the old. */
	const char *move_rows_sql;
	/* 1 where the keys unique across contacts are kept so by a directory
	 * (crm_store_keys_in_directory). */
	int key_directory;

	/* Connects s->conn to s->path; mode READ creates nothing. */
	int (*open)(struct crm_store *s, enum crm_store_mode mode, struct crm_err *e);
	/* Rolls back what is open and disconnects. */
	void (*close)(struct crm_store *s);
	/* Runs sql without parameters (several statements allowed): the
	 * toolkit's SQL (exec, in the dialect of store/pg_dialect.h), or the
	 * backend's own (exec_raw: its migrations, its bookkeeping). */
	int (*exec)(struct crm_store *s, const char *sql, struct crm_err *e);
	int (*exec_raw)(struct crm_store *s, const char *sql, struct crm_err *e);
	/* The schema version (0 for an empty store), whether the store holds
	 * tables, and setting the version inside the migrating transaction. */
	int (*version)(struct crm_store *s, int *out, struct crm_err *e);
	int (*has_tables)(struct crm_store *s, int *out, struct crm_err *e);
	int (*set_version)(struct crm_store *s, int version, struct crm_err *e);
	int (*in_tx)(struct crm_store *s);
	int64_t (*changes)(struct crm_store *s);
	int (*limit)(struct crm_store *s, enum crm_limit what);
	int (*function)(struct crm_store *s, const char *name, int nargs, crm_sql_fn *fn,
			void *ctx, struct crm_err *e);
	void (*bulk)(struct crm_store *s);
	int (*purge)(struct crm_store *s, struct crm_err *e);

	/* Statements: prepare fills st->impl; cached ones are kept long. */
	int (*prepare)(struct crm_store *s, const char *sql, int cached, struct crm_stmt *st,
		       struct crm_err *e);
	void (*finalize)(struct crm_stmt *st);
	/* The statement's own copy of its text, and whether it is between
	 * its first step and its end or reset. */
	const char *(*sql)(struct crm_stmt *st);
	int (*busy)(struct crm_stmt *st);
	void (*reset)(struct crm_stmt *st);
	void (*clear)(struct crm_stmt *st);
	/* CRM_ROW, CRM_DONE, or -1 with e set (e may be NULL). */
	int (*step)(struct crm_stmt *st, struct crm_err *e);
	/* crm_stmt_stream; NULL where rows are read one by one anyway. */
	void (*stream)(struct crm_stmt *st);

	void (*bind_text)(struct crm_stmt *st, int i, const char *v, size_t n, int copy);
	void (*bind_int64)(struct crm_stmt *st, int i, int64_t v);
	void (*bind_double)(struct crm_stmt *st, int i, double v);
	void (*bind_null)(struct crm_stmt *st, int i);
	int (*bind_count)(struct crm_stmt *st);

	const char *(*column_text)(struct crm_stmt *st, int i);
	size_t (*column_bytes)(struct crm_stmt *st, int i);
	int64_t (*column_int64)(struct crm_stmt *st, int i);
	double (*column_double)(struct crm_stmt *st, int i);
	enum crm_type (*column_type)(struct crm_stmt *st, int i);
	int (*column_count)(struct crm_stmt *st);
	const char *(*column_name)(struct crm_stmt *st, int i);

	/* Rows in COPY text format (store/copy.c) into table's columns, in
	 * one go; NULL where the backend has no bulk path. */
	int (*copy_in)(struct crm_store *s, const char *table, const char *columns,
		       const char *data, size_t len, struct crm_err *e);

	/* Administration (store/admin.c). */
	/* The tables that table ?1 refers to by a foreign key, one a row. */
	const char *refs_sql;
	/* Starts a transaction that only reads, and sees one snapshot
	 * while others write. */
	const char *snapshot_sql;
	/* The backend's own integrity checks: each problem found is passed
	 * to fn as one line. Returns 0 (problems or not), or an exit code
	 * with e set when the check could not run. */
	int (*check)(struct crm_store *s, void (*fn)(void *ctx, const char *problem),
		     void *ctx, struct crm_err *e);
	/* A consistent copy of the store into file, which exists, is empty
	 * and is 0600 (the caller removes it on failure). */
	int (*backup)(struct crm_store *s, const char *file, struct crm_err *e);
	/* The highest id table ever gave (its counter: sqlite_sequence for
	 * an AUTOINCREMENT table, crm_ids on PostgreSQL), 0 when it keeps
	 * none, so that a copy never gives an id again. */
	int (*id_counter)(struct crm_store *s, const char *table, int64_t *out,
			  struct crm_err *e);
	/* After rows of table were copied in with their ids: new ids
	 * continue after them and after floor (the source's id_counter). */
	int (*after_copy)(struct crm_store *s, const char *table, int64_t floor,
			  struct crm_err *e);
};

extern const struct crm_backend crm_backend_sqlite;
extern const struct crm_backend crm_backend_pg;

long long crm_store_monotonic_ms(void);

#endif
