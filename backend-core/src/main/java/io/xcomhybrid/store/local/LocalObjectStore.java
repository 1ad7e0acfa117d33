package io.xcomhybrid.store.local;

import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.LookaheadObjectIterator;
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
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Objects as files under {@code file://} (and {@code local://}) locations. A new object is written to a hidden
 * temporary file beside its final name and moved into place on close, so a crash never leaves a partial object
 * under a final name (the sweep deletes stale temporary files). The move fails rather than replacing an
 * existing file.
 *
 * <p>With {@code fsync} on ({@code [xcom_hybrid] local_fsync}, the default), an object is durable before
 * {@link ObjectSink#close()} returns: the temporary file's data is forced to disk before it is linked under its final
 * name, then the directory holding that name is forced, and so is the parent of every directory on the object's path,
 * up to the root, whose entry this store has not forced before (whoever created it). The backend commits the
 * object's row only after that close, and the database forces its commit (SQLite WAL with {@code synchronous=FULL},
 * PostgreSQL), so without the forces a power loss could leave a committed row whose
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
    private final DirectoryListener directoryListener;
    private final DurableDirectories durableDirectories = new DurableDirectories();

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
        this(fsync, forceListener, directory -> {});
    }

    LocalObjectStore(boolean fsync, ForceListener forceListener, DirectoryListener directoryListener)
    {
        this.fsync = fsync;
        this.forceListener = requireNonNull(forceListener, "forceListener is null");
        this.directoryListener = requireNonNull(directoryListener, "directoryListener is null");
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

    /**
     * Creates the object's directory and, with fsync on, makes the path to it durable: for each directory on the path
     * that this store has not made durable itself, its parent is forced, up to the file system's root. A directory
     * found in place is not proof: the writer that created it may not have forced its parent yet (or may have crashed
     * before doing so). Directories made durable are remembered by path and file key (device and inode), so a store
     * forces each ancestor once, and a directory replaced by another writer is forced again. The one gap: another
     * process removes a directory and creates it anew with the same inode number, and this store pushes into it before
     * that writer forced its parent.
     */
    private void createDirectories(Location location, Path directory)
            throws IOException
    {
        try {
            // the directories this call creates are forced whatever the store remembers (a file key can be reused)
            Path existing = directory;
            while (existing != null && !Files.isDirectory(existing)) {
                existing = existing.getParent();
            }
            if (existing != directory) {
                Files.createDirectories(directory);
            }
            if (!fsync) {
                return;
            }
            List<Path> unproven = new ArrayList<>();
            List<Object> keys = new ArrayList<>();
            for (Path current = directory; current != null; current = current.getParent()) {
                Object key = Files.readAttributes(current, BasicFileAttributes.class).fileKey();
                boolean created = existing == null || current.getNameCount() > existing.getNameCount();
                if (!created && durableDirectories.isDurable(current, key)) {
                    break;
                }
                unproven.add(current);
                keys.add(key);
            }
            // top down; each directory's entry lives in its parent (the object's own directory is forced on close)
            for (int i = unproven.size() - 1; i >= 0; i--) {
                Path parent = unproven.get(i).getParent();
                if (parent != null) {
                    forceDirectory(parent);
                }
            }
            for (int i = 0; i < unproven.size(); i++) {
                durableDirectories.add(unproven.get(i), keys.get(i));
            }
        }
        catch (IOException e) {
            throw new IOException("Cannot create directory for " + location + ": " + e, e);
        }
    }

    /** Directories whose entries, and their ancestors' entries, this store has forced; bounded, least recently used out. */
    private static final class DurableDirectories
    {
        private static final int CAPACITY = 4096;

        private final Map<Path, Object> keys = new LinkedHashMap<>(16, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, Object> eldest)
            {
                return size() > CAPACITY;
            }
        };

        synchronized boolean isDurable(Path directory, Object fileKey)
        {
            return keys.containsKey(directory) && Objects.equals(keys.get(directory), fileKey);
        }

        synchronized void add(Path directory, Object fileKey)
        {
            keys.put(directory, fileKey);
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

    /**
     * Walks the tree depth first, each directory's names in sorted order, reading one directory at a time: memory holds
     * the names read from the directories on the current path (the not yet listed ones; so a task instance's directory
     * of many objects is held whole, to sort it), never the whole listing, and no directory stays open between calls
     * (an iterator that is not read to the end holds no file handle). The files of one directory with no
     * subdirectories (a task instance's objects) come one after another. Entries removed while the walk runs are
     * skipped; entries added may or may not be listed.
     */
    @Override
    public ObjectIterator list(Location prefix)
            throws IOException
    {
        Path root = toPath(prefix);
        if (!Files.isDirectory(root)) {
            return emptyIterator();
        }
        return new TreeIterator(prefix, root);
    }

    /** Package-private so tests can watch the walk read directories one at a time. */
    interface DirectoryListener
    {
        void read(Path directory);
    }

    private final class TreeIterator
            extends LookaheadObjectIterator
    {
        private final Location prefix;
        private final Deque<Directory> stack = new ArrayDeque<>();

        TreeIterator(Location prefix, Path root)
                throws IOException
        {
            this.prefix = prefix;
            Optional<String[]> names = readNames(root);
            names.ifPresent(value -> stack.push(new Directory(root, "", value)));
        }

        @Override
        protected ObjectEntry computeNext()
                throws IOException
        {
            while (!stack.isEmpty()) {
                Directory directory = stack.peek();
                if (directory.position == directory.names.length) {
                    stack.pop();
                    continue;
                }
                String name = directory.names[directory.position];
                // drop the reference so that a wide directory's names are freed as the walk goes
                directory.names[directory.position++] = null;
                if (name.startsWith(TEMP_PREFIX)) {
                    continue;
                }
                Path path = directory.path.resolve(name);
                String relative = directory.relative + name;
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isSymbolicLink()) {
                        // a link to a file lists as that file; a link to a directory is not followed (no cycles)
                        attributes = Files.readAttributes(path, BasicFileAttributes.class);
                        if (!attributes.isRegularFile()) {
                            continue;
                        }
                    }
                }
                catch (NoSuchFileException e) {
                    // removed since its directory was read
                    continue;
                }
                catch (IOException e) {
                    throw new IOException("Cannot list " + prefix + ": " + e, e);
                }
                if (attributes.isDirectory()) {
                    Optional<String[]> names = readNames(path);
                    names.ifPresent(value -> stack.push(new Directory(path, relative + "/", value)));
                }
                else if (attributes.isRegularFile()) {
                    return new ObjectEntry(prefix.appendPath(relative), attributes.size(), attributes.lastModifiedTime().toInstant());
                }
            }
            return null;
        }

        /** The sorted names in one directory, or empty if it was removed meanwhile. */
        private Optional<String[]> readNames(Path directory)
                throws IOException
        {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    names.add(entry.getFileName().toString());
                }
            }
            catch (NoSuchFileException | NotDirectoryException e) {
                return Optional.empty();
            }
            catch (DirectoryIteratorException e) {
                throw new IOException("Cannot list " + prefix + ": " + e.getCause(), e.getCause());
            }
            catch (IOException e) {
                throw new IOException("Cannot list " + prefix + ": " + e, e);
            }
            directoryListener.read(directory);
            String[] sorted = names.toArray(String[]::new);
            Arrays.sort(sorted);
            return Optional.of(sorted);
        }
    }

    private static final class Directory
    {
        final Path path;
        final String relative;
        final String[] names;
        int position;

        Directory(Path path, String relative, String[] names)
        {
            this.path = path;
            this.relative = relative;
            this.names = names;
        }
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
