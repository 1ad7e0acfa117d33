package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.MetadataStores;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metadata store against databases that real Airflow created with {@code airflow db migrate} on PostgreSQL:
 * {@code schema_mode = airflow2} both ways with Airflow 2's own {@code XCom.set} / {@code get_one} / {@code get_many},
 * the whole {@link XComs} facade with Airflow's {@code XComObjectStorageBackend} on the same database, and the read-only
 * {@code schema_mode = airflow3} against a database migrated by Airflow 3. Never skips: a missing Airflow, driver or
 * server fails the class with the step that failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AirflowDatabaseTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BACKEND = AirflowHarness.BACKEND;
    private static final List<String> TASKS = List.of("push", "pull");

    private Path workDir;
    private AirflowDatabase airflow2;
    private AirflowDatabase airflow3;
    private AirflowDatabase.Session airflow2Session;
    private AirflowDatabase.Session airflow3Session;

    @BeforeAll
    void setUp()
            throws IOException
    {
        PostgresFixture.Endpoint endpoint = PostgresFixture.shared();
        workDir = Files.createDirectories(CompatPaths.targetDir().resolve("airflow-db")).resolve(Long.toHexString(System.nanoTime()));
        Files.createDirectories(workDir);
        airflow2 = AirflowDatabase.migrate(AirflowVersion.AIRFLOW2, endpoint, workDir);
        airflow3 = AirflowDatabase.migrate(AirflowVersion.AIRFLOW3, endpoint, workDir);
        System.out.printf("airflow db migrate on PostgreSQL: Airflow 2 %.1fs (schema %s), Airflow 3 %.1fs (schema %s)%n",
                seconds(airflow2.migrateTime()), airflow2.schema(), seconds(airflow3.migrateTime()), airflow3.schema());
        // Plain BaseXCom: a reference string is then just a string to Airflow, as for any reader without the backend.
        airflow2Session = airflow2.start("base-xcom", Map.of());
        // Airflow 3 parses the dags folder to create DAG runs, as its dag processor does.
        Files.writeString(airflow3.dagsFolder().resolve("xcom_hybrid_dags.py"), """
                import pendulum
                from airflow.sdk import DAG
                from airflow.providers.standard.operators.empty import EmptyOperator

                with DAG("af3_to_java", schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC")):
                    EmptyOperator(task_id="push")
                    EmptyOperator(task_id="pull")
                """);
        airflow3Session = airflow3.start("xcom-model", Map.of());
    }

    @AfterAll
    void tearDown()
    {
        Stream.of(airflow2Session, airflow3Session).filter(Objects::nonNull).forEach(AirflowDatabase.Session::close);
    }

    @Test
    void airflowReadsWhatJavaWritesInAnAirflow2Database()
    {
        String dag = "java_to_af2";
        String run = "manual__2024-05-01T00:00:00+00:00";
        airflow2Session.createRun(dag, run, TASKS);
        Map<XComKey, String> values = new LinkedHashMap<>();
        values.put(new XComKey(dag, run, "push", -1, "return_value"), "{\"rows\": [1, 2.5, true, null], \"name\": \"small\"}");
        // Raw UTF-8 (not \\u escapes): Airflow decodes the bytea as UTF-8 before json.loads
        values.put(new XComKey(dag, run, "push", -1, "unicode"), "\"Gr\u00fc\u00dfe \u2713 \u65e5\u672c \ud83d\ude80\"");
        values.put(new XComKey(dag, run, "pull", -1, "reference"),
                "\"s3://aws_default@bucket/xcom/java_to_af2/run/push/6b1c5f0e-2a4d-4f7e-9c3b-0d9e8f7a6b5c.gz\"");
        values.put(new XComKey(dag, run, "pull", -1, "json_null"), "null");

        Instant before = Instant.now().minusSeconds(1);
        try (MetadataStore store = MetadataStores.create(config(airflow2, "airflow2", Map.of()))) {
            values.forEach((key, json) -> assertThat(store.put(key, utf8(json))).as("replaced row of %s", key).isEmpty());
        }

        for (Map.Entry<XComKey, String> entry : values.entrySet()) {
            assertThat(airflow2Session.getOne(entry.getKey())).as("XCom.get_one of %s", entry.getKey()).isEqualTo(parse(entry.getValue()));
            assertThat(airflow2Session.raw(entry.getKey())).as("value column of %s", entry.getKey()).isEqualTo(entry.getValue());
            // timestamptz in UTC: Airflow sees the instant Java wrote
            assertThat(airflow2Session.timestamp(entry.getKey())).as("timestamp of %s", entry.getKey())
                    .isBetween(before, Instant.now().plusSeconds(1));
        }
        Map<String, JsonNode> many = airflow2Session.getMany(dag, run);
        assertThat(many).hasSize(values.size());
        values.forEach((key, json) -> assertThat(many.get(key.taskId() + "/-1/" + key.key())).as("XCom.get_many item %s", key).isEqualTo(parse(json)));
    }

    @Test
    void javaReadsReplacesAndDeletesWhatAirflow2Writes()
    {
        String dag = "af2_to_java";
        String run = "manual__2024-05-02T00:00:00+00:00";
        airflow2Session.createRun(dag, run, TASKS);
        XComKey object = new XComKey(dag, run, "push", -1, "return_value");
        XComKey unicode = new XComKey(dag, run, "push", -1, "unicode");
        XComKey replaced = new XComKey(dag, run, "pull", -1, "replaced");
        airflow2Session.set(object, "{\"a\": [1, \"\u00fc\"], \"bb\": null, \"f\": 1.5}");
        airflow2Session.set(unicode, "\"\u65e5\u672c \ud83d\ude80\"");
        airflow2Session.set(replaced, "[1, 2, 3]");

        try (MetadataStore store = MetadataStores.create(config(airflow2, "airflow2", Map.of()))) {
            // Exactly XComEncoder's bytes (json.dumps, ensure_ascii): what Airflow 2's serialize_value stored
            assertThat(text(store.get(object).orElseThrow())).isEqualTo("{\"a\": [1, \"\\u00fc\"], \"bb\": null, \"f\": 1.5}");
            assertThat(text(store.get(unicode).orElseThrow())).isEqualTo("\"\\u65e5\\u672c \\ud83d\\ude80\"");
            for (XComKey key : List.of(object, unicode, replaced)) {
                StoredXCom row = store.get(key).orElseThrow();
                assertThat(text(row)).as("bytes of %s", key).isEqualTo(airflow2Session.raw(key));
                assertThat(row.timestamp()).as("timestamp of %s", key).isEqualTo(airflow2Session.timestamp(key));
            }
            assertThat(store.list(XComFilter.run(dag, run))).extracting(StoredXCom::key).containsExactly(replaced, object, unicode);

            // a Java put over Airflow's row replaces it: one row, Airflow reads Java's value
            assertThat(store.put(replaced, utf8("{\"by\": \"java\"}"))).map(AirflowDatabaseTest::text).contains("[1, 2, 3]");
            assertThat(airflow2Session.count(replaced)).isEqualTo(1);
            assertThat(airflow2Session.getOne(replaced)).isEqualTo(parse("{\"by\": \"java\"}"));

            assertThat(store.delete(unicode)).isPresent();
            assertThat(airflow2Session.count(unicode)).isZero();
            assertThat(airflow2Session.getOne(unicode)).isNull();
            assertThat(airflow2Session.getMany(dag, run)).containsOnlyKeys("push/-1/return_value", "pull/-1/replaced");
            assertThat(store.get(unicode)).isEmpty();
        }
    }

    @Test
    void mappedTaskInstancesBothWays()
    {
        String dag = "mapped_af2";
        String run = "manual__2024-05-07T00:00:00+00:00";
        airflow2Session.createRun(dag, run, List.of("push"), Map.of("mapped", 3));
        try (MetadataStore store = MetadataStores.create(config(airflow2, "airflow2", Map.of()))) {
            for (int index = 0; index < 2; index++) {
                store.put(new XComKey(dag, run, "mapped", index, "return_value"), utf8("{\"index\": " + index + "}"));
            }
            XComKey fromAirflow = new XComKey(dag, run, "mapped", 2, "return_value");
            airflow2Session.set(fromAirflow, "{\"index\": 2}");

            for (int index = 0; index < 3; index++) {
                XComKey key = new XComKey(dag, run, "mapped", index, "return_value");
                assertThat(airflow2Session.getOne(key)).as("XCom.get_one of %s", key).isEqualTo(parse("{\"index\": " + index + "}"));
                assertThat(text(store.get(key).orElseThrow())).as("Java get of %s", key).isEqualTo("{\"index\": " + index + "}");
            }
            assertThat(airflow2Session.getMany(dag, run)).containsOnlyKeys("mapped/0/return_value", "mapped/1/return_value", "mapped/2/return_value");
            assertThat(store.list(XComFilter.run(dag, run).withMapIndex(1))).extracting(StoredXCom::key)
                    .containsExactly(new XComKey(dag, run, "mapped", 1, "return_value"));
            // no task instance with map_index 3
            assertThatThrownBy(() -> store.put(new XComKey(dag, run, "mapped", 3, "return_value"), utf8("3")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("task instance not found")
                    .hasMessageContaining("map_index=3");
        }
    }

    /**
     * Java and Airflow 2 writing the same XCom at once: Airflow's lock-free delete-then-insert races Java's puts. Every
     * Java put must succeed, and one row remains that both sides read alike.
     */
    @Test
    void javaAndAirflowWritingTheSameXComConcurrently()
            throws Exception
    {
        String dag = "race_af2";
        String run = "manual__2024-05-08T00:00:00+00:00";
        airflow2Session.createRun(dag, run, TASKS);
        XComKey key = new XComKey(dag, run, "push", -1, "return_value");
        int rounds = 150;
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (MetadataStore store = MetadataStores.create(config(airflow2, "airflow2", Map.of()))) {
            Future<JsonNode> airflow = executor.submit(() -> airflow2Session.setRepeatedly(key, rounds));
            int javaPuts = 0;
            while (!airflow.isDone() || javaPuts < rounds) {
                store.put(key, utf8("{\"by\": \"java\", \"i\": " + javaPuts + "}"));
                javaPuts++;
            }
            JsonNode result = airflow.get(5, TimeUnit.MINUTES);
            System.out.printf("concurrent writers of one XCom: %d Java puts (all succeeded), Airflow XCom.set %s%n", javaPuts, result);
            assertThat(result.get("done").asInt()).as("Airflow's successful sets (failures: %s)", result.get("failures")).isPositive();
            assertThat(airflow2Session.count(key)).isEqualTo(1);
            assertThat(airflow2Session.getOne(key)).isEqualTo(parse(text(store.get(key).orElseThrow())));
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void putForAMissingDagRunFailsClearly()
    {
        XComKey key = new XComKey("no_such_dag", "no_such_run", "push", -1, "return_value");
        try (MetadataStore store = MetadataStores.create(config(airflow2, "airflow2", Map.of()))) {
            assertThatThrownBy(() -> store.put(key, utf8("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("DAG run not found")
                    .hasMessageContaining("dag_id=no_such_dag")
                    .hasMessageContaining("run_id=no_such_run")
                    .hasMessageNotContaining(password());

            String run = "manual__2024-05-05T00:00:00+00:00";
            airflow2Session.createRun("missing_ti", run, TASKS);
            XComKey noTask = new XComKey("missing_ti", run, "no_such_task", -1, "return_value");
            assertThatThrownBy(() -> store.put(noTask, utf8("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("task instance not found")
                    .hasMessageContaining("task_id=no_such_task")
                    .hasMessageNotContaining(password());
            assertThat(store.list(XComFilter.run("missing_ti", run))).isEmpty();
        }
    }

    @Test
    void airflowObjectStorageBackendReadsWhatTheFacadeWrites()
            throws IOException
    {
        String dag = "facade_af2";
        String run = "manual__2024-05-03T00:00:00+00:00";
        airflow2Session.createRun(dag, run, TASKS);
        Path objects = Files.createDirectories(workDir.resolve("objects"));
        Map<String, String> shared = objectStorageSettings(objects);
        Map<String, Object> large = largeValue();
        XComKey javaKey = new XComKey(dag, run, "push", -1, "return_value");

        try (XComs xcoms = XComs.open(AirflowConfig.of(Map.of(), javaEnvironment(airflow2, "airflow2", shared)));
                AirflowDatabase.Session objectBackend = airflow2.start("object-storage-backend", shared)) {
            PushResult pushed = xcoms.push(javaKey, large);
            assertThat(pushed.placement()).isEqualTo(Placement.OBJECT);
            String reference = pushed.location().orElseThrow().toString();
            assertThat(reference).startsWith("file://" + objects.toAbsolutePath() + "/" + dag + "/" + run + "/push/").endsWith(".gz");
            // the row holds the reference string, as Airflow's backend writes it
            assertThat(airflow2Session.raw(javaKey)).isEqualTo(MAPPER.writeValueAsString(reference));
            assertThat(objectBackend.getOne(javaKey)).isEqualTo(MAPPER.valueToTree(large));

            // and the other way: Airflow's backend writes object + row, the facade reads the value
            airflow2Session.createRun(dag, run + "_2", TASKS);
            XComKey airflowKey2 = new XComKey(dag, run + "_2", "pull", -1, "from_airflow");
            objectBackend.set(airflowKey2, MAPPER.writeValueAsString(large));
            assertThat(airflow2Session.raw(airflowKey2)).startsWith("\"file://" + objects.toAbsolutePath() + "/" + dag + "/").endsWith(".gz\"");
            assertThat((JsonNode) MAPPER.valueToTree(xcoms.pull(airflowKey2))).isEqualTo(MAPPER.valueToTree(large));
            assertThat(xcoms.pull(javaKey)).isEqualTo(MAPPER.convertValue(large, Object.class));
        }
    }

    @Test
    void javaReadsAnAirflow3DatabaseAndRefusesToWriteIt()
    {
        String dag = "af3_to_java";
        String run = "manual__2024-05-04T00:00:00+00:00";
        airflow3Session.createRun(dag, run, TASKS);
        XComKey object = new XComKey(dag, run, "push", -1, "return_value");
        XComKey reference = new XComKey(dag, run, "push", -1, "large");
        XComKey unicode = new XComKey(dag, run, "pull", -1, "unicode");
        airflow3Session.set(object, "{\"a\": [1, \"\u00fc\"], \"bb\": null, \"f\": 1.5}");
        airflow3Session.set(reference, "\"s3://aws_default@bucket/xcom/af3_to_java/run/push/0f3c2b1a-8e7d-4c6b-9a5f-1e2d3c4b5a69.gz\"");
        airflow3Session.set(unicode, "\"\u65e5\u672c \ud83d\ude80\"");

        try (MetadataStore store = MetadataStores.create(config(airflow3, "airflow3", Map.of()))) {
            for (XComKey key : List.of(object, reference, unicode)) {
                StoredXCom row = store.get(key).orElseThrow();
                // the JSONB value as PostgreSQL prints it, which is also what Airflow 3's deserialize_value starts from
                assertThat(text(row)).as("value of %s", key).isEqualTo(airflow3Session.raw(key));
                assertThat(parse(text(row))).as("value of %s", key).isEqualTo(airflow3Session.getOne(key));
            }
            assertThat(parse(text(store.get(reference).orElseThrow())).asText()).startsWith("s3://aws_default@bucket/xcom/");
            assertThat(store.list(XComFilter.run(dag, run))).extracting(StoredXCom::key).containsExactly(unicode, reference, object);

            assertThatThrownBy(() -> store.put(object, utf8("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("Task Execution API")
                    .hasMessageContaining(object.toString())
                    .hasMessageNotContaining(password());
            assertThatThrownBy(() -> store.delete(object))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("Task Execution API");
            assertThat(airflow3Session.count(object)).isEqualTo(1);
            assertThat(airflow3Session.getOne(object)).isEqualTo(parse("{\"a\": [1, \"\u00fc\"], \"bb\": null, \"f\": 1.5}"));
        }
    }

    /**
     * A deployment moving from Airflow 2 to 3 keeps its XComs: rows Java wrote in {@code airflow2} mode go through
     * Airflow 3's own migration (bytea to JSONB via {@code CONVERT_FROM(value, 'UTF8')}) and read back the same in
     * {@code airflow3} mode and through Airflow 3.
     */
    @Test
    void javaWrittenAirflow2RowsSurviveTheUpgradeToAirflow3()
            throws IOException
    {
        AirflowDatabase database = AirflowDatabase.migrate(AirflowVersion.AIRFLOW2, PostgresFixture.shared(), workDir.resolve("upgrade"));
        String dag = "upgrade";
        String run = "manual__2024-05-06T00:00:00+00:00";
        Map<XComKey, String> values = new LinkedHashMap<>();
        values.put(new XComKey(dag, run, "push", -1, "return_value"), "{\"rows\": [1, 2.5, true, null], \"name\": \"small\"}");
        values.put(new XComKey(dag, run, "push", -1, "unicode"), "\"Gr\u00fc\u00dfe \u2713 \ud83d\ude80\"");
        values.put(new XComKey(dag, run, "push", -1, "escaped"), "\"Gr\\u00fc\\u00dfe\"");
        values.put(new XComKey(dag, run, "pull", -1, "reference"),
                "\"s3://aws_default@bucket/xcom/upgrade/run/push/6b1c5f0e-2a4d-4f7e-9c3b-0d9e8f7a6b5c.gz\"");
        try (AirflowDatabase.Session session = database.start("before-upgrade", Map.of());
                MetadataStore store = MetadataStores.create(config(database, "airflow2", Map.of()))) {
            session.createRun(dag, run, TASKS);
            values.forEach((key, json) -> store.put(key, utf8(json)));
        }

        AirflowDatabase upgraded = database.upgradeTo(AirflowVersion.AIRFLOW3);
        System.out.printf("airflow db migrate upgrading an Airflow 2 database to Airflow 3: %.1fs%n", seconds(upgraded.migrateTime()));

        try (AirflowDatabase.Session session = upgraded.start("after-upgrade", Map.of());
                MetadataStore store = MetadataStores.create(config(upgraded, "airflow3", Map.of()))) {
            for (Map.Entry<XComKey, String> entry : values.entrySet()) {
                StoredXCom row = store.get(entry.getKey()).orElseThrow();
                assertThat(parse(text(row))).as("Java read of %s", entry.getKey()).isEqualTo(parse(entry.getValue()));
                assertThat(session.getOne(entry.getKey())).as("Airflow 3 read of %s", entry.getKey()).isEqualTo(parse(entry.getValue()));
            }
            assertThat(store.list(XComFilter.run(dag, run))).hasSize(values.size());
        }
        try (MetadataStore store = MetadataStores.create(config(upgraded, "airflow2", Map.of()))) {
            assertThatThrownBy(() -> store.put(values.keySet().iterator().next(), utf8("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("schema_mode = airflow3");
        }
    }

    /**
     * An Airflow 3 task pushes a large value through {@code XComObjectStorageBackend} (object written by the task SDK,
     * the reference stored as the API server does); the facade in {@code airflow3} mode pulls the whole value.
     */
    @Test
    void facadeReadsAnAirflow3ObjectStoragePush()
            throws IOException
    {
        String dag = "af3_to_java";
        String run = "manual__2024-05-09T00:00:00+00:00";
        airflow3Session.createRun(dag, run, TASKS);
        Path objects = Files.createDirectories(workDir.resolve("objects-airflow3"));
        Map<String, String> shared = objectStorageSettings(objects);
        Map<String, Object> large = largeValue();
        XComKey key = new XComKey(dag, run, "push", -1, "return_value");
        try (AirflowDatabase.Session task = airflow3.start("object-storage-backend", shared);
                XComs xcoms = XComs.open(AirflowConfig.of(Map.of(), javaEnvironment(airflow3, "airflow3", shared)))) {
            task.set(key, MAPPER.writeValueAsString(large));
            String stored = airflow3Session.raw(key);
            assertThat(stored).startsWith("\"file://" + objects.toAbsolutePath() + "/" + dag + "/").endsWith(".gz\"");
            assertThat((JsonNode) MAPPER.valueToTree(xcoms.pull(key))).isEqualTo(MAPPER.valueToTree(large));
            assertThat(xcoms.list(XComFilter.run(dag, run))).hasSize(1);
            assertThatThrownBy(() -> xcoms.push(key, Map.of("a", 1)))
                    .hasMessageContaining("Task Execution API");
            // a refused large push leaves no object behind
            assertThatThrownBy(() -> xcoms.push(key.withKey("large_from_java"), large))
                    .hasMessageContaining("Task Execution API");
            try (Stream<Path> files = Files.walk(objects)) {
                assertThat(files.filter(Files::isRegularFile).map(path -> "\"file://" + path.toAbsolutePath() + "\"")).containsExactly(stored);
            }
        }
    }

    @Test
    void airflow2ModeRejectsTheAirflow3Database()
    {
        try (MetadataStore store = MetadataStores.create(config(airflow3, "airflow2", Map.of()))) {
            assertThatThrownBy(() -> store.get(new XComKey("d", "r", "t", -1, "k")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("schema_mode = airflow3");
        }
    }

    private static AirflowConfig config(AirflowDatabase database, String mode, Map<String, String> extra)
    {
        return AirflowConfig.of(Map.of(), javaEnvironment(database, mode, extra));
    }

    private static Map<String, String> javaEnvironment(AirflowDatabase database, String mode, Map<String, String> extra)
    {
        Map<String, String> environment = new LinkedHashMap<>(extra);
        environment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", database.sqlAlchemyConn());
        environment.put("AIRFLOW__XCOM_HYBRID__SCHEMA_MODE", mode);
        return environment;
    }

    private static String password()
    {
        return PostgresFixture.shared().password();
    }

    private static byte[] utf8(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(StoredXCom row)
    {
        return new String(row.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json)
    {
        try {
            return MAPPER.readTree(json);
        }
        catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static double seconds(Duration duration)
    {
        return duration.toMillis() / 1000.0;
    }

    /** The same [core] / [common.io] settings for both sides, as a deployment's environment would hold them. */
    private static Map<String, String> objectStorageSettings(Path objects)
    {
        return Map.of(
                "AIRFLOW__CORE__XCOM_BACKEND", BACKEND,
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "file://" + objects.toAbsolutePath(),
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "1024",
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION", "gzip");
    }

    /** About 20 kB of JSON with non-ASCII text: above the 1024-byte threshold, so it goes to an object. */
    private static Map<String, Object> largeValue()
    {
        Map<String, Object> large = new LinkedHashMap<>();
        large.put("rows", IntStream.range(0, 2000).boxed().toList());
        large.put("text", "\u00fcber ".repeat(2000));
        return large;
    }
}
