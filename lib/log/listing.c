/* listing.c - the interaction listings and their filter (listing.h). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "log/listing.h"
#include "log/log_rows.h"
#include "store/store.h"

const char *const crm_log_list_cols[CRM_LOG_NLIST] = {
	"id", "at", "contact", "email", "channel", "direction", "type", "subject",
	"agent", "outcome", "duration", "amount", "currency", "key",
};

#define LIST_COLUMNS \
	"SELECT i.id, i.at, i.contact_id, c.email, i.channel, i.direction, i.type," \
	" i.subject, i.agent, i.outcome, i.duration, i.amount, i.currency, i.ext_key"
#define LIST_FROM \
	" FROM interactions i JOIN contacts c ON c.id = i.contact_id" \
	" WHERE (?1 = 0 OR i.contact_id = ?1) AND i.at >= ?2" \
	" AND (?3 IS NULL OR i.at < ?3) AND (?4 IS NULL OR i.channel = lower(?4))" \
	" AND (?5 IS NULL OR i.type = lower(?5)) AND (?6 IS NULL OR i.agent = ?6)" \
	" AND (?7 IS NULL OR i.direction = lower(?7))"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"

int crm_log_filter_check(enum crm_it_field field, const char *value,
			 struct crm_err *e)
{
	struct crm_interaction probe;
	int rc;

	crm_interaction_init(&probe);
	rc = crm_interaction_set(&probe, field, value, 0, e);
	crm_interaction_free(&probe);
	return rc;
}

void crm_log_filter_bind(struct crm_stmt *st, const struct crm_log_filter *f)
{
	crm_bind_int64(st, 1, f->contact_id);
	crm_bind_text_ref(st, 2, f->since);
	if (f->until[0] != '\0')
		crm_bind_text_ref(st, 3, f->until);
	crm_bind_text(st, 4, f->channel);
	crm_bind_text(st, 5, f->type);
	crm_bind_text(st, 6, f->agent);
	crm_bind_text(st, 7, f->direction);
	crm_bind_int64(st, 8, f->limit > 0 ? f->limit : -1);
}

/* An attribute name: a-z first, then a-z, 0-9 and _, 1 to 64 of them. */
static int attr_name_ok(const char *p, size_t len)
{
	return len > 0 && len <= 64 && p[0] >= 'a' && p[0] <= 'z' &&
	       strspn(p, NAME_CHARS) >= len;
}

int crm_log_fields_parse(const char *list, struct crm_log_fields *pf,
			 struct crm_err *e)
{
	char *p;

	pf->list = xstrdup(list);
	p = pf->list;
	for (;;) {
		char *end = strchr(p, ',');
		size_t k;

		if (end != NULL)
			*end = '\0';
		if (pf->n == CRM_LOG_FIELDS_MAX)
			return crm_err_set(e, CRM_EX_USAGE, "at most %d fields", CRM_LOG_FIELDS_MAX);
		for (k = 0; k < CRM_LOG_NLIST && strcmp(crm_log_list_cols[k], p) != 0; k++)
			;
		if (k < CRM_LOG_NLIST) {
			pf->col[pf->n] = (int)k;
		} else if (strncmp(p, "attr.", 5) == 0 && attr_name_ok(p + 5, strlen(p + 5))) {
			pf->col[pf->n] = (int)(CRM_LOG_NLIST + pf->nattrs);
			pf->attrs[pf->nattrs++] = p + 5;
		} else {
			return crm_err_set(e, CRM_EX_USAGE,
				"unknown field \"%.64s\" (use id, at, contact, email, channel, direction, type, subject, agent, outcome, duration, amount, currency, key or attr.NAME)",
				p);
		}
		pf->names[pf->n++] = p;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

void crm_log_fields_free(struct crm_log_fields *pf)
{
	free(pf->list);
	memset(pf, 0, sizeof(*pf));
}

int crm_log_attr_check(const char *arg)
{
	const char *eq = strchr(arg, '=');

	return eq != NULL && attr_name_ok(arg, (size_t)(eq - arg)) ? 0 : -1;
}

struct crm_log_rows *crm_log_list_open(struct crm_store *s, const struct crm_log_filter *f,
				       int purchases, const struct crm_log_fields *pf,
				       const char *const *where, size_t nwhere)
{
	struct crm_buf sql = CRM_BUF_INIT;
	size_t nattrs = pf != NULL ? pf->nattrs : 0;
	struct crm_stmt *st;

	crm_buf_adds(&sql, LIST_COLUMNS);
	for (size_t i = 0; i < nattrs; i++)
		crm_buf_addf(&sql, ", (SELECT value FROM interaction_attrs WHERE interaction_id = i.id"
			     " AND contact_id = i.contact_id AND name = ?%zu)", 9 + i);
	crm_buf_adds(&sql, LIST_FROM);
	if (purchases)
		crm_buf_adds(&sql, " AND (i.type = 'purchase' OR i.type = 'refund')");
	/* Each --attr: the attribute has that value (compared without
	 * regard to case, as the filter language compares text). */
	for (size_t i = 0; i < nwhere; i++)
		crm_buf_addf(&sql, " AND EXISTS (SELECT 1 FROM interaction_attrs a WHERE"
			     " a.interaction_id = i.id AND a.contact_id = i.contact_id AND a.name = ?%zu AND a.value = ?%zu COLLATE NOCASE)",
			     9 + nattrs + 2 * i, 10 + nattrs + 2 * i);
	crm_buf_adds(&sql, " ORDER BY i.at, i.id LIMIT ?8");
	st = crm_store_prepare(s, crm_buf_str(&sql));
	crm_buf_free(&sql);
	if (f->limit <= 0 || f->limit > 2000)
		crm_stmt_stream(st); /* without --limit, every interaction */
	crm_log_filter_bind(st, f);
	for (size_t i = 0; i < nattrs; i++)
		crm_bind_text_ref(st, (int)(9 + i), pf->attrs[i]);
	for (size_t i = 0; i < nwhere; i++) {
		const char *eq = strchr(where[i], '=');

		crm_bind_text_n(st, (int)(9 + nattrs + 2 * i), where[i], (size_t)(eq - where[i]));
		crm_bind_text_ref(st, (int)(10 + nattrs + 2 * i), eq + 1);
	}
	return crm_log_rows_new(s, st, 0, CRM_LOG_AMOUNT_COL, CRM_LOG_CURRENCY_COL);
}
