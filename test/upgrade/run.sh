#!/usr/bin/env bash
# test/upgrade/run.sh -- every older version of sourcemap that can still be
# installed is installed, given data, upgraded with ALTER EXTENSION sourcemap
# UPDATE, and compared with a fresh CREATE EXTENSION sourcemap (the default
# version) in another database of the same throwaway cluster:
#   - the extension's member objects and their definitions are identical;
#   - maps stored under the old version still read, with the same bytes;
#   - a binary COPY written under the old version loads into the new one;
#   - lookups over every vendored map (test/data), at the golden positions and
#     with every bias, give the same answers before the upgrade, after it, and
#     on the fresh install; so do the other functions.
# Then the values every release's library stored (test/upgrade/releases.sh):
# the library of each release is built from git history, stores the
# vendored maps and answers; the current library must read the same values
# with the same answers (and as the same maps the current library stores),
# and refuse what an unreleased development snapshot stored; indexes,
# unique constraints and hash partitioning on sourcemap columns that the
# 0.2.0 library built are out of step after the update until the README's
# remedy, which is run and checked (test/upgrade/indexes.sh).  That part
# needs a git clone with history (skipped with a message otherwise), gcc and
# zlib's headers; no network.
# Needs the extension installed (make install, or the Debian package) and
# postgresql-common's pg_virtualenv.  Prints "upgrade: N passed, M failed".
#   bash test/upgrade/run.sh            (PGV=15 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
PGV=${PGV:-15}

# Re-run inside a throwaway cluster.
if [ -z "${SOURCEMAP_UPGRADE_VENV:-}" ]; then
	export SOURCEMAP_UPGRADE_VENV=1
	exec pg_virtualenv -t -v "$PGV" bash "$0" "$@"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
passed=0
failed=0

q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# check NAME FILE_A FILE_B: the two outputs must be identical (and not empty).
check() {
	local name=$1 a=$2 b=$3
	if [ ! -s "$a" ]; then
		echo "not ok - $name: no output"
		failed=$((failed + 1))
	elif cmp -s "$a" "$b"; then
		echo "ok - $name ($(wc -l < "$a") lines)"
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		diff -u "$a" "$b" | head -n 40 || true
		failed=$((failed + 1))
	fi
}

# check_value NAME GOT WANT
check_value() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1 ($2)"
		passed=$((passed + 1))
	else
		echo "not ok - $1: got '$2', want '$3'"
		failed=$((failed + 1))
	fi
}

# load_maps DB: every vendored map into maps(path, map).
load_maps() {
	q -d "$1" <<'SQL'
CREATE TABLE maps (path text PRIMARY KEY, map sourcemap);
CREATE TEMP TABLE staging (path text, b64 text);
\copy staging FROM PROGRAM 'cd test/data && find corpus -name "*.map" | LC_ALL=C sort | while read -r f; do printf "%s\t" "$f"; base64 -w0 "$f"; echo; done'
INSERT INTO maps SELECT path, convert_from(decode(b64, 'base64'), 'UTF8')::text FROM staging;
-- the positions to look up: every golden position of every map
CREATE TABLE positions (path text, line int, col int);
\copy positions FROM PROGRAM 'cd test/data/golden && for f in *.tsv; do awk -F"\t" -v m="$(head -n 1 "$f" | cut -d" " -f3)" ''!/^#/ { print m "\t" $1 "\t" $2 }'' "$f"; done'
SQL
}

# Queries whose answers are compared.  The first ones use only functions that
# every version has (0.1.0); the others run on the upgraded and the fresh
# database only.
LOOKUPS="COPY (SELECT p.path, p.line, p.col, b.bias, l.*
  FROM positions p JOIN maps m USING (path),
       unnest(ARRAY['glb', 'lub', 'exact', 'glb_cross_line']) b(bias),
       LATERAL sourcemap_lookup(m.map, p.line, p.col, b.bias) l
 ORDER BY 1, 2, 3, 4) TO STDOUT"
STORED="COPY (SELECT path, md5(sourcemap_send(map)), md5(map::text), length(map::text)
  FROM maps ORDER BY path) TO STDOUT"
