/* contact_vcard.c - contacts to and from vCard. */
#include "contact/contact_vcard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "cli/batch.h"
#include "contact/contact_query.h"
#include "io/csvio.h"
#include "base/err.h"
#include "store/store.h"
#include "io/vcard.h"
#include "base/xalloc.h"

enum {
	COL_UID, COL_FIRST, COL_LAST, COL_NAME, COL_EMAIL, COL_EMAILS, COL_PHONE,
	COL_PHONES, COL_COMPANY, COL_TITLE, COL_ADDRESS, COL_CITY, COL_REGION,
	COL_POSTAL, COL_COUNTRY, COL_BIRTHDATE, COL_GENDER, COL_LANGUAGE, COL_TAGS,
	COL_NOTE, COL_URL, COL_OTHER_ADR, NCOLS
};

static const char *const col_names[NCOLS] = {
	"uid", "first_name", "last_name", "name", "email", "emails", "phone", "phones",
	"company", "title", "address", "city", "region", "postal_code", "country",
	"birthdate", "gender", "language", "tags", "note", "url", "other_addresses",
};

struct crm_vcard_rows {
	struct crm_vcard_reader *reader;
	FILE *fp;
	int header_done;
	struct crm_vcard card;
	struct crm_buf cell[NCOLS];
	char *fields[NCOLS];
	size_t lens[NCOLS];
};

struct crm_vcard_rows *crm_vcard_rows_open(FILE *fp, const char *name)
{
	struct crm_vcard_rows *r = xcalloc(1, sizeof(*r));

	r->reader = crm_vcard_open(fp, name);
	r->fp = fp;
	return r;
}

void crm_vcard_rows_close(struct crm_vcard_rows *r)
{
	if (r == NULL)
		return;
	crm_vcard_free(&r->card);
	crm_vcard_close(r->reader);
	for (int i = 0; i < NCOLS; i++)
		crm_buf_free(&r->cell[i]);
	free(r);
}

unsigned long long crm_vcard_rows_offset(const struct crm_vcard_rows *r)
{
	long off = ftell(r->fp);

	return off > 0 ? (unsigned long long)off : 0;
}

/* work, home, mobile or other from a vCard TYPE list ("cell,voice"). */
static const char *our_type(const char *type)
{
	if (type == NULL)
		return NULL;
	if (strstr(type, "cell") != NULL || strstr(type, "mobile") != NULL)
		return "mobile";
	if (strstr(type, "work") != NULL)
		return "work";
	if (strstr(type, "home") != NULL)
		return "home";
	return NULL;
}

/* The preferred item, else the first. */
static size_t preferred(const struct crm_vcard_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].pref)
			return i;
	return 0;
}

static void put_items(struct crm_buf *primary, struct crm_buf *others,
		      const struct crm_vcard_item *v, size_t n)
{
	size_t p;

	if (n == 0)
		return;
	p = preferred(v, n);
	crm_buf_adds(primary, v[p].value != NULL ? v[p].value : "");
	for (size_t i = 0; i < n; i++) {
		const char *t = our_type(v[i].type);

		if (i == p || v[i].value == NULL || v[i].value[0] == '\0')
			continue;
		if (others->len > 0)
			crm_buf_adds(others, "; ");
		crm_buf_adds(others, v[i].value);
		if (t != NULL)
			crm_buf_addf(others, " (%s)", t);
	}
}

static void set(struct crm_vcard_rows *r, int col, const char *v)
{
	if (v != NULL)
		crm_buf_adds(&r->cell[col], v);
}

