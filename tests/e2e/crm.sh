#!/bin/sh
# tests/e2e/crm.sh - the crm command: programs run through it, its help,
# and crm store: check (a sound, a damaged and a broken-reference SQLite
# file), backup (while another program writes), copy (SQLite to SQLite,
# and SQLite -> PostgreSQL -> SQLite when pg_ctl is there: the exports of
# both ends byte-identical), copy into a store that is not empty.
. "$(dirname "$0")/lib.sh"

export CRM_NOW=2026-06-01T12:00:00Z
S=$TOP/share
version=$(ls "$TOP"/lib/store/sql/*.sql | wc -l | tr -d ' ')

# ---- dispatch and help
run "crm help lists the programs" 0 'crm help'
out_has "contact    contacts:"
out_has "log "
out_has "segment "
out_has "store      the store itself"
run "crm --help is crm help" 0 'crm --help'
out_has "store      the store itself"
run "an unknown program is a usage error, one line" 64 'crm nosuch list'
err_is "crm: unknown program \"nosuch\" (try 'crm help')"
run "a program name with a slash is not run" 64 'crm ../crm-contact list'
run "no program" 64 'crm'
run "crm contact add runs crm-contact add" 0 'crm contact add --email one@example.org'
out_is "1"
run "crm contact list sees it" 0 'crm contact list --no-header --fields email'
out_is "one@example.org"
run "a program's exit status comes through" 1 'crm contact show 999'
err_is "crm-contact: show: no contact \"999\""
run "crm help PROGRAM is the program's help" 0 'crm help log'
out_has "usage: crm-log"
run "crm help store" 0 'crm help store'
out_has "usage: crm store"
out_has "backup"
# beside crm first, then $PATH
mkdir -p bin other
cp "$CRM_BIN/crm" bin/crm
printf '#!/bin/sh\necho "beside: $*"\n' > bin/crm-hello
printf '#!/bin/sh\necho "in path: $*"\n' > other/crm-hello
printf '#!/bin/sh\necho "only in path: $*"\n' > other/crm-there
chmod +x bin/crm-hello other/crm-hello other/crm-there
run "a program beside crm comes first" 0 'PATH="$T/other:$PATH" bin/crm hello a "b c"'
out_is "beside: a b c"
run "then one in PATH" 0 'PATH="$T/other:$PATH" bin/crm there x'
out_is "only in path: x"
run "the programs beside crm, when PATH has none" 0 \
	'PATH=/usr/bin:/bin "$CRM_BIN/crm" contact add --db "$T/beside.db" --email b@example.org'
out_is "1"

# ---- store check
crm-contact --db "$T/a.db" import "$S/contacts.csv" -q 2> /dev/null
crm-log --db "$T/a.db" import "$S/interactions.csv" -q 2> /dev/null
crm-log --db "$T/a.db" import "$S/online-retail.csv" --contact-key field.customer_id \
	--create-contacts --date-format '%m/%d/%y %H:%M' --map InvoiceNo=order \
	--map CustomerID=contact --currency GBP -q 2> /dev/null
crm-log --db "$T/a.db" add maria.garcia@example.com --subject "a call" > /dev/null
crm-segment --db "$T/a.db" rfm > /dev/null
crm-segment --db "$T/a.db" save loyal 'purchases.count >= 3' > /dev/null
crm-segment --db "$T/a.db" snapshot loyal > /dev/null
contacts=$(sqlite3 "$T/a.db" "SELECT count(*) FROM contacts")
run "check on a sound store" 0 'crm store --db "$T/a.db" check'
out_has "backend: sqlite"
out_has "schema version: $version"
out_has "table contacts: $contacts rows"
out_lacks "problem"
[ "$(tail -n 1 out)" = ok ] || _fail "check does not end with ok"
run "check of a missing store: 66, nothing made" 66 'crm store --db "$T/none.db" check'
check "no store was made" '[ ! -e "$T/none.db" ]'
run "check takes no operand" 64 'crm store --db "$T/a.db" check extra'

cp "$T/a.db" "$T/damaged.db"
root=$(sqlite3 "$T/damaged.db" "SELECT rootpage FROM sqlite_master WHERE name = 'interactions'")
psize=$(sqlite3 "$T/damaged.db" "PRAGMA page_size")
awk 'BEGIN { for (i = 0; i < 60; i++) printf "garbage!" }' |
	dd of="$T/damaged.db" bs=1 seek=$(( (root - 1) * psize + 8 )) conv=notrunc 2> /dev/null
run "check on a damaged file: 65, the problems listed" 65 'crm store --db "$T/damaged.db" check'
out_has "problem: "
out_has "page $root"
err_has "problems found"
check "the problems are sqlite's own" \
	'[ "$(sqlite3 "$T/damaged.db" "PRAGMA integrity_check" | head -n 1)" != ok ]'

cp "$T/a.db" "$T/orphan.db"
sqlite3 "$T/orphan.db" "PRAGMA foreign_keys = OFF; INSERT INTO contact_tags (contact_id, tag) VALUES (99999, 'ghost')"
run "check finds a tag of no contact: 65" 65 'crm store --db "$T/orphan.db" check'
out_has "problem: table=contact_tags"
out_has "parent=contacts"
err_is "crm store: check: 1 problem found"

# ---- backup
run "backup of a sound store" 0 'crm store --db "$T/a.db" backup "$T/a.bak"'
check "the backup is 0600" '[ "$(stat -c %a "$T/a.bak")" = 600 ]'
check "the backup is a store with the same contacts" \
	'crm-contact --db "$T/a.bak" export > ba.csv && crm-contact --db "$T/a.db" export > aa.csv && cmp aa.csv ba.csv'
echo keep > "$T/exists.bak"
run "an existing file is not overwritten" 73 'crm store --db "$T/a.db" backup "$T/exists.bak"'
err_is "crm store: backup: $T/exists.bak exists: not overwritten (use --force)"
check "and is unchanged" '[ "$(cat "$T/exists.bak")" = keep ]'
run "--force overwrites it" 0 'crm store --db "$T/a.db" backup --force "$T/exists.bak"'
check "with the store" '[ "$(sqlite3 "$T/exists.bak" "SELECT count(*) FROM contacts")" = "$contacts" ]'
run "a backup that cannot be made leaves no file" 73 \
	'crm store --db "$T/a.db" backup "$T/nodir/x.bak"'
check "nothing in the way" '[ ! -e "$T/nodir" ] && ! ls "$T"/*.tmp-* 2> /dev/null'
run "backup needs a file" 64 'crm store --db "$T/a.db" backup'

# A writer adds contacts (each with its history row and a tag, in one
# transaction) while backups are made: each backup has whole writes only.
crm-contact --db "$T/w.db" add --email w0@example.org > /dev/null
( i=1; while [ $i -le 120 ]; do
	crm-contact --db "$T/w.db" add --email "w$i@example.org" --tag busy > /dev/null || echo "add $i failed"
	i=$((i + 1))
done > writer.log 2>&1 ) &
writer=$!
sleep 0.3
crm store --db "$T/w.db" backup "$T/w1.bak" 2> w1.err; echo $? > w1.rc
sleep 0.4
crm store --db "$T/w.db" backup "$T/w2.bak" 2> w2.err; echo $? > w2.rc
wait $writer
for b in w1 w2; do
	check "backup $b while another program writes: exit 0" '[ "$(cat $b.rc)" = 0 ] && [ ! -s $b.err ]'
	check "backup $b passes check" 'crm store --db "$T/$b.bak" check'
	check "backup $b has whole writes: contacts = creations = tags + 1" '
		c=$(sqlite3 "$T/$b.bak" "SELECT count(*) FROM contacts")
		h=$(sqlite3 "$T/$b.bak" "SELECT count(*) FROM history WHERE entity = '\''contact'\'' AND action = '\''create'\''")
		t=$(sqlite3 "$T/$b.bak" "SELECT count(*) FROM contact_tags WHERE tag = '\''busy'\''")
		[ "$c" -gt 1 ] && [ "$c" = "$h" ] && [ "$c" = $((t + 1)) ]'
done
check "the writer never failed" '[ ! -s writer.log ]'
check "the backups were made while it wrote" \
	'[ "$(sqlite3 "$T/w1.bak" "SELECT count(*) FROM contacts")" -lt 121 ]'

# ---- copy, SQLite to SQLite
run "copy into a new store" 0 'crm store copy "$T/a.db" "$T/c.db"'
out_has "contacts "
out_has "$contacts rows"
out_has "counts and checksums match"
out_lines $(( $(sqlite3 "$T/a.db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") + 1 ))
check "the copy exports byte for byte as the original" \
	'crm-contact --db "$T/a.db" export > ea.csv && crm-contact --db "$T/c.db" export > ec.csv && cmp ea.csv ec.csv'
check "and its purchases" \
	'crm-log --db "$T/a.db" purchases > pa.tsv && crm-log --db "$T/c.db" purchases > pc.tsv && cmp pa.tsv pc.tsv'
run "the copy is sound" 0 'crm store --db "$T/c.db" check'
cp "$T/c.db" "$T/c.before"
run "copy into a store with data is refused" 65 'crm store copy "$T/a.db" "$T/c.db"'
err_has "is not empty"
check "and that store is unchanged" \
	'[ "$(sqlite3 "$T/c.db" "SELECT count(*) FROM contacts")" = "$contacts" ]'
run "no progress when stderr is not a terminal" 0 'crm store copy "$T/a.db" "$T/quiet.db"'
err_empty
check "progress on a terminal" \
	'script -qec "crm store copy $T/a.db $T/tty.db" /dev/null | grep -q "contacts: $contacts of $contacts rows"'
check "none with -q" \
	'! script -qec "crm store -q copy $T/a.db $T/tty-q.db" /dev/null | grep -q "of $contacts rows" &&
	[ "$(sqlite3 "$T/tty-q.db" "SELECT count(*) FROM contacts")" = "$contacts" ]'

# A target whose trigger changes what is written: the checksums differ,
# the copy is rolled back, nothing is left in the target.
crm-contact --db "$T/trig.db" add --email gone@example.org > /dev/null
sqlite3 "$T/trig.db" "DELETE FROM contacts; DELETE FROM history;
	CREATE TRIGGER meddle AFTER INSERT ON contacts BEGIN
		UPDATE contacts SET last_name = 'X' WHERE id = NEW.id; END"
run "a table that differs after the copy: 70, named, nothing kept" 70 \
	'crm store copy "$T/a.db" "$T/trig.db"'
err_has "table contacts differs after the copy"
check "the target is as empty as before" \
	'[ "$(sqlite3 "$T/trig.db" "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM history)")" = 0 ]'
# ids are never given twice: the source's counter past its last row (a
# contact deleted or merged away) comes along
for i in 1 2 3; do crm-contact --db "$T/h.db" add --email "h$i@example.org" > /dev/null; done
crm-contact --db "$T/h.db" rm -f 3 > /dev/null
run "copy of a store whose last contact was deleted" 0 'crm store copy "$T/h.db" "$T/h2.db"'
run "a new contact there gets a new id, not the deleted one's" 0 \
	'crm-contact --db "$T/h2.db" add --email h4@example.org'
out_is "4"
run "copy of a store onto itself is refused" 64 'crm store copy "$T/a.db" "$T/a.db"'
run "copy from a missing store: 66" 66 'crm store copy "$T/none.db" "$T/d.db"'
check "and makes no target" '[ ! -e "$T/d.db" ]'
run "copy needs two stores" 64 'crm store copy "$T/a.db"'

# ---- PostgreSQL
if ! command -v pg_ctl > /dev/null 2>&1; then
	echo "e2e $SUITE: no pg_ctl: the PostgreSQL cases are skipped" >&2
	finish
	exit 0
fi
if [ -n "${CRM_TEST_PG:-}" ]; then
	pgconn=$CRM_TEST_PG
else
	pgdir=$(mktemp -d "${TMPDIR:-/tmp}/crm-e2e-pg.XXXXXX")
	chmod 711 "$pgdir"
	trap 'sh "$TOP/scripts/pg-server" stop "$pgdir/s" > /dev/null 2>&1; rm -rf "$pgdir" "$T"' EXIT
	pgconn=$(sh "$TOP/scripts/pg-server" start "$pgdir/s") || {
		_fail "pg-server start failed"
		finish
		exit 1
	}
	touch "$T/.pgdbs"
fi
# pg_store NAME: a new database of the server, as a store name.
pg_store() {
	_n="crm_e2e_$$_$1"
	psql "$pgconn" -XqAtc "CREATE DATABASE $_n" > /dev/null || return 70
	echo "$_n" >> "$T/.pgdbs"
	printf '%s\n' "$pgconn" | sed "s/dbname=[^ ]*/dbname=$_n/"
}
P=$(pg_store p)
P2=$(pg_store p2)

