/* test_store.c - unit tests for lib/store.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "store/store.h"
#include "fixture.h"
#include "rawsql.h"

/* Generated from lib/sql/ by scripts/sql2c. */
extern const size_t crm_migration_count;

#define NOW_TEXT "2024-06-15T12:00:00Z"

struct fixture {
	char dir[64];       /* the temporary directory */
	char path[128];     /* dir/crm.db */
	char *saved[6];     /* environment to restore */
};

static const char *const env_names[6] = {
	"CRM_DB", "XDG_DATA_HOME", "HOME", "CRM_BUSY_TIMEOUT", "CRM_NOW", "CRM_DEBUG",
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	if (fixture_tmpdir(f->dir, sizeof(f->dir), "store") != 0) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/crm.db", f->dir);
	for (size_t i = 0; i < 6; i++)
		f->saved[i] = fixture_env_save(env_names[i]);
	unsetenv("CRM_BUSY_TIMEOUT");
	unsetenv("CRM_DEBUG");
	setenv("CRM_NOW", NOW_TEXT, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	for (size_t i = 0; i < 6; i++)
		fixture_env_restore(env_names[i], f->saved[i]);
	/* The directory holds only files the tests made (and subdirectories). */
	rc = fixture_rmtree(f->dir);
	free(f);
	return rc;
}

static struct crm_store *open_ok(const char *path)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	int rc = crm_store_open(path, "tester", &s, &e);

	if (rc != 0)
		fail_msg("crm_store_open(%s): %d %s", path, rc, e.msg);
	assert_non_null(s);
	return s;
}

/* The first column of the first row of sql as text (copied), NULL for NULL. */
static char *db_text(struct crm_store *s, const char *sql)
{
	struct crm_stmt *st = q_prepare(s, sql);
	const char *t;
	char *v;

	assert_int_equal(crm_store_step(s, st, NULL), CRM_ROW);
	t = crm_column_text(st, 0);
	v = t != NULL ? strdup(t) : NULL;
	crm_stmt_free(st);
	return v;
}

static void insert_contact(struct crm_store *s, const char *uid)
{
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT INTO contacts (uid, created_at, updated_at) VALUES (?1, 'x', 'x')");

	crm_bind_text(st, 1, uid);
	assert_int_equal(crm_store_run(s, st, &e), 0);
}

static int count_contacts(struct crm_store *s)
{
	return q_int(s, "SELECT count(*) FROM contacts");
}

/* ---- crm_store_path ---- */

