# test/citus/cluster.sh -- sourced by test/citus/run.sh: throwaway PostgreSQL
# nodes with Citus preloaded, each in its own data directory under $work,
# listening on 127.0.0.1 only (TCP) and on a socket in $work.  Nodes connect
# to each other over TCP with scram-sha-256; the password comes from a
# password file handed to every server (PGPASSFILE), so no node trusts
# anyone.  Needs $BIN (the server's bin directory) and $work.

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A free TCP port on 127.0.0.1 at or after $1.
free_port() {
	local p
	for p in $(seq "$1" $(($1 + 300))); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [ ! -e "$work/.s.PGSQL.$p" ] &&
			! grep -qx "$p" "$work/ports" 2>/dev/null; then
			echo "$p" >> "$work/ports"
			echo "$p"
			return
		fi
	done
	return 1
}

cluster_init() {
	chmod 755 "$work"
	[ "$(id -u)" = 0 ] && chown postgres: "$work"
	password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	printf '127.0.0.1:*:*:postgres:%s\n' "$password" > "$work/pgpass"
	printf '%s\n' "$password" > "$work/pwfile"
	chmod 600 "$work/pgpass" "$work/pwfile"
	[ "$(id -u)" = 0 ] && chown postgres: "$work/pgpass" "$work/pwfile"
	return 0
}

# node_create NAME PORT: initdb, settings, start, database "events" with citus.
node_create() {
	local name=$1 port=$2
	as_pg "$BIN/initdb" -D "$work/$name" -U postgres --pwfile="$work/pwfile" \
		--auth-local=trust --auth-host=scram-sha-256 --no-instructions >/dev/null
	cat >> "$work/$name/postgresql.conf" <<-EOF
	listen_addresses = '127.0.0.1'
	port = $port
	unix_socket_directories = '$work'
	shared_preload_libraries = 'citus'
	citus.local_hostname = '127.0.0.1'
	wal_level = logical
	max_prepared_transactions = 100
	jit = off
	EOF
	echo "$port" > "$work/$name.port"
	node_start "$name"
	psql_node "$name" -d postgres -q -c "CREATE DATABASE events"
	psql_node "$name" -q -c "CREATE EXTENSION citus"
}

node_port() { cat "$work/$1.port"; }

node_start() {
	as_pg env PGPASSFILE="$work/pgpass" "$BIN/pg_ctl" -D "$work/$1" -l "$work/$1.log" -w start >/dev/null
}

# node_stop NAME [MODE]: fast by default; immediate is a crash.
node_stop() {
	as_pg "$BIN/pg_ctl" -D "$work/$1" -m "${2:-fast}" -w stop >/dev/null
}

# psql_node NAME [ARGS]: psql on that node's socket, database events by default.
psql_node() {
	local name=$1
	shift
	psql -X -h "$work" -p "$(node_port "$name")" -U postgres -d events "$@"
}

cluster_stop_all() {
	local d
	for d in "$work"/*/postmaster.pid; do
		[ -f "$d" ] && as_pg "$BIN/pg_ctl" -D "$(dirname "$d")" -m immediate -w stop >/dev/null 2>&1
	done
	return 0
}
