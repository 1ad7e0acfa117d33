package io.xcomhybrid.benchmarks;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.xcomhybrid.GcReport;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComEntry;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.XComBackend;
import io.xcomhybrid.backend.XComBackendContext;
import io.xcomhybrid.backend.XComBackends;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStores;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.store.ObjectStores;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One run holding many XComs ({@code --count}, 100,000 by default), each with its object (threshold 0: every value
 * goes to an object; the values are small), in MinIO when {@code XCOM_TEST_S3_ENDPOINT} and friends are set (else
 * in local files; {@code --store gcs}: fake-gcs-server from {@code XCOM_TEST_GCS_ENDPOINT}), metadata in SQLite and, when {@code XCOM_TEST_PG_JDBC_URL} is set, PostgreSQL. Times, through
 * the public API: the pushes on {@code --threads} threads, {@code list} of the run, {@code gc} (dry run and real)
 * with nothing to collect and again after {@code --orphans} rows were deleted by SQL behind the library's back, and
 * {@code clear} of the run (rows, then objects). Afterwards it checks that no object remains under the base and no
 * row of the run is left, and says so in the table. Nothing is asserted about time.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.ManyXComs [--count 100000] [--threads 32]
 *     [--orphans 1000] [--databases sqlite,postgresql] [--store minio|gcs|local] [--threshold 0] [--gc-heap false]</pre>
 *
 * <p>{@code --gc-heap true} also reports the most heap each gc step held (full collections every 50 ms during it),
 * which slows those steps: take their times from a run without it.
 */
public final class ManyXComs
{
    private static final String S3_CONN = "many_minio";
    private static final String GCS_CONN = "many_gcs";
    private static final String DAG = "many_xcoms";

    private final int count;
    private final int threads;
    private final int orphans;
    private final long threshold;
    private final boolean gcHeap;
    private final PrintStream out;

    private ManyXComs(int count, int threads, int orphans, long threshold, boolean gcHeap, PrintStream out)
    {
        this.count = count;
        this.threads = threads;
        this.orphans = orphans;
        this.threshold = threshold;
        this.gcHeap = gcHeap;
        this.out = requireNonNull(out, "out is null");
    }

    public static void main(String[] args)
            throws Exception
    {
        run(args, System.out);
    }

    /** What one database's round found: the figures and the checks the smoke test reads. */
    public record Result(String database, Map<String, Double> seconds, long objectsAfterPush, int listed, long orphansFound, long orphansDeleted,
                         long objectsAfterGc, int cleared, long objectsAfterClear, long rowsAfterClear) {}

