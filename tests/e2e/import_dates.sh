#!/bin/sh
# tests/e2e/import_dates.sh - dates as spreadsheets write them: --date-format
# on crm-contact import and crm-log import, the Outlook header profile,
# rejects that name the column, and local time (TZ) in and out, across a
# DST change. Expected UTC values are worked out by hand from the zone
# rules (Europe/Amsterdam: +01:00, +02:00 from 2026-03-29 02:00 local).
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-06-01T00:00:00Z

out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}
fresh() {
	reset_store
}

# ---- Outlook's CSV export ----------------------------------------------------

# The header line Outlook writes (File > Open & Export > Import/Export >
# Export to a file > Comma Separated Values), shortened to the columns up to
# the e-mail ones plus Birthday, Anniversary and Notes as it orders them.
OUTLOOK_HEADER='"Title","First Name","Middle Name","Last Name","Suffix","Company","Department","Job Title","Business Street","Business City","Business State","Business Postal Code","Business Country/Region","Home Street","Home City","Home State","Home Postal Code","Home Country/Region","Business Phone","Home Phone","Mobile Phone","Anniversary","Birthday","Categories","E-mail Address","E-mail Type","E-mail Display Name","Notes"'
{
	printf '%s\r\n' "$OUTLOOK_HEADER"
	printf '%s\r\n' '"","Jane","","Doe","","Acme Inc.","","Buyer","1 Main St","Springfield","IL","62701","United States of America","","","","","","(217) 555-0100","","","0/0/00","1/5/1980","VIP","jane@example.com","SMTP","Jane Doe (jane@example.com)",""'
	printf '%s\r\n' '"","John","Q","Public","","","","","","","","","","","","","","","","","","6/1/2005","12/31/1975","","john@example.com","SMTP","John Public (john@example.com)",""'
	printf '%s\r\n' '"","Nobody","","Born","","","","","","","","","","","","","","","","","","0/0/00","0/0/00","","nobody@example.com","SMTP","",""'
	printf '%s\r\n' '"","Bad","","Date","","","","","","","","","","","","","","","","","","0/0/00","13/45/1980","","bad@example.com","SMTP","",""'
} > outlook.csv

run "an Outlook export: US dates read, a bad one rejects only its row" 65 \
	'crm-contact import --rejects rej.csv outlook.csv'
err_is "crm-contact: import: outlook.csv: 4 read, 3 added, 0 updated, 1 rejected (see rej.csv)"
check "Birthday 1/5/1980 is 1980-01-05, 12/31/1975 is 1975-12-31, 0/0/00 is none" \
	'[ "$(sql "SELECT email, coalesce(birthdate, \"-\") FROM contacts ORDER BY id")" = "jane@example.com|1980-01-05
john@example.com|1975-12-31
nobody@example.com|-" ]'
check "Anniversary is a date too: 6/1/2005 kept as 2005-06-01, 0/0/00 as nothing" \
	'[ "$(sql "SELECT c.email, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id WHERE f.name = \"anniversary\"")" = "john@example.com|2005-06-01" ]'
check "the reason names the column as in the file, the value and the format" \
	'grep -F "5,\"column \"\"Birthday\"\": invalid date \"\"13/45/1980\"\" (expected %m/%d/%Y)\"," rej.csv'

fresh
run "-v says the file was read as an Outlook export" 0 \
	'head -3 outlook.csv | crm-contact -v import -'
err_has "crm-contact: import: an Outlook export: dates read as %m/%d/%Y (--date-format to change)"
err_has "2 read, 2 added"

fresh
run "--date-format overrides the Outlook profile" 65 \
	'head -3 outlook.csv | crm-contact import --date-format %d/%m/%Y -'
err_has "invalid date \"12/31/1975\" (expected %d/%m/%Y)"
check "1/5/1980 read day first" '[ "$(sql "SELECT birthdate FROM contacts")" = 1980-05-01 ]'

fresh
printf 'First Name,Last Name,E-mail Address,Birthday\nAnn,Lee,ann@example.org,1/5/1980\n' > plain.csv
run "a header that is not Outlook's keeps ISO dates" 65 'crm-contact import plain.csv'
err_is 'crm-contact: import: plain.csv:2: column "Birthday": invalid date "1/5/1980" (expected YYYY-MM-DD, or give --date-format): row rejected
crm-contact: import: plain.csv: 1 read, 0 added, 0 updated, 1 rejected'
run "the same file with --date-format" 0 'crm-contact import --date-format %m/%d/%Y plain.csv'
check "stored" '[ "$(sql "SELECT birthdate FROM contacts")" = 1980-01-05 ]'

