/* rates.c - exchange rates in the store and conversions with them
 * (rates.h). */
#include "lead/rates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "store/store.h"

int crm_rates_set(struct crm_store *s, const char *base, const char *quote, const char *rate,
		  const char *day, struct crm_err *e)
{
	struct crm_fx_rate r;
	struct crm_stmt *st;
	char b[4], q[4], text[32];
	int rc;

	if ((rc = crm_currency_parse(base, b, e)) != 0 || (rc = crm_currency_parse(quote, q, e)) != 0)
		return rc;
	if (strcmp(b, q) == 0)
		return crm_err_set(e, CRM_EX_USAGE, "a rate is between two currencies, not %s and %s",
				   b, q);
	if ((rc = crm_fx_parse(rate, &r, e)) != 0)
		return rc;
	crm_fx_format(r, text);
	st = crm_store_prepare(s, "INSERT INTO rates (base, quote, day, rate) VALUES (?1, ?2, ?3, ?4)"
			       " ON CONFLICT (base, quote, day) DO UPDATE SET rate = excluded.rate");
	crm_bind_text(st, 1, b);
	crm_bind_text(st, 2, q);
	crm_bind_text(st, 3, day);
	crm_bind_text(st, 4, text);
	return crm_store_run(s, st, e);
}

int crm_rates_rm(struct crm_store *s, const char *base, const char *quote, const char *day,
		 struct crm_err *e)
{
	struct crm_stmt *st;
	char b[4], q[4];
	int rc;

	if ((rc = crm_currency_parse(base, b, e)) != 0 || (rc = crm_currency_parse(quote, q, e)) != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM rates WHERE base = ?1 AND quote = ?2"
			       " AND (?3 IS NULL OR day = ?3)");
	crm_bind_text(st, 1, b);
	crm_bind_text(st, 2, q);
	crm_bind_text(st, 3, day);
	return crm_store_run_named(s, st, e, "no rate from %s to %s%s%s", b, q,
				   day != NULL ? " for " : "", day != NULL ? day : "");
}

struct crm_stmt *crm_rates_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s, "SELECT base, quote, day, rate FROM rates"
				 " ORDER BY base, quote, day");
}

void crm_fx_table_init(struct crm_fx_table *t, const char *to, const char *day)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->to, sizeof(t->to), "%s", to);
	snprintf(t->day, sizeof(t->day), "%s", day);
}

/* The latest rate from base to quote on or before day: 1 found, 0 none,
 * -1 error. */
static int lookup(struct crm_store *s, const char *base, const char *quote, const char *day,
		  struct crm_fx_used *u, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT rate, day FROM rates WHERE base = ?1"
						" AND quote = ?2 AND day <= ?3"
						" ORDER BY day DESC LIMIT 1");
	int step, found = 0;

	crm_bind_text(st, 1, base);
	crm_bind_text(st, 2, quote);
	crm_bind_text(st, 3, day);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW) {
		found = 1;
		snprintf(u->day, sizeof(u->day), "%s", crm_column_text(st, 1));
		if (crm_fx_parse(crm_column_text(st, 0), &u->rate, e) != 0)
			step = -1;
	}
	crm_stmt_reset(st);
	return step < 0 ? -1 : found;
}

/* The rate from base to quote on or before day, kept either way: 1
 * found (u->inverted when by the inverse), 0 none, -1 error. */
static int either_way(struct crm_store *s, const char *base, const char *quote, const char *day,
		      struct crm_fx_used *u, struct crm_err *e)
{
	int found = lookup(s, base, quote, day, u, e);

	if (found == 0) {
		found = lookup(s, quote, base, day, u, e);
		if (found == 1) {
			u->rate = crm_fx_invert(u->rate);
			u->inverted = 1;
		}
	}
	return found;
}

/* The rate from u->from to to through a third currency that has a rate
 * with both, the first in alphabetical order: 1 found, 0 none, -1 error. */
