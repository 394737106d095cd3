# test/hard/lib.sh -- sourced by the scripts of test/hard.
#
# hard_env "$@"  re-runs the calling script inside a throwaway cluster
#                (pg_virtualenv -t: its own directory, a free port, the
#                server running as postgres, dropped at the end) unless it
#                already runs in one that hard_env made.
# ok/bad/check   count results; finish prints "<name>: N passed, M failed"
#                and exits non-zero on any failure.
# server_log     path of the throwaway cluster's server log;
#                no_crash_in_log checks it for backends killed by a signal.

PGV=${PGV:-15}
HARD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HARD_DIR/../.." && pwd)
SHARED=${SM_SHARED:-$REPO/../shared}
CORPUS=$SHARED/oracle/corpus
HARD_PASS=0
HARD_FAIL=0
HARD_NAME=$(basename "$0" .sh)

hard_env() {
	if [ -z "${SM_HARD_ENV:-}" ]; then
		export SM_HARD_ENV=1
		# a random free port: clusters made at the same time by other test
		# runs would otherwise race for the same "next free" one
		local port i
		for i in $(seq 50); do
			port=$((20000 + RANDOM % 20000))
			[ -e "/var/run/postgresql/.s.PGSQL.$port" ] && continue
			(echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
			break
		done
		PGPORT=$port exec pg_virtualenv -t -v "$PGV" ${SM_HARD_PGOPTS:-} "$0" "$@"
	fi
	export PATH=/usr/lib/postgresql/$PGV/bin:$PATH
}

ok() {
	HARD_PASS=$((HARD_PASS + 1))
	echo "ok   - $*"
}

bad() {
	HARD_FAIL=$((HARD_FAIL + 1))
	echo "FAIL - $*"
}

# check "description" command...: ok when the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

finish() {
	echo "$HARD_NAME: $HARD_PASS passed, $HARD_FAIL failed"
	[ "$HARD_FAIL" -eq 0 ]
}

server_log() {
	local f
	for f in "${PG_CLUSTER_CONF_ROOT%/postgresql}/log/postgresql-$PGV-regress.log" \
		"/var/log/postgresql/postgresql-$PGV-regress.log"; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
	echo /dev/null
}

no_crash_in_log() {
	local log
	log=$(server_log)
	if grep -E 'terminated by signal|was terminated by exception|server process .* exited with exit code [^0]|PANIC:|TRAP:' "$log"; then
		bad "server log $log: a backend crashed (lines above)"
	else
		ok "server log: no backend terminated by a signal, no PANIC ($(wc -l < "$log") lines checked)"
	fi
}

# psql, quiet, stop at the first error, unaligned tuples only
q() {
	psql -X -q -At -v ON_ERROR_STOP=1 "$@"
}

# the vendored maps, then the shared corpus maps named in $@ when present
corpus_present() {
	[ -f "$CORPUS/MANIFEST.tsv" ]
}

# a world-readable scratch directory (the server runs as postgres)
scratch() {
	local d
	d=$(mktemp -d /tmp/sm-hard.XXXXXX)
	chmod 755 "$d"
	echo "$d"
}

# build_mutate OUT: the mutant client (mutate.c), linked with the core's
# content digest so that it can recompute a mutant's digest.
build_mutate() {
	local core=$HARD_DIR/../../src/core
	gcc -O2 -Wall -Wextra -Werror -I"$(pg_config --includedir)" -I"$core" -o "$1" \
		"$HARD_DIR/mutate.c" "$core"/base/sm_hash.c "$core"/base/sm_buf.c "$core"/base/sm_env.c \
		"$core"/format/sm_digest.c -lpq -ldeflate -lz
}
