/* dupes.c - likely duplicate contacts. */
#include "contact/dupes.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/phone.h"
#include "store/store.h"
#include "base/utf8.h"
#include "base/xalloc.h"

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

/* ---- keys ---- */

enum { P_EMAIL, P_MAILBOX, P_PHONE, P_COMPANY, P_NEAR, NPASS };

/* Reasons by falling score; bit i of a mask stands for reasons[i]. */
static const char *const reasons[] = {
	"same email ignoring case",
	"same mailbox (+tags and Gmail dots ignored)",
	"same phone (E.164)",
	"same name at the same company",
	"same name in the same city",
	"name one edit apart in the same city",
	"name two edits apart in the same city",
};
static const double scores[] = { 1.00, 0.95, 0.90, 0.80, 0.75, 0.60, 0.45 };
#define NREASON (sizeof(reasons) / sizeof(reasons[0]))

const char *crm_dupes_pass_reason(int pass)
{
	static const char *const what[] = {
		"same email", "same mailbox", "same phone", "same name at the same company",
		"names alike in the same city",
	};

	return pass >= 0 && pass < NPASS ? what[pass] : "";
}

const char *crm_dupes_pass_second(int pass)
{
	return pass == P_NEAR ? "the first letter of the surname" : "the first letter of the name";
}

/* The mailbox an address delivers to: lowercase, +tag dropped, and dots
 * dropped for Gmail. */
static void mailbox(const char *email, struct crm_buf *b)
{
	const char *at = strrchr(email, '@');
	int gmail;

	crm_buf_reset(b);
	if (at == NULL) {
		crm_buf_adds(b, email);
		return;
	}
	gmail = strcasecmp(at + 1, "gmail.com") == 0 || strcasecmp(at + 1, "googlemail.com") == 0;
	for (const char *p = email; p < at; p++) {
		if (*p == '+')
			break;
		if (gmail && *p == '.')
			continue;
		crm_buf_addc(b, (char)tolower((unsigned char)*p));
	}
	crm_buf_adds(b, gmail ? "@gmail.com" : "");
	if (!gmail)
		for (const char *p = at; *p != '\0'; p++)
			crm_buf_addc(b, (char)tolower((unsigned char)*p));
}

static void lower(const char *s, struct crm_buf *b)
{
	crm_buf_reset(b);
	for (; *s != '\0'; s++)
		crm_buf_addc(b, (char)tolower((unsigned char)*s));
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

/* Scratch space for making keys. */
struct keybufs {
	struct crm_buf name, other, key;
};

/* "name|company" in k->key, from the display name and company; 0 if
 * either folds to nothing. */
static int key_company(const char *full, const char *comp, struct keybufs *k)
{
	if (full == NULL || comp == NULL || comp[0] == '\0')
		return 0;
	crm_fold(full, &k->name);
	if (k->name.len == 0)
		return 0;
	company_key(comp, &k->other);
	if (k->other.len == 0)
		return 0;
	crm_buf_reset(&k->key);
	crm_buf_addf(&k->key, "%s|%s", crm_buf_str(&k->name), crm_buf_str(&k->other));
	return 1;
}

/* The folded city in k->other (and the folded name in k->name) for
 * names in the same city; 0 if there is no such key. */
static int key_city(const char *full, const char *town, struct keybufs *k)
{
	if (full == NULL || town == NULL || town[0] == '\0')
		return 0;
	crm_fold(full, &k->name);
	if (k->name.len == 0)
		return 0;
	crm_fold(town, &k->other);
	return k->other.len > 0 && strchr(crm_buf_str(&k->other), '|') == NULL;
}

/* The second key: the first byte of the folded name (of its last word
 * for names in the same city), 0 for none. */
static int second_of(int pass, const char *name)
{
	const char *sp = pass == P_NEAR ? strrchr(name, ' ') : NULL;

	return (unsigned char)(sp != NULL ? sp[1] : name[0]);
}

/* ---- a contact as the passes see it ---- */

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 2;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = xstrdup(v);
}

static void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int strs_share(const struct strs *a, const struct strs *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (strcmp(a->v[i], b->v[j]) == 0)
				return 1;
	return 0;
}