run "copy SQLite -> PostgreSQL" 0 'crm store copy "$T/a.db" "$P"'
out_has "counts and checksums match"
sed 's/ *[0-9]* rows.*checksum \([0-9a-f]*\).*/ \1/' out | grep -v copied | sort > sums.lite
run "copy PostgreSQL -> SQLite" 0 'crm store copy "$P" "$T/back.db"'
sed 's/ *[0-9]* rows.*checksum \([0-9a-f]*\).*/ \1/' out | grep -v copied | sort > sums.back
check "the same checksums both ways" 'cmp sums.lite sums.back'
check "the export of PostgreSQL is the original's, byte for byte" \
	'crm-contact --db "$P" export > ep.csv && cmp ea.csv ep.csv'
check "the export of the copy back is the original's, byte for byte" \
	'crm-contact --db "$T/back.db" export > eb.csv && cmp ea.csv eb.csv'
check "the purchases of both ends too" \
	'crm-log --db "$T/back.db" purchases > pb.tsv && cmp pa.tsv pb.tsv'
run "check on PostgreSQL" 0 'crm store --db "$P" check'
out_has "backend: postgresql"
out_has "schema version: $version"
out_has "table contacts: $contacts rows"
next=$(( $(sqlite3 "$T/a.db" "SELECT max(id) FROM contacts") + 1 ))
run "a new contact on PostgreSQL after the copy gets the next id" 0 \
	'crm-contact --db "$P" add --email after@example.org'
