package io.xcomhybrid.store.local;

import io.xcomhybrid.store.AbstractObjectStoreTest;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectIterator;
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
        store = recordingStore(forced);
    }

    /** A new store (as in a new process: it has made no directory durable yet) that records its forces in {@code into}. */
    private LocalObjectStore recordingStore(List<Forced> into)
    {
        return new LocalObjectStore(fsync(), (path, directory) -> into.add(new Forced(path, directory, sizeOf(path), namesIn(directory ? path : path.getParent()))));
    }

    /** {@code directory} and its ancestors, from the file system's root down. */
    private static List<Path> pathFromRoot(Path directory)
    {
        List<Path> path = new ArrayList<>();
        for (Path current = directory; current != null; current = current.getParent()) {
            path.add(0, current);
        }
        return path;
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
        List<Forced> forced = Collections.synchronizedList(new ArrayList<>());
        LocalObjectStore store = recordingStore(forced);
        Location root = newRoot();
        Path rootPath = Path.of(root.path());
        Location location = root.appendPath("dag/run/object.lz4");
        try (ObjectSink sink = store.create(location)) {
            sink.write(new byte[1000]);
        }
        assertThat(read(location)).hasSize(1000);
        if (!fsync()) {
            assertThat(forced).isEmpty();
            return;
        }
        // create: the parent of each directory on the path, top down (root, root/dag, root/dag/run are new; the
        // directories above them are not known to this new store to be durable either)
        List<Path> parents = pathFromRoot(rootPath.resolve("dag"));
        int created = parents.size();
        assertThat(forced.subList(0, created)).extracting(Forced::path).containsExactlyElementsOf(parents);
        assertThat(forced.subList(created - 3, created)).extracting(Forced::path).containsExactly(temp.toAbsolutePath(), rootPath, rootPath.resolve("dag"));
        assertThat(forced.subList(0, created)).allMatch(Forced::directory);
        // close: the temporary file with all its bytes before the object's name exists ...
        Forced data = forced.get(created);
        assertThat(data.directory()).isFalse();
        assertThat(data.path().getFileName().toString()).startsWith(LocalObjectStore.TEMP_PREFIX);
        assertThat(data.size()).isEqualTo(1000);
        assertThat(data.names()).containsExactly(data.path().getFileName().toString());
        // ... then the object's directory, holding the final name and no temporary file
        Forced directory = forced.get(created + 1);
        assertThat(directory.path()).isEqualTo(rootPath.resolve("dag/run"));
        assertThat(directory.directory()).isTrue();
        assertThat(directory.names()).containsExactly("object.lz4");
        assertThat(forced).hasSize(created + 2);

        // into a directory this store made durable: only the data and that directory
        forced.clear();
        try (ObjectSink sink = store.create(root.appendPath("dag/run/second.lz4"))) {
            sink.write(1);
        }
        assertThat(forced).extracting(Forced::path).containsExactly(forced.get(0).path(), rootPath.resolve("dag/run"));
        assertThat(forced.get(0).directory()).isFalse();
        assertThat(forced.get(1).names()).containsExactly("object.lz4", "second.lz4");

        // a sibling directory: only its parent, which this store forced before, besides the data and the directory
        forced.clear();
        try (ObjectSink sink = store.create(root.appendPath("dag/run2/third.lz4"))) {
            sink.write(1);
        }
        assertThat(forced).extracting(Forced::path)
                .containsExactly(rootPath.resolve("dag"), forced.get(1).path(), rootPath.resolve("dag/run2"));
        assertThat(forced.get(0).names()).containsExactly("run", "run2");
    }

    @Test
    void directoryCreatedByAnotherWriterIsMadeDurableUpToTheRoot()
            throws IOException
    {
        Location root = newRoot();
        Path run = Path.of(root.path()).resolve("dag/run");
        // another writer created the task's directory and has not forced its parent yet (or crashed before it did)
        Files.createDirectories(run);
        List<Forced> forced = Collections.synchronizedList(new ArrayList<>());
        LocalObjectStore store = recordingStore(forced);
        try (ObjectSink sink = store.create(root.appendPath("dag/run/object.gz"))) {
            sink.write(new byte[] {1, 2});
        }
        if (!fsync()) {
            assertThat(forced).isEmpty();
            return;
        }
        // every entry on the path to the object is forced: each ancestor of run (its parent first of all), then the
        // data, then run itself for the object's entry
        List<Path> ancestors = pathFromRoot(run.getParent());
        assertThat(forced).extracting(Forced::path).hasSize(ancestors.size() + 2);
        assertThat(forced.subList(0, ancestors.size())).extracting(Forced::path).containsExactlyElementsOf(ancestors);
        assertThat(forced.get(ancestors.size()).directory()).isFalse();
        assertThat(forced.get(ancestors.size() + 1).path()).isEqualTo(run);

        // the other writer replaces the directory by a new one: the store's memory of the old one does not hold for
        // it, so its parent is forced again (the ancestors above are the same directories as before)
        Files.move(run, run.resolveSibling("run-old"));
        Files.createDirectory(run);
        forced.clear();
        try (ObjectSink sink = store.create(root.appendPath("dag/run/again.gz"))) {
            sink.write(new byte[] {3});
        }
        assertThat(forced).extracting(Forced::path).containsExactly(run.getParent(), forced.get(1).path(), run);

        // removed, then created by this store: forced even if the new directory reuses the old one's inode number
        Files.delete(run.resolve("again.gz"));
        Files.delete(run);
        forced.clear();
        try (ObjectSink sink = store.create(root.appendPath("dag/run/third.gz"))) {
            sink.write(new byte[] {4});
        }
        assertThat(forced).extracting(Forced::path).containsExactly(run.getParent(), forced.get(1).path(), run);
        assertThat(forced.get(0).names()).containsExactly("run", "run-old");
    }

    @Test
    void listingReadsOneDirectoryAtATime()
            throws IOException
    {
        Location root = newRoot();
        Path rootPath = Path.of(root.path());
        int directories = 20;
        int filesPerDirectory = 60;
        for (int d = 0; d < directories; d++) {
            Path directory = Files.createDirectories(rootPath.resolve("dag/run_%02d/task".formatted(d)));
            for (int f = 0; f < filesPerDirectory; f++) {
                Files.write(directory.resolve("%03d.json".formatted(f)), new byte[] {(byte) f});
            }
        }
        List<Path> read = Collections.synchronizedList(new ArrayList<>());
        LocalObjectStore store = new LocalObjectStore(fsync(), (path, directory) -> {}, read::add);
        ObjectIterator iterator = store.list(root);
        assertThat(read).containsExactly(rootPath);

        // the first object: only the directories on its path have been read
        assertThat(iterator.hasNext()).isTrue();
        assertThat(iterator.next().location()).isEqualTo(root.appendPath("dag/run_00/task/000.json"));
        assertThat(read).containsExactly(rootPath, rootPath.resolve("dag"), rootPath.resolve("dag/run_00"), rootPath.resolve("dag/run_00/task"));

        // changes below directories the walk has not reached yet show in the listing, so it had not read them
        Files.write(rootPath.resolve("dag/run_10/task/late.json"), new byte[] {1, 2, 3});
        try (Stream<Path> files = Files.list(rootPath.resolve("dag/run_15/task"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(rootPath.resolve("dag/run_15/task"));
        Files.delete(rootPath.resolve("dag/run_15"));

        List<Location> rest = new ArrayList<>();
        while (iterator.hasNext()) {
            rest.add(iterator.next().location());
        }
        assertThat(rest).hasSize((directories - 1) * filesPerDirectory - 1 + 1);
        assertThat(rest).contains(root.appendPath("dag/run_10/task/late.json"));
        assertThat(rest).noneMatch(location -> location.path().contains("/run_15/"));
        // depth first, each directory's names sorted: a task instance's objects come together and in name order
        List<Location> expected = new ArrayList<>();
        for (int d = 0; d < directories; d++) {
            if (d == 15) {
                continue;
            }
            for (int f = 0; f < filesPerDirectory; f++) {
                if (d > 0 || f > 0) {
                    expected.add(root.appendPath("dag/run_%02d/task/%03d.json".formatted(d, f)));
                }
            }
            if (d == 10) {
                expected.add(root.appendPath("dag/run_10/task/late.json"));
            }
        }
        assertThat(rest).containsExactlyElementsOf(expected);
        assertThatThrownBy(iterator::next).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void listingSkipsTemporaryFilesAndListsLinkedFilesButNotLinkedDirectories()
            throws IOException
    {
        Location root = newRoot();
        Path rootPath = Files.createDirectories(Path.of(root.path()).resolve("a"));
        Files.write(rootPath.resolve("object"), new byte[] {1, 2});
        Files.write(rootPath.resolve(LocalObjectStore.TEMP_PREFIX + "x"), new byte[] {1});
        Files.createSymbolicLink(rootPath.resolve("link"), rootPath.resolve("object"));
        // a link back to an ancestor would make a cycle if followed
        Files.createSymbolicLink(rootPath.resolve("loop"), rootPath.getParent());
        assertThat(list(root)).extracting(entry -> entry.location().path() + " " + entry.size())
                .containsExactly(root.appendPath("a/link").path() + " 2", root.appendPath("a/object").path() + " 2");
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
