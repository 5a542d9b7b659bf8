/* sqlite.c - the SQLite backend of the store: the embedded default, one
 * file on one machine. The only file of libcrm that calls sqlite3_*. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/backend.h"
#include "store/store.h"

/* Generated from the files in lib/store/sql/ by scripts/sql2c. */
extern const char *const crm_migrations[];
extern const size_t crm_migration_count;

#define DB(s) ((sqlite3 *)(s)->conn)
#define ST(st) ((sqlite3_stmt *)(st)->impl)

/* Maps an SQLite result code to an exit code and message. */
static int lite_error(struct crm_store *s, int rc, struct crm_err *e)
{
	const char *msg = s != NULL && s->conn != NULL ? sqlite3_errmsg(DB(s))
						       : sqlite3_errstr(rc);
	const char *path = s != NULL ? s->path : "";

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return crm_err_set(e, CRM_EX_TEMPFAIL,
				   "store %s is busy (another program is writing): try again later",
				   path);
	case SQLITE_CONSTRAINT:
		return crm_err_set(e, CRM_EX_DATAERR, "%s", msg);
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_PROTOCOL:
		return crm_err_set(e, CRM_EX_IOERR, "store %s: %s", path, msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return crm_err_set(e, CRM_EX_IOERR, "store %s is damaged or not a crm store: %s",
				   path, msg);
	default:
		return crm_err_set(e, CRM_EX_SOFTWARE, "store %s: %s", path, msg);
	}
}

static int lite_exec(struct crm_store *s, const char *sql, struct crm_err *e)
{
	int rc = sqlite3_exec(DB(s), sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : lite_error(s, rc, e);
}

static int query_int(struct crm_store *s, const char *sql, int *out, struct crm_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : lite_error(s, rc, e);
}

static int lite_version(struct crm_store *s, int *out, struct crm_err *e)
{
	return query_int(s, "PRAGMA user_version", out, e);
}

static int lite_has_tables(struct crm_store *s, int *out, struct crm_err *e)
{
	return query_int(s, "SELECT count(*) > 0 FROM sqlite_master", out, e);
}

static int lite_set_version(struct crm_store *s, int version, struct crm_err *e)
{
	char pragma[64];

	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
	return lite_exec(s, pragma, e);
}

/* Creates the file 0600 before SQLite opens it (SQLite would use the umask;
 * PITFALLS.md). An existing file is left alone. */
static int create_private_file(const char *path, struct crm_err *e)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	return crm_err_set(e, CRM_EX_IOERR, "cannot create store %s: %s", path,
			   strerror(errno));
}

/* mkdir -p of the directory part of path, new directories 0700. */
static int make_parent_dirs(const char *path, struct crm_err *e)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash == NULL || slash == dir)
		goto out;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = crm_err_set(e, CRM_EX_IOERR, "cannot create directory %s: %s",
					 dir, strerror(errno));
			goto out;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
out:
	free(dir);
	return rc;
}

/* SQLite's own busy handler backs off to 100 ms sleeps, long enough to
 * miss the short gaps a batch leaves between its commits again and again.
 * This one polls every 2 ms until the busy timeout, so waiting writers get
 * their turn within a gap. */
static int busy_wait(void *ctx, int attempt)
{
	struct crm_store *s = ctx;
	long long now = crm_store_monotonic_ms();

	if (attempt == 0)
		s->busy_since_ms = now;
	if (now - s->busy_since_ms >= s->busy_ms)
		return 0;
	usleep(2000);
	return 1;
}

/* journal_mode = WAL on a store still in rollback mode (a new one) reads
 * the header and then takes the write lock: an upgrade, for which SQLite
 * does not call the busy handler (PITFALLS.md). Several programs opening
 * a new store at once then got SQLITE_BUSY at once (5 of 160 in a test of
 * four imports at a time); wait for the lock here as busy_wait would. */
