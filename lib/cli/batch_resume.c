/* batch_resume.c - the record that lets a killed import resume. */
#include "cli/batch_resume.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

/* Binds command ?1, size ?2, digest ?3 and, when the statement has it,
 * path ?4. */
static void bind_key(struct crm_stmt *st, const struct crm_batch_resume_key *k)
{
	char hex[17];

	crm_fileid_hex(&k->id, hex);
	crm_bind_text(st, 1, k->command);
	crm_bind_int64(st, 2, (int64_t)k->id.size);
	crm_bind_text(st, 3, hex);
	if (crm_bind_count(st) >= 4)
		crm_bind_text(st, 4, k->path);
}

/* The rejects lines of k's record, in the order they were saved. */
static int find_rejects(struct crm_store *s, const struct crm_batch_resume_key *k,
			char **out, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT lines FROM import_resume_rejects"
		" WHERE command = ?1 AND size = ?2 AND digest = ?3 ORDER BY seq");
	struct crm_buf b = CRM_BUF_INIT;
	int rc;

	bind_key(st, k);
	while ((rc = crm_store_step(s, st, e)) == CRM_ROW)
		crm_buf_add(&b, crm_column_text(st, 0), (size_t)crm_column_bytes(st, 0));
	crm_stmt_reset(st);
	if (rc < 0) {
		crm_buf_free(&b);
		return e->code;
	}
	crm_buf_adds(&b, "");
	*out = crm_buf_detach(&b);
	return 0;
}

int crm_batch_resume_find(struct crm_store *s, const struct crm_batch_resume_key *k,
			  struct crm_batch_resume *r, char **rejects, int *found,
			  struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT byte_offset, line, rows_done, rejected FROM import_resume"
		" WHERE command = ?1 AND size = ?2 AND digest = ?3 AND reading = ?5");
	int rc;

	bind_key(st, k);
	crm_bind_text(st, 5, k->reading);
	*found = 0;
	if (rejects != NULL)
		*rejects = NULL;
	rc = crm_store_step(s, st, e);
	if (rc < 0)
		return e->code;
	if (rc == CRM_ROW) {
		*found = 1;
		r->offset = (unsigned long long)crm_column_int64(st, 0);
		r->line = (unsigned long)crm_column_int64(st, 1);
		r->rows = (unsigned long)crm_column_int64(st, 2);
		r->rejected = (unsigned long)crm_column_int64(st, 3);
	}
	crm_stmt_reset(st);
	return *found && rejects != NULL ? find_rejects(s, k, rejects, e) : 0;
}

int crm_batch_resume_save(struct crm_store *s, const struct crm_batch_resume_key *k,
			  const struct crm_batch_resume *r, const char *rejects, size_t n,
			  int append, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"INSERT INTO import_resume (command, size, digest, path, reading, byte_offset,"
		" line, rows_done, rejected, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT (command, size, digest) DO UPDATE SET path = excluded.path,"
		" reading = excluded.reading, byte_offset = excluded.byte_offset,"
		" line = excluded.line, rows_done = excluded.rows_done,"
		" rejected = excluded.rejected, updated_at = excluded.updated_at");
	int rc = 0;

	if (!append) {
		/* From the top: no record of the path's other contents, and
		 * none of this record's rejects. */
		struct crm_stmt *drop = crm_store_prepare(s,
			"DELETE FROM import_resume WHERE command = ?1 AND path = ?4"
			" AND NOT (size = ?2 AND digest = ?3)");
		struct crm_stmt *old = crm_store_prepare(s,
			"DELETE FROM import_resume_rejects WHERE command = ?1 AND size = ?2"
			" AND digest = ?3");

		bind_key(drop, k);
		rc = crm_store_run(s, drop, e);
		bind_key(old, k);
		if (rc == 0)
			rc = crm_store_run(s, old, e);
	}
	bind_key(st, k);
	crm_bind_text(st, 5, k->reading);
	crm_bind_int64(st, 6, (int64_t)r->offset);
	crm_bind_int64(st, 7, (int64_t)r->line);
	crm_bind_int64(st, 8, (int64_t)r->rows);
	crm_bind_int64(st, 9, (int64_t)r->rejected);
	crm_bind_text(st, 10, crm_store_now(s));
	if (rc == 0)
		rc = crm_store_run(s, st, e);
	if (rc == 0 && n > 0) {
		struct crm_stmt *add = crm_store_prepare(s,
			"INSERT INTO import_resume_rejects (command, size, digest, seq, lines)"
			" SELECT ?1, ?2, ?3, coalesce(max(seq), 0) + 1, ?5 FROM import_resume_rejects"
			" WHERE command = ?1 AND size = ?2 AND digest = ?3");

		bind_key(add, k);
		crm_bind_text_n(add, 5, rejects, n);
		rc = crm_store_run(s, add, e);
	}
	return rc;
}

int crm_batch_resume_clear(struct crm_store *s, const struct crm_batch_resume_key *k,
			   struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"DELETE FROM import_resume WHERE command = ?1"
		" AND ((size = ?2 AND digest = ?3) OR path = ?4)");

	bind_key(st, k);
	return crm_store_run(s, st, e);
}
