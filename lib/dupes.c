/* dupes.c - likely duplicate contacts. */
#include "dupes.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "err.h"
#include "phone.h"
#include "store.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_EDIT 2

/* Latin letters with diacritics and their plain forms. */
static const struct {
	uint32_t cp;
	const char *ascii;
} folds[] = {
	{ 0xC0, "a" }, { 0xC1, "a" }, { 0xC2, "a" }, { 0xC3, "a" }, { 0xC4, "a" }, { 0xC5, "a" },
	{ 0xC6, "ae" }, { 0xC7, "c" }, { 0xC8, "e" }, { 0xC9, "e" }, { 0xCA, "e" }, { 0xCB, "e" },
	{ 0xCC, "i" }, { 0xCD, "i" }, { 0xCE, "i" }, { 0xCF, "i" }, { 0xD0, "d" }, { 0xD1, "n" },
	{ 0xD2, "o" }, { 0xD3, "o" }, { 0xD4, "o" }, { 0xD5, "o" }, { 0xD6, "o" }, { 0xD8, "o" },
	{ 0xD9, "u" }, { 0xDA, "u" }, { 0xDB, "u" }, { 0xDC, "u" }, { 0xDD, "y" }, { 0xDF, "ss" },
	{ 0xE0, "a" }, { 0xE1, "a" }, { 0xE2, "a" }, { 0xE3, "a" }, { 0xE4, "a" }, { 0xE5, "a" },
	{ 0xE6, "ae" }, { 0xE7, "c" }, { 0xE8, "e" }, { 0xE9, "e" }, { 0xEA, "e" }, { 0xEB, "e" },
	{ 0xEC, "i" }, { 0xED, "i" }, { 0xEE, "i" }, { 0xEF, "i" }, { 0xF0, "d" }, { 0xF1, "n" },
	{ 0xF2, "o" }, { 0xF3, "o" }, { 0xF4, "o" }, { 0xF5, "o" }, { 0xF6, "o" }, { 0xF8, "o" },
	{ 0xF9, "u" }, { 0xFA, "u" }, { 0xFB, "u" }, { 0xFC, "u" }, { 0xFD, "y" }, { 0xFF, "y" },
	{ 0x104, "a" }, { 0x105, "a" }, { 0x106, "c" }, { 0x107, "c" }, { 0x10C, "c" }, { 0x10D, "c" },
	{ 0x118, "e" }, { 0x119, "e" }, { 0x11A, "e" }, { 0x11B, "e" }, { 0x141, "l" }, { 0x142, "l" },
	{ 0x143, "n" }, { 0x144, "n" }, { 0x147, "n" }, { 0x148, "n" }, { 0x150, "o" }, { 0x151, "o" },
	{ 0x152, "oe" }, { 0x153, "oe" }, { 0x158, "r" }, { 0x159, "r" }, { 0x15A, "s" }, { 0x15B, "s" },
	{ 0x15E, "s" }, { 0x15F, "s" }, { 0x160, "s" }, { 0x161, "s" }, { 0x162, "t" }, { 0x163, "t" },
	{ 0x164, "t" }, { 0x165, "t" }, { 0x16E, "u" }, { 0x16F, "u" }, { 0x170, "u" }, { 0x171, "u" },
	{ 0x178, "y" }, { 0x179, "z" }, { 0x17A, "z" }, { 0x17B, "z" }, { 0x17C, "z" }, { 0x17D, "z" },
	{ 0x17E, "z" },
};

void crm_fold(const char *s, struct crm_buf *out)
{
	size_t n = strlen(s), i = 0;
	int space = 0;

	crm_buf_reset(out);
	while (i < n) {
		uint32_t cp;
		int len = crm_utf8_decode(s + i, n - i, &cp);
		const char *plain = NULL;
		char one[2] = { 0, 0 };

		if (len < 0) {
			i++;
			continue;
		}
		i += (size_t)len;
		if (cp < 0x80) {
			if (isalnum((int)cp)) {
				one[0] = (char)tolower((int)cp);
				plain = one;
			} else if (cp == ' ' || cp == '-' || cp == '\t') {
				space = out->len > 0;
			}
			/* other punctuation: dropped ("O'Brien" = "obrien") */
		} else {
			for (size_t f = 0; f < sizeof(folds) / sizeof(folds[0]); f++)
				if (folds[f].cp == cp)
					plain = folds[f].ascii;
			if (plain == NULL) {
				/* Keep other letters (CJK, Cyrillic, ...) as they are. */
				if (space)
					crm_buf_addc(out, ' ');
				space = 0;
				crm_buf_add(out, s + i - len, (size_t)len);
				continue;
			}
		}
		if (plain != NULL) {
			if (space)
				crm_buf_addc(out, ' ');
			space = 0;
			crm_buf_adds(out, plain);
		}
	}
}

struct entry {
	char *key;
	int64_t id;
};

struct keys {
	struct entry *v;
	size_t n, cap;
};

