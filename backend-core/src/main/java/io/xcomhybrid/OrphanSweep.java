package io.xcomhybrid;

import io.xcomhybrid.backend.XComBackend;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectEntry;
import io.xcomhybrid.store.ObjectIterator;
import io.xcomhybrid.store.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One {@link XComs#gc} sweep of an object-storage base, in memory bounded by a chunk of listed objects rather than by
 * the number of XComs:
 * <ol>
 * <li>The listing is read in chunks of about {@value #CHUNK} objects (the objects of one task instance, which every
 * store lists together, stay in one chunk). Each chunk is checked against the rows of the task instances its object
 * names name ({@code <dag>/<run>/<task>/<uuid><suffix>}, the layout of Airflow and of this library), fetched in a
 * few statements ({@link MetadataStore#listAny}). Unreferenced objects become orphans, young or foreign as before;
 * rows of those task instances whose object was not listed (and does not exist when looked up) are missing.</li>
 * <li>One streaming scan of the rows ({@link MetadataStore#forEach}) then finds what the chunks cannot see: rows of
 * task instances none of whose objects was listed (missing), and rows referencing an object outside their own task
 * instance's folder, which keep that object from being deleted and are checked for existence one by one.</li>
 * <li>Only then are the orphans deleted, so no object that any row references is ever deleted.</li>
 * </ol>
 * An object whose only reference is a row of another task instance is counted as young or foreign if its name or
 * age makes it so (only moving the base under older objects makes such rows). What is kept for the whole sweep: the orphans (which the report returns), and 8 bytes per listed task instance (a
 * 64-bit hash, so that the scan can tell which rows the chunks already checked; a collision of two task instances'
 * hashes could only hide a missing object from the report, never delete anything).
 *
 * <p>Rows written after the sweep started are not reported as missing: their push may have written its object after
 * the listing went past it.
 */
final class OrphanSweep
{
    static final int CHUNK = 1000;
    private static final Pattern OBJECT_NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\\.[A-Za-z0-9]+)?");
    private static final Comparator<XComKey> IDENTITY_ORDER = Comparator.comparing(XComKey::dagId)
            .thenComparing(XComKey::runId)
            .thenComparing(XComKey::taskId)
            .thenComparingInt(XComKey::mapIndex)
            .thenComparing(XComKey::key);

    private final Location base;
    private final String basePrefix;
    private final ObjectStore store;
    private final MetadataStore metadata;
    private final XComBackend backend;
    private final Function<StoredXCom, XComEntry> entries;
    private final Instant started;
    private final Instant cutoff;

    private final List<ObjectEntry> chunk = new ArrayList<>();
    private final Set<TaskInstance> chunkTasks = new LinkedHashSet<>();
    private TaskInstance lastTask;
    private long[] seenTasks = new long[1024];
    private int seenCount;

    private final Map<Location, Boolean> orphans = new LinkedHashMap<>();
    private final Map<XComKey, StoredXCom> missing = new TreeMap<>(IDENTITY_ORDER);
    private long scanned;
    private long young;
    private long foreign;

    OrphanSweep(Location base, ObjectStore store, MetadataStore metadata, XComBackend backend, Function<StoredXCom, XComEntry> entries, Instant started, Instant cutoff)
    {
        this.base = requireNonNull(base, "base is null");
        this.basePrefix = base.path().endsWith("/") ? base.path() : base.path() + "/";
        this.store = requireNonNull(store, "store is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.entries = requireNonNull(entries, "entries is null");
        this.started = requireNonNull(started, "started is null");
        this.cutoff = requireNonNull(cutoff, "cutoff is null");
    }

    GcReport run(boolean dryRun)
            throws IOException
    {
        ObjectIterator iterator = store.list(base);
        while (iterator.hasNext()) {
            add(iterator.next());
        }
        checkChunk();
        Arrays.sort(seenTasks, 0, seenCount);
        try {
            metadata.forEach(XComFilter.ALL, this::checkRow);
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Location> deleted = orphans.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        if (!dryRun && !deleted.isEmpty()) {
            store.deleteAll(deleted);
        }
        return new GcReport(scanned, deleted, young, foreign, missing.values().stream().map(entries).toList(), dryRun);
    }

    private void add(ObjectEntry entry)
            throws IOException
    {
        scanned++;
        TaskInstance task = taskInstance(entry.location());
        if (chunk.size() >= CHUNK && (task == null || !task.equals(lastTask))) {
            checkChunk();
        }
        chunk.add(entry);
        if (task != null) {
            chunkTasks.add(task);
            lastTask = task;
        }
    }

    /** Classifies the chunk's objects against the rows of its task instances, and finds those rows' missing objects. */
    private void checkChunk()
            throws IOException
    {
        if (chunk.isEmpty()) {
            return;
        }
        List<XComFilter> filters = chunkTasks.stream()
                .map(task -> XComFilter.ALL.withDagId(task.dagId()).withRunId(task.runId()).withTaskId(task.taskId()))
                .toList();
        List<StoredXCom> rows = filters.isEmpty() ? List.of() : metadata.listAny(filters);
        Set<Location> listed = new HashSet<>();
        chunk.forEach(entry -> listed.add(entry.location()));
        Set<Location> referenced = new HashSet<>();
        for (StoredXCom row : rows) {
            Optional<Location> location = backend.referencedLocation(row.value());
            if (location.isEmpty()) {
                continue;
            }
            referenced.add(location.get());
            // a row referencing another folder is checked by the scan of all rows; an object not in this chunk is looked
            // up, in case a store listed its task instance's objects apart
            if (inOwnFolder(row.key(), location.get()) && !listed.contains(location.get()) && row.timestamp().isBefore(started)
                    && !store.exists(location.get())) {
                missing.put(row.key(), row);
            }
        }
        for (ObjectEntry entry : chunk) {
            if (referenced.contains(entry.location())) {
                continue;
            }
            if (!isXComObject(entry.location())) {
                foreign++;
            }
            else if (entry.lastModified().isAfter(cutoff)) {
                young++;
            }
            else {
                orphans.put(entry.location(), true);
            }
        }
        for (TaskInstance task : chunkTasks) {
            if (seenCount == seenTasks.length) {
                seenTasks = Arrays.copyOf(seenTasks, seenCount * 2);
            }
            seenTasks[seenCount++] = task.hash();
        }
        chunk.clear();
        chunkTasks.clear();
    }

    /** Checks what the chunks could not: rows of task instances with no listed object, and references to other folders. */
    private void checkRow(StoredXCom row)
    {
        Optional<Location> reference = backend.referencedLocation(row.value());
        if (reference.isEmpty()) {
            return;
        }
        Location location = reference.get();
        boolean recent = !row.timestamp().isBefore(started);
        if (inOwnFolder(row.key(), location)) {
            TaskInstance task = new TaskInstance(row.key().dagId(), row.key().runId(), row.key().taskId());
            if (Arrays.binarySearch(seenTasks, 0, seenCount, task.hash()) < 0 && !recent) {
                missing.put(row.key(), row);
            }
            return;
        }
        // an object that a row of another task instance references is not an orphan
        boolean listed = orphans.replace(location, false) != null;
        if (recent || listed) {
            return;
        }
        try {
            if (!store.exists(location)) {
                missing.put(row.key(), row);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean inOwnFolder(XComKey key, Location location)
    {
        return location.parent().equals(base.appendPath(key.dagId() + "/" + key.runId() + "/" + key.taskId()));
    }

    /** The task instance an object under the base belongs to by its name, or null if the name has too few segments. */
    private TaskInstance taskInstance(Location location)
    {
        if (!location.path().startsWith(basePrefix)) {
            return null;
        }
        String[] segments = location.path().substring(basePrefix.length()).split("/", -1);
        if (segments.length < 4) {
            return null;
        }
        // dag and task ids have no '/'; a run id may
        String runId = String.join("/", Arrays.asList(segments).subList(1, segments.length - 2));
        return new TaskInstance(segments[0], runId, segments[segments.length - 2]);
    }

    private boolean isXComObject(Location location)
    {
        if (!location.path().startsWith(basePrefix)) {
            return false;
        }
        String[] segments = location.path().substring(basePrefix.length()).split("/", -1);
        return segments.length == 4 && OBJECT_NAME.matcher(segments[3]).matches();
    }

    private record TaskInstance(String dagId, String runId, String taskId)
    {
        /** 64-bit FNV-1a over the UTF-8 of the three ids, each followed by a 0 byte (which no id contains). */
        long hash()
        {
            long hash = 0xcbf29ce484222325L;
            for (String id : List.of(dagId, runId, taskId)) {
                for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
                    hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
                }
                hash *= 0x100000001b3L;
            }
            return hash;
        }
    }
}
