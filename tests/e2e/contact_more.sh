#!/bin/sh
# tests/e2e/contact_more.sh - crm-contact end to end, the complete contact:
# other emails and phones (types, the primary one, lookups), dupes (every
# reason with its score), merge (fields, opt-outs, tags, custom fields,
# emails, phones, every reference repointed, history notes, --from),
# export --subject, erase (every text column and the file's bytes
# scanned), history --since. Each section works on a store of its own.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z
unset CRM_REGION

# out_empty: stdout is empty (out_is "" wants one empty line).
out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}

# use NAME: the following cases work on a store of their own, store_at NAME.
use() {
	CRM_DB=$(store_at "$1")
}

# add ARGS...: adds a contact for the setup of a case, quietly.
add() {
	crm-contact add "$@" > /dev/null || echo "FAIL $SUITE: setup: add $*" >&2
}

# ---- email ------------------------------------------------------------------

use email
add --uid u-ada --first-name Ada --last-name Lovelace --email ada@example.org
add --uid u-bob --first-name Bob --email bob@example.org

run "email add with a type" 0 'crm-contact email add u-ada ada@work.example --type WORK'
out_empty
err_empty

run "email list: the primary one first, then the others with their types" 0 \
	'crm-contact --format csv email list 1'
out_is "contact,value,type,primary
1,ada@example.org,,yes
1,ada@work.example,work,no"

run "email add --primary: the old primary one stays as another email" 0 \
	'crm-contact email add 1 ada@home.example --type home --primary'
run "email list after the swap" 0 'crm-contact --format csv --no-header email list u-ada'
out_is "1,ada@home.example,,yes
1,ada@work.example,work,no
1,ada@example.org,,no"
check "email shows the new primary one" \
	'[ "$(sql "SELECT email FROM contacts WHERE id = 1")" = ada@home.example ]'
check "history: the swap is an update of email" \
	'[ "$(sql "SELECT action || \"|\" || field || \"|\" || old_value || \"|\" || new_value FROM history WHERE entity_id = 1 AND field = \"email\"")" = "update|email|ada@example.org|ada@home.example" ]'

run "email add an email the contact has changes only its type" 0 \
	'crm-contact email add 1 ADA@work.example --type mobile'
check "still two other emails, the type changed" \
	'[ "$(sql "SELECT count(*) FROM contact_emails WHERE contact_id = 1; SELECT type FROM contact_emails WHERE email = \"ada@work.example\"")" = "2
mobile" ]'

run "email add the primary one again changes nothing" 0 'crm-contact email add 1 ada@home.example'
check "no second copy" '[ "$(sql "SELECT count(*) FROM contact_emails WHERE email = \"ada@home.example\"")" = 0 ]'

run "email add an email of another contact" 65 'crm-contact email add 1 bob@example.org'
err_is 'crm-contact: email: email "bob@example.org" belongs to contact 2'
run "email add another contact's other email, in another case" 65 'crm-contact email add 2 Ada@WORK.example'
err_is 'crm-contact: email: email "Ada@work.example" belongs to contact 1'
run "--primary does not take another contact's email either" 65 \
	'crm-contact email add 2 ada@example.org --primary'
err_has "belongs to contact 1"
check "nothing moved" \
	'[ "$(sql "SELECT email FROM contacts WHERE id = 2; SELECT count(*) FROM contact_emails WHERE contact_id = 2")" = "bob@example.org
0" ]'

run "email add an invalid email" 65 'crm-contact email add 1 "ada@"'
err_is 'crm-contact: email: invalid email "ada@"'
run "email add with a bad type" 64 'crm-contact email add 1 x@example.org --type fax'
err_has 'invalid type "fax" (use work, home, mobile or other)'
run "email without a verb" 64 'crm-contact email'
err_has "give add CONTACT VALUE, rm CONTACT VALUE or list CONTACT"
run "email add without a value" 64 'crm-contact email add 1'
err_has "give add CONTACT VALUE"
run "email list of an unknown contact" 1 'crm-contact email list 99'
err_is 'crm-contact: email: no contact "99"'

# Lookups by any email find the contact.
run "show by another email" 0 'crm-contact --format csv --no-header show ada@work.example'
out_has "1,u-ada,Ada,Lovelace,ada@home.example,"
out_has ",ada@work.example (mobile); ada@example.org,"
run "show by another email in another case" 0 'crm-contact show ADA@Example.ORG --format jsonl'
out_has '"id":1,'
run "edit by another email" 0 'crm-contact edit ada@example.org --company Analytical'
check "edited contact 1" '[ "$(sql "SELECT company FROM contacts WHERE id = 1")" = Analytical ]'
run "tag add by another email" 0 'crm-contact tag add ada@work.example mathematician'
check "tagged contact 1" '[ "$(sql "SELECT contact_id FROM contact_tags WHERE tag = \"mathematician\"")" = 1 ]'
run "crm-log add by another email" 0 'crm-log add ada@work.example --subject "Met at the fair"'
check "interaction of contact 1" \
	'[ "$(sql "SELECT contact_id FROM interactions WHERE subject = \"Met at the fair\"")" = 1 ]'
run "a contact stream keyed by another email" 0 \
	'printf "email\nada@example.org\n" | crm-contact tag add - streamed'
