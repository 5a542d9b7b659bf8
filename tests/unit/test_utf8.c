/* test_utf8.c - unit tests for lib/utf8.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/utf8.h"

/* s is a string literal possibly holding NUL bytes: its length without the
 * terminating NUL. */
#define LIT(s) (s), (sizeof(s) - 1)

static void assert_decodes(const char *s, size_t n, int want_len,
			   uint32_t want_cp)
{
	uint32_t cp = 0xDEADBEEF;

	assert_int_equal(crm_utf8_decode(s, n, &cp), want_len);
	assert_int_equal(cp, want_cp);
}

static void assert_rejects(const char *s, size_t n)
{
	uint32_t cp = 0xDEADBEEF;

	assert_int_equal(crm_utf8_decode(s, n, &cp), -1);
	assert_int_equal(cp, 0xDEADBEEF);
}

static void assert_invalid_at(const char *s, size_t n, size_t want_at)
{
	size_t at = (size_t)-1;

	assert_int_equal(crm_utf8_valid(s, n, &at), 0);
	assert_int_equal(at, want_at);
}

/* ---- crm_utf8_decode ---- */

static void utf8__decode_ascii__one_byte(void **state)
{
	(void)state;
	assert_decodes(LIT("A"), 1, 'A');
	assert_decodes(LIT("\x7f"), 1, 0x7F);
	assert_decodes("\0", 1, 1, 0);
	assert_decodes(LIT("abc"), 1, 'a');
}

static void utf8__decode_multibyte__code_point_and_length(void **state)
{
	(void)state;
	assert_decodes(LIT("\xc2\x80"), 2, 0x80);
	assert_decodes(LIT("\xc3\xa9"), 2, 0xE9);
	assert_decodes(LIT("\xdf\xbf"), 2, 0x7FF);
	assert_decodes(LIT("\xe0\xa0\x80"), 3, 0x800);
	assert_decodes(LIT("\xe2\x82\xac"), 3, 0x20AC);
	assert_decodes(LIT("\xed\x9f\xbf"), 3, 0xD7FF);
	assert_decodes(LIT("\xee\x80\x80"), 3, 0xE000);
	assert_decodes(LIT("\xef\xbf\xbf"), 3, 0xFFFF);
	assert_decodes(LIT("\xf0\x90\x80\x80"), 4, 0x10000);
	assert_decodes(LIT("\xf0\x9f\x98\x80"), 4, 0x1F600);
	assert_decodes(LIT("\xf4\x8f\xbf\xbf"), 4, 0x10FFFF);
	/* only the first character is decoded */
	assert_decodes(LIT("\xc3\xa9z"), 2, 0xE9);
}

static void utf8__decode_overlong__rejected(void **state)
{
	(void)state;
	assert_rejects(LIT("\xc0\x80"));          /* NUL in 2 bytes */
	assert_rejects(LIT("\xc0\xaf"));          /* "/" in 2 bytes */
	assert_rejects(LIT("\xc1\xbf"));          /* U+007F in 2 bytes */
	assert_rejects(LIT("\xe0\x80\x80"));      /* NUL in 3 bytes */
	assert_rejects(LIT("\xe0\x9f\xbf"));      /* U+07FF in 3 bytes */
	assert_rejects(LIT("\xf0\x80\x80\x80"));  /* NUL in 4 bytes */
	assert_rejects(LIT("\xf0\x8f\xbf\xbf"));  /* U+FFFF in 4 bytes */
}

static void utf8__decode_surrogates__rejected(void **state)
{
	(void)state;
	assert_rejects(LIT("\xed\xa0\x80"));  /* U+D800 */
	assert_rejects(LIT("\xed\xad\xbf"));  /* U+DB7F */
	assert_rejects(LIT("\xed\xb0\x80"));  /* U+DC00 */
	assert_rejects(LIT("\xed\xbf\xbf"));  /* U+DFFF */
	/* a CESU-8 pair for U+1F600 */
	assert_rejects(LIT("\xed\xa0\xbd\xed\xb8\x80"));
}

static void utf8__decode_out_of_range__rejected(void **state)
{
	(void)state;
	assert_rejects(LIT("\xf4\x90\x80\x80"));  /* U+110000 */
	assert_rejects(LIT("\xf5\x80\x80\x80"));
	assert_rejects(LIT("\xf7\xbf\xbf\xbf"));
	assert_rejects(LIT("\xf8\x88\x80\x80\x80"));
	assert_rejects(LIT("\xfc\x84\x80\x80\x80\x80"));
	assert_rejects(LIT("\xfe"));
	assert_rejects(LIT("\xff"));
}

