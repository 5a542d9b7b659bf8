/* num.c - numbers parsed with range checks (after OpenBSD strtonum).
 *
 * Both parsers check the syntax of the whole string first, then the value,
 * so "99999999999999999999x" is "invalid", not "too large". Digits are
 * ASCII '0'-'9' whatever the locale. On failure *out / *minor is left
 * untouched; on success *errstr is set to NULL.
 *
 * Money decisions beyond num.h:
 *   - Syntax: [+-]DIGITS[.DIGITS]. A point needs digits on both sides
 *     (".5" and "5." are "invalid"); decimals 0 allows no point at all.
 *     Leading zeros are fine ("007.50").
 *   - More fraction digits than `decimals` is "too many decimals", even
 *     when they are zeros ("1.230" for 2 decimals): the input is not
 *     rounded or reinterpreted.
 *   - A magnitude beyond 2^53 minor units is "too large" for either sign
 *     (2^53 itself is accepted), so every amount survives a trip through
 *     a double (JSON, spreadsheets).
 *   - decimals outside 0..4 is "invalid".
 */
#include "base/num.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define MONEY_MAX	(UINT64_C(1) << 53)
#define MONEY_DEC_MAX	4

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int fail(const char **errstr, const char *why)
{
	if (errstr != NULL)
		*errstr = why;
	return -1;
}

static int ok(const char **errstr)
{
	if (errstr != NULL)
		*errstr = NULL;
	return 0;
}

/* Scans a run of digits at *pp into *val, saturating at cap + 1, and
 * advances past it. Returns the number of digits read. */
static size_t scan_digits(const char **pp, uint64_t cap, uint64_t *val)
{
	const char *p = *pp;
	uint64_t v = 0;

	for (; is_digit(*p); p++) {
		unsigned dig = (unsigned)(*p - '0');

		if (v > (cap - dig) / 10)
			v = cap + 1;
		else
			v = v * 10 + dig;
	}
	*val = v;
	size_t n = (size_t)(p - *pp);
	*pp = p;
	return n;
}

int crm_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out,
		  const char **errstr)
{
	/* the magnitude of INT64_MIN, the largest we ever need */
	const uint64_t cap = (uint64_t)INT64_MAX + 1;
	const char *p = s;
	uint64_t mag;
	int64_t v;
	int neg = 0;

	if (s == NULL || min > max)
		return fail(errstr, "invalid");
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (scan_digits(&p, cap, &mag) == 0 || *p != '\0')
		return fail(errstr, "invalid");

	if (neg) {
		if (mag > cap)
			return fail(errstr, "too small");
		v = mag == cap ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return fail(errstr, "too large");
		v = (int64_t)mag;
	}
	if (v < min)
		return fail(errstr, "too small");
	if (v > max)
		return fail(errstr, "too large");
	*out = v;
	return ok(errstr);
}

int crm_parse_money(const char *s, int decimals, int64_t *minor,
		    const char **errstr)
{
	const char *p = s;
	uint64_t whole, frac = 0, scale = 1, mag;
	size_t nfrac = 0;
	int neg = 0;

	if (s == NULL || decimals < 0 || decimals > MONEY_DEC_MAX)
		return fail(errstr, "invalid");
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (scan_digits(&p, MONEY_MAX, &whole) == 0)
		return fail(errstr, "invalid");
	if (*p == '.') {
		p++;
		nfrac = scan_digits(&p, MONEY_MAX, &frac);
		if (nfrac == 0 || decimals == 0)
			return fail(errstr, "invalid");
	}
	if (*p != '\0')
		return fail(errstr, "invalid");
	if (nfrac > (size_t)decimals)
		return fail(errstr, "too many decimals");

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	/* whole <= 2^53 + 1 and scale <= 10^4: no overflow below */
	if (whole > MONEY_MAX / scale)
		return fail(errstr, "too large");
	for (size_t i = nfrac; i < (size_t)decimals; i++)
		frac *= 10;
	mag = whole * scale + frac;
	if (mag > MONEY_MAX)
		return fail(errstr, "too large");
	*minor = neg ? -(int64_t)mag : (int64_t)mag;
	return ok(errstr);
}

