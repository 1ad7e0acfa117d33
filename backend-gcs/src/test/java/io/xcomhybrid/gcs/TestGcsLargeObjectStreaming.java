package io.xcomhybrid.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An object several times larger than the heap goes up and comes back through the store: uploads and reads stream. */
class TestGcsLargeObjectStreaming
{
    private static final long HEAP = 64L * 1024 * 1024;
    private static final long SIZE = 3 * HEAP + 12345;
    // fake-gcs-server copies the whole upload on every resumable chunk (quadratic time), so use large chunks here
    private static final int CHUNK_SIZE = 16 * 1024 * 1024;

    @Test
    void objectLargerThanHeapStreamsBothWays()
            throws Exception
    {
        FakeGcsServerFixture.Endpoint endpoint = FakeGcsServerFixture.INSTANCE.endpoint();
        String bucket = "xcom-large-" + UUID.randomUUID().toString().substring(0, 8);
        Storage client = endpoint.client();
        try {
            client.create(BucketInfo.of(bucket));
            try {
                Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + HEAP, "-cp", System.getProperty("java.class.path"),
                        LargeObjectRoundTrip.class.getName(), endpoint.url(), bucket, String.valueOf(SIZE), String.valueOf(CHUNK_SIZE)))
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output).contains("maxHeap=").contains("bytesRead=" + SIZE);
                long maxHeap = Long.parseLong(output.lines().filter(line -> line.startsWith("maxHeap=")).findFirst().orElseThrow().substring(8));
                assertThat(maxHeap).isLessThan(SIZE / 2);
                String written = output.lines().filter(line -> line.startsWith("written=")).findFirst().orElseThrow().substring(8);
                String read = output.lines().filter(line -> line.startsWith("read=")).findFirst().orElseThrow().substring(5);
                assertThat(read).isEqualTo(written);
                assertThat(client.get(BlobId.of(bucket, "large/value.json")).getSize()).isEqualTo(SIZE);
            }
            finally {
                client.delete(BlobId.of(bucket, "large/value.json"));
                client.delete(bucket);
            }
        }
        finally {
            client.close();
        }
    }
}
