/* contact_import.c - importing contacts from CSV/TSV. */
#include "contact/contact_import.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/num.h"
#include "store/store.h"
#include "base/xalloc.h"

void crm_contact_import_init(struct crm_contact_import *ic, struct crm *crm)
{
	memset(ic, 0, sizeof(*ic));
	ic->crm = crm;
	ic->on_conflict = 'u';
	ic->now = crm_now();
	crm_contact_init(&ic->c);
}

void crm_contact_import_free(struct crm_contact_import *ic)
{
	crm_contact_free(&ic->c);
	for (size_t i = 0; i < ic->ncols; i++) {
		free(ic->col_custom[i]);
		if (ic->col_date != NULL)
			free(ic->col_date[i]);
	}
	free(ic->col_custom);
	free(ic->col_date);
	free(ic->col_field);
	free(ic->maps);
	free(ic->tags);
	for (size_t i = 0; i < ic->nwindow; i++)
		crm_contact_free(&ic->window[i]);
	free(ic->window);
	crm_contact_stage_free(&ic->stage);
	memset(ic, 0, sizeof(*ic));
}


/* The --map target for header, or NULL. */
static const char *mapped(const struct crm_contact_import *ic, const char *header)
{
	for (size_t i = 0; i < ic->nmaps; i++) {
		const char *eq = strchr(ic->maps[i], '=');

		if ((size_t)(eq - ic->maps[i]) == strlen(header) &&
		    strncasecmp(ic->maps[i], header, (size_t)(eq - ic->maps[i])) == 0)
			return eq + 1;
	}
	return NULL;
}

/* 1 if the header is an Outlook CSV export's. */
static int outlook_header(const struct crm_csv_row *h)
{
	static const char *const want[] = {
		"firstname", "middlename", "lastname", "emailaddress"
	};
	struct crm_buf key = CRM_BUF_INIT;
	int found = 0, dated = 0;

	for (size_t i = 0; i < h->nfields; i++) {
		crm_contact_header_key(h->fields[i], &key);
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++)
			if (strcmp(crm_buf_str(&key), want[w]) == 0)
				found |= 1 << w;
		if (strcmp(crm_buf_str(&key), "birthday") == 0 ||
		    strcmp(crm_buf_str(&key), "anniversary") == 0)
			dated = 1;
	}
	crm_buf_free(&key);
	return found == 15 && dated;
}

/* Notes which columns hold dates, and what they are read by: the date
 * and time fields, and an Outlook export's Anniversary (a custom field
 * then, kept as YYYY-MM-DD). */
static void date_columns(struct crm_contact_import *ic, const struct crm_csv_row *h)
{
	struct crm_buf key = CRM_BUF_INIT;
	int outlook = outlook_header(h);

	ic->dates_by = ic->date_format;
	if (ic->dates_by == NULL && outlook) {
		ic->dates_by = CRM_OUTLOOK_DATE_FORMAT;
		if (ic->crm->verbose)
			crm_warn(ic->crm, "an Outlook export: dates read as %s (--date-format to change)",
				 ic->dates_by);
	}
	ic->col_date = xcalloc(h->nfields, sizeof(*ic->col_date));
	for (size_t i = 0; i < h->nfields; i++) {
		int f = ic->col_field[i];

		if (f >= 0 && f < CRM_CONTACT_NFIELDS &&
		    (crm_contact_fields[f].type == CRM_FT_DATE ||
		     crm_contact_fields[f].type == CRM_FT_TIME))
			ic->col_date[i] = xstrdup(h->fields[i]);
		if (f == CRM_MAP_CUSTOM && outlook) {
			crm_contact_header_key(h->fields[i], &key);
			if (strcmp(crm_buf_str(&key), "anniversary") == 0)
				ic->col_date[i] = xstrdup(h->fields[i]);
		}
	}
	crm_buf_free(&key);
}

/* With --key, a column must give the key, and a custom field must be
 * fit to be one (checked here, before any row; its index is made with
 * the first row, inside the import's transaction). */
