/* admin.c - a store's check and backup (admin.h); the copy is in
 * admin_copy.c. */
#include "store/admin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/backend.h"
#include "store/store.h"

const char *crm_admin_backend(const struct crm_store *s)
{
	return s->be->name;
}

void crm_admin_quote(struct crm_buf *b, const char *name)
{
	crm_buf_addc(b, '"');
	for (const char *p = name; *p != '\0'; p++) {
		if (*p == '"')
			crm_buf_addc(b, '"');
		crm_buf_addc(b, *p);
	}
	crm_buf_addc(b, '"');
}

int crm_admin_count(struct crm_store *s, const char *table, int64_t *n, struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	int rc;

	*n = 0;
	crm_buf_adds(&sql, "SELECT count(*) FROM ");
	crm_admin_quote(&sql, table);
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	crm_buf_free(&sql);
	if (rc != 0)
		return rc;
	rc = crm_store_step(s, st, e);
	if (rc == CRM_ROW) {
		*n = crm_column_int64(st, 0);
		rc = 0;
	} else if (rc == CRM_DONE) {
		rc = crm_err_set(e, CRM_EX_SOFTWARE, "table %s: count(*) gave no row", table);
	} else {
		rc = e->code != 0 ? e->code : CRM_EX_SOFTWARE;
	}
	crm_stmt_free(st);
	return rc;
}

struct tally {
	const struct crm_admin_out *out;
	int problems;
};

static void problem(void *ctx, const char *text)
{
	struct tally *t = ctx;

	t->problems++;
	if (t->out->problem != NULL)
		t->out->problem(t->out->ctx, text);
}

int crm_admin_check(struct crm_store *s, const struct crm_admin_out *out, int *problems,
		    struct crm_err *e)
{
	struct tally t = { out, 0 };
	char **tables = NULL;
	size_t ntables = 0;
	int version = crm_store_schema_version(s);
	size_t known = *s->be->nmigrations;
	char line[1200];
	int rc;

	*problems = 0;
	if (version != (int)known) {
		snprintf(line, sizeof(line), "schema version %d, but this program's is %zu",
			 version, known);
		problem(&t, line);
	}
	rc = crm_store_tables(s, &tables, &ntables, e);
	if (rc != 0) {
		snprintf(line, sizeof(line), "cannot list the tables: %s", e->msg);
		problem(&t, line);
		crm_err_clear(e);
	}
	for (size_t i = 0; i < ntables; i++) {
		struct crm_err te = { 0, "" };
		int64_t n = 0;

		if (crm_admin_count(s, tables[i], &n, &te) != 0) {
			snprintf(line, sizeof(line), "table %s cannot be read: %s", tables[i], te.msg);
			problem(&t, line);
		} else if (out->table != NULL) {
			out->table(out->ctx, tables[i], n, 0);
		}
	}
	crm_store_names_free(tables, ntables);
	rc = s->be->check(s, problem, &t, e);
	*problems = t.problems;
	return rc;
}

/* The file and what SQLite may leave beside it. */
static void remove_partial(const char *tmp)
{
	static const char *const suffix[] = { "", "-journal", "-wal", "-shm" };
	char path[4096];

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", tmp, suffix[i]);
		unlink(path);
	}
}

static int sync_file(const char *path, struct crm_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0 || fsync(fd) != 0)
		rc = crm_err_set(e, CRM_EX_IOERR, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Moves the finished copy into place: never over an existing file
 * unless force (link fails if the name exists, atomically). */
static int put_in_place(const char *tmp, const char *file, int force, struct crm_err *e)
{
	if (force) {
		if (rename(tmp, file) != 0)
			return crm_err_set(e, CRM_EX_IOERR, "cannot write %s: %s", file,
					   strerror(errno));
		return 0;
	}
	if (link(tmp, file) != 0) {
		if (errno == EEXIST)
			return crm_err_set(e, EX_CANTCREAT,
					   "%s exists: not overwritten (use --force)", file);
		return crm_err_set(e, CRM_EX_IOERR, "cannot write %s: %s", file, strerror(errno));
	}
	unlink(tmp);
	return 0;
}

int crm_admin_backup(struct crm_store *s, const char *file, int force, struct crm_err *e)
{
	struct stat sb;
	char *tmp;
	int fd, rc;

	struct stat self;

	if (!crm_store_is_server(s->path) && stat(file, &sb) == 0 && stat(s->path, &self) == 0 &&
	    sb.st_dev == self.st_dev && sb.st_ino == self.st_ino)
		return crm_err_set(e, EX_CANTCREAT, "%s is the store itself", file);
	if (!force && lstat(file, &sb) == 0)
		return crm_err_set(e, EX_CANTCREAT, "%s exists: not overwritten (use --force)", file);
	tmp = xmalloc(strlen(file) + 16);
	sprintf(tmp, "%s.tmp-XXXXXX", file);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = crm_err_set(e, EX_CANTCREAT, "cannot create %s: %s", file, strerror(errno));
		free(tmp);
		return rc;
	}
	close(fd);
	rc = s->be->backup(s, tmp, e);
	if (rc == 0)
		rc = sync_file(tmp, e);
	if (rc == 0)
		rc = put_in_place(tmp, file, force, e);
	remove_partial(tmp);
	free(tmp);
	return rc;
}
