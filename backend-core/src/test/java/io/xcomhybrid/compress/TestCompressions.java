package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCompressions
{
    @Test
    void testAllInFsspecOrder()
    {
        assertThat(Compressions.all()).extracting(Compression::name)
                .containsExactly("zip", "bz2", "gzip", "lzma", "xz", "snappy", "lz4", "zstd");
        assertThat(Compressions.all()).extracting(Compression::suffix)
                .containsExactly(".zip", ".bz2", ".gz", ".lzma", ".xz", ".snappy", ".lz4", ".zst");
    }

    @Test
    void testForName()
    {
        for (Compression compression : Compressions.all()) {
            assertThat(Compressions.forName(compression.name())).isSameAs(compression);
        }
        assertThat(Compressions.forName("gzip")).isInstanceOf(GzipCompression.class);
        assertThat(Compressions.forName(" zstd ").name()).isEqualTo("zstd");
        assertThat(Compressions.forName(null)).isSameAs(Compressions.NONE);
        assertThat(Compressions.forName("")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forName("  ")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forName("none")).isSameAs(Compressions.NONE);
    }

    @Test
    void testParallelFormsWriteWhatTheFormatReads()
            throws Exception
    {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            byte[] text = "{\"rows\": [1, 2, 3]}".repeat(200_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (Compression compression : Compressions.all()) {
                java.util.Optional<Compression> parallel = compression.parallel(executor, 2);
                if (!List.of("gzip", "lz4", "snappy").contains(compression.name())) {
                    assertThat(parallel).as(compression.name()).isEmpty();
                    continue;
                }
                assertThat(parallel).as(compression.name()).isPresent();
                assertThat(parallel.get().name()).isEqualTo(compression.name());
                assertThat(parallel.get().suffix()).isEqualTo(compression.suffix());
                ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                try (OutputStream out = parallel.get().compress(compressed)) {
                    out.write(text);
                }
                try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed.toByteArray()))) {
                    assertThat(in.readAllBytes()).as(compression.name()).isEqualTo(text);
                }
            }
            // a gzip level carries over: level 1 gives larger members than level 9
            assertThat(compressedSize(new GzipCompression(1).parallel(executor, 2).orElseThrow(), text))
                    .isGreaterThan(compressedSize(new GzipCompression(9).parallel(executor, 2).orElseThrow(), text));
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static int compressedSize(Compression compression, byte[] text)
            throws Exception
    {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = compression.compress(compressed)) {
            out.write(text);
        }
        return compressed.size();
    }

    @Test
    void testForNameRejectsSuffixesAndUnknownNames()
    {
        assertThatThrownBy(() -> Compressions.forName("gz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gz' is not supported")
                .hasMessageContaining("Did you mean 'gzip'?")
                .hasMessageContaining("zip, bz2, gzip, lzma, xz, snappy, lz4, zstd")
                .hasMessageContaining("'gzip', not 'gz'");
        assertThatThrownBy(() -> Compressions.forName("zst"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Did you mean 'zstd'?");
        // Airflow compares names exactly, so GZIP fails there too
        assertThatThrownBy(() -> Compressions.forName("GZIP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Did you mean 'gzip'?");
        assertThatThrownBy(() -> Compressions.forName("brotli"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'brotli' is not supported")
                .hasMessageNotContaining("Did you mean");
    }

    @Test
    void testForPath()
    {
        assertThat(Compressions.forPath("s3://aws_default@bucket/xcom/dag/run/task/0123-uuid.gz").name()).isEqualTo("gzip");
        assertThat(Compressions.forPath("/tmp/xcom/value.bz2").name()).isEqualTo("bz2");
        assertThat(Compressions.forPath("file:///tmp/xcom/value.xz").name()).isEqualTo("xz");
        assertThat(Compressions.forPath("gs://bucket/value.lzma").name()).isEqualTo("lzma");
        assertThat(Compressions.forPath("value.zip").name()).isEqualTo("zip");
        assertThat(Compressions.forPath("value.lz4").name()).isEqualTo("lz4");
        assertThat(Compressions.forPath("value.zst").name()).isEqualTo("zstd");
        assertThat(Compressions.forPath("value.snappy").name()).isEqualTo("snappy");
        // infer_compression lower-cases the extension
        assertThat(Compressions.forPath("s3://bucket/VALUE.GZ").name()).isEqualTo("gzip");
        assertThat(Compressions.forPath("s3://bucket/value.Zst").name()).isEqualTo("zstd");
        // only the last suffix counts
        assertThat(Compressions.forPath("s3://bucket/value.gz.json")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forPath("s3://bucket/value.json.gz").name()).isEqualTo("gzip");
    }

    @Test
    void testForPathWithoutKnownSuffixIsUncompressed()
    {
        assertThat(Compressions.forPath("s3://bucket/xcom/dag/run/task/0123-uuid")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forPath("s3://bucket/value.json")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forPath("s3://bucket/value.gzip")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forPath("s3://bucket/value.")).isSameAs(Compressions.NONE);
        // a dot in a directory name is not a suffix
        assertThat(Compressions.forPath("s3://bucket/dir.gz/value")).isSameAs(Compressions.NONE);
        // os.path.splitext: leading dots do not start an extension
        assertThat(Compressions.forPath("s3://bucket/xcom/.gz")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forPath("s3://bucket/xcom/..gz")).isSameAs(Compressions.NONE);
        assertThat(Compressions.forPath("s3://bucket/xcom/.hidden.gz").name()).isEqualTo("gzip");
        assertThat(Compressions.forPath("")).isSameAs(Compressions.NONE);
    }

    @Test
    void testNoneIsIdentity()
            throws Exception
    {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = Compressions.NONE.compress(sink);
        out.write(new byte[] {1, 2, 3});
        out.close();
        assertThat(sink.toByteArray()).containsExactly(1, 2, 3);
        InputStream in = Compressions.NONE.decompress(new ByteArrayInputStream(new byte[] {4, 5}));
        assertThat(in.readAllBytes()).containsExactly(4, 5);
        assertThat(Compressions.NONE.suffix()).isEmpty();
    }
}
