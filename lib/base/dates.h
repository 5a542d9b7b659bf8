/* dates.h - times in, times out.
 *
 * The store holds UTC as ISO 8601 text: "2026-11-23T15:55:48Z" for
 * instants, "2026-11-23" for calendar dates such as birthdays. Input accepts
 * ISO 8601 and relative forms; a time without an offset is local time (the
 * zone of $TZ, else the system's):
 *   2026-11-23                 midnight local time that day
 *   2026-11-23T15:55[:48[.123]][Z|+01:00|-0500] (also with a space for T;
 *                              no zone means local time)
 *   now, today, yesterday, tomorrow   (today = local midnight)
 *   -30d +2w -3m +1y -12h      now plus or minus N hours (exact), or days,
 *                              weeks, calendar months or years on the local
 *                              calendar, keeping the local time of day
 *                              (month ends clamp)
 * Times are int64_t seconds since the epoch.
 *
 * Local time to UTC (crm_local_to_utc): a time that exists twice (the
 * autumn hour) is the first of the two, in summer time; a time that does
 * not exist (the spring gap) is read with the offset before the gap, i.e.
 * moved forward by the gap: 02:30 on 2026-03-29 in Europe/Amsterdam is
 * 03:30+02:00 (RFC 5545's rule, what calendars do).
 *
 * Strict by design (details in dates.c): years 0001-9999, four digits;
 * 24:00 and leap second :60 rejected; a fraction needs seconds and is
 * dropped; the sign of a relative form is required, N <= 100000; words and
 * units are ASCII case-insensitive; no leading or trailing spaces (callers
 * trim). A result outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z is
 * rejected. The locale plays no part; the zone is read from $TZ when the
 * process starts (a program that changes TZ calls tzset()).
 */
#ifndef CRM_DATES_H
#define CRM_DATES_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;

/* Days since 1970-01-01 of a proleptic Gregorian date (no range checks;
 * months outside 1..12 roll into neighbouring years, days outside the
 * month into neighbouring months; keep |y| below 10^12). Negative days
 * are before 1970; crm_civil_from_days takes any int64_t. */
int64_t crm_days_from_civil(int64_t y, int m, int d);
void crm_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* 1 if y-m-d is a real calendar date (1 <= m <= 12, day within month,
 * leap years), else 0. */
int crm_date_valid(int64_t y, int m, int d);

/* Parses any accepted form relative to `now`. Returns 0, or CRM_EX_DATAERR
 * with e set: `invalid date "2023-02-30"`. */
int crm_time_parse(const char *s, int64_t now, int64_t *out, struct crm_err *e);

/* Parses a calendar date only: strict YYYY-MM-DD, or a relative form
 * (today, -30d, ...) reduced to its day. Returns 0 or CRM_EX_DATAERR.
 * Times and hour units ("-12h") are rejected; "now" means today. */
int crm_date_parse(const char *s, int64_t now, int64_t *y, int *m, int *d,
		   struct crm_err *e);

/* "2026-11-23T15:55:48Z" into out. */
void crm_time_format(int64_t t, char out[32]);
/* t in local time with its offset, "2026-03-29T15:00:00+02:00"; with "Z"
 * when the offset is zero (so under TZ=UTC exactly crm_time_format), and in
 * UTC when the offset is not whole minutes (local mean time, before a zone
 * had standard time). */
void crm_time_format_local(int64_t t, char out[40]);
/* 1 if s[0..n) has the exact shape crm_time_format writes. */
int crm_time_is_stored(const char *s, size_t n);

/* Seconds east of UTC of the local zone at t. */
int64_t crm_local_offset(int64_t t);
/* The instant local clocks show as wall (seconds since 1970-01-01T00:00
 * local), by the rule above for times that occur twice or never. */
int64_t crm_local_to_utc(int64_t wall);
/* The local midnight that ends the local day holding t (24 hours later
 * but on the days clocks change). */
int64_t crm_local_day_end(int64_t t);
/* The local calendar day of t, as days since 1970-01-01. */
int64_t crm_local_days(int64_t t);
/* "2026-11-23" into out. */
void crm_date_format(int64_t y, int m, int d, char out[16]);

/* --date-format: strptime-style formats, our own strict reader.
 *   %Y  four-digit year          %y  two digits, 69-99 = 19xx, 00-68 = 20xx
 *   %m  month 1-12               %b  English month name or its first three
 *   %d  day 1-31                     letters (%B the same), any case
 *   %H  hour 0-23                %I  hour 1-12, with %p (AM or PM, any case)
 *   %M  minute 0-59              %S  second 0-59
 *   %z  Z, +HH, +HHMM or +HH:MM  %%  a per cent sign
 * %m %d %H %I %M %S take one or two digits (1/5/1980, 8:26), two when
 * next to another number (%Y%m%d reads 19970101); a space matches
 * one or more spaces; any other character matches itself. The whole cell
 * must match. A format names one year, one month and one day; %M needs an
 * hour, %S a minute, %z a time. */

/* 0, or CRM_EX_USAGE with e set: `--date-format "%Q": unknown conversion
 * "%Q" (...)`. */
int crm_datefmt_check(const char *fmt, struct crm_err *e);

/* Reads s by a checked fmt: the calendar date, and the instant (local
 * time unless %z, midnight when fmt has no time). 0 or -1. */
int crm_datefmt_scan(const char *fmt, const char *s, int64_t *y, int *m, int *d,
		     int64_t *t);

/* One imported cell of a date column (is_time 0: "2026-11-23" into out)
 * or time column (is_time 1: "2026-11-23T15:55:48Z"). With fmt (checked)
 * the cell is read by it alone (a time in a date column is dropped; a
 * cell whose digits are all zeros, Outlook's 0/0/00, counts as empty);
 * without, by crm_date_parse or crm_time_parse. Spaces around are
 * trimmed. Returns 0; 1 when the cell counts as empty; or CRM_EX_DATAERR
 * with e set: `column "Birthday": invalid date "13/45/1980" (expected
 * %m/%d/%Y)`. */
int crm_date_cell(const char *column, const char *cell, const char *fmt,
		  int is_time, int64_t now, char out[32], struct crm_err *e);

/* The current time: $CRM_NOW parsed as an ISO time when set (tests and
 * reproducible runs), else time(NULL). An unparsable $CRM_NOW is ignored. */
int64_t crm_now(void);

#endif
