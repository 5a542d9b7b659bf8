# tests/e2e/backends.sh - the same data on SQLite and on PostgreSQL gives
# the same answers, byte for byte, and PostgreSQL's own failures map to
# the toolkit's exit codes. Starts a throwaway PostgreSQL server of its own
# (scripts/pg-server); without one installed the suite says so and fails.
. "$(dirname "$0")/lib.sh"

unset CRM_TEST_PG
mkdir -p "$T/pg"
chmod 711 "$T" "$T/pg"
PGCONN=$(sh "$TOP/scripts/pg-server" start "$T/pg/s") || {
	echo "backends: no PostgreSQL server to test with" >&2
	run "a PostgreSQL server for the tests" 0 false
	finish
	exit 0
}
trap 'sh "$TOP/scripts/pg-server" stop "$T/pg/s" > /dev/null 2>&1; rm -rf "$T"' EXIT
psql "$PGCONN" -XqAt -c "CREATE ROLE tester LOGIN" -c "CREATE ROLE reader LOGIN" \
	-c "CREATE DATABASE crmboth OWNER tester" -c "CREATE DATABASE spare OWNER tester" > /dev/null
PG=$(printf '%s\n' "$PGCONN" | sed 's/dbname=[^ ]*/dbname=crmboth/; s/user=[^ ]*/user=tester/')
LITE="$T/both.db"
export CRM_NOW=2026-07-01T09:00:00Z

# on_both NAME COMMAND: COMMAND on the SQLite store and on the PostgreSQL
# one; a case that passes when both succeed with the same stdout.
on_both() {
	_end
	cur=$1
	cur_ok=1
	(CRM_DB="$LITE"; export CRM_DB; eval "$2") > "$T/lite.out" 2> "$T/lite.err"
	_a=$?
	(CRM_DB="$PG"; export CRM_DB; eval "$2") > "$T/pg.out" 2> "$T/pg.err"
	_b=$?
	[ "$_a" = 0 ] || _fail "SQLite: exit status $_a: $(head -c 300 "$T/lite.err")"
	[ "$_b" = 0 ] || _fail "PostgreSQL: exit status $_b: $(head -c 300 "$T/pg.err")"
	cmp -s "$T/lite.out" "$T/pg.out" ||
		_fail "the stores answer differently: $(diff "$T/lite.out" "$T/pg.out" | head -c 600)"
	[ -s "$T/lite.out" ] || [ "${3:-}" = empty ] || _fail "no output to compare"
}

# ---- the same schema in both --------------------------------------------------

run "the PostgreSQL migrations make the tables, columns, keys and indexes of SQLite's" 0 \
	'sh "$TOP/scripts/pg-schema-diff"'
out_lines 0

# ---- the same data in both ---------------------------------------------------

on_both "import the sample contacts" \
	'crm-contact import -q --rejects rej.csv "$TOP/share/contacts.csv" 2>&1; cat rej.csv' 
on_both "import Outlook's export (US dates)" 'crm-contact import -q "$TOP/share/outlook-contacts.csv"; crm-contact list --no-header | wc -l' 
on_both "import a ;-separated German export keyed by customer number" \
	'crm-contact import -q --key field.kundennummer --map Kundennummer=kundennummer --map Vorname=first_name --map Nachname=last_name --map E-Mail=email --map Stadt=city --map Land=country "$TOP/share/kunden.csv" 2>&1; echo "exit $?"; crm-contact export --format csv --fields email,city,country,field.kundennummer'
on_both "import the interactions" 'crm-log import -q "$TOP/share/interactions.csv" 2>&1; crm-log list --limit 3'
on_both "import invoice lines as orders" \
	'crm-log import -q --rejects orej.csv --contact-key field.customer_id --create-contacts --map InvoiceNo=order --map CustomerID=field.customer_id --map InvoiceDate=at --map Quantity=quantity --map UnitPrice=unit_price --map StockCode=product_code --map Description=description --date-format "%m/%d/%y %H:%M" --currency GBP "$TOP/share/online-retail.csv" 2>&1; cat orej.csv 2>/dev/null; crm-log purchases --format csv'