static void utf8__decode_bad_continuation__rejected(void **state)
{
	(void)state;
	assert_rejects(LIT("\x80"));              /* lone continuation */
	assert_rejects(LIT("\xbf"));
	assert_rejects(LIT("\xc3("));             /* ASCII, not continuation */
	assert_rejects(LIT("\xe2(\xa1"));
	assert_rejects(LIT("\xe2\x82("));
	assert_rejects(LIT("\xf0\x9f\x98("));
	assert_rejects(LIT("\xc3\xc3\xa9"));      /* lead byte, not continuation */
}

static void utf8__decode_truncated__rejected(void **state)
{
	(void)state;
	assert_rejects("", 0);
	assert_rejects(LIT("\xc3"));
	assert_rejects(LIT("\xe2\x82"));
	assert_rejects(LIT("\xf0\x9f\x98"));
	/* n cuts a sequence that the bytes after it would complete */
	assert_rejects("\xe2\x82\xac", 2);
	assert_rejects("\xf0\x9f\x98\x80", 3);
	assert_rejects("\xc3\xa9", 1);
}

static void utf8__decode_every_code_point__round_trips(void **state)
{
	(void)state;
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		unsigned char b[4];
		uint32_t cp = 0;
		int len;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (c < 0x80) {
			b[0] = (unsigned char)c;
			len = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xC0 | c >> 6);
			b[1] = (unsigned char)(0x80 | (c & 0x3F));
			len = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xE0 | c >> 12);
			b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			b[2] = (unsigned char)(0x80 | (c & 0x3F));
			len = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | c >> 18);
			b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
			b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			b[3] = (unsigned char)(0x80 | (c & 0x3F));
			len = 4;
		}
		if (crm_utf8_decode((const char *)b, (size_t)len, &cp) != len ||
		    cp != c)
			fail_msg("U+%04X did not round-trip", (unsigned)c);
		if (crm_utf8_decode((const char *)b, (size_t)len - 1, &cp) != -1
		    && len > 1)
			fail_msg("U+%04X decoded from a truncated sequence",
				 (unsigned)c);
	}
}

/* ---- crm_utf8_valid ---- */

static void utf8__valid_good_text__returns_one(void **state)
{
	size_t at = 42;

	(void)state;
	assert_int_equal(crm_utf8_valid("", 0, &at), 1);
	assert_int_equal(crm_utf8_valid(LIT("plain ascii\t\r\n"), &at), 1);
	assert_int_equal(crm_utf8_valid(LIT("Zo\xc3\xab \xe4\xb8\xad"
					    "\xf0\x9f\x98\x80 e\xcc\x81"),
					&at), 1);
	assert_int_equal(crm_utf8_valid(LIT("\xf4\x8f\xbf\xbf\xef\xbf\xbf"),
					NULL), 1);
	assert_int_equal(at, 42); /* untouched on success */
}

static void utf8__valid_nul_byte__rejected_at_offset(void **state)
{
	(void)state;
	assert_invalid_at(LIT("ab\0cd"), 2);
	assert_invalid_at("\0", 1, 0);
	assert_invalid_at(LIT("\xc3\xa9\0"), 2);
	assert_int_equal(crm_utf8_valid(LIT("ab\0cd"), NULL), 0);
}

static void utf8__valid_overlong__rejected_at_offset(void **state)
{
	(void)state;
	assert_invalid_at(LIT("abc\xc0\xaf"), 3);
	assert_invalid_at(LIT("\xe0\x80\xaf"), 0);
	assert_invalid_at(LIT("x\xf0\x82\x82\xac"), 1);
}

static void utf8__valid_surrogate__rejected_at_offset(void **state)
{
	(void)state;
	assert_invalid_at(LIT("ok \xed\xa0\x80"), 3);
	assert_invalid_at(LIT("\xed\xbf\xbf"), 0);
}

static void utf8__valid_truncated__rejected_at_offset(void **state)
{
	(void)state;
	assert_invalid_at(LIT("caf\xc3"), 3);
	assert_invalid_at(LIT("\xe2\x82\xac\xe2\x82"), 3);
	assert_invalid_at("\xe2\x82\xac", 2, 0);
	assert_invalid_at(LIT("\xf0\x9f\x98"), 0);
}

