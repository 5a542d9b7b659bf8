/* money.h - currencies (ISO 4217) and amounts in minor units. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stdint.h>

struct crm_err;

/* The currency for amounts given without one: $CRM_CURRENCY, else EUR. */
const char *crm_default_currency(void);

/* The default currency's code into out: $CRM_CURRENCY when it is a valid
 * code, else EUR. For analytics that must pick one; commands that write an
 * amount check $CRM_CURRENCY strictly instead. */
void crm_default_currency_code(char out[4]);

/* Minor units in one major unit of a currency: 100 for EUR, 1 for JPY,
 * 1000 for KWD. */
int crm_currency_minor_per_major(const char *code);

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

/* crm_amount_parse for imported cells, in the notation of decimal mark
 * mark ('.' or ',', thousands separators allowed: see crm_num_plain);
 * mark 0 is crm_amount_parse. */
int crm_amount_parse_mark(const char *s, const char *code, char mark,
			  int64_t *minor, struct crm_err *e);

/* Minor units as text in currency code ("-12.30"), out >= 32 bytes. */
void crm_amount_format(int64_t minor, const char *code, char out[32]);

#endif