check "stream tagged contact 1" '[ "$(sql "SELECT contact_id FROM contact_tags WHERE tag = \"streamed\"")" = 1 ]'
run "add with another contact's other email" 65 'crm-contact add --email ada@work.example'
err_is 'crm-contact: add: email "ada@work.example" belongs to another contact'
run "edit to another contact's other email" 65 'crm-contact edit 2 --email ada@example.org'
err_has "belongs to another contact"

run "email rm of another email" 0 'crm-contact email rm 1 ada@work.example'
check "removed, no longer a lookup key" \
	'[ "$(sql "SELECT count(*) FROM contact_emails WHERE email = \"ada@work.example\"")" = 0 ] && ! crm-contact show ada@work.example >/dev/null 2>&1'
run "email rm of the primary one promotes the oldest other" 0 \
	'crm-contact email add 1 ada@third.example --type work && crm-contact email rm 1 ada@home.example'
run "email list after the promotion" 0 'crm-contact --format csv --no-header email list 1'
out_is "1,ada@example.org,,yes
1,ada@third.example,work,no"
check "history: the removal of the primary one is an update" \
	'[ "$(sql "SELECT old_value || \">\" || new_value FROM history WHERE entity_id = 1 AND field = \"email\" ORDER BY id DESC LIMIT 1")" = "ada@home.example>ada@example.org" ]'
run "email rm of an email the contact does not have" 1 'crm-contact email rm 1 bob@example.org'
err_is 'crm-contact: email: contact 1 has no email "bob@example.org"'
run "email rm of the last one leaves no email" 0 \
	'crm-contact email rm 2 bob@example.org'
check "contact 2 has no email" '[ "$(sql "SELECT coalesce(email, \"NULL\") FROM contacts WHERE id = 2")" = NULL ]'
run "email add to a contact without one makes it the primary one" 0 \
	'crm-contact email add 2 bob@new.example --type work'
check "primary set" '[ "$(sql "SELECT email FROM contacts WHERE id = 2; SELECT count(*) FROM contact_emails WHERE contact_id = 2")" = "bob@new.example
0" ]'
run "the emails column in export" 0 \
	'crm-contact export --format csv --no-header --fields id,email,emails --where id=1'
out_is "1,ada@example.org,ada@third.example (work)"
run "list --fields emails" 0 'crm-contact list --no-header --fields id,emails'
out_is "$(printf '1\tada@third.example (work)\n2\t')"

# ---- phone ------------------------------------------------------------------

use phone
add --first-name Piet --last-name Post --phone "020 123 4567"
add --first-name Kees --last-name Kok

run "phone add with a type and a region" 0 \
	'crm-contact phone add 1 "+31 6 1234 5678" --type mobile --default-region NL'
run "phone list" 0 'crm-contact --format csv phone list 1'
out_is "contact,value,type,primary
1,020 123 4567,,yes
1,+31 6 1234 5678,mobile,no"
check "the E.164 form is kept beside the number" \
	'[ "$(sql "SELECT e164 FROM contact_phones WHERE contact_id = 1")" = "+31612345678" ]'
run "phone add a national number with --default-region" 0 \
	'crm-contact phone add 1 "070-1234567" --type work --default-region NL'
check "E.164 of a national number" \
	'[ "$(sql "SELECT e164 FROM contact_phones WHERE phone = \"070-1234567\"")" = "+31701234567" ]'
run "phone add a national number without a region: no E.164 form" 0 \
	'crm-contact phone add 1 "010 7654321" --type home'
check "e164 empty" '[ "$(sql "SELECT coalesce(e164, \"NULL\") FROM contact_phones WHERE phone = \"010 7654321\"")" = NULL ]'
run "phone add --primary keeps the old primary one" 0 \
	'crm-contact phone add 1 "+44 20 7946 0000" --primary'
run "phone list after the swap" 0 'crm-contact --format csv --no-header phone list 1 | sort'
out_is "1,+31 6 1234 5678,mobile,no
1,+44 20 7946 0000,,yes
1,010 7654321,home,no
1,020 123 4567,,no
1,070-1234567,work,no"
run "the same phone may belong to two contacts" 0 'crm-contact phone add 2 "+44 20 7946 0000"'
check "Kees has it as primary" '[ "$(sql "SELECT phone FROM contacts WHERE id = 2")" = "+44 20 7946 0000" ]'
run "phone rm of the primary one promotes the oldest other" 0 'crm-contact phone rm 1 "+44 20  7946 0000"'
run "phone list after the promotion" 0 'crm-contact --format csv --no-header phone list 1 | sort'
out_is "1,+31 6 1234 5678,,yes
1,010 7654321,home,no
1,020 123 4567,,no
1,070-1234567,work,no"
run "phone rm of another one" 0 'crm-contact phone rm 1 "010 7654321"'
check "removed" '[ "$(sql "SELECT count(*) FROM contact_phones WHERE phone = \"010 7654321\"")" = 0 ]'
run "phone rm of a phone the contact does not have" 1 'crm-contact phone rm 1 "+1 555 123 4567"'
err_is 'crm-contact: phone: contact 1 has no phone "+1 555 123 4567"'
run "phone add an invalid number" 65 'crm-contact phone add 1 "call me"'
err_is 'crm-contact: phone: invalid phone number "call me"'
run "the phones column in export" 0 \
	'crm-contact export --format csv --no-header --fields id,phone,phones --where id=1'