static void keys_add(struct keys *k, char *key, int64_t id)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 1024;
		k->v = xreallocarray(k->v, k->cap, sizeof(*k->v));
	}
	k->v[k->n].key = key;
	k->v[k->n].id = id;
	k->n++;
}

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].key);
	free(k->v);
	memset(k, 0, sizeof(*k));
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

struct pairs {
	struct crm_dupe *v;
	size_t n, cap;
};

static void pair_add(struct pairs *p, int64_t a, int64_t b, double score, const char *reason)
{
	int64_t keep = a < b ? a : b, other = a < b ? b : a;

	if (a == b)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->v = xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n].keep = keep;
	p->v[p->n].other = other;
	p->v[p->n].score = score;
	p->v[p->n].reason = xstrdup(reason);
	p->n++;
}

/* Pairs every two entries with equal keys (runs of a sorted list). */
static void pair_equal(struct keys *k, struct pairs *p, double score, const char *reason)
{
	if (k->n == 0)
		return; /* k->v is NULL: not for qsort */
	qsort(k->v, k->n, sizeof(*k->v), entry_cmp);
	for (size_t i = 0; i < k->n;) {
		size_t j = i + 1;

		while (j < k->n && strcmp(k->v[j].key, k->v[i].key) == 0)
			j++;
		for (size_t a = i; a < j; a++)
			for (size_t b = a + 1; b < j && b < a + 50; b++)
				pair_add(p, k->v[a].id, k->v[b].id, score, reason);
		i = j;
	}
}

/* The mailbox an address delivers to: lowercase, +tag dropped, and dots
 * dropped for Gmail. */
static char *mailbox(const char *email)
{
	struct crm_buf b = CRM_BUF_INIT;
	const char *at = strrchr(email, '@');
	int gmail;

	if (at == NULL)
		return xstrdup(email);
	gmail = strcasecmp(at + 1, "gmail.com") == 0 || strcasecmp(at + 1, "googlemail.com") == 0;
	for (const char *p = email; p < at; p++) {
		if (*p == '+')
			break;
		if (gmail && *p == '.')
			continue;
		crm_buf_addc(&b, (char)tolower((unsigned char)*p));
	}
	crm_buf_adds(&b, gmail ? "@gmail.com" : "");
	if (!gmail)
		for (const char *p = at; *p != '\0'; p++)
			crm_buf_addc(&b, (char)tolower((unsigned char)*p));
	return crm_buf_detach(&b);
}

static void company_key(const char *company, struct crm_buf *out)
{
	static const char *const suffixes[] = {
		" inc", " ltd", " llc", " bv", " nv", " gmbh", " ag", " sa", " sarl", " srl",
		" plc", " co", " corp", " corporation", " limited", " company", " ab", " as", NULL
	};
	int again = 1;

	crm_fold(company, out);
	while (again) {
		again = 0;
		for (size_t i = 0; suffixes[i] != NULL; i++) {
			size_t n = strlen(suffixes[i]);

			if (out->len > n && strcmp(out->data + out->len - n, suffixes[i]) == 0) {
				out->len -= n;
				out->data[out->len] = '\0';
				again = 1;
			}
		}
	}
}

static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *prev, *cur, best, d;

	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	prev = xcalloc(lb + 1, sizeof(size_t));
	cur = xcalloc(lb + 1, sizeof(size_t));
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
		if (best > cap)
			break;
	}
	d = prev[lb];
	free(prev);
	free(cur);
	return d;
}

/* Names in the same city, blocked by city and the first letter of the
 * folded name, compared by edit distance. */
static void pair_close_names(struct keys *k, struct pairs *p)
{
	if (k->n == 0)
		return;
	qsort(k->v, k->n, sizeof(*k->v), entry_cmp);
	for (size_t i = 0; i < k->n;) {
		const char *bar = strchr(k->v[i].key, '|');
		size_t block = (size_t)(bar - k->v[i].key) + 2; /* city|first letter */
		size_t j = i + 1;

		while (j < k->n && strncmp(k->v[j].key, k->v[i].key, block) == 0)
			j++;
		for (size_t a = i; a < j; a++) {
			for (size_t b = a + 1; b < j && b < a + 500; b++) {
				const char *na = strchr(k->v[a].key, '|') + 1;
				const char *nb = strchr(k->v[b].key, '|') + 1;
				size_t d = edit_distance(na, nb, MAX_EDIT);
				static const char *const why[] = {
					"same name in the same city",
					"name one edit apart in the same city",
					"name two edits apart in the same city",
				};
				static const double score[] = { 0.75, 0.60, 0.45 };

				if (d <= MAX_EDIT && strlen(na) >= 5)
					pair_add(p, k->v[a].id, k->v[b].id, score[d], why[d]);
			}
		}
		i = j;
	}
}

static int pair_cmp(const void *a, const void *b)
{
	const struct crm_dupe *x = a, *y = b;

	if (x->keep != y->keep)
		return x->keep < y->keep ? -1 : 1;
	if (x->other != y->other)
		return x->other < y->other ? -1 : 1;
	return (x->score < y->score) - (x->score > y->score);
}

