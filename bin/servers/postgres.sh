#!/usr/bin/env bash
# Test PostgreSQL server for xcom-hybrid integration tests.
#
#   bin/servers/postgres.sh start STATE_DIR   start a private cluster on 127.0.0.1 and write STATE_DIR/postgres.env
#   bin/servers/postgres.sh stop STATE_DIR    stop it
#
# The cluster is private (initdb in STATE_DIR, a free port, its own socket directory), so it never touches a system
# cluster. The server comes from Debian's postgresql package (/usr/lib/postgresql/<version>/bin); when it is missing
# and we are root, the package is installed with apt-get. initdb refuses to run as root, so as root the cluster runs
# as the 'postgres' user (created by the package).
#
# postgres.env exports:
#   XCOM_TEST_PG_JDBC_URL, XCOM_TEST_PG_USER, XCOM_TEST_PG_PASSWORD   what PostgresFixture reads
#   XCOM_TEST_PG_STOP_CMD, XCOM_TEST_PG_START_CMD                    stop/start the same server on the same port (restart tests)
#   XCOM_TEST_PG_SSL_ROOT_CERT                                       the server's self-signed certificate (TLS tests), if openssl exists
set -euo pipefail

usage() {
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
verb=$1
state_dir=$(mkdir -p "$2" && cd "$2" && pwd)
env_file="$state_dir/postgres.env"
pid_file="$state_dir/postgres.pid"
dir_file="$state_dir/postgres.datadir"

fail() {
    echo "postgres.sh: $*" >&2
    exit 1
}

find_bindir() {
    if [[ -n "${XCOM_PG_BINDIR:-}" ]]; then
        [[ -x "$XCOM_PG_BINDIR/initdb" ]] || fail "XCOM_PG_BINDIR=$XCOM_PG_BINDIR has no initdb"
        echo "$XCOM_PG_BINDIR"
        return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
    fi
}

# Runs a command as the cluster owner: 'postgres' when we are root, ourselves otherwise.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

owner_command_prefix() {
    if [[ $(id -u) -eq 0 ]]; then
        printf 'runuser -u postgres -- '
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

random_secret() {
    python3 -c 'import secrets; print(secrets.token_hex(16))'
}

# The server's own pid file is the truth: a restart through XCOM_TEST_PG_START_CMD changes the pid.
current_pid() {
    [[ -f "$dir_file" ]] || return 1
    local postmaster_pid
    postmaster_pid="$(cat "$dir_file")/data/postmaster.pid"
    [[ -f "$postmaster_pid" ]] && head -n 1 "$postmaster_pid"
}

is_running() {
    local pid
    pid=$(current_pid) && kill -0 "$pid" 2>/dev/null
}

start() {
    if is_running && [[ -f "$env_file" ]]; then
        current_pid > "$pid_file"
        echo "postgres.sh: already running (pid $(cat "$pid_file")), $env_file"
        return
    fi
    # leftovers of an earlier start (its env file lost, or the machine rebooted): stop and remove them
    if [[ -f "$dir_file" ]]; then
        stop >/dev/null
    fi

    local bindir
    bindir=$(find_bindir)
    if [[ -z "$bindir" ]]; then
        [[ $(id -u) -eq 0 ]] || fail "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and we are not root to apt-get install it; set XCOM_PG_BINDIR or install the 'postgresql' package"
        echo "postgres.sh: installing Debian's postgresql package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bindir=$(find_bindir)
        [[ -n "$bindir" ]] || fail "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb exists"
    fi
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || fail "running as root needs the 'postgres' user (initdb refuses root)"
    fi

    # The data must be readable by the cluster owner; STATE_DIR may sit under a home directory it cannot enter.
    local data_root="$state_dir/postgres"
    if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$state_dir"; then
        data_root=$(mktemp -d /tmp/xcom-hybrid-postgres.XXXXXX)
    fi
    rm -rf "$data_root"
    mkdir -p "$data_root"
    [[ $(id -u) -ne 0 ]] || chown postgres: "$data_root"
    echo "$data_root" > "$dir_file"
    local data="$data_root/data" socket_dir="$data_root/socket" log="$data_root/postgres.log"
    as_owner mkdir -p "$socket_dir"

    local superuser_password password port user=xcom database=xcom_test
    superuser_password=$(random_secret)
    password=$(random_secret)
    as_owner bash -c "umask 077 && printf '%s\n' '$superuser_password' > '$data_root/pwfile'"
    as_owner "$bindir/initdb" -D "$data" -U postgres --pwfile="$data_root/pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C >"$data_root/initdb.log" 2>&1 \
        || fail "initdb failed, see $data_root/initdb.log"
    as_owner rm -f "$data_root/pwfile"

    # TLS with a self-signed certificate for 127.0.0.1, so tests can exercise sslmode=verify-full; plain
    # connections stay allowed (pg_hba 'host' lines match both)
    local tls_options="" root_cert=""
    if command -v openssl >/dev/null; then
        as_owner mkdir -p "$data_root/tls"
        as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
            -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
            -keyout "$data_root/tls/server.key" -out "$data_root/tls/server.crt" >/dev/null 2>&1 \
            || fail "openssl could not create a test certificate"
        as_owner chmod 600 "$data_root/tls/server.key"
        tls_options="-c ssl=on -c ssl_cert_file=$data_root/tls/server.crt -c ssl_key_file=$data_root/tls/server.key"
        root_cert="$data_root/tls/server.crt"
    fi

    local options
    for attempt in 1 2 3; do
        port=$(free_port)
        options="-c listen_addresses=127.0.0.1 -p $port -k $socket_dir -c fsync=off -c max_connections=200 $tls_options"
        if as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -o "$options" -w -t 60 start >/dev/null; then
            break
        fi
        [[ $attempt -lt 3 ]] || fail "pg_ctl start failed, see $log"
    done
    head -n 1 "$data/postmaster.pid" > "$pid_file"

    as_owner "$bindir/psql" -h "$socket_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE $user LOGIN PASSWORD '$password'" \
        -c "CREATE DATABASE $database OWNER $user" >/dev/null \
        || fail "creating role and database failed"
    as_owner "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -d "$database" -t 30 >/dev/null \
        || fail "server on 127.0.0.1:$port does not answer"

    local prefix
    prefix=$(owner_command_prefix)
    cat > "$env_file" <<EOF
export XCOM_TEST_PG_JDBC_URL='jdbc:postgresql://127.0.0.1:$port/$database'
export XCOM_TEST_PG_USER='$user'
export XCOM_TEST_PG_PASSWORD='$password'
export XCOM_TEST_PG_STOP_CMD='${prefix}$bindir/pg_ctl -D $data -m fast -w stop'
export XCOM_TEST_PG_START_CMD='${prefix}$bindir/pg_ctl -D $data -l $log -o "$options" -w -t 60 start'
EOF
    if [[ -n "$root_cert" ]]; then
        echo "export XCOM_TEST_PG_SSL_ROOT_CERT='$root_cert'" >> "$env_file"
    fi
    chmod 600 "$env_file"
    echo "postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $data), $env_file"
}

stop() {
    if [[ ! -f "$dir_file" ]]; then
        echo "postgres.sh: nothing to stop in $state_dir"
        return
    fi
    local data_root bindir
    data_root=$(cat "$dir_file")
    case "$data_root" in
        "$state_dir/postgres" | /tmp/xcom-hybrid-postgres.*) ;;
        *) fail "$dir_file names an unexpected data directory '$data_root'; remove it by hand" ;;
    esac
    bindir=$(find_bindir)
    if [[ -n "$bindir" && -f "$data_root/data/postmaster.pid" ]]; then
        as_owner "$bindir/pg_ctl" -D "$data_root/data" -m fast -w stop >/dev/null || true
    fi
    if is_running; then
        kill "$(current_pid)" 2>/dev/null || true
    fi
    # start always runs initdb afresh, so the data is of no further use (a cluster takes about 40 MB)
    rm -rf "$data_root"
    rm -f "$pid_file" "$env_file" "$dir_file"
    echo "postgres.sh: stopped"
}

case "$verb" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
