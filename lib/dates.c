/* dates.c - times in, times out.
 *
 * Everything is UTC arithmetic on days since 1970-01-01 (Howard Hinnant's
 * days_from_civil / civil_from_days), so nothing here depends on the
 * process time zone or locale: no mktime, localtime, strptime or timegm,
 * and no <ctype.h>.
 *
 * Decisions beyond dates.h:
 *   - Years 0001..9999 only, four digits. A result outside
 *     0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z (a zone offset or a
 *     relative form pushing it over an edge, or a `now` out of that range)
 *     is rejected, so stored text always sorts as it should.
 *   - 24:00 and leap second 60 are rejected; hours 00-23, minutes and
 *     seconds 00-59.
 *   - The date/time separator is 'T', 't' or one space (RFC 3339 allows
 *     the lower case). A fraction needs seconds and at least one digit; it
 *     is dropped (truncated). Zones: Z z +HH:MM -HH:MM +HHMM +HH, hours
 *     00-23, minutes 00-59.
 *   - Relative forms need the sign: "+3d", "-2w"; a bare "3d" is ambiguous
 *     and rejected. N is 0..100000, no spaces. Words and units are ASCII
 *     case-insensitive.
 *   - crm_date_parse refuses "h" units: a calendar date moves by days.
 */
#include "dates.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"

#define SECS_PER_DAY	INT64_C(86400)
#define REL_MAX		100000

/* crm_days_from_civil(1, 1, 1) and crm_days_from_civil(9999, 12, 31). */
#define DAYS_MIN	INT64_C(-719162)
#define DAYS_MAX	INT64_C(2932896)
#define TIME_MIN	(DAYS_MIN * SECS_PER_DAY)
#define TIME_MAX	(DAYS_MAX * SECS_PER_DAY + SECS_PER_DAY - 1)