static int set_wal(struct crm_store *s, struct crm_err *e)
{
	long long since = crm_store_monotonic_ms();

	for (;;) {
		int rc = sqlite3_exec(DB(s), "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

		if ((rc & 0xff) != SQLITE_BUSY ||
		    crm_store_monotonic_ms() - since >= s->busy_ms)
			return rc == SQLITE_OK ? 0 : lite_error(s, rc, e);
		usleep(2000);
	}
}

static void sqlite_log(void *unused, int code, const char *msg)
{
	(void)unused;
	if (getenv("CRM_DEBUG") != NULL)
		fprintf(stderr, "crm: sqlite (%d): %s\n", code, msg);
}

/* A file crm did not make: a negative version, or version 0 with tables
 * in it. Checked before WAL mode is set, which would change its header. */
static int check_is_crm_store(struct crm_store *s, struct crm_err *e)
{
	int version = 0, tables = 0;
	int rc = lite_version(s, &version, e);

	if (rc == 0 && version == 0)
		rc = lite_has_tables(s, &tables, e);
	if (rc != 0)
		return rc;
	if (version < 0)
		return crm_err_set(e, CRM_EX_IOERR,
				   "store %s is damaged or not a crm store: schema version %d",
				   s->path, version);
	if (version == 0 && tables)
		return crm_err_set(e, CRM_EX_IOERR,
				   "store %s is damaged or not a crm store: it has tables but no schema version",
				   s->path);
	return 0;
}

/* The toolkit's own SQL functions, the same on both backends (the
 * PostgreSQL ones are in store/sql/pg/0001). */

/* crm_number(text): the number a text is (spaces around it allowed), as
 * a double, or NULL: a sign, digits with at most one point, an exponent;
 * nothing else ("42abc", "0x10", "inf" are not numbers). */
static int numeric_text(const char *p, const char **end)
{
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;

		if (*q == '+' || *q == '-')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return 0;
		while (*q >= '0' && *q <= '9')
			q++;
		p = q;
	}
	*end = p;
	return 1;
}

static void fn_number(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	const char *end;

	(void)argc;
	if (t == NULL)
		return;
	while (*t == ' ')
		t++;
	if (!numeric_text(t, &end))
		return;
	while (*end == ' ')
		end++;
	if (*end != '\0')
		return;
	sqlite3_result_double(cx, strtod(t, NULL));
}