static void utf8__valid_stray_bytes__rejected_at_offset(void **state)
{
	(void)state;
	assert_invalid_at(LIT("abc\x80"), 3);
	assert_invalid_at(LIT("\xff"), 0);
	assert_invalid_at(LIT("\xc3\xa9\xc3("), 2);
	assert_invalid_at(LIT("\xf4\x90\x80\x80"), 0);
	/* Latin-1 text, the most common mistake */
	assert_invalid_at(LIT("caf\xe9 au lait"), 3);
}

static void utf8__valid_n_limits_scan__bytes_after_n_ignored(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_valid("abc\xff", 3, NULL), 1);
	assert_int_equal(crm_utf8_valid("ab\0", 2, NULL), 1);
}

/* ---- crm_utf8_cp_width ---- */

static void utf8__cp_width_ascii_and_latin__one(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_cp_width('a'), 1);
	assert_int_equal(crm_utf8_cp_width(' '), 1);
	assert_int_equal(crm_utf8_cp_width('~'), 1);
	assert_int_equal(crm_utf8_cp_width(0xE9), 1);     /* é */
	assert_int_equal(crm_utf8_cp_width(0x0416), 1);   /* Cyrillic Zhe */
	assert_int_equal(crm_utf8_cp_width(0x05D0), 1);   /* Hebrew alef */
	assert_int_equal(crm_utf8_cp_width(0x20AC), 1);   /* euro sign */
	assert_int_equal(crm_utf8_cp_width(0xFFFD), 1);
}

static void utf8__cp_width_control__one(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_cp_width(0x00), 1);
	assert_int_equal(crm_utf8_cp_width('\t'), 1);
	assert_int_equal(crm_utf8_cp_width('\n'), 1);
	assert_int_equal(crm_utf8_cp_width(0x1B), 1);
	assert_int_equal(crm_utf8_cp_width(0x7F), 1);
	assert_int_equal(crm_utf8_cp_width(0x9B), 1);
}

static void utf8__cp_width_combining_and_zero_width__zero(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_cp_width(0x0300), 0);   /* grave */
	assert_int_equal(crm_utf8_cp_width(0x0301), 0);   /* acute */
	assert_int_equal(crm_utf8_cp_width(0x036F), 0);
	assert_int_equal(crm_utf8_cp_width(0x0591), 0);   /* Hebrew accent */
	assert_int_equal(crm_utf8_cp_width(0x064B), 0);   /* Arabic fathatan */
	assert_int_equal(crm_utf8_cp_width(0x094D), 0);   /* Devanagari virama */
	assert_int_equal(crm_utf8_cp_width(0x200B), 0);   /* zero width space */
	assert_int_equal(crm_utf8_cp_width(0x200D), 0);   /* ZWJ */
	assert_int_equal(crm_utf8_cp_width(0x20E3), 0);   /* keycap */
	assert_int_equal(crm_utf8_cp_width(0xFE0F), 0);   /* VS16 */
	assert_int_equal(crm_utf8_cp_width(0xFEFF), 0);   /* BOM */
	assert_int_equal(crm_utf8_cp_width(0xE0100), 0);
	/* neighbours of the ranges */
	assert_int_equal(crm_utf8_cp_width(0x02FF), 1);
	assert_int_equal(crm_utf8_cp_width(0x0370), 1);
	assert_int_equal(crm_utf8_cp_width(0x200A), 1);
}

static void utf8__cp_width_cjk_and_fullwidth__two(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_cp_width(0x4E2D), 2);   /* 中 */
	assert_int_equal(crm_utf8_cp_width(0x4E00), 2);
	assert_int_equal(crm_utf8_cp_width(0x9FFF), 2);
	assert_int_equal(crm_utf8_cp_width(0x3042), 2);   /* hiragana a */
	assert_int_equal(crm_utf8_cp_width(0x30A2), 2);   /* katakana a */
	assert_int_equal(crm_utf8_cp_width(0x3000), 2);   /* ideographic space */
	assert_int_equal(crm_utf8_cp_width(0xAC00), 2);   /* hangul ga */
	assert_int_equal(crm_utf8_cp_width(0xD7A3), 2);
	assert_int_equal(crm_utf8_cp_width(0x1100), 2);   /* hangul jamo */
	assert_int_equal(crm_utf8_cp_width(0xFF21), 2);   /* fullwidth A */
	assert_int_equal(crm_utf8_cp_width(0xFFE0), 2);
	assert_int_equal(crm_utf8_cp_width(0x20000), 2);  /* ext. B */
	/* neighbours */
	assert_int_equal(crm_utf8_cp_width(0xFF61), 1);   /* halfwidth */
	assert_int_equal(crm_utf8_cp_width(0xD7A4), 1);
}

