/* test_err.c - unit tests for lib/err.c and lib/xalloc.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "base/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* ---- err ---- */

static void err__set__code_and_message(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_err_set(&e, CRM_EX_DATAERR, "invalid email \"%s\"", "foo@"),
			 CRM_EX_DATAERR);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_string_equal(e.msg, "invalid email \"foo@\"");
	/* A second error replaces the first. */
	crm_err_set(&e, CRM_EX_IOERR, "write error: %d", 28);
	assert_int_equal(e.code, CRM_EX_IOERR);
	assert_string_equal(e.msg, "write error: 28");
}

static void err__set_own_message__wrapped_not_garbled(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	crm_err_set(&e, CRM_EX_USAGE, "unknown feature \"%s\"", "lead.sauce");
	crm_err_set(&e, CRM_EX_DATAERR, "model %d: %s, train again", 2, e.msg);
	assert_int_equal(e.code, CRM_EX_DATAERR);
	assert_string_equal(e.msg, "model 2: unknown feature \"lead.sauce\", train again");
}

static void err__set_null__code_returned(void **state)
{
	(void)state;
	assert_int_equal(crm_err_set(NULL, CRM_EX_TEMPFAIL, "busy %s", "x"), CRM_EX_TEMPFAIL);
	crm_err_prefix(NULL, "line %d", 1);
	crm_err_clear(NULL);
}

static void err__set_long__truncated_terminated(void **state)
{
	struct crm_err e = { 0, "" };
	char *big = xmalloc(5000);

	(void)state;
	memset(big, 'a', 4999);
	big[4999] = '\0';
	crm_err_set(&e, CRM_EX_DATAERR, "%s", big);
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
	assert_int_equal(e.msg[0], 'a');
	free(big);
}

static void err__prefix__prepended(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	crm_err_set(&e, CRM_EX_DATAERR, "invalid email \"foo@\"");
	crm_err_prefix(&e, "%s:%d", "contacts.csv", 42);
	assert_string_equal(e.msg, "contacts.csv:42: invalid email \"foo@\"");
	assert_int_equal(e.code, CRM_EX_DATAERR);
	crm_err_prefix(&e, "import");
	assert_string_equal(e.msg, "import: contacts.csv:42: invalid email \"foo@\"");
}

static void err__prefix_empty_message__prefix_and_colon(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	crm_err_prefix(&e, "line %d", 3);
	assert_string_equal(e.msg, "line 3: ");
}

static void err__prefix_long_message__truncated_terminated(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	memset(e.msg, 'm', sizeof(e.msg) - 1);
	e.msg[sizeof(e.msg) - 1] = '\0';
	crm_err_prefix(&e, "line %d", 7);
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
	assert_true(strncmp(e.msg, "line 7: mmm", 11) == 0);
	assert_int_equal(e.msg[sizeof(e.msg) - 2], 'm');
}

static void err__prefix_long_prefix__truncated_terminated(void **state)
{
	struct crm_err e = { 0, "" };
	char big[2000];

	(void)state;
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	crm_err_set(&e, CRM_EX_DATAERR, "tail");
	crm_err_prefix(&e, "%s", big);
	assert_true(strlen(e.msg) < sizeof(e.msg));
	assert_int_equal(e.msg[0], 'p');
	/* The prefix is cut to what fits (511 bytes of it), then ": tail". */
	assert_string_equal(e.msg + 511, ": tail");
}

static void err__clear__empty(void **state)
{
	struct crm_err e = { 0, "" };

	(void)state;
	crm_err_set(&e, CRM_EX_IOERR, "x");
	crm_err_clear(&e);
	assert_int_equal(e.code, 0);
	assert_string_equal(e.msg, "");
}

static void err__codes__sysexits(void **state)
{
	(void)state;
	assert_int_equal(CRM_EX_OK, 0);
	assert_int_equal(CRM_EX_NOTFOUND, 1);
	assert_int_equal(CRM_EX_USAGE, 64);
	assert_int_equal(CRM_EX_DATAERR, 65);
	assert_int_equal(CRM_EX_NOINPUT, 66);
	assert_int_equal(CRM_EX_SOFTWARE, 70);
	assert_int_equal(CRM_EX_IOERR, 74);
	assert_int_equal(CRM_EX_TEMPFAIL, 75);
	assert_int_equal(CRM_EX_CONFIG, 78);
}

/* ---- xalloc ---- */

static void xalloc__zero_sizes__non_null(void **state)
{
	void *p = xmalloc(0);
	void *q = xcalloc(0, 0);
	void *r = xrealloc(NULL, 0);
	void *s = xreallocarray(NULL, 0, 8);

	(void)state;
	assert_non_null(p);
	assert_non_null(q);
	assert_non_null(r);
	assert_non_null(s);
	free(p);
	free(q);
	free(r);
	free(s);
}

