package io.xcomhybrid.s3;

import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A MinIO that dies in the middle of a multipart upload. This needs a server the test can kill and restart on the same
 * port and data, so it always runs its own native MinIO (the binary {@code bin/servers/minio.sh} caches); without that
 * binary the test fails and says how to get it.
 */
class TestS3UploadInterruptedOnMinio
{
    private static final int PART_SIZE = 5 * 1024 * 1024;

    @TempDir
    Path temp;

    private NativeMinio minio;
    private S3ObjectStore store;
    private String bucket;

    @BeforeEach
    void startServer()
            throws IOException
    {
        Path binary = NativeMinio.binary().orElseThrow(() -> new IllegalStateException(
                "No cached MinIO binary: run bin/servers/minio.sh start STATE_DIR once to install it"));
        minio = NativeMinio.start(binary, temp.resolve("data"));
        // one part in flight at a time makes "part 1 is stored, part 2 is not" deterministic; two attempts keep the
        // retries against a dead server short
        S3StoreConfig config = S3StoreConfig.defaults().withPartSize(PART_SIZE).withUploadParallelism(1).withMaxAttempts(2);
        store = S3ObjectStoreFactory.createStore(
                S3ConnectionSettings.from(Optional.of("minio"), Optional.of(minio.endpoint().connection("minio"))), config);
        bucket = "interrupted-" + UUID.randomUUID().toString().substring(0, 8);
        store.client().createBucket(request -> request.bucket(bucket));
    }

    @AfterEach
    void stopServer()
            throws IOException
    {
        if (store != null) {
            store.close();
        }
        if (minio != null) {
            minio.close();
        }
    }

    @Test
    void serverDeathFailsTheUploadAndAbortCleansUpAfterRestart()
            throws IOException
    {
        Location location = Location.parse("s3://minio@" + bucket + "/dag/run/task/" + UUID.randomUUID());
        byte[] part = new byte[PART_SIZE];
        new Random(1).nextBytes(part);

        ObjectSink sink = store.create(location);
        sink.write(part);
        sink.write(part);
        // the third write sends part 2, which waits for part 1 (parallelism 1): part 1 is on the server now
        sink.write(part, 0, 1);
        assertThat(uploads(location)).hasSize(1);

        minio.kill();
        assertThatThrownBy(() -> {
            sink.write(part);
            sink.close();
        })
                .isInstanceOf(IOException.class)
                .hasMessageContaining(location.toString())
                // the abort could not reach the server either; that failure travels along, suppressed
                .satisfies(e -> assertThat(e.getSuppressed()).anySatisfy(suppressed ->
                        assertThat(suppressed).hasMessageContaining("abort the multipart upload")));

        minio.start();
        // the server kept the upload it could not be told to abort
        assertThat(uploads(location)).hasSize(1);
        sink.abort();
        assertThat(uploads(location)).isEmpty();
        assertThat(store.exists(location)).isFalse();
        sink.close();
        sink.abort();
    }

    @Test
    void serverDownAtCloseOfSinglePutCreatesNothing()
            throws IOException
    {
        Location location = Location.parse("s3://minio@" + bucket + "/small/" + UUID.randomUUID());
        ObjectSink sink = store.create(location);
        sink.write(new byte[] {1, 2, 3});
        minio.kill();
        assertThatThrownBy(sink::close)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Failed to create " + location)
                .hasMessageContaining("connection 'minio'");
        minio.start();
        assertThat(store.exists(location)).isFalse();
    }

    private List<MultipartUpload> uploads(Location location)
    {
        return store.client().listMultipartUploads(request -> request.bucket(bucket).prefix(location.key())).uploads();
    }
}