on_both "the same ids, uids aside" 'crm-contact export --format csv --fields id,email,first_name,last_name,city,created_at,tags'
on_both "every field of every contact" 'crm-contact export --format csv | cut -d, -f1,3-'
on_both "jsonl export" 'crm-contact export --format jsonl --fields id,email,email_opt_out,purchases.total,purchases.count'
on_both "a tag and an edit, then the history" \
	'crm-contact tag add maria.garcia@example.com vip > /dev/null && crm-contact edit maria.garcia@example.com --city Sevilla > /dev/null && crm-contact history maria.garcia@example.com --format csv | cut -d, -f1,2,4-'
on_both "the interactions, every column" 'crm-log list --format csv --limit 100000'
on_both "a timeline with changes" 'crm-log timeline --changes maria.garcia@example.com --format tsv'
on_both "computed fields" 'crm-contact list --format tsv --fields id,purchases.total,purchases.count,purchases.avg,purchases.first,purchases.last,interactions.count,interactions.last,age'
on_both "a filter with a computed field" 'crm-segment count "purchases.total > 100 and interactions.count >= 1"'
on_both "a filter on dates and text" 'crm-segment run "created_at >= 2020-01-01 and country in (\"Spain\", \"Germany\")" --fields country --format csv | cut -d, -f1,3-'
on_both "rfm scores" 'crm-segment rfm --as-of 2026-07-01 --format csv && crm-segment run "rfm.segment = \"champions\" or rfm.r >= 4" --fields rfm.segment,rfm.r,rfm.f,rfm.m --format csv | cut -d, -f1,3-'
on_both "clusters and personas" 'crm-segment cluster --features purchases.total,interactions.count --k 3 --format csv && crm-segment personas --text'
on_both "a saved segment and its snapshot" \
	'crm-segment save big "purchases.count >= 2" > /dev/null && crm-segment snapshot big > /dev/null && crm-segment run big --format csv | cut -d, -f1,3- && crm-segment show big --format csv | cut -d, -f1,3-'
on_both "cohorts" 'crm-segment cohort --by month --format csv && crm-segment cohort --by week --metric revenue --periods 4 --format csv'
on_both "dupes" 'crm-contact dupes --format csv'
on_both "preferred channels" 'crm-log channels --all --format csv'
on_both "a merge and what follows" \
	'crm-contact dupes --format csv --min-score 0.9 > pairs.csv; crm-contact merge --from pairs.csv 2>&1; crm-contact export --format csv --fields id,email,tags | head -40'
on_both "erasure leaves the same" \
	'crm-contact erase -f jose.nunez@example.com; echo "erase: $?"; crm-contact export --format csv --fields id,email,first_name,status,tags; crm-log list --format csv --limit 100000'

# ---- text compared without regard to case, on both --------------------------

on_both "--search ignores case" 'crm-contact list --search GARC --fields id,email --no-header; crm-contact list --search "müller" --fields id --no-header' empty
on_both "~ ignores case" 'crm-segment run "email ~ \"*@EXAMPLE.COM\" and last_name ~ \"g*\"" --no-header | cut -f1,3-'
on_both "= on text ignores case" 'crm-segment count "city = \"MADRID\" or country = \"spain\""'
on_both "an email is found whatever its case" \
	'crm-contact show MARIA.GARCIA@EXAMPLE.COM --format jsonl | sed "s/\"uid\":\"[^\"]*\",//"; crm-contact list --where email=MARIA.Garcia@example.COM --fields id,email --no-header'
on_both "an email differing in case only is the same contact" \
	'crm-contact add --email Carlos.Lopez@Example.com 2>&1; echo "exit $?"'

# ---- what only a server can do --------------------------------------------------

run "a store name with a password is refused" 64 \
	'crm-contact --db "postgresql://tester:secret@localhost/crmboth" list'
