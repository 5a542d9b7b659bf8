/* store.c - the SQLite store every program shares. */
#include "store/store.h"

#include <errno.h>
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

/* Generated from the files in lib/sql/ by scripts/sql2c. */
extern const char *const crm_migrations[];
extern const size_t crm_migration_count;

/* The statement cache: prepared statements by SQL text, found through an
 * open-addressing hash of the text (one hash and one compare per hit),
 * least recently used evicted past the limit, but never a statement that
 * is being stepped (sqlite3_stmt_busy): a caller may prepare others while
 * it walks the rows of one. */
#define STMT_CACHE_MAX_DEFAULT 256

struct cached_stmt {
	const char *key;    /* the caller's pointer when last found (by_addr) */
	const char *sql;    /* sqlite3_sql(stmt): SQLite's copy of the text */
	uint64_t hash;
	unsigned long long used; /* when it was last handed out */
	sqlite3_stmt *stmt;
};

struct crm_store {
	sqlite3 *db;
	char *path;
	char *who;
	char now[32];       /* the command's time, for every row it writes */
	int busy_ms;        /* how long to wait for a lock */
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

/* A URL such as postgresql://host/db names a server store, which this
 * build cannot open yet (DESIGN.md: "Beyond one machine"). */
static int is_url(const char *path)
{
	const char *colon = strstr(path, "://");

	return colon != NULL && strchr(path, '/') > colon;
}

int crm_store_path(const char *opt_db, char **out, struct crm_err *e)
{
	const char *env = getenv("CRM_DB");
	const char *path = opt_db != NULL && opt_db[0] != '\0' ? opt_db
			 : env != NULL && env[0] != '\0' ? env : NULL;

	if (path == NULL)
		return default_path(out, e);
	if (is_url(path))
		return crm_err_set(e, CRM_EX_CONFIG,
				   "%.64s: server stores are not supported yet; give a file path",
				   path);
	*out = xstrdup(path);
	return 0;
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

int crm_store_error(struct crm_store *s, int rc, struct crm_err *e)
{
	const char *msg = s != NULL && s->db != NULL ? sqlite3_errmsg(s->db)
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

int crm_store_exec(struct crm_store *s, const char *sql, struct crm_err *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : crm_store_error(s, rc, e);
}

static int query_int(struct crm_store *s, const char *sql, int *out,
		     struct crm_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : crm_store_error(s, rc, e);
}

/* A file that SQLite opens but that crm did not make: a negative or unknown
 * version, or version 0 with tables in it (a version-0 store is empty). */
static int check_is_crm_store(struct crm_store *s, int version, struct crm_err *e)
{
	int tables = 0, rc;

	if (version < 0)
		return crm_err_set(e, CRM_EX_IOERR,
				   "store %s is damaged or not a crm store: schema version %d",
				   s->path, version);
	if (version > 0)
		return 0;
	rc = query_int(s, "SELECT count(*) FROM sqlite_master", &tables, e);
	if (rc != 0)
		return rc;
	if (tables > 0)
		return crm_err_set(e, CRM_EX_IOERR,
				   "store %s is damaged or not a crm store: it has tables but no schema version",
				   s->path);
	return 0;
}

static int check_not_newer(struct crm_store *s, int version, struct crm_err *e)
{
	if (version > (int)crm_migration_count)
		return crm_err_set(e, CRM_EX_CONFIG,
				   "store %s has schema version %d; this program knows only %zu: upgrade crm",
				   s->path, version, crm_migration_count);
	return 0;
}

/* Brings the store to this program's version. The version is read again
 * once the write lock is held, since another process (perhaps a newer
 * program) may have migrated meanwhile; it is only ever raised. */
static int migrate(struct crm_store *s, struct crm_err *e)
{
	int version, rc;
	char pragma[64];

	rc = query_int(s, "PRAGMA user_version", &version, e);
	if (rc == 0)
		rc = check_is_crm_store(s, version, e);
	if (rc == 0)
		rc = check_not_newer(s, version, e);
	if (rc != 0 || version == (int)crm_migration_count)
		return rc;
	rc = crm_store_begin(s, e);
	if (rc != 0)
		return rc;
	rc = query_int(s, "PRAGMA user_version", &version, e);
	if (rc == 0)
		rc = check_is_crm_store(s, version, e);
	if (rc == 0)
		rc = check_not_newer(s, version, e);
	if (rc == 0 && version == (int)crm_migration_count) {
		crm_store_rollback(s);
		return 0;
	}
	for (size_t i = (size_t)version; rc == 0 && i < crm_migration_count; i++) {
		rc = crm_store_exec(s, crm_migrations[i], e);
		if (rc != 0)
			crm_err_prefix(e, "migration %zu", i + 1);
	}
	if (rc == 0) {
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu",
			 crm_migration_count);
		rc = crm_store_exec(s, pragma, e);
	}
	if (rc == 0)
		return crm_store_commit(s, e);
	crm_store_rollback(s);
	return rc;
}

static long long monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite's own busy handler backs off to 100 ms sleeps, long enough to
 * miss the short gaps a batch leaves between its commits again and again.
 * This one polls every 2 ms until the busy timeout, so waiting writers get
 * their turn within a gap. */
static int busy_wait(void *ctx, int attempt)
{
	struct crm_store *s = ctx;
	long long now = monotonic_ms();

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
	long long since = monotonic_ms();

	for (;;) {
		int rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

		if ((rc & 0xff) != SQLITE_BUSY || monotonic_ms() - since >= s->busy_ms)
			return rc == SQLITE_OK ? 0 : crm_store_error(s, rc, e);
		usleep(2000);
	}
}

static void sqlite_log(void *unused, int code, const char *msg)
{
	(void)unused;
	if (getenv("CRM_DEBUG") != NULL)
		fprintf(stderr, "crm: sqlite (%d): %s\n", code, msg);
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
	struct stat sb;
	int rc, ms, version;

	*out = NULL;
	rc = busy_timeout_ms(&ms, e);
	if (rc != 0)
		return rc;
	if (mode == CRM_STORE_READ) {
		/* Nothing to read: say so, and create nothing (SQLite opens
		 * without SQLITE_OPEN_CREATE below). */
		if (stat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
			return crm_err_set(e, CRM_EX_NOINPUT, "no store at %s", path);
	} else {
		rc = make_parent_dirs(path, e);
		if (rc == 0)
			rc = create_private_file(path, e);
		if (rc != 0)
			return rc;
	}

	/* Before any other SQLite call; fails harmlessly if already set up. */
	sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL);
	/* The programs are single-threaded: no mutexes, no malloc statistics
	 * (they took a lock on every allocation, ~5% of an import). */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->who = xstrdup(who != NULL ? who : "unknown");
	s->cache_max = STMT_CACHE_MAX_DEFAULT;
	crm_time_format(crm_now(), s->now);
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		rc = crm_store_error(s, rc, e);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	s->busy_ms = ms;
	sqlite3_busy_handler(s->db, busy_wait, s);
	rc = crm_store_exec(s,
			    "PRAGMA synchronous = NORMAL;"
			    "PRAGMA foreign_keys = ON;"
			    "PRAGMA secure_delete = ON;"
			    "PRAGMA cache_size = -16384;"
			    "PRAGMA temp_store = FILE;",
			    e);
	/* A file crm did not make is refused before anything is written to
	 * it (setting WAL mode would already change its header). */
	if (rc == 0)
		rc = query_int(s, "PRAGMA user_version", &version, e);
	if (rc == 0)
		rc = check_is_crm_store(s, version, e);
	if (rc == 0)
		rc = set_wal(s, e);
	if (rc == 0)
		rc = migrate(s, e);
	if (rc != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	crm_store_close(s);
	return rc;
}

void crm_store_close(struct crm_store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].stmt);
	free(s->cache);
	free(s->slots);
	if (s->db != NULL) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(s->db);
	}
	free(s->path);
	free(s->who);
	free(s);
}