fresh
printf 'email,birthdate,created_at\na@x.org,05.01.1980 10:00,29.03.2026 15:00\nb@x.org,5.1.1980 0:00,28.3.2026 15:00\nc@x.org,1980-01-05,28.03.2026 15:00\nd@x.org,,1.2.2026 9:05\n' > de.csv
run "German dates with times: the format is for every date column" 65 \
	"TZ=Europe/Amsterdam crm-contact import --date-format '%d.%m.%Y %H:%M' de.csv"
err_has 'de.csv:4: column "birthdate": invalid date "1980-01-05" (expected %d.%m.%Y %H:%M): row rejected'
check "a birthdate keeps its day (the time dropped), created_at is local time" \
	'[ "$(sql "SELECT email, birthdate, created_at FROM contacts ORDER BY id")" = "a@x.org|1980-01-05|2026-03-29T13:00:00Z
b@x.org|1980-01-05|2026-03-28T14:00:00Z
d@x.org||2026-02-01T08:05:00Z" ]'

fresh
run "a birthday that is today in Auckland is not in the future (still yesterday in UTC)" 0 \
	"CRM_NOW=2026-06-01T20:00:00Z TZ=Pacific/Auckland crm-contact add --email nz@example.nz --birthdate 2026-06-02"
run "nor is tomorrow there a day too early" 65 \
	"CRM_NOW=2026-06-01T20:00:00Z TZ=Pacific/Auckland crm-contact add --email nz2@example.nz --birthdate 2026-06-03"
err_is 'crm-contact: add: birthdate "2026-06-03" is in the future'

run "crm-contact import --help shows --date-format" 0 'crm-contact import --help'
out_has "  --date-format FMT dates as the file writes them"
run "crm-log import --help shows --date-format" 0 'crm-log import --help'
out_has "  --date-format FMT at and due as the file writes them"

# ---- bad formats -------------------------------------------------------------

run "an unknown conversion is a usage error, before the store is opened" 64 \
	"crm-contact --db nosuchdir/crm.db import --date-format '%m/%d/%Q' de.csv"
err_is 'crm-contact: import: --date-format "%m/%d/%Q": unknown conversion "%Q" (use %Y %y %m %b %d %H %I %M %S %p %z or %%)
usage: crm-contact import [options] FILE|-'
check "no store was made" '[ ! -e nosuchdir ]'
run "a format without a day" 64 "crm-log import --date-format '%m/%Y' de.csv"
err_is 'crm-log: import: --date-format "%m/%Y": a format needs one year (%Y or %y), one month (%m or %b) and a day (%d)
usage: crm-log import [options] FILE|-'
run "--date-format needs its argument" 64 'crm-log import de.csv --date-format'
err_has "--date-format"

# ---- Online Retail and CDNOW through crm-log import --------------------------

fresh
crm-contact add --email 17850@retail.example --first-name Cust > /dev/null
crm-contact add --email cdnow1@example.com > /dev/null
# Online Retail (UCI): InvoiceNo,StockCode,Description,Quantity,InvoiceDate,
# UnitPrice,CustomerID,Country; here with an email column for the contact.
cat > retail.csv <<'EOF'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,Email,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/10 8:26,2.55,17850@retail.example,United Kingdom
536366,22633,HAND WARMER UNION JACK,6,12/1/10 8:28,1.85,17850@retail.example,United Kingdom
536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,13/12/10 8:34,1.69,17850@retail.example,United Kingdom
536368,22960,JAM MAKING SET WITH JARS,6,2010-12-01 08:34,4.25,17850@retail.example,United Kingdom
EOF
RETAIL_MAP='--map InvoiceNo=key --map StockCode=- --map Description=subject --map Quantity=- --map InvoiceDate=at --map UnitPrice=amount --map Country=-'
run "Online Retail invoice dates, %m/%d/%y %H:%M" 65 \
	"CRM_CURRENCY=GBP crm-log import $RETAIL_MAP --date-format '%m/%d/%y %H:%M' --rejects rej.csv retail.csv"
err_is "crm-log: import: retail.csv: 4 read, 2 added, 0 updated, 2 rejected (see rej.csv)"
check "12/1/10 8:26 is 2010-12-01 08:26 (UTC here)" \
	'[ "$(sql "SELECT ext_key, at, amount FROM interactions ORDER BY ext_key")" = "536365|2010-12-01T08:26:00Z|255
