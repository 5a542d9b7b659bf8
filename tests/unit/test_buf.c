/* test_buf.c - unit tests for lib/buf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"

static void addf_via_va(struct crm_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void addf_via_va(struct crm_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crm_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static void assert_buf(const struct crm_buf *b, const char *want)
{
	assert_int_equal(b->len, strlen(want));
	assert_string_equal(crm_buf_str(b), want);
	assert_true(b->cap > b->len);
	assert_int_equal(b->data[b->len], '\0');
}

static void buf__init__empty_without_memory(void **state)
{
	struct crm_buf a = CRM_BUF_INIT;
	struct crm_buf b;

	(void)state;
	memset(&b, 0xAA, sizeof(b));
	crm_buf_init(&b);
	assert_null(a.data);
	assert_int_equal(a.len, 0);
	assert_int_equal(a.cap, 0);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void buf__str_of_empty__empty_string(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	assert_non_null(crm_buf_str(&b));
	assert_string_equal(crm_buf_str(&b), "");
}

static void buf__add__appends_bytes_and_terminates(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_add(&b, "hello", 5);
	assert_buf(&b, "hello");
	crm_buf_add(&b, ", world!!", 7);
	assert_buf(&b, "hello, world");
	crm_buf_free(&b);
}

static void buf__add_zero_bytes__still_a_string(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_add(&b, NULL, 0);
	assert_buf(&b, "");
	assert_non_null(b.data);
	crm_buf_add(&b, "x", 0);
	assert_buf(&b, "");
	crm_buf_free(&b);
}

static void buf__add_nul_bytes__kept(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_add(&b, "a\0b\0", 4);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0b\0\0", 5);
	crm_buf_free(&b);
}

static void buf__adds_and_addc__append(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_addc(&b, '[');
	crm_buf_adds(&b, "abc");
	crm_buf_adds(&b, "");
	crm_buf_addc(&b, ']');
	assert_buf(&b, "[abc]");
	crm_buf_addc(&b, '\0');
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "[abc]\0", 7);
	crm_buf_free(&b);
}

static void buf__addf_short__formatted(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_addf(&b, "%s=%d", "n", 42);
	crm_buf_addf(&b, "%s", "");
	crm_buf_addf(&b, ";%05.1f;%c", 3.14159, 'x');
	assert_buf(&b, "n=42;003.1;x");
	crm_buf_free(&b);
}

static void buf__addf_long__grows_and_formats_whole(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	char big[1000];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	crm_buf_adds(&b, "start:");
	crm_buf_addf(&b, "<%s>%d", big, 7);
	assert_int_equal(b.len, 6 + 1 + 999 + 1 + 1);
	assert_memory_equal(b.data, "start:<qqq", 10);
	assert_string_equal(b.data + b.len - 3, "q>7");
	assert_int_equal(b.data[b.len], '\0');
	crm_buf_free(&b);
}

static void buf__addf_exactly_fills_room__not_truncated(void **state)
{
	/* Outputs of every length around the initial capacity and its
	 * doublings, where vsnprintf's room is exactly used up. */
	(void)state;
	for (size_t len = 0; len < 300; len++) {
		struct crm_buf b = CRM_BUF_INIT;
		char *s = malloc(len + 1);

		memset(s, 'a' + (int)(len % 26), len);
		s[len] = '\0';
		crm_buf_adds(&b, "xy");
		crm_buf_addf(&b, "%s", s);
		assert_int_equal(b.len, len + 2);
		assert_memory_equal(b.data + 2, s, len + 1);
		crm_buf_free(&b);
		free(s);
	}
}

static void buf__vaddf__same_as_addf(void **state)
{
	struct crm_buf a = CRM_BUF_INIT, b = CRM_BUF_INIT;
	char big[200];

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	crm_buf_addf(&a, "%d:%s:%u", -5, big, 9u);
	addf_via_va(&b, "%d:%s:%u", -5, big, 9u);
	assert_int_equal(a.len, b.len);
	assert_string_equal(crm_buf_str(&a), crm_buf_str(&b));
	crm_buf_free(&a);
	crm_buf_free(&b);
}

