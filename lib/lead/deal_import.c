/* deal_import.c - importing deals (deal_import.h). */
#include "lead/deal_import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/xalloc.h"
#include "contact/contact.h"
#include "lead/deal.h"
#include "lead/pipeline.h"
#include "store/store.h"

/* Column names, squeezed (lower case, letters and digits only), and the
 * field each is. Ours first, then the CRMs' exports. */
static const struct alias {
	const char *name;
	int field;
} aliases[] = {
	{ "title", CRM_DEAL_TITLE }, { "dealname", CRM_DEAL_TITLE },
	{ "opportunityname", CRM_DEAL_TITLE }, { "dealtitle", CRM_DEAL_TITLE },
	{ "name", CRM_DEAL_TITLE },
	{ "value", CRM_DEAL_VALUE }, { "amount", CRM_DEAL_VALUE }, { "dealvalue", CRM_DEAL_VALUE },
	{ "currency", CRM_DEAL_CURRENCY }, { "dealcurrency", CRM_DEAL_CURRENCY },
	{ "opportunitycurrency", CRM_DEAL_CURRENCY }, { "currencycode", CRM_DEAL_CURRENCY },
	{ "dealcurrencycode", CRM_DEAL_CURRENCY }, { "amountcurrency", CRM_DEAL_CURRENCY },
	{ "pipeline", CRM_DEAL_PIPELINE }, { "dealpipeline", CRM_DEAL_PIPELINE },
	{ "stage", CRM_DEAL_STAGE }, { "dealstage", CRM_DEAL_STAGE }, { "stagename", CRM_DEAL_STAGE },
	{ "owner", CRM_DEAL_OWNER }, { "dealowner", CRM_DEAL_OWNER },
	{ "opportunityowner", CRM_DEAL_OWNER }, { "ownername", CRM_DEAL_OWNER },
	{ "source", CRM_DEAL_SOURCE }, { "leadsource", CRM_DEAL_SOURCE },
	{ "dealsource", CRM_DEAL_SOURCE }, { "originalsource", CRM_DEAL_SOURCE },
	{ "dealsourcechannel", CRM_DEAL_SOURCE },
	{ "campaign", CRM_DEAL_CAMPAIGN }, { "primarycampaignsource", CRM_DEAL_CAMPAIGN },
	{ "dealcampaign", CRM_DEAL_CAMPAIGN },
	{ "expectedclose", CRM_DEAL_EXPECTED_CLOSE }, { "closedate", CRM_DEAL_EXPECTED_CLOSE },
	{ "dealexpectedclosedate", CRM_DEAL_EXPECTED_CLOSE },
	{ "expectedclosedate", CRM_DEAL_EXPECTED_CLOSE },
	{ "reason", CRM_DEAL_REASON }, { "lostreason", CRM_DEAL_REASON },
	{ "closedlostreason", CRM_DEAL_REASON }, { "closedwonreason", CRM_DEAL_REASON },
	{ "deallostreason", CRM_DEAL_REASON },
	{ "key", CRM_DEAL_KEY }, { "externalid", CRM_DEAL_KEY }, { "opportunityid", CRM_DEAL_KEY },
	{ "recordid", CRM_DEAL_KEY }, { "dealid", CRM_DEAL_KEY },
	{ "created", CRM_DEAL_CREATED }, { "createddate", CRM_DEAL_CREATED },
	{ "createdate", CRM_DEAL_CREATED }, { "dealdealcreated", CRM_DEAL_CREATED },
	{ "createdat", CRM_DEAL_CREATED }, { "dealcreated", CRM_DEAL_CREATED },
	{ "closed", CRM_DEAL_CLOSED }, { "closedat", CRM_DEAL_CLOSED },
	{ "dealdealclosedon", CRM_DEAL_CLOSED }, { "dealclosedon", CRM_DEAL_CLOSED },
	{ "contactid", CRM_DEAL_COL_CONTACT_ID }, { "uid", CRM_DEAL_COL_UID },
	{ "email", CRM_DEAL_COL_EMAIL }, { "contactemail", CRM_DEAL_COL_EMAIL },
	{ "personemail", CRM_DEAL_COL_EMAIL }, { "associatedcontactemail", CRM_DEAL_COL_EMAIL },
	{ "emailaddress", CRM_DEAL_COL_EMAIL }, { "associatedemail", CRM_DEAL_COL_EMAIL },
	{ "status", CRM_DEAL_COL_STATUS }, { "dealstatus", CRM_DEAL_COL_STATUS },
	{ "tags", CRM_DEAL_COL_TAGS }, { "labels", CRM_DEAL_COL_TAGS },
	{ "deallabels", CRM_DEAL_COL_TAGS }, { "deallabel", CRM_DEAL_COL_TAGS },
};

