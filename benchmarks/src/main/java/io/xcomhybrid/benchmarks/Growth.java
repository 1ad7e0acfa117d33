package io.xcomhybrid.benchmarks;

import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.AirflowConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Latency of push and pull against value size, 1 KiB to 1 GiB in x4 steps, with one codec, to local files and (when
 * {@code XCOM_TEST_S3_ENDPOINT} and friends are set) to MinIO, metadata in SQLite. The threshold (1 MiB unless
 * {@code --threshold} says otherwise) keeps the small sizes in the database row, so the plot shows the switch.
 * Values are pushed as JSON text from a generating stream ({@link RowsJson}, never materialised) and pulled as JSON
 * text into a counting sink, so sizes far above the heap work. Every figure is min/median/max over {@code --runs}
 * runs after one warm-up round per store. Prints a Markdown table and writes a log-log PNG.
 *
 * <pre>java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.Growth
 *     [--runs 3] [--max-mib 1024] [--min-kib 1] [--codec lz4] [--threshold 1048576] [--stores local,minio]
 *     [--png growth.png]</pre>
 */
public final class Growth
{
    private static final String S3_CONN = "growth_minio";

    private final int runs;
    private final String codec;
    private final long threshold;
    private final Path work;
    private final PrintStream out;

    private Growth(int runs, String codec, long threshold, Path work, PrintStream out)
    {
        this.runs = runs;
        this.codec = requireNonNull(codec, "codec is null");
        this.threshold = threshold;
        this.work = requireNonNull(work, "work is null");
        this.out = requireNonNull(out, "out is null");
    }

    public static void main(String[] args)
            throws Exception
    {
        run(args, System.out);
    }