/* The length of a thousands separator at p that may go with mark, or 0:
 * the other of '.' and ',', or a space, U+00A0 or U+202F. */
static size_t group_sep(const char *p, char mark)
{
	if (*p == ' ' || (*p == ',' && mark == '.') || (*p == '.' && mark == ','))
		return 1;
	if (memcmp(p, "\xC2\xA0", 2) == 0)
		return 2;
	if (p[0] == '\xE2' && p[1] == '\x80' && p[2] == '\xAF')
		return 3;
	return 0;
}

int crm_num_plain(const char *s, char mark, char *out, const char **errstr)
{
	const char *p = s, *end, *sep = NULL;
	size_t seplen = 0, n = 0, run;

	if (s == NULL || (mark != '.' && mark != ','))
		return fail(errstr, "invalid");
	end = p + strlen(p);
	if (*p == '+' || *p == '-') {
		if (*p == '-')
			out[n++] = '-';
		p++;
	}
	for (run = 0; p + run < end && is_digit(p[run]); run++)
		out[n++] = p[run];
	if (run == 0)
		return fail(errstr, "invalid");
	p += run;
	/* Grouped: the first group 1-3 digits, no leading 0 (a "0.500"
	 * with mark ',' is too likely a decimal point to read as 500). */
	if (p < end && group_sep(p, mark) > 0) {
		if (run > 3 || *(p - run) == '0')
			return fail(errstr, "invalid");
		sep = p;
		seplen = group_sep(p, mark);
	}
	while (sep != NULL && p < end && *p != mark) {
		if ((size_t)(end - p) < seplen + 3 || memcmp(p, sep, seplen) != 0 ||
		    !is_digit(p[seplen]) || !is_digit(p[seplen + 1]) ||
		    !is_digit(p[seplen + 2]))
			return fail(errstr, "invalid");
		p += seplen;
		for (int k = 0; k < 3; k++)
			out[n++] = *p++;
		if (p < end && is_digit(*p))
			return fail(errstr, "invalid"); /* a group of 4 */
	}
	if (p < end && *p == mark) {
		p++;
		out[n++] = '.';
		for (run = 0; p + run < end && is_digit(p[run]); run++)
			out[n++] = p[run];
		if (run == 0)
			return fail(errstr, "invalid");
		p += run;
	}
	if (p != end)
		return fail(errstr, "invalid");
	out[n] = '\0';
	return ok(errstr);
}

int crm_parse_money_mark(const char *s, char mark, int decimals,
			 int64_t *minor, const char **errstr)
{
	char buf[64], *plain = buf;
	size_t n;
	int rc;

	if (mark == 0 || s == NULL)
		return crm_parse_money(s, decimals, minor, errstr);
	/* An import parses an amount a row: no allocation for the usual. */
	n = strlen(s);
	if (n >= sizeof(buf))
		plain = xmalloc(n + 1);
	rc = crm_num_plain(s, mark, plain, errstr);
	if (rc == 0)
		rc = crm_parse_money(plain, decimals, minor, errstr);
	if (plain != buf)
		free(plain);
	return rc;
}

void crm_format_money(int64_t minor, int decimals, char out[32])
{
	char tmp[32];
	size_t i = sizeof(tmp), n = 0;
	uint64_t mag;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 18)
		decimals = 18;
	/* |INT64_MIN| does not fit an int64_t; negate in unsigned */
	mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;

	/* digits right to left: the fraction (zero-padded), the point, then
	 * at least one whole digit; at most 20 digits, '.', '-' */
	tmp[--i] = '\0';
	for (int k = 0; k < decimals; k++) {
		tmp[--i] = (char)('0' + mag % 10);
		mag /= 10;
	}
	if (decimals > 0)
		tmp[--i] = '.';
	do {
		tmp[--i] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (minor < 0)
		tmp[--i] = '-';
	while (i < sizeof(tmp))
		out[n++] = tmp[i++];
}
