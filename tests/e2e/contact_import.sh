#!/bin/sh
# tests/e2e/contact_import.sh - crm-contact import: bad input, real-world
# exports and the promises of DESIGN.md about batches (rejects, --strict,
# --dry-run, idempotent re-runs). Each case starts from an empty store
# unless it says otherwise; input files are made here with printf.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z

out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}
err_lacks() {
	! grep -qF -- "$1" "$T/err" || _fail "stderr has \"$1\""
}
# fresh: an empty store for the next case.
fresh() {
	reset_store
}
# count [WHERE]: the number of contacts.
count() {
	sql "SELECT count(*) FROM contacts ${1:+WHERE $1}"
}
# contacts: every contact as CSV, the columns most cases care about.
contacts() {
	crm-contact export --format csv --no-header --fields email,first_name,last_name,city
}

# ---- input that cannot be read ---------------------------------------------

run "no such file" 66 'crm-contact import nosuch.csv'
err_is "crm-contact: import: cannot open nosuch.csv: No such file or directory"

run "a directory" 74 'mkdir -p adir && crm-contact import adir'
err_is "crm-contact: import: adir: read error: Is a directory"

run "no file given" 64 'crm-contact import'
err_has "crm-contact: import: give one input file, or - for stdin"

run "two files given" 64 'crm-contact import a.csv b.csv'
err_has "give one input file"

run "--format jsonl is not an input format" 64 'printf "email\n" | crm-contact --format jsonl import -'
err_has "crm-contact: import: --format for import is csv, tsv or vcard"

run "--format jsonl after the command is refused too" 64 'printf "email\n" | crm-contact import --format jsonl -'
err_has "--format for import is csv, tsv or vcard, not \"jsonl\""



run "bad --on-conflict" 64 'printf "email\n" | crm-contact import --on-conflict merge -'
err_has '--on-conflict: use update, skip or error, not "merge"'

run "--map without =" 64 'printf "email\n" | crm-contact import --map Mail -'
err_has '--map wants COLUMN=FIELD, not "Mail"'

run "--tag with a bad tag" 65 'printf "email\na@example.org\n" | crm-contact import --tag "a b" -'
err_has 'invalid tag "a b"'
check "nothing imported" '[ "$(count)" = 0 ]'

printf 'email\na@example.org\n' > one.csv
run "rejects file that cannot be written" 74 'crm-contact import --rejects "$T/nodir/r.csv" one.csv'
err_is "crm-contact: import: cannot write rejects to $T/nodir/r.csv: No such file or directory"
check "nothing imported" '[ "$(count)" = 0 ]'

# ---- empty, header only, blank ------------------------------------------------

: > empty.csv
run "empty file" 65 'crm-contact import empty.csv'
err_is "crm-contact: import: empty.csv: empty input: no header line"

run "empty stdin" 65 'crm-contact import - </dev/null'
err_is "crm-contact: import: <stdin>: empty input: no header line"

run "only blank lines" 65 'printf "\n\r\n\n" | crm-contact import -'
err_has "empty input: no header line"

printf 'email,first_name,last_name\n' > header.csv
run "header only: nothing added, nothing said" 0 'crm-contact import header.csv'
out_empty
err_empty
check "no contacts" '[ "$(count)" = 0 ]'

run "header only, BOM and CRLF, -v" 0 'printf "\357\273\277email,name\r\n" | crm-contact -v import -'
err_is "crm-contact: import: <stdin>: 0 read, 0 added, 0 updated, 0 rejected"

run "header with bad quoting" 65 'printf "email,\"na\"me\na@example.org,x\n" | crm-contact import -'
err_is "crm-contact: import: <stdin>:1: header: malformed quoting"
check "nothing imported" '[ "$(count)" = 0 ]'

run "header with invalid UTF-8" 65 'printf "email,n\377me\na@example.org,x\n" | crm-contact import -'
err_is "crm-contact: import: <stdin>:1: header: invalid UTF-8 in field 2"

# ---- broken records: rejected with their line, the rest goes on --------------

