/* test_cli.c - unit tests for lib/cli.c: what runs without exiting, plus
 * -h/--help in a child process. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/err.h"
#include "store/store.h"
#include "fixture.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

struct fixture {
	char dir[64];
	char *saved_user;
	char *saved_timeout;
	char *saved_db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	if (fixture_tmpdir(f->dir, sizeof(f->dir), "cli") != 0) {
		free(f);
		return -1;
	}
	f->saved_user = fixture_env_save("CRM_USER");
	f->saved_timeout = fixture_env_set("CRM_BUSY_TIMEOUT", NULL);
	f->saved_db = fixture_env_set("CRM_DB", NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	fixture_env_restore("CRM_USER", f->saved_user);
	fixture_env_restore("CRM_BUSY_TIMEOUT", f->saved_timeout);
	fixture_env_restore("CRM_DB", f->saved_db);
	rc = fixture_rmtree(f->dir);
	free(f);
	return rc;
}

/* A struct crm as crm_main sets it up for command "import". */
static void crm_init(struct crm *crm)
{
	memset(crm, 0, sizeof(*crm));
	crm->prog = "crm-test";
	crm->cmd = "import";
	crm->usage = "import [options] FILE|-";
	crm->out.header = 1;
	crm_user_name(crm->user, sizeof(crm->user));
}

/* ---- capturing stdout or stderr ---- */

struct capture {
	int fd;          /* the stream's descriptor: 1 or 2 */
	int saved;       /* its original, dup()ed */
	char path[64];
	char *text;      /* what was written, after capture_end */
};

static void capture_begin(struct capture *c, int fd)
{
	int tmp;

	snprintf(c->path, sizeof(c->path), "/tmp/crm-test-cli-out-XXXXXX");
	tmp = mkstemp(c->path);
	assert_true(tmp >= 0);
	fflush(stdout);
	fflush(stderr);
	c->fd = fd;
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_int_equal(dup2(tmp, fd), fd);
	close(tmp);
	c->text = NULL;
}

