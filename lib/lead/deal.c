/* deal.c - a deal's record and its store operations (deal.h). */
#include "lead/deal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "contact/contact.h"
#include "lead/pipeline.h"
#include "store/store.h"

const char *const crm_deal_field_names[CRM_DEAL_NFIELDS] = {
	"title", "value", "currency", "pipeline", "stage", "owner", "source", "campaign",
	"expected_close", "reason", "key", "created", "closed",
};

/* Their columns in leads (NULL: not a column of its own). */
static const char *const columns[CRM_DEAL_NFIELDS] = {
	"title", "value", "currency", NULL, NULL, "owner", "source", "campaign",
	"expected_close", "reason", "ext_key", NULL, NULL,
};

int crm_deal_field_index(const char *name)
{
	for (int i = 0; i < CRM_DEAL_NFIELDS; i++)
		if (strcmp(name, crm_deal_field_names[i]) == 0)
			return i;
	return -1;
}

void crm_deal_init(struct crm_deal *d)
{
	memset(d, 0, sizeof(*d));
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void crm_deal_free(struct crm_deal *d)
{
	for (int i = 0; i < CRM_DEAL_NFIELDS; i++)
		free(d->v[i]);
	free_list(d->tags, d->ntags);
	free_list(d->untags, d->nuntags);
	free_list(d->fnames, d->nfields);
	free_list(d->fvalues, d->nfields);
	crm_deal_init(d);
}

/* Text of at most max bytes with no control character. */
static int check_text(const char *what, const char *s, size_t max, struct crm_err *e)
{
	size_t n = strlen(s);

	if (n > max)
		return crm_err_set(e, CRM_EX_DATAERR, "%s longer than %zu bytes", what, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return crm_err_set(e, CRM_EX_DATAERR, "%s: control character in it", what);
	return 0;
}

static void keep(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

int crm_deal_set(struct crm_deal *d, enum crm_deal_field f, const char *raw, int64_t now,
		 struct crm_err *e)
{
	char out[32];
	int64_t y, t;
	int m, day, rc;

	switch (f) {
	case CRM_DEAL_CURRENCY:
		if (crm_currency_parse(raw, out, e) != 0)
			return CRM_EX_DATAERR;
		keep(&d->v[f], out);
		return 0;
	case CRM_DEAL_EXPECTED_CLOSE:
		if (raw[0] == '\0') {
			keep(&d->v[f], "");
			return 0;
		}
		if (crm_date_parse(raw, now, &y, &m, &day, e) != 0)
			return CRM_EX_DATAERR;
		crm_date_format(y, m, day, out);
		keep(&d->v[f], out);
		return 0;
	case CRM_DEAL_CREATED:
	case CRM_DEAL_CLOSED:
		if (crm_time_parse(raw, now, &t, e) != 0)
			return CRM_EX_DATAERR;
		crm_time_format(t, out);
		keep(&d->v[f], out);
		return 0;
	case CRM_DEAL_TITLE:
		if (raw[0] == '\0')
			return crm_err_set(e, CRM_EX_DATAERR, "a deal needs a title");
		rc = check_text("title", raw, 500, e);
		break;
	case CRM_DEAL_VALUE:
		rc = check_text("value", raw, 40, e);
		break;
	case CRM_DEAL_PIPELINE:
	case CRM_DEAL_STAGE:
		rc = crm_pipeline_check_name(f == CRM_DEAL_STAGE ? "stage" : "pipeline", raw, e);
		if (rc != 0)
			rc = CRM_EX_DATAERR;
		break;
	default:
		rc = check_text(crm_deal_field_names[f], raw, f == CRM_DEAL_REASON ? 1000 : 200, e);
		break;
	}
	if (rc == 0)
		keep(&d->v[f], raw);
	return rc;
}

int crm_deal_tag(struct crm_deal *d, const char *tag, int add, struct crm_err *e)
{
	if (crm_contact_check_tag(tag, e) != 0)
		return CRM_EX_DATAERR;
	if (add) {
		d->tags = xreallocarray(d->tags, d->ntags + 1, sizeof(*d->tags));
		d->tags[d->ntags++] = xstrdup(tag);
	} else {
		d->untags = xreallocarray(d->untags, d->nuntags + 1, sizeof(*d->untags));
		d->untags[d->nuntags++] = xstrdup(tag);
	}
	return 0;
}

int crm_deal_field(struct crm_deal *d, const char *name, const char *value, struct crm_err *e)
{
	size_t n = strlen(name);

	if (!(name[0] >= 'a' && name[0] <= 'z' && n <= 64 &&
	      strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n))
		return crm_err_set(e, CRM_EX_DATAERR, "invalid custom field name \"%.64s\" (a-z,"
				   " 0-9 and _, starting with a letter)", name);
	if (crm_deal_field_index(name) >= 0)
		return crm_err_set(e, CRM_EX_DATAERR, "field name \"%.64s\" is a deal's own field",
				   name);
	if (check_text(name, value, 10000, e) != 0)
		return CRM_EX_DATAERR;
	for (size_t i = 0; i < d->nfields; i++)
		if (strcmp(d->fnames[i], name) == 0) {
			keep(&d->fvalues[i], value);
			return 0;
		}
	d->fnames = xreallocarray(d->fnames, d->nfields + 1, sizeof(*d->fnames));
	d->fvalues = xreallocarray(d->fvalues, d->nfields + 1, sizeof(*d->fvalues));
	d->fnames[d->nfields] = xstrdup(name);
	d->fvalues[d->nfields++] = xstrdup(value);
	return 0;
}

int crm_deal_finish(struct crm_deal *d, int required, char mark, struct crm_err *e)
{
	/* (edit, required 0: a value without a currency waits for the deal's) */
	char cur[4];

	if (required && d->v[CRM_DEAL_TITLE] == NULL)
		return crm_err_set(e, CRM_EX_USAGE, "a deal needs a title (--title)");
	if (d->v[CRM_DEAL_VALUE] == NULL) {
		if (required)
			return crm_err_set(e, CRM_EX_USAGE, "a deal needs a value (--value)");
		return 0;
	}
	if (d->v[CRM_DEAL_CURRENCY] == NULL && !required)
		return 0;   /* an edit: parsed in the deal's own currency */
	if (d->v[CRM_DEAL_CURRENCY] == NULL) {
		if (crm_currency_parse(crm_default_currency(), cur, e) != 0)
			return crm_err_set(e, CRM_EX_CONFIG, "$CRM_CURRENCY: %s", e->msg);
		keep(&d->v[CRM_DEAL_CURRENCY], cur);
	}
	if (d->v[CRM_DEAL_VALUE][0] == '-')
		return crm_err_set(e, CRM_EX_DATAERR, "invalid value \"%.40s\" (a deal's value is"
				   " not negative)", d->v[CRM_DEAL_VALUE]);
	if (crm_amount_parse_mark(d->v[CRM_DEAL_VALUE], d->v[CRM_DEAL_CURRENCY], mark, &d->value,
				  e) != 0)
		return CRM_EX_DATAERR;
	if (d->value < 0)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid value \"%.40s\" (a deal's value is"
				   " not negative)", d->v[CRM_DEAL_VALUE]);
	return 0;
}

/* ---- the store ------------------------------------------------------------- */

static int add_event(struct crm_store *s, int64_t id, int64_t contact, const char *at,
		     const char *kind, const char *from, const char *to, const char *detail,
		     struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT INTO lead_events (lead_id, contact_id, at, kind, from_stage, to_stage, who,"
		" detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	crm_bind_int64(st, 1, id);
	crm_bind_int64(st, 2, contact);
	crm_bind_text(st, 3, at != NULL ? at : crm_store_now(s));
	crm_bind_text(st, 4, kind);
	crm_bind_text_or_null(st, 5, from);
	crm_bind_text_or_null(st, 6, to);
	crm_bind_text(st, 7, crm_store_who(s));
	crm_bind_text_or_null(st, 8, detail);
	return crm_store_run(s, st, e);
}

/* Tags and custom fields of d onto deal id. */
static int write_extras(struct crm_store *s, int64_t id, int64_t contact,
			const struct crm_deal *d, int *changed, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < d->ntags; i++) {
		st = crm_store_prepare(s, "INSERT INTO lead_tags (lead_id, tag, contact_id)"
				       " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
		crm_bind_int64(st, 1, id);
		crm_bind_text(st, 2, d->tags[i]);
		crm_bind_int64(st, 3, contact);
		rc = crm_store_run(s, st, e);
		if (rc == 0 && crm_store_changes(s) > 0) {
			(*changed)++;
			rc = crm_history_add(s, "lead", id, "tag", "tag", NULL, d->tags[i], e);
		}
	}
	for (size_t i = 0; rc == 0 && i < d->nuntags; i++) {
		st = crm_store_prepare(s, "DELETE FROM lead_tags WHERE lead_id = ?1 AND tag = ?2");
		crm_bind_int64(st, 1, id);
		crm_bind_text(st, 2, d->untags[i]);
		rc = crm_store_run(s, st, e);
		if (rc == 0 && crm_store_changes(s) > 0) {
			(*changed)++;
			rc = crm_history_add(s, "lead", id, "untag", "tag", d->untags[i], NULL, e);
		}
	}
	for (size_t i = 0; rc == 0 && i < d->nfields; i++) {
		char *old = NULL;
		int step;

		st = crm_store_prepare(s, "SELECT value FROM lead_fields WHERE lead_id = ?1"
				       " AND contact_id = ?2 AND name = ?3");
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, contact);
		crm_bind_text(st, 3, d->fnames[i]);
		step = crm_store_step(s, st, e);
		if (step == CRM_ROW)
			old = xstrdup(crm_column_text(st, 0));
		crm_stmt_reset(st);
		if (step < 0)
			return e->code;
		if (d->fvalues[i][0] == '\0' && old != NULL) {
			st = crm_store_prepare(s, "DELETE FROM lead_fields WHERE lead_id = ?1"
					       " AND contact_id = ?2 AND name = ?3");
		} else if (d->fvalues[i][0] != '\0' &&
			   (old == NULL || strcmp(old, d->fvalues[i]) != 0)) {
			/* UPDATE or INSERT, as the row is there or not: the key of
			 * lead_fields differs between the stores (PostgreSQL's holds
			 * contact_id, the distribution column), so no ON CONFLICT. */
			st = crm_store_prepare(s, old != NULL ?
					       "UPDATE lead_fields SET value = ?4 WHERE lead_id = ?1"
					       " AND contact_id = ?2 AND name = ?3" :
					       "INSERT INTO lead_fields (lead_id, name, value,"
					       " contact_id) VALUES (?1, ?3, ?4, ?2)");
			crm_bind_text(st, 4, d->fvalues[i]);
		} else {
			free(old);
			continue;
		}
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, contact);
		crm_bind_text(st, 3, d->fnames[i]);
		rc = crm_store_run(s, st, e);
		if (rc == 0) {
			char field[80];

			snprintf(field, sizeof(field), "field.%s", d->fnames[i]);
			(*changed)++;
			rc = crm_history_add(s, "lead", id, "update", field, old,
					     d->fvalues[i][0] != '\0' ? d->fvalues[i] : NULL, e);
		}
		free(old);
	}
	return rc;
}

int crm_deal_by_key(struct crm_store *s, const char *key, int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM leads WHERE ext_key = ?1");
	int rc;

	crm_bind_text(st, 1, key);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		*id = crm_column_int64(st, 0);
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	return rc == CRM_ROW ? 0 : CRM_EX_NOTFOUND;
}

/* A pipeline or stage that is not there is bad data (an import rejects
 * the row), not an empty result. */
static int not_there(int rc, struct crm_err *e)
{
	if (rc == CRM_EX_NOTFOUND)
		e->code = rc = CRM_EX_DATAERR;
	return rc;
}

/* The stage d names in its pipeline, else the first open one. */
static int deal_stage(struct crm_store *s, const struct crm_deal *d, struct crm_stage *t,
		      struct crm_err *e)
{
	int64_t pid = 0;
	int rc = 0;

	if (d->v[CRM_DEAL_PIPELINE] != NULL)
		rc = crm_pipeline_find(s, d->v[CRM_DEAL_PIPELINE], &pid, e);
	if (rc != 0)
		return not_there(rc, e);
	if (d->v[CRM_DEAL_STAGE] != NULL)
		rc = crm_stage_find(s, pid, d->v[CRM_DEAL_STAGE], t, e);
	else
		rc = crm_stage_first(s, pid, t, e);
	return not_there(rc, e);
}

int crm_deal_add(struct crm_store *s, const struct crm_deal *d, int64_t contact_id,
		 int64_t *id, int *existed, struct crm_err *e)
{
	struct crm_stage t;
	struct crm_stmt *st;
	const char *now = crm_store_now(s);
	const char *created = d->v[CRM_DEAL_CREATED] != NULL ? d->v[CRM_DEAL_CREATED] : now;
	const char *closed = NULL;
	int changed = 0, rc;

	*existed = 0;
	if (d->v[CRM_DEAL_KEY] != NULL) {
		rc = crm_deal_by_key(s, d->v[CRM_DEAL_KEY], id, e);
		if (rc == 0) {
			*existed = 1;
			return 0;
		}
		if (rc != CRM_EX_NOTFOUND)
			return rc;
	}
	rc = crm_pipeline_ensure(s, e);
	if (rc == 0)
		rc = deal_stage(s, d, &t, e);
	if (rc != 0)
		return rc;
	if (t.kind != CRM_STAGE_OPEN)
		closed = d->v[CRM_DEAL_CLOSED] != NULL ? d->v[CRM_DEAL_CLOSED] : created;
	st = crm_store_prepare(s,
		"INSERT INTO leads (contact_id, title, value, currency, pipeline_id, stage_id, owner,"
		" source, campaign, expected_close, reason, stage_at, closed_at, ext_key, created_at,"
		" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16) RETURNING id");
	crm_bind_int64(st, 1, contact_id);
	crm_bind_text(st, 2, d->v[CRM_DEAL_TITLE]);
	crm_bind_int64(st, 3, d->value);
	crm_bind_text(st, 4, d->v[CRM_DEAL_CURRENCY]);
	crm_bind_int64(st, 5, t.pipeline_id);
	crm_bind_int64(st, 6, t.id);
	crm_bind_text_or_null(st, 7, d->v[CRM_DEAL_OWNER]);
	crm_bind_text_or_null(st, 8, d->v[CRM_DEAL_SOURCE]);
	crm_bind_text_or_null(st, 9, d->v[CRM_DEAL_CAMPAIGN]);
	crm_bind_text_or_null(st, 10, d->v[CRM_DEAL_EXPECTED_CLOSE]);
	crm_bind_text_or_null(st, 11, d->v[CRM_DEAL_REASON]);
	crm_bind_text(st, 12, closed != NULL ? closed : created);
	crm_bind_text_or_null(st, 13, closed);
	crm_bind_text_or_null(st, 14, d->v[CRM_DEAL_KEY]);
	crm_bind_text(st, 15, created);
	crm_bind_text(st, 16, now);
	rc = crm_store_insert_id(s, st, id, e);
	if (rc == 0)
		rc = add_event(s, *id, contact_id, created, "created", NULL,
			       closed != NULL ? NULL : t.name, NULL, e);
	if (rc == 0 && closed != NULL)
		rc = add_event(s, *id, contact_id, closed, "moved", NULL, t.name,
			       d->v[CRM_DEAL_REASON], e);
	if (rc == 0)
		rc = crm_history_add(s, "lead", *id, "create", NULL, NULL, NULL, e);
	if (rc == 0)
		rc = write_extras(s, *id, contact_id, d, &changed, e);
	return rc;
}

int crm_deal_currency(struct crm_store *s, int64_t id, char out[4], struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT currency FROM leads WHERE id = ?1");
	int rc;

	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		snprintf(out, 4, "%s", crm_column_text(st, 0));
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	return rc == CRM_ROW ? 0 : crm_err_set(e, CRM_EX_NOTFOUND, "no deal %lld", (long long)id);
}

int crm_deal_resolve(struct crm_store *s, const char *ref, int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st;
	char *end;
	long long v;
	int rc;

	if (ref[0] < '0' || ref[0] > '9' || (v = strtoll(ref, &end, 10), *end != '\0') || v <= 0)
		return crm_err_set(e, CRM_EX_USAGE, "invalid deal id \"%.40s\"", ref);
	st = crm_store_prepare(s, "SELECT id FROM leads WHERE id = ?1");
	crm_bind_int64(st, 1, v);
	rc = crm_store_step(s, st, e);
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc != CRM_ROW)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no deal %lld", v);
	*id = v;
	return 0;
}