static int key_header(struct crm_contact_import *ic, struct crm_err *e)
{
	for (size_t i = 0; i < ic->ncols; i++)
		if (ic->key->field >= 0 ? ic->col_field[i] == ic->key->field
					: ic->col_custom[i] != NULL &&
					  strcmp(ic->col_custom[i], ic->key->name) == 0)
			return crm_contact_key_check(ic->store, ic->key, e);
	return crm_err_set(e, CRM_EX_DATAERR, "no column for the key %s (use --map COLUMN=%s)",
			   ic->key->spec, ic->key->field >= 0 ? ic->key->spec : ic->key->name);
}

/* The stored contact the row is: by --key alone when given, else by uid,
 * else email. */
static int find_existing(struct crm_contact_import *ic, const struct crm_contact *c,
			 int64_t *id, const char **key, struct crm_err *e)
{
	const char *value;
	int rc;

	if (ic->key == NULL)
		return crm_contact_find(ic->store, c, id, key, e);
	*key = ic->key->spec;
	value = crm_contact_key_value(ic->key, c);
	if (value == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "no %s (the --key)", ic->key->spec);
	if (!ic->key_ready) {
		rc = crm_contact_key_prepare(ic->store, ic->key, e);
		if (rc != 0)
			return rc == CRM_EX_DATAERR ? CRM_EX_SOFTWARE : rc;
		ic->key_ready = 1;
	}
	return crm_contact_key_find(ic->store, ic->key, value, id, e);
}

/* Staging is for the plain case: no --key, no custom field that is one
 * (its uniqueness would refuse a value a bulk write cannot name a row
 * for), and a store that takes bulk rows. */
static int stage_init(struct crm_contact_import *ic, struct crm_err *e)
{
	int on = ic->key == NULL && crm_store_can_copy(ic->store), rc = 0;

	for (size_t j = 0; rc == 0 && on && j < ic->ncols; j++) {
		int is_key = 0;

		if (ic->col_custom[j] != NULL)
			rc = crm_contact_key_is_key(ic->store, ic->col_custom[j], &is_key, e);
		if (is_key)
			on = 0;
	}
	crm_contact_stage_init(&ic->stage, ic->store, on && rc == 0);
	return rc;
}

