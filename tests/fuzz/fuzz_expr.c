/* fuzz_expr.c - libFuzzer target for the filter language (lib/filter/expr.c).
 *
 * The input, NUL-terminated (so an embedded NUL ends the expression), is
 * compiled with crm_expr_compile and, as a field name, with crm_expr_value
 * and crm_expr_column.
 * Whatever compiles must also run: the SQL is prepared through the store
 * (crm_store_prepare_built) on a store of its own, made by crm_store_open
 * in a temporary directory (so built from the real migrations) and holding
 * a few contacts with tags, custom fields, interactions, RFM scores and
 * clusters; the parameters are bound with crm_expr_bind, and the statement
 * is stepped to the end. Any of these is a bug and aborts:
 *   - a compile that succeeds but whose SQL fails to prepare or to run;
 *   - a parameter the SQL never uses, or one it uses but was not given;
 *   - user text in the SQL: a double quote, a semicolon or a non-ASCII byte
 *     (the fixed fragments hold none, so these can only come from input);
 *   - a failed compile without a "L:C: message" error and code 64, or a
 *     successful one that left an error set.
 * The condition is placed after a parameter of the caller's own (?1), with
 * base 2, as crm-contact --filter does.
 *
 * A SQLite-backend fuzzer: whether every parameter is used is SQLite's
 * sqlite3_bind_parameter_name() on the same text, prepared again on the
 * store's own connection (crm_store_native). The store is removed at exit.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "filter/expr.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1718452800 /* 2024-06-15T12:00:00Z */
#define BASE 2

#define FAIL(...)                                                       \
	do {                                                            \
		fprintf(stderr, "fuzz_expr: " __VA_ARGS__);             \
		fputc('\n', stderr);                                    \
		abort();                                                \
	} while (0)

static const char seed_sql[] =
	"INSERT INTO contacts (id, uid, first_name, country, city, birthdate, status,"
	" email_opt_out, created_at, updated_at) VALUES"
	" (1, 'u1', 'Jane', 'NL', 'Amsterdam', '1990-06-15', 'customer', 0,"
	"  '2024-01-01T10:00:00Z', '2024-01-01T10:00:00Z'),"
	" (2, 'u2', 'John', 'de', NULL, '2000-06-16', 'lead', 1,"
	"  '2023-05-05T00:00:00Z', '2024-02-01T00:00:00Z'),"
	" (3, 'u3', '', '', '', NULL, 'prospect', 0,"
	"  '2022-12-31T23:59:59Z', '2022-12-31T23:59:59Z');"
	"INSERT INTO contact_tags VALUES (1, 'vip'), (2, 'gold'), (2, 'vip');"
	"INSERT INTO contact_fields VALUES (1, 'shoe_size', '38'), (2, 'shoe_size', 'large'),"
	" (3, 'shoe_size', '1-2'), (1, 'note', '');"
	"INSERT INTO interactions (contact_id, at, channel, type, amount, currency,"
	" direction, due_at, done_at, created_at) VALUES"
	" (1, '2024-06-01T00:00:00Z', 'web', 'purchase', 1050, 'EUR', 'in', NULL, NULL, 'x'),"
	" (1, '2024-06-10T00:00:00Z', 'email', 'email', NULL, NULL, 'out', NULL, NULL, 'x'),"
	" (2, '2023-01-01T00:00:00Z', 'phone', 'call', NULL, NULL, 'in', NULL, NULL, 'x'),"
	" (2, '2024-06-20T00:00:00Z', 'other', 'task', NULL, NULL, NULL,"
	"  '2024-06-20T00:00:00Z', NULL, 'x');"
	"INSERT INTO contact_rfm VALUES (1, 5, 4, 3, 14, 1, 1050, 'champions', '2024-06-15');"
	"INSERT INTO contact_clusters VALUES (1, 0), (2, 1);";

static struct crm_store *store;
static char dir[64];
static char path[96];

/* Closes the store and removes it, its -wal and -shm files and dir. */
static void close_store(void)
{
	static const char *const tails[] = { "", "-wal", "-shm" };
	char name[128];

	crm_store_close(store);
	store = NULL;
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, tails[i]);
		unlink(name);
	}
	rmdir(dir);
}

static void open_store(void)
{
	struct crm_err e = { 0, "" };
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/fuzz_expr.XXXXXX",
		 tmp != NULL && *tmp != '\0' && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		FAIL("mkdtemp %s failed", dir);
	snprintf(path, sizeof(path), "%s/crm.db", dir);
	if (crm_store_open(path, "fuzz", &store, &e) != 0)
		FAIL("open %s: %s", path, e.msg);
	atexit(close_store);
	if (crm_store_exec(store, seed_sql, &e) != 0)
		FAIL("seed: %s", e.msg);
}

/* Every parameter from BASE to n is one the SQL uses (SQLite names only
 * those: ?N is unnamed when the text has no ?N). */
