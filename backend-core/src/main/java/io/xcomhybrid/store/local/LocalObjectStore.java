package io.xcomhybrid.store.local;

import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectEntry;
import io.xcomhybrid.store.ObjectIterator;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Objects as files under {@code file://} (and {@code local://}) locations. A new object is written to a hidden
 * temporary file beside its final name and moved into place on close, so a crash never leaves a partial object
 * under a final name (the sweep deletes stale temporary files). The move fails rather than replacing an
 * existing file.
 *
 * <p>With {@code fsync} on ({@code [xcom_hybrid] local_fsync}, the default), an object is durable before
 * {@link ObjectSink#close()} returns: the temporary file's data is forced to disk before it is linked under its final
 * name, then the directory holding that name is forced, and so is the parent of every directory created for the
 * object. The backend commits the object's row only after that close, and the database forces its commit (SQLite WAL
 * with {@code synchronous=FULL}, PostgreSQL), so without the forces a power loss could leave a committed row whose
 * object is missing or empty. With {@code fsync} off (what Airflow's fsspec local writes do; or for tmpfs) a write
 * costs no disk flush, and after a power loss {@code pull} of such a row fails with an error naming the object's
 * location. Where a directory cannot be opened for forcing (Windows), that step is skipped.
 */
public final class LocalObjectStore
        implements ObjectStore
{
    static final String TEMP_PREFIX = ".xcom-tmp-";

    private final boolean fsync;
    private final ForceListener forceListener;

    /** A store that forces every object to disk before its sink's close returns. */
    public LocalObjectStore()
    {
        this(true);
    }

    /** @param fsync whether an object is forced to disk (data and directory entries) before its sink's close returns */
    public LocalObjectStore(boolean fsync)
    {
        this(fsync, (path, directory) -> {});
    }

    LocalObjectStore(boolean fsync, ForceListener forceListener)
    {
        this.fsync = fsync;
        this.forceListener = requireNonNull(forceListener, "forceListener is null");
    }

    public boolean fsync()
    {
        return fsync;
    }

    /** Told of each file or directory once it has been forced to disk (tests observe the order of forces through it). */
    interface ForceListener
    {
        void forced(Path path, boolean directory);
    }

    @Override
    public ObjectSink create(Location location)
            throws IOException
    {
        Path target = toPath(location);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(location.toString(), null, "object already exists");
        }
        createDirectories(location, target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        catch (IOException e) {
            throw new IOException("Cannot create " + location + ": " + e, e);
        }
        return new LocalSink(location, target, temp, channel);
    }

    /** Creates the object's directory and, with fsync on, forces the entries of the directories it created. */
    private void createDirectories(Location location, Path directory)
            throws IOException
    {
        try {
            if (Files.isDirectory(directory)) {
                return;
            }
            Path existing = directory;
            List<Path> created = new ArrayList<>();
            while (existing != null && !Files.isDirectory(existing)) {
                created.add(0, existing);
                existing = existing.getParent();
            }
            Files.createDirectories(directory);
            if (fsync && existing != null) {
                // each new directory's entry lives in its parent; the object's own directory is forced on close
                forceDirectory(existing);
                for (Path parent : created.subList(0, created.size() - 1)) {
                    forceDirectory(parent);
                }
            }
        }
        catch (IOException e) {
            throw new IOException("Cannot create directory for " + location + ": " + e, e);
        }
    }

    private void forceDirectory(Path directory)
            throws IOException
    {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        }
        catch (IOException e) {
            // Windows cannot open a directory as a file; NTFS journals its entries itself
            return;
        }
        try (channel) {
            channel.force(true);
        }
        forceListener.forced(directory, true);
    }

    @Override
    public ObjectSource open(Location location)
            throws IOException
    {
        Path path = toPath(location);
        InputStream in;
        try {
            in = Files.newInputStream(path);
        }
        catch (NoSuchFileException e) {
            throw new FileNotFoundException("Object not found: " + location);
        }
        catch (IOException e) {
            throw new IOException("Cannot open " + location + ": " + e, e);
        }
        if (Files.isDirectory(path)) {
            in.close();
            throw new FileNotFoundException("Object not found (a directory is there): " + location);
        }
        return new ObjectSource(location, in, Map.of());
    }

    @Override
    public boolean exists(Location location)
    {
        return Files.isRegularFile(toPath(location));
    }

    @Override
    public void delete(Location location)
            throws IOException
    {
        Path path = toPath(location);
        try {
            Files.deleteIfExists(path);
        }
        catch (DirectoryNotEmptyException e) {
            throw new IOException("Cannot delete " + location + ": it is a non-empty directory", e);
        }
        catch (IOException e) {
            throw new IOException("Cannot delete " + location + ": " + e, e);
        }
    }

    @Override
    public ObjectIterator list(Location prefix)
            throws IOException
    {
        Path root = toPath(prefix);
        if (!Files.isDirectory(root)) {
            return emptyIterator();
        }
        Deque<ObjectEntry> entries = new ArrayDeque<>();
        try (Stream<Path> files = Files.walk(root)) {
            Iterator<Path> iterator = files.iterator();
            while (iterator.hasNext()) {
                Path file = iterator.next();
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attributes.isRegularFile() || file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    continue;
                }
                String relative = root.relativize(file).toString().replace('\\', '/');
                entries.add(new ObjectEntry(prefix.appendPath(relative), attributes.size(), attributes.lastModifiedTime().toInstant()));
            }
        }
        catch (NoSuchFileException e) {
            // a concurrent delete removed part of the tree; what is left is listed on the next sweep
        }
        catch (IOException e) {
            throw new IOException("Cannot list " + prefix + ": " + e, e);
        }
        return new ObjectIterator()
        {
            @Override
            public boolean hasNext()
            {
                return !entries.isEmpty();
            }

            @Override
            public ObjectEntry next()
            {
                if (entries.isEmpty()) {
                    throw new NoSuchElementException();
                }
                return entries.removeFirst();
            }
        };
    }

    @Override
    public void close()
    {
    }

    static Path toPath(Location location)
    {
        String path = location.path();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("Local location must have an absolute path: " + location);
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("Location has a '" + segment + "' segment: " + location);
            }
        }
        return Path.of(path);
    }

    private static ObjectIterator emptyIterator()
    {
        return new ObjectIterator()
        {
            @Override
            public boolean hasNext()
            {
                return false;
            }

            @Override
            public ObjectEntry next()
            {
                throw new NoSuchElementException();
            }
        };
    }

    private final class LocalSink
            extends ObjectSink
    {
        private final Location location;
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean closed;

        LocalSink(Location location, Path target, Path temp, FileChannel channel)
        {
            this.location = location;
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b)
                throws IOException
        {
            try {
                out.write(b);
            }
            catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len)
                throws IOException
        {
            try {
                out.write(b, off, len);
            }
            catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void flush()
                throws IOException
        {
            out.flush();
        }

        @Override
        public boolean storesMetadata()
        {
            // files have no user metadata
            return false;
        }

        private IOException failed(IOException e)
        {
            IOException failure = new IOException("Cannot write " + location + ": " + e, e);
            try {
                abort();
            }
            catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
            return failure;
        }

        @Override
        public void abort()
                throws IOException
        {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            }
            finally {
                Files.deleteIfExists(temp);
            }
        }

        @Override
        public void close()
                throws IOException
        {
            if (closed) {
                return;
            }
            closed = true;
            boolean linked = false;
            try {
                if (fsync) {
                    // the data must be on disk before a name can point at it
                    channel.force(false);
                    forceListener.forced(temp, false);
                }
                out.close();
                // An atomic move may replace an existing file on POSIX, so a hard link gives the no-overwrite guarantee.
                try {
                    Files.createLink(target, temp);
                }
                catch (UnsupportedOperationException e) {
                    if (Files.exists(target)) {
                        throw new FileAlreadyExistsException(location.toString(), null, "object already exists");
                    }
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
                linked = true;
                Files.deleteIfExists(temp);
                if (fsync) {
                    // makes the new name (and the temporary file's removal) durable
                    forceDirectory(target.getParent());
                }
            }
            catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(location.toString(), null, "object already exists");
            }
            catch (IOException e) {
                IOException failure = new IOException("Cannot commit " + location + ": " + e, e);
                if (linked) {
                    // the write reports failure, so no row will reference the object: do not leave it behind
                    try {
                        Files.deleteIfExists(target);
                    }
                    catch (IOException suppressed) {
                        failure.addSuppressed(suppressed);
                    }
                }
                throw failure;
            }
            finally {
                try {
                    channel.close();
                }
                finally {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }
}
