package io.xcomhybrid.compress;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * {@code gzip} ({@code .gz}) compressed on several threads: the value is cut into blocks, each block becomes a
 * complete gzip member on the executor, and the members are written in order, one after the other. A concatenated
 * gzip stream is valid RFC 1952; Python's {@code gzip}, the gzip tool and {@link GzipCompression} read all members.
 * Each block is compressed without the previous block's window, so the output is slightly larger (well under one
 * percent with 1 MiB blocks) than single-threaded gzip at the same level.
 *
 * <p>The first {@code blockSize} bytes go in blocks of a quarter of it: a value of about one block would otherwise
 * be one member, compressed on one thread after the whole value was written, instead of on several threads while
 * it is written (1 MiB of JSON in 256 KiB members is 0.7% larger than in one).
 *
 * <p>Memory per open stream is bounded: at most {@code 2 * parallelism} blocks are in flight, each holding its input
 * and its compressed output. The executor is the caller's and is shared by all streams; this class never shuts it
 * down. Reading is the same as {@link GzipCompression}.
 */
public final class ParallelGzipCompression
        extends ParallelBlockCompression
{
    public static final int DEFAULT_BLOCK_SIZE = 1024 * 1024;

    private static final byte[] NONE = new byte[0];

    private final int level;

    /**
     * @param executor runs the block compressions; should have about {@code parallelism} threads
     * @param parallelism blocks compressed at the same time by one stream
     * @param blockSize uncompressed bytes per gzip member
     * @param level deflate level 1 to 9
     */
    public ParallelGzipCompression(Executor executor, int parallelism, int blockSize, int level)
    {
        // GzipCompression validates the level, and reads every member
        super(new GzipCompression(level), executor, parallelism, validBlockSize(blockSize));
        this.level = level;
    }

    public ParallelGzipCompression(Executor executor, int parallelism)
    {
        this(executor, parallelism, DEFAULT_BLOCK_SIZE, GzipCompression.DEFAULT_LEVEL);
    }

    private static int validBlockSize(int blockSize)
    {
        if (blockSize < 1024) {
            throw new IllegalArgumentException("blockSize must be at least 1024: " + blockSize);
        }
        return blockSize;
    }

    @Override
    int nextBlockSize(long submitted)
    {
        return submitted < blockSize() ? blockSize() / 4 : blockSize();
    }

    /** An empty value still needs one member: an empty file is not valid gzip for the gzip tool. */
    @Override
    boolean emptyValueHasBlock()
    {
        return true;
    }

    /** Members follow each other with nothing before, between or after them. */
    @Override
    byte[] header()
    {
        return NONE;
    }

    @Override
    byte[] compressBlock(byte[] data, int length)
    {
        return compressMember(data, length, level);
    }

    @Override
    byte[] trailer()
    {
        return NONE;
    }

    private static final int OUTPUT_CHUNK = 64 * 1024;
    // per compressing thread: a direct input buffer of one block, a direct output buffer and a heap copy of it
    private static final ThreadLocal<Object[]> BUFFERS = ThreadLocal.withInitial(() -> new Object[] {
            ByteBuffer.allocateDirect(0), ByteBuffer.allocateDirect(OUTPUT_CHUNK), new byte[OUTPUT_CHUNK]});

    /**
     * One gzip member of {@code data[0..length)}: the header {@link GzipCompression} writes (no name, mtime 0, the
     * XFL of the level, OS 255), the raw deflate stream, CRC-32 and size. zlib works on direct buffers here: JDK 17's
     * {@link Deflater} and {@link CRC32} pin heap arrays in JNI critical sections, which hold off garbage collection,
     * and with several threads deflating all the time a small heap's allocations failed ("Retried waiting for
     * GCLocker too often", then {@link OutOfMemoryError}).
     */
    static byte[] compressMember(byte[] data, int length, int level)
    {
        Object[] buffers = BUFFERS.get();
        ByteBuffer input = (ByteBuffer) buffers[0];
        if (input.capacity() < length) {
            input = ByteBuffer.allocateDirect(length);
            buffers[0] = input;
        }
        input.clear();
        input.put(data, 0, length).flip();
        CRC32 crc = new CRC32();
        crc.update(input.duplicate());
        ByteBuffer output = (ByteBuffer) buffers[1];
        byte[] chunk = (byte[]) buffers[2];
        ByteArrayOutputStream member = new ByteArrayOutputStream(length / 3 + 64);
        member.write(new byte[] {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, (byte) (level == 9 ? 2 : level == 1 ? 4 : 0), (byte) 255}, 0, 10);
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(input);
            deflater.finish();
            while (!deflater.finished()) {
                output.clear();
                deflater.deflate(output);
                output.flip();
                int n = output.remaining();
                output.get(chunk, 0, n);
                member.write(chunk, 0, n);
            }
        }
        finally {
            deflater.end();
        }
        writeIntLittleEndian(member, (int) crc.getValue());
        writeIntLittleEndian(member, length);
        return member.toByteArray();
    }

    private static void writeIntLittleEndian(ByteArrayOutputStream out, int value)
    {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    @Override
    public String toString()
    {
        return "gzip (parallel %s, blocks of %s bytes, level %s)".formatted(parallelism(), blockSize(), level);
    }
}
