#!/bin/sh
# tests/e2e/log.sh - crm-log end to end: add (every type, keys, money,
# bad values), import (aliases, rejects, --strict, --dry-run, re-import),
# timeline, list in every format, purchases, tasks and due, channels.
# Each section that counts ids works on a store of its own.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z

# out_empty: stdout is empty (out_is "" wants one empty line).
out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}

# use NAME: the following cases work on a store of their own, store_at NAME,
# holding two contacts: 1 Ada (uid u-ada, ada@example.org) and 2 Bob.
use() {
	CRM_DB=$(store_at "$1")
	crm-contact add --uid u-ada --first-name Ada --last-name Lovelace \
		--email ada@example.org > /dev/null &&
	crm-contact add --first-name Bob --email bob@example.org > /dev/null ||
		echo "FAIL $SUITE: cannot set up store $1" >&2
}

# ---- program level ----------------------------------------------------------

run "--help lists every command" 0 'crm-log --help'
out_has "usage: crm-log [options] COMMAND [options] [args]"
for c in add import timeline list purchases task due channels; do
	out_has "  $c "
done
err_empty

run "command --help" 0 'crm-log add --help'
out_has "usage: crm-log add [options] CONTACT"
out_has "--body-file FILE|-"
out_has "common options:"
err_empty

run "task --help" 0 'crm-log task --help'
out_has "usage: crm-log task add CONTACT --due DATE"

run "--version" 0 'crm-log --version'
out_is "crm-log 0.1.0"

run "bad option" 64 'crm-log --bogus list'
err_is "crm-log: unknown option --bogus
usage: crm-log [options] COMMAND [options] [args]"
out_empty

run "bad option of a command" 64 'crm-log add --bogus 1'
err_is "crm-log: add: unknown option --bogus
usage: crm-log add [options] CONTACT"

run "option without its value" 64 'crm-log list --since'
err_has "crm-log: list: option --since needs a value"

run "unknown command" 64 'crm-log frobnicate'
err_is "crm-log: unknown command \"frobnicate\" (try 'crm-log --help')
usage: crm-log [options] COMMAND [options] [args]"

run "no command" 64 'crm-log'
err_has "crm-log: no command given"

check "usage errors do not create a store" '[ ! -e "$CRM_DB" ]'

# ---- add --------------------------------------------------------------------

use add

run "add a note: prints the id" 0 'crm-log add --subject "first contact" ada@example.org'
out_is "1"
err_empty
check "a note: type note, channel other, time now, agent \$CRM_USER" \
	'[ "$(sql "SELECT contact_id, at, channel, direction, type, subject, agent, created_at FROM interactions WHERE id = 1")" = \
	   "1|2026-01-01T00:00:00Z|other||note|first contact|tester|2026-01-01T00:00:00Z" ]'

run "add each type; the channel follows the type" 0 '
	for t in call email meeting message; do crm-log add --type $t --at 2025-12-01 u-ada; done
	crm-log add --type task --due 2025-12-05 --at 2025-12-01 u-ada
	crm-log add --type purchase --amount 12.50 1
	crm-log add --type refund --amount 2.5 1'
out_is "2
3
4
5
6
7
8"
check "types and their channels" \
	'[ "$(sql "SELECT group_concat(type || \":\" || channel, \" \") FROM (SELECT * FROM interactions ORDER BY id) AS t")" = \
	   "note:other call:phone email:email meeting:meeting message:chat task:other purchase:other refund:other" ]'
check "amounts in minor units, a refund negative, currency EUR" \
	'[ "$(sql "SELECT amount || \" \" || currency FROM interactions WHERE id IN (7, 8) ORDER BY id")" = "1250 EUR
-250 EUR" ]'

run "an amount alone makes a purchase" 0 'crm-log add --amount 3 bob@example.org'
out_is "9"
check "type purchase, 300 minor units" \
	'[ "$(sql "SELECT type, amount FROM interactions WHERE id = 9")" = "purchase|300" ]'

run "every field" 0 \
	'crm-log add --type call --channel sms --direction OUT --at 2025-12-24T18:30:00+01:00 --subject "Season" --body "Hi" --agent alice --outcome "left message" --duration 1h30m --lead 3 --ticket 4 --key call-1 1'
out_is "10"
check "every field stored, normalised" \
	'[ "$(sql "SELECT at, channel, direction, type, subject, body, agent, outcome, duration, lead_id, ticket_id, ext_key FROM interactions WHERE id = 10")" = \
	   "2025-12-24T17:30:00Z|sms|out|call|Season|Hi|alice|left message|5400|3|4|call-1" ]'

run "--body-file - reads standard input" 0 \
	'printf "line one\nline two\n" | crm-log add --body-file - --subject mail 1'
out_is "11"
check "the body kept as read, line breaks too" \
	'[ "$(sql "SELECT body FROM interactions WHERE id = 11")" = "line one
line two" ]'

run "--body-file FILE" 0 'printf "from a file" > body.txt && crm-log add --body-file body.txt 2'
out_is "12"
check "body from the file" '[ "$(sql "SELECT body FROM interactions WHERE id = 12")" = "from a file" ]'

run "--body-file that does not exist" 66 'crm-log add --body-file nosuch.txt 1'
err_is "crm-log: add: cannot open nosuch.txt: No such file or directory"