static void card_to_row(struct crm_vcard_rows *r)
{
	const struct crm_vcard *c = &r->card;

	set(r, COL_UID, c->uid);
	set(r, COL_FIRST, c->given);
	set(r, COL_LAST, c->family);
	/* A card for a company has its name in FN and ORG, and no person's
	 * name to split. */
	if (c->given == NULL && c->family == NULL &&
	    !(c->fn != NULL && c->org != NULL && strcmp(c->fn, c->org) == 0))
		set(r, COL_NAME, c->fn);
	put_items(&r->cell[COL_EMAIL], &r->cell[COL_EMAILS], c->emails, c->nemails);
	put_items(&r->cell[COL_PHONE], &r->cell[COL_PHONES], c->phones, c->nphones);
	set(r, COL_COMPANY, c->org);
	set(r, COL_TITLE, c->title);
	if (c->nadrs > 0) {
		size_t p = 0;

		for (size_t i = 0; i < c->nadrs; i++)
			if (c->adrs[i].pref) {
				p = i;
				break;
			}
		set(r, COL_ADDRESS, c->adrs[p].street);
		set(r, COL_CITY, c->adrs[p].locality);
		set(r, COL_REGION, c->adrs[p].region);
		set(r, COL_POSTAL, c->adrs[p].postal_code);
		set(r, COL_COUNTRY, c->adrs[p].country);
		for (size_t i = 0; i < c->nadrs; i++) {
			const struct crm_vcard_adr *a = &c->adrs[i];
			const char *parts[5] = { a->street, a->postal_code, a->locality,
						 a->region, a->country };

			if (i == p)
				continue;
			if (r->cell[COL_OTHER_ADR].len > 0)
				crm_buf_adds(&r->cell[COL_OTHER_ADR], " | ");
			for (int k = 0, first = 1; k < 5; k++)
				if (parts[k] != NULL && parts[k][0] != '\0') {
					crm_buf_addf(&r->cell[COL_OTHER_ADR], "%s%s", first ? "" : ", ",
						     parts[k]);
					first = 0;
				}
		}
	}
	set(r, COL_BIRTHDATE, c->bday);
	set(r, COL_GENDER, c->gender);
	set(r, COL_LANGUAGE, c->lang);
	for (size_t i = 0; i < c->ncategories; i++) {
		const char *t = c->categories[i];

		if (t == NULL || t[0] == '\0')
			continue;
		if (r->cell[COL_TAGS].len > 0)
			crm_buf_addc(&r->cell[COL_TAGS], ';');
		for (; *t != '\0'; t++)
			if (*t == ' ' || *t == '\t')
				crm_buf_addc(&r->cell[COL_TAGS], '-');
			else if (*t != ',' && *t != ';')
				crm_buf_addc(&r->cell[COL_TAGS], *t);
	}
	set(r, COL_NOTE, c->note);
	if (c->nurls > 0)
		set(r, COL_URL, c->urls[preferred(c->urls, c->nurls)].value);
}

int crm_vcard_rows_next(struct crm_vcard_rows *r, struct crm_csv_row *row,
			struct crm_err *e)
{
	int rc;

	for (int i = 0; i < NCOLS; i++)
		crm_buf_reset(&r->cell[i]);
	memset(row, 0, sizeof(*row));
	if (!r->header_done) {
		r->header_done = 1;
		for (int i = 0; i < NCOLS; i++)
			crm_buf_adds(&r->cell[i], col_names[i]);
		row->line = 0;
	} else {
		crm_vcard_free(&r->card);
		rc = crm_vcard_next(r->reader, &r->card, e);
		if (rc != 1)
			return rc;
		row->line = r->card.line;
		row->error = r->card.error;
		if (r->card.error == NULL)
			card_to_row(r);
	}
	for (int i = 0; i < NCOLS; i++) {
		r->fields[i] = (char *)crm_buf_str(&r->cell[i]);
		r->lens[i] = r->cell[i].len;
	}
	row->nfields = NCOLS;
	row->fields = r->fields;
	row->lens = r->lens;
	return 1;
}

int crm_vcard_detect(FILE *fp)
{
	char head[64];
	long at = ftell(fp);
	size_t n;
	const char *p = head;

	if (at < 0)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, fp);
	fseek(fp, at, SEEK_SET);
	head[n] = '\0';
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (*p == '\r' || *p == '\n' || *p == ' ' || *p == '\t')
		p++;
	return strncasecmp(p, "BEGIN:VCARD", 11) == 0;
}

/* The reader for the batch driver, through void pointers. */
static void *source_open(FILE *fp, const char *name)
{
	return crm_vcard_rows_open(fp, name);
}

static int source_next(void *src, struct crm_csv_row *row, struct crm_err *e)
{
	return crm_vcard_rows_next(src, row, e);
}

static unsigned long long source_offset(const void *src)
{
	return crm_vcard_rows_offset(src);
}

static void source_close(void *src)
{
	crm_vcard_rows_close(src);
}

const struct crm_batch_source crm_contact_vcard_source = {
	.name = "vCard",
	.detect = crm_vcard_detect,
	.open = source_open,
	.next = source_next,
	.offset = source_offset,
	.close = source_close,
};

/* ---- export ------------------------------------------------------------- */

/* "b@x.org (work); c@y.org" into items after the primary one. */
static void parse_others(const char *list, struct crm_vcard_item **items, size_t *n,
			 int phone)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t len = strcspn(p, ";");
		char *item = xstrndup(p, len);
		char *open = strrchr(item, '(');
		char *type = NULL, *v = item;

		if (open != NULL && strchr(open, ')') != NULL) {
			*strchr(open, ')') = '\0';
			type = xstrdup(open + 1);
			*open = '\0';
		}
		while (*v == ' ')
			v++;
		for (char *end = v + strlen(v); end > v && end[-1] == ' ';)
			*--end = '\0';
		if (type != NULL && phone && strcmp(type, "mobile") == 0) {
			free(type);
			type = xstrdup("cell");
		}
		*items = xreallocarray(*items, *n + 1, sizeof(**items));
		(*items)[*n].value = xstrdup(v);
		(*items)[*n].type = type;
		(*items)[*n].pref = 0;
		(*n)++;
		free(item);
		p += len;
		if (*p == ';')
			p++;
	}
}

