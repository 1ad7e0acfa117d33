package io.xcomhybrid.cli;

import io.xcomhybrid.s3.MinioFixture;
import io.xcomhybrid.s3.S3Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command end to end against MinIO with the location written as Airflow writes it,
 * {@code s3://minio_conn@bucket/xcom}, and the connection in {@code AIRFLOW_CONN_MINIO_CONN}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestXComCliOnMinio
{
    private static final String RUN_ID = "manual__2024-01-01T00:00:00+00:00";

    @TempDir
    Path work;

    private S3Endpoint endpoint;
    private S3Client s3;
    private String bucket;
    private CliProcess xcom;

    @BeforeAll
    void createBucket()
    {
        endpoint = MinioFixture.instance().endpoint();
        s3 = endpoint.client();
        bucket = "xcom-cli-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(request -> request.bucket(bucket));
    }

    @AfterAll
    void closeClient()
    {
        s3.close();
    }

    @BeforeEach
    void setUp()
    {
        xcom = new CliProcess(work)
                .env("AIRFLOW_CONN_MINIO_CONN", endpoint.connectionJson())
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "s3://minio_conn@" + bucket + "/xcom")
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "1000");
    }

    private static String[] cmd(String command, String task, String... more)
    {
        return Stream.of(new String[] {command, "-d", "etl", "-r", RUN_ID, "-t", task}, more).flatMap(Stream::of).toArray(String[]::new);
    }

    @Test
    void compressedValueRoundTripsThroughMinio()
            throws Exception
    {
        xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION", "gzip");
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"id\": ").append(i).append("}");
        }
        json.append("]");
        Path input = work.resolve("gz.json");
        Files.writeString(input, json);
        CliProcess.Result push = xcom.run(cmd("push", "gz", "--file", input.toString()));
        assertThat(push.exitCode()).as(push.toString()).isZero();
        String prefix = "object s3://minio_conn@" + bucket + "/xcom/etl/" + RUN_ID + "/gz/";
        assertThat(push.stdout().strip()).startsWith(prefix).endsWith(".gz");

        String key = push.stdout().strip().substring(("object s3://minio_conn@" + bucket + "/").length());
        List<S3Object> objects = s3.listObjectsV2(request -> request.bucket(bucket).prefix("xcom/etl/")).contents();
        assertThat(objects).extracting(S3Object::key).contains(key);

        CliProcess.Result pull = xcom.run(cmd("pull", "gz"));
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        assertThat(pull.stdout()).isEqualTo(json.toString());

        CliProcess.Result small = xcom.run(cmd("push", "small", "--json", "{\"a\": 1}"));
        assertThat(small.stdout().strip()).isEqualTo("database 8");

        CliProcess.Result clear = xcom.run("clear", "-d", "etl", "-r", RUN_ID);
        assertThat(clear.exitCode()).as(clear.toString()).isZero();
        assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix("xcom/etl/" + RUN_ID + "/gz/")).contents()).isEmpty();
    }

    @Test
    void oneGibibyteValueStreamsThroughASmallHeap()
            throws Exception
    {
        Path input = work.resolve("big.json");
        long target = 1024L * 1024 * 1024;
        try (BufferedWriter writer = Files.newBufferedWriter(input, UTF_8)) {
            writer.write('[');
            long written = 1;
            for (int i = 0; written < target; i++) {
                String item = (i == 0 ? "" : ", ") + "{\"id\": " + i + ", \"payload\": \"" + Integer.toHexString(i * 31) + "-abcdefghijklmnopqrstuvwxyz\"}";
                writer.write(item);
                written += item.length();
            }
            writer.write(']');
        }
        try {
            // uncompressed, so the object is the full 1 GiB: 128 parts of 8 MiB through a 256 MiB heap
            xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION", "");
            CliProcess.Result push = xcom.jvm("-Xmx256m").run(cmd("push", "big", "--file", input.toString()));
            assertThat(push.exitCode()).as(push.toString()).isZero();
            assertThat(push.stdout()).startsWith("object s3://minio_conn@" + bucket + "/xcom/etl/");
            String key = push.stdout().strip().substring(("object s3://minio_conn@" + bucket + "/").length());
            assertThat(s3.headObject(request -> request.bucket(bucket).key(key)).contentLength()).isEqualTo(Files.size(input));

            Path output = work.resolve("big.out.json");
            CliProcess.Result pull = xcom.jvm("-Xmx256m").run(cmd("pull", "big", "-o", output.toString()));
            assertThat(pull.exitCode()).as(pull.toString()).isZero();
            assertThat(Files.size(output)).isEqualTo(Files.size(input));
            assertThat(Files.mismatch(input, output)).isEqualTo(-1);
            Files.delete(output);

            CliProcess.Result delete = xcom.run(cmd("delete", "big"));
            assertThat(delete.exitCode()).as(delete.toString()).isZero();
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix(key)).contents()).isEmpty();
        }
        finally {
            Files.deleteIfExists(input);
        }
    }

    @Test
    void missingBucketAndWrongCredentialsAreOneLineErrors()
            throws Exception
    {
        String missing = "xcom-missing-" + UUID.randomUUID().toString().substring(0, 8);
        CliProcess.Result noBucket = xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "s3://minio_conn@" + missing + "/xcom")
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "0")
                .run(cmd("push", "t", "--json", "1"));
        assertThat(noBucket.exitCode()).as(noBucket.toString()).isEqualTo(3);
        assertThat(noBucket.stderr()).contains("bucket '" + missing + "' does not exist").doesNotContain("\tat ");

        String wrongSecret = "wrong-" + UUID.randomUUID();
        CliProcess.Result denied = xcom.env("AIRFLOW_CONN_MINIO_CONN",
                        new S3Endpoint(endpoint.endpoint(), endpoint.accessKey(), wrongSecret, endpoint.region()).connectionJson())
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "s3://minio_conn@" + bucket + "/xcom")
                .run(cmd("push", "t", "--json", "1"));
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(3);
        assertThat(denied.stderr()).contains("Access denied").contains("connection 'minio_conn'").doesNotContain(wrongSecret)
                .doesNotContain("\tat ");
    }
}
