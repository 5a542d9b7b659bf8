/* fixture.h - the temporary store the unit tests start from, and the SQL
 * assertions they share. For tests/unit/test_*.c only: it calls cmocka's
 * fail_msg() and assert_*() and is never part of libcrm.
 *
 * Every function is static inline (and marked unused), so each test still
 * builds from its own .c file and a test that leaves one out gets no
 * warning.
 *
 * What it gives:
 *
 *   struct fixture_store, fixture_store_open(), fixture_store_close()
 *     a fresh directory /tmp/crm-test-NAME-XXXXXX, $CRM_NOW set to the
 *     test's "now" (the old value saved), and the store DIR/crm.db opened
 *     as user "tester"; closing undoes all three.
 *   fixture_new(), fixture_free()
 *     the same for a fixture struct of the test's own that holds more:
 *     its first member is a struct fixture_store named base (checked by
 *     FIXTURE_BASE_FIRST), and the test's setup and teardown do their
 *     own part after fixture_new() and before fixture_free().
 *   fixture_setup(), fixture_teardown()
 *     a cmocka setup and teardown for tests whose state is a struct
 *     fixture_store and nothing more.
 *   store(), reopen()
 *     the open store, from a state whose first member is a struct
 *     fixture_store; opening the store again as another user, at another
 *     time. (Its raw SQLite connection, db(), is in rawsql.h, for the
 *     SQLite-backend tests alone.)
 *   fixture_tmpdir(), fixture_rmtree()
 *     making the directory and removing it with all it holds (no shell).
 *   fixture_env_save(), fixture_env_set(), fixture_env_restore()
 *     keeping an environment variable across a test.
 *   fixture_vcontact(), fixture_contact()
 *     a contact made from name, value pairs (see there).
 *   exec_ok(), q_prepare(), q_rows(), assert_rows(), q_int(), q_int64()
 *     running SQL through the store interface (crm_store_exec,
 *     crm_store_prepare_built, crm_store_step), so they work on every
 *     backend, and checking what it returns; a failure fails the test
 *     with the SQL text in the message.
 *   assert_text()
 *     text a test built (rows of a listing, one a line) must be want.
 *
 * Ownership: fixture_store_open() fills a struct the caller owns, and
 * fixture_store_close() closes the store, frees the saved $CRM_NOW and
 * removes the directory but leaves the struct. fixture_new() allocates
 * (fixture_setup() puts that in *state), and fixture_free() or
 * fixture_teardown() closes and frees it. fixture_env_save() and
 * fixture_env_set() return a copy (NULL when unset) that
 * fixture_env_restore() takes back and frees. q_rows() returns text the
 * caller free()s; assert_text() frees the text it is given.
 *
 * The Makefile rebuilds a test when its .c file, a header in lib/ or a
 * header here changes.
 */
#ifndef CRM_TEST_FIXTURE_H
#define CRM_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/dates.h"
#include "contact/contact.h"
#include "base/err.h"
#include "store/store.h"

#define FIXTURE_FN static inline __attribute__((unused))

/* A test's own fixture struct that embeds a struct fixture_store as
 * member `base` must have it first, so that store() (and rawsql.h's db())
 * work on it. */
