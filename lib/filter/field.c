/* field.c - the fields of the filter language as the domains register
 * them (field.h): looking a name up, suggesting one, listing them all. */
#include "filter/field.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/domain.h"

/* The k-th field row of all domains, in crm_domains order, or NULL past
 * the last. */
static const struct crm_filter_field *nth_field(size_t k)
{
	for (const struct crm_domain *const *d = crm_domains; *d != NULL; d++) {
		if (k < (*d)->nfields)
			return &(*d)->fields[k];
		k -= (*d)->nfields;
	}
	return NULL;
}

/* Whether a row's field is known where the SQL has the rows of scopes. */
static int in_scope(const struct crm_filter_field *f, unsigned scopes)
{
	return (f->scope & ~scopes) == 0;
}

/* The refusal of a field of a scope the caller's SQL does not have. */
static int out_of_scope(const char *name, const struct crm_filter_field *f, struct crm_err *e)
{
	char q[72];

	crm_filter_quote(name, q);
	(void)f;   /* one scope beyond the contact's so far: the deal's */
	return crm_err_set(e, CRM_EX_USAGE, "%s is a field of a deal: crm-lead's --filter and"
			   " --fields only", q);
}

/* The i-th name a row lists one by one: a single name, or a family's
 * concrete names when it has no pattern; NULL after the last. */
static const char *listed_name(const struct crm_filter_field *f, size_t i, char buf[64])
{
	if (f->build == NULL)
		return i == 0 ? f->name : NULL;
	if (f->name == NULL && f->names != NULL)
		return f->names(i, buf);
	return NULL;
}

void crm_filter_add_sql(struct crm_filter_value *v, const char *frag)
{
	crm_expr_fragment(v->x, &v->sql, frag, v->now);
}

void crm_filter_add_text(struct crm_filter_value *v, const char *text)
{
	crm_expr_param_text(v->x, &v->sql, text);
}

void crm_filter_quote(const char *s, char out[72])
{
	size_t n = strlen(s), k = n > 64 ? 64 : n;

	while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	for (size_t i = 0; i < k; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	memcpy(out + k, k < n ? "..." : "", k < n ? 4 : 1);
}

/* Drops what a family wrote before it said the name is not its own. */
static void undo(struct crm_filter_value *v, size_t nparams)
{
	crm_buf_reset(&v->sql);
	while (v->x->nparams > nparams)
		free(v->x->params[--v->x->nparams].text);
}

int crm_filter_find(const char *name, struct crm_expr_sql *x, int64_t now,
		    struct crm_filter_value *v, struct crm_err *e)
{
	const struct crm_filter_field *f;
	size_t nparams = x->nparams;

	memset(v, 0, sizeof(*v));
	crm_buf_init(&v->sql);
	v->x = x;
	v->now = now;
	for (size_t k = 0; (f = nth_field(k)) != NULL; k++) {
		if (f->build == NULL && strcmp(f->name, name) == 0) {
			if (!in_scope(f, x->scopes))
				return out_of_scope(name, f, e);
			v->type = f->type;
			v->numeric_text = f->numeric_text;
			crm_filter_add_sql(v, f->sql);
			return 0;
		}
	}
	for (size_t k = 0; (f = nth_field(k)) != NULL; k++) {
		int rc;

		if (f->build == NULL)
			continue;
		v->type = f->type;
		v->numeric_text = f->numeric_text;
		rc = f->build(name, v, e);
		if (rc == 0 && !in_scope(f, x->scopes)) {
			undo(v, nparams);
			return out_of_scope(name, f, e);
		}
		if (rc != CRM_EX_NOTFOUND)
			return rc;
		undo(v, nparams);
	}
	return CRM_EX_NOTFOUND;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(size_t) * (lb + 1));
	}
	return prev[lb];
}

/* The names listed one by one first, then the concrete names of the
 * families with a pattern (interactions.channel.email, ...): the first
 * closest wins. */
const char *crm_filter_suggest(const char *name, unsigned scopes, char buf[64])
{
	const struct crm_filter_field *f;
	size_t best_d = 3;
	int found = 0;
	char cand[64];

	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; (f = nth_field(k)) != NULL; k++) {
			const char *n;

			if (!in_scope(f, scopes) || (pass == 1 && (f->build == NULL ||
								    f->name == NULL ||
								    f->names == NULL)))
				continue;
			for (size_t i = 0; (n = pass == 0 ? listed_name(f, i, cand)
						: f->names(i, cand)) != NULL; i++) {
				size_t d = edit_distance(name, n);

				if (d < best_d) {
					best_d = d;
					snprintf(buf, 64, "%s", n);
					found = 1;
				}
			}
		}
	}
	return found ? buf : NULL;
}

void crm_filter_known_names(struct crm_buf *out, unsigned scopes)
{
	const struct crm_filter_field *f;
	const char *sep = "";
	char buf[64];

	for (size_t k = 0; (f = nth_field(k)) != NULL; k++) {
		const char *n;

		if (!in_scope(f, scopes))
			continue;
		for (size_t i = 0; (n = listed_name(f, i, buf)) != NULL; i++) {
			crm_buf_addf(out, "%s%s", sep, n);
			sep = ", ";
		}
	}
	for (size_t k = 0; (f = nth_field(k)) != NULL; k++) {
		if (f->build != NULL && f->name != NULL && in_scope(f, scopes)) {
			crm_buf_addf(out, "%s%s", sep, f->name);
			sep = ", ";
		}
	}
}

const char *crm_filter_help(size_t i)
{
	const struct crm_filter_field *f;

	for (size_t k = 0; (f = nth_field(k)) != NULL; k++)
		if (f->help != NULL && i-- == 0)
			return f->help;
	return NULL;
}