static void path_is(const char *opt, const char *want)
{
	struct crm_err e = { 0, "" };
	char *got = NULL;

	assert_int_equal(crm_store_path(opt, &got, &e), 0);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void store__path_option__wins_over_env(void **state)
{
	(void)state;
	setenv("CRM_DB", "/env/crm.db", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	path_is("/opt/x.db", "/opt/x.db");
	path_is("relative.db", "relative.db");
}

static void store__path_crm_db__wins_over_xdg(void **state)
{
	(void)state;
	setenv("CRM_DB", "/env/crm.db", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	path_is(NULL, "/env/crm.db");
	/* An empty --db is as good as none. */
	path_is("", "/env/crm.db");
}

static void store__path_xdg__wins_over_home(void **state)
{
	(void)state;
	unsetenv("CRM_DB");
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	path_is(NULL, "/xdg/crm/crm.db");
	/* An empty $CRM_DB is as good as none. */
	setenv("CRM_DB", "", 1);
	path_is(NULL, "/xdg/crm/crm.db");
}

static void store__path_home__local_share(void **state)
{
	(void)state;
	unsetenv("CRM_DB");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	path_is(NULL, "/home/u/.local/share/crm/crm.db");
	/* XDG base directories must be absolute; a relative one is ignored. */
	setenv("XDG_DATA_HOME", "rel/data", 1);
	path_is(NULL, "/home/u/.local/share/crm/crm.db");
	setenv("XDG_DATA_HOME", "", 1);
	path_is(NULL, "/home/u/.local/share/crm/crm.db");
}

static void store__path_no_home__password_entry(void **state)
{
	struct crm_err e = { 0, "" };
	char *got = NULL;

	(void)state;
	unsetenv("CRM_DB");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	/* Falls back to the password database: some directory, never empty. */
	int rc = crm_store_path(NULL, &got, &e);

	if (rc == 0) {
		assert_non_null(got);
		assert_non_null(strstr(got, "/.local/share/crm/crm.db"));
		assert_true(strlen(got) > strlen("/.local/share/crm/crm.db"));
		free(got);
	} else {
		assert_int_equal(rc, CRM_EX_CONFIG);
		assert_string_equal(e.msg, "cannot find the store: set CRM_DB or HOME, or use --db");
	}
}

/* ---- creating and opening ---- */

static void store__new_file__mode_0600(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s;
	struct stat st;
	char wal[160];
	mode_t old = umask(022);

	s = open_ok(f->path);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	/* The WAL file inherits the mode of the database. */
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	crm_store_close(s);
	umask(old);
}

static void store__new_directories__mode_0700(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s;
	struct stat st;
	char path[200], dir[200];
	mode_t old = umask(022);

	snprintf(path, sizeof(path), "%s/a/b/crm.db", f->dir);
	s = open_ok(path);
	crm_store_close(s);
	snprintf(dir, sizeof(dir), "%s/a", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(dir, sizeof(dir), "%s/a/b", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
}

static void store__read_missing__noinput_nothing_created(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = NULL;
	struct crm_err e = { 0, "" };
	char path[200], dir[200], want[260];

	/* neither the file nor its directories exist */
	snprintf(path, sizeof(path), "%s/a/b/crm.db", f->dir);
	assert_int_equal(crm_store_open_mode(path, "tester", CRM_STORE_READ, &s, &e),
			 CRM_EX_NOINPUT);
	assert_null(s);
	snprintf(want, sizeof(want), "no store at %s", path);
	assert_string_equal(e.msg, want);
	snprintf(dir, sizeof(dir), "%s/a", f->dir);
	assert_int_equal(access(dir, F_OK), -1);
	/* the directory exists, the file does not */
	assert_int_equal(crm_store_open_mode(f->path, "tester", CRM_STORE_READ, &s, &e),
			 CRM_EX_NOINPUT);
	assert_int_equal(access(f->path, F_OK), -1);
	/* a path through a file: no store either */
	snprintf(path, sizeof(path), "%s/x.db", f->path);
	s = open_ok(f->path);
	crm_store_close(s);
	s = NULL;
	assert_int_equal(crm_store_open_mode(path, "tester", CRM_STORE_READ, &s, &e),
			 CRM_EX_NOINPUT);
}

static void store__read_existing__opened(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = open_ok(f->path);
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_store_exec(s, "INSERT INTO contacts (uid, created_at, updated_at)"
					" VALUES ('u1', 'x', 'x')", &e), 0);
	crm_store_close(s);
	s = NULL;
	assert_int_equal(crm_store_open_mode(f->path, "tester", CRM_STORE_READ, &s, &e), 0);
	assert_rows(s, "SELECT uid FROM contacts", "u1\n");
	crm_store_close(s);
}

static void store__write_missing__created(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = NULL;
	struct crm_err e = { 0, "" };
	char path[200];

	snprintf(path, sizeof(path), "%s/a/crm.db", f->dir);
	assert_int_equal(crm_store_open_mode(path, "tester", CRM_STORE_WRITE, &s, &e), 0);
	assert_int_equal(crm_store_schema_version(s), (int)crm_migration_count);
	crm_store_close(s);
	assert_int_equal(access(path, F_OK), 0);
}

static void store__existing_file__mode_kept(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s;
	struct stat st;
	FILE *fp = fopen(f->path, "w");

	/* An empty existing file is a new store; its mode is the user's. */
	assert_non_null(fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(f->path, 0640), 0);
	s = open_ok(f->path);
	crm_store_close(s);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

static void store__open__pragmas_set(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = open_ok(f->path);
	char *mode = db_text(s, "PRAGMA journal_mode");

	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(q_int(s, "PRAGMA foreign_keys"), 1);
	/* synchronous NORMAL is 1 */
	assert_int_equal(q_int(s, "PRAGMA synchronous"), 1);
	assert_int_equal(q_int(s, "PRAGMA user_version"), (int)crm_migration_count);
	assert_int_equal(crm_store_schema_version(s), (int)crm_migration_count);
	assert_true(crm_migration_count >= 1);
	assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				" AND name IN ('contacts', 'contact_fields', 'contact_tags', 'history')"), 4);
	assert_string_equal(crm_store_who(s), "tester");
	assert_string_equal(crm_store_now(s), NOW_TEXT);
	assert_false(crm_store_in_tx(s));
	crm_store_close(s);
}

static void store__null_who__unknown(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;

	assert_int_equal(crm_store_open(f->path, NULL, &s, &e), 0);
	assert_string_equal(crm_store_who(s), "unknown");
	crm_store_close(s);
}

static void store__open_twice__idempotent(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = open_ok(f->path);
	struct crm_store *t;

	insert_contact(s, "u1");
	crm_store_close(s);
	s = open_ok(f->path);
	assert_int_equal(crm_store_schema_version(s), (int)crm_migration_count);
	assert_int_equal(count_contacts(s), 1);
	/* Two connections at once, both up to date. */
	t = open_ok(f->path);
	assert_int_equal(count_contacts(t), 1);
	crm_store_close(t);
	crm_store_close(s);
}

static void store__migration_fails__rolled_back(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	sqlite3 *db;

	char sql[64], want[64];
	int tables;

	/* A store that says it is at version 8 though it has every table:
	 * migration 9 (0009-import-resume.sql) cannot apply, its tables are
	 * there already. It fails part way, and nothing of it or of the
	 * migrations after it may stay behind. (Not the last migration: 0010
	 * makes two tables anew and would apply again.) */
	s = open_ok(f->path);
	crm_store_close(s);
	s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", 8);
	raw_exec_ok(db, sql);
	tables = raw_int(db, "SELECT count(*) FROM sqlite_master");
	sqlite3_close(db);
	assert_int_not_equal(crm_store_open(f->path, "tester", &s, &e), 0);
	assert_null(s);
	snprintf(want, sizeof(want), "migration %d: ", 9);
	assert_true(strncmp(e.msg, want, strlen(want)) == 0);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 8);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master"), tables);
	sqlite3_close(db);
}

static void store__newer_schema__config_error(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	char want[512];

	assert_int_equal(crm_store_exec(s, "PRAGMA user_version = 99", &e), 0);
	crm_store_close(s);
	s = NULL;
	assert_int_equal(crm_store_open(f->path, "tester", &s, &e), CRM_EX_CONFIG);
	assert_int_equal(e.code, CRM_EX_CONFIG);
	assert_null(s);
	snprintf(want, sizeof(want),
		 "store %s has schema version 99; this program knows only %zu: upgrade crm",
		 f->path, crm_migration_count);
	assert_string_equal(e.msg, want);
}

static void store__not_a_database__ioerr(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	FILE *fp = fopen(f->path, "w");
	char want[256];

	assert_non_null(fp);
	for (int i = 0; i < 200; i++)
		fputs("this is a plain text file, not an SQLite database\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(crm_store_open(f->path, "tester", &s, &e), CRM_EX_IOERR);
	assert_int_equal(e.code, CRM_EX_IOERR);
	assert_null(s);
	snprintf(want, sizeof(want), "store %s is damaged or not a crm store: ", f->path);
	assert_true(strncmp(e.msg, want, strlen(want)) == 0);
}

static void store__directory_not_creatable__ioerr(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	char path[200], want[256];
	FILE *fp;

	/* A file where a directory should be. */
	snprintf(path, sizeof(path), "%s/file", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(path, sizeof(path), "%s/file/sub/crm.db", f->dir);
	assert_int_equal(crm_store_open(path, "tester", &s, &e), CRM_EX_IOERR);
	assert_null(s);
	snprintf(want, sizeof(want), "cannot create directory %s/file/sub: ", f->dir);
	assert_true(strncmp(e.msg, want, strlen(want)) == 0);
}

static void store__bad_busy_timeout__config_error(void **state)
{
	static const char *const bad[] = {
		"abc", "-1", "5s", "1e9", "86401", "nan", "inf", "0x", "1,5", NULL,
	};
	struct fixture *f = *state;

	for (size_t i = 0; bad[i] != NULL; i++) {
		struct crm_err e = { 0, "" };
		struct crm_store *s = NULL;
		char want[128];

		setenv("CRM_BUSY_TIMEOUT", bad[i], 1);
		assert_int_equal(crm_store_open(f->path, "tester", &s, &e), CRM_EX_CONFIG);
		assert_null(s);
		snprintf(want, sizeof(want),
			 "invalid CRM_BUSY_TIMEOUT \"%s\" (seconds, 0 to 86400)", bad[i]);
		assert_string_equal(e.msg, want);
	}
	/* Nothing was created for a bad configuration. */
	assert_int_equal(access(f->path, F_OK), -1);
	setenv("CRM_BUSY_TIMEOUT", "0.25", 1);
	crm_store_close(open_ok(f->path));
	setenv("CRM_BUSY_TIMEOUT", "", 1);
	crm_store_close(open_ok(f->path));
}

static void store__busy__tempfail(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	sqlite3 *other;
	char want[256];

	crm_store_close(s);
	setenv("CRM_BUSY_TIMEOUT", "0.1", 1);
	s = open_ok(f->path);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	raw_exec_ok(other, "BEGIN IMMEDIATE");
	assert_int_equal(crm_store_begin(s, &e), CRM_EX_TEMPFAIL);
	assert_int_equal(e.code, CRM_EX_TEMPFAIL);
	snprintf(want, sizeof(want),
		 "store %s is busy (another program is writing): try again later", f->path);
	assert_string_equal(e.msg, want);
	assert_false(crm_store_in_tx(s));
	/* Reading still works while the other writer holds its lock (WAL). */
	assert_int_equal(count_contacts(s), 0);
	raw_exec_ok(other, "COMMIT");
	crm_err_clear(&e);
	assert_int_equal(crm_store_begin(s, &e), 0);
	assert_true(crm_store_in_tx(s));
	crm_store_rollback(s);
	assert_false(crm_store_in_tx(s));
	sqlite3_close(other);
	crm_store_close(s);
}

static void store__busy_on_open__tempfail(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	sqlite3 *other;

	/* A new, empty store whose write lock someone else holds: the
	 * migration cannot take it. */
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	raw_exec_ok(other, "PRAGMA journal_mode = WAL");
	raw_exec_ok(other, "BEGIN IMMEDIATE");
	setenv("CRM_BUSY_TIMEOUT", "0", 1);
	assert_int_equal(crm_store_open(f->path, "tester", &s, &e), CRM_EX_TEMPFAIL);
	assert_null(s);
	raw_exec_ok(other, "COMMIT");
	sqlite3_close(other);
	s = open_ok(f->path);
	assert_int_equal(crm_store_schema_version(s), (int)crm_migration_count);
	crm_store_close(s);
}

/* A new store another program holds the write lock of for a moment, in
 * rollback mode, before anything made it WAL (as a second program opening
 * the same new store does while it switches it): switching it to WAL
 * reads, then upgrades to the write lock, for which SQLite does not call
 * the busy handler; it must wait, as every other write does, not fail. */
static void store__new_store_being_written__wal_waits(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	int ready[2];
	char c;
	pid_t pid;
	int status;

	close(open(f->path, O_RDWR | O_CREAT, 0600));
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The writer: its own connection, opened after the fork. */
		sqlite3 *r = NULL;

		if (sqlite3_open(f->path, &r) != SQLITE_OK ||
		    sqlite3_exec(r, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		usleep(300 * 1000);
		sqlite3_exec(r, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(r);
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	setenv("CRM_BUSY_TIMEOUT", "10", 1);
	if (crm_store_open(f->path, "tester", &s, &e) != 0)
		fail_msg("open while a writer held the new store: %d %s", e.code, e.msg);
	assert_int_equal(crm_store_schema_version(s), (int)crm_migration_count);
	crm_store_close(s);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- statements and transactions ---- */

static void store__prepare__cached(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = open_ok(f->path);
	char copy[] = "SELECT count(*) FROM contacts";
	const char *sql = "SELECT count(*) FROM contacts";
	struct crm_stmt *a = crm_store_prepare(s, sql);
	struct crm_stmt *b = crm_store_prepare(s, sql);
	struct crm_stmt *c = crm_store_prepare(s, copy);
	struct crm_stmt *d = crm_store_prepare(s, "SELECT count(*) FROM history");

	assert_ptr_equal(a, b);
	/* Same text at another address: the same statement. */
	assert_ptr_equal(a, c);
	assert_ptr_not_equal(a, d);
	crm_store_close(s);
}

static void store__prepare__reset_and_unbound(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	const char *sql = "SELECT ?1 IS NULL FROM contacts";
	struct crm_stmt *st;

	insert_contact(s, "u1");
	insert_contact(s, "u2");
	st = crm_store_prepare(s, sql);
	crm_bind_text_ref(st, 1, "x");
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_column_int(st, 0), 0);
	/* Left mid-way with a binding: prepared again, it starts afresh with
	 * its bindings cleared. */
	st = crm_store_prepare(s, sql);
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_column_int(st, 0), 1);
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_store_step(s, st, &e), CRM_DONE);
	crm_store_close(s);
}

static void store__prepare_many__evicts_and_still_works(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	char sql[100][64];
	struct crm_stmt *st;

	for (int i = 0; i < 100; i++) {
		snprintf(sql[i], sizeof(sql[i]), "SELECT %d", i);
		st = crm_store_prepare(s, sql[i]);
		assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
		assert_int_equal(crm_column_int(st, 0), i);
	}
	for (int i = 0; i < 100; i++) {
		st = crm_store_prepare(s, sql[i]);
		assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
		assert_int_equal(crm_column_int(st, 0), i);
	}
	crm_store_close(s);
}

static void store__prepare_buffer_reused__statement_of_new_text(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	char sql[32];
	struct crm_stmt *st;

	/* The cache compares addresses first: a caller's buffer that holds
	 * other SQL at the same address must still get its own statement. */
	snprintf(sql, sizeof(sql), "SELECT 1");
	st = crm_store_prepare(s, sql);
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_column_int(st, 0), 1);
	snprintf(sql, sizeof(sql), "SELECT 2");
	st = crm_store_prepare(s, sql);
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_column_int(st, 0), 2);
	crm_store_close(s);
}

static void store__random__fresh_bytes_across_refills(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = open_ok(f->path);
	static unsigned char a[3000], b[3000];
	size_t zeros = 0;

	/* b spans the end of the first 4096-byte pool and the next one. */
	crm_store_random(s, a, sizeof(a));
	crm_store_random(s, b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	for (size_t i = 0; i < sizeof(b); i++)
		zeros += b[i] == 0;
	/* about 12 expected; a byte handed out twice (zeroed) would show */
	assert_true(zeros < 60);
	assert_memory_not_equal(b, b + 1500, 1500);
	crm_store_close(s);
}

static void store__constraint__dataerr(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	struct crm_stmt *st;

	insert_contact(s, "same");
	st = crm_store_prepare(s,
		"INSERT INTO contacts (uid, created_at, updated_at) VALUES (?1, 'x', 'x')");
	crm_bind_text(st, 1, "same");
	assert_int_equal(crm_store_run(s, st, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "UNIQUE constraint failed: contacts.uid");
	crm_err_clear(&e);
	/* crm_store_step reports -1 and sets e. */
	crm_bind_text(st, 1, "same");
	assert_int_equal(crm_store_step(s, st, &e), -1);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	/* The statement was reset: it can run again. */
	crm_bind_text(st, 1, "other");
	assert_int_equal(crm_store_run(s, st, &e), 0);
	assert_int_equal(count_contacts(s), 2);
	crm_store_close(s);
}

static void store__foreign_keys__enforced(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);

	assert_int_equal(crm_store_exec(s,
		"INSERT INTO contact_tags (contact_id, tag) VALUES (42, 'x')", &e),
		CRM_EX_DATAERR);
	assert_string_equal(e.msg, "FOREIGN KEY constraint failed");
	crm_store_close(s);
}

static void store__exec_bad_sql__software_error(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);

	assert_int_equal(crm_store_exec(s, "SELEKT 1", &e), CRM_EX_SOFTWARE);
	assert_int_equal(e.code, CRM_EX_SOFTWARE);
	assert_non_null(strstr(e.msg, "syntax error"));
	crm_store_close(s);
}

static void store__commit__kept_rollback__undone(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);

	assert_int_equal(crm_store_begin(s, &e), 0);
	insert_contact(s, "kept");
	assert_int_equal(crm_store_commit(s, &e), 0);
	assert_false(crm_store_in_tx(s));
	assert_int_equal(crm_store_begin(s, &e), 0);
	insert_contact(s, "undone");
	crm_store_rollback(s);
	assert_false(crm_store_in_tx(s));
	/* Outside a transaction, rollback does nothing. */
	crm_store_rollback(s);
	assert_int_equal(count_contacts(s), 1);
	assert_int_equal(q_int(s,
				"SELECT count(*) FROM contacts WHERE uid = 'kept'"), 1);
	crm_store_close(s);
}

static void store__close_in_tx__rolled_back(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);

	assert_int_equal(crm_store_begin(s, &e), 0);
	insert_contact(s, "lost");
	crm_store_close(s);
	s = open_ok(f->path);
	assert_int_equal(count_contacts(s), 0);
	crm_store_close(s);
	crm_store_close(NULL);
}

static void store__rollback_to__undoes_only_the_row(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);

	assert_int_equal(crm_store_begin(s, &e), 0);
	insert_contact(s, "before");
	assert_int_equal(crm_store_savepoint(s, &e), 0);
	insert_contact(s, "good");
	assert_int_equal(crm_store_release(s, &e), 0);
	assert_int_equal(crm_store_savepoint(s, &e), 0);
	insert_contact(s, "bad");
	crm_store_rollback_to(s);
	/* Rolled back and released: a second call does nothing. */
	crm_store_rollback_to(s);
	assert_true(crm_store_in_tx(s));
	assert_int_equal(crm_store_savepoint(s, &e), 0);
	insert_contact(s, "after");
	assert_int_equal(crm_store_release(s, &e), 0);
	assert_int_equal(crm_store_commit(s, &e), 0);
	assert_int_equal(count_contacts(s), 3);
	assert_int_equal(q_int(s, "SELECT count(*) FROM contacts WHERE uid = 'bad'"), 0);
	assert_int_equal(q_int(s, "SELECT count(*) FROM contacts"
				" WHERE uid IN ('before', 'good', 'after')"), 3);
	crm_store_close(s);
}

