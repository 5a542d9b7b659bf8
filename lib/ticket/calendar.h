/* calendar.h - business time: weekly opening hours in an IANA time zone
 * (the system's tz database, through GLib's GTimeZone), with holidays.
 *
 * Hours are written "mon-fri 09:00-17:00; sat 10:00-14:00": groups
 * separated by ';', each days (a day or a range, several joined by ',')
 * and intervals (HH:MM-HH:MM, several joined by ','; 24:00 ends a day).
 * Days are mon tue wed thu fri sat sun. Times are local: across a
 * daylight-saving change an hour of 09:00-17:00 is still 09:00-17:00 on
 * the clock, and the UTC times move. A holiday is a local day with no
 * hours. A NULL calendar is around the clock.
 */
#ifndef CRM_TICKET_CALENDAR_H
#define CRM_TICKET_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;

#define CRM_CALENDAR_SPANS 4   /* intervals a day at most */

struct crm_calendar {
	int open[7][CRM_CALENDAR_SPANS];   /* minutes from local midnight; [0] is Monday */
	int close[7][CRM_CALENDAR_SPANS];
	int nspans[7];
	void *zone;                         /* a GTimeZone */
	int64_t *holidays;                  /* local days (base/dates.h days), sorted */
	size_t nholidays;
};

/* Parses hours in time zone tz into *c (crm_calendar_free it). CRM_EX_USAGE
 * for hours written wrongly, overlapping, or none at all, and for a time
 * zone the tz database does not know. */
int crm_calendar_init(struct crm_calendar *c, const char *hours, const char *tz,
		      struct crm_err *e);
void crm_calendar_free(struct crm_calendar *c);

/* The same with a zone already read (crm_calendar_zone), which c takes a
 * reference to: reading a zone from the tz database costs more than a
 * due time. */
int crm_calendar_init_in(struct crm_calendar *c, const char *hours, void *zone,
			 const char *tz, struct crm_err *e);

/* Zone tz read from the tz database, or NULL when it has none such;
 * crm_calendar_zone_release drops it. */
void *crm_calendar_zone(const char *tz);
void crm_calendar_zone_release(void *zone);

/* A holiday: the local day y-m-d. */
void crm_calendar_holiday(struct crm_calendar *c, int64_t y, int m, int d);

/* Business seconds in [a, b) (0 when b <= a). */
int64_t crm_calendar_between(const struct crm_calendar *c, int64_t a, int64_t b);

/* The moment at which seconds of business time have passed since t;
 * INT64_MAX when the calendar has no hours within ten years. */
int64_t crm_calendar_add(const struct crm_calendar *c, int64_t t, int64_t seconds);

#endif