static void xalloc__calloc__zeroed(void **state)
{
	unsigned char *p = xcalloc(100, 3);

	(void)state;
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(p[i], 0);
	free(p);
}

static void xalloc__realloc__contents_kept(void **state)
{
	char *p = xmalloc(4);

	(void)state;
	memcpy(p, "abc", 4);
	p = xrealloc(p, 1 << 20);
	assert_string_equal(p, "abc");
	p[(1 << 20) - 1] = 'z';
	p = xreallocarray(p, 3, 1 << 20);
	assert_string_equal(p, "abc");
	assert_int_equal(p[(1 << 20) - 1], 'z');
	free(p);
}

static void xalloc__strdup__copies(void **state)
{
	const char *s = "hello";
	char *a = xstrdup(s);
	char *b = xstrndup(s, 3);
	char *c = xstrndup(s, 100);
	char *d = xstrdup("");

	(void)state;
	assert_ptr_not_equal(a, s);
	assert_string_equal(a, "hello");
	assert_string_equal(b, "hel");
	/* n beyond the string: stops at its NUL. */
	assert_string_equal(c, "hello");
	assert_string_equal(d, "");
	free(a);
	free(b);
	free(c);
	free(d);
}

static void xalloc__strndup_unterminated__reads_only_n(void **state)
{
	char raw[3] = { 'x', 'y', 'z' }; /* no NUL */
	char *p = xstrndup(raw, sizeof(raw));

	(void)state;
	assert_string_equal(p, "xyz");
	free(p);
}

/* Runs fn in a child with stderr sent to a file; returns its exit status
 * (-1 if it did not exit) and what it wrote to stderr in out. */
static int run_child(void (*fn)(void), char *out, size_t size)
{
	char path[] = "/tmp/crm-test-err-XXXXXX";
	int fd = mkstemp(path);
	pid_t pid;
	int status;
	ssize_t n;

	assert_true(fd >= 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd, STDERR_FILENO);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	n = pread(fd, out, size - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void overflow_child(void)
{
	(void)xreallocarray(NULL, SIZE_MAX / 2, 3);
}

static void xalloc__reallocarray_overflow__exit_70(void **state)
{
	char out[512], want[128];

	(void)state;
	assert_int_equal(run_child(overflow_child, out, sizeof(out)), CRM_EX_SOFTWARE);
	snprintf(want, sizeof(want), "crm: out of memory allocating %zu bytes\n",
		 (size_t)SIZE_MAX);
	assert_string_equal(out, want);
}

static void huge_malloc_child(void)
{
	(void)xmalloc(SIZE_MAX / 2 - 4096);
}

static void huge_realloc_child(void)
{
	(void)xrealloc(NULL, SIZE_MAX / 4 + 7);
}

static void xalloc__malloc_fails__exit_70_with_size(void **state)
{
	char out[4096], want[128];

	(void)state;
#ifdef UNDER_ASAN
	/* ASan aborts on an impossible allocation before malloc can fail. */
	skip();
#endif
	assert_int_equal(run_child(huge_malloc_child, out, sizeof(out)), CRM_EX_SOFTWARE);
	snprintf(want, sizeof(want), "crm: out of memory allocating %zu bytes\n",
		 (size_t)SIZE_MAX / 2 - 4096);
	/* Under valgrind its own warning about the size may come first. */
	assert_non_null(strstr(out, want));
	assert_int_equal(run_child(huge_realloc_child, out, sizeof(out)), CRM_EX_SOFTWARE);
	snprintf(want, sizeof(want), "crm: out of memory allocating %zu bytes\n",
		 (size_t)SIZE_MAX / 4 + 7);
	assert_non_null(strstr(out, want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(err__set__code_and_message),
		cmocka_unit_test(err__set_own_message__wrapped_not_garbled),
		cmocka_unit_test(err__set_null__code_returned),
		cmocka_unit_test(err__set_long__truncated_terminated),
		cmocka_unit_test(err__prefix__prepended),
		cmocka_unit_test(err__prefix_empty_message__prefix_and_colon),
		cmocka_unit_test(err__prefix_long_message__truncated_terminated),
		cmocka_unit_test(err__prefix_long_prefix__truncated_terminated),
		cmocka_unit_test(err__clear__empty),
		cmocka_unit_test(err__codes__sysexits),
		cmocka_unit_test(xalloc__zero_sizes__non_null),
		cmocka_unit_test(xalloc__calloc__zeroed),
		cmocka_unit_test(xalloc__realloc__contents_kept),
		cmocka_unit_test(xalloc__strdup__copies),
		cmocka_unit_test(xalloc__strndup_unterminated__reads_only_n),
		cmocka_unit_test(xalloc__reallocarray_overflow__exit_70),
		cmocka_unit_test(xalloc__malloc_fails__exit_70_with_size),
	};

	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
