# tests/e2e/contact_vcard.sh - vCard in and out of crm-contact: cards as
# address books write them, and the round trip CSV -> store -> vCard ->
# store that must give the same contacts.
. "$(dirname "$0")/lib.sh"

export CRM_NOW=2026-01-01T00:00:00Z
FIELDS=uid,first_name,last_name,email,emails,phone,phones,company,title,address,city,region,postal_code,country,birthdate,gender,language,tags

run "import the sample spreadsheet" 65 \
	"crm-contact import -v '$TOP/share/contacts.csv' --rejects rej.csv"
SAMPLE_N=$(sql "SELECT count(*) FROM contacts")
err_has " $SAMPLE_N added, "
err_has ", 7 rejected"
check "the sample's good rows are stored (all but 7 of 300, less repeated emails)" \
	'[ "$SAMPLE_N" -ge 280 ] && [ "$SAMPLE_N" -le 293 ]'
crm-contact email add 1 second@example.org --type work >/dev/null
crm-contact phone add 1 '+31 6 1234 5678' --type mobile >/dev/null

run "export vCard 4.0" 0 'crm-contact export --format vcard > all.vcf'
check "one card per contact" \
	'[ "$(grep -c "^BEGIN:VCARD" all.vcf)" = "$(sql "SELECT count(*) FROM contacts")" ]'
check "CRLF line ends" '[ "$(grep -c "$(printf "\r")$" all.vcf)" = "$(wc -l < all.vcf)" ]'
check "no line over 75 octets (plus its CR)" 'LC_ALL=C awk "length(\$0) > 76 { bad = 1 } END { exit bad }" all.vcf'
run "the first card" 0 'sed -n "1,/^END:VCARD/p" all.vcf | tr -d "\r"'
out_has "VERSION:4.0"
out_has "EMAIL;PREF=1:"
out_has "EMAIL;TYPE=work:second@example.org"
out_has "TEL;TYPE=cell:+31 6 1234 5678"
out_has "ORG:Smith\\, Sons & Co"

run "round trip 4.0: import the cards into an empty store" 0 \
	'CRM_DB=$(store_at b) crm-contact import all.vcf'
check "every card became a contact" '[ "$(sql_in "$(store_at b)" "SELECT count(*) FROM contacts")" -eq "$SAMPLE_N" ]'
run "every field a vCard holds came back" 0 \
	"crm-contact export --format csv --fields $FIELDS > a.csv && CRM_DB=\"\$(store_at b)\" crm-contact export --format csv --fields $FIELDS > b.csv && cmp a.csv b.csv"

run "export vCard 3.0" 0 'crm-contact export --format vcard --vcard-version 3.0 > all3.vcf'
check "3.0 marks the preferred email with TYPE=pref" 'grep -q "^EMAIL;TYPE=pref:" all3.vcf'
run "round trip 3.0" 0 \
	"CRM_DB=\"\$(store_at c)\" crm-contact import all3.vcf && CRM_DB=\"\$(store_at c)\" crm-contact export --format csv --fields $FIELDS > c.csv && cmp a.csv c.csv"
check "the exports compared hold every contact" \
	'[ "$(sql_in "$(store_at c)" "SELECT count(*) FROM contacts")" -eq "$SAMPLE_N" ] && [ "$(grep -cE "^[0-9a-f]{8}-[0-9a-f]{4}-" a.csv)" -eq "$SAMPLE_N" ]'

run "importing the same cards again changes nothing" 0 'CRM_DB=$(store_at b) crm-contact import -v all.vcf'
err_has "0 added, 0 updated"

# An address book's own export, as Apple Contacts writes it: folded lines,
# grouped properties, TYPE lists, escaped commas, a non-ASCII name.
printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:3.0' 'PRODID:-//Apple Inc.//macOS 14.0//EN' \
	'N:Yamada;Taro;;;' 'FN:Taro Yamada' 'ORG:Example\, Inc.;' \
	'item1.EMAIL;type=INTERNET;type=WORK;type=pref:taro@example.jp' \
	'item1.X-ABLabel:_$!<Work>!$_' 'EMAIL;type=INTERNET;type=HOME:taro.home@example.jp' \
	'TEL;type=CELL;type=VOICE;type=pref:+81 90 1234 5678' \
	'ADR;type=WORK;type=pref:;;1-2-3 Chiyoda;Tokyo;;100-0001;Japan' \
	'NOTE:Met at the fair\, booth 12.\nWants a demo.' \
	'CATEGORIES:Trade Show,Partners' 'BDAY:1979-04-01' \
	'URL:https://example.jp/very/long/path/that/is/folded/over/two/lines/becau' \
	' se/it/is/long' 'END:VCARD' > apple.vcf
run "an Apple Contacts card" 0 'CRM_DB=$(store_at d) crm-contact import apple.vcf'
run "its fields" 0 'CRM_DB=$(store_at d) crm-contact --format jsonl show taro@example.jp'
out_has '"first_name":"Taro","last_name":"Yamada"'
out_has '"company":"Example, Inc."'
out_has '"phone":"+81 90 1234 5678"'
out_has '"city":"Tokyo"'
out_has '"birthdate":"1979-04-01"'
out_has '"tags":"Partners;Trade-Show"'
out_has '"emails":"taro.home@example.jp (home)"'
out_has '"note":"Met at the fair, booth 12.\nWants a demo."'
out_has '"url":"https://example.jp/very/long/path/that/is/folded/over/two/lines/because/it/is/long"'

# Outlook 2.1 with quoted-printable ISO-8859-1.
printf '%s\r\n' 'BEGIN:VCARD' 'VERSION:2.1' 'N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen' \
	'EMAIL;PREF;INTERNET:juergen@example.de' 'TEL;WORK;VOICE:+49 30 1234567' 'END:VCARD' > outlook.vcf
run "an Outlook 2.1 card with quoted-printable Latin-1" 0 'CRM_DB=$(store_at d) crm-contact import outlook.vcf'
run "its name in UTF-8" 0 'CRM_DB=$(store_at d) crm-contact --format csv show juergen@example.de --fields first_name 2>/dev/null || CRM_DB=$(store_at d) crm-contact list --where email=juergen@example.de --fields first_name,last_name --format csv --no-header'
out_has "Jürgen"

run "a broken card is rejected with its line, the good one imported" 65 \
	'printf "BEGIN:VCARD\nVERSION:4.0\nFN:Ok\nN:Ok;Anna;;;\nEMAIL:anna@example.org\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Bad\nEMAIL:bad@\nEND:VCARD\n" | CRM_DB=$(store_at e) crm-contact import --format vcard -'
err_has "<stdin>:7: invalid email \"bad@\": row rejected"
check "the good card is there" '[ "$(CRM_DB=$(store_at e) crm-contact list --fields email --no-header)" = "anna@example.org" ]'

run "export --vcard-version 5 is a usage error" 64 'crm-contact export --format vcard --vcard-version 5'
run "list --format vcard is a usage error" 64 'crm-contact list --format vcard'

finish