static int import_header(void *ctx, const struct crm_csv_row *h, struct crm_err *e)
{
	struct crm_contact_import *ic = ctx;
	struct crm_buf name = CRM_BUF_INIT;
	int used[CRM_CONTACT_NFIELDS + 4] = { 0 };
	int rc = 0;

	ic->ncols = h->nfields;
	ic->col_field = xcalloc(h->nfields, sizeof(*ic->col_field));
	ic->col_custom = xcalloc(h->nfields, sizeof(*ic->col_custom));
	for (size_t i = 0; i < h->nfields && rc == 0; i++) {
		const char *target = mapped(ic, h->fields[i]);
		int f;

		if (target != NULL && strcmp(target, "-") == 0) {
			ic->col_field[i] = CRM_MAP_IGNORE;
			continue;
		}
		f = target != NULL ? crm_contact_field_index(target)
				   : crm_contact_header_field(h->fields[i]);
		if (target != NULL && f < 0 && strcmp(target, "tags") == 0)
			f = CRM_CONTACT_HDR_TAGS;
		if (target != NULL && f < 0 && strcmp(target, "name") == 0)
			f = CRM_CONTACT_HDR_NAME;
		if (f >= 0 && f < CRM_CONTACT_NFIELDS && crm_contact_fields[f].read_only) {
			ic->col_field[i] = CRM_MAP_IGNORE; /* id, updated_at of an export */
			continue;
		}
		int slot = f >= CRM_CONTACT_HDR_NAME ? CRM_CONTACT_NFIELDS + (f - CRM_CONTACT_HDR_NAME) : f;

		if (f >= 0 && !used[slot]) {
			used[slot] = 1;
			ic->col_field[i] = f;
			continue;
		}
		/* Anything else is kept as a custom field. */
		if (target != NULL) {
			rc = crm_contact_check_custom_name(target, e);
			if (rc != 0) {
				crm_err_prefix(e, "--map \"%.64s=%.64s\"", h->fields[i], target);
				rc = e->code = CRM_EX_USAGE;
			}
			crm_buf_reset(&name);
			crm_buf_adds(&name, target);
		} else {
			crm_contact_custom_name(h->fields[i], &name);
			if (name.len > 0 && crm_contact_check_custom_name(crm_buf_str(&name), NULL) != 0) {
				struct crm_buf x = CRM_BUF_INIT;

				crm_buf_addf(&x, "x_%s", crm_buf_str(&name));
				crm_buf_free(&name);
				name = x;
			}
		}
		if (rc != 0)
			break;
		if (name.len == 0) {
			ic->col_field[i] = CRM_MAP_IGNORE;
			crm_warn(ic->crm, "column %zu has no usable name: ignored", i + 1);
			continue;
		}
		/* Two columns into one custom field would drop one silently. */
		for (size_t j = 0; j < i && rc == 0; j++)
			if (ic->col_custom[j] != NULL &&
			    strcmp(ic->col_custom[j], crm_buf_str(&name)) == 0)
				rc = crm_err_set(e, CRM_EX_DATAERR,
						 "columns %zu and %zu would both be custom field \"%s\": rename one",
						 j + 1, i + 1, crm_buf_str(&name));
		if (rc != 0)
			break;
		ic->col_field[i] = CRM_MAP_CUSTOM;
		ic->col_custom[i] = xstrdup(crm_buf_str(&name));
	}
	for (size_t m = 0; rc == 0 && m < ic->nmaps; m++) {
		const char *eq = strchr(ic->maps[m], '=');
		size_t len = (size_t)(eq - ic->maps[m]), i;

		for (i = 0; i < h->nfields; i++)
			if (strlen(h->fields[i]) == len && strncasecmp(h->fields[i], ic->maps[m], len) == 0)
				break;
		if (i == h->nfields)
			rc = crm_err_set(e, CRM_EX_USAGE, "--map: no column \"%.*s\" in the input",
					 (int)(len < 64 ? len : 64), ic->maps[m]);
	}
	if (rc == 0 && ic->key != NULL)
		rc = key_header(ic, e);
	crm_buf_free(&name);
	if (rc == 0)
		date_columns(ic, h);
	if (rc == 0)
		rc = stage_init(ic, e);
	return rc;
}

/* 1 if the cell holds nothing but spaces: like an empty cell, it leaves
 * the stored value alone. */
static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* A custom cell. With --decimal , one that is a number written as in
 * 1.234,50 is kept as 1234.50, the form filters compare as a number. */
static int set_custom(struct crm_contact_import *ic, const char *name,
		      const char *v, struct crm_err *e)
{
	char *plain;
	int rc;

	if (ic->decimal != ',')
		return crm_contact_set_custom(&ic->c, name, v, e);
	plain = xmalloc(strlen(v) + 1);
	rc = crm_contact_set_custom(&ic->c, name,
				    crm_num_plain(v, ',', plain, NULL) == 0 ? plain : v, e);
	free(plain);
	return rc;
}

/* The date or time cell of column i, read as the file's dates are
 * (crm_date_cell). */
static int set_date(struct crm_contact_import *ic, size_t i, const char *v,
		    struct crm_err *e)
{
	int f = ic->col_field[i];
	int is_time = f >= 0 && crm_contact_fields[f].type == CRM_FT_TIME;
	char text[32];
	int rc = crm_date_cell(ic->col_date[i], v, ic->dates_by, is_time, ic->now, text, e);

	if (rc == 1)
		return 0; /* Outlook's 0/0/00: no date */
	if (rc != 0)
		return rc;
	if (f == CRM_MAP_CUSTOM)
		return crm_contact_set_custom(&ic->c, ic->col_custom[i], text, e);
	return crm_contact_set(&ic->c, f, text, ic->now, e);
}

static int import_history_row(struct crm_contact_import *ic, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(ic->store,
		"INSERT INTO history (at, who, entity, entity_id, action) VALUES (?, ?, 'import', 0, 'import')"
		" RETURNING id");

	crm_bind_text_ref(st, 1, crm_store_now(ic->store));
	crm_bind_text_ref(st, 2, crm_store_who(ic->store));
	return crm_store_insert_id(ic->store, st, &ic->history_id, e);
}