out_is "1,+31 6 1234 5678,070-1234567 (work); 020 123 4567"

run "import: emails and phones columns add other ones" 0 \
	'printf "first_name,email,phone,emails,phones\nIna,ina@example.org,+31 70 111 2222,ina@work.example (work); ina@home.example,06-11112222 (mobile)\n" | crm-contact import -'
run "imported other emails and phones" 0 \
	'crm-contact --format csv --no-header export --fields email,phone,emails,phones --where first_name=Ina'
out_is "ina@example.org,+31 70 111 2222,ina@work.example (work); ina@home.example,06-11112222 (mobile)"
run "import: the first of the phones column is primary when the contact has none" 0 \
	'printf "first_name,phones\nJan,06-33334444 (mobile); 010 5556666\n" | crm-contact import - &&
	 crm-contact --format csv --no-header export --fields phone,phones --where first_name=Jan'
out_is "06-33334444,010 5556666"
run "import: a bad value in the emails column rejects the row" 65 \
	'printf "first_name,emails\nKim,kim@\n" | crm-contact import -'
err_has 'invalid email "kim@"'
run "import: another contact's email in the emails column rejects the row" 65 \
	'printf "first_name,emails\nKim,ina@work.example\n" | crm-contact import -'
err_has "belongs to"
run "export of emails and phones imports again into an empty store" 0 \
	'crm-contact export --format csv --where first_name=Ina | crm-contact --db "$(store_at phone2)" import - &&
	 crm-contact --db "$(store_at phone2)" --format csv --no-header export --fields email,phone,emails,phones'
out_is "ina@example.org,+31 70 111 2222,ina@work.example (work); ina@home.example,06-11112222 (mobile)"

# ---- dupes ------------------------------------------------------------------

use dupes
add --first-name Ann --last-name Archer --email ann@example.org
add --first-name Bea --last-name Baker --email bea@example.org
sql "INSERT INTO contact_emails (contact_id, email, created_at) VALUES (2, 'ANN@Example.org', 'x')"
add --first-name Carl --last-name Cole --email carl.cole@gmail.com
add --first-name Cees --last-name Kool --email CarlCole+news@gmail.com
add --first-name Dirk --last-name Dam --phone "+31 20 123 4567"
add --first-name Daan --last-name Dekker --phone "020-1234567"
add --first-name Émile --last-name Zola --company "Acme B.V."
add --first-name emile --last-name ZOLA --company "ACME Inc"
add --first-name Frederik --last-name Hansen --city Utrecht
add --first-name Frédérik --last-name Hansen --city utrecht
add --first-name Gerard --last-name Jansen --city Delft
add --first-name Gerard --last-name Janssen --city Delft
add --first-name Gerrit --last-name Bakker --city Gouda
add --first-name Gerit --last-name Baker --city Gouda

run "dupes: every reason with its score, by pass then block key" 0 \
	'crm-contact dupes --default-region NL --format csv'
out_is "keep,other,score,reason,keep_name,keep_email,other_name,other_email
1,2,1.00,same email ignoring case; same mailbox (+tags and Gmail dots ignored),Ann Archer,ann@example.org,Bea Baker,bea@example.org
3,4,0.95,same mailbox (+tags and Gmail dots ignored),Carl Cole,carl.cole@gmail.com,Cees Kool,CarlCole+news@gmail.com
5,6,0.90,same phone (E.164),Dirk Dam,,Daan Dekker,
7,8,0.80,same name at the same company,Émile Zola,,emile ZOLA,
11,12,0.60,name one edit apart in the same city,Gerard Jansen,,Gerard Janssen,
13,14,0.45,name two edits apart in the same city,Gerrit Bakker,,Gerit Baker,
9,10,0.75,same name in the same city,Frederik Hansen,,Frédérik Hansen,"
err_empty

run "dupes without a region: national numbers are not compared" 0 \
	'crm-contact dupes --format csv --no-header'
out_lacks "same phone"
run "\$CRM_REGION is the default region" 0 'CRM_REGION=NL crm-contact dupes --format csv --no-header --min-score 0.9'
out_is "1,2,1.00,same email ignoring case; same mailbox (+tags and Gmail dots ignored),Ann Archer,ann@example.org,Bea Baker,bea@example.org
3,4,0.95,same mailbox (+tags and Gmail dots ignored),Carl Cole,carl.cole@gmail.com,Cees Kool,CarlCole+news@gmail.com
5,6,0.90,same phone (E.164),Dirk Dam,,Daan Dekker,"
run "--default-region beats \$CRM_REGION" 0 \
	'CRM_REGION=DE crm-contact dupes --default-region NL --format csv --no-header --min-score 0.9'