/* One row of a pass: a contact and its second key. */
struct row {
	int64_t id;
	int sec;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

/* Everything a pair is judged on: the keys of the four exact passes, the
 * folded name and city. */
struct prof {
	int64_t id;
	char *email, *full;       /* as stored, for the output ("" if none) */
	struct strs keys[P_NEAR]; /* lowercase emails, mailboxes, phones, name|company */
	char *name;               /* folded name, "" if none */
	char *city;               /* folded city, NULL without a city key */
	int sec;                  /* second key of the exact passes */
};

static void prof_free(struct prof *p)
{
	free(p->email);
	free(p->full);
	for (int i = 0; i < P_NEAR; i++)
		strs_free(&p->keys[i]);
	free(p->name);
	free(p->city);
	memset(p, 0, sizeof(*p));
}

/* ---- the scan ---- */

struct splits {
	char **v; /* keys in store order, which is strcmp order */
	size_t n, cap;
};

struct pair {
	const struct prof *keep, *other;
	double score;
	unsigned mask;
};

struct scan {
	struct crm_store *s;
	const struct crm_dupes_opts *o;
	struct crm_dupes_stats *stats;
	size_t max_block;
	int has_emails, has_phones;
	int sql_keys;           /* the store calls key_of from SQL */
	struct keybufs kb;      /* for the keys */
	struct keybufs pk;      /* for profiles */
	struct splits split[NPASS];
	struct pair *pairs;
	size_t npairs;
	struct crm_buf why;
};

static int is_split(const struct splits *sp, const char *key)
{
	size_t lo = 0, hi = sp->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sp->v[mid], key);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The block key of pass for a contact (a and b as the pass's query gives
 * them) in sc->kb.key; 0 when it has none. */
static int key_of(struct scan *sc, int pass, const char *a, const char *b)
{
	struct keybufs *k = &sc->kb;
	char e164[24];

	if (a == NULL)
		return 0;
	switch (pass) {
	case P_EMAIL:
		lower(a, &k->key);
		break;
	case P_MAILBOX:
		mailbox(a, &k->key);
		break;
	case P_PHONE:
		if (crm_phone_e164(a, sc->o->region, e164, sizeof(e164)) != 0)
			return 0;
		crm_buf_reset(&k->key);
		crm_buf_adds(&k->key, e164);
		break;
	case P_COMPANY:
		if (!key_company(a, b, k))
			return 0;
		break;
	default:
		if (!key_city(a, b, k))
			return 0;
		crm_buf_reset(&k->key);
		crm_buf_addf(&k->key, "%s|", crm_buf_str(&k->other));
		crm_buf_addc(&k->key, k->name.data[0]);
		break;
	}
	return 1;
}

/* The second key of pass for a full name (0 for none). */
static int second_key(struct scan *sc, int pass, const char *full)
{
	if (full == NULL)
		return 0;
	crm_fold(full, &sc->kb.name);
	return second_of(pass, crm_buf_str(&sc->kb.name));
}

/* crm_dupes_key(pass, a, b): key_of as SQL, NULL for no key. */
static void sql_key(struct crm_fn_call *cx, void *ctx)
{
	struct scan *sc = ctx;
	const char *b = crm_fn_argc(cx) > 2 ? crm_fn_text(cx, 2) : NULL;

	if (key_of(sc, (int)crm_fn_int64(cx, 0), crm_fn_text(cx, 1), b))
		crm_fn_result_text(cx, crm_buf_str(&sc->kb.key), sc->kb.key.len);
}

/* crm_dupes_second(pass, name): the second key, a number. */
static void sql_second(struct crm_fn_call *cx, void *ctx)
{
	crm_fn_result_int64(cx, second_key(ctx, (int)crm_fn_int64(cx, 0), crm_fn_text(cx, 1)));
}

/* The profile of contact id, from the store. */
static int prof_make(struct scan *sc, int64_t id, struct prof *p, struct crm_err *e)
{
	struct keybufs *k = &sc->pk;
	const char *email, *phone, *full, *company, *city;
	char e164[24];
	struct crm_stmt *st, *c;
	int rc;

	memset(p, 0, sizeof(*p));
	p->id = id;
	c = crm_store_prepare(sc->s,
		"SELECT email, phone, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')),"
		" company, city FROM contacts WHERE id = ?1");
	crm_bind_int64(c, 1, id);
	rc = crm_store_step(sc->s, c, e);
	if (rc != CRM_ROW) {
		crm_stmt_reset(c);
		return rc < 0 ? e->code : crm_err_set(e, CRM_EX_SOFTWARE, "contact %lld vanished",
						     (long long)id);
	}
	email = (const char *)crm_column_text(c, 0);
	phone = (const char *)crm_column_text(c, 1);
	full = (const char *)crm_column_text(c, 2);
	company = (const char *)crm_column_text(c, 3);
	city = (const char *)crm_column_text(c, 4);
	p->email = xstrdup(email != NULL ? email : "");
	p->full = xstrdup(full != NULL ? full : "");
	if (email != NULL) {
		lower(email, &k->key);
		strs_add(&p->keys[P_EMAIL], crm_buf_str(&k->key));
		mailbox(email, &k->key);
		strs_add(&p->keys[P_MAILBOX], crm_buf_str(&k->key));
	}
	if (sc->has_emails) {
		st = crm_store_prepare(sc->s, "SELECT email FROM contact_emails WHERE contact_id = ?1");
		crm_bind_int64(st, 1, id);
		while ((rc = crm_store_step(sc->s, st, e)) == CRM_ROW) {
			const char *em = (const char *)crm_column_text(st, 0);

			if (em == NULL)
				continue;
			lower(em, &k->key);
			strs_add(&p->keys[P_EMAIL], crm_buf_str(&k->key));
			mailbox(em, &k->key);
			strs_add(&p->keys[P_MAILBOX], crm_buf_str(&k->key));
		}
		crm_stmt_reset(st);
		if (rc < 0) {
			crm_stmt_reset(c);
			return e->code;
		}
	}
	if (phone != NULL && crm_phone_e164(phone, sc->o->region, e164, sizeof(e164)) == 0)
		strs_add(&p->keys[P_PHONE], e164);
	if (sc->has_phones) {
		st = crm_store_prepare(sc->s, "SELECT phone FROM contact_phones WHERE contact_id = ?1");
		crm_bind_int64(st, 1, id);
		while ((rc = crm_store_step(sc->s, st, e)) == CRM_ROW) {
			const char *ph = (const char *)crm_column_text(st, 0);

			if (ph != NULL && crm_phone_e164(ph, sc->o->region, e164, sizeof(e164)) == 0)
				strs_add(&p->keys[P_PHONE], e164);
		}
		crm_stmt_reset(st);
		if (rc < 0) {
			crm_stmt_reset(c);
			return e->code;
		}
	}
	if (key_company(full, company, k))
		strs_add(&p->keys[P_COMPANY], crm_buf_str(&k->key));
	crm_fold(p->full, &k->name);
	p->name = xstrdup(crm_buf_str(&k->name));
	p->sec = second_of(P_EMAIL, p->name);
	if (key_city(full, city, k))
		p->city = xstrdup(crm_buf_str(&k->other));
	crm_stmt_reset(c);
	return 0;
}

/* Levenshtein distance of a and b if at most cap, else cap + 1: only the
 * band of cells within cap of the diagonal is computed. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), big = cap + 1;
	size_t sprev[64], scur[64];
	size_t *prev = sprev, *cur = scur, d;

	if ((la > lb ? la - lb : lb - la) > cap)
		return big;
	if (lb + 2 > sizeof(sprev) / sizeof(sprev[0])) {
		prev = xcalloc(lb + 2, sizeof(size_t));
		cur = xcalloc(lb + 2, sizeof(size_t));
	}
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j < big ? j : big;
	prev[lb + 1] = big;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > cap ? i - cap : 1, hi = i + cap < lb ? i + cap : lb;
		size_t best = big, *t;

		cur[0] = i < big ? i : big;
		if (lo == 1)
			best = cur[0];
		else
			cur[lo - 1] = big;
		for (size_t j = lo; j <= hi; j++) {
			size_t m = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < m)
				m = prev[j] + 1;
			if (cur[j - 1] + 1 < m)
				m = cur[j - 1] + 1;
			cur[j] = m < big ? m : big;
			if (cur[j] < best)
				best = cur[j];
		}
		cur[hi + 1] = big;
		t = prev;
		prev = cur;
		cur = t;
		if (best >= big) {
			prev[lb] = big;
			break;
		}
	}
	d = prev[lb];
	if (prev != sprev && prev != scur) {
		free(prev);
		free(cur);
	}
	return d;
}

/* The reasons that hold for a and b, as a mask. */
static unsigned judge(const struct prof *a, const struct prof *b)
{
	unsigned mask = 0;

	for (int i = 0; i < P_NEAR; i++)
		if (strs_share(&a->keys[i], &b->keys[i]))
			mask |= 1u << i;
	if (a->city != NULL && b->city != NULL && a->name[0] == b->name[0] &&
	    strcmp(a->city, b->city) == 0) {
		int c = strcmp(a->name, b->name);
		const char *least = c <= 0 ? a->name : b->name;
		size_t d = c == 0 ? 0 : edit_distance(a->name, b->name, MAX_EDIT);

		if (d <= MAX_EDIT && strlen(least) >= 5)
			mask |= 1u << (P_NEAR + d);
	}
	return mask;
}

/* Whether an earlier pass, or this pass at a key before key, compares a
 * and b (key is NULL in the last pass). */
static int found_before(const struct scan *sc, int pass, const char *key,
			const struct prof *a, const struct prof *b)
{
	for (int j = 0; j <= pass && j < P_NEAR; j++)
		for (size_t x = 0; x < a->keys[j].n; x++)
			for (size_t y = 0; y < b->keys[j].n; y++) {
				const char *k = a->keys[j].v[x];

				if (strcmp(k, b->keys[j].v[y]) != 0)
					continue;
				if (j == pass && strcmp(k, key) >= 0)
					continue;
				if (a->sec == b->sec || !is_split(&sc->split[j], k))
					return 1;
			}
	return 0;
}

static int pair_cmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->keep->id != b->keep->id)
		return a->keep->id < b->keep->id ? -1 : 1;
	return (a->other->id > b->other->id) - (a->other->id < b->other->id);
}

