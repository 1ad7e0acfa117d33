package io.xcomhybrid.store;

import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link ObjectStore} passes. A concrete test supplies a store and a fresh root location for each
 * test (a temp folder, or a unique prefix in a bucket); capability flags switch off what a server cannot do, with a
 * comment saying why.
 */
public abstract class AbstractObjectStoreTest
{
    /** The store under test; created once per test class by the subclass. */
    protected abstract ObjectStore store();

    /** A location under which this test may create objects; unique per call so tests do not interfere. */
    protected abstract Location newRoot();

    /** Size that exercises the store's multi-part or chunked write path. */
    protected int largeObjectSize()
    {
        return 12 * 1024 * 1024 + 17;
    }

    protected Location newLocation(String name)
    {
        return newRoot().appendPath(name);
    }

    protected static byte[] randomBytes(int size, long seed)
    {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected void write(Location location, byte[] data)
            throws IOException
    {
        try (ObjectSink sink = store().create(location)) {
            sink.write(data);
        }
    }

    protected byte[] read(Location location)
            throws IOException
    {
        try (InputStream in = store().open(location)) {
            return in.readAllBytes();
        }
    }

    @Test
    public void writeThenReadSmallObject()
            throws IOException
    {
        Location location = newLocation("dag/run/task/" + UUID.randomUUID() + ".gz");
        byte[] data = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        write(location, data);
        assertThat(read(location)).isEqualTo(data);
        assertThat(store().exists(location)).isTrue();
    }

    @Test
    public void writeThenReadEmptyObject()
            throws IOException
    {
        Location location = newLocation("empty");
        write(location, new byte[0]);
        assertThat(read(location)).isEmpty();
        assertThat(store().exists(location)).isTrue();
    }

    @Test
    public void writeThenReadLargeObjectInSmallWrites()
            throws IOException
    {
        Location location = newLocation("large.bin");
        byte[] data = randomBytes(largeObjectSize(), 42);
        try (ObjectSink sink = store().create(location)) {
            for (int offset = 0; offset < data.length; ) {
                int length = Math.min(7919, data.length - offset);
                sink.write(data, offset, length);
                offset += length;
            }
        }
        assertThat(read(location)).isEqualTo(data);
    }

    @Test
    public void pathWithAirflowRunIdCharacters()
            throws IOException
    {
        Location location = newLocation("my_dag/manual__2024-01-01T00:00:00+00:00/my task/" + UUID.randomUUID() + ".json");
        write(location, new byte[] {1, 2, 3});
        assertThat(read(location)).containsExactly(1, 2, 3);
        List<Location> listed = listLocations(location.parent());
        assertThat(listed).containsExactly(location);
    }

    @Test
    public void objectIsInvisibleUntilClose()
            throws IOException
    {
        Location location = newLocation("pending");
        ObjectSink sink = store().create(location);
        sink.write(randomBytes(1024, 1));
        assertThat(store().exists(location)).isFalse();
        sink.close();
        assertThat(store().exists(location)).isTrue();
    }

    @Test
    public void abortLeavesNothing()
            throws IOException
    {
        Location location = newLocation("aborted");
        ObjectSink sink = store().create(location);
        sink.write(randomBytes(largeObjectSize(), 7));
        sink.abort();
        sink.close();
        assertThat(store().exists(location)).isFalse();
        assertThat(listLocations(newRootOf(location))).isEmpty();
    }

    @Test
    public void closeIsIdempotent()
            throws IOException
    {
        Location location = newLocation("twice");
        ObjectSink sink = store().create(location);
        sink.write(1);
        sink.close();
        sink.close();
        assertThat(read(location)).containsExactly(1);
    }

    @Test
    public void createNeverOverwrites()
            throws IOException
    {
        Location location = newLocation("exclusive");
        write(location, new byte[] {1});
        assertThatThrownBy(() -> write(location, new byte[] {2}))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(location.toString());
        assertThat(read(location)).containsExactly(1);
    }

    @Test
    public void openMissingObject()
    {
        Location location = newLocation("missing");
        assertThatThrownBy(() -> read(location))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining(location.toString());
    }

    @Test
    public void existsOnMissingObject()
            throws IOException
    {
        assertThat(store().exists(newLocation("nothing-here"))).isFalse();
    }

    @Test
    public void deleteRemovesObjectAndIgnoresMissing()
            throws IOException
    {
        Location location = newLocation("to-delete");
        write(location, new byte[] {1});
        store().delete(location);
        assertThat(store().exists(location)).isFalse();
        store().delete(location);
    }

    @Test
    public void deleteAllRemovesOnlyTheGivenObjects()
            throws IOException
    {
        Location root = newRoot();
        List<Location> doomed = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Location location = root.appendPath("d/" + i);
            write(location, new byte[] {(byte) i});
            doomed.add(location);
        }
        Location kept = root.appendPath("d/kept");
        write(kept, new byte[] {9});
        doomed.add(root.appendPath("d/never-written"));
        store().deleteAll(doomed);
        assertThat(listLocations(root)).containsExactly(kept);
    }

    @Test
    public void listIsRecursiveAndRespectsSegmentBoundary()
            throws IOException
    {
        Location root = newRoot();
        Location a = root.appendPath("dag/run/a");
        Location b = root.appendPath("dag/run/sub/b");
        Location sibling = root.appendPath("dag/run2/c");
        write(a, new byte[] {1, 2});
        write(b, new byte[] {3});
        write(sibling, new byte[] {4});

        List<ObjectEntry> entries = list(root.appendPath("dag/run"));
        assertThat(entries).extracting(ObjectEntry::location).containsExactlyInAnyOrder(a, b);
        assertThat(entries).filteredOn(entry -> entry.location().equals(a)).singleElement()
                .satisfies(entry -> assertThat(entry.size()).isEqualTo(2));
        assertThat(listLocations(root.appendPath("dag/run"))).doesNotContain(sibling);
    }

    @Test
    public void listOfMissingPrefixIsEmpty()
            throws IOException
    {
        assertThat(list(newRoot().appendPath("nothing"))).isEmpty();
    }

    @Test
    public void listPaginates()
            throws IOException
    {
        Location root = newRoot();
        int count = listPageTestSize();
        for (int i = 0; i < count; i++) {
            write(root.appendPath("many/" + i), new byte[0]);
        }
        assertThat(list(root.appendPath("many"))).hasSize(count);
    }

    /** Objects written by {@link #listPaginates}; above a page of the server's listing API. */
    protected int listPageTestSize()
    {
        return 1010;
    }

    protected Location newRootOf(Location location)
    {
        return location.parent();
    }

    protected List<ObjectEntry> list(Location prefix)
            throws IOException
    {
        List<ObjectEntry> entries = new ArrayList<>();
        ObjectIterator iterator = store().list(prefix);
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }

    protected List<Location> listLocations(Location prefix)
            throws IOException
    {
        return list(prefix).stream().map(ObjectEntry::location).toList();
    }
}
