#!/bin/sh
# tests/e2e/contact.sh - crm-contact end to end: every subcommand, the
# output formats, the contact stream, history, and the store's edges
# (location, permissions, a busy store). Imports' bad input is in
# contact_import.sh, concurrency and kill in contact_stress.sh.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z

# out_empty: stdout is empty (out_is "" wants one empty line).
out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}

# ---- program level ----------------------------------------------------------

run "--help lists every command" 0 'crm-contact --help'
out_has "usage: crm-contact [options] COMMAND [options] [args]"
for c in add show edit rm list tag import export history; do
	out_has "  $c "
done
out_has "  --version "
err_empty

run "-h is --help" 0 'crm-contact -h'
out_has "usage: crm-contact [options] COMMAND [options] [args]"

run "--version prints name and version" 0 \
	'v=$(crm-contact --version) && printf "%s\\n" "$v" | grep -Eqx "crm-contact [0-9]+\.[0-9]+\.[0-9]+"'

run "command --help" 0 'crm-contact import --help'
out_has "usage: crm-contact import [options] FILE|-"
out_has "--rejects FILE"
out_has "common options:"
err_empty

run "bad option" 64 'crm-contact --bogus list'
err_is "crm-contact: unknown option --bogus
usage: crm-contact [options] COMMAND [options] [args]"
out_empty

run "bad option of a command" 64 'crm-contact list --bogus'
err_is "crm-contact: list: unknown option --bogus
usage: crm-contact list [--tag TAG]... [--search TEXT] [--where FIELD=VALUE]... [--sort FIELDS] [--limit N] [--fields FIELDS]"

run "bad short option of a command" 64 'crm-contact rm -x 1'
err_has "crm-contact: rm: unknown option -x"

run "option without its value" 64 'crm-contact list --limit'
err_has "crm-contact: list: option --limit needs a value"

run "unknown command" 64 'crm-contact frobnicate'
err_is "crm-contact: unknown command \"frobnicate\" (try 'crm-contact --help')
usage: crm-contact [options] COMMAND [options] [args]"

run "no command" 64 'crm-contact'
err_has "crm-contact: no command given"

run "unknown --format" 64 'crm-contact --format xml list'
err_has "unknown format \"xml\" (use tsv, csv, jsonl or table)"

check "usage errors do not create a store" 'no_store'

# ---- add --------------------------------------------------------------------

run "add prints the new id" 0 \
	'crm-contact add --uid u-ada --first-name Ada --last-name Lovelace --email Ada@Example.ORG --company "Analytical, Ltd" --tag vip,math shoe_size=38'
out_is "1"
err_empty
check "add stored the fields (email domain lowercased)" \
	'[ "$(sql "SELECT uid, first_name, last_name, email, company, status, created_at FROM contacts")" = \
	   "u-ada|Ada|Lovelace|Ada@example.org|Analytical, Ltd|lead|2026-01-01T00:00:00Z" ]'
check "add stored the custom field and tags" \
	'[ "$(sql "SELECT name || \"=\" || value FROM contact_fields; SELECT group_concat(tag) FROM (SELECT tag FROM contact_tags ORDER BY tag) AS t")" = "shoe_size=38
math,vip" ]'

run "add a second contact, FIELD=VALUE for a standard field" 0 \
	'crm-contact add --uid u-alan --first-name Alan last_name=Turing --email alan@example.org --phone "+44 20  7946 0000" --status customer --tag math'
out_is "2"
check "phone spaces collapsed, status set" \
	'[ "$(sql "SELECT phone, status FROM contacts WHERE id = 2")" = "+44 20 7946 0000|customer" ]'

run "add with nothing" 64 'crm-contact add'
err_is "crm-contact: add: nothing to add: give a name, email, phone, company or uid
usage: crm-contact add [--FIELD VALUE]... [--tag TAG]... [FIELD=VALUE]..."

run "add with a bare word" 64 'crm-contact add foo'
err_has "crm-contact: add: expected FIELD=VALUE, not \"foo\""

run "add with an invalid email" 65 'crm-contact add --email foo@'
err_is "crm-contact: add: invalid email \"foo@\""

run "add with an email taken (case does not matter)" 65 'crm-contact add --email ada@EXAMPLE.org'
err_is "crm-contact: add: email \"ada@example.org\" belongs to another contact"
check "nothing added" '[ "$(sql "SELECT count(*) FROM contacts")" = 2 ]'

