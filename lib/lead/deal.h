/* deal.h - a deal (a lead) of a contact through a pipeline's stages:
 * the record and its validation, and the store operations of crm-lead
 * add, edit, move, rm and convert. Every change is an event of the deal
 * (lead_events: created, moved, edited, reopened, converted), which the
 * contact's timeline shows, and a row of history (entity 'lead').
 */
#ifndef CRM_LEAD_DEAL_H
#define CRM_LEAD_DEAL_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_store;

enum crm_deal_field {
	CRM_DEAL_TITLE,
	CRM_DEAL_VALUE,          /* as given ("1200.50"); minor units once finished */
	CRM_DEAL_CURRENCY,
	CRM_DEAL_PIPELINE,
	CRM_DEAL_STAGE,
	CRM_DEAL_OWNER,
	CRM_DEAL_SOURCE,
	CRM_DEAL_CAMPAIGN,
	CRM_DEAL_EXPECTED_CLOSE, /* YYYY-MM-DD */
	CRM_DEAL_REASON,
	CRM_DEAL_KEY,            /* the external key an import names it by */
	CRM_DEAL_CREATED,        /* when it was created (imports), stored form */
	CRM_DEAL_CLOSED,         /* when it was closed (imports of closed deals) */
	CRM_DEAL_NFIELDS
};

/* The fields' names as columns and options say them ("expected_close"). */
extern const char *const crm_deal_field_names[CRM_DEAL_NFIELDS];
/* The index of a field name, or -1. */
int crm_deal_field_index(const char *name);

struct crm_deal {
	char *v[CRM_DEAL_NFIELDS];   /* NULL: not given; "" (edit): clear */
	int64_t value;               /* minor units, set by crm_deal_finish */
	char **tags;                 /* tags to add */
	size_t ntags;
	char **untags;               /* tags to remove (edit) */
	size_t nuntags;
	char **fnames, **fvalues;    /* custom fields (value "" removes) */
	size_t nfields;
};

void crm_deal_init(struct crm_deal *d);
void crm_deal_free(struct crm_deal *d);
/* Validates raw for field f and keeps its normal form (a date as
 * YYYY-MM-DD, a currency upper case). now anchors relative dates. 0 or
 * CRM_EX_DATAERR with e set. */
int crm_deal_set(struct crm_deal *d, enum crm_deal_field f, const char *raw, int64_t now,
		 struct crm_err *e);
/* A tag to add (add 1) or remove, a custom field (value "" removes it). */
int crm_deal_tag(struct crm_deal *d, const char *tag, int add, struct crm_err *e);
int crm_deal_field(struct crm_deal *d, const char *name, const char *value, struct crm_err *e);
/* Parses the value in its currency (the default currency when none is
 * given: $CRM_CURRENCY, else EUR) into d->value: a negative or malformed
 * value is CRM_EX_DATAERR. mark is the decimal mark of an import (0: a
 * dot). Required: a title and a value (for add; edit passes required 0). */
int crm_deal_finish(struct crm_deal *d, int required, char mark, struct crm_err *e);

/* Adds the deal for contact_id: its pipeline (given, else the default),
 * its stage (given, else the pipeline's first open stage), a created
 * event. A deal in a won or lost stage is closed at d's closed time, else
 * now. With a key another deal holds, nothing is added: *existed 1 and
 * *id that deal's. */
int crm_deal_add(struct crm_store *s, const struct crm_deal *d, int64_t contact_id,
		 int64_t *id, int *existed, struct crm_err *e);
/* The id of the deal with external key key: 0, or CRM_EX_NOTFOUND. */
int crm_deal_by_key(struct crm_store *s, const char *key, int64_t *id, struct crm_err *e);
/* The currency of deal id into out. */
int crm_deal_currency(struct crm_store *s, int64_t id, char out[4], struct crm_err *e);
/* Checks a deal reference (an id): 0 with *id, CRM_EX_NOTFOUND (`no deal
 * 12`), CRM_EX_USAGE for a malformed one. */
int crm_deal_resolve(struct crm_store *s, const char *ref, int64_t *id, struct crm_err *e);
/* Applies d's given fields to deal id, each change in history and one
 * edited event naming them; the stage is changed with crm_deal_move, not
 * here. *changed counts the changes. */
int crm_deal_edit(struct crm_store *s, int64_t id, const struct crm_deal *d, int *changed,
		  struct crm_err *e);
/* Moves deal id to stage (of its pipeline). Won and lost need a reason
 * (CRM_EX_USAGE without); a closed deal moves only with reopen
 * (CRM_EX_DATAERR: `deal 12 is won: move it with --reopen`). at is the
 * time of the move (NULL: now). *changed is 0 when it is in that stage
 * already. */
int crm_deal_move(struct crm_store *s, int64_t id, const char *stage, const char *reason,
		  int reopen, const char *at, int *changed, struct crm_err *e);
/* Removes deal id with its events, tags and fields (history keeps a
 * delete row). */
int crm_deal_rm(struct crm_store *s, int64_t id, struct crm_err *e);
/* Makes deal id's contact a customer, once: CRM_EX_DATAERR when the deal
 * was converted already (`deal 12 was converted at ...`). The contact's
 * status change is in its history; *was_customer says it was one already. */
int crm_deal_convert(struct crm_store *s, int64_t id, int *was_customer, struct crm_err *e);

#endif
