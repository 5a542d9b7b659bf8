#!/bin/sh
# tests/e2e/import_keys.sh - contacts known by a key other than email, and
# purchase data as line items: crm-contact import --key, crm-log import
# --contact-key/--create-contacts, --map COL=order (lines grouped into one
# purchase per order, refunds, re-import, orders split over blocks),
# unknown columns kept as attr.NAME (--fields, the filter language), a
# numeric uid never taken for an id, merge and erase of the new tables.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z CRM_CURRENCY=GBP

# ---- Online Retail, as it comes (ISO dates) ---------------------------------

# The header and rows of the UCI Online Retail file; invoice 536365's
# lines are not all adjacent, C536379 is a cancellation, 536414 has no
# CustomerID, 536370 has a price with three decimals.
cat > "$T/retail.csv" <<'EOF'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26,2.55,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26,3.39,17850,United Kingdom
536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28,1.85,17850,United Kingdom
536366,22632,HAND WARMER RED POLKA DOT,6,2010-12-01 08:28,1.85,17850,United Kingdom
536370,22728,ALARM CLOCK BAKELIKE PINK,24,2010-12-01 08:45,3.75,12583,France
536370,POST,POSTAGE,3,2010-12-01 08:45,18.005,12583,France
C536379,D,Discount,-1,2010-12-01 09:41,27.50,14527,United Kingdom
536414,22139,,56,2010-12-01 11:52,0.00,,United Kingdom
536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,2010-12-01 08:26,2.75,17850,United Kingdom
536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,2010-12-01 08:26,2.75,17850,United Kingdom
EOF
RETAIL="--contact-key field.customer_id --create-contacts --map InvoiceNo=order --map CustomerID=contact"

run "Online Retail imports with no preprocessing; the blank CustomerID is rejected" 65 \
	"crm-log import $RETAIL --rejects rej.csv retail.csv"
err_is "crm-log: import: retail.csv: 10 read, 4 added, 5 updated, 1 rejected (see rej.csv); kept as attributes: Country (attr.country)"
check "the rejected row with its reason and line" \
	'[ "$(tail -n +2 rej.csv)" = "9,\"no contact: column \"\"CustomerID\"\" is empty\",536414,22139,,56,2010-12-01 11:52,0.00,,United Kingdom" ]'
check "one purchase per invoice with a customer, one contact per customer" \
	'[ "$(sql "SELECT count(*) FROM interactions; SELECT count(*) FROM contacts; SELECT count(*) FROM interaction_lines")" = "4
3
9" ]'

# The amounts computed apart from crm, in exact decimals, from the same
# rows: the sum of quantity x unit price per invoice, rounded once.
/usr/bin/python3 - "$T/retail.csv" > "$T/want_amounts" <<'EOF'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
tot = {}
for r in csv.DictReader(open(sys.argv[1])):
    if r["CustomerID"]:
        tot[r["InvoiceNo"]] = tot.get(r["InvoiceNo"], Decimal(0)) + int(r["Quantity"]) * Decimal(r["UnitPrice"])
for k in sorted(tot):
    a = tot[k].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    print("%s|%s|%d|GBP" % (k, "refund" if a < 0 else "purchase", int(a * 100)))
EOF
check "each amount is the invoice's sum of quantity x unit price (python, Decimal)" \
	'[ "$(sql "SELECT ext_key, type, amount, currency FROM interactions ORDER BY ext_key")" = "$(cat want_amounts)" ]'
check "the reference is not empty" '[ "$(wc -l < want_amounts)" = 4 ]'
check "the cancellation is a refund of 27.50" \
	'[ "$(sql "SELECT type, amount FROM interactions WHERE ext_key = \"C536379\"")" = "refund|-2750" ]'
check "an invoice keeps its lines in file order, the repeated line too" \
	'[ "$(sql "SELECT l.line, l.product_code, l.quantity, l.unit_price, l.total FROM interaction_lines l JOIN interactions i ON i.id = l.interaction_id WHERE i.ext_key = \"536365\" ORDER BY l.line")" = "1|85123A|6|2.55|153000
2|71053|6|3.39|203400
3|84406B|8|2.75|220000
4|84406B|8|2.75|220000" ]'
check "the purchase's time is its invoice's" \
	'[ "$(sql "SELECT at FROM interactions WHERE ext_key = \"536370\"")" = 2010-12-01T08:45:00Z ]'
check "contacts made from CustomerID have it as customer_id, and nothing else" \
	'[ "$(sql "SELECT CASE WHEN c.email IS NULL THEN 1 ELSE 0 END, f.value FROM contacts c JOIN contact_fields f ON f.contact_id = c.id AND f.name = \"customer_id\" ORDER BY f.value")" = "1|12583
