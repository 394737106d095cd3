#!/bin/bash
# bench/compose.sh -- composing real chains of maps (test/data/compose): the
# core's sm_compose beside sm_build of the same composed map, and
# @jridgewell/remapping (node, installed into a temporary folder at the
# version test/data/compose/package.json pins) on the same chains, in one run.
# Results and how to read them: bench/COMPOSE.md.
#   bash bench/compose.sh [REPS]      (default 21)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-21}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chains=(test/data/compose/jquery test/data/compose/toastr test/data/compose/ts3)
# core_mk VAR: the value of VAR in src/core/core.mk (sources, libraries)
core_mk() {
	printf 'CORE_DIR := src/core\ninclude src/core/core.mk\nprint: ; @echo $(%s)\n' "$1" | make -s -f - print
}
srcs=$(core_mk CORE_SRCS)
libs=$(core_mk CORE_LIBS)
cc -std=c99 -O2 -Isrc/core -Ibench -o "$work/compose_bench" bench/compose_bench.c bench/bench_util.c $srcs $libs
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$work/compose_bench" --reps "$reps" "${chains[@]}"
if command -v node >/dev/null && command -v npm >/dev/null; then
	version=$(node -p 'require("./test/data/compose/package.json").dependencies["@jridgewell/remapping"]')
	(cd "$work" && npm install --no-audit --no-fund --loglevel=error "@jridgewell/remapping@$version" >/dev/null)
	node bench/compose_remapping.mjs "$work" "$reps" "${chains[@]}"
else
	echo "# remapping: skipped (no node/npm)"
fi
