#!/usr/bin/env bash
# Runs every benchmark of RESULTS.md once, short settings, and writes the raw outputs into OUT_DIR (default
# benchmarks/target/results). Takes about 10-15 minutes on a 2-core VM.
#   benchmarks/run-all.sh [OUT_DIR]
# PostgreSQL: started with bin/servers/postgres.sh unless XCOM_TEST_PG_JDBC_URL is set; stopped at the end.
# Airflow: measured when XCOM_TEST_AIRFLOW2_PYTHON names the python of the Airflow 2 venv (compat/setup-venvs.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/benchmarks/target/results}
mkdir -p "$out"
jar=$root/benchmarks/target/benchmarks.jar
[[ -f $jar ]] || (cd "$root" && mvn -q -B -pl benchmarks -am -DskipTests package)

{ date -u; nproc; free -m; uptime; java -version 2>&1; } > "$out/machine.txt"

java -jar "$jar" -f 1 -wi 2 -w 1s -i 3 -r 2s -rf json -rff "$out/jmh.json" 2>&1 | tee "$out/jmh.txt"

pg_state=
if [[ -z ${XCOM_TEST_PG_JDBC_URL:-} ]]; then
    pg_state=$(mktemp -d /tmp/bench-pg.XXXXXX)
    "$root/bin/servers/postgres.sh" start "$pg_state"
    # shellcheck disable=SC1091
    source "$pg_state/postgres.env"
    trap '"$root/bin/servers/postgres.sh" stop "$pg_state"' EXIT
fi
java -cp "$jar" io.xcomhybrid.benchmarks.EndToEnd --runs 3 --small-ops 1000 2>&1 | tee "$out/endtoend.txt"

if [[ -n ${XCOM_TEST_AIRFLOW2_PYTHON:-} ]]; then
    for mib in 1 64; do
        java -cp "$jar" io.xcomhybrid.benchmarks.WriteValue "$mib" "$out/value-$mib.json"
    done
    "$XCOM_TEST_AIRFLOW2_PYTHON" "$root/benchmarks/python/airflow_bench.py" --runs 3 --codecs gzip,zstd,lz4 \
        "$out/value-1.json" "$out/value-64.json" 2>/dev/null | tee "$out/airflow.txt"
    rm -f "$out/value-1.json" "$out/value-64.json"
fi
