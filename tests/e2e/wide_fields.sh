# tests/e2e/wide_fields.sh - a store with more custom fields than SQLite
# takes columns or bound values in one statement: 10,000 from one wide
# import, 300 more from contacts that have one each. export, show and list
# handle every one of them, and an export imports back into an empty store
# as the same contacts with the same fields.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-03-01T00:00:00Z

# wide.csv: email, first_name and f00001..f10000 for three contacts, the
# third without f00002 (an empty cell is no field).
awk 'BEGIN {
	n = 10000
	h = "email,first_name"
	for (i = 1; i <= n; i++)
		h = h sprintf(",f%05d", i)
	print h
	for (r = 1; r <= 3; r++) {
		l = "w" r "@example.org,Wide" r
		for (i = 1; i <= n; i++)
			l = l "," (r == 3 && i == 2 ? "" : "v" r "_" i)
		print l
	}
}' > wide.csv
# one.csv: 300 contacts with a field of their own each, g001..g300
awk 'BEGIN {
	h = "email"
	for (i = 1; i <= 300; i++)
		h = h sprintf(",g%03d", i)
	print h
	for (r = 1; r <= 300; r++) {
		l = "o" r "@example.org"
		for (i = 1; i <= 300; i++)
			l = l "," (i == r ? "x" r : "")
		print l
	}
}' > one.csv

run "a wide import: 3 contacts, 10,000 custom fields" 0 'crm-contact import wide.csv'
check "every field stored" \
	'[ "$(sql "SELECT count(DISTINCT name) || \" \" || count(*) FROM contact_fields")" = "10000 29999" ]'
run "300 contacts with one field each" 0 'crm-contact import one.csv'
check "10,300 fields in all" '[ "$(sql "SELECT count(DISTINCT name) FROM contact_fields")" = 10300 ]'

run "export: every field a column" 0 'crm-contact export --format csv > a.csv'
err_empty
check "the header: standard fields, tags, emails, phones and 10,300 custom fields" \
	'[ "$(head -1 a.csv | tr "," "\n" | wc -l)" = $((24 + 3 + 10300)) ] &&
	 head -1 a.csv | grep -q ",phones,f00001,f00002," &&
	 head -1 a.csv | grep -q ",f10000,g001,g002," && head -1 a.csv | grep -q ",g300\$"'
check "a row per contact, each value in its column" \
	'[ "$(wc -l < a.csv)" = 304 ] &&
	 awk -F, "NR == 1 { for (i = 1; i <= NF; i++) col[\$i] = i; next }
		  \$col[\"email\"] == \"w1@example.org\" && \$col[\"f00001\"] == \"v1_1\" &&
		  \$col[\"f10000\"] == \"v1_10000\" && \$col[\"g001\"] == \"\" { a++ }
		  \$col[\"email\"] == \"w3@example.org\" && \$col[\"f00002\"] == \"\" &&
		  \$col[\"f00003\"] == \"v3_3\" { b++ }
		  \$col[\"email\"] == \"o7@example.org\" && \$col[\"g007\"] == \"x7\" &&
		  \$col[\"f00001\"] == \"\" { c++ }
		  END { exit !(a == 1 && b == 1 && c == 1) }" a.csv'

run "the export imports into an empty store" 0 'CRM_DB=$(store_at b) crm-contact import -v a.csv'
err_has "303 added"
run "round trip: the same export" 0 'CRM_DB=$(store_at b) crm-contact export --format csv > b.csv && cmp a.csv b.csv'
check "round trip: the same fields, value for value" \
	'[ "$(sql_in "$(store_at b)" "SELECT count(*) FROM contact_fields")" = 30299 ] &&
	 q="SELECT c.email, f.name, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id ORDER BY 1, 2" &&
	 [ "$(sql "$q" | md5sum)" = "$(sql_in "$(store_at b)" "$q" | md5sum)" ]'

run "show a contact with 10,000 fields: every one a line" 0 \
	'crm-contact --format table show w1@example.org > show.txt &&
	 awk "\$1 ~ /^f[0-9]/ { n++ } \$1 == \"f00001\" && \$2 == \"v1_1\" { a++ }
	      \$1 == \"f10000\" && \$2 == \"v1_10000\" { b++ }
	      END { exit !(n == 10000 && a == 1 && b == 1) }" show.txt'
err_empty
run "show --format csv: a column for each of its 9,999 fields (f00002 is empty)" 0 \
	'crm-contact --format csv show w3@example.org > show.csv &&
	 [ "$(head -1 show.csv | tr "," "\n" | grep -c "^f[0-9]")" = 9999 ] &&
	 ! head -1 show.csv | grep -q ",f00002," && [ "$(wc -l < show.csv)" = 2 ]'
run "show a contact with one field in that store" 0 'crm-contact --format jsonl show o5@example.org'
out_has '"g005":"x5"'
out_lacks 'f00001'

run "list: any of them by name" 0 'crm-contact list --fields email,f05000,g150 --sort -email --limit 2'
out_is "email	f05000	g150
w3@example.org	v3_5000	
w2@example.org	v2_5000	"
run "export --fields of a tag's contacts: the rows of the chosen ones" 0 \
	'crm-contact tag add o150@example.org t >/dev/null && crm-contact export --tag t --fields email,g150,f00001'
out_is "email	g150	f00001
o150@example.org	x150	"
run "export as vCard" 0 'crm-contact export --format vcard > all.vcf'
check "  a card each" '[ "$(grep -c "^BEGIN:VCARD" all.vcf)" = 303 ]'

finish