static int lite_open(struct crm_store *s, enum crm_store_mode mode, struct crm_err *e)
{
	struct stat sb;
	sqlite3 *db = NULL;
	int rc;

	if (mode == CRM_STORE_READ) {
		/* Nothing to read: say so, and create nothing (SQLite opens
		 * without SQLITE_OPEN_CREATE below). */
		if (stat(s->path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
			return crm_err_set(e, CRM_EX_NOINPUT, "no store at %s", s->path);
	} else {
		rc = make_parent_dirs(s->path, e);
		if (rc == 0)
			rc = create_private_file(s->path, e);
		if (rc != 0)
			return rc;
	}
	/* Before any other SQLite call; fails harmlessly if already set up. */
	sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL);
	/* The programs are single-threaded: no mutexes, no malloc statistics
	 * (they took a lock on every allocation, ~5% of an import). */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	rc = sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	s->conn = db;
	if (rc != SQLITE_OK)
		return lite_error(s, rc, e);
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_handler(db, busy_wait, s);
	sqlite3_create_function_v2(db, "crm_number", 1,
				   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				   fn_number, NULL, NULL, NULL);
	rc = lite_exec(s,
		       "PRAGMA synchronous = NORMAL;"
		       "PRAGMA foreign_keys = ON;"
		       "PRAGMA secure_delete = ON;"
		       "PRAGMA cache_size = -16384;"
		       "PRAGMA temp_store = FILE;",
		       e);
	if (rc == 0)
		rc = check_is_crm_store(s, e);
	if (rc == 0)
		rc = set_wal(s, e);
	return rc;
}

static void lite_close(struct crm_store *s)
{
	if (s->conn == NULL)
		return;
	if (!sqlite3_get_autocommit(DB(s)))
		sqlite3_exec(DB(s), "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(DB(s));
	s->conn = NULL;
}

static int lite_in_tx(struct crm_store *s)
{
	return !sqlite3_get_autocommit(DB(s));
}

static int64_t lite_changes(struct crm_store *s)
{
	return sqlite3_changes(DB(s));
}

static int lite_limit(struct crm_store *s, enum crm_limit what)
{
	switch (what) {
	case CRM_LIMIT_COLUMNS:
		return sqlite3_limit(DB(s), SQLITE_LIMIT_COLUMN, -1);
	case CRM_LIMIT_EXPR_DEPTH:
		return sqlite3_limit(DB(s), SQLITE_LIMIT_EXPR_DEPTH, -1);
	default:
		return sqlite3_limit(DB(s), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
	}
}

struct crm_fn_call {
	sqlite3_context *cx;
	int argc;
	sqlite3_value **argv;
};

struct lite_fn {
	crm_sql_fn *fn;
	void *ctx;
};

static void lite_fn_call(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct lite_fn *f = sqlite3_user_data(cx);
	struct crm_fn_call call = { cx, argc, argv };

	f->fn(&call, f->ctx);
}

static int lite_function(struct crm_store *s, const char *name, int nargs, crm_sql_fn *fn,
			 void *ctx, struct crm_err *e)
{
	struct lite_fn *f = NULL;
	int rc;

	if (fn != NULL) {
		f = xmalloc(sizeof(*f));
		f->fn = fn;
		f->ctx = ctx;
	}
	/* SQLite frees f (free as the destructor) when the function is
	 * replaced or removed, or the connection closes. */
	rc = sqlite3_create_function_v2(DB(s), name, nargs,
					SQLITE_UTF8 | (fn != NULL ? SQLITE_DETERMINISTIC : 0), f,
					fn != NULL ? lite_fn_call : NULL, NULL, NULL,
					fn != NULL ? free : NULL);
	if (rc != SQLITE_OK)
		return crm_err_set(e, CRM_EX_SOFTWARE, "cannot add SQL function %s: %s", name,
				   sqlite3_errmsg(DB(s)));
	return 0;
}

int crm_fn_argc(struct crm_fn_call *call)
{
	return call->argc;
}

const char *crm_fn_text(struct crm_fn_call *call, int i)
{
	return (const char *)sqlite3_value_text(call->argv[i]);
}

int64_t crm_fn_int64(struct crm_fn_call *call, int i)
{
	return sqlite3_value_int64(call->argv[i]);
}

void crm_fn_result_text(struct crm_fn_call *call, const char *v, size_t n)
{
	sqlite3_result_text(call->cx, v, (int)n, SQLITE_TRANSIENT);
}

void crm_fn_result_int64(struct crm_fn_call *call, int64_t v)
{
	sqlite3_result_int64(call->cx, v);
}

static void lite_bulk(struct crm_store *s)
{
	/* Checkpoint every ~40 MB of WAL instead of 4 MB while the batch
	 * runs: fewer, larger writes (10% of a large import's time). */
	sqlite3_exec(DB(s), "PRAGMA wal_autocheckpoint = 10000", NULL, NULL, NULL);
	/* A 20 MB page cache instead of 16: the email index of a 1M-contact
	 * store is 11,000 pages, and every page it misses is a read and a
	 * spilled write (-11% CPU at 1M rows; peak RSS stays under 32 MB). */
	sqlite3_exec(DB(s), "PRAGMA cache_size = -20480", NULL, NULL, NULL);
	/* A row that writes several tables runs in a savepoint, whose
	 * statement journal is a temporary file: in memory instead (22
	 * write calls a deal of crm-lead import, 98% of its system calls;
	 * 20k deals 1.74 s -> 0.73 s, scripts/bench-lead). A batch's
	 * statements are per-row lookups: no large sort needs the disk. */
	sqlite3_exec(DB(s), "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
}

/* secure_delete overwrote the freed pages in the database; the WAL still
 * holds the old pages until a checkpoint copies them back and truncates
 * it. A reader holding an old snapshot makes the checkpoint busy. */
static int lite_purge(struct crm_store *s, struct crm_err *e)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(DB(s), NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);

	if ((rc & 0xff) == SQLITE_BUSY || (rc == SQLITE_OK && log != done))
		return crm_err_set(e, CRM_EX_TEMPFAIL,
				   "store %s is being read by another program: its old pages stay in the -wal file",
				   s->path);
	return rc == SQLITE_OK ? 0 : lite_error(s, rc, e);
}

static int lite_prepare(struct crm_store *s, const char *sql, int cached, struct crm_stmt *st,
			struct crm_err *e)
{
	sqlite3_stmt *p = NULL;
	int rc = sqlite3_prepare_v3(DB(s), sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0, &p,
				    NULL);

	if (rc != SQLITE_OK) {
		sqlite3_finalize(p);
		return crm_err_set(e, CRM_EX_SOFTWARE, "cannot prepare SQL: %s",
				   sqlite3_errmsg(DB(s)));
	}
	st->impl = p;
	return 0;
}

static void lite_finalize(struct crm_stmt *st)
{
	sqlite3_finalize(ST(st));
}

static const char *lite_sql(struct crm_stmt *st)
{
	return sqlite3_sql(ST(st));
}

static int lite_busy(struct crm_stmt *st)
{
	return sqlite3_stmt_busy(ST(st));
}

static void lite_reset(struct crm_stmt *st)
{
	sqlite3_reset(ST(st));
}

static void lite_clear(struct crm_stmt *st)
{
	sqlite3_clear_bindings(ST(st));
}

static int lite_step(struct crm_stmt *st, struct crm_err *e)
{
	int rc = sqlite3_step(ST(st));

	if (rc == SQLITE_ROW)
		return CRM_ROW;
	if (rc == SQLITE_DONE)
		return CRM_DONE;
	lite_error(st->store, rc, e);
	sqlite3_reset(ST(st));
	return -1;
}

static void lite_bind_text(struct crm_stmt *st, int i, const char *v, size_t n, int copy)
{
	sqlite3_bind_text(ST(st), i, v, (int)n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void lite_bind_int64(struct crm_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(ST(st), i, v);
}

static void lite_bind_double(struct crm_stmt *st, int i, double v)
{
	sqlite3_bind_double(ST(st), i, v);
}

static void lite_bind_null(struct crm_stmt *st, int i)
{
	sqlite3_bind_null(ST(st), i);
}

static int lite_bind_count(struct crm_stmt *st)
{
	return sqlite3_bind_parameter_count(ST(st));
}

static const char *lite_column_text(struct crm_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(ST(st), i);
}

static size_t lite_column_bytes(struct crm_stmt *st, int i)
{
	return (size_t)sqlite3_column_bytes(ST(st), i);
}

static int64_t lite_column_int64(struct crm_stmt *st, int i)
{
	return sqlite3_column_int64(ST(st), i);
}

static double lite_column_double(struct crm_stmt *st, int i)
{
	return sqlite3_column_double(ST(st), i);
}

static enum crm_type lite_column_type(struct crm_stmt *st, int i)
{
	switch (sqlite3_column_type(ST(st), i)) {
	case SQLITE_INTEGER:
		return CRM_INTEGER;
	case SQLITE_FLOAT:
		return CRM_FLOAT;
	case SQLITE_NULL:
		return CRM_NULL;
	default:
		return CRM_TEXT;
	}
}

static int lite_column_count(struct crm_stmt *st)
{
	return sqlite3_column_count(ST(st));
}

static const char *lite_column_name(struct crm_stmt *st, int i)
{
	return sqlite3_column_name(ST(st), i);
}

/* Administration, at the end of this file. */
static int lite_check(struct crm_store *s, void (*fn)(void *ctx, const char *problem),
		      void *ctx, struct crm_err *e);
static int lite_backup(struct crm_store *s, const char *file, struct crm_err *e);
static int lite_id_counter(struct crm_store *s, const char *table, int64_t *out,
			   struct crm_err *e);
static int lite_after_copy(struct crm_store *s, const char *table, int64_t floor,
			   struct crm_err *e);

const struct crm_backend crm_backend_sqlite = {
	.name = "sqlite",
	.migrations = crm_migrations,
	.nmigrations = &crm_migration_count,
	.begin_sql = "BEGIN IMMEDIATE",
	.tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
		      " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
	.columns_sql = "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
	.move_rows_sql = "UPDATE OR IGNORE \"%1$s\" SET \"%2$s\" = ?1 WHERE \"%2$s\" = ?2",
	.open = lite_open,
	.close = lite_close,
	.exec = lite_exec,
	.exec_raw = lite_exec,
	.version = lite_version,
	.has_tables = lite_has_tables,
	.set_version = lite_set_version,
	.in_tx = lite_in_tx,
	.changes = lite_changes,
	.limit = lite_limit,
	.function = lite_function,
	.bulk = lite_bulk,
	.purge = lite_purge,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.sql = lite_sql,
	.busy = lite_busy,
	.reset = lite_reset,
	.clear = lite_clear,
	.step = lite_step,
	.bind_text = lite_bind_text,
	.bind_int64 = lite_bind_int64,
	.bind_double = lite_bind_double,
	.bind_null = lite_bind_null,
	.bind_count = lite_bind_count,
	.column_text = lite_column_text,
	.column_bytes = lite_column_bytes,
	.column_int64 = lite_column_int64,
	.column_double = lite_column_double,
	.column_type = lite_column_type,
	.column_count = lite_column_count,
	.column_name = lite_column_name,
	.refs_sql = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
	.snapshot_sql = "BEGIN DEFERRED",
	.check = lite_check,
	.backup = lite_backup,
	.id_counter = lite_id_counter,
	.after_copy = lite_after_copy,
};

/* ---- administration (store/admin.c) ---------------------------------- */

/* Passes each line of text to fn as a problem. */
static void problem_lines(const char *text, void (*fn)(void *ctx, const char *problem),
			  void *ctx)
{
	char *copy = xstrdup(text), *line = copy;

	while (line != NULL) {
		char *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl++ = '\0';
		if (line[0] != '\0')
			fn(ctx, line);
		line = nl;
	}
	free(copy);
}

/* Runs one of the checking pragmas; every row that is not "ok" is a
 * problem, its columns joined (name=value when there are several). A
 * store too damaged to run it is a problem too. */
static int check_pragma(struct crm_store *s, const char *sql,
			void (*fn)(void *ctx, const char *problem), void *ctx)
{
	struct crm_buf line = CRM_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL);

	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int ncol = sqlite3_column_count(st);

		crm_buf_reset(&line);
		for (int i = 0; i < ncol; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			if (ncol > 1)
				crm_buf_addf(&line, "%s%s=", i > 0 ? " " : "",
					     sqlite3_column_name(st, i));
			crm_buf_adds(&line, v != NULL ? v : "NULL");
		}
		if (strcmp(crm_buf_str(&line), "ok") != 0)
			problem_lines(crm_buf_str(&line), fn, ctx);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		crm_buf_reset(&line);
		crm_buf_addf(&line, "%s: %s", sql, sqlite3_errmsg(DB(s)));
		fn(ctx, crm_buf_str(&line));
	}
	sqlite3_finalize(st);
	crm_buf_free(&line);
	return 0;
}

static int lite_check(struct crm_store *s, void (*fn)(void *ctx, const char *problem),
		      void *ctx, struct crm_err *e)
{
	(void)e;
	check_pragma(s, "PRAGMA integrity_check", fn, ctx);
	check_pragma(s, "PRAGMA foreign_key_check", fn, ctx);
	return 0;
}

/* The online backup API: all pages in one step, so the copy is one
 * snapshot (WAL: writers go on meanwhile); busy only while another holds
 * an exclusive lock, retried up to the busy timeout. */
static int lite_backup(struct crm_store *s, const char *file, struct crm_err *e)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	long long since = crm_store_monotonic_ms();
	int rc = sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		rc = crm_err_set(e, CRM_EX_IOERR, "cannot open %s: %s", file,
				 dst != NULL ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return rc;
	}
	b = sqlite3_backup_init(dst, "main", DB(s), "main");
	if (b == NULL) {
		rc = crm_err_set(e, CRM_EX_IOERR, "cannot back up to %s: %s", file,
				 sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return rc;
	}
	for (;;) {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_DONE || ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) ||
		    crm_store_monotonic_ms() - since >= s->busy_ms)
			break;
		usleep(2000);
	}
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE) {
		rc = sqlite3_close(dst);
		return rc == SQLITE_OK ? 0 : crm_err_set(e, CRM_EX_IOERR, "%s: %s", file,
							 sqlite3_errstr(rc));
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		rc = crm_err_set(e, CRM_EX_TEMPFAIL,
				 "store %s is busy (another program holds it): try again later",
				 s->path);
	else
		rc = crm_err_set(e, CRM_EX_IOERR, "backup to %s: %s", file, sqlite3_errmsg(dst));
	sqlite3_close(dst);
	return rc;
}

/* Runs sql with table as ?1 and n as ?2; *out is the first column of
 * its row, if it has one and out is not NULL. */
static int table_query(struct crm_store *s, const char *sql, const char *table, int64_t n,
		       int64_t *out, struct crm_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_int64(st, 2, n);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && out != NULL)
			*out = sqlite3_column_int64(st, 0);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		rc = lite_error(s, rc, e);
	sqlite3_finalize(st);
	return rc;
}

