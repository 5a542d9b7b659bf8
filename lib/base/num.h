/* num.h - numbers parsed with range checks (after OpenBSD strtonum). */
#ifndef CRM_NUM_H
#define CRM_NUM_H

#include <stdint.h>

/* Parses a whole decimal integer (optional sign, no spaces, no trailing
 * text) into *out if min <= value <= max. Returns 0 on success; -1 with
 * *errstr set to "invalid", "too small" or "too large". */
int crm_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out,
		  const char **errstr);

/* Parses a money amount such as "12", "12.3", "-12.30", "1234.5" in a
 * currency with `decimals` minor digits (2 for EUR) into minor units.
 * Accepts a '.' decimal point only; rejects thousands separators, more
 * fraction digits than `decimals`, and values beyond +-(2^53) minor units.
 * Returns 0 or -1 with *errstr set: "invalid" (syntax; also ".5" and "5."
 * since a point needs digits on both sides, any point when decimals is 0,
 * and decimals outside 0..4), "too many decimals" (even "1.230" for 2),
 * "too large" (magnitude beyond 2^53, either sign). */
int crm_parse_money(const char *s, int decimals, int64_t *minor,
		    const char **errstr);

/* Numbers as spreadsheets write them, in the notation of decimal mark
 * `mark` ('.' or ','), rewritten into the plain form "[-]DIGITS[.DIGITS]"
 * that crm_parse_money and SQLite read; a leading '+' is dropped, and
 * spaces are allowed only as separators. The whole part may be grouped
 * in thousands: a first group of 1 to 3 digits not starting with 0, then
 * groups of exactly 3 digits, each after the same separator: ',' with
 * mark '.', '.' with mark ','; a space, U+00A0 or U+202F with either.
 * So with '.': "1,234.50" and "1 234.50"; with ',': "1.234,50",
 * "1 234,50", and "1.234" is 1234. A mark needs digits on both sides.
 * Rejected as "invalid": "1,23.4", "12,3.4", "1,2345", "0,500" (with
 * '.'), mixed separators, a blank cell, any other text. out needs room
 * for strlen(s) + 1 bytes. Returns 0, or -1 with *errstr set. */
int crm_num_plain(const char *s, char mark, char *out, const char **errstr);

/* crm_parse_money on a number in the notation of crm_num_plain; mark 0
 * is crm_parse_money itself (a dot, no thousands separators). */
int crm_parse_money_mark(const char *s, char mark, int decimals,
			 int64_t *minor, const char **errstr);

/* Writes minor units as a decimal string ("-12.30") into out (>= 32 bytes).
 * Any int64_t works; decimals is clamped to 0..18. */
void crm_format_money(int64_t minor, int decimals, char out[32]);

#endif
