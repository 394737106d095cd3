# test/upgrade/indexes.sh -- sourced by releases.sh, after the releases'
# libraries are built: indexes on sourcemap columns that an older release's
# library built, read by the current library after ALTER EXTENSION UPDATE.
# The 0.2.0 library's `=`, btree order and hash work on the stored bytes;
# the current library's work on a digest of the content (stored format 3),
# so an index (or a unique constraint, or hash partitioning) built by the
# old library need not agree with the current one.  This file shows what happens (amcheck, and
# equality searches through each index against a sequential scan), then runs
# the remedy the README gives (REINDEX of the indexes its catalog query
# finds, UPDATE of tables hash-partitioned by a sourcemap column) and checks
# that every index and partition finds every value again.  Release 0.1.0
# had no operator classes (no index possible); its values can be indexed by
# the 0.2.0 library after an update to 0.2.0, so both paths are tested.
# Uses run.sh's q, check, check_value, $work and releases.sh's use_library.

# The README's catalog queries: indexes with a column or expression of an
# operator class of sourcemap, and tables hash-partitioned by one.
SM_INDEXES="SELECT DISTINCT i.indexrelid::regclass::text FROM pg_index i, unnest(i.indclass::oid[]) c(opclass), pg_opclass o
             WHERE o.oid = c.opclass AND o.opcintype = 'sourcemap'::regtype ORDER BY 1"
SM_PARTITIONED="SELECT DISTINCT p.partrelid::regclass::text FROM pg_partitioned_table p, unnest(p.partclass::oid[]) c(opclass), pg_opclass o
                 WHERE p.partstrat = 'h' AND o.oid = c.opclass AND o.opcintype = 'sourcemap'::regtype ORDER BY 1"

# index_maps DB: every vendored map that DB's library accepts, in src(path, map).
index_maps() {
	q -d "$1" <<'SQL'
CREATE TABLE src (path text, map sourcemap);
CREATE TEMP TABLE staging (path text, b64 text);
\copy staging FROM PROGRAM 'cd test/data && find . -name "*.map" | LC_ALL=C sort | while read -r f; do printf "%s\t" "$f"; base64 -w0 "$f"; echo; done'
DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT * FROM staging ORDER BY path LOOP
		BEGIN
			INSERT INTO src VALUES (r.path, convert_from(decode(r.b64, 'base64'), 'UTF8')::text);
		EXCEPTION WHEN others THEN NULL;	-- a map this release refuses
		END;
	END LOOP;
END $$;
SQL
}

# indexed_tables DB: under DB's (old) library, tables of the maps (each
# once, every second one twice more: equal pairs) with a btree index, a hash
# index, a unique constraint and hash partitioning on the sourcemap column.
indexed_tables() {
	q -d "$1" <<'SQL'
CREATE TABLE h (id int PRIMARY KEY, map sourcemap);
INSERT INTO h SELECT row_number() OVER (ORDER BY path), map FROM src;
INSERT INTO h SELECT 1000 * k + id, map FROM h, generate_series(1, 2) k WHERE id % 2 = 0;
CREATE INDEX h_map ON h USING hash (map);
-- a btree entry holds the whole value (at most about 2.7 kB): the small maps
CREATE TABLE bt (id int PRIMARY KEY, map sourcemap);
INSERT INTO bt SELECT * FROM h WHERE pg_column_size(map) <= 2000;
CREATE INDEX bt_map ON bt (map);
CREATE TABLE u (id int PRIMARY KEY, map sourcemap UNIQUE);
INSERT INTO u SELECT min(id), map FROM bt GROUP BY map;
CREATE TABLE p (id int, map sourcemap) PARTITION BY HASH (map);
CREATE TABLE p0 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE p2 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE p3 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO p SELECT * FROM h;
SQL
}

# For every row of table $2: the ids of the rows equal to it, found through
# the map column's index or partition pruning ($3 = index) or by a
# sequential scan of every row with the current `=` ($3 = seq).
EQUAL_IDS="SELECT t.id, (SELECT string_agg(s.id::text, ',' ORDER BY s.id) FROM %s s WHERE s.map = t.map)
             FROM %s t ORDER BY t.id"
equal_ids() {
	local sql
	sql="COPY ($(printf "$EQUAL_IDS" "$2" "$2")) TO STDOUT"
	if [ "$3" = index ]; then
		PGOPTIONS="-c enable_seqscan=off" q -d "$1" -c "$sql"
	else
		PGOPTIONS="-c enable_indexscan=off -c enable_bitmapscan=off -c enable_indexonlyscan=off -c enable_partition_pruning=off" \
			q -d "$1" -c "$sql"
	fi
}

