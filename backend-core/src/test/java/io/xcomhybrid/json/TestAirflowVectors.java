package io.xcomhybrid.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.testing.JsonBytes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed vectors (json/airflow-vectors.jsonl, written by compat/python/generate_vectors.py from real
 * Airflow) against the Java codec, without Python: reading Airflow's text and writing it back, and transcoding it,
 * give the same bytes. One test per Airflow version and vector field.
 */
class TestAirflowVectors
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // The harness and the vector generator run Python with TZ=UTC, which fixes naive datetimes' timestamps.
    private final XComJson json = XComJson.standard().withNaiveZone(ZoneOffset.UTC);

    @TestFactory
    Stream<DynamicTest> vectors()
            throws IOException
    {
        List<String> lines;
        try (java.io.InputStream in = TestAirflowVectors.class.getResourceAsStream("/json/airflow-vectors.jsonl")) {
            assertThat(in).as("test resource json/airflow-vectors.jsonl").isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
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
            tests.add(DynamicTest.dynamicTest(version + " (" + airflow + ") XComEncoder text: read + write and transcode are byte-exact",
                    () -> check(vectors, version, "encoded", DbForm.AIRFLOW2_BYTES)));
        }
        String airflow3 = header.path("airflow3").path("airflow").asText();
        tests.add(DynamicTest.dynamicTest("airflow3 (" + airflow3 + ") serde DB form: read + write are byte-exact",
                () -> check(vectors, "airflow3", "serde", DbForm.AIRFLOW3_SERDE)));
        return tests.stream();
    }

    private void check(List<JsonNode> vectors, String version, String field, DbForm form)
    {
        List<String> failures = new ArrayList<>();
        List<String> classNameLosses = new ArrayList<>();
        int checked = 0;
        for (JsonNode vector : vectors) {
            JsonNode forVersion = vector.get(version);
            if (forVersion == null) {
                continue;
            }
            checked++;
            byte[] expected = forVersion.get(field).asText().getBytes(StandardCharsets.UTF_8);
            try {
                byte[] written = json.toDbBytes(json.read(expected), form);
                ByteArrayOutputStream transcoded = new ByteArrayOutputStream();
                json.transcode(new ByteArrayInputStream(expected), transcoded);
                if (!Arrays.equals(written, expected)) {
                    if (JsonBytes.sameUpToDatetimeClassNames(written, expected)) {
                        // documented loss, see JsonBytes.sameUpToDatetimeClassNames
                        classNameLosses.add(vector.get("name").asText());
                    }
                    else {
                        failures.add(vector.get("name").asText() + " write: " + JsonBytes.difference(written, expected));
                    }
                }
                else if (!Arrays.equals(transcoded.toByteArray(), expected)) {
                    failures.add(vector.get("name").asText() + " transcode: " + JsonBytes.difference(transcoded.toByteArray(), expected));
                }
            }
            catch (IOException | RuntimeException e) {
                failures.add(vector.get("name").asText() + ": " + e);
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(100);
        assertThat(classNameLosses).as("datetime class-name losses").allMatch(name -> name.startsWith("datetime") || name.startsWith("pendulum"));
        assertThat(failures).as("%d of %d vectors differ", failures.size(), checked).isEmpty();
    }
}
