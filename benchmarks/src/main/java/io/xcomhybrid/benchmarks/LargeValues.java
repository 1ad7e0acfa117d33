package io.xcomhybrid.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.compress.Compression;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.s3.S3Ceiling;
import io.xcomhybrid.store.Location;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Large values (1 MiB to 1 GiB of JSON) pushed and pulled through {@link XComs} with each codec, to local files and to
 * S3 (MinIO), configured as a user would (an airflow.cfg with {@code [common.io] xcom_objectstorage_path} and an
 * {@code AIRFLOW_CONN_*} connection), rows in SQLite. Each figure beside its ceilings, measured in the same runs:
 * <ul>
 *   <li>the codec alone on the same bytes in memory;</li>
 *   <li>the store alone: the compressed bytes written and read back (local: one file write / read; S3: the SDK calls
 *   the library makes, with the library's own client: PutObject, or multipart upload of {@code s3_part_size} parts
 *   with {@code s3_upload_parallelism} in flight when the object is over one part; GetObject, or parallel ranged GETs
 *   when it is over two parts: see {@link S3Ceiling});</li>
 *   <li>optionally Airflow 2's {@code XComObjectStorageBackend.serialize_value} / {@code deserialize_value} on the same
 *   value and store ({@code benchmarks/python/airflow_large.py}, run alternately with the Java runs) when
 *   {@code XCOM_TEST_AIRFLOW2_PYTHON} is set.</li>
 * </ul>
 * Then the memory part: each push (JSON text made on the fly) and pull ({@code pullJson} into a hashing sink) of the
 * big sizes alone in a child JVM with {@code -Xmx256m} ({@link MemoryProbe}), SHA-256 of what was pushed compared with
 * what was pulled, peak heap and VmHWM against the bound threshold + 64 MiB.
 *
 * <p>Every figure is min/median/max over {@code --runs} runs after {@code --warmup} unreported runs (default: 32 MiB
 * worth, 1 to 20 runs, as at 1 MiB one run leaves the JIT far from done; Airflow's Python side gets one warm-up run);
 * MB = 10^6 bytes of JSON text, so every MB/s (store alone included) is "JSON bytes per second" and ratios are ratios
 * of times. Not a test: nothing is asserted about time; the harness does check every result (object present after a
 * push, bytes of every pull, SHA-256 of every warm-up pull: a digest of a timed pull on the caller's thread would be
 * timed with it) and fails if one is wrong.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.LargeValues [--mib 1,64] [--runs 3]
 *     [--codecs gzip,zstd,lz4,snappy] [--stores local,s3] [--parts throughput,memory] [--memory-mib 64,1024]
 *     [--memory-codecs gzip,lz4] [--xmx 256m] [--threshold 65536] [--value-max-mib 64] [--airflow auto|off]
 *     [--airflow-codecs gzip,zstd,lz4] [--airflow-max-mib 64] [--warmup N]</pre>
 * S3 needs {@code XCOM_TEST_S3_ENDPOINT}, {@code _ACCESS_KEY}, {@code _SECRET_KEY}, {@code _REGION} (e.g. from
 * {@code bin/servers/minio.sh}); without them the s3 store is skipped with a note.
 */
public final class LargeValues
{
    static final String CONN_ID = "bench_minio";
    static final String BUCKET = "xcom-bench-large";
    private static final XComJson JSON = XComJson.standard();
    private static final long MIB = 1024 * 1024;

    private final Options options;
    private final PrintStream out;
    private final Path work;
    private final Map<String, String> environment;
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private final Map<String, Long> compressedSizes = new HashMap<>();
    private final Map<String, Long> jsonSizes = new HashMap<>();
    private final List<ProbeResult> probes = new ArrayList<>();
    private final List<String> storeNotes = new ArrayList<>();
    private int objectsChecked;

    record Options(List<Double> mib, List<String> codecs, List<String> stores, int runs, List<String> parts, List<Double> memoryMib,
            List<String> memoryCodecs, List<String> memoryStores, String xmx, long threshold, double valueMaxMib, String airflow,
            List<String> airflowCodecs, double airflowMaxMib, Optional<String> s3Path, Optional<Integer> warmup)
    {
        static Options parse(String[] args)
        {
            List<Double> mib = List.of(1.0, 64.0);
            List<String> codecs = List.of("gzip", "zstd", "lz4", "snappy");
            List<String> stores = List.of("local", "s3");
            int runs = 3;
            List<String> parts = List.of("throughput", "memory");
            List<Double> memoryMib = List.of(64.0, 1024.0);
            List<String> memoryCodecs = List.of("gzip", "lz4");
            List<String> memoryStores = null;
            String xmx = "256m";
            long threshold = 65536;
            double valueMaxMib = 64;
            String airflow = "auto";
            List<String> airflowCodecs = List.of("gzip", "zstd", "lz4");
            double airflowMaxMib = 64;
            Optional<String> s3Path = Optional.empty();
            Optional<Integer> warmup = Optional.empty();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--mib" -> mib = doubles(value);
                    case "--codecs" -> codecs = strings(value);
                    case "--stores" -> stores = strings(value);
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--parts" -> parts = strings(value);
                    case "--memory-mib" -> memoryMib = doubles(value);
                    case "--memory-codecs" -> memoryCodecs = strings(value);
                    case "--memory-stores" -> memoryStores = strings(value);
                    case "--xmx" -> xmx = value;
                    case "--threshold" -> threshold = Long.parseLong(value);
                    case "--value-max-mib" -> valueMaxMib = Double.parseDouble(value);
                    case "--airflow" -> airflow = value;
                    case "--airflow-codecs" -> airflowCodecs = strings(value);
                    case "--airflow-max-mib" -> airflowMaxMib = Double.parseDouble(value);
                    case "--s3-path" -> s3Path = Optional.of(value);
                    case "--warmup" -> warmup = Optional.of(Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(mib, codecs, stores, runs, parts, memoryMib, memoryCodecs, memoryStores == null ? stores : memoryStores, xmx, threshold,
                    valueMaxMib, airflow, airflowCodecs, airflowMaxMib, s3Path, warmup);
        }

        private static List<Double> doubles(String value)
        {
            return value.isBlank() || value.equals("none") ? List.of() : Arrays.stream(value.split(",")).map(Double::parseDouble).toList();
        }

        private static List<String> strings(String value)
        {
            return value.isBlank() || value.equals("none") ? List.of() : List.of(value.split(","));
        }
    }

    /** What one child JVM reported. */
    public record ProbeResult(String store, double mib, String codec, String operation, long bytes, String sha256, double seconds, long heapMax,
            long heapPeak, long heapMaxAfterGc, long gcs, long rssBefore, long vmHwm, String location)
    {
        ProbeResult withStore(String store, double mib, String codec)
        {
            return new ProbeResult(store, mib, codec, operation, bytes, sha256, seconds, heapMax, heapPeak, heapMaxAfterGc, gcs, rssBefore, vmHwm, location);
        }
    }

    /** What a run produced, for the smoke test. */
    public record Report(List<ProbeResult> probes, int objectsChecked, Map<String, List<Double>> series) {}

    private LargeValues(Options options, PrintStream out, Path work, Map<String, String> environment)
    {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
        this.work = requireNonNull(work, "work is null");
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args)
            throws Exception
    {
        run(args, System.out);
    }

    public static Report run(String[] args, PrintStream out)
            throws Exception
    {
        Options options = Options.parse(args);
        Path work = Files.createTempDirectory("xcom-large");
        Map<String, String> environment = environment();
        LargeValues bench = new LargeValues(options, out, work, environment);
        out.printf(Locale.ROOT, "# LargeValues %s%n# work=%s maxHeap=%dMiB cpus=%d java=%s%n", String.join(" ", args), work,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try {
            if (options.parts().contains("throughput")) {
                bench.throughput();
            }
            if (options.parts().contains("memory")) {
                bench.memory();
            }
        }
        finally {
            deleteRecursively(work);
        }
        return new Report(List.copyOf(bench.probes), bench.objectsChecked, bench.series);
    }

    /** This process's environment plus {@code AIRFLOW_CONN_BENCH_MINIO} for the test MinIO, when its variables are set. */
    static Map<String, String> environment()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        s3ConnectionJson().ifPresent(json -> environment.putIfAbsent("AIRFLOW_CONN_" + CONN_ID.toUpperCase(Locale.ROOT), json));
        return environment;
    }

    /** The MinIO connection as an {@code AIRFLOW_CONN_*} JSON value, from the test server's environment variables. */
    static Optional<String> s3ConnectionJson()
    {
        String endpoint = System.getenv("XCOM_TEST_S3_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("endpoint_url", endpoint);
        extra.put("region_name", Optional.ofNullable(System.getenv("XCOM_TEST_S3_REGION")).orElse("us-east-1"));
        extra.put("aws_access_key_id", System.getenv("XCOM_TEST_S3_ACCESS_KEY"));
        extra.put("aws_secret_access_key", System.getenv("XCOM_TEST_S3_SECRET_KEY"));
        return Optional.of(new String(JSON.toBytes(Map.of("conn_type", "aws", "extra", extra)), StandardCharsets.UTF_8));
    }

    // ---- configuration, as a user writes it ---------------------------------------------------------------------

    /** The base location of a store, or empty (with a note) when it cannot be used here. */
    private Optional<Location> base(String store)
    {
        return switch (store) {
            case "local" -> Optional.of(Location.parse("file://" + work.resolve("objects")));
            case "s3" -> {
                if (options.s3Path().isPresent()) {
                    yield Optional.of(Location.parse(options.s3Path().get()));
                }
                if (!environment.containsKey("AIRFLOW_CONN_" + CONN_ID.toUpperCase(Locale.ROOT))) {
                    note("s3 skipped: XCOM_TEST_S3_ENDPOINT (and _ACCESS_KEY, _SECRET_KEY, _REGION) not set; start MinIO with bin/servers/minio.sh");
                    yield Optional.empty();
                }
                yield Optional.of(Location.parse("s3://" + CONN_ID + "@" + BUCKET + "/xcom"));
            }
            default -> throw new IllegalArgumentException("unknown store " + store + " (local, s3)");
        };
    }

    private void note(String note)
    {
        if (!storeNotes.contains(note)) {
            storeNotes.add(note);
            out.println("# " + note);
        }
    }

    /** An airflow.cfg for one store and codec; the connection comes from the environment. */
    private Path configFile(Location base, String codec)
            throws IOException
    {
        return writeConfig(work.resolve("cfg").resolve(base.scheme() + "-" + codec + ".cfg"), base, work.resolve("xcom.db"), options.threshold(), codec);
    }

    /** Writes the airflow.cfg a user would: rows in SQLite at {@code database}, values of {@code threshold} bytes or more in {@code base}. */
    static Path writeConfig(Path file, Location base, Path database, long threshold, String codec)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "[core]",
                "xcom_backend = airflow.providers.common.io.xcom.backend.XComObjectStorageBackend",
                "",
                "[database]",
                "sql_alchemy_conn = sqlite:///" + database,
                "",
                "[common.io]",
                "xcom_objectstorage_path = " + base,
                "xcom_objectstorage_threshold = " + threshold,
                "xcom_objectstorage_compression = " + codec,
                ""));
        return file;
    }

    private AirflowConfig config(Path file)
    {
        return AirflowConfig.load(Optional.of(file), environment);
    }

    // ---- throughput ---------------------------------------------------------------------------------------------

    private void throughput()
            throws Exception
    {
        out.printf(Locale.ROOT, "%n## throughput: %d runs after %s warm-up runs; threshold %d; sizes %s MiB; codecs %s; stores %s%n",
                options.runs(), options.warmup().map(String::valueOf).orElse(options.mib().stream().map(mib -> label(mib) + ": " + warmupRuns(mib)).collect(java.util.stream.Collectors.joining(", "))),
                options.threshold(), options.mib(), options.codecs(), options.stores());
        try (AirflowProcess airflow = AirflowProcess.start(options, environment, work, out)) {
            for (String store : options.stores()) {
                Optional<Location> base = base(store);
                if (base.isEmpty()) {
                    continue;
                }
                try (StoreAlone alone = StoreAlone.create(store, base.get(), config(configFile(base.get(), options.codecs().get(0))), work)) {
                    for (double mib : options.mib()) {
                        throughputSize(store, base.get(), alone, mib, airflow);
                    }
                }
            }
        }
        printThroughput();
    }

    private void throughputSize(String store, Location base, StoreAlone alone, double mib, AirflowProcess airflow)
            throws Exception
    {
        long target = (long) (mib * MIB);
        Map<String, Object> value = mib <= options.valueMaxMib() ? Values.ofJsonSize(target) : null;
        byte[] json = value != null ? JSON.toBytes(value) : new RowsJson(target).readAllBytes();
        String sha256 = sha256(json);
        Path file = null;
        boolean airflowSize = airflow != null && value != null && mib <= options.airflowMaxMib();
        if (airflowSize) {
            file = work.resolve("value-" + mib + ".json");
            Files.write(file, json);
            airflow.load(file);
        }
        for (String codec : options.codecs()) {
            Compression compression = Compressions.forName(codec);
            byte[] compressed = compressAlone(compression, json);
            String prefix = store + "|" + label(mib) + "|" + codec + "|";
            compressedSizes.put(prefix, (long) compressed.length);
            jsonSizes.put(prefix, (long) json.length);
            boolean airflowCodec = airflowSize && options.airflowCodecs().contains(codec);
            try (XComs xcoms = XComs.open(config(configFile(base, codec)))) {
                // runs up to 0 warm up unreported; Airflow's side warms up in run 0 only
                for (int run = 1 - options.warmup().orElse(warmupRuns(mib)); run <= options.runs(); run++) {
                    boolean report = run > 0;
                    XComKey valueKey = XComKey.of("bench_dag", "large_" + label(mib).replace(' ', '_') + "_" + codec + "_" + run, "task").withKey("value");
                    XComKey streamKey = valueKey.withKey("stream");
                    if (value != null) {
                        record(report, prefix + "push value", json.length, () -> checkPushed(xcoms, xcoms.push(valueKey, value)));
                    }
                    record(report, prefix + "push JSON stream", json.length, () -> checkPushed(xcoms, xcoms.pushJson(streamKey, new ByteArrayInputStream(json))));
                    record(report, prefix + "pullJson to sink", json.length, () -> checkPulled(xcoms, streamKey, json.length, report ? null : sha256));
                    if (value != null) {
                        record(report, prefix + "pull value", json.length, () -> {
                            if (!(xcoms.pull(valueKey) instanceof Map<?, ?> pulled) || ((List<?>) pulled.get("rows")).size() != ((List<?>) value.get("rows")).size()) {
                                throw new IllegalStateException("pull of " + valueKey + " returned another value");
                            }
                        });
                    }
                    record(report, prefix + "codec alone compress", json.length, () -> compressAlone(compression, json));
                    record(report, prefix + "codec alone decompress", json.length, () -> {
                        try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
                            if (CompressionBenchmark.drain(in) != json.length) {
                                throw new IllegalStateException("decompressed size differs");
                            }
                        }
                    });
                    alone.measure(report, prefix, json.length, compressed, this::record);
                    if (airflowCodec && run >= 0) {
                        JsonNode result = airflow.run(file, base, codec, "airflow_" + codec + "_" + run, run == 0);
                        if (report) {
                            series(prefix + "airflow serialize_value").add(json.length / 1e6 / result.get("push_s").asDouble());
                            series(prefix + "airflow deserialize_value").add(json.length / 1e6 / result.get("pull_s").asDouble());
                        }
                        compressedSizes.put(prefix + "airflow", result.get("compressed").asLong());
                    }
                    xcoms.delete(valueKey);
                    xcoms.delete(streamKey);
                }
            }
        }
        if (airflowSize) {
            airflow.unload();
        }
    }

    private void checkPushed(XComs xcoms, PushResult result)
            throws IOException
    {
        Location location = result.location().orElseThrow(() -> new IllegalStateException("the large value stayed in the row: " + result));
        if (!xcoms.objectStores().forLocation(location).exists(location)) {
            throw new IllegalStateException("no object at " + location + " after the push");
        }
        objectsChecked++;
    }

    /** Warm-up runs: enough to push 32 MiB, at least 1 and at most 20. */
    static int warmupRuns(double mib)
    {
        return (int) Math.max(1, Math.min(20, Math.ceil(32 / mib)));
    }

    /** @param sha256 the expected digest, or null to check the byte count only */
    private static void checkPulled(XComs xcoms, XComKey key, long size, String sha256)
    {
        MessageDigest digest = MemoryProbe.sha256();
        MemoryProbe.CountingOutputStream sink = new MemoryProbe.CountingOutputStream(sha256 == null ? OutputStream.nullOutputStream() : new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        long written = xcoms.pullJson(key, sink);
        String pulled = sha256 == null ? null : HexFormat.of().formatHex(digest.digest());
        if (written != size || sink.count != size || sha256 != null && !pulled.equals(sha256)) {
            throw new IllegalStateException("pullJson of " + key + ": " + sink.count + " bytes, SHA-256 " + pulled + "; pushed " + size + " bytes, SHA-256 " + sha256);
        }
    }

    interface Action
    {
        void run()
                throws Exception;
    }

    interface Recorder
    {
        void record(boolean report, String name, long jsonBytes, Action action)
                throws Exception;
    }

    private void record(boolean report, String name, long jsonBytes, Action action)
            throws Exception
    {
        long start = System.nanoTime();
        action.run();
        long elapsed = System.nanoTime() - start;
        if (report) {
            series(name).add(jsonBytes / 1e6 / (elapsed / 1e9));
        }
    }

    private List<Double> series(String name)
    {
        return series.computeIfAbsent(name, ignored -> new ArrayList<>());
    }

    private static byte[] compressAlone(Compression compression, byte[] json)
    {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(json.length / 3);
            try (OutputStream compressor = compression.compress(buffer)) {
                compressor.write(json);
            }
            return buffer.toByteArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printThroughput()
    {
        out.println();
        out.println("### xcom-hybrid vs its ceilings (MB/s of JSON text; store alone = the compressed bytes through the store, counted as the JSON bytes they hold; ceiling = the slower of codec alone and store alone, i.e. both perfectly overlapped)");
        out.println("| store | size | codec | operation | xcom-hybrid MB/s min / median / max | codec alone MB/s median | store alone MB/s median (path) | ceiling MB/s | ratio to ceiling | ratio to codec alone | compressed bytes |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String prefix : prefixes()) {
            String[] parts = prefix.split("\\|");
            for (String operation : List.of("push value", "push JSON stream", "pullJson to sink", "pull value")) {
                List<Double> figures = series.get(prefix + operation);
                if (figures == null) {
                    continue;
                }
                boolean push = operation.startsWith("push");
                double codec = median(series.get(prefix + (push ? "codec alone compress" : "codec alone decompress")));
                String storeName = push ? "store alone write" : "store alone read";
                String path = series.keySet().stream().filter(name -> name.startsWith(prefix + storeName + " ")).findFirst().orElseThrow()
                        .substring((prefix + storeName + " ").length());
                double store = median(series.get(prefix + storeName + " " + path));
                double ceiling = Math.min(codec, store);
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.1f (%s) | %.1f | %.2f | %.2f | %d |%n", parts[0], parts[1], parts[2], operation,
                        minMedianMax(figures), codec, store, path, ceiling, median(figures) / ceiling, median(figures) / codec, compressedSizes.get(prefix));
            }
        }
        out.println();
        out.println("### the store alone: every SDK path on the compressed bytes (MB/s of compressed bytes; `*` = the path the library takes for this size)");
        out.println("| store | size | codec | compressed bytes | path | MB/s min / median / max |");
        out.println("|---|---|---|---|---|---|");
        for (String prefix : prefixes()) {
            String[] parts = prefix.split("\\|");
            long compressed = compressedSizes.get(prefix);
            for (Map.Entry<String, List<Double>> entry : series.entrySet()) {
                if (entry.getKey().startsWith(prefix + "store alone ")) {
                    String path = entry.getKey().substring((prefix + "store alone ").length());
                    out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %s |%n", parts[0], parts[1], parts[2], compressed, path,
                            minMedianMax(entry.getValue().stream().map(figure -> figure * compressed / jsonSize(prefix)).toList()));
                }
            }
        }
        if (series.keySet().stream().anyMatch(name -> name.contains("|airflow "))) {
            out.println();
            out.println("### xcom-hybrid vs Airflow 2 XComObjectStorageBackend on the same value and store (MB/s of JSON text; Airflow: serialize_value = json.dumps + compress + write via fsspec, deserialize_value = read + decompress + json.loads, no database row; xcom-hybrid also writes/reads its SQLite row)");
            out.println("| store | size | codec | operation | xcom-hybrid MB/s min / median / max | Airflow MB/s min / median / max | ratio (median) | compressed bytes xcom-hybrid / Airflow |");
            out.println("|---|---|---|---|---|---|---|---|");
            for (String prefix : prefixes()) {
                String[] parts = prefix.split("\\|");
                for (String[] pair : new String[][] {{"push value", "airflow serialize_value", "push (value)"}, {"pull value", "airflow deserialize_value", "pull (value)"}}) {
                    List<Double> ours = series.get(prefix + pair[0]);
                    List<Double> theirs = series.get(prefix + pair[1]);
                    if (ours == null || theirs == null) {
                        continue;
                    }
                    out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.2f | %d / %d |%n", parts[0], parts[1], parts[2], pair[2], minMedianMax(ours), minMedianMax(theirs),
                            median(ours) / median(theirs), compressedSizes.get(prefix), compressedSizes.get(prefix + "airflow"));
                }
            }
        }
    }

    private long jsonSize(String prefix)
    {
        return jsonSizes.get(prefix);
    }

    private List<String> prefixes()
    {
        return series.keySet().stream().map(name -> name.substring(0, name.lastIndexOf('|') + 1)).distinct().toList();
    }

    // ---- memory: one operation per child JVM --------------------------------------------------------------------

    private void memory()
            throws Exception
    {
        long bound = options.threshold() + 64 * MIB;
        out.printf(Locale.ROOT, "%n## memory: each push / pull alone in a child JVM with -Xmx%s; push = JSON text made on the fly (never held whole; making it, Jackson per row, is inside the push time) through pushJson; pull = pullJson into a counting SHA-256 sink; MB/s of a cold JVM; bound = threshold + 64 MiB = %.2f MiB; heap after a GC = the largest heap occupancy right after any GC during the operation (what survived: an upper bound of the live set); VmHWM reset before the operation, includes the JVM itself (RSS before)%n",
                options.xmx(), bound / (double) MIB);
        out.println("| store | size | codec | operation | MB/s | JSON bytes | SHA-256 pushed = pulled | heap max MiB | peak heap MiB (sum of pool peaks, garbage included) | within bound | heap after a GC, max MiB (live) | within bound | GCs | RSS before MiB | VmHWM MiB | within bound | VmHWM - RSS before MiB |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String store : options.memoryStores()) {
            Optional<Location> base = base(store);
            if (base.isEmpty()) {
                continue;
            }
            if (store.equals("s3")) {
                // creates the bucket
                StoreAlone.create(store, base.get(), config(configFile(base.get(), options.memoryCodecs().get(0))), work).close();
            }
            for (double mib : options.memoryMib()) {
                for (String codec : options.memoryCodecs()) {
                    Path config = configFile(base.get(), codec);
                    String runId = "memory_" + label(mib).replace(' ', '_') + "_" + codec + "_" + UUID.randomUUID();
                    ProbeResult push = probe(config, "push", mib, runId, options.xmx(), environment).withStore(store, mib, codec);
                    ProbeResult pull = probe(config, "pull", mib, runId, options.xmx(), environment).withStore(store, mib, codec);
                    boolean same = push.sha256().equals(pull.sha256()) && push.bytes() == pull.bytes();
                    probes.add(push);
                    probes.add(pull);
                    for (ProbeResult result : List.of(push, pull)) {
                        out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %d | %s | %d | %.1f | %s | %.1f | %s | %d | %.1f | %.1f | %s | %.1f |%n", store, label(mib), codec,
                                result.operation().equals("push") ? "push (pushJson of a generated stream)" : "pull (pullJson to a SHA-256 sink)",
                                result.bytes() / 1e6 / result.seconds(), result.bytes(), same ? "yes" : "**NO**", result.heapMax() >> 20,
                                result.heapPeak() / (double) MIB, within(result.heapPeak(), bound), result.heapMaxAfterGc() / (double) MIB, within(result.heapMaxAfterGc(), bound),
                                result.gcs(), result.rssBefore() / (double) MIB, result.vmHwm() / (double) MIB, within(result.vmHwm(), bound),
                                (result.vmHwm() - result.rssBefore()) / (double) MIB);
                    }
                    if (!same) {
                        throw new IllegalStateException("round trip of " + label(mib) + " " + codec + " on " + store + " differs: pushed " + push.bytes() + " bytes SHA-256 "
                                + push.sha256() + ", pulled " + pull.bytes() + " bytes SHA-256 " + pull.sha256());
                    }
                }
            }
        }
    }

    private static String within(long figure, long bound)
    {
        return figure <= bound ? "yes" : "**no**";
    }

    /** Runs {@link MemoryProbe} in a child JVM with {@code -Xmx<xmx>} and the given environment. */
    public static ProbeResult probe(Path config, String operation, double mib, String runId, String xmx, Map<String, String> environment)
            throws IOException, InterruptedException
    {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                config.toString(), operation, Double.toString(mib), runId);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("memory-probe", ".log");
        builder.redirectError(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.HOURS) || process.exitValue() != 0) {
            process.destroyForcibly();
            String errors = Files.readString(log);
            throw new IllegalStateException("MemoryProbe " + operation + " " + mib + " MiB failed (exit " + process.exitValue() + "):\n" + output
                    + errors.substring(Math.max(0, errors.length() - 4000)));
        }
        Files.deleteIfExists(log);
        Map<String, String> fields = new HashMap<>();
        String line = output.lines().filter(candidate -> candidate.startsWith("probe ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("MemoryProbe printed no result: " + output));
        for (String pair : line.substring("probe ".length()).split(" ")) {
            int equals = pair.indexOf('=');
            fields.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return new ProbeResult("", mib, "", operation, Long.parseLong(fields.get("bytes")), fields.get("sha256"), Double.parseDouble(fields.get("seconds")),
                Long.parseLong(fields.get("heapMax")), Long.parseLong(fields.get("heapPeak")), Long.parseLong(fields.get("heapMaxAfterGc")),
                Long.parseLong(fields.get("gcs")), Long.parseLong(fields.get("rssBefore")), Long.parseLong(fields.get("vmHwm")), fields.getOrDefault("location", "-"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static String label(double mib)
    {
        return (mib == Math.rint(mib) ? Long.toString((long) mib) : Double.toString(mib)) + " MiB";
    }

    static String sha256(byte[] bytes)
    {
        return HexFormat.of().formatHex(MemoryProbe.sha256().digest(bytes));
    }

    private static double median(List<Double> figures)
    {
        return figures.stream().sorted().toList().get(figures.size() / 2);
    }

    private static String minMedianMax(List<Double> figures)
    {
        List<Double> sorted = figures.stream().sorted().toList();
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static void deleteRecursively(Path root)
            throws IOException
    {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The ceiling for the store leg: the compressed bytes written and read back without the library. */
    private abstract static class StoreAlone
            implements AutoCloseable
    {
        static StoreAlone create(String store, Location base, AirflowConfig config, Path work)
                throws IOException
        {
            return switch (store) {
                case "local" -> new LocalAlone(work.resolve("store-alone"));
                case "s3" -> new S3Alone(new S3Ceiling(config, base), base);
                default -> throw new IllegalArgumentException(store);
            };
        }

        abstract void measure(boolean report, String prefix, long jsonBytes, byte[] compressed, Recorder recorder)
                throws Exception;

        @Override
        public void close() {}
    }

    private static final class LocalAlone
            extends StoreAlone
    {
        private final Path directory;

        LocalAlone(Path directory)
                throws IOException
        {
            this.directory = Files.createDirectories(directory);
        }

        @Override
        void measure(boolean report, String prefix, long jsonBytes, byte[] compressed, Recorder recorder)
                throws Exception
        {
            Path file = directory.resolve(UUID.randomUUID().toString());
            recorder.record(report, prefix + "store alone write file write", jsonBytes, () -> Files.write(file, compressed));
            recorder.record(report, prefix + "store alone read file read", jsonBytes, () -> {
                try (InputStream in = Files.newInputStream(file)) {
                    if (CompressionBenchmark.drain(in) != compressed.length) {
                        throw new IllegalStateException("read back a different size from " + file);
                    }
                }
            });
            Files.delete(file);
        }
    }

    private static final class S3Alone
            extends StoreAlone
    {
        private final S3Ceiling ceiling;
        private final Location base;

        S3Alone(S3Ceiling ceiling, Location base)
        {
            this.ceiling = ceiling;
            this.base = base;
            ceiling.createBucketIfMissing(base.bucket());
        }

        @Override
        void measure(boolean report, String prefix, long jsonBytes, byte[] compressed, Recorder recorder)
                throws Exception
        {
            long partSize = ceiling.partSize();
            boolean multipart = compressed.length > partSize;
            boolean ranged = compressed.length > 2 * partSize;
            Location single = base.appendPath("ceiling/" + UUID.randomUUID());
            Location parts = base.appendPath("ceiling/" + UUID.randomUUID());
            // the library's path first: the main table's "store alone" is the first write/read path recorded
            if (multipart) {
                recorder.record(report, prefix + "store alone write SDK multipart upload*", jsonBytes, () -> ceiling.putMultipart(parts, compressed));
            }
            recorder.record(report, prefix + "store alone write SDK PutObject" + (multipart ? "" : "*"), jsonBytes, () -> ceiling.putObject(single, compressed));
            if (ranged) {
                recorder.record(report, prefix + "store alone read SDK ranged GETs*", jsonBytes, () -> checkSize(ceiling.getRanged(single, compressed.length), compressed.length));
            }
            recorder.record(report, prefix + "store alone read SDK GetObject" + (ranged ? "" : "*"), jsonBytes, () -> checkSize(ceiling.getObject(single), compressed.length));
            ceiling.delete(single);
            if (multipart) {
                ceiling.delete(parts);
            }
        }

        private static void checkSize(long read, long expected)
        {
            if (read != expected) {
                throw new IllegalStateException("read " + read + " bytes, wrote " + expected);
            }
        }

        @Override
        public void close()
        {
            ceiling.close();
        }
    }

    /** Airflow 2's backend in a Python process ({@code benchmarks/python/airflow_large.py serve}). */
    private static final class AirflowProcess
            implements AutoCloseable
    {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private final Process process;
        private final BufferedReader responses;
        private final BufferedWriter requests;

        private AirflowProcess(Process process)
        {
            this.process = process;
            this.responses = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        /** The process, or null (with a note) when Airflow is off or its venv is not configured. */
        static AirflowProcess start(Options options, Map<String, String> environment, Path work, PrintStream out)
                throws IOException
        {
            String python = environment.get("XCOM_TEST_AIRFLOW2_PYTHON");
            if (options.airflow().equals("off")) {
                return null;
            }
            if (python == null || python.isBlank()) {
                if (options.airflow().equals("on")) {
                    throw new IllegalStateException("--airflow on needs XCOM_TEST_AIRFLOW2_PYTHON");
                }
                out.println("# Airflow comparison skipped: XCOM_TEST_AIRFLOW2_PYTHON is not set");
                return null;
            }
            Path script = List.of(Path.of("benchmarks/python/airflow_large.py"), Path.of("python/airflow_large.py")).stream()
                    .filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IllegalStateException("benchmarks/python/airflow_large.py not found from " + Path.of("").toAbsolutePath()));
            ProcessBuilder builder = new ProcessBuilder(python, script.toString(), "serve");
            builder.environment().clear();
            builder.environment().putAll(environment);
            builder.environment().put("AIRFLOW_HOME", Files.createDirectories(work.resolve("airflow-home")).toString());
            builder.environment().put("AIRFLOW__CORE__XCOM_BACKEND", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend");
            builder.environment().put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
            builder.environment().put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", Long.toString(options.threshold()));
            builder.redirectError(work.resolve("airflow.log").toFile());
            AirflowProcess airflow = new AirflowProcess(builder.start());
            JsonNode ready = airflow.read();
            out.printf("# Airflow %s, common-io %s, fsspec %s, s3fs %s, Python %s (%s)%n", ready.get("airflow").asText(), ready.get("common_io").asText(),
                    ready.get("fsspec").asText(), ready.get("s3fs").asText(), ready.get("python").asText(), python);
            return airflow;
        }

        void load(Path file)
                throws IOException
        {
            call(Map.of("op", "load", "path", file.toString()));
        }

        void unload()
                throws IOException
        {
            call(Map.of("op", "unload"));
        }

        JsonNode run(Path file, Location base, String codec, String runId, boolean check)
                throws IOException
        {
            return call(Map.of("op", "run", "path", file.toString(), "base", base.toString(), "codec", codec, "run_id", runId, "check", check));
        }

        private JsonNode call(Map<String, Object> request)
                throws IOException
        {
            requests.write(MAPPER.writeValueAsString(request));
            requests.newLine();
            requests.flush();
            JsonNode response = read();
            if (!response.path("ok").asBoolean()) {
                throw new IllegalStateException("Airflow " + request.get("op") + " failed: " + response.path("error").asText() + "\n" + response.path("trace").asText());
            }
            return response;
        }

        private JsonNode read()
                throws IOException
        {
            String line = responses.readLine();
            if (line == null) {
                throw new IOException("the Airflow process ended; see its log");
            }
            return MAPPER.readTree(line);
        }

        @Override
        public void close()
                throws InterruptedException
        {
            try {
                requests.close();
            }
            catch (IOException ignored) {
                // the process is gone already
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