out_lines 3
run "dupes --min-score" 0 'crm-contact dupes --min-score 0.75 --format tsv --no-header'
out_lines 4
out_lacks "edit"
run "dupes finding nothing exits 1" 1 'CRM_DB=$(store_at nodupes); empty_store; crm-contact dupes'
out_is "$(printf 'keep\tother\tscore\treason\tkeep_name\tkeep_email\tother_name\tother_email')"
run "dupes --min-score out of range" 64 'crm-contact dupes --min-score 1.5'
err_has '--min-score: a number from 0 to 1, not "1.5"'
run "dupes --min-score not a number" 64 'crm-contact dupes --min-score high'
err_has 'not "high"'
run "dupes with an unknown region" 64 'crm-contact dupes --default-region XX'
err_has 'unknown region "XX"'
run "dupes with an argument" 64 'crm-contact dupes 1'
err_has 'unexpected argument "1"'
run "dupes jsonl: numbers are numbers" 0 'crm-contact dupes --format jsonl --min-score 0.95'
out_has '{"keep":3,"other":4,"score":0.95,"reason":"same mailbox (+tags and Gmail dots ignored)",'
# A busy store is 75 for every command that reads, never an empty answer:
# an exclusive WAL lock keeps every reader out until its holder ends (on
# SQLite; PostgreSQL has no lock that keeps readers out).
if on_sqlite; then
lock_store
for c in "dupes" "show 1" "tag list" "tag list 1" "email list 1" "history 1" "list" "export"; do
	run "$c on a busy store exits 75, printing nothing" 75 \
		"CRM_BUSY_TIMEOUT=0.1 crm-contact $c"
	[ ! -s "$T/out" ] || _fail "printed: $(head -c 200 "$T/out")"
	err_has "is busy (another program is writing): try again later"
done
unlock_store
fi

# ---- merge --------------------------------------------------------------

use merge
CRM_NOW=2025-06-01T00:00:00Z add --uid u-keep --first-name Ann --email ann@example.org --city Delft \
	--status customer --tag a shoe=38
CRM_NOW=2025-01-01T00:00:00Z add --uid u-two --first-name Anne --last-name Archer --email ann2@example.org \
	--phone "+31 6 1111 2222" --company Acme --city Leiden --status prospect --email-opt-out yes \
	--tag b shoe=40 hat=red
add --uid u-three --first-name X --last-name Y --email ann3@example.org --phone "0612345678" --title CEO \
	--sms-opt-out yes --tag b,c
crm-contact email add 2 ann2b@example.org --type work
crm-contact phone add 3 "06 9999 0000" --type home
add --uid u-other --first-name Olga --email olga@example.org --email-opt-out yes
crm-log add u-two --subject "call with two" --at 2025-12-01 > /dev/null
crm-log add u-three --subject "call with three" --at 2025-12-02 > /dev/null
crm-log add u-two --type purchase --amount 10.00 --currency EUR --at 2025-12-03 > /dev/null
crm-log add u-keep --subject "note on keep" --at 2025-12-04 > /dev/null
crm-segment save everyone 'id > 0' > /dev/null
crm-segment save twothree 'id = 2 OR id = 3' > /dev/null
crm-segment snapshot everyone > /dev/null
crm-segment snapshot twothree > /dev/null
crm-segment rfm > /dev/null

check "merge setup: 4 contacts, 4 interactions, 6 members, rfm rows" \
	'[ "$(sql "SELECT count(*) FROM contacts; SELECT count(*) FROM interactions; SELECT count(*) FROM segment_members; SELECT count(*) FROM contact_rfm WHERE contact_id IN (2, 3)")" = "4
4
6
1" ]'

run "merge three contacts into one" 0 'CRM_NOW=2026-01-02T00:00:00Z crm-contact merge u-keep u-two ann3@example.org'
out_empty
err_empty
run "KEEP's values win, its empty ones are filled" 0 \
	'crm-contact export --format csv --no-header --where id=1 --fields first_name,last_name,email,phone,company,title,city,status,email_opt_out,sms_opt_out,created_at,updated_at,tags,shoe,hat'
out_has "Ann,Archer,ann@example.org,+31 6 1111 2222,Acme,CEO,Delft,customer,1,1,2025-01-01T00:00:00Z,2026-01-02T00:00:00Z,a;b;c,38,red"
run "emails united: OTHER's primary ones become other ones" 0 'crm-contact --format csv --no-header email list 1'
out_is "1,ann@example.org,,yes
1,ann2@example.org,,no
1,ann2b@example.org,work,no
1,ann3@example.org,,no"
run "phones united: KEEP had none, so the first OTHER's primary one is primary" 0 \
	'crm-contact --format csv --no-header phone list 1 | sort'
out_is "1,+31 6 1111 2222,,yes
1,06 9999 0000,home,no
1,0612345678,,no"
run "merged contacts are gone" 1 'crm-contact show 2'
err_is 'crm-contact: show: no contact "2"'
run "merged contacts' uids are gone" 1 'crm-contact show u-three'
run "an email of a merged contact finds KEEP" 0 'crm-contact show ann2b@example.org --format jsonl'
out_has '"id":1,'
check "interactions repointed" \
	'[ "$(sql "SELECT group_concat(contact_id) FROM (SELECT contact_id FROM interactions ORDER BY id) AS t")" = "1,1,1,1" ]'
check "segment snapshot members repointed, one row per snapshot and contact" \
	'[ "$(sql "SELECT group_concat(snapshot_id || \":\" || contact_id, \" \") FROM (SELECT * FROM segment_members ORDER BY 1, 2) AS t")" = "1:1 1:4 2:1" ]'
