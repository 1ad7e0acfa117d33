#!/usr/bin/env bash
# Runs every benchmark of RESULTS.md once, in one session, and writes the raw outputs into OUT_DIR (default
# benchmarks/target/results). About 35 minutes on a quiet 2-core VM; nothing here is a test.
#   benchmarks/run-all.sh [OUT_DIR]
# Servers: PostgreSQL and MinIO are started with bin/servers/*.sh unless XCOM_TEST_PG_JDBC_URL / XCOM_TEST_S3_ENDPOINT
# are set, and stopped at the end. Airflow: compared when XCOM_TEST_AIRFLOW2_PYTHON names the python of the Airflow 2
# venv (compat/setup-venvs.sh); without it the Airflow columns are left out.
# STEPS (env, default all): a comma list of jmh,small,airflow-small,large,large-nofsync,e2e-large,perop,memory,jni-stress,gib,growth,many.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/benchmarks/target/results}
steps=${STEPS:-jmh,small,airflow-small,large,large-nofsync,e2e-large,perop,memory,jni-stress,gib,growth,many}
mkdir -p "$out"
jar=$root/benchmarks/target/benchmarks.jar
[[ -f $jar ]] || (cd "$root" && mvn -q -B -pl benchmarks -am -DskipTests package)
cd "$root"

state=$(mktemp -d /tmp/xcom-bench.XXXXXX)
stop_servers() {
    [[ -f $state/postgres.env ]] && "$root/bin/servers/postgres.sh" stop "$state" || true
    [[ -f $state/minio.env ]] && "$root/bin/servers/minio.sh" stop "$state" || true
    kill "${load_pid:-0}" 2>/dev/null || true
}
trap stop_servers EXIT
if [[ -z ${XCOM_TEST_PG_JDBC_URL:-} ]]; then
    "$root/bin/servers/postgres.sh" start "$state"
    # shellcheck disable=SC1091
    source "$state/postgres.env"
fi
if [[ -z ${XCOM_TEST_S3_ENDPOINT:-} ]]; then
    "$root/bin/servers/minio.sh" start "$state"
    # shellcheck disable=SC1091
    source "$state/minio.env"
fi

{ date -u; nproc; grep -m1 'model name' /proc/cpuinfo; free -m; uptime; java -version 2>&1; git -C "$root" rev-parse HEAD; } > "$out/machine.txt"
# the machine may be shared: a load sample every 20 s shows what else ran
( while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 20; done ) > "$out/load.log" &
load_pid=$!

step() { [[ ,$steps, == *,$1,* ]]; }
run() { # name, command...
    local name=$1; shift
    echo "== $(date -u +%H:%M:%S) $name: $*" | tee -a "$out/steps.log"
    "$@" 2>&1 | tee "$out/$name.txt"
    echo "== $(date -u +%H:%M:%S) $name done" | tee -a "$out/steps.log"
}
J=(java -cp "$jar")
airflow=off
[[ -n ${XCOM_TEST_AIRFLOW2_PYTHON:-} ]] && airflow=on

step jmh && run jmh java -jar "$jar" -f 1 -wi 2 -w 1s -i 3 -r 2s -rf json -rff "$out/jmh.json"
step small && run small "${J[@]}" io.xcomhybrid.benchmarks.EndToEnd --parts small --runs 3 --small-ops 2000 \
    --databases sqlite,postgresql --threads 1,8,32
step airflow-small && [[ $airflow == on ]] && run airflow-small "${J[@]}" io.xcomhybrid.benchmarks.AirflowSmall \
    --runs 3 --ops 500 --workers 1,8,32
step large && run large "${J[@]}" io.xcomhybrid.benchmarks.LargeValues --parts throughput --mib 1,64 \
    --codecs gzip,zstd,lz4,snappy --stores local,s3 --runs 3 --airflow "$airflow"
# 1 MiB to local files as Airflow writes them (fsspec never fsyncs): [xcom_hybrid] local_fsync = false
step large-nofsync && run large-nofsync env AIRFLOW__XCOM_HYBRID__LOCAL_FSYNC=false "${J[@]}" \
    io.xcomhybrid.benchmarks.LargeValues --parts throughput --mib 1 --codecs gzip,zstd,lz4,snappy --stores local \
    --runs 3 --airflow "$airflow"
# local files only, beside the JSON encoder alone (a push's other ceiling) and a pull into a counting sink
step e2e-large && run e2e-large "${J[@]}" io.xcomhybrid.benchmarks.EndToEnd --parts large --large-mib 1,64 \
    --codecs gzip,zstd,lz4,snappy --runs 3
# the control of change 19: lz4 and snappy on the pipeline thread alone (compression_threads 1), and without the fsync
step e2e-large && run e2e-large-ct1 "${J[@]}" io.xcomhybrid.benchmarks.EndToEnd --parts large --large-mib 64 \
    --codecs lz4,snappy --runs 3 --compression-threads 1
step e2e-large && run e2e-large-nofsync "${J[@]}" io.xcomhybrid.benchmarks.EndToEnd --parts large --large-mib 64 \
    --codecs lz4,snappy --runs 3 --local-fsync false
# change 23: the value encoded on two threads (encoding_threads 2; the default is 1), every codec
step e2e-large && run e2e-large-enc2 "${J[@]}" io.xcomhybrid.benchmarks.EndToEnd --parts large --large-mib 64 \
    --codecs gzip,zstd,lz4,snappy --runs 3 --encoding-threads 2
# one operation at a time (~0.1 and 1 MiB): its time distribution beside the encoder, codec and parse alone
step perop && run perop "${J[@]}" io.xcomhybrid.benchmarks.PerOperation --mib 0.125,1 --codecs gzip,zstd,lz4,snappy \
    --stores local,s3 --ops 200 --warmup 50
step perop && run perop-nofsync "${J[@]}" io.xcomhybrid.benchmarks.PerOperation --mib 0.125,1 \
    --codecs gzip,zstd,lz4,snappy --stores local --ops 200 --warmup 50 --local-fsync false
step memory && run memory "${J[@]}" io.xcomhybrid.benchmarks.LargeValues --parts memory --memory-mib 64,1024 \
    --memory-codecs gzip,zstd,lz4,snappy --stores local,s3 --xmx 256m
# the budget itself as the heap limit: threshold (64 KiB) + 64 MiB
step memory && run memory-65m "${J[@]}" io.xcomhybrid.benchmarks.LargeValues --parts memory --memory-mib 1024 \
    --memory-codecs gzip,zstd,lz4,snappy --stores local,s3 --xmx 65m
# not a speed figure: JNI codecs in tiny heaps with several threads (JDK 17 GCLocker OutOfMemoryError), every codec
step jni-stress && run jni-stress "${J[@]}" io.xcomhybrid.benchmarks.JniStress --xmx 32m --threads 4 --mib 64 \
    --rounds 2 --compression-threads 0,1,2
step gib && run gib "${J[@]}" io.xcomhybrid.benchmarks.LargeValues --parts throughput --mib 1024 --codecs gzip,lz4 \
    --stores local,s3 --runs 1 --airflow off
step growth && run growth java -Djava.awt.headless=true -cp "$jar" io.xcomhybrid.benchmarks.Growth --runs 3 \
    --max-mib 1024 --codec lz4 --png "$out/growth.png"
step many && run many "${J[@]}" io.xcomhybrid.benchmarks.ManyXComs --count 100000 --threads 32 --orphans 1000 \
    --databases postgresql --store minio
echo "results in $out"