1|14527
1|17850" ]'
# a unique index on SQLite; on PostgreSQL a plain one, the directory
# crm_keys keeping the values unique (store/sql/pg/0010)
if [ -n "${CRM_TEST_PG:-}" ]; then
	check "customer_id is a key now, its values in the directory" \
		'store_indexes | grep "^contact_fields_key_customer_id|" | grep -q "CREATE INDEX" &&
		[ "$(sql "SELECT name FROM contact_key_fields")" = customer_id ] &&
		[ "$(sql "SELECT count(*) FROM crm_keys WHERE kind = \"field.customer_id\"")" = 3 ]'
else
	check "customer_id is a unique key now" \
		'store_indexes | grep "^contact_fields_key_customer_id|" | grep -q "CREATE UNIQUE INDEX" &&
		[ "$(sql "SELECT name FROM contact_key_fields")" = customer_id ]'
fi

sql "SELECT i.ext_key, i.type, i.amount, i.at, i.contact_id, l.line, l.product_code, l.description, l.total FROM interactions i JOIN interaction_lines l ON l.interaction_id = i.id ORDER BY 1, 6" > "$T/first.dump"
run "a re-import adds nothing" 65 "crm-log import $RETAIL retail.csv"
err_has "retail.csv: 10 read, 0 added, 0 updated, 9 unchanged, 1 rejected"
check "the same purchases and lines, counted with sqlite3" \
	'[ "$(sql "SELECT count(*) FROM interactions; SELECT count(*) FROM interaction_lines; SELECT count(*) FROM contacts")" = "4
9
3" ] && sql "SELECT i.ext_key, i.type, i.amount, i.at, i.contact_id, l.line, l.product_code, l.description, l.total FROM interactions i JOIN interaction_lines l ON l.interaction_id = i.id ORDER BY 1, 6" | cmp -s - first.dump'

# An invoice whose rows are spread over blocks of the import: the same
# result, row for row, as one block.
run "blocks of two rows: invoice 536365 spans four blocks" 65 \
	"CRM_DB=\"\$(store_at blocks)\" crm-log import $RETAIL --block-size 2 retail.csv"
err_has "retail.csv: 10 read, 4 added, 5 updated, 1 rejected"
check "the same amounts and lines as one block" \
	'sql_in "$(store_at blocks)" "SELECT i.ext_key, i.type, i.amount, i.at, 0, l.line, l.product_code, l.description, l.total FROM interactions i JOIN interaction_lines l ON l.interaction_id = i.id ORDER BY 1, 6" > blocks.dump &&
	 sed "s/^\([^|]*|[^|]*|[^|]*|[^|]*\)|[0-9]*|/\1|0|/" first.dump | cmp -s - blocks.dump'
run "blocks of one row, again: nothing added" 65 \
	"CRM_DB=\"\$(store_at blocks)\" crm-log import $RETAIL --block-size 1 retail.csv"
err_has "retail.csv: 10 read, 0 added, 0 updated, 9 unchanged, 1 rejected"

# A later export with one more line for an invoice, and a new one.
cat > "$T/retail2.csv" <<'EOF'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26,2.55,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26,3.39,17850,United Kingdom
536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,2010-12-01 08:26,2.75,17850,United Kingdom
536365,84406B,CREAM CUPID HEARTS COAT HANGER,8,2010-12-01 08:26,2.75,17850,United Kingdom
536365,22752,SET 7 BABUSHKA NESTING BOXES,2,2010-12-01 08:26,7.65,17850,United Kingdom
536500,22752,SET 7 BABUSHKA NESTING BOXES,1,2010-12-02 10:00,7.65,17850,United Kingdom
EOF
run "the line an invoice gained is added, the rest is unchanged" 0 "crm-log -v import $RETAIL retail2.csv"
err_has "retail2.csv: 6 read, 1 added, 1 updated, 4 unchanged, 0 rejected"
check "its amount is the sum of its five lines" \
	'[ "$(sql "SELECT amount FROM interactions WHERE ext_key = \"536365\"")" = $((1530 + 2034 + 2200 + 2200 + 1530)) ]'

# ---- attributes --------------------------------------------------------------

run "crm-log list --fields shows attr.country" 0 \
	'crm-log list --fields key,amount,attr.country,attr.none --contact 3'
