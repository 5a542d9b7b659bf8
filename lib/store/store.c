/* store.c - what both backends of the store share: its name, the
 * statement cache, transactions, migrations, history and random bytes. */
#include "store/store.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/backend.h"

/* The statement cache: prepared statements by SQL text, found through an
 * open-addressing hash of the text (one hash and one compare per hit),
 * least recently used evicted past the limit, but never a statement that
 * is being stepped (sqlite3_stmt_busy): a caller may prepare others while
 * it walks the rows of one. */
#define STMT_CACHE_MAX_DEFAULT 256

struct cached_stmt {
	const char *key;    /* the caller's pointer when last found (by_addr) */
	const char *sql;    /* the statement's own copy of the text */
	uint64_t hash;
	unsigned long long used; /* when it was last handed out */
	struct crm_stmt *stmt;   /* allocated on its own: callers hold it */
};

#define BUSY_TIMEOUT_DEFAULT_MS 5000

static int default_path(char **out, struct crm_err *e)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct crm_buf b = CRM_BUF_INIT;

	if (xdg != NULL && xdg[0] == '/') {
		crm_buf_addf(&b, "%s/crm/crm.db", xdg);
	} else {
		if (home == NULL || home[0] == '\0') {
			struct passwd *pw = getpwuid(getuid());

			home = pw != NULL ? pw->pw_dir : NULL;
		}
		if (home == NULL || home[0] == '\0')
			return crm_err_set(e, CRM_EX_CONFIG,
					   "cannot find the store: set CRM_DB or HOME, or use --db");
		crm_buf_addf(&b, "%s/.local/share/crm/crm.db", home);
	}
	*out = crm_buf_detach(&b);
	return 0;
}

/* A PostgreSQL store is named by a URI (postgresql:// or postgres://)
 * or a libpq keyword string ("host=db1 dbname=crm"); anything else is
 * the path of an SQLite file. */
static int is_pg_uri(const char *name)
{
	return strncmp(name, "postgresql://", 13) == 0 || strncmp(name, "postgres://", 11) == 0;
}

static int is_pg_keywords(const char *name)
{
	const char *p = name;

	while (*p == ' ')
		p++;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return p > name && *p == '=' && strchr(name, '/') != name;
}

int crm_store_is_server(const char *name)
{
	return is_pg_uri(name) || is_pg_keywords(name);
}

/* Whether the name carries a password: user:secret@ in a URI, or a
 * password parameter. A name sits in shell history and process listings,
 * where a password must never be. */
static int has_password(const char *name)
{
	const char *p;

	if (is_pg_uri(name)) {
		const char *auth = strstr(name, "://") + 3;
		size_t n = strcspn(auth, "/?");
		const char *at = memchr(auth, '@', n);

		if (at != NULL && memchr(auth, ':', (size_t)(at - auth)) != NULL)
			return 1;
	}
	for (p = name; (p = strstr(p, "password")) != NULL; p += 8) {
		const char *q = p + 8;

		if (p > name && p[-1] != ' ' && p[-1] != '?' && p[-1] != '&')
			continue;
		while (*q == ' ')
			q++;
		if (*q == '=')
			return 1;
	}
	return 0;
}

int crm_store_path(const char *opt_db, char **out, struct crm_err *e)
{
	const char *env = getenv("CRM_DB");
	const char *path = opt_db != NULL && opt_db[0] != '\0' ? opt_db
			 : env != NULL && env[0] != '\0' ? env : NULL;

	if (path == NULL)
		return default_path(out, e);
	if (crm_store_is_server(path) && has_password(path))
		return crm_err_set(e, CRM_EX_USAGE,
				   "a store name must not hold a password (it shows in process listings):"
				   " put it in ~/.pgpass or PGPASSFILE");
	if (strstr(path, "://") != NULL && !crm_store_is_server(path))
		return crm_err_set(e, CRM_EX_CONFIG,
				   "%.64s: not a store: give a file path or a postgresql:// URI",
				   path);
	*out = xstrdup(path);
	return 0;
}

