package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.backend.ObjectStorageSettings;
import io.xcomhybrid.backend.ObjectStorageXComBackend;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.backend.SerializedXCom;
import io.xcomhybrid.backend.XComPayload;
import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;
import io.xcomhybrid.compat.AirflowHarness.HarnessException;
import io.xcomhybrid.compat.AirflowHarness.PythonValue;
import io.xcomhybrid.compat.ConformanceResults.Tally;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conformance suite: real Airflow ({@code XComObjectStorageBackend.serialize_value / deserialize_value / purge}
 * in the venvs from setup-venvs.sh) against the Java {@link ObjectStorageXComBackend}, for every value Python
 * generates, every compression Airflow can write, and thresholds at size - 1, size and size + 1 of each value.
 *
 * <p>For each case: Python writes and Java reads (equal JSON bytes, equal routing, Java's purge removes Python's
 * object), and Java writes and Python reads (the value Python reads equals the value Python reads back from its own
 * write, equal object bytes after decompression, equal reference modulo the uuid, Python's purge removes Java's
 * object). Subclasses give the storage (file://, s3://).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAirflowConformanceTest
{
    /** Every compression the common-io backend can write (it resolves names through fsspec; snappy has no suffix there). */
    static final List<String> AIRFLOW_COMPRESSIONS = List.of("", "gzip", "bz2", "xz", "lzma", "zip", "lz4", "zstd");
    static final String DAG_ID = "compat_dag";
    static final String RUN_ID = "manual__2024-01-01T00:00:00+00:00";
    static final String TASK_ID = "compat_task";
    private static final Pattern UUID4 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private final XComJson json = XComJson.standard();
    private final Map<AirflowVersion, AirflowHarness> harnesses = new EnumMap<>(AirflowVersion.class);
    private final ConformanceResults results = new ConformanceResults(getClass().getSimpleName());
    private ObjectStores stores;
    private Path workDir;

    /** The {@code xcom_objectstorage_path} for one Airflow version (each gets its own prefix). */
    abstract String basePath(AirflowVersion version);

    /** Variables both sides see: {@code AIRFLOW_CONN_*} for the base's connection. */
    abstract Map<String, String> connectionEnvironment();

    /** Compressions to run (all of {@link #AIRFLOW_COMPRESSIONS} unless a subclass trims the matrix). */
    List<String> compressions()
    {
        return AIRFLOW_COMPRESSIONS;
    }

    /** Whether this storage also runs the checks that do not depend on it (the codec); one suite does. */
    boolean runsStorageIndependentChecks()
    {
        return false;
    }

    /** Whether the value takes part (a subclass may sample to keep remote runs short). */
    boolean includes(PythonValue value)
    {
        return true;
    }

    Path workDir()
            throws IOException
    {
        if (workDir == null) {
            workDir = Files.createDirectories(CompatPaths.targetDir().resolve("compat-work").resolve(getClass().getSimpleName()));
        }
        return workDir;
    }

    synchronized AirflowHarness harness(AirflowVersion version)
            throws IOException
    {
        AirflowHarness harness = harnesses.get(version);
        if (harness == null) {
            harness = AirflowHarness.start(version, workDir(), connectionEnvironment());
            harnesses.put(version, harness);
            results.version(harness.info().path("airflow").asText(), harness.describe());
        }
        return harness;
    }

    synchronized ObjectStores stores()
    {
        if (stores == null) {
            stores = new ObjectStores(AirflowConfig.of(Map.of(), connectionEnvironment()));
        }
        return stores;
    }

    ObjectStorageXComBackend javaBackend(String base, long threshold, String compression)
    {
        return javaBackend(base, threshold, compression, "fail");
    }

    ObjectStorageXComBackend javaBackend(String base, long threshold, String compression, String onUnreadable)
    {
        AirflowConfig config = AirflowConfig.of(Map.of(
                ObjectStorageSettings.SECTION, Map.of(
                        ObjectStorageSettings.PATH, base,
                        ObjectStorageSettings.THRESHOLD, Long.toString(threshold),
                        ObjectStorageSettings.COMPRESSION, compression),
                ObjectStorageSettings.HYBRID_SECTION, Map.of(ObjectStorageSettings.ON_UNREADABLE, onUnreadable)), connectionEnvironment());
        return new ObjectStorageXComBackend(ObjectStorageSettings.from(config), stores(), json);
    }

    @AfterAll
    void closeAll()
            throws IOException
    {
        harnesses.values().forEach(AirflowHarness::close);
        if (stores != null) {
            stores.close();
        }
        results.write();
    }

    @TestFactory
    Stream<DynamicNode> airflow2()
    {
        return suite(AirflowVersion.AIRFLOW2);
    }

    @TestFactory
    Stream<DynamicNode> airflow3()
    {
        return suite(AirflowVersion.AIRFLOW3);
    }

    private Stream<DynamicNode> suite(AirflowVersion version)
    {
        List<DynamicNode> nodes = new ArrayList<>();
        if (runsStorageIndependentChecks()) {
            nodes.add(DynamicTest.dynamicTest("codec: Java re-encodes each value Python generated to XComEncoder's exact bytes", () -> runCodec(version)));
        }
        nodes.add(DynamicTest.dynamicTest("thresholds -1 and 0, compression names Airflow rejects", () -> runEdgeCases(version)));
        nodes.add(DynamicTest.dynamicTest("rows holding strings that look like references", () -> runReferenceLookalikes(version)));
        for (String compression : compressions()) {
            String label = compression.isEmpty() ? "none" : compression;
            nodes.add(DynamicTest.dynamicTest("compression " + label + ": Python writes / Java reads, Java writes / Python reads, cross purge",
                    () -> runCompression(version, compression)));
        }
        return Stream.of(DynamicContainer.dynamicContainer(version.name(), nodes));
    }

    private void runCompression(AirflowVersion version, String compression)
            throws IOException
    {
        AirflowHarness harness = harness(version);
        String airflow = harness.info().path("airflow").asText();
        String label = compression.isEmpty() ? "none" : compression;
        String base = basePath(version);
        Tally pyToJava = results.tally(airflow, label + ": Python writes, Java reads (bytes, value)");
        Tally routing = results.tally(airflow, label + ": routing and reference (Java vs Python)");
        Tally javaToPy = results.tally(airflow, label + ": Java writes, Python reads (object bytes, value)");
        Tally purge = results.tally(airflow, label + ": cross purge (Java purges Python's object, Python purges Java's)");
        Map<String, Object> pythonKey = AirflowHarness.key(DAG_ID, RUN_ID, TASK_ID, XComKey.RETURN_VALUE);
        XComKey key = XComKey.of(DAG_ID, RUN_ID, TASK_ID);

        for (PythonValue value : harness.values()) {
            if (!includes(value)) {
                continue;
            }
            byte[] encoded = value.encoded().getBytes(StandardCharsets.UTF_8);
            for (Tally tally : List.of(pyToJava, routing, javaToPy, purge)) {
                tally.family(value.family());
            }
            for (long threshold : new long[] {value.size() - 1, value.size(), value.size() + 1}) {
                String caseName = value.name() + " (size " + value.size() + ", threshold " + threshold + ")";
                Placement expected = threshold >= 0 && value.size() >= threshold ? Placement.OBJECT : Placement.DATABASE;
                boolean dbFormDiffers = version == AirflowVersion.AIRFLOW3 && expected == Placement.DATABASE && !value.serde().equals(value.encoded());
                harness.configure(base, threshold, compression);
                ObjectStorageXComBackend backend;
                try {
                    backend = javaBackend(base, threshold, compression);
                }
                catch (RuntimeException e) {
                    String message = caseName + ": Java rejects the configuration: " + e.getMessage();
                    pyToJava.fail(message);
                    routing.fail(message);
                    javaToPy.fail(message);
                    continue;
                }

                // Python writes, Java reads.
                JsonNode written = harness.serialize(value.id(), pythonKey);
                String pyStored = written.get("stored").asText();
                String pyReference = written.path("reference").asText(null);
                routing.check(expected.name().equals(written.get("placement").asText()),
                        caseName + ": Python placed it in " + written.get("placement").asText() + ", expected " + expected);
                try {
                    byte[] read = readAll(backend.openJson(key, pyStored.getBytes(StandardCharsets.UTF_8)));
                    if (version == AirflowVersion.AIRFLOW3 && pyReference == null) {
                        // Airflow 3 keeps small values as the serde structure, not the XComEncoder text.
                        boolean ok = Objects.equals(json.read(read), json.read(value.serde().getBytes(StandardCharsets.UTF_8)));
                        pyToJava.check(ok, caseName + ": Java read " + preview(read) + " from the AF3 row " + preview(pyStored));
                    }
                    else {
                        pyToJava.check(Arrays.equals(read, encoded), caseName + ": Java read " + difference(read, encoded));
                    }
                    if (pyReference != null) {
                        byte[] raw = Base64.getDecoder().decode(written.get("object_b64").asText());
                        byte[] decompressed = readAll(Compressions.forPath(pyReference).decompress(new ByteArrayInputStream(raw)));
                        pyToJava.check(Arrays.equals(decompressed, encoded),
                                caseName + ": Java's " + label + " decoder gives " + preview(decompressed) + " for Python's object " + pyReference);
                        backend.purge(key, pyStored.getBytes(StandardCharsets.UTF_8));
                        purge.check(!harness.exists(pyReference), caseName + ": Python's object " + pyReference + " survived Java's purge");
                    }
                }
                catch (IOException | RuntimeException e) {
                    pyToJava.fail(caseName + ": Java cannot read Python's row " + preview(pyStored) + ": " + e);
                    if (pyReference != null) {
                        harness.purge(pyStored);
                    }
                }

                // Java writes (a value decoded from Python's text), Python reads.
                SerializedXCom serialized;
                try {
                    Object javaValue = json.read(encoded);
                    serialized = backend.serialize(key, XComPayload.ofValue(javaValue, json));
                }
                catch (IOException | RuntimeException e) {
                    javaToPy.fail(caseName + ": Java cannot write it: " + e);
                    continue;
                }
                String javaStored = new String(serialized.stored(), StandardCharsets.UTF_8);
                routing.check(serialized.placement() == expected && serialized.size() == value.size(),
                        caseName + ": Java placed it in " + serialized.placement() + " with size " + serialized.size() + ", expected " + expected + " and " + value.size());
                if (pyReference != null && serialized.location().isPresent()) {
                    String javaReference = serialized.location().get().toString();
                    routing.check(withoutUuid(javaReference).equals(withoutUuid(pyReference)) && UUID4.matcher(javaReference).find(),
                            caseName + ": Java reference " + javaReference + " vs Python " + pyReference);
                    routing.check(withoutUuid(javaStored).equals(withoutUuid(pyStored)),
                            caseName + ": Java row " + javaStored + " vs Python row " + pyStored);
                }
                try {
                    if (serialized.location().isPresent()) {
                        byte[] pyRead = harness.read(serialized.location().get().toString());
                        javaToPy.check(Arrays.equals(pyRead, encoded), caseName + ": fsspec reads Java's object as " + difference(pyRead, encoded));
                    }
                    else {
                        javaToPy.check(Arrays.equals(serialized.stored(), encoded), caseName + ": Java's row " + difference(serialized.stored(), encoded));
                    }
                    JsonNode read = harness.deserialize(value.id(), javaStored, pythonKey);
                    if (read.get("equal").asBoolean()) {
                        javaToPy.pass();
                    }
                    else if (dbFormDiffers) {
                        javaToPy.known("AF3 keeps small values as serde structures; Java writes the XComEncoder text, which differs here "
                                + "(nested tuples, non-str dict keys)", value.name());
                    }
                    else {
                        javaToPy.fail(caseName + ": Python reads " + read.path("got").asText() + " from Java's row " + preview(javaStored)
                                + ", but " + read.path("want").asText() + " from its own write");
                    }
                }
                catch (HarnessException e) {
                    javaToPy.fail(caseName + ": Python cannot read Java's row " + preview(javaStored) + ": " + e.getMessage());
                }
                if (serialized.location().isPresent()) {
                    Location location = serialized.location().get();
                    harness.purge(javaStored);
                    purge.check(!stores().forLocation(location).exists(location), caseName + ": Java's object " + location + " survived Python's purge");
                }
            }
        }
        results.write();
        assertAll(List.of(pyToJava, routing, javaToPy, purge));
    }

    private void runCodec(AirflowVersion version)
            throws IOException
    {
        AirflowHarness harness = harness(version);
        String airflow = harness.info().path("airflow").asText();
        Map<String, Tally> byFamily = new java.util.TreeMap<>();
        for (PythonValue value : harness.values()) {
            Tally tally = byFamily.computeIfAbsent(value.family(), family -> results.tally(airflow, "codec: " + family));
            byte[] encoded = value.encoded().getBytes(StandardCharsets.UTF_8);
            try {
                byte[] written = json.toBytes(json.read(encoded));
                tally.check(Arrays.equals(written, encoded), value.name() + ": Java's bytes " + difference(written, encoded));
                java.io.ByteArrayOutputStream transcoded = new java.io.ByteArrayOutputStream();
                json.transcode(new ByteArrayInputStream(encoded), transcoded);
                tally.check(Arrays.equals(transcoded.toByteArray(), encoded), value.name() + ": transcoded bytes " + difference(transcoded.toByteArray(), encoded));
            }
            catch (IOException | RuntimeException e) {
                tally.fail(value.name() + ": " + e);
            }
        }
        results.write();
        assertAll(byFamily.values());
    }

    private void runEdgeCases(AirflowVersion version)
            throws IOException
    {
        AirflowHarness harness = harness(version);
        String airflow = harness.info().path("airflow").asText();
        String base = basePath(version);
        Tally tally = results.tally(airflow, "edge: thresholds -1 / 0 and rejected compression names");
        Map<String, Object> pythonKey = AirflowHarness.key(DAG_ID, RUN_ID, TASK_ID, XComKey.RETURN_VALUE);
        XComKey key = XComKey.of(DAG_ID, RUN_ID, TASK_ID);
        List<PythonValue> values = harness.values();
        for (int i = 0; i < values.size(); i += 7) {
            PythonValue value = values.get(i);
            for (long threshold : new long[] {-1, 0}) {
                Placement expected = threshold == 0 ? Placement.OBJECT : Placement.DATABASE;
                harness.configure(base, threshold, "gzip");
                JsonNode written = harness.serialize(value.id(), pythonKey);
                tally.check(written.get("placement").asText().equals(expected.name()), value.name() + " threshold " + threshold + ": Python placed it in " + written.get("placement").asText());
                try {
                    SerializedXCom serialized = javaBackend(base, threshold, "gzip").serialize(key, XComPayload.ofValue(json.read(value.encoded().getBytes(StandardCharsets.UTF_8)), json));
                    tally.check(serialized.placement() == expected, value.name() + " threshold " + threshold + ": Java placed it in " + serialized.placement());
                    if (serialized.location().isPresent()) {
                        harness.purge(new String(serialized.stored(), StandardCharsets.UTF_8));
                    }
                }
                catch (IOException | RuntimeException e) {
                    tally.fail(value.name() + " threshold " + threshold + ": Java: " + e);
                }
                if (written.has("reference")) {
                    harness.purge(written.get("stored").asText());
                }
            }
        }
        // Airflow resolves the name through fsspec's suffix table: snappy has no suffix and "gz" is a suffix, not a
        // name, so a push that reaches object storage fails; a value below the threshold never looks at the name.
        PythonValue small = values.get(0);
        for (String name : List.of("snappy", "gz", "gzip2")) {
            harness.configure(base, 0, name);
            try {
                harness.serialize(small.id(), pythonKey);
                tally.fail("Airflow accepted compression '" + name + "' for an object push");
            }
            catch (HarnessException e) {
                tally.check(e.getMessage().contains("ValueError") && e.getMessage().contains("not supported"), "Airflow's error for '" + name + "': " + e.getMessage());
            }
            harness.configure(base, -1, name);
            JsonNode written = harness.serialize(small.id(), pythonKey);
            tally.check(written.get("placement").asText().equals("DATABASE"), "Airflow with compression '" + name + "' below the threshold: " + written);
        }
        for (String name : List.of("gz", "gzip2")) {
            try {
                javaBackend(base, 0, name);
                tally.fail("Java accepted compression '" + name + "', which Airflow cannot write");
            }
            catch (RuntimeException e) {
                tally.check(e.getMessage().contains(name), "Java's error for '" + name + "' does not name it: " + e.getMessage());
            }
        }
        try {
            javaBackend(base, 0, "snappy");
            tally.known("Java writes snappy (framed, .snappy); Airflow cannot (fsspec registers snappy without a suffix), though it reads nothing either", "snappy");
        }
        catch (RuntimeException e) {
            tally.known("Java rejects snappy at configuration time; Airflow rejects it only on object pushes", "snappy");
        }
        results.write();
        tally.assertNoFailures();
    }

    /** A path outside the base (the base's parent plus {@code name}), for traversal cases. */
    abstract String outsideBase(AirflowVersion version, String name);

    /** A reference to the base's storage under another connection id, or empty where the scheme has none. */
    abstract java.util.Optional<String> otherConnection(AirflowVersion version, String relative);

    private void runReferenceLookalikes(AirflowVersion version)
            throws IOException
    {
        AirflowHarness harness = harness(version);
        String airflow = harness.info().path("airflow").asText();
        String base = basePath(version);
        Tally tally = results.tally(airflow, "reads of rows holding reference-like strings (Java on_unreadable_object=return_reference)");
        XComKey key = XComKey.of(DAG_ID, RUN_ID, TASK_ID);
        harness.configure(base, 0, "");
        ObjectStorageXComBackend lenient = javaBackend(base, 0, "", "return_reference");
        ObjectStorageXComBackend strict = javaBackend(base, 0, "", "fail");

        // A file outside the base that a '..' segment would reach.
        String secret = outsideBase(version, "compat-outside/secret.json");
        harness.writeFile(secret, "{\"secret\": 1}".getBytes(StandardCharsets.UTF_8));

        List<String> rows = new ArrayList<>(List.of(
                base + "/" + DAG_ID + "/r/t/00000000-0000-4000-8000-000000000000.json",
                base + "/../compat-outside/secret.json",
                base + "/" + DAG_ID + "/./r/t/x",
                base + "x/" + DAG_ID + "/r/t/x",
                "http://example.com/" + DAG_ID,
                "no scheme at all"));
        otherConnection(version, DAG_ID + "/r/t/x").ifPresent(rows::add);
        for (String text : rows) {
            byte[] stored = json.encodeString(text);
            String storedText = new String(stored, StandardCharsets.UTF_8);
            JsonNode python = harness.load(storedText);
            byte[] pythonBytes = python.get("encoded").asText().getBytes(StandardCharsets.UTF_8);
            byte[] javaBytes;
            try {
                javaBytes = readAll(lenient.openJson(key, stored));
            }
            catch (IOException | RuntimeException e) {
                tally.fail(text + ": Java (return_reference) cannot read the row: " + e);
                continue;
            }
            if (Arrays.equals(javaBytes, pythonBytes)) {
                tally.pass();
            }
            else if (text.contains("/../") && Arrays.equals(javaBytes, stored)) {
                tally.known("Airflow follows '..' out of the base (its is_relative_to check is lexical); Java refuses such a row and returns the string",
                        text + " -> Airflow read " + preview(pythonBytes));
            }
            else if (text.contains("/./") && Arrays.equals(javaBytes, stored)) {
                tally.known("Java refuses '.' segments after the base and returns the string; Airflow tries the object and falls back to the string",
                        text + " -> Airflow read " + preview(pythonBytes));
            }
            else {
                tally.fail(text + ": Java reads " + preview(javaBytes) + ", Airflow " + preview(pythonBytes));
            }
        }
        // Default Java policy: a missing object under the base is an error naming it, where Airflow returns the string.
        String missing = rows.get(0);
        try {
            readAll(strict.openJson(key, json.encodeString(missing)));
            tally.fail(missing + ": Java (on_unreadable_object=fail) returned a value for a missing object");
        }
        catch (IOException | RuntimeException e) {
            tally.check(String.valueOf(e.getMessage()).contains("00000000-0000-4000-8000-000000000000"), "Java's error does not name the object: " + e);
            tally.known("Java fails on a missing object by default (on_unreadable_object=fail); Airflow silently returns the reference string", missing);
        }
        results.write();
        tally.assertNoFailures();
    }

    private static void assertAll(Iterable<Tally> tallies)
    {
        List<String> errors = new ArrayList<>();
        for (Tally tally : tallies) {
            try {
                tally.assertNoFailures();
            }
            catch (AssertionError e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(String.join("\n", errors));
        }
    }

    static String withoutUuid(String text)
    {
        return UUID4.matcher(text).replaceAll("<uuid>");
    }

    static byte[] readAll(InputStream in)
            throws IOException
    {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** Where {@code actual} first departs from {@code expected}, with a little context on both sides. */
    static String difference(byte[] actual, byte[] expected)
    {
        int at = Arrays.mismatch(actual, expected);
        if (at < 0) {
            return "are equal";
        }
        int from = Math.max(0, at - 30);
        String got = new String(actual, from, Math.min(actual.length, at + 50) - from, StandardCharsets.UTF_8);
        String want = new String(expected, from, Math.min(expected.length, at + 50) - from, StandardCharsets.UTF_8);
        return "differ at byte " + at + " (lengths " + actual.length + " vs " + expected.length + "): got ..." + got + "... expected ..." + want + "...";
    }

    static String preview(byte[] bytes)
    {
        return preview(new String(bytes, StandardCharsets.UTF_8));
    }

    static String preview(String text)
    {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...(" + text.length() + " chars)";
    }
}
