package io.xcomhybrid.backend;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.backend.ObjectStorageSettings.UnreadableObjectPolicy;
import io.xcomhybrid.compress.Compression;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Airflow's {@code XComObjectStorageBackend}: a value whose JSON text is at least the threshold goes to
 * {@code <base>/<dag_id>/<run_id>/<task_id>/<uuid4><suffix>}, compressed, and the row holds the JSON string of that
 * location ({@code conn_id@} included); smaller values are stored in the row itself.
 *
 * <p>Reading is strict where Airflow is lenient: a row is a reference only if it is a JSON string whose scheme,
 * conn_id (or none) and path match the configured base at a segment boundary, with no empty, {@code .} or
 * {@code ..} segments after it; the object is then located from the configured base, never from the row. Any
 * other string is a plain value.
 *
 * <p>Once a value reaches the threshold, its JSON text is handed to a background thread that computes the digest
 * (for stores that keep object metadata), compresses and writes (with {@code [xcom_hybrid] compression_threads} above 0), so encoding and compression run
 * at the same time; gzip, lz4 and snappy are also compressed in blocks on several threads when that setting is above
 * 1. Reading an object likewise decompresses and verifies on a background thread, ahead of the caller's parse or copy.
 * With {@code [xcom_hybrid] encoding_threads} above 1, a long list in the value (its rows) is encoded on that many
 * threads, the caller's included. The backend owns these daemon threads ({@code xcom-hybrid-pipeline-N},
 * {@code xcom-hybrid-compress-N}, {@code xcom-hybrid-encode-N}; idle ones exit) and {@link #close()} stops them.
 */
public final class ObjectStorageXComBackend
        implements XComBackend
{
    public static final String AIRFLOW_CLASS = "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend";
    static final String METADATA_SIZE = "xcom-json-size";
    static final String METADATA_SHA256 = "xcom-json-sha256";
    private static final int PREVIEW_LIMIT = 1000;
    private static final int MAX_NAME_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(ObjectStorageXComBackend.class);
    private static final long IDLE_THREAD_SECONDS = 30;

    private final ObjectStorageSettings settings;
    private final ObjectStores stores;
    private final XComJson json;
    // created at the first spilled value, so a backend that never writes an object starts no thread
    private ExecutorService pipelineExecutor;
    private ExecutorService compressExecutor;
    private ExecutorService encodeExecutor;
    private Compression parallelCompression;
    private boolean closed;

    public ObjectStorageXComBackend(XComBackendContext context)
    {
        this(ObjectStorageSettings.from(context.config()), context.objectStores(), context.json());
    }

    public ObjectStorageXComBackend(ObjectStorageSettings settings, ObjectStores stores, XComJson json)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.json = requireNonNull(json, "json is null");
    }

    public ObjectStorageSettings settings()
    {
        return settings;
    }

    @Override
    public String name()
    {
        return AIRFLOW_CLASS;
    }

    @Override
    public Optional<Location> baseLocation()
    {
        return Optional.of(settings.base());
    }

    @Override
    public SerializedXCom serialize(XComKey key, XComPayload payload)
            throws IOException
    {
        Compression compression = settings.compression();
        ObjectStore store = stores.forLocation(settings.base());
        for (int attempt = 1; ; attempt++) {
            Location location = settings.base().appendPath(key.dagId() + "/" + key.runId() + "/" + key.taskId() + "/" + UUID.randomUUID() + compression.suffix());
            ObjectWrite write = new ObjectWrite(store, location, key);
            ThresholdOutputStream out = new ThresholdOutputStream(settings.threshold(), write::open);
            try {
                if (settings.encodingThreads() > 1) {
                    payload.writeTo(out, encodeExecutor(), settings.encodingThreads() - 1);
                }
                else {
                    payload.writeTo(out);
                }
                out.finish();
            }
            catch (IOException | RuntimeException | Error e) {
                write.abort(e);
                throw e;
            }
            if (!out.spilled()) {
                return new SerializedXCom(RowForm.encode(settings.dbForm(), payload, out.bufferedBytes(), json), Placement.DATABASE, out.size(), Optional.empty());
            }
            try {
                write.commit(out.size());
            }
            catch (FileAlreadyExistsException e) {
                if (!payload.replayable() || attempt >= MAX_NAME_ATTEMPTS) {
                    throw new IOException("Cannot write " + key + ": an object already exists at " + location
                            + (payload.replayable() ? " after " + attempt + " attempts" : " and the payload stream cannot be replayed"), e);
                }
                log.warn("Object name conflict at {}; retrying under a new name", location);
                continue;
            }
            catch (IOException e) {
                throw new IOException("Cannot write " + key + " to " + location + ": " + e.getMessage(), e);
            }
            return new SerializedXCom(json.encodeString(location.toString()), Placement.OBJECT, out.size(), Optional.of(location));
        }
    }

    @Override
    public InputStream openJson(XComKey key, byte[] stored)
            throws IOException
    {
        Optional<Location> reference = referencedLocation(stored);
        if (reference.isEmpty()) {
            return new ByteArrayInputStream(stored);
        }
        Location location = reference.get();
        ObjectSource source;
        try {
            source = stores.forLocation(location).open(location);
        }
        catch (FileNotFoundException e) {
            if (settings.onUnreadable() == UnreadableObjectPolicy.RETURN_REFERENCE) {
                log.warn("{} references a missing object {}; returning the reference string (on_unreadable_object = return_reference)", key, location);
                return new ByteArrayInputStream(stored);
            }
            throw new UnreadableXComException(key + " references an object that does not exist: " + location, e);
        }
        String description = location + " (" + key + ")";
        InputStream in;
        try {
            in = Compressions.forPath(location.path()).decompress(source);
        }
        catch (IOException e) {
            source.close();
            throw new UnreadableXComException(key + " references an object that cannot be decompressed: " + location + ": " + e.getMessage(), e);
        }
        in = new LocatedInputStream(in, description);
        Map<String, String> metadata = source.metadata();
        String size = metadata.get(METADATA_SIZE);
        String sha256 = metadata.get(METADATA_SHA256);
        if (size != null || sha256 != null) {
            long expectedSize = -1;
            try {
                expectedSize = size == null ? -1 : Long.parseLong(size);
            }
            catch (NumberFormatException ignored) {
                // metadata written by someone else; the digest still guards the content
            }
            in = new VerifyingInputStream(in, description, expectedSize, sha256);
        }
        if (settings.compressionThreads() == 0) {
            return in;
        }
        // the store, codec and digest run ahead on a pipeline thread while the caller parses (not when it copies)
        try {
            return new ReadAheadInputStream(in, pipelineExecutor(), PipelinedOutputStream.DEFAULT_CHUNK_SIZE, PipelinedOutputStream.DEFAULT_MAX_CHUNKS);
        }
        catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public XComPreview preview(XComKey key, byte[] stored)
    {
        Optional<Location> reference = referencedLocation(stored);
        if (reference.isPresent()) {
            return new XComPreview(Placement.OBJECT, reference.get().toString(), stored.length, reference);
        }
        return DatabaseXComBackend.inlinePreview(stored, PREVIEW_LIMIT);
    }

    @Override
    public Optional<Location> referencedLocation(byte[] stored)
    {
        return json.decodeString(stored).flatMap(this::resolveReference);
    }

    /** The object location a string names, rebuilt from the configured base, if it is one of this backend's references. */
    public Optional<Location> resolveReference(String text)
    {
        if (!text.contains("://")) {
            return Optional.empty();
        }
        Location candidate;
        try {
            candidate = Location.parse(text);
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Location base = settings.base();
        if (!candidate.scheme().equals(base.scheme())) {
            return Optional.empty();
        }
        if (candidate.connId().isPresent() && !candidate.connId().equals(base.connId())) {
            return Optional.empty();
        }
        String prefix = base.path().endsWith("/") ? base.path() : base.path() + "/";
        if (!candidate.path().startsWith(prefix)) {
            return Optional.empty();
        }
        String remainder = candidate.path().substring(prefix.length());
        if (remainder.isEmpty()) {
            return Optional.empty();
        }
        for (String segment : remainder.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.of(base.appendPath(remainder));
    }

    @Override
    public void purge(XComKey key, byte[] stored)
            throws IOException
    {
        Optional<Location> reference = referencedLocation(stored);
        if (reference.isPresent()) {
            stores.forLocation(reference.get()).delete(reference.get());
        }
    }

    @Override
    public void purgeAll(List<StoredXCom> rows)
            throws IOException
    {
        Map<ObjectStore, List<Location>> byStore = new LinkedHashMap<>();
        for (StoredXCom row : rows) {
            Optional<Location> reference = referencedLocation(row.value());
            if (reference.isPresent()) {
                byStore.computeIfAbsent(stores.forLocation(reference.get()), ignored -> new ArrayList<>()).add(reference.get());
            }
        }
        for (Map.Entry<ObjectStore, List<Location>> entry : byStore.entrySet()) {
            entry.getKey().deleteAll(entry.getValue());
        }
    }

    @Override
    public void close()
    {
        ExecutorService pipeline;
        ExecutorService gzip;
        ExecutorService encode;
        synchronized (this) {
            closed = true;
            pipeline = pipelineExecutor;
            gzip = compressExecutor;
            encode = encodeExecutor;
        }
        // pushes still running finish; their threads then exit
        if (pipeline != null) {
            pipeline.shutdown();
        }
        if (gzip != null) {
            gzip.shutdown();
        }
        if (encode != null) {
            encode.shutdown();
        }
    }

    /** The compression for one object: with {@code compression_threads} of 2 or more, the codec's parallel form if it has one. */
    private synchronized Compression compressionForObject()
            throws IOException
    {
        Compression compression = settings.compression();
        if (settings.compressionThreads() < 2) {
            return compression;
        }
        if (parallelCompression == null) {
            ensureOpen();
            // the pool starts with the first block: a codec without a parallel form never starts it
            parallelCompression = compression.parallel(task -> compressExecutor().execute(task), settings.compressionThreads()).orElse(compression);
        }
        return parallelCompression;
    }

    private synchronized ExecutorService compressExecutor()
    {
        if (compressExecutor == null) {
            if (closed) {
                throw new RejectedExecutionException("The object-storage XCom backend is closed");
            }
            compressExecutor = idleExitingPool(settings.compressionThreads(), "xcom-hybrid-compress-");
        }
        return compressExecutor;
    }

    private synchronized ExecutorService encodeExecutor()
            throws IOException
    {
        if (encodeExecutor == null) {
            ensureOpen();
            // its own threads: an encoding helper waits for the caller's thread, which may wait for the compression pool
            encodeExecutor = idleExitingPool(settings.encodingThreads() - 1, "xcom-hybrid-encode-");
        }
        return encodeExecutor;
    }

    /** A pool of {@code threads} daemon threads that exit when idle, so an idle backend holds none. */
    private static ExecutorService idleExitingPool(int threads, String namePrefix)
    {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads(namePrefix));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private synchronized ExecutorService pipelineExecutor()
            throws IOException
    {
        if (pipelineExecutor == null) {
            ensureOpen();
            // one thread per value being written at the same time; idle threads exit
            ThreadPoolExecutor executor = (ThreadPoolExecutor) Executors.newCachedThreadPool(daemonThreads("xcom-hybrid-pipeline-"));
            executor.setKeepAliveTime(IDLE_THREAD_SECONDS, TimeUnit.SECONDS);
            pipelineExecutor = executor;
        }
        return pipelineExecutor;
    }

    private void ensureOpen()
            throws IOException
    {
        if (closed) {
            throw new IOException("The object-storage XCom backend is closed");
        }
    }

    private static ThreadFactory daemonThreads(String prefix)
    {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One attempt at writing an object: opened lazily when the value reaches the threshold. The JSON text goes
     * through the SHA-256 digest (when the sink stores metadata) and the codec to the sink, on a pipeline thread
     * unless compression_threads is 0.
     */
    private final class ObjectWrite
    {
        private final ObjectStore store;
        private final Location location;
        private final XComKey key;
        // null when the store keeps no metadata to record it in
        private MetadataDigestOutputStream digest;
        private ObjectSink sink;
        private OutputStream compressed;
        private PipelinedOutputStream pipeline;

        ObjectWrite(ObjectStore store, Location location, XComKey key)
        {
            this.store = store;
            this.location = location;
            this.key = key;
        }

        OutputStream open()
                throws IOException
        {
            Compression compression = compressionForObject();
            sink = store.create(location);
            try {
                compressed = compression.compress(new LocatedOutputStream(sink, location));
                OutputStream digesting = compressed;
                if (sink.storesMetadata()) {
                    digest = new MetadataDigestOutputStream(compressed, sink);
                    digesting = digest;
                }
                if (settings.compressionThreads() == 0) {
                    return digesting;
                }
                pipeline = new PipelinedOutputStream(digesting, pipelineExecutor(), location + " (" + key + ")");
                return pipeline;
            }
            catch (IOException | RuntimeException e) {
                sink.abort();
                throw e;
            }
        }

        void commit(long size)
                throws IOException
        {
            try {
                if (pipeline != null) {
                    pipeline.finish();
                }
                if (digest != null) {
                    // empty when the sink stopped storing metadata (an S3 upload that went multipart)
                    digest.hexDigest().ifPresent(sha256 -> sink.setMetadata(Map.of(METADATA_SIZE, Long.toString(size), METADATA_SHA256, sha256)));
                }
                // finishes the compressed format, then closes (commits) the sink
                compressed.close();
            }
            catch (IOException | RuntimeException e) {
                abort(e);
                throw e;
            }
        }

        void abort(Throwable failure)
        {
            if (pipeline != null) {
                // the sink must not be discarded while the pipeline thread may still write to it
                pipeline.cancel();
            }
            if (sink == null) {
                return;
            }
            try {
                sink.abort();
            }
            catch (IOException | RuntimeException e) {
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /**
     * Digests the JSON text on its way to the codec for as long as the sink may still store the digest; once the sink
     * says it will not (an upload that went multipart), the digest is dropped and the rest passes through undigested.
     */
    private static final class MetadataDigestOutputStream
            extends FilterOutputStream
    {
        private final ObjectSink sink;
        private MessageDigest digest = sha256();

        MetadataDigestOutputStream(OutputStream out, ObjectSink sink)
        {
            super(out);
            this.sink = sink;
        }

        @Override
        public void write(int b)
                throws IOException
        {
            if (digesting()) {
                digest.update((byte) b);
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len)
                throws IOException
        {
            if (digesting()) {
                digest.update(b, off, len);
            }
            out.write(b, off, len);
        }

        private boolean digesting()
        {
            if (digest != null && !sink.storesMetadata()) {
                digest = null;
            }
            return digest != null;
        }

        /** The hex SHA-256 of everything written, if the sink can still store it. */
        Optional<String> hexDigest()
        {
            return digesting() ? Optional.of(HexFormat.of().formatHex(digest.digest())) : Optional.empty();
        }
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the object location to write errors raised by compressors and stores that do not name it. */
    private static final class LocatedOutputStream
            extends FilterOutputStream
    {
        private final Location location;

        LocatedOutputStream(OutputStream out, Location location)
        {
            super(out);
            this.location = location;
        }

        @Override
        public void write(byte[] b, int off, int len)
                throws IOException
        {
            out.write(b, off, len);
        }

        @Override
        public void close()
                throws IOException
        {
            try {
                out.close();
            }
            catch (FileAlreadyExistsException e) {
                throw e;
            }
            catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains(location.toString())) {
                    throw e;
                }
                throw new IOException("Cannot commit " + location + ": " + e.getMessage(), e);
            }
        }
    }

    /** Adds the object location and XCom to read errors (corrupt data, dropped connections). */
    private static final class LocatedInputStream
            extends FilterInputStream
    {
        private final String description;

        LocatedInputStream(InputStream in, String description)
        {
            super(in);
            this.description = description;
        }

        @Override
        public int read()
                throws IOException
        {
            try {
                return super.read();
            }
            catch (IOException e) {
                throw located(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len)
                throws IOException
        {
            try {
                return super.read(b, off, len);
            }
            catch (IOException e) {
                throw located(e);
            }
        }

        private IOException located(IOException e)
        {
            return new IOException("Cannot read " + description + ": " + e.getMessage(), e);
        }
    }
}