static int busy_timeout_ms(int *ms, struct crm_err *e)
{
	const char *env = getenv("CRM_BUSY_TIMEOUT");
	char *end;
	double secs;

	*ms = BUSY_TIMEOUT_DEFAULT_MS;
	if (env == NULL || env[0] == '\0')
		return 0;
	errno = 0;
	secs = strtod(env, &end);
	if (errno != 0 || *end != '\0' || end == env || !(secs >= 0 && secs <= 86400))
		return crm_err_set(e, CRM_EX_CONFIG,
				   "invalid CRM_BUSY_TIMEOUT \"%s\" (seconds, 0 to 86400)", env);
	*ms = (int)(secs * 1000);
	return 0;
}

long long crm_store_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int crm_store_exec(struct crm_store *s, const char *sql, struct crm_err *e)
{
	return s->be->exec(s, sql, e);
}

static int check_not_newer(struct crm_store *s, int version, struct crm_err *e)
{
	size_t known = *s->be->nmigrations;

	if (version > (int)known)
		return crm_err_set(e, CRM_EX_CONFIG,
				   "store %s has schema version %d; this program knows only %zu: upgrade crm",
				   s->path, version, known);
	return 0;
}

/* Brings the store to this program's version. The version is read again
 * once the write lock is held, since another process (perhaps a newer
 * program) may have migrated meanwhile; it is only ever raised. */
static int migrate(struct crm_store *s, struct crm_err *e)
{
	size_t known = *s->be->nmigrations;
	int version, rc;

	rc = s->be->version(s, &version, e);
	if (rc == 0)
		rc = check_not_newer(s, version, e);
	if (rc != 0 || version == (int)known)
		return rc;
	rc = crm_store_begin(s, e);
	if (rc == 0)
		rc = s->be->version(s, &version, e);
	if (rc == 0)
		rc = check_not_newer(s, version, e);
	if (rc == 0 && version == (int)known) {
		crm_store_rollback(s);
		return 0;
	}
	for (size_t i = (size_t)version; rc == 0 && i < known; i++) {
		rc = s->be->exec_raw(s, s->be->migrations[i], e);
		if (rc != 0)
			crm_err_prefix(e, "migration %zu", i + 1);
	}
	if (rc == 0)
		rc = s->be->set_version(s, (int)known, e);
	if (rc == 0)
		return crm_store_commit(s, e);
	crm_store_rollback(s);
	return rc;
}

int crm_store_open(const char *path, const char *who, struct crm_store **out,
		   struct crm_err *e)
{
	return crm_store_open_mode(path, who, CRM_STORE_WRITE, out, e);
}

int crm_store_open_mode(const char *path, const char *who, enum crm_store_mode mode,
			struct crm_store **out, struct crm_err *e)
{
	struct crm_store *s;
	int rc, ms;

