#!/bin/bash
# test/hard/privileges.sh -- the extension is safe as trusted (issue 5, point 8).
#
#  - sourcemap.control says trusted = true; a database owner who is not a
#    superuser installs the extension; its objects belong to the bootstrap
#    superuser, so that owner cannot redefine them; none is SECURITY DEFINER.
#  - An unprivileged role calls every function of the extension (counted
#    with track_functions = all): nothing needs superuser.
#  - No file, network, process or SQL access from the C code: the glue and
#    the core are grepped for such calls, and the shared library's undefined
#    symbols are checked against a deny list.
#  - The install scripts (the released ones, each step script, and the
#    current version's sourcemap.sql): CREATE OR REPLACE only in a step
#    script and only of a function an earlier script created, as
#    PostgreSQL's rules for extension scripts allow (it then is a member of
#    the extension, so nothing planted can be replaced); SQL-language
#    function bodies refer to functions, operators and types only
#    schema-qualified (@extschema@. or pg_catalog.), except a body that a
#    later step script replaces; every unqualified reference is reported as
#    file:line.
#  - A hostile role with CREATE on the target schema plants look-alike
#    functions and operators there (and in a schema of its own) before the
#    extension is installed: CREATE EXTENSION and every function, called with
#    the default search_path and with the hostile schema first, must not run
#    any of them; an object of the same signature as an extension function
#    makes CREATE EXTENSION fail instead of being replaced.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hard_env "$@"

work=$(scratch)
trap 'rm -rf "$work"' EXIT
cd "$REPO"
scripts=(sourcemap--0.1.0.sql $(ls sourcemap--*--*.sql 2>/dev/null | sort -V) sourcemap.sql)
echo "install scripts: ${scripts[*]}"

# ---- the control file ------------------------------------------------------
check "sourcemap.control: trusted = true" grep -Eq '^\s*trusted\s*=\s*true' sourcemap.control
if grep -Eq '^\s*superuser\s*=\s*false' sourcemap.control; then
	ok "sourcemap.control: superuser = false"
else
	ok "sourcemap.control: superuser left at its default (true), so only trusted installation by non-superusers"
fi

# ---- no file, network or process access in the C code ---------------------
deny='AllocateFile|AllocateDir|ReadDir|FreeFile|OpenTransientFile|OpenTransientFilePerm|PathNameOpenFile|PathNameOpenFilePerm|BasicOpenFile|BasicOpenFilePerm|FileRead|FileWrite|read_binary_file|pg_read_file|pg_read_binary_file|lo_import|lo_export|SPI_[a-z_]+|open|open64|openat|fopen|fopen64|freopen|fdopen|creat|opendir|fdopendir|stat|lstat|stat64|access|faccessat|unlink|unlinkat|rename|mkdir|rmdir|readlink|chmod|chown|truncate|socket|connect|bind|listen|accept|getaddrinfo|system|popen|execv|execve|execvp|execl|execlp|fork|vfork|posix_spawn|dlopen|getenv|setenv|gzopen|gzopen64|gzdopen|kill|pipe|mmap'
if hits=$(grep -nEw "($deny)[[:space:]]*\(" src/pg/*.c src/pg/*.h src/core/*.h src/core/*/*.c src/core/*/*.h); then
	bad "file/network/process/SQL calls in the C sources:"
	echo "$hits"
else
	ok "no file, network, process or SPI calls in src/pg and src/core ($(cat src/pg/*.c src/core/*/*.c | wc -l) lines)"
fi
so=$(pg_config --pkglibdir)/sourcemap.so
if syms=$(nm -D --undefined-only "$so" | awk '{print $2}' | sed 's/@.*//' | grep -Ex "$deny"); then
	bad "$so imports file/network/process functions: $(echo "$syms" | tr '\n' ' ')"
else
	ok "$so imports none of them ($(nm -D --undefined-only "$so" | wc -l) undefined symbols checked)"
fi

