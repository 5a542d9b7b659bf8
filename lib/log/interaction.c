/* interaction.c - one touch between the business and a contact. */
#include "log/interaction.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "contact/contact.h"
#include "contact/contact_detail.h"
#include "io/csvio.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/money.h"
#include "base/num.h"
#include "store/store.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "log/interaction_stage.h"

#define SUBJECT_MAX 1000
#define BODY_MAX (1024 * 1024)

const char *const crm_it_field_names[CRM_IT_NFIELDS] = {
	"contact", "at", "channel", "direction", "type", "subject", "body",
	"agent", "outcome", "duration", "amount", "currency", "lead", "ticket",
	"key", "due", "assignee",
};

/* Import header spellings (normalised: lowercase letters and digits). */
static const char *const header_aliases[CRM_IT_NFIELDS] = {
	"contact contactid contactemail email uid customer customeremail",
	"at time date datetime timestamp when occurredat invoicedate orderdate",
	"channel medium",
	"direction dir",
	"type kind",
	"subject title summary",
	"body text notes note description message content",
	"agent user by salesrep",
	"outcome result",
	"duration durationseconds",
	"amount total value price",
	"currency",
	"lead leadid deal dealid",
	"ticket ticketid",
	"key externalkey extkey messageid orderid ordernumber order",
	"due dueat duedate",
	"assignee assignedto assign",
};

static const char *const directions[] = { "in", "out", NULL };
const char *const crm_interaction_types[] = {
	"note", "call", "email", "meeting", "message", "purchase", "refund", "task", NULL
};

void crm_interaction_init(struct crm_interaction *it)
{
	memset(it, 0, sizeof(*it));
	it->duration = -1;
}

void crm_interaction_free(struct crm_interaction *it)
{
	for (int i = 0; i < CRM_IT_NFIELDS; i++)
		free(it->v[i]);
	crm_interaction_init(it);
}

static int one_of(const char *s, const char *const *words, struct crm_buf *out)
{
	for (size_t i = 0; words[i] != NULL; i++) {
		if (strcasecmp(s, words[i]) == 0) {
			crm_buf_adds(out, words[i]);
			return 0;
		}
	}
	return -1;
}

/* Digits at *p into *v (at most 9), advancing *p. */
static int read_number(const char **p, int64_t *v)
{
	int digits = 0;

	*v = 0;
	while (isdigit((unsigned char)**p)) {
		if (++digits > 9)
			return -1;
		*v = *v * 10 + (**p - '0');
		(*p)++;
	}
	return digits > 0 ? 0 : -1;
}

/* "90" (seconds), "90s", "15m", "1h30m", "1:30:00" (h:mm:ss), "2:05"
 * (m:ss) into seconds. */
static int parse_duration(const char *s, int64_t *secs)
{
	const char *p = s;
	int64_t v, total = 0;

	if (strchr(s, ':') != NULL) {
		int64_t parts[3];
		int n = 0;

		for (;;) {
			if (n == 3 || read_number(&p, &parts[n]) != 0)
				return -1;
			n++;
			if (*p == '\0')
				break;
			if (*p++ != ':')
				return -1;
		}
		if (n < 2 || parts[n - 1] >= 60 || (n == 3 && parts[1] >= 60))
			return -1;
		*secs = n == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2]
			       : parts[0] * 60 + parts[1];
		return 0;
	}
	if (read_number(&p, &v) != 0)
		return -1;
	if (*p == '\0') {
		*secs = v;
		return 0;
	}
	for (;;) {
		if (*p == 'h')
			total += v * 3600;
		else if (*p == 'm')
			total += v * 60;
		else if (*p == 's')
			total += v;
		else
			return -1;
		if (*++p == '\0')
			break;
		if (read_number(&p, &v) != 0)
			return -1; /* "1h30": say what 30 is */
	}
	*secs = total;
	return 0;
}

static int check_text(const char *s, size_t max, int multiline)
{
	size_t n = strlen(s);

	if (n > max || !crm_utf8_valid(s, n, NULL))
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) ||
		    c == 0x7f)
			return -1;
	}
	return 0;
}

int crm_interaction_set(struct crm_interaction *it, enum crm_it_field f,
			const char *raw, int64_t now, struct crm_err *e)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *name = crm_it_field_names[f];
	int rc = 0;

	if (raw[0] == '\0')
		return 0;
	/* A blank number cell is a missing value, never 0 nor an error. */
	if ((f == CRM_IT_DURATION || f == CRM_IT_AMOUNT || f == CRM_IT_LEAD ||
	     f == CRM_IT_TICKET) && raw[strspn(raw, " \t")] == '\0')
		return 0;
	switch (f) {
	case CRM_IT_AT:
	case CRM_IT_DUE: {
		int64_t t;
		char text[32];

		rc = crm_time_parse(raw, now, &t, e);
		if (rc == 0) {
			crm_time_format(t, text);
			crm_buf_adds(&b, text);
		}
		break;
	}
	case CRM_IT_CHANNEL:
		if (one_of(raw, crm_contact_channels, &b) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "invalid channel \"%.32s\" (use email, phone, sms, chat, social, meeting, post, web or other)",
					 raw);
		break;
	case CRM_IT_DIRECTION:
		if (one_of(raw, directions, &b) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "invalid direction \"%.32s\" (use in or out)", raw);
		break;
	case CRM_IT_TYPE:
		if (one_of(raw, crm_interaction_types, &b) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "invalid type \"%.32s\" (use note, call, email, meeting, message, purchase, refund or task)",
					 raw);
		break;
	case CRM_IT_DURATION:
		if (parse_duration(raw, &it->duration) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "invalid duration \"%.32s\" (use seconds, 15m, 1h30m or 1:30:00)", raw);
		else
			crm_buf_addf(&b, "%lld", (long long)it->duration);
		break;
	case CRM_IT_CURRENCY: {
		char code[4];

		rc = crm_currency_parse(raw, code, e);
		if (rc == 0)
			crm_buf_adds(&b, code);
		break;
	}
	case CRM_IT_LEAD:
	case CRM_IT_TICKET: {
		int64_t n;
		const char *why;

		if (crm_parse_i64(raw, 1, INT64_MAX, &n, &why) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR, "invalid %s id \"%.32s\": %s",
					 name, raw, why);
		else
			crm_buf_addf(&b, "%lld", (long long)n);
		break;
	}
	case CRM_IT_BODY:
		if (check_text(raw, BODY_MAX, 1) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "body is not text (invalid UTF-8, control characters or over 1 MiB)");
		else
			crm_buf_adds(&b, raw);
		break;
	case CRM_IT_KEY:
		if (check_text(raw, 998, 0) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR, "invalid key \"%.64s\"", raw);
		else
			crm_buf_adds(&b, raw);
		break;
	case CRM_IT_AMOUNT:
		/* Parsed in finish(), once the currency is known. */
		if (check_text(raw, 64, 0) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR, "invalid amount \"%.32s\"", raw);
		else
			crm_buf_adds(&b, raw);
		break;
	default:
		if (check_text(raw, SUBJECT_MAX, 0) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "%s is not one line of text (control characters, invalid UTF-8 or over %d bytes)",
					 name, SUBJECT_MAX);
		else
			crm_buf_adds(&b, raw);
		break;
	}
	if (rc != 0) {
		crm_buf_free(&b);
		return rc;
	}
	free(it->v[f]);
	it->v[f] = crm_buf_detach(&b);
	return 0;
}

