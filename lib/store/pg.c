/* pg.c - the PostgreSQL backend of the store: one server that a team
 * shares from several machines. The only file of libcrm that calls PQ*.
 *
 * The toolkit's SQL is written once; what PostgreSQL reads differently
 * is translated here, when a statement is prepared (pg_dialect.c): ?N
 * placeholders become $N, and the few SQLite spellings the callers still
 * use are rewritten from one table. A statement is prepared on the
 * server at its first step, with the types of the values bound to it
 * (int8, float8, or left to the server for text), so that "?1 IS NULL"
 * and "INSERT ... SELECT ?1" get a type as they do on SQLite. Results are
 * read whole (PQexecPrepared), so a caller may run other statements while
 * it walks the rows of one, as on SQLite.
 *
 * Inside a transaction a failed statement would abort the whole
 * transaction, where SQLite fails only the statement; every write runs
 * under a savepoint of its own there, so a caller that goes on after a
 * constraint failure (the batch driver's rejected rows, an ON CONFLICT it
 * could not express) sees SQLite's behaviour.
 */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/backend.h"
#include "store/store.h"
#include "store/pg_dialect.h"

/* Generated from the files in lib/store/sql/pg/ by scripts/sql2c. */
extern const char *const crm_migrations_pg[];
extern const size_t crm_migration_count_pg;

/* OIDs of the built-in types (pg_type.h, stable since 7.x). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

/* Serialization failures and deadlocks are retried this many times. */
#define RETRIES 5

/* SAVEPOINT and RELEASE cannot fail in a sound transaction and return
 * nothing: they wait (pending) and go to the server in one round trip with
 * the next statement that does return something (a pipeline), which
 * halves the round trips of a batch row. */
#define PENDING_MAX 8

struct pg_conn {
	PGconn *conn;
	int64_t changes;        /* rows of the last INSERT, UPDATE or DELETE */
	unsigned long next_name; /* names server-side prepared statements */
	const char *pending[PENDING_MAX]; /* SAVEPOINT or RELEASE texts, static */
	int npending;
};

/* One server-side preparation of a statement, for one list of parameter
 * types. */
struct pg_plan {
	char name[24];
	Oid *types;
	Oid *resolved;          /* the types the server gave them (a stream's) */
};

struct pg_stmt {
	char *sql;              /* the statement as PostgreSQL reads it */
	char *orig;             /* the caller's text (the cache's key) */
	int nparams;
	int writes;             /* INSERT, UPDATE or DELETE */
	const char *deferrable; /* SAVEPOINT or RELEASE: may wait (PENDING_MAX) */
	char **vals;            /* nparams values as text, NULL for NULL */
	int *lens;
	Oid *types;             /* of the values bound now */
	unsigned char *owned;   /* vals[i] is ours to free */
	char (*num)[32];        /* room for numbers as text */
	struct pg_plan *plans;
	size_t nplans;
	PGresult *res;          /* the rows of the current run */
	PGresult *described;    /* the columns, asked before a run (column_name) */
	int row, nrows;
	int ran;                /* stepped since the last reset */
	int stream;             /* crm_stmt_stream: read through a cursor */
	char cursor[24];        /* its name while it is open, else "" */
};

#define PC(s) ((struct pg_conn *)(s)->conn)
#define PS(st) ((struct pg_stmt *)(st)->impl)

/* A constraint failure in SQLite's words ("UNIQUE constraint failed:
 * contacts.email"), which callers turn into friendlier ones whatever the
 * backend. The columns of a unique key come from the detail, "Key
 * (email)=(a@x.org) already exists." */
static int constraint_error(const PGresult *res, const char *state, struct crm_err *e)
{
	const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
	const char *column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *name = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	struct crm_buf b = CRM_BUF_INIT;
	int code;

	if (table == NULL)
		table = "?";
	if (strcmp(state, "23505") == 0) {
		const char *p = detail != NULL ? strstr(detail, "Key (") : NULL;

		crm_buf_adds(&b, "UNIQUE constraint failed: ");
		if (p != NULL) {
			p += 5;
			for (;;) {
				size_t n = strcspn(p, ",)");

				crm_buf_addf(&b, "%s.%.*s", table, (int)n, p);
				p += n;
				if (*p != ',')
					break;
				crm_buf_adds(&b, ", ");
				p += 1 + strspn(p + 1, " ");
			}
		} else {
			crm_buf_addf(&b, "%s", name != NULL ? name : table);
		}
	} else if (strcmp(state, "23502") == 0) {
		crm_buf_addf(&b, "NOT NULL constraint failed: %s.%s", table,
			     column != NULL ? column : "?");
	} else if (strcmp(state, "23503") == 0) {
		crm_buf_adds(&b, "FOREIGN KEY constraint failed");
	} else {
		crm_buf_addf(&b, "CHECK constraint failed: %s", name != NULL ? name : table);
	}
	code = crm_err_set(e, CRM_EX_DATAERR, "%s", crm_buf_str(&b));
	crm_buf_free(&b);
	return code;
}

/* Maps a failed result (or connection) to an exit code and message. */
static int pg_error(struct crm_store *s, const PGresult *res, struct crm_err *e)
{
	const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	PGconn *conn = s->conn != NULL ? PC(s)->conn : NULL;
	struct crm_buf line = CRM_BUF_INIT;
	int code;

	if (msg == NULL && conn != NULL)
		msg = PQerrorMessage(conn);
	if (msg == NULL || msg[0] == '\0')
		msg = "unknown error";
	/* libpq's messages end in a newline and may run over several lines:
	 * the first is the message. */
	crm_buf_add(&line, msg, strcspn(msg, "\n"));
	if (conn != NULL && PQstatus(conn) == CONNECTION_BAD)
		code = crm_err_set(e, CRM_EX_TEMPFAIL, "store %s: connection lost: %s: try again later",
				   s->path, crm_buf_str(&line));
	else if (state == NULL)
		code = crm_err_set(e, CRM_EX_SOFTWARE, "store %s: %s", s->path, crm_buf_str(&line));
	else if (strncmp(state, "23", 2) == 0)      /* integrity constraint */
		code = constraint_error(res, state, e);
	else if (strcmp(state, "55P03") == 0)      /* lock_timeout: a writer holds it */
		code = crm_err_set(e, CRM_EX_TEMPFAIL,
				   "store %s is busy (another program is writing): try again later",
				   s->path);
	else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		 strncmp(state, "57P0", 4) == 0 ||
		 strncmp(state, "08", 2) == 0 || strcmp(state, "53300") == 0)
		code = crm_err_set(e, CRM_EX_TEMPFAIL,
				   "store %s is busy (%s): try again later", s->path,
				   crm_buf_str(&line));
	else if (strncmp(state, "42501", 5) == 0 || strncmp(state, "28", 2) == 0)
		code = crm_err_set(e, CRM_EX_NOPERM, "store %s: %s", s->path, crm_buf_str(&line));
	else if (strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0 ||
		 strncmp(state, "XX", 2) == 0)
		code = crm_err_set(e, CRM_EX_IOERR, "store %s: %s", s->path, crm_buf_str(&line));
	else if (strncmp(state, "22", 2) == 0)      /* data exception */
		code = crm_err_set(e, CRM_EX_DATAERR, "%s", crm_buf_str(&line));
	else
		code = crm_err_set(e, CRM_EX_SOFTWARE, "store %s: %s (%s)", s->path,
				   crm_buf_str(&line), state);
	crm_buf_free(&line);
	return code;
}