/* The deal's stage, contact and given columns' texts. */
struct current {
	int64_t contact;
	int64_t stage_id;
	char *v[CRM_DEAL_NFIELDS];
	char *converted;
	char *reason;
};

static void current_free(struct current *c)
{
	for (int i = 0; i < CRM_DEAL_NFIELDS; i++)
		free(c->v[i]);
	free(c->converted);
	free(c->reason);
}

static int read_current(struct crm_store *s, int64_t id, struct current *c, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT contact_id, stage_id, title, value, currency, owner, source, campaign,"
		" expected_close, reason, ext_key, converted_at FROM leads WHERE id = ?1");
	static const int fields[] = { CRM_DEAL_TITLE, CRM_DEAL_VALUE, CRM_DEAL_CURRENCY,
		CRM_DEAL_OWNER, CRM_DEAL_SOURCE, CRM_DEAL_CAMPAIGN, CRM_DEAL_EXPECTED_CLOSE,
		CRM_DEAL_REASON, CRM_DEAL_KEY };
	int rc;

	memset(c, 0, sizeof(*c));
	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		c->contact = crm_column_int64(st, 0);
		c->stage_id = crm_column_int64(st, 1);
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			const char *v = crm_column_text(st, (int)i + 2);

			c->v[fields[i]] = v != NULL ? xstrdup(v) : NULL;
		}
		if (crm_column_text(st, 11) != NULL)
			c->converted = xstrdup(crm_column_text(st, 11));
	}
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc != CRM_ROW)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no deal %lld", (long long)id);
	return 0;
}

