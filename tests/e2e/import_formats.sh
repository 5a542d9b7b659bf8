#!/bin/sh
# tests/e2e/import_formats.sh - numbers and separators as spreadsheets
# write them, for crm-contact import and crm-log import: ';'-separated
# files (European Excel, with BOM and CRLF; the UCI Bank Marketing header
# line), --delimiter, whitespace-separated columns (CDNOW), --no-header
# --columns, --decimal , and thousands separators, and blank number cells
# stored as missing (NULL), never 0.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z

# use NAME: the following cases work on a store of their own, store_at NAME,
# holding two contacts: 1 ada@example.org and 2 bob@example.org.
use() {
	CRM_DB=$(store_at "$1")
	crm-contact add --email ada@example.org > /dev/null &&
	crm-contact add --email bob@example.org > /dev/null ||
		echo "FAIL $SUITE: cannot set up store $1" >&2
}

# ---- help and usage -----------------------------------------------------------

for p in crm-contact crm-log; do
	run "$p import --help names the input options" 0 "$p import --help"
	out_has "--delimiter D"
	out_has "--no-header --columns A,B,..."
	out_has "--decimal MARK"
done

CRM_DB=$(store_at never)
run "--delimiter with a bad value: usage, no store made" 64 \
	'printf "email\na@x.org\n" | crm-contact import --delimiter "|" -'
err_is 'crm-contact: import: --delimiter: use ",", ";", tab or whitespace, not "|"
usage: crm-contact import [options] FILE|-'
check "the store was not created" 'no_store'

run "--decimal with a bad value" 64 \
	'printf "contact\n1\n" | crm-log import --decimal "'"'"'" -'
err_has "crm-log: import: --decimal: use . or , not \"'\""
check "still no store" 'no_store'

run "--no-header without --columns" 64 'printf "a@x.org\n" | crm-contact import --no-header -'
err_has "crm-contact: import: --no-header needs --columns NAME,NAME,..."

run "--columns without --no-header" 64 'printf "email\na@x.org\n" | crm-log import --columns contact -'
err_has "crm-log: import: --columns names the columns of a file without a header line: give --no-header too"

run "--columns with an empty name" 64 \
	'printf "a@x.org\n" | crm-contact import --no-header --columns email,,x -'
err_has 'crm-contact: import: --columns: empty column name in "email,,x"'

run "--delimiter with vCard" 64 'printf "BEGIN:VCARD\nEND:VCARD\n" | crm-contact import --format vcard --delimiter ";" -'
err_has "crm-contact: import: --delimiter and --no-header are for CSV and TSV, not vCard"

# ---- contacts: European Excel -------------------------------------------------

use eu
# A BOM, CRLF, ';' between fields, decimal commas, a quoted cell with ';'
# and one with a comma: as European Excel saves "CSV (semicolon)".
printf '\357\273\277E-mail;First Name;Last Name;Balance;Discount;Notes\r\n' > eu.csv
printf 'jan@example.nl;Jan;de Vries;"1.234,50";12,5;"a; b"\r\n' >> eu.csv
printf 'els@example.be;Els;"Peeters, jr";-0,75;"1 234,00";\r\n' >> eu.csv
printf 'ada@example.org;Ada;Lovelace;7;0,5;x\r\n' >> eu.csv

run "';' detected from the header line: every column split" 0 \
	'crm-contact import eu.csv --decimal ,'
err_empty
check "names and emails stored, BOM and CR gone" \
	'[ "$(sql "SELECT email, first_name, last_name FROM contacts ORDER BY id")" = "ada@example.org|Ada|Lovelace
bob@example.org||
jan@example.nl|Jan|de Vries
els@example.be|Els|Peeters, jr" ]'
check "decimal-comma numbers stored as filters read them" \
	'[ "$(sql "SELECT c.email, f.name, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id ORDER BY c.id, f.name")" = "ada@example.org|balance|7
ada@example.org|discount|0.5
ada@example.org|notes|x
jan@example.nl|balance|1234.50
jan@example.nl|discount|12.5
jan@example.nl|notes|a; b
els@example.be|balance|-0.75
els@example.be|discount|1234.00" ]'

run "the numbers compare as numbers in a segment" 0 \
	"crm-segment count 'field.balance > 1000'"
out_is "1"

run "--delimiter ';' forced on a first line without ';'" 65 \
	'printf "email\r\nann@example.org;x\r\n" > one.csv; crm-contact import --delimiter ";" --no-header --columns email,nick one.csv --rejects rj.csv'
