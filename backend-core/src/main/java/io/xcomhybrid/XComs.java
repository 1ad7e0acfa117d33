package io.xcomhybrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.xcomhybrid.backend.ObjectStorageSettings.UnreadableObjectPolicy;
import io.xcomhybrid.backend.ObjectStorageXComBackend;
import io.xcomhybrid.backend.SerializedXCom;
import io.xcomhybrid.backend.UnreadableXComException;
import io.xcomhybrid.backend.XComBackend;
import io.xcomhybrid.backend.XComBackendContext;
import io.xcomhybrid.backend.XComBackends;
import io.xcomhybrid.backend.XComPayload;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStores;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Push, pull, delete, clear, list and sweep XComs: the library's entry point.
 *
 * <pre>{@code
 * try (XComs xcoms = XComs.open(AirflowConfig.load(Optional.of(Path.of("airflow.cfg")), System.getenv()))) {
 *     XComKey key = XComKey.of("my_dag", "manual__2024-01-01T00:00:00+00:00", "extract");
 *     xcoms.push(key, Map.of("rows", 1_000_000));
 *     Object value = xcoms.pull(key);
 * }
 * }</pre>
 *
 * <p>Ordering guarantees: a push writes the object first and the row second, and deletes the object if the row
 * cannot be written; replacing a value purges the old object only after the new row has committed; delete and
 * clear remove rows first and purge objects after the commit. A crash between those steps leaves at worst an
 * object without a row, which {@link #gc} removes. Thread safe.
 */
public final class XComs
        implements Closeable
{
    private static final Logger log = LoggerFactory.getLogger(XComs.class);

    private final MetadataStore metadata;
    private final XComBackend backend;
    private final ObjectStores objectStores;
    private final XComJson json;

    /** Takes ownership of all three resources: {@link #close()} closes them. */
    public XComs(MetadataStore metadata, XComBackend backend, ObjectStores objectStores, XComJson json)
    {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.objectStores = requireNonNull(objectStores, "objectStores is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** Opens the metadata store, the object stores and the backend that {@code config} names. */
    public static XComs open(AirflowConfig config)
    {
        ObjectStores stores = new ObjectStores(config);
        XComJson json = XComJson.standard();
        XComBackend backend = null;
        try {
            backend = XComBackends.create(new XComBackendContext(config, stores, json));
            MetadataStore metadata = MetadataStores.create(config);
            return new XComs(metadata, backend, stores, json);
        }
        catch (RuntimeException e) {
            closeQuietly(backend, e);
            closeQuietly(stores, e);
            throw e;
        }
    }

    public XComBackend backend()
    {
        return backend;
    }

    public MetadataStore metadataStore()
    {
        return metadata;
    }

    public ObjectStores objectStores()
    {
        return objectStores;
    }

    public XComJson json()
    {
        return json;
    }

    /** Pushes a Java value (maps, lists, records, POJOs, numbers, strings, booleans, null and the codec's Python types). */
    public PushResult push(XComKey key, Object value)
    {
        return push(key, XComPayload.ofValue(value, json));
    }

    /** Pushes JSON text read from a stream (re-encoded in Python's form, streaming). */
    public PushResult pushJson(XComKey key, InputStream jsonText)
    {
        return push(key, XComPayload.ofJsonStream(jsonText, json));
    }

    /** Pushes JSON text read from a file (re-encoded in Python's form, streaming). */
    public PushResult pushJsonFile(XComKey key, Path file)
    {
        return push(key, XComPayload.ofJsonFile(file, json));
    }

    public PushResult push(XComKey key, XComPayload payload)
    {
        requireNonNull(key, "key is null");
        SerializedXCom serialized;
        try {
            serialized = backend.serialize(key, payload);
        }
        catch (JsonProcessingException e) {
            throw new InvalidXComValueException("Invalid value for " + key + ": " + e.getOriginalMessage(), e);
        }
        catch (IOException e) {
            throw new XComStorageException("Push of " + key + " failed: " + e.getMessage(), e);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidXComValueException("Invalid value for " + key + ": " + e.getMessage(), e);
        }
        Optional<StoredXCom> replaced;
        try {
            replaced = metadata.put(key, serialized.stored());
        }
        catch (RuntimeException e) {
            // the row failed: the object must not outlive it
            try {
                backend.purge(key, serialized.stored());
            }
            catch (IOException | RuntimeException purgeFailure) {
                e.addSuppressed(purgeFailure);
            }
            throw e;
        }
        replaced.filter(old -> !Arrays.equals(old.value(), serialized.stored()))
                .ifPresent(old -> purgeAfterCommit(List.of(old)));
        return new PushResult(key, serialized.placement(), serialized.size(), serialized.location());
    }

    /** The value decoded into Java values. */
    public Object pull(XComKey key)
    {
        byte[] stored = storedValue(key);
        try (InputStream in = backend.openJson(key, stored)) {
            return json.read(in);
        }
        catch (JsonProcessingException | UnreadableXComException e) {
            // Airflow's behaviour, when asked for: an unreadable object yields its reference string
            if (backend instanceof ObjectStorageXComBackend objectStorage
                    && objectStorage.settings().onUnreadable() == UnreadableObjectPolicy.RETURN_REFERENCE) {
                Optional<String> reference = json.decodeString(stored);
                if (reference.isPresent()) {
                    log.warn("{} is unreadable; returning its reference string (on_unreadable_object = return_reference): {}", key, e.getMessage());
                    return reference.get();
                }
            }
            if (e instanceof JsonProcessingException parseFailure) {
                throw unreadable(key, stored, parseFailure);
            }
            throw (UnreadableXComException) e;
        }
        catch (IOException e) {
            throw new XComStorageException("Pull of " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** The value decoded into {@code type} (Jackson data binding). */
    public <T> T pull(XComKey key, Class<T> type)
    {
        byte[] stored = storedValue(key);
        try (InputStream in = backend.openJson(key, stored)) {
            return json.read(in, type);
        }
        catch (JsonProcessingException e) {
            throw unreadable(key, stored, e);
        }
        catch (IOException e) {
            throw new XComStorageException("Pull of " + key + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Streams the value's JSON text, as Python's {@code json.dumps} writes it, to {@code out}. An object's body is
     * copied as stored (it is that text already, whether Java or Python wrote it), so a large pull runs at the speed of
     * the store and the codec; its integrity metadata is checked when present. A database row is re-encoded, which
     * normalises text a database changed (PostgreSQL JSONB).
     *
     * @return bytes written
     */
    public long pullJson(XComKey key, OutputStream out)
    {
        byte[] stored = storedValue(key);
        CountingOutputStream counting = new CountingOutputStream(out);
        boolean object = backend.referencedLocation(stored).isPresent();
        try (InputStream in = backend.openJson(key, stored)) {
            if (object) {
                // transferTo: a backend's stream may copy faster than reads in a loop (no read-ahead thread)
                in.transferTo(counting);
            }
            else {
                json.transcode(in, counting);
            }
        }
        catch (JsonProcessingException e) {
            throw unreadable(key, stored, e);
        }
        catch (IOException e) {
            throw new XComStorageException("Pull of " + key + " failed: " + e.getMessage(), e);
        }
        return counting.count;
    }

    /** Deletes the row, then purges its object. Returns false if there was no such XCom. */
    public boolean delete(XComKey key)
    {
        Optional<StoredXCom> deleted = metadata.delete(key);
        deleted.ifPresent(row -> purgeAfterCommit(List.of(row)));
        return deleted.isPresent();
    }

    /**
     * Deletes every XCom of a run (optionally of one task and map index), rows first, then their objects, as
     * Airflow 2.9+ does when a task instance is cleared.
     *
     * @return the number of XComs deleted
     */
    public int clear(XComFilter filter)
    {
        if (filter.dagId().isEmpty() || filter.runId().isEmpty()) {
            throw new IllegalArgumentException("clear needs a dag_id and a run_id");
        }
        List<StoredXCom> deleted = metadata.deleteAll(filter);
        purgeAfterCommit(deleted);
        return deleted.size();
    }

    public List<XComEntry> list(XComFilter filter)
    {
        return metadata.list(filter).stream().map(this::entry).toList();
    }

    public Optional<XComEntry> show(XComKey key)
    {
        return metadata.get(key).map(this::entry);
    }

    /**
     * Sweeps the object-storage base: deletes XCom objects that no row references and that are older than
     * {@code gracePeriod} (younger ones may belong to a push whose row is not written yet), and reports rows whose
     * object is missing. Objects whose names are not XCom object names are never touched. Memory stays bounded by a
     * chunk of the listing, not by the number of XComs (see {@link OrphanSweep}); rows written after the sweep
     * started are not reported as missing.
     */
    public GcReport gc(Duration gracePeriod, boolean dryRun)
    {
        Location base = backend.baseLocation()
                .orElseThrow(() -> new IllegalStateException("The configured backend " + backend.name() + " stores no objects; nothing to sweep"));
        Instant started = Instant.now();
        try {
            ObjectStore store = objectStores.forLocation(base);
            return new OrphanSweep(base, store, metadata, backend, this::entry, started, started.minus(gracePeriod)).run(dryRun);
        }
        catch (IOException e) {
            throw new XComStorageException("Sweep of " + base + " failed: " + e.getMessage(), e);
        }
    }

    private XComEntry entry(StoredXCom row)
    {
        return new XComEntry(row.key(), backend.preview(row.key(), row.value()), row.timestamp());
    }

    /** The stored form (the row's value) of {@code key}: what a pull reads. */
    private byte[] storedValue(XComKey key)
    {
        requireNonNull(key, "key is null");
        return metadata.getValue(key).orElseThrow(() -> new NoSuchXComException(key));
    }

    private RuntimeException unreadable(XComKey key, byte[] stored, JsonProcessingException e)
    {
        Optional<Location> location = backend.referencedLocation(stored);
        String where = location.map(value -> "object " + value).orElse("its database row");
        return new UnreadableXComException(key + ": " + where + " does not hold valid JSON: " + e.getOriginalMessage(), e);
    }

    private void purgeAfterCommit(List<StoredXCom> rows)
    {
        if (rows.isEmpty()) {
            return;
        }
        try {
            backend.purgeAll(rows);
        }
        catch (IOException | RuntimeException e) {
            // the rows are gone; what could not be purged is an orphan that 'xcom gc' finds
            log.warn("Could not purge the objects of {} deleted XCom(s); run 'xcom gc' to remove orphans: {}", rows.size(), e.getMessage());
        }
    }

    @Override
    public void close()
    {
        RuntimeException failure = new XComStorageException("Failed to close XComs");
        closeQuietly(backend, failure);
        closeQuietly(metadata, failure);
        closeQuietly(objectStores, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeQuietly(Closeable closeable, Throwable failure)
    {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString()
    {
        return "XComs{backend=" + backend.name() + ", metadata=" + metadata.describe()
                + backend.baseLocation().map(base -> ", base=" + base).orElse("") + "}";
    }

    private static final class CountingOutputStream
            extends java.io.FilterOutputStream
    {
        private long count;

        CountingOutputStream(OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(int b)
                throws IOException
        {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len)
                throws IOException
        {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close()
                throws IOException
        {
            flush();
        }
    }
}