/* The channel a type implies when none is given. */
static const char *channel_for(const char *type)
{
	if (strcmp(type, "call") == 0)
		return "phone";
	if (strcmp(type, "email") == 0)
		return "email";
	if (strcmp(type, "meeting") == 0)
		return "meeting";
	if (strcmp(type, "message") == 0)
		return "chat";
	return "other";
}

int crm_interaction_finish(struct crm_interaction *it, const char *who,
			   int64_t now, int no_future, struct crm_err *e)
{
	char text[32];
	const char *type;
	int money;

	if (it->v[CRM_IT_TYPE] == NULL)
		it->v[CRM_IT_TYPE] = xstrdup(it->v[CRM_IT_AMOUNT] != NULL ? "purchase"
					     : it->v[CRM_IT_DUE] != NULL ? "task" : "note");
	type = it->v[CRM_IT_TYPE];
	money = strcmp(type, "purchase") == 0 || strcmp(type, "refund") == 0;
	if (it->v[CRM_IT_CHANNEL] == NULL)
		it->v[CRM_IT_CHANNEL] = xstrdup(channel_for(type));
	if (it->v[CRM_IT_AT] == NULL) {
		crm_time_format(now, text);
		it->v[CRM_IT_AT] = xstrdup(text);
	} else if (no_future) {
		int64_t t;

		if (crm_time_parse(it->v[CRM_IT_AT], now, &t, NULL) == 0 && t > now)
			return crm_err_set(e, CRM_EX_DATAERR, "time %s is in the future (--no-future)",
					   it->v[CRM_IT_AT]);
	}
	if (it->v[CRM_IT_AGENT] == NULL && who != NULL)
		it->v[CRM_IT_AGENT] = xstrdup(who);
	if (strcmp(type, "task") == 0) {
		/* A task nobody will see in `due` is lost work. */
		if (it->v[CRM_IT_DUE] == NULL)
			return crm_err_set(e, CRM_EX_DATAERR, "a task needs a due date");
		if (it->v[CRM_IT_ASSIGNEE] == NULL && it->v[CRM_IT_AGENT] != NULL)
			it->v[CRM_IT_ASSIGNEE] = xstrdup(it->v[CRM_IT_AGENT]);
	}
	if (money && it->v[CRM_IT_AMOUNT] == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "a %s needs an amount", type);
	if (!money && it->v[CRM_IT_AMOUNT] != NULL)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "an amount belongs to a purchase or refund, not a %s", type);
	if (!money && it->v[CRM_IT_CURRENCY] != NULL)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "a currency belongs to a purchase or refund, not a %s", type);
	if (strcmp(type, "task") != 0 && (it->v[CRM_IT_DUE] != NULL || it->v[CRM_IT_ASSIGNEE] != NULL))
		return crm_err_set(e, CRM_EX_DATAERR, "a due date or assignee belongs to a task, not a %s",
				   type);
	if (money) {
		int rc;

		if (it->v[CRM_IT_CURRENCY] == NULL) {
			char code[4];

			if (crm_currency_parse(crm_default_currency(), code, e) != 0)
				return crm_err_set(e, CRM_EX_CONFIG, "invalid CRM_CURRENCY \"%s\"",
						   crm_default_currency());
			it->v[CRM_IT_CURRENCY] = xstrdup(code);
		}
		rc = crm_amount_parse_mark(it->v[CRM_IT_AMOUNT], it->v[CRM_IT_CURRENCY],
					   it->decimal, &it->amount, e);
		if (rc != 0)
			return rc;
		if (it->amount < 0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "amount \"%s\" is negative: give refunds as type refund with a positive amount",
					   it->v[CRM_IT_AMOUNT]);
		if (strcmp(type, "refund") == 0)
			it->amount = -it->amount;
		it->has_amount = 1;
	}
	return 0;
}

/* The interaction stored under its key: 0 with *existed set (or not,
 * when there is none), or CRM_EX_DATAERR when the key is another
 * contact's. */
static int key_owner(struct crm_store *s, const struct crm_interaction *it,
		     int64_t *id, int *existed, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id, contact_id FROM interactions WHERE ext_key = ?1");
	int64_t other;
	int rc;

	crm_bind_text_ref(st, 1, it->v[CRM_IT_KEY]);
	rc = crm_store_step(s, st, e);
	if (rc != CRM_ROW) {
		crm_stmt_reset(st);
		return rc < 0 ? e->code : 0;
	}
	*id = crm_column_int64(st, 0);
	other = crm_column_int64(st, 1);
	crm_stmt_reset(st);
	if (other != it->contact_id)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "key \"%.64s\" belongs to interaction %lld of contact %lld",
				   it->v[CRM_IT_KEY], (long long)*id, (long long)other);
	*existed = 1;
	return 0;
}