OTHERS="COPY (
  SELECT path, 'tokens', md5(string_agg(t::text, ';' ORDER BY ord)) FROM maps,
         sourcemap_tokens(map) WITH ORDINALITY t(gen_line, gen_col, source, line, col, name, ord) GROUP BY path
  UNION ALL
  SELECT path, 'sources', string_agg(s::text, ';' ORDER BY s.idx) FROM maps, sourcemap_sources(map) s GROUP BY path
  UNION ALL
  SELECT path, 'names', md5(string_agg(n::text, ';' ORDER BY n.idx)) FROM maps, sourcemap_names(map) n GROUP BY path
  UNION ALL
  SELECT path, 'info', i::text FROM maps, sourcemap_info(map) i
  UNION ALL
  SELECT path, 'content', md5(string_agg(coalesce(sourcemap_source_content(map, s.idx), '-'), ';' ORDER BY s.idx))
    FROM maps, sourcemap_sources(map) s GROUP BY path
  UNION ALL
  SELECT path, 'debug_id', coalesce(sourcemap_debug_id(map)::text, '-') FROM maps
  ORDER BY 1, 2) TO STDOUT"
NEWER="COPY (
  SELECT m.path, b.*
    FROM maps m, LATERAL (SELECT array_agg(line ORDER BY line, col) AS l, array_agg(col ORDER BY line, col) AS c
                            FROM positions p WHERE p.path = m.path) a,
         LATERAL sourcemap_lookup(m.map, a.l, a.c) b
  UNION ALL
  SELECT path, 0, 'summary', 0, 0, sourcemap_summary(map), NULL FROM maps
  UNION ALL
  SELECT a.path, count(*)::int, 'equal', NULL, NULL, NULL, NULL FROM maps a JOIN maps b ON a.map = b.map GROUP BY a.path
  ORDER BY 1, 2, 3) TO STDOUT"

# The extension's objects, each with its definition, so that any difference
# between an upgraded and a fresh install shows.
OBJECTS="COPY (
WITH members AS (
  SELECT d.classid, d.objid, d.objsubid FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
   WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'sourcemap')
SELECT pg_describe_object(classid, objid, objsubid) AS object,
       coalesce(obj_description(objid, classid::regclass::name), '') AS comment,
       CASE classid
         WHEN 'pg_proc'::regclass THEN
           (SELECT CASE WHEN prokind = 'a' THEN
                     (SELECT format('aggregate(%s) sfunc=%s stype=%s finalfunc=%s parallel=%s',
                                    pg_get_function_arguments(objid), aggtransfn,
                                    format_type(aggtranstype, NULL), aggfinalfn, proparallel)
                        FROM pg_aggregate WHERE aggfnoid = objid)
                   ELSE format('%s cost=%s rows=%s parallel=%s leakproof=%s', pg_get_functiondef(objid),
                               procost, prorows, proparallel, proleakproof) END
              FROM pg_proc WHERE oid = objid)
         WHEN 'pg_type'::regclass THEN
           (SELECT format('len=%s byval=%s type=%s input=%s output=%s receive=%s send=%s align=%s storage=%s relid=%s',
                          typlen, typbyval, typtype, typinput, typoutput, typreceive, typsend, typalign, typstorage,
                          (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                             FROM pg_attribute WHERE attrelid = typrelid AND attnum > 0))
              FROM pg_type WHERE oid = objid)
         WHEN 'pg_operator'::regclass THEN
           (SELECT format('%s(%s,%s) proc=%s com=%s neg=%s rest=%s join=%s hashes=%s merges=%s', oprname,
                          oprleft::regtype, oprright::regtype, oprcode, oprcom::regoperator, oprnegate::regoperator,
                          oprrest, oprjoin, oprcanhash, oprcanmerge)
              FROM pg_operator WHERE oid = objid)
         WHEN 'pg_opclass'::regclass THEN
           (SELECT format('default=%s family=%s ', opcdefault, f.opfname) FROM pg_opclass c JOIN pg_opfamily f ON f.oid = c.opcfamily WHERE c.oid = objid)
           || (SELECT string_agg(x, '; ' ORDER BY x) FROM (
                 SELECT 'op ' || amopstrategy || ' ' || amopopr::regoperator AS x FROM pg_amop a JOIN pg_opclass c
                     ON a.amopfamily = c.opcfamily WHERE c.oid = objid
                 UNION ALL
                 SELECT 'proc ' || amprocnum || ' ' || amproc::regprocedure FROM pg_amproc a JOIN pg_opclass c
                     ON a.amprocfamily = c.opcfamily WHERE c.oid = objid) s)
         WHEN 'pg_cast'::regclass THEN
           (SELECT format('func=%s context=%s method=%s', castfunc::regprocedure, castcontext, castmethod)
              FROM pg_cast WHERE oid = objid)
         ELSE ''
       END AS definition
  FROM members ORDER BY 1) TO STDOUT"

