package io.xcomhybrid.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays {@code configparser-cases.json}: random ini texts with the result of Python 3.11's configparser set up as
 * Airflow does (see {@code generate_configparser_cases.py} beside it). Each case must give the same entries, the same
 * interpolated values (or an interpolation error where Python raised one), or an error at the same line.
 */
class TestConfigparserCases
{
    @Test
    void sameResultsAsPythonConfigparser()
            throws IOException
    {
        JsonNode cases;
        try (InputStream stream = getClass().getResourceAsStream("configparser-cases.json")) {
            cases = new ObjectMapper().readTree(stream);
        }
        assertThat(cases.size()).isGreaterThan(1000);
        List<String> mismatches = new ArrayList<>();
        int parsed = 0;
        int values = 0;
        for (JsonNode testCase : cases) {
            String text = testCase.get("text").asText();
            String mismatch;
            try {
                mismatch = compare(IniFile.parse("f", text), testCase);
                parsed++;
                values += testCase.has("values") ? testCase.get("values").size() : 0;
            }
            catch (ConfigException e) {
                String line = e.getMessage().replaceFirst("^f:(\\d+): .*$", "$1");
                mismatch = !testCase.has("errorLine") ? "Python parsed it, Java failed: " + e.getMessage()
                        : line.equals(testCase.get("errorLine").asText()) ? null
                        : "error at line " + testCase.get("errorLine").asText() + " in Python, Java: " + e.getMessage();
            }
            if (mismatch != null) {
                mismatches.add(mismatch + " in " + new ObjectMapper().writeValueAsString(text));
            }
        }
        assertThat(mismatches).isEmpty();
        // both paths must be exercised, or the corpus is not testing much
        assertThat(parsed).isGreaterThan(300);
        assertThat(values).isGreaterThan(300);
    }

    private static String compare(IniFile ini, JsonNode testCase)
    {
        if (testCase.has("errorLine")) {
            return "Python failed at line " + testCase.get("errorLine").asText() + ", Java parsed it";
        }
        List<List<String>> expected = new ArrayList<>();
        testCase.get("entries").forEach(entry -> expected.add(List.of(entry.get(0).asText(), entry.get(1).asText(), entry.get(2).asText())));
        List<List<String>> actual = ini.entries().stream().map(entry -> List.of(entry.section(), entry.key(), entry.value())).toList();
        if (!expected.equals(actual)) {
            return "entries differ: Python " + expected + ", Java " + actual;
        }
        for (JsonNode value : testCase.get("values")) {
            String section = value.get(0).asText();
            IniFile.Entry entry = ini.find(section, value.get(1).asText()).orElse(null);
            if (entry == null) {
                return "[" + section + "] " + value.get(1).asText() + " not found";
            }
            String interpolated;
            try {
                interpolated = ini.interpolate(section, entry);
            }
            catch (ConfigException e) {
                interpolated = null;
            }
            String expectedValue = value.get(2).isNull() ? null : value.get(2).asText();
            if (expectedValue == null ? interpolated != null : !expectedValue.equals(interpolated)) {
                return "[" + section + "] " + entry.key() + ": Python " + expectedValue + ", Java " + interpolated;
            }
        }
        return null;
    }
}
