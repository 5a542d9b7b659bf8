/* test_body.c - unit tests for lib/log/body.c: an interaction's body read
 * from a file, at most 1 MiB and no NUL byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "log/body.h"
#include "fixture.h"

struct dir {
	char path[64];
	char file[128];
};

static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	if (d == NULL || fixture_tmpdir(d->path, sizeof(d->path), "body") != 0) {
		free(d);
		return -1;
	}
	snprintf(d->file, sizeof(d->file), "%s/body.txt", d->path);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;
	int rc = fixture_rmtree(d->path);

	free(d);
	return rc;
}

/* Writes n bytes of data (repeated to fill n) to the test's file. */
static const char *write_file(void **state, const char *data, size_t len, size_t n)
{
	struct dir *d = *state;
	FILE *fp = fopen(d->file, "w");

	assert_non_null(fp);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fputc(data[i % len], fp), (unsigned char)data[i % len]);
	assert_int_equal(fclose(fp), 0);
	return d->file;
}

static void body__file__read_whole(void **state)
{
	struct crm_err e = { 0, "" };
	char *body = NULL;
	const char *path = write_file(state, "line one\nline two\n", 18, 18);

	assert_int_equal(crm_body_read(path, &body, &e), 0);
	assert_string_equal(body, "line one\nline two\n");
	free(body);
	path = write_file(state, "x", 1, CRM_BODY_MAX);
	assert_int_equal(crm_body_read(path, &body, &e), 0);
	assert_int_equal(strlen(body), CRM_BODY_MAX);
	free(body);
}

static void body__too_big_or_nul__data_error(void **state)
{
	struct crm_err e = { 0, "" };
	char *body = NULL;
	const char *path = write_file(state, "x", 1, CRM_BODY_MAX + 1);

	assert_int_equal(crm_body_read(path, &body, &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, ": body over 1 MiB"));
	assert_null(body);
	path = write_file(state, "a\0b", 3, 3);
	assert_int_equal(crm_body_read(path, &body, &e), CRM_EX_DATAERR);
	assert_non_null(strstr(e.msg, ": body has a NUL byte"));
	assert_null(body);
}

static void body__missing_file__no_input(void **state)
{
	struct dir *d = *state;
	struct crm_err e = { 0, "" };
	char *body = NULL;

	assert_int_equal(crm_body_read(d->file, &body, &e), CRM_EX_NOINPUT);
	assert_non_null(strstr(e.msg, "cannot open "));
	assert_non_null(strstr(e.msg, "No such file"));
	assert_null(body);
	/* a directory opens but cannot be read */
	assert_int_equal(crm_body_read(d->path, &body, &e), CRM_EX_IOERR);
	assert_non_null(strstr(e.msg, ": read error: "));
	assert_null(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(body__file__read_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(body__too_big_or_nul__data_error, setup, teardown),
		cmocka_unit_test_setup_teardown(body__missing_file__no_input, setup, teardown),
	};

	return cmocka_run_group_tests_name("body", tests, NULL, NULL);
}
