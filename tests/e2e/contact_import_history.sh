#!/bin/sh
# tests/e2e/contact_import_history.sh - the history of contacts an import
# created: one history row for the import (migration 0007), shown as a
# "create" row of each of its contacts by history, history --since,
# crm-log timeline --changes and export --subject; none after erase.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z

printf 'email,first_name\nann@example.org,Ann\nbo@example.org,Bo\nANN@example.org,Anna\n' > a.csv
run "an import of two new contacts, the third row an update" 0 'crm-contact import a.csv'
check "one history row for the import, two for the update, none per new contact" \
	'[ "$(sql "SELECT entity || \":\" || action FROM history ORDER BY id" | tr "\n" " ")" = "import:import contact:update contact:update " ]'

run "history of an imported contact: its create, then the update" 0 \
	'crm-contact --format csv --no-header history ann@example.org'
out_is "1,2026-01-01T00:00:00Z,$CRM_USER,1,create,,,,import 1
2,2026-01-01T00:00:00Z,$CRM_USER,1,update,first_name,Ann,Anna,
3,2026-01-01T00:00:00Z,$CRM_USER,1,update,email,ann@example.org,ANN@example.org,"

run "history --since: a create row for each contact of the import" 0 \
	'crm-contact --format csv --no-header history --since 2025-12-31 | cut -d, -f1,4,5,9'
out_is "1,1,create,import 1
1,2,create,import 1
2,1,update,
3,1,update,"

run "history --since after the import: nothing" 1 'crm-contact history --since 2026-01-02'

CRM_NOW=2026-01-02T00:00:00Z crm-contact add --email cy@example.org >/dev/null
printf 'email\ndi@example.org\n' > b.csv
run "a second import after a contact added by hand" 0 'CRM_NOW=2026-01-03T00:00:00Z crm-contact import b.csv'
run "the hand-made contact keeps its own create row" 0 \
	'crm-contact --format csv --no-header history cy@example.org | cut -d, -f2,5,9'
out_is "2026-01-02T00:00:00Z,create,"
run "the second import's contact has the second import's row" 0 \
	'crm-contact --format csv --no-header history di@example.org | cut -d, -f2,4,5,9'
out_is "2026-01-03T00:00:00Z,4,create,import 5"

run "timeline --changes shows the create" 0 \
	'crm-log --format tsv --no-header timeline --changes bo@example.org | cut -f1,2,6'
out_is "2026-01-01T00:00:00Z	change	create"

run "export --subject holds the create" 0 'crm-contact export --subject bo@example.org > bo.json'
check "with the import's id, time and note" \
	'/usr/bin/python3 -c "import json,sys; h=json.load(open(\"bo.json\"))[\"history\"]; sys.exit(0 if [(x[\"id\"], x[\"entity_id\"], x[\"action\"], x[\"note\"]) for x in h] == [(1, 2, \"create\", \"import 1\")] else 1)"'

run "a removed contact keeps its create and its delete" 0 \
	'crm-contact rm --force bo@example.org && crm-contact --format csv --no-header history 2 | cut -d, -f5 | sort -u | paste -sd " " -'
out_is "create delete"

run "erase leaves no history of the contact, its create included" 0 'crm-contact erase --force ann@example.org'
run "history of the erased contact" 1 'crm-contact history 1'
run "history --since lists the import's other contact only" 0 \
	'crm-contact --format csv --no-header history --since 2025-12-31 | awk -F, "\$5 == \"create\" { print \$4 }" | paste -sd " " -'
out_is "2 3 4"

printf 'email,first_name\nkeep@example.org,Kay\ngone@example.org,Kay\n' > m.csv
run "two imported contacts, one merged into the other" 0 \
	'crm-contact import m.csv && crm-contact merge keep@example.org gone@example.org'
run "the merged-away contact's history has its create" 0 \
	'crm-contact --format csv --no-header history 6 | cut -d, -f5 | paste -sd " " -'
out_is "create merged"
run "erase of the person" 0 'crm-contact erase --force keep@example.org'
run "leaves no create of the contact merged into it either" 1 'crm-contact history 6'
run "nor of the person" 1 'crm-contact history 5'

finish
