#!/usr/bin/env bash
# Starts or stops a native MinIO server for the S3 integration tests.
#
#   bin/servers/minio.sh start STATE_DIR   installs the pinned MinIO into the cache if missing, starts it on
#                                          127.0.0.1 with its data under STATE_DIR, waits until it is live and
#                                          writes STATE_DIR/minio.env (export lines read by MinioFixture)
#   bin/servers/minio.sh stop STATE_DIR    stops the server started with the same STATE_DIR
#
# No buckets are created: each test creates what it needs.
set -euo pipefail

# MinIO has no semver tags on the Go module proxy, so a pseudo-version pins it.
MINIO_MODULE="github.com/minio/minio"
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
CACHE_DIR="${XCOM_CACHE:-$HOME/.cache/xcom-hybrid}"
MINIO_BIN="$CACHE_DIR/bin/minio"
STAMP="$CACHE_DIR/bin/minio.version"

ROOT_USER="xcom-test-root"
ROOT_PASSWORD="xcom-test-secret-key"
REGION="us-east-1"

usage() {
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
}

die() {
    echo "minio.sh: $*" >&2
    exit 1
}

install_minio() {
    if [[ -x "$MINIO_BIN" ]] && { [[ ! -f "$STAMP" ]] || [[ "$(cat "$STAMP")" == "$MINIO_VERSION" ]]; }; then
        return
    fi
    command -v go >/dev/null || die "MinIO is not in $MINIO_BIN and 'go' is not installed to build it"
    echo "minio.sh: installing $MINIO_MODULE@$MINIO_VERSION into $CACHE_DIR/bin (first run only)" >&2
    mkdir -p "$CACHE_DIR/bin"
    GOBIN="$CACHE_DIR/bin" go install "$MINIO_MODULE@$MINIO_VERSION" \
        || die "go install $MINIO_MODULE@$MINIO_VERSION failed"
    echo "$MINIO_VERSION" > "$STAMP"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local state="$1"
    mkdir -p "$state"
    state="$(cd "$state" && pwd)"
    local pid_file="$state/minio.pid"
    if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        [[ -f "$state/minio.env" ]] || die "MinIO runs (pid $(cat "$pid_file")) but $state/minio.env is missing"
        echo "minio.sh: already running (pid $(cat "$pid_file"))" >&2
        return
    fi
    install_minio

    local port console_port
    port="$(free_port)"
    console_port="$(free_port)"
    mkdir -p "$state/minio-data"
    MINIO_ROOT_USER="$ROOT_USER" MINIO_ROOT_PASSWORD="$ROOT_PASSWORD" MINIO_SITE_REGION="$REGION" MINIO_BROWSER=off \
        MINIO_UPDATE=off \
        nohup "$MINIO_BIN" server --quiet --address "127.0.0.1:$port" --console-address "127.0.0.1:$console_port" \
        "$state/minio-data" > "$state/minio.log" 2>&1 &
    echo $! > "$pid_file"

    local endpoint="http://127.0.0.1:$port"
    # /minio/health/live answers as soon as the listener is up; /minio/health/cluster once storage is initialised
    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null "$endpoint/minio/health/cluster" 2>/dev/null; then
            cat > "$state/minio.env" <<EOF
export XCOM_TEST_S3_ENDPOINT=$endpoint
export XCOM_TEST_S3_ACCESS_KEY=$ROOT_USER
export XCOM_TEST_S3_SECRET_KEY=$ROOT_PASSWORD
export XCOM_TEST_S3_REGION=$REGION
EOF
            echo "minio.sh: MinIO ready at $endpoint (pid $(cat "$pid_file"), log $state/minio.log)" >&2
            return
        fi
        if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
            tail -20 "$state/minio.log" >&2 || true
            rm -f "$pid_file"
            die "MinIO exited during start-up; log: $state/minio.log"
        fi
        sleep 0.1
    done
    kill "$(cat "$pid_file")" 2>/dev/null || true
    rm -f "$pid_file"
    die "MinIO did not answer $endpoint/minio/health/cluster within 30 s; log: $state/minio.log"
}

stop() {
    local state="$1"
    local pid_file="$state/minio.pid"
    if [[ ! -f "$pid_file" ]]; then
        echo "minio.sh: not running (no $pid_file)" >&2
        return
    fi
    local pid
    pid="$(cat "$pid_file")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pid_file" "$state/minio.env"
}

[[ $# -eq 2 ]] || usage
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) usage ;;
esac