static char *dup_or_null(const char *v)
{
	return v != NULL && v[0] != '\0' ? xstrdup(v) : NULL;
}

struct export_ctx {
	FILE *out;
	int version;
	unsigned long n;
	struct crm_buf buf;
};

static const char *value_of(size_t n, const char *const *names, const char *const *vals,
			    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return vals[i];
	return NULL;
}

static int export_row(void *ctx, size_t n, const char *const *names,
		      const char *const *vals)
{
	struct export_ctx *x = ctx;
	struct crm_vcard c;
	const char *v;

#define V(name) value_of(n, names, vals, (name))
	memset(&c, 0, sizeof(c));
	c.uid = dup_or_null(V("uid"));
	c.given = dup_or_null(V("first_name"));
	c.family = dup_or_null(V("last_name"));
	c.org = dup_or_null(V("company"));
	c.title = dup_or_null(V("title"));
	c.bday = dup_or_null(V("birthdate"));
	c.gender = dup_or_null(V("gender"));
	c.lang = dup_or_null(V("language"));
	c.note = dup_or_null(V("note"));
	if ((v = V("email")) != NULL && v[0] != '\0') {
		c.emails = xcalloc(1, sizeof(*c.emails));
		c.emails[0].value = xstrdup(v);
		c.emails[0].pref = 1;
		c.nemails = 1;
	}
	parse_others(V("emails"), &c.emails, &c.nemails, 0);
	if ((v = V("phone")) != NULL && v[0] != '\0') {
		c.phones = xreallocarray(NULL, 1, sizeof(*c.phones));
		memset(c.phones, 0, sizeof(*c.phones));
		c.phones[0].value = xstrdup(v);
		c.phones[0].pref = 1;
		c.nphones = 1;
	}
	parse_others(V("phones"), &c.phones, &c.nphones, 1);
	if ((v = V("url")) != NULL && v[0] != '\0') {
		c.urls = xcalloc(1, sizeof(*c.urls));
		c.urls[0].value = xstrdup(v);
		c.nurls = 1;
	}
	if ((V("address") != NULL && V("address")[0]) || (V("city") != NULL && V("city")[0]) ||
	    (V("region") != NULL && V("region")[0]) || (V("postal_code") != NULL && V("postal_code")[0]) ||
	    (V("country") != NULL && V("country")[0])) {
		c.adrs = xcalloc(1, sizeof(*c.adrs));
		c.adrs[0].street = dup_or_null(V("address"));
		c.adrs[0].locality = dup_or_null(V("city"));
		c.adrs[0].region = dup_or_null(V("region"));
		c.adrs[0].postal_code = dup_or_null(V("postal_code"));
		c.adrs[0].country = dup_or_null(V("country"));
		c.nadrs = 1;
	}
	if ((v = V("tags")) != NULL && v[0] != '\0') {
		for (const char *p = v; *p != '\0';) {
			size_t len = strcspn(p, ";");

			c.categories = xreallocarray(c.categories, c.ncategories + 1, sizeof(char *));
			c.categories[c.ncategories++] = xstrndup(p, len);
			p += len;
			if (*p == ';')
				p++;
		}
	}
#undef V
	crm_buf_reset(&x->buf);
	crm_vcard_write(&x->buf, &c, x->version);
	crm_vcard_free(&c);
	if (fwrite(x->buf.data, 1, x->buf.len, x->out) != x->buf.len)
		return CRM_EX_IOERR;
	x->n++;
	return 0;
}

int crm_contact_vcard_export(struct crm_store *s, struct crm_contact_query *q,
			     int version, FILE *out, unsigned long *n,
			     struct crm_err *e)
{
	struct export_ctx x = { out, version, 0, CRM_BUF_INIT };
	int rc;

	crm_contact_query_free_columns(q);
	rc = crm_contact_query_columns(q, "uid,first_name,last_name,email,emails,phone,phones,"
				       "company,title,address,city,region,postal_code,country,"
				       "birthdate,gender,language,tags,note,url", e);
	/* note and url are custom fields a card may have, even when no
	 * contact in the store has them yet: not misspellings. */
	for (size_t i = 0; i < q->ncols; i++)
		q->cols[i].check = 0;
	if (rc == 0)
		rc = crm_contact_query_each(s, q, export_row, &x, e);
	if (rc == CRM_EX_IOERR && e->msg[0] == '\0')
		crm_err_set(e, CRM_EX_IOERR, "write error");
	crm_buf_free(&x.buf);
	*n = x.n;
	return rc;
}
