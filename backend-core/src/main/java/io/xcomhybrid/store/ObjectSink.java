package io.xcomhybrid.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Stream that creates one new object. The object becomes visible under its final location only when
 * {@link #close()} returns normally; until then, and after {@link #abort()}, nothing is visible there.
 *
 * <p>{@code close()} is idempotent. If a write or the final commit fails, the store discards what was
 * uploaded (temporary files, multipart uploads) before the exception reaches the caller.
 */
public abstract class ObjectSink
        extends OutputStream
{
    /**
     * Discards everything written so far; nothing is created. Later calls to {@code close()} do nothing.
     * Safe to call more than once and after a failed write.
     */
    public abstract void abort()
            throws IOException;

    /**
     * Attaches user metadata known only once the content is complete (for example the uncompressed size and
     * digest of the value). Called at most once, before {@code close()}. A store that cannot attach metadata
     * at that point (for example after a multipart upload has started) may ignore it; readers must treat
     * metadata as optional.
     */
    public void setMetadata(Map<String, String> metadata)
    {
    }

    /**
     * Whether {@link #setMetadata} may still store metadata. When {@code false} it is ignored, and a writer can skip
     * computing it (a digest of a large value costs about as much as compressing it with a fast codec). It may turn
     * from {@code true} to {@code false} while the object is written (an S3 upload that grows into a multipart upload,
     * whose metadata is fixed when it starts), never back; a writer checks it as it goes. Safe to call from any thread.
     */
    public boolean storesMetadata()
    {
        return true;
    }

    /**
     * Commits the object.
     *
     * @throws java.nio.file.FileAlreadyExistsException if an object already exists at the location; it is
     * never overwritten
     */
    @Override
    public abstract void close()
            throws IOException;
}
