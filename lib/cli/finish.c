/* finish.c - a command's transaction and listing ended, errors printed
 * once. */
#include "cli/finish.h"

#include "base/err.h"
#include "cli/cli.h"
#include "io/output.h"
#include "store/store.h"

int crm_finish_tx(struct crm *crm, struct crm_store *s, int rc, struct crm_err *e)
{
	if (rc == 0)
		rc = crm_store_commit(s, e);
	if (rc == 0)
		return 0;
	crm_store_rollback(s);
	return crm_report(crm, e);
}

int crm_finish_output(struct crm *crm, struct crm_out *out, int rc, struct crm_err *e)
{
	if (rc != 0) {
		crm_out_close(out, NULL);
		return crm_report(crm, e);
	}
	if (crm_out_close(out, e) != 0)
		return crm_report(crm, e);
	return 0;
}

int crm_finish_option(struct crm *crm, int rc, const struct crm_err *e)
{
	if (rc < 0)
		return CRM_EX_USAGE;
	if (rc == CRM_EX_USAGE)
		return crm_usage_error(crm, "%s", e->msg);
	return crm_report(crm, e);
}
