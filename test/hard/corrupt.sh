#!/bin/bash
# test/hard/corrupt.sh -- corrupted binary values through recv (issue 5, point 3).
#
# Takes the binary form (sourcemap_send) of the vendored maps, of a few
# synthetic ones (debugId, ignoreList, null sources and contents, thousands
# of names, an index map, function tables) and of corpus maps when
# ../shared is present,
# mutates them (mutate.c: bit flips, edge bytes, header/toc/index fields set
# to huge or off-by-one values, truncation, extension, swapped sections,
# damaged and re-deflated blocks, string chunks and contents) and sends each
# mutant to the server as a binary parameter of type sourcemap, so that
# sourcemap_recv reads it.  Every mutant must be rejected with SQLSTATE class
# 22 or 54, or be accepted and then survive every function of the extension
# (battery.sql), in memory and stored out of line.  The backend must survive
# everything on the same connection, and the server log must show no crash.
#
#   test/hard/corrupt.sh            20,000 mutants (default, CI)
#   SM_LONG=1 test/hard/corrupt.sh  200,000 mutants (SM_MUTANTS=N to choose)
#   SM_SEED=S                       another sequence of mutants (default 1)
# Replay a saved failing mutant: mutate --replay FILE (see the output).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hard_env "$@"

if [ -n "${SM_MUTANTS:-}" ]; then
	count=$SM_MUTANTS
elif [ -n "${SM_LONG:-}" ]; then
	count=200000
else
	count=20000
fi
seed=${SM_SEED:-1}
work=$(scratch)
trap 'rm -rf "$work"' EXIT

build_mutate "$work/mutate"

q <<'SQL'
CREATE EXTENSION sourcemap;
SQL
q -f "$HARD_DIR/battery.sql"

# seeds: vendored maps
load_seed() { # name file
	q -v name="$1" -v file="$2" <<'SQL'
\set content `cat :'file'`
INSERT INTO hard_seed VALUES (:'name', :'content');
SQL
}
for f in toastr@2.1.4/toastr.js.map @sentry/browser@11.12.0/globalhandlers.js.map \
	jquery@4.0.0/jquery.min.map leaflet@1.9.4/leaflet.js.map; do
	load_seed "vendored/$f" "$REPO/test/data/corpus/$f"
done
# maps with a function table (FUNCTIONS section), from their generated code
load_seed_js() { # name map js
	q -v name="$1" -v file="$2" -v js="$3" <<'SQL'
\set content `cat :'file'`
\set code `cat :'js'`
INSERT INTO hard_seed VALUES (:'name', sourcemap(:'content', :'code'));
SQL
}
load_seed_js "functions/toastr" "$REPO/test/data/corpus/toastr@2.1.4/toastr.js.map" \
	"$REPO/test/data/corpus/toastr@2.1.4/toastr.min.js"
load_seed_js "functions/globalhandlers" "$REPO/test/data/corpus/@sentry/browser@11.12.0/globalhandlers.js.map" \
	"$REPO/test/data/corpus/@sentry/browser@11.12.0/globalhandlers.js"
# synthetic maps with the features the real ones lack
q <<'SQL'
INSERT INTO hard_seed VALUES
 ('synthetic/features', '{"version":3,"file":"min.js","sourceRoot":"src/",
   "sources":["a.js",null,"b.js","c.js"],
   "sourcesContent":["line 0\nline 1\n  line 2 é\n",null,"x",null],
   "names":["foo","bar",""],
   "mappings":"AAAAA,CAAC,EAAEC;;AACA,GCAA,EAAED;ACAE,AAAA,A",
   "ignoreList":[2,3],
   "debugId":"85314830-023f-4cf1-a267-535f4e37bb17"}'),
 ('synthetic/empty', '{"version":3,"sources":[],"names":[],"mappings":""}'),
 ('synthetic/index', '{"version":3,"file":"x.js","sections":[
   {"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"sourcesContent":["a\nb"],"names":["n"],"mappings":"AAAAA,EAAE"}},
   {"offset":{"line":2,"column":5},"map":{"version":3,"sourceRoot":"r","sources":["b.js"],"names":[],"mappings":"AAAA;AACA"}}]}'),
 ('synthetic/many-names',
   (SELECT format('{"version":3,"sources":["big.js"],"sourcesContent":[%s],"names":[%s],"mappings":"%s"}',
		to_json(string_agg('line ' || g || ' ' || repeat('x', g % 50), E'\n')),
		string_agg(format('"name_%s"', g), ','),
		repeat('AAAAA,EAAEC,EAAEC;', 3000))
	FROM generate_series(0, 6100) g));