static void capture_end(struct capture *c)
{
	FILE *fp;
	long n;

	fflush(stdout);
	fflush(stderr);
	assert_int_equal(dup2(c->saved, c->fd), c->fd);
	close(c->saved);
	fp = fopen(c->path, "r");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	c->text = calloc(1, (size_t)n + 1);
	assert_non_null(c->text);
	assert_int_equal(fread(c->text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	unlink(c->path);
}

static void assert_prefix(const char *text, const char *prefix)
{
	if (strncmp(text, prefix, strlen(prefix)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", text, prefix);
}

static void capture_assert(struct capture *c, const char *want)
{
	assert_string_equal(c->text, want);
	free(c->text);
	c->text = NULL;
}

/* ---- crm_user_name ---- */

static void cli__user_name__from_crm_user(void **state)
{
	char out[64];

	(void)state;
	setenv("CRM_USER", "alice@sales", 1);
	crm_user_name(out, sizeof(out));
	assert_string_equal(out, "alice@sales");
}

static void cli__user_name__truncated_to_size(void **state)
{
	char out[6];

	(void)state;
	memset(out, 'x', sizeof(out));
	setenv("CRM_USER", "bartholomew", 1);
	crm_user_name(out, sizeof(out));
	assert_string_equal(out, "barth");
}

static void cli__user_name_empty_env__login_name(void **state)
{
	struct passwd *pw = getpwuid(geteuid());
	char out[256], want[256];

	(void)state;
	if (pw != NULL)
		snprintf(want, sizeof(want), "%s", pw->pw_name);
	else
		snprintf(want, sizeof(want), "%ld", (long)geteuid());
	setenv("CRM_USER", "", 1);
	crm_user_name(out, sizeof(out));
	assert_string_equal(out, want);
	unsetenv("CRM_USER");
	crm_user_name(out, sizeof(out));
	assert_string_equal(out, want);
}

/* ---- messages ---- */

static void cli__fail__program_command_message(void **state)
{
	struct crm crm;
	struct capture c;

	(void)state;
	crm_init(&crm);
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(crm_fail(&crm, CRM_EX_DATAERR, "line %d: invalid email \"%s\"",
				  42, "foo@"), CRM_EX_DATAERR);
	capture_end(&c);
	capture_assert(&c, "crm-test: import: line 42: invalid email \"foo@\"\n");

	crm.cmd = NULL;
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(crm_fail(&crm, 0, "no command"), 0);
	capture_end(&c);
	capture_assert(&c, "crm-test: no command\n");
}

static void cli__fail__stdout_flushed_first(void **state)
{
	struct crm crm;
	struct capture out, err;

	(void)state;
	crm_init(&crm);
	/* Both to one file: what stdout had buffered comes before the error. */
	capture_begin(&out, STDOUT_FILENO);
	capture_begin(&err, STDERR_FILENO);
	assert_int_equal(dup2(STDOUT_FILENO, STDERR_FILENO), STDERR_FILENO);
	fputs("partial", stdout);
	crm_fail(&crm, 1, "oops");
	capture_end(&err);
	capture_end(&out);
	free(err.text);
	capture_assert(&out, "partialcrm-test: import: oops\n");
}

static void cli__warn__same_shape(void **state)
{
	struct crm crm;
	struct capture c;

	(void)state;
	crm_init(&crm);
	capture_begin(&c, STDERR_FILENO);
	crm_warn(&crm, "%lu rows rejected", 3UL);
	capture_end(&c);
	capture_assert(&c, "crm-test: import: 3 rows rejected\n");
}

static void cli__report__message_and_code(void **state)
{
	struct crm crm;
	struct crm_err e = { 0, "" };
	struct capture c;

	(void)state;
	crm_init(&crm);
	crm_err_set(&e, CRM_EX_TEMPFAIL, "store x is busy");
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(crm_report(&crm, &e), CRM_EX_TEMPFAIL);
	capture_end(&c);
	capture_assert(&c, "crm-test: import: store x is busy\n");

	/* An empty error is an internal error. */
	crm_err_clear(&e);
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(crm_report(&crm, &e), CRM_EX_SOFTWARE);
	capture_end(&c);
	capture_assert(&c, "crm-test: import: internal error\n");
}

static void cli__usage_error__message_then_usage(void **state)
{
	struct crm crm;
	struct capture c;

	(void)state;
	crm_init(&crm);
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(crm_usage_error(&crm, "too many arguments (%d)", 3), CRM_EX_USAGE);
	capture_end(&c);
	capture_assert(&c, "crm-test: import: too many arguments (3)\n"
			   "usage: crm-test import [options] FILE|-\n");

	crm.usage = NULL;
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(crm_usage_error(&crm, "bad"), CRM_EX_USAGE);
	capture_end(&c);
	capture_assert(&c, "crm-test: import: bad\n");
}

static void cli__show_progress__not_when_quiet_or_not_a_tty(void **state)
{
	struct crm crm;
	struct capture c;

	(void)state;
	crm_init(&crm);
	crm.quiet = 1;
	assert_int_equal(crm_show_progress(&crm), 0);
	crm.quiet = 0;
	capture_begin(&c, STDERR_FILENO);   /* stderr is now a file */
	assert_int_equal(crm_show_progress(&crm), 0);
	capture_end(&c);
	capture_assert(&c, "");
}

/* ---- crm_getopt ---- */

enum { OPT_REJECTS = 0x2000, OPT_STRICT };

static const struct option import_longopts[] = {
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "limit", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static void cli__getopt__common_options_merged(void **state)
{
	struct crm crm;
	char *argv[] = {
		"import", "--db", "/tmp/x.db", "--format", "csv", "--no-header",
		"-q", "--strict", "-v", "--rejects", "bad.csv", "--safe-csv",
		"-n", "5", "file.csv", NULL,
	};
	int argc = ARGC(argv);
	int strict = 0, c;
	const char *rejects = NULL, *limit = NULL;

	(void)state;
	crm_init(&crm);
	optind = 0;
	while ((c = crm_getopt(&crm, argc, argv, "n:", import_longopts)) != -1) {
		switch (c) {
		case OPT_STRICT:
			strict = 1;
			break;
		case OPT_REJECTS:
			rejects = optarg;
			break;
		case 'n':
			limit = optarg;
			break;
		default:
			fail_msg("unexpected option %d", c);
		}
	}
	assert_string_equal(crm.db_path, "/tmp/x.db");
	assert_int_equal(crm.out.format, CRM_FMT_CSV);
	assert_int_equal(crm.out.header, 0);
	assert_int_equal(crm.out.safe_csv, 1);
	assert_int_equal(crm.quiet, 1);
	assert_int_equal(crm.verbose, 1);
	assert_int_equal(strict, 1);
	assert_string_equal(rejects, "bad.csv");
	assert_string_equal(limit, "5");
	assert_int_equal(optind, argc - 1);
	assert_string_equal(argv[optind], "file.csv");
	free(crm.longopts);
}

static void cli__getopt__long_forms_and_bundles(void **state)
{
	struct crm crm;
	char *argv[] = {
		"import", "--quiet", "--verbose", "--db=/a.db", "--format=jsonl",
		"-qv", "--rejects=r.csv", "-n7", "--", "--strict", NULL,
	};
	int argc = ARGC(argv);
	int c, seen = 0;

	(void)state;
	crm_init(&crm);
	optind = 0;
	while ((c = crm_getopt(&crm, argc, argv, "n:", import_longopts)) != -1) {
		if (c == OPT_REJECTS)
			assert_string_equal(optarg, "r.csv");
		else if (c == 'n')
			assert_string_equal(optarg, "7");
		else
			fail_msg("unexpected option %d", c);
		seen++;
	}
	assert_int_equal(seen, 2);
	assert_string_equal(crm.db_path, "/a.db");
	assert_int_equal(crm.out.format, CRM_FMT_JSONL);
	assert_int_equal(crm.quiet, 1);
	assert_int_equal(crm.verbose, 1);
	/* "--" ends the options: "--strict" is an operand. */
	assert_int_equal(optind, argc - 1);
	assert_string_equal(argv[optind], "--strict");
	free(crm.longopts);
}

static void cli__getopt__no_command_options(void **state)
{
	struct crm crm;
	char *argv[] = { "list", "-q", "x", NULL };

	(void)state;
	crm_init(&crm);
	optind = 0;
	assert_int_equal(crm_getopt(&crm, ARGC(argv), argv, NULL, NULL), -1);
	assert_int_equal(crm.quiet, 1);
	assert_int_equal(optind, 2);
	free(crm.longopts);
}

/* Runs crm_getopt over argv until it stops; returns its last answer and
 * what went to stderr in *text (free() it). */
static int getopt_err(char **argv, int argc, char **text)
{
	struct crm crm;
	struct capture c;
	int rc;

	crm_init(&crm);
	optind = 0;
	capture_begin(&c, STDERR_FILENO);
	while ((rc = crm_getopt(&crm, argc, argv, "n:", import_longopts)) != -1 &&
	       rc != '?')
		;
	capture_end(&c);
	free(crm.longopts);
	*text = c.text;
	return rc;
}

static void cli__getopt_unknown_long__question_mark(void **state)
{
	char *argv[] = { "import", "--strict", "--bogus", "f", NULL };
	char *text;

	(void)state;
	assert_int_equal(getopt_err(argv, ARGC(argv), &text), '?');
	assert_string_equal(text, "crm-test: import: unknown option --bogus\n"
			    "usage: crm-test import [options] FILE|-\n");
	free(text);
}

static void cli__getopt_unknown_short__question_mark(void **state)
{
	char *argv[] = { "import", "-z", NULL };
	char *text;

	(void)state;
	assert_int_equal(getopt_err(argv, ARGC(argv), &text), '?');
	assert_string_equal(text, "crm-test: import: unknown option -z\n"
			    "usage: crm-test import [options] FILE|-\n");
	free(text);
}

static void cli__getopt_missing_value__question_mark(void **state)
{
	char *argv1[] = { "import", "--rejects", NULL };
	char *argv2[] = { "import", "-n", NULL };
	char *argv3[] = { "import", "--db", NULL };
	char *text;

	(void)state;
	assert_int_equal(getopt_err(argv1, ARGC(argv1), &text), '?');
	assert_string_equal(text, "crm-test: import: option --rejects needs a value\n"
			    "usage: crm-test import [options] FILE|-\n");
	free(text);
	assert_int_equal(getopt_err(argv2, ARGC(argv2), &text), '?');
	assert_string_equal(text, "crm-test: import: option -n needs a value\n"
			    "usage: crm-test import [options] FILE|-\n");
	free(text);
	assert_int_equal(getopt_err(argv3, ARGC(argv3), &text), '?');
	assert_string_equal(text, "crm-test: import: option --db needs a value\n"
			    "usage: crm-test import [options] FILE|-\n");
	free(text);
}

static void cli__getopt_bad_format__question_mark(void **state)
{
	char *argv[] = { "import", "--format", "xml", NULL };
	char *text;

	(void)state;
	assert_int_equal(getopt_err(argv, ARGC(argv), &text), '?');
	assert_string_equal(text, "crm-test: import: unknown format \"xml\""
			    " (use tsv, csv, jsonl or table)\n"
			    "usage: crm-test import [options] FILE|-\n");
	free(text);
}

/* Was a bug (lib/cli.c, crm_getopt): for a long option that takes no value but
 * is given one ("--no-header=1", "--quiet=1"), glibc's getopt_long returns
 * '?' with optopt set to the option's val, and crm_getopt then prints
 * "unknown option -%c" with it: "crm-contact: list: unknown option -\002"
 * (a raw control byte: --no-header's val is 0x1002) and "unknown option -q"
 * for --quiet=1, an option that does exist. Expected: the option as
 * written, e.g. "option --no-header takes no value" (or at least
 * "unknown option --no-header=1"). Skipped until cli.c is fixed. */
static void cli__getopt_value_for_flag__names_the_option(void **state)
{
	char *argv1[] = { "import", "--quiet=1", NULL };
	char *argv2[] = { "import", "--no-header=1", NULL };
	char *text;

	(void)state;
	assert_int_equal(getopt_err(argv1, ARGC(argv1), &text), '?');
	if (strstr(text, "--quiet") == NULL) {
		free(text);
		fail_msg("regression: the bug described above is back");
	}
	free(text);
	assert_int_equal(getopt_err(argv2, ARGC(argv2), &text), '?');
	assert_non_null(strstr(text, "--no-header"));
	free(text);
}

static void cli__getopt_twice__longopts_rebuilt_for_new_table(void **state)
{
	static const struct option other[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct crm crm;
	char *argv1[] = { "import", "--strict", NULL };
	char *argv2[] = { "export", "--all", "--no-header", NULL };

	(void)state;
	crm_init(&crm);
	optind = 0;
	assert_int_equal(crm_getopt(&crm, ARGC(argv1), argv1, "", import_longopts), OPT_STRICT);
	assert_int_equal(crm_getopt(&crm, ARGC(argv1), argv1, "", import_longopts), -1);
	optind = 0;
	assert_int_equal(crm_getopt(&crm, ARGC(argv2), argv2, "a", other), 'a');
	assert_int_equal(crm_getopt(&crm, ARGC(argv2), argv2, "a", other), -1);
	assert_int_equal(crm.out.header, 0);
	free(crm.longopts);
}

static void help_child(void)
{
	struct crm crm;
	char *argv[] = { "import", "--help", NULL };

	crm_init(&crm);
	crm.help = "  --strict          all or nothing\n";
	optind = 0;
	crm_getopt(&crm, ARGC(argv), argv, "", import_longopts);
	_exit(99); /* not reached: --help exits */
}

static void cli__getopt_help__prints_and_exits_0(void **state)
{
	char path[] = "/tmp/crm-test-cli-help-XXXXXX";
	int fd = mkstemp(path);
	char buf[4096];
	ssize_t n;
	pid_t pid;
	int status;

	(void)state;
	assert_true(fd >= 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		help_child();
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_prefix(buf, "usage: crm-test import [options] FILE|-\n\n"
		      "  --strict          all or nothing\n\ncommon options:\n");
	assert_non_null(strstr(buf, "  --db STORE "));
	assert_non_null(strstr(buf, "  -h, --help "));
}

/* ---- crm_store_get ---- */

static void cli__store_get__opens_once(void **state)
{
	struct fixture *f = *state;
	struct crm crm;
	char path[128];
	int rc = -1;
	struct crm_store *s, *t;

	setenv("CRM_USER", "bob", 1);
	crm_init(&crm);
	snprintf(path, sizeof(path), "%s/sub/crm.db", f->dir);
	crm.db_path = path;
	s = crm_store_get(&crm, CRM_STORE_WRITE, &rc);
	assert_non_null(s);
	assert_int_equal(rc, 0);
	assert_string_equal(crm_store_who(s), "bob");
	t = crm_store_get(&crm, CRM_STORE_WRITE, &rc);
	assert_ptr_equal(s, t);
	assert_int_equal(access(path, F_OK), 0);
	crm_store_close(s);
}

static void cli__store_get__crm_db_env_used(void **state)
{
	struct fixture *f = *state;
	struct crm crm;
	char path[128];
	int rc = -1;

	crm_init(&crm);
	snprintf(path, sizeof(path), "%s/env.db", f->dir);
	setenv("CRM_DB", path, 1);
	assert_non_null(crm_store_get(&crm, CRM_STORE_WRITE, &rc));
	assert_int_equal(access(path, F_OK), 0);
	crm_store_close(crm.store);
}

static void cli__store_get_read_missing__noinput_reported(void **state)
{
	struct fixture *f = *state;
	struct crm crm;
	struct capture c;
	char path[128], want[200];
	int rc = -1;

	crm_init(&crm);
	snprintf(path, sizeof(path), "%s/sub/crm.db", f->dir);
	crm.db_path = path;
	capture_begin(&c, STDERR_FILENO);
	assert_null(crm_store_get(&crm, CRM_STORE_READ, &rc));
	capture_end(&c);
	assert_int_equal(rc, CRM_EX_NOINPUT);
	assert_null(crm.store);
	snprintf(want, sizeof(want), "crm-test: import: no store at %s\n", path);
	capture_assert(&c, want);
	snprintf(path, sizeof(path), "%s/sub", f->dir);
	assert_int_equal(access(path, F_OK), -1);
}

static void cli__store_get_bad_config__reported(void **state)
{
	struct fixture *f = *state;
	struct crm crm;
	struct capture c;
	char path[128];
	int rc = -1;

	crm_init(&crm);
	snprintf(path, sizeof(path), "%s/crm.db", f->dir);
	crm.db_path = path;
	setenv("CRM_BUSY_TIMEOUT", "soon", 1);
	capture_begin(&c, STDERR_FILENO);
	assert_null(crm_store_get(&crm, CRM_STORE_WRITE, &rc));
	capture_end(&c);
	assert_int_equal(rc, CRM_EX_CONFIG);
	assert_null(crm.store);
	capture_assert(&c, "crm-test: import: invalid CRM_BUSY_TIMEOUT \"soon\""
			   " (seconds, 0 to 86400)\n");
}

/* ---- crm_main ---- */

static const char *seen_db;
static int seen_quiet;
static int seen_argc;
static const char *seen_arg1;
static char seen_user[256];

static int cmd_echo(int argc, char **argv, struct crm *crm)
{
	int c;

	while ((c = crm_getopt(crm, argc, argv, "", NULL)) != -1)
		if (c == '?')
			return CRM_EX_USAGE;
	seen_db = crm->db_path;
	seen_quiet = crm->quiet;
	snprintf(seen_user, sizeof(seen_user), "%s", crm->user);
	seen_argc = argc - optind;
	seen_arg1 = optind < argc ? argv[optind] : NULL;
	printf("%s ran\n", crm->cmd);
	return 0;
}

static int cmd_fail(int argc, char **argv, struct crm *crm)
{
	(void)argc;
	(void)argv;
	return crm_fail(crm, CRM_EX_DATAERR, "bad data");
}

static const struct crm_command commands[] = {
	{ "echo", cmd_echo, "echo [ARG]", "print", NULL },
	{ "fail", cmd_fail, "fail", "fail", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* Runs crm_main on argv; stdout and stderr captured. */
static int run_main(char **argv, int argc, char **out, char **err)
{
	struct capture o, e;
	int rc;

	optind = 0;
	capture_begin(&o, STDOUT_FILENO);
	capture_begin(&e, STDERR_FILENO);
	rc = crm_main(argc, argv, "crm-test", "test program", commands);
	capture_end(&e);
	capture_end(&o);
	*out = o.text;
	*err = e.text;
	return rc;
}

static void cli__main__global_options_then_command(void **state)
{
	char *argv[] = { "crm-test", "--db", "/x.db", "echo", "-q", "arg", NULL };
	char *out, *err;

	(void)state;
	seen_db = NULL;
	setenv("CRM_USER", "carol", 1);
	assert_int_equal(run_main(argv, ARGC(argv), &out, &err), 0);
	assert_string_equal(seen_user, "carol");
	assert_string_equal(out, "echo ran\n");
	assert_string_equal(err, "");
	assert_string_equal(seen_db, "/x.db");
	assert_int_equal(seen_quiet, 1);
	assert_int_equal(seen_argc, 1);
	assert_string_equal(seen_arg1, "arg");
	free(out);
	free(err);
}

static void cli__main__version(void **state)
{
	char *argv[] = { "crm-test", "--version", NULL };
	char *out, *err;

	(void)state;
	assert_int_equal(run_main(argv, ARGC(argv), &out, &err), 0);
	assert_string_equal(out, "crm-test " CRM_VERSION "\n");
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void cli__main__help_lists_commands(void **state)
{
	char *argv[] = { "crm-test", "-h", NULL };
	char *out, *err;

	(void)state;
	assert_int_equal(run_main(argv, ARGC(argv), &out, &err), 0);
	assert_prefix(out, "usage: crm-test [options] COMMAND [options] [args]\n\n"
		      "test program\n\ncommands:\n"
		      "  echo           print\n"
		      "  fail           fail\n\noptions:\n");
	assert_non_null(strstr(out, "  --version         print the version\n"));
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void cli__main_errors__usage_64(void **state)
{
	char *argv1[] = { "crm-test", NULL };
	char *argv2[] = { "crm-test", "nosuch", NULL };
	char *argv3[] = { "crm-test", "--bogus", "echo", NULL };
	char *argv4[] = { "crm-test", "--db", NULL };
	char *argv5[] = { "crm-test", "--format", "xml", "echo", NULL };
	const char *usage = "usage: crm-test [options] COMMAND [options] [args]\n";
	char want[256];
	char *out, *err;

	(void)state;
	assert_int_equal(run_main(argv1, ARGC(argv1), &out, &err), CRM_EX_USAGE);
	snprintf(want, sizeof(want), "crm-test: no command given (try 'crm-test --help')\n%s", usage);
	assert_string_equal(err, want);
	assert_string_equal(out, "");
	free(out);
	free(err);
	assert_int_equal(run_main(argv2, ARGC(argv2), &out, &err), CRM_EX_USAGE);
	snprintf(want, sizeof(want),
		 "crm-test: unknown command \"nosuch\" (try 'crm-test --help')\n%s", usage);
	assert_string_equal(err, want);
	free(out);
	free(err);
	assert_int_equal(run_main(argv3, ARGC(argv3), &out, &err), CRM_EX_USAGE);
	snprintf(want, sizeof(want), "crm-test: unknown option --bogus\n%s", usage);
	assert_string_equal(err, want);
	free(out);
	free(err);
	assert_int_equal(run_main(argv4, ARGC(argv4), &out, &err), CRM_EX_USAGE);
	snprintf(want, sizeof(want), "crm-test: option --db needs a value\n%s", usage);
	assert_string_equal(err, want);
	free(out);
	free(err);
	assert_int_equal(run_main(argv5, ARGC(argv5), &out, &err), CRM_EX_USAGE);
	snprintf(want, sizeof(want),
		 "crm-test: unknown format \"xml\" (use tsv, csv, jsonl or table)\n%s", usage);
	assert_string_equal(err, want);
	free(out);
	free(err);
}

static void cli__main_command_fails__its_code(void **state)
{
	char *argv1[] = { "crm-test", "fail", NULL };
	char *argv2[] = { "crm-test", "echo", "--nope", NULL };
	char *out, *err;

	(void)state;
	assert_int_equal(run_main(argv1, ARGC(argv1), &out, &err), CRM_EX_DATAERR);
	assert_string_equal(err, "crm-test: fail: bad data\n");
	free(out);
	free(err);
	/* A bad command option: the command's own usage line. */
	assert_int_equal(run_main(argv2, ARGC(argv2), &out, &err), CRM_EX_USAGE);
	assert_string_equal(err, "crm-test: echo: unknown option --nope\n"
			    "usage: crm-test echo [ARG]\n");
	assert_string_equal(out, "");
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(cli__user_name__from_crm_user),
		T(cli__user_name__truncated_to_size),
		T(cli__user_name_empty_env__login_name),
		T(cli__fail__program_command_message),
		T(cli__fail__stdout_flushed_first),
		T(cli__warn__same_shape),
		T(cli__report__message_and_code),
		T(cli__usage_error__message_then_usage),
		T(cli__show_progress__not_when_quiet_or_not_a_tty),
		T(cli__getopt__common_options_merged),
		T(cli__getopt__long_forms_and_bundles),
		T(cli__getopt__no_command_options),
		T(cli__getopt_unknown_long__question_mark),
		T(cli__getopt_unknown_short__question_mark),
		T(cli__getopt_missing_value__question_mark),
		T(cli__getopt_bad_format__question_mark),
		T(cli__getopt_value_for_flag__names_the_option),
		T(cli__getopt_twice__longopts_rebuilt_for_new_table),
		T(cli__getopt_help__prints_and_exits_0),
		T(cli__store_get__opens_once),
		T(cli__store_get__crm_db_env_used),
		T(cli__store_get_read_missing__noinput_reported),
		T(cli__store_get_bad_config__reported),
		T(cli__main__global_options_then_command),
		T(cli__main__version),
		T(cli__main__help_lists_commands),
		T(cli__main_errors__usage_64),
		T(cli__main_command_fails__its_code),
#undef T
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