int crm_interaction_add(struct crm_store *s, const struct crm_interaction *it,
			int64_t *id, int *existed, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc;

	*existed = 0;
	/* A key is looked up first: on PostgreSQL no unique index on ext_key
	 * could make an ON CONFLICT of it (a directory keeps it unique,
	 * store/sql/pg/0010). */
	if (it->v[CRM_IT_KEY] != NULL) {
		rc = key_owner(s, it, id, existed, e);
		if (rc != 0 || *existed)
			return rc;
	}
	st = crm_store_prepare(s,
		"INSERT INTO interactions (contact_id, at, channel, direction, type,"
		" subject, body, agent, outcome, duration, amount, currency, lead_id,"
		" ticket_id, ext_key, due_at, assignee, created_at) VALUES (?1, ?2, ?3,"
		" ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
		" RETURNING id");
	crm_bind_int64(st, 1, it->contact_id);
	crm_bind_text(st, 2, it->v[CRM_IT_AT]);
	crm_bind_text(st, 3, it->v[CRM_IT_CHANNEL]);
	crm_bind_text(st, 4, it->v[CRM_IT_DIRECTION]);
	crm_bind_text(st, 5, it->v[CRM_IT_TYPE]);
	crm_bind_text(st, 6, it->v[CRM_IT_SUBJECT]);
	crm_bind_text(st, 7, it->v[CRM_IT_BODY]);
	crm_bind_text(st, 8, it->v[CRM_IT_AGENT]);
	crm_bind_text(st, 9, it->v[CRM_IT_OUTCOME]);
	if (it->duration >= 0)
		crm_bind_int64(st, 10, it->duration);
	if (it->has_amount)
		crm_bind_int64(st, 11, it->amount);
	crm_bind_text(st, 12, it->has_amount ? it->v[CRM_IT_CURRENCY] : NULL);
	if (it->v[CRM_IT_LEAD] != NULL)
		crm_bind_int64(st, 13, strtoll(it->v[CRM_IT_LEAD], NULL, 10));
	if (it->v[CRM_IT_TICKET] != NULL)
		crm_bind_int64(st, 14, strtoll(it->v[CRM_IT_TICKET], NULL, 10));
	crm_bind_text(st, 15, it->v[CRM_IT_KEY]);
	crm_bind_text(st, 16, it->v[CRM_IT_DUE]);
	crm_bind_text(st, 17, it->v[CRM_IT_ASSIGNEE]);
	crm_bind_text_ref(st, 18, crm_store_now(s));
	return crm_store_insert_id(s, st, id, e);
}

/* The columns of a staged interaction (interaction_stage.h): those
 * crm_interaction_add writes, and the id. */
static const char stage_columns[] =
	"id, contact_id, at, channel, direction, type, subject, body, agent,"
	" outcome, duration, amount, currency, lead_id, ticket_id, ext_key,"
	" due_at, assignee, created_at";

/* 1 if it can go in bulk: the import stages, and every value is UTF-8
 * (a bulk write refuses the block for one bad value). */
static int stage_fits(const struct crm_it_stage *st, const struct crm_interaction *it)
{
	if (!st->on)
		return 0;
	for (int f = 0; f < CRM_IT_NFIELDS; f++)
		if (it->v[f] != NULL && !crm_utf8_valid(it->v[f], strlen(it->v[f]), NULL))
			return 0;
	return 1;
}

/* it as crm_interaction_add binds it, as row id of the bulk write. */
static void stage_row(struct crm_store *s, struct crm_copy *c, const struct crm_interaction *it,
		      int64_t id)
{
	crm_copy_int64(c, id);
	crm_copy_int64(c, it->contact_id);
	crm_copy_text(c, it->v[CRM_IT_AT]);
	crm_copy_text(c, it->v[CRM_IT_CHANNEL]);
	crm_copy_text(c, it->v[CRM_IT_DIRECTION]);
	crm_copy_text(c, it->v[CRM_IT_TYPE]);
	crm_copy_text(c, it->v[CRM_IT_SUBJECT]);
	crm_copy_text(c, it->v[CRM_IT_BODY]);
	crm_copy_text(c, it->v[CRM_IT_AGENT]);
	crm_copy_text(c, it->v[CRM_IT_OUTCOME]);
	if (it->duration >= 0)
		crm_copy_int64(c, it->duration);
	else
		crm_copy_null(c);
	if (it->has_amount)
		crm_copy_int64(c, it->amount);
	else
		crm_copy_null(c);
	crm_copy_text(c, it->has_amount ? it->v[CRM_IT_CURRENCY] : NULL);
	if (it->v[CRM_IT_LEAD] != NULL)
		crm_copy_int64(c, strtoll(it->v[CRM_IT_LEAD], NULL, 10));
	else
		crm_copy_null(c);
	if (it->v[CRM_IT_TICKET] != NULL)
		crm_copy_int64(c, strtoll(it->v[CRM_IT_TICKET], NULL, 10));
	else
		crm_copy_null(c);
	crm_copy_text(c, it->v[CRM_IT_KEY]);
	crm_copy_text(c, it->v[CRM_IT_DUE]);
	crm_copy_text(c, it->v[CRM_IT_ASSIGNEE]);
	crm_copy_text(c, crm_store_now(s));
	crm_copy_end_row(c);
}

/* ---- order lines ----------------------------------------------------- */

const char *const crm_it_line_field_names[CRM_IT_LINE_NFIELDS] = {
	"order", "product_code", "description", "quantity", "unit_price",
};

/* Header spellings of line fields, used only when the input has an order
 * column (elsewhere "description" is a body and "price" an amount). */
static const char *const line_aliases[CRM_IT_LINE_NFIELDS] = {
	"",
	"productcode stockcode product sku itemcode articlenumber",
	"description productname itemname",
	"quantity qty",
	"unitprice price",
};

/* Line totals are kept in 1e-4 major units: exact for unit prices with up
 * to 4 decimals, in any currency. */
#define LINE_DECIMALS 4
#define LINE_SCALE 10000
#define QUANTITY_MAX 1000000000LL

int crm_it_line_total(struct crm_it_line *l, const char *quantity,
		      const char *unit_price, char mark, struct crm_err *e)
{
	int64_t price;
	const char *why;

	if (crm_parse_i64(quantity, -QUANTITY_MAX, QUANTITY_MAX, &l->quantity, &why) != 0)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid quantity \"%.32s\": %s",
				   quantity, strcmp(why, "invalid") == 0 ? "not a whole number" : why);
	/* Kept in the plain form ("1234.50" for "1,234.50"). */
	if (strlen(unit_price) >= sizeof(l->unit_price) ||
	    crm_num_plain(unit_price, mark != 0 ? mark : '.', l->unit_price, &why) != 0 ||
	    crm_parse_money(l->unit_price, LINE_DECIMALS, &price, &why) != 0)
		return crm_err_set(e, CRM_EX_DATAERR, "invalid unit price \"%.32s\": %s%s",
				   unit_price, strlen(unit_price) >= sizeof(l->unit_price) ? "too long" : why,
				   strcmp(why, "too many decimals") == 0 ? " (at most 4)" : "");
	if (__builtin_mul_overflow(l->quantity, price, &l->total) ||
	    l->total > (INT64_C(1) << 53) || l->total < -(INT64_C(1) << 53))
		return crm_err_set(e, CRM_EX_DATAERR, "line total of %s x %s is too large",
				   quantity, unit_price);
	return 0;
}

