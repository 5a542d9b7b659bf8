/* contact_detail.c - a contact's other emails and phones. */
#include "contact/contact_detail.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "contact/contact_field.h"
#include "base/err.h"
#include "base/phone.h"
#include "store/store.h"
#include "base/xalloc.h"

/* The contact's primary value of column ("email" or "phone"), or NULL. */
static char *primary_of(struct crm_store *s, int64_t id, int phone, struct crm_err *e, int *rc)
{
	struct crm_stmt *st = crm_store_prepare(s, phone
		? "SELECT phone FROM contacts WHERE id = ?1"
		: "SELECT email FROM contacts WHERE id = ?1");
	char *v = NULL;
	int step;

	crm_bind_int64(st, 1, id);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW && crm_column_type(st, 0) != CRM_NULL)
		v = xstrdup((const char *)crm_column_text(st, 0));
	crm_stmt_reset(st);
	*rc = step < 0 ? e->code : step == CRM_DONE
		? crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%lld\"", (long long)id) : 0;
	return v;
}

static int set_primary(struct crm_store *s, int64_t id, int phone, const char *value,
		       struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, phone
		? "UPDATE contacts SET phone = ?2, updated_at = ?3 WHERE id = ?1"
		: "UPDATE contacts SET email = ?2, updated_at = ?3 WHERE id = ?1");

	crm_bind_int64(st, 1, id);
	crm_bind_text(st, 2, value);
	crm_bind_text_ref(st, 3, crm_store_now(s));
	return crm_store_run(s, st, e);
}

static int insert_other(struct crm_store *s, int64_t id, int phone, const char *value,
			const char *type, const char *region, struct crm_err *e)
{
	struct crm_stmt *st;
	char e164[24];

	if (phone) {
		st = crm_store_prepare(s,
			"INSERT INTO contact_phones (contact_id, phone, e164, type, created_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (contact_id, phone)"
			" DO UPDATE SET type = excluded.type");
		crm_bind_text(st, 3, crm_phone_e164(value, region, e164, sizeof(e164)) == 0
				     ? e164 : NULL);
	} else {
		st = crm_store_prepare(s,
			"INSERT INTO contact_emails (contact_id, email, type, created_at)"
			" VALUES (?1, ?2, ?4, ?5) ON CONFLICT (contact_id, email)"
			" DO UPDATE SET type = excluded.type");
	}
	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, value);
	crm_bind_text(st, 4, type != NULL && type[0] != '\0' ? type : NULL);
	crm_bind_text_ref(st, 5, crm_store_now(s));
	return crm_store_run(s, st, e);
}

static int delete_other(struct crm_store *s, int64_t id, int phone, const char *value,
			int *deleted, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, phone
		? "DELETE FROM contact_phones WHERE contact_id = ?1 AND phone = ?2"
		: "DELETE FROM contact_emails WHERE contact_id = ?1 AND email = ?2");
	int rc;

	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, value);
	rc = crm_store_run(s, st, e);
	*deleted = rc == 0 && crm_store_changes(s) > 0;
	return rc;
}

static int touch(struct crm_store *s, int64_t id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "UPDATE contacts SET updated_at = ?2 WHERE id = ?1");

	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, crm_store_now(s));
	return crm_store_run(s, st, e);
}

/* Shared by emails and phones: value is already normalised. */
static int add_detail(struct crm_store *s, int64_t id, int phone, const char *value,
		      const char *type, int primary, const char *region, struct crm_err *e)
{
	const char *field = phone ? "phone" : "email";
	const char *others = phone ? "phones" : "emails";
	char *old;
	int rc, deleted = 0;

	old = primary_of(s, id, phone, e, &rc);
	if (rc != 0)
		return rc;
	if (!phone) {
		int64_t owner;

		rc = crm_contact_email_owner(s, value, &owner, e);
		if (rc == 0 && owner != id) {
			free(old);
			return crm_err_set(e, CRM_EX_DATAERR, "email \"%s\" belongs to contact %lld",
					   value, (long long)owner);
		}
		if (rc != 0 && rc != CRM_EX_NOTFOUND) {
			free(old);
			return rc;
		}
	}
	if (old != NULL && strcasecmp(old, value) == 0) {
		free(old);
		return 0; /* already the primary one */
	}
	if (primary) {
		rc = delete_other(s, id, phone, value, &deleted, e);
		if (rc == 0 && old != NULL)
			rc = insert_other(s, id, phone, old, NULL, region, e);
		if (rc == 0)
			rc = set_primary(s, id, phone, value, e);
		if (rc == 0)
			rc = crm_history_add(s, "contact", id, "update", field, old, value, e);
	} else if (old == NULL) {
		/* The first one is the primary one, whatever was asked. */
		rc = set_primary(s, id, phone, value, e);
		if (rc == 0)
			rc = crm_history_add(s, "contact", id, "update", field, NULL, value, e);
	} else {
		struct crm_buf shown = CRM_BUF_INIT;

		crm_buf_adds(&shown, value);
		if (type != NULL && type[0] != '\0')
			crm_buf_addf(&shown, " (%s)", type);
		rc = insert_other(s, id, phone, value, type, region, e);
		if (rc == 0)
			rc = crm_history_add(s, "contact", id, "add", others, NULL,
					     crm_buf_str(&shown), e);
		if (rc == 0)
			rc = touch(s, id, e);
		crm_buf_free(&shown);
	}
	free(old);
	return rc;
}

