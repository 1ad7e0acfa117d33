package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;
import io.xcomhybrid.testing.PostgresFixture;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A real Airflow metadata database: a fresh PostgreSQL schema migrated by {@code airflow db migrate} of one Airflow
 * virtualenv, and {@code compat/python/airflow_db.py} processes that use it through Airflow's own models. Airflow
 * reaches the schema through {@code options=-csearch_path=SCHEMA,EXTENSIONS} in {@code sql_alchemy_conn}, so
 * Java is given the very same URL.
 *
 * <p>The PostgreSQL drivers (compat/python/requirements-airflow-db.txt) are installed with {@code pip --target} into
 * {@code $XCOM_CACHE/airflow-db-deps/} and put on {@code PYTHONPATH}, so the shared virtualenvs stay unchanged.
 * Every failure (driver install, migration, a Python-side exception) is an {@link IllegalStateException} naming the
 * log to read; the tests never skip.
 */
final class AirflowDatabase
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration MIGRATE_TIMEOUT = Duration.ofMinutes(5);

    private final AirflowVersion version;
    private final Path python;
    private final Path workDir;
    private final Path dependencies;
    private final String schema;
    private final String sqlAlchemyConn;
    private final Duration migrateTime;

    private AirflowDatabase(AirflowVersion version, Path python, Path workDir, Path dependencies, String schema, String sqlAlchemyConn, Duration migrateTime)
    {
        this.version = version;
        this.python = python;
        this.workDir = workDir;
        this.dependencies = dependencies;
        this.schema = schema;
        this.sqlAlchemyConn = sqlAlchemyConn;
        this.migrateTime = migrateTime;
    }

    /** Creates a schema and migrates it with the version's {@code airflow db migrate}. */
    static AirflowDatabase migrate(AirflowVersion version, PostgresFixture.Endpoint endpoint, Path workDir)
            throws IOException
    {
        Path python = Path.of(AirflowVenvs.python(version));
        Path dependencies = dependencies(python);
        String name = version.name().toLowerCase();
        String schema = endpoint.createSchema(name + "_db");
        String conn = endpoint.sqlAlchemyUrl() + "?options=-csearch_path%3D" + schema + "%2C" + extensionSchema(endpoint);
        Path dir = Files.createDirectories(workDir.resolve(name));
        Files.createDirectories(dir.resolve("dags"));
        AirflowDatabase database = new AirflowDatabase(version, python, dir, dependencies, schema, conn, Duration.ZERO);
        Path log = dir.resolve("db-migrate.log");
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-m", "airflow", "db", "migrate");
        database.environment(builder.environment(), Map.of());
        run(builder, log, MIGRATE_TIMEOUT, "'airflow db migrate' of " + version + " on " + endpoint + " schema " + schema);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new AirflowDatabase(version, python, dir, dependencies, schema, conn, took);
    }

    /**
     * The schema holding pgcrypto, which Airflow 3's upgrade migration needs ({@code uuid_generate_v7} calls
     * {@code gen_random_bytes}). An extension exists once per database, in one schema: every test database has that
     * schema on its search path, as {@code public} would be in a database of its own. Otherwise the first upgrade
     * creates pgcrypto in its own schema and every later one in the same server fails.
     */
    private static synchronized String extensionSchema(PostgresFixture.Endpoint endpoint)
    {
        String schema = "xcom_test_extensions";
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pgcrypto'")) {
                if (resultSet.next()) {
                    if (resultSet.getString(1).equals(schema)) {
                        return schema;
                    }
                    // Another schema may hold an Airflow database, whose tables would then shadow a fresh one's.
                    throw new IllegalStateException("pgcrypto is installed in schema " + resultSet.getString(1) + " of " + endpoint
                            + ", not in " + schema + " as these tests need it (a trusted extension cannot be moved): use a fresh server, or "
                            + "DROP EXTENSION pgcrypto as its owner");
                }
            }
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            statement.execute("CREATE EXTENSION pgcrypto SCHEMA " + schema);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot provide pgcrypto in schema " + schema + " of " + endpoint + " (Airflow 3's migrations need it): "
                    + e.getMessage(), e);
        }
        return schema;
    }

    /**
     * Upgrades this database in place with {@code newer}'s {@code airflow db migrate}, as a deployment moving to that
     * Airflow version does.
     */
    AirflowDatabase upgradeTo(AirflowVersion newer)
            throws IOException
    {
        Path python = Path.of(AirflowVenvs.python(newer));
        Path dir = Files.createDirectories(workDir.resolve("upgrade-" + newer.name().toLowerCase()));
        Files.createDirectories(dir.resolve("dags"));
        AirflowDatabase upgraded = new AirflowDatabase(newer, python, dir, dependencies(python), schema, sqlAlchemyConn, Duration.ZERO);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-m", "airflow", "db", "migrate");
        upgraded.environment(builder.environment(), Map.of());
        run(builder, dir.resolve("db-migrate.log"), MIGRATE_TIMEOUT, "'airflow db migrate' of " + newer + " upgrading schema " + schema + " from " + version);
        return new AirflowDatabase(newer, python, dir, upgraded.dependencies, schema, sqlAlchemyConn, Duration.ofNanos(System.nanoTime() - start));
    }

    AirflowVersion version()
    {
        return version;
    }

    /** {@code [database] sql_alchemy_conn} of this database, for Airflow and Java alike. Holds the password. */
    String sqlAlchemyConn()
    {
        return sqlAlchemyConn;
    }

    String schema()
    {
        return schema;
    }

    Duration migrateTime()
    {
        return migrateTime;
    }

    /** The dags folder Airflow parses (Airflow 3 creates DAG runs from the DAG files there). */
    Path dagsFolder()
    {
        return workDir.resolve("dags");
    }

    /**
     * Starts {@code airflow_db.py serve} against this database.
     *
     * @param environment extra variables ({@code AIRFLOW__CORE__XCOM_BACKEND}, {@code AIRFLOW__COMMON_IO__*})
     */
    Session start(String name, Map<String, String> environment)
            throws IOException
    {
        Path log = workDir.resolve("airflow-db-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(python.toString(), CompatPaths.moduleDir().resolve("python/airflow_db.py").toString(), "serve");
        environment(builder.environment(), environment);
        builder.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        Process process = builder.start();
        try {
            return new Session(version + " " + name, process, log);
        }
        catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void environment(Map<String, String> env, Map<String, String> extra)
    {
        // A clean Airflow environment: nothing from the caller's AIRFLOW__* settings leaks into the run.
        env.keySet().removeIf(name -> name.startsWith("AIRFLOW") || name.startsWith("AWS_"));
        env.put("AIRFLOW_HOME", workDir.resolve("home").toString());
        env.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", sqlAlchemyConn);
        env.put("AIRFLOW__CORE__DAGS_FOLDER", dagsFolder().toString());
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        env.put("AIRFLOW__CORE__UNIT_TEST_MODE", "False");
        String pythonPath = env.get("PYTHONPATH");
        env.put("PYTHONPATH", dependencies + (pythonPath == null || pythonPath.isBlank() ? "" : ":" + pythonPath));
        env.put("TZ", "UTC");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.putAll(extra);
    }

    /**
     * The pinned PostgreSQL drivers for {@code python}'s interpreter version, installed once into the cache (a
     * marker written after a complete install makes a second run instant).
     */
    static synchronized Path dependencies(Path python)
            throws IOException
    {
        Path requirements = CompatPaths.moduleDir().resolve("python/requirements-airflow-db.txt");
        String pythonVersion = output(new ProcessBuilder(python.toString(), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"),
                "the Python version of " + python).trim();
        String hash = sha256(Files.readAllBytes(requirements)).substring(0, 12);
        Path cache = Path.of(System.getenv().getOrDefault("XCOM_CACHE", System.getProperty("user.home") + "/.cache/xcom-hybrid"));
        Path target = cache.resolve("airflow-db-deps").resolve("py" + pythonVersion + "-" + hash);
        Path marker = target.resolve(".xcom-hybrid-complete");
        if (Files.isRegularFile(marker)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "install-");
        Path log = CompatPaths.targetDir().resolve("airflow-db-deps-py" + pythonVersion + ".log");
        Files.createDirectories(log.getParent());
        try {
            run(new ProcessBuilder(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                            "--target", staging.toString(), "-r", requirements.toString()),
                    log, Duration.ofMinutes(10), "pip install of " + requirements + " (is PyPI reachable?)");
            Files.writeString(staging.resolve(".xcom-hybrid-complete"), requirements + "\n");
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | RuntimeException e) {
            deleteRecursively(staging);
            // another JVM finished first: use its copy
            if (!Files.isRegularFile(marker)) {
                throw e;
            }
        }
        return target;
    }

    private static void deleteRecursively(Path directory)
            throws IOException
    {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String sha256(byte[] data)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String output(ProcessBuilder builder, String what)
            throws IOException
    {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Cannot get " + what + ":\n" + output);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return output;
    }

    private static void run(ProcessBuilder builder, Path log, Duration timeout, String what)
            throws IOException
    {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + timeout + "; see " + log + ":\n" + AirflowHarness.tail(log));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(what + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + "; see " + log + ":\n" + AirflowHarness.tail(log));
        }
    }

    static Map<String, Object> key(XComKey key)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dag_id", key.dagId());
        map.put("run_id", key.runId());
        map.put("task_id", key.taskId());
        map.put("map_index", key.mapIndex());
        map.put("key", key.key());
        return map;
    }

    /** A running {@code airflow_db.py serve}: one JSON request, one JSON response. */
    static final class Session
            implements Closeable
    {
        private final String name;
        private final Process process;
        private final BufferedWriter requests;
        private final BufferedReader responses;
        private final Path log;

        private Session(String name, Process process, Path log)
                throws IOException
        {
            this.name = requireNonNull(name, "name is null");
            this.process = process;
            this.log = log;
            this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            this.responses = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = responses.readLine();
            if (first == null || !MAPPER.readTree(first).path("ready").asBoolean()) {
                throw new IllegalStateException(name + " airflow_db.py did not start (" + first + "); see " + log + ":\n" + AirflowHarness.tail(log));
            }
        }

        void createRun(String dagId, String runId, List<String> taskIds)
        {
            createRun(dagId, runId, taskIds, Map.of());
        }

        /** @param mapped task id to the number of its mapped task instances (Airflow 2 only) */
        void createRun(String dagId, String runId, List<String> taskIds, Map<String, Integer> mapped)
        {
            ObjectNode request = request("create_run");
            request.put("dag_id", dagId);
            request.put("run_id", runId);
            request.set("task_ids", MAPPER.valueToTree(taskIds));
            request.set("mapped", MAPPER.valueToTree(mapped));
            call(request);
        }

        /** Airflow's {@code XCom.set} (Airflow 2) or the API server's store of a task's push (Airflow 3). */
        void set(XComKey key, String valueJson)
        {
            ObjectNode request = request("set");
            request.set("key", MAPPER.valueToTree(key(key)));
            request.put("value_json", valueJson);
            call(request);
        }

        /** Airflow 2 {@code XCom.set} of {@code {"by": "airflow", "i": i}} {@code count} times; returns done and failures by type. */
        JsonNode setRepeatedly(XComKey key, int count)
        {
            ObjectNode request = request("set_repeatedly");
            request.set("key", MAPPER.valueToTree(key(key)));
            request.put("count", count);
            return call(request);
        }

        /** What Airflow returns for the XCom, as JSON; {@code null} when Airflow finds no row. */
        JsonNode getOne(XComKey key)
        {
            ObjectNode request = request("get_one");
            request.set("key", MAPPER.valueToTree(key(key)));
            JsonNode response = call(request);
            return response.get("found").asBoolean() ? parse(response.get("value_json").asText()) : null;
        }

        /** {@code XCom.get_many} for a run: "task_id/map_index/key" to the value Airflow returns. */
        Map<String, JsonNode> getMany(String dagId, String runId)
        {
            ObjectNode request = request("get_many");
            request.put("dag_id", dagId);
            request.put("run_id", runId);
            Map<String, JsonNode> items = new LinkedHashMap<>();
            for (JsonNode item : call(request).get("items")) {
                items.put(item.get("task_id").asText() + "/" + item.get("map_index").asInt() + "/" + item.get("key").asText(),
                        parse(item.get("value_json").asText()));
            }
            return items;
        }

        /** The value column as PostgreSQL prints it (AF2 bytea decoded as UTF-8, AF3 jsonb::text). */
        String raw(XComKey key)
        {
            ObjectNode request = request("raw");
            request.set("key", MAPPER.valueToTree(key(key)));
            JsonNode response = call(request);
            return response.get("found").asBoolean() ? response.get("text").asText() : null;
        }

        /** The row's timestamp column as Airflow reads it. */
        Instant timestamp(XComKey key)
        {
            ObjectNode request = request("raw");
            request.set("key", MAPPER.valueToTree(key(key)));
            JsonNode response = call(request);
            if (!response.get("found").asBoolean()) {
                throw new IllegalStateException(name + ": no row for " + key);
            }
            return OffsetDateTime.parse(response.get("timestamp").asText()).toInstant();
        }

        int count(XComKey key)
        {
            ObjectNode request = request("count");
            request.set("key", MAPPER.valueToTree(key(key)));
            return call(request).get("count").asInt();
        }

        private static JsonNode parse(String json)
        {
            try {
                return MAPPER.readTree(json);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static ObjectNode request(String op)
        {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("op", op);
            return node;
        }

        private JsonNode call(ObjectNode request)
        {
            try {
                requests.write(MAPPER.writeValueAsString(request));
                requests.write('\n');
                requests.flush();
                String line = responses.readLine();
                if (line == null) {
                    throw new IllegalStateException(name + " airflow_db.py exited; see " + log + ":\n" + AirflowHarness.tail(log));
                }
                JsonNode response = MAPPER.readTree(line);
                if (!response.path("ok").asBoolean()) {
                    throw new IllegalStateException(name + " " + request.get("op").asText() + ": " + response.path("error").asText()
                            + "\n" + response.path("trace").asText());
                }
                return response;
            }
            catch (IOException e) {
                throw new UncheckedIOException(name + " airflow_db.py: " + e.getMessage() + "; see " + log, e);
            }
        }

        @Override
        public void close()
        {
            PythonProcesses.stop(process, requests);
        }
    }
}
