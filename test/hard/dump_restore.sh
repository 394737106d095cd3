#!/bin/bash
# test/hard/dump_restore.sh -- no data lost on the way out and back in
# (issue 5, point 6).
#
# A database holds maps (the vendored ones, with and without function
# tables, synthetic ones with every feature, corpus maps when ../shared is
# present; most of them stored out of line), arrays of maps and NULLs.  It is dumped with pg_dump in plain,
# custom and directory formats and restored into fresh databases (psql,
# pg_restore, pg_restore -j 2), and copied out and back in with COPY in text,
# csv and binary formats.  Every value must come back byte-identical: the
# md5 of sourcemap_send(m) of every row is compared with the original.
#
# A value written by a future format version (the version field of the
# binary form changed), or sent with an unknown wire version byte, must be a
# clear error on recv (binary COPY and a binary parameter), never misread.
#
#   SM_LONG=1  also the largest corpus maps (babylonjs, 30 MB of JSON, ...)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hard_env "$@"

work=$(scratch)
trap 'rm -rf "$work"' EXIT
export PGDATABASE=smsrc
createdb smsrc

q <<'SQL'
CREATE EXTENSION sourcemap;
CREATE SCHEMA app;
CREATE TABLE app.maps (id int PRIMARY KEY, name text NOT NULL, m sourcemap);
CREATE TABLE app.bundles (id int PRIMARY KEY, ms sourcemap[]);
SQL
id=0
add_map() { # name file
	id=$((id + 1))
	q -v id="$id" -v name="$1" -v file="$2" <<'SQL'
\set content `cat :'file'`
INSERT INTO app.maps VALUES (:id, :'name', :'content');
SQL
}
for f in $(cd "$REPO/test/data/corpus" && find . -name '*.map' | sort); do
	add_map "vendored/${f#./}" "$REPO/test/data/corpus/$f"
done
# maps with a function table (kept through the JSON output as x_sourcemap_functions)
for pair in toastr@2.1.4/toastr.js.map:toastr@2.1.4/toastr.min.js \
	@sentry/browser@11.12.0/globalhandlers.js.map:@sentry/browser@11.12.0/globalhandlers.js \
	jquery@4.0.0/jquery.min.map:jquery@4.0.0/jquery.min.js; do
	id=$((id + 1))
	q -v id="$id" -v name="functions/${pair%%:*}" -v file="$REPO/test/data/corpus/${pair%%:*}" \
		-v js="$REPO/test/data/corpus/${pair#*:}" <<'SQL'
\set content `cat :'file'`
\set code `cat :'js'`
INSERT INTO app.maps VALUES (:id, :'name', sourcemap(:'content', :'code'));
SQL
done
n_corpus=0
if corpus_present; then
	while IFS=$'\t' read -r path bytes; do
		# the largest ones only in the long run
		if [ -z "${SM_LONG:-}" ] && [ "$bytes" -gt 4000000 ]; then
			continue
		fi
		add_map "corpus/$path" "$CORPUS/$path"
		n_corpus=$((n_corpus + 1))
	done < <(tail -n +2 "$CORPUS/MANIFEST.tsv" | cut -f1,4)
	echo "corpus: $n_corpus maps"
else
	echo "corpus: not found ($CORPUS), vendored and synthetic maps only"
fi
q <<SQL
INSERT INTO app.maps VALUES
 ($((id + 1)), 'synthetic/features', '{"version":3,"file":"min.js","sourceRoot":"src/",
   "sources":["a.js",null,"b.js","c \\"quoted\\" \\u00e9\\ud83d\\ude00.js"],
   "sourcesContent":["line 0\\nline 1\\r\\n  line 2 \\u00e9\\t\\u0001\\n",null,"x",null],
   "names":["foo","bar","","\\u2028"],
   "mappings":"AAAAA,CAAC,EAAEC;;AACA,GCAA,EAAED;ACAE,AAAA,A",
   "ignoreList":[2,3],
   "debugId":"85314830-023f-4cf1-a267-535f4e37bb17"}'),
 ($((id + 2)), 'synthetic/empty', '{"version":3,"sources":[],"names":[],"mappings":""}'),
 ($((id + 3)), 'synthetic/index', '{"version":3,"file":"x.js","sections":[
   {"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"sourcesContent":["a\\nb"],"names":["n"],"mappings":"AAAAA,EAAE"}},
   {"offset":{"line":2,"column":5},"map":{"version":3,"sourceRoot":"r","sources":["b.js"],"names":[],"mappings":"AAAA;AACA"}}]}'),
 ($((id + 4)), 'synthetic/null', NULL);
