package io.xcomhybrid.json;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.xcomhybrid.json.TestEnvelopes.map;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The reader's fast paths: envelopes are decoded only along the paths that hold one (checked against decoding the
 * whole plain tree, as the reader did before), containers are sized from the parse, and floats go through Jackson's
 * fast parser (checked bit for bit against Python's {@code json.loads}).
 */
class TestValueReader
{
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String[] KEYS = {"a", "b", "c", "__classname__", "__version__", "__data__", "__type", "__var", "timestamp", "tz", "_x"};
    private static final ObjectMapper PLAIN = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final XComJson json = XComJson.standard().withNaiveZone(PARIS);

    @Test
    void valuesWithoutEnvelopesHaveTheDocumentedTypes()
    {
        Object value = json.read("{\"l\": [1, 2], \"e\": [], \"m\": {}, \"big\": 12345678901234567890, \"long\": 12345678901, \"f\": 1.5, \"s\": \"x\", \"t\": true, \"n\": null}".getBytes(US_ASCII));
        assertThat(value).isInstanceOf(LinkedHashMap.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(map.get("l")).isInstanceOf(ArrayList.class).isEqualTo(List.of(1, 2));
        assertThat(map.get("e")).isInstanceOf(ArrayList.class).isEqualTo(List.of());
        assertThat(map.get("m")).isInstanceOf(LinkedHashMap.class).isEqualTo(Map.of());
        assertThat(map.get("big")).isEqualTo(new java.math.BigInteger("12345678901234567890"));
        assertThat(map.get("long")).isEqualTo(12345678901L);
        assertThat(map.get("f")).isEqualTo(1.5);
        assertThat(map.get("t")).isEqualTo(Boolean.TRUE);
        assertThat(map.containsKey("n")).isTrue();
        // lists and maps built from the parse stay growable
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) map.get("e");
        list.add(1);
        assertThat(list).containsExactly(1);
    }

    @Test
    void decodesEnvelopesOnlyWhereTheyAreAndKeepsUnknownDataPlain()
    {
        String uuid = "{\"__classname__\": \"uuid.UUID\", \"__version__\": 1, \"__data__\": \"ee06a911-452b-4eed-b9c2-ea2806615743\"}";
        Object value = json.read(("{\"rows\": [{\"id\": 1}, {\"id\": 2, \"u\": " + uuid + "}], \"other\": {\"x\": [1]},"
                + " \"opaque\": {\"__classname__\": \"my.Class\", \"__version__\": 1, \"__data__\": {\"inner\": [" + uuid + "]}}}").getBytes(US_ASCII));
        UUID expected = UUID.fromString("ee06a911-452b-4eed-b9c2-ea2806615743");
        assertThat(value).isEqualTo(map(
                "rows", List.of(map("id", 1), map("id", 2, "u", expected)),
                "other", map("x", List.of(1)),
                "opaque", new PyObject("my.Class", 1, map("inner", List.of(map("__classname__", "uuid.UUID", "__version__", 1, "__data__", expected.toString()))))));
    }

    @Test
    void repeatedKeysKeepTheFirstPositionAndTheLastValue()
    {
        String tuple = "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1]}";
        assertThat(json.read(("{\"a\": " + tuple + ", \"b\": 2, \"a\": 3}").getBytes(US_ASCII))).isEqualTo(map("a", 3, "b", 2));
        assertThat(json.read(("{\"a\": 1, \"b\": 2, \"a\": " + tuple + "}").getBytes(US_ASCII))).isEqualTo(map("a", PyTuple.of(1), "b", 2));
        // the last __classname__ decides, and a map that stops being an envelope is a plain map
        assertThat(json.read("{\"__classname__\": \"x.Y\", \"__version__\": 1, \"__classname__\": \"builtins.tuple\", \"__data__\": [1]}".getBytes(US_ASCII)))
                .isEqualTo(PyTuple.of(1));
        assertThat(json.read("{\"__classname__\": \"builtins.tuple\", \"__data__\": [1]}".getBytes(US_ASCII)))
                .isEqualTo(map("__classname__", "builtins.tuple", "__data__", List.of(1)));
    }

    @Test
    void errorsNameThePathThroughMarkedContainers()
    {
        assertThatThrownBy(() -> json.read("[{\"ok\": [1]}, {\"a\": {\"b\": [0, 1, {\"__classname__\": \"uuid.UUID\", \"__version__\": 1, \"__data__\": 5}]}}]".getBytes(US_ASCII)))
                .hasMessageContaining("At index 1: At key \"a\": At key \"b\": At index 2: Cannot decode uuid.UUID version 1: UUID must be a string, got number");
        // a malformed envelope inside an unknown one is data, not an error
        assertThat(json.read("{\"__classname__\": \"my.Class\", \"__version__\": 1, \"__data__\": [{\"__classname__\": \"uuid.UUID\", \"__version__\": 1, \"__data__\": 5}]}".getBytes(US_ASCII)))
                .isEqualTo(new PyObject("my.Class", 1, List.of(map("__classname__", "uuid.UUID", "__version__", 1, "__data__", 5))));
        assertThatThrownBy(() -> json.read("{\"a\": [1, 2}".getBytes(US_ASCII))).hasMessageContaining("line: 1, column: 12");
    }

    @Test
    void stringsAreReadExactlyAndShortRepeatedOnesShared()
            throws IOException
    {
        SplittableRandom random = new SplittableRandom(3);
        String alphabet = "ab\u00e9\u20ac\ud83d\ude00\"\\\n/ ";
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(0, 20);
            for (int c = 0; c < length; c++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            strings.add(text.toString());
        }
        byte[] bytes = json.toBytes(strings);
        assertThat(json.read(bytes)).isEqualTo(PLAIN.readValue(bytes, Object.class)).isEqualTo(strings);
        List<?> read = (List<?>) json.read("[\"eu-west-1\", \"0123456789abcdef\", \"0123456789abcdefg\", \"eu-west-1\", \"0123456789abcdef\", \"0123456789abcdefg\"]".getBytes(US_ASCII));
        assertThat(read.get(3)).isSameAs(read.get(0));
        assertThat(read.get(4)).isSameAs(read.get(1));
        assertThat(read.get(5)).isEqualTo(read.get(2));
    }

    @Test
    void transcodeRefusesRepeatedKeysInObjectsOfAnySize()
            throws IOException
    {
        for (int size : new int[] {2, 3, 16, 17, 18, 40}) {
            StringBuilder object = new StringBuilder("{");
            for (int i = 0; i < size; i++) {
                // every object also holds a nested one with the same keys, and siblings may repeat each other's keys
                object.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": {\"k").append(i).append("\": [{\"k0\": 1}, {\"k0\": 2}]}");
            }
            String unique = object + "}";
            assertThat(transcode(unique)).as(unique).isEqualTo(unique);
            for (int repeated : new int[] {0, size / 2, size - 1}) {
                String text = object + ", \"k" + repeated + "\": 1, \"last\": 2}";
                assertThatThrownBy(() -> transcode(text))
                        .as(text)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("Repeated key in a JSON object at")
                        .hasMessageContaining("'k" + repeated + "'");
                assertThat(transcode("[" + unique + ", " + unique + "]")).isEqualTo("[" + unique + ", " + unique + "]");
            }
        }
        assertThatThrownBy(() -> transcode("[{\"a\": {\"b\": 1, \"c\": {}, \"b\": 2}}]"))
                .hasMessageContaining("line: 1, column: 32")
                .hasMessageContaining("'b'");
    }

    private String transcode(String text)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.transcode(new ByteArrayInputStream(text.getBytes(US_ASCII)), out);
        return out.toString(US_ASCII);
    }

    /** Random documents full of envelopes, good and malformed: the reader gives what decoding the whole plain tree gives. */
    @Test
    void decodingMarkedPathsEqualsDecodingTheWholeTree()
            throws IOException
    {
        ValueReader reference = new ValueReader(PARIS);
        SplittableRandom random = new SplittableRandom(7);
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder();
            randomValue(random, text, 0);
            byte[] bytes = text.toString().getBytes(UTF_8);
            Object expected;
            String expectedError = null;
            try {
                expected = reference.decodePlain(PLAIN.readValue(bytes, Object.class));
            }
            catch (IOException | RuntimeException e) {
                expected = null;
                expectedError = e.getMessage();
            }
            if (expectedError == null) {
                assertThat(json.read(bytes)).as(text.toString()).isEqualTo(expected);
            }
            else {
                failures++;
                String message = expectedError;
                assertThatThrownBy(() -> json.read(bytes)).as(text.toString()).hasMessageContaining(message);
            }
        }
        // both outcomes are exercised
        assertThat(failures).isBetween(100, 2900);
    }

    /**
     * Floats parse to the same bits as in Python's {@code json.loads}: random bit patterns, random long digit strings,
     * exact halfway points between neighbouring doubles, subnormals, overflow and underflow.
     */
    @Test
    void floatsParseToPythonsBits()
            throws IOException
    {
        SplittableRandom random = new SplittableRandom(11);
        List<String> texts = new ArrayList<>(List.of(
                "0.0", "-0.0", "0e0", "1e400", "-1e400", "1e-400", "-1E-400", "4.9e-324", "5e-324", "2.4703282292062327e-324",
                "2.4703282292062328e-324", "2.2250738585072011e-308", "2.2250738585072012e-308", "1.7976931348623157e308",
                "1.7976931348623158e308", "1.7976931348623159e308", "9007199254740993.0", "0.1", "0.30000000000000004",
                "123456789012345678901234567890.5", "1.00000000000000011102230246251565404236316680908203125",
                "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
                "NaN", "Infinity", "-Infinity"));
        for (int i = 0; i < 4000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                texts.add(i % 2 == 0 ? Double.toString(value) : PythonFloats.repr(value));
                // the exact midpoint to the next double up: rounds to even
                BigDecimal low = new BigDecimal(value);
                BigDecimal high = new BigDecimal(Math.nextUp(value));
                if (Double.isFinite(Math.nextUp(value))) {
                    String midpoint = low.add(high).divide(BigDecimal.valueOf(2)).toString().replace("E+", "e").replace("E", "e");
                    texts.add(midpoint.contains(".") || midpoint.contains("e") ? midpoint : midpoint + ".0");
                }
            }
            StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
            digits.append(1 + random.nextInt(9));
            int length = random.nextInt(1, 30);
            digits.append('.');
            for (int d = 0; d < length; d++) {
                digits.append(random.nextInt(10));
            }
            digits.append('e').append(random.nextInt(-345, 320));
            texts.add(digits.toString());
            texts.add(random.nextInt(1, 1_000_000) + "." + random.nextInt(0, 1000));
        }
        byte[] array = ("[" + String.join(", ", texts) + "]").getBytes(US_ASCII);
        String script = "import json, struct, sys\n"
                + "values = json.loads(sys.stdin.buffer.read())\n"
                + "sys.stdout.write(json.dumps(values) + '\\n')\n"
                + "sys.stdout.write(' '.join(str(struct.unpack('<q', struct.pack('<d', v))[0]) for v in values))\n";
        String[] python = python(script, array).split("\n");
        String[] pythonBits = python[1].split(" ");
        List<?> read = (List<?>) json.read(array);
        assertThat(read).hasSize(texts.size());
        assertThat(pythonBits).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            double parsed = (Double) read.get(i);
            long bits = Double.isNaN(parsed) ? Double.doubleToRawLongBits(parsed) : Double.doubleToLongBits(parsed);
            if (!Double.isNaN(parsed) && bits != Long.parseLong(pythonBits[i])) {
                fail("%s: Java %s (bits %d), Python bits %s".formatted(texts.get(i), parsed, bits, pythonBits[i]));
            }
        }
        ByteArrayOutputStream transcoded = new ByteArrayOutputStream();
        json.transcode(new ByteArrayInputStream(array), transcoded);
        assertThat(transcoded.toString(US_ASCII)).isEqualTo(python[0]);
    }

    private static void randomValue(SplittableRandom random, StringBuilder text, int depth)
    {
        int kind = random.nextInt(depth > 4 ? 6 : 12);
        switch (kind) {
            case 0 -> text.append(random.nextInt(-5, 100));
            case 1 -> text.append(random.nextLong());
            case 2 -> text.append(random.nextInt(4) == 0 ? "1e400" : Double.toString(random.nextDouble() * 1e6));
            case 3 -> text.append(quote(List.of("x", "UTC", "2024-01-02", "not a date", "Europe/Paris", "builtins.tuple", "my.Class",
                    "ee06a911-452b-4eed-b9c2-ea2806615743", "dict", "\u00e9").get(random.nextInt(10))));
            case 4 -> text.append(List.of("true", "false", "null").get(random.nextInt(3)));
            case 5 -> text.append("[]");
            case 6, 7 -> {
                text.append('[');
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    text.append(i == 0 ? "" : ", ");
                    randomValue(random, text, depth + 1);
                }
                text.append(']');
            }
            case 8, 9 -> {
                text.append('{');
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    text.append(i == 0 ? "" : ", ").append(quote(KEYS[random.nextInt(KEYS.length)])).append(": ");
                    randomValue(random, text, depth + 1);
                }
                text.append('}');
            }
            default -> {
                String classname = List.of("builtins.tuple", "builtins.set", "builtins.frozenset", "datetime.date", "uuid.UUID", "decimal.Decimal",
                        "datetime.timedelta", "datetime.datetime", "pendulum.tz.timezone.Timezone", "numpy.int64", "my.Class", "dict").get(random.nextInt(12));
                if (random.nextInt(4) == 0) {
                    text.append("{\"__type\": ").append(quote(classname)).append(", \"__var\": ");
                    randomValue(random, text, depth + 1);
                    text.append('}');
                    return;
                }
                text.append("{\"__classname__\": ").append(quote(classname)).append(", \"__version__\": ").append(random.nextInt(3)).append(", \"__data__\": ");
                if (classname.equals("datetime.datetime") && random.nextBoolean()) {
                    text.append("{\"timestamp\": 1704164645.5, \"tz\": ");
                    randomValue(random, text, depth + 1);
                    text.append('}');
                }
                else {
                    randomValue(random, text, depth + 1);
                }
                text.append('}');
            }
        }
    }

    private static String quote(String text)
    {
        return "\"" + text + "\"";
    }

    private static String python(String script, byte[] stdin)
            throws IOException
    {
        String executable = Objects.requireNonNullElse(System.getenv("XCOM_TEST_AIRFLOW2_PYTHON"), "python3");
        Process process = new ProcessBuilder(executable, "-c", script).start();
        Thread feeder = new Thread(() -> {
            try (var out = process.getOutputStream()) {
                out.write(stdin);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        feeder.start();
        byte[] output;
        byte[] errors;
        try (InputStream in = process.getInputStream(); InputStream err = process.getErrorStream()) {
            output = in.readAllBytes();
            errors = err.readAllBytes();
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("%s failed: %s".formatted(executable, new String(errors, UTF_8)));
            }
            feeder.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String(output, UTF_8);
    }
}
