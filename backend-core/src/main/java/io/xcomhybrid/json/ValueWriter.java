package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.TreeNode;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.xcomhybrid.json.Envelopes.BUILTIN_VERSION;
import static io.xcomhybrid.json.Envelopes.CLASSNAME;
import static io.xcomhybrid.json.Envelopes.DATA;
import static io.xcomhybrid.json.Envelopes.DATE;
import static io.xcomhybrid.json.Envelopes.DATETIME;
import static io.xcomhybrid.json.Envelopes.DATETIME_VERSION;
import static io.xcomhybrid.json.Envelopes.DECIMAL;
import static io.xcomhybrid.json.Envelopes.DECIMAL_VERSION;
import static io.xcomhybrid.json.Envelopes.FIXED_TIMEZONE;
import static io.xcomhybrid.json.Envelopes.FROZENSET;
import static io.xcomhybrid.json.Envelopes.PENDULUM_DATETIME;
import static io.xcomhybrid.json.Envelopes.SCHEMA_ID;
import static io.xcomhybrid.json.Envelopes.SET;
import static io.xcomhybrid.json.Envelopes.TIMEDELTA;
import static io.xcomhybrid.json.Envelopes.TIMEZONE;
import static io.xcomhybrid.json.Envelopes.TIMEZONE_VERSION;
import static io.xcomhybrid.json.Envelopes.TUPLE;
import static io.xcomhybrid.json.Envelopes.UUID_VERSION;
import static io.xcomhybrid.json.Envelopes.VERSION;

/**
 * Walks a Java value and writes it as Python would: {@code json.dumps(value, cls=XComEncoder)} or
 * {@code json.dumps(serde.serialize(value))}. Streams: nothing but the current path is held.
 */
final class ValueWriter
{
    /**
     * PLAIN: Python's json encoder handles the container (lists, dicts, nested tuples as arrays, json.dumps keys).
     * SERDE: inside serde.serialize (tuples as envelopes, str() keys). RAW: undecoded data of a {@link PyObject}.
     */
    private enum Mode
    {
        PLAIN, SERDE, RAW
    }

    private final ZoneId naiveZone;
    private final ObjectMapper mapper;

    /**
     * @param mapper used only to introspect JavaBeans (properties, {@code @JsonProperty}, {@code @JsonIgnore},
     *        {@code @JsonValue}); the values it finds are written by this class's own rules
     */
    ValueWriter(ZoneId naiveZone, ObjectMapper mapper)
    {
        this.naiveZone = naiveZone;
        this.mapper = mapper;
    }

    void write(JsonGenerator generator, Object value, DbForm form)
            throws IOException
    {
        write(generator, value, form == DbForm.AIRFLOW3_SERDE ? Mode.SERDE : Mode.PLAIN, true);
    }