    /** Runs the sizes {@code args} select; prints the table to {@code out} and writes the PNG. Returns the rows. */
    public static List<Row> run(String[] args, PrintStream out)
            throws Exception
    {
        if (System.getProperty("java.awt.headless") == null) {
            // the plot is drawn off screen; no display is needed
            System.setProperty("java.awt.headless", "true");
        }
        int runs = 3;
        long maxMib = 1024;
        long minKib = 1;
        String codec = "lz4";
        long threshold = 1 << 20;
        List<String> stores = List.of("local", "minio");
        Path png = Path.of("growth.png");
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--max-mib" -> maxMib = Long.parseLong(value);
                case "--min-kib" -> minKib = Long.parseLong(value);
                case "--codec" -> codec = value;
                case "--threshold" -> threshold = Long.parseLong(value);
                case "--stores" -> stores = List.of(value.split(","));
                case "--png" -> png = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Long> sizes = new ArrayList<>();
        for (long size = minKib << 10; size <= maxMib << 20; size *= 4) {
            sizes.add(size);
        }
        String machine = machine();
        String header = String.format(Locale.ROOT, "Growth runs=%d codec=%s threshold=%d sizes=%s..%s stores=%s machine=%s date=%s",
                runs, codec, threshold, human(sizes.get(0)), human(sizes.get(sizes.size() - 1)), stores, machine, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.println("# " + header);
        Path work = Files.createTempDirectory("xcom-growth");
        Growth growth = new Growth(runs, codec, threshold, work, out);
        List<Row> rows = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        S3Client s3 = null;
        String bucket = null;
        try {
            if (stores.contains("local")) {
                targets.add(new Target("local files", "file://" + work.resolve("objects"), Map.of()));
            }
            String endpoint = System.getenv("XCOM_TEST_S3_ENDPOINT");
            if (!stores.contains("minio")) {
                out.println("# MinIO not selected");
            }
            else if (endpoint == null || endpoint.isBlank()) {
                out.println("# MinIO skipped: XCOM_TEST_S3_ENDPOINT is not set");
            }
            else {
                s3 = s3Client();
                bucket = "xcom-growth-" + UUID.randomUUID().toString().substring(0, 8);
                String name = bucket;
                s3.createBucket(request -> request.bucket(name));
                targets.add(new Target("MinIO", "s3://" + S3_CONN + "@" + bucket + "/growth", Map.of("AIRFLOW_CONN_" + S3_CONN.toUpperCase(Locale.ROOT), s3ConnectionJson())));
            }
            out.printf("%n## push and pull latency against value size, codec %s, threshold %d bytes (below it the value stays in the row), %d runs, metadata in SQLite%n",
                    codec, threshold, runs);
            out.println("| size | JSON bytes | store | placement | push ms min / median / max | pull ms min / median / max | push MB/s (median) | pull MB/s (median) | JSON source alone ms (median) |");
            out.println("|---|---|---|---|---|---|---|---|---|");
            for (Target target : targets) {
                rows.addAll(growth.measure(target, sizes));
            }
            out.println();
            out.println("MB = 10^6 bytes of JSON text. push = XComs.pushJson of the generated text (parse, Python-form encode, compress, write, row); "
                    + "pull = XComs.pullJson into a counting sink (row re-encoded, or object read and decompressed). "
                    + "JSON source alone = reading the generator with no XCom work (part of every push).");
            Plot.write(png, "xcom-hybrid push/pull latency vs value size (" + codec + ", threshold " + human(threshold) + ", median of " + runs + " runs)",
                    machine + ", " + Instant.now().truncatedTo(ChronoUnit.MINUTES), rows, threshold);
            out.println();
            out.println("Plot: " + png.toAbsolutePath());
        }
        finally {
            if (s3 != null) {
                emptyBucket(s3, bucket);
                s3.close();
            }
            deleteRecursively(work);
        }
        return rows;
    }

    /** One measured size on one store. */
    public record Row(String store, long nominalBytes, long jsonBytes, String placement, double[] pushMs, double[] pullMs, double sourceMs)
    {
        double medianPush()
        {
            return pushMs[pushMs.length / 2];
        }

        double medianPull()
        {
            return pullMs[pullMs.length / 2];
        }
    }

    private record Target(String name, String base, Map<String, String> environment) {}

    private List<Row> measure(Target target, List<Long> sizes)
            throws Exception
    {
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + work.resolve(target.name.replace(' ', '_') + ".db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", target.base,
                        "xcom_objectstorage_threshold", Long.toString(threshold),
                        "xcom_objectstorage_compression", codec)), target.environment);
        List<Row> rows = new ArrayList<>();
        try (XComs xcoms = XComs.open(config)) {
            // warm-up round (JIT, connections, the codec's native parts) on the sizes up to 16 MiB; not reported
            for (long size : sizes) {
                if (size <= 16 << 20) {
                    pushAndPull(xcoms, XComKey.of("growth", "warmup", "task").withKey("size_" + size), size);
                }
            }
            for (long size : sizes) {
                double[] push = new double[runs];
                double[] pull = new double[runs];
                double[] source = new double[runs];
                long jsonBytes = 0;
                String placement = null;
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    RowsJson drained = new RowsJson(size);
                    drained.transferTo(OutputStream.nullOutputStream());
                    source[run] = (System.nanoTime() - start) / 1e6;
                    XComKey key = XComKey.of("growth", "size_" + size, "task").withKey("run_" + run);
                    Timed timed = pushAndPull(xcoms, key, size);
                    push[run] = timed.pushMs;
                    pull[run] = timed.pullMs;
                    jsonBytes = timed.bytes;
                    placement = timed.placement;
                    xcoms.delete(key);
                }
                Arrays.sort(push);
                Arrays.sort(pull);
                Arrays.sort(source);
                Row row = new Row(target.name, size, jsonBytes, placement, push, pull, source[runs / 2]);
                rows.add(row);
                out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %.1f | %.1f | %s |%n", human(size), jsonBytes, target.name, placement,
                        triple(push), triple(pull), jsonBytes / 1e3 / row.medianPush(), jsonBytes / 1e3 / row.medianPull(), ms(row.sourceMs));
            }
        }
        return rows;
    }

    private record Timed(double pushMs, double pullMs, long bytes, String placement) {}

    private static Timed pushAndPull(XComs xcoms, XComKey key, long size)
    {
        RowsJson json = new RowsJson(size);
        long start = System.nanoTime();
        PushResult pushed = xcoms.pushJson(key, json);
        double pushMs = (System.nanoTime() - start) / 1e6;
        CompressionBenchmark.CountingSink sink = new CompressionBenchmark.CountingSink();
        start = System.nanoTime();
        long pulled = xcoms.pullJson(key, sink);
        double pullMs = (System.nanoTime() - start) / 1e6;
        if (pulled != json.count() || sink.count != json.count()) {
            throw new IllegalStateException(key + ": pulled " + sink.count + " bytes of JSON, pushed " + json.count());
        }
        return new Timed(pushMs, pullMs, json.count(), pushed.placement().toString().toLowerCase(Locale.ROOT));
    }

    private static String triple(double[] sorted)
    {
        return ms(sorted[0]) + " / " + ms(sorted[sorted.length / 2]) + " / " + ms(sorted[sorted.length - 1]);
    }

    private static String ms(double value)
    {
        return value < 10 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.0f", value);
    }

    static String human(long bytes)
    {
        if (bytes >= 1 << 30 && bytes % (1 << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    static String machine()
    {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (IOException e) {
            host = "unknown host";
        }
        return String.format(Locale.ROOT, "%s, %d cpus, heap %d MiB, Java %s", host, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
    }

    // ---- MinIO from the XCOM_TEST_S3_* variables (bin/servers/minio.sh) ----------------------------------------------

    static S3Client s3Client()
    {
        return S3Client.builder()
                .endpointOverride(URI.create(System.getenv("XCOM_TEST_S3_ENDPOINT")))
                .region(Region.of(region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("XCOM_TEST_S3_ACCESS_KEY"), System.getenv("XCOM_TEST_S3_SECRET_KEY"))))
                .build();
    }

    /** An Airflow {@code aws} connection (AIRFLOW_CONN_* JSON) to the same server. */
    static String s3ConnectionJson()
    {
        return "{\"conn_type\": \"aws\", \"extra\": {\"endpoint_url\": \"" + System.getenv("XCOM_TEST_S3_ENDPOINT") + "\", \"region_name\": \"" + region()
                + "\", \"aws_access_key_id\": \"" + System.getenv("XCOM_TEST_S3_ACCESS_KEY") + "\", \"aws_secret_access_key\": \""
                + System.getenv("XCOM_TEST_S3_SECRET_KEY") + "\"}}";
    }

    private static String region()
    {
        String region = System.getenv("XCOM_TEST_S3_REGION");
        return region == null || region.isBlank() ? "us-east-1" : region;
    }

    static long countObjects(S3Client s3, String bucket, String prefix)
    {
        return s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents().stream().count();
    }

    static void emptyBucket(S3Client s3, String bucket)
    {
        s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()
                .forEach(object -> s3.deleteObject(request -> request.bucket(bucket).key(object.key())));
        s3.deleteBucket(request -> request.bucket(bucket));
    }

    /** The rows grouped by store, each group by size. */
    static Map<String, List<Row>> byStore(List<Row> rows)
    {
        Map<String, List<Row>> byStore = new LinkedHashMap<>();
        for (Row row : rows) {
            byStore.computeIfAbsent(row.store(), ignored -> new ArrayList<>()).add(row);
        }
        byStore.values().forEach(list -> list.sort(Comparator.comparingLong(Row::nominalBytes)));
        return byStore;
    }

    static void deleteRecursively(Path root)
            throws IOException
    {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
