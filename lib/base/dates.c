/* dates.c - times in, times out.
 *
 * Calendar arithmetic is on days since 1970-01-01 (Howard Hinnant's
 * days_from_civil / civil_from_days). The local time zone enters in one
 * place, local_offset(), which asks localtime_r for the fields of an
 * instant; every conversion from local time to UTC goes through
 * crm_local_to_utc, so the DST rule lives in one function. No mktime
 * (its tm_isdst guess differs between libcs), no strptime (it accepts
 * junk, and its set of conversions varies), no locale, no <ctype.h>.
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
 *   - Relative forms: h is exact (3600 s); d, w, m and y move the local
 *     calendar and keep the local time of day, so "+1d" across a DST
 *     change is 23 or 25 hours, as a calendar user means it.
 */
#include "base/dates.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/xalloc.h"

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

/* Copies s into q (QUOTE_MAX + 4 bytes) for a message: at most QUOTE_MAX
 * bytes (never splitting a UTF-8 sequence, "..." when cut), control
 * characters shown as '?', so the message stays one printable line. */
static void quote(char *q, const char *s)
{
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
}

/* Sets e to `invalid date "s"`. */
static int invalid(struct crm_err *e, const char *s)
{
	char q[QUOTE_MAX + 4];

	quote(q, s);
	return crm_err_set(e, CRM_EX_DATAERR, "invalid date \"%s\"", q);
}

static int in_range(int64_t t)
{
	return t >= TIME_MIN && t <= TIME_MAX;
}


/* Seconds east of UTC of the local zone ($TZ, else the system's) at t:
 * the local fields localtime_r gives for t, read back as if UTC, minus t.
 * 0 when libc cannot say (a t it cannot represent). */
static int64_t local_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if ((int64_t)tt != t || localtime_r(&tt, &tm) == NULL)
		return 0;
	return crm_days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) *
		       SECS_PER_DAY +
	       tm.tm_hour * INT64_C(3600) + tm.tm_min * INT64_C(60) + tm.tm_sec - t;
}

int64_t crm_local_offset(int64_t t)
{
	return local_offset(t);
}

/* No zone has an offset of a day or more, and no zone has changed its
 * offset twice within two days, so the offsets a day either side of a
 * wall time are the only two that can apply to it. */
int64_t crm_local_to_utc(int64_t wall)
{
	int64_t before = local_offset(wall - SECS_PER_DAY);
	int64_t after = local_offset(wall + SECS_PER_DAY);
	int64_t t1 = wall - before, t2 = wall - after;
	int ok1, ok2;

	if (before == after)
		return t1;	/* no change near: the usual case, two calls */
	ok1 = local_offset(t1) == before;
	ok2 = local_offset(t2) == after;
	if (ok1 && ok2)
		return t1 < t2 ? t1 : t2;	/* twice (autumn): the first */
	if (ok2)
		return t2;
	/* Once (ok1), or never (a spring gap): with the offset in force
	 * before, which moves a time in the gap forward by its length. */
	return t1;
}

static int64_t local_days(int64_t t)
{
	return floor_div(t + local_offset(t), SECS_PER_DAY);
}

int64_t crm_local_days(int64_t t)
{
	return local_days(t);
}