    private void write(JsonGenerator generator, Object value, Mode mode, boolean top)
            throws IOException
    {
        if (value == null) {
            generator.writeNull();
        }
        else if (value instanceof String string) {
            generator.writeString(string);
        }
        else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        }
        else if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof AtomicInteger) {
            generator.writeNumber(((Number) value).intValue());
        }
        else if (value instanceof Long || value instanceof AtomicLong) {
            generator.writeNumber(((Number) value).longValue());
        }
        else if (value instanceof BigInteger integer) {
            generator.writeNumber(integer);
        }
        else if (value instanceof Double number) {
            generator.writeNumber(number.doubleValue());
        }
        else if (value instanceof Float number) {
            generator.writeNumber(number.floatValue());
        }
        else if (value instanceof Character character) {
            generator.writeString(character.toString());
        }
        else if (value instanceof Map<?, ?> map) {
            writeMap(generator, map, mode);
        }
        else if (value instanceof PyTuple tuple) {
            if (top || mode != Mode.PLAIN) {
                writeListEnvelope(generator, TUPLE, tuple.items(), mode);
            }
            else {
                writeArray(generator, tuple.items().iterator(), mode);
            }
        }
        else if (value instanceof PyFrozenSet set) {
            writeListEnvelope(generator, FROZENSET, set.items(), mode);
        }
        else if (value instanceof Set<?> set) {
            writeListEnvelope(generator, SET, set, mode);
        }
        else if (value instanceof PyObject object) {
            startEnvelope(generator, object.classname(), object.version());
            write(generator, object.data(), Mode.RAW, false);
            generator.writeEndObject();
        }
        else if (value instanceof TreeNode node) {
            // a Jackson tree is plain JSON: copied as transcode() copies text
            try (JsonParser parser = node.traverse()) {
                parser.nextToken();
                generator.copyCurrentStructure(parser);
            }
        }
        else if (value instanceof Path) {
            // a Path is an Iterable of Paths: it would never end
            throw unsupported(generator, value, "write the path as a String");
        }
        else if (value instanceof Iterable<?> iterable) {
            writeArray(generator, iterable.iterator(), mode);
        }
        else if (value instanceof Object[] array) {
            writeArray(generator, Arrays.asList(array).iterator(), mode);
        }
        else if (value instanceof int[] || value instanceof long[] || value instanceof double[] || value instanceof float[]
                || value instanceof short[] || value instanceof boolean[] || value instanceof char[]) {
            writePrimitiveArray(generator, value);
        }
        else if (value instanceof BigDecimal decimal) {
            writeDecimal(generator, decimal);
        }
        else if (value instanceof UUID uuid) {
            startEnvelope(generator, Envelopes.UUID, UUID_VERSION);
            generator.writeString(uuid.toString());
            generator.writeEndObject();
        }
        else if (value instanceof Instant instant) {
            PythonTime.checkRange(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), value);
            writeDateTime(generator, DATETIME, PythonTime.awareTimestamp(instant), "UTC", FIXED_TIMEZONE);
        }
        else if (value instanceof OffsetDateTime dateTime) {
            PythonTime.checkRange(dateTime.toLocalDateTime(), value);
            writeDateTime(generator, DATETIME, PythonTime.awareTimestamp(dateTime.toInstant()), fixedTimezone(dateTime.getOffset()), FIXED_TIMEZONE);
        }
        else if (value instanceof ZonedDateTime dateTime) {
            PythonTime.checkRange(dateTime.toLocalDateTime(), value);
            double timestamp = PythonTime.awareTimestamp(dateTime.toInstant());
            if (dateTime.getZone() instanceof ZoneOffset offset) {
                writeDateTime(generator, DATETIME, timestamp, fixedTimezone(offset), FIXED_TIMEZONE);
            }
            else {
                writeDateTime(generator, PENDULUM_DATETIME, timestamp, dateTime.getZone().getId(), TIMEZONE);
            }
        }
        else if (value instanceof LocalDateTime dateTime) {
            PythonTime.checkRange(dateTime, value);
            writeDateTime(generator, DATETIME, PythonTime.naiveTimestamp(dateTime, naiveZone), null, null);
        }
        else if (value instanceof LocalDate date) {
            PythonTime.checkRange(date);
            startEnvelope(generator, DATE, DATETIME_VERSION);
            generator.writeString(date.toString());
            generator.writeEndObject();
        }
        else if (value instanceof Duration duration) {
            startEnvelope(generator, TIMEDELTA, DATETIME_VERSION);
            generator.writeNumber(PythonTime.totalSeconds(duration));
            generator.writeEndObject();
        }
        else if (value instanceof ZoneOffset offset) {
            startEnvelope(generator, FIXED_TIMEZONE, TIMEZONE_VERSION);
            writeScalar(generator, fixedTimezone(offset));
            generator.writeEndObject();
        }
        else if (value instanceof ZoneId zone) {
            startEnvelope(generator, TIMEZONE, TIMEZONE_VERSION);
            generator.writeString(zone.getId());
            generator.writeEndObject();
        }
        else if (value instanceof Enum<?> constant) {
            generator.writeString(constant.name());
        }
        else if (value instanceof Record record) {
            writeMap(generator, recordFields(record), mode);
        }
        else if (value instanceof byte[]) {
            throw unsupported(generator, value, "Python's json cannot write bytes either; encode them (e.g. base64) into a str");
        }
        else {
            writeBean(generator, value, mode);
        }
    }

    /** A JavaBean/POJO, as Jackson sees it: its {@code @JsonValue}, or a dict of its serializable properties. */
    private void writeBean(JsonGenerator generator, Object value, Mode mode)
            throws IOException
    {
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(value.getClass()));
        AnnotatedMember jsonValue = description.findJsonValueAccessor();
        if (jsonValue != null) {
            jsonValue.fixAccess(true);
            Object delegate;
            try {
                delegate = jsonValue.getValue(value);
            }
            catch (RuntimeException e) {
                throw new IllegalArgumentException("Cannot read @JsonValue %s of %s: %s".formatted(jsonValue.getName(), value.getClass().getName(), rootMessage(e)), e);
            }
            write(generator, delegate, mode, false);
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (BeanPropertyDefinition property : description.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor == null) {
                continue;
            }
            accessor.fixAccess(true);
            try {
                fields.put(property.getName(), accessor.getValue(value));
            }
            catch (RuntimeException e) {
                throw new IllegalArgumentException("Cannot read property %s of %s: %s".formatted(property.getName(), value.getClass().getName(), rootMessage(e)), e);
            }
        }
        if (fields.isEmpty()) {
            throw unsupported(generator, value, "it has no bean properties; use a Map, List, record, POJO or one of the types listed on XComJson");
        }
        writeMap(generator, fields, mode);
    }

    private void writeMap(JsonGenerator generator, Map<?, ?> map, Mode mode)
            throws IOException
    {
        if (mode != Mode.RAW && (map.containsKey(CLASSNAME) || map.containsKey(SCHEMA_ID))) {
            throw new IllegalArgumentException(("Map at %s has the key %s, which Airflow reserves for type envelopes "
                    + "(serde.serialize and XComEncoder raise AttributeError for it)")
                    .formatted(path(generator), map.containsKey(CLASSNAME) ? CLASSNAME : SCHEMA_ID));
        }
        if (mode == Mode.PLAIN) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(jsonKey(generator, entry.getKey()));
                write(generator, entry.getValue(), mode, false);
            }
            generator.writeEndObject();
            return;
        }
        // {str(k): serialize(v) for k, v in o.items()}: keys equal after str() collapse to the first position and the last value
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            converted.put(mode == Mode.RAW && entry.getKey() instanceof String key ? key : strKey(generator, entry.getKey()), entry.getValue());
        }
        generator.writeStartObject();
        for (Map.Entry<String, Object> entry : converted.entrySet()) {
            generator.writeFieldName(entry.getKey());
            write(generator, entry.getValue(), mode, false);
        }
        generator.writeEndObject();
    }

    /** The key as {@code json.dumps} writes it; other key types raise TypeError in Python. */
    private static String jsonKey(JsonGenerator generator, Object key)
    {
        if (key instanceof String string) {
            return string;
        }
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean bool) {
            return bool ? "true" : "false";
        }
        if (isInteger(key)) {
            return key.toString();
        }
        if (key instanceof Double number) {
            return PythonFloats.repr(number);
        }
        if (key instanceof Float number) {
            return PythonFloats.repr(PythonFloats.widen(number));
        }
        if (key instanceof Character character) {
            return character.toString();
        }
        throw badKey(generator, key);
    }

    /** The key as {@code str(key)} gives it, which serde.serialize uses. */
    private static String strKey(JsonGenerator generator, Object key)
    {
        if (key instanceof String string) {
            return string;
        }
        if (key == null) {
            return "None";
        }
        if (key instanceof Boolean bool) {
            return bool ? "True" : "False";
        }
        if (isInteger(key)) {
            return key.toString();
        }
        if (key instanceof Double || key instanceof Float) {
            double number = key instanceof Float single ? PythonFloats.widen(single) : (Double) key;
            if (Double.isNaN(number)) {
                return "nan";
            }
            if (Double.isInfinite(number)) {
                return number > 0 ? "inf" : "-inf";
            }
            return PythonFloats.repr(number);
        }
        if (key instanceof Character character) {
            return character.toString();
        }
        throw badKey(generator, key);
    }

    private static boolean isInteger(Object key)
    {
        return key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte || key instanceof BigInteger;
    }

    private static IllegalArgumentException badKey(JsonGenerator generator, Object key)
    {
        return new IllegalArgumentException("Map at %s has a key of type %s; keys must be String, an integer type, Double, Float, Boolean or null (Python: str, int, float, bool or None)"
                .formatted(path(generator), key.getClass().getName()));
    }

    private void writeArray(JsonGenerator generator, Iterator<?> items, Mode mode)
            throws IOException
    {
        generator.writeStartArray();
        while (items.hasNext()) {
            write(generator, items.next(), mode, false);
        }
        generator.writeEndArray();
    }

    private void writeListEnvelope(JsonGenerator generator, String classname, Iterable<?> items, Mode mode)
            throws IOException
    {
        startEnvelope(generator, classname, BUILTIN_VERSION);
        writeArray(generator, items.iterator(), mode == Mode.RAW ? Mode.RAW : Mode.SERDE);
        generator.writeEndObject();
    }

    private static void writePrimitiveArray(JsonGenerator generator, Object array)
            throws IOException
    {
        generator.writeStartArray();
        if (array instanceof int[] ints) {
            for (int item : ints) {
                generator.writeNumber(item);
            }
        }
        else if (array instanceof long[] longs) {
            for (long item : longs) {
                generator.writeNumber(item);
            }
        }
        else if (array instanceof double[] doubles) {
            for (double item : doubles) {
                generator.writeNumber(item);
            }
        }
        else if (array instanceof float[] floats) {
            for (float item : floats) {
                generator.writeNumber(item);
            }
        }
        else if (array instanceof short[] shorts) {
            for (short item : shorts) {
                generator.writeNumber(item);
            }
        }
        else if (array instanceof boolean[] booleans) {
            for (boolean item : booleans) {
                generator.writeBoolean(item);
            }
        }
        else {
            for (char item : (char[]) array) {
                generator.writeString(String.valueOf(item));
            }
        }
        generator.writeEndArray();
    }

    /** Integral values (scale <= 0, Python exponent >= 0) as an int, others as the task SDK's str(Decimal). */
    private static void writeDecimal(JsonGenerator generator, BigDecimal decimal)
            throws IOException
    {
        startEnvelope(generator, DECIMAL, DECIMAL_VERSION);
        if (decimal.scale() <= 0) {
            generator.writeNumber(decimal.toBigIntegerExact());
        }
        else {
            // Released Airflow (2.11 and 3.x task-sdk 1.3) writes float(o), lossy as it is; the conformance suite pins
            // this. Only unreleased task-sdk code writes str(o), which the reader accepts too.
            generator.writeNumber(decimal.doubleValue());
        }
        generator.writeEndObject();
    }

    private static void writeDateTime(JsonGenerator generator, String classname, double timestamp, Object tzName, String tzClassname)
            throws IOException
    {
        startEnvelope(generator, classname, DATETIME_VERSION);
        generator.writeStartObject();
        generator.writeFieldName("timestamp");
        generator.writeNumber(timestamp);
        generator.writeFieldName("tz");
        if (tzName == null) {
            generator.writeNull();
        }
        else {
            startEnvelope(generator, TUPLE, BUILTIN_VERSION);
            generator.writeStartArray();
            writeScalar(generator, tzName);
            generator.writeString(tzClassname);
            generator.writeNumber(TIMEZONE_VERSION);
            generator.writeBoolean(true);
            generator.writeEndArray();
            generator.writeEndObject();
        }
        generator.writeEndObject();
        generator.writeEndObject();
    }

    /** A FixedTimezone's data: the offset in seconds, or "UTC" for a zero offset. */
    private static Object fixedTimezone(ZoneOffset offset)
    {
        return offset.getTotalSeconds() == 0 ? "UTC" : (Object) offset.getTotalSeconds();
    }

    private static void writeScalar(JsonGenerator generator, Object value)
            throws IOException
    {
        if (value instanceof Integer number) {
            generator.writeNumber(number);
        }
        else {
            generator.writeString((String) value);
        }
    }

    private static void startEnvelope(JsonGenerator generator, String classname, int version)
            throws IOException
    {
        generator.writeStartObject();
        generator.writeFieldName(CLASSNAME);
        generator.writeString(classname);
        generator.writeFieldName(VERSION);
        generator.writeNumber(version);
        generator.writeFieldName(DATA);
    }

    private static Map<String, Object> recordFields(Record record)
    {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                fields.put(component.getName(), component.getAccessor().invoke(record));
            }
            catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot read component %s of record %s".formatted(component.getName(), record.getClass().getName()), e);
            }
        }
        return fields;
    }

    private static String rootMessage(Throwable failure)
    {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    }

    private static IllegalArgumentException unsupported(JsonGenerator generator, Object value, String hint)
    {
        return new IllegalArgumentException("Cannot write a value of type %s at %s as XCom JSON: %s"
                .formatted(value.getClass().getName(), path(generator), hint));
    }

    /** The JSON pointer of the value about to be written, for error messages. */
    static String path(JsonGenerator generator)
    {
        Deque<String> segments = new ArrayDeque<>();
        boolean innermost = true;
        for (JsonStreamContext context = generator.getOutputContext(); context != null && !context.inRoot(); context = context.getParent()) {
            if (context.inArray()) {
                // the innermost array has not counted the value being written yet; outer ones have counted the open container
                segments.push(String.valueOf(innermost ? context.getEntryCount() : context.getCurrentIndex()));
            }
            else {
                String name = context.getCurrentName();
                segments.push(name == null ? "" : name.replace("~", "~0").replace("/", "~1"));
            }
            innermost = false;
        }
        return segments.isEmpty() ? "the top level" : "/" + String.join("/", segments);
    }
}