#define FIXTURE_BASE_FIRST(type) \
	_Static_assert(offsetof(type, base) == 0, #type ": base must come first")

struct fixture_store {
	char dir[64];          /* /tmp/crm-test-NAME-XXXXXX */
	char path[128];        /* DIR/crm.db */
	struct crm_store *s;   /* open on path as "tester" */
	int set_now;           /* whether open set $CRM_NOW */
	char *saved_now;       /* $CRM_NOW before open (NULL: unset) */
};

/* ---- environment ---- */

/* A copy of $name (free() it, or hand it to fixture_env_restore()), NULL
 * when it is not set. */
FIXTURE_FN char *fixture_env_save(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? strdup(v) : NULL;
}

/* Saves $name as fixture_env_save() does, then sets it to value, or unsets
 * it for NULL. */
FIXTURE_FN char *fixture_env_set(const char *name, const char *value)
{
	char *saved = fixture_env_save(name);

	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
	return saved;
}

/* Sets $name back to saved (unsets it for NULL) and frees saved. */
FIXTURE_FN void fixture_env_restore(const char *name, char *saved)
{
	if (saved != NULL)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

/* ---- the temporary directory ---- */

/* Makes the directory /tmp/crm-test-NAME-XXXXXX in dir (size bytes).
 * Returns 0, or -1 with errno set. */
FIXTURE_FN int fixture_tmpdir(char *dir, size_t size, const char *name)
{
	int n = snprintf(dir, size, "/tmp/crm-test-%s-XXXXXX", name);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkdtemp(dir) != NULL ? 0 : -1;
}

/* Removes path and, for a directory, everything below it, without
 * following symbolic links (rm -rf). A path that is not there is not an
 * error. Returns 0, or -1 if anything stayed. */
FIXTURE_FN int fixture_rmtree(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t len;
		char *sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		len = strlen(path) + 1 + strlen(de->d_name) + 1;
		sub = malloc(len);
		if (sub == NULL) {
			rc = -1;
			break;
		}
		snprintf(sub, len, "%s/%s", path, de->d_name);
		if (fixture_rmtree(sub) != 0)
			rc = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

/* ---- the store ---- */

/* Sets $CRM_NOW to now_text (saving the old value; NULL leaves $CRM_NOW
 * alone), makes the directory for name and opens DIR/crm.db as "tester".
 * Returns 0, or -1 with the reason on stderr and everything undone. */
FIXTURE_FN int fixture_store_open(struct fixture_store *t, const char *name,
				  const char *now_text)
{
	struct crm_err e = { 0, "" };

	memset(t, 0, sizeof(*t));
	if (now_text != NULL) {
		t->saved_now = fixture_env_set("CRM_NOW", now_text);
		t->set_now = 1;
	}
	if (fixture_tmpdir(t->dir, sizeof(t->dir), name) != 0) {
		fprintf(stderr, "setup: mkdtemp %s: %s\n", t->dir, strerror(errno));
		goto fail;
	}
	snprintf(t->path, sizeof(t->path), "%s/crm.db", t->dir);
	if (crm_store_open(t->path, "tester", &t->s, &e) != 0) {
		fprintf(stderr, "setup: %s\n", e.msg);
		fixture_rmtree(t->dir);
		goto fail;
	}
	return 0;
fail:
	if (t->set_now)
		fixture_env_restore("CRM_NOW", t->saved_now);
	t->saved_now = NULL;
	t->set_now = 0;
	return -1;
}

/* Closes the store, restores $CRM_NOW and removes the directory. Returns
 * 0, or -1 if the directory could not be removed. */
FIXTURE_FN int fixture_store_close(struct fixture_store *t)
{
	crm_store_close(t->s);
	t->s = NULL;
	if (t->set_now)
		fixture_env_restore("CRM_NOW", t->saved_now);
	t->saved_now = NULL;
	t->set_now = 0;
	return fixture_rmtree(t->dir);
}

/* A new zeroed struct of size bytes that begins with a struct
 * fixture_store, opened as fixture_store_open() does; NULL if that fails.
 * Give it back to fixture_free(). */
FIXTURE_FN void *fixture_new(size_t size, const char *name, const char *now_text)
{
	struct fixture_store *t;

	if (size < sizeof(*t))
		return NULL;
	t = calloc(1, size);
	if (t == NULL)
		return NULL;
	if (fixture_store_open(t, name, now_text) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

/* Closes what fixture_new() opened (fixture_store_close()) and frees it.
 * Returns 0, or -1 if the directory could not be removed. */
FIXTURE_FN int fixture_free(void *p)
{
	int rc = fixture_store_close(p);

	free(p);
	return rc;
}

/* A cmocka setup: *state becomes a struct fixture_store, opened. */
FIXTURE_FN int fixture_setup(void **state, const char *name, const char *now_text)
{
	*state = fixture_new(sizeof(struct fixture_store), name, now_text);
	return *state != NULL ? 0 : -1;
}

/* The cmocka teardown for fixture_setup(). */
FIXTURE_FN int fixture_teardown(void **state)
{
	return fixture_free(*state);
}

FIXTURE_FN struct crm_store *store(void **state)
{
	return ((struct fixture_store *)*state)->s;
}

/* Closes the store of a state as fixture_setup() or fixture_new() made it
 * and opens it again as user who, with $CRM_NOW set to when first (NULL
 * leaves $CRM_NOW as it is); fails the test if the store does not open.
 * Teardown still restores the $CRM_NOW from before setup. */
FIXTURE_FN void reopen(void **state, const char *who, const char *when)
{
	struct fixture_store *t = *state;
	struct crm_err e = { 0, "" };

	crm_store_close(t->s);
	t->s = NULL;
	if (when != NULL)
		setenv("CRM_NOW", when, 1);
	if (crm_store_open(t->path, who, &t->s, &e) != 0)
		fail_msg("reopen: %s", e.msg);
}

/* ---- SQL ---- */

/* Runs sql through the store (several statements allowed); fails the
 * test on an error. */
FIXTURE_FN void exec_ok(struct crm_store *s, const char *sql)
{
	struct crm_err e = { 0, "" };

	if (crm_store_exec(s, sql, &e) != 0)
		fail_msg("%s: %s", sql, e.msg);
}

/* sql prepared through the store, not cached (so a test's own queries
 * leave the statement cache as the code under test left it); fails the
 * test if it does not prepare. Free it with crm_stmt_free(). */
FIXTURE_FN struct crm_stmt *q_prepare(struct crm_store *s, const char *sql)
{
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = NULL;

	if (crm_store_prepare_built(s, sql, &st, &e) != 0)
		fail_msg("prepare %s: %s", sql, e.msg);
	return st;
}

/* All rows of sql as "a|b|c\n" lines; NULL shown as "NULL". Caller frees.
 * A step that fails fails the test. */
FIXTURE_FN char *q_rows(struct crm_store *s, const char *sql)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = q_prepare(s, sql);
	int step;

	while ((step = crm_store_step(s, st, &e)) == CRM_ROW) {
		for (int i = 0; i < crm_column_count(st); i++) {
			const char *t = crm_column_text(st, i);

			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "", t != NULL ? t : "NULL");
		}
		crm_buf_addc(&b, '\n');
	}
	crm_stmt_free(st);
	if (step < 0) {
		/* fail_msg(), with b freed before fail() jumps away */
		print_error("ERROR: step %s: %s\n", sql, e.msg);
		crm_buf_free(&b);
		fail();
	}
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

/* The rows of sql, as q_rows() writes them, must be want. */
FIXTURE_FN void assert_rows(struct crm_store *s, const char *sql, const char *want)
{
	char *got = q_rows(s, sql);

	if (strcmp(got, want) != 0) {
		/* fail_msg(), with got freed before fail() jumps away */
		print_error("ERROR: %s:\n got:\n%s\nwant:\n%s\n", sql, got, want);
		free(got);
		fail();
	}
	free(got);
}

/* got (allocated; freed here) must be want; what, for the message. */
FIXTURE_FN void assert_text(const char *what, char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		/* fail_msg(), with got freed before fail() jumps away */
		print_error("ERROR: %s:\n got:\n%s\nwant:\n%s\n", what, got, want);
		free(got);
		fail();
	}
	free(got);
}

/* The first column of the first row of sql (there must be a row). */
FIXTURE_FN int64_t q_int64(struct crm_store *s, const char *sql)
{
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = q_prepare(s, sql);
	int64_t v;
	int step = crm_store_step(s, st, &e);

	if (step != CRM_ROW) {
		crm_stmt_free(st);
		fail_msg("%s: %s", sql, step < 0 ? e.msg : "no row");
	}
	v = crm_column_int64(st, 0);
	crm_stmt_free(st);
	return v;
}

/* q_int64() as an int: its low 32 bits, as crm_column_int() gives. */
FIXTURE_FN int q_int(struct crm_store *s, const char *sql)
{
	return (int)q_int64(s, sql);
}

/* Creates a contact in s from the NULL-terminated name, value pairs in ap:
 * standard or custom fields, "tags", and "emails" or "phones" (other ones,
 * "x@example.org (work); y@example.org"). now anchors relative dates. A
 * value the contact refuses fails the test. Returns the new id. */
FIXTURE_FN int64_t fixture_vcontact(struct crm_store *s, int64_t now, va_list ap)
{
	struct crm_contact c;
	struct crm_err e = { 0, "" };
	const char *name;
	int64_t id = 0;

	crm_contact_init(&c);
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);
		int rc;

		if (strcmp(name, "tags") == 0)
			rc = crm_contact_add_tags(&c, value, &e);
		else if (strcmp(name, "emails") == 0 || strcmp(name, "phones") == 0)
			rc = crm_contact_add_others(&c, name[0] == 'p', value, now, &e);
		else
			rc = crm_contact_set_named(&c, name, value, now, &e);
		if (rc != 0)
			fail_msg("set %s=%s: %s", name, value, e.msg);
	}
	if (crm_contact_create(s, &c, &id, &e) != 0)
		fail_msg("create: %s", e.msg);
	crm_contact_free(&c);
	assert_true(id > 0);
	return id;
}

/* fixture_vcontact() with the pairs as arguments, NULL-terminated, "now"
 * being crm_now(): fixture_contact(s, "uid", "u1", "tags", "vip", NULL). */
FIXTURE_FN int64_t fixture_contact(struct crm_store *s, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, s);
	id = fixture_vcontact(s, crm_now(), ap);
	va_end(ap);
	return id;
}

#endif
