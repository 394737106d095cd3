# test/upgrade/releases.sh -- sourced by run.sh, inside its throwaway
# cluster: the values that the library of every release stored, read by the
# current library.  A stored value is never rewritten by an upgrade, so each
# release's library is built from git history (git archive, make), made the
# library of one database's extension functions (their pg_proc.probin; new
# sessions load it), and stores the vendored maps there; then probin goes
# back to '$libdir/sourcemap' and the current library must read every value
# with the same answers, as the same maps it stores itself (equality, hash,
# binary send), and load the binary COPY the old library wrote.  A
# development snapshot between releases (never released, another layout
# under the same format version) must be refused with 22P03, not misread.
# The extension's objects come from the tree's install scripts, which must
# be each release's own (checked first, against git history; the one edit
# made since, in 0.3.0, is undone before comparing); what is tested after
# that is the stored values, which the type's input and output functions of
# each library make and read.
# Uses run.sh's q, check, check_value, $work, the queries and fresh.*.

# version:commit:sections -- each release's library, and the section count
# its values have (the current layout, format version 2, has 13).
RELEASES="0.1.0:628bda8:10 0.2.0:6c12612:11"
SNAPSHOT=1c418bf	# between 0.1.0 and 0.2.0: ten sections, one stream per field in a block

have_history=1
for c in $(echo "$RELEASES" | tr ' ' '\n' | cut -d: -f2) $SNAPSHOT; do
	git cat-file -e "$c^{commit}" 2>/dev/null || have_history=0
done

# without_stored FILE: FILE less what depends on how the parts were compressed
# (the binary form in STORED, stored sizes in info and summary), as
# FILE.content.  A 0.2.0 value keeps the parts zlib wrote, the current library
# writes them with libdeflate: other bytes, the same map (identity is content).
without_stored() {
	sed -E -e 's/ size=[0-9.]+ [A-Za-z]+/ size=-/' -e 's/^([^\t]*\tinfo\t.*),[0-9]+,([0-9]+)\)$/\1,-,\2)/' "$1" |
		awk -F'\t' -v OFS='\t' 'NF == 4 && $2 ~ /^[0-9a-f]+$/ && length($2) == 32 { $2 = "-" } { print }' > "$1.content"
}

# build_library COMMIT: the extension's shared library at COMMIT, built from
# git history into $work/lib-COMMIT (without the -Werror of its day: a newer
# compiler may warn about old code); prints the path of the .so.
build_library() {
	local dir="$work/lib-$1"
	mkdir -p "$dir"
	git archive "$1" | tar -x -C "$dir"
	make -s -C "$dir" PG_CONFIG="/usr/lib/postgresql/$PGV/bin/pg_config" PG_CFLAGS= -j2 > "$dir/build.log" 2>&1 ||
		{ tail -n 20 "$dir/build.log" >&2; return 1; }
	chmod -R a+rX "$dir"
	echo "$dir/sourcemap.so"
}

