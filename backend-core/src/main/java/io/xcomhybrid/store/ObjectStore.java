package io.xcomhybrid.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;

/**
 * Object storage for one scheme and one connection. Implementations are thread safe and are created and
 * closed by their {@link ObjectStoreFactory}; they own their SDK clients.
 *
 * <p>Every {@code IOException} names the location it is about. A missing object is reported as
 * {@link java.io.FileNotFoundException}; an exclusive create that finds an object in place as
 * {@link java.nio.file.FileAlreadyExistsException}.
 */
public interface ObjectStore
        extends Closeable
{
    /**
     * Opens a stream that creates a new object at {@code location}. The object is visible only once the
     * stream closes normally, and it is never created over an existing object: the conflict is reported as
     * {@link java.nio.file.FileAlreadyExistsException}, here or from {@link ObjectSink#close()}.
     * Parent "directories" are created as needed.
     */
    ObjectSink create(Location location)
            throws IOException;

    /**
     * Opens an object for reading, streaming its stored bytes.
     *
     * @throws java.io.FileNotFoundException if there is no object at {@code location}
     */
    ObjectSource open(Location location)
            throws IOException;

    /** Whether an object exists at exactly {@code location}. */
    boolean exists(Location location)
            throws IOException;

    /** Deletes the object at {@code location}. If there is none, this method is a noop. */
    void delete(Location location)
            throws IOException;

    /**
     * Deletes many objects; missing ones are ignored. Not atomic: on failure some may be deleted. Stores with a
     * batch API override this to send few requests.
     */
    default void deleteAll(Collection<Location> locations)
            throws IOException
    {
        for (Location location : locations) {
            delete(location);
        }
    }

    /**
     * Lists every object below {@code prefix} recursively. {@code prefix} is a directory-like location: only
     * objects whose path continues {@code prefix} at a {@code /} boundary are returned, in no particular order.
     * A prefix with no objects gives an empty listing, not an error.
     */
    ObjectIterator list(Location prefix)
            throws IOException;

    /** Releases clients and threads. Idempotent. */
    @Override
    void close()
            throws IOException;
}
