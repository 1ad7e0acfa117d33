package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static io.xcomhybrid.compress.CompressionTesting.python;
import static org.assertj.core.api.Assertions.assertThat;

class TestZipCompression
        extends AbstractCompressionTest
{
    // fsspec's unzip: ZipFile(f, mode="w").open("file", mode="w"), STORED by default
    private static final String PYTHON_WRITE_TO_PIPE = """
            import sys, zipfile
            data = sys.stdin.buffer.read()
            z = zipfile.ZipFile(sys.stdout.buffer, mode='w', compression=zipfile.%s)
            fo = z.open('file', mode='w')
            fo.write(data)
            fo.close()
            z.close()
            """;

    @Override
    public Compression compression()
    {
        return new ZipCompression();
    }

    @Override
    protected boolean readsToTheEnd()
    {
        // streaming stops after the member, before the central directory (which Python reads first)
        return false;
    }

    @Test
    void testPythonReadsOurs()
            throws Exception
    {
        // fsspec's unzip: ZipFile(f).open(namelist()[0]); the member name must also be the one fsspec writes
        String script = """
                import sys, io, zipfile
                z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
                assert z.namelist() == ['file'], z.namelist()
                assert z.testzip() is None
                sys.stdout.buffer.write(z.open(z.namelist()[0]).read())
                """;
        byte[] data = jsonLines(3_000_000, 106);
        assertThat(python(script, compress(compression(), data))).isEqualTo(data);
        assertThat(python(script, compress(compression(), new byte[0]))).isEmpty();
    }

    @Test
    void testWritesDeflatedMemberNamedFileWithDataDescriptor()
            throws Exception
    {
        byte[] zip = compress(compression(), jsonLines(100_000, 100));
        assertThat(zip).startsWith(0x50, 0x4B, 0x03, 0x04);
        assertThat(StoredEntryInputStream.int16(zip, 6) & 0x08).as("data descriptor flag").isNotZero();
        assertThat(StoredEntryInputStream.int16(zip, 8)).as("method").isEqualTo(8);
        assertThat(new String(zip, 30, StoredEntryInputStream.int16(zip, 26), StandardCharsets.UTF_8)).isEqualTo("file");
    }

    @Test
    void testReadsPythonStoredMemberWithDataDescriptor()
            throws Exception
    {
        byte[] data = withSignatureLookalikes(jsonLines(5_000_000, 101));
        byte[] zip = python(PYTHON_WRITE_TO_PIPE.formatted("ZIP_STORED"), data);
        assertThat(StoredEntryInputStream.int16(zip, 6) & 0x08).as("data descriptor flag").isNotZero();
        assertThat(StoredEntryInputStream.int16(zip, 8)).as("method").isEqualTo(0);
        assertThat(decompress(compression(), zip)).isEqualTo(data);

        assertThat(decompress(compression(), python(PYTHON_WRITE_TO_PIPE.formatted("ZIP_STORED"), new byte[0]))).isEmpty();
        byte[] tiny = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(decompress(compression(), python(PYTHON_WRITE_TO_PIPE.formatted("ZIP_STORED"), tiny))).isEqualTo(tiny);
    }

    @Test
    void testReadsPythonDeflatedMemberWithDataDescriptor()
            throws Exception
    {
        byte[] data = jsonLines(2_000_000, 102);
        byte[] zip = python(PYTHON_WRITE_TO_PIPE.formatted("ZIP_DEFLATED"), data);
        assertThat(StoredEntryInputStream.int16(zip, 6) & 0x08).isNotZero();
        assertThat(StoredEntryInputStream.int16(zip, 8)).isEqualTo(8);
        assertThat(decompress(compression(), zip)).isEqualTo(data);
    }

    @Test
    void testReadsPythonStoredMemberWrittenToSeekableFile()
            throws Exception
    {
        // fsspec on a local file: seekable, so the sizes are patched into the local header and no descriptor follows
        byte[] data = jsonLines(1_000_000, 103);
        Path file = Files.createTempFile("value", ".zip");
        try {
            python("""
                    import sys, zipfile
                    with open(sys.argv[1], 'wb') as f:
                        z = zipfile.ZipFile(f, mode='w')
                        fo = z.open('file', mode='w')
                        fo.write(sys.stdin.buffer.read())
                        fo.close()
                        z.close()
                    """.replace("sys.argv[1]", "'" + file + "'"), data);
            byte[] zip = Files.readAllBytes(file);
            assertThat(StoredEntryInputStream.int16(zip, 6) & 0x08).isZero();
            assertThat(StoredEntryInputStream.int16(zip, 8)).isEqualTo(0);
            assertThat(decompress(compression(), zip)).isEqualTo(data);
        }
        finally {
            Files.delete(file);
        }
    }

    @Test
    void testReadsFirstMemberWhateverItsName()
            throws Exception
    {
        byte[] zip = python("""
                import sys, zipfile
                z = zipfile.ZipFile(sys.stdout.buffer, mode='w')
                z.writestr('value.json', b'{"first": 1}')
                z.writestr('other', b'{"second": 2}')
                z.close()
                """, new byte[0]);
        assertThat(decompress(compression(), zip)).asString(StandardCharsets.UTF_8).isEqualTo("{\"first\": 1}");
    }

    @Test
    void testStoredMemberCorruptOrTruncated()
            throws Exception
    {
        byte[] data = jsonLines(300_000, 104);
        byte[] zip = python(PYTHON_WRITE_TO_PIPE.formatted("ZIP_STORED"), data);
        byte[] corrupt = zip.clone();
        corrupt[1000] ^= 1;
        assertInvalid(corrupt);
        assertInvalid(Arrays.copyOf(zip, 200_000));
        assertInvalid(Arrays.copyOf(zip, 35));
    }

    @Test
    void testEmptyArchiveFails()
            throws Exception
    {
        byte[] zip = python("import sys, zipfile; zipfile.ZipFile(sys.stdout.buffer, mode='w').close()", new byte[0]);
        assertInvalid(zip);
        assertThat(catchMessage(zip)).contains("no member");
    }

    private String catchMessage(byte[] zip)
    {
        return org.assertj.core.api.Assertions.catchThrowable(() -> decompress(compression(), zip)).getMessage();
    }

    /**
     * Plants descriptor signatures in the data, some followed by this very data's size (but the wrong CRC), and
     * some straddling the reader's 64 KiB buffer boundaries, none of which may end the member early.
     */
    private static byte[] withSignatureLookalikes(byte[] data)
    {
        byte[] result = data.clone();
        Random random = new Random(105);
        byte[] signature = {'P', 'K', 7, 8};
        for (int i = 0; i < 400; i++) {
            int offset = random.nextInt(result.length - 64);
            System.arraycopy(signature, 0, result, offset, 4);
        }
        for (int boundary = 65536; boundary < result.length - 64; boundary += 65536) {
            System.arraycopy(signature, 0, result, boundary - 2, 4);
        }
        // a fake 16-byte descriptor whose sizes equal its own offset
        int offset = 1_234_567;
        byte[] fake = concat(signature, new byte[] {1, 2, 3, 4}, le32(offset), le32(offset));
        System.arraycopy(fake, 0, result, offset, fake.length);
        return result;
    }

    private static byte[] le32(int value)
    {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }
}
