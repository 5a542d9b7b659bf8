/* segment.c - saved segments and their snapshots. */
#include "segment/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/num.h"
#include "filter/expr.h"
#include "store/store.h"
#include "base/xalloc.h"

int crm_segment_check_name(const char *name, struct crm_err *e)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || !(name[0] >= 'a' && name[0] <= 'z'))
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_' || name[i] == '-'))
			goto bad;
	return 0;
bad:
	return crm_err_set(e, CRM_EX_USAGE,
			   "invalid segment name \"%.64s\" (a-z, 0-9, _ and -, starting with a letter)",
			   name);
}

int crm_segment_resolve(struct crm_store *s, const char *arg, char **expr,
			char **name, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT expr FROM segments WHERE name = ?1");
	int rc;

	*expr = NULL;
	*name = NULL;
	/* Only what could be a segment's name is looked up: anything else
	 * is an expression (whose own checks then speak, such as one of
	 * invalid UTF-8, which a PostgreSQL server would refuse to see). */
	if (crm_segment_check_name(arg, NULL) != 0) {
		*expr = xstrdup(arg);
		return 0;
	}
	crm_bind_text_ref(st, 1, arg);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		*expr = xstrdup((const char *)crm_column_text(st, 0));
		*name = xstrdup(arg);
	}
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (*expr == NULL)
		*expr = xstrdup(arg);
	return 0;
}

/* Compiles expr only to check it. */
static int check_expr(const char *expr, int64_t now, struct crm_err *e)
{
	struct crm_expr_sql x;
	int rc = crm_expr_compile(expr, now, 1, &x, e);

	crm_expr_sql_free(&x);
	return rc;
}

int crm_segment_save(struct crm_store *s, const char *name, const char *expr,
		     int replace, int64_t now, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc = crm_segment_check_name(name, e);

	if (rc == 0)
		rc = check_expr(expr, now, e);
	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, replace
		? "INSERT INTO segments (name, expr, created_at, updated_at, created_by)"
		  " VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT (name) DO UPDATE SET"
		  " expr = excluded.expr, updated_at = excluded.updated_at"
		: "INSERT INTO segments (name, expr, created_at, updated_at, created_by)"
		  " VALUES (?1, ?2, ?3, ?3, ?4)");
	crm_bind_text_ref(st, 1, name);
	crm_bind_text_ref(st, 2, expr);
	crm_bind_text_ref(st, 3, crm_store_now(s));
	crm_bind_text_ref(st, 4, crm_store_who(s));
	rc = crm_store_run(s, st, e);
	if (rc == CRM_EX_DATAERR)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "segment \"%s\" exists (use --replace to change it)", name);
	return rc;
}

int crm_segment_remove(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "DELETE FROM segments WHERE name = ?1");

	crm_bind_text_ref(st, 1, name);
	return crm_store_run_named(s, st, e, "no segment \"%.64s\"", name);
}

/* Runs "INSERT INTO segment_members SELECT ?1, c.id FROM contacts c WHERE
 * <expr>" or "SELECT count(*) ..." with the expression compiled after
 * the leading parameters. */
static int run_expr(struct crm_store *s, const char *head, int nhead,
		    int64_t first, const char *expr, int64_t now, int64_t *count,
		    struct crm_err *e)
{
	struct crm_expr_sql x;
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	int rc;

	rc = crm_expr_compile(expr, now, nhead + 1, &x, e);
	if (rc != 0)
		goto out;
	/* NOT INDEXED: read contacts in id order. For count(*) SQLite would
	 * walk the email index, and the per-contact lookups would then land
	 * all over the interactions (3.4 s instead of 0.75 s at 1M). */
	/* An erased contact is kept only so reports count right: no segment,
	 * count or snapshot has her (as run lists her not, contact_query.c). */
	crm_buf_addf(&sql, "%s FROM contacts c NOT INDEXED WHERE c.erased_at IS NULL AND (%s)", head,
		     crm_buf_str(&x.where));
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	if (rc != 0)
		goto out;
	if (nhead > 0)
		crm_bind_int64(st, 1, first);
	crm_expr_bind(&x, st);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		*count = crm_column_int64(st, 0);
		rc = 0;
	} else if (rc == CRM_DONE) {
		*count = crm_store_changes(s);
		rc = 0;
	} else {
		rc = e->code;
	}
out:
	crm_stmt_free(st);
	crm_expr_sql_free(&x);
	crm_buf_free(&sql);
	return rc;
}

int crm_segment_count(struct crm_store *s, const char *expr, int64_t now,
		      int64_t *count, struct crm_err *e)
{
	return run_expr(s, "SELECT count(*)", 0, 0, expr, now, count, e);
}

