/* pipeline.c - pipelines and stages (pipeline.h). */
#include "lead/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "store/store.h"

static const char *const kind_names[] = { "open", "won", "lost" };

const char *crm_stage_kind_name(enum crm_stage_kind k)
{
	return kind_names[k];
}

int crm_stage_kind_parse(const char *s, enum crm_stage_kind *k, struct crm_err *e)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum crm_stage_kind)i;
			return 0;
		}
	return crm_err_set(e, CRM_EX_USAGE, "invalid stage kind \"%.64s\" (open, won or lost)", s);
}

int crm_probability_parse(const char *s, int *out, struct crm_err *e)
{
	size_t n = strlen(s);
	long v = 0;

	if (n > 0 && s[n - 1] == '%')
		n--;
	if (n == 0 || n > 3)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 100)
		goto bad;
	*out = (int)v;
	return 0;
bad:
	return crm_err_set(e, CRM_EX_USAGE, "invalid probability \"%.64s\" (a whole 0%% to 100%%)", s);
}

int crm_pipeline_check_name(const char *what, const char *name, struct crm_err *e)
{
	size_t n = strlen(name), digits = strspn(name, "0123456789");

	if (n == 0 || n > 100)
		return crm_err_set(e, CRM_EX_USAGE, "invalid %s name \"%.64s\" (1 to 100 bytes)",
				   what, name);
	if (digits == n)
		return crm_err_set(e, CRM_EX_USAGE, "invalid %s name \"%.64s\" (not a number)",
				   what, name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return crm_err_set(e, CRM_EX_USAGE,
					   "invalid %s name: control character in it", what);
	return 0;
}

/* ---- pipelines -------------------------------------------------------------- */

static const struct {
	const char *name;
	int probability;
	enum crm_stage_kind kind;
} default_stages[] = {
	{ "new", 10, CRM_STAGE_OPEN },
	{ "qualified", 25, CRM_STAGE_OPEN },
	{ "proposal", 50, CRM_STAGE_OPEN },
	{ "negotiation", 75, CRM_STAGE_OPEN },
	{ "won", 100, CRM_STAGE_WON },
	{ "lost", 0, CRM_STAGE_LOST },
};

int crm_pipeline_ensure(struct crm_store *s, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT 1 FROM pipelines LIMIT 1");
	int64_t id;
	int rc = crm_store_step(s, st, e);

	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc == CRM_ROW)
		return 0;
	rc = crm_pipeline_add(s, CRM_DEFAULT_PIPELINE, &id, e);
	for (size_t i = 0; rc == 0 && i < sizeof(default_stages) / sizeof(default_stages[0]); i++)
		rc = crm_stage_add(s, CRM_DEFAULT_PIPELINE, default_stages[i].name,
				   default_stages[i].probability, (int64_t)i + 1,
				   default_stages[i].kind, e);
	return rc;
}

int crm_pipeline_find(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM pipelines WHERE name = ?1");
	int rc;

	crm_bind_text(st, 1, name);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW)
		*id = crm_column_int64(st, 0);
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc != CRM_ROW)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no pipeline \"%.64s\"", name);
	return 0;
}

/* A pipeline or stage a command names that is not there is bad data
 * (65, crm-lead(1)), not an empty result. */
static int not_there(int rc, struct crm_err *e)
{
	if (rc == CRM_EX_NOTFOUND)
		e->code = rc = CRM_EX_DATAERR;
	return rc;
}

int crm_pipeline_add(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t old;
	int rc = crm_pipeline_check_name("pipeline", name, e);

	if (rc != 0)
		return rc;
	rc = crm_pipeline_find(s, name, &old, e);
	if (rc == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "pipeline \"%.64s\" exists", name);
	if (rc != CRM_EX_NOTFOUND)
		return rc;
	st = crm_store_prepare(s, "INSERT INTO pipelines (name, created_at) VALUES (?1, ?2)"
			       " RETURNING id");
	crm_bind_text(st, 1, name);
	crm_bind_text(st, 2, crm_store_now(s));
	return crm_store_insert_id(s, st, id, e);
}