static void utf8__cp_width_emoji__two(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_cp_width(0x1F600), 2);  /* grinning face */
	assert_int_equal(crm_utf8_cp_width(0x1F389), 2);  /* party popper */
	assert_int_equal(crm_utf8_cp_width(0x1F680), 2);  /* rocket */
	assert_int_equal(crm_utf8_cp_width(0x1F914), 2);  /* thinking face */
	assert_int_equal(crm_utf8_cp_width(0x1FA90), 2);
	assert_int_equal(crm_utf8_cp_width(0x2705), 2);   /* check mark */
	assert_int_equal(crm_utf8_cp_width(0x231A), 2);   /* watch */
	assert_int_equal(crm_utf8_cp_width(0x2B50), 2);   /* star */
}

/* ---- crm_utf8_width ---- */

static void utf8__width_ascii__one_per_byte(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_width("", 0), 0);
	assert_int_equal(crm_utf8_width(LIT("hello")), 5);
	assert_int_equal(crm_utf8_width(LIT("a b\tc")), 5);
	assert_int_equal(crm_utf8_width("hello", 2), 2);
}

static void utf8__width_combining__not_counted(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_width(LIT("e\xcc\x81")), 1);
	assert_int_equal(crm_utf8_width(LIT("Jose\xcc\x81")), 4);
	assert_int_equal(crm_utf8_width(LIT("a\xcc\x81\xcc\xa7")), 1);
	assert_int_equal(crm_utf8_width(LIT("\xc3\xa9")), 1); /* precomposed */
}

static void utf8__width_cjk__two_per_character(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_width(LIT("\xe4\xb8\xad\xe6\x96\x87")), 4);
	assert_int_equal(crm_utf8_width(LIT("\xe5\xbc\xa0 Wei")), 6);
	assert_int_equal(crm_utf8_width(LIT("\xed\x95\x9c\xea\xb8\x80")), 4);
	assert_int_equal(crm_utf8_width(LIT("\xef\xbc\xa1\xef\xbc\xa2")), 4);
}

static void utf8__width_emoji__two_per_character(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_width(LIT("\xf0\x9f\x98\x80")), 2);
	assert_int_equal(crm_utf8_width(LIT("ok \xf0\x9f\x91\x8d")), 5);
	/* a ZWJ sequence counts its parts: 2 + 0 + 2 */
	assert_int_equal(crm_utf8_width(LIT("\xf0\x9f\x91\xa9\xe2\x80\x8d"
					    "\xf0\x9f\x92\xbb")), 4);
}

static void utf8__width_invalid_bytes__one_each(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_width(LIT("\xff")), 1);
	assert_int_equal(crm_utf8_width(LIT("caf\xe9")), 4);
	assert_int_equal(crm_utf8_width(LIT("\xe2\x82")), 2);
	assert_int_equal(crm_utf8_width(LIT("\xed\xa0\x80")), 3);
	assert_int_equal(crm_utf8_width(LIT("\xc0\xaf")), 2);
	assert_int_equal(crm_utf8_width("\xe4\xb8\xad", 2), 2);
}

/* ---- crm_utf8_prefix_for_width ---- */

static void utf8__prefix_ascii__cols_bytes(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_prefix_for_width(LIT("hello"), 0), 0);
	assert_int_equal(crm_utf8_prefix_for_width(LIT("hello"), 3), 3);
	assert_int_equal(crm_utf8_prefix_for_width(LIT("hello"), 5), 5);
	assert_int_equal(crm_utf8_prefix_for_width(LIT("hello"), 99), 5);
	assert_int_equal(crm_utf8_prefix_for_width("", 0, 5), 0);
}

static void utf8__prefix_wide_char__not_split(void **state)
{
	const char *s = "\xe4\xb8\xad\xe6\x96\x87"; /* 2 + 2 columns */

	(void)state;
	assert_int_equal(crm_utf8_prefix_for_width(s, 6, 0), 0);
	assert_int_equal(crm_utf8_prefix_for_width(s, 6, 1), 0);
	assert_int_equal(crm_utf8_prefix_for_width(s, 6, 2), 3);
	assert_int_equal(crm_utf8_prefix_for_width(s, 6, 3), 3);
	assert_int_equal(crm_utf8_prefix_for_width(s, 6, 4), 6);
	assert_int_equal(crm_utf8_prefix_for_width(LIT("a\xf0\x9f\x98\x80"),
						   2), 1);
	assert_int_equal(crm_utf8_prefix_for_width(LIT("a\xf0\x9f\x98\x80"),
						   3), 5);
}