	*out = NULL;
	rc = busy_timeout_ms(&ms, e);
	if (rc != 0)
		return rc;
	s = xcalloc(1, sizeof(*s));
	s->be = crm_store_is_server(path) ? &crm_backend_pg : &crm_backend_sqlite;
	s->path = xstrdup(path);
	s->who = xstrdup(who != NULL ? who : "unknown");
	s->cache_max = STMT_CACHE_MAX_DEFAULT;
	s->busy_ms = ms;
	crm_time_format(crm_now(), s->now);
	rc = s->be->open(s, mode, e);
	if (rc == 0)
		rc = migrate(s, e);
	if (rc != 0) {
		crm_store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void crm_store_close(struct crm_store *s)
{
	if (s == NULL)
		return;
	s->closing = 1;
	for (size_t i = 0; i < s->ncache; i++)
		crm_stmt_free(s->cache[i].stmt);
	free(s->cache);
	free(s->slots);
	for (size_t i = 0; i < s->nmemo; i++) {
		s->memo[i].release(s->memo[i].value);
		free(s->memo[i].key);
	}
	free(s->memo);
	s->be->close(s);
	free(s->path);
	free(s->who);
	free(s);
}

void *crm_store_memo(struct crm_store *s, const char *key)
{
	for (size_t i = 0; i < s->nmemo; i++)
		if (strcmp(s->memo[i].key, key) == 0)
			return s->memo[i].value;
	return NULL;
}

void crm_store_memo_keep(struct crm_store *s, const char *key, void *value,
			 void (*release)(void *))
{
	s->memo = xreallocarray(s->memo, s->nmemo + 1, sizeof(*s->memo));
	s->memo[s->nmemo].key = xstrdup(key);
	s->memo[s->nmemo].value = value;
	s->memo[s->nmemo++].release = release;
}

void *crm_store_native(struct crm_store *s)
{
	return s->conn;
}

const char *crm_store_who(const struct crm_store *s)
{
	return s->who;
}

const char *crm_store_now(const struct crm_store *s)
{
	return s->now;
}

void crm_store_random(struct crm_store *s, void *buf, size_t n)
{
	unsigned char *out = buf;

	while (n > 0) {
		size_t take;

		if (s->random_pos == s->random_len) {
			ssize_t got = getrandom(s->random, sizeof(s->random), 0);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				fprintf(stderr, "crm: cannot read random bytes: %s\n",
					got < 0 ? strerror(errno) : "none returned");
				exit(CRM_EX_SOFTWARE);
			}
			s->random_pos = 0;
			s->random_len = (size_t)got;
		}
		take = s->random_len - s->random_pos;
		if (take > n)
			take = n;
		memcpy(out, s->random + s->random_pos, take);
		/* Each byte is handed out once, and not kept. */
		memset(s->random + s->random_pos, 0, take);
		s->random_pos += take;
		out += take;
		n -= take;
	}
}

int crm_store_keys_in_directory(const struct crm_store *s)
{
	return s->be->key_directory;
}

int crm_store_schema_version(struct crm_store *s)
{
	int v = -1;

	if (s->be->version(s, &v, NULL) != 0)
		return -1;
	return v;
}

int64_t crm_store_changes(struct crm_store *s)
{
	return s->be->changes(s);
}

int crm_store_limit(struct crm_store *s, enum crm_limit what)
{
	return s->be->limit(s, what);
}

int crm_store_function(struct crm_store *s, const char *name, int nargs, crm_sql_fn *fn,
		       void *ctx, struct crm_err *e)
{
	return s->be->function(s, name, nargs, fn, ctx, e);
}

static int names_of(struct crm_store *s, const char *sql, const char *arg, char ***names,
		    size_t *n, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, sql);
	int rc;

	*names = NULL;
	*n = 0;
	if (arg != NULL)
		crm_bind_text_ref(st, 1, arg);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		*names = xreallocarray(*names, *n + 1, sizeof(**names));
		(*names)[(*n)++] = xstrdup(crm_column_text(st, 0));
	}
	crm_stmt_reset(st);
	if (rc == CRM_DONE)
		return 0;
	crm_store_names_free(*names, *n);
	*names = NULL;
	*n = 0;
	return e != NULL && e->code != 0 ? e->code : CRM_EX_SOFTWARE;
}

int crm_store_tables(struct crm_store *s, char ***names, size_t *n, struct crm_err *e)
{
	return names_of(s, s->be->tables_sql, NULL, names, n, e);
}

int crm_store_columns(struct crm_store *s, const char *table, char ***names, size_t *n,
		      struct crm_err *e)
{
	return names_of(s, s->be->columns_sql, table, names, n, e);
}

void crm_stmt_stream(struct crm_stmt *st)
{
	if (st != NULL && st->be->stream != NULL)
		st->be->stream(st);
}

void crm_store_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int crm_store_plain_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