static void check_params_used(const char *input, const char *what, const char *sql, int n)
{
	sqlite3 *db = crm_store_native(store);
	sqlite3_stmt *raw = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &raw, NULL) != SQLITE_OK)
		FAIL("%s: prepare failed: %s\ninput: %s\nsql: %s", what, sqlite3_errmsg(db),
		     input, sql);
	for (int i = BASE; i <= n; i++)
		if (sqlite3_bind_parameter_name(raw, i) == NULL)
			FAIL("%s: parameter ?%d is never used\ninput: %s\nsql: %s",
			     what, i, input, sql);
	sqlite3_finalize(raw);
}

/* Checks the compiled SQL for signs of user text and runs it. */
static void run(const char *input, const char *what, const char *sql_fmt,
		const struct crm_expr_sql *x)
{
	struct crm_buf sql = CRM_BUF_INIT;
	const char *where = crm_buf_str(&x->where);
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = NULL;
	int rc, n;

	for (const char *p = where; *p != '\0'; p++)
		if (*p == '"' || *p == ';' || (unsigned char)*p >= 0x80)
			FAIL("%s: user text in the SQL (byte 0x%02x)\ninput: %s\nsql: %s",
			     what, (unsigned char)*p, input, where);
	crm_buf_addf(&sql, sql_fmt, where);
	if (crm_store_prepare_built(store, crm_buf_str(&sql), &st, &e) != 0)
		FAIL("%s: prepare failed: %s\ninput: %s\nsql: %s", what,
		     e.msg, input, crm_buf_str(&sql));
	n = crm_bind_count(st);
	if (n != BASE - 1 + (int)x->nparams)
		FAIL("%s: the SQL uses %d parameters, %zu were given\ninput: %s\nsql: %s",
		     what, n - (BASE - 1), x->nparams, input, crm_buf_str(&sql));
	check_params_used(input, what, crm_buf_str(&sql), n);
	crm_bind_int64(st, 1, 0);
	crm_expr_bind(x, st);
	while ((rc = crm_store_step(store, st, &e)) == CRM_ROW)
		;
	if (rc != CRM_DONE)
		FAIL("%s: step failed: %s\ninput: %s\nsql: %s", what,
		     e.msg, input, crm_buf_str(&sql));
	crm_stmt_free(st);
	crm_buf_free(&sql);
}

/* A failed compile must say where: "L:C: message", code 64. */
static void check_error(const char *input, const char *what, int rc,
			const struct crm_err *e)
{
	const char *p = e->msg;

	if (rc != CRM_EX_USAGE || e->code != CRM_EX_USAGE)
		FAIL("%s: code %d/%d\ninput: %s", what, rc, e->code, input);
	if (!isdigit((unsigned char)*p))
		FAIL("%s: no position in \"%s\"\ninput: %s", what, e->msg, input);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':' || !isdigit((unsigned char)*p))
		FAIL("%s: no column in \"%s\"\ninput: %s", what, e->msg, input);
	while (isdigit((unsigned char)*p))
		p++;
	if (strncmp(p, ": ", 2) != 0 || p[2] == '\0')
		FAIL("%s: no message in \"%s\"\ninput: %s", what, e->msg, input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct crm_expr_sql x;
	struct crm_err e = { 0, "" };
	int rc;

	if (text == NULL)
		return 0;
	if (store == NULL)
		open_store();
	memcpy(text, data, size);
	text[size] = '\0';

	rc = crm_expr_compile(text, NOW, BASE, &x, &e);
	if (rc == 0) {
		if (e.code != 0)
			FAIL("compile: success with an error set: %s\ninput: %s", e.msg, text);
		run(text, "compile", "SELECT c.id FROM contacts c WHERE c.id > ?1 AND %s ORDER BY c.id", &x);
	} else {
		check_error(text, "compile", rc, &e);
	}
	crm_expr_sql_free(&x);

	crm_err_clear(&e);
	rc = crm_expr_value(text, NOW, BASE, &x, &e);
	if (rc == 0)
		run(text, "value", "SELECT c.id, %s FROM contacts c WHERE c.id > ?1", &x);
	else
		check_error(text, "value", rc, &e);
	crm_expr_sql_free(&x);

	/* As a listing's column: runs, or is unknown (nothing set), or a
	 * usage error with a message (no position: a column has none). */
	crm_err_clear(&e);
	{
		enum crm_expr_show show;

		rc = crm_expr_column(text, NOW, BASE, &x, &show, &e);
		if (rc == 0)
			run(text, "column", "SELECT c.id, %s FROM contacts c WHERE c.id > ?1", &x);
		else if (rc == CRM_EX_NOTFOUND ? e.code != 0 || e.msg[0] != '\0'
			 : rc != CRM_EX_USAGE || e.code != CRM_EX_USAGE || e.msg[0] == '\0')
			FAIL("column: code %d/%d \"%s\"\ninput: %s", rc, e.code, e.msg, text);
	}
	crm_expr_sql_free(&x);
	free(text);
	return 0;
}

#ifdef FUZZ_REPLAY_MAIN
/* A plain driver for replaying inputs without libFuzzer, e.g. under
 * valgrind: fuzz_expr_replay FILE... */
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
	close_store();
	return 0;
}
#endif
