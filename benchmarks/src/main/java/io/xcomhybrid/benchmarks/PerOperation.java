package io.xcomhybrid.benchmarks;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.compress.Compression;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time of one operation on a value of a given size, as a distribution over many operations in one JVM: push,
 * {@code pullJson} into a counting sink and pull to a Java value, each beside what it cannot beat, timed in the same
 * loop (so both see the same load): the JSON encoder alone, the codec alone (compress, decompress) and the JSON
 * parse alone, in memory. Made to see the fixed costs of an operation (thread hand-overs, codec set-up, fsyncs, the
 * row commit) at sizes where they matter (around the threshold, 1 MiB). No {@code System.gc()} between operations;
 * percentiles over many operations absorb the collections and the noise of a shared machine better than a few runs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.PerOperation [--mib 0.125,1]
 *     [--codecs gzip,zstd,lz4,snappy] [--stores local,s3] [--ops 200] [--warmup 50] [--local-fsync true|false]
 *     [--compression-threads N] [--work DIR]</pre>
 * {@code s3} needs MinIO's {@code XCOM_TEST_S3_*} variables (see {@link LargeValues}); rows are in SQLite in the
 * work directory (default: a new temporary directory), threshold 64 KiB.
 */
public final class PerOperation
{
    private static final XComJson JSON = XComJson.standard();

    private PerOperation() {}

    public static void main(String[] args)
            throws Exception
    {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out)
            throws Exception
    {
        List<Double> mib = List.of(0.125, 1.0);
        List<String> codecs = List.of("gzip", "zstd", "lz4", "snappy");
        List<String> stores = List.of("local");
        int ops = 200;
        int warmup = 50;
        String localFsync = null;
        String compressionThreads = null;
        Path work = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--mib" -> mib = Arrays.stream(value.split(",")).map(Double::parseDouble).toList();
                case "--codecs" -> codecs = List.of(value.split(","));
                case "--stores" -> stores = List.of(value.split(","));
                case "--ops" -> ops = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--local-fsync" -> localFsync = value;
                case "--compression-threads" -> compressionThreads = value;
                case "--work" -> work = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("xcom-perop");
        }
        Files.createDirectories(work);
        out.printf("# PerOperation %s%n# work=%s maxHeap=%dMiB cpus=%d java=%s%n", String.join(" ", args), work,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf("%n## one operation: ms over %d operations after %d warm-up ones (threshold 65536, SQLite rows, local_fsync %s, compression_threads %s); "
                        + "the in-memory steps are timed in the same loop; MB/s = JSON bytes / median time%n",
                ops, warmup, localFsync == null ? "default" : localFsync, compressionThreads == null ? "default" : compressionThreads);
        out.println("| store | size | codec | operation | ms min / p25 / median / p90 | MB/s at median |");
        out.println("|---|---|---|---|---|---|");
        for (String store : stores) {
            for (double size : mib) {
                Map<String, Object> value = Values.ofJsonSize((long) (size * (1 << 20)));
                byte[] json = JSON.toBytes(value);
                for (String codec : codecs) {
                    run(out, work, store, size, codec, value, json, ops, warmup, localFsync, compressionThreads);
                }
            }
        }
    }

    private static void run(PrintStream out, Path work, String store, double size, String codec, Map<String, Object> value, byte[] json, int ops, int warmup,
            String localFsync, String compressionThreads)
            throws Exception
    {
        String name = store + "-" + codec + "-" + size;
        String base = switch (store) {
            case "local" -> "file://" + work.resolve("objects-" + name);
            case "s3" -> "s3://" + LargeValues.CONN_ID + "@" + LargeValues.BUCKET + "/perop/" + name;
            default -> throw new IllegalArgumentException("unknown store " + store + " (local, s3)");
        };
        Map<String, String> hybrid = new HashMap<>();
        if (localFsync != null) {
            hybrid.put("local_fsync", localFsync);
        }
        if (compressionThreads != null) {
            hybrid.put("compression_threads", compressionThreads);
        }
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + work.resolve("rows-" + name + ".db")),
                "common.io", Map.of("xcom_objectstorage_path", base, "xcom_objectstorage_threshold", "65536", "xcom_objectstorage_compression", codec),
                "xcom_hybrid", hybrid), LargeValues.environment());
        Compression compression = Compressions.forName(codec);
        byte[] compressed = compress(compression, json);
        Map<String, long[]> times = new LinkedHashMap<>();
        for (String operation : List.of("push value", "JSON encode alone", "compress alone", "pullJson to sink", "decompress alone", "pull value", "JSON parse alone")) {
            times.put(operation, new long[ops]);
        }
        if (store.equals("s3")) {
            // creates the bucket when missing
            try (io.xcomhybrid.s3.S3Ceiling ceiling = new io.xcomhybrid.s3.S3Ceiling(config, io.xcomhybrid.store.Location.parse(base))) {
                ceiling.createBucketIfMissing(LargeValues.BUCKET);
            }
        }
        try (XComs xcoms = XComs.open(config)) {
            for (int i = -warmup; i < ops; i++) {
                XComKey key = XComKey.of("perop_dag", "run_" + name, "task").withKey("op_" + (i + warmup));
                time(times, "push value", i, () -> {
                    if (xcoms.push(key, value).location().isEmpty()) {
                        throw new IllegalStateException("the value stayed in the row");
                    }
                });
                time(times, "JSON encode alone", i, () -> JSON.write(value, OutputStream.nullOutputStream()));
                time(times, "compress alone", i, () -> compress(compression, json));
                time(times, "pullJson to sink", i, () -> {
                    CompressionBenchmark.CountingSink sink = new CompressionBenchmark.CountingSink();
                    if (xcoms.pullJson(key, sink) != json.length) {
                        throw new IllegalStateException("pulled a different size");
                    }
                });
                time(times, "decompress alone", i, () -> {
                    try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                });
                time(times, "pull value", i, () -> xcoms.pull(key));
                time(times, "JSON parse alone", i, () -> JSON.read(json));
                xcoms.delete(key);
            }
        }
        for (Map.Entry<String, long[]> entry : times.entrySet()) {
            long[] sorted = entry.getValue().clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2] / 1e6;
            out.printf(Locale.ROOT, "| %s | %s MiB | %s | %s | %.3f / %.3f / %.3f / %.3f | %.1f |%n", store, size, codec, entry.getKey(),
                    sorted[0] / 1e6, sorted[sorted.length / 4] / 1e6, median, sorted[sorted.length * 9 / 10] / 1e6, json.length / 1e6 / (median / 1e3));
        }
    }

    private interface Action
    {
        void run()
                throws Exception;
    }

    private static void time(Map<String, long[]> times, String operation, int index, Action action)
            throws Exception
    {
        long start = System.nanoTime();
        action.run();
        long elapsed = System.nanoTime() - start;
        if (index >= 0) {
            times.get(operation)[index] = elapsed;
        }
    }

    private static byte[] compress(Compression compression, byte[] json)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3);
        try (OutputStream compressor = compression.compress(out)) {
            compressor.write(json);
        }
        return out.toByteArray();
    }
}