run "add with a taken uid" 65 'crm-contact add --uid u-ada --first-name X'
err_is "crm-contact: add: uid \"u-ada\" belongs to another contact"

run "add with an impossible date" 65 'crm-contact add --first-name X --birthdate 2023-02-30'
err_is "crm-contact: add: invalid date \"2023-02-30\""

run "add with a future birthdate" 65 'crm-contact add --first-name X --birthdate 2026-01-02'
err_is "crm-contact: add: birthdate \"2026-01-02\" is in the future"

run "add with a bad status" 65 'crm-contact add --first-name X --status boss'
err_is "crm-contact: add: invalid status \"boss\" (use lead, prospect, customer or former)"

run "add with a bad tag" 65 'crm-contact add --first-name X --tag "two words"'
err_has "invalid tag \"two words\""

run "add cannot set the id" 65 'crm-contact add --first-name X id=7'
err_is "crm-contact: add: id cannot be set"

run "add with a bad custom field name" 65 'crm-contact add --first-name X 9lives=yes'
err_has "invalid field name \"9lives\""

run "add with a control character in a name" 65 "crm-contact add --first-name \"\$(printf 'a\\033b')\""
err_is "crm-contact: add: control character in first_name \"a?b\""
check "no bad contact was added" '[ "$(sql "SELECT count(*) FROM contacts")" = 2 ]'

# ---- show -------------------------------------------------------------------

run "show by id (tsv, every column, its own custom fields last)" 0 'crm-contact show 2'
out_is "$(printf 'id\tuid\tfirst_name\tlast_name\temail\tphone\tcompany\ttitle\taddress\tcity\tregion\tpostal_code\tcountry\tbirthdate\tgender\tlanguage\tsource\towner\tstatus\tpreferred_channel\temail_opt_out\tsms_opt_out\tcreated_at\tupdated_at\ttags\temails\tphones\n2\tu-alan\tAlan\tTuring\talan@example.org\t+44 20 7946 0000\t\t\t\t\t\t\t\t\t\t\t\t\tcustomer\t\t0\t0\t2026-01-01T00:00:00Z\t2026-01-01T00:00:00Z\tmath\t\t')"
err_empty

run "show by email, table is field/value" 0 'crm-contact --format table show ada@example.org'
out_is "field          value
id             1
uid            u-ada
first_name     Ada
last_name      Lovelace
email          Ada@example.org
company        Analytical, Ltd
status         lead
email_opt_out  0
sms_opt_out    0
created_at     2026-01-01T00:00:00Z
updated_at     2026-01-01T00:00:00Z
tags           math;vip
shoe_size      38"

run "show by uid, jsonl" 0 'crm-contact show u-ada --format jsonl'
out_is '{"id":1,"uid":"u-ada","first_name":"Ada","last_name":"Lovelace","email":"Ada@example.org","phone":null,"company":"Analytical, Ltd","title":null,"address":null,"city":null,"region":null,"postal_code":null,"country":null,"birthdate":null,"gender":null,"language":null,"source":null,"owner":null,"status":"lead","preferred_channel":null,"email_opt_out":0,"sms_opt_out":0,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","tags":"math;vip","emails":null,"phones":null,"shoe_size":"38"}'

run "show csv quotes the comma" 0 'crm-contact --format csv --no-header show 1'
out_is '1,u-ada,Ada,Lovelace,Ada@example.org,,"Analytical, Ltd",,,,,,,,,,,,lead,,0,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,math;vip,,,38'

run "show an unknown contact" 1 'crm-contact show 999'
err_is 'crm-contact: show: no contact "999"'
out_empty

run "show an unknown email" 1 'crm-contact show nobody@example.org'
err_is 'crm-contact: show: no contact "nobody@example.org"'

run "show without a contact" 64 'crm-contact show'
err_has "crm-contact: show: give one contact: an id, uid or email"

run "show with two contacts" 64 'crm-contact show 1 2'
err_has "give one contact"

# ---- edit and history -----------------------------------------------------

run "edit as another user at another time" 0 \
	'CRM_USER=bob CRM_DB=$(as_user bob) CRM_NOW=2026-01-02T10:00:00Z crm-contact edit --company Acme --unset last_name --title Countess ada@example.org shoe_size=39 hat=yes'
out_empty
err_empty

