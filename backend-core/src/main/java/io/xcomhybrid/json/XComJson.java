package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * The XCom JSON codec: writes exactly the bytes of Python's {@code json.dumps(value, cls=XComEncoder)} and reads
 * them back as {@code json.loads(text, cls=XComDecoder)} does.
 *
 * <p>Text: separators {@code ", "} and {@code ": "}, insertion order, no trailing newline; every character outside
 * {@code 0x20..0x7e} escaped as lowercase {@code \\uXXXX} (DEL included, non-BMP characters as surrogate pairs),
 * short escapes {@code \" \\ \n \r \t \b \f}, {@code /} unescaped; floats as Python's {@code repr} ({@link PythonFloats});
 * {@code NaN}, {@code Infinity}, {@code -Infinity} as bare tokens; integers exact, up to Python's 4300-digit limit.
 * Writing streams: a value is never turned into a tree first, so an {@link Iterable} of any size can be written.
 *
 * <p>Java types, both directions (writing accepts the types in the last column; reading gives the third column):
 * <table>
 * <caption>Python and Java types</caption>
 * <tr><th>Python</th><th>JSON</th><th>read as</th><th>written from</th></tr>
 * <tr><td>None</td><td>{@code null}</td><td>null</td><td>null</td></tr>
 * <tr><td>bool</td><td>{@code true}</td><td>Boolean</td><td>Boolean</td></tr>
 * <tr><td>int</td><td>{@code 12}</td><td>Integer, Long or BigInteger (the smallest that fits)</td>
 *     <td>Byte, Short, Integer, Long, AtomicInteger, AtomicLong, BigInteger</td></tr>
 * <tr><td>float</td><td>{@code 1.0}, {@code 1e+16}, {@code NaN}</td><td>Double</td>
 *     <td>Double; Float via its shortest decimal ({@code 0.1f} is written as {@code 0.1}, see {@link PythonFloats#widen})</td></tr>
 * <tr><td>str</td><td>{@code "a"}</td><td>String</td><td>String, Character; an Enum as its name()</td></tr>
 * <tr><td>list</td><td>{@code [..]}</td><td>List (ArrayList)</td><td>any Iterable that is not a Set (written as it
 *     iterates, so it may be lazy and larger than memory), object and primitive arrays (byte[] is refused, as Python
 *     refuses bytes; a Path is refused)</td></tr>
 * <tr><td>dict</td><td>{@code {..}}</td><td>Map&lt;String, Object&gt; (LinkedHashMap, insertion order)</td>
 *     <td>Map with String, integer, Double, Float, Boolean or null keys (written {@code "1"}, {@code "1.5"}, {@code "true"},
 *     {@code "null"} as json.dumps does); a record, as a dict of its components. A map holding the key
 *     {@code __classname__} or {@code __id__} is refused at any depth (Python's serde refuses it; the decoder would
 *     take it for an envelope)</td></tr>
 * <tr><td>tuple</td><td>{@code builtins.tuple} envelope at the top level and inside envelopes, plain array elsewhere</td>
 *     <td>{@link PyTuple} (a nested plain array reads as a List)</td><td>{@link PyTuple}</td></tr>
 * <tr><td>set</td><td>{@code builtins.set}</td><td>Set (LinkedHashSet)</td><td>any Set</td></tr>
 * <tr><td>frozenset</td><td>{@code builtins.frozenset}</td><td>{@link PyFrozenSet}</td><td>{@link PyFrozenSet}</td></tr>
 * <tr><td>aware datetime, fixed offset or UTC ({@code FixedTimezone})</td><td>{@code datetime.datetime} v2,
 *     tz {@code ["UTC" or offset seconds, "pendulum.tz.timezone.FixedTimezone", 1, true]}</td><td>OffsetDateTime</td>
 *     <td>Instant (UTC), OffsetDateTime, ZonedDateTime with a ZoneOffset zone</td></tr>
 * <tr><td>aware datetime with a named zone</td><td>{@code pendulum.datetime.DateTime} v2 (read: also
 *     {@code datetime.datetime}), tz {@code [name, "pendulum.tz.timezone.Timezone", 1, true]} (read: also
 *     {@code zoneinfo.ZoneInfo})</td><td>ZonedDateTime</td><td>ZonedDateTime with a region zone (Airflow's own dates are
 *     pendulum DateTimes in {@code Timezone("UTC")}, so these round-trip byte for byte)</td></tr>
 * <tr><td>naive datetime</td><td>{@code datetime.datetime} v2, {@code "tz": null}, timestamp taken in local time</td>
 *     <td>LocalDateTime in {@link #naiveZone()}</td><td>LocalDateTime, interpreted in {@link #naiveZone()}</td></tr>
 * <tr><td>date</td><td>{@code datetime.date} v2, {@code "YYYY-MM-DD"} (read: also {@code pendulum.date.Date})</td>
 *     <td>LocalDate</td><td>LocalDate</td></tr>
 * <tr><td>timedelta</td><td>{@code datetime.timedelta} v2, total_seconds() float</td><td>Duration</td><td>Duration</td></tr>
 * <tr><td>Decimal</td><td>{@code decimal.Decimal} v1: int when integral, else float (as released Airflow writes it, lossy); read: also the str form of newer task-sdk code</td>
 *     <td>BigDecimal</td><td>BigDecimal (scale &lt;= 0 is integral)</td></tr>
 * <tr><td>UUID</td><td>{@code uuid.UUID} v1, canonical str</td><td>UUID</td><td>UUID</td></tr>
 * <tr><td>timezone</td><td>{@code pendulum.tz.timezone.FixedTimezone} (offset seconds, "UTC" for 0),
 *     {@code ...Timezone} or {@code zoneinfo.ZoneInfo} (name), v1</td><td>ZoneOffset or ZoneId</td><td>ZoneOffset, ZoneId</td></tr>
 * <tr><td>numpy scalars</td><td>{@code numpy.int64} etc. v1, data int/float/bool</td><td>the data: Integer/Long/BigInteger,
 *     Double or Boolean (re-written as a plain number)</td><td>-</td></tr>
 * <tr><td>anything else (dataclass, attrs, pydantic, pandas, a known type with a newer version, a legacy
 *     {@code {"__type": T, "__var": V}} other than {@code dict})</td><td>envelope</td>
 *     <td>{@link PyObject}, data undecoded</td><td>{@link PyObject}, written byte for byte as read</td></tr>
 * </table>
 *
 * <p>Known losses: Python keeps microseconds, so nanoseconds below a microsecond are dropped on write; an Instant
 * reads back as an OffsetDateTime at UTC; a pendulum DateTime with a fixed offset and a stdlib datetime with a named
 * zone change class name on a round trip (same instant and zone); years outside 1..9999 are refused. Naive
 * datetimes depend on the zone Python runs in: {@link #standard()} uses the JVM's default zone, set another with
 * {@link #withNaiveZone(ZoneId)}. A DST gap or overlap resolves as Python's {@code fold=0} does (the earlier offset).
 *
 * <p>A Jackson tree ({@link com.fasterxml.jackson.core.TreeNode}) is written as plain JSON, the way
 * {@link #transcode} copies text: no envelope rules apply inside it.
 *
 * <p>Airflow 2's XComEncoder at commit 03fa0b5 (an early 2.x) lacks the top-level tuple check that later copies
 * have, so such a version writes a top-level tuple as a plain array; this codec writes the envelope in both
 * {@link DbForm}s (a reader on that version gets a tuple back instead of a list).
 */
public final class XComJson
{
    private static final XComJson STANDARD = new XComJson(ZoneId.systemDefault());

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final ZoneId naiveZone;
    private final ValueWriter writer;
    private final ValueReader reader;

    private XComJson(ZoneId naiveZone)
    {
        this.naiveZone = requireNonNull(naiveZone, "naiveZone is null");
        this.factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // correctly rounded like Double.parseDouble and Python's float(), only faster (TestValueReader.floatsParseToPythonsBits)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                // Python's json has no length limits; integers are checked against Python's own limit instead
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .findAndAddModules()
                .build();
        this.writer = new ValueWriter(naiveZone, mapper);
        this.reader = new ValueReader(naiveZone);
    }

    /** The codec with naive datetimes in the JVM's default zone. */
    public static XComJson standard()
    {
        return STANDARD;
    }

    /** A codec that reads and writes naive datetimes in {@code zone}, the zone of the Python processes that share the values. */
    public XComJson withNaiveZone(ZoneId zone)
    {
        return new XComJson(zone);
    }

    /** The zone naive datetimes ({@link java.time.LocalDateTime}) are converted in. */
    public ZoneId naiveZone()
    {
        return naiveZone;
    }

    /**
     * A generator that writes Python-formatted JSON to {@code out}: separators, escapes, float repr and Python's
     * integer limit; closing it does not close {@code out}. Values written through it with
     * {@code writeObject}/{@code writeTree} are not subject to the envelope rules; use {@link #write} for those.
     */
    public JsonGenerator createGenerator(OutputStream out)
            throws IOException
    {
        JsonGenerator generator = factory.createGenerator(out, JsonEncoding.UTF8);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setPrettyPrinter(new PythonPrettyPrinter());
        generator.setCharacterEscapes(PythonCharacterEscapes.INSTANCE);
        generator.setCodec(mapper);
        return new PythonJsonGenerator(generator);
    }

    /**
     * Writes the bytes of {@code json.dumps(value, cls=XComEncoder)} to {@code out}, which stays open. This is the
     * object-storage payload, the text whose size the threshold is compared with, and Airflow 2's database value.
     *
     * @throws IllegalArgumentException if Python could not write the value (unsupported type, reserved key, integer too long)
     */
    public void write(Object value, OutputStream out)
            throws IOException
    {
        writeDbForm(value, DbForm.AIRFLOW2_BYTES, out);
    }

    /**
     * {@link #write}, with the items of a long list (the rows of a large value) encoded by up to {@code helpers} tasks
     * on {@code executor} while the calling thread writes them in order: the same bytes, on more cores. Memory stays
     * bounded (about a MiB per helper); the call returns only when no helper reads the value any more. Give it an
     * executor of its own: a helper waits for the calling thread to catch up, so on a pool whose threads the write
     * also needs (one that compresses the output) the two could wait for each other.
     *
     * @param helpers the most tasks to start on {@code executor}; 0 writes on the calling thread alone
     */
    public void write(Object value, OutputStream out, Executor executor, int helpers)
            throws IOException
    {
        if (helpers == 0) {
            write(value, out);
            return;
        }
        try (PythonJsonWriter json = new PythonJsonWriter(out, new ParallelListEncoder(executor, helpers))) {
            writer.write(json, value, DbForm.AIRFLOW2_BYTES);
        }
    }

    /** {@link #write} into a byte array. */
    public byte[] toBytes(Object value)
    {
        return toDbBytes(value, DbForm.AIRFLOW2_BYTES);
    }

    /** Writes what Airflow stores in the database column for {@code value} under {@code form}; see {@link DbForm}. */
    public void writeDbForm(Object value, DbForm form, OutputStream out)
            throws IOException
    {
        requireNonNull(form, "form is null");
        try (PythonJsonWriter json = new PythonJsonWriter(out)) {
            writer.write(json, value, form);
        }
    }

    /** {@link #writeDbForm} into a byte array. */
    public byte[] toDbBytes(Object value, DbForm form)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeDbForm(value, form, out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Re-encodes JSON text into exactly what {@code json.dumps(json.loads(text))} gives, streaming token by token
     * (bounded memory): floats re-formatted as repr ({@code 1E5} becomes {@code 100000.0}, {@code 1e400}
     * {@code Infinity}), integers kept exact ({@code -0} becomes {@code 0}), strings re-escaped. Envelopes are copied
     * as plain JSON.
     *
     * <p>A repeated key in one object is refused: {@code json.loads} keeps the last value at the key's first position,
     * which a streaming copy cannot reproduce. {@link #read(InputStream)} followed by {@link #write} does.
     *
     * @throws IOException if the input is not exactly one JSON value, repeats a key, or holds an integer Python refuses
     */
    public void transcode(InputStream json, OutputStream out)
            throws IOException
    {
        try (JsonParser parser = new UniqueKeyParser(factory.createParser(json)); PythonJsonWriter python = new PythonJsonWriter(out)) {
            if (parser.nextToken() == null) {
                throw new IOException("Input holds no JSON value");
            }
            try {
                writer.copyStructure(python, parser);
            }
            catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
            requireEnd(parser);
        }
    }

    /**
     * Reads one JSON value as {@code json.loads(text, cls=XComDecoder)}, mapping envelopes to the Java types in the
     * class table. A repeated key keeps its first position and its last value, as in Python.
     *
     * @throws IOException if the input is not exactly one JSON value or a known envelope is malformed (the message
     * gives the path to it)
     */
    public Object read(InputStream in)
            throws IOException
    {
        Object plain;
        try (JsonParser parser = factory.createParser(in)) {
            if (parser.nextToken() == null) {
                throw new IOException("Input holds no JSON value");
            }
            plain = ValueReader.readPlain(parser);
            requireEnd(parser);
        }
        return reader.decode(plain);
    }

    /** {@link #read(InputStream)} from bytes. */
    public Object read(byte[] json)
    {
        try {
            return read(new ByteArrayInputStream(json));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds JSON to {@code type} with Jackson's data binding; envelopes are not decoded unless {@code type} is Object. */
    public <T> T read(InputStream in, Class<T> type)
            throws IOException
    {
        if (type == Object.class) {
            return type.cast(read(in));
        }
        return mapper.readValue(in, type);
    }

    /** The JSON string literal for {@code text}, as {@code json.dumps(text)} writes it (with quotes). */
    public byte[] encodeString(String text)
    {
        return toBytes(requireNonNull(text, "text is null"));
    }

    /** Parses a JSON document that must be a string; empty if it is any other JSON value or not JSON at all. */
    public Optional<String> decodeString(byte[] json)
    {
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                return Optional.empty();
            }
            String text = parser.getText();
            return parser.nextToken() == null ? Optional.of(text) : Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void requireEnd(JsonParser parser)
            throws IOException
    {
        if (parser.nextToken() != null) {
            throw new IOException("Unexpected data after the JSON value at " + parser.currentLocation().offsetDescription());
        }
    }
}