INSERT INTO app.bundles
	SELECT 1, array_agg(m ORDER BY id) FROM app.maps WHERE name LIKE 'synthetic/%' AND m IS NOT NULL
	UNION ALL SELECT 2, ARRAY[NULL::sourcemap]
	UNION ALL SELECT 3, NULL
	UNION ALL SELECT 4, (SELECT array_agg(m ORDER BY id) FROM app.maps WHERE name LIKE 'vendored/%');
SQL
q -c "SELECT count(*) || ' maps, ' || count(*) FILTER (WHERE pg_column_size(m) > 2000) || ' out of line, '
	|| pg_size_pretty(sum(pg_column_size(m))) || ' stored' FROM app.maps" | sed 's/^/database: /'

# md5 of the binary form of every value, row by row
fingerprint() { # database
	psql -X -q -At -d "$1" -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'maps', id, name, coalesce(md5(sourcemap_send(m)), 'NULL') FROM app.maps
UNION ALL
SELECT 'bundles', b.id, coalesce(e.ord::text, '-'),
	coalesce(md5(sourcemap_send(e.m)), 'NULL')
FROM app.bundles b LEFT JOIN LATERAL unnest(b.ms) WITH ORDINALITY e(m, ord) ON true
ORDER BY 1, 2, 3;
SQL
}
fingerprint smsrc > "$work/src.fp"
rows=$(wc -l < "$work/src.fp")
echo "fingerprint: $rows values"

# same_as_source LABEL DATABASE
same_as_source() {
	fingerprint "$2" > "$work/$1.fp"
	if cmp -s "$work/src.fp" "$work/$1.fp"; then
		ok "$1: all $rows values byte-identical"
	else
		bad "$1: values differ from the source:"
		diff "$work/src.fp" "$work/$1.fp" | head -20
	fi
}

# pg_dump / restore
pg_dump -Fp -f "$work/plain.sql" smsrc
createdb r_plain
psql -X -q -v ON_ERROR_STOP=1 -d r_plain -f "$work/plain.sql" >/dev/null
same_as_source "pg_dump plain, psql" r_plain

pg_dump -Fc -f "$work/custom.dump" smsrc
createdb r_custom
pg_restore --exit-on-error -d r_custom "$work/custom.dump"
same_as_source "pg_dump custom, pg_restore" r_custom

pg_dump -Fd -j 2 -f "$work/dir.dump" smsrc
createdb r_dir
pg_restore --exit-on-error -j 2 -d r_dir "$work/dir.dump"
same_as_source "pg_dump directory -j 2, pg_restore -j 2" r_dir

# the restored values answer like the originals (not only their bytes)
same_answers() {
	psql -X -q -At -d "$1" -v ON_ERROR_STOP=1 <<'SQL'
SELECT id, md5(string_agg(concat_ws('|', r.ord, r.source, r.line, r.col, r.name, r.ignored, f.function), ','
	ORDER BY r.ord))
FROM app.maps, LATERAL sourcemap_lookup(m, ARRAY[0, 0, 0, 1, 5, 100], ARRAY[0, 100, 5000, 7, 3000, 2]) r,
	LATERAL (SELECT (ARRAY[0, 0, 0, 1, 5, 100])[r.ord] AS l, (ARRAY[0, 100, 5000, 7, 3000, 2])[r.ord] AS c) p,
	LATERAL sourcemap_lookup_frame(m, p.l, p.c) f
GROUP BY id ORDER BY id;
SQL
}
same_answers smsrc > "$work/answers.src"
if [ "$(grep -c . "$work/answers.src")" -gt 0 ] && cmp -s "$work/answers.src" <(same_answers r_custom); then
	ok "restored maps give the same lookups and function names"
else
	bad "restored maps give other lookups"
fi

# COPY out and in, every format
for fmt in text csv binary; do
	q -c "\\copy app.maps TO '$work/maps.$fmt' WITH (FORMAT $fmt)"
	q -c "\\copy app.bundles TO '$work/bundles.$fmt' WITH (FORMAT $fmt)"
	createdb "r_copy_$fmt"
	psql -X -q -d "r_copy_$fmt" -v ON_ERROR_STOP=1 <<SQL
CREATE EXTENSION sourcemap;
CREATE SCHEMA app;
CREATE TABLE app.maps (id int PRIMARY KEY, name text NOT NULL, m sourcemap);
CREATE TABLE app.bundles (id int PRIMARY KEY, ms sourcemap[]);
\\copy app.maps FROM '$work/maps.$fmt' WITH (FORMAT $fmt)
\\copy app.bundles FROM '$work/bundles.$fmt' WITH (FORMAT $fmt)
SQL
	same_as_source "COPY $fmt out and in" "r_copy_$fmt"