run "--body-file with a NUL byte" 65 'printf "a\000b" | crm-log add --body-file - 1'
err_is "crm-log: add: -: body has a NUL byte"

run "the durations" 0 '
	for d in 90 90s 15m 1h2m3s 2:05 1:30:00 0; do crm-log add --type call --duration $d 1 > /dev/null || exit 1; done
	sql "SELECT group_concat(duration, \" \") FROM (SELECT duration FROM interactions WHERE id > 12 ORDER BY id) AS t"'
out_is "90 90 900 3723 125 5400 0"

run "CRM_CURRENCY and currency decimals (JPY 0, KWD 3)" 0 '
	CRM_CURRENCY=usd crm-log add --amount 1 1 &&
	crm-log add --amount 1000 --currency jpy 1 &&
	crm-log add --amount 1.234 --currency KWD 1'
out_is "20
21
22"
check "USD 100, JPY 1000, KWD 1234 minor units" \
	'[ "$(sql "SELECT group_concat(amount || currency, \" \") FROM (SELECT * FROM interactions WHERE id >= 20 ORDER BY id) AS t")" = "100USD 1000JPY 1234KWD" ]'

run "--no-future accepts now and the past" 0 \
	'crm-log add --no-future --at 2026-01-01T00:00:00Z 1 && crm-log add --no-future --at -1d 1'
out_is "23
24"

run "--no-future rejects a future time" 65 'crm-log add --no-future --at +1d 1'
err_is "crm-log: add: time 2026-01-02T00:00:00Z is in the future (--no-future)"

run "a future time without --no-future" 0 'crm-log add --at 2026-06-01 1'
out_is "25"

check "nothing stored by the failed adds so far" '[ "$(sql "SELECT count(*) FROM interactions")" = 25 ]'

# -- keys

run "a key: first time" 0 'crm-log add --type email --direction in --key "<m1@example.org>" 1'
out_is "26"

run "the same key again: same id, nothing added" 0 \
	'crm-log add --type email --direction in --key "<m1@example.org>" ada@example.org'
out_is "26"
err_empty

run "the same key with -v says so" 0 'crm-log add -v --type call --key "<m1@example.org>" u-ada'
out_is "26"
err_is "crm-log: add: key \"<m1@example.org>\" was already logged as 26: nothing added"

check "one row for the key" \
	'[ "$(sql "SELECT count(*), min(type) FROM interactions WHERE ext_key = \"<m1@example.org>\"")" = "1|email" ]'

run "the same key for another contact" 65 'crm-log add --key "<m1@example.org>" 2'
err_is "crm-log: add: key \"<m1@example.org>\" belongs to interaction 26 of contact 1"

# -- bad values

run "unknown contact" 1 'crm-log add nobody@example.org'
err_is "crm-log: add: no contact \"nobody@example.org\""
out_empty

run "unknown contact id" 1 'crm-log add --key k-x 999'
err_is "crm-log: add: no contact \"999\""

run "no contact" 64 'crm-log add --subject x'
err_is "crm-log: add: give one contact: an id, uid or email
usage: crm-log add [options] CONTACT"

run "two contacts" 64 'crm-log add 1 2'
err_has "crm-log: add: give one contact: an id, uid or email"

run "bad channel" 65 'crm-log add --channel fax 1'
err_is "crm-log: add: invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other)"

run "bad direction" 65 'crm-log add --direction sideways 1'
err_is "crm-log: add: invalid direction \"sideways\" (use in or out)"

run "bad type" 65 'crm-log add --type fax 1'
err_is "crm-log: add: invalid type \"fax\" (use note, call, email, meeting, message, purchase, refund or task)"

for d in 1h30 1:60 abc 1:2:3:4 -5 10000000000; do
	run "bad duration $d" 65 "crm-log add --type call --duration '$d' 1"
	err_is "crm-log: add: invalid duration \"$d\" (use seconds, 15m, 1h30m or 1:30:00)"
done

run "bad amount 12,3.4" 65 'crm-log add --amount 12,3.4 1'
err_is "crm-log: add: invalid amount \"12,3.4\": invalid (EUR has 2 decimals; use a dot, no thousands separators)"

run "bad amount 1.234 for EUR" 65 'crm-log add --amount 1.234 --currency EUR 1'
err_is "crm-log: add: invalid amount \"1.234\": too many decimals (EUR has 2 decimals; use a dot, no thousands separators)"

run "bad amount 1.5 for JPY" 65 'crm-log add --amount 1.5 --currency JPY 1'
err_is "crm-log: add: invalid amount \"1.5\": invalid (JPY has 0 decimals; use a dot, no thousands separators)"

run "bad amount 1,000" 65 'crm-log add --amount 1,000 1'
err_has "invalid amount \"1,000\""

run "negative amount" 65 'crm-log add --amount -5 1'
err_is "crm-log: add: amount \"-5\" is negative: give refunds as type refund with a positive amount"

run "negative refund" 65 'crm-log add --type refund --amount -5 1'
err_has "is negative"

run "purchase without an amount" 65 'crm-log add --type purchase 1'
err_is "crm-log: add: a purchase needs an amount"

run "refund without an amount" 65 'crm-log add --type refund 1'
err_is "crm-log: add: a refund needs an amount"

