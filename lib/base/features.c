/* features.c - raw values turned into model columns (see features.h). */
#include "base/features.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "base/strmap.h"
#include "base/xalloc.h"

/* Longest value quoted in a message; the rest is cut. */
#define MSG_VALUE 80

static int is_missing(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int crm_features_parse_number(const char *s, double *out)
{
	const char *p = s;
	char *end;
	size_t digits = 0;
	double v;

	if (s == NULL)
		return -1;
	if (*p == '+' || *p == '-')
		p++;
	for (; is_digit(*p); p++)
		digits++;
	if (*p == '.')
		for (p++; is_digit(*p); p++)
			digits++;
	if (digits == 0)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return -1;
		while (is_digit(*p))
			p++;
	}
	if (*p != '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end != p || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

void crm_features_free(struct crm_features *enc)
{
	if (enc == NULL)
		return;
	for (size_t j = 0; j < enc->m && enc->f != NULL; j++) {
		struct crm_feature *f = &enc->f[j];

		free(f->name);
		for (size_t k = 0; k < f->nlevels; k++)
			free(f->levels[k]);
		free(f->levels);
	}
	free(enc->f);
	for (size_t c = 0; c < enc->ncols && enc->colname != NULL; c++)
		free(enc->colname[c]);
	free(enc->colname);
	free(enc->colfeat);
	memset(enc, 0, sizeof(*enc));
}

static char *joinf(const char *a, const char *mid, const char *b)
{
	size_t len = strlen(a) + strlen(mid) + strlen(b) + 1;
	char *s = xmalloc(len);

	snprintf(s, len, "%s%s%s", a, mid, b);
	return s;
}

/* Lays out the columns of every feature and names them: the same for
 * learning and loading. */
static void build_columns(struct crm_features *enc)
{
	size_t c = 0;

	for (size_t j = 0; j < enc->m; j++) {
		struct crm_feature *f = &enc->f[j];

		f->col = c;
		f->ncols = 0;
		if (!f->dropped) {
			if (f->kind == CRM_FEATURE_NUMERIC)
				f->ncols = f->sd > 0.0;
			else if (f->nlevels > 0)
				f->ncols = f->nlevels - 1 + (f->has_other != 0);
			f->ncols += f->has_missing != 0;
		}
		c += f->ncols;
	}
	enc->ncols = c;
	enc->colname = xreallocarray(NULL, c > 0 ? c : 1, sizeof(char *));
	enc->colfeat = xreallocarray(NULL, c > 0 ? c : 1, sizeof(size_t));
	c = 0;
	for (size_t j = 0; j < enc->m; j++) {
		struct crm_feature *f = &enc->f[j];

		if (f->dropped)
			continue;
		if (f->kind == CRM_FEATURE_NUMERIC && f->sd > 0.0)
			enc->colname[c++] = xstrdup(f->name);
		if (f->kind == CRM_FEATURE_CATEGORICAL && f->nlevels > 0) {
			int clash = 0;

			for (size_t k = 0; k < f->nlevels; k++) {
				if (strcmp(f->levels[k], "other") == 0)
					clash = 1;
				if (k > 0)
					enc->colname[c++] = joinf(
						f->name, " = ", f->levels[k]);
			}
			if (f->has_other)
				enc->colname[c++] = joinf(
					f->name, " = ",
					clash ? "(other)" : "other");
		}
		if (f->has_missing)
			enc->colname[c++] = joinf(f->name, " missing", "");
		for (size_t t = f->col; t < c; t++)
			enc->colfeat[t] = j;
	}
}

/* Learning. */

struct count {
	const char *value;
	size_t n;
};

static int cmp_count(const void *pa, const void *pb)
{
	const struct count *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* Refuses, or with skip_uninformative drops, feature f. */
static int uninformative(struct crm_feature *f, int skip, struct crm_err *e,
			 const char *fmt, const char *arg)
{
	if (skip) {
		f->dropped = 1;
		return 0;
	}
	return crm_err_set(e, CRM_EX_DATAERR, fmt, f->name, MSG_VALUE, arg);
}

static int learn_numeric(struct crm_feature *f, const char *const *values,
			 size_t n, size_t m, size_t j, size_t present,
			 int skip, struct crm_err *e)
{
	double *v = xreallocarray(NULL, present, sizeof(*v));
	const char *first = NULL;
	size_t k = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const char *s = values[i * m + j];

		if (is_missing(s))
			continue;
		if (first == NULL)
			first = s;
		crm_features_parse_number(s, &v[k++]);
	}
	rc = crm_stats_standardize(v, present, 1, &f->mean, &f->sd);
	free(v);
	if (rc != 0)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "feature \"%s\": numbers too large to "
				   "standardise", f->name);
	if (f->sd == 0.0 && !f->has_missing)
		return uninformative(f, skip, e,
				     "feature \"%s\" has one value (\"%.*s\") "
				     "in every row", first);
	return 0;
}

static int learn_categorical(struct crm_feature *f, const char *const *values,
			     size_t n, size_t m, size_t j, size_t present,
			     size_t top_k, size_t min_count, int skip,
			     struct crm_err *e)
{
	struct crm_strmap map = CRM_STRMAP_INIT;
	struct count *cnt;
	size_t distinct = 0, kept = 0, in_levels = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		const char *s = values[i * m + j];

		if (!is_missing(s))
			crm_strmap_put(&map, s, strlen(s))->value++;
	}
	cnt = xreallocarray(NULL, map.n > 0 ? map.n : 1, sizeof(*cnt));
	for (size_t t = 0; t < map.cap; t++) {
		if (map.slots[t].key == NULL)
			continue;
		cnt[distinct].value = map.slots[t].key;
		cnt[distinct].n = (size_t)map.slots[t].value;
		distinct++;
	}
	qsort(cnt, distinct, sizeof(*cnt), cmp_count);
	while (kept < distinct && kept < top_k && cnt[kept].n >= min_count)
		in_levels += cnt[kept++].n;
	f->levels = xreallocarray(NULL, kept > 0 ? kept : 1, sizeof(char *));
	for (size_t k = 0; k < kept; k++)
		f->levels[f->nlevels++] = xstrdup(cnt[k].value);
	f->has_other = in_levels < present;
	if (distinct == 1 && !f->has_missing) {
		rc = uninformative(f, skip, e,
				   "feature \"%s\" has one value (\"%.*s\") in "
				   "every row", cnt[0].value);
	} else if (kept == 0 && !f->has_missing) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%zu or more rows (all %zu values "
			 "are other)", min_count, distinct);
		rc = uninformative(f, skip, e,
				   "feature \"%s\" has no value in %.*s", msg);
	}
	free(cnt);
	crm_strmap_free(&map);
	return rc;
}

