package io.xcomhybrid.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CPython's datetime float conversions (datetimes.jsonl, generated with TZ=Europe/Paris for naive values). */
class TestPythonTime
{
    private static final BigInteger MICROS_PER_SECOND = BigInteger.valueOf(1_000_000);

    @Test
    void matchesCPython()
    {
        List<JsonNode> rows = Vectors.jsonLines("datetimes.jsonl");
        List<String> mismatches = new ArrayList<>();
        for (JsonNode row : rows) {
            String actual;
            String expected;
            switch (row.get("kind").asText()) {
                case "aware_timestamp" -> {
                    long micros = row.get("epoch_micros").asLong();
                    Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
                    actual = PythonFloats.repr(PythonTime.awareTimestamp(instant));
                    expected = row.get("timestamp").asText();
                }
                case "naive_timestamp" -> {
                    actual = PythonFloats.repr(PythonTime.naiveTimestamp(LocalDateTime.parse(row.get("local").asText()), ZoneId.of(row.get("zone").asText())));
                    expected = row.get("timestamp").asText();
                }
                case "fromtimestamp" -> {
                    Instant instant = PythonTime.fromTimestamp(Double.parseDouble(row.get("timestamp").asText()));
                    actual = LocalDateTime.ofInstant(instant, ZoneOffset.UTC) + " " + LocalDateTime.ofInstant(instant, ZoneId.of(row.get("zone").asText()));
                    expected = LocalDateTime.parse(row.get("utc").asText()) + " " + LocalDateTime.parse(row.get("local").asText());
                }
                case "total_seconds" -> {
                    BigInteger[] parts = new BigInteger(row.get("micros").asText()).divideAndRemainder(MICROS_PER_SECOND);
                    Duration duration = Duration.ofSeconds(parts[0].longValueExact()).plusNanos(parts[1].longValueExact() * 1000);
                    actual = PythonFloats.repr(PythonTime.totalSeconds(duration));
                    expected = row.get("seconds").asText();
                }
                case "timedelta_from_seconds" -> {
                    Duration duration = PythonTime.fromSeconds(Double.parseDouble(row.get("seconds").asText()));
                    actual = BigInteger.valueOf(duration.getSeconds()).multiply(MICROS_PER_SECOND).add(BigInteger.valueOf(duration.getNano() / 1000)).toString();
                    expected = row.get("micros").asText();
                }
                default -> throw new IllegalArgumentException(row.toString());
            }
            if (!actual.equals(expected)) {
                mismatches.add(row + ": was " + actual);
            }
        }
        assertThat(rows).hasSizeGreaterThan(100);
        assertThat(mismatches).isEmpty();
    }
}