int crm_deal_edit(struct crm_store *s, int64_t id, const struct crm_deal *given, int *changed,
		  struct crm_err *e)
{
	struct current c;
	struct crm_buf names, sql;
	struct crm_stmt *st;
	struct crm_deal copy = *given, *d = &copy;
	int rc = read_current(s, id, &c, e);

	*changed = 0;
	if (rc != 0)
		return rc;
	/* a new value without a currency is in the deal's own */
	if (d->v[CRM_DEAL_VALUE] != NULL && d->v[CRM_DEAL_CURRENCY] == NULL) {
		if (d->v[CRM_DEAL_VALUE][0] == '-' ||
		    crm_amount_parse(d->v[CRM_DEAL_VALUE], c.v[CRM_DEAL_CURRENCY], &d->value, e) != 0) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "invalid value \"%.40s\" (a number of"
					 " %s, not negative)", d->v[CRM_DEAL_VALUE],
					 c.v[CRM_DEAL_CURRENCY]);
			current_free(&c);
			return rc;
		}
	}
	if (d->v[CRM_DEAL_PIPELINE] != NULL || d->v[CRM_DEAL_STAGE] != NULL) {
		current_free(&c);
		return crm_err_set(e, CRM_EX_USAGE, "a deal changes stage with crm-lead move");
	}
	crm_buf_init(&names);
	for (int f = 0; rc == 0 && f < CRM_DEAL_NFIELDS; f++) {
		char buf[32];
		const char *nv = d->v[f];

		if (nv == NULL || columns[f] == NULL)
			continue;
		if (f == CRM_DEAL_VALUE) {
			snprintf(buf, sizeof(buf), "%lld", (long long)d->value);
			nv = buf;
		}
		if (nv[0] == '\0' && (f == CRM_DEAL_TITLE || f == CRM_DEAL_CURRENCY))
			continue;
		if (c.v[f] != NULL ? strcmp(c.v[f], nv) == 0 : nv[0] == '\0')
			continue;
		if (f == CRM_DEAL_CURRENCY && d->v[CRM_DEAL_VALUE] == NULL) {
			rc = crm_err_set(e, CRM_EX_USAGE, "a new currency needs its value (--value)");
			break;
		}
		crm_buf_init(&sql);
		crm_buf_addf(&sql, "UPDATE leads SET %s = ?2, updated_at = ?3 WHERE id = ?1",
			     columns[f]);
		rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
		crm_buf_free(&sql);
		if (rc != 0)
			break;
		crm_bind_int64(st, 1, id);
		if (f == CRM_DEAL_VALUE)
			crm_bind_int64(st, 2, d->value);
		else
			crm_bind_text_or_null(st, 2, nv);
		crm_bind_text(st, 3, crm_store_now(s));
		rc = crm_store_run(s, st, e);
		crm_stmt_free(st);
		if (rc == 0)
			rc = crm_history_add(s, "lead", id, "update", crm_deal_field_names[f], c.v[f],
					     nv[0] != '\0' ? nv : NULL, e);
		if (rc == 0) {
			crm_buf_addf(&names, "%s%s", names.len > 0 ? ", " : "",
				     crm_deal_field_names[f]);
			(*changed)++;
		}
	}
	if (rc == 0) {
		int before = *changed;

		rc = write_extras(s, id, c.contact, d, changed, e);
		if (rc == 0 && *changed > before)
			crm_buf_addf(&names, "%stags or fields", names.len > 0 ? ", " : "");
	}
	if (rc == 0 && *changed > 0)
		rc = add_event(s, id, c.contact, NULL, "edited", NULL, NULL, crm_buf_str(&names), e);
	crm_buf_free(&names);
	current_free(&c);
	return rc;
}

