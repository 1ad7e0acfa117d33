#!/usr/bin/env bash
# does a 1 GiB lz4 value push and pull through MinIO within a heap of the bound itself?
set -uo pipefail
source /tmp/s3large-minio/minio.env
D=/tmp/s3large-ba
export AIRFLOW_CONN_BENCH_MINIO="{\"conn_type\": \"aws\", \"extra\": {\"endpoint_url\": \"$XCOM_TEST_S3_ENDPOINT\", \"region_name\": \"$XCOM_TEST_S3_REGION\", \"aws_access_key_id\": \"$XCOM_TEST_S3_ACCESS_KEY\", \"aws_secret_access_key\": \"$XCOM_TEST_S3_SECRET_KEY\"}}"
RUN=xmx_$(date +%s)
J=/tmp/s3large-out/after.jar
uptime
for x in 64m; do echo -n "push -Xmx$x: "; java -Xmx$x -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg push 1024 $RUN 2>>$D/xmx-err.log || echo FAILED exit $?; done
for x in 64m 48m; do echo -n "pull-keep -Xmx$x: "; java -Xmx$x -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull-keep 1024 $RUN 2>>$D/xmx-err.log || echo FAILED exit $?; done
echo -n "pull -Xmx256m: "; java -Xmx256m -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull 1024 $RUN 2>>$D/xmx-err.log
uptime