int64_t crm_it_order_amount(int64_t sum, const char *currency)
{
	int64_t per = crm_currency_minor_per_major(currency);
	int64_t d = per > 0 && per <= LINE_SCALE ? LINE_SCALE / per : 1;
	int64_t half = d / 2;

	/* C division truncates toward zero: add half away from zero first. */
	return (sum + (sum < 0 ? -half : half)) / d;
}

/* ---- import ---------------------------------------------------------- */

void crm_interaction_import_init(struct crm_interaction_import *ii,
				 struct crm *crm)
{
	memset(ii, 0, sizeof(*ii));
	ii->crm = crm;
	ii->now = crm_now();
	ii->decimal = '.';
	ii->contact_col = -1;
	crm_buf_init(&ii->attr_note);
	ii->stage = xcalloc(1, sizeof(*ii->stage));
}

void crm_interaction_import_free(struct crm_interaction_import *ii)
{
	for (size_t i = 0; ii->col_date != NULL && i < ii->ncols; i++)
		free(ii->col_date[i]);
	free(ii->col_date);
	for (size_t i = 0; ii->col_attr != NULL && i < ii->ncols; i++)
		free(ii->col_attr[i]);
	free(ii->col_attr);
	free(ii->col_field);
	free(ii->maps);
	crm_buf_free(&ii->attr_note);
	if (ii->stage != NULL)
		crm_it_stage_free(ii->stage);
	free(ii->stage);
	memset(ii, 0, sizeof(*ii));
}

