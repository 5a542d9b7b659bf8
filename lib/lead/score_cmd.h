/* score_cmd.h - `crm-lead score rule|train|apply|explain|models`: the
 * command group of lead scoring (score.h), kept beside its domain so that
 * cmd/crm-lead.c stays a table of commands (HACKING, cmd/). */
#ifndef CRM_LEAD_SCORE_CMD_H
#define CRM_LEAD_SCORE_CMD_H

struct crm;

/* Runs `score SUB ...` (argv[0] is "score"): the exit code. */
int crm_lead_score_command(int argc, char **argv, struct crm *crm);

#endif
