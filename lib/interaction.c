/* interaction.c - one touch between the business and a contact. */
#include "interaction.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cli.h"
#include "contact.h"
#include "csvio.h"
#include "dates.h"
#include "err.h"
#include "money.h"
#include "num.h"
#include "store.h"
#include "utf8.h"
#include "xalloc.h"

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
	"at time date datetime timestamp when occurredat",
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

static const char *const channels[] = {
	"email", "phone", "sms", "chat", "social", "meeting", "post", "web", "other", NULL
};
static const char *const directions[] = { "in", "out", NULL };
static const char *const types[] = {
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
		if (one_of(raw, channels, &b) != 0)
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
		if (one_of(raw, types, &b) != 0)
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

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	crm_bind_text(st, i, v);
}

/* The interaction already stored under its key: 0 with *existed set, or
 * CRM_EX_DATAERR when the key is another contact's. */
static int key_owner(struct crm_store *s, const struct crm_interaction *it,
		     int64_t *id, int *existed, struct crm_err *e)
{
	sqlite3_stmt *st = crm_store_prepare(s, "SELECT id, contact_id FROM interactions WHERE ext_key = ?1");
	int64_t other;
	int rc;

	sqlite3_bind_text(st, 1, it->v[CRM_IT_KEY], -1, SQLITE_STATIC);
	rc = crm_store_step(s, st, e);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc < 0 ? e->code : crm_err_set(e, CRM_EX_SOFTWARE, "key \"%.64s\" vanished",
						      it->v[CRM_IT_KEY]);
	}
	*id = sqlite3_column_int64(st, 0);
	other = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
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
	sqlite3_stmt *st;
	int rc;

	*existed = 0;
	/* Insert first; only a key that is there already costs a lookup. */
	st = crm_store_prepare(s,
		"INSERT INTO interactions (contact_id, at, channel, direction, type,"
		" subject, body, agent, outcome, duration, amount, currency, lead_id,"
		" ticket_id, ext_key, due_at, assignee, created_at) VALUES (?1, ?2, ?3,"
		" ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
		" ON CONFLICT (ext_key) DO NOTHING");
	sqlite3_bind_int64(st, 1, it->contact_id);
	bind_opt(st, 2, it->v[CRM_IT_AT]);
	bind_opt(st, 3, it->v[CRM_IT_CHANNEL]);
	bind_opt(st, 4, it->v[CRM_IT_DIRECTION]);
	bind_opt(st, 5, it->v[CRM_IT_TYPE]);
	bind_opt(st, 6, it->v[CRM_IT_SUBJECT]);
	bind_opt(st, 7, it->v[CRM_IT_BODY]);
	bind_opt(st, 8, it->v[CRM_IT_AGENT]);
	bind_opt(st, 9, it->v[CRM_IT_OUTCOME]);
	if (it->duration >= 0)
		sqlite3_bind_int64(st, 10, it->duration);
	if (it->has_amount)
		sqlite3_bind_int64(st, 11, it->amount);
	bind_opt(st, 12, it->has_amount ? it->v[CRM_IT_CURRENCY] : NULL);
	if (it->v[CRM_IT_LEAD] != NULL)
		sqlite3_bind_int64(st, 13, strtoll(it->v[CRM_IT_LEAD], NULL, 10));
	if (it->v[CRM_IT_TICKET] != NULL)
		sqlite3_bind_int64(st, 14, strtoll(it->v[CRM_IT_TICKET], NULL, 10));
	bind_opt(st, 15, it->v[CRM_IT_KEY]);
	bind_opt(st, 16, it->v[CRM_IT_DUE]);
	bind_opt(st, 17, it->v[CRM_IT_ASSIGNEE]);
	sqlite3_bind_text(st, 18, crm_store_now(s), -1, SQLITE_STATIC);
	rc = crm_store_run(s, st, e);
	if (rc != 0)
		return rc;
	if (sqlite3_changes(crm_store_db(s)) == 0)
		return key_owner(s, it, id, existed, e);
	*id = sqlite3_last_insert_rowid(crm_store_db(s));
	return 0;
}

