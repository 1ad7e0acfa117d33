package io.xcomhybrid.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.US_ASCII;

/** Loads the vectors generate_vectors.py wrote with CPython (test resources under json/). */
final class Vectors
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Vectors() {}

    static List<JsonNode> jsonLines(String name)
    {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : lines(name)) {
            try {
                rows.add(MAPPER.readTree(line));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    static List<String> lines(String name)
    {
        try (InputStream in = Vectors.class.getResourceAsStream("/json/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource json/" + name + "; run generate_vectors.py");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, US_ASCII));
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Java value for a description {"t": type, "v": ...}; see generate_vectors.py. */
    static Object build(JsonNode description)
    {
        JsonNode v = description.get("v");
        return switch (description.get("t").asText()) {
            case "none" -> null;
            case "bool" -> v.asBoolean();
            case "int" -> integer(new BigInteger(v.asText()));
            case "float" -> parseDouble(v.asText());
            case "str" -> v.asText();
            case "list" -> list(v);
            case "tuple" -> new PyTuple(list(v));
            case "dict" -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode pair : v) {
                    map.put(build(pair.get(0)), build(pair.get(1)));
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("Unknown description " + description);
        };
    }

    static double parseDouble(String hexOrSpecial)
    {
        return switch (hexOrSpecial) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(hexOrSpecial);
        };
    }

    /** Integer, Long or BigInteger, the types a decoder reads. */
    static Number integer(BigInteger value)
    {
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        return value;
    }

    private static List<Object> list(JsonNode items)
    {
        List<Object> list = new ArrayList<>();
        for (JsonNode item : items) {
            list.add(build(item));
        }
        return list;
    }
}
