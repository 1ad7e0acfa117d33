package io.xcomhybrid.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Type envelopes (spec section 4), expected bytes written from the spec; the conformance suite checks them against Airflow. */
class TestEnvelopes
{
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String UTC_FIXED = "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"UTC\", \"pendulum.tz.timezone.FixedTimezone\", 1, true]}";

    private final XComJson json = XComJson.standard().withNaiveZone(PARIS);

    /** Java value, the exact text, and the value read back from that text. */
    static Stream<Arguments> envelopes()
    {
        OffsetDateTime utc = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC);
        OffsetDateTime plusTwo = OffsetDateTime.of(2024, 1, 2, 5, 4, 5, 123_456_000, ZoneOffset.ofHours(2));
        ZonedDateTime paris = ZonedDateTime.of(2024, 7, 1, 12, 0, 0, 0, PARIS);
        ZonedDateTime utcRegion = ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"));
        UUID uuid = UUID.fromString("ee06a911-452b-4eed-b9c2-ea2806615743");
        return Stream.of(
                Arguments.of("tuple", PyTuple.of(1, "a", null),
                        "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, \"a\", null]}", PyTuple.of(1, "a", null)),
                Arguments.of("tuple with nested tuple and True key", PyTuple.of(PyTuple.of(1, 2), Map.of(true, 1)),
                        "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, 2]}, {\"True\": 1}]}",
                        PyTuple.of(PyTuple.of(1, 2), Map.of("True", 1))),
                Arguments.of("set", new LinkedHashSet<>(List.of(3, 1, 2)),
                        "{\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [3, 1, 2]}", new LinkedHashSet<>(List.of(3, 1, 2))),
                Arguments.of("frozenset", PyFrozenSet.of("x", "y"),
                        "{\"__classname__\": \"builtins.frozenset\", \"__version__\": 1, \"__data__\": [\"x\", \"y\"]}", PyFrozenSet.of("x", "y")),
                Arguments.of("set in a list", List.of(Set.of(PyTuple.of(1, 2))),
                        "[{\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, 2]}]}]",
                        List.of(Set.of(PyTuple.of(1, 2)))),
                Arguments.of("OffsetDateTime UTC", utc,
                        "{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704164645.123456, \"tz\": " + UTC_FIXED + "}}", utc),
                Arguments.of("Instant", utc.toInstant(),
                        "{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704164645.123456, \"tz\": " + UTC_FIXED + "}}", utc),
                Arguments.of("OffsetDateTime +02:00", plusTwo,
                        "{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704164645.123456, \"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [7200, \"pendulum.tz.timezone.FixedTimezone\", 1, true]}}}", plusTwo),
                Arguments.of("ZonedDateTime region", paris,
                        "{\"__classname__\": \"pendulum.datetime.DateTime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1719828000.0, \"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"Europe/Paris\", \"pendulum.tz.timezone.Timezone\", 1, true]}}}", paris),
                Arguments.of("ZonedDateTime UTC region (Airflow's own dates)", utcRegion,
                        "{\"__classname__\": \"pendulum.datetime.DateTime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704067200.0, \"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"UTC\", \"pendulum.tz.timezone.Timezone\", 1, true]}}}", utcRegion),
                Arguments.of("ZonedDateTime with an offset zone", ZonedDateTime.of(2024, 1, 2, 5, 4, 5, 123_456_000, ZoneOffset.ofHours(2)),
                        "{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704164645.123456, \"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [7200, \"pendulum.tz.timezone.FixedTimezone\", 1, true]}}}", plusTwo),
                Arguments.of("LocalDateTime (naive, Europe/Paris)", LocalDateTime.of(2024, 7, 1, 12, 0, 0, 1000),
                        "{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1719828000.000001, \"tz\": null}}", LocalDateTime.of(2024, 7, 1, 12, 0, 0, 1000)),
                Arguments.of("LocalDate", LocalDate.of(2024, 2, 29),
                        "{\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-02-29\"}", LocalDate.of(2024, 2, 29)),
                Arguments.of("LocalDate before year 1000", LocalDate.of(999, 1, 5),
                        "{\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"0999-01-05\"}", LocalDate.of(999, 1, 5)),
                Arguments.of("Duration", Duration.ofDays(1).plusSeconds(3).plusNanos(7000),
                        "{\"__classname__\": \"datetime.timedelta\", \"__version__\": 2, \"__data__\": 86403.000007}", Duration.ofDays(1).plusSeconds(3).plusNanos(7000)),
                Arguments.of("negative Duration", Duration.ofNanos(-1000),
                        "{\"__classname__\": \"datetime.timedelta\", \"__version__\": 2, \"__data__\": -1e-06}", Duration.ofNanos(-1000)),
                Arguments.of("integral BigDecimal", new BigDecimal("12345678901234567890"),
                        "{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 12345678901234567890}", new BigDecimal("12345678901234567890")),
                Arguments.of("BigDecimal with a positive exponent", new BigDecimal("1.2E+3"),
                        "{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 1200}", new BigDecimal("1200")),
                // released Airflow writes float(Decimal): lossy, trailing zeros are lost, as in Python
                Arguments.of("fractional BigDecimal", new BigDecimal("12.34"),
                        "{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 12.34}", new BigDecimal("12.34")),
                Arguments.of("BigDecimal loses trailing zeros as a float", new BigDecimal("1.50"),
                        "{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 1.5}", new BigDecimal("1.5")),
                Arguments.of("small BigDecimal", new BigDecimal("0.000000123"),
                        "{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 1.23e-07}", new BigDecimal("0.000000123")),
                Arguments.of("BigDecimal beyond double precision", new BigDecimal("0.12345678901234567890123"),
                        "{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 0.12345678901234568}", new BigDecimal("0.12345678901234568")),
                Arguments.of("UUID", uuid,
                        "{\"__classname__\": \"uuid.UUID\", \"__version__\": 1, \"__data__\": \"ee06a911-452b-4eed-b9c2-ea2806615743\"}", uuid),
                Arguments.of("ZoneOffset", ZoneOffset.ofHours(-5),
                        "{\"__classname__\": \"pendulum.tz.timezone.FixedTimezone\", \"__version__\": 1, \"__data__\": -18000}", ZoneOffset.ofHours(-5)),
                Arguments.of("ZoneOffset UTC", ZoneOffset.UTC,
                        "{\"__classname__\": \"pendulum.tz.timezone.FixedTimezone\", \"__version__\": 1, \"__data__\": \"UTC\"}", ZoneOffset.UTC),
                Arguments.of("ZoneId", PARIS,
                        "{\"__classname__\": \"pendulum.tz.timezone.Timezone\", \"__version__\": 1, \"__data__\": \"Europe/Paris\"}", PARIS),
                Arguments.of("unknown envelope with nested envelopes", new PyObject("my_dags.Point", 0, map("x", 1.0, "when", map("__classname__", "datetime.date", "__version__", 2, "__data__", "2024-01-01"))),
                        "{\"__classname__\": \"my_dags.Point\", \"__version__\": 0, \"__data__\": {\"x\": 1.0, \"when\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-01-01\"}}}",
                        new PyObject("my_dags.Point", 0, map("x", 1.0, "when", map("__classname__", "datetime.date", "__version__", 2, "__data__", "2024-01-01")))),
                Arguments.of("envelopes inside a dict", map("d", LocalDate.of(2024, 1, 1), "u", List.of(uuid)),
                        "{\"d\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-01-01\"}, \"u\": [{\"__classname__\": \"uuid.UUID\", \"__version__\": 1, \"__data__\": \"ee06a911-452b-4eed-b9c2-ea2806615743\"}]}",
                        map("d", LocalDate.of(2024, 1, 1), "u", List.of(uuid))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopes")
    void writesEnvelope(String name, Object value, String expected, Object readBack)
    {
        assertThat(new String(json.toBytes(value), US_ASCII)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopes")
    void readsEnvelope(String name, Object value, String text, Object readBack)
    {
        assertThat(json.read(text.getBytes(US_ASCII))).isEqualTo(readBack);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envelopes")
    void roundTripsByteForByte(String name, Object value, String text, Object readBack)
    {
        assertThat(new String(json.toBytes(json.read(text.getBytes(US_ASCII))), US_ASCII)).isEqualTo(text);
    }

    @Test
    void nestedTupleIsAPlainArrayUnderXComEncoder()
    {
        assertThat(new String(json.toBytes(List.of(PyTuple.of(1, 2), map("t", PyTuple.of()))), US_ASCII))
                .isEqualTo("[[1, 2], {\"t\": []}]");
    }

    @Test
    void readsEnvelopeKeysInAnyOrder()
    {
        // PostgreSQL JSONB orders keys by length, then bytes
        assertThat(json.read("{\"__data__\": \"2024-01-01\", \"__version__\": 2, \"__classname__\": \"pendulum.date.Date\"}".getBytes(US_ASCII)))
                .isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(json.read("{\"__data__\": [1], \"__version__\": 1, \"__classname__\": \"my.Class\"}".getBytes(US_ASCII)))
                .isEqualTo(new PyObject("my.Class", 1, List.of(1)));
    }

    @Test
    void readsOlderForms()
    {
        // Decimal as a str (unreleased task-sdk code) and as a float (released Airflow)
        assertThat(json.read("{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": \"1.50\"}".getBytes(US_ASCII)))
                .isEqualTo(new BigDecimal("1.50"));
        assertThat(json.read("{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 12.34}".getBytes(US_ASCII)))
                .isEqualTo(new BigDecimal("12.34"));
        assertThat(json.read("{\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 1e-05}".getBytes(US_ASCII)))
                .isEqualTo(new BigDecimal("0.00001"));
        // datetime version 1: tz as a name, with Python's short-name table
        assertThat(json.read("{\"__classname__\": \"datetime.datetime\", \"__version__\": 1, \"__data__\": {\"timestamp\": 1704067200.0, \"tz\": \"EDT\"}}".getBytes(US_ASCII)))
                .isEqualTo(OffsetDateTime.of(2023, 12, 31, 20, 0, 0, 0, ZoneOffset.ofHours(-4)));
        assertThat(json.read("{\"__classname__\": \"datetime.datetime\", \"__version__\": 1, \"__data__\": {\"timestamp\": 1704067200.0, \"tz\": \"Europe/Paris\"}}".getBytes(US_ASCII)))
                .isEqualTo(ZonedDateTime.of(2024, 1, 1, 1, 0, 0, 0, PARIS));
        // zoneinfo.ZoneInfo and a stdlib datetime
        assertThat(json.read("{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704067200.5, \"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"America/New_York\", \"zoneinfo.ZoneInfo\", 1, true]}}}".getBytes(US_ASCII)))
                .isEqualTo(ZonedDateTime.of(2023, 12, 31, 19, 0, 0, 500_000_000, ZoneId.of("America/New_York")));
        // legacy {"__type", "__var"}
        assertThat(json.read("{\"__type\": \"dict\", \"__var\": {\"a\": {\"__type\": \"dict\", \"__var\": {}}}}".getBytes(US_ASCII)))
                .isEqualTo(map("a", map()));
        assertThat(json.read("{\"__type\": \"datetime\", \"__var\": 1704067200.0}".getBytes(US_ASCII)))
                .isEqualTo(new PyObject("datetime", 0, 1704067200.0));
        // numpy scalars read as numbers
        assertThat(json.read("[{\"__classname__\": \"numpy.int64\", \"__version__\": 1, \"__data__\": 7}, {\"__classname__\": \"numpy.float32\", \"__version__\": 1, \"__data__\": 0.10000000149011612}, {\"__classname__\": \"numpy.bool_\", \"__version__\": 1, \"__data__\": true}]".getBytes(US_ASCII)))
                .isEqualTo(List.of(7, 0.10000000149011612, true));
        // a dict with __version__ but no __classname__ is a plain dict
        assertThat(json.read("{\"__version__\": 1, \"__data__\": 2}".getBytes(US_ASCII))).isEqualTo(map("__version__", 1, "__data__", 2));
    }

    @Test
    void keepsEnvelopesWithNewerVersionsOpaque()
    {
        String text = "{\"__classname__\": \"datetime.datetime\", \"__version__\": 3, \"__data__\": {\"iso\": \"2024-01-01\"}}";
        assertThat(json.read(text.getBytes(US_ASCII))).isEqualTo(new PyObject("datetime.datetime", 3, map("iso", "2024-01-01")));
        assertThat(new String(json.toBytes(json.read(text.getBytes(US_ASCII))), US_ASCII)).isEqualTo(text);
    }

    @Test
    void naiveDateTimesFollowTheConfiguredZone()
    {
        LocalDateTime local = LocalDateTime.of(2024, 1, 1, 0, 0);
        assertThat(new String(XComJson.standard().withNaiveZone(ZoneOffset.UTC).toBytes(local), US_ASCII))
                .isEqualTo("{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704067200.0, \"tz\": null}}");
        assertThat(new String(json.toBytes(local), US_ASCII))
                .isEqualTo("{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704063600.0, \"tz\": null}}");
        assertThat(json.naiveZone()).isEqualTo(PARIS);
        assertThat(XComJson.standard().naiveZone()).isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void dropsSubMicrosecondDigits()
    {
        Instant instant = Instant.ofEpochSecond(1, 999_999);
        assertThat(json.read(json.toBytes(instant))).isEqualTo(OffsetDateTime.ofInstant(Instant.ofEpochSecond(1, 999_000), ZoneOffset.UTC));
    }

    @Test
    void refusesValuesPythonCannotHold()
    {
        assertThatThrownBy(() -> json.toBytes(LocalDate.of(10000, 1, 1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("years 1 to 9999");
        assertThatThrownBy(() -> json.toBytes(Instant.parse("-0001-01-01T00:00:00Z"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("years 1 to 9999");
        assertThatThrownBy(() -> json.toBytes(Duration.ofDays(1_000_000_000L))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timedelta range");
    }

    @Test
    void reportsMalformedKnownEnvelopesWithTheirPath()
    {
        assertThatThrownBy(() -> json.read("{\"a\": [0, {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"not a date\"}]}".getBytes(US_ASCII)))
                .hasMessageContaining("At key \"a\": At index 1: Cannot decode datetime.date version 2: not an ISO date: not a date");
        assertThatThrownBy(() -> json.read("{\"__classname__\": 1, \"__version__\": 2}".getBytes(US_ASCII)))
                .hasMessageContaining("__classname__ must be a string");
    }

    static Map<String, Object> map(Object... keysAndValues)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
