/* contact_query.h - listing contacts: columns, filters, order, limit.
 *
 * What `crm-contact list` and `export` print, and any other program that
 * writes a contact stream. Columns are standard fields, "tags" (joined with
 * ';') or custom field names. Every value reaches SQL as a bound parameter;
 * every name is checked against the field table first.
 */
#ifndef CRM_CONTACT_QUERY_H
#define CRM_CONTACT_QUERY_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_out;
struct crm_store;

enum crm_contact_pseudo {
	CRM_COL_FIELD = 0,  /* a standard field or a custom one */
	CRM_COL_TAGS,       /* tags joined with ';' */
	CRM_COL_EMAILS,     /* other emails: "b@x.org (work); c@y.org" */
	CRM_COL_PHONES,     /* other phones, the same way */
};

struct crm_contact_column {
	int field;     /* standard field index, or -1 */
	int tags;      /* a crm_contact_pseudo, CRM_COL_FIELD for fields */
	char *custom;  /* custom field name, or NULL */
	char *expr;    /* any other name of the filter language (cluster,
			* purchases.total, field.x, tag:vip, ...), or NULL */
	int show;      /* for expr: its enum crm_expr_show */
	int check;     /* custom named bare: unknown unless a contact has it */
};

struct crm_contact_where {
	int field;     /* standard field index, or -1 for a custom field */
	char *custom;
	char *value;   /* "" matches an empty or missing value */
};

struct crm_contact_query {
	struct crm_contact_column *cols;
	size_t ncols;
	char **tags;           /* every tag must be present */
	size_t ntags;
	char *search;          /* substring of name, email or company */
	struct crm_contact_where *where;
	size_t nwhere;
	int sort_field[8];     /* standard fields; */
	int sort_desc[8];
	size_t nsort;
	int64_t limit;         /* 0: no limit */
	int64_t id;            /* > 0: just this contact */
	char *filter;          /* a filter expression (crm-filter(7)), or NULL */
	int64_t now;           /* anchors relative dates in filter */
};

/* The column's name as listings print it. */
const char *crm_contact_column_name(const struct crm_contact_column *c);

/* 1 if the column holds numbers (id, the opt-out flags, and the filter
 * language's numbers, true/false and money: cluster, purchases.total). */
int crm_contact_column_numeric(const struct crm_contact_column *c);

/* Frees the columns alone, leaving q without any. */
void crm_contact_query_free_columns(struct crm_contact_query *q);

void crm_contact_query_init(struct crm_contact_query *q);
void crm_contact_query_free(struct crm_contact_query *q);

/* Columns from "id,email,tags,emails,phones,shoe_size,purchases.total":
 * standard fields, tags, emails, phones, any name of the filter language
 * (crm_expr_column: computed ones such as cluster or rfm.segment, and
 * field.NAME), else a custom field some contact has (checked when the
 * query runs). Returns 0 or CRM_EX_USAGE: `--fields: unknown field "x";
 * known: id, uid, ...`. */
int crm_contact_query_columns(struct crm_contact_query *q, const char *list,
			      struct crm_err *e);
/* Every standard field, then tags, other emails and phones, then every
 * custom field in the store (alphabetical), or with q->id set only that
 * contact's custom fields. */
int crm_contact_query_all_columns(struct crm_contact_query *q,
				  struct crm_store *s, struct crm_err *e);
/* A filter "FIELD=VALUE" (FIELD standard or custom). */
int crm_contact_query_where(struct crm_contact_query *q, const char *expr,
			    struct crm_err *e);
void crm_contact_query_tag(struct crm_contact_query *q, const char *tag);
/* Order from "last_name,-created_at" ('-' for descending); id breaks ties. */
int crm_contact_query_sort(struct crm_contact_query *q, const char *spec,
			   struct crm_err *e);

/* Runs the query and calls row() for each contact with the column names
 * and values (NULL for an empty value). A non-zero return from row() stops
 * and is returned. */
int crm_contact_query_each(struct crm_store *s,
			   const struct crm_contact_query *q,
			   int (*row)(void *ctx, size_t n, const char *const *names,
				      const char *const *vals),
			   void *ctx, struct crm_err *e);

/* Runs the query and writes the columns and rows to out. *nrows (may be
 * NULL) is the number of rows written. Returns 0 or an exit code. */
int crm_contact_query_run(struct crm_store *s,
			  const struct crm_contact_query *q,
			  struct crm_out *out, unsigned long *nrows,
			  struct crm_err *e);

#endif