err_is "crm-contact: list: a store name must not hold a password (it shows in process listings): put it in ~/.pgpass or PGPASSFILE"
run "a keyword string with a password is refused" 64 \
	"CRM_DB='host=localhost dbname=crmboth password=secret' crm-contact list"
err_has "must not hold a password"
run "a server that is not there exits 75" 75 \
	"crm-contact --db 'host=127.0.0.1 port=1 dbname=crmboth connect_timeout=2' list"
err_has "try again later"
run "a role that may not log in exits 77" 77 \
	"crm-contact --db '$(printf '%s\n' "$PGCONN" | sed 's/user=[^ ]*/user=nobody_here/; s/dbname=[^ ]*/dbname=crmboth/')' list"
err_has 'role "nobody_here" does not exist'
run "a database that does not exist exits 66" 66 \
	"crm-contact --db '$(printf '%s\n' "$PGCONN" | sed 's/dbname=[^ ]*/dbname=nothing_here/')' list"
SPARE=$(printf '%s\n' "$PGCONN" | sed 's/dbname=[^ ]*/dbname=spare/; s/user=[^ ]*/user=tester/')
run "a command that reads does not make a store in an empty database" 66 \
	"crm-contact --db '$SPARE' list"
err_is "crm-contact: list: no store at $SPARE"
check "the empty database still has no table" \
	"[ \"\$(psql '$SPARE' -XqAtc \"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'\")\" = 0 ]"
run "a store of a newer schema is refused with 78" 78 \
	"crm-contact --db '$SPARE' add --email a@example.org > /dev/null && psql '$SPARE' -XqAtc 'UPDATE crm_schema_version SET version = version + 1' > /dev/null && crm-contact --db '$SPARE' list"
err_has "upgrade crm"
psql "$PGCONN" -XqAt -c "GRANT CONNECT ON DATABASE crmboth TO reader" > /dev/null
psql "$PG" -XqAt -c "GRANT USAGE ON SCHEMA public TO reader" -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader" > /dev/null
READER=$(printf '%s\n' "$PG" | sed 's/user=[^ ]*/user=reader/')
run "a read-only role reads" 0 "crm-contact --db '$READER' list --no-header --fields id"
run "a read-only role cannot write: 77" 77 "crm-contact --db '$READER' add --email ro@example.org"
err_has "permission denied"
run "history records the server's role, not CRM_USER" 0 \
	"CRM_USER=somebody-else crm-contact --db '$PG' add --email who@example.org > /dev/null && crm-contact --db '$PG' history who@example.org --format csv --no-header | cut -d, -f3"
out_is "tester"

# ---- bulk imports: COPY on PostgreSQL, row by row on SQLite --------------------
# On PostgreSQL an import writes its plain rows in bulk (contact_stage.h,
# interaction_stage.h); every row must end as it does row by row: the
# same ids, counts, rejects and values, whatever the window it falls in.

printf '%s\n' 'email,first_name,last_name,uid,tags,emails,notes,status,email_opt_out,created_at' \
	'a@example.org,Ann,Back\slash,,"vip;vip;new",,"line1' 'line2	tab \N",customer,1,2020-01-02T03:04:05Z' \
	'B@Example.org,Bob,Two,,,,,,,' \
	'b@example.org,Bobby,,,,,,,,' \
	',Carl,NoMail,,,,,,,' \
	'd@example.org,Dora,,u-d,,,,,,' \
	'e@example.org,Eve,,u-d,,,,,,' \
	'f@example.org,Fay,,,,g@example.org (work),,,,' \
	'g@example.org,Gus,,,,,,,,' \
	'ünï@example.org,Ünal,,,,,,,,' \
	'h@example.org,Hal,,,,,,bogus,,' \
	'i@example.org,Ivy,,u-i,"a;b",,,prospect,0,' > bulk.csv