run "amount on a note" 65 'crm-log add --type note --amount 5 1'
err_is "crm-log: add: an amount belongs to a purchase or refund, not a note"

run "currency on a call" 65 'crm-log add --type call --currency USD 1'
err_is "crm-log: add: a currency belongs to a purchase or refund, not a call"

run "bad currency" 65 'crm-log add --amount 1 --currency EURO 1'
err_is "crm-log: add: invalid currency \"EURO\" (use an ISO 4217 code such as EUR)"

run "bad CRM_CURRENCY" 78 'CRM_CURRENCY=us1 crm-log add --amount 1 1'
err_is "crm-log: add: invalid CRM_CURRENCY \"us1\""

run "bad time" 65 'crm-log add --at 2026-02-30 1'
err_is "crm-log: add: invalid date \"2026-02-30\""

run "bad lead id" 65 'crm-log add --lead x 1'
err_is "crm-log: add: invalid lead id \"x\": invalid"

run "a subject with a tab" 65 'crm-log add --subject "$(printf "a\tb")" 1'
err_is "crm-log: add: subject is not one line of text (control characters, invalid UTF-8 or over 1000 bytes)"

run "--due on add makes a task, assigned to the agent" 0 'CRM_USER=zed crm-log add --due tomorrow 1'
check "the task from add" '[ "$(sql "SELECT type || \" \" || assignee FROM interactions ORDER BY id DESC LIMIT 1")" = "task zed" ]'

run "a task without a due date is refused" 65 'crm-log add --type task 1'
err_is "crm-log: add: a task needs a due date"

check "no bad add wrote anything" '[ "$(sql "SELECT count(*) FROM interactions")" = 27 ]'

# ---- import -----------------------------------------------------------------

use import
cat > "$T/i1.csv" <<'EOF'
E-mail,Date,Medium,Dir,Kind,Title,Notes,Sales Rep,Result,Duration,Total,Currency,Order ID
ada@example.org,2025-12-01T10:00:00Z,email,in,email,Hello,"two
lines",alice,,,,,m-1
2,2025-12-02,phone,out,call,Call,,bob,answered,5m,,,m-2
u-ada,2025-12-03,web,in,purchase,Order,,,,,19.99,eur,o-1
new@example.org,2025-12-04,web,in,purchase,Order,,,,,5,usd,o-2
ada@example.org,2025-12-05,fax,in,note,Bad,,,,,,,m-3
EOF

run "import with header aliases; bad rows to the rejects file" 65 \
	'crm-log import --rejects rej.csv i1.csv'
out_empty
err_is "crm-log: import: i1.csv: 5 read, 3 added, 0 updated, 2 rejected (see rej.csv)"
check "the three good rows, mapped by their headers" \
	'[ "$(sql "SELECT contact_id, at, channel, direction, type, subject, body, agent, outcome, duration, amount, currency, ext_key FROM interactions ORDER BY at")" = \
	   "1|2025-12-01T10:00:00Z|email|in|email|Hello|two
lines|alice|||||m-1
2|2025-12-02T00:00:00Z|phone|out|call|Call||bob|answered|300|||m-2
1|2025-12-03T00:00:00Z|web|in|purchase|Order||tester|||1999|EUR|o-1" ]'

check "the rejects file: line, reason, the row" '[ "$(cat rej.csv)" = \
"line,reason,E-mail,Date,Medium,Dir,Kind,Title,Notes,Sales Rep,Result,Duration,Total,Currency,Order ID
6,\"no contact \"\"new@example.org\"\"\",new@example.org,2025-12-04,web,in,purchase,Order,,,,,5,usd,o-2
7,\"invalid channel \"\"fax\"\" (use email, phone, sms, chat, social, meeting, post, web or other)\",ada@example.org,2025-12-05,fax,in,note,Bad,,,,,,,m-3" ]'

run "without --rejects the rejects go to stderr" 65 'crm-log import i1.csv'
err_is "crm-log: import: i1.csv:6: no contact \"new@example.org\": row rejected
crm-log: import: i1.csv:7: invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other): row rejected
crm-log: import: i1.csv: 5 read, 0 added, 0 updated, 3 unchanged, 2 rejected"

check "re-import added nothing" '[ "$(sql "SELECT count(*) FROM interactions")" = 3 ]'

run "--dry-run --create-contacts writes nothing" 65 'crm-log import -n --create-contacts i1.csv'
err_has "i1.csv: 5 read, 1 added, 0 updated, 3 unchanged, 1 rejected; dry run, nothing written"
check "no contact, no interaction written" \
	'[ "$(sql "SELECT count(*) FROM contacts; SELECT count(*) FROM interactions")" = "2
3" ]'

run "--create-contacts creates the unknown contact" 65 'crm-log import --create-contacts i1.csv'
err_is "crm-log: import: i1.csv:7: invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other): row rejected
crm-log: import: i1.csv: 5 read, 1 added, 0 updated, 3 unchanged, 1 rejected"
check "the new contact and its purchase" \
	'[ "$(sql "SELECT c.id, c.email, i.amount, i.currency FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE i.ext_key = \"o-2\"")" = \
	   "3|new@example.org|500|USD" ]'
check "its creation is in the history" \
	'[ "$(sql "SELECT action, who FROM history WHERE entity = \"contact\" AND entity_id = 3")" = "create|tester" ]'