/* Writes the run of new contacts since the last commit, if any. A run
 * that goes on from the one written before the last commit extends it. */
static int write_new(struct crm_contact_import *ic, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc;

	if (ic->first_new == 0)
		return 0;
	st = crm_store_prepare(ic->store,
		"INSERT INTO history_imports (first_id, last_id, history_id) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (first_id) DO UPDATE SET last_id = excluded.last_id");
	crm_bind_int64(st, 1, ic->first_new);
	crm_bind_int64(st, 2, ic->last_new);
	crm_bind_int64(st, 3, ic->history_id);
	rc = crm_store_run(ic->store, st, e);
	return rc;
}

/* Contact id was created by this import. Ids of one transaction follow
 * each other (no other program writes in between; a rejected row's id is
 * given again); a gap starts a new run. */
static int note_new(struct crm_contact_import *ic, int64_t id, struct crm_err *e)
{
	int rc = 0;

	if (ic->first_new != 0 && id == ic->last_new + 1) {
		ic->last_new = id;
		return 0;
	}
	rc = write_new(ic, e);
	ic->first_new = ic->last_new = id;
	return rc;
}

/* Before each commit: the run so far goes into the same transaction as
 * its contacts. The run stays open: when the next transaction's first new
 * contact follows on, the range is extended rather than a new one begun. */
static int import_before_commit(void *ctx, struct crm_err *e)
{
	struct crm_contact_import *ic = ctx;
	int rc = crm_contact_stage_flush(&ic->stage, e);

	return rc == 0 ? write_new(ic, e) : rc;
}


/* Reads a row into c (emptied first): 0, or CRM_EX_DATAERR with e set. */
static int parse_row(struct crm_contact_import *ic, const struct crm_csv_row *row,
		     struct crm_contact *c, struct crm_err *e)
{
	const char *full_name = NULL;
	int rc = 0;

	crm_contact_free(c);
	for (size_t i = 0; i < row->nfields && rc == 0; i++) {
		const char *v = row->fields[i];
		int f = ic->col_field[i];

		if (f == CRM_MAP_IGNORE || blank(v, row->lens[i]))
			continue;
		if (ic->col_date[i] != NULL)
			rc = set_date(ic, i, v, e);
		else if (f == CRM_MAP_CUSTOM)
			rc = set_custom(ic, ic->col_custom[i], v, e);
		else if (f == CRM_CONTACT_HDR_NAME)
			full_name = v;
		else if (f == CRM_CONTACT_HDR_TAGS)
			rc = crm_contact_add_tags(c, v, e);
		else if (f == CRM_CONTACT_HDR_EMAILS || f == CRM_CONTACT_HDR_PHONES)
			rc = crm_contact_add_others(c, f == CRM_CONTACT_HDR_PHONES, v, ic->now, e);
		else
			rc = crm_contact_set(c, f, v, ic->now, e);
	}
	for (size_t i = 0; i < ic->ntags && rc == 0; i++)
		rc = crm_contact_add_tags(c, ic->tags[i], e);
	if (rc != 0)
		return rc;
	if (full_name != NULL)
		crm_contact_split_name(c, full_name);
	/* With --key, the key alone is enough (a customer number). */
	if (crm_contact_is_empty(c) && ic->key == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "no name, email, phone, company or uid");
	return 0;
}

/* A new contact for certain, written with its window (contact_stage.h). */
static int stage_row(struct crm_contact_import *ic, struct crm_batch_counts *counts,
		     struct crm_err *e)
{
	int64_t id;
	int rc = ic->history_id == 0 ? import_history_row(ic, e) : 0;

	if (rc == 0)
		rc = crm_contact_stage_add(&ic->stage, &ic->c, &id, e);
	if (rc == 0)
		rc = note_new(ic, id, e);
	if (rc == 0)
		counts->added++;
	return rc;
}

static int import_row(void *ctx, const struct crm_csv_row *row,
		      struct crm_batch_counts *counts, struct crm_err *e)
{
	struct crm_contact_import *ic = ctx;
	struct crm_contact *c = &ic->c;
	const char *key = NULL;
	int64_t id;
	int rc, changed;

