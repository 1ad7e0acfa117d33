package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.UUID;

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
import static io.xcomhybrid.json.Envelopes.NUMPY_PREFIX;
import static io.xcomhybrid.json.Envelopes.NUMPY_VERSION;
import static io.xcomhybrid.json.Envelopes.OLD_DATA;
import static io.xcomhybrid.json.Envelopes.OLD_DICT;
import static io.xcomhybrid.json.Envelopes.OLD_TYPE;
import static io.xcomhybrid.json.Envelopes.PENDULUM_DATE;
import static io.xcomhybrid.json.Envelopes.PENDULUM_DATETIME;
import static io.xcomhybrid.json.Envelopes.SET;
import static io.xcomhybrid.json.Envelopes.TIMEDELTA;
import static io.xcomhybrid.json.Envelopes.TIMEZONE;
import static io.xcomhybrid.json.Envelopes.TIMEZONE_VERSION;
import static io.xcomhybrid.json.Envelopes.TUPLE;
import static io.xcomhybrid.json.Envelopes.UUID_VERSION;
import static io.xcomhybrid.json.Envelopes.VERSION;
import static io.xcomhybrid.json.Envelopes.ZONEINFO;

/**
 * Reads JSON as Python's {@code json.loads(text, cls=XComDecoder)} does: first the plain JSON (last value wins for a
 * repeated key, at the key's first position), then the serde envelopes, top down, so that an unknown envelope keeps
 * its data undecoded. The parse marks the paths to envelopes, so the second step touches only those.
 */
final class ValueReader
{
    /** Python's legacy short names for version 1 datetimes (datetime.py). */
    private static final Map<String, ZoneOffset> V1_ZONES = Map.of(
            "EDT", ZoneOffset.ofHours(-4),
            "CDT", ZoneOffset.ofHours(-5),
            "MDT", ZoneOffset.ofHours(-6),
            "PDT", ZoneOffset.ofHours(-7),
            "CEST", ZoneOffset.ofHours(2));

    private final ZoneId naiveZone;

    ValueReader(ZoneId naiveZone)
    {
        this.naiveZone = naiveZone;
    }

    /**
     * The plain JSON value at the parser's current token, for {@link #decode}. A map or list whose subtree holds an
     * envelope comes back wrapped in a {@link Pending} marker (and so does every container on the path to it), so
     * that decoding visits only those paths: a value without envelopes, the common large one, is final as parsed.
     */
    static Object readPlain(JsonParser parser)
            throws IOException
    {
        return new PlainReader(parser).value(parser.currentToken());
    }

    /**
     * Builds maps and lists from the parser. Items and key/value pairs go on one growing stack first, so each list and
     * map is allocated once at its final size (a 2-item list holds 2 slots, not 10).
     */
    private static final class PlainReader
    {
        private static final int MAX_SHARED_LENGTH = 16;

        private final JsonParser parser;
        private Object[] stack = new Object[64];
        private int top;
        private final String[] recentStrings = new String[1024];

        PlainReader(JsonParser parser)
        {
            this.parser = parser;
        }

        Object value(JsonToken token)
                throws IOException
        {
            switch (token) {
                case START_OBJECT:
                    return object();
                case START_ARRAY:
                    return array();
                case VALUE_STRING:
                    return string();
                case VALUE_NUMBER_INT:
                    return integer();
                case VALUE_NUMBER_FLOAT:
                    return pythonDouble(parser);
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    return null;
                default:
                    throw new IOException("Unexpected JSON token %s at %s".formatted(token, parser.currentLocation().offsetDescription()));
            }
        }

        private Object object()
                throws IOException
        {
            int base = top;
            boolean pending = false;
            boolean reservedKey = false;
            String key;
            while ((key = parser.nextFieldName()) != null) {
                reservedKey |= key.length() > 1 && key.charAt(0) == '_' && key.charAt(1) == '_';
                Object item = value(parser.nextToken());
                pending |= item instanceof Pending;
                push(key);
                push(item);
            }
            int size = (top - base) >> 1;
            // HashMap's own sizing for `size` entries without a resize (JDK 19's HashMap.newHashMap)
            Map<String, Object> map = new LinkedHashMap<>((int) Math.ceil(size / 0.75));
            Object[] stack = this.stack;
            for (int i = base; i < top; i += 2) {
                // a repeated key keeps its first position and takes the last value, as json.loads does
                map.put((String) stack[i], stack[i + 1]);
            }
            top = base;
            return pending || (reservedKey && isEnvelope(map)) ? new Pending(map) : map;
        }