static void store__history_add__writes_every_column(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	struct crm_stmt *st;

	assert_int_equal(crm_history_add(s, "contact", 7, "update", "email",
					 "old@x.org", "new@x.org", &e), 0);
	assert_int_equal(crm_history_add(s, "contact", 8, "create", NULL, NULL, NULL, &e), 0);
	st = q_prepare(s, "SELECT who, at, entity, entity_id, action, field, old_value, new_value"
		       " FROM history ORDER BY id");
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_string_equal(crm_column_text(st, 0), "tester");
	assert_string_equal(crm_column_text(st, 1), NOW_TEXT);
	assert_string_equal(crm_column_text(st, 2), "contact");
	assert_int_equal(crm_column_int64(st, 3), 7);
	assert_string_equal(crm_column_text(st, 4), "update");
	assert_string_equal(crm_column_text(st, 5), "email");
	assert_string_equal(crm_column_text(st, 6), "old@x.org");
	assert_string_equal(crm_column_text(st, 7), "new@x.org");
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_column_int64(st, 3), 8);
	assert_string_equal(crm_column_text(st, 4), "create");
	assert_int_equal(crm_column_type(st, 5), CRM_NULL);
	assert_int_equal(crm_column_type(st, 6), CRM_NULL);
	assert_int_equal(crm_column_type(st, 7), CRM_NULL);
	assert_int_equal(crm_store_step(s, st, &e), CRM_DONE);
	crm_stmt_free(st);
	crm_store_close(s);
}

