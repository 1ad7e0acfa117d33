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
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under {@code file://} (and {@code local://}) locations. A new object is written to a hidden
 * temporary file beside its final name and moved into place on close, so a crash never leaves a partial object
 * under a final name (the sweep deletes stale temporary files). The move fails rather than replacing an
 * existing file.
 */
public final class LocalObjectStore
        implements ObjectStore
{
    static final String TEMP_PREFIX = ".xcom-tmp-";

    @Override
    public ObjectSink create(Location location)
            throws IOException
    {
        Path target = toPath(location);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(location.toString(), null, "object already exists");
        }
        try {
            Files.createDirectories(target.getParent());
        }
        catch (IOException e) {
            throw new IOException("Cannot create directory for " + location + ": " + e, e);
        }
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
        OutputStream out;
        try {
            out = Files.newOutputStream(temp);
        }
        catch (IOException e) {
            throw new IOException("Cannot create " + location + ": " + e, e);
        }
        return new LocalSink(location, target, temp, out);
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

    private static final class LocalSink
            extends ObjectSink
    {
        private final Location location;
        private final Path target;
        private final Path temp;
        private final OutputStream out;
        private boolean closed;

        LocalSink(Location location, Path target, Path temp, OutputStream out)
        {
            this.location = location;
            this.target = target;
            this.temp = temp;
            this.out = out;
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
            try {
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
            }
            catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(location.toString(), null, "object already exists");
            }
            catch (IOException e) {
                throw new IOException("Cannot commit " + location + ": " + e, e);
            }
            finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
