package io.xcomhybrid.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Small XComs (~1 KiB of JSON, kept in the row) through real Airflow 2's {@code XCom.set} / {@code XCom.get_one} and
 * through xcom-hybrid in {@code schema_mode = airflow2}, on the same {@code xcom} table of one PostgreSQL database
 * that Airflow's own {@code airflow db migrate} created. Push, pull and push+pull with each worker count: Airflow
 * with that many worker processes ({@code benchmarks/python/airflow_small_bench.py}, multiprocessing, because threads
 * would share the GIL), xcom-hybrid with that many threads and as many pooled connections. Runs alternate (Airflow,
 * xcom-hybrid, Airflow, ...) so both see the same load on a shared machine. Afterwards each side reads every row
 * the other side wrote in the last run and compares it with the value (an error if any differs). A third side,
 * xcom-hybrid in {@code schema_mode = standalone} with its own table in the same database and schema, runs in the same
 * rounds: what a JVM team gets when it does not share Airflow's table (a second table in the output).
 *
 * <p>Needs {@code XCOM_TEST_PG_JDBC_URL}/{@code _USER}/{@code _PASSWORD} and {@code XCOM_TEST_AIRFLOW2_PYTHON}. The
 * PostgreSQL drivers Airflow needs are installed once with {@code pip --target} into
 * {@code $XCOM_CACHE/airflow-db-deps/} (the directory the compat tests use), so the venv stays unchanged. Not a
 * test: nothing is asserted about time.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.AirflowSmall [--runs 3] [--ops 2000]
 *     [--workers 1,8,32] [--warmup-ops 256] [--backend base|object-storage] [--airflow-pool default|null]
 *     [--value-bytes 1024] [--keep-schema] [--repo DIR]</pre>
 */
