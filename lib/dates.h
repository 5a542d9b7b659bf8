/* dates.h - times in, times out.
 *
 * The store holds UTC as ISO 8601 text: "2026-11-23T15:55:48Z" for
 * instants, "2026-11-23" for calendar dates such as birthdays. Input accepts
 * ISO 8601 and relative forms, all computed in UTC:
 *   2026-11-23                 midnight UTC that day
 *   2026-11-23T15:55[:48[.123]][Z|+01:00|-0500] (also with a space for T;
 *                              no zone means UTC)
 *   now, today, yesterday, tomorrow   (today = midnight UTC)
 *   -30d +2w -3m +1y -12h      now plus or minus N hours, days, weeks,
 *                              calendar months or years (month ends clamp)
 * Times are int64_t seconds since the epoch.
 *
 * Strict by design (details in dates.c): years 0001-9999, four digits;
 * 24:00 and leap second :60 rejected; a fraction needs seconds and is
 * dropped; the sign of a relative form is required, N <= 100000; words and
 * units are ASCII case-insensitive; no leading or trailing spaces (callers
 * trim). A result outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z is
 * rejected. The process time zone and locale play no part.
 */
#ifndef CRM_DATES_H
#define CRM_DATES_H

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
/* "2026-11-23" into out. */
void crm_date_format(int64_t y, int m, int d, char out[16]);

/* The current time: $CRM_NOW parsed as an ISO time when set (tests and
 * reproducible runs), else time(NULL). An unparsable $CRM_NOW is ignored. */
int64_t crm_now(void);

#endif