static int in_words(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p != '\0';) {
		size_t len = strcspn(p, " ");

		if (len == n && n > 0 && strncmp(p, word, n) == 0)
			return 1;
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

static int field_by_name(const char *name)
{
	for (int f = 0; f < CRM_IT_NFIELDS; f++)
		if (strcmp(crm_it_field_names[f], name) == 0)
			return f;
	for (int f = 0; f < CRM_IT_LINE_NFIELDS; f++)
		if (strcmp(crm_it_line_field_names[f], name) == 0)
			return CRM_IT_COL_LINE + f;
	return -1;
}

/* An attribute name: a-z, 0-9 and _, starting with a letter, at most 64. */
static int attr_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The --map target for column name, or NULL. */
static const char *map_target(const struct crm_interaction_import *ii, const char *name)
{
	const char *target = NULL;

	for (size_t m = 0; m < ii->nmaps; m++) {
		const char *eq = strchr(ii->maps[m], '=');

		if ((size_t)(eq - ii->maps[m]) == strlen(name) &&
		    strncasecmp(ii->maps[m], name, strlen(name)) == 0)
			target = eq + 1;
	}
	return target;
}

/* What the contact column's header says its values are: ids
 * (contact_id), uids (uid: a numeric uid is never taken for an id), or
 * any of id, uid and email (contact, email, customer, or a --map). */
static void header_key(struct crm_interaction_import *ii, const char *header, int mapped)
{
	struct crm_buf key = CRM_BUF_INIT;
	const char *spec = NULL;

	crm_contact_header_key(header, &key);
	if (!mapped && strcmp(crm_buf_str(&key), "contactid") == 0)
		spec = "id";
	else if (!mapped && strcmp(crm_buf_str(&key), "uid") == 0)
		spec = "uid";
	ii->header_key_any = spec == NULL;
	if (spec != NULL)
		crm_contact_key_parse(spec, &ii->header_key, NULL);
	crm_buf_free(&key);
}

/* The column's field: from --map, else by name or alias; an unknown
 * column is an attribute. Sets *f, or the attribute name in attr. */
static int column_field(struct crm_interaction_import *ii, const char *header,
			int *f, struct crm_buf *attr, struct crm_err *e)
{
	struct crm_buf key = CRM_BUF_INIT;
	const char *target = map_target(ii, header);

	*f = -1;
	crm_buf_reset(attr);
	if (target != NULL && strcmp(target, "-") == 0) {
		*f = CRM_IT_COL_IGNORE;
		return 0;
	}
	if (target != NULL && strncmp(target, "attr.", 5) == 0) {
		if (!attr_name_ok(target + 5))
			return crm_err_set(e, CRM_EX_USAGE,
					   "--map: invalid attribute name \"%.64s\" (use a-z, 0-9 and _, starting with a letter)",
					   target + 5);
		crm_buf_adds(attr, target + 5);
		*f = CRM_IT_COL_ATTR;
		return 0;
	}
	if (target != NULL) {
		*f = field_by_name(target);
		if (*f < 0)
			return crm_err_set(e, CRM_EX_USAGE, "--map: unknown field \"%.64s\"", target);
		if (*f >= CRM_IT_COL_LINE && !ii->orders)
			return crm_err_set(e, CRM_EX_USAGE,
					   "--map: %s is a field of an order's lines: map a column to order too",
					   target);
		return 0;
	}
	crm_contact_header_key(header, &key);
	for (int k = 1; ii->orders && k < CRM_IT_LINE_NFIELDS && *f < 0; k++)
		if (in_words(line_aliases[k], crm_buf_str(&key)))
			*f = CRM_IT_COL_LINE + k;
	for (int k = 0; k < CRM_IT_NFIELDS && *f < 0; k++)
		if (in_words(header_aliases[k], crm_buf_str(&key)))
			*f = k;
	crm_buf_free(&key);
	if (*f >= 0)
		return 0;
	crm_contact_custom_name(header, attr);
	if (attr->len > 64) {
		attr->len = 64;
		attr->data[64] = '\0';
	}
	*f = attr->len > 0 && attr_name_ok(crm_buf_str(attr)) ? CRM_IT_COL_ATTR : CRM_IT_COL_IGNORE;
	if (*f == CRM_IT_COL_IGNORE)
		crm_warn(ii->crm, "column \"%.64s\" has no usable name: ignored", header);
	return 0;
}

static int import_header(void *ctx, const struct crm_csv_row *h, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	struct crm_buf attr = CRM_BUF_INIT;
	int used[CRM_IT_NFIELDS] = { 0 }, used_line[CRM_IT_LINE_NFIELDS] = { 0 };
	int rc = 0;

	ii->ncols = h->nfields;
	ii->col_field = xcalloc(h->nfields, sizeof(*ii->col_field));
	ii->col_attr = xcalloc(h->nfields, sizeof(*ii->col_attr));
	/* An order column makes every row a line of an order, and changes
	 * what some headers mean ("Description", "Price"): find it first. */
	for (size_t i = 0; i < h->nfields; i++) {
		const char *target = map_target(ii, h->fields[i]);

		if (target != NULL && strcmp(target, "order") == 0)
			ii->orders = 1;
	}
	for (size_t i = 0; i < h->nfields && rc == 0; i++) {
		int f;

		rc = column_field(ii, h->fields[i], &f, &attr, e);
		if (rc != 0)
			break;
		ii->col_field[i] = f;
		if (f == CRM_IT_COL_IGNORE)
			continue;
		if (f == CRM_IT_COL_ATTR) {
			for (size_t j = 0; j < i && rc == 0; j++)
				if (ii->col_attr[j] != NULL && strcmp(ii->col_attr[j], crm_buf_str(&attr)) == 0)
					rc = crm_err_set(e, CRM_EX_DATAERR,
							 "columns %zu and %zu would both be attribute \"%s\": rename one or --map it",
							 j + 1, i + 1, crm_buf_str(&attr));
			ii->col_attr[i] = xstrdup(crm_buf_str(&attr));
			crm_buf_addf(&ii->attr_note, "%s%s (attr.%s)", ii->attr_note.len > 0 ? ", " : "",
				     h->fields[i], crm_buf_str(&attr));
			continue;
		}
		if (f >= CRM_IT_COL_LINE) {
			if (used_line[f - CRM_IT_COL_LINE])
				rc = crm_err_set(e, CRM_EX_DATAERR, "two columns for %s (the second is \"%.64s\")",
						 crm_it_line_field_names[f - CRM_IT_COL_LINE], h->fields[i]);
			used_line[f - CRM_IT_COL_LINE] = 1;
			continue;
		}
		if (used[f])
			rc = crm_err_set(e, CRM_EX_DATAERR, "two columns for %s (the second is \"%.64s\")",
					 crm_it_field_names[f], h->fields[i]);
		used[f] = 1;
		if (f == CRM_IT_CONTACT) {
			ii->contact_col = (int)i;
			snprintf(ii->contact_header, sizeof(ii->contact_header), "%.64s", h->fields[i]);
			header_key(ii, h->fields[i], map_target(ii, h->fields[i]) != NULL);
		}
	}
	if (rc == 0 && !used[CRM_IT_CONTACT])
		rc = crm_err_set(e, CRM_EX_DATAERR,
				 "no contact column (contact, email, uid or contact_id)");
	ii->col_date = xcalloc(h->nfields, sizeof(*ii->col_date));
	for (size_t i = 0; rc == 0 && i < h->nfields; i++)
		if (ii->col_field[i] == CRM_IT_AT || ii->col_field[i] == CRM_IT_DUE)
			ii->col_date[i] = xstrdup(h->fields[i]);
	if (rc == 0 && ii->orders) {
		static const int from_lines[] = { CRM_IT_AMOUNT, CRM_IT_KEY, CRM_IT_TYPE };

		for (size_t k = 0; k < 3 && rc == 0; k++)
			if (used[from_lines[k]])
				rc = crm_err_set(e, CRM_EX_DATAERR,
						 "with an order column the %s comes from the lines: drop the %s column or --map it to -",
						 crm_it_field_names[from_lines[k]], crm_it_field_names[from_lines[k]]);
		if (rc == 0 && (!used_line[CRM_IT_LINE_QUANTITY] || !used_line[CRM_IT_LINE_UNIT_PRICE]))
			rc = crm_err_set(e, CRM_EX_DATAERR,
					 "an order's lines need a quantity and a unit price column (--map COLUMN=quantity, COLUMN=unit_price)");
	}
	/* A custom field made a key must be one already, or fit to be one. */
	if (rc == 0 && ii->contact_key != NULL)
		rc = crm_contact_key_check(ii->store, ii->contact_key, e);
	/* The position of each row in its order (see next_line), counted
	 * afresh by every import on the connection. */
	if (rc == 0 && ii->orders)
		rc = crm_store_exec(ii->store,
			"CREATE TEMP TABLE IF NOT EXISTS import_order_rows"
			" (order_key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
			" DELETE FROM temp.import_order_rows", e);
	crm_buf_free(&attr);
	/* Plain interactions go in bulk where the store takes it; order
	 * lines and attributes row by row. */
	crm_it_stage_init(ii->stage, ii->store, stage_columns, !ii->orders && ii->attr_note.len == 0);
	return rc;
}

static void import_summary(void *ctx, struct crm_buf *line)
{
	struct crm_interaction_import *ii = ctx;

	if (ii->attr_note.len > 0)
		crm_buf_addf(line, "; kept as attributes: %s", crm_buf_str(&ii->attr_note));
}

/* A row of the input: the interaction, its contact reference and, with
 * an order column, its line. */
struct parsed {
	struct crm_interaction it;
	const char *ref;
	struct crm_it_line line;
};

/* Reads a row into p (initialised here; the caller frees p->it) and
 * completes it. */
static int parse_row(struct crm_interaction_import *ii, const struct crm_csv_row *row,
		     struct parsed *p, struct crm_err *e)
{
	const char *lf[CRM_IT_LINE_NFIELDS] = { NULL };
	int rc = 0;

	crm_interaction_init(&p->it);
	p->it.decimal = ii->decimal;
	memset(&p->line, 0, sizeof(p->line));
	p->ref = NULL;
	for (size_t i = 0; i < row->nfields && rc == 0; i++) {
		int f = ii->col_field[i];

		if (f < 0 || row->lens[i] == 0)
			continue;
		if (f >= CRM_IT_COL_LINE) {
			lf[f - CRM_IT_COL_LINE] = row->fields[i];
		} else if (f == CRM_IT_CONTACT) {
			p->ref = row->fields[i];
		} else if (ii->col_date[i] != NULL) {
			char text[32];

			rc = crm_date_cell(ii->col_date[i], row->fields[i], ii->date_format,
					   1, ii->now, text, e);
			if (rc == 0)
				rc = crm_interaction_set(&p->it, f, text, ii->now, e);
			else if (rc == 1)
				rc = 0; /* a zero date: none */
		} else {
			rc = crm_interaction_set(&p->it, f, row->fields[i], ii->now, e);
		}
	}
	if (rc == 0 && p->ref == NULL)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no contact: column \"%s\" is empty",
				 ii->contact_header);
	if (rc == 0 && ii->orders) {
		static const int text_fields[] = { CRM_IT_LINE_ORDER, CRM_IT_LINE_PRODUCT,
						   CRM_IT_LINE_DESCRIPTION };

		if (lf[CRM_IT_LINE_ORDER] == NULL)
			rc = crm_err_set(e, CRM_EX_DATAERR, "no order number");
		for (size_t k = 0; k < 3 && rc == 0; k++)
			if (lf[text_fields[k]] != NULL &&
			    check_text(lf[text_fields[k]], k == 0 ? 998 : SUBJECT_MAX, 0) != 0)
				rc = crm_err_set(e, CRM_EX_DATAERR,
						 "%s is not one line of text (control characters, invalid UTF-8 or too long)",
						 crm_it_line_field_names[text_fields[k]]);
		if (rc == 0 && lf[CRM_IT_LINE_QUANTITY] == NULL)
			rc = crm_err_set(e, CRM_EX_DATAERR, "a line of order \"%.64s\" needs a quantity",
					 lf[CRM_IT_LINE_ORDER]);
		if (rc == 0 && lf[CRM_IT_LINE_UNIT_PRICE] == NULL)
			rc = crm_err_set(e, CRM_EX_DATAERR, "a line of order \"%.64s\" needs a unit price",
					 lf[CRM_IT_LINE_ORDER]);
		if (rc == 0)
			rc = crm_it_line_total(&p->line, lf[CRM_IT_LINE_QUANTITY],
					       lf[CRM_IT_LINE_UNIT_PRICE], ii->decimal, e);
		p->line.order = lf[CRM_IT_LINE_ORDER];
		p->line.product = lf[CRM_IT_LINE_PRODUCT];
		p->line.description = lf[CRM_IT_LINE_DESCRIPTION];
		/* The order is a purchase whose amount its lines make (set when
		 * it is written); it is a refund when they sum below zero. */
		if (rc == 0)
			rc = crm_interaction_set(&p->it, CRM_IT_KEY, p->line.order, ii->now, e);
		if (rc == 0)
			rc = crm_interaction_set(&p->it, CRM_IT_TYPE, "purchase", ii->now, e);
		if (rc == 0)
			rc = crm_interaction_set(&p->it, CRM_IT_AMOUNT, "0", ii->now, e);
	}
	/* --currency for the money rows that give none. */
	if (rc == 0 && ii->currency[0] != '\0' && p->it.v[CRM_IT_CURRENCY] == NULL &&
	    (p->it.v[CRM_IT_AMOUNT] != NULL ||
	     (p->it.v[CRM_IT_TYPE] != NULL && (strcmp(p->it.v[CRM_IT_TYPE], "purchase") == 0 ||
					       strcmp(p->it.v[CRM_IT_TYPE], "refund") == 0))))
		p->it.v[CRM_IT_CURRENCY] = xstrdup(ii->currency);
	if (rc == 0)
		rc = crm_interaction_finish(&p->it, ii->who, ii->now, ii->no_future, e);
	return rc;
}