# use_library DB SO: the extension functions of DB call SO from the next session on.
use_library() {
	q -d "$1" -c "UPDATE pg_proc SET probin = '$2'
	               WHERE probin = (SELECT probin FROM pg_proc WHERE proname = 'sourcemap_in')
	                 AND oid IN (SELECT objid FROM pg_depend WHERE deptype = 'e' AND classid = 'pg_proc'::regclass
	                                AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sourcemap'))"
}

SECTIONS="SELECT string_agg(DISTINCT get_byte(sourcemap_send(map), 13)::text, ',') FROM maps"
TEXT="COPY (SELECT path, md5(map::text), length(map::text) FROM maps ORDER BY path) TO STDOUT"
# OTHERS without stored_bytes and format_version, which an older layout has other values of
OTHERS_SAME="${OTHERS/i::text/(i.version, i.file, i.source_root, i.debug_id, i.segments, i.generated_lines, i.sources, i.names)::text}"

if [ "$have_history" = 0 ]; then
	echo "# skipped: the releases' libraries (not a git clone with the history of $RELEASES $SNAPSHOT)"
else
	# released scripts keep their released text
	git show 628bda8:sourcemap--0.1.0.sql > "$work/released-0.1.0.sql"
	check "0.1.0: sourcemap--0.1.0.sql is release 0.1.0's" "$work/released-0.1.0.sql" sourcemap--0.1.0.sql
	git show 6c12612:sourcemap--0.1.0--0.2.0.sql > "$work/released-0.2.0-step.sql"
	# undo 0.3.0's edit: three comment lines and OR REPLACE on the batch lookup
	grep -v -e "^-- OR REPLACE: release 0.1.0's own script" -e "^-- 0.1.0 script shipped with 0.2.0 did not" \
		-e "^-- after its release, in 0.3.0: without it" sourcemap--0.1.0--0.2.0.sql |
		sed 's/^CREATE OR REPLACE FUNCTION sourcemap_lookup(map sourcemap, lines int\[\]/CREATE FUNCTION sourcemap_lookup(map sourcemap, lines int[]/' \
		> "$work/tree-0.2.0-step.sql"
	check "0.2.0: sourcemap--0.1.0--0.2.0.sql is release 0.2.0's but for 0.3.0's one edit" \
		"$work/released-0.2.0-step.sql" "$work/tree-0.2.0-step.sql"

	for r in $RELEASES; do
		IFS=: read -r version commit nsect <<< "$r"
		db="release_${version//./_}"
		echo "# release $version (commit $commit): its library stores, the current one reads"
		so=$(build_library "$commit")
		q -d postgres -c "CREATE DATABASE $db"
		q -d "$db" -c "CREATE EXTENSION sourcemap VERSION '$version'"
		use_library "$db" "$so"
		load_maps "$db"
		check_value "$version: the $version library stores $nsect sections" "$(q -d "$db" -c "$SECTIONS")" "$nsect"
		q -d "$db" -c "$LOOKUPS" > "$work/$db.old.LOOKUPS"
		q -d "$db" -c "$OTHERS_SAME" > "$work/$db.old.OTHERS_SAME"
		q -d "$db" -c "$TEXT" > "$work/$db.old.TEXT"
		q -d "$db" -c "\\copy maps TO '$work/$db.old.bin' (FORMAT binary)"
		q -d "$db" -c "COPY (SELECT path, pg_column_size(map) FROM maps ORDER BY path) TO STDOUT" > "$work/$db.old.SIZE"
		# the same values in an inline, compressed column: opened whole, not in slices
		q -d "$db" -c "CREATE TABLE maps_main (LIKE maps); ALTER TABLE maps_main ALTER map SET STORAGE main;
		               INSERT INTO maps_main SELECT * FROM maps"

		use_library "$db" '$libdir/sourcemap'
		if [ "$version" != "$default" ]; then
			q -d "$db" -c "ALTER EXTENSION sourcemap UPDATE"
		fi
		check_value "$version: version now" "$(q -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'sourcemap'")" "$default"
		q -d "$db" -c "COPY (SELECT path, pg_column_size(map) FROM maps ORDER BY path) TO STDOUT" > "$work/$db.new.SIZE"
		check "$version: stored values not rewritten (sizes on disk)" "$work/$db.old.SIZE" "$work/$db.new.SIZE"
		for x in LOOKUPS STORED OTHERS OTHERS_SAME NEWER TEXT; do
			q -d "$db" -c "${!x}" > "$work/$db.new.$x"
		done
		check "$version: lookups (golden positions, 4 biases), $version library = current" "$work/$db.old.LOOKUPS" "$work/$db.new.LOOKUPS"
		check "$version: tokens, sources, names, info, content, debug id, $version library = current" \
			"$work/$db.old.OTHERS_SAME" "$work/$db.new.OTHERS_SAME"
		check "$version: JSON output, $version library = current" "$work/$db.old.TEXT" "$work/$db.new.TEXT"
		check "$version: lookups on $version values = on the current library's" "$work/$db.new.LOOKUPS" "$work/fresh.LOOKUPS"
		# a 0.1.0 value is converted through today's writer: the same bytes; a 0.2.0 one keeps its zlib parts
		if [ "$version" = 0.1.0 ]; then
			same=""
			what="send and output"
			send_cmp="sourcemap_send(a.map) = sourcemap_send(b.map)"
		else
			same=.content
			what="output (send: other bytes, checked below)"
			send_cmp="a.map::text = b.map::text AND sourcemap_send(a.map) <> sourcemap_send(b.map)"
			for f in "$work/$db.new.STORED" "$work/fresh.STORED" "$work/$db.new.OTHERS" "$work/fresh.OTHERS" \
				"$work/$db.new.NEWER" "$work/fresh.NEWER"; do
				without_stored "$f"
			done
		fi
		check "$version: $what of $version values = of the current library's" "$work/$db.new.STORED$same" "$work/fresh.STORED$same"
		check "$version: tokens, sources, names, info (stored size too${same:+, but for 0.2.0}), content = the current library's" \
			"$work/$db.new.OTHERS$same" "$work/fresh.OTHERS$same"
		check "$version: batch lookups, summary, equality = the current library's" "$work/$db.new.NEWER$same" "$work/fresh.NEWER$same"
		# without the cache every lookup converts a 0.1.0 value again: a sample of the positions
		PGOPTIONS="-c sourcemap.cache_size=0" q -d "$db" \
			-c "${LOOKUPS/FROM positions p/FROM (SELECT * FROM positions WHERE (line::bigint + col) % 50 = 0) p}" \
			> "$work/$db.nocache.LOOKUPS"
		awk -F'\t' '($2 + $3) % 50 == 0' "$work/fresh.LOOKUPS" > "$work/$db.nocache.want"
		check "$version: lookups with the cache off (positions with (line + col) % 50 = 0)" \
			"$work/$db.nocache.LOOKUPS" "$work/$db.nocache.want"
		q -d "$db" -c "${OTHERS//FROM maps/FROM maps_main}" > "$work/$db.main.OTHERS"
		[ -z "$same" ] || without_stored "$work/$db.main.OTHERS"
		check "$version: values stored inline and compressed" "$work/$db.main.OTHERS$same" "$work/fresh.OTHERS$same"
		check_value "$version: each value = and hashes as the current library's build of its JSON" \
			"$(q -d "$db" -c "SELECT count(*) FILTER (WHERE map = m AND sourcemap_hash(map) = sourcemap_hash(m)
			                                           AND sourcemap_hash_extended(map, 7) = sourcemap_hash_extended(m, 7))
			                   || '/' || count(*) FROM (SELECT map, map::text::sourcemap AS m FROM maps) s")" \
			"$(q -d "$db" -c "SELECT count(*) || '/' || count(*) FROM maps")"
		check_value "$version: DISTINCT over $version values and the current library's (hash and sort)" \
			"$(q -d "$db" -c "SELECT count(DISTINCT map) FROM (SELECT map FROM maps UNION ALL SELECT map::text::sourcemap FROM maps) s")/$(q -d "$db" -c "SELECT count(*) FROM (SELECT map FROM maps UNION SELECT map::text::sourcemap FROM maps) s")" \
			"$(q -d "$db" -c "SELECT count(*) || '/' || count(*) FROM maps")"

		# binary COPY: written by the old library; and by the current one from the old values
		q -d "$db" -c "\\copy maps TO '$work/$db.new.bin' (FORMAT binary)"
		for f in old new; do
			q -d fresh -c "CREATE TABLE maps_${db}_$f (LIKE maps)"
			q -d fresh -c "\\copy maps_${db}_$f FROM '$work/$db.$f.bin' (FORMAT binary)"
			check_value "$version: binary COPY ($f library writing) loads, equal to the current library's maps ($send_cmp)" \
				"$(q -d fresh -c "SELECT count(*) FILTER (WHERE a.map = b.map AND $send_cmp) || '/' || count(*)
				                   FROM maps_${db}_$f a FULL JOIN maps b USING (path)")" \
				"$(q -d fresh -c "SELECT count(*) || '/' || count(*) FROM maps")"
		done

		# rewriting in the current layout, as the README says
		q -d "$db" -c "UPDATE maps SET map = map::text::sourcemap"
		check_value "$version: rewritten values have 13 sections" "$(q -d "$db" -c "$SECTIONS")" 13
		q -d "$db" -c "$STORED" > "$work/$db.rewritten.STORED"
		check "$version: rewritten values = the current library's" "$work/$db.rewritten.STORED" "$work/fresh.STORED"
	done

	echo "# development snapshot $SNAPSHOT: its values are refused, never misread"
	db=snapshot
	so=$(build_library "$SNAPSHOT")
	q -d postgres -c "CREATE DATABASE $db"
	q -d "$db" -c "CREATE EXTENSION sourcemap VERSION '0.1.0'"
	use_library "$db" "$so"
	load_maps "$db"
	check_value "snapshot: its library stores 10 sections" "$(q -d "$db" -c "$SECTIONS")" 10
	q -d "$db" -c "\\copy maps TO '$work/$db.bin' (FORMAT binary)"
	use_library "$db" '$libdir/sourcemap'
	q -d "$db" -c "ALTER EXTENSION sourcemap UPDATE"
	n=0
	refused=0
	for p in $(q -d "$db" -c "SELECT path FROM maps ORDER BY path"); do
		n=$((n + 1))
		for fn in "sourcemap_info(map)" "sourcemap_lookup(map, 0, 0)" "map::text" "sourcemap_send(map)" "map = map"; do
			if out=$(psql -X -q -At -v VERBOSITY=verbose -d "$db" -c "SELECT $fn FROM maps WHERE path = '$p'" 2>&1); then
				echo "not ok - snapshot: $fn on $p answered: $(echo "$out" | head -c 200)"
				failed=$((failed + 1))
			elif echo "$out" | grep -q "ERROR:  22P03: corrupt sourcemap value: value has the 10 sections of release 0.1.0 but is not a valid 0.1.0 value"; then
				refused=$((refused + 1))
				[ "$refused" = 1 ] && echo "# the error: $(echo "$out" | head -n 1)"
			else
				echo "not ok - snapshot: $fn on $p: $out"
				failed=$((failed + 1))
			fi
		done
	done
	check_value "snapshot: every read of every value refused with 22P03" "$refused" "$((n * 5))"
	q -d fresh -c "CREATE TABLE maps_snapshot (LIKE maps)"
	if out=$(psql -X -q -v VERBOSITY=verbose -d fresh -c "\\copy maps_snapshot FROM '$work/$db.bin' (FORMAT binary)" 2>&1); then
		echo "not ok - snapshot: binary COPY loaded"
		failed=$((failed + 1))
	else
		check_value "snapshot: binary COPY refused with 22P03" \
			"$(echo "$out" | grep -c "ERROR:  22P03: invalid binary sourcemap: value has the 10 sections of release 0.1.0")" 1
	fi

	. test/upgrade/indexes.sh
fi