printf '%s\n' 'email,at,type,subject,body,key,amount,currency' \
	'a@example.org,2026-01-01T10:00:00Z,note,"Back\slash \N","multi' 'line \ body	tab",k1,,' \
	'a@example.org,2026-01-02T10:00:00Z,purchase,Order,,k2,10.50,EUR' \
	'b@example.org,2026-01-03T10:00:00Z,note,Hi,,k1,,' \
	'a@example.org,2026-01-01T10:00:00Z,note,Again,,k1,,' \
	'nobody@example.org,2026-01-04T10:00:00Z,note,Who,,k3,,' \
	',2026-01-05T10:00:00Z,note,None,,,,' \
	'd@example.org,2026-01-06T10:00:00Z,call,Call,,,,' > bulk-log.csv
printf '%s\n' 'email,at,type,subject,key' \
	'new1@example.org,2026-02-01T10:00:00Z,note,N1,n1' \
	'a@example.org,2026-02-02T10:00:00Z,note,A2,n2' \
	'new1@example.org,2026-02-03T10:00:00Z,note,N1b,n3' \
	'a@example.org,2026-01-02T10:00:00Z,purchase,Again,k2' \
	'new2@example.org,2026-02-04T10:00:00Z,note,N2,k1' \
	'i@example.org,2026-02-05T10:00:00Z,note,I,n4' > bulk-create.csv
psql "$PGCONN" -XqAt -c "CREATE DATABASE bulk1 OWNER tester" -c "CREATE DATABASE bulk2 OWNER tester" \
	-c "ALTER DATABASE bulk1 SET log_statement = 'all'" > /dev/null
saved_lite=$LITE saved_pg=$PG
for rows in default 2; do
	if [ $rows = default ]; then
		LITE="$T/bulk1.db" PG=$(printf '%s\n' "$PG" | sed 's/dbname=[^ ]*/dbname=bulk1/')
		unset CRM_TEST_COMMIT_ROWS
	else
		LITE="$T/bulk2.db" PG=$(printf '%s\n' "$PG" | sed 's/dbname=[^ ]*/dbname=bulk2/')
		CRM_TEST_COMMIT_ROWS=2
		export CRM_TEST_COMMIT_ROWS
	fi
	on_both "bulk contacts ($rows rows a window): counts and rejects" \
		'crm-contact import -v --rejects rej.csv bulk.csv 2>&1; cat rej.csv'
	on_both "bulk contacts ($rows): every value, ids the same" \
		'crm-contact export --format csv | cut -d, -f1,3-; crm-contact export --format csv --fields id,uid | grep u-'
	on_both "bulk contacts ($rows): the history of an imported contact" \
		'crm-contact history f@example.org --format csv | cut -d, -f1,2,4-'
	on_both "bulk contacts ($rows): again, nothing changes" 'crm-contact import -v bulk.csv 2>&1; echo "exit $?"'
	on_both "bulk interactions ($rows): counts and rejects" \
		'crm-log import -v --rejects lrej.csv bulk-log.csv 2>&1; cat lrej.csv'
	on_both "bulk interactions ($rows): created contacts between staged rows" \
		'crm-log import -v --rejects crej.csv --create-contacts bulk-create.csv 2>&1; cat crej.csv'
	on_both "bulk interactions ($rows): every column" 'crm-log list --format csv --limit 1000'
	on_both "bulk ($rows): every stored value of a contact, escapes and all" \
		'crm-contact export --subject a@example.org | grep -v "\"uid\"" | sed "s/\"who\":\"[^\"]*\"//"'
	on_both "bulk interactions ($rows): again, nothing changes" \
		'crm-log import -v bulk-log.csv 2>&1; echo "exit $?"; crm-log import -v --create-contacts bulk-create.csv 2>&1; echo "exit $?"'
	on_both "bulk ($rows): ids go on after the bulk rows" \
		'crm-contact add --email later@example.org > /dev/null && crm-log add later@example.org --subject later > /dev/null && crm-contact export --format csv --fields id,email | tail -1 && crm-log list --format csv --limit 1000 | tail -1 | cut -d, -f1,2'