static void utf8__prefix_multibyte_narrow__not_split(void **state)
{
	const char *s = "\xc3\xa9\xc3\xa9\xe2\x82\xac"; /* é é € */

	(void)state;
	assert_int_equal(crm_utf8_prefix_for_width(s, 7, 1), 2);
	assert_int_equal(crm_utf8_prefix_for_width(s, 7, 2), 4);
	assert_int_equal(crm_utf8_prefix_for_width(s, 7, 3), 7);
}

static void utf8__prefix_combining_mark__kept_with_its_base(void **state)
{
	const char *s = "e\xcc\x81x"; /* e + U+0301, x */

	(void)state;
	assert_int_equal(crm_utf8_prefix_for_width(s, 4, 0), 0);
	assert_int_equal(crm_utf8_prefix_for_width(s, 4, 1), 3);
	assert_int_equal(crm_utf8_prefix_for_width(s, 4, 2), 4);
}

static void utf8__prefix_invalid_bytes__one_column_each(void **state)
{
	(void)state;
	assert_int_equal(crm_utf8_prefix_for_width(LIT("\xff\xfe\xfd"), 2), 2);
	assert_int_equal(crm_utf8_prefix_for_width(LIT("a\xe2\x82"), 2), 2);
}

static void utf8__prefix_any_width__valid_and_fits(void **state)
{
	static const char s[] = "A\xc3\xa9\xe4\xb8\xad" "e\xcc\x81"
				"\xf0\x9f\x98\x80" "b\xe2\x80\x8d\xef\xbc\xa1"
				"\xcc\x81" "z";
	size_t n = sizeof(s) - 1, total = crm_utf8_width(s, n);

	(void)state;
	for (size_t cols = 0; cols <= total + 1; cols++) {
		size_t k = crm_utf8_prefix_for_width(s, n, cols);
		uint32_t cp;

		assert_true(k <= n);
		assert_int_equal(crm_utf8_valid(s, k, NULL), 1);
		assert_true(crm_utf8_width(s, k) <= cols);
		if (k < n) {
			/* the next character would not have fitted */
			int len = crm_utf8_decode(s + k, n - k, &cp);

			assert_true(len > 0);
			assert_true(crm_utf8_width(s, k + (size_t)len) > cols);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8__decode_ascii__one_byte),
		cmocka_unit_test(utf8__decode_multibyte__code_point_and_length),
		cmocka_unit_test(utf8__decode_overlong__rejected),
		cmocka_unit_test(utf8__decode_surrogates__rejected),
		cmocka_unit_test(utf8__decode_out_of_range__rejected),
		cmocka_unit_test(utf8__decode_bad_continuation__rejected),
		cmocka_unit_test(utf8__decode_truncated__rejected),
		cmocka_unit_test(utf8__decode_every_code_point__round_trips),
		cmocka_unit_test(utf8__valid_good_text__returns_one),
		cmocka_unit_test(utf8__valid_nul_byte__rejected_at_offset),
		cmocka_unit_test(utf8__valid_overlong__rejected_at_offset),
		cmocka_unit_test(utf8__valid_surrogate__rejected_at_offset),
		cmocka_unit_test(utf8__valid_truncated__rejected_at_offset),
		cmocka_unit_test(utf8__valid_stray_bytes__rejected_at_offset),
		cmocka_unit_test(utf8__valid_n_limits_scan__bytes_after_n_ignored),
		cmocka_unit_test(utf8__cp_width_ascii_and_latin__one),
		cmocka_unit_test(utf8__cp_width_control__one),
		cmocka_unit_test(utf8__cp_width_combining_and_zero_width__zero),
		cmocka_unit_test(utf8__cp_width_cjk_and_fullwidth__two),
		cmocka_unit_test(utf8__cp_width_emoji__two),
		cmocka_unit_test(utf8__width_ascii__one_per_byte),
		cmocka_unit_test(utf8__width_combining__not_counted),
		cmocka_unit_test(utf8__width_cjk__two_per_character),
		cmocka_unit_test(utf8__width_emoji__two_per_character),
		cmocka_unit_test(utf8__width_invalid_bytes__one_each),
		cmocka_unit_test(utf8__prefix_ascii__cols_bytes),
		cmocka_unit_test(utf8__prefix_wide_char__not_split),
		cmocka_unit_test(utf8__prefix_multibyte_narrow__not_split),
		cmocka_unit_test(utf8__prefix_combining_mark__kept_with_its_base),
		cmocka_unit_test(utf8__prefix_invalid_bytes__one_column_each),
		cmocka_unit_test(utf8__prefix_any_width__valid_and_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
