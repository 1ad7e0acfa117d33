package io.xcomhybrid.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * Uploads one object. The first {@code chunkSize} bytes are buffered: if the stream closes within them, the object
 * is created with a single request that carries the user metadata and the CRC32C. Otherwise a resumable upload
 * session is started and every further chunk goes out as it fills (the client library buffers one chunk), so memory
 * stays bounded whatever the object size.
 *
 * <p>Both paths send {@code ifGenerationMatch=0}: GCS refuses to create the object if one exists (HTTP 412,
 * reported as {@link java.nio.file.FileAlreadyExistsException}). The object only exists once the upload is finalized
 * in {@link #close()}.
 *
 * <p>A resumable session fixes the object's metadata when it starts, before {@link #setMetadata} is called, so on that
 * path the metadata is attached after finalization with an update guarded by the new generation and
 * metageneration; the object is briefly visible without it, and if the update is refused (a principal with
 * {@code roles/storage.objectCreator} may create but not update objects) the object is kept and a warning is logged,
 * as metadata is optional for readers.
 *
 * <p>The CRC32C of the bytes is computed while streaming and compared with the one GCS stores; on a mismatch the new
 * generation is deleted and {@code close()} fails.
 *
 * <p>{@link #abort()} never finalizes: nothing becomes visible. Chunks already sent to a resumable session stay in
 * the unfinished session until GCS discards it (after a week); they are never readable.
 */
final class GcsObjectSink
        extends ObjectSink
{
    private static final Logger log = LoggerFactory.getLogger(GcsObjectSink.class);
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final GcsObjectStore store;
    private final Storage storage;
    private final Location location;
    private final BlobId blobId;
    private final CRC32C crc32c = new CRC32C();
    private byte[] buffer;
    private int buffered;
    private BlobWriteSession session;
    private WritableByteChannel channel;
    private Map<String, String> metadata = Map.of();
    private boolean closed;

    GcsObjectSink(GcsObjectStore store, Location location, BlobId blobId, int chunkSize)
    {
        this.store = requireNonNull(store, "store is null");
        this.storage = store.storage();
        this.location = requireNonNull(location, "location is null");
        this.blobId = requireNonNull(blobId, "blobId is null");
        this.buffer = new byte[chunkSize];
    }

    @Override
    public void write(int b)
            throws IOException
    {
        if (!closed && channel == null && buffered < buffer.length) {
            buffer[buffered++] = (byte) b;
            crc32c.update(b);
            return;
        }
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("Upload of " + location + " is already closed or aborted");
        }
        crc32c.update(bytes, offset, length);
        try {
            if (channel == null) {
                int copied = Math.min(length, buffer.length - buffered);
                System.arraycopy(bytes, offset, buffer, buffered, copied);
                buffered += copied;
                offset += copied;
                length -= copied;
                if (length == 0) {
                    return;
                }
                startResumableUpload();
            }
            writeFully(ByteBuffer.wrap(bytes, offset, length));
        }
        catch (IOException | StorageException e) {
            throw failed(e, "write");
        }
    }

    private void startResumableUpload()
            throws IOException
    {
        BlobInfo info = BlobInfo.newBuilder(blobId).setContentType(CONTENT_TYPE).build();
        session = storage.blobWriteSession(info, BlobWriteOption.doesNotExist());
        channel = session.open();
        writeFully(ByteBuffer.wrap(buffer, 0, buffered));
        buffer = null;
    }

    private void writeFully(ByteBuffer data)
            throws IOException
    {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    @Override
    public void setMetadata(Map<String, String> metadata)
    {
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public void abort()
    {
        if (closed) {
            return;
        }
        closed = true;
        // Dropping the channel unclosed leaves the resumable session unfinalized: no object is created.
        buffer = null;
        channel = null;
        session = null;
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        BlobInfo created;
        try {
            if (channel == null) {
                BlobInfo info = BlobInfo.newBuilder(blobId)
                        .setContentType(CONTENT_TYPE)
                        .setMetadata(metadata.isEmpty() ? null : metadata)
                        .setCrc32c(crc32cBase64())
                        .build();
                created = storage.create(info, buffer, 0, buffered, BlobTargetOption.doesNotExist());
            }
            else {
                channel.close();
                created = result();
            }
        }
        catch (IOException | StorageException e) {
            throw failed(e, "create");
        }
        finally {
            closed = true;
            buffer = null;
        }
        verifyChecksum(created);
        if (session != null && !metadata.isEmpty()) {
            attachMetadata(created);
        }
    }

    private BlobInfo result()
            throws IOException
    {
        try {
            return session.getResult().get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while finishing the upload of " + location);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof StorageException storageException) {
                throw storageException;
            }
            throw new IOException("Failed to finish the upload of " + location + ": " + e.getCause(), e.getCause());
        }
    }

    private void verifyChecksum(BlobInfo created)
            throws IOException
    {
        String expected = crc32cBase64();
        String stored = created.getCrc32c();
        if (stored == null || stored.equals(expected)) {
            return;
        }
        IOException failure = new IOException("CRC32C mismatch after uploading " + location + ": sent " + expected + ", GCS stored "
                + stored + "; the corrupt object was deleted");
        try {
            storage.delete(BlobId.of(blobId.getBucket(), blobId.getName(), created.getGeneration()), Storage.BlobSourceOption.generationMatch());
        }
        catch (StorageException e) {
            failure.addSuppressed(e);
        }
        throw failure;
    }

    private void attachMetadata(BlobInfo created)
    {
        try {
            storage.update(created.toBuilder().setMetadata(metadata).build(),
                    BlobTargetOption.generationMatch(),
                    BlobTargetOption.metagenerationMatch());
        }
        catch (StorageException e) {
            log.warn("Created {} but could not attach its metadata {}: {}", location, metadata.keySet(), store.translate(e, location, "update metadata of").getMessage());
        }
    }

    private String crc32cBase64()
    {
        int value = (int) crc32c.getValue();
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(value).array());
    }

    private IOException failed(Exception e, String action)
    {
        abort();
        if (e instanceof StorageException storageException) {
            return translateCreate(storageException, action);
        }
        if (e.getCause() instanceof StorageException storageException) {
            return translateCreate(storageException, action);
        }
        if (e instanceof InterruptedIOException interrupted) {
            return interrupted;
        }
        return new IOException("Failed to " + action + " " + location + ": " + e.getMessage(), e);
    }

    private IOException translateCreate(StorageException e, String action)
    {
        if (e.getCode() == 404 && store.bucketMissing(location)) {
            IOException notFound = new FileNotFoundException("Bucket does not exist: gs://" + location.bucket() + " (creating " + location + ")");
            notFound.initCause(e);
            return notFound;
        }
        return store.translate(e, location, action);
    }
}