run "--create-contacts needs an email" 65 \
	'printf "contact,at\n77,2025-01-01\n" | crm-log import --create-contacts -'
err_has "<stdin>:2: invalid email \"77\": row rejected"

run "the corrected rejects file imports with --map line=- --map reason=-" 0 \
	'sed "s/,fax,/,post,/" rej.csv > fixed.csv && crm-log import --map line=- --map Reason=- fixed.csv'
err_empty
check "the fixed row added once, nothing twice" \
	'[ "$(sql "SELECT count(*) FROM interactions; SELECT channel FROM interactions WHERE ext_key = \"m-3\"")" = "5
post" ]'

run "re-importing everything adds nothing" 65 'crm-log import -q --rejects rej2.csv i1.csv'
err_empty
check "still five rows" '[ "$(sql "SELECT count(*) FROM interactions")" = 5 ]'

run "-v prints the summary when all went well" 0 'crm-log import -v --map line=- --map reason=- fixed.csv'
err_is "crm-log: import: fixed.csv: 2 read, 0 added, 0 updated, 2 unchanged, 0 rejected"

cat > "$T/i2.csv" <<'EOF'
contact,at,type,subject,key
1,2025-11-01,call,good one,s-1
1,2025-11-02,fax,bad one,s-2
EOF

run "--strict: one bad row, nothing written" 65 'crm-log import --strict i2.csv'
err_is "crm-log: import: i2.csv:3: invalid type \"fax\" (use note, call, email, meeting, message, purchase, refund or task): row rejected
crm-log: import: i2.csv: 2 read, 1 added, 0 updated, 1 rejected; --strict: nothing written"
check "no row of the strict batch" '[ "$(sql "SELECT count(*) FROM interactions WHERE ext_key LIKE \"s-%\"")" = 0 ]'

run "--strict with good rows commits" 0 'head -n 2 i2.csv | crm-log import --strict -'
err_empty
check "the strict batch committed" '[ "$(sql "SELECT count(*) FROM interactions WHERE ext_key LIKE \"s-%\"")" = 1 ]'

run "--dry-run of good rows" 0 \
	'printf "contact,subject\n1,dry\n" | crm-log import --dry-run -v -'
err_is "crm-log: import: <stdin>: 1 read, 1 added, 0 updated, 0 rejected; dry run, nothing written"
check "the dry run wrote nothing" '[ "$(sql "SELECT count(*) FROM interactions WHERE subject = \"dry\"")" = 0 ]'

run "a row without a key is added again" 0 '
	printf "contact,subject\n1,keyless\n" > nokey.csv
	crm-log import nokey.csv && crm-log import nokey.csv'
check "two keyless rows" '[ "$(sql "SELECT count(*) FROM interactions WHERE subject = \"keyless\"")" = 2 ]'

run "a key of another contact is rejected" 65 \
	'printf "contact,key\n2,m-1\n" | crm-log import -'
err_has "<stdin>:2: key \"m-1\" belongs to interaction 1 of contact 1: row rejected"

run "TSV input, a type implied by due" 0 \
	'printf "uid\tdue\tsubject\tassignee\nu-ada\t2026-01-03\timported task\tbob\n" | crm-log import -'
check "a task from TSV" \
	'[ "$(sql "SELECT type, due_at, assignee, agent FROM interactions WHERE subject = \"imported task\"")" = \
	   "task|2026-01-03T00:00:00Z|bob|tester" ]'

run "a UTF-8 BOM and CRLF line ends" 0 \
	'printf "\357\273\277Contact,Subject\r\n1,crlf\r\n" | crm-log import -'
check "the BOM and CR are not part of the data" \
	'[ "$(sql "SELECT count(*) FROM interactions WHERE subject = \"crlf\" AND contact_id = 1")" = 1 ]'

run "--no-future rejects a future row" 65 \
	'printf "contact,at\n1,2027-01-01\n" | crm-log import --no-future -'
err_has "<stdin>:2: time 2027-01-01T00:00:00Z is in the future (--no-future): row rejected"

run "a bad amount in a row" 65 \
	'printf "contact,amount,currency\n1,1.5,JPY\n1,12,3.4\n" | crm-log import -'
err_has "<stdin>:2: invalid amount \"1.5\": invalid (JPY has 0 decimals"
err_has "<stdin>:3: invalid currency \"3.4\""

run "a row with too many fields" 65 \
	'printf "contact,subject\n1,a,b\n" | crm-log import -'
err_has "<stdin>:2: expected 2 fields, found 3: row rejected"

run "an unknown column is kept as an attribute, named in the summary" 0 \
	'printf "email,when,foo\nada@example.org,2024-12-31,x\n" | crm-log -v import -'
err_is "crm-log: import: <stdin>: 1 read, 1 added, 0 updated, 0 rejected; kept as attributes: foo (attr.foo)"
check "attr.foo of that interaction" \
	'[ "$(sql "SELECT a.value FROM interaction_attrs a JOIN interactions i ON i.id = a.interaction_id WHERE i.at = \"2024-12-31T00:00:00Z\" AND a.name = \"foo\"")" = x ]'

run "--map COL=- ignores it" 0 \
	'printf "email,when,foo\nada@example.org,2025-01-01,ignored\n" | crm-log import --map FOO=- -'