static int flush(struct scan *sc, struct crm_err *e)
{
	int rc = 0;

	if (sc->npairs > 1)
		qsort(sc->pairs, sc->npairs, sizeof(*sc->pairs), pair_cmp);
	for (size_t i = 0; i < sc->npairs && rc == 0; i++) {
		const struct pair *p = &sc->pairs[i];
		struct crm_dupe d;

		crm_buf_reset(&sc->why);
		for (size_t r = 0; r < NREASON; r++)
			if (p->mask & (1u << r)) {
				if (sc->why.len > 0)
					crm_buf_adds(&sc->why, "; ");
				crm_buf_adds(&sc->why, reasons[r]);
			}
		d.keep = p->keep->id;
		d.other = p->other->id;
		d.score = p->score;
		d.reason = sc->why.data;
		d.keep_name = p->keep->full;
		d.keep_email = p->keep->email;
		d.other_name = p->other->full;
		d.other_email = p->other->email;
		rc = sc->o->emit(sc->o->ctx, &d, e);
		sc->stats->pairs++;
	}
	sc->npairs = 0;
	return rc;
}

/* a and b are compared by pass at key: keep the pair unless an earlier
 * pass or key has it, or it scores too little. */
static int consider(struct scan *sc, int pass, const char *key, const struct prof *a,
		    const struct prof *b, struct crm_err *e)
{
	unsigned mask;
	struct pair *p;
	size_t r = 0;

	if (a->id == b->id || found_before(sc, pass, key, a, b))
		return 0;
	mask = judge(a, b);
	if (mask == 0)
		return 0; /* cannot happen: the pass found a reason */
	while (!(mask & (1u << r)))
		r++;
	if (scores[r] < sc->o->min_score)
		return 0;
	if (sc->npairs == CRM_DUPES_BATCH) {
		int rc = flush(sc, e);

		if (rc != 0)
			return rc;
	}
	p = &sc->pairs[sc->npairs++];
	p->keep = a->id < b->id ? a : b;
	p->other = a->id < b->id ? b : a;
	p->score = scores[r];
	p->mask = mask;
	return 0;
}

