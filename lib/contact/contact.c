/* contact.c - the contact record: fields, validation, store operations. */
#include "contact/contact.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "contact/contact_detail.h"
#include "base/dates.h"
#include "base/err.h"
#include "store/store.h"
#include "base/utf8.h"
#include "base/xalloc.h"

/* Writes c's other emails and phones to contact id. */
static int apply_others(struct crm_store *s, int64_t id, const struct crm_contact *c,
			int *changed, struct crm_err *e)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < c->nemails; i++) {
		int64_t owner;

		if (crm_contact_email_owner(s, c->emails[i].name, &owner, e) == 0 && owner == id)
			continue;
		rc = crm_contact_add_email(s, id, c->emails[i].name, c->emails[i].value, 0, e);
		*changed += rc == 0;
	}
	for (size_t i = 0; rc == 0 && i < c->nphones; i++) {
		struct crm_stmt *st = crm_store_prepare(s,
			"SELECT 1 FROM contacts WHERE id = ?1 AND phone = ?2 UNION ALL"
			" SELECT 1 FROM contact_phones WHERE contact_id = ?1 AND phone = ?2");
		int step;

		crm_bind_int64(st, 1, id);
		crm_bind_text_ref(st, 2, c->phones[i].name);
		step = crm_store_step(s, st, e);
		crm_stmt_reset(st);
		if (step < 0)
			return e->code;
		if (step == CRM_ROW)
			continue; /* has it already */
		rc = crm_contact_add_phone(s, id, c->phones[i].name, c->phones[i].value, 0, NULL, e);
		*changed += rc == 0;
	}
	return rc;
}

/* 1 if field f of c is given and not empty. */
static int given(const struct crm_contact *c, int f)
{
	return c->v[f] != NULL && c->v[f][0] != '\0';
}

static int lookup_id(struct crm_store *s, const char *sql, const char *key,
		     int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, sql);
	int rc;

	crm_bind_text_ref(st, 1, key);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		*id = crm_column_int64(st, 0);
		crm_stmt_reset(st);
		return 0;
	}
	crm_stmt_reset(st);
	return rc == CRM_DONE ? CRM_EX_NOTFOUND : e->code;
}

int crm_contact_resolve(struct crm_store *s, const char *ref, int64_t *id,
			struct crm_err *e)
{
	int rc = CRM_EX_NOTFOUND;
	size_t n = strlen(ref);

	if (n > 0 && strspn(ref, "0123456789") == n && n < 19) {
		int64_t other;

		rc = lookup_id(s, "SELECT id FROM contacts WHERE id = CAST(?1 AS INTEGER)",
			       ref, id, e);
		/* A numeric uid is never taken for an id, nor an id for a
		 * uid: a reference that is both is refused. A failed lookup
		 * (busy, ...) is that failure, not "no such uid". */
		if (rc == 0) {
			int uid_rc = lookup_id(s, "SELECT id FROM contacts WHERE uid = ?1", ref,
					       &other, e);

			if (uid_rc == 0 && other != *id)
				return crm_err_set(e, CRM_EX_DATAERR,
						   "\"%s\" is both contact %lld's id and contact %lld's uid: name the contact by email, or in a file by one key",
						   ref, (long long)*id, (long long)other);
			if (uid_rc != 0 && uid_rc != CRM_EX_NOTFOUND)
				return uid_rc;
		}
	}
	/* An email is tried first when the reference looks like one: that is
	 * what it nearly always is (a batch of interactions saves a lookup a
	 * row), and a uid with an @ is still found after. */
	if (rc == CRM_EX_NOTFOUND && strchr(ref, '@') != NULL)
		rc = crm_contact_email_owner(s, ref, id, e);
	if (rc == CRM_EX_NOTFOUND)
		rc = lookup_id(s, "SELECT id FROM contacts WHERE uid = ?1", ref, id, e);
	if (rc == CRM_EX_NOTFOUND) {
		char shown[80];

		crm_contact_quote(ref, n, shown);
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%s\"", shown);
	}
	return rc;
}

