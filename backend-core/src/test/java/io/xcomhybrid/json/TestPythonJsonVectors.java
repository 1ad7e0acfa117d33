package io.xcomhybrid.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes CPython's json.dumps writes, from values.jsonl and transcode.jsonl (see generate_vectors.py). */
class TestPythonJsonVectors
{
    private final XComJson json = XComJson.standard();

    static Stream<Arguments> values()
    {
        return Vectors.jsonLines("values.jsonl").stream().map(row -> Arguments.of(row.get("name").asText(), row));
    }

    static Stream<Arguments> transcodes()
    {
        return Vectors.jsonLines("transcode.jsonl").stream().map(row -> Arguments.of(row.get("name").asText(), row));
    }

    @Test
    void enoughVectors()
    {
        assertThat(Vectors.jsonLines("values.jsonl")).hasSizeGreaterThanOrEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void writesPythonBytes(String name, JsonNode row)
    {
        Object value = Vectors.build(row.get("value"));
        assertThat(new String(json.toBytes(value), US_ASCII)).isEqualTo(row.get("expected").asText());
        // Airflow 2's DB form is the same text
        assertThat(json.toDbBytes(value, DbForm.AIRFLOW2_BYTES)).isEqualTo(json.toBytes(value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void readsAndRewritesAsPythonDoes(String name, JsonNode row)
    {
        byte[] expected = row.get("expected").asText().getBytes(US_ASCII);
        if (row.get("lone_surrogate_key").asBoolean()) {
            // known limitation: Jackson's parser refuses unpaired surrogates in object keys, Python accepts them
            assertThatThrownBy(() -> json.read(expected)).hasMessageContaining("surrogate");
            return;
        }
        Object read = json.read(expected);
        assertThat(new String(json.toBytes(read), US_ASCII)).isEqualTo(row.get("reparsed").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void transcodesPythonOutputUnchanged(String name, JsonNode row)
            throws IOException
    {
        byte[] expected = row.get("expected").asText().getBytes(US_ASCII);
        if (row.get("lone_surrogate_key").asBoolean()) {
            assertThatThrownBy(() -> transcode(expected)).hasMessageContaining("surrogate");
            return;
        }
        if (row.get("duplicate_keys").asBoolean()) {
            assertThatThrownBy(() -> transcode(expected))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Repeated key");
            return;
        }
        assertThat(transcode(expected)).isEqualTo(row.get("reparsed").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcodes")
    void transcodesAsJsonLoadsThenDumps(String name, JsonNode row)
            throws IOException
    {
        byte[] input = row.get("input").asText().getBytes(UTF_8);
        assertThat(transcode(input)).isEqualTo(row.get("expected").asText());
        // reading and writing gives the same as the streaming transcode
        assertThat(new String(json.toBytes(json.read(input)), US_ASCII)).isEqualTo(row.get("expected").asText());
    }

    @Test
    void streamingGeneratorWritesPythonNumbers()
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeFieldName("f");
            generator.writeNumber(1e16);
            generator.writeFieldName("g");
            generator.writeNumber(0.1f);
            generator.writeFieldName("l");
            generator.writeStartArray();
            generator.writeNumber(Double.NaN);
            generator.writeNumber(-0.0);
            generator.writeNumber(new java.math.BigDecimal("1E+5"));
            generator.writeEndArray();
            generator.writeEndObject();
        }
        assertThat(out.toString(US_ASCII)).isEqualTo("{\"f\": 1e+16, \"g\": 0.1, \"l\": [NaN, -0.0, 100000.0]}");
    }

    @Test
    void vectorsCoverTheReprBoundaries()
    {
        List<String> expected = Vectors.jsonLines("values.jsonl").stream().map(row -> row.get("expected").asText()).toList();
        assertThat(expected).contains("1e+16", "9999999999999998.0", "0.0001", "1e-05", "0.1", "0.3333333333333333",
                "5e-324", "1.7976931348623157e+308", "-0.0", "123456789.12345679", "NaN", "Infinity", "-Infinity",
                "\"\\u007f\"", "\"\\ud83d\\ude00\"");
    }

    private String transcode(byte[] input)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.transcode(new ByteArrayInputStream(input), out);
        return out.toString(US_ASCII);
    }
}