static int by_name(const void *x, const void *y)
{
	const struct prof *a = *(const struct prof *const *)x, *b = *(const struct prof *const *)y;
	int c = strcmp(a->name, b->name);

	return c != 0 ? c : (a->id > b->id) - (a->id < b->id);
}

/* Names in the same city: equal names are compared once, as a group. */
static int near_pairs(struct scan *sc, struct prof *pf, size_t n, struct crm_err *e)
{
	struct prof **v = xreallocarray(NULL, n, sizeof(*v));
	size_t *start = xreallocarray(NULL, n + 1, sizeof(*start)), ng = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		v[i] = &pf[i];
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i]->name, v[i - 1]->name) != 0)
			start[ng++] = i;
	start[ng] = n;
	for (size_t g = 0; g < ng && rc == 0; g++) {
		const char *name = v[start[g]]->name;
		size_t len = strlen(name);

		if (len < 5)
			continue; /* the lesser name of every pair it is in */
		for (size_t a = start[g]; a < start[g + 1] && rc == 0; a++)
			for (size_t b = a + 1; b < start[g + 1] && rc == 0; b++)
				rc = consider(sc, P_NEAR, NULL, v[a], v[b], e);
		for (size_t h = g + 1; h < ng && rc == 0; h++) {
			if (edit_distance(name, v[start[h]]->name, MAX_EDIT) > MAX_EDIT)
				continue;
			for (size_t a = start[g]; a < start[g + 1] && rc == 0; a++)
				for (size_t b = start[h]; b < start[h + 1] && rc == 0; b++)
					rc = consider(sc, P_NEAR, NULL, v[a], v[b], e);
		}
	}
	free(v);
	free(start);
	return rc;
}

