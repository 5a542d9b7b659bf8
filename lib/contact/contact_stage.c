/* contact_stage.c - an import's new contacts in bulk (see
 * contact_stage.h). */
#include "contact/contact_stage.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "contact/contact.h"
#include "contact/contact_field.h"

enum { KEY_FREE = 1, KEY_TAKEN = 2 };

void crm_contact_stage_init(struct crm_contact_stage *st, struct crm_store *s, int on)
{
	memset(st, 0, sizeof(*st));
	st->store = s;
	st->on = on && crm_store_can_copy(s);
}

void crm_contact_stage_free(struct crm_contact_stage *st)
{
	crm_strmap_free(&st->keys);
	crm_copy_free(&st->uids);
	crm_copy_free(&st->emails);
	crm_copy_free(&st->contacts);
	crm_copy_free(&st->fields);
	crm_copy_free(&st->tags);
}

/* The map's key for a uid ("u...") or an email ("e...", folded as the
 * store compares emails); 0 for an email the fold cannot promise to
 * compare so (outside ASCII: the store's folding is its own). */
static int key_of(int kind, const char *v, struct crm_buf *out)
{
	crm_buf_reset(out);
	crm_buf_addc(out, (char)kind);
	for (const char *p = v; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (kind == 'e' && ch >= 0x80)
			return 0;
		crm_buf_addc(out, kind == 'e' && ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : (char)ch);
	}
	return 1;
}

static int given(const char *v)
{
	return v != NULL && v[0] != '\0';
}

/* Notes key (kind, v) for the lookup, once. */
static void note(struct crm_contact_stage *st, int kind, const char *v, struct crm_buf *k)
{
	struct crm_strmap_entry *en;

	if (!given(v) || !key_of(kind, v, k))
		return;
	en = crm_strmap_put(&st->keys, k->data, k->len);
	if (en->state != 0)
		return;
	en->state = KEY_FREE;
	crm_copy_text(kind == 'u' ? &st->uids : &st->emails, v);
	crm_copy_end_row(kind == 'u' ? &st->uids : &st->emails);
}

int crm_contact_stage_lookup(struct crm_contact_stage *st, struct crm_contact *const *cs,
			     size_t n, struct crm_err *e)
{
	struct crm_buf k = CRM_BUF_INIT;
	struct crm_stmt *q;
	int rc;

	if (!st->on)
		return 0;
	rc = crm_contact_stage_flush(st, e);
	if (rc != 0)
		return rc;
	crm_strmap_clear(&st->keys);
	st->next_id = 0;
	for (size_t i = 0; i < n; i++)
		if (cs[i] != NULL) {
			note(st, 'u', cs[i]->v[CRM_CF_UID], &k);
			note(st, 'e', cs[i]->v[CRM_CF_EMAIL], &k);
		}
	/* Typed as the columns are, so the joins compare as their indexes
	 * do (an email ignoring case). */
	rc = crm_store_exec(st->store,
		"CREATE TEMP TABLE IF NOT EXISTS import_stage_uids AS SELECT uid AS k FROM contacts LIMIT 0;"
		" CREATE TEMP TABLE IF NOT EXISTS import_stage_emails AS SELECT email AS k FROM contacts LIMIT 0", e);
	if (rc == 0)
		rc = crm_store_copy(st->store, "import_stage_uids", "k", &st->uids, e);
	if (rc == 0)
		rc = crm_store_copy(st->store, "import_stage_emails", "k", &st->emails, e);
	if (rc != 0) {
		crm_buf_free(&k);
		return rc;
	}
	q = crm_store_prepare(st->store,
		"SELECT 'u', k.k FROM import_stage_uids k JOIN contacts c ON c.uid = k.k"
		" UNION ALL SELECT 'e', k.k FROM import_stage_emails k JOIN contacts c ON c.email = k.k"
		" UNION ALL SELECT 'e', k.k FROM import_stage_emails k JOIN contact_emails o ON o.email = k.k");
	while ((rc = crm_store_step(st->store, q, e)) == CRM_ROW) {
		const char *kind = crm_column_text(q, 0);
		struct crm_strmap_entry *en;

		if (!key_of(kind[0], crm_column_text(q, 1), &k))
			continue;
		en = crm_strmap_get(&st->keys, k.data, k.len);
		if (en != NULL)
			en->state = KEY_TAKEN;
	}
	crm_stmt_reset(q);
	crm_buf_free(&k);
	if (rc < 0)
		return e->code;
	return crm_store_exec(st->store, "DELETE FROM import_stage_uids; DELETE FROM import_stage_emails", e);
}

/* 1 if key (kind, v) was looked up and is free. */
static int is_free(const struct crm_contact_stage *st, int kind, const char *v)
{
	struct crm_buf k = CRM_BUF_INIT;
	const struct crm_strmap_entry *en = NULL;

	if (key_of(kind, v, &k))
		en = crm_strmap_get(&st->keys, k.data, k.len);
	crm_buf_free(&k);
	return en != NULL && en->state == KEY_FREE;
}

static int valid(const char *v)
{
	return v == NULL || crm_utf8_valid(v, strlen(v), NULL);
}

int crm_contact_stage_fits(const struct crm_contact_stage *st, const struct crm_contact *c)
{
	if (!st->on || c->nemails + c->nphones > 0)
		return 0;
	if (given(c->v[CRM_CF_UID]) && !is_free(st, 'u', c->v[CRM_CF_UID]))
		return 0;
	if (given(c->v[CRM_CF_EMAIL]) && !is_free(st, 'e', c->v[CRM_CF_EMAIL]))
		return 0;
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++)
		if (!valid(c->v[f]))
			return 0;
	for (size_t i = 0; i < c->ncustom; i++)
		if (!valid(c->custom[i].name) || !valid(c->custom[i].value))
			return 0;
	for (size_t i = 0; i < c->ntags; i++)
		if (!valid(c->tags[i]))
			return 0;
	return 1;
}

