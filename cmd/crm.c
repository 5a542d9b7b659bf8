/* crm - the toolkit's one command, git-style: `crm contact list` runs
 * crm-contact list (found beside crm first, then in $PATH), `crm help`
 * lists the programs, and `crm store` administers the store: check,
 * backup, copy. See crm(1). Argument parsing and output; the work is in
 * lib/store/admin.c. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "cli/cli.h"
#include "store/admin.h"
#include "store/store.h"

struct program {
	const char *name;
	const char *summary;
};

static const struct program programs[] = {
	{ "contact", "contacts: add, find, tag, import, export, dupes, merge, erase" },
	{ "log", "interactions and purchases: add, import, timeline" },
	{ "segment", "segments, RFM, clusters, personas and cohorts" },
	{ "lead", "deals through pipelines, scoring, forecasts, commissions" },
	{ "ticket", "service tickets: threads, agents, teams, ratings" },
	{ "store", "the store itself: check, backup, copy (built in)" },
	{ NULL, NULL },
};

/* ---- crm store ------------------------------------------------------- */

static void print_problem(void *ctx, const char *text)
{
	(void)ctx;
	printf("problem: %s\n", text);
}

static void print_count(void *ctx, const char *table, int64_t rows, uint64_t sum)
{
	(void)ctx;
	(void)sum;
	printf("table %s: %" PRId64 " rows\n", table, rows);
}

static int cmd_check(int argc, char **argv, struct crm *crm)
{
	struct crm_admin_out out = { print_problem, print_count, NULL, crm };
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int rc, problems = 0;

	s = crm_command_begin(crm, argc, argv, 0, 0, "check takes no arguments",
			      CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	printf("backend: %s\nschema version: %d\n", crm_admin_backend(s),
	       crm_store_schema_version(s));
	rc = crm_admin_check(s, &out, &problems, &e);
	if (rc != 0)
		return crm_report(crm, &e);
	if (problems > 0)
		return crm_fail(crm, CRM_EX_DATAERR, "%d problem%s found", problems,
				problems == 1 ? "" : "s");
	printf("ok\n");
	return 0;
}

static int cmd_backup(int argc, char **argv, struct crm *crm)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct crm_err e = { 0, "" };
	struct crm_store *s;
	int c, rc, force = 0;

	while ((c = crm_getopt(crm, argc, argv, "f", opts)) != -1) {
		if (c != 'f')
			return CRM_EX_USAGE;
		force = 1;
	}
	if (argc - optind != 1)
		return crm_usage_error(crm, argc - optind < 1 ? "no backup file given"
							      : "unexpected argument \"%s\"",
				       argv[argc - 1]);
	s = crm_store_get(crm, CRM_STORE_READ, &rc);
	if (s == NULL)
		return rc;
	crm_stage(crm, "backing up to %s...", argv[optind]);
	rc = crm_admin_backup(s, argv[optind], force, &e);
	crm_stage_done(crm);
	if (rc != 0)
		return crm_report(crm, &e);
	if (crm->verbose)
		crm_warn(crm, "backed up to %s", argv[optind]);
	return 0;
}

struct copy_view {
	struct crm *crm;
	int64_t rows;
	int tables;
};

static void copy_progress(void *ctx, const char *table, int64_t done, int64_t total)
{
	struct copy_view *v = ctx;

	crm_stage(v->crm, "%s: %" PRId64 " of %" PRId64 " rows", table, done, total);
}

static void copy_verified(void *ctx, const char *table, int64_t rows, uint64_t sum)
{
	struct copy_view *v = ctx;

	crm_stage_done(v->crm);
	printf("%-24s %10" PRId64 " rows  checksum %016" PRIx64 "  ok\n", table, rows, sum);
	v->rows += rows;
	v->tables++;
}

static int open_named(struct crm *crm, const char *name, enum crm_store_mode mode,
		      struct crm_store **s)
{
	struct crm_err e = { 0, "" };
	char *path = NULL;
	int rc = crm_store_path(name, &path, &e);

	if (rc == 0)
		rc = crm_store_open_mode(path, crm->user, mode, s, &e);
	free(path);
	return rc != 0 ? crm_report(crm, &e) : 0;
}