/* Compares the contacts of one block, or of one part of a split block. */
static int part(struct scan *sc, int pass, const char *key, struct row *r, size_t n,
		struct crm_err *e)
{
	struct prof *pf;
	size_t m = 0;
	int rc = 0;

	/* A contact with two emails (or phones) of the same key is in the
	 * rows twice, next to each other (rows come by second key, then id). */
	for (size_t i = 0; i < n; i++)
		if (m == 0 || r[i].id != r[m - 1].id)
			r[m++] = r[i];
	if (m > sc->stats->largest)
		sc->stats->largest = m;
	if (m < 2)
		return 0;
	pf = xcalloc(m, sizeof(*pf));
	for (size_t i = 0; i < m && rc == 0; i++)
		rc = prof_make(sc, r[i].id, &pf[i], e);
	if (rc == 0 && pass == P_NEAR) {
		rc = near_pairs(sc, pf, m, e);
	} else {
		for (size_t a = 0; a < m && rc == 0; a++)
			for (size_t b = a + 1; b < m && rc == 0; b++)
				rc = consider(sc, pass, key, &pf[a], &pf[b], e);
	}
	if (rc == 0)
		rc = flush(sc, e);
	for (size_t i = 0; i < m; i++)
		prof_free(&pf[i]);
	free(pf);
	return rc;
}

/* Runs part() on rows[0..n) a second key at a time (a split block). */
static int parts(struct scan *sc, int pass, const char *key, struct row *r, size_t n,
		 size_t *nparts, struct crm_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0;) {
		size_t j = i + 1;

		while (j < n && r[j].sec == r[i].sec)
			j++;
		rc = part(sc, pass, key, r + i, j - i, e);
		(*nparts)++;
		i = j;
	}
	return rc;
}