check "contact_rfm rows of merged contacts dropped" \
	'[ "$(sql "SELECT count(*) FROM contact_rfm WHERE contact_id IN (2, 3)")" = 0 ]'
check "no row anywhere points at a merged contact" \
	'[ "$(sql "SELECT count(*) FROM contact_fields WHERE contact_id IN (2,3); SELECT count(*) FROM contact_tags WHERE contact_id IN (2,3); SELECT count(*) FROM contact_emails WHERE contact_id IN (2,3); SELECT count(*) FROM contact_phones WHERE contact_id IN (2,3)" | tr "\\n" " ")" = "0 0 0 0 " ]'
check "the store is sound, foreign keys hold" \
	'[ "$(sql "PRAGMA integrity_check; PRAGMA foreign_key_check")" = ok ]'
run "history notes where each value came from" 0 'crm-contact --format csv history 1'
out_has ",tester,1,merge,last_name,,Archer,merged from contact 2"
out_has ",tester,1,merge,company,,Acme,merged from contact 2"
out_has ",tester,1,merge,email_opt_out,0,1,merged from contact 2"
out_has ",tester,1,merge,created_at,2025-06-01T00:00:00Z,2025-01-01T00:00:00Z,merged from contact 2"
out_has ",tester,1,merge,emails,,ann2b@example.org,merged from contact 2"
out_has ",tester,1,merge,title,,CEO,merged from contact 3"
out_has ",tester,1,merge,sms_opt_out,0,1,merged from contact 3"
out_has ",tester,1,merge,phones,,06 9999 0000,merged from contact 3"
out_has ",tester,1,merge,,,,merged from contact 3"
out_lacks "merge,first_name"
out_lacks "merge,city"
out_lacks "merge,status"
run "the merged contact's history says where it went" 0 'crm-contact --format csv --no-header history 2'
out_has ",tester,2,merged,,,,merged into contact 1"
run "history --since over all contacts shows the merge" 0 \
	'crm-contact --format csv --no-header history --since 2026-01-02'
out_has ",tester,3,merged,,,,merged into contact 1"
out_has ",tester,1,merge,title,,CEO,merged from contact 3"
out_lacks ",create,"
run "history --since a relative date" 0 \
	'CRM_NOW=2026-01-05T00:00:00Z crm-contact --format csv --no-header history --since -3d'
out_has ",tester,2,merged,,,,merged into contact 1"
out_lacks ",create,"

run "merge a contact into itself" 64 'crm-contact merge 1 u-keep'
err_is "crm-contact: merge: cannot merge contact 1 into itself"
run "merge an unknown contact: skipped with a warning" 1 'crm-contact merge 1 99'
err_is 'crm-contact: merge: no contact "99": skipped
crm-contact: merge: 0 merged, 1 skipped'
run "merge one known and one unknown" 0 \
	'add --first-name Olga --last-name Ost --email olga2@example.org && crm-contact merge 4 98 5'
err_is 'crm-contact: merge: no contact "98": skipped
crm-contact: merge: 1 merged, 1 skipped'
check "olga2 merged into 4, KEEP's opt-out stays" \
	'[ "$(sql "SELECT last_name, email_opt_out FROM contacts WHERE id = 4; SELECT count(*) FROM contacts WHERE id = 5")" = "Ost|1
0" ]'
run "merge with one contact" 64 'crm-contact merge 1'
err_has "give KEEP OTHER..., or --from FILE"
run "merge --from with contacts too" 64 'crm-contact merge --from x.csv 1 2'
err_has "give KEEP OTHER..., or --from FILE"
run "merge --from a missing file" 66 'crm-contact merge --from nosuch.csv'
err_is "crm-contact: merge: cannot open nosuch.csv: No such file or directory"
run "merge --from a file without keep and other" 65 'printf "a,b\n1,4\n" > bad.csv && crm-contact merge --from bad.csv'
err_is "crm-contact: merge: bad.csv: needs keep and other columns (as dupes writes)"
add --uid u-pia1 --first-name Pia --email pia@example.org
add --uid u-pia2 --first-name Pia --email PIA+x@example.org
pia1=$(sql "SELECT id FROM contacts WHERE uid = 'u-pia1'")
pia2=$(sql "SELECT id FROM contacts WHERE uid = 'u-pia2'")
run "merge into itself inside --from rolls back every pair" 64 \
	'printf "keep,other\n%s,%s\n1,1\n" $pia1 $pia2 > self.csv && crm-contact merge --from self.csv'
err_is "crm-contact: merge: cannot merge contact 1 into itself"
check "the good pair was rolled back" '[ "$(sql "SELECT count(*) FROM contacts WHERE uid LIKE \"u-pia%\"")" = 2 ]'

run "merge --from the dupes CSV" 0 \
	'crm-contact dupes --format csv > d.csv && crm-contact merge --from d.csv'
err_empty
check "the dupes CSV named the two" 'grep -q "^$pia1,$pia2,0.95,same mailbox" d.csv'
check "the second merged into the first" \
	'[ "$(sql "SELECT count(*) FROM contacts WHERE uid = \"u-pia2\"; SELECT email FROM contact_emails WHERE contact_id = $pia1")" = "0