/* Takes key (kind, v): no later row of the window is staged on it. */
static void take(struct crm_contact_stage *st, int kind, const char *v)
{
	struct crm_buf k = CRM_BUF_INIT;
	struct crm_strmap_entry *en;

	if (given(v) && key_of(kind, v, &k)) {
		en = crm_strmap_get(&st->keys, k.data, k.len);
		if (en != NULL)
			en->state = KEY_TAKEN;
	}
	crm_buf_free(&k);
}

/* A standard field as crm_contact_create binds it: "" and NULL as NULL,
 * booleans as 0 or 1. */
static void field(struct crm_copy *cp, int f, const char *v)
{
	if (!given(v))
		crm_copy_null(cp);
	else if (crm_contact_fields[f].type == CRM_FT_BOOL)
		crm_copy_int64(cp, v[0] == '1');
	else
		crm_copy_text(cp, v);
}

int crm_contact_stage_add(struct crm_contact_stage *st, const struct crm_contact *c,
			  int64_t *id, struct crm_err *e)
{
	const char *now = crm_store_now(st->store);
	char uid[37];
	int rc;

	if (st->next_id == 0) {
		rc = crm_store_next_id(st->store, "contacts", &st->next_id, e);
		if (rc != 0)
			return rc;
	}
	*id = st->next_id++;
	crm_copy_int64(&st->contacts, *id);
	if (given(c->v[CRM_CF_UID])) {
		crm_copy_text(&st->contacts, c->v[CRM_CF_UID]);
	} else {
		crm_contact_new_uid(st->store, uid);
		crm_copy_text(&st->contacts, uid);
	}
	for (int f = CRM_CF_FIRST_NAME; f < CRM_CF_CREATED_AT; f++) {
		/* The store's defaults where the row has nothing. */
		if (f == CRM_CF_STATUS && !given(c->v[f]))
			crm_copy_text(&st->contacts, "lead");
		else if ((f == CRM_CF_EMAIL_OPT_OUT || f == CRM_CF_SMS_OPT_OUT) && !given(c->v[f]))
			crm_copy_int64(&st->contacts, 0);
		else
			field(&st->contacts, f, c->v[f]);
	}
	crm_copy_text(&st->contacts, given(c->v[CRM_CF_CREATED_AT]) ? c->v[CRM_CF_CREATED_AT] : now);
	crm_copy_text(&st->contacts, now);
	crm_copy_end_row(&st->contacts);
	for (size_t i = 0; i < c->ncustom; i++) {
		if (!given(c->custom[i].value))
			continue;
		crm_copy_int64(&st->fields, *id);
		crm_copy_text(&st->fields, c->custom[i].name);
		crm_copy_text(&st->fields, c->custom[i].value);
		crm_copy_end_row(&st->fields);
	}
	for (size_t i = 0; i < c->ntags; i++) {
		size_t j;

		for (j = 0; j < i && strcmp(c->tags[j], c->tags[i]) != 0; j++)
			;
		if (j < i)
			continue; /* INSERT OR IGNORE of a tag given twice */
		crm_copy_int64(&st->tags, *id);
		crm_copy_text(&st->tags, c->tags[i]);
		crm_copy_end_row(&st->tags);
	}
	take(st, 'u', c->v[CRM_CF_UID]);
	take(st, 'e', c->v[CRM_CF_EMAIL]);
	return 0;
}

void crm_contact_stage_taken(struct crm_contact_stage *st, const struct crm_contact *c)
{
	if (!st->on)
		return;
	take(st, 'u', c->v[CRM_CF_UID]);
	take(st, 'e', c->v[CRM_CF_EMAIL]);
	for (size_t i = 0; i < c->nemails; i++)
		take(st, 'e', c->emails[i].name);
	st->next_id = 0;
}

/* "id, uid, first_name, ..., updated_at": the columns of contacts. */
static void contact_columns(struct crm_buf *out)
{
	crm_buf_adds(out, "id");
	for (int f = CRM_CF_UID; f <= CRM_CF_UPDATED_AT; f++)
		crm_buf_addf(out, ", %s", crm_contact_fields[f].name);
}

int crm_contact_stage_flush(struct crm_contact_stage *st, struct crm_err *e)
{
	struct crm_buf cols = CRM_BUF_INIT;
	size_t n = st->contacts.rows;
	int rc;

	if (n == 0)
		return 0;
	contact_columns(&cols);
	rc = crm_store_copy(st->store, "contacts", crm_buf_str(&cols), &st->contacts, e);
	crm_buf_free(&cols);
	if (rc == 0)
		rc = crm_store_copy(st->store, "contact_fields", "contact_id, name, value", &st->fields, e);
	if (rc == 0)
		rc = crm_store_copy(st->store, "contact_tags", "contact_id, tag", &st->tags, e);
	crm_buf_reset(&st->fields.data);
	st->fields.rows = st->fields.values = 0;
	crm_buf_reset(&st->tags.data);
	st->tags.rows = st->tags.values = 0;
	/* Every staged row was checked: a key or id taken now was taken by
	 * a writer that bypassed the lock. Never one row's fault: stop, so
	 * a re-run goes on from the last commit. */
	if (rc == CRM_EX_DATAERR)
		rc = e->code = CRM_EX_TEMPFAIL;
	if (rc != 0)
		crm_err_prefix(e, "writing %zu contacts in bulk", n);
	return rc;
}