int crm_store_move_rows(struct crm_store *s, const char *table, const char *column, int64_t to,
			int64_t from, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st;
	int rc;

	if (!crm_store_plain_name(table) || !crm_store_plain_name(column))
		return crm_err_set(e, CRM_EX_SOFTWARE, "unexpected table or column \"%.64s\".\"%.64s\"",
				   table, column);
	crm_buf_addf(&sql, s->be->move_rows_sql, table, column);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	crm_buf_free(&sql);
	if (rc != 0)
		return rc;
	crm_bind_int64(st, 1, to);
	crm_bind_int64(st, 2, from);
	rc = crm_store_run(s, st, e);
	crm_stmt_free(st);
	return rc;
}

void crm_store_bulk(struct crm_store *s)
{
	s->be->bulk(s);
}

int crm_store_purge(struct crm_store *s, struct crm_err *e)
{
	return s->be->purge(s, e);
}

static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

/* Rebuilds the hash index over the entries (after a growth or eviction). */
static void cache_reindex(struct crm_store *s)
{
	size_t want = 16;

	while (want < s->ncache * 2 + 2)
		want *= 2;
	if (want != s->nslots) {
		free(s->slots);
		s->slots = xcalloc(want, sizeof(*s->slots));
		s->nslots = want;
	} else {
		memset(s->slots, 0, want * sizeof(*s->slots));
	}
	for (size_t i = 0; i < s->ncache; i++) {
		size_t j = (size_t)s->cache[i].hash & (s->nslots - 1);

		while (s->slots[j] != 0)
			j = (j + 1) & (s->nslots - 1);
		s->slots[j] = i + 1;
	}
}

static struct cached_stmt *cache_find(struct crm_store *s, const char *sql, uint64_t h)
{
	if (s->nslots == 0)
		return NULL;
	for (size_t j = (size_t)h & (s->nslots - 1); s->slots[j] != 0;
	     j = (j + 1) & (s->nslots - 1)) {
		struct cached_stmt *c = &s->cache[s->slots[j] - 1];

		if (c->hash == h && strcmp(c->sql, sql) == 0)
			return c;
	}
	return NULL;
}

/* Drops the least recently used statement that is not being stepped; 0 if
 * every one is (the cache then grows past its limit). */
static int cache_evict(struct crm_store *s)
{
	size_t victim = s->ncache;

	for (size_t i = 0; i < s->ncache; i++) {
		if (s->be->busy(s->cache[i].stmt))
			continue;
		if (victim == s->ncache || s->cache[i].used < s->cache[victim].used)
			victim = i;
	}
	if (victim == s->ncache)
		return 0;
	crm_stmt_free(s->cache[victim].stmt);
	s->cache[victim] = s->cache[s->ncache - 1];
	s->ncache--;
	return 1;
}

void crm_store_set_cache_max(struct crm_store *s, size_t max)
{
	s->cache_max = max > 0 ? max : 1;
}

size_t crm_store_cache_size(const struct crm_store *s)
{
	return s->ncache;
}

struct crm_stmt *crm_store_prepare(struct crm_store *s, const char *sql)
{
	size_t slot = (size_t)(((uintptr_t)sql >> 3) & 63);
	size_t k = s->by_addr[slot];
	struct cached_stmt *c = NULL;
	struct crm_stmt *st;
	struct crm_err e = { 0 };
	uint64_t h = 0;

	/* A stale index (entries move on eviction) or another text at the
	 * same address fails the check and takes the hash. */
	if (k != 0 && k <= s->ncache && s->cache[k - 1].key == sql &&
	    strcmp(s->cache[k - 1].sql, sql) == 0)
		c = &s->cache[k - 1];
	if (c == NULL) {
		h = sql_hash(sql);
		c = cache_find(s, sql, h);
		if (c != NULL) {
			c->key = sql;
			s->by_addr[slot] = (size_t)(c - s->cache) + 1;
		}
	}
	if (c != NULL) {
		c->used = ++s->clock;
		s->be->reset(c->stmt);
		s->be->clear(c->stmt);
		return c->stmt;
	}
	st = xcalloc(1, sizeof(*st));
	st->be = s->be;
	st->store = s;
	if (s->be->prepare(s, sql, 1, st, &e) != 0) {
		fprintf(stderr, "crm: internal error: %s\n%s\n", e.msg, sql);
		exit(CRM_EX_SOFTWARE);
	}
	while (s->ncache >= s->cache_max && cache_evict(s))
		;
	if (s->ncache == s->cache_cap) {
		s->cache_cap = s->cache_cap == 0 ? 32 : s->cache_cap * 2;
		s->cache = xreallocarray(s->cache, s->cache_cap, sizeof(*s->cache));
	}
	c = &s->cache[s->ncache++];
	c->key = sql;
	s->by_addr[slot] = s->ncache;
	c->stmt = st;
	c->sql = s->be->sql(st);
	c->hash = h;
	c->used = ++s->clock;
	cache_reindex(s);
	return st;
}

