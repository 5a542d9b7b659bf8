/* tasks.c - tasks and reminders (tasks.h). */
#include "log/log_rows.h"
#include "log/tasks.h"
#include "store/store.h"

const char *const crm_tasks_due_cols[CRM_TASKS_DUE_NCOLS] = {
	"id", "due", "assignee", "contact", "name", "email", "subject", "overdue",
};

int crm_task_done(struct crm_store *s, int64_t id, int *found, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"UPDATE interactions SET done_at = coalesce(done_at, ?2)"
		" WHERE id = ?1 AND type = 'task'");
	int rc;

	crm_bind_int64(st, 1, id);
	crm_bind_text_ref(st, 2, crm_store_now(s));
	rc = crm_store_run(s, st, e);
	*found = rc == 0 && crm_store_changes(s) > 0;
	return rc;
}

struct crm_log_rows *crm_tasks_due(struct crm_store *s, const char *now_text,
				   const char *assignee, int overdue, const char *until)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT i.id, i.due_at, i.assignee, i.contact_id,"
		" trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
		" c.email, i.subject, CASE WHEN i.due_at < ?1 THEN 'yes' ELSE 'no' END"
		" FROM interactions i JOIN contacts c ON c.id = i.contact_id"
		" WHERE i.type = 'task' AND i.done_at IS NULL AND i.due_at IS NOT NULL"
		" AND (?2 IS NULL OR i.assignee = ?2) AND (?3 = 0 OR i.due_at < ?1)"
		" AND (?4 = '' OR i.due_at <= ?4) ORDER BY i.due_at, i.id");

	crm_bind_text_ref(st, 1, now_text);
	crm_bind_text(st, 2, assignee);
	crm_bind_int(st, 3, overdue);
	crm_bind_text_ref(st, 4, until);
	return crm_log_rows_new(s, st, 0, -1, -1);
}
