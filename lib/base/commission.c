/* commission.c - rates, commissions and taxes in minor units (see
 * commission.h). Products and sums are exact in __int128: |amount| <
 * 2^63 and num <= 2^30 give products below 2^93, and a tiered sum of
 * parts that add up to the amount stays below that too. */
#include "base/commission.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/money.h"

typedef __int128 i128;

#define RATE_HINT "(a percentage such as 7.5%%)"

/* n / d rounded half-even; d > 0. C division truncates toward zero and
 * the remainder takes n's sign, so the rounding is symmetric in sign. */
static i128 div_half_even(i128 n, i128 d)
{
	i128 q = n / d, r = n % d;
	i128 twice = 2 * (r < 0 ? -r : r);

	if (twice > d || (twice == d && q % 2 != 0))
		q += n < 0 ? -1 : 1;
	return q;
}

static int64_t saturate(i128 v)
{
	if (v > INT64_MAX)
		return INT64_MAX;
	if (v < INT64_MIN)
		return INT64_MIN;
	return (int64_t)v;
}

/* Rates. */

static int rate_error(struct crm_err *e, const char *s, const char *why)
{
	if (why == NULL)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "invalid rate \"%.32s\" " RATE_HINT, s);
	return crm_err_set(e, CRM_EX_DATAERR,
			   "invalid rate \"%.32s\": %s " RATE_HINT, s, why);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int crm_rate_parse(const char *s, struct crm_rate *out, struct crm_err *e)
{
	const char *p = s, *int_start, *frac_start = NULL;
	size_t int_len, frac_len = 0, len;
	int percent, places;
	int64_t whole = 0, num;

	if (s == NULL || out == NULL)
		return rate_error(e, s == NULL ? "" : s, NULL);
	len = strlen(s);
	percent = len > 0 && s[len - 1] == '%';
	if (percent)
		len--;
	/* A sign is refused either way; a '-' before a number says why. */
	if (*p == '-' && len > 1 && is_digit(p[1]))
		return rate_error(e, s, "negative");
	int_start = p;
	while ((size_t)(p - s) < len && is_digit(*p))
		p++;
	int_len = (size_t)(p - int_start);
	if (int_len == 0)
		return rate_error(e, s, NULL);
	if ((size_t)(p - s) < len && *p == '.') {
		frac_start = ++p;
		while ((size_t)(p - s) < len && is_digit(*p))
			p++;
		frac_len = (size_t)(p - frac_start);
		if (frac_len == 0)
			return rate_error(e, s, NULL);
	}
	if ((size_t)(p - s) != len)
		return rate_error(e, s, NULL);

	/* num = value * 10^9 for a fraction, value * 10^7 for a percentage */
	places = percent ? 7 : 9;
	for (size_t i = 0; i < int_len; i++) {
		whole = whole * 10 + (int_start[i] - '0');
		if (whole > (percent ? 100 : 1))
			return rate_error(e, s, "above 100%");
	}
	num = whole;
	for (int i = 0; i < places; i++) {
		num *= 10;
		if ((size_t)i < frac_len)
			num += frac_start[i] - '0';
	}
	for (size_t i = (size_t)places; i < frac_len; i++)
		if (frac_start[i] != '0')
			return rate_error(e, s, percent ? "more than 7 decimals"
							: "more than 9 decimals");
	if (num > CRM_RATE_SCALE)
		return rate_error(e, s, "above 100%");
	out->num = num;
	return 0;
}

