package io.xcomhybrid.compress;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * {@code lz4} ({@code .lz4}) compressed on several threads: an LZ4 frame of independent 256 KiB blocks, each
 * compressed and checksummed on the executor ({@link ParallelBlockCompression}). Python's {@code lz4.frame}, the lz4
 * tool and {@link Lz4Compression} read it.
 *
 * <p>The frame differs from {@link Lz4Compression}'s in one flag: each block carries its own checksum (XXH32 of the
 * stored block) instead of one content checksum at the end. XXH32 of the whole value cannot be split across threads,
 * and computing it in order costs as much as compressing the value (about half of the one-thread codec's time); block
 * checksums are computed with the blocks, in parallel, and still catch corrupted data, and a frame cut short lacks its
 * end mark. The output is byte for byte what lz4-java's {@code LZ4FrameOutputStream} writes with 256 KiB independent
 * blocks and block checksums, whatever the number of threads.
 *
 * <p>Blocks are compressed and hashed on direct buffers: lz4-java's native code pins heap arrays in JNI critical
 * sections, which hold off garbage collection (see {@link ParallelGzipCompression}).
 */
public final class ParallelLz4Compression
        extends ParallelBlockCompression
{
    static final int BLOCK_SIZE = 256 * 1024;
    private static final int MAGIC = 0x184D2204;
    // version 01, independent blocks, block checksums
    private static final byte FLG = 0x70;
    // maximum block size 256 KiB
    private static final byte BD = 0x50;
    private static final int UNCOMPRESSED_BIT = 0x80000000;
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 HASH = XXHashFactory.fastestInstance().hash32();
    private static final ThreadLocal<ByteBuffer[]> BUFFERS = ThreadLocal.withInitial(() -> new ByteBuffer[] {
            ByteBuffer.allocateDirect(BLOCK_SIZE), ByteBuffer.allocateDirect(COMPRESSOR.maxCompressedLength(BLOCK_SIZE))});

    /**
     * @param executor runs the block compressions; should have about {@code parallelism} threads
     * @param parallelism blocks compressed at the same time by one stream
     */
    public ParallelLz4Compression(Executor executor, int parallelism)
    {
        super(new Lz4Compression(), executor, parallelism, BLOCK_SIZE);
    }

    @Override
    byte[] header()
    {
        byte[] header = new byte[7];
        writeIntLittleEndian(header, 0, MAGIC);
        header[4] = FLG;
        header[5] = BD;
        header[6] = (byte) ((HASH.hash(header, 4, 2, 0) >> 8) & 0xff);
        return header;
    }

    @Override
    byte[] compressBlock(byte[] data, int length)
    {
        return compressFrameBlock(data, length);
    }

    /**
     * One frame block: its 4-byte size, the block compressed (or stored, when compressing does not shrink it), and the
     * XXH32 of those stored bytes.
     */
    static byte[] compressFrameBlock(byte[] data, int length)
    {
        ByteBuffer[] buffers = BUFFERS.get();
        ByteBuffer input = buffers[0];
        ByteBuffer output = buffers[1];
        input.clear();
        input.put(data, 0, length);
        int compressedLength = COMPRESSOR.compress(input, 0, length, output, 0, output.capacity());
        byte[] block;
        if (compressedLength >= length) {
            block = new byte[4 + length + 4];
            writeIntLittleEndian(block, 0, length | UNCOMPRESSED_BIT);
            System.arraycopy(data, 0, block, 4, length);
            writeIntLittleEndian(block, 4 + length, HASH.hash(input, 0, length, 0));
        }
        else {
            block = new byte[4 + compressedLength + 4];
            writeIntLittleEndian(block, 0, compressedLength);
            output.get(0, block, 4, compressedLength);
            writeIntLittleEndian(block, 4 + compressedLength, HASH.hash(output, 0, compressedLength, 0));
        }
        return block;
    }

    @Override
    byte[] trailer()
    {
        // the end mark: a block size of 0
        return new byte[4];
    }

    private static void writeIntLittleEndian(byte[] bytes, int offset, int value)
    {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }

    @Override
    public String toString()
    {
        return "lz4 (parallel %s, blocks of %s bytes)".formatted(parallelism(), blockSize());
    }
}
