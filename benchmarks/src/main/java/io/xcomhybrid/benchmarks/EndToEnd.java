package io.xcomhybrid.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.ObjectStorageSettings;
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
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * End-to-end figures through the public API ({@link XComs}), each beside its ceiling:
 * <ul>
 *   <li>small values (~1 KiB of JSON, kept in the row): push, pull, push+pull latency p50/p99 and throughput with
 *   {@code --threads} threads (default 1, 8 and 32) on SQLite (and PostgreSQL when
 *   {@code XCOM_TEST_PG_JDBC_URL}/{@code _USER}/{@code _PASSWORD} are set); the ceiling is raw JDBC INSERT/SELECT of
 *   the same bytes into a table of the same shape, one connection per thread, and the library's pool
 *   ({@code [xcom_hybrid] metadata_pool_size}) is as large as the most threads, so neither side waits for a
 *   connection;</li>
 *   <li>large values (1 MiB and 64 MiB of JSON) pushed and pulled to local files with gzip, zstd, lz4, snappy: MB/s
 *   against the codec alone on the same bytes, and the peak heap.</li>
 * </ul>
 * Every figure is min/median/max over {@code --runs} runs. Large values are first pushed and pulled
 * {@code --large-warmup} times unreported (default: 32 MiB worth, 1 to 20 times): at 1 MiB one warm-up run leaves
 * the JIT far from done (the first ~15 pushes of 1 MiB are 2-100x slower than the later ones). Not a test:
 * nothing is asserted about time.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.EndToEnd [--runs 3] [--small-ops 2000]
 *     [--large-mib 1,64] [--codecs gzip,zstd,lz4,snappy] [--parts small,large] [--databases sqlite,postgresql]
 *     [--threads 1,8,32] [--compression-threads N] [--encoding-threads N] [--large-warmup N] [--local-fsync true|false]</pre>
 * {@code --local-fsync} sets {@code [xcom_hybrid] local_fsync} for the large values (unset: the library's default,
 * true); the objects go under {@code java.io.tmpdir}, so it measures a flush only where that is a disk, not tmpfs.
 */
public final class EndToEnd
{
    private static final XComJson JSON = XComJson.standard();
    private static final int SMALL_BYTES = 1024;
    private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int runs;
    private final int smallOps;
    private final List<Integer> threadCounts;
    private final List<Integer> largeMib;
    private final List<String> codecs;
    private final Path work;
    private final PrintStream out;
    private final List<String> cpuRows = new ArrayList<>();
    // null: the library's default ([xcom_hybrid] compression_threads unset)
    private String compressionThreads;
    // null: the library's default ([xcom_hybrid] encoding_threads unset)
    private String encodingThreads;
    // null: by size (largeWarmupRuns)
    private Integer largeWarmup;
    // null: the library's default ([xcom_hybrid] local_fsync unset)
    private String localFsync;
    private boolean warmingUp;
    private ExecutorService encodeHelpers;

    private EndToEnd(int runs, int smallOps, List<Integer> threadCounts, List<Integer> largeMib, List<String> codecs, Path work, PrintStream out)
    {
        this.threadCounts = List.copyOf(threadCounts);
        this.out = requireNonNull(out, "out is null");
        this.runs = runs;
        this.smallOps = smallOps;
        this.largeMib = List.copyOf(largeMib);
        this.codecs = List.copyOf(codecs);
        this.work = requireNonNull(work, "work is null");
    }

    public static void main(String[] args)
            throws Exception
    {
        run(args, System.out);
    }