int crm_features_learn(const char *const *values, size_t n, size_t m,
		       const char *const *names,
		       const struct crm_features_opts *o,
		       struct crm_features *out, struct crm_err *e)
{
	struct crm_features_opts def = { 0, 0, NULL, 0 };
	size_t top_k, min_count;
	int rc = 0;

	if (out == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "no encoding to learn into");
	memset(out, 0, sizeof(*out));
	if (o == NULL)
		o = &def;
	top_k = o->top_k > 0 ? o->top_k : CRM_FEATURES_TOP_K;
	min_count = o->min_count > 0 ? o->min_count : CRM_FEATURES_MIN_COUNT;
	if (m > 0 && (values == NULL || names == NULL))
		return crm_err_set(e, CRM_EX_DATAERR, "no values or no names");
	if (m > 0 && n == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "no rows to learn from");
	if (m > 0 && n > SIZE_MAX / m)
		return crm_err_set(e, CRM_EX_DATAERR, "too many rows");
	if (top_k > 100000)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "top_k %zu is too large", top_k);
	for (size_t j = 0; j < m; j++)
		if (names[j] == NULL)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "feature %zu has no name", j + 1);
	out->m = m;
	out->f = xcalloc(m > 0 ? m : 1, sizeof(*out->f));
	for (size_t j = 0; j < m && rc == 0; j++) {
		struct crm_feature *f = &out->f[j];
		size_t present = 0;
		int numeric = o->categorical == NULL || !o->categorical[j];

		f->name = xstrdup(names[j]);
		for (size_t i = 0; i < n; i++) {
			const char *s = values[i * m + j];
			double v;

			if (is_missing(s))
				continue;
			present++;
			if (numeric && crm_features_parse_number(s, &v) != 0)
				numeric = 0;
		}
		f->has_missing = present < n;
		f->kind = numeric ? CRM_FEATURE_NUMERIC
				  : CRM_FEATURE_CATEGORICAL;
		if (present == 0)
			rc = uninformative(f, o->skip_uninformative, e,
					   "feature \"%s\" is missing in every "
					   "row%.*s", "");
		else if (numeric)
			rc = learn_numeric(f, values, n, m, j, present,
					   o->skip_uninformative, e);
		else
			rc = learn_categorical(f, values, n, m, j, present,
					       top_k, min_count,
					       o->skip_uninformative, e);
	}
	if (rc != 0) {
		crm_features_free(out);
		return rc;
	}
	build_columns(out);
	return 0;
}

/* Encoding. */

