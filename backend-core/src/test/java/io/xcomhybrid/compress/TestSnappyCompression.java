package io.xcomhybrid.compress;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.xcomhybrid.compress.CompressionTesting.compress;
import static io.xcomhybrid.compress.CompressionTesting.concat;
import static io.xcomhybrid.compress.CompressionTesting.jsonLines;
import static org.assertj.core.api.Assertions.assertThat;

class TestSnappyCompression
        extends AbstractCompressionTest
{
    private static final byte[] STREAM_IDENTIFIER = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};

    @Override
    public Compression compression()
    {
        return new SnappyCompression();
    }

    @Test
    void testPythonSnappyVectors()
            throws Exception
    {
        // python-snappy StreamCompressor, fed in several add_chunk calls as fsspec's SnappyFile does
        Vectors.assertAllRead(compression(), ".snappy");
    }

    /** Checks our output against the framing format as spec 1.5 states it, independently of snappy-java's reader. */
    @Test
    void testFramingMatchesSpec()
            throws Exception
    {
        byte[] noise = new byte[100_000];
        new java.util.Random(80).nextBytes(noise);
        byte[] data = concat(jsonLines(300_000, 81), noise);
        ByteBuffer stream = ByteBuffer.wrap(compress(compression(), data)).order(ByteOrder.LITTLE_ENDIAN);

        byte[] identifier = new byte[STREAM_IDENTIFIER.length];
        stream.get(identifier);
        assertThat(identifier).isEqualTo(STREAM_IDENTIFIER);

        ByteBuffer decoded = ByteBuffer.allocate(data.length);
        boolean sawCompressed = false;
        boolean sawRaw = false;
        while (stream.hasRemaining()) {
            int type = stream.get() & 0xFF;
            int length = (stream.get() & 0xFF) | (stream.get() & 0xFF) << 8 | (stream.get() & 0xFF) << 16;
            int maskedCrc = stream.getInt();
            byte[] body = new byte[length - 4];
            stream.get(body);
            byte[] chunk = switch (type) {
                case 0x00 -> Snappy.uncompress(body);
                case 0x01 -> body;
                default -> throw new AssertionError("unexpected chunk type " + type);
            };
            sawCompressed |= type == 0x00;
            sawRaw |= type == 0x01;
            assertThat(chunk.length).isLessThanOrEqualTo(65536);
            CRC32C crc = new CRC32C();
            crc.update(chunk);
            int value = (int) crc.getValue();
            assertThat(maskedCrc).isEqualTo(((value >>> 15) | (value << 17)) + 0xa282ead8);
            decoded.put(chunk);
        }
        assertThat(sawCompressed).isTrue();
        assertThat(sawRaw).isTrue();
        assertThat(Arrays.copyOf(decoded.array(), decoded.position())).isEqualTo(data);
    }
}
