package io.xcomhybrid.benchmarks;

import com.github.luben.zstd.Zstd;
import io.xcomhybrid.compress.Compression;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.json.XComJson;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Each codec on the same ~8 MiB of XCom JSON: through {@link Compressions#forName} (the streams the backend uses:
 * gzip level 6, zstd level 3 with checksum, LZ4 frame 256 KiB blocks, snappy framing) against the raw library call
 * as the ceiling (java.util.zip GZIP streams at the default level 6, {@code Zstd.compress} level 3, LZ4 fast block
 * compressor, {@code Snappy.compress}: one-shot calls without framing, so the ceiling is a little generous).
 * MB/s = uncompressed bytes / average time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(MILLISECONDS)
public class CompressionBenchmark
{
    @Param({"gzip", "zstd", "lz4", "snappy"})
    public String codec;

    private byte[] json;
    private Compression compression;
    private byte[] compressed;
    private byte[] rawCompressed;
    private LZ4Compressor lz4Compressor;
    private LZ4FastDecompressor lz4Decompressor;

    @Setup
    public void setUp()
            throws IOException
    {
        json = XComJson.standard().toBytes(Values.ofJsonSize(8L << 20));
        compression = Compressions.forName(codec);
        lz4Compressor = LZ4Factory.fastestInstance().fastCompressor();
        lz4Decompressor = LZ4Factory.fastestInstance().fastDecompressor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressor = compression.compress(out)) {
            compressor.write(json);
        }
        compressed = out.toByteArray();
        rawCompressed = rawCompress();
        System.out.printf("%n[sizes] codec=%s json=%d library=%d raw=%d%n", codec, json.length, compressed.length, rawCompressed.length);
    }

    @Benchmark
    public long compress()
            throws IOException
    {
        CountingSink sink = new CountingSink();
        try (OutputStream out = compression.compress(sink)) {
            out.write(json);
        }
        return sink.count;
    }

    @Benchmark
    public long decompress()
            throws IOException
    {
        try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
            return drain(in);
        }
    }

    @Benchmark
    public Object compressCeiling()
            throws IOException
    {
        return rawCompress();
    }

    @Benchmark
    public Object decompressCeiling()
            throws IOException
    {
        return switch (codec) {
            case "gzip" -> {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(rawCompressed), 65536)) {
                    yield drain(in);
                }
            }
            case "zstd" -> Zstd.decompress(rawCompressed, json.length);
            case "lz4" -> lz4Decompressor.decompress(rawCompressed, json.length);
            case "snappy" -> Snappy.uncompress(rawCompressed);
            default -> throw new IllegalArgumentException(codec);
        };
    }

    private byte[] rawCompress()
            throws IOException
    {
        return switch (codec) {
            case "gzip" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4);
                try (GZIPOutputStream gzip = new GZIPOutputStream(out, 65536)) {
                    gzip.write(json);
                }
                yield out.toByteArray();
            }
            case "zstd" -> Zstd.compress(json, 3);
            case "lz4" -> lz4Compressor.compress(json);
            case "snappy" -> Snappy.compress(json);
            default -> throw new IllegalArgumentException(codec);
        };
    }

    static long drain(InputStream in)
            throws IOException
    {
        byte[] buffer = new byte[65536];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
        }
        return total;
    }

    /** Discards what is written, counting it: the compressed bytes stay live for the JIT without a copy. */
    static final class CountingSink
            extends OutputStream
    {
        long count;

        @Override
        public void write(int b)
        {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len)
        {
            count += len;
        }
    }
}