run "history shows who changed what, old and new" 0 'crm-contact --format csv history 1'
out_is "id,at,who,contact,action,field,old,new,note
1,2026-01-01T00:00:00Z,tester,1,create,,,,
3,2026-01-02T10:00:00Z,bob,1,update,last_name,Lovelace,,
4,2026-01-02T10:00:00Z,bob,1,update,company,\"Analytical, Ltd\",Acme,
5,2026-01-02T10:00:00Z,bob,1,update,title,,Countess,
6,2026-01-02T10:00:00Z,bob,1,update,shoe_size,38,39,
7,2026-01-02T10:00:00Z,bob,1,update,hat,,yes,"
check "edit moved updated_at, not created_at" \
	'[ "$(sql "SELECT created_at, updated_at FROM contacts WHERE id = 1")" = "2026-01-01T00:00:00Z|2026-01-02T10:00:00Z" ]'

run "edit with no real change, -v counts" 0 'crm-contact -v edit --company Acme 1'
err_is "crm-contact: edit: 0 changes"
check "no history for a no-op edit" '[ "$(sql "SELECT count(*) FROM history")" = 7 ]'

run "edit FIELD= clears, --unset removes a custom field" 0 'crm-contact -v edit --unset hat 1 title='
err_is "crm-contact: edit: 2 changes"
check "title cleared, hat gone" \
	'[ "$(sql "SELECT coalesce(title, \"NULL\") FROM contacts WHERE id = 1; SELECT count(*) FROM contact_fields WHERE name = \"hat\"")" = "NULL
0" ]'

run "edit to an email another contact has" 65 'crm-contact edit --email alan@example.org 1'
err_is 'crm-contact: edit: email "alan@example.org" belongs to another contact'
check "the failed edit changed nothing" \
	'[ "$(sql "SELECT email FROM contacts WHERE id = 1")" = "Ada@example.org" ] && [ "$(sql "SELECT count(*) FROM history")" = 9 ]'

run "edit cannot clear the status" 65 'crm-contact edit --unset status 1'
err_is "crm-contact: edit: status cannot be cleared"

run "edit an unknown contact" 1 'crm-contact edit --company X 999'
err_is 'crm-contact: edit: no contact "999"'

run "edit without a contact" 64 'crm-contact edit --company X'
err_has "which contact?"

run "history --since for all contacts" 0 'crm-contact --format csv --no-header history --since 2026-01-02'
out_lines 5
out_lacks ",create,"

run "history of a contact without changes since" 1 'crm-contact history --since 2027-01-01'
out_is "$(printf 'id\tat\twho\tcontact\taction\tfield\told\tnew\tnote')"

run "history of an unknown contact" 1 'crm-contact history nobody@example.org'
err_is 'crm-contact: history: no contact "nobody@example.org"'

run "history without a contact or --since" 64 'crm-contact history'
err_has "give a contact, or --since DATE for all contacts"

run "history --since with a bad date" 64 'crm-contact history --since yesterdayish'
err_has "crm-contact: history: --since:"

# ---- list and the output formats -------------------------------------------

crm-contact add --uid u-grace --first-name Grace --last-name Hopper --email grace@navy.mil \
	--address "$(printf '1 Navy Way\nArlington')" --email-opt-out yes --tag navy >/dev/null

run "list: tsv with a header by default when stdout is not a terminal" 0 'crm-contact list'
out_is "$(printf 'id\tfirst_name\tlast_name\temail\tphone\tcompany\tstatus
1\tAda\t\tAda@example.org\t\tAcme\tlead
2\tAlan\tTuring\talan@example.org\t+44 20 7946 0000\t\tcustomer
3\tGrace\tHopper\tgrace@navy.mil\t\t\tlead')"
err_empty

run "list --no-header tsv" 0 'crm-contact list --no-header --fields id,email'
out_is "$(printf '1\tAda@example.org\n2\talan@example.org\n3\tgrace@navy.mil')"

run "tsv escapes a newline" 0 'crm-contact list --fields id,address --where id=3'
out_is "$(printf 'id\taddress\n3\t1 Navy Way\\nArlington')"

run "csv quotes a newline and a comma" 0 'crm-contact list --format csv --fields id,address,company --where id=3'
out_is 'id,address,company
3,"1 Navy Way
Arlington",'

run "csv --no-header" 0 'crm-contact --no-header --format csv list --fields id,first_name'
out_is "1,Ada
2,Alan
3,Grace"