/* ---- import ---------------------------------------------------------- */

void crm_interaction_import_init(struct crm_interaction_import *ii,
				 struct crm *crm)
{
	memset(ii, 0, sizeof(*ii));
	ii->crm = crm;
	ii->now = crm_now();
	ii->decimal = '.';
}

void crm_interaction_import_free(struct crm_interaction_import *ii)
{
	for (size_t i = 0; ii->col_date != NULL && i < ii->ncols; i++)
		free(ii->col_date[i]);
	free(ii->col_date);
	free(ii->col_field);
	free(ii->maps);
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
	return -1;
}

static int import_header(void *ctx, const struct crm_csv_row *h, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	struct crm_buf key = CRM_BUF_INIT;
	int used[CRM_IT_NFIELDS] = { 0 };
	int rc = 0;

	ii->ncols = h->nfields;
	ii->col_field = xcalloc(h->nfields, sizeof(*ii->col_field));
	for (size_t i = 0; i < h->nfields && rc == 0; i++) {
		const char *target = NULL;
		int f = -1;

		for (size_t m = 0; m < ii->nmaps; m++) {
			const char *eq = strchr(ii->maps[m], '=');

			if ((size_t)(eq - ii->maps[m]) == strlen(h->fields[i]) &&
			    strncasecmp(ii->maps[m], h->fields[i], strlen(h->fields[i])) == 0)
				target = eq + 1;
		}
		if (target != NULL && strcmp(target, "-") == 0) {
			ii->col_field[i] = -1;
			continue;
		}
		if (target != NULL) {
			f = field_by_name(target);
			if (f < 0)
				rc = crm_err_set(e, CRM_EX_USAGE, "--map: unknown field \"%.64s\"", target);
		} else {
			crm_contact_header_key(h->fields[i], &key);
			for (int k = 0; k < CRM_IT_NFIELDS && f < 0; k++)
				if (in_words(header_aliases[k], crm_buf_str(&key)))
					f = k;
			if (f < 0)
				rc = crm_err_set(e, CRM_EX_DATAERR,
						 "unknown column \"%.64s\" (use --map \"%.64s=FIELD\", or =- to ignore it)",
						 h->fields[i], h->fields[i]);
		}
		if (rc == 0 && used[f])
			rc = crm_err_set(e, CRM_EX_DATAERR, "two columns for %s (the second is \"%.64s\")",
					 crm_it_field_names[f], h->fields[i]);
		if (rc == 0) {
			used[f] = 1;
			ii->col_field[i] = f;
		}
	}
	if (rc == 0 && !used[CRM_IT_CONTACT])
		rc = crm_err_set(e, CRM_EX_DATAERR,
				 "no contact column (contact, email, uid or contact_id)");
	ii->col_date = xcalloc(h->nfields, sizeof(*ii->col_date));
	for (size_t i = 0; rc == 0 && i < h->nfields; i++)
		if (ii->col_field[i] == CRM_IT_AT || ii->col_field[i] == CRM_IT_DUE)
			ii->col_date[i] = xstrdup(h->fields[i]);
	crm_buf_free(&key);
	return rc;
}

/* Reads a row into it (initialised here; the caller frees it) and
 * completes it; *ref is the row's contact reference. */
static int parse_row(struct crm_interaction_import *ii, const struct crm_csv_row *row,
		     struct crm_interaction *it, const char **ref, struct crm_err *e)
{
	int rc = 0;

