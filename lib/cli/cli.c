/* cli.c - what every program's main shares. */
#include "cli/cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "store/store.h"
#include "base/xalloc.h"

#ifndef CRM_VERSION
#define CRM_VERSION "0"
#endif

enum {
	OPT_DB = 0x1000,
	OPT_FORMAT,
	OPT_NO_HEADER,
	OPT_SAFE_CSV,
	OPT_VERSION,
};

static const struct option common_longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "safe-csv", no_argument, NULL, OPT_SAFE_CSV },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
};
#define NCOMMON (sizeof(common_longopts) / sizeof(common_longopts[0]))

static const char common_help[] =
	"  --db STORE        the store: a file, or a postgresql:// URI or libpq\n"
	"                    keyword string (default $CRM_DB, else\n"
	"                    $XDG_DATA_HOME/crm/crm.db)\n"
	"  --format FMT      output as tsv, csv, jsonl or table (default: table\n"
	"                    on a terminal, else tsv)\n"
	"  --no-header       no header line in tsv, csv and table output\n"
	"  --safe-csv        guard cells against spreadsheet formula injection\n"
	"  -q, --quiet       no progress or summary on stderr\n"
	"  -v, --verbose     a summary on stderr even when all went well\n"
	"  -h, --help        this help\n";

static void vmessage(const struct crm *crm, const char *fmt, va_list ap)
{
	fflush(stdout);
	if (crm->cmd != NULL)
		fprintf(stderr, "%s: %s: ", crm->prog, crm->cmd);
	else
		fprintf(stderr, "%s: ", crm->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int crm_fail(const struct crm *crm, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(crm, fmt, ap);
	va_end(ap);
	return code;
}

void crm_warn(const struct crm *crm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(crm, fmt, ap);
	va_end(ap);
}

int crm_report(const struct crm *crm, const struct crm_err *e)
{
	crm_fail(crm, 0, "%s", e->msg[0] != '\0' ? e->msg : "internal error");
	return e->code != 0 ? e->code : CRM_EX_SOFTWARE;
}

int crm_usage_error(const struct crm *crm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(crm, fmt, ap);
	va_end(ap);
	if (crm->usage != NULL)
		fprintf(stderr, "usage: %s %s\n", crm->prog, crm->usage);
	return CRM_EX_USAGE;
}

void crm_user_name(char *out, size_t size)
{
	const char *env = getenv("CRM_USER");
	struct passwd *pw;

	if (env != NULL && env[0] != '\0') {
		snprintf(out, size, "%s", env);
		return;
	}
	pw = getpwuid(geteuid());
	if (pw != NULL && pw->pw_name != NULL)
		snprintf(out, size, "%s", pw->pw_name);
	else
		snprintf(out, size, "%ld", (long)geteuid());
}

int crm_print_query(struct crm *crm, struct crm_store *s, struct crm_stmt *st,
		    size_t ncols, const char *const *cols, const char *numeric)
{
	struct crm_err e = { 0, "" };
	struct crm_out *out = crm_out_open(stdout, &crm->out);
	const char **vals = xcalloc(ncols, sizeof(*vals));
	unsigned long n = 0;
	int step, rc;

	crm_out_columns(out, ncols, cols);
	for (size_t i = 0; numeric != NULL && numeric[i] != '\0' && i < ncols; i++)
		if (numeric[i] == 'n')
			crm_out_numeric(out, i);
	while ((step = crm_store_step(s, st, &e)) == CRM_ROW) {
		for (size_t i = 0; i < ncols; i++)
			vals[i] = (const char *)crm_column_text(st, (int)i);
		crm_out_row(out, vals);
		n++;
	}
	crm_stmt_reset(st);
	free(vals);
	rc = crm_out_close(out, &e);
	if (step < 0 || rc != 0)
		return crm_report(crm, &e);
	return n == 0 ? CRM_EX_NOTFOUND : 0;
}

int crm_list_command(int argc, char **argv, struct crm *crm,
		     struct crm_stmt *(*stmt)(struct crm_store *), size_t ncols,
		     const char *const *cols, const char *numeric)
{
	int rc;
	struct crm_store *s = crm_command_begin(crm, argc, argv, 0, 0, NULL, CRM_STORE_READ, &rc);

	if (s == NULL)
		return rc;
	rc = crm_print_query(crm, s, stmt(s), ncols, cols, numeric);
	return rc == CRM_EX_NOTFOUND ? 0 : rc;
}

int crm_sub_command(int argc, char **argv, struct crm *crm, const struct crm_command *subs,
		    const char *what)
{
	const char *parent = crm->cmd;
	char name[64];
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: %s %s\n\n", crm->prog, crm->usage);
		for (const struct crm_command *c = subs; c->name != NULL; c++)
			printf("  %-40s %s\n", c->usage, c->summary);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		return crm_usage_error(crm, "give a sub-command (%s)", what);
	for (const struct crm_command *c = subs; c->name != NULL; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		snprintf(name, sizeof(name), "%s %s", argv[0], argv[1]);
		crm->cmd = name;
		crm->usage = c->usage;
		crm->help = c->help;
		argv[1] = name;
		rc = c->run(argc - 1, argv + 1, crm);
		crm->cmd = parent;   /* name is gone with this call */
		return rc;
	}
	return crm_usage_error(crm, "unknown sub-command \"%.40s\" (%s)", argv[1], what);
}

void crm_stage(const struct crm *crm, const char *fmt, ...)
{
	va_list ap;

	if (!crm_show_progress(crm))
		return;
	fprintf(stderr, "\r\033[K%s: %s: ", crm->prog, crm->cmd != NULL ? crm->cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void crm_stage_done(const struct crm *crm)
{
	if (crm_show_progress(crm))
		fputs("\r\033[K", stderr);
}

int crm_show_progress(const struct crm *crm)
{
	return !crm->quiet && isatty(STDERR_FILENO);
}

struct crm_store *crm_store_get(struct crm *crm, enum crm_store_mode mode, int *rc)
{
	struct crm_err e = { 0, "" };
	char *path = NULL;

	*rc = 0;
	if (crm->store != NULL)
		return crm->store;
	*rc = crm_store_path(crm->db_path, &path, &e);
	if (*rc == 0)
		*rc = crm_store_open_mode(path, crm->user, mode, &crm->store, &e);
	free(path);
	if (*rc != 0) {
		crm_report(crm, &e);
		return NULL;
	}
	return crm->store;
}

struct crm_store *crm_command_begin(struct crm *crm, int argc, char **argv, int nmin, int nmax,
				    const char *want, enum crm_store_mode mode, int *rc)
{
	int n;

	if (crm_getopt(crm, argc, argv, "", NULL) != -1) {
		*rc = CRM_EX_USAGE;
		return NULL;
	}
	n = argc - optind;
	if (n > 0 && nmax == 0) {
		*rc = crm_usage_error(crm, "unexpected argument \"%s\"", argv[optind]);
		return NULL;
	}
	if (n < nmin || (nmax >= 0 && n > nmax)) {
		*rc = crm_usage_error(crm, "%s", want);
		return NULL;
	}
	return crm_store_get(crm, mode, rc);
}

static void print_command_help(const struct crm *crm)
{
	printf("usage: %s %s\n", crm->prog, crm->usage);
	if (crm->help != NULL)
		printf("\n%s", crm->help);
	printf("\ncommon options:\n%s", common_help);
}

/* Handles a common option; returns 0 if handled, 64 on a bad value, -1 if
 * opt is not a common option. */
static int common_option(struct crm *crm, int opt, const char *arg)
{
	switch (opt) {
	case OPT_DB:
		crm->db_path = arg;
		return 0;
	case OPT_FORMAT:
		if (crm_format_parse(arg, &crm->out.format) != 0)
			return crm_usage_error(crm, "unknown format \"%s\" (use tsv, csv, jsonl or table)", arg);
		return 0;
	case OPT_NO_HEADER:
		crm->out.header = 0;
		return 0;
	case OPT_SAFE_CSV:
		crm->out.safe_csv = 1;
		return 0;
	case 'q':
		crm->quiet = 1;
		return 0;
	case 'v':
		crm->verbose = 1;
		return 0;
	default:
		return -1;
	}
}

static void build_longopts(struct crm *crm, const struct option *longopts)
{
	size_t n = 0;

	if (crm->longopts_of == longopts && crm->longopts != NULL)
		return;
	while (longopts != NULL && longopts[n].name != NULL)
		n++;
	free(crm->longopts);
	crm->longopts = xcalloc(n + NCOMMON + 1, sizeof(struct option));
	if (n > 0)
		memcpy(crm->longopts, longopts, n * sizeof(struct option));
	memcpy(crm->longopts + n, common_longopts, sizeof(common_longopts));
	crm->longopts_of = longopts;
}

int crm_getopt(struct crm *crm, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char spec[128];
	int c;

	build_longopts(crm, longopts);
	/* Leading ':' to report missing arguments ourselves; -q -v -h common. */
	snprintf(spec, sizeof(spec), ":%sqvh", shortopts != NULL ? shortopts : "");
	for (;;) {
		int longindex = -1;

		c = getopt_long(argc, argv, spec, crm->longopts, &longindex);
		if (c == -1) {
			crm->argv = argv;
			crm->noptions = optind;
			return -1;
		}
		if (c == 'h') {
			print_command_help(crm);
			fflush(stdout);
			exit(ferror(stdout) ? CRM_EX_IOERR : 0);
		}
		if (c == '?') {
			const char *given = argv[optind - 1];

			/* glibc sets optopt to a long option's val, so name the
			 * option as it was typed unless it was a short one. */
			if (strncmp(given, "--", 2) == 0 && strchr(given, '=') != NULL)
				crm_usage_error(crm, "unknown option, or one that takes no value: %s", given);
			else if (strncmp(given, "--", 2) == 0 || optopt <= 0 || optopt >= 0x7f ||
				 optopt < 0x21)
				crm_usage_error(crm, "unknown option %s", given);
			else
				crm_usage_error(crm, "unknown option -%c", optopt);
			return '?';
		}
		if (c == ':') {
			crm_usage_error(crm, "option %s needs a value", argv[optind - 1]);
			return '?';
		}
		int rc = common_option(crm, c, optarg);

		if (rc == -1)
			return c;
		if (rc != 0)
			return '?';
	}
}

static void print_program_help(const char *prog, const char *summary,
			       const struct crm_command *commands)
{
	printf("usage: %s [options] COMMAND [options] [args]\n\n%s\n\ncommands:\n",
	       prog, summary);
	for (const struct crm_command *c = commands; c->name != NULL; c++)
		printf("  %-14s %s\n", c->name, c->summary);
	printf("\noptions:\n%s  --version         print the version\n\n"
	       "'%s COMMAND --help' tells more; see also %s(1).\n",
	       common_help, prog, prog);
}

int crm_main(int argc, char **argv, const char *prog, const char *summary,
	     const struct crm_command *commands)
{
	static const struct option main_longopts[] = {
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct crm crm;
	const struct crm_command *cmd;
	int c, rc;

	memset(&crm, 0, sizeof(crm));
	crm.prog = prog;
	crm.out.header = 1;
	crm_user_name(crm.user, sizeof(crm.user));
	crm.usage = "[options] COMMAND [options] [args]";

	/* '+': stop at the command name; its options are its own. */
	build_longopts(&crm, main_longopts);
	while ((c = getopt_long(argc, argv, "+:qvh", crm.longopts, NULL)) != -1) {
		if (c == 'h') {
			print_program_help(prog, summary, commands);
			rc = 0;
			goto out;
		}
		if (c == OPT_VERSION) {
			printf("%s %s\n", prog, CRM_VERSION);
			rc = 0;
			goto out;
		}
		if (c == '?' || c == ':') {
			rc = crm_usage_error(&crm, c == ':' ? "option %s needs a value"
						     : "unknown option %s", argv[optind - 1]);
			goto out;
		}
		rc = common_option(&crm, c, optarg);
		if (rc != 0)
			goto out;
	}
	if (optind >= argc) {
		rc = crm_usage_error(&crm, "no command given (try '%s --help')", prog);
		goto out;
	}
	for (cmd = commands; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, argv[optind]) == 0)
			break;
	if (cmd->name == NULL) {
		rc = crm_usage_error(&crm, "unknown command \"%s\" (try '%s --help')",
				     argv[optind], prog);
		goto out;
	}
	crm.cmd = cmd->name;
	crm.usage = cmd->usage;
	crm.help = cmd->help;
	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: start the next getopt_long afresh */
	rc = cmd->run(argc, argv, &crm);
out:
	crm_store_close(crm.store);
	crm.store = NULL;
	free(crm.longopts);
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0) {
		/* Not reported yet: a command that saw the error said so. */
		crm_fail(&crm, 0, "write error: %s", strerror(errno));
		rc = CRM_EX_IOERR;
	}
	return rc;
}

int crm_flush_stdout(struct crm_err *e)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return crm_err_set(e, CRM_EX_IOERR,
				   "cannot write to standard output: %s; nothing was stored",
				   strerror(errno));
	return 0;
}
