package io.xcomhybrid.json;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
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

    // the classes of List.of(...) (one or two items, more); immutable, so never a Set, Path or Jackson tree
    private static final Class<?> LIST12 = List.of(1).getClass();
    private static final Class<?> LISTN = List.of(1, 2, 3).getClass();

    // shorter lists are never worth splitting over threads: a row's few fields
    private static final int PARALLEL_MIN_ITEMS = 64;

    private final ZoneId naiveZone;
    private final ObjectMapper mapper;

    /** Writes item {@code index} of the list being split into {@code out}. */
    interface ItemWriter
    {
        void write(PythonJsonWriter out, int index)
                throws IOException;
    }

    /**
     * @param mapper used only to introspect JavaBeans (properties, {@code @JsonProperty}, {@code @JsonIgnore},
     *        {@code @JsonValue}); the values it finds are written by this class's own rules
     */
    ValueWriter(ZoneId naiveZone, ObjectMapper mapper)
    {
        this.naiveZone = naiveZone;
        this.mapper = mapper;
    }

    void write(PythonJsonWriter out, Object value, DbForm form)
            throws IOException
    {
        write(out, value, form == DbForm.AIRFLOW3_SERDE ? Mode.SERDE : Mode.PLAIN, true);
    }

    private void write(PythonJsonWriter out, Object value, Mode mode, boolean top)
            throws IOException
    {
        // the types most values are made of, by exact class first: the general chain below tests interfaces (Map,
        // Set, TreeNode, Path, Iterable) before it reaches a list, each test a scan of the class's interfaces
        Class<?> type = value == null ? null : value.getClass();
        if (type == String.class) {
            out.writeString((String) value);
        }
        else if (type == Integer.class) {
            out.writeNumber((int) (Integer) value);
        }
        else if (type == Double.class) {
            out.writeNumber((double) (Double) value);
        }
        else if (type == Boolean.class) {
            out.writeBoolean((Boolean) value);
        }
        else if (type == ArrayList.class || type == LIST12 || type == LISTN) {
            writeList(out, (List<?>) value, mode);
        }
        else if (type == LinkedHashMap.class || type == HashMap.class) {
            writeMap(out, (Map<?, ?>) value, mode);
        }
        else {
            writeAny(out, value, mode, top);
        }
    }

    private void writeAny(PythonJsonWriter out, Object value, Mode mode, boolean top)
            throws IOException
    {
        if (value == null) {
            out.writeNull();
        }
        else if (value instanceof String string) {
            out.writeString(string);
        }
        else if (value instanceof Boolean bool) {
            out.writeBoolean(bool);
        }
        else if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof AtomicInteger) {
            out.writeNumber(((Number) value).intValue());
        }
        else if (value instanceof Long || value instanceof AtomicLong) {
            out.writeNumber(((Number) value).longValue());
        }
        else if (value instanceof BigInteger integer) {
            out.writeNumber(integer);
        }
        else if (value instanceof Double number) {
            out.writeNumber(number.doubleValue());
        }
        else if (value instanceof Float number) {
            out.writeNumber(number.floatValue());
        }
        else if (value instanceof Character character) {
            out.writeString(character.toString());
        }
        else if (value instanceof Map<?, ?> map) {
            writeMap(out, map, mode);
        }
        else if (value instanceof PyTuple tuple) {
            if (top || mode != Mode.PLAIN) {
                writeListEnvelope(out, TUPLE, tuple.items(), mode);
            }
            else {
                writeArray(out, tuple.items().iterator(), mode);
            }
        }
        else if (value instanceof PyFrozenSet set) {
            writeListEnvelope(out, FROZENSET, set.items(), mode);
        }
        else if (value instanceof Set<?> set) {
            writeListEnvelope(out, SET, set, mode);
        }
        else if (value instanceof PyObject object) {
            startEnvelope(out, object.classname(), object.version());
            write(out, object.data(), Mode.RAW, false);
            out.writeEndObject();
        }
        else if (value instanceof TreeNode node) {
            // a Jackson tree is plain JSON: copied as transcode() copies text
            try (JsonParser parser = node.traverse()) {
                parser.nextToken();
                copyStructure(out, parser);
            }
        }
        else if (value instanceof Path) {
            // a Path is an Iterable of Paths: it would never end
            throw unsupported(out, value, "write the path as a String");
        }
        else if (value instanceof Iterable<?> iterable) {
            writeArray(out, iterable.iterator(), mode);
        }
        else if (value instanceof Object[] array) {
            writeArray(out, Arrays.asList(array).iterator(), mode);
        }
        else if (value instanceof int[] || value instanceof long[] || value instanceof double[] || value instanceof float[]
                || value instanceof short[] || value instanceof boolean[] || value instanceof char[]) {
            writePrimitiveArray(out, value);
        }
        else if (value instanceof BigDecimal decimal) {
            writeDecimal(out, decimal);
        }
        else if (value instanceof UUID uuid) {
            startEnvelope(out, Envelopes.UUID, UUID_VERSION);
            out.writeString(uuid.toString());
            out.writeEndObject();
        }
        else if (value instanceof Instant instant) {
            PythonTime.checkRange(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), value);
            writeDateTime(out, DATETIME, PythonTime.awareTimestamp(instant), "UTC", FIXED_TIMEZONE);
        }
        else if (value instanceof OffsetDateTime dateTime) {
            PythonTime.checkRange(dateTime.toLocalDateTime(), value);
            writeDateTime(out, DATETIME, PythonTime.awareTimestamp(dateTime.toInstant()), fixedTimezone(dateTime.getOffset()), FIXED_TIMEZONE);
        }
        else if (value instanceof ZonedDateTime dateTime) {
            PythonTime.checkRange(dateTime.toLocalDateTime(), value);
            double timestamp = PythonTime.awareTimestamp(dateTime.toInstant());
            if (dateTime.getZone() instanceof ZoneOffset offset) {
                writeDateTime(out, DATETIME, timestamp, fixedTimezone(offset), FIXED_TIMEZONE);
            }
            else {
                writeDateTime(out, PENDULUM_DATETIME, timestamp, dateTime.getZone().getId(), TIMEZONE);
            }
        }
        else if (value instanceof LocalDateTime dateTime) {
            PythonTime.checkRange(dateTime, value);
            writeDateTime(out, DATETIME, PythonTime.naiveTimestamp(dateTime, naiveZone), null, null);
        }
        else if (value instanceof LocalDate date) {
            PythonTime.checkRange(date);
            startEnvelope(out, DATE, DATETIME_VERSION);
            out.writeString(date.toString());
            out.writeEndObject();
        }
        else if (value instanceof Duration duration) {
            startEnvelope(out, TIMEDELTA, DATETIME_VERSION);
            out.writeNumber(PythonTime.totalSeconds(duration));
            out.writeEndObject();
        }
        else if (value instanceof ZoneOffset offset) {
            startEnvelope(out, FIXED_TIMEZONE, TIMEZONE_VERSION);
            writeScalar(out, fixedTimezone(offset));
            out.writeEndObject();
        }
        else if (value instanceof ZoneId zone) {
            startEnvelope(out, TIMEZONE, TIMEZONE_VERSION);
            out.writeString(zone.getId());
            out.writeEndObject();
        }
        else if (value instanceof Enum<?> constant) {
            out.writeString(constant.name());
        }
        else if (value instanceof Record record) {
            writeMap(out, recordFields(record), mode);
        }
        else if (value instanceof byte[]) {
            throw unsupported(out, value, "Python's json cannot write bytes either; encode them (e.g. base64) into a str");
        }
        else {
            writeBean(out, value, mode);
        }
    }

    /** A JavaBean/POJO, as Jackson sees it: its {@code @JsonValue}, or a dict of its serializable properties. */
    private void writeBean(PythonJsonWriter out, Object value, Mode mode)
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
            write(out, delegate, mode, false);
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
            throw unsupported(out, value, "it has no bean properties; use a Map, List, record, POJO or one of the types listed on XComJson");
        }
        writeMap(out, fields, mode);
    }

    private void writeMap(PythonJsonWriter out, Map<?, ?> map, Mode mode)
            throws IOException
    {
        if (mode != Mode.RAW && (map.containsKey(CLASSNAME) || map.containsKey(SCHEMA_ID))) {
            throw new IllegalArgumentException(("Map at %s has the key %s, which Airflow reserves for type envelopes "
                    + "(serde.serialize and XComEncoder raise AttributeError for it)")
                    .formatted(out.path(), map.containsKey(CLASSNAME) ? CLASSNAME : SCHEMA_ID));
        }
        if (mode == Mode.PLAIN) {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName(jsonKey(out, entry.getKey()));
                write(out, entry.getValue(), mode, false);
            }
            out.writeEndObject();
            return;
        }
        // {str(k): serialize(v) for k, v in o.items()}: keys equal after str() collapse to the first position and the last value
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            converted.put(mode == Mode.RAW && entry.getKey() instanceof String key ? key : strKey(out, entry.getKey()), entry.getValue());
        }
        out.writeStartObject();
        for (Map.Entry<String, Object> entry : converted.entrySet()) {
            out.writeFieldName(entry.getKey());
            write(out, entry.getValue(), mode, false);
        }
        out.writeEndObject();
    }

    /** The key as {@code json.dumps} writes it; other key types raise TypeError in Python. */
    private static String jsonKey(PythonJsonWriter out, Object key)
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
        throw badKey(out, key);
    }

    /** The key as {@code str(key)} gives it, which serde.serialize uses. */
    private static String strKey(PythonJsonWriter out, Object key)
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
        throw badKey(out, key);
    }

    private static boolean isInteger(Object key)
    {
        return key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte || key instanceof BigInteger;
    }

    private static IllegalArgumentException badKey(PythonJsonWriter out, Object key)
    {
        return new IllegalArgumentException("Map at %s has a key of type %s; keys must be String, an integer type, Double, Float, Boolean or null (Python: str, int, float, bool or None)"
                .formatted(out.path(), key.getClass().getName()));
    }

    /** A random-access list, by index: no iterator. */
    private void writeList(PythonJsonWriter out, List<?> items, Mode mode)
            throws IOException
    {
        out.writeStartArray();
        ParallelListEncoder parallel = out.parallelLists();
        if (parallel != null && items.size() >= PARALLEL_MIN_ITEMS && items instanceof RandomAccess) {
            parallel.writeItems((writer, index) -> write(writer, items.get(index), mode, false), out, items.size());
        }
        else {
            for (int i = 0; i < items.size(); i++) {
                write(out, items.get(i), mode, false);
            }
        }
        out.writeEndArray();
    }

    private void writeArray(PythonJsonWriter out, Iterator<?> items, Mode mode)
            throws IOException
    {
        out.writeStartArray();
        while (items.hasNext()) {
            write(out, items.next(), mode, false);
        }
        out.writeEndArray();
    }

    private void writeListEnvelope(PythonJsonWriter out, String classname, Iterable<?> items, Mode mode)
            throws IOException
    {
        startEnvelope(out, classname, BUILTIN_VERSION);
        writeArray(out, items.iterator(), mode == Mode.RAW ? Mode.RAW : Mode.SERDE);
        out.writeEndObject();
    }

    private static void writePrimitiveArray(PythonJsonWriter out, Object array)
            throws IOException
    {
        out.writeStartArray();
        if (array instanceof int[] ints) {
            for (int item : ints) {
                out.writeNumber(item);
            }
        }
        else if (array instanceof long[] longs) {
            for (long item : longs) {
                out.writeNumber(item);
            }
        }
        else if (array instanceof double[] doubles) {
            for (double item : doubles) {
                out.writeNumber(item);
            }
        }
        else if (array instanceof float[] floats) {
            for (float item : floats) {
                out.writeNumber(item);
            }
        }
        else if (array instanceof short[] shorts) {
            for (short item : shorts) {
                out.writeNumber(item);
            }
        }
        else if (array instanceof boolean[] booleans) {
            for (boolean item : booleans) {
                out.writeBoolean(item);
            }
        }
        else {
            for (char item : (char[]) array) {
                out.writeString(String.valueOf(item));
            }
        }
        out.writeEndArray();
    }

    /** Integral values (scale <= 0, Python exponent >= 0) as an int, others as the task SDK's str(Decimal). */
    private static void writeDecimal(PythonJsonWriter out, BigDecimal decimal)
            throws IOException
    {
        startEnvelope(out, DECIMAL, DECIMAL_VERSION);
        if (decimal.scale() <= 0) {
            out.writeNumber(decimal.toBigIntegerExact());
        }
        else {
            // Released Airflow (2.11 and 3.x task-sdk 1.3) writes float(o), lossy as it is; the conformance suite pins
            // this. Only unreleased task-sdk code writes str(o), which the reader accepts too.
            out.writeNumber(decimal.doubleValue());
        }
        out.writeEndObject();
    }

    private static void writeDateTime(PythonJsonWriter out, String classname, double timestamp, Object tzName, String tzClassname)
            throws IOException
    {
        startEnvelope(out, classname, DATETIME_VERSION);
        out.writeStartObject();
        out.writeFieldName("timestamp");
        out.writeNumber(timestamp);
        out.writeFieldName("tz");
        if (tzName == null) {
            out.writeNull();
        }
        else {
            startEnvelope(out, TUPLE, BUILTIN_VERSION);
            out.writeStartArray();
            writeScalar(out, tzName);
            out.writeString(tzClassname);
            out.writeNumber(TIMEZONE_VERSION);
            out.writeBoolean(true);
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /** A FixedTimezone's data: the offset in seconds, or "UTC" for a zero offset. */
    private static Object fixedTimezone(ZoneOffset offset)
    {
        return offset.getTotalSeconds() == 0 ? "UTC" : (Object) offset.getTotalSeconds();
    }

    private static void writeScalar(PythonJsonWriter out, Object value)
            throws IOException
    {
        if (value instanceof Integer number) {
            out.writeNumber(number);
        }
        else {
            out.writeString((String) value);
        }
    }

    private static void startEnvelope(PythonJsonWriter out, String classname, int version)
            throws IOException
    {
        out.writeStartObject();
        out.writeFieldName(CLASSNAME);
        out.writeString(classname);
        out.writeFieldName(VERSION);
        out.writeNumber(version);
        out.writeFieldName(DATA);
    }

    /**
     * Copies the value at the parser's current token (a tree's plain JSON, or JSON text for {@link XComJson#transcode})
     * as {@code json.dumps(json.loads(text))} writes it, leaving the parser on the value's last token.
     */
    void copyStructure(PythonJsonWriter out, JsonParser parser)
            throws IOException
    {
        int depth = 0;
        for (JsonToken token = parser.currentToken(); token != null; token = parser.nextToken()) {
            switch (token) {
                case START_OBJECT -> {
                    out.writeStartObject();
                    depth++;
                }
                case START_ARRAY -> {
                    out.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    out.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    out.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> out.writeFieldName(parser.currentName());
                // the parser's characters as they are: a String per value made the copy of large text spend most of its time allocating
                case VALUE_STRING -> out.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                case VALUE_NUMBER_INT -> {
                    switch (parser.getNumberType()) {
                        case INT -> out.writeNumber(parser.getIntValue());
                        case LONG -> out.writeNumber(parser.getLongValue());
                        default -> out.writeNumber(parser.getBigIntegerValue());
                    }
                }
                case VALUE_NUMBER_FLOAT -> out.writeNumber(ValueReader.pythonDouble(parser));
                case VALUE_TRUE -> out.writeBoolean(true);
                case VALUE_FALSE -> out.writeBoolean(false);
                case VALUE_NULL -> out.writeNull();
                case VALUE_EMBEDDED_OBJECT -> {
                    Object embedded = parser.getEmbeddedObject();
                    if (embedded instanceof byte[] bytes) {
                        // a BinaryNode: base64 text, as Jackson writes it
                        out.writeString(Base64Variants.getDefaultVariant().encode(bytes));
                    }
                    else {
                        // a POJONode's value: by the same rules as any other value
                        write(out, embedded, Mode.PLAIN, false);
                    }
                }
                default -> throw new IOException("Unexpected JSON token " + token + " in a tree at " + out.path());
            }
            if (depth == 0) {
                return;
            }
        }
        throw new IOException("Unexpected end of JSON input inside a container");
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

    private static IllegalArgumentException unsupported(PythonJsonWriter out, Object value, String hint)
    {
        return new IllegalArgumentException("Cannot write a value of type %s at %s as XCom JSON: %s"
                .formatted(value.getClass().getName(), out.path(), hint));
    }
}
