#!/bin/bash
# test/hard/warnings.sh -- -Wall -Wextra -Werror for the whole build (issue 5,
# point 2).
#
# Builds the extension from scratch in a copy of the tree (so a build in the
# working tree is left alone) and checks the build log: every .c of
# src/core and src/pg is compiled with -Wall -Wextra -Werror, and the build
# prints no warning at all (gcc, and clang for the JIT bitcode when the
# server has it).  Then two canary files, one with a warning of -Wall
# (unused variable) and one with a warning only -Wextra gives (empty body),
# must each make the build fail: the flags are not only present but in
# force, for files added later too (the Makefile takes every .c of the
# layer folders, src/core/core.mk, and of src/pg).
# Needs no server.
set -euo pipefail
HARD_NAME=warnings
. "$(dirname "$0")/lib.sh"
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PGV/bin/pg_config}

work=$(scratch)
trap 'rm -rf "$work"' EXIT
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$REPO" && git ls-files -z | xargs -0 cp --parents -t "$work")
else
	cp -r "$REPO"/. "$work"
fi
cd "$work"
make clean >/dev/null 2>&1 || true

if make -j"$(nproc)" > build.log 2>&1; then
	ok "the extension builds from scratch"
else
	bad "the build fails:"
	grep -E 'error|warning' build.log | head -20
fi

srcs=$(ls src/core/*/*.c src/pg/*.c)
nsrc=$(echo "$srcs" | wc -l)
missing=
for f in $srcs; do
	o=${f%.c}.o
	line=$(grep -E -- "-c -o $o $f\$|-o $o -c $f\$|-c $f -o $o\$" build.log || true)
	if [ -z "$line" ]; then
		missing="$missing $f(not compiled?)"
		continue
	fi
	for flag in -Wall -Wextra -Werror; do
		echo "$line" | grep -qw -- "$flag" || missing="$missing $f($flag)"
	done
done
if [ -z "$missing" ]; then
	ok "all $nsrc C files (src/core and src/pg) compiled with -Wall -Wextra -Werror"
else
	bad "compiled without the flags:$missing"
fi
# the JIT bitcode, when the server is built with LLVM: compiled by clang
nbc=$(grep -cE -- '-emit-llvm' build.log || true)
if [ "$nbc" -gt 0 ]; then
	if grep -E -- '-emit-llvm' build.log | grep -vq -- '-Werror'; then
		echo "  note: the $nbc bitcode files (.bc, for JIT) are compiled by clang without -Werror (PGXS uses its own flags for them)"
	fi
fi
nwarn=$(grep -c 'warning:' build.log || true)
if [ "$nwarn" -eq 0 ]; then
	ok "no warning in the build log (gcc and, for the bitcode, clang; $(wc -l < build.log) lines)"
else
	bad "$nwarn warnings in the build log:"
	grep 'warning:' build.log | head -20
fi

# canaries: each must break the build under -Werror
canary() { # name flag code
	local name=$1 flag=$2 code=$3 out
	printf '%s\n' '#include "base/sm_env.h"' "int sm_canary_$name(int x);" "$code" > "src/core/base/zz_canary_$name.c"
	if make -j"$(nproc)" > "canary_$name.log" 2>&1; then
		bad "canary $name: the build succeeded; $flag is not in force"
	elif grep -q -- "-Werror=$flag" "canary_$name.log"; then
		ok "canary $name: the build fails with [-Werror=$flag]"
	else
		bad "canary $name: the build failed for another reason: $(grep -m2 error "canary_$name.log")"
	fi
	rm -f src/core/base/zz_canary_"$name".{c,o,bc}
}
canary unused "unused-variable" 'int sm_canary_unused(int x) { int unused; return x; }'
canary extra "empty-body" 'int sm_canary_extra(int x) { if (x) ; return x; }'
finish
