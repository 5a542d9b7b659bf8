/* fx.h - exchange rates between currencies, exact on minor units.
 *
 * A rate says what one major unit of a base currency is worth in a quote
 * currency: "1 EUR = 1.0832 USD" is the rate 1.0832 from EUR to USD. It
 * is kept as num / CRM_FX_SCALE (parts per 10^9) and parsed from decimal
 * text, so no binary fraction creeps in; a conversion is one exact
 * product in 128 bits, rounded once, half-even, to the quote currency's
 * minor unit (and its number of decimals: 1,000 JPY at 0.0061 is 6.10
 * EUR). Nothing here allocates, prints or keeps state.
 */
#ifndef CRM_FX_H
#define CRM_FX_H

#include <stdint.h>

struct crm_err;

#define CRM_FX_SCALE INT64_C(1000000000)   /* a rate is num / 10^9 */
#define CRM_FX_MAX   INT64_C(1000000)      /* rates above 10^6 are refused */

struct crm_fx_rate {
	int64_t num;   /* 1 .. CRM_FX_MAX * CRM_FX_SCALE */
};

/* Parses a rate: digits with an optional fraction of at most 9 decimals
 * ("1.0832", "0.0061", "160"), above 0 and at most 10^6. No sign,
 * exponent, spaces or thousands separators; a comma is refused (it is
 * never a decimal mark here). CRM_EX_DATAERR: `invalid exchange rate
 * "1,08" (a number such as 1.0832)`, `... "0": not above 0 ...`. */
int crm_fx_parse(const char *s, struct crm_fx_rate *out, struct crm_err *e);

/* The rate as the shortest decimal that reads back the same: "1.0832";
 * out needs 32 bytes. */
void crm_fx_format(struct crm_fx_rate r, char out[32]);

/* The rate the other way (1 / r), rounded half-even to 10^-9, at least
 * 10^-9: the rate from USD to EUR when r is from EUR to USD. */
struct crm_fx_rate crm_fx_invert(struct crm_fx_rate r);

/* The rate through a third currency: a (from -> via) times b (via -> to),
 * rounded half-even to 10^-9 and held to 10^-9 .. 10^6 as a parsed rate
 * is: 1 JPY = 0.00623053 EUR and 1 EUR = 1.0832 USD give 1 JPY =
 * 0.006748910 USD. */
struct crm_fx_rate crm_fx_chain(struct crm_fx_rate a, struct crm_fx_rate b);

/* minor units of currency from as minor units of currency to at rate r
 * (from -> to), rounded half-even; symmetric in sign; saturates at the
 * int64_t range. */
int64_t crm_fx_convert(int64_t minor, const char *from, const char *to, struct crm_fx_rate r);

#endif