/* How many deals rows of sql's ?1 hold. */
static int count_of(struct crm_store *s, const char *sql, int64_t id, int64_t *n,
		    struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, sql);
	int rc;

	crm_bind_int64(st, 1, id);
	rc = crm_store_step(s, st, e);
	*n = rc == CRM_ROW ? crm_column_int64(st, 0) : 0;
	crm_stmt_reset(st);
	return rc < 0 ? e->code : 0;
}

int crm_pipeline_rm(struct crm_store *s, const char *name, struct crm_err *e)
{
	struct crm_stmt *st;
	int64_t id, n;
	int rc = not_there(crm_pipeline_find(s, name, &id, e), e);

	if (rc == 0)
		rc = count_of(s, "SELECT count(*) FROM leads WHERE pipeline_id = ?1", id, &n, e);
	if (rc != 0)
		return rc;
	if (n > 0)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "pipeline \"%.64s\" holds %lld deals: move or remove them first",
				   name, (long long)n);
	st = crm_store_prepare(s, "DELETE FROM pipelines WHERE id = ?1");
	crm_bind_int64(st, 1, id);
	return crm_store_run(s, st, e);
}

struct crm_stmt *crm_pipeline_list_stmt(struct crm_store *s)
{
	return crm_store_prepare(s,
		"SELECT p.name,"
		" (SELECT count(*) FROM stages WHERE pipeline_id = p.id),"
		" (SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id"
		"  WHERE l.pipeline_id = p.id AND t.kind = 'open'),"
		" (SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id"
		"  WHERE l.pipeline_id = p.id AND t.kind = 'won'),"
		" (SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id"
		"  WHERE l.pipeline_id = p.id AND t.kind = 'lost')"
		" FROM pipelines p ORDER BY p.id");
}

struct crm_stmt *crm_pipeline_stages_stmt(struct crm_store *s, int64_t id)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT p.name, t.position, t.name, t.probability, t.kind,"
		" (SELECT count(*) FROM leads WHERE stage_id = t.id)"
		" FROM stages t JOIN pipelines p ON p.id = t.pipeline_id"
		" WHERE t.pipeline_id = ?1 ORDER BY t.position, t.id");

	crm_bind_int64(st, 1, id);
	return st;
}

/* ---- stages ----------------------------------------------------------------- */

#define STAGE_COLS "SELECT t.id, t.pipeline_id, t.name, p.name, t.probability, t.kind," \
	" t.position FROM stages t JOIN pipelines p ON p.id = t.pipeline_id"

static void read_stage(struct crm_stmt *st, struct crm_stage *out)
{
	const char *k = crm_column_text(st, 5);

	out->id = crm_column_int64(st, 0);
	out->pipeline_id = crm_column_int64(st, 1);
	snprintf(out->name, sizeof(out->name), "%s", crm_column_text(st, 2));
	snprintf(out->pipeline, sizeof(out->pipeline), "%s", crm_column_text(st, 3));
	out->probability = crm_column_int(st, 4);
	out->kind = strcmp(k, "won") == 0 ? CRM_STAGE_WON
		: strcmp(k, "lost") == 0 ? CRM_STAGE_LOST : CRM_STAGE_OPEN;
	out->position = crm_column_int64(st, 6);
}

/* Steps st for one stage; CRM_EX_NOTFOUND (e untouched) for none. */
static int one_stage(struct crm_store *s, struct crm_stmt *st, struct crm_stage *out,
		     struct crm_err *e)
{
	int rc = crm_store_step(s, st, e);

	if (rc == CRM_ROW)
		read_stage(st, out);
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	return rc == CRM_ROW ? 0 : CRM_EX_NOTFOUND;
}

/* The default pipeline's id: "default" when it is there, else the first. */
static int default_pipeline(struct crm_store *s, int64_t *id, struct crm_err *e)
{
	/* two index lookups: an ORDER BY here built a sorter on every call,
	 * 28% of an import's instructions (bench-lead) */
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT coalesce((SELECT id FROM pipelines WHERE name = ?1),"
		" (SELECT min(id) FROM pipelines))");
	int rc;

	crm_bind_text(st, 1, CRM_DEFAULT_PIPELINE);
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW && crm_column_text(st, 0) != NULL)
		*id = crm_column_int64(st, 0);
	else if (rc == CRM_ROW)
		rc = CRM_DONE;
	crm_stmt_reset(st);
	if (rc < 0)
		return e->code;
	if (rc != CRM_ROW)
		return crm_err_set(e, CRM_EX_NOTFOUND, "no pipeline yet (crm-lead pipeline add NAME)");
	return 0;
}