/* What a checked row is written by: its contact (0 while it is still to be
 * created from create_value) and time, the order of the indexes; for an
 * order's line, its position in the order. */
struct row_key {
	int64_t contact_id;
	char at[32];
	char *create_value;      /* an email, or the --contact-key's value */
	int64_t line_no;
};

static void free_key(void *key)
{
	struct row_key *k = key;

	if (k != NULL)
		free(k->create_value);
	free(k);
}

/* The position of this row among the rows of the input that carry order
 * (1, 2, ...), counted in file order as prepare() sees them, so that the
 * same file read again gives every line the same number. */
static int next_line(struct crm_interaction_import *ii, const char *order, int64_t *n,
		     struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(ii->store,
		"INSERT INTO temp.import_order_rows (order_key, n) VALUES (?1, 1)"
		" ON CONFLICT (order_key) DO UPDATE SET n = import_order_rows.n + 1 RETURNING n");
	int rc;

	crm_bind_text_ref(st, 1, order);
	rc = crm_store_step(ii->store, st, e);
	if (rc == CRM_ROW)
		*n = crm_column_int64(st, 0);
	crm_stmt_reset(st);
	return rc == CRM_ROW ? 0 : rc < 0 ? e->code : CRM_EX_SOFTWARE;
}

/* The row's order number as the line count sees it: the cell as it is. */
static const char *order_cell(const struct crm_interaction_import *ii,
			      const struct crm_csv_row *row)
{
	for (size_t i = 0; i < row->nfields; i++)
		if (ii->col_field[i] == CRM_IT_COL_LINE + CRM_IT_LINE_ORDER)
			return row->lens[i] > 0 ? row->fields[i] : NULL;
	return NULL;
}

/* The key contacts are found by, or NULL for id, uid or email. */
static const struct crm_contact_key *effective_key(const struct crm_interaction_import *ii)
{
	if (ii->contact_key != NULL)
		return ii->contact_key;
	return ii->header_key_any ? NULL : &ii->header_key;
}

/* Finds the contact of ref: by --contact-key alone when given, else as
 * the column's header says; *create is set to the value a contact would
 * be created with when there is none and --create-contacts is on. */
static int find_contact_in_store(struct crm_interaction_import *ii, const char *ref, int64_t *id,
				 char **create, struct crm_err *e)
{
	const struct crm_contact_key *key = effective_key(ii);
	struct crm_contact c;
	const char *value;
	int rc;

	*create = NULL;
	if (key == NULL)
		rc = crm_contact_resolve(ii->store, ref, id, e);
	else {
		if (!ii->key_ready) {
			rc = crm_contact_key_prepare(ii->store, key, e);
			if (rc != 0)
				return rc == CRM_EX_DATAERR ? CRM_EX_SOFTWARE : rc;
			ii->key_ready = 1;
		}
		/* The value normalised as the key's field stores it. */
		crm_contact_init(&c);
		rc = key->field == CRM_CF_ID ? 0 : crm_contact_key_set(key, &c, ref, ii->now, e);
		value = key->field == CRM_CF_ID ? ref : crm_contact_key_value(key, &c);
		if (rc == 0 && value == NULL)
			rc = crm_err_set(e, CRM_EX_DATAERR, "no contact given");
		if (rc == 0)
			rc = crm_contact_key_find(ii->store, key, value, id, e);
		if (rc == CRM_EX_NOTFOUND && ii->create_contacts && key->field != CRM_CF_ID)
			*create = xstrdup(value);
		crm_contact_free(&c);
		if (*create != NULL)
			return 0;
		return rc == CRM_EX_NOTFOUND ? (e->code = CRM_EX_DATAERR) : rc;
	}
	if (rc == CRM_EX_NOTFOUND && ii->create_contacts) {
		crm_contact_init(&c);
		rc = crm_contact_set(&c, CRM_CF_EMAIL, ref, ii->now, e);
		if (rc == 0 && c.v[CRM_CF_EMAIL][0] == '\0')
			rc = crm_err_set(e, CRM_EX_DATAERR, "no contact \"%.64s\"", ref);
		if (rc == 0)
			*create = xstrdup(c.v[CRM_CF_EMAIL]);
		crm_contact_free(&c);
	} else if (rc == CRM_EX_NOTFOUND) {
		rc = e->code = CRM_EX_DATAERR; /* an unknown contact rejects the row */
	}
	return rc;
}