static const char *const pass_sql[] = {
	/* emails and mailboxes */
	"SELECT k, crm_dupes_second(?1, full), id FROM ("
	" SELECT crm_dupes_key(?1, c.email) AS k, c.id AS id, c.email AS email, c.phone AS phone,"
	"  trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS full,"
	"  c.company AS company, c.city AS city FROM contacts c WHERE c.erased_at IS NULL"
	" UNION ALL"
	" SELECT crm_dupes_key(?1, x.email), c.id, c.email, c.phone,"
	"  trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	"  c.company, c.city FROM contact_emails x JOIN contacts c ON c.id = x.contact_id"
	"  WHERE c.erased_at IS NULL)"
	" WHERE k IS NOT NULL ORDER BY 1, 2, 3",
	/* phones */
	"SELECT k, crm_dupes_second(?1, full), id FROM ("
	" SELECT crm_dupes_key(?1, c.phone) AS k, c.id AS id, c.email AS email, c.phone AS phone,"
	"  trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS full,"
	"  c.company AS company, c.city AS city FROM contacts c WHERE c.erased_at IS NULL"
	" UNION ALL"
	" SELECT crm_dupes_key(?1, x.phone), c.id, c.email, c.phone,"
	"  trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	"  c.company, c.city FROM contact_phones x JOIN contacts c ON c.id = x.contact_id"
	"  WHERE c.erased_at IS NULL)"
	" WHERE k IS NOT NULL ORDER BY 1, 2, 3",
	/* name at company (b = company) and in city (b = city) */
	"SELECT k, crm_dupes_second(?1, full), id FROM ("
	" SELECT crm_dupes_key(?1, trim(coalesce(c.first_name, '') || ' ' ||"
	"  coalesce(c.last_name, '')), CASE ?1 WHEN 3 THEN c.company ELSE c.city END) AS k,"
	"  c.id AS id, c.email AS email, c.phone AS phone,"
	"  trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS full,"
	"  c.company AS company, c.city AS city FROM contacts c WHERE c.erased_at IS NULL)"
	" WHERE k IS NOT NULL ORDER BY 1, 2, 3",
};

/* The same rows with the key's inputs instead of the key (a, b, full,
 * id), for a store that cannot call C from SQL: the keys are made and
 * sorted here (keyed_load). */
static const char *const pass_raw_sql[] = {
	"SELECT c.email, NULL, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	" c.id FROM contacts c WHERE c.erased_at IS NULL"
	" UNION ALL"
	" SELECT x.email, NULL, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	" c.id FROM contact_emails x JOIN contacts c ON c.id = x.contact_id WHERE c.erased_at IS NULL",
	"SELECT c.phone, NULL, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	" c.id FROM contacts c WHERE c.erased_at IS NULL"
	" UNION ALL"
	" SELECT x.phone, NULL, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	" c.id FROM contact_phones x JOIN contacts c ON c.id = x.contact_id WHERE c.erased_at IS NULL",
	"SELECT trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
	" CASE ?1 WHEN 3 THEN c.company ELSE c.city END,"
	" trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), c.id"
	" FROM contacts c WHERE c.erased_at IS NULL",
};

/* A pass's rows in key order: from the pass's statement, or made and
 * sorted in C (v, n) where the store cannot call C from SQL. */
struct keyed {
	struct crm_stmt *st;
	struct keyed_row {
		char *k;
		int sec;
		int64_t id;
	} *v;
	size_t n, next;
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed_row *a = pa, *b = pb;
	int c = strcmp(a->k, b->k);

	if (c != 0)
		return c;
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int keyed_load(struct scan *sc, int pass, struct keyed *kd, struct crm_err *e)
{
	const char *sql = pass_raw_sql[pass <= P_MAILBOX ? 0 : pass == P_PHONE ? 1 : 2];
	struct crm_stmt *st;
	size_t cap = 0;
	int rc = crm_store_prepare_built(sc->s, sql, &st, e);

	if (rc != 0)
		return rc;
	if (crm_bind_count(st) >= 1)
		crm_bind_int(st, 1, pass);
	while ((rc = crm_store_step(sc->s, st, e)) == CRM_ROW) {
		if (!key_of(sc, pass, crm_column_text(st, 0), crm_column_text(st, 1)))
			continue;
		if (kd->n == cap) {
			cap = cap ? cap * 2 : 1024;
			kd->v = xreallocarray(kd->v, cap, sizeof(*kd->v));
		}
		kd->v[kd->n].k = xstrdup(crm_buf_str(&sc->kb.key));
		kd->v[kd->n].sec = second_key(sc, pass, crm_column_text(st, 2));
		kd->v[kd->n].id = crm_column_int64(st, 3);
		kd->n++;
	}
	crm_stmt_free(st);
	if (rc < 0)
		return e->code;
	qsort(kd->v, kd->n, sizeof(*kd->v), keyed_cmp);
	return 0;
}

static int keyed_open(struct scan *sc, int pass, struct keyed *kd, struct crm_err *e)
{
	const char *sql = pass_sql[pass <= P_MAILBOX ? 0 : pass == P_PHONE ? 1 : 2];
	int rc;

	memset(kd, 0, sizeof(*kd));
	if (!sc->sql_keys)
		return keyed_load(sc, pass, kd, e);
	rc = crm_store_prepare_built(sc->s, sql, &kd->st, e);
	if (rc == 0)
		crm_bind_int(kd->st, 1, pass);
	return rc;
}

/* The next row: CRM_ROW with *k, *sec and *id set, CRM_DONE, or -1. */
static int keyed_next(struct scan *sc, struct keyed *kd, const char **k, int *sec, int64_t *id,
		      struct crm_err *e)
{
	int step;