int crm_deal_move(struct crm_store *s, int64_t id, const char *stage, const char *reason,
		  int reopen, const char *at, int *changed, struct crm_err *e)
{
	struct current c;
	struct crm_stage from, to;
	struct crm_stmt *st;
	const char *when = at != NULL ? at : crm_store_now(s);
	int rc = read_current(s, id, &c, e);

	*changed = 0;
	if (rc == 0)
		rc = crm_stage_get(s, c.stage_id, &from, e);
	if (rc == 0) {
		rc = not_there(crm_stage_find(s, from.pipeline_id, stage, &to, e), e);
	}
	if (rc == 0 && to.id == from.id) {
		current_free(&c);
		return 0;
	}
	if (rc == 0 && from.kind != CRM_STAGE_OPEN && !reopen)
		rc = crm_err_set(e, CRM_EX_DATAERR, "deal %lld is %s: move it with --reopen",
				 (long long)id, crm_stage_kind_name(from.kind));
	if (rc == 0 && to.kind != CRM_STAGE_OPEN && (reason == NULL || reason[0] == '\0'))
		rc = crm_err_set(e, CRM_EX_USAGE, "a deal moved to %s stage \"%s\" needs --reason",
				 crm_stage_kind_name(to.kind), to.name);
	if (rc == 0 && reason != NULL)
		rc = check_text("reason", reason, 1000, e);
	if (rc != 0) {
		current_free(&c);
		return rc;
	}
	st = crm_store_prepare(s,
		"UPDATE leads SET stage_id = ?2, stage_at = ?3, updated_at = ?4,"
		" closed_at = CASE WHEN ?5 = 1 THEN ?3 ELSE NULL END,"
		" reason = CASE WHEN ?5 = 1 THEN ?6 ELSE NULL END WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	crm_bind_int64(st, 2, to.id);
	crm_bind_text(st, 3, when);
	crm_bind_text(st, 4, crm_store_now(s));
	crm_bind_int(st, 5, to.kind != CRM_STAGE_OPEN);
	crm_bind_text_or_null(st, 6, reason);
	rc = crm_store_run(s, st, e);
	if (rc == 0)
		rc = add_event(s, id, c.contact, when,
			       from.kind != CRM_STAGE_OPEN ? "reopened" : "moved", from.name, to.name,
			       reason, e);
	if (rc == 0)
		rc = crm_history_add(s, "lead", id, "update", "stage", from.name, to.name, e);
	if (rc == 0)
		*changed = 1;
	current_free(&c);
	return rc;
}

int crm_deal_rm(struct crm_store *s, int64_t id, struct crm_err *e)
{
	struct current c;
	struct crm_stmt *st;
	char note[48];
	int rc = read_current(s, id, &c, e);

	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM leads WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	rc = crm_store_run(s, st, e);
	/* Its history stays, as "lead-removed" of its contact with the
	 * deal's id in the note (store/domain.h): on SQLite a new deal may
	 * get the id again, and an erasure of the person finds it by her. */
	snprintf(note, sizeof(note), "lead %lld", (long long)id);
	if (rc == 0) {
		st = crm_store_prepare(s, "UPDATE history SET entity = 'lead-removed', entity_id = ?2,"
				       " note = ?3 WHERE entity = 'lead' AND entity_id = ?1");
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, c.contact);
		crm_bind_text(st, 3, note);
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0)
		rc = crm_history_note(s, "lead-removed", c.contact, "delete", "title",
				      c.v[CRM_DEAL_TITLE], NULL, note, e);
	current_free(&c);
	return rc;
}

