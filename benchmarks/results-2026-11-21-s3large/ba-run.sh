#!/usr/bin/env bash
# before/after of the S3RangedInputStream fix: one 1 GiB lz4 value pushed once, then pulled (pullJson, -Xmx256m) with the jar before and after, alternately
set -euo pipefail
source /tmp/s3large-minio/minio.env
D=/tmp/s3large-ba
export AIRFLOW_CONN_BENCH_MINIO="{\"conn_type\": \"aws\", \"extra\": {\"endpoint_url\": \"$XCOM_TEST_S3_ENDPOINT\", \"region_name\": \"$XCOM_TEST_S3_REGION\", \"aws_access_key_id\": \"$XCOM_TEST_S3_ACCESS_KEY\", \"aws_secret_access_key\": \"$XCOM_TEST_S3_SECRET_KEY\"}}"
cat > $D/airflow.cfg <<CFG
[core]
xcom_backend = airflow.providers.common.io.xcom.backend.XComObjectStorageBackend
[database]
sql_alchemy_conn = sqlite:///$D/xcom.db
[common.io]
xcom_objectstorage_path = s3://bench_minio@xcom-bench-large/ba
xcom_objectstorage_threshold = 65536
xcom_objectstorage_compression = lz4
CFG
MIB=${MIB:-1024}
RUN=ba_$(date +%s)
uptime
java -Xmx256m -cp /tmp/s3large-out/after.jar io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg push $MIB $RUN 2>>$D/err.log
for i in 1 2 3; do
  for v in before after; do
    echo -n "$v "; java -Xmx256m -cp /tmp/s3large-out/$v.jar io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull-keep $MIB $RUN 2>>$D/err.log
  done
done
java -Xmx256m -cp /tmp/s3large-out/after.jar io.xcomhybrid.benchmarks.MemoryProbe $D/airflow.cfg pull $MIB $RUN 2>>$D/err.log
uptime