    public static List<Result> run(String[] args, PrintStream out)
            throws Exception
    {
        int count = 100_000;
        int threads = 32;
        int orphans = 1000;
        boolean gcHeap = false;
        long threshold = 0;
        List<String> databases = List.of("sqlite", "postgresql");
        Optional<String> store = Optional.empty();
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--orphans" -> orphans = Integer.parseInt(value);
                case "--threshold" -> threshold = Long.parseLong(value);
                case "--gc-heap" -> gcHeap = Boolean.parseBoolean(value);
                case "--databases" -> databases = List.of(value.split(","));
                case "--store" -> store = Optional.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (orphans > count) {
            throw new IllegalArgumentException("--orphans " + orphans + " is more than --count " + count);
        }
        String endpoint = System.getenv("XCOM_TEST_S3_ENDPOINT");
        boolean minioSet = endpoint != null && !endpoint.isBlank();
        boolean gcs = store.map("gcs"::equals).orElse(false);
        boolean minio = !gcs && store.map("minio"::equals).orElse(minioSet);
        if (minio && !minioSet) {
            throw new IllegalArgumentException("--store minio needs XCOM_TEST_S3_ENDPOINT, XCOM_TEST_S3_ACCESS_KEY and XCOM_TEST_S3_SECRET_KEY (bin/servers/minio.sh)");
        }
        String gcsEndpoint = System.getenv("XCOM_TEST_GCS_ENDPOINT");
        if (gcs && (gcsEndpoint == null || gcsEndpoint.isBlank())) {
            throw new IllegalArgumentException("--store gcs needs XCOM_TEST_GCS_ENDPOINT and XCOM_TEST_GCS_PROJECT (bin/servers/fake-gcs.sh)");
        }
        String storeName = gcs ? "fake-gcs-server" : minio ? "MinIO" : "local files";
        ManyXComs bench = new ManyXComs(count, threads, orphans, threshold, gcHeap, out);
        out.printf("# ManyXComs count=%d threads=%d orphans=%d threshold=%d store=%s databases=%s machine=%s date=%s%n", count, threads, orphans, threshold,
                storeName, databases, Growth.machine(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Path work = Files.createTempDirectory("xcom-many");
        S3Client s3 = minio ? Growth.s3Client() : null;
        Storage gcsClient = gcs ? gcsClient(gcsEndpoint) : null;
        String bucket = minio || gcs ? "xcom-many-" + UUID.randomUUID().toString().substring(0, 8) : null;
        List<Result> results = new ArrayList<>();
        try {
            if (minio) {
                s3.createBucket(request -> request.bucket(bucket));
            }
            if (gcs) {
                gcsClient.create(BucketInfo.of(bucket));
            }
            List<Database> selected = new ArrayList<>();
            if (databases.contains("sqlite")) {
                selected.add(new Database("sqlite", "sqlite:///" + work.resolve("many.db"), "jdbc:sqlite:" + work.resolve("many.db")));
            }
            String pgUrl = System.getenv("XCOM_TEST_PG_JDBC_URL");
            if (!databases.contains("postgresql")) {
                out.println("# PostgreSQL not selected");
            }
            else if (pgUrl == null || pgUrl.isBlank()) {
                out.println("# PostgreSQL skipped: XCOM_TEST_PG_JDBC_URL is not set");
            }
            else {
                String jdbc = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "user=" + System.getenv("XCOM_TEST_PG_USER") + "&password=" + System.getenv("XCOM_TEST_PG_PASSWORD");
                selected.add(new Database("postgresql", jdbc, jdbc));
            }
            out.printf("%n## one run holding %,d XComs, each with its object in %s (threshold %d), pushed on %d threads; %,d orphans made by deleting rows with SQL%n",
                    count, storeName, threshold, threads, orphans);
            out.println("| database | step | wall s | XComs/s or objects/s | check |");
            out.println("|---|---|---|---|---|");
            for (Database database : selected) {
                String prefix = "many-" + database.name + "-" + Long.toHexString(System.nanoTime());
                ObjectCounter objects;
                String base;
                Map<String, String> environment;
                if (gcs) {
                    objects = new GcsObjects(gcsClient, bucket, prefix);
                    base = "gs://" + GCS_CONN + "@" + bucket + "/" + prefix;
                    environment = Map.of("AIRFLOW_CONN_" + GCS_CONN.toUpperCase(Locale.ROOT), "{\"conn_type\": \"google_cloud_platform\", \"extra\": {\"gcs.endpoint\": \""
                            + gcsEndpoint + "\", \"project\": \"" + gcsProject() + "\"}}");
                }
                else if (minio) {
                    objects = new S3Objects(s3, bucket, prefix);
                    base = "s3://" + S3_CONN + "@" + bucket + "/" + prefix;
                    environment = Map.of("AIRFLOW_CONN_" + S3_CONN.toUpperCase(Locale.ROOT), Growth.s3ConnectionJson());
                }
                else {
                    objects = new LocalObjects(work.resolve("objects").resolve(prefix));
                    base = "file://" + work.resolve("objects").resolve(prefix);
                    environment = Map.of();
                }
                results.add(bench.round(database, base, environment, objects));
            }
        }
        finally {
            if (s3 != null) {
                Growth.emptyBucket(s3, bucket);
                s3.close();
            }
            if (gcsClient != null) {
                gcsClient.list(bucket).iterateAll().forEach(blob -> gcsClient.delete(blob.getBlobId()));
                gcsClient.delete(bucket);
                gcsClient.close();
            }
            Growth.deleteRecursively(work);
        }
        out.println();
        out.println("push = XComs.push of a small dict (~60 bytes of JSON) on the threads, each to its own object; list = XComs.list of the run; "
                + "gc = XComs.gc(grace 0) over the whole base (lists every object and reads every row); clear = XComs.clear of the run: "
                + "delete the rows (one statement) and then purge their objects (the 'rows' and 'purge' lines split it).");
        return results;
    }

    private record Database(String name, String xcomUrl, String jdbcUrl) {}

    private Result round(Database database, String base, Map<String, String> environment, ObjectCounter objects)
            throws Exception
    {
        String table = "xcom_many_" + Long.toHexString(System.nanoTime());
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", database.xcomUrl),
                "common.io", Map.of(
                        "xcom_objectstorage_path", base,
                        "xcom_objectstorage_threshold", Long.toString(threshold)),
                "xcom_hybrid", Map.of("metadata_table", table, "metadata_pool_size", Integer.toString(Math.min(threads, 32)))), environment);
        String runId = "manual__" + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        XComFilter run = XComFilter.run(DAG, runId);
        Map<String, Double> seconds = new LinkedHashMap<>();
        String name = database.name;
        TimedMetadataStore metadata = new TimedMetadataStore(MetadataStores.create(config));
        // closes the metadata store too
        try (XComs xcoms = open(config, metadata)) {
            // push
            long start = System.nanoTime();
            pushAll(xcoms, runId);
            double push = seconds(start);
            seconds.put("push", push);
            long objectsAfterPush = objects.count();
            row(name, "push " + count + " on " + threads + " threads", push, count / push, objectsAfterPush + " objects under the base");

            // list
            start = System.nanoTime();
            List<XComEntry> listed = xcoms.list(run);
            double list = seconds(start);
            seconds.put("list", list);
            int listedCount = listed.size();
            listed = null;
            row(name, "list the run", list, listedCount / list, listedCount + " entries");

            // gc with nothing to collect
            GcReport dry = timedGc(xcoms, true, seconds, "gc dry run, nothing to collect");
            row(name, "gc dry run, nothing to collect", seconds.get("gc dry run, nothing to collect"), dry.scanned() / seconds.get("gc dry run, nothing to collect"),
                    dry.scanned() + " scanned, " + dry.orphans().size() + " orphans" + heap(seconds, "gc dry run, nothing to collect"));
            GcReport clean = timedGc(xcoms, false, seconds, "gc, nothing to collect");
            row(name, "gc, nothing to collect", seconds.get("gc, nothing to collect"), clean.scanned() / seconds.get("gc, nothing to collect"),
                    clean.scanned() + " scanned, " + clean.orphans().size() + " deleted" + heap(seconds, "gc, nothing to collect"));

            // orphans: rows deleted behind the library's back
            deleteRows(database.jdbcUrl, table, runId);
            GcReport found = timedGc(xcoms, true, seconds, "gc dry run, " + orphans + " orphans");
            row(name, "gc dry run, " + orphans + " orphans", seconds.get("gc dry run, " + orphans + " orphans"), found.scanned() / seconds.get("gc dry run, " + orphans + " orphans"),
                    found.orphans().size() + " orphans found" + heap(seconds, "gc dry run, " + orphans + " orphans"));
            GcReport swept = timedGc(xcoms, false, seconds, "gc, " + orphans + " orphans");
            long objectsAfterGc = objects.count();
            row(name, "gc, " + orphans + " orphans", seconds.get("gc, " + orphans + " orphans"), swept.scanned() / seconds.get("gc, " + orphans + " orphans"),
                    swept.orphans().size() + " deleted, " + objectsAfterGc + " objects left" + heap(seconds, "gc, " + orphans + " orphans"));

            // clear
            metadata.deleteAllSeconds = 0;
            start = System.nanoTime();
            int cleared = xcoms.clear(run);
            double clear = seconds(start);
            seconds.put("clear", clear);
            seconds.put("clear rows", metadata.deleteAllSeconds);
            seconds.put("clear purge", clear - metadata.deleteAllSeconds);
            long objectsAfterClear = objects.count();
            long rowsAfterClear = countRows(database.jdbcUrl, table, runId);
            row(name, "clear the run", clear, cleared / clear, cleared + " XComs cleared; afterwards " + objectsAfterClear + " objects and " + rowsAfterClear + " rows remain");
            row(name, "  of which: delete rows", metadata.deleteAllSeconds, cleared / metadata.deleteAllSeconds, "");
            row(name, "  of which: purge objects", clear - metadata.deleteAllSeconds, cleared / (clear - metadata.deleteAllSeconds), "");
            dropTable(database.jdbcUrl, table);
            return new Result(name, seconds, objectsAfterPush, listedCount, found.orphans().size(), swept.orphans().size(),
                    objectsAfterGc, cleared, objectsAfterClear, rowsAfterClear);
        }
    }

