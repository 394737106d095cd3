#!/bin/bash
# test/limits/run.sh -- the large named limits at and past their values
# (large.sql), compared with large.out.  Needs a server with the extension
# installed:  pg_virtualenv test/limits/run.sh
set -euo pipefail
cd "$(dirname "$0")"
psql -X -q -c 'DROP EXTENSION IF EXISTS sourcemap CASCADE' -c 'CREATE EXTENSION sourcemap'
psql -X -a -q -f large.sql > "${TMPDIR:-/tmp}/sm_limits_large.out" 2>&1
if diff -u large.out "${TMPDIR:-/tmp}/sm_limits_large.out"; then
	echo "limits: 1 passed, 0 failed"
else
	echo "limits: 0 passed, 1 failed"
	exit 1
fi