536366|2010-12-01T08:28:00Z|185" ]'
check "day-first 13/12/10 and an ISO cell rejected, naming InvoiceDate" \
	'[ "$(cut -d, -f1-2 rej.csv | tail -n +2)" = "4,\"column \"\"InvoiceDate\"\": invalid date \"\"13/12/10 8:34\"\" (expected %m/%d/%y %H:%M)\"
5,\"column \"\"InvoiceDate\"\": invalid date \"\"2010-12-01 08:34\"\" (expected %m/%d/%y %H:%M)\"" ]'

printf 'customer,date,quantity,amount,order\ncdnow1@example.com,19970101,1,11.77,c1\ncdnow1@example.com,19970112,2,12.00,c2\ncdnow1@example.com,1997011,1,1.00,c3\n' > cdnow.csv
run "CDNOW dates, %Y%m%d: eight digits or the row is rejected" 65 \
	"crm-log import --map quantity=- --date-format %Y%m%d cdnow.csv"
err_has 'cdnow.csv:4: column "date": invalid date "1997011" (expected %Y%m%d): row rejected'
check "midnight UTC of each day" \
	'[ "$(sql "SELECT at FROM interactions WHERE ext_key LIKE \"c%\" ORDER BY at")" = "1997-01-01T00:00:00Z
1997-01-12T00:00:00Z" ]'

# CDNOW as it is shipped: space-aligned, no header, customer number first
# (here the contact's id, 2)
printf '00002 19970101  1  11.77\n00002 19970225  3  26.97\n00002 19970230  1  11.77\n' > CDNOW_master.txt
run "CDNOW_master.txt as shipped: --delimiter whitespace --no-header, %Y%m%d" 65 \
	"crm-log import --delimiter whitespace --no-header --columns customer,date,quantity,amount --map quantity=- --date-format %Y%m%d CDNOW_master.txt"
err_has 'CDNOW_master.txt:3: column "date": invalid date "19970230" (expected %Y%m%d): row rejected'
check "February 25th stored, 26.97" \
	'[ "$(sql "SELECT at, amount FROM interactions WHERE contact_id = 2 AND ext_key IS NULL ORDER BY at")" = "1997-01-01T00:00:00Z|1177
1997-02-25T00:00:00Z|2697" ]'

printf 'contact,type,due,subject\ncdnow1@example.com,task,6/2/2026 9:00,call back\ncdnow1@example.com,task,6/31/2026 9:00,never\n' > tasks.csv
run "tasks: --date-format applies to due" 65 "crm-log import --date-format '%m/%d/%Y %H:%M' tasks.csv"
err_has 'tasks.csv:3: column "due": invalid date "6/31/2026 9:00" (expected %m/%d/%Y %H:%M): row rejected'
check "due stored" '[ "$(sql "SELECT due_at FROM interactions WHERE type = \"task\"")" = 2026-06-02T09:00:00Z ]'

printf 'contact,at,subject\ncdnow1@example.com,yesterday 9:00,bad\n' > iso.csv
run "without --date-format the reason says what is expected" 65 'crm-log import iso.csv'
err_has 'iso.csv:2: column "at": invalid date "yesterday 9:00" (expected ISO 8601 such as 2026-03-29T15:00, or give --date-format): row rejected'

# ---- local time across a DST change ------------------------------------------

fresh
crm-contact add --email ams@example.nl > /dev/null
printf 'contact,at,type,subject\nams@example.nl,28.03.2026 15:00,call,before\nams@example.nl,30.03.2026 15:00,call,after\n' > ams.csv
run "Amsterdam: 15:00 local before and after summer time starts" 0 \
	"TZ=Europe/Amsterdam crm-log import --date-format '%d.%m.%Y %H:%M' ams.csv"
check "stored as 14:00Z and 13:00Z" \
	'[ "$(sql "SELECT at FROM interactions ORDER BY at")" = "2026-03-28T14:00:00Z
2026-03-30T13:00:00Z" ]'
run "timeline in Amsterdam shows them with +01:00 and +02:00" 0 \
	'TZ=Europe/Amsterdam crm-log timeline ams@example.nl --format csv'
