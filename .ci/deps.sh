#!/usr/bin/env bash
# .ci/deps.sh -- make sure what the build and the tests need is on this
# machine, installing what is missing (as root, Debian or Ubuntu, apt).
#
# Each need is checked by looking for the thing itself (a header where the
# compiler will look for it, a program on PATH, a program that links), never
# by a package name or a file that happens to come with another package: on
# Debian, pgxs.mk and pg_config come with postgresql-client-NN, while the
# server headers (postgres.h) come with postgresql-server-dev-NN.
#
#   bash .ci/deps.sh [--pg VERSION] NEED...
#
# NEEDs:
#   build     C compiler, make, pg_config, pgxs.mk, postgres.h, zlib.h, libdeflate.h
#   server    the PostgreSQL server, psql and pg_virtualenv
#   valgrind  valgrind
#   python3   python3
#   libpq     libpq-fe.h and a libpq to link (test/hard/mutate.c)
#   fuzz      clang that links a -fsanitize=fuzzer,address,undefined program
#   node      node and npm
#   psycopg   Debian's /usr/bin/python3 imports psycopg (examples/python)
#   package   dpkg-buildpackage and apt-get build-dep (the Debian package)
#   citus     what building Citus from source needs beyond build: lz4.h,
#             zstd.h and their libraries, gssapi/gssapi.h (test/citus only)
#
# The PostgreSQL version is --pg, else $PGV, else the newest server installed,
# else the newest version postgresql-common supports (after installing it).
# Prints one line per need; exits non-zero, saying what, if a need is still
# missing after installing.
set -euo pipefail

pgv=${PGV:-}
needs=()
while [ $# -gt 0 ]; do
	case $1 in
	--pg) pgv=$2; shift 2 ;;
	-*) echo "usage: $0 [--pg VERSION] NEED..." >&2; exit 2 ;;
	*) needs+=("$1"); shift ;;
	esac
done
[ ${#needs[@]} -gt 0 ] || { echo "usage: $0 [--pg VERSION] NEED..." >&2; exit 2; }

apt_updated=
apt_install() {
	[ $# -gt 0 ] || return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing, and not root to install them: $*" >&2
		exit 1
	fi
	if [ -z "$apt_updated" ]; then
		apt-get update -q >/dev/null
		apt_updated=1
	fi
	echo "deps: installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# The version: a server already here, or postgresql-common's newest.
newest_server() {
	ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sed -E 's|.*/postgresql/([0-9]+)/.*|\1|' | sort -n | tail -n 1
}
if [ -z "$pgv" ]; then
	pgv=$(newest_server)
fi
if [ -z "$pgv" ]; then
	[ -x /usr/share/postgresql-common/supported_versions ] || apt_install postgresql-common
	pgv=$(/usr/share/postgresql-common/supported_versions | sort -n | tail -n 1)
fi
pgbin=/usr/lib/postgresql/$pgv/bin
pg_config=$pgbin/pg_config

# has_NEED: 0 when the need is met.  pkgs_NEED: what provides it.
cc_has_header() {	# HEADER [DIR]: the compiler finds #include <HEADER>
	local extra=()
	[ -n "${2:-}" ] && extra=(-I"$2")
	command -v cc >/dev/null &&
		printf '#include <%s>\n' "$1" | cc "${extra[@]}" -E -x c - >/dev/null 2>&1
}
has_compiler() { command -v cc >/dev/null && command -v make >/dev/null && echo 'int main(void){return 0;}' | cc -x c -o /dev/null - 2>/dev/null; }
has_pgconfig() { [ -x "$pg_config" ] && [ -f "$("$pg_config" --pgxs 2>/dev/null)" ]; }
has_pgheaders() { has_pgconfig && [ -f "$("$pg_config" --includedir-server)/postgres.h" ]; }
has_zlib() { cc_has_header zlib.h && echo 'int main(void){return 0;}' | cc -x c -o /dev/null - -lz 2>/dev/null; }
has_libdeflate() { cc_has_header libdeflate.h && echo 'int main(void){return 0;}' | cc -x c -o /dev/null - -ldeflate 2>/dev/null; }
has_build() { has_compiler && has_pgconfig && has_pgheaders && has_zlib && has_libdeflate; }
pkgs_build() {
	local p=()
	has_compiler || p+=(gcc make libc6-dev)
	has_pgconfig || p+=("postgresql-client-$pgv")
	has_pgheaders || p+=("postgresql-server-dev-$pgv")
	has_zlib || p+=(zlib1g-dev)
	has_libdeflate || p+=(libdeflate-dev)
	echo "${p[@]}"
}
has_server() { [ -x "$pgbin/postgres" ] && [ -x "$pgbin/initdb" ] && command -v psql >/dev/null && command -v pg_virtualenv >/dev/null; }
pkgs_server() { echo "postgresql-$pgv" postgresql-common "postgresql-client-$pgv"; }
has_valgrind() { command -v valgrind >/dev/null; }
pkgs_valgrind() { echo valgrind; }
has_python3() { command -v python3 >/dev/null; }
pkgs_python3() { echo python3; }
has_libpq() {
	has_pgconfig && cc_has_header libpq-fe.h "$("$pg_config" --includedir)" &&
		echo 'int main(void){return 0;}' | cc -x c -o /dev/null - -L"$("$pg_config" --libdir)" -lpq 2>/dev/null
}
pkgs_libpq() { echo libpq-dev; }
has_fuzz() {
	command -v clang >/dev/null || return 1
	local t
	t=$(mktemp -d)
	printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){(void)d;(void)n;return 0;}\n' > "$t/f.c"
	clang -fsanitize=fuzzer,address,undefined -o "$t/f" "$t/f.c" >/dev/null 2>&1
	local rc=$?
	rm -rf "$t"
	return $rc
}
pkgs_fuzz() {
	local v
	v=$(apt-cache policy clang 2>/dev/null | sed -n 's/^  Candidate: 1:\([0-9]*\).*/\1/p')
	echo clang "libclang-rt-${v:-14}-dev"
}
has_node() { command -v node >/dev/null && command -v npm >/dev/null; }
pkgs_node() { echo nodejs npm; }
has_psycopg() { /usr/bin/python3 -c 'import psycopg' 2>/dev/null; }
pkgs_psycopg() { echo python3-psycopg; }
has_package() { command -v dpkg-buildpackage >/dev/null && command -v apt-get >/dev/null; }
pkgs_package() { echo dpkg-dev build-essential debhelper; }
has_citus() {
	cc_has_header lz4.h && cc_has_header zstd.h && cc_has_header gssapi/gssapi.h &&
		echo 'int main(void){return 0;}' | cc -x c -o /dev/null - -llz4 -lzstd 2>/dev/null
}
pkgs_citus() { echo liblz4-dev libzstd-dev libkrb5-dev; }

for n in "${needs[@]}"; do
	declare -F "has_$n" >/dev/null || { echo "deps: unknown need '$n'" >&2; exit 2; }
done

# build needs a compiler before the header checks can run: take it first.
if printf '%s\n' "${needs[@]}" | grep -qx build && ! has_compiler; then
	apt_install gcc make libc6-dev
fi
missing=()
for n in "${needs[@]}"; do
	"has_$n" || missing+=($("pkgs_$n"))
done
apt_install "${missing[@]}"

bad=0
for n in "${needs[@]}"; do
	if "has_$n"; then
		echo "deps: $n ok"
	else
		echo "deps: $n still missing after installing $("pkgs_$n")" >&2
		bad=1
	fi
done
[ $bad = 0 ] && echo "deps: PostgreSQL $pgv, $pg_config"
exit $bad