run "jsonl: numbers, strings, null" 0 'crm-contact --format jsonl list --fields id,first_name,last_name,address,email_opt_out,tags --where id=3'
out_is '{"id":3,"first_name":"Grace","last_name":"Hopper","address":"1 Navy Way\nArlington","email_opt_out":1,"tags":"navy"}'

run "jsonl null for an empty field" 0 'crm-contact --format jsonl list --fields id,last_name --where id=1'
out_is '{"id":1,"last_name":null}'

run "table aligned, numbers right" 0 'crm-contact --format table list --fields id,first_name,email,tags'
out_is "id  first_name  email             tags
 1  Ada         Ada@example.org   math;vip
 2  Alan        alan@example.org  math
 3  Grace       grace@navy.mil    navy"

run "table --no-header, newline shown as \\n" 0 'crm-contact --format table --no-header list --fields id,address --where id=3'
out_is '3  1 Navy Way\nArlington'

run "list --tag (repeated: all of them)" 0 'crm-contact list --fields id --no-header --tag math --tag vip'
out_is "1"

run "list --search in name, email and company" 0 'crm-contact list --fields id --no-header --search NAVY'
out_is "3"

run "list --search with a LIKE wildcard is literal" 1 'crm-contact list --fields id --no-header --search "%"'
out_empty

run "list --where on a custom field" 0 'crm-contact list --fields id,shoe_size --no-header --where shoe_size=39'
out_is "$(printf '1\t39')"

run "list --where FIELD= matches empty" 0 'crm-contact list --fields id --no-header --where phone='
out_is "1
3"

run "list --sort descending and --limit" 0 'crm-contact list --fields id,first_name --no-header --sort -first_name --limit 2'
out_is "$(printf '3\tGrace\n2\tAlan')"

run "list with no match exits 1" 1 'crm-contact list --search nobody'
out_is "$(printf 'id\tfirst_name\tlast_name\temail\tphone\tcompany\tstatus')"
err_empty

run "list --fields with an unknown field" 64 'crm-contact list --fields id,Bad-Field'
err_has 'unknown field "Bad-Field"'

run "list --sort by an unknown field" 64 'crm-contact list --sort shoe'
err_has 'cannot sort by "shoe"'

run "list --limit 0" 64 'crm-contact list --limit 0'
err_has '--limit: too small number "0"'

run "list with an operand" 64 'crm-contact list ada'
err_has 'unexpected argument "ada"'

# ---- export and --safe-csv -----------------------------------------------

run "export: every field, tags, custom fields sorted by name" 0 'crm-contact export --format csv --where id=1'
out_is 'id,uid,first_name,last_name,email,phone,company,title,address,city,region,postal_code,country,birthdate,gender,language,source,owner,status,preferred_channel,email_opt_out,sms_opt_out,created_at,updated_at,tags,emails,phones,shoe_size
1,u-ada,Ada,,Ada@example.org,,Acme,,,,,,,,,,,,lead,,0,0,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,math;vip,,,39'

run "export with no match is not an error" 0 'crm-contact export --format csv --search nobody --fields id'
out_is "id"

crm-contact add --uid u-evil --first-name '=1+1' --last-name '@SUM(A1)' --company 'Plain' \
	'cmd=  =HYPERLINK("http://x")' 'minus=-2+3' 'money=-12.50' 'plus=+1' "tabbed=$(printf '\t=1')" >/dev/null
crm-log add u-evil --at 2026-01-01 --subject '  =HYPERLINK("http://x")' >/dev/null

run "without --safe-csv formulas are written as they are" 0 \
	'crm-contact export --format csv --no-header --where uid=u-evil --fields first_name,last_name,cmd,minus,money,plus,company'
out_is '=1+1,@SUM(A1),"=HYPERLINK(""http://x"")",-2+3,-12.50,+1,Plain'

run "custom field values are trimmed like standard ones" 0 \
	'crm-contact export --format tsv --no-header --where uid=u-evil --fields cmd,tabbed'
out_is '=HYPERLINK("http://x")	=1'

run "--safe-csv guards = @ - +; numbers stay" 0 \
	'crm-contact --safe-csv export --format csv --no-header --where uid=u-evil --fields first_name,last_name,cmd,minus,money,plus,company'
