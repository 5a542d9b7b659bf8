/* deal_options.c - the options of a deal's fields (deal_options.h). */
#include "lead/deal_options.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "lead/deal.h"

int crm_deal_option(struct crm_deal *d, int opt, const char *arg, int64_t now, struct crm_err *e)
{
	int rc;

	if (opt >= CRM_DEAL_OPT && opt <= CRM_DEAL_OPT + CRM_DEAL_KEY) {
		rc = crm_deal_set(d, (enum crm_deal_field)(opt - CRM_DEAL_OPT), arg, now, e);
		return rc != 0 ? rc : 1;
	}
	if (opt == CRM_DEAL_OPT_TAG || opt == CRM_DEAL_OPT_UNTAG) {
		rc = crm_deal_tag(d, arg, opt == CRM_DEAL_OPT_TAG, e);
		return rc != 0 ? rc : 1;
	}
	if (opt == CRM_DEAL_OPT_SET) {
		const char *eq = strchr(arg, '=');
		char *name;

		if (eq == NULL || eq == arg)
			return crm_err_set(e, CRM_EX_USAGE, "--set takes NAME=VALUE");
		name = xstrdup(arg);
		name[eq - arg] = '\0';
		rc = crm_deal_field(d, name, eq + 1, e);
		free(name);
		return rc != 0 ? rc : 1;
	}
	return 0;
}