int crm_store_prepare_built(struct crm_store *s, const char *sql, struct crm_stmt **out,
			    struct crm_err *e)
{
	struct crm_stmt *st = xcalloc(1, sizeof(*st));
	int rc;

	st->be = s->be;
	st->store = s;
	rc = s->be->prepare(s, sql, 0, st, e);
	if (rc != 0) {
		free(st);
		st = NULL;
	}
	*out = st;
	return rc;
}

void crm_stmt_free(struct crm_stmt *st)
{
	if (st == NULL)
		return;
	st->be->finalize(st);
	free(st);
}

void crm_stmt_reset(struct crm_stmt *st)
{
	st->be->reset(st);
}

int crm_store_step(struct crm_store *s, struct crm_stmt *st, struct crm_err *e)
{
	(void)s;
	return st->be->step(st, e);
}

/* Steps st once and resets it; *first, if asked for, is the first column
 * of the row it gave (0 for none). */
static int run_once(struct crm_stmt *st, int64_t *first, struct crm_err *e)
{
	int rc = st->be->step(st, e);

	if (first != NULL)
		*first = rc == CRM_ROW ? st->be->column_int64(st, 0) : 0;
	if (rc < 0)
		return e != NULL ? e->code : CRM_EX_SOFTWARE;
	st->be->reset(st);
	return 0;
}

int crm_store_run(struct crm_store *s, struct crm_stmt *st, struct crm_err *e)
{
	(void)s;
	return run_once(st, NULL, e);
}

int crm_store_run_named(struct crm_store *s, struct crm_stmt *st, struct crm_err *e,
			const char *fmt, ...)
{
	int rc = run_once(st, NULL, e);
	va_list ap;

	if (rc != 0 || crm_store_changes(s) > 0)
		return rc;
	va_start(ap, fmt);
	rc = crm_err_vset(e, CRM_EX_NOTFOUND, fmt, ap);
	va_end(ap);
	return rc;
}

int crm_store_insert_id(struct crm_store *s, struct crm_stmt *st, int64_t *id,
			struct crm_err *e)
{
	(void)s;
	return run_once(st, id, e);
}

int crm_store_begin(struct crm_store *s, struct crm_err *e)
{
	int rc;

	s->savepoints = 0;
	rc = s->be->exec_raw(s, s->be->begin_sql, e);
	/* a BEGIN whose lock timed out (PostgreSQL's is BEGIN and a lock)
	 * leaves no transaction behind */
	if (rc != 0)
		crm_store_rollback(s);
	return rc;
}

int crm_store_commit(struct crm_store *s, struct crm_err *e)
{
	return s->be->exec_raw(s, "COMMIT", e);
}

void crm_store_rollback(struct crm_store *s)
{
	if (s->be->in_tx(s))
		s->be->exec_raw(s, "ROLLBACK", NULL);
	s->savepoints = 0;
}

int crm_store_in_tx(struct crm_store *s)
{
	return s->be->in_tx(s);
}

/* Savepoints run once per batch row: prepared once, not parsed each time. */
int crm_store_savepoint(struct crm_store *s, struct crm_err *e)
{
	int rc = crm_store_run(s, crm_store_prepare(s, "SAVEPOINT crm_row"), e);

	if (rc == 0)
		s->savepoints++;
	return rc;
}