out_is "$next"
P3=$(pg_store p3)
run "SQLite -> PostgreSQL keeps the id counter past the last row" 0 'crm store copy "$T/h.db" "$P3"'
run "PostgreSQL -> SQLite too" 0 'crm store copy "$P3" "$T/h3.db"'
run "a new contact on PostgreSQL gets a new id" 0 'crm-contact --db "$P3" add --email h4@example.org'
out_is "4"
run "and on the copy back" 0 'crm-contact --db "$T/h3.db" add --email h4@example.org'
out_is "4"
# values that COPY's text format escapes, and '' apart from NULL
crm-contact --db "$T/odd.db" add --email odd@example.org > /dev/null
cat > odd.sql <<'SQL'
UPDATE contacts SET address = 'a' || char(9) || 'b' || char(10) || 'c' || char(13) || 'd\e \N',
	company = '', title = NULL;
SQL
sqlite3 "$T/odd.db" < odd.sql
cat > odd-pg.sql <<'SQL'
SELECT length(address), position(chr(92) || 'N' IN address) > 0, company = '', title IS NULL
FROM contacts;
SQL
P4=$(pg_store p4)
run "tabs, newlines, backslashes and '' go by COPY: SQLite -> PostgreSQL" 0 \
	'crm store copy "$T/odd.db" "$P4"'