        private Object array()
                throws IOException
        {
            int base = top;
            boolean pending = false;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                Object item = value(token);
                pending |= item instanceof Pending;
                push(item);
            }
            List<Object> list = new ArrayList<>(top - base);
            Object[] stack = this.stack;
            for (int i = base; i < top; i++) {
                list.add(stack[i]);
            }
            top = base;
            return pending ? new Pending(list) : list;
        }

        /**
         * The string at the parser; a short one equal to one read shortly before is that same String. Values repeat in
         * large documents (the same status, region or tag in every row), so sharing them saves allocations and the
         * garbage collector's copying of a tree that stays live.
         */
        private String string()
                throws IOException
        {
            int length = parser.getTextLength();
            if (length > MAX_SHARED_LENGTH) {
                return parser.getText();
            }
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int hash = 0;
            for (int i = offset; i < offset + length; i++) {
                hash = 31 * hash + chars[i];
            }
            int slot = (hash ^ (hash >>> 11)) & (recentStrings.length - 1);
            String recent = recentStrings[slot];
            if (recent != null && recent.length() == length) {
                int i = 0;
                while (i < length && recent.charAt(i) == chars[offset + i]) {
                    i++;
                }
                if (i == length) {
                    return recent;
                }
            }
            String text = new String(chars, offset, length);
            recentStrings[slot] = text;
            return text;
        }

        private Number integer()
                throws IOException
        {
            Number number = parser.getNumberValue();
            if (number instanceof BigInteger big && big.abs().toString().length() > PythonJsonGenerator.PYTHON_INT_MAX_STR_DIGITS) {
                throw new IOException("Integer at %s has more than %d digits, which Python's json.loads refuses"
                        .formatted(parser.currentLocation().offsetDescription(), PythonJsonGenerator.PYTHON_INT_MAX_STR_DIGITS));
            }
            return number;
        }

        private void push(Object item)
        {
            if (top == stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[top++] = item;
        }
    }

    /** A parsed map or list whose subtree holds an envelope; its own items may be markers too. */
    private record Pending(Object container) {}

    private static boolean isEnvelope(Map<?, ?> map)
    {
        return (map.containsKey(OLD_TYPE) && map.containsKey(OLD_DATA)) || (map.containsKey(CLASSNAME) && map.containsKey(VERSION));
    }

    /**
     * The float at the parser, refusing the non-finite spellings Jackson accepts beyond Python's
     * ({@code +Infinity}, {@code +INF}, {@code -INF}).
     */
    static double pythonDouble(JsonParser parser)
            throws IOException
    {
        double value = parser.getDoubleValue();
        if (parser.isNaN()) {
            String text = parser.getText();
            if (!text.equals("NaN") && !text.equals("Infinity") && !text.equals("-Infinity")) {
                throw new IOException("Python's json does not accept %s at %s; only NaN, Infinity and -Infinity"
                        .formatted(text, parser.currentLocation().offsetDescription()));
            }
        }
        return value;
    }

    /** Decodes the envelopes in a value from {@link #readPlain}, reusing its maps and lists. */
    Object decode(Object parsed)
            throws IOException
    {
        return parsed instanceof Pending pending ? resolve(pending.container()) : parsed;
    }

