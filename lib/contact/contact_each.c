/* contact_each.c - a function run for each contact a command names. */
#include "contact/contact_each.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "contact/contact.h"
#include "contact/contact_stream.h"
#include "base/xalloc.h"
#include "store/store.h"

/* One stream: 0 (all found), 1 in *missing when some row named nobody,
 * else the code crm_contact_stream printed. */
static int each_of_stream(const struct crm_contact_each *w, FILE *fp, const char *name,
			  int *missing)
{
	int rc = crm_contact_stream(w->crm, w->store, fp, name, w->fn, w->ctx);

	if (rc != CRM_EX_NOTFOUND)
		return rc;
	*missing = 1;
	return 0;
}

/* Looks ref up: 0 with *id set; -1 when it names no contact (said, and
 * *missing set); another exit code, with e set, when the lookup failed. */
static int lookup(const struct crm_contact_each *w, const char *ref, int64_t *id,
		  int *missing, struct crm_err *e)
{
	int rc = crm_contact_resolve(w->store, ref, id, e);

	if (rc != CRM_EX_NOTFOUND)
		return rc;
	crm_report(w->crm, e);
	*missing = 1;
	return -1;
}

int crm_contact_each(const struct crm_contact_each *w, int nrefs, char *const *refs)
{
	struct crm_err e = { 0, "" };
	FILE *from = NULL;
	int rc, missing = 0;

	if (w->from != NULL) {
		from = fopen(w->from, "r");
		if (from == NULL)
			return crm_fail(w->crm, CRM_EX_NOINPUT, "cannot open %s: %s", w->from,
					strerror(errno));
	}
	rc = crm_store_begin(w->store, &e);
	if (rc != 0) {
		if (from != NULL)
			fclose(from);
		return crm_report(w->crm, &e);
	}
	if (from != NULL) {
		rc = each_of_stream(w, from, w->from, &missing);
		fclose(from);
	}
	for (int i = 0; i < nrefs && rc == 0; i++) {
		int64_t id;

		if (strcmp(refs[i], "-") == 0) {
			rc = each_of_stream(w, stdin, "<stdin>", &missing);
			continue;
		}
		rc = lookup(w, refs[i], &id, &missing, &e);
		if (rc < 0) {
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = w->fn(w->ctx, id, &e);
		if (rc != 0)
			return crm_finish_tx(w->crm, w->store, rc, &e);
	}
	if (rc != 0) {
		/* A stream's error, printed already. */
		crm_store_rollback(w->store);
		return rc;
	}
	rc = crm_finish_tx(w->crm, w->store, 0, &e);
	return rc != 0 ? rc : missing ? CRM_EX_NOTFOUND : 0;
}

/* Runs w's function for each of the n ids, in one transaction: the ids
 * found already, not looked up again by their text (a numeric uid would
 * make "2" ambiguous where the user named the contact by email). */
static int each_id(const struct crm_contact_each *w, int n, const int64_t *ids)
{
	struct crm_err e = { 0, "" };
	int rc = crm_store_begin(w->store, &e);

	if (rc != 0)
		return crm_report(w->crm, &e);
	for (int i = 0; i < n && rc == 0; i++)
		rc = w->fn(w->ctx, ids[i], &e);
	return crm_finish_tx(w->crm, w->store, rc, &e);
}

int crm_contact_each_asked(const struct crm_contact_each *w, int nrefs, char *const *refs,
			   int (*ask)(void *ctx, int64_t id, struct crm_err *e), void *ask_ctx)
{
	struct crm_err e = { 0, "" };
	int64_t *yes = xcalloc((size_t)nrefs + 1, sizeof(*yes));
	int n = 0, rc = 0, missing = 0;

	for (int i = 0; i < nrefs && rc == 0; i++) {
		int64_t id;

		rc = lookup(w, refs[i], &id, &missing, &e);
		if (rc < 0) {
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = ask(ask_ctx, id, &e);
		if (rc == 1) {
			rc = 0; /* left alone */
		} else if (rc == 0) {
			yes[n++] = id;
		}
	}
	if (rc != 0)
		rc = crm_report(w->crm, &e);
	else if (n > 0)
		rc = each_id(w, n, yes);
	free(yes);
	return rc != 0 ? rc : missing ? CRM_EX_NOTFOUND : 0;
}

int crm_contact_change_delete(void *ctx, int64_t id, struct crm_err *e)
{
	struct crm_contact_change *ch = ctx;
	int rc = crm_contact_delete(ch->store, id, e);

	if (rc == 0)
		ch->done++;
	return rc;
}

int crm_contact_change_tags(void *ctx, int64_t id, struct crm_err *e)
{
	struct crm_contact_change *ch = ctx;

	for (int i = 0; i < ch->ntags; i++) {
		int changed, rc = crm_contact_tag(ch->store, id, ch->tags[i], ch->add, &changed, e);

		if (rc != 0)
			return rc;
		ch->done += (unsigned long)changed;
	}
	return 0;
}