int crm_stage_find(struct crm_store *s, int64_t pipeline_id, const char *name,
		   struct crm_stage *out, struct crm_err *e)
{
	struct crm_stmt *st;
	int rc = pipeline_id > 0 ? 0 : default_pipeline(s, &pipeline_id, e);

	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, STAGE_COLS " WHERE t.pipeline_id = ?1 AND t.name = ?2");
	crm_bind_int64(st, 1, pipeline_id);
	crm_bind_text(st, 2, name);
	rc = one_stage(s, st, out, e);
	if (rc == CRM_EX_NOTFOUND) {
		struct crm_stmt *p = crm_store_prepare(s, "SELECT name FROM pipelines WHERE id = ?1");
		char pname[128] = "";

		crm_bind_int64(p, 1, pipeline_id);
		if (crm_store_step(s, p, e) == CRM_ROW)
			snprintf(pname, sizeof(pname), "%s", crm_column_text(p, 0));
		crm_stmt_reset(p);
		return crm_err_set(e, CRM_EX_NOTFOUND, "no stage \"%.64s\" in pipeline \"%.64s\"",
				   name, pname);
	}
	return rc;
}

int crm_stage_get(struct crm_store *s, int64_t id, struct crm_stage *out, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, STAGE_COLS " WHERE t.id = ?1");
	int rc;

	crm_bind_int64(st, 1, id);
	rc = one_stage(s, st, out, e);
	if (rc == CRM_EX_NOTFOUND)
		return crm_err_set(e, CRM_EX_SOFTWARE, "stage %lld is gone", (long long)id);
	return rc;
}

int crm_stage_first(struct crm_store *s, int64_t pipeline_id, struct crm_stage *out,
		    struct crm_err *e)
{
	struct crm_stmt *st;
	int rc = pipeline_id > 0 ? 0 : default_pipeline(s, &pipeline_id, e);

	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, STAGE_COLS " WHERE t.pipeline_id = ?1 AND t.kind = 'open'"
			       " ORDER BY t.position, t.id LIMIT 1");
	crm_bind_int64(st, 1, pipeline_id);
	rc = one_stage(s, st, out, e);
	if (rc == CRM_EX_NOTFOUND)
		return crm_err_set(e, CRM_EX_DATAERR, "pipeline has no open stage for a new deal"
				   " (crm-lead stage add)");
	return rc;
}

/* Puts stage id at place position (1 is first) of its pipeline, the
 * others after it moving down one and keeping their order; a place past
 * the last is the last. The stages are numbered 1..n again. */
static int stage_place(struct crm_store *s, int64_t pid, int64_t id, int64_t position,
		       struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT id FROM stages WHERE pipeline_id = ?1"
						" AND id <> ?2 ORDER BY position, id");
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int step, rc = 0;

	crm_bind_int64(st, 1, pid);
	crm_bind_int64(st, 2, id);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		ids[n++] = crm_column_int64(st, 0);
	}
	if (step < 0) {
		free(ids);
		return e->code;
	}
	if (n + 1 > cap)
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
	if (position > (int64_t)n + 1)
		position = (int64_t)n + 1;
	memmove(ids + position, ids + position - 1, (n - (size_t)(position - 1)) * sizeof(*ids));
	ids[position - 1] = id;
	for (size_t i = 0; rc == 0 && i <= n; i++) {
		st = crm_store_prepare(s, "UPDATE stages SET position = ?2 WHERE id = ?1"
				       " AND position <> ?2");
		crm_bind_int64(st, 1, ids[i]);
		crm_bind_int64(st, 2, (int64_t)i + 1);
		rc = crm_store_run(s, st, e);
	}
	free(ids);
	return rc;
}