    /** {@link #decodePlain} along the marked paths only: everything unmarked is final. */
    private Object resolve(Object container)
            throws IOException
    {
        if (container instanceof Map<?, ?> raw) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) raw;
            if (isEnvelope(map)) {
                // an envelope reads its data as json.loads gave it: unknown ones keep it undecoded
                return decodePlain(unmark(map));
            }
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                if (entry.getValue() instanceof Pending pending) {
                    try {
                        entry.setValue(resolve(pending.container()));
                    }
                    catch (IOException | RuntimeException e) {
                        throw new IOException("At key \"%s\": %s".formatted(entry.getKey(), e.getMessage()), e);
                    }
                }
            }
            return map;
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) container;
        for (int index = 0; index < list.size(); index++) {
            if (list.get(index) instanceof Pending pending) {
                try {
                    list.set(index, resolve(pending.container()));
                }
                catch (IOException | RuntimeException e) {
                    throw new IOException("At index %d: %s".formatted(index, e.getMessage()), e);
                }
            }
        }
        return list;
    }

    /** The plain value with its markers removed. */
    private static Object unmark(Object container)
    {
        if (container instanceof Map<?, ?> raw) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) raw;
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                if (entry.getValue() instanceof Pending pending) {
                    entry.setValue(unmark(pending.container()));
                }
            }
        }
        else if (container instanceof List<?> raw) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) raw;
            for (int index = 0; index < list.size(); index++) {
                if (list.get(index) instanceof Pending pending) {
                    list.set(index, unmark(pending.container()));
                }
            }
        }
        return container;
    }

    /**
     * Decodes envelopes in a plain value without markers (all of it, top down), reusing its maps and lists; package
     * visible for the differential test of {@link #decode}.
     */
    Object decodePlain(Object value)
            throws IOException
    {
        if (value instanceof Map<?, ?> raw) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) raw;
            if (map.containsKey(OLD_TYPE) && map.containsKey(OLD_DATA)) {
                Object type = map.get(OLD_TYPE);
                if (OLD_DICT.equals(type)) {
                    return decodePlain(map.get(OLD_DATA));
                }
                if (!(type instanceof String classname)) {
                    throw new IOException("Legacy envelope has a %s of type %s, not a string".formatted(OLD_TYPE, typeName(type)));
                }
                return envelope(classname, 0, map.get(OLD_DATA));
            }
            if (map.containsKey(CLASSNAME) && map.containsKey(VERSION)) {
                Object classname = map.get(CLASSNAME);
                Object version = map.get(VERSION);
                if (!(classname instanceof String name) || !(version instanceof Integer number)) {
                    throw new IOException("Cannot decode envelope: %s must be a string and %s an int, got %s and %s"
                            .formatted(CLASSNAME, VERSION, typeName(classname), typeName(version)));
                }
                return envelope(name, number, map.get(DATA));
            }
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                try {
                    entry.setValue(decodePlain(entry.getValue()));
                }
                catch (IOException | RuntimeException e) {
                    throw new IOException("At key \"%s\": %s".formatted(entry.getKey(), e.getMessage()), e);
                }
            }
            return map;
        }
        if (value instanceof List<?> raw) {
            @SuppressWarnings("unchecked")
            ListIterator<Object> items = ((List<Object>) raw).listIterator();
            while (items.hasNext()) {
                int index = items.nextIndex();
                try {
                    items.set(decodePlain(items.next()));
                }
                catch (IOException | RuntimeException e) {
                    throw new IOException("At index %d: %s".formatted(index, e.getMessage()), e);
                }
            }
            return raw;
        }
        return value;
    }

    private Object envelope(String classname, int version, Object data)
            throws IOException
    {
        try {
            Object decoded = known(classname, version, data);
            return decoded != null ? decoded : new PyObject(classname, version, data);
        }
        catch (IOException | RuntimeException e) {
            throw new IOException("Cannot decode %s version %d: %s".formatted(classname, version, e.getMessage()), e);
        }
    }

    /** The Java value of a known envelope, or null to keep it opaque. */
    private Object known(String classname, int version, Object data)
            throws IOException
    {
        switch (classname) {
            case TUPLE:
                return version <= BUILTIN_VERSION ? new PyTuple(list(data)) : null;
            case SET:
                return version <= BUILTIN_VERSION ? new LinkedHashSet<>(list(data)) : null;
            case FROZENSET:
                return version <= BUILTIN_VERSION ? new PyFrozenSet(new LinkedHashSet<>(list(data))) : null;
            case DATETIME:
            case PENDULUM_DATETIME:
                return version <= DATETIME_VERSION ? dateTime(version, data) : null;
            case DATE:
            case PENDULUM_DATE:
                return version <= DATETIME_VERSION ? date(data) : null;
            case TIMEDELTA:
                return version <= DATETIME_VERSION ? PythonTime.fromSeconds(number(decodePlain(data), "seconds").doubleValue()) : null;
            case DECIMAL:
                return version <= DECIMAL_VERSION ? decimal(data) : null;
            case Envelopes.UUID:
                return version <= UUID_VERSION ? UUID.fromString(string(data, "UUID")) : null;
            case FIXED_TIMEZONE:
            case TIMEZONE:
            case ZONEINFO:
                return version <= TIMEZONE_VERSION ? zoneId(data, FIXED_TIMEZONE.equals(classname)) : null;
            default:
                if (classname.startsWith(NUMPY_PREFIX) && version <= NUMPY_VERSION && (data instanceof Number || data instanceof Boolean)) {
                    return data;
                }
                return null;
        }
    }

    private List<Object> list(Object data)
            throws IOException
    {
        if (!(data instanceof List<?>)) {
            throw new IOException("data must be a list, got " + typeName(data));
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) decodePlain(data);
        return list;
    }

    private Object dateTime(int version, Object data)
            throws IOException
    {
        if (!(data instanceof Map<?, ?> map) || !map.containsKey("timestamp")) {
            throw new IOException("data must be an object with a timestamp, got " + typeName(data));
        }
        Instant instant = PythonTime.fromTimestamp(number(map.get("timestamp"), "timestamp").doubleValue());
        Object tz = decodePlain(map.get("tz"));
        if (tz == null) {
            return LocalDateTime.ofInstant(instant, naiveZone);
        }
        ZoneId zone;
        if (version == 1) {
            String name = string(tz, "tz");
            zone = V1_ZONES.containsKey(name) ? V1_ZONES.get(name) : zoneId(name, false);
        }
        else {
            List<Object> tuple = tz instanceof PyTuple pyTuple ? pyTuple.items() : tz instanceof List<?> ? list(tz) : null;
            if (tuple == null || tuple.size() < 2) {
                throw new IOException("tz must be a (name, classname, version, serialized) tuple, got " + typeName(tz));
            }
            zone = zoneId(tuple.get(0), FIXED_TIMEZONE.equals(tuple.get(1)));
        }
        if (zone instanceof ZoneOffset offset) {
            return OffsetDateTime.ofInstant(instant, offset);
        }
        return instant.atZone(zone);
    }

    private static LocalDate date(Object data)
            throws IOException
    {
        try {
            return LocalDate.parse(string(data, "date"));
        }
        catch (DateTimeParseException e) {
            throw new IOException("not an ISO date: " + data, e);
        }
    }

    /** {@code Decimal(str(data))}: an int, a float (older Airflow; str(float) is its repr) or a str (newest task SDK). */
    private static BigDecimal decimal(Object data)
            throws IOException
    {
        if (data instanceof Integer || data instanceof Long) {
            return BigDecimal.valueOf(((Number) data).longValue());
        }
        if (data instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        String text = data instanceof Double number ? PythonFloats.repr(number) : string(data, "Decimal");
        try {
            return new BigDecimal(text.strip());
        }
        catch (NumberFormatException e) {
            throw new IOException("not a finite decimal: " + text, e);
        }
    }

    /** A pendulum/zoneinfo timezone's data: an offset in seconds, or a zone name ("UTC" is the zero offset for FixedTimezone). */
    private static ZoneId zoneId(Object data, boolean fixed)
            throws IOException
    {
        if (data instanceof Integer seconds) {
            return ZoneOffset.ofTotalSeconds(seconds);
        }
        String name = string(data, "timezone");
        if (fixed && name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name);
        }
        catch (DateTimeException e) {
            throw new IOException("unknown timezone: " + name, e);
        }
    }

    private static Number number(Object data, String what)
            throws IOException
    {
        if (data instanceof Number number) {
            return number;
        }
        if (data instanceof String text) {
            try {
                return Double.parseDouble(text);
            }
            catch (NumberFormatException e) {
                throw new IOException("%s is not a number: %s".formatted(what, text), e);
            }
        }
        throw new IOException("%s must be a number, got %s".formatted(what, typeName(data)));
    }

    private static String string(Object data, String what)
            throws IOException
    {
        if (data instanceof String text) {
            return text;
        }
        throw new IOException("%s must be a string, got %s".formatted(what, typeName(data)));
    }

    private static String typeName(Object value)
    {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        if (value instanceof List<?>) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value.getClass().getSimpleName();
    }
}
