# tests/e2e/layout.sh - the shape of the tree (HACKING): lib/ in layer
# folders that include only downwards, no include circle, cmd/ files under
# 800 lines without SQL. The checker runs on this checkout, and on copies
# broken one way at a time, each of which it must refuse.
. "$(dirname "$0")/lib.sh"

check_layout=$TOP/scripts/check-layout

run "this checkout keeps the layout" 0 'sh "$check_layout" "$TOP"'
out_lines 0

# A copy of the tree's lib/, cmd/ and the checker, to break.
copy() {
	rm -rf "$T/tree"
	mkdir -p "$T/tree/scripts"
	cp -R "$TOP/lib" "$TOP/cmd" "$T/tree/"
	cp "$check_layout" "$T/tree/scripts/"
	rm -f "$T/tree/cmd/"crm-contact "$T/tree/cmd/"crm-log "$T/tree/cmd/"crm-segment
}

copy
run "the unbroken copy passes" 0 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_lines 0

copy
printf '#include "contact/contact.h"\n' >> "$T/tree/lib/base/buf.c"
run "base including a domain is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "lib/base/buf.c:"
out_has "lib/base/ may not include contact/contact.h"

copy
printf '#include "segment/rfm.h"\n' >> "$T/tree/lib/contact/merge.c"
run "a domain including a later domain is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "lib/contact/ may not include segment/rfm.h"

copy
printf '#include "err.h"\n' >> "$T/tree/lib/base/num.c"
run "an include without its folder is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "include \"err.h\" names no folder"

copy
printf '/* x */\n' > "$T/tree/lib/stray.c"
run "a file outside the layer folders is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "lib/stray.c: a file of lib/ outside a layer folder"

copy
mkdir "$T/tree/lib/misc"
printf '/* x */\n' > "$T/tree/lib/misc/x.c"
run "a folder that is no layer is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "folder lib/misc/ is not a layer"

# contact_field.c was split out of contact.c to end the circle
# contact <-> contact_detail: put it back.
copy
printf '#include "contact/contact.h"\n' >> "$T/tree/lib/contact/contact_detail.c"
run "an include circle inside a folder is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "include circle:"
out_has "contact/contact_detail"
out_has "contact/contact ->"

copy
printf '#include "base/num.h"\n' >> "$T/tree/lib/base/buf.h"
printf '#include "base/buf.h"\n' >> "$T/tree/lib/base/num.h"
run "a circle through headers is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "include circle:"
out_has "base/buf"
out_has "base/num"

copy
{
	printf '/* a new program */\nint main(void)\n{\n'
	i=0
	while [ $i -lt 800 ]; do echo '	;'; i=$((i + 1)); done
	printf '\treturn 0;\n}\n'
} > "$T/tree/cmd/crm-new.c"
run "a cmd/ file of 800 lines or more is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "cmd/crm-new.c: 805 lines"

copy
printf 'static const char q[] = "SELECT id FROM contacts";\n' > "$T/tree/cmd/crm-new.c"
run "SQL in a cmd/ file is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "cmd/crm-new.c:1: SQL in a cmd/ file"

copy
printf 'int f(void *st) { return sqlite3_step(st); }\n' > "$T/tree/cmd/crm-new.c"
run "a sqlite3_ call in a cmd/ file is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "cmd/crm-new.c:1: SQL in a cmd/ file"

copy
printf '#include <sqlite3.h>\nint n(void *db) { return sqlite3_changes(db); }\n' > "$T/tree/lib/contact/raw.c"
run "the SQLite library outside the store backends is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "lib/contact/raw.c:1: the database library outside the store backends"
out_has "lib/contact/raw.c:2: the database library outside the store backends"

copy
printf 'struct pg_conn;\nint f(void *c) { return PQstatus(c); }\n' > "$T/tree/lib/segment/raw.c"
run "libpq outside the store backends is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "lib/segment/raw.c:2: the database library outside the store backends"

copy
printf '#include "store/backend.h"\n' > "$T/tree/lib/log/raw.c"
run "store/backend.h outside the store is refused" 1 'sh "$T/tree/scripts/check-layout" "$T/tree"'
out_has "lib/log/raw.c:1: store/backend.h is for the store and its backends only"

copy
printf '/* prints "Select a contact", not SQL */\nstatic const char m[] = "select one";\n' > "$T/tree/cmd/crm-new.c"
run "words that look like SQL in lowercase pass" 0 'sh "$T/tree/scripts/check-layout" "$T/tree"'

finish