static void store__bind_text__null_binds_null(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	struct crm_stmt *st = crm_store_prepare(s, "SELECT ?1 IS NULL, ?2");
	char buf[8] = "abc";

	crm_bind_text(st, 1, NULL);
	crm_bind_text(st, 2, buf);
	/* A transient copy: changing the caller's buffer changes nothing. */
	buf[0] = 'X';
	assert_int_equal(crm_store_step(s, st, &e), CRM_ROW);
	assert_int_equal(crm_column_int(st, 0), 1);
	assert_string_equal(crm_column_text(st, 1), "abc");
	crm_store_close(s);
}

static void store__now__from_crm_now(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s;

	setenv("CRM_NOW", "2030-01-02T03:04:05+01:00", 1);
	s = open_ok(f->path);
	assert_string_equal(crm_store_now(s), "2030-01-02T02:04:05Z");
	crm_store_close(s);
}


/* A foreign SQLite file: refused with the "not a crm store" message, and
 * left byte for byte as it was (no WAL switch, no migration). */
static void refused_unchanged(const char *path, const char *setup_sql, const char *want_tail)
{
	struct crm_err e = { 0, "" };
	struct crm_store *s = NULL;
	sqlite3 *db = NULL;
	char want[512], *before, *after;
	size_t n_before = 0, n_after = 0;
	FILE *fp;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, setup_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	before = calloc(1, 1 << 20);
	n_before = fread(before, 1, 1 << 20, fp);
	fclose(fp);

	assert_int_equal(crm_store_open(path, "tester", &s, &e), CRM_EX_IOERR);
	assert_null(s);
	snprintf(want, sizeof(want), "store %s is damaged or not a crm store: %s", path, want_tail);
	assert_string_equal(e.msg, want);

	fp = fopen(path, "rb");
	assert_non_null(fp);
	after = calloc(1, 1 << 20);
	n_after = fread(after, 1, 1 << 20, fp);
	fclose(fp);
	assert_int_equal(n_before, n_after);
	assert_memory_equal(before, after, n_before);
	free(before);
	free(after);
}