out_is "key	amount	attr.country	attr.none
C536379	-27.50	United Kingdom	"
run "purchases --fields, too" 0 'crm-log purchases --fields key,attr.country --since 2010-12-01T08:40:00Z --until 2010-12-01T09:00:00Z'
out_is "key	attr.country
536370	France"
run "--attr keeps the interactions with that attribute value, in any case" 0 \
	'crm-log purchases --attr country=FRANCE --fields key,amount'
out_is "key	amount
536370	144.02"
run "--attr twice: both must hold" 1 'crm-log purchases --attr country=France --attr country=Norway'
run "--attr wants NAME=VALUE" 64 'crm-log list --attr country'
err_has "--attr wants NAME=VALUE"
run "an unknown --fields name" 64 'crm-log list --fields key,colour'
err_has "--fields: unknown field \"colour\""
run "the filter language knows attr.NAME (the latest interaction's)" 0 \
	'crm-segment count "attr.country = \"france\""'
out_is 1
run "crm-segment --fields shows it per contact" 0 \
	'crm-segment run "attr.country = \"france\"" --fields field.customer_id,attr.country'
out_has "	field.customer_id	attr.country"
out_has "	12583	France"
out_lines 2
run "and says which names are not attributes" 64 'crm-segment count "attr.Country = 1"'
err_has "invalid attribute name \"Country\""
run "--map COL=attr.NAME renames an attribute" 0 \
	'printf "email,when,Land\nann@example.org,2025-01-01,NL\n" | crm-log import --create-contacts --map Land=attr.land -'
check "kept as attr.land" \
	'[ "$(sql "SELECT a.value FROM interaction_attrs a JOIN interactions i ON i.id = a.interaction_id JOIN contacts c ON c.id = i.contact_id WHERE c.email = \"ann@example.org\" AND a.name = \"land\"")" = NL ]'

# ---- bad input of an order import --------------------------------------------

run "a line field without an order column" 64 \
	'printf "email,Qty\nann@example.org,2\n" | crm-log import --map Qty=quantity -'
err_has "--map: quantity is a field of an order's lines: map a column to order too"
run "an order needs a unit price column" 65 \
	'printf "Invoice,email,Quantity\n1,ann@example.org,2\n" | crm-log import --map Invoice=order -'
err_has "an order's lines need a quantity and a unit price column"
run "an order's amount comes from its lines" 65 \
	'printf "Invoice,email,Quantity,UnitPrice,amount\n1,ann@example.org,2,1.00,2.00\n" | crm-log import --map Invoice=order -'
err_has "with an order column the amount comes from the lines"
run "bad quantity and price are rejected rows" 65 \
	'printf "Invoice,email,Quantity,UnitPrice\nx1,ann@example.org,2.5,1.00\nx1,ann@example.org,2,1.00001\n" | crm-log import --map Invoice=order -'
err_has "<stdin>:2: invalid quantity \"2.5\": not a whole number: row rejected"
err_has "<stdin>:3: invalid unit price \"1.00001\": too many decimals (at most 4): row rejected"
run "an order number that is another contact's" 65 \
	'printf "Invoice,email,Quantity,UnitPrice\n536370,ann@example.org,1,1.00\n" | crm-log import --map Invoice=order -'
err_has "key \"536370\" belongs to interaction"
run "--currency for orders that give none" 0 \
	'printf "Invoice,email,Quantity,UnitPrice\nu1,ann@example.org,3,0.10\n" | crm-log import --currency usd --map Invoice=order -'
check "stored in USD" '[ "$(sql "SELECT amount, currency FROM interactions WHERE ext_key = \"u1\"")" = "30|USD" ]'
run "an order's lines share its currency" 65 \
	'printf "Invoice,email,Quantity,UnitPrice\nu1,ann@example.org,1,0.10\nu1,ann@example.org,2,0.10\n" | crm-log import --currency EUR --map Invoice=order -'
err_has "<stdin>:3: order \"u1\" is in USD, this line in EUR: row rejected"
run "--currency is a currency code" 64 "crm-log import --currency euro retail.csv"
run "--block-size is a positive number" 64 "crm-log import --block-size 0 retail.csv"
run "--contact-key names a key" 64 "crm-log import --contact-key shoe retail.csv"
err_has "invalid key \"shoe\" (use id, email, uid, phone or field.NAME)"
run "an unknown key without --create-contacts rejects the row" 65 \
	'printf "cust,when\n99999,2025-01-01\n" | crm-log import --contact-key field.customer_id --map cust=contact -'
err_has "no contact with customer_id \"99999\": row rejected"

# ---- CDNOW: customers known only by a number ----------------------------------

