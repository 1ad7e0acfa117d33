package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every writable {@link MetadataStore} passes. A concrete test supplies its database and
 * {@link #newStore()}, calls {@link #openStores()} once the database is ready and, for layouts that reference other
 * tables (Airflow 2), creates the rows an XCom needs. Every test works under a DAG id of its own, so tests share the
 * store without interfering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractMetadataStoreTest
{
    private MetadataStore store;
    private MetadataStore otherStore;

    /** Opens {@link #store()} and {@link #otherStore()}; called once by the subclass's setup. They are closed after all tests. */
    protected final void openStores()
    {
        store = newStore();
        otherStore = newStore();
    }

    @AfterAll
    protected final void closeStores()
    {
        if (store != null) {
            store.close();
            otherStore.close();
        }
    }

    /** The store under test; opened once per test class by {@link #openStores()}. */
    protected MetadataStore store()
    {
        return store;
    }

    /**
     * A second store on the same database with its own connections, standing in for another process; the same store
     * where the database cannot be shared (in-memory SQLite).
     */
    protected MetadataStore otherStore()
    {
        return otherStore;
    }

    /** A new store on the same database, closed by the test. */
    protected abstract MetadataStore newStore();

    /** Creates what must exist before {@code key} can be written (Airflow 2: the dag_run and task_instance rows). */
    protected void prepareTaskInstance(XComKey key) {}

    /** {@link #prepareTaskInstance} for many keys; a layout may do it in one transaction. */
    protected void prepareTaskInstances(List<XComKey> keys)
    {
        keys.forEach(this::prepareTaskInstance);
    }

    protected static String newDagId()
    {
        return "dag_" + UUID.randomUUID();
    }

    protected static byte[] json(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected Optional<StoredXCom> put(XComKey key, String value)
    {
        prepareTaskInstance(key);
        return store().put(key, json(value));
    }

    @Test
    public void putThenGet()
    {
        XComKey key = XComKey.of(newDagId(), "manual__2024-01-01T00:00:00+00:00", "extract");
        Instant before = Instant.now().minusSeconds(5);
        assertThat(put(key, "{\"rows\": 3}")).isEmpty();

        StoredXCom row = store().get(key).orElseThrow();
        assertThat(row.key()).isEqualTo(key);
        assertThat(new String(row.value(), StandardCharsets.UTF_8)).isEqualTo("{\"rows\": 3}");
        assertThat(row.timestamp()).isBetween(before, Instant.now().plusSeconds(5));
    }

    @Test
    public void getMissingIsEmpty()
    {
        assertThat(store().get(XComKey.of(newDagId(), "run", "task"))).isEmpty();
        assertThat(store().getValue(XComKey.of(newDagId(), "run", "task"))).isEmpty();
    }

    @Test
    public void getValueReadsTheLatestValueOfThatKeyOnly()
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        put(key, "\"first\"");
        put(key.withKey("other"), "\"other\"");
        put(key, "\"second\"");
        assertThat(store().getValue(key)).hasValueSatisfying(value -> assertThat(value).isEqualTo(json("\"second\"")));
        assertThat(store().getValue(key.withKey("other"))).hasValueSatisfying(value -> assertThat(value).isEqualTo(json("\"other\"")));
        assertThat(store().getValue(key.withMapIndex(0))).isEmpty();
    }

    @Test
    public void putReturnsReplacedRow()
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        put(key, "1");
        StoredXCom first = store().get(key).orElseThrow();

        Optional<StoredXCom> replaced = put(key, "\"s3://bucket/xcom/dag/run/task/uuid.gz\"");
        assertThat(replaced).isPresent();
        assertThat(replaced.get().value()).isEqualTo(json("1"));
        assertThat(replaced.get().timestamp()).isEqualTo(first.timestamp());
        assertThat(store().get(key).orElseThrow().value()).isEqualTo(json("\"s3://bucket/xcom/dag/run/task/uuid.gz\""));
        assertThat(store().list(XComFilter.ALL.withDagId(key.dagId()))).hasSize(1);
    }

    @Test
    public void deleteReturnsRowOnce()
    {
        XComKey key = XComKey.of(newDagId(), "run", "task").withKey("custom");
        put(key, "[1, 2]");

        assertThat(store().delete(key)).map(StoredXCom::value).contains(json("[1, 2]"));
        assertThat(store().get(key)).isEmpty();
        assertThat(store().delete(key)).isEmpty();
    }

    @Test
    public void identityFieldsAreDistinctAndListIsOrdered()
    {
        String dagId = newDagId();
        List<XComKey> keys = List.of(
                new XComKey(dagId, "run_a", "task_a", -1, "return_value"),
                new XComKey(dagId, "run_a", "task_a", -1, "z"),
                new XComKey(dagId, "run_a", "task_a", 0, "return_value"),
                new XComKey(dagId, "run_a", "task_a", 1, "return_value"),
                new XComKey(dagId, "run_a", "task_b", -1, "return_value"),
                new XComKey(dagId, "run_b", "task_a", -1, "return_value"));
        List<XComKey> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(7));
        for (XComKey key : shuffled) {
            put(key, "\"" + key.runId() + "/" + key.taskId() + "/" + key.mapIndex() + "/" + key.key() + "\"");
        }

        List<StoredXCom> rows = store().list(XComFilter.ALL.withDagId(dagId));
        assertThat(rows).extracting(StoredXCom::key).containsExactlyElementsOf(keys);
        for (StoredXCom row : rows) {
            XComKey key = row.key();
            assertThat(row.value()).isEqualTo(json("\"" + key.runId() + "/" + key.taskId() + "/" + key.mapIndex() + "/" + key.key() + "\""));
        }
    }

    @Test
    public void listOrderIsJavaStringOrderWhateverTheCollation()
    {
        String dagId = newDagId();
        List<String> tasks = List.of("B_task", "a_task", "\u00e9_task", "\u00c9_task", "z_task");
        for (String task : tasks) {
            put(XComKey.of(dagId, "run", task), "1");
        }
        assertThat(store().list(XComFilter.ALL.withDagId(dagId))).extracting(row -> row.key().taskId())
                .containsExactlyElementsOf(tasks.stream().sorted().toList());
    }

    @Test
    public void listFiltersByEveryField()
    {
        String dagId = newDagId();
        XComKey a = new XComKey(dagId, "run_a", "task_a", -1, "return_value");
        XComKey b = new XComKey(dagId, "run_a", "task_b", 3, "return_value");
        XComKey c = new XComKey(dagId, "run_b", "task_a", -1, "other");
        for (XComKey key : List.of(a, b, c)) {
            put(key, "null");
        }
        XComFilter dag = XComFilter.ALL.withDagId(dagId);
        assertThat(keys(store().list(dag.withRunId("run_a")))).containsExactly(a, b);
        assertThat(keys(store().list(dag.withTaskId("task_a")))).containsExactly(a, c);
        assertThat(keys(store().list(dag.withMapIndex(3)))).containsExactly(b);
        assertThat(keys(store().list(dag.withKey("other")))).containsExactly(c);
        assertThat(keys(store().list(XComFilter.run(dagId, "run_b")))).containsExactly(c);
        assertThat(store().list(XComFilter.ALL.withDagId(newDagId()))).isEmpty();
    }

    @Test
    public void deleteAllRemovesAndReturnsOnlySelectedRows()
    {
        String dagId = newDagId();
        XComKey keep = new XComKey(dagId, "run_keep", "task", -1, "return_value");
        put(keep, "\"keep\"");
        List<XComKey> doomed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            XComKey key = new XComKey(dagId, "run_clear", "task_" + (i % 3), i, "return_value");
            doomed.add(key);
            put(key, String.valueOf(i));
        }

        List<StoredXCom> deleted = store().deleteAll(XComFilter.run(dagId, "run_clear"));
        assertThat(keys(deleted)).containsExactlyInAnyOrderElementsOf(doomed);
        assertThat(deleted).allSatisfy(row -> assertThat(row.value()).isEqualTo(json(String.valueOf(row.key().mapIndex()))));
        assertThat(keys(store().list(XComFilter.ALL.withDagId(dagId)))).containsExactly(keep);
        assertThat(store().deleteAll(XComFilter.run(dagId, "run_clear"))).isEmpty();
    }

    @Test
    public void deleteAllOfThousandsOfRows()
    {
        String dagId = newDagId();
        int count = 2000;
        List<XComKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(new XComKey(dagId, "run", "task", i, "return_value"));
        }
        prepareTaskInstances(keys);
        for (XComKey key : keys) {
            store().put(key, json(String.valueOf(key.mapIndex())));
        }
        List<StoredXCom> deleted = store().deleteAll(XComFilter.ALL.withDagId(dagId));
        assertThat(deleted).hasSize(count);
        assertThat(deleted.stream().map(row -> row.key().mapIndex()).collect(Collectors.toSet())).hasSize(count);
        assertThat(store().list(XComFilter.ALL.withDagId(dagId))).isEmpty();
    }

    @Test
    public void valuesRoundTripByteForByte()
    {
        String dagId = newDagId();
        StringBuilder large = new StringBuilder("\"");
        Random random = new Random(3);
        while (large.length() < 1024 * 1024) {
            large.append((char) ('a' + random.nextInt(26)));
        }
        large.append('"');
        List<String> values = List.of("null", "\"\"", "{\"a\": [1, 2.5, \"\\u00e9\"], \"b\": {}}", "\"caf\u00e9 \u2603 \ud83d\ude00\"", large.toString());
        for (int i = 0; i < values.size(); i++) {
            XComKey key = new XComKey(dagId, "run", "task", i, "return_value");
            put(key, values.get(i));
            assertThat(store().get(key).orElseThrow().value()).isEqualTo(json(values.get(i)));
        }
    }

    @Test
    public void identitiesAreStoredVerbatim()
    {
        String dagId = newDagId() + ".sub-dag \u00e9";
        XComKey key = new XComKey(dagId, "scheduled__2024-01-01T00:00:00+00:00", "group.task/with/slashes", 7, "key/with/slash % _");
        put(key, "1");
        assertThat(keys(store().list(XComFilter.ALL.withDagId(dagId)))).containsExactly(key);
        // LIKE-style wildcards are data, not patterns
        assertThat(store().list(XComFilter.ALL.withDagId(dagId).withKey("key/with/slash _ %"))).isEmpty();
    }

    @Test
    public void tooLongIdentityIsRejectedNamingTheXCom()
    {
        XComKey key = XComKey.of(newDagId(), "run", "t".repeat(251));
        assertThatThrownBy(() -> store().put(key, json("1")))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("task_id has 251 characters")
                .hasMessageContaining(key.toString());
    }

    @Test
    public void otherStoreSeesWrites()
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        put(key, "42");
        assertThat(otherStore().get(key)).map(StoredXCom::value).contains(json("42"));
        assertThat(otherStore().delete(key)).isPresent();
        assertThat(store().get(key)).isEmpty();
    }

    @Test
    public void checkAndDescribe()
    {
        store().check();
        assertThat(store().describe()).isNotBlank();
    }

    @Test
    public void closedStoreRefusesOperations()
    {
        MetadataStore store = newStore();
        XComKey key = XComKey.of(newDagId(), "run", "task");
        assertThat(store.get(key)).isEmpty();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get(key))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining(key.toString());
    }

    /**
     * Threads of two stores (two pools, as two processes would have) push, replace, delete and clear a small set of
     * shared keys. Audit: every value pushed is handed back exactly once, either as the row a later put replaced, as
     * a deleted row, or as a row still in the table. A lost row, a row returned twice (its object purged twice) or a
     * deadlock fails the test.
     */
    @Test
    public void concurrentWritersNeverLoseOrDuplicateRows()
            throws Exception
    {
        String dagId = newDagId();
        StressWriter.keys(dagId).forEach(this::prepareTaskInstance);

        int threads = 6;
        int operations = stressOperationsPerThread();
        Collection<String> pushed = ConcurrentHashMap.newKeySet();
        List<String> handedBack = Collections.synchronizedList(new ArrayList<>());
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                MetadataStore store = thread % 2 == 0 ? store() : otherStore();
                String writer = "thread" + thread;
                futures.add(executor.submit(() -> StressWriter.run(store, dagId, writer, operations, pushed, handedBack)));
            }
            long deadline = System.nanoTime() + stressTimeLimit().toNanos();
            for (Future<?> future : futures) {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        audit(dagId, pushed, handedBack);
        assertThat(pushed).hasSizeGreaterThan(threads * operations / 3);
    }

    /**
     * The same audit with writers in separate JVMs, configured only through {@code AIRFLOW__*} variables as Airflow
     * tasks are, and a writer in this JVM.
     */
    @Test
    public void concurrentProcessesNeverLoseOrDuplicateRows()
            throws Exception
    {
        String dagId = newDagId();
        StressWriter.keys(dagId).forEach(this::prepareTaskInstance);
        int processes = 3;
        int operations = stressOperationsPerThread();
        Path directory = Files.createTempDirectory("xcom-stress-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> started = new ArrayList<>();
        List<Path> ledgers = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                Path ledger = directory.resolve("ledger-" + i);
                ledgers.add(ledger);
                ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StressWriter.class.getName(),
                        dagId, "process" + i, "2", String.valueOf(operations), ledger.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("output-" + i).toFile());
                builder.environment().putAll(processEnvironment());
                started.add(builder.start());
            }
            Collection<String> pushed = ConcurrentHashMap.newKeySet();
            List<String> handedBack = Collections.synchronizedList(new ArrayList<>());
            StressWriter.run(store(), dagId, "parent", operations, pushed, handedBack);

            long deadline = System.nanoTime() + stressTimeLimit().toNanos();
            for (int i = 0; i < processes; i++) {
                Process process = started.get(i);
                boolean exited = process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                String output = Files.exists(directory.resolve("output-" + i)) ? Files.readString(directory.resolve("output-" + i)) : "";
                assertThat(exited).as("writer process %s finished within %s; output:%n%s", i, stressTimeLimit(), output).isTrue();
                assertThat(process.exitValue()).as("writer process %s exit code; output:%n%s", i, output).isZero();
                for (String line : Files.readAllLines(ledgers.get(i), StandardCharsets.UTF_8)) {
                    if (line.startsWith("P ")) {
                        pushed.add(line.substring(2));
                    }
                    else {
                        handedBack.add(line.substring(2));
                    }
                }
            }
            audit(dagId, pushed, handedBack);
            assertThat(pushed).hasSizeGreaterThan((processes * 2 + 1) * operations / 3);
        }
        finally {
            started.forEach(Process::destroyForcibly);
            deleteRecursively(directory);
        }
    }

    public static void deleteRecursively(Path directory)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The {@code AIRFLOW__*} variables that configure a worker process for this store's database and layout. */
    protected abstract Map<String, String> processEnvironment();

    private void audit(String dagId, Collection<String> pushed, List<String> handedBack)
    {
        List<String> accounted = new ArrayList<>(handedBack);
        for (StoredXCom row : store().list(XComFilter.ALL.withDagId(dagId))) {
            accounted.add(StressWriter.checkedValue(row));
        }
        Set<String> unique = new HashSet<>(accounted);
        assertThat(accounted).as("values handed back more than once").hasSameSizeAs(unique);
        assertThat(unique).as("every pushed value is replaced, deleted or still stored").isEqualTo(new HashSet<>(pushed));
    }

    protected int stressOperationsPerThread()
    {
        return 200;
    }

    protected Duration stressTimeLimit()
    {
        return Duration.ofMinutes(2);
    }

    @Test
    public void listAnyReturnsTheRowsOfEveryFilterOnce()
    {
        String dagId = newDagId();
        List<XComKey> keys = new ArrayList<>();
        for (int task = 0; task < 250; task++) {
            XComKey key = XComKey.of(dagId, "run", "task_" + task);
            keys.add(key);
            keys.add(key.withKey("second"));
        }
        prepareTaskInstances(keys);
        keys.forEach(key -> store().put(key, json("\"" + key.taskId() + "/" + key.key() + "\"")));

        // more task instances than one statement takes, one of them twice, a filter down to one row, one matching nothing
        List<XComFilter> filters = new ArrayList<>();
        for (int task = 0; task < 210; task++) {
            filters.add(XComFilter.run(dagId, "run").withTaskId("task_" + task));
        }
        filters.add(XComFilter.run(dagId, "run").withTaskId("task_0"));
        filters.add(XComFilter.run(dagId, "run").withTaskId("task_249").withKey("second"));
        filters.add(XComFilter.run(dagId, "other_run"));
        List<XComKey> expected = new ArrayList<>();
        for (XComKey key : keys) {
            int task = Integer.parseInt(key.taskId().substring("task_".length()));
            if (task < 210 || (task == 249 && key.key().equals("second"))) {
                expected.add(key);
            }
        }

        List<StoredXCom> rows = store().listAny(filters);
        assertThat(keys(rows)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows).allSatisfy(row -> assertThat(new String(row.value(), StandardCharsets.UTF_8))
                .isEqualTo("\"" + row.key().taskId() + "/" + row.key().key() + "\""));
        assertThat(store().listAny(List.of())).isEmpty();
    }

    @Test
    public void forEachPassesEveryRowOfTheFilterOnceBeyondOneFetch()
    {
        String dagId = newDagId();
        List<XComKey> keys = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            keys.add(XComKey.of(dagId, "run", "task_" + (i % 5)).withMapIndex(i));
        }
        prepareTaskInstances(keys);
        keys.forEach(key -> store().put(key, json(Integer.toString(key.mapIndex()))));
        put(XComKey.of(newDagId(), "run", "task_0"), "0");

        List<XComKey> seen = new ArrayList<>();
        store().forEach(XComFilter.ALL.withDagId(dagId), row -> {
            assertThat(new String(row.value(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(row.key().mapIndex()));
            seen.add(row.key());
        });
        assertThat(seen).containsExactlyInAnyOrderElementsOf(keys);

        RuntimeException stop = new IllegalStateException("stop");
        assertThatThrownBy(() -> store().forEach(XComFilter.ALL.withDagId(dagId), row -> {
            throw stop;
        })).isSameAs(stop);
    }

    protected static List<XComKey> keys(List<StoredXCom> rows)
    {
        return rows.stream().map(StoredXCom::key).toList();
    }
}