int crm_contact_find(struct crm_store *s, const struct crm_contact *c,
		     int64_t *id, const char **key, struct crm_err *e)
{
	int rc = CRM_EX_NOTFOUND;

	*key = NULL;
	if (given(c, CRM_CF_UID)) {
		rc = lookup_id(s, "SELECT id FROM contacts WHERE uid = ?1",
			       c->v[CRM_CF_UID], id, e);
		*key = "uid";
	}
	if (rc == CRM_EX_NOTFOUND && given(c, CRM_CF_EMAIL)) {
		rc = crm_contact_email_owner(s, c->v[CRM_CF_EMAIL], id, e);
		*key = "email";
	}
	return rc;
}

/* A time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds,
 * then random bits), so new uids land at the end of the uid index instead
 * of all over it. It tells when the contact was made, as created_at does. */
void crm_contact_new_uid(struct crm_store *s, char out[37])
{
	unsigned char r[16];
	struct timespec ts;
	uint64_t ms;

	crm_store_random(s, r, sizeof(r));
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (int i = 0; i < 6; i++)
		r[i] = (unsigned char)(ms >> (40 - 8 * i));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x70);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	/* 8-4-4-4-12 hex digits; by hand, snprintf took 6% of an import. */
	for (int i = 0, k = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = "0123456789abcdef"[r[i] >> 4];
		out[k++] = "0123456789abcdef"[r[i] & 15];
	}
	out[36] = '\0';
}

/* Binds field f's value: "" and NULL as NULL, booleans as integers. */
static void bind_field(struct crm_stmt *st, int i, int f, const char *v)
{
	if (v == NULL || v[0] == '\0')
		crm_bind_null(st, i);
	else if (crm_contact_fields[f].type == CRM_FT_BOOL)
		crm_bind_int(st, i, v[0] == '1');
	else
		crm_bind_text_ref(st, i, v); /* outlives the step */
}

static int set_custom(struct crm_store *s, int64_t id, const char *name,
		      const char *value, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc;

	if (value == NULL) {
		st = crm_store_prepare(s, "DELETE FROM contact_fields WHERE contact_id = ?1 AND name = ?2");
		crm_bind_int64(st, 1, id);
		crm_bind_text_ref(st, 2, name);
	} else {
		st = crm_store_prepare(s,
			"INSERT INTO contact_fields (contact_id, name, value) VALUES (?1, ?2, ?3)"
			" ON CONFLICT (contact_id, name) DO UPDATE SET value = excluded.value");
		crm_bind_int64(st, 1, id);
		crm_bind_text_ref(st, 2, name);
		crm_bind_text_ref(st, 3, value);
	}
	rc = crm_store_run(s, st, e);
	/* A custom field made a key (contact_key.h) is unique. */
	if (rc == CRM_EX_DATAERR && strstr(e->msg, "contact_fields.value") != NULL)
		rc = crm_err_set(e, rc, "%s \"%.64s\" belongs to another contact (%s is a key)",
				 name, value, name);
	return rc;
}

static const char insert_sql[] =
	"INSERT INTO contacts (uid, first_name, last_name, email, phone, company,"
	" title, address, city, region, postal_code, country, birthdate, gender,"
	" language, source, owner, status, preferred_channel, email_opt_out,"
	" sms_opt_out, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	" ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
	" coalesce(?18, 'lead'), ?19, coalesce(?20, 0), coalesce(?21, 0),"
	" coalesce(?22, ?23), ?23) RETURNING id";

/* Friendlier words for the constraint failures a user can cause. */
static int constraint_message(int rc, const struct crm_contact *c,
			      struct crm_err *e)
{
	if (rc != CRM_EX_DATAERR)
		return rc;
	if (strstr(e->msg, "contacts.email") != NULL)
		return crm_err_set(e, rc, "email \"%s\" belongs to another contact",
				   c->v[CRM_CF_EMAIL]);
	if (strstr(e->msg, "contacts.uid") != NULL)
		return crm_err_set(e, rc, "uid \"%s\" belongs to another contact",
				   c->v[CRM_CF_UID]);
	return rc;
}

static int add_tag(struct crm_store *s, int64_t id, const char *tag,
		   int *changed, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)");
	int rc;

	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, tag);
	rc = crm_store_run(s, st, e);
	if (rc == 0 && crm_store_changes(s) > 0) {
		*changed = 1;
		rc = crm_history_add(s, "contact", id, "tag", "tags", NULL, tag, e);
	}
	return rc;
}

/* A primary email must not be another contact's other email; the
 * contact's own other email becoming its primary one leaves that list. */