printf 'email,first_name\n"a@example.org,Ann\nb@example.org,Bob\n' > unbalanced.csv
run "unbalanced quote at the end swallows the rest and is rejected" 65 'crm-contact import unbalanced.csv'
err_is "crm-contact: import: unbalanced.csv:2: unterminated quoted field: row rejected
crm-contact: import: unbalanced.csv: 1 read, 0 added, 0 updated, 1 rejected"
check "nothing imported" '[ "$(count)" = 0 ]'

fresh
printf 'email,first_name\na@example.org,Ann\nb@exa"mple.org,Bob\nc@example.org,"Cy"x\nd@example.org,Dee\n' > quotes.csv
run "stray quotes: those rows rejected, the next ones fine" 65 'crm-contact import quotes.csv'
err_is "crm-contact: import: quotes.csv:3: malformed quoting: row rejected
crm-contact: import: quotes.csv:4: malformed quoting: row rejected
crm-contact: import: quotes.csv: 4 read, 2 added, 0 updated, 2 rejected"
run "stray quotes: the good rows" 0 'contacts'
out_is "a@example.org,Ann,,
d@example.org,Dee,,"

fresh
printf 'email,first_name\na@example.org,Ann\nb@example.org,B\377b\nc@example.org,\303\050\nd@example.org,Dee\n' > utf8.csv
run "invalid UTF-8 rejected" 65 'crm-contact import utf8.csv'
err_is "crm-contact: import: utf8.csv:3: invalid UTF-8 in field 2: row rejected
crm-contact: import: utf8.csv:4: invalid UTF-8 in field 2: row rejected
crm-contact: import: utf8.csv: 4 read, 2 added, 0 updated, 2 rejected"
check "a and d imported" '[ "$(sql "SELECT group_concat(email) FROM (SELECT email FROM contacts ORDER BY id) AS t")" = "a@example.org,d@example.org" ]'

fresh
printf 'email,first_name\na@example.org,Ann\nb@example.org,B\000b\nc@example.org,Cy\n' > nul.csv
run "a NUL byte rejected" 65 'crm-contact import nul.csv'
err_is "crm-contact: import: nul.csv:3: NUL byte in field 2: row rejected
crm-contact: import: nul.csv: 3 read, 2 added, 0 updated, 1 rejected"
check "a and c imported" '[ "$(sql "SELECT group_concat(email) FROM (SELECT email FROM contacts ORDER BY id) AS t")" = "a@example.org,c@example.org" ]'

fresh
printf 'email,first_name,city\na@example.org,Ann\nb@example.org,Bob,Rome,extra\nc@example.org,Cy,Oslo\n\n' > ragged.csv
run "ragged rows rejected, short and long" 65 'crm-contact import --rejects rej.csv ragged.csv'
err_is "crm-contact: import: ragged.csv: 3 read, 1 added, 0 updated, 2 rejected (see rej.csv)"
run "ragged rows in the rejects file" 0 'cat rej.csv'
out_is "line,reason,email,first_name,city
2,\"expected 3 fields, found 2\",a@example.org,Ann
3,\"expected 3 fields, found 4\",b@example.org,Bob,Rome,extra"
check "only c imported" '[ "$(sql "SELECT group_concat(email) FROM (SELECT email FROM contacts ORDER BY id) AS t")" = "c@example.org" ]'

# A field over 1 MiB: rejected with its line; memory stays bounded.
fresh
{
	printf 'email,first_name,notes\na@example.org,Ann,short\nb@example.org,Bob,"'
	awk 'BEGIN { s = "0123456789abcdef"; for (i = 0; i < 16; i++) s = s s; for (i = 0; i < 17; i++) printf "%s", s; printf "\n" }'
	printf '"\nc@example.org,Cy,fine\n'
} > huge.csv
run "a field over 1 MiB: that row rejected, the next fine" 65 'crm-contact import --rejects rej.csv huge.csv'
err_has "huge.csv: 3 read, 2 added, 0 updated, 1 rejected (see rej.csv)"
run "the huge field's rejects line" 0 'cat rej.csv'
out_is "line,reason,email,first_name,notes
3,field 3 longer than 1048576 bytes,b@example.org,Bob,"
run "rows around the huge one" 0 'crm-contact export --format csv --no-header --fields email,notes'
out_is "a@example.org,short
c@example.org,fine"