check "both lines are rows, the first a reject" \
	'[ "$(cat rj.csv)" = "line,reason,email,nick
1,\"expected 2 fields, found 1\",email" ]'
check "the second one stored with its custom field" \
	'[ "$(sql "SELECT f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id WHERE c.email = '\''ann@example.org'\''")" = "x" ]'

# ---- contacts: the UCI Bank Marketing header line -------------------------------

use bank
printf '"age";"job";"marital";"education";"default";"balance";"housing";"loan";"contact";"day";"month";"duration";"campaign";"pdays";"previous";"poutcome";"y"\n' > bank.csv
printf '58;"management";"married";"tertiary";"no";2143;"yes";"no";"unknown";5;"may";261;1;-1;0;"unknown";"no"\n' >> bank.csv
run "UCI Bank Marketing: quoted ';' header split into 17 columns" 65 \
	'crm-contact import bank.csv --rejects bank-rejects.csv'
check "the row is rejected for want of a name, its cells split" \
	'[ "$(cat bank-rejects.csv)" = "line,reason,age,job,marital,education,default,balance,housing,loan,contact,day,month,duration,campaign,pdays,previous,poutcome,y
2,\"no name, email, phone, company or uid\",58,management,married,tertiary,no,2143,yes,no,unknown,5,may,261,1,-1,0,unknown,no" ]'

{ printf '"email";'; head -n 1 bank.csv; printf '"ann@example.org";'; sed -n 2p bank.csv; } > bank2.csv
run "the same shape with an email column" 0 'crm-contact import bank2.csv'
check "its columns are custom fields" \
	'[ "$(sql "SELECT f.name || '\''='\'' || f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id WHERE c.email = '\''ann@example.org'\'' AND f.name IN ('\''age'\'', '\''balance'\'', '\''pdays'\'', '\''job'\'') ORDER BY f.name")" = "age=58
balance=2143
job=management
pdays=-1" ]'

# ---- interactions: amounts -----------------------------------------------------

use us
printf 'contact,at,amount,key\n' > us.csv
printf 'ada@example.org,2025-03-01,"1,234.50",o-1\n' >> us.csv
printf 'ada@example.org,2025-03-02,"12,345,678.90",o-2\n' >> us.csv
printf 'bob@example.org,2025-03-03,0.99,o-3\n' >> us.csv
printf 'bob@example.org,2025-03-04,"1,23.4",o-4\n' >> us.csv
printf 'bob@example.org,2025-03-05,"12,3.4",o-5\n' >> us.csv
printf 'bob@example.org,2025-03-06,"1.234,50",o-6\n' >> us.csv
run "US amounts with thousands commas; ambiguous ones rejected" 65 \
	'crm-log import us.csv --rejects us-rejects.csv'
check "exact minor units" \
	'[ "$(sql "SELECT ext_key, amount FROM interactions ORDER BY ext_key")" = "o-1|123450
o-2|1234567890
o-3|99" ]'
check "the rejects name the value and the notation" \
	'[ "$(cut -d, -f1 us-rejects.csv | tr "\n" " ")" = "line 5 6 7 " ] &&
	 grep -qF "invalid amount \"\"1,23.4\"\": invalid (EUR has 2 decimals; decimal mark '\''.'\'', thousands in groups of three as in 1,234.50)" us-rejects.csv &&
	 grep -qF "invalid amount \"\"1.234,50\"\": invalid" us-rejects.csv'

use euro
printf '\357\273\277contact;at;amount;duration;key\r\n' > euro.csv
printf 'ada@example.org;2025-03-01;1.234,50;90;e-1\r\n' >> euro.csv
printf 'ada@example.org;2025-03-02;"1 234,50";;e-2\r\n' >> euro.csv
printf 'bob@example.org;2025-03-03;12,5;;e-3\r\n' >> euro.csv
printf 'bob@example.org;2025-03-04;1.234;;e-4\r\n' >> euro.csv
printf 'bob@example.org;2025-03-05;12.50;;e-5\r\n' >> euro.csv
run "--decimal , with ';' detected: 1.234,50 and 1 234,50" 65 \
	'crm-log import euro.csv --decimal , --rejects euro-rejects.csv'
check "1.234 is 1234 with mark ','; 12,5 is 12.50" \
	'[ "$(sql "SELECT ext_key, amount FROM interactions ORDER BY ext_key")" = "e-1|123450
e-2|123450
e-3|1250
e-4|123400" ]'
check "12.50 is no number with mark ','" \
	'[ "$(cut -d, -f1 euro-rejects.csv | tail -n 1)" = "6" ] &&
	 grep -qF "decimal mark '\'','\''" euro-rejects.csv'