int crm_store_release(struct crm_store *s, struct crm_err *e)
{
	int rc = crm_store_run(s, crm_store_prepare(s, "RELEASE crm_row"), e);

	if (rc == 0 && s->savepoints > 0)
		s->savepoints--;
	return rc;
}

int crm_store_savepoint_depth(const struct crm_store *s)
{
	return s->savepoints;
}

void crm_store_rollback_to(struct crm_store *s)
{
	if (s->savepoints > 0) {
		crm_store_run(s, crm_store_prepare(s, "ROLLBACK TO crm_row"), NULL);
		crm_store_run(s, crm_store_prepare(s, "RELEASE crm_row"), NULL);
		s->savepoints--;
	}
}

void crm_bind_text(struct crm_stmt *st, int i, const char *v)
{
	if (v == NULL)
		st->be->bind_null(st, i);
	else
		st->be->bind_text(st, i, v, strlen(v), 1);
}

void crm_bind_text_or_null(struct crm_stmt *st, int i, const char *v)
{
	crm_bind_text(st, i, v != NULL && v[0] != '\0' ? v : NULL);
}

void crm_bind_text_ref(struct crm_stmt *st, int i, const char *v)
{
	if (v == NULL)
		st->be->bind_null(st, i);
	else
		st->be->bind_text(st, i, v, strlen(v), 0);
}

void crm_bind_text_n(struct crm_stmt *st, int i, const char *v, size_t n)
{
	st->be->bind_text(st, i, v, n, 1);
}

void crm_bind_int64(struct crm_stmt *st, int i, int64_t v)
{
	st->be->bind_int64(st, i, v);
}

void crm_bind_int(struct crm_stmt *st, int i, int v)
{
	st->be->bind_int64(st, i, v);
}

void crm_bind_double(struct crm_stmt *st, int i, double v)
{
	st->be->bind_double(st, i, v);
}

void crm_bind_null(struct crm_stmt *st, int i)
{
	st->be->bind_null(st, i);
}

int crm_bind_count(struct crm_stmt *st)
{
	return st->be->bind_count(st);
}

const char *crm_column_text(struct crm_stmt *st, int i)
{
	return st->be->column_text(st, i);
}

size_t crm_column_bytes(struct crm_stmt *st, int i)
{
	return st->be->column_bytes(st, i);
}

int64_t crm_column_int64(struct crm_stmt *st, int i)
{
	return st->be->column_int64(st, i);
}

int crm_column_int(struct crm_stmt *st, int i)
{
	return (int)st->be->column_int64(st, i);
}

double crm_column_double(struct crm_stmt *st, int i)
{
	return st->be->column_double(st, i);
}

enum crm_type crm_column_type(struct crm_stmt *st, int i)
{
	return st->be->column_type(st, i);
}

int crm_column_count(struct crm_stmt *st)
{
	return st->be->column_count(st);
}

const char *crm_column_name(struct crm_stmt *st, int i)
{
	return st->be->column_name(st, i);
}

int crm_history_add(struct crm_store *s, const char *entity, int64_t id,
		    const char *action, const char *field, const char *old_value,
		    const char *new_value, struct crm_err *e)
{
	return crm_history_note(s, entity, id, action, field, old_value, new_value, NULL, e);
}

int crm_history_note(struct crm_store *s, const char *entity, int64_t id,
		     const char *action, const char *field, const char *old_value,
		     const char *new_value, const char *note, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT INTO history (at, who, entity, entity_id, action, field, old_value, new_value, note)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	crm_bind_text_ref(st, 1, s->now);
	crm_bind_text_ref(st, 2, s->who);
	crm_bind_text_ref(st, 3, entity);
	crm_bind_int64(st, 4, id);
	crm_bind_text_ref(st, 5, action);
	crm_bind_text(st, 6, field);
	crm_bind_text(st, 7, old_value);
	crm_bind_text(st, 8, new_value);
	crm_bind_text(st, 9, note);
	return crm_store_run(s, st, e);
}