static int remove_detail(struct crm_store *s, int64_t id, int phone, const char *value,
			 struct crm_err *e)
{
	const char *field = phone ? "phone" : "email";
	char *old, *next = NULL;
	int rc, deleted = 0;

	old = primary_of(s, id, phone, e, &rc);
	if (rc != 0)
		return rc;
	if (old == NULL || strcasecmp(old, value) != 0) {
		free(old);
		rc = delete_other(s, id, phone, value, &deleted, e);
		if (rc == 0 && !deleted)
			return crm_err_set(e, CRM_EX_NOTFOUND, "contact %lld has no %s \"%s\"",
					   (long long)id, field, value);
		if (rc == 0)
			rc = crm_history_add(s, "contact", id, "remove", phone ? "phones" : "emails",
					     value, NULL, e);
		return rc == 0 ? touch(s, id, e) : rc;
	}
	/* The primary one: the oldest other takes its place. */
	{
		struct crm_stmt *st = crm_store_prepare(s, phone
			? "SELECT phone FROM contact_phones WHERE contact_id = ?1 ORDER BY id LIMIT 1"
			: "SELECT email FROM contact_emails WHERE contact_id = ?1 ORDER BY id LIMIT 1");
		int step;

		crm_bind_int64(st, 1, id);
		step = crm_store_step(s, st, e);
		if (step == CRM_ROW)
			next = xstrdup((const char *)crm_column_text(st, 0));
		crm_stmt_reset(st);
		rc = step < 0 ? e->code : 0;
	}
	if (rc == 0 && next != NULL)
		rc = delete_other(s, id, phone, next, &deleted, e);
	if (rc == 0)
		rc = set_primary(s, id, phone, next, e);
	if (rc == 0)
		rc = crm_history_add(s, "contact", id, "update", field, old, next, e);
	free(old);
	free(next);
	return rc;
}

int crm_contact_add_email(struct crm_store *s, int64_t id, const char *email,
			  const char *type, int primary, struct crm_err *e)
{
	struct crm_buf norm = CRM_BUF_INIT;
	int rc = crm_contact_normalize(CRM_CF_EMAIL, email, 0, &norm, e);

	if (rc == 0 && norm.len == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no email given");
	if (rc == 0)
		rc = add_detail(s, id, 0, crm_buf_str(&norm), type, primary, NULL, e);
	crm_buf_free(&norm);
	return rc;
}

int crm_contact_remove_email(struct crm_store *s, int64_t id, const char *email,
			     struct crm_err *e)
{
	return remove_detail(s, id, 0, email, e);
}

int crm_contact_add_phone(struct crm_store *s, int64_t id, const char *phone,
			  const char *type, int primary, const char *region,
			  struct crm_err *e)
{
	struct crm_buf norm = CRM_BUF_INIT;
	int rc = crm_contact_normalize(CRM_CF_PHONE, phone, 0, &norm, e);

	if (rc == 0 && norm.len == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no phone given");
	if (rc == 0)
		rc = add_detail(s, id, 1, crm_buf_str(&norm), type, primary, region, e);
	crm_buf_free(&norm);
	return rc;
}

int crm_contact_remove_phone(struct crm_store *s, int64_t id, const char *phone,
			     struct crm_err *e)
{
	struct crm_buf norm = CRM_BUF_INIT;
	int rc = crm_contact_normalize(CRM_CF_PHONE, phone, 0, &norm, e);

	if (rc == 0)
		rc = remove_detail(s, id, 1, crm_buf_str(&norm), e);
	crm_buf_free(&norm);
	return rc;
}

int crm_contact_email_owner(struct crm_store *s, const char *email, int64_t *id,
			    struct crm_err *e)
{
	/* One statement, not two: the primary email first. */
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM contacts WHERE email = ?1 UNION ALL"
					     " SELECT contact_id FROM contact_emails WHERE email = ?1 LIMIT 1");
	int rc;

	crm_bind_text_ref(st, 1, email);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		*id = crm_column_int64(st, 0);
	crm_stmt_reset(st);
	return rc == CRM_ROW ? 0 : rc == CRM_DONE ? CRM_EX_NOTFOUND : e->code;
}
