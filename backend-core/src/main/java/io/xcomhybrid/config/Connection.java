package io.xcomhybrid.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An Airflow connection as read from {@code AIRFLOW_CONN_<CONN_ID>} (URI or JSON form).
 * Empty strings (which Airflow treats as unset) are reported as absent. {@link #toString()} never shows the password
 * or extra values.
 *
 * @param connType the normalized connection type ({@code postgresql} becomes {@code postgres}, {@code -} becomes
 *        {@code _}); empty when the JSON form has no {@code conn_type}, which Airflow allows
 * @param extra the parsed {@code extra} JSON object, deeply unmodifiable; values are JSON types (String, Number,
 *        Boolean, Map, List, or null)
 */
public record Connection(
        String connId,
        String connType,
        Optional<String> host,
        Optional<String> login,
        Optional<String> password,
        Optional<String> schema,
        Optional<Integer> port,
        Map<String, Object> extra)
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Connection
    {
        requireNonNull(connId, "connId is null");
        requireNonNull(connType, "connType is null");
        requireNonNull(host, "host is null");
        requireNonNull(login, "login is null");
        requireNonNull(password, "password is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(port, "port is null");
        extra = unmodifiableMap(requireNonNull(extra, "extra is null"));
    }

    /**
     * An extra as a string: strings as they are, numbers and booleans with {@code String.valueOf}, objects and
     * arrays as JSON text; empty when the extra is missing or JSON {@code null}.
     */
    public Optional<String> extraString(String name)
    {
        Object value = extra.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return Optional.of(MAPPER.writeValueAsString(value));
            }
            catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write extra '" + name + "' of connection " + connId + " as JSON", e);
            }
        }
        return Optional.of(String.valueOf(value));
    }

    private static Map<String, Object> unmodifiableMap(Map<?, ?> map)
    {
        // Map.copyOf would reject the null values that JSON allows
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), unmodifiable(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object unmodifiable(Object value)
    {
        if (value instanceof Map<?, ?> map) {
            return unmodifiableMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(unmodifiable(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    @Override
    public String toString()
    {
        return "Connection{connId=" + connId + ", connType=" + connType + ", host=" + host.orElse("")
                + ", login=" + login.orElse("") + ", password=" + (password.isPresent() ? "****" : "")
                + ", schema=" + schema.orElse("") + ", port=" + port.map(String::valueOf).orElse("")
                + ", extraKeys=" + extra.keySet() + "}";
    }
}
