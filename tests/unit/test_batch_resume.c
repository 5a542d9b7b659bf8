/* test_batch_resume.c - unit tests for lib/cli/batch_resume.c, the record
 * of where an unfinished import got to: found by command, reading and
 * identity; saved over or appended to; the records of a path's other
 * contents dropped; cleared. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cli/batch_resume.h"
#include "store/store.h"
#include "fixture.h"

#define NOW_TEXT "2024-06-15T12:00:00Z"

static int setup(void **state)
{
	return fixture_setup(state, "batch-resume", NOW_TEXT);
}

static int teardown(void **state)
{
	return fixture_teardown(state);
}

static struct crm_batch_resume_key key(const char *path, unsigned long long size,
				       uint64_t digest)
{
	struct crm_batch_resume_key k = { "crm-contact import", "csv format=0", path,
					  { size, digest } };

	return k;
}

static void saved(void **state, const struct crm_batch_resume_key *k,
		  unsigned long long offset, unsigned long line, unsigned long rows,
		  unsigned long rejected, const char *rejects, int append)
{
	struct crm_batch_resume r = { offset, line, rows, rejected };
	struct crm_err e = { 0, "" };

	assert_int_equal(crm_batch_resume_save(store(state), k, &r, rejects,
					       rejects != NULL ? strlen(rejects) : 0, append, &e), 0);
}

static int found(void **state, const struct crm_batch_resume_key *k,
		 struct crm_batch_resume *r, char **rejects)
{
	struct crm_err e = { 0, "" };
	int f = -1;

	assert_int_equal(crm_batch_resume_find(store(state), k, r, rejects, &f, &e), 0);
	return f;
}

/* The record of k holds these, and these rejects lines. */
static void record_is(void **state, const struct crm_batch_resume_key *k,
		      unsigned long long offset, unsigned long line, unsigned long rows,
		      unsigned long rejected, const char *want_rejects)
{
	struct crm_batch_resume r;
	char *rejects;

	assert_int_equal(found(state, k, &r, &rejects), 1);
	if (r.offset != offset || r.line != line || r.rows != rows || r.rejected != rejected)
		fail_msg("record %llu %lu %lu %lu, want %llu %lu %lu %lu", r.offset, r.line,
			 r.rows, r.rejected, offset, line, rows, rejected);
	assert_string_equal(rejects, want_rejects);
	free(rejects);
}

static void resume__saved__found_by_its_key_only(void **state)
{
	struct crm_batch_resume_key k = key("in.csv", 1000, 0xabcdef0123456789ULL), other;
	struct crm_batch_resume r;

	assert_int_equal(found(state, &k, &r, NULL), 0);
	saved(state, &k, 512, 41, 40, 2, "3,bad,x\n9,bad,y\n", 0);
	record_is(state, &k, 512, 41, 40, 2, "3,bad,x\n9,bad,y\n");
	assert_rows(store(state), "SELECT command, size, digest, path, updated_at FROM import_resume",
		    "crm-contact import|1000|abcdef0123456789|in.csv|" NOW_TEXT "\n");
	/* another size, digest, command or way of reading: not this record */
	other = k;
	other.id.size = 1001;
	assert_int_equal(found(state, &other, &r, NULL), 0);
	other = k;
	other.id.digest ^= 1;
	assert_int_equal(found(state, &other, &r, NULL), 0);
	other = k;
	other.command = "crm-log import";
	assert_int_equal(found(state, &other, &r, NULL), 0);
	other = k;
	other.reading = "csv format=2";
	assert_int_equal(found(state, &other, &r, NULL), 0);
	/* the path only names it: the same bytes elsewhere are found */
	other = k;
	other.path = "copy.csv";
	assert_int_equal(found(state, &other, &r, NULL), 1);
}

/* A run that resumed appends its rejects; one from the top replaces them. */
static void resume__saved_again__appended_or_replaced(void **state)
{
	struct crm_batch_resume_key k = key("in.csv", 1000, 7);

	saved(state, &k, 100, 5, 4, 1, "2,bad,x\n", 0);
	saved(state, &k, 200, 9, 8, 2, "7,bad,y\n", 1);
	record_is(state, &k, 200, 9, 8, 2, "2,bad,x\n7,bad,y\n");
	/* a row a save: a commit writes its own rejects, not all again */
	assert_rows(store(state), "SELECT seq, lines FROM import_resume_rejects ORDER BY seq",
		    "1|2,bad,x\n\n2|7,bad,y\n\n");
	saved(state, &k, 50, 3, 2, 0, NULL, 0);
	record_is(state, &k, 50, 3, 2, 0, "");
	assert_rows(store(state), "SELECT count(*) FROM import_resume", "1\n");
}

/* Starting a path's new contents from the top drops its old record; other
 * paths and commands keep theirs. Clearing drops the record and the path's. */
static void resume__other_contents_of_a_path__dropped(void **state)
{
	struct crm_batch_resume_key old = key("in.csv", 1000, 1), now = key("in.csv", 1000, 2),
				    elsewhere = key("b.csv", 10, 3), log = key("in.csv", 1000, 1);
	struct crm_err e = { 0, "" };

	log.command = "crm-log import";
	saved(state, &old, 100, 5, 4, 1, "2,bad,x\n", 0);
	saved(state, &elsewhere, 5, 2, 1, 1, "3,bad,y\n", 0);
	saved(state, &log, 5, 2, 1, 0, NULL, 0);
	/* a resumed run's saves keep the others */
	saved(state, &now, 100, 5, 4, 0, NULL, 1);
	assert_rows(store(state), "SELECT count(*) FROM import_resume", "4\n");
	saved(state, &now, 100, 5, 4, 0, NULL, 0);
	assert_rows(store(state), "SELECT command, path, digest FROM import_resume ORDER BY 1, 2",
		    "crm-contact import|b.csv|0000000000000003\n"
		    "crm-contact import|in.csv|0000000000000002\n"
		    "crm-log import|in.csv|0000000000000001\n");
	assert_rows(store(state), "SELECT lines FROM import_resume_rejects", "3,bad,y\n\n");
	/* the same bytes under another name: cleared by identity too */
	old = key("renamed.csv", 10, 3);
	assert_int_equal(crm_batch_resume_clear(store(state), &old, &e), 0);
	assert_int_equal(crm_batch_resume_clear(store(state), &now, &e), 0);
	assert_rows(store(state), "SELECT command, path FROM import_resume", "crm-log import|in.csv\n");
	assert_rows(store(state), "SELECT count(*) FROM import_resume_rejects", "0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(resume__saved__found_by_its_key_only, setup, teardown),
		cmocka_unit_test_setup_teardown(resume__saved_again__appended_or_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(resume__other_contents_of_a_path__dropped, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