out_is "'=1+1,'@SUM(A1),\"'=HYPERLINK(\"\"http://x\"\")\",'-2+3,-12.50,+1,Plain"

run "--safe-csv guards = after leading spaces (an interaction subject keeps them)" 0 \
	'crm-log --safe-csv list --format csv --no-header --contact u-evil'
out_has ",\"'  =HYPERLINK(\"\"http://x\"\")\","

run "--safe-csv does not change the store or jsonl" 0 \
	'crm-contact --safe-csv --format jsonl list --where uid=u-evil --fields first_name'
out_is '{"first_name":"=1+1"}'
crm-contact rm -f u-evil 2>/dev/null

# ---- tag ---------------------------------------------------------------------

run "tag add" 0 'crm-contact tag add alan@example.org b2b speaker'
out_empty
err_empty

run "tag list: every tag with its count" 0 'crm-contact tag list --format csv'
out_is "tag,contacts
b2b,1
math,2
navy,1
speaker,1
vip,1"

run "tag list of one contact" 0 'crm-contact tag list u-alan --no-header'
out_is "$(printf 'b2b\t1\nmath\t1\nspeaker\t1')"

run "tag rm" 0 'crm-contact tag rm 2 speaker nosuchtag'
check "speaker removed, history has tag and untag" \
	'[ "$(sql "SELECT group_concat(tag) FROM (SELECT tag FROM contact_tags WHERE contact_id = 2 ORDER BY tag) AS t; SELECT action || \" \" || coalesce(old_value, \"\") || \">\" || coalesce(new_value, \"\") FROM history WHERE field = \"tags\" AND entity_id = 2 ORDER BY id")" = "b2b,math
tag >b2b
tag >speaker
untag speaker>" ]'

run "tag add an invalid tag" 65 'crm-contact tag add 2 "a,b"'
err_has 'invalid tag "a,b"'

run "tag add to an unknown contact" 1 'crm-contact tag add 999 x'
err_is 'crm-contact: tag: no contact "999"'

# Contact 4 (u-evil) was removed above; ids are never given again, so
# Nobody is 5.
run "tag list of a contact without tags" 1 'crm-contact add --first-name Nobody && crm-contact tag list --no-header 5'
out_is "5"
err_empty

run "tag without a verb" 64 'crm-contact tag'
err_has "give add, rm or list"

run "tag with an unknown verb" 64 'crm-contact tag move 1 x'
err_has 'unknown tag command "move"'

run "tag add without tags" 64 'crm-contact tag add 1'
err_has "tag add needs a contact and at least one tag"

run "tag add - reads a contact stream (csv, email column)" 0 \
	'crm-contact list --format csv --fields email --tag math | crm-contact tag add - mathfan'
out_empty
err_empty
check "both math contacts tagged mathfan" \
	'[ "$(sql "SELECT group_concat(contact_id) FROM (SELECT contact_id FROM contact_tags WHERE tag = \"mathfan\" ORDER BY 1) AS t")" = "1,2" ]'

run "tag add - reads a tsv stream keyed by id" 0 \
	'printf "id\tname\n3\tGrace\n" | crm-contact tag add - streamed'
check "contact 3 tagged" '[ "$(sql "SELECT contact_id FROM contact_tags WHERE tag = \"streamed\"")" = 3 ]'

run "tag add - with an unknown contact: the others are tagged, exit 1" 1 \
	'printf "email\nnobody@example.org\ngrace@navy.mil\n" | crm-contact tag add - mixed'
err_is 'crm-contact: tag: <stdin>:2: no contact "nobody@example.org"'
check "grace tagged" '[ "$(sql "SELECT contact_id FROM contact_tags WHERE tag = \"mixed\"")" = 3 ]'

run "tag add - without an id, uid or email column" 65 'printf "name\nGrace\n" | crm-contact tag add - x'
err_is "crm-contact: tag: <stdin>: a contact stream needs an id, uid or email column"

run "tag rm - from a stream" 0 'printf "uid\nu-grace\n" | crm-contact tag rm - mixed'
check "mixed removed" '[ "$(sql "SELECT count(*) FROM contact_tags WHERE tag = \"mixed\"")" = 0 ]'

# ---- rm ---------------------------------------------------------------------