static int cross(struct crm_store *s, const char *to, const char *day, struct crm_fx_used *u,
		 struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT DISTINCT CASE WHEN base = ?1 THEN quote ELSE base END AS via FROM rates"
		" WHERE (base = ?1 OR quote = ?1) AND day <= ?2 ORDER BY via");
	char (*vias)[4] = NULL;
	size_t n = 0;
	int step, found = 0;

	crm_bind_text(st, 1, u->from);
	crm_bind_text(st, 2, day);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		vias = xreallocarray(vias, n + 1, sizeof(*vias));
		snprintf(vias[n++], sizeof(vias[0]), "%s", crm_column_text(st, 0));
	}
	if (step < 0)
		found = -1;
	for (size_t i = 0; found == 0 && i < n; i++) {
		struct crm_fx_used a, b;

		if (strcmp(vias[i], to) == 0)
			continue;
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		found = either_way(s, u->from, vias[i], day, &a, e);
		if (found == 1)
			found = either_way(s, vias[i], to, day, &b, e);
		if (found == 1) {
			u->rate = crm_fx_chain(a.rate, b.rate);
			snprintf(u->via, sizeof(u->via), "%s", vias[i]);
			snprintf(u->day, sizeof(u->day), "%s", a.day);
			snprintf(u->day2, sizeof(u->day2), "%s", b.day);
		}
	}
	free(vias);
	return found;
}

int crm_fx_table_convert(struct crm_store *s, struct crm_fx_table *t, const char *from,
			 int64_t minor, int64_t *out, int *which, struct crm_err *e)
{
	struct crm_fx_used u;
	size_t i;
	int found;

	if (strcmp(from, t->to) == 0) {
		*out = minor;
		*which = -1;
		return 0;
	}
	for (i = 0; i < t->n && strcmp(t->used[i].from, from) != 0; i++)
		;
	if (i == t->n) {
		if (t->n == sizeof(t->used) / sizeof(t->used[0]))
			return crm_err_set(e, CRM_EX_DATAERR, "more than %zu currencies to convert",
					   t->n);
		memset(&u, 0, sizeof(u));
		snprintf(u.from, sizeof(u.from), "%s", from);
		found = either_way(s, from, t->to, t->day, &u, e);
		if (found == 0)
			found = cross(s, t->to, t->day, &u, e);
		if (found < 0)
			return e->code;
		if (found == 0)
			return crm_err_set(e, CRM_EX_DATAERR, "no exchange rate from %s to %s on or"
					   " before %s, either way or through a third currency"
					   " (crm-lead rates set %s %s RATE)", from, t->to,
					   t->day, from, t->to);
		t->used[t->n++] = u;
	}
	*out = crm_fx_convert(minor, from, t->to, t->used[i].rate);
	*which = (int)i;
	return 0;
}

void crm_fx_used_format(const struct crm_fx_table *t, size_t i, char out[96])
{
	char r[32];

	crm_fx_format(t->used[i].rate, r);
	if (t->used[i].via[0] != '\0')
		snprintf(out, 96, "1 %s = %s %s (via %s, %s and %s)", t->used[i].from, r, t->to,
			 t->used[i].via, t->used[i].day, t->used[i].day2);
	else
		snprintf(out, 96, "1 %s = %s %s (%s%s)", t->used[i].from, r, t->to, t->used[i].day,
			 t->used[i].inverted ? ", inverse" : "");
}

void crm_fx_mask_format(const struct crm_fx_table *t, uint64_t mask, char *out, size_t size)
{
	size_t len = 0;
	char one[96];

	if (size > 0)
		out[0] = '\0';
	for (size_t i = 0; i < t->n && i < 64; i++) {
		if (!(mask & ((uint64_t)1 << i)))
			continue;
		crm_fx_used_format(t, i, one);
		len += (size_t)snprintf(out + (len < size ? len : size), len < size ? size - len : 0,
					"%s%s", len > 0 ? "; " : "", one);
	}
}