static int retryable(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

/* The pending statements, alone, before a statement that cannot take
 * them along. Returns 0 or an exit code with e set. */
static int flush_pending(struct crm_store *s, struct crm_err *e);

/* sql after the pending statements, in one round trip (COMMIT takes the
 * last row's RELEASE along); a ROLLBACK of the whole transaction, or a
 * transaction that failed, makes them moot. */
static int pg_exec(struct crm_store *s, const char *sql, struct crm_err *e)
{
	struct pg_conn *pc = PC(s);
	struct crm_buf all = CRM_BUF_INIT;
	PGresult *res;
	ExecStatusType st;
	int rc = 0;

	/* PostgreSQL answers COMMIT of a failed transaction by rolling back,
	 * with success: that is a failure here */
	if (PQtransactionStatus(pc->conn) == PQTRANS_INERROR && strcmp(sql, "COMMIT") == 0) {
		pc->npending = 0;
		PQclear(PQexec(pc->conn, "ROLLBACK"));
		return crm_err_set(e, CRM_EX_SOFTWARE,
				   "store %s: a statement of the transaction failed: nothing was written",
				   s->path);
	}
	if (pc->npending > 0 && (PQtransactionStatus(pc->conn) == PQTRANS_INERROR ||
				 (strncmp(sql, "ROLLBACK", 8) == 0 && strncmp(sql, "ROLLBACK TO", 11) != 0)))
		pc->npending = 0;
	for (int i = 0; i < pc->npending; i++)
		crm_buf_addf(&all, "%s;", pc->pending[i]);
	pc->npending = 0;
	crm_buf_adds(&all, sql);
	res = PQexec(pc->conn, crm_buf_str(&all));
	crm_buf_free(&all);
	st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = pg_error(s, res, e);
	PQclear(res);
	return rc;
}

/* The toolkit's SQL, in SQLite's dialect where the two differ. */
static int pg_exec_sql(struct crm_store *s, const char *sql, struct crm_err *e)
{
	struct crm_buf out = CRM_BUF_INIT;
	int n, rc = crm_pg_translate(sql, &out, &n, e);

	if (rc == 0 && n > 0)
		rc = crm_err_set(e, CRM_EX_SOFTWARE, "parameters in SQL run without values: %.60s", sql);
	if (rc == 0)
		rc = pg_exec(s, crm_buf_str(&out), e);
	crm_buf_free(&out);
	return rc;
}

/* The one integer a query returns (0 when it returns no row). */
static int query_int(struct crm_store *s, const char *sql, int *out, struct crm_err *e)
{
	PGresult *res;
	int rc = flush_pending(s, e);

	*out = 0;
	if (rc != 0)
		return rc;
	res = PQexec(PC(s)->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pg_error(s, res, e);
	else if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		*out = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/* The schema version lives in a table of its own. */
static int pg_version(struct crm_store *s, int *out, struct crm_err *e)
{
	int exists = 0, rc;

	/* Outside a transaction, one round trip: a store without the table
	 * (new, or not the toolkit's) fails the query, harmlessly there. */
	if (PQtransactionStatus(PC(s)->conn) == PQTRANS_IDLE && flush_pending(s, e) == 0) {
		PGresult *res = PQexec(PC(s)->conn, "SELECT coalesce(max(version), 0) FROM crm_schema_version");
		int got = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

		if (got)
			*out = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (got)
			return 0;
	}
	rc = query_int(s, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
		       " AND tablename = 'crm_schema_version'", &exists, e);
	if (rc != 0 || !exists) {
		*out = 0;
		return rc;
	}
	return query_int(s, "SELECT max(version) FROM crm_schema_version", out, e);
}

static int pg_has_tables(struct crm_store *s, int *out, struct crm_err *e)
{
	return query_int(s, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
			 out, e);
}

static int pg_set_version(struct crm_store *s, int version, struct crm_err *e)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS crm_schema_version (version integer NOT NULL);"
		 "DELETE FROM crm_schema_version;"
		 "INSERT INTO crm_schema_version VALUES (%d)", version);
	return pg_exec(s, sql, e);
}

/* Connecting failed: a refused login is 77 (EX_NOPERM) with libpq's
 * message, a server that cannot be reached 75 so cron tries again. */
static int connect_error(struct crm_store *s, PGconn *conn, struct crm_err *e)
{
	const char *msg = PQerrorMessage(conn);
	struct crm_buf line = CRM_BUF_INIT;
	int code = CRM_EX_TEMPFAIL;
	const char *p;

	/* "connection to server at ... failed: FATAL:  password ..." */
	p = strstr(msg, "FATAL:");
	if (p != NULL) {
		p += 6;
		while (*p == ' ')
			p++;
	} else {
		p = msg;
	}
	crm_buf_add(&line, p, strcspn(p, "\n"));
	if (PQconnectionNeedsPassword(conn) || strstr(msg, "authentication failed") != NULL ||
	    strstr(msg, "pg_hba.conf") != NULL || strstr(msg, "permission denied") != NULL ||
	    (strstr(msg, "role \"") != NULL && strstr(msg, "does not exist") != NULL))
		code = CRM_EX_NOPERM;
	else if (strstr(msg, "database \"") != NULL && strstr(msg, "does not exist") != NULL)
		code = CRM_EX_NOINPUT;
	crm_err_set(e, code, "store %s: %s%s", s->path, crm_buf_str(&line),
		    code == CRM_EX_TEMPFAIL ? ": try again later" : "");
	crm_buf_free(&line);
	return code;
}

/* History records who changed what: on a shared server, the role the
 * server authenticated, not $CRM_USER, which anyone can set. */
static int session_user(struct crm_store *s, struct crm_err *e)
{
	PGresult *res = PQexec(PC(s)->conn, "SELECT current_user");
	int rc = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		rc = pg_error(s, res, e);
	else {
		free(s->who);
		s->who = xstrdup(PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return rc;
}

static void quiet_notices(void *arg, const PGresult *res)
{
	(void)arg;
	if (getenv("CRM_DEBUG") != NULL)
		fprintf(stderr, "crm: postgresql: %s", PQresultErrorMessage(res));
}

static int pg_open(struct crm_store *s, enum crm_store_mode mode, struct crm_err *e)
{
	struct pg_conn *pc = xcalloc(1, sizeof(*pc));
	int version = 0, tables = 0, rc;
	char set[256];

	s->conn = pc;
	pc->conn = PQconnectdb(s->path);
	if (pc->conn == NULL)
		return crm_err_set(e, CRM_EX_OSERR, "store %s: out of memory", s->path);
	if (PQstatus(pc->conn) != CONNECTION_OK)
		return connect_error(s, pc->conn, e);
	PQsetNoticeReceiver(pc->conn, quiet_notices, NULL);
	/* A writer waits for another's lock as long as on SQLite
	 * ($CRM_BUSY_TIMEOUT), then gives up with 75. The statements are
	 * prepared once and run many times with values that do not change
	 * their best plan (keys, ids): planned once, not at every run (a
	 * custom plan of the email lookup took 0.8 ms, its run 0.03). */
	snprintf(set, sizeof(set),
		 "SET client_min_messages = warning; SET client_encoding = 'UTF8';"
		 " SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1; SET lock_timeout = %d;"
		 " SET plan_cache_mode = force_generic_plan",
		 s->busy_ms > 0 ? s->busy_ms : 1);
	rc = pg_exec(s, set, e);
	if (rc == 0)
		rc = session_user(s, e);
	if (rc == 0)
		rc = pg_version(s, &version, e);
	if (rc == 0 && version == 0)
		rc = pg_has_tables(s, &tables, e);
	if (rc != 0)
		return rc;
	if (version < 0)
		return crm_err_set(e, CRM_EX_IOERR,
				   "store %s is damaged or not a crm store: schema version %d",
				   s->path, version);
	if (version == 0 && tables > 0)
		return crm_err_set(e, CRM_EX_IOERR,
				   "store %s is damaged or not a crm store: it has tables but no schema version",
				   s->path);
	/* A reading command never creates a store: an empty database holds
	 * none yet. */
	if (version == 0 && mode == CRM_STORE_READ)
		return crm_err_set(e, CRM_EX_NOINPUT, "no store at %s", s->path);
	return 0;
}

static void pg_close(struct crm_store *s)
{
	struct pg_conn *pc = PC(s);

	if (pc == NULL)
		return;
	if (pc->conn != NULL)
		PQfinish(pc->conn);
	free(pc);
	s->conn = NULL;
}

static int pg_in_tx(struct crm_store *s)
{
	PGTransactionStatusType t = PQtransactionStatus(PC(s)->conn);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static int64_t pg_changes(struct crm_store *s)
{
	return PC(s)->changes;
}

static int pg_limit(struct crm_store *s, enum crm_limit what)
{
	(void)s;
	switch (what) {
	case CRM_LIMIT_COLUMNS:
		return 1664;        /* MaxTupleAttributeNumber */
	case CRM_LIMIT_EXPR_DEPTH:
		return 1000;        /* well inside max_stack_depth's 2 MB */
	default:
		return 65535;       /* the protocol's 16-bit count */
	}
}

static int pg_function(struct crm_store *s, const char *name, int nargs, crm_sql_fn *fn,
		       void *ctx, struct crm_err *e)
{
	(void)nargs;
	(void)ctx;
	if (fn == NULL)
		return 0;
	return crm_err_set(e, CRM_EX_UNAVAILABLE,
			   "store %s: %s needs SQL functions written in C, which a PostgreSQL store cannot call",
			   s->path, name);
}

static void pg_bulk(struct crm_store *s)
{
	/* A batch commits about once a second; each commit need not wait
	 * for the server's disk (a crash loses at most the last commits,
	 * which a re-run of the import adds again). */
	pg_exec(s, "SET synchronous_commit = off", NULL);
}

/* Deleted rows stay in the table's pages until VACUUM reclaims them. */
static int pg_purge(struct crm_store *s, struct crm_err *e)
{
	(void)s;
	(void)e;
	return 0;
}

/* Whether a statement may wait for the next one (see PENDING_MAX). */
/* The static text to defer for sql (the pending queue outlives any
 * statement: a cached one may be freed meanwhile), or NULL. */
static const char *deferrable(const char *sql)
{
	static const char *const texts[] = {
		"SAVEPOINT crm_row", "RELEASE crm_row", "SAVEPOINT crm_stmt", "RELEASE crm_stmt",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(sql, texts[i]) == 0)
			return texts[i];
	return NULL;
}

static int pg_prepare(struct crm_store *s, const char *sql, int cached, struct crm_stmt *st,
		      struct crm_err *e)
{
	struct pg_stmt *p = xcalloc(1, sizeof(*p));
	struct crm_buf out = CRM_BUF_INIT;

	(void)cached;
	if (crm_pg_translate(sql, &out, &p->nparams, e) != 0) {
		crm_buf_free(&out);
		free(p);
		return e != NULL ? e->code : CRM_EX_SOFTWARE;
	}
	(void)s;
	p->sql = crm_buf_detach(&out);
	p->orig = xstrdup(sql);
	p->writes = crm_pg_writes(p->sql);
	p->deferrable = deferrable(sql);
	if (p->nparams > 0) {
		size_t n = (size_t)p->nparams;

		p->vals = xcalloc(n, sizeof(*p->vals));
		p->lens = xcalloc(n, sizeof(*p->lens));
		p->types = xcalloc(n, sizeof(*p->types));
		p->owned = xcalloc(n, sizeof(*p->owned));
		p->num = xcalloc(n, sizeof(*p->num));
	}
	st->impl = p;
	return 0;
}

static void clear_result(struct pg_stmt *p)
{
	if (p->res != NULL)
		PQclear(p->res);
	p->res = NULL;
	p->row = p->nrows = 0;
	p->ran = 0;
}

static void unbind(struct pg_stmt *p, int i)
{
	if (p->owned[i])
		free(p->vals[i]);
	p->vals[i] = NULL;
	p->owned[i] = 0;
	p->lens[i] = 0;
	p->types[i] = 0;
}

static void pg_clear(struct crm_stmt *st)
{
	struct pg_stmt *p = PS(st);

	for (int i = 0; i < p->nparams; i++)
		unbind(p, i);
}

static void close_cursor(struct crm_stmt *st);

static void pg_finalize(struct crm_stmt *st)
{
	struct pg_stmt *p = PS(st);
	struct pg_conn *pc = PC(st->store);
	char sql[48];

	if (p == NULL)
		return;
	close_cursor(st);
	clear_result(p);
	pg_clear(st);
	if (p->described != NULL)
		PQclear(p->described);
	for (size_t i = 0; i < p->nplans; i++) {
		/* Deallocating keeps the server's list of prepared statements
		 * as short as the cache (a failed one aborts nothing outside
		 * a transaction; inside one it is skipped). When the store
		 * closes, the session's end drops them all: no round trip
		 * each. */
		if (pc != NULL && pc->conn != NULL && !st->store->closing &&
		    PQstatus(pc->conn) == CONNECTION_OK &&
		    PQtransactionStatus(pc->conn) == PQTRANS_IDLE) {
			snprintf(sql, sizeof(sql), "DEALLOCATE %s", p->plans[i].name);
			PQclear(PQexec(pc->conn, sql));
		}
		free(p->plans[i].types);
		free(p->plans[i].resolved);
	}
	free(p->plans);
	free(p->vals);
	free(p->lens);
	free(p->types);
	free(p->owned);
	free(p->num);
	free(p->sql);
	free(p->orig);
	free(p);
	st->impl = NULL;
}

static const char *pg_sql(struct crm_stmt *st)
{
	return PS(st)->orig;
}

static int pg_busy(struct crm_stmt *st)
{
	struct pg_stmt *p = PS(st);

	return p->ran && (p->row < p->nrows || p->cursor[0] != '\0');
}

/* Closes the statement's cursor if one is open (in a failed transaction
 * the rollback closes it). */
static void close_cursor(struct crm_stmt *st)
{
	struct pg_stmt *p = PS(st);
	struct pg_conn *pc = PC(st->store);
	char sql[48];

	if (p->cursor[0] == '\0')
		return;
	if (pc != NULL && pc->conn != NULL && !st->store->closing &&
	    PQstatus(pc->conn) == CONNECTION_OK &&
	    PQtransactionStatus(pc->conn) != PQTRANS_INERROR) {
		snprintf(sql, sizeof(sql), "CLOSE %s", p->cursor);
		PQclear(PQexec(pc->conn, sql));
	}
	p->cursor[0] = '\0';
}

static void pg_reset(struct crm_stmt *st)
{
	close_cursor(st);
	clear_result(PS(st));
}

static void pg_stream(struct crm_stmt *st)
{
	PS(st)->stream = 1;
}

/* Rows a FETCH of a streamed statement brings. */
#define STREAM_ROWS 2000

/* The next piece of a streamed result into p->res; the last one (a short
 * piece) closes the cursor. Returns 0, or -1 with e set. */
static int fetch(struct crm_stmt *st, struct crm_err *e)
{
	struct pg_stmt *p = PS(st);
	char sql[64];
	PGresult *res;

	snprintf(sql, sizeof(sql), "FETCH FORWARD %d FROM %s", STREAM_ROWS, p->cursor);
	res = PQexec(PC(st->store)->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_error(st->store, res, e);
		PQclear(res);
		return -1;
	}
	if (p->res != NULL)
		PQclear(p->res);
	p->res = res;
	p->nrows = PQntuples(res);
	p->row = -1;
	if (p->nrows < STREAM_ROWS)
		close_cursor(st);
	return 0;
}

/* A statement whose rows may be many, read in pieces: a cursor WITH HOLD
 * (it outlives a commit; outside a transaction the server keeps the rows
 * for it, on disk past work_mem), declared with the bound values typed as
 * the server typed them when it prepared the statement, under a savepoint
 * inside a transaction so that a failure fails it alone. */
static int plan_for(struct crm_stmt *st, struct pg_plan **out, struct crm_err *e);

static int start_stream(struct crm_stmt *st, struct crm_err *e)
{
	struct pg_stmt *p = PS(st);
	struct pg_conn *pc = PC(st->store);
	struct crm_buf sql = CRM_BUF_INIT;
	struct pg_plan *plan;
	PGresult *res;
	int tx;

	if (plan_for(st, &plan, e) != 0 || flush_pending(st->store, e) != 0)
		return -1;
	if (plan->resolved == NULL) {
		res = PQdescribePrepared(pc->conn, plan->name);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			pg_error(st->store, res, e);
			PQclear(res);
			return -1;
		}
		plan->resolved = xcalloc((size_t)(p->nparams > 0 ? p->nparams : 1), sizeof(Oid));
		for (int i = 0; i < p->nparams && i < PQnparams(res); i++)
			plan->resolved[i] = PQparamtype(res, i);
		PQclear(res);
	}
	tx = PQtransactionStatus(pc->conn) == PQTRANS_INTRANS;
	snprintf(p->cursor, sizeof(p->cursor), "crm_cur%lu", ++pc->next_name);
	crm_buf_addf(&sql, "DECLARE %s NO SCROLL CURSOR WITH HOLD FOR %s", p->cursor, p->sql);
	if (tx)
		PQclear(PQexec(pc->conn, "SAVEPOINT crm_stmt"));
	res = PQexecParams(pc->conn, crm_buf_str(&sql), p->nparams, plan->resolved,
			   (const char *const *)p->vals, p->lens, NULL, 0);
	crm_buf_free(&sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_error(st->store, res, e);
		PQclear(res);
		p->cursor[0] = '\0';
		if (tx)
			PQclear(PQexec(pc->conn, "ROLLBACK TO crm_stmt; RELEASE crm_stmt"));
		return -1;
	}
	PQclear(res);
	if (tx)
		PQclear(PQexec(pc->conn, "RELEASE crm_stmt"));
	p->ran = 1;
	return fetch(st, e);
}

/* PQprepare, under a savepoint inside a transaction: a statement the
 * server cannot type fails alone, and is prepared again below. */
static PGresult *prepare_guarded(PGconn *conn, const char *name, const char *sql, int n,
				 const Oid *types)
{
	int tx = PQtransactionStatus(conn) == PQTRANS_INTRANS;
	PGresult *res;

	if (tx)
		PQclear(PQexec(conn, "SAVEPOINT crm_prepare"));
	res = PQprepare(conn, name, sql, n, types);
	if (tx)
		PQclear(PQexec(conn, PQresultStatus(res) == PGRES_COMMAND_OK
				     ? "RELEASE crm_prepare"
				     : "ROLLBACK TO crm_prepare; RELEASE crm_prepare"));
	return res;
}

/* The parameter (from 0) that the server's error names ("could not
 * determine data type of parameter $3"), or -1. */
static long undetermined_param(const PGresult *res, size_t n)
{
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *dollar = msg != NULL ? strrchr(msg, '$') : NULL;
	char *end;
	long k;

	if (dollar == NULL)
		return -1;
	k = strtol(dollar + 1, &end, 10);
	return end != dollar + 1 && k >= 1 && (size_t)k <= n ? k - 1 : -1;
}

/* Whether res failed because the server could not type a parameter. */
static int untyped_param_error(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return state != NULL && (strcmp(state, "42P18") == 0 || strcmp(state, "42P08") == 0);
}

/* The plan for the types bound now, prepared on the server if new. A
 * parameter bound only as NULL whose type the server cannot work out
 * (one used only as "?1 IS NULL") is prepared again as text, that one
 * alone, parameter by parameter as the server names them: the others
 * keep the types the server deduces. */
static int plan_for(struct crm_stmt *st, struct pg_plan **out, struct crm_err *e)
{
	struct pg_stmt *p = PS(st);
	struct pg_conn *pc = PC(st->store);
	size_t n = (size_t)p->nparams;
	Oid *types = n > 0 ? xcalloc(n, sizeof(*types)) : NULL;
	struct pg_plan *plan;
	PGresult *res;

	if (n > 0)
		memcpy(types, p->types, n * sizeof(*types));
	for (size_t i = 0; i < p->nplans; i++)
		if (n == 0 || memcmp(p->plans[i].types, types, n * sizeof(*types)) == 0) {
			free(types);
			*out = &p->plans[i];
			return 0;
		}
	/* a new plan: the pending statements go first, on their own */
	if (flush_pending(st->store, e) != 0) {
		free(types);
		return e != NULL ? e->code : CRM_EX_SOFTWARE;
	}
	p->plans = xreallocarray(p->plans, p->nplans + 1, sizeof(*p->plans));
	plan = &p->plans[p->nplans];
	snprintf(plan->name, sizeof(plan->name), "crm%lu", ++pc->next_name);
	plan->types = types;
	plan->resolved = NULL;
	res = prepare_guarded(pc->conn, plan->name, p->sql, p->nparams, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && untyped_param_error(res) && n > 0) {
		/* plan->types stays the key: the types as bound */
		Oid *sent = xcalloc(n, sizeof(*sent));

		memcpy(sent, types, n * sizeof(*sent));
		for (size_t tries = 0; tries < n && PQresultStatus(res) != PGRES_COMMAND_OK &&
				       untyped_param_error(res); tries++) {
			long k = undetermined_param(res, n);

			if (k < 0 || sent[k] != 0) {
				/* not one we can name: every untyped one as text */
				for (size_t i = 0; i < n; i++)
					if (sent[i] == 0)
						sent[i] = OID_TEXT;
			} else {
				sent[k] = OID_TEXT;
			}
			PQclear(res);
			res = prepare_guarded(pc->conn, plan->name, p->sql, p->nparams, sent);
		}
		free(sent);
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int rc = pg_error(st->store, res, e);

		crm_err_prefix(e, "cannot prepare SQL");
		PQclear(res);
		free(types);
		return rc;
	}
	PQclear(res);
	p->nplans++;
	*out = plan;
	return 0;
}

static int flush_pending(struct crm_store *s, struct crm_err *e)
{
	struct pg_conn *pc = PC(s);
	struct crm_buf sql = CRM_BUF_INIT;
	PGresult *res;
	int rc = 0;

	if (pc == NULL || pc->npending == 0)
		return 0;
	for (int i = 0; i < pc->npending; i++)
		crm_buf_addf(&sql, "%s;", pc->pending[i]);
	pc->npending = 0;
	res = PQexec(pc->conn, crm_buf_str(&sql));
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(s, res, e);
	PQclear(res);
	crm_buf_free(&sql);
	return rc;
}

/* The next result of a pipeline, and the NULL that ends it. */
static PGresult *pipeline_result(PGconn *conn)
{
	PGresult *res = PQgetResult(conn);
	PGresult *extra;

	/* a statement's results end with NULL; more than one is not ours */
	while ((extra = PQgetResult(conn)) != NULL)
		PQclear(extra);
	return res;
}

/* The pending statements and then the plan, in one round trip. The
 * result is the plan's, or the first pending one's that failed. */
static PGresult *run_pipelined(struct crm_stmt *st, struct pg_plan *plan)
{
	struct pg_stmt *p = PS(st);
	struct pg_conn *pc = PC(st->store);
	PGconn *conn = pc->conn;
	PGresult *failed = NULL, *res = NULL, *r;
	int n = pc->npending, sent = 1;

	pc->npending = 0;
	if (!PQenterPipelineMode(conn))
		sent = 0;
	for (int i = 0; sent && i < n; i++)
		sent = PQsendQueryParams(conn, pc->pending[i], 0, NULL, NULL, NULL, NULL, 0);
	if (sent)
		sent = PQsendQueryPrepared(conn, plan->name, p->nparams,
					   (const char *const *)p->vals, p->lens, NULL, 0);
	if (sent)
		sent = PQpipelineSync(conn);
	if (!sent) {
		/* the connection broke: its error is the answer */
		if (!PQexitPipelineMode(conn))
			PQreset(conn);
		return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
	}
	for (int i = 0; i < n; i++) {
		r = pipeline_result(conn);
		if (failed == NULL && PQresultStatus(r) != PGRES_COMMAND_OK)
			failed = r;
		else
			PQclear(r);
	}
	res = pipeline_result(conn);
	/* up to the sync, then out of the pipeline; a connection that cannot
	 * leave it is broken for good: reset, its error is the answer */
	while ((r = PQgetResult(conn)) != NULL) {
		int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;

		PQclear(r);
		if (sync)
			break;
	}
	if (!PQexitPipelineMode(conn)) {
		PQclear(res);
		PQclear(failed);
		PQreset(conn);
		return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
	}
	if (failed != NULL) {
		PQclear(res);
		return failed;
	}
	return res;
}

static PGresult *run_plan(struct crm_stmt *st, struct pg_plan *plan)
{
	struct pg_stmt *p = PS(st);

	if (PC(st->store)->npending > 0)
		return run_pipelined(st, plan);
	return PQexecPrepared(PC(st->store)->conn, plan->name, p->nparams,
			      (const char *const *)p->vals, p->lens, NULL, 0);
}

static int defer(struct crm_store *s, const char *sql, struct crm_err *e)
{
	struct pg_conn *pc = PC(s);
	int rc;

	/* A savepoint released with nothing run in it is no savepoint: a
	 * batch row that wrote nothing (staged for a bulk write) costs no
	 * message at all. */
	if (pc->npending > 0 && strncmp(sql, "RELEASE ", 8) == 0 &&
	    strncmp(pc->pending[pc->npending - 1], "SAVEPOINT ", 10) == 0 &&
	    strcmp(pc->pending[pc->npending - 1] + 10, sql + 8) == 0) {
		pc->npending--;
		return 0;
	}
	rc = pc->npending == PENDING_MAX ? flush_pending(s, e) : 0;
	if (rc == 0)
		pc->pending[pc->npending++] = sql;
	return rc;
}

/* A write inside a transaction runs under a savepoint of its own, so
 * that its failure fails it alone (see the top of the file). */
static PGresult *run_guarded(struct crm_stmt *st, struct pg_plan *plan)
{
	PGconn *conn = PC(st->store)->conn;
	PGresult *res, *r;

	/* Inside a batch row's savepoint a failure fails the row, which the
	 * driver rolls back to that savepoint: no second one is needed. */
	if (!PS(st)->writes || PQtransactionStatus(conn) != PQTRANS_INTRANS ||
	    crm_store_savepoint_depth(st->store) > 0)
		return run_plan(st, plan);
	if (defer(st->store, "SAVEPOINT crm_stmt", NULL) != 0)
		return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
	res = run_plan(st, plan);
	if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK) {
		if (defer(st->store, "RELEASE crm_stmt", NULL) != 0) {
			PQclear(res);
			return PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
		}
	} else {
		r = PQexec(conn, "ROLLBACK TO crm_stmt; RELEASE crm_stmt");
		PQclear(r);
	}
	return res;
}

static int pg_step(struct crm_stmt *st, struct crm_err *e)
{
	struct pg_stmt *p = PS(st);
	struct pg_conn *pc = PC(st->store);

	if (!p->ran && p->deferrable != NULL && PQtransactionStatus(pc->conn) == PQTRANS_INTRANS) {
		if (defer(st->store, p->deferrable, e) != 0)
			return -1;
		p->ran = 1;
		p->row = p->nrows = 0;
		return CRM_DONE;
	}
	if (!p->ran && p->stream && !p->writes) {
		if (start_stream(st, e) != 0) {
			clear_result(p);
			return -1;
		}
	} else if (!p->ran) {
		struct pg_plan *plan;
		ExecStatusType status;
		int rc, tries = 0;

		rc = plan_for(st, &plan, e);
		if (rc != 0)
			return -1;
		for (;;) {
			p->res = run_guarded(st, plan);
			status = PQresultStatus(p->res);
			/* Outside a transaction the statement is its own:
			 * run it again after a serialization failure. */
			if (status != PGRES_FATAL_ERROR || !retryable(p->res) ||
			    PQtransactionStatus(pc->conn) != PQTRANS_IDLE || ++tries > RETRIES)
				break;
			PQclear(p->res);
			usleep(1000u << tries);
		}
		if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
			pg_error(st->store, p->res, e);
			clear_result(p);
			return -1;
		}
		p->ran = 1;
		p->row = -1;
		p->nrows = status == PGRES_TUPLES_OK ? PQntuples(p->res) : 0;
		if (p->writes)
			pc->changes = strtoll(PQcmdTuples(p->res), NULL, 10);
	}
	if (p->row < p->nrows)
		p->row++;
	if (p->row == p->nrows && p->cursor[0] != '\0') {
		if (fetch(st, e) != 0)
			return -1;
		p->row = 0;
	}
	return p->row < p->nrows ? CRM_ROW : CRM_DONE;
}

static void bind_set(struct pg_stmt *p, int i, char *v, int len, Oid type, int owned)
{
	if (i < 1 || i > p->nparams)
		return;
	unbind(p, i - 1);
	p->vals[i - 1] = v;
	p->lens[i - 1] = len;
	p->types[i - 1] = type;
	p->owned[i - 1] = (unsigned char)owned;
}

static void pg_bind_text(struct crm_stmt *st, int i, const char *v, size_t n, int copy)
{
	struct pg_stmt *p = PS(st);

	if (i < 1 || i > p->nparams)
		return;
	if (copy) {
		char *c = xmalloc(n + 1);

		memcpy(c, v, n);
		c[n] = '\0';
		bind_set(p, i, c, (int)n, 0, 1);
	} else {
		bind_set(p, i, (char *)v, (int)n, 0, 0);
	}
}

static void pg_bind_int64(struct crm_stmt *st, int i, int64_t v)
{
	struct pg_stmt *p = PS(st);

	if (i < 1 || i > p->nparams)
		return;
	snprintf(p->num[i - 1], sizeof(p->num[i - 1]), "%lld", (long long)v);
	bind_set(p, i, p->num[i - 1], 0, OID_INT8, 0);
}

static void pg_bind_double(struct crm_stmt *st, int i, double v)
{
	struct pg_stmt *p = PS(st);

	if (i < 1 || i > p->nparams)
		return;
	snprintf(p->num[i - 1], sizeof(p->num[i - 1]), "%.17g", v);
	bind_set(p, i, p->num[i - 1], 0, OID_FLOAT8, 0);
}

static void pg_bind_null(struct crm_stmt *st, int i)
{
	bind_set(PS(st), i, NULL, 0, 0, 0);
}

static int pg_bind_count(struct crm_stmt *st)
{
	return PS(st)->nparams;
}

static int has_value(struct pg_stmt *p, int i)
{
	return p->res != NULL && p->row >= 0 && p->row < p->nrows && i >= 0 &&
	       i < PQnfields(p->res) && !PQgetisnull(p->res, p->row, i);
}

static const char *pg_column_text(struct crm_stmt *st, int i)
{
	struct pg_stmt *p = PS(st);

	if (!has_value(p, i))
		return NULL;
	/* Booleans read as SQLite gives them: 1 and 0. */
	if (PQftype(p->res, i) == OID_BOOL)
		return PQgetvalue(p->res, p->row, i)[0] == 't' ? "1" : "0";
	return PQgetvalue(p->res, p->row, i);
}

static size_t pg_column_bytes(struct crm_stmt *st, int i)
{
	const char *v = pg_column_text(st, i);

	return v != NULL ? strlen(v) : 0;
}

static int64_t pg_column_int64(struct crm_stmt *st, int i)
{
	const char *v = pg_column_text(st, i);

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

static double pg_column_double(struct crm_stmt *st, int i)
{
	const char *v = pg_column_text(st, i);

	return v != NULL ? strtod(v, NULL) : 0;
}

static enum crm_type pg_column_type(struct crm_stmt *st, int i)
{
	struct pg_stmt *p = PS(st);

	if (!has_value(p, i))
		return CRM_NULL;
	switch (PQftype(p->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return CRM_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return CRM_FLOAT;
	default:
		return CRM_TEXT;
	}
}

/* The result's shape; before the first step, the server describes the
 * statement as prepared for the values bound so far. */
static PGresult *shape(struct crm_stmt *st, PGresult **described)
{
	struct pg_stmt *p = PS(st);
	struct pg_plan *plan;

	*described = NULL;
	if (p->res != NULL)
		return p->res;
	if (plan_for(st, &plan, NULL) != 0)
		return NULL;
	*described = PQdescribePrepared(PC(st->store)->conn, plan->name);
	return *described;
}

static int pg_column_count(struct crm_stmt *st)
{
	PGresult *d;
	PGresult *r = shape(st, &d);
	int n = r != NULL ? PQnfields(r) : 0;

	if (d != NULL)
		PQclear(d);
	return n;
}

static const char *pg_column_name(struct crm_stmt *st, int i)
{
	struct pg_stmt *p = PS(st);

	/* before the first step, from the server's description, kept with
	 * the statement until it is freed */
	if (p->res == NULL && p->described == NULL) {
		PGresult *d;

		if (shape(st, &d) != NULL)
			p->described = d;
	}
	if (p->res != NULL)
		return i < PQnfields(p->res) ? PQfname(p->res, i) : NULL;
	return p->described != NULL && i < PQnfields(p->described) ? PQfname(p->described, i)
								   : NULL;
}

/* Administration, at the end of this file. */
static int pg_copy_in(struct crm_store *s, const char *table, const char *columns,
		      const char *data, size_t len, struct crm_err *e);
static int pg_check(struct crm_store *s, void (*fn)(void *ctx, const char *problem),
		    void *ctx, struct crm_err *e);
static int pg_backup(struct crm_store *s, const char *file, struct crm_err *e);
static int pg_id_counter(struct crm_store *s, const char *table, int64_t *out,
			 struct crm_err *e);
static int pg_after_copy(struct crm_store *s, const char *table, int64_t floor,
			 struct crm_err *e);

const struct crm_backend crm_backend_pg = {
	.name = "postgresql",
	.migrations = crm_migrations_pg,
	.nmigrations = &crm_migration_count_pg,
	/* Writers take turns, as BEGIN IMMEDIATE makes them on SQLite: ids
	 * stay gapless (crm_next_id), a migration runs once, and no two
	 * writers of the toolkit deadlock. Readers never wait. */
	.begin_sql = "BEGIN; SELECT pg_advisory_xact_lock(7271)",
	.tables_sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
		      " AND tablename NOT IN ('crm_schema_version', 'crm_ids', 'crm_keys')"
		      " ORDER BY tablename COLLATE \"C\"",
	.columns_sql = "SELECT column_name FROM information_schema.columns"
		       " WHERE table_schema = current_schema() AND table_name = ?1"
		       " ORDER BY ordinal_position",
	/* PostgreSQL has no UPDATE OR IGNORE: crm_repoint (sql/pg/0001)
	 * moves row by row, each under a savepoint. */
	.move_rows_sql = "SELECT crm_repoint('%1$s', '%2$s', ?1, ?2)",
	/* crm_keys and its triggers (sql/pg/0010), so that the store can be
	 * sharded by contact */
	.key_directory = 1,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec_sql,
	.exec_raw = pg_exec,
	.version = pg_version,
	.has_tables = pg_has_tables,
	.set_version = pg_set_version,
	.in_tx = pg_in_tx,
	.changes = pg_changes,
	.limit = pg_limit,
	.function = pg_function,
	.bulk = pg_bulk,
	.purge = pg_purge,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.sql = pg_sql,
	.busy = pg_busy,
	.reset = pg_reset,
	.clear = pg_clear,
	.step = pg_step,
	.bind_text = pg_bind_text,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_null = pg_bind_null,
	.bind_count = pg_bind_count,
	.column_text = pg_column_text,
	.column_bytes = pg_column_bytes,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_type = pg_column_type,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.refs_sql = "SELECT DISTINCT r.relname::text FROM pg_constraint c"
		    " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid"
		    " WHERE c.contype = 'f' AND t.relname = ?1"
		    " AND t.relnamespace = current_schema()::regnamespace",
	.snapshot_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	.check = pg_check,
	.backup = pg_backup,
	.id_counter = pg_id_counter,
	.copy_in = pg_copy_in,
	.stream = pg_stream,
	.after_copy = pg_after_copy,
};

/* ---- administration (store/admin.c) ---------------------------------- */

/* Whether a name from the catalog can go into SQL as it is. */
static int plain_name(const char *name)
{
	return name[0] != '\0' && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(name);
}

/* PostgreSQL checks every constraint as it is written and the pages
 * themselves (if the cluster has checksums); what can still be wrong is
 * the schema's own SQL functions and collation that the toolkit's SQL
 * calls (dropped, or never made by a hand-made schema). */
static const char *const schema_functions[] = {
	"crm_next_id", "crm_repoint", "strftime", "julianday", "printf", "total",
	"group_concat", "sum", "round", "crm_number",
};

static int pg_check(struct crm_store *s, void (*fn)(void *ctx, const char *problem),
		    void *ctx, struct crm_err *e)
{
	int rc = flush_pending(s, e);

	for (size_t i = 0; rc == 0 && i < sizeof(schema_functions) / sizeof(schema_functions[0]);
	     i++) {
		const char *name = schema_functions[i];
		const char *values[1] = { name };
		PGresult *r = PQexecParams(PC(s)->conn,
			"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
			" WHERE p.proname = $1 AND n.nspname = current_schema()", 1, NULL, values,
			NULL, NULL, 0);
		char line[160];

		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = pg_error(s, r, e);
		else if (strcmp(PQgetvalue(r, 0, 0), "0") == 0) {
			snprintf(line, sizeof(line), "the SQL function %s is missing", name);
			fn(ctx, line);
		}
		PQclear(r);
	}
	if (rc == 0) {
		PGresult *r = PQexec(PC(s)->conn,
			"SELECT count(*) FROM pg_collation WHERE collname = 'nocase'");

		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = pg_error(s, r, e);
		else if (strcmp(PQgetvalue(r, 0, 0), "0") == 0)
			fn(ctx, "the collation nocase is missing");
		PQclear(r);
	}
	if (rc == 0) {
		/* the directory of keys unique across contacts (sql/pg/0010),
		 * which triggers keep: a key written past them, or lost */
		PGresult *r = PQexec(PC(s)->conn, "SELECT crm_keys_drift()");
		char line[160];

		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			rc = pg_error(s, r, e);
		else if (strcmp(PQgetvalue(r, 0, 0), "0") != 0) {
			snprintf(line, sizeof(line),
				 "the key directory crm_keys and the rows differ on %.20s keys",
				 PQgetvalue(r, 0, 0));
			fn(ctx, line);
		}
		PQclear(r);
	}
	return rc;
}

/* pg_dump's custom format (pg_restore reads it), of one snapshot. The
 * name holds no password (crm_store_path refuses one): pg_dump finds it
 * where libpq does (~/.pgpass, PGPASSWORD). */
static int pg_backup(struct crm_store *s, const char *file, struct crm_err *e)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return crm_err_set(e, CRM_EX_OSERR, "cannot run pg_dump: %s", strerror(errno));
	if (pid == 0) {
		execlp("pg_dump", "pg_dump", "--format=custom", "--no-password", "--file", file,
		       "--dbname", s->path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return crm_err_set(e, CRM_EX_OSERR, "pg_dump: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return crm_err_set(e, CRM_EX_UNAVAILABLE,
				   "cannot run pg_dump: is PostgreSQL's client installed?");
	if (WIFEXITED(status))
		return crm_err_set(e, CRM_EX_IOERR, "pg_dump failed (exit %d): no backup made",
				   WEXITSTATUS(status));
	return crm_err_set(e, CRM_EX_SOFTWARE, "pg_dump was killed by signal %d: no backup made",
			   WTERMSIG(status));
}

/* The counter crm_next_id() draws the table's ids from. */
static int pg_id_counter(struct crm_store *s, const char *table, int64_t *out,
			 struct crm_err *e)
{
	const char *v[1] = { table };
	PGresult *res = PQexecParams(PC(s)->conn, "SELECT last FROM crm_ids WHERE name = $1", 1,
				     NULL, v, NULL, NULL, 0);
	int rc = 0;

	*out = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pg_error(s, res, e);
	else if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		*out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return rc;
}

/* Rows copied in with their ids: new ids follow the highest (crm_next_id
 * does so by itself) and the source's floor (a contact id it had given
 * and deleted is not given again). */
static int pg_after_copy(struct crm_store *s, const char *table, int64_t floor,
			 struct crm_err *e)
{
	char sql[640];

	if (!plain_name(table) || floor <= 0)
		return 0;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO crm_ids (name, last) VALUES ('%s', %lld)"
		 " ON CONFLICT (name) DO UPDATE SET last = greatest(crm_ids.last, excluded.last)",
		 table, (long long)floor);
	return pg_exec(s, sql, e);
}

/* COPY ... FROM STDIN: the rows go in a few large messages instead of a
 * round trip each. The pending savepoints go first; a failure fails the
 * transaction (the caller stops and rolls back). */
static int pg_copy_in(struct crm_store *s, const char *table, const char *columns,
		      const char *data, size_t len, struct crm_err *e)
{
	PGconn *conn = PC(s)->conn;
	struct crm_buf sql = CRM_BUF_INIT;
	PGresult *res;
	int rc = flush_pending(s, e), sent = 1;

	if (rc != 0)
		return rc;
	crm_buf_addf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
	res = PQexec(conn, crm_buf_str(&sql));
	crm_buf_free(&sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = pg_error(s, res, e);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	/* In pieces of a megabyte: PQputCopyData takes an int. */
	for (size_t off = 0; off < len && sent == 1; off += 1u << 20) {
		size_t n = len - off < (1u << 20) ? len - off : 1u << 20;

		sent = PQputCopyData(conn, data + off, (int)n);
	}
	if (sent == 1)
		sent = PQputCopyEnd(conn, NULL);
	if (sent != 1) {
		rc = crm_err_set(e, CRM_EX_TEMPFAIL, "store %s: %s", s->path, PQerrorMessage(conn));
		e->msg[strcspn(e->msg, "\n")] = '\0';
	}
	while ((res = PQgetResult(conn)) != NULL) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_error(s, res, e);
		PQclear(res);
	}
	return rc;
}
