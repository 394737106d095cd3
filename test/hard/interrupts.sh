#!/bin/bash
# test/hard/interrupts.sh -- statement_timeout and pg_cancel_backend end the
# extension's long calls with 57014, and the session keeps working.
#
# The statements are in interrupts.tsv: parses (cast, sourcemap_in,
# sourcemap_is_valid, gzip bytes, with generated JavaScript), binary input
# through sourcemap_recv, output, tokens, batch and LATERAL lookups, reverse
# lookups, context lines, sourcemap_references, sourcemap_parse_stack and
# sourcemap_compose.
# Each is long by construction (a million whole-map calls, 10^12 lookups or
# an endless COPY stream): none could end on its own in a day on any machine.
# So a 57014 proves that the interrupt stopped it long before its natural
# end; nothing here measures time.  Each statement runs twice, in a fresh
# session each time:
#   - under statement_timeout = 1 s;
#   - cancelled with pg_cancel_backend from a second session, once
#     pg_stat_activity shows it active;
# and must end with SQLSTATE 57014 and the matching message, after which
# the same session must give the same answer (the view `answer`: a parse,
# lookups, a batch, a reverse lookup, context lines) as before any
# interrupt.  How soon after the interrupt a call ends is a benchmark
# figure (bench/, "interrupts"), not a pass/fail threshold.
#
# The map is the largest corpus map (babylonjs, 30 MB) with ../shared, a
# synthetic one of 200,000 generated lines without (SM_SHARED=/nonexistent
# forces it).
#
# Not tested: a map sent as a statement literal is scanned by PostgreSQL's
# lexer before the extension is called, and that scan does not look at
# interrupts; a timeout or cancel during it takes effect when it ends.
# That is PostgreSQL's behaviour, documented in the README.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hard_env "$@"

# The one time bound, a hang detector: a statement still running this many
# seconds after its timeout or cancel means the interrupt was lost (a loop
# that never polls), which would otherwise hang the script for hours.  It
# is far beyond any plausible delay, so it never decides pass or fail by
# speed; the delays themselves are measured in bench/.
hang=${SM_HANG_SECONDS:-300}

work=$(scratch)
trap 'rm -rf "$work"' EXIT
chmod 1777 "$work"   # the server writes the binary COPY file here
big="$CORPUS/babylonjs@9.35.0/babylon.js.map"

q -c 'CREATE EXTENSION sourcemap'
if [ -f "$big" ]; then
	echo "large map: $big ($(stat -c %s "$big") bytes)"
	cp "$big" "$work/big.json"
else
	echo "large map: corpus not found ($CORPUS); a synthetic map of 200,000 lines"
	q -o "$work/big.json" <<'SQL'
SELECT format('{"version":3,"file":"big.js","sources":[%s],"sourcesContent":[%s],"names":[%s],"mappings":"%s"}',
	(SELECT string_agg(format('"src/file%s.js"', g), ',') FROM generate_series(0, 99) g),
	(SELECT string_agg(to_json((SELECT string_agg(md5((g * 1000 + h)::text), E'\n')
		FROM generate_series(1, 200) h))::text, ',') FROM generate_series(0, 99) g),
	(SELECT string_agg(format('"n%s"', g), ',') FROM generate_series(0, 9999) g),
	repeat('AACAA,SCAQC,QCAQC,UFAUF;', 200000));
SQL
fi
gzip -c "$work/big.json" > "$work/big.json.gz"
chmod 644 "$work/big.json" "$work/big.json.gz"
q -v json="$work/big.json" -v gz="$work/big.json.gz" -v dir="$work" -f "$HARD_DIR/interrupts_setup.sql" >/dev/null
echo "map: $(q -c 'SELECT sourcemap_summary(m) FROM bigm')"
expected=$(q -c 'SELECT * FROM answer')

# The workloads: the psql lines run before each (no tab), then name/SQL pairs.
prelude=
names=()
queries=()
while IFS= read -r line; do
	case "$line" in '#'* | '') continue ;; esac
	if [[ "$line" == *$'\t'* ]]; then
		names+=("${line%%$'\t'*}")
		queries+=("${line#*$'\t'}")
	else
		prelude+="$line"$'\n'
	fi
done < "$HARD_DIR/interrupts.tsv"

# psql input: a workload after SETUP, then the answer
victim_sql() {
	local setup=$1 query=$2
	echo '\set VERBOSITY verbose'
	printf '%s' "$prelude"
	echo "$setup"
	echo "/* sm_victim */ $query;"
	echo 'RESET statement_timeout;'
	echo "SELECT 'answer', * FROM answer;"
}