# amcheck DB INDEX: "ok", or amcheck's error.
amcheck() {
	local out
	if out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "SELECT bt_index_check('$2', true)" 2>&1); then
		echo ok
	else
		echo "$out" | grep -m 1 'ERROR'
	fi
}

# duplicates_refused DB: of the current library's own copy of every value
# of u, how many the unique constraint refuses (in a transaction rolled back).
duplicates_refused() {
	q -d "$1" <<'SQL' | grep -v '^$'
BEGIN;
CREATE TEMP TABLE refused (n int);
DO $$
DECLARE r record; n int := 0;
BEGIN
	FOR r IN SELECT id, map FROM u ORDER BY id LOOP
		BEGIN
			INSERT INTO u VALUES (-r.id, r.map::text::sourcemap);
		EXCEPTION WHEN unique_violation THEN n := n + 1;
		END;
	END LOOP;
	INSERT INTO refused VALUES (n);
END $$;
SELECT n || '/' || (SELECT count(*) FROM u WHERE id > 0) FROM refused;
ROLLBACK;
SQL
}

# probe DB TAG: what the current library finds through each index now;
# prints one line per finding to $work/DB.TAG.probe.
probe() {
	local db=$1 tag=$2 t
	{
		echo "btree amcheck: $(amcheck "$db" bt_map)"
		echo "unique amcheck: $(amcheck "$db" u_map_key)"
		for t in bt h u p; do
			equal_ids "$db" "$t" index > "$work/$db.$tag.$t.index"
			equal_ids "$db" "$t" seq > "$work/$db.$tag.$t.seq"
			echo "$t: $(diff "$work/$db.$tag.$t.index" "$work/$db.$tag.$t.seq" | grep -c '^>' || true) of $(wc -l < "$work/$db.$tag.$t.seq") rows' searches differ from a sequential scan"
		done
		echo "unique: duplicates refused $(duplicates_refused "$db")"
	} > "$work/$db.$tag.probe"
	sed "s/^/# $db $tag: /" "$work/$db.$tag.probe"
}

# inconsistent DB NAME: before the remedy, what the probe found must show
# that it is needed (if a later library made the old indexes agree, this
# fails, and the README's "Upgrading" must change with it).
inconsistent() {
	local f="$work/$1.before.probe" name=$2 t
	check_value "$name: before REINDEX, amcheck finds the btree index and the unique constraint's out of order" \
		"$(grep -c -E '^(btree|unique) amcheck: ERROR:  item order invariant violated' "$f")" 2
	for t in h p; do
		check_value "$name: before the remedy, equality searches through $t's $([ $t = h ] && echo 'hash index' || echo 'partition pruning') miss rows" \
			"$(grep "^$t: " "$f" | awk '{ print ($2 > 0) }')" 1
	done
	check_value "$name: before REINDEX, the unique constraint lets a duplicate in" \
		"$(grep '^unique: ' "$f" | awk '{ split($4, a, "/"); print (a[1] < a[2]) }')" 1

	check_value "$name: a unique index that let a duplicate in fails to rebuild (23505)" \
		"$(psql -X -q -v VERBOSITY=verbose -d "$1" 2>&1 <<-'SQL' | grep -c 'ERROR:  23505: could not create unique index "u_map_key"'
			BEGIN;
			INSERT INTO u SELECT -id, map::text::sourcemap FROM u ON CONFLICT DO NOTHING;
			REINDEX INDEX u_map_key;
			ROLLBACK;
			SQL
		)" 1
}