int64_t crm_local_day_end(int64_t t)
{
	return crm_local_to_utc((local_days(t) + 1) * SECS_PER_DAY);
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
 * east of UTC; *has_zone says whether there was one. */
static int parse_zone(const char *p, int64_t *off, int *has_zone)
{
	int sign, hh, mm = 0;

	*off = 0;
	*has_zone = *p != '\0';
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
static int parse_clock(const char *p, int64_t *sod, int64_t *off, int *has_zone)
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
	if (parse_zone(p, off, has_zone) != 0)
		return -1;
	*sod = hh * INT64_C(3600) + mm * INT64_C(60) + ss;
	return 0;
}

/* An ISO date or date and time; *has_time says which. Without a zone
 * the time (or midnight of the date) is local. */
static int parse_iso(const char *s, int64_t *out, int *has_time)
{
	const char *p = s;
	int64_t days, sod = 0, off = 0;
	int has_zone = 0;

	if (parse_ymd(&p, &days) != 0)
		return -1;
	*has_time = *p != '\0';
	if (*has_time) {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		if (parse_clock(p + 1, &sod, &off, &has_zone) != 0)
			return -1;
	}
	if (has_zone)
		*out = days * SECS_PER_DAY + sod - off;
	else
		*out = crm_local_to_utc(days * SECS_PER_DAY + sod);
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
	int64_t today, local_now, n = 0;
	const char *p = s;
	int sign;

	if (!in_range(now))
		return -1;
	local_now = now + local_offset(now);
	today = crm_local_to_utc(floor_div(local_now, SECS_PER_DAY) * SECS_PER_DAY);
	*unit = '\0';
	if (ascii_ieq(s, "now")) {
		*out = now;
		return 0;
	}
	if (ascii_ieq(s, "today")) {
		*out = today;
		return 0;
	}
	if (ascii_ieq(s, "yesterday") || ascii_ieq(s, "tomorrow")) {
		int64_t day = floor_div(local_now, SECS_PER_DAY) + (to_lower(*s) == 'y' ? -1 : 1);

		*out = crm_local_to_utc(day * SECS_PER_DAY);
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
		*out = crm_local_to_utc(local_now + n * SECS_PER_DAY);
		break;
	case 'w':
		*out = crm_local_to_utc(local_now + n * 7 * SECS_PER_DAY);
		break;
	case 'm':
		*out = crm_local_to_utc(add_months(local_now, n));
		break;
	case 'y':
		*out = crm_local_to_utc(add_months(local_now, n * 12));
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
	char unit;

	int64_t days;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return invalid(e, s);
	if (is_digit(*s)) {
		if (parse_ymd(&p, &days) != 0 || *p != '\0')
			return invalid(e, s);
	} else if (parse_relative(s, now, &t, &unit) != 0 || unit == 'h') {
		return invalid(e, s);
	} else {
		days = local_days(t);	/* the local calendar's day */
	}
	crm_civil_from_days(days, y, m, d);
	return 0;
}

/* t shown at offset off (seconds east), "Z" when off is 0, else
 * "+HH:MM"; off must be whole minutes. */
static void format_at(int64_t t, int64_t off, char *out)
{
	int64_t days = floor_div(t + off, SECS_PER_DAY);
	int64_t sod = floor_mod(t + off, SECS_PER_DAY);
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
	if (off == 0) {
		*p++ = 'Z';
	} else {
		int64_t a = off < 0 ? -off : off;

		*p++ = off < 0 ? '-' : '+';
		p = put_i64(p, a / 3600, 2);
		*p++ = ':';
		p = put_i64(p, a / 60 % 60, 2);
	}
	*p = '\0';
}

void crm_time_format(int64_t t, char out[32])
{
	format_at(t, 0, out);
}

void crm_time_format_local(int64_t t, char out[40])
{
	int64_t off = in_range(t) ? local_offset(t) : 0;

	/* Local mean time (before a zone's standard time) has offsets in
	 * seconds, which +HH:MM cannot say: such times are shown in UTC. */
	if (off % 60 != 0)
		off = 0;
	format_at(t, off, out);
}

int crm_time_is_stored(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	if (n != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	return 1;
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

/* ---- --date-format ------------------------------------------------------ */

#define CELL_MAX 128

static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/* What a format read from a cell. */
struct scanned {
	int y, m, d, hh, mi, ss;
	int pm;                 /* -1: no %p; 0 am; 1 pm */
	int has_time, has_zone;
	int64_t off;
};

static int numeric_conv(char c)
{
	return c != '\0' && strchr("YymdHIMS", c) != NULL;
}

/* Reads minw..maxw digits at *pp (as many as there are, up to maxw). */
static int scan_digits(const char **pp, int minw, int maxw, int lo, int hi, int *val)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (n < maxw && is_digit(p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n < minw || v < lo || v > hi)
		return -1;
	*pp = p + n;
	*val = v;
	return 0;
}

/* The n bytes at p equal the lower case word w, ASCII case-insensitively. */
static int word_at(const char *p, const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\0' || to_lower(p[i]) != w[i])
			return 0;
	return 1;
}

/* An English month, its full name or its first three letters. */
static int scan_month_name(const char **pp, int *m)
{
	for (int i = 0; i < 12; i++) {
		size_t n = strlen(month_names[i]);

		if (word_at(*pp, month_names[i], n) || word_at(*pp, month_names[i], n = 3)) {
			*pp += n;
			*m = i + 1;
			return 0;
		}
	}
	return -1;
}

/* Z, or +HH, +HHMM, +HH:MM (or -). */
static int scan_zone(const char **pp, int64_t *off)
{
	const char *p = *pp;
	int sign, hh, mm = 0;

	if (*p == 'Z' || *p == 'z') {
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (fixed_digits(&p, 2, &hh) != 0 || hh > 23)
		return -1;
	if (*p == ':') {
		p++;
		if (fixed_digits(&p, 2, &mm) != 0)
			return -1;
	} else if (is_digit(*p)) {
		if (fixed_digits(&p, 2, &mm) != 0)
			return -1;
	}
	if (mm > 59)
		return -1;
	*off = sign * (hh * INT64_C(3600) + mm * INT64_C(60));
	*pp = p;
	return 0;
}

/* Reads s as fmt says, to its end. fmt was checked by crm_datefmt_check. */
static int scan(const char *fmt, const char *s, struct scanned *r)
{
	const char *f = fmt, *p = s;
	int prev_num = 0;

	memset(r, 0, sizeof(*r));
	r->pm = -1;
	while (*f != '\0') {
		char c;
		int tight, v, w;

		if (*f != '%' || f[1] == '%')
			prev_num = 0;
		if (*f == ' ') {
			/* one space in the format: one or more in the cell */
			if (*p != ' ')
				return -1;
			while (*p == ' ')
				p++;
			f++;
			continue;
		}
		if (*f != '%' || f[1] == '%') {
			if (*p != *f)
				return -1;
			p++;
			f += *f == '%' ? 2 : 1;
			continue;
		}
		c = f[1];
		f += 2;
		/* a field next to another number takes its full width:
		 * %Y%m%d reads 8 digits, never 1997111 */
		tight = prev_num || (f[0] == '%' && numeric_conv(f[1]));
		prev_num = numeric_conv(c);
		w = tight ? 2 : 1;
		switch (c) {
		case 'Y':
			if (fixed_digits(&p, 4, &r->y) != 0 || r->y < 1)
				return -1;
			break;
		case 'y':
			if (fixed_digits(&p, 2, &v) != 0)
				return -1;
			r->y = v >= 69 ? 1900 + v : 2000 + v;	/* POSIX */
			break;
		case 'm':
			if (scan_digits(&p, w, 2, 1, 12, &r->m) != 0)
				return -1;
			break;
		case 'b':
		case 'B':
			if (scan_month_name(&p, &r->m) != 0)
				return -1;
			break;
		case 'd':
			if (scan_digits(&p, w, 2, 1, 31, &r->d) != 0)
				return -1;
			break;
		case 'H':
			if (scan_digits(&p, w, 2, 0, 23, &r->hh) != 0)
				return -1;
			r->has_time = 1;
			break;
		case 'I':
			if (scan_digits(&p, w, 2, 1, 12, &r->hh) != 0)
				return -1;
			r->has_time = 1;
			break;
		case 'M':
			if (scan_digits(&p, w, 2, 0, 59, &r->mi) != 0)
				return -1;
			break;
		case 'S':
			if (scan_digits(&p, w, 2, 0, 59, &r->ss) != 0)
				return -1;
			break;
		case 'p':
			if (word_at(p, "am", 2))
				r->pm = 0;
			else if (word_at(p, "pm", 2))
				r->pm = 1;
			else
				return -1;
			p += 2;
			break;
		case 'z':
			if (scan_zone(&p, &r->off) != 0)
				return -1;
			r->has_zone = 1;
			break;
		default:
			return -1;	/* not reached after crm_datefmt_check */
		}
	}
	if (*p != '\0')
		return -1;
	if (r->pm >= 0)
		r->hh = r->hh % 12 + (r->pm ? 12 : 0);
	return crm_date_valid(r->y, r->m, r->d) ? 0 : -1;
}

int crm_datefmt_check(const char *fmt, struct crm_err *e)
{
	char q[QUOTE_MAX + 4];
	int seen[128] = { 0 };
	const char *why = NULL;

	quote(q, fmt);
	if (fmt == NULL || *fmt == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "--date-format: empty format");
	for (const char *f = fmt; *f != '\0'; f++) {
		unsigned char c;

		if (*f != '%')
			continue;
		c = (unsigned char)*++f;
		if (c == '\0' || strchr("YymbBdHIMSpz%", (char)c) == NULL) {
			char conv[8] = "%";

			if (c >= 0x21 && c < 0x7f)
				conv[1] = (char)c;
			return crm_err_set(e, CRM_EX_USAGE,
					   "--date-format \"%s\": unknown conversion \"%s\" (use %%Y %%y %%m %%b %%d %%H %%I %%M %%S %%p %%z or %%%%)",
					   q, c == '\0' ? "%" : conv);
		}
		if (c != '%' && seen[c]++)
			why = "a conversion appears twice";
	}
	if (why == NULL && (seen['Y'] + seen['y'] != 1 ||
			    seen['m'] + seen['b'] + seen['B'] != 1 || seen['d'] != 1))
		why = "a format needs one year (%Y or %y), one month (%m or %b) and a day (%d)";
	if (why == NULL && seen['H'] + seen['I'] > 1)
		why = "%H and %I both give the hour";
	if (why == NULL && seen['I'] != seen['p'])
		why = "%I needs %p, and %p needs %I";
	if (why == NULL && seen['M'] && !(seen['H'] || seen['I']))
		why = "%M needs an hour (%H or %I)";
	if (why == NULL && seen['S'] && !seen['M'])
		why = "%S needs %M";
	if (why == NULL && seen['z'] && !(seen['H'] || seen['I']))
		why = "%z needs a time";
	if (why != NULL)
		return crm_err_set(e, CRM_EX_USAGE, "--date-format \"%s\": %s", q, why);
	return 0;
}

int crm_datefmt_scan(const char *fmt, const char *s, int64_t *y, int *m, int *d,
		     int64_t *t)
{
	struct scanned r;
	int64_t wall;

	if (scan(fmt, s, &r) != 0)
		return -1;
	*y = r.y;
	*m = r.m;
	*d = r.d;
	wall = crm_days_from_civil(r.y, r.m, r.d) * SECS_PER_DAY +
	       r.hh * INT64_C(3600) + r.mi * INT64_C(60) + r.ss;
	*t = r.has_zone ? wall - r.off : crm_local_to_utc(wall);
	return in_range(*t) ? 0 : -1;
}

/* 1 if s has a digit and every digit is 0: Outlook's 0/0/00. */
static int all_zero(const char *s)
{
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (is_digit(*s) && *s != '0')
			return 0;
		digits += is_digit(*s);
	}
	return digits > 0;
}

int crm_date_cell(const char *column, const char *cell, const char *fmt,
		  int is_time, int64_t now, char out[32], struct crm_err *e)
{
	char buf[CELL_MAX + 1], qv[QUOTE_MAX + 4], qc[QUOTE_MAX + 4];
	const char *expected;
	size_t n;
	int64_t t, y;
	int m, d, bad;

	while (*cell == ' ' || *cell == '\t' || *cell == '\r' || *cell == '\n')
		cell++;
	n = strlen(cell);
	while (n > 0 && (cell[n - 1] == ' ' || cell[n - 1] == '\t' ||
			 cell[n - 1] == '\r' || cell[n - 1] == '\n'))
		n--;
	if (n == 0)
		return 1;
	if (n <= CELL_MAX) {
		memcpy(buf, cell, n);
		buf[n] = '\0';
	}
	if (fmt != NULL) {
		if (n <= CELL_MAX && all_zero(buf))
			return 1;
		bad = n > CELL_MAX || crm_datefmt_scan(fmt, buf, &y, &m, &d, &t) != 0;
		expected = fmt;
	} else if (is_time) {
		bad = n > CELL_MAX || crm_time_parse(buf, now, &t, NULL) != 0;
		expected = "ISO 8601 such as 2026-03-29T15:00, or give --date-format";
	} else {
		bad = n > CELL_MAX || crm_date_parse(buf, now, &y, &m, &d, NULL) != 0;
		expected = "YYYY-MM-DD, or give --date-format";
	}
	if (bad) {
		char *v = xstrndup(cell, n);

		quote(qv, v);
		free(v);
		quote(qc, column);
		return crm_err_set(e, CRM_EX_DATAERR, "column \"%s\": invalid date \"%s\" (expected %s)",
				   qc, qv, expected);
	}
	if (is_time)
		crm_time_format(t, out);
	else
		crm_date_format(y, m, d, out);
	return 0;
}