# Long by construction, checked without a clock: with the repetition
# counts set to 3, each statement ends normally and calls the extension's
# function exactly 3 times (track_functions), so with a million or 10^12
# it makes that many calls.  recv is left out: its input never ends.
for i in "${!names[@]}"; do
	[ "${names[$i]}" = recv ] && continue
	calls=$({
		printf '%s' "$prelude"
		echo '\set reps 3'
		echo '\set lookups 3'
		echo "SET track_functions = 'all';"
		echo 'SELECT pg_stat_force_next_flush();'
		echo 'SELECT pg_stat_clear_snapshot();'
		echo "CREATE TEMP TABLE calls0 AS SELECT funcid, calls FROM pg_stat_user_functions;"
		echo "${queries[$i]};"
		echo 'SELECT pg_stat_force_next_flush();'
		echo 'SELECT pg_stat_clear_snapshot();'
		echo "SELECT 'calls', sum(f.calls - coalesce(c.calls, 0)) FROM pg_stat_user_functions f
			LEFT JOIN calls0 c USING (funcid) WHERE f.funcname LIKE 'sourcemap%';"
	} | q 2>&1 | sed -n 's/^calls|//p')
	if [ "$calls" = 3 ]; then
		ok "${names[$i]}: with 3 repetitions, 3 calls of the extension"
	else
		bad "${names[$i]}: with 3 repetitions, '$calls' calls of the extension (3 expected)"
	fi
done

# wait_victim PID LABEL: wait for the victim psql; past the hang detector,
# end its backend so that the script goes on, and report the hang
wait_victim() {
	local pid=$1 label=$2 n=0
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$n" -ge "$((hang * 10))" ]; then
			bad "$label: still running ${hang}s after the interrupt (hang detector): the interrupt was lost"
			q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE application_name = 'sm_victim_$label'" >/dev/null
			wait "$pid" || true
			return 1
		fi
		sleep 0.1
		n=$((n + 1))
	done
	wait "$pid" || true
}

# verdict LABEL MESSAGE: the statement ended with 57014 and MESSAGE, no
# other error came first, and the session then gave the expected answer
verdict() {
	local label=$1 message=$2 out=$work/$1.out first
	first=$(grep -m1 'ERROR:' "$out" || true)
	if [[ "$first" != *"ERROR:  57014: $message"* ]]; then
		bad "$label: expected 57014 ($message), got: ${first:-no error, the statement ended}"
	elif ! grep -qx "answer|$expected" "$out"; then
		bad "$label: 57014, but the session did not give the expected answer afterwards: $(tail -3 "$out" | tr '\n' ' ')"
	else
		ok "$label: 57014 $message; the session answers as before"
	fi
}

# by_timeout NAME QUERY
by_timeout() {
	local label="$1-timeout" pid
	victim_sql 'SET statement_timeout = 1000;' "$2" > "$work/$label.sql"
	PGAPPNAME=sm_victim_$label psql -X -At -f "$work/$label.sql" > "$work/$label.out" 2>&1 &
	pid=$!
	wait_victim "$pid" "$label" && verdict "$label" 'canceling statement due to statement timeout'
}

# by_cancel NAME QUERY
by_cancel() {
	local label="$1-cancel" pid vpid= n=0
	victim_sql '' "$2" > "$work/$label.sql"
	PGAPPNAME=sm_victim_$label psql -X -At -f "$work/$label.sql" > "$work/$label.out" 2>&1 &
	pid=$!
	# the statement is under way once its backend shows it active
	while [ -z "$vpid" ] && kill -0 "$pid" 2>/dev/null && [ "$n" -lt "$((hang * 10))" ]; do
		vpid=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'sm_victim_$label'
			AND state = 'active' AND query LIKE '/* sm_victim */%'")
		[ -n "$vpid" ] || { sleep 0.1; n=$((n + 1)); }
	done
	if [ -z "$vpid" ]; then
		bad "$label: the statement never showed as active: $(grep -m1 'ERROR' "$work/$label.out" || tail -1 "$work/$label.out")"
		kill "$pid" 2>/dev/null || true
		wait "$pid" || true
		return
	fi
	# A moment into the statement, so the cancel most likely lands in the
	# extension's work (all of it but the first milliseconds); where it
	# lands does not change what is checked.
	sleep 0.3
	if [ "$(q -c "SELECT pg_cancel_backend($vpid)")" != t ]; then
		bad "$label: pg_cancel_backend($vpid) found no such backend"
	fi
	wait_victim "$pid" "$label" && verdict "$label" 'canceling statement due to user request'
}

for i in "${!names[@]}"; do
	by_timeout "${names[$i]}" "${queries[$i]}"
	by_cancel "${names[$i]}" "${queries[$i]}"
done

check "the server still answers" q -c 'SELECT 1' >/dev/null
no_crash_in_log
finish