int crm_stage_add(struct crm_store *s, const char *pipeline, const char *name,
		  int probability, int64_t position, enum crm_stage_kind kind, struct crm_err *e)
{
	struct crm_stage old;
	struct crm_stmt *st;
	int64_t pid, id;
	int rc = crm_pipeline_check_name("stage", name, e);

	if (rc == 0)
		rc = not_there(crm_pipeline_find(s, pipeline, &pid, e), e);
	if (rc != 0)
		return rc;
	rc = crm_stage_find(s, pid, name, &old, e);
	if (rc == 0)
		return crm_err_set(e, CRM_EX_DATAERR, "stage \"%.64s\" exists in pipeline \"%.64s\"",
				   name, pipeline);
	if (rc != CRM_EX_NOTFOUND)
		return rc;
	st = crm_store_prepare(s,
		"INSERT INTO stages (pipeline_id, name, position, probability, kind)"
		" VALUES (?1, ?2, CASE WHEN ?3 > 0 THEN ?3 ELSE (SELECT coalesce(max(position), 0) + 1"
		" FROM stages WHERE pipeline_id = ?1) END, ?4, ?5) RETURNING id");
	crm_bind_int64(st, 1, pid);
	crm_bind_text(st, 2, name);
	crm_bind_int64(st, 3, position);
	crm_bind_int(st, 4, probability);
	crm_bind_text(st, 5, crm_stage_kind_name(kind));
	rc = crm_store_insert_id(s, st, &id, e);
	return rc == 0 && position > 0 ? stage_place(s, pid, id, position, e) : rc;
}

int crm_stage_edit(struct crm_store *s, const char *pipeline, const char *name,
		   const char *new_name, int probability, int64_t position,
		   const enum crm_stage_kind *kind, struct crm_err *e)
{
	struct crm_stage t, other;
	struct crm_stmt *st;
	int64_t pid, n;
	int rc = not_there(crm_pipeline_find(s, pipeline, &pid, e), e);

	if (rc == 0)
		rc = not_there(crm_stage_find(s, pid, name, &t, e), e);
	if (rc != 0)
		return rc;
	if (new_name != NULL) {
		rc = crm_pipeline_check_name("stage", new_name, e);
		if (rc == 0 && strcmp(new_name, t.name) != 0) {
			rc = crm_stage_find(s, pid, new_name, &other, e);
			if (rc == 0 && other.id != t.id)
				return crm_err_set(e, CRM_EX_DATAERR,
						   "stage \"%.64s\" exists in pipeline \"%.64s\"",
						   new_name, pipeline);
			rc = rc == CRM_EX_NOTFOUND || rc == 0 ? 0 : rc;
		}
		if (rc != 0)
			return rc;
	}
	if (kind != NULL && *kind != t.kind) {
		rc = count_of(s, "SELECT count(*) FROM leads WHERE stage_id = ?1", t.id, &n, e);
		if (rc != 0)
			return rc;
		if (n > 0)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "stage \"%.64s\" holds %lld deals: its kind stays %s",
					   t.name, (long long)n, crm_stage_kind_name(t.kind));
	}
	st = crm_store_prepare(s,
		"UPDATE stages SET name = coalesce(?2, name),"
		" probability = CASE WHEN ?3 >= 0 THEN ?3 ELSE probability END,"
		" position = CASE WHEN ?4 > 0 THEN ?4 ELSE position END,"
		" kind = coalesce(?5, kind) WHERE id = ?1");
	crm_bind_int64(st, 1, t.id);
	if (new_name != NULL)
		crm_bind_text(st, 2, new_name);
	else
		crm_bind_null(st, 2);
	crm_bind_int(st, 3, probability);
	crm_bind_int64(st, 4, position);
	if (kind != NULL)
		crm_bind_text(st, 5, crm_stage_kind_name(*kind));
	else
		crm_bind_null(st, 5);
	rc = crm_store_run(s, st, e);
	/* the deals' stage history names the stage by name: renamed there
	 * too, so show and velocity keep counting its spells */
	for (int col = 0; rc == 0 && new_name != NULL && strcmp(new_name, t.name) != 0 && col < 2;
	     col++) {
		st = crm_store_prepare(s, col == 0 ?
			"UPDATE lead_events SET to_stage = ?3 WHERE lower(to_stage) = lower(?2)"
			" AND lead_id IN (SELECT id FROM leads WHERE pipeline_id = ?1)" :
			"UPDATE lead_events SET from_stage = ?3 WHERE lower(from_stage) = lower(?2)"
			" AND lead_id IN (SELECT id FROM leads WHERE pipeline_id = ?1)");
		crm_bind_int64(st, 1, pid);
		crm_bind_text(st, 2, t.name);
		crm_bind_text(st, 3, new_name);
		rc = crm_store_run(s, st, e);
	}
	return rc == 0 && position > 0 ? stage_place(s, pid, t.id, position, e) : rc;
}