static int cmd_copy(int argc, char **argv, struct crm *crm)
{
	struct copy_view view = { crm, 0, 0 };
	struct crm_admin_out out = { NULL, copy_verified, copy_progress, &view };
	struct crm_err e = { 0, "" };
	struct crm_store *from = NULL, *to = NULL;
	int rc;

	if (crm_getopt(crm, argc, argv, "", NULL) != -1)
		return CRM_EX_USAGE;
	if (argc - optind != 2)
		return crm_usage_error(crm, "copy takes two stores, FROM and TO");
	if (strcmp(argv[optind], argv[optind + 1]) == 0)
		return crm_usage_error(crm, "FROM and TO are the same store");
	rc = open_named(crm, argv[optind], CRM_STORE_READ, &from);
	if (rc == 0)
		rc = open_named(crm, argv[optind + 1], CRM_STORE_WRITE, &to);
	if (rc == 0) {
		rc = crm_admin_copy(from, to, &out, &e);
		crm_stage_done(crm);
		if (rc != 0)
			rc = crm_report(crm, &e);
	}
	if (rc == 0)
		printf("copied %d tables, %" PRId64 " rows: counts and checksums match\n",
		       view.tables, view.rows);
	crm_store_close(to);
	crm_store_close(from);
	return rc;
}

static const struct crm_command store_commands[] = {
	{ "check", cmd_check, "check", "check the store's integrity and schema version",
	  "  prints the backend, the schema version, every table's rows and\n"
	  "  each problem found; exits 65 if there is any\n" },
	{ "backup", cmd_backup, "backup [-f] FILE", "a consistent copy of the store, while in use",
	  "  -f, --force       overwrite FILE if it exists\n"
	  "  SQLite: an SQLite file; PostgreSQL: pg_dump's custom format\n" },
	{ "copy", cmd_copy, "copy FROM TO", "copy a whole store into a new one, verified",
	  "  FROM, TO          a file (SQLite) or a postgresql:// URI or libpq\n"
	  "                    keyword string; TO must be new or empty\n" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- programs -------------------------------------------------------- */

static void print_help(void)
{
	printf("usage: crm PROGRAM [options] COMMAND [args]\n\n"
	       "The CRM toolkit: each program keeps one part of the store.\n\nprograms:\n");
	for (const struct program *p = programs; p->name != NULL; p++)
		printf("  %-10s %s\n", p->name, p->summary);
	printf("\n'crm help PROGRAM' or 'crm PROGRAM --help' tells more;"
	       " see also crm(1), crm(7).\n");
}

static int valid_name(const char *name)
{
	return name[0] != '\0' && name[0] != '-' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(name);
}

/* Runs crm-NAME with args (argv[0] replaced): beside this binary first,
 * then in $PATH. Returns only on failure, with the exit status. */
static int run_program(const char *name, char **argv)
{
	char self[PATH_MAX], prog[128], path[PATH_MAX + 130];
	ssize_t n;

	if (!valid_name(name) || strlen(name) > 100) {
		fprintf(stderr, "crm: unknown program \"%.100s\" (try 'crm help')\n", name);
		return CRM_EX_USAGE;
	}
	snprintf(prog, sizeof(prog), "crm-%s", name);
	argv[0] = prog;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/%s", self, prog);
			if (access(path, X_OK) == 0) {
				execv(path, argv);
				fprintf(stderr, "crm: cannot run %s: %s\n", path, strerror(errno));
				return CRM_EX_UNAVAILABLE;
			}
		}
	}
	execvp(prog, argv);
	if (errno == ENOENT) {
		fprintf(stderr, "crm: unknown program \"%s\" (try 'crm help')\n", name);
		return CRM_EX_USAGE;
	}
	fprintf(stderr, "crm: cannot run %s: %s\n", prog, strerror(errno));
	return CRM_EX_UNAVAILABLE;
}

static int run_store(int argc, char **argv)
{
	return crm_main(argc, argv, "crm store",
			"The store itself: its check, a backup, a copy into another store.",
			store_commands);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	if (name == NULL) {
		fprintf(stderr, "crm: no program given\nusage: crm PROGRAM [options] COMMAND [args]"
				" (try 'crm help')\n");
		return CRM_EX_USAGE;
	}
	if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		char *help[] = { NULL, (char *)"--help", NULL };

		if (argc < 3 || strcmp(name, "help") != 0) {
			print_help();
			return fflush(stdout) != 0 || ferror(stdout) ? CRM_EX_IOERR : 0;
		}
		if (strcmp(argv[2], "store") == 0)
			return run_store(2, (char *[]){ argv[2], help[1], NULL });
		return run_program(argv[2], help);
	}
	if (strcmp(name, "--version") == 0) {
		printf("crm %s\n", CRM_VERSION);
		return fflush(stdout) != 0 || ferror(stdout) ? CRM_EX_IOERR : 0;
	}
	if (name[0] == '-') {
		fprintf(stderr, "crm: unknown option %s (the options follow the program:"
				" crm PROGRAM --db ...)\n", name);
		return CRM_EX_USAGE;
	}
	if (strcmp(name, "store") == 0)
		return run_store(argc - 1, argv + 1);
	return run_program(name, argv + 1);
}