CRM_DB=$(store_at cdnow)
cat > "$T/cdnow.csv" <<'EOF'
customer_id,date,cds,amount
00001,1997-01-01,1,11.77
00002,1997-01-12,1,12.00
00002,1997-01-12,5,77.00
00003,1997-01-02,2,20.76
EOF
run "CDNOW-like rows: contacts made from customer ids, no email" 0 \
	'crm-log import --contact-key field.customer_id --create-contacts --map customer_id=contact cdnow.csv'
check "three contacts, four purchases, keyed by the id as written" \
	'[ "$(sql "SELECT f.value, count(i.id), sum(i.amount) FROM contact_fields f JOIN interactions i ON i.contact_id = f.contact_id WHERE f.name = \"customer_id\" GROUP BY f.value ORDER BY 1")" = "00001|1|1177
00002|2|8900
00003|1|2076" ]'
check "cds is kept as attr.cds of each purchase" \
	'[ "$(sql "SELECT group_concat(v, \" \") FROM (SELECT f.value || \":\" || a.value AS v FROM interaction_attrs a JOIN interactions i ON i.id = a.interaction_id JOIN contact_fields f ON f.contact_id = i.contact_id AND f.name = \"customer_id\" WHERE a.name = \"cds\" ORDER BY 1) AS t")" = "00001:1 00002:1 00002:5 00003:2" ]'

# ---- crm-contact import --key --------------------------------------------------

cat > "$T/cust.csv" <<'EOF'
customer_id,first_name,city
00002,Bea,Leeds
00009,Cy,York
EOF
run "--key field.customer_id: an upsert on the customer number" 0 \
	'crm-contact -v import --key field.customer_id cust.csv'
err_is "crm-contact: import: cust.csv: 2 read, 1 added, 1 updated, 0 rejected"
check "00002 is the contact crm-log made, now with a name" \
	'[ "$(sql "SELECT c.first_name, c.city, count(i.id) FROM contacts c JOIN contact_fields f ON f.contact_id = c.id AND f.name = \"customer_id\" AND f.value = \"00002\" LEFT JOIN interactions i ON i.contact_id = c.id GROUP BY c.id, c.first_name, c.city")" = "Bea|Leeds|2" ]'
check "four contacts in all" '[ "$(sql "SELECT count(*) FROM contacts")" = 4 ]'
run "again: nothing changes" 0 'crm-contact -v import --key field.customer_id cust.csv'
err_is "crm-contact: import: cust.csv: 2 read, 0 added, 0 updated, 2 unchanged, 0 rejected"
run "a row without the key is rejected" 65 \
	'printf "customer_id,first_name\n,Dee\n" | crm-contact import --key field.customer_id -'
err_has "<stdin>:2: no field.customer_id (the --key): row rejected"
run "no column for the key" 65 'printf "first_name\nDee\n" | crm-contact import --key field.acct_no -'
err_is "crm-contact: import: no column for the key field.acct_no (use --map COLUMN=acct_no)"
run "edit cannot give a key's value to a second contact" 65 'crm-contact edit 1 customer_id=00009'
err_is "crm-contact: edit: customer_id \"00009\" belongs to another contact (customer_id is a key)"
run "--key id is refused" 64 'crm-contact import --key id cust.csv'
err_has "--key: ids are the store's, not a key of a file"
run "--key uid" 0 'printf "uid,first_name\nshop-7,Eve\nshop-7,Eva\n" | crm-contact -v import --key uid -'
err_is "crm-contact: import: <stdin>: 2 read, 1 added, 1 updated, 0 rejected"

CRM_DB=$(store_at dup)
crm-contact add --email a@example.org acct_no=A1 > /dev/null
crm-contact add --email b@example.org acct_no=A1 > /dev/null
run "a field two contacts share cannot become a key" 65 \
	'printf "acct_no,city\nA1,Ely\n" | crm-contact import --key field.acct_no -'
err_is "crm-contact: import: acct_no cannot be a key: contacts 1 and 2 both have \"A1\""
check "nothing was written" '[ "$(sql "SELECT count(*) FROM contacts WHERE city IS NOT NULL")
$(store_indexes | grep -c "^contact_fields_key_")" = "0
0" ]'
run "nor can crm-log use it" 65 \
	'printf "acct_no,when\nA1,2025-01-01\n" | crm-log import --contact-key field.acct_no --map acct_no=contact -'
err_has "acct_no cannot be a key: contacts 1 and 2 both have \"A1\""

# ---- a numeric uid is not an id -------------------------------------------------

