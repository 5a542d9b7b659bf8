/* rates.h - exchange rates kept in the store (table rates: one major unit
 * of base is rate units of quote, from a day on), and the conversion of
 * amounts to one currency with them, for crm-lead's --currency.
 *
 * The rate for a day is the latest one set on or before it; where only
 * the other direction is kept, its inverse (base/fx.h); where neither is,
 * the product of the rates to and from a third currency that has both
 * (the first such currency in alphabetical order; each leg direct or
 * inverse; crm_fx_chain). A report that converts says which rates it
 * used (crm_fx_used_format).
 */
#ifndef CRM_LEAD_RATES_H
#define CRM_LEAD_RATES_H

#include <stddef.h>
#include <stdint.h>

#include "base/fx.h"

struct crm_err;
struct crm_store;
struct crm_stmt;

/* Sets the rate from base to quote from day (YYYY-MM-DD) on, replacing
 * one set for that day. Currencies as crm_currency_parse reads them, the
 * rate as crm_fx_parse; base and quote must differ. CRM_EX_DATAERR or
 * CRM_EX_USAGE with e set. In the caller's transaction. */
int crm_rates_set(struct crm_store *s, const char *base, const char *quote, const char *rate,
		  const char *day, struct crm_err *e);

/* Removes the rates from base to quote (of day only, when day is not
 * NULL); CRM_EX_NOTFOUND when there was none. */
int crm_rates_rm(struct crm_store *s, const char *base, const char *quote, const char *day,
		 struct crm_err *e);

/* The rates: base, quote, day, rate. */
struct crm_stmt *crm_rates_list_stmt(struct crm_store *s);

/* A rate a conversion used. */
struct crm_fx_used {
	char from[4];
	char day[16];              /* the day it was set for */
	struct crm_fx_rate rate;   /* from -> the table's currency */
	int inverted;              /* 1: the inverse of a rate kept the other way */
	char via[4];               /* "": direct; else through this currency: */
	char day2[16];             /* the day of the second rate */
};

/* Conversion to one currency as of one day; the rates are looked up once
 * each and kept. At most 64 currencies (a row's mask of used rates). */
struct crm_fx_table {
	char to[4];
	char day[16];
	struct crm_fx_used used[64];
	size_t n;
};

void crm_fx_table_init(struct crm_fx_table *t, const char *to, const char *day);

/* minor units of from as minor units of the table's currency into *out;
 * *which is the index of the rate used in t->used, or -1 when from is the
 * table's currency. No rate on or before the day either way is
 * CRM_EX_DATAERR: `no exchange rate from USD to EUR on or before
 * 2026-12-04, either way or through a third currency (crm-lead rates set
 * USD EUR RATE)`. */
int crm_fx_table_convert(struct crm_store *s, struct crm_fx_table *t, const char *from,
			 int64_t minor, int64_t *out, int *which, struct crm_err *e);

/* "1 USD = 0.9232 EUR (2026-12-01)", ", inverse" in the brackets for an
 * inverted one, "1 JPY = 0.00674891 USD (via EUR, 2026-10-01 and
 * 2026-11-01)" for a cross rate; out needs 96 bytes. */
void crm_fx_used_format(const struct crm_fx_table *t, size_t i, char out[96]);

/* The rates of mask (bit i: t->used[i]) as crm_fx_used_format writes
 * them, "; " between, into out (size bytes); empty for none. */
void crm_fx_mask_format(const struct crm_fx_table *t, uint64_t mask, char *out, size_t size);

#endif
