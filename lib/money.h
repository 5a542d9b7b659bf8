/* money.h - currencies (ISO 4217) and amounts in minor units. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stdint.h>

struct crm_err;

/* The currency for amounts given without one: $CRM_CURRENCY, else EUR. */
const char *crm_default_currency(void);

/* Checks a currency code (three ASCII letters, case-insensitive) and
 * writes it uppercased to out. Returns 0 or CRM_EX_DATAERR. */
int crm_currency_parse(const char *s, char out[4], struct crm_err *e);

/* Minor-unit digits of a currency: 0 for JPY, KRW, ...; 3 for BHD, KWD,
 * OMR, ...; 2 for all others. */
int crm_currency_decimals(const char *code);

/* Parses an amount such as "12.30" in currency code into minor units.
 * Returns 0 or CRM_EX_DATAERR: `invalid amount "12,3.4" (EUR has 2
 * decimals; use a dot, no thousands separators)`. */
int crm_amount_parse(const char *s, const char *code, int64_t *minor,
		     struct crm_err *e);

/* Minor units as text in currency code ("-12.30"), out >= 32 bytes. */
void crm_amount_format(int64_t minor, const char *code, char out[32]);

#endif