int crm_deal_convert(struct crm_store *s, int64_t id, int *was_customer, struct crm_err *e)
{
	struct current c;
	struct crm_contact k;
	struct crm_stmt *st;
	int changed = 0, rc = read_current(s, id, &c, e);

	*was_customer = 0;
	if (rc != 0)
		return rc;
	if (c.converted != NULL) {
		rc = crm_err_set(e, CRM_EX_DATAERR, "deal %lld was converted at %s: nothing done",
				 (long long)id, c.converted);
		current_free(&c);
		return rc;
	}
	crm_contact_init(&k);
	rc = crm_contact_set_named(&k, "status", "customer", crm_now(), e);
	if (rc == 0)
		rc = crm_contact_update(s, c.contact, &k, &changed, e);
	crm_contact_free(&k);
	*was_customer = changed == 0;
	if (rc == 0) {
		st = crm_store_prepare(s, "UPDATE leads SET converted_at = ?2, updated_at = ?2"
				       " WHERE id = ?1");
		crm_bind_int64(st, 1, id);
		crm_bind_text(st, 2, crm_store_now(s));
		rc = crm_store_run(s, st, e);
	}
	if (rc == 0)
		rc = add_event(s, id, c.contact, NULL, "converted", NULL, NULL,
			       *was_customer ? "a customer already" : "now a customer", e);
	current_free(&c);
	return rc;
}