done
unset CRM_TEST_COMMIT_ROWS
LITE=$saved_lite PG=$saved_pg
# a row with a NUL byte is rejected whole: its rejects line is the row as
# it was, NUL and all, not cut where the NUL was
printf 'email,first_name,notes\na@x.org,Ann,ok\nb@x.org,B\000ob,after nul\nc@x.org,Cy,x\n' > nul.csv
printf 'line,reason,email,first_name,notes\n3,NUL byte in field 2,b@x.org,B\000ob,after nul\n' > nul-want.csv
on_both "bulk: a row with a NUL byte goes to the rejects file whole" \
	'crm-contact import --rejects nrej.csv nul.csv 2> /dev/null; echo "exit $?"; cmp nrej.csv nul-want.csv && echo same'
# a custom field made a key whose index name is past PostgreSQL's 63
# bytes: a later plain import of that column finds the index and takes
# the row that would break it one by one (a reject, not exit 75)
long=abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_x
printf 'email,%s1,%s2\na@long.org,1,1\nb@long.org,2,2\n' $long $long > long1.csv
printf 'email,%s1\nc@long.org,1\nd@long.org,3\n' $long > long2.csv
printf 'email,%s2\ne@long.org,2\nf@long.org,4\n' $long > long3.csv
psql "$PGCONN" -XqAt -c "CREATE DATABASE longkey OWNER tester" > /dev/null
saved_lite=$LITE saved_pg=$PG
LITE="$T/longkey.db" PG=$(printf '%s\n' "$PG" | sed 's/dbname=[^ ]*/dbname=longkey/')
on_both "bulk: two long custom keys alike for 55 bytes are two keys" \
	'crm-contact import -q --key field.${long}1 long1.csv && crm-contact import -q --key field.${long}2 long1.csv && echo ok'
on_both "bulk: a plain import keeps the first long key" \
	'crm-contact import --rejects lk.csv long2.csv 2>&1; echo "exit $?"; cat lk.csv'
on_both "bulk: and the second" \
	'crm-contact import --rejects lk.csv long3.csv 2>&1; echo "exit $?"; cat lk.csv'
LITE=$saved_lite PG=$saved_pg
check "bulk: PostgreSQL took the plain contacts and interactions by COPY" \
	'grep -q "statement: COPY contacts (id, uid," "$T/pg/s/log" && grep -q "statement: COPY interactions (id, contact_id," "$T/pg/s/log"'

# the keys a store's rows hold, against its directory (PostgreSQL)
cat > keys.sql <<'EOF'
CREATE TEMP VIEW want AS
SELECT 'contacts.uid' AS kind, uid AS value, id AS contact FROM contacts
UNION ALL SELECT 'contacts.email', lower(email), id FROM contacts WHERE email IS NOT NULL
UNION ALL SELECT 'contact_emails.email', lower(email), contact_id FROM contact_emails
UNION ALL SELECT 'interactions.ext_key', ext_key, contact_id FROM interactions WHERE ext_key IS NOT NULL
UNION ALL SELECT 'field.' || f.name, f.value, f.contact_id FROM contact_fields f
	JOIN contact_key_fields k ON k.name = f.name;
SELECT count(*) FROM want;
SELECT count(*) FROM want WHERE kind LIKE 'field.%';
SELECT count(*) FROM ((SELECT * FROM want EXCEPT SELECT * FROM crm_keys)
	UNION ALL (SELECT * FROM crm_keys EXCEPT SELECT * FROM want)) d;
EOF

# ---- a store of schema 9 opened by this version (0010) ---------------------------
# the lines and attributes of existing purchases get their interaction's
# contact_id, on both stores alike
v9_data="INSERT INTO contacts (id, uid, email, created_at, updated_at) VALUES
 (1, 'u1', 'a@v9.org', 'x', 'x'), (2, 'u2', 'b@v9.org', 'x', 'x');
INSERT INTO interactions (id, contact_id, at, type, amount, currency, ext_key, created_at) VALUES
 (1, 1, '2026-01-01T00:00:00Z', 'purchase', 100, 'EUR', 'o1', 'x'),
 (2, 2, '2026-01-02T00:00:00Z', 'purchase', 500, 'EUR', 'o2', 'x');