fresh
{ printf 'email,first_name\n'; awk 'BEGIN { printf "a@example.org"; for (i = 0; i < 1000000; i++) printf ","; printf "\n" }'; printf 'b@example.org,Bob\n'; } > commas.csv
run "a line of a million commas is rejected, the next row is fine" 65 'crm-contact import commas.csv'
err_has "commas.csv:2: record longer than"
err_has "commas.csv: 2 read, 1 added, 0 updated, 1 rejected"
check "b imported" '[ "$(sql "SELECT email FROM contacts")" = b@example.org ]'

# ---- values that do not validate ---------------------------------------------

fresh
printf 'email,first_name,birthdate,status,Opt Out\na@example.org,Ann,1990-05-17,customer,yes\nfoo@,Bad,,,\nb@example.org,Bob,2023-02-30,,\nc@example.org,Cy,2026-01-02,,\nd@example.org,Dee,,boss,\ne@example.org,Eve,,,maybe\n,,,,\nf@example.org,Fay,1899-12-31,,\n' > values.csv
run "bad values rejected with line and reason" 65 'crm-contact import --rejects rej.csv values.csv'
err_is "crm-contact: import: values.csv: 8 read, 1 added, 0 updated, 7 rejected (see rej.csv)"
run "the rejects file: CSV with line, reason and the row" 0 'cat rej.csv'
out_is 'line,reason,email,first_name,birthdate,status,Opt Out
3,"invalid email ""foo@""",foo@,Bad,,,
4,"column ""birthdate"": invalid date ""2023-02-30"" (expected YYYY-MM-DD, or give --date-format)",b@example.org,Bob,2023-02-30,,
5,"birthdate ""2026-01-02"" is in the future",c@example.org,Cy,2026-01-02,,
6,"invalid status ""boss"" (use lead, prospect, customer or former)",d@example.org,Dee,,boss,
7,"invalid email_opt_out ""maybe"" (use yes or no)",e@example.org,Eve,,,maybe
8,"no name, email, phone, company or uid",,,,,
9,"birthdate ""1899-12-31"" is before 1900",f@example.org,Fay,1899-12-31,,'
check "only the good row, normalised" \
	'[ "$(sql "SELECT email, birthdate, status, email_opt_out FROM contacts")" = "a@example.org|1990-05-17|customer|1" ]'
check "no history of rejected rows" '[ "$(sql "SELECT count(*) FROM history")" = 1 ]'

fresh
printf 'email,first_name\n' > many.csv
i=1
while [ $i -le 25 ]; do printf 'bad%d@,x\n' $i >> many.csv; i=$((i + 1)); done
run "stderr shows the first 20 rejects and says how many more" 65 'crm-contact import many.csv'
err_has "many.csv:21: invalid email \"bad20@\": row rejected"
err_lacks "bad21@"
err_has "many.csv: 25 read, 0 added, 0 updated, 25 rejected (5 not shown: use --rejects FILE)"

run "-q: no summary, the rejects are still reported" 65 'crm-contact -q import many.csv'
err_has "many.csv:2: invalid email \"bad1@\": row rejected"
err_lacks "25 read"

run "--safe-csv leaves the rejects file as the input was" 65 \
	'printf "email,note\nfoo@,=HYPERLINK(1)\n" | crm-contact --safe-csv import --rejects rej.csv -'
run "rejects unguarded, ready to fix and import again" 0 'cat rej.csv'
out_is "line,reason,email,note
2,\"invalid email \"\"foo@\"\"\",foo@,=HYPERLINK(1)"

# ---- --strict and --dry-run ----------------------------------------------------

fresh
run "--strict: one bad row, nothing committed" 65 'crm-contact import --strict values.csv'
err_has "values.csv: 8 read, 1 added, 0 updated, 7 rejected; --strict: nothing written"
check "store empty, no history" '[ "$(count)" = 0 ] && [ "$(sql "SELECT count(*) FROM history")" = 0 ]'

printf 'email,first_name\na@example.org,Ann\nb@example.org,Bob\n' > good.csv
run "--strict with only good rows commits" 0 'crm-contact import --strict good.csv'
err_empty
check "two contacts" '[ "$(count)" = 2 ]'

