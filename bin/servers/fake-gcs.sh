#!/usr/bin/env bash
# Starts or stops a native fake-gcs-server (Google Cloud Storage emulator) for the integration tests.
#
#   bin/servers/fake-gcs.sh start STATE_DIR   install if missing, start on 127.0.0.1:<free port>, write STATE_DIR/fake-gcs.env
#   bin/servers/fake-gcs.sh stop STATE_DIR    stop the server started with the same STATE_DIR
#
# The binary is cached in ${XCOM_CACHE:-$HOME/.cache/xcom-hybrid}/bin, built with `go install` at a pinned version.
set -euo pipefail

FAKE_GCS_MODULE="github.com/fsouza/fake-gcs-server"
FAKE_GCS_VERSION="v1.55.1"
PROJECT="xcom-test"

usage()
{
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
verb="$1"
state_dir="$2"
cache="${XCOM_CACHE:-$HOME/.cache/xcom-hybrid}"
binary="$cache/bin/fake-gcs-server"
pid_file="$state_dir/fake-gcs.pid"
env_file="$state_dir/fake-gcs.env"
log_file="$state_dir/fake-gcs.log"

install_server()
{
    if [[ -x "$binary" ]]; then
        return
    fi
    if ! command -v go >/dev/null 2>&1; then
        echo "fake-gcs-server is not in $cache/bin and 'go' is not on PATH to build it" >&2
        exit 1
    fi
    echo "Installing $FAKE_GCS_MODULE@$FAKE_GCS_VERSION into $cache/bin" >&2
    mkdir -p "$cache/bin"
    if ! GOBIN="$cache/bin" go install "$FAKE_GCS_MODULE@$FAKE_GCS_VERSION"; then
        echo "go install $FAKE_GCS_MODULE@$FAKE_GCS_VERSION failed" >&2
        exit 1
    fi
}

free_port()
{
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start()
{
    install_server
    mkdir -p "$state_dir"
    state_dir="$(cd "$state_dir" && pwd)"
    pid_file="$state_dir/fake-gcs.pid"
    env_file="$state_dir/fake-gcs.env"
    log_file="$state_dir/fake-gcs.log"
    if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        echo "fake-gcs-server already running (pid $(cat "$pid_file"), $env_file)" >&2
        return
    fi
    local port endpoint pid
    port="$(free_port)"
    endpoint="http://127.0.0.1:$port"
    mkdir -p "$state_dir/fake-gcs-data"
    # -external-url: resumable uploads are continued at the Location the server returns, so it must be reachable.
    "$binary" -scheme http -host 127.0.0.1 -port "$port" -external-url "$endpoint" \
        -backend filesystem -filesystem-root "$state_dir/fake-gcs-data" -log-level warn \
        >"$log_file" 2>&1 &
    pid=$!
    echo "$pid" >"$pid_file"
    for _ in $(seq 1 100); do
        if curl -fsS -o /dev/null "$endpoint/storage/v1/b?project=$PROJECT" 2>/dev/null; then
            cat >"$env_file" <<ENV
export XCOM_TEST_GCS_ENDPOINT=$endpoint
export XCOM_TEST_GCS_PROJECT=$PROJECT
ENV
            echo "fake-gcs-server $FAKE_GCS_VERSION on $endpoint (pid $pid); env in $env_file" >&2
            return
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "fake-gcs-server exited during startup; log $log_file:" >&2
            tail -n 20 "$log_file" >&2 || true
            rm -f "$pid_file"
            exit 1
        fi
        sleep 0.1
    done
    echo "fake-gcs-server did not answer on $endpoint within 10 s; log $log_file" >&2
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    exit 1
}

stop()
{
    if [[ ! -f "$pid_file" ]]; then
        echo "fake-gcs-server: no pid file in $state_dir, nothing to stop" >&2
        return
    fi
    local pid
    pid="$(cat "$pid_file")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -f "$pid_file" "$env_file"
}

case "$verb" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