SQL
n_corpus=0
if corpus_present; then
	for f in rxjs@7.8.2/rxjs.umd.min.js.map @microsoft/signalr@10.0.11/signalr.js.map \
		angular@1.8.3/angular.min.js.map synthetic/sourceroot-url/leaflet.js.map; do
		if [ -f "$CORPUS/$f" ]; then
			load_seed "corpus/$f" "$CORPUS/$f"
			n_corpus=$((n_corpus + 1))
		fi
	done
	echo "corpus: $n_corpus maps from $CORPUS"
else
	echo "corpus: not found ($CORPUS), vendored and synthetic seeds only"
fi

# the seeds themselves pass the battery (the checks are sound)
while IFS='|' read -r name result; do
	if [ "$result" = "ok" ]; then
		ok "seed $name passes every function"
	else
		bad "seed $name: $result"
	fi
done < <(q 2>&1 <<'SQL' | sed -n "s/^\(psql:[^ ]* \)\?NOTICE:  //p"
DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT name FROM hard_seed ORDER BY name LOOP
		BEGIN
			PERFORM hard_battery(m, sourcemap_send(m), NULL) FROM hard_seed WHERE name = r.name;
			INSERT INTO hard_mut SELECT m FROM hard_seed WHERE name = r.name;
			PERFORM hard_battery(NULL, sourcemap_send(m), 'hard_mut') FROM hard_seed WHERE name = r.name;
			DELETE FROM hard_mut;
			RAISE NOTICE '%|ok', r.name;
		EXCEPTION WHEN OTHERS THEN
			RAISE NOTICE '%|% %', r.name, SQLSTATE, SQLERRM;
		END;
	END LOOP;
END $$;
SQL
)

echo "mutating: $count mutants, seed $seed"
mkdir -p "$work/fail"
set +e
"$work/mutate" --count "$count" --seed "$seed" --out "$work/fail" | tee "$work/mutate.out"
rc=${PIPESTATUS[0]}
set -e
summary=$(grep '^mutants:' "$work/mutate.out" || true)
case $rc in
	0) ok "every mutant rejected cleanly or handled by every function: $summary" ;;
	1) bad "some mutants were not handled: $summary" ;;
	*) bad "the server crashed or the client failed (exit $rc)" ;;
esac
if [ "$rc" -ne 0 ] && ls "$work/fail"/*.bin >/dev/null 2>&1; then
	keep=${SM_KEEP:-/tmp/sm-hard-corrupt-failures}
	mkdir -p "$keep"
	cp "$work/fail"/*.bin "$keep/"
	cp "$work/mutate" "$keep/"
	echo "failing mutants kept in $keep; replay one in a database with the extension and"
	echo "test/hard/battery.sql loaded: $keep/mutate --replay $keep/fail-N.bin"
fi
accepted=$(sed -n 's/^mutants: .* \([0-9]*\) accepted.*/\1/p' "$work/mutate.out")
if [ -n "$accepted" ] && [ "$accepted" -gt 0 ]; then
	ok "some mutants got past validation and exercised the readers ($accepted)"
else
	bad "no mutant was accepted: the mutations do not reach the readers"
fi
check "the server still answers" q -c 'SELECT 1' >/dev/null
no_crash_in_log
finish