fresh
run "--dry-run: checks everything, writes nothing" 65 'crm-contact import --dry-run values.csv'
err_has "values.csv: 8 read, 1 added, 0 updated, 7 rejected; dry run, nothing written"
err_has 'values.csv:3: invalid email "foo@": row rejected'
check "store empty" '[ "$(count)" = 0 ] && [ "$(sql "SELECT count(*) FROM history")" = 0 ]'

run "-n on a good file exits 0" 0 'crm-contact -v import -n good.csv'
err_is "crm-contact: import: good.csv: 2 read, 2 added, 0 updated, 0 rejected; dry run, nothing written"
check "still empty" '[ "$(count)" = 0 ]'

# ---- duplicates and conflicts --------------------------------------------------

fresh
printf 'email,first_name,city\ndup@example.org,First,Paris\nDUP@example.org,Second,\nother@example.org,Other,Oslo\n' > dup.csv
run "duplicate emails in one file: one contact, later values win" 0 'crm-contact -v import dup.csv'
err_is "crm-contact: import: dup.csv: 3 read, 2 added, 1 updated, 0 rejected"
run "the merged contact (an empty cell changes nothing)" 0 'contacts'
out_is "DUP@example.org,Second,,Paris
other@example.org,Other,,Oslo"
check "its history has both" \
	'[ "$(crm-contact --format csv --no-header history 1 | cut -d, -f5,6 | tr "\n" " ")" = "create, update,first_name update,email " ]'

fresh
run "--on-conflict error: the second is rejected" 65 'crm-contact import --on-conflict error --rejects rej.csv dup.csv'
err_is "crm-contact: import: dup.csv: 3 read, 2 added, 0 updated, 1 rejected (see rej.csv)"
run "--on-conflict error: its reason" 0 'cat rej.csv'
out_is 'line,reason,email,first_name,city
3,contact 1 already has this email,DUP@example.org,Second,'
run "--on-conflict error: the first kept" 0 'contacts'
out_is "dup@example.org,First,,Paris
other@example.org,Other,,Oslo"

fresh
run "--on-conflict skip: the second is skipped" 0 'crm-contact -v import --on-conflict skip dup.csv'
err_is "crm-contact: import: dup.csv: 3 read, 2 added, 0 updated, 1 skipped, 0 rejected"
run "--on-conflict skip: the first kept" 0 'contacts'
out_is "dup@example.org,First,,Paris
other@example.org,Other,,Oslo"

run "re-running the same file changes nothing" 0 'crm-contact -v import --on-conflict update good.csv && crm-contact -v import good.csv'
err_is "crm-contact: import: good.csv: 2 read, 2 added, 0 updated, 0 rejected
crm-contact: import: good.csv: 2 read, 0 added, 0 updated, 2 unchanged, 0 rejected"

fresh
crm-contact add --uid u1 --email a@example.org --first-name A >/dev/null
crm-contact add --email b@example.org >/dev/null
run "uid matches one contact, email belongs to another: rejected" 65 \
	'printf "uid,email,first_name\nu1,b@example.org,Changed\nu1,,Renamed\n" | crm-contact import -'
err_is 'crm-contact: import: <stdin>:2: email "b@example.org" belongs to another contact: row rejected
crm-contact: import: <stdin>: 2 read, 0 added, 1 updated, 1 rejected'
check "the uid row updated, the bad row left no trace" \
	'[ "$(sql "SELECT first_name, email FROM contacts WHERE uid = \"u1\"")" = "Renamed|a@example.org" ] &&
	 [ "$(sql "SELECT count(*) FROM history WHERE action = \"update\"")" = 1 ]'

# ---- formats: BOM, CRLF, quoting, non-ASCII, TSV ----------------------------

fresh
printf '\357\273\277email,First Name,Address,Company\r\nx@example.org,Xia,"1 Main St\r\nApt 2","Acme, Inc."\r\ny@example.org,"Y ""Why"" Not",,\r\n' > bom.csv
run "CRLF with a BOM" 0 'crm-contact import bom.csv'
err_empty
check "the first header was recognised (email, not a custom field)" \
	'[ "$(sql "SELECT count(*) FROM contacts WHERE email = \"x@example.org\"; SELECT count(*) FROM contact_fields")" = "1