size_t crm_features_encode(const struct crm_features *enc,
			   const char *const *row, double *out,
			   struct crm_features_tally *t)
{
	struct crm_features_tally none = { 0, 0, 0 };
	size_t before;

	if (t == NULL)
		t = &none;
	before = t->unparsed + t->unseen + t->missing;
	if (enc->ncols > 0)
		memset(out, 0, enc->ncols * sizeof(*out));
	for (size_t j = 0; j < enc->m; j++) {
		const struct crm_feature *f = &enc->f[j];
		const char *s = row[j];
		double *o;
		int miss = is_missing(s);

		if (f->dropped)
			continue;
		o = f->ncols > 0 ? out + f->col : out; /* out may be NULL */
		if (f->kind == CRM_FEATURE_NUMERIC && !miss) {
			double v, z = 0.0;

			if (crm_features_parse_number(s, &v) == 0 &&
			    isfinite(z = f->sd > 0.0 ? (v - f->mean) / f->sd
						     : 0.0)) {
				if (f->sd > 0.0)
					o[0] = z;
			} else {
				t->unparsed++;
				miss = 1;
				if (!f->has_missing)
					continue; /* at the mean: 0 */
			}
		} else if (!miss) {
			size_t k = 0;

			while (k < f->nlevels && strcmp(s, f->levels[k]) != 0)
				k++;
			if (k > 0 && k < f->nlevels)
				o[k - 1] = 1.0;
			else if (k == f->nlevels && f->nlevels > 0) {
				if (f->has_other)
					o[f->nlevels - 1] = 1.0;
				else
					t->unseen++;
			}
		}
		if (miss) {
			if (f->has_missing)
				o[f->ncols - 1] = 1.0;
			else
				t->missing++;
		}
	}
	return t->unparsed + t->unseen + t->missing - before;
}

size_t crm_features_encode_rows(const struct crm_features *enc,
				const char *const *values, size_t n,
				double *out, struct crm_features_tally *t)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += crm_features_encode(enc, values + i * enc->m,
					   enc->ncols > 0 ? out + i * enc->ncols
							  : out, t);
	return bad;
}

/* Saving and loading. */

static void add_escaped(struct crm_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\': crm_buf_adds(b, "\\\\"); break;
		case '\t': crm_buf_adds(b, "\\t"); break;
		case '\n': crm_buf_adds(b, "\\n"); break;
		case '\r': crm_buf_adds(b, "\\r"); break;
		default: crm_buf_addc(b, *s);
		}
	}
}

static const char *kind_name(enum crm_feature_kind k)
{
	return k == CRM_FEATURE_NUMERIC ? "numeric" : "categorical";
}

void crm_features_save(const struct crm_features *enc, struct crm_buf *b)
{
	crm_buf_addf(b, "crm-features\t1\t%zu\n", enc->m);
	for (size_t j = 0; j < enc->m; j++) {
		const struct crm_feature *f = &enc->f[j];

		crm_buf_adds(b, f->dropped ? "dropped\t" : kind_name(f->kind));
		if (!f->dropped)
			crm_buf_addc(b, '\t');
		add_escaped(b, f->name);
		if (f->dropped)
			crm_buf_addf(b, "\t%s\n", kind_name(f->kind));
		else if (f->kind == CRM_FEATURE_NUMERIC)
			crm_buf_addf(b, "\t%.17g\t%.17g\t%d\n", f->mean, f->sd,
				     f->has_missing != 0);
		else
			crm_buf_addf(b, "\t%zu\t%d\t%d\n", f->nlevels,
				     f->has_other != 0, f->has_missing != 0);
		for (size_t k = 0; !f->dropped && k < f->nlevels; k++) {
			crm_buf_adds(b, "level\t");
			add_escaped(b, f->levels[k]);
			crm_buf_addc(b, '\n');
		}
	}
	crm_buf_adds(b, "end\n");
}

/* A reader of the saved text: one line at a time, split at tabs. */
struct reader {
	const char *p;     /* the rest of the text */
	size_t lineno;
	char *line;        /* the current line, its tabs made NULs */
	char *field[8];
	size_t nfield;
};

/* The next line into r's fields; -1 at the end of the text or for a line
 * of more than 8 fields. */
static int next_line(struct reader *r)
{
	const char *nl;
	size_t len;

	if (*r->p == '\0')
		return -1;
	nl = strchr(r->p, '\n');
	len = nl != NULL ? (size_t)(nl - r->p) : strlen(r->p);
	free(r->line);
	r->line = xstrndup(r->p, len);
	r->p += len + (nl != NULL);
	r->lineno++;
	r->nfield = 0;
	for (char *s = r->line;;) {
		char *tab = strchr(s, '\t');

		if (r->nfield == 8)
			return -1;
		r->field[r->nfield++] = s;
		if (tab == NULL)
			break;
		*tab = '\0';
		s = tab + 1;
	}
	return 0;
}