void crm_rate_format(struct crm_rate r, char out[32])
{
	/* in units of 10^-7 percent */
	uint64_t mag = r.num < 0 ? 0 - (uint64_t)r.num : (uint64_t)r.num;
	uint64_t whole = mag / 10000000, frac = mag % 10000000;
	char digits[8];
	int n = 7;

	if (frac == 0) {
		snprintf(out, 32, "%s%llu%%", r.num < 0 ? "-" : "",
			 (unsigned long long)whole);
		return;
	}
	snprintf(digits, sizeof(digits), "%07llu", (unsigned long long)frac);
	while (n > 0 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	snprintf(out, 32, "%s%llu.%s%%", r.num < 0 ? "-" : "",
		 (unsigned long long)whole, digits);
}

int64_t crm_rate_apply(int64_t minor, struct crm_rate r)
{
	return saturate(div_half_even((i128)minor * r.num, CRM_RATE_SCALE));
}

int64_t crm_tax_added(int64_t net, struct crm_rate r)
{
	return crm_rate_apply(net, r);
}

int64_t crm_tax_included(int64_t gross, struct crm_rate r)
{
	i128 den = (i128)CRM_RATE_SCALE + r.num;

	if (den <= 0) /* a hand-made rate of -100% or less: no such tax */
		return 0;
	return saturate(div_half_even((i128)gross * r.num, den));
}

/* Tiers. */

/* What one tier's text holds, pointers into the caller's copy. */
struct tier_text {
	const char *item;  /* the whole tier, trimmed */
	const char *from;
	const char *to;    /* "" when open-ended */
	const char *rate;
};

static int tiers_error(struct crm_err *e, const char *s, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

/* `invalid tiers "S": ` and what fmt says. */
static int tiers_error(struct crm_err *e, const char *s, const char *fmt,
		       ...)
{
	char why[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return crm_err_set(e, CRM_EX_DATAERR, "invalid tiers \"%.64s\": %s", s,
			   why);
}

static char *trim(char *p)
{
	char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	return p;
}

/* Splits "FROM-TO:RATE" in place into *tt; 0 or -1 for bad syntax. The
 * item keeps a copy for messages in itembuf. */
static int split_tier(char *item, char *itembuf, size_t itemsz,
		      struct tier_text *tt)
{
	char *dash, *colon;

	snprintf(itembuf, itemsz, "%s", item);
	tt->item = itembuf;
	colon = strchr(item, ':');
	if (colon == NULL)
		return -1;
	*colon = '\0';
	dash = strchr(item, '-');
	if (dash == NULL || dash == item)
		return -1;
	*dash = '\0';
	tt->from = item;
	tt->to = dash + 1;
	tt->rate = colon + 1;
	if (strchr(tt->to, '-') != NULL || *tt->rate == '\0')
		return -1;
	return 0;
}

int crm_tiers_parse(const char *s, const char *currency,
		    struct crm_tiers *out, struct crm_err *e)
{
	char buf[1024], items[CRM_TIERS_MAX][96];
	struct tier_text tt[CRM_TIERS_MAX];
	struct crm_tiers t;
	struct crm_err sub;
	char *p, *next;
	size_t n = 0;

	if (s == NULL || out == NULL || currency == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid tiers: none given");
	if (strlen(s) >= sizeof(buf))
		return tiers_error(e, s, "longer than %zu bytes",
				   sizeof(buf) - 1);
	memcpy(buf, s, strlen(s) + 1);
	memset(&t, 0, sizeof(t));
	if (*trim(buf) == '\0')
		return tiers_error(e, s, "no tier (as in 0-10000:5%%,10000-:7%%)");
	for (p = buf; p != NULL; p = next) {
		struct crm_tier *ti;
		char *item;

		next = strchr(p, ',');
		if (next != NULL)
			*next++ = '\0';
		if (n == CRM_TIERS_MAX)
			return tiers_error(e, s, "more than %d tiers",
					   CRM_TIERS_MAX);
		ti = &t.t[n];
		item = trim(p);
		if (split_tier(item, items[n], sizeof(items[n]), &tt[n]) != 0)
			return tiers_error(e, s,
					   "tier %zu \"%s\" is not FROM-TO:RATE or FROM-:RATE (as in 0-10000:5%%,10000-:7%%)",
					   n + 1, items[n]);
		crm_err_clear(&sub);
		if (crm_amount_parse(tt[n].from, currency, &ti->from, &sub) != 0)
			return tiers_error(e, s, "tier %zu: %s", n + 1, sub.msg);
		if (*tt[n].to == '\0')
			ti->to = CRM_TIER_OPEN;
		else if (crm_amount_parse(tt[n].to, currency, &ti->to, &sub) != 0)
			return tiers_error(e, s, "tier %zu: %s", n + 1, sub.msg);
		if (crm_rate_parse(tt[n].rate, &ti->rate, &sub) != 0)
			return tiers_error(e, s, "tier %zu: %s", n + 1, sub.msg);
		if (ti->from >= ti->to)
			return tiers_error(e, s,
					   "tier %zu \"%s\" ends where it starts or before",
					   n + 1, items[n]);
		if (n == 0 && ti->from != 0)
			return tiers_error(e, s,
					   "tier 1 starts at %s; the first tier starts at 0",
					   tt[0].from);
		if (n > 0) {
			const struct crm_tier *prev = &t.t[n - 1];

			if (prev->to == CRM_TIER_OPEN)
				return tiers_error(e, s,
						   "tier %zu \"%s\" is open-ended but is not the last",
						   n, items[n - 1]);
			if (ti->from > prev->to)
				return tiers_error(e, s,
						   "gap from %s to %s between tier %zu and tier %zu",
						   tt[n - 1].to, tt[n].from, n, n + 1);
			if (ti->from < prev->to)
				return tiers_error(e, s,
						   "tier %zu starts at %s, inside tier %zu (%s)",
						   n + 1, tt[n].from, n, items[n - 1]);
		}
		n++;
	}
	if (t.t[n - 1].to != CRM_TIER_OPEN)
		return tiers_error(e, s,
				   "the last tier \"%s\" is not open-ended (write %s-:RATE)",
				   items[n - 1], tt[n - 1].from);
	t.n = n;
	*out = t;
	return 0;
}

int64_t crm_commission_tiered(int64_t gross, const struct crm_tiers *t)
{
	/* |gross| as a non-negative 128-bit value, INT64_MIN included */
	i128 g = gross < 0 ? -(i128)gross : (i128)gross, total = 0;

	if (t == NULL)
		return 0;
	for (size_t i = 0; i < t->n && i < CRM_TIERS_MAX; i++) {
		i128 from = t->t[i].from, to = t->t[i].to, top;
		int64_t num = t->t[i].rate.num;

		/* a hand-made rate is held to 0..100%, so that 32 parts of
		 * under 2^64 each keep the sum below 2^99 */
		if (num < 0)
			num = 0;
		if (num > CRM_RATE_SCALE)
			num = CRM_RATE_SCALE;

		if (g <= from)
			continue;
		/* an open tier has no top: INT64_MIN's magnitude is above
		 * CRM_TIER_OPEN */
		top = g < to || to == CRM_TIER_OPEN ? g : to;
		total += (top - from) * num;
	}
	if (gross < 0)
		total = -total;
	return saturate(div_half_even(total, CRM_RATE_SCALE));
}