0" ]'
check "a newline inside a quoted address is kept (CRLF becomes LF)" \
	'[ "$(sql "SELECT address FROM contacts WHERE email = \"x@example.org\"" | od -An -tx1 | tr -d " \n")" = "$(printf "1 Main St\nApt 2\n" | od -An -tx1 | tr -d " \n")" ]'
run "quoted commas and doubled quotes" 0 'crm-contact export --format csv --no-header --fields email,first_name,company'
out_is 'x@example.org,Xia,"Acme, Inc."
y@example.org,"Y ""Why"" Not",'

fresh
printf 'Name,Email,Company,City\nZoë Müller,zoe@example.org,日本株式会社,Zürich\nJosé María García,jose@example.org,,São Paulo\n' > intl.csv
run "non-ASCII names; a full name splits on its last space" 0 'crm-contact import intl.csv'
run "non-ASCII names kept" 0 'crm-contact export --format csv --no-header --fields first_name,last_name,company,city'
out_is "Zoë,Müller,日本株式会社,Zürich
José María,García,,São Paulo"
run "non-ASCII names in a table" 0 'crm-contact --format table list --fields first_name,last_name,city'
out_is "first_name  last_name  city
Zoë         Müller     Zürich
José María  García     São Paulo"

fresh
printf 'email\taddress\tnote\tcompany\nt@example.org\tLine 1\\nLine 2\ta\\tb \\\\ c\t"Quoted, Inc"\n' > esc.tsv
run "TSV with escapes; quotes are data" 0 'crm-contact import esc.tsv'
check "escapes decoded" \
	'[ "$(sql "SELECT address FROM contacts")" = "$(printf "Line 1\nLine 2")" ] &&
	 [ "$(sql "SELECT value FROM contact_fields WHERE name = \"note\"")" = "$(printf "a\tb \\\\ c")" ] &&
	 [ "$(sql "SELECT company FROM contacts")" = "\"Quoted, Inc\"" ]'
run "TSV written back the same way" 0 'crm-contact export --no-header --fields email,address,note,company'
out_is "$(cat esc.tsv | sed 1d)"

fresh
printf 'email\tnote,with,commas\na@example.org\t1,2,3\n' > looks-csv.txt
run "detected as CSV by its first line (more commas)" 65 'crm-contact import looks-csv.txt'
err_has "no name, email, phone, company or uid: row rejected"
run "--format tsv forces TSV" 0 'crm-contact --format tsv import looks-csv.txt'
check "read as TSV" \
	'[ "$(sql "SELECT email FROM contacts; SELECT name || \"=\" || value FROM contact_fields")" = "a@example.org
note_with_commas=1,2,3" ]'

fresh
printf 'email,note\ttab\tsep\nb@example.org,p\tq\tr\n' > looks-tsv.txt
run "detected as TSV by its first line (more tabs)" 65 'crm-contact import looks-tsv.txt'
run "--format csv forces CSV (option after the command)" 0 'crm-contact import --format csv looks-tsv.txt'
check "read as CSV" \
	'[ "$(sql "SELECT email FROM contacts; SELECT name || \"=\" || replace(value, \"$(printf "\t")\", \"<TAB>\") FROM contact_fields")" = "b@example.org
note_tab_sep=p<TAB>q<TAB>r" ]'

fresh
printf 'email,address\na@example.org,"1\n2\n3"\n\nbad@,x\nb@example.org,"x\r\ny"\r\nbad2@,y\n' > lines.csv
run "line numbers count the lines inside quotes and blank lines" 65 'crm-contact import lines.csv'
err_is 'crm-contact: import: lines.csv:6: invalid email "bad@": row rejected
crm-contact: import: lines.csv:9: invalid email "bad2@": row rejected
crm-contact: import: lines.csv: 4 read, 2 added, 0 updated, 2 rejected'

# ---- headers: aliases of real exports, --map, custom fields -----------------

