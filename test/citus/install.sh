#!/usr/bin/env bash
# test/citus/install.sh -- Citus for test/citus, built from the source archive
# in ../shared/citus (Citus is packaged neither by Debian nor by this project;
# it is test infrastructure only, never a dependency of sourcemap or of its
# package).  When the installed Citus is already that version (citus.so says
# so and citus.control has the archive's default_version), nothing is built.
# Exit status: 0 Citus is installed, 77 the archive is absent (skipped, with a
# message), anything else an error (a checksum that does not match, a failed
# build).
#   bash test/citus/install.sh      (PGV=15; CITUS_REBUILD=1 builds anyway)
set -euo pipefail
cd "$(dirname "$0")/../.."
PGV=${PGV:-15}
version=13.0.5
dir=../shared/citus
archive=$dir/citus-$version.tar.gz
pg_config=/usr/lib/postgresql/$PGV/bin/pg_config

if [ ! -f "$archive" ]; then
	echo "citus: skipped, $archive is absent"
	exit 77
fi
(cd "$dir" && sha256sum --quiet -c SHA256SUMS) || {
	echo "citus: $archive does not match $dir/SHA256SUMS" >&2
	exit 1
}

bash .ci/deps.sh --pg "$PGV" build server citus
pkglibdir=$("$pg_config" --pkglibdir)
control=$("$pg_config" --sharedir)/extension/citus.control
wanted=$(tar -xzOf "$archive" "citus-$version/src/backend/distributed/citus.control" |
	sed -n "s/^default_version = '\(.*\)'/\1/p")

installed() {
	[ -f "$pkglibdir/citus.so" ] && [ -f "$control" ] &&
		grep -qaF "Citus $version on" "$pkglibdir/citus.so" &&
		[ "$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$control")" = "$wanted" ]
}

if installed && [ -z "${CITUS_REBUILD:-}" ]; then
	echo "citus: Citus $version (extension $wanted) already installed, reused"
	exit 0
fi

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
start=$(date +%s)
tar -xzf "$archive" -C "$build"
cd "$build/citus-$version"
# libcurl serves only Citus's anonymous statistics; no LLVM bitcode (JIT
# inlining) either: half the build time, and the tests run with jit = off.
if ! { ./configure --without-libcurl PG_CONFIG="$pg_config" &&
	make -j"$(nproc)" with_llvm=no &&
	make install with_llvm=no; } > "$build/build.log" 2>&1; then
	tail -n 40 "$build/build.log"
	echo "citus: build failed" >&2
	exit 1
fi
cd - > /dev/null
installed || { echo "citus: installed, but not found as Citus $version" >&2; exit 1; }
echo "citus: built and installed Citus $version (extension $wanted) in $(($(date +%s) - start)) s"