public final class AirflowSmall
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final XComJson JSON = XComJson.standard();
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*).*");
    private static final String DAG = "bench_dag";
    private static final String RUN = "bench_run";
    private static final List<String> OPERATIONS = List.of("push", "pull", "push+pull");
    static final String AIRFLOW2_MODE = "xcom-hybrid";
    static final String STANDALONE = "xcom-hybrid standalone";
    private static final Duration MIGRATE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration BENCH_TIMEOUT = Duration.ofMinutes(60);
    private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * One run's figure for one worker count and operation; {@code cpuMicrosPerOp} is the client's CPU time per
     * operation (Airflow: its worker processes; xcom-hybrid: the whole JVM process), PostgreSQL's own not counted.
     */
    public record Figure(String implementation, int workers, String operation, double opsPerSecond, double p50Micros, double p99Micros, double cpuMicrosPerOp) {}

    /**
     * What each side read of the other's rows in the last run: how many XComs it read and how many equal the
     * value; {@code rowBytesEqual} when both sides' {@code value} columns hold the same bytes.
     */
    public record CrossCheck(int airflowRowsReadByXcomHybrid, int airflowRowsEqual, int xcomHybridRowsReadByAirflow, int xcomHybridRowsEqual, boolean rowBytesEqual) {}

    /**
     * The figures, the cross-check, the schema, and the {@code AIRFLOW__*} settings xcom-hybrid used on it (their
     * {@code sql_alchemy_conn} holds the password, so {@link #toString()} leaves them out).
     */
    public record Report(List<Figure> figures, CrossCheck crossCheck, String schema, Map<String, String> xcomHybridEnvironment)
    {
        @Override
        public String toString()
        {
            return "Report[figures=" + figures + ", crossCheck=" + crossCheck + ", schema=" + schema + "]";
        }
    }

    private record Options(int runs, int ops, List<Integer> workers, int warmupOps, String backend, String airflowPool, int valueBytes, boolean keepSchema, Path repo) {}

    private final Options options;
    private final PrintStream out;
    private final Path work;
    private final Path python;
    private final Path script;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private String schema;

    private AirflowSmall(Options options, PrintStream out, Path work, Path python, String jdbcUrl, String user, String password)
    {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
        this.work = requireNonNull(work, "work is null");
        this.python = requireNonNull(python, "python is null");
        this.script = options.repo().resolve("benchmarks/python/airflow_small_bench.py");
        this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
        this.user = requireNonNull(user, "user is null");
        this.password = requireNonNull(password, "password is null");
    }

    public static void main(String[] args)
            throws Exception
    {
        run(args, System.out, System.getenv());
    }

    /** Runs the comparison {@code args} describe on the servers {@code environment} names, printing Markdown to {@code out}. */
    public static Report run(String[] args, PrintStream out, Map<String, String> environment)
            throws Exception
    {
        Options options = parse(args);
        String jdbcUrl = required(environment, "XCOM_TEST_PG_JDBC_URL");
        String python = required(environment, "XCOM_TEST_AIRFLOW2_PYTHON");
        Path work = Files.createTempDirectory("xcom-airflow-small");
        AirflowSmall bench = new AirflowSmall(options, out, work, Path.of(python), jdbcUrl,
                environment.getOrDefault("XCOM_TEST_PG_USER", "postgres"), environment.getOrDefault("XCOM_TEST_PG_PASSWORD", ""));
        try {
            return bench.run(environment);
        }
        finally {
            deleteRecursively(work);
        }
    }

    private static Options parse(String[] args)
    {
        int runs = 3;
        int ops = 2000;
        List<Integer> workers = List.of(1, 8, 32);
        int warmupOps = 256;
        String backend = "base";
        String airflowPool = "default";
        int valueBytes = 1024;
        boolean keepSchema = false;
        Path repo = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--keep-schema")) {
                keepSchema = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--ops" -> ops = Integer.parseInt(value);
                case "--workers" -> workers = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--warmup-ops" -> warmupOps = Integer.parseInt(value);
                case "--backend" -> backend = value;
                case "--airflow-pool" -> airflowPool = value;
                case "--value-bytes" -> valueBytes = Integer.parseInt(value);
                case "--repo" -> repo = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (!backend.equals("base") && !backend.equals("object-storage")) {
            throw new IllegalArgumentException("--backend must be base or object-storage: " + backend);
        }
        if (!airflowPool.equals("default") && !airflowPool.equals("null")) {
            throw new IllegalArgumentException("--airflow-pool must be default or null: " + airflowPool);
        }
        if (runs < 1 || ops < 1 || workers.isEmpty() || workers.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("--runs, --ops and every --workers count must be at least 1");
        }
        return new Options(runs, ops, workers, warmupOps, backend, airflowPool, valueBytes, keepSchema, repo == null ? findRepo() : repo);
    }

    /** The repository root: the first directory up from the working directory holding the Python script. */
    private static Path findRepo()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("benchmarks/python/airflow_small_bench.py"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("benchmarks/python/airflow_small_bench.py is not in " + Path.of("").toAbsolutePath()
                + " or a parent directory: run from the repository or pass --repo DIR");
    }

    private static String required(Map<String, String> environment, String name)
    {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set (see bin/servers/postgres.sh and compat/setup-venvs.sh)");
        }
        return value;
    }

    private Report run(Map<String, String> callerEnvironment)
            throws Exception
    {
        long started = System.nanoTime();
        Map<String, Object> value = Values.ofJsonSize(options.valueBytes());
        byte[] valueBytes = JSON.toBytes(value);
        Path valueFile = work.resolve("value.json");
        Files.write(valueFile, valueBytes);
        int maxWorkers = options.workers().stream().mapToInt(Integer::intValue).max().orElseThrow();

        Path dependencies = dependencies(callerEnvironment);
        schema = "airflow_small_" + Long.toHexString(System.nanoTime());
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        String sqlAlchemyConn = sqlAlchemyUrl() + "?options=-csearch_path%3D" + schema;
        Map<String, String> airflowEnvironment = airflowEnvironment(sqlAlchemyConn, dependencies);
        Map<String, String> javaEnvironment = new LinkedHashMap<>();
        javaEnvironment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", sqlAlchemyConn);
        javaEnvironment.put("AIRFLOW__XCOM_HYBRID__SCHEMA_MODE", "airflow2");
        javaEnvironment.put("AIRFLOW__XCOM_HYBRID__METADATA_POOL_SIZE", Integer.toString(maxWorkers));
        airflowEnvironment.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("AIRFLOW__CORE__XCOM_BACKEND") || entry.getKey().startsWith("AIRFLOW__COMMON_IO__"))
                .forEach(entry -> javaEnvironment.put(entry.getKey(), entry.getValue()));
        // the same database and schema, xcom-hybrid's own table: what a JVM team gets without Airflow's schema
        Map<String, String> standaloneEnvironment = new LinkedHashMap<>(javaEnvironment);
        standaloneEnvironment.put("AIRFLOW__XCOM_HYBRID__SCHEMA_MODE", "standalone");
        standaloneEnvironment.put("AIRFLOW__XCOM_HYBRID__METADATA_TABLE", "xcom_hybrid_standalone");

        try {
            long migrateStart = System.nanoTime();
            runProcess(List.of(python.toString(), "-m", "airflow", "db", "migrate"), airflowEnvironment, work.resolve("db-migrate.log"), MIGRATE_TIMEOUT,
                    "'airflow db migrate' of " + python + " on schema " + schema);
            double migrateSeconds = (System.nanoTime() - migrateStart) / 1e9;
            runProcess(List.of(python.toString(), script.toString(), "setup", "--dag", DAG, "--run", RUN, "--tasks", Integer.toString(maxWorkers)),
                    airflowEnvironment, work.resolve("setup.log"), MIGRATE_TIMEOUT, "airflow_small_bench.py setup");

            out.printf(Locale.ROOT, "# AirflowSmall %s%n", String.join(" ", commandLine()));
            out.printf(Locale.ROOT, "# %s, %d CPUs, load %s, JVM %s, max heap %d MiB; PostgreSQL %s schema %s (airflow db migrate took %.1f s)%n",
                    Instant.now(), Runtime.getRuntime().availableProcessors(), loadAverage(), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20,
                    jdbcUrl, schema, migrateSeconds);

            List<Figure> figures = new ArrayList<>();
            String airflowHeader = null;
            try (XComs xcoms = XComs.open(AirflowConfig.of(Map.of(), javaEnvironment));
                    XComs standalone = XComs.open(AirflowConfig.of(Map.of(), standaloneEnvironment))) {
                PushResult check = xcoms.push(new XComKey(DAG, RUN, "task_0", -1, "check"), value);
                if (check.location().isPresent()) {
                    throw new IllegalStateException("the small value went to an object: " + check);
                }
                // warm-up of the JVM (JIT, pool, statement caches) once; the Airflow script warms each of its processes up itself
                for (int workers : options.workers()) {
                    measureXcomHybrid(AIRFLOW2_MODE, xcoms, value, workers, Math.max(workers, options.warmupOps()), "hywarmup");
                    measureXcomHybrid(STANDALONE, standalone, value, workers, Math.max(workers, options.warmupOps()), "stwarmup");
                }
                for (int run = 0; run < options.runs(); run++) {
                    JsonNode airflow = airflowRun(airflowEnvironment, valueFile, "af" + run);
                    airflowHeader = "Airflow " + airflow.get("airflow").asText() + " (" + airflow.get("backend").asText() + ", pool " + airflow.get("pool").asText() + ")";
                    for (JsonNode figure : airflow.get("runs")) {
                        figures.add(new Figure("airflow", figure.get("workers").asInt(), figure.get("operation").asText(), figure.get("ops_per_second").asDouble(),
                                figure.get("p50_us").asDouble(), figure.get("p99_us").asDouble(), figure.get("cpu_us_per_op").asDouble()));
                    }
                    for (int workers : options.workers()) {
                        figures.addAll(measureXcomHybrid(AIRFLOW2_MODE, xcoms, value, workers, options.ops(), "hy" + run));
                        figures.addAll(measureXcomHybrid(STANDALONE, standalone, value, workers, options.ops(), "st" + run));
                    }
                }
                CrossCheck crossCheck = crossCheck(xcoms, airflowEnvironment, valueFile, valueBytes, "af" + (options.runs() - 1), "hy" + (options.runs() - 1));
                printTable(figures, valueBytes.length, airflowHeader, AIRFLOW2_MODE);
                printTable(figures, valueBytes.length, airflowHeader, STANDALONE);
                out.printf("%n# cross-check: xcom-hybrid read %d rows Airflow's XCom.set wrote, %d equal to the value; Airflow's XCom.get_one read %d rows xcom-hybrid wrote, "
                                + "%d equal; the value column bytes of both sides are %s%n",
                        crossCheck.airflowRowsReadByXcomHybrid(), crossCheck.airflowRowsEqual(), crossCheck.xcomHybridRowsReadByAirflow(), crossCheck.xcomHybridRowsEqual(),
                        crossCheck.rowBytesEqual() ? "identical" : "DIFFERENT");
                out.printf(Locale.ROOT, "# whole comparison took %.1f s%n", (System.nanoTime() - started) / 1e9);
                return new Report(List.copyOf(figures), crossCheck, schema, Map.copyOf(javaEnvironment));
            }
        }
        finally {
            if (!options.keepSchema()) {
                try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private List<String> commandLine()
    {
        return List.of("--runs", Integer.toString(options.runs()), "--ops", Integer.toString(options.ops()),
                "--workers", options.workers().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow(),
                "--warmup-ops", Integer.toString(options.warmupOps()), "--backend", options.backend(), "--airflow-pool", options.airflowPool(),
                "--value-bytes", Integer.toString(options.valueBytes()));
    }

    // ---- Airflow side ---------------------------------------------------------------------------------------------

    private Map<String, String> airflowEnvironment(String sqlAlchemyConn, Path dependencies)
            throws IOException
    {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AIRFLOW_HOME", Files.createDirectories(work.resolve("home")).toString());
        environment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", sqlAlchemyConn);
        environment.put("AIRFLOW__CORE__DAGS_FOLDER", Files.createDirectories(work.resolve("dags")).toString());
        environment.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        environment.put("AIRFLOW__CORE__UNIT_TEST_MODE", "False");
        if (options.backend().equals("object-storage")) {
            // small values stay in the row (threshold 1 MiB): what the backend adds is its size check on the JSON text
            environment.put("AIRFLOW__CORE__XCOM_BACKEND", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend");
            environment.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "file://" + Files.createDirectories(work.resolve("objects")));
            environment.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "1048576");
            environment.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION", "gzip");
        }
        environment.put("PYTHONPATH", dependencies.toString());
        environment.put("TZ", "UTC");
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        return environment;
    }

    private JsonNode airflowRun(Map<String, String> environment, Path valueFile, String prefix)
            throws IOException
    {
        String output = runProcess(List.of(python.toString(), script.toString(), "bench", "--dag", DAG, "--run", RUN, "--value", valueFile.toString(),
                        "--workers", options.workers().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow(),
                        "--ops", Integer.toString(options.ops()), "--runs", "1", "--prefix", prefix, "--pool", options.airflowPool(),
                        "--warmup-ops", Integer.toString(options.warmupOps())),
                environment, work.resolve("bench-" + prefix + ".log"), BENCH_TIMEOUT, "airflow_small_bench.py bench");
        String[] lines = output.strip().split("\n");
        return MAPPER.readTree(lines[lines.length - 1]);
    }

    /**
     * Runs a Python command with only {@code environment} (no AIRFLOW__ setting of the caller leaks in), stderr to
     * {@code log}; returns stdout.
     */
    private static String runProcess(List<String> command, Map<String, String> environment, Path log, Duration timeout, String what)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AIRFLOW") || name.startsWith("AWS_") || name.equals("PYTHONPATH"));
        builder.environment().putAll(environment);
        return run(builder, log, timeout, what);
    }

    private static String run(ProcessBuilder builder, Path log, Duration timeout, String what)
            throws IOException
    {
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + timeout + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + "; see " + log + ":\n" + tail(log) + output);
            }
            return output;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }

    private static String tail(Path log)
            throws IOException
    {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
    }

    /**
     * The pinned PostgreSQL drivers (compat/python/requirements-airflow-db.txt) for the venv's Python, in the cache
     * directory the compat tests use (named by Python version and a hash of the requirements file, with a marker
     * written after a complete install).
     */
    private Path dependencies(Map<String, String> callerEnvironment)
            throws IOException
    {
        Path requirements = options.repo().resolve("compat/python/requirements-airflow-db.txt");
        String pythonVersion = run(new ProcessBuilder(python.toString(), "-c", "import sys; print('%d.%d' % sys.version_info[:2])").redirectError(work.resolve("python-version.log").toFile()),
                work.resolve("python-version.log"), Duration.ofMinutes(1), "the Python version of " + python).trim();
        String hash = HexFormat.of().formatHex(sha256(Files.readAllBytes(requirements))).substring(0, 12);
        Path cache = Path.of(callerEnvironment.getOrDefault("XCOM_CACHE", System.getProperty("user.home") + "/.cache/xcom-hybrid"));
        Path target = cache.resolve("airflow-db-deps").resolve("py" + pythonVersion + "-" + hash);
        Path marker = target.resolve(".xcom-hybrid-complete");
        if (Files.isRegularFile(marker)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "install-");
        Path log = work.resolve("pip-install.log");
        try {
            run(new ProcessBuilder(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", staging.toString(), "-r", requirements.toString()).redirectErrorStream(true), log, Duration.ofMinutes(10),
                    "pip install of " + requirements + " (is PyPI reachable?)");
            Files.writeString(staging.resolve(".xcom-hybrid-complete"), requirements + "\n");
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | RuntimeException e) {
            deleteRecursively(staging);
            // another process finished first: use its copy
            if (!Files.isRegularFile(marker)) {
                throw e;
            }
        }
        return target;
    }

    // ---- xcom-hybrid side -----------------------------------------------------------------------------------------

    private interface Op
    {
        void run(XComKey key)
                throws Exception;
    }

    private static List<Figure> measureXcomHybrid(String implementation, XComs xcoms, Object value, int workers, int ops, String prefix)
            throws Exception
    {
        String base = prefix + "_r0_w" + workers;
        List<Figure> figures = new ArrayList<>();
        figures.add(timed(implementation, workers, ops, "push", (t, i) -> key(t, base, "push", i), key -> xcoms.push(key, value)));
        figures.add(timed(implementation, workers, ops, "pull", (t, i) -> key(t, base, "push", i), key -> requireNonNull(xcoms.pull(key), "pulled null")));
        figures.add(timed(implementation, workers, ops, "push+pull", (t, i) -> key(t, base, "pp", i), key -> {
            xcoms.push(key, value);
            requireNonNull(xcoms.pull(key), "pulled null");
        }));
        return figures;
    }

    /** The key the Python script uses for worker {@code task} and operation index {@code i}. */
    private static XComKey key(int task, String base, String operation, int i)
    {
        return new XComKey(DAG, RUN, "task_" + task, -1, base + "_" + operation + "_" + i);
    }

    private interface Keys
    {
        XComKey key(int thread, int i);
    }

    private static Figure timed(String implementation, int workers, int ops, String operation, Keys keys, Op op)
            throws Exception
    {
        int perWorker = Math.max(1, ops / workers);
        long[][] latencies = new long[workers][perWorker];
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long cpu = PROCESS.getProcessCpuTime();
            long start = System.nanoTime();
            for (int t = 0; t < workers; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWorker; i++) {
                        XComKey key = keys.key(thread, i);
                        long begin = System.nanoTime();
                        op.run(key);
                        latencies[thread][i] = System.nanoTime() - begin;
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            long elapsed = System.nanoTime() - start;
            double cpuMicros = (PROCESS.getProcessCpuTime() - cpu) / 1e3;
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            return new Figure(implementation, workers, operation, all.length * 1e9 / elapsed, percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3,
                    cpuMicros / all.length);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static double percentile(long[] sorted, double p)
    {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1))];
    }

    // ---- cross-check ----------------------------------------------------------------------------------------------

    private CrossCheck crossCheck(XComs xcoms, Map<String, String> airflowEnvironment, Path valueFile, byte[] valueBytes, String airflowPrefix, String javaPrefix)
            throws Exception
    {
        List<XComKey> airflowKeys = keysOf(airflowPrefix);
        List<XComKey> javaKeys = keysOf(javaPrefix);
        int airflowEqual = 0;
        for (XComKey key : airflowKeys) {
            if (Arrays.equals(JSON.toBytes(xcoms.pull(key)), valueBytes)) {
                airflowEqual++;
            }
        }

        Path keysFile = work.resolve("keys.json");
        MAPPER.writeValue(keysFile.toFile(), javaKeys.stream().map(key -> List.of(key.taskId(), key.key())).toList());
        ProcessBuilder verify = new ProcessBuilder(python.toString(), script.toString(), "verify", "--dag", DAG, "--run", RUN, "--value", valueFile.toString())
                .redirectInput(keysFile.toFile());
        verify.environment().keySet().removeIf(name -> name.startsWith("AIRFLOW") || name.startsWith("AWS_") || name.equals("PYTHONPATH"));
        verify.environment().putAll(airflowEnvironment);
        Path log = work.resolve("verify.log");
        String output = run(verify.redirectError(log.toFile()), log, MIGRATE_TIMEOUT, "airflow_small_bench.py verify").strip();
        JsonNode verified = MAPPER.readTree(output.substring(output.lastIndexOf('\n') + 1));

        // Airflow's json.dumps bytes and ours: one row of each side, straight from the value column
        boolean bytesEqual = Arrays.equals(rowBytes(airflowKeys.get(0)), valueBytes) && Arrays.equals(rowBytes(javaKeys.get(0)), valueBytes);
        CrossCheck check = new CrossCheck(airflowKeys.size(), airflowEqual, verified.get("found").asInt(), verified.get("equal").asInt(), bytesEqual);
        if (airflowEqual != airflowKeys.size() || check.xcomHybridRowsEqual() != javaKeys.size() || !bytesEqual) {
            throw new IllegalStateException("the two sides do not read each other's rows: " + check + " " + verified.get("problems"));
        }
        return check;
    }

    /** Every key the push and push+pull phases of one run wrote, for every worker count. */
    private List<XComKey> keysOf(String prefix)
    {
        List<XComKey> keys = new ArrayList<>();
        for (int workers : options.workers()) {
            int perWorker = Math.max(1, options.ops() / workers);
            for (String operation : List.of("push", "pp")) {
                for (int t = 0; t < workers; t++) {
                    for (int i = 0; i < perWorker; i++) {
                        keys.add(key(t, prefix + "_r0_w" + workers, operation, i));
                    }
                }
            }
        }
        return keys;
    }

    private byte[] rowBytes(XComKey key)
            throws SQLException
    {
        try (Connection connection = connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT value FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ? AND key = ?")) {
            // the same search path Airflow's connection sets
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path TO " + schema);
            }
            select.setString(1, key.dagId());
            select.setString(2, key.runId());
            select.setString(3, key.taskId());
            select.setInt(4, key.mapIndex());
            select.setString(5, key.key());
            try (ResultSet result = select.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalStateException("no xcom row for " + key + " in schema " + schema);
                }
                return result.getBytes(1);
            }
        }
    }

    // ---- output and helpers ---------------------------------------------------------------------------------------

    private void printTable(List<Figure> figures, int valueBytes, String airflowHeader, String implementation)
    {
        String where = implementation.equals(AIRFLOW2_MODE)
                ? "one Airflow-migrated xcom table: %s vs xcom-hybrid (schema_mode airflow2 on that table, %s)"
                : "the same database and schema: %s on Airflow's xcom table vs xcom-hybrid (schema_mode standalone, its own table xcom_hybrid_standalone, %s)";
        out.printf(Locale.ROOT, "%n## small values on PostgreSQL, " + where + ", %d bytes of JSON, "
                        + "%d operations per run and operation, %d runs alternating; Airflow workers are processes, xcom-hybrid workers are threads%n",
                airflowHeader, options.backend().equals("base") ? "database only" : "XComObjectStorageBackend, threshold 1 MiB", valueBytes, options.ops(), options.runs());
        out.println("| workers | operation | Airflow ops/s min / median / max | Airflow p50 / p99 us | Airflow CPU us/op | xcom-hybrid ops/s min / median / max "
                + "| xcom-hybrid p50 / p99 us | xcom-hybrid CPU us/op | ratio (median ops/s) | CPU ratio (Airflow / xcom-hybrid) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int workers : options.workers()) {
            for (String operation : OPERATIONS) {
                List<Figure> airflow = sorted(figures, "airflow", workers, operation);
                List<Figure> hybrid = sorted(figures, implementation, workers, operation);
                Figure airflowMedian = airflow.get(airflow.size() / 2);
                Figure hybridMedian = hybrid.get(hybrid.size() / 2);
                out.printf(Locale.ROOT, "| %d | %s | %.0f / %.0f / %.0f | %.0f / %.0f | %.0f | %.0f / %.0f / %.0f | %.0f / %.0f | %.0f | %.1fx | %s |%n", workers, operation,
                        airflow.get(0).opsPerSecond(), airflowMedian.opsPerSecond(), airflow.get(airflow.size() - 1).opsPerSecond(), airflowMedian.p50Micros(), airflowMedian.p99Micros(),
                        airflowMedian.cpuMicrosPerOp(),
                        hybrid.get(0).opsPerSecond(), hybridMedian.opsPerSecond(), hybrid.get(hybrid.size() - 1).opsPerSecond(), hybridMedian.p50Micros(), hybridMedian.p99Micros(),
                        hybridMedian.cpuMicrosPerOp(), hybridMedian.opsPerSecond() / airflowMedian.opsPerSecond(),
                        // the JVM's CPU time ticks in 10 ms steps: a short run may see none
                        hybridMedian.cpuMicrosPerOp() > 0 ? String.format(Locale.ROOT, "%.1fx", airflowMedian.cpuMicrosPerOp() / hybridMedian.cpuMicrosPerOp()) : "-");
            }
        }
    }

    private static List<Figure> sorted(List<Figure> figures, String implementation, int workers, String operation)
    {
        List<Figure> same = figures.stream()
                .filter(figure -> figure.implementation().equals(implementation) && figure.workers() == workers && figure.operation().equals(operation))
                .sorted(Comparator.comparingDouble(Figure::opsPerSecond))
                .toList();
        if (same.isEmpty()) {
            throw new IllegalStateException("no " + implementation + " figure for " + workers + " workers, " + operation);
        }
        return same;
    }

    private static String loadAverage()
    {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        }
        catch (IOException e) {
            return "unknown";
        }
    }

    private Connection connect()
            throws SQLException
    {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** {@code postgresql+psycopg2://user:password@host:port/db} for the same login. */
    private String sqlAlchemyUrl()
    {
        Matcher matcher = JDBC.matcher(jdbcUrl);
        if (!matcher.matches()) {
            throw new IllegalStateException("XCOM_TEST_PG_JDBC_URL is not jdbc:postgresql://HOST:PORT/DB: " + jdbcUrl);
        }
        return "postgresql+psycopg2://" + encode(user) + ":" + encode(password) + "@" + matcher.group(1) + "/" + matcher.group(2);
    }

    private static String encode(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] sha256(byte[] data)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
