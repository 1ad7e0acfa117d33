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

    @BeforeAll
    void setUp()
    {
        store = new LocalObjectStore();
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
}