PIA+x@example.org" ]'
run "merge --from the same file again: every pair skipped" 1 'crm-contact merge --from d.csv'
err_is "crm-contact: merge: no contact \"$pia2\": skipped
crm-contact: merge: 0 merged, 1 skipped"
run "merge --from - reads the dupes output (tsv) from stdin" 0 \
	'add --uid u-quin1 --first-name Quinten --last-name Quist --company "Quux BV" &&
	 add --uid u-quin2 --first-name Quinten --last-name Quist --company "quux" &&
	 crm-contact dupes | crm-contact -v merge --from -'
err_is "crm-contact: merge: 1 merged, 0 skipped"
check "one Quinten left" '[ "$(sql "SELECT uid FROM contacts WHERE first_name = \"Quinten\"")" = u-quin1 ]'
run "merge --from - of a header alone merges nothing" 1 \
	'printf "keep,other\n" | crm-contact merge --from -'
run "merge --from an empty input" 65 'crm-contact merge --from - </dev/null'
err_has "empty input"
add --uid u-eve --first-name Eve --email eve@example.org
eve=$(sql "SELECT id FROM contacts WHERE uid = 'u-eve'")
crm-contact erase --force u-eve
run "merge of an erased contact fails and rolls back" 1 'crm-contact merge 1 4 $eve'
err_is "crm-contact: merge: no contact \"$eve\""
check "KEEP unchanged by the failed merge" \
	'[ "$(sql "SELECT count(*) FROM history WHERE entity_id = 1 AND note = \"merged from contact 4\"; SELECT count(*) FROM contacts WHERE id = 4")" = "0
1" ]'

# ---- export --subject -----------------------------------------------------

run "export --subject: one JSON document" 0 'crm-contact export --subject u-keep > subject.json'
if [ -x /usr/bin/python3 ]; then
	check "export --subject is valid JSON" '/usr/bin/python3 -m json.tool subject.json > /dev/null'
	check "its parts" \
		'/usr/bin/python3 -c "import json,sys; d=json.load(open(\"subject.json\")); sys.exit(0 if d[\"subject\"] == 1 and d[\"contact\"][0][\"email\"] == \"ann@example.org\" and len(d[\"interactions\"]) == 4 and len(d[\"contact_emails\"]) == 3 and len(d[\"contact_phones\"]) == 2 and len(d[\"contact_tags\"]) == 3 and any(h[\"note\"] == \"merged from contact 3\" for h in d[\"history\"]) else 1)"'
elif command -v jq > /dev/null 2>&1; then
	check "export --subject is valid JSON" 'jq . subject.json > /dev/null'
fi
check "export --subject holds interactions, history, emails, phones, fields, segments" \
	'grep -q "\"subject\": 1," subject.json && grep -q "call with three" subject.json &&
	 grep -q "\"interactions\": \\[" subject.json && grep -q "merged from contact 2" subject.json &&
	 grep -q "ann2b@example.org" subject.json && grep -q "06 9999 0000" subject.json &&
	 grep -q "\"segment_members\": \\[" subject.json && grep -q "\"hat\"" subject.json'
check "export --subject holds the history the merged contacts had" \
	'grep -q "\"entity_id\":2, \"action\":\"create\"" subject.json'
run "export --subject of an unknown contact" 1 'crm-contact export --subject nobody@example.org'
err_is 'crm-contact: export: no contact "nobody@example.org"'
run "export --subject with an argument" 64 'crm-contact export --subject 1 2'
err_has 'unexpected argument "2"'
run "list has no --subject" 64 'crm-contact list --subject 1'

# ---- erase ------------------------------------------------------------------

use erase
add --uid u-zeph --first-name Zephyrine --last-name Quackenbush --email zeph@erase.example \
	--phone "+31 6 9876 5432" --company Frobozz --city Zwolle --address "Plughstraat 9" \
	--tag zephtag secretfield=xyzzyvalue
crm-contact edit u-zeph --last-name Quackenbush-Vane --title Wizardess
crm-contact email add u-zeph zeph.work@erase.example --type work
crm-contact phone add u-zeph "06-55554444" --type home --default-region NL
add --uid u-zeph2 --first-name Zephyrine --last-name Quackenbush --email zeph2@erase.example \
	--tag zephtag2 second=otherzephvalue
crm-contact edit u-zeph2 --title Sorceress
crm-contact email add u-zeph2 zeph2.old@erase.example
crm-contact email rm u-zeph2 zeph2.old@erase.example
crm-contact merge u-zeph u-zeph2
crm-log add u-zeph --subject "Secret subject plugh" --body "body of zeph" --key msg-zeph@erase.example > /dev/null
crm-log add u-zeph --type purchase --amount 5.00 --at 2025-12-01 --subject "zeph order" > /dev/null
add --uid u-keepme --first-name Walter --last-name Witness --email walter@example.org
crm-log add u-keepme --subject "Walter's call" > /dev/null
walter=$(sql "SELECT id FROM contacts WHERE uid = 'u-keepme'")
crm-segment save all 'id > 0' > /dev/null
crm-segment snapshot all > /dev/null

