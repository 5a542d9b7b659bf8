/* listing.h - the interaction listings of crm-log (list, purchases) and
 * the filter they share with the timeline: which contact, the time range,
 * channel, type, agent, direction and a limit; which columns --fields
 * picks (the listing's own and attr.NAME, an imported attribute) and
 * which attributes --attr NAME=VALUE requires.
 */
#ifndef CRM_LOG_LISTING_H
#define CRM_LOG_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "log/interaction.h"

struct crm_err;
struct crm_stmt;
struct crm_log_rows;
struct crm_store;

struct crm_log_filter {
	int64_t contact_id;      /* 0: every contact */
	char since[32];          /* UTC ISO 8601; "" from the start */
	char until[32];          /* before this; "" no end */
	const char *channel;     /* NULL: any (borrowed, as given) */
	const char *type;
	const char *agent;
	const char *direction;
	int64_t limit;           /* 0: no limit */
	int changes;             /* timeline: the contact's changes too */
};

/* Checks a --channel, --type or --direction value as crm_interaction_set
 * would, so a typo is an error and not an empty listing. Returns 0 or
 * CRM_EX_DATAERR with e set (`invalid channel "fax" (use ...)`). */
int crm_log_filter_check(enum crm_it_field field, const char *value,
			 struct crm_err *e);

/* Binds f to ?1 .. ?8 of st: contact (0 for any), since, until, channel,
 * type, agent, direction (NULL for any; channel, type and direction are
 * compared in lower case) and the limit (-1 for none). */
void crm_log_filter_bind(struct crm_stmt *st, const struct crm_log_filter *f);

/* The columns of a listing, in order; amount and currency are columns
 * CRM_LOG_AMOUNT_COL and CRM_LOG_CURRENCY_COL. */
extern const char *const crm_log_list_cols[];
#define CRM_LOG_NLIST 14
#define CRM_LOG_AMOUNT_COL 11
#define CRM_LOG_CURRENCY_COL 12

#define CRM_LOG_FIELDS_MAX 32

/* --fields LIST: listing columns and attr.NAME, in the order given. */
struct crm_log_fields {
	size_t n;
	const char *names[CRM_LOG_FIELDS_MAX];  /* into list */
	int col[CRM_LOG_FIELDS_MAX];            /* the column of a listing row */
	const char *attrs[CRM_LOG_FIELDS_MAX];  /* the attributes asked for */
	size_t nattrs;
	char *list;                             /* owned copy, split in place */
};

/* Parses a --fields list into pf (zeroed by the caller; free it with
 * crm_log_fields_free, even after an error). Returns 0 or CRM_EX_USAGE
 * with e set: `unknown field "x" (use id, at, ...)`, `at most 32 fields`. */
int crm_log_fields_parse(const char *list, struct crm_log_fields *pf,
			 struct crm_err *e);
void crm_log_fields_free(struct crm_log_fields *pf);

/* Whether arg is an attribute test NAME=VALUE (NAME: a letter a-z, then
 * a-z, 0-9 and _, at most 64). Returns 0 if it is, -1 if not. */
int crm_log_attr_check(const char *arg);

/* The interactions f selects, oldest first (purchases: purchases and
 * refunds only), each with the attributes of pf after the listing's
 * columns (pf may be NULL), and only those having every attribute
 * where[i] ("NAME=VALUE", checked; the value compared without regard to
 * case). The strings of f, pf and where must outlive the rows. */
struct crm_log_rows *crm_log_list_open(struct crm_store *s, const struct crm_log_filter *f,
				       int purchases, const struct crm_log_fields *pf,
				       const char *const *where, size_t nwhere);

#endif