	if (kd->st == NULL) {
		if (kd->next == kd->n)
			return CRM_DONE;
		*k = kd->v[kd->next].k;
		*sec = kd->v[kd->next].sec;
		*id = kd->v[kd->next].id;
		kd->next++;
		return CRM_ROW;
	}
	step = crm_store_step(sc->s, kd->st, e);
	if (step == CRM_ROW) {
		*k = crm_column_text(kd->st, 0);
		*sec = crm_column_int(kd->st, 1);
		*id = crm_column_int64(kd->st, 2);
	}
	return step;
}

static void keyed_close(struct keyed *kd)
{
	crm_stmt_free(kd->st);
	for (size_t i = 0; i < kd->n; i++)
		free(kd->v[i].k);
	free(kd->v);
}

static int pass_run(struct scan *sc, int pass, struct crm_err *e)
{
	struct keyed kd;
	struct rows rs = { 0 };
	char *key = NULL;
	size_t total = 0, nparts = 0;
	int split = 0, rc, done = 0;

	rc = keyed_open(sc, pass, &kd, e);
	while (rc == 0 && !done) {
		const char *k = NULL;
		int sec = 0;
		int64_t id = 0;
		int step = keyed_next(sc, &kd, &k, &sec, &id, e);
		struct row *r;

		if (step != CRM_ROW)
			k = NULL;

		if (step < 0) {
			rc = e->code;
			break;
		}
		if (key != NULL && (k == NULL || strcmp(k, key) != 0)) {
			/* The block is done. */
			if (split) {
				rc = parts(sc, pass, key, rs.v, rs.n, &nparts, e);
				if (sc->o->split != NULL)
					sc->o->split(sc->o->ctx, crm_dupes_pass_reason(pass), key, total, nparts);
			} else {
				rc = part(sc, pass, key, rs.v, rs.n, e);
			}
			rs.n = 0;
			free(key);
			key = NULL;
		}
		if (k == NULL) {
			done = 1;
			continue;
		}
		if (rc != 0)
			break;
		if (key == NULL) {
			key = xstrdup(k);
			total = nparts = 0;
			split = 0;
		} else if (split && sec != rs.v[rs.n - 1].sec) {
			/* A part of a split block is done. */
			rc = part(sc, pass, key, rs.v, rs.n, e);
			nparts++;
			rs.n = 0;
		}
		if (rs.n == rs.cap) {
			rs.cap = rs.cap ? rs.cap * 2 : 64;
			rs.v = xreallocarray(rs.v, rs.cap, sizeof(*rs.v));
		}
		r = &rs.v[rs.n++];
		r->sec = sec;
		r->id = id;
		total++;
		if (!split && total > sc->max_block) {
			/* Too large: from here on, a part per second key. The
			 * parts before the last row's are complete. */
			struct splits *sp = &sc->split[pass];
			size_t last = rs.n - 1;

			split = 1;
			if (sp->n == sp->cap) {
				sp->cap = sp->cap ? sp->cap * 2 : 16;
				sp->v = xreallocarray(sp->v, sp->cap, sizeof(*sp->v));
			}
			sp->v[sp->n++] = xstrdup(key);
			sc->stats->split[pass]++;
			while (last > 0 && rs.v[last - 1].sec == rs.v[rs.n - 1].sec)
				last--;
			rc = parts(sc, pass, key, rs.v, last, &nparts, e);
			memmove(rs.v, rs.v + last, (rs.n - last) * sizeof(*rs.v));
			rs.n -= last;
		}
	}
	free(rs.v);
	free(key);
	keyed_close(&kd);
	return rc;
}

static int exists(struct crm_store *s, const char *sql, int *out, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, sql);
	int rc = crm_store_step(s, st, e);

