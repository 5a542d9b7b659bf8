#!/bin/sh
# tests/e2e/ticket_reply.sh - crm-ticket reply end to end, on either
# store: the message built (read back by Python's email package, an
# independent reader: headers, encoded words, charset, quoted-printable,
# line lengths, threading), what a reply records (message out, event,
# first response, status), and every transport: --dry-run, --mbox
# (mboxrd), --maildir, --sendmail (a recording script, and msmtp), --smtp
# to a real SMTP server (aiosmtpd: AUTH, refusals, no server). A failed
# send records nothing; data that would add a header is refused.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-12-04T12:00:00Z
unset CRM_FROM CRM_SMTP_PASSWORD
PY=/usr/bin/python3
SINK="$TOP/tests/e2e/helpers/smtp-sink.py"

setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:\n%s\nwant:\n%s\n' "$1" "$2" >&2
	return 1
}

# mail FILE EXPR: EXPR over m, FILE read by Python's email package
mail() {
	"$PY" - "$1" "$2" <<'EOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(eval(sys.argv[2]))
EOF
}

replies() { sql "SELECT count(*) FROM ticket_messages WHERE direction = 'out'"; }

# start_sink NAME [ARGS]: an SMTP server writing to $T/NAME; its port in $PORT
start_sink() {
	_dir="$T/$1"
	shift
	mkdir -p "$_dir"
	"$PY" "$SINK" "$_dir" "$@" 2> "$_dir.log" &
	echo $! >> "$T/sinks"
	_i=0
	while [ ! -f "$_dir/port" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	PORT=$(cat "$_dir/port" 2> /dev/null)
}
trap 'if [ -f "$T/sinks" ]; then xargs kill < "$T/sinks" 2> /dev/null; fi; rm -rf "$T"' EXIT

setup crm-contact add --email jm@example.org --first-name Jürgen --last-name Müller
setup crm-contact add --email bo@example.org --first-name Bo
setup crm-contact add --first-name Nomail --phone +31201234567
printf 'Der Drucker druckt nicht.\n' > in.txt
setup 'crm-ticket open jm@example.org --subject "Drucker kaputt – bitte helfen" --body-file in.txt'

# the sender is the agent the store knows as who (CRM_USER here, the
# role on PostgreSQL: tester both ways)
run "no sender: no --from, no CRM_FROM, the agent not known" 64 "crm-ticket reply 1 --mbox x.mbox 'x'"
err_is 'crm-ticket: reply: who sends it? give --from ADDRESS (or set CRM_FROM, or give agent "tester" an --email)'
setup crm-ticket agent add tester
run "no sender: the agent has no email" 64 "crm-ticket reply 1 --mbox x.mbox 'x'"
setup crm-ticket agent add tester --email ann@help.example

# ---- the message -----------------------------------------------------------------

run "--dry-run prints the message" 0 "crm-ticket reply 1 --dry-run 'Hallo Jürgen,
From here on: bitte neu starten.'"
cp "$T/out" dry.eml
check "it reads back as written: names and subject decoded, the body in UTF-8" '
	is "$(mail dry.eml "str(m[\"From\"])")" "tester <ann@help.example>" &&
	is "$(mail dry.eml "str(m[\"To\"])")" "Jürgen Müller <jm@example.org>" &&
	is "$(mail dry.eml "str(m[\"Subject\"])")" "Re: Drucker kaputt – bitte helfen [#1]" &&
	is "$(mail dry.eml "\" \".join([m.get_content_type(), m.get_content_charset(), m[\"Content-Transfer-Encoding\"], m[\"MIME-Version\"]])")" "text/plain utf-8 quoted-printable 1.0" &&
	is "$(mail dry.eml "m.get_content()")" "Hallo Jürgen,
From here on: bitte neu starten." &&
	is "$(mail dry.eml "m[\"Date\"].datetime.isoformat()")" "2026-12-04T12:00:00+00:00" &&
	is "$(mail dry.eml "len(m.defects) + sum(len(m[h].defects) for h in m.keys())")" 0'
check "the headers are ASCII: encoded words for the name and subject" '
	! LC_ALL=C grep -q "[^ -~]" dry.eml &&
	grep -q "^Subject: .*=?UTF-8?" dry.eml && grep -q "^To: =?UTF-8?" dry.eml'
check "a dry run records nothing" 'is "$(replies)" 0 && is "$(sql "SELECT status FROM tickets WHERE id = 1")" new'

long=$(printf 'x%.0s' $(seq 1 2000))
run "a line of 2000 characters" 0 "crm-ticket reply 1 --dry-run --from ann@help.example 'ä$long'"
cp "$T/out" long.eml
check "no line over 78 octets, and the body reads back whole" '
	is "$(awk "length(\$0) > 78" long.eml | wc -l | tr -d " ")" 0 &&
	is "$(mail long.eml "m.get_content()")" "ä$long"'

# ---- recording and threading: mbox, maildir ------------------------------------

run "reply into an mbox: prints its Message-ID" 0 "crm-ticket reply 1 --mbox out.mbox 'Hallo Jürgen,
From now on it works.'"
first=$(cat "$T/out")
check "the mbox holds it: mboxrd quoting, the same Message-ID" '
	is "$(grep -c "^From " out.mbox)" 1 && grep -q "^>From now on it works.$" out.mbox &&
	is "$("$PY" -c "import mailbox,sys; b=mailbox.mbox(sys.argv[1]); print(len(b), b[0][\"Message-ID\"])" out.mbox)" "1 <$first>"'
check "recorded: the message out, the reply event, the first response, new is open" '
	is "$(tsql "SELECT direction, author, message_id FROM ticket_messages WHERE direction = '\''out'\''")" "out	tester	$first" &&
	is "$(tsql "SELECT kind, to_value, detail FROM ticket_events WHERE kind = '\''reply'\''")" "reply	jm@example.org	$first" &&
	is "$(tsql "SELECT status, first_response_at FROM tickets WHERE id = 1")" "open	2026-12-04T12:00:00Z" &&
	is "$(tsql "SELECT from_value, to_value FROM ticket_events WHERE kind = '\''status'\''")" "new	open"'
run "a second reply into a maildir, --status pending" 0 \
	"CRM_NOW=2026-12-04T13:00:00Z crm-ticket reply 1 --maildir md --status pending 'Noch etwas?'"
second=$(cat "$T/out")
check "the maildir holds it in new/, nothing left in tmp/" '
	is "$(ls md/new | wc -l | tr -d " ")" 1 && is "$(ls md/tmp | wc -l | tr -d " ")" 0 &&
	cp md/new/* second.eml && is "$(mail second.eml "m[\"Message-ID\"]")" "<$second>"'
check "threaded on the first: In-Reply-To and References" '
	is "$(mail second.eml "m[\"In-Reply-To\"]")" "<$first>" &&
	is "$(mail second.eml "m[\"References\"]")" "<$first>"'
check "pending now; the first response stays the first" '
	is "$(tsql "SELECT status, first_response_at FROM tickets WHERE id = 1")" "pending	2026-12-04T12:00:00Z" &&
	is "$(replies)" 2'
run "the timeline shows the replies" 0 'crm-log timeline jm@example.org'
out_has "ticket reply"

# ---- sendmail ----------------------------------------------------------------------

cat > fake-sendmail <<'EOF'
#!/bin/sh
printf '%s\n' "$@" > "$(dirname "$0")/sendmail.args"
cat > "$(dirname "$0")/sendmail.msg"
EOF
chmod +x fake-sendmail
run "--sendmail CMD: the message on its stdin, -f SENDER, the recipients the message's" 0 \
	"crm-ticket reply 1 --from 'Help Desk <help@help.example>' --sendmail '$T/fake-sendmail' 'Per sendmail.'"
third=$(cat "$T/out")
check "the command got the sender, and the message with its To" '
	is "$(cat sendmail.args)" "-f
help@help.example" &&
	is "$(mail sendmail.msg "str(m[\"To\"])")" "Jürgen Müller <jm@example.org>" &&
	is "$(mail sendmail.msg "\"|\".join([m[\"Message-ID\"], str(m[\"From\"]), m.get_content()])")" "<$third>|Help Desk <help@help.example>|Per sendmail."'
run "CRM_FROM is the sender when --from is not given" 0 \
	"CRM_FROM=desk@help.example crm-ticket reply 1 --sendmail '$T/fake-sendmail' 'Per env.'"
check "from CRM_FROM" 'is "$(sed -n 2p sendmail.args)" desk@help.example'
n=$(replies)
run "sendmail exiting 75: not sent, nothing recorded" 75 \
	"crm-ticket reply 1 --from ann@help.example --sendmail 'cat > /dev/null; exit 75' 'x'"
err_is 'crm-ticket: reply: sendmail: "cat > /dev/null; exit 75" exited 75: not sent'
check "nothing recorded" 'is "$(replies)" "$n"'
run "sendmail failing: 69" 69 "crm-ticket reply 1 --from ann@help.example --sendmail 'exit 1' 'x'"
run "a sendmail that is not there: 69" 69 \
	"crm-ticket reply 1 --from ann@help.example --sendmail '$T/no-such-sendmail' 'x'"
err_has 'not found (give --sendmail CMD, --smtp URL, --mbox FILE or --maildir DIR)'
check "still nothing recorded" 'is "$(replies)" "$n"'

# ---- SMTP: a real server -------------------------------------------------------------

if "$PY" -c 'import aiosmtpd' 2> /dev/null; then
	start_sink smtp
	run "--smtp to a server: delivered" 0 \
		"crm-ticket reply 1 --from ann@help.example --smtp smtp://127.0.0.1:$PORT 'Per SMTP, Jürgen.'"
	smtp_id=$(cat "$T/out")
	check "the server got it: envelope, Message-ID, body" '
		is "$("$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(d[\"from\"], *d[\"to\"])" smtp/0000.json)" "ann@help.example jm@example.org" &&
		is "$(mail smtp/0000.eml "\"|\".join([m[\"Message-ID\"], m.get_content()])")" "<$smtp_id>|Per SMTP, Jürgen."'
	if command -v msmtp > /dev/null; then
		run "--sendmail msmtp to the same server" 0 \
			"crm-ticket reply 1 --from ann@help.example --sendmail 'msmtp -t --host=127.0.0.1 --port=$PORT' 'Per msmtp.'"
		msmtp_id=$(cat "$T/out")
		check "msmtp delivered it" 'is "$(mail smtp/0001.eml "m[\"Message-ID\"]")" "<$msmtp_id>"'
	fi
	start_sink auth --login desk:s3cret
	n=$(replies)
	run "a password in the URL is refused: ps(1) shows it" 64 \
		"crm-ticket reply 1 --from ann@help.example --smtp smtp://desk:s3cret@127.0.0.1:$PORT 'x'"
	err_has "give it in \$CRM_SMTP_PASSWORD or ~/.netrc"
	run "AUTH refused: 77, nothing recorded" 77 \
		"CRM_SMTP_PASSWORD=wrong crm-ticket reply 1 --from ann@help.example --smtp smtp://desk@127.0.0.1:$PORT 'x'"
	err_has "Login denied"
	err_lacks "wrong"
	check "nothing recorded" 'is "$(replies)" "$n"'
	run "AUTH with \$CRM_SMTP_PASSWORD" 0 \
		"CRM_SMTP_PASSWORD=s3cret crm-ticket reply 1 --from ann@help.example --smtp smtp://desk@127.0.0.1:$PORT 'Authenticated.'"
	check "logged in as desk" 'is "$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))[\"login\"])" auth/0000.json)" desk'
	mkdir -p "$HOME" && printf 'machine 127.0.0.1 login desk password s3cret\n' > "$HOME/.netrc" && chmod 600 "$HOME/.netrc"
	run "AUTH from ~/.netrc" 0 \
		"crm-ticket reply 1 --from ann@help.example --smtp smtp://127.0.0.1:$PORT 'By netrc.'"
	check "logged in as desk again" 'is "$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))[\"login\"])" auth/0001.json)" desk'
	rm -f "$HOME/.netrc"
	start_sink refuse --reject 550
	n=$(replies)
	run "a 550 for the recipient: 69, nothing recorded" 69 \
		"crm-ticket reply 1 --from ann@help.example --smtp smtp://127.0.0.1:$PORT 'x'"
	err_has "(the server answered 550): not sent"
	start_sink later --reject 451
	run "a 451: 75, try later" 75 \
		"crm-ticket reply 1 --from ann@help.example --smtp smtp://127.0.0.1:$PORT 'x'"
	check "nothing recorded" 'is "$(replies)" "$n"'
else
	echo "e2e $SUITE: python3-aiosmtpd not installed: the SMTP cases are skipped" >&2
fi
run "no server there: 75" 75 "crm-ticket reply 1 --from ann@help.example --smtp smtp://127.0.0.1:1 'x'"
run "--smtp with something not a URL" 64 "crm-ticket reply 1 --smtp mail.example 'x'"
err_has 'crm-ticket: reply: --smtp: not an SMTP URL: "mail.example" (smtp://host[:port] or smtps://host[:port])'
run "two transports" 64 "crm-ticket reply 1 --mbox a --maildir b 'x'"
err_has 'crm-ticket: reply: give one of --sendmail, --smtp, --mbox and --maildir'

# ---- refusals ------------------------------------------------------------------------

setup 'crm-ticket open 3 --subject "Call me"'
run "a contact without an email address" 65 "crm-ticket reply 2 --from ann@help.example --mbox x.mbox 'x'"
err_is 'crm-ticket: reply: ticket 2: contact 3 has no email address'
run "--from that is no address" 64 "crm-ticket reply 1 --from 'ann at help' --mbox x.mbox 'x'"
err_is 'crm-ticket: reply: --from: not one mail address: "ann at help"'
setup "crm-ticket open bo@example.org --subject \"\$(printf 'Hi\r\nBcc: evil@example.net')\""
run "a subject that would add a header: refused" 65 "crm-ticket reply 3 --from ann@help.example --mbox x.mbox 'x'"
err_has 'Subject: a line break in'
check "nothing written anywhere" '[ ! -e x.mbox ] && is "$(sql "SELECT count(*) FROM ticket_messages WHERE ticket_id = 3")" 0'
run "a name that would add a header: refused" 65 \
	"crm-ticket reply 1 --from \"\$(printf 'Ann\nBcc: evil@example.net <ann@help.example>')\" --mbox x.mbox 'x'"
run "an empty reply" 64 "crm-ticket reply 1 --from ann@help.example --mbox x.mbox ''"
err_is 'crm-ticket: reply: an empty reply'
run "no text" 64 "crm-ticket reply 1"
setup 'crm-ticket status 1 closed'
run "a closed ticket" 65 "crm-ticket reply 1 --from ann@help.example --mbox x.mbox 'x'"
err_is 'crm-ticket: reply: ticket 1 is closed (crm-ticket reopen 1 first)'
run "no such ticket" 1 "crm-ticket reply 99 --from ann@help.example --mbox x.mbox 'x'"
err_is 'crm-ticket: reply: no ticket 99'
check "no mbox was made by any refusal" '[ ! -e x.mbox ]'

finish