out_has "2026-03-30T15:00:00+02:00,interaction,2,phone,,call,after"
out_has "2026-03-28T15:00:00+01:00,interaction,1,phone,,call,before"
run "and in UTC exactly as stored" 0 'TZ=UTC crm-log timeline ams@example.nl --format csv'
out_has "2026-03-30T13:00:00Z,interaction,2"
out_has "2026-03-28T14:00:00Z,interaction,1"
run "crm-log add: an ISO time without offset is local too" 0 \
	'TZ=Europe/Amsterdam crm-log add ams@example.nl --type call --at 2026-03-29T15:00 --subject sunday'
check "15:00 on the day of the change is 13:00Z" \
	'[ "$(sql "SELECT at FROM interactions WHERE subject = \"sunday\"")" = 2026-03-29T13:00:00Z ]'
run "a time in the spring gap moves forward by the gap" 0 \
	'TZ=Europe/Amsterdam crm-log add ams@example.nl --type call --at "2026-03-29 02:30" --subject gap'
check "02:30 is read as 03:30+02:00" \
	'[ "$(sql "SELECT at FROM interactions WHERE subject = \"gap\"")" = 2026-03-29T01:30:00Z ]'
run "a time that happens twice is the first (summer time)" 0 \
	'TZ=Europe/Amsterdam crm-log add ams@example.nl --type call --at 2026-10-25T02:30 --subject twice'
check "02:30+02:00" \
	'[ "$(sql "SELECT at FROM interactions WHERE subject = \"twice\"")" = 2026-10-25T00:30:00Z ]'
run "New York: the same instant shown at its offset" 0 \
	'TZ=America/New_York crm-log list --format csv --contact ams@example.nl'
out_has "2026-10-24T20:30:00-04:00"
out_has "2026-03-28T10:00:00-04:00"

run "an export in Amsterdam re-imports to the same stored times" 0 \
	'TZ=Europe/Amsterdam crm-log list --format csv --contact ams@example.nl > back.csv &&
	 CRM_DB="$(store_at again)" crm-contact add --email ams@example.nl > /dev/null &&
	 CRM_DB="$(store_at again)" TZ=America/New_York crm-log import --map id=- --map contact=- back.csv'
check "every at the same" \
	'[ "$(sql "SELECT at FROM interactions ORDER BY at")" = "$(sql_in "$(store_at again)" "SELECT at FROM interactions ORDER BY at")" ]'

fresh
run "crm-contact show prints created_at in local time" 0 \
	'CRM_NOW=2026-07-01T10:00:00Z crm-contact add --email show@example.nl > /dev/null &&
	 TZ=Europe/Amsterdam crm-contact show show@example.nl --format csv'
out_has ",2026-07-01T12:00:00+02:00,2026-07-01T12:00:00+02:00,"
run "history too" 0 'TZ=Europe/Amsterdam crm-contact history show@example.nl --format csv'
out_has "2026-07-01T12:00:00+02:00"
run "under UTC the store's text, unchanged" 0 'TZ=UTC crm-contact show show@example.nl --format csv'
out_has ",2026-07-01T10:00:00Z,2026-07-01T10:00:00Z,"
run "a contact export made in Amsterdam imports in New York to the same created_at" 0 \
	'TZ=Europe/Amsterdam crm-contact export --format csv > contacts-ams.csv &&
	 CRM_DB="$(store_at ny)" TZ=America/New_York crm-contact import contacts-ams.csv'
check "created_at 10:00Z in both" \
	'[ "$(sql_in "$(store_at ny)" "SELECT created_at FROM contacts")" = 2026-07-01T10:00:00Z ] &&
	 grep -q "2026-07-01T12:00:00+02:00" contacts-ams.csv'

# ---- the filter language's day on a day of 23 hours ---------------------------

fresh
printf 'email,created_at\nin1@x.org,2026-03-28T23:30:00Z\nin2@x.org,2026-03-29T21:30:00Z\nout1@x.org,2026-03-28T22:30:00Z\nout2@x.org,2026-03-29T22:30:00Z\n' > days.csv
run "contacts made around 2026-03-29 in Amsterdam" 0 'crm-contact import days.csv'
run "created_at = 2026-03-29 is the local day, 23 hours long" 0 \
	"TZ=Europe/Amsterdam crm-segment run 'created_at = 2026-03-29' --format csv | cut -d, -f3"
out_is "email
in1@x.org
in2@x.org"
run "created_at > 2026-03-29 starts at the next local midnight" 0 \
	"TZ=Europe/Amsterdam crm-segment count 'created_at > 2026-03-29'"
out_is "1"

finish