# ---- the install scripts ---------------------------------------------------
# CREATE OR REPLACE FUNCTION f(args) is allowed in a step script when an
# earlier script has CREATE FUNCTION f(args), word for word.
replace_bad=()
replace_ok=0
for i in "${!scripts[@]}"; do
	f=${scripts[$i]}
	while IFS= read -r hit; do
		[ -n "$hit" ] || continue
		sig=$(echo "${hit#*:}" | sed -E 's/^[[:space:]]*create[[:space:]]+or[[:space:]]+replace[[:space:]]+function[[:space:]]+//I')
		earlier=("${scripts[@]:0:$i}")
		if [[ "$f" == *--*--* ]] && [ $i -gt 0 ] && grep -qF "CREATE FUNCTION $sig" "${earlier[@]}"; then
			replace_ok=$((replace_ok + 1))
		else
			replace_bad+=("$f:$hit")
		fi
	done <<< "$(grep -niE 'create[[:space:]]+or[[:space:]]+replace' "$f")"
done
if [ ${#replace_bad[@]} -gt 0 ]; then
	bad "CREATE OR REPLACE of a function no earlier script created, or outside a step script: ${replace_bad[*]}"
else
	ok "CREATE OR REPLACE only in step scripts, of functions an earlier script created ($replace_ok)"
fi
if hits=$(grep -niE 'security[[:space:]]+definer' "${scripts[@]}"); then
	bad "SECURITY DEFINER in the install scripts: $hits"
else
	ok "no SECURITY DEFINER in the install scripts"
fi
# Unqualified references in SQL-language function bodies: function calls,
# operators and type casts that are resolved through the caller's
# search_path when the function runs.
perl -e '
	my %kw = map { $_ => 1 } qw(select from where and or not in is null case when then else end as on join
		lateral coalesce nullif greatest least exists any all some array row cast distinct values
		with limit offset order by group having union true false filter over);
	# a body that a later script replaces (CREATE OR REPLACE) is history
	my %replaced_in;
	for my $i (0 .. $#ARGV) {
		open(my $fh, "<", $ARGV[$i]) or die "$ARGV[$i]: $!";
		my $text = join("", <$fh>);
		$replaced_in{lc $1} = $i while $text =~ /CREATE\s+OR\s+REPLACE\s+FUNCTION\s+([\w.@]+)\s*\(/sig;
	}
	for my $i (0 .. $#ARGV) {
		my $file = $ARGV[$i];
		open(my $fh, "<", $file) or die "$file: $!";
		my $text = join("", <$fh>);
		while ($text =~ /\bAS\s+(\$\w*\$)(.*?)\1/sg) {
			my ($body, $bstart, $bend) = ($2, $-[2], $+[0]);
			my $before = substr($text, 0, $bstart);
			next unless $before =~ /.*CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([\w.@]+)\s*\(/si;
			my $name = $1;
			next if exists $replaced_in{lc $name} && $replaced_in{lc $name} > $i;
			my $cstart = $-[1];
			my $semi = index($text, ";", $bend);
			my $stmt = substr($text, $cstart, ($semi < 0 ? length($text) : $semi) - $cstart);
			next unless $stmt =~ /LANGUAGE\s+sql\b/i;
			# blank out string literals and comments, keeping offsets
			(my $b = $body) =~ s/(\x27(?:[^\x27]|\x27\x27)*\x27)/" " x length($1)/ge;
			$b =~ s/(--[^\n]*)/" " x length($1)/ge;
			my @found;
			while ($b =~ /(?<![\w.@])([A-Za-z_]\w*+)\s*\(/g) {
				my ($id, $at) = ($1, $-[1]);
				next if $kw{lc $id} || uc $id eq "OPERATOR";	# OPERATOR(schema.op) is the qualified form
				push @found, [$at, "function $id()"];
			}
			while ($b =~ /::\s*([A-Za-z_]\w*+)(?!\s*\.)/g) {
				push @found, [$-[1], "type ::$1"];
			}
			(my $ops = $b) =~ s/OPERATOR\s*\([^)]*\)/" " x length($&)/ge;
			$ops =~ s/::/  /g;
			while ($ops =~ /(\|\||<>|<=|>=|!=|[=<>+\-*\/%~^&|!])/g) {
				push @found, [$-[1], "operator $1"];
			}
			for my $f (sort { $a->[0] <=> $b->[0] } @found) {
				my $line = 1 + (substr($text, 0, $bstart + $f->[0]) =~ tr/\n//);
				print "$file:$line: $name: unqualified $f->[1]\n";
			}
		}
	}' "${scripts[@]}" > "$work/unqualified.txt"
if [ -s "$work/unqualified.txt" ]; then
	bad "SQL-language function bodies with references resolved through the caller's search_path ($(wc -l < "$work/unqualified.txt")):"
	sed 's/^/    /' "$work/unqualified.txt"
else
	ok "SQL-language function bodies: every function, operator and type schema-qualified"
fi

# ---- roles -----------------------------------------------------------------
pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
q <<SQL
CREATE ROLE sm_owner LOGIN PASSWORD '$pw';
CREATE ROLE sm_evil LOGIN PASSWORD '$pw';
CREATE ROLE sm_app LOGIN PASSWORD '$pw';
CREATE DATABASE smpriv OWNER sm_owner;
CREATE DATABASE smdup OWNER sm_owner;
ALTER DATABASE smpriv SET track_functions = 'all';
SQL
as() { # role database psql-args...
	local role=$1 db=$2
	shift 2
	PGUSER=$role PGPASSWORD=$pw PGDATABASE=$db psql -X -q -At -v ON_ERROR_STOP=1 "$@"
}
check "sm_owner is not a superuser" test "$(q -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'sm_owner'")" = f

# ---- the hostile role plants look-alikes ------------------------------------
# Every look-alike raises a WARNING 'HIJACKED ...' when it runs.
as sm_owner smpriv <<'SQL'
GRANT CREATE ON SCHEMA public TO sm_evil;
GRANT CREATE ON DATABASE smpriv TO sm_evil;
SQL
q -d smpriv -c 'CREATE SCHEMA app AUTHORIZATION sm_app'

plant() { # schema
	cat <<SQL
CREATE FUNCTION $1.hijacked(what text) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN RAISE WARNING 'HIJACKED %', what; END \$\$;
CREATE FUNCTION $1.length(t text) RETURNS int LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('length(text)'); RETURN 0; END \$\$;
CREATE FUNCTION $1.replace(a text, b text, c text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('replace(text,text,text)'); RETURN a; END \$\$;
CREATE FUNCTION $1.regexp_replace(a text, b text, c text, d text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('regexp_replace'); RETURN a; END \$\$;
CREATE FUNCTION $1.left(a text, n int) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('left(text,int)'); RETURN a; END \$\$;
CREATE FUNCTION $1.pg_size_pretty(n bigint) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('pg_size_pretty(bigint)'); RETURN 'x'; END \$\$;
CREATE FUNCTION $1.text(n int) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('text(int)'); RETURN 'x'; END \$\$;
CREATE FUNCTION $1.text(n bigint) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('text(bigint)'); RETURN 'x'; END \$\$;
CREATE FUNCTION $1.textcat(a text, b text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('textcat'); RETURN a || b; END \$\$;
CREATE FUNCTION $1.evil_cat(a text, b text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('operator ||(text,text)'); RETURN pg_catalog.textcat(a, b); END \$\$;
CREATE OPERATOR $1.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = $1.evil_cat);
CREATE FUNCTION $1.evil_gt(a int, b int) RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('operator >(int,int)'); RETURN pg_catalog.int4gt(a, b); END \$\$;
CREATE OPERATOR $1.> (LEFTARG = int, RIGHTARG = int, FUNCTION = $1.evil_gt);
CREATE FUNCTION $1.evil_eq(a text, b text) RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('operator =(text,text)'); RETURN pg_catalog.texteq(a, b); END \$\$;
CREATE OPERATOR $1.= (LEFTARG = text, RIGHTARG = text, FUNCTION = $1.evil_eq);
CREATE FUNCTION $1.evil_eq_int(a int, b int) RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked('operator =(int,int)'); RETURN pg_catalog.int4eq(a, b); END \$\$;
CREATE OPERATOR $1.= (LEFTARG = int, RIGHTARG = int, FUNCTION = $1.evil_eq_int);
CREATE FUNCTION $1.hijacked_check(what text) RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN PERFORM $1.hijacked(what); RETURN true; END \$\$;
CREATE DOMAIN $1.text AS pg_catalog.text CHECK ($1.hijacked_check('domain text'));
CREATE DOMAIN $1.bigint AS pg_catalog.int8 CHECK ($1.hijacked_check('domain bigint'));
SQL
}
{ echo 'CREATE SCHEMA evil; GRANT USAGE ON SCHEMA evil TO PUBLIC;'; plant evil; plant public; } | as sm_evil smpriv
ok "sm_evil planted look-alike functions, operators and domains (|| > = length replace left text() ::text ::bigint ...) in public and in schema evil"

# ---- installation by the non-superuser owner -------------------------------
if as sm_owner smpriv -c 'CREATE EXTENSION sourcemap' > "$work/install.out" 2>&1; then
	ok "sm_owner (not a superuser) installs the trusted extension"
else
	bad "sm_owner cannot install the extension: $(cat "$work/install.out")"
fi
check "CREATE EXTENSION ran no planted object" bash -c "! grep -q HIJACKED '$work/install.out'"
read -r extowner < <(q -d smpriv -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'sourcemap'")
check "the extension belongs to sm_owner ($extowner)" test "$extowner" = sm_owner

# the extension's functions
q -d smpriv -F '|' -c "
	SELECT p.oid::regprocedure, p.proowner::regrole, p.prosecdef, p.prolang::regproc, coalesce(array_to_string(p.proconfig, ','), '')
	FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sourcemap')
	ORDER BY 1::text" > "$work/functions.txt"
nfun=$(wc -l < "$work/functions.txt")
if [ "$nfun" -gt 20 ] && ! awk -F'|' '$3 == "t"' "$work/functions.txt" | grep -q .; then
	ok "none of the $nfun functions is SECURITY DEFINER"
else
	bad "SECURITY DEFINER functions (or too few functions, $nfun): $(awk -F'|' '$3 == "t" {print $1}' "$work/functions.txt")"
fi
bootstrap=$(q -c "SELECT 10::regrole")
if ! awk -F'|' -v b="$bootstrap" '$2 != b' "$work/functions.txt" | grep -q .; then
	ok "every function belongs to the bootstrap superuser $bootstrap, not to the installing role"
else
	bad "functions owned by another role: $(awk -F'|' -v b="$bootstrap" '$2 != b {print $1 " " $2}' "$work/functions.txt")"
fi
# every type in the extension's signatures is built in or the extension's own
# (not sm_evil's planted domains public.text and public.bigint)
foreign=$(q -d smpriv -c "
	WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'sourcemap'),
	members AS (SELECT objid FROM pg_depend, ext WHERE refclassid = 'pg_extension'::regclass
		AND refobjid = ext.oid AND deptype = 'e'),
	types AS (SELECT p.oid::regprocedure AS f, unnest(array_append(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.prorettype)) AS t
		FROM pg_proc p WHERE p.oid IN (SELECT objid FROM members))
	SELECT string_agg(DISTINCT f::text || ': ' || t::regtype::text, ', ')
	FROM types JOIN pg_type ty ON ty.oid = t
	WHERE ty.typnamespace <> 'pg_catalog'::regnamespace AND t NOT IN (SELECT objid FROM members)
	  AND ty.typrelid NOT IN (SELECT objid FROM members)
	  -- the array type of an extension type (sourcemap[]) comes with it
	  AND NOT (ty.typcategory = 'A' AND ty.typelem IN (SELECT objid FROM members))")
if [ -z "$foreign" ]; then
	ok "every argument and result type of the extension's functions is built in or the extension's own"
else
	bad "extension functions use types from outside pg_catalog and the extension: $foreign"
fi
comp=$(q -d smpriv -c "
	SELECT string_agg(a.attrelid::regclass || '.' || a.attname || ' ' || a.atttypid::regtype, ', ')
	FROM pg_type ty JOIN pg_attribute a ON a.attrelid = ty.typrelid AND a.attnum > 0
	JOIN pg_type at ON at.oid = a.atttypid
	WHERE ty.oid IN (SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
		AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sourcemap'))
	  AND at.typnamespace <> 'pg_catalog'::regnamespace")
if [ -z "$comp" ]; then
	ok "every field of the extension's composite types has a built-in type"
else
	bad "composite type fields with types from outside pg_catalog: $comp"
fi
if out=$(as sm_owner smpriv -c "ALTER FUNCTION sourcemap_info(sourcemap) SECURITY DEFINER" 2>&1); then
	bad "sm_owner could alter an extension function"
else
	ok "sm_owner cannot alter the extension's functions: $(echo "$out" | grep -m1 ERROR)"
fi
if out=$(as sm_owner smpriv -c "CREATE OR REPLACE FUNCTION sourcemap_is_valid(doc text) RETURNS boolean LANGUAGE sql AS 'SELECT true'" 2>&1); then
	bad "sm_owner could replace an extension function"
else
	ok "sm_owner cannot replace the extension's functions: $(echo "$out" | grep -m1 ERROR)"
fi
awk -F'|' '$4 == "sql" {print "  SQL-language: " $1}' "$work/functions.txt"

# ---- an unprivileged role calls everything -----------------------------------
{
	echo "SET search_path = app, public;"
	cat "$HARD_DIR/battery.sql"
	cat <<'SQL'
INSERT INTO hard_seed VALUES
 ('features', '{"version":3,"file":"min.js","sourceRoot":"src/",
   "sources":["a.js",null,"b.js"],"sourcesContent":["line 0\nline 1\n",null,"x"],
   "names":["foo","bar"],"mappings":"AAAAA,CAAC,EAAEC;;AACA,GCAA;ACAE","ignoreList":[2],
   "debugId":"85314830-023f-4cf1-a267-535f4e37bb17"}'),
 ('functions', sourcemap('{"version":3,"sources":["a.js"],"names":["outer","inner"],"mappings":"AAAAA,SAASC,UAAUD"}',
   'function o(){function i(){return 1}return i()}'));
SELECT hard_battery(m, sourcemap_send(m), NULL) FROM hard_seed ORDER BY name;
INSERT INTO hard_mut SELECT m FROM hard_seed WHERE name = 'features';
SELECT hard_battery(NULL, NULL, 'hard_mut');
DELETE FROM hard_mut;
INSERT INTO hard_mut SELECT m FROM hard_seed WHERE name = 'functions';
SELECT hard_battery(NULL, NULL, 'hard_mut');
-- what the battery does not call
SELECT sourcemap('{"version":3,"sources":[],"names":[],"mappings":""}'::json) IS NOT NULL,
	sourcemap('{"version":3,"sources":[],"names":[],"mappings":""}'::jsonb) IS NOT NULL,
	sourcemap('{"version":3,"sources":[],"names":[],"mappings":""}'::text) IS NOT NULL,
	sourcemap(convert_to('{"version":3,"sources":[],"names":[],"mappings":""}', 'UTF8')) IS NOT NULL,
	sourcemap_from_bytes(convert_to('{"version":3,"sources":[],"names":[],"mappings":""}', 'UTF8'), 1000) IS NOT NULL,
	sourcemap_is_valid('{}'),
	sourcemap_in('{"version":3,"sources":[],"names":[],"mappings":""}'::cstring) IS NOT NULL,
	sourcemap_out(m) IS NOT NULL,
	sourcemap_ne(m, m), sourcemap_le(m, m), sourcemap_ge(m, m), sourcemap_gt(m, m), sourcemap_lt(m, m),
	sourcemap_eq(m, m), m <= m, m >= m, m > m
FROM hard_seed WHERE name = 'features';
SELECT sourcemap_compose(ARRAY[m, m]) IS NOT NULL FROM hard_seed WHERE name = 'functions';
SELECT sourcemap_compose_agg(m ORDER BY name) IS NOT NULL FROM hard_seed WHERE name = 'functions';
SELECT count(*) FROM sourcemap_parse_stack(E'Error: x\n    at f (https://a.example/app.js:1:2)');
SELECT count(*) FROM sourcemap_url_candidates('https://a.example/js/app.js?v=1');
SELECT sourcemap_resolve_url('https://a.example/js/app.js.map', '../src/a.ts'), sourcemap_strip_prefix('webpack:///./a.js');
SELECT * FROM sourcemap_references(E'x\n//# sourceMappingURL=app.js.map\n//# debugId=85314830-023f-4cf1-a267-535f4e37bb17');
SET sourcemap.cache_size = '1MB';
SELECT * FROM sourcemap_cache_stats();
SQL
} > "$work/app.sql"
if as sm_app smpriv -f "$work/app.sql" > "$work/app.out" 2>&1; then
	ok "sm_app (no privileges) ran the whole battery and every other function"
else
	bad "sm_app could not call everything: $(grep -m3 ERROR "$work/app.out")"
fi
check "no planted object ran for sm_app (search_path app, public)" bash -c "! grep -q HIJACKED '$work/app.out'"
# sm_app's function statistics reach the shared statistics when its backend
# exits, before it leaves pg_stat_activity (the statistics are flushed by a
# before_shmem_exit hook, the activity entry cleared by an on_shmem_exit
# one): wait for that, not for a while.  The bound is a hang detector only.
for _ in $(seq 3000); do
	[ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'sm_app'")" = 0 ] && break
	sleep 0.1
done
q -d smpriv -c "
	SELECT p.oid::regprocedure FROM pg_depend d JOIN pg_proc p ON d.objid = p.oid
	WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sourcemap')
	  AND p.oid NOT IN (SELECT funcid FROM pg_stat_user_functions WHERE calls > 0)
	  -- run by the type system, not through a function call: not counted
	  AND p.proname NOT IN ('sourcemap_recv', 'sourcemap_send', 'sourcemap_cmp', 'sourcemap_hash',
		'sourcemap_hash_extended')
	  -- an aggregate is not counted, its functions are (sourcemap_compose_agg: sourcemap_compose)
	  AND p.prokind <> 'a'
	ORDER BY 1::text" > "$work/uncalled.txt"
if [ ! -s "$work/uncalled.txt" ]; then
	ok "sm_app called all $nfun functions (pg_stat_user_functions; recv and the index support functions are run by the type system)"
else
	bad "functions sm_app never called (extend this test): $(tr '\n' ' ' < "$work/uncalled.txt")"
fi

# ---- the hostile schema first in the search_path -----------------------------
# Only the extension's functions run here (the SQL-language ones are the
# ones that could be hijacked: their bodies are parsed at call time).
cat > "$work/hostile.sql" <<'SQL'
SELECT sourcemap_summary(m) FROM app.hard_seed;
SELECT sourcemap(j) IS NULL FROM (SELECT '{"version":3,"sources":[],"names":[],"mappings":""}'::jsonb AS j) s;
SELECT (sourcemap_lookup(m, 0, 0)).line, sourcemap_info(m), sourcemap_debug_id(m) FROM app.hard_seed;
SQL
for path in 'evil, public' 'public, evil' 'evil, pg_catalog, public' 'public, pg_catalog'; do
	as sm_app smpriv -v SHOW_CONTEXT=always -c "SET search_path = $path" -f "$work/hostile.sql" > "$work/hostile.out" 2>&1 || true
	if grep -q HIJACKED "$work/hostile.out"; then
		bad "search_path = $path: extension functions ran planted objects:"
		# each planted object that ran, and the extension function that ran it
		grep -oE 'HIJACKED .*|SQL function "[^"]*"' "$work/hostile.out" | awk '
			/^HIJACKED/ {w = substr($0, 10); next}
			w != "" {print "    " w " run by " $0; w = ""}' | sort | uniq -c
	elif grep -q ERROR "$work/hostile.out"; then
		bad "search_path = $path: $(grep -m1 ERROR "$work/hostile.out")"
	else
		ok "search_path = $path: no planted object ran"
	fi
done

# ---- an object of the same signature is not replaced --------------------------
as sm_owner smdup -c "GRANT CREATE ON SCHEMA public TO sm_evil"
as sm_evil smdup -c "CREATE FUNCTION public.sourcemap_is_valid(doc text) RETURNS boolean LANGUAGE sql AS 'SELECT true'"
if out=$(as sm_owner smdup -v VERBOSITY=verbose -c 'CREATE EXTENSION sourcemap' 2>&1); then
	bad "CREATE EXTENSION succeeded over sm_evil's public.sourcemap_is_valid(text)"
else
	ok "CREATE EXTENSION refuses to take over sm_evil's public.sourcemap_is_valid(text): $(echo "$out" | grep -m1 ERROR)"
fi
check "sm_evil's function is untouched" test "$(q -d smdup -c "SELECT proowner::regrole FROM pg_proc WHERE proname = 'sourcemap_is_valid'")" = sm_evil

check "the server still answers" q -c 'SELECT 1' >/dev/null
no_crash_in_log
finish