INSERT INTO interaction_lines (interaction_id, line, quantity, unit_price, total) VALUES
 (1, 1, 1, '1.00', 1000000), (2, 1, 2, '1.00', 2000000), (2, 2, 1, '3.00', 3000000);
INSERT INTO interaction_attrs (interaction_id, name, value) VALUES (1, 'country', 'NO'), (2, 'country', 'SE');"
for f in "$TOP"/lib/store/sql/000[1-9]-*.sql; do cat "$f"; done > v9-lite.sql
printf '%s\nPRAGMA user_version = 9;\n' "$v9_data" >> v9-lite.sql
sqlite3 "$T/v9.db" < v9-lite.sql
psql "$PGCONN" -XqAt -c "CREATE DATABASE v9 OWNER tester" > /dev/null
V9=$(printf '%s\n' "$PG" | sed 's/dbname=[^ ]*/dbname=v9/')
{
	for f in "$TOP"/lib/store/sql/pg/000[1-9]-*.sql; do printf '\\i %s\n' "$f"; done
	printf '%s\n' "$v9_data" "CREATE TABLE crm_schema_version (version integer NOT NULL);" \
		"INSERT INTO crm_schema_version VALUES (9);"
} | psql "$V9" -Xq -v ON_ERROR_STOP=1 -1 > /dev/null
saved_lite=$LITE saved_pg=$PG
LITE="$T/v9.db" PG=$V9
on_both "schema 9 to 10: lines and attributes name their interaction's contact" \
	'crm-contact export --subject 2 | grep "\"interaction_id\":2" | sed "s/\"who\":\"[^\"]*\"//"'
check "schema 9 to 10: on both, every line and attribute of contact 2's order" \
	'[ "$(grep -c "\"contact_id\":2}" "$T/pg.out")" = 3 ]'
on_both "schema 9 to 10: a merge takes the lines and attributes along" \
	'crm-contact merge 2 1 > /dev/null && crm-contact export --subject 2 | grep -c "\"contact_id\":2}"'
check "schema 9 to 10: after the merge, contact 2 has 1 + 2 lines and 2 attributes" \
	'[ "$(cat "$T/pg.out")" = 5 ]'
run "schema 9 to 10: the directory holds the keys of the upgraded store, merged and erased" 0 \
	"crm-contact --db '$V9' add --email c@v9.org > /dev/null && crm-contact --db '$V9' erase --force c@v9.org > /dev/null && psql '$V9' -XqAt -f keys.sql"
# the uids of contact 2 and of the erased one (its erased-N; the merged
# contact is gone), b@ and a@ (2's other email now), o1 and o2; no custom
# key; no difference
out_is "6
0
0"
LITE=$saved_lite PG=$saved_pg

# ---- ready to be sharded by contact (Citus) ------------------------------------
# crm(7) "Distributing a store": every table of a contact's rows has
# contact_id in its keys; the keys unique across contacts are kept so by
# the directory crm_keys, a custom key among them, not by unique indexes.
run "the schema, with data and a custom key, can be sharded by contact" 0 \
	"sh '$TOP/scripts/pg-distribution-check' '$PG'"
out_lines 0
run "the directory holds every key of the store, and nothing else" 0 "psql '$PG' -XqAt -f keys.sql > keys.out"
check "keys of every kind, a custom key's among them, and no difference" \
	'[ "$(sed -n 1p keys.out)" -gt 100 ] && [ "$(sed -n 2p keys.out)" -gt 0 ] && [ "$(sed -n 3p keys.out)" = 0 ]'
run "crm store check: the directory agrees with the rows" 0 "crm store --db '$PG' check"
out_lacks "problem"
run "crm store check: a key lost from the directory is a problem: 65" 65 \
	"psql '$PG' -XqAt -c \"DELETE FROM crm_keys WHERE kind = 'contacts.uid' AND contact = (SELECT min(id) FROM contacts)\" > /dev/null && crm store --db '$PG' check"
