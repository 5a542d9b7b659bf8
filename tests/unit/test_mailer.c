/* test_mailer.c - unit tests for lib/mailer: addresses parsed, messages
 * built (and refused where data would add a header), and the file and
 * sendmail transports: mboxrd quoting, maildir tmp then new, sendmail's
 * arguments, input and exit statuses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "fixture.h"
#include "mailer/message.h"
#include "mailer/transport.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = calloc(1, 1 << 16);
	size_t n;

	if (f == NULL || s == NULL)
		fail_msg("cannot read %s", path);
	n = fread(s, 1, (1 << 16) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void mailer__address__parsed(void **state)
{
	struct crm_mail_address a;
	struct crm_err e = { 0, "" };

	(void)state;
	assert_int_equal(crm_mail_address_parse("--from", "Ann Lee <ann@example.com>", &a, &e), 0);
	assert_string_equal(a.addr, "ann@example.com");
	assert_string_equal(a.name, "Ann Lee");
	assert_int_equal(crm_mail_address_parse("--from", "bo@example.org", &a, &e), 0);
	assert_string_equal(a.addr, "bo@example.org");
	assert_string_equal(a.name, "");
	assert_int_equal(crm_mail_address_parse("--from", "ann at example", &a, &e), CRM_EX_USAGE);
	assert_string_equal(e.msg, "--from: not one mail address: \"ann at example\"");
	assert_int_equal(crm_mail_address_parse("--from", "a@b.c, d@e.f", &a, &e), CRM_EX_USAGE);
	assert_int_equal(crm_mail_address_parse("--from", "a@localhost", &a, &e), CRM_EX_USAGE);
	assert_int_equal(crm_mail_address_parse("--from", "A\r\nBcc: x@y.z <a@b.c>", &a, &e),
			 CRM_EX_DATAERR);
}

static struct crm_mail_new example(void)
{
	struct crm_mail_new m;

	memset(&m, 0, sizeof(m));
	snprintf(m.from.addr, sizeof(m.from.addr), "desk@help.example");
	snprintf(m.to.addr, sizeof(m.to.addr), "jm@example.org");
	snprintf(m.to.name, sizeof(m.to.name), "Jürgen Müller");
	m.subject = "Grüße";
	m.body = "Hallo\n";
	m.date = 1796385600; /* 2026-12-04T12:00:00Z */
	return m;
}

static void mailer__build__headers_and_body(void **state)
{
	static const char *const refs[] = { "a1@x.example", "b2@x.example" };
	struct crm_mail_new m = example();
	struct crm_mail_built b;
	struct crm_err e = { 0, "" };

	(void)state;
	m.in_reply_to = refs[1];
	m.references = refs;
	m.nreferences = 2;
	assert_int_equal(crm_mail_build(&m, &b, &e), 0);
	assert_non_null(strstr(b.text, "Date: Fri, 04 Dec 2026 12:00:00 +0000\n"));
	assert_non_null(strstr(b.text, "Subject: =?UTF-8?"));
	assert_non_null(strstr(b.text, "To: =?UTF-8?"));
	assert_non_null(strstr(b.text, "In-Reply-To: <b2@x.example>\n"));
	assert_non_null(strstr(b.text, "References: <a1@x.example> <b2@x.example>\n"));
	assert_non_null(strstr(b.text, "MIME-Version: 1.0\n"));
	assert_non_null(strstr(b.text, "Content-Type: text/plain; charset=utf-8\n"));
	assert_non_null(strstr(b.text, "Content-Transfer-Encoding: quoted-printable\n"));
	assert_non_null(strstr(b.message_id, "@help.example"));
	assert_int_equal(b.len, strlen(b.text));
	crm_mail_built_free(&b);
}

static void mailer__build__refuses_what_adds_headers(void **state)
{
	struct crm_mail_new m = example();
	struct crm_mail_built b;
	struct crm_err e = { 0, "" };

	(void)state;
	m.subject = "Hi\r\nBcc: evil@example.net";
	assert_int_equal(crm_mail_build(&m, &b, &e), CRM_EX_DATAERR);
	assert_null(b.text);
	m = example();
	snprintf(m.to.name, sizeof(m.to.name), "Eve\nBcc: evil@example.net");
	assert_int_equal(crm_mail_build(&m, &b, &e), CRM_EX_DATAERR);
	m = example();
	m.in_reply_to = "not an id";
	assert_int_equal(crm_mail_build(&m, &b, &e), CRM_EX_DATAERR);
	m = example();
	m.body = "caf\xe9\n";   /* Latin-1, not UTF-8 */
	assert_int_equal(crm_mail_build(&m, &b, &e), CRM_EX_DATAERR);
	assert_string_equal(e.msg, "the body is not UTF-8");
}