int crm_segment_snapshot(struct crm_store *s, const char *name,
			 const char *label, int64_t now, int64_t *id,
			 int64_t *size, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id, expr FROM segments WHERE name = ?1");
	int64_t segment_id = 0;
	char *expr = NULL;
	int rc;

	crm_bind_text_ref(st, 1, name);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		segment_id = crm_column_int64(st, 0);
		expr = xstrdup((const char *)crm_column_text(st, 1));
	}
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (expr == NULL)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no segment \"%.64s\"", name);
	st = crm_store_prepare(s,
		"INSERT INTO segment_snapshots (segment_id, taken_at, expr, size, label, taken_by)"
		" VALUES (?1, ?2, ?3, 0, ?4, ?5) RETURNING id");
	crm_bind_int64(st, 1, segment_id);
	crm_bind_text_ref(st, 2, crm_store_now(s));
	crm_bind_text_ref(st, 3, expr);
	crm_bind_text(st, 4, label);
	crm_bind_text_ref(st, 5, crm_store_who(s));
	rc = crm_store_insert_id(s, st, id, e);
	if (rc == 0) {
		rc = run_expr(s, "INSERT INTO segment_members (snapshot_id, contact_id) SELECT ?1, c.id",
			      1, *id, expr, now, size, e);
	}
	if (rc == 0) {
		st = crm_store_prepare(s, "UPDATE segment_snapshots SET size = ?2 WHERE id = ?1");
		crm_bind_int64(st, 1, *id);
		crm_bind_int64(st, 2, *size);
		rc = crm_store_run(s, st, e);
	}
	free(expr);
	return rc;
}

/* A copy of column i of st's row (a NOT NULL column). */
static char *column(struct crm_stmt *st, int i)
{
	return xstrdup((const char *)crm_column_text(st, i));
}

/* Steps st for its one row: 0 with the row there to read (the caller
 * resets st), else st reset and CRM_EX_NOTFOUND (`no WHAT "NAME"`) or
 * the step's error. */
static int one_row(struct crm_store *s, struct crm_stmt *st, const char *what,
		   const char *name, struct crm_err *e)
{
	int rc = crm_store_step(s, st, e);

	if (rc == CRM_ROW)
		return 0;
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	return crm_err_set(e, CRM_EX_NOTFOUND, "no %s \"%s\"", what, name);
}

int crm_segment_get(struct crm_store *s, const char *name,
		    struct crm_segment_info *g, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT name, expr, created_at, created_by,"
					     " updated_at FROM segments WHERE name = ?1");
	int rc;

	memset(g, 0, sizeof(*g));
	crm_bind_text(st, 1, name);
	rc = one_row(s, st, "segment", name, e);
	if (rc == 0) {
		g->name = column(st, 0);
		g->expr = column(st, 1);
		g->created_at = column(st, 2);
		g->created_by = column(st, 3);
		g->updated_at = column(st, 4);
		crm_stmt_reset(st);
	}
	return rc;
}

void crm_segment_info_free(struct crm_segment_info *g)
{
	free(g->name);
	free(g->expr);
	free(g->created_at);
	free(g->created_by);
	free(g->updated_at);
	memset(g, 0, sizeof(*g));
}

int crm_segment_snapshot_id(struct crm_store *s, const char *arg, int64_t *id,
			    struct crm_err *e)
{
	const char *tilde = strchr(arg, '~'), *why;
	int64_t back = 0;
	struct crm_stmt *st;
	char name[80];
	int rc;

	if (crm_parse_i64(arg, 1, INT64_MAX, id, &why) == 0) {
		/* An id must name a snapshot that exists. */
		st = crm_store_prepare(s, "SELECT id FROM segment_snapshots WHERE id = ?1");
		crm_bind_int64(st, 1, *id);
	} else {
		snprintf(name, sizeof(name), "%.*s", tilde != NULL ? (int)(tilde - arg) : 79, arg);
		if (tilde != NULL && crm_parse_i64(tilde + 1, 0, 1000000, &back, &why) != 0)
			return crm_err_set(e, CRM_EX_USAGE,
					   "bad snapshot \"%s\" (use an id, NAME or NAME~N)", arg);
		st = crm_store_prepare(s,
			"SELECT p.id FROM segment_snapshots p JOIN segments g ON g.id = p.segment_id"
			" WHERE g.name = ?1 ORDER BY p.id DESC LIMIT 1 OFFSET ?2");
		crm_bind_text(st, 1, name);
		crm_bind_int64(st, 2, back);
	}
	rc = one_row(s, st, "snapshot", arg, e);
	if (rc == 0) {
		*id = crm_column_int64(st, 0);
		crm_stmt_reset(st);
	}
	return rc;
}

struct crm_stmt *crm_segment_list_query(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT g.id, g.name, g.expr, count(p.id), max(p.taken_at), g.updated_at"
		" FROM segments g LEFT JOIN segment_snapshots p ON p.segment_id = g.id"
		" GROUP BY g.id ORDER BY g.name");
}

struct crm_stmt *crm_segment_snapshots_query(struct crm_store *s, const char *name)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT p.id, p.taken_at, p.size, p.label, p.taken_by, p.expr"
		" FROM segment_snapshots p JOIN segments g ON g.id = p.segment_id"
		" WHERE g.name = ?1 ORDER BY p.id");

	crm_bind_text(st, 1, name);
	return st;
}

struct crm_stmt *crm_segment_diff_query(struct crm_store *s, int64_t a, int64_t b)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT m.contact_id, c.email, 'entered' FROM segment_members m"
		" LEFT JOIN contacts c ON c.id = m.contact_id WHERE m.snapshot_id = ?2"
		" AND m.contact_id NOT IN (SELECT contact_id FROM segment_members WHERE snapshot_id = ?1)"
		" UNION ALL SELECT m.contact_id, c.email, 'left' FROM segment_members m"
		" LEFT JOIN contacts c ON c.id = m.contact_id WHERE m.snapshot_id = ?1"
		" AND m.contact_id NOT IN (SELECT contact_id FROM segment_members WHERE snapshot_id = ?2)"
		" ORDER BY 1");

	crm_bind_int64(st, 1, a);
	crm_bind_int64(st, 2, b);
	return st;
}