fresh
printf 'First Name,Last Name,E-mail Address,Business Phone,Company,Job Title,Business City\nOla,Out,ola@example.org,+1 555 0100,Outlook Co,CTO,Seattle\n' > outlook.csv
printf 'Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Group Membership\nGina,Goo,gina@example.org,555-0101,Google Co,* myContacts\n' > google.csv
printf 'First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Shoe Size\nHank,Hub,hank@example.org,(555) 0102,HubSpot Co,customer,44\n' > hubspot.csv
run "Outlook, Google and HubSpot exports" 0 \
	'crm-contact import outlook.csv && crm-contact import google.csv && crm-contact import hubspot.csv'
err_empty
run "their columns land in the standard fields" 0 \
	'crm-contact export --format csv --fields first_name,last_name,email,phone,company,title,city'
out_is "first_name,last_name,email,phone,company,title,city
Ola,Out,ola@example.org,+1 555 0100,Outlook Co,CTO,Seattle
Gina,Goo,gina@example.org,555-0101,Google Co,,
Hank,Hub,hank@example.org,(555) 0102,HubSpot Co,,"
run "unknown columns become custom fields" 0 \
	'crm-contact export --format csv --no-header --fields email,group_membership,lifecycle_stage,shoe_size'
out_is "ola@example.org,,,
gina@example.org,* myContacts,,
hank@example.org,,customer,44"

fresh
printf 'Mail,Who,Ignore me,Score,Labels,Status\nm@example.org,Mo Map,junk,7,a;b,prospect\n' > map.csv
run "--map to a field, to name, to tags, to a custom field, to - (ignored)" 0 \
	'crm-contact import --map Mail=email --map who=name --map "Ignore me=-" --map Score=lead_score --map Labels=tags map.csv'
run "--map result" 0 'crm-contact export --format csv --where email=m@example.org --fields first_name,last_name,status,tags,lead_score'
out_is "first_name,last_name,status,tags,lead_score
Mo,Map,prospect,a;b,7"
check "the ignored column is nowhere" '[ "$(sql "SELECT count(*) FROM contact_fields WHERE value = \"junk\"")" = 0 ]'

run "--map to an invalid custom field name" 64 'crm-contact import --map Score=Bad-Name map.csv'
err_has 'invalid field name "Bad-Name"'

run "--map two columns to one standard field" 64 'crm-contact import --map Mail=email --map Who=email map.csv'
err_has 'field name "email" is reserved for a standard field'

fresh
printf 'email,Notes,notes\na@example.org,first,second\n' > twonotes.csv
run "two columns that make the same custom field stop the import" 65 'crm-contact import twonotes.csv'
err_is 'crm-contact: import: columns 2 and 3 would both be custom field "notes": rename one'
check "nothing imported" '[ "$(count)" = 0 ]'

printf 'email,Shoe Size,shoe_size\na@example.org,42,43\n' > shoes.csv
run "... also when the headers differ only in spelling" 65 'crm-contact import shoes.csv'
err_is 'crm-contact: import: columns 2 and 3 would both be custom field "shoe_size": rename one'
run "... and with --map both are kept" 0 'crm-contact import --map "Shoe Size=shoe_eu" shoes.csv'
check "nothing lost" \
	'[ "$(sql "SELECT name || \"=\" || value FROM contact_fields ORDER BY name")" = "shoe_eu=42
shoe_size=43" ]'

fresh
run "a second email column is kept as a custom field" 0 \
	'printf "email,Email\na@example.org,b@example.org\n" | crm-contact import -'
check "x_email" '[ "$(sql "SELECT email FROM contacts; SELECT name || \"=\" || value FROM contact_fields")" = "a@example.org
x_email=b@example.org" ]'

fresh
printf 'email,,#,Shoe Size\na@example.org,x,y,42\n' > noname.csv
run "columns without a usable name are ignored with a warning" 0 'crm-contact import noname.csv'
err_is "crm-contact: import: column 2 has no usable name: ignored
crm-contact: import: column 3 has no usable name: ignored"
check "the named custom field is kept" '[ "$(sql "SELECT name || \"=\" || value FROM contact_fields")" = "shoe_size=42" ]'

fresh
run "--tag tags every row, with the file's own tags" 0 \
	'printf "email,tags\na@example.org,x\nb@example.org,\n" | crm-contact import --tag imported --tag "batch1;q1" -'