CRM_DB=$(store_at uid)
crm-contact add --uid 42 --email uid42@example.org > /dev/null
set_last_id contacts 41
crm-contact add --email id42@example.org > /dev/null
check "contact 1 has uid 42, contact 42 another uid" \
	'[ "$(sql "SELECT id, CASE WHEN uid = \"42\" THEN 1 ELSE 0 END FROM contacts ORDER BY id")" = "1|1
42|0" ]'
run "a uid column of crm-log import is looked up as uids" 0 \
	'printf "uid,when,subject\n42,2025-01-01,by uid\n" | crm-log import -'
check "the interaction is contact 1's" '[ "$(sql "SELECT contact_id FROM interactions WHERE subject = \"by uid\"")" = 1 ]'
run "--contact-key uid for any column" 0 \
	'printf "contact,when,subject\n42,2025-01-02,by key\n" | crm-log import --contact-key uid -'
check "contact 1's too" '[ "$(sql "SELECT contact_id FROM interactions WHERE subject = \"by key\"")" = 1 ]'
run "a contact stream with a uid column" 0 'printf "uid\n42\n" | crm-contact tag add - streamed'
check "tags contact 1" '[ "$(sql "SELECT contact_id FROM contact_tags WHERE tag = \"streamed\"")" = 1 ]'
run "on the command line, 42 is both: refused, not guessed" 65 'crm-contact show 42'
err_is "crm-contact: show: \"42\" is both contact 42's id and contact 1's uid: name the contact by email, or in a file by one key"
run "nor guessed in a contact column that may be id, uid or email" 65 \
	'printf "contact,when,subject\n42,2025-01-04,guess\n" | crm-log import -'
err_has "<stdin>:2: \"42\" is both contact 42's id and contact 1's uid"
run "an id that is no one's uid is still an id" 0 'crm-contact show 1 --format csv'
out_has "uid42@example.org"
run "a contact_id column is ids" 0 \
	'printf "contact_id,when,subject\n42,2025-01-03,by id\n" | crm-log import -'
check "contact 42's" '[ "$(sql "SELECT contact_id FROM interactions WHERE subject = \"by id\"")" = 42 ]'

# ---- merge and erase -------------------------------------------------------------

CRM_DB=$(store_at merge)
printf 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n9001,A1,RED MUG,2,2011-01-01 10:00,1.50,555,Norway\n' > "$T/m.csv"
crm-log import $RETAIL m.csv
crm-contact add --email keep@example.org > /dev/null
run "merge moves a key field to the kept contact" 0 'crm-contact merge 2 1'
check "contact 2 has customer_id 555 and the purchase" \
	'[ "$(sql "SELECT f.contact_id, f.value FROM contact_fields f WHERE f.name = \"customer_id\"; SELECT contact_id FROM interactions")" = "2|555
2" ]'
run "the subject's export has the attributes and lines of its purchases" 0 'crm-contact export --subject 2'
out_has '"interaction_attrs": ['
# merged from contact 1: the lines and attributes name contact 2 now
out_has '{"interaction_id":1, "name":"country", "value":"Norway", "contact_id":2}'
out_has '"product_code":"A1", "description":"RED MUG", "quantity":2, "unit_price":"1.50", "total":30000, "contact_id":2}'
run "erase" 0 'crm-contact erase --force 2'
check "attributes are gone, the line keeps product and price but not its text" \
	'[ "$(sql "SELECT count(*) FROM interaction_attrs; SELECT product_code, CASE WHEN description IS NULL THEN 1 ELSE 0 END, quantity, unit_price FROM interaction_lines")" = "0
A1|1|2|1.50" ]'


# ---- the Online Retail file as published: its own date format --------------

cat > "$T/retail_us.csv" <<'EOF2'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/10 8:26,2.55,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,6,12/1/10 8:26,3.39,17850,United Kingdom
C536379,D,Discount,-1,12/1/10 9:41,27.50,14527,United Kingdom
536414,22139,,56,12/1/10 11:52,0.00,,United Kingdom
EOF2
run "--date-format '%m/%d/%y %H:%M': the file as published, no preprocessing" 65 \
	"CRM_DB=\"\$(store_at us)\" crm-log import $RETAIL --date-format '%m/%d/%y %H:%M' retail_us.csv"
err_has "retail_us.csv: 4 read, 2 added, 1 updated, 1 rejected"
check "the invoice at its time, with its amount" \
	'[ "$(sql_in "$(store_at us)" "SELECT ext_key, at, amount FROM interactions ORDER BY ext_key")" = "536365|2010-12-01T08:26:00Z|3564
C536379|2010-12-01T09:41:00Z|-2750" ]'

finish
