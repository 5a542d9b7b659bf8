/* persona.c - plain-language profiles of groups of contacts. */
#include "segment/persona.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "store/store.h"
#include "base/xalloc.h"

#define GROUPS_MAX 1000

/* Whole years from c.birthdate to ?2 (the time of the run). */
#define AGE_SQL \
	"CAST(strftime('%Y', ?2) AS INTEGER) - CAST(strftime('%Y', c.birthdate) AS INTEGER)" \
	" - CASE WHEN strftime('%m-%d', ?2) < strftime('%m-%d', c.birthdate) THEN 1 ELSE 0 END"

static const char *const group_sql[] = {
	"SELECT contact_id, CAST(cluster AS TEXT) AS grp FROM contact_clusters",
	"SELECT contact_id, segment AS grp FROM contact_rfm",
};

static struct crm_persona *find(struct crm_persona *p, size_t n, const char *group)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].group, group) == 0)
			return &p[i];
	return NULL;
}

/* For each group, the top `top` values of value_sql (over `contacts c` or
 * `contact_tags t`) with their share of the group, joined into a list. */
static int top_values(struct crm_store *s, enum crm_persona_by by, const char *value_sql,
		      const char *from, int top, const char *now,
		      struct crm_persona *p, size_t n, size_t field, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	int rc;

	crm_buf_addf(&sql,
		"WITH g AS (%s),"
		" v AS (SELECT g.grp AS grp, %s AS val, count(*) AS n FROM g %s"
		"  WHERE (%s) IS NOT NULL AND (%s) <> '' GROUP BY 1, 2),"
		" r AS (SELECT grp, val, n, row_number() OVER (PARTITION BY grp"
		"  ORDER BY n DESC, val) AS rk FROM v)"
		" SELECT grp, val, n FROM r WHERE rk <= ?1 ORDER BY grp, rk",
		group_sql[by], value_sql, from, value_sql, value_sql);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	crm_buf_free(&sql);
	if (rc != 0)
		return rc;
	crm_bind_int(st, 1, top);
	if (crm_bind_count(st) >= 2)
		crm_bind_text_ref(st, 2, now);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		struct crm_persona *g = find(p, n, (const char *)crm_column_text(st, 0));
		char **slot;
		struct crm_buf b = CRM_BUF_INIT;

		if (g == NULL)
			continue;
		slot = (char **)((char *)g + field);
		if (*slot != NULL) {
			crm_buf_adds(&b, *slot);
			crm_buf_adds(&b, ", ");
			free(*slot);
		}
		if (top == 1)
			crm_buf_adds(&b, (const char *)crm_column_text(st, 1));
		else
			crm_buf_addf(&b, "%s %.0f%%", crm_column_text(st, 1),
				     100.0 * (double)crm_column_int64(st, 2) /
				     (double)(g->size > 0 ? g->size : 1));
		*slot = crm_buf_detach(&b);
	}
	crm_stmt_free(st);
	return rc == CRM_DONE ? 0 : e->code;
}

int crm_personas(struct crm_store *s, enum crm_persona_by by, int64_t now,
		 struct crm_persona **out, size_t *n, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_persona *p = NULL;
	struct crm_stmt *st = NULL;
	char now_text[32], code[4];
	int rc, minor_per_major;

	*out = NULL;
	*n = 0;
	crm_default_currency_code(code);
	minor_per_major = crm_currency_minor_per_major(code);
	crm_time_format(now, now_text);
	crm_buf_addf(&sql,
		"WITH g AS (%s) SELECT grp, count(*), avg(coalesce((SELECT sum(amount)"
		" FROM interactions i WHERE i.contact_id = g.contact_id"
		" AND (i.type = 'purchase' OR i.type = 'refund')), 0)) / %d.0"
		" FROM g GROUP BY grp ORDER BY count(*) DESC, grp LIMIT %d",
		group_sql[by], minor_per_major, GROUPS_MAX);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	crm_buf_free(&sql);
	if (rc != 0)
		return rc;
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW) {
		p = xreallocarray(p, *n + 1, sizeof(*p));
		memset(&p[*n], 0, sizeof(p[0]));
		p[*n].group = xstrdup((const char *)crm_column_text(st, 0));
		p[*n].size = crm_column_int64(st, 1);
		p[*n].spend = crm_column_double(st, 2);
		(*n)++;
	}
	crm_stmt_free(st);
	if (rc != CRM_DONE) {
		crm_personas_free(p, *n);
		*n = 0;
		return e->code;
	}
	if (*n == 0)
		return crm_err_set(e, CRM_EX_NOTFOUND, by == CRM_PERSONA_RFM
				   ? "no RFM scores: run crm-segment rfm first"
				   : "no clusters: run crm-segment cluster first");
	rc = top_values(s, by,
		"((" AGE_SQL ") / 10 * 10) || '-' || ((" AGE_SQL ") / 10 * 10 + 9)",
		"JOIN contacts c ON c.id = g.contact_id", 1, now_text, p, *n,
		offsetof(struct crm_persona, age_band), e);
	if (rc == 0)
		rc = top_values(s, by, "c.country COLLATE NOCASE", "JOIN contacts c ON c.id = g.contact_id",
				3, now_text, p, *n, offsetof(struct crm_persona, countries), e);
	if (rc == 0)
		rc = top_values(s, by, "c.gender COLLATE NOCASE", "JOIN contacts c ON c.id = g.contact_id",
				3, now_text, p, *n, offsetof(struct crm_persona, genders), e);
	if (rc == 0)
		rc = top_values(s, by, "c.preferred_channel", "JOIN contacts c ON c.id = g.contact_id",
				1, now_text, p, *n, offsetof(struct crm_persona, channel), e);
	if (rc == 0)
		rc = top_values(s, by, "t.tag", "JOIN contact_tags t ON t.contact_id = g.contact_id",
				3, now_text, p, *n, offsetof(struct crm_persona, tags), e);
	if (rc != 0) {
		crm_personas_free(p, *n);
		*n = 0;
		return rc;
	}
	*out = p;
	return 0;
}

void crm_personas_free(struct crm_persona *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].group);
		free(p[i].age_band);
		free(p[i].countries);
		free(p[i].genders);
		free(p[i].channel);
		free(p[i].tags);
	}
	free(p);
}

char *crm_persona_text(const struct crm_persona *p, enum crm_persona_by by,
		       const char *currency)
{
	struct crm_buf b = CRM_BUF_INIT;

	crm_buf_addf(&b, "%s%s (%lld contact%s):", by == CRM_PERSONA_CLUSTER ? "cluster " : "",
		     p->group, (long long)p->size, p->size == 1 ? "" : "s");
	if (p->age_band != NULL)
		crm_buf_addf(&b, " mostly aged %s;", p->age_band);
	if (p->countries != NULL)
		crm_buf_addf(&b, " from %s;", p->countries);
	if (p->genders != NULL)
		crm_buf_addf(&b, " %s;", p->genders);
	crm_buf_addf(&b, " spends %.2f %s on average", p->spend, currency);
	if (p->channel != NULL)
		crm_buf_addf(&b, "; prefers %s", p->channel);
	if (p->tags != NULL)
		crm_buf_addf(&b, "; tagged %s", p->tags);
	crm_buf_addc(&b, '.');
	return crm_buf_detach(&b);
}
