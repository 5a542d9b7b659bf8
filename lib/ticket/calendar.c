/* calendar.c - business time on weekly hours in a time zone (calendar.h). */
#include "ticket/calendar.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"

#define MAX_DAYS 3660   /* ten years of days, then "never" */

static const char *const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int day_of(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && strncmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* "09:00" into minutes; 24:00 is allowed (a day's end). */
static int minutes_of(const char *s, size_t n)
{
	if (n != 5 || s[2] != ':' || !g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) ||
	    !g_ascii_isdigit(s[3]) || !g_ascii_isdigit(s[4]))
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');

	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* Days "mon-fri,sun" into a mask; -1 when written wrongly. */
static int days_mask(const char *s, size_t n)
{
	int mask = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		int a, b;

		while (j < n && s[j] != ',')
			j++;
		if (j - i == 7 && s[i + 3] == '-') {
			a = day_of(s + i, 3);
			b = day_of(s + i + 4, 3);
		} else {
			a = b = day_of(s + i, j - i);
		}
		if (a < 0 || b < 0)
			return -1;
		for (int d = a;; d = (d + 1) % 7) {
			mask |= 1 << d;
			if (d == b)
				break;
		}
		i = j + 1;
	}
	return mask;
}

/* Intervals "09:00-12:00,13:00-17:00" onto every day of mask. */
static int add_spans(struct crm_calendar *c, int mask, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		int open, close;

		while (j < n && s[j] != ',')
			j++;
		if (j - i != 11 || s[i + 5] != '-')
			return -1;
		open = minutes_of(s + i, 5);
		close = minutes_of(s + i + 6, 5);
		if (open < 0 || close < 0 || close <= open)
			return -1;
		for (int d = 0; d < 7; d++) {
			if (!(mask & (1 << d)))
				continue;
			if (c->nspans[d] == CRM_CALENDAR_SPANS)
				return -1;
			for (int k = 0; k < c->nspans[d]; k++)
				if (open < c->close[d][k] && c->open[d][k] < close)
					return -1;   /* overlapping */
			c->open[d][c->nspans[d]] = open;
			c->close[d][c->nspans[d]++] = close;
		}
		i = j + 1;
	}
	return 0;
}

