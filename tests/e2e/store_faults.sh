#!/bin/sh
# tests/e2e/store_faults.sh - the store and the files around it under
# attack: foreign SQLite files, a busy store while reading, rejects files
# that are links, reports that cannot be written.
. "$(dirname "$0")/lib.sh"

# ---- files that are not crm stores: refused, left as they were
if on_sqlite; then
	sqlite3 foreign.db "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('theirs')"
	cp foreign.db foreign.orig
	run "a foreign SQLite file with a contacts table is refused" 74 \
		'crm-contact --db foreign.db list'
	err_is "crm-contact: list: store foreign.db is damaged or not a crm store: it has tables but no schema version"
	check "the foreign file is unchanged (no WAL, no tables added)" 'cmp foreign.db foreign.orig'
	sqlite3 negative.db "PRAGMA user_version = -1"
	run "a negative schema version is refused" 74 'crm-log --db negative.db timeline 1'
	err_has "is damaged or not a crm store: schema version -1"
	check "and stays negative" '[ "$(sqlite3 negative.db "PRAGMA user_version")" = -1 ]'
else
	# a database with tables of its own (a foreign contacts table among
	# them): refused, nothing added to it
	foreign=$(store_at foreign)
	sql_in "$foreign" "CREATE TABLE contacts (name text); INSERT INTO contacts VALUES ('theirs')" > /dev/null
	tables="SELECT table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1; SELECT name FROM contacts"
	sql_in "$foreign" "$tables" > foreign.orig
	run "a foreign database with a contacts table is refused" 74 \
		'crm-contact --db "$foreign" list'
	err_is "crm-contact: list: store $foreign is damaged or not a crm store: it has tables but no schema version"
	check "the foreign database is unchanged (no tables added)" '[ "$(sql_in "$foreign" "$tables")" = "$(cat foreign.orig)" ]'
	# the schema version is a row of crm_schema_version on PostgreSQL
	negative=$(store_at negative)
	sql_in "$negative" "CREATE TABLE crm_schema_version (version integer NOT NULL); INSERT INTO crm_schema_version VALUES (-1)" > /dev/null
	run "a negative schema version is refused" 74 'crm-log --db "$negative" timeline 1'
	err_has "is damaged or not a crm store: schema version -1"
	check "and stays negative" '[ "$(sql_in "$negative" "SELECT version FROM crm_schema_version")" = -1 ]'

	# a server store name: a password in it is refused before connecting,
	# an unreachable server is a temporary failure, an unknown role a
	# permission one
	run "a store name with a password is refused" 64 'crm-contact --db "$CRM_DB password=secret" list'
	err_is "crm-contact: list: a store name must not hold a password (it shows in process listings): put it in ~/.pgpass or PGPASSFILE"
	run "a postgresql:// URI with a password is refused" 64 \
		'crm-contact --db "postgresql://tester:secret@localhost/crm" list'
	err_has "put it in ~/.pgpass or PGPASSFILE"
	# a port nobody listens on: the test server's socket directory, port 1
	nobody=$(printf '%s\n' "$CRM_DB" | sed "s/port=[^ ]*/port=1/")
	case $nobody in *port=1*) ;; *) nobody="$nobody port=1" ;; esac
	run "an unreachable server exits 75" 75 'crm-contact --db "$nobody" list'
	err_has "crm-contact: list: store $nobody: "
	run "an unreachable server: a write exits 75 too" 75 'crm-contact --db "$nobody" add --email x@example.org'
	run "a role that does not exist exits 77" 77 \
		'crm-contact --db "$(printf "%s\n" "$CRM_DB" | sed "s/user=[^ ]*/user=nosuchrole/")" list'
	err_has 'role "nosuchrole" does not exist'
fi

# ---- a busy store while the timeline reads its sources: an error, not an
# empty timeline
crm-contact add --email busy@example.org > /dev/null
crm-log add busy@example.org --subject "first call" > /dev/null
run "the timeline, when the store is free" 0 'crm-log timeline busy@example.org --no-header'
out_has "first call"
# An exclusive WAL lock keeps every reader out until the holder ends (on
# SQLite; PostgreSQL has no lock that keeps readers out).
if on_sqlite; then
lock_store
run "a timeline on a busy store exits 75" 75 \
	'CRM_BUSY_TIMEOUT=0.2 crm-log timeline busy@example.org --no-header'
[ ! -s "$T/out" ] || _fail "a timeline was printed: $(cat "$T/out")"
err_has "is busy"
run "a timeline --changes on a busy store: not even its header" 75 \
	'CRM_BUSY_TIMEOUT=0.2 crm-log timeline --changes busy@example.org'
[ ! -s "$T/out" ] || _fail "a timeline was printed: $(cat "$T/out")"
err_is "crm-log: timeline: store $CRM_DB is busy (another program is writing): try again later"
unlock_store
fi

# ---- --rejects never writes through a link
printf 'email\nnot-an-email\nok@example.org\n' > bad.csv
echo "precious" > victim.txt
ln -s victim.txt rejects-link.csv
run "a rejects path that is a symlink is refused" 74 \
	'crm-contact import bad.csv --rejects rejects-link.csv'
err_has "rejects-link.csv is a symbolic link"
check "the file the link points to is untouched" '[ "$(cat victim.txt)" = precious ]'
echo "old rejects" > rejects.csv
chmod 644 rejects.csv
run "a rejects file is replaced whole" 65 'crm-contact import bad.csv --rejects rejects.csv'
check "it holds the new rejects only" \
	'grep -q "not-an-email" rejects.csv && ! grep -q "old rejects" rejects.csv'
check "no temporary file is left beside it" '[ -z "$(ls -A | grep "^\.rejects")" ]'
run "rejects to standard error" 65 'crm-contact import bad.csv --rejects /dev/stderr'
err_has "not-an-email"
check "/dev/stderr is still a link" '[ -L /dev/stderr ]'

# ---- a report that cannot be written: nothing committed
before=$(sql "SELECT count(*) FROM contacts")
run "add > /dev/full exits 74" 74 'crm-contact add --email full@example.org > /dev/full'
err_is "crm-contact: add: cannot write to standard output: No space left on device; nothing was stored"
check "and adds nobody" '[ "$(sql "SELECT count(*) FROM contacts")" = "$before" ]'
run "a retry then adds the contact once" 0 'crm-contact add --email full@example.org'
check "once" '[ "$(sql "SELECT count(*) FROM contacts WHERE email = '\''full@example.org'\''")" = 1 ]'
logged=$(sql "SELECT count(*) FROM interactions")
run "crm-log add > /dev/full exits 74" 74 'crm-log add full@example.org --subject x > /dev/full'
check "and logs nothing" '[ "$(sql "SELECT count(*) FROM interactions")" = "$logged" ]'
finish