check "the ignored column" '[ "$(sql "SELECT count(*) FROM interactions WHERE at = \"2025-01-01T00:00:00Z\" AND subject IS NULL")" = 1 ]'

run "--map COL=FIELD" 0 \
	'printf "email,Betreff\nbob@example.org,mapped\n" | crm-log import --map Betreff=subject -'
check "the mapped column" '[ "$(sql "SELECT contact_id FROM interactions WHERE subject = \"mapped\"")" = 2 ]'

run "--map to an unknown field" 64 \
	'printf "email,foo\n1,x\n" | crm-log import --map foo=bar -'
err_is "crm-log: import: --map: unknown field \"bar\""

run "--map without =" 64 'crm-log import --map foo i2.csv'
err_is "crm-log: import: --map wants COLUMN=FIELD, not \"foo\"
usage: crm-log import [options] FILE|-"

run "two columns for one field" 65 'printf "email,uid\nada@example.org,u-ada\n" | crm-log import -'
err_is "crm-log: import: two columns for contact (the second is \"uid\")"

run "no contact column" 65 'printf "when,subject\n2025-01-01,x\n" | crm-log import -'
err_is "crm-log: import: no contact column (contact, email, uid or contact_id)"

run "a row without its contact" 65 'printf "contact,subject\n,x\n" | crm-log import -'
err_has "<stdin>:2: no contact: column \"contact\" is empty: row rejected"

run "empty input" 65 ': | crm-log import -'
err_is "crm-log: import: <stdin>: empty input: no header line"

run "--format tsv forces TSV" 65 'crm-log --format tsv import i2.csv'
err_has "no contact column"

run "--format jsonl is no input format" 64 'crm-log import --format jsonl i2.csv'
err_has "crm-log: import: --format for import is csv or tsv"

run "an import file that does not exist" 66 'crm-log import nosuch.csv'
err_is "crm-log: import: cannot open nosuch.csv: No such file or directory"

run "import without a file" 64 'crm-log import'
err_has "crm-log: import: give one input file, or - for stdin"

# ---- timeline ---------------------------------------------------------------

use timeline
run "set up a history" 0 '
	crm-log add --type email --direction out --at 2025-12-01T09:00:00Z --subject offer --agent alice 1 &&
	crm-log add --type email --direction in --at 2025-12-02T09:00:00Z --subject re:offer 1 &&
	crm-log add --type call --direction out --at 2025-12-03T09:00:00Z --subject follow-up --agent bob 1 &&
	crm-log add --amount 99.90 --channel web --direction in --at 2025-12-04T09:00:00Z --subject order 1 &&
	crm-log add --type note --at 2025-12-04T09:00:00Z --subject "same second" 1 &&
	crm-log add --type call --at 2025-12-02T10:00:00Z --subject "bob only" 2 &&
	CRM_NOW=2026-01-02T00:00:00Z crm-contact edit 1 --status customer'

run "timeline: newest first, ties by id" 0 'crm-log timeline u-ada'
out_is "at	source	id	channel	direction	type	subject	agent	amount	currency
2025-12-04T09:00:00Z	interaction	5	other		note	same second	tester		
2025-12-04T09:00:00Z	interaction	4	web	in	purchase	order	tester	99.90	EUR
2025-12-03T09:00:00Z	interaction	3	phone	out	call	follow-up	bob		
2025-12-02T09:00:00Z	interaction	2	email	in	email	re:offer	tester		
2025-12-01T09:00:00Z	interaction	1	email	out	email	offer	alice		"
err_empty

run "timeline --since --until" 0 \
	'crm-log timeline --no-header --since 2025-12-02 --until 2025-12-04 ada@example.org'
out_is "2025-12-03T09:00:00Z	interaction	3	phone	out	call	follow-up	bob		
2025-12-02T09:00:00Z	interaction	2	email	in	email	re:offer	tester		"

run "timeline --channel" 0 'crm-log timeline --no-header --channel EMAIL 1 | cut -f 3'
out_is "2
1"

run "timeline --type" 0 'crm-log timeline --no-header --type call 1 | cut -f 3'
out_is "3"

run "timeline --limit" 0 'crm-log timeline --no-header --limit 2 1 | cut -f 3'
out_is "5
4"

run "timeline --changes adds the contact's history" 0 'crm-log timeline --changes --limit 2 1'
out_is "at	source	id	channel	direction	type	subject	agent	amount	currency
2026-01-02T00:00:00Z	change	3			update	status: lead -> customer	tester		
2026-01-01T00:00:00Z	change	1			create		tester		"

run "timeline --changes with --type leaves changes out" 0 \
	'crm-log timeline --changes --no-header --type note 1 | cut -f 2'
out_is "interaction"

run "timeline of a contact with nothing matching" 1 'crm-log timeline --type refund 2'
out_is "at	source	id	channel	direction	type	subject	agent	amount	currency"
err_empty

run "timeline of an unknown contact" 1 'crm-log timeline nobody@example.org'
err_is "crm-log: timeline: no contact \"nobody@example.org\""

run "timeline without a contact" 64 'crm-log timeline'
err_is "crm-log: timeline: give one contact: an id, uid or email
usage: crm-log timeline [options] CONTACT"

