/* cli.h - what every program's main shares: global options, the command
 * table, option parsing with the common options merged in, one-line errors.
 *
 *   static const struct crm_command commands[] = {
 *       { "import", cmd_import, "import [options] FILE|-", "import contacts" },
 *       ...
 *       { NULL, NULL, NULL, NULL }
 *   };
 *   int main(int argc, char **argv)
 *   {
 *       return crm_main(argc, argv, "crm-contact", "manage contacts", commands);
 *   }
 *
 * Global options, accepted before the command and by every command:
 *   --db PATH  --format tsv|csv|jsonl|table  --no-header  --safe-csv
 *   -q/--quiet  -v/--verbose  -h/--help  --version (before the command)
 */
#ifndef CRM_CLI_H
#define CRM_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "io/output.h"
#include "store/store.h"

struct crm_err;
struct crm_store;

struct crm {
	const char *prog;          /* "crm-contact" */
	const char *cmd;           /* the running command, e.g. "import" */
	const char *usage;         /* its usage line */
	const char *help;          /* its help text (options), or NULL */
	const char *db_path;       /* --db, or NULL */
	struct crm_out_opts out;   /* --format, --no-header, --safe-csv */
	int quiet;                 /* -q: no progress, no summaries */
	int verbose;               /* -v: summaries even when all went well */
	char user[256];            /* $CRM_USER, else the login name */
	struct crm_store *store;   /* opened by crm_store_get() on first use */
	struct option *longopts;   /* command options + common ones (owned) */
	const struct option *longopts_of; /* the table longopts was built for */
	char **argv;               /* the command's arguments, once crm_getopt
				      is done: argv[1..noptions-1] are its
				      options (getopt puts them first), the
				      operands follow */
	int noptions;
};

struct crm_command {
	const char *name;
	int (*run)(int argc, char **argv, struct crm *crm);
	const char *usage;     /* "import [options] FILE|-" */
	const char *summary;   /* one line for --help */
	const char *help;      /* the command's options, one per line, or NULL */
};

/* Parses global options, runs the command, closes the store, checks that
 * stdout was written without error. Returns the exit status. */
int crm_main(int argc, char **argv, const char *prog, const char *summary,
	     const struct crm_command *commands);

/* A command of sub-commands ("crm-lead pipeline add NAME"): runs the one
 * argv[1] names, as the command "pipeline add" with argv shifted by one,
 * its usage and help its own. -h/--help lists them (exit 0); none or an
 * unknown one is a usage error naming what ("add, list, rm"). */
int crm_sub_command(int argc, char **argv, struct crm *crm, const struct crm_command *subs,
		    const char *what);

/* getopt_long for a command, with the global options merged in and
 * handled, -h/--help printed (then exit 0), and a bad option reported as a
 * usage error (returns '?' after printing). Returns -1 when done; the
 * operands start at optind. argv[0] is the command name. */
int crm_getopt(struct crm *crm, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* "crm-contact: import: MESSAGE" on stderr; returns code. */
int crm_fail(const struct crm *crm, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints e as above and returns e->code (70 if e holds no code). */
int crm_report(const struct crm *crm, const struct crm_err *e);

/* Flushes standard output: 0, or CRM_EX_IOERR with e set. A command that
 * prints what it is about to commit (add prints the new id) calls this
 * before the commit and rolls back when it fails, so a script that
 * retries after "write error" gets no duplicate. */
int crm_flush_stdout(struct crm_err *e);
/* A warning line, same shape, no exit code. */
void crm_warn(const struct crm *crm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A usage error: the message, then "usage: crm-contact import ..." on
 * stderr; returns 64. */
int crm_usage_error(const struct crm *crm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The store, opened on first use (and migrated). mode says whether the
 * command writes (CRM_STORE_WRITE: a missing store is created) or only
 * reads (CRM_STORE_READ: a missing store is an error, 66, and nothing is
 * created). NULL after printing the error; *rc is then the exit code. */
struct crm_store *crm_store_get(struct crm *crm, enum crm_store_mode mode, int *rc);

/* The prologue of a command without options of its own: the common
 * options parsed, then nmin to nmax operands (nmax -1: any number; too
 * few or too many is a usage error saying want, an operand where none is
 * wanted "unexpected argument"), then the store opened in mode. The
 * operands start at optind. NULL after printing the error; *rc is then
 * the exit code. */
struct crm_store *crm_command_begin(struct crm *crm, int argc, char **argv, int nmin, int nmax,
				    const char *want, enum crm_store_mode mode, int *rc);

/* $CRM_USER, else the login name, else the uid as a number. Copied into out. */
void crm_user_name(char *out, size_t size);

/* Writes the rows of st (its first ncols columns, named cols) in the
 * output format of crm, and resets st. numeric marks number columns: 'n'
 * at position i makes column i numeric ("n n": the first and third).
 * Returns 0, CRM_EX_NOTFOUND when there was no row (the header is still
 * written), or an exit code after printing the error. */
struct crm_store;
int crm_print_query(struct crm *crm, struct crm_store *s, struct crm_stmt *st,
		    size_t ncols, const char *const *cols, const char *numeric);

/* A listing subcommand with no options or operands of its own ("team
 * list"): opens the store for reading and prints stmt(s) as
 * crm_print_query does. An empty listing is no error: it exits 0. */
int crm_list_command(int argc, char **argv, struct crm *crm,
		     struct crm_stmt *(*stmt)(struct crm_store *), size_t ncols,
		     const char *const *cols, const char *numeric);

/* Says on a terminal what a long job is doing ("clustering 834112
 * contacts..."), on one line that the next stage or crm_stage_done
 * overwrites; nothing when stderr is not a terminal or with -q. */
void crm_stage(const struct crm *crm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void crm_stage_done(const struct crm *crm);

/* Whether progress may be drawn: stderr is a terminal and not -q. */
int crm_show_progress(const struct crm *crm);

#endif
