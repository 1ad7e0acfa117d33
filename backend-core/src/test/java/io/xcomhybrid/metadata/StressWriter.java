package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.config.AirflowConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One writer of the concurrency audit: random puts, replaces, deletes and bulk deletes on a small set of shared keys,
 * recording every value it pushed and every row handed back to it. Runs as threads of the test JVM, or as a worker
 * process ({@link #main}) configured through {@code AIRFLOW__*} variables like an Airflow task.
 */
public final class StressWriter
{
    private StressWriter() {}

    /** The contended keys: 2 runs x 2 tasks x 2 XCom keys under {@code dagId}. */
    public static List<XComKey> keys(String dagId)
    {
        List<XComKey> keys = new ArrayList<>();
        for (String run : List.of("run_0", "run_1")) {
            for (String task : List.of("task_0", "task_1")) {
                for (String name : List.of("return_value", "other")) {
                    keys.add(new XComKey(dagId, run, task, -1, name));
                }
            }
        }
        return keys;
    }

    /**
     * Runs {@code operations} random operations. Each pushed value is unique ({@code writer} and counter) and names
     * its key, so a row handed back under the wrong key is detected.
     */
    public static void run(MetadataStore store, String dagId, String writer, int operations, Collection<String> pushed, Collection<String> handedBack)
    {
        List<XComKey> keys = keys(dagId);
        Random random = new Random(writer.hashCode());
        for (int i = 0; i < operations; i++) {
            XComKey key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            if (dice < 60) {
                String value = "\"" + key.runId() + "|" + key.taskId() + "|" + key.key() + "|" + writer + "|" + i + "\"";
                pushed.add(value);
                store.put(key, value.getBytes(StandardCharsets.UTF_8)).ifPresent(row -> handedBack.add(checkedValue(row)));
            }
            else if (dice < 85) {
                store.delete(key).ifPresent(row -> handedBack.add(checkedValue(row)));
            }
            else if (dice < 95) {
                XComFilter filter = random.nextBoolean() ? XComFilter.run(dagId, key.runId()) : XComFilter.ALL.withDagId(dagId).withTaskId(key.taskId());
                store.deleteAll(filter).forEach(row -> handedBack.add(checkedValue(row)));
            }
            else {
                store.get(key);
                store.list(XComFilter.ALL.withDagId(dagId));
            }
        }
    }

    /** The row's value, after checking that it was pushed under the row's key. */
    public static String checkedValue(StoredXCom row)
    {
        String value = new String(row.value(), StandardCharsets.UTF_8);
        XComKey key = row.key();
        if (!value.startsWith("\"" + key.runId() + "|" + key.taskId() + "|" + key.key() + "|")) {
            throw new AssertionError("row " + row + " holds a value pushed for another key: " + value);
        }
        return value;
    }

    /**
     * Worker process: {@code StressWriter DAG_ID WRITER THREADS OPERATIONS LEDGER}. Writes {@code P value} for each
     * push and {@code R value} for each row handed back to {@code LEDGER}; exits 1 on any failure.
     */
    public static void main(String[] args)
            throws Exception
    {
        String dagId = args[0];
        String writer = args[1];
        int threads = Integer.parseInt(args[2]);
        int operations = Integer.parseInt(args[3]);
        Path ledger = Path.of(args[4]);
        List<String> pushed = Collections.synchronizedList(new ArrayList<>());
        List<String> handedBack = Collections.synchronizedList(new ArrayList<>());
        try (MetadataStore store = MetadataStores.create(AirflowConfig.load(Optional.empty(), System.getenv()))) {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                String name = writer + "." + thread;
                futures.add(executor.submit(() -> run(store, dagId, name, operations, pushed, handedBack)));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
            executor.shutdown();
        }
        catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(ledger, StandardCharsets.UTF_8))) {
            pushed.forEach(value -> out.println("P " + value));
            handedBack.forEach(value -> out.println("R " + value));
        }
        catch (IOException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
