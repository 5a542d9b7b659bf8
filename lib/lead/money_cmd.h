/* money_cmd.h - crm-lead's command groups for the money a sales team
 * plans with: `rates set|list|rm` (exchange rates, lead/rates.h) and
 * `quota set|list|rm` (lead/quota.h), `commission set|plans|rm` and the
 * commission report (lead/plans.h, lead/commission_report.h) and
 * `tax set|list|rm`. Kept beside their domain so that
 * cmd/crm-lead.c stays a table of commands (HACKING, cmd/). */
#ifndef CRM_LEAD_MONEY_CMD_H
#define CRM_LEAD_MONEY_CMD_H

struct crm;

/* Run `rates SUB ...`, `quota SUB ...`, `commission [SUB] ...` and
 * `tax SUB ...` (argv[0] is the group): the exit code. */
int crm_lead_rates_command(int argc, char **argv, struct crm *crm);
int crm_lead_quota_command(int argc, char **argv, struct crm *crm);
int crm_lead_commission_command(int argc, char **argv, struct crm *crm);
int crm_lead_tax_command(int argc, char **argv, struct crm *crm);

#endif