	*out = rc == CRM_ROW && crm_column_int(st, 0) != 0;
	crm_stmt_reset(st);
	return rc < 0 ? e->code : 0;
}

int crm_dupes_scan(struct crm_store *s, const struct crm_dupes_opts *o,
		   struct crm_dupes_stats *stats, struct crm_err *e)
{
	struct scan sc;
	int rc;

	memset(&sc, 0, sizeof(sc));
	memset(stats, 0, sizeof(*stats));
	sc.s = s;
	sc.o = o;
	sc.stats = stats;
	sc.max_block = o->max_block > 0 ? o->max_block : CRM_DUPES_MAX_BLOCK;
	sc.pairs = xreallocarray(NULL, CRM_DUPES_BATCH, sizeof(*sc.pairs));
	rc = exists(s, "SELECT EXISTS (SELECT 1 FROM contact_emails)", &sc.has_emails, e);
	if (rc == 0)
		rc = exists(s, "SELECT EXISTS (SELECT 1 FROM contact_phones)", &sc.has_phones, e);
	/* SQLite sorts by keys that C makes (crm_dupes_key), on disk when
	 * large; a store that cannot call C from SQL gets its rows sorted
	 * here, in memory (keyed_load). */
	if (rc == 0) {
		rc = crm_store_function(s, "crm_dupes_key", -1, sql_key, &sc, e);
		sc.sql_keys = rc == 0;
		if (rc == CRM_EX_UNAVAILABLE)
			rc = 0;
	}
	if (rc == 0 && sc.sql_keys)
		rc = crm_store_function(s, "crm_dupes_second", 2, sql_second, &sc, e);
	for (int pass = 0; pass < NPASS && rc == 0; pass++)
		rc = pass_run(&sc, pass, e);
	/* sc is gone after this: the functions must not outlive it. */
	crm_store_function(s, "crm_dupes_key", -1, NULL, NULL, NULL);
	crm_store_function(s, "crm_dupes_second", 2, NULL, NULL, NULL);
	for (int i = 0; i < NPASS; i++) {
		for (size_t j = 0; j < sc.split[i].n; j++)
			free(sc.split[i].v[j]);
		free(sc.split[i].v);
	}
	free(sc.pairs);
	crm_buf_free(&sc.why);
	crm_buf_free(&sc.kb.name);
	crm_buf_free(&sc.kb.other);
	crm_buf_free(&sc.kb.key);
	crm_buf_free(&sc.pk.name);
	crm_buf_free(&sc.pk.other);
	crm_buf_free(&sc.pk.key);
	return rc;
}

struct collect {
	struct crm_dupe *v;
	size_t n, cap;
};

static int collect(void *ctx, const struct crm_dupe *d, struct crm_err *e)
{
	struct collect *c = ctx;

	(void)e;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n] = *d;
	c->v[c->n].reason = xstrdup(d->reason);
	c->v[c->n].keep_name = c->v[c->n].keep_email = NULL;
	c->v[c->n].other_name = c->v[c->n].other_email = NULL;
	c->n++;
	return 0;
}

int crm_dupes_find(struct crm_store *s, const char *region, double min_score,
		   struct crm_dupe **out, size_t *n, struct crm_err *e)
{
	struct collect c = { 0 };
	struct crm_dupes_opts o = { region, min_score, 0, collect, NULL, &c };
	struct crm_dupes_stats stats;
	int rc = crm_dupes_scan(s, &o, &stats, e);

	if (rc != 0) {
		crm_dupes_free(c.v, c.n);
		c.v = NULL;
		c.n = 0;
	}
	*out = c.v;
	*n = c.n;
	return rc;
}

void crm_dupes_free(struct crm_dupe *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].reason);
	free(d);
}
