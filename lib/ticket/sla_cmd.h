/* sla_cmd.h - crm-ticket's command groups for service levels:
 * `calendar set|list|rm|holiday` (business calendars) and `sla
 * set|list|rm` (policies), `escalation rule` and `escalate`, over
 * ticket/sla.h and ticket/escalate.h. Kept beside their domain so
 * that cmd/crm-ticket.c stays a table of commands (HACKING, cmd/). */
#ifndef CRM_TICKET_SLA_CMD_H
#define CRM_TICKET_SLA_CMD_H

struct crm;

/* Run `calendar SUB ...` and `sla SUB ...` (argv[0] is the group). */
int crm_ticket_calendar_command(int argc, char **argv, struct crm *crm);
int crm_ticket_sla_command(int argc, char **argv, struct crm *crm);

/* `escalation rule add|list|rm` and `escalate [--warn SPAN]` (for cron:
 * prints what it raised; exit 1 when nothing was). */
int crm_ticket_escalation_command(int argc, char **argv, struct crm *crm);
int crm_ticket_escalate_command(int argc, char **argv, struct crm *crm);

#endif
