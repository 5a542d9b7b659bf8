/* fx.c - exchange rates on minor units (fx.h). A product of an amount
 * (|minor| < 2^63), a rate (num <= 10^15 < 2^50) and a ratio of minor
 * units (at most 1000) stays below 2^123: exact in __int128. */
#include "base/fx.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/money.h"

typedef __int128 i128;

#define FX_HINT "(a number such as 1.0832)"

/* n / d rounded half-even; d > 0 (as base/commission.c). */
static i128 div_half_even(i128 n, i128 d)
{
	i128 q = n / d, r = n % d;
	i128 twice = 2 * (r < 0 ? -r : r);

	if (twice > d || (twice == d && q % 2 != 0))
		q += n < 0 ? -1 : 1;
	return q;
}

int crm_fx_parse(const char *s, struct crm_fx_rate *out, struct crm_err *e)
{
	const char *p = s;
	i128 num = 0;
	int digits = 0, places = -1;

	for (; *p != '\0'; p++) {
		if (*p == '.' && places < 0 && digits > 0) {
			places = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return crm_err_set(e, CRM_EX_DATAERR, "invalid exchange rate \"%.32s\" "
					   FX_HINT, s);
		if (places >= 0 && ++places > 9) {
			if (*p != '0')
				return crm_err_set(e, CRM_EX_DATAERR, "invalid exchange rate"
						   " \"%.32s\": more than 9 decimals " FX_HINT, s);
			continue;
		}
		num = num * 10 + (*p - '0');
		if (++digits > 18)
			return crm_err_set(e, CRM_EX_DATAERR, "invalid exchange rate \"%.32s\":"
					   " above 1000000 " FX_HINT, s);
	}
	if (digits == 0 || places == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid exchange rate \"%.32s\" " FX_HINT, s);
	for (int k = places < 0 ? 0 : places > 9 ? 9 : places; k < 9; k++)
		num *= 10;
	if (num == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid exchange rate \"%.32s\": not above 0 "
				   FX_HINT, s);
	if (num > (i128)CRM_FX_MAX * CRM_FX_SCALE)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid exchange rate \"%.32s\": above"
				   " 1000000 " FX_HINT, s);
	out->num = (int64_t)num;
	return 0;
}

void crm_fx_format(struct crm_fx_rate r, char out[32])
{
	int64_t whole = r.num / CRM_FX_SCALE, frac = r.num % CRM_FX_SCALE;
	int places = 9;

	if (frac == 0) {
		snprintf(out, 32, "%lld", (long long)whole);
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		places--;
	}
	snprintf(out, 32, "%lld.%0*lld", (long long)whole, places, (long long)frac);
}

struct crm_fx_rate crm_fx_chain(struct crm_fx_rate a, struct crm_fx_rate b)
{
	struct crm_fx_rate c = { 1 };
	i128 q;

	if (a.num <= 0 || b.num <= 0)
		return c;
	q = div_half_even((i128)a.num * b.num, CRM_FX_SCALE);
	c.num = q < 1 ? 1 : q > (i128)CRM_FX_MAX * CRM_FX_SCALE ?
		CRM_FX_MAX * CRM_FX_SCALE : (int64_t)q;
	return c;
}

struct crm_fx_rate crm_fx_invert(struct crm_fx_rate r)
{
	struct crm_fx_rate inv = { 1 };
	i128 q;

	if (r.num <= 0)
		return inv;
	q = div_half_even((i128)CRM_FX_SCALE * CRM_FX_SCALE, r.num);
	inv.num = q < 1 ? 1 : q > (i128)CRM_FX_MAX * CRM_FX_SCALE ?
		  CRM_FX_MAX * CRM_FX_SCALE : (int64_t)q;
	return inv;
}

int64_t crm_fx_convert(int64_t minor, const char *from, const char *to, struct crm_fx_rate r)
{
	i128 n = (i128)minor * r.num * crm_currency_minor_per_major(to);
	i128 d = (i128)CRM_FX_SCALE * crm_currency_minor_per_major(from);
	i128 q = div_half_even(n, d);

	if (q > INT64_MAX)
		return INT64_MAX;
	if (q < INT64_MIN)
		return INT64_MIN;
	return (int64_t)q;
}
