package io.xcomhybrid.store.local;

import io.xcomhybrid.store.AbstractObjectStoreTest;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestLocalObjectStore
        extends AbstractObjectStoreTest
{
    @TempDir
    Path temp;

    private ObjectStore store;
    private final List<Forced> forced = Collections.synchronizedList(new ArrayList<>());

    /** A file or directory forced to disk, with what the directory held at that moment. */
    private record Forced(Path path, boolean directory, long size, List<String> names) {}

    /** Whether the store under test forces objects to disk; {@link TestLocalObjectStoreWithoutFsync} says no. */
    protected boolean fsync()
    {
        return true;
    }

    @BeforeAll
    void setUp()
    {
        store = new LocalObjectStore(fsync(), (path, directory) -> forced.add(new Forced(path, directory, sizeOf(path), namesIn(directory ? path : path.getParent()))));
    }

    private static long sizeOf(Path path)
    {
        try {
            return Files.size(path);
        }
        catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static List<String> namesIn(Path directory)
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
        catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @AfterAll
    void tearDown()
            throws IOException
    {
        store.close();
    }

    @Override
    protected ObjectStore store()
    {
        return store;
    }

    @Override
    protected Location newRoot()
    {
        return Location.parse("file://" + temp.toAbsolutePath() + "/" + UUID.randomUUID());
    }

    @Test
    void partialWriteLeavesOnlyTemporaryFile()
            throws IOException
    {
        Location location = newLocation("crash/object.gz");
        ObjectSink sink = store.create(location);
        sink.write(new byte[] {1, 2, 3});
        sink.flush();
        // simulated crash: the sink is never closed
        Path folder = Path.of(location.parent().path());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .singleElement()
                    .satisfies(name -> assertThat(name).startsWith(LocalObjectStore.TEMP_PREFIX));
        }
        assertThat(store.exists(location)).isFalse();
        assertThat(list(location.parent())).isEmpty();
        sink.abort();
    }

    @Test
    void filesKeepNoMetadata()
            throws IOException
    {
        // the backend skips the SHA-256 of a value when its sink says so
        Location location = newLocation("metadata/object.lz4");
        try (ObjectSink sink = store.create(location)) {
            assertThat(sink.storesMetadata()).isFalse();
            sink.write(new byte[] {1, 2, 3});
            sink.setMetadata(Map.of("xcom-json-size", "3"));
        }
        try (ObjectSource source = store.open(location)) {
            assertThat(source.metadata()).isEmpty();
            assertThat(source.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void rejectsDotSegments()
    {
        Location location = Location.parse("file://" + temp.toAbsolutePath() + "/a/../b");
        assertThatThrownBy(() -> store.open(location))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'..'");
    }

    @Test
    void forcesDataBeforeLinkingThenTheDirectoriesThatGainedEntries()
            throws IOException
    {
        Location root = newRoot();
        Path rootPath = Path.of(root.path());
        Location location = root.appendPath("dag/run/object.lz4");
        forced.clear();
        try (ObjectSink sink = store.create(location)) {
            sink.write(new byte[1000]);
        }
        assertThat(read(location)).hasSize(1000);
        if (!fsync()) {
            assertThat(forced).isEmpty();
            return;
        }
        // create: the parent of each new directory (root, root/dag, root/dag/run are new; temp existed)
        assertThat(forced.subList(0, 3)).extracting(Forced::path).containsExactly(temp.toAbsolutePath(), rootPath, rootPath.resolve("dag"));
        assertThat(forced.subList(0, 3)).allMatch(Forced::directory);
        // close: the temporary file with all its bytes before the object's name exists ...
        Forced data = forced.get(3);
        assertThat(data.directory()).isFalse();
        assertThat(data.path().getFileName().toString()).startsWith(LocalObjectStore.TEMP_PREFIX);
        assertThat(data.size()).isEqualTo(1000);
        assertThat(data.names()).containsExactly(data.path().getFileName().toString());
        // ... then the object's directory, holding the final name and no temporary file
        Forced directory = forced.get(4);
        assertThat(directory.path()).isEqualTo(rootPath.resolve("dag/run"));
        assertThat(directory.directory()).isTrue();
        assertThat(directory.names()).containsExactly("object.lz4");
        assertThat(forced).hasSize(5);

        // into an existing directory: only the data and that directory
        forced.clear();
        write(root.appendPath("dag/run/second.lz4"), new byte[] {1});
        assertThat(forced).extracting(Forced::path).containsExactly(forced.get(0).path(), rootPath.resolve("dag/run"));
        assertThat(forced.get(0).directory()).isFalse();
        assertThat(forced.get(1).names()).containsExactly("object.lz4", "second.lz4");
    }

    @Test
    void abortedWriteForcesNothingAndLeavesNothing()
            throws IOException
    {
        Location location = newLocation("aborted-force/object.lz4");
        ObjectSink sink = store.create(location);
        forced.clear();
        sink.write(new byte[] {1, 2, 3});
        sink.abort();
        assertThat(forced).isEmpty();
        assertThat(store.exists(location)).isFalse();
        assertThat(namesIn(Path.of(location.parent().path()))).isEmpty();
    }
}
