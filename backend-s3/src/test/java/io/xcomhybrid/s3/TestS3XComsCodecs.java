package io.xcomhybrid.s3;

import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.XComFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hybrid backend end to end on MinIO with every codec: rows in SQLite, small values in the row, large ones
 * compressed under {@code s3://minio_conn@bucket/xcom}, the connection from {@code AIRFLOW_CONN_MINIO_CONN}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestS3XComsCodecs
{
    private static final String RUN_ID = "manual__2024-01-01T00:00:00+00:00";

    @TempDir
    Path temp;

    private S3Endpoint endpoint;
    private S3Client s3;
    private String bucket;

    @BeforeAll
    void createBucket()
    {
        endpoint = MinioFixture.instance().endpoint();
        s3 = endpoint.client();
        bucket = "xcom-codecs-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(request -> request.bucket(bucket));
    }

    @AfterAll
    void deleteBucket()
    {
        s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()
                .forEach(object -> s3.deleteObject(request -> request.bucket(bucket).key(object.key())));
        s3.deleteBucket(request -> request.bucket(bucket));
        s3.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bz2", "xz", "lzma", "zip", "lz4", "zstd", "snappy"})
    void smallInTheRowLargeInMinio(String codec)
            throws IOException
    {
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + temp.resolve(codec + ".db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "s3://minio_conn@" + bucket + "/xcom",
                        "xcom_objectstorage_threshold", "1024",
                        "xcom_objectstorage_compression", codec)),
                Map.of("AIRFLOW_CONN_MINIO_CONN", endpoint.connectionJson()));
        try (XComs xcoms = XComs.open(config)) {
            XComKey small = new XComKey("etl", RUN_ID, codec, -1, "small");
            assertThat(xcoms.push(small, Map.of("rows", 3)).placement()).isEqualTo(Placement.DATABASE);

            List<Object> large = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                large.add(Map.of("id", i, "name", "row " + i, "score", i / 7.0));
            }
            XComKey key = new XComKey("etl", RUN_ID, codec, -1, "return_value");
            PushResult result = xcoms.push(key, large);
            assertThat(result.placement()).isEqualTo(Placement.OBJECT);
            String objectKey = result.location().orElseThrow().key();
            assertThat(objectKey).startsWith("xcom/etl/" + RUN_ID + "/" + codec + "/").endsWith(Compressions.forName(codec).suffix());

            // the stored object is the codec's encoding of exactly the JSON text
            ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(request -> request.bucket(bucket).key(objectKey));
            try (InputStream in = Compressions.forPath(objectKey).decompress(new ByteArrayInputStream(stored.asByteArray()))) {
                assertThat(in.readAllBytes()).isEqualTo(XComJson.standard().toBytes(large));
            }
            assertThat(xcoms.pull(key)).isEqualTo(large);
            assertThat(xcoms.pull(small)).isEqualTo(Map.of("rows", 3));

            assertThat(xcoms.clear(XComFilter.run("etl", RUN_ID).withTaskId(codec))).isEqualTo(2);
            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix("xcom/etl/" + RUN_ID + "/" + codec + "/")).contents()).isEmpty();
        }
    }
}