run "timeline with a bad channel" 64 'crm-log timeline --channel fax 1'
err_is "crm-log: timeline: invalid channel \"fax\" (use email, phone, sms, chat, social, meeting, post, web or other)
usage: crm-log timeline [options] CONTACT"

run "timeline with a bad --since" 64 'crm-log timeline --since someday 1'
err_has "crm-log: timeline: --since: invalid date \"someday\""

# ---- list -------------------------------------------------------------------

run "list: every contact, oldest first" 0 'crm-log list'
out_is "id	at	contact	email	channel	direction	type	subject	agent	outcome	duration	amount	currency	key
1	2025-12-01T09:00:00Z	1	ada@example.org	email	out	email	offer	alice					
2	2025-12-02T09:00:00Z	1	ada@example.org	email	in	email	re:offer	tester					
6	2025-12-02T10:00:00Z	2	bob@example.org	phone		call	bob only	tester					
3	2025-12-03T09:00:00Z	1	ada@example.org	phone	out	call	follow-up	bob					
4	2025-12-04T09:00:00Z	1	ada@example.org	web	in	purchase	order	tester			99.90	EUR	
5	2025-12-04T09:00:00Z	1	ada@example.org	other		note	same second	tester					"

run "list --format csv" 0 'crm-log list --format csv --type call'
out_is "id,at,contact,email,channel,direction,type,subject,agent,outcome,duration,amount,currency,key
6,2025-12-02T10:00:00Z,2,bob@example.org,phone,,call,bob only,tester,,,,,
3,2025-12-03T09:00:00Z,1,ada@example.org,phone,out,call,follow-up,bob,,,,,"

run "list --format jsonl" 0 'crm-log --format jsonl list --type purchase'
out_is '{"id":4,"at":"2025-12-04T09:00:00Z","contact":1,"email":"ada@example.org","channel":"web","direction":"in","type":"purchase","subject":"order","agent":"tester","outcome":null,"duration":null,"amount":99.90,"currency":"EUR","key":null}'

run "list --format table" 0 'crm-log list --format table --agent bob'
out_is "id  at                    contact  email            channel  direction  type  subject    agent  outcome  duration  amount  currency  key
 3  2025-12-03T09:00:00Z        1  ada@example.org  phone    out        call  follow-up  bob"

run "list --format tsv --no-header" 0 'crm-log list --format tsv --no-header --limit 1'
out_is "1	2025-12-01T09:00:00Z	1	ada@example.org	email	out	email	offer	alice					"

run "list --contact --direction" 0 'crm-log list --no-header --contact u-ada --direction out | cut -f 1'
out_is "1
3"

run "list --since --until --channel" 0 \
	'crm-log list --no-header --since 2025-12-02 --until 2025-12-04T09:00:00Z --channel phone | cut -f 1'
out_is "6
3"

run "list --agent" 0 'crm-log list --no-header --agent tester --type email | cut -f 1'
out_is "2"

run "list: nothing matches" 1 'crm-log list --agent nobody'
out_is "id	at	contact	email	channel	direction	type	subject	agent	outcome	duration	amount	currency	key"
err_empty

run "list --contact unknown" 1 'crm-log list --contact 99'
err_is "crm-log: list: no contact \"99\""

run "list with a bad type" 64 'crm-log list --type fax'
err_has "crm-log: list: invalid type \"fax\""

run "list with a bad direction" 64 'crm-log list --direction up'
err_has "crm-log: list: invalid direction \"up\" (use in or out)"

run "list with a bad --limit" 64 'crm-log list --limit 0'
err_has "crm-log: list: --limit: too small number \"0\""

run "list with an operand" 64 'crm-log list 1'
err_has "crm-log: list: unexpected argument \"1\""

# ---- purchases --------------------------------------------------------------

use purchases
run "purchases and refunds in three currencies" 0 '
	crm-log add --amount 19.99 --at 2025-12-01 --key o-1 1 &&
	crm-log add --amount 5 --at 2025-12-02 --key o-2 1 &&
	crm-log add --type refund --amount 4.99 --at 2025-12-03 --key r-1 1 &&
	crm-log add --amount 1500 --currency JPY --at 2025-12-04 2 &&
	crm-log add --amount 0.125 --currency KWD --at 2025-12-05 2 &&
	crm-log add --type call --at 2025-12-06 1'
out_lines 6

run "purchases lists purchases and refunds only" 0 'crm-log purchases --no-header | cut -f 1,7,12,13'
out_is "1	purchase	19.99	EUR
2	purchase	5.00	EUR
3	refund	-4.99	EUR
4	purchase	1500	JPY
5	purchase	0.125	KWD"

run "purchases --contact --since" 0 'crm-log purchases --no-header --contact ada@example.org --since 2025-12-02 | cut -f 1'
out_is "2
3"

run "purchases --type refund" 0 'crm-log purchases --no-header --type refund | cut -f 1,12'
out_is "3	-4.99"

check "the EUR total in minor units" \
	'[ "$(sql "SELECT sum(amount) FROM interactions WHERE type IN (\"purchase\", \"refund\") AND currency = \"EUR\"")" = 2000 ]'
check "JPY and KWD in their own minor units" \
	'[ "$(sql "SELECT group_concat(amount, \" \") FROM (SELECT amount FROM interactions WHERE currency IN (\"JPY\", \"KWD\") ORDER BY id) AS t")" = "1500 125" ]'

