package io.xcomhybrid;

import io.xcomhybrid.backend.ObjectStorageXComBackend;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.store.Location;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link XComs#gc} on a real database with more objects and task instances than one chunk of the sweep holds, so
 * every path of {@link OrphanSweep} runs: chunks of a few large task instances and of many one-XCom ones, rows whose
 * whole task instance lost its objects (found by the scan of all rows), and an object referenced only by a row of
 * another task instance.
 */
public abstract class AbstractTestXComsGc
{
    private static final String DAG = "gc_dag";
    private static final String RUN = "manual__2024-01-01T00:00:00+00:00";

    @TempDir
    Path temp;

    private XComs xcoms;

    /** The {@code [database]} (and {@code [xcom_hybrid]}) settings of a fresh, empty database. */
    protected abstract Map<String, Map<String, String>> databaseSettings(Path temp);

    @AfterEach
    void tearDown()
    {
        if (xcoms != null) {
            xcoms.close();
        }
    }

    @Test
    void sweepsMoreObjectsThanOneChunkWithTheSameReportAsReadingEverything()
            throws IOException
    {
        Path objects = temp.resolve("objects");
        Map<String, Map<String, String>> sections = new HashMap<>(databaseSettings(temp));
        sections.put("core", Map.of("xcom_backend", ObjectStorageXComBackend.AIRFLOW_CLASS));
        sections.put("common.io", Map.of("xcom_objectstorage_path", "file://" + objects, "xcom_objectstorage_threshold", "0"));
        xcoms = XComs.open(AirflowConfig.of(sections, Map.of()));
        MetadataStore metadata = xcoms.metadataStore();

        // four task instances of 400 XComs, then 900 of one XCom each: 2,500 objects, several chunks
        Map<XComKey, Location> locations = new HashMap<>();
        List<XComKey> keys = new ArrayList<>();
        for (String task : List.of("task_a", "task_b", "task_c", "task_d")) {
            for (int i = 0; i < 400; i++) {
                keys.add(new XComKey(DAG, RUN, task, i, "return_value"));
            }
        }
        for (int i = 0; i < 900; i++) {
            keys.add(XComKey.of(DAG, RUN, "solo_" + i));
        }
        for (XComKey key : keys) {
            locations.put(key, xcoms.push(key, Map.of("task", key.taskId(), "i", key.mapIndex())).location().orElseThrow());
        }
        Instant old = Instant.now().minus(Duration.ofDays(2));
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, FileTime.from(old));
            }
        }

        // orphans: rows deleted without purging their objects, and an old object of a task instance with no rows
        List<Location> orphans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            XComKey key = new XComKey(DAG, RUN, "task_a", i, "return_value");
            assertThat(metadata.delete(key)).isPresent();
            orphans.add(locations.get(key));
        }
        for (int i = 0; i < 20; i++) {
            XComKey key = XComKey.of(DAG, RUN, "solo_" + i);
            assertThat(metadata.delete(key)).isPresent();
            orphans.add(locations.get(key));
        }
        orphans.add(file(objects, "other_dag/other_run/other_task/" + UUID.randomUUID() + ".gz", old));
        // young: a row-less object written recently, and one whose row is gone but which was touched recently
        Location youngFile = file(objects, "other_dag/other_run/other_task/" + UUID.randomUUID(), Instant.now());
        XComKey youngKey = new XComKey(DAG, RUN, "task_b", 7, "return_value");
        metadata.delete(youngKey);
        Files.setLastModifiedTime(Path.of(locations.get(youngKey).path()), FileTime.from(Instant.now()));
        // foreign: names that are not XCom objects
        Location readme = file(objects, "README.txt", old);
        Location notUuid = file(objects, "a/b/c/not-a-uuid.gz", old);
        // an object whose own row is gone but that a row of another task instance references
        XComKey borrowed = XComKey.of(DAG, RUN, "solo_30");
        metadata.delete(borrowed);
        XComKey borrower = XComKey.of(DAG, RUN, "borrower");
        metadata.put(borrower, ("\"" + locations.get(borrowed) + "\"").getBytes(StandardCharsets.UTF_8));

        // missing: one object of a task instance whose others remain, all 400 of task_d, the only one of solo_500
        List<XComKey> missing = new ArrayList<>();
        XComKey oneOfMany = new XComKey(DAG, RUN, "task_c", 5, "return_value");
        Files.delete(Path.of(locations.get(oneOfMany).path()));
        missing.add(oneOfMany);
        for (int i = 0; i < 400; i++) {
            XComKey key = new XComKey(DAG, RUN, "task_d", i, "return_value");
            Files.delete(Path.of(locations.get(key).path()));
            missing.add(key);
        }
        XComKey alone = XComKey.of(DAG, RUN, "solo_500");
        Files.delete(Path.of(locations.get(alone).path()));
        missing.add(alone);
        // identity order: solo_500 < task_c < task_d as strings, then map_index
        missing.sort(java.util.Comparator.comparing(XComKey::taskId).thenComparingInt(XComKey::mapIndex));

        long scanned = 2500 - 402 + 2 + 2;
        for (boolean dryRun : List.of(true, false)) {
            GcReport report = xcoms.gc(Duration.ofHours(1), dryRun);
            assertThat(report.dryRun()).isEqualTo(dryRun);
            assertThat(report.scanned()).isEqualTo(scanned);
            assertThat(report.orphans()).containsExactlyInAnyOrderElementsOf(orphans);
            assertThat(report.young()).isEqualTo(2);
            assertThat(report.foreign()).isEqualTo(2);
            assertThat(report.missingObjects()).extracting(XComEntry::key).containsExactlyElementsOf(missing);
            for (Location orphan : orphans) {
                assertThat(Files.exists(Path.of(orphan.path()))).as(orphan.toString()).isEqualTo(dryRun);
            }
        }
        for (Location kept : List.of(youngFile, locations.get(youngKey), readme, notUuid, locations.get(borrowed))) {
            assertThat(Files.exists(Path.of(kept.path()))).as(kept.toString()).isTrue();
        }
        assertThat(xcoms.pull(borrower)).isEqualTo(Map.of("task", "solo_30", "i", -1));
        assertThat(xcoms.pull(new XComKey(DAG, RUN, "task_a", 50, "return_value"))).isEqualTo(Map.of("task", "task_a", "i", 50));

        GcReport again = xcoms.gc(Duration.ofHours(1), false);
        assertThat(again.orphans()).isEmpty();
        assertThat(again.scanned()).isEqualTo(scanned - orphans.size());
        assertThat(again.missingObjects()).hasSize(missing.size());
    }

    private static Location file(Path objects, String relative, Instant modified)
            throws IOException
    {
        Path file = objects.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return Location.parse("file://" + file);
    }
}
