package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.json.XComJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed vectors (compat/vectors/xcom-json-vectors.jsonl, written by compat/python/generate_vectors.py from real
 * Airflow) against the Java codec, without Python: reading Airflow's text and writing it back, and transcoding it,
 * give the same bytes. One test per Airflow version and vector field.
 */
class CodecVectorsTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final XComJson json = XComJson.standard();

    @TestFactory
    Stream<DynamicTest> vectors()
            throws IOException
    {
        Path file = CompatPaths.moduleDir().resolve("vectors/xcom-json-vectors.jsonl");
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        JsonNode header = MAPPER.readTree(lines.get(0));
        assertThat(header.path("format").asText()).isEqualTo("xcom-json-vectors/1");
        List<JsonNode> vectors = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            vectors.add(MAPPER.readTree(line));
        }
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(100);
        List<DynamicTest> tests = new ArrayList<>();
        for (String version : List.of("airflow2", "airflow3")) {
            String airflow = header.path(version).path("airflow").asText();
            for (String field : List.of("encoded", "serde")) {
                tests.add(DynamicTest.dynamicTest(version + " (" + airflow + ") " + field + ": read + write and transcode are byte-exact",
                        () -> check(vectors, version, field)));
            }
        }
        return tests.stream();
    }

    private void check(List<JsonNode> vectors, String version, String field)
    {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonNode vector : vectors) {
            JsonNode forVersion = vector.get(version);
            if (forVersion == null) {
                continue;
            }
            checked++;
            byte[] expected = forVersion.get(field).asText().getBytes(StandardCharsets.UTF_8);
            try {
                byte[] written = json.toBytes(json.read(expected));
                ByteArrayOutputStream transcoded = new ByteArrayOutputStream();
                json.transcode(new ByteArrayInputStream(expected), transcoded);
                if (!java.util.Arrays.equals(written, expected)) {
                    failures.add(vector.get("name").asText() + " write: " + AbstractAirflowConformanceTest.difference(written, expected));
                }
                else if (!java.util.Arrays.equals(transcoded.toByteArray(), expected)) {
                    failures.add(vector.get("name").asText() + " transcode: " + AbstractAirflowConformanceTest.difference(transcoded.toByteArray(), expected));
                }
            }
            catch (IOException | RuntimeException e) {
                failures.add(vector.get("name").asText() + ": " + e);
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(100);
        assertThat(failures).as("%d of %d vectors differ", failures.size(), checked).isEmpty();
    }
}
