/* contact_key.c - finding contacts by one field. */
#include "contact/contact_key.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash64.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "base/err.h"
#include "store/store.h"

int crm_contact_key_parse(const char *spec, struct crm_contact_key *k,
			  struct crm_err *e)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->spec, sizeof(k->spec), "%s", spec);
	k->field = -1;
	if (strcmp(spec, "id") == 0)
		k->field = CRM_CF_ID;
	else if (strcmp(spec, "email") == 0)
		k->field = CRM_CF_EMAIL;
	else if (strcmp(spec, "uid") == 0)
		k->field = CRM_CF_UID;
	else if (strcmp(spec, "phone") == 0)
		k->field = CRM_CF_PHONE;
	else if (strncmp(spec, "field.", 6) == 0 && strlen(spec + 6) < sizeof(k->name) &&
		 crm_contact_check_custom_name(spec + 6, NULL) == 0)
		snprintf(k->name, sizeof(k->name), "%s", spec + 6);
	else
		return crm_err_set(e, CRM_EX_USAGE,
				   "invalid key \"%.64s\" (use id, email, uid, phone or field.NAME)", spec);
	return 0;
}

void crm_contact_key_index(const char *name, char out[CRM_CONTACT_KEY_INDEX_MAX + 1])
{
	static const char prefix[] = "contact_fields_key_";
	size_t len = strlen(name);

	if (sizeof(prefix) - 1 + len <= CRM_CONTACT_KEY_INDEX_MAX) {
		snprintf(out, CRM_CONTACT_KEY_INDEX_MAX + 1, "%s%s", prefix, name);
		return;
	}
	/* Cut so that two long names alike at the start stay two indexes:
	 * prefix, 27 bytes of the name, '_', 16 hex digits of its hash. */
	snprintf(out, CRM_CONTACT_KEY_INDEX_MAX + 1, "%s%.*s_%016llx", prefix,
		 (int)(CRM_CONTACT_KEY_INDEX_MAX - (sizeof(prefix) - 1) - 17), name,
		 (unsigned long long)crm_hash64(name, len, 0));
}

/* The SQL of the lookup by custom field k: the name is spelt out (it is
 * checked to be [a-z0-9_]) because SQLite uses a partial index only for a
 * query that repeats its condition, which a bound parameter does not. */
static void field_sql(const struct crm_contact_key *k, const char *fmt, struct crm_buf *out)
{
	crm_buf_reset(out);
	crm_buf_addf(out, fmt, k->name, k->name);
}

int crm_contact_key_check(struct crm_store *s, const struct crm_contact_key *k,
			  struct crm_err *e)
{
	struct crm_stmt *st;
	int rc;

	if (k->field >= 0)
		return 0;
	/* Two contacts with one value cannot both keep it: say who they are. */
	st = crm_store_prepare(s,
		"SELECT a.contact_id, b.contact_id, a.value FROM contact_fields a"
		" JOIN contact_fields b ON b.name = a.name AND b.value = a.value"
		" AND b.contact_id > a.contact_id WHERE a.name = ?1 LIMIT 1");
	crm_bind_text_ref(st, 1, k->name);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		rc = crm_err_set(e, CRM_EX_DATAERR,
				 "%s cannot be a key: contacts %lld and %lld both have \"%.64s\"",
				 k->name, (long long)crm_column_int64(st, 0),
				 (long long)crm_column_int64(st, 1),
				 (const char *)crm_column_text(st, 2));
		crm_stmt_reset(st);
		return rc;
	}
	crm_stmt_reset(st);
	return rc < 0 ? e->code : 0;
}

int crm_contact_key_is_key(struct crm_store *s, const char *name, int *is_key,
			   struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT 1 FROM contact_key_fields WHERE name = ?1");
	int rc;

	crm_bind_text_ref(st, 1, name);
	rc = crm_store_step(s, st, e);
	crm_stmt_reset(st);
	*is_key = rc == CRM_ROW;
	return rc < 0 ? e->code : 0;
}

