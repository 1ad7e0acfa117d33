package io.xcomhybrid.compress;

import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * {@code snappy} ({@code .snappy}) compressed on several threads: the Snappy framing format {@link SnappyCompression}
 * writes (the stream identifier, then chunks of at most 64 KiB of data, each compressed, or stored when compressing
 * saves less than 15 percent, with a masked CRC-32C of its data), with every four chunks compressed together on the
 * executor ({@link ParallelBlockCompression}). The output is byte for byte what {@link SnappyCompression} writes
 * whatever the number of threads. As with {@link SnappyCompression}, only xcom-hybrid readers decompress it (Airflow
 * cannot use snappy).
 *
 * <p>Chunks are compressed and checksummed on direct buffers: snappy-java's native compressor and {@link CRC32C}
 * pin heap arrays in JNI critical sections, which hold off garbage collection (see {@link ParallelGzipCompression}).
 */
public final class ParallelSnappyCompression
        extends ParallelBlockCompression
{
    static final int CHUNK_SIZE = 64 * 1024;
    static final int BLOCK_SIZE = 4 * CHUNK_SIZE;
    private static final byte[] STREAM_IDENTIFIER = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};
    private static final byte COMPRESSED_CHUNK = 0x00;
    private static final byte UNCOMPRESSED_CHUNK = 0x01;
    // snappy-java's SnappyFramedOutputStream.DEFAULT_MIN_COMPRESSION_RATIO
    private static final double MIN_COMPRESSION_RATIO = 0.85;
    // per compressing thread: a block's input, and its chunks (each at most 8 bytes of header and a chunk's worst case)
    private static final ThreadLocal<ByteBuffer[]> BUFFERS = ThreadLocal.withInitial(() -> new ByteBuffer[] {
            ByteBuffer.allocateDirect(BLOCK_SIZE), ByteBuffer.allocateDirect(4 * (8 + Snappy.maxCompressedLength(CHUNK_SIZE))).order(ByteOrder.LITTLE_ENDIAN)});

    /**
     * @param executor runs the block compressions; should have about {@code parallelism} threads
     * @param parallelism blocks compressed at the same time by one stream
     */
    public ParallelSnappyCompression(Executor executor, int parallelism)
    {
        super(new SnappyCompression(), executor, parallelism, BLOCK_SIZE);
    }

    @Override
    byte[] header()
    {
        return STREAM_IDENTIFIER.clone();
    }

    @Override
    byte[] compressBlock(byte[] data, int length)
    {
        return compressChunks(data, length);
    }

    /** The framing chunks of {@code data[0..length)}, 64 KiB of data each. */
    static byte[] compressChunks(byte[] data, int length)
    {
        ByteBuffer[] buffers = BUFFERS.get();
        ByteBuffer input = buffers[0];
        ByteBuffer output = buffers[1];
        input.clear();
        input.put(data, 0, length);
        // the chunks are assembled in the direct output buffer, so the block's array is allocated once at its size
        output.clear();
        CRC32C crc = new CRC32C();
        try {
            for (int start = 0; start < length; start += CHUNK_SIZE) {
                int chunkLength = Math.min(CHUNK_SIZE, length - start);
                ByteBuffer chunk = input.slice(start, chunkLength);
                crc.reset();
                crc.update(chunk.duplicate());
                int headerAt = output.position();
                ByteBuffer body = output.slice(headerAt + 8, output.capacity() - headerAt - 8);
                int compressedLength = Snappy.compress(chunk, body);
                boolean stored = (double) compressedLength / chunkLength > MIN_COMPRESSION_RATIO;
                int bodyLength = stored ? chunkLength : compressedLength;
                if (stored) {
                    output.put(headerAt + 8, data, start, chunkLength);
                }
                int chunkBytes = 4 + bodyLength;
                output.put(headerAt, stored ? UNCOMPRESSED_CHUNK : COMPRESSED_CHUNK);
                output.put(headerAt + 1, (byte) chunkBytes);
                output.put(headerAt + 2, (byte) (chunkBytes >>> 8));
                output.put(headerAt + 3, (byte) (chunkBytes >>> 16));
                output.putInt(headerAt + 4, mask((int) crc.getValue()));
                output.position(headerAt + 8 + bodyLength);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] result = new byte[output.position()];
        output.get(0, result);
        return result;
    }

    /** The framing format's masked checksum, as snappy-java's {@code SnappyFramed.maskedCrc32c}. */
    private static int mask(int crc)
    {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    @Override
    byte[] trailer()
    {
        return new byte[0];
    }

    @Override
    public String toString()
    {
        return "snappy (parallel %s, blocks of %s bytes)".formatted(parallelism(), blockSize());
    }
}