	crm_interaction_init(it);
	it->decimal = ii->decimal;
	*ref = NULL;
	for (size_t i = 0; i < row->nfields && rc == 0; i++) {
		int f = ii->col_field[i];

		if (f < 0 || row->lens[i] == 0)
			continue;
		if (f == CRM_IT_CONTACT) {
			*ref = row->fields[i];
		} else if (ii->col_date[i] != NULL) {
			char text[32];

			rc = crm_date_cell(ii->col_date[i], row->fields[i], ii->date_format,
					   1, ii->now, text, e);
			if (rc == 0)
				rc = crm_interaction_set(it, f, text, ii->now, e);
			else if (rc == 1)
				rc = 0; /* a zero date: none */
		} else {
			rc = crm_interaction_set(it, f, row->fields[i], ii->now, e);
		}
	}
	if (rc == 0 && *ref == NULL)
		rc = crm_err_set(e, CRM_EX_DATAERR, "no contact given");
	if (rc == 0)
		rc = crm_interaction_finish(it, ii->who, ii->now, ii->no_future, e);
	return rc;
}

/* What a checked row is written by: its contact (0 while it is still to be
 * created from create_email) and time, the order of the indexes. */
struct row_key {
	int64_t contact_id;
	char at[32];
	char *create_email;
};

static void free_key(void *key)
{
	struct row_key *k = key;

	if (k != NULL)
		free(k->create_email);
	free(k);
}

/* Checks a row and finds its contact, writing nothing. */
static void *import_prepare(void *ctx, const struct crm_csv_row *row, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	struct crm_interaction it;
	struct row_key *k = xcalloc(1, sizeof(*k));
	const char *ref;
	int rc = parse_row(ii, row, &it, &ref, e);

	if (rc == 0)
		rc = crm_contact_resolve(ii->store, ref, &k->contact_id, e);
	if (rc == CRM_EX_NOTFOUND && ii->create_contacts) {
		struct crm_contact c;

		crm_contact_init(&c);
		rc = crm_contact_set(&c, CRM_CF_EMAIL, ref, ii->now, e);
		if (rc == 0 && c.v[CRM_CF_EMAIL][0] == '\0')
			rc = crm_err_set(e, CRM_EX_DATAERR, "no contact \"%.64s\"", ref);
		if (rc == 0)
			k->create_email = xstrdup(c.v[CRM_CF_EMAIL]);
		crm_contact_free(&c);
	} else if (rc == CRM_EX_NOTFOUND) {
		rc = e->code = CRM_EX_DATAERR; /* an unknown contact rejects the row */
	}
	if (rc == 0)
		snprintf(k->at, sizeof(k->at), "%s", it.v[CRM_IT_AT]);
	crm_interaction_free(&it);
	if (rc != 0) {
		free_key(k);
		return NULL;
	}
	return k;
}

/* Writes a checked row: its contact first when it is to be created (an
 * earlier row of the block may have done so already). */
static int import_apply(void *ctx, const void *key, const struct crm_csv_row *row,
			struct crm_batch_counts *counts, struct crm_err *e)
{
	struct crm_interaction_import *ii = ctx;
	const struct row_key *k = key;
	struct crm_interaction it;
	const char *ref;
	int64_t id;
	int rc, existed;

	rc = parse_row(ii, row, &it, &ref, e);
	it.contact_id = k->contact_id;
	if (rc == 0 && k->create_email != NULL) {
		rc = crm_contact_email_owner(ii->store, k->create_email, &it.contact_id, e);
		if (rc == CRM_EX_NOTFOUND) {
			struct crm_contact c;

			crm_contact_init(&c);
			c.v[CRM_CF_EMAIL] = xstrdup(k->create_email);
			rc = crm_contact_create(ii->store, &c, &it.contact_id, e);
			crm_contact_free(&c);
		}
	}
	if (rc == 0)
		rc = crm_interaction_add(ii->store, &it, &id, &existed, e);
	crm_interaction_free(&it);
	if (rc != 0)
		return rc;
	if (existed)
		counts->unchanged++;
	else
		counts->added++;
	return 0;
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

const struct crm_batch_ops crm_interaction_import_ops = {
	.header = import_header,
	.row = import_row,
	.prepare = import_prepare,
	.apply = import_apply,
	.order = import_order,
	.free_key = free_key,
};
