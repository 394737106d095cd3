#!/usr/bin/env bash
# examples/run.sh -- run the client examples (examples/python, examples/node)
# in a throwaway cluster, each in a fresh database, and compare each one's
# output with examples/expected.out: both must print exactly the same upload
# report and the same resolved stack trace.
# Needs the extension installed (make install, or the Debian package).
# .ci/deps.sh installs what is missing (psycopg for Debian's /usr/bin/python3,
# node and npm); then npm ci installs the Node example's dependencies
# (package-lock.json).
# Prints "examples: N passed, M failed".
#   bash examples/run.sh            (PGV=15 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
PGV=${PGV:-15}
PYTHON=/usr/bin/python3

if [ -z "${SOURCEMAP_EXAMPLES_VENV:-}" ]; then
	bash .ci/deps.sh --pg "$PGV" server psycopg node
	echo "python: $("$PYTHON" --version) with psycopg $("$PYTHON" -c 'import psycopg; print(psycopg.__version__)')"
	echo "node: $(node --version), npm $(npm --version)"
	(cd examples/node && npm ci --no-audit --no-fund --loglevel=error)
	export SOURCEMAP_EXAMPLES_VENV=1
	exec pg_virtualenv -t -v "$PGV" bash "$0" "$@"
fi

mkdir -p examples/results
passed=0
failed=0
run() {
	local name=$1
	shift
	rm -f "examples/results/$name.out" "examples/results/$name.diff"
	createdb "example_$name"
	if PGDATABASE="example_$name" "$@" > "examples/results/$name.out" 2>&1 &&
		diff -u examples/expected.out "examples/results/$name.out" > "examples/results/$name.diff"; then
		echo "ok - $name example: output equals examples/expected.out"
		passed=$((passed + 1))
	else
		echo "not ok - $name example:"
		if [ -s "examples/results/$name.diff" ]; then cat "examples/results/$name.diff"; else cat "examples/results/$name.out"; fi
		failed=$((failed + 1))
	fi
}
run python "$PYTHON" examples/python/symbolicate.py
run node node examples/node/symbolicate.js
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