use euro2
run "without --decimal , the same file is rejected, not misread" 65 \
	'crm-log import euro.csv'
check "only the plain-dot amount came in" \
	'[ "$(sql "SELECT ext_key, amount FROM interactions ORDER BY id")" = "e-5|1250" ]'

# ---- interactions: blank number cells are missing, never 0 -----------------------

use blank
printf 'contact,at,type,amount,duration,lead,ticket,key\n' > blank.csv
printf 'ada@example.org,2025-03-01,call, ,   ,\t, ,b-1\n' >> blank.csv
printf 'ada@example.org,2025-03-02,note,,,,,b-2\n' >> blank.csv
printf 'ada@example.org,2025-03-03,purchase, ,,,,b-3\n' >> blank.csv
printf 'ada@example.org,2025-03-04,call,,0,,,b-4\n' >> blank.csv
run "blank and space-only number cells" 65 'crm-log import blank.csv --rejects blank-rejects.csv'
check "stored as NULL, not 0; a real 0 stays 0" \
	'[ "$(sql "SELECT ext_key, type, coalesce(CAST(amount AS TEXT), \"NULL\"), coalesce(CAST(duration AS TEXT), \"NULL\"), coalesce(CAST(lead_id AS TEXT), \"NULL\"), coalesce(CAST(ticket_id AS TEXT), \"NULL\") FROM interactions ORDER BY ext_key")" = "b-1|call|NULL|NULL|NULL|NULL
b-2|note|NULL|NULL|NULL|NULL
b-4|call|NULL|0|NULL|NULL" ]'
check "a purchase whose amount is blank has none: rejected" \
	'[ "$(tail -n 1 blank-rejects.csv | cut -d, -f1,2)" = "4,a purchase needs an amount" ]'

# ---- CDNOW: whitespace-separated, no header line -------------------------------

use cdnow
# CDNOW_master.txt: customer id, date (%Y%m%d), quantity, amount, aligned
# with runs of spaces. crm-log reads ISO dates, so this run leaves the
# date column out (--map at=-: the time is now) ...
printf '00001 19970101 1 11.77\n00002 19970112  2  89.00\n\n00001 19970112 1\n  00002   19970102   1   1,020.45  \r\n' > cdnow.txt
run "--delimiter whitespace --no-header --columns" 65 \
	'crm-log import cdnow.txt --delimiter whitespace --no-header --columns contact,at,quantity,amount --map quantity=- --map at=- --rejects cd-rejects.csv'
check "amounts stored; contacts by id 00001, 00002" \
	'[ "$(sql "SELECT contact_id, type, amount, at FROM interactions ORDER BY id")" = "1|purchase|1177|2026-01-01T00:00:00Z
2|purchase|8900|2026-01-01T00:00:00Z
2|purchase|102045|2026-01-01T00:00:00Z" ]'
check "a short line is rejected by its real line number, under the given names" \
	'[ "$(cat cd-rejects.csv)" = "line,reason,contact,at,quantity,amount
4,\"expected 4 fields, found 3\",00001,19970112,1" ]'

# ... and this one with the dates made ISO first.
CRM_DB=$(store_at cdnow2)
crm-contact add --email ada@example.org > /dev/null
crm-contact add --email bob@example.org > /dev/null
awk '{ sub(/\r$/, "") } NF == 4 { printf "%s  %s-%s-%s  %s  %s\n", $1, substr($2, 1, 4), substr($2, 5, 2), substr($2, 7, 2), $3, $4 }' cdnow.txt > cdnow-iso.txt
run "the same with ISO dates, --no-header given before the command" 0 \
	'crm-log --no-header import cdnow-iso.txt --delimiter whitespace --columns contact,at,quantity,amount --map quantity=-'
err_empty
check "dates and amounts" \
	'[ "$(sql "SELECT contact_id, at, amount FROM interactions ORDER BY at")" = "1|1997-01-01T00:00:00Z|1177
2|1997-01-02T00:00:00Z|102045
2|1997-01-12T00:00:00Z|8900" ]'

run "tab-separated with --delimiter tab and no header" 0 \
	'printf "ada@example.org\t2025-01-01\t3,000.00\n" | crm-log import --delimiter tab --no-header --columns contact,at,amount -'
check "stored" '[ "$(sql "SELECT amount FROM interactions WHERE at = '\''2025-01-01T00:00:00Z'\''")" = "300000" ]'

finish