out_has "problem: the key directory crm_keys and the rows differ on 1 keys"
psql "$PG" -XqAt -c "INSERT INTO crm_keys SELECT 'contacts.uid', uid, id FROM contacts WHERE id = (SELECT min(id) FROM contacts)" > /dev/null
psql "$PGCONN" -XqAt -c "CREATE DATABASE shard OWNER tester" > /dev/null
SHARD=$(printf '%s\n' "$PG" | sed 's/dbname=[^ ]*/dbname=shard/')
run "a table that breaks the rule is named, and how" 1 \
	"crm-contact --db '$SHARD' add --email a@example.org > /dev/null && psql '$SHARD' -XqAt -c 'CREATE TABLE deals (id bigint PRIMARY KEY, contact_id bigint REFERENCES contacts(id))' -c 'CREATE TABLE deal_notes (deal_id bigint REFERENCES deals(id), note text)' -c 'CREATE TABLE deal_lines (deal_id bigint, contact_id bigint, line bigint, PRIMARY KEY (deal_id, line, contact_id), FOREIGN KEY (deal_id, contact_id) REFERENCES interactions(id, contact_id))' -c 'CREATE TABLE deal_kinds (name text PRIMARY KEY, interaction_id bigint, contact_id bigint, FOREIGN KEY (interaction_id, contact_id) REFERENCES interactions(id, contact_id))' -c 'CREATE TABLE quotes (id bigint, contact_id bigint, PRIMARY KEY (id, contact_id), UNIQUE (id))' -c 'CREATE TABLE quote_refs (quote_id bigint REFERENCES quotes(id), contact_id bigint)' > /dev/null && sh '$TOP/scripts/pg-distribution-check' '$SHARD'"
out_has "primary key deals (id): no contact_id"
out_has "unique quotes (id): no contact_id"
out_has "foreign key quote_refs -> quotes: contact_id not matched with contact_id"
out_has "no contact_id deal_notes"
out_has "primary key deal_kinds (name): no contact_id"
out_lacks "deal_lines"
check "and a fixed one passes" \
	"psql '$SHARD' -XqAt -c 'DROP TABLE deals, deal_notes, deal_kinds, quote_refs, quotes' > /dev/null && sh '$TOP/scripts/pg-distribution-check' '$SHARD' > /dev/null"

# ---- the server restarted under an import -------------------------------------

psql "$PGCONN" -XqAtc "CREATE DATABASE crmrestart OWNER tester" > /dev/null
RESTART=$(printf '%s\n' "$PGCONN" | sed 's/dbname=[^ ]*/dbname=crmrestart/; s/user=[^ ]*/user=tester/')
sh "$TOP/scripts/gen-data" 10000 7 > big.csv
committed() {
	psql "$RESTART" -XqAtc "SELECT count(*) FROM contacts" 2> /dev/null || echo 0
}
# a commit every 100 rows (each followed by the driver's 20 ms step aside)
# keeps the import running for seconds, however fast its rows go in
(CRM_TEST_COMMIT_ROWS=100 crm-contact --db "$RESTART" import big.csv 2> restart.err; echo $? > restart.rc) &
_i=0
while [ "$(committed)" -lt 1 ] && [ $_i -lt 600 ]; do sleep 0.1; _i=$((_i + 1)); done
sh "$TOP/scripts/pg-server" restart "$T/pg/s" > /dev/null
wait
at_restart=$(committed)
check "an import whose server restarts exits 75, so cron tries again" \
	'[ "$(cat restart.rc)" = 75 ] && grep -q "try again later" restart.err'
check "what it committed is whole: as many contacts as its resume record has rows done" \
	"[ $at_restart -ge 1 ] && [ $at_restart -lt 10000 ] && [ \"\$(psql '$RESTART' -XqAtc 'SELECT rows_done - rejected FROM import_resume')\" = $at_restart ]"
run "the same import again finishes the job" 0 "crm-contact --db '$RESTART' import -v big.csv"
err_has "resumed at row"
check "each contact of the file once" \
	"[ \"\$(psql '$RESTART' -XqAtc 'SELECT count(*), count(DISTINCT email) FROM contacts')\" = '10000|10000' ]"

finish
