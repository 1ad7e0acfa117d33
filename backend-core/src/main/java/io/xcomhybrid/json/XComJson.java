package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

/**
 * The XCom JSON codec: writes exactly the bytes of Python's {@code json.dumps(value, cls=XComEncoder)} and reads
 * them back into Java values.
 *
 * <p>Java values map as Jackson maps them (records, POJOs, maps, lists, numbers, strings, booleans, null); the text
 * follows Python's defaults: separators {@code ", "} and {@code ": "}, everything outside printable ASCII escaped
 * as lowercase {@code \\uXXXX}, insertion order, no trailing newline.
 */
public final class XComJson
{
    private static final XComJson STANDARD = new XComJson();

    private final ObjectMapper mapper;
    private final JsonFactory factory;

    private XComJson()
    {
        this.factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .findAndAddModules()
                .build();
    }

    public static XComJson standard()
    {
        return STANDARD;
    }

    /** A generator that writes Python-formatted JSON to {@code out}; closing it does not close {@code out}. */
    public JsonGenerator createGenerator(OutputStream out)
            throws IOException
    {
        JsonGenerator generator = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setPrettyPrinter(new PythonPrettyPrinter());
        generator.setCharacterEscapes(PythonCharacterEscapes.INSTANCE);
        return generator;
    }

    /** Writes {@code json.dumps(value)}'s bytes for {@code value} to {@code out}, which stays open. */
    public void write(Object value, OutputStream out)
            throws IOException
    {
        try (JsonGenerator generator = createGenerator(out)) {
            mapper.writeValue(generator, value);
        }
    }

    public byte[] toBytes(Object value)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(value, out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Re-encodes any JSON text into Python's formatting, streaming token by token (bounded memory).
     *
     * @throws IOException if the input is not one complete JSON value
     */
    public void transcode(InputStream json, OutputStream out)
            throws IOException
    {
        try (JsonParser parser = factory.createParser(json); JsonGenerator generator = createGenerator(out)) {
            if (parser.nextToken() == null) {
                throw new IOException("Input holds no JSON value");
            }
            generator.copyCurrentStructure(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new IOException("Unexpected data after the JSON value at " + parser.currentLocation().offsetDescription());
            }
        }
    }

    /** Reads one JSON value into plain Java values (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean, null). */
    public Object read(InputStream in)
            throws IOException
    {
        return mapper.readValue(in, Object.class);
    }

    public Object read(byte[] json)
    {
        try {
            return read(new ByteArrayInputStream(json));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(InputStream in, Class<T> type)
            throws IOException
    {
        return mapper.readValue(in, type);
    }

    /** The JSON string literal for {@code text}, as {@code json.dumps(text)} writes it (with quotes). */
    public byte[] encodeString(String text)
    {
        return toBytes(text);
    }

    /** Parses a JSON document that must be a string; empty if it is any other JSON value or not JSON at all. */
    public java.util.Optional<String> decodeString(byte[] json)
    {
        try (JsonParser parser = factory.createParser(json)) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                return java.util.Optional.empty();
            }
            String text = parser.getText();
            return parser.nextToken() == null ? java.util.Optional.of(text) : java.util.Optional.empty();
        }
        catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