# remedy_and_check DB NAME [CONCURRENTLY]: the README's remedy, then every index and
# partition must find every value as a sequential scan does.
remedy_and_check() {
	local db=$1 name=$2 t n
	check_value "$name: ALTER EXTENSION UPDATE warns, naming the indexes and the hash-partitioned table" \
		"$(grep -c -e 'WARNING:  indexes on sourcemap columns must be rebuilt after this update: bt_map, h_map, u_map_key$' \
		            -e 'WARNING:  tables hash-partitioned by a sourcemap column must have their rows moved to the right partitions after this update: p$' \
		       "$work/$db.update.err")" 2
	check_value "$name: the README's query finds the indexes on sourcemap columns" \
		"$(q -d "$db" -c "$SM_INDEXES" | tr '\n' ' ')" "bt_map h_map u_map_key "
	check_value "$name: the README's query finds the tables hash-partitioned by a sourcemap column" \
		"$(q -d "$db" -c "$SM_PARTITIONED" | tr '\n' ' ')" "p "
	q -d "$db" <<< "SELECT format('REINDEX INDEX${3:+ $3} %s', i) FROM ($SM_INDEXES) s(i) \gexec" > /dev/null
	q -d "$db" <<< "SELECT format('UPDATE %s SET map = map', t) FROM ($SM_PARTITIONED) s(t) \gexec" > /dev/null
	check_value "$name: after REINDEX${3:+ $3}, amcheck of the btree index" "$(amcheck "$db" bt_map)" ok
	check_value "$name: after REINDEX${3:+ $3}, amcheck of the unique constraint's index" "$(amcheck "$db" u_map_key)" ok
	for t in bt h u p; do
		equal_ids "$db" "$t" index > "$work/$db.after.$t.index"
		equal_ids "$db" "$t" seq > "$work/$db.after.$t.seq"
		check "$name: after the remedy, equality searches through $t's index (or pruning) = a sequential scan" \
			"$work/$db.after.$t.index" "$work/$db.after.$t.seq"
	done
	n=$(q -d "$db" -c "SELECT count(*) FROM bt")
	check_value "$name: the searches found every row and its equal ones" \
		"$(awk -F'\t' '{ k += split($2, a, ",") } END { print NR "/" k }' "$work/$db.after.bt.seq")" \
		"$n/$(q -d "$db" -c "SELECT count(*) FROM bt a JOIN bt b ON sourcemap_send(a.map) = sourcemap_send(b.map)")"
	n=$(PGOPTIONS="-c enable_seqscan=off" q -d "$db" -c "EXPLAIN (COSTS OFF) $(printf "$EQUAL_IDS" bt bt)" \
		-c "EXPLAIN (COSTS OFF) $(printf "$EQUAL_IDS" h h)" -c "EXPLAIN (COSTS OFF) $(printf "$EQUAL_IDS" u u)" |
		grep -c -E 'Index (Only )?Scan using (bt_map|h_map|u_map_key)|Bitmap Index Scan on (bt_map|h_map|u_map_key)')
	check_value "$name: the searches go through bt_map, h_map and u_map_key" "$n" 3
	check_value "$name: after REINDEX the unique constraint refuses every duplicate" \
		"$(duplicates_refused "$db")" "$(q -d "$db" -c "SELECT count(*) || '/' || count(*) FROM u")"
}

# index_then_update DB NAME VALUES [CONCURRENTLY]: under the 0.2.0 library
# (DB's now), the indexed tables over DB's values (stored by release
# VALUES); then the current library, the update, and what it finds.
index_then_update() {
	local db=$1 name=$2
	indexed_tables "$db"
	echo "# $3 values indexed by the 0.2.0 library: $(q -d "$db" -c "SELECT format('%s maps; rows: bt %s, h %s, u %s, p %s',
		(SELECT count(*) FROM src), (SELECT count(*) FROM bt), (SELECT count(*) FROM h), (SELECT count(*) FROM u), (SELECT count(*) FROM p))")"
	use_library "$db" '$libdir/sourcemap'
	q -d "$db" -c "ALTER EXTENSION sourcemap UPDATE" 2> "$work/$db.update.err"
	q -d "$db" -c "CREATE EXTENSION amcheck"
	probe "$db" before
	inconsistent "$db" "$name"
	remedy_and_check "$db" "$name" "${4:-}"
}

echo "# indexes on sourcemap columns built by an older library, after the update"
lib010="$work/lib-628bda8/sourcemap.so"
lib020="$work/lib-6c12612/sourcemap.so"

# 0.1.0: no operator class, no index
db=idx_0_1_0
q -d postgres -c "CREATE DATABASE $db"
q -d "$db" -c "CREATE EXTENSION sourcemap VERSION '0.1.0'"
use_library "$db" "$lib010"
index_maps "$db"
for am in btree hash; do
	check_value "0.1.0: no $am index on a sourcemap column can be built" \
		"$(psql -X -q -d "$db" -c "CREATE TABLE t_$am AS SELECT * FROM src; CREATE INDEX ON t_$am USING $am (map)" 2>&1 |
		   grep -c "data type sourcemap has no default operator class for access method \"$am\"")" 1
done
# 0.1.0 values, indexed by the 0.2.0 library after an update to 0.2.0 (its
# step script creates the operators; all functions then call 0.2.0's library)
q -d "$db" -c "ALTER EXTENSION sourcemap UPDATE TO '0.2.0'"
q -d "$db" -c "UPDATE pg_proc SET probin = '$lib020' WHERE oid IN (SELECT objid FROM pg_depend
               WHERE deptype = 'e' AND classid = 'pg_proc'::regclass AND probin IS NOT NULL
                 AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sourcemap'))"
index_then_update "$db" "0.1.0 values indexed by 0.2.0" 0.1.0 CONCURRENTLY

# 0.2.0: its library stores and indexes
db=idx_0_2_0
q -d postgres -c "CREATE DATABASE $db"
q -d "$db" -c "CREATE EXTENSION sourcemap VERSION '0.2.0'"
use_library "$db" "$lib020"
index_maps "$db"
index_then_update "$db" 0.2.0 0.2.0