run "rm without --force when stdin is not a terminal" 64 'crm-contact rm 5 </dev/null'
err_is "crm-contact: rm: stdin is not a terminal: use --force to delete without asking
usage: crm-contact rm [-f] CONTACT...|- | rm -f --from FILE"
check "contact 5 still there" '[ "$(sql "SELECT count(*) FROM contacts WHERE id = 5")" = 1 ]'

run "rm - without --force" 64 'printf "id\n5\n" | crm-contact rm -'
err_has "deleting a stream from stdin needs --force"

run "rm without a contact" 64 'crm-contact rm -f'
err_has "which contacts?"

if command -v script >/dev/null 2>&1; then
	run "rm on a terminal: n keeps the contact" 0 \
		'printf "n\n" | script -qec "crm-contact rm 5" /dev/null'
	out_has "delete contact 5 Nobody? [y/N]"
	check "contact 5 kept" '[ "$(sql "SELECT count(*) FROM contacts WHERE id = 5")" = 1 ]'

	run "rm on a terminal: y deletes it" 0 \
		'printf "y\n" | script -qec "crm-contact rm 5" /dev/null'
	check "contact 5 deleted" '[ "$(sql "SELECT count(*) FROM contacts WHERE id = 5")" = 0 ]'

	# Named by email; its id is also another contact's uid: the answer
	# deletes the contact asked about, not a refusal of "ambiguous" id.
	twin=$(crm-contact add --email twin-b@example.org)
	crm-contact add --uid "$twin" --email twin-a@example.org > /dev/null
	run "rm on a terminal by email, its id another's uid: y deletes it" 0 \
		'printf "y\n" | script -qec "crm-contact rm twin-b@example.org" /dev/null'
	out_lacks "both contact"
	check "twin-b deleted, twin-a kept" \
		'[ "$(sql "SELECT group_concat(email) FROM contacts WHERE email LIKE \"twin-%\"")" = twin-a@example.org ]'
fi

run "rm --force one by email" 0 'crm-contact rm --force ada@example.org'
out_empty
err_empty
check "contact 1 gone with its tags and custom fields" \
	'[ "$(sql "SELECT count(*) FROM contacts WHERE id = 1; SELECT count(*) FROM contact_tags WHERE contact_id = 1; SELECT count(*) FROM contact_fields WHERE contact_id = 1")" = "0
0
0" ]'

run "history of a deleted contact keeps the old values" 0 \
	'crm-contact --format csv --no-header history 1 | grep ",delete,"'
out_has ",tester,1,delete,email,Ada@example.org,"
out_has ",tester,1,delete,shoe_size,39,"
out_has ",tester,1,delete,tags,vip,"

run "rm -f with an unknown contact: others deleted, exit 1" 1 'crm-contact rm -f 999 u-grace'
err_is 'crm-contact: rm: no contact "999"'
check "grace deleted" '[ "$(sql "SELECT count(*) FROM contacts WHERE uid = \"u-grace\"")" = 0 ]'

run "rm --force - reads a contact stream" 0 \
	'crm-contact list --format csv --fields id | crm-contact rm --force -'
check "store is empty" '[ "$(sql "SELECT count(*) FROM contacts")" = 0 ]'

run "list on an empty store exits 1" 1 'crm-contact list --no-header'
out_empty

# ---- import and export, the short way (details in contact_import.sh) ------

printf 'Email,First Name,Last Name,Tags,Shoe Size\nkim@example.org,Kim,Lee,a;b,40\nbad@,X,Y,,\n' > small.csv

run "import: good rows in, bad row reported with its line" 65 'crm-contact import small.csv'
err_is 'crm-contact: import: small.csv:3: invalid email "bad@": row rejected
crm-contact: import: small.csv: 2 read, 1 added, 0 updated, 1 rejected'
run "imported contact" 0 'crm-contact export --format csv --no-header --fields email,first_name,last_name,tags,shoe_size'
out_is "kim@example.org,Kim,Lee,a;b,40"

run "import -v on a clean run prints a summary" 0 'printf "email,first_name\nkim@example.org,Kimberly\n" | crm-contact -v import -'
err_is "crm-contact: import: <stdin>: 1 read, 0 added, 1 updated, 0 rejected"

run "import: nothing on stderr when all went well" 0 'printf "email\nnew@example.org\n" | crm-contact import -'
err_empty
out_empty

# ---- the store -------------------------------------------------------------