# scan TEXT: each table.column holding TEXT (without regard to case).
scan() {
	store_columns |
	while IFS='|' read -r tab col; do
		n=$(sql "SELECT count(*) FROM $tab WHERE replace(lower(CAST($col AS TEXT)), lower('$1'), '') <> lower(CAST($col AS TEXT))")
		[ "$n" = 0 ] || echo "$tab.$col"
	done
}
# The person's data, one a line: emails, names, phones, custom values, an
# interaction's subject, body and key, address, company, city, title,
# tags, the uid, and what the contact merged into it had.
cat > secrets <<'END'
zeph@erase.example
zeph.work@erase.example
zeph2@erase.example
Zephyrine
Quackenbush
9876 5432
06-55554444
+31655554444
xyzzyvalue
otherzephvalue
Plughstraat
Frobozz
Zwolle
Wizardess
Sorceress
zeph2.old@erase.example
zephtag
Secret subject plugh
body of zeph
msg-zeph
u-zeph
END
# scan_all: every secret a table.column still holds, as "secret: where".
scan_all() {
	while IFS= read -r s; do
		w=$(scan "$s")
		[ -z "$w" ] || echo "$s:" $w
	done < secrets
}

check "before erase: the scan finds every secret" \
	'[ "$(scan_all | wc -l)" = "$(wc -l < secrets)" ]'
if on_sqlite; then
	check "before erase: the file holds the name" '[ "$(grep -c -a Quackenbush "$CRM_DB")" != 0 ]'
fi

run "erase without --force when stdin is not a terminal" 64 'crm-contact erase u-zeph </dev/null'
err_is "crm-contact: erase: stdin is not a terminal: use --force to erase without asking
usage: crm-contact erase [-f] CONTACT"
check "nothing erased" '[ "$(sql "SELECT count(*) FROM contacts WHERE first_name = \"Zephyrine\"")" = 1 ]'
run "erase without a contact" 64 'crm-contact erase -f'
err_has "give one contact: an id, uid or email"
run "erase two contacts" 64 'crm-contact erase -f 1 3'
run "erase an unknown contact" 1 'crm-contact erase -f nobody@example.org'
err_is 'crm-contact: erase: no contact "nobody@example.org"'

if command -v script >/dev/null 2>&1; then
	run "erase on a terminal: n keeps the contact" 0 \
		'printf "n\n" | script -qec "crm-contact erase u-zeph" /dev/null'
	out_has "erase all data of contact 1 Zephyrine Quackenbush-Vane"
	out_has "? [y/N]"
	check "nothing erased after n" '[ "$(sql "SELECT count(*) FROM erasures")" = 0 ]'
fi

run "erase --force by another email" 0 'crm-contact erase --force zeph.work@erase.example'
out_empty
err_empty
check "no column of any table holds any of the person's data" \
	'found=$(scan_all); [ -z "$found" ] || { echo "$found" >&2; false; }'
if on_sqlite; then
	check "the database file holds none of the bytes" \
		'while IFS= read -r s; do
			n=$(grep -c -a -F -- "$s" "$CRM_DB"); [ "$n" = 0 ] || { echo "$s: $n in the file" >&2; exit 1; }
		 done < secrets'
	check "nor the -wal file, if there is one" \
		'[ ! -e "$CRM_DB-wal" ] || ! grep -q -a -F -f secrets "$CRM_DB-wal"'
fi
check "the erasure is recorded without the data" \
	'[ "$(sql "SELECT at || \"|\" || who || \"|\" || contact_id FROM erasures")" = "2026-01-01T00:00:00Z|tester|1" ]'
check "the interactions are kept, counted, with personal fields cleared" \
	'[ "$(sql "SELECT count(*), sum(amount), count(subject), count(body), count(ext_key) FROM interactions WHERE contact_id = 1")" = "2|500|0|0|0" ]'
check "the anonymous row stays for report counts" \
	'[ "$(sql "SELECT uid, status, email_opt_out, sms_opt_out, CASE WHEN erased_at IS NOT NULL THEN 1 ELSE 0 END FROM contacts WHERE id = 1")" = "erased-1|former|1|1|1" ]'
check "the other person is untouched" \
	'[ "$(sql "SELECT c.first_name, i.subject FROM contacts c JOIN interactions i ON i.contact_id = c.id WHERE c.uid = \"u-keepme\"")" = "Walter|Walter'"'"'s call" ]'
run "the other person's history is kept, though it has a merged contact's id" 0 \
	'crm-contact --format csv --no-header history u-keepme'
out_has ",tester,$walter,create,,,,"
run "list leaves the erased contact out" 0 'crm-contact list --no-header --fields uid'
out_is "u-keepme"
run "export leaves the erased contact out" 0 'crm-contact export --format csv --no-header --fields uid'
out_is "u-keepme"
run "segment run leaves the erased contact out" 0 'crm-segment run all --no-header --format csv'
out_lacks "erased"
out_lines 1
# The erased row keeps no data to match on; to show that dupes leaves it out
# by its mark, not by luck, a copy of the store gives it Walter's name and
# city back: still no pair, while the same row unmarked is paired.
lookalike="UPDATE contacts SET first_name = 'Walter', last_name = 'Witness', city = 'Zwolle' WHERE id = 1;
	UPDATE contacts SET city = 'Zwolle' WHERE uid = 'u-keepme';"
run "dupes leaves the erased contact out" 1 \
	'look=$(copy_store look) && sql_in "$look" "$lookalike" && CRM_DB=$look crm-contact dupes --no-header'