int crm_stage_rm(struct crm_store *s, const char *pipeline, const char *name,
		 const char *move_to, const char *who, int64_t *moved, struct crm_err *e)
{
	struct crm_stage t, to;
	struct crm_stmt *st;
	int64_t pid, n;
	int rc = not_there(crm_pipeline_find(s, pipeline, &pid, e), e);

	*moved = 0;
	if (rc == 0)
		rc = not_there(crm_stage_find(s, pid, name, &t, e), e);
	if (rc == 0)
		rc = count_of(s, "SELECT count(*) FROM leads WHERE stage_id = ?1", t.id, &n, e);
	if (rc != 0)
		return rc;
	if (n > 0 && move_to == NULL)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "stage \"%.64s\" holds %lld deals: remove it with --move-to STAGE",
				   t.name, (long long)n);
	if (n > 0) {
		rc = not_there(crm_stage_find(s, pid, move_to, &to, e), e);
		if (rc != 0)
			return rc;
		if (to.id == t.id)
			return crm_err_set(e, CRM_EX_USAGE, "--move-to names the stage removed");
		if (to.kind != t.kind)
			return crm_err_set(e, CRM_EX_DATAERR,
					   "stage \"%.64s\" is %s and \"%.64s\" %s: its deals move"
					   " only to a stage of the same kind", t.name,
					   crm_stage_kind_name(t.kind), to.name,
					   crm_stage_kind_name(to.kind));
		st = crm_store_prepare(s,
			"INSERT INTO lead_events (lead_id, contact_id, at, kind, from_stage, to_stage,"
			" who, detail) SELECT id, contact_id, ?3, 'moved', ?4, ?5, ?6,"
			" 'stage removed' FROM leads WHERE stage_id = ?1");
		crm_bind_int64(st, 1, t.id);
		crm_bind_text(st, 3, crm_store_now(s));
		crm_bind_text(st, 4, t.name);
		crm_bind_text(st, 5, to.name);
		crm_bind_text(st, 6, who);
		rc = crm_store_run(s, st, e);
		if (rc != 0)
			return rc;
		st = crm_store_prepare(s, "UPDATE leads SET stage_id = ?2, stage_at = ?3, updated_at = ?3"
				       " WHERE stage_id = ?1");
		crm_bind_int64(st, 1, t.id);
		crm_bind_int64(st, 2, to.id);
		crm_bind_text(st, 3, crm_store_now(s));
		rc = crm_store_run(s, st, e);
		if (rc != 0)
			return rc;
		*moved = crm_store_changes(s);
	}
	st = crm_store_prepare(s, "DELETE FROM stages WHERE id = ?1");
	crm_bind_int64(st, 1, t.id);
	return crm_store_run(s, st, e);
}

int crm_stage_option(struct crm_stage_args *a, int opt, const char *arg, struct crm_err *e)
{
	char *end;

	switch (opt - CRM_STAGE_OPT) {
	case 0:
		return crm_probability_parse(arg, &a->probability, e);
	case 1:
		if ((a->order = strtol(arg, &end, 10)) < 1 || *end != '\0')
			return crm_err_set(e, CRM_EX_USAGE, "--order takes a whole number from 1");
		return 0;
	case 2:
		a->has_kind = 1;
		return crm_stage_kind_parse(arg, &a->kind, e);
	case 3:
		a->name = arg;
		return 0;
	case 4:
		a->move_to = arg;
		return 0;
	default:
		return crm_err_set(e, CRM_EX_USAGE, "unexpected option");
	}
}