	rc = parse_row(ic, row, c, e);
	if (rc != 0)
		return rc;
	if (crm_contact_stage_fits(&ic->stage, c))
		return stage_row(ic, counts, e);
	/* Row by row: the staged rows before this one go first, and what
	 * this one writes is no longer free for a later one. */
	if (ic->stage.on) {
		rc = crm_contact_stage_flush(&ic->stage, e);
		if (rc != 0)
			return rc;
		crm_contact_stage_taken(&ic->stage, c);
	}
	rc = find_existing(ic, c, &id, &key, e);
	if (rc == CRM_EX_NOTFOUND) {
		/* A new contact's only write that can reject the row is its
		 * INSERT, the first one, which undoes itself when it fails;
		 * other emails and phones can be refused after it (owned by
		 * another contact), so they need the savepoint. */
		/* The import's history row comes before any row of its
		 * contacts and outside the row's savepoint. */
		rc = ic->history_id == 0 ? import_history_row(ic, e) : 0;
		if (rc == 0 && c->nemails + c->nphones > 0)
			rc = crm_store_savepoint(ic->store, e);
		if (rc == 0)
			rc = crm_contact_create_imported(ic->store, c, &id, e);
		if (rc == 0)
			rc = note_new(ic, id, e);
		if (rc == 0)
			counts->added++;
		return rc;
	}
	if (rc != 0)
		return rc;
	if (ic->key == NULL && strcmp(key, "email") == 0 && c->v[CRM_CF_UID] != NULL && c->v[CRM_CF_UID][0] != '\0')
		/* The row's uid is new but its email is taken: a different
		 * record, or a uid that changed elsewhere. Never rewrite a key
		 * silently. */
		return crm_err_set(e, CRM_EX_DATAERR,
				   "email \"%s\" belongs to contact %lld, which has another uid",
				   c->v[CRM_CF_EMAIL], (long long)id);
	if (ic->on_conflict == 's') {
		counts->skipped++;
		return 0;
	}
	if (ic->on_conflict == 'e')
		return crm_err_set(e, CRM_EX_DATAERR, "contact %lld already has this %s",
				   (long long)id, key);
	rc = crm_store_savepoint(ic->store, e);
	if (rc == 0)
		rc = crm_contact_update(ic->store, id, c, &changed, e);
	if (rc == 0) {
		if (changed > 0)
			counts->updated++;
		else
			counts->unchanged++;
	}
	return rc;
}

/* Rows read ahead at a time where the import stages its contacts. */
#define STAGE_WINDOW 2000

static size_t import_window(void *ctx)
{
	const struct crm_contact_import *ic = ctx;

	return ic->stage.on ? STAGE_WINDOW : 0;
}

/* The window's rows, parsed ahead (a row that does not parse is left
 * to import_row, which rejects it), and their keys looked up at once. */
static int import_lookahead(void *ctx, const struct crm_csv_row *rows, size_t n,
			    struct crm_err *e)
{
	struct crm_contact_import *ic = ctx;
	struct crm_contact **cs;
	struct crm_err ignored = { 0, "" };
	int rc;

	if (ic->window == NULL) {
		ic->window = xcalloc(STAGE_WINDOW, sizeof(*ic->window));
		ic->nwindow = STAGE_WINDOW;
	}
	if (n > ic->nwindow)
		n = ic->nwindow;
	cs = xcalloc(n, sizeof(*cs));
	for (size_t i = 0; i < n; i++)
		if (rows[i].error == NULL && rows[i].nfields == ic->ncols &&
		    parse_row(ic, &rows[i], &ic->window[i], &ignored) == 0)
			cs[i] = &ic->window[i];
	rc = crm_contact_stage_lookup(&ic->stage, cs, n, e);
	free(cs);
	return rc;
}

const struct crm_batch_ops crm_contact_import_ops = {
	.header = import_header,
	.row = import_row,
	.lazy_savepoint = 1,
	.before_commit = import_before_commit,
	.window = import_window,
	.lookahead = import_lookahead,
};