static int by_score(const void *a, const void *b)
{
	const struct crm_dupe *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return pair_cmp(a, b);
}

/* One entry per pair: the best score, every distinct reason. */
static void merge_pairs(struct pairs *p, double min_score)
{
	size_t w = 0;

	if (p->n == 0)
		return;
	qsort(p->v, p->n, sizeof(*p->v), pair_cmp);
	for (size_t i = 0; i < p->n;) {
		size_t j = i + 1;
		struct crm_buf why = CRM_BUF_INIT;

		crm_buf_adds(&why, p->v[i].reason);
		while (j < p->n && p->v[j].keep == p->v[i].keep && p->v[j].other == p->v[i].other) {
			if (strstr(crm_buf_str(&why), p->v[j].reason) == NULL)
				crm_buf_addf(&why, "; %s", p->v[j].reason);
			free(p->v[j].reason);
			j++;
		}
		free(p->v[i].reason);
		if (p->v[i].score >= min_score) {
			p->v[w] = p->v[i];
			p->v[w].reason = crm_buf_detach(&why);
			w++;
		} else {
			crm_buf_free(&why);
		}
		i = j;
	}
	p->n = w;
	qsort(p->v, p->n, sizeof(*p->v), by_score);
}

int crm_dupes_find(struct crm_store *s, const char *region, double min_score,
		   struct crm_dupe **out, size_t *n, struct crm_err *e)
{
	struct keys exact = { 0 }, box = { 0 }, phones = { 0 }, named = { 0 }, near = { 0 };
	struct pairs p = { 0 };
	struct crm_buf name = CRM_BUF_INIT, company = CRM_BUF_INIT, city = CRM_BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	st = crm_store_prepare(s,
		"SELECT c.id, c.email, c.phone, trim(coalesce(c.first_name, '') || ' ' ||"
		" coalesce(c.last_name, '')), c.company, c.city FROM contacts c"
		" WHERE c.erased_at IS NULL"
		" UNION ALL SELECT e.contact_id, e.email, NULL, NULL, NULL, NULL FROM contact_emails e"
		" UNION ALL SELECT p.contact_id, NULL, p.phone, NULL, NULL, NULL FROM contact_phones p");
	while ((rc = crm_store_step(s, st, e)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *email = (const char *)sqlite3_column_text(st, 1);
		const char *phone = (const char *)sqlite3_column_text(st, 2);
		const char *full = (const char *)sqlite3_column_text(st, 3);
		const char *comp = (const char *)sqlite3_column_text(st, 4);
		const char *town = (const char *)sqlite3_column_text(st, 5);
		char e164[24];

		if (email != NULL) {
			struct crm_buf lower = CRM_BUF_INIT;

			for (const char *q = email; *q != '\0'; q++)
				crm_buf_addc(&lower, (char)tolower((unsigned char)*q));
			keys_add(&exact, crm_buf_detach(&lower), id);
			keys_add(&box, mailbox(email), id);
		}
		if (phone != NULL && crm_phone_e164(phone, region, e164, sizeof(e164)) == 0)
			keys_add(&phones, xstrdup(e164), id);
		if (full == NULL || full[0] == '\0')
			continue;
		crm_fold(full, &name);
		if (name.len == 0)
			continue;
		if (comp != NULL && comp[0] != '\0') {
			company_key(comp, &company);
			if (company.len > 0) {
				struct crm_buf k = CRM_BUF_INIT;

				crm_buf_addf(&k, "%s|%s", crm_buf_str(&name), crm_buf_str(&company));
				keys_add(&named, crm_buf_detach(&k), id);
			}
		}
		if (town != NULL && town[0] != '\0') {
			crm_fold(town, &city);
			if (city.len > 0 && strchr(crm_buf_str(&city), '|') == NULL) {
				struct crm_buf k = CRM_BUF_INIT;

				crm_buf_addf(&k, "%s|%s", crm_buf_str(&city), crm_buf_str(&name));
				keys_add(&near, crm_buf_detach(&k), id);
			}
		}
	}
	sqlite3_reset(st);
	if (rc < 0) {
		rc = e->code;
		goto out;
	}
	rc = 0;
	pair_equal(&exact, &p, 1.0, "same email ignoring case");
	pair_equal(&box, &p, 0.95, "same mailbox (+tags and Gmail dots ignored)");
	pair_equal(&phones, &p, 0.90, "same phone (E.164)");
	pair_equal(&named, &p, 0.80, "same name at the same company");
	pair_close_names(&near, &p);
	merge_pairs(&p, min_score);
	*out = p.v;
	*n = p.n;
	p.v = NULL;
out:
	keys_free(&exact);
	keys_free(&box);
	keys_free(&phones);
	keys_free(&named);
	keys_free(&near);
	crm_buf_free(&name);
	crm_buf_free(&company);
	crm_buf_free(&city);
	free(p.v);
	return rc;
}

void crm_dupes_free(struct crm_dupe *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].reason);
	free(d);
}