run "purchases: none" 1 'crm-log purchases --contact 2 --until 2025-12-01'
out_lines 1

# ---- tasks and due ----------------------------------------------------------

use tasks
run "due with no tasks: nothing at all, exit 1" 1 'crm-log due'
out_empty
err_empty

run "task add prints the id" 0 'crm-log task add 1 --due 2025-12-31 Call back about the order'
out_is "1"
check "a task: type, subject, due, assignee \$CRM_USER" \
	'[ "$(sql "SELECT type, channel, subject, due_at, assignee, agent, CASE WHEN done_at IS NULL THEN 1 ELSE 0 END FROM interactions WHERE id = 1")" = \
	   "task|other|Call back about the order|2025-12-31T00:00:00Z|tester|tester|1" ]'

run "task add --assign, relative due" 0 '
	crm-log task add bob@example.org --due +1d --assign alice Send quote &&
	crm-log task add --due +5d u-ada Renewal &&
	crm-log task add --due +1d --key t-1 1 Keyed &&
	crm-log task add --due +1d --key t-1 1 Keyed'
out_is "2
3
4
4"

run "due: open tasks by due time" 0 'crm-log due'
out_is "id	due	assignee	contact	name	email	subject	overdue
1	2025-12-31T00:00:00Z	tester	1	Ada Lovelace	ada@example.org	Call back about the order	yes
2	2026-01-02T00:00:00Z	alice	2	Bob	bob@example.org	Send quote	no
4	2026-01-02T00:00:00Z	tester	1	Ada Lovelace	ada@example.org	Keyed	no
3	2026-01-06T00:00:00Z	tester	1	Ada Lovelace	ada@example.org	Renewal	no"

run "due --overdue" 0 'crm-log due --no-header --overdue | cut -f 1'
out_is "1"

run "due --within 2d (overdue ones too)" 0 'crm-log due --no-header --within 2d | cut -f 1'
out_is "1
2
4"

run "due --within +1w --agent alice" 0 'crm-log due --no-header --within +1w --agent alice | cut -f 1,3'
out_is "2	alice"

run "due --within 12h: only the overdue one" 0 'crm-log due --no-header --within 12h | cut -f 1'
out_is "1"

run "due --agent with nothing due" 1 'crm-log due --agent nobody'
out_empty
err_empty

run "due later, as time goes by" 0 'CRM_NOW=2026-01-03 crm-log due --no-header --overdue | cut -f 1'
out_is "1
2
4"

run "task done" 0 'crm-log task done 1 4'
out_empty
err_empty
check "done_at set" '[ "$(sql "SELECT group_concat(id) FROM (SELECT id FROM interactions WHERE done_at = \"2026-01-01T00:00:00Z\" ORDER BY id) AS t")" = "1,4" ]'

run "task done again keeps the first time" 0 'CRM_NOW=2026-01-05 crm-log task done 1'
check "done_at unchanged" '[ "$(sql "SELECT done_at FROM interactions WHERE id = 1")" = "2026-01-01T00:00:00Z" ]'

run "done tasks are not due" 1 'crm-log due --overdue'
out_empty

run "task done of a missing task" 1 'crm-log task done 2 99'
err_is "crm-log: task: no task 99"
check "the other id was still done" '[ "$(sql "SELECT CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END FROM interactions WHERE id = 2")" = 1 ]'

run "task done of an interaction that is no task" 1 \
	'id=$(crm-log add --type call 1) && crm-log task done "$id"'
err_is "crm-log: task: no task 5"

run "task done with a bad id" 64 'crm-log task done x'
err_has "crm-log: task: invalid task id \"x\"
usage: crm-log task"

run "task done without ids" 64 'crm-log task done'
err_has "crm-log: task: give the ids of the tasks done"

run "task add without --due" 64 'crm-log task add 1 Renewal'
err_is "crm-log: task: a task needs --due DATE
usage: crm-log task add CONTACT --due DATE [--assign AGENT] TEXT... | task done ID..."

run "task add without text" 64 'crm-log task add 1 --due +1d'
err_has "crm-log: task: give a contact and the task's text"

run "task add for an unknown contact" 1 'crm-log task add 9 --due +1d Hello'
err_is "crm-log: task: no contact \"9\""

run "task add with a bad due date" 65 'crm-log task add 1 --due soon Hello'
err_is "crm-log: task: invalid date \"soon\""

run "task without add or done" 64 'crm-log task frob'
err_has "crm-log: task: give add or done"

run "due --within with a bad value" 64 'crm-log due --within x'
err_has "crm-log: due: --within: invalid date \"+x\" (use 2d, 1w, 12h)"

run "due with an operand" 64 'crm-log due today'
err_has "crm-log: due: unexpected argument \"today\""

# ---- channels ---------------------------------------------------------------

use channels
crm-contact add --email cy@example.org > /dev/null
run "set up traffic" 0 '
	crm-log add --type email --direction out --at 2025-12-01 1 &&
	crm-log add --type email --direction in --at 2025-12-03 1 &&
	crm-log add --type call --direction in --at 2025-12-10 1 &&
	crm-log add --type message --channel sms --direction out --at 2025-12-20 1 &&
	crm-log add --type message --direction in --at 2025-12-01 2 &&
	crm-log add --type message --channel sms --direction in --at 2025-12-02 2 &&
	crm-log add --type note --at 2025-12-05 3'