static int by_open(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Each day's spans in order of opening. */
static void sort_spans(struct crm_calendar *c)
{
	for (int d = 0; d < 7; d++) {
		int pairs[CRM_CALENDAR_SPANS][2];

		for (int k = 0; k < c->nspans[d]; k++) {
			pairs[k][0] = c->open[d][k];
			pairs[k][1] = c->close[d][k];
		}
		qsort(pairs, (size_t)c->nspans[d], sizeof(pairs[0]), by_open);
		for (int k = 0; k < c->nspans[d]; k++) {
			c->open[d][k] = pairs[k][0];
			c->close[d][k] = pairs[k][1];
		}
	}
}

void *crm_calendar_zone(const char *tz)
{
	return g_time_zone_new_identifier(tz);
}

void crm_calendar_zone_release(void *zone)
{
	if (zone != NULL)
		g_time_zone_unref(zone);
}

int crm_calendar_init(struct crm_calendar *c, const char *hours, const char *tz,
		      struct crm_err *e)
{
	void *zone = crm_calendar_zone(tz);
	int rc = crm_calendar_init_in(c, hours, zone, tz, e);

	crm_calendar_zone_release(zone);
	return rc;
}

int crm_calendar_init_in(struct crm_calendar *c, const char *hours, void *zone,
			 const char *tz, struct crm_err *e)
{
	const char *p = hours;
	int any = 0;

	memset(c, 0, sizeof(*c));
	while (*p != '\0') {
		const char *end = strchr(p, ';'), *sp;
		size_t n;
		int mask;

		while (*p == ' ')
			p++;
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		sp = memchr(p, ' ', n);
		mask = sp != NULL ? days_mask(p, (size_t)(sp - p)) : -1;
		while (sp != NULL && *sp == ' ')
			sp++;
		if (mask <= 0 || add_spans(c, mask, sp, n - (size_t)(sp - p)) != 0)
			return crm_err_set(e, CRM_EX_USAGE, "invalid hours \"%.60s\" (such as"
					   " 'mon-fri 09:00-17:00; sat 10:00-14:00')", hours);
		any = 1;
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (!any)
		return crm_err_set(e, CRM_EX_USAGE, "invalid hours \"%.60s\": no hours at all", hours);
	sort_spans(c);
	c->zone = zone != NULL ? g_time_zone_ref(zone) : NULL;
	if (c->zone == NULL)
		return crm_err_set(e, CRM_EX_USAGE, "unknown time zone \"%.60s\" (a name of the tz"
				   " database, such as Europe/Amsterdam)", tz);
	return 0;
}

void crm_calendar_free(struct crm_calendar *c)
{
	if (c->zone != NULL)
		g_time_zone_unref(c->zone);
	free(c->holidays);
	memset(c, 0, sizeof(*c));
}

void crm_calendar_holiday(struct crm_calendar *c, int64_t y, int m, int d)
{
	int64_t day = crm_days_from_civil(y, m, d);
	size_t i = c->nholidays;

	c->holidays = xreallocarray(c->holidays, c->nholidays + 1, sizeof(*c->holidays));
	while (i > 0 && c->holidays[i - 1] > day) {
		c->holidays[i] = c->holidays[i - 1];
		i--;
	}
	c->holidays[i] = day;
	c->nholidays++;
}

static int is_holiday(const struct crm_calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->nholidays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->holidays[mid] == day)
			return 1;
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The local day (base/dates.h days) that UTC time t falls on: t moved by
 * the zone's offset then, floored to days. No GDateTime: this runs for
 * every day a due time is walked over. */
static int64_t local_day(const struct crm_calendar *c, int64_t t)
{
	gint iv = g_time_zone_find_interval(c->zone, G_TIME_TYPE_UNIVERSAL, t);
	int64_t l = t + (iv >= 0 ? g_time_zone_get_offset(c->zone, iv) : 0);

	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

/* The UTC time of minute `minutes` of local day `day` (24:00 is the next
 * day's midnight). As g_date_time_new finds it: the wall-clock time
 * fitted into the zone's intervals (a time in a daylight-saving gap
 * moves forward, one in an overlap is the standard time's), less that
 * interval's offset. */
static int64_t local_time(const struct crm_calendar *c, int64_t day, int minutes)
{
	gint64 l = day * 86400 + (int64_t)minutes * 60;
	gint iv = g_time_zone_adjust_time(c->zone, G_TIME_TYPE_STANDARD, &l);

	return l - (iv >= 0 ? g_time_zone_get_offset(c->zone, iv) : 0);
}

/* Monday 0 .. Sunday 6 of a day counted from 1970-01-01, a Thursday. */
static int weekday(int64_t day)
{
	int64_t w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int64_t crm_calendar_between(const struct crm_calendar *c, int64_t a, int64_t b)
{
	int64_t sum = 0, first, last;

	if (b <= a)
		return 0;
	if (c == NULL)
		return b - a;
	first = local_day(c, a) - 1;   /* a span of the day before may run past midnight UTC */
	last = local_day(c, b);
	for (int64_t day = first; day <= last && day - first <= MAX_DAYS; day++) {
		int w = weekday(day);

		if (is_holiday(c, day))
			continue;
		for (int k = 0; k < c->nspans[w]; k++) {
			int64_t o = local_time(c, day, c->open[w][k]);
			int64_t z = local_time(c, day, c->close[w][k]);

			o = o > a ? o : a;
			z = z < b ? z : b;
			if (z > o)
				sum += z - o;
		}
	}
	return sum;
}

int64_t crm_calendar_add(const struct crm_calendar *c, int64_t t, int64_t seconds)
{
	int64_t first;

	if (seconds <= 0)
		return t;
	if (c == NULL)
		return t + seconds;
	first = local_day(c, t) - 1;
	for (int64_t day = first; day - first <= MAX_DAYS; day++) {
		int w = weekday(day);

		if (is_holiday(c, day))
			continue;
		for (int k = 0; k < c->nspans[w]; k++) {
			int64_t o = local_time(c, day, c->open[w][k]);
			int64_t z = local_time(c, day, c->close[w][k]);

			o = o > t ? o : t;
			if (z <= o)
				continue;
			if (seconds <= z - o)
				return o + seconds;
			seconds -= z - o;
		}
	}
	return INT64_MAX;
}
