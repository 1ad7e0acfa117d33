#!/usr/bin/env bash
set -uo pipefail
source /tmp/s3large-minio/minio.env
export XCOM_TEST_AIRFLOW2_PYTHON=~/.cache/xcom-hybrid/venvs/airflow2/bin/python
J=/tmp/s3large-out/after.jar
O=/tmp/s3large-out
(while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 20; done) > $O/load.log &
LOADPID=$!
date -u; uptime
( time java -cp $J io.xcomhybrid.benchmarks.LargeValues --parts throughput --mib 1,64 --codecs gzip,zstd,lz4,snappy --stores local,s3 --runs 3 ) > $O/throughput.txt 2>&1
date -u
( time java -cp $J io.xcomhybrid.benchmarks.LargeValues --parts memory --memory-mib 64,1024 --memory-codecs gzip,lz4 --stores local,s3 --xmx 256m ) > $O/memory.txt 2>&1
date -u
( time java -cp $J io.xcomhybrid.benchmarks.LargeValues --parts throughput --mib 1024 --codecs lz4 --stores local,s3 --runs 1 ) > $O/throughput-1g.txt 2>&1
date -u; uptime
kill $LOADPID