static int claim_email(struct crm_store *s, int64_t id, const char *email,
		       struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t owner;
	int rc;

	if (email == NULL || email[0] == '\0')
		return 0;
	rc = lookup_id(s, "SELECT contact_id FROM contact_emails WHERE email = ?1", email, &owner, e);
	if (rc == CRM_EX_NOTFOUND)
		return 0;
	if (rc != 0)
		return rc;
	if (owner != id)
		return crm_err_set(e, CRM_EX_DATAERR, "email \"%s\" belongs to another contact", email);
	st = crm_store_prepare(s, "DELETE FROM contact_emails WHERE email = ?1");
	crm_bind_text_ref(st, 1, email);
	return crm_store_run(s, st, e);
}

/* imported: the caller found c's email free and records the create. */
static int create(struct crm_store *s, const struct crm_contact *c, int imported,
		  int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st;
	char uid[37];
	int rc, changed = 0;

	rc = imported ? 0 : claim_email(s, 0, c->v[CRM_CF_EMAIL], e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, insert_sql);

	if (given(c, CRM_CF_UID)) {
		crm_bind_text_ref(st, 1, c->v[CRM_CF_UID]);
	} else {
		crm_contact_new_uid(s, uid);
		crm_bind_text(st, 1, uid);
	}
	for (int f = CRM_CF_FIRST_NAME; f <= CRM_CF_CREATED_AT; f++)
		bind_field(st, f, f, c->v[f]);
	crm_bind_text_ref(st, 23, crm_store_now(s));
	rc = crm_store_insert_id(s, st, id, e);
	if (rc != 0)
		return constraint_message(rc, c, e);
	for (size_t i = 0; rc == 0 && i < c->ncustom; i++)
		if (c->custom[i].value != NULL && c->custom[i].value[0] != '\0')
			rc = set_custom(s, *id, c->custom[i].name, c->custom[i].value, e);
	for (size_t i = 0; rc == 0 && i < c->ntags; i++) {
		struct crm_stmt *t = crm_store_prepare(s,
			"INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)");

		crm_bind_int64(t, 1, *id);
		crm_bind_text_ref(t, 2, c->tags[i]);
		rc = crm_store_run(s, t, e);
	}
	if (rc == 0 && !imported)
		rc = crm_history_add(s, "contact", *id, "create", NULL, NULL, NULL, e);
	if (rc == 0)
		rc = apply_others(s, *id, c, &changed, e);
	return rc;
}

int crm_contact_create(struct crm_store *s, const struct crm_contact *c,
		       int64_t *id, struct crm_err *e)
{
	return create(s, c, 0, id, e);
}

int crm_contact_create_imported(struct crm_store *s, const struct crm_contact *c,
				int64_t *id, struct crm_err *e)
{
	return create(s, c, 1, id, e);
}

static const char select_sql[] =
	"SELECT id, uid, first_name, last_name, email, phone, company, title,"
	" address, city, region, postal_code, country, birthdate, gender,"
	" language, source, owner, status, preferred_channel, email_opt_out,"
	" sms_opt_out, created_at, updated_at FROM contacts WHERE id = ?1";

static const char update_sql[] =
	"UPDATE contacts SET uid = ?1, first_name = ?2, last_name = ?3,"
	" email = ?4, phone = ?5, company = ?6, title = ?7, address = ?8,"
	" city = ?9, region = ?10, postal_code = ?11, country = ?12,"
	" birthdate = ?13, gender = ?14, language = ?15, source = ?16,"
	" owner = ?17, status = ?18, preferred_channel = ?19,"
	" email_opt_out = ?20, sms_opt_out = ?21, updated_at = ?22 WHERE id = ?23";

/* Reads contact id's standard fields as text ("" for NULL) into vals. */
static int load_fields(struct crm_store *s, int64_t id,
		       char *vals[CRM_CONTACT_NFIELDS], struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, select_sql);
	int rc;

	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc != CRM_ROW) {
		crm_stmt_reset(st);
		return rc == CRM_DONE ? crm_err_set(e, CRM_EX_NOTFOUND,
						       "no contact \"%lld\"", (long long)id)
					 : e->code;
	}
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		const char *t = crm_column_text(st, f);

		vals[f] = xstrdup(t != NULL ? (const char *)t : "");
	}
	crm_stmt_reset(st);
	return 0;
}

