/* pg_dialect.c - the toolkit's SQL as PostgreSQL reads it (pg_dialect.h). */
#include "store/pg_dialect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"

/* What a rewrite does beyond replacing its words. */
enum {
	R_NONE,
	R_ON_CONFLICT,  /* the statement ends in ON CONFLICT DO NOTHING */
	R_LIMIT,        /* the placeholder after it: -1 means no limit */
};

/* The dialect table: SQLite's spelling, PostgreSQL's, matched as whole
 * words without regard to case, outside literals and quoted names. What
 * has the same spelling in both, or an SQL function of the same name in
 * the first PostgreSQL migration, is not here. */
static const struct rewrite {
	const char *sqlite;
	const char *pg;
	int extra;
} rewrites[] = {
	/* SQLite's LIKE ignores ASCII case; so does ILIKE in the C locale
	 * the store's database is made with. */
	{ "LIKE", "ILIKE", R_NONE },
	{ "INSERT OR IGNORE INTO", "INSERT INTO", R_ON_CONFLICT },
	/* planner hints and storage details PostgreSQL does not have */
	{ "NOT INDEXED", "", R_NONE },
	{ "WITHOUT ROWID", "", R_NONE },
	/* the temporary schema */
	{ "temp.", "pg_temp.", R_NONE },
	{ "LIMIT", "LIMIT", R_LIMIT },
	/* SQLite's INTEGER is 64 bits, PostgreSQL's 32 */
	{ "AS INTEGER", "AS bigint", R_NONE },
	/* SQLite's REAL is a double, PostgreSQL's a float */
	{ "AS REAL", "AS double precision", R_NONE },
};

/* The first place word occurs in s without regard to case, or NULL. */
static const char *find_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return s;
	return NULL;
}

static int word_char(int c)
{
	return isalnum(c) || c == '_';
}

/* The length of the rewrite's words at p, or 0: one space in the
 * pattern matches any run of white space. */
static size_t match(const char *sql, const char *p, const char *words)
{
	const char *q = p;

	if (p > sql && word_char((unsigned char)p[-1]))
		return 0;
	for (const char *w = words; *w != '\0'; w++) {
		if (*w == ' ') {
			if (!isspace((unsigned char)*q))
				return 0;
			while (isspace((unsigned char)*q))
				q++;
			continue;
		}
		if (tolower((unsigned char)*q) != tolower((unsigned char)*w))
			return 0;
		q++;
	}
	if (word_char((unsigned char)words[strlen(words) - 1]) && word_char((unsigned char)*q))
		return 0;
	return (size_t)(q - p);
}

/* Copies a quoted literal or name starting at p (its quote) and returns
 * the end; a doubled quote stays inside. */
static const char *copy_quoted(const char *p, struct crm_buf *out)
{
	char quote = *p;
	const char *q = p + 1;

	for (;;) {
		if (*q == '\0')
			break;
		if (*q == quote) {
			if (q[1] == quote) {
				q += 2;
				continue;
			}
			q++;
			break;
		}
		q++;
	}
	crm_buf_add(out, p, (size_t)(q - p));
	return q;
}

/* A placeholder at p ('?'): writes $N and returns the end. */
static const char *placeholder(const char *p, struct crm_buf *out, int *highest)
{
	const char *q = p + 1;
	int n;

	if (isdigit((unsigned char)*q)) {
		n = (int)strtol(q, NULL, 10);
		while (isdigit((unsigned char)*q))
			q++;
	} else {
		n = *highest + 1; /* a bare ? is the next after the highest */
	}
	if (n > *highest)
		*highest = n;
	crm_buf_addf(out, "$%d", n);
	return q;
}

int crm_pg_translate(const char *sql, struct crm_buf *out, int *nparams, struct crm_err *e)
{
	const char *p = sql;
	int highest = 0, on_conflict = 0, limit = 0;

	while (*p != '\0') {
		size_t len = 0;
		size_t r;

		if (*p == '\'' || *p == '"') {
			p = copy_quoted(p, out);
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *close = strstr(p + 2, "*/");
			size_t n = close != NULL ? (size_t)(close + 2 - p) : strlen(p);

			crm_buf_add(out, p, n);
			p += n;
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			const char *nl = strchr(p, '\n');
			size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

			crm_buf_add(out, p, n);
			p += n;
			continue;
		}
		if (*p == '?') {
			if (limit) {
				/* LIMIT -1 is no limit on SQLite; LIMIT NULL
				 * is on PostgreSQL. */
				crm_buf_adds(out, "nullif(");
				p = placeholder(p, out, &highest);
				crm_buf_adds(out, ", -1)");
				limit = 0;
				continue;
			}
			p = placeholder(p, out, &highest);
			continue;
		}
		if ((*p == ':' && p[1] != ':' && (p == sql || p[-1] != ':') &&
		     (isalpha((unsigned char)p[1]) || p[1] == '_')) ||
		    (*p == '@' && isalpha((unsigned char)p[1])))
			return crm_err_set(e, CRM_EX_SOFTWARE,
					   "named parameter in SQL: %.40s", p);
		if (isalpha((unsigned char)*p) &&
		    (p == sql || !word_char((unsigned char)p[-1]))) {
			for (r = 0; r < sizeof(rewrites) / sizeof(rewrites[0]); r++) {
				len = match(sql, p, rewrites[r].sqlite);
				if (len > 0)
					break;
			}
			if (len > 0) {
				if (rewrites[r].extra == R_ON_CONFLICT)
					on_conflict = 1;
				if (rewrites[r].extra == R_LIMIT) {
					const char *q = p + len;

					while (isspace((unsigned char)*q))
						q++;
					limit = *q == '?';
				}
				crm_buf_adds(out, rewrites[r].pg);
				p += len;
				continue;
			}
			/* the rest of the word, unchanged */
			while (word_char((unsigned char)*p))
				crm_buf_addc(out, *p++);
			continue;
		}
		crm_buf_addc(out, *p++);
	}
	if (on_conflict) {
		/* before a RETURNING clause, if there is one */
		const char *found = NULL;
		char *ret;

		for (const char *q = crm_buf_str(out); (q = find_ci(q, "RETURNING")) != NULL; q++)
			if ((q == out->data || !word_char((unsigned char)q[-1])) && !word_char((unsigned char)q[9]))
				found = q;
		ret = found != NULL ? out->data + (found - out->data) : NULL;
		if (ret != NULL) {
			struct crm_buf tail = CRM_BUF_INIT;

			crm_buf_adds(&tail, ret);
			out->len = (size_t)(ret - out->data);
			out->data[out->len] = '\0';
			crm_buf_adds(out, "ON CONFLICT DO NOTHING ");
			crm_buf_adds(out, crm_buf_str(&tail));
			crm_buf_free(&tail);
		} else {
			crm_buf_adds(out, " ON CONFLICT DO NOTHING");
		}
	}
	*nparams = highest;
	return 0;
}

int crm_pg_writes(const char *sql)
{
	const char *p = sql;

	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "INSERT", 6) == 0 || strncasecmp(p, "UPDATE", 6) == 0 ||
	    strncasecmp(p, "DELETE", 6) == 0)
		return 1;
	if (strncasecmp(p, "WITH", 4) == 0)
		return find_ci(p, "INSERT ") != NULL || find_ci(p, "UPDATE ") != NULL ||
		       find_ci(p, "DELETE ") != NULL;
	return 0;
}
