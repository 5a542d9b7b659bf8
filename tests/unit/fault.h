/* fault.h - failing steps on purpose, for tests of error paths. For
 * tests/unit/test_*.c only, static inline like fixture.h.
 *
 *   struct fault f;
 *   fault_arm(&f, db, "WHERE uid = ?1");  -- every step of a statement
 *        whose SQL holds that text now fails (SQLITE_INTERRUPT: 70)
 *   ... call the function under test ...
 *   fault_disarm(&f);                      -- f.hits: how many failed
 *
 *   struct fault_lock l;
 *   reopen_shared(state);            -- the store in a shared cache
 *   fault_lock(&l, path, "contacts"); -- another connection of that cache
 *        holds a write lock on the table: the store's reads of it fail
 *        with SQLITE_LOCKED, a busy store to crm (75)
 *   fault_unlock(&l);
 *
 * The first uses a progress handler that looks at the statements being
 * stepped; the second a table lock of SQLite's shared-cache mode (in WAL
 * mode a writer never blocks a reader of another connection, so a busy
 * read is hard to come by otherwise; it happens for real when a
 * checkpoint or recovery holds the WAL index). Needs fixture.h first. */
#ifndef CRM_TEST_FAULT_H
#define CRM_TEST_FAULT_H

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#define FAULT_FN static inline __attribute__((unused))

struct fault {
	sqlite3 *db;
	const char *sql_part;
	int hits;
};

FAULT_FN int fault_progress(void *ctx)
{
	struct fault *f = ctx;

	for (sqlite3_stmt *p = sqlite3_next_stmt(f->db, NULL); p != NULL;
	     p = sqlite3_next_stmt(f->db, p))
		if (sqlite3_stmt_busy(p) && strstr(sqlite3_sql(p), f->sql_part) != NULL) {
			f->hits++;
			return 1;
		}
	return 0;
}

FAULT_FN void fault_arm(struct fault *f, sqlite3 *db, const char *sql_part)
{
	f->db = db;
	f->sql_part = sql_part;
	f->hits = 0;
	sqlite3_progress_handler(db, 1, fault_progress, f);
}

FAULT_FN void fault_disarm(struct fault *f)
{
	sqlite3_progress_handler(f->db, 0, NULL, NULL);
}

struct fault_lock {
	sqlite3 *db;
};

/* Opens the store at path again in a shared cache with the store's
 * connection, which reopen_shared() opened, and holds a write lock on
 * table: the store's reads of it fail with SQLITE_LOCKED (75). Fails the
 * test if the lock cannot be taken. */
FAULT_FN void fault_lock(struct fault_lock *l, const char *path, const char *table)
{
	char sql[128], *err = NULL;

	snprintf(sql, sizeof(sql), "BEGIN; DELETE FROM %s WHERE 0;", table);
	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_SHAREDCACHE,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(l->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		print_error("ERROR: fault_lock %s %s: %s\n", path, table, err != NULL ? err : "?");
		sqlite3_free(err);
		fail();
	}
}

FAULT_FN void fault_unlock(struct fault_lock *l)
{
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(l->db);
	l->db = NULL;
}

/* Opens the store of a fixture state again, its connection in the shared
 * cache that fault_lock() joins (and leaves shared caching off for
 * connections opened after). */
FAULT_FN void reopen_shared(void **state)
{
	sqlite3_enable_shared_cache(1);
	reopen(state, "tester", NULL);
	sqlite3_enable_shared_cache(0);
}

#endif
