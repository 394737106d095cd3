#!/bin/bash
# test/hard/valgrind.sh -- the regression suite against a server running
# under valgrind memcheck (issue 5, point 2).  See test/hard/valgrind.md.
#
# Starts a throwaway cluster (initdb as postgres in a scratch directory, a
# free port, Unix socket only) with the postmaster and every backend under
# valgrind --trace-children=yes, runs pg_regress on the extension's
# regression tests (sql/, expected/) against it, stops it, and reads the
# valgrind logs: any error whose stack passes through sourcemap.so fails the
# run; errors elsewhere in the server (PostgreSQL's own, not suppressed) are
# counted and shown, but do not fail it.
#
#   test/hard/valgrind.sh                      every regression test (slow: minutes)
#   SM_VALGRIND_TESTS="type_io lookup" ...     only these
#   SM_VALGRIND_SUPP=/path/valgrind.supp ...   PostgreSQL's own suppression file too
#                                              (src/tools/valgrind.supp of the server's
#                                              source, e.g. from apt-get source postgresql-15)
#   SM_VALGRIND_KEEP=1 ...                     keep the scratch directory (logs, data)
# Runs as root (the server runs as postgres) or as the postgres user.
set -euo pipefail
HARD_NAME=valgrind
. "$(dirname "$0")/lib.sh"

PGBIN=/usr/lib/postgresql/$PGV/bin
so=$("$PGBIN/pg_config" --pkglibdir)/sourcemap.so
regress=$("$PGBIN/pg_config" --pkglibdir)/pgxs/src/test/regress/pg_regress
command -v valgrind >/dev/null || { echo "valgrind: not installed"; exit 1; }
[ -f "$so" ] || { echo "valgrind: $so not installed (make install)"; exit 1; }

dir=$(mktemp -d /tmp/sm-valgrind.XXXXXX)
chmod 755 "$dir"
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		su postgres -s /bin/bash -c "$1"
	else
		bash -c "$1"
	fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$((20000 + RANDOM % 20000))
cleanup() {
	as_pg "$PGBIN/pg_ctl -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
	[ -n "${SM_VALGRIND_KEEP:-}" ] && { echo "kept $dir"; return; }
	rm -rf "$dir"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb -D '$dir/data' -A trust -U postgres --no-sync -E UTF8 --no-locale >/dev/null"
supp="--suppressions=$HARD_DIR/valgrind-pg.supp"
[ -n "${SM_VALGRIND_SUPP:-}" ] && supp="$supp --suppressions=$SM_VALGRIND_SUPP"
# --error-exitcode is left out on purpose: with it, any error in any process
# (PostgreSQL's own included) ends that process, and the postmaster then
# restarts everything; the logs are read afterwards instead.
vgopts="--quiet --trace-children=yes --track-origins=yes --num-callers=40 --leak-check=no $supp"
echo "valgrind: $(valgrind --version); server on port $port in $dir"
t0=$SECONDS
as_pg "cd '$dir' && nohup valgrind $vgopts --log-file='$dir/vg.%p.log' \
	$PGBIN/postgres -D '$dir/data' -p $port -k '$dir' -c listen_addresses= \
	-c max_connections=10 -c fsync=off -c autovacuum=off > '$dir/server.log' 2>&1 &"
# A hang detector, not a speed check: a server under valgrind on a loaded
# machine may take minutes to accept connections; half an hour means it never will.
for _ in $(seq 1800); do
	pg_isready -q -h "$dir" -p "$port" && break
	sleep 1
done
if ! pg_isready -q -h "$dir" -p "$port"; then
	tail -20 "$dir/server.log"
	bad "the server did not start under valgrind"
	finish
	exit 1
fi
ok "server started under valgrind in $((SECONDS - t0)) s"

tests=${SM_VALGRIND_TESTS:-$(cd "$REPO/sql" && ls *.sql | sed 's/\.sql$//' | tr '\n' ' ')}
mkdir -p "$dir/out"
[ "$(id -u)" = 0 ] && chown postgres "$dir/out"
t0=$SECONDS
set +e
PGHOST=$dir PGPORT=$port PGUSER=postgres "$regress" --inputdir="$REPO" --outputdir="$dir/out" \
	--bindir="$PGBIN" --load-extension=sourcemap --encoding=UTF8 --no-locale \
	--dbname=sm_valgrind $tests > "$dir/regress.out" 2>&1
rc=$?
set -e
sed 's/^/  /' "$dir/regress.out" | grep -vE '^\s*$' | tail -30
if [ "$rc" -eq 0 ]; then
	ok "regression tests under valgrind: $tests ($((SECONDS - t0)) s)"
else
	bad "regression tests under valgrind failed (exit $rc); diffs in $dir/out/regression.diffs"
	head -40 "$dir/out/regression.diffs" 2>/dev/null || true
fi
as_pg "$PGBIN/pg_ctl -D '$dir/data' -m fast -w -t 300 stop" >/dev/null 2>&1 || true

# the valgrind logs: one error per block of "==pid== " lines
awk '
	FNR == 1 { flush() }
	/^==[0-9]+== *$/ { flush(); next }
	/^==[0-9]+== / { blk = blk $0 "\n"; next }
	END { flush() }
	function flush() {
		if (blk ~ /(Invalid|uninitialised|Uninitialised|Mismatched|overlap|Syscall param|Conditional jump|Use of|free\(\))/) {
			if (blk ~ /sourcemap/) {
				ext++
				printf "%s\n", blk > "/dev/stderr"
				# a signature: the kind of error and the first frame in the extension
				n = split(blk, l, "\n"); kind = l[1]; sub(/^==[0-9]+== */, "", kind); fr = ""
				for (i = 2; i <= n; i++) if (l[i] ~ /sourcemap/) { fr = l[i]; sub(/.*: /, "", fr); break }
				sig[kind " in " fr]++
			} else other++
		}
		blk = ""
	}
	END { printf "%d %d\n", ext, other; for (k in sig) printf "%6d  %s\n", sig[k], k > "/dev/fd/3" }' \
	"$dir"/vg.*.log > "$dir/vg.count" 2> "$dir/vg.sourcemap" 3> "$dir/vg.signatures"
read -r n_ext n_other < "$dir/vg.count"
nlogs=$(ls "$dir"/vg.*.log | wc -l)
if [ "${n_ext:-0}" -eq 0 ]; then
	ok "valgrind: no error in sourcemap.so ($nlogs processes traced; ${n_other:-0} errors elsewhere in the server, not the extension's)"
else
	bad "valgrind: $n_ext errors with sourcemap.so on the stack; by kind and first frame in the extension:"
	sort -rn "$dir/vg.signatures"
	echo "  the first one:"
	awk 'NF == 0 {exit} {print "    " $0}' "$dir/vg.sourcemap" | head -40
fi
if [ "${n_other:-0}" -gt 0 ]; then
	echo "  errors outside the extension (first one; add PostgreSQL's valgrind.supp with SM_VALGRIND_SUPP):"
	awk '/^==[0-9]+== *$/ {if (shown) exit} /^==[0-9]+== / && !/sourcemap/ {print "    " $0; shown = 1}' \
		$(grep -l -E 'Invalid|uninitialised|Conditional' "$dir"/vg.*.log | head -1) | head -20
fi
if grep -q 'terminated by signal' "$dir/server.log"; then
	bad "a backend was terminated by a signal under valgrind: $(grep -m1 'terminated by signal' "$dir/server.log")"
else
	ok "no backend terminated by a signal"
fi
finish