/* How much of the input an error message quotes. */
#define QUOTE_MAX	64

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	int64_t r = a % b;

	if (r != 0 && ((r < 0) != (b < 0)))
		r += b;
	return r;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return mdays[m - 1];
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality; locale plays no part. */
static int ascii_ieq(const char *a, const char *b)
{
	while (*a != '\0' && to_lower(*a) == to_lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

/* Reads exactly n digits at *pp and advances past them. */
static int fixed_digits(const char **pp, int n, int *val)
{
	const char *p = *pp;
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*val = v;
	return 0;
}

/* Writes v in decimal, zero-padded to at least width digits, with a '-'
 * when negative; at most 21 bytes, no NUL. Returns the end. */
static char *put_i64(char *p, int64_t v, int width)
{
	char dig[20];
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = 0;

	do {
		dig[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (v < 0)
		*p++ = '-';
	for (int i = n; i < width; i++)
		*p++ = '0';
	while (n > 0)
		*p++ = dig[--n];
	return p;
}

/* Sets e to `invalid date "s"`, quoting at most QUOTE_MAX bytes of s (never
 * splitting a UTF-8 sequence, "..." when cut) with control characters
 * shown as '?', so the message stays one printable line. */
static int invalid(struct crm_err *e, const char *s)
{
	char q[QUOTE_MAX + 4];
	size_t i, n = 0;

	if (s == NULL)
		s = "";
	for (i = 0; s[i] != '\0' && n < QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		q[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xc0) == 0x80) {
			/* cut inside a character: drop its first bytes */
			while (n > 0 && ((unsigned char)q[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0 && (unsigned char)q[n - 1] >= 0xc0)
				n--;
		}
		memcpy(q + n, "...", 3);
		n += 3;
	}
	q[n] = '\0';
	return crm_err_set(e, CRM_EX_DATAERR, "invalid date \"%s\"", q);
}

static int in_range(int64_t t)
{
	return t >= TIME_MIN && t <= TIME_MAX;
}

/* Parses "YYYY-MM-DD" at *pp (year 0001..9999, a real date) and advances. */
static int parse_ymd(const char **pp, int64_t *days)
{
	const char *p = *pp;
	int y, m, d;

	if (fixed_digits(&p, 4, &y) != 0 || *p++ != '-' ||
	    fixed_digits(&p, 2, &m) != 0 || *p++ != '-' ||
	    fixed_digits(&p, 2, &d) != 0)
		return -1;
	if (y < 1 || !crm_date_valid(y, m, d))
		return -1;
	*days = crm_days_from_civil(y, m, d);
	*pp = p;
	return 0;
}

/* Parses an optional zone at p up to the end of the string into seconds
 * east of UTC. */
static int parse_zone(const char *p, int64_t *off)
{
	int sign, hh, mm = 0;

	*off = 0;
	if (*p == '\0')
		return 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (fixed_digits(&p, 2, &hh) != 0 || hh > 23)
		return -1;
	if (*p == ':')
		p++;
	if (*p != '\0' && (fixed_digits(&p, 2, &mm) != 0 || mm > 59))
		return -1;
	if (*p != '\0' || p[-1] == ':')
		return -1;
	*off = sign * (hh * INT64_C(3600) + mm * INT64_C(60));
	return 0;
}

/* Parses "HH:MM[:SS[.frac]][zone]" at p to the end into seconds into the
 * day (local) and the zone offset. */
static int parse_clock(const char *p, int64_t *sod, int64_t *off)
{
	int hh, mm, ss = 0;

	if (fixed_digits(&p, 2, &hh) != 0 || hh > 23 || *p++ != ':' ||
	    fixed_digits(&p, 2, &mm) != 0 || mm > 59)
		return -1;
	if (*p == ':') {
		p++;
		if (fixed_digits(&p, 2, &ss) != 0 || ss > 59)
			return -1;
		if (*p == '.') {
			p++;
			if (!is_digit(*p))
				return -1;
			while (is_digit(*p))
				p++;
		}
	}
	if (parse_zone(p, off) != 0)
		return -1;
	*sod = hh * INT64_C(3600) + mm * INT64_C(60) + ss;
	return 0;
}

/* An ISO date or date and time; *has_time says which. */
static int parse_iso(const char *s, int64_t *out, int *has_time)
{
	const char *p = s;
	int64_t days, sod = 0, off = 0;

	if (parse_ymd(&p, &days) != 0)
		return -1;
	*has_time = *p != '\0';
	if (*has_time) {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		if (parse_clock(p + 1, &sod, &off) != 0)
			return -1;
	}
	*out = days * SECS_PER_DAY + sod - off;
	return in_range(*out) ? 0 : -1;
}

/* t moved by n calendar months, the day clamped to the month's end, the
 * time of day kept. t and n must be in range (t in years 1..9999, |n| no
 * more than 12 * REL_MAX), which keeps every step far from overflow. */
static int64_t add_months(int64_t t, int64_t n)
{
	int64_t days = floor_div(t, SECS_PER_DAY);
	int64_t sod = floor_mod(t, SECS_PER_DAY);
	int64_t y, months;
	int m, d, dim;

	crm_civil_from_days(days, &y, &m, &d);
	months = y * 12 + (m - 1) + n;
	y = floor_div(months, 12);
	m = (int)floor_mod(months, 12) + 1;
	dim = days_in_month(y, m);
	if (d > dim)
		d = dim;
	return crm_days_from_civil(y, m, d) * SECS_PER_DAY + sod;
}

/* now, today, yesterday, tomorrow, or [+-]N[hdwmy]. *unit is the lower
 * case unit letter of a relative form, '\0' for a word. */
static int parse_relative(const char *s, int64_t now, int64_t *out,
			  char *unit)
{
	int64_t today, n = 0;
	const char *p = s;
	int sign;

	if (!in_range(now))
		return -1;
	today = floor_div(now, SECS_PER_DAY) * SECS_PER_DAY;
	*unit = '\0';
	if (ascii_ieq(s, "now")) {
		*out = now;
		return 0;
	}
	if (ascii_ieq(s, "today")) {
		*out = today;
		return 0;
	}
	if (ascii_ieq(s, "yesterday")) {
		*out = today - SECS_PER_DAY;
		return in_range(*out) ? 0 : -1;
	}
	if (ascii_ieq(s, "tomorrow")) {
		*out = today + SECS_PER_DAY;
		return in_range(*out) ? 0 : -1;
	}

	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (!is_digit(*p))
		return -1;
	for (; is_digit(*p); p++) {
		n = n * 10 + (*p - '0');
		if (n > REL_MAX)
			return -1;
	}
	if (*p == '\0' || p[1] != '\0')
		return -1;
	n *= sign;
	*unit = to_lower(*p);
	switch (*unit) {
	case 'h':
		*out = now + n * 3600;
		break;
	case 'd':
		*out = now + n * SECS_PER_DAY;
		break;
	case 'w':
		*out = now + n * 7 * SECS_PER_DAY;
		break;
	case 'm':
		*out = add_months(now, n);
		break;
	case 'y':
		*out = add_months(now, n * 12);
		break;
	default:
		return -1;
	}
	return in_range(*out) ? 0 : -1;
}

int64_t crm_days_from_civil(int64_t y, int m, int d)
{
	int64_t mm, era, yoe, doy, doe;

	/* months outside 1..12 roll into neighbouring years */
	mm = (int64_t)m - 1;
	y += floor_div(mm, 12);
	mm = floor_mod(mm, 12) + 1;

	y -= mm <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;				/* [0, 399] */
	doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */
	return era * 146097 + doe - 719468;
}

void crm_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp, r;

	/* era = floor((days + 719468) / 146097) without overflowing near
	 * INT64_MAX: split days first. */
	era = floor_div(days, 146097);
	r = floor_mod(days, 146097) + 719468;
	era += r / 146097;
	doe = r % 146097;				/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	mp = (5 * doy + 2) / 153;			/* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int crm_date_valid(int64_t y, int m, int d)
{
	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days_in_month(y, m);
}

int crm_time_parse(const char *s, int64_t now, int64_t *out,
		   struct crm_err *e)
{
	int64_t t;
	int has_time;
	char unit;

	if (s == NULL || *s == '\0')
		return invalid(e, s);
	if (is_digit(*s)) {
		if (parse_iso(s, &t, &has_time) != 0)
			return invalid(e, s);
	} else if (parse_relative(s, now, &t, &unit) != 0) {
		return invalid(e, s);
	}
	*out = t;
	return 0;
}

int crm_date_parse(const char *s, int64_t now, int64_t *y, int *m, int *d,
		   struct crm_err *e)
{
	int64_t t;
	int has_time;
	char unit;

	if (s == NULL || *s == '\0')
		return invalid(e, s);
	if (is_digit(*s)) {
		if (parse_iso(s, &t, &has_time) != 0 || has_time)
			return invalid(e, s);
	} else if (parse_relative(s, now, &t, &unit) != 0 || unit == 'h') {
		return invalid(e, s);
	}
	crm_civil_from_days(floor_div(t, SECS_PER_DAY), y, m, d);
	return 0;
}

void crm_time_format(int64_t t, char out[32])
{
	int64_t days = floor_div(t, SECS_PER_DAY);
	int64_t sod = floor_mod(t, SECS_PER_DAY);
	int64_t y;
	int m, d;
	char *p = out;

	/* the longest, t = INT64_MIN, is "-292277022657-01-27T08:29:52Z" */
	crm_civil_from_days(days, &y, &m, &d);
	p = put_i64(p, y, 4);
	*p++ = '-';
	p = put_i64(p, m, 2);
	*p++ = '-';
	p = put_i64(p, d, 2);
	*p++ = 'T';
	p = put_i64(p, sod / 3600, 2);
	*p++ = ':';
	p = put_i64(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_i64(p, sod % 60, 2);
	*p++ = 'Z';
	*p = '\0';
}

void crm_date_format(int64_t y, int m, int d, char out[16])
{
	char tmp[64];
	char *p = tmp;
	size_t n;

	p = put_i64(p, y, 4);
	*p++ = '-';
	p = put_i64(p, m, 2);
	*p++ = '-';
	p = put_i64(p, d, 2);
	/* only an absurd year (beyond 9 digits) needs cutting */
	n = (size_t)(p - tmp);
	if (n > 15)
		n = 15;
	memcpy(out, tmp, n);
	out[n] = '\0';
}

int64_t crm_now(void)
{
	int64_t sys = (int64_t)time(NULL);
	const char *env = getenv("CRM_NOW");
	int64_t t;

	if (env != NULL && *env != '\0' &&
	    crm_time_parse(env, sys, &t, NULL) == 0)
		return t;
	return sys;
}