out_lines 7

run "channels of one contact: inbound plus answered outbound" 0 'crm-log channels ada@example.org'
out_is "channel	inbound	outbound	answered	score	preferred
email	1	1	1	2	yes
phone	1	0	0	1	no"

run "channels: a tie goes to the latest inbound" 0 'crm-log channels 2'
out_is "channel	inbound	outbound	answered	score	preferred
sms	1	0	0	1	yes
chat	1	0	0	1	no"

run "channels --window 1: the email answer came too late" 0 'crm-log channels --window 1 1'
out_is "channel	inbound	outbound	answered	score	preferred
phone	1	0	0	1	yes
email	1	1	0	1	no"

run "channels of a contact without directed traffic" 1 'crm-log channels 3'
out_is "channel	inbound	outbound	answered	score	preferred"

run "channels --all" 0 'crm-log channels --all'
out_is "id	email	preferred	score	inbound	answered	stored
1	ada@example.org	email	2	1	1	
2	bob@example.org	sms	1	1	0	"

check "channels without --update writes nothing" \
	'[ "$(sql "SELECT count(*) FROM contacts WHERE preferred_channel IS NOT NULL")" = 0 ]'

run "channels --all --update" 0 'crm-log channels -v --all --update'
out_has "1	ada@example.org	email	2	1	1	"
err_is "crm-log: channels: 2 contacts updated"

run "crm-contact show reveals the preferred channel" 0 \
	'crm-contact show --format table ada@example.org | grep "^preferred_channel "'
out_is "preferred_channel  email"

run "crm-contact history records it" 0 'crm-contact history --no-header 1 | cut -f 5-8'
out_is "create			
update	preferred_channel		email"

run "channels --all after the update shows it stored" 0 'crm-log channels --all --no-header | cut -f 1,3,7'
out_is "1	email	email
2	sms	sms"

run "channels --update again changes nothing" 0 'crm-log channels -v --all --update'
err_is "crm-log: channels: 0 contacts updated"
check "no second history row" \
	'[ "$(sql "SELECT count(*) FROM history WHERE field = \"preferred_channel\"")" = 2 ]'

run "channels --update of one contact; any inbound answers an outbound" 0 '
	crm-log add --type call --direction in --at 2025-12-21 1 > /dev/null &&
	crm-log channels --update --no-header 1'
out_is "phone	2	0	0	2	yes
email	1	1	1	2	no
sms	0	1	1	1	no"
check "preferred channel now phone" '[ "$(sql "SELECT preferred_channel FROM contacts WHERE id = 1")" = phone ]'

# An erased person keeps anonymous interactions (for counts), but gets no
# preferred channel written back, and no history row.
run "channels --all --update leaves an erased contact alone" 0 '
	crm-contact erase -f 2 &&
	crm-log channels -v --all --update --no-header'
out_lacks "erased-2"
check "the erased contact has no preferred channel and no new history" \
	'[ "$(sql "SELECT coalesce(preferred_channel, \"-\") FROM contacts WHERE id = 2; SELECT count(*) FROM history WHERE entity_id = 2 AND field = \"preferred_channel\"")" = "-
0" ]'

run "channels of an unknown contact" 1 'crm-log channels 99'
err_is "crm-log: channels: no contact \"99\""

run "channels without a contact" 64 'crm-log channels'
err_is "crm-log: channels: give one contact, or --all
usage: crm-log channels [--update] [--window DAYS] CONTACT|--all"

run "channels with a contact and --all" 64 'crm-log channels --all 1'
err_has "give one contact, or --all"

run "channels with a bad --window" 64 'crm-log channels --window 0 1'
err_has "crm-log: channels: --window: days from 1 to 3650, not \"0\""


# ---- --create-contacts with several rows, and key clashes with their lines ------

run "two rows for one new contact create it once" 0 \
	'printf "email,at,type,amount,key\nfresh@example.org,2025-01-02,purchase,5,b-2\nzed@example.org,2025-01-01,note,,b-0\nfresh@example.org,2025-01-01,purchase,7,b-1\n" | CRM_DB=$(store_at blocks) crm-log import --create-contacts -'
check "one contact each, three interactions" \
	'[ "$(sql_in "$(store_at blocks)" "SELECT count(*) FROM contacts; SELECT count(*) FROM interactions")" = "2
3" ]'
check "each row keeps its own fields" \
	'[ "$(sql_in "$(store_at blocks)" "SELECT c.email || \" \" || i.ext_key || \" \" || coalesce(i.amount, 0) FROM interactions i JOIN contacts c ON c.id = i.contact_id ORDER BY i.ext_key")" = "zed@example.org b-0 0
fresh@example.org b-1 700
fresh@example.org b-2 500" ]'
run "a key clash found while writing is rejected with its own line" 65 \
	'printf "email,key\nzed@example.org,b-9\nfresh@example.org,b-0\n" | CRM_DB=$(store_at blocks) crm-log import --rejects clash.csv -'
check "the clashing row in the rejects file, with line 3" 'grep -q "^3,\"key \"\"b-0\"\" belongs to interaction" clash.csv'

finish