check "PostgreSQL holds them as they were" \
	'[ "$(psql "$P4" -XAtf odd-pg.sql)" = "$(sqlite3 "$T/odd.db" "SELECT length(address) FROM contacts")|t|t|t" ]'
run "and PostgreSQL -> SQLite" 0 'crm store copy "$P4" "$T/odd2.db"'
check "every value back as it was" \
	'[ "$(sqlite3 "$T/odd2.db" "SELECT quote(address), quote(company), quote(title) FROM contacts")" = \
	   "$(sqlite3 "$T/odd.db" "SELECT quote(address), quote(company), quote(title) FROM contacts")" ]'
run "copy into a PostgreSQL store with data is refused" 65 'crm store copy "$T/a.db" "$P"'
err_has "is not empty"
psql "$P" -XqAtc "ALTER FUNCTION julianday(text, text[]) RENAME TO julianday_gone" > /dev/null
run "check finds an SQL function of the schema missing" 65 'crm store --db "$P" check'
out_has "problem: the SQL function julianday is missing"
psql "$P" -XqAtc "ALTER FUNCTION julianday_gone(text, text[]) RENAME TO julianday" > /dev/null
run "and is content again once it is back" 0 'crm store --db "$P" check'

run "backup of PostgreSQL: pg_dump's custom format" 0 'crm store --db "$P" backup "$T/p.dump"'
check "the dump is 0600" '[ "$(stat -c %a "$T/p.dump")" = 600 ]'
check "pg_restore reads it back into a store with the same contacts" '
	pg_restore --no-owner -d "$P2" "$T/p.dump" &&
	crm-contact --db "$P" export > e1.csv && crm-contact --db "$P2" export > e2.csv && cmp e1.csv e2.csv'
run "no pg_dump: 69, and no file" 69 'PATH=/nonexistent "$CRM_BIN/crm" store --db "$P" backup "$T/q.dump"'
check "no partial dump" '[ ! -e "$T/q.dump" ] && ! ls "$T"/q.dump.* 2> /dev/null'

finish