static void mailer__mbox__mboxrd(void **state)
{
	char dir[64], path[128];
	struct crm_transport t = { CRM_TRANSPORT_MBOX, path };
	const char *msg = "Subject: x\n\nFrom here\n>From there\nnot From\n";
	const char *rcpt[] = { "b@x.example" };
	struct crm_err e = { 0, "" };
	char *got;

	(void)state;
	assert_int_equal(fixture_tmpdir(dir, sizeof(dir), "mailer"), 0);
	snprintf(path, sizeof(path), "%s/box", dir);
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, msg, strlen(msg), &e), 0);
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, "S: y\n\nz", 7, &e), 0);
	got = slurp(path);
	assert_int_equal(strncmp(got, "From a@x.example ", 17), 0);
	assert_non_null(strstr(got, "\n\n>From here\n>>From there\nnot From\n\nFrom a@x.example "));
	assert_non_null(strstr(got, "\n\nz\n\n"));
	free(got);
	snprintf(path, sizeof(path), "%s/no/such/box", dir);
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, msg, strlen(msg), &e),
			 CRM_EX_IOERR);
	fixture_rmtree(dir);
}

static void mailer__maildir__new_not_tmp(void **state)
{
	char dir[64], md[128], path[512];
	struct crm_transport t = { CRM_TRANSPORT_MAILDIR, md };
	const char *rcpt[] = { "b@x.example" };
	struct crm_err e = { 0, "" };
	struct dirent *d;
	DIR *dp;
	int files = 0;

	(void)state;
	assert_int_equal(fixture_tmpdir(dir, sizeof(dir), "mailer"), 0);
	snprintf(md, sizeof(md), "%s/Mail", dir);
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, "S: x\n\nbody\n", 12, &e), 0);
	snprintf(path, sizeof(path), "%s/new", md);
	dp = opendir(path);
	assert_non_null(dp);
	while ((d = readdir(dp)) != NULL)
		if (d->d_name[0] != '.') {
			char file[1024], *got;

			snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
			got = slurp(file);
			assert_string_equal(got, "S: x\n\nbody\n");
			free(got);
			files++;
		}
	closedir(dp);
	assert_int_equal(files, 1);
	snprintf(path, sizeof(path), "%s/tmp", md);
	dp = opendir(path);
	assert_non_null(dp);
	while ((d = readdir(dp)) != NULL)
		assert_true(d->d_name[0] == '.');
	closedir(dp);
	fixture_rmtree(dir);
}

static void mailer__sendmail__arguments_input_status(void **state)
{
	char dir[64], cmd[256], path[128];
	struct crm_transport t = { CRM_TRANSPORT_SENDMAIL, cmd };
	const char *rcpt[] = { "b@x.example", "c@x.example" };
	struct crm_err e = { 0, "" };
	char *got;

	(void)state;
	assert_int_equal(fixture_tmpdir(dir, sizeof(dir), "mailer"), 0);
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(cmd, sizeof(cmd), "{ printf '%%s|' \"$@\"; cat; } > %s; : ", path);
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 2, "S: x\n\nhi\n", 10, &e), 0);
	got = slurp(path);
	assert_string_equal(got, "-f|a@x.example|S: x\n\nhi\n");
	free(got);
	snprintf(cmd, sizeof(cmd), "cat > /dev/null; exit 75; :");
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, "x\n", 2, &e),
			 CRM_EX_TEMPFAIL);
	snprintf(cmd, sizeof(cmd), "exit 3; :");
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, "x\n", 2, &e),
			 CRM_EX_UNAVAILABLE);
	snprintf(cmd, sizeof(cmd), "kill -9 $$; :");
	assert_int_equal(crm_transport_send(&t, "a@x.example", rcpt, 1, "x\n", 2, &e),
			 CRM_EX_TEMPFAIL);
	fixture_rmtree(dir);
}

static void mailer__option__one_transport(void **state)
{
	struct crm_transport t = { CRM_TRANSPORT_SENDMAIL, NULL };
	struct crm_err e = { 0, "" };
	int given = 0;

	(void)state;
	assert_int_equal(crm_transport_option(CRM_TRANSPORT_OPT + 1, "mail.example", &t, &given, &e),
			 CRM_EX_USAGE);
	assert_int_equal(crm_transport_option(CRM_TRANSPORT_OPT + 1, "smtps://mail.example", &t,
					      &given, &e), 0);
	assert_int_equal(t.kind, CRM_TRANSPORT_SMTP);
	assert_string_equal(t.target, "smtps://mail.example");
	assert_int_equal(crm_transport_option(CRM_TRANSPORT_OPT + 2, "box", &t, &given, &e),
			 CRM_EX_USAGE);
	given = 0;
	assert_int_equal(crm_transport_option(CRM_TRANSPORT_OPT + 1, "smtp://u:pw@mail.example", &t,
					      &given, &e), CRM_EX_USAGE);
	assert_non_null(strstr(e.msg, "ps(1)"));
	assert_int_equal(crm_transport_option(CRM_TRANSPORT_OPT + 1, "smtp://u@mail.example:587", &t,
					      &given, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mailer__address__parsed),
		cmocka_unit_test(mailer__build__headers_and_body),
		cmocka_unit_test(mailer__build__refuses_what_adds_headers),
		cmocka_unit_test(mailer__mbox__mboxrd),
		cmocka_unit_test(mailer__maildir__new_not_tmp),
		cmocka_unit_test(mailer__sendmail__arguments_input_status),
		cmocka_unit_test(mailer__option__one_transport),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