/* AUTOINCREMENT keeps the highest id ever given in sqlite_sequence (which
 * exists once such a table does); a plain INTEGER PRIMARY KEY keeps none. */
static int lite_id_counter(struct crm_store *s, const char *table, int64_t *out,
			   struct crm_err *e)
{
	int64_t has = 0;
	int rc = table_query(s, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'",
			     table, 0, &has, e);

	*out = 0;
	if (rc == 0 && has)
		rc = table_query(s, "SELECT seq FROM sqlite_sequence WHERE name = ?1", table, 0,
				 out, e);
	return rc;
}

/* An INTEGER PRIMARY KEY given its value moves sqlite_sequence along by
 * itself; what is left is the source's counter past its last row (rows
 * deleted or merged away), for an AUTOINCREMENT table. */
static int lite_after_copy(struct crm_store *s, const char *table, int64_t floor,
			   struct crm_err *e)
{
	int64_t autoinc = 0;
	int rc;

	if (floor <= 0)
		return 0;
	rc = table_query(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1"
			 " AND sql LIKE '%AUTOINCREMENT%'", table, 0, &autoinc, e);
	if (rc != 0 || !autoinc)
		return rc;
	rc = table_query(s, "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2 WHERE NOT EXISTS"
			 " (SELECT 1 FROM sqlite_sequence WHERE name = ?1)", table, floor, NULL, e);
	if (rc == 0)
		rc = table_query(s, "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
				 table, floor, NULL, e);
	return rc;
}
