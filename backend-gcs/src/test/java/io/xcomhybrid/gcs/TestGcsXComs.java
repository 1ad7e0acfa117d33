package io.xcomhybrid.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.xcomhybrid.GcReport;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.XComFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The hybrid backend end to end on the GCS emulator: rows in SQLite, large values as objects under gs://conn@bucket/xcom. */
class TestGcsXComs
{
    private static final String RUN_ID = "manual__2024-01-01T00:00:00+00:00";

    @TempDir
    Path temp;

    private FakeGcsServerFixture.Endpoint endpoint;
    private Storage client;
    private String bucket;
    private XComs xcoms;

    @BeforeEach
    void setUp()
    {
        endpoint = FakeGcsServerFixture.INSTANCE.endpoint();
        client = endpoint.client();
        bucket = "xcom-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        client.create(BucketInfo.of(bucket));
        xcoms = open("gzip");
    }

    private XComs open(String compression)
    {
        Map<String, String> environment = Map.of("AIRFLOW_CONN_GCS_CONN", "{\"conn_type\": \"google_cloud_platform\", "
                + "\"extra\": {\"gcs.endpoint\": \"" + endpoint.url() + "\", \"project\": \"" + endpoint.project() + "\"}}");
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + temp.resolve("xcom.db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "gs://gcs_conn@" + bucket + "/xcom",
                        "xcom_objectstorage_threshold", "1000",
                        "xcom_objectstorage_compression", compression)), environment);
        return XComs.open(config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bz2", "xz", "lzma", "zip", "lz4", "zstd", "snappy"})
    void everyCodecEndToEnd(String codec)
            throws IOException
    {
        try (XComs coded = open(codec)) {
            XComKey small = new XComKey("etl", RUN_ID, codec, -1, "small");
            assertThat(coded.push(small, Map.of("rows", 3)).placement()).isEqualTo(Placement.DATABASE);
            List<Object> large = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                large.add(Map.of("id", i, "name", "row " + i));
            }
            XComKey key = new XComKey("etl", RUN_ID, codec, -1, "return_value");
            PushResult result = coded.push(key, large);
            assertThat(result.placement()).isEqualTo(Placement.OBJECT);
            String objectKey = result.location().orElseThrow().key();
            assertThat(objectKey).endsWith(io.xcomhybrid.compress.Compressions.forName(codec).suffix());
            Blob blob = client.get(BlobId.of(bucket, objectKey));
            try (java.io.InputStream in = io.xcomhybrid.compress.Compressions.forPath(objectKey).decompress(new ByteArrayInputStream(blob.getContent()))) {
                assertThat(in.readAllBytes()).isEqualTo(io.xcomhybrid.json.XComJson.standard().toBytes(large));
            }
            assertThat(coded.pull(key)).isEqualTo(large);
            assertThat(coded.clear(XComFilter.run("etl", RUN_ID).withTaskId(codec))).isEqualTo(2);
            assertThat(client.get(BlobId.of(bucket, objectKey))).isNull();
        }
    }

    @AfterEach
    void tearDown()
            throws Exception
    {
        if (xcoms != null) {
            xcoms.close();
        }
        List<BlobId> blobs = new ArrayList<>();
        client.list(bucket).iterateAll().forEach(blob -> blobs.add(blob.getBlobId()));
        if (!blobs.isEmpty()) {
            client.delete(blobs);
        }
        client.delete(bucket);
        client.close();
    }

    @Test
    void largeValueGoesToGcsAndComesBack()
            throws IOException
    {
        XComKey key = new XComKey("etl", RUN_ID, "extract", -1, "return_value");
        Map<String, Object> value = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            value.put("row" + i, List.of(i, "name " + i));
        }
        PushResult result = xcoms.push(key, value);
        assertThat(result.placement()).isEqualTo(Placement.OBJECT);
        String reference = result.location().orElseThrow().toString();
        assertThat(reference).startsWith("gs://gcs_conn@" + bucket + "/xcom/etl/" + RUN_ID + "/extract/").endsWith(".gz");

        Blob blob = client.get(BlobId.of(bucket, result.location().orElseThrow().key()));
        assertThat(blob).isNotNull();
        // the router's size and digest travel as object metadata
        assertThat(blob.getMetadata()).containsEntry("xcom-json-size", String.valueOf(result.size())).containsKey("xcom-json-sha256");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(blob.getContent()))) {
            assertThat(new String(in.readAllBytes(), UTF_8)).hasSize((int) result.size()).startsWith("{\"row");
        }

        assertThat(xcoms.pull(key)).isEqualTo(value);
        assertThat(xcoms.delete(key)).isTrue();
        assertThat(client.get(BlobId.of(bucket, result.location().orElseThrow().key()))).isNull();
    }

    @Test
    void smallValueStaysInTheDatabase()
    {
        XComKey key = new XComKey("etl", RUN_ID, "small", -1, "return_value");
        PushResult result = xcoms.push(key, Map.of("a", 1));
        assertThat(result.placement()).isEqualTo(Placement.DATABASE);
        assertThat(client.list(bucket).iterateAll()).isEmpty();
        assertThat(xcoms.pull(key)).isEqualTo(Map.of("a", 1));
    }

    @Test
    void clearAndGcRemoveObjects()
    {
        for (int i = 0; i < 3; i++) {
            xcoms.push(new XComKey("etl", RUN_ID, "t" + i, -1, "return_value"), "x".repeat(5000));
        }
        assertThat(client.list(bucket).iterateAll()).hasSize(3);
        assertThat(xcoms.clear(XComFilter.run("etl", RUN_ID))).isEqualTo(3);
        assertThat(client.list(bucket).iterateAll()).isEmpty();

        // an object no row references, named like an XCom object: the sweep deletes it
        String orphan = "xcom/etl/" + RUN_ID + "/gone/" + UUID.randomUUID() + ".gz";
        client.create(BlobInfo.newBuilder(BlobId.of(bucket, orphan)).build(), new byte[] {1, 2, 3});
        GcReport report = xcoms.gc(Duration.ZERO, false);
        assertThat(report.orphans()).extracting(Object::toString).containsExactly("gs://gcs_conn@" + bucket + "/" + orphan);
        assertThat(client.get(BlobId.of(bucket, orphan))).isNull();
    }
}