sqlite3 *crm_store_db(struct crm_store *s)
{
	return s->db;
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

int crm_store_schema_version(struct crm_store *s)
{
	int v = -1;

	query_int(s, "PRAGMA user_version", &v, NULL);
	return v;
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
		if (sqlite3_stmt_busy(s->cache[i].stmt))
			continue;
		if (victim == s->ncache || s->cache[i].used < s->cache[victim].used)
			victim = i;
	}
	if (victim == s->ncache)
		return 0;
	sqlite3_finalize(s->cache[victim].stmt);
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

sqlite3_stmt *crm_store_prepare(struct crm_store *s, const char *sql)
{
	size_t slot = (size_t)(((uintptr_t)sql >> 3) & 63);
	size_t k = s->by_addr[slot];
	struct cached_stmt *c = NULL;
	sqlite3_stmt *st = NULL;
	uint64_t h = 0;
	int rc;

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
		sqlite3_reset(c->stmt);
		sqlite3_clear_bindings(c->stmt);
		return c->stmt;
	}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "crm: internal error: cannot prepare SQL: %s\n%s\n",
			sqlite3_errmsg(s->db), sql);
		exit(CRM_EX_SOFTWARE);
	}
	while (s->ncache >= s->cache_max && cache_evict(s))
		;
	if (s->ncache == s->cache_cap) {
		s->cache_cap = s->cache_cap == 0 ? 32 : s->cache_cap * 2;
		s->cache = xreallocarray(s->cache, s->cache_cap, sizeof(*s->cache));
	}
	s->cache[s->ncache].key = sql;
	s->by_addr[slot] = s->ncache + 1;
	s->cache[s->ncache].sql = sqlite3_sql(st);
	s->cache[s->ncache].hash = h;
	s->cache[s->ncache].used = ++s->clock;
	s->cache[s->ncache].stmt = st;
	s->ncache++;
	cache_reindex(s);
	return st;
}

int crm_store_step(struct crm_store *s, sqlite3_stmt *st, struct crm_err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	crm_store_error(s, rc, e);
	sqlite3_reset(st);
	return -1;
}

int crm_store_run(struct crm_store *s, sqlite3_stmt *st, struct crm_err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;
	}
	rc = crm_store_error(s, rc, e);
	sqlite3_reset(st);
	return rc;
}

int crm_store_begin(struct crm_store *s, struct crm_err *e)
{
	s->savepoints = 0;
	return crm_store_exec(s, "BEGIN IMMEDIATE", e);
}

int crm_store_commit(struct crm_store *s, struct crm_err *e)
{
	return crm_store_exec(s, "COMMIT", e);
}

void crm_store_rollback(struct crm_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->savepoints = 0;
}

int crm_store_in_tx(struct crm_store *s)
{
	return !sqlite3_get_autocommit(s->db);
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

void crm_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
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
	sqlite3_stmt *st = crm_store_prepare(s,
		"INSERT INTO history (at, who, entity, entity_id, action, field, old_value, new_value, note)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	sqlite3_bind_text(st, 1, s->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, entity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, id);
	sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
	crm_bind_text(st, 6, field);
	crm_bind_text(st, 7, old_value);
	crm_bind_text(st, 8, new_value);
	crm_bind_text(st, 9, note);
	return crm_store_run(s, st, e);
}
