/* fuzz_vcard.c - libFuzzer target for the vCard reader and writer.
 *
 * Input: byte 0 picks the limits (bit 0: tiny line and card limits, so
 * that the caps are hit; else the defaults), the rest is the file. For each
 * input:
 *   - every card must keep the promises of vcard.h: strings non-empty,
 *     valid UTF-8 without CR, types lowercase tokens without "pref", BDAY
 *     "YYYY-MM-DD", lines increasing;
 *   - every good card, written as 4.0 and as 3.0, must give text whose
 *     lines end in CRLF, are at most 75 octets and never start or end
 *     inside a UTF-8 character; read again (default limits) it must give
 *     exactly one good card equal to the first (FN as
 *     crm_vcard_display_name made it, GENDER and LANG dropped for 3.0).
 * A mismatch is a bug: abort. Built with a tiny CRM_VCARD_CHUNK (see
 * Makefile), so that chunk ends fall inside line ends, folds and soft
 * breaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "io/vcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                       \
	do {                                                            \
		fprintf(stderr, "fuzz_vcard: " __VA_ARGS__);            \
		fputc('\n', stderr);                                    \
		abort();                                                \
	} while (0)

static void check_str(const char *what, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n == 0)
		FAIL("%s is empty, not NULL", what);
	if (!crm_utf8_valid(s, n, NULL))
		FAIL("%s is not valid UTF-8", what);
	if (strchr(s, '\r') != NULL)
		FAIL("%s holds a CR", what);
}

static void check_type(const char *what, const char *t)
{
	const char *p;

	check_str(what, t);
	if (t == NULL)
		return;
	for (p = t; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == ','))
			FAIL("%s \"%s\" has a bad character", what, t);
	if (t[0] == ',' || p[-1] == ',' || strstr(t, ",,") != NULL)
		FAIL("%s \"%s\" has an empty token", what, t);
	if (strcmp(t, "pref") == 0 || strncmp(t, "pref,", 5) == 0 ||
	    strstr(t, ",pref,") != NULL ||
	    (strlen(t) > 5 && strcmp(t + strlen(t) - 5, ",pref") == 0))
		FAIL("%s \"%s\" holds pref", what, t);
}

static void check_items(const char *what, const struct crm_vcard_item *it,
			size_t n)
{
	for (size_t i = 0; i < n; i++) {
		check_type(what, it[i].type);
		if (it[i].value == NULL)
			FAIL("%s %zu has no value", what, i);
		check_str(what, it[i].value);
		if (it[i].pref != 0 && it[i].pref != 1)
			FAIL("%s pref %d", what, it[i].pref);
	}
}

static void check_card(const struct crm_vcard *c)
{
	const char *strs[] = {
		c->uid, c->fn, c->family, c->given, c->additional, c->prefix,
		c->suffix, c->org, c->org_unit, c->title, c->bday, c->note,
		c->gender, c->lang, c->rev, c->error,
	};

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		check_str("field", strs[i]);
	if (c->bday != NULL &&
	    (strlen(c->bday) != 10 || c->bday[4] != '-' || c->bday[7] != '-'))
		FAIL("bday \"%s\"", c->bday);
	check_items("email", c->emails, c->nemails);
	check_items("tel", c->phones, c->nphones);
	check_items("url", c->urls, c->nurls);
	for (size_t i = 0; i < c->nadrs; i++) {
		const struct crm_vcard_adr *a = &c->adrs[i];

		check_type("adr type", a->type);
		check_str("adr", a->street);
		check_str("adr", a->locality);
		check_str("adr", a->region);
		check_str("adr", a->postal_code);
		check_str("adr", a->country);
		if (a->street == NULL && a->locality == NULL &&
		    a->region == NULL && a->postal_code == NULL &&
		    a->country == NULL)
			FAIL("empty address kept");
	}
	for (size_t i = 0; i < c->ncategories; i++) {
		if (c->categories[i] == NULL)
			FAIL("NULL category");
		check_str("category", c->categories[i]);
		for (size_t k = 0; k < i; k++)
			if (strcmp(c->categories[i], c->categories[k]) == 0)
				FAIL("duplicate category \"%s\"",
				     c->categories[i]);
	}
}

static int str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *show(const char *s)
{
	return s != NULL ? s : "(null)";
}

#define SAME(field, a, b)                                                   \
	do {                                                                \
		if (!str_same((a), (b)))                                    \
			FAIL("v%d: %s \"%s\" read back as \"%s\"\n%s",      \
			     version, field, show(a), show(b), text);       \
	} while (0)

static void items_same(const char *what, const struct crm_vcard_item *a,
		       size_t na, const struct crm_vcard_item *b, size_t nb,
		       int version, const char *text)
{
	if (na != nb)
		FAIL("v%d: %zu %s read back as %zu\n%s", version, na, what, nb,
		     text);
	for (size_t i = 0; i < na; i++) {
		SAME(what, a[i].type, b[i].type);
		SAME(what, a[i].value, b[i].value);
		if (a[i].pref != b[i].pref)
			FAIL("v%d: %s pref %d read back as %d\n%s", version,
			     what, a[i].pref, b[i].pref, text);
	}
}

static void cards_same(const struct crm_vcard *a, const struct crm_vcard *b,
		       int version, const char *text)
{
	char *fn = crm_vcard_display_name(a);

	SAME("fn", fn, b->fn);
	free(fn);
	SAME("family", a->family, b->family);
	SAME("given", a->given, b->given);
	SAME("additional", a->additional, b->additional);
	SAME("prefix", a->prefix, b->prefix);
	SAME("suffix", a->suffix, b->suffix);
	SAME("org", a->org, b->org);
	SAME("org_unit", a->org_unit, b->org_unit);
	SAME("title", a->title, b->title);
	SAME("bday", a->bday, b->bday);
	SAME("note", a->note, b->note);
	SAME("gender", version == 4 ? a->gender : NULL, b->gender);
	SAME("lang", version == 4 ? a->lang : NULL, b->lang);
	SAME("rev", a->rev, b->rev);
	SAME("uid", a->uid, b->uid);
	items_same("email", a->emails, a->nemails, b->emails, b->nemails,
		   version, text);
	items_same("tel", a->phones, a->nphones, b->phones, b->nphones,
		   version, text);
	items_same("url", a->urls, a->nurls, b->urls, b->nurls, version,
		   text);
	if (a->nadrs != b->nadrs)
		FAIL("v%d: %zu addresses read back as %zu\n%s", version,
		     a->nadrs, b->nadrs, text);
	for (size_t i = 0; i < a->nadrs; i++) {
		const struct crm_vcard_adr *x = &a->adrs[i], *y = &b->adrs[i];

		SAME("adr type", x->type, y->type);
		SAME("street", x->street, y->street);
		SAME("locality", x->locality, y->locality);
		SAME("region", x->region, y->region);
		SAME("postal_code", x->postal_code, y->postal_code);
		SAME("country", x->country, y->country);
		if (x->pref != y->pref)
			FAIL("v%d: adr pref differs\n%s", version, text);
	}
	if (a->ncategories != b->ncategories)
		FAIL("v%d: %zu categories read back as %zu\n%s", version,
		     a->ncategories, b->ncategories, text);
	for (size_t i = 0; i < a->ncategories; i++)
		SAME("category", a->categories[i], b->categories[i]);
	if (b->version != version * 10)
		FAIL("v%d: read back as version %d", version, b->version);
}

/* Lines end in CRLF, hold at most 75 octets, and a fold never splits a
 * UTF-8 character. */
