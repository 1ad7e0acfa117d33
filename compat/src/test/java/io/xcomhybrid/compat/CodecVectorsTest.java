package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.json.DbForm;
import io.xcomhybrid.json.XComJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
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
    // The harness and the vector generator run Python with TZ=UTC, which fixes naive datetimes' timestamps.
    private final XComJson json = XComJson.standard().withNaiveZone(ZoneOffset.UTC);

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
                    if (AbstractAirflowConformanceTest.sameUpToDatetimeClassNames(written, expected)) {
                        // documented loss, see AbstractAirflowConformanceTest.CLASS_LOSS
                        classNameLosses.add(vector.get("name").asText());
                    }
                    else {
                        failures.add(vector.get("name").asText() + " write: " + AbstractAirflowConformanceTest.difference(written, expected));
                    }
                }
                else if (!Arrays.equals(transcoded.toByteArray(), expected)) {
                    failures.add(vector.get("name").asText() + " transcode: " + AbstractAirflowConformanceTest.difference(transcoded.toByteArray(), expected));
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