static void free_fields(char *vals[CRM_CONTACT_NFIELDS])
{
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		free(vals[f]);
		vals[f] = NULL;
	}
}

static int get_custom(struct crm_store *s, int64_t id, const char *name,
		      char **value, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT value FROM contact_fields WHERE contact_id = ?1 AND name = ?2");
	int rc;

	*value = NULL;
	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, name);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		*value = xstrdup((const char *)crm_column_text(st, 0));
	crm_stmt_reset(st);
	return rc < 0 ? e->code : 0;
}

int crm_contact_update(struct crm_store *s, int64_t id,
		       const struct crm_contact *c, int *changed,
		       struct crm_err *e)
{
	char *old[CRM_CONTACT_NFIELDS] = { 0 };
	const char *now_v[CRM_CONTACT_NFIELDS];
	int rc, nchanged = 0;

	rc = load_fields(s, id, old, e);
	if (rc != 0)
		return rc;
	for (int f = 0; f < CRM_CONTACT_NFIELDS; f++) {
		const char *nv = c->v[f];

		now_v[f] = old[f];
		if (nv == NULL || crm_contact_fields[f].read_only || f == CRM_CF_CREATED_AT)
			continue;
		if (nv[0] == '\0' && (f == CRM_CF_STATUS || f == CRM_CF_UID)) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s cannot be cleared",
					 crm_contact_fields[f].name);
			goto out;
		}
		if (nv[0] == '\0' && crm_contact_fields[f].type == CRM_FT_BOOL)
			nv = "0";
		if (strcmp(nv, old[f]) == 0)
			continue;
		rc = crm_history_add(s, "contact", id, "update", crm_contact_fields[f].name,
				     old[f][0] != '\0' ? old[f] : NULL,
				     nv[0] != '\0' ? nv : NULL, e);
		if (rc != 0)
			goto out;
		now_v[f] = nv;
		nchanged++;
	}
	if (now_v[CRM_CF_EMAIL] != old[CRM_CF_EMAIL]) {
		rc = claim_email(s, id, now_v[CRM_CF_EMAIL], e);
		if (rc != 0)
			goto out;
	}
	if (nchanged > 0) {
		struct crm_stmt *st = crm_store_prepare(s, update_sql);

		for (int f = CRM_CF_UID; f <= CRM_CF_SMS_OPT_OUT; f++)
			bind_field(st, f, f, now_v[f]);
		crm_bind_text_ref(st, 22, crm_store_now(s));
		crm_bind_int64(st, 23, id);
		rc = crm_store_run(s, st, e);
		if (rc != 0) {
			rc = constraint_message(rc, c, e);
			goto out;
		}
		/* A new primary email does not lose the old one: it stays as
		 * another email, as `email add --primary` keeps it. */
		if (now_v[CRM_CF_EMAIL] != old[CRM_CF_EMAIL] && old[CRM_CF_EMAIL][0] != '\0' &&
		    strcasecmp(old[CRM_CF_EMAIL], now_v[CRM_CF_EMAIL]) != 0) {
			struct crm_stmt *keep = crm_store_prepare(s,
				"INSERT INTO contact_emails (contact_id, email, created_at)"
				" SELECT ?1, ?2, ?3 WHERE NOT EXISTS"
				" (SELECT 1 FROM contact_emails WHERE email = ?2)");

			crm_bind_int64(keep, 1, id);
			crm_bind_text_ref(keep, 2, old[CRM_CF_EMAIL]);
			crm_bind_text_ref(keep, 3, crm_store_now(s));
			rc = crm_store_run(s, keep, e);
			if (rc == 0)
				rc = crm_history_note(s, "contact", id, "add", "emails", NULL,
						      old[CRM_CF_EMAIL], "the primary email before", e);
			if (rc != 0)
				goto out;
		}
	}
	for (size_t i = 0; i < c->ncustom; i++) {
		const char *nv = c->custom[i].value;
		char *ov = NULL;

		if (nv != NULL && nv[0] == '\0')
			nv = NULL;
		rc = get_custom(s, id, c->custom[i].name, &ov, e);
		if (rc == 0 && !((ov == NULL && nv == NULL) ||
				 (ov != NULL && nv != NULL && strcmp(ov, nv) == 0))) {
			rc = set_custom(s, id, c->custom[i].name, nv, e);
			if (rc == 0)
				rc = crm_history_add(s, "contact", id, "update",
						     c->custom[i].name, ov, nv, e);
			nchanged++;
		}
		free(ov);
		if (rc != 0)
			goto out;
	}
	for (size_t i = 0; i < c->ntags; i++) {
		int tag_changed = 0;

		rc = add_tag(s, id, c->tags[i], &tag_changed, e);
		if (rc != 0)
			goto out;
		nchanged += tag_changed;
	}
	rc = apply_others(s, id, c, &nchanged, e);
	if (rc != 0)
		goto out;
	if (nchanged > 0 && c->ncustom + c->ntags > 0) {
		struct crm_stmt *st = crm_store_prepare(s,
			"UPDATE contacts SET updated_at = ?1 WHERE id = ?2");

		crm_bind_text_ref(st, 1, crm_store_now(s));
		crm_bind_int64(st, 2, id);
		rc = crm_store_run(s, st, e);
	}