static void store__negative_version__refused_unchanged(void **state)
{
	struct fixture *f = *state;

	refused_unchanged(f->path, "CREATE TABLE t (x); PRAGMA user_version = -3;",
			  "schema version -3");
}

static void store__foreign_tables__refused_unchanged(void **state)
{
	struct fixture *f = *state;

	refused_unchanged(f->path, "CREATE TABLE contacts (name TEXT, phone TEXT);",
			  "it has tables but no schema version");
}

/* Two programs of different versions on one store: the older one waits
 * for the lock while the newer one migrates past it; the older one must
 * then refuse (78) and leave the newer version, not write its own back. */
static void store__newer_migrated_while_waiting__version_kept(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	sqlite3 *db = NULL;
	char sql[128], go = 'g';
	int status = 0, pipefd[2];
	pid_t pid;

	crm_store_close(s);
	/* Fork before any connection is open: SQLite's locks do not survive
	 * a fork. The child opens once the lock is taken. */
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct crm_store *c = NULL;
		int rc;

		close(pipefd[1]);
		if (read(pipefd[0], &go, 1) != 1)
			_exit(99);
		rc = crm_store_open(f->path, "older", &c, &e);
		if (rc != CRM_EX_CONFIG)
			fprintf(stderr, "child: %d %s\n", rc, e.msg);
		crm_store_close(c);
		_exit(rc);
	}
	close(pipefd[0]);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	/* The store looks one version old to the child... */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", crm_migration_count - 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	/* ...which finds the write lock taken by the "newer program". */
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(write(pipefd[1], &go, 1), 1);
	close(pipefd[1]);
	usleep(300 * 1000); /* the child reads the old version, then waits */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu; COMMIT", crm_migration_count + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), CRM_EX_CONFIG);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), (int)crm_migration_count + 1);
	sqlite3_close(db);
}

