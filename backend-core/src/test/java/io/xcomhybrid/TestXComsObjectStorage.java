package io.xcomhybrid;

import io.xcomhybrid.backend.ObjectStorageXComBackend;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.backend.UnreadableXComException;
import io.xcomhybrid.backend.XComBackendContext;
import io.xcomhybrid.backend.XComBackends;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStores;
import io.xcomhybrid.testing.FaultyObjectStoreFactory;
import io.xcomhybrid.testing.InMemoryMetadataStore;
import io.xcomhybrid.testing.RecordedReads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestXComsObjectStorage
{
    private static final XComKey KEY = new XComKey("my_dag", "manual__2024-01-01T00:00:00+00:00", "extract", -1, "return_value");

    @TempDir
    Path temp;

    private InMemoryMetadataStore metadata;
    private FaultyObjectStoreFactory faults;
    private XComs xcoms;

    private XComs open(long threshold, String compression, Map<String, String> extra)
    {
        Map<String, String> common = new java.util.HashMap<>(Map.of(
                "xcom_objectstorage_path", "file://" + temp.toAbsolutePath() + "/objects",
                "xcom_objectstorage_threshold", Long.toString(threshold),
                "xcom_objectstorage_compression", compression));
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", ObjectStorageXComBackend.AIRFLOW_CLASS),
                "common.io", common,
                "xcom_hybrid", extra), Map.of());
        metadata = new InMemoryMetadataStore();
        faults = new FaultyObjectStoreFactory();
        ObjectStores stores = new ObjectStores(config, List.of(faults));
        xcoms = new XComs(metadata, XComBackends.create(new XComBackendContext(config, stores, XComJson.standard())), stores, XComJson.standard());
        return xcoms;
    }

    private XComs open(long threshold)
    {
        return open(threshold, "gzip", Map.of());
    }

    @AfterEach
    void tearDown()
    {
        if (xcoms != null) {
            xcoms.close();
        }
    }

    /** A JSON string value whose text ({@code "aaa..."}) is exactly {@code size} bytes. */
    private static String valueOfJsonSize(int size)
    {
        return "a".repeat(size - 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1})
    void routesByThresholdLikeAirflow(int delta)
    {
        int threshold = 100;
        open(threshold);
        PushResult result = xcoms.push(KEY, valueOfJsonSize(threshold + delta));
        assertThat(result.size()).isEqualTo(threshold + delta);
        // Airflow: database when size < threshold, object when size >= threshold
        assertThat(result.placement()).isEqualTo(delta < 0 ? Placement.DATABASE : Placement.OBJECT);
        assertThat(xcoms.pull(KEY)).isEqualTo(valueOfJsonSize(threshold + delta));
    }

    @Test
    void negativeThresholdKeepsEverythingInTheDatabase()
    {
        open(-1);
        PushResult result = xcoms.push(KEY, valueOfJsonSize(100_000));
        assertThat(result.placement()).isEqualTo(Placement.DATABASE);
        assertThat(metadata.get(KEY).orElseThrow().value()).hasSize(100_000);
    }

    @Test
    void zeroThresholdSendsEverythingToObjects()
    {
        open(0);
        assertThat(xcoms.push(KEY, 1).placement()).isEqualTo(Placement.OBJECT);
        assertThat(xcoms.pull(KEY)).isEqualTo(1);
    }

    @Test
    void smallValueRowHoldsPythonJsonBytes()
    {
        open(1000);
        xcoms.push(KEY, Map.of("a", List.of(1, "é")));
        assertThat(new String(metadata.get(KEY).orElseThrow().value(), UTF_8)).isEqualTo("{\"a\": [1, \"\\u00e9\"]}");
    }

    @Test
    void largeValueGoesToAnObjectUnderAirflowsLayout()
            throws IOException
    {
        open(10);
        PushResult result = xcoms.push(KEY, List.of("x".repeat(50), 2));
        Location location = result.location().orElseThrow();
        String base = "file://" + temp.toAbsolutePath() + "/objects";
        assertThat(location.toString()).matches(Pattern.quote(base + "/my_dag/manual__2024-01-01T00:00:00+00:00/extract/")
                + "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.gz");
        // the row holds the JSON string of the location
        assertThat(new String(metadata.get(KEY).orElseThrow().value(), UTF_8)).isEqualTo("\"" + location + "\"");
        // the object holds the gzip of the JSON text, no envelope, no newline
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(location.path())))) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("[\"" + "x".repeat(50) + "\", 2]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bz2", "xz", "lzma", "zip", "lz4", "zstd", "snappy"})
    void everyCodecRoundTripsThroughTheRouter(String codec)
            throws IOException
    {
        open(64, codec, Map.of());
        List<Object> value = List.of("caf\u00e9 \ud83d\ude00", 1.5, Map.of("n", 12345678901234567L), "x".repeat(5000));
        Location location = xcoms.push(KEY, value).location().orElseThrow();
        assertThat(location.fileName()).endsWith(io.xcomhybrid.compress.Compressions.forName(codec).suffix());
        try (InputStream in = io.xcomhybrid.compress.Compressions.forPath(location.path()).decompress(Files.newInputStream(Path.of(location.path())))) {
            assertThat(in.readAllBytes()).isEqualTo(XComJson.standard().toBytes(value));
        }
        assertThat(xcoms.pull(KEY)).isEqualTo(value);
    }

    @Test
    void uncompressedObjectHasNoSuffix()
    {
        open(0, "", Map.of());
        Location location = xcoms.push(KEY, 1).location().orElseThrow();
        assertThat(location.fileName()).matches("[0-9a-f-]{36}");
        assertThat(xcoms.pull(KEY)).isEqualTo(1);
    }

    @Test
    void referenceKeepsConnIdOfBase()
    {
        open(0);
        ObjectStorageXComBackend backend = (ObjectStorageXComBackend) xcoms.backend();
        String base = "file://" + temp.toAbsolutePath() + "/objects";
        assertThat(backend.resolveReference(base + "/d/r/t/x.gz")).contains(Location.parse(base + "/d/r/t/x.gz"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "s3://bucket/objects/d/r/t/u.gz",                 // other scheme
            "file:///elsewhere/objects/d/r/t/u.gz",           // other path
            "file://conn@%BASE%/d/r/t/u.gz",                  // conn_id where the base has none
            "%BASE%/d/../../../etc/passwd",                   // dot-dot escape
            "%BASE%/d/./r/t/u",                               // dot segment
            "%BASE%/d//t/u",                                  // empty segment
            "%BASE%-other/d/r/t/u.gz",                        // prefix without a segment boundary
            "%BASE%",                                         // the base itself
            "%BASE%/",                                        // the base with a slash
            "not a url at all",
    })
    void hostileRowsArePlainStrings(String template)
            throws IOException
    {
        open(0);
        String base = "file://" + temp.toAbsolutePath() + "/objects";
        String value = template.replace("%BASE%", base.substring("file://".length())).replace("file://file://", "file://");
        if (template.startsWith("%BASE%")) {
            value = base + template.substring("%BASE%".length());
        }
        // a file that a lenient reader would open if it followed the row
        Files.createDirectories(temp.resolve("elsewhere/objects/d/r/t"));
        Files.writeString(temp.resolve("elsewhere/objects/d/r/t/u.gz"), "secret");
        metadata.put(KEY, XComJson.standard().encodeString(value));
        assertThat(xcoms.backend().referencedLocation(metadata.get(KEY).orElseThrow().value())).isEmpty();
        assertThat(xcoms.pull(KEY)).isEqualTo(value);
        assertThat(xcoms.show(KEY).orElseThrow().preview().placement()).isEqualTo(Placement.DATABASE);
    }

    @Test
    void nonStringRowsAreNeverReferences()
    {
        open(0);
        String base = "file://" + temp.toAbsolutePath() + "/objects";
        metadata.put(KEY, ("[\"" + base + "/d/r/t/u\"]").getBytes(UTF_8));
        assertThat(xcoms.pull(KEY)).isEqualTo(List.of(base + "/d/r/t/u"));
    }

    @Test
    void missingObjectIsAClearError()
            throws IOException
    {
        open(0);
        Location location = xcoms.push(KEY, "value").location().orElseThrow();
        Files.delete(Path.of(location.path()));
        assertThatThrownBy(() -> xcoms.pull(KEY))
                .isInstanceOf(UnreadableXComException.class)
                .hasMessageContaining(KEY.toString())
                .hasMessageContaining(location.toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> xcoms.pullJson(KEY, new ByteArrayOutputStream()))
                .isInstanceOf(UnreadableXComException.class);
    }

    @Test
    void missingObjectReturnsReferenceWhenAsked()
            throws IOException
    {
        open(0, "gzip", Map.of("on_unreadable_object", "return_reference"));
        Location location = xcoms.push(KEY, "value").location().orElseThrow();
        Files.delete(Path.of(location.path()));
        assertThat(xcoms.pull(KEY)).isEqualTo(location.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xcoms.pullJson(KEY, out);
        assertThat(out.toString(UTF_8)).isEqualTo("\"" + location + "\"");
    }

    @Test
    void corruptCompressedObjectIsAClearError()
            throws IOException
    {
        open(0);
        Location location = xcoms.push(KEY, "value").location().orElseThrow();
        Files.writeString(Path.of(location.path()), "this is not gzip");
        assertThatThrownBy(() -> xcoms.pull(KEY))
                .hasMessageContaining(location.toString())
                .hasMessageContaining(KEY.toString());
    }

    @Test
    void pullJsonCopiesAnObjectAsStoredAndReencodesARow()
            throws IOException
    {
        open(0, "", Map.of());
        Location location = xcoms.push(KEY, Map.of("a", 1)).location().orElseThrow();
        // an object another writer stored in compact form: the text is handed out as stored, the value is the same
        Files.delete(Path.of(location.path()));
        Files.writeString(Path.of(location.path()), "{\"a\":1}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(xcoms.pullJson(KEY, out)).isEqualTo(7);
        assertThat(out.toString(UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(xcoms.pull(KEY)).isEqualTo(Map.of("a", 1));

        XComKey row = KEY.withKey("row");
        metadata.put(row, "{\"a\":1}".getBytes(UTF_8));
        ByteArrayOutputStream rowOut = new ByteArrayOutputStream();
        xcoms.pullJson(row, rowOut);
        assertThat(rowOut.toString(UTF_8)).isEqualTo("{\"a\": 1}");
    }

    @Test
    void objectWithInvalidJsonIsAClearError()
            throws IOException
    {
        open(0, "", Map.of());
        Location location = xcoms.push(KEY, "value").location().orElseThrow();
        Files.delete(Path.of(location.path()));
        Files.writeString(Path.of(location.path()), "{not json");
        assertThatThrownBy(() -> xcoms.pull(KEY))
                .isInstanceOf(UnreadableXComException.class)
                .hasMessageContaining(location.toString())
                .hasMessageContaining("valid JSON");
    }

    @Test
    void rowFailureDeletesTheObject()
            throws IOException
    {
        open(0);
        metadata.failPuts.set(1);
        assertThatThrownBy(() -> xcoms.push(KEY, "value")).isInstanceOf(MetadataStoreException.class);
        assertThat(objectFiles()).isEmpty();
        assertThat(metadata.get(KEY)).isEmpty();
    }

    @Test
    void objectFailureWritesNoRow()
            throws IOException
    {
        open(0);
        faults.failCommits.set(1);
        assertThatThrownBy(() -> xcoms.push(KEY, "value"))
                .isInstanceOf(XComStorageException.class)
                .hasMessageContaining(KEY.toString());
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
    }

    @Test
    void serializerFailureAfterSpillLeavesNothing()
            throws IOException
    {
        open(10);
        Object exploding = new Object()
        {
            @com.fasterxml.jackson.annotation.JsonValue
            public List<Object> value()
            {
                return List.of("x".repeat(100), new Object()
                {
                    @com.fasterxml.jackson.annotation.JsonValue
                    public String boom()
                    {
                        throw new IllegalStateException("boom");
                    }
                });
            }
        };
        assertThatThrownBy(() -> xcoms.push(KEY, exploding)).hasMessageContaining("boom");
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
    }

    @Test
    void replacingPurgesOldObjectAfterNewRow()
            throws IOException
    {
        open(0);
        Location first = xcoms.push(KEY, "one").location().orElseThrow();
        Location second = xcoms.push(KEY, "two").location().orElseThrow();
        assertThat(first).isNotEqualTo(second);
        assertThat(objectFiles()).containsExactly(Path.of(second.path()));
        assertThat(xcoms.pull(KEY)).isEqualTo("two");
    }

    @Test
    void replacingKeepsNewValueWhenPurgeFails()
            throws IOException
    {
        open(0);
        Location first = xcoms.push(KEY, "one").location().orElseThrow();
        faults.failDeletes.set(1);
        xcoms.push(KEY, "two");
        assertThat(xcoms.pull(KEY)).isEqualTo("two");
        // the old object is an orphan that gc finds
        GcReport report = xcoms.gc(Duration.ZERO, true);
        assertThat(report.orphans()).containsExactly(first);
    }

    @Test
    void failedRowWriteOnReplaceKeepsOldValue()
    {
        open(0);
        xcoms.push(KEY, "one");
        metadata.failPuts.set(1);
        assertThatThrownBy(() -> xcoms.push(KEY, "two")).isInstanceOf(MetadataStoreException.class);
        assertThat(xcoms.pull(KEY)).isEqualTo("one");
    }

    @Test
    void deleteRemovesRowThenObject()
            throws IOException
    {
        open(0);
        xcoms.push(KEY, "one");
        assertThat(xcoms.delete(KEY)).isTrue();
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
        assertThat(xcoms.delete(KEY)).isFalse();
        assertThatThrownBy(() -> xcoms.pull(KEY)).isInstanceOf(NoSuchXComException.class).hasMessageContaining("extract");
    }

    @Test
    void deleteSucceedsWhenPurgeFails()
            throws IOException
    {
        open(0);
        xcoms.push(KEY, "one");
        faults.failDeletes.set(1);
        assertThat(xcoms.delete(KEY)).isTrue();
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(xcoms.gc(Duration.ZERO, false).orphans()).hasSize(1);
        assertThat(objectFiles()).isEmpty();
    }

    @Test
    void clearPurgesOnlyTheSelectedRun()
            throws IOException
    {
        open(0);
        for (int i = 0; i < 5; i++) {
            xcoms.push(KEY.withMapIndex(i), i);
        }
        XComKey otherRun = new XComKey("my_dag", "other_run", "extract", -1, "return_value");
        xcoms.push(otherRun, "keep");
        assertThat(xcoms.clear(XComFilter.run("my_dag", KEY.runId()))).isEqualTo(5);
        assertThat(objectFiles()).hasSize(1);
        assertThat(xcoms.pull(otherRun)).isEqualTo("keep");
    }

    @Test
    void gcDeletesOldOrphansKeepsYoungAndForeignAndReportsMissing()
            throws IOException
    {
        open(0);
        xcoms.push(KEY, "kept");
        XComKey lost = KEY.withKey("lost");
        Location lostLocation = xcoms.push(lost, "lost").location().orElseThrow();
        Files.delete(Path.of(lostLocation.path()));

        Path base = temp.resolve("objects");
        Path oldOrphan = base.resolve("my_dag/run/task/0b7c26f7-b01a-4eed-b9c2-ea2806615743.gz");
        Path youngOrphan = base.resolve("my_dag/run/task/1b7c26f7-b01a-4eed-b9c2-ea2806615743.gz");
        Path foreign = base.resolve("README.txt");
        for (Path file : List.of(oldOrphan, youngOrphan, foreign)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "x");
        }
        Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        GcReport dryRun = xcoms.gc(Duration.ofHours(1), true);
        assertThat(dryRun.orphans()).extracting(Location::path).containsExactly(oldOrphan.toString());
        assertThat(Files.exists(oldOrphan)).isTrue();

        GcReport report = xcoms.gc(Duration.ofHours(1), false);
        assertThat(report.orphans()).hasSize(1);
        assertThat(report.young()).isEqualTo(1);
        assertThat(report.foreign()).isEqualTo(1);
        assertThat(report.missingObjects()).extracting(XComEntry::key).containsExactly(lost);
        assertThat(Files.exists(oldOrphan)).isFalse();
        assertThat(Files.exists(youngOrphan)).isTrue();
        assertThat(Files.exists(foreign)).isTrue();
        assertThat(xcoms.pull(KEY)).isEqualTo("kept");
    }

    public static final class Summary
    {
        private final int rows;
        private final java.time.LocalDate day;

        public Summary(int rows, java.time.LocalDate day)
        {
            this.rows = rows;
            this.day = day;
        }

        public int getRows()
        {
            return rows;
        }

        public java.time.LocalDate getDay()
        {
            return day;
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public String getSecret()
        {
            return "not serialized";
        }
    }

    @Test
    void pojosAreWrittenAsDictsOfTheirProperties()
    {
        open(1000);
        xcoms.push(KEY, new Summary(3, java.time.LocalDate.of(2024, 6, 1)));
        assertThat(new String(metadata.get(KEY).orElseThrow().value(), UTF_8))
                .isEqualTo("{\"rows\": 3, \"day\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-06-01\"}}");
    }

    @Test
    void airflow3RowFormWritesTheSerdeStructure()
    {
        open(1000, "gzip", Map.of("db_form", "airflow3"));
        xcoms.push(KEY, Map.of("t", new io.xcomhybrid.json.PyTuple(List.of(1, 2))));
        assertThat(new String(metadata.get(KEY).orElseThrow().value(), UTF_8))
                .isEqualTo("{\"t\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, 2]}}");
        assertThat(xcoms.pull(KEY)).isEqualTo(Map.of("t", new io.xcomhybrid.json.PyTuple(List.of(1, 2))));
    }

    @Test
    void airflow2RowFormWritesTheJsonText()
    {
        open(1000);
        xcoms.push(KEY, Map.of("t", new io.xcomhybrid.json.PyTuple(List.of(1, 2))));
        assertThat(new String(metadata.get(KEY).orElseThrow().value(), UTF_8)).isEqualTo("{\"t\": [1, 2]}");
    }

    @Test
    void pushJsonStreamIsReencodedInPythonForm()
    {
        open(1000);
        xcoms.pushJson(KEY, new java.io.ByteArrayInputStream("{\"a\":[1,2,{\"b\":null}]}".getBytes(UTF_8)));
        assertThat(new String(metadata.get(KEY).orElseThrow().value(), UTF_8)).isEqualTo("{\"a\": [1, 2, {\"b\": null}]}");
    }

    @Test
    void invalidJsonPushStoresNothing()
            throws IOException
    {
        open(5);
        assertThatThrownBy(() -> xcoms.pushJson(KEY, new java.io.ByteArrayInputStream("[1, 2, 3, 4, 5, 6, oops".getBytes(UTF_8))))
                .isInstanceOf(InvalidXComValueException.class)
                .hasMessageContaining(KEY.toString());
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
    }

    @Test
    void largeStreamedValueRoundTrips()
            throws IOException
    {
        open(1024);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"s\":\"row ").append(i).append("\"}");
        }
        json.append(']');
        Path input = temp.resolve("in.json");
        Files.writeString(input, json);
        PushResult result = xcoms.pushJsonFile(KEY, input);
        assertThat(result.placement()).isEqualTo(Placement.OBJECT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = xcoms.pullJson(KEY, out);
        String expected = json.toString().replace(",", ", ").replace(":", ": ");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(written).isEqualTo(result.size()).isEqualTo(expected.length());
    }

    /** A list of strings whose JSON text is about {@code bytes} long. */
    private static List<Object> largeValue(int bytes)
    {
        // random hex compresses about 2:1, so compressed bytes reach the sink while the value is being written
        java.util.Random random = new java.util.Random(bytes);
        List<Object> value = new java.util.ArrayList<>();
        for (long size = 1; size < bytes; ) {
            String item = "row " + value.size() + " " + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
            value.add(item);
            size += item.length() + 4;
        }
        return value;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2"})
    void largeValueRoundTripsWithEveryThreadCount(String threads)
            throws IOException
    {
        open(1024, "gzip", Map.of("compression_threads", threads));
        // more blocks than parallel gzip keeps in flight (2 * 2 of 1 MiB), so the pipeline thread writes some
        List<Object> value = largeValue(6 << 20);
        PushResult result = xcoms.push(KEY, value);
        byte[] expected = XComJson.standard().toBytes(value);
        assertThat(result.size()).isEqualTo(expected.length);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(result.location().orElseThrow().path())))) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        // the pull gives back the same bytes and value (local files keep no size or SHA-256 metadata to verify)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(xcoms.pullJson(KEY, out)).isEqualTo(expected.length);
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(xcoms.pull(KEY)).isEqualTo(value);
        if (threads.equals("0")) {
            assertThat(faults.writerThreads).containsExactly(Thread.currentThread().getName());
        }
        else {
            assertThat(faults.writerThreads).anyMatch(name -> name.startsWith("xcom-hybrid-pipeline-"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2"})
    void digestIsRecordedOnlyWhileTheSinkCanStoreIt(String threads)
            throws Exception
    {
        open(1024, "gzip", Map.of("compression_threads", threads));
        List<Object> value = largeValue(3 << 20);
        byte[] json = XComJson.standard().toBytes(value);
        // a sink that stores metadata gets the size and SHA-256 of the JSON text
        Location stored = xcoms.push(KEY, value).location().orElseThrow();
        assertThat(faults.metadata.get(stored)).isEqualTo(Map.of(
                "xcom-json-size", Integer.toString(json.length),
                "xcom-json-sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json))));

        // one that stops storing metadata after its first 64 KiB (as an S3 upload that turned multipart) gets none:
        // the digest is dropped instead of being computed to the end and thrown away
        faults.storesMetadataUntilBytes.set(64 * 1024);
        XComKey other = KEY.withKey("multipart");
        Location unrecorded = xcoms.push(other, value).location().orElseThrow();
        assertThat(faults.metadata).containsOnlyKeys(stored);
        assertThat(Files.size(Path.of(unrecorded.path()))).isGreaterThan(64 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(xcoms.pullJson(other, out)).isEqualTo(json.length);
        assertThat(out.toByteArray()).isEqualTo(json);
    }

    @Test
    void gzipOnSeveralThreadsWritesMembersThatPythonReads()
            throws Exception
    {
        open(1024, "gzip", Map.of("compression_threads", "2"));
        List<Object> value = largeValue(3 << 20);
        Path object = Path.of(xcoms.push(KEY, value).location().orElseThrow().path());
        String script = """
                import gzip, sys, zlib
                path = sys.argv[1]
                data = open(path, 'rb').read()
                members = 0
                while data:
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    d.decompress(data)
                    assert d.eof
                    data = d.unused_data
                    members += 1
                with gzip.open(path, 'rb') as f:
                    text = f.read()
                sys.stdout.write('%d %d' % (members, len(text)))
                """;
        Process process = new ProcessBuilder("python3", "-c", script, object.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
        assertThat(process.waitFor()).as(output).isZero();
        byte[] expected = XComJson.standard().toBytes(value);
        // the first MiB in four 256 KiB members, then one member per MiB: one gzip stream that Python's gzip module reads whole
        assertThat(expected.length).isGreaterThan(2 << 20);
        assertThat(output).isEqualTo("%d %d".formatted(4 + ((expected.length - (1 << 20) + (1 << 20) - 1) >> 20), expected.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lz4:0", "lz4:1", "lz4:2", "snappy:0", "snappy:2"})
    void lz4AndSnappyRoundTripWithEveryThreadCount(String codecAndThreads)
            throws IOException
    {
        String[] parts = codecAndThreads.split(":");
        open(1024, parts[0], Map.of("compression_threads", parts[1]));
        // many 256 KiB blocks, more than the parallel codecs keep in flight (2 * 2)
        List<Object> value = largeValue(3 << 20);
        PushResult result = xcoms.push(KEY, value);
        byte[] expected = XComJson.standard().toBytes(value);
        Path object = Path.of(result.location().orElseThrow().path());
        byte[] stored = Files.readAllBytes(object);
        assertThat(decompressAs(parts[0], stored)).isEqualTo(expected);
        if (parts[0].equals("lz4")) {
            // FLG: independent blocks, and on several threads block checksums instead of a content checksum
            assertThat(stored[4]).isEqualTo(parts[1].equals("2") ? (byte) 0x70 : (byte) 0x64);
        }
        if (parts[1].equals("2")) {
            assertThat(faults.writerThreads).anyMatch(name -> name.startsWith("xcom-hybrid-pipeline-"));
        }
        assertThat(xcoms.pull(KEY)).isEqualTo(value);
    }

    private static byte[] decompressAs(String codec, byte[] stored)
            throws IOException
    {
        try (InputStream in = io.xcomhybrid.compress.Compressions.forName(codec).decompress(new java.io.ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip:0", "gzip:1", "gzip:2", "zstd:1", "lz4:1", "lz4:2", "snappy:2"})
    void failureOnTheCompressingThreadLeavesNothing(String codecAndThreads)
            throws IOException
    {
        String[] parts = codecAndThreads.split(":");
        open(1024, parts[0], Map.of("compression_threads", parts[1]));
        faults.failWritesAfterBytes.set(100_000);
        assertThatThrownBy(() -> xcoms.push(KEY, largeValue(4 << 20)))
                .isInstanceOf(XComStorageException.class)
                .hasMessageContaining(KEY.toString())
                .hasMessageContaining("injected failure writing")
                .hasMessageContaining(temp.toAbsolutePath() + "/objects/my_dag/");
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
        // the next push works: the failed one released its thread and buffers
        faults.failWritesAfterBytes.set(-1);
        List<Object> value = largeValue(2 << 20);
        xcoms.push(KEY, value);
        assertThat(xcoms.pull(KEY)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2"})
    void failureOnTheSerializingThreadAfterChunksWereWrittenLeavesNothing(String threads)
            throws IOException
    {
        open(1024, "gzip", Map.of("compression_threads", threads));
        List<Object> head = largeValue(6 << 20);
        Object exploding = new Object()
        {
            @com.fasterxml.jackson.annotation.JsonValue
            public List<Object> value()
            {
                return List.of(head, new Object()
                {
                    @com.fasterxml.jackson.annotation.JsonValue
                    public String boom()
                    {
                        throw new IllegalStateException("boom");
                    }
                });
            }
        };
        assertThatThrownBy(() -> xcoms.push(KEY, exploding)).hasMessageContaining("boom").hasMessageContaining(KEY.toString());
        // megabytes had reached the sink before the failure
        assertThat(faults.writerThreads).isNotEmpty();
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
    }

    @Test
    void invalidJsonTextAfterSpillLeavesNothing()
            throws IOException
    {
        open(1024, "zstd", Map.of("compression_threads", "1"));
        byte[] text = (new String(XComJson.standard().toBytes(largeValue(2 << 20)), UTF_8).replaceFirst("]$", ", oops]")).getBytes(UTF_8);
        assertThatThrownBy(() -> xcoms.pushJson(KEY, new java.io.ByteArrayInputStream(text)))
                .isInstanceOf(InvalidXComValueException.class)
                .hasMessageContaining(KEY.toString());
        assertThat(faults.writerThreads).isNotEmpty();
        assertThat(metadata.get(KEY)).isEmpty();
        assertThat(objectFiles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3"})
    void encodingThreadsSplitALongListWithTheSameBytes(String threads)
            throws IOException
    {
        open(1024, "lz4", Map.of("encoding_threads", threads, "compression_threads", "1"));
        // rows whose values record the threads that read them; with helpers, the caller waits at the middle row until
        // a helper has read one, so helpers that a loaded machine starts late still take part
        List<Object> rows = largeValue(3 << 20);
        RecordedReads reads = new RecordedReads(Duration.ZERO);
        List<Object> value = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            value.add(reads.item(rows.get(i).toString(), !threads.equals("1") && i == rows.size() / 2));
        }
        PushResult result = xcoms.push(KEY, value);
        List<Object> plain = value.stream().map(row -> ((RecordedReads.Item) row).plain()).toList();
        byte[] expected = XComJson.standard().toBytes(plain);
        assertThat(result.size()).isEqualTo(expected.length);
        assertThat(decompressAs("lz4", Files.readAllBytes(Path.of(result.location().orElseThrow().path())))).isEqualTo(expected);
        assertThat(xcoms.pull(KEY)).isEqualTo(plain);
        if (threads.equals("1")) {
            assertThat(reads.readers()).containsExactly(Thread.currentThread().getName());
        }
        else {
            assertThat(reads.readers()).contains(Thread.currentThread().getName()).anyMatch(name -> name.startsWith("xcom-hybrid-encode-"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65", "two"})
    void invalidEncodingThreadsFailsAtStartNamingTheSetting(String threads)
    {
        assertThatThrownBy(() -> open(1024, "gzip", Map.of("encoding_threads", threads)))
                .isInstanceOf(io.xcomhybrid.config.ConfigException.class)
                .hasMessageContaining("encoding_threads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65", "two"})
    void invalidCompressionThreadsFailsAtStartNamingTheSetting(String threads)
    {
        assertThatThrownBy(() -> open(1024, "gzip", Map.of("compression_threads", threads)))
                .isInstanceOf(io.xcomhybrid.config.ConfigException.class)
                .hasMessageContaining("compression_threads");
    }

    private List<Path> objectFiles()
            throws IOException
    {
        Path base = temp.resolve("objects");
        if (!Files.exists(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