    private static XComs open(AirflowConfig config, MetadataStore metadata)
    {
        ObjectStores stores = new ObjectStores(config);
        XComJson json = XComJson.standard();
        XComBackend backend = XComBackends.create(new XComBackendContext(config, stores, json));
        return new XComs(metadata, backend, stores, json);
    }

    private void pushAll(XComs xcoms, String runId)
            throws Exception
    {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < count; i += threads) {
                        PushResult result = xcoms.push(key(runId, i), Map.of("i", i, "text", "small value number " + i));
                        if (result.location().isEmpty()) {
                            throw new IllegalStateException(result.key() + " stayed in the row; the benchmark needs every value in an object (threshold 0)");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static XComKey key(String runId, int i)
    {
        return XComKey.of(DAG, runId, "task_" + (i % 100)).withKey("value_" + i);
    }

    private GcReport timedGc(XComs xcoms, boolean dryRun, Map<String, Double> seconds, String step)
            throws InterruptedException
    {
        if (!gcHeap) {
            long start = System.nanoTime();
            GcReport report = xcoms.gc(Duration.ZERO, dryRun);
            seconds.put(step, seconds(start));
            return report;
        }
        // a full collection every 50 ms while the sweep runs: the most heap still in use after one, less the heap in use
        // before the sweep, is what the sweep holds (the time is then not comparable with a run without --gc-heap)
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                memory.gc();
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-heap-sampler");
        long start = System.nanoTime();
        sampler.start();
        GcReport report;
        try {
            report = xcoms.gc(Duration.ZERO, dryRun);
        }
        finally {
            running.set(false);
            sampler.join();
        }
        seconds.put(step, seconds(start));
        seconds.put(step + " live heap MiB", (peak.get() - before) / 1048576.0);
        return report;
    }

    /** ", live heap +N MiB" after a gc step's check when {@code --gc-heap true}, else nothing. */
    private String heap(Map<String, Double> seconds, String step)
    {
        Double mib = seconds.get(step + " live heap MiB");
        return mib == null ? "" : String.format(Locale.ROOT, "; held at most %.1f MiB of heap", mib);
    }

    private void deleteRows(String jdbcUrl, String table, String runId)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE dag_id = ? AND run_id = ? AND task_id = ? AND \"key\" = ?")) {
                for (int i = 0; i < orphans; i++) {
                    XComKey key = key(runId, i);
                    delete.setString(1, key.dagId());
                    delete.setString(2, key.runId());
                    delete.setString(3, key.taskId());
                    delete.setString(4, key.key());
                    delete.addBatch();
                }
                int deleted = 0;
                for (int n : delete.executeBatch()) {
                    deleted += n;
                }
                if (deleted != orphans) {
                    throw new IllegalStateException("deleted " + deleted + " rows of " + table + ", expected " + orphans);
                }
            }
            connection.commit();
        }
    }

    private static long countRows(String jdbcUrl, String table, String runId)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE dag_id = ? AND run_id = ?")) {
            select.setString(1, DAG);
            select.setString(2, runId);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void dropTable(String jdbcUrl, String table)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + table);
        }
    }

    private void row(String database, String step, double seconds, double rate, String check)
    {
        out.printf(Locale.ROOT, "| %s | %s | %.2f | %,.0f | %s |%n", database, step, seconds, rate, check);
    }

    private static double seconds(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Counts the objects below the round's base, straight from the store (not through the library). */
    private interface ObjectCounter
    {
        long count()
                throws IOException;
    }

    private static Storage gcsClient(String endpoint)
    {
        return StorageOptions.http()
                .setHost(endpoint)
                .setProjectId(gcsProject())
                .setCredentials(NoCredentials.getInstance())
                .build()
                .getService();
    }

    private static String gcsProject()
    {
        String project = System.getenv("XCOM_TEST_GCS_PROJECT");
        return project == null || project.isBlank() ? "xcom-test" : project;
    }

    private record GcsObjects(Storage gcs, String bucket, String prefix)
            implements ObjectCounter
    {
        @Override
        public long count()
        {
            long count = 0;
            for (Blob ignored : gcs.list(bucket, Storage.BlobListOption.prefix(prefix + "/"), Storage.BlobListOption.fields(Storage.BlobField.NAME)).iterateAll()) {
                count++;
            }
            return count;
        }
    }

    private record S3Objects(S3Client s3, String bucket, String prefix)
            implements ObjectCounter
    {
        @Override
        public long count()
        {
            return Growth.countObjects(s3, bucket, prefix + "/");
        }
    }

    private record LocalObjects(Path root)
            implements ObjectCounter
    {
        @Override
        public long count()
                throws IOException
        {
            if (!Files.exists(root)) {
                return 0;
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).count();
            }
        }
    }

    /** Times {@link #deleteAll}, so clear can be split into its row and purge parts. */
    private static final class TimedMetadataStore
            implements MetadataStore
    {
        private final MetadataStore delegate;
        private volatile double deleteAllSeconds;

        TimedMetadataStore(MetadataStore delegate)
        {
            this.delegate = requireNonNull(delegate, "delegate is null");
        }

        @Override
        public Optional<StoredXCom> put(XComKey key, byte[] value)
        {
            return delegate.put(key, value);
        }

        @Override
        public Optional<StoredXCom> get(XComKey key)
        {
            return delegate.get(key);
        }

        @Override
        public Optional<StoredXCom> delete(XComKey key)
        {
            return delegate.delete(key);
        }

        @Override
        public List<StoredXCom> deleteAll(XComFilter filter)
        {
            long start = System.nanoTime();
            List<StoredXCom> rows = delegate.deleteAll(filter);
            deleteAllSeconds = seconds(start);
            return rows;
        }

        @Override
        public List<StoredXCom> list(XComFilter filter)
        {
            return delegate.list(filter);
        }

        @Override
        public List<StoredXCom> listAny(Collection<XComFilter> filters)
        {
            return delegate.listAny(filters);
        }

        @Override
        public void forEach(XComFilter filter, Consumer<StoredXCom> consumer)
        {
            delegate.forEach(filter, consumer);
        }

        @Override
        public void check()
        {
            delegate.check();
        }

        @Override
        public String describe()
        {
            return delegate.describe();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