/* With a cache of 4, a statement whose rows are being read survives 20
 * other prepares: it is never the one evicted. */
static void store__prepare_while_stepping__not_evicted(void **state)
{
	struct fixture *f = *state;
	struct crm_err e = { 0, "" };
	struct crm_store *s = open_ok(f->path);
	struct crm_stmt *walk;
	char sql[20][64];
	int rows = 0;

	crm_store_set_cache_max(s, 4);
	walk = crm_store_prepare(s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n");
	while (crm_store_step(s, walk, &e) == CRM_ROW) {
		rows++;
		assert_int_equal(crm_column_int(walk, 0), rows);
		for (int i = 0; i < 20; i++) {
			struct crm_stmt *other;

			snprintf(sql[i], sizeof(sql[i]), "SELECT %d + %d", i, rows);
			other = crm_store_prepare(s, sql[i]);
			assert_int_equal(crm_store_step(s, other, &e), CRM_ROW);
			assert_int_equal(crm_column_int(other, 0), i + rows);
			crm_stmt_reset(other);
		}
		assert_true(crm_store_cache_size(s) <= 5);
	}
	assert_int_equal(rows, 5);
	crm_store_close(s);
}

/* A hit hands back the same statement, whatever string holds the text. */
static void store__prepare_same_text__one_statement(void **state)
{
	struct fixture *f = *state;
	struct crm_store *s = open_ok(f->path);
	char a[] = "SELECT 42", b[] = "SELECT 42";
	size_t before = crm_store_cache_size(s);
	struct crm_stmt *sa = crm_store_prepare(s, a);

	assert_ptr_equal(crm_store_prepare(s, b), sa);
	assert_int_equal(crm_store_cache_size(s), before + 1);
	crm_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(store__path_option__wins_over_env),
		T(store__path_crm_db__wins_over_xdg),
		T(store__path_xdg__wins_over_home),
		T(store__path_home__local_share),
		T(store__path_no_home__password_entry),
		T(store__new_file__mode_0600),
		T(store__new_directories__mode_0700),
		T(store__read_missing__noinput_nothing_created),
		T(store__read_existing__opened),
		T(store__write_missing__created),
		T(store__existing_file__mode_kept),
		T(store__open__pragmas_set),
		T(store__null_who__unknown),
		T(store__open_twice__idempotent),
		T(store__migration_fails__rolled_back),
		T(store__newer_schema__config_error),
		T(store__not_a_database__ioerr),
		T(store__directory_not_creatable__ioerr),
		T(store__bad_busy_timeout__config_error),
		T(store__busy__tempfail),
		T(store__busy_on_open__tempfail),
		T(store__new_store_being_written__wal_waits),
		T(store__prepare__cached),
		T(store__prepare__reset_and_unbound),
		T(store__prepare_many__evicts_and_still_works),
		T(store__prepare_buffer_reused__statement_of_new_text),
		T(store__random__fresh_bytes_across_refills),
		T(store__constraint__dataerr),
		T(store__foreign_keys__enforced),
		T(store__exec_bad_sql__software_error),
		T(store__commit__kept_rollback__undone),
		T(store__close_in_tx__rolled_back),
		T(store__rollback_to__undoes_only_the_row),
		T(store__history_add__writes_every_column),
		T(store__bind_text__null_binds_null),
		T(store__now__from_crm_now),
		T(store__negative_version__refused_unchanged),
		T(store__foreign_tables__refused_unchanged),
		T(store__newer_migrated_while_waiting__version_kept),
		T(store__prepare_while_stepping__not_evicted),
		T(store__prepare_same_text__one_statement),
#undef T
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
