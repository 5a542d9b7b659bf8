/* commission.h - rates, commissions and taxes on amounts in minor units,
 * for crm-lead.
 *
 * Amounts are int64_t minor units of a currency (cents of EUR; money.h).
 * A rate is an exact fraction num / CRM_RATE_SCALE (parts per 10^9), from
 * 0 to 1 (0% to 100%): "7.5%" is 75,000,000. No floating point anywhere:
 * products are formed exactly in 128 bits and each result is rounded
 * once, half-even (banker's rounding: to the nearest minor unit, a tie to
 * the even one, so 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2, -3.5 -> -4).
 * Negative amounts (refunds, clawbacks) round symmetrically: f(-x) =
 * -f(x) for every function here.
 *
 * Every function on amounts accepts any int64_t and cannot overflow with
 * a rate from crm_rate_parse and tiers from crm_tiers_parse (the result
 * is never larger in magnitude than the amount). With a hand-made rate
 * outside 0..100% a result beyond the int64_t range saturates at
 * INT64_MIN or INT64_MAX; crm_commission_tiered holds each tier's rate to
 * 0..100% and gives a defined result, saturated, for any tiers.
 *
 * The parsers return 0 or CRM_EX_DATAERR with a one-line message in e
 * (which may be NULL) and leave *out alone on failure. Nothing here
 * allocates, prints or keeps state.
 */
#ifndef CRM_COMMISSION_H
#define CRM_COMMISSION_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;

#define CRM_RATE_SCALE INT64_C(1000000000) /* a rate is num / 10^9 */

/* A rate: num / CRM_RATE_SCALE, 0 <= num <= CRM_RATE_SCALE. A plain value;
 * (struct crm_rate){ 0 } is 0%. */
struct crm_rate {
	int64_t num;
};

/* Parses a commission or tax rate:
 *   - a percentage, digits with an optional fraction and a '%': "5%",
 *     "7.5%", "12.345%", "100%", at most 7 decimals;
 *   - a fraction of 1 without '%': "0.075", "1", at most 9 decimals.
 * So "7.5%" and "0.075" are the same rate. Decimals beyond those limits
 * are allowed only as zeros ("7.500000000%"). A point needs digits on
 * both sides; no sign, spaces, thousands separators or exponents.
 * Refused with CRM_EX_DATAERR:
 *   `invalid rate "7,5%" (a percentage such as 7.5%)`        (syntax)
 *   `invalid rate "-5%": negative (a percentage such as 7.5%)`
 *   `invalid rate "150%": above 100% (a percentage such as 7.5%)`
 *   `invalid rate "5": above 100% (a percentage such as 7.5%)`
 *   `invalid rate "1.23456789%": more than 7 decimals (a percentage
 *    such as 7.5%)`  (one line; "more than 9 decimals" without '%')
 * The text is quoted up to 32 bytes. */
int crm_rate_parse(const char *s, struct crm_rate *out, struct crm_err *e);

/* The rate as a percentage with no trailing zeros: "7.5%", "0%",
 * "100%", "12.3456789%"; out needs 32 bytes. A num outside 0..10^9 is
 * written as well (with a '-' when negative). */
void crm_rate_format(struct crm_rate r, char out[32]);

/* minor * r, rounded half-even to the minor unit: a flat commission, or
 * any share of an amount. */
int64_t crm_rate_apply(int64_t minor, struct crm_rate r);

/* Tax added on top of a net amount: net * r, rounded half-even; the gross
 * is net + crm_tax_added(net, r). The same figure as crm_rate_apply. */
int64_t crm_tax_added(int64_t net, struct crm_rate r);

/* Tax contained in a gross amount that includes it: gross * r / (1 + r),
 * rounded half-even; the net is gross - crm_tax_included(gross, r).
 * 119.00 at 19% contains 19.00. Rounded once on the exact quotient, so
 * crm_tax_added of that net can differ from it by one minor unit. */
int64_t crm_tax_included(int64_t gross, struct crm_rate r);

/* Commission tiers. */

#define CRM_TIERS_MAX 32
#define CRM_TIER_OPEN INT64_MAX /* `to` of the last, open-ended tier */

/* Tier i covers the part of an amount from `from` (inclusive) to `to`
 * (exclusive), in minor units; the last tier's `to` is CRM_TIER_OPEN. */
struct crm_tier {
	int64_t from;
	int64_t to;
	struct crm_rate rate;
};

/* Tiers as crm_tiers_parse makes them: n >= 1, t[0].from == 0,
 * t[i].from < t[i].to, t[i + 1].from == t[i].to, t[n - 1].to ==
 * CRM_TIER_OPEN. A plain value, no resources. */
struct crm_tiers {
	size_t n;
	struct crm_tier t[CRM_TIERS_MAX];
};

/* Parses tiers such as "0-10000:5%,10000-50000:6%,50000-:7%": tiers
 * separated by commas (spaces around a tier are ignored), each
 * FROM-TO:RATE or, for the last, FROM-:RATE (open-ended). FROM and TO are
 * amounts in MAJOR units of currency (a code as money.h reads it: "10000"
 * is 10,000.00 EUR, 1,000,000 minor units), decimals allowed as the
 * currency has them ("9999.99"); RATE as crm_rate_parse. The tiers must
 * start at 0, be contiguous and ascending (each starts where the one
 * before it ends: no gap, no overlap), each must end after it starts,
 * and only the last, which must be, is open-ended. At most CRM_TIERS_MAX
 * tiers. Errors, CRM_EX_DATAERR, start `invalid tiers "TEXT": ` (TEXT
 * up to 64 bytes) and say what is wrong, e.g.
 *   `... gap from 10000 to 12000 between tier 1 and tier 2`
 *   `... tier 2 starts at 9000, inside tier 1 (0-10000:5%)`
 *   `... tier 1 starts at 100; the first tier starts at 0`
 *   `... tier 2 "10000-5000:6%" ends where it starts or before`
 *   `... tier 1 "0-:5%" is open-ended but is not the last`
 *   `... tier 2: invalid rate "150%": above 100% (a percentage such as
 *        7.5%)`
 *   `... the last tier "10000-20000:7%" is not open-ended (write
 *        10000-:RATE)`
 * A comma always separates tiers, so "7,5%" splits a tier in two. */
int crm_tiers_parse(const char *s, const char *currency,
		    struct crm_tiers *out, struct crm_err *e);

/* Marginal (bracket) commission on gross: the part of gross that falls
 * within each tier earns that tier's rate, like income-tax brackets, so
 * with "0-10000:5%,10000-:7%" a gross of 15,000.00 earns 5% of 10,000.00
 * plus 7% of 5,000.00 = 850.00, and a rise in gross never lowers the
 * commission. The parts' exact products are summed and the total rounded
 * once, half-even (not each tier's share rounded apart). A negative gross
 * (a refund) gives minus the commission on its magnitude. */
int64_t crm_commission_tiered(int64_t gross, const struct crm_tiers *t);

#endif
