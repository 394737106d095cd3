# test/citus/crash.sh -- sourced by test/citus/run.sh: worker1 fails in the
# middle of the page's backlog statement.  A session on worker1 locks one of
# its shards of public.resolved_frames, so the statement's task there waits;
# once worker1 shows that task waiting (pg_stat_activity), worker1 is
# stopped at once (a crash), then started again.  The statement must fail
# with an error, and no shard may keep any row of it.  Waits are for states,
# never for a time (each bounded, so that a broken run ends).

# wait_for NODE QUERY PID: until QUERY (a count) is over 0 on NODE, while
# the background process PID, whose work is awaited, still runs.
wait_for() {
	local i
	for i in $(seq 1 1200); do
		[ "$(psql_node "$1" -At -c "$2" 2>/dev/null || echo 0)" -gt 0 ] 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || break
		sleep 0.25
	done
	record "worker crash: waiting on $1" f "gave up waiting for: $2"
	report
	exit 1
}

sql "empty the backlog" "TRUNCATE public.resolved_frames"
crash_shard=$(psql_node coordinator -At -c "SELECT shard_name FROM citus_shards
	WHERE table_name = 'public.resolved_frames'::regclass AND nodeport = $(node_port worker1) ORDER BY shardid LIMIT 1")
psql_node worker1 -c "SET citus.enable_manual_changes_to_shards = on; BEGIN; LOCK TABLE public.$crash_shard IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)" \
	> /dev/null 2>&1 &
holder=$!
wait_for worker1 "SELECT count(*) FROM pg_locks WHERE relation = 'public.$crash_shard'::regclass
	AND mode = 'AccessExclusiveLock' AND granted" "$holder"
psql_node coordinator -v ON_ERROR_STOP=1 -f "$work/block3.sql" > "$work/crash.out" 2>&1 &
runner=$!
wait_for worker1 "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO public.resolved_frames%'
	AND wait_event_type = 'Lock'" "$runner"
node_stop worker1 immediate
crash_status=0
wait "$runner" || crash_status=$?
wait "$holder" 2>/dev/null || true
holder=
node_start worker1
cat "$work/crash.out" >> "$log"
name="worker crash: the backlog statement waiting on worker1 fails cleanly when worker1 stops"
if [ "$crash_status" -ne 0 ] && grep -q 'ERROR' "$work/crash.out"; then
	record "$name" t "$(grep -m1 ERROR "$work/crash.out")"
else
	record "$name" f "psql status $crash_status"
fi
phase "worker crash: nothing half-written" -c "SELECT recover_prepared_transactions()" -c "
	SELECT t.check('worker crash: no row of the failed statement on any shard, no prepared transaction left',
	               sum(result::bigint) = 0 AND bool_and(success)
	               AND (SELECT sum(result::int) FROM run_command_on_workers('SELECT count(*) FROM pg_prepared_xacts')) = 0,
	               format('%s rows on %s shards', sum(result::bigint), count(*)))
	  FROM run_command_on_shards('public.resolved_frames', 'SELECT count(*) FROM %s')"