# where a store is made and found when none is named: SQLite files
if on_sqlite; then
	run "a new store is 0600 in a new 0700 directory" 0 \
		'umask 022; CRM_DB="$T/fresh/sub/crm.db" crm-contact add --first-name X'
	check "modes" '[ "$(stat -c %a "$T/fresh" "$T/fresh/sub" "$T/fresh/sub/crm.db" | tr "\\n" " ")" = "700 700 600 " ]'

	run "default store: \$XDG_DATA_HOME/crm/crm.db" 0 \
		'umask 022; unset CRM_DB; crm-contact add --first-name Xdg'
	check "created under XDG_DATA_HOME, 0600 in 0700" \
		'[ "$(stat -c %a "$XDG_DATA_HOME/crm" "$XDG_DATA_HOME/crm/crm.db" | tr "\\n" " ")" = "700 600 " ]'
	run "the default store is found again" 0 'unset CRM_DB; crm-contact list --no-header --fields first_name'
	out_is "Xdg"

	run "without XDG_DATA_HOME: ~/.local/share/crm/crm.db" 0 \
		'unset CRM_DB XDG_DATA_HOME; crm-contact add --first-name Home'
	check "created under HOME" '[ -f "$HOME/.local/share/crm/crm.db" ]'

	run "a relative XDG_DATA_HOME is ignored (XDG spec)" 0 \
		'unset CRM_DB; XDG_DATA_HOME=rel crm-contact list --no-header --fields first_name'
	out_is "Home"
	check "no store under the relative path" '[ ! -e "$T/rel" ]'
fi

other=$(store_at other)
run "--db beats CRM_DB" 0 'crm-contact --db "$other" add --first-name Other'
check "written to --db" '[ "$(sql_in "$other" "SELECT first_name FROM contacts")" = Other ]'
check "not to CRM_DB" '[ "$(sql "SELECT count(*) FROM contacts WHERE first_name = \"Other\"")" = 0 ]'

if on_sqlite; then
	printf 'this is not a database, just text that is long enough to look like one..............\n' > notastore
	run "a file that is not a store" 74 'CRM_DB="$T/notastore" crm-contact list'
	err_has "crm-contact: list: store $T/notastore is damaged or not a crm store"
else
	notastore=$(store_at notastore)
	sql_in "$notastore" "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('theirs')" > /dev/null
	run "a database that is not a store" 74 'CRM_DB="$notastore" crm-contact list'
	err_has "crm-contact: list: store $notastore is damaged or not a crm store"
fi

run "invalid CRM_BUSY_TIMEOUT" 78 'CRM_BUSY_TIMEOUT=soon crm-contact list'
err_is 'crm-contact: list: invalid CRM_BUSY_TIMEOUT "soon" (seconds, 0 to 86400)'
run "negative CRM_BUSY_TIMEOUT" 78 'CRM_BUSY_TIMEOUT=-1 crm-contact list'
err_has 'invalid CRM_BUSY_TIMEOUT "-1"'

# A busy store: another process holds the write lock until we let go.
hold_writer
check "the lock holder is ready" '[ -e "$T/locked" ]'

run "a write to a busy store exits 75" 75 'CRM_BUSY_TIMEOUT=0.2 crm-contact add --first-name Busy'
err_is "crm-contact: add: store $CRM_DB is busy (another program is writing): try again later"
run "an import into a busy store exits 75" 75 'printf "email\nbusy@example.org\n" | CRM_BUSY_TIMEOUT=0.2 crm-contact import -'
err_has "is busy (another program is writing): try again later"
run "rm on a busy store exits 75" 75 'CRM_BUSY_TIMEOUT=0.2 crm-contact rm -f 1'
err_has "is busy"
run "reading a busy store works (WAL)" 0 'CRM_BUSY_TIMEOUT=0.2 crm-contact list --no-header --fields email --where email=kim@example.org'
out_is "kim@example.org"
run "a write waits for the lock within the timeout" 0 \
	'(sleep 0.5; touch "$T/release") & CRM_BUSY_TIMEOUT=20 crm-contact add --first-name Patient'
release_writer
check "nothing of the busy writes landed, the patient one did" \
	'[ "$(sql "SELECT count(*) FROM contacts WHERE first_name IN (\"Busy\") OR email = \"busy@example.org\"; SELECT count(*) FROM contacts WHERE first_name = \"Patient\"")" = "0
1" ]'

check "the store is sound" '[ "$(sql "PRAGMA integrity_check")" = ok ]'

finish