done
# the text form is the canonical JSON; binary COPY carries the stored bytes
if cmp -s <(q -c "SELECT string_agg(m::text, E'\n' ORDER BY id) FROM app.maps") \
	<(psql -X -At -d r_copy_binary -c "SELECT string_agg(m::text, E'\n' ORDER BY id) FROM app.maps"); then
	ok "binary COPY round trip: same canonical JSON as the source"
else
	bad "binary COPY round trip: canonical JSON differs"
fi

# A future format version: craft binary COPY files by hand (PGCOPY header,
# one tuple with one field, trailer) around a changed binary form.
# wire form = 1 wire version byte + stored form; the format version is the
# u16 at byte 4 of the stored form (byte 5 of the wire form, 0-based).
pgcopy_hex() { # hex of one field -> hex of a PGCOPY file
	local field=$1
	printf '5047434f50590aff0d0a00%08x%08x%04x%08x%s%04x' 0 0 1 $((${#field} / 2)) "$field" 65535
}
hex_to_file() { perl -ne 'chomp; print pack("H*", $_)' > "$1"; }
good=$(q -c "SELECT encode(sourcemap_send(m), 'hex') FROM app.maps WHERE name = 'synthetic/features'")
q -c "CREATE TABLE app.incoming (m sourcemap)"
try_copy() { # label hex-of-field expected-message-regex
	local label=$1 field=$2 expect=$3 out
	pgcopy_hex "$field" | hex_to_file "$work/$label.copy"
	if out=$(q -v VERBOSITY=verbose -c "\\copy app.incoming FROM '$work/$label.copy' WITH (FORMAT binary)" 2>&1); then
		if [ "$expect" = accept ]; then
			ok "$label: accepted"
		else
			bad "$label: accepted, expected an error"
		fi
	elif [ "$expect" != accept ] && echo "$out" | grep -Eq "$expect" && echo "$out" | grep -q 'ERROR:  22P03:'; then
		ok "$label: $(echo "$out" | grep -m1 ERROR | sed 's/^.*ERROR: *//')"
	else
		bad "$label: unexpected outcome: $out"
	fi
}
set_byte() { # hex position(byte) value-hex
	local h=$1 pos=$2 v=$3
	echo "${h:0:$((pos * 2))}$v${h:$((pos * 2 + 2))}"
}
# the version after this build's (little-endian u16 at bytes 5-6 of the wire form)
cur=$(( 16#${good:10:2} + 256 * 16#${good:12:2} ))
next=$((cur + 1))
set_version() { # hex position(byte of the version) version
	set_byte "$(set_byte "$1" "$2" "$(printf '%02x' $(($3 % 256)))")" $(($2 + 1)) "$(printf '%02x' $(($3 / 256)))"
}
try_copy "binary COPY of an unchanged value" "$good" accept
check "the accepted value is the original" \
	test "$(q -c "SELECT count(*) FROM app.incoming i JOIN app.maps s ON sourcemap_send(i.m) = sourcemap_send(s.m) AND s.name = 'synthetic/features'")" = 1
try_copy "format version $next (the next one)" "$(set_version "$good" 5 $next)" "unsupported sourcemap format version $next"
try_copy "format version 65535" "$(set_byte "$(set_byte "$good" 5 ff)" 6 ff)" 'unsupported sourcemap format version 65535'
try_copy "format version 0" "$(set_byte "$good" 5 00)" 'unsupported sourcemap format version 0'
try_copy "wire version 2" "$(set_byte "$good" 0 02)" 'unsupported wire format version 2'
try_copy "wire version 0" "$(set_byte "$good" 0 00)" 'unsupported wire format version 0'
try_copy "empty value" "" 'empty value|invalid binary sourcemap'
check "no rejected value was stored" test "$(q -c 'SELECT count(*) FROM app.incoming')" = 1

# a future version inside an array of maps (array_recv calls the element's
# receive function) is refused too
arr=$(q -c "SELECT encode(array_send(ARRAY[m, m]), 'hex') FROM app.maps WHERE name = 'synthetic/features'")
q -c "CREATE TABLE app.incoming_arr (ms sourcemap[])"
# replace the second element's format version: the element is the last
# field inside the array, so its version byte sits at the same offset from
# the end as in the single value
len=${#good}
pos_from_end=$(( (len / 2) - 5 ))
alen=$((${#arr} / 2))
bad_arr=$(set_version "$arr" $((alen - pos_from_end)) $next)
pgcopy_hex "$bad_arr" | hex_to_file "$work/arr.copy"
if out=$(q -c "\\copy app.incoming_arr FROM '$work/arr.copy' WITH (FORMAT binary)" 2>&1); then
	bad "array with a future-version element: accepted"
elif echo "$out" | grep -q "unsupported sourcemap format version $next"; then
	ok "array with a future-version element: refused ($(echo "$out" | grep -m1 ERROR | sed 's/^.*ERROR: *//'))"
else
	bad "array with a future-version element: unexpected error: $out"
fi

# Whatever recv accepts must survive a dump: a value that claims 2^30
# generated lines while holding one segment (its binary form is ~250 bytes,
# its canonical JSON would be 1 GB of ';').  Either recv refuses it, or
# pg_dump and restore keep it.
build_mutate "$work/mutate"
tiny=$(q -c "SELECT encode(sourcemap_send('{\"version\":3,\"sources\":[\"a.js\"],\"names\":[],\"mappings\":\"AAAA\"}'), 'hex')")
# META (section 0) offset 8: the number of generated lines
huge=$(echo "$tiny" | "$work/mutate" --filter --poke 0,8,1073741824)
createdb smodd
psql -X -q -d smodd -c 'CREATE EXTENSION sourcemap' -c 'CREATE TABLE odd (m sourcemap)'
pgcopy_hex "$huge" | hex_to_file "$work/huge.copy"
if out=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d smodd \
	-c "\\copy odd FROM '$work/huge.copy' WITH (FORMAT binary)" 2>&1); then
	if pg_dump -Fc -f "$work/odd.dump" smodd 2> "$work/odd.err"; then
		createdb r_odd
		pg_restore --exit-on-error -d r_odd "$work/odd.dump" 2>> "$work/odd.err" || true
		if [ "$(psql -X -At -d smodd -c 'SELECT md5(sourcemap_send(m)) FROM odd')" = \
			"$(psql -X -At -d r_odd -c 'SELECT md5(sourcemap_send(m)) FROM odd' 2>/dev/null)" ]; then
			ok "a value claiming 2^30 generated lines: accepted, dumped and restored byte-identical"
		else
			bad "a value claiming 2^30 generated lines: accepted and dumped, but not restored: $(head -3 "$work/odd.err")"
		fi
	else
		bad "a value claiming 2^30 generated lines ($(( ${#huge} / 2 )) bytes) is accepted by recv but cannot be dumped: $(grep -E 'ERROR|error' "$work/odd.err" | tr '\n' ' ')"
	fi
else
	ok "a value claiming 2^30 generated lines: refused by recv: $(echo "$out" | grep -m1 ERROR)"
fi

# The same for a function table (FUNCTIONS section) whose last breakpoint has
# a column past 2^31 - 1, which the JSON form (x_sourcemap_functions) cannot
# hold: recv must refuse it, or the dump must keep it.
le32() { # hex, byte position -> u32
	local h=$1 p=$2
	echo $((16#${h:p*2+6:2}${h:p*2+4:2}${h:p*2+2:2}${h:p*2:2}))
}
fn=$(q -c "SELECT encode(sourcemap_send(sourcemap(
	'{\"version\":3,\"sources\":[\"a.js\"],\"names\":[\"outer\",\"inner\"],\"mappings\":\"AAAAA,SAASC,UAAUD\"}',
	'function o(){function i(){return 1}return i()}')), 'hex')")
# wire byte first: stored offset o is hex byte o + 1; the toc entry of
# section 10 (FUNCTIONS) is at stored offset 32 + 80; the breakpoint count at
# offset 8 of the section, breakpoints (line, col, ref) from offset 16
fsec=$(le32 "$fn" $((1 + 32 + 80)))
nbreak=$(le32 "$fn" $((1 + fsec + 8)))
fbad=$(echo "$fn" | "$work/mutate" --filter --poke 10,$((16 + 12 * (nbreak - 1) + 4)),2147483648)
psql -X -q -d smodd -c 'CREATE TABLE odd_fn (m sourcemap)'
pgcopy_hex "$fbad" | hex_to_file "$work/fn.copy"
if out=$(psql -X -q -v ON_ERROR_STOP=1 -d smodd \
	-c "\\copy odd_fn FROM '$work/fn.copy' WITH (FORMAT binary)" 2>&1); then
	if out=$(psql -X -q -At -d smodd -c 'SELECT sourcemap_in(m::text::cstring) = m FROM odd_fn' 2>&1) && [ "$out" = t ]; then
		ok "a function table with a column of 2^31: accepted, and its JSON reads back to the same value"
	else
		bad "a function table with a column of 2^31 ($nbreak breakpoints) is accepted by recv, but its JSON does not read back (no dump/restore): $out"
	fi
else
	ok "a function table with a column of 2^31: refused by recv: $(echo "$out" | grep -m1 ERROR)"
fi

check "the server still answers" q -c 'SELECT 1' >/dev/null
no_crash_in_log
finish