[ ! -s "$T/out" ] || _fail "a pair was printed: $(cat "$T/out")"
run "control: the same row, not erased, is paired with Walter" 0 \
	'look=$(store_at look) && sql_in "$look" "UPDATE contacts SET erased_at = NULL WHERE id = 1" && CRM_DB=$look crm-contact dupes --no-header'
out_has "Walter Witness"
run "the erased contact has no history" 1 'crm-contact history 1'
run "erasing again is harmless" 0 'crm-contact erase --force 1'
check "still nothing of the person" '[ -z "$(scan_all)" ]'
check "the store is sound" '[ "$(sql "PRAGMA integrity_check; PRAGMA foreign_key_check")" = ok ]'

# A reader keeps the WAL from being truncated: the person is erased, but
# old copies may stay, so erase says so with 75; run again, all is gone.
# (SQLite only: PostgreSQL keeps no -wal file a reader could hold.)
if on_sqlite; then
	use erase_busy
	add --first-name Rita --last-name Readerkeep --email rita@example.org
	add --first-name Other
	rm -f "$T/locked" "$T/release"
	sqlite3 "$CRM_DB" "BEGIN;" "SELECT count(*) FROM contacts;" ".shell touch '$T/locked'" \
		".shell i=0; while [ ! -e '$T/release' ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done" \
		"COMMIT;" > /dev/null 2>&1 &
	holder=$!
	i=0
	while [ ! -e "$T/locked" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check "the reader is ready" '[ -e "$T/locked" ]'
	run "erase while another program reads: erased, but exit 75" 75 'crm-contact erase -f rita@example.org'
	err_is "crm-contact: erase: another program is reading the store, so old copies may stay in its -wal file: run erase again later"
	check "erased in the store all the same" '[ "$(sql "SELECT count(*) FROM contacts WHERE first_name = \"Rita\"; SELECT count(*) FROM erasures")" = "0
1" ]'
	touch "$T/release"
	wait "$holder"
	run "erase again once the reader is gone" 0 'crm-contact erase -f 1'
	err_empty
	check "no copy left in the file or the -wal file" \
		'[ "$(grep -c -a Readerkeep "$CRM_DB")" = 0 ] && { [ ! -e "$CRM_DB-wal" ] || ! grep -q -a Readerkeep "$CRM_DB-wal"; }'
fi


# ---- a changed primary email keeps the old one; ids are never reused --------------

use primary_kept
crm-contact add --email ada@home.example --first-name Ada >/dev/null
crm-contact email add ada@home.example ada@work.example --type work >/dev/null
run "import matched by another email makes it primary, keeping the old one" 0 \
	'printf "email,title\nada@work.example,Countess\n" | crm-contact import -'
run "both emails still the contact's" 0 'crm-contact email list ada@work.example --no-header'
out_is "1	ada@work.example		yes
1	ada@home.example		no"
run "edit --email keeps the old primary as another email" 0 \
	'crm-contact edit 1 --email ada@new.example && crm-contact email list 1 --no-header | cut -f2,4'
out_is "ada@new.example	yes
ada@home.example	no
ada@work.example	no"
run "history says where the old one went" 0 'crm-contact history 1 --format csv'
out_has "add,emails,,ada@work.example,the primary email before"

crm-contact add --first-name Last >/dev/null
run "a removed contact's id is never given again" 0 \
	'crm-contact rm -f 2 && crm-contact add --first-name Next'
out_is "3"

run "erasing an erased contact again records nothing more" 0 \
	'crm-contact erase -f 1 && crm-contact erase -f 1'
check "one erasure row" '[ "$(sql "SELECT count(*) FROM erasures")" = 1 ]'

run "phone add reads \$CRM_REGION" 0 'CRM_REGION=NL crm-contact phone add 3 "020 123 4567"'
run "phone add refuses an unknown region" 64 'CRM_REGION=XX crm-contact phone add 3 "020 765 4321"'
err_has 'unknown region "XX"'


# ---- contact streams from a file --------------------------------------------------

use streams
crm-contact add --email s1@example.org >/dev/null
crm-contact add --email s2@example.org >/dev/null
crm-contact add --email s3@example.org >/dev/null
printf 'email\ns1@example.org\ns3@example.org\nnobody@example.org\n' > stream.csv
run "tag add --from FILE tags the file's contacts, names the unknown one" 1 \
	'crm-contact tag add --from stream.csv picked'
err_is 'crm-contact: tag: stream.csv:4: no contact "nobody@example.org"'
run "the picked ones" 0 'crm-contact list --tag picked --fields email --no-header'
out_is "s1@example.org
s3@example.org"
run "tag rm --from FILE" 1 'crm-contact tag rm --from stream.csv picked'
check "untagged" '[ "$(sql "SELECT count(*) FROM contact_tags")" = 0 ]'
run "tag add --from a missing file" 66 'crm-contact tag add --from missing.csv x'
err_is "crm-contact: tag: cannot open missing.csv: No such file or directory"
run "rm --from FILE needs --force" 64 'crm-contact rm --from stream.csv'
run "rm -f --from FILE deletes the file's contacts" 1 'crm-contact rm -f --from stream.csv'
run "only s2 left" 0 'crm-contact list --fields email --no-header'
out_is "s2@example.org"

finish