run "--tag result" 0 'crm-contact export --format csv --no-header --fields email,tags'
out_is "a@example.org,batch1;imported;q1;x
b@example.org,batch1;imported;q1"

# ---- an export re-imported gives the same contacts ---------------------------

fresh
crm-contact add --uid u-zoe --first-name 'Zoë' --last-name 'Müller' --email zoe@example.org \
	--address "$(printf '1 Main\nApt 2')" --company 'Acme, Inc.' --birthdate 1990-01-02 \
	--email-opt-out yes --status customer --tag vip,b2b shoe=42 'note=says "hi"' >/dev/null
crm-contact add --first-name Tab --phone '+44 20 7946 0000' --uid ext-7 --preferred-channel sms \
	"note=$(printf 'a\tb\\c')" --created-at 2020-05-05T10:00:00Z >/dev/null
crm-contact add --company 'Solo' >/dev/null
# export_jsonl DB: every contact as jsonl without updated_at (an import
# sets it to its own time).
export_jsonl() {
	crm-contact --db "$1" export --format jsonl | sed 's/"updated_at":"[^"]*",//'
}
# roundtrip FMT: export as FMT, import into a new store, compare.
roundtrip() {
	export_jsonl "$CRM_DB" > before.jsonl &&
	crm-contact export --format "$1" > "export.$1" &&
	CRM_NOW=2026-02-01T00:00:00Z CRM_DB="$(store_at "copy-$1")" crm-contact import "export.$1" &&
	export_jsonl "$(store_at "copy-$1")" > after.jsonl &&
	cmp before.jsonl after.jsonl
}
for fmt in csv tsv; do
	run "$fmt export re-imported into an empty store: same contacts, uids and created_at" 0 "roundtrip $fmt"
	err_empty
done
check "the copies' updated_at is the import time" \
	'[ "$(sql_in "$(store_at copy-csv)" "SELECT DISTINCT updated_at FROM contacts")" = 2026-02-01T00:00:00Z ]'
check "the comparison is not vacuous" 'grep -q "\"note\":\"a\\\\tb\\\\\\\\c\"" before.jsonl && [ "$(wc -l < before.jsonl)" = 3 ]'

run "an export re-imported into the same store changes nothing" 0 'crm-contact -v import export.csv'
err_is "crm-contact: import: export.csv: 3 read, 0 added, 0 updated, 3 unchanged, 0 rejected"



fresh
run "a rejects file that cannot be written: exit 74, said so" 74 \
	'printf "email\nbad@\nok@example.org\n" | crm-contact import --rejects /dev/full -'
err_has "cannot write rejects to /dev/full: No space left on device"

# ---- vCard ---------------------------------------------------------------------

fresh
run "vCard from stdin with --format vcard" 0 \
	'printf "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nEMAIL;TYPE=INTERNET,WORK:jane@vcard.example\r\nEND:VCARD\r\n" | crm-contact import --format vcard -'
check "the card became a contact" '[ "$(sql "SELECT first_name, last_name FROM contacts WHERE email = '"'"'jane@vcard.example'"'"'")" = "Jane|Doe" ]'

run "a .vcf file is detected without --format" 0 \
	'printf "BEGIN:VCARD\nVERSION:4.0\nFN:Bo Li\nN:Li;Bo;;;\nTEL;TYPE=cell;PREF=1:+86 10 1234 5678\nTEL;TYPE=work:+86 10 8765 4321\nEND:VCARD\n" > bo.vcf && crm-contact import bo.vcf'
check "its phones: the preferred one primary, the other with its type" \
	'[ "$(sql "SELECT c.phone || '"'"'|'"'"'  || p.phone || '"'"'|'"'"' || p.type FROM contacts c JOIN contact_phones p ON p.contact_id = c.id WHERE c.last_name = '"'"'Li'"'"'")" = "+86 10 1234 5678|+86 10 8765 4321|work" ]'

run "a card without END is rejected with its line" 65 \
	'printf "BEGIN:VCARD\nVERSION:3.0\nN:X;Y;;;\nBEGIN:VCARD\nVERSION:3.0\nFN:Ok Card\nN:Card;Ok;;;\nEND:VCARD\n" | crm-contact import --format vcard -'
err_has "<stdin>:1:"

finish
