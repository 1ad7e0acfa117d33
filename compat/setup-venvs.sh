#!/usr/bin/env bash
# Creates (or reuses) the two Airflow virtualenvs the conformance suite runs against:
#   airflow2: apache-airflow 2.11.x, airflow3: apache-airflow 3.x, each with common-io, amazon, s3fs, lz4, zstandard.
# The pinned sets are compat/python/requirements-airflow{2,3}.txt. A marker in each venv records the hash of the set
# (and the interpreter version) it was built from, so a changed set rebuilds the venv and an unchanged one is reused.
#
# Usage: compat/setup-venvs.sh [--env-file FILE] [CACHE_DIR]
#   CACHE_DIR defaults to ${XCOM_CACHE:-$HOME/.cache/xcom-hybrid}; venvs go to CACHE_DIR/venvs/.
#   Prints `export XCOM_TEST_AIRFLOW2_PYTHON=...` / `export XCOM_TEST_AIRFLOW3_PYTHON=...` on stdout, or writes them to
#   FILE with --env-file. Progress goes to stderr. Exits non-zero with a message naming the step when anything fails.
# Environment: XCOM_PYTHON selects the base interpreter (default python3; Airflow 2.11 and 3.x support 3.11).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file=""
cache_dir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --env-file) env_file="${2:?--env-file needs a file name}"; shift 2 ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) [[ -z "$cache_dir" ]] || { echo "setup-venvs: unexpected argument '$1'" >&2; exit 2; }; cache_dir="$1"; shift ;;
    esac
done
cache_dir="${cache_dir:-${XCOM_CACHE:-$HOME/.cache/xcom-hybrid}}"
base_python="${XCOM_PYTHON:-python3}"

fail() {
    echo "setup-venvs: ERROR: $*" >&2
    exit 1
}

command -v "$base_python" >/dev/null 2>&1 || fail "base interpreter '$base_python' not found (set XCOM_PYTHON)"
py_version="$("$base_python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" \
    || fail "cannot run '$base_python'"
case "$py_version" in
    3.10.*|3.11.*|3.12.*) ;;
    *) fail "Airflow 2.11 and 3.x need Python 3.10-3.12 for these pins; '$base_python' is $py_version (set XCOM_PYTHON)" ;;
esac

mkdir -p "$cache_dir/venvs" || fail "cannot create $cache_dir/venvs"

# setup_venv NAME REQUIREMENTS SMOKE_TEST_CODE -> prints the venv's python path on stdout
setup_venv() {
    local name="$1" requirements="$2" smoke="$3"
    local venv="$cache_dir/venvs/$name"
    local marker="$venv/.xcom-hybrid-requirements"
    local want
    want="python=$py_version sha256=$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [[ -f "$marker" && "$(cat "$marker")" == "$want" && -x "$venv/bin/python" ]]; then
        echo "setup-venvs: $name: reusing $venv" >&2
    else
        echo "setup-venvs: $name: installing $(basename "$requirements") into $venv (takes a few minutes)" >&2
        rm -rf "$venv"
        "$base_python" -m venv "$venv" >&2 || fail "$name: 'python -m venv $venv' failed"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2 \
            || fail "$name: upgrading pip in $venv failed"
        if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2; then
            rm -rf "$venv"
            fail "$name: pip could not install $requirements (is PyPI reachable? see pip's message above)"
        fi
        # Only written after a complete install, so an interrupted run starts over next time.
        echo "$want" > "$marker"
    fi
    local home
    home="$(mktemp -d)"
    if ! AIRFLOW_HOME="$home" AIRFLOW__CORE__LOAD_EXAMPLES=False "$venv/bin/python" -c "$smoke" >&2; then
        rm -rf "$home"
        rm -f "$marker"
        fail "$name: Airflow is installed in $venv but its object-storage XCom backend does not import (see above)"
    fi
    rm -rf "$home"
    echo "$venv/bin/python"
}

smoke='
import importlib.metadata as m
from airflow.providers.common.io.xcom.backend import XComObjectStorageBackend
import s3fs, lz4.frame, zstandard
print("  apache-airflow", m.version("apache-airflow"), "common-io", m.version("apache-airflow-providers-common-io"),
      "fsspec", m.version("fsspec"), "s3fs", m.version("s3fs"), file=__import__("sys").stderr)
'

af2="$(setup_venv airflow2 "$here/python/requirements-airflow2.txt" "$smoke")"
af3="$(setup_venv airflow3 "$here/python/requirements-airflow3.txt" "$smoke")"

lines="export XCOM_TEST_AIRFLOW2_PYTHON=$af2
export XCOM_TEST_AIRFLOW3_PYTHON=$af3"
if [[ -n "$env_file" ]]; then
    printf '%s\n' "$lines" > "$env_file" || fail "cannot write $env_file"
    echo "setup-venvs: wrote $env_file" >&2
else
    printf '%s\n' "$lines"
fi
