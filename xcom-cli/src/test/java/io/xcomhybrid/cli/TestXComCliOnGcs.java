package io.xcomhybrid.cli;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.xcomhybrid.gcs.FakeGcsServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command end to end with objects in GCS (fake-gcs-server through the shared fixture), rows in the embedded
 * SQLite: {@code xcom_objectstorage_path = gs://gcs_conn@bucket/xcom} with a {@code google_cloud_platform} connection.
 */
class TestXComCliOnGcs
{
    private static final String RUN_ID = "manual__2024-01-01T00:00:00+00:00";

    @TempDir
    Path work;

    private Storage client;
    private String bucket;
    private CliProcess xcom;

    @BeforeEach
    void setUp()
    {
        FakeGcsServerFixture.Endpoint endpoint = FakeGcsServerFixture.INSTANCE.endpoint();
        client = endpoint.client();
        bucket = "xcom-cli-" + UUID.randomUUID().toString().substring(0, 8);
        client.create(BucketInfo.of(bucket));
        xcom = new CliProcess(work)
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "gs://gcs_conn@" + bucket + "/xcom")
                .env("AIRFLOW_CONN_GCS_CONN", "{\"conn_type\": \"google_cloud_platform\", \"extra\": {\"gcs.endpoint\": \""
                        + endpoint.url() + "\", \"project\": \"" + endpoint.project() + "\"}}");
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        List<BlobId> blobs = new ArrayList<>();
        client.list(bucket).iterateAll().forEach(blob -> blobs.add(blob.getBlobId()));
        if (!blobs.isEmpty()) {
            client.delete(blobs);
        }
        client.delete(bucket);
        client.close();
    }

    private static String[] cmd(String command, String task, String... more)
    {
        String[] base = {command, "-d", "etl", "-r", RUN_ID, "-t", task};
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void pushPullListAndClearOnGcs()
            throws Exception
    {
        CliProcess.Result small = xcom.run(cmd("push", "small", "--json", "{\"a\": 1}"));
        assertThat(small.exitCode()).as(small.toString()).isZero();
        assertThat(small.stdout().strip()).isEqualTo("database 8");

        CliProcess.Result large = xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "10")
                .run(cmd("push", "large", "--json", "[\"" + "z".repeat(100) + "\"]"));
        assertThat(large.exitCode()).as(large.toString()).isZero();
        String prefix = "object gs://gcs_conn@" + bucket + "/xcom/etl/" + RUN_ID + "/large/";
        assertThat(large.stdout().strip()).startsWith(prefix).endsWith(".gz");
        String name = large.stdout().strip().substring(("object gs://gcs_conn@" + bucket + "/").length());
        assertThat(client.get(BlobId.of(bucket, name))).isNotNull();

        CliProcess.Result pulled = xcom.run(cmd("pull", "large"));
        assertThat(pulled.exitCode()).as(pulled.toString()).isZero();
        assertThat(pulled.stdout()).isEqualTo("[\"" + "z".repeat(100) + "\"]");

        CliProcess.Result list = xcom.run("list", "-d", "etl");
        assertThat(list.stdout()).contains("gs://gcs_conn@" + bucket + "/xcom/etl/");

        CliProcess.Result clear = xcom.run("clear", "-d", "etl", "-r", RUN_ID);
        assertThat(clear.exitCode()).as(clear.toString()).isZero();
        assertThat(clear.stdout().strip()).isEqualTo("cleared 2");
        assertThat(client.get(BlobId.of(bucket, name))).isNull();
    }

    @Test
    void doctorProbesTheBucket()
            throws Exception
    {
        CliProcess.Result doctor = xcom.run("doctor");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
        assertThat(doctor.stdout()).contains("object store gs://gcs_conn@" + bucket + "/xcom").contains("all checks passed");
        // the probe was removed again
        assertThat(client.list(bucket).iterateAll()).isEmpty();
    }

    @Test
    void missingBucketIsNamedAndExitsWithThree()
            throws Exception
    {
        CliProcess.Result result = xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "gs://gcs_conn@no-such-bucket-" + bucket + "/xcom")
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "0")
                .run(cmd("push", "x", "--json", "1"));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr()).contains("Bucket does not exist").contains("no-such-bucket-" + bucket);
    }

    @Test
    void valueLargerThanTheHeapStreamsBothWaysThroughGcs()
            throws Exception
    {
        // ~200 MiB of JSON with random payloads (so that the gzip object is larger than the heap too), pushed and
        // pulled by JVMs capped at 64 MiB of heap
        Path input = work.resolve("big.json");
        long target = 200L * 1024 * 1024;
        Random random = new Random(7);
        char[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
        char[] payload = new char[48];
        try (Writer writer = Files.newBufferedWriter(input, UTF_8)) {
            writer.write('[');
            long written = 1;
            for (int i = 0; written < target; i++) {
                for (int j = 0; j < payload.length; j++) {
                    payload[j] = alphabet[random.nextInt(alphabet.length)];
                }
                String item = (i == 0 ? "" : ", ") + "{\"id\": " + i + ", \"payload\": \"" + new String(payload) + "\"}";
                writer.write(item);
                written += item.length();
            }
            writer.write(']');
        }
        xcom.jvm("-Xmx64m");
        CliProcess.Result push = xcom.run(cmd("push", "big", "--file", input.toString()));
        assertThat(push.exitCode()).as(push.toString()).isZero();
        assertThat(push.stdout()).startsWith("object gs://gcs_conn@" + bucket + "/xcom/");
        String name = push.stdout().strip().substring(("object gs://gcs_conn@" + bucket + "/").length());
        Blob blob = client.get(BlobId.of(bucket, name));
        assertThat(blob.getSize()).isGreaterThan(64L * 1024 * 1024);

        Path output = work.resolve("big.out.json");
        CliProcess.Result pull = xcom.run(cmd("pull", "big", "-o", output.toString()));
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        assertThat(Files.size(output)).isEqualTo(Files.size(input));
        assertThat(Files.mismatch(input, output)).isEqualTo(-1);
    }
}
