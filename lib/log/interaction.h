/* interaction.h - one touch between the business and a contact: a note,
 * call, mail, meeting, message, purchase, refund or task.
 *
 * A record is filled field by field from options or CSV cells
 * (crm_interaction_set, which validates), completed with defaults and
 * cross-checks (crm_interaction_finish), then stored (crm_interaction_add).
 */
#ifndef CRM_INTERACTION_H
#define CRM_INTERACTION_H

#include <stddef.h>
#include <stdint.h>

#include "cli/batch.h"
#include "base/buf.h"
#include "contact/contact_key.h"

struct crm;
struct crm_err;
struct crm_it_stage;
struct crm_store;

enum crm_it_field {
	CRM_IT_CONTACT,   /* id, uid or email of the contact */
	CRM_IT_AT,        /* when (ISO 8601 or relative; default now) */
	CRM_IT_CHANNEL,
	CRM_IT_DIRECTION, /* in, out */
	CRM_IT_TYPE,
	CRM_IT_SUBJECT,
	CRM_IT_BODY,
	CRM_IT_AGENT,
	CRM_IT_OUTCOME,
	CRM_IT_DURATION,  /* 90, 90s, 15m, 1h30m, 1:30:00 */
	CRM_IT_AMOUNT,
	CRM_IT_CURRENCY,
	CRM_IT_LEAD,
	CRM_IT_TICKET,
	CRM_IT_KEY,
	CRM_IT_DUE,
	CRM_IT_ASSIGNEE,
	CRM_IT_NFIELDS
};

/* Field names as options and import headers use them. */
extern const char *const crm_it_field_names[CRM_IT_NFIELDS];

struct crm_interaction {
	char *v[CRM_IT_NFIELDS];   /* normalised text; NULL = not given */
	int64_t contact_id;        /* resolved by the caller */
	int64_t amount;            /* minor units, set by finish */
	int has_amount;
	int64_t duration;          /* seconds, -1 = none */
	char decimal;              /* the amount's decimal mark: 0 for a dot
				      and no thousands separators (options),
				      '.' or ',' with them (imports) */
};

void crm_interaction_init(struct crm_interaction *it);
void crm_interaction_free(struct crm_interaction *it);

/* Validates and sets one field (empty raw leaves it unset). Returns 0 or
 * CRM_EX_DATAERR: `invalid channel "fax" (use email, phone, ...)`. */
int crm_interaction_set(struct crm_interaction *it, enum crm_it_field f,
			const char *raw, int64_t now, struct crm_err *e);

/* Fills defaults (time now, type note, a channel that fits the type, the
 * default currency, agent who, a task's assignee its agent), parses the
 * amount in its currency, checks that a task has a due date, checks
 * that purchases and refunds have an amount and nothing else does, makes a
 * refund negative, and with no_future rejects a time after now. */
int crm_interaction_finish(struct crm_interaction *it, const char *who,
			   int64_t now, int no_future, struct crm_err *e);

/* Stores it. With a key that is already stored for the same contact,
 * nothing is written and *existed is 1; a key stored for another contact
 * is CRM_EX_DATAERR. */
int crm_interaction_add(struct crm_store *s, const struct crm_interaction *it,
			int64_t *id, int *existed, struct crm_err *e);

/* The fields of an order's line (crm-log import with an order column):
 * each row of the input is one line of the order it names. */
enum crm_it_line_field {
	CRM_IT_LINE_ORDER,       /* the order number: the purchase's key */
	CRM_IT_LINE_PRODUCT,     /* product code (StockCode, SKU) */
	CRM_IT_LINE_DESCRIPTION,
	CRM_IT_LINE_QUANTITY,    /* an integer; negative for a cancellation */
	CRM_IT_LINE_UNIT_PRICE,  /* a decimal, at most 4 fraction digits */
	CRM_IT_LINE_NFIELDS
};
extern const char *const crm_it_line_field_names[CRM_IT_LINE_NFIELDS];

/* One line of an order, as read from a row. */
struct crm_it_line {
	const char *order;       /* borrowed from the row */
	const char *product;
	const char *description;
	int64_t quantity;
	char unit_price[48];     /* plain decimal: "1234.50" */
	int64_t total;           /* quantity x unit price, 1e-4 major units */
};

/* Reads a line's quantity and unit price (text as in a file; the price
 * in the notation of decimal mark mark, see crm_num_plain) and computes
 * its exact total. Returns 0 or CRM_EX_DATAERR with e set. */
int crm_it_line_total(struct crm_it_line *l, const char *quantity,
		      const char *unit_price, char mark, struct crm_err *e);

/* An order's amount in minor units of currency from the sum of its lines'
 * totals (1e-4 major units), rounded half away from zero. */
int64_t crm_it_order_amount(int64_t sum, const char *currency);

/* Batch import of interactions (crm-log import). */
struct crm_interaction_import {
	struct crm *crm;
	struct crm_store *store;
	int64_t now;
	const char *who;
	int no_future;
	int create_contacts;
	char decimal;            /* decimal mark of amounts: '.' or ',' */
	char currency[4];        /* --currency, or "": CRM_CURRENCY */
	const struct crm_contact_key *contact_key; /* --contact-key (borrowed);
						      NULL: as the header says */
	char **maps;             /* --map COLUMN=FIELD (borrowed) */
	size_t nmaps;
	int *col_field;          /* per column: field, or CRM_IT_COL_* */
	char **col_attr;         /* per column: attribute name (owned) or NULL */
	size_t ncols;
	/* dates */
	const char *date_format; /* --date-format (borrowed), or NULL: ISO */
	char **col_date;         /* per column: its header for at and due
				    (owned), else NULL */
	int orders;              /* 1: an order column, rows are order lines */
	int contact_col;         /* the contact column */
	char contact_header[72]; /* its name, for messages */
	struct crm_contact_key header_key; /* what that column's header says */
	int header_key_any;      /* 1: id, uid or email (crm_contact_resolve) */
	int key_ready;           /* the key's index is made */
	struct crm_buf attr_note; /* "Country (attr.country)", for the summary */
	struct crm_it_stage *stage; /* bulk writes, where the store takes them
				       (log/interaction_stage.h; owned) */
};
enum { CRM_IT_COL_IGNORE = -1, CRM_IT_COL_ATTR = -2, CRM_IT_COL_LINE = 100 };

void crm_interaction_import_init(struct crm_interaction_import *ii,
				 struct crm *crm);
void crm_interaction_import_free(struct crm_interaction_import *ii);
extern const struct crm_batch_ops crm_interaction_import_ops;

/* The types of interactions: note, call, email, meeting, message,
 * purchase, refund, task; NULL after the last. Their channels are
 * crm_contact_channels (contact/contact_field.h). */
extern const char *const crm_interaction_types[];

#endif