/* The text of an escaped field, or NULL for a bad escape. */
static char *unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case '\\': *o++ = '\\'; break;
		case 't': *o++ = '\t'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		default: free(out); return NULL;
		}
	}
	*o = '\0';
	return out;
}

/* Whole fields: a count, a flag 0 or 1, a finite double; 0 or -1. */
static int read_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = is_digit(*s) ? strtoull(s, &end, 10) : 0;
	if (!is_digit(*s) || *end != '\0' || errno != 0 || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int read_flag(const char *s, int *out)
{
	*out = s[0] == '1';
	return (s[0] == '0' || s[0] == '1') && s[1] == '\0' ? 0 : -1;
}

static int read_double(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *s != '\0' && *end == '\0' && isfinite(*out) ? 0 : -1;
}

/* One feature from the reader's current line (and its level lines). */
static int load_feature(struct reader *r, struct crm_feature *f)
{
	const char *kind = r->field[0];
	size_t nlevels;

	if (r->nfield < 2 || (f->name = unescape(r->field[1])) == NULL)
		return -1;
	if (strcmp(kind, "dropped") == 0) {
		f->dropped = 1;
		if (r->nfield != 3)
			return -1;
		if (strcmp(r->field[2], "numeric") == 0)
			f->kind = CRM_FEATURE_NUMERIC;
		else if (strcmp(r->field[2], "categorical") == 0)
			f->kind = CRM_FEATURE_CATEGORICAL;
		else
			return -1;
		return 0;
	}
	if (r->nfield != 5)
		return -1;
	if (strcmp(kind, "numeric") == 0) {
		f->kind = CRM_FEATURE_NUMERIC;
		return read_double(r->field[2], &f->mean) != 0 ||
			       read_double(r->field[3], &f->sd) != 0 ||
			       !(f->sd >= 0.0) ||
			       read_flag(r->field[4], &f->has_missing) != 0
			       ? -1 : 0;
	}
	if (strcmp(kind, "categorical") != 0)
		return -1;
	f->kind = CRM_FEATURE_CATEGORICAL;
	if (read_size(r->field[2], &nlevels) != 0 || nlevels > 100000 ||
	    read_flag(r->field[3], &f->has_other) != 0 ||
	    read_flag(r->field[4], &f->has_missing) != 0)
		return -1;
	f->levels = xreallocarray(NULL, nlevels > 0 ? nlevels : 1,
				  sizeof(char *));
	for (size_t k = 0; k < nlevels; k++) {
		if (next_line(r) != 0 || r->nfield != 2 ||
		    strcmp(r->field[0], "level") != 0 ||
		    (f->levels[k] = unescape(r->field[1])) == NULL)
			return -1;
		f->nlevels++;
	}
	return 0;
}

int crm_features_load(const char *text, struct crm_features *out,
		      struct crm_err *e)
{
	struct reader r = { text, 0, NULL, { NULL }, 0 };
	size_t m;
	int rc = 0;

	if (out == NULL || text == NULL)
		return crm_err_set(e, CRM_EX_DATAERR, "no encoding text");
	memset(out, 0, sizeof(*out));
	if (next_line(&r) != 0 || r.nfield != 3 ||
	    strcmp(r.field[0], "crm-features") != 0 ||
	    strcmp(r.field[1], "1") != 0 || read_size(r.field[2], &m) != 0 ||
	    m > strlen(text) / 4) { /* a feature takes 4 bytes or more */
		rc = crm_err_set(e, CRM_EX_DATAERR, "features text line 1: "
				 "not a crm-features 1 header");
		goto done;
	}
	out->f = xcalloc(m > 0 ? m : 1, sizeof(*out->f));
	for (size_t j = 0; j < m; j++) {
		out->m = j + 1; /* what crm_features_free must free */
		if (next_line(&r) != 0 || load_feature(&r, &out->f[j]) != 0) {
			rc = crm_err_set(e, CRM_EX_DATAERR, "features text line "
					 "%zu: not a feature %zu of %zu",
					 r.lineno, j + 1, m);
			goto done;
		}
	}
	out->m = m;
	if (next_line(&r) != 0 || r.nfield != 1 ||
	    strcmp(r.field[0], "end") != 0 || *r.p != '\0') {
		rc = crm_err_set(e, CRM_EX_DATAERR, "features text line %zu: "
				 "\"end\" expected after %zu features",
				 r.lineno, m);
		goto done;
	}
	build_columns(out);
done:
	free(r.line);
	if (rc != 0)
		crm_features_free(out);
	return rc;
}