/* The same, a contact named before found without a lookup where the
 * import stages its rows. */
static int find_contact(struct crm_interaction_import *ii, const char *ref, int64_t *id,
			char **create, struct crm_err *e)
{
	int rc;

	*create = NULL;
	if (crm_it_stage_contact(ii->stage, ref, id))
		return 0;
	rc = find_contact_in_store(ii, ref, id, create, e);
	if (rc == 0 && *create == NULL)
		crm_it_stage_contact_found(ii->stage, ref, *id);
	return rc;
}

/* Checks a row and finds its contact, writing nothing to the store (but
 * for counting the rows of each order, in a temporary table). */
static void *import_prepare(void *ctx, const struct crm_csv_row *row, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	struct parsed p;
	struct row_key *k = xcalloc(1, sizeof(*k));
	const char *order = ii->orders ? order_cell(ii, row) : NULL;
	int rc = 0;

	/* Every row with an order number takes its place, even one that is
	 * rejected: fixed and imported again, it fills that place. */
	if (order != NULL)
		rc = next_line(ii, order, &k->line_no, e);
	if (rc != 0) {
		free_key(k);
		return NULL;
	}
	rc = parse_row(ii, row, &p, e);
	if (rc == 0)
		rc = find_contact(ii, p.ref, &k->contact_id, &k->create_value, e);
	if (rc == 0)
		snprintf(k->at, sizeof(k->at), "%s", p.it.v[CRM_IT_AT]);
	if (rc == 0)
		crm_it_stage_note_key(ii->stage, p.it.v[CRM_IT_KEY]);
	crm_interaction_free(&p.it);
	if (rc != 0) {
		free_key(k);
		return NULL;
	}
	return k;
}

/* The contact a row is to create, unless an earlier row did. */
static int create_contact(struct crm_interaction_import *ii, const char *value, int64_t *id,
			  struct crm_err *e)
{
	const struct crm_contact_key *key = effective_key(ii);
	struct crm_contact c;
	int rc;

	if (key != NULL)
		rc = crm_contact_key_find(ii->store, key, value, id, e);
	else
		rc = crm_contact_email_owner(ii->store, value, id, e);
	if (rc != CRM_EX_NOTFOUND)
		return rc;
	rc = 0;
	crm_contact_init(&c);
	if (key != NULL)
		rc = crm_contact_key_set(key, &c, value, ii->now, e);
	else
		c.v[CRM_CF_EMAIL] = xstrdup(value);
	if (rc == 0)
		rc = crm_contact_create(ii->store, &c, id, e);
	crm_contact_free(&c);
	return rc;
}

/* Keeps the row's unknown columns with interaction id; a name it has
 * already keeps its first value. */
static int add_attrs(struct crm_interaction_import *ii, int64_t id, int64_t contact_id,
		     const struct crm_csv_row *row, struct crm_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < row->nfields && rc == 0; i++) {
		struct crm_stmt *st;

		if (ii->col_field[i] != CRM_IT_COL_ATTR || row->lens[i] == 0)
			continue;
		if (check_text(row->fields[i], SUBJECT_MAX, 0) != 0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "attr.%s is not one line of text (control characters, invalid UTF-8 or over %d bytes)",
					   ii->col_attr[i], SUBJECT_MAX);
		st = crm_store_prepare(ii->store,
			"INSERT INTO interaction_attrs (interaction_id, name, value, contact_id)"
			" VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 4, contact_id);
		crm_bind_text_ref(st, 2, ii->col_attr[i]);
		crm_bind_text_ref(st, 3, row->fields[i]);
		rc = crm_store_run(ii->store, st, e);
	}
	return rc;
}

/* Adds line line_no to order id (of currency) unless it is there, and
 * makes the order's amount the sum of its lines: *added says whether the
 * line was new. */
static int add_line(struct crm_interaction_import *ii, int64_t id, const struct parsed *p,
		    int64_t line_no, int *added, struct crm_err *e)
{
	struct crm_store *s = ii->store;
	struct crm_stmt *st;
	int64_t sum, amount;
	int rc;

	st = crm_store_prepare(s,
		"INSERT INTO interaction_lines (interaction_id, line, product_code, description,"
		" quantity, unit_price, total, contact_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT DO NOTHING");
	crm_bind_int64(st, 1, id);
	crm_bind_int64(st, 2, line_no);
	crm_bind_text(st, 3, p->line.product);
	crm_bind_text(st, 4, p->line.description);
	crm_bind_int64(st, 5, p->line.quantity);
	crm_bind_text(st, 6, p->line.unit_price);
	crm_bind_int64(st, 7, p->line.total);
	crm_bind_int64(st, 8, p->it.contact_id);
	rc = crm_store_run(s, st, e);
	if (rc != 0)
		return rc;
	*added = crm_store_changes(s) > 0;
	if (!*added)
		return 0;
	st = crm_store_prepare(s, "SELECT sum(total) FROM interaction_lines WHERE interaction_id = ?1");
	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc != CRM_ROW) {
		crm_stmt_reset(st);
		return rc < 0 ? e->code : CRM_EX_SOFTWARE;
	}
	sum = crm_column_int64(st, 0);
	crm_stmt_reset(st);
	amount = crm_it_order_amount(sum, p->it.v[CRM_IT_CURRENCY]);
	st = crm_store_prepare(s,
		"UPDATE interactions SET amount = ?2,"
		" type = CASE WHEN ?2 < 0 THEN 'refund' ELSE 'purchase' END,"
		" at = CASE WHEN ?3 < at THEN ?3 ELSE at END WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	crm_bind_int64(st, 2, amount);
	crm_bind_text_ref(st, 3, p->it.v[CRM_IT_AT]);
	return crm_store_run(s, st, e);
}

/* An order stored already must be a purchase or refund in the row's
 * currency. */
