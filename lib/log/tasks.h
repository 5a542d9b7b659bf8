/* tasks.h - tasks and reminders: interactions of type task with a due
 * time and an assignee, open until marked done.
 */
#ifndef CRM_LOG_TASKS_H
#define CRM_LOG_TASKS_H

#include <stdint.h>

struct crm_err;
struct crm_log_rows;
struct crm_store;

/* Marks task id done at the store's time (a task done before keeps its
 * time), in the caller's transaction. *found is 0 when there is no task
 * id. Returns 0 or an exit code with e set. */
int crm_task_done(struct crm_store *s, int64_t id, int *found, struct crm_err *e);

/* The columns of crm_tasks_due's rows. */
extern const char *const crm_tasks_due_cols[];
#define CRM_TASKS_DUE_NCOLS 8

/* The open tasks with a due time, soonest first: with assignee (NULL for
 * any) theirs only, with overdue those due before now_text only, with
 * until (UTC ISO 8601, "" for no end) those due by then. overdue is
 * "yes" or "no" against now_text. The strings must outlive the rows. */
struct crm_log_rows *crm_tasks_due(struct crm_store *s, const char *now_text,
				   const char *assignee, int overdue, const char *until);

#endif