static void buf__reset__empties_and_keeps_memory(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *before;
	size_t cap;

	(void)state;
	crm_buf_reset(&b); /* on a buffer that never held anything */
	assert_null(b.data);
	assert_string_equal(crm_buf_str(&b), "");
	crm_buf_adds(&b, "some text that fills the buffer a bit");
	before = b.data;
	cap = b.cap;
	crm_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap);
	assert_ptr_equal(b.data, before);
	assert_string_equal(crm_buf_str(&b), "");
	crm_buf_adds(&b, "new");
	assert_buf(&b, "new");
	assert_ptr_equal(b.data, before);
	crm_buf_free(&b);
}

static void buf__free__back_to_init_state(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	crm_buf_free(&b); /* freeing an empty buffer is fine */
	crm_buf_adds(&b, "abc");
	crm_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	crm_buf_adds(&b, "reused");
	assert_buf(&b, "reused");
	crm_buf_free(&b);
}

static void buf__grow__reserves_room_without_moving(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *before;

	(void)state;
	crm_buf_adds(&b, "ab");
	crm_buf_grow(&b, 1000);
	assert_true(b.cap >= 2 + 1000 + 1);
	assert_buf(&b, "ab");
	before = b.data;
	for (int i = 0; i < 1000; i++)
		crm_buf_addc(&b, 'c');
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.len, 1002);
	crm_buf_grow(&b, 0);
	assert_ptr_equal(b.data, before);
	crm_buf_free(&b);
}

static void buf__grow_overflowing__does_not_return(void **state)
{
	/* Asking for more room than memory can hold must end the process
	 * (xalloc's out-of-memory exit), never return as if the room were
	 * there. Run in a child so the test survives. */
	static const size_t lens[] = { 0, 1, 5, 63 };

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			struct crm_buf b = CRM_BUF_INIT;
			int fd = open("/dev/null", O_WRONLY);

			/* quiet the out-of-memory message or sanitizer report */
			if (fd >= 0)
				dup2(fd, 2);
			for (size_t k = 0; k < lens[i]; k++)
				crm_buf_addc(&b, 'x');
			crm_buf_grow(&b, SIZE_MAX - lens[i] / 2);
			_exit(0); /* returned: the room was not there */
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			fail_msg("crm_buf_grow returned with len %zu", lens[i]);
	}
}

static void buf__many_appends__content_intact(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;

	(void)state;
	for (int i = 0; i < 100000; i++)
		crm_buf_addf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 200000);
	for (size_t i = 0; i < b.len; i += 2) {
		if (b.data[i] != (char)('0' + (i / 2) % 10) ||
		    b.data[i + 1] != ',')
			fail_msg("wrong byte at %zu", i);
	}
	assert_int_equal(b.data[b.len], '\0');
	crm_buf_free(&b);
}

static void buf__detach__hands_over_and_empties(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	char *s;

	(void)state;
	crm_buf_adds(&b, "mine now");
	s = crm_buf_detach(&b);
	assert_string_equal(s, "mine now");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
	crm_buf_adds(&b, "again");
	assert_buf(&b, "again");
	crm_buf_free(&b);
}

static void buf__detach_empty__returns_freeable_empty_string(void **state)
{
	struct crm_buf b = CRM_BUF_INIT;
	char *s;

	(void)state;
	s = crm_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_null(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf__init__empty_without_memory),
		cmocka_unit_test(buf__str_of_empty__empty_string),
		cmocka_unit_test(buf__add__appends_bytes_and_terminates),
		cmocka_unit_test(buf__add_zero_bytes__still_a_string),
		cmocka_unit_test(buf__add_nul_bytes__kept),
		cmocka_unit_test(buf__adds_and_addc__append),
		cmocka_unit_test(buf__addf_short__formatted),
		cmocka_unit_test(buf__addf_long__grows_and_formats_whole),
		cmocka_unit_test(buf__addf_exactly_fills_room__not_truncated),
		cmocka_unit_test(buf__vaddf__same_as_addf),
		cmocka_unit_test(buf__reset__empties_and_keeps_memory),
		cmocka_unit_test(buf__free__back_to_init_state),
		cmocka_unit_test(buf__grow__reserves_room_without_moving),
		cmocka_unit_test(buf__grow_overflowing__does_not_return),
		cmocka_unit_test(buf__many_appends__content_intact),
		cmocka_unit_test(buf__detach__hands_over_and_empties),
		cmocka_unit_test(buf__detach_empty__returns_freeable_empty_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
