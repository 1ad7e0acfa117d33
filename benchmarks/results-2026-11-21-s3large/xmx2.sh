#!/usr/bin/env bash
# smallest heap for an S3 ranged pull (lz4; 256 MiB of JSON = 78 MiB compressed, > 2 parts, so the ranged path in steady state)
set -uo pipefail
source /tmp/s3large-minio/minio.env
D=/tmp/s3large-ba
export AIRFLOW_CONN_BENCH_MINIO="{\"conn_type\": \"aws\", \"extra\": {\"endpoint_url\": \"$XCOM_TEST_S3_ENDPOINT\", \"region_name\": \"$XCOM_TEST_S3_REGION\", \"aws_access_key_id\": \"$XCOM_TEST_S3_ACCESS_KEY\", \"aws_secret_access_key\": \"$XCOM_TEST_S3_SECRET_KEY\"}}"
RUN=xmx2_$(date +%s)
J=/tmp/s3large-out/after.jar
MIB=${MIB:-256}
uptime
echo -n "push -Xmx256m: "; java -Xmx256m -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg push $MIB $RUN 2>>$D/xmx2-err.log
for x in 96m 80m 72m; do echo -n "pull-keep -Xmx$x: "; java -Xmx$x -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull-keep $MIB $RUN 2>>$D/xmx2-err.log || echo FAILED exit $?; done
for p in 2 1; do echo -n "pull-keep -Xmx64m s3_download_parallelism=$p: "; AIRFLOW__XCOM_HYBRID__S3_DOWNLOAD_PARALLELISM=$p java -Xmx64m -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull-keep $MIB $RUN 2>>$D/xmx2-err.log || echo FAILED exit $?; done
echo -n "pull -Xmx256m: "; java -Xmx256m -cp $J io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull $MIB $RUN 2>>$D/xmx2-err.log
uptime