static void check_text(const char *s, size_t n, int version)
{
	const char *p = s, *end = s + n;

	while (p < end) {
		const char *nl = memchr(p, '\r', (size_t)(end - p));
		size_t len;

		if (nl == NULL || nl + 1 >= end || nl[1] != '\n')
			FAIL("v%d: line without CRLF\n%s", version, s);
		len = (size_t)(nl - p);
		if (len > 75)
			FAIL("v%d: line of %zu octets\n%s", version, len, s);
		if (len > 0 && ((unsigned char)p[0] & 0xC0) == 0x80)
			FAIL("v%d: line starts inside a character\n%s",
			     version, s);
		if (len > 1 && p[0] == ' ' &&
		    ((unsigned char)p[1] & 0xC0) == 0x80)
			FAIL("v%d: fold inside a character\n%s", version, s);
		p = nl + 2;
	}
}

struct cards {
	struct crm_vcard *v;
	size_t n;
};

static void read_all(const uint8_t *s, size_t n, size_t line_max,
		     size_t card_max, struct cards *out)
{
	struct crm_err e = { 0, "" };
	struct crm_vcard_reader *r;
	struct crm_vcard c;
	unsigned long last = 0;
	void *copy = malloc(n > 0 ? n : 1);
	FILE *fp;
	int rc;

	if (copy == NULL)
		abort();
	memcpy(copy, s, n);
	fp = n > 0 ? fmemopen(copy, n, "r") : fopen("/dev/null", "r");
	if (fp == NULL)
		abort();
	r = crm_vcard_open(fp, "fuzz");
	crm_vcard_set_limits(r, line_max, card_max);
	out->v = NULL;
	out->n = 0;
	while ((rc = crm_vcard_next(r, &c, &e)) == 1) {
		if (c.line <= last)
			FAIL("card at line %lu after line %lu", c.line, last);
		last = c.line;
		check_card(&c);
		out->v = realloc(out->v, (out->n + 1) * sizeof(*out->v));
		if (out->v == NULL)
			abort();
		out->v[out->n++] = c;
	}
	if (rc != 0 && rc != CRM_EX_DATAERR)
		FAIL("crm_vcard_next returned %d: %s", rc, e.msg);
	crm_vcard_close(r);
	fclose(fp);
	free(copy);
}

static void free_all(struct cards *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		crm_vcard_free(&cs->v[i]);
	free(cs->v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cards got;
	int tiny;

	if (size < 1)
		return 0;
	tiny = data[0] & 1;
	read_all(data + 1, size - 1, tiny ? 96 : 0, tiny ? 256 : 0, &got);
	for (size_t i = 0; i < got.n; i++) {
		if (got.v[i].error != NULL)
			continue;
		for (int version = 3; version <= 4; version++) {
			struct crm_buf b = CRM_BUF_INIT;
			struct cards back;

			crm_vcard_write(&b, &got.v[i], version);
			check_text(crm_buf_str(&b), b.len, version);
			read_all((const uint8_t *)b.data, b.len, 0, 0, &back);
			if (back.n != 1 || back.v[0].error != NULL)
				FAIL("v%d: written card read back as %zu "
				     "cards, error %s\n%s", version, back.n,
				     back.n > 0 ? show(back.v[0].error) : "-",
				     crm_buf_str(&b));
			cards_same(&got.v[i], &back.v[0], version,
				   crm_buf_str(&b));
			free_all(&back);
			crm_buf_free(&b);
		}
	}
	free_all(&got);
	return 0;
}

#ifdef FUZZ_REPLAY_MAIN
/* A plain driver for replaying inputs without libFuzzer, e.g. under
 * valgrind: fuzz_vcard_replay FILE... */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		struct crm_buf b = CRM_BUF_INIT;
		char tmp[4096];
		size_t n;

		if (fp == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
			crm_buf_add(&b, tmp, n);
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)crm_buf_str(&b), b.len);
		crm_buf_free(&b);
	}
	return 0;
}
#endif