int crm_contact_key_prepare(struct crm_store *s, const struct crm_contact_key *k,
			    struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	char index[CRM_CONTACT_KEY_INDEX_MAX + 1];
	struct crm_stmt *st;
	int rc;

	if (k->field == CRM_CF_PHONE)
		return crm_store_exec(s, "CREATE INDEX IF NOT EXISTS contacts_by_phone ON contacts(phone)", e);
	if (k->field >= 0)
		return 0; /* email and uid are unique columns already */
	rc = crm_contact_key_check(s, k, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO contact_key_fields (name) VALUES (?1)"
			       " ON CONFLICT DO NOTHING");
	crm_bind_text_ref(st, 1, k->name);
	rc = crm_store_run(s, st, e);
	if (rc != 0)
		return rc;
	/* unique where the index keeps it so; a plain one for the lookups
	 * where the store's directory does */
	crm_contact_key_index(k->name, index);
	crm_buf_addf(&sql, "CREATE %sINDEX IF NOT EXISTS \"%s\""
		     " ON contact_fields(value) WHERE name = '%s'",
		     crm_store_keys_in_directory(s) ? "" : "UNIQUE ", index, k->name);
	rc = crm_store_exec(s, crm_buf_str(&sql), e);
	crm_buf_free(&sql);
	return rc;
}

const char *crm_contact_key_value(const struct crm_contact_key *k,
				  const struct crm_contact *c)
{
	if (k->field == CRM_CF_ID)
		return NULL;
	if (k->field >= 0)
		return c->v[k->field] != NULL && c->v[k->field][0] != '\0' ? c->v[k->field] : NULL;
	for (size_t i = 0; i < c->ncustom; i++)
		if (strcmp(c->custom[i].name, k->name) == 0)
			return c->custom[i].value != NULL && c->custom[i].value[0] != '\0'
			       ? c->custom[i].value : NULL;
	return NULL;
}

int crm_contact_key_set(const struct crm_contact_key *k, struct crm_contact *c,
			const char *raw, int64_t now, struct crm_err *e)
{
	if (k->field == CRM_CF_ID)
		return crm_err_set(e, CRM_EX_DATAERR, "an id is given by the store, not by a file");
	if (k->field >= 0)
		return crm_contact_set(c, k->field, raw, now, e);
	return crm_contact_set_custom(c, k->name, raw, e);
}

static int one_id(struct crm_store *s, struct crm_stmt *st, const char *value,
		  int64_t *id, int *n, struct crm_err *e)
{
	int rc;

	*n = 0;
	crm_bind_text_ref(st, 1, value);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW && *n < 2) {
		if (*n == 0)
			*id = crm_column_int64(st, 0);
		(*n)++;
	}
	crm_stmt_reset(st);
	return rc < 0 ? e->code : 0;
}

int crm_contact_key_find(struct crm_store *s, const struct crm_contact_key *k,
			 const char *value, int64_t *id, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	int rc, n = 0;

	switch (k->field) {
	case CRM_CF_ID: {
		size_t len = strlen(value);

		if (len == 0 || len > 18 || strspn(value, "0123456789") != len)
			return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%.64s\"", value);
		rc = one_id(s, crm_store_prepare(s,
			"SELECT id FROM contacts WHERE id = CAST(?1 AS INTEGER)"), value, id, &n, e);
		break;
	}
	case CRM_CF_EMAIL:
		rc = crm_contact_email_owner(s, value, id, e);
		n = rc == 0;
		if (rc == CRM_EX_NOTFOUND)
			rc = 0;
		break;
	case CRM_CF_UID:
		rc = one_id(s, crm_store_prepare(s, "SELECT id FROM contacts WHERE uid = ?1"),
			    value, id, &n, e);
		break;
	case CRM_CF_PHONE:
		rc = one_id(s, crm_store_prepare(s,
			"SELECT id FROM contacts WHERE phone = ?1 AND erased_at IS NULL"),
			value, id, &n, e);
		break;
	default:
		field_sql(k, "SELECT contact_id FROM contact_fields WHERE name = '%s'"
			  " AND value = ?1%.0s", &sql);
		rc = one_id(s, crm_store_prepare(s, crm_buf_str(&sql)), value, id, &n, e);
		crm_buf_free(&sql);
		break;
	}
	if (rc != 0)
		return rc;
	if (n == 1)
		return 0;
	if (n > 1)
		return crm_err_set(e, CRM_EX_DATAERR, "%s \"%.64s\" is more than one contact's",
				   k->spec, value);
	/* id, uid and email say it as crm_contact_resolve does. */
	if (k->field == CRM_CF_ID || k->field == CRM_CF_UID || k->field == CRM_CF_EMAIL)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%.64s\"", value);
	return crm_err_set(e, CRM_EX_NOTFOUND, "no contact with %s \"%.64s\"",
			   k->field >= 0 ? k->spec : k->name, value);
}