default=$(q -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'sourcemap'")
olds=$(q -d postgres -c "SELECT version FROM pg_available_extension_versions
                           WHERE name = 'sourcemap' AND version <> '$default' ORDER BY version")
echo "default version $default; older versions: $(echo $olds)"
if [ -z "$olds" ]; then
	echo "not ok - no older version of sourcemap is installed"
	failed=$((failed + 1))
fi

echo "# fresh install of $default"
q -d postgres -c "CREATE DATABASE fresh"
q -d fresh -c "CREATE EXTENSION sourcemap"
load_maps fresh
for x in OBJECTS LOOKUPS STORED OTHERS NEWER; do
	q -d fresh -c "${!x}" > "$work/fresh.$x"
done
psql -X -d fresh -c '\dx+ sourcemap' > "$work/fresh.dx"

for old in $olds; do
	db="from_${old//./_}"
	echo "# $old, then ALTER EXTENSION sourcemap UPDATE"
	q -d postgres -c "CREATE DATABASE $db"
	q -d "$db" -c "CREATE EXTENSION sourcemap VERSION '$old'"
	check_value "$old: installed version" "$(q -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'sourcemap'")" "$old"
	load_maps "$db"
	q -d "$db" -c "$LOOKUPS" > "$work/$db.before.LOOKUPS"
	q -d "$db" -c "$STORED" > "$work/$db.before.STORED"
	q -d "$db" -c "\\copy maps TO '$work/$db.maps.bin' (FORMAT binary)"

	q -d "$db" -c "ALTER EXTENSION sourcemap UPDATE"
	check_value "$old: version after update" "$(q -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'sourcemap'")" "$default"
	for x in OBJECTS LOOKUPS STORED OTHERS NEWER; do
		q -d "$db" -c "${!x}" > "$work/$db.after.$x"
	done
	psql -X -d "$db" -c '\dx+ sourcemap' > "$work/$db.dx"

	check "$old: member objects and definitions, upgraded = fresh" "$work/$db.after.OBJECTS" "$work/fresh.OBJECTS"
	check "$old: \\dx+ sourcemap, upgraded = fresh" "$work/$db.dx" "$work/fresh.dx"
	check "$old: maps stored before the update read back the same bytes" "$work/$db.before.STORED" "$work/$db.after.STORED"
	check "$old: stored maps, upgraded = fresh" "$work/$db.after.STORED" "$work/fresh.STORED"
	check "$old: lookups (all maps, golden positions, 4 biases) before = after the update" "$work/$db.before.LOOKUPS" "$work/$db.after.LOOKUPS"
	check "$old: lookups, upgraded = fresh" "$work/$db.after.LOOKUPS" "$work/fresh.LOOKUPS"
	check "$old: tokens, sources, names, info, content, debug id, upgraded = fresh" "$work/$db.after.OTHERS" "$work/fresh.OTHERS"
	check "$old: functions added since $old, upgraded = fresh" "$work/$db.after.NEWER" "$work/fresh.NEWER"

	# a binary COPY written under the old version loads into the fresh install
	q -d fresh -c "CREATE TABLE maps_$db (LIKE maps)"
	q -d fresh -c "\\copy maps_$db FROM '$work/$db.maps.bin' (FORMAT binary)"
	check_value "$old: binary COPY from $old loads into $default, equal to the maps loaded as text" \
		"$(q -d fresh -c "SELECT count(*) FILTER (WHERE a.map = b.map AND sourcemap_send(a.map) = sourcemap_send(b.map)) || '/' || count(*)
		                   FROM maps_$db a FULL JOIN maps b USING (path)")" \
		"$(q -d fresh -c "SELECT count(*) || '/' || count(*) FROM maps")"
done

. test/upgrade/releases.sh

echo "upgrade: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
