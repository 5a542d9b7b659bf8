/* test_fileid.c - unit tests for lib/base/hash64.c (XXH64 against the
 * reference values) and lib/io/fileid.c (a file's size and digest). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/hash64.h"
#include "io/fileid.h"

/* The values of the reference implementation (xxhsum -H1). */
static void hash64__reference_values(void **state)
{
	static const char spam[] = "Nobody inspects the spammish repetition";

	(void)state;
	assert_true(crm_hash64("", 0, 0) == 0xEF46DB3751D8E999ULL);
	assert_true(crm_hash64("a", 1, 0) == 0xD24EC4F1A98C6E5BULL);
	assert_true(crm_hash64("abc", 3, 0) == 0x44BC2CF5AD770999ULL);
	/* 39 bytes: a 32-byte stripe, then 4 bytes and 3 */
	assert_true(crm_hash64(spam, strlen(spam), 0) == 0xFBCEA83C8A378BF1ULL);
	/* the seed matters; so does every byte, wherever it is */
	assert_true(crm_hash64("abc", 3, 1) != crm_hash64("abc", 3, 0));
	assert_true(crm_hash64("abd", 3, 0) != crm_hash64("abc", 3, 0));
}

static void hash64__unaligned__same_value(void **state)
{
	uint64_t words[8];
	char other[80];

	(void)state;
	for (int i = 0; i < 8; i++)
		words[i] = 0x0101010101010101ULL * (uint64_t)(i + 3);
	memcpy(other + 3, words, sizeof(words));
	assert_true(crm_hash64(words, sizeof(words), 5) == crm_hash64(other + 3, sizeof(words), 5));
}

/* A file of n bytes (each its offset's low byte, but byte at gets 'X'
 * when at < n), open read-only. */
static int file_of(char *path, size_t n, size_t at)
{
	int fd;
	unsigned char *b = malloc(n > 0 ? n : 1);

	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)i;
	if (at < n)
		b[at] = 'X';
	strcpy(path, "/tmp/crm-test-fileid-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	free(b);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static struct crm_fileid id_of(size_t n, size_t at)
{
	char path[64];
	struct crm_fileid id;
	struct crm_err e = { 0, "" };
	int fd = file_of(path, n, at);

	assert_int_equal(crm_fileid_of(fd, &id, &e), 0);
	/* pread: the file's own position is left alone */
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
	unlink(path);
	assert_true(id.size == n);
	return id;
}

/* The same bytes, the same identity; one byte changed anywhere (in the
 * first MiB chunk, the middle, the last one) another, at the same size. */
static void fileid__one_byte_changed__another_digest(void **state)
{
	const size_t n = 3 * 1024 * 1024 + 5;
	struct crm_fileid a = id_of(n, n), b = id_of(n, n);
	size_t at[] = { 0, 1024 * 1024 - 1, 1024 * 1024, 2 * 1024 * 1024 + 77, n - 1 };
	char hex[17];

	(void)state;
	assert_true(a.digest == b.digest);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		struct crm_fileid c = id_of(n, at[i]);

		assert_true(c.size == a.size);
		if (c.digest == a.digest)
			fail_msg("a change at byte %zu kept the digest", at[i]);
	}
	/* a file of one chunk hashes as the bytes do */
	a = id_of(3, 3);
	assert_true(a.digest == crm_hash64("\x00\x01\x02", 3, 0));
	crm_fileid_hex(&a, hex);
	assert_int_equal(strlen(hex), 16);
	assert_true(strtoull(hex, NULL, 16) == a.digest);
	/* an empty file: nothing read, nothing hashed */
	a = id_of(0, 0);
	assert_true(a.size == 0 && a.digest == 0);
}

static void fileid__not_a_regular_file__noinput(void **state)
{
	struct crm_fileid id;
	struct crm_err e = { 0, "" };
	int fd = open("/dev/null", O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(crm_fileid_of(fd, &id, &e), CRM_EX_NOINPUT);
	assert_string_equal(e.msg, "not a regular file");
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash64__reference_values),
		cmocka_unit_test(hash64__unaligned__same_value),
		cmocka_unit_test(fileid__one_byte_changed__another_digest),
		cmocka_unit_test(fileid__not_a_regular_file__noinput),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
