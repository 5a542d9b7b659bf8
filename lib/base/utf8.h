/* utf8.h - UTF-8 validation and display width. */
#ifndef CRM_UTF8_H
#define CRM_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..n). Returns the number of bytes used
 * (1-4), or -1 for an invalid, overlong, surrogate or truncated sequence. */
int crm_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* 1 if s[0..n) is valid UTF-8 (RFC 3629) without NUL bytes, else 0.
 * On failure *bad_at (if not NULL) is the byte offset of the first bad byte. */
int crm_utf8_valid(const char *s, size_t n, size_t *bad_at);

/* Columns a terminal uses for one code point: 0 for combining marks and
 * zero-width characters, 2 for East Asian wide and fullwidth characters and
 * emoji, 1 otherwise. Control characters count 1 (callers escape them). */
int crm_utf8_cp_width(uint32_t cp);

/* Display width of s[0..n); invalid bytes count one column each. */
size_t crm_utf8_width(const char *s, size_t n);

/* Length in bytes of the longest prefix of s[0..n) whose display width is at
 * most cols, never splitting a character. */
size_t crm_utf8_prefix_for_width(const char *s, size_t n, size_t cols);

#endif
