/* timeline.c - one contact's timeline from every domain's sources
 * (timeline.h).
 *
 * The statement is made per run from the sources the store holds: each
 * source becomes a named CTE whose column list names its ten columns (a
 * source's SELECT need not name them), tagged with its place k, and the
 * union is filtered and ordered once. It is prepared for this run alone,
 * not cached: which sources it holds varies with the store and --changes.
 */
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "log/listing.h"
#include "log/log_rows.h"
#include "log/timeline.h"
#include "store/domain.h"
#include "store/store.h"

const char *const crm_timeline_cols[CRM_TIMELINE_NCOLS] = {
	"at", "source", "id", "channel", "direction", "type", "subject",
	"agent", "amount", "currency",
};

#define COLUMNS "at, source, id, channel, direction, type, subject, agent, amount, currency"

/* *found is 1 when the table exists. A failing step (a busy or damaged
 * store) is an error with its exit code, never "not there". */
static int table_exists(struct crm_store *s, const char *name, int *found,
			struct crm_err *e)
{
	char **names;
	size_t n;
	int rc = crm_store_tables(s, &names, &n, e);

	*found = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		*found |= strcmp(names[i], name) == 0;
	crm_store_names_free(names, n);
	return rc;
}

/* Appends the CTEs of the sources to use to sql, and their union to
 * from. Returns 0 (*n of them) or an exit code. */
static int add_sources(struct crm_store *s, const struct crm_domain *const *domains,
		       int changes, struct crm_buf *sql, struct crm_buf *from,
		       size_t *n, struct crm_err *e)
{
	for (size_t d = 0; domains[d] != NULL; d++) {
		for (size_t i = 0; i < domains[d]->ntimeline; i++) {
			const struct crm_timeline_source *src = &domains[d]->timeline[i];
			int found = 0, rc;

			if (src->changes && !changes)
				continue;
			rc = table_exists(s, src->table, &found, e);
			if (rc != 0)
				return rc;
			if (!found)
				continue;
			crm_buf_addf(sql, "%s s%zu(" COLUMNS ") AS (%s)",
				     *n > 0 ? "," : "WITH", *n, src->sql);
			crm_buf_addf(from, "%sSELECT *, %zu AS k FROM s%zu",
				     *n > 0 ? " UNION ALL " : "", *n, *n);
			++*n;
		}
	}
	return 0;
}

int crm_timeline_open(struct crm_store *s, const struct crm_domain *const *domains,
		      const struct crm_log_filter *f, struct crm_log_rows **out,
		      struct crm_err *e)
{
	struct crm_buf sql = CRM_BUF_INIT, from = CRM_BUF_INIT;
	struct crm_stmt *st = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	rc = add_sources(s, domains, f->changes, &sql, &from, &n, e);
	if (rc != 0)
		goto done;
	if (n == 0)   /* no source in this store: an empty timeline */
		crm_buf_adds(&from, "SELECT NULL AS at, NULL AS source, CAST(NULL AS BIGINT) AS id,"
			     " NULL AS channel, NULL AS direction, NULL AS type, NULL AS subject,"
			     " NULL AS agent, CAST(NULL AS BIGINT) AS amount, NULL AS currency, 0 AS k"
			     " WHERE FALSE");
	crm_buf_addf(&sql, " SELECT " COLUMNS " FROM (%s) AS t", crm_buf_str(&from));
	crm_buf_adds(&sql, " WHERE at >= ?2 AND (?3 IS NULL OR at < ?3)"
		     " AND (?4 IS NULL OR channel = lower(?4)) AND (?5 IS NULL OR type = lower(?5))"
		     " AND (?6 IS NULL OR agent = ?6) AND (?7 IS NULL OR direction = lower(?7))"
		     " ORDER BY at DESC, id DESC, k DESC LIMIT ?8");
	rc = crm_store_prepare_built(s, crm_buf_str(&sql), &st, e);
	if (rc != 0)
		goto done;
	crm_log_filter_bind(st, f);
	*out = crm_log_rows_new(s, st, 1, 8, 9);
	rc = 0;
done:
	crm_buf_free(&sql);
	crm_buf_free(&from);
	return rc;
}
