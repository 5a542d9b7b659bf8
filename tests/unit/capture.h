/* capture.h - what a function under test gives as text, for
 * tests/unit/test_*.c only (static inline like fixture.h): what it prints
 * on stderr, and the rows of a statement it prepares.
 *
 *   struct capture c;
 *   capture_begin(&c);
 *   rc = crm_contact_each(...);
 *   char *err = capture_end(&c);   -- stderr's text (free() it)
 *
 *   char *rows = capture_rows(s, st, 4);  -- "a|b|NULL|d\n" a row (free()
 *        it); st is stepped with crm_store_step and reset, a failed step
 *        fails the test
 */
#ifndef CRM_TEST_CAPTURE_H
#define CRM_TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

#define CAPTURE_FN static inline __attribute__((unused))

struct capture {
	char path[64];
	int saved;     /* the real stderr */
};

/* Points stderr at a temporary file; fails the test if it cannot. */
CAPTURE_FN void capture_begin(struct capture *c)
{
	int fd;

	fflush(stderr);
	snprintf(c->path, sizeof(c->path), "/tmp/crm-test-stderr-XXXXXX");
	fd = mkstemp(c->path);
	assert_true(fd >= 0);
	c->saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Puts stderr back; returns what was written meanwhile (caller frees). */
CAPTURE_FN char *capture_end(struct capture *c)
{
	struct crm_buf b = CRM_BUF_INIT;
	char chunk[512];
	size_t n;
	FILE *fp;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	fp = fopen(c->path, "r");
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crm_buf_add(&b, chunk, n);
	fclose(fp);
	unlink(c->path);
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

CAPTURE_FN char *capture_rows(struct crm_store *s, struct crm_stmt *st, int ncols)
{
	struct crm_buf b = CRM_BUF_INIT;
	struct crm_err e = { 0, "" };
	int step;

	while ((step = crm_store_step(s, st, &e)) == CRM_ROW) {
		for (int i = 0; i < ncols; i++) {
			const char *v = (const char *)crm_column_text(st, i);

			crm_buf_addf(&b, "%s%s", i > 0 ? "|" : "", v != NULL ? v : "NULL");
		}
		crm_buf_addc(&b, '\n');
	}
	crm_stmt_reset(st);
	if (step < 0) {
		crm_buf_free(&b);
		fail_msg("step: %s", e.msg);
	}
	crm_buf_adds(&b, "");
	return crm_buf_detach(&b);
}

#endif