out:
	free_fields(old);
	if (changed != NULL)
		*changed = nchanged;
	return rc;
}

int crm_contact_delete(struct crm_store *s, int64_t id, struct crm_err *e)
{
	char *old[CRM_CONTACT_NFIELDS] = { 0 };
	struct crm_stmt *st;
	int rc;

	rc = load_fields(s, id, old, e);
	for (int f = CRM_CF_UID; rc == 0 && f < CRM_CONTACT_NFIELDS; f++)
		if (old[f][0] != '\0')
			rc = crm_history_add(s, "contact", id, "delete",
					     crm_contact_fields[f].name, old[f], NULL, e);
	free_fields(old);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "SELECT name, value FROM contact_fields WHERE contact_id = ?1"
			       " UNION ALL SELECT 'tags', tag FROM contact_tags WHERE contact_id = ?1");
	crm_bind_int64(st, 1, id);
	while (rc == 0 && (rc = crm_store_step(s, st, e)) == CRM_ROW) {
		char *name = xstrdup((const char *)crm_column_text(st, 0));
		char *value = xstrdup((const char *)crm_column_text(st, 1));

		rc = crm_history_add(s, "contact", id, "delete", name, value, NULL, e);
		free(name);
		free(value);
	}
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc != CRM_DONE && rc != 0)
		return rc;
	st = crm_store_prepare(s, "DELETE FROM contacts WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	return crm_store_run(s, st, e);
}

int crm_contact_tag(struct crm_store *s, int64_t id, const char *tag, int add,
		    int *changed, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc;

	*changed = 0;
	if (add)
		rc = add_tag(s, id, tag, changed, e);
	else {
		st = crm_store_prepare(s, "DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2");
		crm_bind_int64(st, 1, id);
		crm_bind_text_ref(st, 2, tag);
		rc = crm_store_run(s, st, e);
		if (rc == 0 && crm_store_changes(s) > 0) {
			*changed = 1;
			rc = crm_history_add(s, "contact", id, "untag", "tags", tag, NULL, e);
		}
	}
	if (rc == 0 && *changed) {
		st = crm_store_prepare(s, "UPDATE contacts SET updated_at = ?1 WHERE id = ?2");
		crm_bind_text_ref(st, 1, crm_store_now(s));
		crm_bind_int64(st, 2, id);
		rc = crm_store_run(s, st, e);
	}
	return rc;
}

int crm_contact_label(struct crm_store *s, int64_t id, struct crm_buf *out,
		      struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')),"
		" email, company FROM contacts WHERE id = ?1");
	int rc;

	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		const char *name = (const char *)crm_column_text(st, 0);
		const char *email = (const char *)crm_column_text(st, 1);
		const char *company = (const char *)crm_column_text(st, 2);

		crm_buf_addf(out, "%lld", (long long)id);
		if (name != NULL && name[0] != '\0')
			crm_buf_addf(out, " %s", name);
		else if (company != NULL)
			crm_buf_addf(out, " %s", company);
		if (email != NULL)
			crm_buf_addf(out, " <%s>", email);
	}
	crm_stmt_reset(st);
	if (rc == CRM_DONE)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no contact \"%lld\"", (long long)id);
	return rc == CRM_ROW ? 0 : e->code;
}