    /** Runs the benchmarks {@code args} select, printing Markdown tables to {@code out}. */
    public static void run(String[] args, PrintStream out)
            throws Exception
    {
        int runs = 3;
        int smallOps = 2000;
        List<Integer> largeMib = List.of(1, 64);
        List<String> codecs = List.of("gzip", "zstd", "lz4", "snappy");
        List<String> parts = List.of("small", "large");
        List<String> databases = List.of("sqlite", "postgresql");
        List<Integer> threadCounts = List.of(1, 8, 32);
        String compressionThreads = null;
        String encodingThreads = null;
        Integer largeWarmup = null;
        String localFsync = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--small-ops" -> smallOps = Integer.parseInt(value);
                case "--large-mib" -> largeMib = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
                case "--codecs" -> codecs = List.of(value.split(","));
                case "--parts" -> parts = List.of(value.split(","));
                case "--databases" -> databases = List.of(value.split(","));
                case "--threads" -> threadCounts = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
                case "--compression-threads" -> compressionThreads = value;
                case "--encoding-threads" -> encodingThreads = value;
                case "--large-warmup" -> largeWarmup = Integer.parseInt(value);
                case "--local-fsync" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("--local-fsync must be true or false: " + value);
                    }
                    localFsync = value;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int operations = smallOps;
        if (threadCounts.isEmpty() || threadCounts.stream().anyMatch(threads -> threads < 1 || threads > operations)) {
            throw new IllegalArgumentException("--threads must list counts from 1 to --small-ops (" + smallOps + "): " + threadCounts);
        }
        Path work = Files.createTempDirectory("xcom-bench");
        EndToEnd bench = new EndToEnd(runs, smallOps, threadCounts, largeMib, codecs, work, out);
        bench.compressionThreads = compressionThreads;
        bench.encodingThreads = encodingThreads;
        bench.largeWarmup = largeWarmup;
        bench.localFsync = localFsync;
        out.printf("# EndToEnd runs=%d small-ops=%d large-mib=%s codecs=%s compression-threads=%s encoding-threads=%s local-fsync=%s large-warmup=%s work=%s maxHeap=%dMiB cpus=%d%n",
                runs, smallOps, largeMib, codecs, compressionThreads == null ? "default" : compressionThreads, encodingThreads == null ? "default" : encodingThreads,
                localFsync == null ? "default" : localFsync,
                largeWarmup == null ? "by size (" + largeMib.stream().map(mib -> mib + " MiB: " + largeWarmupRuns(mib)).collect(java.util.stream.Collectors.joining(", ")) + ")" : largeWarmup, work, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        try {
            if (parts.contains("small")) {
                if (databases.contains("sqlite")) {
                    bench.small("sqlite", "sqlite:///" + work.resolve("xcom.db"), "jdbc:sqlite:" + work.resolve("raw.db"));
                }
                String pgUrl = System.getenv("XCOM_TEST_PG_JDBC_URL");
                if (!databases.contains("postgresql")) {
                    out.println("# PostgreSQL not selected");
                }
                else if (pgUrl != null && !pgUrl.isBlank()) {
                    String jdbc = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "user=" + System.getenv("XCOM_TEST_PG_USER") + "&password=" + System.getenv("XCOM_TEST_PG_PASSWORD");
                    bench.small("postgresql", jdbc, jdbc);
                }
                else {
                    out.println("# PostgreSQL skipped: XCOM_TEST_PG_JDBC_URL is not set");
                }
            }
            if (parts.contains("large")) {
                bench.large();
            }
        }
        finally {
            deleteRecursively(work);
        }
    }

    // ---- small values -------------------------------------------------------------------------------------------