static int check_order(struct crm_store *s, int64_t id, const struct parsed *p,
		       struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT type, currency FROM interactions WHERE id = ?1");
	int rc;

	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		const char *type = (const char *)crm_column_text(st, 0);
		const char *cur = (const char *)crm_column_text(st, 1);

		if (strcmp(type, "purchase") != 0 && strcmp(type, "refund") != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR, "key \"%.64s\" is interaction %lld, a %s, not an order",
					 p->line.order, (long long)id, type);
		else if (cur == NULL || strcmp(cur, p->it.v[CRM_IT_CURRENCY]) != 0)
			rc = crm_err_set(e, CRM_EX_DATAERR, "order \"%.64s\" is in %s, this line in %s",
					 p->line.order, cur != NULL ? cur : "?", p->it.v[CRM_IT_CURRENCY]);
		else
			rc = 0;
	} else {
		rc = rc < 0 ? e->code : crm_err_set(e, CRM_EX_SOFTWARE, "interaction %lld vanished",
						     (long long)id);
	}
	crm_stmt_reset(st);
	return rc;
}

/* Writes a checked row: its contact first when it is to be created (an
 * earlier row of the block may have done so already). An order's line
 * counts as added when it made the order, updated when it added to it,
 * unchanged when the order had it already. */
static int import_apply(void *ctx, const void *key, const struct crm_csv_row *row,
			struct crm_batch_counts *counts, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	const struct row_key *k = key;
	struct parsed p;
	int64_t id;
	int rc, existed = 0, added = 0;

	rc = parse_row(ii, row, &p, e);
	p.it.contact_id = k->contact_id;
	if (rc == 0 && k->create_value == NULL && stage_fits(ii->stage, &p.it)) {
		rc = crm_it_stage_claim(ii->stage, p.it.v[CRM_IT_KEY], p.it.contact_id, &id,
					&existed, e);
		if (rc == 0 && !existed)
			stage_row(ii->store, &ii->stage->rows, &p.it, id);
		crm_interaction_free(&p.it);
		if (rc == 0 && existed)
			counts->unchanged++;
		else if (rc == 0)
			counts->added++;
		return rc;
	}
	/* Row by row: the staged rows before this one go first. */
	if (rc == 0)
		rc = crm_it_stage_flush(ii->stage, e);
	if (rc == 0 && k->create_value != NULL)
		rc = create_contact(ii, k->create_value, &p.it.contact_id, e);
	if (rc == 0)
		rc = crm_interaction_add(ii->store, &p.it, &id, &existed, e);
	if (rc == 0)
		crm_it_stage_written(ii->stage, p.it.v[CRM_IT_KEY], p.it.contact_id, id);
	if (rc == 0 && ii->orders && existed)
		rc = check_order(ii->store, id, &p, e);
	if (rc == 0 && ii->orders)
		rc = add_line(ii, id, &p, k->line_no, &added, e);
	if (rc == 0 && (!existed || added))
		rc = add_attrs(ii, id, p.it.contact_id, row, e);
	crm_interaction_free(&p.it);
	if (rc != 0)
		return rc;
	if (!existed)
		counts->added++;
	else if (added)
		counts->updated++;
	else
		counts->unchanged++;
	return 0;
}

/* Rows read ahead at a time where the import stages its interactions. */
#define STAGE_WINDOW 2000

static size_t import_window(void *ctx)
{
	const struct crm_interaction_import *ii = ctx;
	const struct crm_contact_key *key = effective_key(ii);

	/* Contacts named by email are looked up a window at a time. */
	return ii->stage->on && (key == NULL || key->field == CRM_CF_EMAIL) ? STAGE_WINDOW : 0;
}

/* The window's contact cells that name a contact by email, looked up at
 * once: by the cell where it is resolved as an id, uid or email (an email
 * is tried first when the cell has an @), by the address as the key
 * stores it where the header or --contact-key says email. */
static int import_lookahead(void *ctx, const struct crm_csv_row *rows, size_t n,
			    struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	const struct crm_contact_key *key = effective_key(ii);
	struct crm_err ignored = { 0, "" };
	struct crm_contact c;

	for (size_t i = 0; i < n; i++) {
		const char *ref, *value;

		if (rows[i].error != NULL || rows[i].nfields != ii->ncols || ii->contact_col < 0 ||
		    rows[i].lens[ii->contact_col] == 0)
			continue;
		ref = rows[i].fields[ii->contact_col];
		if (key == NULL) {
			if (strchr(ref, '@') != NULL)
				crm_it_stage_note_contact(ii->stage, ref, ref);
			continue;
		}
		crm_contact_init(&c);
		if (crm_contact_key_set(key, &c, ref, ii->now, &ignored) == 0 &&
		    (value = crm_contact_key_value(key, &c)) != NULL)
			crm_it_stage_note_contact(ii->stage, ref, value);
		crm_contact_free(&c);
	}
	return crm_it_stage_find_contacts(ii->stage, e);
}

static int import_begin_apply(void *ctx, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;

	return crm_it_stage_begin(ii->stage, e);
}

static int import_end_apply(void *ctx, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;

	return crm_it_stage_flush(ii->stage, e);
}

/* By contact, then time: the order of the interactions' indexes. */
static int import_order(const void *a, const void *b)
{
	const struct row_key *x = a, *y = b;

	if (x->contact_id != y->contact_id)
		return x->contact_id < y->contact_id ? -1 : 1;
	return strcmp(x->at, y->at);
}

/* The one-step form, a row at a time. */
static int import_row(void *ctx, const struct crm_csv_row *row,
		      struct crm_batch_counts *counts, struct crm_err *e)
{
	void *key = import_prepare(ctx, row, e);
	int rc;

	if (key == NULL)
		return e->code != 0 ? e->code : CRM_EX_SOFTWARE;
	rc = import_apply(ctx, key, row, counts, e);
	free_key(key);
	return rc;
}

/* The lines of an order are numbered as they come, counting the order's
 * lines read before: a run resumed past some of them would number the
 * rest from 1 again and overwrite them. An import of orders is read from
 * the top each time (a re-run stores nothing twice, by the order key). */
static int import_resumable(void *ctx)
{
	const struct crm_interaction_import *ii = ctx;

	return !ii->orders;
}

const struct crm_batch_ops crm_interaction_import_ops = {
	.header = import_header,
	.row = import_row,
	.prepare = import_prepare,
	.apply = import_apply,
	.begin_apply = import_begin_apply,
	.end_apply = import_end_apply,
	.window = import_window,
	.lookahead = import_lookahead,
	.order = import_order,
	.free_key = free_key,
	.resumable = import_resumable,
	.summary = import_summary,
};
