package io.xcomhybrid.json;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestXComJsonErrors
{
    private final XComJson json = XComJson.standard();

    @Test
    void refusesReservedKeysAtAnyDepth()
    {
        assertThatThrownBy(() -> json.toBytes(Map.of("__classname__", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the top level")
                .hasMessageContaining("__classname__");
        assertThatThrownBy(() -> json.toBytes(Map.of("a", List.of(Map.of("__id__", 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/a/0")
                .hasMessageContaining("__id__");
        assertThatThrownBy(() -> json.toDbBytes(List.of(Map.of("__classname__", 1)), DbForm.AIRFLOW3_SERDE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesTypesPythonCannotWrite()
    {
        assertThatThrownBy(() -> json.toBytes(Map.of("b", new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[B")
                .hasMessageContaining("/b")
                .hasMessageContaining("bytes");
        assertThatThrownBy(() -> json.toBytes(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> json.toBytes(java.nio.file.Path.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("as a String");
        assertThatThrownBy(() -> json.toBytes(Map.of(List.of(1), "v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key of type");
    }

    @Test
    void enforcesPythonsIntegerDigitLimit()
            throws IOException
    {
        BigInteger limit = BigInteger.TEN.pow(4300).subtract(BigInteger.ONE);
        assertThat(json.toBytes(limit.negate())).hasSize(4301);
        assertThatThrownBy(() -> json.toBytes(List.of(BigInteger.TEN.pow(4300))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4301 digits")
                .hasMessageContaining("/0");
        byte[] tooLong = ("1" + "0".repeat(4300)).getBytes(US_ASCII);
        assertThatThrownBy(() -> json.read(tooLong)).hasMessageContaining("4300 digits");
        assertThatThrownBy(() -> json.transcode(new ByteArrayInputStream(tooLong), new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("4301 digits");
    }

    @Test
    void transcodeRefusesRepeatedKeysButReadKeepsPythonsChoice()
    {
        byte[] text = "{\"a\": 1, \"b\": 2, \"a\": 3}".getBytes(US_ASCII);
        assertThatThrownBy(() -> json.transcode(new ByteArrayInputStream(text), new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Repeated key")
                .hasMessageContaining("'a'");
        // json.dumps(json.loads(text)) == '{"a": 3, "b": 2}'
        assertThat(new String(json.toBytes(json.read(text)), US_ASCII)).isEqualTo("{\"a\": 3, \"b\": 2}");
    }

    @Test
    void refusesTrailingDataAndEmptyInput()
    {
        assertThatThrownBy(() -> json.read("1 2".getBytes(US_ASCII))).hasMessageContaining("Unexpected data after the JSON value");
        assertThatThrownBy(() -> json.transcode(new ByteArrayInputStream("{} []".getBytes(US_ASCII)), new ByteArrayOutputStream()))
                .hasMessageContaining("Unexpected data after the JSON value");
        assertThatThrownBy(() -> json.read("  ".getBytes(US_ASCII))).hasMessageContaining("no JSON value");
    }

    @Test
    void acceptsOnlyPythonsNonFiniteTokens()
    {
        assertThat(json.read("[NaN, Infinity, -Infinity]".getBytes(US_ASCII))).isEqualTo(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        for (String text : List.of("+Infinity", "[+INF]", "{\"a\": -INF}")) {
            assertThatThrownBy(() -> json.read(text.getBytes(US_ASCII))).hasMessageContaining("only NaN, Infinity and -Infinity");
            assertThatThrownBy(() -> json.transcode(new ByteArrayInputStream(text.getBytes(US_ASCII)), new ByteArrayOutputStream()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("only NaN, Infinity and -Infinity");
        }
    }

    @Test
    void stringHelpers()
    {
        assertThat(new String(json.encodeString("s3://c@b/k/é😀"), US_ASCII)).isEqualTo("\"s3://c@b/k/\\u00e9\\ud83d\\ude00\"");
        assertThat(json.decodeString("\"s3://c@b/k/\\u00e9\"".getBytes(US_ASCII))).isEqualTo(Optional.of("s3://c@b/k/é"));
        assertThat(json.decodeString("\"a\" 1".getBytes(US_ASCII))).isEmpty();
        assertThat(json.decodeString("{\"a\": 1}".getBytes(UTF_8))).isEmpty();
        assertThat(json.decodeString("not json".getBytes(UTF_8))).isEmpty();
    }

    @Test
    void writesRecordsAsDicts()
    {
        record Point(int x, double y, List<String> tags) {}
        assertThat(new String(json.toBytes(new Point(1, 2.0, List.of("a"))), US_ASCII)).isEqualTo("{\"x\": 1, \"y\": 2.0, \"tags\": [\"a\"]}");
    }

    @Test
    void writesJacksonTreesAsPlainJson()
            throws IOException
    {
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a\":[1E5,-0,12345678901234567890,\"\u00e9\"],\"b\":{\"c\":null}}");
        assertThat(new String(json.toBytes(List.of(tree)), US_ASCII)).isEqualTo("[{\"a\": [100000.0, 0, 12345678901234567890, \"\\u00e9\"], \"b\": {\"c\": null}}]");
    }

    @Test
    void readsIntoJacksonBoundTypes()
            throws IOException
    {
        record Point(int x, double y) {}
        assertThat(json.read(new ByteArrayInputStream("{\"x\": 1, \"y\": 2.5}".getBytes(US_ASCII)), Point.class)).isEqualTo(new Point(1, 2.5));
        assertThat(json.read(new ByteArrayInputStream("{\"__classname__\": \"uuid.UUID\", \"__version__\": 1, \"__data__\": \"ee06a911-452b-4eed-b9c2-ea2806615743\"}".getBytes(US_ASCII)), Object.class))
                .isEqualTo(java.util.UUID.fromString("ee06a911-452b-4eed-b9c2-ea2806615743"));
    }
}