    private void small(String database, String xcomUrl, String rawJdbcUrl)
            throws Exception
    {
        Map<String, Object> value = Values.ofJsonSize(SMALL_BYTES);
        byte[] bytes = JSON.toBytes(value);
        String table = "xcom_bench_" + Long.toHexString(System.nanoTime());
        int maxThreads = threadCounts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        // as many pooled connections as threads: the raw side has one connection per thread
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", xcomUrl),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "file://" + work.resolve("objects-small"),
                        "xcom_objectstorage_threshold", "1048576",
                        "xcom_objectstorage_compression", "gzip"),
                "xcom_hybrid", Map.of("metadata_table", table, "metadata_pool_size", String.valueOf(maxThreads))), Map.of());
        out.printf("%n## small values on %s: %d bytes of JSON per value, %d operations per run split over the threads, %d runs, threads %s, "
                + "metadata_pool_size %d (raw JDBC: one connection per thread)%n", database, bytes.length, smallOps, runs, threadCounts, maxThreads);
        out.println("| database | threads | operation | xcom-hybrid ops/s min / median / max | p50 / p99 us | raw JDBC ops/s min / median / max | p50 / p99 us | ratio (median ops/s) |");
        out.println("|---|---|---|---|---|---|---|---|");
        try (XComs xcoms = XComs.open(config);
                RawJdbc raw = new RawJdbc(rawJdbcUrl, table + "_raw", maxThreads)) {
            PushResult check = xcoms.push(XComKey.of("bench", "check", "check"), value);
            if (check.location().isPresent()) {
                throw new IllegalStateException("the small value went to an object: " + check);
            }
            // warm-up: JIT, pools, statement caches; not reported
            for (int threads : threadCounts) {
                measureSmall(threads, Math.min(smallOps, 1000), "warmup" + threads, xcoms, raw, value, bytes);
            }
            for (int threads : threadCounts) {
                List<List<SmallRun>> byRun = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    byRun.add(measureSmall(threads, smallOps, "run" + threads + "_" + run, xcoms, raw, value, bytes));
                }
                // measureSmall returns xcom-hybrid then raw JDBC for each operation
                for (int op = 0; op < byRun.get(0).size(); op += 2) {
                    Summary ours = Summary.of(byRun, op);
                    Summary ceiling = Summary.of(byRun, op + 1);
                    out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %.2f |%n", database, threads, ours.median.operation,
                            ours.opsPerSecond(), ours.latencies(), ceiling.opsPerSecond(), ceiling.latencies(),
                            ours.median.opsPerSecond / ceiling.median.opsPerSecond);
                }
            }
            raw.dropTable();
        }
    }

    /** One implementation's runs of one operation: min / median / max ops/s, latencies of the median run. */
    private record Summary(SmallRun min, SmallRun median, SmallRun max)
    {
        static Summary of(List<List<SmallRun>> byRun, int index)
        {
            List<SmallRun> same = byRun.stream().map(list -> list.get(index)).sorted(Comparator.comparingDouble(SmallRun::opsPerSecond)).toList();
            return new Summary(same.get(0), same.get(same.size() / 2), same.get(same.size() - 1));
        }

        String opsPerSecond()
        {
            return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", min.opsPerSecond, median.opsPerSecond, max.opsPerSecond);
        }

        String latencies()
        {
            return String.format(Locale.ROOT, "%.0f / %.0f", median.p50Micros, median.p99Micros);
        }
    }

    private record SmallRun(String operation, String implementation, double opsPerSecond, double p50Micros, double p99Micros) {}

    private interface Op
    {
        void run(int thread, int i)
                throws Exception;
    }

    private List<SmallRun> measureSmall(int threads, int ops, String runId, XComs xcoms, RawJdbc raw, Object value, byte[] bytes)
            throws Exception
    {
        List<SmallRun> results = new ArrayList<>();
        results.add(timed("push", "xcom-hybrid", threads, ops, (t, i) -> xcoms.push(key(runId, "push", t, i), value)));
        results.add(timed("push", "raw JDBC", threads, ops, (t, i) -> raw.insert(t, key(runId, "push", t, i), bytes)));
        results.add(timed("pull", "xcom-hybrid", threads, ops, (t, i) -> consume(xcoms.pull(key(runId, "push", t, i)))));
        results.add(timed("pull", "raw JDBC", threads, ops, (t, i) -> consume(raw.select(t, key(runId, "push", t, i)))));
        results.add(timed("push+pull", "xcom-hybrid", threads, ops, (t, i) -> {
            XComKey key = key(runId, "pp", t, i);
            xcoms.push(key, value);
            consume(xcoms.pull(key));
        }));
        results.add(timed("push+pull", "raw JDBC", threads, ops, (t, i) -> {
            XComKey key = key(runId, "pp", t, i);
            raw.insert(t, key, bytes);
            consume(raw.select(t, key));
        }));
        return results;
    }

    private static volatile Object sink;

    private static void consume(Object pulled)
    {
        if (pulled == null) {
            throw new IllegalStateException("nothing pulled");
        }
        sink = pulled;
    }

    private static XComKey key(String runId, String prefix, int thread, int i)
    {
        return XComKey.of("bench_dag", runId, "task_" + thread).withKey(prefix + "_" + i);
    }

    private static SmallRun timed(String operation, String implementation, int threads, int ops, Op op)
            throws Exception
    {
        int perThread = ops / threads;
        long[][] latencies = new long[threads][perThread];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long begin = System.nanoTime();
                        op.run(thread, i);
                        latencies[thread][i] = System.nanoTime() - begin;
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            long elapsed = System.nanoTime() - start;
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            return new SmallRun(operation, implementation, all.length * 1e9 / elapsed, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static double percentile(long[] sorted, double p)
    {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The ceiling: the same bytes into a table of the same shape, one connection per thread, autocommit. */
    private static final class RawJdbc
            implements AutoCloseable
    {
        private final String table;
        private final Connection[] connections;
        private final PreparedStatement[] inserts;
        private final PreparedStatement[] selects;

        RawJdbc(String jdbcUrl, String table, int threads)
                throws SQLException
        {
            this.table = table;
            connections = new Connection[threads];
            inserts = new PreparedStatement[threads];
            selects = new PreparedStatement[threads];
            boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
            for (int t = 0; t < threads; t++) {
                Connection connection = DriverManager.getConnection(jdbcUrl);
                connections[t] = connection;
                try (Statement statement = connection.createStatement()) {
                    if (sqlite) {
                        // what the library's SQLite store sets: WAL, and wait for the write lock
                        statement.execute("PRAGMA journal_mode=WAL");
                        statement.execute("PRAGMA busy_timeout=30000");
                    }
                    if (t == 0) {
                        statement.execute("CREATE TABLE " + table + " (dag_id VARCHAR(250) NOT NULL, run_id VARCHAR(250) NOT NULL, task_id VARCHAR(250) NOT NULL, "
                                + "map_index INTEGER NOT NULL DEFAULT -1, \"key\" VARCHAR(512) NOT NULL, value " + (sqlite ? "BLOB" : "BYTEA") + " NOT NULL, "
                                + "\"timestamp\" TIMESTAMP NOT NULL, PRIMARY KEY (dag_id, run_id, task_id, map_index, \"key\"))");
                    }
                }
                inserts[t] = connection.prepareStatement("INSERT INTO " + table + " (dag_id, run_id, task_id, map_index, \"key\", value, \"timestamp\") VALUES (?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (dag_id, run_id, task_id, map_index, \"key\") DO UPDATE SET value = excluded.value, \"timestamp\" = excluded.\"timestamp\"");
                selects[t] = connection.prepareStatement("SELECT value FROM " + table + " WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ? AND \"key\" = ?");
            }
        }

        void insert(int thread, XComKey key, byte[] value)
                throws SQLException
        {
            PreparedStatement insert = inserts[thread];
            bindKey(insert, key);
            insert.setBytes(6, value);
            insert.setTimestamp(7, new Timestamp(System.currentTimeMillis()));
            insert.executeUpdate();
        }

        byte[] select(int thread, XComKey key)
                throws SQLException
        {
            PreparedStatement select = selects[thread];
            bindKey(select, key);
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? result.getBytes(1) : null;
            }
        }

        private static void bindKey(PreparedStatement statement, XComKey key)
                throws SQLException
        {
            statement.setString(1, key.dagId());
            statement.setString(2, key.runId());
            statement.setString(3, key.taskId());
            statement.setInt(4, key.mapIndex());
            statement.setString(5, key.key());
        }

        void dropTable()
                throws SQLException
        {
            try (Statement statement = connections[0].createStatement()) {
                statement.execute("DROP TABLE " + table);
            }
        }

        @Override
        public void close()
                throws SQLException
        {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    // ---- large values -------------------------------------------------------------------------------------------

    private void large()
            throws Exception
    {
        out.printf("%n## large values to local files (file://), %d runs; MB = 10^6 bytes of JSON text; heap = used of all heap pools after System.gc() before the operation (the benchmark holds the value and its JSON bytes) and the peak during it%n", runs);
        out.println("JSON alone: XComJson.write of the value on as many threads as encoding_threads gives a push (push value), transcode of the text (push JSON text), read into Java values (pull value), nothing (pull JSON text, a copy); "
                + "each to or from memory. With compression_threads >= 1 the JSON and the codec run on different threads, so min(codec, JSON) is the ceiling of a push on 2+ cores.");
        out.println("| size | codec | operation | MB/s min / median / max | ceiling (codec alone) MB/s median | ratio | JSON alone MB/s median | ratio to min(codec, JSON) | compressed bytes | heap used before, after a GC, MiB (min over runs) | peak heap MiB (max over runs) | GCs (median run) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        cpuRows.clear();
        encodeHelpers = Executors.newFixedThreadPool(Math.max(1, encodingHelpers()), runnable -> {
            Thread thread = new Thread(runnable, "bench-encode");
            thread.setDaemon(true);
            return thread;
        });
        for (int mib : largeMib) {
            Map<String, Object> value = Values.ofJsonSize((long) mib << 20);
            byte[] json = JSON.toBytes(value);
            for (String codec : codecs) {
                largeCodec(mib, codec, value, json);
            }
        }
        out.printf("%n### CPU of each operation's median run, beside its stages alone (%d cores)%n", Runtime.getRuntime().availableProcessors());
        out.println("JVM CPU: every thread of the JVM during the operation (pipeline, codec and encoding threads, the collector, the JIT; counted in 10 ms ticks, so read the larger sizes); "
                + "caller: the thread that called it. Stages alone: the JVM CPU of the JSON step and of the codec, each run alone (their median runs). "
                + "Bound: the stages' sum spread over every core, the fastest the operation could go here if nothing were lost running them together, as MB/s "
                + "and as a share of the codec alone (the ceiling). Inflation: the operation's JVM CPU over the stages' sum (the cost of running them together, and the store).");
        out.println("| size | codec | operation | wall ms | JVM CPU ms | caller CPU ms | cores busy | stages alone CPU ms (JSON + codec) | inflation | bound MB/s | bound / ceiling |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        cpuRows.forEach(out::println);
        encodeHelpers.shutdown();
    }

    /** The helpers of the encoder alone: as many as the push's encoding_threads gives it. */
    private int encodingHelpers()
    {
        return (encodingThreads == null ? ObjectStorageSettings.defaultEncodingThreads() : Integer.parseInt(encodingThreads)) - 1;
    }

    private Map<String, String> largeSettings()
    {
        Map<String, String> settings = new java.util.HashMap<>();
        if (compressionThreads != null) {
            settings.put("compression_threads", compressionThreads);
        }
        if (encodingThreads != null) {
            settings.put("encoding_threads", encodingThreads);
        }
        if (localFsync != null) {
            settings.put("local_fsync", localFsync);
        }
        return settings;
    }

    private void largeCodec(int mib, String codec, Object value, byte[] json)
            throws Exception
    {
        Compression compression = Compressions.forName(codec);
        Path objects = work.resolve("objects-" + codec + "-" + mib);
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + work.resolve("large.db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "file://" + objects,
                        "xcom_objectstorage_threshold", "65536",
                        "xcom_objectstorage_compression", codec),
                "xcom_hybrid", largeSettings()), Map.of());
        byte[] compressed = compressAlone(compression, json);
        List<Sample> push = new ArrayList<>();
        List<Sample> pushText = new ArrayList<>();
        List<Sample> pull = new ArrayList<>();
        List<Sample> pullValue = new ArrayList<>();
        List<Sample> compress = new ArrayList<>();
        List<Sample> decompress = new ArrayList<>();
        List<Sample> encode = new ArrayList<>();
        List<Sample> transcode = new ArrayList<>();
        List<Sample> parse = new ArrayList<>();
        try (XComs xcoms = XComs.open(config)) {
            // runs up to 0 warm up and are not reported
            int warmups = largeWarmup != null ? largeWarmup : largeWarmupRuns(mib);
            for (int run = 1 - warmups; run <= runs; run++) {
                warmingUp = run <= 0;
                XComKey key = XComKey.of("bench_dag", "large_" + mib + "_" + codec, "task").withKey("run_" + run);
                Sample pushed = sample(json.length, () -> {
                    PushResult result = xcoms.push(key, value);
                    if (result.location().isEmpty()) {
                        throw new IllegalStateException("the large value stayed in the row: " + result);
                    }
                });
                Sample pulled = sample(json.length, () -> {
                    CompressionBenchmark.CountingSink out = new CompressionBenchmark.CountingSink();
                    if (xcoms.pullJson(key, out) != json.length || out.count != json.length) {
                        throw new IllegalStateException("pulled " + out.count + " bytes, pushed " + json.length);
                    }
                });
                Sample pulledValue = sample(json.length, () -> consume(xcoms.pull(key)));
                XComKey textKey = key.withKey("text_" + run);
                Sample pushedText = sample(json.length, () -> {
                    PushResult result = xcoms.pushJson(textKey, new ByteArrayInputStream(json));
                    if (result.location().isEmpty() || result.size() != json.length) {
                        throw new IllegalStateException("the JSON text was not stored as an object of its size: " + result);
                    }
                });
                // with as many threads as the push encodes on
                Sample encoded = sample(json.length, () -> JSON.write(value, OutputStream.nullOutputStream(), encodeHelpers, encodingHelpers()));
                Sample transcoded = sample(json.length, () -> JSON.transcode(new ByteArrayInputStream(json), OutputStream.nullOutputStream()));
                Sample parsed = sample(json.length, () -> consume(JSON.read(json)));
                Sample compressed1 = sample(json.length, () -> compressAlone(compression, json));
                Sample decompressed1 = sample(json.length, () -> {
                    try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
                        if (CompressionBenchmark.drain(in) != json.length) {
                            throw new IllegalStateException("decompressed size differs");
                        }
                    }
                });
                if (run > 0) {
                    push.add(pushed);
                    pull.add(pulled);
                    pullValue.add(pulledValue);
                    pushText.add(pushedText);
                    encode.add(encoded);
                    transcode.add(transcoded);
                    parse.add(parsed);
                    compress.add(compressed1);
                    decompress.add(decompressed1);
                }
                xcoms.delete(key);
                xcoms.delete(textKey);
            }
        }
        printLarge(mib, codec, "push (value -> JSON -> " + codec + " -> file)", push, compress, encode, compressed.length);
        printLarge(mib, codec, "push (JSON text -> transcode -> " + codec + " -> file)", pushText, compress, transcode, compressed.length);
        printLarge(mib, codec, "pull (file -> " + codec + " -> JSON text)", pull, decompress, List.of(), compressed.length);
        printLarge(mib, codec, "pull (file -> " + codec + " -> Java value)", pullValue, decompress, parse, compressed.length);
        cpuRows.add(cpuRow(mib, codec, "push value", json.length, push, compress, encode));
        cpuRows.add(cpuRow(mib, codec, "push JSON text", json.length, pushText, compress, transcode));
        cpuRows.add(cpuRow(mib, codec, "pull JSON text", json.length, pull, decompress, List.of()));
        cpuRows.add(cpuRow(mib, codec, "pull value", json.length, pullValue, decompress, parse));
    }

    /**
     * Where the CPU of one operation's median run went, beside its two stages run alone (their median runs): the
     * JSON step and the codec. On {@code cpus} cores the operation can at best take their sum spread over every core;
     * that bound, as a share of the codec alone, says whether 80% of the codec alone is within reach on this machine.
     */
    private String cpuRow(int mib, String codec, String operation, long bytes, List<Sample> samples, List<Sample> codecAlone, List<Sample> jsonAlone)
    {
        Sample median = medianSample(samples);
        long codecCpu = medianSample(codecAlone).processCpuNanos();
        long jsonCpu = jsonAlone.isEmpty() ? 0 : medianSample(jsonAlone).processCpuNanos();
        long stagesCpu = codecCpu + jsonCpu;
        // the process's CPU time moves in ticks of 10 ms: stages shorter than a tick have no bound
        String inflation = "-";
        String bound = "- | -";
        if (stagesCpu > 0) {
            double boundSpeed = bytes / 1e6 / (stagesCpu / (double) Runtime.getRuntime().availableProcessors() / 1e9);
            inflation = String.format(Locale.ROOT, "%.2f", median.processCpuNanos() / (double) stagesCpu);
            bound = String.format(Locale.ROOT, "%.1f | %.2f", boundSpeed, boundSpeed / medianSpeed(codecAlone));
        }
        return String.format(Locale.ROOT, "| %d MiB | %s | %s | %.1f | %.1f | %.1f | %.2f | %.1f + %.1f | %s | %s |", mib, codec, operation,
                median.wallNanos() / 1e6, median.processCpuNanos() / 1e6, median.callerCpuNanos() / 1e6, median.processCpuNanos() / (double) median.wallNanos(),
                jsonCpu / 1e6, codecCpu / 1e6, inflation, bound);
    }

    private static byte[] compressAlone(Compression compression, byte[] json)
    {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3);
            try (OutputStream compressor = compression.compress(out)) {
                compressor.write(json);
            }
            return out.toByteArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param wallNanos the operation's elapsed time
     * @param processCpuNanos CPU time of the whole JVM during it (every thread, the collector's and the JIT's too)
     * @param callerCpuNanos CPU time of the thread that called the operation
     */
    private record Sample(double megabytesPerSecond, long heapBeforeBytes, long peakHeapBytes, long gcCount, long wallNanos, long processCpuNanos, long callerCpuNanos) {}

    private interface Action
    {
        void run()
                throws Exception;
    }

    /** Warm-up runs of a large value: enough to push 32 MiB, at least 1 and at most 20. */
    static int largeWarmupRuns(int mib)
    {
        return Math.max(1, Math.min(20, (32 + mib - 1) / mib));
    }

    private Sample sample(long bytes, Action action)
            throws Exception
    {
        if (warmingUp) {
            // no System.gc() per operation while warming up: it would cost more than the operations
            action.run();
            return new Sample(0, 0, 0, 0, 0, 0, 0);
        }
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long before = heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
        long gcs = gcCount();
        long processCpu = PROCESS.getProcessCpuTime();
        long callerCpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        action.run();
        long elapsed = System.nanoTime() - start;
        callerCpu = THREADS.getCurrentThreadCpuTime() - callerCpu;
        processCpu = PROCESS.getProcessCpuTime() - processCpu;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return new Sample(bytes / 1e6 / (elapsed / 1e9), before, peak, gcCount() - gcs, elapsed, processCpu, callerCpu);
    }

    private static long gcCount()
    {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /** @param jsonAlone the JSON step alone (encode, transcode or parse), empty when the operation has none */
    private void printLarge(int mib, String codec, String operation, List<Sample> samples, List<Sample> ceiling, List<Sample> jsonAlone, long compressedBytes)
    {
        List<Sample> sorted = samples.stream().sorted(Comparator.comparingDouble(Sample::megabytesPerSecond)).toList();
        Sample median = sorted.get(sorted.size() / 2);
        double ceilingMedian = medianSpeed(ceiling);
        double jsonMedian = jsonAlone.isEmpty() ? Double.POSITIVE_INFINITY : medianSpeed(jsonAlone);
        long peak = samples.stream().mapToLong(Sample::peakHeapBytes).max().orElse(0);
        long before = samples.stream().mapToLong(Sample::heapBeforeBytes).min().orElse(0);
        out.printf(Locale.ROOT, "| %d MiB | %s | %s | %.1f / %.1f / %.1f | %.1f | %.2f | %s | %.2f | %d | %d | %d | %d |%n", mib, codec, operation,
                sorted.get(0).megabytesPerSecond, median.megabytesPerSecond, sorted.get(sorted.size() - 1).megabytesPerSecond,
                ceilingMedian, median.megabytesPerSecond / ceilingMedian, jsonAlone.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", jsonMedian),
                median.megabytesPerSecond / Math.min(ceilingMedian, jsonMedian), compressedBytes, before >> 20, peak >> 20, median.gcCount);
    }

    private static Sample medianSample(List<Sample> samples)
    {
        return samples.stream().sorted(Comparator.comparingDouble(Sample::megabytesPerSecond)).toList().get(samples.size() / 2);
    }

    private static double medianSpeed(List<Sample> samples)
    {
        return samples.stream().mapToDouble(Sample::megabytesPerSecond).sorted().toArray()[samples.size() / 2];
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
}