/* "Deal - Expected close date" -> "dealexpectedclosedate". */
static void squeeze(const char *s, char out[64])
{
	size_t n = 0;

	for (; *s != '\0' && n < 63; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

void crm_deal_import_init(struct crm_deal_import *di, struct crm *crm)
{
	memset(di, 0, sizeof(*di));
	di->crm = crm;
	di->decimal = '.';
	di->now = crm_now();
}

int crm_deal_import_option(struct crm_deal_import *di, int opt, const char *arg,
			   struct crm_err *e)
{
	switch (opt) {
	case CRM_DEAL_IMPORT_OPT_KEY:
		di->key_column = arg;
		return 0;
	case CRM_DEAL_IMPORT_OPT_MAP_STAGE:
		if (strchr(arg, '=') == NULL || arg[0] == '=')
			return crm_err_set(e, CRM_EX_USAGE, "--map-stage wants FROM=TO, not \"%.64s\"",
					   arg);
		di->stage_maps = xreallocarray(di->stage_maps, di->nstage_maps + 1,
					       sizeof(*di->stage_maps));
		di->stage_maps[di->nstage_maps++] = arg;
		return 0;
	case CRM_DEAL_IMPORT_OPT_CURRENCY:
		if (crm_currency_parse(arg, di->currency, e) != 0)
			return crm_err_set(e, CRM_EX_USAGE, "--currency: invalid currency \"%.16s\"",
					   arg);
		return 0;
	default:
		return crm_err_set(e, CRM_EX_USAGE, "unexpected option");
	}
}

void crm_deal_import_free(struct crm_deal_import *di)
{
	free(di->stage_maps);
	for (size_t i = 0; i < di->nignored; i++)
		free(di->ignored[i]);
	free(di->ignored);
	for (size_t i = 0; i < di->ncols; i++)
		free(di->custom[i]);
	free(di->custom);
	free(di->col);
}

static int header(void *ctx, const struct crm_csv_row *h, struct crm_err *e)
{
	struct crm_deal_import *di = ctx;
	int contact = 0, key_found = di->key_column == NULL;

	di->ncols = h->nfields;
	di->col = xcalloc(h->nfields, sizeof(*di->col));
	di->custom = xcalloc(h->nfields, sizeof(*di->custom));
	for (size_t i = 0; i < h->nfields; i++) {
		const char *name = h->fields[i];
		char sq[64];
		size_t a;

		di->col[i] = CRM_DEAL_COL_IGNORE;
		if (di->key_column != NULL && strcmp(name, di->key_column) == 0) {
			di->col[i] = CRM_DEAL_KEY;
			key_found = 1;
			continue;
		}
		if (strncmp(name, "field.", 6) == 0) {
			di->col[i] = CRM_DEAL_COL_CUSTOM;
			di->custom[i] = xstrdup(name + 6);
			continue;
		}
		squeeze(name, sq);
		/* Pipedrive's "Deal - Title": the part after "deal" */
		for (a = 0; a < sizeof(aliases) / sizeof(aliases[0]); a++)
			if (strcmp(sq, aliases[a].name) == 0 ||
			    (strncmp(sq, "deal", 4) == 0 && strcmp(sq + 4, aliases[a].name) == 0))
				break;
		if (a < sizeof(aliases) / sizeof(aliases[0]) &&
		    !(aliases[a].field == CRM_DEAL_KEY && di->key_column != NULL)) {
			int taken = 0;

			for (size_t j = 0; j < i; j++)
				taken |= di->col[j] == aliases[a].field;
			if (!taken) {
				di->col[i] = aliases[a].field;
				contact |= aliases[a].field <= CRM_DEAL_COL_CONTACT_ID &&
					   aliases[a].field >= CRM_DEAL_COL_EMAIL;
				continue;
			}
		}
		di->ignored = xreallocarray(di->ignored, di->nignored + 1, sizeof(*di->ignored));
		di->ignored[di->nignored++] = xstrdup(name);
	}
	if (!key_found)
		return crm_err_set(e, CRM_EX_USAGE, "--key: no column \"%.64s\" in the input",
				   di->key_column);
	if (!contact)
		return crm_err_set(e, CRM_EX_DATAERR, "the input has no contact_id, uid or email"
				   " column to name each deal's contact");
	return 0;
}

/* A stage as the row names it, or as --map-stage and the won/lost rule
 * turn it into one of the pipeline's. status_kind (-1: none) is the
 * row's status column; *kind_out the kind of the stage the row goes to
 * (-1: none named, or one the pipeline lacks, which the add rejects). */
static int row_stage(struct crm_deal_import *di, struct crm_deal *d, int status_kind,
		     int *kind_out, struct crm_err *e)
{
	struct crm_store *s = di->store;
	struct crm_stage t;
	int64_t pid = 0;
	char sq[64];
	int rc = 0, kind = -1;

	*kind_out = -1;

	if (d->v[CRM_DEAL_PIPELINE] != NULL && crm_pipeline_find(s, d->v[CRM_DEAL_PIPELINE], &pid, e) != 0)
		return e->code == CRM_EX_NOTFOUND ? (e->code = CRM_EX_DATAERR) : e->code;
	if (d->v[CRM_DEAL_STAGE] != NULL) {
		for (size_t i = 0; i < di->nstage_maps; i++) {
			const char *eq = strchr(di->stage_maps[i], '=');

			if ((size_t)(eq - di->stage_maps[i]) == strlen(d->v[CRM_DEAL_STAGE]) &&
			    strncmp(di->stage_maps[i], d->v[CRM_DEAL_STAGE],
				    (size_t)(eq - di->stage_maps[i])) == 0) {
				struct crm_err e2 = { 0, "" };

				/* a stage the pipeline lacks: the add says so */
				rc = crm_deal_set(d, CRM_DEAL_STAGE, eq + 1, di->now, e);
				if (rc == 0 && crm_stage_find(s, pid, eq + 1, &t, &e2) == 0)
					*kind_out = (int)t.kind;
				return rc;
			}
		}
		rc = crm_stage_find(s, pid, d->v[CRM_DEAL_STAGE], &t, e);
		if (rc == 0 && (status_kind <= 0 || (int)t.kind == status_kind)) {
			*kind_out = (int)t.kind;
			return 0;
		}
		if (rc != 0 && rc != CRM_EX_NOTFOUND)
			return rc;
		squeeze(d->v[CRM_DEAL_STAGE], sq);
		if (rc == 0)
			kind = status_kind;   /* won or lost from that stage (Pipedrive) */
		else if (strcmp(sq, "closedwon") == 0 || strcmp(sq, "won") == 0)
			kind = CRM_STAGE_WON;
		else if (strcmp(sq, "closedlost") == 0 || strcmp(sq, "lost") == 0)
			kind = CRM_STAGE_LOST;
		else
			return e->code = CRM_EX_DATAERR;
	} else if (status_kind > 0) {
		kind = status_kind;
	} else {
		return 0;
	}
	{
		struct crm_stmt *st = crm_store_prepare(s,
			"SELECT name FROM stages WHERE pipeline_id = coalesce(?1, (SELECT id FROM"
			" pipelines WHERE name = ?3), (SELECT min(id) FROM pipelines))"
			" AND kind = ?2 ORDER BY position, id LIMIT 1");
		int step;

		if (pid > 0)
			crm_bind_int64(st, 1, pid);
		else
			crm_bind_null(st, 1);
		crm_bind_text(st, 2, crm_stage_kind_name((enum crm_stage_kind)kind));
		crm_bind_text(st, 3, CRM_DEFAULT_PIPELINE);
		step = crm_store_step(s, st, e);
		if (step == CRM_ROW) {
			rc = crm_deal_set(d, CRM_DEAL_STAGE, crm_column_text(st, 0), di->now, e);
			*kind_out = kind;
		}
		crm_stmt_reset(st);
		if (step < 0)
			return e->code;
		if (step != CRM_ROW)
			return crm_err_set(e, CRM_EX_DATAERR, "the pipeline has no %s stage",
					   crm_stage_kind_name((enum crm_stage_kind)kind));
	}
	return rc;
}

static int status_of(const char *v, struct crm_err *e)
{
	char sq[64];

	squeeze(v, sq);
	if (strcmp(sq, "open") == 0)
		return 0;
	if (strcmp(sq, "won") == 0 || strcmp(sq, "closedwon") == 0)
		return CRM_STAGE_WON;
	if (strcmp(sq, "lost") == 0 || strcmp(sq, "closedlost") == 0)
		return CRM_STAGE_LOST;
	return -crm_err_set(e, CRM_EX_DATAERR, "invalid status \"%.40s\" (open, won or lost)", v);
}

/* The row into d and the contact. */
static int read_row(struct crm_deal_import *di, const struct crm_csv_row *row,
		    struct crm_deal *d, int64_t *contact, struct crm_err *e)
{
	const char *ref = NULL, *refs[3] = { NULL, NULL, NULL };  /* contact_id, uid, email */
	int rc = 0, status = -1, ref_col = 0, kind = -1;

	for (size_t i = 0; rc == 0 && i < row->nfields && i < di->ncols; i++) {
		const char *v = row->fields[i];
		int c = di->col[i];
		char out[32];

		if (v[0] == '\0' || c == CRM_DEAL_COL_IGNORE)
			continue;
		if (c >= 0 && (c == CRM_DEAL_EXPECTED_CLOSE || c == CRM_DEAL_CREATED ||
			       c == CRM_DEAL_CLOSED)) {
			rc = crm_date_cell(crm_deal_field_names[c], v, di->date_format,
					   c != CRM_DEAL_EXPECTED_CLOSE, di->now, out, e);
			if (rc == 0)
				rc = crm_deal_set(d, (enum crm_deal_field)c, out, di->now, e);
			else if (rc == 1)
				rc = 0;
		} else if (c >= 0) {
			rc = crm_deal_set(d, (enum crm_deal_field)c, v, di->now, e);
		} else if (c == CRM_DEAL_COL_STATUS) {
			status = status_of(v, e);
			rc = status < 0 ? -status : 0;
		} else if (c == CRM_DEAL_COL_TAGS) {
			char *copy = xstrdup(v), *save = NULL;

			for (char *t = strtok_r(copy, ";,", &save); rc == 0 && t != NULL;
			     t = strtok_r(NULL, ";,", &save))
				if (*(t += strspn(t, " ")) != '\0')
					rc = crm_deal_tag(d, t, 1, e);
			free(copy);
		} else if (c == CRM_DEAL_COL_CUSTOM) {
			rc = crm_deal_field(d, di->custom[i], v, e);
		} else {
			refs[CRM_DEAL_COL_CONTACT_ID - c] = v;
			if (ref == NULL || c > ref_col) {
				/* contact_id before uid before email */
				ref = v;
				ref_col = c;
			}
		}
	}
	if (rc == 0 && d->v[CRM_DEAL_CURRENCY] == NULL && di->currency[0] != '\0')
		rc = crm_deal_set(d, CRM_DEAL_CURRENCY, di->currency, di->now, e);
	if (rc == 0 && ref == NULL)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no contact named (contact_id, uid or email)");
	if (rc == 0)
		rc = row_stage(di, d, status, &kind, e);
	/* a closed deal of an export closed on its close date, unless the
	 * file says when; a deal the row leaves open moves now (an update's
	 * move to an open stage is not dated by its expected close) */
	if (rc == 0 && d->v[CRM_DEAL_CLOSED] == NULL && d->v[CRM_DEAL_EXPECTED_CLOSE] != NULL &&
	    (kind == CRM_STAGE_WON || kind == CRM_STAGE_LOST)) {
		char at[32];

		snprintf(at, sizeof(at), "%sT00:00:00Z", d->v[CRM_DEAL_EXPECTED_CLOSE]);
		rc = crm_deal_set(d, CRM_DEAL_CLOSED, at, di->now, e);
	}
	if (rc == 0) {
		rc = crm_contact_resolve(di->store, ref, contact, e);
		if (rc == CRM_EX_NOTFOUND)
			e->code = rc = CRM_EX_DATAERR;
	}
	/* every column that names the contact must name the same one */
	for (size_t i = 0; rc == 0 && i < 3; i++) {
		static const char *const what[] = { "contact_id", "uid", "email" };
		int64_t other;

		if (refs[i] == NULL || refs[i] == ref)
			continue;
		rc = crm_contact_resolve(di->store, refs[i], &other, e);
		if (rc == CRM_EX_NOTFOUND)
			e->code = rc = CRM_EX_DATAERR;
		else if (rc == 0 && other != *contact)
			rc = crm_err_set(e, CRM_EX_DATAERR, "%s \"%.64s\" and %s \"%.64s\" name"
					 " different contacts", what[CRM_DEAL_COL_CONTACT_ID - ref_col],
					 ref, what[i], refs[i]);
	}
	return rc;
}

static int row(void *ctx, const struct crm_csv_row *r, struct crm_batch_counts *counts,
	       struct crm_err *e)
{
	struct crm_deal_import *di = ctx;
	struct crm_deal d;
	int64_t contact, id;
	int existed = 0, changed = 0, moved = 0, rc;

	crm_deal_init(&d);
	rc = crm_pipeline_ensure(di->store, e);
	if (rc == 0)
		rc = read_row(di, r, &d, &contact, e);
	if (rc == 0 && d.v[CRM_DEAL_KEY] != NULL) {
		rc = crm_deal_by_key(di->store, d.v[CRM_DEAL_KEY], &id, e);
		existed = rc == 0;
		rc = rc == CRM_EX_NOTFOUND ? 0 : rc;
	}
	if (rc == 0 && existed) {
		char *stage = d.v[CRM_DEAL_STAGE];
		char *pipeline = d.v[CRM_DEAL_PIPELINE];

		d.v[CRM_DEAL_STAGE] = d.v[CRM_DEAL_PIPELINE] = NULL;
		/* a value without a currency is in the deal's own */
		if (d.v[CRM_DEAL_CURRENCY] == NULL && d.v[CRM_DEAL_VALUE] != NULL) {
			char cur[4];

			rc = crm_deal_currency(di->store, id, cur, e);
			if (rc == 0)
				rc = crm_deal_set(&d, CRM_DEAL_CURRENCY, cur, di->now, e);
		}
		if (rc == 0)
			rc = crm_deal_finish(&d, 0, di->decimal, e);
		if (rc == 0)
			rc = crm_deal_edit(di->store, id, &d, &changed, e);
		if (rc == 0 && stage != NULL)
			rc = crm_deal_move(di->store, id, stage, d.v[CRM_DEAL_REASON] != NULL ?
					   d.v[CRM_DEAL_REASON] : "imported", 1,
					   d.v[CRM_DEAL_CLOSED], &moved, e);
		d.v[CRM_DEAL_STAGE] = stage;
		d.v[CRM_DEAL_PIPELINE] = pipeline;
		if (rc == 0) {
			if (changed + moved > 0)
				counts->updated++;
			else
				counts->unchanged++;
		}
	} else if (rc == 0) {
		rc = crm_deal_finish(&d, 1, di->decimal, e);
		if (rc == CRM_EX_USAGE)
			e->code = rc = CRM_EX_DATAERR;
		if (rc == 0)
			rc = crm_deal_add(di->store, &d, contact, &id, &existed, e);
		if (rc == 0)
			counts->added++;
	}
	crm_deal_free(&d);
	return rc;
}

static void summary(void *ctx, struct crm_buf *line)
{
	struct crm_deal_import *di = ctx;

	for (size_t i = 0; i < di->nignored; i++)
		crm_buf_addf(line, "%s\"%s\"", i == 0 ? "; columns left out: " : ", ",
			     di->ignored[i]);
}

const struct crm_batch_ops crm_deal_import_ops = {
	.header = header,
	.row = row,
	.summary = summary,
};
